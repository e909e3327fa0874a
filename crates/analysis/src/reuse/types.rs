//! What the search for reuse returns, as plain data (a leaf of the
//! `reuse` module).

use std::ops::Range;

use luoshi_align::{Id, Status};
use luoshi_core::ItemId;
use serde::Serialize;

/// What an item is, in the alignment: the requirement or extension a
/// passage belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Belongs {
    /// Matched, task or extension.
    pub status: Status,
    /// The requirement (matched).
    pub requirement: Option<Id>,
    /// The task (matched or task).
    pub task: Option<Id>,
}

/// A passage two documents share beyond the national text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// The first document (index into the documents searched); always
    /// less than `b`.
    pub a: usize,
    /// The second document.
    pub b: usize,
    /// The item of `a` holding the passage.
    pub a_item: ItemId,
    /// The item of `b` holding it.
    pub b_item: ItemId,
    /// Byte span of the passage in `a`'s text.
    pub a_span: Range<usize>,
    /// Byte span of the passage in `b`'s text.
    pub b_span: Range<usize>,
    /// Its length: the characters outside the national text it spans, on
    /// the shorter side (normalized: no punctuation, no speaker words).
    pub chars: usize,
    /// How closely the two sides agree: the local alignment's score over
    /// the best possible for the shorter side, in [0, 1].
    pub similarity: f64,
    /// What `a_item` is.
    pub a_belongs: Belongs,
    /// What `b_item` is.
    pub b_belongs: Belongs,
}

/// Why one document of a pair is taken to be the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Issue dates unknown or the same: it is of a higher level
    /// (province → prefecture → county) in the same province.
    Level,
    /// It was issued earlier (a document cannot copy one not yet
    /// issued, whatever the levels).
    Date,
}

impl Basis {
    /// `level` or `date`.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Level => "level",
            Basis::Date => "date",
        }
    }
}

/// Two documents that share passages beyond the national text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairReuse {
    /// The first document (index), less than `b`.
    pub a: usize,
    /// The second document.
    pub b: usize,
    /// The likely source (`a` or `b`), when the manifest's levels or
    /// issue dates tell.
    pub source: Option<usize>,
    /// What told.
    pub basis: Option<Basis>,
    /// Indices of their passages in [`Reuse::passages`].
    pub passages: Vec<usize>,
    /// Characters of `a`'s statements inside the shared passages
    /// (outside the national text), each counted once.
    pub a_chars: usize,
    /// The same for `b`.
    pub b_chars: usize,
    /// `a_chars` over all of `a`'s statement characters.
    pub a_share: f64,
    /// `b_chars` over all of `b`'s.
    pub b_share: f64,
}

impl PairReuse {
    /// The likely copy (the other document than the source).
    pub fn target(&self) -> Option<usize> {
        self.source
            .map(|s| if s == self.a { self.b } else { self.a })
    }
}

/// Every pair of documents sharing passages beyond the national text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reuse {
    /// The passages, by pair (`a`, `b`) then by `a`'s item and span.
    pub passages: Vec<Passage>,
    /// The pairs, by (`a`, `b`).
    pub pairs: Vec<PairReuse>,
    /// Counts of the search's stages, for measuring it.
    pub stats: ReuseStats,
}

/// What the search did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReuseStats {
    /// Requirement items read.
    pub items: usize,
    /// Fingerprints indexed (after winnowing, outside the national text).
    pub fingerprints: usize,
    /// Distinct fingerprints found in more than `max_df` documents, left
    /// out as templates.
    pub templates: usize,
    /// Pairs of items aligned (sharing `min_shared` fingerprints).
    pub candidates: usize,
}
