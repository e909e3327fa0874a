//! The analyses' settings, with their defaults and why they are so
//! (DESIGN.md, "Beyond coverage"). A leaf: imports only the error type.

use crate::error::{Error, Result};

/// Settings of the document profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileConfig {
    /// The shortest passage, in normalized characters, that counts as
    /// restating the national text. Default 7: longer than 99.5% of the
    /// passages an item aligns with in requirements it cannot restate
    /// (those of another area; the chance alignments of the field's
    /// common words, 公开工作; `cargo run --example profile_null`,
    /// CALIBRATION.md, "Profile thresholds").
    pub min_passage: usize,
    /// The shortest run of characters that counts as copied verbatim.
    /// Default 5: longer than 99.5% of the longest runs an item shares
    /// with requirements it cannot restate, measured the same way.
    pub copy_run: usize,
    /// A covered requirement is kept (not reworded) when its covering
    /// items reproduce at least this share of its text verbatim. Default
    /// 0.5: more of the national wording survives than not.
    pub kept_share: f64,
}

impl Default for ProfileConfig {
    fn default() -> Self {
        ProfileConfig {
            min_passage: 7,
            copy_run: 5,
            kept_share: 0.5,
        }
    }
}

impl ProfileConfig {
    /// Checks the ranges.
    ///
    /// # Errors
    /// [`Error::Setting`] naming the setting out of range.
    pub fn validate(&self) -> Result<()> {
        check("min_passage", self.min_passage as f64, 1.0, 1000.0)?;
        check("copy_run", self.copy_run as f64, 2.0, 100.0)?;
        check("kept_share", self.kept_share, 0.0, 1.0)
    }
}

/// Settings of the search for reuse between documents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReuseConfig {
    /// Characters per shingle. Default 6 (a Chinese word is one to four
    /// characters: six characters are two or three words, about what
    /// passim's default of five words covers in English).
    pub shingle: usize,
    /// Winnowing window: one shingle hash in about every `(window + 1) /
    /// 2` is indexed, and any shared run of `window + shingle − 1`
    /// characters (9 by default) is certain to share one. Default 4.
    pub window: usize,
    /// Up to this many documents holding a shingle, every pair of them is
    /// a candidate (a city and its counties, and the counties among
    /// themselves). Beyond, each holder is paired with the group's likely
    /// source only (the highest level, then the earliest issue date, then
    /// the first in the manifest): a passage a hundred counties copy from
    /// their province links each county to the province, in linear time,
    /// not the hundred counties with each other. Default 20.
    pub clique_df: usize,
    /// A shingle found in more documents than this is a template of the
    /// genre, not a sign of copying, and is not indexed (passim's
    /// `--max-df`). `None`, the default: half the documents, and at least
    /// 100.
    pub max_df: Option<usize>,
    /// Two items are aligned when they share at least this many indexed
    /// shingles. Default 1: winnowing promises one shared fingerprint
    /// for a shared run of `window + shingle − 1` characters, no more, and
    /// the local alignment that follows decides.
    pub min_shared: usize,
    /// The shortest passage reported, in normalized characters outside
    /// the national text. Default 12 (a clause: one and a half times the
    /// profile's `min_passage`).
    pub min_passage: usize,
    /// The most passages reported for one pair of items. Default 4.
    pub max_passages: usize,
}

impl Default for ReuseConfig {
    fn default() -> Self {
        ReuseConfig {
            shingle: 6,
            window: 4,
            clique_df: 20,
            max_df: None,
            min_shared: 1,
            min_passage: 12,
            max_passages: 4,
        }
    }
}

impl ReuseConfig {
    /// The template limit for a corpus of `documents`: `max_df`, or half
    /// the documents and at least 100.
    pub fn max_df_for(&self, documents: usize) -> usize {
        self.max_df.unwrap_or((documents / 2).max(100))
    }

    /// Checks the ranges.
    ///
    /// # Errors
    /// [`Error::Setting`] naming the setting out of range.
    pub fn validate(&self) -> Result<()> {
        check("shingle", self.shingle as f64, 2.0, 64.0)?;
        check("window", self.window as f64, 1.0, 64.0)?;
        check("clique_df", self.clique_df as f64, 2.0, 1e9)?;
        if let Some(m) = self.max_df {
            check("max_df", m as f64, 2.0, 1e9)?;
        }
        check("min_shared", self.min_shared as f64, 1.0, 1e6)?;
        check("min_passage", self.min_passage as f64, 1.0, 1e6)?;
        check("max_passages", self.max_passages as f64, 1.0, 1000.0)
    }
}

fn check(name: &'static str, value: f64, low: f64, high: f64) -> Result<()> {
    if (low..=high).contains(&value) {
        Ok(())
    } else {
        Err(Error::Setting {
            name,
            value,
            expected: format!("{low} to {high}"),
        })
    }
}
