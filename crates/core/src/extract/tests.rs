//! Extraction: format sniffing, encodings, HTML, DOCX and PDF on the
//! fixtures of testdata/formats (made by make_fixtures.py).

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;
use crate::decode::decode;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/formats")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn seed(stem: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../seeds/{stem}.txt")),
    )
    .unwrap()
}

/// Whitespace runs collapsed, as a paragraph's text compares across
/// formats.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every non-empty line of the seed is a line of the extracted text
/// (whitespace collapsed, tab-separated rows compared cell by cell).
fn seed_lines_kept(stem: &str, ex: &Extracted) {
    let lines: std::collections::HashSet<String> = ex
        .text
        .lines()
        .map(|l| l.split('\t').map(squash).collect::<Vec<_>>().join("\t"))
        .collect();
    for line in seed(stem).lines().filter(|l| !l.trim().is_empty()) {
        let mut cells: Vec<String> = line.split('\t').map(squash).collect();
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        let want = cells.join("\t");
        assert!(lines.contains(&want), "{stem}: line missing: {want}");
    }
}

#[test]
fn sniffs_by_content() {
    let cases: [(&[u8], Option<Format>); 10] = [
        (b"%PDF-1.7\n...", Some(Format::Pdf)),
        (b"PK\x03\x04rest", Some(Format::Docx)),
        (
            b"\n  <!DOCTYPE html><html><body><p>x</p></body></html>",
            Some(Format::Html),
        ),
        (b"\xEF\xBB\xBF<meta charset=gbk><p>x", Some(Format::Html)),
        ("政务公开 <p> 不是网页".as_bytes(), Some(Format::Text)),
        (b"<not a page>", Some(Format::Text)),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1....", None),
        (b"{\\rtf1\\ansi", None),
        (b"\x89PNG\r\n\x1a\n....", None),
        (b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/vnd.oasis", None),
    ];
    for (bytes, want) in cases {
        match (sniff(bytes), want) {
            (Ok(f), Some(w)) => assert_eq!(f, w, "{:?}", String::from_utf8_lossy(bytes)),
            (Err(Error::UnsupportedFormat { format, hint, .. }), None) => {
                assert!(!format.is_empty() && !hint.is_empty())
            }
            (got, _) => panic!("{:?}: {got:?}", String::from_utf8_lossy(bytes)),
        }
    }
}

#[test]
fn big5_and_big5_hkscs_are_decoded_as_big5() {
    for (name, sample) in [
        ("big5.txt", "各級政府要堅持以公開為常態"),
        ("big5hkscs.txt", "市民查詢嘅嘢，部門啱啱已經回覆"),
    ] {
        let d = decode(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.encoding, "Big5", "{name}");
        assert!(d.text.contains(sample), "{name}: {}", d.text);
        assert!(d.warnings.is_empty(), "{name}: {:?}", d.warnings);
    }
    // The same bytes read as GB18030 (what luoshi did before) are valid
    // but implausible: most of their ideographs are rare.
    let bytes = read("big5.txt");
    let (as_gb, _, bad) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad);
    assert!(crate::decode::plausibility(&as_gb).is_implausible());
}

#[test]
fn gbk_stays_gbk() {
    let text = seed("004_6c8f8c4c595500ac");
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    let d = decode(&bytes).unwrap();
    assert_eq!((d.encoding, d.text == text), ("gb18030", true));
}

#[test]
fn utf16_without_bom_is_detected() {
    let text: String = seed("000_816b764d93487ac6").chars().take(600).collect();
    for (name, enc) in [
        ("utf16le_nobom.txt", "UTF-16LE"),
        ("utf16be_nobom.txt", "UTF-16BE"),
    ] {
        let d = decode(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((d.encoding, d.bom), (enc, false), "{name}");
        assert_eq!(d.text, text, "{name}");
    }
    // Pure ideographs (no ASCII, so no NUL bytes) are found too.
    let pure = "政务公开工作要点推进决策执行管理服务结果公开";
    let mut le = Vec::new();
    for u in pure.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
    }
    let d = decode(&le).unwrap();
    assert_eq!((d.encoding, d.text.as_str()), ("UTF-16LE", pure));
    // Shaped like UTF-16 (NULs on one side) but broken: refused with a hint.
    let mut broken = Vec::new();
    for u in "abc政务公开def".encode_utf16() {
        broken.extend_from_slice(&u.to_le_bytes());
    }
    broken.extend_from_slice(&[0x00, 0xDC, b'x', 0]);
    let err = decode(&broken).unwrap_err();
    assert!(matches!(err, Error::Utf16WithoutBom { .. }), "{err:?}");
    assert!(
        err.to_string().contains("without a byte-order mark"),
        "{err}"
    );
}

