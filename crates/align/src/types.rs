//! The types the stages share and the aligner returns, as plain data: a
//! leaf module that imports nothing of its crate, so every stage imports
//! downward only (the house style: regex-automata's `util/primitives.rs`).

use std::ops::Range;
use std::sync::Arc;

use luoshi_core::ingest::ItemId;
use serde::Serialize;

/// A shared id string: cloning it for every item costs a reference count,
/// not an allocation.
pub type Id = Arc<str>;

/// An item's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Implements one specific national requirement.
    Matched,
    /// No single requirement fits, but it falls within one national task.
    Task,
    /// Outside every national task: the region's own addition.
    Extension,
}

impl Status {
    /// `matched`, `task` or `extension`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Matched => "matched",
            Status::Task => "task",
            Status::Extension => "extension",
        }
    }
}

/// A requirement's coverage in one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CoverageStatus {
    /// Some item states it (score ≥ covered threshold).
    Covered,
    /// Some item states part of it (score ≥ partial threshold).
    Partial,
    /// No item states it.
    Omitted,
}

impl CoverageStatus {
    /// `covered`, `partial` or `omitted`.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageStatus::Covered => "covered",
            CoverageStatus::Partial => "partial",
            CoverageStatus::Omitted => "omitted",
        }
    }
}

/// A scored taxonomy node.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Candidate {
    /// Node id (`1.1.2` or `1.1`).
    pub id: Id,
    /// Score in [0, 1].
    pub score: f64,
}

/// Why an item matched: the passages that align, in both texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The requirement aligned against.
    pub requirement: Id,
    /// Byte span of the matched passage in the document's decoded text.
    pub item_span: Range<usize>,
    /// Byte span of the matched passage in the requirement's canonical text.
    pub requirement_span: Range<usize>,
    /// The passage as the document states it.
    pub item_excerpt: String,
    /// The passage as the requirement states it.
    pub requirement_excerpt: String,
    /// Normalized local-alignment score.
    pub alignment: f64,
}

/// The decision for one requirement item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemAlignment {
    /// The item.
    pub item: ItemId,
    /// Matched, task or extension.
    pub status: Status,
    /// The requirement (when matched).
    pub requirement: Option<Id>,
    /// The task (when matched or task).
    pub task: Option<Id>,
    /// The area (when matched or task).
    pub area: Option<Id>,
    /// Score of the decision (requirement score when matched, the task
    /// vocabulary's share of the item's words when task, nearest
    /// requirement's score when extension).
    pub score: f64,
    /// The decision model's probability that this decision is right.
    pub confidence: f64,
    /// The best alternative of the same level: the second requirement
    /// (by score) when matched; the most probable other task (its
    /// probability as score) when task or extension.
    pub runner_up: Option<Candidate>,
    /// Score minus runner-up score when matched; confidence minus the
    /// runner-up's probability otherwise.
    pub margin: f64,
    /// The best-scoring requirement, whatever the decision.
    pub nearest: Option<Candidate>,
    /// The national task the item's own heading names, if any.
    pub heading_task: Option<Id>,
    /// Every requirement this item states at least partly (score ≥ the
    /// partial threshold, without heading bonus), best first.
    pub covers: Vec<Candidate>,
    /// Matched passages (for the matched or nearest requirement).
    pub evidence: Option<Evidence>,
    /// The decision model's second most probable outcome, with its
    /// probability as score: a task id, or `extension`.
    pub alternative: Option<Candidate>,
    /// Who decided: the model, or a researcher's label
    /// ([`crate::Aligner::align_document_corrected`]). A labelled item has
    /// confidence 1; its `runner_up`, `margin` and `alternative` are the
    /// model's.
    pub source: Source,
}

/// What a heading names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadingStatus {
    /// A national task (its title, reworded, or a theme inside it).
    Task,
    /// A national area only.
    Area,
    /// Neither: a section of the region's own.
    Own,
}

impl HeadingStatus {
    /// `task`, `area` or `own`.
    pub fn as_str(self) -> &'static str {
        match self {
            HeadingStatus::Task => "task",
            HeadingStatus::Area => "area",
            HeadingStatus::Own => "own",
        }
    }
}

/// The reading of one heading of a document: how its outline maps onto
/// the national one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeadingAlignment {
    /// The heading item.
    pub item: ItemId,
    /// Task, area or own.
    pub status: HeadingStatus,
    /// The task it names (status task).
    pub task: Option<Id>,
    /// The area it names (status task or area).
    pub area: Option<Id>,
    /// How close its words are to what it names: the larger of the Dice
    /// similarity to the title and the vocabulary share (a task), or the
    /// Dice similarity to the area title.
    pub score: f64,
    /// The heading model's probability that this reading is right; None
    /// when the decision model carries no heading model (the reading is
    /// then the heading-similarity rule's).
    pub confidence: Option<f64>,
}

/// A requirement's coverage in one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementCoverage {
    /// Requirement id.
    pub requirement: Id,
    /// Its task.
    pub task: Id,
    /// Its area.
    pub area: Id,
    /// Covered, partial, omitted.
    pub status: CoverageStatus,
    /// Best score of any item against it.
    pub score: f64,
    /// The items that state it at least partly, best first.
    pub items: Vec<ItemId>,
}

/// A document's alignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentAlignment {
    /// The document's label.
    pub label: String,
    /// Its file name.
    pub file: String,
    /// One entry per requirement item, in document order.
    pub items: Vec<ItemAlignment>,
    /// One entry per national requirement, in taxonomy order.
    pub coverage: Vec<RequirementCoverage>,
    /// One entry per heading item, in document order.
    pub headings: Vec<HeadingAlignment>,
    /// The area the document is about, when at least
    /// [`crate::AlignConfig::focus_share`] of its items fit that area's tasks
    /// best on their own words.
    pub focus: Option<Id>,
    /// How often the document's headings name the task of the requirement
    /// an item matches on its own words: the share of such items (under a
    /// heading that names a task) whose heading names that task; None
    /// when fewer than [`crate::AlignConfig::min_agreement_items`] items could be
    /// checked.
    pub heading_agreement: Option<f64>,
}

impl DocumentAlignment {
    /// The alignment of an item, if it is a requirement item.
    pub fn item(&self, id: ItemId) -> Option<&ItemAlignment> {
        self.items
            .binary_search_by_key(&id, |a| a.item)
            .ok()
            .map(|i| &self.items[i])
    }

    /// The reading of a heading item.
    pub fn heading(&self, id: ItemId) -> Option<&HeadingAlignment> {
        self.headings
            .binary_search_by_key(&id, |h| h.item)
            .ok()
            .map(|i| &self.headings[i])
    }

    /// The coverage of a requirement.
    pub fn coverage_of(&self, requirement: &str) -> Option<&RequirementCoverage> {
        self.coverage
            .iter()
            .find(|c| &*c.requirement == requirement)
    }
}

/// What an item's own headings say: the national task (or only the area)
/// they name. Computed once per distinct heading path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadingEvidence {
    /// The national task the headings name, if any.
    pub task: Option<Id>,
    /// The area they name: the named task's area, or an area whose title
    /// a heading is close to.
    pub area: Option<Id>,
}

/// Who decided an item: the decision model, or a researcher's label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The decision model.
    #[default]
    Model,
    /// A researcher's label (`--labels`).
    Label,
}

impl Source {
    /// `model` or `label`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Model => "model",
            Source::Label => "label",
        }
    }
}
