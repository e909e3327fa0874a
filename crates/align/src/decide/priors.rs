//! Outcome priors of one document, re-estimated from its own items: the
//! EM prior adjustment of Saerens, Latinne and Decaestecker (2002),
//! "Adjusting the outputs of a classifier to new a priori probabilities".
//!
//! The model's probabilities p(y | x) were fitted under the outcome
//! proportions of its training documents, π₀. A department document that
//! is all about one sector, or one with almost no local additions, has
//! other proportions π. EM finds them from the document's items alone:
//!
//! - E: q_i(y) ∝ p_i(y) · π(y) / π₀(y) for each item i;
//! - M: π(y) = (Σ_i q_i(y) + α·π₀(y)) / (n + α).
//!
//! α is a Dirichlet prior centred on π₀ (α pseudo-items drawn from the
//! training proportions): a document of a handful of items stays near
//! π₀, a long one is read on its own. The result is a MAP estimate; the
//! adjusted q_i are the decisions' probabilities.

/// Adjusts `probs` (one row per item: the model's probabilities over the
/// outcomes, rows summing to 1) in place to the document's own outcome
/// proportions, estimated by EM from `train` (the training proportions,
/// same outcome order) with prior strength `alpha` (in items). Returns
/// the document's proportions. Rows of another length than `train`, and
/// outcomes whose training proportion is not positive, are left alone.
/// At most 200 iterations, stopping when no proportion moves by 10⁻⁷.
/// O(iterations · items · outcomes).
pub fn adapt_priors(probs: &mut [Vec<f64>], train: &[f64], alpha: f64) -> Vec<f64> {
    let k = train.len();
    let usable = |row: &Vec<f64>| row.len() == k;
    let n = probs.iter().filter(|r| usable(r)).count() as f64;
    if n == 0.0 || k == 0 || train.iter().any(|&t| !(t > 0.0 && t.is_finite())) {
        return train.to_vec();
    }
    let original: Vec<Vec<f64>> = probs.to_vec();
    let alpha = alpha.max(0.0);
    let mut pi = train.to_vec();
    let mut q = vec![0.0; k];
    for _ in 0..200 {
        let mut sums = vec![0.0; k];
        for row in original.iter().filter(|r| usable(r)) {
            let mut z = 0.0;
            for y in 0..k {
                q[y] = row[y] * pi[y] / train[y];
                z += q[y];
            }
            if z > 0.0 {
                for y in 0..k {
                    sums[y] += q[y] / z;
                }
            }
        }
        let next: Vec<f64> = (0..k)
            .map(|y| (sums[y] + alpha * train[y]) / (n + alpha))
            .collect();
        let moved = next
            .iter()
            .zip(&pi)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        pi = next;
        if moved < 1e-7 {
            break;
        }
    }
    for (row, orig) in probs.iter_mut().zip(&original) {
        if !usable(orig) {
            continue;
        }
        let mut z = 0.0;
        for y in 0..k {
            row[y] = orig[y] * pi[y] / train[y];
            z += row[y];
        }
        if z > 0.0 {
            row.iter_mut().for_each(|v| *v /= z);
        } else {
            row.clone_from(orig);
        }
    }
    pi
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document of 80% class-0 items, scored by a model trained at
    /// (0.5, 0.5) and nearly sure of each item: EM finds 0.8, and an
    /// ambiguous item moves toward the document's majority.
    #[test]
    fn em_recovers_shifted_proportions() {
        let mut probs: Vec<Vec<f64>> = (0..1000)
            .map(|i| {
                if i % 5 == 0 {
                    vec![0.01, 0.99]
                } else {
                    vec![0.99, 0.01]
                }
            })
            .collect();
        probs.push(vec![0.5, 0.5]);
        let pi = adapt_priors(&mut probs, &[0.5, 0.5], 0.0);
        assert!((pi[0] - 0.8).abs() < 0.01, "{pi:?}");
        let ambiguous = probs.last().unwrap();
        assert!((ambiguous[0] - pi[0]).abs() < 1e-6, "{ambiguous:?}");
        for r in &probs {
            assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
    }

    /// A strong prior keeps a short document near the training
    /// proportions; no items, or bad training proportions, change nothing.
    #[test]
    fn the_prior_holds_short_documents_and_bad_input_is_left_alone() {
        let mut probs = vec![vec![0.9, 0.1], vec![0.9, 0.1]];
        let pi = adapt_priors(&mut probs, &[0.5, 0.5], 1000.0);
        assert!((pi[0] - 0.5).abs() < 0.01, "{pi:?}");
        let mut none: Vec<Vec<f64>> = Vec::new();
        assert_eq!(adapt_priors(&mut none, &[0.3, 0.7], 10.0), vec![0.3, 0.7]);
        let mut rows = vec![vec![0.5, 0.5]];
        adapt_priors(&mut rows, &[0.0, 1.0], 10.0);
        assert_eq!(rows, vec![vec![0.5, 0.5]]);
    }
}
