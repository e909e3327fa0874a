//! Alignment settings: thresholds and weights, serde-loadable, with
//! defaults calibrated on the labelled development set in
//! `testdata/labels` (see `examples/calibrate.rs` and DESIGN.md).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Thresholds and weights of the aligner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlignConfig {
    /// β: weight of `cont_item` (how much of the item the requirement
    /// explains) against `cont_req` (how much of the requirement the item
    /// states) in the requirement score. Range [0, 1].
    pub item_weight: f64,
    /// A requirement item whose best requirement score reaches this is
    /// `matched` to it. Range [0, 1].
    pub match_threshold: f64,
    /// Otherwise, an item whose best task score reaches this is filed
    /// under that `task`; below it, the item is an `extension`. Range [0, 1].
    pub task_threshold: f64,
    /// An item whose own words fit three or more tasks of different areas
    /// equally (their shares within this fraction of the best share) has
    /// no clear scope and is an `extension`; 0 turns the rule off.
    /// Range [0, 1].
    pub scope_tie: f64,
    /// A document at least this share of whose decided items fall in one
    /// area is about that area (a plan for open-government work alone).
    /// Range [0, 1]; 1 turns the rule off for all but one-area documents.
    pub focus_share: f64,
    /// In such a document, the task threshold for that area's tasks,
    /// applied to the items the first pass calls extensions. Range [0, 1].
    pub focus_task_threshold: f64,
    /// A document whose headings agree with its items' own words, in at
    /// least this share of the items that reach the match threshold on
    /// their own under a heading naming a task, has trusted headings (at
    /// least ten such items are needed to judge). See
    /// `trusted_heading_threshold`. Range [0, 1].
    pub heading_trust: f64,
    /// In a document with trusted headings, an item that falls within some
    /// national task's scope on its own words, but is not matched to a
    /// requirement, is filed under the task its heading names when that
    /// task's score reaches this (the heading decides which task, never
    /// whether the item is national); tasks the heading does not name get
    /// no area bonus there. At `task_threshold` only the bonus changes.
    /// Range [0, 1].
    pub trusted_heading_threshold: f64,
    /// γ: in the task score, weight of the item's containment in the
    /// task's vocabulary (title, keywords, requirement texts) against the
    /// best requirement score within the task. Range [0, 1].
    pub task_vocabulary_weight: f64,
    /// Added to the scores of a task (and its requirements) that the
    /// item's own heading names; half of it when the heading names only
    /// the area. It ranks candidates and never lets one pass a threshold.
    /// Range [0, 1].
    pub heading_bonus: f64,
    /// κ: weight of the item's paragraph (or table row) in its task
    /// vocabulary score, so a short sentence is read in its context.
    /// Range [0, 1].
    pub context_weight: f64,
    /// Weight of a word no national task uses, relative to the mean weight
    /// of task words, in the task vocabulary score: lower values let an
    /// item reworded in new vocabulary still fall within the task whose
    /// words it does use. Range [0, 1].
    pub unseen_weight: f64,
    /// Bigram Dice similarity at which a regional heading names a
    /// national task. Range [0, 1].
    pub heading_similarity: f64,
    /// A requirement is `covered` by a document whose best item scores at
    /// least this against it. Range [0, 1].
    pub covered_threshold: f64,
    /// …and `partial` from this score up. Range [0, 1].
    pub partial_threshold: f64,
    /// Compute local-alignment evidence (matched spans) for each decided
    /// item.
    pub evidence: bool,
}

impl Default for AlignConfig {
    /// The calibrated defaults (DESIGN.md, "Calibration").
    fn default() -> Self {
        AlignConfig {
            item_weight: 0.2,
            match_threshold: 0.35,
            task_threshold: 0.18,
            scope_tie: 0.05,
            focus_share: 0.6,
            focus_task_threshold: 0.09,
            heading_trust: 0.75,
            trusted_heading_threshold: 0.09,
            task_vocabulary_weight: 0.9,
            heading_bonus: 0.4,
            context_weight: 0.5,
            unseen_weight: 0.5,
            heading_similarity: 0.5,
            covered_threshold: 0.5,
            partial_threshold: 0.35,
            evidence: true,
        }
    }
}

