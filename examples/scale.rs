//! Alignment at national scale: generates N synthetic statements (first
//! argument, default 1,000,000) from the embedded taxonomy with the seeds'
//! damage patterns, then ingests and aligns them with the default
//! settings, and reports throughput, peak memory and task accuracy against
//! the generator's ground truth. On a sample of the same statements it
//! times exhaustive scoring (every statement against every requirement)
//! with strsim's normalized Levenshtein and with rapidfuzz's batch
//! comparator, beside the indexed aligner, so each speed-up is a ratio
//! measured side by side.
//!
//! ```text
//! cargo run --release --example scale -- 1000000
//! ```
//!
//! The last line reads
//! `scale: N items in T s = R items/s; exhaustive strsim X items/s (A x slower); rapidfuzz Y items/s (B x slower); task accuracy P%; peak RSS M MB`.

use std::time::Instant;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use luoshi::Pipeline;
use luoshi::luoshi_align::eval::predicted_task;
use luoshi::luoshi_align::normalize::{NormText, Normalizer};
use luoshi::luoshi_align::synth::{SynthConfig, SynthDoc, generate};
use luoshi::luoshi_align::{HeadingEvidence, Status};
use luoshi::luoshi_core::ingest::ItemId;
use luoshi::luoshi_core::{DocumentMeta, ingest_text};
use luoshi_cli::outln;
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    /// Number of statements to generate and align.
    #[arg(default_value_t = 1_000_000)]
    items: usize,
    /// Statements in the side-by-side sample for the exhaustive scorers
    /// (0: throughput alone, no side-by-side rates).
    #[arg(long, default_value_t = 2_000)]
    sample: usize,
    /// Generator seed.
    #[arg(long, default_value_t = 2017)]
    seed: u64,
}

/// Timed passes per side-by-side rate (the best counts).
const ROUNDS: usize = 5;
/// Shortest timed pass.
const MIN_PASS: std::time::Duration = std::time::Duration::from_millis(200);

