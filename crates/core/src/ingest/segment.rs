//! Segmentation: lines, and prose lines into pieces that each hold one
//! sentence or one heading.
//!
//! A prose line splits at sentence ends outside brackets and quotes
//! ([`crate::text::sentence_ends`]), and a piece that opens with a heading
//! marker and runs straight into another marker (`二、主要任务（一）加快推进
//! 平台建设。`, typical of text whose line breaks were lost) splits before
//! the inner marker. A piece that is only a bracketed note right after a
//! sentence end (`。(市统计局牵头落实)`) joins the sentence before it.

use std::ops::Range;

use crate::markers::marker_at;
use crate::text::{sentences, trim_range};

/// Longest heading text (in characters) that may run into the next marker.
const MAX_RUN_IN_HEADING: usize = 30;

/// Lines of `text` that hold more than whitespace: the raw range (line
/// break excluded) and the trimmed range.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (Range<usize>, Range<usize>)> + '_ {
    let mut start = 0;
    text.split_inclusive('\n').filter_map(move |l| {
        let r = start..start + l.len();
        start = r.end;
        let raw = r.start..r.end - usize::from(l.ends_with('\n'));
        trim_range(text, r).map(|t| (raw, t))
    })
}

/// Splits the prose line `line` of `text` into pieces.
pub(crate) fn prose_pieces(text: &str, line: Range<usize>) -> Vec<Range<usize>> {
    let s = &text[line.clone()];
    let mut pieces: Vec<Range<usize>> = Vec::new();
    for r in sentences(s) {
        for p in split_run_in_headings(s, r) {
            let piece = &s[p.clone()];
            if is_bracket_note(piece)
                && let Some(prev) = pieces.last_mut()
            {
                prev.end = p.end;
                continue;
            }
            pieces.push(p);
        }
    }
    pieces
        .into_iter()
        .map(|p| line.start + p.start..line.start + p.end)
        .collect()
}

/// Whether `piece` is one bracketed note, e.g. `（市统计局牵头落实）`.
pub(crate) fn is_bracket_note(piece: &str) -> bool {
    let (open, close) = match piece.chars().next() {
        Some('（') => ('（', '）'),
        Some('(') => ('(', ')'),
        _ => return false,
    };
    let t = piece.trim_end_matches(['。', '；', ';']);
    t.ends_with([close, '）', ')']) && t.matches(open).count() == 1 && marker_at(piece).is_none()
}

/// Splits a sentence that starts with a heading marker before any further
/// marker found within [`MAX_RUN_IN_HEADING`] characters with no comma in
/// between.
fn split_run_in_headings(s: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    'outer: while start < r.end {
        let piece = &s[start..r.end];
        if let Some(m) = marker_at(piece) {
            let mut chars = 0;
            for (i, c) in piece[m.len..].char_indices() {
                if chars >= MAX_RUN_IN_HEADING || matches!(c, '，' | ',' | '：' | ':') {
                    break;
                }
                let at = m.len + i;
                if i > 0 && marker_at(&piece[at..]).is_some() {
                    out.push(start..start + at);
                    start += at;
                    continue 'outer;
                }
                chars += 1;
            }
        }
        out.push(start..r.end);
        break;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(s: &str) -> Vec<&str> {
        prose_pieces(s, 0..s.len())
            .into_iter()
            .map(|r| &s[r])
            .collect()
    }

    #[test]
    fn splits_sentences_and_run_in_headings() {
        let cases = [
            (
                "run-in",
                "二、主要任务（一）加快推进平台建设。1.加强网站建设。网站是平台。",
                vec![
                    "二、主要任务",
                    "（一）加快推进平台建设。",
                    "1.加强网站建设。",
                    "网站是平台。",
                ],
            ),
            (
                "unit note joins",
                "引导社会预期。(市统计局牵头落实)",
                vec!["引导社会预期。(市统计局牵头落实)"],
            ),
            (
                "marker with comma is a statement",
                "1.围绕财政政策，深入解读。",
                vec!["1.围绕财政政策，深入解读。"],
            ),
            ("no marker", "甲乙丙。丁", vec!["甲乙丙。", "丁"]),
        ];
        for (name, input, expected) in cases {
            assert_eq!(pieces(input), expected, "case {name}");
        }
    }
}
