//! Issue 14: the output folder is never a user's file or folder, runs on
//! one folder take turns, and the tables say "no data" where there is
//! none.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::common::{read_csv, seeds};
use luoshi_report::polars::prelude::*;
use luoshi_report::{
    Error, MARKER, RunOptions, Table, WriteOptions, read_parquet, run, write_table,
};

fn options(out: &Path) -> RunOptions {
    RunOptions {
        manifest: seeds().join("regions.toml"),
        out: out.to_path_buf(),
        ..RunOptions::new()
    }
}

/// A copy of the seeds (documents and manifest) in `dir`.
fn copy_seeds(dir: &Path) {
    for f in std::fs::read_dir(seeds()).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt" || e == "toml") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// One seed document with a manifest `text` in a fresh folder.
fn one_doc(dir: &Path, manifest: &str) -> PathBuf {
    std::fs::copy(
        seeds().join("004_6c8f8c4c595500ac.txt"),
        dir.join("004_6c8f8c4c595500ac.txt"),
    )
    .unwrap();
    let m = dir.join("m.toml");
    std::fs::write(&m, manifest).unwrap();
    m
}

fn entry(file: &str, label: &str) -> String {
    format!("[[document]]\nfile = \"{file}\"\nlabel = \"{label}\"\n")
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn strings(df: &DataFrame, col: &str) -> Vec<Option<String>> {
    df.column(col)
        .unwrap()
        .as_materialized_series()
        .iter()
        .map(|v| v.get_str().map(str::to_string))
        .collect()
}

fn refused(err: Error, what: &str) {
    let msg = err.to_string();
    assert!(
        matches!(err, Error::Output { .. }) && msg.contains(what),
        "expected an output refusal with `{what}`: {msg}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_a_socket_a_link_or_a_foreign_folder_at_out_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A file.
    let file = dir.path().join("results");
    std::fs::write(&file, "my notes").unwrap();
    refused(run(&options(&file)).unwrap_err(), "is a file");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my notes");
    // Something that is neither a file nor a folder (as /dev/null is).
    let sock = dir.path().join("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    refused(run(&options(&sock)).unwrap_err(), "not a folder");
    // A folder luoshi did not write.
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("summary.csv"), "hand made").unwrap();
    refused(run(&options(&mine)).unwrap_err(), MARKER);
    assert_eq!(
        std::fs::read_to_string(mine.join("summary.csv")).unwrap(),
        "hand made"
    );
    // A link to a folder.
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&mine, &link).unwrap();
    refused(run(&options(&link)).unwrap_err(), "symbolic link");
    // luoshi's own folder into which the user put a file of theirs.
    let out = dir.path().join("out");
    run(&options(&out)).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    refused(run(&options(&out)).unwrap_err(), "notes.txt");
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    // Nothing was staged or set aside.
    assert!(
        names(dir.path())
            .iter()
            .all(|n| !n.contains(".partial-") && !n.contains(".old-")),
        "{:?}",
        names(dir.path())
    );
}

/// Issue 21: `out/text` is luoshi's only if every entry is a file its
/// marker lists: a `.txt` file of the user's there (before, deleted by the
/// next run with the folder), or one whose name a document of another run
/// had, is refused before any work and kept; the marker lists the texts
/// of each taxonomy's folder.
#[test]
fn a_users_file_in_out_text_is_refused_not_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&options(&out)).unwrap();
    let marker = std::fs::read_to_string(out.join(MARKER)).unwrap();
    let listed: Vec<&str> = marker.lines().filter(|l| l.ends_with(".txt")).collect();
    assert_eq!(listed.len(), 5, "{marker}");
    assert!(listed.iter().all(|t| out.join("text").join(t).is_file()));
    for mine in ["notes.txt", "攀枝花 2018.txt"] {
        let path = out.join("text").join(mine);
        std::fs::write(&path, "my own notes").unwrap();
        refused(run(&options(&out)).unwrap_err(), mine);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "my own notes");
        std::fs::remove_file(&path).unwrap();
    }
    // A folder in text/ is not luoshi's either.
    std::fs::create_dir(out.join("text").join("drafts")).unwrap();
    refused(run(&options(&out)).unwrap_err(), "drafts");
    std::fs::remove_dir(out.join("text").join("drafts")).unwrap();
    // A marker that lists no text (written by hand, or by an earlier
    // luoshi) does not vouch for the texts.
    std::fs::write(out.join(MARKER), "This folder was written by luoshi.\n").unwrap();
    refused(run(&options(&out)).unwrap_err(), "lists no file of text/");
    std::fs::write(out.join(MARKER), &marker).unwrap();
    run(&options(&out)).unwrap();
}

