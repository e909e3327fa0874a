use proptest::prelude::*;

use super::*;
use crate::error::{Error, TaxonomyProblem};

const TASKS: [(&str, &str); 23] = [
    ("1.1", "加强预期引导"),
    ("1.2", "推进减税、降费、降低要素成本信息公开"),
    ("1.3", "推进重大建设项目和公共资源配置信息公开"),
    ("1.4", "推进政府和社会资本合作（PPP）项目信息公开"),
    ("2.1", "推进“放管服”改革信息公开"),
    ("2.2", "推进国资国企改革信息公开"),
    ("2.3", "推进农业供给侧结构性改革信息公开"),
    ("2.4", "推进财税改革信息公开"),
    ("3.1", "推进发展新产业、培育新动能工作公开透明"),
    ("3.2", "推进化解过剩产能工作公开透明"),
    ("3.3", "推进消费升级和产品质量提升工作公开透明"),
    ("4.1", "推进扶贫脱贫和社会救助信息公开"),
    ("4.2", "推进环境保护信息公开"),
    ("4.3", "推进教育卫生领域信息公开"),
    ("4.4", "推进食品药品安全领域信息公开"),
    ("5.1", "围绕防范金融风险推进公开"),
    ("5.2", "围绕促进房地产市场平稳健康发展推进公开"),
    ("5.3", "围绕防范遏制重特大生产安全事故推进公开"),
    ("6.1", "全面落实“五公开”工作机制"),
    ("6.2", "进一步健全解读回应机制"),
    ("6.3", "加强政务公开平台建设"),
    ("6.4", "依法规范依申请公开工作"),
    ("6.5", "理顺管理体制、加强统筹指导（组织领导、考核、培训）"),
];

#[test]
fn national_2017_has_the_documented_structure() {
    let t = Taxonomy::national_2017();
    let c = t.counts();
    assert_eq!(c.areas, 6);
    assert_eq!(c.tasks, 23);
    assert!(
        (60..=110).contains(&c.requirements),
        "requirements: {}",
        c.requirements
    );
    let tasks: Vec<(String, String)> = t
        .tasks()
        .map(|n| (t.node(n).id.clone(), t.node(n).title.clone()))
        .collect();
    let expected: Vec<(String, String)> = TASKS
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(tasks, expected);
    for task in t.tasks() {
        assert!(
            !t.children(task).is_empty(),
            "task {} has no requirement",
            t.node(task).id
        );
    }
    for r in t.requirements() {
        let n = t.node(r);
        assert!(!n.seeds.is_empty(), "requirement {} lists no seed", n.id);
        assert!(!n.text.trim().is_empty());
    }
}

#[test]
fn audit_requirement_is_in_task_1_1_and_absent_from_tongliao() {
    let t = Taxonomy::national_2017();
    let audit = t
        .requirements_under(t.get("1.1").unwrap())
        .into_iter()
        .find(|&r| t.node(r).text.contains("跟踪审计"))
        .expect("audit requirement under 1.1");
    let seeds = &t.node(audit).seeds;
    for s in [
        "000_816b764d93487ac6.txt",
        "002_434dd7b64f93f40d.txt",
        "003_29682c494441ef65.txt",
    ] {
        assert!(
            seeds.iter().any(|x| x == s),
            "{s} supports the audit requirement"
        );
    }
    assert!(!seeds.iter().any(|x| x.starts_with("004")), "通辽 omits it");
}

#[test]
fn queries() {
    let t = Taxonomy::national_2017();
    let r = t.get("1.1.2").unwrap();
    let path: Vec<&str> = t
        .path(r)
        .into_iter()
        .map(|n| t.node(n).id.as_str())
        .collect();
    assert_eq!(path, ["1", "1.1", "1.1.2"]);
    assert_eq!(t.ancestors(r).last().copied(), Some(t.root()));
    assert_eq!(t.enclosing(r, NodeKind::Area), t.get("1"));
    let under_area: Vec<NodeId> = t.requirements_under(t.get("1").unwrap());
    let direct: usize = ["1.1", "1.2", "1.3", "1.4"]
        .iter()
        .map(|id| t.children(t.get(id).unwrap()).len())
        .sum();
    assert_eq!(under_area.len(), direct);
    assert_eq!(
        t.requirements_under(t.root()).len(),
        t.counts().requirements
    );
    // Document order: ids never go backwards within the pre-order.
    let ids: Vec<&str> = t.iter().map(|n| t.node(n).id.as_str()).collect();
    assert_eq!(ids[0], "1");
    assert_eq!(ids[1], "1.1");
    assert_eq!(ids[2], "1.1.1");
    assert!(t.to_dot().contains("\"1.1\" -> \"1.1.1\""));
    assert!(matches!(t.lookup("9.9"), Err(Error::UnknownId(_))));
}

#[test]
fn embedded_round_trips_through_toml_and_json() {
    let t = Taxonomy::national_2017();
    assert_eq!(Taxonomy::from_toml_str(&t.to_toml_string()).unwrap(), t);
    assert_eq!(Taxonomy::from_json_str(&t.to_json_string()).unwrap(), t);
}

