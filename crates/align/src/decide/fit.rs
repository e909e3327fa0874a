//! Fitting the decision: Newton's method on the L2-penalized, weighted
//! log-likelihood of the conditional logit, deterministic.

use super::features::{Features, NP, NT, dot, softmax, solve, split};
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
        let objective = |theta: &[f64; NP]| {
            let mut nll = 0.0;
            for (f, y, w, _) in &data {
                let mut u = utilities(theta, f);
                softmax(&mut u);
                nll -= w * u[*y].max(1e-300).ln();
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
            for (f, y, w, _) in &data {
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
                            hess[i][j] += w * pk * x[i] * x[j];
                        }
                    }
                }
                let xy = row(f, *y);
                for i in 0..NP {
                    grad[i] += w * (xy[i] - mean[i]);
                    for j in 0..NP {
                        hess[i][j] -= w * mean[i] * mean[j];
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
        let mut model = Self::from_parameters(&theta, taxonomy, fitted_on, l2);
        let mut priors: std::collections::BTreeMap<String, f64> = Default::default();
        for (feat, _, w, s) in &data {
            let mut u = utilities(&theta, feat);
            softmax(&mut u);
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

fn utilities(theta: &[f64; NP], f: &Features) -> Vec<f64> {
    let (task, extension) = split(theta);
    f.task
        .iter()
        .map(|phi| dot(task, phi))
        .chain(std::iter::once(dot(extension, &f.extension)))
        .collect()
}
