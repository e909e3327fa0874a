//! The `luoshi` command as a library: each subcommand's arguments (clap)
//! and its `run`, the command's [`Error`], and printing that ends quietly
//! on a closed pipe ([`out`], [`outln!`]). The `luoshi` binary
//! (`src/main.rs`) dispatches to them, and the facade's examples reuse
//! them: the `coverage` example is [`CoverageArgs`] and [`coverage::run`],
//! so the example and `luoshi coverage` cannot drift apart.
//!
//! ```no_run
//! use clap::Parser;
//! use luoshi_cli::{CoverageArgs, coverage};
//!
//! # fn main() -> Result<(), luoshi_cli::Error> {
//! let code = coverage::run(CoverageArgs::parse_from(["coverage", "--out", "out"]))?;
//! assert_eq!(code, 0);
//! # Ok(())
//! # }
//! ```
//!
//! `coverage` needs the `report` feature (on by default: the coverage run
//! writes its tables with polars); the rest builds without it, so that
//! the facade's examples that need no polars (`calibrate`, `extract`,
//! `formats`, `scale`) print through [`out`] too, and its benchmarks
//! still build without polars (`cargo bench --no-default-features`).

pub mod calibrate;
#[cfg(feature = "report")]
pub mod coverage;
#[cfg(feature = "report")]
pub mod diff;
mod error;
pub mod ingest;
pub mod out;
pub mod taxonomy;

pub use calibrate::CalibrateArgs;
#[cfg(feature = "report")]
pub use coverage::CoverageArgs;
#[cfg(feature = "report")]
pub use diff::DiffArgs;
pub use error::Error;
pub use ingest::IngestArgs;
pub use taxonomy::TaxonomyArgs;
