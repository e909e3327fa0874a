//! Punctuation and whitespace: dropped, and letters lowercased, so
//! `“五公开”` and `"五公开"` and `五 公开` compare equal.

use super::{Filter, NormText};

/// Keeps letters (CJK included) and digits, lowercases ASCII.
#[derive(Debug, Clone, Copy, Default)]
pub struct Punctuation;

impl Filter for Punctuation {
    fn apply(&self, text: &mut NormText) {
        text.retain(|_, c| c.is_alphanumeric());
        for c in &mut text.chars {
            if c.is_ascii_uppercase() {
                *c = c.to_ascii_lowercase();
            }
        }
    }
}
