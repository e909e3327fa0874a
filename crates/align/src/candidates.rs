//! Stage 1, candidates: the three inverted bigram indexes (the
//! requirement texts, the task vocabularies, the learned vocabulary) read
//! through one table, so an item costs one hash lookup per bigram. The
//! accumulated posting weights give every requirement's shared weight
//! exactly, so indexed scoring equals exhaustive scoring (tested against
//! [`crate::Aligner::brute_force_scores`]).

use std::sync::Arc;

use crate::compiled::Compiled;
use crate::evidence::EvidenceBuffers;
use crate::grams::{Gram, NgramIndex};
use crate::normalize::Normalizer;
use crate::vocabulary::LearnedVocabulary;

/// No requirement of a task shares a word with the item.
pub(crate) const NO_REQUIREMENT: u32 = u32::MAX;

/// Reusable per-thread buffers (no allocation per pair).
#[derive(Debug, Default)]
pub struct Scratch {
    pub(crate) req_acc: Vec<f32>,
    /// The requirements the item touches, in first-touch order:
    /// `touched[..listed]` (the vector holds one slot per requirement and
    /// one more, written without a branch).
    pub(crate) touched: Vec<u32>,
    pub(crate) listed: usize,
    /// Per task: the item's weight in its vocabulary, and its specific
    /// weight (side by side: one posting touches one cache line).
    pub(crate) task_acc: Vec<[f32; 2]>,
    /// The same per learned profile (tasks, then the extensions).
    pub(crate) learned_acc: Vec<[f32; 2]>,
    pub(crate) best_in_task: Vec<(f64, f64, u32)>,
    pub(crate) evidence: EvidenceBuffers,
    pub(crate) positions: Vec<(Gram, u32)>,
    pub(crate) grams: Vec<Gram>,
    /// Each gram's slots in the three indexes ([`Candidates::accumulate_all`]).
    slots: Vec<[Slot; 3]>,
}

/// An item's total weight under each index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Totals {
    /// Under the requirement index.
    pub(crate) req: f32,
    /// Under the task index.
    pub(crate) task: f32,
    /// Of the words no task has (part of `task`).
    pub(crate) unseen: f32,
    /// Under the learned vocabulary (0 without one).
    pub(crate) learned: f32,
}

/// The candidate stage's indexes and the one table that reads them.
#[derive(Debug)]
pub(crate) struct Candidates {
    /// Number of requirements and of tasks (the accumulators' sizes).
    reqs: usize,
    tasks: usize,
    pub(crate) req_index: Arc<NgramIndex>,
    pub(crate) task_index: NgramIndex,
    /// The learned vocabulary's profiles: one per task, then the
    /// extensions' (None when there are no examples).
    pub(crate) learned: Option<NgramIndex>,
    /// Each gram's row of `gram_slots` (grams of any of the three
    /// indexes): one hash lookup per gram of an item instead of three.
    gram_ids: rustc_hash::FxHashMap<Gram, u32>,
    /// Per gram, what the requirement, task and learned indexes hold of
    /// it, side by side: the few bytes an item's sums need sit in one or
    /// two cache lines instead of six arrays.
    gram_slots: Vec<[Slot; 3]>,
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

impl Candidates {
    /// The indexes of a compiled taxonomy and a learned vocabulary. Words
    /// of an item that no task has dilute its fit to every task alike;
    /// they weigh `unseen_weight` times an average task word.
    pub(crate) fn new(
        compiled: &Compiled,
        vocabulary: &LearnedVocabulary,
        national: &Normalizer,
        unseen_weight: f64,
    ) -> Candidates {
        let req_index = Arc::new(NgramIndex::build(
            compiled.reqs.iter().map(|r| r.norm.chars.as_slice()),
        ));
        let task_index = NgramIndex::build(compiled.profiles.iter().map(Vec::as_slice));
        let mean = task_index.mean_weight();
        let task_index = task_index.with_unseen_weight(mean * unseen_weight as f32);
        let task_ids: Vec<&str> = compiled.tasks.iter().map(|t| &*t.id).collect();
        let learned = (!vocabulary.is_empty())
            .then(|| NgramIndex::from_sets(vocabulary.profiles(&task_ids, national)));
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
        Candidates {
            reqs: compiled.reqs.len(),
            tasks: compiled.tasks.len(),
            req_index,
            task_index,
            learned,
            gram_ids,
            gram_slots,
        }
    }

    /// Fresh buffers sized for these indexes.
    pub(crate) fn scratch(&self) -> Scratch {
        Scratch {
            req_acc: vec![0.0; self.reqs],
            touched: vec![0; self.reqs + 1],
            listed: 0,
            task_acc: vec![[0.0; 2]; self.tasks],
            learned_acc: vec![[0.0; 2]; self.tasks + 1],
            best_in_task: vec![(0.0, 0.0, NO_REQUIREMENT); self.tasks],
            evidence: EvidenceBuffers::default(),
            positions: Vec::new(),
            grams: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// The candidate stage's sums for an item's grams, one hash lookup per
    /// gram: requirement containment weights (into `req_acc`, touched
    /// requirements listed), task vocabulary and specific weights, learned
    /// vocabulary weights. Returns the item's total weight under each
    /// index (requirements, tasks, unseen by tasks, learned). The task and
    /// learned accumulators are zeroed first; the requirement accumulator
    /// must be reset after use ([`Candidates::reset`]).
    pub(crate) fn accumulate_all(&self, g: &[Gram], scratch: &mut Scratch) -> Totals {
        if scratch.req_acc.len() != self.reqs
            || scratch.touched.len() != self.reqs + 1
            || scratch.task_acc.len() != self.tasks
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
        Totals {
            req: total,
            task: tt,
            unseen,
            learned: lt,
        }
    }

    pub(crate) fn reset(&self, scratch: &mut Scratch) {
        for &r in &scratch.touched[..scratch.listed] {
            scratch.req_acc[r as usize] = 0.0;
        }
        scratch.listed = 0;
    }
}
