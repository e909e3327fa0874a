//! Corpora with reuse planted, built from aligned documents (the seeds):
//! the test of the search for reuse, its benchmark, and the README's
//! worked question. Deterministic for a given seed.
//!
//! - [`counties`]: for each source document (a city), county documents
//!   that quote the national text and copy some of the city's local
//!   extensions, in another order and with light edits (local words, one
//!   character changed or dropped, a clause moved), each copy recorded;
//!   and county documents that quote only the national text.
//! - [`repeat`]: a document repeated with edits (its lines sampled and
//!   reordered, characters changed, local words replaced), for corpora
//!   of thousands.

use luoshi_align::{DocumentAlignment, Status};
use luoshi_core::ingest::{ItemKind, RegionDocument};
use luoshi_core::taxonomy::{NodeKind, Taxonomy};
use luoshi_core::{AdminLevel, Date, DocumentMeta, ItemId};

/// The seeded generator of the composed corpora (SplitMix64): the same
/// corpus on every machine.
pub use luoshi_align::synth::Rng;

/// One planted copy: a line of a generated document that copies (with
/// light edits) a statement of a source document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// The generated document (index into [`Planted::documents`]).
    pub doc: usize,
    /// The line as written into it.
    pub line: String,
    /// The source document's label.
    pub source: String,
    /// The item of the source it copies.
    pub source_item: ItemId,
}

/// Generated documents and the copies planted in them.
#[derive(Debug, Clone, Default)]
pub struct Planted {
    /// Each document's manifest entry and text.
    pub documents: Vec<(DocumentMeta, String)>,
    /// Every copy planted.
    pub copies: Vec<Copy>,
}

/// How [`counties`] builds its corpus.
#[derive(Debug, Clone, Copy)]
pub struct CountyOptions {
    /// County documents per source document.
    pub per_source: usize,
    /// Local items each county copies (at most as many as the source has).
    pub copies: usize,
    /// National requirement sentences each county quotes.
    pub national: usize,
    /// Sentences of each county's own (unique text).
    pub own: usize,
    /// Further counties that quote only the national text.
    pub national_only: usize,
    /// The generator's seed.
    pub seed: u64,
}

impl Default for CountyOptions {
    fn default() -> Self {
        CountyOptions {
            per_source: 3,
            copies: 6,
            national: 20,
            own: 4,
            national_only: 2,
            seed: 24,
        }
    }
}

/// Sentences of the national text: every requirement's text.
fn national_sentences(taxonomy: &Taxonomy) -> Vec<String> {
    taxonomy
        .of_kind(NodeKind::Requirement)
        .map(|r| taxonomy.node(r).text.clone())
        .collect()
}

/// Characters for text of a county's own: the common ideographs
/// U+4E00–U+62FF, picked at random, so no two counties share a shingle by
/// chance.
fn own_sentence(rng: &mut Rng, len: usize) -> String {
    let mut s: String = (0..len)
        .map(|_| char::from_u32(0x4E00 + rng.below(0x1500) as u32).unwrap_or('政'))
        .collect();
    s.push('。');
    s
}

/// A county's local words for the city's: 全市 → 全县, 市级 → 县级, the
/// city's name → the county's.
fn localize(s: &str, city: &str, county: &str) -> String {
    let short = city.trim_end_matches('市');
    s.replace("全市", "全县")
        .replace("市级", "县级")
        .replace(city, county)
        .replace(short, county)
}

/// One light edit: a character changed, two dropped, a clause moved to
/// the front, or none.
fn light_edit(rng: &mut Rng, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n < 8 {
        return s.to_string();
    }
    match rng.below(4) {
        0 => {
            let at = n / 3 + rng.below(n / 3);
            let mut c = chars;
            c[at] = '该';
            c.into_iter().collect()
        }
        1 => {
            let at = n / 2 + rng.below(n / 4);
            let mut c = chars;
            c.drain(at..(at + 2).min(n));
            c.into_iter().collect()
        }
        2 => match s.find('，') {
            Some(at) if at > 0 && at + '，'.len_utf8() < s.len() => {
                let (head, tail) = (&s[..at], &s[at + '，'.len_utf8()..]);
                let tail = tail.trim_end_matches(['。', '；']);
                format!("{tail}，{head}")
            }
            _ => s.to_string(),
        },
        _ => s.to_string(),
    }
}

