//! Issue 22: the national 2017 learned vocabulary never attaches to
//! another taxonomy. Before, `Aligner::with_config` gave a 2018 outline
//! the 2017 vocabulary, whose labelled statements then scored the 2018
//! tasks that happen to share an index position with 2017's.

use std::path::Path;

use luoshi_align::{AlignConfig, Aligner, DecisionModel, Error, LearnedVocabulary};
use luoshi_core::Taxonomy;
use luoshi_core::taxonomy::TaxonomyMeta;

fn outline_2018() -> Taxonomy {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/packs/national_2018_outline.txt");
    let meta = TaxonomyMeta {
        id: "national-2018".into(),
        title: "2018年政务公开工作要点".into(),
        issuer: None,
        number: None,
        date: None,
        seeds: Vec::new(),
    };
    Taxonomy::load_outline(path, meta).unwrap()
}

/// A statement the 2017 vocabulary knows well (a labelled 1.1 statement
/// of the seeds) reads with learned shares under 2017, none under 2018.
#[test]
fn the_2017_vocabulary_serves_national_2017_only() {
    let text = "按月公开全市财政收支情况";
    let y2017 = Aligner::with_config(&Taxonomy::national_2017(), AlignConfig::default()).unwrap();
    let y2018 = Aligner::with_config(&outline_2018(), AlignConfig::default()).unwrap();
    let learned = |a: &Aligner| {
        let mut s = a.scratch();
        let norm = luoshi_align::normalize::Normalizer::standard(&[]).normalize(text);
        let card = a.score_card(&norm, None, &Default::default(), false, &mut s);
        card.task.iter().map(|t| t.learned).fold(0.0, f64::max) + card.learned_extension
    };
    assert!(learned(&y2017) > 0.0);
    assert_eq!(learned(&y2018), 0.0);
}

/// Given explicitly for another taxonomy, the 2017 vocabulary is refused
/// with an error naming both.
#[test]
fn a_vocabulary_for_another_taxonomy_is_refused() {
    let err = Aligner::with_learned(
        &outline_2018(),
        AlignConfig::default(),
        DecisionModel::national_2017(),
        &LearnedVocabulary::national_2017(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::VocabularyTaxonomy { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("national-2017") && msg.contains("national-2018"),
        "{msg}"
    );
}
