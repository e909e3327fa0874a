//! Glyphs into lines: by baseline, in reading order, with the spaces
//! and column gaps a page shows (a leaf the layout and the table finder
//! both read).

use super::read::{Glyph, Page};
use crate::text::is_wide;

/// A line of glyphs.
#[derive(Debug)]
pub(super) struct Line {
    pub(super) y: f64,
    pub(super) x0: f64,
    pub(super) x1: f64,
    pub(super) size: f64,
    pub(super) text: String,
    pub(super) tabs: bool,
}

/// Groups glyphs into lines, top to bottom, each left to right; a gap of
/// two sizes or more becomes a tab, a smaller gap between two Latin
/// letters or digits a space. A space drawn between two Chinese
/// characters is dropped: Chinese puts none there, and what a page shows
/// as one is a wrapped line in the source HTML, or justification.
/// Nor is a space made of the gap some producers leave between Chinese
/// and Latin text (Writer's "autospace"): `1名`, `PPP相关` stay as written.
pub(super) fn lines_of(page: &Page, idx: &[usize]) -> Vec<Line> {
    let mut gs: Vec<&Glyph> = idx.iter().map(|&i| &page.glyphs[i]).collect();
    gs.sort_by(|a, b| b.y.partial_cmp(&a.y).unwrap_or(std::cmp::Ordering::Equal));
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    for g in gs {
        match groups.last_mut() {
            Some(line) if (line[0].y - g.y).abs() <= line[0].size.min(g.size) * 0.5 => line.push(g),
            _ => groups.push(vec![g]),
        }
    }
    groups
        .into_iter()
        .map(|mut line| {
            line.sort_by(|a, b| a.x.partial_cmp(&b.x).unwrap_or(std::cmp::Ordering::Equal));
            let mut text = String::new();
            let mut tabs = false;
            let mut end: Option<f64> = None;
            let mut sizes: Vec<f64> = Vec::new();
            for (k, g) in line.iter().enumerate() {
                if g.text.trim().is_empty() && !text.is_empty() {
                    let prev = text.trim_end().chars().last().unwrap_or(' ');
                    let next = line[k + 1..]
                        .iter()
                        .find(|n| !n.text.trim().is_empty())
                        .filter(|n| n.x - (g.x + g.w) <= 2.0 * n.size);
                    if is_wide(prev)
                        && next.is_some_and(|n| n.text.chars().next().is_some_and(is_wide))
                    {
                        continue;
                    }
                }
                if let Some(e) = end {
                    let gap = g.x - e;
                    let prev = text.chars().last().unwrap_or(' ');
                    let next = g.text.chars().next().unwrap_or(' ');
                    if gap > 2.0 * g.size && !text.is_empty() {
                        text.truncate(text.trim_end().len());
                        text.push('\t');
                        tabs = true;
                    } else {
                        let spaced = prev.is_whitespace() || next.is_whitespace();
                        if gap > 0.2 * g.size && !spaced && !is_wide(prev) && !is_wide(next) {
                            text.push(' ');
                        }
                    }
                }
                text.push_str(&g.text);
                end = Some(g.x + g.w);
                sizes.push(g.size);
            }
            sizes.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            Line {
                y: line[0].y,
                x0: line.first().map_or(0.0, |g| g.x),
                x1: end.unwrap_or(0.0),
                size: sizes.get(sizes.len() / 2).copied().unwrap_or(0.0),
                // Spaces drawn at either end stay: a line may wrap at a space.
                text,
                tabs,
            }
        })
        .filter(|l| !l.text.trim().is_empty())
        .collect()
}
