//! The review loop (issue 16): review.csv → a researcher's corrections →
//! a run with `--labels` → exactly the corrected items change; labels
//! that name unknown things are refused with their file and line; a
//! refit on the seeds' labels keeps the shipped model's accuracy.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::root;
use luoshi_align::AlignConfig;
use luoshi_report::{Error, Refit, RunOptions, run};

fn options(out: &Path) -> RunOptions {
    RunOptions {
        manifest: root().join("seeds/regions.toml"),
        out: out.to_path_buf(),
        ..RunOptions::new()
    }
}

/// A CSV file as its header and rows of cells.
fn read(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Writes a header and rows as a CSV file (a sheet a researcher saved).
fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

/// Rows keyed by (doc, item_id).
type Rows = BTreeMap<(String, String), Vec<String>>;

/// alignment.csv: its header, and its rows by (doc, item_id).
fn alignment(dir: &Path) -> (Vec<String>, Rows) {
    let (h, rows) = read(&dir.join("alignment.csv"));
    let (d, i) = (col(&h, "doc"), col(&h, "item_id"));
    let map = rows
        .into_iter()
        .map(|r| ((r[d].clone(), r[i].clone()), r))
        .collect();
    (h, map)
}

/// The cells of a requirements × documents table, by (requirement, doc).
fn cells(path: &Path) -> BTreeMap<(String, String), String> {
    let (h, rows) = read(path);
    let first_doc = col(&h, "title") + 1;
    let mut out = BTreeMap::new();
    for r in rows {
        for (j, doc) in h.iter().enumerate().skip(first_doc) {
            out.insert((r[0].clone(), doc.clone()), r[j].clone());
        }
    }
    out
}

#[test]
fn round_trip_changes_exactly_the_corrected_items_and_their_coverage_cells() {
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("before");
    run(&options(&before)).unwrap();

    // The researcher corrects the ten least confident rows, each to an
    // answer other than the decision: the model's second choice (a task
    // or `extension`), or for every other row the nearest requirement.
    let (h, mut rows) = read(&before.join("review.csv"));
    let (doc, item, decision, alternative, nearest, correct) = (
        col(&h, "doc"),
        col(&h, "item_id"),
        col(&h, "decision_id"),
        col(&h, "alternative"),
        col(&h, "nearest_id"),
        col(&h, "correct"),
    );
    let mut edited = BTreeMap::new();
    for (k, r) in rows.iter_mut().take(10).enumerate() {
        let requirement = &r[nearest];
        let answer = if k % 2 == 1 && !requirement.is_empty() && *requirement != r[decision] {
            requirement.clone()
        } else {
            r[alternative].clone()
        };
        assert!(
            !answer.is_empty() && answer != r[decision],
            "row {k}: {r:?}"
        );
        r[correct] = answer.clone();
        edited.insert((r[doc].clone(), r[item].clone()), answer);
    }
    assert_eq!(edited.len(), 10);
    let sheet = dir.path().join("my-review.csv");
    write_csv(&sheet, &h, &rows);

    let after = dir.path().join("after");
    let out = run(&RunOptions {
        labels: vec![sheet.clone()],
        ..options(&after)
    })
    .unwrap();
    assert_eq!(
        out.groups[0].analysis.labels.as_ref().map(|l| l.len()),
        Some(10)
    );

    // alignment.csv: exactly the ten rows differ, and they carry the
    // researcher's decision and source = label.
    let (ah, a0) = alignment(&before);
    let (_, a1) = alignment(&after);
    assert_eq!(a0.keys().collect::<Vec<_>>(), a1.keys().collect::<Vec<_>>());
    let changed: BTreeSet<_> = a0
        .iter()
        .filter(|(k, r)| a1[*k] != **r)
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(changed, edited.keys().cloned().collect::<BTreeSet<_>>());
    let (source, status, req, task) = (
        col(&ah, "source"),
        col(&ah, "status"),
        col(&ah, "requirement_id"),
        col(&ah, "task_id"),
    );
    for (k, r) in &a1 {
        let want = if edited.contains_key(k) {
            "label"
        } else if r[status].is_empty() {
            ""
        } else {
            "model"
        };
        assert_eq!(r[source], want, "{k:?}");
    }
    for (k, answer) in &edited {
        let r = &a1[k];
        let got = match r[status].as_str() {
            "extension" => "extension",
            "matched" => r[req].as_str(),
            _ => r[task].as_str(),
        };
        assert_eq!(got, answer, "{k:?}");
    }

    // Coverage: only cells of requirements a corrected item covered
    // before or covers now may change; a labelled requirement is covered.
    let covers = col(&ah, "covers");
    let mut affected = BTreeSet::new();
    for k in edited.keys() {
        for table in [&a0, &a1] {
            for id in table[k][covers].split('|').filter(|s| !s.is_empty()) {
                affected.insert((id.to_string(), k.0.clone()));
            }
        }
    }
    for name in ["coverage_status.csv", "coverage_scores.csv"] {
        let (c0, c1) = (cells(&before.join(name)), cells(&after.join(name)));
        assert_eq!(c0.len(), c1.len());
        for (cell, v) in &c0 {
            if c1[cell] != *v {
                assert!(
                    affected.contains(cell),
                    "{name}: {cell:?} {v} → {}",
                    c1[cell]
                );
            }
        }
    }
    let status1 = cells(&after.join("coverage_status.csv"));
    let mut requirement_labels = 0;
    for ((d, _), answer) in &edited {
        if answer.split('.').count() == 3 {
            requirement_labels += 1;
            assert_eq!(status1[&(answer.clone(), d.clone())], "covered");
        }
    }
    assert!(
        requirement_labels > 0,
        "the test corrects some items to a requirement"
    );

    // label_metrics: the model disagreed with all ten labels.
    let (mh, metrics) = read(&after.join("label_metrics.csv"));
    let all = metrics.iter().find(|r| r[0] == "all").unwrap();
    assert_eq!(
        (&*all[col(&mh, "labelled")], &*all[col(&mh, "correct")]),
        ("10", "0")
    );
}

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

#[test]
fn labels_naming_unknown_documents_items_or_answers_are_refused_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    // A requirement item of the first document, and its text hash.
    let probe = dir.path().join("probe");
    run(&options(&probe)).unwrap();
    let (h, rows) = read(&probe.join("review.csv"));
    let (doc, item, hash) = (col(&h, "doc"), col(&h, "item_id"), col(&h, "text_hash"));
    let first = &rows[0][doc];
    let (item, hash) = (rows[0][item].clone(), rows[0][hash].clone());
    let other = &rows
        .iter()
        .find(|r| r[doc] == *first && r[col(&h, "text_hash")] != hash)
        .unwrap()[col(&h, "item_id")];
    let header = "doc,item_id,text_hash,correct\n";
    let cases = [
        (
            "unknown document",
            format!("{header}{first},{item},{hash},\nnowhere,1,{hash},extension\n"),
            "line 3",
            "unknown document `nowhere`",
        ),
        (
            "unknown item",
            format!("{header}{first},999999,sha256:0000000000000000,extension\n"),
            "line 2",
            "unknown item `999999`",
        ),
        (
            "unknown answer",
            format!("{header}{first},{item},{hash},9.9.9\n"),
            "line 2",
            "unknown answer `9.9.9`",
        ),
        (
            "a letter that is not the level's",
            format!("{header}{first},{item},{hash},T1.1.1\n"),
            "line 2",
            "unknown answer `T1.1.1`",
        ),
        (
            "no correct column",
            "doc,item_id,text_hash\nx,1,h\n".to_string(),
            "line 1",
            "no `correct` column",
        ),
        (
            "nothing says what the row was written for",
            format!("doc,item_id,correct\n{first},{item},extension\n"),
            "line 1",
            "neither a `text_hash` nor a `text` column",
        ),
        (
            "a text no item has",
            format!("{header}{first},{other},sha256:0000000000000000,extension\n"),
            "line 2",
            "the document changed since the sheet was written",
        ),
    ];
    for (name, text, line, message) in cases {
        let sheet = write(
            &dir.path().join(format!("{}.csv", name.replace(' ', "_"))),
            &text,
        );
        let err = run(&RunOptions {
            labels: vec![sheet.clone()],
            ..options(&dir.path().join("out"))
        })
        .unwrap_err();
        assert!(matches!(err, Error::Label { .. }), "{name}: {err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains(&sheet.display().to_string())
                && msg.contains(line)
                && msg.contains(message),
            "{name}: {msg}"
        );
        assert!(
            !dir.path().join("out").exists(),
            "{name}: nothing is written"
        );
    }
    // Two answers for one item.
    let sheet = write(
        &dir.path().join("twice.csv"),
        &format!("{header}{first},{item},{hash},extension\n{first},{item},{hash},1.1\n"),
    );
    let err = run(&RunOptions {
        labels: vec![sheet.clone()],
        ..options(&dir.path().join("out"))
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(&sheet.display().to_string())
            && err.contains("line 3")
            && err.contains("expected one answer"),
        "{err}"
    );
}

/// The seeds (documents and manifest) copied into `dir`; returns the
/// manifest.
fn copy_seeds(dir: &Path) -> PathBuf {
    for e in std::fs::read_dir(root().join("seeds")).unwrap().flatten() {
        if e.path()
            .extension()
            .is_some_and(|x| x == "txt" || x == "toml")
        {
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
    dir.join("regions.toml")
}

/// Issue 21: a review label follows its sentence. A line inserted at the
/// top of a document shifts every item_id; a sheet written before it
/// still labels the sentences it was written for (before, each label
/// landed silently on whatever item now had its item_id), and a sentence
/// that itself changed is refused, naming the sheet, its row and what
/// changed.
#[test]
fn a_label_follows_its_sentence_when_the_document_changes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let manifest = copy_seeds(&corpus);
    let opts = |out: &str| RunOptions {
        manifest: manifest.clone(),
        ..options(&dir.path().join(out))
    };
    run(&opts("before")).unwrap();
    let (h, mut rows) = read(&dir.path().join("before/review.csv"));
    let (doc, item, text, alternative, correct) = (
        col(&h, "doc"),
        col(&h, "item_id"),
        col(&h, "text"),
        col(&h, "alternative"),
        col(&h, "correct"),
    );
    // Three rows of 通辽 2017, each answered with the model's second choice.
    let mut answered = BTreeMap::new();
    for r in rows.iter_mut().filter(|r| r[doc] == "通辽 2017").take(3) {
        r[correct] = r[alternative].clone();
        answered.insert(r[text].clone(), (r[item].clone(), r[alternative].clone()));
    }
    assert_eq!(answered.len(), 3);
    let sheet = dir.path().join("my-review.csv");
    write_csv(&sheet, &h, &rows);

    // A new line at the top of the document.
    let file = corpus.join("004_6c8f8c4c595500ac.txt");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!("各旗县市区人民政府要按季度公开政务公开工作进展情况，接受社会监督。\n{original}"),
    )
    .unwrap();
    let after = run(&RunOptions {
        labels: vec![sheet.clone()],
        ..opts("after")
    })
    .unwrap();
    let labels = after.groups[0].analysis.labels.as_ref().unwrap();
    assert_eq!(labels.len(), 3);
    let (ah, a1) = alignment(&dir.path().join("after"));
    let (source, status, req, task, atext) = (
        col(&ah, "source"),
        col(&ah, "status"),
        col(&ah, "requirement_id"),
        col(&ah, "task_id"),
        col(&ah, "text"),
    );
    let labelled: Vec<&Vec<String>> = a1
        .iter()
        .filter(|((d, _), r)| d == "通辽 2017" && r[source] == "label")
        .map(|(_, r)| r)
        .collect();
    assert_eq!(labelled.len(), 3);
    for r in labelled {
        let (old_item, answer) = answered
            .get(&r[atext])
            .unwrap_or_else(|| panic!("a label landed on another sentence: {}", r[atext]));
        let got = match r[status].as_str() {
            "extension" => "extension",
            "matched" => r[req].as_str(),
            _ => r[task].as_str(),
        };
        assert_eq!(got, answer, "{}", r[atext]);
        assert_ne!(&r[col(&ah, "item_id")], old_item, "the item_ids shifted");
    }
    let moved: usize = labels.documents.iter().map(|d| d.moved.len()).sum();
    assert_eq!(moved, 3);

    // A labelled sentence that itself changed is refused.
    let (changed, _) = answered.iter().next().unwrap();
    let edited = std::fs::read_to_string(&file).unwrap().replacen(
        changed.trim(),
        &format!("{}（修订）", changed.trim()),
        1,
    );
    std::fs::write(&file, edited).unwrap();
    let err = run(&RunOptions {
        labels: vec![sheet.clone()],
        ..opts("refused")
    })
    .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::Label { .. }), "{msg}");
    let line = rows.iter().position(|r| r[text] == *changed).unwrap() + 2;
    assert!(
        msg.contains(&sheet.display().to_string())
            && msg.contains(&format!("line {line}"))
            && msg.contains("changed since the sheet was written"),
        "{msg}"
    );
    assert!(!dir.path().join("refused").exists());
}

