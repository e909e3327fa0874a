//! The profile against hand counts (issue 24): 120 requirement items of
//! the seeds, judged by reading them (`testdata/profile/hand_counts.toml`,
//! written before the profile code), for unit, deadline, quantity and
//! how much restates the national text. The agreement per measure is
//! printed (CALIBRATION.md has the figures); each must be better than
//! always giving the hand counts' most common answer, and reach Cohen's
//! κ 0.6 ("substantial agreement", Landis & Koch 1977): bars fixed by
//! convention, not by today's figures.

use std::path::{Path, PathBuf};

use luoshi_align::Aligner;
use luoshi_analysis::{Analyst, ItemProfile, Restates};
use luoshi_core::{IngestOptions, ItemKind, Manifest, Taxonomy, ingest_file};
use serde::Deserialize;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(Deserialize)]
struct Fixture {
    item: Vec<Hand>,
}

#[derive(Deserialize)]
struct Hand {
    seed: String,
    snippet: String,
    unit: bool,
    deadline: bool,
    quantity: bool,
    restates: String,
}

/// The measures compared, in order.
const MEASURES: [&str; 5] = ["unit", "deadline", "quantity", "restates", "only restates"];

/// The κ a measure must reach: "substantial agreement" on Landis and
/// Koch's (1977) conventional scale.
const KAPPA: f64 = 0.6;

/// Observed agreement, the majority-answer baseline and Cohen's κ of
/// (hand, profile) answers.
fn agreement(pairs: &[(String, String)]) -> (f64, f64, f64) {
    let n = pairs.len() as f64;
    let observed = pairs.iter().filter(|(h, g)| h == g).count() as f64 / n;
    let mut classes: Vec<&String> = pairs.iter().flat_map(|(h, g)| [h, g]).collect();
    classes.sort();
    classes.dedup();
    let share = |c: &String, hand: bool| {
        pairs
            .iter()
            .filter(|(h, g)| if hand { h == c } else { g == c })
            .count() as f64
            / n
    };
    let expected: f64 = classes
        .iter()
        .map(|c| share(c, true) * share(c, false))
        .sum();
    let majority = classes.iter().map(|c| share(c, true)).fold(0.0, f64::max);
    let kappa = if expected < 1.0 {
        (observed - expected) / (1.0 - expected)
    } else {
        1.0
    };
    (observed, majority, kappa)
}

#[test]
fn profile_agrees_with_hand_counts() {
    let text = std::fs::read_to_string(root().join("testdata/profile/hand_counts.toml")).unwrap();
    let fixture: Fixture = toml::from_str(&text).unwrap();
    assert!(fixture.item.len() >= 100, "at least 100 hand-counted items");
    let taxonomy = Taxonomy::national_2017();
    let manifest = Manifest::load(root().join("seeds/regions.toml")).unwrap();
    let opts = IngestOptions::builder()
        .taxonomy_titles(&taxonomy)
        .build()
        .unwrap();
    let aligner = Aligner::new(&taxonomy).unwrap();
    let analyst = Analyst::new(&taxonomy);
    let mut seeds = Vec::new();
    for m in &manifest.documents {
        let doc = ingest_file(&manifest.path_of(m), m.clone(), &opts).unwrap();
        let al = aligner.align_document(&doc);
        let profile = analyst.profile(&doc, &al).unwrap();
        seeds.push((doc, profile));
    }
    let mut answers: [Vec<(String, String)>; 5] = Default::default();
    let mut report = String::new();
    let mut confusion = std::collections::BTreeMap::new();
    for h in &fixture.item {
        let (doc, profile) = seeds
            .iter()
            .find(|(d, _)| d.meta.file == h.seed)
            .unwrap_or_else(|| panic!("no seed {}", h.seed));
        let item = doc
            .items
            .iter()
            .find(|i| i.kind == ItemKind::Requirement && doc.raw(i).contains(&h.snippet))
            .unwrap_or_else(|| panic!("{}: no requirement item holds {:?}", h.seed, h.snippet));
        let p: &ItemProfile = profile.item(item.id).unwrap();
        let hand_restates = match h.restates.as_str() {
            "most" => Restates::Most,
            "part" => Restates::Part,
            "none" => Restates::None,
            other => panic!("{}: restates = {other:?}", h.snippet),
        };
        let hand_only = hand_restates == Restates::Most && !(h.unit || h.deadline || h.quantity);
        let pairs = [
            (h.unit.to_string(), p.unit.to_string()),
            (h.deadline.to_string(), p.deadline.to_string()),
            (
                h.quantity.to_string(),
                (!p.quantities.is_empty()).to_string(),
            ),
            (
                hand_restates.as_str().to_string(),
                p.restates().as_str().to_string(),
            ),
            (hand_only.to_string(), p.only_restates().to_string()),
        ];
        *confusion
            .entry((hand_restates.as_str(), p.restates().as_str()))
            .or_insert(0) += 1;
        for (k, (hand, got)) in pairs.into_iter().enumerate() {
            if hand != got {
                report.push_str(&format!(
                    "  {:<13} hand {hand:<5} profile {got:<5} {} {:?} (restated {:?}, copy {:?}, quantities {:?}, deadline {:?})\n",
                    MEASURES[k],
                    h.seed,
                    h.snippet,
                    p.restated_share().map(|x| (x * 100.0).round() / 100.0),
                    p.copy_share().map(|x| (x * 100.0).round() / 100.0),
                    p.quantities,
                    item.deadline,
                ));
            }
            answers[k].push((hand, got));
        }
    }
    println!("agreement on {} hand-counted items:", fixture.item.len());
    let measured: Vec<(f64, f64, f64)> = answers.iter().map(|a| agreement(a)).collect();
    for (name, (observed, majority, kappa)) in MEASURES.iter().zip(&measured) {
        println!(
            "  {name:<13} {:.1}% (majority answer {:.1}%), kappa {kappa:.3}",
            100.0 * observed,
            100.0 * majority
        );
    }
    println!("restates, hand × profile: {confusion:?}");
    println!("disagreements:\n{report}");
    for (name, (observed, majority, kappa)) in MEASURES.iter().zip(&measured) {
        assert!(
            observed > majority && *kappa >= KAPPA,
            "{name}: agreement {observed:.3} against the majority answer's {majority:.3}, kappa {kappa:.3} (needs {KAPPA})\n{report}"
        );
    }
}
