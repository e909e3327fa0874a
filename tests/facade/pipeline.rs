//! The facade: one file, one text and one manifest through `Pipeline`.

use std::path::Path;

use luoshi::{Error, Pipeline, Status, Taxonomy};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");

fn pipeline() -> Pipeline {
    Pipeline::builder().build().expect("default pipeline")
}

/// A single-file run takes the file's entry of the manifest beside it, so
/// it aligns the file exactly as the manifest run does.
#[test]
fn single_file_run_equals_manifest_run() {
    let p = pipeline();
    let mut corpora = p
        .align_manifest(Path::new(SEEDS).join("regions.toml"))
        .unwrap();
    assert_eq!(corpora.len(), 1, "the seeds answer one taxonomy");
    let corpus = corpora.remove(0);
    assert_eq!(corpus.pack, "national_2017");
    assert_eq!(corpus.documents.len(), 5);
    for (doc, alignment) in corpus.iter() {
        let one = p.align_path(Path::new(SEEDS).join(&doc.meta.file)).unwrap();
        assert_eq!(one.document.meta, doc.meta);
        assert!(!one.document.meta.region.is_empty());
        assert_eq!(&one.alignment, alignment, "{}", doc.meta.label);
    }
}

/// Without a manifest beside it, a file is labelled by its stem and has
/// no region.
#[test]
fn file_without_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("通辽.txt");
    std::fs::copy(Path::new(SEEDS).join("004_6c8f8c4c595500ac.txt"), &path).unwrap();
    let r = pipeline().align_path(&path).unwrap();
    assert_eq!(r.document.meta.label, "通辽");
    assert!(r.document.meta.region.is_empty());
    assert!(
        r.alignment
            .items
            .iter()
            .any(|a| a.status == Status::Matched)
    );
}

/// A text is aligned against the pipeline's own taxonomy: one built from
/// an outline gives its own ids.
#[test]
fn text_against_a_given_taxonomy() {
    let outline = "一、推进政务公开\n（一）公开财政预算。全面公开部门预算和决算信息。\n";
    let meta = luoshi::luoshi_core::taxonomy::TaxonomyMeta {
        id: "test".into(),
        title: "test".into(),
        issuer: None,
        number: None,
        date: None,
        seeds: vec![],
    };
    let taxonomy = Taxonomy::from_outline(outline, meta).unwrap();
    let p = Pipeline::builder().taxonomy(taxonomy).build().unwrap();
    assert_eq!(p.taxonomy().meta().id, "test");
    let r = p.align_text("doc", "一、公开工作\n全面公开部门预算和决算信息。\n");
    assert_eq!(r.document.meta.label, "doc");
    let a = &r.alignment.items[0];
    assert_eq!(a.status, Status::Matched);
    assert_eq!(a.requirement.as_deref(), Some("1.1.1"));
}

/// Issue 15: a pipeline built from a pack aligns against the pack's
/// taxonomy, and the embedded national 2017 pack is the default pipeline.
#[test]
fn text_against_a_pack() {
    let dir = tempfile::tempdir().unwrap();
    let outline =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/packs/national_2018_outline.txt");
    let pack = luoshi::luoshi_align::Pack::build(dir.path(), "national_2018", &outline).unwrap();
    let p = Pipeline::builder().pack(pack).build().unwrap();
    assert_eq!(p.taxonomy().meta().id, "national_2018");
    let text = "一、攻坚\n按月公布空气质量排名和重点污染源监测信息。\n";
    let a = &p.align_text("doc", text).alignment.items[0];
    assert_eq!(a.requirement.as_deref(), Some("1.3.1"));
    let embedded = Pipeline::builder()
        .pack(luoshi::luoshi_align::Pack::national_2017())
        .build()
        .unwrap();
    assert_eq!(
        embedded.align_text("doc", text).alignment,
        pipeline().align_text("doc", text).alignment
    );
}

/// Every failure comes back as a `luoshi::Error` naming its file.
#[test]
fn errors_are_wrapped() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    match Pipeline::builder().taxonomy_file(&missing).build() {
        Err(e @ Error::Core(_)) => assert!(e.to_string().contains("missing.toml"), "{e}"),
        other => panic!("expected a core error, got {other:?}"),
    }
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "match_threshold = 7.0\n").unwrap();
    match Pipeline::builder().config_file(&config).build() {
        Err(e @ Error::Align(_)) => assert!(e.to_string().contains("config.toml"), "{e}"),
        other => panic!("expected an align error, got {other:?}"),
    }
    let p = pipeline();
    let doc = dir.path().join("absent.txt");
    match p.align_path(&doc) {
        Err(e @ Error::Core(_)) => assert!(e.to_string().contains("absent.txt"), "{e}"),
        other => panic!("expected a core error, got {other:?}"),
    }
    // A broken manifest beside a document is reported, not ignored.
    let text = dir.path().join("a.txt");
    std::fs::write(&text, "一、推进政务公开\n全面公开部门预算和决算信息。\n").unwrap();
    std::fs::write(
        dir.path().join(luoshi::luoshi_core::MANIFEST_FILE),
        "[[document]]\nfile = 3\n",
    )
    .unwrap();
    match p.align_path(&text) {
        Err(e @ Error::Core(_)) => assert!(e.to_string().contains("regions.toml"), "{e}"),
        other => panic!("expected a core error, got {other:?}"),
    }
}

