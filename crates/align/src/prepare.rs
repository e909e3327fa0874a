//! Document preparation, once per document before any item is scored:
//! its requirement items, each normalized once (in parallel), each line's
//! context (the task vocabulary shares of all statements on one prose
//! line or table row), and the heading evidence of each distinct heading
//! path.

use luoshi_core::ingest::{Item, ItemKind, RegionDocument};
use rayon::prelude::*;

use crate::headings::Headings;
use crate::normalize::{NormText, Normalizer};
use crate::types::HeadingEvidence;

/// A document's requirement items with what is computed once for all.
pub(crate) struct Prepared<'d> {
    pub(crate) items: Vec<&'d Item>,
    pub(crate) norms: Vec<NormText>,
    pub(crate) contexts: rustc_hash::FxHashMap<usize, Vec<f64>>,
    pub(crate) item_lines: Vec<usize>,
    pub(crate) headings: Vec<HeadingEvidence>,
    pub(crate) sections: Vec<usize>,
}

/// Requirement items, their normalized texts, line contexts and
/// heading evidence: once per document.
pub(crate) fn prepare<'d>(reader: &Headings<'_>, doc: &'d RegionDocument) -> Prepared<'d> {
    let normalizer = Normalizer::standard(&doc.meta.place_names());
    let items: Vec<&Item> = doc
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
    let norms: Vec<NormText> = items
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
    let mut paths: rustc_hash::FxHashMap<&[String], usize> = rustc_hash::FxHashMap::default();
    let mut headings: Vec<HeadingEvidence> = Vec::new();
    let mut sections = Vec::with_capacity(items.len());
    let mut item_lines = Vec::with_capacity(items.len());
    for (item, norm) in items.iter().zip(&norms) {
        let line = line_of(item.span.start);
        item_lines.push(line);
        let c = lines.entry(line).or_default();
        c.1 += 1;
        c.0.extend_from_slice(&norm.chars);
        let key = *paths
            .entry(item.heading_path.as_slice())
            .or_insert_with(|| {
                headings.push(reader.heading_evidence(&item.heading_path));
                headings.len() - 1
            });
        sections.push(key);
    }
    let contexts: rustc_hash::FxHashMap<usize, Vec<f64>> = lines
        .into_iter()
        .filter(|(_, (_, n))| *n > 1)
        .map(|(line, (chars, _))| (line, reader.context_vocabulary(&chars)))
        .collect();
    Prepared {
        items,
        norms,
        contexts,
        item_lines,
        headings,
        sections,
    }
}
