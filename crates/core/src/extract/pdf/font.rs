//! Fonts as text extraction needs them: how a shown string splits into
//! codes, the Unicode text of each code, and its advance width.
//!
//! - Composite fonts (`Type0`): codes split by the `/Encoding` CMap
//!   (`Identity-H`/`-V`: two bytes; an embedded CMap: its code space;
//!   the predefined Chinese, Japanese and Korean CMaps: their byte
//!   layouts), text from `/ToUnicode`, else from the CMap's own character
//!   set (`UniGB-UCS2-H` is UTF-16, `GBK-EUC-H` is GBK, …); widths from
//!   the descendant font's `/W` array (both the `c [w…]` and the
//!   `c_first c_last w` forms) and `/DW`, keyed by CID.
//! - Simple fonts (`Type1`, `TrueType`, `MMType1`, `Type3`): one byte per
//!   code; text from `/ToUnicode`, else from `/Encoding` (a base encoding
//!   and its `/Differences`, glyph names read through the Adobe Glyph
//!   List); widths from `/FirstChar` and `/Widths`, `/MissingWidth`
//!   otherwise. A `Type3` font's widths are in its glyph space, scaled by
//!   its `/FontMatrix`.
//!
//! Widths are in text space per unit of font size (a 1000-unit glyph of a
//! font at the usual `/FontMatrix` is 1.0).

use std::rc::Rc;

use lopdf::{Dictionary, Document, Encoding, Object};
use rustc_hash::FxHashMap;

use super::cmap::{CMap, glyph_name_text};
use super::object::{deref, num};

/// The largest decoded size of a font's CMap stream read, in bytes.
const CMAP_LIMIT: usize = 16 << 20;

/// How the bytes of a shown string split into codes and what a code's
/// text is when the font has no `/ToUnicode` for it.
#[derive(Debug, Clone)]
enum Codes {
    /// One byte per code; text from the encoding's table.
    Simple(Box<[Option<char>; 256]>),
    /// Two bytes per code, the code being the CID (`Identity-H`).
    Identity,
    /// An embedded CMap: its code space and CIDs.
    Embedded(Rc<CMap>),
    /// A predefined CMap whose codes are text in a character set:
    /// `UniGB-UCS2-H` and the like (UTF-16BE), `GBK-EUC-H` (GBK), ….
    Charset(Charset),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    Utf16,
    Gbk,
    Gb18030,
    Big5,
    ShiftJis,
    EucKr,
}

impl Charset {
    /// The predefined CMap of this name, if it is one luoshi reads.
    fn of(name: &[u8]) -> Option<Charset> {
        let n = std::str::from_utf8(name).ok()?;
        let base = n
            .strip_suffix("-H")
            .or_else(|| n.strip_suffix("-V"))
            .unwrap_or(n);
        Some(match base {
            b if b.starts_with("Uni") && (b.contains("UCS2") || b.contains("UTF16")) => {
                Charset::Utf16
            }
            "GB-EUC" | "GBpc-EUC" | "GBK-EUC" | "GBKp-EUC" | "GBT-EUC" | "GBTpc-EUC" => {
                Charset::Gbk
            }
            "GBK2K" => Charset::Gb18030,
            "B5pc" | "ETen-B5" | "HKscs-B5" | "ETenms-B5" | "B5" => Charset::Big5,
            "90ms-RKSJ" | "90msp-RKSJ" | "83pv-RKSJ" | "90pv-RKSJ" | "Add-RKSJ" | "Ext-RKSJ"
            | "RKSJ" => Charset::ShiftJis,
            "KSC-EUC" | "KSCms-UHC" | "KSCpc-EUC" | "KSCms-UHC-HW" => Charset::EucKr,
            _ => return None,
        })
    }

    /// The byte count of the code at the start of `b`.
    fn code_len(self, b: &[u8]) -> usize {
        let first = b[0];
        match self {
            Charset::Utf16 => {
                if b.len() >= 4 && (0xD8..=0xDB).contains(&first) {
                    4
                } else {
                    2
                }
            }
            Charset::Gbk | Charset::Big5 | Charset::EucKr => {
                if first >= 0x81 && first != 0xFF {
                    2
                } else {
                    1
                }
            }
            Charset::Gb18030 => {
                if first < 0x81 || first == 0xFF {
                    1
                } else if b.len() >= 4 && (0x30..=0x39).contains(&b.get(1).copied().unwrap_or(0)) {
                    4
                } else {
                    2
                }
            }
            Charset::ShiftJis => {
                if (0x81..=0x9F).contains(&first) || (0xE0..=0xFC).contains(&first) {
                    2
                } else {
                    1
                }
            }
        }
    }

