//! The plain data the review steps share: where a label was read, and a
//! document's labels as corrections of its items.

use std::collections::HashMap;
use std::path::PathBuf;

use luoshi_align::Correction;
use luoshi_core::ingest::ItemId;

/// Longest text Excel holds in a cell (characters); longer cells are cut
/// there in `review.xlsx` (review.csv has them whole).
pub(crate) const XLSX_CELL_CHARS: usize = 32_767;

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
    /// The labels that followed their text to another item than the
    /// `item_id` their row named (the document changed since the sheet
    /// was written): the item they are on now → the `item_id` the row
    /// named.
    pub moved: HashMap<ItemId, u32>,
}

/// The `text_hash` of an item's text (as review.csv's `text` column has
/// it): `sha256:` and the first 16 hexadecimal digits of the SHA-256 of
/// its UTF-8 bytes. The prefix keeps a default CSV read from taking the
/// digits for a number.
pub fn text_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::from("sha256:");
    for b in &digest[..8] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}
