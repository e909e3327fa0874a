//! [`Analyst`]: the national text of one taxonomy prepared once, and the
//! analyses run over aligned documents with it. The orchestrator: it
//! imports the stages, and no stage imports it.

use luoshi_align::DocumentAlignment;
use luoshi_core::ingest::RegionDocument;
use luoshi_core::taxonomy::Taxonomy;
use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::config::{ProfileConfig, ReuseConfig};
use crate::diff::DocumentDiff;
use crate::error::{Error, Result};
use crate::national::{National, national_shingles};
use crate::profile::{Statement, profile};
use crate::reuse::types::Reuse;
use crate::types::DocumentProfile;

/// The analyses beyond coverage, for documents aligned against one
/// taxonomy. Build one per taxonomy ([`Analyst::new`]); every method
/// takes the documents and their alignments, index for index.
#[derive(Debug)]
pub struct Analyst {
    national: National,
    shingles: FxHashSet<u64>,
    reuse: ReuseConfig,
    taxonomy: String,
}

/// The profiles and the reuse of a corpus, computed together
/// ([`Analyst::analyse`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Analyses {
    /// One profile per document, in order.
    pub profiles: Vec<DocumentProfile>,
    /// The passages the documents share beyond the national text.
    pub reuse: Reuse,
}

impl Analyst {
    /// The analyses with the default settings ([`ProfileConfig`],
    /// [`ReuseConfig`]).
    pub fn new(taxonomy: &Taxonomy) -> Analyst {
        let profile = ProfileConfig::default();
        let reuse = ReuseConfig::default();
        Analyst {
            national: National::new(taxonomy, profile),
            shingles: national_shingles(taxonomy, reuse.shingle),
            reuse,
            taxonomy: taxonomy.meta().id.clone(),
        }
    }

    /// The analyses with other settings.
    ///
    /// # Errors
    /// [`Error::Setting`] for a setting out of range.
    pub fn with_config(
        taxonomy: &Taxonomy,
        profile: ProfileConfig,
        reuse: ReuseConfig,
    ) -> Result<Analyst> {
        profile.validate()?;
        reuse.validate()?;
        Ok(Analyst {
            national: National::new(taxonomy, profile),
            shingles: national_shingles(taxonomy, reuse.shingle),
            reuse,
            taxonomy: taxonomy.meta().id.clone(),
        })
    }

    /// The id of the taxonomy prepared.
    pub fn taxonomy_id(&self) -> &str {
        &self.taxonomy
    }

    /// The profile settings.
    pub fn profile_config(&self) -> ProfileConfig {
        self.national.config
    }

    /// The reuse settings.
    pub fn reuse_config(&self) -> ReuseConfig {
        self.reuse
    }

    /// One document's profile.
    ///
    /// # Errors
    /// [`Error::Mismatch`] when `alignment` is not of `doc` (another
    /// label).
    pub fn profile(
        &self,
        doc: &RegionDocument,
        alignment: &DocumentAlignment,
    ) -> Result<DocumentProfile> {
        check(doc, alignment)?;
        Ok(profile(&self.national, doc, alignment).0)
    }

    /// Every document's profile, in parallel.
    ///
    /// # Errors
    /// [`Error::Mismatch`] when an alignment is not of its document,
    /// [`Error::Count`] when the two lists differ in length.
    pub fn profiles(
        &self,
        docs: &[RegionDocument],
        alignments: &[DocumentAlignment],
    ) -> Result<Vec<DocumentProfile>> {
        check_all(docs, alignments)?;
        Ok(docs
            .par_iter()
            .zip(alignments)
            .map(|(d, a)| profile(&self.national, d, a).0)
            .collect())
    }

    /// The passages the documents share beyond the national text
    /// ([`crate::reuse`]).
    ///
    /// # Errors
    /// As [`Analyst::profiles`].
    pub fn reuse(
        &self,
        docs: &[RegionDocument],
        alignments: &[DocumentAlignment],
    ) -> Result<Reuse> {
        Ok(self.analyse(docs, alignments)?.reuse)
    }

    /// Profiles and reuse together: each statement is read against the
    /// national text once, for both.
    ///
    /// # Errors
    /// As [`Analyst::profiles`].
    pub fn analyse(
        &self,
        docs: &[RegionDocument],
        alignments: &[DocumentAlignment],
    ) -> Result<Analyses> {
        check_all(docs, alignments)?;
        let (profiles, statements): (Vec<DocumentProfile>, Vec<Vec<Statement>>) = docs
            .par_iter()
            .zip(alignments)
            .map(|(d, a)| profile(&self.national, d, a))
            .unzip();
        let inputs: Vec<crate::reuse::Document<'_>> = docs
            .iter()
            .zip(alignments)
            .zip(statements)
            .map(|((d, a), s)| crate::reuse::Document {
                doc: d,
                alignment: a,
                statements: s,
            })
            .collect();
        let reuse = crate::reuse::find(inputs, &self.shingles, &self.reuse);
        Ok(Analyses { profiles, reuse })
    }

    /// Two documents side by side ([`crate::diff`]): `b` lined up
    /// against `a`, requirement by requirement.
    ///
    /// # Errors
    /// [`Error::Mismatch`] when an alignment is not of its document.
    pub fn diff(
        &self,
        a: (&RegionDocument, &DocumentAlignment),
        b: (&RegionDocument, &DocumentAlignment),
    ) -> Result<DocumentDiff> {
        check(a.0, a.1)?;
        check(b.0, b.1)?;
        let c = self.national.config;
        Ok(crate::diff::diff(
            a,
            b,
            &self.national.requirements,
            c.copy_run,
            c.kept_share,
        ))
    }
}

fn check(doc: &RegionDocument, alignment: &DocumentAlignment) -> Result<()> {
    if doc.meta.label == alignment.label {
        Ok(())
    } else {
        Err(Error::Mismatch {
            file: doc
                .path
                .clone()
                .unwrap_or_else(|| doc.meta.file.clone().into()),
            label: doc.meta.label.clone(),
            alignment: alignment.label.clone(),
        })
    }
}

fn check_all(docs: &[RegionDocument], alignments: &[DocumentAlignment]) -> Result<()> {
    if docs.len() != alignments.len() {
        return Err(Error::Count {
            documents: docs.len(),
            alignments: alignments.len(),
        });
    }
    docs.iter()
        .zip(alignments)
        .try_for_each(|(d, a)| check(d, a))
}
