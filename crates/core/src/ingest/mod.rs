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

mod boilerplate;
mod deadline;
mod dedup;
mod prose;
mod segment;
mod splice;
mod table;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::decode::decode;
use crate::error::{Error, Result};
use crate::extract::{Extracted, Format, extract};
use crate::manifest::DocumentMeta;
use crate::units::UnitTable;

pub use deadline::find_deadline;
pub use splice::{SpliceKind, suspected_splices};

/// An item's id within its document: its position in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ItemId(pub u32);

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "of")]
pub enum ItemKind {
    /// States a requirement (one sentence, clause or table row).
    Requirement,
    /// A heading of the region's own outline.
    Heading,
    /// Preamble, addressee, signature, date, table header, unit lists and
    /// other text that states no requirement.
    Boilerplate,
    /// Repeats the requirement or heading `of` (exactly or nearly).
    Duplicate {
        /// The first occurrence.
        of: ItemId,
    },
}

impl ItemKind {
    /// `requirement`, `heading`, `boilerplate` or `duplicate`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Requirement => "requirement",
            ItemKind::Heading => "heading",
            ItemKind::Boilerplate => "boilerplate",
            ItemKind::Duplicate { .. } => "duplicate",
        }
    }
}

/// A stretch of text lifted out of a statement: PDF column text spliced
/// into a sentence, a responsibility parenthetical, a row number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Splice {
    /// Byte range in the decoded text.
    pub span: Range<usize>,
    /// What it was recognized as.
    pub kind: SpliceKind,
}

/// One item of a regional document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Stable id: position in the document.
    pub id: ItemId,
    /// Byte range of the raw text in the decoded source.
    pub span: Range<usize>,
    /// What the item is.
    pub kind: ItemKind,
    /// The region's own headings above the item, outermost first.
    pub heading_path: Vec<String>,
    /// Responsible units, canonical names, in order of mention.
    pub units: Vec<String>,
    /// Deadline as the document states it (`2017年7月底前`, `全年工作`).
    pub deadline: Option<String>,
    /// Table row number, where the source is a numbered table.
    pub row: Option<u32>,
    /// Byte ranges of the statement proper, in order: the raw text less
    /// heading markers, unit lists, row numbers, other table cells and
    /// splices. Empty for boilerplate.
    pub body: Vec<Range<usize>>,
    /// What was lifted out of the statement.
    pub splices: Vec<Splice>,
    /// The 1-based page the item starts on, for PDFs.
    pub page: Option<u32>,
}

/// A regional document: metadata, decoded text and items.
#[derive(Debug, Clone, Serialize)]
pub struct RegionDocument {
    /// What the manifest says about it.
    pub meta: DocumentMeta,
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// The encoding it was decoded from (`UTF-8`, `gb18030`, `GBK`,
    /// `Big5`, …; `PDF` for a PDF's text layer).
    pub encoding: &'static str,
    /// The format it was extracted from.
    pub format: Format,
    /// Doubts about the decoding or extraction that did not stop it (an
    /// implausible decoding, a declared charset that did not fit, PDF
    /// pages without text): the document's row is flagged, not `ok`.
    pub warnings: Vec<String>,
    /// The decoded or extracted text.
    pub text: String,
    /// The items in document order; `items[i].id == ItemId(i)`.
    pub items: Vec<Item>,
}

impl RegionDocument {
    /// The raw source text of an item.
    pub fn raw(&self, item: &Item) -> &str {
        &self.text[item.span.clone()]
    }

    /// The statement text of an item: its body ranges concatenated.
    pub fn body(&self, item: &Item) -> String {
        item.body.iter().map(|r| &self.text[r.clone()]).collect()
    }

    /// Items of kind requirement.
    pub fn requirements(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|i| i.kind == ItemKind::Requirement)
    }

    /// Counts of items per kind: (requirement, heading, boilerplate,
    /// duplicate).
    pub fn kind_counts(&self) -> [usize; 4] {
        let mut c = [0; 4];
        for i in &self.items {
            c[match i.kind {
                ItemKind::Requirement => 0,
                ItemKind::Heading => 1,
                ItemKind::Boilerplate => 2,
                ItemKind::Duplicate { .. } => 3,
            }] += 1;
        }
        c
    }
}

/// Ingestion settings.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub(crate) max_bytes: u64,
    pub(crate) units: Arc<UnitTable>,
    pub(crate) splice_phrases: Vec<String>,
    /// Matcher over the splice phrases and table header words, built by
    /// the builder (one automaton instead of a substring search per phrase).
    pub(crate) phrase_matcher: Arc<aho_corasick::AhoCorasick>,
    pub(crate) boilerplate_cues: Vec<String>,
    pub(crate) near_duplicate: f64,
    pub(crate) min_statement_chars: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: 256 * 1024 * 1024,
            units: Arc::new(UnitTable::builtin()),
            splice_phrases: Vec::new(),
            phrase_matcher: splice::phrase_matcher(&[]),
            boilerplate_cues: Vec::new(),
            near_duplicate: 0.9,
            min_statement_chars: 6,
        }
    }
}

