//! The coverage run: manifest → ingest → align → tables → output folder.

use std::path::PathBuf;

use luoshi_align::{AlignConfig, Aligner, DocumentAlignment};
use luoshi_core::manifest::label_key;
use luoshi_core::{DocumentMeta, IngestOptions, Manifest, RegionDocument, Taxonomy, ingest_file};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::frames::{Corpus, RESERVED_COLUMNS, Table};
use crate::heatmap::heatmap_svg;
use crate::html::report_html;
use crate::write::{TEXT_DIR, Target, WriteOptions, write_table};

/// The exit codes of the coverage command (README, "Errors you may meet").
pub mod exit_code {
    /// Everything was written.
    pub const OK: u8 = 0;
    /// An error stopped the run; nothing was written.
    pub const ERROR: u8 = 1;
    /// The command line was wrong (unknown option, missing value).
    pub const USAGE: u8 = 2;
    /// With `--keep-going`: the tables were written, but some documents
    /// were skipped (listed in `summary.csv` and on stderr).
    pub const SKIPPED: u8 = 3;
}

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The manifest (`seeds/regions.toml`).
    pub manifest: PathBuf,
    /// A taxonomy file; `None` for the embedded national 2017 taxonomy.
    pub taxonomy: Option<PathBuf>,
    /// Alignment settings; `None` for the calibrated defaults.
    pub config: Option<PathBuf>,
    /// The output folder, replaced whole at the end of a successful run
    /// (only when it is absent, empty, or luoshi's own output).
    pub out: PathBuf,
    /// CSV and Parquet options.
    pub write: WriteOptions,
    /// Skip documents that cannot be read or decoded (reported in
    /// `summary.csv` and [`Analysis::skipped`]) instead of stopping.
    pub keep_going: bool,
}

/// A document the run skipped (with `keep_going`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its manifest label.
    pub label: String,
    /// Its file name.
    pub file: String,
    /// Its manifest entry.
    pub meta: DocumentMeta,
    /// Why: the error's message, naming the file and the byte or line.
    pub error: String,
}

