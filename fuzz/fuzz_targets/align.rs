//! Normalization + alignment of arbitrary Unicode against the embedded
//! taxonomy: never panics; scores lie in [0, 1]; every id resolves;
//! normalization is idempotent; evidence spans lie inside the input.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use luoshi_align::Aligner;
use luoshi_align::normalize::Normalizer;
use luoshi_core::Taxonomy;

fn setup() -> &'static (Taxonomy, Aligner) {
    static S: OnceLock<(Taxonomy, Aligner)> = OnceLock::new();
    S.get_or_init(|| {
        let t = Taxonomy::national_2017();
        let a = Aligner::new(&t).expect("aligner");
        (t, a)
    })
}

fuzz_target!(|text: &str| {
    let (t, aligner) = setup();
    let a = aligner.align_text(text);
    common::check_item(t, &a, text);
    let n = Normalizer::standard(&[]);
    let once = n.normalize(text).as_string();
    assert_eq!(n.normalize(&once).as_string(), once);
});
