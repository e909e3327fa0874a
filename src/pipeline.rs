//! The pipeline: the taxonomy each document answers (one given for every
//! document, or each document's pack, chosen as the coverage run chooses
//! it), the ingestion settings and the aligner made from it, and the ways
//! to run them (a file, a text, a manifest).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use luoshi_align::pack::NATIONAL_2017;
use luoshi_align::setup::{Prepared, TaxonomyChoice, groups, packs_dir};
use luoshi_align::{AlignConfig, DocumentAlignment, Pack, Packs};
use luoshi_core::ingest::IngestOptionsBuilder;
use luoshi_core::{
    DocumentMeta, IngestOptions, Manifest, RegionDocument, Taxonomy, UnitTable, ingest_file,
    ingest_text,
};

use crate::error::Result;

/// Ingests and aligns regional documents, each against the taxonomy it
/// answers.
///
/// What a document answers is chosen as the coverage run
/// (`luoshi_report::run`) chooses it, by the same code ([`luoshi_align::setup`]): a taxonomy or pack given to
/// the builder is answered by every document (a manifest entry that names
/// a taxonomy is then refused); otherwise each document answers the pack
/// its manifest entry names, else `national_<year>` when that pack is
/// available, else `national_2017`, the packs being those of
/// [`PipelineBuilder::packs`] or of a `taxonomies/` folder next to the
/// manifest (for a single file, next to the file).
///
/// For each taxonomy, the ingestion settings take its area and task titles
/// as splice phrases and the aligner is built from it, so the two cannot
/// disagree.
///
/// ```
/// let pipeline = luoshi::Pipeline::builder().build()?; // national 2017
/// let report = pipeline.align_text("example", "一、加强政策解读\n围绕宏观政策深入解读，回应社会关切。\n");
/// assert_eq!(report.document.meta.label, "example");
/// // One decision per requirement item.
/// assert_eq!(report.alignment.items.len(), report.document.requirements().count());
/// # Ok::<(), luoshi::Error>(())
/// ```
#[derive(Debug)]
pub struct Pipeline {
    mode: Mode,
    ingest: IngestOptionsBuilder,
    config: AlignConfig,
    /// The taxonomy given for every document, or the national 2017 pack.
    default: Arc<Prepared>,
    /// Packs made ready for single files, with the packs folder they were
    /// resolved in.
    loaded: Mutex<Vec<(Option<PathBuf>, Arc<Prepared>)>>,
}

/// How a [`Pipeline`] chooses a document's taxonomy.
#[derive(Debug)]
enum Mode {
    /// Each document its pack, from this packs folder (`None`: one next
    /// to the manifest or file).
    Packs(Option<PathBuf>),
    /// The default for every document.
    One,
}

/// Builds a [`Pipeline`]; see [`Pipeline::builder`].
#[derive(Debug, Default)]
pub struct PipelineBuilder {
    taxonomy: Option<Source<Taxonomy>>,
    pack: Option<Pack>,
    packs: Option<PathBuf>,
    config: Option<Source<AlignConfig>>,
    units: Option<UnitTable>,
    max_bytes: Option<u64>,
}

/// A setting given as a value or as a file read at build time.
#[derive(Debug)]
enum Source<T> {
    Value(T),
    File(PathBuf),
}

impl PipelineBuilder {
    /// A taxonomy that every document is aligned against, with the shipped
    /// national 2017 decision model and learned vocabulary. Default: each
    /// document's pack (see [`Pipeline`]). The last of
    /// [`PipelineBuilder::taxonomy`], [`PipelineBuilder::taxonomy_file`],
    /// [`PipelineBuilder::pack`] and [`PipelineBuilder::packs`] given
    /// counts.
    pub fn taxonomy(mut self, taxonomy: Taxonomy) -> Self {
        self.taxonomy = Some(Source::Value(taxonomy));
        self.pack = None;
        self.packs = None;
        self
    }

    /// A taxonomy pack ([`Pack::load`], [`Pack::national_2017`]) that every
    /// document is aligned against: its taxonomy, decision model and
    /// learned vocabulary (the last one given counts, see
    /// [`PipelineBuilder::taxonomy`]).
    pub fn pack(mut self, pack: Pack) -> Self {
        self.taxonomy = None;
        self.pack = Some(pack);
        self.packs = None;
        self
    }

