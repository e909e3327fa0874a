//! The plain data the report's stages share: the aligned corpus the
//! tables are built from, the documents a run skipped, a named table, and
//! the rounding every table applies to its scores. Imports nothing of
//! the crate.

use luoshi_align::DocumentAlignment;
use luoshi_core::DocumentMeta;
use luoshi_core::ingest::RegionDocument;
use luoshi_core::taxonomy::Taxonomy;
use polars::prelude::DataFrame;

/// The aligned corpus the tables are built from: documents and their
/// alignments, index for index.
#[derive(Debug, Clone, Copy)]
pub struct Corpus<'a> {
    /// The taxonomy aligned against.
    pub taxonomy: &'a Taxonomy,
    /// The ingested documents, in manifest order.
    pub docs: &'a [RegionDocument],
    /// Their alignments, same order.
    pub alignments: &'a [DocumentAlignment],
    /// Documents the run skipped (listed in `summary` with their error).
    pub skipped: &'a [Skipped],
}

impl Corpus<'_> {
    /// A taxonomy id as the tables write it, with its level's letter
    /// (`T1.10`; [`Taxonomy::table_id`]); an id the taxonomy does not
    /// hold (`extension`) as it is.
    pub(crate) fn tid(&self, id: &str) -> String {
        self.taxonomy.table_id(id).unwrap_or_else(|| id.to_string())
    }
}

/// One named table.
#[derive(Debug, Clone)]
pub struct Table {
    /// File stem (`alignment`, `coverage_status`, …).
    pub name: &'static str,
    /// The data.
    pub frame: DataFrame,
}

/// A document the run skipped (with `keep_going`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its manifest label.
    pub label: String,
    /// Its file name.
    pub file: String,
    /// Its manifest entry.
    pub meta: DocumentMeta,
    /// Why: the error's message, naming the file and the byte or line.
    pub error: String,
}

/// A score or share as the tables write it: rounded to 4 decimals.
pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
