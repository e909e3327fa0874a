//! The review loop (issue 16): the `review` table (every requirement item,
//! least confident first, with an empty `correct` column for the
//! researcher), reading the researcher's labels back (filled-in review
//! sheets and the TOML label files of `testdata/labels`), measuring the
//! model on them (`label_metrics`), and refitting the decision model on
//! them with a leave-one-document-out estimate.
//!
//! What a researcher writes in `correct`: a requirement id (`1.1.2`: the
//! item implements it), a task id (`1.1`: it falls within the task, no
//! single requirement fits), `extension` (a local extension), or `ok` (the
//! decision is right). An empty cell leaves the item to the model.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use luoshi_align::eval::{is_decision, labelled_item};
use luoshi_align::{
    AlignConfig, Aligner, Correction, DecisionModel, DocumentAlignment, Id, ItemAlignment,
    LabelledCorpus, LearnedVocabulary, Status,
};
use luoshi_core::ingest::{ItemId, ItemKind, RegionDocument};
use polars::prelude::*;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::frames::{Corpus, Table};

/// The file names [`Refit::save`] writes in its folder, and
/// [`crate::RunOptions::model`] reads.
pub const MODEL_FILE: &str = "decision.toml";
/// See [`MODEL_FILE`].
pub const VOCABULARY_FILE: &str = "vocabulary.toml";

/// The review sheet as an Excel workbook, written with `--excel`.
pub const REVIEW_XLSX: &str = "review.xlsx";

/// Longest text Excel holds in a cell (characters); longer cells are cut
/// there in `review.xlsx` (review.csv has them whole).
const XLSX_CELL_CHARS: usize = 32_767;

/// Writes a table as an Excel workbook of one sheet named after it: a
/// bold, frozen header row with filters, text cells as text (never as
/// formulas), numbers as numbers, empty cells empty, lists joined by
/// `|`. Used for `review.xlsx`, which a researcher fills in in Excel and
/// gives back with `--labels` (as it is, or saved as CSV).
///
/// # Errors
/// [`Error::Io`] naming the file when the workbook cannot be built or
/// written.
pub fn write_xlsx(table: &Table, path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut wb = Workbook::new();
    // The same run writes the same bytes (as every other output does): a
    // fixed creation date in the document properties instead of the
    // clock's.
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1).map_err(fail)?;
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let ws = wb.add_worksheet();
    ws.set_name(table.name).map_err(fail)?;
    let bold = Format::new().set_bold();
    let df = &table.frame;
    for (j, c) in df.columns().iter().enumerate() {
        let j = u16::try_from(j).map_err(|_| {
            fail(rust_xlsxwriter::XlsxError::ParameterError(
                "too many columns".into(),
            ))
        })?;
        ws.write_string_with_format(0, j, c.name().as_str(), &bold)
            .map_err(fail)?;
        let text = c
            .cast(&DataType::String)
            .map_err(Error::polars(table.name))?;
        let numbers = match c.dtype() {
            DataType::Float64 | DataType::UInt64 | DataType::UInt32 => Some(
                c.cast(&DataType::Float64)
                    .map_err(Error::polars(table.name))?,
            ),
            _ => None,
        };
        for i in 0..df.height() {
            let row = u32::try_from(i + 1).map_err(|_| {
                fail(rust_xlsxwriter::XlsxError::ParameterError(
                    "too many rows".into(),
                ))
            })?;
            if let Some(n) = &numbers {
                if let Ok(AnyValue::Float64(x)) = n.get(i) {
                    ws.write_number(row, j, x).map_err(fail)?;
                }
            } else if let Ok(AnyValue::String(s)) = text.get(i) {
                let cut: String = s.chars().take(XLSX_CELL_CHARS).collect();
                ws.write_string(row, j, cut).map_err(fail)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    let last_col = u16::try_from(df.width().saturating_sub(1)).unwrap_or(u16::MAX);
    let last_row = u32::try_from(df.height()).unwrap_or(u32::MAX);
    ws.autofilter(0, 0, last_row, last_col).map_err(fail)?;
    wb.save(path).map_err(fail)?;
    Ok(())
}

/// Where a label was read: its file and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelOrigin {
    /// The label file (a review sheet or a TOML label file).
    pub path: PathBuf,
    /// The line of the row or `[[label]]` entry.
    pub line: usize,
}

/// One document's labels: the correction of each labelled requirement
/// item, and where it was read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentLabels {
    /// The researcher's decision per item.
    pub corrections: HashMap<ItemId, Correction>,
    /// Where each was read.
    pub origins: HashMap<ItemId, LabelOrigin>,
}

