//! PDF text layers, read by luoshi's own interpreter over `lopdf`
//! ([`read`]: glyph positions, widths and text, rules, images) and rebuilt
//! into headings, paragraphs and table rows by geometry ([`layout`]).
//!
//! - A paragraph that runs to the right edge at the foot of a page goes
//!   on at the top of the next.
//! - A PDF with pages but no glyph at all is a scan:
//!   [`Error::NoTextLayer`]. A page without text among pages with text
//!   (or a page that is one picture with a few words on it) is named in a
//!   warning, `no text layer: scanned page(s) …`, so the document is
//!   flagged rather than silently short.
//! - Glyphs whose font gives no Unicode text are counted in a warning.

mod cmap;
mod font;
mod grid;
mod layout;
mod lines;
mod object;
mod piece;
mod read;

use std::path::PathBuf;

use self::piece::{Piece, PieceKind};
use super::{BlockKind, Builder, Extracted, Format, no_panic};
use crate::error::{Error, Result};

fn err(message: String) -> Error {
    Error::Extract {
        path: PathBuf::from("<bytes>"),
        format: "PDF",
        message,
    }
}

/// A page is a scan when it has fewer glyphs than this and images cover
/// most of it.
const SCAN_GLYPHS: usize = 20;

pub(super) fn extract(bytes: &[u8]) -> Result<Extracted> {
    let pages = no_panic("PDF", || read::pages(bytes, err))?;
    let n = pages.len();
    let scanned = |p: &read::Page| {
        p.glyphs.is_empty()
            || (p.glyphs.len() < SCAN_GLYPHS && p.area > 0.0 && p.image_area >= 0.5 * p.area)
    };
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
        .filter(|(_, p)| scanned(p))
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !empty.is_empty() {
        warnings.push(format!(
            "no text layer: scanned page{} {} (run OCR on {})",
            if empty.len() == 1 { "" } else { "s" },
            empty.join(", "),
            if empty.len() == 1 { "it" } else { "them" },
        ));
    }
    let unmapped: usize = pages.iter().map(|p| p.unmapped).sum();
    let mapped: usize = pages.iter().map(|p| p.glyphs.len()).sum();
    if unmapped > 0 && unmapped * 20 > mapped {
        warnings.push(format!(
            "{unmapped} glyphs without a Unicode mapping in their font (text missing)"
        ));
    }
    let scans: Vec<bool> = pages.iter().map(scanned).collect();
    let blocks = no_panic("PDF", || Ok(lay_out(&pages, &scans)))?;
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

/// Every page laid out, joined across page breaks: a paragraph running to
/// the right edge at the foot of a page goes on at the top of the next
/// (unless that line is indented); a table that goes on drops the header
/// row its producer repeats at the top of the page, and a row broken over
/// the break is put together again ([`continues`]).
///
/// The few words on a scanned page (a page number, a stamp) are kept, on
/// their own.
fn lay_out(pages: &[read::Page], scans: &[bool]) -> Vec<Piece> {
    let mut blocks: Vec<Piece> = Vec::new();
    // The first row of the table being read.
    let mut header: Option<Vec<String>> = None;
    for (i, page) in pages.iter().enumerate() {
        let mut rest = layout::layout(page, i as u32 + 1).into_iter().peekable();
        if scans.get(i).copied().unwrap_or(false) {
            blocks.extend(rest);
            header = None;
            continue;
        }
        if let (Some(last), Some(first)) = (blocks.last(), rest.peek())
            && last.kind == PieceKind::Row
            && first.kind == PieceKind::Row
            && same_columns(last, first)
            && header
                .as_ref()
                .is_some_and(|h| squash(h) == squash(&first.cells))
        {
            rest.next();
        }
        if let (Some(last), Some(first)) = (blocks.last_mut(), rest.peek()) {
            if last.kind == PieceKind::Paragraph
                && last.open
                && first.kind == PieceKind::Paragraph
                && !first.indented
            {
                last.text =
                    super::join_lines([last.text.as_str(), first.text.as_str()].into_iter());
                last.open = first.open;
                rest.next();
            } else if continues(last, first) {
                for (i, b) in first.cells.iter().enumerate() {
                    match last.cells.get_mut(i) {
                        Some(a) => *a = super::join_lines([a.as_str(), b.as_str()].into_iter()),
                        None => last.cells.push(b.clone()),
                    }
                }
                if first.columns.len() > last.columns.len() {
                    last.columns = first.columns.clone();
                }
                last.open_bottom = first.open_bottom;
                rest.next();
            }
        }
        for p in rest {
            if p.kind == PieceKind::Row {
                let starts = blocks
                    .last()
                    .is_none_or(|l| l.kind != PieceKind::Row || !same_columns(l, &p));
                if starts {
                    header = Some(p.cells.clone());
                }
            }
            blocks.push(p);
        }
    }
    blocks
}

/// Cells with whitespace removed, for comparing header rows.
fn squash(cells: &[String]) -> Vec<String> {
    cells
        .iter()
        .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect())
        .collect()
}

/// Two rows of one table: the same columns, edge for edge (within 3 pt),
/// as far as the shorter goes (a ragged table's rows have a column more
/// or less on the right), and at least two.
fn same_columns(a: &Piece, b: &Piece) -> bool {
    a.columns.len().min(b.columns.len()) >= 2
        && a.columns
            .iter()
            .zip(&b.columns)
            .all(|(x, y)| (x - y).abs() <= 300)
}

/// Whether `first`, the first row of a page, is the rest of `last`, the
/// last row of the page before, broken over the page: the same columns,
/// and either a cell open at the break (no rule drawn there) or nothing in
/// the first column (where the row's number or name stands).
fn continues(last: &Piece, first: &Piece) -> bool {
    last.kind == PieceKind::Row
        && first.kind == PieceKind::Row
        && same_columns(last, first)
        && (last.open_bottom
            || first.open_top
            || first.cells.first().is_none_or(|c| c.trim().is_empty()))
}
