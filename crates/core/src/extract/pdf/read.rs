//! The content streams of a PDF's pages interpreted for what layout needs:
//! each glyph's position, advance, size and text, the rules (thin lines
//! and bars) that draw table borders, and the area painted by images.
//!
//! `lopdf` parses the file (cross-reference tables and streams, filters,
//! encryption with an empty password, content operators); the text state
//! is luoshi's own: the text and line matrices (`BT`, `Td`, `TD`, `Tm`,
//! `T*`), character and word spacing, horizontal scaling, leading, rise
//! (`Tc`, `Tw`, `Tz`, `TL`, `Ts`), shown strings (`Tj`, `TJ`, `'`, `"`) and
//! the glyph widths of [`super::font`]. Form XObjects are followed (their
//! matrix and resources, to a depth of 12); `Type3` glyph procedures are
//! not run (their shapes are no rules). A marked-content span with
//! `/ActualText` (Chromium writes one where its `/ToUnicode` names a
//! radical) gives its glyphs that text.
//!
//! Positions are in the page's default space turned by its `/Rotate`, so
//! a landscape table on a rotated page reads left to right. Glyphs whose
//! baseline is not horizontal on the page (stamps, diagonal watermarks)
//! are set aside.

use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use rustc_hash::FxHashMap;

use super::font::{Code, Font};
use super::object::{deref, num};
use crate::error::Result;

/// The largest decoded size of one page's (or form's) content, in bytes.
const CONTENT_LIMIT: usize = 64 << 20;
/// The largest decoded size of any stream while loading, in bytes.
const LOAD_LIMIT: usize = 256 << 20;
/// How deep forms may nest.
const FORM_DEPTH: u32 = 12;
/// How deep `q` may nest.
const STACK_DEPTH: usize = 512;
/// Operators interpreted per page at most (forms included).
const OPS_PER_PAGE: usize = 20_000_000;
/// Thickest stroke or fill still read as a rule, in points.
pub(super) const RULE_WIDTH: f64 = 3.0;

/// One glyph: origin, advance, size and text.
#[derive(Debug, Clone)]
pub(super) struct Glyph {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) size: f64,
    pub(super) text: String,
}

impl Glyph {
    /// A point just inside the glyph's left edge: a glyph belongs where it
    /// starts (text that overflows a cell spills over its right rule).
    pub(super) fn cx(&self) -> f64 {
        self.x + self.w.min(self.size) * 0.2
    }
    /// A point inside the glyph box (baseline plus a third of the size).
    pub(super) fn cy(&self) -> f64 {
        self.y + self.size / 3.0
    }
}

/// An axis-parallel rule: `at` is x for vertical rules, y for horizontal
/// ones; it spans `from..to` along the other axis.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rule {
    pub(super) at: f64,
    pub(super) from: f64,
    pub(super) to: f64,
}

/// What a page holds for layout.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub(super) glyphs: Vec<Glyph>,
    pub(super) vertical: Vec<Rule>,
    pub(super) horizontal: Vec<Rule>,
    /// The page's area and the area images cover (points²; overlaps
    /// counted twice).
    pub(super) area: f64,
    pub(super) image_area: f64,
    /// Glyphs whose code has no text in its font (no Unicode mapping).
    pub(super) unmapped: usize,
}

/// A 2×3 affine matrix `[a b c d e f]`, as PDF writes them.
type M = [f64; 6];

