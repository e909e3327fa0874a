//! Writing the tables: CSV (optionally with a UTF-8 byte-order mark for
//! Excel), Parquet, and an output folder that is replaced whole or not at
//! all.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::frames::Table;

/// How to write the tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Start each CSV with a UTF-8 byte-order mark, so Excel on a Chinese
    /// Windows opens it without mojibake.
    pub excel: bool,
    /// Also write each table as Parquet.
    pub parquet: bool,
}

/// Writes `table` as `<dir>/<name>.csv` (and `.parquet`).
///
/// # Errors
/// [`Error::Io`] or [`Error::Polars`] naming the file.
pub fn write_table(dir: &Path, table: &Table, opts: WriteOptions) -> Result<()> {
    let mut df = table.frame.clone();
    let csv = dir.join(format!("{}.csv", table.name));
    let mut file = File::create(&csv).map_err(Error::io(&csv))?;
    if opts.excel {
        file.write_all(b"\xEF\xBB\xBF").map_err(Error::io(&csv))?;
    }
    CsvWriter::new(&mut file)
        .include_header(true)
        .finish(&mut df)
        .map_err(Error::polars(table.name))?;
    file.flush().map_err(Error::io(&csv))?;
    if opts.parquet {
        let pq = dir.join(format!("{}.parquet", table.name));
        let mut file = File::create(&pq).map_err(Error::io(&pq))?;
        ParquetWriter::new(&mut file)
            .finish(&mut df)
            .map_err(Error::polars(table.name))?;
    }
    Ok(())
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

/// Creates a fresh staging folder next to `out`.
pub(crate) fn staging_dir(out: &Path) -> Result<PathBuf> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(Error::io(&staging))?;
    }
    std::fs::create_dir(&staging).map_err(Error::io(&staging))?;
    Ok(staging)
}

/// Replaces `out` by `staging`: the old folder is moved aside, the new
/// one renamed into place, the old one removed. A failure before the
/// rename leaves `out` as it was.
pub(crate) fn publish(staging: &Path, out: &Path) -> Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, &old).map_err(Error::io(out))?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        return Err(Error::io(out)(e));
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(Error::io(&old))?;
    }
    Ok(())
}
