//! Reuse between the documents as tables: `reuse` (one row per shared
//! passage) and `reuse_pairs` (one row per pair of documents). Columns:
//! docs/schema.md.

use luoshi_analysis::{Belongs, Reuse};
use luoshi_core::RegionDocument;
use polars::prelude::Column;

use crate::corpus::{Corpus, Table, round4};
use crate::error::Result;
use crate::frames::{frame, of, os, s, u};

/// The manifest's value of a document, or empty.
fn text(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}

/// `reuse`: every passage two documents share beyond the national text.
pub(crate) fn reuse(corpus: &Corpus<'_>, reuse: &Reuse) -> Result<Table> {
    let docs = corpus.docs;
    let label = |i: usize| docs[i].meta.label.clone();
    let pair_of: std::collections::HashMap<(usize, usize), usize> = reuse
        .pairs
        .iter()
        .enumerate()
        .map(|(k, p)| ((p.a, p.b), k))
        .collect();
    let n = reuse.passages.len();
    let (mut doc_a, mut doc_b, mut source, mut basis) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let mut side: [Side; 2] = [Side::default(), Side::default()];
    let (mut chars, mut similarity) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for p in &reuse.passages {
        let pair = pair_of.get(&(p.a, p.b)).map(|&k| &reuse.pairs[k]);
        doc_a.push(label(p.a));
        doc_b.push(label(p.b));
        source.push(pair.and_then(|x| x.source).map(label));
        basis.push(pair.and_then(|x| x.basis).map(|b| b.as_str().to_string()));
        side[0].push(corpus, &docs[p.a], p.a_item.0, &p.a_span, &p.a_belongs);
        side[1].push(corpus, &docs[p.b], p.b_item.0, &p.b_span, &p.b_belongs);
        chars.push(p.chars as u64);
        similarity.push(Some(round4(p.similarity)));
    }
    let mut cols = vec![
        s("doc_a", doc_a),
        s("doc_b", doc_b),
        os("source", source),
        os("basis", basis),
    ];
    for (suffix, sd) in ["a", "b"].iter().zip(side) {
        cols.extend(sd.columns(suffix));
    }
    cols.push(u("chars", chars));
    cols.push(of("similarity", similarity));
    frame("reuse", cols)
}

/// One side's columns of `reuse`.
#[derive(Default)]
struct Side {
    item: Vec<u64>,
    start: Vec<u64>,
    end: Vec<u64>,
    status: Vec<String>,
    requirement: Vec<Option<String>>,
    task: Vec<Option<String>>,
    text: Vec<String>,
}

impl Side {
    fn push(
        &mut self,
        corpus: &Corpus<'_>,
        doc: &RegionDocument,
        item: u32,
        span: &std::ops::Range<usize>,
        b: &Belongs,
    ) {
        self.item.push(u64::from(item));
        self.start.push(span.start as u64);
        self.end.push(span.end as u64);
        self.status.push(b.status.as_str().to_string());
        self.requirement
            .push(b.requirement.as_deref().map(|id| corpus.tid(id)));
        self.task.push(b.task.as_deref().map(|id| corpus.tid(id)));
        self.text
            .push(doc.text.get(span.clone()).unwrap_or_default().to_string());
    }

    fn columns(self, suffix: &str) -> Vec<Column> {
        vec![
            u(&format!("item_id_{suffix}"), self.item),
            u(&format!("start_{suffix}"), self.start),
            u(&format!("end_{suffix}"), self.end),
            s(&format!("status_{suffix}"), self.status),
            os(&format!("requirement_id_{suffix}"), self.requirement),
            os(&format!("task_id_{suffix}"), self.task),
            s(&format!("text_{suffix}"), self.text),
        ]
    }
}

/// `reuse_pairs`: every pair of documents sharing passages, with their
/// levels, provinces and dates, and the likely direction.
pub(crate) fn reuse_pairs(corpus: &Corpus<'_>, reuse: &Reuse) -> Result<Table> {
    let docs = corpus.docs;
    let meta = |i: usize| &docs[i].meta;
    let mut cols: Vec<(String, Vec<Option<String>>)> = [
        "doc_a",
        "doc_b",
        "source",
        "target",
        "basis",
        "level_a",
        "level_b",
        "province_a",
        "province_b",
        "issued_a",
        "issued_b",
    ]
    .iter()
    .map(|n| (n.to_string(), Vec::new()))
    .collect();
    let (mut passages, mut chars_a, mut chars_b, mut share_a, mut share_b) =
        (vec![], vec![], vec![], vec![], vec![]);
    for p in &reuse.pairs {
        let values = [
            Some(meta(p.a).label.clone()),
            Some(meta(p.b).label.clone()),
            p.source.map(|x| meta(x).label.clone()),
            p.target().map(|x| meta(x).label.clone()),
            p.basis.map(|b| b.as_str().to_string()),
            meta(p.a).level.map(|l| l.as_str().to_string()),
            meta(p.b).level.map(|l| l.as_str().to_string()),
            text(&meta(p.a).province),
            text(&meta(p.b).province),
            meta(p.a).issued.map(|d| d.to_string()),
            meta(p.b).issued.map(|d| d.to_string()),
        ];
        for (c, v) in cols.iter_mut().zip(values) {
            c.1.push(v);
        }
        passages.push(p.passages.len() as u64);
        chars_a.push(p.a_chars as u64);
        chars_b.push(p.b_chars as u64);
        share_a.push(Some(round4(p.a_share)));
        share_b.push(Some(round4(p.b_share)));
    }
    let mut out: Vec<Column> = cols.into_iter().map(|(n, v)| os(&n, v)).collect();
    out.push(u("passages", passages));
    out.push(u("chars_a", chars_a));
    out.push(u("chars_b", chars_b));
    out.push(of("share_a", share_a));
    out.push(of("share_b", share_b));
    frame("reuse_pairs", out)
}
