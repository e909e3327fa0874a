#![doc = include_str!("../README.md")]

pub mod calibrate;
mod error;
pub mod inspect;
mod pipeline;

pub use error::{Error, Result};
pub use pipeline::{CorpusReport, DocumentReport, Pipeline, PipelineBuilder};

pub use luoshi_align;
pub use luoshi_align::{AlignConfig, DocumentAlignment, ItemAlignment, Status};
pub use luoshi_analysis;
pub use luoshi_core;
#[cfg(feature = "report")]
pub use luoshi_report;

// The core prelude (its `Error` and `Result` are shadowed by the facade's
// own above: reach them as `luoshi_core::Error`).
pub use luoshi_core::prelude::*;
