#![doc = include_str!("../README.md")]

pub use luoshi_align;
pub use luoshi_core;
#[cfg(feature = "report")]
pub use luoshi_report;

pub use luoshi_core::prelude::*;
