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

use crate::ingest::item::{Item, ItemId, ItemKind};

/// A statement's distinct character bigrams, packed and sorted.
type Bigrams = Vec<u64>;

/// An earlier statement that later ones may nearly repeat: its content
/// characters, and its bigrams once a comparison has needed them (most
/// statements are never compared: their buckets hold nothing of a
/// similar length).
struct Earlier {
    id: ItemId,
    chars: Rc<[char]>,
    grams: Option<Bigrams>,
}

/// Near-duplicate candidates: (is heading, first or last four characters,
/// which end) → indexes of earlier statements.
type Buckets = HashMap<(bool, [char; 4], bool), Vec<usize>>;

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
                .filter(|&c| crate::text::is_content(c)),
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
    g
}

/// Whether the bigram Dice similarity of two sorted bigram sets,
/// `2·shared / (|a| + |b|)`, is at least `threshold`: one merge that
/// stops as soon as the answer is known (the shared count reaches the
/// least passing count, or can no longer reach it). Most candidates of a
/// bucket are not repeats, and their merge stops after a few misses.
fn dice_at_least(a: &[u64], b: &[u64], threshold: f64) -> bool {
    if a.is_empty() && b.is_empty() {
        return 1.0 >= threshold;
    }
    let total = (a.len() + b.len()) as f64;
    let passes = |c: usize| 2.0 * c as f64 / total >= threshold;
    let most = a.len().min(b.len());
    if !passes(most) {
        return false;
    }
    // The least passing count, found exactly as `passes` decides (the
    // estimate is only a start).
    let mut need = ((threshold * total / 2.0).ceil().max(0.0) as usize).min(most);
    while need > 0 && passes(need - 1) {
        need -= 1;
    }
    while !passes(need) {
        need += 1;
    }
    crate::text::shares_at_least(a, b, need)
}

/// Marks repeats in place.
pub(crate) fn mark_duplicates(text: &str, items: &mut [Item], threshold: f64) {
    // Exact repeats, per kind (requirements, headings).
    let mut exact: [HashMap<Rc<[char]>, ItemId>; 2] = [HashMap::default(), HashMap::default()];
    let mut earlier: Vec<Earlier> = Vec::new();
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
        let k: Rc<[char]> = k.into();
        seen.insert(Rc::clone(&k), id);
        if !(MIN_NEAR_CHARS..=MAX_NEAR_CHARS).contains(&k.len()) {
            continue;
        }
        let n = k.len();
        let head: [char; 4] = [k[0], k[1], k[2], k[3]];
        let tail: [char; 4] = [k[n - 4], k[n - 3], k[n - 2], k[n - 1]];
        let keys = [(is_heading, head, true), (is_heading, tail, false)];
        let mut grams: Option<Bigrams> = None;
        let mut found = None;
        'search: for bucket_key in &keys {
            for &e in buckets.get(bucket_key).into_iter().flatten() {
                let cand = &mut earlier[e];
                let clen = cand.chars.len();
                let ratio = n.min(clen) as f64 / n.max(clen) as f64;
                if ratio < threshold {
                    continue;
                }
                let theirs = cand.grams.get_or_insert_with(|| bigrams(&cand.chars));
                let mine = grams.get_or_insert_with(|| bigrams(&k));
                if dice_at_least(mine, theirs, threshold) {
                    found = Some(cand.id);
                    break 'search;
                }
            }
        }
        if let Some(first) = found {
            item.kind = ItemKind::Duplicate { of: first };
            continue;
        }
        let e = earlier.len();
        earlier.push(Earlier {
            id,
            chars: k,
            grams,
        });
        for bucket_key in keys {
            let b = buckets.entry(bucket_key).or_default();
            if b.len() < MAX_BUCKET {
                b.push(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn set(v: Vec<u64>) -> Vec<u64> {
        let mut v = v;
        v.sort_unstable();
        v.dedup();
        v
    }

    proptest! {
        /// The early-stopping test answers as the full Dice value does,
        /// thresholds on the boundary included.
        #[test]
        fn dice_at_least_agrees_with_full_dice(
            a in prop::collection::vec(0u64..60, 0..50),
            b in prop::collection::vec(0u64..60, 0..50),
            t in 0usize..=20,
        ) {
            let (a, b) = (set(a), set(b));
            let full = if a.is_empty() && b.is_empty() {
                1.0
            } else {
                // Counted directly, not by a merge.
                let shared = a.iter().filter(|x| b.contains(x)).count();
                2.0 * shared as f64 / (a.len() + b.len()) as f64
            };
            // Thresholds on a grid, plus the exact value itself.
            for threshold in [t as f64 / 20.0, full] {
                prop_assert_eq!(dice_at_least(&a, &b, threshold), full >= threshold);
            }
        }
    }

    #[test]
    fn repeats_and_near_repeats_become_duplicates() {
        // Line 3 differs from line 1 in its last character (Dice 0.96);
        // line 4 repeats line 2 exactly, less punctuation.
        let text = "加强政府信息公开平台建设工作，做好政务公开各项要求落实到位。\n另一条完全不同的要求内容在这里写。\n加强政府信息公开平台建设工作，做好政务公开各项要求落实到底。\n另一条完全不同的要求内容在这里写\n";
        let mut items = Vec::new();
        let mut at = 0;
        for (n, line) in text.lines().enumerate() {
            let mut it =
                crate::ingest::item::item(at..at + line.len(), ItemKind::Requirement, Vec::new());
            it.id = ItemId(n as u32);
            it.body.push(at..at + line.len());
            items.push(it);
            at += line.len() + 1;
        }
        mark_duplicates(text, &mut items, 0.9);
        assert_eq!(items[0].kind, ItemKind::Requirement);
        assert_eq!(items[1].kind, ItemKind::Requirement);
        assert_eq!(items[2].kind, ItemKind::Duplicate { of: items[0].id });
        assert_eq!(items[3].kind, ItemKind::Duplicate { of: items[1].id });
    }
}
