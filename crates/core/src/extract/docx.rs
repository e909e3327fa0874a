//! DOCX (Office Open XML) documents: `word/document.xml` read with
//! `quick-xml` out of the `zip` archive. Paragraphs keep their automatic
//! numbering (`numbering.xml`: 一、, (一), 1. …, rendered as Word shows
//! them), heading styles make headings, tables become rows of cells (a
//! cell spanning columns leaves empty cells after it). Deleted text and
//! field codes are not text.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::PathBuf;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{BlockKind, Builder, Extracted, Format};
use crate::error::{Error, Result};

/// Largest XML part read (uncompressed), against zip bombs.
const MAX_PART: u64 = 256 * 1024 * 1024;

fn err(message: String) -> Error {
    Error::Extract {
        path: PathBuf::from("<bytes>"),
        format: "DOCX",
        message,
    }
}

pub(super) fn extract(bytes: &[u8]) -> Result<Extracted> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| err(format!("not a readable ZIP archive: {e}")))?;
    let document = match part(&mut zip, "word/document.xml")? {
        Some(d) => d,
        None => {
            return Err(Error::UnsupportedFormat {
                path: PathBuf::from("<bytes>"),
                format: "a ZIP archive without word/document.xml (not DOCX)",
                hint: "supply the document itself as DOCX, PDF, HTML or text",
            });
        }
    };
    let numbering = part(&mut zip, "word/numbering.xml")?
        .map(|x| Numbering::parse(&x))
        .unwrap_or_default();
    let styles = part(&mut zip, "word/styles.xml")?
        .map(|x| styles(&x))
        .unwrap_or_default();
    let (text, blocks) = body(&document, numbering, &styles)?;
    Ok(Extracted {
        text,
        format: Format::Docx,
        encoding: "UTF-8",
        blocks,
        warnings: Vec::new(),
        pages: None,
    })
}

fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(err(format!("{name}: {e}"))),
    };
    let mut buf = Vec::new();
    file.take(MAX_PART)
        .read_to_end(&mut buf)
        .map_err(|e| err(format!("{name}: {e}")))?;
    String::from_utf8(buf).map(Some).map_err(|e| {
        err(format!(
            "{name}: not UTF-8 at byte {}",
            e.utf8_error().valid_up_to()
        ))
    })
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.into_owned())
}

fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

/// One numbering level: format, text pattern, start.
#[derive(Debug, Clone, Default)]
struct Level {
    fmt: String,
    text: String,
    start: i64,
}

/// `numbering.xml`: abstract definitions, the `num` ids that point at
/// them, and the running counters.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, [Option<Level>; 9]>,
    nums: HashMap<String, String>,
    counters: HashMap<String, [Option<i64>; 9]>,
}

