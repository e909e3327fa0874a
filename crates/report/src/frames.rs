//! The coverage tables as polars DataFrames.

use std::collections::BTreeMap;

use luoshi_align::{CoverageStatus, DocumentAlignment, Status};
use luoshi_core::ingest::{ItemKind, RegionDocument};
use luoshi_core::taxonomy::{NodeKind, Taxonomy};
use polars::prelude::*;

use crate::error::{Error, Result};

/// The aligned corpus the tables are built from: documents and their
/// alignments, index for index.
#[derive(Debug, Clone, Copy)]
pub struct Corpus<'a> {
    /// The taxonomy aligned against.
    pub taxonomy: &'a Taxonomy,
    /// The ingested documents, in manifest order.
    pub docs: &'a [RegionDocument],
    /// Their alignments, same order.
    pub alignments: &'a [DocumentAlignment],
    /// Documents the run skipped (listed in `summary` with their error).
    pub skipped: &'a [crate::run::Skipped],
}

/// One named table.
#[derive(Debug, Clone)]
pub struct Table {
    /// File stem (`alignment`, `coverage_status`, …).
    pub name: &'static str,
    /// The data.
    pub frame: DataFrame,
}

fn frame(name: &'static str, columns: Vec<Column>) -> Result<Table> {
    let frame = DataFrame::new_infer_height(columns).map_err(Error::polars(name))?;
    Ok(Table { name, frame })
}

/// Shorthand constructors for typed columns.
fn s(name: &str, v: Vec<String>) -> Column {
    Column::new(name.into(), v)
}
fn os(name: &str, v: Vec<Option<String>>) -> Column {
    Column::new(name.into(), v)
}
fn f(name: &str, v: Vec<f64>) -> Column {
    Column::new(name.into(), v)
}
fn of(name: &str, v: Vec<Option<f64>>) -> Column {
    Column::new(name.into(), v)
}
fn u(name: &str, v: Vec<u64>) -> Column {
    Column::new(name.into(), v)
}
fn ou(name: &str, v: Vec<Option<u64>>) -> Column {
    Column::new(name.into(), v)
}

