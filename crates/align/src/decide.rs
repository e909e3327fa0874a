//! Stage 4, the decision: a conditional-logit model over the score card.
//!
//! Each of the card's tasks gets a utility `w · φ(card, task)` and the
//! outcome "local extension" a utility `v · ψ(card)`; the decision is the
//! softmax over those, so every decision comes with a probability. The
//! weights are shared by all tasks (a feature says the same thing of 1.1
//! as of 6.5), which keeps the model small (22 weights), lets it serve a
//! taxonomy it was not fitted on, and leaves nothing to fit per task on a
//! few hundred labels. The weights are fitted from labels
//! ([`DecisionModel::fit`], Newton's method on the L2-penalized
//! log-likelihood) and shipped as data next to the taxonomy
//! (`taxonomies/national_2017/decision.toml`, embedded); a user refits them on their own
//! labels with the `calibrate` example.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::card::{ScoreCard, TaskCard};
use crate::compiled::TaskIx;
use crate::error::{Error, Result};
use crate::types::Id;

/// Names of the per-task features φ, in weight order.
pub const TASK_FEATURES: [&str; 19] = [
    "req_score",
    "req_score_sq",
    "req_item",
    "vocab",
    "context",
    "specific",
    "vocab_rel",
    "specific_rel",
    "heading_task",
    "heading_task_agreement",
    "heading_area",
    "section",
    "document",
    "vocab_document",
    "is_nearest",
    "is_top_vocab",
    "learned",
    "learned_specific",
    "learned_rel",
];

/// Names of the extension features ψ, in weight order.
pub const EXTENSION_FEATURES: [&str; 14] = [
    "bias",
    "novelty",
    "max_req_score",
    "max_vocab",
    "max_specific",
    "own_section",
    "heading_names_task",
    "spread",
    "length",
    "learned_extension",
    "learned_extension_specific",
    "learned_extension_rel",
    "vocab_vs_document",
    "learned_vs_document",
];

const NT: usize = TASK_FEATURES.len();
const NE: usize = EXTENSION_FEATURES.len();
const NP: usize = NT + NE;

/// Characters at which the length feature reaches 1 (it grows with the
/// logarithm of the length and is capped there).
const LENGTH_SCALE: f64 = 200.0;

/// The fitted decision: weights of the task and extension features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionModel {
    /// The taxonomy the model was fitted for (it serves any taxonomy: the
    /// features do not name tasks).
    pub taxonomy: String,
    /// What it was fitted on (documents, labels), for the record.
    #[serde(default)]
    pub fitted_on: String,
    /// The L2 penalty it was fitted with.
    #[serde(default)]
    pub l2: f64,
    /// Divides every utility before the softmax (1: as fitted).
    #[serde(default = "one")]
    pub temperature: f64,
    /// Weight of each per-task feature, by name ([`TASK_FEATURES`]).
    pub task_weights: BTreeMap<String, f64>,
    /// Weight of each extension feature, by name ([`EXTENSION_FEATURES`]).
    pub extension_weights: BTreeMap<String, f64>,
}

fn one() -> f64 {
    1.0
}

/// One labelled card for fitting: the task it belongs to, or None for a
/// local extension.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The item's score card.
    pub card: ScoreCard,
    /// The right answer: a task id of the card, or None (extension).
    pub answer: Option<Id>,
}

/// The outcome of the decision for one card.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The chosen task's entry in `card.task`; None: local extension.
    pub task: Option<TaskIx>,
    /// The probability of the chosen outcome.
    pub probability: f64,
    /// The most probable task other than the chosen one, with its
    /// probability.
    pub runner_up: Option<(TaskIx, f64)>,
    /// The probability that the item is a local extension.
    pub extension: f64,
}

/// The embedded model fitted for the national 2017 taxonomy.
const NATIONAL_2017: &str = include_str!("../../../taxonomies/national_2017/decision.toml");

/// Feature values of one card: φ for each task, ψ for the extension.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// φ(card, task), one row per entry of `card.task`.
    pub task: Vec<[f64; NT]>,
    /// ψ(card).
    pub extension: [f64; NE],
}

