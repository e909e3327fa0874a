//! The error type of `luoshi-report`.

use std::path::PathBuf;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can stop a report run. Messages name the file concerned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Loading the manifest, the taxonomy or a document failed.
    #[error(transparent)]
    Core(#[from] luoshi_core::Error),
    /// The alignment settings are invalid.
    #[error(transparent)]
    Align(#[from] luoshi_align::Error),
    /// The analyses beyond coverage (profiles, reuse) could not run.
    #[error(transparent)]
    Analysis(#[from] luoshi_analysis::Error),
    /// Building or writing a table failed.
    #[error("table {table}: {source}")]
    Polars {
        /// The table's file name.
        table: String,
        /// The polars error.
        #[source]
        source: polars::error::PolarsError,
    },
    /// The output path may not be written: it is not luoshi's output
    /// folder, or it holds an input of the run. Nothing was written.
    #[error("refusing to write the output to {path}: {reason}")]
    Output {
        /// The output path as given.
        path: PathBuf,
        /// Why, and what to do.
        reason: String,
    },
    /// A label (a review-sheet row or a TOML label) names an unknown
    /// document, item or answer, or contradicts another label.
    #[error("{path}: line {line}: {message}")]
    Label {
        /// The label file.
        path: PathBuf,
        /// 1-based line (0 when the file as a whole is wrong).
        line: usize,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A model folder (`--model`) holds no model fitted for any taxonomy
    /// of the run.
    #[error("{path}: {message}")]
    Model {
        /// The model folder.
        path: PathBuf,
        /// What is wrong and what was expected.
        message: String,
    },
    /// Every document of the manifest was skipped (`keep_going`): no
    /// table was written, and the output folder is as it was.
    #[error(
        "{}: every document was skipped, so nothing was written ({} is as it was): {}",
        manifest.display(),
        out.display(),
        skipped.join("; ")
    )]
    NothingLeft {
        /// The manifest.
        manifest: PathBuf,
        /// The output folder, untouched.
        out: PathBuf,
        /// Each skipped document: `label (file): why`.
        skipped: Vec<String>,
    },
    /// Writing an output file or folder failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn polars(table: &str) -> impl FnOnce(polars::error::PolarsError) -> Error + '_ {
        move |source| Error::Polars {
            table: table.to_string(),
            source,
        }
    }

    /// An error in a label file, at a 1-based line (0: the file as a
    /// whole).
    pub(crate) fn label(path: &std::path::Path, line: usize, message: impl Into<String>) -> Error {
        Error::Label {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}