#[test]
fn a_folder_holding_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_seeds(dir.path());
    let before = names(dir.path());
    // The corpus folder itself, and a folder above it.
    for out in [dir.path().to_path_buf(), dir.path().join("..")] {
        let opts = RunOptions {
            manifest: dir.path().join("regions.toml"),
            out: out.clone(),
            ..RunOptions::new()
        };
        refused(run(&opts).unwrap_err(), "an input of this run");
    }
    assert_eq!(names(dir.path()), before);
}

#[test]
fn luoshi_replaces_its_own_folder_and_an_empty_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    run(&options(&out)).unwrap();
    assert!(out.join(MARKER).is_file());
    let mut opts = options(&out);
    opts.write.parquet = true;
    run(&opts).unwrap();
    assert!(out.join("summary.parquet").is_file());
    opts.write.parquet = false;
    run(&opts).unwrap();
    assert!(!out.join("summary.parquet").exists(), "replaced whole");
    // Only the output and its lock file are left beside it.
    assert_eq!(names(dir.path()), [".out.lock", "out"]);
}

#[test]
fn concurrent_runs_on_one_out_take_turns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| run(&options(&out)).map(|_| ())))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in results {
        r.unwrap();
    }
    assert_eq!(names(dir.path()), [".out.lock", "out"]);
    assert!(out.join("summary.csv").is_file() && out.join(MARKER).is_file());
}

#[test]
fn staging_folders_of_dead_runs_are_removed_and_live_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let make = |name: &str, files: &[&str]| {
        let p = dir.path().join(name);
        std::fs::create_dir(&p).unwrap();
        for f in files {
            std::fs::write(p.join(f), "x").unwrap();
        }
        p
    };
    make(".out.partial-4000000-0", &[MARKER, "alignment.csv"]);
    make(".out.old-4000001", &[MARKER, "summary.csv", "heatmap.svg"]);
    // From a luoshi before markers.
    make(".out.partial-4000002", &["alignment.csv"]);
    // Something the user keeps there.
    make(".out.partial-4000003", &["thesis.docx"]);
    // A run that is still writing holds its marker's lock.
    let live = make(".out.partial-4000004-0", &[MARKER]);
    let held = File::open(live.join(MARKER)).unwrap();
    held.lock().unwrap();
    run(&options(&dir.path().join("out"))).unwrap();
    assert_eq!(
        names(dir.path()),
        [
            ".out.lock",
            ".out.partial-4000003",
            ".out.partial-4000004-0",
            "out"
        ]
    );
    drop(held);
}

#[test]
fn an_empty_manifest_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.toml");
    std::fs::write(&m, "# nothing yet\n").unwrap();
    let out = dir.path().join("out");
    let opts = RunOptions {
        manifest: m,
        out: out.clone(),
        ..RunOptions::new()
    };
    let err = run(&opts).unwrap_err().to_string();
    assert!(err.contains("lists no documents"), "{err}");
    assert!(!out.exists());
}

#[test]
fn labels_that_read_as_fixed_column_names_are_refused() {
    for label in ["title", "task_id", "ｒｅｑｕｉｒｅｍｅｎｔｓ"] {
        let dir = tempfile::tempdir().unwrap();
        let m = one_doc(
            dir.path(),
            &format!(
                "{}{}",
                entry("004_6c8f8c4c595500ac.txt", "甲"),
                entry("x.txt", label)
            ),
        );
        std::fs::write(dir.path().join("x.txt"), "一、总体要求\n加强政务公开。\n").unwrap();
        let opts = RunOptions {
            manifest: m,
            out: dir.path().join("out"),
            ..RunOptions::new()
        };
        let err = run(&opts).unwrap_err().to_string();
        assert!(
            err.contains("document 2 (x.txt)")
                && err.contains("column name")
                && err.contains("m.toml"),
            "{label}: {err}"
        );
    }
}

