//! Deadlines (完成时限) as documents state them.

/// Phrases that state a deadline or a period on their own.
const PERIOD_PHRASES: &[&str] = &[
    "全年工作",
    "长期坚持",
    "持续推进",
    "长期工作",
    "年内完成",
    "年底前",
    "年内",
    "及时发布",
    "按季度",
    "每季度",
    "每月",
    "每年",
];

/// Quantity words after a number that make a time expression.
const TIME_TAIL: &[&str] = &[
    "月底前",
    "月中旬前",
    "月上旬前",
    "月下旬前",
    "月前",
    "月底",
    "日前",
    "日内",
    "个工作日内",
    "年底前",
    "年内",
    "年底",
];

/// Finds the first deadline in `text`: a dated limit such as
/// `2017年7月底前`, `6月底前`, `60 日内`, or a period phrase such as
/// `全年工作`. Returns the matched text with inner spaces removed.
pub fn find_deadline(text: &str) -> Option<String> {
    let compact: std::borrow::Cow<str> = if text.contains(char::is_whitespace) {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    let compact: &str = &compact;
    let bytes = compact.as_bytes();
    // Digits are ASCII, so the scan can walk bytes: a digit byte is never
    // part of a multi-byte character.
    for i in 0..bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            continue;
        }
        // Read `[YYYY年][M]` and a tail.
        let mut end_byte = i + bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let rest = &compact[end_byte..];
        let mut start = i;
        if let Some(after_year) = rest.strip_prefix('年') {
            // A year: a month may follow.
            let digits = after_year.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                if let Some(t) = ["年底前", "年内", "年底"]
                    .iter()
                    .find(|t| compact[end_byte..].starts_with(**t))
                {
                    return Some(compact[start..end_byte + t.len()].to_string());
                }
                continue;
            }
            end_byte += '年'.len_utf8() + digits;
        } else {
            start = i;
        }
        let rest = &compact[end_byte..];
        if let Some(t) = TIME_TAIL.iter().find(|t| rest.starts_with(**t)) {
            let mut end = end_byte + t.len();
            if compact[end..].starts_with("完成") {
                end += "完成".len();
            }
            return Some(compact[start..end].to_string());
        }
    }
    // The first phrase of the list that occurs anywhere: one pass of an
    // automaton over all of them.
    static PERIODS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    // A DFA: a dozen phrases make a small table, and every statement of
    // every document is scanned.
    let periods = PERIODS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(PERIOD_PHRASES)
            .ok()
    });
    let first = match periods {
        // Most statements hold no phrase: one plain scan says so, and only
        // a statement that holds one is searched for all of them.
        Some(periods) if !periods.is_match(compact) => return None,
        Some(periods) => periods
            .find_overlapping_iter(compact)
            .map(|m| m.pattern().as_usize())
            .min(),
        // Without the automaton (it has size limits), the same answer
        // phrase by phrase.
        None => PERIOD_PHRASES.iter().position(|p| compact.contains(p)),
    };
    first
        .and_then(|p| PERIOD_PHRASES.get(p))
        .map(|p| p.to_string())
}

/// Whether a short cell opens with a dated limit
/// (`2017年7月底前对企业门户网站开展1次内容保障普查`): in the deadline
/// column, or past the header's columns, such a cell is a deadline with a
/// note, not a statement.
pub(crate) fn opens_with_dated_deadline(cell: &str) -> bool {
    let compact: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    compact.chars().count() <= 30
        && !compact.contains(['。', '，', '；'])
        && find_deadline(&compact)
            .is_some_and(|d| compact.starts_with(&d) && d.starts_with(|c: char| c.is_ascii_digit()))
}

/// How a deadline cell ends.
const CELL_ENDINGS: &[&str] = &[
    "完成", "前", "底", "日内", "内", "工作", "坚持", "推进", "发布", "公布", "开展", "执行",
];

/// Whether a whole table cell is a deadline statement: short, names a
/// time, and ends like a time limit (`2017年7月底前`, `国家指导意见印发后
/// 60 日内完成`, `全年工作`), or is a bare period word (`及时`, `长期`).
pub(crate) fn is_deadline_cell(cell: &str) -> bool {
    let compact: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let n = compact.chars().count();
    if n == 0 || n > 30 || compact.contains(['。', '，', '；']) {
        return false;
    }
    let timed = find_deadline(&compact).is_some();
    (timed && (n <= 12 || CELL_ENDINGS.iter().any(|e| compact.ends_with(e))))
        || (n <= 8
            && [
                "及时",
                "长期",
                "持续",
                "全年",
                "常态",
                "每年",
                "每月",
                "每季度",
                "按月",
                "按季",
                "按年",
                "定期",
            ]
            .iter()
            .any(|p| compact.starts_with(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines() {
        let cases = [
            (
                "month end",
                "2017年7月底前完成专栏建设",
                Some("2017年7月底前完成"),
            ),
            (
                "spaced",
                "2017 年 11 月底前完成",
                Some("2017年11月底前完成"),
            ),
            ("month only", "于6月底前报送", Some("6月底前")),
            ("days", "国家指导意见印发后 60 日内完成", Some("60日内完成")),
            ("whole year", "全年工作", Some("全年工作")),
            ("year end", "2017年底前", Some("2017年底前")),
            ("none", "做好信息公开工作", None),
            ("year alone is no deadline", "2017年政务公开工作要点", None),
        ];
        for (name, input, expected) in cases {
            assert_eq!(find_deadline(input).as_deref(), expected, "case {name}");
        }
        assert!(is_deadline_cell("每月、每季度 后 20 日内完成"));
        assert!(!is_deadline_cell(
            "按月公开财政收支情况，解读财政收支增减变化情况及原因。"
        ));
        assert!(!is_deadline_cell("每年公布水质最好和最差的县（区）名单"));
        assert!(is_deadline_cell("国家指导意见印发后 60 日内完成"));
        assert!(is_deadline_cell("按月度、季度公布"));
        assert!(!is_deadline_cell(
            "2017年7月底前对企业门户网站开展1次内容保障普查"
        ));
        assert!(opens_with_dated_deadline(
            "2017年7月底前对企业门户网站开展1次内容保障普查"
        ));
        assert!(!opens_with_dated_deadline(
            "对企业门户网站开展1次普查，2017年7月底前"
        ));
    }
}
