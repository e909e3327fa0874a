//! What an item's headings name: the national task (or only the area)
//! whose title or vocabulary a heading of its path is close to; and the
//! task vocabulary shares of a paragraph, the item's context. Both are
//! computed once per distinct heading path or line of a document.

use luoshi_core::ingest::ItemId;

use crate::candidates::Candidates;
use crate::compiled::Compiled;
use crate::decide::{HeadingFeatures, HeadingModel, HeadingOutcome};
use crate::grams::{Gram, grams};
use crate::normalize::Normalizer;
use crate::types::{HeadingAlignment, HeadingEvidence, HeadingStatus, Id};

fn dice(a: &[Gram], b: &[Gram]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * luoshi_core::text::shared_sorted(a, b) as f64 / (a.len() + b.len()) as f64
}

/// Reads headings and contexts against one compiled taxonomy.
pub(crate) struct Headings<'a> {
    pub(crate) compiled: &'a Compiled,
    pub(crate) candidates: &'a Candidates,
    pub(crate) national: &'a Normalizer,
    /// [`crate::AlignConfig::heading_similarity`].
    pub(crate) threshold: f64,
}

impl Headings<'_> {
    /// What a heading path names, deepest heading first: a national task
    /// (the best of the heading's bigram Dice similarity to the task's
    /// title and its containment in the task's vocabulary, if it reaches
    /// the heading-similarity setting) or, failing that, an area (Dice
    /// similarity to the area's title).
    pub(crate) fn heading_evidence(&self, headings: &[String]) -> HeadingEvidence {
        let mut acc = vec![0.0f32; self.compiled.tasks.len()];
        let mut area: Option<Id> = None;
        for h in headings.iter().rev() {
            let g = grams(&self.national.normalize(h).chars);
            if g.is_empty() {
                continue;
            }
            acc.iter_mut().for_each(|a| *a = 0.0);
            let total = self.candidates.task_index.accumulate(&g, &mut acc);
            let mut best: Option<(usize, f64)> = None;
            for (i, t) in self.compiled.tasks.iter().enumerate() {
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
                .compiled
                .tasks
                .iter()
                .enumerate()
                .filter(|&(i, t)| i == 0 || self.compiled.tasks[i - 1].area != t.area)
                .map(|(_, t)| (dice(&g, &t.area_title_grams), &t.area))
                .filter(|(s, _)| *s >= self.threshold)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((i, s)) = best
                && s >= self.threshold
                && area_here.is_none_or(|(a, _)| a < s)
            {
                return HeadingEvidence {
                    task: Some(self.compiled.tasks[i].id.clone()),
                    area: Some(self.compiled.tasks[i].area.clone()),
                };
            }
            if area.is_none() {
                area = area_here.map(|(_, a)| a.clone());
            }
        }
        HeadingEvidence { task: None, area }
    }

    /// What one heading's words say of every task and area (the heading
    /// model's input).
    pub(crate) fn heading_features(&self, heading: &str) -> HeadingFeatures {
        let tasks = &self.compiled.tasks;
        let g = grams(&self.national.normalize(heading).chars);
        let mut acc = vec![0.0f32; tasks.len()];
        let total = if g.is_empty() {
            0.0
        } else {
            self.candidates.task_index.accumulate(&g, &mut acc)
        };
        HeadingFeatures {
            tasks: tasks
                .iter()
                .zip(&acc)
                .map(|(t, &a)| {
                    let vocab = if total > 0.0 { (a / total) as f64 } else { 0.0 };
                    (dice(&g, &t.title_grams), vocab)
                })
                .collect(),
            areas: self
                .compiled
                .areas()
                .map(|(_, title)| dice(&g, title))
                .collect(),
            learned: self.learned_shares(&g),
            task_area: tasks
                .iter()
                .map(|t| {
                    self.compiled
                        .areas()
                        .position(|(a, _)| *a == t.area)
                        .unwrap_or(0)
                })
                .collect(),
        }
    }

    /// Per task, the share of `g`'s weighted bigrams the task's learned
    /// profile holds; empty without a learned vocabulary.
    fn learned_shares(&self, g: &[Gram]) -> Vec<f64> {
        let Some(index) = &self.candidates.learned else {
            return Vec::new();
        };
        let mut acc = vec![0.0f32; index.len()];
        let total = if g.is_empty() {
            0.0
        } else {
            index.accumulate(g, &mut acc)
        };
        acc.iter()
            .take(self.compiled.tasks.len())
            .map(|&a| if total > 0.0 { (a / total) as f64 } else { 0.0 })
            .collect()
    }

    /// The reading of one heading: by `model` when given, else by the
    /// heading-similarity rule of [`Headings::heading_evidence`].
    pub(crate) fn read_heading(
        &self,
        item: ItemId,
        heading: &str,
        model: Option<&HeadingModel>,
    ) -> HeadingAlignment {
        let f = self.heading_features(heading);
        let tasks = &self.compiled.tasks;
        let (outcome, confidence) = match model {
            Some(m) => {
                let (o, p) = m.decide(&f);
                (o, Some(p))
            }
            None => {
                let e = self.heading_evidence(&[heading.to_string()]);
                let o = match (&e.task, &e.area) {
                    (Some(t), _) => tasks
                        .iter()
                        .position(|x| x.id == *t)
                        .map_or(HeadingOutcome::None, HeadingOutcome::Task),
                    (None, Some(a)) => self
                        .compiled
                        .areas()
                        .position(|(id, _)| id == a)
                        .map_or(HeadingOutcome::None, HeadingOutcome::Area),
                    _ => HeadingOutcome::None,
                };
                (o, None)
            }
        };
        let (status, task, area, score) = match outcome {
            HeadingOutcome::Task(t) => (
                HeadingStatus::Task,
                Some(tasks[t].id.clone()),
                Some(tasks[t].area.clone()),
                f.tasks[t].0.max(f.tasks[t].1),
            ),
            HeadingOutcome::Area(a) => (
                HeadingStatus::Area,
                None,
                self.compiled.areas().nth(a).map(|(id, _)| id.clone()),
                f.areas[a],
            ),
            HeadingOutcome::None => (HeadingStatus::Own, None, None, 0.0),
        };
        HeadingAlignment {
            item,
            status,
            task,
            area,
            score,
            confidence,
        }
    }

    /// The share of `context`'s weighted grams each task's vocabulary
    /// holds, in task order (for [`crate::Aligner::align_normalized`]).
    pub(crate) fn context_vocabulary(&self, context: &[char]) -> Vec<f64> {
        let mut acc = vec![0.0f32; self.compiled.tasks.len()];
        let total = self
            .candidates
            .task_index
            .accumulate(&grams(context), &mut acc);
        acc.iter()
            .map(|&a| if total > 0.0 { (a / total) as f64 } else { 0.0 })
            .collect()
    }
}