/// The statement of an item, one line: its body without tabs and line
/// ends, ended by 。.
fn line_of(doc: &RegionDocument, item: ItemId) -> Option<String> {
    let item = doc.items.get(item.0 as usize)?;
    let mut s: String = doc
        .body(item)
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    s = s.trim_end_matches(['。', '；', '，']).to_string();
    (!s.is_empty()).then(|| format!("{s}。"))
}

/// The shortest run two items of a document share for one to repeat the
/// other: the search's default shortest passage.
const REPEAT_RUN: usize = 12;

/// The items of a document that are its own text, and only its: called
/// extensions, or restating less than a third of the national text in
/// its profile (`restates none`); with statements longer than
/// `min_chars` characters; sharing no run of 12 characters with another
/// item of the document (a repeat); and not in `exclude` (items
/// the caller knows to share text with another document). What
/// [`counties`] copies, so that every passage a copy shares is known.
pub fn local_items(
    doc: &RegionDocument,
    alignment: &DocumentAlignment,
    profile: &crate::DocumentProfile,
    min_chars: usize,
    exclude: &[ItemId],
) -> Vec<ItemId> {
    // Repeats: runs of REPEAT_RUN characters (letters and ideographs),
    // the search's shortest passage.
    let windows = |s: &str| -> Vec<u64> {
        let chars: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
        crate::shingle::window_hashes(&chars, REPEAT_RUN)
    };
    let mut count: rustc_hash::FxHashMap<u64, usize> = rustc_hash::FxHashMap::default();
    for it in doc.items.iter().filter(|i| i.kind != ItemKind::Heading) {
        let mut w = windows(&doc.body(it));
        w.sort_unstable();
        w.dedup();
        for h in w {
            *count.entry(h).or_default() += 1;
        }
    }
    alignment
        .items
        .iter()
        .filter(|a| {
            a.status == Status::Extension
                || profile
                    .item(a.item)
                    .is_some_and(|p| p.restates() == crate::Restates::None)
        })
        .map(|a| a.item)
        .filter(|i| !exclude.contains(i))
        .filter(|&i| line_of(doc, i).is_some_and(|l| l.chars().count() > min_chars))
        .filter(|&i| {
            let it = &doc.items[i.0 as usize];
            windows(&doc.body(it))
                .iter()
                .all(|h| count.get(h) == Some(&1))
        })
        .collect()
}

