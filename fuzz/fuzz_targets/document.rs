//! Ingestion and whole-document alignment of arbitrary text (prose, table
//! rows, headings; a document about one area or spread over many): never
//! panics; one decision per requirement item, in item order; scores in
//! [0, 1]; every id resolves; one coverage row per requirement; evidence
//! spans lie inside the document; heading agreement in [0, 1], a focus
//! area that exists.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use luoshi_align::Aligner;
use luoshi_core::{DocumentMeta, IngestOptions, Taxonomy, ingest_text};

fn setup() -> &'static (Taxonomy, Aligner, IngestOptions) {
    static S: OnceLock<(Taxonomy, Aligner, IngestOptions)> = OnceLock::new();
    S.get_or_init(|| {
        let t = Taxonomy::national_2017();
        let a = Aligner::new(&t).expect("aligner");
        let o = IngestOptions::builder()
            .taxonomy_titles(&t)
            .build()
            .expect("options");
        (t, a, o)
    })
}

fuzz_target!(|text: &str| {
    let (t, aligner, opts) = setup();
    let doc = ingest_text(
        text.to_string(),
        DocumentMeta::for_file("fuzz.txt".as_ref()),
        opts,
    );
    let al = aligner.align_document(&doc);
    let items: Vec<_> = doc.requirements().map(|i| i.id).collect();
    assert_eq!(al.items.iter().map(|a| a.item).collect::<Vec<_>>(), items);
    assert_eq!(al.coverage.len(), t.requirements().count());
    for a in &al.items {
        common::check_item(t, a, &doc.text);
    }
    // The document reading: an agreement share, a focus area that exists.
    let agreement = al.heading_agreement.unwrap_or(0.0);
    assert!((0.0..=1.0).contains(&agreement));
    assert!(al.focus.iter().all(|f| t.get(f).is_some()));
});