    /// A taxonomy file (TOML or JSON, see [`Taxonomy::load`]) that every
    /// document is aligned against, read by [`PipelineBuilder::build`]
    /// (the last one given counts, see [`PipelineBuilder::taxonomy`]).
    pub fn taxonomy_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.taxonomy = Some(Source::File(path.into()));
        self.pack = None;
        self.packs = None;
        self
    }

    /// The packs folder (one folder per taxonomy, such as `taxonomies/`)
    /// in which each document finds its pack. Default: a `taxonomies/`
    /// folder next to the manifest (or file), when there is one; the
    /// embedded national 2017 pack is always available. The last one
    /// given counts, see [`PipelineBuilder::taxonomy`].
    pub fn packs(mut self, dir: impl Into<PathBuf>) -> Self {
        self.taxonomy = None;
        self.pack = None;
        self.packs = Some(dir.into());
        self
    }

    /// Alignment settings. Default [`AlignConfig::default`] (calibrated).
    pub fn config(mut self, config: AlignConfig) -> Self {
        self.config = Some(Source::Value(config));
        self
    }

    /// An alignment settings file (see [`AlignConfig::load`]), read by
    /// [`PipelineBuilder::build`].
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(Source::File(path.into()));
        self
    }

    /// The unit alias table of ingestion. Default [`UnitTable::builtin`].
    pub fn units(mut self, units: UnitTable) -> Self {
        self.units = Some(units);
        self
    }

    /// Largest document read, in bytes. Default 256 MiB.
    pub fn max_bytes(mut self, n: u64) -> Self {
        self.max_bytes = Some(n);
        self
    }

    /// Reads the files given, and makes the default taxonomy ready: the
    /// ingestion settings (with the taxonomy's titles as splice phrases)
    /// and the aligner of the taxonomy or pack given, else of the national
    /// 2017 pack (the packs folder's when it has one).
    ///
    /// # Errors
    /// [`crate::Error::Core`] for an unreadable or invalid taxonomy file,
    /// [`crate::Error::Align`] for invalid settings, a taxonomy without
    /// requirements, or a packs folder that is not a folder or holds an
    /// invalid `national_2017` pack.
    pub fn build(self) -> Result<Pipeline> {
        let taxonomy = match self.taxonomy {
            None => None,
            Some(Source::Value(t)) => Some(t),
            Some(Source::File(p)) => Some(Taxonomy::load(p)?),
        };
        let config = match self.config {
            None => AlignConfig::default(),
            Some(Source::Value(c)) => c,
            Some(Source::File(p)) => AlignConfig::load(p)?,
        };
        let mut ingest = IngestOptions::builder();
        if let Some(units) = self.units {
            ingest.units(units);
        }
        if let Some(n) = self.max_bytes {
            ingest.max_bytes(n);
        }
        let (mode, default) = match (self.pack, taxonomy) {
            (Some(pack), _) => (Mode::One, Prepared::pack(&pack, &ingest, &config)?),
            (None, Some(t)) => (Mode::One, Prepared::taxonomy(t, &ingest, &config)?),
            (None, None) => {
                let pack = Packs::new(self.packs.clone())?.load(NATIONAL_2017)?;
                (
                    Mode::Packs(self.packs),
                    Prepared::pack(&pack, &ingest, &config)?,
                )
            }
        };
        Ok(Pipeline {
            mode,
            ingest,
            config,
            default: Arc::new(default),
            loaded: Mutex::new(Vec::new()),
        })
    }
}

/// One aligned document.
#[derive(Debug, Clone)]
pub struct DocumentReport {
    /// The ingested document: its metadata, text and items.
    pub document: RegionDocument,
    /// Its alignment: one decision per requirement item, coverage per
    /// national requirement.
    pub alignment: DocumentAlignment,
}

/// The documents of a corpus that answer one taxonomy, and their
/// alignments, index for index, in manifest order.
#[derive(Debug, Clone)]
pub struct CorpusReport {
    /// The taxonomy pack's id (for a taxonomy given without a pack, the
    /// taxonomy's own id).
    pub pack: String,
    /// The taxonomy aligned against.
    pub taxonomy: Taxonomy,
    /// The ingested documents.
    pub documents: Vec<RegionDocument>,
    /// Their alignments, same order.
    pub alignments: Vec<DocumentAlignment>,
}

impl CorpusReport {
    /// The documents with their alignments.
    pub fn iter(&self) -> impl Iterator<Item = (&RegionDocument, &DocumentAlignment)> {
        self.documents.iter().zip(&self.alignments)
    }

