//! The error type of `luoshi-analysis`.

use std::path::PathBuf;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong in an analysis.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting is out of range.
    #[error("setting `{name}` = {value} is out of range: expected {expected}")]
    Setting {
        /// The setting's name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// The allowed range.
        expected: String,
    },
    /// Two documents compared side by side answer different national
    /// documents, so their requirements cannot be lined up.
    #[error(
        "{a} answers taxonomy `{taxonomy_a}` and {b} answers `{taxonomy_b}`: \
         documents of different national documents cannot be lined up requirement by requirement"
    )]
    Taxonomies {
        /// The first document's file (or label).
        a: PathBuf,
        /// The taxonomy it was aligned against.
        taxonomy_a: String,
        /// The second document's file (or label).
        b: PathBuf,
        /// The taxonomy it was aligned against.
        taxonomy_b: String,
    },
    /// An alignment does not belong to the document it came with.
    #[error("{file}: the alignment is of `{alignment}`, not of this document (`{label}`)")]
    Mismatch {
        /// The document's file.
        file: PathBuf,
        /// The document's label.
        label: String,
        /// The label the alignment carries.
        alignment: String,
    },
    /// Documents and alignments differ in number.
    #[error(
        "{documents} documents but {alignments} alignments: give one alignment per document, in order"
    )]
    Count {
        /// Documents given.
        documents: usize,
        /// Alignments given.
        alignments: usize,
    },
}
