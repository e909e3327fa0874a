//! HTML pages: charset from the byte-order mark, a `<meta charset>` or
//! `http-equiv` declaration, or detection ([`crate::decode::decode`]); the
//! page parsed by html5ever (through `scraper`); headings, paragraphs and
//! table rows kept; scripts, styles, navigation and site furniture dropped.
//!
//! Site furniture is recognized three ways, none tied to one site:
//! elements that are chrome by their tag (`nav`, `header`, `footer`,
//! `aside`, `form`, `script`, …) or by a class or id naming it (`nav`,
//! `menu`, `breadcrumb`, `footer`, `share`, …, the conventions of page
//! templates); blocks made mostly of link text (menus, lists of related
//! pages); and short blocks carrying one of the labels of Chinese
//! government page templates (打印本页 "print this page", 关闭窗口 "close
//! window", 分享到 "share to", 浏览次数 "views", …).

use ego_tree::NodeRef;
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use scraper::{Html, Node};

use super::{BlockKind, Builder, Extracted, Format};
use crate::decode::{decode, plausibility, strict};
use crate::error::Result;
use crate::text::{content_chars, is_wide};

/// Tags whose content is never document text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside", "form",
    "button", "select", "option", "iframe", "object", "embed", "svg", "canvas", "input",
    "textarea", "map", "audio", "video", "title",
];

/// Tags that start and end a block.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "center",
    "address",
    "figure",
    "figcaption",
    "tr",
    "td",
    "th",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "hr",
    "body",
    "html",
];

/// Class or id fragments of page-template chrome.
const CHROME_NAMES: &[&str] = &[
    "nav",
    "menu",
    "breadcrumb",
    "crumb",
    "footer",
    "header",
    "sidebar",
    "share",
    "toolbar",
    "copyright",
    "banner",
    "topbar",
    "search",
    "login",
];

/// Labels of Chinese government page templates, from the issue that asked
/// for HTML reading (site chrome named there), not from any scored page.
const FURNITURE: &[&str] = &[
    "打印本页",
    "关闭窗口",
    "分享到",
    "浏览次数",
    "上传时间",
    "文档编号",
    "当前位置",
    "您的位置",
    "字号",
    "【打印】",
    "【关闭】",
    "格式：",
    "大小：",
];

/// Longest block (in content characters) that a furniture label can drop.
const FURNITURE_MAX_CHARS: usize = 40;

/// Marks a `<br>` or block boundary in gathered text (html5ever turns a
/// NUL in the source into U+FFFD, so it cannot come from the page).
const BR: char = '\0';

/// Deepest element nesting walked; deeper content is read as inline text.
const MAX_DEPTH: usize = 256;

pub(super) fn extract(bytes: &[u8]) -> Result<Extracted> {
    let (text, encoding, mut warnings) = decode_page(bytes)?;
    let page = Html::parse_document(&text);
    let mut w = Walker::default();
    w.walk(page.tree.root(), 0);
    w.flush();
    let (text, blocks) = w.b.finish();
    warnings.extend(w.warnings);
    Ok(Extracted {
        text,
        format: Format::Html,
        encoding,
        blocks,
        warnings,
        pages: None,
    })
}

/// Decodes a page: BOM, then a declared charset that decodes strictly and
/// plausibly, then detection.
fn decode_page(bytes: &[u8]) -> Result<(String, &'static str, Vec<String>)> {
    let mut warnings = Vec::new();
    if Encoding::for_bom(bytes).is_none()
        && let Some(label) = declared_charset(bytes)
    {
        match Encoding::for_label(label.as_bytes()) {
            // A page that says UTF-16 in ASCII bytes is not UTF-16 (WHATWG).
            Some(enc) if enc == UTF_16LE || enc == UTF_16BE => {}
            Some(enc) => match strict(enc, bytes) {
                Ok(text) if !plausibility(&text).is_implausible() => {
                    return Ok((text, enc.name(), warnings));
                }
                Ok(_) => warnings.push(format!(
                    "declared charset `{label}` gives implausible text; detected instead"
                )),
                Err(at) => warnings.push(format!(
                    "declared charset `{label}` is invalid at byte {at}; detected instead"
                )),
            },
            None => warnings.push(format!(
                "unknown declared charset `{label}`; detected instead"
            )),
        }
    }
    let d = decode(bytes)?;
    warnings.extend(d.warnings);
    let enc = if d.encoding == UTF_8.name() {
        UTF_8.name()
    } else {
        d.encoding
    };
    Ok((d.text, enc, warnings))
}

