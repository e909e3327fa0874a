//! Small text utilities shared by ingestion and the outline parser:
//! sentence ends that respect brackets and quotes, and character classes.

/// Characters that end a sentence or a clause that states one requirement.
pub const SENTENCE_ENDS: &[char] = &['。', '；', ';', '！', '？', '!', '?'];

/// Opening brackets and quotes with their closing partners.
const PAIRS: &[(char, char)] = &[
    ('（', '）'),
    ('(', ')'),
    ('《', '》'),
    ('〈', '〉'),
    ('【', '】'),
    ('“', '”'),
    ('‘', '’'),
    ('「', '」'),
    ('『', '』'),
    ('[', ']'),
    ('〔', '〕'),
];

/// How many characters an opening bracket may stay open before we treat it
/// as unbalanced (PDF damage often drops the closing one).
const MAX_OPEN_CHARS: usize = 160;

/// Line (1-based) of a byte offset in `text` (offsets past the end count
/// as the last line), for error messages.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// How many elements two sorted, deduplicated lists share (one merge).
pub fn shared_sorted<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// Is `c` a CJK ideograph (the basic block and extension A)?
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF)
}

/// Byte offsets just past each sentence end in `s` (after any closing quote
/// or bracket that immediately follows the end mark), outside brackets and
/// quotes. The last sentence, if unterminated, is not included.
pub fn sentence_ends(s: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut chars = s.char_indices().peekable();
    let mut count = 0usize;
    while let Some((i, c)) = chars.next() {
        count += 1;
        if let Some(&(_, opened_at)) = stack.last()
            && count - opened_at > MAX_OPEN_CHARS
        {
            stack.clear();
        }
        if let Some(&(_, close)) = PAIRS.iter().find(|(o, _)| *o == c) {
            // A straight quote pair like “ ” is distinct; same-char pairs do not occur.
            stack.push((close, count));
            continue;
        }
        if let Some(pos) = stack.iter().rposition(|&(close, _)| close == c) {
            stack.truncate(pos);
            continue;
        }
        if stack.is_empty() && SENTENCE_ENDS.contains(&c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                if matches!(n, '”' | '’' | '」' | '』' | '）' | ')')
                    && PAIRS.iter().all(|(o, _)| *o != n)
                {
                    // Stray closer right after the end mark: keep it with this sentence.
                    end = j + n.len_utf8();
                    chars.next();
                    count += 1;
                } else {
                    break;
                }
            }
            ends.push(end);
        }
    }
    ends
}

/// Splits `s` into sentence ranges (byte offsets), trimmed of surrounding
/// whitespace; empty pieces are dropped. Every non-whitespace byte of `s`
/// is in exactly one range.
pub fn sentences(s: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in sentence_ends(s).into_iter().chain(std::iter::once(s.len())) {
        if let Some(r) = trim_range(s, start..end) {
            out.push(r);
        }
        start = end;
    }
    out
}

/// Shrinks `r` to exclude leading and trailing whitespace; None if nothing
/// is left.
pub fn trim_range(s: &str, r: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let piece = &s[r.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    (lead < piece.len()).then(|| r.start + lead..r.end - trail)
}

/// Removes whitespace between CJK characters (PDF line wraps such as
/// `以政务公开 助力稳增长`), keeps other text as is.
pub fn join_cjk_wraps(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().last();
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let cjk_side =
                prev.is_some_and(|p| !p.is_ascii()) || next.is_some_and(|n| !n.is_ascii());
            if cjk_side || prev.is_some_and(char::is_whitespace) {
                continue;
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_outside_brackets() {
        let cases = [
            ("plain", "甲。乙；丙", vec!["甲。", "乙；", "丙"]),
            (
                "quote",
                "要求“公开。解读”后。再",
                vec!["要求“公开。解读”后。", "再"],
            ),
            (
                "paren",
                "做好（一是。二是）工作。",
                vec!["做好（一是。二是）工作。"],
            ),
            (
                "closer after end",
                "他说“好。”然后。",
                vec!["他说“好。”然后。"],
            ),
            ("whitespace", "  甲。  ", vec!["甲。"]),
        ];
        for (name, input, expected) in cases {
            let got: Vec<&str> = sentences(input).into_iter().map(|r| &input[r]).collect();
            assert_eq!(got, expected, "case {name}");
        }
    }

    #[test]
    fn unbalanced_bracket_does_not_swallow_everything() {
        let long = format!("（{}。后面。", "字".repeat(200));
        assert!(sentences(&long).len() >= 2);
    }

    #[test]
    fn joins_wraps() {
        assert_eq!(
            join_cjk_wraps("以政务公开 助力稳增长"),
            "以政务公开助力稳增长"
        );
        assert_eq!(join_cjk_wraps("PPP  project"), "PPP project");
    }
}
