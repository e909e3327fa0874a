//! Ingestion: a regional document's bytes become a [`RegionDocument`], an
//! ordered list of [`Item`]s that each state one requirement, one heading,
//! boilerplate, or repeat an earlier item.
//!
//! The pipeline, one file per step:
//! 1. [`crate::extract`]: bytes → extracted text, by format (plain text
//!    decoded by [`crate::decode`]: UTF-8, UTF-16, GB18030, Big5; HTML;
//!    DOCX; PDF), blocks one per line and table cells joined by tabs.
//! 2. `segment`: lines → table rows (tab-separated) and prose pieces split
//!    at sentence ends and heading markers, never inside brackets.
//! 3. `prose` / `table`: each piece or row becomes an item: heading,
//!    boilerplate (`boilerplate`), or requirement with its units and
//!    deadline (`deadline`); PDF splices are lifted out of the statement
//!    (`splice`).
//! 4. `dedup`: exact and near-exact repeats become [`ItemKind::Duplicate`].
//!
//! Lossless: item spans never overlap, and every non-whitespace byte of the
//! decoded text lies in exactly one item's span.
//!
//! The steps meet at plain data: `item` (the items and the document they
//! make) and `options` (the settings) import nothing of the steps, and no
//! step imports from this module, which runs them in order.

mod boilerplate;
mod deadline;
mod dedup;
mod item;
mod options;
mod prose;
mod segment;
mod splice;
mod table;

use std::path::Path;

use crate::decode::decode;
use crate::error::{Error, Result};
use crate::extract::{Extracted, Format, extract};
use crate::manifest::DocumentMeta;

pub use deadline::find_deadline;
pub use item::{Item, ItemId, ItemKind, RegionDocument, Splice, SpliceKind};
pub use options::{IngestOptions, IngestOptionsBuilder};
pub use splice::suspected_splices;

/// Reads and decodes a plain-text file, refusing files above `max_bytes`
/// before reading them. For files of any format use [`read_extracted`].
///
/// # Errors
/// [`Error::Io`], [`Error::TooLarge`], and the decoding errors of
/// [`crate::decode::decode`], all naming the file.
pub fn read_document(path: &Path, max_bytes: u64) -> Result<crate::decode::Decoded> {
    let bytes = read_bytes(path, max_bytes)?;
    decode(&bytes).map_err(|e| e.with_path(path))
}

/// Reads a file of any supported format and extracts its text, refusing
/// files above `max_bytes` before reading them.
///
/// # Errors
/// [`Error::Io`], [`Error::TooLarge`], and the errors of
/// [`crate::extract::extract`], all naming the file.
pub fn read_extracted(path: &Path, max_bytes: u64) -> Result<Extracted> {
    let bytes = read_bytes(path, max_bytes)?;
    extract(&bytes).map_err(|e| e.with_path(path))
}

fn read_bytes(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > max_bytes {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: max_bytes,
        });
    }
    std::fs::read(path).map_err(io)
}

/// Reads a file of any supported format, extracts and ingests it.
///
/// # Errors
/// As [`read_extracted`].
pub fn ingest_file(
    path: &Path,
    meta: DocumentMeta,
    opts: &IngestOptions,
) -> Result<RegionDocument> {
    let extracted = read_extracted(path, opts.max_bytes)?;
    let mut doc = ingest_extracted(extracted, meta, opts);
    doc.path = Some(path.to_path_buf());
    Ok(doc)
}

/// Extracts and ingests bytes of any supported format (errors name the
/// file as `<bytes>`).
///
/// # Errors
/// The errors of [`crate::extract::extract`].
pub fn ingest_bytes(
    bytes: &[u8],
    meta: DocumentMeta,
    opts: &IngestOptions,
) -> Result<RegionDocument> {
    Ok(ingest_extracted(extract(bytes)?, meta, opts))
}

/// Ingests an extracted text, keeping its format, encoding, warnings and
/// (for PDFs) the page of each item.
pub fn ingest_extracted(
    extracted: Extracted,
    meta: DocumentMeta,
    opts: &IngestOptions,
) -> RegionDocument {
    let Extracted {
        text,
        format,
        encoding,
        blocks,
        warnings,
        pages,
    } = extracted;
    let mut doc = ingest_text(text, meta, opts);
    doc.encoding = encoding;
    doc.format = format;
    doc.warnings = warnings;
    if pages.is_some() {
        for item in &mut doc.items {
            let i = blocks.partition_point(|b| b.span.start <= item.span.start);
            item.page = i.checked_sub(1).and_then(|i| blocks[i].page);
        }
    }
    doc
}

/// Ingests already-decoded text. Never fails and never panics: any text
/// yields items that tile it.
pub fn ingest_text(text: String, meta: DocumentMeta, opts: &IngestOptions) -> RegionDocument {
    let mut items: Vec<Item> = Vec::new();
    let mut prose = prose::ProseState::default();
    let mut table = table::TableState::default();
    let lines: Vec<_> = segment::lines(&text).collect();
    for (i, (raw, line)) in lines.iter().enumerate() {
        if text[raw.clone()].contains('\t') {
            table.row(&text, raw.clone(), line.clone(), &prose, opts, &mut items);
        } else {
            table.leave();
            // What follows the line decides whether a marked sentence at
            // its end opens a section or is a numbered point.
            let follows = match lines.get(i + 1) {
                None => prose::Follows::End,
                Some((r, _)) if text[r.clone()].contains('\t') => prose::Follows::Text,
                Some((_, next)) => prose::Follows::of(&text[next.clone()]),
            };
            prose.line(&text, line.clone(), follows, opts, &mut items);
        }
    }
    for (i, item) in items.iter_mut().enumerate() {
        item.id = ItemId(i as u32);
    }
    dedup::mark_duplicates(&text, &mut items, opts.near_duplicate);
    RegionDocument {
        meta,
        path: None,
        encoding: "UTF-8",
        format: Format::Text,
        warnings: Vec::new(),
        text,
        items,
    }
}

#[cfg(test)]
mod tests;
