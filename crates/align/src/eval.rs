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

use crate::aligner::DocumentCards;
use crate::decide::Sample;
use crate::error::{Error, Result};
use crate::types::{DocumentAlignment, Status};

/// One labelled statement or heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// A snippet of the statement; its first occurrence locates it
    /// (unless `byte_offset` says where it is).
    pub snippet: String,
    /// For a statement: the national task id, `extension`, or an item
    /// kind (`boilerplate`; `other`: no decision of any kind). For a
    /// heading: the task id or area id it names, or `none`.
    pub task: String,
    /// A note on hard cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `heading` for a heading's label; a statement's otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Where the snippet starts in the decoded text, when the label
    /// file records it (the real corpus does: a short statement may also
    /// occur earlier inside another).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte_offset: Option<usize>,
}

impl Label {
    /// Whether it labels a heading.
    pub fn is_heading(&self) -> bool {
        self.kind.as_deref() == Some("heading")
    }

    /// Where the labelled text starts in `text`: at `byte_offset` when the
    /// snippet stands there, else its first occurrence.
    pub fn locate(&self, text: &str) -> Option<usize> {
        self.byte_offset
            .filter(|&at| text.get(at..).is_some_and(|t| t.starts_with(&self.snippet)))
            .or_else(|| text.find(&self.snippet))
    }
}

/// The prefix of a heading's expected and predicted answers in an
/// [`Outcome`] (`heading:1.1`, `heading:1`, `heading:none`), so heading
/// outcomes never count as item decisions.
pub const HEADING_PREFIX: &str = "heading:";

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
        let text = crate::error::read_file(path)?;
        crate::error::parse_toml(&text, path)
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
    /// The decision's probability (None when the label found no
    /// requirement item).
    pub confidence: Option<f64>,
}

impl Outcome {
    /// Whether the prediction is right. A statement labelled `other` (no
    /// commitment) is right when the aligner makes no task or extension
    /// decision on it (boilerplate, heading, or a part of the item before
    /// it).
    pub fn correct(&self) -> bool {
        if self.expected == "other" {
            return !is_decision(&self.predicted) && self.predicted != "missing";
        }
        self.expected == self.predicted
    }

    /// Whether it is a heading's outcome.
    pub fn is_heading(&self) -> bool {
        self.expected.starts_with(HEADING_PREFIX)
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
    /// correct / total; None for a tally of no labels (an accuracy of
    /// nothing is no figure: a label file that stops matching its
    /// document must not pass as 100%).
    pub fn accuracy(&self) -> Option<f64> {
        (self.total > 0).then(|| self.correct as f64 / self.total as f64)
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
            let at = l.locate(&doc.text);
            let (expected, predicted, confidence) = match (at, l.is_heading()) {
                (None, heading) => (expected_of(l, heading), "missing".to_string(), None),
                // A statement that reads as no commitment and that the
                // ingestion joined to the item before it (a `(…牵头落实)`
                // tag, a trailing clause) makes no decision of its own.
                (Some(at), false) if l.task == "other" && continues_item(doc, at) => {
                    (l.task.clone(), "continuation".to_string(), None)
                }
                (Some(at), false) => (
                    l.task.clone(),
                    predicted_task(doc, al, at),
                    labelled_item(doc, at)
                        .and_then(|i| al.item(i))
                        .map(|a| a.confidence),
                ),
                (Some(at), true) => {
                    let (p, c) = predicted_heading(doc, al, at);
                    (expected_of(l, true), p, c)
                }
            };
            out.push(Outcome {
                doc: doc.meta.label.clone(),
                snippet: l.snippet.clone(),
                expected,
                predicted,
                confidence,
            });
        }
    }
    out
}

/// Whether byte `at` of `doc` lies inside an item that starts before it.
fn continues_item(doc: &RegionDocument, at: usize) -> bool {
    doc.items
        .iter()
        .any(|i| i.span.start < at && at < i.span.end)
}

fn expected_of(l: &Label, heading: bool) -> String {
    if heading {
        format!("{HEADING_PREFIX}{}", l.task)
    } else {
        l.task.clone()
    }
}

