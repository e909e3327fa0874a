//! Row and task numbers spliced into sentences by PDF table extraction
//! (`助力101112推进`): digit runs between two CJK characters that are not
//! followed by a unit of quantity or time are dropped.

use super::{Filter, NormText};

/// Characters after a number that make it a quantity, date or ordinal.
const QUANTITY: &str = "年月日号个项家次名人万亿元%％条天时周届批所座类种倍期季份部件位户轮分秒多余米亩吨台套场例级篇款点层千百";

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

/// Drops spliced row numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowNumbers;

impl Filter for RowNumbers {
    fn apply(&self, text: &mut NormText) -> bool {
        if !text.chars.iter().any(char::is_ascii_digit) {
            return false;
        }
        let chars = &text.chars;
        let mut drop = vec![false; chars.len()];
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|p| chars[p]);
            let after = chars.get(i).copied();
            if before.is_some_and(|b| is_cjk(b) && b != '第')
                && after.is_some_and(|a| is_cjk(a) && !QUANTITY.contains(a))
            {
                drop[start..i].iter_mut().for_each(|d| *d = true);
            }
        }
        let any = drop.iter().any(|&d| d);
        text.retain(|i, _| !drop[i]);
        any
    }
}
