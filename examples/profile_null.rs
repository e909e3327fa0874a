//! How long a chance alignment with the national text gets: the null
//! distribution behind the profile's `min_passage` and `copy_run`
//! (CALIBRATION.md, "Profile thresholds").
//!
//! Every requirement item of the development sets a and b (not the
//! seeds, whose hand counts test the profile; not the held-out set c) is
//! aligned with every national requirement of another area than its
//! nearest requirement's: texts it cannot restate. For each pair, the
//! length of the Smith–Waterman passage (in the item's normalized
//! characters) and of the longest common substring; the percentiles of
//! both. A threshold above the 99th percentile keeps chance passages out
//! of fidelity and copy share.
//!
//! ```sh
//! cargo run --release --example profile_null
//! ```

use std::path::Path;

use anyhow::Result;
use luoshi::luoshi_align::normalize::Normalizer;
use luoshi::luoshi_align::scorer::{SmithWaterman, SwBuffers};
use luoshi::luoshi_align::{Aligner, Status};
use luoshi::luoshi_core::{IngestOptions, Manifest, NodeKind, Taxonomy, ingest_file};

fn longest_common(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    let mut prev = vec![0usize; b.len() + 1];
    for &x in a {
        let mut row = vec![0usize; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            if x == y {
                row[j + 1] = prev[j] + 1;
                best = best.max(row[j + 1]);
            }
        }
        prev = row;
    }
    best
}

fn percentile(v: &mut [usize], p: f64) -> usize {
    v.sort_unstable();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn main() -> Result<()> {
    let taxonomy = Taxonomy::national_2017();
    let aligner = Aligner::new(&taxonomy)?;
    let opts = IngestOptions::builder()
        .taxonomy_titles(&taxonomy)
        .build()?;
    let national = Normalizer::standard(&[]);
    let area_of = |id: &str| id.split('.').next().unwrap_or("").to_string();
    let reqs: Vec<(String, Vec<char>)> = taxonomy
        .of_kind(NodeKind::Requirement)
        .map(|r| {
            let n = taxonomy.node(r);
            (n.id.clone(), national.normalize(&n.text).chars)
        })
        .collect();
    let (mut passages, mut runs) = (Vec::new(), Vec::new());
    let sw = SmithWaterman::default();
    let mut buffers = SwBuffers::default();
    let mut items = 0;
    for set in ["a", "b"] {
        let dir = Path::new("testdata/dev").join(set);
        let path = dir.join("regions.toml");
        let manifest =
            Manifest::from_toml_str(&std::fs::read_to_string(&path)?, &path, dir.join("docs"))?;
        for m in &manifest.documents {
            let doc = ingest_file(&manifest.path_of(m), m.clone(), &opts)?;
            let al = aligner.align_document(&doc);
            let normalizer = Normalizer::standard(&doc.meta.place_names());
            for a in al
                .items
                .iter()
                .filter(|a| a.status != Status::Extension || a.nearest.is_some())
            {
                let Some(near) = &a.nearest else { continue };
                let item = &doc.items[a.item.0 as usize];
                let norm = normalizer.normalize(&doc.body(item)).chars;
                items += 1;
                for (id, text) in reqs
                    .iter()
                    .filter(|(id, _)| area_of(id) != area_of(&near.id))
                {
                    let _ = id;
                    let al = sw.align_with(&norm, text, None, &mut buffers);
                    passages.push(if al.score > 0 { al.a.len() } else { 0 });
                    runs.push(longest_common(&norm, text));
                }
            }
        }
    }
    println!(
        "{items} items, {} pairs with requirements of another area",
        passages.len()
    );
    for p in [0.5, 0.9, 0.95, 0.99, 0.995, 0.999] {
        println!(
            "percentile {p}: passage {} chars, longest common run {} chars",
            percentile(&mut passages, p),
            percentile(&mut runs, p)
        );
    }
    Ok(())
}