    fn decode(self, b: &[u8]) -> String {
        let enc = match self {
            Charset::Utf16 => encoding_rs::UTF_16BE,
            Charset::Gbk => encoding_rs::GBK,
            Charset::Gb18030 => encoding_rs::GB18030,
            Charset::Big5 => encoding_rs::BIG5,
            Charset::ShiftJis => encoding_rs::SHIFT_JIS,
            Charset::EucKr => encoding_rs::EUC_KR,
        };
        let (s, _, bad) = enc.decode(b);
        if bad { String::new() } else { s.into_owned() }
    }
}

/// Widths by code (simple fonts) or by CID (composite fonts).
#[derive(Debug, Clone, Default)]
struct Widths {
    first: u32,
    table: Vec<f64>,
    /// CID ranges with one width: (first, last, width).
    ranges: Vec<(u32, u32, f64)>,
    default: f64,
}

impl Widths {
    fn get(&self, key: u32) -> Option<f64> {
        if let Some(i) = key.checked_sub(self.first)
            && let Some(&w) = self.table.get(i as usize)
        {
            return Some(w);
        }
        let i = self.ranges.partition_point(|r| r.0 <= key);
        let r = self.ranges.get(i.checked_sub(1)?)?;
        (key <= r.1).then_some(r.2)
    }
}

/// One code of a shown string.
#[derive(Debug, Clone)]
pub(super) struct Code {
    /// Its text (empty when the font does not say).
    pub(super) text: String,
    /// Advance width in text space per unit font size.
    pub(super) width: f64,
    /// A one-byte code 32 (word spacing applies to it).
    pub(super) space: bool,
}

/// A font, ready to decode shown strings.
#[derive(Debug, Clone)]
pub(super) struct Font {
    codes: Codes,
    to_unicode: Option<Rc<CMap>>,
    widths: Widths,
    /// Glyph space → text space, horizontal and vertical (0.001 except for
    /// `Type3`).
    pub(super) scale: (f64, f64),
    /// Decoded text by code, for repeated codes.
    cache: FxHashMap<(u8, u32), (String, f64)>,
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> &'a Object {
    d.get(key).map_or(&Object::Null, |o| deref(doc, o))
}

fn cmap_stream(doc: &Document, o: &Object) -> Option<CMap> {
    match o {
        Object::Stream(s) => {
            let data = s.get_plain_content_with_limit(CMAP_LIMIT).ok()?;
            let m = CMap::parse(&data);
            (!m.is_empty() || !m.codespace.is_empty()).then_some(m)
        }
        Object::Reference(_) => cmap_stream(doc, deref(doc, o)),
        _ => None,
    }
}

/// The default font: one byte per code, Latin-1-ish text, 500-unit glyphs.
impl Default for Font {
    fn default() -> Self {
        Font {
            codes: Codes::Simple(
                base_table(b"StandardEncoding").unwrap_or_else(|| Box::new([None; 256])),
            ),
            to_unicode: None,
            widths: Widths {
                default: 0.5,
                ..Widths::default()
            },
            scale: (0.001, 0.001),
            cache: FxHashMap::default(),
        }
    }
}

/// A simple font's characters by code.
type Table = Box<[Option<char>; 256]>;

/// A font dictionary with only `/Encoding`, for `lopdf` to read.
fn encoding_font(encoding: Object) -> Dictionary {
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Encoding", encoding);
    font
}

