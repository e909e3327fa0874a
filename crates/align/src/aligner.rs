//! The aligner: every requirement item of a regional document onto the
//! national requirement it implements, the national task whose scope it
//! falls in, or neither (a local extension); and per document, which
//! national requirements are covered, partly covered or omitted.
//!
//! The stages, one module each, meet at plain data:
//!
//! 1. **candidates** (here): an inverted bigram index over the requirement
//!    texts ([`NgramIndex`]); an item touches only the requirements that
//!    share a gram with it, and the accumulated shared weights give the
//!    containment score exactly, so indexed search equals exhaustive
//!    search (tested). A second index over task vocabularies gives each
//!    task's share of the item's words and its specific words;
//! 2. **score card** ([`crate::card`]): those numbers per task, plus the
//!    item's headings and novelty;
//! 3. **document reading** ([`crate::reading`]): heading agreement, area
//!    and section shares, from the items' own words;
//! 4. **decision** ([`crate::DecisionModel`]): a fitted conditional-logit
//!    model over the card, with a probability;
//! 5. **evidence** ([`crate::evidence`]): Smith–Waterman spans;
//! 6. **coverage** ([`crate::coverage`]).

use std::ops::Range;
use std::sync::Arc;

/// A shared id string: cloning it for every item costs a reference count,
/// not an allocation.
pub type Id = Arc<str>;

use luoshi_core::ingest::{Item, ItemId, ItemKind, RegionDocument};
use luoshi_core::taxonomy::{NodeKind, Taxonomy};
use rayon::prelude::*;
use serde::Serialize;

use crate::card::{ScoreCard, SmolStr, TaskCard};
use crate::config::AlignConfig;
use crate::correct::{Correction, Source};
use crate::decide::{DecisionModel, Weights};
use crate::error::{Error, Result};
use crate::evidence::{EvidenceBuffers, Target, bigram_positions, evidence};
use crate::grams::{Gram, NgramIndex, grams, grams_and_positions};
use crate::normalize::{NormText, Normalizer};
use crate::reading::{DocumentReading, read_document};
use crate::scorer::combine;
use crate::vocabulary::LearnedVocabulary;

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
    /// ([`Aligner::align_document_corrected`]). A labelled item has
    /// confidence 1; its `runner_up`, `margin` and `alternative` are the
    /// model's.
    pub source: Source,
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
    /// The area the document is about, when at least
    /// [`AlignConfig::focus_share`] of its items fit that area's tasks
    /// best on their own words.
    pub focus: Option<Id>,
    /// How often the document's headings name the task of the requirement
    /// an item matches on its own words: the share of such items (under a
    /// heading that names a task) whose heading names that task; None
    /// when fewer than [`AlignConfig::min_agreement_items`] items could be
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

    /// The coverage of a requirement.
    pub fn coverage_of(&self, requirement: &str) -> Option<&RequirementCoverage> {
        self.coverage
            .iter()
            .find(|c| &*c.requirement == requirement)
    }
}

#[derive(Debug)]
pub(crate) struct Req {
    pub(crate) id: Id,
    /// `id` as the small string of a score card.
    name: SmolStr,
    pub(crate) task: usize,
    pub(crate) norm: NormText,
    /// Each bigram of `norm` with its position, sorted: where an item's
    /// bigram recurs, for the evidence alignment's diagonal.
    pub(crate) positions: Vec<(Gram, u32)>,
    pub(crate) text: String,
}

#[derive(Debug)]
pub(crate) struct Task {
    pub(crate) id: Id,
    pub(crate) area: Id,
    /// `id` and `area` as the small strings of a score card.
    name: SmolStr,
    area_name: SmolStr,
    area_title_grams: Vec<Gram>,
    title_grams: Vec<Gram>,
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

/// Reusable per-thread buffers (no allocation per pair).
#[derive(Debug, Default)]
pub struct Scratch {
    req_acc: Vec<f32>,
    /// The requirements the item touches, in first-touch order:
    /// `touched[..listed]` (the vector holds one slot per requirement and
    /// one more, written without a branch).
    touched: Vec<u32>,
    listed: usize,
    /// Per task: the item's weight in its vocabulary, and its specific
    /// weight (side by side: one posting touches one cache line).
    task_acc: Vec<[f32; 2]>,
    /// The same per learned profile (tasks, then the extensions).
    learned_acc: Vec<[f32; 2]>,
    best_in_task: Vec<(f64, f64, u32)>,
    evidence: EvidenceBuffers,
    positions: Vec<(Gram, u32)>,
    grams: Vec<Gram>,
    /// Each gram's slots in the three indexes ([`Aligner::accumulate_all`]).
    slots: Vec<[Slot; 3]>,
}

/// Maps regional items onto a taxonomy.
#[derive(Debug)]
pub struct Aligner {
    config: AlignConfig,
    model: DecisionModel,
    weights: Weights,
    reqs: Vec<Req>,
    req_by_id: rustc_hash::FxHashMap<Id, usize>,
    tasks: Vec<Task>,
    req_index: Arc<NgramIndex>,
    task_index: NgramIndex,
    /// The learned vocabulary's profiles: one per task, then the
    /// extensions' (None when there are no examples).
    learned: Option<NgramIndex>,
    /// Each gram's row of `gram_slots` (grams of any of the three
    /// indexes): one hash lookup per gram of an item instead of three.
    gram_ids: rustc_hash::FxHashMap<Gram, u32>,
    /// Per gram, what the requirement, task and learned indexes hold of
    /// it, side by side: the few bytes an item's sums need sit in one or
    /// two cache lines instead of six arrays.
    gram_slots: Vec<[Slot; 3]>,
    national: Normalizer,
    taxonomy_id: String,
}

/// One gram in one index ([`NgramIndex`]): its weight, its weight over
/// the number of texts that hold it, and where its postings lie.
#[derive(Debug, Clone, Copy)]
struct Slot {
    weight: f32,
    part: f32,
    start: u32,
    end: u32,
}

impl Slot {
    /// The slot of a gram the index lacks.
    const ABSENT: Slot = Slot {
        weight: 0.0,
        part: 0.0,
        start: u32::MAX,
        end: 0,
    };

