//! What ingestion produces: a [`RegionDocument`] and its [`Item`]s, with
//! their kinds and the stretches lifted out of statements. Plain data,
//! shared by every ingestion step.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::extract::Format;
use crate::manifest::DocumentMeta;

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

/// What a lifted stretch was recognized as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpliceKind {
    /// A bracketed responsibility note, e.g. `（市统计局牵头落实）`.
    UnitNote,
    /// A unit name inside the sentence.
    Unit,
    /// A row or task number inside the sentence.
    RowNumber,
    /// A heading of the national structure or a table header inside the
    /// sentence.
    Heading,
    /// A heading marker at the start (`1.`, `（一）`).
    Marker,
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