/// The labels of a run, resolved against its documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// The label files read.
    pub files: Vec<PathBuf>,
    /// Per document (index for index with [`crate::Analysis::docs`]).
    pub documents: Vec<DocumentLabels>,
    /// The model's own alignments, before the corrections: what
    /// `label_metrics` measures.
    pub model: Vec<DocumentAlignment>,
    /// The model measured on the labels (`label_metrics`).
    pub metrics: Metrics,
}

impl Labels {
    /// The number of labelled items.
    pub fn len(&self) -> usize {
        self.documents.iter().map(|d| d.corrections.len()).sum()
    }

    /// Whether no item is labelled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A label as read, before it is matched to an item.
#[derive(Debug, Clone)]
pub(crate) enum RawLabel {
    /// A review-sheet row: document label, item id, answer.
    Row {
        doc: String,
        item: String,
        answer: String,
        origin: LabelOrigin,
    },
    /// A TOML label: the document's file name, a snippet of the item, a
    /// task id or `extension`.
    Snippet {
        seed: String,
        snippet: String,
        answer: String,
        origin: LabelOrigin,
    },
}

impl RawLabel {
    /// Whether the label is for the document `meta` (by its label for a
    /// review-sheet row, by its file name for a TOML label).
    pub(crate) fn names(&self, meta: &luoshi_core::DocumentMeta) -> bool {
        match self {
            RawLabel::Row { doc, .. } => *doc == meta.label,
            RawLabel::Snippet { seed, .. } => *seed == meta.file,
        }
    }
}

fn label_error(path: &Path, line: usize, message: impl Into<String>) -> Error {
    Error::Label {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// The label files `paths` name: a file as given (`.csv` or `.xlsx` for
/// a review sheet, `.toml` for a label file), a folder's `*.csv`,
/// `*.xlsx` and `*.toml` files sorted by name.
///
/// # Errors
/// [`Error::Io`] for a path that cannot be read, [`Error::Label`] for a
/// file of another kind or a folder without label files.
pub fn label_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let is_label = |p: &Path| {
        p.extension().is_some_and(|e| {
            ["csv", "xlsx", "toml"]
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        })
    };
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(Error::io(p))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(Error::io(p))?
                .flatten()
                .map(|e| e.path())
                .filter(|f| f.is_file() && is_label(f))
                .collect();
            if found.is_empty() {
                return Err(label_error(
                    p,
                    0,
                    "the folder holds no label file: expected review sheets (*.csv, *.xlsx) or label files (*.toml)",
                ));
            }
            found.sort();
            out.extend(found);
        } else if is_label(p) {
            out.push(p.clone());
        } else {
            return Err(label_error(
                p,
                0,
                "not a label file: expected a review sheet (.csv or .xlsx) or a label file (.toml)",
            ));
        }
    }
    Ok(out)
}

/// Reads the labels of `files` (see [`label_files`]) without matching
/// them to items yet.
pub(crate) fn read_labels(files: &[PathBuf]) -> Result<Vec<RawLabel>> {
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(f).map_err(Error::io(f))?;
        let is = |ext: &str| f.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
        if is("toml") {
            out.extend(read_toml(f, &bytes)?);
        } else if is("xlsx") {
            out.extend(read_workbook(f, &bytes)?);
        } else {
            out.extend(read_sheet(f, &bytes)?);
        }
    }
    Ok(out)
}

