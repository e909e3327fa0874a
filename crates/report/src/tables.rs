//! Every table of a run, in the order they are written: the coverage
//! tables ([`crate::frames`], the review sheet), then the analyses beyond
//! coverage ([`crate::profile`], [`crate::reuse`]), computed once.

use luoshi_analysis::{Analyses, Analyst};

use crate::corpus::{Corpus, Table};
use crate::error::{Error, Result};
use crate::frames::TABLE_NAMES;

impl Corpus<'_> {
    /// The document profiles and the reuse between the documents
    /// ([`luoshi_analysis::Analyst::analyse`]), with the default
    /// settings.
    ///
    /// # Errors
    /// [`Error::Analysis`] when an alignment is not of its document.
    pub fn analyses(&self) -> Result<Analyses> {
        Ok(Analyst::new(self.taxonomy).analyse(self.docs, self.alignments)?)
    }

    /// `reuse` and `reuse_pairs` alone (for measuring the search for
    /// reuse; [`Corpus::tables_with`] has them too).
    ///
    /// # Errors
    /// [`Error::Polars`] when a table cannot be built.
    pub fn reuse_tables(&self, reuse: &luoshi_analysis::Reuse) -> Result<Vec<Table>> {
        Ok(vec![
            crate::reuse::reuse(self, reuse)?,
            crate::reuse::reuse_pairs(self, reuse)?,
        ])
    }

    /// All tables, in the order they are written ([`TABLE_NAMES`]).
    ///
    /// # Errors
    /// [`Error::Polars`] when a table cannot be built, [`Error::Analysis`]
    /// as [`Corpus::analyses`].
    pub fn tables(&self) -> Result<Vec<Table>> {
        self.tables_with(&self.analyses()?)
    }

    /// All tables, with the analyses already computed.
    ///
    /// # Errors
    /// [`Error::Polars`] when a table cannot be built.
    pub fn tables_with(&self, analyses: &Analyses) -> Result<Vec<Table>> {
        let mut alignment = self.alignment()?;
        let extra = crate::profile::alignment_columns(self, &analyses.profiles);
        alignment
            .frame
            .hstack_mut(&extra)
            .map_err(Error::polars("alignment"))?;
        let tables = vec![
            alignment,
            self.coverage_status()?,
            self.coverage_scores()?,
            self.coverage_long()?,
            self.task_coverage()?,
            self.area_coverage()?,
            self.extensions()?,
            self.summary()?,
            self.review()?,
            crate::profile::profile(self, &analyses.profiles)?,
            crate::profile::profile_tasks(self, &analyses.profiles)?,
            crate::reuse::reuse(self, &analyses.reuse)?,
            crate::reuse::reuse_pairs(self, &analyses.reuse)?,
        ];
        debug_assert!(tables.iter().map(|t| t.name).eq(TABLE_NAMES));
        Ok(tables)
    }
}
