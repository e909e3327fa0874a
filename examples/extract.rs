//! Extracts the text of documents of any supported format (plain text,
//! HTML, DOCX, PDF) and prints it, or with `--summary` one line per file:
//! format, encoding, pages, blocks, warnings and the time taken.
//!
//! ```text
//! cargo run --example extract -- testdata/formats/table5.pdf
//! cargo run --example extract -- --summary testdata/formats/pdf/*.pdf
//! ```

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use luoshi::luoshi_core::ingest::read_extracted;
use luoshi_cli::{out, outln};

#[derive(Parser)]
#[command(about = "Print the text luoshi extracts from documents")]
struct Args {
    /// The documents.
    files: Vec<PathBuf>,
    /// One summary line per file instead of the text.
    #[arg(long)]
    summary: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    for f in &args.files {
        let t = Instant::now();
        match read_extracted(f, u64::MAX) {
            Ok(ex) if args.summary => {
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                let per_page = ex
                    .pages
                    .map(|p| format!(", {:.1} ms/page", ms / f64::from(p.max(1))))
                    .unwrap_or_default();
                outln!(
                    "{}\t{}\t{}\tpages {}\tblocks {}\t{:.1} ms{per_page}\t{}",
                    f.display(),
                    ex.format,
                    ex.encoding,
                    ex.pages.map_or("-".into(), |p| p.to_string()),
                    ex.blocks.len(),
                    ms,
                    ex.warnings.join("; ")
                );
            }
            Ok(ex) => out::print(format_args!("{}", ex.text)),
            Err(e) => outln!("{}\terror: {e}", f.display()),
        }
    }
    Ok(())
}