/// Issue 21: the next review sheet carries the answers already given (its
/// `correct` column was empty again), and given back alone it labels the
/// same items the same way, for review-sheet labels and for TOML label
/// files alike.
#[test]
fn the_next_review_sheet_carries_the_answers_given() {
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("before");
    run(&options(&before)).unwrap();
    let (h, mut rows) = read(&before.join("review.csv"));
    let (doc, item, decision, alternative, correct) = (
        col(&h, "doc"),
        col(&h, "item_id"),
        col(&h, "decision_id"),
        col(&h, "alternative"),
        col(&h, "correct"),
    );
    let mut given = BTreeMap::new();
    for (k, r) in rows.iter_mut().take(9).enumerate() {
        // The tables' form, the plain form, and `ok`.
        r[correct] = match k % 3 {
            0 => r[alternative].clone(),
            1 if r[decision].len() > 1 => r[decision][1..].to_string(),
            _ => "ok".to_string(),
        };
        given.insert((r[doc].clone(), r[item].clone()), r[correct].clone());
    }
    let sheet = dir.path().join("my-review.csv");
    write_csv(&sheet, &h, &rows);
    let first = dir.path().join("first");
    run(&RunOptions {
        labels: vec![sheet],
        ..options(&first)
    })
    .unwrap();
    let (h1, rows1) = read(&first.join("review.csv"));
    let carried: BTreeMap<(String, String), String> = rows1
        .iter()
        .filter(|r| !r[col(&h1, "correct")].is_empty())
        .map(|r| {
            let c = col(&h1, "correct");
            (
                (r[col(&h1, "doc")].clone(), r[col(&h1, "item_id")].clone()),
                r[c].clone(),
            )
        })
        .collect();
    let tables_form = |a: &str| match a {
        "ok" | "extension" => a.to_string(),
        a if a.starts_with(['T', 'R']) => a.to_string(),
        a if a.split('.').count() == 3 => format!("R{a}"),
        a => format!("T{a}"),
    };
    let expected: BTreeMap<_, _> = given
        .iter()
        .map(|(k, a)| (k.clone(), tables_form(a)))
        .collect();
    assert_eq!(carried, expected);

    // Given back alone, the new sheet labels the same items the same way;
    // so does the sheet a run with the TOML label files writes.
    for (name, labels) in [
        ("sheet", first.join("review.csv")),
        ("toml", root().join("testdata/labels")),
    ] {
        let with_labels = dir.path().join(format!("{name}-labels"));
        run(&RunOptions {
            labels: vec![labels],
            ..options(&with_labels)
        })
        .unwrap();
        let copy = dir.path().join(format!("{name}-review.csv"));
        std::fs::copy(with_labels.join("review.csv"), &copy).unwrap();
        let again = dir.path().join(format!("{name}-again"));
        run(&RunOptions {
            labels: vec![copy],
            ..options(&again)
        })
        .unwrap();
        for table in ["alignment.csv", "coverage_status.csv", "review.csv"] {
            assert!(
                std::fs::read(with_labels.join(table)).unwrap()
                    == std::fs::read(again.join(table)).unwrap(),
                "{name}: {table} differs"
            );
        }
    }
}

