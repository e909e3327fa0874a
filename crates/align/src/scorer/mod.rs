//! Similarity scorers behind one trait, for comparing our scorers with
//! the strsim baselines (the benchmarks and the property tests use the
//! trait; the aligner calls [`combine`] and [`SmithWaterman::align_with`]
//! directly). All return a normalized similarity in [0, 1], 1 for
//! identical texts.
//!
//! - [`Levenshtein`], [`SorensenDice`], [`JaroWinkler`]: the `strsim`
//!   metrics, as baselines.
//! - [`Containment`]: IDF-weighted character-bigram containment, ours; it
//!   survives items that merge several requirements or carry splices.
//! - [`SmithWaterman`]: local alignment, ours; it also returns the matching
//!   spans in both texts as evidence.
//!
//! Inputs are normalized text (see [`crate::normalize`]).

mod containment;
mod similarity;
mod smith_waterman;

pub use containment::{Containment, combine};
pub use similarity::Similarity;
pub use smith_waterman::{LocalAlignment, SmithWaterman, SwBuffers};

/// Normalized Levenshtein similarity (`strsim::normalized_levenshtein`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Levenshtein;

impl Similarity for Levenshtein {
    fn name(&self) -> &'static str {
        "levenshtein"
    }
    fn normalized_similarity(&self, a: &str, b: &str) -> f64 {
        strsim::normalized_levenshtein(a, b).clamp(0.0, 1.0)
    }
}

/// Sørensen–Dice on character bigrams (`strsim::sorensen_dice`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SorensenDice;

impl Similarity for SorensenDice {
    fn name(&self) -> &'static str {
        "sorensen_dice"
    }
    fn normalized_similarity(&self, a: &str, b: &str) -> f64 {
        if a == b {
            return 1.0;
        }
        strsim::sorensen_dice(a, b).clamp(0.0, 1.0)
    }
}

/// Jaro–Winkler similarity (`strsim::jaro_winkler`).
#[derive(Debug, Clone, Copy, Default)]
pub struct JaroWinkler;

impl Similarity for JaroWinkler {
    fn name(&self) -> &'static str {
        "jaro_winkler"
    }
    fn normalized_similarity(&self, a: &str, b: &str) -> f64 {
        if a == b {
            return 1.0;
        }
        strsim::jaro_winkler(a, b).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::grams::NgramIndex;

    fn scorers() -> Vec<Box<dyn Similarity>> {
        let texts: Vec<Vec<char>> = ["加强政策解读", "公开财政预决算", "信息公开"]
            .iter()
            .map(|s| s.chars().collect())
            .collect();
        let index = std::sync::Arc::new(NgramIndex::build(texts.iter().map(Vec::as_slice)));
        vec![
            Box::new(Levenshtein),
            Box::new(SorensenDice),
            Box::new(JaroWinkler),
            Box::new(Containment::new(index)),
            Box::new(SmithWaterman::default()),
        ]
    }

    proptest! {
        #[test]
        fn scores_in_unit_interval(a in "\\PC{0,30}", b in "\\PC{0,30}") {
            for s in scorers() {
                let v = s.normalized_similarity(&a, &b);
                prop_assert!((0.0..=1.0).contains(&v), "{} gave {v}", s.name());
            }
        }

        #[test]
        fn identical_texts_score_one(a in "\\PC{0,30}") {
            for s in scorers() {
                prop_assert_eq!(s.normalized_similarity(&a, &a), 1.0, "{}", s.name());
            }
        }
    }

    #[test]
    fn symmetric_metrics_are_symmetric() {
        let (a, b) = ("加强财政政策解读", "做好政策解读工作");
        for s in [
            &Levenshtein as &dyn Similarity,
            &SorensenDice,
            &JaroWinkler,
            &SmithWaterman::default(),
        ] {
            assert_eq!(
                s.normalized_similarity(a, b),
                s.normalized_similarity(b, a),
                "{}",
                s.name()
            );
        }
    }
}
