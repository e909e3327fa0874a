//! The decision's tests: hand-written cards, fitting, model files.

use serde::Deserialize;

use super::*;
use crate::card::TaskCard;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    expect: String,
    #[serde(default)]
    min_probability: f64,
    card: ScoreCard,
}

#[test]
fn shipped_model_decides_hand_written_cards() {
    let cases: Cases = toml::from_str(include_str!("../../testdata/decisions.toml")).unwrap();
    let model = DecisionModel::national_2017();
    for c in cases.case {
        let d = model.decide(&c.card);
        let got = d.task.map_or("extension".to_string(), |t| {
            c.card.task[t.get()].task.to_string()
        });
        assert_eq!(got, c.expect, "case {}: {d:?}", c.name);
        assert!(
            d.probability >= c.min_probability,
            "case {}: probability {} < {}",
            c.name,
            d.probability,
            c.min_probability
        );
    }
}

fn card(vocab: &[f64], novelty: f64) -> ScoreCard {
    ScoreCard {
        task: vocab
            .iter()
            .enumerate()
            .map(|(i, &v)| TaskCard {
                task: format!("1.{}", i + 1).into(),
                area: "1".into(),
                vocab: v,
                context: v,
                ..TaskCard::default()
            })
            .collect(),
        novelty,
        length: 20,
        ..ScoreCard::default()
    }
}

/// Labelled cards whose answer is the task of the largest vocabulary
/// share, or the extension when the item's words are mostly new.
fn synthetic() -> Vec<Sample> {
    let mut out = Vec::new();
    for k in 0..60 {
        let a = (k % 7) as f64 / 10.0;
        let b = (k % 5) as f64 / 8.0;
        let novelty = (k % 3) as f64 * 0.4;
        let c = card(&[a, b, 0.05], novelty);
        let answer = if novelty > 0.5 {
            None
        } else if a >= b {
            Some("1.1".into())
        } else {
            Some("1.2".into())
        };
        out.push(Sample {
            card: c,
            answer,
            weight: 1.0,
        });
    }
    out
}

#[test]
fn fit_learns_the_rule_behind_synthetic_labels_and_is_deterministic() {
    let samples = synthetic();
    let m = DecisionModel::fit(&samples, 1e-3, "t", "synthetic").unwrap();
    let again = DecisionModel::fit(&samples, 1e-3, "t", "synthetic").unwrap();
    assert_eq!(m, again);
    let right = samples
        .iter()
        .filter(|s| {
            let d = m.decide(&s.card);
            d.task.map(|t| s.card.task[t.get()].task.as_str()) == s.answer.as_deref()
        })
        .count();
    assert!(right * 10 >= samples.len() * 9, "{right}/{}", samples.len());
    let p = m.probabilities(&samples[0].card);
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(p.iter().all(|x| (0.0..=1.0).contains(x)));
}

#[test]
fn fit_refuses_unusable_samples() {
    let s = Sample {
        card: card(&[0.5], 0.0),
        answer: Some("9.9".into()),
        weight: 1.0,
    };
    assert!(matches!(
        DecisionModel::fit(&[s], 1e-3, "t", ""),
        Err(Error::Fit(_))
    ));
}

#[test]
fn model_files_round_trip_and_bad_ones_are_refused() {
    let m = DecisionModel::national_2017();
    assert_eq!(DecisionModel::from_toml_str(&m.to_toml()).unwrap(), m);
    let text = m.to_toml();
    let cases = [
        (
            "missing feature",
            text.replace("\nnovelty =", "\nnovelty_ ="),
        ),
        (
            "not a number",
            text.replacen("temperature = 1.0", "temperature = 0.0", 1),
        ),
        ("unknown key", format!("{text}\nextra = 1\n")),
    ];
    for (name, bad) in cases {
        assert!(DecisionModel::from_toml_str(&bad).is_err(), "case {name}");
    }
    let err = DecisionModel::from_toml_str(&cases_missing(&text)).unwrap_err();
    assert!(err.to_string().contains("missing feature `bias`"), "{err}");
}

fn cases_missing(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("bias ="))
        .collect::<Vec<_>>()
        .join("\n")
}
