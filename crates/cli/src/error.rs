//! The errors of the command.

use std::path::PathBuf;

/// What stops a subcommand (exit code 1).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error of the library: its message names the file and the line or
    /// byte, and what was expected.
    #[error(transparent)]
    Luoshi(#[from] luoshi::Error),
    /// An output file exists and `--force` was not given.
    #[error("{}: exists; pass --force to replace it", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// Writing an output file failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The command line is wrong in a way its parser cannot see (exit
    /// code 2, as for the parser's own errors).
    #[error("{message}")]
    Usage {
        /// What is wrong and what to give instead.
        message: String,
    },
    /// Some of several documents could not be read (each was reported).
    #[error("{failed} of {total} documents could not be read")]
    Documents {
        /// How many failed.
        failed: usize,
        /// How many were given.
        total: usize,
    },
}

impl Error {
    /// The exit code the error ends the command with: 2 for a wrong
    /// command line, else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage { .. } => 2,
            _ => 1,
        }
    }
}

impl From<luoshi::luoshi_core::Error> for Error {
    fn from(e: luoshi::luoshi_core::Error) -> Self {
        Error::Luoshi(e.into())
    }
}

impl From<luoshi::luoshi_align::Error> for Error {
    fn from(e: luoshi::luoshi_align::Error) -> Self {
        Error::Luoshi(e.into())
    }
}

#[cfg(feature = "report")]
impl From<luoshi::luoshi_report::Error> for Error {
    fn from(e: luoshi::luoshi_report::Error) -> Self {
        Error::Luoshi(e.into())
    }
}