/// A review sheet inside the output folder is an input of the run: the
/// folder is not replaced (the researcher's sheet would be lost).
#[test]
fn a_sheet_inside_the_output_folder_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&options(&out)).unwrap();
    let sheet = out.join("review.csv");
    let before = std::fs::read(&sheet).unwrap();
    let err = run(&RunOptions {
        labels: vec![sheet.clone()],
        ..options(&out)
    })
    .unwrap_err();
    assert!(matches!(err, Error::Output { .. }), "{err:?}");
    assert_eq!(std::fs::read(&sheet).unwrap(), before);
}

/// The labelled development set the shipped model was fitted on (the
/// `calibrate` example's default: the seeds and every composed set under
/// `testdata/dev/` that is not held out), gathered into one folder with
/// one manifest; and its label folders.
fn development_set(dir: &Path) -> (PathBuf, Vec<PathBuf>) {
    let mut manifest = std::fs::read_to_string(root().join("seeds/regions.toml")).unwrap();
    let mut labels = vec![root().join("testdata/labels")];
    let copy_txt = |from: &Path| {
        for e in std::fs::read_dir(from).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "txt") {
                std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
            }
        }
    };
    copy_txt(&root().join("seeds"));
    let mut sets: Vec<PathBuf> = std::fs::read_dir(root().join("testdata/dev"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|d| d.join("labels").is_dir() && !d.join("HELD_OUT.md").exists())
        .collect();
    sets.sort();
    for set in sets {
        copy_txt(&set.join("docs"));
        manifest.push('\n');
        manifest.push_str(&std::fs::read_to_string(set.join("regions.toml")).unwrap());
        labels.push(set.join("labels"));
    }
    let path = dir.join("regions.toml");
    std::fs::write(&path, manifest).unwrap();
    (path, labels)
}

