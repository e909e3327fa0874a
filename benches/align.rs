//! Alignment speed.
//!
//! 1. `scorers`: one statement against one requirement, every scorer, on
//!    real seed statements (strsim baselines beside ours).
//! 2. `one_vs_taxonomy`: one statement against every requirement:
//!    exhaustive strsim normalized Levenshtein vs the indexed aligner.
//! 3. `end_to_end`: ingest + align synthetic corpora of 10^3, 10^4, 10^5
//!    statements, throughput in statements and bytes.
//!
//! Each benchmark checks its result inside the loop, so it cannot time a
//! broken path. Run with `cargo bench --no-default-features --bench align`.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use luoshi::Pipeline;
use luoshi::luoshi_align::Status;
use luoshi::luoshi_align::normalize::Normalizer;
use luoshi::luoshi_align::scorer::{
    Containment, JaroWinkler, Levenshtein, Similarity, SmithWaterman, SorensenDice,
};
use luoshi::luoshi_align::synth::{SynthConfig, generate};
use luoshi::luoshi_core::{DocumentMeta, Manifest, ingest_file, ingest_text};

/// Normalized requirement statements of 通辽 2017 paired with the text of
/// the requirement the aligner matches them to.
fn seed_pairs(pipeline: &Pipeline) -> Vec<(String, String)> {
    let (aligner, taxonomy) = (pipeline.aligner(), pipeline.taxonomy());
    let manifest = Manifest::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/regions.toml"))
        .expect("manifest");
    let meta = manifest
        .documents
        .iter()
        .find(|d| d.file.starts_with("004"))
        .expect("seed 004")
        .clone();
    let doc = ingest_file(
        &manifest.path_of(&meta),
        meta.clone(),
        pipeline.ingest_options(),
    )
    .expect("seed");
    let n = Normalizer::standard(&meta.place_names());
    let al = aligner.align_document(&doc);
    al.items
        .iter()
        .filter_map(|a| {
            let req = a.requirement.as_ref()?;
            let text = n
                .normalize(&doc.body(&doc.items[a.item.0 as usize]))
                .as_string();
            Some((
                text,
                n.normalize(&taxonomy.lookup(req).ok()?.text).as_string(),
            ))
        })
        .take(40)
        .collect()
}

fn scorers(c: &mut Criterion) {
    let pipeline = Pipeline::builder().build().expect("pipeline");
    let pairs = seed_pairs(&pipeline);
    let containment = Containment::new(pipeline.aligner().index().clone());
    let all: [&dyn Similarity; 5] = [
        &Levenshtein,
        &SorensenDice,
        &JaroWinkler,
        &containment,
        &SmithWaterman::default(),
    ];
    let mut g = c.benchmark_group("scorers");
    g.throughput(Throughput::Elements(pairs.len() as u64));
    for s in all {
        g.bench_function(s.name(), |b| {
            b.iter(|| {
                for (item, req) in &pairs {
                    let v = s.normalized_similarity(black_box(item), black_box(req));
                    assert!((0.0..=1.0).contains(&v));
                }
            })
        });
    }
    g.finish();
}

fn one_vs_taxonomy(c: &mut Criterion) {
    let pipeline = Pipeline::builder().build().expect("pipeline");
    let pairs = seed_pairs(&pipeline);
    let aligner = pipeline.aligner();
    let reqs: Vec<String> = aligner
        .requirement_texts()
        .map(|r| r.iter().collect())
        .collect();
    let mut g = c.benchmark_group("one_vs_taxonomy");
    g.throughput(Throughput::Elements(pairs.len() as u64));
    g.bench_function("exhaustive_strsim_levenshtein", |b| {
        b.iter(|| {
            for (item, _) in &pairs {
                let best = reqs
                    .iter()
                    .map(|r| strsim::normalized_levenshtein(item, r))
                    .fold(0.0, f64::max);
                assert!((0.0..=1.0).contains(&best));
            }
        })
    });
    let mut scratch = aligner.scratch();
    g.bench_function("indexed_containment", |b| {
        b.iter(|| {
            for (item, _) in &pairs {
                let chars: Vec<char> = item.chars().collect();
                let scores = aligner.requirement_scores(black_box(&chars), &mut scratch);
                assert!(!scores.is_empty());
            }
        })
    });
    g.bench_function("indexed_aligner_full_decision", |b| {
        b.iter(|| {
            for (item, _) in &pairs {
                let a = aligner.align_text_with(black_box(item), &mut scratch);
                assert_eq!(a.status, Status::Matched);
            }
        })
    });
    g.finish();
}

fn end_to_end(c: &mut Criterion) {
    let pipeline = Pipeline::builder().build().expect("pipeline");
    let (taxonomy, aligner, opts) = (
        pipeline.taxonomy(),
        pipeline.aligner(),
        pipeline.ingest_options(),
    );
    let mut g = c.benchmark_group("end_to_end");
    g.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let docs = generate(taxonomy, n, &SynthConfig::default());
        let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::new("ingest_align_items", n),
            &docs,
            |b, docs| {
                b.iter(|| {
                    use rayon::prelude::*;
                    let aligned: usize = docs
                        .par_iter()
                        .map(|d| {
                            let doc = ingest_text(
                                d.text.clone(),
                                DocumentMeta::for_file(d.name.as_ref()),
                                opts,
                            );
                            aligner.align_document(&doc).items.len()
                        })
                        .sum();
                    assert!(aligned >= n * 9 / 10, "{aligned} of {n} statements aligned");
                })
            },
        );
        let _ = bytes;
    }
    g.finish();
}

criterion_group!(benches, scorers, one_vs_taxonomy, end_to_end);
criterion_main!(benches);