#[test]
fn wrong_encodings_are_refused_or_flagged() {
    // Japanese in Shift_JIS: valid GB18030 bytes, implausible text.
    let err = decode(&read("shift_jis.txt")).unwrap_err();
    assert!(
        matches!(err, Error::Implausible { .. } | Error::Undecodable { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("expected UTF-8"), "{err}");
    // Rare ideographs only (CJK extension A) in GB18030: refused by name.
    let rare: String = (0x3400u32..0x3440).filter_map(char::from_u32).collect();
    let (bytes, _, _) = encoding_rs::GB18030.encode(&rare);
    match decode(&bytes) {
        Err(Error::Implausible {
            encoding,
            rare_percent,
            judged,
            ..
        }) => {
            assert_eq!((encoding, rare_percent, judged), ("gb18030", 100, 64));
        }
        other => panic!("{other:?}"),
    }
    // Mojibake saved as UTF-8 (UTF-8 bytes read as GBK, then re-saved):
    // valid UTF-8, so read, but flagged.
    let text = seed("004_6c8f8c4c595500ac");
    let (mojibake, _, _) = encoding_rs::GBK.decode(text.as_bytes());
    let d = decode(mojibake.as_bytes()).unwrap();
    assert_eq!(d.encoding, "UTF-8");
    assert!(
        d.warnings.iter().any(|w| w.contains("implausible")),
        "{:?}",
        d.warnings
    );
    // The seeds themselves are plausible.
    for stem in ["000_816b764d93487ac6", "003_29682c494441ef65"] {
        let p = crate::decode::plausibility(&seed(stem));
        assert!(p.is_judged() && !p.is_implausible(), "{stem}: {p:?}");
    }
}

#[test]
fn html_page_in_gbk_with_site_chrome() {
    let stem = "004_6c8f8c4c595500ac";
    let ex = extract(&read(&format!("html/{stem}.html"))).unwrap();
    assert_eq!((ex.format, ex.encoding), (Format::Html, "GBK"));
    assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);
    seed_lines_kept(stem, &ex);
    for chrome in [
        "打印本页",
        "关闭窗口",
        "分享到",
        "浏览次数",
        "当前位置",
        "互动交流",
        "走进",
        "网站标识码",
        "ICP",
        "setFont",
        "搜索",
        "门户网站</title>",
        "相关文件\n关于做好",
    ] {
        assert!(!ex.text.contains(chrome), "kept `{chrome}`");
    }
    assert!(ex.blocks.iter().any(|b| b.kind == BlockKind::Heading));
}

#[test]
fn html_tables_charsets_and_breaks() {
    let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>\
        <h2>一、工作任务</h2><p>加强政策\n解读，回应 社会关切<br>第二行 2017 年</p>\
        <table><tr><th>序号</th><th>任务</th><th>责任单位</th></tr>\
        <tr><td>1</td><td colspan=\"2\">推进<p>决策公开</p></td></tr>\
        <tr><td>2</td><td>推进执行公开</td><td>市政府办公厅</td></tr></table>\
        <ul><li><a href=\"/\">首页</a></li><li><a href=\"/a\">机构</a></li></ul></body></html>";
    // Declared gb2312 but saved as UTF-8: the declaration is set aside.
    let ex = extract(page.as_bytes()).unwrap();
    assert_eq!(ex.encoding, "UTF-8");
    assert!(
        ex.warnings.iter().any(|w| w.contains("gb2312")),
        "{:?}",
        ex.warnings
    );
    assert_eq!(
        ex.text,
        "一、工作任务\n加强政策解读，回应 社会关切\n第二行 2017 年\n序号\t任务\t责任单位\n1\t推进决策公开\n2\t推进执行公开\t市政府办公厅\n"
    );
    let kinds: Vec<BlockKind> = ex.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [
            BlockKind::Heading,
            BlockKind::Paragraph,
            BlockKind::Paragraph,
            BlockKind::Row,
            BlockKind::Row,
            BlockKind::Row
        ]
    );
    let row = &ex.blocks[4];
    let cells: Vec<&str> = row.cells.iter().map(|c| &ex.text[c.clone()]).collect();
    assert_eq!(cells, ["1", "推进决策公开"]);
    // The same page really in GBK reads the same.
    let (gbk, _, _) = encoding_rs::GBK.encode(page);
    let ex2 = extract(&gbk).unwrap();
    assert_eq!((ex2.encoding, ex2.text.as_str()), ("GBK", ex.text.as_str()));
}

