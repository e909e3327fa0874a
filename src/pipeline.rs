//! The pipeline: one taxonomy, the ingestion settings and the aligner built
//! from it, and the three ways to run them (a file, a text, a manifest).

use std::path::{Path, PathBuf};

use luoshi_align::{AlignConfig, Aligner, DocumentAlignment, Pack};
use luoshi_core::{
    DocumentMeta, IngestOptions, Manifest, RegionDocument, Taxonomy, UnitTable, ingest_file,
    ingest_text,
};
use rayon::prelude::*;

use crate::error::Result;

/// Ingests and aligns regional documents against one taxonomy.
///
/// The taxonomy is given once: the ingestion settings take its area and
/// task titles as splice phrases and the aligner is built from it, so the
/// two cannot disagree.
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
    taxonomy: Taxonomy,
    ingest: IngestOptions,
    aligner: Aligner,
}

/// Builds a [`Pipeline`]; see [`Pipeline::builder`].
#[derive(Debug, Default)]
pub struct PipelineBuilder {
    taxonomy: Option<Source<Taxonomy>>,
    pack: Option<Pack>,
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
    /// The taxonomy to align against. Default
    /// [`Taxonomy::national_2017`].
    pub fn taxonomy(mut self, taxonomy: Taxonomy) -> Self {
        self.taxonomy = Some(Source::Value(taxonomy));
        self.pack = None;
        self
    }

    /// A taxonomy pack ([`Pack::load`], [`Pack::national_2017`]): its
    /// taxonomy, decision model and learned vocabulary, in place of a
    /// taxonomy given with [`PipelineBuilder::taxonomy`] (the last one
    /// given counts).
    pub fn pack(mut self, pack: Pack) -> Self {
        self.taxonomy = None;
        self.pack = Some(pack);
        self
    }

    /// A taxonomy file (TOML or JSON, see [`Taxonomy::load`]), read by
    /// [`PipelineBuilder::build`].
    pub fn taxonomy_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.taxonomy = Some(Source::File(path.into()));
        self.pack = None;
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

    /// Reads the files given, builds the ingestion settings (with the
    /// taxonomy's titles as splice phrases) and the aligner.
    ///
    /// # Errors
    /// [`crate::Error::Core`] for an unreadable or invalid taxonomy file,
    /// [`crate::Error::Align`] for invalid settings or a taxonomy without
    /// requirements.
    pub fn build(self) -> Result<Pipeline> {
        let taxonomy = match (&self.pack, self.taxonomy) {
            (Some(pack), _) => pack.taxonomy().clone(),
            (None, None) => Taxonomy::national_2017(),
            (None, Some(Source::Value(t))) => t,
            (None, Some(Source::File(p))) => Taxonomy::load(p)?,
        };
        let config = match self.config {
            None => AlignConfig::default(),
            Some(Source::Value(c)) => c,
            Some(Source::File(p)) => AlignConfig::load(p)?,
        };
        let mut ingest = IngestOptions::builder();
        ingest.taxonomy_titles(&taxonomy);
        if let Some(units) = self.units {
            ingest.units(units);
        }
        if let Some(n) = self.max_bytes {
            ingest.max_bytes(n);
        }
        let ingest = ingest.build()?;
        let aligner = match &self.pack {
            Some(pack) => pack.aligner(config)?,
            None => Aligner::with_config(&taxonomy, config)?,
        };
        Ok(Pipeline {
            taxonomy,
            ingest,
            aligner,
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

/// An aligned corpus: documents and their alignments, index for index, in
/// manifest order.
#[derive(Debug, Clone)]
pub struct CorpusReport {
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
    /// `Pipeline::builder().build()` aligns against the national 2017
    /// taxonomy with the calibrated settings.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// The taxonomy aligned against.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// The ingestion settings (with the taxonomy's titles).
    pub fn ingest_options(&self) -> &IngestOptions {
        &self.ingest
    }

    /// The aligner.
    pub fn aligner(&self) -> &Aligner {
        &self.aligner
    }

    /// Aligns an already ingested document.
    pub fn align_document(&self, document: RegionDocument) -> DocumentReport {
        let alignment = self.aligner.align_document(&document);
        DocumentReport {
            document,
            alignment,
        }
    }

    /// Ingests and aligns `text` under the label `label` (no file, no
    /// region: place names are not neutralized; use
    /// [`Pipeline::align_text_with`] to give the metadata).
    pub fn align_text(&self, label: &str, text: &str) -> DocumentReport {
        let mut meta = DocumentMeta::for_file(Path::new(label));
        meta.label = label.to_string();
        self.align_text_with(meta, text)
    }

    /// Ingests and aligns `text` with its metadata (the region's place
    /// names are neutralized, as in a manifest run).
    pub fn align_text_with(&self, meta: DocumentMeta, text: &str) -> DocumentReport {
        self.align_document(ingest_text(text.to_string(), meta, &self.ingest))
    }

    /// Reads, ingests and aligns one file, with the metadata a manifest run
    /// would give it ([`DocumentMeta::for_path`]): the entry of the
    /// manifest [`luoshi_core::MANIFEST_FILE`] in the file's folder that
    /// lists it (so its region, province and place names are the same as
    /// in `align_manifest` on that manifest), or, with no such entry,
    /// [`DocumentMeta::for_file`] (the label is the file stem, the region
    /// unknown).
    ///
    /// # Errors
    /// [`crate::Error::Core`]: the file cannot be read or decoded, or the
    /// manifest beside it is invalid.
    pub fn align_path(&self, path: impl AsRef<Path>) -> Result<DocumentReport> {
        let path = path.as_ref();
        self.align_file(path, DocumentMeta::for_path(path)?)
    }

    /// Reads, ingests and aligns one file with the metadata given.
    ///
    /// # Errors
    /// [`crate::Error::Core`]: the file cannot be read or decoded.
    pub fn align_file(&self, path: impl AsRef<Path>, meta: DocumentMeta) -> Result<DocumentReport> {
        let document = ingest_file(path.as_ref(), meta, &self.ingest)?;
        Ok(self.align_document(document))
    }

    /// Reads a manifest and ingests (in parallel) every document it
    /// lists, in manifest order, without aligning them (to align them
    /// under several settings, as the calibrate example does).
    ///
    /// # Errors
    /// [`crate::Error::Core`]: the first error in manifest order (a bad
    /// manifest, a missing or undecodable document).
    pub fn ingest_manifest(&self, path: impl AsRef<Path>) -> Result<Vec<RegionDocument>> {
        let manifest = Manifest::load(path)?;
        let results: Vec<_> = manifest
            .documents
            .par_iter()
            .map(|m| ingest_file(&manifest.path_of(m), m.clone(), &self.ingest))
            .collect();
        Ok(results.into_iter().collect::<luoshi_core::Result<_>>()?)
    }

    /// Reads a manifest, then ingests (in parallel) and aligns every
    /// document it lists.
    ///
    /// # Errors
    /// As [`Pipeline::ingest_manifest`].
    pub fn align_manifest(&self, path: impl AsRef<Path>) -> Result<CorpusReport> {
        let documents = self.ingest_manifest(path)?;
        let alignments = self.aligner.align_all(&documents);
        Ok(CorpusReport {
            taxonomy: self.taxonomy.clone(),
            documents,
            alignments,
        })
    }
}
