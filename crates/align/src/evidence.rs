//! Stage 5, evidence: where an item and the requirement it was decided
//! for (or its nearest one) align, as raw byte spans in both texts.
//!
//! Smith–Waterman local alignment (match +2, mismatch −1, gap −1),
//! banded around the diagonal on which most shared bigrams sit, over the
//! rows where they recur: O(passage · band) instead of O(n · m), so a
//! long merged item costs no more than the passage that matches.

use std::ops::Range;

use crate::grams::{Gram, grams_and_positions};
use crate::normalize::NormText;
use crate::scorer::{SmithWaterman, SwBuffers};

use super::aligner::Evidence;

/// Each bigram of `b` with its position, sorted.
pub(crate) fn bigram_positions(b: &[char]) -> Vec<(Gram, u32)> {
    let mut positions = Vec::new();
    grams_and_positions(b, &mut positions, &mut Vec::new());
    positions
}

/// Calls `f(i, j)` for every pair of positions at which texts a and b
/// (as [`bigram_positions`]) hold the same bigram: one merge of the two
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
    counts: &mut Vec<u32>,
) -> Option<((isize, isize), Range<usize>)> {
    // Offsets run from −(a_len − 1) to b_len − 1: index offset + a_len.
    let a_len = a_positions.len() + 1;
    counts.clear();
    counts.resize(a_len + b_len, 0);
    for_each_shared(a_positions, b_positions, |i, j| {
        counts[j as usize + a_len - i as usize] += 1;
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
    for_each_shared(a_positions, b_positions, |i, j| {
        let d = j as isize - i as isize;
        if strong(d) {
            lo = lo.min(i as usize);
            hi = hi.max(i as usize + 2);
            low = low.min(d);
            high = high.max(d);
        }
    });
    Some(((low, high), lo..hi))
}

/// A requirement's side of the evidence alignment.
pub(crate) struct Target<'a> {
    pub id: &'a crate::aligner::Id,
    pub norm: &'a NormText,
    pub positions: &'a [(Gram, u32)],
    pub text: &'a str,
}

/// Reusable buffers of the evidence alignment.
#[derive(Debug, Default)]
pub(crate) struct EvidenceBuffers {
    sw: SwBuffers,
    diagonals: Vec<u32>,
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
        &mut buffers.diagonals,
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
