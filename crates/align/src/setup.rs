//! Setting a corpus up for alignment: which taxonomy each document of a
//! manifest answers, and for each taxonomy used, the ingestion options
//! (its area and task titles as splice phrases) and the aligner (its
//! pack's decision model and learned vocabulary).
//!
//! `luoshi::Pipeline` and `luoshi_report::run` both build on [`groups`],
//! so a manifest is aligned the same way by either: each document answers
//! the pack its entry names, else `national_<year>` when that pack is
//! available, else `national_2017` ([`Packs::resolve`]), unless one
//! taxonomy is given for every document.
//!
//! ```
//! use std::path::Path;
//!
//! use luoshi_align::AlignConfig;
//! use luoshi_align::setup::{TaxonomyChoice, groups};
//! use luoshi_core::{IngestOptions, Manifest};
//!
//! # fn main() -> luoshi_align::Result<()> {
//! let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds/regions.toml");
//! let manifest = Manifest::load(&path)?;
//! let choice = TaxonomyChoice::Packs(None);
//! let groups = groups(&manifest, &path, &choice, &IngestOptions::builder(), &AlignConfig::default())?;
//! // No `taxonomies/` folder beside the seeds: every seed answers the
//! // embedded national 2017 pack.
//! assert_eq!(groups.len(), 1);
//! assert_eq!(groups[0].prepared.pack, "national_2017");
//! assert_eq!(groups[0].docs.len(), manifest.documents.len());
//! # Ok(())
//! # }
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use luoshi_core::ingest::IngestOptionsBuilder;
use luoshi_core::{DocumentMeta, IngestOptions, Manifest, RegionDocument, Taxonomy, ingest_file};
use rayon::prelude::*;

use crate::pack::PACKS_DIR;
use crate::{AlignConfig, Aligner, Error, Pack, Packs, Result};

/// What the documents of a corpus are aligned against.
#[derive(Debug, Clone)]
pub enum TaxonomyChoice {
    /// Each document answers its taxonomy pack ([`Packs::resolve`]), found
    /// in this packs folder; `None`: a `taxonomies/` folder next to the
    /// manifest when there is one ([`packs_dir`]). The embedded national
    /// 2017 pack is always available.
    Packs(Option<PathBuf>),
    /// Every document answers the taxonomy of this file (TOML or JSON),
    /// with the shipped national 2017 decision model and learned
    /// vocabulary; a manifest entry that names a taxonomy is refused.
    File(PathBuf),
    /// Every document answers this taxonomy, already made ready (a
    /// taxonomy or a pack given once); a manifest entry that names a
    /// taxonomy is refused.
    One(Arc<Prepared>),
}

/// A taxonomy made ready to align against.
#[derive(Debug)]
pub struct Prepared {
    /// The pack id; for a taxonomy given without a pack, the taxonomy's
    /// own id.
    pub pack: String,
    /// The folder the pack was read from; `None` for the embedded pack and
    /// for a taxonomy given without a pack.
    pub dir: Option<PathBuf>,
    /// The taxonomy.
    pub taxonomy: Taxonomy,
    /// The ingestion options, with the taxonomy's area and task titles as
    /// splice phrases.
    pub ingest: IngestOptions,
    /// The aligner.
    pub aligner: Aligner,
}

impl Prepared {
    /// A pack made ready: `ingest` with the pack's titles, and an aligner
    /// with the pack's decision model and learned vocabulary.
    ///
    /// # Errors
    /// As [`IngestOptionsBuilder::build`] and [`Pack::aligner`].
    pub fn pack(pack: &Pack, ingest: &IngestOptionsBuilder, config: &AlignConfig) -> Result<Self> {
        Ok(Prepared {
            pack: pack.id().to_string(),
            dir: pack.dir().map(Path::to_path_buf),
            taxonomy: pack.taxonomy().clone(),
            ingest: ingest_options(pack.taxonomy(), ingest)?,
            aligner: pack.aligner(config.clone())?,
        })
    }

    /// A taxonomy made ready without a pack: `ingest` with its titles, and
    /// an aligner with the shipped national 2017 decision model and
    /// learned vocabulary ([`Aligner::with_config`]).
    ///
    /// # Errors
    /// As [`IngestOptionsBuilder::build`] and [`Aligner::with_config`].
    pub fn taxonomy(
        taxonomy: Taxonomy,
        ingest: &IngestOptionsBuilder,
        config: &AlignConfig,
    ) -> Result<Self> {
        Ok(Prepared {
            pack: taxonomy.meta().id.clone(),
            dir: None,
            ingest: ingest_options(&taxonomy, ingest)?,
            aligner: Aligner::with_config(&taxonomy, config.clone())?,
            taxonomy,
        })
    }

    /// The same taxonomy and ingestion options with another aligner (a
    /// refitted model, say).
    pub fn with_aligner(&self, aligner: Aligner) -> Self {
        Prepared {
            pack: self.pack.clone(),
            dir: self.dir.clone(),
            taxonomy: self.taxonomy.clone(),
            ingest: self.ingest.clone(),
            aligner,
        }
    }
}

