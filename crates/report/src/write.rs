//! Writing the tables: CSV (optionally for Excel: a UTF-8 byte-order mark
//! and formula-leading cells neutralized), Parquet, and an output folder
//! that is replaced whole or not at all, and only when luoshi wrote it.
//!
//! The output folder's rules (README, "Errors you may meet"):
//! - `--out` is replaced only when it is absent, an empty folder, or a
//!   folder luoshi wrote (it holds the marker file [`MARKER`]) that holds
//!   nothing but luoshi's own files; anything else, or a folder holding an
//!   input of the run, is refused before any work.
//! - Runs on one `--out` take turns through a lock file next to it
//!   (`.NAME.lock`), held while a staging folder is created and while the
//!   finished output is put in place.
//! - Each run stages its output in `.NAME.partial-PID-N`, whose marker it
//!   keeps locked while it lives; staging folders whose marker nobody holds
//!   (left by a run that was killed) are removed by the next run.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use polars::prelude::*;

use crate::corpus::Table;
use crate::error::{Error, Result};
use crate::frames::{LIST_SEPARATOR, TABLE_NAMES};
use luoshi_core::manifest::TEXT_DIR;

/// The file that marks a folder as luoshi's output.
pub const MARKER: &str = ".luoshi-output";

const MARKER_TEXT: &str = "This folder was written by luoshi's coverage command.\n\
The next run with the same --out replaces it whole: keep your own files elsewhere.\n";

/// The line of the marker after which it lists, one a line, the files it
/// wrote into the folder's `text/`.
const TEXT_LIST: &str = "Files luoshi wrote in text/, one a line:";

/// The marker's text for a folder whose `text/` holds the files `texts`.
fn marker_text(texts: &[String]) -> String {
    let mut out = format!("{MARKER_TEXT}{TEXT_LIST}\n");
    for t in texts {
        out.push_str(t);
        out.push('\n');
    }
    out
}

/// The files of `text/` that the marker in `dir` lists as luoshi's; None
/// when the marker lists none (a marker of a luoshi before the list, or
/// none at all).
fn listed_texts(dir: &Path) -> Option<std::collections::HashSet<String>> {
    let bytes = std::fs::read(dir.join(MARKER)).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let (_, list) = text.split_once(&format!("{TEXT_LIST}\n"))?;
    Some(
        list.lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// How to write the tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Make the CSV files safe and readable in Excel: start each with a
    /// UTF-8 byte-order mark (so Excel on a Chinese Windows opens it
    /// without mojibake) and neutralize text cells that Excel would
    /// evaluate as a formula (see [`excel_safe`]).
    pub excel: bool,
    /// Also write each table as Parquet.
    pub parquet: bool,
}

/// A text cell as written with `--excel`: a cell starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'`, so Excel shows
/// it as text instead of evaluating it (the OWASP rule against CSV
/// injection). Other cells are unchanged.
pub fn excel_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The frame as CSV can hold it: list cells joined by [`LIST_SEPARATOR`],
/// and with `excel`, text cells and column names passed through
/// [`excel_safe`].
fn csv_frame(df: &DataFrame, excel: bool, table: &str) -> Result<DataFrame> {
    let fix = |v: &str| -> String {
        if excel {
            excel_safe(v).into_owned()
        } else {
            v.to_string()
        }
    };
    let mut cols = Vec::with_capacity(df.width());
    for c in df.columns() {
        let name = fix(c.name());
        let cell = |v: AnyValue<'_>| -> Option<String> {
            match v {
                AnyValue::Null => None,
                AnyValue::String(s) => Some(fix(s)),
                AnyValue::StringOwned(s) => Some(fix(&s)),
                AnyValue::List(items) => {
                    let parts: Vec<String> = items
                        .iter()
                        .map(|v| match v {
                            AnyValue::String(s) => s.to_string(),
                            other => other.to_string(),
                        })
                        .collect();
                    Some(fix(&parts.join(LIST_SEPARATOR)))
                }
                other => Some(fix(&other.to_string())),
            }
        };
        let col = match c.dtype() {
            DataType::List(_) => {
                let v: Vec<Option<String>> = c.as_materialized_series().iter().map(cell).collect();
                Column::new(name.into(), v)
            }
            DataType::String if excel => {
                let v: Vec<Option<String>> = c.as_materialized_series().iter().map(cell).collect();
                Column::new(name.into(), v)
            }
            _ => c.clone().with_name(name.into()),
        };
        cols.push(col);
    }
    DataFrame::new_infer_height(cols).map_err(Error::polars(table))
}

