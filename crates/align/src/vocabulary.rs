//! The learned vocabulary: what regions write under each national task,
//! and what they add of their own, taken from labelled statements. Part
//! of the candidate stage: besides the taxonomy's own words (the national
//! text and its keywords), an item is compared with the labelled
//! statements of each task and with the labelled local extensions
//! ([`crate::TaskCard::learned`], [`crate::ScoreCard::learned_extension`]).
//!
//! Shipped as data next to the decision model
//! (`taxonomies/national_2017/vocabulary.toml`, embedded) and rebuilt with it from the
//! labels by the `calibrate` example. When the model is fitted, each
//! document's cards are computed with a vocabulary built from the *other*
//! documents' labels (cross-fitting), so the weights learn how far the
//! vocabulary carries to a document it has never seen.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// One labelled statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The file name of the document it was labelled in.
    #[serde(default)]
    pub doc: String,
    /// The task id it belongs to, or `extension`.
    pub task: String,
    /// Its normalized text.
    pub text: String,
}

/// Labelled statements, by task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnedVocabulary {
    /// What the examples were taken from, for the record.
    #[serde(default)]
    pub source: String,
    /// The examples.
    #[serde(default)]
    pub example: Vec<Example>,
}

/// The embedded vocabulary learned for the national 2017 taxonomy.
const NATIONAL_2017: &str = include_str!("../../../taxonomies/national_2017/vocabulary.toml");

impl LearnedVocabulary {
    /// The vocabulary shipped for the national 2017 taxonomy.
    pub fn national_2017() -> LearnedVocabulary {
        Self::from_toml_str(NATIONAL_2017).expect("the embedded vocabulary is valid")
    }

    /// Parses a vocabulary.
    ///
    /// # Errors
    /// [`crate::Error::Parse`] for bad TOML or unknown keys.
    pub fn from_toml_str(text: &str) -> Result<LearnedVocabulary> {
        Self::parse(text, Path::new("<vocabulary>"))
    }

    /// Reads a vocabulary file.
    ///
    /// # Errors
    /// [`crate::Error::Io`], or as [`LearnedVocabulary::from_toml_str`] naming
    /// the file.
    pub fn load(path: impl AsRef<Path>) -> Result<LearnedVocabulary> {
        let path = path.as_ref();
        let text = crate::error::read_file(path)?;
        Self::parse(&text, path)
    }

    fn parse(text: &str, path: &Path) -> Result<LearnedVocabulary> {
        crate::error::parse_toml(text, path)
    }

    /// The vocabulary as TOML, in the format [`LearnedVocabulary::load`]
    /// reads.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a vocabulary serializes")
    }

    /// The vocabulary without the examples of the document `doc` (a file
    /// name): for measuring a document against what the others teach.
    pub fn without(&self, doc: &str) -> LearnedVocabulary {
        LearnedVocabulary {
            source: self.source.clone(),
            example: self
                .example
                .iter()
                .filter(|e| e.doc != doc)
                .cloned()
                .collect(),
        }
    }

    /// The profile text of each task id in `tasks` (its examples joined),
    /// and last that of the extensions.
    pub(crate) fn profiles(&self, tasks: &[&str]) -> Vec<Vec<char>> {
        let mut out = vec![Vec::new(); tasks.len() + 1];
        for e in &self.example {
            let slot = if e.task == "extension" {
                Some(tasks.len())
            } else {
                tasks.iter().position(|t| *t == e.task)
            };
            if let Some(p) = slot {
                out[p].extend(e.text.chars());
                out[p].push('|');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_round_trips_and_drops_a_document() {
        let v = LearnedVocabulary::national_2017();
        assert!(!v.example.is_empty());
        assert_eq!(LearnedVocabulary::from_toml_str(&v.to_toml()).unwrap(), v);
        let doc = &v.example[0].doc;
        let without = v.without(doc);
        assert!(without.example.iter().all(|e| &e.doc != doc));
        assert!(without.example.len() < v.example.len());
        let profiles = v.profiles(&["1.1", "6.5"]);
        assert_eq!(profiles.len(), 3);
        assert!(profiles.iter().all(|p| !p.is_empty()));
        assert!(LearnedVocabulary::from_toml_str("example = 3").is_err());
    }
}
