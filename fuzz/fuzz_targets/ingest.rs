//! Decoding + ingestion of arbitrary bytes: never panics; on success the
//! items tile the decoded text, bodies and splices lie inside their items,
//! duplicates point backwards.
#![no_main]

use libfuzzer_sys::fuzz_target;
use luoshi_core::ingest::ItemKind;
use luoshi_core::{DocumentMeta, IngestOptions, ingest_bytes};

fn options() -> &'static IngestOptions {
    static OPTS: std::sync::OnceLock<IngestOptions> = std::sync::OnceLock::new();
    OPTS.get_or_init(|| {
        IngestOptions::builder()
            .taxonomy_titles(&luoshi_core::Taxonomy::national_2017())
            .build()
            .expect("options")
    })
}

fuzz_target!(|data: &[u8]| {
    let meta = DocumentMeta::for_file("fuzz.txt".as_ref());
    let Ok(doc) = ingest_bytes(data, meta, options()) else {
        return;
    };
    let mut at = 0;
    for (i, it) in doc.items.iter().enumerate() {
        assert_eq!(it.id.0 as usize, i);
        assert!(
            it.span.start >= at && it.span.start < it.span.end && it.span.end <= doc.text.len()
        );
        assert!(doc.text[at..it.span.start].trim().is_empty());
        for r in it.body.iter().chain(it.splices.iter().map(|s| &s.span)) {
            assert!(it.span.start <= r.start && r.end <= it.span.end);
        }
        if let ItemKind::Duplicate { of } = it.kind {
            assert!(of.0 < it.id.0);
        }
        at = it.span.end;
    }
    assert!(doc.text[at..].trim().is_empty());
});
