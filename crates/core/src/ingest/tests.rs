use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;
use crate::Taxonomy;
use crate::manifest::Manifest;

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds")
}

fn options() -> IngestOptions {
    static OPTS: std::sync::OnceLock<IngestOptions> = std::sync::OnceLock::new();
    OPTS.get_or_init(|| {
        IngestOptions::builder()
            .taxonomy_titles(&Taxonomy::national_2017())
            .build()
            .unwrap()
    })
    .clone()
}

fn seed(prefix: &str) -> RegionDocument {
    let manifest = Manifest::load(seeds_dir().join("regions.toml")).unwrap();
    let meta = manifest
        .documents
        .iter()
        .find(|d| d.file.starts_with(prefix))
        .unwrap()
        .clone();
    ingest_file(&manifest.path_of(&meta), meta, &options()).unwrap()
}

/// Spans are ordered, do not overlap, and leave only whitespace between
/// them; bodies and splices lie inside their item's span.
fn assert_tiles(text: &str, items: &[Item]) {
    let mut at = 0;
    for (i, it) in items.iter().enumerate() {
        assert_eq!(it.id, ItemId(i as u32));
        assert!(it.span.start >= at, "item {i} overlaps the previous one");
        assert!(
            text[at..it.span.start].trim().is_empty(),
            "gap before item {i} holds text: {:?}",
            &text[at..it.span.start]
        );
        assert!(
            it.span.end <= text.len() && it.span.start < it.span.end,
            "item {i} span {:?}",
            it.span
        );
        for r in it.body.iter().chain(it.splices.iter().map(|s| &s.span)) {
            assert!(
                it.span.start <= r.start && r.end <= it.span.end,
                "item {i}: {r:?} outside {:?}",
                it.span
            );
        }
        if let ItemKind::Duplicate { of } = it.kind {
            assert!(of.0 < it.id.0, "duplicate {i} points forward");
        }
        at = it.span.end;
    }
    assert!(text[at..].trim().is_empty(), "text after the last item");
}

#[test]
fn every_seed_tiles_losslessly() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let doc = seed(prefix);
        assert_tiles(&doc.text, &doc.items);
        assert!(
            doc.requirements().count() > 30,
            "{prefix}: {:?}",
            doc.kind_counts()
        );
    }
}

#[test]
fn panzhihua_rows_1_to_134_are_requirements() {
    let doc = seed("003");
    let rows: std::collections::BTreeSet<u32> = doc
        .items
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Requirement | ItemKind::Duplicate { .. }))
        .filter_map(|i| i.row)
        .collect();
    // Rows whose statement text the PDF conversion lost entirely: only a
    // number (40), or a number with units and deadline (42 is a shifted
    // 3.3 row whose text never appears; 123 has units only).
    let lost = [40, 42, 123];
    // Rows that open a task group: area, task name, units and deadline,
    // with the group's requirements in the rows after. They are headings.
    let task_rows = [105, 124];
    let missing: Vec<u32> = (1..=134)
        .filter(|r| !rows.contains(r) && !lost.contains(r) && !task_rows.contains(r))
        .collect();
    assert!(
        missing.is_empty(),
        "rows without a requirement item: {missing:?}"
    );
    for r in task_rows {
        let heading = doc
            .items
            .iter()
            .find(|i| i.row == Some(r) && i.kind == ItemKind::Heading);
        assert!(heading.is_some(), "row {r} is no heading item");
        // The group's next row sits under the task the heading row named.
        let next = doc.items.iter().find(|i| i.row == Some(r + 1));
        assert_eq!(
            next.map(|i| i.heading_path.len()),
            Some(2),
            "row {} has no area > task path",
            r + 1
        );
    }
    assert!(rows.iter().all(|&r| (1..=134).contains(&r)));
}

