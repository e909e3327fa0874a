//! `luoshi coverage`: the main job (as the `coverage` example).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use luoshi::luoshi_report::{Progress, RunOptions, WriteOptions, review, run_with_progress};

use crate::error::Error;
use crate::outln;

/// Options of `luoshi coverage`.
#[derive(clap::Parser)]
#[command(
    about = "Write the coverage tables of every document of a manifest",
    long_about = "Write the coverage tables of every document of a manifest.\n\n\
        Reads the manifest (a TOML list of documents with their region, level and year), \
        every document it names (text in UTF-8, UTF-16, GB18030 or Big5, HTML, DOCX or PDF), \
        the taxonomy and the alignment settings; splits each document into items, aligns \
        every requirement item with the national taxonomy, and writes into the output \
        folder: the coverage matrices and the item tables as CSV (and Parquet with \
        --parquet), summary.csv, heatmap.svg, report.html, and the extracted text of every \
        document (docs/schema.md describes every column). Each document is aligned with \
        its taxonomy pack (--packs) or with --taxonomy; when the documents answer several \
        taxonomies, each gets its own subfolder of the output folder. It prints a summary per document and \
        the time taken.\n\n\
        The output folder is replaced whole at the end of a successful run, and only when \
        it does not exist, is empty, or was written by luoshi; anything else is refused. A \
        failed run leaves it as it was. A progress bar is drawn on stderr when stderr is a \
        terminal.",
    after_long_help = "EXIT CODES:\n    \
        0  everything was written\n    \
        1  an error stopped the run (a bad manifest, a missing or undecodable document, an \
        invalid taxonomy or settings file, an output path that is not luoshi's); the \
        message is printed once and the output folder is left as it was\n    \
        2  a wrong command line\n    \
        3  --keep-going skipped missing or unreadable documents (the tables were written; \
        the skipped documents are listed on stderr and in summary.csv; when every document \
        is skipped nothing is written, and the exit code is 1)\n\n\
        EXAMPLES:\n    \
        luoshi coverage --manifest seeds/regions.toml --out out\n    \
        luoshi coverage --excel --parquet --out results --keep-going"
)]
pub struct CoverageArgs {
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
    /// national_YEAR when there is that pack, else national_2017; with
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
    /// Skip documents that are missing or cannot be read or decoded:
    /// report them on stderr and in summary.csv, write the rest, and exit
    /// with code 3 (when every document is skipped, nothing is written:
    /// exit code 1).
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

/// Runs the job; the exit code is 0, or 3 when documents were skipped.
pub fn run(args: CoverageArgs) -> Result<u8, Error> {
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
        labels: args.labels.clone(),
        model: args.model.clone(),
    };
    if let Some(dir) = &args.refit {
        review::check_refit_target(dir, args.replace)?;
    }
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:>9} [{bar:30}] {pos}/{len} steps ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    // Each document is read, then aligned (taxonomy by taxonomy): two
    // steps per document.
    let on_progress = |p: Progress| {
        let (name, total) = match p {
            Progress::Ingested { total } => ("reading", total),
            Progress::Aligned { total } => ("aligning", total),
            _ => {
                bar.set_message("writing");
                return;
            }
        };
        bar.set_length(2 * total as u64);
        bar.set_message(name);
        bar.inc(1);
    };
    let output = run_with_progress(&opts, &on_progress);
    bar.finish_and_clear();
    let output = output?;
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
    if let Some(dir) = &args.refit {
        review::refit_all(
            &output,
            opts.config.as_deref(),
            args.l2,
            dir,
            args.replace,
            &mut |line| outln!("{line}"),
        )?;
    }
    Ok(output.exit_code())
}
