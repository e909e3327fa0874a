//! A deterministic synthetic corpus at any scale, with ground truth.
//!
//! Documents are made from a taxonomy's requirements with the damage
//! patterns of the seeds: requirements copied with regional words,
//! reworded (clauses dropped or reordered, filler words), merged, split
//! into clauses, omitted, spliced with unit names and row numbers,
//! repeated, and interleaved with local extensions drawn from a pool of
//! topics no national task covers. Each statement line records its
//! expected task (or extension), so accuracy at scale is measurable.

use std::ops::Range;

use luoshi_core::taxonomy::{NodeKind, Taxonomy};

/// A small, fast, seeded generator (SplitMix64): the same seed gives the
/// same corpus on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator with the given seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// A random element.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// Shuffles `v` (Fisher–Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

/// Rates of each damage pattern.
#[derive(Debug, Clone)]
pub struct SynthConfig {
    /// The seed.
    pub seed: u64,
    /// Statements per document (a regional document has about 150).
    pub items_per_doc: usize,
    /// Share of statements that are local extensions.
    pub extension_rate: f64,
    /// Share reworded (clauses dropped, reordered, filler added).
    pub reword_rate: f64,
    /// Share merged with a second requirement of the same task.
    pub merge_rate: f64,
    /// Share split into their clauses, one statement each.
    pub split_rate: f64,
    /// Share with a unit name or row number spliced in.
    pub splice_rate: f64,
    /// Share of lines repeated later in the document.
    pub repeat_rate: f64,
    /// Share of lines preceded by the national task's heading.
    pub heading_rate: f64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            seed: 2017,
            items_per_doc: 150,
            extension_rate: 0.1,
            reword_rate: 0.4,
            merge_rate: 0.1,
            split_rate: 0.1,
            splice_rate: 0.2,
            repeat_rate: 0.05,
            heading_rate: 0.15,
        }
    }
}

/// One labelled statement of a synthetic document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    /// Byte range of the statement's line in the document text.
    pub span: Range<usize>,
    /// The expected task id, or None for a local extension.
    pub task: Option<String>,
}

/// A synthetic regional document.
#[derive(Debug, Clone)]
pub struct SynthDoc {
    /// Its name (`synthetic-000042`).
    pub name: String,
    /// The region it pretends to be (`甲3市`).
    pub region: String,
    /// Its text.
    pub text: String,
    /// The labelled statements, in order (repeats are not labelled).
    pub truth: Vec<Truth>,
}

const REGION_STEMS: &[&str] = &[
    "东川", "西岭", "南湖", "北原", "青山", "白水", "红岩", "金沙", "玉溪", "长宁", "平安", "永和",
];
const UNITS: &[&str] = &[
    "市发展改革委",
    "市财政局",
    "市统计局",
    "人力资源社会保障局",
    "市国资委",
    "市环保局",
    "市审计局",
    "市政府办公室",
];
const FILLERS: &[&str] = &["进一步", "切实", "认真", "积极", "扎实", "全面"];
const EXT_VERBS: &[&str] = &["加强", "推进", "做好", "规范", "完善"];
const EXT_TOPICS: &[&str] = &[
    "旅游市场秩序",
    "公共交通线路",
    "养老服务机构",
    "体育赛事活动",
    "文物保护单位",
    "群众文化活动",
    "殡葬服务管理",
    "气象灾害预警",
    "地名标志设置",
    "人防工程建设",
    "城市绿化养护",
    "菜篮子工程",
    "停车泊位管理",
    "婚姻登记服务",
    "老年大学办学",
];
const EXT_ACTS: &[&str] = &[
    "每月公示投诉处理情况",
    "定期发布运营服务信息",
    "及时通报检查评比结果",
    "每季度公布服务质量排名",
];

/// Regional words that replace the national ones.
fn regionalize(text: &str, region: &str) -> String {
    text.replace("国务院有关部门", "市政府有关部门")
        .replace("全国", "全市")
        .replace("我国", "我市")
        .replace("各省（区、市）", region)
}

fn clauses(text: &str) -> Vec<String> {
    text.trim_end_matches(['。', '；'])
        .split(['，', '；'])
        .map(str::trim)
        .filter(|c| c.chars().count() >= 4)
        .map(str::to_string)
        .collect()
}

struct Req {
    task: String,
    task_title: String,
    text: String,
}

/// Generates documents holding about `items` statements in all.
pub fn generate(taxonomy: &Taxonomy, items: usize, cfg: &SynthConfig) -> Vec<SynthDoc> {
    let reqs: Vec<Req> = taxonomy
        .requirements()
        .map(|r| {
            let task = taxonomy.enclosing(r, NodeKind::Task).unwrap_or(r);
            Req {
                task: taxonomy.node(task).id.clone(),
                task_title: taxonomy.node(task).title.clone(),
                text: taxonomy.node(r).text.clone(),
            }
        })
        .collect();
    let mut rng = Rng::new(cfg.seed);
    let per_doc = cfg.items_per_doc.max(1);
    let n_docs = items.div_ceil(per_doc);
    (0..n_docs)
        .map(|d| {
            let count = per_doc.min(items - d * per_doc);
            let region = format!("{}{}市", rng.pick(REGION_STEMS), d % 97);
            document(&reqs, &mut rng, cfg, d, region, count)
        })
        .collect()
}

