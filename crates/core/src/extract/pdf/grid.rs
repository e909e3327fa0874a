//! Tables drawn without rules, found by their gutters: a run of lines in
//! which two or more vertical bands of the page stay empty (between the
//! columns) while every line keeps within the bands between them. A
//! paragraph's line runs across the bands and ends the run. (One band is
//! a page set in two text columns, which layout reads column by column.)
//!
//! In such a table, each column's lines stack into cell blocks (a gap
//! wider than the line pitch ends a block), and blocks of different
//! columns whose heights overlap are one row: a cell centred against a
//! taller one (HTML's default `vertical-align: middle`) lies within the
//! taller one's height.

use super::piece::{Piece, PieceKind};
use super::read::{Glyph, Page};

/// A line: its glyphs (indices into the page), baseline and size.
struct GLine {
    glyphs: Vec<usize>,
    y: f64,
    size: f64,
    /// Covered x intervals (glyphs that touch or nearly touch merged).
    spans: Vec<(f64, f64)>,
}

/// Fewest lines a table runs over.
const MIN_LINES: usize = 4;

fn glines(page: &Page, idx: &[usize]) -> Vec<GLine> {
    let mut order: Vec<usize> = idx.to_vec();
    order.sort_by(|&a, &b| {
        page.glyphs[b]
            .y
            .partial_cmp(&page.glyphs[a].y)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut out: Vec<GLine> = Vec::new();
    for i in order {
        let g = &page.glyphs[i];
        match out.last_mut() {
            Some(l) if (l.y - g.y).abs() <= l.size.min(g.size) * 0.5 => l.glyphs.push(i),
            _ => out.push(GLine {
                glyphs: vec![i],
                y: g.y,
                size: g.size,
                spans: Vec::new(),
            }),
        }
    }
    for l in &mut out {
        let mut gs: Vec<&Glyph> = l.glyphs.iter().map(|&i| &page.glyphs[i]).collect();
        gs.sort_by(|a, b| a.x.partial_cmp(&b.x).unwrap_or(std::cmp::Ordering::Equal));
        let size = gs.iter().map(|g| g.size).fold(0.0, f64::max);
        l.size = size;
        for g in gs {
            let (a, b) = (g.x, g.x + g.w.max(g.size * 0.3));
            match l.spans.last_mut() {
                Some(s) if a - s.1 <= 0.3 * size => s.1 = s.1.max(b),
                _ => l.spans.push((a, b)),
            }
        }
    }
    out
}

/// The gaps inside `[lo, hi]` that none of `lines` covers, at least
/// `min` wide.
fn gutters(lines: &[&GLine], lo: f64, hi: f64, min: f64) -> Vec<(f64, f64)> {
    let mut spans: Vec<(f64, f64)> = lines.iter().flat_map(|l| l.spans.iter().copied()).collect();
    spans.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    let mut out = Vec::new();
    let mut end = lo;
    for (a, b) in spans {
        if a - end >= min && a < hi {
            out.push((end, a));
        }
        end = end.max(b);
    }
    out.retain(|g| g.0 > lo + 0.5 && g.1 < hi - 0.5);
    out
}

/// How many of the bands between `gutters` hold text.
fn bands_used(lines: &[&GLine], gutters: &[(f64, f64)]) -> usize {
    let mut used = vec![false; gutters.len() + 1];
    for s in lines.iter().flat_map(|l| &l.spans) {
        used[gutters.partition_point(|g| g.1 <= s.0 + 0.5)] = true;
    }
    used.iter().filter(|u| **u).count()
}

/// The gutters left when a line is added: each narrowed to its widest
/// part the line leaves free; `None` when the line closes one (to less
/// than `min`), as a paragraph's line running across the columns does.
fn narrowed(l: &GLine, gutters: &[(f64, f64)], min: f64) -> Option<Vec<(f64, f64)>> {
    gutters
        .iter()
        .map(|&(a, b)| {
            let mut free = vec![(a, b)];
            for s in &l.spans {
                free = free
                    .into_iter()
                    .flat_map(|(x, y)| {
                        if s.1 <= x || s.0 >= y {
                            vec![(x, y)]
                        } else {
                            vec![(x, s.0.max(x)), (s.1.min(y), y)]
                        }
                    })
                    .collect();
            }
            free.into_iter()
                .filter(|(x, y)| y - x >= min)
                .max_by(|p, q| {
                    (p.1 - p.0)
                        .partial_cmp(&(q.1 - q.0))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
        })
        .collect()
}

/// Finds the rule-less tables among `free` glyphs: their rows, and the
/// glyphs left for paragraphs.
pub(super) fn tables(page: &Page, free: &[usize], number: u32) -> (Vec<Piece>, Vec<usize>) {
    let lines = glines(page, free);
    if lines.len() < MIN_LINES {
        return (Vec::new(), free.to_vec());
    }
    let mut sizes: Vec<f64> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let body = sizes[sizes.len() / 2];
    let min_gutter = 0.35 * body;
    let extent = |ls: &[&GLine]| {
        let lo = ls
            .iter()
            .flat_map(|l| l.spans.first().map(|s| s.0))
            .fold(f64::INFINITY, f64::min);
        let hi = ls
            .iter()
            .flat_map(|l| l.spans.last().map(|s| s.1))
            .fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    };
    let mut used = vec![false; lines.len()];
    let mut pieces = Vec::new();
    let mut i = 0;
    while i + MIN_LINES <= lines.len() {
        // A seed: MIN_LINES lines in a row leaving two gutters or more,
        // text in three of the bands between them, one line split.
        let seed: Vec<&GLine> = lines[i..i + MIN_LINES].iter().collect();
        let (lo, hi) = extent(&seed);
        let gs = gutters(&seed, lo, hi, min_gutter);
        let split = seed.iter().filter(|l| l.spans.len() > 1).count();
        // Three columns at least: two are a page set in two text columns
        // (read column by column by layout).
        if gs.len() < 2 || split < 1 || bands_used(&seed, &gs) < 3 {
            i += 1;
            continue;
        }
        // Grow it down while lines fit the gutters (narrowed as it grows)
        // and follow within three lines' pitch.
        let (mut start, mut end) = (i, i + MIN_LINES);
        let mut gs = gs;
        let near = |a: &GLine, b: &GLine| (a.y - b.y).abs() <= 3.5 * a.size.max(b.size);
        while end < lines.len() && near(&lines[end - 1], &lines[end]) {
            match narrowed(&lines[end], &gs, min_gutter) {
                Some(n) => gs = n,
                None => break,
            }
            end += 1;
        }
        while start > 0 && !used[start - 1] && near(&lines[start - 1], &lines[start]) {
            match narrowed(&lines[start - 1], &gs, min_gutter) {
                Some(n) => gs = n,
                None => break,
            }
            start -= 1;
        }
        let run: Vec<&GLine> = lines[start..end].iter().collect();
        let (lo, hi) = extent(&run);
        gs = gutters(&run, lo, hi, min_gutter);
        if gs.len() < 2 {
            i += 1;
            continue;
        }
        for u in &mut used[start..end] {
            *u = true;
        }
        pieces.extend(rows(page, &run, &gs, lo, number));
        i = end;
    }
    let rest: Vec<usize> = lines
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .flat_map(|(l, _)| l.glyphs.iter().copied())
        .collect();
    (pieces, rest)
}

/// The rows of one rule-less table.
fn rows(page: &Page, run: &[&GLine], gutters: &[(f64, f64)], lo: f64, number: u32) -> Vec<Piece> {
    // Column edges: the table's left, then the right end of each gutter.
    let mut edges: Vec<f64> = vec![lo];
    edges.extend(gutters.iter().map(|g| g.1));
    let ncol = edges.len();
    let col_of = |x: f64| edges.partition_point(|&e| e <= x + 0.5).saturating_sub(1);
    // Per column, its line pieces top to bottom: (y, size, glyphs).
    let mut cols: Vec<Vec<(f64, f64, Vec<usize>)>> = vec![Vec::new(); ncol];
    for l in run {
        let mut per: Vec<Vec<usize>> = vec![Vec::new(); ncol];
        for &g in &l.glyphs {
            per[col_of(page.glyphs[g].cx())].push(g);
        }
        for (c, gs) in per.into_iter().enumerate() {
            if !gs.is_empty() {
                cols[c].push((l.y, l.size, gs));
            }
        }
    }
    // The line pitch inside cells: the smallest step between lines of one
    // column.
    let pitch = cols
        .iter()
        .flat_map(|c| c.windows(2).map(|w| w[0].0 - w[1].0))
        .filter(|d| *d > 0.0)
        .fold(f64::INFINITY, f64::min);
    let pitch = if pitch.is_finite() {
        pitch
    } else {
        run[0].size * 1.5
    };
    // Cell blocks: (top, bottom, column, glyphs).
    let mut blocks: Vec<(f64, f64, usize, Vec<usize>)> = Vec::new();
    for (c, lines) in cols.into_iter().enumerate() {
        let mut cur: Option<(f64, f64, usize, Vec<usize>)> = None;
        let mut last_y = f64::INFINITY;
        for (y, size, gs) in lines {
            match cur.as_mut() {
                Some(b) if last_y - y <= pitch * 1.25 => {
                    b.1 = y;
                    b.3.extend(gs);
                }
                _ => {
                    blocks.extend(cur.take());
                    cur = Some((y + size, y, c, gs));
                }
            }
            last_y = y;
        }
        blocks.extend(cur);
    }
    // Rows: blocks whose heights overlap, top to bottom.
    blocks.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    let mut bands: Vec<(f64, f64, Vec<usize>)> = Vec::new();
    for (k, b) in blocks.iter().enumerate() {
        match bands.last_mut() {
            Some(band) if b.0 > band.1 => {
                band.1 = band.1.min(b.1);
                band.2.push(k);
            }
            _ => bands.push((b.0, b.1, vec![k])),
        }
    }
    let keys: Vec<i64> = edges.iter().map(|&e| (e * 100.0).round() as i64).collect();
    bands
        .into_iter()
        .map(|(top, _, members)| {
            let mut cells = vec![String::new(); ncol];
            let mut members = members;
            members.sort_by(|&a, &b| {
                blocks[b]
                    .0
                    .partial_cmp(&blocks[a].0)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            for k in members {
                let (_, _, c, gs) = &blocks[k];
                let lines = super::lines::lines_of(page, gs);
                let text = crate::extract::join_lines(lines.iter().map(|l| l.text.as_str()));
                cells[*c] =
                    crate::extract::join_lines([cells[*c].as_str(), text.as_str()].into_iter())
                        .replace('\t', " ");
            }
            Piece {
                kind: PieceKind::Row,
                text: String::new(),
                cells,
                page: number,
                top,
                open: false,
                indented: false,
                column: 0,
                columns: keys.clone(),
                open_top: false,
                open_bottom: false,
            }
        })
        .collect()
}