/// What the features of a card's tasks share: the card's maxima and
/// what its headings and nearest requirement name, found in one pass.
struct CardContext<'c> {
    max_vocab: f64,
    max_specific: f64,
    max_req: f64,
    /// The largest learned-specific share of a task or the extension.
    max_learned: f64,
    /// The largest learned share of a task ([`ScoreCard::max_learned`]).
    max_learned_share: f64,
    agreement: f64,
    heading_task: Option<&'c str>,
    heading_area: Option<&'c str>,
    nearest: Option<&'c str>,
}

impl<'c> CardContext<'c> {
    fn of(card: &'c ScoreCard) -> CardContext<'c> {
        let mut c = CardContext {
            max_vocab: 0.0,
            max_specific: 0.0,
            max_req: 0.0,
            max_learned: card.learned_extension_specific.max(0.0),
            max_learned_share: 0.0,
            agreement: card.heading_agreement.unwrap_or(0.0),
            heading_task: card.heading_task.as_deref(),
            heading_area: card.heading_area.as_deref(),
            nearest: card.nearest.as_ref().map(|n| &*n.id),
        };
        for t in &card.task {
            c.max_vocab = c.max_vocab.max(t.vocab);
            c.max_specific = c.max_specific.max(t.specific);
            c.max_req = c.max_req.max(t.req_score);
            c.max_learned = c.max_learned.max(t.learned_specific);
            c.max_learned_share = c.max_learned_share.max(t.learned);
        }
        c
    }
}

/// Whether two short ids are equal (a byte loop the compiler inlines:
/// ids are a few bytes, shorter than a call to `memcmp`).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

fn rel(x: f64, m: f64) -> f64 {
    if m > 0.0 { x / m } else { 0.0 }
}

fn flag(b: bool) -> f64 {
    f64::from(u8::from(b))
}

/// φ(card, task t).
fn task_row(t: &TaskCard, c: &CardContext<'_>) -> [f64; NT] {
    let named = c.heading_task.is_some_and(|h| same(h, &t.task));
    let area = !named && c.heading_area.is_some_and(|a| same(a, &t.area));
    let is_nearest = match (c.nearest, t.requirement.as_deref()) {
        (Some(n), Some(r)) => same(n, r),
        _ => false,
    };
    let vocab_rel = rel(t.vocab, c.max_vocab);
    [
        t.req_score,
        t.req_score * t.req_score,
        t.req_item,
        t.vocab,
        t.context,
        t.specific,
        vocab_rel,
        rel(t.specific, c.max_specific),
        flag(named),
        if named { c.agreement } else { 0.0 },
        flag(area),
        t.section,
        t.document,
        vocab_rel * t.document,
        flag(is_nearest),
        flag(c.max_vocab > 0.0 && t.vocab >= c.max_vocab),
        t.learned,
        t.learned_specific,
        rel(t.learned_specific, c.max_learned),
    ]
}

/// ψ(card).
fn extension_row(card: &ScoreCard, c: &CardContext<'_>) -> [f64; NE] {
    let length = ((1.0 + card.length as f64).ln() / (1.0 + LENGTH_SCALE).ln()).min(1.0);
    [
        1.0,
        card.novelty,
        c.max_req,
        c.max_vocab,
        c.max_specific,
        flag(card.own_section()),
        flag(card.heading_task.is_some()),
        card.spread(),
        length,
        card.learned_extension,
        card.learned_extension_specific,
        rel(card.learned_extension_specific, c.max_learned),
        c.max_vocab - card.document_vocab,
        c.max_learned_share - card.document_learned,
    ]
}

impl Features {
    /// The features of a card.
    pub fn of(card: &ScoreCard) -> Features {
        let c = CardContext::of(card);
        Features {
            task: card.task.iter().map(|t| task_row(t, &c)).collect(),
            extension: extension_row(card, &c),
        }
    }
}

/// A model's weights as arrays, ready to score cards (what the aligner
/// keeps: no lookup by feature name per item).
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    theta: [f64; NP],
    temperature: f64,
}

