//! The word lists the analyses read, in one place, each with where it
//! came from (DESIGN.md, "Beyond coverage", repeats them). None was
//! chosen by looking at the documents it scores: they were written from
//! the grammar of Chinese administrative drafting before the profile
//! code first ran on the seeds. A leaf: imports nothing of the crate.

/// Words of obligation (the statement binds): the modal verbs of Chinese
/// legislative and administrative drafting. 应当 and 必须 (obligation),
/// 不得 and 禁止 (prohibition) as 《立法技术规范（试行）（一）》 (the NPC
/// Standing Committee's Legislative Affairs Commission, 2009) defines
/// them, with their variants (应该, 应予, 须, 严禁, 一律); 要 and 务必, the
/// directive verbs of Party and government documents (the issue's
/// example 应当/要/必须).
pub const MUST: &[&str] = &[
    "必须", "应当", "应该", "应予", "务必", "不得", "严禁", "禁止", "一律", "须", "要",
];

/// Words that encourage rather than bind: the hortatory vocabulary of
/// Chinese policy documents (the examples 鼓励 and 积极, their
/// near synonyms 提倡, 倡导, and the hedges that leave timing or scope to
/// the implementer: 力争, 争取, 探索, 逐步, 原则上, 有条件的, 适时, 尽量,
/// 尽可能, 视情).
pub const ENCOURAGED: &[&str] = &[
    "鼓励",
    "积极",
    "提倡",
    "倡导",
    "力争",
    "争取",
    "探索",
    "逐步",
    "原则上",
    "有条件的",
    "适时",
    "尽量",
    "尽可能",
    "视情",
];

/// Words that permit: 可以 (permission, 《立法技术规范》 as above) and
/// 酌情 (at discretion).
pub const MAY: &[&str] = &["可以", "酌情"];

/// Longer words that hold an obligation word in another sense, so it is
/// not read there: 要 in 重要 (important), 要求 (requirement), 需要
/// (need) …; 须 in 须知 (notice); 积极 as the adjective of 积极的财政政策
/// (expansionary fiscal policy) and of 积极性 (enthusiasm). Lexical
/// compounds of the dictionary, listed with the words above.
pub const NOT_OBLIGATION: &[&str] = &[
    "重要",
    "主要",
    "要求",
    "要点",
    "需要",
    "必要",
    "要素",
    "摘要",
    "纲要",
    "要闻",
    "只要",
    "要件",
    "要害",
    "首要",
    "紧要",
    "简要",
    "要务",
    "要情",
    "要案",
    "提要",
    "要领",
    "扼要",
    "须知",
    "积极性",
    "积极的",
    "积极财政",
    "积极就业",
];

/// Measure words (量词) and units after an Arabic number that make it a
/// quantity: the classifiers of counted things and the units of time,
/// money, length, area and weight of Modern Standard Chinese, longest
/// first where one extends another (个工作日 before 个). 月 is not one:
/// after a bare number it names a month (7月), a date.
pub const UNITS: &[&str] = &[
    "个工作日",
    "个百分点",
    "个小时",
    "个月",
    "工作日",
    "百分点",
    "小时",
    "分钟",
    "平方米",
    "平方公里",
    "公里",
    "千米",
    "万元",
    "亿元",
    "季度",
    "个",
    "项",
    "次",
    "件",
    "条",
    "家",
    "所",
    "名",
    "人",
    "户",
    "批",
    "篇",
    "场",
    "期",
    "部",
    "套",
    "份",
    "类",
    "处",
    "座",
    "台",
    "张",
    "本",
    "位",
    "支",
    "轮",
    "遍",
    "倍",
    "万",
    "亿",
    "元",
    "米",
    "亩",
    "吨",
    "岁",
    "分",
    "天",
    "日",
    "周",
    "年",
];

/// The units a Chinese numeral (一, 两, 三 …) must precede to be a
/// quantity. Narrower than [`UNITS`]: a numeral before 个 alone is more
/// often a slogan (两个责任, 四个意识) than a count, and one before 年 or
/// 日 a name; the classifiers of counted events and things, and the
/// units of time with their own classifier, remain.
pub const NUMERAL_UNITS: &[&str] = &[
    "个工作日",
    "个百分点",
    "个小时",
    "个月",
    "工作日",
    "百分点",
    "小时",
    "分钟",
    "季度",
    "项",
    "次",
    "件",
    "条",
    "家",
    "批",
    "篇",
    "场",
    "名",
    "倍",
    "天",
    "周",
    "年内",
    "日内",
];

/// Chinese numerals.
pub const NUMERALS: &[char] = &[
    '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '两', '半', '〇', '零',
];

/// Periods after 每 (every) or 按 (by) that state a frequency: the
/// calendar units and their compounds, longest first.
pub const PERIODS: &[&str] = &[
    "个工作日",
    "个季度",
    "个月",
    "半年",
    "季度",
    "年度",
    "月度",
    "星期",
    "工作日",
    "年",
    "季",
    "月",
    "周",
    "旬",
    "日",
    "天",
];

/// Characters a deadline holds when it names a time: a calendar unit
/// (年 year, 月 month, 日/天 day, 季 quarter, 周 week, 旬 ten days). A
/// deadline phrase without one (及时发布, 持续推进, 长期坚持) names a
/// manner, not a time.
pub const TIME_UNITS: &[char] = &['年', '月', '日', '天', '季', '周', '旬'];