/// Status value of a requirement's coverage as a number: covered 1,
/// partial ½, omitted 0.
fn credit(s: CoverageStatus) -> f64 {
    match s {
        CoverageStatus::Covered => 1.0,
        CoverageStatus::Partial => 0.5,
        CoverageStatus::Omitted => 0.0,
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Corpus<'_> {
    /// `alignment`: one row per ingested item of every document.
    pub fn alignment(&self) -> Result<Table> {
        let mut c: BTreeMap<&str, Vec<Option<String>>> = BTreeMap::new();
        let (mut item_id, mut start, mut end, mut row) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut score, mut rscore, mut margin, mut nscore) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut confidence = Vec::new();
        let names = [
            "doc",
            "file",
            "kind",
            "status",
            "requirement_id",
            "task_id",
            "area_id",
            "runner_up_id",
            "units",
            "deadline",
            "text",
            "duplicate_of",
            "heading_path",
            "statement",
            "nearest_id",
            "heading_task_id",
            "covers",
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
                push("doc", Some(doc.meta.label.clone()));
                push("file", Some(doc.meta.file.clone()));
                item_id.push(it.id.0 as u64);
                start.push(it.span.start as u64);
                end.push(it.span.end as u64);
                row.push(it.row.map(u64::from));
                push("kind", Some(it.kind.as_str().to_string()));
                push("status", a.map(|a| a.status.as_str().to_string()));
                push(
                    "requirement_id",
                    a.and_then(|a| a.requirement.as_deref().map(str::to_string)),
                );
                push(
                    "task_id",
                    a.and_then(|a| a.task.as_deref().map(str::to_string)),
                );
                push(
                    "area_id",
                    a.and_then(|a| a.area.as_deref().map(str::to_string)),
                );
                score.push(a.map(|a| round4(a.score)));
                confidence.push(a.map(|a| round4(a.confidence)));
                push(
                    "runner_up_id",
                    a.and_then(|a| a.runner_up.as_ref().map(|r| r.id.to_string())),
                );
                rscore.push(a.and_then(|a| a.runner_up.as_ref().map(|r| round4(r.score))));
                margin.push(a.map(|a| round4(a.margin)));
                push("units", Some(it.units.join("、")));
                push("deadline", it.deadline.clone());
                push("text", Some(doc.raw(it).to_string()));
                push(
                    "duplicate_of",
                    match it.kind {
                        ItemKind::Duplicate { of } => Some(of.0.to_string()),
                        _ => None,
                    },
                );
                push("heading_path", Some(it.heading_path.join(" > ")));
                push("statement", (!it.body.is_empty()).then(|| doc.body(it)));
                push(
                    "nearest_id",
                    a.and_then(|a| a.nearest.as_ref().map(|n| n.id.to_string())),
                );
                nscore.push(a.and_then(|a| a.nearest.as_ref().map(|n| round4(n.score))));
                push(
                    "heading_task_id",
                    a.and_then(|a| a.heading_task.as_deref().map(str::to_string)),
                );
                push(
                    "covers",
                    a.map(|a| {
                        a.covers
                            .iter()
                            .map(|c| &*c.id)
                            .collect::<Vec<_>>()
                            .join(" ")
                    }),
                );
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
                take("units"),
                take("deadline"),
                take("text"),
                of("margin", margin),
                take("nearest_id"),
                of("nearest_score", nscore),
                take("heading_task_id"),
                take("covers"),
                ou("row", row),
                take("duplicate_of"),
                take("heading_path"),
                take("statement"),
                take("evidence_item"),
                take("evidence_requirement"),
            ],
        )
    }

    fn requirement_columns(&self) -> Vec<Column> {
        let t = self.taxonomy;
        let reqs: Vec<_> = t.requirements().collect();
        let id = |n| t.node(n).id.clone();
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

    /// `coverage_long`: one row per document × requirement.
    pub fn coverage_long(&self) -> Result<Table> {
        let (mut doc, mut file, mut req, mut task, mut area, mut status, mut score, mut items) = (
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
            for c in &al.coverage {
                doc.push(d.meta.label.clone());
                file.push(d.meta.file.clone());
                req.push(c.requirement.to_string());
                task.push(c.task.to_string());
                area.push(c.area.to_string());
                status.push(c.status.as_str().to_string());
                score.push(round4(c.score));
                items.push(
                    c.items
                        .iter()
                        .map(|i| i.0.to_string())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
        }
        frame(
            "coverage_long",
            vec![
                s("doc", doc),
                s("file", file),
                s("requirement_id", req),
                s("task_id", task),
                s("area_id", area),
                s("status", status),
                f("score", score),
                s("item_ids", items),
            ],
        )
    }

    /// Share of the requirements under `node` a document covers (partial
    /// counts half).
    fn share(&self, al: &DocumentAlignment, node_id: &str, kind: NodeKind) -> f64 {
        let under: Vec<&luoshi_align::RequirementCoverage> = al
            .coverage
            .iter()
            .filter(|c| match kind {
                NodeKind::Task => &*c.task == node_id,
                NodeKind::Area => &*c.area == node_id,
                _ => true,
            })
            .collect();
        if under.is_empty() {
            return 0.0;
        }
        round4(under.iter().map(|c| credit(c.status)).sum::<f64>() / under.len() as f64)
    }

    fn roll_up(&self, name: &'static str, kind: NodeKind) -> Result<Table> {
        let t = self.taxonomy;
        let nodes: Vec<_> = t.of_kind(kind).collect();
        let key = if kind == NodeKind::Task {
            "task_id"
        } else {
            "area_id"
        };
        let mut cols = vec![s(
            key,
            nodes.iter().map(|&n| t.node(n).id.clone()).collect(),
        )];
        if kind == NodeKind::Task {
            cols.push(s(
                "area_id",
                nodes
                    .iter()
                    .map(|&n| {
                        t.enclosing(n, NodeKind::Area)
                            .map(|a| t.node(a).id.clone())
                            .unwrap_or_default()
                    })
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
            cols.push(f(
                &doc.meta.label,
                nodes
                    .iter()
                    .map(|&n| self.share(al, &t.node(n).id, kind))
                    .collect(),
            ));
        }
        frame(name, cols)
    }

    /// `task_coverage`: tasks × documents, share of requirements covered.
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
                let it = &d.items[a.item.0 as usize];
                doc.push(d.meta.label.clone());
                file.push(d.meta.file.clone());
                id.push(a.item.0 as u64);
                text.push(d.raw(it).to_string());
                units.push(it.units.join("、"));
                near.push(a.nearest.as_ref().map(|n| n.id.to_string()));
                score.push(round4(a.nearest.as_ref().map_or(0.0, |n| n.score)));
                heading.push(it.heading_path.join(" > "));
            }
        }
        frame(
            "extensions",
            vec![
                s("doc", doc),
                s("file", file),
                u("item_id", id),
                s("text", text),
                s("units", units),
                os("nearest_requirement_id", near),
                f("nearest_score", score),
                s("heading_path", heading),
            ],
        )
    }

    /// `summary`: one row per document: the format and encoding it was
    /// read from, item and coverage counts,
    /// coverage rates, and the document-level reading (the focus area, the
    /// heading agreement).
    pub fn summary(&self) -> Result<Table> {
        let t = self.taxonomy;
        let areas: Vec<String> = t.areas().map(|a| t.node(a).id.clone()).collect();
        let mut cols: BTreeMap<String, Vec<u64>> = BTreeMap::new();
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
        let (mut doc, mut file, mut rate) = (vec![], vec![], vec![]);
        let (mut format, mut encoding) = (vec![], vec![]);
        let (mut focus, mut agreement) = (vec![], vec![]);
        let mut area_rates: Vec<Vec<f64>> = vec![Vec::new(); areas.len()];
        for (d, al) in self.docs.iter().zip(self.alignments) {
            doc.push(d.meta.label.clone());
            file.push(d.meta.file.clone());
            format.push(d.format.as_str().to_string());
            encoding.push(d.encoding.to_string());
            let [req, head, boil, dup] = d.kind_counts();
            let status = |s: Status| al.items.iter().filter(|a| a.status == s).count() as u64;
            let cov =
                |s: CoverageStatus| al.coverage.iter().filter(|c| c.status == s).count() as u64;
            let values = [
                d.items.len() as u64,
                req as u64,
                head as u64,
                boil as u64,
                dup as u64,
                status(Status::Matched),
                status(Status::Task),
                status(Status::Extension),
                cov(CoverageStatus::Covered),
                cov(CoverageStatus::Partial),
                cov(CoverageStatus::Omitted),
            ];
            for (k, v) in counters.iter().zip(values) {
                cols.entry(k.to_string()).or_default().push(v);
            }
            rate.push(self.share(al, "", NodeKind::Document));
            focus.push(al.focus.as_deref().map(str::to_string));
            agreement.push(al.heading_agreement.map(round4));
            for (i, a) in areas.iter().enumerate() {
                area_rates[i].push(self.share(al, a, NodeKind::Area));
            }
        }
        // Skipped documents: a row each, zero counts, and the error.
        // A document read with doubts (an implausible decoding, a
        // declared charset that did not fit, PDF pages without text) is
        // flagged, its doubts in `error`.
        let mut status: Vec<String> = self
            .docs
            .iter()
            .map(|d| {
                if d.warnings.is_empty() {
                    "ok"
                } else {
                    "flagged"
                }
                .to_string()
            })
            .collect();
        let mut error: Vec<String> = self.docs.iter().map(|d| d.warnings.join("; ")).collect();
        for sk in self.skipped {
            doc.push(sk.label.clone());
            file.push(sk.file.clone());
            format.push(String::new());
            encoding.push(String::new());
            for k in counters {
                cols.entry(k.to_string()).or_default().push(0);
            }
            rate.push(0.0);
            focus.push(None);
            agreement.push(None);
            area_rates.iter_mut().for_each(|r| r.push(0.0));
            status.push("skipped".into());
            error.push(sk.error.clone());
        }
        let mut out = vec![
            s("doc", doc),
            s("file", file),
            s("format", format),
            s("encoding", encoding),
        ];
        for k in counters {
            out.push(u(k, cols.remove(k).unwrap_or_default()));
        }
        out.push(f("coverage_rate", rate));
        for (a, r) in areas.iter().zip(area_rates) {
            out.push(f(&format!("area_{a}_coverage"), r));
        }
        // The document reading (DESIGN.md, "Deciding"): the area the
        // document is about, if any, and how often its headings name the
        // task its items match on their own words.
        out.push(os("focus_area", focus));
        out.push(of("heading_agreement", agreement));
        out.push(s("status", status));
        out.push(s("error", error));
        frame("summary", out)
    }

    /// All tables, in the order they are written.
    pub fn tables(&self) -> Result<Vec<Table>> {
        Ok(vec![
            self.alignment()?,
            self.coverage_status()?,
            self.coverage_scores()?,
            self.coverage_long()?,
            self.task_coverage()?,
            self.area_coverage()?,
            self.extensions()?,
            self.summary()?,
        ])
    }
}
