//! The aligner: every requirement item of a regional document onto the
//! national requirement it implements, the national task whose scope it
//! falls in, or neither (a local extension); and per document, which
//! national requirements are covered, partly covered or omitted.
//!
//! Candidate generation is an inverted bigram index over the requirement
//! texts ([`NgramIndex`]): an item touches only the requirements that
//! share a gram with it, and the accumulated shared weights give the
//! containment score exactly, so indexed search equals exhaustive search
//! (tested). Cost per item: its grams' posting lengths, not the number of
//! requirements.

use std::ops::Range;
use std::sync::Arc;

/// A shared id string: cloning it for every item costs a reference count,
/// not an allocation.
pub type Id = Arc<str>;

use luoshi_core::ingest::{Item, ItemId, ItemKind, RegionDocument};
use luoshi_core::taxonomy::{NodeKind, Taxonomy};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::AlignConfig;
use crate::error::{Error, Result};
use crate::grams::{Gram, NgramIndex, grams, grams_and_positions};
use crate::normalize::{NormText, Normalizer};
use crate::scorer::combine;
use crate::scorer::{SmithWaterman, SwBuffers};

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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Score of the decision (requirement score when matched, task score
    /// when task, nearest requirement's score when extension).
    pub score: f64,
    /// The best alternative of the same level.
    pub runner_up: Option<Candidate>,
    /// Score minus runner-up score.
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
    /// [`AlignConfig::focus_share`] of its decided items fall in it.
    pub focus: Option<Id>,
    /// How often the document's headings name the task of the requirement
    /// an item matches on its own words: the share of such items (under a
    /// heading that names a task) whose heading names that task; None
    /// when fewer than ten items could be checked.
    pub heading_agreement: Option<f64>,
    /// Whether the headings were trusted to choose among tasks
    /// ([`AlignConfig::heading_trust`]).
    pub headings_trusted: bool,
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
struct Req {
    id: Id,
    task: usize,
    norm: NormText,
    /// Each bigram of `norm` with its position, sorted: where an item's
    /// bigram recurs, for the evidence alignment's diagonal.
    positions: Vec<(Gram, u32)>,
    text: String,
}

#[derive(Debug)]
struct Task {
    id: Id,
    area: Id,
    area_title_grams: Vec<Gram>,
    title_grams: Vec<Gram>,
    reqs: Vec<usize>,
}

/// What an item's own headings say: the national task (or only the area)
/// they name. Computed once per distinct heading path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadingEvidence {
    task: Option<usize>,
    area: Option<Id>,
    /// The area the whole document is about, when it is about one
    /// (see [`AlignConfig::focus_share`]).
    focus: Option<Id>,
    /// The document's headings are reliable
    /// (see [`AlignConfig::heading_trust`]).
    trusted: bool,
}

/// Reusable per-thread buffers (no allocation per pair).
#[derive(Debug, Default)]
pub struct Scratch {
    req_acc: Vec<f32>,
    touched: Vec<u32>,
    task_acc: Vec<f32>,
    best_in_task: Vec<f64>,
    sw: SwBuffers,
    diagonals: Vec<u32>,
    positions: Vec<(Gram, u32)>,
    grams: Vec<Gram>,
}

/// Maps regional items onto a taxonomy.
#[derive(Debug)]
pub struct Aligner {
    config: AlignConfig,
    reqs: Vec<Req>,
    tasks: Vec<Task>,
    req_index: Arc<NgramIndex>,
    /// Requirement index by id.
    req_by_id: rustc_hash::FxHashMap<Id, usize>,
    task_index: NgramIndex,
    national: Normalizer,
    taxonomy_id: String,
}

/// How far, in diagonals, from the dominant one a shared bigram may sit
/// and still belong to the evidence alignment (an inserted or dropped
/// passage of up to this many characters).
const EVIDENCE_BAND: usize = 8;

/// Tasks that must tie for an item's scope to count as unclear.
const MIN_TIED_TASKS: usize = 3;

/// Items matched on their own words under task-naming headings needed to
/// judge whether a document's headings can be trusted.
const MIN_AGREEMENT_ITEMS: usize = 10;

/// Extra diagonals (and rows) around those the shared bigrams use.
const EVIDENCE_SLACK: isize = 1;

