//! Calibrating a taxonomy pack on documents that answer it
//! (`luoshi::calibrate::Sources::pack`).

use std::path::{Path, PathBuf};

use luoshi::calibrate::Sources;
use luoshi::luoshi_align::Pack;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/packs")
}

/// A 2018 pack built from the test outline, with one labelled 2018
/// document beside it; returns (pack folder, manifest).
fn pack_and_corpus(dir: &Path) -> (PathBuf, PathBuf) {
    let packs = dir.join("taxonomies");
    Pack::build(
        &packs,
        "national_2018",
        fixtures().join("national_2018_outline.txt"),
    )
    .unwrap();
    let pack = packs.join("national_2018");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(
        fixtures().join("region_2018.txt"),
        corpus.join("region_2018.txt"),
    )
    .unwrap();
    let manifest = corpus.join("regions.toml");
    std::fs::write(
        &manifest,
        "[[document]]\nfile = \"region_2018.txt\"\nlabel = \"示范县 2018\"\nregion = \"示范县\"\nyear = 2018\n",
    )
    .unwrap();
    // Task ids of the 2018 outline: 1.2 精准脱贫, 1.3 污染防治, 4.1 政策解读.
    std::fs::create_dir_all(pack.join("labels")).unwrap();
    std::fs::write(
        pack.join("labels/region_2018.toml"),
        r#"seed = "region_2018.txt"

[[label]]
snippet = "全面公开本县扶贫资金分配结果"
task = "1.2"

[[label]]
snippet = "按月公布全县空气质量状况"
task = "1.3"

[[label]]
snippet = "县政府重要政策出台时同步发布解读材料"
task = "4.1"
"#,
    )
    .unwrap();
    (pack, manifest)
}

#[test]
fn a_pack_is_calibrated_against_its_own_taxonomy_and_labels() {
    let dir = tempfile::tempdir().unwrap();
    let (pack, manifest) = pack_and_corpus(dir.path());
    let sources = Sources {
        manifests: vec![manifest.clone()],
        pack: Some(pack.clone()),
        ..Sources::default()
    };
    assert_eq!(sources.label_dirs(), vec![pack.join("labels")]);
    let set = sources.load().unwrap();
    assert_eq!(set.sample_count(), 3);
    let outcomes = set.in_sample();
    let right = outcomes.iter().filter(|o| o.correct()).count();
    assert_eq!(right, 3, "{outcomes:#?}");
    // A model fitted on these labels is the pack's.
    let (model, _) = set.fit(1e-3, "test labels").unwrap();
    assert!(
        model.to_toml().contains("national_2018"),
        "{}",
        model.to_toml()
    );
    // The same labels read against national 2017 name other tasks (its
    // 1.2 is not poverty relief): the pack's taxonomy is what was used.
    let national = Sources {
        manifests: vec![manifest],
        labels: vec![pack.join("labels")],
        ..Sources::default()
    };
    let outcomes = national.load().unwrap().in_sample();
    assert!(
        outcomes.iter().filter(|o| o.correct()).count() < 3,
        "{outcomes:#?}"
    );
}

#[test]
fn a_pack_without_manifests_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let (pack, _) = pack_and_corpus(dir.path());
    let err = Sources {
        pack: Some(pack.clone()),
        ..Sources::default()
    }
    .load()
    .unwrap_err();
    let message = err.to_string();
    assert!(message.contains(&pack.display().to_string()), "{message}");
    assert!(message.contains("manifests"), "{message}");
}

/// Issue 21: the library never reads the working folder. Without
/// manifests and without a repository folder (`Sources::root`) there is
/// nothing to calibrate on; with the repository folder, its development
/// sets are read wherever the program runs.
#[test]
fn the_development_sets_come_from_the_root_given() {
    let err = Sources::default().load().unwrap_err();
    assert!(matches!(err, luoshi::Error::NoLabelledDocuments), "{err}");
    assert!(Sources::default().label_dirs().is_empty());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = Sources {
        root: Some(root.to_path_buf()),
        held_out: true,
        ..Sources::default()
    };
    let dirs = sources.label_dirs();
    assert!(!dirs.is_empty(), "the held-out sets of the repository");
    assert!(dirs.iter().all(|d| d.starts_with(root)), "{dirs:?}");
}