/// Refit through the review loop on the labels the shipped model was
/// fitted on: in sample it reproduces the shipped model's accuracy within
/// a point; the refitted folder is read back with `model`; an existing
/// model is not replaced without `replace`.
#[test]
fn refit_on_the_shipped_labels_reproduces_the_shipped_accuracy_within_a_point() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let (manifest, labels) = development_set(&docs);
    let opts = |out: &str| RunOptions {
        manifest: manifest.clone(),
        labels: labels.clone(),
        ..options(&dir.path().join(out))
    };
    let shipped = run(&opts("shipped")).unwrap();
    let shipped_labels = shipped.groups[0].analysis.labels.as_ref().unwrap();
    assert!(shipped_labels.len() > 1000, "{}", shipped_labels.len());
    let refit = Refit::fit(
        &shipped.groups[0].analysis,
        &AlignConfig::default(),
        1e-3,
        false,
    )
    .unwrap();
    // Every resolved label is measured once (the run's own metrics come
    // from the same function, so comparing the two would test nothing).
    assert_eq!(refit.current.all().labelled, shipped_labels.len());
    let model = dir.path().join("model");
    refit.save(&model, false).unwrap();
    assert!(matches!(
        refit.save(&model, false),
        Err(Error::Output { .. })
    ));
    let refitted = run(&RunOptions {
        model: Some(model),
        ..opts("refitted")
    })
    .unwrap();
    let (a, b) = (
        shipped_labels.metrics.all(),
        refitted.groups[0]
            .analysis
            .labels
            .as_ref()
            .unwrap()
            .metrics
            .all(),
    );
    assert_eq!(a.labelled, b.labelled);
    let (a, b) = (a.recall().unwrap(), b.recall().unwrap());
    println!("development set: shipped {a:.4}, refitted {b:.4}");
    assert!((a - b).abs() <= 0.01, "shipped {a:.4}, refitted {b:.4}");
}

