//! Finding many phrases in a text at once: unit names, splice phrases
//! (taxonomy titles), place names. [`PhraseMatcher`] reports the
//! leftmost-longest matches, without overlaps, through an Aho–Corasick
//! automaton; when the automaton cannot be built (it has size limits, and
//! these phrase lists come from the user: a unit table, a taxonomy, a
//! manifest's place names), it falls back to a plain scan that finds the
//! same matches more slowly. Building never fails and searching never
//! panics. A leaf module: it imports nothing of the crate.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// How the automaton is laid out: a speed hint only, the matches are the
/// same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Let the automaton choose (a contiguous NFA for most lists).
    #[default]
    Auto,
    /// A DFA: one table lookup a byte, for lists searched in every
    /// statement (more memory; past its size limits, `Auto` is used).
    Dfa,
    /// A contiguous NFA: cheap to build, for a few phrases built often.
    ContiguousNfa,
}

/// One match: which phrase, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    /// The phrase's index in the list the matcher was built from.
    pub pattern: usize,
    /// Its byte range in the searched text.
    pub range: Range<usize>,
}

impl PhraseMatch {
    /// Where the match starts (bytes).
    pub fn start(&self) -> usize {
        self.range.start
    }

    /// Where the match ends (bytes, exclusive).
    pub fn end(&self) -> usize {
        self.range.end
    }
}

/// Leftmost-longest search for any of a list of phrases.
///
/// ```
/// use luoshi_core::phrases::{Layout, PhraseMatcher};
///
/// let m = PhraseMatcher::new(&["财政局", "财政", "审计局"], Layout::Auto);
/// let found: Vec<usize> = m.find_iter("市财政局、审计局").map(|m| m.pattern).collect();
/// assert_eq!(found, [0, 2]);
/// assert!(!m.is_match("统计局"));
/// ```
#[derive(Debug, Clone)]
pub struct PhraseMatcher {
    search: Search,
    /// The list index of each phrase the search holds (empty phrases,
    /// which never match, are left out of it).
    ids: Vec<usize>,
}

#[derive(Debug, Clone)]
enum Search {
    Automaton(AhoCorasick),
    /// The phrases, searched one position at a time.
    Plain(Vec<String>),
}

impl PhraseMatcher {
    /// A matcher for `phrases` (empty phrases never match). Complexity:
    /// building is linear in the phrases' total length; a search is
    /// linear in the text (with the automaton).
    pub fn new<P: AsRef<str>>(phrases: &[P], layout: Layout) -> Self {
        let (ids, kept): (Vec<usize>, Vec<&str>) = phrases
            .iter()
            .map(AsRef::as_ref)
            .enumerate()
            .filter(|(_, p)| !p.is_empty())
            .unzip();
        let build = |kind: Option<AhoCorasickKind>| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(kind)
                .build(&kept)
                .ok()
        };
        let kind = match layout {
            Layout::Auto => None,
            Layout::Dfa => Some(AhoCorasickKind::DFA),
            Layout::ContiguousNfa => Some(AhoCorasickKind::ContiguousNFA),
        };
        let search = match build(kind).or_else(|| kind.and_then(|_| build(None))) {
            Some(a) => Search::Automaton(a),
            None => Search::Plain(kept.iter().map(|p| p.to_string()).collect()),
        };
        PhraseMatcher { search, ids }
    }

    /// The plain scan, whatever the list (for tests of the fallback).
    #[cfg(test)]
    fn plain<P: AsRef<str>>(phrases: &[P]) -> Self {
        let mut m = Self::new(phrases, Layout::Auto);
        let kept = m.ids.iter().map(|&i| phrases[i].as_ref().to_string());
        m.search = Search::Plain(kept.collect());
        m
    }

    /// The leftmost-longest matches in `text`, left to right, without
    /// overlaps (of two phrases of the same length at one place, the
    /// earlier in the list).
    pub fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = PhraseMatch> + 'a {
        let (automaton, plain) = match &self.search {
            Search::Automaton(a) => (Some(a.find_iter(text)), None),
            Search::Plain(p) => (
                None,
                Some(Plain {
                    phrases: p,
                    text,
                    at: 0,
                }),
            ),
        };
        let found = automaton
            .into_iter()
            .flatten()
            .map(|m| (m.pattern().as_usize(), m.range()))
            .chain(plain.into_iter().flatten());
        found.map(|(k, range)| PhraseMatch {
            pattern: self.ids.get(k).copied().unwrap_or(k),
            range,
        })
    }

    /// Whether any phrase occurs in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        match &self.search {
            Search::Automaton(a) => a.is_match(text),
            Search::Plain(_) => self.find_iter(text).next().is_some(),
        }
    }
}

/// The plain scan: at each character boundary from `at`, the longest
/// phrase that starts there.
struct Plain<'a> {
    phrases: &'a [String],
    text: &'a str,
    at: usize,
}

impl Iterator for Plain<'_> {
    type Item = (usize, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let text = self.text;
        while self.at < text.len() {
            let start = self.at;
            let rest = text.get(start..).unwrap_or_default();
            let best = self
                .phrases
                .iter()
                .enumerate()
                .filter(|(_, p)| rest.starts_with(p.as_str()))
                .fold(None::<(usize, usize)>, |best, (k, p)| match best {
                    Some((_, n)) if n >= p.len() => best,
                    _ => Some((k, p.len())),
                });
            if let Some((k, n)) = best {
                self.at = start + n;
                return Some((k, start..start + n));
            }
            self.at = start + rest.chars().next().map_or(1, char::len_utf8);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn found(m: &PhraseMatcher, text: &str) -> Vec<(usize, Range<usize>)> {
        m.find_iter(text).map(|m| (m.pattern, m.range)).collect()
    }

    #[test]
    fn leftmost_longest_without_overlaps() {
        let phrases = ["财政", "财政局", "局长", "", "审计局"];
        let text = "市财政局长与审计局";
        for m in [
            PhraseMatcher::new(&phrases, Layout::Auto),
            PhraseMatcher::new(&phrases, Layout::Dfa),
            PhraseMatcher::new(&phrases, Layout::ContiguousNfa),
            PhraseMatcher::plain(&phrases),
        ] {
            assert_eq!(found(&m, text), [(1, 3..12), (4, 18..27)]);
            assert!(m.is_match(text) && !m.is_match("统计"));
        }
        let none = PhraseMatcher::new::<&str>(&[], Layout::Dfa);
        assert!(found(&none, text).is_empty() && !none.is_match(text));
    }

    proptest! {
        /// Issue 21: the fallback finds what the automaton finds, on
        /// phrases and texts over a small alphabet (so that they overlap,
        /// repeat and nest).
        #[test]
        fn the_plain_scan_finds_what_the_automaton_finds(
            phrases in proptest::collection::vec("[甲乙丙a]{0,4}", 0..8),
            text in "[甲乙丙ab]{0,40}",
        ) {
            let automaton = PhraseMatcher::new(&phrases, Layout::Auto);
            let plain = PhraseMatcher::plain(&phrases);
            prop_assert_eq!(found(&automaton, &text), found(&plain, &text));
            prop_assert_eq!(automaton.is_match(&text), plain.is_match(&text));
        }
    }
}