/// Each bigram of `b` with its position, sorted.
fn bigram_positions(b: &[char]) -> Vec<(Gram, u32)> {
    let mut positions = Vec::new();
    grams_and_positions(b, &mut positions, &mut Vec::new());
    positions
}

/// Calls `f(i, j)` for every pair of positions at which texts a and b
/// (as [`bigram_positions`]) hold the same bigram: one merge of the two
/// sorted lists.
fn for_each_shared(a: &[(Gram, u32)], b: &[(Gram, u32)], mut f: impl FnMut(u32, u32)) {
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        let (ka, kb) = (a[x].0, b[y].0);
        if ka < kb {
            x += 1;
        } else if ka > kb {
            y += 1;
        } else {
            let x_end = x + a[x..].iter().take_while(|p| p.0 == ka).count();
            let y_end = y + b[y..].iter().take_while(|p| p.0 == ka).count();
            for &(_, i) in &a[x..x_end] {
                for &(_, j) in &b[y..y_end] {
                    f(i, j);
                }
            }
            (x, y) = (x_end, y_end);
        }
    }
}

/// Where two texts align: the diagonal offset `j − i` on which most
/// shared bigrams of texts a (at i) and b (at j, a text of `b_len`
/// characters) sit (the smallest on a tie); the range of the offsets of
/// the well-populated diagonals within `width` of it; and the rows of a
/// from the first to past the last bigram on those diagonals. None when
/// the texts share no bigram. `counts` is a reusable buffer.
fn dominant_diagonal(
    a_positions: &[(Gram, u32)],
    b_positions: &[(Gram, u32)],
    b_len: usize,
    width: usize,
    counts: &mut Vec<u32>,
) -> Option<((isize, isize), Range<usize>)> {
    // Offsets run from −(a_len − 1) to b_len − 1: index offset + a_len.
    let a_len = a_positions.len() + 1;
    counts.clear();
    counts.resize(a_len + b_len, 0);
    for_each_shared(a_positions, b_positions, |i, j| {
        counts[j as usize + a_len - i as usize] += 1;
    });
    let (mut best, mut at) = (0, 0);
    for (k, &c) in counts.iter().enumerate() {
        if c > best {
            (best, at) = (c, k);
        }
    }
    if best == 0 {
        return None;
    }
    let offset = at as isize - a_len as isize;
    // Diagonals near the dominant one that carry a run of shared bigrams
    // (at least a quarter as many as the dominant, and two): stray common
    // bigrams (公开, 信息) on other diagonals widen neither band nor rows.
    let strong = |d: isize| {
        (d - offset).unsigned_abs() <= width && {
            let c = counts[(d + a_len as isize) as usize];
            c == best || c >= best.div_ceil(4).max(2)
        }
    };
    let (mut lo, mut hi) = (usize::MAX, 0);
    let (mut low, mut high) = (offset, offset);
    for_each_shared(a_positions, b_positions, |i, j| {
        let d = j as isize - i as isize;
        if strong(d) {
            lo = lo.min(i as usize);
            hi = hi.max(i as usize + 2);
            low = low.min(d);
            high = high.max(d);
        }
    });
    Some(((low, high), lo..hi))
}

fn dice(a: &[Gram], b: &[Gram]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * luoshi_core::text::shared_sorted(a, b) as f64 / (a.len() + b.len()) as f64
}

impl Aligner {
    /// An aligner for `taxonomy` with the default settings.
    ///
    /// # Errors
    /// [`Error::EmptyTaxonomy`] when the taxonomy has no requirement.
    pub fn new(taxonomy: &Taxonomy) -> Result<Aligner> {
        Self::with_config(taxonomy, AlignConfig::default())
    }