/// The leave-one-document-out estimate scores every labelled item of
/// every labelled document once, each with a model that did not see it.
#[test]
fn refit_estimate_holds_out_each_labelled_document() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&RunOptions {
        labels: vec![root().join("testdata/labels")],
        ..options(&dir.path().join("out"))
    })
    .unwrap();
    let labels = out.groups[0].analysis.labels.as_ref().unwrap();
    let refit = Refit::fit(&out.groups[0].analysis, &AlignConfig::default(), 1e-3, true).unwrap();
    let held_out = refit.held_out.expect("asked for");
    assert_eq!(held_out.all().labelled, labels.len());
    let docs: Vec<&str> = held_out
        .rows
        .iter()
        .filter(|r| r.0 == "document")
        .map(|r| r.1.as_str())
        .collect();
    let expected: Vec<&str> = out.groups[0]
        .analysis
        .docs
        .iter()
        .zip(&labels.documents)
        .filter(|(_, l)| !l.corrections.is_empty())
        .map(|(d, _)| d.meta.label.as_str())
        .collect();
    assert_eq!(docs, expected);
}

/// With `excel`, the review sheet is also written as `review.xlsx`, and
/// the output folder holding it is still luoshi's own (a second run
/// replaces it).
#[test]
fn excel_writes_review_xlsx_in_an_output_folder_luoshi_may_replace() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let opts = RunOptions {
        write: luoshi_report::WriteOptions {
            excel: true,
            parquet: false,
        },
        ..options(&out)
    };
    run(&opts).unwrap();
    let xlsx = std::fs::read(out.join("review.xlsx")).unwrap();
    assert!(xlsx.starts_with(b"PK\x03\x04"), "a ZIP container");
    // The workbook as written reads back: every `correct` cell is empty,
    // so it labels nothing.
    let copy = dir.path().join("copy.xlsx");
    std::fs::write(&copy, &xlsx).unwrap();
    let back = run(&RunOptions {
        labels: vec![copy],
        ..options(&dir.path().join("back"))
    })
    .unwrap();
    assert_eq!(
        back.groups[0].analysis.labels.as_ref().map(|l| l.len()),
        Some(0)
    );
    run(&opts).unwrap();
    assert!(out.join("review.xlsx").is_file());
    run(&options(&out)).unwrap();
    assert!(
        !out.join("review.xlsx").exists(),
        "without --excel no workbook"
    );
}

