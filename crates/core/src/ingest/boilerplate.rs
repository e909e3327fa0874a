//! Boilerplate: text of a notice that states no requirement (preamble,
//! addressees, signature, dates, contacts, transmittal phrases, titles,
//! table headers).

use crate::phrases::{Layout, PhraseMatcher};
use crate::text::has_content_chars;

/// Phrases that mark a sentence as transmittal or closing boilerplate.
const CUES: &[&str] = &[
    "现印发给你们",
    "印发给你们",
    "现将",
    "请认真贯彻执行",
    "请认真贯彻落实",
    "请结合实际认真贯彻",
    "请认真组织实施",
    "请遵照执行",
    "发布日期",
    "联系人",
    "联系电话",
    "联 系 人",
    "抄送",
    "印发日期",
    "制定本实施方案",
    "现制定本",
    "特制定本",
    "制定本方案",
];

/// Words of table header rows.
pub(crate) const HEADER_WORDS: &[&str] = &[
    "序号",
    "工作任务",
    "主要任务",
    "任务",
    "目标",
    "具体要求",
    "有关要求",
    "工作要求",
    "主要内容",
    "工作措施",
    "责任单位",
    "牵头单位",
    "牵头落实单位",
    "配合单位",
    "完成时限",
    "完成时间",
    "时间安排",
    "备注",
];

/// Words that make a short unpunctuated line a title.
const TITLE_WORDS: &[&str] = &[
    "通知", "方案", "要点", "分工", "意见", "办法", "规定", "细则", "计划",
];

/// Whether a statement carries a transmittal or closing cue.
pub(crate) fn has_cue(t: &str, extra: &[String]) -> bool {
    static CUE_MATCHER: std::sync::OnceLock<PhraseMatcher> = std::sync::OnceLock::new();
    let m = CUE_MATCHER.get_or_init(|| PhraseMatcher::new(CUES, Layout::Auto));
    m.is_match(t) || extra.iter().any(|c| t.contains(c.as_str()))
}