/// A cell as a researcher meant it: trimmed, and without the `'` that
/// `--excel` puts before a cell Excel would run as a formula.
fn unexcel(cell: &str) -> &str {
    let cell = cell.trim();
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// A filled-in review sheet saved as CSV: the `doc`, `item_id` and
/// `correct` columns (others are ignored); rows with an empty `correct`
/// are skipped. The encoding is detected as for documents (Excel on a
/// Chinese Windows saves CSV in GBK).
fn read_sheet(path: &Path, bytes: &[u8]) -> Result<Vec<RawLabel>> {
    let text = luoshi_core::decode::decode(bytes)
        .map_err(|e| label_error(path, 0, format!("cannot decode the sheet: {e}")))?
        .text;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| label_error(path, 1, format!("cannot read the header row: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader.records().map(|record| {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            label_error(path, line, format!("not a CSV row: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        Ok((line, record.iter().map(str::to_string).collect()))
    });
    labels_of_rows(path, &headers, rows)
}

/// A filled-in review workbook (`review.xlsx` as `--excel` writes it,
/// edited in a spreadsheet program): its first sheet, read as
/// [`read_sheet`] reads the CSV; lines are the sheet's row numbers.
fn read_workbook(path: &Path, bytes: &[u8]) -> Result<Vec<RawLabel>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| label_error(path, 0, format!("not an xlsx workbook: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| {
            label_error(
                path,
                0,
                "the workbook has no sheet: expected the review sheet",
            )
        })?
        .map_err(|e| label_error(path, 0, format!("cannot read the first sheet: {e}")))?;
    // Rows are numbered as the spreadsheet shows them (from 1).
    let first = range.start().map_or(1, |(row, _)| row as usize + 1);
    let mut rows = range.rows().enumerate().map(|(i, cells)| {
        (
            first + i,
            cells.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        )
    });
    let Some((_, headers)) = rows.next() else {
        return Err(label_error(
            path,
            1,
            "the sheet is empty: expected the header row of review.csv",
        ));
    };
    labels_of_rows(path, &headers, rows.map(Ok))
}

/// The labels of a review sheet's rows (`(line, cells)`) under its header
/// row: the `doc`, `item_id` and `correct` columns; rows with an empty
/// `correct` are skipped.
fn labels_of_rows(
    path: &Path,
    headers: &[String],
    rows: impl Iterator<Item = Result<(usize, Vec<String>)>>,
) -> Result<Vec<RawLabel>> {
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| unexcel(h) == name)
            .ok_or_else(|| {
                label_error(
                    path,
                    1,
                    format!("the header row has no `{name}` column: expected the columns of review.csv (doc, item_id, …, correct)"),
                )
            })
    };
    let (doc, item, correct) = (column("doc")?, column("item_id")?, column("correct")?);
    let mut out = Vec::new();
    for row in rows {
        let (line, cells) = row?;
        let cell = |i: usize| unexcel(cells.get(i).map_or("", String::as_str));
        let answer = cell(correct);
        if answer.is_empty() {
            continue;
        }
        out.push(RawLabel::Row {
            doc: cell(doc).to_string(),
            item: cell(item).to_string(),
            answer: answer.to_string(),
            origin: LabelOrigin {
                path: path.to_path_buf(),
                line,
            },
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlLabels {
    seed: String,
    #[serde(default)]
    label: Vec<toml::Spanned<TomlLabel>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlLabel {
    snippet: String,
    task: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// A TOML label file ([`luoshi_align::eval::LabelFile`]); labels of item
/// kinds (`boilerplate`, `heading`) are skipped: they are no decision.
fn read_toml(path: &Path, bytes: &[u8]) -> Result<Vec<RawLabel>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        label_error(path, line, format!("not UTF-8 at byte {at}"))
    })?;
    let file: TomlLabels = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map_or(0, |s| luoshi_core::text::line_of(text, s.start));
        label_error(path, line, e.message().to_string())
    })?;
    Ok(file
        .label
        .into_iter()
        .filter(|l| is_decision(l.get_ref().task.trim()))
        .map(|l| {
            let line = luoshi_core::text::line_of(text, l.span().start);
            let l = l.into_inner();
            RawLabel::Snippet {
                seed: file.seed.clone(),
                snippet: l.snippet,
                answer: l.task.trim().to_string(),
                origin: LabelOrigin {
                    path: path.to_path_buf(),
                    line,
                },
            }
        })
        .collect())
}

