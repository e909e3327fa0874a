//! Glyphs rebuilt into lines, paragraphs and table cells by geometry
//! rather than by the order of the content stream.
//!
//! - Ruled tables: the stroked and filled rules of a page are collected;
//!   a glyph enclosed by rules on four sides belongs to that cell, so the
//!   columns of a 目标/序号/任务/要求/责任单位 ("goal / number / task /
//!   requirement / responsible unit") table never interleave, whatever
//!   order the producer wrote them in. Rows are the cells sharing a top
//!   rule; a column with no cell in a row (under a merged cell) stays an
//!   empty cell.
//! - A page whose other glyphs leave a gutter (a band no glyph touches,
//!   in the middle of the text) is read column by column, left first.
//! - Other glyphs form lines (by baseline), split at wide gaps into
//!   tab-separated pieces, and lines form paragraphs: a new paragraph
//!   starts after a wider vertical gap, at an indented line, after a line
//!   that ends short of the right edge, or at a change of size; a line
//!   set clearly larger than the page's body text is a heading.

use super::read::{Glyph, Page, Rule};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PieceKind {
    Heading,
    Paragraph,
    Row,
}

/// A block of a page before it is laid out as text.
#[derive(Debug, Clone)]
pub(super) struct Piece {
    pub(super) kind: PieceKind,
    pub(super) text: String,
    pub(super) cells: Vec<String>,
    pub(super) page: u32,
    /// Top of the block (larger is higher on the page).
    pub(super) top: f64,
    /// A paragraph whose last line runs to the right edge.
    pub(super) open: bool,
    /// A paragraph whose first line is indented.
    pub(super) indented: bool,
    /// The text column it sits in (0 on single-column pages); a page is
    /// read column by column.
    pub(super) column: u8,
}

/// A line of glyphs.
#[derive(Debug)]
struct Line {
    y: f64,
    x0: f64,
    x1: f64,
    size: f64,
    text: String,
    tabs: bool,
}

/// Tolerance for rules meeting and glyphs on one baseline, in points.
const EPS: f64 = 1.0;

