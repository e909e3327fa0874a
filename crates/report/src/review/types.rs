//! The plain data the review steps share: where a label was read, and a
//! document's labels as corrections of its items.

use std::collections::HashMap;
use std::path::PathBuf;

use luoshi_align::Correction;
use luoshi_core::ingest::ItemId;

/// Where a label was read: its file and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelOrigin {
    /// The label file (a review sheet or a TOML label file).
    pub path: PathBuf,
    /// The line of the row or `[[label]]` entry.
    pub line: usize,
}

/// One document's labels: the correction of each labelled requirement
/// item, and where it was read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentLabels {
    /// The researcher's decision per item.
    pub corrections: HashMap<ItemId, Correction>,
    /// Where each was read.
    pub origins: HashMap<ItemId, LabelOrigin>,
}