/// Skipped documents are rows with their metadata, `status`, `error`, and
/// empty (not zero) counts and rates; a task without requirements has
/// empty shares. Means over the written tables are then right.
#[test]
fn missing_values_are_empty_not_zero() {
    let dir = tempfile::tempdir().unwrap();
    copy_seeds(dir.path());
    std::fs::write(dir.path().join("002_434dd7b64f93f40d.txt"), b"\x00binary").unwrap();
    // The national taxonomy with one more task that has no requirements.
    let mut tax = luoshi_core::Taxonomy::national_2017().to_toml_string();
    tax.push_str(
        "\n[[node]]\nid = \"6.6\"\nkind = \"task\"\ntitle = \"空任务\"\ntext = \"空任务\"\n",
    );
    std::fs::write(dir.path().join("tax.toml"), tax).unwrap();
    let out = dir.path().join("out");
    let opts = RunOptions {
        manifest: dir.path().join("regions.toml"),
        taxonomy: Some(dir.path().join("tax.toml")),
        out: out.clone(),
        write: WriteOptions {
            excel: false,
            parquet: true,
        },
        keep_going: true,
        ..RunOptions::new()
    };
    let result = run(&opts).unwrap();
    assert_eq!(result.exit_code(), luoshi_report::exit_code::SKIPPED);

    let summary = read_parquet(&out.join("summary.parquet")).unwrap();
    let docs: Vec<String> = strings(&summary, "doc").into_iter().flatten().collect();
    let i = docs.iter().position(|d| d == "重庆 2017").unwrap();
    let col = |name: &str| {
        summary
            .column(name)
            .unwrap()
            .as_materialized_series()
            .clone()
    };
    assert_eq!(col("status").str_value(i).unwrap(), "skipped");
    assert!(col("error").str_value(i).unwrap().contains("looks binary"));
    assert_eq!(
        col("region").str_value(i).unwrap(),
        "重庆市",
        "metadata kept"
    );
    for c in [
        "items",
        "matched",
        "covered",
        "coverage_rate",
        "area_A1_coverage",
    ] {
        assert!(
            col(c).get(i).unwrap().is_null(),
            "{c} of a skipped document"
        );
        assert_eq!(col(c).null_count(), 1, "{c}: only the skipped row is empty");
    }
    // The mean over the table equals the mean over the documents aligned.
    let rates = col("coverage_rate");
    let mean = rates.f64().unwrap().mean().unwrap();
    let aligned: Vec<f64> = result.groups[0]
        .analysis
        .alignments
        .iter()
        .map(|a| {
            a.coverage
                .iter()
                .map(|c| match c.status {
                    luoshi_align::CoverageStatus::Covered => 1.0,
                    luoshi_align::CoverageStatus::Partial => 0.5,
                    luoshi_align::CoverageStatus::Omitted => 0.0,
                })
                .sum::<f64>()
                / a.coverage.len() as f64
        })
        .collect();
    let expected = aligned.iter().sum::<f64>() / aligned.len() as f64;
    assert!((mean - expected).abs() < 1e-3, "{mean} vs {expected}");

    // The task without requirements: empty in every document's column,
    // in CSV and in Parquet.
    let tasks = read_csv(&out.join("task_coverage.csv"));
    let ids = tasks
        .column("task_id")
        .unwrap()
        .as_materialized_series()
        .clone();
    let row = (0..tasks.height())
        .find(|&r| ids.get(r).unwrap().to_string().contains("6.6"))
        .unwrap();
    for d in &docs[..4] {
        assert!(tasks.column(d).unwrap().get(row).unwrap().is_null(), "{d}");
    }
    let text = std::fs::read_to_string(out.join("task_coverage.csv")).unwrap();
    let line = text.lines().find(|l| l.starts_with("T6.6,")).unwrap();
    assert!(line.ends_with(",,,,"), "{line}");
}

