//! A taxonomy from a national document's own outline text.
//!
//! The first heading style met (usually `一、`) marks areas, the next deeper
//! style (usually `（一）`) marks tasks; a task heading's title runs to its
//! first sentence end, and every sentence after it, up to the next task or
//! area, becomes a requirement. Ids are assigned in order: `1`, `1.1`,
//! `1.1.1`. Text before the first area is preamble and is skipped.

use std::path::{Path, PathBuf};

use super::graph::Taxonomy;
use super::node::NodeKind;
use super::records::{NodeRecord, TaxonomyFile, TaxonomyMeta};
use crate::error::{Error, Result};
use crate::markers::{MarkerKind, marker_at};
use crate::text::{SENTENCE_ENDS, sentences};

struct Builder {
    nodes: Vec<NodeRecord>,
    areas: usize,
    tasks_in_area: usize,
    reqs_in_task: usize,
    task_line: usize,
}

impl Builder {
    fn area_id(&self) -> String {
        self.areas.to_string()
    }
    fn task_id(&self) -> String {
        format!("{}.{}", self.areas, self.tasks_in_area)
    }

    fn close_task(&self) -> Result<()> {
        if self.tasks_in_area > 0 && self.reqs_in_task == 0 {
            return Err(outline_error(
                self.task_line,
                format!(
                    "task {} has no requirement sentences: expected sentences after its heading",
                    self.task_id()
                ),
            ));
        }
        Ok(())
    }

    fn add_requirements(&mut self, text: &str) {
        for r in sentences(text) {
            let sentence = text[r].trim();
            if sentence
                .chars()
                .filter(|c| crate::text::is_cjk(*c) || c.is_alphanumeric())
                .count()
                < 2
            {
                continue;
            }
            self.reqs_in_task += 1;
            let title: String = sentence
                .trim_end_matches(SENTENCE_ENDS)
                .chars()
                .take(12)
                .collect();
            self.nodes.push(NodeRecord {
                id: format!("{}.{}", self.task_id(), self.reqs_in_task),
                kind: NodeKind::Requirement,
                parent: None,
                title,
                text: sentence.to_string(),
                keywords: Vec::new(),
                seeds: Vec::new(),
            });
        }
    }
}

fn outline_error(line: usize, message: String) -> Error {
    Error::Outline {
        path: PathBuf::from("<outline>"),
        line,
        message,
    }
}

/// Splits a heading line into title and the rest after its first sentence
/// end (or the whole line as the title).
fn split_title(rest: &str) -> (&str, &str) {
    match rest.find(SENTENCE_ENDS) {
        Some(i) => {
            let end = i + rest[i..].chars().next().map_or(0, char::len_utf8);
            (rest[..i].trim(), &rest[end..])
        }
        None => (rest.trim(), ""),
    }
}

impl Taxonomy {
    /// Reads an outline text file (any encoding [`crate::decode::decode`]
    /// accepts) and builds a taxonomy from it with
    /// [`Taxonomy::from_outline`]; errors name the file.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, the decoding errors of
    /// [`crate::decode::decode`], then those of [`Taxonomy::from_outline`].
    pub fn load_outline(path: impl AsRef<Path>, meta: TaxonomyMeta) -> Result<Taxonomy> {
        let path = path.as_ref();
        let text = read_outline(path)?;
        Self::from_outline(&text, meta).map_err(|e| e.with_path(path))
    }

    /// Builds a taxonomy from the outline text of a national document
    /// (headings `一、` / `（一）` and their sentences).
    ///
    /// # Errors
    /// [`Error::Outline`] with the line when there are no area headings, a
    /// task heading comes before any area, or a task has no sentences; then
    /// any [`Error::Taxonomy`] validation error.
    pub fn from_outline(text: &str, meta: TaxonomyMeta) -> Result<Taxonomy> {
        let mut b = Builder {
            nodes: Vec::new(),
            areas: 0,
            tasks_in_area: 0,
            reqs_in_task: 0,
            task_line: 0,
        };
        let mut area_kind: Option<MarkerKind> = None;
        let mut task_kind: Option<MarkerKind> = None;
        for (i, raw_line) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw_line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() {
                continue;
            }
            let marker = marker_at(line);
            let kind = marker.map(|m| m.kind);
            let is_area = match (kind, area_kind) {
                (Some(k), None) => {
                    task_kind.is_none() && b.areas == 0 && {
                        area_kind = Some(k);
                        true
                    }
                }
                (Some(k), Some(a)) => k == a,
                _ => false,
            };
            if let (true, Some(m)) = (is_area, marker) {
                b.close_task()?;
                let (title, rest) = split_title(line.get(m.len..).unwrap_or_default());
                b.areas += 1;
                b.tasks_in_area = 0;
                b.reqs_in_task = 0;
                b.nodes.push(NodeRecord {
                    id: b.area_id(),
                    kind: NodeKind::Area,
                    parent: None,
                    title: title.to_string(),
                    text: rest.trim().to_string(),
                    keywords: Vec::new(),
                    seeds: Vec::new(),
                });
                continue;
            }
            let is_task = match (kind, area_kind, task_kind) {
                (Some(k), Some(a), None) if k.depth() > a.depth() => {
                    task_kind = Some(k);
                    true
                }
                (Some(k), _, Some(t)) => k == t,
                _ => false,
            };
            if let (true, Some(m)) = (is_task, marker) {
                if b.areas == 0 {
                    return Err(outline_error(
                        line_no,
                        "task heading before any area heading: expected `一、` first".into(),
                    ));
                }
                b.close_task()?;
                let (title, rest) = split_title(line.get(m.len..).unwrap_or_default());
                b.tasks_in_area += 1;
                b.reqs_in_task = 0;
                b.task_line = line_no;
                b.nodes.push(NodeRecord {
                    id: b.task_id(),
                    kind: NodeKind::Task,
                    parent: None,
                    title: title.to_string(),
                    text: title.to_string(),
                    keywords: Vec::new(),
                    seeds: Vec::new(),
                });
                b.add_requirements(rest);
                continue;
            }
            if b.areas == 0 {
                continue; // preamble
            }
            if b.tasks_in_area == 0 {
                // Text directly under an area: its introduction.
                if let Some(area) = b.nodes.iter_mut().rev().find(|n| n.kind == NodeKind::Area) {
                    area.text.push_str(line);
                }
                continue;
            }
            b.add_requirements(line);
        }
        if b.areas == 0 {
            return Err(outline_error(
                1,
                "no area headings found: expected lines starting with `一、`".into(),
            ));
        }
        b.close_task()?;
        Taxonomy::from_file(TaxonomyFile {
            document: meta,
            node: b.nodes,
            edge: Vec::new(),
        })
        .map_err(|e| e.with_path("<outline>"))
    }
}

/// The text of an outline file, decoded as a document is (UTF-8, UTF-16,
/// GB18030, Big5).
///
/// # Errors
/// [`Error::Io`] for an unreadable file, or the decoding error, naming the
/// file (and the byte where decoding failed).
pub fn read_outline(path: impl AsRef<std::path::Path>) -> Result<String> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(crate::decode::decode(&bytes)
        .map_err(|e| e.with_path(path))?
        .text)
}
