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

mod features;
mod fit;
mod heading;
mod logit;
mod priors;
#[cfg(test)]
mod tests;

pub use features::{EXTENSION_FEATURES, Features, TASK_FEATURES};
pub use heading::{HEADING_FEATURES, HeadingFeatures, HeadingModel, HeadingOutcome};
pub use priors::adapt_priors;

use features::{CardContext, NP, NT, dot, extension_row, softmax, split, task_row};

use crate::card::ScoreCard;
use crate::compiled::TaskIx;
use crate::error::{Error, Result};
use crate::types::Id;

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
    /// The outcome proportions of the training documents (each task id,
    /// and `extension`), as the fitted model's mean probabilities over its
    /// weighted training items: the π₀ from which each document's own
    /// proportions are re-estimated ([`adapt_priors`]). Empty in models
    /// fitted before it was recorded: their documents keep π₀.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub priors: BTreeMap<String, f64>,
    /// α, the weight of the training proportions when a document's own
    /// proportions are re-estimated, in items (a document much shorter
    /// than α keeps them): chosen at fit time, among
    /// [`PRIOR_STRENGTHS`], as the one under which the training
    /// documents' labels are most probable. None: no re-estimation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_strength: Option<f64>,
    /// The heading model ([`HeadingModel`]): which task or area a
    /// heading names. None in models fitted before it existed: their
    /// headings are read by the heading-similarity setting alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<HeadingModel>,
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
    /// Its weight in the likelihood (1 for a real document's item; less
    /// for composed documents, so they do not set the world's
    /// proportions).
    pub weight: f64,
}

/// The prior strengths a fit chooses among ([`DecisionModel::prior_strength`]):
/// from a few items to a few hundred, on a doubling scale.
pub const PRIOR_STRENGTHS: [f64; 7] = [2.5, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0];

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
const NATIONAL_2017: &str = include_str!("../../../../taxonomies/national_2017/decision.toml");

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
        Decision::from_probabilities(&self.probabilities(card))
    }
}

impl Decision {
    /// The decision of a row of probabilities (the card's tasks in card
    /// order, then the extension): the most probable outcome (a task wins
    /// a tie with the extension; of tied tasks, the first in card order).
    ///
    /// # Panics
    /// When `p` is empty (the extension is always an outcome).
    pub fn from_probabilities(p: &[f64]) -> Decision {
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

impl Decision {
    /// The decision when a local extension must be at least `confidence`
    /// probable to be called: a less sure extension gives way to the most
    /// probable task (an extension claims that no national task covers
    /// the statement, which needs positive evidence, not only weak
    /// matches). `confidence` 0 keeps the most probable outcome.
    pub fn requiring_extension(self, confidence: f64) -> Decision {
        match (self.task, self.runner_up) {
            (None, Some((t, p))) if self.probability < confidence => Decision {
                task: Some(t),
                probability: p,
                runner_up: None,
                extension: self.extension,
            },
            _ => self,
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
        if let Some(h) = &self.heading {
            h.validate(path)?;
        }
        if let Some(a) = self.prior_strength
            && !(a >= 0.0 && a.is_finite())
        {
            return Err(Error::Setting {
                path: path.to_path_buf(),
                name: "prior_strength",
                value: a,
                expected: "a finite number at least 0",
            });
        }
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
            priors: BTreeMap::new(),
            prior_strength: None,
            heading: None,
        }
    }

    /// The training proportions for a taxonomy's tasks (in `tasks`
    /// order, then the extension), from [`DecisionModel::priors`]: None
    /// when the model records none. A task the record does not name (the
    /// model serves another taxonomy) shares the tasks' mass equally.
    pub fn priors_for(&self, tasks: &[&str]) -> Option<Vec<f64>> {
        let ext = *self.priors.get("extension")?;
        if !(ext > 0.0 && ext < 1.0) || tasks.is_empty() {
            return None;
        }
        let named: Vec<Option<f64>> = tasks.iter().map(|t| self.priors.get(*t).copied()).collect();
        let mut out: Vec<f64> = if named.iter().all(|p| p.is_some_and(|p| p > 0.0)) {
            let sum: f64 = named.iter().flatten().sum();
            named
                .iter()
                .flatten()
                .map(|p| p / sum * (1.0 - ext))
                .collect()
        } else {
            vec![(1.0 - ext) / tasks.len() as f64; tasks.len()]
        };
        out.push(ext);
        Some(out)
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
}
