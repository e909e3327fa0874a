//! The main job: ingest every document of a manifest, align it with the
//! national taxonomy, and write the coverage matrices.
//!
//! ```text
//! cargo run --release --example coverage                 # seeds/ → out/
//! cargo run --release --example coverage -- --excel --parquet --out results
//! ```
//!
//! A bad manifest, a missing or undecodable document, an invalid taxonomy
//! or settings file stops the run with the error's message and exit code
//! 1, and leaves the output folder as it was.

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use luoshi::luoshi_report::{RunOptions, WriteOptions, run};

#[derive(Parser)]
#[command(about = "Write luoshi's coverage matrices for every document of a manifest")]
struct Args {
    /// The corpus manifest.
    #[arg(long, default_value = "seeds/regions.toml")]
    manifest: PathBuf,
    /// A taxonomy file (TOML or JSON) instead of the embedded national 2017 one.
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    /// The output folder (replaced whole at the end of a successful run).
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Alignment settings (TOML; missing keys keep their defaults).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Start each CSV with a UTF-8 byte-order mark for Excel.
    #[arg(long)]
    excel: bool,
    /// Also write each table as Parquet.
    #[arg(long)]
    parquet: bool,
    /// Skip documents that cannot be read or decoded: report them on
    /// stderr and in summary.csv, write the rest, and exit with code 2.
    #[arg(long)]
    keep_going: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let opts = RunOptions {
        manifest: args.manifest,
        taxonomy: args.taxonomy,
        config: args.config,
        out: args.out.clone(),
        write: WriteOptions {
            excel: args.excel,
            parquet: args.parquet,
        },
        keep_going: args.keep_going,
    };
    let output = run(&opts)?;
    print!("{}", output.summary_text());
    println!(
        "wrote {} tables and heatmap.svg to {} in {:.2} s",
        output.tables.len(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    if !output.analysis.skipped.is_empty() {
        for s in &output.analysis.skipped {
            eprintln!("skipped {} ({}): {}", s.label, s.file, s.error);
        }
        std::process::exit(2);
    }
    Ok(())
}