/// What the aligner says of the heading at byte `at` of `doc`, as a
/// heading outcome (`heading:1.1`, `heading:1`, `heading:none`) with its
/// confidence: a heading item's reading; a requirement item's decision
/// (its task, or `none` for an extension) when the text was read as a
/// statement; `heading:none` for boilerplate.
pub fn predicted_heading(
    doc: &RegionDocument,
    al: &DocumentAlignment,
    at: usize,
) -> (String, Option<f64>) {
    let Some(item) = doc
        .items
        .iter()
        .find(|i| i.span.start <= at && at < i.span.end)
    else {
        return ("missing".to_string(), None);
    };
    if let Some(h) = al.heading(item.id) {
        let named = h.task.as_deref().or(h.area.as_deref()).unwrap_or("none");
        return (format!("{HEADING_PREFIX}{named}"), h.confidence);
    }
    match al.item(item.id) {
        Some(a) => {
            let named = if a.status == Status::Extension {
                "none"
            } else {
                a.task.as_deref().unwrap_or("none")
            };
            (format!("{HEADING_PREFIX}{named}"), Some(a.confidence))
        }
        None => (format!("{HEADING_PREFIX}none"), None),
    }
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

/// The requirement item a label at byte `at` of `doc` names: the item
/// whose span holds it, or the first occurrence of that item when it is
/// a repeat; None when that is no requirement item.
pub fn labelled_item(doc: &RegionDocument, at: usize) -> Option<luoshi_core::ingest::ItemId> {
    let mut item = doc
        .items
        .iter()
        .find(|i| i.span.start <= at && at < i.span.end)?;
    if let ItemKind::Duplicate { of } = item.kind {
        item = doc.items.get(of.0 as usize)?;
    }
    (item.kind == ItemKind::Requirement).then_some(item.id)
}

/// The labelled requirement items of a document: the index (into
/// `cards`) of each item that a label names with a task id of its card or
/// `extension`, and that answer (None: extension). A second label on the
/// same item is skipped; labels naming no requirement item, or with
/// another answer such as `boilerplate`, give none.
pub fn labelled(
    doc: &RegionDocument,
    cards: &DocumentCards,
    labels: &LabelFile,
) -> Vec<(usize, Option<crate::Id>)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for l in labels.label.iter().filter(|l| !l.is_heading()) {
        let Some(at) = l.locate(&doc.text) else {
            continue;
        };
        let Some(item) = labelled_item(doc, at) else {
            continue;
        };
        let Ok(i) = cards.items.binary_search(&item) else {
            continue;
        };
        if !seen.insert(item) {
            continue;
        }
        let answer = if l.task == "extension" {
            None
        } else if cards.cards[i].task.iter().any(|t| *t.task == *l.task) {
            Some(l.task.as_str().into())
        } else {
            continue;
        };
        out.push((i, answer));
    }
    out
}

/// A labelled heading, for fitting the heading model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingLabel {
    /// The heading item the label falls on (an index into the document's
    /// items), when the ingestion read it as a heading.
    pub item: Option<usize>,
    /// The heading's text: the item's (markers lifted), else the
    /// labelled snippet.
    pub text: String,
    /// What the label names: a task id, an area id, or `none`.
    pub answer: String,
}

/// The labelled headings of a document.
pub fn heading_labels(doc: &RegionDocument, labels: &LabelFile) -> Vec<HeadingLabel> {
    labels
        .label
        .iter()
        .filter(|l| l.is_heading())
        .filter_map(|l| {
            let at = l.locate(&doc.text)?;
            let item = doc
                .items
                .iter()
                .position(|i| i.span.start <= at && at < i.span.end && i.kind == ItemKind::Heading);
            Some(HeadingLabel {
                item,
                text: item.map_or_else(
                    || l.snippet.clone(),
                    |k| crate::Aligner::heading_text(doc, &doc.items[k]),
                ),
                answer: l.task.clone(),
            })
        })
        .collect()
}

/// The labelled score cards of a document, for fitting the decision
/// model ([`labelled`] items).
pub fn samples(doc: &RegionDocument, cards: &DocumentCards, labels: &LabelFile) -> Vec<Sample> {
    labelled(doc, cards, labels)
        .into_iter()
        .map(|(i, answer)| Sample {
            card: cards.cards[i].clone(),
            answer,
            weight: 1.0,
        })
        .collect()
}

/// Precision and recall of the `extension` answer: (true positives,
/// predicted extensions, labelled extensions). Every statement outcome
/// counts toward the predictions: an extension called on a statement
/// labelled a task, `other` (preamble, background) or `boilerplate` is a
/// wrong call.
pub fn extension_counts(outcomes: &[Outcome]) -> (usize, usize, usize) {
    let (mut tp, mut predicted, mut labelled) = (0, 0, 0);
    for o in outcomes.iter().filter(|o| !o.is_heading()) {
        let (e, p) = (o.expected == "extension", o.predicted == "extension");
        tp += usize::from(e && p);
        predicted += usize::from(p);
        labelled += usize::from(e);
    }
    (tp, predicted, labelled)
}

