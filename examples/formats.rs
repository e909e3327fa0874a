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
use luoshi_cli::outln;

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
                outln!("  warning {}: {w}", path.display());
            }
            docs.push(ingest_extracted(ex, m.clone(), &opts));
        }
        let alignments = aligner.align_all(&docs);
        let outcomes = evaluate(&docs, &alignments, &labels);
        let by_doc = tally_by(&outcomes, |o| o.doc.clone());
        let total = tally_by(&outcomes, |_| String::new())[""];
        let missing = outcomes.iter().filter(|o| o.predicted == "missing").count();
        outln!(
            "{name:5} task accuracy {:.1}% ({}/{}), {missing} snippets missing, extraction {:.0} ms",
            100.0 * total.accuracy().unwrap_or(f64::NAN),
            total.correct,
            total.total,
            secs * 1000.0
        );
        let rows: Vec<(String, f64)> = by_doc
            .iter()
            .map(|(d, t)| (d.clone(), 100.0 * t.accuracy().unwrap_or(f64::NAN)))
            .collect();
        for (i, (d, acc)) in rows.iter().enumerate() {
            let base = baseline.as_ref().map_or(*acc, |b| b[i].1);
            outln!("      {d:12} {acc:5.1}%  ({:+.1} vs text)", acc - base);
        }
        if std::env::var_os("SHOW_MISSES").is_some() && name != "text" {
            for o in outcomes.iter().filter(|o| !o.correct()) {
                outln!(
                    "        miss {} {} expected {} got {}",
                    o.doc,
                    o.snippet,
                    o.expected,
                    o.predicted
                );
            }
        }
        if baseline.is_none() {
            baseline = Some(rows);
        }
    }
    if pdf_pages > 0 {
        outln!(
            "PDF: {pdf_pages} pages in {:.0} ms, {:.1} ms per page",
            pdf_secs * 1000.0,
            pdf_secs * 1000.0 / pdf_pages as f64
        );
    }
    compare_pdf_readers(root, &manifest, &labels)?;
    Ok(())
}

/// The PDF readers side by side: luoshi's positional reading (its own
/// interpreter over lopdf), lopdf's `extract_text` (content-stream order),
/// and poppler's `pdftotext` (default, `-raw` and `-layout`) when
/// installed. For each: labelled snippets found in the seed PDFs (spaces
/// and line breaks ignored), interleaved cells in the two five-column
/// table PDFs, and the time per page.
fn compare_pdf_readers(
    root: &Path,
    manifest: &Manifest,
    labels: &[LabelFile],
) -> anyhow::Result<()> {
    type Reader = fn(&Path) -> Option<String>;
    let readers: [(&str, Reader); 5] = [
        ("luoshi (glyph positions over lopdf)", |p| {
            read_extracted(p, u64::MAX).ok().map(|e| e.text)
        }),
        ("lopdf extract_text", |p| {
            let doc = lopdf::Document::load(p).ok()?;
            let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
            doc.extract_text(&pages).ok()
        }),
        ("poppler pdftotext", |p| pdftotext(p, &[])),
        ("poppler pdftotext -raw", |p| pdftotext(p, &["-raw"])),
        ("poppler pdftotext -layout", |p| pdftotext(p, &["-layout"])),
    ];
    let json = std::fs::read_to_string(root.join("testdata/formats/table5.json"))?;
    let rows: Vec<Vec<String>> = serde_json::from_str(&json)?;
    let cells: Vec<String> = rows
        .into_iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .collect();
    outln!(
        "\nPDF readers: labelled snippets found in the seed PDFs; cells of the five-column table (written cell by cell, and line by line) interleaved with other text or broken over lines; time per page"
    );
    for (name, read) in readers {
        let (mut found, mut total, mut pages, mut secs, mut failed) = (0, 0, 0u32, 0.0, false);
        for m in &manifest.documents {
            let path = root
                .join("testdata/formats/pdf")
                .join(Path::new(&m.file).with_extension("pdf"));
            let t = Instant::now();
            let Some(text) = read(&path) else {
                failed = true;
                break;
            };
            secs += t.elapsed().as_secs_f64();
            pages += lopdf::Document::load(&path)
                .map(|d| d.get_pages().len() as u32)
                .unwrap_or(0);
            let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            for lf in labels.iter().filter(|l| l.seed == m.file) {
                for l in &lf.label {
                    total += 1;
                    let snippet: String =
                        l.snippet.chars().filter(|c| !c.is_whitespace()).collect();
                    found += usize::from(flat.contains(&snippet));
                }
            }
        }
        if failed {
            outln!("  {name:40} not available");
            continue;
        }
        let inter: Vec<String> = ["table5.pdf", "table5_lines.pdf"]
            .iter()
            .map(|f| {
                read(&root.join("testdata/formats").join(f))
                    .map(|t| {
                        let (i, b) = interleaved(&t, &cells);
                        format!("{i} interleaved, {b} broken")
                    })
                    .unwrap_or_else(|| "-".into())
            })
            .collect();
        outln!(
            "  {name:40} {found}/{total} snippets; cells of {}: by cell {}, by line {}; {:.1} ms/page",
            cells.len(),
            inter[0],
            inter[1],
            secs * 1000.0 / f64::from(pages.max(1))
        );
    }
    Ok(())
}

fn pdftotext(path: &Path, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("pdftotext")
        .args(args)
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Cells not contiguous in the text with all whitespace removed (other
/// text inside them: interleaved), and cells not within one line (broken
/// into pieces, whether interleaved or not).
fn interleaved(text: &str, cells: &[String]) -> (usize, usize) {
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    let inter = cells.iter().filter(|c| !flat.contains(c.as_str())).count();
    let broken = cells
        .iter()
        .filter(|c| !lines.iter().any(|l| l.contains(c.as_str())))
        .count();
    (inter, broken)
}
