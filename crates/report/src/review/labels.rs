//! The researcher's labels: read from filled-in review sheets (CSV or
//! xlsx) and TOML label files, then resolved against the items of the
//! run's documents.

use std::path::{Path, PathBuf};

use luoshi_align::eval::{is_decision, labelled_item};
use luoshi_align::{Aligner, Correction, DocumentAlignment};
use luoshi_core::Taxonomy;
use luoshi_core::ingest::{ItemKind, RegionDocument};
use serde::Deserialize;

use super::metrics::Metrics;
use super::types::{DocumentLabels, LabelOrigin, XLSX_CELL_CHARS, text_hash};
use crate::error::{Error, Result};

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
    /// A review-sheet row: document label, item id, what the row was
    /// written for, answer.
    Row {
        doc: String,
        item: String,
        written_for: WrittenFor,
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

/// The item text a review-sheet row was written for: its `text_hash`, or
/// in a sheet without that column (written before it), its `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WrittenFor {
    /// The `text_hash` cell.
    Hash(String),
    /// The `text` cell, as the researcher's program kept it (trimmed; in
    /// a workbook, cut at Excel's cell limit).
    Text(String),
}

impl WrittenFor {
    /// Whether the item's text `raw` is the text the row was written for.
    fn fits(&self, raw: &str) -> bool {
        match self {
            WrittenFor::Hash(h) => text_hash(raw) == *h,
            WrittenFor::Text(t) => {
                let raw = raw.trim();
                raw == t || (t.chars().count() >= XLSX_CELL_CHARS && raw.starts_with(t.as_str()))
            }
        }
    }
}

impl std::fmt::Display for WrittenFor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WrittenFor::Hash(h) => write!(f, "text_hash {h}"),
            WrittenFor::Text(t) => write!(f, "text `{}`", excerpt(t)),
        }
    }
}