const HEAD: &str = "[document]\nid = \"n\"\ntitle = \"t\"\nseeds = [\"a.txt\"]\n";

fn node(id: &str, kind: &str, extra: &str) -> String {
    format!(
        "[[node]]\nid = \"{id}\"\nkind = \"{kind}\"\ntitle = \"标题\"\ntext = \"文本\"\n{extra}\n"
    )
}

#[test]
fn validation_errors() {
    let ok = format!(
        "{HEAD}{}{}{}",
        node("1", "area", ""),
        node("1.1", "task", ""),
        node("1.1.1", "requirement", "")
    );
    assert!(Taxonomy::from_toml_str(&ok).is_ok());
    let cases: Vec<(&str, String, &str, TaxonomyProblem)> = vec![
        (
            "duplicate id",
            format!("{ok}{}", node("1.1", "task", "")),
            "1.1",
            TaxonomyProblem::DuplicateId,
        ),
        (
            "missing parent",
            format!("{ok}{}", node("2.1", "task", "")),
            "2.1",
            TaxonomyProblem::MissingParent("2".into()),
        ),
        (
            "requirement under area",
            format!("{ok}{}", node("1.2", "requirement", "")),
            "1.2",
            TaxonomyProblem::WrongLevel {
                kind: "requirement",
                expected: "task",
                found: "area",
            },
        ),
        (
            "empty text",
            format!(
                "{ok}[[node]]\nid = \"1.1.2\"\nkind = \"requirement\"\ntitle = \"x\"\ntext = \" \"\n"
            ),
            "1.1.2",
            TaxonomyProblem::Empty("text"),
        ),
        (
            "unknown seed",
            format!(
                "{ok}{}",
                node("1.1.2", "requirement", "seeds = [\"zzz.txt\"]")
            ),
            "1.1.2",
            TaxonomyProblem::UnknownSeed("zzz.txt".into()),
        ),
        (
            "cycle",
            format!(
                "{ok}{}[[edge]]\nfrom = \"1.1.1\"\nto = \"1.1.2\"\nkind = \"related\"\n[[edge]]\nfrom = \"1.1.2\"\nto = \"1.1.1\"\nkind = \"related\"\n",
                node("1.1.2", "requirement", "")
            ),
            "",
            TaxonomyProblem::Cycle,
        ),
        (
            "unknown edge target",
            format!("{ok}[[edge]]\nfrom = \"1.1.1\"\nto = \"7\"\nkind = \"related\"\n"),
            "1.1.1",
            TaxonomyProblem::UnknownEdgeTarget("7".into()),
        ),
        (
            "malformed id",
            format!("{ok}{}", node("1..2", "task", "")),
            "1..2",
            TaxonomyProblem::MalformedId,
        ),
    ];
    for (name, text, id, problem) in cases {
        match Taxonomy::from_toml_str(&text) {
            Err(Error::Taxonomy {
                id: got_id,
                problem: got,
                ..
            }) => {
                assert_eq!(got, problem, "case {name}");
                if !id.is_empty() {
                    assert_eq!(got_id, id, "case {name}");
                }
            }
            other => panic!("case {name}: expected a taxonomy error, got {other:?}"),
        }
    }
}

#[test]
fn load_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.toml");
    std::fs::write(
        &p,
        format!("{HEAD}[[node]]\nid = \"1\"\nkind = \"areaa\"\n"),
    )
    .unwrap();
    let err = Taxonomy::load(&p).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("bad.toml") && msg.contains("line 7"), "{msg}");
    std::fs::write(&p, format!("{HEAD}{}", node("1.1", "task", ""))).unwrap();
    let msg = Taxonomy::load(&p).unwrap_err().to_string();
    assert!(
        msg.contains("bad.toml") && msg.contains("`1.1`") && msg.contains("parent `1` is missing"),
        "{msg}"
    );
}

/// Metadata for taxonomies built from outline text in these tests.
fn outline_meta() -> TaxonomyMeta {
    TaxonomyMeta {
        id: "x".into(),
        title: "x".into(),
        issuer: None,
        number: None,
        date: None,
        seeds: vec![],
    }
}

#[test]
fn outline_builds_ids_from_headings() {
    let text = "国务院办公厅关于印发的通知\n前言不计。\n一、以政务公开助力稳增长\n（一）加强预期引导。围绕宏观政策深入解读。每季度召开发布会。\n（二）推进降费信息公开。公开收费目录清单。\n二、增强实效\n（一）健全解读回应机制。做好政策解读。\n";
    let meta = outline_meta();
    let t = Taxonomy::from_outline(text, meta.clone()).unwrap();
    let ids: Vec<(String, String)> = t
        .iter()
        .map(|n| (t.node(n).id.clone(), t.node(n).title.clone()))
        .collect();
    assert_eq!(ids[0], ("1".into(), "以政务公开助力稳增长".into()));
    assert_eq!(ids[1], ("1.1".into(), "加强预期引导".into()));
    assert_eq!(t.node(t.get("1.1.2").unwrap()).text, "每季度召开发布会。");
    assert_eq!(t.node(t.get("2.1.1").unwrap()).text, "做好政策解读。");
    assert_eq!(t.counts().requirements, 4);

    let cases = [
        ("no areas", "只有正文。\n", 1),
        ("empty task", "一、甲\n（一）乙\n（二）丙。做好工作。\n", 2),
    ];
    for (name, input, line) in cases {
        match Taxonomy::from_outline(input, meta.clone()) {
            Err(Error::Outline { line: got, .. }) => assert_eq!(got, line, "case {name}"),
            other => panic!("case {name}: expected an outline error, got {other:?}"),
        }
    }
}

