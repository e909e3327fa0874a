//! PDF splices: text of one table column spliced into a sentence of
//! another (`审计厅推发展改革进减在政府网站集中发布…`). They are lifted out of
//! the statement: unit names into the item's units, row numbers and
//! spliced headings into the item's splice list. The item's span still
//! covers the raw text; only its body shrinks.

use std::ops::Range;

use crate::ingest::item::{Splice, SpliceKind};
use crate::ingest::options::IngestOptions;
use crate::text::{content_chars, row_numbers};

/// The statement left after lifting splices out of `range`, with what was
/// lifted and the units named.
pub(crate) struct Lifted {
    pub body: Vec<Range<usize>>,
    pub splices: Vec<Splice>,
    pub units: Vec<String>,
}

/// Lifts splices out of `range` of `text`.
pub(crate) fn lift(text: &str, range: Range<usize>, opts: &IngestOptions) -> Lifted {
    let s = &text[range.clone()];
    let base = range.start;
    let mut cuts: Vec<Splice> = Vec::new();
    let mut units: Vec<String> = Vec::new();
    // 1. Bracketed responsibility notes.
    for (open, close) in [('（', '）'), ('(', ')')] {
        let mut from = 0;
        while let Some(o) = s[from..].find(open).map(|i| from + i) {
            let Some(c) = s[o..].find(close).map(|i| o + i) else {
                break;
            };
            let inner = &s[o + open.len_utf8()..c];
            let end = c + close.len_utf8();
            if !inner.contains(open) && opts.units.is_unit_statement(inner) {
                units.extend(opts.units.parse_list(inner));
                cuts.push(Splice {
                    span: base + o..base + end,
                    kind: SpliceKind::UnitNote,
                });
            }
            from = end;
        }
    }
    // Notes are the only cuts later steps can collide with (unit names and
    // digit runs never overlap each other): keep them sorted and search
    // them by bisection, so lifting stays linear in the statement.
    cuts.sort_by_key(|c| c.span.start);
    let notes = cuts.len();
    // 2. Unit names.
    for m in opts.units.find_all(s) {
        let span = base + m.span.start..base + m.span.end;
        if !overlaps(&cuts[..notes], &span) {
            if !units.contains(&m.canonical) {
                units.push(m.canonical);
            }
            cuts.push(Splice {
                span,
                kind: SpliceKind::Unit,
            });
        }
    }
    // 3. Row numbers (the shared rule of `text::row_numbers`).
    for r in row_numbers(s.char_indices()) {
        let span = base + r.start..base + r.end;
        if !overlaps(&cuts[..notes], &span) {
            cuts.push(Splice {
                span,
                kind: SpliceKind::RowNumber,
            });
        }
    }
    // 4. Spliced headings and table header words, only inside longer text.
    // They are searched in the text left after steps 1-3, so a heading cut
    // by a spliced row number (`以政6务公开助7力促改革`) is still found.
    let left = complement(range.clone(), &mut cuts);
    let mut residual = String::new();
    // (offset in `residual`, offset in `text`) where each kept piece starts:
    // memory in the number of pieces, not bytes.
    let mut pieces: Vec<(usize, usize)> = Vec::with_capacity(left.len());
    for r in &left {
        pieces.push((residual.len(), r.start));
        residual.push_str(&text[r.clone()]);
    }
    let origin = |at: usize| {
        let k = pieces.partition_point(|p| p.0 <= at).saturating_sub(1);
        pieces.get(k).map_or(range.start, |p| p.1 + (at - p.0))
    };
    let mut heading_cuts = Vec::new();
    for m in opts.phrase_matcher.find_iter(&residual) {
        let span = origin(m.start())..origin(m.end() - 1) + 1;
        heading_cuts.push(Splice {
            span,
            kind: SpliceKind::Heading,
        });
    }
    if !heading_cuts.is_empty() {
        let mut all = cuts.clone();
        all.extend(heading_cuts.iter().cloned());
        let remaining: usize = complement(range.clone(), &mut all)
            .iter()
            .map(|r| content_chars(&text[r.clone()]))
            .sum();
        if remaining >= opts.min_statement_chars {
            cuts.extend(heading_cuts);
        }
    }
    let body = complement(range, &mut cuts);
    Lifted {
        body,
        splices: cuts,
        units,
    }
}

/// Whether `span` overlaps a cut of `sorted` (sorted by start, not
/// overlapping each other). O(log n).
fn overlaps(sorted: &[Splice], span: &Range<usize>) -> bool {
    let k = sorted.partition_point(|c| c.span.start < span.end);
    k > 0 && sorted[k - 1].span.end > span.start
}