#[test]
fn tongliao_items_carry_headings_and_units() {
    let doc = seed("004");
    let stat = doc
        .requirements()
        .find(|i| {
            doc.raw(i)
                .contains("积极组织召开季度国民经济运行情况新闻发布会")
        })
        .unwrap();
    assert_eq!(
        stat.heading_path.last().map(String::as_str),
        Some("加强预期引导")
    );
    assert!(
        stat.heading_path
            .iter()
            .any(|h| h == "以政务公开助力稳增长"),
        "{:?}",
        stat.heading_path
    );
    assert_eq!(stat.units, vec!["统计局"]);
    let reform = doc
        .requirements()
        .find(|i| doc.raw(i).contains("大力推进“互联网+政务服务”"))
        .unwrap();
    assert_eq!(
        reform.heading_path.last().map(String::as_str),
        Some("推进“放管服”改革信息公开")
    );
    assert_eq!(reform.units, vec!["政务服务中心"]);
    // No item is longer than one paragraph (line).
    for it in &doc.items {
        assert!(!doc.raw(it).contains('\n'), "item {} spans lines", it.id);
    }
    assert!(
        doc.items
            .iter()
            .filter(|i| i.kind == ItemKind::Heading)
            .count()
            >= 29
    );
}

#[test]
fn repeated_paragraphs_are_duplicates() {
    for prefix in ["000", "001", "002"] {
        let doc = seed(prefix);
        let dups = doc.kind_counts()[3];
        assert!(dups >= 5, "{prefix}: only {dups} duplicates");
        for it in &doc.items {
            if let ItemKind::Duplicate { of } = it.kind {
                let first = &doc.items[of.0 as usize];
                assert!(matches!(
                    first.kind,
                    ItemKind::Requirement | ItemKind::Heading
                ));
            }
        }
    }
    // The audit sentence of 西藏 2017 appears twice; the second is a duplicate.
    let doc = seed("000");
    let audit: Vec<&Item> = doc
        .items
        .iter()
        .filter(|i| doc.raw(i).contains("做好重大政策措施落实情况跟踪审计"))
        .collect();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[1].kind, ItemKind::Duplicate { of: audit[0].id });
}

#[test]
fn boilerplate_is_recognized() {
    let doc = seed("004");
    for needle in [
        "通政办字〔2017〕157号",
        "联系人",
        "2017年6月6日",
        "印发给你们",
    ] {
        let it = doc
            .items
            .iter()
            .find(|i| doc.raw(i).contains(needle))
            .unwrap();
        assert_eq!(it.kind, ItemKind::Boilerplate, "{needle}");
    }
}

#[test]
fn gbk_and_utf16_copies_ingest_the_same() {
    let path = seeds_dir().join("004_6c8f8c4c595500ac.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let utf8 = ingest_text(text.clone(), DocumentMeta::for_file(&path), &options());
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, encoding) in [
        ("gbk.txt", gbk.into_owned(), "gb18030"),
        ("utf16.txt", utf16, "UTF-16LE"),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let doc = ingest_file(&p, DocumentMeta::for_file(&p), &options()).unwrap();
        assert_eq!(doc.encoding, encoding);
        assert_eq!(doc.text, utf8.text);
        assert_eq!(doc.items, utf8.items, "{name}");
    }
}

#[test]
fn file_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 3] = [
        ("empty.txt", b"", "is empty"),
        ("bin.txt", b"\x00\x01\x02", "looks binary"),
        ("bad.txt", b"ab\xff\xfe\xff", "cannot be decoded"),
    ];
    for (name, bytes, expected) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let err = ingest_file(&p, DocumentMeta::for_file(&p), &options())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(name) && err.contains(expected),
            "{name}: {err}"
        );
    }
    let p = dir.path().join("big.txt");
    std::fs::write(&p, "政务公开".repeat(100)).unwrap();
    let opts = IngestOptions::builder().max_bytes(100).build().unwrap();
    let err = ingest_file(&p, DocumentMeta::for_file(&p), &opts).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                size: 1200,
                limit: 100,
                ..
            }
        ),
        "{err:?}"
    );
    let missing = dir.path().join("missing.txt");
    let err = ingest_file(&missing, DocumentMeta::for_file(&missing), &opts)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.txt"), "{err}");
}

