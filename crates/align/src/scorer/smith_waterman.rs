//! Smith–Waterman local alignment over characters: the best-scoring pair of
//! substrings, with their spans as evidence.
//!
//! Scores: match +2, mismatch −1, gap −1 (linear). Time O(n·m) for one
//! pass in which every cell carries where its alignment started, memory
//! O(m): no traceback matrix. The normalized similarity is the best local score over
//! the best score possible for the shorter text (2 · min(n, m)).

use std::ops::Range;

use super::similarity::Similarity;

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

/// Reusable rows for [`SmithWaterman::align_with`], so repeated
/// alignments allocate nothing.
#[derive(Debug, Clone, Default)]
pub struct SwBuffers {
    narrow: Vec<i64>,
    wide: Vec<i128>,
}

/// A cell of the score row: the score in the high bits and, in the low
/// bits, where the cell's alignment started (as the linear index
/// `i · (m + 1) + j` of its first cell). One integer, so the recurrence is
/// four branch-free maxima, and among equal scores the later start wins.
trait Cell: Copy + Ord {
    const ZERO: Self;
    fn new(score: i32, start: u64) -> Self;
    fn plus(self, s: i32) -> Self;
    fn score(self) -> i32;
    fn start(self) -> u64;
}

impl Cell for i64 {
    const ZERO: Self = 0;
    fn new(score: i32, start: u64) -> Self {
        ((score as i64) << 32) + start as i64
    }
    fn plus(self, s: i32) -> Self {
        self + ((s as i64) << 32)
    }
    fn score(self) -> i32 {
        (self >> 32) as i32
    }
    fn start(self) -> u64 {
        (self & 0xFFFF_FFFF) as u64
    }
}

impl Cell for i128 {
    const ZERO: Self = 0;
    fn new(score: i32, start: u64) -> Self {
        ((score as i128) << 64) + start as i128
    }
    fn plus(self, s: i32) -> Self {
        self + ((s as i128) << 64)
    }
    fn score(self) -> i32 {
        (self >> 64) as i32
    }
    fn start(self) -> u64 {
        self as u64
    }
}

impl SmithWaterman {
    /// Best local alignment in one pass over one row of cells: each cell
    /// also carries where its alignment started, so no traceback matrix
    /// and no second pass are needed. `band`: only the diagonals `j − i`
    /// in `[low, high]`.
    fn forward<C: Cell>(
        &self,
        a: &[char],
        b: &[char],
        row: &mut Vec<C>,
        band: Option<(isize, isize)>,
    ) -> LocalAlignment {
        row.clear();
        row.resize(b.len() + 1, C::ZERO);
        let width = b.len() as u64 + 1;
        let mut best = C::ZERO;
        // The least cell value of a higher score than the best so far.
        let mut best_bound = C::new(1, 0);
        let mut end = (0, 0);
        for (i, &ca) in a.iter().enumerate() {
            // Columns of this row: all, or the band of diagonals.
            let (lo, hi) = match band {
                None => (0, b.len()),
                Some((low, high)) => {
                    let i = i as isize;
                    let lo = (i + low).clamp(0, b.len() as isize) as usize;
                    let hi = (i + high + 1).clamp(0, b.len() as isize) as usize;
                    (lo, hi)
                }
            };
            if lo >= hi {
                continue;
            }
            // Previous row at column lo − 1, and this row's cell to the
            // left (outside the band: zero).
            let mut diag = row[lo];
            let mut left = C::ZERO;
            let row_start = i as u64 * width;
            for ((j, &cb), cell) in (lo..hi).zip(&b[lo..hi]).zip(&mut row[lo + 1..=hi]) {
                let up = *cell;
                let s = if ca == cb {
                    self.matched
                } else {
                    self.mismatch
                };
                // An alignment may start afresh at this cell: a zero that
                // carries this cell as its start.
                let fresh = C::new(0, row_start + j as u64);
                let v = diag
                    .max(fresh)
                    .plus(s)
                    .max(up.plus(self.gap))
                    .max(left.plus(self.gap))
                    .max(C::ZERO);
                diag = up;
                *cell = v;
                left = v;
                // Only a higher score than the best reaches the bound.
                if v >= best_bound {
                    best = v;
                    best_bound = C::new(best.score() + 1, 0);
                    end = (i + 1, j + 1);
                }
            }
            if lo > 0 {
                // Column lo − 1 leaves the band: later rows must read 0 there.
                row[lo] = C::ZERO;
            }
        }
        if best.score() <= 0 {
            return LocalAlignment::default();
        }
        let (si, sj) = (best.start() / width, best.start() % width);
        LocalAlignment {
            score: best.score(),
            a: si as usize..end.0,
            b: sj as usize..end.1,
        }
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
        let w = width as isize;
        self.align_with(
            a,
            b,
            Some((offset - w, offset + w)),
            &mut SwBuffers::default(),
        )
    }

