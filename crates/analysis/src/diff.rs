//! Two documents side by side, requirement by requirement: what the
//! second kept of the first, reworded, added and dropped, and the changes
//! a researcher reads for (obligation words, deadlines, numbers,
//! responsible units).
//!
//! Each national requirement lines up the items of both documents that
//! state it (their coverage), the closest pair of them side by side.
//! The items no requirement lines up (extensions, items filed under a
//! task only) are paired by their own words, closest first, when at least
//! half their character bigrams agree; the rest are added or dropped.

use luoshi_align::normalize::{NormText, Normalizer};
use luoshi_align::{DocumentAlignment, Id};
use luoshi_core::ingest::{ItemKind, RegionDocument};
use luoshi_core::{Item, ItemId};
use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::national::statement;
use crate::obligation::{Obligation, ObligationWords, obligation};
use crate::quantity::quantities;
use crate::shingle::window_hashes;

/// How a requirement or item fared from the first document to the
/// second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Both state it, mostly in the same words.
    Kept,
    /// Both state it, in different words.
    Reworded,
    /// Only the second states it.
    Added,
    /// Only the first states it.
    Dropped,
}

impl Change {
    /// `kept`, `reworded`, `added` or `dropped`.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Kept => "kept",
            Change::Reworded => "reworded",
            Change::Added => "added",
            Change::Dropped => "dropped",
        }
    }
}

/// A change of two values of a lined-up pair (a deadline, the numbers,
/// the units): which side has one, and whether they differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shift {
    /// Only the second has one.
    Added,
    /// Only the first has one.
    Removed,
    /// Both have one, and they differ.
    Changed,
}

impl Shift {
    /// `added`, `removed` or `changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Shift::Added => "added",
            Shift::Removed => "removed",
            Shift::Changed => "changed",
        }
    }

    fn of<T: PartialEq>(a: &[T], b: &[T]) -> Option<Shift> {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => None,
            (true, false) => Some(Shift::Added),
            (false, true) => Some(Shift::Removed),
            (false, false) => (a != b).then_some(Shift::Changed),
        }
    }
}

/// One side of a row: an item and what it names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// The item.
    pub item: ItemId,
    /// Its text as it stands in the document.
    pub text: String,
    /// Its byte span in the document's text.
    pub span: std::ops::Range<usize>,
    /// Its deadline.
    pub deadline: Option<String>,
    /// Its responsible units.
    pub units: Vec<String>,
    /// The quantities it states.
    pub quantities: Vec<String>,
    /// Its obligation words and grade.
    pub obligation: ObligationWords,
}

/// One line of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffRow {
    /// The national requirement both sides are lined up on; `None` for
    /// items paired by their own words.
    pub requirement: Option<Id>,
    /// Its task (for a pair by own words: the second side's task, else
    /// the first's).
    pub task: Option<Id>,
    /// Kept, reworded, added or dropped.
    pub change: Change,
    /// The first document's item.
    pub a: Option<Side>,
    /// The second document's item.
    pub b: Option<Side>,
    /// For a pair: the share of both statements in verbatim runs they
    /// share (of `copy_run` characters), in [0, 1].
    pub similarity: Option<f64>,
    /// For a pair whose obligation grades differ: the first's and the
    /// second's (`must` → `encouraged` is a weakening).
    pub obligation: Option<(Obligation, Obligation)>,
    /// The deadline moved, added or removed.
    pub deadline: Option<Shift>,
    /// The quantities changed, added or removed.
    pub numbers: Option<Shift>,
    /// The responsible units changed, added or removed.
    pub units: Option<Shift>,
}

impl DiffRow {
    /// The obligation grew weaker (`must` → `may`).
    pub fn weakened(&self) -> bool {
        self.obligation.is_some_and(|(a, b)| b < a)
    }
}

/// Two documents side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentDiff {
    /// The first document's label.
    pub a: String,
    /// The second's.
    pub b: String,
    /// National requirements in taxonomy order, then the pairs by own
    /// words in the first document's order, then the second's items
    /// left over.
    pub rows: Vec<DiffRow>,
}

impl DocumentDiff {
    /// How many rows have this change.
    pub fn count(&self, change: Change) -> usize {
        self.rows.iter().filter(|r| r.change == change).count()
    }
}

