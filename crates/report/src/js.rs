//! Values as report.html's JavaScript reads them: offsets counted in
//! UTF-16 code units and shares rounded to 4 decimals. Shared by the
//! coverage page (`html`) and the views beyond it (`views`).

use serde_json::{Value, json};

use crate::corpus::round4;

/// The UTF-16 offset (what JavaScript strings count) of byte `b` of `s`;
/// a byte past the end or inside a character counts up to the last whole
/// character before it.
pub(crate) fn utf16_at(s: &str, b: usize) -> usize {
    let mut b = b.min(s.len());
    while !s.is_char_boundary(b) {
        b -= 1;
    }
    s[..b].encode_utf16().count()
}

/// A share rounded to 4 decimals, or null.
pub(crate) fn num(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |x| json!(round4(x)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_count_what_javascript_counts() {
        let s = "a政务𝌆b";
        let cases = [(0, 0), (1, 1), (4, 2), (7, 3), (11, 5), (12, 6), (99, 6)];
        for (byte, want) in cases {
            assert_eq!(utf16_at(s, byte), want, "byte {byte}");
        }
        // Inside a character: up to the last whole one.
        assert_eq!(utf16_at(s, 2), 1);
    }

    #[test]
    fn a_share_is_rounded_or_null() {
        assert_eq!(num(Some(0.123_456)), json!(0.1235));
        assert_eq!(num(None), Value::Null);
    }
}
