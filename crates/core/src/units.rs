//! Responsible units (责任单位): an alias table that gives every unit one
//! canonical name, and a matcher that finds unit names in text.
//!
//! `市发改委`, `发改委` and `市发展改革委` all become `发展改革委`: level
//! prefixes (市, 自治区, 省, …) are stripped and aliases map to the
//! canonical name. The built-in table (`data/units.toml`) covers the common
//! departments of province, prefecture and county governments; users add
//! their own with [`UnitTable::extend_from_toml`].

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

use serde::Deserialize;

use crate::error::Result;
use crate::phrases::{Layout, PhraseMatcher};

/// Level prefixes stripped before lookup, longest first.
const LEVEL_PREFIXES: &[&str] = &[
    "自治区",
    "市级",
    "县级",
    "区县",
    "省",
    "市",
    "区",
    "县",
    "州",
    "盟",
    "旗",
];

/// Words that say what a unit does with a task rather than name it
/// (`牵头落实`, `按职责分工分别牵头落实`, …); removed when parsing a list.
const DUTY_WORDS: &[&str] = &[
    "按照职责分工分别牵头落实",
    "按职责分工分别牵头落实",
    "按照职责分工分别落实",
    "按照职责分工",
    "按职责分工",
    "会同相关部门落实",
    "会同有关部门落实",
    "会同相关部门",
    "会同有关部门",
    "分别牵头落实",
    "分别牵头",
    "分别落实",
    "牵头落实",
    "负责落实",
    "配合落实",
    "共同落实",
    "牵头",
    "落实",
    "负责",
    "配合",
    "会同",
    "等部门",
    "等单位",
    "责任单位",
    "牵头单位",
    "及有关部门",
    "各部门",
];

/// How responsibility statements end.
const DUTY_ENDINGS: &[&str] = &[
    "牵头落实",
    "落实",
    "负责",
    "牵头",
    "配合",
    "等部门",
    "等单位",
    "参与",
];

/// Endings that make an unknown word look like a unit name.
const UNIT_ENDINGS: &[&str] = &[
    "局",
    "厅",
    "委",
    "办",
    "中心",
    "支行",
    "分行",
    "银行",
    "院",
    "会",
    "署",
    "公司",
    "集团",
    "政府",
    "管委会",
    "办公室",
    "部",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitFile {
    #[serde(default)]
    unit: Vec<UnitEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitEntry {
    canonical: String,
    #[serde(default)]
    aliases: Vec<String>,
}

/// A unit name found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitMatch {
    /// Byte range in the searched text, level prefix included.
    pub span: Range<usize>,
    /// The canonical name.
    pub canonical: String,
}

/// The alias table and its matcher.
#[derive(Debug, Clone)]
pub struct UnitTable {
    canonical_of: HashMap<String, String>,
    names: Vec<String>,
    matcher: PhraseMatcher,
}

impl Default for UnitTable {
    fn default() -> Self {
        Self::builtin()
    }
}

impl UnitTable {
    /// The built-in table of common departments.
    pub fn builtin() -> Self {
        const DATA: &str = include_str!("../data/units.toml");
        let mut t = UnitTable::empty();
        // Checked by the crate's tests; an error here cannot happen.
        if let Err(e) = t.extend_from_toml(DATA) {
            unreachable!("built-in units.toml is invalid: {e}");
        }
        t
    }

    /// A table with no units.
    pub fn empty() -> Self {
        UnitTable {
            canonical_of: HashMap::default(),
            names: Vec::new(),
            matcher: build_matcher(&[]),
        }
    }

    /// Adds the `[[unit]]` entries of a TOML text (`canonical`, `aliases`).
    /// Later entries override earlier aliases.
    ///
    /// # Errors
    /// [`crate::Error::Parse`] with the line when the TOML is malformed.
    pub fn extend_from_toml(&mut self, text: &str) -> Result<()> {
        let file: UnitFile =
            toml::from_str(text).map_err(|e| crate::manifest::toml_error(text, &e))?;
        for entry in file.unit {
            self.insert(&entry.canonical, entry.aliases.iter().map(String::as_str));
        }
        self.matcher = build_matcher(&self.names);
        Ok(())
    }

    /// Reads [`UnitTable::extend_from_toml`] input from a file.
    ///
    /// # Errors
    /// [`crate::Error::Io`] or [`crate::Error::Parse`] naming the file.
    pub fn extend_from_file(&mut self, path: impl AsRef<std::path::Path>) -> Result<()> {
        let path = path.as_ref();
        let text = crate::error::read_text(path)?;
        self.extend_from_toml(&text).map_err(|e| e.with_path(path))
    }

    /// Adds one unit and its aliases.
    pub fn add<'a>(&mut self, canonical: &str, aliases: impl IntoIterator<Item = &'a str>) {
        self.insert(canonical, aliases);
        self.matcher = build_matcher(&self.names);
    }

    fn insert<'a>(&mut self, canonical: &str, aliases: impl IntoIterator<Item = &'a str>) {
        let canonical = canonical.trim().to_string();
        if canonical.is_empty() {
            return;
        }
        let names: Vec<String> = std::iter::once(canonical.clone())
            .chain(aliases.into_iter().map(str::to_string))
            .collect();
        for name in &names {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            if self
                .canonical_of
                .insert(name.to_string(), canonical.clone())
                .is_none()
            {
                self.names.push(name.to_string());
            }
        }
    }

    /// Number of names (canonical and aliases) known.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The canonical form of a unit name: level prefix stripped, alias
    /// resolved; an unknown name comes back with its prefix stripped.
    pub fn canonical(&self, name: &str) -> String {
        let name = name.trim();
        if let Some(c) = self.canonical_of.get(name) {
            return c.clone();
        }
        let stripped = strip_level(name);
        self.canonical_of
            .get(stripped)
            .cloned()
            .unwrap_or_else(|| stripped.to_string())
    }

    /// All known unit names in `text`, leftmost-longest, each extended over
    /// an adjacent level prefix.
    pub fn find_all(&self, text: &str) -> Vec<UnitMatch> {
        self.matcher
            .find_iter(text)
            .map(|m| {
                let name = &text[m.range.clone()];
                let before = &text[..m.start()];
                let prefix = LEVEL_PREFIXES
                    .iter()
                    .find(|p| before.ends_with(**p))
                    .map_or(0, |p| p.len());
                UnitMatch {
                    span: m.start() - prefix..m.end(),
                    canonical: self
                        .canonical_of
                        .get(name)
                        .cloned()
                        .unwrap_or_else(|| name.to_string()),
                }
            })
            .collect()
    }

    /// Parses a responsibility statement (`市发改委、人社局按职责分工分别牵头
    /// 落实`) into canonical unit names, in order, without repeats. Unknown
    /// names that end like a unit (`…局`, `…中心`) are kept as they are.
    pub fn parse_list(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |u: String| {
            if !u.is_empty() && !out.contains(&u) {
                out.push(u);
            }
        };
        let mut cleaned = crate::text::join_cjk_wraps(text);
        for w in DUTY_WORDS {
            cleaned = cleaned.replace(w, "、");
        }
        // Known names first (so `经济和信息化委` is not split at `和`), then
        // unknown unit-like words in the gaps between them.
        let unknown = |gap: &str, push: &mut dyn FnMut(String)| {
            for piece in gap.split([
                '、', '，', ',', '；', ';', '和', '及', '与', '(', ')', '（', '）', ' ', '：', ':',
                '。',
            ]) {
                let piece = piece.trim();
                if UNIT_ENDINGS.iter().any(|e| piece.ends_with(e))
                    && (2..=16).contains(&piece.chars().count())
                {
                    push(self.canonical(piece));
                }
            }
        };
        let mut at = 0;
        for m in self.find_all(&cleaned) {
            unknown(&cleaned[at..m.span.start], &mut push);
            push(m.canonical);
            at = m.span.end;
        }
        unknown(&cleaned[at..], &mut push);
        out
    }

    /// Whether `text` reads as a responsibility statement: it names a duty
    /// (`牵头`, `落实`, `负责`, `责任单位`) or consists mostly of unit names.
    pub fn is_unit_statement(&self, text: &str) -> bool {
        let joined = crate::text::join_cjk_wraps(text);
        let t = joined.as_str();
        if t.is_empty() || t.chars().count() > 120 {
            return false;
        }
        let core = t.trim_end_matches(['。', '；', ';', '）', ')', ' ']);
        if (DUTY_ENDINGS.iter().any(|w| core.ends_with(w))
            || core.starts_with("责任单位")
            || core.starts_with("牵头单位"))
            && !t.contains('。')
            && t.chars().count() <= 100
        {
            return true;
        }
        let covered: usize = self
            .find_all(t)
            .iter()
            .map(|m| t[m.span.clone()].chars().count())
            .sum();
        let cjk = t.chars().filter(|c| crate::text::is_cjk(*c)).count();
        cjk > 0 && covered * 10 >= cjk * 6
    }
}

