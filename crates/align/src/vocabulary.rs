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
use crate::grams::{Gram, grams};
use crate::normalize::Normalizer;

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

/// The bigrams of labelled statements of one task (or of the local
/// extensions), without the statements: what is kept of documents whose
/// text may not be shipped (third-party pages of the real corpus). A
/// sorted set of normalized character bigrams: what the index reads of a
/// profile, and no sentence can be read back from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GramProfile {
    /// The task id, or `extension`.
    pub task: String,
    /// Where the bigrams come from (documents, labels), for the record.
    #[serde(default)]
    pub source: String,
    /// The bigrams, each two normalized characters, sorted, distinct.
    pub grams: Vec<String>,
}

impl GramProfile {
    /// The bigram set of `texts` (normalized statements) for `task`.
    pub fn of<'t>(
        task: &str,
        source: &str,
        texts: impl IntoIterator<Item = &'t str>,
    ) -> GramProfile {
        let mut set = std::collections::BTreeSet::new();
        for t in texts {
            let chars: Vec<char> = t.chars().collect();
            for w in chars.windows(2) {
                set.insert([w[0], w[1]].iter().collect::<String>());
            }
        }
        GramProfile {
            task: task.to_string(),
            source: source.to_string(),
            grams: set.into_iter().collect(),
        }
    }
}

/// Labelled statements, by task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnedVocabulary {
    /// The id of the taxonomy whose tasks the examples name
    /// (`national-2017`); empty in vocabularies written before it was
    /// recorded. A vocabulary never serves another taxonomy
    /// ([`crate::Aligner::with_learned`]).
    #[serde(default)]
    pub taxonomy: String,
    /// What the examples were taken from, for the record.
    #[serde(default)]
    pub source: String,
    /// The examples.
    #[serde(default)]
    pub example: Vec<Example>,
    /// Bigram sets of statements kept without their text.
    #[serde(default)]
    pub grams: Vec<GramProfile>,
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

    /// Whether the vocabulary holds nothing.
    pub fn is_empty(&self) -> bool {
        self.example.is_empty() && self.grams.iter().all(|g| g.grams.is_empty())
    }

    /// The vocabulary without the examples of the document `doc` (a file
    /// name): for measuring a document against what the others teach.
    /// (Bigram sets name no document and stay.)
    pub fn without(&self, doc: &str) -> LearnedVocabulary {
        LearnedVocabulary {
            example: self
                .example
                .iter()
                .filter(|e| e.doc != doc)
                .cloned()
                .collect(),
            ..self.clone()
        }
    }

    /// The vocabulary with the examples of the documents `docs` (file
    /// names) kept as bigram sets per task, not as text: for documents
    /// whose text may not be shipped (third-party pages). Each task's
    /// bigrams join its existing profile of that `source`, if any.
    pub fn with_grams_for(
        &self,
        docs: &std::collections::HashSet<String>,
        source: &str,
    ) -> LearnedVocabulary {
        let (cited, kept): (Vec<&Example>, Vec<&Example>) =
            self.example.iter().partition(|e| docs.contains(&e.doc));
        let mut grams = self.grams.clone();
        let mut tasks: Vec<&str> = cited.iter().map(|e| e.task.as_str()).collect();
        tasks.sort_unstable();
        tasks.dedup();
        for task in tasks {
            let texts = cited
                .iter()
                .filter(|e| e.task == task)
                .map(|e| e.text.as_str());
            let new = GramProfile::of(task, source, texts);
            match grams
                .iter_mut()
                .find(|g| g.task == task && g.source == source)
            {
                Some(g) => {
                    let mut all: std::collections::BTreeSet<String> = g.grams.drain(..).collect();
                    all.extend(new.grams);
                    g.grams = all.into_iter().collect();
                }
                None => grams.push(new),
            }
        }
        LearnedVocabulary {
            example: kept.into_iter().cloned().collect(),
            grams,
            ..self.clone()
        }
    }

    /// The bigram set of each task id in `tasks` (its examples' bigrams
    /// and its gram profiles'), and last that of the extensions. Each
    /// example is read on its own, so no bigram spans two examples.
    pub(crate) fn profiles(&self, tasks: &[&str], national: &Normalizer) -> Vec<Vec<Gram>> {
        let mut out: Vec<Vec<Gram>> = vec![Vec::new(); tasks.len() + 1];
        let slot = |task: &str| {
            if task == "extension" {
                Some(tasks.len())
            } else {
                tasks.iter().position(|t| *t == task)
            }
        };
        for e in &self.example {
            if let Some(p) = slot(&e.task) {
                out[p].extend(grams(&national.normalize(&e.text).chars));
            }
        }
        for g in &self.grams {
            if let Some(p) = slot(&g.task) {
                out[p].extend(g.grams.iter().filter_map(|s| {
                    let mut c = s.chars();
                    match (c.next(), c.next(), c.next()) {
                        (Some(a), Some(b), None) => grams(&[a, b]).first().copied(),
                        _ => None,
                    }
                }));
            }
        }
        for p in &mut out {
            p.sort_unstable();
            p.dedup();
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
        let profiles = v.profiles(&["1.1", "6.5"], &Normalizer::standard(&[]));
        assert_eq!(profiles.len(), 3);
        assert!(profiles.iter().all(|p| !p.is_empty()));
        assert!(LearnedVocabulary::from_toml_str("example = 3").is_err());
        // Kept as bigrams: the document's text is gone, its words are
        // still read (the profiles are the same sets).
        let docs = std::collections::HashSet::from([doc.clone()]);
        let cited = v.with_grams_for(&docs, "cited");
        assert!(cited.example.iter().all(|e| &e.doc != doc));
        assert!(!cited.grams.is_empty());
        let national = Normalizer::standard(&[]);
        let tasks = ["1.1", "6.5"];
        assert_eq!(
            cited.profiles(&tasks, &national),
            v.profiles(&tasks, &national)
        );
        assert_eq!(
            LearnedVocabulary::from_toml_str(&cited.to_toml()).unwrap(),
            cited
        );
    }
}
