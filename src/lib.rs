//! luoshi (落实, "carry out"): align Chinese regional policy-implementation
//! documents with the national task taxonomy they answer.
//!
//! This facade re-exports the three crates, so a researcher adds one
//! dependency:
//! - [`luoshi_core`]: the taxonomy graph, the document model, ingestion;
//! - [`luoshi_align`]: normalization, scorers, the indexed aligner;
//! - [`luoshi_report`]: coverage matrices as polars DataFrames and CSV.

pub use luoshi_align;
pub use luoshi_core;
pub use luoshi_report;

pub use luoshi_core::prelude::*;
