//! Prints the items of a regional document, one per line, so a researcher
//! can inspect segmentation:
//!
//! ```text
//! cargo run --example ingest -- seeds/004_6c8f8c4c595500ac.txt
//! ```
//!
//! Each line: item id, kind (with the item it repeats), byte span, row
//! number, heading path, units, deadline, and the statement text (the raw
//! text less lifted splices; boilerplate shows its raw text). The lines
//! are written by `luoshi::inspect`, shared with `luoshi ingest`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use luoshi::inspect::{header, item_line, meta_for};
use luoshi::luoshi_core::ingest::ingest_file;
use luoshi::luoshi_core::{IngestOptions, Taxonomy};
use luoshi_cli::{out, outln};

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
        Err(e) => out::fail(&e),
    }
}

fn print_items(args: &Args) -> luoshi::Result<()> {
    let meta = meta_for(&args.file, args.manifest.as_deref())?;
    // Area and task titles of the national taxonomy are lifted out of
    // statements when a PDF table spliced them in.
    let opts = IngestOptions::builder()
        .taxonomy_titles(&Taxonomy::national_2017())
        .build()?;
    let doc = ingest_file(&args.file, meta, &opts)?;
    outln!("{}", header(&doc));
    for item in &doc.items {
        if args.kind.as_deref().is_none_or(|k| k == item.kind.as_str()) {
            outln!("{}", item_line(&doc, item));
        }
    }
    Ok(())
}