/// Writes `table` as `<dir>/<name>.csv` (and `.parquet`).
///
/// # Errors
/// [`Error::Io`] or [`Error::Polars`] naming the file.
pub fn write_table(dir: &Path, table: &Table, opts: WriteOptions) -> Result<()> {
    write_csv(&dir.join(format!("{}.csv", table.name)), table, opts.excel)?;
    if opts.parquet {
        let mut df = table.frame.clone();
        let pq = dir.join(format!("{}.parquet", table.name));
        let mut file = File::create(&pq).map_err(Error::io(&pq))?;
        ParquetWriter::new(&mut file)
            .finish(&mut df)
            .map_err(Error::polars(table.name))?;
    }
    Ok(())
}

/// Writes `table` as CSV at `csv` (creating or truncating it; lists
/// joined by [`LIST_SEPARATOR`]); with `excel`, behind a UTF-8 byte order
/// mark and with text cells passed through [`excel_safe`].
///
/// # Errors
/// [`Error::Io`] or [`Error::Polars`] naming the file.
pub fn write_csv(csv: &Path, table: &Table, excel: bool) -> Result<()> {
    let mut df = csv_frame(&table.frame, excel, table.name)?;
    let mut file = File::create(csv).map_err(Error::io(csv))?;
    if excel {
        file.write_all(b"\xEF\xBB\xBF").map_err(Error::io(csv))?;
    }
    CsvWriter::new(&mut file)
        .include_header(true)
        .finish(&mut df)
        .map_err(Error::polars(table.name))?;
    file.flush().map_err(Error::io(csv))
}

/// Reads a Parquet table back (for checks and for users).
///
/// # Errors
/// [`Error::Io`] or [`Error::Polars`].
pub fn read_parquet(path: &Path) -> Result<DataFrame> {
    let file = File::open(path).map_err(Error::io(path))?;
    ParquetReader::new(file)
        .finish()
        .map_err(Error::polars("parquet"))
}

/// Whether `name` is a file luoshi writes into its output folder.
fn is_output_name(name: &str) -> bool {
    name == MARKER
        || name == "heatmap.svg"
        || name == "report.html"
        || name == crate::review::REVIEW_XLSX
        || TABLE_NAMES.iter().chain(&OPTIONAL_TABLES).any(|t| {
            name.strip_prefix(t)
                .is_some_and(|ext| ext == ".csv" || ext == ".parquet")
        })
}

/// Tables written only by some runs: `label_metrics` with `--labels`.
pub(crate) const OPTIONAL_TABLES: [&str; 1] = ["label_metrics"];

/// Writes the marker into `dir`, a taxonomy's subfolder of the output
/// (a run whose documents answer several taxonomies), listing the files
/// `texts` that the run writes into its `text/`.
pub(crate) fn write_marker(dir: &Path, texts: &[String]) -> Result<()> {
    let path = dir.join(MARKER);
    std::fs::write(&path, marker_text(texts)).map_err(Error::io(&path))
}

/// An entry of an output folder that luoshi did not write.
struct Foreign {
    path: PathBuf,
    /// Why it counts as not luoshi's, when that is not plain.
    note: &'static str,
}

/// The first entry of `dir` that luoshi does not write, if any: in the
/// output folder, its tables, heatmap, report page and marker, and in the
/// `text` folder the files its marker lists; and, for a run of several
/// taxonomies, a subfolder per taxonomy (named by its pack id, with its
/// own marker) holding the same.
fn foreign_entry(dir: &Path) -> Result<Option<Foreign>> {
    foreign_entry_in(dir, false)
}

