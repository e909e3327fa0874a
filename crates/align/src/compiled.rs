//! The compiled taxonomy: the national tasks and requirements in the
//! form the stages read them (normalized texts, bigram positions, task
//! profiles), addressed by newtype indices ([`TaskIx`], [`ReqIx`]) in
//! taxonomy order, so an index into tasks cannot be taken for one into
//! requirements.

use luoshi_core::taxonomy::{NodeKind, Taxonomy};
use smol_str::SmolStr;

use crate::error::{Error, Result};
use crate::grams::{Gram, bigram_positions, grams};
use crate::normalize::{NormText, Normalizer};
use crate::types::Id;

/// A national task's place in taxonomy order: the index of its entry in
/// a score card's `task` list and in the aligner's task tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskIx(pub u32);

/// A national requirement's place in taxonomy order: the index of its
/// postings in the requirement index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReqIx(pub u32);

impl TaskIx {
    /// The index as a `usize`, for slices.
    pub fn get(self) -> usize {
        self.0 as usize
    }

    /// The index of position `i` (taxonomies hold far fewer than 2³²
    /// tasks).
    pub fn new(i: usize) -> TaskIx {
        TaskIx(i as u32)
    }
}

impl ReqIx {
    /// The index as a `usize`, for slices.
    pub fn get(self) -> usize {
        self.0 as usize
    }

    /// The index of position `i`.
    pub fn new(i: usize) -> ReqIx {
        ReqIx(i as u32)
    }
}

/// A national requirement, compiled.
#[derive(Debug)]
pub(crate) struct Req {
    pub(crate) id: Id,
    /// `id` as the small string of a score card.
    pub(crate) name: SmolStr,
    pub(crate) task: TaskIx,
    pub(crate) norm: NormText,
    /// Each bigram of `norm` with its position, sorted: where an item's
    /// bigram recurs, for the evidence alignment's diagonal.
    pub(crate) positions: Vec<(Gram, u32)>,
    pub(crate) text: String,
}

/// A national task, compiled.
#[derive(Debug)]
pub(crate) struct Task {
    pub(crate) id: Id,
    pub(crate) area: Id,
    /// `id` and `area` as the small strings of a score card.
    pub(crate) name: SmolStr,
    pub(crate) area_name: SmolStr,
    pub(crate) area_title_grams: Vec<Gram>,
    pub(crate) title_grams: Vec<Gram>,
}

/// The tasks and requirements of a taxonomy, in taxonomy order, with the
/// vocabulary profile of each task (title, text, keywords, requirement
/// texts and keywords, normalized, `|` between them).
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) reqs: Vec<Req>,
    pub(crate) tasks: Vec<Task>,
    pub(crate) req_by_id: rustc_hash::FxHashMap<Id, ReqIx>,
    pub(crate) profiles: Vec<Vec<char>>,
    /// The taxonomy's id.
    pub(crate) id: String,
}

impl Compiled {
    /// Compiles `taxonomy` with the national-words normalizer.
    ///
    /// # Errors
    /// [`Error::EmptyTaxonomy`] when the taxonomy has no requirement.
    pub(crate) fn new(taxonomy: &Taxonomy, national: &Normalizer) -> Result<Compiled> {
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
                    task: TaskIx::new(tasks.len()),
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
        let req_by_id = reqs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), ReqIx::new(i)))
            .collect();
        Ok(Compiled {
            reqs,
            tasks,
            req_by_id,
            profiles,
            id: taxonomy.meta().id.clone(),
        })
    }

    /// The requirement at `r`.
    pub(crate) fn req(&self, r: ReqIx) -> &Req {
        &self.reqs[r.get()]
    }

    /// The task at `t`.
    pub(crate) fn task(&self, t: TaskIx) -> &Task {
        &self.tasks[t.get()]
    }

    /// The index of requirement `id`.
    pub(crate) fn req_ix(&self, id: &str) -> Option<ReqIx> {
        self.req_by_id.get(id).copied()
    }

    /// The areas in taxonomy order: each id with its title's bigrams
    /// (from the first task of each run of tasks of one area).
    pub(crate) fn areas(&self) -> impl Iterator<Item = (&Id, &[Gram])> {
        self.tasks
            .iter()
            .enumerate()
            .filter(|&(i, t)| i == 0 || self.tasks[i - 1].area != t.area)
            .map(|(_, t)| (&t.area, t.area_title_grams.as_slice()))
    }

    /// The index of task `id`.
    pub(crate) fn task_ix(&self, id: &str) -> Option<TaskIx> {
        self.tasks
            .iter()
            .position(|t| &*t.id == id)
            .map(TaskIx::new)
    }
}
