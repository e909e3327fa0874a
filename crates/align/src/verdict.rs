//! Stages 4 and 5 for one item: the fitted decision on its read score
//! card becomes an [`ItemAlignment`] (status, task, requirement when the
//! chosen task's best requirement reaches the match threshold, runner-up,
//! the model's second outcome), a researcher's correction takes the
//! model's place, and the evidence is aligned against the decided (or
//! nearest) requirement.

use luoshi_core::ingest::ItemId;

use crate::card::ScoreCard;
use crate::compiled::{Compiled, TaskIx};
use crate::config::AlignConfig;
use crate::correct::{Correction, apply};
use crate::decide::{Decision, Weights};
use crate::evidence::{EvidenceBuffers, Target, evidence};
use crate::grams::Gram;
use crate::normalize::NormText;
use crate::types::{Candidate, Id, ItemAlignment, Source, Status};

/// Decides items against one compiled taxonomy.
pub(crate) struct Verdicts<'a> {
    pub(crate) compiled: &'a Compiled,
    pub(crate) weights: &'a Weights,
    pub(crate) config: &'a AlignConfig,
}

impl Verdicts<'_> {
    /// Stages 4 and 5 for one item: the decision on its (read) card (with
    /// `probabilities`, the card's outcome probabilities already adjusted
    /// to the document's proportions; else the model's own) and the
    /// evidence. `positions` are the statement's sorted bigram
    /// positions; `raw` is the text its offsets point into.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn decide(
        &self,
        item: ItemId,
        card: ScoreCard,
        probabilities: Option<&[f64]>,
        norm: &NormText,
        positions: &[(Gram, u32)],
        raw: &str,
        correction: Option<&Correction>,
        buffers: &mut EvidenceBuffers,
    ) -> ItemAlignment {
        let cfg = &self.config;
        // The card is this aligner's: its tasks are the compiled tasks, in
        // order.
        debug_assert_eq!(card.task.len(), self.compiled.tasks.len());
        let decision = match probabilities {
            Some(p) => Decision::from_probabilities(p),
            None => self.weights.decide(&card),
        }
        .requiring_extension(self.config.extension_confidence);
        let req_index = |id: &str| self.compiled.req_ix(id);
        let task_candidate = |t: TaskIx, p: f64| Candidate {
            id: self.compiled.task(t).id.clone(),
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
                .and_then(|h| self.compiled.tasks.iter().find(|t| t.name == *h))
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
            let tc = &card.task[t.get()];
            out.task = Some(self.compiled.task(t).id.clone());
            out.area = Some(self.compiled.task(t).area.clone());
            match tc.requirement.as_deref().and_then(req_index) {
                Some(r) if tc.req_score >= cfg.match_threshold => {
                    let id = &self.compiled.req(r).id;
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
            apply(self.compiled, &mut out, c, &card.task, &mut target);
        }
        if cfg.evidence
            && let Some(r) = target.map(|r| self.compiled.req(r))
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
}
