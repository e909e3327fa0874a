//! Ingestion speed: a 10 MB document made of the seeds, and pathological
//! input (one long line without punctuation, one repeated character,
//! deeply nested brackets) at growing sizes, to show time grows linearly.
//! Run with `cargo bench --no-default-features --bench ingest`.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use luoshi::luoshi_core::{DocumentMeta, IngestOptions, Taxonomy, ingest_text};

fn seeds_text() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("seeds")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("seed"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ten_megabytes(c: &mut Criterion) {
    let opts = IngestOptions::builder()
        .taxonomy_titles(&Taxonomy::national_2017())
        .build()
        .expect("options");
    let seeds = seeds_text();
    let mut text = String::new();
    while text.len() < 10_000_000 {
        text.push_str(&seeds);
        text.push('\n');
    }
    let mut g = c.benchmark_group("ingest");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("seeds_10MB", |b| {
        b.iter(|| {
            let doc = ingest_text(
                black_box(text.clone()),
                DocumentMeta::for_file("big.txt".as_ref()),
                &opts,
            );
            assert!(doc.items.len() > 10_000);
        })
    });
    g.finish();
}

fn pathological(c: &mut Criterion) {
    let opts = IngestOptions::new();
    let mut g = c.benchmark_group("pathological");
    g.sample_size(10);
    type Shape = (&'static str, fn(usize) -> String);
    let shapes: [Shape; 3] = [
        ("one_line_no_punctuation", |n| "政务公开工作".repeat(n / 18)),
        ("one_repeated_char", |n| "公".repeat(n / 3)),
        ("nested_brackets", |n| {
            "（".repeat(n / 6) + &"）".repeat(n / 6)
        }),
    ];
    for (name, make) in shapes {
        for mb in [1usize, 2, 4] {
            let text = make(mb * 1_000_000);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(
                BenchmarkId::new(name, format!("{mb}MB")),
                &text,
                |b, text| {
                    b.iter(|| {
                        let doc = ingest_text(
                            text.clone(),
                            DocumentMeta::for_file("x.txt".as_ref()),
                            &opts,
                        );
                        assert!(!doc.items.is_empty());
                    })
                },
            );
        }
    }
    g.finish();
}

criterion_group!(benches, ten_megabytes, pathological);
criterion_main!(benches);
