//! The coverage tables as polars DataFrames.

use std::collections::BTreeMap;

use luoshi_align::{CoverageStatus, DocumentAlignment, Status};
use luoshi_core::DocumentMeta;
use luoshi_core::ingest::ItemKind;
use luoshi_core::taxonomy::NodeKind;
use polars::prelude::*;

use crate::corpus::{Corpus, Table, round4};
use crate::error::{Error, Result};

pub(crate) fn frame(name: &'static str, columns: Vec<Column>) -> Result<Table> {
    let frame = DataFrame::new_infer_height(columns).map_err(Error::polars(name))?;
    Ok(Table { name, frame })
}

/// Shorthand constructors for typed columns.
pub(crate) fn s(name: &str, v: Vec<String>) -> Column {
    Column::new(name.into(), v)
}
pub(crate) fn os(name: &str, v: Vec<Option<String>>) -> Column {
    Column::new(name.into(), v)
}
pub(crate) fn f(name: &str, v: Vec<f64>) -> Column {
    Column::new(name.into(), v)
}
pub(crate) fn of(name: &str, v: Vec<Option<f64>>) -> Column {
    Column::new(name.into(), v)
}
pub(crate) fn u(name: &str, v: Vec<u64>) -> Column {
    Column::new(name.into(), v)
}
pub(crate) fn ou(name: &str, v: Vec<Option<u64>>) -> Column {
    Column::new(name.into(), v)
}
pub(crate) fn ou32(name: &str, v: Vec<Option<u32>>) -> Column {
    Column::new(name.into(), v)
}
/// A list-of-strings column (Parquet `list<string>`; in CSV the values
/// joined by [`LIST_SEPARATOR`]).
pub(crate) fn ls(name: &str, v: Vec<Option<Vec<String>>>) -> Column {
    list(name, v, DataType::String)
}
/// A list-of-integers column.
fn lu(name: &str, v: Vec<Option<Vec<u64>>>) -> Column {
    list(name, v, DataType::UInt64)
}
fn list<T>(name: &str, v: Vec<Option<Vec<T>>>, inner: DataType) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    let ca: ListChunked = v
        .into_iter()
        .map(|x| x.map(|x| Series::new(PlSmallStr::EMPTY, x)))
        .collect();
    let series = ca.into_series().with_name(name.into());
    // An all-empty column would otherwise be `list<null>`.
    series
        .cast(&DataType::List(Box::new(inner)))
        .unwrap_or(series)
        .into_column()
}

/// How multi-value cells (lists) are written in CSV: values joined by this
/// one separator, in order.
pub const LIST_SEPARATOR: &str = "|";

/// The names of the tables, in the order they are written.
pub const TABLE_NAMES: [&str; 13] = [
    "alignment",
    "coverage_status",
    "coverage_scores",
    "coverage_long",
    "task_coverage",
    "area_coverage",
    "extensions",
    "summary",
    "review",
    "profile",
    "profile_tasks",
    "reuse",
    "reuse_pairs",
];

/// Column names a document label may not take: the fixed columns of the
/// tables that have one column per document.
pub const RESERVED_COLUMNS: [&str; 5] = [
    "requirement_id",
    "task_id",
    "area_id",
    "title",
    "requirements",
];

/// The credit a requirement's coverage earns: covered 1, partial ½,
/// omitted 0. The one definition behind every share luoshi reports.
pub(crate) fn credit(s: CoverageStatus) -> f64 {
    match s {
        CoverageStatus::Covered => 1.0,
        CoverageStatus::Partial => 0.5,
        CoverageStatus::Omitted => 0.0,
    }
}

/// The mean credit of some requirements' coverage; `None` when there are
/// none (no data is not zero).
pub(crate) fn share<'a>(
    coverage: impl IntoIterator<Item = &'a luoshi_align::RequirementCoverage>,
) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for c in coverage {
        sum += credit(c.status);
        n += 1;
    }
    (n > 0).then(|| sum / n as f64)
}

/// Share of the requirements under a task or area that a document covers
/// (partial counts half); `None` when the node has no requirements.
pub(crate) fn node_share(al: &DocumentAlignment, node_id: &str, kind: NodeKind) -> Option<f64> {
    share(al.coverage.iter().filter(|c| match kind {
        NodeKind::Task => &*c.task == node_id,
        NodeKind::Area => &*c.area == node_id,
        _ => true,
    }))
}

