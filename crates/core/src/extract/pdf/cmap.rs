//! CMap streams: a font's `/ToUnicode` map (codes → Unicode text) and an
//! embedded `/Encoding` CMap (codes → CIDs), with the code space ranges
//! that say how many bytes each code takes.
//!
//! Only the sections text extraction needs are read: `codespacerange`,
//! `bfchar`, `bfrange` (both the offset and the array form), `cidchar`
//! and `cidrange`. Anything else (`usecmap`, `notdefrange`, PostScript
//! around the sections) is skipped. A malformed entry is skipped, never
//! an error: a damaged map still maps the codes it can.

use rustc_hash::FxHashMap;

/// A parsed CMap.
#[derive(Debug, Default, Clone)]
pub(super) struct CMap {
    /// Code space ranges: (low, high, bytes).
    pub(super) codespace: Vec<(u32, u32, u8)>,
    /// Single codes → text (`bfchar`, and short `bfrange`s expanded).
    chars: FxHashMap<(u8, u32), String>,
    /// Long `bfrange`s: (bytes, low, high, first target as UTF-16).
    ranges: Vec<(u8, u32, u32, Vec<u16>)>,
    /// Codes → CIDs (`cidchar`, `cidrange`): (bytes, low, high, first CID).
    cids: Vec<(u8, u32, u32, u32)>,
}

/// `bfrange`s up to this many codes are expanded into single entries.
const EXPAND: u32 = 256;

/// A token of a CMap stream.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// `<…>`: the bytes and their count.
    Hex(u32, u8, Vec<u16>),
    Int(i64),
    Open,
    Close,
    Word(Vec<u8>),
}

fn tokens(data: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                out.push(Tok::Word(b"<<".to_vec()));
                i += 2;
            }
            b'>' if data.get(i + 1) == Some(&b'>') => {
                out.push(Tok::Word(b">>".to_vec()));
                i += 2;
            }
            b'<' => {
                let mut nibbles = Vec::new();
                i += 1;
                while i < data.len() && data[i] != b'>' {
                    if let Some(v) = (data[i] as char).to_digit(16) {
                        nibbles.push(v as u8);
                    }
                    i += 1;
                }
                i += 1;
                if nibbles.len() % 2 == 1 {
                    nibbles.push(0);
                }
                let bytes: Vec<u8> = nibbles.chunks(2).map(|p| p[0] << 4 | p[1]).collect();
                let mut code: u32 = 0;
                for &b in bytes.iter().take(4) {
                    code = code << 8 | u32::from(b);
                }
                let units: Vec<u16> = bytes
                    .chunks(2)
                    .map(|p| u16::from(p[0]) << 8 | u16::from(*p.get(1).unwrap_or(&0)))
                    .collect();
                out.push(Tok::Hex(code, bytes.len().min(4) as u8, units));
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // A literal string: skipped (not used in the sections read).
                let mut depth = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                out.push(Tok::Word(b"()".to_vec()));
            }
            c if c.is_ascii_whitespace() || c == 0 => i += 1,
            _ => {
                let start = i;
                while i < data.len()
                    && !data[i].is_ascii_whitespace()
                    && !b"<>[]()%".contains(&data[i])
                    && (i == start || data[i] != b'/')
                {
                    i += 1;
                }
                let word = &data[start..i.max(start + 1).min(data.len())];
                if i == start {
                    i += 1;
                }
                match std::str::from_utf8(word).ok().and_then(|s| s.parse().ok()) {
                    Some(n) => out.push(Tok::Int(n)),
                    None => out.push(Tok::Word(word.to_vec())),
                }
            }
        }
    }
    out
}