impl RunOptions {
    /// The defaults: `seeds/regions.toml` → `out/`.
    pub fn new() -> Self {
        RunOptions {
            manifest: PathBuf::from("seeds/regions.toml"),
            taxonomy: None,
            config: None,
            out: PathBuf::from("out"),
            write: WriteOptions::default(),
            keep_going: false,
        }
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// What a run produced.
#[derive(Debug)]
pub struct RunOutput {
    /// The aligned corpus.
    pub analysis: Analysis,
    /// The tables written.
    pub tables: Vec<Table>,
}

impl RunOutput {
    /// A short plain-text summary: per document, items by status and
    /// requirements covered / partial / omitted.
    pub fn summary_text(&self) -> String {
        crate::summary_text(&self.analysis.docs, &self.analysis.alignments)
    }

    /// [`exit_code::SKIPPED`] when documents were skipped, else
    /// [`exit_code::OK`].
    pub fn exit_code(&self) -> u8 {
        if self.analysis.skipped.is_empty() {
            exit_code::OK
        } else {
            exit_code::SKIPPED
        }
    }
}

/// What a run reads, loaded and checked.
struct Inputs {
    manifest: Manifest,
    taxonomy: Taxonomy,
    aligner_config: AlignConfig,
    /// Every file the run reads (to keep the output away from them).
    files: Vec<PathBuf>,
}

/// Loads the manifest, taxonomy and settings, and checks that every
/// label can be a column name.
fn load(opts: &RunOptions) -> Result<Inputs> {
    let manifest = Manifest::load(&opts.manifest)?;
    for (i, d) in manifest.documents.iter().enumerate() {
        let key = label_key(&d.label);
        if let Some(c) = RESERVED_COLUMNS.iter().find(|c| **c == key) {
            return Err(luoshi_core::Error::Manifest {
                path: opts.manifest.clone(),
                index: i + 1,
                file: d.file.clone(),
                message: format!(
                    "label `{}` reads as the column name `{c}` that the tables already have; choose another label",
                    d.label
                ),
            }
            .into());
        }
    }
    let taxonomy = match &opts.taxonomy {
        Some(p) => Taxonomy::load(p)?,
        None => Taxonomy::national_2017(),
    };
    let aligner_config = match &opts.config {
        Some(p) => AlignConfig::load(p)?,
        None => AlignConfig::default(),
    };
    let mut files = vec![opts.manifest.clone()];
    files.extend(opts.taxonomy.clone());
    files.extend(opts.config.clone());
    files.extend(manifest.documents.iter().map(|d| manifest.path_of(d)));
    Ok(Inputs {
        manifest,
        taxonomy,
        aligner_config,
        files,
    })
}

/// Loads everything the run needs and aligns the corpus, writing nothing.
///
/// # Errors
/// The first error in manifest order: a bad manifest, a missing or
/// undecodable document, an invalid taxonomy or settings file.
pub fn analyse(opts: &RunOptions) -> Result<Analysis> {
    align(load(opts)?, opts.keep_going)
}

fn align(inputs: Inputs, keep_going: bool) -> Result<Analysis> {
    let Inputs {
        manifest,
        taxonomy,
        aligner_config: config,
        ..
    } = inputs;
    let aligner = Aligner::with_config(&taxonomy, config)?;
    let ingest = IngestOptions::builder()
        .taxonomy_titles(&taxonomy)
        .build()?;
    let results: Vec<_> = manifest
        .documents
        .par_iter()
        .map(|m| ingest_file(&manifest.path_of(m), m.clone(), &ingest))
        .collect();
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    for (m, r) in manifest.documents.iter().zip(results) {
        match r {
            Ok(d) => docs.push(d),
            Err(e) if keep_going => skipped.push(Skipped {
                label: m.label.clone(),
                file: m.file.clone(),
                meta: m.clone(),
                error: e.to_string(),
            }),
            Err(e) => return Err(e.into()),
        }
    }
    let alignments = aligner.align_all(&docs);
    Ok(Analysis {
        taxonomy,
        docs,
        alignments,
        skipped,
    })
}

/// What [`analyse`] found.
#[derive(Debug)]
pub struct Analysis {
    /// The taxonomy aligned against.
    pub taxonomy: Taxonomy,
    /// The documents ingested.
    pub docs: Vec<RegionDocument>,
    /// Their alignments.
    pub alignments: Vec<DocumentAlignment>,
    /// Documents skipped with `keep_going`.
    pub skipped: Vec<Skipped>,
}

/// Runs the whole job and writes the tables, the heatmap and (optionally)
/// Parquet files into `opts.out`. The output path is checked before any
/// work (it must be absent, an empty folder, or luoshi's own output
/// folder, and hold no input of the run); output is staged in a sibling
/// folder and put in place only when everything is written, so a failed
/// run leaves the previous output untouched. Runs on one output folder
/// take turns through a lock file beside it.
///
/// # Errors
/// As [`analyse`], plus [`Error::Output`] for an output path that may not
/// be written and [`Error::Io`] / [`Error::Polars`] when writing.
pub fn run(opts: &RunOptions) -> Result<RunOutput> {
    let inputs = load(opts)?;
    let target = Target::check(&opts.out, &inputs.files)?;
    let Analysis {
        taxonomy,
        docs,
        alignments,
        skipped,
    } = align(inputs, opts.keep_going)?;
    let corpus = Corpus {
        taxonomy: &taxonomy,
        docs: &docs,
        alignments: &alignments,
        skipped: &skipped,
    };
    let tables = corpus.tables()?;
    let staging = target.stage()?;
    for t in &tables {
        write_table(staging.dir(), t, opts.write)?;
    }
    let svg = heatmap_svg(&corpus);
    let path = staging.dir().join("heatmap.svg");
    std::fs::write(&path, svg).map_err(Error::io(&path))?;
    let path = staging.dir().join("report.html");
    std::fs::write(&path, report_html(&corpus)).map_err(Error::io(&path))?;
    // The extracted text of every document, against which the spans of
    // alignment.csv can be checked (issue 13).
    let text_dir = staging.dir().join(TEXT_DIR);
    std::fs::create_dir_all(&text_dir).map_err(Error::io(&text_dir))?;
    for d in &docs {
        let path = text_dir.join(format!("{}.txt", file_label(&d.meta.label)));
        std::fs::write(&path, &d.text).map_err(Error::io(&path))?;
    }
    target.publish(staging)?;
    Ok(RunOutput {
        analysis: Analysis {
            taxonomy,
            docs,
            alignments,
            skipped,
        },
        tables,
    })
}

/// A document label as a file name: path separators, drive colons,
/// control characters and a leading dot become `_`.
fn file_label(label: &str) -> String {
    let mut name: String = label
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.starts_with('.') || name.is_empty() {
        name.insert(0, '_');
    }
    name
}
