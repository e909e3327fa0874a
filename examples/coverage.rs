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
//! a wrong command line; 3 when `--keep-going` skipped documents (the
//! tables were written; the skipped documents are listed on stderr and in
//! summary.csv).

mod support;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use luoshi::luoshi_report::{RunOptions, WriteOptions, review, run};

#[derive(Parser)]
#[command(about = "Write luoshi's coverage matrices for every document of a manifest")]
struct Args {
    /// The corpus manifest.
    #[arg(long, default_value = "seeds/regions.toml")]
    manifest: PathBuf,
    /// A taxonomy file (TOML or JSON) that every document is aligned
    /// against, instead of each document's taxonomy pack.
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    /// The taxonomy packs folder (one folder per national document, such
    /// as taxonomies/). Default: a taxonomies/ folder next to the
    /// manifest, if any; national_2017 is built in. A document answers
    /// the pack its manifest entry names (taxonomy = "..."), else
    /// national_<year> when there is that pack, else national_2017; with
    /// several taxonomies, each gets its own subfolder of --out.
    #[arg(long)]
    packs: Option<PathBuf>,
    /// The output folder, replaced whole at the end of a successful run.
    /// It must not exist yet, be empty, or be a folder luoshi wrote;
    /// anything else is refused.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Alignment settings (TOML; missing keys keep their defaults).
    #[arg(long)]
    config: Option<PathBuf>,
    /// CSV for Excel: a UTF-8 byte-order mark, and text cells starting
    /// with = + - @ get a leading ' so Excel does not run them as formulas.
    #[arg(long)]
    excel: bool,
    /// Also write each table as Parquet.
    #[arg(long)]
    parquet: bool,
    /// Skip documents that cannot be read or decoded: report them on
    /// stderr and in summary.csv, write the rest, and exit with code 3.
    #[arg(long)]
    keep_going: bool,
    /// A researcher's labels: a filled-in review sheet (a copy of
    /// review.csv or review.xlsx with its `correct` column filled in), a
    /// TOML label file,
    /// or a folder of them; repeatable. Labelled items take the
    /// researcher's decision; label_metrics.csv measures the model on them.
    #[arg(long)]
    labels: Vec<PathBuf>,
    /// Refit the decision model and the learned vocabulary on the labels
    /// and write them into this folder (decision.toml, vocabulary.toml),
    /// after printing the leave-one-document-out estimate. Existing files
    /// are refused unless --replace.
    #[arg(long, requires = "labels")]
    refit: Option<PathBuf>,
    /// Allow --refit to replace existing files.
    #[arg(long, requires = "refit")]
    replace: bool,
    /// L2 penalty per labelled item for --refit.
    #[arg(long, default_value_t = 1e-3)]
    l2: f64,
    /// Decide with a refitted model folder (written by --refit) instead of
    /// the shipped model: for the taxonomy it was fitted for only (its own
    /// subfolder when --refit wrote one per taxonomy); refused when it was
    /// fitted for none of the run's taxonomies.
    #[arg(long)]
    model: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = Instant::now();
    let opts = RunOptions {
        manifest: args.manifest,
        taxonomy: args.taxonomy,
        packs: args.packs,
        config: args.config,
        out: args.out.clone(),
        write: WriteOptions {
            excel: args.excel,
            parquet: args.parquet,
        },
        keep_going: args.keep_going,
        labels: args.labels,
        model: args.model,
    };
    if let Some(dir) = &args.refit
        && let Err(e) = review::check_refit_target(dir, args.replace)
    {
        return support::fail(&e);
    }
    let output = match run(&opts) {
        Ok(o) => o,
        Err(e) => return support::fail(&e),
    };
    for s in output.skipped() {
        eprintln!("skipped {} ({}): {}", s.label, s.file, s.error);
    }
    outln!("{}", output.summary_text().trim_end());
    // One taxonomy: the tables are in --out itself; several: one
    // subfolder of --out per taxonomy.
    let folders: Vec<String> = output
        .groups
        .iter()
        .map(|g| {
            if g.dir.as_os_str().is_empty() {
                args.out.display().to_string()
            } else {
                args.out.join(&g.dir).display().to_string()
            }
        })
        .collect();
    outln!(
        "wrote {} tables, heatmap.svg and report.html to {} in {:.2} s",
        output.table_count(),
        folders.join(", "),
        started.elapsed().as_secs_f64()
    );
    let labels = review::labels_report(&output);
    if !labels.is_empty() {
        outln!("{}", labels.trim_end());
    }
    if let Some(dir) = &args.refit
        && let Err(e) = review::refit_all(
            &output,
            opts.config.as_deref(),
            args.l2,
            dir,
            args.replace,
            &mut |line| outln!("{line}"),
        )
    {
        return support::fail(&e);
    }
    ExitCode::from(output.exit_code())
}
