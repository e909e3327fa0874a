//! Issue 15, taxonomy packs: a corpus mixing documents of two national
//! documents (2017 and 2018) gives one set of tables per taxonomy, each
//! document aligned against its own taxonomy's ids. The 2018 pack is built
//! in the test from the outline text `testdata/packs/national_2018_outline.txt`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use luoshi_align::Pack;
use luoshi_report::polars::prelude::*;
use luoshi_report::{RunOptions, run};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/packs")
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

/// A corpus folder with the two fixture documents and `manifest` as its
/// `regions.toml`; returns the manifest's path.
fn corpus(dir: &Path, manifest: &str) -> PathBuf {
    for f in ["region_2017.txt", "region_2018.txt"] {
        std::fs::copy(fixtures().join(f), dir.join(f)).unwrap();
    }
    let path = dir.join("regions.toml");
    std::fs::write(&path, manifest).unwrap();
    path
}

fn build_2018(packs: &Path) -> Pack {
    Pack::build(
        packs,
        "national_2018",
        fixtures().join("national_2018_outline.txt"),
    )
    .unwrap()
}

fn read_csv(path: &Path) -> DataFrame {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .unwrap()
        .finish()
        .unwrap()
}

/// The distinct non-empty values of a text column.
fn values(df: &DataFrame, column: &str) -> BTreeSet<String> {
    df.column(column)
        .unwrap()
        .as_materialized_series()
        .iter()
        .filter_map(|v| v.get_str().map(str::to_string))
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn a_corpus_mixing_years_gives_tables_per_taxonomy() {
    let dir = tempfile::tempdir().unwrap();
    // The packs folder next to the manifest is found without --packs.
    let pack_2018 = build_2018(&dir.path().join("taxonomies"));
    let manifest = corpus(dir.path(), TWO_YEARS);
    let out = dir.path().join("out");
    let opts = RunOptions {
        manifest,
        out: out.clone(),
        ..RunOptions::new()
    };
    let result = run(&opts).unwrap();
    let ids: Vec<&str> = result
        .groups
        .iter()
        .map(|g| g.analysis.pack.as_str())
        .collect();
    assert_eq!(ids, ["national_2017", "national_2018"]);
    assert!(
        !out.join("alignment.csv").exists(),
        "several taxonomies: no tables at the top of --out"
    );
    let national_2017 = Pack::national_2017();
    for (g, (pack, label)) in result
        .groups
        .iter()
        .zip([(&national_2017, "示范市 2017"), (&pack_2018, "示范县 2018")])
    {
        let folder = out.join(pack.id());
        assert_eq!(g.dir, Path::new(pack.id()));
        for f in [
            "alignment.csv",
            "summary.csv",
            "task_coverage.csv",
            "heatmap.svg",
        ] {
            assert!(folder.join(f).is_file(), "{} has {f}", folder.display());
        }
        assert!(folder.join("text").join(format!("{label}.txt")).is_file());
        let docs: Vec<&str> = g
            .analysis
            .docs
            .iter()
            .map(|d| d.meta.label.as_str())
            .collect();
        assert_eq!(docs, [label], "{}: its own documents only", pack.id());
        assert_eq!(
            values(&read_csv(&folder.join("summary.csv")), "doc"),
            BTreeSet::from([label.to_string()])
        );
        // Every id in the alignment is one of its own taxonomy's, and the
        // document's statements do match requirements of it.
        let taxonomy = pack.taxonomy();
        let alignment = read_csv(&folder.join("alignment.csv"));
        let requirements = values(&alignment, "requirement_id");
        let tasks = values(&alignment, "task_id");
        assert!(
            requirements.len() >= 3,
            "{}: requirements matched: {requirements:?}",
            pack.id()
        );
        for (ids, letter) in [(&requirements, 'R'), (&tasks, 'T')] {
            for id in ids {
                let plain = id.strip_prefix(letter).unwrap_or_default();
                assert!(
                    taxonomy.get(plain).is_some(),
                    "{}: `{id}` is not an id of its taxonomy",
                    pack.id()
                );
            }
        }
        // The requirement rows of coverage_status are its taxonomy's.
        let rows = read_csv(&folder.join("coverage_status.csv")).height();
        assert_eq!(rows, taxonomy.counts().requirements, "{}", pack.id());
    }
    // The 2018 document's poverty and pollution statements find the 2018
    // tasks (1.2 精准脱贫, 1.3 污染防治), which 2017 numbers differently.
    let tasks_2018 = values(
        &read_csv(&out.join("national_2018/alignment.csv")),
        "task_id",
    );
    assert!(
        tasks_2018.contains("T1.2") && tasks_2018.contains("T1.3"),
        "{tasks_2018:?}"
    );
    // The output of several taxonomies is luoshi's own: a second run
    // replaces it, and so does a run of one taxonomy.
    run(&opts).unwrap();
    let other = dir.path().join("one_year");
    std::fs::create_dir(&other).unwrap();
    let one = corpus(&other, &TWO_YEARS.replace("year = 2018", "year = 2017"));
    let single = run(&RunOptions {
        manifest: one,
        out: out.clone(),
        ..RunOptions::new()
    })
    .unwrap();
    assert_eq!(single.groups.len(), 1);
    assert!(out.join("alignment.csv").is_file());
    assert!(!out.join("national_2018").exists());
}

#[test]
fn the_manifest_names_a_documents_taxonomy() {
    let dir = tempfile::tempdir().unwrap();
    let packs = dir.path().join("packs");
    build_2018(&packs);
    // No year: only the `taxonomy` key sends the document to 2018.
    let manifest = corpus(
        dir.path(),
        &TWO_YEARS.replace("year = 2018", "taxonomy = \"national_2018\""),
    );
    let result = run(&RunOptions {
        manifest: manifest.clone(),
        packs: Some(packs.clone()),
        out: dir.path().join("out"),
        ..RunOptions::new()
    })
    .unwrap();
    let ids: Vec<&str> = result
        .groups
        .iter()
        .map(|g| g.analysis.pack.as_str())
        .collect();
    assert_eq!(ids, ["national_2017", "national_2018"]);

    // Errors name the manifest entry or the packs folder; nothing is
    // written.
    let unknown = corpus(
        dir.path(),
        &TWO_YEARS.replace("year = 2018", "taxonomy = \"national_2019\""),
    );
    let cases = [
        (
            "unknown taxonomy",
            RunOptions {
                manifest: unknown.clone(),
                packs: Some(packs.clone()),
                out: dir.path().join("bad1"),
                ..RunOptions::new()
            },
            "document 2",
            "unknown taxonomy `national_2019`",
        ),
        (
            "packs folder that is not a folder",
            RunOptions {
                manifest: unknown.clone(),
                packs: Some(dir.path().join("missing")),
                out: dir.path().join("bad2"),
                ..RunOptions::new()
            },
            "missing",
            "not a folder",
        ),
        (
            "a taxonomy file with a named taxonomy",
            RunOptions {
                manifest: unknown,
                taxonomy: Some(packs.join("national_2018/taxonomy.toml")),
                out: dir.path().join("bad3"),
                ..RunOptions::new()
            },
            "document 2",
            "remove one of the two",
        ),
    ];
    for (name, opts, names, expected) in cases {
        let err = run(&opts).unwrap_err().to_string();
        assert!(
            err.contains(names) && err.contains(expected),
            "case {name}: expected `{names}` and `{expected}` in `{err}`"
        );
        assert!(!opts.out.exists(), "case {name}: nothing written");
    }
}

/// A model folder for taxonomy `id`: the shipped model and vocabulary,
/// the model recorded as fitted for `id` and with its utilities halved
/// (temperature 2), so every confidence it gives differs.
fn model_folder(dir: &Path, id: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../taxonomies/national_2017");
    let mut model = luoshi_align::DecisionModel::load(shipped.join("decision.toml")).unwrap();
    model.taxonomy = id.to_string();
    model.temperature = 2.0;
    std::fs::write(dir.join("decision.toml"), model.to_toml()).unwrap();
    // The shipped vocabulary names national 2017's tasks and would be
    // refused for another taxonomy: the folder's vocabulary is empty.
    std::fs::write(
        dir.join("vocabulary.toml"),
        luoshi_align::LearnedVocabulary::default().to_toml(),
    )
    .unwrap();
    dir.to_path_buf()
}

/// `--model` in a corpus of two taxonomies replaces the model of the
/// taxonomy it was fitted for only (from the folder itself, or from its
/// subfolder per taxonomy as `--refit` writes), and a folder fitted for
/// none of them is refused naming it.
#[test]
fn a_refitted_model_replaces_only_its_own_taxonomys() {
    let dir = tempfile::tempdir().unwrap();
    build_2018(&dir.path().join("taxonomies"));
    let manifest = corpus(dir.path(), TWO_YEARS);
    let opts = |out: &str, model: Option<PathBuf>| RunOptions {
        manifest: manifest.clone(),
        out: dir.path().join(out),
        model,
        ..RunOptions::new()
    };
    run(&opts("base", None)).unwrap();
    let alignment = |out: &str, pack: &str| {
        std::fs::read(dir.path().join(out).join(pack).join("alignment.csv")).unwrap()
    };
    let national_2017 = Pack::national_2017().taxonomy().meta().id.clone();
    let cases = [
        (
            model_folder(&dir.path().join("m2017"), &national_2017),
            "national_2017",
        ),
        (
            {
                let top = dir.path().join("m2018");
                model_folder(&top.join("national_2018"), "national_2018");
                top
            },
            "national_2018",
        ),
    ];
    for (k, (folder, replaced)) in cases.into_iter().enumerate() {
        let out = format!("run{k}");
        run(&opts(&out, Some(folder))).unwrap();
        for pack in ["national_2017", "national_2018"] {
            assert_eq!(
                alignment(&out, pack) == alignment("base", pack),
                pack != replaced,
                "{pack}: replaced only when the model was fitted for it"
            );
        }
    }
    let other = model_folder(&dir.path().join("other"), "national_2030");
    match run(&opts("refused", Some(other.clone()))) {
        Err(e @ luoshi_report::Error::Model { .. }) => {
            let message = e.to_string();
            assert!(message.contains(&other.display().to_string()), "{message}");
            assert!(message.contains("national_2018"), "{message}");
        }
        other => panic!("expected a model error, got {other:?}"),
    }
}