fn document(
    reqs: &[Req],
    rng: &mut Rng,
    cfg: &SynthConfig,
    d: usize,
    region: String,
    count: usize,
) -> SynthDoc {
    let mut text = format!(
        "{region}人民政府办公室关于印发{region}政务公开工作要点实施方案的通知\n各县（区）人民政府，市级各部门：\n"
    );
    let mut truth = Vec::new();
    let mut lines: Vec<(String, Option<String>)> = Vec::new();
    let mut made = 0;
    while made < count {
        if rng.chance(cfg.extension_rate) || reqs.is_empty() {
            let s = format!(
                "{}{}，{}。",
                rng.pick(EXT_VERBS),
                rng.pick(EXT_TOPICS),
                rng.pick(EXT_ACTS)
            );
            lines.push((s, None));
            made += 1;
            continue;
        }
        let r = &reqs[rng.below(reqs.len())];
        let mut s = regionalize(&r.text, &region);
        if rng.chance(cfg.split_rate) {
            let parts = clauses(&s);
            if parts.len() >= 2 {
                for p in parts.into_iter().take(count - made) {
                    lines.push((format!("{p}。"), Some(r.task.clone())));
                    made += 1;
                }
                continue;
            }
        }
        if rng.chance(cfg.reword_rate) {
            let mut parts = clauses(&s);
            if parts.len() >= 3 {
                parts.remove(rng.below(parts.len()));
            }
            if parts.len() >= 2 && rng.chance(0.5) {
                parts.swap(0, 1);
            }
            if let Some(first) = parts.first_mut() {
                *first = format!("{}{first}", rng.pick(FILLERS));
            }
            s = format!("{}。", parts.join("，"));
        }
        if rng.chance(cfg.merge_rate) {
            let same: Vec<&Req> = reqs
                .iter()
                .filter(|o| o.task == r.task && o.text != r.text)
                .collect();
            if !same.is_empty() {
                let other = same[rng.below(same.len())];
                s = format!(
                    "{}，{}",
                    s.trim_end_matches('。'),
                    regionalize(&other.text, &region)
                );
            }
        }
        if rng.chance(cfg.splice_rate) {
            let chars: Vec<char> = s.chars().collect();
            let at = rng.below(chars.len().max(1));
            let insert = if rng.chance(0.5) {
                rng.pick(UNITS).to_string()
            } else {
                format!("{}", rng.below(40) + 1)
            };
            s = chars[..at].iter().collect::<String>()
                + &insert
                + &chars[at..].iter().collect::<String>();
        }
        if rng.chance(cfg.heading_rate) {
            lines.push((
                format!(
                    "（{}）{}",
                    ["一", "二", "三", "四", "五", "六"][rng.below(6)],
                    r.task_title
                ),
                Some(String::new()),
            ));
        }
        lines.push((s, Some(r.task.clone())));
        made += 1;
    }
    let mut repeats = Vec::new();
    for (line, task) in &lines {
        let start = text.len();
        text.push_str(line);
        let end = text.len();
        text.push('\n');
        match task {
            Some(t) if t.is_empty() => {} // a heading line
            _ => truth.push(Truth {
                span: start..end,
                task: task.clone(),
            }),
        }
        if rng.chance(cfg.repeat_rate) {
            repeats.push(line.clone());
        }
        if !repeats.is_empty() && rng.chance(0.3) {
            text.push_str(&repeats.remove(0));
            text.push('\n');
        }
    }
    text.push_str(&format!("{region}人民政府办公室\n2017年6月6日\n"));
    SynthDoc {
        name: format!("synthetic-{d:06}"),
        region,
        text,
        truth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_sized() {
        let t = Taxonomy::national_2017();
        let cfg = SynthConfig::default();
        let a = generate(&t, 1000, &cfg);
        let b = generate(&t, 1000, &cfg);
        assert_eq!(a.len(), 7);
        assert_eq!(
            a.iter().map(|d| d.text.clone()).collect::<Vec<_>>(),
            b.iter().map(|d| d.text.clone()).collect::<Vec<_>>()
        );
        let labelled: usize = a.iter().map(|d| d.truth.len()).sum();
        assert!((1000..1100).contains(&labelled), "{labelled}");
        let ext = a
            .iter()
            .flat_map(|d| &d.truth)
            .filter(|t| t.task.is_none())
            .count();
        assert!(ext > 50 && ext < 200, "{ext}");
        for d in &a {
            for t in &d.truth {
                assert!(d.text.is_char_boundary(t.span.start) && t.span.end <= d.text.len());
            }
        }
    }
}