fn arb_taxonomy() -> impl Strategy<Value = TaxonomyFile> {
    let text = "[\\p{Han}a-z][\\p{Han}a-z，。“”\"\\\\ ]{0,19}";
    let req = (text, proptest::collection::vec("[\\p{Han}]{1,6}", 0..3));
    let task = (text, proptest::collection::vec(req, 1..4));
    let area = (text, proptest::collection::vec(task, 1..4));
    proptest::collection::vec(area, 1..4).prop_map(|areas| {
        let mut node = Vec::new();
        for (a, (atitle, tasks)) in areas.into_iter().enumerate() {
            let aid = (a + 1).to_string();
            node.push(NodeRecord {
                id: aid.clone(),
                kind: NodeKind::Area,
                parent: None,
                title: atitle,
                text: String::new(),
                keywords: vec![],
                seeds: vec![],
            });
            for (t, (ttitle, reqs)) in tasks.into_iter().enumerate() {
                let tid = format!("{aid}.{}", t + 1);
                node.push(NodeRecord {
                    id: tid.clone(),
                    kind: NodeKind::Task,
                    parent: None,
                    title: ttitle,
                    text: String::new(),
                    keywords: vec![],
                    seeds: vec![],
                });
                for (r, (rtext, keywords)) in reqs.into_iter().enumerate() {
                    node.push(NodeRecord {
                        id: format!("{tid}.{}", r + 1),
                        kind: NodeKind::Requirement,
                        parent: None,
                        title: rtext.chars().take(4).collect(),
                        text: rtext,
                        keywords,
                        seeds: vec!["s.txt".into()],
                    });
                }
            }
        }
        let edge = vec![EdgeRecord {
            from: "1.1.1".into(),
            to: "1.1".into(),
            kind: EdgeKind::Related,
        }];
        TaxonomyFile {
            document: TaxonomyMeta {
                id: "doc".into(),
                title: "题".into(),
                issuer: None,
                number: None,
                date: None,
                seeds: vec!["s.txt".into()],
            },
            node,
            edge,
        }
    })
}

proptest! {
    #[test]
    fn serde_round_trip(file in arb_taxonomy()) {
        let t = Taxonomy::from_file(file.clone()).unwrap();
        prop_assert_eq!(&t.to_file(), &file);
        prop_assert_eq!(&Taxonomy::from_toml_str(&t.to_toml_string()).unwrap(), &t);
        prop_assert_eq!(&Taxonomy::from_json_str(&t.to_json_string()).unwrap(), &t);
    }

    #[test]
    fn outline_never_panics(text in "\\PC{0,300}") {
        let meta = outline_meta();
        let _ = Taxonomy::from_outline(&text, meta);
    }
}

/// Regression (fuzz, outline target, crash 4cba0ae2): a task marker
/// `（一)` with mixed brackets at the end of a line made the parser slice
/// past the line.
#[test]
fn regression_fuzz_outline_mixed_bracket_marker() {
    let text = "一、以政务公开助力稳增长\n（一)\n（一)加强预期引导。围绕宏观政策深入解读。\n";
    let meta = outline_meta();
    let _ = Taxonomy::from_outline(text, meta.clone());
    let crash = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/regressions/outline-crash-4cba0ae2.bin"
    ))
    .unwrap();
    let _ = Taxonomy::from_outline(&String::from_utf8_lossy(&crash), meta);
}

/// Issue 21: the tables write ids with their level's letter (`A1`,
/// `T1.10`, `R1.1.2`), and both forms name the node; a letter that is not
/// the node's level names nothing.
#[test]
fn table_ids_carry_the_level_letter_and_read_back() {
    let t = Taxonomy::national_2017();
    for n in t.iter() {
        let node = t.node(n);
        let written = t.table_id(&node.id).unwrap();
        assert_eq!(t.get_any(&written), Some(n), "{written}");
        assert_eq!(t.get_any(&node.id), Some(n), "{}", node.id);
        assert!(
            written.parse::<f64>().is_err(),
            "{written} reads as a number"
        );
    }
    assert_eq!(t.table_id("1"), Some("A1".into()));
    assert_eq!(t.table_id("1.1"), Some("T1.1".into()));
    assert_eq!(t.table_id("1.1.2"), Some("R1.1.2".into()));
    assert_eq!(t.table_id("9.9"), None);
    for wrong in ["T1.1.2", "R1.1", "A1.1", "X1.1", "", "T"] {
        assert_eq!(t.get_any(wrong), None, "{wrong}");
    }
}
