//! Character n-grams and the inverted index over requirement texts.
//!
//! Grams are character bigrams packed into a `u64` (a text of one
//! character contributes that character as a unigram). Each gram weighs
//! its inverse document frequency over the indexed texts,
//! `ln((N + 1) / (df + 0.5))`, so phrases every requirement shares
//! (信息公开, 及时公开, 加大…力度) weigh little and distinctive ones a lot.
//! Grams no indexed text has weigh the maximum: they are the words of an
//! item the national text does not know.

use rustc_hash::FxHashMap;

/// A packed character bigram (or unigram).
pub type Gram = u64;

/// The distinct grams of `chars`, sorted.
pub fn grams(chars: &[char]) -> Vec<Gram> {
    let mut g: Vec<Gram> = if chars.len() == 1 {
        vec![(chars[0] as u64) << 32]
    } else {
        chars
            .windows(2)
            .map(|w| ((w[0] as u64) << 32) | w[1] as u64)
            .collect()
    };
    g.sort_unstable();
    g.dedup();
    g
}

/// Bits for a bigram's position in a packed sort key (texts up to 4 Mi
/// characters; longer ones sort pairs).
const POSITION_BITS: u32 = 22;

/// Largest sort-key buffer kept for reuse between calls.
const RETAINED_KEYS: usize = 1 << 16;

