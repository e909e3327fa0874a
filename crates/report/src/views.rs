//! The data of report.html's views beyond coverage: each document's
//! profile and per-task fidelity, and who copies whom with the shared
//! passages (drawn by `views.js`). Offsets into an item's text are
//! UTF-16, as JavaScript counts.

use std::collections::HashMap;

use luoshi_analysis::{Analyses, Belongs, DocumentProfile, Obligation, Use};
use luoshi_core::taxonomy::NodeKind;
use serde_json::{Value, json};

use crate::corpus::{Corpus, round4};
use crate::js::{num, utf16_at as utf16_len};

/// The page script of these views, appended to the page's own.
pub(crate) const SCRIPT: &str = include_str!("views.js");

fn belongs(b: &Belongs) -> Value {
    json!(
        b.requirement
            .as_deref()
            .or(b.task.as_deref())
            .map_or_else(|| b.status.as_str().to_string(), str::to_string)
    )
}

fn profile_json(corpus: &Corpus<'_>, p: &DocumentProfile) -> Value {
    let m = p.measures();
    let tasks: Vec<Value> = corpus
        .taxonomy
        .of_kind(NodeKind::Task)
        .enumerate()
        .filter_map(|(k, n)| {
            let t = p.task_measures(&corpus.taxonomy.node(n).id);
            (t.items > 0).then(|| json!([k, t.items, num(t.fidelity()), num(t.copy_share())]))
        })
        .collect();
    let graded = |f: &dyn Fn(Obligation) -> bool| {
        num(m.share(p.items.iter().filter(|i| f(i.obligation)).count()))
    };
    json!([
        p.response_lag,
        m.items,
        [
            num(m.fidelity()),
            num(m.copy_share()),
            num(m.share(m.unit)),
            num(m.share(m.deadline)),
            num(m.share(m.quantity)),
            num(m.share(m.only_restates)),
            graded(&|o| o == Obligation::Must),
            graded(&|o| o <= Obligation::Encouraged),
        ],
        [
            p.count(Use::Kept),
            p.count(Use::Reworded),
            p.count(Use::Omitted),
            p.extended,
        ],
        tasks,
    ])
}

/// The views' data: `profile` (per document: lag, items, shares, uses,
/// per-task fidelity) and `reuse` (pairs and passages), added to the
/// page's data object.
pub(crate) fn extend(data: &mut Value, corpus: &Corpus<'_>, analyses: &Analyses) {
    let profiles: Vec<Value> = analyses
        .profiles
        .iter()
        .map(|p| profile_json(corpus, p))
        .collect();
    let reuse = &analyses.reuse;
    let docs = corpus.docs;
    let pair_of: HashMap<(usize, usize), usize> = reuse
        .pairs
        .iter()
        .enumerate()
        .map(|(k, p)| ((p.a, p.b), k))
        .collect();
    let mut by_pair: Vec<Vec<Value>> = vec![Vec::new(); reuse.pairs.len()];
    for p in &reuse.passages {
        let Some(&k) = pair_of.get(&(p.a, p.b)) else {
            continue;
        };
        let side = |d: usize, item: luoshi_core::ItemId, span: &std::ops::Range<usize>| {
            let doc = &docs[d];
            let Some(it) = doc.items.get(item.0 as usize) else {
                return json!([item.0, null, null]);
            };
            let raw = doc.raw(it);
            let rel = |b: usize| utf16_len(raw, b.saturating_sub(it.span.start));
            json!([item.0, rel(span.start), rel(span.end)])
        };
        by_pair[k].push(json!([
            side(p.a, p.a_item, &p.a_span),
            side(p.b, p.b_item, &p.b_span),
            p.chars,
            round4(p.similarity),
            belongs(&p.a_belongs),
            belongs(&p.b_belongs),
        ]));
    }
    let pairs: Vec<Value> = reuse
        .pairs
        .iter()
        .zip(by_pair)
        .map(|(p, passages)| {
            json!([
                p.a,
                p.b,
                p.source,
                p.basis.map(|b| b.as_str()),
                p.a_chars,
                p.b_chars,
                round4(p.a_share),
                round4(p.b_share),
                passages,
            ])
        })
        .collect();
    if let Value::Object(o) = data {
        o.insert(
            "profile".into(),
            json!({
                "national_date": corpus.taxonomy.meta().date.map(|d| d.to_string()),
                "docs": profiles,
            }),
        );
        o.insert("reuse".into(), json!({ "pairs": pairs }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_lengths() {
        let s = "a政务𝌆b";
        for (b, want) in [(0, 0), (1, 1), (4, 2), (11, 5), (99, 6), (2, 1)] {
            assert_eq!(utf16_len(s, b), want, "byte {b}");
        }
    }
}