/// The manifest metadata of each row's document: `doc`, `file`,
/// `region`, `level`, `province`, `year`, `number`, `issued`,
/// `published`, `doc_title` (empty where the manifest does not say).
pub(crate) fn meta_columns(metas: &[&DocumentMeta]) -> Vec<Column> {
    let text = |v: &str| (!v.is_empty()).then(|| v.to_string());
    vec![
        s("doc", metas.iter().map(|m| m.label.clone()).collect()),
        s("file", metas.iter().map(|m| m.file.clone()).collect()),
        os("region", metas.iter().map(|m| text(&m.region)).collect()),
        os(
            "level",
            metas
                .iter()
                .map(|m| m.level.map(|l| l.as_str().to_string()))
                .collect(),
        ),
        os(
            "province",
            metas.iter().map(|m| text(&m.province)).collect(),
        ),
        ou32(
            "year",
            metas.iter().map(|m| m.year.map(u32::from)).collect(),
        ),
        os("number", metas.iter().map(|m| m.number.clone()).collect()),
        os(
            "issued",
            metas
                .iter()
                .map(|m| m.issued.map(|d| d.to_string()))
                .collect(),
        ),
        os(
            "published",
            metas
                .iter()
                .map(|m| m.published.map(|d| d.to_string()))
                .collect(),
        ),
        os("doc_title", metas.iter().map(|m| m.title.clone()).collect()),
    ]
}

