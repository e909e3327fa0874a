//! Stage 6, coverage: each national requirement's best item score in a
//! document, as covered / partial / omitted, with the supporting items.
//!
//! Coverage follows the decisions: an item supports a requirement only
//! when it was decided for that requirement's task (matched to it, or to
//! another requirement of the task it also states, or filed under the
//! task). An item decided a local extension supports none, whatever its
//! words share with the national text, and a researcher's label or a
//! refitted model changes the coverage through the decisions it changes.

use luoshi_core::ingest::ItemId;

use crate::compiled::Compiled;
use crate::types::{CoverageStatus, ItemAlignment, RequirementCoverage, Status};

/// The coverage of every requirement (in taxonomy order) by `items`;
/// `(covered, partial)` are the score thresholds of
/// [`crate::AlignConfig`]. Linear in the items' `covers` lists.
pub(crate) fn coverage(
    compiled: &Compiled,
    items: &[ItemAlignment],
    (covered, partial): (f64, f64),
) -> Vec<RequirementCoverage> {
    let mut per_req: Vec<Vec<(ItemId, f64)>> = vec![Vec::new(); compiled.reqs.len()];
    for it in items {
        let Some(task) = it
            .task
            .as_deref()
            .filter(|_| it.status != Status::Extension)
        else {
            continue;
        };
        for c in &it.covers {
            if let Some(r) = compiled.req_ix(&c.id)
                && *compiled.task(compiled.req(r).task).id == *task
            {
                per_req[r.get()].push((it.item, c.score));
            }
        }
    }
    compiled
        .reqs
        .iter()
        .zip(per_req)
        .map(|(req, mut hits)| {
            hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let score = hits.first().map_or(0.0, |h| h.1);
            let status = if score >= covered {
                CoverageStatus::Covered
            } else if score >= partial {
                CoverageStatus::Partial
            } else {
                CoverageStatus::Omitted
            };
            let task = compiled.task(req.task);
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
