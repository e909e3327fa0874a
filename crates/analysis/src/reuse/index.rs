//! The shingle index: each document's fingerprints (winnowed shingles of
//! its statements outside the national text), sorted together so that
//! equal fingerprints sit side by side; the pairs of items that share
//! enough of them are the candidates to align. Nothing is compared pair
//! by pair: the cost is the sort, O(F log F) for F fingerprints, plus
//! the pairs each shared fingerprint makes: all pairs of its holders up
//! to `clique_df` of them, else each holder with the likely source only
//! (linear in the holders).

use rayon::prelude::*;

use crate::config::ReuseConfig;
use crate::shingle::{MASK, window_hashes, winnow};

/// The fingerprints of one document: `(hash, item slot)`, each pair
/// once. `items` are its masked statements ([`MASK`] for national text);
/// a shingle holding a masked character is not indexed.
pub(crate) fn fingerprints<S: AsRef<[char]>>(items: &[S], cfg: &ReuseConfig) -> Vec<(u64, u32)> {
    let mut out = Vec::new();
    for (slot, chars) in items.iter().enumerate() {
        let chars = chars.as_ref();
        let mut hashes = window_hashes(chars, cfg.shingle);
        for (i, h) in hashes.iter_mut().enumerate() {
            if chars[i..i + cfg.shingle].contains(&MASK) {
                *h = u64::MAX;
            }
        }
        let start = out.len();
        out.extend(
            winnow(&hashes, cfg.window)
                .into_iter()
                .map(|i| hashes[i])
                .filter(|&h| h != u64::MAX)
                .map(|h| (h, slot as u32)),
        );
        out[start..].sort_unstable();
        let mut kept = start;
        for i in start..out.len() {
            if i == start || out[i] != out[kept - 1] {
                out[kept] = out[i];
                kept += 1;
            }
        }
        out.truncate(kept);
    }
    out
}

/// A pair of items of two documents: `(doc a, slot a, doc b, slot b)`,
/// `doc a < doc b`.
pub(crate) type ItemPair = (u32, u32, u32, u32);

/// What the index found: the candidate pairs (sorted by doc a, doc b,
/// slot a, slot b) and its counts.
pub(crate) struct Candidates {
    pub pairs: Vec<ItemPair>,
    pub fingerprints: usize,
    pub templates: usize,
}

/// Packed so that sorting groups the pairs of one pair of documents:
/// doc a, doc b, slot a, slot b.
fn pack(p: ItemPair) -> u128 {
    (u128::from(p.0) << 96) | (u128::from(p.2) << 64) | (u128::from(p.1) << 32) | u128::from(p.3)
}

fn unpack(k: u128) -> ItemPair {
    (
        (k >> 96) as u32,
        (k >> 32) as u32,
        (k >> 64) as u32,
        k as u32,
    )
}

/// The pairs of items (of different documents) that share at least
/// `min_shared` fingerprints found in at most `max_df` documents.
/// `source_rank[d]` orders the documents as likely sources (smaller
/// first): the centre of a group beyond `clique_df`.
pub(crate) fn candidates<K: Ord + Sync>(
    docs: &[Vec<(u64, u32)>],
    source_rank: &[K],
    cfg: &ReuseConfig,
) -> Candidates {
    let max_df = cfg.max_df_for(docs.len());
    // (hash, doc, slot), sorted by hash: one entry per fingerprint.
    let mut all: Vec<u128> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, fps)| {
            fps.iter().map(move |&(h, slot)| {
                (u128::from(h) << 64) | (u128::from(d as u32) << 32) | u128::from(slot)
            })
        })
        .collect();
    let fingerprints = all.len();
    all.par_sort_unstable();
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for i in 1..=all.len() {
        if i == all.len() || (all[i] >> 64) != (all[start] >> 64) {
            if i - start > 1 {
                groups.push(start..i);
            }
            start = i;
        }
    }
    let doc_of = |e: u128| (e >> 32) as u32;
    let templates = groups
        .iter()
        .filter(|g| distinct_docs(&all[(*g).clone()], doc_of) > max_df)
        .count();
    let mut keys: Vec<u128> = groups
        .par_iter()
        .flat_map_iter(|g| {
            let entries = &all[g.clone()];
            let df = distinct_docs(entries, doc_of);
            let mut out = Vec::new();
            let pair = |x: u128, y: u128| {
                let (x, y) = if doc_of(x) < doc_of(y) {
                    (x, y)
                } else {
                    (y, x)
                };
                pack((doc_of(x), x as u32, doc_of(y), y as u32))
            };
            if df > max_df {
                // A template: not indexed.
            } else if (2..=cfg.clique_df).contains(&df) {
                for (i, &x) in entries.iter().enumerate() {
                    for &y in &entries[i + 1..] {
                        // Entries are sorted by document within a hash.
                        if doc_of(x) != doc_of(y) {
                            out.push(pair(x, y));
                        }
                    }
                }
            } else if df > cfg.clique_df {
                // A star: every holder with the likely source.
                let root = entries
                    .iter()
                    .map(|&e| doc_of(e))
                    .min_by(|&a, &b| {
                        source_rank[a as usize]
                            .cmp(&source_rank[b as usize])
                            .then(a.cmp(&b))
                    })
                    .unwrap_or(0);
                for &x in entries.iter().filter(|&&e| doc_of(e) == root) {
                    for &y in entries.iter().filter(|&&e| doc_of(e) != root) {
                        out.push(pair(x, y));
                    }
                }
            }
            out
        })
        .collect();
    drop(all);
    keys.par_sort_unstable();
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let n = keys[i..].iter().take_while(|&&k| k == keys[i]).count();
        if n >= cfg.min_shared {
            pairs.push(unpack(keys[i]));
        }
        i += n;
    }
    Candidates {
        pairs,
        fingerprints,
        templates,
    }
}