impl Weights {
    /// The probability of each of the card's tasks, in card order, then
    /// of the extension (last): a softmax of the utilities.
    pub fn probabilities(&self, card: &ScoreCard) -> Vec<f64> {
        let c = CardContext::of(card);
        let (task, extension) = split(&self.theta);
        let mut u: Vec<f64> = Vec::with_capacity(card.task.len() + 1);
        u.extend(
            card.task
                .iter()
                .map(|t| dot(task, &task_row(t, &c)) / self.temperature),
        );
        u.push(dot(extension, &extension_row(card, &c)) / self.temperature);
        softmax(&mut u);
        u
    }

    /// The decision for a card: the most probable outcome (a task wins a
    /// tie with the extension; of tied tasks, the first in card order).
    pub fn decide(&self, card: &ScoreCard) -> Decision {
        let p = self.probabilities(card);
        let (ext, tasks) = p.split_last().expect("the extension is always an outcome");
        let mut best: Option<(usize, f64)> = None;
        let mut second: Option<(usize, f64)> = None;
        for (t, &pt) in tasks.iter().enumerate() {
            if best.is_none_or(|b| pt > b.1) {
                second = best;
                best = Some((t, pt));
            } else if second.is_none_or(|s| pt > s.1) {
                second = Some((t, pt));
            }
        }
        match best {
            Some((t, pt)) if pt >= *ext => Decision {
                task: Some(TaskIx::new(t)),
                probability: pt,
                runner_up: second.map(|(s, p)| (TaskIx::new(s), p)),
                extension: *ext,
            },
            _ => Decision {
                task: None,
                probability: *ext,
                runner_up: best.map(|(s, p)| (TaskIx::new(s), p)),
                extension: *ext,
            },
        }
    }
}

impl DecisionModel {
    /// The model shipped for the national 2017 taxonomy.
    pub fn national_2017() -> DecisionModel {
        Self::from_toml_str(NATIONAL_2017).expect("the embedded decision model is valid")
    }

    /// Parses a model.
    ///
    /// # Errors
    /// [`Error::Parse`] for bad TOML, unknown keys or a feature missing or
    /// unknown; [`Error::Setting`] for a temperature that is not positive.
    pub fn from_toml_str(text: &str) -> Result<DecisionModel> {
        Self::parse(text, Path::new("<decision model>"))
    }

    /// Reads a model file.
    ///
    /// # Errors
    /// [`Error::Io`], or as [`DecisionModel::from_toml_str`] naming the file.
    pub fn load(path: impl AsRef<Path>) -> Result<DecisionModel> {
        let path = path.as_ref();
        let text = crate::error::read_file(path)?;
        Self::parse(&text, path)
    }

    fn parse(text: &str, path: &Path) -> Result<DecisionModel> {
        let m: DecisionModel = crate::error::parse_toml(text, path)?;
        m.validate(path)?;
        Ok(m)
    }

    fn validate(&self, path: &Path) -> Result<()> {
        let check = |table: &str, names: &[&str], weights: &BTreeMap<String, f64>| {
            let bad = |message: String| Error::Parse {
                path: path.to_path_buf(),
                line: 0,
                message,
            };
            for n in names {
                match weights.get(*n) {
                    None => return Err(bad(format!("{table}: missing feature `{n}`"))),
                    Some(w) if !w.is_finite() => {
                        return Err(bad(format!(
                            "{table}: feature `{n}` is not a finite number"
                        )));
                    }
                    Some(_) => {}
                }
            }
            if let Some(k) = weights.keys().find(|k| !names.contains(&k.as_str())) {
                return Err(bad(format!(
                    "{table}: unknown feature `{k}`, expected one of {}",
                    names.join(", ")
                )));
            }
            Ok(())
        };
        check("task_weights", &TASK_FEATURES, &self.task_weights)?;
        check(
            "extension_weights",
            &EXTENSION_FEATURES,
            &self.extension_weights,
        )?;
        if !(self.temperature.is_finite() && self.temperature > 0.0) {
            return Err(Error::Setting {
                path: path.to_path_buf(),
                name: "temperature",
                value: self.temperature,
                expected: "a positive number",
            });
        }
        Ok(())
    }

