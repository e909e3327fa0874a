//! Small text utilities shared by extraction, ingestion and the outline
//! parser: sentence ends that respect brackets and quotes, and character
//! classes (CJK ideographs, wide characters, content characters).

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
    merge_shared(a, b, None)
}

/// Whether two sorted, deduplicated lists share at least `need` elements:
/// one merge that stops as soon as the answer is known (the count reaches
/// `need`, or the elements left can no longer reach it).
pub fn shares_at_least<T: Ord>(a: &[T], b: &[T], need: usize) -> bool {
    merge_shared(a, b, Some(need)) >= need
}

/// The shared count of two sorted lists; with `need`, the merge may stop
/// early once the count is known to reach it or not.
fn merge_shared<T: Ord>(a: &[T], b: &[T], need: Option<usize>) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        if need.is_some_and(|n| common >= n || common + (a.len() - i).min(b.len() - j) < n) {
            break;
        }
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

/// Is `c` a CJK ideograph (the basic block, extension A and the
/// compatibility ideographs)?
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF)
}

/// Characters that, after a number, make it a quantity, a date or a count
/// (`2次`, `36家`, `3大`, `3小时`) rather than a spliced row number.
const QUANTITY_AFTER: &str = "年月日号个项家次名人万亿元%％条天时周届批所座类种倍期季份部件位户轮分秒多余米亩吨台套场例级大小篇款点层千百";

/// Characters that, before a number, make it an ordinal or a count
/// (`第3`, `前10`, `近5`) rather than a spliced row number.
const ORDINAL_BEFORE: &[char] = &['第', '前', '近'];

/// The row-number rule: whether a run of ASCII digits between `before`
/// (`None` at the start of the text) and `after` is a row or task number
/// spliced into a sentence by PDF table extraction (`助力101112推进`).
/// It is when a CJK character, or the start of the text, stands before it
/// (not an ordinal prefix such as `第`) and a CJK character that is no
/// unit of quantity or time stands after it.
pub fn is_row_number(before: Option<char>, after: char) -> bool {
    before.is_none_or(|b| is_cjk(b) && !ORDINAL_BEFORE.contains(&b))
        && is_cjk(after)
        && !QUANTITY_AFTER.contains(after)
}

/// The spliced row numbers (see [`is_row_number`]) among positioned
/// characters, e.g. `s.char_indices()` (byte ranges) or
/// `chars.iter().copied().enumerate()` (character ranges): each range runs
/// from the first digit's position to the position of the character after
/// the run. One pass, no buffer.
pub fn row_numbers<I>(chars: I) -> impl Iterator<Item = std::ops::Range<usize>>
where
    I: IntoIterator<Item = (usize, char)>,
{
    let mut chars = chars.into_iter().peekable();
    let mut prev: Option<char> = None;
    std::iter::from_fn(move || {
        loop {
            let (start, c) = chars.next()?;
            if !c.is_ascii_digit() {
                prev = Some(c);
                continue;
            }
            let before = prev;
            while let Some(&(_, d)) = chars.peek()
                && d.is_ascii_digit()
            {
                chars.next();
            }
            let &(end, after) = chars.peek()?;
            // The character before the next run is not a digit: it is
            // `after` or comes later, so `prev` is set when it is read.
            if is_row_number(before, after) {
                return Some(start..end);
            }
        }
    })
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

/// Whether a character carries content (a CJK ideograph, letter or digit).
pub(crate) fn is_content(c: char) -> bool {
    // ASCII and CJK ideographs first, then the CJK and full-width
    // punctuation every sentence holds (none of it alphanumeric: a test
    // checks), before the general Unicode tables.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_cjk(c) || (!is_cjk_punctuation(c) && c.is_alphanumeric())
}

/// CJK and full-width punctuation (、。〈〉《》「」『』【】〔〕 and
/// ！＂＃…／ ：；＜＝＞？＠ ［＼］＾＿｀ ｛｜｝～), and the general
/// punctuation block (“ ” ‘ ’ … —): none of it is a letter or digit.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(
        c as u32,
        0x3000..=0x3004 | 0x3008..=0x3020 | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65 | 0x2000..=0x206F
    )
}

