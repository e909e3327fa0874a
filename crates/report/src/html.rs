//! `report.html`: the coverage run as one self-contained page, opened by
//! double-click, with no network access.
//!
//! The page holds the aligned corpus as JSON in a
//! `<script type="application/json">` block and a small inline script that
//! draws it with DOM methods (text is only ever set as text, never parsed
//! as markup):
//!
//! - the region × task heatmap, tasks grouped by area, sortable by
//!   manifest order, region, province, level and coverage, with a sticky
//!   header and first column so 500 documents stay readable;
//! - a click on a cell: the task's requirements with each one's coverage
//!   status, score and the items stating it, their decision, score and
//!   confidence, and the evidence passage highlighted in both the item
//!   and the national requirement;
//! - a click on a document: its summary row, its local extensions (text
//!   and position) and its omitted requirements;
//! - the requirements list: for each national requirement, the documents
//!   that omit it.
//!
//! Detail is drawn only when asked for, so the page opens quickly at
//! hundreds of documents. Strings that repeat (heading paths) are stored
//! once per document; statuses are small integers into a shared list.

use std::collections::HashMap;

use luoshi_align::{CoverageStatus, Status};
use luoshi_core::ingest::ItemKind;
use luoshi_core::taxonomy::NodeKind;
use serde_json::{Value, json};

use crate::corpus::Corpus;
use crate::frames::{node_share, share};
use crate::js::{num, utf16_at};

/// The page around the data: CSS, the script, and two placeholders.
const TEMPLATE: &str = include_str!("report.html");
const TITLE_SLOT: &str = "{{TITLE}}";
const ENCODING_SLOT: &str = "{{ENCODING}}";
const DATA_SLOT: &str = "{{DATA}}";
const VIEWS_SLOT: &str = "{{VIEWS}}";

/// How the data block is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// JSON, made safe by [`script_safe`].
    Json,
    /// zlib-compressed JSON in base64 (about a quarter of the size for
    /// Chinese text), which the page inflates with the browser's own
    /// `DecompressionStream`.
    ZlibBase64,
}

impl Encoding {
    fn as_str(self) -> &'static str {
        match self {
            Encoding::Json => "json",
            Encoding::ZlibBase64 => "zlib-base64",
        }
    }
}

/// The data block's text in an encoding.
fn encode(json: &str, encoding: Encoding) -> std::io::Result<String> {
    use base64::Engine as _;
    use std::io::Write as _;
    match encoding {
        Encoding::Json => Ok(script_safe(json)),
        Encoding::ZlibBase64 => {
            let mut z = flate2::write::ZlibEncoder::new(
                Vec::with_capacity(json.len() / 3),
                flate2::Compression::default(),
            );
            z.write_all(json.as_bytes())?;
            Ok(base64::engine::general_purpose::STANDARD.encode(z.finish()?))
        }
    }
}

/// Text made safe for HTML element content and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON made safe inside a `<script>` element: `<`, `>` and `&` (which
/// JSON holds only inside strings) written as `\u` escapes, so no text can
/// close the element or open a comment. `JSON.parse` reads them back.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// Indices into a list of names, each name stored once.
#[derive(Default)]
struct Interner {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Interner {
    fn id(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), self.names.len() - 1);
        self.names.len() - 1
    }
}

