//! The report crate's integration tests, one test binary (each linking
//! polars costs seconds on a 2-core machine, and one binary runs the
//! modules' tests side by side). Run one module with
//! `cargo test -p luoshi-report --test report html::`.

mod common;
mod html;
mod output;
mod packs;
mod review;
mod run;
