//! The `luoshi` command: the coverage run, the items of a document, the
//! taxonomy, and the accuracy of the shipped model, from the shell.
//!
//! ```text
//! cargo install --path crates/cli
//! luoshi coverage --manifest seeds/regions.toml --out out
//! luoshi --help
//! ```
//!
//! The subcommands live in the crate's library (`src/lib.rs`), which the
//! facade's examples reuse.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use luoshi_cli::{
    CalibrateArgs, CoverageArgs, DiffArgs, Error, IngestArgs, TaxonomyArgs, calibrate, coverage,
    diff, ingest, out, taxonomy,
};

/// The command line.
#[derive(Parser)]
#[command(
    name = "luoshi",
    version,
    about = "Align Chinese regional policy-implementation documents with the national tasks they answer",
    long_about = "Align Chinese regional policy-implementation documents with the national tasks they answer.\n\n\
        luoshi (落实, \"carry out\") reads regional implementation documents of the State Council's \
        2017 key points of government transparency (政务公开工作要点), splits each into items, and \
        aligns every requirement item with a national requirement or task, or calls it a local \
        extension. `luoshi coverage` writes the coverage tables of a corpus; `luoshi diff` \
        lines up two documents requirement by requirement; the other \
        subcommands inspect documents and taxonomies and measure the model.",
    after_long_help = "EXIT CODES:\n    \
        0  success\n    \
        1  an error stopped the command (its message names the file and what was expected)\n    \
        2  a wrong command line\n    \
        3  `coverage --keep-going` skipped documents\n\n\
        EXAMPLES:\n    \
        luoshi coverage --manifest seeds/regions.toml --out out\n    \
        luoshi diff seeds/003_29682c494441ef65.txt seeds/004_6c8f8c4c595500ac.txt\n    \
        luoshi ingest seeds/004_6c8f8c4c595500ac.txt --kind requirement\n    \
        luoshi taxonomy show\n    \
        luoshi calibrate --cross-validate"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Coverage(CoverageArgs),
    Diff(DiffArgs),
    Ingest(IngestArgs),
    Taxonomy(TaxonomyArgs),
    Calibrate(CalibrateArgs),
}

fn main() -> ExitCode {
    // clap prints usage errors and exits with code 2 (help and version: 0).
    let cli = Cli::parse();
    let result: Result<u8, Error> = match cli.command {
        Command::Coverage(args) => coverage::run(args),
        Command::Diff(args) => diff::run(&args),
        Command::Ingest(args) => ingest::run(&args),
        Command::Taxonomy(args) => taxonomy::run(args),
        Command::Calibrate(args) => calibrate::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => out::fail_with(&e, e.exit_code()),
    }
}
