//! Tab-separated table rows (序号 / 工作任务 / 具体要求 / 责任单位 / 完成时限).
//!
//! Cells are classified by content first (row number, deadline,
//! responsibility statement, short heading, statement text), with the
//! header row's column names as a tie-breaker for short cells, because
//! PDF-to-text conversion shifts cells into neighbouring columns. A row
//! with a number but no statement (its text was shifted to a later line)
//! waits in a queue; the next unnumbered line with a statement takes its
//! number, deadline and units. Merged task cells leave the task column
//! empty: such rows keep the last task heading seen.

use std::collections::VecDeque;
use std::ops::Range;

use crate::ingest::boilerplate::{HEADER_WORDS, has_cue, is_header_row};
use crate::ingest::deadline::{is_deadline_cell, opens_with_dated_deadline};
use crate::ingest::item::{Item, ItemKind, item};
use crate::ingest::options::IngestOptions;
use crate::ingest::prose::ProseState;
use crate::ingest::splice::lift;
use crate::text::{content_chars, join_cjk_wraps};

/// Longest cell (in characters) read as a heading rather than a statement.
const MAX_HEADING_CELL: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Number,
    Task,
    Statement,
    Units,
    Deadline,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Number(u32),
    Deadline,
    Units,
    Heading,
    Statement,
}

/// A numbered row whose statement has not been seen yet.
#[derive(Debug)]
struct Pending {
    row: u32,
    deadline: Option<String>,
    units: Vec<String>,
}

/// Table state across rows.
#[derive(Debug, Default)]
pub(crate) struct TableState {
    roles: Vec<Role>,
    headings: Vec<String>,
    /// Headings this document has used above another heading (areas).
    parents: Vec<String>,
    pending: VecDeque<Pending>,
    in_table: bool,
}

fn role_of(header: &str) -> Role {
    match header.trim() {
        "序号" => Role::Number,
        h if h.contains("单位") => Role::Units,
        h if h.contains("时限") || h.contains("时间") => Role::Deadline,
        h if h.contains("要求") || h.contains("内容") || h.contains("措施") => {
            Role::Statement
        }
        h if h.contains("任务") || h == "目标" => Role::Task,
        _ => Role::Other,
    }
}

impl TableState {
    /// Called on a prose line: the table (if any) has ended.
    pub(crate) fn leave(&mut self) {
        if self.in_table {
            self.in_table = false;
            self.pending.clear();
            self.headings.clear();
        }
    }