/// Sorts `cuts` and returns the parts of `range` they leave, dropping
/// pieces that hold only whitespace.
fn complement(range: Range<usize>, cuts: &mut [Splice]) -> Vec<Range<usize>> {
    cuts.sort_by_key(|c| c.span.start);
    let mut out = Vec::new();
    let mut at = range.start;
    for c in cuts.iter() {
        if c.span.start > at {
            out.push(at..c.span.start);
        }
        at = at.max(c.span.end);
    }
    if at < range.end {
        out.push(at..range.end);
    }
    out
}

/// Words ending in 厅 or 局 that are ordinary vocabulary, not unit names.
const ORDINARY_TING_JU: &[&str] = &[
    "大厅", "格局", "局面", "全局", "布局", "局势", "当局", "结局", "开局", "大局", "局部", "局限",
    "出局", "赌局", "政局", "棋局", "餐厅", "客厅",
];

/// Suspected splices still left in a statement: characters `厅`/`局` that
/// end no ordinary word (fragments of unit names such as `息化厅`), and
/// row numbers (digit runs between CJK characters that are no quantity,
/// [`crate::text::is_row_number`]). A measure of what lifting missed, for
/// reports.
pub fn suspected_splices(statement: &str) -> usize {
    let chars: Vec<char> = statement.chars().collect();
    let mut n = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '厅' || c == '局' {
            let ordinary = ORDINARY_TING_JU.iter().any(|w| {
                let w: Vec<char> = w.chars().collect();
                (0..w.len()).any(|off| {
                    i >= off
                        && i - off + w.len() <= chars.len()
                        && chars[i - off..i - off + w.len()] == w[..]
                })
            });
            if !ordinary {
                n += 1;
            }
        }
    }
    n + row_numbers(statement.char_indices()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lifted(s: &str, phrases: &[&str]) -> (String, Vec<String>) {
        let opts = IngestOptions::builder()
            .splice_phrases(phrases.iter().map(|p| p.to_string()))
            .build()
            .unwrap();
        let l = lift(s, 0..s.len(), &opts);
        (l.body.iter().map(|r| &s[r.clone()]).collect(), l.units)
    }

    #[test]
    fn lifts_splices() {
        // (name, input, splice phrases, expected body, expected units)
        type Case<'a> = (&'a str, &'a str, &'a [&'a str], &'a str, &'a [&'a str]);
        let cases: [Case; 6] = [
            (
                "unit note",
                "引导社会各方正确认识经济形势。(市统计局牵头落实)",
                &[],
                "引导社会各方正确认识经济形势。",
                &["统计局"],
            ),
            (
                "spliced unit list",
                "公开抽查结果。发展改革委、财政厅审改办做好农牧产品价格信息公开工作",
                &[],
                "公开抽查结果。、做好农牧产品价格信息公开工作",
                &["发展改革委", "财政局", "审改办"],
            ),
            (
                "row numbers",
                "以政务公开助力101112131415推进化解过剩产能工作信息公开利用本级政府网站",
                &["以政务公开助力稳增长"],
                "以政务公开助力推进化解过剩产能工作信息公开利用本级政府网站",
                &[],
            ),
            (
                "quantity kept",
                "每年公布2次名单，36家部门",
                &[],
                "每年公布2次名单，36家部门",
                &[],
            ),
            (
                "heading cut by row numbers",
                "增长45以政6务公开助7力促改革89推进国资国企",
                &["以政务公开助力促改革"],
                "增长推进国资国企",
                &[],
            ),
            (
                "heading inside text",
                "推进化解过剩产能工作信息公开利用本级政府网站集中发布",
                &["推进化解过剩产能工作信息公开"],
                "利用本级政府网站集中发布",
                &[],
            ),
        ];
        for (name, input, phrases, body, units) in cases {
            let (b, u) = lifted(input, phrases);
            assert_eq!(b, body, "case {name}");
            assert_eq!(u, units, "case {name}");
        }
    }

    #[test]
    fn heading_alone_is_kept() {
        let (b, _) = lifted(
            "推进化解过剩产能工作信息公开",
            &["推进化解过剩产能工作信息公开"],
        );
        assert_eq!(b, "推进化解过剩产能工作信息公开");
    }

    #[test]
    fn suspects() {
        assert_eq!(
            suspected_splices("适时公布阶段性降低社会保险费率的执行情息化厅况和实际效果"),
            1
        );
        assert_eq!(suspected_splices("规范各类办事大厅的办事指引"), 0);
        assert_eq!(suspected_splices("助力稳3进重大建设项目"), 1);
    }
}
