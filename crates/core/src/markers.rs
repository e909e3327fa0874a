//! Heading and list markers of Chinese official documents: `一、`, `（一）`,
//! `(一)`, `1.`, `1、`, `（1）`, `①`. Shared by document ingestion and by
//! the outline-text taxonomy parser.

/// The kind of a heading marker, from the outermost level inward as Chinese
/// official documents conventionally nest them (GB/T 9704).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkerKind {
    /// `一、` `二、` …
    ChineseComma,
    /// `（一）` or `(一)`.
    ChineseParen,
    /// `1.` `1．` `1、`.
    ArabicDot,
    /// `（1）` or `(1)`.
    ArabicParen,
    /// `①` … `⑳`.
    Circled,
}

impl MarkerKind {
    /// Conventional nesting depth, 1 for `一、` to 5 for `①`.
    pub fn depth(self) -> usize {
        match self {
            MarkerKind::ChineseComma => 1,
            MarkerKind::ChineseParen => 2,
            MarkerKind::ArabicDot => 3,
            MarkerKind::ArabicParen => 4,
            MarkerKind::Circled => 5,
        }
    }
}

/// A marker found at the start of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// Which kind.
    pub kind: MarkerKind,
    /// The number it states (一 = 1, ⑫ = 12).
    pub number: u32,
    /// Its length in bytes.
    pub len: usize,
}

/// Value of a Chinese numeral of 1..=99 (`一` … `九十九`), if `s` is one.
pub fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c).filter(|&d| d > 0),
        ['十', u] => digit(*u).filter(|&d| d > 0).map(|d| 10 + d),
        [t, '十'] => digit(*t).filter(|&d| d > 1).map(|d| d * 10),
        [t, '十', u] => Some(digit(*t).filter(|&d| d > 1)? * 10 + digit(*u).filter(|&d| d > 0)?),
        _ => None,
    }
}

fn is_chinese_numeral(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// Recognizes a heading marker at the start of `s`.
///
/// Arabic markers need one or two digits followed by `.`, `．` or `、` and
/// then a non-digit, so `2017年` and `1.5倍` are not markers.
pub fn marker_at(s: &str) -> Option<Marker> {
    let mut chars = s.char_indices();
    let (_, first) = chars.next()?;
    if let Some(n) = circled(first) {
        return Some(Marker {
            kind: MarkerKind::Circled,
            number: n,
            len: first.len_utf8(),
        });
    }
    if first == '（' || first == '(' {
        let close = if first == '（' { '）' } else { ')' };
        let inner_start = first.len_utf8();
        let rest = &s[inner_start..];
        // Either closing bracket ends the marker: PDF text mixes `（一)`.
        let (end, closer) = rest
            .char_indices()
            .take(4)
            .find(|&(_, c)| c == close || c == '）' || c == ')')?;
        let inner = &rest[..end];
        let len = inner_start + end + closer.len_utf8();
        if let Some(n) = chinese_number(inner) {
            return Some(Marker {
                kind: MarkerKind::ChineseParen,
                number: n,
                len,
            });
        }
        if !inner.is_empty() && inner.len() <= 2 && inner.bytes().all(|b| b.is_ascii_digit()) {
            let n = inner.parse().ok()?;
            return Some(Marker {
                kind: MarkerKind::ArabicParen,
                number: n,
                len,
            });
        }
        return None;
    }
    if is_chinese_numeral(first) {
        let end = s
            .char_indices()
            .take_while(|&(_, c)| is_chinese_numeral(c))
            .last()?
            .0;
        let num_end = end + s[end..].chars().next()?.len_utf8();
        let n = chinese_number(&s[..num_end])?;
        if s[num_end..].starts_with('、') {
            return Some(Marker {
                kind: MarkerKind::ChineseComma,
                number: n,
                len: num_end + '、'.len_utf8(),
            });
        }
        return None;
    }
    if first.is_ascii_digit() {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 2 {
            return None;
        }
        let rest = &s[digits..];
        let sep = rest.chars().next()?;
        if !matches!(sep, '.' | '．' | '、') {
            return None;
        }
        let after = &rest[sep.len_utf8()..];
        if after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c.is_whitespace())
            || after.is_empty()
        {
            return None;
        }
        let n = s[..digits].parse().ok()?;
        return Some(Marker {
            kind: MarkerKind::ArabicDot,
            number: n,
            len: digits + sep.len_utf8(),
        });
    }
    None
}

fn circled(c: char) -> Option<u32> {
    let v = c as u32;
    (0x2460..=0x2473).contains(&v).then(|| v - 0x2460 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let cases = [
            ("area", "一、总体要求", Some((MarkerKind::ChineseComma, 1))),
            (
                "area 12",
                "十二、其他",
                Some((MarkerKind::ChineseComma, 12)),
            ),
            (
                "task full-width",
                "（三）推进",
                Some((MarkerKind::ChineseParen, 3)),
            ),
            (
                "task ascii",
                "(六)增强",
                Some((MarkerKind::ChineseParen, 6)),
            ),
            ("item", "1.加强预期引导", Some((MarkerKind::ArabicDot, 1))),
            ("item comma", "12、做好", Some((MarkerKind::ArabicDot, 12))),
            ("sub item", "（2）做好", Some((MarkerKind::ArabicParen, 2))),
            ("circled", "③公开", Some((MarkerKind::Circled, 3))),
            ("year", "2017年", None),
            ("decimal", "1.5倍", None),
            ("numeral word", "一是加强", None),
            ("unit paren", "（市统计局牵头落实）", None),
            (
                "mixed brackets",
                "（一)加强",
                Some((MarkerKind::ChineseParen, 1)),
            ),
            (
                "mixed brackets ascii open",
                "(二）加强",
                Some((MarkerKind::ChineseParen, 2)),
            ),
            ("empty", "", None),
        ];
        for (name, input, expected) in cases {
            let got = marker_at(input).map(|m| (m.kind, m.number));
            assert_eq!(got, expected, "case {name}: {input}");
        }
        assert_eq!(chinese_number("二十三"), Some(23));
        // Regression (fuzz, outline target): a full-width opening bracket
        // closed by an ASCII one gave a length past the end of the text.
        for s in ["（一)", "(一）", "（1)", "(1）x"] {
            let m = marker_at(s).unwrap();
            assert!(s.is_char_boundary(m.len) && m.len <= s.len(), "{s}: {m:?}");
        }
        assert_eq!(chinese_number("一十"), None);
    }
}