/// The table of a base encoding (`WinAnsiEncoding`, `StandardEncoding`,
/// `MacRomanEncoding`, `MacExpertEncoding`, `PDFDocEncoding`), as `lopdf`
/// holds them.
fn base_table(name: &[u8]) -> Option<Box<[Option<char>; 256]>> {
    thread_local! {
        static TABLES: std::cell::RefCell<FxHashMap<Vec<u8>, Table>> =
            std::cell::RefCell::new(FxHashMap::default());
    }
    if !matches!(
        name,
        b"WinAnsiEncoding"
            | b"StandardEncoding"
            | b"MacRomanEncoding"
            | b"MacExpertEncoding"
            | b"PDFDocEncoding"
    ) {
        return None;
    }
    if let Some(t) = TABLES.with(|t| t.borrow().get(name).cloned()) {
        return Some(t);
    }
    let doc = Document::new();
    let font = encoding_font(Object::Name(name.to_vec()));
    let enc = font.get_font_encoding(&doc).ok()?;
    let mut t = Box::new([None; 256]);
    for (b, slot) in t.iter_mut().enumerate() {
        let s = enc.bytes_to_string(&[b as u8]).unwrap_or_default();
        let mut cs = s.chars();
        *slot = cs.next().filter(|_| cs.next().is_none());
    }
    TABLES.with(|tables| tables.borrow_mut().insert(name.to_vec(), t.clone()));
    Some(t)
}

impl Font {
    /// Reads a font dictionary. Never fails: what cannot be read falls
    /// back to defaults (and codes without text give none).
    pub(super) fn load(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = get(doc, dict, b"Subtype").as_name().unwrap_or(b"");
        let to_unicode = cmap_stream(doc, get(doc, dict, b"ToUnicode")).map(Rc::new);
        if subtype == b"Type0" {
            Self::composite(doc, dict, to_unicode)
        } else {
            Self::simple(doc, dict, subtype, to_unicode)
        }
    }

    fn composite(doc: &Document, dict: &Dictionary, to_unicode: Option<Rc<CMap>>) -> Font {
        let enc = get(doc, dict, b"Encoding");
        let codes = match enc {
            Object::Name(n) if n.starts_with(b"Identity") => Codes::Identity,
            Object::Name(n) => match Charset::of(n) {
                Some(c) => Codes::Charset(c),
                None => Codes::Identity,
            },
            Object::Stream(_) => match cmap_stream(doc, enc) {
                Some(m) if !m.codespace.is_empty() => Codes::Embedded(Rc::new(m)),
                _ => Codes::Identity,
            },
            _ => Codes::Identity,
        };
        let mut widths = Widths {
            default: 1.0,
            ..Widths::default()
        };
        let descendant = match get(doc, dict, b"DescendantFonts") {
            Object::Array(a) => a.first().map(|o| deref(doc, o)),
            _ => None,
        };
        if let Some(Object::Dictionary(cid)) = descendant {
            if let Some(dw) = num(get(doc, cid, b"DW")) {
                widths.default = dw / 1000.0;
            }
            if let Object::Array(w) = get(doc, cid, b"W") {
                let mut i = 0;
                while i < w.len() {
                    let Some(first) = num(deref(doc, &w[i])) else {
                        i += 1;
                        continue;
                    };
                    let first = first.clamp(0.0, f64::from(u32::MAX)) as u32;
                    match w.get(i + 1).map(|o| deref(doc, o)) {
                        Some(Object::Array(ws)) => {
                            for (k, o) in ws.iter().enumerate() {
                                if let Some(v) = num(deref(doc, o)) {
                                    let c = first.saturating_add(k as u32);
                                    widths.ranges.push((c, c, v / 1000.0));
                                }
                            }
                            i += 2;
                        }
                        Some(o) => {
                            // c_first c_last w
                            let last = num(o).map(|v| v.clamp(0.0, f64::from(u32::MAX)) as u32);
                            let v = w.get(i + 2).and_then(|o| num(deref(doc, o)));
                            if let (Some(last), Some(v)) = (last, v)
                                && last >= first
                            {
                                widths.ranges.push((first, last, v / 1000.0));
                            }
                            i += 3;
                        }
                        None => break,
                    }
                }
                widths.ranges.sort_by_key(|r| r.0);
            }
        }
        Font {
            codes,
            to_unicode,
            widths,
            scale: (0.001, 0.001),
            cache: FxHashMap::default(),
        }
    }

