//! PDF text layers: glyphs with their positions from `pdf-extract` (a
//! pure-Rust reader on `lopdf`), rebuilt into lines, paragraphs and table
//! cells by geometry rather than by the order of the content stream.
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
//!   set clearly larger than the page's body text is a heading. A
//!   paragraph that runs to the right edge at the foot of a page goes on
//!   at the top of the next.
//! - A PDF with pages but no glyph at all is a scan: [`Error::NoTextLayer`].

use std::path::PathBuf;

use pdf_extract::{MediaBox, OutputDev, OutputError, Path as PdfPath, PathOp, Transform};

use super::{BlockKind, Builder, Extracted, Format, no_panic};
use crate::error::{Error, Result};

fn err(message: String) -> Error {
    Error::Extract {
        path: PathBuf::from("<bytes>"),
        format: "PDF",
        message,
    }
}

pub(super) fn extract(bytes: &[u8]) -> Result<Extracted> {
    let pages = no_panic("PDF", || collect(bytes))?;
    let n = pages.len();
    if pages.iter().all(|p| p.glyphs.is_empty()) {
        return Err(Error::NoTextLayer {
            path: PathBuf::from("<bytes>"),
            pages: n,
        });
    }
    let mut warnings = Vec::new();
    let empty: Vec<String> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.glyphs.is_empty())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !empty.is_empty() {
        warnings.push(format!(
            "PDF pages without a text layer (scanned?): {}",
            empty.join(", ")
        ));
    }
    let mut blocks: Vec<Piece> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let page_blocks = layout(page, i as u32 + 1);
        // A paragraph running to the right edge at the foot of a page
        // goes on at the top of the next, unless that line is indented.
        let mut rest = page_blocks.into_iter().peekable();
        if let (Some(last), Some(first)) = (blocks.last_mut(), rest.peek())
            && last.kind == PieceKind::Paragraph
            && last.open
            && first.kind == PieceKind::Paragraph
            && !first.indented
        {
            last.text = super::join_lines([last.text.as_str(), first.text.as_str()].into_iter());
            last.open = first.open;
            rest.next();
        }
        blocks.extend(rest);
    }
    let mut b = Builder::default();
    for p in blocks {
        match p.kind {
            PieceKind::Row => b.row(&p.cells, Some(p.page)),
            PieceKind::Heading => b.block(BlockKind::Heading, &p.text, Some(p.page)),
            PieceKind::Paragraph => b.block(BlockKind::Paragraph, &p.text, Some(p.page)),
        }
    }
    let (text, blocks) = b.finish();
    Ok(Extracted {
        text,
        format: Format::Pdf,
        encoding: "PDF",
        blocks,
        warnings,
        pages: Some(n as u32),
    })
}

/// Loads the document and collects each page's glyphs and rules.
fn collect(bytes: &[u8]) -> Result<Vec<Page>> {
    let mut doc = pdf_extract::Document::load_mem(bytes)
        .map_err(|e| err(format!("not a readable PDF: {e}")))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(err("the PDF is encrypted with a password".into()));
    }
    let mut c = Collector::default();
    pdf_extract::output_doc(&doc, &mut c).map_err(|e| err(format!("{e}")))?;
    if c.started {
        c.pages.push(std::mem::take(&mut c.cur));
    }
    Ok(c.pages)
}

/// One glyph: origin, advance, size and text.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    w: f64,
    size: f64,
    text: String,
}

impl Glyph {
    /// A point just inside the glyph's left edge: a glyph belongs where it
    /// starts (text that overflows a cell spills over its right rule).
    fn cx(&self) -> f64 {
        self.x + self.w.min(self.size) * 0.2
    }
    /// A point inside the glyph box (baseline plus a third of the size).
    fn cy(&self) -> f64 {
        self.y + self.size / 3.0
    }
}

/// An axis-parallel rule: `at` is x for vertical rules, y for horizontal
/// ones; it spans `from..to` along the other axis.
#[derive(Debug, Clone, Copy)]
struct Rule {
    at: f64,
    from: f64,
    to: f64,
}

#[derive(Debug, Default)]
struct Page {
    glyphs: Vec<Glyph>,
    vertical: Vec<Rule>,
    horizontal: Vec<Rule>,
}

#[derive(Default)]
struct Collector {
    pages: Vec<Page>,
    cur: Page,
    started: bool,
}

/// Thickest stroke or fill still read as a rule, in points.
const RULE_WIDTH: f64 = 3.0;

