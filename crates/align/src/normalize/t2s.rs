//! Traditional → simplified Chinese, character by character, with the
//! `fast2s` crate's conversion table (derived from OpenCC's, with the
//! context rules for characters whose conversion depends on neighbours).

use super::{Filter, NormText};

/// Traditional → simplified characters.
#[derive(Debug, Clone, Copy, Default)]
pub struct TraditionalToSimplified;

/// CJK ideographs of the basic block (the common case, checked first).
pub(crate) fn is_plain_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// For each basic-block ideograph, whether fast2s converts it (built once):
/// text without such a character is left alone without a conversion pass.
fn convertible(c: char) -> bool {
    static TABLE: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        ('\u{4E00}'..='\u{9FFF}')
            .map(|c| {
                let mut s = String::new();
                s.push(c);
                !fast2s::convert(&s).starts_with(c)
            })
            .collect()
    });
    if is_plain_cjk(c) {
        table[c as usize - 0x4E00]
    } else {
        !c.is_ascii()
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
