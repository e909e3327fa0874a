//! The extraction seam: a file's bytes become an extracted text made of
//! blocks (headings, paragraphs, table rows with cells), each with its
//! span in that text.
//!
//! One extractor per format, chosen by content ([`sniff`]), not by file
//! name: plain text ([`Format::Text`], decoded by [`crate::decode`]), HTML
//! ([`Format::Html`], parsed with html5ever through `scraper`), DOCX
//! ([`Format::Docx`], `zip` + `quick-xml`) and PDF ([`Format::Pdf`], the
//! text layer with glyph positions, read by luoshi's own interpreter over
//! `lopdf`). Every extractor
//! lays its blocks out the same way, so that the plain-text ingestion
//! reads them: one block per line, table cells joined by tabs. Formats
//! recognized but not read (legacy `.doc`, RTF, OpenDocument, images) are
//! refused by name with [`Error::UnsupportedFormat`].
//!
//! The extractors that build their text (HTML, DOCX, PDF) fold radicals
//! into the ideographs they stand for ([`radicals`]).
//!
//! No extractor panics on any input; the PDF reader's calls into `lopdf`
//! run under `catch_unwind` all the same, and a panic there becomes
//! [`Error::Extract`].
//!
//! The extractors share `block` (what they produce) and `builder` (the
//! layout, the cleaning and the panic guard); both are re-exported here,
//! and neither imports an extractor.

mod block;
mod builder;
mod docx;
mod html;
mod pdf;
pub mod radicals;

use std::path::PathBuf;

use crate::decode::decode;
use crate::error::{Error, Result};

pub use block::{Block, BlockKind, Extracted, Format};
pub(crate) use builder::{Builder, join_lines, no_panic};

/// Recognizes the format of `bytes` from magic numbers and markup.
///
/// # Errors
/// [`Error::UnsupportedFormat`] for formats recognized but not read.
pub fn sniff(bytes: &[u8]) -> Result<Format> {
    let unsupported = |format, hint| Error::UnsupportedFormat {
        path: PathBuf::from("<bytes>"),
        format,
        hint,
    };
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        if bytes.len() > 38 && &bytes[30..38] == b"mimetype" {
            return Err(unsupported(
                "an OpenDocument file",
                "save it as DOCX or PDF",
            ));
        }
        return Ok(Format::Docx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(unsupported(
            "an OLE2 compound file (legacy Word .doc, WPS or Excel)",
            "save it as DOCX or PDF",
        ));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(unsupported("an RTF file", "save it as DOCX or PDF"));
    }
    let image: [&[u8]; 5] = [
        b"\x89PNG\r\n\x1a\n",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"II*\0",
        b"MM\0*",
    ];
    if image.iter().any(|m| bytes.starts_with(m)) {
        return Err(unsupported(
            "an image",
            "run OCR on it first and supply the text",
        ));
    }
    if looks_like_html(head) {
        return Ok(Format::Html);
    }
    Ok(Format::Text)
}

/// Markup at the start of an ASCII-compatible text: a tag first, and one
/// of the tags that make a page within the first kilobyte.
fn looks_like_html(head: &[u8]) -> bool {
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    if start.is_none_or(|i| body[i] != b'<') {
        return false;
    }
    let lower = body.to_ascii_lowercase();
    [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<title",
        b"<div",
        b"<p>",
        b"<table",
    ]
    .iter()
    .any(|tag| lower.windows(tag.len()).any(|w| w == *tag))
}

/// Extracts the text of `bytes` in the format [`sniff`] recognizes. Errors
/// name the file `<bytes>`; use [`crate::ingest::read_extracted`] for
/// files.
///
/// # Errors
/// As [`sniff`], the decoding errors of [`crate::decode::decode`],
/// [`Error::Extract`] for damaged DOCX and PDF files and
/// [`Error::NoTextLayer`] for scanned PDFs.
pub fn extract(bytes: &[u8]) -> Result<Extracted> {
    extract_as(bytes, sniff(bytes)?)
}

/// Extracts `bytes` as the given format.
///
/// # Errors
/// As [`extract`].
pub fn extract_as(bytes: &[u8], format: Format) -> Result<Extracted> {
    let mut ex = match format {
        Format::Text => plain(bytes)?,
        Format::Html => html::extract(bytes)?,
        Format::Docx => docx::extract(bytes)?,
        Format::Pdf => pdf::extract(bytes)?,
    };
    if ex.text.trim().is_empty() {
        return Err(Error::Empty {
            path: PathBuf::from("<bytes>"),
        });
    }
    if format != Format::Text {
        let p = crate::decode::plausibility(&ex.text);
        if p.is_implausible() {
            ex.warnings.push(format!(
                "implausible extracted text: {:.0}% of its {} ideographs are rare or unassigned (a font without a Unicode map?)",
                (1.0 - p.share()) * 100.0,
                p.judged
            ));
        }
    }
    Ok(ex)
}

/// The plain-text extractor: the decoded text itself, each line a block
/// (a row when it holds tabs).
fn plain(bytes: &[u8]) -> Result<Extracted> {
    let d = decode(bytes)?;
    let mut blocks = Vec::new();
    let mut start = 0;
    for line in d.text.split_inclusive('\n') {
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        if let Some(span) = crate::text::trim_range(&d.text, start..end) {
            let raw = &d.text[span.clone()];
            let (kind, cells) = if raw.contains('\t') {
                let mut cells = Vec::new();
                let mut at = span.start;
                for cell in raw.split('\t') {
                    cells.push(at..at + cell.len());
                    at += cell.len() + 1;
                }
                (BlockKind::Row, cells)
            } else {
                (BlockKind::Paragraph, Vec::new())
            };
            blocks.push(Block {
                kind,
                span,
                cells,
                page: None,
            });
        }
        start += line.len();
    }
    Ok(Extracted {
        text: d.text,
        format: Format::Text,
        encoding: d.encoding,
        blocks,
        warnings: d.warnings,
        pages: None,
    })
}

#[cfg(test)]
mod tests;
