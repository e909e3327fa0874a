//! Repeated paragraphs: PDF extraction and careless copying repeat whole
//! paragraphs two or three times. A requirement or heading whose statement
//! equals an earlier one (compared on content characters only), or nearly
//! equals it (character-bigram Dice at or above the threshold), becomes a
//! duplicate of the first occurrence.
//!
//! Near-exact candidates come from buckets keyed by a statement's first
//! and last four content characters, so the cost stays linear in the
//! number of items rather than quadratic.

use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use crate::ingest::{Item, ItemId, ItemKind};

/// A statement's distinct character bigrams, packed and sorted.
type Bigrams = Rc<[u64]>;

/// Near-duplicate candidates: (is heading, first or last four characters,
/// which end) → earlier statements with their bigrams and lengths.
type Buckets = HashMap<(bool, [char; 4], bool), Vec<(ItemId, Bigrams, usize)>>;

/// Most candidates compared per bucket.
const MAX_BUCKET: usize = 32;
/// Statements shorter than this (content characters) are compared exactly only.
const MIN_NEAR_CHARS: usize = 12;
/// …and so are longer ones: a statement of thousands of characters is a
/// damaged blob, and its bigram set would cost memory in proportion.
const MAX_NEAR_CHARS: usize = 4096;

fn key(text: &str, item: &Item) -> Vec<char> {
    let bytes: usize = item.body.iter().map(|r| r.len()).sum();
    // CJK text takes three bytes a character.
    let mut k = Vec::with_capacity(bytes / 3 + 4);
    for r in &item.body {
        k.extend(
            text[r.clone()]
                .chars()
                .filter(|&c| crate::text::is_cjk(c) || c.is_alphanumeric()),
        );
    }
    k
}

fn bigrams(chars: &[char]) -> Bigrams {
    let mut g: Vec<u64> = chars
        .windows(2)
        .map(|w| ((w[0] as u64) << 32) | w[1] as u64)
        .collect();
    g.sort_unstable();
    g.dedup();
    g.into()
}

/// Bigram Dice similarity of two sorted bigram sets (one merge).
fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * crate::text::shared_sorted(a, b) as f64 / (a.len() + b.len()) as f64
}

/// Marks repeats in place.
pub(crate) fn mark_duplicates(text: &str, items: &mut [Item], threshold: f64) {
    // Exact repeats, per kind (requirements, headings).
    let mut exact: [HashMap<Vec<char>, ItemId>; 2] = [HashMap::default(), HashMap::default()];
    let mut buckets: Buckets = HashMap::default();
    for item in items.iter_mut() {
        let kind = item.kind;
        if !matches!(kind, ItemKind::Requirement | ItemKind::Heading) {
            continue;
        }
        let is_heading = kind == ItemKind::Heading;
        let k = key(text, item);
        if k.is_empty() {
            continue;
        }
        let seen = &mut exact[usize::from(is_heading)];
        if let Some(&first) = seen.get(k.as_slice()) {
            item.kind = ItemKind::Duplicate { of: first };
            continue;
        }
        let id = item.id;
        if !(MIN_NEAR_CHARS..=MAX_NEAR_CHARS).contains(&k.len()) {
            seen.insert(k, id);
            continue;
        }
        let grams = bigrams(&k);
        let head: [char; 4] = [k[0], k[1], k[2], k[3]];
        let n = k.len();
        let tail: [char; 4] = [k[n - 4], k[n - 3], k[n - 2], k[n - 1]];
        seen.insert(k, id);
        let mut found = None;
        'search: for bucket_key in [(is_heading, head, true), (is_heading, tail, false)] {
            if let Some(cands) = buckets.get(&bucket_key) {
                for (cand, cg, clen) in cands {
                    let ratio = n.min(*clen) as f64 / n.max(*clen) as f64;
                    if ratio >= threshold && dice(&grams, cg) >= threshold {
                        found = Some(*cand);
                        break 'search;
                    }
                }
            }
        }
        if let Some(first) = found {
            item.kind = ItemKind::Duplicate { of: first };
            continue;
        }
        for bucket_key in [(is_heading, head, true), (is_heading, tail, false)] {
            let b = buckets.entry(bucket_key).or_default();
            if b.len() < MAX_BUCKET {
                b.push((id, Rc::clone(&grams), n));
            }
        }
    }
}
