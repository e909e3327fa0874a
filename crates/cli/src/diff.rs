//! `luoshi diff`: two documents side by side, requirement by requirement.

use std::path::{Path, PathBuf};

use luoshi::Pipeline;
use luoshi::inspect::meta_for;
use luoshi::luoshi_analysis::{Analyst, Change, DiffRow, DocumentDiff};
use luoshi::luoshi_core::Taxonomy;
use luoshi::luoshi_report::{diff_table, write_csv};

use crate::error::Error;
use crate::outln;

/// Options of `luoshi diff`.
#[derive(clap::Args)]
#[command(
    about = "Line up two documents requirement by requirement",
    long_about = "Line up two documents requirement by requirement.\n\n\
        Reads both documents (text in UTF-8, UTF-16, GB18030 or Big5, HTML, DOCX or PDF; \
        their metadata from --manifest, else the regions.toml next to each file), aligns \
        each with the taxonomy (--taxonomy, else the national 2017 one), and lines up the \
        second against the first: for each national requirement the closest pair of the \
        items that state it, then the items no requirement lines up paired by their own \
        words. Each line is kept (mostly the same words), reworded, added (only in B) or \
        dropped (only in A), with what changed in a pair: the obligation grade (must → \
        encouraged → may: a weakening), the deadline, the numbers, the responsible units.\n\n\
        Prints a summary and one tab-separated line per row: change, requirement or task \
        id, similarity, what changed, A's text, B's text. --csv writes the whole table \
        (both sides' item ids, byte spans, obligation words, deadlines, numbers and units; \
        docs/schema.md, `diff`).",
    after_long_help = "EXIT CODES:\n    \
        0  the comparison was printed (and written)\n    \
        1  a document, the manifest or the taxonomy could not be read, or the --csv file \
        exists (without --force), is one of the documents, or cannot be written\n    \
        2  a wrong command line\n\n\
        EXAMPLES:\n    \
        luoshi diff seeds/003_29682c494441ef65.txt seeds/004_6c8f8c4c595500ac.txt\n    \
        luoshi diff --changed --csv diff.csv A.html B.pdf"
)]
pub struct DiffArgs {
    /// The first document (A).
    #[arg(value_name = "A")]
    a: PathBuf,
    /// The second document (B), lined up against A.
    #[arg(value_name = "B")]
    b: PathBuf,
    /// A manifest to take the documents' metadata from (default: the
    /// `regions.toml` next to each file, if any).
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// A taxonomy file (TOML or JSON) both documents are aligned against,
    /// instead of the national 2017 one.
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    /// Print only the rows that are not kept unchanged.
    #[arg(long)]
    changed: bool,
    /// Write the whole table as CSV to this file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Replace the --csv file if it exists.
    #[arg(long)]
    force: bool,
}

/// Lines up the two documents and prints (and writes) the comparison.
pub fn run(args: &DiffArgs) -> Result<u8, Error> {
    if let Some(csv) = &args.csv {
        check_output(csv, &[&args.a, &args.b], args.force)?;
    }
    let builder = Pipeline::builder();
    let builder = match &args.taxonomy {
        Some(p) => builder.taxonomy_file(p),
        None => builder.taxonomy(Taxonomy::national_2017()),
    };
    let pipeline = builder.build()?;
    let mut reports = Vec::with_capacity(2);
    for file in [&args.a, &args.b] {
        let meta = meta_for(file, args.manifest.as_deref())?;
        reports.push(pipeline.align_file(file, meta)?);
    }
    let (a, b) = (&reports[0], &reports[1]);
    let diff = Analyst::new(pipeline.taxonomy())
        .diff((&a.document, &a.alignment), (&b.document, &b.alignment))
        .map_err(luoshi::luoshi_report::Error::from)?;
    let taxonomy = pipeline.taxonomy();
    outln!("{}", summary(&diff));
    for row in &diff.rows {
        if !(args.changed && row.change == Change::Kept && changes(row).is_empty()) {
            outln!("{}", line(taxonomy, row));
        }
    }
    if let Some(csv) = &args.csv {
        write_csv(csv, &diff_table(taxonomy, &diff)?, false)?;
    }
    Ok(0)
}

/// Refuses an output file that is one of the inputs (even with
/// `--force`), or that exists without `--force`, before any work.
fn check_output(csv: &Path, inputs: &[&Path], force: bool) -> Result<(), Error> {
    let same = |p: &Path| match (csv.canonicalize(), p.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    };
    if inputs.iter().any(|p| same(p)) {
        return Err(Error::Usage {
            message: format!(
                "--csv {}: is one of the documents compared; expected a new file",
                csv.display()
            ),
        });
    }
    if csv.exists() && !force {
        return Err(Error::Exists {
            path: csv.to_path_buf(),
        });
    }
    Ok(())
}

/// `# A → B: …` with the counts of each change.
fn summary(diff: &DocumentDiff) -> String {
    let count = |f: &dyn Fn(&DiffRow) -> bool| diff.rows.iter().filter(|r| f(r)).count();
    format!(
        "# {} → {}: {} kept, {} reworded, {} added, {} dropped; obligation weaker in {}, stronger in {}; deadline changed in {}, numbers in {}, units in {}",
        diff.a,
        diff.b,
        diff.count(Change::Kept),
        diff.count(Change::Reworded),
        diff.count(Change::Added),
        diff.count(Change::Dropped),
        count(&|r| r.weakened()),
        count(&|r| r.obligation.is_some() && !r.weakened()),
        count(&|r| r.deadline.is_some()),
        count(&|r| r.numbers.is_some()),
        count(&|r| r.units.is_some()),
    )
}

/// What changed in a pair, in words (`obligation must → may; deadline
/// changed`); empty when nothing did.
fn changes(row: &DiffRow) -> String {
    let mut out = Vec::new();
    if let Some((a, b)) = row.obligation {
        out.push(format!("obligation {} → {}", a.as_str(), b.as_str()));
    }
    for (what, shift) in [
        ("deadline", row.deadline),
        ("numbers", row.numbers),
        ("units", row.units),
    ] {
        if let Some(s) = shift {
            out.push(format!("{what} {}", s.as_str()));
        }
    }
    out.join("; ")
}

/// One tab-separated line: change, id, similarity, changes, A, B.
fn line(taxonomy: &Taxonomy, row: &DiffRow) -> String {
    let id = row
        .requirement
        .as_deref()
        .or(row.task.as_deref())
        .map(|id| taxonomy.table_id(id).unwrap_or_else(|| id.to_string()))
        .unwrap_or_else(|| "-".to_string());
    let sim = row
        .similarity
        .map_or_else(|| "-".to_string(), |s| format!("{s:.2}"));
    let text = |side: Option<&luoshi::luoshi_analysis::Side>| {
        side.map_or_else(|| "-".to_string(), |s| s.text.replace(['\t', '\n'], " "))
    };
    let changed = changes(row);
    format!(
        "{}\t{id}\t{sim}\t{}\t{}\t{}",
        row.change.as_str(),
        if changed.is_empty() { "-" } else { &changed },
        text(row.a.as_ref()),
        text(row.b.as_ref()),
    )
}
