//! Stage 5, evidence: where an item and the requirement it was decided
//! for (or its nearest one) align, as raw byte spans in both texts.
//!
//! Smith–Waterman local alignment (match +2, mismatch −1, gap −1),
//! banded around the diagonal on which most shared bigrams sit, over the
//! rows where they recur: O(passage · band) instead of O(n · m), so a
//! long merged item costs no more than the passage that matches.

use std::ops::Range;

use crate::grams::Gram;
use crate::normalize::NormText;
use crate::scorer::{SmithWaterman, SwBuffers};

use crate::types::{Evidence, Id};

/// Calls `f(i, j)` for every pair of positions at which texts a and b
/// (as [`crate::grams::bigram_positions`]) hold the same bigram: one merge of the two
/// sorted lists.
fn for_each_shared(a: &[(Gram, u32)], b: &[(Gram, u32)], mut f: impl FnMut(u32, u32)) {
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        let (ka, kb) = (a[x].0, b[y].0);
        if ka < kb {
            x += 1;
        } else if ka > kb {
            y += 1;
        } else {
            let x_end = x + a[x..].iter().take_while(|p| p.0 == ka).count();
            let y_end = y + b[y..].iter().take_while(|p| p.0 == ka).count();
            for &(_, i) in &a[x..x_end] {
                for &(_, j) in &b[y..y_end] {
                    f(i, j);
                }
            }
            (x, y) = (x_end, y_end);
        }
    }
}

/// Where two texts align: the diagonal offset `j − i` on which most
/// shared bigrams of texts a (at i) and b (at j, a text of `b_len`
/// characters) sit (the smallest on a tie); the range of the offsets of
/// the well-populated diagonals within `width` of it; and the rows of a
/// from the first to past the last bigram on those diagonals. None when
/// the texts share no bigram. `counts` is a reusable buffer.
fn dominant_diagonal(
    a_positions: &[(Gram, u32)],
    b_positions: &[(Gram, u32)],
    b_len: usize,
    width: usize,
    (counts, pairs): (&mut Vec<u32>, &mut Vec<(u32, u32)>),
) -> Option<((isize, isize), Range<usize>)> {
    // Offsets run from −(a_len − 1) to b_len − 1: index offset + a_len.
    let a_len = a_positions.len() + 1;
    counts.clear();
    counts.resize(a_len + b_len, 0);
    // The shared pairs are kept for the second pass below (one merge of
    // the two lists instead of two), up to `KEPT_PAIRS`: a damaged blob
    // that repeats one bigram thousands of times is merged twice instead.
    pairs.clear();
    let mut kept = true;
    for_each_shared(a_positions, b_positions, |i, j| {
        counts[j as usize + a_len - i as usize] += 1;
        if pairs.len() < KEPT_PAIRS {
            pairs.push((i, j));
        } else {
            kept = false;
        }
    });
    let (mut best, mut at) = (0, 0);
    for (k, &c) in counts.iter().enumerate() {
        if c > best {
            (best, at) = (c, k);
        }
    }
    if best == 0 {
        return None;
    }
    let offset = at as isize - a_len as isize;
    // Diagonals near the dominant one that carry a run of shared bigrams
    // (at least a quarter as many as the dominant, and two): stray common
    // bigrams (公开, 信息) on other diagonals widen neither band nor rows.
    let strong = |d: isize| {
        (d - offset).unsigned_abs() <= width && {
            let c = counts[(d + a_len as isize) as usize];
            c == best || c >= best.div_ceil(4).max(2)
        }
    };
    let (mut lo, mut hi) = (usize::MAX, 0);
    let (mut low, mut high) = (offset, offset);
    let mut widen = |i: u32, j: u32| {
        let d = j as isize - i as isize;
        if strong(d) {
            lo = lo.min(i as usize);
            hi = hi.max(i as usize + 2);
            low = low.min(d);
            high = high.max(d);
        }
    };
    if kept {
        pairs.iter().for_each(|&(i, j)| widen(i, j));
    } else {
        for_each_shared(a_positions, b_positions, widen);
        *pairs = Vec::new();
    }
    Some(((low, high), lo..hi))
}

/// Most shared bigram pairs kept between the two passes of
/// [`dominant_diagonal`] (a few hundred in a sentence; a blob may have
/// millions).
const KEPT_PAIRS: usize = 1 << 16;

/// A requirement's side of the evidence alignment.
pub(crate) struct Target<'a> {
    pub id: &'a Id,
    pub norm: &'a NormText,
    pub positions: &'a [(Gram, u32)],
    pub text: &'a str,
}

