//! The review sheet: the `review` table (`review.csv`) and its Excel
//! workbook (`review.xlsx`).

use std::path::Path;

use std::collections::HashMap;

use luoshi_align::{Correction, ItemAlignment};
use polars::prelude::*;

use super::labels::Labels;
use super::types::{XLSX_CELL_CHARS, text_hash};
use crate::corpus::{Corpus, Table, round4};
use crate::error::{Error, Result};

/// The review sheet as an Excel workbook, written with `--excel`.
pub const REVIEW_XLSX: &str = "review.xlsx";

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

/// Fills the `correct` column of the `review` table with the answers
/// the run's labels gave (so that the next review.csv carries them): a
/// review sheet's answer as it was given (ids in the tables' form), and a
/// TOML label's task as a sheet says the same: `ok` where the model's
/// decision lies in that task and stands, else the task (`T1.1`: the item
/// became a task item of it).
pub(crate) fn carry_answers(
    review: &mut Table,
    corpus: &Corpus<'_>,
    labels: &Labels,
) -> Result<()> {
    let mut answers: HashMap<(&str, u64), String> = HashMap::new();
    let documents = corpus.docs.iter().zip(&labels.documents).zip(&labels.model);
    for ((doc, l), model) in documents {
        for (item, c) in &l.corrections {
            let answer = match c {
                Correction::Requirement(id) | Correction::Task(id) => corpus.tid(id),
                Correction::WithinTask(t) if !model.item(*item).is_some_and(|m| c.agrees(m)) => {
                    corpus.tid(t)
                }
                Correction::WithinTask(_) => "ok".to_string(),
                other => other.answer().to_string(),
            };
            answers.insert((doc.meta.label.as_str(), u64::from(item.0)), answer);
        }
    }
    let frame = &review.frame;
    let column = |name: &str| frame.column(name).map_err(Error::polars("review"));
    let docs = column("doc")?
        .str()
        .map_err(Error::polars("review"))?
        .clone();
    let items = column("item_id")?
        .u64()
        .map_err(Error::polars("review"))?
        .clone();
    let correct: Vec<Option<String>> = docs
        .iter()
        .zip(items.iter())
        .map(|(d, i)| answers.get(&(d?, i?)).cloned())
        .collect();
    review
        .frame
        .with_column(Column::new("correct".into(), correct))
        .map_err(Error::polars("review"))?;
    Ok(())
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
        let text = |v: Vec<Option<String>>, name: &str| Column::new(name.into(), v);
        let mut c: Vec<Vec<Option<String>>> = vec![Vec::new(); 12];
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
            // What the row was written for: a label follows it when the
            // document changes.
            c[4].push(item.map(|i| text_hash(doc.raw(i))));
            c[5].push(Some(a.status.as_str().to_string()));
            c[6].push(
                a.requirement
                    .as_ref()
                    .or(a.task.as_ref())
                    .map(|x| self.tid(x)),
            );
            confidence.push(round4(a.confidence));
            c[7].push(a.runner_up.as_ref().map(|r| self.tid(&r.id)));
            runner_score.push(a.runner_up.as_ref().map(|r| round4(r.score)));
            c[8].push(a.alternative.as_ref().map(|r| self.tid(&r.id)));
            alt_p.push(a.alternative.as_ref().map(|r| round4(r.score)));
            c[9].push(a.nearest.as_ref().map(|r| self.tid(&r.id)));
            c[10].push(Some(a.source.as_str().to_string()));
            c[11].push(None);
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
            next("text_hash"),
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