fn strip_level(name: &str) -> &str {
    for p in LEVEL_PREFIXES {
        if let Some(rest) = name.strip_prefix(p)
            && rest.chars().count() >= 2
        {
            return rest;
        }
    }
    name
}

/// Largest unit table searched with a DFA.
const MAX_DFA_NAMES: usize = 20_000;

fn build_matcher(names: &[String]) -> PhraseMatcher {
    // A DFA for a table of usual size (a few hundred names): every
    // statement is scanned for unit names, and a DFA takes one table
    // lookup a byte where an NFA follows failure links. A very large
    // user table (or one past the DFA's size limits) gets the default,
    // and one past every automaton's limits a plain scan.
    let layout = if names.len() <= MAX_DFA_NAMES {
        Layout::Dfa
    } else {
        Layout::Auto
    };
    PhraseMatcher::new(names, layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        let t = UnitTable::builtin();
        let cases = [
            ("prefix alias", "市发改委", "发展改革委"),
            ("alias", "发改委", "发展改革委"),
            ("prefix canonical", "市发展改革委", "发展改革委"),
            ("province form", "自治区财政厅", "财政局"),
            ("unknown keeps name", "市城管执法局", "城管执法局"),
        ];
        for (name, input, expected) in cases {
            assert_eq!(t.canonical(input), expected, "case {name}");
        }
    }

    #[test]
    fn parses_lists() {
        let t = UnitTable::builtin();
        assert_eq!(
            t.parse_list("市发改委、人社局、金融办、扶贫办、地税局、国税局按职责分工分别牵头落实"),
            vec![
                "发展改革委",
                "人力资源社会保障局",
                "金融办",
                "扶贫办",
                "地税局",
                "国税局"
            ]
        );
        assert_eq!(t.parse_list("市统计局牵头落实"), vec!["统计局"]);
        assert!(t.is_unit_statement("市财政局、发展改革委分别牵头"));
        assert!(!t.is_unit_statement("按月公开财政收支情况，解读财政收支增减变化情况及原因。"));
    }

    #[test]
    fn users_extend_the_table() {
        let mut t = UnitTable::builtin();
        t.extend_from_toml("[[unit]]\ncanonical = \"城市管理局\"\naliases = [\"城管局\"]\n")
            .unwrap();
        assert_eq!(t.canonical("市城管局"), "城市管理局");
        let err = t
            .extend_from_toml("[[unit]]\ncanonicl = 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
    }
}