/// A document's requirement items, normalized, with their run hashes and
/// bigrams.
struct Read<'d> {
    doc: &'d RegionDocument,
    items: Vec<(&'d Item, NormText)>,
}

impl<'d> Read<'d> {
    fn new(doc: &'d RegionDocument) -> Read<'d> {
        let normalizer = Normalizer::standard(&doc.meta.place_names());
        let items = doc
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Requirement)
            .map(|i| (i, statement(&doc.text, &i.body, &normalizer)))
            .collect();
        Read { doc, items }
    }

    fn find(&self, id: ItemId) -> Option<usize> {
        self.items.binary_search_by_key(&id, |(i, _)| i.id).ok()
    }

    fn side(&self, at: usize) -> Side {
        let (item, _) = self.items[at];
        let body = self.doc.body(item);
        let mut q_text = body.clone();
        if let Some(d) = &item.deadline {
            q_text.push('；');
            q_text.push_str(d);
        }
        Side {
            item: item.id,
            text: self.doc.raw(item).to_string(),
            span: item.span.clone(),
            deadline: item.deadline.clone(),
            units: item.units.clone(),
            quantities: quantities(&q_text),
            obligation: obligation(&body),
        }
    }
}

fn bigrams(chars: &[char]) -> FxHashSet<(char, char)> {
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Bigram Dice of two statements.
fn dice(a: &[char], b: &[char]) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() && y.is_empty() {
        return 0.0;
    }
    2.0 * x.intersection(&y).count() as f64 / (x.len() + y.len()) as f64
}

/// The share of both statements in runs of `k` characters they share.
fn run_similarity(a: &[char], b: &[char], k: usize) -> f64 {
    let covered = |x: &[char], other: &FxHashSet<u64>| {
        let mut c = vec![false; x.len()];
        for (i, h) in window_hashes(x, k).iter().enumerate() {
            if other.contains(h) {
                c[i..i + k].iter_mut().for_each(|v| *v = true);
            }
        }
        c.iter().filter(|&&v| v).count()
    };
    let ha: FxHashSet<u64> = window_hashes(a, k).into_iter().collect();
    let hb: FxHashSet<u64> = window_hashes(b, k).into_iter().collect();
    let total = a.len() + b.len();
    if total == 0 {
        return 0.0;
    }
    (covered(a, &hb) + covered(b, &ha)) as f64 / total as f64
}

/// A row for a pair, or one side alone.
fn row(
    requirement: Option<Id>,
    task: Option<Id>,
    a: Option<Side>,
    b: Option<Side>,
    similarity: Option<f64>,
    kept_share: f64,
) -> DiffRow {
    let change = match (&a, &b, similarity) {
        (Some(_), Some(_), Some(s)) if s >= kept_share => Change::Kept,
        (Some(_), Some(_), _) => Change::Reworded,
        (Some(_), None, _) => Change::Dropped,
        _ => Change::Added,
    };
    let (mut obl, mut deadline, mut numbers, mut units) = (None, None, None, None);
    if let (Some(x), Some(y)) = (&a, &b) {
        let (ga, gb) = (x.obligation.grade, y.obligation.grade);
        obl = (ga != gb).then_some((ga, gb));
        let compact = |d: &Option<String>| -> Vec<String> {
            d.iter()
                .map(|s| s.chars().filter(|c| !c.is_whitespace()).collect())
                .collect()
        };
        deadline = Shift::of(&compact(&x.deadline), &compact(&y.deadline));
        let sorted = |v: &[String]| {
            let mut v = v.to_vec();
            v.sort();
            v
        };
        numbers = Shift::of(&sorted(&x.quantities), &sorted(&y.quantities));
        units = Shift::of(&sorted(&x.units), &sorted(&y.units));
    }
    DiffRow {
        requirement,
        task,
        change,
        a,
        b,
        similarity,
        obligation: obl,
        deadline,
        numbers,
        units,
    }
}

