//! How strongly a statement binds: the obligation words it holds
//! ([`crate::words`]), read as one of four grades.

use serde::Serialize;

use crate::words::{ENCOURAGED, MAY, MUST, NOT_OBLIGATION};

/// How strongly a statement binds, weakest first (so grades compare:
/// `Obligation::Encouraged < Obligation::Must`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Obligation {
    /// Permits (可以, 酌情).
    May,
    /// Encourages or hedges (鼓励, 积极, 逐步, 原则上 …).
    Encouraged,
    /// A plain imperative without an obligation word (做好…公开): the
    /// ordinary directive of an implementation document.
    Plain,
    /// Binds (必须, 应当, 要, 不得 …).
    Must,
}

impl Obligation {
    /// `may`, `encouraged`, `plain` or `must`.
    pub fn as_str(self) -> &'static str {
        match self {
            Obligation::May => "may",
            Obligation::Encouraged => "encouraged",
            Obligation::Plain => "plain",
            Obligation::Must => "must",
        }
    }
}

/// A statement's obligation: its grade (the strongest word's; plain when
/// it holds none) and the words found, in order of first occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationWords {
    /// The grade.
    pub grade: Obligation,
    /// The obligation words of the statement, each once.
    pub words: Vec<&'static str>,
}

/// Reads the obligation words of `text`: every occurrence of a word of
/// [`MUST`], [`ENCOURAGED`] or [`MAY`] that is not inside a compound of
/// [`NOT_OBLIGATION`] (要 in 重要, 积极 in 积极的财政政策). O(text ·
/// words).
pub fn obligation(text: &str) -> ObligationWords {
    // Byte ranges of the compounds that hold a word in another sense.
    let mut blocked: Vec<(usize, usize)> = Vec::new();
    for w in NOT_OBLIGATION {
        blocked.extend(text.match_indices(w).map(|(at, w)| (at, at + w.len())));
    }
    let free = |at: usize, len: usize| !blocked.iter().any(|&(s, e)| s <= at && at + len <= e);
    let mut found: Vec<(usize, &'static str, Obligation)> = Vec::new();
    for (list, grade) in [
        (MUST, Obligation::Must),
        (ENCOURAGED, Obligation::Encouraged),
        (MAY, Obligation::May),
    ] {
        for w in list {
            if let Some((at, _)) = text.match_indices(w).find(|(at, _)| free(*at, w.len())) {
                found.push((at, w, grade));
            }
        }
    }
    found.sort_by_key(|&(at, w, _)| (at, std::cmp::Reverse(w.len())));
    let grade = if found.is_empty() {
        Obligation::Plain
    } else {
        found.iter().map(|f| f.2).max().unwrap_or(Obligation::Plain)
    };
    let mut words = Vec::new();
    for (_, w, _) in found {
        // 须 inside 必须 is the same word.
        if !words.iter().any(|x: &&str| x.contains(w)) {
            words.push(w);
        }
    }
    ObligationWords { grade, words }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades() {
        let cases = [
            ("must", "各级政府要及时公开", Obligation::Must, vec!["要"]),
            (
                "must, two words",
                "必须严格审查，不得公开",
                Obligation::Must,
                vec!["必须", "不得"],
            ),
            (
                "encouraged",
                "鼓励开展政府开放日",
                Obligation::Encouraged,
                vec!["鼓励"],
            ),
            ("may", "可以转为主动公开", Obligation::May, vec!["可以"]),
            (
                "plain",
                "做好药品监督检查信息公开",
                Obligation::Plain,
                vec![],
            ),
            (
                "要 in compounds",
                "按照重要工作要求，主要负责人",
                Obligation::Plain,
                vec![],
            ),
            (
                "积极 as an adjective",
                "围绕积极的财政政策和积极就业政策",
                Obligation::Plain,
                vec![],
            ),
            (
                "the strongest wins",
                "要积极推进",
                Obligation::Must,
                vec!["要", "积极"],
            ),
            (
                "can and shall",
                "可以转为主动公开的，应当主动公开",
                Obligation::Must,
                vec!["可以", "应当"],
            ),
        ];
        for (name, text, grade, words) in cases {
            let got = obligation(text);
            assert_eq!((got.grade, got.words), (grade, words), "case {name}");
        }
    }

    #[test]
    fn grades_order_weakest_first() {
        assert!(Obligation::May < Obligation::Encouraged);
        assert!(Obligation::Encouraged < Obligation::Plain);
        assert!(Obligation::Plain < Obligation::Must);
    }
}