impl Numbering {
    fn parse(xml: &str) -> Self {
        let mut n = Numbering::default();
        let mut r = Reader::from_str(xml);
        let (mut abs, mut lvl, mut num): (Option<String>, Option<usize>, Option<String>) =
            (None, None, None);
        loop {
            let (e, empty) = match r.read_event() {
                Ok(Event::Start(e)) => (e, false),
                Ok(Event::Empty(e)) => (e, true),
                Ok(Event::End(e)) => {
                    match e.local_name().as_ref() {
                        "abstractNum" => abs = None,
                        "lvl" => lvl = None,
                        "num" => num = None,
                        _ => {}
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => continue,
            };
            let name = local(&e);
            let val = attr(&e, "val");
            match name.as_str() {
                "abstractNum" if !empty => abs = attr(&e, "abstractNumId"),
                "lvl" if !empty => {
                    lvl = attr(&e, "ilvl")
                        .and_then(|v| v.parse().ok())
                        .filter(|&i| i < 9);
                    if let (Some(a), Some(l)) = (&abs, lvl) {
                        n.abstracts.entry(a.clone()).or_default()[l] = Some(Level {
                            fmt: "decimal".into(),
                            text: String::new(),
                            start: 1,
                        });
                    }
                }
                "num" if !empty => num = attr(&e, "numId"),
                "abstractNumId" => {
                    if let (Some(id), Some(v)) = (&num, val) {
                        n.nums.insert(id.clone(), v);
                    }
                }
                "start" | "numFmt" | "lvlText" => {
                    if let (Some(a), Some(l), Some(v)) = (&abs, lvl, val)
                        && let Some(Some(level)) = n.abstracts.get_mut(a).map(|x| &mut x[l])
                    {
                        match name.as_str() {
                            "start" => level.start = v.parse().unwrap_or(1),
                            "numFmt" => level.fmt = v,
                            _ => level.text = v,
                        }
                    }
                }
                _ => {}
            }
        }
        n
    }

    /// The label of the next paragraph numbered `num_id` at level `ilvl`.
    fn next(&mut self, num_id: &str, ilvl: usize) -> String {
        let Some(abs) = self.nums.get(num_id) else {
            return String::new();
        };
        let Some(levels) = self.abstracts.get(abs) else {
            return String::new();
        };
        let ilvl = ilvl.min(8);
        let counters = self.counters.entry(abs.clone()).or_default();
        let start = |i: usize| levels[i].as_ref().map_or(1, |l| l.start);
        counters[ilvl] = Some(counters[ilvl].map_or(start(ilvl), |c| c.saturating_add(1)));
        for c in counters.iter_mut().skip(ilvl + 1) {
            *c = None;
        }
        let Some(level) = &levels[ilvl] else {
            return String::new();
        };
        if level.fmt == "bullet" || level.fmt == "none" {
            return if level.fmt == "bullet" {
                String::new()
            } else {
                level.text.clone()
            };
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                && (1..=9).contains(&d)
            {
                chars.next();
                let i = d as usize - 1;
                let value = counters[i].unwrap_or_else(|| start(i));
                let fmt = levels[i].as_ref().map_or("decimal", |l| l.fmt.as_str());
                out.push_str(&format_number(value, fmt));
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// A number in a Word numbering format.
pub(super) fn format_number(n: i64, fmt: &str) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    let letters = |upper: bool| {
        if n < 1 {
            return n.to_string();
        }
        let base = if upper { b'A' } else { b'a' };
        let c = (base + ((n - 1) % 26) as u8) as char;
        c.to_string().repeat(((n - 1) / 26 + 1).min(10) as usize)
    };
    match fmt {
        "chineseCounting" | "chineseCountingThousand" | "chineseLegalSimplified"
            if (1..10_000).contains(&n) =>
        {
            chinese(n as usize, &DIGITS)
        }
        "ideographTraditional" if (1..=10).contains(&n) => STEMS[n as usize - 1].to_string(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n as u32 - 1).map_or(n.to_string(), |c| c.to_string())
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| {
                c.to_digit(10)
                    .and_then(|d| char::from_u32(0xFF10 + d))
                    .unwrap_or(c)
            })
            .collect(),
        "lowerLetter" => letters(false),
        "upperLetter" => letters(true),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

/// 1…9999 in Chinese counting (十一, 二十, 一百零五).
fn chinese(n: usize, digits: &[char; 10]) -> String {
    let units = ['\0', '十', '百', '千'];
    let ds: Vec<usize> = n.to_string().bytes().map(|b| (b - b'0') as usize).collect();
    let len = ds.len();
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in ds.iter().enumerate() {
        let pos = len - 1 - i;
        if d == 0 {
            zero = true;
            continue;
        }
        if zero && !out.is_empty() {
            out.push('〇');
        }
        zero = false;
        if !(d == 1 && pos == 1 && out.is_empty()) {
            out.push(digits[d]);
        }
        if pos > 0 {
            out.push(units[pos]);
        }
    }
    out.replace('〇', "零")
}

fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let (mut n, mut out) = (n, String::new());
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// Per paragraph style: whether it is a heading, and its numbering.
#[derive(Debug, Clone, Default)]
struct Style {
    heading: bool,
    num: Option<(String, usize)>,
}

fn styles(xml: &str) -> HashMap<String, Style> {
    let mut out = HashMap::new();
    let mut r = Reader::from_str(xml);
    let mut cur: Option<(String, Style)> = None;
    let mut ilvl = 0usize;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "style" => {
                    if let Some((id, s)) = cur.take() {
                        out.insert(id, s);
                    }
                    cur = attr(&e, "styleId").map(|id| (id, Style::default()));
                    ilvl = 0;
                }
                "name" => {
                    if let (Some((_, s)), Some(v)) = (&mut cur, attr(&e, "val")) {
                        let v = v.to_ascii_lowercase();
                        s.heading |= v.starts_with("heading") || v == "title";
                    }
                }
                "outlineLvl" => {
                    if let Some((_, s)) = &mut cur {
                        s.heading |= attr(&e, "val")
                            .and_then(|v| v.parse::<u8>().ok())
                            .is_some_and(|l| l < 9);
                    }
                }
                "ilvl" => ilvl = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(0),
                "numId" => {
                    if let (Some((_, s)), Some(v)) = (&mut cur, attr(&e, "val")) {
                        s.num = Some((v, ilvl));
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                if let Some((id, s)) = cur.take() {
                    out.insert(id, s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// The paragraph being read.
#[derive(Debug, Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: usize,
    outline: bool,
}

/// A table being read: rows of cells.
#[derive(Debug, Default)]
struct Table {
    rows: Vec<Vec<String>>,
    span: usize,
}

fn body(
    xml: &str,
    mut numbering: Numbering,
    styles: &HashMap<String, Style>,
) -> Result<(String, Vec<super::Block>)> {
    let mut b = Builder::default();
    let mut r = Reader::from_str(xml);
    let mut para: Option<Para> = None;
    let mut tables: Vec<Table> = Vec::new();
    let mut in_text = false;
    // Depth inside elements whose text is not document text.
    let mut skip = 0usize;
    loop {
        let ev = r.read_event().map_err(|e| {
            err(format!(
                "word/document.xml at byte {}: {e}",
                r.buffer_position()
            ))
        })?;
        match ev {
            Event::Start(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    "p" => para = Some(Para::default()),
                    "t" => in_text = true,
                    "delText" | "instrText" | "del" => skip += 1,
                    "tbl" => tables.push(Table::default()),
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.rows.push(Vec::new());
                        }
                    }
                    "tc" => {
                        if let Some(row) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                            row.push(String::new());
                        }
                        if let Some(t) = tables.last_mut() {
                            t.span = 1;
                        }
                    }
                    _ => empty_element(&e, &mut para, &mut tables),
                }
            }
            Event::Empty(e) => empty_element(&e, &mut para, &mut tables),
            Event::Text(t) if in_text && skip == 0 => {
                if let Some(p) = &mut para {
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) if in_text && skip == 0 => {
                if let Some(p) = &mut para {
                    let name = g.xml10_content();
                    if let Ok(Some(c)) = g.resolve_char_ref() {
                        p.text.push(c);
                    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        p.text.push_str(s);
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "delText" | "instrText" | "del" => skip = skip.saturating_sub(1),
                "p" => {
                    if let Some(p) = para.take() {
                        end_paragraph(p, &mut numbering, styles, &mut b, &mut tables);
                    }
                }
                "tc" => {
                    if let Some(t) = tables.last_mut() {
                        let extra = t.span.saturating_sub(1).min(63);
                        if let Some(row) = t.rows.last_mut() {
                            row.extend(std::iter::repeat_n(String::new(), extra));
                        }
                    }
                }
                "tbl" => {
                    if let Some(t) = tables.pop() {
                        if let Some(outer) = tables.last_mut()
                            && let Some(cell) = outer.rows.last_mut().and_then(|r| r.last_mut())
                        {
                            // A table inside a cell: its text joins the cell.
                            for row in t.rows {
                                cell.push('\n');
                                cell.push_str(&row.join(" "));
                            }
                        } else {
                            for row in &t.rows {
                                b.row(row, None);
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(b.finish())
}

/// Elements without text of their own that matter: tabs, breaks, the
/// paragraph properties, the column span of a cell.
fn empty_element(e: &BytesStart<'_>, para: &mut Option<Para>, tables: &mut [Table]) {
    match e.local_name().as_ref() {
        "tab" => {
            // `w:tab` inside `w:tabs` (a tab stop definition) is no text,
            // but it only occurs inside `w:pPr`, before any run text.
            if let Some(p) = para
                && !p.text.is_empty()
            {
                p.text.push('\t');
            }
        }
        "br" | "cr" => {
            if let Some(p) = para {
                p.text.push('\n');
            }
        }
        "noBreakHyphen" => {
            if let Some(p) = para {
                p.text.push('-');
            }
        }
        "pStyle" => {
            if let Some(p) = para {
                p.style = attr(e, "val");
            }
        }
        "ilvl" => {
            if let Some(p) = para {
                p.ilvl = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
            }
        }
        "numId" => {
            if let Some(p) = para {
                p.num_id = attr(e, "val");
            }
        }
        "outlineLvl" => {
            if let Some(p) = para {
                p.outline = attr(e, "val")
                    .and_then(|v| v.parse::<u8>().ok())
                    .is_some_and(|l| l < 9);
            }
        }
        "gridSpan" => {
            if let Some(t) = tables.last_mut() {
                t.span = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
            }
        }
        _ => {}
    }
}

fn end_paragraph(
    p: Para,
    numbering: &mut Numbering,
    styles: &HashMap<String, Style>,
    b: &mut Builder,
    tables: &mut [Table],
) {
    let style = p.style.as_ref().and_then(|s| styles.get(s));
    let num = match (&p.num_id, style.and_then(|s| s.num.clone())) {
        (Some(id), _) => Some((id.clone(), p.ilvl)),
        (None, s) => s,
    };
    // numId 0 means "no numbering".
    let label = match num {
        Some((id, ilvl)) if id != "0" && !p.text.trim().is_empty() => numbering.next(&id, ilvl),
        _ => String::new(),
    };
    let text = format!("{label}{}", p.text);
    if let Some(t) = tables.last_mut() {
        if let Some(cell) = t.rows.last_mut().and_then(|r| r.last_mut()) {
            if !cell.is_empty() {
                cell.push('\n');
            }
            cell.push_str(&text);
        }
        return;
    }
    let heading = p.outline || style.is_some_and(|s| s.heading);
    let kind = if heading {
        BlockKind::Heading
    } else {
        BlockKind::Paragraph
    };
    b.block(kind, &text, None);
}