fn ingest_options(taxonomy: &Taxonomy, ingest: &IngestOptionsBuilder) -> Result<IngestOptions> {
    Ok(ingest.clone().taxonomy_titles(taxonomy).build()?)
}

/// One taxonomy of a corpus and the documents answering it.
#[derive(Debug)]
pub struct Group {
    /// The taxonomy, made ready.
    pub prepared: Arc<Prepared>,
    /// Indexes into the manifest's documents, in manifest order.
    pub docs: Vec<usize>,
}

impl Group {
    /// Reads and ingests the group's documents in parallel, with the
    /// group's ingestion options; the results come in the group's order,
    /// and `progress` is called (from worker threads) after each document.
    pub fn ingest(
        &self,
        manifest: &Manifest,
        progress: &(dyn Fn() + Sync),
    ) -> Vec<luoshi_core::Result<RegionDocument>> {
        let metas: Vec<&DocumentMeta> = self.docs.iter().map(|&i| &manifest.documents[i]).collect();
        metas
            .par_iter()
            .map(|m| {
                let r = ingest_file(&manifest.path_of(m), (*m).clone(), &self.prepared.ingest);
                progress();
                r
            })
            .collect()
    }
}

/// The packs folder of a run on the manifest at `manifest_path` (or of a
/// document there): the one `given`, else a `taxonomies/` folder next to
/// it when there is one.
pub fn packs_dir(given: Option<&Path>, manifest_path: &Path) -> Option<PathBuf> {
    given.map(Path::to_path_buf).or_else(|| {
        let beside = manifest_path
            .parent()
            .unwrap_or(Path::new(""))
            .join(PACKS_DIR);
        beside.is_dir().then_some(beside)
    })
}

/// The documents of `manifest` (read from `manifest_path`) grouped by the
/// taxonomy each answers under `choice`, in the order the manifest first
/// uses them, each taxonomy made ready with `ingest` and `config`. Only
/// the packs used are loaded.
///
/// # Errors
/// [`Error::Core`] holding a [`luoshi_core::Error::Manifest`] that names
/// the entry: one naming a taxonomy that no pack provides, or, with one
/// taxonomy for every document, one naming a taxonomy at all;
/// [`Error::Pack`] for a packs folder that is not a folder; the errors of
/// [`Packs::load`], [`Taxonomy::load`] and of making a taxonomy ready
/// ([`Prepared::pack`], [`Prepared::taxonomy`]).
pub fn groups(
    manifest: &Manifest,
    manifest_path: &Path,
    choice: &TaxonomyChoice,
    ingest: &IngestOptionsBuilder,
    config: &AlignConfig,
) -> Result<Vec<Group>> {
    let entry_error = |i: usize, d: &DocumentMeta, message: String| -> Error {
        luoshi_core::Error::Manifest {
            path: manifest_path.to_path_buf(),
            index: i + 1,
            file: d.file.clone(),
            message,
        }
        .into()
    };
    let named = manifest
        .documents
        .iter()
        .enumerate()
        .find_map(|(i, d)| d.taxonomy.as_deref().map(|t| (i, d, t)));
    let every = |prepared: Arc<Prepared>| {
        vec![Group {
            prepared,
            docs: (0..manifest.documents.len()).collect(),
        }]
    };
    match choice {
        TaxonomyChoice::File(path) => {
            if let Some((i, d, t)) = named {
                return Err(entry_error(
                    i,
                    d,
                    format!(
                        "names the taxonomy `{t}`, but the taxonomy file {} is given for every document; remove one of the two",
                        path.display()
                    ),
                ));
            }
            let taxonomy = Taxonomy::load(path)?;
            Ok(every(Arc::new(Prepared::taxonomy(
                taxonomy, ingest, config,
            )?)))
        }
        TaxonomyChoice::One(prepared) => {
            if let Some((i, d, t)) = named {
                return Err(entry_error(
                    i,
                    d,
                    format!(
                        "names the taxonomy `{t}`, but the taxonomy `{}` is given for every document; remove one of the two",
                        prepared.pack
                    ),
                ));
            }
            Ok(every(Arc::clone(prepared)))
        }
        TaxonomyChoice::Packs(dir) => {
            let packs = Packs::new(packs_dir(dir.as_deref(), manifest_path))?;
            let mut groups: Vec<Group> = Vec::new();
            for (i, d) in manifest.documents.iter().enumerate() {
                let id = packs
                    .resolve(d)
                    .map_err(|e| entry_error(i, d, e.to_string()))?;
                if let Some(g) = groups.iter_mut().find(|g| g.prepared.pack == id) {
                    g.docs.push(i);
                    continue;
                }
                let pack = packs.load(&id)?;
                groups.push(Group {
                    prepared: Arc::new(Prepared::pack(&pack, ingest, config)?),
                    docs: vec![i],
                });
            }
            Ok(groups)
        }
    }
}