/// `review.xlsx` as a spreadsheet program saves it (item ids as numbers)
/// gives back the same labels as the same sheet saved as CSV, and a bad
/// answer in it is refused naming the workbook and the sheet's row.
#[test]
fn a_filled_in_workbook_is_read_back_like_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("before");
    run(&options(&before)).unwrap();
    let (h, mut rows) = read(&before.join("review.csv"));
    let (item, alternative, correct) = (
        col(&h, "item_id"),
        col(&h, "alternative"),
        col(&h, "correct"),
    );
    for r in rows.iter_mut().take(6) {
        r[correct] = r[alternative].clone();
    }
    let csv_sheet = dir.path().join("my-review.csv");
    write_csv(&csv_sheet, &h, &rows);
    let workbook = |path: &Path, rows: &[Vec<String>]| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let sheet = wb.add_worksheet();
        for (j, name) in h.iter().enumerate() {
            sheet.write_string(0, j as u16, name).unwrap();
        }
        for (i, r) in rows.iter().enumerate() {
            for (j, cell) in r.iter().enumerate() {
                let at = (i as u32 + 1, j as u16);
                match cell.parse::<f64>() {
                    Ok(n) if j == item => sheet.write_number(at.0, at.1, n).unwrap(),
                    _ => sheet.write_string(at.0, at.1, cell).unwrap(),
                };
            }
        }
        wb.save(path).unwrap();
    };
    let xlsx_sheet = dir.path().join("my-review.xlsx");
    workbook(&xlsx_sheet, &rows);

    let (from_csv, from_xlsx) = (dir.path().join("csv"), dir.path().join("xlsx"));
    for (out, sheet) in [(&from_csv, &csv_sheet), (&from_xlsx, &xlsx_sheet)] {
        let done = run(&RunOptions {
            labels: vec![sheet.clone()],
            ..options(out)
        })
        .unwrap();
        assert_eq!(
            done.groups[0].analysis.labels.as_ref().map(|l| l.len()),
            Some(6)
        );
    }
    assert_eq!(
        std::fs::read(from_csv.join("alignment.csv")).unwrap(),
        std::fs::read(from_xlsx.join("alignment.csv")).unwrap()
    );

    // A file named .xlsx that is no workbook (a CSV, a truncated ZIP)
    // is refused naming it, not read as nothing.
    for (name, bytes) in [
        ("text.xlsx", b"doc,item_id,correct\n".to_vec()),
        (
            "cut.xlsx",
            std::fs::read(&xlsx_sheet).unwrap()[..200].to_vec(),
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        match run(&RunOptions {
            labels: vec![path],
            ..options(&dir.path().join(name.replace('.', "_")))
        }) {
            Err(e @ Error::Label { line: 0, .. }) => {
                assert!(e.to_string().contains(name), "{e}")
            }
            other => panic!("{name}: expected a label error, got {other:?}"),
        }
    }

    // Sheet row 3 is the second item row.
    rows[1][correct] = "no-such-answer".into();
    let bad = dir.path().join("bad.xlsx");
    workbook(&bad, &rows);
    match run(&RunOptions {
        labels: vec![bad.clone()],
        ..options(&dir.path().join("bad"))
    }) {
        Err(e @ Error::Label { line: 3, .. }) => {
            assert!(e.to_string().contains("bad.xlsx"), "{e}")
        }
        other => panic!("expected a label error on row 3, got {other:?}"),
    }
}
