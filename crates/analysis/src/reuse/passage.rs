//! The passages two items share: Smith–Waterman local alignment (the
//! aligner's scores: match +2, mismatch −1, gap −1) of the two masked
//! statements, national text on each side replaced by a character of its
//! own so it never matches; the best passage, then the best of what is
//! left, while they are long enough (as the legislative influence
//! detector aligns the candidates an index proposes).

use std::ops::Range;

use luoshi_align::scorer::{SmithWaterman, SwBuffers};

use crate::shingle::MASK;

/// One shared passage, as character ranges of the two statements.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shared {
    pub a: Range<usize>,
    pub b: Range<usize>,
    /// Characters outside the national text, the shorter side's.
    pub chars: usize,
    pub similarity: f64,
}

/// Stand-ins for masked characters, different on each side.
const MASK_A: char = '\u{E001}';
const MASK_B: char = '\u{E002}';
/// Stand-ins for the characters of a passage already found.
const TAKEN_A: char = '\u{E003}';
const TAKEN_B: char = '\u{E004}';

fn outside_national(chars: &[char]) -> usize {
    chars
        .iter()
        .filter(|&&c| !matches!(c, MASK_A | MASK_B | TAKEN_A | TAKEN_B))
        .count()
}

/// The passages `a` and `b` (masked statements) share: at most
/// `max_passages`, each of at least `min_passage` characters outside the
/// national text on both sides, best first.
pub(crate) fn shared(
    a: &[char],
    b: &[char],
    min_passage: usize,
    max_passages: usize,
    sw: &mut SwBuffers,
) -> Vec<Shared> {
    let side = |s: &[char], mask: char| -> Vec<char> {
        s.iter()
            .map(|&c| if c == MASK { mask } else { c })
            .collect()
    };
    let (mut a, mut b) = (side(a, MASK_A), side(b, MASK_B));
    let scorer = SmithWaterman::default();
    let mut out = Vec::new();
    while out.len() < max_passages {
        let al = scorer.align_with(&a, &b, None, sw);
        if al.score <= 0 || al.a.is_empty() || al.b.is_empty() {
            break;
        }
        let chars = outside_national(&a[al.a.clone()]).min(outside_national(&b[al.b.clone()]));
        if chars < min_passage {
            break;
        }
        out.push(Shared {
            a: al.a.clone(),
            b: al.b.clone(),
            chars,
            similarity: scorer.normalize(al.score, al.a.len(), al.b.len()),
        });
        a[al.a].iter_mut().for_each(|c| *c = TAKEN_A);
        b[al.b].iter_mut().for_each(|c| *c = TAKEN_B);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn finds_a_lightly_edited_passage_and_stops() {
        let a = chars("前言一句。每月公示旅游投诉情况每季度公开旅游经营服务不良信息");
        let b = chars("每月公示旅游投诉情况并每季度公开旅游经营服务的不良信息，其他内容");
        let got = shared(&a, &b, 12, 4, &mut SwBuffers::default());
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].chars >= 25 && got[0].similarity > 0.8, "{got:?}");
    }

    #[test]
    fn national_text_alone_is_no_passage() {
        let national: Vec<char> = std::iter::repeat_n(MASK, 40).collect();
        assert!(shared(&national, &national, 12, 4, &mut SwBuffers::default()).is_empty());
    }

    #[test]
    fn two_passages_in_other_orders() {
        let p = "建立旅游投诉快速处理机制";
        let q = "推进养老服务补贴政策公开发布";
        let a = chars(&format!("{p}和{q}"));
        let b = chars(&format!("{q}以及{p}"));
        let got = shared(&a, &b, 10, 4, &mut SwBuffers::default());
        assert_eq!(got.len(), 2, "{got:?}");
    }
}
