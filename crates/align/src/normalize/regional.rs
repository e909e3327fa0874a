//! Regional words that only say who is speaking: 国务院有关部门 /
//! 市政府有关部门 / 自治区有关部门, 全国 / 全市 / 全区, 我国 / 我市 / 我区,
//! the names of the administrative tiers (旗县市区, 区县自治县, 苏木乡镇,
//! 嘎查村), and the document's own place names. They are removed (a
//! level prefix such as the 市 of 市政府 is dropped, the 政府 kept), so
//! they neither help nor hurt a match between a regional sentence and the
//! national one.

use luoshi_core::phrases::{Layout, PhraseMatcher};

use super::t2s::{convertible, is_plain_cjk};
use super::text::{Filter, NormText};

/// Words removed whole (after punctuation removal).
const SPEAKER_WORDS: &[&str] = &[
    "国务院有关部门",
    "国务院各部门",
    "国务院相关部门",
    "国务院办公厅",
    "国务院",
    "自治区人民政府有关部门",
    "自治区政府有关部门",
    "自治区有关部门",
    "自治区各部门",
    "自治区级",
    "省政府有关部门",
    "省有关部门",
    "省级",
    "市政府有关部门",
    "市政府各部门",
    "市级有关部门",
    "市级各部门",
    "市相关部门",
    "市有关部门",
    "市直部门",
    "市直各部门",
    "市级",
    "区县政府",
    "县区政府",
    "旗县市区政府",
    "旗县市区",
    "区县自治县",
    "区县",
    "县区",
    "旗县",
    "县市区",
    "苏木乡镇",
    "嘎查村",
    "乡镇",
    "县级",
    "各地区各部门",
    "各地区",
    "各地市",
    "各部门",
    "各地",
    "地市",
    "有关部门",
    "相关部门",
    "有关单位",
    "相关单位",
    "全国",
    "全省",
    "全市",
    "全区",
    "全州",
    "全盟",
    "全县",
    "全旗",
    "全域",
    "我国",
    "我省",
    "我市",
    "我区",
    "我州",
    "我盟",
    "我县",
    "我旗",
    "本省",
    "本市",
    "本区",
    "本地区",
    "本部门",
    "本级",
    "中央和自治区",
    "中央和省",
    "中央",
];

/// Level prefixes dropped before 政府 / 人民政府 (市政府 → 政府).
const LEVEL_PREFIXED: &[(&str, usize)] = &[
    ("自治区人民政府", 3),
    ("自治区政府", 3),
    ("省人民政府", 1),
    ("市人民政府", 1),
    ("县人民政府", 1),
    ("区人民政府", 1),
    ("省政府", 1),
    ("市政府", 1),
    ("县政府", 1),
    ("区政府", 1),
    ("州政府", 1),
    ("盟行署", 1),
];

/// Buffers reused across calls: the text as UTF-8 for the automata, the
/// matches to remove (byte start, characters to drop), and which
/// characters are dropped.
#[derive(Default)]
struct Buffers {
    utf8: String,
    remove: Vec<(usize, usize)>,
    dropped: Vec<bool>,
}

/// Largest text (in bytes) whose buffers are kept for reuse.
const RETAINED_BYTES: usize = 1 << 18;

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::new(Buffers::default());
}

/// Removes speaker words and place names.
#[derive(Debug, Clone)]
pub struct RegionalWords {
    places: Option<PhraseMatcher>,
    /// The longest word (speaker word or place name), in characters.
    longest: usize,
}

/// The speaker-word automaton, built once per process.
fn speakers() -> &'static (PhraseMatcher, Vec<usize>) {
    static SPEAKERS: std::sync::OnceLock<(PhraseMatcher, Vec<usize>)> = std::sync::OnceLock::new();
    SPEAKERS.get_or_init(|| {
        let mut patterns: Vec<&str> = Vec::new();
        let mut drop = Vec::new();
        for w in SPEAKER_WORDS {
            patterns.push(w);
            drop.push(w.chars().count());
        }
        for (w, n) in LEVEL_PREFIXED {
            patterns.push(w);
            drop.push(*n);
        }
        (PhraseMatcher::new(&patterns, Layout::Dfa), drop)
    })
}

