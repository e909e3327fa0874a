//! The heading decision: which national task or area a region's heading
//! names, if any, with a probability. A conditional logit like the item
//! decision, over every task, every area and "none", with weights shared
//! by all tasks and all areas (seven numbers), fitted on labelled
//! headings ([`HeadingModel::fit`]).
//!
//! A task's features are the heading's bigram Dice similarity to the
//! task's title, the share of the heading's weighted bigrams the task's
//! vocabulary holds, whether the task is the best by the larger of the
//! two, and the share of the heading's weighted bigrams the learned
//! vocabulary of the task holds (what real documents write under it,
//! their headings included); an area's, the Dice similarity to the area's
//! title, whether it is the best area, and the largest learned share of
//! its tasks; "none" has a bias.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::logit::{self, Choice, probabilities};
use crate::error::{Error, Result};

/// Names of the heading model's weights, in order.
pub const HEADING_FEATURES: [&str; 9] = [
    "task_dice",
    "task_vocab",
    "task_best",
    "task_learned",
    "area_bias",
    "area_dice",
    "area_best",
    "area_learned",
    "none_bias",
];

const NH: usize = HEADING_FEATURES.len();

/// What a heading's words say of each task and area: the heading
/// model's input, as plain data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeadingFeatures {
    /// Per task, in taxonomy order: (Dice to its title, its vocabulary's
    /// share of the heading).
    pub tasks: Vec<(f64, f64)>,
    /// Per area, in taxonomy order: Dice to its title.
    pub areas: Vec<f64>,
    /// Per task: the share of the heading's weighted bigrams the task's
    /// learned vocabulary holds (empty without a learned vocabulary).
    #[serde(default)]
    pub learned: Vec<f64>,
    /// Per task: the index of its area in `areas`.
    #[serde(default)]
    pub task_area: Vec<usize>,
}

/// What a heading names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingOutcome {
    /// The task at this index.
    Task(usize),
    /// The area at this index.
    Area(usize),
    /// Neither: a heading of the region's own (总体要求, 保障措施, …).
    None,
}

/// The fitted heading model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingModel {
    /// Weight of each feature, by name ([`HEADING_FEATURES`]).
    pub weights: BTreeMap<String, f64>,
    /// What it was fitted on, for the record.
    #[serde(default)]
    pub fitted_on: String,
}

impl HeadingFeatures {
    fn rows(&self) -> Vec<[f64; NH]> {
        let best_task = self
            .tasks
            .iter()
            .enumerate()
            .max_by(|a, b| {
                a.1.0
                    .max(a.1.1)
                    .total_cmp(&b.1.0.max(b.1.1))
                    .then(b.0.cmp(&a.0))
            })
            .map(|(i, _)| i);
        let best_area = self
            .areas
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i);
        let item = |t: usize| self.learned.get(t).copied().unwrap_or(0.0);
        let mut area_items = vec![0.0f64; self.areas.len()];
        for t in 0..self.tasks.len() {
            if let Some(a) = self.task_area.get(t).and_then(|&a| area_items.get_mut(a)) {
                *a = a.max(item(t));
            }
        }
        let mut rows = Vec::with_capacity(self.tasks.len() + self.areas.len() + 1);
        for (i, &(dice, vocab)) in self.tasks.iter().enumerate() {
            let best = f64::from(u8::from(best_task == Some(i)));
            rows.push([dice, vocab, best, item(i), 0.0, 0.0, 0.0, 0.0, 0.0]);
        }
        for (i, &dice) in self.areas.iter().enumerate() {
            let best = f64::from(u8::from(best_area == Some(i)));
            rows.push([0.0, 0.0, 0.0, 0.0, 1.0, dice, best, area_items[i], 0.0]);
        }
        rows.push([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
        rows
    }

    /// The row index of an outcome.
    fn index(&self, o: HeadingOutcome) -> Option<usize> {
        match o {
            HeadingOutcome::Task(t) if t < self.tasks.len() => Some(t),
            HeadingOutcome::Area(a) if a < self.areas.len() => Some(self.tasks.len() + a),
            HeadingOutcome::None => Some(self.tasks.len() + self.areas.len()),
            _ => None,
        }
    }

    fn outcome(&self, row: usize) -> HeadingOutcome {
        if row < self.tasks.len() {
            HeadingOutcome::Task(row)
        } else if row < self.tasks.len() + self.areas.len() {
            HeadingOutcome::Area(row - self.tasks.len())
        } else {
            HeadingOutcome::None
        }
    }
}

impl HeadingModel {
    fn theta(&self) -> [f64; NH] {
        let mut t = [0.0; NH];
        for (i, n) in HEADING_FEATURES.iter().enumerate() {
            t[i] = self.weights.get(*n).copied().unwrap_or(0.0);
        }
        t
    }