/// Reusable buffers of the evidence alignment.
#[derive(Debug, Default)]
pub(crate) struct EvidenceBuffers {
    sw: SwBuffers,
    diagonals: Vec<u32>,
    pairs: Vec<(u32, u32)>,
}

/// The evidence of an item (`norm`, whose bigram positions are
/// `item_positions`, offsets into `raw`) against a requirement. `band`
/// and `slack` are [`crate::AlignConfig::evidence_band`] and
/// [`crate::AlignConfig::evidence_slack`].
pub(crate) fn evidence(
    req: Target<'_>,
    norm: &NormText,
    item_positions: &[(Gram, u32)],
    raw: &str,
    (band_width, slack): (usize, usize),
    buffers: &mut EvidenceBuffers,
) -> Evidence {
    let sw = SmithWaterman::default();
    let slack_i = slack as isize;
    let (n, m) = (norm.len(), req.norm.len());
    let (wa, wb, band) = match dominant_diagonal(
        item_positions,
        req.positions,
        m,
        band_width,
        (&mut buffers.diagonals, &mut buffers.pairs),
    ) {
        Some(((low, high), rows)) => {
            // The diagonals the shared bigrams use, widened by a few
            // characters of slack for gaps between them.
            let (low, high) = (low - slack_i, high + slack_i);
            let wa = rows.start.saturating_sub(slack)..(rows.end + slack).min(n);
            let col = |i: usize, d: isize| (i as isize + d).clamp(0, m as isize) as usize;
            let wb = col(wa.start, low)..col(wa.end, high);
            let shift = wa.start as isize - wb.start as isize;
            (wa, wb, Some((low + shift, high + shift)))
        }
        None => (0..n, 0..m, None),
    };
    let (x, y) = (&norm.chars[wa.clone()], &req.norm.chars[wb.clone()]);
    let al = sw.align_with(x, y, band, &mut buffers.sw);
    let a = wa.start + al.a.start..wa.start + al.a.end;
    let b = wb.start + al.b.start..wb.start + al.b.end;
    let item_span = norm.raw_span(a);
    let requirement_span = req.norm.raw_span(b);
    Evidence {
        requirement: req.id.clone(),
        item_excerpt: raw.get(item_span.clone()).unwrap_or_default().to_string(),
        requirement_excerpt: req
            .text
            .get(requirement_span.clone())
            .unwrap_or_default()
            .to_string(),
        item_span,
        requirement_span,
        alignment: sw.normalize(al.score, norm.len(), req.norm.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grams::bigram_positions;

    /// Every bigram pair's diagonal, counted directly (the oracle).
    fn reference(
        a: &[(Gram, u32)],
        b: &[(Gram, u32)],
        width: usize,
    ) -> Option<(isize, isize, usize, usize)> {
        let mut pairs = Vec::new();
        for &(ga, i) in a {
            for &(gb, j) in b {
                if ga == gb {
                    pairs.push((i as isize, j as isize));
                }
            }
        }
        let mut counts = std::collections::BTreeMap::new();
        for &(i, j) in &pairs {
            *counts.entry(j - i).or_insert(0u32) += 1;
        }
        // The most populated diagonal, the smallest on a tie.
        let (&offset, &best) = counts.iter().rev().max_by_key(|&(_, &c)| c)?;
        let strong = |d: isize| {
            (d - offset).unsigned_abs() <= width
                && (counts[&d] == best || counts[&d] >= best.div_ceil(4).max(2))
        };
        let on: Vec<_> = pairs.iter().filter(|&&(i, j)| strong(j - i)).collect();
        Some((
            on.iter().map(|&&(i, j)| j - i).min()?,
            on.iter().map(|&&(i, j)| j - i).max()?,
            on.iter().map(|&&(i, _)| i as usize).min()?,
            on.iter().map(|&&(i, _)| i as usize + 2).max()?,
        ))
    }

    fn check(a: &str, b: &str) {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let (pa, pb) = (bigram_positions(&a), bigram_positions(&b));
        let (mut counts, mut pairs) = (Vec::new(), Vec::new());
        let got = dominant_diagonal(&pa, &pb, b.len(), 8, (&mut counts, &mut pairs))
            .map(|((low, high), rows)| (low, high, rows.start, rows.end));
        assert_eq!(got, reference(&pa, &pb, 8), "{a:?} / {b:?}");
    }

    #[test]
    fn dominant_diagonal_matches_direct_count() {
        check("加强政府信息公开平台建设", "政府信息公开平台");
        check("公开公开公开信息", "信息公开");
        check("完全不同", "另外的话");
        // More shared pairs than are kept between passes (300 × 300
        // repeats of one bigram): the second pass merges again.
        check(&"公开".repeat(300), &"公开".repeat(300));
    }
}
