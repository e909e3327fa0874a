//! Stage 6, coverage: each national requirement's best item score in a
//! document, as covered / partial / omitted, with the supporting items.

use luoshi_core::ingest::ItemId;

use crate::aligner::{CoverageStatus, ItemAlignment, Req, RequirementCoverage, Task};

/// The coverage of every requirement (in taxonomy order) by `items`;
/// `(covered, partial)` are the score thresholds of
/// [`crate::AlignConfig`]. Linear in the items' `covers` lists.
pub(crate) fn coverage(
    reqs: &[Req],
    tasks: &[Task],
    items: &[ItemAlignment],
    (covered, partial): (f64, f64),
) -> Vec<RequirementCoverage> {
    let mut per_req: Vec<Vec<(ItemId, f64)>> = vec![Vec::new(); reqs.len()];
    let index_of: rustc_hash::FxHashMap<&str, usize> =
        reqs.iter().enumerate().map(|(i, r)| (&*r.id, i)).collect();
    for it in items {
        for c in &it.covers {
            if let Some(&r) = index_of.get(&*c.id) {
                per_req[r].push((it.item, c.score));
            }
        }
    }
    reqs.iter()
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
            let task = &tasks[req.task];
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
