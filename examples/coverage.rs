//! The main job: ingest every document of a manifest, align it with the
//! national taxonomy, and write the coverage matrices.
//!
//! ```text
//! cargo run --release --example coverage                 # seeds/ → out/
//! cargo run --release --example coverage -- --excel --parquet --out results
//! cargo run --release --example coverage -- --manifest corpus/regions.toml --packs taxonomies
//! # the review loop: fill in the `correct` column of a copy of out/review.csv, then
//! cargo run --release --example coverage -- --labels my-review.csv --out reviewed
//! cargo run --release --example coverage -- --labels my-review.csv --refit my-model --out reviewed
//! cargo run --release --example coverage -- --model my-model --out refitted
//! ```
//!
//! Exit codes: 0 when everything was written; 1 when an error stopped the
//! run (a bad manifest, a missing or undecodable document, an invalid
//! taxonomy or settings file, an output path that is not luoshi's) — the
//! message is printed once and the output folder is left as it was; 2 for
//! a wrong command line; 3 when `--keep-going` skipped missing or
//! unreadable documents (the tables were written; the skipped documents
//! are listed on stderr and in summary.csv; when it skipped every
//! document, nothing is written and the code is 1).
//!
//! The options and the run are those of `luoshi coverage` (the command's
//! library, `luoshi_cli`): this example is that subcommand, with a
//! progress bar on stderr when stderr is a terminal.

use std::process::ExitCode;

use clap::Parser;
use luoshi_cli::{CoverageArgs, coverage, out};

fn main() -> ExitCode {
    match coverage::run(CoverageArgs::parse()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => out::fail_with(&e, e.exit_code()),
    }
}
