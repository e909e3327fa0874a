//! The decision's features: φ(card, task) for each task of a score card
//! and ψ(card) for the local-extension outcome, computed in one pass over
//! the card. Generic quantities (shares, maxima, agreement), no word
//! lists; the weights are shared by all tasks.

use crate::card::{ScoreCard, TaskCard};

/// Names of the per-task features φ, in weight order.
pub const TASK_FEATURES: [&str; 19] = [
    "req_score",
    "req_score_sq",
    "req_item",
    "vocab",
    "context",
    "specific",
    "vocab_rel",
    "specific_rel",
    "heading_task",
    "heading_task_agreement",
    "heading_area",
    "section",
    "document",
    "vocab_document",
    "is_nearest",
    "is_top_vocab",
    "learned",
    "learned_specific",
    "learned_rel",
];

/// Names of the extension features ψ, in weight order.
pub const EXTENSION_FEATURES: [&str; 14] = [
    "bias",
    "novelty",
    "max_req_score",
    "max_vocab",
    "max_specific",
    "own_section",
    "heading_names_task",
    "spread",
    "length",
    "learned_extension",
    "learned_extension_specific",
    "learned_extension_rel",
    "vocab_vs_document",
    "learned_vs_document",
];

pub(crate) const NT: usize = TASK_FEATURES.len();
pub(crate) const NE: usize = EXTENSION_FEATURES.len();
pub(crate) const NP: usize = NT + NE;

/// Characters at which the length feature reaches 1 (it grows with the
/// logarithm of the length and is capped there).
const LENGTH_SCALE: f64 = 200.0;

/// Feature values of one card: φ for each task, ψ for the extension.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// φ(card, task), one row per entry of `card.task`.
    pub task: Vec<[f64; NT]>,
    /// ψ(card).
    pub extension: [f64; NE],
}

/// What the features of a card's tasks share: the card's maxima and
/// what its headings and nearest requirement name, found in one pass.
pub(crate) struct CardContext<'c> {
    max_vocab: f64,
    max_specific: f64,
    max_req: f64,
    /// The largest learned-specific share of a task or the extension.
    max_learned: f64,
    /// The largest learned share of a task ([`ScoreCard::max_learned`]).
    max_learned_share: f64,
    agreement: f64,
    heading_task: Option<&'c str>,
    heading_area: Option<&'c str>,
    nearest: Option<&'c str>,
}

impl<'c> CardContext<'c> {
    pub(crate) fn of(card: &'c ScoreCard) -> CardContext<'c> {
        let mut c = CardContext {
            max_vocab: 0.0,
            max_specific: 0.0,
            max_req: 0.0,
            max_learned: card.learned_extension_specific.max(0.0),
            max_learned_share: 0.0,
            agreement: card.heading_agreement.unwrap_or(0.0),
            heading_task: card.heading_task.as_deref(),
            heading_area: card.heading_area.as_deref(),
            nearest: card.nearest.as_ref().map(|n| &*n.id),
        };
        for t in &card.task {
            c.max_vocab = c.max_vocab.max(t.vocab);
            c.max_specific = c.max_specific.max(t.specific);
            c.max_req = c.max_req.max(t.req_score);
            c.max_learned = c.max_learned.max(t.learned_specific);
            c.max_learned_share = c.max_learned_share.max(t.learned);
        }
        c
    }
}

/// Whether two short ids are equal (a byte loop the compiler inlines:
/// ids are a few bytes, shorter than a call to `memcmp`).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

fn rel(x: f64, m: f64) -> f64 {
    if m > 0.0 { x / m } else { 0.0 }
}

fn flag(b: bool) -> f64 {
    f64::from(u8::from(b))
}

/// φ(card, task t).
pub(crate) fn task_row(t: &TaskCard, c: &CardContext<'_>) -> [f64; NT] {
    let named = c.heading_task.is_some_and(|h| same(h, &t.task));
    let area = !named && c.heading_area.is_some_and(|a| same(a, &t.area));
    let is_nearest = match (c.nearest, t.requirement.as_deref()) {
        (Some(n), Some(r)) => same(n, r),
        _ => false,
    };
    let vocab_rel = rel(t.vocab, c.max_vocab);
    [
        t.req_score,
        t.req_score * t.req_score,
        t.req_item,
        t.vocab,
        t.context,
        t.specific,
        vocab_rel,
        rel(t.specific, c.max_specific),
        flag(named),
        if named { c.agreement } else { 0.0 },
        flag(area),
        t.section,
        t.document,
        vocab_rel * t.document,
        flag(is_nearest),
        flag(c.max_vocab > 0.0 && t.vocab >= c.max_vocab),
        t.learned,
        t.learned_specific,
        rel(t.learned_specific, c.max_learned),
    ]
}

/// ψ(card).
pub(crate) fn extension_row(card: &ScoreCard, c: &CardContext<'_>) -> [f64; NE] {
    let length = ((1.0 + card.length as f64).ln() / (1.0 + LENGTH_SCALE).ln()).min(1.0);
    [
        1.0,
        card.novelty,
        c.max_req,
        c.max_vocab,
        c.max_specific,
        flag(card.own_section()),
        flag(card.heading_task.is_some()),
        card.spread(),
        length,
        card.learned_extension,
        card.learned_extension_specific,
        rel(card.learned_extension_specific, c.max_learned),
        c.max_vocab - card.document_vocab,
        c.max_learned_share - card.document_learned,
    ]
}

impl Features {
    /// The features of a card.
    pub fn of(card: &ScoreCard) -> Features {
        let c = CardContext::of(card);
        Features {
            task: card.task.iter().map(|t| task_row(t, &c)).collect(),
            extension: extension_row(card, &c),
        }
    }
}

/// The task weights and the extension weights of a parameter vector.
pub(crate) fn split(theta: &[f64; NP]) -> (&[f64; NT], &[f64; NE]) {
    let (task, extension) = theta.split_at(NT);
    match (task.try_into(), extension.try_into()) {
        (Ok(t), Ok(e)) => (t, e),
        _ => unreachable!("NP is NT + NE"),
    }
}

/// The dot product of two rows, summed in index order. The length is
/// known at compile time, so the loop is unrolled with no bounds check.
pub(crate) fn dot<const N: usize>(a: &[f64; N], b: &[f64; N]) -> f64 {
    a.iter().zip(b).fold(-0.0, |sum, (x, y)| sum + x * y)
}

pub(crate) fn softmax(u: &mut [f64]) {
    let max = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for x in u.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    u.iter_mut().for_each(|x| *x /= sum);
}
