//! What an item's headings name: the national task (or only the area)
//! whose title or vocabulary a heading of its path is close to; and the
//! task vocabulary shares of a paragraph, the item's context. Both are
//! computed once per distinct heading path or line of a document.

use crate::candidates::Candidates;
use crate::compiled::Compiled;
use crate::grams::{Gram, grams};
use crate::normalize::Normalizer;
use crate::types::{HeadingEvidence, Id};

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
