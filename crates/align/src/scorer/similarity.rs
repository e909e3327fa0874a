//! The trait every similarity metric implements (a leaf: the metrics
//! import it, it imports none of them).

/// A similarity metric.
pub trait Similarity: Send + Sync {
    /// A short name for reports and benchmarks.
    fn name(&self) -> &'static str;

    /// Similarity of `item` to `requirement` in [0, 1].
    fn normalized_similarity(&self, item: &str, requirement: &str) -> f64;
}