/// Below this best similarity an exhaustive scorer calls a statement an
/// extension (the same role as the aligner's task threshold).
const EXHAUSTIVE_EXTENSION_BELOW: f64 = 0.3;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn expected(t: &Option<String>) -> String {
    t.clone().unwrap_or_else(|| "extension".into())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let pipeline = Pipeline::builder().build()?;
    let (taxonomy, aligner, opts) = (
        pipeline.taxonomy(),
        pipeline.aligner(),
        pipeline.ingest_options(),
    );

    let t0 = Instant::now();
    let docs: Vec<SynthDoc> = generate(
        taxonomy,
        args.items,
        &SynthConfig {
            seed: args.seed,
            ..SynthConfig::default()
        },
    );
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    // The side-by-side sample: the first statements of the corpus.
    let sample: Vec<(String, String, String)> = docs
        .iter()
        .flat_map(|d| {
            d.truth.iter().map(move |t| {
                (
                    d.text[t.span.clone()].to_string(),
                    expected(&t.task),
                    d.region.clone(),
                )
            })
        })
        .take(args.sample)
        .collect();
    eprintln!(
        "generated {} statements in {} documents ({:.1} MB) in {:.1} s",
        args.items,
        docs.len(),
        bytes as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );

    // Ingest + align everything, in parallel over documents.
    let bar = ProgressBar::new(docs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed_precise} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let start = Instant::now();
    let (correct, total) = docs
        .into_par_iter()
        .map(|d| {
            let mut meta = DocumentMeta::for_file(d.name.as_ref());
            meta.region = d.region.clone();
            let doc = ingest_text(d.text, meta, opts);
            let al = aligner.align_document(&doc);
            let correct = d
                .truth
                .iter()
                .filter(|t| predicted_task(&doc, &al, t.span.start) == expected(&t.task))
                .count();
            bar.inc(1);
            (correct, d.truth.len())
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let secs = start.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let rate = args.items as f64 / secs;
    let accuracy = 100.0 * correct as f64 / total.max(1) as f64;
    eprintln!(
        "indexed: {} statements in {secs:.2} s = {rate:.0} items/s, {:.1} MB/s; task accuracy {accuracy:.1}%",
        args.items,
        bytes as f64 / 1e6 / secs
    );

    // An empty sample (`--sample 0`, or a corpus of no statements) has no
    // side-by-side rates: timing passes over nothing would never end.
    if sample.is_empty() {
        outln!(
            "scale: {} items in {secs:.2} s = {rate:.0} items/s; no side-by-side sample; task accuracy {accuracy:.1}%; peak RSS {:.0} MB",
            args.items,
            peak_rss_mb()
        );
        return Ok(());
    }
    // Side by side on the sample, one thread each so ratios are per core.
    let national = Normalizer::standard(&[]);
    let reqs: Vec<(String, String)> = aligner
        .requirement_ids()
        .zip(aligner.requirement_texts())
        .map(|(id, chars)| {
            (
                id.rsplit_once('.').map_or(id, |(t, _)| t).to_string(),
                chars.iter().collect(),
            )
        })
        .collect();
    // Each rate is the best of `ROUNDS` timed passes over the sample
    // (passes of at least `MIN_PASS`, repeating the sample if needed), so
    // a moment of noise on a shared machine does not decide a ratio.
    let timed = |pass: &mut dyn FnMut() -> usize| -> (f64, usize) {
        let mut best_rate = 0.0f64;
        let mut hits = 0;
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let mut done = 0;
            while done == 0 || t.elapsed() < MIN_PASS {
                hits = pass();
                done += sample.len();
            }
            best_rate = best_rate.max(done as f64 / t.elapsed().as_secs_f64());
        }
        (best_rate, hits)
    };
    let argmax = |scores: &mut dyn Iterator<Item = f64>| {
        scores
            .enumerate()
            .fold((0, f64::MIN), |b, (i, s)| if s > b.1 { (i, s) } else { b })
    };
    let strsim_all = |s: &str| {
        argmax(
            &mut reqs
                .iter()
                .map(|(_, r)| strsim::normalized_levenshtein(s, r)),
        )
    };
    let rapidfuzz_all = |s: &str| {
        let batch = rapidfuzz::distance::levenshtein::BatchComparator::new(s.chars());
        argmax(
            &mut reqs
                .iter()
                .map(|(_, r)| batch.normalized_similarity(r.chars())),
        )
    };
    let exhaustive_task = |(best, score): (usize, f64)| {
        if score < EXHAUSTIVE_EXTENSION_BELOW {
            "extension".to_string()
        } else {
            reqs[best].0.clone()
        }
    };
    let aligned_task = |a: &luoshi::luoshi_align::ItemAlignment| {
        if a.status == Status::Extension {
            "extension".to_string()
        } else {
            a.task.as_deref().unwrap_or_default().to_string()
        }
    };
    let report = |name: &str, (rate, hits): (f64, usize)| {
        let acc = 100.0 * hits as f64 / sample.len().max(1) as f64;
        eprintln!(
            "{name}: {rate:.0} items/s on one core, task accuracy {acc:.1}% on {} statements",
            sample.len()
        );
        rate
    };
    // The matching itself: every path takes the same statements,
    // normalized once beforehand (as `align_document` normalizes each
    // statement once), and is timed from there. The indexed aligner's time
    // includes candidate generation, scoring, the decision and the
    // evidence alignment; an exhaustive scorer's, its 107 comparisons.
    let normalized: Vec<(NormText, String)> = sample
        .iter()
        .map(|(s, _, _)| {
            let n = national.normalize(s);
            let text = n.as_string();
            (n, text)
        })
        .collect();
    let strsim_rate = report(
        "exhaustive strsim normalized Levenshtein",
        timed(&mut || {
            (normalized.iter().zip(&sample))
                .filter(|((_, n), (_, e, _))| &exhaustive_task(strsim_all(n)) == e)
                .count()
        }),
    );
    let rapid_rate = report(
        "exhaustive rapidfuzz Levenshtein (batch)",
        timed(&mut || {
            (normalized.iter().zip(&sample))
                .filter(|((_, n), (_, e, _))| &exhaustive_task(rapidfuzz_all(n)) == e)
                .count()
        }),
    );
    let mut scratch = aligner.scratch();
    let no_heading = HeadingEvidence::default();
    let indexed_rate = report(
        "indexed aligner",
        timed(&mut || {
            (normalized.iter().zip(&sample))
                .filter(|((n, _), (raw, e, _))| {
                    let a = aligner.align_normalized(
                        ItemId(0),
                        n,
                        None,
                        &no_heading,
                        raw,
                        &mut scratch,
                    );
                    &aligned_task(&a) == e
                })
                .count()
        }),
    );
    // The same with normalization inside each timed path (shared work,
    // which narrows the ratios).
    let with_norm = |f: &dyn Fn(&str) -> (usize, f64)| {
        timed(&mut || {
            sample
                .iter()
                .filter(|(s, e, _)| &exhaustive_task(f(&national.normalize(s).as_string())) == e)
                .count()
        })
        .0
    };
    let strsim_norm = with_norm(&strsim_all);
    let rapid_norm = with_norm(&rapidfuzz_all);
    let indexed_norm = timed(&mut || {
        sample
            .iter()
            .filter(|(s, e, _)| &aligned_task(&aligner.align_text_with(s, &mut scratch)) == e)
            .count()
    })
    .0;
    eprintln!(
        "with normalization timed in every path: indexed {indexed_norm:.0}, strsim {strsim_norm:.0} ({:.1} x), rapidfuzz {rapid_norm:.0} ({:.1} x) items/s",
        indexed_norm / strsim_norm,
        indexed_norm / rapid_norm
    );
    outln!(
        "scale: {} items in {secs:.2} s = {rate:.0} items/s; exhaustive strsim {strsim_rate:.0} items/s ({:.1} x slower); rapidfuzz {rapid_rate:.0} items/s ({:.1} x slower); task accuracy {accuracy:.1}%; peak RSS {:.0} MB",
        args.items,
        indexed_rate / strsim_rate,
        indexed_rate / rapid_rate,
        peak_rss_mb()
    );
    Ok(())
}
