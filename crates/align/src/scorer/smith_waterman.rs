//! Smith–Waterman local alignment over characters: the best-scoring pair of
//! substrings, with their spans as evidence.
//!
//! Scores: match +2, mismatch −1, gap −1 (linear). Time O(n·m) for two
//! score-only passes (forward for the end, reversed for the start),
//! memory O(m): no traceback matrix. The normalized similarity is the best local score over
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
    /// Best local score and the (exclusive) end of the alignment in both
    /// texts: one row of scores, no traceback.
    fn forward(
        &self,
        a: &[char],
        b: &[char],
        row: &mut Vec<i32>,
        band: Option<(isize, usize)>,
    ) -> (i32, usize, usize) {
        row.clear();
        row.resize(b.len() + 1, 0);
        let (mut best, mut bi, mut bj) = (0, 0, 0);
        for (i, &ca) in a.iter().enumerate() {
            // Columns of this row: all, or the band of diagonals j − i in
            // [offset − width, offset + width].
            let (lo, hi) = match band {
                None => (0, b.len()),
                Some((offset, width)) => {
                    let centre = i as isize + offset;
                    let lo = (centre - width as isize).clamp(0, b.len() as isize) as usize;
                    let hi = (centre + width as isize + 1).clamp(0, b.len() as isize) as usize;
                    (lo, hi)
                }
            };
            if lo >= hi {
                continue;
            }
            let mut diag = row[lo]; // previous row, column lo − 1
            let mut left = 0; // this row, column j − 1 (outside the band: 0)
            for (j, &cb) in b.iter().enumerate().take(hi).skip(lo) {
                let up = row[j + 1];
                let s = if ca == cb {
                    self.matched
                } else {
                    self.mismatch
                };
                let v = (diag + s).max(up + self.gap).max(left + self.gap).max(0);
                diag = up;
                row[j + 1] = v;
                left = v;
                if v > best {
                    best = v;
                    bi = i + 1;
                    bj = j + 1;
                }
            }
            if lo > 0 {
                // Column lo − 1 leaves the band: later rows must read 0 there.
                row[lo] = 0;
            }
        }
        (best, bi, bj)
    }

    /// Like [`SmithWaterman::align`], restricted to the diagonals `j − i`
    /// within `width` of `offset` (banded Smith–Waterman): O(n·width).
    /// For evidence between near-copies, where the offset comes from
    /// shared n-grams.
    pub fn align_banded(
        &self,
        a: &[char],
        b: &[char],
        offset: isize,
        width: usize,
    ) -> LocalAlignment {
        let mut row = Vec::new();
        let (score, ai, bj) = self.forward(a, b, &mut row, Some((offset, width)));
        if score == 0 {
            return LocalAlignment::default();
        }
        let ra: Vec<char> = a[..ai].iter().rev().copied().collect();
        let rb: Vec<char> = b[..bj].iter().rev().copied().collect();
        let reversed_offset = (bj as isize - ai as isize) - offset;
        let (_, ri, rj) = self.forward(&ra, &rb, &mut row, Some((reversed_offset, width)));
        LocalAlignment {
            score,
            a: ai - ri..ai,
            b: bj - rj..bj,
        }
    }

    /// Aligns `a` and `b` (character slices). Two score-only passes: the
    /// forward pass finds the best score and where the alignment ends; the
    /// same pass over the reversed prefixes finds where it starts.
    pub fn align(&self, a: &[char], b: &[char]) -> LocalAlignment {
        let mut row = Vec::new();
        let (score, ai, bj) = self.forward(a, b, &mut row, None);
        if score == 0 {
            return LocalAlignment::default();
        }
        let ra: Vec<char> = a[..ai].iter().rev().copied().collect();
        let rb: Vec<char> = b[..bj].iter().rev().copied().collect();
        let (_, ri, rj) = self.forward(&ra, &rb, &mut row, None);
        LocalAlignment {
            score,
            a: ai - ri..ai,
            b: bj - rj..bj,
        }
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
    fn start_and_end_agree_with_the_score() {
        let sw = SmithWaterman::default();
        let cases = [
            ("abcxyz", "qqabcqq", "abc"),
            ("政务公开", "推进政务公开工作", "政务公开"),
            ("", "abc", ""),
            ("ab", "cd", ""),
        ];
        for (a, b, shared) in cases {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let al = sw.align(&a, &b);
            assert_eq!(a[al.a.clone()].iter().collect::<String>(), shared);
            assert_eq!(al.score, 2 * shared.chars().count() as i32);
        }
    }

    #[test]
    fn banded_equals_full_on_near_copies() {
        let sw = SmithWaterman::default();
        let a: Vec<char> = "审计厅推进在政府网站集中发布减税降费政策".chars().collect();
        let b: Vec<char> = "在政府网站集中发布减税降费政策措施".chars().collect();
        let full = sw.align(&a, &b);
        let banded = sw.align_banded(&a, &b, -5, 4);
        assert_eq!(full, banded);
        // A band that misses the alignment finds less.
        assert!(sw.align_banded(&a, &b, 30, 2).score < full.score);
    }

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