    fn of(index: &NgramIndex, id: u32) -> Slot {
        let (weight, range) = index.span_of(id);
        Slot {
            weight,
            part: weight / range.len() as f32,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    fn present(self) -> bool {
        self.start != u32::MAX
    }

    fn postings(self, all: &[u32]) -> &[u32] {
        &all[self.start as usize..self.end as usize]
    }
}

fn dice(a: &[Gram], b: &[Gram]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * luoshi_core::text::shared_sorted(a, b) as f64 / (a.len() + b.len()) as f64
}

/// No requirement of a task shares a word with the item.
const NO_REQUIREMENT: u32 = u32::MAX;

impl Aligner {
    /// An aligner for `taxonomy` with the default settings and the shipped
    /// decision model.
    ///
    /// # Errors
    /// [`Error::EmptyTaxonomy`] when the taxonomy has no requirement.
    pub fn new(taxonomy: &Taxonomy) -> Result<Aligner> {
        Self::with_config(taxonomy, AlignConfig::default())
    }

    /// An aligner with the given settings and the shipped decision model.
    ///
    /// # Errors
    /// [`Error::EmptyTaxonomy`], or [`Error::Setting`] for a value out of
    /// range.
    pub fn with_config(taxonomy: &Taxonomy, config: AlignConfig) -> Result<Aligner> {
        Self::with_model(taxonomy, config, DecisionModel::national_2017())
    }

    /// An aligner with the given settings and decision model (for
    /// example one refitted on a user's labels) and the shipped learned
    /// vocabulary.
    ///
    /// # Errors
    /// As [`Aligner::with_config`].
    pub fn with_model(
        taxonomy: &Taxonomy,
        config: AlignConfig,
        model: DecisionModel,
    ) -> Result<Aligner> {
        Self::with_learned(taxonomy, config, model, &LearnedVocabulary::national_2017())
    }

    /// An aligner with the given settings, decision model and learned
    /// vocabulary (the two are fitted together: see the `calibrate`
    /// example).
    ///
    /// # Errors
    /// As [`Aligner::with_config`].
    pub fn with_learned(
        taxonomy: &Taxonomy,
        config: AlignConfig,
        model: DecisionModel,
        vocabulary: &LearnedVocabulary,
    ) -> Result<Aligner> {
        config.validate(std::path::Path::new("<config>"))?;
        let national = Normalizer::standard(&[]);
        let mut tasks: Vec<Task> = Vec::new();
        let mut reqs: Vec<Req> = Vec::new();
        let mut profiles: Vec<Vec<char>> = Vec::new();
        for t in taxonomy.tasks() {
            let node = taxonomy.node(t);
            let area_node = taxonomy.enclosing(t, NodeKind::Area);
            let area = area_node
                .map(|a| taxonomy.node(a).id.clone())
                .unwrap_or_default();
            let area_title_grams = area_node
                .map(|a| grams(&national.normalize(&taxonomy.node(a).title).chars))
                .unwrap_or_default();
            let title = national.normalize(&node.title);
            let mut profile: Vec<char> = Vec::new();
            let mut add = |s: &str| {
                profile.extend(national.normalize(s).chars);
                profile.push('|');
            };
            add(&node.title);
            add(&node.text);
            for k in &node.keywords {
                add(k);
            }
            for r in taxonomy.requirements_under(t) {
                let rn = taxonomy.node(r);
                add(&rn.text);
                for k in &rn.keywords {
                    add(k);
                }
                let norm = national.normalize(&rn.text);
                reqs.push(Req {
                    id: rn.id.as_str().into(),
                    name: SmolStr::new(rn.id.as_str()),
                    task: tasks.len(),
                    positions: bigram_positions(&norm.chars),
                    norm,
                    text: rn.text.clone(),
                });
            }
            profiles.push(profile);
            tasks.push(Task {
                id: node.id.as_str().into(),
                name: SmolStr::new(&node.id),
                area_name: SmolStr::new(&area),
                area: area.into(),
                area_title_grams,
                title_grams: grams(&title.chars),
            });
        }
        if reqs.is_empty() {
            return Err(Error::EmptyTaxonomy(taxonomy.meta().id.clone()));
        }
        let req_index = Arc::new(NgramIndex::build(
            reqs.iter().map(|r| r.norm.chars.as_slice()),
        ));
        // Words of an item that no task has dilute its fit to every task
        // alike; they weigh `unseen_weight` times an average task word.
        let task_index = NgramIndex::build(profiles.iter().map(Vec::as_slice));
        let mean = task_index.mean_weight();
        let task_index = task_index.with_unseen_weight(mean * config.unseen_weight as f32);
        let task_ids: Vec<&str> = tasks.iter().map(|t| &*t.id).collect();
        let learned = (!vocabulary.example.is_empty()).then(|| {
            let profiles: Vec<Vec<char>> = vocabulary
                .profiles(&task_ids)
                .into_iter()
                .map(|p| national.normalize(&p.into_iter().collect::<String>()).chars)
                .collect();
            NgramIndex::build(profiles.iter().map(Vec::as_slice))
        });
        let req_by_id = reqs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let mut gram_ids: rustc_hash::FxHashMap<Gram, u32> = rustc_hash::FxHashMap::default();
        let mut gram_slots: Vec<[Slot; 3]> = Vec::new();
        for (k, index) in [Some(&*req_index), Some(&task_index), learned.as_ref()]
            .into_iter()
            .enumerate()
        {
            if let Some(index) = index {
                for (g, id) in index.grams_with_ids() {
                    let row = *gram_ids.entry(g).or_insert_with(|| {
                        gram_slots.push([Slot::ABSENT; 3]);
                        (gram_slots.len() - 1) as u32
                    });
                    gram_slots[row as usize][k] = Slot::of(index, id);
                }
            }
        }
        Ok(Aligner {
            gram_ids,
            gram_slots,
            weights: model.weights(),
            req_by_id,
            learned,
            config,
            model,
            reqs,
            tasks,
            req_index,
            task_index,
            national,
            taxonomy_id: taxonomy.meta().id.clone(),
        })
    }

    /// The settings in use.
    pub fn config(&self) -> &AlignConfig {
        &self.config
    }

    /// The decision model in use.
    pub fn model(&self) -> &DecisionModel {
        &self.model
    }

    /// The requirement index (for scorers that share its IDF).
    pub fn index(&self) -> &Arc<NgramIndex> {
        &self.req_index
    }

    /// The id of the taxonomy aligned against.
    pub fn taxonomy_id(&self) -> &str {
        &self.taxonomy_id
    }

    /// Requirement ids in taxonomy order.
    pub fn requirement_ids(&self) -> impl Iterator<Item = &str> {
        self.reqs.iter().map(|r| &*r.id)
    }

    /// The normalized canonical text of each requirement, in order.
    pub fn requirement_texts(&self) -> impl Iterator<Item = &[char]> {
        self.reqs.iter().map(|r| r.norm.chars.as_slice())
    }

    /// Fresh buffers for [`Aligner::align_normalized`].
    pub fn scratch(&self) -> Scratch {
        Scratch {
            req_acc: vec![0.0; self.reqs.len()],
            touched: vec![0; self.reqs.len() + 1],
            listed: 0,
            task_acc: vec![[0.0; 2]; self.tasks.len()],
            learned_acc: vec![[0.0; 2]; self.tasks.len() + 1],
            best_in_task: vec![(0.0, 0.0, NO_REQUIREMENT); self.tasks.len()],
            evidence: EvidenceBuffers::default(),
            positions: Vec::new(),
            grams: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// What a heading path names, deepest heading first: a national task
    /// (the best of the heading's bigram Dice similarity to the task's
    /// title and its containment in the task's vocabulary, if it reaches
    /// the heading-similarity setting) or, failing that, an area (Dice
    /// similarity to the area's title).
    pub fn heading_evidence(&self, headings: &[String]) -> HeadingEvidence {
        let mut acc = vec![0.0f32; self.tasks.len()];
        let mut area: Option<Id> = None;
        for h in headings.iter().rev() {
            let g = grams(&self.national.normalize(h).chars);
            if g.is_empty() {
                continue;
            }
            acc.iter_mut().for_each(|a| *a = 0.0);
            let total = self.task_index.accumulate(&g, &mut acc);
            let mut best: Option<(usize, f64)> = None;
            for (i, t) in self.tasks.iter().enumerate() {
                let vocab = if total > 0.0 {
                    (acc[i] / total) as f64
                } else {
                    0.0
                };
                let s = dice(&g, &t.title_grams).max(vocab);
                if best.is_none_or(|b| s > b.1) {
                    best = Some((i, s));
                }
            }
            // A heading closer to an area's title than to any task names
            // the area only (an area title shares words with its tasks'
            // vocabularies without naming one of them).
            // Tasks of one area share its title: each run of them is
            // compared once (a repeat would give the same pair).
            let area_here = self
                .tasks
                .iter()
                .enumerate()
                .filter(|&(i, t)| i == 0 || self.tasks[i - 1].area != t.area)
                .map(|(_, t)| (dice(&g, &t.area_title_grams), &t.area))
                .filter(|(s, _)| *s >= self.config.heading_similarity)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((i, s)) = best
                && s >= self.config.heading_similarity
                && area_here.is_none_or(|(a, _)| a < s)
            {
                return HeadingEvidence {
                    task: Some(self.tasks[i].id.clone()),
                    area: Some(self.tasks[i].area.clone()),
                };
            }
            if area.is_none() {
                area = area_here.map(|(_, a)| a.clone());
            }
        }
        HeadingEvidence { task: None, area }
    }

    /// The share of `context`'s weighted grams each task's vocabulary
    /// holds, in task order (for [`Aligner::align_normalized`]).
    pub fn context_vocabulary(&self, context: &[char]) -> Vec<f64> {
        let mut acc = vec![0.0f32; self.tasks.len()];
        let total = self.task_index.accumulate(&grams(context), &mut acc);
        acc.iter()
            .map(|&a| if total > 0.0 { (a / total) as f64 } else { 0.0 })
            .collect()
    }

    /// Indexed requirement scores of a normalized statement:
    /// `(requirement index, score)` for every requirement sharing a gram,
    /// in index order. Test support (feature `test-support`): what the
    /// seeds' tests and the benchmark compare with exhaustive scoring.
    #[cfg(feature = "test-support")]
    pub fn requirement_scores(&self, norm: &[char], scratch: &mut Scratch) -> Vec<(usize, f64)> {
        let g = grams(norm);
        let total = self.accumulate(&g, scratch);
        let mut out: Vec<(usize, f64)> = scratch.touched[..scratch.listed]
            .iter()
            .map(|&r| {
                let r = r as usize;
                (
                    r,
                    combine(
                        self.config.item_weight,
                        scratch.req_acc[r],
                        total,
                        self.req_index.text_weight(r),
                    ),
                )
            })
            .collect();
        out.sort_by_key(|x| x.0);
        self.reset(scratch);
        out
    }

    /// Exhaustive requirement scores (every requirement scored pairwise,
    /// no index): what the indexed path must equal. Test support (feature
    /// `test-support`).
    #[cfg(feature = "test-support")]
    pub fn brute_force_scores(&self, norm: &[char]) -> Vec<f64> {
        let g = grams(norm);
        let total = self.req_index.weight_of(&g);
        self.reqs
            .iter()
            .enumerate()
            .map(|(r, req)| {
                let rg = grams(&req.norm.chars);
                let shared = self.req_index.shared_weight(&g, &rg);
                combine(
                    self.config.item_weight,
                    shared,
                    total,
                    self.req_index.text_weight(r),
                )
            })
            .collect()
    }

    #[cfg(feature = "test-support")]
    fn accumulate(&self, g: &[Gram], scratch: &mut Scratch) -> f32 {
        if scratch.req_acc.len() != self.reqs.len() || scratch.task_acc.len() != self.tasks.len() {
            *scratch = self.scratch();
        }
        let mut total = 0.0;
        let acc = &mut scratch.req_acc;
        let unseen = self.req_index.unseen_weight();
        for &gram in g {
            let Some((w, postings)) = self.req_index.entry(gram) else {
                total += unseen;
                continue;
            };
            total += w;
            for &d in postings {
                let a = &mut acc[d as usize];
                if *a == 0.0 && scratch.listed < scratch.touched.len() {
                    scratch.touched[scratch.listed] = d;
                    scratch.listed += 1;
                }
                *a += w;
            }
        }
        total
    }

    /// The candidate stage's sums for an item's grams, one hash lookup per
    /// gram: requirement containment weights (into `req_acc`, touched
    /// requirements listed), task vocabulary and specific weights, learned
    /// vocabulary weights. Returns the item's total weight under each
    /// index (requirements, tasks, unseen by tasks, learned). The task and
    /// learned accumulators are zeroed first; the requirement accumulator
    /// must be reset after use ([`Aligner::reset`]).
    fn accumulate_all(&self, g: &[Gram], scratch: &mut Scratch) -> (f32, f32, f32, f32) {
        if scratch.req_acc.len() != self.reqs.len()
            || scratch.touched.len() != self.reqs.len() + 1
            || scratch.task_acc.len() != self.tasks.len()
        {
            *scratch = self.scratch();
        }
        // Plain slices, so the loop keeps them in registers instead of
        // reloading each vector through `scratch`.
        let Scratch {
            req_acc,
            touched,
            task_acc,
            learned_acc,
            slots,
            ..
        } = scratch;
        // All lookups first, then all sums: the lookups of different grams
        // are independent, so the processor overlaps their cache misses
        // (the table is large) instead of waiting on each before its sums.
        slots.clear();
        slots.extend(g.iter().map(|gram| {
            self.gram_ids
                .get(gram)
                .map_or([Slot::ABSENT; 3], |&row| self.gram_slots[row as usize])
        }));
        let (req_acc, task_acc, learned_acc) = (
            req_acc.as_mut_slice(),
            task_acc.as_mut_slice(),
            learned_acc.as_mut_slice(),
        );
        task_acc.fill([0.0; 2]);
        learned_acc.fill([0.0; 2]);
        let (mut total, mut tt, mut unseen, mut lt) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
        let (req_unseen, task_unseen) = (
            self.req_index.unseen_weight(),
            self.task_index.unseen_weight(),
        );
        let (req_postings, task_postings) = (self.req_index.postings(), self.task_index.postings());
        // A requirement is listed when first touched, without a branch:
        // every posting writes the slot past the list's end, and the end
        // moves on only at a first touch (weights are positive, so a
        // touched sum is never 0 again; the end stays within the vector
        // even if one were).
        let last = touched.len() - 1;
        let mut listed = 0usize;
        for &[req, task, learned] in slots.iter() {
            if req.present() {
                let w = req.weight;
                total += w;
                for &d in req.postings(req_postings) {
                    let a = &mut req_acc[d as usize];
                    touched[listed] = d;
                    listed = (listed + usize::from(*a == 0.0)).min(last);
                    *a += w;
                }
            } else {
                total += req_unseen;
            }
            if task.present() {
                tt += task.weight;
                for &d in task.postings(task_postings) {
                    let a = &mut task_acc[d as usize];
                    a[0] += task.weight;
                    a[1] += task.part;
                }
            } else {
                tt += task_unseen;
                unseen += task_unseen;
            }
            if let Some(index) = &self.learned {
                if learned.present() {
                    lt += learned.weight;
                    for &d in learned.postings(index.postings()) {
                        let a = &mut learned_acc[d as usize];
                        a[0] += learned.weight;
                        a[1] += learned.part;
                    }
                } else {
                    lt += index.unseen_weight();
                }
            }
        }
        scratch.listed = listed;
        (total, tt, unseen, lt)
    }

    fn reset(&self, scratch: &mut Scratch) {
        for &r in &scratch.touched[..scratch.listed] {
            scratch.req_acc[r as usize] = 0.0;
        }
        scratch.listed = 0;
    }

    /// Stages 1 and 2 for one normalized statement: its score card, with
    /// the document-reading columns left at zero. `context` is
    /// [`Aligner::context_vocabulary`] of its paragraph or table row (None:
    /// the item alone); `heading` is [`Aligner::heading_evidence`] of its
    /// heading path, and `has_heading` whether it has one. The statement's
    /// sorted bigram positions are left in `scratch` for the evidence.
    pub fn score_card(
        &self,
        norm: &NormText,
        context: Option<&[f64]>,
        heading: &HeadingEvidence,
        has_heading: bool,
        scratch: &mut Scratch,
    ) -> ScoreCard {
        let cfg = &self.config;
        let (mut positions, mut g) = (
            std::mem::take(&mut scratch.positions),
            std::mem::take(&mut scratch.grams),
        );
        grams_and_positions(&norm.chars, &mut positions, &mut g);
        let (total, tt, unseen, lt) = self.accumulate_all(&g, scratch);
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
                cfg.item_weight,
                shared,
                total,
                self.req_index.text_weight(r),
            );
            let task = self.reqs[r].task;
            let b = &mut scratch.best_in_task[task];
            if score > b.0 || (score == b.0 && (r as u32) < b.2) {
                let item_share = if total > 0.0 {
                    (shared / total) as f64
                } else {
                    0.0
                };
                *b = (score, item_share, r as u32);
            }
            if score >= cfg.partial_threshold {
                covers.push((r, score));
            }
            if beats(score, r, nearest) {
                second = nearest;
                nearest = Some((r, score));
            } else if beats(score, r, second) {
                second = Some((r, score));
            }
        }
        self.reset(scratch);
        covers.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // Task scope: the item's share of each task's vocabulary, and of
        // its specific words; what regions write under each task, and add
        // of their own (accumulated above).
        let share = |x: f32| if tt > 0.0 { (x / tt) as f64 } else { 0.0 };
        let learned = |x: f32| if lt > 0.0 { (x / lt) as f64 } else { 0.0 };
        let ext = self.tasks.len();
        let cand = |r: usize, s: f64| Candidate {
            id: self.reqs[r].id.clone(),
            score: s,
        };
        let task = self
            .tasks
            .iter()
            .enumerate()
            .map(|(t, task)| {
                let (req_score, req_item, r) = scratch.best_in_task[t];
                let vocab = share(scratch.task_acc[t][0]);
                TaskCard {
                    task: task.name.clone(),
                    area: task.area_name.clone(),
                    requirement: (r != NO_REQUIREMENT).then(|| self.reqs[r as usize].name.clone()),
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

    /// Stages 4 and 5 for one item: the decision on its (read) card and
    /// the evidence. `positions` are the statement's sorted bigram
    /// positions; `raw` is the text its offsets point into.
    #[allow(clippy::too_many_arguments)]
    fn decide(
        &self,
        item: ItemId,
        card: ScoreCard,
        norm: &NormText,
        positions: &[(Gram, u32)],
        raw: &str,
        correction: Option<&Correction>,
        buffers: &mut EvidenceBuffers,
    ) -> ItemAlignment {
        let cfg = &self.config;
        // The card is this aligner's: its tasks are `self.tasks`, in order.
        debug_assert_eq!(card.task.len(), self.tasks.len());
        let decision = self.weights.decide(&card);
        let req_index = |id: &str| self.req_by_id.get(id).copied();
        let task_candidate = |t: usize, p: f64| Candidate {
            id: self.tasks[t].id.clone(),
            score: p,
        };
        let mut out = ItemAlignment {
            item,
            status: Status::Extension,
            requirement: None,
            task: None,
            area: None,
            score: card.nearest.as_ref().map_or(0.0, |n| n.score),
            confidence: decision.probability,
            runner_up: decision.runner_up.map(|(t, p)| task_candidate(t, p)),
            margin: decision.probability - decision.runner_up.map_or(0.0, |r| r.1),
            nearest: None,
            heading_task: card
                .heading_task
                .as_ref()
                .and_then(|h| self.tasks.iter().find(|t| t.name == *h))
                .map(|t| t.id.clone()),
            covers: Vec::new(),
            evidence: None,
            alternative: None,
            source: Source::Model,
        };
        // The second most probable outcome: the best other task, or the
        // extension when that is more probable (or was not chosen).
        let other_task = decision.runner_up.map(|(t, p)| task_candidate(t, p));
        out.alternative = match (decision.task, other_task) {
            (None, t) => t,
            (Some(_), Some(t)) if t.score >= decision.extension => Some(t),
            (Some(_), _) => Some(Candidate {
                id: Id::from("extension"),
                score: decision.extension,
            }),
        };
        let mut target = card
            .nearest
            .as_ref()
            .filter(|n| n.score > 0.0)
            .and_then(|n| req_index(&n.id));
        if let Some(t) = decision.task {
            let tc = &card.task[t];
            out.task = Some(self.tasks[t].id.clone());
            out.area = Some(self.tasks[t].area.clone());
            match tc.requirement.as_deref().and_then(req_index) {
                Some(r) if tc.req_score >= cfg.match_threshold => {
                    let id = &self.reqs[r].id;
                    out.status = Status::Matched;
                    out.requirement = Some(id.clone());
                    out.score = tc.req_score;
                    // The runner-up of a match is the next requirement.
                    let other = [&card.nearest, &card.second]
                        .into_iter()
                        .flatten()
                        .find(|c| c.id != *id)
                        .cloned();
                    out.margin = tc.req_score - other.as_ref().map_or(0.0, |c| c.score);
                    out.runner_up = other;
                    target = Some(r);
                }
                _ => {
                    out.status = Status::Task;
                    out.score = tc.vocab;
                }
            }
        }
        (out.nearest, out.covers) = (card.nearest, card.covers);
        if let Some(c) = correction {
            self.apply(&mut out, c, &card.task, &mut target);
        }
        if cfg.evidence
            && let Some(r) = target.map(|r| &self.reqs[r])
        {
            let t = Target {
                id: &r.id,
                norm: &r.norm,
                positions: &r.positions,
                text: &r.text,
            };
            out.evidence = Some(evidence(
                t,
                norm,
                positions,
                raw,
                (cfg.evidence_band, cfg.evidence_slack),
                buffers,
            ));
        }
        out
    }

    /// Replaces the model's decision in `out` by a researcher's
    /// correction: the item takes the labelled status and target with
    /// confidence 1, and covers the labelled requirement alone (score 1),
    /// or no requirement when labelled a task item or an extension; a
    /// confirmation (or a task label the decision lies in) keeps the
    /// decision. `target` becomes the requirement the evidence is sought
    /// against.
    fn apply(
        &self,
        out: &mut ItemAlignment,
        correction: &Correction,
        tasks: &[TaskCard],
        target: &mut Option<usize>,
    ) {
        out.source = Source::Label;
        out.confidence = 1.0;
        let task_index = |id: &str| self.tasks.iter().position(|t| &*t.id == id);
        match correction {
            Correction::Confirm => {}
            Correction::WithinTask(_) if correction.agrees(out) => {}
            Correction::Requirement(id) => {
                if let Some(&r) = self.req_by_id.get(id) {
                    let task = &self.tasks[self.reqs[r].task];
                    out.status = Status::Matched;
                    out.requirement = Some(self.reqs[r].id.clone());
                    out.task = Some(task.id.clone());
                    out.area = Some(task.area.clone());
                    out.score = 1.0;
                    out.covers = vec![Candidate {
                        id: self.reqs[r].id.clone(),
                        score: 1.0,
                    }];
                    *target = Some(r);
                }
            }
            Correction::Task(id) | Correction::WithinTask(id) => {
                if let Some(t) = task_index(id) {
                    out.status = Status::Task;
                    out.requirement = None;
                    out.task = Some(self.tasks[t].id.clone());
                    out.area = Some(self.tasks[t].area.clone());
                    out.score = tasks.get(t).map_or(0.0, |c| c.vocab);
                    out.covers = Vec::new();
                }
            }
            Correction::Extension => {
                out.status = Status::Extension;
                out.requirement = None;
                out.task = None;
                out.area = None;
                out.score = out.nearest.as_ref().map_or(0.0, |n| n.score);
                out.covers = Vec::new();
            }
        }
    }

    /// The correction a researcher's answer names: `ok`, `extension` (in
    /// any case), a requirement id (`1.1.2`) or a task id (`1.1`) of this
    /// aligner's taxonomy; None for anything else.
    pub fn correction(&self, answer: &str) -> Option<Correction> {
        let answer = answer.trim();
        match answer.to_ascii_lowercase().as_str() {
            "ok" => Some(Correction::Confirm),
            "extension" => Some(Correction::Extension),
            _ => {
                if let Some(&r) = self.req_by_id.get(answer) {
                    Some(Correction::Requirement(self.reqs[r].id.clone()))
                } else {
                    self.tasks
                        .iter()
                        .find(|t| &*t.id == answer)
                        .map(|t| Correction::Task(t.id.clone()))
                }
            }
        }
    }

    /// The national task a correction places an item in, judged against
    /// the model's decision `model` (for a confirmation, the model's
    /// task): Some(task id), or None for a local extension. The answer a
    /// refit learns from ([`crate::Sample::answer`]).
    pub fn corrected_task(&self, correction: &Correction, model: &ItemAlignment) -> Option<Id> {
        match correction {
            Correction::Confirm => model.task.clone(),
            Correction::Requirement(r) => self
                .req_by_id
                .get(r)
                .map(|&i| self.tasks[self.reqs[i].task].id.clone()),
            Correction::Task(t) | Correction::WithinTask(t) => Some(t.clone()),
            Correction::Extension => None,
        }
    }

    /// Aligns one normalized statement on its own (no document reading).
    /// `raw` is the text the statement's offsets point into (for evidence
    /// excerpts); `heading` is [`Aligner::heading_evidence`] of the item's
    /// heading path; `context` is [`Aligner::context_vocabulary`] of its
    /// paragraph or table row (None: the item alone).
    pub fn align_normalized(
        &self,
        item: ItemId,
        norm: &NormText,
        context: Option<&[f64]>,
        heading: &HeadingEvidence,
        raw: &str,
        scratch: &mut Scratch,
    ) -> ItemAlignment {
        let has_heading = heading.task.is_some() || heading.area.is_some();
        let card = self.score_card(norm, context, heading, has_heading, scratch);
        let positions = std::mem::take(&mut scratch.positions);
        let out = self.decide(
            item,
            card,
            norm,
            &positions,
            raw,
            None,
            &mut scratch.evidence,
        );
        scratch.positions = positions;
        out
    }

    /// Aligns a free-standing statement (no heading, national words only).
    pub fn align_text(&self, text: &str) -> ItemAlignment {
        self.align_text_with(text, &mut self.scratch())
    }

    /// [`Aligner::align_text`] with reusable buffers.
    pub fn align_text_with(&self, text: &str, scratch: &mut Scratch) -> ItemAlignment {
        let norm = self.national.normalize(text);
        self.align_normalized(
            ItemId(0),
            &norm,
            None,
            &HeadingEvidence::default(),
            text,
            scratch,
        )
    }

    /// Stages 1–3 for a whole document: the score card of every
    /// requirement item (in item order), read in the light of the whole
    /// document. What the decision sees; for fitting and inspecting it.
    pub fn score_cards(&self, doc: &RegionDocument) -> DocumentCards {
        let prepared = self.prepare(doc);
        let (mut cards, _) = self.cards_of(&prepared, false);
        let reading = self.read(&mut cards, &prepared);
        DocumentCards {
            items: prepared.items.iter().map(|i| i.id).collect(),
            texts: prepared.norms.iter().map(|n| n.as_string()).collect(),
            cards,
            reading,
        }
    }

    fn read(&self, cards: &mut [ScoreCard], prepared: &Prepared<'_>) -> DocumentReading {
        read_document(
            cards,
            &prepared.sections,
            self.config.match_threshold,
            self.config.min_agreement_items,
            self.config.focus_share,
        )
    }

    /// Requirement items, their normalized texts, line contexts and
    /// heading evidence: once per document.
    fn prepare<'d>(&self, doc: &'d RegionDocument) -> Prepared<'d> {
        let normalizer = Normalizer::standard(&doc.meta.place_names());
        let items: Vec<&Item> = doc
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Requirement)
            .collect();
        // Context: the statements of all requirement items on the same line
        // (a prose paragraph or a table row), as task vocabulary shares;
        // heading evidence per distinct heading path. Both once per
        // document, not per item.
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(doc.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line_of = |at: usize| line_starts.partition_point(|&s| s <= at).saturating_sub(1);
        // Each statement is normalized once, in parallel; its paragraph's
        // context is built from those normalized texts.
        let norms: Vec<NormText> = items
            .par_iter()
            .map(|item| {
                let mut norm = NormText::default();
                for r in &item.body {
                    norm.push_str_at(&doc.text[r.clone()], r.start);
                }
                normalizer.run(&mut norm);
                norm
            })
            .collect();
        let mut lines: rustc_hash::FxHashMap<usize, (Vec<char>, usize)> =
            rustc_hash::FxHashMap::default();
        let mut paths: rustc_hash::FxHashMap<&[String], usize> = rustc_hash::FxHashMap::default();
        let mut headings: Vec<HeadingEvidence> = Vec::new();
        let mut sections = Vec::with_capacity(items.len());
        let mut item_lines = Vec::with_capacity(items.len());
        for (item, norm) in items.iter().zip(&norms) {
            let line = line_of(item.span.start);
            item_lines.push(line);
            let c = lines.entry(line).or_default();
            c.1 += 1;
            c.0.extend_from_slice(&norm.chars);
            let key = *paths
                .entry(item.heading_path.as_slice())
                .or_insert_with(|| {
                    headings.push(self.heading_evidence(&item.heading_path));
                    headings.len() - 1
                });
            sections.push(key);
        }
        let contexts: rustc_hash::FxHashMap<usize, Vec<f64>> = lines
            .into_iter()
            .filter(|(_, (_, n))| *n > 1)
            .map(|(line, (chars, _))| (line, self.context_vocabulary(&chars)))
            .collect();
        Prepared {
            items,
            norms,
            contexts,
            item_lines,
            headings,
            sections,
        }
    }

    /// Stage 2 for every item of a prepared document, in parallel; with
    /// each item's sorted bigram positions when `keep_positions` (for the
    /// evidence: kept, not computed twice).
    fn cards_of(
        &self,
        p: &Prepared<'_>,
        keep_positions: bool,
    ) -> (Vec<ScoreCard>, Vec<Vec<(Gram, u32)>>) {
        (0..p.items.len())
            .into_par_iter()
            .map_init(
                || self.scratch(),
                |scratch, i| {
                    let item = p.items[i];
                    let context = p.contexts.get(&p.item_lines[i]).map(Vec::as_slice);
                    let heading = &p.headings[p.sections[i]];
                    let card = self.score_card(
                        &p.norms[i],
                        context,
                        heading,
                        !item.heading_path.is_empty(),
                        scratch,
                    );
                    let positions = if keep_positions {
                        scratch.positions.clone()
                    } else {
                        Vec::new()
                    };
                    (card, positions)
                },
            )
            .unzip()
    }

    /// Aligns every requirement item of a document (in parallel over
    /// items; the output does not depend on the thread count) and derives
    /// the coverage of every national requirement: candidates and score
    /// cards per item, the document reading, the decision, the evidence,
    /// the coverage.
    pub fn align_document(&self, doc: &RegionDocument) -> DocumentAlignment {
        self.align_document_corrected(doc, &std::collections::HashMap::new())
    }

    /// [`Aligner::align_document`] with a researcher's corrections: each
    /// item named in `corrections` takes the researcher's decision
    /// ([`Source::Label`], confidence 1) and the coverage follows; every
    /// other item is decided exactly as without corrections (the
    /// document reading is the model's). Items that are no requirement
    /// item of `doc` are ignored.
    pub fn align_document_corrected(
        &self,
        doc: &RegionDocument,
        corrections: &std::collections::HashMap<ItemId, Correction>,
    ) -> DocumentAlignment {
        let prepared = self.prepare(doc);
        let (mut cards, mut positions) = self.cards_of(&prepared, self.config.evidence);
        // Without evidence no positions were kept: an empty list each.
        positions.resize_with(cards.len(), Vec::new);
        let reading = self.read(&mut cards, &prepared);
        let items: Vec<ItemAlignment> = cards
            .into_par_iter()
            .zip(positions)
            .enumerate()
            .map_init(
                EvidenceBuffers::default,
                |buffers, (i, (card, positions))| {
                    self.decide(
                        prepared.items[i].id,
                        card,
                        &prepared.norms[i],
                        &positions,
                        &doc.text,
                        corrections.get(&prepared.items[i].id),
                        buffers,
                    )
                },
            )
            .collect();
        let coverage = crate::coverage::coverage(
            &self.reqs,
            &self.tasks,
            &items,
            (self.config.covered_threshold, self.config.partial_threshold),
        );
        DocumentAlignment {
            label: doc.meta.label.clone(),
            file: doc.meta.file.clone(),
            items,
            coverage,
            focus: reading.focus.map(|f| Id::from(f.as_str())),
            heading_agreement: reading.heading_agreement,
        }
    }

    /// Aligns many documents in parallel, in input order.
    pub fn align_all(&self, docs: &[RegionDocument]) -> Vec<DocumentAlignment> {
        docs.par_iter().map(|d| self.align_document(d)).collect()
    }
}

/// A document's score cards: what the decision sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentCards {
    /// The requirement items, in order.
    pub items: Vec<ItemId>,
    /// Their normalized texts.
    pub texts: Vec<String>,
    /// Their cards, read in the light of the whole document.
    pub cards: Vec<ScoreCard>,
    /// The document reading.
    pub reading: DocumentReading,
}

/// A document's requirement items with what is computed once for all.
struct Prepared<'d> {
    items: Vec<&'d Item>,
    norms: Vec<NormText>,
    contexts: rustc_hash::FxHashMap<usize, Vec<f64>>,
    item_lines: Vec<usize>,
    headings: Vec<HeadingEvidence>,
    sections: Vec<usize>,
}
