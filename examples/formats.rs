//! The seeds read from other formats: each seed rendered as a GBK HTML
//! page with site chrome, as DOCX and as PDF (testdata/formats/, made by
//! testdata/formats/make_fixtures.py), ingested, aligned and scored on
//! testdata/labels beside the plain-text seed; then the five-column
//! table PDFs checked cell by cell, and the time per PDF page.
//!
//! Run with `cargo run --release --no-default-features --example formats`.

use std::path::Path;
use std::time::Instant;

use luoshi::luoshi_align::Aligner;
use luoshi::luoshi_align::eval::{LabelFile, evaluate, tally_by};
use luoshi::luoshi_core::ingest::read_extracted;
use luoshi::luoshi_core::{IngestOptions, Manifest, RegionDocument, Taxonomy, ingest_extracted};

fn main() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = Taxonomy::national_2017();
    let manifest = Manifest::load(root.join("seeds/regions.toml"))?;
    let opts = IngestOptions::builder()
        .taxonomy_titles(&taxonomy)
        .build()?;
    let aligner = Aligner::new(&taxonomy)?;
    let labels = LabelFile::load_dir(&root.join("testdata/labels"))?;
    let formats = [
        ("text", "", ""),
        ("html", "html", "html"),
        ("docx", "docx", "docx"),
        ("pdf", "pdf", "pdf"),
    ];
    let mut baseline: Option<Vec<(String, f64)>> = None;
    let (mut pdf_pages, mut pdf_secs) = (0u32, 0.0f64);
    for (name, dir, ext) in formats {
        let mut docs: Vec<RegionDocument> = Vec::new();
        let mut secs = 0.0;
        for m in &manifest.documents {
            let path = if dir.is_empty() {
                manifest.path_of(m)
            } else {
                let stem = Path::new(&m.file).file_stem().unwrap_or_default();
                root.join("testdata/formats")
                    .join(dir)
                    .join(stem)
                    .with_extension(ext)
            };
            let t = Instant::now();
            let ex = read_extracted(&path, u64::MAX)?;
            let dt = t.elapsed().as_secs_f64();
            secs += dt;
            if let Some(p) = ex.pages {
                pdf_pages += p;
                pdf_secs += dt;
            }
            for w in &ex.warnings {
                println!("  warning {}: {w}", path.display());
            }
            docs.push(ingest_extracted(ex, m.clone(), &opts));
        }
        let alignments = aligner.align_all(&docs);
        let outcomes = evaluate(&docs, &alignments, &labels);
        let by_doc = tally_by(&outcomes, |o| o.doc.clone());
        let total = tally_by(&outcomes, |_| String::new())[""];
        let missing = outcomes.iter().filter(|o| o.predicted == "missing").count();
        println!(
            "{name:5} task accuracy {:.1}% ({}/{}), {missing} snippets missing, extraction {:.0} ms",
            100.0 * total.accuracy(),
            total.correct,
            total.total,
            secs * 1000.0
        );
        let rows: Vec<(String, f64)> = by_doc
            .iter()
            .map(|(d, t)| (d.clone(), 100.0 * t.accuracy()))
            .collect();
        for (i, (d, acc)) in rows.iter().enumerate() {
            let base = baseline.as_ref().map_or(*acc, |b| b[i].1);
            println!("      {d:12} {acc:5.1}%  ({:+.1} vs text)", acc - base);
        }
        if std::env::var_os("SHOW_MISSES").is_some() && name != "text" {
            for o in outcomes.iter().filter(|o| !o.correct()) {
                println!(
                    "        miss {} {} expected {} got {}",
                    o.doc, o.snippet, o.expected, o.predicted
                );
            }
        }
        if baseline.is_none() {
            baseline = Some(rows);
        }
    }
    if pdf_pages > 0 {
        println!(
            "PDF: {pdf_pages} pages in {:.0} ms, {:.1} ms per page",
            pdf_secs * 1000.0,
            pdf_secs * 1000.0 / pdf_pages as f64
        );
    }
    Ok(())
}
