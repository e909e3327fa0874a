//! Paths and readers the modules share.

use std::path::{Path, PathBuf};

use luoshi_report::polars::prelude::{CsvReadOptions, DataFrame, SerReader as _};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The seeds' folder (`regions.toml` and the five documents).
pub fn seeds() -> PathBuf {
    root().join("seeds")
}

/// A CSV table as polars reads it, every row used to infer the types.
pub fn read_csv(path: &Path) -> DataFrame {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .unwrap()
        .finish()
        .unwrap()
}