impl AlignConfig {
    /// Parses TOML settings; missing keys take their defaults.
    ///
    /// # Errors
    /// [`Error::Parse`] for bad TOML or unknown keys, [`Error::Setting`]
    /// for values out of range.
    pub fn from_toml_str(text: &str) -> Result<Self> {
        let c: AlignConfig = toml::from_str(text).map_err(|e| Error::Parse {
            path: PathBuf::from("<config>"),
            line: e
                .span()
                .map(|s| luoshi_core::text::line_of(text, s.start))
                .unwrap_or(0),
            message: e.message().to_string(),
        })?;
        c.validate(Path::new("<config>"))?;
        Ok(c)
    }

    /// Reads settings from a TOML file.
    ///
    /// # Errors
    /// As [`AlignConfig::from_toml_str`], naming the file; [`Error::Io`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml_str(&text).map_err(|e| match e {
            Error::Parse { line, message, .. } => Error::Parse {
                path: path.to_path_buf(),
                line,
                message,
            },
            Error::Setting {
                name,
                value,
                expected,
                ..
            } => Error::Setting {
                path: path.to_path_buf(),
                name,
                value,
                expected,
            },
            other => other,
        })
    }

    /// Checks every value's range.
    ///
    /// # Errors
    /// [`Error::Setting`] naming the first value out of range.
    pub fn validate(&self, path: &Path) -> Result<()> {
        let unit = [
            ("item_weight", self.item_weight),
            ("match_threshold", self.match_threshold),
            ("task_threshold", self.task_threshold),
            ("scope_tie", self.scope_tie),
            ("focus_share", self.focus_share),
            ("focus_task_threshold", self.focus_task_threshold),
            ("heading_trust", self.heading_trust),
            ("trusted_heading_threshold", self.trusted_heading_threshold),
            ("task_vocabulary_weight", self.task_vocabulary_weight),
            ("heading_bonus", self.heading_bonus),
            ("context_weight", self.context_weight),
            ("unseen_weight", self.unseen_weight),
            ("heading_similarity", self.heading_similarity),
            ("covered_threshold", self.covered_threshold),
            ("partial_threshold", self.partial_threshold),
        ];
        for (name, value) in unit {
            if !(0.0..=1.0).contains(&value) {
                return Err(Error::Setting {
                    path: path.to_path_buf(),
                    name,
                    value,
                    expected: "a number in [0, 1]",
                });
            }
        }
        if self.partial_threshold > self.covered_threshold {
            return Err(Error::Setting {
                path: path.to_path_buf(),
                name: "partial_threshold",
                value: self.partial_threshold,
                expected: "at most covered_threshold",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let c = AlignConfig::default();
        c.validate(Path::new("x")).unwrap();
        let text = toml::to_string(&c).unwrap();
        assert_eq!(AlignConfig::from_toml_str(&text).unwrap(), c);
        assert_eq!(AlignConfig::from_toml_str("").unwrap(), c);
    }

    #[test]
    fn refuses_bad_settings() {
        let cases = [
            (
                "out of range",
                "match_threshold = 1.5",
                "`match_threshold` = 1.5 is out of range",
            ),
            (
                "unknown key",
                "match_treshold = 0.5",
                "unknown field `match_treshold`",
            ),
            (
                "partial above covered",
                "covered_threshold = 0.3\npartial_threshold = 0.4",
                "at most covered_threshold",
            ),
        ];
        for (name, text, expected) in cases {
            let err = AlignConfig::from_toml_str(text).unwrap_err().to_string();
            assert!(err.contains(expected), "case {name}: {err}");
        }
    }
}