    /// The model as TOML, in the format [`DecisionModel::load`] reads.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a decision model serializes")
    }

    /// Writes the model to `path`.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.to_toml()).map_err(|source| Error::Io {
            path: PathBuf::from(path),
            source,
        })
    }

    fn parameters(&self) -> [f64; NP] {
        let mut p = [0.0; NP];
        for (i, n) in TASK_FEATURES.iter().enumerate() {
            p[i] = self.task_weights.get(*n).copied().unwrap_or(0.0);
        }
        for (i, n) in EXTENSION_FEATURES.iter().enumerate() {
            p[NT + i] = self.extension_weights.get(*n).copied().unwrap_or(0.0);
        }
        p
    }

    fn from_parameters(p: &[f64; NP], taxonomy: &str, fitted_on: &str, l2: f64) -> DecisionModel {
        DecisionModel {
            taxonomy: taxonomy.to_string(),
            fitted_on: fitted_on.to_string(),
            l2,
            temperature: 1.0,
            task_weights: TASK_FEATURES
                .iter()
                .zip(&p[..NT])
                .map(|(n, w)| (n.to_string(), *w))
                .collect(),
            extension_weights: EXTENSION_FEATURES
                .iter()
                .zip(&p[NT..])
                .map(|(n, w)| (n.to_string(), *w))
                .collect(),
        }
    }

    /// The weights as arrays (for scoring many cards).
    pub fn weights(&self) -> Weights {
        Weights {
            theta: self.parameters(),
            temperature: self.temperature,
        }
    }

    /// The probability of each of the card's tasks, in card order, then
    /// of the extension (last): a softmax of the utilities.
    pub fn probabilities(&self, card: &ScoreCard) -> Vec<f64> {
        self.weights().probabilities(card)
    }

    /// The decision for a card: the most probable outcome (a task wins a
    /// tie with the extension; of tied tasks, the first in card order).
    pub fn decide(&self, card: &ScoreCard) -> Decision {
        self.weights().decide(card)
    }

    /// Fits the weights on labelled cards by Newton's method on the
    /// log-likelihood with an L2 penalty `l2` (times the number of
    /// samples; the bias is not penalized). Samples whose answer is a task
    /// the card does not list are skipped. Deterministic.
    ///
    /// # Errors
    /// [`Error::Fit`] when no sample is usable or the solve fails.
    pub fn fit(
        samples: &[Sample],
        l2: f64,
        taxonomy: &str,
        fitted_on: &str,
    ) -> Result<DecisionModel> {
        let data: Vec<(Features, usize)> = samples
            .iter()
            .filter_map(|s| {
                let answer = match &s.answer {
                    None => s.card.task.len(),
                    Some(id) => s.card.task.iter().position(|t| *t.task == **id)?,
                };
                Some((Features::of(&s.card), answer))
            })
            .collect();
        if data.is_empty() {
            return Err(Error::Fit("no labelled item could be used".into()));
        }
        let lambda = l2 * data.len() as f64;
        let penalty = |i: usize| if i == NT { 0.0 } else { lambda };
        let objective = |theta: &[f64; NP]| {
            let mut nll = 0.0;
            for (f, y) in &data {
                let mut u = utilities(theta, f);
                softmax(&mut u);
                nll -= u[*y].max(1e-300).ln();
            }
            nll + 0.5
                * (0..NP)
                    .map(|i| penalty(i) * theta[i] * theta[i])
                    .sum::<f64>()
        };
        let mut theta = [0.0; NP];
        let mut current = objective(&theta);
        for _ in 0..100 {
            let mut grad = [0.0; NP];
            let mut hess = vec![[0.0; NP]; NP];
            for (f, y) in &data {
                let mut u = utilities(&theta, f);
                softmax(&mut u);
                let mut mean = [0.0; NP];
                for (k, &pk) in u.iter().enumerate() {
                    let x = row(f, k);
                    for i in 0..NP {
                        mean[i] += pk * x[i];
                    }
                    for i in 0..NP {
                        if x[i] == 0.0 {
                            continue;
                        }
                        for j in 0..NP {
                            hess[i][j] += pk * x[i] * x[j];
                        }
                    }
                }
                let xy = row(f, *y);
                for i in 0..NP {
                    grad[i] += xy[i] - mean[i];
                    for j in 0..NP {
                        hess[i][j] -= mean[i] * mean[j];
                    }
                }
            }
            for i in 0..NP {
                grad[i] -= penalty(i) * theta[i];
                hess[i][i] += penalty(i) + 1e-9;
            }
            let step = solve(hess, grad).ok_or_else(|| Error::Fit("singular Hessian".into()))?;
            // Backtracking: Newton's step on a convex objective, halved
            // until it does not make things worse.
            let mut scale = 1.0;
            let mut improved = false;
            while scale > 1e-6 {
                let mut next = theta;
                for i in 0..NP {
                    next[i] += scale * step[i];
                }
                let value = objective(&next);
                if value <= current {
                    improved = current - value > 1e-10 * current.abs().max(1.0);
                    theta = next;
                    current = value;
                    break;
                }
                scale /= 2.0;
            }
            if !improved {
                break;
            }
        }
        Ok(Self::from_parameters(&theta, taxonomy, fitted_on, l2))
    }
}