fn utf16(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

impl CMap {
    /// Parses a CMap stream's decoded bytes.
    pub(super) fn parse(data: &[u8]) -> CMap {
        let toks = tokens(data);
        let mut m = CMap::default();
        let mut i = 0;
        let word = |t: &Tok, w: &[u8]| matches!(t, Tok::Word(x) if x == w);
        while i < toks.len() {
            if word(&toks[i], b"begincodespacerange") {
                i += 1;
                while i + 1 < toks.len() && !word(&toks[i], b"endcodespacerange") {
                    if let (Tok::Hex(lo, n, _), Tok::Hex(hi, _, _)) = (&toks[i], &toks[i + 1]) {
                        m.codespace.push((*lo, *hi, (*n).max(1)));
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
            } else if word(&toks[i], b"beginbfchar") {
                i += 1;
                while i + 1 < toks.len() && !word(&toks[i], b"endbfchar") {
                    match (&toks[i], &toks[i + 1]) {
                        (Tok::Hex(code, n, _), Tok::Hex(_, _, dst)) => {
                            m.chars.insert((*n, *code), utf16(dst));
                            i += 2;
                        }
                        (Tok::Hex(code, n, _), Tok::Word(name)) => {
                            // A glyph name as target (rare): uniXXXX only.
                            if let Some(s) =
                                glyph_name_text(name.strip_prefix(b"/").unwrap_or(name))
                            {
                                m.chars.insert((*n, *code), s);
                            }
                            i += 2;
                        }
                        _ => i += 1,
                    }
                }
            } else if word(&toks[i], b"beginbfrange") {
                i += 1;
                while i + 2 < toks.len() && !word(&toks[i], b"endbfrange") {
                    match (&toks[i], &toks[i + 1], &toks[i + 2]) {
                        (Tok::Hex(lo, n, _), Tok::Hex(hi, _, _), Tok::Hex(_, _, dst)) => {
                            m.put_range(*n, *lo, *hi, dst);
                            i += 3;
                        }
                        (Tok::Hex(lo, n, _), Tok::Hex(hi, _, _), Tok::Open) => {
                            let mut j = i + 3;
                            let mut code = *lo;
                            while j < toks.len() && toks[j] != Tok::Close {
                                if let Tok::Hex(_, _, dst) = &toks[j]
                                    && code <= *hi
                                {
                                    m.chars.insert((*n, code), utf16(dst));
                                    code = code.saturating_add(1);
                                }
                                j += 1;
                            }
                            i = j + 1;
                        }
                        _ => i += 1,
                    }
                }
            } else if word(&toks[i], b"begincidchar") {
                i += 1;
                while i + 1 < toks.len() && !word(&toks[i], b"endcidchar") {
                    if let (Tok::Hex(code, n, _), Tok::Int(cid)) = (&toks[i], &toks[i + 1]) {
                        if let Ok(cid) = u32::try_from(*cid) {
                            m.cids.push((*n, *code, *code, cid));
                        }
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
            } else if word(&toks[i], b"begincidrange") {
                i += 1;
                while i + 2 < toks.len() && !word(&toks[i], b"endcidrange") {
                    if let (Tok::Hex(lo, n, _), Tok::Hex(hi, _, _), Tok::Int(cid)) =
                        (&toks[i], &toks[i + 1], &toks[i + 2])
                    {
                        if let Ok(cid) = u32::try_from(*cid)
                            && lo <= hi
                        {
                            m.cids.push((*n, *lo, *hi, cid));
                        }
                        i += 3;
                    } else {
                        i += 1;
                    }
                }
            } else {
                i += 1;
            }
        }
        m.ranges.sort_by_key(|r| (r.0, r.1));
        m.cids.sort_by_key(|r| (r.0, r.1));
        m
    }

    fn put_range(&mut self, n: u8, lo: u32, hi: u32, dst: &[u16]) {
        if hi < lo || dst.is_empty() {
            return;
        }
        if hi - lo < EXPAND {
            for (k, code) in (lo..=hi).enumerate() {
                let mut t = dst.to_vec();
                if let Some(last) = t.last_mut() {
                    *last = last.wrapping_add(k as u16);
                }
                self.chars.insert((n, code), utf16(&t));
            }
        } else {
            self.ranges.push((n, lo, hi, dst.to_vec()));
        }
    }

    /// The text of code `code` of `n` bytes, if the map has it.
    pub(super) fn text(&self, n: u8, code: u32) -> Option<String> {
        if let Some(s) = self.chars.get(&(n, code)) {
            return Some(s.clone());
        }
        let i = self.ranges.partition_point(|r| (r.0, r.1) <= (n, code));
        let r = self.ranges.get(i.checked_sub(1)?)?;
        if r.0 != n || code > r.2 {
            return None;
        }
        let mut t = r.3.clone();
        if let Some(last) = t.last_mut() {
            *last = last.wrapping_add((code - r.1) as u16);
        }
        Some(utf16(&t))
    }

    /// The CID of code `code` of `n` bytes (`cidchar`/`cidrange`).
    pub(super) fn cid(&self, n: u8, code: u32) -> Option<u32> {
        let i = self.cids.partition_point(|r| (r.0, r.1) <= (n, code));
        let r = self.cids.get(i.checked_sub(1)?)?;
        (r.0 == n && code <= r.2).then(|| r.3.saturating_add(code - r.1))
    }

    /// Whether the map says anything about codes.
    pub(super) fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty() && self.cids.is_empty()
    }

    /// The number of bytes of the code starting `bytes`, by the code space
    /// ranges (the shortest range matching the leading bytes), if any
    /// range matches.
    pub(super) fn code_len(&self, bytes: &[u8]) -> Option<u8> {
        let mut best: Option<u8> = None;
        for &(lo, hi, n) in &self.codespace {
            let n_us = usize::from(n);
            if n_us == 0 || n_us > 4 || bytes.len() < n_us {
                continue;
            }
            // Each byte within the range's byte bounds.
            let ok = (0..n_us).all(|k| {
                let shift = 8 * (n_us - 1 - k);
                let b = u32::from(bytes[k]);
                (lo >> shift & 0xFF) <= b && b <= (hi >> shift & 0xFF)
            });
            if ok && best.is_none_or(|b| n < b) {
                best = Some(n);
            }
        }
        best
    }
}

/// The text a glyph name stands for when it spells a code point
/// (`uni4E2D`, `u4E2D`, `uni4E2D4E2E`); other names are looked up by the
/// caller in the Adobe Glyph List.
pub(super) fn glyph_name_text(name: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(name).ok()?;
    let s = s.split('.').next()?;
    if let Some(hex) = s.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        let units: Vec<u16> = hex
            .as_bytes()
            .chunks(4)
            .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
            .collect();
        return Some(utf16(&units));
    }
    if let Some(hex) = s.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return char::from_u32(u32::from_str_radix(hex, 16).ok()?).map(String::from);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_sections() {
        let data = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 beginbfchar <0003> <0020> <0045> <2F2F> endbfchar\n\
            2 beginbfrange <0010> <0012> <4E00> <0020> <0021> [<5DE5> <00660069>]\n\
            <1000> <2FFF> <6000> endbfrange\n\
            1 begincidrange <8140> <817E> 633 endcidrange\n\
            endcmap CMapName currentdict /CMap defineresource pop end end";
        let m = CMap::parse(data);
        assert_eq!(m.codespace, vec![(0, 0xFFFF, 2)]);
        let cases = [
            (0x0003, Some(" ")),
            (0x0045, Some("⼯")),
            (0x0010, Some("一")),
            (0x0012, Some("丂")),
            (0x0020, Some("工")),
            (0x0021, Some("fi")),
            (0x1001, Some("态")),
            (0x0013, None),
            (0x3000, None),
        ];
        for (code, want) in cases {
            assert_eq!(m.text(2, code).as_deref(), want, "{code:04X}");
        }
        assert_eq!(m.text(1, 0x03), None);
        assert_eq!(m.cid(2, 0x8141), Some(634));
        assert_eq!(m.cid(2, 0x8200), None);
        assert_eq!(m.code_len(&[0x12, 0x34, 0x56]), Some(2));
        assert_eq!(m.code_len(&[0x12]), None);
    }

    #[test]
    fn mixed_code_lengths() {
        let m = CMap::parse(b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange");
        assert_eq!(m.code_len(b"A"), Some(1));
        assert_eq!(m.code_len(&[0xB9, 0xA4]), Some(2));
        assert_eq!(m.code_len(&[0xFF, 0x00]), None);
    }

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_text(b"uni4E2D").as_deref(), Some("中"));
        assert_eq!(glyph_name_text(b"uni4E2D4E2E").as_deref(), Some("中丮"));
        assert_eq!(glyph_name_text(b"u20628").as_deref(), Some("\u{20628}"));
        assert_eq!(glyph_name_text(b"g4CB4"), None);
        assert_eq!(glyph_name_text(b"A"), None);
    }

    #[test]
    fn garbage_never_panics() {
        for data in [
            &b"beginbfrange <00> <ff>"[..],
            b"begincodespacerange <",
            b"beginbfchar <01> [",
            b"beginbfrange <ffffffff> <00000000> <41> endbfrange",
            b"beginbfrange <00> <ffffffff> <41> endbfrange",
            b"((((",
            b"/",
        ] {
            let m = CMap::parse(data);
            let _ = m.text(1, 0);
            let _ = m.text(4, u32::MAX);
            let _ = m.code_len(&[0xFF; 4]);
        }
    }
}
