//! Stage 2, the score card: everything the decision may look at about one
//! requirement item, as plain data. The candidate stage
//! ([`crate::grams::NgramIndex`]) fills the requirement and vocabulary
//! columns from the item's own words; the document reading
//! ([`crate::reading`]) fills the columns that depend on the rest of the
//! document. The decision ([`crate::DecisionModel`]) is a function of the
//! card alone, so it can be tested on hand-written cards.

use serde::{Deserialize, Serialize};
pub use smol_str::SmolStr;

use crate::candidates::{Candidates, NO_REQUIREMENT, Scratch, Totals};
use crate::compiled::Compiled;
use crate::grams::grams_and_positions;
use crate::normalize::NormText;
use crate::scorer::combine;
use crate::types::{Candidate, HeadingEvidence};

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

/// Fills score cards from the candidate stage's sums (stages 1 and 2).
pub(crate) struct CardMaker<'a> {
    pub(crate) compiled: &'a Compiled,
    pub(crate) candidates: &'a Candidates,
    /// [`crate::AlignConfig::item_weight`] (β).
    pub(crate) item_weight: f64,
    /// [`crate::AlignConfig::partial_threshold`].
    pub(crate) partial_threshold: f64,
}

impl CardMaker<'_> {
    /// Stages 1 and 2 for one normalized statement: its score card, with
    /// the document-reading columns left at zero. `context` is
    /// [`crate::Aligner::context_vocabulary`] of its paragraph or table row (None:
    /// the item alone); `heading` is [`crate::Aligner::heading_evidence`] of its
    /// heading path, and `has_heading` whether it has one. The statement's
    /// sorted bigram positions are left in `scratch` for the evidence.
    pub(crate) fn card(
        &self,
        norm: &NormText,
        context: Option<&[f64]>,
        heading: &HeadingEvidence,
        has_heading: bool,
        scratch: &mut Scratch,
    ) -> ScoreCard {
        let (mut positions, mut g) = (
            std::mem::take(&mut scratch.positions),
            std::mem::take(&mut scratch.grams),
        );
        grams_and_positions(&norm.chars, &mut positions, &mut g);
        let Totals {
            req: total,
            task: tt,
            unseen,
            learned: lt,
        } = self.candidates.accumulate_all(&g, scratch);
        let mut nearest: Option<(usize, f64)> = None;
        let mut second: Option<(usize, f64)> = None;
        let mut covers: Vec<(usize, f64)> = Vec::new();
        scratch
            .best_in_task
            .iter_mut()
            .for_each(|b| *b = (0.0, 0.0, NO_REQUIREMENT));
        // Candidates in any order: ties go to the lower index explicitly,
        // so the result is that of a scan in index order.
        let beats = |s: f64, r: usize, other: Option<(usize, f64)>| {
            other.is_none_or(|(r2, s2)| s > s2 || (s == s2 && r < r2))
        };
        for &r in &scratch.touched[..scratch.listed] {
            let r = r as usize;
            let shared = scratch.req_acc[r];
            let score = combine(
                self.item_weight,
                shared,
                total,
                self.candidates.req_index.text_weight(r),
            );
            let task = self.compiled.reqs[r].task;
            let b = &mut scratch.best_in_task[task.get()];
            if score > b.0 || (score == b.0 && (r as u32) < b.2) {
                let item_share = if total > 0.0 {
                    (shared / total) as f64
                } else {
                    0.0
                };
                *b = (score, item_share, r as u32);
            }
            if score >= self.partial_threshold {
                covers.push((r, score));
            }
            if beats(score, r, nearest) {
                second = nearest;
                nearest = Some((r, score));
            } else if beats(score, r, second) {
                second = Some((r, score));
            }
        }
        self.candidates.reset(scratch);
        covers.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // Task scope: the item's share of each task's vocabulary, and of
        // its specific words; what regions write under each task, and add
        // of their own (accumulated above).
        let share = |x: f32| if tt > 0.0 { (x / tt) as f64 } else { 0.0 };
        let learned = |x: f32| if lt > 0.0 { (x / lt) as f64 } else { 0.0 };
        let ext = self.compiled.tasks.len();
        let cand = |r: usize, s: f64| Candidate {
            id: self.compiled.reqs[r].id.clone(),
            score: s,
        };
        let task = self
            .compiled
            .tasks
            .iter()
            .enumerate()
            .map(|(t, task)| {
                let (req_score, req_item, r) = scratch.best_in_task[t];
                let vocab = share(scratch.task_acc[t][0]);
                TaskCard {
                    task: task.name.clone(),
                    area: task.area_name.clone(),
                    requirement: (r != NO_REQUIREMENT)
                        .then(|| self.compiled.reqs[r as usize].name.clone()),
                    req_score,
                    req_item,
                    vocab,
                    context: context.and_then(|c| c.get(t).copied()).unwrap_or(vocab),
                    specific: share(scratch.task_acc[t][1]),
                    learned: learned(scratch.learned_acc[t][0]),
                    learned_specific: learned(scratch.learned_acc[t][1]),
                    section: 0.0,
                    document: 0.0,
                }
            })
            .collect();
        (scratch.positions, scratch.grams) = (positions, g);
        let mut card = ScoreCard {
            task,
            novelty: share(unseen),
            learned_extension: learned(scratch.learned_acc[ext][0]),
            learned_extension_specific: learned(scratch.learned_acc[ext][1]),
            length: norm.len(),
            has_heading,
            heading_task: heading.task.as_deref().map(SmolStr::new),
            heading_area: heading.area.as_deref().map(SmolStr::new),
            heading_agreement: None,
            nearest: nearest.map(|(r, s)| cand(r, s)),
            second: second.map(|(r, s)| cand(r, s)),
            covers: covers.iter().map(|&(r, s)| cand(r, s)).collect(),
            document_vocab: 0.0,
            document_learned: 0.0,
        };
        // Until the document is read, the item is its own document.
        (card.document_vocab, card.document_learned) = (card.max_vocab(), card.max_learned());
        card
    }
}
