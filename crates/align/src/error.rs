//! The error type of `luoshi-align`.

use std::path::PathBuf;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong when configuring an aligner.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// A configuration file is not valid TOML of the expected shape.
    #[error("{path}: line {line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when unknown).
        line: usize,
        /// What was expected.
        message: String,
    },
    /// A setting is out of range.
    #[error("{path}: setting `{name}` = {value} is out of range: expected {expected}")]
    Setting {
        /// The file (or `<config>`).
        path: PathBuf,
        /// The setting's name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// The allowed range.
        expected: &'static str,
    },
    /// The taxonomy has no requirements to align against.
    #[error("the taxonomy `{0}` has no requirements to align against")]
    EmptyTaxonomy(String),
    /// A learned vocabulary names the tasks of another taxonomy than the
    /// one aligned against.
    #[error(
        "the learned vocabulary was fitted for taxonomy `{vocabulary}`, not for `{taxonomy}`: \
         fit one for `{taxonomy}` (calibrate --fit) or align without one"
    )]
    VocabularyTaxonomy {
        /// The taxonomy the vocabulary names.
        vocabulary: String,
        /// The taxonomy aligned against.
        taxonomy: String,
    },
    /// The decision model could not be fitted.
    #[error("cannot fit the decision model: {0}")]
    Fit(String),
    /// A taxonomy pack's taxonomy (or an outline text it is built from)
    /// could not be read.
    #[error(transparent)]
    Core(#[from] luoshi_core::Error),
    /// A taxonomy pack folder is missing its taxonomy, has a name that is
    /// not a pack id, or already exists where a new pack was to be
    /// written.
    #[error("{path}: {message}")]
    Pack {
        /// The pack folder or file concerned.
        path: PathBuf,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A taxonomy pack that is not available.
    #[error("unknown taxonomy `{id}`: expected one of {available} (packs folder: {dir})")]
    UnknownPack {
        /// The id asked for.
        id: String,
        /// The packs folder searched (`none` when there is none).
        dir: String,
        /// The ids available, comma-separated.
        available: String,
    },
}

/// Reads a settings, model or label file's text, naming it in errors.
pub(crate) fn read_file(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses TOML text of the expected shape, naming `path` and the line in
/// errors.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    path: &std::path::Path,
) -> Result<T> {
    toml::from_str(text).map_err(|e| Error::Parse {
        path: path.to_path_buf(),
        line: e
            .span()
            .map(|s| luoshi_core::text::line_of(text, s.start))
            .unwrap_or(0),
        message: e.message().to_string(),
    })
}
