//! IDF-weighted character-bigram containment.
//!
//! For an item x and a requirement r with gram sets G(x), G(r) and gram
//! weights w: `cont_req = w(G(x) ∩ G(r)) / w(G(r))` (how much of the
//! requirement the item states) and `cont_item = w(G(x) ∩ G(r)) / w(G(x))`
//! (how much of the item the requirement explains). The similarity is
//! `(1 - β) · cont_req + β · cont_item`, β = the item weight. An item that
//! merges two requirements still contains each (cont_req = 1), spliced
//! unit names and row numbers only lower cont_item a little, and common
//! phrases weigh little.

use std::sync::Arc;

use crate::grams::{NgramIndex, grams};

use super::similarity::Similarity;

/// IDF-weighted containment scorer.
#[derive(Debug, Clone)]
pub struct Containment {
    index: Arc<NgramIndex>,
    item_weight: f64,
}

impl Containment {
    /// A scorer with the IDF of `index` and item weight 0.2 (the
    /// calibrated default of `AlignConfig::item_weight`).
    pub fn new(index: Arc<NgramIndex>) -> Self {
        Containment {
            index,
            item_weight: 0.2,
        }
    }
}

/// The combined containment score, clamped to [0, 1].
pub fn combine(beta: f64, shared: f32, item_total: f32, req_total: f32) -> f64 {
    let cont_req = if req_total > 0.0 {
        shared as f64 / req_total as f64
    } else {
        0.0
    };
    let cont_item = if item_total > 0.0 {
        shared as f64 / item_total as f64
    } else {
        0.0
    };
    ((1.0 - beta) * cont_req + beta * cont_item).clamp(0.0, 1.0)
}

impl Similarity for Containment {
    fn name(&self) -> &'static str {
        "containment"
    }
    fn normalized_similarity(&self, item: &str, requirement: &str) -> f64 {
        let a: Vec<char> = item.chars().collect();
        let b: Vec<char> = requirement.chars().collect();
        if a == b {
            return 1.0;
        }
        let (ga, gb) = (grams(&a), grams(&b));
        if ga == gb {
            return 1.0;
        }
        let shared = self.index.shared_weight(&ga, &gb);
        combine(
            self.item_weight,
            shared,
            self.index.weight_of(&ga),
            self.index.weight_of(&gb),
        )
    }
}