/// The data the page draws, as JSON.
fn data(corpus: &Corpus<'_>) -> Value {
    let t = corpus.taxonomy;
    let areas: Vec<_> = t.of_kind(NodeKind::Area).collect();
    let tasks: Vec<_> = t.of_kind(NodeKind::Task).collect();
    let reqs: Vec<_> = t.requirements().collect();
    let area_of: HashMap<&str, usize> = areas
        .iter()
        .enumerate()
        .map(|(i, &a)| (t.node(a).id.as_str(), i))
        .collect();
    let task_of: HashMap<&str, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, &n)| (t.node(n).id.as_str(), i))
        .collect();
    let req_of: HashMap<&str, usize> = reqs
        .iter()
        .enumerate()
        .map(|(i, &n)| (t.node(n).id.as_str(), i))
        .collect();
    let enclosing = |n, kind, of: &HashMap<&str, usize>| {
        t.enclosing(n, kind)
            .and_then(|e| of.get(t.node(e).id.as_str()).copied())
    };
    let mut statuses = Interner::default();
    let mut coverage_statuses = Interner::default();
    // Fixed order first, so the page can colour them.
    for s in [Status::Matched, Status::Task, Status::Extension] {
        statuses.id(s.as_str());
    }
    for s in [
        CoverageStatus::Covered,
        CoverageStatus::Partial,
        CoverageStatus::Omitted,
    ] {
        coverage_statuses.id(s.as_str());
    }

    let mut docs = Vec::with_capacity(corpus.docs.len());
    for (d, al) in corpus.docs.iter().zip(corpus.alignments) {
        let mut headings = Interner::default();
        // The requirement items, in document order; `slot` maps an item id
        // to its index in `items`.
        let mut slot = HashMap::new();
        let mut items = Vec::new();
        for a in &al.items {
            let Some(it) = d.items.get(a.item.0 as usize) else {
                continue;
            };
            if it.kind != ItemKind::Requirement {
                continue;
            }
            let raw = d.raw(it);
            let evidence = a.evidence.as_ref().and_then(|e| {
                let req = *req_of.get(&*e.requirement)?;
                let rtext = &t.node(reqs[req]).text;
                let rel = |b: usize| b.saturating_sub(it.span.start).min(raw.len());
                let (s, e2) = (rel(e.item_span.start), rel(e.item_span.end));
                Some(json!([
                    req,
                    utf16_at(raw, s),
                    utf16_at(raw, e2),
                    utf16_at(rtext, e.requirement_span.start),
                    utf16_at(rtext, e.requirement_span.end),
                    (e.alignment * 1000.0).round() / 1000.0,
                ]))
            });
            let heading =
                (!it.heading_path.is_empty()).then(|| headings.id(&it.heading_path.join(" › ")));
            slot.insert(a.item, items.len());
            items.push(json!([
                a.item.0,
                statuses.id(a.status.as_str()),
                a.requirement.as_deref().and_then(|r| req_of.get(r)),
                a.task.as_deref().and_then(|r| task_of.get(r)),
                (a.score * 1000.0).round() / 1000.0,
                (a.confidence * 1000.0).round() / 1000.0,
                raw,
                evidence,
                heading,
                it.row,
                a.nearest.as_ref().and_then(|n| req_of.get(&*n.id)),
                a.nearest
                    .as_ref()
                    .map(|n| (n.score * 1000.0).round() / 1000.0),
                a.runner_up.as_ref().map(|r| r.id.to_string()),
            ]));
        }
        let coverage: String = al
            .coverage
            .iter()
            .map(|c| {
                char::from_digit(coverage_statuses.id(c.status.as_str()) as u32, 36).unwrap_or('?')
            })
            .collect();
        let scores: Vec<f64> = al
            .coverage
            .iter()
            .map(|c| (c.score * 1000.0).round() / 1000.0)
            .collect();
        let covering: Vec<Vec<usize>> = al
            .coverage
            .iter()
            .map(|c| {
                c.items
                    .iter()
                    .filter_map(|i| slot.get(i).copied())
                    .collect()
            })
            .collect();
        let task_shares: Vec<Value> = tasks
            .iter()
            .map(|&n| num(node_share(al, &t.node(n).id, NodeKind::Task)))
            .collect();
        let area_shares: Vec<Value> = areas
            .iter()
            .map(|&n| num(node_share(al, &t.node(n).id, NodeKind::Area)))
            .collect();
        let [req_items, head, boil, dup] = d.kind_counts();
        let st = |s: Status| al.items.iter().filter(|a| a.status == s).count();
        let cv = |s: CoverageStatus| al.coverage.iter().filter(|c| c.status == s).count();
        let m = &d.meta;
        docs.push(json!({
            "label": m.label,
            "file": m.file,
            "region": m.region,
            "province": m.province,
            "level": m.level.map(|l| l.as_str()),
            "year": m.year,
            "number": m.number,
            "title": m.title,
            "issued": m.issued.map(|x| x.to_string()),
            "published": m.published.map(|x| x.to_string()),
            "format": d.format.as_str(),
            "encoding": d.encoding,
            "warnings": d.warnings,
            "counts": [
                d.items.len(), req_items, head, boil, dup,
                st(Status::Matched), st(Status::Task), st(Status::Extension),
                cv(CoverageStatus::Covered), cv(CoverageStatus::Partial), cv(CoverageStatus::Omitted),
            ],
            "rate": num(share(&al.coverage)),
            "areas": area_shares,
            "focus": al.focus.as_deref(),
            "agreement": num(al.heading_agreement),
            "cov": coverage,
            "scores": scores,
            "covering": covering,
            "tasks": task_shares,
            "headings": headings.names,
            "items": items,
        }));
    }
    json!({
        "title": t.meta().title,
        "statuses": statuses.names,
        "coverage_statuses": coverage_statuses.names,
        "counts": [
            "items", "requirement items", "headings", "boilerplate", "duplicates",
            "matched", "task", "extension", "covered", "partial", "omitted",
        ],
        "areas": areas.iter().map(|&a| json!([t.node(a).id, t.node(a).title])).collect::<Vec<_>>(),
        "tasks": tasks.iter().map(|&n| json!([
            t.node(n).id,
            t.node(n).title,
            enclosing(n, NodeKind::Area, &area_of),
        ])).collect::<Vec<_>>(),
        "reqs": reqs.iter().map(|&n| json!([
            t.node(n).id,
            t.node(n).title,
            t.node(n).text,
            enclosing(n, NodeKind::Task, &task_of),
        ])).collect::<Vec<_>>(),
        "docs": docs,
        "skipped": corpus.skipped.iter().map(|s| json!([s.label, s.file, s.error])).collect::<Vec<_>>(),
    })
}