impl IngestOptions {
    /// Default settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder to change the defaults.
    pub fn builder() -> IngestOptionsBuilder {
        IngestOptionsBuilder {
            opts: IngestOptions::default(),
        }
    }

    /// The unit table in use.
    pub fn units(&self) -> &UnitTable {
        &self.units
    }
}

/// Builds [`IngestOptions`].
#[derive(Debug, Clone)]
pub struct IngestOptionsBuilder {
    opts: IngestOptions,
}

impl IngestOptionsBuilder {
    /// Largest file read, in bytes; larger files are refused before reading.
    /// Default 256 MiB.
    pub fn max_bytes(&mut self, n: u64) -> &mut Self {
        self.opts.max_bytes = n;
        self
    }

    /// The unit alias table. Default [`UnitTable::builtin`].
    pub fn units(&mut self, table: UnitTable) -> &mut Self {
        self.opts.units = Arc::new(table);
        self
    }

    /// Phrases that are headings of the national structure (area and task
    /// titles); found inside a longer statement they are PDF splices and are
    /// lifted out. Default none; [`IngestOptionsBuilder::taxonomy_titles`]
    /// fills them from a taxonomy.
    pub fn splice_phrases(&mut self, phrases: impl IntoIterator<Item = String>) -> &mut Self {
        self.opts.splice_phrases = phrases
            .into_iter()
            .filter(|p| p.chars().count() >= 4)
            .collect();
        self
    }

    /// Uses the area and task titles of `taxonomy` as splice phrases.
    pub fn taxonomy_titles(&mut self, taxonomy: &crate::Taxonomy) -> &mut Self {
        use crate::taxonomy::NodeKind;
        let titles = taxonomy
            .iter()
            .map(|n| taxonomy.node(n))
            .filter(|n| matches!(n.kind, NodeKind::Area | NodeKind::Task))
            .map(|n| n.title.clone());
        self.splice_phrases(titles)
    }

    /// Extra phrases that mark a sentence as boilerplate, beside the built-in
    /// ones (`请认真贯彻执行`, `现印发给你们`, …). Default none.
    pub fn boilerplate_cues(&mut self, cues: impl IntoIterator<Item = String>) -> &mut Self {
        self.opts.boilerplate_cues = cues.into_iter().filter(|c| !c.trim().is_empty()).collect();
        self
    }

    /// Character-bigram Dice similarity at or above which two statements
    /// are near-exact repeats. Default 0.9.
    pub fn near_duplicate(&mut self, threshold: f64) -> &mut Self {
        self.opts.near_duplicate = threshold;
        self
    }

    /// Fewest CJK characters (or letters) a statement needs to count as a
    /// requirement; shorter leftovers are boilerplate. Default 6.
    pub fn min_statement_chars(&mut self, n: usize) -> &mut Self {
        self.opts.min_statement_chars = n;
        self
    }

    /// Validates and returns the options.
    ///
    /// # Errors
    /// [`Error::Parse`] when the near-duplicate threshold is not in (0, 1].
    pub fn build(&self) -> Result<IngestOptions> {
        let t = self.opts.near_duplicate;
        if !(t > 0.0 && t <= 1.0) {
            return Err(Error::Parse {
                path: PathBuf::from("<options>"),
                line: 0,
                message: format!("near_duplicate must be in (0, 1], got {t}"),
            });
        }
        let mut opts = self.opts.clone();
        opts.phrase_matcher = splice::phrase_matcher(&opts.splice_phrases);
        Ok(opts)
    }
}

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

/// Builds an item with the fields every constructor sets.
pub(crate) fn item(span: Range<usize>, kind: ItemKind, heading_path: Vec<String>) -> Item {
    Item {
        id: ItemId(0),
        span,
        kind,
        heading_path,
        units: Vec::new(),
        deadline: None,
        row: None,
        body: Vec::new(),
        splices: Vec::new(),
        page: None,
    }
}

/// Whether a character carries content (a CJK ideograph, letter or digit).
pub(crate) fn is_content(c: char) -> bool {
    // ASCII and CJK ideographs first, then the CJK and full-width
    // punctuation every sentence holds (none of it alphanumeric: a test
    // checks), before the general Unicode tables.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    crate::text::is_cjk(c) || (!is_cjk_punctuation(c) && c.is_alphanumeric())
}

/// CJK and full-width punctuation (、。〈〉《》「」『』【】〔〕 and
/// ！＂＃…／ ：；＜＝＞？＠ ［＼］＾＿｀ ｛｜｝～), and the general
/// punctuation block (“ ” ‘ ’ … —): none of it is a letter or digit.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(
        c as u32,
        0x3000..=0x3004 | 0x3008..=0x3020 | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65 | 0x2000..=0x206F
    )
}

/// Counts characters that carry content (CJK ideographs, letters, digits).
#[doc(hidden)]
pub fn content_chars(s: &str) -> usize {
    s.chars().filter(|&c| is_content(c)).count()
}

/// Whether `s` has at least `n` content characters (stops counting there).
pub(crate) fn has_content_chars(s: &str, n: usize) -> bool {
    n == 0 || s.chars().filter(|&c| is_content(c)).nth(n - 1).is_some()
}

#[cfg(test)]
mod tests;