/// The corpus report's tables are the coverage command's tables.
#[cfg(feature = "report")]
#[test]
fn corpus_tables_equal_the_report_run() {
    let manifest = Path::new(SEEDS).join("regions.toml");
    let corpus = pipeline().align_manifest(&manifest).unwrap().remove(0);
    let mut opts = luoshi::luoshi_report::RunOptions::new();
    opts.manifest = manifest;
    let mut analyses = luoshi::luoshi_report::analyse(&opts).unwrap();
    assert_eq!(analyses.len(), 1, "the seeds answer one taxonomy");
    let analysis = analyses.remove(0);
    let expected = luoshi::luoshi_report::Corpus {
        taxonomy: &analysis.taxonomy,
        docs: &analysis.docs,
        alignments: &analysis.alignments,
        skipped: &analysis.skipped,
    }
    .tables()
    .unwrap();
    let got = corpus.tables().unwrap();
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g.name, e.name);
        assert!(g.frame.equals_missing(&e.frame), "table {}", g.name);
    }
}

const TWO_YEARS: &str = r#"
[[document]]
file = "region_2017.txt"
label = "示范市 2017"
region = "示范市"
year = 2017

[[document]]
file = "region_2018.txt"
label = "示范县 2018"
region = "示范县"
year = 2018
"#;

/// A corpus folder holding the two documents of `testdata/packs`, their
/// manifest, and a `taxonomies/` folder with the 2018 pack built from
/// the outline there; returns the manifest's path.
fn two_years(dir: &Path) -> std::path::PathBuf {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/packs");
    for f in ["region_2017.txt", "region_2018.txt"] {
        std::fs::copy(fixtures.join(f), dir.join(f)).unwrap();
    }
    luoshi::luoshi_align::Pack::build(
        dir.join("taxonomies"),
        "national_2018",
        fixtures.join("national_2018_outline.txt"),
    )
    .unwrap();
    let path = dir.join("regions.toml");
    std::fs::write(&path, TWO_YEARS).unwrap();
    path
}

/// Issue 21: the pipeline chooses each document's taxonomy as the
/// coverage run does (before, `align_manifest` aligned every document
/// against one taxonomy, ignoring a manifest's `taxonomy =` and the year
/// rule): a 2018 document answers the 2018 pack of the `taxonomies/`
/// folder beside the manifest, a single-file run agrees, and a taxonomy
/// given for every document refuses an entry that names one.
#[test]
fn documents_answer_their_pack_as_in_the_coverage_run() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = two_years(dir.path());
    let p = pipeline();
    let corpora = p.align_manifest(&manifest).unwrap();
    let packs: Vec<(&str, Vec<&str>)> = corpora
        .iter()
        .map(|c| {
            let labels = c.documents.iter().map(|d| d.meta.label.as_str()).collect();
            (c.pack.as_str(), labels)
        })
        .collect();
    assert_eq!(
        packs,
        [
            ("national_2017", vec!["示范市 2017"]),
            ("national_2018", vec!["示范县 2018"])
        ]
    );
    for c in &corpora {
        for (doc, alignment) in c.iter() {
            let one = p.align_path(dir.path().join(&doc.meta.file)).unwrap();
            assert_eq!(&one.alignment, alignment, "{}", doc.meta.label);
        }
    }
    let documents = p.ingest_manifest(&manifest).unwrap();
    let labels: Vec<&str> = documents.iter().map(|d| d.meta.label.as_str()).collect();
    assert_eq!(labels, ["示范市 2017", "示范县 2018"], "manifest order");

    #[cfg(feature = "report")]
    {
        let mut opts = luoshi::luoshi_report::RunOptions::new();
        opts.manifest = manifest.clone();
        let analyses = luoshi::luoshi_report::analyse(&opts).unwrap();
        assert_eq!(analyses.len(), corpora.len());
        for (a, c) in analyses.iter().zip(&corpora) {
            assert_eq!(a.pack, c.pack);
            assert_eq!(a.taxonomy, c.taxonomy);
            assert_eq!(a.alignments, c.alignments, "{}", a.pack);
        }
    }

    let named = TWO_YEARS.replace("year = 2018", "year = 2018\ntaxonomy = \"national_2018\"");
    std::fs::write(&manifest, named).unwrap();
    let fixed = Pipeline::builder()
        .taxonomy(Taxonomy::national_2017())
        .build()
        .unwrap();
    let err = fixed.align_manifest(&manifest).unwrap_err().to_string();
    assert!(
        err.contains("document 2") && err.contains("names the taxonomy `national_2018`"),
        "{err}"
    );
}
