//! Regional words that only say who is speaking: 国务院有关部门 /
//! 市政府有关部门 / 自治区有关部门, 全国 / 全市 / 全区, 我国 / 我市 / 我区,
//! the names of the administrative tiers (旗县市区, 区县自治县, 苏木乡镇,
//! 嘎查村), and the document's own place names. They are removed (a
//! level prefix such as the 市 of 市政府 is dropped, the 政府 kept), so
//! they neither help nor hurt a match between a regional sentence and the
//! national one.

use aho_corasick::{AhoCorasick, MatchKind};

use super::{Filter, NormText};

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

/// Removes speaker words and place names.
#[derive(Debug, Clone)]
pub struct RegionalWords {
    matcher: AhoCorasick,
    /// For each pattern: how many leading characters to drop (all for
    /// whole words).
    drop: Vec<usize>,
}

impl RegionalWords {
    /// The standard list plus `places` (a document's region names).
    pub fn new(places: &[String]) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut drop = Vec::new();
        for w in SPEAKER_WORDS {
            patterns.push(w.to_string());
            drop.push(w.chars().count());
        }
        for (w, n) in LEVEL_PREFIXED {
            patterns.push(w.to_string());
            drop.push(*n);
        }
        for p in places {
            let p: String = p.chars().filter(|c| c.is_alphanumeric()).collect();
            if p.chars().count() >= 2 && !patterns.contains(&p) {
                drop.push(p.chars().count());
                patterns.push(p);
            }
        }
        let matcher = match AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
        {
            Ok(m) => m,
            Err(e) => unreachable!("regional word matcher: {e}"),
        };
        RegionalWords { matcher, drop }
    }
}

impl Filter for RegionalWords {
    fn apply(&self, text: &mut NormText) {
        let s: String = text.chars.iter().collect();
        // Character index of every byte offset of `s`.
        let mut char_at = vec![0usize; s.len() + 1];
        for (ci, (bi, _)) in s.char_indices().enumerate() {
            char_at[bi] = ci;
        }
        char_at[s.len()] = text.chars.len();
        let mut remove = vec![false; text.chars.len()];
        for m in self.matcher.find_iter(&s) {
            let start = char_at[m.start()];
            let n = self.drop[m.pattern().as_usize()];
            remove[start..start + n].iter_mut().for_each(|r| *r = true);
        }
        text.retain(|i, _| !remove[i]);
    }
}
