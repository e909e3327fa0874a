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

use super::lines::{Line, lines_of};
use super::piece::{Piece, PieceKind};
use super::read::{Glyph, Page, Rule};

/// Tolerance for rules meeting and glyphs on one baseline, in points.
const EPS: f64 = 1.0;

pub(super) fn layout(page: &Page, number: u32) -> Vec<Piece> {
    let mut pieces = Vec::new();
    // Cells: glyph index → (top, bottom, left, right) of its enclosing rules.
    let mut cells: Vec<Cell> = Vec::new();
    let mut free = Vec::new();
    for (i, g) in page.glyphs.iter().enumerate() {
        match enclosing_cell(page, g.cx(), g.cy()) {
            Some((key, open_top, open_bottom)) => match cells.iter_mut().find(|c| c.key == key) {
                Some(c) => c.glyphs.push(i),
                None => cells.push(Cell {
                    key,
                    open_top,
                    open_bottom,
                    glyphs: vec![i],
                }),
            },
            None => free.push(i),
        }
    }
    // Rows: cells sharing a top rule, left to right; the columns are the
    // vertical rules crossing the row. A "row" of one cell (a box drawn
    // around text, a page frame) is no table: its glyphs are read as text.
    let mut tops: Vec<i64> = cells.iter().map(|c| c.key.0).collect();
    tops.sort_unstable_by(|a, b| b.cmp(a));
    tops.dedup();
    for top in tops {
        let mut row: Vec<&Cell> = cells.iter().filter(|c| c.key.0 == top).collect();
        row.sort_by_key(|c| c.key.2);
        let bottom = row.iter().map(|c| c.key.1).min().unwrap_or(top);
        let mid = (top + bottom) as f64 / 2.0 / 100.0;
        let mut columns: Vec<i64> = page
            .vertical
            .iter()
            .filter(|r| r.from - EPS <= mid && mid <= r.to + EPS)
            .map(|r| key(r.at))
            .collect();
        columns.sort_unstable();
        columns.dedup_by(|a, b| (*a - *b).abs() <= 150);
        let first_left = row.first().map_or(0, |c| c.key.2);
        let last_right = row.last().map_or(0, |c| c.key.3);
        // The table's edges: the outermost of these rules that a
        // horizontal rule at the row's top or bottom reaches (a merged
        // cell above may keep the top rule from the first column), and at
        // least the row's own cells. Every rule between them starts a
        // column, so rows of one table have the same columns whichever of
        // their cells hold text.
        let reached: Vec<i64> = columns
            .iter()
            .copied()
            .filter(|&x| {
                page.horizontal.iter().any(|h| {
                    ((key(h.at) - top).abs() <= 150 || (key(h.at) - bottom).abs() <= 150)
                        && key(h.from) <= x + 150
                        && x <= key(h.to) + 150
                })
            })
            .collect();
        let table_left = reached
            .iter()
            .copied()
            .min()
            .unwrap_or(first_left)
            .min(first_left);
        let table_right = reached
            .iter()
            .copied()
            .max()
            .unwrap_or(last_right)
            .max(last_right);
        let columns: Vec<i64> = columns
            .into_iter()
            .filter(|&x| x >= table_left - 150 && x < table_right - 150)
            .collect();
        if columns.len() < 2 {
            free.extend(row.iter().flat_map(|c| c.glyphs.iter().copied()));
            continue;
        }
        let mut texts: Vec<String> = vec![String::new(); columns.len()];
        for c in &row {
            let col = columns
                .iter()
                .position(|&x| (x - c.key.2).abs() <= 150)
                .unwrap_or_else(|| columns.partition_point(|&x| x <= c.key.2).saturating_sub(1));
            let lines = lines_of(page, &c.glyphs);
            let text = crate::extract::join_lines(lines.iter().map(|l| l.text.as_str()));
            let text = text.replace('\t', " ");
            let slot = &mut texts[col];
            *slot = crate::extract::join_lines([slot.as_str(), text.as_str()].into_iter());
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
            columns,
            open_top: row.iter().any(|c| c.open_top),
            open_bottom: row.iter().any(|c| c.open_bottom),
        });
    }
    free.sort_unstable();
    let (rows, free) = super::grid::tables(page, &free, number);
    pieces.extend(rows);
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

/// The glyphs of one cell, and whether its top or bottom is only where
/// its side rules end (a row broken over a page, drawn without a rule at
/// the break).
struct Cell {
    key: CellKey,
    open_top: bool,
    open_bottom: bool,
    glyphs: Vec<usize>,
}

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

/// The cell around a point: the nearest vertical rules left and right of
/// it, and above and below it the nearest horizontal rule or, when it is
/// farther, the end of those side rules (then the cell is open there).
/// `None` outside any pair of rules. (A cell open at both ends is the
/// middle of a row that runs over three pages; a lone pair of rules, a
/// page frame, makes a row of one column, which layout reads as text.)
fn enclosing_cell(page: &Page, x: f64, y: f64) -> Option<(CellKey, bool, bool)> {
    let l = nearest_rule(&page.vertical, x, y, false)?;
    let r = nearest_rule(&page.vertical, x, y, true)?;
    let (v_top, v_bottom) = (l.to.min(r.to), l.from.max(r.from));
    let h_top = nearest_rule(&page.horizontal, y, x, true).map(|h| h.at);
    let h_bottom = nearest_rule(&page.horizontal, y, x, false).map(|h| h.at);
    let (top, open_top) = match h_top {
        Some(t) if t <= v_top + EPS => (t, false),
        _ => (v_top, true),
    };
    let (bottom, open_bottom) = match h_bottom {
        Some(b) if b >= v_bottom - EPS => (b, false),
        _ => (v_bottom, true),
    };
    Some((
        (key(top), key(bottom), key(l.at), key(r.at)),
        open_top,
        open_bottom,
    ))
}

/// Of the rules that span `across` (within `EPS`), the nearest one at or
/// beyond `at` (`after`) or at or before it.
fn nearest_rule(rules: &[Rule], at: f64, across: f64, after: bool) -> Option<&Rule> {
    let spans = rules
        .iter()
        .filter(|r| r.from - EPS <= across && across <= r.to + EPS);
    if after {
        spans
            .filter(|r| r.at >= at)
            .min_by(|a, b| a.at.partial_cmp(&b.at).unwrap_or(std::cmp::Ordering::Equal))
    } else {
        spans
            .filter(|r| r.at <= at)
            .max_by(|a, b| a.at.partial_cmp(&b.at).unwrap_or(std::cmp::Ordering::Equal))
    }
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
                last.text =
                    crate::extract::join_lines([last.text.as_str(), l.text.as_str()].into_iter());
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
                columns: Vec::new(),
                open_top: false,
                open_bottom: false,
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