impl Corpus<'_> {
    /// `alignment`: one row per ingested item of every document.
    pub fn alignment(&self) -> Result<Table> {
        let mut c: BTreeMap<&str, Vec<Option<String>>> = BTreeMap::new();
        let (mut item_id, mut start, mut end, mut row) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut units, mut heading_path, mut covers, mut spans) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut score, mut rscore, mut margin, mut nscore) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut confidence = Vec::new();
        let names = [
            "source",
            "doc",
            "file",
            "kind",
            "status",
            "requirement_id",
            "task_id",
            "area_id",
            "runner_up_id",
            "deadline",
            "text",
            "duplicate_of",
            "nearest_id",
            "heading_task_id",
            "evidence_item",
            "evidence_requirement",
        ];
        for n in names {
            c.insert(n, Vec::new());
        }
        let mut push = |k: &str, v: Option<String>| c.get_mut(k).map(|x| x.push(v));
        for (doc, al) in self.docs.iter().zip(self.alignments) {
            for it in &doc.items {
                let a = if it.kind == ItemKind::Requirement {
                    al.item(it.id)
                } else {
                    None
                };
                // A heading carries what it names: task, area or own.
                let h = if it.kind == ItemKind::Heading {
                    al.heading(it.id)
                } else {
                    None
                };
                push("doc", Some(doc.meta.label.clone()));
                push("file", Some(doc.meta.file.clone()));
                item_id.push(it.id.0 as u64);
                start.push(it.span.start as u64);
                end.push(it.span.end as u64);
                row.push(it.row.map(u64::from));
                push("kind", Some(it.kind.as_str().to_string()));
                push(
                    "status",
                    a.map(|a| a.status.as_str().to_string())
                        .or_else(|| h.map(|h| h.status.as_str().to_string())),
                );
                push(
                    "requirement_id",
                    a.and_then(|a| a.requirement.as_deref().map(|r| self.tid(r))),
                );
                push(
                    "task_id",
                    a.and_then(|a| a.task.as_deref())
                        .or_else(|| h.and_then(|h| h.task.as_deref()))
                        .map(|t| self.tid(t)),
                );
                push(
                    "area_id",
                    a.and_then(|a| a.area.as_deref())
                        .or_else(|| h.and_then(|h| h.area.as_deref()))
                        .map(|x| self.tid(x)),
                );
                score.push(a.map(|a| round4(a.score)).or(h.map(|h| round4(h.score))));
                confidence.push(
                    a.map(|a| round4(a.confidence))
                        .or_else(|| h.and_then(|h| h.confidence).map(round4)),
                );
                push(
                    "source",
                    a.map(|a| a.source.as_str().to_string())
                        .or_else(|| h.map(|_| "model".to_string())),
                );
                push(
                    "runner_up_id",
                    a.and_then(|a| a.runner_up.as_ref().map(|r| self.tid(&r.id))),
                );
                rscore.push(a.and_then(|a| a.runner_up.as_ref().map(|r| round4(r.score))));
                margin.push(a.map(|a| round4(a.margin)));
                units.push(Some(it.units.clone()));
                push("deadline", it.deadline.clone());
                let raw = doc.raw(it);
                push("text", Some(raw.to_string()));
                push(
                    "duplicate_of",
                    match it.kind {
                        ItemKind::Duplicate { of } => Some(of.0.to_string()),
                        _ => None,
                    },
                );
                heading_path.push(Some(it.heading_path.clone()));
                // Each item's text is written once: the statement (the text
                // less lifted units and splices) as the character ranges of
                // `text` it is made of.
                spans.push((!it.body.is_empty()).then(|| {
                    it.body
                        .iter()
                        .map(|r| {
                            let at = |b: usize| {
                                raw.get(..b.saturating_sub(it.span.start))
                                    .map_or(0, |p| p.chars().count())
                            };
                            format!("{}-{}", at(r.start), at(r.end))
                        })
                        .collect()
                }));
                push(
                    "nearest_id",
                    a.and_then(|a| a.nearest.as_ref().map(|n| self.tid(&n.id))),
                );
                nscore.push(a.and_then(|a| a.nearest.as_ref().map(|n| round4(n.score))));
                push(
                    "heading_task_id",
                    a.and_then(|a| a.heading_task.as_deref().map(|t| self.tid(t))),
                );
                covers.push(a.map(|a| a.covers.iter().map(|c| self.tid(&c.id)).collect()));
                push(
                    "evidence_item",
                    a.and_then(|a| a.evidence.as_ref().map(|e| e.item_excerpt.clone())),
                );
                push(
                    "evidence_requirement",
                    a.and_then(|a| a.evidence.as_ref().map(|e| e.requirement_excerpt.clone())),
                );
            }
        }
        let mut take = |k: &str| os(k, c.remove(k).unwrap_or_default());
        frame(
            "alignment",
            vec![
                take("doc"),
                take("file"),
                u("item_id", item_id),
                u("start", start),
                u("end", end),
                take("kind"),
                take("status"),
                take("requirement_id"),
                take("task_id"),
                take("area_id"),
                of("score", score),
                of("confidence", confidence),
                take("runner_up_id"),
                of("runner_up_score", rscore),
                ls("units", units),
                take("deadline"),
                take("text"),
                of("margin", margin),
                take("nearest_id"),
                of("nearest_score", nscore),
                take("heading_task_id"),
                ls("covers", covers),
                ou("row", row),
                take("duplicate_of"),
                ls("heading_path", heading_path),
                ls("statement_spans", spans),
                take("evidence_item"),
                take("evidence_requirement"),
                take("source"),
            ],
        )
    }

    fn requirement_columns(&self) -> Vec<Column> {
        let t = self.taxonomy;
        let reqs: Vec<_> = t.requirements().collect();
        let id = |n| {
            let node = t.node(n);
            node.kind.table_id(&node.id)
        };
        vec![
            s("requirement_id", reqs.iter().map(|&r| id(r)).collect()),
            s(
                "task_id",
                reqs.iter()
                    .map(|&r| t.enclosing(r, NodeKind::Task).map(id).unwrap_or_default())
                    .collect(),
            ),
            s(
                "area_id",
                reqs.iter()
                    .map(|&r| t.enclosing(r, NodeKind::Area).map(id).unwrap_or_default())
                    .collect(),
            ),
            s(
                "title",
                reqs.iter().map(|&r| t.node(r).title.clone()).collect(),
            ),
        ]
    }

    /// `coverage_status`: requirements × documents, `covered` / `partial`
    /// / `omitted`.
    pub fn coverage_status(&self) -> Result<Table> {
        let mut cols = self.requirement_columns();
        for (doc, al) in self.docs.iter().zip(self.alignments) {
            cols.push(s(
                &doc.meta.label,
                al.coverage
                    .iter()
                    .map(|c| c.status.as_str().to_string())
                    .collect(),
            ));
        }
        frame("coverage_status", cols)
    }

    /// `coverage_scores`: requirements × documents, best score in [0, 1].
    pub fn coverage_scores(&self) -> Result<Table> {
        let mut cols = self.requirement_columns();
        for (doc, al) in self.docs.iter().zip(self.alignments) {
            cols.push(f(
                &doc.meta.label,
                al.coverage.iter().map(|c| round4(c.score)).collect(),
            ));
        }
        frame("coverage_scores", cols)
    }

    /// `coverage_long`: one row per document × requirement, with the
    /// document's manifest metadata, so no join is needed.
    pub fn coverage_long(&self) -> Result<Table> {
        let (mut req, mut task, mut area, mut status, mut score, mut items) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        let mut metas = Vec::new();
        for (d, al) in self.docs.iter().zip(self.alignments) {
            for c in &al.coverage {
                metas.push(&d.meta);
                req.push(self.tid(&c.requirement));
                task.push(self.tid(&c.task));
                area.push(self.tid(&c.area));
                status.push(c.status.as_str().to_string());
                score.push(round4(c.score));
                items.push(Some(c.items.iter().map(|i| i.0 as u64).collect()));
            }
        }
        let mut cols = meta_columns(&metas);
        cols.extend([
            s("requirement_id", req),
            s("task_id", task),
            s("area_id", area),
            s("status", status),
            f("score", score),
            lu("item_ids", items),
        ]);
        frame("coverage_long", cols)
    }

    fn roll_up(&self, name: &'static str, kind: NodeKind) -> Result<Table> {
        let t = self.taxonomy;
        let nodes: Vec<_> = t.of_kind(kind).collect();
        let key = if kind == NodeKind::Task {
            "task_id"
        } else {
            "area_id"
        };
        let id = |n| {
            let node = t.node(n);
            node.kind.table_id(&node.id)
        };
        let mut cols = vec![s(key, nodes.iter().map(|&n| id(n)).collect())];
        if kind == NodeKind::Task {
            cols.push(s(
                "area_id",
                nodes
                    .iter()
                    .map(|&n| t.enclosing(n, NodeKind::Area).map(id).unwrap_or_default())
                    .collect(),
            ));
        }
        cols.push(s(
            "title",
            nodes.iter().map(|&n| t.node(n).title.clone()).collect(),
        ));
        cols.push(u(
            "requirements",
            nodes
                .iter()
                .map(|&n| t.requirements_under(n).len() as u64)
                .collect(),
        ));
        for (doc, al) in self.docs.iter().zip(self.alignments) {
            cols.push(of(
                &doc.meta.label,
                nodes
                    .iter()
                    .map(|&n| node_share(al, &t.node(n).id, kind).map(round4))
                    .collect(),
            ));
        }
        frame(name, cols)
    }

    /// `task_coverage`: tasks × documents, share of requirements covered
    /// (empty for a task without requirements).
    pub fn task_coverage(&self) -> Result<Table> {
        self.roll_up("task_coverage", NodeKind::Task)
    }

    /// `area_coverage`: areas × documents, share of requirements covered.
    pub fn area_coverage(&self) -> Result<Table> {
        self.roll_up("area_coverage", NodeKind::Area)
    }

    /// `extensions`: every extension item.
    pub fn extensions(&self) -> Result<Table> {
        let (mut doc, mut file, mut id, mut text, mut units, mut near, mut score, mut heading) = (
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
        );
        for (d, al) in self.docs.iter().zip(self.alignments) {
            for a in al.items.iter().filter(|a| a.status == Status::Extension) {
                let Some(it) = d.items.get(a.item.0 as usize) else {
                    continue;
                };
                doc.push(d.meta.label.clone());
                file.push(d.meta.file.clone());
                id.push(a.item.0 as u64);
                text.push(d.raw(it).to_string());
                units.push(Some(it.units.clone()));
                near.push(a.nearest.as_ref().map(|n| self.tid(&n.id)));
                score.push(a.nearest.as_ref().map(|n| round4(n.score)));
                heading.push(Some(it.heading_path.clone()));
            }
        }
        frame(
            "extensions",
            vec![
                s("doc", doc),
                s("file", file),
                u("item_id", id),
                s("text", text),
                ls("units", units),
                os("nearest_id", near),
                of("nearest_score", score),
                ls("heading_path", heading),
            ],
        )
    }

    /// `summary`: one row per document of the manifest: its metadata,
    /// item and coverage counts, coverage rates, and the document-level
    /// reading (the focus area, the heading agreement). A skipped document
    /// has `status = skipped`, its `error`, and empty counts and rates.
    pub fn summary(&self) -> Result<Table> {
        let t = self.taxonomy;
        let areas: Vec<String> = t.areas().map(|a| t.node(a).id.clone()).collect();
        let counters = [
            "items",
            "requirement_items",
            "headings",
            "boilerplate",
            "duplicates",
            "matched",
            "task",
            "extension",
            "covered",
            "partial",
            "omitted",
        ];
        let mut counts: Vec<Vec<Option<u64>>> = vec![Vec::new(); counters.len()];
        let mut metas = Vec::new();
        let mut rate = vec![];
        let (mut focus, mut agreement) = (vec![], vec![]);
        let mut area_rates: Vec<Vec<Option<f64>>> = vec![Vec::new(); areas.len()];
        let (mut status, mut error) = (vec![], vec![]);
        let (mut format, mut encoding) = (vec![], vec![]);
        for (d, al) in self.docs.iter().zip(self.alignments) {
            metas.push(&d.meta);
            format.push(Some(d.format.as_str().to_string()));
            encoding.push(Some(d.encoding.to_string()));
            let [req, head, boil, dup] = d.kind_counts();
            let st = |s: Status| al.items.iter().filter(|a| a.status == s).count() as u64;
            let cov =
                |s: CoverageStatus| al.coverage.iter().filter(|c| c.status == s).count() as u64;
            let values = [
                d.items.len() as u64,
                req as u64,
                head as u64,
                boil as u64,
                dup as u64,
                st(Status::Matched),
                st(Status::Task),
                st(Status::Extension),
                cov(CoverageStatus::Covered),
                cov(CoverageStatus::Partial),
                cov(CoverageStatus::Omitted),
            ];
            for (col, v) in counts.iter_mut().zip(values) {
                col.push(Some(v));
            }
            rate.push(share(&al.coverage).map(round4));
            focus.push(al.focus.as_deref().map(|a| self.tid(a)));
            agreement.push(al.heading_agreement.map(round4));
            for (i, a) in areas.iter().enumerate() {
                area_rates[i].push(node_share(al, a, NodeKind::Area).map(round4));
            }
            // A document read with doubts (an implausible decoding, a
            // declared charset that did not fit, PDF pages without text)
            // is flagged, its doubts in `error`.
            if d.warnings.is_empty() {
                status.push("ok".to_string());
                error.push(None);
            } else {
                status.push("flagged".to_string());
                error.push(Some(d.warnings.join("; ")));
            }
        }
        // Skipped documents: a row each, with their metadata and error;
        // what was not measured is empty, not zero.
        for sk in self.skipped {
            metas.push(&sk.meta);
            format.push(None);
            encoding.push(None);
            counts.iter_mut().for_each(|c| c.push(None));
            rate.push(None);
            focus.push(None);
            agreement.push(None);
            area_rates.iter_mut().for_each(|r| r.push(None));
            status.push("skipped".into());
            error.push(Some(sk.error.clone()));
        }
        let mut out = meta_columns(&metas);
        // After `doc` and `file`: how the document was read.
        out.splice(2..2, [os("format", format), os("encoding", encoding)]);
        out.push(s("status", status));
        out.push(os("error", error));
        for (k, v) in counters.iter().zip(counts) {
            out.push(ou(k, v));
        }
        out.push(of("coverage_rate", rate));
        for (a, r) in areas.iter().zip(area_rates) {
            out.push(of(&format!("area_{}_coverage", self.tid(a)), r));
        }
        // The document reading (DESIGN.md, "Deciding"): the area the
        // document is about, if any, and how often its headings name the
        // task its items match on their own words.
        out.push(os("focus_area", focus));
        out.push(of("heading_agreement", agreement));
        frame("summary", out)
    }
}
