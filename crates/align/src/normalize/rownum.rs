//! Row and task numbers spliced into sentences by PDF table extraction
//! (`助力101112推进`): digit runs dropped by the rule ingestion lifts them
//! with, [`luoshi_core::text::is_row_number`] (between CJK characters,
//! no ordinal before, no unit of quantity or time after).

use luoshi_core::text::row_numbers;

use super::text::{Filter, NormText};

/// Drops spliced row numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowNumbers;

impl Filter for RowNumbers {
    fn apply(&self, text: &mut NormText) -> bool {
        if !text.chars.iter().any(char::is_ascii_digit) {
            return false;
        }
        let mut drop = vec![false; text.chars.len()];
        let mut any = false;
        for r in row_numbers(text.chars.iter().copied().enumerate()) {
            drop[r].fill(true);
            any = true;
        }
        if any {
            text.retain(|i, _| !drop[i]);
        }
        any
    }
}
