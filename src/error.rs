//! The one error type of the facade.

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop a [`crate::Pipeline`]: the errors of the
/// crates it drives, each naming the file and, where it applies, the line
/// or byte and what was expected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading a manifest, a taxonomy or a document failed, or one is not
    /// of the expected shape (`luoshi-core`).
    #[error(transparent)]
    Core(#[from] luoshi_core::Error),
    /// The alignment settings are invalid or the taxonomy cannot be
    /// aligned against (`luoshi-align`).
    #[error(transparent)]
    Align(#[from] luoshi_align::Error),
    /// Building or writing the report tables failed (`luoshi-report`).
    #[cfg(feature = "report")]
    #[error(transparent)]
    Report(#[from] luoshi_report::Error),
    /// A calibration was given no labelled documents: no manifests, and
    /// no repository folder whose development sets to read
    /// ([`crate::calibrate::Sources::root`]).
    #[error(
        "no labelled documents to calibrate on: give their manifests, or the repository folder whose development sets (seeds/, testdata/dev/) to read"
    )]
    NoLabelledDocuments,
}
