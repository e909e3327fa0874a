//! Shingles: hashes of every window of `k` characters, and winnowing
//! (Schleimer, Wilkerson and Aiken 2003, the fingerprinting of MOSS),
//! which keeps the smallest hash of every `w` consecutive windows so
//! that any shared run of at least `w + k − 1` characters shares a kept
//! hash. A leaf: imports nothing of the crate.

/// A character of the national text, in a statement masked for the
/// search for reuse (a private-use character no text holds).
pub(crate) const MASK: char = '\u{E000}';

/// The hash of each window of `k` characters of `chars`, in order
/// (`chars.len() − k + 1` of them; none when shorter than `k`). Each
/// window is hashed on its own (k multiplications), then mixed
/// (SplitMix64's finalizer), so nearby windows get unrelated hashes.
pub fn window_hashes(chars: &[char], k: usize) -> Vec<u64> {
    if k == 0 || chars.len() < k {
        return Vec::new();
    }
    chars.windows(k).map(hash_window).collect()
}

/// The hash of one window.
pub fn hash_window(w: &[char]) -> u64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15;
    for &c in w {
        h = (h ^ u64::from(u32::from(c))).wrapping_mul(0x0100_0000_01B3);
        h = h.rotate_left(23);
    }
    mix(h)
}

/// SplitMix64's finalizer.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Winnowing: the positions of the kept hashes of `hashes` (window
/// `w`): in every run of `w` consecutive hashes the smallest (the
/// rightmost on a tie), each position once, in order. All positions
/// when there are fewer than `w` hashes. O(n · w).
pub fn winnow(hashes: &[u64], w: usize) -> Vec<usize> {
    let w = w.max(1);
    if hashes.len() <= w {
        // One window: its minimum, and with it every hash when short.
        return (0..hashes.len()).collect();
    }
    let mut kept: Vec<usize> = Vec::with_capacity(2 * hashes.len() / (w + 1) + 1);
    for start in 0..=hashes.len() - w {
        let mut best = start;
        for i in start..start + w {
            if hashes[i] <= hashes[best] {
                best = i;
            }
        }
        if kept.last() != Some(&best) {
            kept.push(best);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn equal_windows_hash_equal() {
        let a = window_hashes(&chars("推进政务公开标准化规范化"), 4);
        let b = window_hashes(&chars("全面推进政务公开标准化"), 4);
        assert_eq!(a.len(), 12 - 4 + 1);
        // 推进政务 … 开标准化: the windows the texts share.
        assert_eq!(&a[..5], &b[2..7]);
        assert_ne!(a[0], a[1]);
        assert!(window_hashes(&chars("短"), 4).is_empty());
        assert!(window_hashes(&chars("任何"), 0).is_empty());
    }

    proptest::proptest! {
        /// Any run of w + k − 1 characters that two texts share shares a
        /// kept hash (the winnowing guarantee).
        #[test]
        fn shared_runs_share_a_fingerprint(
            left in "[一-龥]{0,12}", shared in "[一-龥]{9,20}", right in "[一-龥]{0,12}",
            other in "[一-龥]{0,12}",
        ) {
            let (k, w) = (6, 4);
            let a = chars(&format!("{left}{shared}{right}"));
            let b = chars(&format!("{other}{shared}"));
            let (ha, hb) = (window_hashes(&a, k), window_hashes(&b, k));
            let fa: std::collections::HashSet<u64> = winnow(&ha, w).into_iter().map(|i| ha[i]).collect();
            let fb: std::collections::HashSet<u64> = winnow(&hb, w).into_iter().map(|i| hb[i]).collect();
            proptest::prop_assert!(fa.intersection(&fb).next().is_some());
        }

        #[test]
        fn winnowing_keeps_positions_in_order(h in proptest::collection::vec(0u64..50, 0..40), w in 1usize..6) {
            let kept = winnow(&h, w);
            proptest::prop_assert!(kept.windows(2).all(|p| p[0] < p[1]));
            proptest::prop_assert!(kept.iter().all(|&i| i < h.len()));
        }
    }
}
