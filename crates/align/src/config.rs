//! Alignment settings: thresholds and weights, serde-loadable, with
//! defaults calibrated on the labelled development set in
//! `testdata/labels` (see `examples/calibrate.rs` and DESIGN.md).

use std::path::Path;

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
    /// A document at least this share of whose items fit one area's
    /// tasks best on their own words is reported as about that area
    /// ([`crate::DocumentAlignment::focus`]). Reporting only: the decision
    /// reads the area shares themselves. Range [0, 1].
    pub focus_share: f64,
    /// Items matched on their own words under task-naming headings needed
    /// before the document's heading agreement is judged (fewer: the
    /// agreement is unknown and the decision reads it as 0). At least 1.
    pub min_agreement_items: usize,
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
    /// Evidence: how far, in diagonals, from the one most shared bigrams
    /// sit, a shared bigram may sit and still belong to the alignment (an
    /// inserted or dropped passage of up to this many characters).
    pub evidence_band: usize,
    /// Evidence: extra diagonals and rows searched around those the shared
    /// bigrams use.
    pub evidence_slack: usize,
    /// Re-estimate each document's outcome proportions from its own items
    /// (EM prior adjustment, [`crate::decide::adapt_priors`]) before
    /// deciding, when the decision model records its training
    /// proportions and the strength of their prior
    /// ([`crate::DecisionModel::prior_strength`], fitted).
    pub adapt_priors: bool,
    /// The probability a local extension needs to be called (below it,
    /// the most probable task is chosen). Range [0, 1]; 0: the most
    /// probable outcome.
    pub extension_confidence: f64,
}

impl Default for AlignConfig {
    /// The calibrated defaults (DESIGN.md, "Calibration").
    fn default() -> Self {
        AlignConfig {
            item_weight: 0.2,
            match_threshold: 0.35,
            focus_share: 0.6,
            min_agreement_items: 10,
            unseen_weight: 0.5,
            heading_similarity: 0.5,
            covered_threshold: 0.5,
            partial_threshold: 0.35,
            evidence: true,
            evidence_band: 8,
            evidence_slack: 1,
            adapt_priors: true,
            extension_confidence: 0.5,
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
        let c: AlignConfig = crate::error::parse_toml(text, Path::new("<config>"))?;
        c.validate(Path::new("<config>"))?;
        Ok(c)
    }

    /// Reads settings from a TOML file.
    ///
    /// # Errors
    /// As [`AlignConfig::from_toml_str`], naming the file; [`Error::Io`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = crate::error::read_file(path)?;
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
            ("focus_share", self.focus_share),
            ("unseen_weight", self.unseen_weight),
            ("heading_similarity", self.heading_similarity),
            ("covered_threshold", self.covered_threshold),
            ("partial_threshold", self.partial_threshold),
            ("extension_confidence", self.extension_confidence),
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
        if self.min_agreement_items == 0 {
            return Err(Error::Setting {
                path: path.to_path_buf(),
                name: "min_agreement_items",
                value: 0.0,
                expected: "at least 1",
            });
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
