//! Fitting a conditional logit by Newton's method: each sample is a set
//! of outcomes, each outcome a feature row, one of them chosen; the
//! weights θ (shared by every outcome) maximize the weighted
//! log-likelihood of the choices less an L2 penalty ½·Σ λᵢ·θᵢ². The
//! objective is convex, so Newton's step, halved until it does not make
//! things worse, converges; deterministic. The item decision
//! ([`super::DecisionModel::fit`]) and the heading model
//! ([`super::HeadingModel::fit`]) both fit through it.

/// One labelled choice: the feature row of every outcome, the chosen
/// outcome, the sample's weight.
pub(crate) struct Choice<const N: usize> {
    pub(crate) rows: Vec<[f64; N]>,
    pub(crate) chosen: usize,
    pub(crate) weight: f64,
}

/// The softmax of the rows' utilities θ · x.
pub(crate) fn probabilities<const N: usize>(theta: &[f64; N], rows: &[[f64; N]]) -> Vec<f64> {
    let mut u: Vec<f64> = rows
        .iter()
        .map(|r| r.iter().zip(theta).map(|(x, w)| x * w).sum())
        .collect();
    let m = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut z = 0.0;
    for v in &mut u {
        *v = (*v - m).exp();
        z += *v;
    }
    u.iter_mut().for_each(|v| *v /= z);
    u
}

/// The weights maximizing the penalized log-likelihood of `samples`,
/// `penalty[i]` the L2 penalty of weight `i` (0: unpenalized); None when
/// the Hessian is singular. At most 100 Newton steps.
pub(crate) fn fit<const N: usize>(samples: &[Choice<N>], penalty: &[f64; N]) -> Option<[f64; N]> {
    let objective = |theta: &[f64; N]| {
        let mut nll = 0.0;
        for s in samples {
            nll -= s.weight * probabilities(theta, &s.rows)[s.chosen].max(1e-300).ln();
        }
        nll + 0.5
            * (0..N)
                .map(|i| penalty[i] * theta[i] * theta[i])
                .sum::<f64>()
    };
    let mut theta = [0.0; N];
    let mut current = objective(&theta);
    for _ in 0..100 {
        let mut grad = [0.0; N];
        let mut hess = vec![[0.0; N]; N];
        for s in samples {
            let p = probabilities(&theta, &s.rows);
            let mut mean = [0.0; N];
            for (x, &pk) in s.rows.iter().zip(&p) {
                for i in 0..N {
                    mean[i] += pk * x[i];
                }
                for i in (0..N).filter(|&i| x[i] != 0.0) {
                    for j in 0..N {
                        hess[i][j] += s.weight * pk * x[i] * x[j];
                    }
                }
            }
            let xy = &s.rows[s.chosen];
            for i in 0..N {
                grad[i] += s.weight * (xy[i] - mean[i]);
                for j in 0..N {
                    hess[i][j] -= s.weight * mean[i] * mean[j];
                }
            }
        }
        for i in 0..N {
            grad[i] -= penalty[i] * theta[i];
            hess[i][i] += penalty[i] + 1e-9;
        }
        let step = solve(hess, grad)?;
        // Backtracking: Newton's step on a convex objective, halved
        // until it does not make things worse.
        let mut scale = 1.0;
        let mut improved = false;
        while scale > 1e-6 {
            let mut next = theta;
            for i in 0..N {
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
    Some(theta)
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting;
/// None when `a` is singular.
fn solve<const N: usize>(mut a: Vec<[f64; N]>, mut b: [f64; N]) -> Option<[f64; N]> {
    for c in 0..N {
        let p = (c..N).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[p][c].abs() < 1e-12 {
            return None;
        }
        a.swap(c, p);
        b.swap(c, p);
        let pivot = a[c];
        for r in c + 1..N {
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
    let mut x = [0.0; N];
    for c in (0..N).rev() {
        let s: f64 = (c + 1..N).map(|j| a[c][j] * x[j]).sum();
        x[c] = (b[c] - s) / a[c][c];
    }
    Some(x)
}