thread_local! {
    static SORT_KEYS: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Each bigram of `b` with its position, sorted.
pub(crate) fn bigram_positions(b: &[char]) -> Vec<(Gram, u32)> {
    let mut positions = Vec::new();
    grams_and_positions(b, &mut positions, &mut Vec::new());
    positions
}

/// [`grams`] of `chars` into `out`, and each bigram with its position,
/// sorted, into `positions` (both cleared first): one sort serves both,
/// and reused buffers make it allocation-free.
pub fn grams_and_positions(chars: &[char], positions: &mut Vec<(Gram, u32)>, out: &mut Vec<Gram>) {
    positions.clear();
    if chars.len() < 1 << POSITION_BITS {
        // Sort one integer per bigram, (first char, second char, position)
        // in 21 + 21 + 22 bits, then unpack: the order is the same as the
        // pairs', at a fraction of the cost.
        SORT_KEYS.with_borrow_mut(|keys| {
            keys.clear();
            keys.extend(chars.windows(2).enumerate().map(|(j, w)| {
                ((w[0] as u64) << (21 + POSITION_BITS))
                    | ((w[1] as u64) << POSITION_BITS)
                    | j as u64
            }));
            keys.sort_unstable();
            let mask = (1u64 << POSITION_BITS) - 1;
            positions.extend(keys.iter().map(|&k| {
                let (c0, c1) = (k >> (21 + POSITION_BITS), (k >> POSITION_BITS) & 0x1F_FFFF);
                ((c0 << 32) | c1, (k & mask) as u32)
            }));
            // A damaged blob of millions of characters should not leave
            // its buffer behind in every thread.
            if keys.capacity() > RETAINED_KEYS {
                *keys = Vec::new();
            }
        });
    } else {
        positions.extend(
            chars
                .windows(2)
                .enumerate()
                .map(|(j, w)| (((w[0] as u64) << 32) | w[1] as u64, j as u32)),
        );
        positions.sort_unstable();
    }
    out.clear();
    if let [c] = chars {
        out.push((*c as u64) << 32);
    }
    out.extend(positions.iter().map(|p| p.0));
    out.dedup();
}

/// An inverted index from grams to the texts that contain them.
#[derive(Debug, Clone)]
pub struct NgramIndex {
    ids: FxHashMap<Gram, u32>,
    /// Postings of gram id `g`: `postings[starts[g]..starts[g + 1]]`
    /// (one flat array: no pointer chase per gram).
    postings: Vec<u32>,
    starts: Vec<u32>,
    idf: Vec<f32>,
    unseen: f32,
    weights: Vec<f32>,
}

impl NgramIndex {
    /// Indexes the given texts (already normalized characters).
    pub fn build<'a>(texts: impl IntoIterator<Item = &'a [char]>) -> Self {
        Self::from_sets(texts.into_iter().map(grams))
    }

    /// An index over texts given as their bigram sets (each sorted and
    /// distinct, as [`grams`] returns them), in order.
    pub fn from_sets(sets: impl IntoIterator<Item = Vec<Gram>>) -> Self {
        let mut ids: FxHashMap<Gram, u32> = FxHashMap::default();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut doc_grams: Vec<Vec<u32>> = Vec::new();
        for (d, set) in sets.into_iter().enumerate() {
            let mut mine = Vec::new();
            for g in set {
                let next = ids.len() as u32;
                let id = *ids.entry(g).or_insert(next);
                if id as usize == postings.len() {
                    postings.push(Vec::new());
                }
                postings[id as usize].push(d as u32);
                mine.push(id);
            }
            doc_grams.push(mine);
        }
        let n = doc_grams.len() as f32;
        let idf: Vec<f32> = postings
            .iter()
            .map(|p| ((n + 1.0) / (p.len() as f32 + 0.5)).ln())
            .collect();
        let mut starts = Vec::with_capacity(postings.len() + 1);
        starts.push(0u32);
        for p in &postings {
            starts.push(starts[starts.len() - 1] + p.len() as u32);
        }
        let postings: Vec<u32> = postings.into_iter().flatten().collect();
        let unseen = ((n + 1.0) / 0.5).ln();
        let weights = doc_grams
            .iter()
            .map(|gs| gs.iter().map(|&g| idf[g as usize]).sum())
            .collect();
        NgramIndex {
            ids,
            postings,
            starts,
            idf,
            unseen,
            weights,
        }
    }

    /// Sets the weight of grams no indexed text has (default: the weight
    /// of a gram that only one more text would have, the maximum).
    pub fn with_unseen_weight(mut self, w: f32) -> Self {
        self.unseen = w.max(0.0);
        self
    }

    /// The weight of a gram no indexed text has.
    pub fn unseen_weight(&self) -> f32 {
        self.unseen
    }

    /// Mean weight of the indexed grams.
    pub fn mean_weight(&self) -> f32 {
        if self.idf.is_empty() {
            0.0
        } else {
            self.idf.iter().sum::<f32>() / self.idf.len() as f32
        }
    }

    /// Number of indexed texts.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Weight of a gram (the unseen weight for grams no text has).
    pub fn weight(&self, g: Gram) -> f32 {
        self.ids
            .get(&g)
            .map_or(self.unseen, |&id| self.idf[id as usize])
    }

    /// The weight of gram `g` and the texts that contain it (one lookup);
    /// None for a gram no text has.
    pub fn entry(&self, g: Gram) -> Option<(f32, &[u32])> {
        self.ids.get(&g).map(|&id| self.entry_of(id))
    }

    /// Every indexed gram with its id.
    pub(crate) fn grams_with_ids(&self) -> impl Iterator<Item = (Gram, u32)> + '_ {
        self.ids.iter().map(|(&g, &id)| (g, id))
    }

    /// The weight and postings of the gram with id `id` (see
    /// [`NgramIndex::grams_with_ids`]).
    pub(crate) fn entry_of(&self, id: u32) -> (f32, &[u32]) {
        let (w, range) = self.span_of(id);
        (w, &self.postings[range])
    }

    /// The weight of the gram with id `id` and where its postings lie in
    /// [`NgramIndex::postings`].
    pub(crate) fn span_of(&self, id: u32) -> (f32, std::ops::Range<usize>) {
        let id = id as usize;
        (
            self.idf[id],
            self.starts[id] as usize..self.starts[id + 1] as usize,
        )
    }

    /// Every gram's postings, one after another.
    pub(crate) fn postings(&self) -> &[u32] {
        &self.postings
    }

    /// Total weight of indexed text `d`'s grams.
    pub fn text_weight(&self, d: usize) -> f32 {
        self.weights[d]
    }

    /// Adds, for every indexed text, the weight of the grams it shares with
    /// `query` into `acc` (which must hold `len()` zeros), and returns the
    /// total weight of the query's grams. Cost: the summed posting lengths
    /// of the query's grams; no allocation.
    pub fn accumulate(&self, query: &[Gram], acc: &mut [f32]) -> f32 {
        let mut total = 0.0;
        for g in query {
            match self.entry(*g) {
                Some((w, postings)) => {
                    total += w;
                    for &d in postings {
                        acc[d as usize] += w;
                    }
                }
                None => total += self.unseen,
            }
        }
        total
    }

    /// [`NgramIndex::accumulate`] with two more sums per text: into
    /// `specific`, each shared gram's weight divided by the number of
    /// texts that hold it (a gram every text holds says little about
    /// which one the query is about; a gram one text holds says all).
    /// Returns the query's total weight and the part of it that no
    /// indexed text holds (its novelty). Both accumulators must hold
    /// `len()` zeros. Cost: the summed posting lengths; no allocation.
    pub fn accumulate_specific(
        &self,
        query: &[Gram],
        acc: &mut [f32],
        specific: &mut [f32],
    ) -> (f32, f32) {
        let (mut total, mut unseen) = (0.0, 0.0);
        for g in query {
            match self.entry(*g) {
                Some((w, postings)) => {
                    total += w;
                    let share = w / postings.len() as f32;
                    for &d in postings {
                        acc[d as usize] += w;
                        specific[d as usize] += share;
                    }
                }
                None => {
                    total += self.unseen;
                    unseen += self.unseen;
                }
            }
        }
        (total, unseen)
    }

    /// The weight shared by two gram lists, computed directly (the
    /// exhaustive path the index must agree with).
    pub fn shared_weight(&self, a: &[Gram], b: &[Gram]) -> f32 {
        let (mut i, mut j, mut w) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    w += self.weight(a[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        w
    }

    /// Total weight of a gram list.
    pub fn weight_of(&self, g: &[Gram]) -> f32 {
        g.iter().map(|&x| self.weight(x)).sum()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The packed sort gives the pairs in the order sorting the pairs
        /// gives, and the distinct grams [`grams`] gives.
        #[test]
        fn packed_sort_equals_pair_sort(s in "(\\PC|[政务公开])*") {
            let chars: Vec<char> = s.chars().collect();
            let (mut positions, mut out) = (Vec::new(), Vec::new());
            grams_and_positions(&chars, &mut positions, &mut out);
            let mut pairs: Vec<(Gram, u32)> = chars
                .windows(2)
                .enumerate()
                .map(|(j, w)| (((w[0] as u64) << 32) | w[1] as u64, j as u32))
                .collect();
            pairs.sort_unstable();
            prop_assert_eq!(positions, pairs);
            prop_assert_eq!(out, grams(&chars));
        }
    }
}