#[test]
fn docx_seed_and_numbering() {
    let stem = "003_29682c494441ef65";
    let ex = extract(&read(&format!("docx/{stem}.docx"))).unwrap();
    assert_eq!(ex.format, Format::Docx);
    seed_lines_kept(stem, &ex);
    let ex = extract(&read("numbered.docx")).unwrap();
    let lines: Vec<&str> = ex.text.lines().collect();
    assert_eq!(
        lines,
        [
            "一、加强政务公开组织领导",
            "1.各级政府要明确分管负责同志，统筹推进政务公开工作。",
            "2.健全政务公开领导机制，完善考核评估办法。",
            "3.加强业务培训，提高工作人员能力水平。"
        ]
    );
    assert_eq!(ex.blocks[0].kind, BlockKind::Heading);
    assert_eq!(ex.blocks[1].kind, BlockKind::Paragraph);
}

#[test]
fn docx_number_formats() {
    use super::docx::format_number;
    let cases = [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCountingThousand", "二十"),
        (105, "chineseCounting", "一百零五"),
        (3, "ideographTraditional", "丙"),
        (2, "decimalEnclosedCircle", "②"),
        (28, "lowerLetter", "bb"),
        (14, "upperRoman", "XIV"),
        (7, "decimal", "7"),
        (-3, "decimalFullWidth", "-３"),
        (-3, "chineseCounting", "-3"),
        (0, "upperLetter", "0"),
        (i64::MAX, "upperRoman", &i64::MAX.to_string()),
    ];
    for (n, fmt, want) in cases {
        assert_eq!(format_number(n, fmt), want, "{n} {fmt}");
    }
}

/// Expected cells of the five-column table fixture.
fn table5_cells() -> Vec<String> {
    let json = std::fs::read_to_string(fixture("table5.json")).unwrap();
    let rows: Vec<Vec<String>> = serde_json::from_str(&json).unwrap();
    rows.into_iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .collect()
}

/// Cells whose text is not contiguous in any one line of `text`
/// (whitespace ignored).
fn interleaved(text: &str, cells: &[String]) -> usize {
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    cells
        .iter()
        .filter(|c| !lines.iter().any(|l| l.contains(c.as_str())))
        .count()
}

#[test]
fn five_column_table_never_interleaves() {
    let cells = table5_cells();
    for name in ["table5.pdf", "table5_lines.pdf"] {
        let ex = extract(&read(name)).unwrap();
        assert_eq!((ex.format, ex.pages), (Format::Pdf, Some(1)), "{name}");
        assert_eq!(interleaved(&ex.text, &cells), 0, "{name}:\n{}", ex.text);
        // Every cell is one cell of a row.
        let rows: Vec<&Block> = ex
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Row)
            .collect();
        assert_eq!(rows.len(), 5, "{name}:\n{}", ex.text);
        for cell in &cells {
            assert!(
                rows.iter()
                    .any(|r| r.cells.iter().any(|c| &ex.text[c.clone()] == cell)),
                "{name}: cell `{cell}` not a cell"
            );
        }
        // Under a merged 目标 cell, the column stays (empty).
        let third = &rows[2];
        assert_eq!(&ex.text[third.cells[0].clone()], "", "{name}");
        assert_eq!(&ex.text[third.cells[1].clone()], "2", "{name}");
        assert!(ex.blocks.iter().all(|b| b.page == Some(1)));
    }
    // The plain reading of lopdf, in content-stream order, does
    // interleave the table written line by line.
    let doc = lopdf::Document::load_mem(&read("table5_lines.pdf")).unwrap();
    let naive = doc.extract_text(&[1]).unwrap();
    assert!(interleaved(&naive, &cells) > 0, "{naive}");
}