impl RegionalWords {
    /// The standard list plus `places` (a document's region names).
    pub fn new(places: &[String]) -> Self {
        let places: Vec<String> = places
            .iter()
            .map(|p| {
                p.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            })
            .filter(|p| p.chars().count() >= 2)
            .collect();
        // A document's few place names: a cheap contiguous NFA, built per
        // document.
        let longest = SPEAKER_WORDS
            .iter()
            .chain(LEVEL_PREFIXED.iter().map(|(w, _)| w))
            .map(|w| w.chars().count())
            .chain(places.iter().map(|p| p.chars().count()))
            .max()
            .unwrap_or(0);
        let places =
            (!places.is_empty()).then(|| PhraseMatcher::new(&places, Layout::ContiguousNfa));
        RegionalWords { places, longest }
    }
}

impl RegionalWords {
    /// One pass: removes every match. Returns whether anything was
    /// removed, and whether a removal joined two characters another
    /// filter may act on together (anything but two plain, unconvertible
    /// CJK ideographs: digits of a row number, a combining mark).
    fn remove_once(&self, text: &mut NormText, seams: &mut Vec<usize>) -> (bool, bool) {
        BUFFERS.with_borrow_mut(|b| {
            b.utf8.clear();
            b.utf8.extend(text.chars.iter());
            let out = self.remove_matches(&b.utf8, &mut b.remove, &mut b.dropped, text, seams);
            // A damaged blob should not leave its buffers in every thread.
            if b.utf8.capacity() > RETAINED_BYTES {
                *b = Buffers::default();
            }
            out
        })
    }

    /// Whether a word occurs within reach of a seam: after a pass, only
    /// there can a new one have formed (across the seam, or in the kept
    /// tail of a word whose level prefix was dropped).
    fn matches_near(&self, text: &NormText, seams: &[usize]) -> bool {
        let reach = self.longest + 4;
        BUFFERS.with_borrow_mut(|b| {
            let s = &mut b.utf8;
            seams.iter().any(|&p| {
                let window =
                    &text.chars[p.saturating_sub(reach)..(p + reach).min(text.chars.len())];
                s.clear();
                s.extend(window.iter());
                speakers().0.is_match(s.as_str())
                    || self.places.as_ref().is_some_and(|m| m.is_match(s.as_str()))
            })
        })
    }

    fn remove_matches(
        &self,
        s: &str,
        remove: &mut Vec<(usize, usize)>,
        dropped: &mut Vec<bool>,
        text: &mut NormText,
        seams: &mut Vec<usize>,
    ) -> (bool, bool) {
        remove.clear();
        let (speakers, drop) = speakers();
        for m in speakers.find_iter(s) {
            remove.push((m.start(), drop.get(m.pattern).copied().unwrap_or(0)));
        }
        if let Some(p) = &self.places {
            for m in p.find_iter(s) {
                remove.push((m.start(), s[m.range].chars().count()));
            }
        }
        if remove.is_empty() {
            return (false, false);
        }
        let len = text.chars.len();
        dropped.clear();
        dropped.resize(len, false);
        let mut byte = 0;
        remove.sort_unstable();
        let mut k = 0;
        for (ci, c) in text.chars.iter().enumerate() {
            while k < remove.len() && remove[k].0 == byte {
                let n = remove[k].1;
                dropped[ci..(ci + n).min(len)]
                    .iter_mut()
                    .for_each(|d| *d = true);
                k += 1;
            }
            byte += c.len_utf8();
        }
        let inert = |c: char| is_plain_cjk(c) && !convertible(c);
        let mut risky = false;
        let mut i = 0;
        seams.clear();
        let mut kept = 0;
        while i < len {
            if !dropped[i] {
                i += 1;
                kept += 1;
                continue;
            }
            let run = i;
            while i < len && dropped[i] {
                i += 1;
            }
            seams.push(kept);
            // A seam between text.chars[run − 1] and text.chars[i].
            if run > 0 && i < len && !(inert(text.chars[run - 1]) && inert(text.chars[i])) {
                risky = true;
            }
        }
        text.retain(|i, _| !dropped[i]);
        (true, risky)
    }
}

impl Filter for RegionalWords {
    /// Removes matches until none is left (a removal can join the halves
    /// of another word), so the filter is idempotent on its own; asks the
    /// pipeline to run again only when a removal joined characters that
    /// another filter may treat differently together.
    fn apply(&self, text: &mut NormText) -> bool {
        let mut seams = Vec::new();
        let (mut removed, mut risky) = self.remove_once(text, &mut seams);
        for _ in 0..8 {
            if !removed || !self.matches_near(text, &seams) {
                break;
            }
            let (again, r) = self.remove_once(text, &mut seams);
            (removed, risky) = (again, risky || r);
        }
        risky
    }
}