/// Metadata from the manifest reaches summary.csv and coverage_long.csv;
/// what a manifest leaves out is empty.
#[test]
fn manifest_metadata_flows_into_summary_and_the_tidy_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&options(&out)).unwrap();
    let summary = read_csv(&out.join("summary.csv"));
    let long = read_csv(&out.join("coverage_long.csv"));
    for (df, rows) in [(&summary, 5), (&long, 5 * 107)] {
        assert_eq!(df.height(), rows);
        let cell = |c: &str, r: usize| df.column(c).unwrap().get(r).unwrap().to_string();
        let r = (0..rows)
            .find(|&r| cell("doc", r).contains("重庆"))
            .unwrap();
        assert!(cell("region", r).contains("重庆市"));
        assert!(cell("level", r).contains("province"));
        assert_eq!(cell("year", r), "2017");
        assert!(cell("number", r).contains("渝府办发〔2017〕61号"));
        assert!(cell("issued", r).contains("2017-05-08"));
        assert!(cell("published", r).contains("2017-05-13"));
        assert!(cell("doc_title", r).contains("2017年政务公开重点工作任务分工"));
    }
    // A manifest with only file and label.
    let dir = tempfile::tempdir().unwrap();
    let m = one_doc(dir.path(), &entry("004_6c8f8c4c595500ac.txt", "通辽"));
    let out = dir.path().join("out");
    run(&RunOptions {
        manifest: m,
        out: out.clone(),
        ..RunOptions::new()
    })
    .unwrap();
    let summary = read_csv(&out.join("summary.csv"));
    for c in [
        "region",
        "level",
        "province",
        "year",
        "number",
        "issued",
        "published",
        "doc_title",
    ] {
        assert_eq!(summary.column(c).unwrap().null_count(), 1, "{c}");
    }
}

/// `--excel`: cells Excel would evaluate get a leading `'`; without it
/// the text is written as it is.
#[test]
fn excel_neutralizes_formula_leading_cells() {
    let cells = [
        "=HYPERLINK(\"x\")",
        "+1",
        "-2",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "plain",
        "a=b",
    ];
    let frame = DataFrame::new_infer_height(vec![
        Column::new("=label".into(), cells.to_vec()),
        Column::new("n".into(), vec![-1.5f64; cells.len()]),
    ])
    .unwrap();
    let table = Table {
        name: "summary",
        frame,
    };
    let dir = tempfile::tempdir().unwrap();
    for excel in [true, false] {
        write_table(
            dir.path(),
            &table,
            WriteOptions {
                excel,
                parquet: false,
            },
        )
        .unwrap();
        let back = read_csv(&dir.path().join("summary.csv"));
        let header = back.get_column_names()[0].to_string();
        let expected = if excel { "'=label" } else { "=label" };
        assert_eq!(header.trim_start_matches('\u{feff}'), expected);
        let got: Vec<String> = strings(&back, &header).into_iter().flatten().collect();
        for (cell, got) in cells.iter().zip(&got) {
            let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            let expected = if excel && risky {
                format!("'{cell}")
            } else {
                cell.to_string()
            };
            assert_eq!(got, &expected, "excel = {excel}");
        }
        // Numbers stay numbers.
        assert_eq!(back.column("n").unwrap().dtype(), &DataType::Float64);
    }
}

/// Parquet keeps real types: lists, booleans, floats, integers; CSV
/// joins list cells with the one separator.
#[test]
fn parquet_types_are_real_and_csv_lists_use_one_separator() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut opts = options(&out);
    opts.write.parquet = true;
    run(&opts).unwrap();
    let al = read_parquet(&out.join("alignment.parquet")).unwrap();
    let list = DataType::List(Box::new(DataType::String));
    for c in ["units", "covers", "heading_path"] {
        assert_eq!(al.column(c).unwrap().dtype(), &list, "{c}");
    }
    assert_eq!(al.column("score").unwrap().dtype(), &DataType::Float64);
    assert_eq!(
        al.column("requirement_id").unwrap().dtype(),
        &DataType::String
    );
    let summary = read_parquet(&out.join("summary.parquet")).unwrap();
    assert_eq!(
        summary.column("heading_agreement").unwrap().dtype(),
        &DataType::Float64
    );
    assert_eq!(summary.column("year").unwrap().dtype(), &DataType::UInt32);
    let long = read_parquet(&out.join("coverage_long.parquet")).unwrap();
    assert_eq!(
        long.column("item_ids").unwrap().dtype(),
        &DataType::List(Box::new(DataType::UInt64))
    );
    // In CSV: heading paths joined by `|`, never by the old ` > `.
    let text = std::fs::read_to_string(out.join("alignment.csv")).unwrap();
    assert!(text.contains('|') && !text.contains(" > "));
    let ext = std::fs::read_to_string(out.join("extensions.csv")).unwrap();
    assert!(ext.lines().next().unwrap().contains(",nearest_id,"));
}