/// Counts characters that carry content (CJK ideographs, letters, digits).
pub fn content_chars(s: &str) -> usize {
    s.chars().filter(|&c| is_content(c)).count()
}

/// Whether `s` has at least `n` content characters (stops counting there).
pub(crate) fn has_content_chars(s: &str, n: usize) -> bool {
    n == 0 || s.chars().filter(|&c| is_content(c)).nth(n - 1).is_some()
}

/// Ideographs and full-width punctuation: characters between which a
/// line break is no word boundary.
pub fn is_wide(c: char) -> bool {
    is_cjk(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// Whether `c` is drawn as nothing: a Unicode Default_Ignorable_Code_Point
/// (soft hyphen, zero-width space, joiners and non-joiners, direction
/// marks and embeddings, word joiner and invisible operators, variation
/// selectors, the byte-order mark, Hangul fillers, tag characters, …;
/// DerivedCoreProperties.txt of Unicode 15.1) or an interlinear annotation
/// character (U+FFF9–U+FFFB).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFFB
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// `s` as an error message shows it: invisible characters ([`is_invisible`])
/// and control characters written as `\u{…}` escapes, everything else as
/// it is.
pub fn shown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_invisible(c) || c.is_control() {
            out.extend(c.escape_unicode());
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

    /// The cases of the three copies the rule replaces (ingestion's
    /// splice lifting, its suspected-splice count, the aligner's
    /// normalization filter), with the case on which they disagreed.
    #[test]
    fn row_number_rule() {
        // (name, text, the row numbers found)
        let cases: [(&str, &str, &[&str]); 17] = [
            ("between cjk", "助力101112推进化解", &["101112"]),
            ("several runs", "增长45以政6务公开", &["45", "6"]),
            ("quantity after", "每年公布2次名单", &[]),
            ("count after", "36家部门", &[]),
            ("percent after", "增长12%以上", &[]),
            ("date", "2017年5月8日印发", &[]),
            ("ordinal 第", "第3阶段", &[]),
            // Splice lifting only, before the rule was shared.
            ("ordinal 前", "排名前10强", &[]),
            ("ordinal 近", "近3来", &[]),
            ("大 after", "打好3大攻坚战", &[]),
            ("小时 after", "每日3小时", &[]),
            ("start of text", "12推进工作", &["12"]),
            ("end of text", "推进工作12", &[]),
            ("latin after", "推进12abc", &[]),
            ("latin before", "abc12推进", &[]),
            ("marker", "1.推进工作", &[]),
            ("compatibility ideograph", "\u{F900}12推进", &["12"]),
        ];
        for (name, text, expected) in cases {
            let bytes: Vec<&str> = row_numbers(text.char_indices()).map(|r| &text[r]).collect();
            assert_eq!(bytes, expected, "case {name} (bytes)");
            let chars: Vec<char> = text.chars().collect();
            let by_char: Vec<String> = row_numbers(chars.iter().copied().enumerate())
                .map(|r| chars[r].iter().collect())
                .collect();
            assert_eq!(by_char, expected, "case {name} (chars)");
        }
    }

    #[test]
    fn joins_wraps() {
        assert_eq!(
            join_cjk_wraps("以政务公开 助力稳增长"),
            "以政务公开助力稳增长"
        );
        assert_eq!(join_cjk_wraps("PPP  project"), "PPP project");
    }

    /// The fast paths of `is_content` answer as the Unicode tables do, for
    /// every character.
    #[test]
    fn content_fast_path_agrees_with_unicode_tables() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                is_content(c),
                is_cjk(c) || c.is_alphanumeric(),
                "{c:?} (U+{:04X})",
                c as u32
            );
        }
    }
}