/// Lines up `b` against `a` (both aligned against one taxonomy, whose
/// requirements `requirements` lists in order). `copy_run` and
/// `kept_share` are the profile's ([`crate::ProfileConfig`]).
pub(crate) fn diff(
    (a, al_a): (&RegionDocument, &DocumentAlignment),
    (b, al_b): (&RegionDocument, &DocumentAlignment),
    requirements: &[(String, String)],
    copy_run: usize,
    kept_share: f64,
) -> DocumentDiff {
    let (ra, rb) = (Read::new(a), Read::new(b));
    let mut used_a = vec![false; ra.items.len()];
    let mut used_b = vec![false; rb.items.len()];
    let mut rows = Vec::new();
    let covering = |al: &DocumentAlignment, read: &Read<'_>, id: &str| -> Vec<usize> {
        al.coverage_of(id)
            .map(|c| c.items.iter().filter_map(|&i| read.find(i)).collect())
            .unwrap_or_default()
    };
    for (id, task) in requirements {
        let (xa, xb) = (covering(al_a, &ra, id), covering(al_b, &rb, id));
        xa.iter().for_each(|&i| used_a[i] = true);
        xb.iter().for_each(|&i| used_b[i] = true);
        let req = Some(Id::from(id.as_str()));
        let task = Some(Id::from(task.as_str()));
        match (xa.first(), xb.first()) {
            (None, None) => {}
            (Some(&i), None) => rows.push(row(req, task, Some(ra.side(i)), None, None, kept_share)),
            (None, Some(&j)) => rows.push(row(req, task, None, Some(rb.side(j)), None, kept_share)),
            (Some(_), Some(_)) => {
                // The closest pair of the items stating it.
                let mut best = (f64::MIN, xa[0], xb[0]);
                for &i in &xa {
                    for &j in &xb {
                        let s = dice(&ra.items[i].1.chars, &rb.items[j].1.chars);
                        if s > best.0 {
                            best = (s, i, j);
                        }
                    }
                }
                let (_, i, j) = best;
                let sim = run_similarity(&ra.items[i].1.chars, &rb.items[j].1.chars, copy_run);
                rows.push(row(
                    req,
                    task,
                    Some(ra.side(i)),
                    Some(rb.side(j)),
                    Some(sim),
                    kept_share,
                ));
            }
        }
    }
    // The items no requirement lined up: paired by their own words.
    let rest_a: Vec<usize> = (0..ra.items.len()).filter(|&i| !used_a[i]).collect();
    let rest_b: Vec<usize> = (0..rb.items.len()).filter(|&j| !used_b[j]).collect();
    let mut scored: Vec<(f64, usize, usize)> = Vec::new();
    for &i in &rest_a {
        for &j in &rest_b {
            let s = dice(&ra.items[i].1.chars, &rb.items[j].1.chars);
            if s >= 0.5 {
                scored.push((s, i, j));
            }
        }
    }
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut pair_of_a: Vec<Option<usize>> = vec![None; ra.items.len()];
    let mut taken_b = vec![false; rb.items.len()];
    for (_, i, j) in scored {
        if pair_of_a[i].is_none() && !taken_b[j] {
            pair_of_a[i] = Some(j);
            taken_b[j] = true;
        }
    }
    let task_of = |al: &DocumentAlignment, id: ItemId| al.item(id).and_then(|x| x.task.clone());
    for &i in &rest_a {
        let side_a = ra.side(i);
        match pair_of_a[i] {
            Some(j) => {
                let side_b = rb.side(j);
                let task = task_of(al_b, side_b.item).or_else(|| task_of(al_a, side_a.item));
                let sim = run_similarity(&ra.items[i].1.chars, &rb.items[j].1.chars, copy_run);
                rows.push(row(
                    None,
                    task,
                    Some(side_a),
                    Some(side_b),
                    Some(sim),
                    kept_share,
                ));
            }
            None => {
                let task = task_of(al_a, side_a.item);
                rows.push(row(None, task, Some(side_a), None, None, kept_share));
            }
        }
    }
    for &j in rest_b.iter().filter(|&&j| !taken_b[j]) {
        let side_b = rb.side(j);
        let task = task_of(al_b, side_b.item);
        rows.push(row(None, task, None, Some(side_b), None, kept_share));
    }
    DocumentDiff {
        a: a.meta.label.clone(),
        b: b.meta.label.clone(),
        rows,
    }
}
