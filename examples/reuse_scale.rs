//! The search for reuse at scale (issue 24): N documents made from the
//! seeds repeated with edits (lines sampled and reordered, one character
//! in fifty changed, place names replaced), each with a few sentences of
//! its own, in a hierarchy of provinces, prefectures and counties where
//! each county copies some of its prefecture's own sentences (lightly
//! edited). They are ingested and aligned (timed apart), then profiled
//! and searched for reuse, and `reuse.csv` and `reuse_pairs.csv` written:
//! the time and peak memory of that step are what the issue asks of 3,000
//! documents (under 60 s on two cores). Numbers: CALIBRATION.md, "Reuse
//! at scale".
//!
//! ```sh
//! cargo run --release --example reuse_scale -- 750 1500 3000
//! ```

use std::time::Instant;

use anyhow::{Context, Result};
use luoshi::luoshi_align::Aligner;
use luoshi::luoshi_analysis::Analyst;
use luoshi::luoshi_analysis::plant::{Rng, repeat};
use luoshi::luoshi_core::{
    AdminLevel, Date, DocumentMeta, IngestOptions, Manifest, RegionDocument, Taxonomy, ingest_file,
    ingest_text,
};
use luoshi::luoshi_report::{Corpus, WriteOptions, write_table};

/// Peak resident memory of this process so far (VmHWM), in MB.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resident memory now (VmRSS), in MB.
fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak (Linux: 5 to clear_refs), so the next reading is the
/// peak of what follows.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A sentence of a document's own: random common ideographs.
fn own(rng: &mut Rng) -> String {
    let n = 16 + rng.below(20);
    let mut s: String = (0..n)
        .map(|_| char::from_u32(0x4E00 + rng.below(0x1500) as u32).unwrap_or('政'))
        .collect();
    s.push('。');
    s
}

/// One light edit of a copied sentence: a character changed.
fn edit(rng: &mut Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() > 8 {
        let at = c.len() / 3 + rng.below(c.len() / 3);
        c[at] = '该';
    }
    c.into_iter().collect()
}

fn corpus(seeds: &[RegionDocument], n: usize, seed: u64) -> Vec<(DocumentMeta, String)> {
    let mut rng = Rng::new(seed);
    let provinces = 31;
    let mut out: Vec<(DocumentMeta, String)> = Vec::with_capacity(n);
    // The own sentences of the latest prefecture of each province.
    let mut prefecture_own: Vec<Vec<String>> = vec![Vec::new(); provinces];
    for i in 0..n {
        let p = i % provinces;
        let k = i / provinces;
        let level = match k {
            0 => AdminLevel::Province,
            k if k % 8 == 1 => AdminLevel::Prefecture,
            _ => AdminLevel::County,
        };
        let name = format!(
            "{}{i}",
            ["省", "市", "县"][(k > 0) as usize + (k % 8 != 1 && k > 0) as usize]
        );
        let mut meta = DocumentMeta::for_file(format!("{i:05}.txt").as_ref());
        meta.label = format!("D{i:05}");
        meta.region = name.clone();
        meta.level = Some(level);
        meta.province = format!("省{p}");
        meta.year = Some(2017);
        meta.issued = Date::new(2017, 4 + (k.min(7) as u8), 1 + (i % 28) as u8).ok();
        let base = &seeds[i % seeds.len()];
        let mut text = repeat(base, &name, 0.8, 0.02, &mut rng);
        let mine: Vec<String> = (0..8).map(|_| own(&mut rng)).collect();
        for s in &mine {
            text.push_str(s);
            text.push('\n');
        }
        match level {
            AdminLevel::Prefecture => prefecture_own[p] = mine,
            AdminLevel::County => {
                let from = &prefecture_own[p];
                for _ in 0..from.len().min(4) {
                    let s = &from[rng.below(from.len())];
                    text.push_str(&edit(&mut rng, s));
                    text.push('\n');
                }
            }
            _ => {}
        }
        out.push((meta, text));
    }
    out
}

fn main() -> Result<()> {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().context("sizes are numbers of documents"))
        .collect::<Result<_>>()?;
    let sizes = if sizes.is_empty() { vec![3000] } else { sizes };
    // Several sizes: each in a process of its own, so that one size's
    // memory is not counted in the next (the allocator keeps what it had).
    let header = "documents | requirement items | statement chars | ingest+align s | profile+reuse s | tables+CSV s | reuse total s | resident before MB | peak in search MB | peak in tables MB | fingerprints | candidates | passages | pairs";
    if sizes.len() > 1 {
        println!("{header}");
        for n in sizes {
            let out = std::process::Command::new(std::env::current_exe()?)
                .arg(n.to_string())
                .output()?;
            anyhow::ensure!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            print!(
                "{}",
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .skip(1)
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
            );
        }
        return Ok(());
    }
    let taxonomy = Taxonomy::national_2017();
    let opts = IngestOptions::builder()
        .taxonomy_titles(&taxonomy)
        .build()?;
    let manifest = Manifest::load("seeds/regions.toml")?;
    let seeds: Vec<RegionDocument> = manifest
        .documents
        .iter()
        .map(|m| ingest_file(&manifest.path_of(m), m.clone(), &opts))
        .collect::<Result<_, _>>()?;
    let aligner = Aligner::new(&taxonomy)?;
    let analyst = Analyst::new(&taxonomy);
    println!(
        "documents | ingest+align s | profile+reuse s | tables+CSV s | reuse total s | resident before MB | peak in search MB | peak in tables MB | items | fingerprints | candidates | passages | pairs"
    );
    for n in sizes {
        let generated = corpus(&seeds, n, 24);
        let t = Instant::now();
        let docs: Vec<RegionDocument> = {
            use rayon::prelude::*;
            generated
                .into_par_iter()
                .map(|(meta, text)| ingest_text(text, meta, &opts))
                .collect()
        };
        let alignments = aligner.align_all(&docs);
        let aligned = t.elapsed().as_secs_f64();
        let before = rss_mb().unwrap_or(f64::NAN);
        reset_peak();
        let t = Instant::now();
        let analyses = analyst.analyse(&docs, &alignments)?;
        let searched = t.elapsed().as_secs_f64();
        let peak_search = peak_mb().unwrap_or(f64::NAN);
        reset_peak();
        let t = Instant::now();
        let corpus = Corpus {
            taxonomy: &taxonomy,
            docs: &docs,
            alignments: &alignments,
            skipped: &[],
        };
        let dir = tempfile::tempdir()?;
        for table in corpus.reuse_tables(&analyses.reuse)? {
            write_table(dir.path(), &table, WriteOptions::default())?;
        }
        let written = t.elapsed().as_secs_f64();
        let r = &analyses.reuse;
        let chars: usize = analyses.profiles.iter().map(|p| p.measures().chars).sum();
        anyhow::ensure!(!r.pairs.is_empty(), "the planted copies were found");
        println!(
            "{n} | {} | {chars} | {aligned:.1} | {searched:.1} | {written:.1} | {:.1} | {before:.0} | {peak_search:.0} | {:.0} | {} | {} | {} | {}",
            r.stats.items,
            searched + written,
            peak_mb().unwrap_or(f64::NAN),
            r.stats.fingerprints,
            r.stats.candidates,
            r.passages.len(),
            r.pairs.len()
        );
    }
    Ok(())
}
