//! Stage 2, the score card: everything the decision may look at about one
//! requirement item, as plain data. The candidate stage
//! ([`crate::grams::NgramIndex`]) fills the requirement and vocabulary
//! columns from the item's own words; the document reading
//! ([`crate::reading`]) fills the columns that depend on the rest of the
//! document. The decision ([`crate::DecisionModel`]) is a function of the
//! card alone, so it can be tested on hand-written cards.

use serde::{Deserialize, Serialize};
pub use smol_str::SmolStr;

use crate::aligner::Candidate;

/// What one national task's scope says of an item. Every value is in
/// [0, 1].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TaskCard {
    /// The task's id (`1.1`). Ids on a card are small inline strings
    /// ([`SmolStr`]): a card is made for every item, and copying a short
    /// id costs less than counting references to a shared one from every
    /// thread.
    pub task: SmolStr,
    /// Its area's id (`1`).
    pub area: SmolStr,
    /// The requirement of this task the item states best, if it shares
    /// any words with one.
    pub requirement: Option<SmolStr>,
    /// That requirement's containment score (β-blend of how much of the
    /// requirement the item states and how much of the item it explains).
    pub req_score: f64,
    /// How much of the item that requirement explains (`cont_item`).
    pub req_item: f64,
    /// The share of the item's weighted bigrams the task's vocabulary
    /// (title, text, keywords, requirements) holds.
    pub vocab: f64,
    /// The same share for the item's paragraph or table row (equal to
    /// `vocab` for an item alone on its line).
    pub context: f64,
    /// The item's specific words in the task: each shared bigram weighs
    /// its IDF divided by the number of tasks whose vocabulary holds it,
    /// over the item's total weight. A word every task uses adds almost
    /// nothing; a word only this task uses adds its whole weight.
    pub specific: f64,
    /// The share of the item's weighted bigrams that the labelled
    /// statements of this task hold (the learned vocabulary,
    /// [`crate::vocabulary`]); 0 without one.
    pub learned: f64,
    /// The same with each bigram's weight divided by the number of
    /// learned profiles that hold it.
    pub learned_specific: f64,
    /// Document reading: among the other items under the same headings,
    /// the share whose own words fit this task best.
    pub section: f64,
    /// Document reading: the share of the document's items whose own
    /// words fit a task of this task's area best.
    pub document: f64,
}

/// Everything the decision may look at about one requirement item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreCard {
    /// One entry per national task, in taxonomy order (a hand-written card
    /// may list only the tasks it cares about: the others count as zero).
    pub task: Vec<TaskCard>,
    /// The share of the item's weighted bigrams that no task's vocabulary
    /// holds: words the national document never uses.
    pub novelty: f64,
    /// The share of the item's weighted bigrams that the labelled local
    /// extensions hold (the learned vocabulary); 0 without one.
    pub learned_extension: f64,
    /// The same with each bigram's weight divided by the number of
    /// learned profiles that hold it.
    pub learned_extension_specific: f64,
    /// Normalized characters in the item.
    pub length: usize,
    /// Whether the item sits under any heading of the region's.
    pub has_heading: bool,
    /// The national task the item's own headings name, if any.
    pub heading_task: Option<SmolStr>,
    /// The area they name (the named task's area, or an area title).
    pub heading_area: Option<SmolStr>,
    /// Document reading: the median over the document's items of their
    /// best task-vocabulary share (how national the document's wording is
    /// as a whole, against which one item's wording is read).
    pub document_vocab: f64,
    /// Document reading: the same median of the best learned-vocabulary
    /// share of a task.
    pub document_learned: f64,
    /// Document reading: how often the document's headings name the task
    /// of the requirement an item matches on its own words (None: too few
    /// items to judge).
    pub heading_agreement: Option<f64>,
    /// The best-scoring requirement, whatever the decision.
    pub nearest: Option<Candidate>,
    /// The second-best requirement.
    pub second: Option<Candidate>,
    /// Every requirement the item states at least partly (score at least
    /// [`crate::AlignConfig::partial_threshold`]), best first.
    pub covers: Vec<Candidate>,
}

impl ScoreCard {
    /// The item's best task-vocabulary share.
    pub fn max_vocab(&self) -> f64 {
        self.task.iter().map(|t| t.vocab).fold(0.0, f64::max)
    }

    /// The item's best learned-vocabulary share of a task.
    pub fn max_learned(&self) -> f64 {
        self.task.iter().map(|t| t.learned).fold(0.0, f64::max)
    }

    /// The entry of task `id`, if the card lists it.
    pub fn task_card(&self, id: &str) -> Option<&TaskCard> {
        self.task.iter().find(|t| &*t.task == id)
    }

    /// Whether the item's headings name a region's own section: there are
    /// headings, and none of them names a national task or area.
    pub fn own_section(&self) -> bool {
        self.has_heading && self.heading_task.is_none() && self.heading_area.is_none()
    }

    /// How evenly the item's vocabulary spreads over the tasks: the
    /// entropy of the vocabulary shares (normalized to sum 1) over the
    /// log of the number of tasks, in [0, 1]; 1 when the item's words are
    /// everyone's, 0 when they are one task's. 1 for an item sharing no
    /// word with any task.
    pub fn spread(&self) -> f64 {
        let sum: f64 = self.task.iter().map(|t| t.vocab.max(0.0)).sum();
        if sum <= 0.0 || self.task.len() < 2 {
            return 1.0;
        }
        let h: f64 = self
            .task
            .iter()
            .map(|t| t.vocab.max(0.0) / sum)
            .filter(|&p| p > 0.0)
            .map(|p| -p * p.ln())
            .sum();
        (h / (self.task.len() as f64).ln()).clamp(0.0, 1.0)
    }
}
