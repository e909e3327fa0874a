//! How a model's decisions compare with the researcher's labels
//! (`label_metrics`).

use std::collections::BTreeMap;

use luoshi_align::{Aligner, Correction, DocumentAlignment, Id, ItemAlignment, Status};
use luoshi_core::ingest::RegionDocument;
use luoshi_core::taxonomy::NodeKind;
use polars::prelude::*;

use super::types::DocumentLabels;
use crate::corpus::{Table, round4};
use crate::error::{Error, Result};

/// A correction as a fixed answer: a confirmation becomes the model's
/// decision it confirms (so another model can be judged against it).
fn explicit(c: &Correction, model: &ItemAlignment) -> Correction {
    match c {
        Correction::Confirm => match (model.status, &model.requirement, &model.task) {
            (Status::Matched, Some(r), _) => Correction::Requirement(r.clone()),
            (Status::Task, _, Some(t)) => Correction::Task(t.clone()),
            _ => Correction::Extension,
        },
        c => c.clone(),
    }
}

/// Counts of one row of `label_metrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricCounts {
    /// Labelled items whose label says this key.
    pub labelled: usize,
    /// Labelled items the model put under this key.
    pub predicted: usize,
    /// Both.
    pub correct: usize,
}

impl MetricCounts {
    /// correct / predicted; None when nothing was predicted.
    pub fn precision(&self) -> Option<f64> {
        (self.predicted > 0).then(|| self.correct as f64 / self.predicted as f64)
    }

    /// correct / labelled; None when nothing is labelled.
    pub fn recall(&self) -> Option<f64> {
        (self.labelled > 0).then(|| self.correct as f64 / self.labelled as f64)
    }
}

/// How a model's decisions compare with the researcher's labels:
/// precision and recall overall, per status, per task (or `extension`)
/// and per document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    /// `(group, key)` → counts; groups `all`, `status`, `task`,
    /// `document`, in that order.
    pub rows: Vec<(String, String, MetricCounts)>,
}

impl Metrics {
    /// Compares `alignments` (a model's, one per document) with the
    /// labels' corrections. An item's decision is right when it agrees
    /// with its label at the level the label speaks
    /// ([`Correction::agrees`]); `ok` labels stand for the decision of
    /// `reference` (the model the researcher reviewed).
    pub fn measure(
        docs: &[RegionDocument],
        labels: &[DocumentLabels],
        reference: &[DocumentAlignment],
        alignments: &[(usize, &DocumentAlignment)],
        aligner: &Aligner,
    ) -> Metrics {
        let mut all = MetricCounts::default();
        const STATUSES: [Status; 3] = [Status::Matched, Status::Task, Status::Extension];
        let mut status: [MetricCounts; 3] = Default::default();
        let status_index = |s: Status| STATUSES.iter().position(|x| *x == s).unwrap_or(2);
        let mut tasks: BTreeMap<String, MetricCounts> = BTreeMap::new();
        let mut documents = Vec::new();
        for &(d, al) in alignments {
            let mut doc_counts = MetricCounts::default();
            let mut items: Vec<_> = labels[d].corrections.iter().collect();
            items.sort_by_key(|(i, _)| **i);
            for (item, c) in items {
                let (Some(model), Some(reviewed)) = (al.item(*item), reference[d].item(*item))
                else {
                    continue;
                };
                let c = explicit(c, reviewed);
                let right = c.agrees(model);
                for counts in [&mut all, &mut doc_counts] {
                    counts.labelled += 1;
                    counts.predicted += 1;
                    counts.correct += usize::from(right);
                }
                let (expected, got) = (c.status(model), model.status);
                status[status_index(expected)].labelled += 1;
                status[status_index(got)].predicted += 1;
                if expected == got {
                    status[status_index(got)].correct += 1;
                }
                let key = |t: Option<Id>| t.map_or("extension".to_string(), |t| t.to_string());
                let expected = key(aligner.corrected_task(&c, model));
                let got = key((model.status != Status::Extension)
                    .then(|| model.task.clone())
                    .flatten());
                tasks.entry(expected.clone()).or_default().labelled += 1;
                tasks.entry(got.clone()).or_default().predicted += 1;
                if expected == got {
                    tasks.entry(got).or_default().correct += 1;
                }
            }
            if doc_counts.labelled > 0 {
                documents.push((docs[d].meta.label.clone(), doc_counts));
            }
        }
        let mut rows = vec![("all".to_string(), "all".to_string(), all)];
        rows.extend(
            STATUSES
                .iter()
                .zip(status)
                .map(|(k, c)| ("status".to_string(), k.as_str().to_string(), c)),
        );
        // Tasks in taxonomy order (ids compared part by part), then
        // `extension`.
        let mut task_rows: Vec<(String, MetricCounts)> = tasks.into_iter().collect();
        task_rows.sort_by_key(|(k, _)| {
            k.split('.')
                .map(|p| p.parse::<u64>().unwrap_or(u64::MAX))
                .collect::<Vec<_>>()
        });
        rows.extend(
            task_rows
                .into_iter()
                .map(|(k, c)| ("task".to_string(), k, c)),
        );
        rows.extend(
            documents
                .into_iter()
                .map(|(k, c)| ("document".to_string(), k, c)),
        );
        Metrics { rows }
    }