/// The figures of a set of outcomes: what `luoshi calibrate` reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Task accuracy on the labels that name a task or `extension`.
    pub task: Tally,
    /// Extensions: right calls.
    pub extensions_found: usize,
    /// Extensions: all calls on labelled statements.
    pub extensions_called: usize,
    /// Extensions: labelled.
    pub extensions_labelled: usize,
    /// Expected calibration error of the decisions' confidence (10
    /// bins), on the task and extension labels.
    pub ece: f64,
    /// Statements labelled `other` that the aligner made no decision on.
    pub other: Tally,
    /// Headings read as they are labelled (task, area or none).
    pub headings: Tally,
    /// Of those, the headings labelled with a task id.
    pub task_headings: Tally,
}

impl Summary {
    /// The figures of `outcomes`.
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let decisions: Vec<Outcome> = outcomes
            .iter()
            .filter(|o| is_decision(&o.expected))
            .cloned()
            .collect();
        let count = |f: &dyn Fn(&Outcome) -> bool| {
            let mut t = Tally::default();
            for o in outcomes.iter().filter(|o| f(o)) {
                t.total += 1;
                t.correct += usize::from(o.correct());
            }
            t
        };
        let (found, called, labelled) = extension_counts(outcomes);
        Summary {
            task: count(&|o| is_decision(&o.expected)),
            extensions_found: found,
            extensions_called: called,
            extensions_labelled: labelled,
            ece: reliability(&decisions, 10).1,
            other: count(&|o| o.expected == "other"),
            headings: count(&|o| o.is_heading()),
            task_headings: count(&|o| {
                o.is_heading() && o.expected[HEADING_PREFIX.len()..].contains('.')
            }),
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |t: Tally| {
            t.accuracy()
                .map_or_else(|| "no labels".to_string(), |a| format!("{:.1}%", 100.0 * a))
        };
        let ratio = |a: usize, b: usize| {
            if b == 0 {
                "n/a".to_string()
            } else {
                format!("{:.1}%", 100.0 * a as f64 / b as f64)
            }
        };
        write!(
            f,
            "task {}/{} = {}; extensions recall {}/{} = {}, precision {}/{} = {}; ECE {:.3}",
            self.task.correct,
            self.task.total,
            pct(self.task),
            self.extensions_found,
            self.extensions_labelled,
            ratio(self.extensions_found, self.extensions_labelled),
            self.extensions_found,
            self.extensions_called,
            ratio(self.extensions_found, self.extensions_called),
            self.ece
        )?;
        if self.other.total > 0 {
            write!(f, "; other {}/{}", self.other.correct, self.other.total)?;
        }
        if self.headings.total > 0 {
            write!(
                f,
                "; headings {}/{} (those naming a task {}/{})",
                self.headings.correct,
                self.headings.total,
                self.task_headings.correct,
                self.task_headings.total
            )?;
        }
        Ok(())
    }
}

/// Whether a label's answer is a decision the aligner makes (a task id or
/// `extension`), not an item kind such as `boilerplate`.
pub fn is_decision(answer: &str) -> bool {
    answer == "extension" || answer.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// One row of a reliability table: the outcomes whose confidence falls in
/// `[low, high)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReliabilityBin {
    /// Lower edge.
    pub low: f64,
    /// Upper edge.
    pub high: f64,
    /// Outcomes in the bin.
    pub count: usize,
    /// Their mean confidence.
    pub confidence: f64,
    /// The share of them that is right.
    pub accuracy: f64,
}

/// The reliability table of outcomes with a confidence, in `bins` equal
/// bins over [0, 1], and the expected calibration error: the mean over
/// outcomes of |accuracy − confidence| of their bin.
pub fn reliability(outcomes: &[Outcome], bins: usize) -> (Vec<ReliabilityBin>, f64) {
    let bins = bins.max(1);
    let mut acc = vec![(0usize, 0.0f64, 0usize); bins];
    for o in outcomes {
        let Some(c) = o.confidence else { continue };
        let b = ((c * bins as f64) as usize).min(bins - 1);
        acc[b].0 += 1;
        acc[b].1 += c;
        acc[b].2 += usize::from(o.correct());
    }
    let total: usize = acc.iter().map(|a| a.0).sum();
    let mut ece = 0.0;
    let table = acc
        .iter()
        .enumerate()
        .map(|(b, &(n, c, right))| {
            let (confidence, accuracy) = if n == 0 {
                (0.0, 0.0)
            } else {
                (c / n as f64, right as f64 / n as f64)
            };
            if total > 0 {
                ece += n as f64 / total as f64 * (accuracy - confidence).abs();
            }
            ReliabilityBin {
                low: b as f64 / bins as f64,
                high: (b + 1) as f64 / bins as f64,
                count: n,
                confidence,
                accuracy,
            }
        })
        .collect();
    (table, ece)
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
