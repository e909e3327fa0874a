//! Fitting the decision: Newton's method on the L2-penalized, weighted
//! log-likelihood of the conditional logit, deterministic.

use super::features::{Features, NP, NT};
use super::logit::{self, Choice};
use super::{DecisionModel, Sample};
use crate::error::{Error, Result};

impl DecisionModel {
    /// Fits the weights on labelled cards by Newton's method on the
    /// log-likelihood, each sample counting its [`Sample::weight`], with
    /// an L2 penalty `l2` (times the total weight; the bias is not
    /// penalized). Samples whose answer is a task the card does not list,
    /// or whose weight is not positive, are skipped. Records the training
    /// proportions ([`DecisionModel::priors`]): the fitted model's mean
    /// probability of each outcome over the weighted samples.
    /// Deterministic.
    ///
    /// # Errors
    /// [`Error::Fit`] when no sample is usable or the solve fails.
    pub fn fit(
        samples: &[Sample],
        l2: f64,
        taxonomy: &str,
        fitted_on: &str,
    ) -> Result<DecisionModel> {
        let data: Vec<(Features, usize, f64, &Sample)> = samples
            .iter()
            .filter(|s| s.weight > 0.0 && s.weight.is_finite())
            .filter_map(|s| {
                let answer = match &s.answer {
                    None => s.card.task.len(),
                    Some(id) => s.card.task.iter().position(|t| *t.task == **id)?,
                };
                Some((Features::of(&s.card), answer, s.weight, s))
            })
            .collect();
        if data.is_empty() {
            return Err(Error::Fit("no labelled item could be used".into()));
        }
        let total: f64 = data.iter().map(|d| d.2).sum();
        let lambda = l2 * total;
        let penalty = |i: usize| if i == NT { 0.0 } else { lambda };
        let samples: Vec<Choice<NP>> = data
            .iter()
            .map(|(feat, y, w, _)| Choice {
                rows: (0..=feat.task.len()).map(|k| row(feat, k)).collect(),
                chosen: *y,
                weight: *w,
            })
            .collect();
        let penalties: [f64; NP] = std::array::from_fn(penalty);
        let theta = logit::fit(&samples, &penalties)
            .ok_or_else(|| Error::Fit("singular Hessian".into()))?;
        let mut model = Self::from_parameters(&theta, taxonomy, fitted_on, l2);
        let mut priors: std::collections::BTreeMap<String, f64> = Default::default();
        for ((_, _, w, s), sample) in data.iter().zip(&samples) {
            let u = logit::probabilities(&theta, &sample.rows);
            for (k, p) in u.iter().enumerate() {
                let id = s.card.task.get(k).map_or("extension", |t| t.task.as_str());
                *priors.entry(id.to_string()).or_default() += w * p / total;
            }
        }
        model.priors = priors;
        Ok(model)
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