#[test]
fn two_column_page_is_read_column_by_column() {
    let json = std::fs::read_to_string(fixture("two_columns.json")).unwrap();
    let columns: Vec<Vec<String>> = serde_json::from_str(&json).unwrap();
    let ex = extract(&read("two_columns.pdf")).unwrap();
    let lines: Vec<&str> = ex.text.lines().collect();
    let want: Vec<&str> = columns.iter().flatten().map(String::as_str).collect();
    assert_eq!(lines, want, "{}", ex.text);
    assert!(ex.blocks.iter().all(|b| b.kind != BlockKind::Row));
}

#[test]
fn pdf_seed_keeps_its_lines() {
    let stem = "004_6c8f8c4c595500ac";
    let ex = extract(&read(&format!("pdf/{stem}.pdf"))).unwrap();
    assert_eq!((ex.format, ex.encoding), (Format::Pdf, "PDF"));
    assert!(ex.pages.is_some_and(|p| p > 1));
    seed_lines_kept(stem, &ex);
    // Pages rise monotonically through the blocks.
    let pages: Vec<u32> = ex.blocks.iter().filter_map(|b| b.page).collect();
    assert!(pages.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(pages.last().copied(), ex.pages);
}

#[test]
fn scanned_pdf_says_so() {
    match extract(&read("scanned.pdf")) {
        Err(e @ Error::NoTextLayer { pages: 1, .. }) => {
            assert!(e.to_string().contains("no text layer: scanned"), "{e}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn damaged_containers_are_typed_errors() {
    let mut pdf = read("table5.pdf");
    pdf.truncate(pdf.len() / 3);
    let mut docx = read("numbered.docx");
    docx.truncate(docx.len() / 2);
    for (name, bytes) in [("pdf", pdf), ("docx", docx)] {
        match extract(&bytes) {
            Err(Error::Extract { .. } | Error::NoTextLayer { .. }) | Ok(_) => {}
            Err(e) => panic!("{name}: {e:?}"),
        }
    }
    let err = extract(b"PK\x03\x04 not a zip at all").unwrap_err();
    assert!(
        matches!(err, Error::Extract { format: "DOCX", .. }),
        "{err:?}"
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(
        prefix in prop_oneof![
            Just(&b""[..]),
            Just(&b"%PDF-1.4\n"[..]),
            Just(&b"PK\x03\x04"[..]),
            Just(&b"<html><body><table><tr><td>"[..]),
            Just(&b"\xEF\xBB\xBF<p>"[..]),
        ],
        body in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let mut bytes = prefix.to_vec();
        bytes.extend_from_slice(&body);
        if let Ok(ex) = extract(&bytes) {
            for b in &ex.blocks {
                prop_assert!(b.span.end <= ex.text.len());
                prop_assert!(ex.text.is_char_boundary(b.span.start) && ex.text.is_char_boundary(b.span.end));
                for c in &b.cells {
                    prop_assert!(b.span.start <= c.start && c.end <= b.span.end);
                }
            }
        }
    }

    #[test]
    fn damaged_fixtures_never_panic(
        which in 0usize..4,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..24),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let name = ["table5.pdf", "numbered.docx", "html/000_816b764d93487ac6.html", "big5.txt"][which];
        let mut bytes = read(name);
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        if let Ok(ex) = extract(&bytes) {
            for b in &ex.blocks {
                prop_assert!(b.span.end <= ex.text.len());
            }
        }
    }
}

/// A DOCX holding only `word/document.xml` with the given body.
fn docx_with_body(body: &str) -> Vec<u8> {
    use std::io::Write;
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

/// Issue 23: radicals that stand for unified ideographs are folded in the
/// text of every extractor that builds one, and the spans are spans of the
/// folded text.
#[test]
fn radicals_are_folded_in_html_and_docx() {
    let html = "<html><body><h2>⼀、⼯作任务</h2><p>各部⻔要听取⼈⺠群众意⻅。</p>\
        <table><tr><th>序号</th><th>任务</th><th>责任单位</th></tr><tr><td>1</td><td>⻓效机制</td><td>市⺠政局</td></tr></table></body></html>";
    let docx = docx_with_body(
        "<w:p><w:r><w:t>各部⻔要听取⼈⺠群众意⻅。</w:t></w:r></w:p>\
         <w:tbl><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>\
         <w:tc><w:p><w:r><w:t>⻓效机制</w:t></w:r></w:p></w:tc>\
         <w:tc><w:p><w:r><w:t>市⺠政局</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
    );
    for (name, bytes) in [("html", html.as_bytes().to_vec()), ("docx", docx)] {
        let ex = extract(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            ex.text.contains("各部门要听取人民群众意见。"),
            "{name}: {}",
            ex.text
        );
        assert!(
            !ex.text.chars().any(|c| radicals::equivalent(c).is_some()),
            "{name}: {}",
            ex.text
        );
        let row = ex
            .blocks
            .iter()
            .rfind(|b| b.kind == BlockKind::Row)
            .unwrap_or_else(|| panic!("{name}: no row in {}", ex.text));
        let cells: Vec<&str> = row.cells.iter().map(|c| &ex.text[c.clone()]).collect();
        assert_eq!(cells, ["1", "长效机制", "市民政局"], "{name}");
    }
}

/// A PDF of the given pages, each a content stream, with Helvetica as
/// `/F1` and a one-pixel image as `/Im1`.
fn pdf_of(pages: &[&str]) -> Vec<u8> {
    use lopdf::{Object, Stream, dictionary};
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0x80],
    ));
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font },
        "XObject" => dictionary! { "Im1" => image },
    });
    let kids: Vec<Object> = pages
        .iter()
        .map(|content| {
            let c = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
            doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => c,
            })
            .into()
        })
        .collect();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => pages.len() as i64,
            "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Issue 23: a page that is a picture among pages with text is named in a
