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
//! (`data/decision_national_2017.toml`); a user refits them on their own
//! labels with the `calibrate` example.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::aligner::Id;
use crate::card::{ScoreCard, TaskCard};
use crate::error::{Error, Result};

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
    /// Index into `card.task` of the chosen task; None: local extension.
    pub task: Option<usize>,
    /// The probability of the chosen outcome.
    pub probability: f64,
    /// The most probable task other than the chosen one, with its
    /// probability.
    pub runner_up: Option<(usize, f64)>,
    /// The probability that the item is a local extension.
    pub extension: f64,
}

/// The embedded model fitted for the national 2017 taxonomy.
const NATIONAL_2017: &str = include_str!("../data/decision_national_2017.toml");

/// Feature values of one card: φ for each task, ψ for the extension.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// φ(card, task), one row per entry of `card.task`.
    pub task: Vec<[f64; NT]>,
    /// ψ(card).
    pub extension: [f64; NE],
}

impl Features {
    /// The features of a card.
    pub fn of(card: &ScoreCard) -> Features {
        let max = |f: fn(&TaskCard) -> f64| card.task.iter().map(f).fold(0.0f64, f64::max);
        let (max_vocab, max_specific, max_req) =
            (max(|t| t.vocab), max(|t| t.specific), max(|t| t.req_score));
        let max_learned = max(|t| t.learned_specific).max(card.learned_extension_specific);
        let rel = |x: f64, m: f64| if m > 0.0 { x / m } else { 0.0 };
        let agreement = card.heading_agreement.unwrap_or(0.0);
        let nearest = card.nearest.as_ref().map(|n| &n.id);
        let flag = |b: bool| f64::from(u8::from(b));
        let task = card
            .task
            .iter()
            .map(|t| {
                let named = card.heading_task.as_deref() == Some(&*t.task);
                let area = !named && card.heading_area.as_deref() == Some(&*t.area);
                [
                    t.req_score,
                    t.req_score * t.req_score,
                    t.req_item,
                    t.vocab,
                    t.context,
                    t.specific,
                    rel(t.vocab, max_vocab),
                    rel(t.specific, max_specific),
                    f64::from(u8::from(named)),
                    if named { agreement } else { 0.0 },
                    f64::from(u8::from(area)),
                    t.section,
                    t.document,
                    rel(t.vocab, max_vocab) * t.document,
                    flag(nearest.is_some() && t.requirement.as_ref() == nearest),
                    flag(max_vocab > 0.0 && t.vocab >= max_vocab),
                    t.learned,
                    t.learned_specific,
                    rel(t.learned_specific, max_learned),
                ]
            })
            .collect();
        let length = ((1.0 + card.length as f64).ln() / (1.0 + LENGTH_SCALE).ln()).min(1.0);
        let extension = [
            1.0,
            card.novelty,
            max_req,
            max_vocab,
            max_specific,
            f64::from(u8::from(card.own_section())),
            f64::from(u8::from(card.heading_task.is_some())),
            card.spread(),
            length,
            card.learned_extension,
            card.learned_extension_specific,
            rel(card.learned_extension_specific, max_learned),
            max_vocab - card.document_vocab,
            card.max_learned() - card.document_learned,
        ];
        Features { task, extension }
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
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    fn parse(text: &str, path: &Path) -> Result<DecisionModel> {
        let m: DecisionModel = toml::from_str(text).map_err(|e| Error::Parse {
            path: path.to_path_buf(),
            line: e
                .span()
                .map(|s| luoshi_core::text::line_of(text, s.start))
                .unwrap_or(0),
            message: e.message().to_string(),
        })?;
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

    /// The probability of each of the card's tasks, in card order, then
    /// of the extension (last): a softmax of the utilities.
    pub fn probabilities(&self, card: &ScoreCard) -> Vec<f64> {
        let p = self.parameters();
        let mut u = utilities(&p, &Features::of(card));
        u.iter_mut().for_each(|x| *x /= self.temperature);
        softmax(&mut u);
        u
    }

    /// The decision for a card: the most probable outcome (a task wins a
    /// tie with the extension; of tied tasks, the first in card order).
    pub fn decide(&self, card: &ScoreCard) -> Decision {
        let p = self.probabilities(card);
        let (ext, tasks) = p.split_last().expect("the extension is always an outcome");
        let mut order: Vec<usize> = (0..tasks.len()).collect();
        order.sort_by(|&a, &b| tasks[b].total_cmp(&tasks[a]).then(a.cmp(&b)));
        let best = order.first().map(|&t| (t, tasks[t]));
        match best {
            Some((t, pt)) if pt >= *ext => Decision {
                task: Some(t),
                probability: pt,
                runner_up: order.get(1).map(|&r| (r, tasks[r])),
                extension: *ext,
            },
            _ => Decision {
                task: None,
                probability: *ext,
                runner_up: best,
                extension: *ext,
            },
        }
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
                    Some(id) => s.card.task.iter().position(|t| t.task == *id)?,
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
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    f.task
        .iter()
        .map(|phi| dot(&theta[..NT], phi))
        .chain(std::iter::once(dot(&theta[NT..], &f.extension)))
        .collect()
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
