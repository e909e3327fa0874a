//! Ingestion settings: [`IngestOptions`] and its builder.

use std::path::PathBuf;
use std::sync::Arc;

use super::boilerplate::HEADER_WORDS;
use crate::error::{Error, Result};
use crate::phrases::{Layout, PhraseMatcher};
use crate::units::UnitTable;

/// Ingestion settings.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub(crate) max_bytes: u64,
    pub(crate) units: Arc<UnitTable>,
    pub(crate) splice_phrases: Vec<String>,
    /// Matcher over the splice phrases and table header words, built by
    /// the builder (one automaton instead of a substring search per phrase).
    pub(crate) phrase_matcher: Arc<PhraseMatcher>,
    pub(crate) boilerplate_cues: Vec<String>,
    pub(crate) near_duplicate: f64,
    pub(crate) min_statement_chars: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: 256 * 1024 * 1024,
            units: Arc::new(UnitTable::builtin()),
            splice_phrases: Vec::new(),
            phrase_matcher: phrase_matcher(&[]),
            boilerplate_cues: Vec::new(),
            near_duplicate: 0.9,
            min_statement_chars: 6,
        }
    }
}

impl IngestOptions {
    /// Default settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder to change the defaults.
    pub fn builder() -> IngestOptionsBuilder {
        IngestOptionsBuilder {
            opts: IngestOptions::default(),
        }
    }

    /// The unit table in use.
    pub fn units(&self) -> &UnitTable {
        &self.units
    }
}

/// Builds [`IngestOptions`].
#[derive(Debug, Clone)]
pub struct IngestOptionsBuilder {
    opts: IngestOptions,
}

impl IngestOptionsBuilder {
    /// Largest file read, in bytes; larger files are refused before reading.
    /// Default 256 MiB.
    pub fn max_bytes(&mut self, n: u64) -> &mut Self {
        self.opts.max_bytes = n;
        self
    }

    /// The unit alias table. Default [`UnitTable::builtin`].
    pub fn units(&mut self, table: UnitTable) -> &mut Self {
        self.opts.units = Arc::new(table);
        self
    }

    /// Phrases that are headings of the national structure (area and task
    /// titles); found inside a longer statement they are PDF splices and are
    /// lifted out. Default none; [`IngestOptionsBuilder::taxonomy_titles`]
    /// fills them from a taxonomy.
    pub fn splice_phrases(&mut self, phrases: impl IntoIterator<Item = String>) -> &mut Self {
        self.opts.splice_phrases = phrases
            .into_iter()
            .filter(|p| p.chars().count() >= 4)
            .collect();
        self
    }

    /// Uses the area and task titles of `taxonomy` as splice phrases.
    pub fn taxonomy_titles(&mut self, taxonomy: &crate::Taxonomy) -> &mut Self {
        use crate::taxonomy::NodeKind;
        let titles = taxonomy
            .iter()
            .map(|n| taxonomy.node(n))
            .filter(|n| matches!(n.kind, NodeKind::Area | NodeKind::Task))
            .map(|n| n.title.clone());
        self.splice_phrases(titles)
    }

    /// Extra phrases that mark a sentence as boilerplate, beside the built-in
    /// ones (`请认真贯彻执行`, `现印发给你们`, …). Default none.
    pub fn boilerplate_cues(&mut self, cues: impl IntoIterator<Item = String>) -> &mut Self {
        self.opts.boilerplate_cues = cues.into_iter().filter(|c| !c.trim().is_empty()).collect();
        self
    }

    /// Character-bigram Dice similarity at or above which two statements
    /// are near-exact repeats. Default 0.9.
    pub fn near_duplicate(&mut self, threshold: f64) -> &mut Self {
        self.opts.near_duplicate = threshold;
        self
    }

    /// Fewest CJK characters (or letters) a statement needs to count as a
    /// requirement; shorter leftovers are boilerplate. Default 6.
    pub fn min_statement_chars(&mut self, n: usize) -> &mut Self {
        self.opts.min_statement_chars = n;
        self
    }

    /// Validates and returns the options.
    ///
    /// # Errors
    /// [`Error::Parse`] when the near-duplicate threshold is not in (0, 1].
    pub fn build(&self) -> Result<IngestOptions> {
        let t = self.opts.near_duplicate;
        if !(t > 0.0 && t <= 1.0) {
            return Err(Error::Parse {
                path: PathBuf::from("<options>"),
                line: 0,
                message: format!("near_duplicate must be in (0, 1], got {t}"),
            });
        }
        let mut opts = self.opts.clone();
        opts.phrase_matcher = phrase_matcher(&opts.splice_phrases);
        Ok(opts)
    }
}

/// One leftmost-longest matcher over the splice phrases and the table
/// header words of four characters or more.
pub(super) fn phrase_matcher(phrases: &[String]) -> Arc<PhraseMatcher> {
    let all: Vec<&str> = phrases
        .iter()
        .map(String::as_str)
        .chain(
            HEADER_WORDS
                .iter()
                .copied()
                .filter(|w| w.chars().count() >= 4),
        )
        .collect();
    Arc::new(PhraseMatcher::new(&all, Layout::Auto))
}
