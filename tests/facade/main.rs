//! The facade's integration tests, one test binary (each linking the
//! whole stack costs seconds on a 2-core machine, and one binary runs the
//! modules' tests side by side). Run one module with
//! `cargo test -p luoshi --test facade producers::`.

mod calibrate;
mod cli;
mod formats;
mod modules;
mod pipeline;
mod producers;
