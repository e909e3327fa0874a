//! Stage 3, the document reading: what the document as a whole says
//! about its items, computed from the items' own words before any
//! decision (so it needs no model and cannot feed a decision back into
//! itself). It fills the reading columns of every score card.
//!
//! - **Heading agreement**: of the items that match a requirement on
//!   their own words (nearest requirement at least the match threshold)
//!   under a heading that names a task, the share whose heading names
//!   that requirement's task. A table whose task column is right scores
//!   near 1; headings shuffled by a PDF conversion score near 0.
//! - **Area shares**: the share of the document's items whose own words
//!   fit a task of each area best. A plan about open-government work
//!   alone has most of its items in area 6.
//! - **Section shares**: among the other items under the same headings,
//!   the share whose own words fit each task best.
//! - **Typical wording**: the median of the items' best vocabulary
//!   shares, so that one item's wording is read against its document's
//!   (a PDF table that copies the national text, a paraphrasing county).

use serde::Serialize;

use crate::card::{ScoreCard, SmolStr};

/// What the document as a whole says.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DocumentReading {
    /// See the module docs; None when fewer than
    /// [`crate::AlignConfig::min_agreement_items`] items could be checked.
    pub heading_agreement: Option<f64>,
    /// Each area's share of the items, in the order areas first occur in
    /// the cards' task lists.
    pub area_share: Vec<(SmolStr, f64)>,
    /// The area holding at least [`crate::AlignConfig::focus_share`] of
    /// the items, if any (reported; the decision uses the shares).
    pub focus: Option<SmolStr>,
}

/// The task whose vocabulary holds the largest share of the card's words
/// (the first on a tie); None when the item shares no word with any task.
fn own_best(card: &ScoreCard) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, t) in card.task.iter().enumerate() {
        if t.vocab > 0.0 && best.is_none_or(|b| t.vocab > b.1) {
            best = Some((i, t.vocab));
        }
    }
    best.map(|b| b.0)
}