pub(super) fn layout(page: &Page, number: u32) -> Vec<Piece> {
    let mut pieces = Vec::new();
    // Cells: glyph index → (top, bottom, left, right) of its enclosing rules.
    let mut cells: Vec<(CellKey, Vec<usize>)> = Vec::new();
    let mut free = Vec::new();
    for (i, g) in page.glyphs.iter().enumerate() {
        match enclosing_cell(page, g.cx(), g.cy()) {
            Some(key) => match cells.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(i),
                None => cells.push((key, vec![i])),
            },
            None => free.push(i),
        }
    }
    // Rows: cells sharing a top rule, left to right; the columns are the
    // vertical rules crossing the row.
    let mut tops: Vec<i64> = cells.iter().map(|(k, _)| k.0).collect();
    tops.sort_unstable_by(|a, b| b.cmp(a));
    tops.dedup();
    for top in tops {
        let mut row: Vec<&(CellKey, Vec<usize>)> =
            cells.iter().filter(|(k, _)| k.0 == top).collect();
        row.sort_by_key(|(k, _)| k.2);
        let bottom = row.iter().map(|(k, _)| k.1).max().unwrap_or(top);
        let mid = (top + bottom) as f64 / 2.0 / 100.0;
        let mut columns: Vec<i64> = page
            .vertical
            .iter()
            .filter(|r| r.from - EPS <= mid && mid <= r.to + EPS)
            .map(|r| key(r.at))
            .collect();
        let first_left = row.first().map_or(0, |(k, _)| k.2);
        columns.sort_unstable();
        columns.dedup_by(|a, b| (*a - *b).abs() <= 150);
        // The table's left edge: the leftmost of these rules that a
        // horizontal rule at the row's top or bottom reaches (a merged
        // cell above may keep the top rule from the first column).
        let table_left = columns
            .iter()
            .copied()
            .filter(|&x| {
                page.horizontal.iter().any(|h| {
                    ((key(h.at) - top).abs() <= 150 || (key(h.at) - bottom).abs() <= 150)
                        && key(h.from) <= x + 150
                        && x <= key(h.to) + 150
                })
            })
            .min()
            .unwrap_or(first_left);
        let columns: Vec<i64> = columns.into_iter().filter(|&x| x >= table_left).collect();
        let mut texts: Vec<String> = Vec::new();
        for (k, glyphs) in row {
            let col = columns
                .iter()
                .position(|&x| (x - k.2).abs() <= 150)
                .unwrap_or(texts.len());
            while texts.len() < col {
                texts.push(String::new());
            }
            let lines = lines_of(page, glyphs);
            let text = crate::extract::join_lines(lines.iter().map(|l| l.text.as_str()));
            texts.push(text.replace('\t', " "));
        }
        pieces.push(Piece {
            kind: PieceKind::Row,
            text: String::new(),
            cells: texts,
            page: number,
            top: top as f64 / 100.0,
            open: false,
            indented: false,
            column: 0,
        });
    }
    match gutter(page, &free) {
        Some(x) => {
            // Two columns: each read on its own, the left one first.
            let (l, r): (Vec<usize>, Vec<usize>) =
                free.iter().partition(|&&i| page.glyphs[i].cx() < x);
            pieces.extend(paragraphs(page, &l, number));
            pieces.extend(paragraphs(page, &r, number).into_iter().map(|mut p| {
                p.column = 1;
                p
            }));
        }
        None => pieces.extend(paragraphs(page, &free, number)),
    }
    pieces.sort_by(|a, b| {
        a.column.cmp(&b.column).then(
            b.top
                .partial_cmp(&a.top)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    pieces
}

/// A cell: its top, bottom, left and right rules, in hundredths of a
/// point.
type CellKey = (i64, i64, i64, i64);

/// The x of a gutter splitting the free glyphs of a page into two text
/// columns: the widest band that no glyph touches, at least one and a half
/// body sizes wide, in the middle half of the text's width, with at least
/// a fifth of the glyphs on each side. A line running across both columns
/// (a full-width title) leaves no such band, and the page is read as one
/// column.
fn gutter(page: &Page, free: &[usize]) -> Option<f64> {
    if free.len() < 40 {
        return None;
    }
    let gs: Vec<&Glyph> = free.iter().map(|&i| &page.glyphs[i]).collect();
    let body = median(gs.iter().map(|g| g.size).collect())?;
    let x0 = gs.iter().map(|g| g.x).fold(f64::INFINITY, f64::min);
    let x1 = gs
        .iter()
        .map(|g| g.x + g.w.min(g.size))
        .fold(f64::NEG_INFINITY, f64::max);
    let width = x1 - x0;
    if !(width.is_finite() && width > 0.0 && width < 1e5) {
        return None;
    }
    // Occupancy in bins of one point.
    let n = width.ceil() as usize + 1;
    let mut used = vec![false; n];
    for g in &gs {
        let a = ((g.x - x0).max(0.0)) as usize;
        let b = ((g.x + g.w.min(g.size) - x0).max(0.0)) as usize;
        for u in used.iter_mut().take(b.min(n - 1) + 1).skip(a.min(n - 1)) {
            *u = true;
        }
    }
    let (lo, hi) = ((n / 4), (3 * n / 4));
    let mut best: Option<(usize, usize)> = None;
    let mut i = lo;
    while i < hi {
        if used[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && !used[i] {
            i += 1;
        }
        if best.is_none_or(|(s, e)| i - start > e - s) {
            best = Some((start, i));
        }
    }
    let (s, e) = best?;
    if ((e - s) as f64) < 1.5 * body {
        return None;
    }
    let x = x0 + (s + e) as f64 / 2.0;
    let left = gs.iter().filter(|g| g.cx() < x).count();
    let fifth = gs.len() / 5;
    (left >= fifth && gs.len() - left >= fifth).then_some(x)
}

/// Coordinates as integer hundredths of a point, for grouping.
/// Clamped far inside `i64`, so sums and differences of keys never
/// overflow, whatever coordinates a damaged file claims.
fn key(v: f64) -> i64 {
    (v.clamp(-1e12, 1e12) * 100.0).round() as i64
}

/// The rules enclosing a point on four sides, as a key.
fn enclosing_cell(page: &Page, x: f64, y: f64) -> Option<CellKey> {
    let left = nearest_rule(&page.vertical, x, y, false)?;
    let right = nearest_rule(&page.vertical, x, y, true)?;
    let top = nearest_rule(&page.horizontal, y, x, true)?;
    let bottom = nearest_rule(&page.horizontal, y, x, false)?;
    Some((key(top), key(bottom), key(left), key(right)))
}

/// Of the rules that span `across` (within `EPS`), the position of the
/// nearest one at or beyond `at` (`after`) or at or before it.
fn nearest_rule(rules: &[Rule], at: f64, across: f64, after: bool) -> Option<f64> {
    let spans = rules
        .iter()
        .filter(|r| r.from - EPS <= across && across <= r.to + EPS)
        .map(|r| r.at);
    if after {
        spans.filter(|&p| p >= at).reduce(f64::min)
    } else {
        spans.filter(|&p| p <= at).reduce(f64::max)
    }
}

/// Groups glyphs into lines, top to bottom, each left to right; a gap of
/// two sizes or more becomes a tab, a smaller gap next to Latin text a
/// space.
fn lines_of(page: &Page, idx: &[usize]) -> Vec<Line> {
    let mut gs: Vec<&Glyph> = idx.iter().map(|&i| &page.glyphs[i]).collect();
    gs.sort_by(|a, b| b.y.partial_cmp(&a.y).unwrap_or(std::cmp::Ordering::Equal));
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    for g in gs {
        match groups.last_mut() {
            Some(line) if (line[0].y - g.y).abs() <= line[0].size.min(g.size) * 0.5 => line.push(g),
            _ => groups.push(vec![g]),
        }
    }
    groups
        .into_iter()
        .map(|mut line| {
            line.sort_by(|a, b| a.x.partial_cmp(&b.x).unwrap_or(std::cmp::Ordering::Equal));
            let mut text = String::new();
            let mut tabs = false;
            let mut end: Option<f64> = None;
            let mut sizes: Vec<f64> = Vec::new();
            for g in &line {
                if let Some(e) = end {
                    let gap = g.x - e;
                    let prev = text.chars().last().unwrap_or(' ');
                    let next = g.text.chars().next().unwrap_or(' ');
                    if gap > 2.0 * g.size && !text.is_empty() {
                        text.truncate(text.trim_end().len());
                        text.push('\t');
                        tabs = true;
                    } else {
                        let spaced = prev.is_whitespace() || next.is_whitespace();
                        let chinese = wide(prev) && wide(next);
                        if gap > 0.2 * g.size && !spaced && !chinese {
                            text.push(' ');
                        }
                    }
                }
                text.push_str(&g.text);
                end = Some(g.x + g.w);
                sizes.push(g.size);
            }
            sizes.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            Line {
                y: line[0].y,
                x0: line.first().map_or(0.0, |g| g.x),
                x1: end.unwrap_or(0.0),
                size: sizes.get(sizes.len() / 2).copied().unwrap_or(0.0),
                // Spaces drawn at either end stay: a line may wrap at a space.
                text,
                tabs,
            }
        })
        .filter(|l| !l.text.trim().is_empty())
        .collect()
}

fn wide(c: char) -> bool {
    crate::text::is_cjk(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    Some(v[v.len() / 2])
}

/// Lines not in a table, made into headings and paragraphs.
fn paragraphs(page: &Page, free: &[usize], number: u32) -> Vec<Piece> {
    let lines = lines_of(page, free);
    if lines.is_empty() {
        return Vec::new();
    }
    let body = median(lines.iter().map(|l| l.size).collect()).unwrap_or(12.0);
    let left = lines.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min);
    // The right edge of the text: where the fullest line ends.
    let right = lines
        .iter()
        .filter(|l| !l.tabs)
        .map(|l| l.x1)
        .fold(f64::NEG_INFINITY, f64::max);
    // The line pitch: the lower quartile of baseline steps between lines
    // of one size (paragraph gaps only ever add to it).
    let mut steps: Vec<f64> = lines
        .windows(2)
        .filter(|w| (w[0].size - w[1].size).abs() < 0.15 * body)
        .map(|w| w[0].y - w[1].y)
        .filter(|d| *d > 0.0)
        .collect();
    steps.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let pitch = steps.get(steps.len() / 4).copied().unwrap_or(body * 1.5);
    let mut out: Vec<Piece> = Vec::new();
    let mut prev: Option<&Line> = None;
    for l in &lines {
        let heading = l.size > body * 1.15;
        let indented = l.x0 > left + 0.8 * l.size;
        let continues = prev.is_some_and(|p| {
            let same_size = (p.size - l.size).abs() < 0.15 * body;
            let gap = p.y - l.y;
            same_size
                && gap <= pitch * 1.3
                && !indented
                && p.x1 >= right - 1.5 * p.size
                && !p.tabs
                && !l.tabs
        });
        let open = l.x1 >= right - 1.5 * l.size && !l.tabs;
        match out.last_mut() {
            Some(last) if continues => {
                last.text = crate::extract::join_lines([last.text.as_str(), l.text.as_str()].into_iter());
                last.open = open;
            }
            _ => out.push(Piece {
                kind: if heading {
                    PieceKind::Heading
                } else {
                    PieceKind::Paragraph
                },
                text: l.text.clone(),
                cells: Vec::new(),
                page: number,
                top: l.y + l.size,
                open,
                indented,
                column: 0,
            }),
        }
        prev = Some(l);
    }
    // A paragraph of tabbed pieces reads as a row.
    for p in &mut out {
        if p.kind == PieceKind::Paragraph && p.text.contains('\t') {
            p.kind = PieceKind::Row;
            p.cells = p.text.split('\t').map(str::to_string).collect();
        }
    }
    out
}