#[test]
fn labelled_statements_are_requirement_items() {
    // Every statement hand-labelled in testdata/labels lies in a
    // requirement (or duplicate) item, not in boilerplate or a heading.
    let labels = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/labels");
    let mut misses = Vec::new();
    let mut total = 0;
    for prefix in ["000", "001", "002", "003", "004"] {
        let doc = seed(prefix);
        let file = std::fs::read_dir(&labels)
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
            .unwrap();
        let t: toml::Value =
            toml::from_str(&std::fs::read_to_string(file.path()).unwrap()).unwrap();
        for l in t["label"].as_array().unwrap() {
            let snippet = l["snippet"].as_str().unwrap();
            let at = doc.text.find(snippet).unwrap();
            total += 1;
            let it = doc
                .items
                .iter()
                .find(|i| i.span.start <= at && at < i.span.end)
                .unwrap();
            if !matches!(it.kind, ItemKind::Requirement | ItemKind::Duplicate { .. }) {
                misses.push(format!("{prefix} {snippet} -> {}", it.kind.as_str()));
            }
        }
    }
    assert!(
        misses.len() * 20 <= total,
        "{} of {total} labelled statements are not requirements:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// Regression (fuzz, outline target, crash 4cba0ae2): the mixed-bracket
/// marker `（一)` also reaches ingestion's heading detection.
#[test]
fn regression_fuzz_mixed_bracket_marker() {
    for text in ["（一)", "（一)\n", "前言。（一)加强预期引导", "（1)"] {
        let doc = ingest_text(
            text.to_string(),
            DocumentMeta::for_file(Path::new("x.txt")),
            &options(),
        );
        assert_tiles(&doc.text, &doc.items);
    }
}

#[test]
fn a_heading_line_of_its_own_may_hold_a_comma() {
    let text = "一、强化组织领导，确保扎实推进\n各级各部门要加强对政务公开工作重要性的认识。\n\
        二、1.按月公开财政收支情况，解读增减变化原因。\n";
    let doc = ingest_text(
        text.to_string(),
        DocumentMeta::for_file(Path::new("h.txt")),
        &options(),
    );
    assert_tiles(&doc.text, &doc.items);
    assert_eq!(doc.items[0].kind, ItemKind::Heading);
    let req = doc
        .requirements()
        .find(|i| doc.raw(i).contains("认识"))
        .unwrap();
    assert_eq!(req.heading_path, ["强化组织领导，确保扎实推进"]);
    // A numbered sentence run into its line is no heading.
    assert!(
        doc.requirements()
            .any(|i| doc.raw(i).contains("按月公开财政收支情况"))
    );
}

#[test]
fn table_task_names_shifted_under_a_known_area_are_headings() {
    // A two-level task column (area, task) whose task name a row shifts
    // into the statement column, in a table of invented headings.
    let text = "序号\t工作任务\t具体要求\t牵头落实单位\t完成时限\n\
        1\t甲区域总体工作 乙项专门任务名称\t按季度公开本地区的各项统计调查数据和分析报告\t统计局\t全年\n\
        2\t甲区域总体工作\t丙项后续任务名称\t统计局\t全年\n\
        3\t\t每年组织开展一次面向社会公众的满意度调查并公开结果\t统计局\t全年\n\
        4\t甲区域总体工作\t及时回应社会公众关于统计数据的疑问，公开答复口径\t统计局\t全年\n\
        序号\t工作任务\t具体要求\t牵头落实单位\t完成时限\n\
        5\t丁项单层任务\t做好经济形势解读工作\t发展改革委\t全年\n";
    let doc = ingest_text(
        text.to_string(),
        DocumentMeta::for_file(Path::new("t.txt")),
        &options(),
    );
    assert_tiles(&doc.text, &doc.items);
    let row = |r: u32| doc.items.iter().find(|i| i.row == Some(r)).unwrap();
    // Row 2 names the task: a heading, and rows 3 and 4 sit under it
    // (row 4 repeats only the area: its task cell was merged).
    assert_eq!(row(2).kind, ItemKind::Heading);
    for r in [3, 4] {
        assert_eq!(row(r).kind, ItemKind::Requirement);
        assert_eq!(row(r).heading_path, ["甲区域总体工作", "丙项后续任务名称"]);
    }
    // Under a heading never seen above another, a short statement stays
    // a statement.
    assert_eq!(row(5).kind, ItemKind::Requirement);
    assert_eq!(row(5).heading_path, ["丁项单层任务"]);
}

proptest! {
    #[test]
    fn arbitrary_text_tiles(text in "(\\PC|[\\t\\n 。；，（）()一二三1.、])*") {
        let doc = ingest_text(text.clone(), DocumentMeta::for_file(Path::new("x.txt")), &options());
        assert_tiles(&doc.text, &doc.items);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(doc) = ingest_bytes(&bytes, DocumentMeta::for_file(Path::new("x.txt")), &options()) {
            assert_tiles(&doc.text, &doc.items);
        }
    }
}

/// Issue 12: a marked sentence followed straight by its next sibling (or
/// a shallower marker, a responsibility note, or nothing) is a numbered
/// point, not a heading; a marked phrase with a body under it is a
/// heading. Run together on one line or one per line alike.
#[test]
fn numbered_points_are_not_headings() {
    let cases = [
        (
            "run together",
            "（一）加强政策解读和数据公开。1.县财政局每月公布财政收支情况。2.县审计局公开审计结果。（二）推进减税降费。3.集中公开减税降费政策。",
            vec![
                ("加强政策解读和数据公开", ItemKind::Heading),
                ("县财政局每月公布", ItemKind::Requirement),
                ("县审计局公开审计结果", ItemKind::Requirement),
                ("推进减税降费", ItemKind::Heading),
                ("集中公开减税降费政策", ItemKind::Requirement),
            ],
        ),
        (
            "one per line",
            "(一)加强预期引导\n1.按月公开财政收支情况。\n2.公开重大政策措施落实情况跟踪审计结果。\n(二)推进减税降费\n3.做好审批结果公开。\n（市发改委牵头落实）\n",
            vec![
                ("加强预期引导", ItemKind::Heading),
                ("按月公开财政收支情况", ItemKind::Requirement),
                ("跟踪审计结果", ItemKind::Requirement),
                ("推进减税降费", ItemKind::Heading),
                ("做好审批结果公开", ItemKind::Requirement),
            ],
        ),
        (
            "a heading with a body",
            "1.加强网站建设。网站是政务公开的第一平台，要集约建设。\n",
            vec![
                ("加强网站建设", ItemKind::Heading),
                ("网站是政务公开的第一平台", ItemKind::Requirement),
            ],
        ),
    ];
    for (name, text, expected) in cases {
        let doc = ingest_text(
            text.to_string(),
            DocumentMeta::for_file(Path::new("t.txt")),
            &options(),
        );
        assert_tiles(&doc.text, &doc.items);
        for (needle, kind) in expected {
            let item = doc
                .items
                .iter()
                .find(|i| doc.text[i.span.clone()].contains(needle))
                .unwrap_or_else(|| panic!("case {name}: no item with {needle}"));
            assert_eq!(item.kind, kind, "case {name}: {needle}");
        }
        // Siblings stay siblings: no point is nested under another.
        for it in doc.items.iter().filter(|i| i.kind == ItemKind::Requirement) {
            assert!(
                it.heading_path.len() <= 1,
                "case {name}: {:?}",
                it.heading_path
            );
        }
    }
}
