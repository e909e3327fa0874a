//! The document profile as tables: `profile` (one row per document),
//! `profile_tasks` (document × task), and the item columns it adds to
//! `alignment` (`copy_share`, `restated_share`, `quantities`,
//! `obligation`). Columns: docs/schema.md.

use luoshi_analysis::{DocumentProfile, Measures, Obligation, Use};
use luoshi_core::DocumentMeta;
use luoshi_core::ingest::ItemKind;
use luoshi_core::taxonomy::NodeKind;
use polars::prelude::Column;

use crate::corpus::{Corpus, Table, round4};
use crate::error::Result;
use crate::frames::{frame, ls, meta_columns, of, os, ou, s};

/// Shares of a sum: fidelity, copy share, and the item shares, in the
/// order of `SHARES`.
fn shares(m: &Measures) -> [Option<f64>; 7] {
    [
        m.fidelity(),
        m.copy_share(),
        m.share(m.unit),
        m.share(m.deadline),
        m.share(m.quantity),
        m.share(m.specific),
        m.share(m.only_restates),
    ]
}

/// The share columns' names.
const SHARES: [&str; 7] = [
    "fidelity",
    "copy_share",
    "unit_share",
    "deadline_share",
    "quantity_share",
    "specific_share",
    "only_restates_share",
];

/// `profile`: one row per document of the manifest (skipped ones with
/// their metadata and empty measures).
pub(crate) fn profile(corpus: &Corpus<'_>, profiles: &[DocumentProfile]) -> Result<Table> {
    let mut metas: Vec<&DocumentMeta> = Vec::new();
    let (mut national, mut lag) = (Vec::new(), Vec::new());
    let (mut items, mut chars) = (Vec::new(), Vec::new());
    let mut share_cols: Vec<Vec<Option<f64>>> = vec![Vec::new(); SHARES.len()];
    let (mut must, mut soft) = (Vec::new(), Vec::new());
    let mut uses: Vec<Vec<Option<u64>>> = vec![Vec::new(); 4];
    for (d, p) in corpus.docs.iter().zip(profiles) {
        metas.push(&d.meta);
        let m = p.measures();
        national.push(p.national_date.map(|x| x.to_string()));
        lag.push(p.response_lag);
        items.push(Some(m.items as u64));
        chars.push(Some(m.chars as u64));
        for (col, v) in share_cols.iter_mut().zip(shares(&m)) {
            col.push(v.map(round4));
        }
        let graded = |f: &dyn Fn(Obligation) -> bool| {
            m.share(p.items.iter().filter(|i| f(i.obligation)).count())
                .map(round4)
        };
        must.push(graded(&|o| o == Obligation::Must));
        soft.push(graded(&|o| o <= Obligation::Encouraged));
        let counts = [
            p.count(Use::Kept),
            p.count(Use::Reworded),
            p.count(Use::Omitted),
            p.extended,
        ];
        for (col, v) in uses.iter_mut().zip(counts) {
            col.push(Some(v as u64));
        }
    }
    for sk in corpus.skipped {
        metas.push(&sk.meta);
        national.push(corpus.taxonomy.meta().date.map(|x| x.to_string()));
        lag.push(None);
        items.push(None);
        chars.push(None);
        share_cols.iter_mut().for_each(|c| c.push(None));
        must.push(None);
        soft.push(None);
        uses.iter_mut().for_each(|c| c.push(None));
    }
    let mut cols = meta_columns(&metas);
    cols.push(os("national_date", national));
    cols.push(Column::new("response_lag_days".into(), lag));
    cols.push(ou("requirement_items", items));
    cols.push(ou("statement_chars", chars));
    for (name, v) in SHARES.iter().zip(share_cols) {
        cols.push(of(name, v));
    }
    cols.push(of("must_share", must));
    cols.push(of("soft_share", soft));
    for (name, v) in ["kept", "reworded", "omitted", "extended"].iter().zip(uses) {
        cols.push(ou(name, v));
    }
    frame("profile", cols)
}

/// `profile_tasks`: one row per document × national task.
pub(crate) fn profile_tasks(corpus: &Corpus<'_>, profiles: &[DocumentProfile]) -> Result<Table> {
    let t = corpus.taxonomy;
    // (the task's id, as the tables write it, its area as they write it)
    let tasks: Vec<(String, String, String)> = t
        .of_kind(NodeKind::Task)
        .map(|n| {
            let area = t
                .enclosing(n, NodeKind::Area)
                .map(|a| corpus.tid(&t.node(a).id))
                .unwrap_or_default();
            let id = t.node(n).id.clone();
            let shown = corpus.tid(&id);
            (id, shown, area)
        })
        .collect();
    let (mut doc, mut task, mut area, mut items) = (vec![], vec![], vec![], vec![]);
    let mut share_cols: Vec<Vec<Option<f64>>> = vec![Vec::new(); SHARES.len()];
    let mut uses: Vec<Vec<Option<u64>>> = vec![Vec::new(); 3];
    for (d, p) in corpus.docs.iter().zip(profiles) {
        for (id, shown, a) in &tasks {
            let m = p.task_measures(id);
            doc.push(d.meta.label.clone());
            task.push(shown.clone());
            area.push(a.clone());
            items.push(Some(m.items as u64));
            for (col, v) in share_cols.iter_mut().zip(shares(&m)) {
                col.push(v.map(round4));
            }
            let count = |u: Use| {
                p.requirements
                    .iter()
                    .filter(|r| &*r.task == id && r.used == u)
                    .count() as u64
            };
            for (col, u) in uses
                .iter_mut()
                .zip([Use::Kept, Use::Reworded, Use::Omitted])
            {
                col.push(Some(count(u)));
            }
        }
    }
    let mut cols = vec![
        s("doc", doc),
        s("task_id", task),
        s("area_id", area),
        ou("requirement_items", items),
    ];
    for (name, v) in SHARES.iter().zip(share_cols) {
        cols.push(of(name, v));
    }
    for (name, v) in ["kept", "reworded", "omitted"].iter().zip(uses) {
        cols.push(ou(name, v));
    }
    frame("profile_tasks", cols)
}

/// The columns the profile adds to `alignment`, one value per item of
/// every document in document order (empty for items that are not
/// requirement items): `copy_share`, `restated_share`, `quantities`,
/// `obligation`.
pub(crate) fn alignment_columns(corpus: &Corpus<'_>, profiles: &[DocumentProfile]) -> Vec<Column> {
    let (mut copy, mut restated, mut quantities, mut obligation) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (d, p) in corpus.docs.iter().zip(profiles) {
        for it in &d.items {
            let ip = (it.kind == ItemKind::Requirement)
                .then(|| p.item(it.id))
                .flatten();
            copy.push(ip.and_then(|i| i.copy_share()).map(round4));
            restated.push(ip.and_then(|i| i.restated_share()).map(round4));
            quantities.push(ip.map(|i| i.quantities.clone()));
            obligation.push(ip.map(|i| i.obligation.as_str().to_string()));
        }
    }
    vec![
        of("copy_share", copy),
        of("restated_share", restated),
        ls("quantities", quantities),
        os("obligation", obligation),
    ]
}