    /// One [`DocumentReport`] per document.
    pub fn into_reports(self) -> Vec<DocumentReport> {
        self.documents
            .into_iter()
            .zip(self.alignments)
            .map(|(document, alignment)| DocumentReport {
                document,
                alignment,
            })
            .collect()
    }

    /// A short plain-text summary: per document, items by status and
    /// requirements covered / partial / omitted.
    #[cfg(feature = "report")]
    pub fn summary_text(&self) -> String {
        luoshi_report::summary_text(&self.documents, &self.alignments)
    }

    /// The coverage tables as polars DataFrames (see
    /// [`luoshi_report::Corpus::tables`]); write them with
    /// [`luoshi_report::write_table`].
    ///
    /// # Errors
    /// [`crate::Error::Report`] when a table cannot be built.
    #[cfg(feature = "report")]
    pub fn tables(&self) -> Result<Vec<luoshi_report::Table>> {
        let corpus = luoshi_report::Corpus {
            taxonomy: &self.taxonomy,
            docs: &self.documents,
            alignments: &self.alignments,
            skipped: &[],
        };
        Ok(corpus.tables()?)
    }
}

impl Pipeline {
    /// A builder; every setting has a default, so
    /// `Pipeline::builder().build()` aligns each document against its
    /// taxonomy pack (national 2017 unless a packs folder provides
    /// another) with the calibrated settings.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// The default taxonomy: the one given for every document, else
    /// national 2017.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.default.taxonomy
    }

    /// The ingestion settings of the default taxonomy (with its titles).
    pub fn ingest_options(&self) -> &IngestOptions {
        &self.default.ingest
    }

    /// The aligner of the default taxonomy.
    pub fn aligner(&self) -> &luoshi_align::Aligner {
        &self.default.aligner
    }

    /// The choice of taxonomy, as the shared setup takes it.
    fn choice(&self) -> TaxonomyChoice {
        match &self.mode {
            Mode::Packs(dir) => TaxonomyChoice::Packs(dir.clone()),
            Mode::One => TaxonomyChoice::One(Arc::clone(&self.default)),
        }
    }

    /// The taxonomy, made ready, that a document with metadata `meta` at
    /// `path` answers: the default for every document when one was given,
    /// else its pack, found in the packs folder given or next to `path`.
    fn prepared_for(&self, meta: &DocumentMeta, path: &Path) -> Result<Arc<Prepared>> {
        let Mode::Packs(given) = &self.mode else {
            return Ok(Arc::clone(&self.default));
        };
        let dir = packs_dir(given.as_deref(), path);
        let packs = Packs::new(dir.clone())?;
        let id = packs.resolve(meta)?;
        if dir == *given && id == self.default.pack {
            return Ok(Arc::clone(&self.default));
        }
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, p)) = loaded.iter().find(|(d, p)| *d == dir && p.pack == id) {
            return Ok(Arc::clone(p));
        }
        let p = Arc::new(Prepared::pack(
            &packs.load(&id)?,
            &self.ingest,
            &self.config,
        )?);
        loaded.push((dir, Arc::clone(&p)));
        Ok(p)
    }

    /// Aligns an already ingested document against the default taxonomy
    /// ([`Pipeline::taxonomy`]).
    pub fn align_document(&self, document: RegionDocument) -> DocumentReport {
        let alignment = self.default.aligner.align_document(&document);
        DocumentReport {
            document,
            alignment,
        }
    }

    /// Ingests and aligns `text` under the label `label`, against the
    /// default taxonomy (no file, no region: place names are not
    /// neutralized; use [`Pipeline::align_text_with`] to give the
    /// metadata).
    pub fn align_text(&self, label: &str, text: &str) -> DocumentReport {
        let mut meta = DocumentMeta::for_file(Path::new(label));
        meta.label = label.to_string();
        self.align_text_with(meta, text)
    }

    /// Ingests and aligns `text` with its metadata (the region's place
    /// names are neutralized, as in a manifest run), against the default
    /// taxonomy: a text has no manifest entry to choose another (files
    /// do: [`Pipeline::align_file`]).
    pub fn align_text_with(&self, meta: DocumentMeta, text: &str) -> DocumentReport {
        self.align_document(ingest_text(text.to_string(), meta, &self.default.ingest))
    }

    /// Reads, ingests and aligns one file, with the metadata a manifest run
    /// would give it ([`DocumentMeta::for_path`]): the entry of the
    /// manifest [`luoshi_core::MANIFEST_FILE`] in the file's folder that
    /// lists it (so its region, province, place names and taxonomy are the
    /// same as in `align_manifest` on that manifest), or, with no such
    /// entry, [`DocumentMeta::for_file`] (the label is the file stem, the
    /// region unknown).
    ///
    /// # Errors
    /// [`crate::Error::Core`]: the file cannot be read or decoded, or the
    /// manifest beside it is invalid; as [`Pipeline::align_file`].
    pub fn align_path(&self, path: impl AsRef<Path>) -> Result<DocumentReport> {
        let path = path.as_ref();
        self.align_file(path, DocumentMeta::for_path(path)?)
    }

    /// Reads, ingests and aligns one file with the metadata given, against
    /// the taxonomy it answers (see [`Pipeline`]; the packs folder, when
    /// none was given, is a `taxonomies/` folder next to the file). A
    /// taxonomy given for every document is used whatever the metadata
    /// names.
    ///
    /// # Errors
    /// [`crate::Error::Core`]: the file cannot be read or decoded;
    /// [`crate::Error::Align`]: the metadata names a taxonomy no pack
    /// provides, or its pack cannot be loaded.
    pub fn align_file(&self, path: impl AsRef<Path>, meta: DocumentMeta) -> Result<DocumentReport> {
        let path = path.as_ref();
        let prepared = self.prepared_for(&meta, path)?;
        let document = ingest_file(path, meta, &prepared.ingest)?;
        let alignment = prepared.aligner.align_document(&document);
        Ok(DocumentReport {
            document,
            alignment,
        })
    }

    /// Reads a manifest and ingests (in parallel) every document it
    /// lists, each with the ingestion settings of the taxonomy it answers,
    /// in manifest order, without aligning them (to align them under
    /// several settings, as the calibrate example does).
    ///
    /// # Errors
    /// As [`Pipeline::align_manifest`].
    pub fn ingest_manifest(&self, path: impl AsRef<Path>) -> Result<Vec<RegionDocument>> {
        let path = path.as_ref();
        let manifest = Manifest::load(path)?;
        let mut docs: Vec<Option<RegionDocument>> =
            (0..manifest.documents.len()).map(|_| None).collect();
        for (g, ingested) in self.ingest_groups(&manifest, path)? {
            for (&i, d) in g.docs.iter().zip(ingested) {
                docs[i] = Some(d);
            }
        }
        Ok(docs.into_iter().flatten().collect())
    }

    /// Reads a manifest, then ingests (in parallel) and aligns every
    /// document it lists: one [`CorpusReport`] per taxonomy the documents
    /// answer, in the order the manifest first uses them (one when they
    /// all answer the same), as the coverage run's analyses.
    ///
    /// # Errors
    /// [`crate::Error::Core`]: the first error in manifest order (a bad
    /// manifest, a missing or undecodable document);
    /// [`crate::Error::Align`]: an entry names a taxonomy that no pack
    /// provides (or names one while a taxonomy is given for every
    /// document), or a pack cannot be loaded.
    pub fn align_manifest(&self, path: impl AsRef<Path>) -> Result<Vec<CorpusReport>> {
        let path = path.as_ref();
        let manifest = Manifest::load(path)?;
        Ok(self
            .ingest_groups(&manifest, path)?
            .into_iter()
            .map(|(g, documents)| CorpusReport {
                pack: g.prepared.pack.clone(),
                taxonomy: g.prepared.taxonomy.clone(),
                alignments: g.prepared.aligner.align_all(&documents),
                documents,
            })
            .collect())
    }

    /// The manifest's documents grouped by taxonomy (the shared setup) and
    /// ingested; the first error in manifest order stops it.
    fn ingest_groups(
        &self,
        manifest: &Manifest,
        path: &Path,
    ) -> Result<Vec<(luoshi_align::setup::Group, Vec<RegionDocument>)>> {
        let groups = groups(manifest, path, &self.choice(), &self.ingest, &self.config)?;
        let mut results: Vec<Option<luoshi_core::Result<RegionDocument>>> =
            (0..manifest.documents.len()).map(|_| None).collect();
        for g in &groups {
            for (&i, r) in g.docs.iter().zip(g.ingest(manifest, &|| {})) {
                results[i] = Some(r);
            }
        }
        // Every document is in one group; the first error in manifest
        // order is reported.
        let mut docs: Vec<Option<RegionDocument>> = Vec::with_capacity(results.len());
        for r in results {
            docs.push(r.transpose()?);
        }
        Ok(groups
            .into_iter()
            .map(|g| {
                let mine = g.docs.iter().filter_map(|&i| docs[i].take()).collect();
                (g, mine)
            })
            .collect())
    }
}
