//! Unicode NFKC: full-width letters, digits and punctuation become their
//! ASCII forms, compatibility ideographs their unified forms.

use unicode_normalization::UnicodeNormalization;

use super::text::{Filter, NormText};

/// NFKC per character; each output character keeps its input's offset.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nfkc;

impl Filter for Nfkc {
    fn apply(&self, text: &mut NormText) -> bool {
        if text
            .chars
            .iter()
            .all(|c| c.is_ascii() || crate::normalize::t2s::is_plain_cjk(*c))
        {
            return false;
        }
        // In place while every character maps to exactly one (the common
        // case: full-width punctuation and letters); rebuild only when one
        // expands or vanishes.
        let mut i = 0;
        while i < text.len() {
            let c0 = text.chars[i];
            if !(c0.is_ascii() || crate::normalize::t2s::is_plain_cjk(c0)) {
                let mut mapped = std::iter::once(c0).nfkc();
                match (mapped.next(), mapped.next()) {
                    (Some(c), None) => text.chars[i] = c,
                    _ => break,
                }
            }
            i += 1;
        }
        if i == text.len() {
            return false;
        }
        let mut out = NormText::default();
        for i in 0..text.len() {
            let c0 = text.chars[i];
            if c0.is_ascii() || crate::normalize::t2s::is_plain_cjk(c0) {
                out.chars.push(c0);
                out.offsets.push(text.offsets[i]);
                out.widths.push(text.widths[i]);
                continue;
            }
            for c in std::iter::once(c0).nfkc() {
                out.chars.push(c);
                out.offsets.push(text.offsets[i]);
                out.widths.push(text.widths[i]);
            }
        }
        *text = out;
        false
    }
}
