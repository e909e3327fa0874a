//! Prose lines: headings, boilerplate and requirement sentences.

use std::ops::Range;

use crate::ingest::boilerplate::{is_boilerplate, is_page_furniture};
use crate::ingest::deadline::find_deadline;
use crate::ingest::item::{Item, ItemKind, Splice, SpliceKind, item};
use crate::ingest::options::IngestOptions;
use crate::ingest::segment::{is_bracket_note, prose_pieces};
use crate::ingest::splice::lift;
use crate::markers::marker_at;
use crate::text::{has_content_chars, join_cjk_wraps};

/// Longest heading title, in characters.
const MAX_HEADING_CHARS: usize = 32;

/// What follows a piece of prose: it decides whether a marked piece opens
/// a section (a heading has a body: text, or deeper-numbered points) or
/// is a numbered point itself (followed straight by its next sibling, a
/// shallower marker, or nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Follows {
    /// Unmarked text (or a table).
    Text,
    /// A piece opening with a marker of this depth.
    Marker(usize),
    /// The end of the document.
    End,
}

impl Follows {
    /// What a piece starting `s` is. A responsibility note
    /// (`（市发改委牵头落实）`, `责任单位：…`) is no body: it closes the
    /// point before it.
    pub(crate) fn of(s: &str) -> Follows {
        match marker_at(s) {
            Some(m) => Follows::Marker(m.kind.depth()),
            None if is_bracket_note(s.trim()) || is_page_furniture(s.trim()) => Follows::End,
            None => Follows::Text,
        }
    }

    /// Whether a heading of marker depth `depth` followed by this has a
    /// body.
    fn opens_section(self, depth: usize) -> bool {
        match self {
            Follows::Text => true,
            Follows::Marker(d) => d > depth,
            Follows::End => false,
        }
    }
}

/// The region's own outline as read so far.
#[derive(Debug, Default)]
pub(crate) struct ProseState {
    /// Open headings: (marker depth, title).
    path: Vec<(usize, String)>,
}

impl ProseState {
    /// The current heading path, outermost first.
    pub(crate) fn heading_path(&self) -> Vec<String> {
        self.path.iter().map(|(_, t)| t.clone()).collect()
    }

    fn open(&mut self, depth: usize, title: String) {
        self.path.retain(|(d, _)| *d < depth);
        self.path.push((depth, title));
    }

    /// Turns one prose line into items; `follows` is what the next line
    /// starts with.
    pub(crate) fn line(
        &mut self,
        text: &str,
        line: Range<usize>,
        follows: Follows,
        opts: &IngestOptions,
        items: &mut Vec<Item>,
    ) {
        let first_of_line = items.len();
        let pieces = prose_pieces(text, line.clone());
        for (j, piece) in pieces.iter().cloned().enumerate() {
            let s = &text[piece.clone()];
            let next = pieces
                .get(j + 1)
                .map_or(follows, |p| Follows::of(&text[p.clone()]));
            if let Some(m) = marker_at(s) {
                let title = s[m.len..]
                    .trim()
                    .trim_end_matches(['。', '：', ':', '；', ';'])
                    .trim();
                let short = title.chars().count() <= MAX_HEADING_CHARS;
                // A heading line of its own may join two phrases with a
                // comma (`一、强化组织领导，确保扎实推进`); a heading run into
                // its paragraph may not, nor may a sentence (it ends in 。).
                let own_line = text[line.clone()].trim() == s.trim()
                    && !s[m.len..].contains(['。', '；', ';']);
                let punctuation: &[char] = if own_line {
                    &['。', '；', ';']
                } else {
                    &['，', ',', '。', '；', ';']
                };
                // A heading has a body: a marked sentence followed straight
                // by its next sibling (or a shallower marker, or nothing)
                // is a numbered point, `3.公开审计结果。4.…`.
                let closed = s.trim_end().ends_with(['。', '；', ';']);
                let body = !closed || next.opens_section(m.kind.depth());
                if short && body && !title.contains(punctuation) && has_content_chars(title, 1) {
                    let parents = self.heading_path();
                    self.open(m.kind.depth(), join_cjk_wraps(title));
                    let mut it = item(piece.clone(), ItemKind::Heading, parents);
                    it.body = std::iter::once(piece.start + m.len..piece.end).collect();
                    it.splices.push(Splice {
                        span: piece.start..piece.start + m.len,
                        kind: SpliceKind::Marker,
                    });
                    items.push(it);
                    continue;
                }
                let mut it =
                    self.statement(text, piece.start + m.len..piece.end, piece.clone(), opts);
                it.splices.insert(
                    0,
                    Splice {
                        span: piece.start..piece.start + m.len,
                        kind: SpliceKind::Marker,
                    },
                );
                items.push(it);
                continue;
            }
            if is_boilerplate(s, &opts.boilerplate_cues) {
                items.push(item(piece, ItemKind::Boilerplate, self.heading_path()));
                continue;
            }
            items.push(self.statement(text, piece.clone(), piece, opts));
        }
        // A responsibility note at the end of a paragraph covers the
        // paragraph's sentences that name no unit of their own.
        let line_items = &mut items[first_of_line..];
        if let Some(units) = line_items
            .iter()
            .rev()
            .find(|i| i.splices.iter().any(|s| s.kind == SpliceKind::UnitNote))
            .map(|i| i.units.clone())
        {
            for it in line_items
                .iter_mut()
                .filter(|i| i.kind == ItemKind::Requirement && i.units.is_empty())
            {
                it.units = units.clone();
            }
        }
    }

    /// A requirement item for `body_range` (inside `span`), or boilerplate
    /// when too little statement is left after lifting splices.
    fn statement(
        &self,
        text: &str,
        body_range: Range<usize>,
        span: Range<usize>,
        opts: &IngestOptions,
    ) -> Item {
        let lifted = lift(text, body_range, opts);
        let body_text: String = lifted.body.iter().map(|r| &text[r.clone()]).collect();
        let kind = if has_content_chars(&body_text, opts.min_statement_chars) {
            ItemKind::Requirement
        } else {
            ItemKind::Boilerplate
        };
        let mut it = item(span, kind, self.heading_path());
        it.deadline = find_deadline(&body_text);
        it.units = lifted.units;
        it.splices = lifted.splices;
        if kind == ItemKind::Requirement {
            it.body = lifted.body;
        }
        it
    }
}
