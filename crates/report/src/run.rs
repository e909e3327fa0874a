//! The coverage run: manifest → ingest → align → tables → output folder.

use std::path::PathBuf;

use luoshi_align::{AlignConfig, Aligner, DocumentAlignment};
use luoshi_core::{IngestOptions, Manifest, RegionDocument, Taxonomy, ingest_file};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::frames::{Corpus, Table};
use crate::heatmap::heatmap_svg;
use crate::write::{WriteOptions, publish, staging_dir, write_table};

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The manifest (`seeds/regions.toml`).
    pub manifest: PathBuf,
    /// A taxonomy file; `None` for the embedded national 2017 taxonomy.
    pub taxonomy: Option<PathBuf>,
    /// Alignment settings; `None` for the calibrated defaults.
    pub config: Option<PathBuf>,
    /// The output folder, replaced whole at the end of a successful run.
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
}

/// Loads everything the run needs and aligns the corpus, writing nothing.
///
/// # Errors
/// The first error in manifest order: a bad manifest, a missing or
/// undecodable document, an invalid taxonomy or settings file.
pub fn analyse(opts: &RunOptions) -> Result<Analysis> {
    let manifest = Manifest::load(&opts.manifest)?;
    let taxonomy = match &opts.taxonomy {
        Some(p) => Taxonomy::load(p)?,
        None => Taxonomy::national_2017(),
    };
    let config = match &opts.config {
        Some(p) => AlignConfig::load(p)?,
        None => AlignConfig::default(),
    };
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
            Err(e) if opts.keep_going => skipped.push(Skipped {
                label: m.label.clone(),
                file: m.file.clone(),
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
/// Parquet files into `opts.out`. Output is staged in a sibling folder
/// and renamed into place only when everything is written, so a failed
/// run leaves the previous output untouched.
///
/// # Errors
/// As [`analyse`], plus [`Error::Io`] / [`Error::Polars`] when writing.
pub fn run(opts: &RunOptions) -> Result<RunOutput> {
    let Analysis {
        taxonomy,
        docs,
        alignments,
        skipped,
    } = analyse(opts)?;
    let corpus = Corpus {
        taxonomy: &taxonomy,
        docs: &docs,
        alignments: &alignments,
        skipped: &skipped,
    };
    let tables = corpus.tables()?;
    let staging = staging_dir(&opts.out)?;
    let written = (|| -> Result<()> {
        for t in &tables {
            write_table(&staging, t, opts.write)?;
        }
        let svg = heatmap_svg(&corpus, &|j, task| {
            let share = |c: &&luoshi_align::RequirementCoverage| match c.status {
                luoshi_align::CoverageStatus::Covered => 1.0,
                luoshi_align::CoverageStatus::Partial => 0.5,
                luoshi_align::CoverageStatus::Omitted => 0.0,
            };
            let under: Vec<_> = alignments[j]
                .coverage
                .iter()
                .filter(|c| &*c.task == task)
                .collect();
            if under.is_empty() {
                0.0
            } else {
                under.iter().map(share).sum::<f64>() / under.len() as f64
            }
        });
        let path = staging.join("heatmap.svg");
        std::fs::write(&path, svg).map_err(Error::io(&path))?;
        // The extracted text of every document, against which the spans
        // of alignment.csv can be checked (issue 13).
        let text_dir = staging.join("text");
        std::fs::create_dir_all(&text_dir).map_err(Error::io(&text_dir))?;
        for d in &docs {
            let path = text_dir.join(format!("{}.txt", file_label(&d.meta.label)));
            std::fs::write(&path, &d.text).map_err(Error::io(&path))?;
        }
        publish(&staging, &opts.out)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
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