/// How many documents the (sorted) entries of one hash come from.
fn distinct_docs(entries: &[u128], doc_of: impl Fn(u128) -> u32) -> usize {
    let mut n = 0;
    let mut last = None;
    for &e in entries {
        if last != Some(doc_of(e)) {
            n += 1;
            last = Some(doc_of(e));
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn items_sharing_a_passage_are_candidates_and_the_rest_are_not() {
        let cfg = ReuseConfig::default();
        let shared = "每月公示旅游投诉情况并每季度公开旅游经营服务不良信息";
        let docs = [
            vec![
                chars(&format!("甲地{shared}")),
                chars("完全无关的一句话写在这里很长很长"),
            ],
            vec![
                chars("另外一个说法与之无关的内容也很长"),
                chars(&format!("{shared}乙地")),
            ],
            vec![chars("第三份文件没有共享的内容只是填充")],
        ];
        let fps: Vec<_> = docs.iter().map(|d| fingerprints(d, &cfg)).collect();
        let c = candidates(&fps, &[0, 0, 0], &cfg);
        assert_eq!(c.pairs, vec![(0, 0, 1, 1)]);
    }

    #[test]
    fn masked_text_is_not_indexed() {
        let cfg = ReuseConfig::default();
        let masked: Vec<char> = std::iter::repeat_n(MASK, 30).collect();
        assert!(fingerprints(&[masked], &cfg).is_empty());
    }

    #[test]
    fn templates_above_max_df_make_no_pairs() {
        let cfg = ReuseConfig {
            max_df: Some(2),
            ..ReuseConfig::default()
        };
        let template = chars("各级各部门要高度重视切实加强组织领导确保取得实效");
        let docs: Vec<Vec<Vec<char>>> = (0..3).map(|_| vec![template.clone()]).collect();
        let fps: Vec<_> = docs.iter().map(|d| fingerprints(d, &cfg)).collect();
        let c = candidates(&fps, &[0, 0, 0], &cfg);
        assert!(c.pairs.is_empty());
        assert!(c.templates > 0);
    }

    #[test]
    fn beyond_clique_df_each_holder_pairs_with_the_likely_source() {
        let cfg = ReuseConfig {
            clique_df: 2,
            ..ReuseConfig::default()
        };
        let shared = chars("每月公示旅游投诉情况并每季度公开旅游经营服务不良信息");
        let docs: Vec<Vec<Vec<char>>> = (0..4).map(|_| vec![shared.clone()]).collect();
        let fps: Vec<_> = docs.iter().map(|d| fingerprints(d, &cfg)).collect();
        // Document 2 ranks first as a source: a star around it.
        let c = candidates(&fps, &[5, 5, 1, 5], &cfg);
        assert_eq!(c.pairs, vec![(0, 0, 2, 0), (1, 0, 2, 0), (2, 0, 3, 0)]);
    }

    #[test]
    fn pairs_pack_and_unpack() {
        let p = (7, u32::MAX, 9, 3);
        assert_eq!(unpack(pack(p)), p);
    }
}