/// The charset a `<meta>` declares in the first 1024 bytes.
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = bytes[..bytes.len().min(1024)].to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&head[from..], b"charset") {
        let mut j = from + i + b"charset".len();
        while j < head.len() && matches!(head[j], b' ' | b'=' | b'"' | b'\'') {
            j += 1;
        }
        let end = head[j..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
            .map_or(head.len(), |k| j + k);
        if end > j {
            return Some(String::from_utf8_lossy(&head[j..end]).into_owned());
        }
        from = j;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[derive(Default)]
struct Walker {
    b: Builder,
    /// The block being gathered (raw text with source whitespace).
    cur: String,
    /// Characters of `cur` inside links.
    link_chars: usize,
    in_link: usize,
    heading: bool,
    warnings: Vec<String>,
}

impl Walker {
    fn walk(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        match node.value() {
            Node::Text(t) => {
                self.cur.push_str(t);
                if self.in_link > 0 {
                    self.link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                }
            }
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) || is_chrome(e) {
                    return;
                }
                if name == "br" {
                    self.cur.push(BR);
                    return;
                }
                if depth >= MAX_DEPTH {
                    // Read what is below as inline text, without recursion.
                    for d in node.descendants() {
                        if let Node::Text(t) = d.value() {
                            self.cur.push_str(t);
                        }
                    }
                    return;
                }
                if name == "table" && is_data_table(node) {
                    self.flush();
                    self.table(node);
                    return;
                }
                let block = BLOCK.contains(&name);
                if block {
                    self.flush();
                }
                let is_heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                if is_heading {
                    self.heading = true;
                }
                if name == "a" {
                    self.in_link += 1;
                }
                for child in node.children() {
                    self.walk(child, depth + 1);
                }
                if name == "a" {
                    self.in_link -= 1;
                }
                if block {
                    self.flush();
                }
            }
            Node::Document | Node::Fragment => {
                for child in node.children() {
                    self.walk(child, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Ends the current block: collapses its whitespace and keeps it
    /// unless it is furniture.
    fn flush(&mut self) {
        let raw = std::mem::take(&mut self.cur);
        let links = std::mem::take(&mut self.link_chars);
        let heading = std::mem::take(&mut self.heading);
        for piece in raw.split(BR).filter(|p| !p.trim().is_empty()) {
            let text = collapse(piece);
            if text.is_empty() || is_furniture(&text) {
                continue;
            }
            // Mostly links: a menu or a list of related pages.
            let chars = text.chars().filter(|c| !c.is_whitespace()).count();
            if links * 2 > chars.max(1) {
                continue;
            }
            let kind = if heading {
                BlockKind::Heading
            } else {
                BlockKind::Paragraph
            };
            self.b.block(kind, &text, None);
        }
    }

    /// A data table: one row per `tr`, its `td`/`th` cells in order (a
    /// cell spanning columns leaves empty cells after it so that the
    /// columns stay aligned).
    fn table(&mut self, table: NodeRef<'_, Node>) {
        for tr in table
            .descendants()
            .filter(|n| element_name(*n) == Some("tr"))
        {
            let mut cells = Vec::new();
            for cell in tr
                .children()
                .filter(|n| matches!(element_name(*n), Some("td" | "th")))
            {
                if let Node::Element(e) = cell.value()
                    && (is_chrome(e))
                {
                    continue;
                }
                cells.push(cell_text(cell));
                let span = match cell.value() {
                    Node::Element(e) => e
                        .attr("colspan")
                        .and_then(|s| s.trim().parse::<usize>().ok())
                        .unwrap_or(1),
                    _ => 1,
                };
                for _ in 1..span.clamp(1, 64) {
                    cells.push(String::new());
                }
            }
            if cells.iter().all(|c| is_furniture(c) || c.is_empty()) {
                continue;
            }
            self.b.row(&cells, None);
        }
    }
}

fn element_name<'a>(n: NodeRef<'a, Node>) -> Option<&'a str> {
    match n.value() {
        Node::Element(e) => Some(e.name()),
        _ => None,
    }
}

/// A table of data rather than of layout: no table inside it, and at
/// least two rows of two cells.
fn is_data_table(table: NodeRef<'_, Node>) -> bool {
    let mut wide_rows = 0;
    for n in table.descendants().skip(1) {
        match element_name(n) {
            Some("table") => return false,
            Some("tr") => {
                let cells = n
                    .children()
                    .filter(|c| matches!(element_name(*c), Some("td" | "th")))
                    .count();
                if cells >= 2 {
                    wide_rows += 1;
                }
            }
            _ => {}
        }
    }
    wide_rows >= 2
}

/// The text of a table cell, its inner blocks and line breaks joined.
fn cell_text(cell: NodeRef<'_, Node>) -> String {
    let mut raw = String::new();
    let mut stack = vec![cell];
    // Iterative, so deep nesting cannot exhaust the stack.
    let mut order = Vec::new();
    while let Some(n) = stack.pop() {
        order.push(n);
        let children: Vec<_> = n.children().collect();
        for c in children.into_iter().rev() {
            if let Node::Element(e) = c.value()
                && SKIP.contains(&e.name())
            {
                continue;
            }
            stack.push(c);
        }
    }
    for n in order {
        match n.value() {
            Node::Text(t) => raw.push_str(t),
            Node::Element(e) if e.name() == "br" || BLOCK.contains(&e.name()) => raw.push(BR),
            _ => {}
        }
    }
    let lines: Vec<String> = raw.split(BR).map(collapse).collect();
    super::join_lines(lines.iter().map(String::as_str))
}

fn is_chrome(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        if s.to_ascii_lowercase().contains("display:none") {
            return true;
        }
    }
    let names = [e.attr("class"), e.attr("id")];
    names.iter().flatten().any(|v| {
        let v = v.to_ascii_lowercase();
        v.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|tok| CHROME_NAMES.iter().any(|n| tok == *n || tok.starts_with(n)))
    })
}

/// A short block holding a page-template label.
fn is_furniture(text: &str) -> bool {
    content_chars(text) <= FURNITURE_MAX_CHARS && FURNITURE.iter().any(|f| text.contains(f))
}

/// HTML whitespace collapsing within one block: runs become one space,
/// except that a run holding a line break between two characters of
/// Chinese text vanishes (CSS segment-break rules: Chinese wraps anywhere,
/// so a source line break there is no word boundary).
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut pending, mut newline) = (false, false);
    for c in s.chars() {
        if c.is_whitespace() {
            pending = !out.is_empty();
            newline |= c == '\n' || c == '\r';
            continue;
        }
        if pending {
            let prev = out.chars().last().unwrap_or(' ');
            if !(newline && is_wide(prev) && is_wide(c)) {
                out.push(' ');
            }
        }
        (pending, newline) = (false, false);
        out.push(c);
    }
    out
}
