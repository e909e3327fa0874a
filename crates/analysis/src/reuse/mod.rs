//! Reuse between regional documents: the passages two documents share
//! beyond the national text, as passim and R's textreuse find reused
//! passages, tied to the requirement or extension each belongs to.
//!
//! 1. **Mask.** Each requirement item's normalized statement, with the
//!    national text masked: the characters the profile found restating
//!    it (aligned passages, local substitutions included) and every
//!    shingle of the taxonomy's texts. Two regions that both quote the
//!    national text share nothing that is left.
//! 2. **Index** (`index.rs`). The winnowed shingles of what is left,
//!    sorted together; a shingle in more than `max_df` documents is a
//!    template and is dropped. Items sharing `min_shared` fingerprints
//!    are candidates: never all pairs.
//! 3. **Align** (`passage.rs`). Each candidate pair of items, by local
//!    alignment: its shared passages, each at least `min_passage`
//!    characters outside the national text.
//! 4. **Direct** (`direction.rs`). Per pair of documents, the likely
//!    source: the earlier issue date, else the higher level within one
//!    province.

mod direction;
mod index;
mod passage;
pub mod types;

use luoshi_align::scorer::SwBuffers;
use luoshi_align::{DocumentAlignment, ItemAlignment};
use luoshi_core::ingest::RegionDocument;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::ReuseConfig;
use crate::profile::Statement;
use crate::shingle::{MASK, hash_window};
use types::{Belongs, PairReuse, Passage, Reuse, ReuseStats};

/// A date after every real one: an unknown issue date ranks last.
const FAR_FUTURE: luoshi_core::Date = luoshi_core::Date {
    year: 2200,
    month: 12,
    day: 31,
};

/// One document as the search reads it.
pub(crate) struct Document<'a> {
    pub doc: &'a RegionDocument,
    pub alignment: &'a DocumentAlignment,
    /// Its statements, the characters restating the national text masked
    /// (taken: the search masks the rest of the national text in place).
    pub statements: Vec<Statement>,
}

/// Masks in place every window of `k` characters of `chars` that is a
/// shingle of the national texts (`national`); the characters that
/// restate them are masked already.
fn mask_national(chars: &mut [char], national: &FxHashSet<u64>, k: usize) {
    if chars.len() < k {
        return;
    }
    let hits: Vec<usize> = (0..=chars.len() - k)
        .filter(|&i| national.contains(&hash_window(&chars[i..i + k])))
        .collect();
    for i in hits {
        chars[i..i + k].iter_mut().for_each(|c| *c = MASK);
    }
}

/// The byte span in the document's text of characters `range` of a
/// statement: from the first character's offset to the end of the last.
fn raw_span(text: &str, s: &Statement, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let Some(offsets) = s.offsets.get(range) else {
        return 0..0;
    };
    let start = offsets.iter().min().map_or(0, |&o| o as usize);
    let end = offsets
        .iter()
        .map(|&o| {
            let o = o as usize;
            o + text
                .get(o..)
                .and_then(|t| t.chars().next())
                .map_or(0, char::len_utf8)
        })
        .max()
        .unwrap_or(start);
    start..end.max(start)
}

/// Marks the characters of range `r` of statement `slot` (outside the
/// national text) as inside a passage.
fn take(taken: &mut Vec<Vec<bool>>, masked: &[&[char]], slot: usize, r: &std::ops::Range<usize>) {
    if taken.is_empty() {
        *taken = masked.iter().map(|s| vec![false; s.len()]).collect();
    }
    for j in r.clone() {
        if masked[slot][j] != MASK {
            taken[slot][j] = true;
        }
    }
}

fn belongs(a: Option<&ItemAlignment>) -> Belongs {
    match a {
        Some(a) => Belongs {
            status: a.status,
            requirement: a.requirement.clone(),
            task: a.task.clone(),
        },
        None => Belongs {
            status: luoshi_align::Status::Extension,
            requirement: None,
            task: None,
        },
    }
}