    /// Aligns `a` and `b` (character slices): the best-scoring pair of
    /// substrings, in one pass of O(n·m) time and O(m) memory.
    pub fn align(&self, a: &[char], b: &[char]) -> LocalAlignment {
        self.align_with(a, b, None, &mut SwBuffers::default())
    }

    /// [`SmithWaterman::align`] or, with `band = Some((low, high))`, the
    /// alignment restricted to the diagonals `j − i` in `[low, high]`,
    /// with reusable buffers.
    pub fn align_with(
        &self,
        a: &[char],
        b: &[char],
        band: Option<(isize, isize)>,
        rows: &mut SwBuffers,
    ) -> LocalAlignment {
        // Cell starts fit 32 bits for all but enormous pairs of texts.
        let cells = (a.len() as u64 + 1).saturating_mul(b.len() as u64 + 1);
        if cells < 1 << 32 {
            self.forward(a, b, &mut rows.narrow, band)
        } else {
            self.forward(a, b, &mut rows.wide, band)
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
    use proptest::prelude::*;

    use super::*;

    /// The textbook recurrence over the full matrix: the best local score.
    fn naive_best(sw: &SmithWaterman, a: &[char], b: &[char]) -> i32 {
        let mut h = vec![vec![0i32; b.len() + 1]; a.len() + 1];
        let mut best = 0;
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let s = if a[i - 1] == b[j - 1] {
                    sw.matched
                } else {
                    sw.mismatch
                };
                h[i][j] = (h[i - 1][j - 1] + s)
                    .max(h[i - 1][j] + sw.gap)
                    .max(h[i][j - 1] + sw.gap)
                    .max(0);
                best = best.max(h[i][j]);
            }
        }
        best
    }

    /// The best global alignment score of two whole texts.
    fn global(sw: &SmithWaterman, a: &[char], b: &[char]) -> i32 {
        let mut g = vec![vec![0i32; b.len() + 1]; a.len() + 1];
        for i in 0..=a.len() {
            for j in 0..=b.len() {
                g[i][j] = match (i, j) {
                    (0, _) => j as i32 * sw.gap,
                    (_, 0) => i as i32 * sw.gap,
                    _ => {
                        let s = if a[i - 1] == b[j - 1] {
                            sw.matched
                        } else {
                            sw.mismatch
                        };
                        (g[i - 1][j - 1] + s)
                            .max(g[i - 1][j] + sw.gap)
                            .max(g[i][j - 1] + sw.gap)
                    }
                };
            }
        }
        g[a.len()][b.len()]
    }

    proptest! {
        /// The one-pass alignment finds the best local score, and its
        /// spans align globally with exactly that score (they are a true
        /// optimal local alignment); a band covering every diagonal
        /// changes nothing.
        #[test]
        fn one_pass_alignment_is_optimal(a in "[abc政务]{0,24}", b in "[abc政务]{0,24}") {
            let sw = SmithWaterman::default();
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let al = sw.align(&a, &b);
            prop_assert_eq!(al.score, naive_best(&sw, &a, &b));
            if al.score > 0 {
                prop_assert_eq!(global(&sw, &a[al.a.clone()], &b[al.b.clone()]), al.score);
            }
            let banded = sw.align_banded(&a, &b, 0, a.len() + b.len());
            prop_assert_eq!(&banded, &al);
            // The 128-bit cells of enormous texts give the same result.
            let wide = sw.forward(&a, &b, &mut Vec::<i128>::new(), None);
            prop_assert_eq!(wide, al);
        }
    }

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