/// The start of a text, for a message.
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(30).collect();
    if text.chars().count() > 30 {
        out.push('…');
    }
    out
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
                return Err(Error::label(
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
            return Err(Error::label(
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
        .map_err(|e| Error::label(path, 0, format!("cannot decode the sheet: {e}")))?
        .text;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::label(path, 1, format!("cannot read the header row: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader.records().map(|record| {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Error::label(path, line, format!("not a CSV row: {e}"))
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
        .map_err(|e| Error::label(path, 0, format!("not an xlsx workbook: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| {
            Error::label(
                path,
                0,
                "the workbook has no sheet: expected the review sheet",
            )
        })?
        .map_err(|e| Error::label(path, 0, format!("cannot read the first sheet: {e}")))?;
    // Rows are numbered as the spreadsheet shows them (from 1).
    let first = range.start().map_or(1, |(row, _)| row as usize + 1);
    let mut rows = range.rows().enumerate().map(|(i, cells)| {
        (
            first + i,
            cells.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        )
    });
    let Some((_, headers)) = rows.next() else {
        return Err(Error::label(
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
                Error::label(
                    path,
                    1,
                    format!("the header row has no `{name}` column: expected the columns of review.csv (doc, item_id, …, correct)"),
                )
            })
    };
    let (doc, item, correct) = (column("doc")?, column("item_id")?, column("correct")?);
    // What each row was written for, so that a label lands on its
    // sentence even when the document changed since.
    let (hash, text) = (column("text_hash").ok(), column("text").ok());
    if hash.is_none() && text.is_none() {
        return Err(Error::label(
            path,
            1,
            "the header row has neither a `text_hash` nor a `text` column: expected the columns of review.csv (doc, item_id, text, text_hash, …, correct), which say what sentence each row was written for",
        ));
    }
    let mut out = Vec::new();
    for row in rows {
        let (line, cells) = row?;
        let cell = |i: usize| unexcel(cells.get(i).map_or("", String::as_str));
        let answer = cell(correct);
        if answer.is_empty() {
            continue;
        }
        let origin = LabelOrigin {
            path: path.to_path_buf(),
            line,
        };
        let written_for = match (hash.map(cell), text.map(cell)) {
            (Some(h), _) if !h.is_empty() => WrittenFor::Hash(h.to_string()),
            (_, Some(t)) if !t.is_empty() => WrittenFor::Text(t.to_string()),
            _ => {
                return Err(Error::label(
                    path,
                    line,
                    "the row's text_hash and text are empty: expected the row as review.csv wrote it, which says what sentence it was written for",
                ));
            }
        };
        out.push(RawLabel::Row {
            doc: cell(doc).to_string(),
            item: cell(item).to_string(),
            written_for,
            answer: answer.to_string(),
            origin,
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
        Error::label(path, line, format!("not UTF-8 at byte {at}"))
    })?;
    let file: TomlLabels = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map_or(0, |s| luoshi_core::text::line_of(text, s.start));
        Error::label(path, line, e.message().to_string())
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

/// The item a review-sheet row is for: the item `named` (its `item_id`)
/// when its text is the one the row was written for; else, the document
/// having changed since the sheet was written, the one requirement item
/// that has that text. The error says what changed.
fn find_item<'a>(
    doc: &'a RegionDocument,
    named: Option<u32>,
    written_for: &WrittenFor,
) -> std::result::Result<&'a luoshi_core::Item, String> {
    let at = named.and_then(|i| doc.items.get(i as usize));
    if let Some(it) = at.filter(|it| written_for.fits(doc.raw(it))) {
        return Ok(it);
    }
    let same: Vec<&luoshi_core::Item> = doc
        .items
        .iter()
        .filter(|it| it.kind == ItemKind::Requirement && written_for.fits(doc.raw(it)))
        .collect();
    let shown = named.map_or_else(|| "?".to_string(), |n| n.to_string());
    let label = &doc.meta.label;
    match (same.as_slice(), at) {
        ([one], _) => Ok(one),
        ([], Some(it)) => Err(format!(
            "item {shown} of `{label}` now reads `{}`, not the {written_for} the row was written for, and no item has that text: the document changed since the sheet was written; expected a review sheet of this version of the document (label the new review.csv)",
            excerpt(doc.raw(it))
        )),
        ([], None) => Err(format!(
            "unknown item `{shown}` of `{label}`, and no item has the {written_for} the row was written for: expected an item_id below {}",
            doc.items.len()
        )),
        (several, _) => Err(format!(
            "the {written_for} the row was written for is the text of items {} of `{label}` (the document changed since the sheet was written, and item {shown} is not one of them): expected one item",
            several
                .iter()
                .map(|it| it.id.0.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
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
    taxonomy: &Taxonomy,
    aligner: &Aligner,
) -> Result<Vec<DocumentLabels>> {
    let mut out = vec![DocumentLabels::default(); docs.len()];
    let unknown_answer = |o: &LabelOrigin, answer: &str| {
        Error::label(
            &o.path,
            o.line,
            format!(
                "unknown answer `{answer}`: expected a requirement id (R1.1.2 or 1.1.2), a task id (T1.1 or 1.1), `extension` or `ok`"
            ),
        )
    };
    // The tables write ids with their level's letter (`T1.1`); answers
    // may take either form.
    let correction = |answer: &str| {
        let answer = answer.trim();
        match taxonomy.get_any(answer) {
            Some(n) => aligner.correction(&taxonomy.node(n).id),
            None => aligner.correction(answer),
        }
    };
    for r in raw {
        let snippet = matches!(r, RawLabel::Snippet { .. });
        let (d, item, correction, origin) = match r {
            RawLabel::Row {
                doc,
                item,
                written_for,
                answer,
                origin,
            } => {
                let d = docs.iter().position(|x| x.meta.label == doc).ok_or_else(|| {
                    Error::label(
                        &origin.path,
                        origin.line,
                        format!("unknown document `{doc}`: expected the label of a document of the run"),
                    )
                })?;
                let named = item.parse::<u32>().ok();
                let it = find_item(&docs[d], named, &written_for)
                    .map_err(|problem| Error::label(&origin.path, origin.line, problem))?;
                if let Some(n) = named.filter(|&n| n != it.id.0) {
                    out[d].moved.insert(it.id, n);
                }
                if it.kind != ItemKind::Requirement {
                    return Err(Error::label(
                        &origin.path,
                        origin.line,
                        format!(
                            "item {item} of `{doc}` is a {} item, not a requirement item: only rows of review.csv can be labelled",
                            it.kind.as_str()
                        ),
                    ));
                }
                let c = correction(&answer).ok_or_else(|| unknown_answer(&origin, &answer))?;
                (d, it.id, c, origin)
            }
            RawLabel::Snippet {
                seed,
                snippet,
                answer,
                origin,
            } => {
                let d = docs.iter().position(|x| x.meta.file == seed).ok_or_else(|| {
                    Error::label(
                        &origin.path,
                        origin.line,
                        format!("the labels are for `{seed}`, which is no file of the run's manifest"),
                    )
                })?;
                let doc = &docs[d];
                let at = doc.text.find(&snippet).ok_or_else(|| {
                    Error::label(
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
                let c = match correction(&answer) {
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
                return Err(Error::label(
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
                    written_for,
                    answer,
                    origin,
                },
            ] => {
                assert_eq!(
                    (doc.as_str(), item.as_str(), answer.as_str()),
                    ("西藏 2017", "12", "1.1")
                );
                assert_eq!(*written_for, WrittenFor::Text("加强政策解读".into()));
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
