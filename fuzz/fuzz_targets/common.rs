//! Invariants of one item's alignment, shared by the alignment targets.

use luoshi_align::ItemAlignment;
use luoshi_core::Taxonomy;

/// Scores and the confidence lie in [0, 1], every id resolves in `t`, and the evidence span
/// lies inside `text` and is its excerpt.
pub fn check_item(t: &Taxonomy, a: &ItemAlignment, text: &str) {
    assert!((0.0..=1.0).contains(&a.score));
    assert!((0.0..=1.0).contains(&a.confidence));
    for c in a
        .covers
        .iter()
        .chain(a.runner_up.iter())
        .chain(a.nearest.iter())
    {
        assert!((0.0..=1.0).contains(&c.score));
        assert!(t.get(&c.id).is_some());
    }
    for id in a
        .requirement
        .iter()
        .chain(a.task.iter())
        .chain(a.area.iter())
    {
        assert!(t.get(id).is_some());
    }
    if let Some(e) = &a.evidence {
        assert!(e.item_span.end <= text.len());
        assert_eq!(&text[e.item_span.clone()], e.item_excerpt);
    }
}