    /// An aligner with the given settings.
    ///
    /// # Errors
    /// [`Error::EmptyTaxonomy`], or [`Error::Setting`] for a value out of
    /// range.
    pub fn with_config(taxonomy: &Taxonomy, config: AlignConfig) -> Result<Aligner> {
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
            let mut mine = Vec::new();
            for r in taxonomy.requirements_under(t) {
                let rn = taxonomy.node(r);
                add(&rn.text);
                for k in &rn.keywords {
                    add(k);
                }
                mine.push(reqs.len());
                let norm = national.normalize(&rn.text);
                reqs.push(Req {
                    id: rn.id.as_str().into(),
                    task: tasks.len(),
                    positions: bigram_positions(&norm.chars),
                    norm,
                    text: rn.text.clone(),
                });
            }
            profiles.push(profile);
            tasks.push(Task {
                id: node.id.as_str().into(),
                area: area.into(),
                area_title_grams,
                title_grams: grams(&title.chars),
                reqs: mine,
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
        let req_by_id = reqs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Ok(Aligner {
            config,
            req_by_id,
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
            touched: Vec::with_capacity(self.reqs.len()),
            task_acc: vec![0.0; self.tasks.len()],
            best_in_task: vec![0.0; self.tasks.len()],
            sw: SwBuffers::default(),
            diagonals: Vec::new(),
            positions: Vec::new(),
            grams: Vec::new(),
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
            let area_here = self
                .tasks
                .iter()
                .map(|t| (dice(&g, &t.area_title_grams), &t.area))
                .filter(|(s, _)| *s >= self.config.heading_similarity)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((i, s)) = best
                && s >= self.config.heading_similarity
                && area_here.is_none_or(|(a, _)| a < s)
            {
                return HeadingEvidence {
                    task: Some(i),
                    area: Some(self.tasks[i].area.clone()),
                    focus: None,
                    trusted: false,
                };
            }
            if area.is_none() {
                area = area_here.map(|(_, a)| a.clone());
            }
        }
        HeadingEvidence {
            task: None,
            area,
            focus: None,
            trusted: false,
        }
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

    /// Indexed requirement scores of a normalized statement, without
    /// heading bonus: `(requirement index, score)` for every requirement
    /// sharing a gram, in index order.
    pub fn requirement_scores(&self, norm: &[char], scratch: &mut Scratch) -> Vec<(usize, f64)> {
        let g = grams(norm);
        let total = self.accumulate(&g, scratch);
        let mut out: Vec<(usize, f64)> = scratch
            .touched
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

    /// Per task: its id, the item's containment in the task vocabulary,
    /// and the item's best requirement score within the task (no heading
    /// bonus). Explains `task` decisions.
    pub fn task_scores(&self, norm: &[char]) -> Vec<(String, f64, f64)> {
        let g = grams(norm);
        let mut acc = vec![0.0f32; self.tasks.len()];
        let tt = self.task_index.accumulate(&g, &mut acc);
        let mut scratch = self.scratch();
        let mut best = vec![0.0f64; self.tasks.len()];
        for (r, s) in self.requirement_scores(norm, &mut scratch) {
            let t = self.reqs[r].task;
            best[t] = best[t].max(s);
        }
        self.tasks
            .iter()
            .enumerate()
            .map(|(t, task)| {
                (
                    task.id.to_string(),
                    if tt > 0.0 { (acc[t] / tt) as f64 } else { 0.0 },
                    best[t],
                )
            })
            .collect()
    }

    /// Exhaustive requirement scores (every requirement scored pairwise,
    /// no index): what the indexed path must equal.
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

    fn accumulate(&self, g: &[Gram], scratch: &mut Scratch) -> f32 {
        if scratch.req_acc.len() != self.reqs.len() {
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
                if *a == 0.0 {
                    scratch.touched.push(d);
                }
                *a += w;
            }
        }
        total
    }

    fn reset(&self, scratch: &mut Scratch) {
        for &r in &scratch.touched {
            scratch.req_acc[r as usize] = 0.0;
        }
        scratch.touched.clear();
    }

    /// Aligns one normalized statement. `raw` is the text the statement's
    /// offsets point into (for evidence excerpts).
    ///
    /// `heading` is [`Aligner::heading_evidence`] of the item's heading
    /// path; `context` is [`Aligner::context_vocabulary`] of its paragraph
    /// or table row (None: the item alone).
    pub fn align_normalized(
        &self,
        item: ItemId,
        norm: &NormText,
        context: Option<&[f64]>,
        heading_evidence: &HeadingEvidence,
        raw: &str,
        scratch: &mut Scratch,
    ) -> ItemAlignment {
        let cfg = &self.config;
        let heading = heading_evidence.task;
        let heading_area = heading_evidence.area.as_deref();
        let (mut positions, mut g) = (
            std::mem::take(&mut scratch.positions),
            std::mem::take(&mut scratch.grams),
        );
        grams_and_positions(&norm.chars, &mut positions, &mut g);
        let total = self.accumulate(&g, scratch);
        let bonus_for = |task: usize| {
            if Some(task) == heading {
                cfg.heading_bonus
            } else if heading_area == Some(&*self.tasks[task].area)
                && !(heading_evidence.trusted && heading.is_some())
            {
                // A trusted heading names its task, not the whole area.
                cfg.heading_bonus / 2.0
            } else {
                0.0
            }
        };
        // Requirement scores over the touched candidates.
        let mut best: Option<(usize, f64)> = None;
        let mut second: Option<(usize, f64)> = None;
        let mut nearest: Option<(usize, f64)> = None;
        let mut covers: Vec<(usize, f64)> = Vec::new();
        scratch.best_in_task.iter_mut().for_each(|b| *b = 0.0);
        // Candidates in any order: ties go to the lower index explicitly,
        // so the result is that of a scan in index order.
        let untouched_in_heading = heading.into_iter().flat_map(|t| {
            self.tasks[t]
                .reqs
                .iter()
                .copied()
                .filter(|&r| scratch.req_acc[r] == 0.0)
        });
        let candidates = scratch
            .touched
            .iter()
            .map(|&r| r as usize)
            .chain(untouched_in_heading);
        let beats = |s: f64, r: usize, other: Option<(usize, f64)>| {
            other.is_none_or(|(r2, s2)| s > s2 || (s == s2 && r < r2))
        };
        // The heading bonus ranks candidates but never lets one pass a
        // threshold it does not reach on its own text: the region's
        // heading is evidence, not a verdict.
        for r in candidates {
            let raw_score = combine(
                cfg.item_weight,
                scratch.req_acc[r],
                total,
                self.req_index.text_weight(r),
            );
            let task = self.reqs[r].task;
            if raw_score > scratch.best_in_task[task] {
                scratch.best_in_task[task] = raw_score;
            }
            if raw_score >= cfg.partial_threshold {
                covers.push((r, raw_score));
            }
            if beats(raw_score, r, nearest) {
                nearest = Some((r, raw_score));
            }
            if raw_score < cfg.match_threshold {
                continue;
            }
            let s = (raw_score + bonus_for(task)).min(1.0);
            if beats(s, r, best) {
                second = best;
                best = Some((r, s));
            } else if beats(s, r, second) {
                second = Some((r, s));
            }
        }
        self.reset(scratch);
        covers.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let cand = |r: usize, s: f64| Candidate {
            id: self.reqs[r].id.clone(),
            score: s,
        };
        let mut out = ItemAlignment {
            item,
            status: Status::Extension,
            requirement: None,
            task: None,
            area: None,
            score: nearest.map_or(0.0, |n| n.1),
            runner_up: None,
            margin: 0.0,
            nearest: nearest.map(|(r, s)| cand(r, s)),
            heading_task: heading.map(|t| self.tasks[t].id.clone()),
            covers: covers.iter().map(|&(r, s)| cand(r, s)).collect(),
            evidence: None,
        };
        if let Some((r, s)) = best {
            let t = &self.tasks[self.reqs[r].task];
            out.status = Status::Matched;
            out.requirement = Some(self.reqs[r].id.clone());
            out.task = Some(t.id.clone());
            out.area = Some(t.area.clone());
            out.score = s;
            out.runner_up = second.map(|(r2, s2)| cand(r2, s2));
            out.margin = s - second.map_or(0.0, |x| x.1);
        } else {
            // Task scope: the item's containment in each task's vocabulary,
            // blended with its best requirement score within the task.
            let acc = &mut scratch.task_acc;
            acc.iter_mut().for_each(|a| *a = 0.0);
            let tt = self.task_index.accumulate(&g, acc);
            let (context_vocab, kappa) = match context {
                Some(c) if cfg.context_weight > 0.0 => (c, cfg.context_weight),
                _ => (&[][..], 0.0),
            };
            let gamma = cfg.task_vocabulary_weight;
            let mut tbest: Option<(usize, f64)> = None;
            let mut tsecond: Option<(usize, f64)> = None;
            // Whether any task takes the item on its own words: only then
            // may a trusted heading's task take it at a lower score.
            let mut in_scope = false;
            for (t, &shared) in acc.iter().enumerate() {
                let own = if tt > 0.0 { (shared / tt) as f64 } else { 0.0 };
                let vocab =
                    (1.0 - kappa) * own + kappa * context_vocab.get(t).copied().unwrap_or(own);
                let raw = (gamma * vocab + (1.0 - gamma) * scratch.best_in_task[t]).clamp(0.0, 1.0);
                let threshold = if heading_evidence.focus.as_deref() == Some(&*self.tasks[t].area) {
                    cfg.focus_task_threshold.min(cfg.task_threshold)
                } else {
                    cfg.task_threshold
                };
                in_scope |= raw >= threshold;
                let threshold = if heading_evidence.trusted && heading == Some(t) {
                    cfg.trusted_heading_threshold.min(threshold)
                } else {
                    threshold
                };
                if raw < threshold {
                    continue;
                }
                let s = (raw + bonus_for(t)).min(1.0);
                if tbest.is_none_or(|b| s > b.1) {
                    tsecond = tbest;
                    tbest = Some((t, s));
                } else if tsecond.is_none_or(|b| s > b.1) {
                    tsecond = Some((t, s));
                }
            }
            // No clear scope: when the item's own words fit three or more
            // tasks of different areas equally (within `scope_tie` of the
            // best share), they name none of them; the item is local.
            if !in_scope
                || cfg.scope_tie > 0.0
                    && tbest.is_some()
                    && self.scope_is_tied(acc, tt, cfg.scope_tie)
            {
                tbest = None;
            }
            if let Some((t, s)) = tbest {
                out.status = Status::Task;
                out.task = Some(self.tasks[t].id.clone());
                out.area = Some(self.tasks[t].area.clone());
                out.score = s;
                out.runner_up = tsecond.map(|(t2, s2)| Candidate {
                    id: self.tasks[t2].id.clone(),
                    score: s2,
                });
                out.margin = s - tsecond.map_or(0.0, |x| x.1);
            } else if let Some((r2, s2)) = nearest {
                out.runner_up = Some(cand(r2, s2));
                out.margin = 0.0;
            }
        }
        if cfg.evidence {
            let target = match out.status {
                Status::Matched => best.map(|b| b.0),
                _ => nearest.filter(|n| n.1 > 0.0).map(|n| n.0),
            };
            out.evidence = target.map(|r| self.evidence(r, norm, &positions, raw, scratch));
        }
        (scratch.positions, scratch.grams) = (positions, g);
        out
    }

    /// Whether three or more tasks of at least two areas hold shares of
    /// the item's weighted grams within `tolerance` (relative) of the best.
    fn scope_is_tied(&self, acc: &[f32], total: f32, tolerance: f64) -> bool {
        if total <= 0.0 {
            return false;
        }
        let top = acc.iter().copied().fold(0.0f32, f32::max) as f64;
        if top <= 0.0 {
            return false;
        }
        let floor = top * (1.0 - tolerance);
        let mut tied = acc
            .iter()
            .enumerate()
            .filter(|&(_, &a)| a as f64 >= floor)
            .map(|(t, _)| &*self.tasks[t].area);
        let Some(first) = tied.next() else {
            return false;
        };
        let (mut count, mut other_area) = (1, false);
        for area in tied {
            count += 1;
            other_area |= area != first;
        }
        count >= MIN_TIED_TASKS && other_area
    }

    fn evidence(
        &self,
        r: usize,
        norm: &NormText,
        item_positions: &[(Gram, u32)],
        raw: &str,
        scratch: &mut Scratch,
    ) -> Evidence {
        let req = &self.reqs[r];
        let sw = SmithWaterman::default();
        // Banded alignment around the diagonal most shared bigrams sit on,
        // over the rows where bigrams recur near that diagonal (plus the
        // band's width on each side): O(passage · band) instead of
        // O(n · m), and a long merged item costs no more than the passage
        // that matches.
        let (n, m) = (norm.len(), req.norm.len());
        let (wa, wb, band) = match dominant_diagonal(
            item_positions,
            &req.positions,
            m,
            EVIDENCE_BAND,
            &mut scratch.diagonals,
        ) {
            Some(((low, high), rows)) => {
                // The diagonals the shared bigrams use, widened by a few
                // characters of slack for gaps between them.
                let (low, high) = (low - EVIDENCE_SLACK, high + EVIDENCE_SLACK);
                let wa = rows.start.saturating_sub(EVIDENCE_SLACK as usize)
                    ..(rows.end + EVIDENCE_SLACK as usize).min(n);
                let col = |i: usize, d: isize| (i as isize + d).clamp(0, m as isize) as usize;
                let wb = col(wa.start, low)..col(wa.end, high);
                let shift = wa.start as isize - wb.start as isize;
                (wa, wb, Some((low + shift, high + shift)))
            }
            None => (0..n, 0..m, None),
        };
        let (x, y) = (&norm.chars[wa.clone()], &req.norm.chars[wb.clone()]);
        let al = sw.align_with(x, y, band, &mut scratch.sw);
        let a = wa.start + al.a.start..wa.start + al.a.end;
        let b = wb.start + al.b.start..wb.start + al.b.end;
        let item_span = norm.raw_span(a);
        let requirement_span = req.norm.raw_span(b);
        Evidence {
            requirement: req.id.clone(),
            item_excerpt: raw.get(item_span.clone()).unwrap_or_default().to_string(),
            requirement_excerpt: req
                .text
                .get(requirement_span.clone())
                .unwrap_or_default()
                .to_string(),
            item_span,
            requirement_span,
            alignment: sw.normalize(al.score, norm.len(), req.norm.len()),
        }
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

    /// Aligns every requirement item of a document (in parallel over
    /// items; the output does not depend on the thread count) and derives
    /// the coverage of every national requirement.
    pub fn align_document(&self, doc: &RegionDocument) -> DocumentAlignment {
        let normalizer = Normalizer::standard(&doc.meta.place_names());
        let requirement_items: Vec<_> = doc
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
        let norms: Vec<NormText> = requirement_items
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
        let mut headings: rustc_hash::FxHashMap<&[String], HeadingEvidence> =
            rustc_hash::FxHashMap::default();
        for (item, norm) in requirement_items.iter().zip(&norms) {
            let c = lines.entry(line_of(item.span.start)).or_default();
            c.1 += 1;
            c.0.extend_from_slice(&norm.chars);
            headings
                .entry(item.heading_path.as_slice())
                .or_insert_with(|| self.heading_evidence(&item.heading_path));
        }
        let contexts: rustc_hash::FxHashMap<usize, Vec<f64>> = lines
            .into_iter()
            .filter(|(_, (_, n))| *n > 1)
            .map(|(line, (chars, _))| (line, self.context_vocabulary(&chars)))
            .collect();
        let mut items: Vec<ItemAlignment> = requirement_items
            .par_iter()
            .zip(norms.par_iter())
            .map_init(
                || self.scratch(),
                |scratch, (item, norm)| {
                    let context = contexts.get(&line_of(item.span.start)).map(Vec::as_slice);
                    let heading = &headings[item.heading_path.as_slice()];
                    self.align_normalized(item.id, norm, context, heading, &doc.text, scratch)
                },
            )
            .collect();
        // Document-level reading. A document about one area (a plan for
        // open-government work alone): what the first pass left outside
        // every task is read again with that area's tasks at the focus
        // threshold. A document whose headings agree with its items' own
        // words: what the first pass filed under a task other than its
        // heading's is read again with the heading trusted to choose
        // among the tasks the item falls within.
        let focus = self.document_focus(&items);
        let heading_agreement = self.heading_agreement(&items, &requirement_items, &headings);
        let trusted = heading_agreement.is_some_and(|a| a >= self.config.heading_trust);
        if focus.is_some() || trusted {
            let again = |item: &&Item, a: &ItemAlignment| match a.status {
                Status::Extension => focus.is_some(),
                Status::Task => {
                    trusted
                        && headings[item.heading_path.as_slice()]
                            .task
                            .is_some_and(|h| a.task.as_deref() != Some(&*self.tasks[h].id))
                }
                Status::Matched => false,
            };
            requirement_items
                .par_iter()
                .zip(norms.par_iter())
                .zip(items.par_iter_mut())
                .filter(|((item, _), a)| again(item, a))
                .for_each_init(
                    || self.scratch(),
                    |scratch, ((item, norm), out)| {
                        let context = contexts.get(&line_of(item.span.start)).map(Vec::as_slice);
                        let heading = HeadingEvidence {
                            focus: focus.clone(),
                            trusted,
                            ..headings[item.heading_path.as_slice()].clone()
                        };
                        *out = self
                            .align_normalized(item.id, norm, context, &heading, &doc.text, scratch);
                    },
                );
        }
        let coverage = self.coverage(&items);
        DocumentAlignment {
            label: doc.meta.label.clone(),
            file: doc.meta.file.clone(),
            items,
            coverage,
            focus,
            heading_agreement,
            headings_trusted: trusted,
        }
    }

    /// Of the items matched on their own words (their nearest requirement
    /// reaches the match threshold without heading bonus) that sit under a
    /// heading naming a task, the share whose heading names that
    /// requirement's task; None below [`MIN_AGREEMENT_ITEMS`] such items.
    fn heading_agreement(
        &self,
        items: &[ItemAlignment],
        requirement_items: &[&Item],
        headings: &rustc_hash::FxHashMap<&[String], HeadingEvidence>,
    ) -> Option<f64> {
        let (mut checked, mut agree) = (0usize, 0usize);
        for (a, item) in items.iter().zip(requirement_items) {
            let Some(h) = headings[item.heading_path.as_slice()].task else {
                continue;
            };
            let Some(&r) = a
                .nearest
                .as_ref()
                .filter(|c| c.score >= self.config.match_threshold)
                .and_then(|c| self.req_by_id.get(&c.id))
            else {
                continue;
            };
            checked += 1;
            agree += usize::from(self.reqs[r].task == h);
        }
        (checked >= MIN_AGREEMENT_ITEMS).then(|| agree as f64 / checked as f64)
    }

    /// The area at least `focus_share` of a document's decided items
    /// (matched or filed under a task) fall in, if any.
    fn document_focus(&self, items: &[ItemAlignment]) -> Option<Id> {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for area in items.iter().filter_map(|a| a.area.as_deref()) {
            match counts.iter_mut().find(|(a, _)| *a == area) {
                Some((_, n)) => *n += 1,
                None => counts.push((area, 1)),
            }
        }
        let decided: usize = counts.iter().map(|(_, n)| n).sum();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let (area, n) = counts.first()?;
        (*n as f64 >= self.config.focus_share * decided as f64).then(|| (*area).into())
    }

    /// Aligns many documents in parallel, in input order.
    pub fn align_all(&self, docs: &[RegionDocument]) -> Vec<DocumentAlignment> {
        docs.par_iter().map(|d| self.align_document(d)).collect()
    }

    fn coverage(&self, items: &[ItemAlignment]) -> Vec<RequirementCoverage> {
        let mut per_req: Vec<Vec<(ItemId, f64)>> = vec![Vec::new(); self.reqs.len()];
        let index_of: rustc_hash::FxHashMap<&str, usize> = self
            .reqs
            .iter()
            .enumerate()
            .map(|(i, r)| (&*r.id, i))
            .collect();
        for it in items {
            for c in &it.covers {
                if let Some(&r) = index_of.get(&*c.id) {
                    per_req[r].push((it.item, c.score));
                }
            }
        }
        self.reqs
            .iter()
            .zip(per_req)
            .map(|(req, mut hits)| {
                hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                let score = hits.first().map_or(0.0, |h| h.1);
                let status = if score >= self.config.covered_threshold {
                    CoverageStatus::Covered
                } else if score >= self.config.partial_threshold {
                    CoverageStatus::Partial
                } else {
                    CoverageStatus::Omitted
                };
                let task = &self.tasks[req.task];
                RequirementCoverage {
                    requirement: req.id.clone(),
                    task: task.id.clone(),
                    area: task.area.clone(),
                    status,
                    score,
                    items: hits.into_iter().map(|h| h.0).collect(),
                }
            })
            .collect()
    }
}
