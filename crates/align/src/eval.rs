//! Evaluation against a hand-labelled development set: each label names a
//! statement of a document (by a snippet of its text) and the national
//! task it belongs to, or `extension`. Used to calibrate the defaults of
//! [`crate::AlignConfig`] and to report accuracy per document and area.
//!
//! ```toml
//! seed = "004_6c8f8c4c595500ac.txt"
//!
//! [[label]]
//! snippet = "加强财政、金融、就业等政策解读"
//! task = "1.1"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use luoshi_core::ingest::{ItemKind, RegionDocument};
use serde::{Deserialize, Serialize};

use crate::aligner::{DocumentAlignment, Status};
use crate::error::{Error, Result};

/// One labelled statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// A snippet of the statement; its first occurrence locates it.
    pub snippet: String,
    /// The national task id, or `extension`.
    pub task: String,
    /// A note on hard cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The labels of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelFile {
    /// The document's file name.
    pub seed: String,
    /// Its labels, in document order.
    #[serde(default)]
    pub label: Vec<Label>,
}

impl LabelFile {
    /// Reads a label file.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Parse`] naming the file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| Error::Parse {
            path: path.to_path_buf(),
            line: e
                .span()
                .map(|s| luoshi_core::text::line_of(&text, s.start))
                .unwrap_or(0),
            message: e.message().to_string(),
        })
    }

    /// Reads every `*.toml` label file of a folder, sorted by name.
    ///
    /// # Errors
    /// As [`LabelFile::load`].
    pub fn load_dir(dir: &Path) -> Result<Vec<Self>> {
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        paths.iter().map(|p| Self::load(p)).collect()
    }
}

/// One label's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The document label.
    pub doc: String,
    /// The labelled snippet.
    pub snippet: String,
    /// The expected task or `extension`.
    pub expected: String,
    /// What the aligner said: a task id, `extension`, or the kind of the
    /// item when it is no requirement (`boilerplate`, `heading`).
    pub predicted: String,
}

impl Outcome {
    /// Whether the prediction is right.
    pub fn correct(&self) -> bool {
        self.expected == self.predicted
    }

    /// The expected area (`1`…`6`, or `extension`).
    pub fn area(&self) -> String {
        self.expected
            .split('.')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

/// Accuracy counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Right predictions.
    pub correct: usize,
    /// All labels.
    pub total: usize,
}

impl Tally {
    /// correct / total (1 when empty).
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }
}

/// Evaluates alignments against labels. Documents and alignments are
/// matched by file name; labels of documents not given are skipped.
pub fn evaluate(
    docs: &[RegionDocument],
    alignments: &[DocumentAlignment],
    labels: &[LabelFile],
) -> Vec<Outcome> {
    let mut out = Vec::new();
    for lf in labels {
        let Some(di) = docs.iter().position(|d| d.meta.file == lf.seed) else {
            continue;
        };
        let (doc, al) = (&docs[di], &alignments[di]);
        for l in &lf.label {
            let predicted = match doc.text.find(&l.snippet) {
                None => "missing".to_string(),
                Some(at) => predicted_task(doc, al, at),
            };
            out.push(Outcome {
                doc: doc.meta.label.clone(),
                snippet: l.snippet.clone(),
                expected: l.task.clone(),
                predicted,
            });
        }
    }
    out
}

/// What the aligner says of the statement at byte `at` of `doc`: its task
/// id, `extension`, or the kind of the item when that is no requirement
/// (`boilerplate`, `heading`); a repeat answers for its first occurrence.
pub fn predicted_task(doc: &RegionDocument, al: &DocumentAlignment, at: usize) -> String {
    let mut item = doc
        .items
        .iter()
        .find(|i| i.span.start <= at && at < i.span.end);
    if let Some(ItemKind::Duplicate { of }) = item.map(|i| i.kind) {
        item = doc.items.get(of.0 as usize);
    }
    match item {
        None => "missing".to_string(),
        Some(i) if i.kind != ItemKind::Requirement => i.kind.as_str().to_string(),
        Some(i) => match al.item(i.id) {
            Some(a) if a.status == Status::Extension => "extension".to_string(),
            Some(a) => a.task.as_deref().unwrap_or_default().to_string(),
            None => "missing".to_string(),
        },
    }
}

/// Tallies outcomes by a key (document label, area, …).
pub fn tally_by(outcomes: &[Outcome], key: impl Fn(&Outcome) -> String) -> BTreeMap<String, Tally> {
    let mut m: BTreeMap<String, Tally> = BTreeMap::new();
    for o in outcomes {
        let t = m.entry(key(o)).or_default();
        t.total += 1;
        t.correct += usize::from(o.correct());
    }
    m
}