/// warning (the document is flagged, not silently short); a PDF of
/// pictures only is an error; text on a turned baseline is set aside.
#[test]
fn scanned_pages_are_named() {
    let text = "BT /F1 12 Tf 72 700 Td (Open government affairs work points) Tj ET";
    let scan = "q 500 0 0 700 50 70 cm /Im1 Do Q";
    let scan_with_stamp = "q 500 0 0 700 50 70 cm /Im1 Do Q BT /F1 9 Tf 280 30 Td (- 2 -) Tj ET";
    let ex = extract(&pdf_of(&[text, scan, scan_with_stamp])).unwrap();
    assert_eq!(ex.pages, Some(3));
    assert_eq!(ex.text, "Open government affairs work points\n- 2 -\n");
    assert_eq!(
        ex.warnings,
        ["no text layer: scanned pages 2, 3 (run OCR on them)"],
        "{:?}",
        ex.warnings
    );
    match extract(&pdf_of(&[scan, scan])) {
        Err(e @ Error::NoTextLayer { pages: 2, .. }) => {
            assert!(e.to_string().contains("no text layer: scanned"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // A diagonal watermark is not read into the text.
    let mark = "BT /F1 40 Tf 0.7 0.7 -0.7 0.7 150 300 Tm (DRAFT) Tj ET";
    let ex = extract(&pdf_of(&[&format!("{text} {mark}")])).unwrap();
    assert_eq!(ex.text, "Open government affairs work points\n");
}

/// Widths decide where the next glyph starts: a simple font's `/Widths`
/// and a `TJ` adjustment move the text, and a gap of two sizes splits a
/// line into cells.
#[test]
fn text_state_and_widths_place_glyphs() {
    let content = "BT /F1 10 Tf 72 700 Td (AB) Tj [(C) -3000 (D)] TJ ET";
    let ex = extract(&pdf_of(&[content])).unwrap();
    // A, B, C are Helvetica's default 500-unit glyphs with no /Widths;
    // -3000 moves D 30 pt on: a gap of three sizes, a tab.
    assert_eq!(ex.text, "ABC\tD\n", "{:?}", ex.text);
}
