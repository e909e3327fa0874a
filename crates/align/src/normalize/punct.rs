//! Punctuation and whitespace: dropped, and letters lowercased, so
//! `“五公开”` and `"五公开"` and `五 公开` compare equal.

use super::text::{Filter, NormText};

/// Whether `c` is a letter or digit: the common cases (ASCII, CJK
/// ideographs, Chinese punctuation) without a Unicode table lookup.
fn keep(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        _ if crate::normalize::t2s::is_plain_cjk(c) => true,
        '、' | '。' | '《' | '》' | '「' | '」' | '『' | '』' | '【' | '】' | '〔' | '〕' | '‘'
        | '’' | '“' | '”' | '—' | '…' | '·' | '　' => false,
        _ => c.is_alphanumeric(),
    }
}

/// Keeps letters (CJK included) and digits, lowercases ASCII.
#[derive(Debug, Clone, Copy, Default)]
pub struct Punctuation;

impl Filter for Punctuation {
    fn apply(&self, text: &mut NormText) -> bool {
        text.retain(|_, c| keep(c));
        for c in &mut text.chars {
            if c.is_ascii_uppercase() {
                *c = c.to_ascii_lowercase();
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The shortcut agrees with the Unicode tables.
        #[test]
        fn keep_is_alphanumeric(c in any::<char>()) {
            prop_assert_eq!(super::keep(c), c.is_alphanumeric());
        }
    }

    #[test]
    fn chinese_punctuation_is_dropped() {
        for c in "、。《》「」『』【】〔〕‘’“”—…·　".chars() {
            assert!(!c.is_alphanumeric() && !super::keep(c), "{c}");
        }
    }
}