/// Reads a document from its items' cards and fills each card's reading
/// columns (`section`, `document`, `heading_agreement`). `sections[i]` is
/// a key of card i's heading path (equal keys: same headings).
/// `match_threshold`, `min_agreement_items` and `focus_share` are the
/// settings of [`crate::AlignConfig`]. Linear in the number of cards
/// times the number of tasks.
pub fn read_document(
    cards: &mut [ScoreCard],
    sections: &[usize],
    match_threshold: f64,
    min_agreement_items: usize,
    focus_share: f64,
) -> DocumentReading {
    let best: Vec<Option<usize>> = cards.iter().map(own_best).collect();
    // Heading agreement.
    let (mut checked, mut agree) = (0usize, 0usize);
    for card in cards.iter() {
        let (Some(h), Some(n)) = (&card.heading_task, &card.nearest) else {
            continue;
        };
        if n.score < match_threshold {
            continue;
        }
        let Some(t) = card
            .task
            .iter()
            .find(|t| t.requirement.as_deref() == Some(&*n.id))
        else {
            continue;
        };
        checked += 1;
        agree += usize::from(t.task == *h);
    }
    let heading_agreement =
        (checked >= min_agreement_items.max(1)).then(|| agree as f64 / checked as f64);
    // Area shares.
    let mut areas: Vec<(SmolStr, usize)> = Vec::new();
    let mut counted = 0usize;
    for (card, b) in cards.iter().zip(&best) {
        let Some(b) = b else { continue };
        counted += 1;
        let area = &card.task[*b].area;
        match areas.iter_mut().find(|(a, _)| a == area) {
            Some((_, n)) => *n += 1,
            None => areas.push((area.clone(), 1)),
        }
    }
    let area_share: Vec<(SmolStr, f64)> = areas
        .iter()
        .map(|(a, n)| (a.clone(), *n as f64 / counted.max(1) as f64))
        .collect();
    let focus = area_share
        .iter()
        .filter(|(_, s)| *s >= focus_share)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(a, _)| a.clone());
    // Section counts: per heading key, how many items fit each task best.
    let tasks = cards.iter().map(|c| c.task.len()).max().unwrap_or(0);
    let mut keys: Vec<usize> = sections.to_vec();
    keys.sort_unstable();
    keys.dedup();
    let slot = |k: usize| keys.binary_search(&k).unwrap_or(0);
    let mut counts = vec![vec![0usize; tasks]; keys.len()];
    let mut sizes = vec![0usize; keys.len()];
    for (i, b) in best.iter().enumerate() {
        let s = slot(sections.get(i).copied().unwrap_or(0));
        sizes[s] += 1;
        if let Some(b) = b {
            counts[s][*b] += 1;
        }
    }
    // The document's typical wording, against which one item is read.
    let median = |f: fn(&ScoreCard) -> f64| {
        let mut v: Vec<f64> = cards.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let (document_vocab, document_learned) =
        (median(ScoreCard::max_vocab), median(ScoreCard::max_learned));
    // Each task's area share, once for the task list the cards share (an
    // aligner's cards list the same tasks in the same order).
    let reference: Vec<(SmolStr, SmolStr)> = cards
        .first()
        .map(|c| {
            c.task
                .iter()
                .map(|t| (t.task.clone(), t.area.clone()))
                .collect()
        })
        .unwrap_or_default();
    let area_share_of = |area: &SmolStr| {
        area_share
            .iter()
            .find(|(a, _)| a == area)
            .map_or(0.0, |(_, s)| *s)
    };
    let reference_share: Vec<f64> = reference.iter().map(|(_, a)| area_share_of(a)).collect();
    for (i, card) in cards.iter_mut().enumerate() {
        let s = slot(sections.get(i).copied().unwrap_or(0));
        let same_tasks = card.task.len() == reference.len()
            && card
                .task
                .iter()
                .zip(&reference)
                .all(|(t, (id, area))| t.task == *id && t.area == *area);
        card.document_vocab = document_vocab;
        card.document_learned = document_learned;
        // Leave the item itself out: the section speaks of its
        // neighbours, not of the item's own words again.
        let others = sizes[s].saturating_sub(1);
        card.heading_agreement = heading_agreement;
        for (t, tc) in card.task.iter_mut().enumerate() {
            let own = usize::from(best[i] == Some(t));
            tc.section = if others == 0 {
                0.0
            } else {
                (counts[s][t] - own) as f64 / others as f64
            };
            tc.document = if same_tasks {
                reference_share[t]
            } else {
                area_share_of(&tc.area)
            };
        }
    }
    DocumentReading {
        heading_agreement,
        area_share,
        focus,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::TaskCard;
    use crate::types::Candidate;

    /// A card whose own words fit task `best` (of 1.1, 1.2, 6.1), matched
    /// on its own words to a requirement of `matched`, under a heading
    /// naming `heading`.
    fn card(best: usize, matched: Option<usize>, heading: Option<&str>) -> ScoreCard {
        let ids = [("1.1", "1"), ("1.2", "1"), ("6.1", "6")];
        ScoreCard {
            task: ids
                .iter()
                .enumerate()
                .map(|(i, (t, a))| TaskCard {
                    task: (*t).into(),
                    area: (*a).into(),
                    requirement: Some(format!("{t}.1").into()),
                    vocab: if i == best { 0.6 } else { 0.2 },
                    ..TaskCard::default()
                })
                .collect(),
            nearest: matched.map(|m| Candidate {
                id: format!("{}.1", ids[m].0).into(),
                score: 0.8,
            }),
            heading_task: heading.map(Into::into),
            has_heading: heading.is_some(),
            ..ScoreCard::default()
        }
    }

    #[test]
    fn heading_agreement_needs_enough_checked_items() {
        let cases = [
            ("ten agree", 10, 0, Some(1.0)),
            ("nine agree, one does not", 9, 1, Some(0.9)),
            ("too few", 5, 4, None),
        ];
        for (name, agree, disagree, expected) in cases {
            let mut cards: Vec<ScoreCard> = (0..agree)
                .map(|_| card(0, Some(0), Some("1.1")))
                .chain((0..disagree).map(|_| card(0, Some(1), Some("1.1"))))
                .collect();
            let sections = vec![0; cards.len()];
            let r = read_document(&mut cards, &sections, 0.35, 10, 0.6);
            assert_eq!(r.heading_agreement, expected, "case {name}");
            assert!(cards.iter().all(|c| c.heading_agreement == expected));
        }
    }

    #[test]
    fn area_and_section_shares_leave_the_item_itself_out() {
        // Section 0: three items fitting 1.1 and one fitting 6.1; section
        // 1: one item fitting 6.1.
        let mut cards = vec![
            card(0, None, None),
            card(0, None, None),
            card(0, None, None),
            card(2, None, None),
            card(2, None, None),
        ];
        let sections = [0, 0, 0, 0, 1];
        let r = read_document(&mut cards, &sections, 0.35, 10, 0.6);
        assert_eq!(r.area_share, vec![("1".into(), 0.6), ("6".into(), 0.4)]);
        assert_eq!(r.focus.as_deref(), Some("1"));
        // An item fitting 1.1: of its three neighbours, two fit 1.1.
        assert!((cards[0].task[0].section - 2.0 / 3.0).abs() < 1e-12);
        assert!((cards[0].task[2].section - 1.0 / 3.0).abs() < 1e-12);
        // The 6.1 item of section 0: all three neighbours fit 1.1.
        assert!((cards[3].task[0].section - 1.0).abs() < 1e-12);
        // Alone in its section: no neighbours, no section evidence.
        assert!(cards[4].task.iter().all(|t| t.section == 0.0));
        // Every card reads the document's area shares.
        assert!((cards[4].task[2].document - 0.4).abs() < 1e-12);
        assert!((cards[4].task[0].document - 0.6).abs() < 1e-12);
    }
}
