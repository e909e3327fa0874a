//! The coverage run: manifest → ingest → align → tables → output folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use luoshi_align::setup::{Group, TaxonomyChoice, groups};
use luoshi_align::{AlignConfig, Aligner, DocumentAlignment};
use luoshi_core::manifest::{TEXT_DIR, label_key};
use luoshi_core::{DocumentMeta, IngestOptions, Manifest, RegionDocument, Taxonomy};
use rayon::prelude::*;

use crate::corpus::{Corpus, Skipped, Table};
use crate::error::{Error, Result};
use crate::frames::RESERVED_COLUMNS;
use crate::heatmap::heatmap_svg;
use crate::html::report_html_with;
use crate::write::{Target, WriteOptions, write_marker, write_table};

/// The exit codes of the coverage command (README, "Errors you may meet").
pub mod exit_code {
    /// Everything was written.
    pub const OK: u8 = 0;
    /// An error stopped the run; nothing was written.
    pub const ERROR: u8 = 1;
    /// The command line was wrong (unknown option, missing value).
    pub const USAGE: u8 = 2;
    /// With `--keep-going`: the tables were written, but some documents
    /// (missing or unreadable) were skipped (listed in `summary.csv` and on
    /// stderr).
    pub const SKIPPED: u8 = 3;
}

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The manifest (`seeds/regions.toml`).
    pub manifest: PathBuf,
    /// A taxonomy file that every document is aligned against (with the
    /// shipped decision model); `None`: each document answers its
    /// taxonomy pack (see `packs`).
    pub taxonomy: Option<PathBuf>,
    /// The packs folder (one folder per taxonomy, such as `taxonomies/`);
    /// `None`: a `taxonomies/` folder next to the manifest when there is
    /// one. The embedded national 2017 pack is always available. Each
    /// document answers the pack its manifest entry names, else
    /// `national_<year>` when available, else `national_2017`; documents
    /// of several taxonomies give one set of tables per taxonomy.
    pub packs: Option<PathBuf>,
    /// Alignment settings; `None` for the calibrated defaults.
    pub config: Option<PathBuf>,
    /// The output folder, replaced whole at the end of a successful run
    /// (only when it is absent, empty, or luoshi's own output).
    pub out: PathBuf,
    /// CSV and Parquet options.
    pub write: WriteOptions,
    /// Skip documents that are missing or cannot be read or decoded
    /// (reported in `summary.csv` and [`Analysis::skipped`]) instead of
    /// stopping; a run that skips every document writes nothing
    /// ([`Error::NothingLeft`]).
    pub keep_going: bool,
    /// A researcher's labels: filled-in review sheets (`review.csv`,
    /// `review.xlsx`),
    /// TOML label files, or folders of them ([`crate::review`]). Labelled
    /// items take the researcher's decision (`source = label`), and
    /// `label_metrics` measures the model on them.
    pub labels: Vec<PathBuf>,
    /// A refitted model folder ([`crate::Refit::save`]) to decide with,
    /// instead of the shipped model and vocabulary, for the taxonomy it
    /// was fitted for ([`luoshi_align::DecisionModel::taxonomy`]; from the
    /// folder's subfolder named by a pack id when it has one, as a refit
    /// of several taxonomies writes). The other taxonomies keep their own
    /// models; a folder fitted for none of them is an [`Error::Model`].
    pub model: Option<PathBuf>,
}