/// `report.html`: the whole page as text (see the module documentation),
/// with the profiles and reuse computed here ([`Corpus::analyses`]; the
/// page goes without those views should they fail). The data is
/// compressed; should compression fail, it is written as plain JSON,
/// which the page reads as well.
pub fn report_html(corpus: &Corpus<'_>) -> String {
    let mut json = data(corpus);
    if let Ok(analyses) = corpus.analyses() {
        crate::views::extend(&mut json, corpus, &analyses);
    }
    render(corpus, &json.to_string())
}

/// [`report_html`] with the profiles and reuse already computed (as the
/// coverage run does, once for the tables and the page).
pub fn report_html_with(corpus: &Corpus<'_>, analyses: &luoshi_analysis::Analyses) -> String {
    let mut json = data(corpus);
    crate::views::extend(&mut json, corpus, analyses);
    render(corpus, &json.to_string())
}

fn render(corpus: &Corpus<'_>, json: &str) -> String {
    match encode(json, Encoding::ZlibBase64) {
        Ok(block) => page(corpus, Encoding::ZlibBase64, &block),
        Err(_) => page(corpus, Encoding::Json, &script_safe(json)),
    }
}

/// The template with its slots filled.
fn page(corpus: &Corpus<'_>, encoding: Encoding, block: &str) -> String {
    let title = escape(&format!(
        "luoshi coverage: {}",
        corpus.taxonomy.meta().title
    ));
    // The template is cut at its slots, in the order they appear, so
    // nothing in the title or the data is ever read as a slot.
    let (head, rest) = TEMPLATE.split_once(TITLE_SLOT).unwrap_or((TEMPLATE, ""));
    let (middle, rest) = rest.split_once(ENCODING_SLOT).unwrap_or((rest, ""));
    let (before_data, rest) = rest.split_once(DATA_SLOT).unwrap_or((rest, ""));
    let (before_views, tail) = rest.split_once(VIEWS_SLOT).unwrap_or((rest, ""));
    let mut out = String::with_capacity(
        TEMPLATE.len() + title.len() + block.len() + crate::views::SCRIPT.len(),
    );
    for part in [
        head,
        &title,
        middle,
        encoding.as_str(),
        before_data,
        block,
        before_views,
        crate::views::SCRIPT,
        tail,
    ] {
        out.push_str(part);
    }
    out
}

/// The data block of a page written by [`report_html`], as JSON text
/// (for tests and for readers of the page outside a browser).
///
/// Returns `None` when the page has no data block or it cannot be read.
pub fn report_data(html: &str) -> Option<String> {
    use base64::Engine as _;
    use std::io::Read as _;
    const OPEN: &str = r#"<script type="application/json" id="data" data-encoding=""#;
    let at = html.find(OPEN)? + OPEN.len();
    let (encoding, rest) = html[at..].split_once("\">")?;
    let block = &rest[..rest.find("</script>")?];
    if encoding == Encoding::Json.as_str() {
        return Some(block.to_string());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(block.trim())
        .ok()?;
    let mut json = String::new();
    flate2::read::ZlibDecoder::new(&bytes[..])
        .read_to_string(&mut json)
        .ok()?;
    Some(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_reads_back_and_cannot_close_the_element() {
        let v = json!({"t": "</script><!-- a & b <script>"});
        let s = script_safe(&v.to_string());
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
    }

    #[test]
    fn template_has_each_slot_once_in_order() {
        let at = |s: &str| {
            assert_eq!(TEMPLATE.matches(s).count(), 1, "{s}");
            TEMPLATE.find(s).unwrap()
        };
        assert!(at(TITLE_SLOT) < at(ENCODING_SLOT) && at(ENCODING_SLOT) < at(DATA_SLOT));
        assert!(at(DATA_SLOT) < at(VIEWS_SLOT));
    }

    #[test]
    fn both_encodings_read_back() {
        let taxonomy = luoshi_core::Taxonomy::national_2017();
        let corpus = Corpus {
            taxonomy: &taxonomy,
            docs: &[],
            alignments: &[],
            skipped: &[],
        };
        let json = r#"{"t":"</script> & <!-- 政务"}"#;
        for enc in [Encoding::Json, Encoding::ZlibBase64] {
            let html = page(&corpus, enc, &encode(json, enc).unwrap());
            let back: Value = serde_json::from_str(&report_data(&html).unwrap()).unwrap();
            assert_eq!(back["t"], "</script> & <!-- 政务", "{enc:?}");
            assert_eq!(html.matches("</script>").count(), 2, "{enc:?}");
        }
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