    /// The overall counts.
    pub fn all(&self) -> MetricCounts {
        self.rows
            .iter()
            .find(|r| r.0 == "all")
            .map(|r| r.2.clone())
            .unwrap_or_default()
    }

    /// The `label_metrics` table.
    ///
    /// # Errors
    /// [`Error::Polars`] when the frame cannot be built.
    pub fn table(&self) -> Result<Table> {
        let col = |name: &str, f: &dyn Fn(&(String, String, MetricCounts)) -> String| {
            Column::new(name.into(), self.rows.iter().map(f).collect::<Vec<_>>())
        };
        let num = |name: &str, f: &dyn Fn(&MetricCounts) -> usize| {
            Column::new(
                name.into(),
                self.rows.iter().map(|r| f(&r.2) as u64).collect::<Vec<_>>(),
            )
        };
        let ratio = |name: &str, f: &dyn Fn(&MetricCounts) -> Option<f64>| {
            Column::new(
                name.into(),
                self.rows
                    .iter()
                    .map(|r| f(&r.2).map(round4))
                    .collect::<Vec<_>>(),
            )
        };
        let frame = DataFrame::new_infer_height(vec![
            col("group", &|r| r.0.clone()),
            // Task ids as every table writes them (`T1.10`).
            col("key", &|r| {
                if r.0 == "task" && r.1 != "extension" {
                    NodeKind::Task.table_id(&r.1)
                } else {
                    r.1.clone()
                }
            }),
            num("labelled", &|c| c.labelled),
            num("predicted", &|c| c.predicted),
            num("correct", &|c| c.correct),
            ratio("precision", &MetricCounts::precision),
            ratio("recall", &MetricCounts::recall),
        ])
        .map_err(Error::polars("label_metrics"))?;
        Ok(Table {
            name: "label_metrics",
            frame,
        })
    }

    /// A few lines for the terminal: overall agreement, and precision and
    /// recall per status.
    pub fn summary_text(&self) -> String {
        let pct = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{:.1}%", 100.0 * x));
        let all = self.all();
        let mut out = format!(
            "  agreement {}/{} = {}\n",
            all.correct,
            all.labelled,
            pct(all.recall())
        );
        for (g, k, c) in self.rows.iter().filter(|r| r.0 == "status") {
            let _ = g;
            out.push_str(&format!(
                "  {k:<10} labelled {:>4}  predicted {:>4}  precision {:>6}  recall {:>6}\n",
                c.labelled,
                c.predicted,
                pct(c.precision()),
                pct(c.recall())
            ));
        }
        out
    }
}