/// Matches labels to the items of `docs` and checks their answers
/// against the aligner's taxonomy.
///
/// # Errors
/// [`Error::Label`] naming the file and line of a label for a document
/// that is not in the run, an item that is no requirement item, a
/// snippet found nowhere in its document, an answer that is no
/// requirement id, task id, `extension` or `ok`, or an item labelled
/// twice with different answers (except by one TOML label file, whose
/// labels name statements: an item holding two keeps its first label,
/// as [`luoshi_align::eval::labelled`] does).
pub(crate) fn resolve(
    raw: Vec<RawLabel>,
    docs: &[RegionDocument],
    aligner: &Aligner,
) -> Result<Vec<DocumentLabels>> {
    let mut out = vec![DocumentLabels::default(); docs.len()];
    let unknown_answer = |o: &LabelOrigin, answer: &str| {
        label_error(
            &o.path,
            o.line,
            format!(
                "unknown answer `{answer}`: expected a requirement id (1.1.2), a task id (1.1), `extension` or `ok`"
            ),
        )
    };
    for r in raw {
        let snippet = matches!(r, RawLabel::Snippet { .. });
        let (d, item, correction, origin) = match r {
            RawLabel::Row {
                doc,
                item,
                answer,
                origin,
            } => {
                let d = docs.iter().position(|x| x.meta.label == doc).ok_or_else(|| {
                    label_error(
                        &origin.path,
                        origin.line,
                        format!("unknown document `{doc}`: expected the label of a document of the run"),
                    )
                })?;
                let it = item
                    .parse::<u32>()
                    .ok()
                    .and_then(|i| docs[d].items.get(i as usize))
                    .ok_or_else(|| {
                        label_error(
                            &origin.path,
                            origin.line,
                            format!(
                                "unknown item `{item}` of `{doc}`: expected an item_id below {}",
                                docs[d].items.len()
                            ),
                        )
                    })?;
                if it.kind != ItemKind::Requirement {
                    return Err(label_error(
                        &origin.path,
                        origin.line,
                        format!(
                            "item {item} of `{doc}` is a {} item, not a requirement item: only rows of review.csv can be labelled",
                            it.kind.as_str()
                        ),
                    ));
                }
                let c = aligner
                    .correction(&answer)
                    .ok_or_else(|| unknown_answer(&origin, &answer))?;
                (d, it.id, c, origin)
            }
            RawLabel::Snippet {
                seed,
                snippet,
                answer,
                origin,
            } => {
                let d = docs.iter().position(|x| x.meta.file == seed).ok_or_else(|| {
                    label_error(
                        &origin.path,
                        origin.line,
                        format!("the labels are for `{seed}`, which is no file of the run's manifest"),
                    )
                })?;
                let doc = &docs[d];
                let at = doc.text.find(&snippet).ok_or_else(|| {
                    label_error(
                        &origin.path,
                        origin.line,
                        format!("snippet `{snippet}` is nowhere in the text of `{seed}`"),
                    )
                })?;
                let Some(item) = labelled_item(doc, at) else {
                    // The snippet lies in a heading or boilerplate: the
                    // label names no decision of the aligner (as in
                    // `eval::labelled`).
                    continue;
                };
                let c = match aligner.correction(&answer) {
                    Some(Correction::Task(t)) => Correction::WithinTask(t),
                    Some(Correction::Confirm) | None => {
                        return Err(unknown_answer(&origin, &answer));
                    }
                    Some(c) => c,
                };
                (d, item, c, origin)
            }
        };
        let labels = &mut out[d];
        match labels.corrections.get(&item) {
            // One item may hold two statements a label file labels
            // apart: its first label stands (as in `eval::labelled`).
            Some(_) if snippet && labels.origins[&item].path == origin.path => {}
            Some(previous) if *previous != correction => {
                let first = &labels.origins[&item];
                return Err(label_error(
                    &origin.path,
                    origin.line,
                    format!(
                        "item {} of `{}` is labelled `{}` here and `{}` at {} line {}: expected one answer",
                        item.0,
                        docs[d].meta.label,
                        correction.answer(),
                        previous.answer(),
                        first.path.display(),
                        first.line
                    ),
                ));
            }
            Some(_) => {}
            None => {
                labels.corrections.insert(item, correction);
                labels.origins.insert(item, origin);
            }
        }
    }
    Ok(out)
}

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
                    .map(|r| f(&r.2).map(|x| (x * 10_000.0).round() / 10_000.0))
                    .collect::<Vec<_>>(),
            )
        };
        let frame = DataFrame::new_infer_height(vec![
            col("group", &|r| r.0.clone()),
            col("key", &|r| r.1.clone()),
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

impl Corpus<'_> {
    /// `review`: one row per requirement item of every document, least
    /// confident first (ties in document and item order), with the
    /// decision, its runner-ups and an empty `correct` column for the
    /// researcher (module docs of `review`: a requirement id, a task id,
    /// `extension` or `ok`).
    pub fn review(&self) -> Result<Table> {
        let mut rows: Vec<(usize, &ItemAlignment)> = Vec::new();
        for (d, al) in self.alignments.iter().enumerate() {
            rows.extend(al.items.iter().map(|a| (d, a)));
        }
        rows.sort_by(|a, b| a.1.confidence.total_cmp(&b.1.confidence));
        let r4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
        let text = |v: Vec<Option<String>>, name: &str| Column::new(name.into(), v);
        let mut c: Vec<Vec<Option<String>>> = vec![Vec::new(); 11];
        let (mut item_id, mut start, mut end) = (Vec::new(), Vec::new(), Vec::new());
        let (mut confidence, mut runner_score, mut alt_p) = (Vec::new(), Vec::new(), Vec::new());
        for (d, a) in &rows {
            let doc = &self.docs[*d];
            let item = doc.items.get(a.item.0 as usize);
            c[0].push(Some(doc.meta.label.clone()));
            c[1].push(Some(doc.meta.file.clone()));
            item_id.push(a.item.0 as u64);
            start.push(item.map(|i| i.span.start as u64));
            end.push(item.map(|i| i.span.end as u64));
            c[2].push(item.and_then(|i| i.heading_path.last().cloned()));
            c[3].push(item.map(|i| doc.raw(i).to_string()));
            c[4].push(Some(a.status.as_str().to_string()));
            c[5].push(
                a.requirement
                    .as_ref()
                    .or(a.task.as_ref())
                    .map(|x| x.to_string()),
            );
            confidence.push(r4(a.confidence));
            c[6].push(a.runner_up.as_ref().map(|r| r.id.to_string()));
            runner_score.push(a.runner_up.as_ref().map(|r| r4(r.score)));
            c[7].push(a.alternative.as_ref().map(|r| r.id.to_string()));
            alt_p.push(a.alternative.as_ref().map(|r| r4(r.score)));
            c[8].push(a.nearest.as_ref().map(|r| r.id.to_string()));
            c[9].push(Some(a.source.as_str().to_string()));
            c[10].push(None);
        }
        let mut c = c.into_iter();
        let mut next = |name: &str| text(c.next().unwrap_or_default(), name);
        let columns = vec![
            next("doc"),
            next("file"),
            Column::new("item_id".into(), item_id),
            Column::new("start".into(), start),
            Column::new("end".into(), end),
            next("heading"),
            next("text"),
            next("status"),
            next("decision_id"),
            Column::new("confidence".into(), confidence),
            next("runner_up_id"),
            Column::new("runner_up_score".into(), runner_score),
            next("alternative"),
            Column::new("alternative_probability".into(), alt_p),
            next("nearest_id"),
            next("source"),
            next("correct"),
        ];
        let frame = DataFrame::new_infer_height(columns).map_err(Error::polars("review"))?;
        Ok(Table {
            name: "review",
            frame,
        })
    }
}

/// A refitted decision model and learned vocabulary, with what they are
/// expected to give.
#[derive(Debug, Clone)]
pub struct Refit {
    /// The model fitted on all labels.
    pub model: DecisionModel,
    /// The vocabulary of all labels.
    pub vocabulary: LearnedVocabulary,
    /// The model in use, on the labels (in sample when it was fitted on
    /// them).
    pub current: Metrics,
    /// Leave one document out: each labelled document aligned by a model
    /// and vocabulary fitted on the other documents' labels alone (None
    /// when not asked for).
    pub held_out: Option<Metrics>,
}

impl Refit {
    /// Fits the decision model and the learned vocabulary on the labels
    /// of `analysis` (which must have been run with labels), after the
    /// leave-one-document-out estimate when `cross_validate` (one fit per
    /// labelled document: the costly part). `config` is the run's
    /// alignment settings; `l2` the penalty per labelled item (the
    /// shipped model used 1e-3).
    ///
    /// # Errors
    /// [`Error::Label`] when the analysis has no labels;
    /// [`Error::Align`] when fitting fails.
    pub fn fit(
        analysis: &crate::Analysis,
        config: &AlignConfig,
        l2: f64,
        cross_validate: bool,
    ) -> Result<Refit> {
        let labels = analysis
            .labels
            .as_ref()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| {
                label_error(
                    Path::new("--labels"),
                    0,
                    "a refit needs labels: give review sheets or label files with --labels",
                )
            })?;
        let aligner = Aligner::with_config(&analysis.taxonomy, config.clone())?;
        let docs = &analysis.docs;
        let items: Vec<Vec<(usize, Option<Id>)>> = docs
            .iter()
            .enumerate()
            .map(|(d, doc)| {
                let l = &labels.documents[d];
                if l.corrections.is_empty() {
                    return Vec::new();
                }
                let cards = aligner.score_cards(doc);
                let mut v: Vec<(usize, Option<Id>)> = l
                    .corrections
                    .iter()
                    .filter_map(|(item, c)| {
                        let i = cards.items.binary_search(item).ok()?;
                        let model = labels.model[d].item(*item)?;
                        Some((i, aligner.corrected_task(c, model)))
                    })
                    .collect();
                v.sort_by_key(|x| x.0);
                v
            })
            .collect();
        let corpus = LabelledCorpus::new(&analysis.taxonomy, config.clone(), docs, items)?;
        let held_out = if cross_validate {
            let folds = corpus.cross_validate(l2)?;
            let fold_refs: Vec<(usize, &DocumentAlignment)> =
                folds.iter().map(|(d, a)| (*d, a)).collect();
            Some(Metrics::measure(
                docs,
                &labels.documents,
                &labels.model,
                &fold_refs,
                &aligner,
            ))
        } else {
            None
        };
        let current_refs: Vec<(usize, &DocumentAlignment)> =
            labels.model.iter().enumerate().collect();
        let current = Metrics::measure(
            docs,
            &labels.documents,
            &labels.model,
            &current_refs,
            &aligner,
        );
        let fitted_on = format!(
            "{} labelled requirement items of {} documents ({})",
            corpus.len(),
            corpus.labelled_documents().len(),
            labels
                .files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let (model, vocabulary) = corpus.fit(l2, &fitted_on)?;
        Ok(Refit {
            model,
            vocabulary,
            current,
            held_out,
        })
    }

    /// Writes the model and the vocabulary into `dir` as [`MODEL_FILE`]
    /// and [`VOCABULARY_FILE`] (the folder [`crate::RunOptions::model`]
    /// reads), creating it; an existing file is refused unless `replace`.
    /// Returns the two paths.
    ///
    /// # Errors
    /// [`Error::Output`] for a file that exists, [`Error::Io`] when
    /// writing fails.
    pub fn save(&self, dir: &Path, replace: bool) -> Result<(PathBuf, PathBuf)> {
        let (model, vocabulary) = (dir.join(MODEL_FILE), dir.join(VOCABULARY_FILE));
        check_refit_target(dir, replace)?;
        std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        let header = "# A decision model of luoshi-align, refitted on a researcher's labels\n\
                      # (the coverage command's --refit; DecisionModel::fit: conditional logit, L2 penalty).\n";
        std::fs::write(&model, format!("{header}{}", self.model.to_toml()))
            .map_err(Error::io(&model))?;
        let header = "# The learned vocabulary fitted with decision.toml: the normalized text of\n\
                      # every labelled requirement item, by task (or extension).\n";
        std::fs::write(
            &vocabulary,
            format!("{header}{}", self.vocabulary.to_toml()),
        )
        .map_err(Error::io(&vocabulary))?;
        Ok((model, vocabulary))
    }
}

/// Refuses a refit folder whose model or vocabulary file exists, unless
/// `replace` (checked before a run, so no work is lost).
///
/// # Errors
/// [`Error::Output`] naming the file.
pub fn check_refit_target(dir: &Path, replace: bool) -> Result<()> {
    for p in [dir.join(MODEL_FILE), dir.join(VOCABULARY_FILE)] {
        if p.exists() && !replace {
            return Err(Error::Output {
                path: p,
                reason: "the file exists: choose another folder, or allow replacing it explicitly (--replace)".into(),
            });
        }
    }
    Ok(())
}

/// Loads a refitted model folder ([`Refit::save`]).
///
/// # Errors
/// [`Error::Align`] naming the file that cannot be read or parsed.
/// The refitted model a run on taxonomy pack `pack` may decide with from
/// model folder `dir`: `dir/<pack>/` when it holds one (as [`refit_all`]
/// writes for several taxonomies), else `dir` itself when it holds one,
/// else none.
pub(crate) fn load_model_for(
    dir: &Path,
    pack: &str,
) -> Result<Option<(DecisionModel, LearnedVocabulary)>> {
    let own = dir.join(pack);
    if own.join(MODEL_FILE).is_file() {
        load_model(&own).map(Some)
    } else if dir.join(MODEL_FILE).is_file() {
        load_model(dir).map(Some)
    } else {
        Ok(None)
    }
}

pub(crate) fn load_model(dir: &Path) -> Result<(DecisionModel, LearnedVocabulary)> {
    Ok((
        DecisionModel::load(dir.join(MODEL_FILE))?,
        LearnedVocabulary::load(dir.join(VOCABULARY_FILE))?,
    ))
}

/// What a coverage run with labels prints after its tables: per taxonomy,
/// how many labelled items from how many files, and the model's precision
/// and recall on them before they took its place (`label_metrics.csv`).
/// Empty without labels.
pub fn labels_report(output: &crate::RunOutput) -> String {
    let mut out = String::new();
    for g in &output.groups {
        let Some(labels) = &g.analysis.labels else {
            continue;
        };
        out.push_str(&format!(
            "labels ({}): {} items from {} files; the model before them (label_metrics.csv):\n{}\n",
            g.analysis.pack,
            labels.len(),
            labels.files.len(),
            labels.metrics.summary_text().trim_end()
        ));
    }
    out
}

/// The `--refit DIR` step of the coverage command: for each taxonomy whose
/// documents carry labels, the model in use and the leave-one-document-out
/// estimate of a refit (printed through `print` before anything is
/// written), then the refitted decision model and vocabulary saved in
/// `dir` (one subfolder per taxonomy when there are several; existing
/// files only with `replace`). `config` is the run's settings file.
///
/// # Errors
/// An unreadable settings file, a failed fit, or a refused or failed
/// write.
pub fn refit_all(
    output: &crate::RunOutput,
    config: Option<&Path>,
    l2: f64,
    dir: &Path,
    replace: bool,
    print: &mut dyn FnMut(&str),
) -> Result<()> {
    let config = match config {
        Some(p) => AlignConfig::load(p)?,
        None => AlignConfig::default(),
    };
    for g in output.groups.iter().filter(|g| g.analysis.labels.is_some()) {
        let dir = dir.join(&g.dir);
        let refit = Refit::fit(&g.analysis, &config, l2, true)?;
        print("the model in use, on these labels (in sample if it was fitted on them):");
        print(refit.current.summary_text().trim_end());
        print("refit, leave one document out (fitted on the other documents' labels):");
        if let Some(h) = &refit.held_out {
            print(h.summary_text().trim_end());
        }
        let (m, v) = refit.save(&dir, replace)?;
        print(&format!(
            "wrote {} and {}: decide with them with --model {}",
            m.display(),
            v.display(),
            dir.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod workbook_tests {
    use super::*;

    /// A small review workbook as `write_xlsx` writes it.
    fn workbook(dir: &Path) -> Vec<u8> {
        let path = dir.join("w.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let sheet = wb.add_worksheet();
        for (j, h) in ["doc", "item_id", "text", "correct"].iter().enumerate() {
            sheet.write_string(0, j as u16, *h).unwrap();
        }
        sheet.write_string(1, 0, "西藏 2017").unwrap();
        sheet.write_number(1, 1, 12.0).unwrap();
        sheet.write_string(1, 2, "加强政策解读").unwrap();
        sheet.write_string(1, 3, "1.1").unwrap();
        wb.save(&path).unwrap();
        std::fs::read(&path).unwrap()
    }

    #[test]
    fn a_workbook_row_reads_as_the_csv_row_would() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = workbook(dir.path());
        let labels = read_workbook(Path::new("w.xlsx"), &bytes).unwrap();
        match labels.as_slice() {
            [
                RawLabel::Row {
                    doc,
                    item,
                    answer,
                    origin,
                },
            ] => {
                assert_eq!(
                    (doc.as_str(), item.as_str(), answer.as_str()),
                    ("西藏 2017", "12", "1.1")
                );
                assert_eq!(origin.line, 2);
            }
            other => panic!("expected one row label, got {}", other.len()),
        }
    }

    /// Damaged workbooks (bytes overwritten at pseudo-random places, or
    /// cut short) give an error or labels, never a panic.
    #[test]
    fn damaged_workbooks_do_not_panic() {
        let dir = tempfile::tempdir().unwrap();
        let good = workbook(dir.path());
        let mut state = 0x2017_u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        for round in 0..300 {
            let mut bytes = good.clone();
            if round % 3 == 0 {
                bytes.truncate(next() % bytes.len());
            } else {
                for _ in 0..1 + next() % 8 {
                    let at = next() % bytes.len();
                    bytes[at] = next() as u8;
                }
            }
            let _ = read_workbook(Path::new("w.xlsx"), &bytes);
        }
    }
}
