//! Quantified targets: a number with a unit or a count (`3个工作日`,
//! `1次`, `100余项`), a percentage (`100%`, `百分之九十`), or a frequency
//! (`每季度`, `按月`, `每半年`). Calendar dates and years (`2017年7月底前`),
//! document numbers (`〔2016〕61号`), ordinals (`第一时间`) and bare
//! numbers (`12315` platforms, row numbers) are not quantities. The word
//! lists are in [`crate::words`].

use crate::words::{NUMERAL_UNITS, NUMERALS, PERIODS, UNITS};

/// Full-width digits and percent signs as ASCII, whitespace dropped.
fn compact(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '％' => '%',
            '．' => '.',
            c => c,
        })
        .collect()
}

fn starts_with(cs: &[char], at: usize, word: &str) -> bool {
    (at..).zip(word.chars()).all(|(i, w)| cs.get(i) == Some(&w))
}

/// The longest word of `words` at `at`, as its length in characters.
fn word_at(cs: &[char], at: usize, words: &[&str]) -> Option<usize> {
    words
        .iter()
        .filter(|w| starts_with(cs, at, w))
        .map(|w| w.chars().count())
        .max()
}

/// Where a run of characters satisfying `f` starting at `at` ends.
fn run(cs: &[char], at: usize, f: impl Fn(char) -> bool) -> usize {
    at + cs[at.min(cs.len())..].iter().take_while(|&&c| f(c)).count()
}

/// Where an Arabic number (digits, one decimal point between digits)
/// starting at `at` ends.
fn number_end(cs: &[char], at: usize) -> usize {
    let mut end = run(cs, at, |c| c.is_ascii_digit());
    if cs.get(end) == Some(&'.') && cs.get(end + 1).is_some_and(char::is_ascii_digit) {
        end = run(cs, end + 1, |c| c.is_ascii_digit());
    }
    end
}

/// After a number: an optional 余 / 多 (`100余项`, more than 100).
fn approx(cs: &[char], at: usize) -> usize {
    if matches!(cs.get(at), Some('余' | '多')) {
        at + 1
    } else {
        at
    }
}

/// Every quantity `text` states, in order, as written (whitespace
/// dropped, full-width digits as ASCII): `["30个工作日", "每季度"]`.
/// Linear in the text's length.
pub fn quantities(text: &str) -> Vec<String> {
    let cs = compact(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        let prev = i.checked_sub(1).map(|p| cs[p]);
        // 百分之九十: a percentage in words.
        if starts_with(&cs, i, "百分之") {
            let end = run(&cs, i + 3, |c| NUMERALS.contains(&c) || c.is_ascii_digit());
            if end > i + 3 {
                out.push(cs[i..end].iter().collect());
                i = end;
                continue;
            }
        }
        // 每季度, 每3个月, 按月: a frequency.
        if c == '每' || c == '按' {
            let num = if c == '每' {
                run(&cs, i + 1, |c| NUMERALS.contains(&c) || c.is_ascii_digit())
            } else {
                i + 1
            };
            if let Some(n) = word_at(&cs, num, PERIODS) {
                out.push(cs[i..num + n].iter().collect());
                i = num + n;
                continue;
            }
        }
        if c.is_ascii_digit() {
            let end = number_end(&cs, i);
            let digits = end - i;
            let next = cs.get(end).copied();
            let date_or_name = matches!(prev, Some('第' | '〔' | '[' | '【'))
                || matches!(next, Some('〕' | ']' | '】' | '号' | '月'))
                || (next == Some('年') && digits == 4)
                || (next == Some('日') && prev == Some('月'));
            if !date_or_name {
                if next == Some('%') {
                    out.push(cs[i..=end].iter().collect());
                    i = end + 1;
                    continue;
                }
                let at = approx(&cs, end);
                if let Some(n) = word_at(&cs, at, UNITS) {
                    out.push(cs[i..at + n].iter().collect());
                    i = at + n;
                    continue;
                }
            }
            i = end;
            continue;
        }
        if NUMERALS.contains(&c) {
            let end = run(&cs, i, |c| NUMERALS.contains(&c));
            // Ordinals and words that hold a numeral: 第一, 上半年,
            // 统一, 唯一, 同一, 单一, 之一, 逐一.
            let word = matches!(
                prev,
                Some('第' | '上' | '下' | '统' | '唯' | '同' | '单' | '之' | '逐')
            );
            if !word {
                let at = approx(&cs, end);
                if let Some(n) = word_at(&cs, at, NUMERAL_UNITS) {
                    out.push(cs[i..at + n].iter().collect());
                    i = at + n;
                    continue;
                }
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_and_what_is_not_one() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "working days",
                "在本通知公布后 30 个工作日内报送",
                &["30个工作日"],
            ),
            (
                "count",
                "明确1名同志分管，至少集体研究部署1次",
                &["1名", "1次"],
            ),
            ("percentage", "办结率达到100%", &["100%"]),
            ("full width", "办结率达到１００％", &["100%"]),
            ("percentage in words", "达到百分之九十五", &["百分之九十五"]),
            (
                "frequency",
                "每季度公开，按月更新，每半年至少举办1次",
                &["每季度", "按月", "每半年", "1次"],
            ),
            ("about", "公开100余项", &["100余项"]),
            (
                "numeral count",
                "开展两次督查，每年公布一批",
                &["两次", "每年", "一批"],
            ),
            ("date", "2017年7月底前完成", &[]),
            ("full date", "于 2017 年 12 月 15 日前报送", &[]),
            ("year only", "2017年政务公开工作", &[]),
            (
                "month deadline then days",
                "每年3月底前确定，28日内完成",
                &["每年", "28日"],
            ),
            (
                "document number",
                "（国办发〔2016〕61号）、国务院令第492号",
                &[],
            ),
            ("ordinal", "第一时间发布，政务公开第一平台", &[]),
            ("slogans", "“五公开”“双随机、一公开”两个责任、市县两级", &[]),
            ("words with a numeral", "统一发布，进一步加强，唯一", &[]),
            ("platform number", "全国12315互联网平台", &[]),
            ("first half", "上半年完成", &[]),
            ("row number", "1.严格纳入公文办理流程", &[]),
        ];
        for (name, text, want) in cases {
            assert_eq!(quantities(text), *want, "case {name}: {text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_finds_substrings(s in "\\PC{0,60}") {
            let compact: String = compact(&s).into_iter().collect();
            for q in quantities(&s) {
                proptest::prop_assert!(compact.contains(&q));
            }
        }
    }
}