    fn simple(
        doc: &Document,
        dict: &Dictionary,
        subtype: &[u8],
        to_unicode: Option<Rc<CMap>>,
    ) -> Font {
        let enc = get(doc, dict, b"Encoding");
        let default_base: &[u8] = if subtype == b"TrueType" {
            b"WinAnsiEncoding"
        } else {
            b"StandardEncoding"
        };
        let mut table = base_table(default_base).unwrap_or_else(|| Box::new([None; 256]));
        match enc {
            Object::Name(n) => {
                if let Some(b) = base_table(n) {
                    table = b;
                }
            }
            Object::Dictionary(d) => {
                if let Some(b) = get(doc, d, b"BaseEncoding")
                    .as_name()
                    .ok()
                    .and_then(base_table)
                {
                    table = b;
                }
                if let Object::Array(diffs) = get(doc, d, b"Differences") {
                    let mut code: i64 = 0;
                    for o in diffs {
                        match deref(doc, o) {
                            Object::Integer(i) => code = *i,
                            Object::Name(name) => {
                                if let Ok(c) = usize::try_from(code)
                                    && c < 256
                                {
                                    table[c] = glyph_char(name);
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        let mut widths = Widths::default();
        let descriptor = match get(doc, dict, b"FontDescriptor") {
            Object::Dictionary(d) => Some(d),
            _ => None,
        };
        let missing = descriptor
            .and_then(|d| num(get(doc, d, b"MissingWidth")))
            .filter(|w| *w > 0.0);
        let mut scale = (0.001, 0.001);
        if subtype == b"Type3"
            && let Object::Array(m) = get(doc, dict, b"FontMatrix")
        {
            let v: Vec<f64> = m.iter().filter_map(|o| num(deref(doc, o))).collect();
            if v.len() == 6 && v.iter().all(|x| x.is_finite()) {
                scale = (v[0].abs(), v[3].abs());
            }
        }
        // Width units: 1000 per em except in Type3, where the font matrix
        // says; `table` widths are kept in glyph units and scaled on use.
        widths.default = missing.unwrap_or(if subtype == b"Type3" { 0.0 } else { 500.0 });
        widths.first = num(get(doc, dict, b"FirstChar")).map_or(0, |f| f.clamp(0.0, 255.0) as u32);
        if let Object::Array(ws) = get(doc, dict, b"Widths") {
            widths.table = ws
                .iter()
                .map(|o| num(deref(doc, o)).unwrap_or(widths.default))
                .collect();
        }
        // Simple fonts keep glyph units; `width` scales them.
        let k = scale.0;
        widths.default *= k;
        for w in &mut widths.table {
            *w *= k;
        }
        Font {
            codes: Codes::Simple(table),
            to_unicode,
            widths,
            scale,
            cache: FxHashMap::default(),
        }
    }

    /// Splits `bytes` into codes with their text and widths.
    pub(super) fn decode(&mut self, bytes: &[u8], out: &mut Vec<Code>) {
        out.clear();
        let mut i = 0;
        while i < bytes.len() {
            let rest = &bytes[i..];
            let len = match &self.codes {
                Codes::Simple(_) => 1,
                Codes::Identity => 2.min(rest.len()),
                Codes::Embedded(m) => m.code_len(rest).map_or(1, usize::from).min(rest.len()),
                Codes::Charset(c) => c.code_len(rest).min(rest.len()),
            };
            let code_bytes = &rest[..len];
            let mut code: u32 = 0;
            for &b in code_bytes.iter().take(4) {
                code = code << 8 | u32::from(b);
            }
            let key = (len.min(4) as u8, code);
            let (text, width) = match self.cache.get(&key) {
                Some(v) => v.clone(),
                None => {
                    let v = self.lookup(key.0, code, code_bytes);
                    self.cache.insert(key, v.clone());
                    v
                }
            };
            out.push(Code {
                text,
                width,
                space: len == 1 && code == 32,
            });
            i += len.max(1);
        }
    }

    fn lookup(&self, n: u8, code: u32, bytes: &[u8]) -> (String, f64) {
        let from_map = self
            .to_unicode
            .as_ref()
            .and_then(|m| m.text(n, code))
            .filter(|t| !t.is_empty() && t != "\u{FFFD}" && !t.chars().all(|c| c == '\0'));
        let fallback = || match &self.codes {
            Codes::Simple(t) => t[(code & 0xFF) as usize]
                .map(String::from)
                .unwrap_or_default(),
            Codes::Charset(c) => c.decode(bytes),
            Codes::Identity | Codes::Embedded(_) => String::new(),
        };
        let text = from_map.unwrap_or_else(fallback);
        let width = match &self.codes {
            Codes::Simple(_) => self.widths.get(code).unwrap_or(self.widths.default),
            Codes::Identity => self.widths.get(code).unwrap_or(self.widths.default),
            Codes::Embedded(m) => m
                .cid(n, code)
                .and_then(|cid| self.widths.get(cid))
                .unwrap_or(self.widths.default),
            // The CID of a predefined CMap's code is not known without the
            // CMap's data: half width for narrow characters, /DW otherwise.
            Codes::Charset(_) => {
                if text
                    .chars()
                    .all(|c| c.is_ascii() || ('\u{FF61}'..='\u{FF9F}').contains(&c))
                    && !text.is_empty()
                {
                    0.5
                } else {
                    self.widths.default
                }
            }
        };
        (text, if width.is_finite() { width } else { 0.0 })
    }
}

/// The character a glyph name stands for: a `uniXXXX`/`uXXXX` name, or
/// the Adobe Glyph List as `lopdf` holds it (read through a one-entry
/// `/Differences`; names it does not know give none).
fn glyph_char(name: &[u8]) -> Option<char> {
    thread_local! {
        static NAMES: std::cell::RefCell<FxHashMap<Vec<u8>, Option<char>>> =
            std::cell::RefCell::new(FxHashMap::default());
    }
    if let Some(s) = glyph_name_text(name) {
        let mut cs = s.chars();
        let c = cs.next()?;
        return cs.next().is_none().then_some(c);
    }
    if let Some(c) = NAMES.with(|n| n.borrow().get(name).copied()) {
        return c;
    }
    let doc = Document::new();
    let mut enc = Dictionary::new();
    enc.set(
        "Differences",
        Object::Array(vec![Object::Integer(0), Object::Name(name.to_vec())]),
    );
    let font = encoding_font(Object::Dictionary(enc));
    let c = match font.get_font_encoding(&doc) {
        Ok(Encoding::Differences(d)) => d
            .map
            .get(&0)
            .and_then(|g| char::from_u32(u32::from(g.utf16_code_unit()))),
        _ => None,
    };
    if NAMES.with(|n| n.borrow().len()) < 4096 {
        NAMES.with(|n| n.borrow_mut().insert(name.to_vec(), c));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_cmaps() {
        assert_eq!(Charset::of(b"UniGB-UCS2-H"), Some(Charset::Utf16));
        assert_eq!(Charset::of(b"UniGB-UTF16-V"), Some(Charset::Utf16));
        assert_eq!(Charset::of(b"GBK-EUC-H"), Some(Charset::Gbk));
        assert_eq!(Charset::of(b"GBK2K-H"), Some(Charset::Gb18030));
        assert_eq!(Charset::of(b"Identity-H"), None);
        let mut f = Font {
            codes: Codes::Charset(Charset::Gbk),
            ..Font::default()
        };
        f.widths.default = 1.0;
        let (gbk, _, _) = encoding_rs::GBK.encode("政务A公开");
        let mut out = Vec::new();
        f.decode(&gbk, &mut out);
        let texts: Vec<&str> = out.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["政", "务", "A", "公", "开"]);
        let widths: Vec<f64> = out.iter().map(|c| c.width).collect();
        assert_eq!(widths, [1.0, 1.0, 0.5, 1.0, 1.0]);
    }

    #[test]
    fn glyph_names_through_the_glyph_list() {
        assert_eq!(glyph_char(b"A"), Some('A'));
        assert_eq!(glyph_char(b"space"), Some(' '));
        assert_eq!(glyph_char(b"uni5DE5"), Some('工'));
        assert_eq!(glyph_char(b"g4CB4"), None);
    }

    #[test]
    fn odd_strings_never_panic() {
        for codes in [
            Codes::Identity,
            Codes::Charset(Charset::Utf16),
            Codes::Charset(Charset::Gb18030),
            Codes::Charset(Charset::ShiftJis),
            Codes::Embedded(Rc::new(CMap::parse(
                b"1 begincodespacerange <00> <FF> endcodespacerange",
            ))),
        ] {
            let mut f = Font {
                codes,
                ..Font::default()
            };
            let mut out = Vec::new();
            for bytes in [
                &b""[..],
                b"\xD8",
                b"\xD8\x00\xDC",
                b"\x81",
                b"\x81\x30\x81",
                b"abc",
            ] {
                f.decode(bytes, &mut out);
                assert!(out.len() <= bytes.len());
            }
        }
    }
}