fn foreign_entry_in(dir: &Path, nested: bool) -> Result<Option<Foreign>> {
    let foreign = |path: PathBuf| Ok(Some(Foreign { path, note: "" }));
    for e in std::fs::read_dir(dir).map_err(Error::io(dir))? {
        let e = e.map_err(Error::io(dir))?;
        let name = e.file_name();
        let kind = e.file_type().map_err(Error::io(e.path()))?;
        let taxonomy_dir = !nested
            && kind.is_dir()
            && name
                .to_str()
                .is_some_and(|n| luoshi_core::manifest::pack_id_problem(n).is_none())
            && e.path().join(MARKER).is_file();
        if taxonomy_dir {
            match foreign_entry_in(&e.path(), true)? {
                Some(f) => return Ok(Some(f)),
                None => continue,
            }
        }
        if name == TEXT_DIR && kind.is_dir() {
            // luoshi's only if every entry is a file the marker lists: a
            // .txt file of the user's is not replaced with the folder.
            let listed = listed_texts(dir);
            for t in std::fs::read_dir(e.path()).map_err(Error::io(e.path()))? {
                let t = t.map_err(Error::io(e.path()))?;
                let is_file = t.file_type().map_err(Error::io(t.path()))?.is_file();
                let known = t
                    .file_name()
                    .to_str()
                    .is_some_and(|n| listed.as_ref().is_some_and(|l| l.contains(n)));
                if !(is_file && known) {
                    let note = if listed.is_none() {
                        " (the folder's marker, from a luoshi before 0.1 or written by hand, lists no file of text/)"
                    } else {
                        ""
                    };
                    return Ok(Some(Foreign {
                        path: t.path(),
                        note,
                    }));
                }
            }
            continue;
        }
        let ours = name.to_str().is_some_and(is_output_name) && kind.is_file();
        if !ours {
            return foreign(e.path());
        }
    }
    Ok(None)
}

/// An output folder, checked: where it is and what it is called.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// The path as given.
    out: PathBuf,
    /// Its folder (absolute).
    parent: PathBuf,
    /// Its name.
    name: String,
}

/// What sits at the output path.
enum Found {
    Absent,
    /// A folder that may be replaced (empty, or luoshi's own).
    Replaceable,
}

const SYMLINK: &str = "it is a symbolic link; give the folder itself or a new path";

fn refuse(path: &Path, reason: impl Into<String>) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

