//! The layout every extractor shares: blocks laid out as text (one per
//! line, cells joined by tabs), the cleaning of the text put in, and the
//! guard that turns a reader's panic into an error.

use std::path::PathBuf;

use super::block::{Block, BlockKind};
use super::radicals::fold_radicals;
use crate::error::{Error, Result};

/// Lays blocks out as text: one per line, cells joined by tabs. Text put
/// in is cleaned: control characters dropped, tabs and line breaks inside
/// a paragraph or cell joined (see [`join_lines`]).
#[derive(Debug, Default)]
pub(crate) struct Builder {
    text: String,
    blocks: Vec<Block>,
}

impl Builder {
    /// Adds a heading or paragraph; `keep_tabs` keeps tab characters (a
    /// DOCX paragraph laid out with tabs reads like a row).
    pub(crate) fn block(&mut self, kind: BlockKind, s: &str, page: Option<u32>) {
        let clean = clean(s, false);
        if clean.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(&clean);
        self.blocks.push(Block {
            kind,
            span: start..self.text.len(),
            cells: Vec::new(),
            page,
        });
        self.text.push('\n');
    }

    /// Adds a table row; trailing empty cells are dropped, a row with no
    /// text is skipped, a row of one cell is a paragraph.
    pub(crate) fn row(&mut self, cells: &[String], page: Option<u32>) {
        let cleaned: Vec<String> = cells.iter().map(|c| clean(c, true)).collect();
        let n = cleaned
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        if n == 0 {
            return;
        }
        if n == 1 {
            return self.block(BlockKind::Paragraph, &cleaned[0], page);
        }
        let start = self.text.len();
        let mut spans = Vec::with_capacity(n);
        for (i, c) in cleaned[..n].iter().enumerate() {
            if i > 0 {
                self.text.push('\t');
            }
            let at = self.text.len();
            self.text.push_str(c);
            spans.push(at..self.text.len());
        }
        self.blocks.push(Block {
            kind: BlockKind::Row,
            span: start..self.text.len(),
            cells: spans,
            page,
        });
        self.text.push('\n');
    }

    /// The text and blocks.
    pub(crate) fn finish(self) -> (String, Vec<Block>) {
        (self.text, self.blocks)
    }
}

/// Cleans a block's text: radicals folded into the ideographs they stand
/// for ([`fold_radicals`]), control characters other than tab and line
/// breaks dropped, line breaks joined by [`join_lines`], tabs kept in
/// paragraphs (they mark columns) or made spaces in cells, whitespace
/// trimmed.
fn clean(s: &str, in_cell: bool) -> String {
    let s: String = fold_radicals(s)
        .chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\t' && in_cell { ' ' } else { c })
        .collect();
    let lines: Vec<&str> = s.split(['\n', '\r']).map(str::trim).collect();
    join_lines(lines.iter().copied()).trim().to_string()
}

/// Joins the lines of one paragraph: nothing between them, except one
/// space between two Latin letters (a word wrap in Latin text). Chinese
/// text wraps anywhere, so a break between ideographs, digits or
/// punctuation is no boundary at all. Spaces a line keeps at its ends
/// (drawn in a PDF) are kept.
pub(crate) fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        if let (Some(a), Some(b)) = (out.chars().last(), line.chars().next())
            && a.is_ascii_alphabetic()
            && b.is_ascii_alphabetic()
        {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Runs `f`, turning a panic inside it into [`Error::Extract`].
pub(crate) fn no_panic<T>(format: &'static str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(Error::Extract {
                path: PathBuf::from("<bytes>"),
                format,
                message: format!("the reader failed on malformed input ({what})"),
            })
        }
    }
}