    /// The most probable outcome and its probability (of tied outcomes,
    /// tasks before areas before none, each in taxonomy order).
    pub fn decide(&self, f: &HeadingFeatures) -> (HeadingOutcome, f64) {
        let p = probabilities(&self.theta(), &f.rows());
        let (row, prob) =
            p.iter()
                .copied()
                .enumerate()
                .fold(
                    (0, f64::NEG_INFINITY),
                    |b, (i, v)| if v > b.1 { (i, v) } else { b },
                );
        (f.outcome(row), prob)
    }

    /// Checks that every weight is named and finite.
    ///
    /// # Errors
    /// [`Error::Parse`] naming `path` and the weight.
    pub fn validate(&self, path: &std::path::Path) -> Result<()> {
        for n in HEADING_FEATURES {
            if !self.weights.get(n).is_some_and(|w| w.is_finite()) {
                return Err(Error::Parse {
                    path: path.to_path_buf(),
                    line: 0,
                    message: format!("heading: weight `{n}` missing or not a finite number"),
                });
            }
        }
        if let Some(k) = self
            .weights
            .keys()
            .find(|k| !HEADING_FEATURES.contains(&k.as_str()))
        {
            return Err(Error::Parse {
                path: path.to_path_buf(),
                line: 0,
                message: format!(
                    "heading: unknown weight `{k}`, expected one of {}",
                    HEADING_FEATURES.join(", ")
                ),
            });
        }
        Ok(())
    }

    /// Fits the weights on labelled headings (features and the outcome
    /// the label names) by Newton's method on the log-likelihood with an
    /// L2 penalty `l2` times the number of samples (biases unpenalized).
    /// Samples whose outcome is not among their features' rows are
    /// skipped. Deterministic.
    ///
    /// # Errors
    /// [`Error::Fit`] when no sample is usable or the solve fails.
    pub fn fit(
        samples: &[(HeadingFeatures, HeadingOutcome)],
        l2: f64,
        fitted_on: &str,
    ) -> Result<HeadingModel> {
        let data: Vec<(Vec<[f64; NH]>, usize)> = samples
            .iter()
            .filter_map(|(f, o)| Some((f.rows(), f.index(*o)?)))
            .collect();
        if data.is_empty() {
            return Err(Error::Fit("no labelled heading could be used".into()));
        }
        let lambda = l2 * data.len() as f64;
        // The biases are not penalized.
        let penalties: [f64; NH] = std::array::from_fn(|i| {
            if matches!(HEADING_FEATURES[i], "area_bias" | "none_bias") {
                0.0
            } else {
                lambda
            }
        });
        let samples: Vec<Choice<NH>> = data
            .into_iter()
            .map(|(rows, chosen)| Choice {
                rows,
                chosen,
                weight: 1.0,
            })
            .collect();
        let theta = logit::fit(&samples, &penalties)
            .ok_or_else(|| Error::Fit("singular Hessian (headings)".into()))?;
        Ok(HeadingModel {
            weights: HEADING_FEATURES
                .iter()
                .zip(theta)
                .map(|(n, w)| (n.to_string(), w))
                .collect(),
            fitted_on: fitted_on.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(task: (f64, f64), other: (f64, f64), area: f64) -> HeadingFeatures {
        HeadingFeatures {
            tasks: vec![task, other],
            areas: vec![area, 0.0],
            learned: Vec::new(),
            task_area: vec![0, 1],
        }
    }

    /// Headings whose words are a task's title name it; headings close to
    /// an area title name the area; the rest none: the fit learns that
    /// and decides accordingly, deterministically.
    #[test]
    fn fit_learns_task_area_and_none() {
        let mut s = Vec::new();
        for k in 0..20 {
            let x = k as f64 / 40.0;
            s.push((
                features((0.8 + x / 4.0, 0.7), (0.1, 0.2), 0.1),
                HeadingOutcome::Task(0),
            ));
            s.push((
                features((0.1, 0.2), (0.1, 0.1), 0.8 + x / 4.0),
                HeadingOutcome::Area(0),
            ));
            s.push((
                features((0.1 + x, 0.2), (0.1, 0.1 + x), 0.1),
                HeadingOutcome::None,
            ));
        }
        let m = HeadingModel::fit(&s, 1e-3, "synthetic").unwrap();
        assert_eq!(m, HeadingModel::fit(&s, 1e-3, "synthetic").unwrap());
        assert_eq!(
            m.decide(&features((0.9, 0.8), (0.1, 0.1), 0.0)).0,
            HeadingOutcome::Task(0)
        );
        assert_eq!(
            m.decide(&features((0.1, 0.1), (0.1, 0.1), 0.9)).0,
            HeadingOutcome::Area(0)
        );
        let (o, p) = m.decide(&features((0.05, 0.1), (0.05, 0.1), 0.05));
        assert_eq!(o, HeadingOutcome::None);
        assert!((0.0..=1.0).contains(&p));
        assert!(m.validate(std::path::Path::new("x")).is_ok());
        assert!(HeadingModel::fit(&[], 1e-3, "").is_err());
    }
}