/// The full parameter-space row of outcome `k` (a task's φ in the first
/// block, or the extension's ψ in the second).
fn row(f: &Features, k: usize) -> [f64; NP] {
    let mut x = [0.0; NP];
    match f.task.get(k) {
        Some(phi) => x[..NT].copy_from_slice(phi),
        None => x[NT..].copy_from_slice(&f.extension),
    }
    x
}

fn utilities(theta: &[f64; NP], f: &Features) -> Vec<f64> {
    let (task, extension) = split(theta);
    f.task
        .iter()
        .map(|phi| dot(task, phi))
        .chain(std::iter::once(dot(extension, &f.extension)))
        .collect()
}

/// The task weights and the extension weights of a parameter vector.
fn split(theta: &[f64; NP]) -> (&[f64; NT], &[f64; NE]) {
    let (task, extension) = theta.split_at(NT);
    match (task.try_into(), extension.try_into()) {
        (Ok(t), Ok(e)) => (t, e),
        _ => unreachable!("NP is NT + NE"),
    }
}

/// The dot product of two rows, summed in index order. The length is
/// known at compile time, so the loop is unrolled with no bounds check.
fn dot<const N: usize>(a: &[f64; N], b: &[f64; N]) -> f64 {
    a.iter().zip(b).fold(-0.0, |sum, (x, y)| sum + x * y)
}

fn softmax(u: &mut [f64]) {
    let max = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for x in u.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    u.iter_mut().for_each(|x| *x /= sum);
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting;
/// None when `a` is singular.
fn solve(mut a: Vec<[f64; NP]>, mut b: [f64; NP]) -> Option<[f64; NP]> {
    for c in 0..NP {
        let p = (c..NP).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[p][c].abs() < 1e-12 {
            return None;
        }
        a.swap(c, p);
        b.swap(c, p);
        let pivot = a[c];
        for r in c + 1..NP {
            let k = a[r][c] / pivot[c];
            if k == 0.0 {
                continue;
            }
            for (x, p) in a[r][c..].iter_mut().zip(&pivot[c..]) {
                *x -= k * p;
            }
            b[r] -= k * b[c];
        }
    }
    let mut x = [0.0; NP];
    for c in (0..NP).rev() {
        let s: f64 = (c + 1..NP).map(|j| a[c][j] * x[j]).sum();
        x[c] = (b[c] - s) / a[c][c];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
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
        let cases: Cases = toml::from_str(include_str!("../testdata/decisions.toml")).unwrap();
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
            out.push(Sample { card: c, answer });
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
}
