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

mod docx;
mod html;
mod pdf;
pub mod radicals;

use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::decode::decode;
use crate::error::{Error, Result};

use radicals::fold_radicals;

/// The format of a document, as recognized from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// Plain text in any supported encoding.
    Text,
    /// An HTML page.
    Html,
    /// A Word 2007+ document (Office Open XML).
    Docx,
    /// A PDF with a text layer.
    Pdf,
}

impl Format {
    /// `text`, `html`, `docx` or `pdf`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// A heading (HTML `h1`–`h6`, a DOCX heading style, a PDF line set in
    /// a larger size).
    Heading,
    /// A paragraph (or, for plain text, a line).
    Paragraph,
    /// A table row; its cells are in [`Block::cells`].
    Row,
}

/// One block of an extracted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Byte range in the extracted text (one line, without its newline).
    pub span: Range<usize>,
    /// For rows, each cell's byte range (cells are separated by tabs;
    /// empty cells keep their place).
    pub cells: Vec<Range<usize>>,
    /// The 1-based PDF page the block starts on.
    pub page: Option<u32>,
}

/// A document's extracted text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The text: blocks one per line, cells of a row joined by tabs.
    pub text: String,
    /// The format recognized.
    pub format: Format,
    /// The text encoding (`UTF-8`, `gb18030`, `GBK`, `Big5`, …); for DOCX
    /// and PDF the encoding of their text parts (`UTF-8`, `PDF`).
    pub encoding: &'static str,
    /// The blocks, in reading order.
    pub blocks: Vec<Block>,
    /// Doubts that did not stop the extraction (implausible text, a
    /// declared charset that did not fit, pages without text).
    pub warnings: Vec<String>,
    /// Page count, for PDFs.
    pub pages: Option<u32>,
}

impl Extracted {
    /// The page of the block that holds byte `at` of the text, if any.
    pub fn page_at(&self, at: usize) -> Option<u32> {
        let i = self.blocks.partition_point(|b| b.span.start <= at);
        i.checked_sub(1).and_then(|i| self.blocks[i].page)
    }
}

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

/// Lays blocks out as text: one per line, cells joined by tabs. Text put
/// in is cleaned: control characters dropped, tabs and line breaks inside
/// a paragraph or cell joined (see [`join_lines`]).
#[derive(Debug, Default)]
pub(crate) struct Builder {
    text: String,
    blocks: Vec<Block>,
}

impl Builder {
    /// Adds a heading or paragraph; `keep_tabs` keeps tab characters (a
    /// DOCX paragraph laid out with tabs reads like a row).
    pub(crate) fn block(&mut self, kind: BlockKind, s: &str, page: Option<u32>) {
        let clean = clean(s, false);
        if clean.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(&clean);
        self.blocks.push(Block {
            kind,
            span: start..self.text.len(),
            cells: Vec::new(),
            page,
        });
        self.text.push('\n');
    }

    /// Adds a table row; trailing empty cells are dropped, a row with no
    /// text is skipped, a row of one cell is a paragraph.
    pub(crate) fn row(&mut self, cells: &[String], page: Option<u32>) {
        let cleaned: Vec<String> = cells.iter().map(|c| clean(c, true)).collect();
        let n = cleaned
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        if n == 0 {
            return;
        }
        if n == 1 {
            return self.block(BlockKind::Paragraph, &cleaned[0], page);
        }
        let start = self.text.len();
        let mut spans = Vec::with_capacity(n);
        for (i, c) in cleaned[..n].iter().enumerate() {
            if i > 0 {
                self.text.push('\t');
            }
            let at = self.text.len();
            self.text.push_str(c);
            spans.push(at..self.text.len());
        }
        self.blocks.push(Block {
            kind: BlockKind::Row,
            span: start..self.text.len(),
            cells: spans,
            page,
        });
        self.text.push('\n');
    }

    /// The text and blocks.
    pub(crate) fn finish(self) -> (String, Vec<Block>) {
        (self.text, self.blocks)
    }
}

/// Cleans a block's text: radicals folded into the ideographs they stand
/// for ([`fold_radicals`]), control characters other than tab and line
/// breaks dropped, line breaks joined by [`join_lines`], tabs kept in
/// paragraphs (they mark columns) or made spaces in cells, whitespace
/// trimmed.
fn clean(s: &str, in_cell: bool) -> String {
    let s: String = fold_radicals(s)
        .chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\t' && in_cell { ' ' } else { c })
        .collect();
    let lines: Vec<&str> = s.split(['\n', '\r']).map(str::trim).collect();
    join_lines(lines.iter().copied()).trim().to_string()
}

/// Joins the lines of one paragraph: nothing between them, except one
/// space between two Latin letters (a word wrap in Latin text). Chinese
/// text wraps anywhere, so a break between ideographs, digits or
/// punctuation is no boundary at all. Spaces a line keeps at its ends
/// (drawn in a PDF) are kept.
pub(crate) fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        if let (Some(a), Some(b)) = (out.chars().last(), line.chars().next())
            && a.is_ascii_alphabetic()
            && b.is_ascii_alphabetic()
        {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Runs `f`, turning a panic inside it into [`Error::Extract`].
pub(crate) fn no_panic<T>(format: &'static str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(Error::Extract {
                path: PathBuf::from("<bytes>"),
                format,
                message: format!("the reader failed on malformed input ({what})"),
            })
        }
    }
}

#[cfg(test)]
mod tests;
