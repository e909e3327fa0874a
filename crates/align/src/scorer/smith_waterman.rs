//! Smith–Waterman local alignment over characters: the best-scoring pair of
//! substrings, with their spans as evidence.
//!
//! Scores: match +2, mismatch −1, gap −1 (linear). Time O(n·m), memory
//! O(m) plus the traceback of start positions carried along the rows (no
//! full matrix). The normalized similarity is the best local score over
//! the best score possible for the shorter text (2 · min(n, m)).

use std::ops::Range;

use super::Similarity;

/// Local alignment scorer.
#[derive(Debug, Clone, Copy)]
pub struct SmithWaterman {
    /// Score of two equal characters.
    pub matched: i32,
    /// Score of two different characters.
    pub mismatch: i32,
    /// Score of a gap.
    pub gap: i32,
}

impl Default for SmithWaterman {
    fn default() -> Self {
        SmithWaterman {
            matched: 2,
            mismatch: -1,
            gap: -1,
        }
    }
}

/// The best local alignment of two texts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalAlignment {
    /// Its score.
    pub score: i32,
    /// The aligned characters of the first text.
    pub a: Range<usize>,
    /// The aligned characters of the second text.
    pub b: Range<usize>,
}

impl SmithWaterman {
    /// Aligns `a` and `b` (character slices).
    pub fn align(&self, a: &[char], b: &[char]) -> LocalAlignment {
        let m = b.len();
        // Each cell holds its score and where its alignment started (i, j).
        let mut prev: Vec<(i32, u32, u32)> = vec![(0, 0, 0); m + 1];
        let mut cur: Vec<(i32, u32, u32)> = vec![(0, 0, 0); m + 1];
        let mut best = LocalAlignment::default();
        for i in 1..=a.len() {
            cur[0] = (0, i as u32, 0);
            for j in 1..=m {
                let s = if a[i - 1] == b[j - 1] {
                    self.matched
                } else {
                    self.mismatch
                };
                let diag = prev[j - 1];
                let diag_score = diag.0 + s;
                let up = (prev[j].0 + self.gap, prev[j].1, prev[j].2);
                let left = (cur[j - 1].0 + self.gap, cur[j - 1].1, cur[j - 1].2);
                let mut cell = if diag.0 == 0 {
                    (diag_score, (i - 1) as u32, (j - 1) as u32)
                } else {
                    (diag_score, diag.1, diag.2)
                };
                if up.0 > cell.0 {
                    cell = up;
                }
                if left.0 > cell.0 {
                    cell = left;
                }
                if cell.0 <= 0 {
                    cell = (0, i as u32, j as u32);
                }
                cur[j] = cell;
                if cell.0 > best.score {
                    best = LocalAlignment {
                        score: cell.0,
                        a: cell.1 as usize..i,
                        b: cell.2 as usize..j,
                    };
                }
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        best
    }

    /// The normalized score of an alignment of texts of lengths n and m.
    pub fn normalize(&self, score: i32, n: usize, m: usize) -> f64 {
        let best = self.matched as f64 * n.min(m) as f64;
        if best <= 0.0 {
            0.0
        } else {
            (score as f64 / best).clamp(0.0, 1.0)
        }
    }
}

impl Similarity for SmithWaterman {
    fn name(&self) -> &'static str {
        "smith_waterman"
    }
    fn normalized_similarity(&self, a: &str, b: &str) -> f64 {
        if a == b {
            return 1.0;
        }
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let al = self.align(&a, &b);
        self.normalize(al.score, a.len(), b.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_shared_passage() {
        let a: Vec<char> = "审计厅推进在政府网站集中发布减税降费政策".chars().collect();
        let b: Vec<char> = "在政府网站集中发布减税降费政策措施".chars().collect();
        let al = SmithWaterman::default().align(&a, &b);
        let got: String = a[al.a.clone()].iter().collect();
        assert_eq!(got, "在政府网站集中发布减税降费政策");
        assert_eq!(b[al.b.clone()].iter().collect::<String>(), got);
    }
}
