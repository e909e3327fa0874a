//! The normalized text and the filter trait every step implements: a
//! leaf the filters and the pipeline import (no filter imports the
//! pipeline that runs it).

use std::ops::Range;

/// Normalized text with a map back to raw byte offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NormText {
    /// The normalized characters.
    pub chars: Vec<char>,
    /// For each character, the byte offset of its origin in the raw text.
    pub offsets: Vec<usize>,
    /// Byte length of each origin character, so spans end correctly.
    pub widths: Vec<u8>,
}

impl NormText {
    /// Characters of `text`, each mapped to `base + its byte offset`.
    pub fn from_str_at(text: &str, base: usize) -> Self {
        let mut t = NormText::default();
        t.push_str_at(text, base);
        t
    }

    /// Characters of `text` mapped to their own offsets.
    pub fn new(text: &str) -> Self {
        Self::from_str_at(text, 0)
    }

    /// Appends `text` whose first byte sits at raw offset `base`.
    pub fn push_str_at(&mut self, text: &str, base: usize) {
        // Chinese text takes three bytes a character: reserving that is
        // cheaper than counting first (other text grows as it must).
        // The text is decoded once; offsets and widths then follow from
        // the characters in loops of known length.
        let start = self.chars.len();
        self.chars.reserve(text.len() / 3 + 1);
        self.chars.extend(text.chars());
        let added = &self.chars[start..];
        let mut at = base;
        self.offsets.extend(added.iter().map(|c| {
            let here = at;
            at += c.len_utf8();
            here
        }));
        self.widths.extend(added.iter().map(|c| c.len_utf8() as u8));
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether there are no characters.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The normalized text as a string.
    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }

    /// The raw byte span covered by normalized characters `range`.
    pub fn raw_span(&self, range: Range<usize>) -> Range<usize> {
        if range.start >= range.end || range.end > self.len() {
            return 0..0;
        }
        let start = self.offsets[range.start..range.end]
            .iter()
            .copied()
            .min()
            .unwrap_or(0);
        let end = (range.start..range.end)
            .map(|i| self.offsets[i] + self.widths[i] as usize)
            .max()
            .unwrap_or(start);
        start..end
    }

    /// Keeps the characters for which `keep` is true.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(usize, char) -> bool) {
        let mut w = 0;
        for r in 0..self.chars.len() {
            if keep(r, self.chars[r]) {
                self.chars[w] = self.chars[r];
                self.offsets[w] = self.offsets[r];
                self.widths[w] = self.widths[r];
                w += 1;
            }
        }
        self.chars.truncate(w);
        self.offsets.truncate(w);
        self.widths.truncate(w);
    }
}

/// One step of the pipeline.
pub trait Filter: Send + Sync + std::fmt::Debug {
    /// Transforms the text in place, keeping each character's offset.
    /// Returns whether it removed characters in a way that can form new
    /// matches for a filter (then the pipeline runs again); filters that
    /// are idempotent on their own return false.
    fn apply(&self, text: &mut NormText) -> bool;
}