impl Collector {
    fn path(&mut self, ctm: &Transform, path: &PdfPath, filled: bool) {
        let tp = |x: f64, y: f64| {
            (
                x * ctm.m11 + y * ctm.m21 + ctm.m31,
                x * ctm.m12 + y * ctm.m22 + ctm.m32,
            )
        };
        let mut current = (0.0, 0.0);
        let mut start = (0.0, 0.0);
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    current = tp(x, y);
                    start = current;
                }
                PathOp::LineTo(x, y) => {
                    let next = tp(x, y);
                    self.segment(current, next);
                    current = next;
                }
                PathOp::CurveTo(_, _, _, _, x, y) => current = tp(x, y),
                PathOp::Close => {
                    self.segment(current, start);
                    current = start;
                }
                PathOp::Rect(x, y, w, h) => {
                    let (a, b) = (tp(x, y), tp(x + w, y + h));
                    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
                    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
                    if x1 - x0 <= RULE_WIDTH && y1 - y0 > RULE_WIDTH {
                        self.cur.vertical.push(Rule {
                            at: (x0 + x1) / 2.0,
                            from: y0,
                            to: y1,
                        });
                    } else if y1 - y0 <= RULE_WIDTH && x1 - x0 > RULE_WIDTH {
                        self.cur.horizontal.push(Rule {
                            at: (y0 + y1) / 2.0,
                            from: x0,
                            to: x1,
                        });
                    } else if !filled {
                        // A stroked box: its four edges.
                        self.segment((x0, y0), (x1, y0));
                        self.segment((x1, y0), (x1, y1));
                        self.segment((x1, y1), (x0, y1));
                        self.segment((x0, y1), (x0, y0));
                    }
                }
            }
        }
    }

    fn segment(&mut self, a: (f64, f64), b: (f64, f64)) {
        if (a.0 - b.0).abs() <= 0.5 && (a.1 - b.1).abs() > RULE_WIDTH {
            self.cur.vertical.push(Rule {
                at: a.0,
                from: a.1.min(b.1),
                to: a.1.max(b.1),
            });
        } else if (a.1 - b.1).abs() <= 0.5 && (a.0 - b.0).abs() > RULE_WIDTH {
            self.cur.horizontal.push(Rule {
                at: a.1,
                from: a.0.min(b.0),
                to: a.0.max(b.0),
            });
        }
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> std::result::Result<(), OutputError> {
        if self.started {
            self.pages.push(std::mem::take(&mut self.cur));
        }
        self.started = true;
        Ok(())
    }
    fn end_page(&mut self) -> std::result::Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> std::result::Result<(), OutputError> {
        // The rendered size: the font size under the text matrix.
        let sx = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt() * font_size;
        let sy = (trm.m21 * trm.m21 + trm.m22 * trm.m22).sqrt() * font_size;
        let size = (sx * sy).sqrt();
        if !size.is_finite() || size <= 0.0 || !trm.m31.is_finite() || !trm.m32.is_finite() {
            return Ok(());
        }
        let w = width * size;
        self.cur.glyphs.push(Glyph {
            x: trm.m31,
            y: trm.m32,
            w: if w.is_finite() { w.max(0.0) } else { 0.0 },
            size,
            text: text.to_string(),
        });
        Ok(())
    }
    fn begin_word(&mut self) -> std::result::Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> std::result::Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> std::result::Result<(), OutputError> {
        Ok(())
    }
    fn stroke(
        &mut self,
        ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &PdfPath,
    ) -> std::result::Result<(), OutputError> {
        self.path(ctm, path, false);
        Ok(())
    }
    fn fill(
        &mut self,
        ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &PdfPath,
    ) -> std::result::Result<(), OutputError> {
        self.path(ctm, path, true);
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    Heading,
    Paragraph,
    Row,
}

/// A block of a page before it is laid out as text.
#[derive(Debug, Clone)]
struct Piece {
    kind: PieceKind,
    text: String,
    cells: Vec<String>,
    page: u32,
    /// Top of the block (larger is higher on the page).
    top: f64,
    /// A paragraph whose last line runs to the right edge.
    open: bool,
    /// A paragraph whose first line is indented.
    indented: bool,
    /// The text column it sits in (0 on single-column pages); a page is
    /// read column by column.
    column: u8,
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

fn layout(page: &Page, number: u32) -> Vec<Piece> {
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
            let text = super::join_lines(lines.iter().map(|l| l.text.as_str()));
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
                last.text = super::join_lines([last.text.as_str(), l.text.as_str()].into_iter());
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
