//! The document profile: each requirement item read against the national
//! text (fidelity), for what it names (specificity), and the document's
//! requirements kept, reworded and omitted, and its response lag.

use luoshi_align::normalize::Normalizer;
use luoshi_align::scorer::SwBuffers;
use luoshi_align::{CoverageStatus, DocumentAlignment, Id, ItemAlignment, Status};
use luoshi_core::ingest::{Item, ItemKind, RegionDocument};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::date::days_between;
use crate::national::{National, statement};
use crate::obligation::obligation;
use crate::quantity::quantities;
use crate::shingle::{MASK, window_hashes};
use crate::types::{DocumentProfile, ItemProfile, RequirementUse, Use};
use crate::words::TIME_UNITS;

/// A requirement item's normalized statement, the characters that
/// restate the national text replaced by [`MASK`]: what the search for
/// reuse reads, in 8 bytes a character.
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    /// The item.
    pub item: luoshi_core::ItemId,
    /// Its normalized statement, restating characters masked.
    pub chars: Vec<char>,
    /// Each character's byte offset in the document's text (documents
    /// are refused beyond 256 MiB, so offsets fit 32 bits).
    pub offsets: Vec<u32>,
}

/// Whether a deadline names a time: a digit or a calendar unit.
pub(crate) fn names_time(deadline: &str) -> bool {
    deadline
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || TIME_UNITS.contains(&c))
}

/// What an item names, read from its text: unit, deadline, quantities,
/// obligation.
pub(crate) fn item_profile(
    doc: &RegionDocument,
    item: &Item,
    a: &ItemAlignment,
    chars: usize,
    restated: usize,
    copied: usize,
) -> ItemProfile {
    let body = doc.body(item);
    let mut text = body.clone();
    if let Some(d) = &item.deadline
        && !body.contains(d.as_str())
    {
        text.push('；');
        text.push_str(d);
    }
    ItemProfile {
        item: item.id,
        status: a.status,
        task: a.task.clone(),
        chars,
        restated,
        copied,
        unit: !item.units.is_empty(),
        deadline: item.deadline.as_deref().is_some_and(names_time),
        quantities: quantities(&text),
        obligation: obligation(&body).grade,
    }
}

/// Profiles one document: every requirement item measured against the
/// national text (in document order), every national requirement kept,
/// reworded or omitted, the response lag; with the statements, for the
/// search for reuse.
pub(crate) fn profile(
    national: &National,
    doc: &RegionDocument,
    al: &DocumentAlignment,
) -> (DocumentProfile, Vec<Statement>) {
    let normalizer = Normalizer::standard(&doc.meta.place_names());
    let mut sw = SwBuffers::default();
    let copy_run = national.config.copy_run;
    let mut items = Vec::with_capacity(al.items.len());
    let mut statements = Vec::with_capacity(al.items.len());
    let mut runs: FxHashMap<luoshi_core::ItemId, Vec<u64>> = FxHashMap::default();
    for a in &al.items {
        let Some(item) = doc.items.get(a.item.0 as usize) else {
            continue;
        };
        if item.kind != ItemKind::Requirement || item.id != a.item {
            continue;
        }
        let norm = statement(&doc.text, &item.body, &normalizer);
        let m = national.measure(&norm, a, &mut sw);
        let restated = m.restated.iter().filter(|&&x| x).count();
        items.push(item_profile(doc, item, a, norm.len(), restated, m.copied));
        runs.insert(item.id, window_hashes(&norm.chars, copy_run));
        let mut chars = norm.chars;
        for (c, &r) in chars.iter_mut().zip(&m.restated) {
            if r {
                *c = MASK;
            }
        }
        let offsets = norm
            .offsets
            .iter()
            .map(|&o| u32::try_from(o).unwrap_or(u32::MAX))
            .collect();
        statements.push(Statement {
            item: item.id,
            chars,
            offsets,
        });
    }
    let requirements = national
        .requirements
        .iter()
        .map(|(id, task)| {
            let c = al.coverage_of(id);
            let coverage = c.map_or(CoverageStatus::Omitted, |c| c.status);
            let kept_share = match c {
                Some(c) if c.status != CoverageStatus::Omitted => {
                    let all: FxHashSet<u64> = c
                        .items
                        .iter()
                        .filter_map(|i| runs.get(i))
                        .flatten()
                        .copied()
                        .collect();
                    national.kept_share(id, &all)
                }
                _ => 0.0,
            };
            let used = if coverage == CoverageStatus::Omitted {
                Use::Omitted
            } else if kept_share >= national.config.kept_share {
                Use::Kept
            } else {
                Use::Reworded
            };
            RequirementUse {
                requirement: Id::from(id.as_str()),
                task: Id::from(task.as_str()),
                coverage,
                kept_share,
                used,
            }
        })
        .collect();
    let profile = DocumentProfile {
        label: doc.meta.label.clone(),
        extended: al
            .items
            .iter()
            .filter(|a| a.status == Status::Extension)
            .count(),
        items,
        requirements,
        response_lag: national
            .date
            .zip(doc.meta.issued)
            .map(|(n, d)| days_between(n, d)),
        national_date: national.date,
    };
    (profile, statements)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_that_name_a_time() {
        let cases = [
            ("2017年7月底前", true),
            ("全年工作", true),
            ("年内", true),
            ("每季度", true),
            ("30个工作日内", true),
            ("按季度、月度公布", true),
            ("及时发布", false),
            ("持续推进", false),
            ("长期坚持", false),
        ];
        for (d, want) in cases {
            assert_eq!(names_time(d), want, "{d}");
        }
    }
}
