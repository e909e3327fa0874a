//! Prints the items of a regional document, one per line, so a researcher
//! can inspect segmentation:
//!
//! ```text
//! cargo run --example ingest -- seeds/004_6c8f8c4c595500ac.txt
//! ```
//!
//! Each line: item id, kind (with the item it repeats), byte span, row
//! number, heading path, units, deadline, and the statement text (the raw
//! text less lifted splices; boilerplate shows its raw text).

mod support;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use luoshi::luoshi_core::ingest::{ItemKind, ingest_file, suspected_splices};
use luoshi::luoshi_core::{DocumentMeta, IngestOptions, Manifest, Taxonomy};

#[derive(Parser)]
#[command(about = "Print the items luoshi finds in a regional document")]
struct Args {
    /// The document: text (UTF-8, UTF-16, GB18030, Big5), HTML, DOCX or PDF.
    file: PathBuf,
    /// A manifest to take the document's metadata from (default: the
    /// `regions.toml` next to the file, if any).
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// Show only items of this kind (requirement, heading, boilerplate, duplicate).
    #[arg(long)]
    kind: Option<String>,
}

fn main() -> ExitCode {
    match print_items(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => support::fail(&e),
    }
}

fn print_items(args: &Args) -> luoshi::luoshi_core::Result<()> {
    let manifest_path = args.manifest.clone().or_else(|| {
        let p = args.file.parent()?.join("regions.toml");
        p.is_file().then_some(p)
    });
    let meta = match manifest_path {
        Some(p) => Manifest::load(&p)?
            .entry_for(&args.file)
            .cloned()
            .unwrap_or_else(|| DocumentMeta::for_file(&args.file)),
        None => DocumentMeta::for_path(&args.file)?,
    };
    // Area and task titles of the national taxonomy are lifted out of
    // statements when a PDF table spliced them in.
    let opts = IngestOptions::builder()
        .taxonomy_titles(&Taxonomy::national_2017())
        .build()?;
    let doc = ingest_file(&args.file, meta, &opts)?;
    let [req, head, boil, dup] = doc.kind_counts();
    let spliced = doc
        .requirements()
        .filter(|i| suspected_splices(&doc.body(i)) > 0)
        .count();
    let lifted = doc.requirements().filter(|i| !i.splices.is_empty()).count();
    outln!(
        "# {} ({}, {} bytes): {} items = {req} requirement, {head} heading, {boil} boilerplate, {dup} duplicate; \
         splices lifted from {lifted} requirements, suspected splices left in {spliced}",
        doc.meta.label,
        doc.encoding,
        doc.text.len(),
        doc.items.len()
    );
    for item in &doc.items {
        if args
            .kind
            .as_deref()
            .is_some_and(|k| k != item.kind.as_str())
        {
            continue;
        }
        let kind = match item.kind {
            ItemKind::Duplicate { of } => format!("duplicate of {of}"),
            k => k.as_str().to_string(),
        };
        let text = if item.body.is_empty() {
            doc.raw(item).to_string()
        } else {
            doc.body(item)
        };
        outln!(
            "{}\t{}\t{}..{}\trow={}\t[{}]\tunits={}\tdeadline={}\t{}",
            item.id,
            kind,
            item.span.start,
            item.span.end,
            item.row.map(|r| r.to_string()).unwrap_or_default(),
            item.heading_path.join(" > "),
            item.units.join("、"),
            item.deadline.as_deref().unwrap_or(""),
            text.replace(['\t', '\n'], " ")
        );
    }
    Ok(())
}
