//! Traditional → simplified Chinese, character by character, with the
//! `fast2s` crate's conversion table (derived from OpenCC's, with the
//! context rules for characters whose conversion depends on neighbours).

use super::text::{Filter, NormText};

/// Traditional → simplified characters.
#[derive(Debug, Clone, Copy, Default)]
pub struct TraditionalToSimplified;

/// CJK ideographs of the basic block (the common case, checked first).
pub(crate) fn is_plain_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// For each character of the Basic Multilingual Plane, whether fast2s
/// converts it (one bit each, built once): text without such a character
/// is left alone without a conversion pass. Outside the BMP (rare
/// ideographs) every character is assumed convertible.
pub(crate) fn convertible(c: char) -> bool {
    static TABLE: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        let mut s = String::new();
        for c in (0..0x10000u32).filter_map(char::from_u32) {
            if c.is_ascii() {
                continue;
            }
            s.clear();
            s.push(c);
            if !fast2s::convert(&s).starts_with(c) {
                bits[c as usize / 64] |= 1 << (c as usize % 64);
            }
        }
        bits
    });
    match table.get(c as usize / 64) {
        Some(word) => word & (1 << (c as usize % 64)) != 0,
        None => true,
    }
}

impl Filter for TraditionalToSimplified {
    fn apply(&self, text: &mut NormText) -> bool {
        if !text.chars.iter().any(|&c| convertible(c)) {
            return false;
        }
        let s: String = text.chars.iter().collect();
        let converted = fast2s::convert(&s);
        let out: Vec<char> = converted.chars().collect();
        // fast2s maps one character to one character; keep the input if a
        // future table ever breaks that.
        if out.len() == text.chars.len() {
            text.chars = out;
        }
        false
    }
}