    fn classify(&self, col: usize, cell: &str, opts: &IngestOptions) -> Cell {
        let t = cell.trim();
        if !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            return Cell::Number(t.parse().unwrap_or(0));
        }
        // The deadline column, or an unnamed one (cells shift right).
        let deadline_column = match self.roles.get(col) {
            Some(role) => matches!(role, Role::Deadline | Role::Other),
            None => !self.roles.is_empty(),
        };
        if (is_deadline_cell(t) && !t.contains('，'))
            || (deadline_column && opens_with_dated_deadline(t))
        {
            return Cell::Deadline;
        }
        if !t.contains('。') && opts.units.is_unit_statement(t) {
            return Cell::Units;
        }
        let heading_column = match self.roles.get(col) {
            Some(Role::Task) => true,
            Some(_) => false,
            None => self.roles.is_empty() && col <= 1,
        };
        // A known national heading shifted into another column is still one.
        let statement_column = self.roles.get(col) == Some(&Role::Statement);
        let known_heading = !statement_column
            && opts
                .splice_phrases
                .iter()
                .any(|p| crate::text::join_cjk_wraps(t) == *p);
        if is_short(t) && (heading_column || known_heading) {
            return Cell::Heading;
        }
        Cell::Statement
    }

    /// Turns one table row into an item.
    pub(crate) fn row(
        &mut self,
        text: &str,
        raw: Range<usize>,
        line: Range<usize>,
        prose: &ProseState,
        opts: &IngestOptions,
        items: &mut Vec<Item>,
    ) {
        self.in_table = true;
        let mut cells: Vec<Range<usize>> = Vec::new();
        let mut start = raw.start;
        for part in text[raw].split('\t') {
            let r = start..start + part.len();
            cells.push(crate::text::trim_range(text, r.clone()).unwrap_or(r.start..r.start));
            start += part.len() + 1;
        }
        let cell_texts: Vec<&str> = cells.iter().map(|r| text[r.clone()].trim()).collect();
        if is_header_row(&cell_texts) {
            self.roles = cell_texts.iter().map(|c| role_of(c)).collect();
            self.pending.clear();
            items.push(item(line, ItemKind::Boilerplate, prose.heading_path()));
            return;
        }
        let mut number = None;
        let mut deadline = None;
        let mut units: Vec<String> = Vec::new();
        let mut headings: Vec<String> = Vec::new();
        let mut statements: Vec<Range<usize>> = Vec::new();
        let mut heading_col: Option<usize> = None;
        for (col, (r, t)) in cells.iter().zip(&cell_texts).enumerate() {
            if t.is_empty() {
                continue;
            }
            match self.classify(col, t, opts) {
                Cell::Number(n) if number.is_none() => number = Some(n),
                Cell::Number(_) => {}
                Cell::Deadline => {
                    deadline = Some(t.chars().filter(|c| !c.is_whitespace()).collect())
                }
                Cell::Units => {
                    for u in opts.units.parse_list(t) {
                        if !units.contains(&u) {
                            units.push(u);
                        }
                    }
                }
                Cell::Heading if HEADER_WORDS.contains(t) => {}
                Cell::Heading => {
                    heading_col = heading_col.or(Some(col));
                    headings.push(t.to_string())
                }
                Cell::Statement => statements.push(r.clone()),
            }
        }
        // After a heading this document has already used as the parent of
        // another (an area over its tasks), a row's lone short statement is
        // the child heading shifted into the statement column: `105 │
        // 增强政务公开实效 │ 进一步健全解读回应机制 │ units │ deadline`. (In
        // that layout a requirement sits after the task cell, not right
        // after the area's; a short unpunctuated requirement there would be
        // read as a task name.)
        let mut heading_row = false;
        if let ([parent], [only]) = (headings.as_slice(), statements.as_slice())
            && self.parents.contains(&join_cjk_wraps(parent))
            && is_short(text[only.clone()].trim())
            && cells.iter().position(|c| c == only) > heading_col
        {
            headings.push(text[only.clone()].trim().to_string());
            statements.clear();
            heading_row = true;
        }
        // Beside other statements, a national heading verbatim is one.
        if statements.len() > 1 {
            statements.retain(|r| {
                let t = text[r.clone()].trim();
                let known = opts.splice_phrases.iter().any(|p| join_cjk_wraps(t) == *p);
                if known {
                    headings.push(t.to_string());
                }
                !known
            });
        }
        // Beside a long statement, a short unpunctuated statement cell is a
        // task name shifted into the statement column.
        if statements.len() > 1 && statements.iter().any(|r| !is_short(&text[r.clone()])) {
            statements.retain(|r| {
                let t = text[r.clone()].trim();
                if is_short(t) {
                    headings.push(t.to_string());
                    false
                } else {
                    true
                }
            });
        }
        if !headings.is_empty() {
            let mut h = split_area_task(headings);
            h.dedup();
            if h.len() >= 2 && !self.parents.contains(&h[0]) {
                self.parents.push(h[0].clone());
            }
            // Only the parent again (its child's merged cell left empty):
            // the row stays under the last child heading.
            let same_parent = h.len() == 1
                && self.parents.contains(&h[0])
                && self.headings.len() >= 2
                && self.headings[0] == h[0];
            if !same_parent {
                self.headings = h;
            }
        }
        let path = if self.headings.is_empty() {
            prose.heading_path()
        } else {
            self.headings.clone()
        };
        let statement_text: String = statements.iter().map(|r| &text[r.clone()]).collect();
        if statements.is_empty()
            || content_chars(&statement_text) < opts.min_statement_chars
            || has_cue(&statement_text, &opts.boilerplate_cues)
        {
            // A heading row keeps its number, units and deadline; its number
            // is the heading's and waits for no shifted statement.
            let kind = if heading_row
                || (number.is_none()
                    && units.is_empty()
                    && deadline.is_none()
                    && !self.headings.is_empty()
                    && statements.is_empty())
            {
                ItemKind::Heading
            } else {
                ItemKind::Boilerplate
            };
            let mut it = item(line, kind, path);
            it.units = units.clone();
            it.deadline = deadline.clone();
            it.row = number;
            if let Some(n) = number.filter(|_| !heading_row) {
                self.pending.push_back(Pending {
                    row: n,
                    deadline,
                    units,
                });
            }
            items.push(it);
            return;
        }
        // The statement cells, split into sentences: one item per sentence
        // (a row that asks several things yields several items, all with
        // the row's number, units and deadline). Item spans run from one
        // sentence end to the next, so the row's other cells stay inside
        // the first and last items and the row is tiled without gaps.
        let mut sentences: Vec<Range<usize>> = Vec::new();
        for r in &statements {
            for s in crate::text::sentences(&text[r.clone()]) {
                sentences.push(r.start + s.start..r.start + s.end);
            }
        }
        // Fragments too short to state anything stay with the sentence before.
        let mut merged: Vec<Range<usize>> = Vec::new();
        for s in sentences {
            match merged.last_mut() {
                Some(prev) if content_chars(&text[s.clone()]) < opts.min_statement_chars => {
                    prev.end = s.end
                }
                _ => merged.push(s),
            }
        }
        if merged
            .first()
            .is_some_and(|f| content_chars(&text[f.clone()]) < opts.min_statement_chars)
            && merged.len() > 1
        {
            let first = merged.remove(0);
            merged[0].start = first.start;
        }
        let mut lifted = Vec::new();
        for s in &merged {
            let l = lift(text, s.clone(), opts);
            for u in &l.units {
                if !units.contains(u) {
                    units.push(u.clone());
                }
            }
            lifted.push(l);
        }
        if number.is_none()
            && let Some(p) = self.pending.pop_front()
        {
            // Text shifted below its numbered row: it takes the row's number.
            number = Some(p.row);
            deadline = deadline.or(p.deadline);
            if units.is_empty() {
                units = p.units;
            }
        }
        let n = merged.len();
        let mut start = line.start;
        for (k, (s, l)) in merged.iter().zip(lifted).enumerate() {
            let end = if k + 1 == n { line.end } else { s.end };
            let body_text: String = l.body.iter().map(|r| &text[r.clone()]).collect();
            let kind = if content_chars(&body_text) >= opts.min_statement_chars {
                ItemKind::Requirement
            } else {
                ItemKind::Boilerplate
            };
            let mut it = item(start..end, kind, path.clone());
            if kind == ItemKind::Requirement {
                it.body = l.body;
            }
            it.splices = l.splices;
            it.row = number;
            it.units = units.clone();
            it.deadline = deadline.clone();
            items.push(it);
            start = end;
        }
    }
}

/// A cell short enough, and without sentence punctuation, to be a heading.
fn is_short(t: &str) -> bool {
    t.chars().count() <= MAX_HEADING_CELL && !t.contains(['，', ',', '。', '；', ';'])
}

/// A single heading cell that holds area and task separated by a space
/// (`以政务公开助力稳增长 推进减税、降费、降低要素成本信息公开`) becomes two.
fn split_area_task(headings: Vec<String>) -> Vec<String> {
    if let [h] = headings.as_slice()
        && let Some((a, b)) = h.split_once(char::is_whitespace)
        && a.trim().chars().count() >= 6
        && b.trim().chars().count() >= 6
    {
        return vec![join_cjk_wraps(a), join_cjk_wraps(b)];
    }
    headings.iter().map(|h| join_cjk_wraps(h)).collect()
}