/// Each item's text is written once: the statement is given as the
/// character ranges of `text` it is made of, and those ranges rebuild it.
#[test]
fn each_items_text_is_written_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = run(&options(&out)).unwrap();
    let al = read_csv(&out.join("alignment.csv"));
    assert!(
        al.column("statement").is_err(),
        "no second copy of the text"
    );
    let statements = result.groups[0].analysis.docs.iter().flat_map(|d| {
        d.items
            .iter()
            .map(move |it| (!it.body.is_empty()).then(|| d.body(it)))
    });
    let texts = strings(&al, "text");
    let spans = strings(&al, "statement_spans");
    let mut n = 0;
    for ((statement, text), spans) in statements.zip(&texts).zip(&spans) {
        let rebuilt = spans.as_ref().map(|spans| {
            let chars: Vec<char> = text.as_deref().unwrap_or("").chars().collect();
            spans
                .split('|')
                .map(|r| {
                    let (a, b) = r.split_once('-').unwrap();
                    chars[a.parse::<usize>().unwrap()..b.parse::<usize>().unwrap()]
                        .iter()
                        .collect::<String>()
                })
                .collect::<String>()
        });
        assert_eq!(rebuilt, statement);
        n += 1;
    }
    assert_eq!(n, al.height());
}

/// docs/schema.md lists every column of every table, and nothing else.
/// A python3 that has pandas, or None with the reason printed.
fn python_with_pandas() -> Option<&'static str> {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import pandas"])
        .output();
    match probe {
        Ok(o) if o.status.success() => Some("python3"),
        Ok(o) => {
            println!(
                "skipped: python3 has no pandas ({}); `pip install pandas` (.ci/run does)",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            None
        }
        Err(e) => {
            println!("skipped: no python3 ({e})");
            None
        }
    }
}

/// Issue 21: every table keeps its ids through pandas' default read: task
/// `1.10` came back as the number 1.1 (and `1` as 1.0); ids are now
/// written with their level's letter (`T1.10`), and
/// testdata/scripts/pandas_ids.py reads every CSV table of a run with
/// labels (so `label_metrics` and a filled `correct` column are there)
/// with `pandas.read_csv(path)` and checks every id cell.
#[test]
fn every_table_keeps_its_ids_through_a_default_pandas_read() {
    let Some(python) = python_with_pandas() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&RunOptions {
        labels: vec![seeds().join("../testdata/labels")],
        ..options(&out)
    })
    .unwrap();
    let script = seeds().join("../testdata/scripts/pandas_ids.py");
    let o = std::process::Command::new(python)
        .arg(&script)
        .arg(&out)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    println!("{stdout}");
    assert!(o.status.success(), "{stdout}{stderr}");
    // Every CSV table of the run was read.
    let tables = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .count();
    assert!(tables >= 14, "{tables}");
    assert!(stdout.contains(&format!("{tables} tables")), "{stdout}");
}

#[test]
fn schema_md_lists_every_column() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema.md"))
            .unwrap();
    // Documented columns per table: rows `| \`name\` |` under `## \`table\``.
    let mut documented: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut current = None;
    for line in doc.lines() {
        if let Some(t) = line.strip_prefix("## `") {
            current = Some(t.trim_end_matches('`').to_string());
        } else if let (Some(t), Some(rest)) = (&current, line.strip_prefix("| ")) {
            let cell = rest.split(" |").next().unwrap_or("");
            if let Some(name) = cell.strip_prefix('`').and_then(|c| c.strip_suffix('`')) {
                documented
                    .entry(t.clone())
                    .or_default()
                    .push(name.to_string());
            } else if cell == "*label*" {
                documented
                    .entry(t.clone())
                    .or_default()
                    .push("*label*".into());
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let result = run(&options(&dir.path().join("out"))).unwrap();
    let labels: Vec<&str> = result.groups[0]
        .analysis
        .docs
        .iter()
        .map(|d| d.meta.label.as_str())
        .collect();
    for t in &result.groups[0].tables {
        let mut written: Vec<String> = Vec::new();
        for c in t.frame.get_column_names() {
            let c = c.to_string();
            let name = if labels.contains(&c.as_str()) {
                "*label*".to_string()
            } else if c.starts_with("area_") && c.ends_with("_coverage") {
                "area_<id>_coverage".to_string()
            } else {
                c
            };
            if !written.contains(&name) {
                written.push(name);
            }
        }
        assert_eq!(
            documented.get(t.name),
            Some(&written),
            "docs/schema.md, table `{}`",
            t.name
        );
    }
}