const ID: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b` (row vectors: `p × a × b`).
fn mul(a: &M, b: &M) -> M {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &M, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

fn dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    match d.get(key).map(|o| deref(doc, o)) {
        Ok(Object::Dictionary(x)) => Some(x),
        Ok(Object::Stream(s)) => Some(&s.dict),
        _ => None,
    }
}

/// A page attribute, inherited through the page tree.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut d = page;
    for _ in 0..64 {
        if let Ok(o) = d.get(key) {
            return Some(deref(doc, o));
        }
        d = dict(doc, d, b"Parent")?;
    }
    None
}

/// Loads the document and reads every page.
pub(super) fn pages(
    bytes: &[u8],
    err: impl Fn(String) -> crate::error::Error,
) -> Result<Vec<Page>> {
    let opts = LoadOptions::with_max_decompressed_size(LOAD_LIMIT);
    let doc = Document::load_mem_with_options(bytes, opts)
        .map_err(|e| err(format!("not a readable PDF: {e}")))?;
    if doc.is_encrypted() {
        return Err(err("the PDF is encrypted with a password".into()));
    }
    let mut fonts: FxHashMap<ObjectId, Rc<std::cell::RefCell<Font>>> = FxHashMap::default();
    let mut out = Vec::new();
    for (_, id) in doc.get_pages() {
        let Ok(page) = doc.get_dictionary(id) else {
            out.push(Page::default());
            continue;
        };
        out.push(read_page(&doc, id, page, &mut fonts));
    }
    Ok(out)
}

fn read_page(
    doc: &Document,
    id: ObjectId,
    page: &Dictionary,
    fonts: &mut FxHashMap<ObjectId, Rc<std::cell::RefCell<Font>>>,
) -> Page {
    let mut p = Page::default();
    let mbox: Vec<f64> = match inherited(doc, page, b"MediaBox") {
        Some(Object::Array(a)) => a.iter().filter_map(|o| num(deref(doc, o))).collect(),
        _ => Vec::new(),
    };
    let (x0, y0, x1, y1) = if mbox.len() == 4 && mbox.iter().all(|v| v.is_finite()) {
        (
            mbox[0].min(mbox[2]),
            mbox[1].min(mbox[3]),
            mbox[0].max(mbox[2]),
            mbox[1].max(mbox[3]),
        )
    } else {
        (0.0, 0.0, 595.0, 842.0)
    };
    p.area = (x1 - x0) * (y1 - y0);
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(num)
        .map_or(0, |r| (r as i64).rem_euclid(360));
    // The page turned as a viewer shows it.
    let base: M = match rotate {
        90 => [0.0, -1.0, 1.0, 0.0, -y0, x1],
        180 => [-1.0, 0.0, 0.0, -1.0, x1, y1],
        270 => [0.0, 1.0, -1.0, 0.0, y1, -x0],
        _ => ID,
    };
    let resources = inherited(doc, page, b"Resources").and_then(|o| match o {
        Object::Dictionary(d) => Some(d),
        _ => None,
    });
    let Ok(content) = doc.get_page_content_with_limit(id, CONTENT_LIMIT) else {
        return p;
    };
    let mut r = Reader {
        doc,
        page: &mut p,
        fonts,
        ops: 0,
        codes: Vec::new(),
    };
    let mut gs = State {
        ctm: base,
        ..State::default()
    };
    r.run(&content, resources, &mut gs, 0);
    p
}

/// The graphics and text state.
#[derive(Clone)]
struct State {
    ctm: M,
    font: Option<Rc<std::cell::RefCell<Font>>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    hscale: f64,
    leading: f64,
    rise: f64,
}

impl Default for State {
    fn default() -> Self {
        State {
            ctm: ID,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

struct Reader<'a> {
    doc: &'a Document,
    page: &'a mut Page,
    fonts: &'a mut FxHashMap<ObjectId, Rc<std::cell::RefCell<Font>>>,
    ops: usize,
    codes: Vec<Code>,
}

/// A path being built, in page space.
#[derive(Default)]
struct Path {
    /// Segments as drawn (lines and the edges of rectangles).
    segments: Vec<((f64, f64), (f64, f64))>,
    /// Rectangles (`re`), as corner pairs.
    rects: Vec<((f64, f64), (f64, f64))>,
    current: Option<(f64, f64)>,
    start: Option<(f64, f64)>,
}

impl Reader<'_> {
    fn run(&mut self, content: &[u8], resources: Option<&Dictionary>, gs: &mut State, depth: u32) {
        let mut stack: Vec<State> = Vec::new();
        let mut tm = ID;
        let mut tlm = ID;
        let mut path = Path::default();
        // An open /ActualText span: its text and the glyphs shown in it.
        let mut actual: Option<(String, usize)> = None;
        let mut marked_depth: Vec<bool> = Vec::new();
        for op in Content::decode_iter(content) {
            let Ok(op) = op else { break };
            self.ops += 1;
            if self.ops > OPS_PER_PAGE {
                break;
            }
            let a = &op.operands;
            let n = |i: usize| a.get(i).and_then(num).filter(|v| v.is_finite());
            match op.operator.as_str() {
                "q" if stack.len() < STACK_DEPTH => stack.push(gs.clone()),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        *gs = s;
                    }
                }
                "cm" => {
                    if let Some(m) = matrix(a) {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                "BT" => {
                    tm = ID;
                    tlm = ID;
                }
                "Tf" => {
                    gs.size = n(1).unwrap_or(0.0);
                    gs.font = match a.first() {
                        Some(Object::Name(name)) => self.font(resources, name),
                        _ => None,
                    };
                }
                "Tc" => gs.char_spacing = n(0).unwrap_or(0.0),
                "Tw" => gs.word_spacing = n(0).unwrap_or(0.0),
                "Tz" => gs.hscale = n(0).unwrap_or(100.0) / 100.0,
                "TL" => gs.leading = n(0).unwrap_or(0.0),
                "Ts" => gs.rise = n(0).unwrap_or(0.0),
                "Td" | "TD" => {
                    let (tx, ty) = (n(0).unwrap_or(0.0), n(1).unwrap_or(0.0));
                    if op.operator == "TD" {
                        gs.leading = -ty;
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                    tm = tlm;
                }
                "Tm" => {
                    if let Some(m) = matrix(a) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" => {
                    if op.operator != "Tj" {
                        if op.operator == "\"" {
                            gs.word_spacing = n(0).unwrap_or(gs.word_spacing);
                            gs.char_spacing = n(1).unwrap_or(gs.char_spacing);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                        tm = tlm;
                    }
                    if let Some(Object::String(s, _)) = a.last() {
                        self.show(s, gs, &mut tm);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = a.first() {
                        for it in items {
                            match it {
                                Object::String(s, _) => self.show(s, gs, &mut tm),
                                o => {
                                    if let Some(v) = num(o).filter(|v| v.is_finite()) {
                                        let tx = -v / 1000.0 * gs.size * gs.hscale;
                                        tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                    }
                                }
                            }
                        }
                    }
                }
                "BDC" | "BMC" => {
                    let text = match a.get(1) {
                        Some(Object::Dictionary(d)) => d.get(b"ActualText").ok().cloned(),
                        _ => None,
                    };
                    let opens = match (text, &actual) {
                        (Some(Object::String(s, _)), None) => {
                            actual = Some((pdf_text(&s), self.page.glyphs.len()));
                            true
                        }
                        _ => false,
                    };
                    marked_depth.push(opens);
                }
                "EMC" => {
                    if marked_depth.pop() == Some(true)
                        && let Some((text, from)) = actual.take()
                    {
                        self.actual_text(text, from);
                    }
                }
                "m" => {
                    if let (Some(x), Some(y)) = (n(0), n(1)) {
                        let p = apply(&gs.ctm, x, y);
                        path.current = Some(p);
                        path.start = Some(p);
                    }
                }
                "l" => {
                    if let (Some(x), Some(y)) = (n(0), n(1)) {
                        let p = apply(&gs.ctm, x, y);
                        if let Some(c) = path.current {
                            path.segments.push((c, p));
                        }
                        path.current = Some(p);
                    }
                }
                "c" => path.current = n(5).zip(n(4)).map(|(y, x)| apply(&gs.ctm, x, y)),
                "v" | "y" => path.current = n(3).zip(n(2)).map(|(y, x)| apply(&gs.ctm, x, y)),
                "h" => {
                    if let (Some(c), Some(s)) = (path.current, path.start) {
                        path.segments.push((c, s));
                        path.current = Some(s);
                    }
                }
                "re" => {
                    if let (Some(x), Some(y), Some(w), Some(h)) = (n(0), n(1), n(2), n(3)) {
                        let corners = [
                            apply(&gs.ctm, x, y),
                            apply(&gs.ctm, x + w, y),
                            apply(&gs.ctm, x + w, y + h),
                            apply(&gs.ctm, x, y + h),
                        ];
                        // Axis-parallel on the page: a box; else its edges.
                        let xs = corners.map(|c| c.0);
                        let ys = corners.map(|c| c.1);
                        let lo = (
                            xs.iter().copied().fold(f64::INFINITY, f64::min),
                            ys.iter().copied().fold(f64::INFINITY, f64::min),
                        );
                        let hi = (
                            xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                            ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                        );
                        path.rects.push((lo, hi));
                        path.current = Some(corners[0]);
                        path.start = Some(corners[0]);
                    }
                }
                "S" | "s" => {
                    if op.operator == "s"
                        && let (Some(c), Some(s)) = (path.current, path.start)
                    {
                        path.segments.push((c, s));
                    }
                    self.paint(&path, false);
                    path = Path::default();
                }
                "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    self.paint(&path, true);
                    path = Path::default();
                }
                "n" => path = Path::default(),
                "Do" => {
                    if let Some(Object::Name(name)) = a.first() {
                        self.xobject(resources, name, gs, depth);
                    }
                }
                "BI" | "EI" | "INLINE IMAGE" => self.image(&gs.ctm),
                _ => {}
            }
        }
        if let Some((text, from)) = actual.take() {
            self.actual_text(text, from);
        }
    }

    /// The glyphs shown since `from` take `text`: the first holds it and
    /// spans them all, the others go.
    fn actual_text(&mut self, text: String, from: usize) {
        let glyphs = &mut self.page.glyphs;
        if from >= glyphs.len() {
            return;
        }
        let same_line = glyphs[from..]
            .iter()
            .all(|g| (g.y - glyphs[from].y).abs() <= g.size * 0.5);
        if !same_line {
            return;
        }
        let end = glyphs[from..]
            .iter()
            .map(|g| g.x + g.w)
            .fold(f64::NEG_INFINITY, f64::max);
        glyphs.truncate(from + 1);
        let g = &mut glyphs[from];
        g.w = (end - g.x).max(0.0);
        g.text = text;
    }

    fn font(
        &mut self,
        resources: Option<&Dictionary>,
        name: &[u8],
    ) -> Option<Rc<std::cell::RefCell<Font>>> {
        let fonts = dict(self.doc, resources?, b"Font")?;
        let entry = fonts.get(name).ok()?;
        match entry {
            Object::Reference(id) => {
                if let Some(f) = self.fonts.get(id) {
                    return Some(f.clone());
                }
                let f = match deref(self.doc, entry) {
                    Object::Dictionary(d) => Font::load(self.doc, d),
                    _ => Font::default(),
                };
                let f = Rc::new(std::cell::RefCell::new(f));
                self.fonts.insert(*id, f.clone());
                Some(f)
            }
            Object::Dictionary(d) => {
                Some(Rc::new(std::cell::RefCell::new(Font::load(self.doc, d))))
            }
            _ => None,
        }
    }

    fn show(&mut self, s: &[u8], gs: &State, tm: &mut M) {
        let Some(font) = gs.font.clone() else {
            return;
        };
        let (sx, sy) = {
            let mut f = font.borrow_mut();
            f.decode(s, &mut self.codes);
            f.scale
        };
        let th = gs.hscale;
        for k in 0..self.codes.len() {
            let code = &self.codes[k];
            // Text rendering matrix: size, scaling and rise, then Tm, CTM.
            let trm = mul(
                &mul(&[gs.size * th, 0.0, 0.0, gs.size, 0.0, gs.rise], tm),
                &gs.ctm,
            );
            let adv = code.width * gs.size;
            let tx = (adv + gs.char_spacing + if code.space { gs.word_spacing } else { 0.0 }) * th;
            if !code.text.is_empty() {
                let (x, y) = (trm[4], trm[5]);
                // Baseline direction and the em's size on the page.
                let (bx, by) = (trm[0], trm[1]);
                let (ux, uy) = (trm[2], trm[3]);
                let em_x = (bx * bx + by * by).sqrt() * sx * 1000.0 / th.abs().max(1e-9);
                let em_y = (ux * ux + uy * uy).sqrt() * sy * 1000.0;
                let size = (em_x * em_y).sqrt();
                let horizontal = bx > 0.0 && by.abs() <= bx * 0.18;
                if size.is_finite() && size > 0.0 && x.is_finite() && y.is_finite() && horizontal {
                    let w = (code.width * bx).abs();
                    self.page.glyphs.push(Glyph {
                        x,
                        y,
                        w: if w.is_finite() { w } else { 0.0 },
                        size,
                        text: code.text.clone(),
                    });
                }
            } else {
                self.page.unmapped += 1;
            }
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
        }
    }

    fn paint(&mut self, path: &Path, filled: bool) {
        for &(lo, hi) in &path.rects {
            let (w, h) = (hi.0 - lo.0, hi.1 - lo.1);
            if w <= RULE_WIDTH && h > RULE_WIDTH {
                self.page.vertical.push(Rule {
                    at: (lo.0 + hi.0) / 2.0,
                    from: lo.1,
                    to: hi.1,
                });
            } else if h <= RULE_WIDTH && w > RULE_WIDTH {
                self.page.horizontal.push(Rule {
                    at: (lo.1 + hi.1) / 2.0,
                    from: lo.0,
                    to: hi.0,
                });
            } else if !filled {
                // A stroked box: its four edges.
                self.segment((lo.0, lo.1), (hi.0, lo.1));
                self.segment((hi.0, lo.1), (hi.0, hi.1));
                self.segment((hi.0, hi.1), (lo.0, hi.1));
                self.segment((lo.0, hi.1), (lo.0, lo.1));
            }
        }
        // A filled thin polygon gives two long edges a rule's width apart:
        // both are read, and layout merges rules that close.
        for &(a, b) in &path.segments {
            self.segment(a, b);
        }
    }

    fn segment(&mut self, a: (f64, f64), b: (f64, f64)) {
        if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
            return;
        }
        if (a.0 - b.0).abs() <= 0.5 && (a.1 - b.1).abs() > RULE_WIDTH {
            self.page.vertical.push(Rule {
                at: a.0,
                from: a.1.min(b.1),
                to: a.1.max(b.1),
            });
        } else if (a.1 - b.1).abs() <= 0.5 && (a.0 - b.0).abs() > RULE_WIDTH {
            self.page.horizontal.push(Rule {
                at: a.1,
                from: a.0.min(b.0),
                to: a.0.max(b.0),
            });
        }
    }

    fn image(&mut self, ctm: &M) {
        let area = (ctm[0] * ctm[3] - ctm[1] * ctm[2]).abs();
        if area.is_finite() {
            self.page.image_area += area;
        }
    }

    fn xobject(&mut self, resources: Option<&Dictionary>, name: &[u8], gs: &State, depth: u32) {
        let Some(xobjects) = resources.and_then(|r| dict(self.doc, r, b"XObject")) else {
            return;
        };
        let Ok(obj) = xobjects.get(name) else {
            return;
        };
        let Object::Stream(stream) = deref(self.doc, obj) else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => self.image(&gs.ctm),
            Ok(b"Form") if depth < FORM_DEPTH => {
                let Ok(content) = stream.get_plain_content_with_limit(CONTENT_LIMIT) else {
                    return;
                };
                let mut inner = gs.clone();
                if let Ok(Object::Array(m)) = stream.dict.get(b"Matrix").map(|o| deref(self.doc, o))
                    && let Some(m) = matrix(m)
                {
                    inner.ctm = mul(&m, &gs.ctm);
                }
                let res = dict(self.doc, &stream.dict, b"Resources").or(resources);
                self.run(&content, res, &mut inner, depth + 1);
            }
            _ => {}
        }
    }
}

fn matrix(a: &[Object]) -> Option<M> {
    if a.len() < 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (k, o) in a.iter().take(6).enumerate() {
        m[k] = num(o).filter(|v| v.is_finite())?;
    }
    Some(m)
}

/// A PDF text string: UTF-16BE with its byte-order mark, UTF-8 with its
/// mark, else PDFDocEncoding (read as Latin-1).
fn pdf_text(s: &[u8]) -> String {
    if let Some(rest) = s.strip_prefix(&[0xFE, 0xFF]) {
        encoding_rs::UTF_16BE
            .decode_without_bom_handling(rest)
            .0
            .into_owned()
    } else if let Some(rest) = s.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        s.iter().map(|&b| char::from(b)).collect()
    }
}