impl RunOptions {
    /// The defaults: `seeds/regions.toml` → `out/`.
    pub fn new() -> Self {
        RunOptions {
            manifest: PathBuf::from("seeds/regions.toml"),
            taxonomy: None,
            packs: None,
            config: None,
            out: PathBuf::from("out"),
            write: WriteOptions::default(),
            keep_going: false,
            labels: Vec::new(),
            model: None,
        }
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// What a run produced: one set of tables per taxonomy the documents
/// answer, in the order the manifest first uses them.
#[derive(Debug)]
pub struct RunOutput {
    /// Per taxonomy: the aligned documents and the tables written.
    pub groups: Vec<GroupOutput>,
}

/// The documents of one taxonomy and their tables.
#[derive(Debug)]
pub struct GroupOutput {
    /// The aligned documents.
    pub analysis: Analysis,
    /// The tables written.
    pub tables: Vec<Table>,
    /// The document profiles and the reuse between the documents
    /// (computed once, for the tables and the page).
    pub measured: luoshi_analysis::Analyses,
    /// Where they were written, relative to the output folder: empty
    /// when the run used one taxonomy, else the taxonomy's id.
    pub dir: PathBuf,
}

impl RunOutput {
    /// A short plain-text summary: per document, items by status and
    /// requirements covered / partial / omitted (under a heading per
    /// taxonomy when there are several).
    pub fn summary_text(&self) -> String {
        let mut out = String::new();
        for g in &self.groups {
            let a = &g.analysis;
            if self.groups.len() > 1 {
                out.push_str(&format!("taxonomy {} ({}/):\n", a.pack, g.dir.display()));
            }
            out.push_str(&crate::summary_text(&a.docs, &a.alignments));
        }
        out
    }

    /// The documents skipped (with `keep_going`), all taxonomies.
    pub fn skipped(&self) -> impl Iterator<Item = &Skipped> {
        self.groups.iter().flat_map(|g| &g.analysis.skipped)
    }

    /// The number of tables written, all taxonomies.
    pub fn table_count(&self) -> usize {
        self.groups.iter().map(|g| g.tables.len()).sum()
    }

    /// [`exit_code::SKIPPED`] when documents were skipped, else
    /// [`exit_code::OK`].
    pub fn exit_code(&self) -> u8 {
        if self.skipped().next().is_none() {
            exit_code::OK
        } else {
            exit_code::SKIPPED
        }
    }
}

/// Where a run has got to, for a progress display
/// ([`run_with_progress`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// One more document was read and split into items (or, with
    /// `keep_going`, skipped).
    Ingested {
        /// The manifest holds this many documents.
        total: usize,
    },
    /// One more document was aligned.
    Aligned {
        /// The manifest holds this many documents.
        total: usize,
    },
    /// The tables, the heatmap and the texts are being written.
    Writing,
}

/// What a run reads, loaded and checked.
struct Inputs {
    manifest: Manifest,
    /// The taxonomies used, in order of first use, with their documents.
    groups: Vec<Group>,
    /// The label files and their labels, not yet matched to items.
    labels: Option<(Vec<PathBuf>, Vec<crate::review::RawLabel>)>,
    /// Every file the run reads (to keep the output away from them).
    files: Vec<PathBuf>,
}

/// Loads the manifest, taxonomy and settings, and checks that every
/// label can be a column name.
fn load(opts: &RunOptions) -> Result<Inputs> {
    // With keep_going a missing file is skipped and reported like an
    // unreadable one, not a reason to stop before any work.
    let manifest = if opts.keep_going {
        Manifest::load_allowing_missing(&opts.manifest)?
    } else {
        Manifest::load(&opts.manifest)?
    };
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
    let aligner_config = match &opts.config {
        Some(p) => AlignConfig::load(p)?,
        None => AlignConfig::default(),
    };
    let mut files = vec![opts.manifest.clone()];
    files.extend(opts.taxonomy.clone());
    files.extend(opts.config.clone());
    files.extend(manifest.documents.iter().map(|d| manifest.path_of(d)));
    let choice = match &opts.taxonomy {
        Some(path) => {
            if let Some(packs) = &opts.packs {
                return Err(luoshi_align::Error::Pack {
                    path: packs.clone(),
                    message: format!(
                        "a packs folder cannot be used with the taxonomy file {} (which every document is aligned against); give one of the two",
                        path.display()
                    ),
                }
                .into());
            }
            TaxonomyChoice::File(path.clone())
        }
        None => TaxonomyChoice::Packs(opts.packs.clone()),
    };
    let mut groups = groups(
        &manifest,
        &opts.manifest,
        &choice,
        &IngestOptions::builder(),
        &aligner_config,
    )?;
    // A pack read from a folder is an input of the run too.
    files.extend(groups.iter().filter_map(|g| g.prepared.dir.clone()));
    // A refitted model replaces the own model of the taxonomy it was
    // fitted for: a learned vocabulary names tasks, and task `1.2` of one
    // national document is not task `1.2` of another.
    if let Some(dir) = &opts.model {
        files.push(dir.clone());
        let mut fitted_for = Vec::new();
        for g in &mut groups {
            let p = &g.prepared;
            let id = &p.taxonomy.meta().id;
            match crate::review::load_model_for(dir, &p.pack)? {
                Some((model, vocabulary)) if model.taxonomy == *id => {
                    let aligner = Aligner::with_learned(
                        &p.taxonomy,
                        aligner_config.clone(),
                        model,
                        &vocabulary,
                    )?;
                    g.prepared = Arc::new(p.with_aligner(aligner));
                }
                _ => fitted_for.push(format!("{} (taxonomy `{id}`)", p.pack)),
            }
        }
        if fitted_for.len() == groups.len() {
            return Err(Error::Model {
                path: dir.clone(),
                message: format!(
                    "no model here was fitted for a taxonomy of this run ({}): expected decision.toml and vocabulary.toml refitted on documents of one of them, in this folder or in a subfolder named by its pack id (as --refit writes)",
                    fitted_for.join(", ")
                ),
            });
        }
    }
    let labels = if opts.labels.is_empty() {
        None
    } else {
        let label_files = crate::review::label_files(&opts.labels)?;
        files.extend(label_files.iter().cloned());
        let raw = crate::review::read_labels(&label_files)?;
        Some((label_files, raw))
    };
    Ok(Inputs {
        manifest,
        groups,
        labels,
        files,
    })
}

/// Loads everything the run needs and aligns the corpus, writing nothing:
/// one [`Analysis`] per taxonomy the documents answer, in the order the
/// manifest first uses them (one when they all answer the same).
///
/// # Errors
/// The first error in manifest order: a bad manifest (a taxonomy it names
/// that no pack provides included), a missing or undecodable document,
/// an invalid taxonomy, pack or settings file.
pub fn analyse(opts: &RunOptions) -> Result<Vec<Analysis>> {
    align(load(opts)?, opts.keep_going, &|_| {})
}

fn align(
    inputs: Inputs,
    keep_going: bool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<Analysis>> {
    let Inputs {
        manifest,
        groups,
        labels,
        ..
    } = inputs;
    // Each taxonomy's documents get their labels; labels of a document
    // the manifest does not list go to the first, which reports them.
    let mut raw = labels.map(|(files, raw)| (files, raw.into_iter().map(Some).collect::<Vec<_>>()));
    groups
        .into_iter()
        .enumerate()
        .map(|(gi, g)| {
            let mine = raw.as_mut().map(|(files, raw)| {
                let metas: Vec<&DocumentMeta> =
                    g.docs.iter().map(|&i| &manifest.documents[i]).collect();
                let taken: Vec<crate::review::RawLabel> = raw
                    .iter_mut()
                    .filter(|r| {
                        r.as_ref().is_some_and(|r| {
                            metas.iter().any(|m| r.names(m))
                                || (gi == 0 && !manifest.documents.iter().any(|m| r.names(m)))
                        })
                    })
                    .filter_map(Option::take)
                    .collect();
                (files.clone(), taken)
            });
            align_group(&manifest, g, keep_going, mine, progress)
        })
        .collect()
}

fn align_group(
    manifest: &Manifest,
    group: Group,
    keep_going: bool,
    labels: Option<(Vec<PathBuf>, Vec<crate::review::RawLabel>)>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Analysis> {
    let total = manifest.documents.len();
    let results = group.ingest(manifest, &|| progress(Progress::Ingested { total }));
    let Group {
        prepared,
        docs: indexes,
    } = group;
    let aligner = &prepared.aligner;
    let metas: Vec<&DocumentMeta> = indexes.iter().map(|&i| &manifest.documents[i]).collect();
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    for (m, r) in metas.into_iter().zip(results) {
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
    // `Aligner::align_all`, one document at a time for the progress display.
    let mut alignments: Vec<DocumentAlignment> = docs
        .par_iter()
        .map(|d| {
            let a = aligner.align_document(d);
            progress(Progress::Aligned { total });
            a
        })
        .collect();
    // The researcher's labels: the model's alignments are kept for
    // label_metrics, the corrected ones are reported. Labels of a
    // skipped document wait for a run that reads it.
    let labels = labels.map(|(files, raw)| {
        let read = |r: &crate::review::RawLabel| !skipped.iter().any(|s| r.names(&s.meta));
        (files, raw.into_iter().filter(read).collect::<Vec<_>>())
    });
    let labels = match labels {
        Some((files, raw)) => {
            let documents = crate::review::resolve(raw, &docs, &prepared.taxonomy, aligner)?;
            let corrected: Vec<DocumentAlignment> = docs
                .par_iter()
                .zip(&documents)
                .map(|(d, l)| aligner.align_document_corrected(d, &l.corrections))
                .collect();
            let model = std::mem::replace(&mut alignments, corrected);
            let refs: Vec<(usize, &DocumentAlignment)> = model.iter().enumerate().collect();
            let metrics =
                crate::review::Metrics::measure(&docs, &documents, &model, &refs, aligner);
            Some(crate::review::Labels {
                files,
                documents,
                model,
                metrics,
            })
        }
        None => None,
    };
    Ok(Analysis {
        pack: prepared.pack.clone(),
        taxonomy: prepared.taxonomy.clone(),
        docs,
        alignments,
        skipped,
        labels,
    })
}

/// What [`analyse`] found for the documents of one taxonomy.
#[derive(Debug)]
pub struct Analysis {
    /// The taxonomy pack's id (with a taxonomy file: the taxonomy's own
    /// id).
    pub pack: String,
    /// The taxonomy aligned against.
    pub taxonomy: Taxonomy,
    /// The documents ingested.
    pub docs: Vec<RegionDocument>,
    /// Their alignments.
    pub alignments: Vec<DocumentAlignment>,
    /// Documents skipped with `keep_going`.
    pub skipped: Vec<Skipped>,
    /// The researcher's labels, when the run was given some
    /// ([`RunOptions::labels`]); the alignments above are the corrected
    /// ones.
    pub labels: Option<crate::review::Labels>,
}

/// Runs the whole job and writes the tables, the heatmap and (optionally)
/// Parquet files into `opts.out`. The output path is checked before any
/// work (it must be absent, an empty folder, or luoshi's own output
/// folder, and hold no input of the run); output is staged in a sibling
/// folder and put in place only when everything is written, so a failed
/// run leaves the previous output untouched. Runs on one output folder
/// take turns through a lock file beside it.
///
/// When the documents answer one taxonomy, the tables are written in the
/// output folder itself; when they answer several, each taxonomy's
/// tables, heatmap and texts go to a subfolder named by its pack id
/// (`out/national_2017/`, `out/national_2018/`).
///
/// # Errors
/// As [`analyse`], plus [`Error::Output`] for an output path that may not
/// be written, [`Error::NothingLeft`] when every document was skipped
/// (`keep_going`; nothing is written) and [`Error::Io`] / [`Error::Polars`]
/// when writing.
pub fn run(opts: &RunOptions) -> Result<RunOutput> {
    run_with_progress(opts, &|_| {})
}

/// [`run`], calling `progress` as documents are ingested and aligned (from
/// worker threads, in no fixed order) and before writing.
///
/// # Errors
/// As [`run`].
pub fn run_with_progress(
    opts: &RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<RunOutput> {
    let inputs = load(opts)?;
    let target = Target::check(&opts.out, &inputs.files)?;
    let analyses = align(inputs, opts.keep_going, progress)?;
    // Tables of no document would replace a good earlier output with
    // empty ones: nothing is written.
    if analyses.iter().all(|a| a.docs.is_empty()) {
        return Err(Error::NothingLeft {
            manifest: opts.manifest.clone(),
            out: opts.out.clone(),
            skipped: analyses
                .iter()
                .flat_map(|a| &a.skipped)
                .map(|s| format!("{} ({}): {}", s.label, s.file, s.error))
                .collect(),
        });
    }
    progress(Progress::Writing);
    let several = analyses.len() > 1;
    let mut built = Vec::new();
    for analysis in analyses {
        let measured = corpus(&analysis).analyses()?;
        let mut tables = corpus(&analysis).tables_with(&measured)?;
        if let Some(l) = &analysis.labels {
            // The next review sheet carries the answers already given.
            if let Some(review) = tables.iter_mut().find(|t| t.name == "review") {
                crate::review::carry_answers(review, &corpus(&analysis), l)?;
            }
            tables.push(l.metrics.table()?);
        }
        let dir = if several {
            PathBuf::from(&analysis.pack)
        } else {
            PathBuf::new()
        };
        built.push(GroupOutput {
            analysis,
            tables,
            measured,
            dir,
        });
    }
    let mut staging = target.stage()?;
    for g in &built {
        let dir = staging.dir().join(&g.dir);
        // The marker lists the texts the run writes: the next run replaces
        // text/ only when it holds nothing else.
        let texts: Vec<String> = g
            .analysis
            .docs
            .iter()
            .map(|d| d.meta.text_file_name())
            .collect();
        if several {
            std::fs::create_dir(&dir).map_err(Error::io(&dir))?;
            write_marker(&dir, &texts)?;
        } else {
            staging.list_texts(&texts)?;
        }
        write_group(&dir, g, opts.write)?;
    }
    target.publish(staging)?;
    Ok(RunOutput { groups: built })
}

fn corpus(a: &Analysis) -> Corpus<'_> {
    Corpus {
        taxonomy: &a.taxonomy,
        docs: &a.docs,
        alignments: &a.alignments,
        skipped: &a.skipped,
    }
}

/// Writes one taxonomy's tables, heatmap and document texts into `dir`.
fn write_group(dir: &Path, g: &GroupOutput, write: WriteOptions) -> Result<()> {
    for t in &g.tables {
        write_table(dir, t, write)?;
    }
    if write.excel
        && let Some(review) = g.tables.iter().find(|t| t.name == "review")
    {
        crate::review::write_xlsx(review, &dir.join(crate::review::REVIEW_XLSX))?;
    }
    let svg = heatmap_svg(&corpus(&g.analysis));
    let path = dir.join("heatmap.svg");
    std::fs::write(&path, svg).map_err(Error::io(&path))?;
    let path = dir.join("report.html");
    std::fs::write(&path, report_html_with(&corpus(&g.analysis), &g.measured))
        .map_err(Error::io(&path))?;
    // The extracted text of every document, against which the spans of
    // alignment.csv can be checked (issue 13).
    let text_dir = dir.join(TEXT_DIR);
    std::fs::create_dir_all(&text_dir).map_err(Error::io(&text_dir))?;
    for d in &g.analysis.docs {
        let path = text_dir.join(d.meta.text_file_name());
        std::fs::write(&path, &d.text).map_err(Error::io(&path))?;
    }
    Ok(())
}