/// County documents around each source: the counties of
/// `sources[i].0` (the names given in `counties[i]`), each quoting
/// `national` requirement sentences and copying `copies` of the source's
/// local items `sources[i].1` ([`local_items`]), lightly edited, in
/// another order; plus `national_only` counties of the first source's
/// province that quote the national text only.
pub fn counties(
    taxonomy: &Taxonomy,
    sources: &[(&RegionDocument, Vec<ItemId>)],
    counties: &[&[&str]],
    opts: &CountyOptions,
) -> Planted {
    let mut rng = Rng::new(opts.seed);
    let national = national_sentences(taxonomy);
    let mut out = Planted::default();
    let meta = |name: &str, source: &DocumentMeta, day: u8| {
        let mut m = DocumentMeta::for_file(format!("{name}.txt").as_ref());
        m.label = format!("{name} 2017");
        m.region = name.to_string();
        m.level = Some(AdminLevel::County);
        m.province = source.province.clone();
        m.year = Some(2017);
        m.issued = source
            .issued
            .and_then(|d| Date::new(d.year, d.month.min(11) + 1, day.min(28)).ok());
        m
    };
    for ((doc, extensions), names) in sources.iter().zip(counties) {
        let city = doc.meta.region.clone();
        for (k, name) in names.iter().take(opts.per_source).enumerate() {
            let index = out.documents.len();
            let mut lines: Vec<(String, Option<ItemId>)> = Vec::new();
            for _ in 0..opts.national {
                lines.push((national[rng.below(national.len())].clone(), None));
            }
            let mut chosen = extensions.to_vec();
            rng.shuffle(&mut chosen);
            for &item in chosen.iter().take(opts.copies) {
                if let Some(l) = line_of(doc, item) {
                    let l = light_edit(&mut rng, &localize(&l, &city, name));
                    lines.push((l, Some(item)));
                }
            }
            for _ in 0..opts.own {
                let len = 14 + rng.below(20);
                lines.push((own_sentence(&mut rng, len), None));
            }
            rng.shuffle(&mut lines);
            let mut text = format!("{name}2017年政务公开工作要点实施方案\n一、主要任务\n");
            for (l, origin) in &lines {
                text.push_str(l);
                text.push('\n');
                if let Some(item) = origin {
                    out.copies.push(Copy {
                        doc: index,
                        line: l.clone(),
                        source: doc.meta.label.clone(),
                        source_item: *item,
                    });
                }
            }
            out.documents
                .push((meta(name, &doc.meta, 10 + k as u8), text));
        }
    }
    if let Some((first, _)) = sources.first() {
        for k in 0..opts.national_only {
            let name = format!("国文{}县", ["甲", "乙", "丙", "丁"][k % 4]);
            let mut text = format!("{name}2017年政务公开工作要点实施方案\n");
            // Overlapping quotes: both quote the first sentences.
            for i in 0..opts.national {
                let s = if i < opts.national / 2 {
                    &national[i]
                } else {
                    &national[rng.below(national.len())]
                };
                text.push_str(&format!("县政府有关部门要{s}\n"));
            }
            for _ in 0..opts.own {
                let len = 14 + rng.below(20);
                text.push_str(&own_sentence(&mut rng, len));
                text.push('\n');
            }
            out.documents.push((meta(&name, &first.meta, 20), text));
        }
    }
    out
}

/// `doc`'s text repeated with edits, as document number `n` of a large
/// corpus: about `keep` of its lines, in another order, each character
/// changed with probability `noise`, its own place names replaced by
/// `name`.
pub fn repeat(doc: &RegionDocument, name: &str, keep: f64, noise: f64, rng: &mut Rng) -> String {
    let short = doc.meta.region.trim_end_matches(['市', '省']);
    let mut lines: Vec<&str> = doc.text.lines().filter(|_| rng.chance(keep)).collect();
    // Reorder within blocks of ten lines: the outline stays, roughly.
    for block in lines.chunks_mut(10) {
        rng.shuffle(block);
    }
    let mut out = String::with_capacity(doc.text.len());
    for l in lines {
        let l = if doc.meta.region.is_empty() {
            l.to_string()
        } else {
            l.replace(&doc.meta.region, name).replace(short, name)
        };
        for c in l.chars() {
            if ('\u{4E00}'..='\u{9FFF}').contains(&c) && rng.chance(noise) {
                out.push(char::from_u32(0x4E00 + rng.below(0x1500) as u32).unwrap_or(c));
            } else {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_deterministic_and_in_range() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let xs: Vec<usize> = (0..50).map(|_| a.below(10)).collect();
        let ys: Vec<usize> = (0..50).map(|_| b.below(10)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|&x| x < 10));
        assert_eq!(Rng::new(1).below(0), 0);
    }

    #[test]
    fn edits_are_light() {
        let mut rng = Rng::new(3);
        let s = "每月公示旅游投诉情况，每季度公开旅游经营服务不良信息。";
        for _ in 0..20 {
            let e = light_edit(&mut rng, s);
            let n = e.chars().count() as i64 - s.chars().count() as i64;
            assert!(n.abs() <= 2, "{e}");
        }
        assert_eq!(
            localize("全市市级攀枝花", "攀枝花市", "米易县"),
            "全县县级米易县"
        );
    }
}
