//! Punctuation and whitespace: dropped, and letters lowercased, so
//! `“五公开”` and `"五公开"` and `五 公开` compare equal.

use super::{Filter, NormText};

/// Keeps letters (CJK included) and digits, lowercases ASCII.
#[derive(Debug, Clone, Copy, Default)]
pub struct Punctuation;

impl Filter for Punctuation {
    fn apply(&self, text: &mut NormText) -> bool {
        text.retain(|_, c| crate::normalize::t2s::is_plain_cjk(c) || c.is_alphanumeric());
        for c in &mut text.chars {
            if c.is_ascii_uppercase() {
                *c = c.to_ascii_lowercase();
            }
        }
        false
    }
}