/// Whether a piece is the furniture of a web page copied with the
/// document's text, by its shape alone (no word list): too little Chinese
/// to state anything (a date and time, an index number, a file size); an
/// attachment's file name; a breadcrumb (`首页 > 政务公开 > …`); a bar of
/// short links or bracketed actions (`【打印】【关闭】`, `首页　政务公开　…`);
/// a line of `field：value` pairs (`发布时间：…　来源：…`, `责任单位：…`).
/// None of them ends a sentence or holds a comma.
pub(crate) fn is_page_furniture(t: &str) -> bool {
    if t.contains(['，', ',', '。', '；', ';']) {
        return false;
    }
    let n = t.chars().count();
    if t.chars().filter(|&c| crate::text::is_cjk(c)).count() < 4 {
        return true;
    }
    let lower = t
        .trim_end_matches(['）', ')', '】', ']'])
        .to_ascii_lowercase();
    if n <= 80
        && [
            ".doc", ".docx", ".pdf", ".xls", ".xlsx", ".wps", ".zip", ".rar", ".ofd",
        ]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return true;
    }
    if t.matches(['>', '＞', '»']).count() >= 2 {
        return true;
    }
    let spaced: String = t
        .chars()
        .map(|c| {
            if matches!(c, '【' | '】' | '[' | ']' | '|' | '｜') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let segments: Vec<&str> = spaced.split_whitespace().collect();
    if segments.len() >= 5 && segments.iter().all(|s| s.chars().count() <= 6) {
        return true;
    }
    // Field colons (not those of a time, `10:12`), and the label before
    // the first.
    let chars: Vec<char> = t.chars().collect();
    let colons: Vec<usize> = (0..chars.len())
        .filter(|&i| {
            chars[i] == '：'
                || chars[i] == ':'
                    && !(i > 0
                        && chars[i - 1].is_ascii_digit()
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        })
        .collect();
    match colons.as_slice() {
        [] => false,
        [at] => {
            let label = chars[..*at]
                .iter()
                .filter(|c| !c.is_whitespace() && !matches!(c, '【' | '】' | '[' | ']'))
                .count();
            (1..=6).contains(&label) && chars.len() - at <= 40
        }
        _ => n <= 100,
    }
}

/// Whether a prose piece is boilerplate.
pub(crate) fn is_boilerplate(piece: &str, extra: &[String]) -> bool {
    let t = piece.trim();
    if has_cue(t, extra) || is_page_furniture(t) {
        return true;
    }
    if t.contains("已经") && t.contains("同意") && t.chars().count() < 200 {
        return true;
    }
    let n = t.chars().count();
    // A notice's title (`…关于印发…的通知`), not a sentence that cites one.
    if n <= 80 && (t.contains("关于印发") || (t.contains("关于") && t.ends_with("的通知")))
    {
        return true;
    }
    let unpunctuated = !t.contains(['，', ',', '。', '；', ';']);
    // A date, a document number, a signature line or a title.
    if is_date_line(t) || (n <= 30 && t.contains('〔') && t.ends_with('号')) {
        return true;
    }
    if unpunctuated
        && n <= 30
        && ["人民政府", "办公厅", "办公室", "委员会"]
            .iter()
            .any(|s| t.ends_with(s))
    {
        return true;
    }
    if unpunctuated && n <= 40 && TITLE_WORDS.iter().any(|w| t.contains(w)) {
        return true;
    }
    // A fragment without any punctuation, such as a title wrapped over
    // two lines (`通辽市2017年政务公开`).
    if unpunctuated && !has_content_chars(t, 17) && !t.contains(['、', '：', ':']) {
        return true;
    }
    // An addressee line: `各旗县市区人民政府、…：`.
    if t.starts_with('各') && t.ends_with(['：', ':']) && n <= 80 {
        return true;
    }
    !has_content_chars(t, 1)
}

/// `2017年6月6日`, `2017 年 7 月 3 日`, `2017-05-02`.
pub(crate) fn is_date_line(t: &str) -> bool {
    // Every date line starts with its year's first digit.
    if !t.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = compact.trim_start_matches(|c: char| c.is_ascii_digit());
    let year_digits = compact.len() - rest.len();
    if year_digits != 4 {
        return false;
    }
    if let Some(r) = rest.strip_prefix('年') {
        let r = r.trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(r) = r.strip_prefix('月') else {
            return false;
        };
        let r = r.trim_start_matches(|c: char| c.is_ascii_digit());
        return r == "日";
    }
    let parts: Vec<&str> = compact.split('-').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the cells of a table row are a header row.
pub(crate) fn is_header_row(cells: &[&str]) -> bool {
    let filled: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let headers = filled.iter().filter(|c| HEADER_WORDS.contains(c)).count();
    headers >= 2 && headers * 2 >= filled.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boilerplate_lines() {
        let cases = [
            ("date", "2017 年 7 月 3 日", true),
            ("iso date", "2017-05-02", true),
            ("number", "通政办字〔2017〕157号", true),
            ("signature", "攀枝花市人民政府办公室", true),
            ("title", "攀枝花市 2017 年政务公开工作分工方案", true),
            (
                "addressee",
                "各旗县市区人民政府、开发区管委会,市政府各委办局:",
                true,
            ),
            (
                "transmittal",
                "经市人民政府同意,现将《方案》印发给你们,请结合实际,认真贯彻落实。",
                true,
            ),
            ("contact", "联系人:罗菁,联系电话:04758835542。", true),
            ("date and time", "2017-05-22 16:35", true),
            ("index number", "000014349/2017-00123", true),
            ("attachment", "附件：工作分工表.docx", true),
            ("breadcrumb", "首页 > 政务公开 > 政策文件", true),
            ("actions", "【打印本页】【关闭窗口】", true),
            (
                "link bar",
                "首页　机构概况　政务公开　办事服务　互动交流",
                true,
            ),
            (
                "page fields",
                "作者：办公室　来源：本站　发布时间：2017-06-30 10:12:45　阅读：52次",
                true,
            ),
            ("responsibility line", "责任单位：市发展改革委", true),
            (
                "statement with a colon",
                "主要任务：按季度公开财政收支情况，解读增减变化原因。",
                false,
            ),
            (
                "index number with spaced label",
                "索 引 号：002607838/2017-05411　　分　　类：综合政务",
                true,
            ),
            (
                "copyright",
                "版权所有：某市人民政府办公室　ICP备05046328号",
                true,
            ),
            (
                "requirement",
                "按月公开财政收支情况，解读财政收支增减变化情况及原因。",
                false,
            ),
            (
                "organisational ask",
                "各级政府办公厅(室)要切实承担起政务公开工作的组织协调责任。",
                false,
            ),
        ];
        for (name, input, expected) in cases {
            assert_eq!(is_boilerplate(input, &[]), expected, "case {name}: {input}");
        }
        assert!(is_header_row(&[
            "序号",
            "工作任务",
            "具体要求",
            "牵头落实单位",
            "完成时限",
            ""
        ]));
        assert!(!is_header_row(&[
            "1",
            "以政务公开助力稳增长",
            "加强预期引导",
            "市发展改革委",
            "全年工作"
        ]));
    }
}