impl Target {
    /// Checks `out` before any work: it must be absent, an empty folder,
    /// or a folder luoshi wrote holding only luoshi's files, and must not
    /// hold any of `inputs`.
    pub(crate) fn check(out: &Path, inputs: &[PathBuf]) -> Result<Target> {
        let meta = match std::fs::symlink_metadata(out) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(out)(e)),
        };
        if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
            return Err(refuse(out, SYMLINK));
        }
        let full = if meta.is_some() {
            std::fs::canonicalize(out).map_err(Error::io(out))?
        } else {
            let parent = out
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
            let name = out
                .file_name()
                .ok_or_else(|| refuse(out, "expected a folder name (not `..`)"))?;
            std::fs::canonicalize(parent)
                .map_err(Error::io(parent))?
                .join(name)
        };
        for input in inputs {
            let input = std::fs::canonicalize(input).unwrap_or_else(|_| input.clone());
            if input.starts_with(&full) {
                return Err(refuse(
                    out,
                    format!(
                        "it holds {}, an input of this run; choose another --out",
                        input.display()
                    ),
                ));
            }
        }
        let (Some(parent), Some(name)) = (full.parent(), full.file_name()) else {
            return Err(refuse(out, "it is the root folder"));
        };
        let target = Target {
            out: out.to_path_buf(),
            parent: parent.to_path_buf(),
            name: name.to_string_lossy().into_owned(),
        };
        target.found()?;
        Ok(target)
    }

    /// What is at the output path now; an error when it may not be
    /// replaced.
    fn found(&self) -> Result<Found> {
        let out = &self.out;
        let meta = match std::fs::symlink_metadata(self.path()) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Absent),
            Err(e) => return Err(Error::io(out)(e)),
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            return Err(refuse(out, SYMLINK));
        }
        if kind.is_file() {
            return Err(refuse(
                out,
                "it is a file, not a folder; choose a new path for the output folder",
            ));
        }
        if !kind.is_dir() {
            return Err(refuse(
                out,
                "it is not a folder (a device, pipe or socket); choose a new path",
            ));
        }
        let dir = self.path();
        let empty = std::fs::read_dir(&dir)
            .map_err(Error::io(out))?
            .next()
            .is_none();
        if empty {
            return Ok(Found::Replaceable);
        }
        if !dir.join(MARKER).is_file() {
            return Err(refuse(
                out,
                format!(
                    "it is a folder luoshi did not write (it has no {MARKER} marker); choose a new path, or empty it"
                ),
            ));
        }
        if let Some(foreign) = foreign_entry(&dir)? {
            return Err(refuse(
                out,
                format!(
                    "it holds {}, which luoshi did not write{}; move that file away or choose another --out",
                    foreign.path.display(),
                    foreign.note
                ),
            ));
        }
        Ok(Found::Replaceable)
    }

    /// The output folder's absolute path.
    fn path(&self) -> PathBuf {
        self.parent.join(&self.name)
    }

    /// Waits for the lock that runs on this output folder take turns on.
    fn lock(&self) -> Result<File> {
        let path = self.parent.join(format!(".{}.lock", self.name));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(Error::io(&path))?;
        file.lock().map_err(Error::io(&path))?;
        Ok(file)
    }

    /// Removes the staging folders (and set-aside old outputs) that runs
    /// which died left behind. A folder whose marker a live run holds is
    /// kept; so is one holding anything luoshi does not write.
    fn sweep(&self) -> Result<()> {
        let partial = format!(".{}.partial-", self.name);
        let old = format!(".{}.old-", self.name);
        let entries = std::fs::read_dir(&self.parent).map_err(Error::io(&self.parent))?;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !(name.starts_with(&partial) || name.starts_with(&old))
                || !e.file_type().is_ok_and(|t| t.is_dir())
            {
                continue;
            }
            let dir = e.path();
            if let Ok(marker) = File::open(dir.join(MARKER)) {
                match marker.try_lock() {
                    Ok(()) => {}
                    Err(TryLockError::WouldBlock) => continue,
                    Err(TryLockError::Error(_)) => continue,
                }
            }
            // Best effort: what cannot be removed now is tried again by
            // the next run.
            if matches!(foreign_entry(&dir), Ok(None)) {
                let _ = std::fs::remove_dir_all(&dir);
            }
        }
        Ok(())
    }

    /// Creates this run's staging folder (after removing dead runs' ones).
    pub(crate) fn stage(&self) -> Result<Staging> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let _lock = self.lock()?;
        self.sweep()?;
        let id = format!(
            "{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let dir = self.parent.join(format!(".{}.partial-{id}", self.name));
        std::fs::create_dir(&dir).map_err(Error::io(&dir))?;
        let mut staging = Staging {
            id,
            dir,
            marker: None,
            published: false,
        };
        let path = staging.dir.join(MARKER);
        let mut marker = File::create(&path).map_err(Error::io(&path))?;
        marker.lock().map_err(Error::io(&path))?;
        marker
            .write_all(marker_text(&[]).as_bytes())
            .map_err(Error::io(&path))?;
        staging.marker = Some(marker);
        Ok(staging)
    }

    /// Puts the staged output in place of the output folder, under the
    /// lock, checking again that what is there may be replaced.
    pub(crate) fn publish(&self, mut staging: Staging) -> Result<()> {
        let _lock = self.lock()?;
        let out = self.path();
        let old = match self.found()? {
            Found::Absent => None,
            Found::Replaceable => {
                let old = self
                    .parent
                    .join(format!(".{}.old-{}", self.name, staging.id));
                std::fs::rename(&out, &old).map_err(Error::io(&self.out))?;
                Some(old)
            }
        };
        if let Err(e) = std::fs::rename(&staging.dir, &out) {
            if let Some(old) = &old {
                let _ = std::fs::rename(old, &out);
            }
            return Err(Error::io(&self.out)(e));
        }
        staging.published = true;
        if let Some(old) = old {
            // Checked above: empty, or only luoshi's files. The new output
            // is in place; what cannot be removed now (it keeps its
            // marker) the next run's sweep removes.
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

/// A run's staging folder; removed when dropped unpublished.
#[derive(Debug)]
pub(crate) struct Staging {
    /// `PID-N`: this process, and its Nth staging folder.
    id: String,
    dir: PathBuf,
    /// The marker, locked while the run lives.
    marker: Option<File>,
    published: bool,
}

impl Staging {
    /// The folder to write into.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Lists in the marker the files `texts` that the run writes into the
    /// folder's `text/` (before it writes them, so that a run killed
    /// meanwhile leaves nothing its marker does not list).
    pub(crate) fn list_texts(&mut self, texts: &[String]) -> Result<()> {
        let path = self.dir.join(MARKER);
        let Some(marker) = self.marker.as_mut() else {
            return write_marker(&self.dir, texts);
        };
        let text = marker_text(texts);
        marker
            .set_len(0)
            .and_then(|()| marker.seek(SeekFrom::Start(0)))
            .and_then(|_| marker.write_all(text.as_bytes()))
            .map_err(Error::io(&path))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        self.marker.take();
    }
}
