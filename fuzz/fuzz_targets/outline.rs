//! The outline-text taxonomy parser: never panics; on success every id
//! resolves to its node and the structure is area → task → requirement.
#![no_main]

use libfuzzer_sys::fuzz_target;
use luoshi_core::taxonomy::TaxonomyMeta;
use luoshi_core::{NodeKind, Taxonomy};

fuzz_target!(|text: &str| {
    let meta = TaxonomyMeta {
        id: "fuzz".into(),
        title: "fuzz".into(),
        issuer: None,
        number: None,
        date: None,
        seeds: vec![],
    };
    let Ok(t) = Taxonomy::from_outline(text, meta) else {
        return;
    };
    for n in t.iter() {
        let node = t.node(n);
        assert_eq!(t.get(&node.id), Some(n));
        if let (Some(expected), Some(p)) = (node.kind.parent_kind(), t.parent(n)) {
            assert_eq!(t.node(p).kind, expected);
        }
    }
    assert!(t.counts().areas >= 1);
    assert!(
        t.requirements()
            .all(|r| t.node(r).kind == NodeKind::Requirement)
    );
});