/// Finds the passages every pair of `docs` shares beyond the national
/// text (`national`: its shingles of `cfg.shingle` characters).
pub(crate) fn find(
    mut docs: Vec<Document<'_>>,
    national: &FxHashSet<u64>,
    cfg: &ReuseConfig,
) -> Reuse {
    docs.par_iter_mut().for_each(|d| {
        for s in &mut d.statements {
            mask_national(&mut s.chars, national, cfg.shingle);
        }
    });
    let masked: Vec<Vec<&[char]>> = docs
        .iter()
        .map(|d| d.statements.iter().map(|s| s.chars.as_slice()).collect())
        .collect();
    let fingerprints: Vec<Vec<(u64, u32)>> = masked
        .par_iter()
        .map(|items| index::fingerprints(items, cfg))
        .collect();
    // Likely sources first: higher level, earlier issue date, manifest order.
    let source_rank: Vec<(u8, Option<luoshi_core::Date>, usize)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (direction::rank(d.doc.meta.level), d.doc.meta.issued, i))
        .map(|(r, date, i)| (r, date.or(Some(FAR_FUTURE)), i))
        .collect();
    let found = index::candidates(&fingerprints, &source_rank, cfg);
    drop(fingerprints);
    let stats = ReuseStats {
        items: masked.iter().map(Vec::len).sum(),
        fingerprints: found.fingerprints,
        templates: found.templates,
        candidates: found.pairs.len(),
    };
    // Align each candidate pair of items. Items with the same masked
    // text (a document posted twice, a paragraph two documents took
    // whole from a third) are aligned once per pair of texts: the result
    // depends on the two texts alone.
    let mut text_id: FxHashMap<&[char], u32> = FxHashMap::default();
    let mut text_of: Vec<&[char]> = Vec::new();
    let ids: Vec<Vec<u32>> = masked
        .iter()
        .map(|items| {
            items
                .iter()
                .map(|&t| {
                    *text_id.entry(t).or_insert_with(|| {
                        text_of.push(t);
                        (text_of.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    let id = |d: u32, s: u32| ids[d as usize][s as usize];
    let mut texts: Vec<(u32, u32)> = found
        .pairs
        .iter()
        .map(|&(da, sa, db, sb)| (id(da, sa), id(db, sb)))
        .collect();
    texts.sort_unstable();
    texts.dedup();
    let aligned: FxHashMap<(u32, u32), Vec<passage::Shared>> = texts
        .par_iter()
        .map_init(SwBuffers::default, |sw, &(ta, tb)| {
            let (a, b) = (text_of[ta as usize], text_of[tb as usize]);
            (
                (ta, tb),
                passage::shared(a, b, cfg.min_passage, cfg.max_passages, sw),
            )
        })
        .collect();
    let shared: Vec<(index::ItemPair, passage::Shared)> = found
        .pairs
        .iter()
        .flat_map(|&p| {
            aligned[&(id(p.0, p.1), id(p.2, p.3))]
                .iter()
                .map(move |s| (p, s.clone()))
        })
        .collect();
    let mut reuse = Reuse {
        stats,
        ..Reuse::default()
    };
    // Group by pair of documents (the candidates came sorted by them).
    let mut i = 0;
    while i < shared.len() {
        let (da, db) = (shared[i].0.0 as usize, shared[i].0.2 as usize);
        let n = shared[i..]
            .iter()
            .take_while(|(p, _)| (p.0 as usize, p.2 as usize) == (da, db))
            .count();
        let group = &shared[i..i + n];
        i += n;
        let (a, b) = (&docs[da], &docs[db]);
        // Characters of each side inside the passages, each once.
        let mut a_taken: Vec<Vec<bool>> = Vec::new();
        let mut b_taken: Vec<Vec<bool>> = Vec::new();
        let first = reuse.passages.len();
        for ((_, sa, _, sb), s) in group {
            let (sa, sb) = (*sa as usize, *sb as usize);
            let (stmt_a, stmt_b) = (&a.statements[sa], &b.statements[sb]);
            take(&mut a_taken, &masked[da], sa, &s.a);
            take(&mut b_taken, &masked[db], sb, &s.b);
            reuse.passages.push(Passage {
                a: da,
                b: db,
                a_item: stmt_a.item,
                b_item: stmt_b.item,
                a_span: raw_span(&a.doc.text, stmt_a, s.a.clone()),
                b_span: raw_span(&b.doc.text, stmt_b, s.b.clone()),
                chars: s.chars,
                similarity: s.similarity,
                a_belongs: belongs(a.alignment.item(stmt_a.item)),
                b_belongs: belongs(b.alignment.item(stmt_b.item)),
            });
        }
        let total = |d: &Document<'_>| d.statements.iter().map(|s| s.chars.len()).sum::<usize>();
        let taken = |t: &Vec<Vec<bool>>| t.iter().flatten().filter(|&&x| x).count();
        let (a_chars, b_chars) = (taken(&a_taken), taken(&b_taken));
        let share = |c: usize, t: usize| if t == 0 { 0.0 } else { c as f64 / t as f64 };
        let dir = direction::direction(&a.doc.meta, &b.doc.meta);
        reuse.pairs.push(PairReuse {
            a: da,
            b: db,
            source: dir.map(|(a_first, _)| if a_first { da } else { db }),
            basis: dir.map(|(_, basis)| basis),
            passages: (first..reuse.passages.len()).collect(),
            a_chars,
            b_chars,
            a_share: share(a_chars, total(a)),
            b_share: share(b_chars, total(b)),
        });
    }
    reuse
}
