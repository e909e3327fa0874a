//! The coverage run end to end on the seeds: schemas, consistency between
//! tables, Excel and Parquet options, and failure behaviour.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::common::{read_csv, seeds};
use luoshi_report::polars::prelude::*;
use luoshi_report::{RunOptions, WriteOptions, read_parquet, run};

fn options(out: &Path) -> RunOptions {
    RunOptions {
        manifest: seeds().join("regions.toml"),
        taxonomy: None,
        packs: None,
        config: None,
        out: out.to_path_buf(),
        write: WriteOptions {
            excel: false,
            parquet: false,
        },
        keep_going: false,
        ..RunOptions::new()
    }
}

fn header(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    text.lines()
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect()
}

fn strings(df: &DataFrame, col: &str) -> Vec<String> {
    df.column(col)
        .unwrap()
        .as_materialized_series()
        .iter()
        .map(|v| v.get_str().map(str::to_string).unwrap_or_default())
        .collect()
}

#[test]
fn tables_have_the_documented_schemas_and_agree() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = run(&options(&out)).unwrap();
    let labels: Vec<String> = result.groups[0]
        .analysis
        .docs
        .iter()
        .map(|d| d.meta.label.clone())
        .collect();

    let alignment = header(&out.join("alignment.csv"));
    let expected = [
        "doc",
        "file",
        "item_id",
        "start",
        "end",
        "kind",
        "status",
        "requirement_id",
        "task_id",
        "area_id",
        "score",
        "confidence",
        "runner_up_id",
        "runner_up_score",
        "units",
        "deadline",
        "text",
    ];
    assert_eq!(&alignment[..expected.len()], expected);
    for (name, first) in [
        (
            "coverage_status",
            vec!["requirement_id", "task_id", "area_id", "title"],
        ),
        (
            "coverage_scores",
            vec!["requirement_id", "task_id", "area_id", "title"],
        ),
        (
            "task_coverage",
            vec!["task_id", "area_id", "title", "requirements"],
        ),
        ("area_coverage", vec!["area_id", "title", "requirements"]),
    ] {
        let h = header(&out.join(format!("{name}.csv")));
        assert_eq!(&h[..first.len()], first, "{name}");
        assert_eq!(
            &h[first.len()..],
            labels,
            "{name}: one column per document label"
        );
    }
    assert_eq!(
        header(&out.join("coverage_long.csv"))[..3],
        ["doc", "file", "region"]
    );
    assert!(out.join("heatmap.svg").is_file());
    let svg = std::fs::read_to_string(out.join("heatmap.svg")).unwrap();
    assert!(svg.contains("加强预期引导") && svg.contains("通辽 2017"));

    // Every requirement appears once per document.
    let long = read_csv(&out.join("coverage_long.csv"));
    let n_req = result.groups[0].analysis.taxonomy.counts().requirements;
    assert_eq!(long.height(), n_req * labels.len());
    let pairs: HashSet<(String, String)> = strings(&long, "doc")
        .into_iter()
        .zip(strings(&long, "requirement_id"))
        .collect();
    assert_eq!(pairs.len(), long.height());
    let status = read_csv(&out.join("coverage_status.csv"));
    assert_eq!(status.height(), n_req);
    for l in &labels {
        for v in strings(&status, l) {
            assert!(
                ["covered", "partial", "omitted"].contains(&v.as_str()),
                "{l}: {v}"
            );
        }
    }

    // summary.csv agrees with alignment.csv.
    let al = read_csv(&out.join("alignment.csv"));
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for (doc, (kind, status)) in strings(&al, "doc")
        .into_iter()
        .zip(strings(&al, "kind").into_iter().zip(strings(&al, "status")))
    {
        // The decision counts of summary.csv are the requirement items';
        // headings carry a status of their own (what they name).
        if kind == "requirement" && !status.is_empty() {
            *counts.entry((doc.clone(), status)).or_default() += 1;
        } else if kind == "heading" {
            assert!(
                ["task", "area", "own"].contains(&status.as_str()),
                "{doc}: heading status {status}"
            );
        }
        *counts.entry((doc, kind)).or_default() += 1;
    }
    let summary = read_csv(&out.join("summary.csv"));
    let docs = strings(&summary, "doc");
    // Issue 13: the extracted text of each document sits beside the
    // tables, and every span of alignment.csv points into it.
    for d in &result.groups[0].analysis.docs {
        let text = std::fs::read_to_string(out.join("text").join(format!("{}.txt", d.meta.label)))
            .unwrap();
        assert_eq!(text, d.text);
    }
    // Issue 13: the format and encoding each document was read from.
    assert_eq!(
        header(&out.join("summary.csv"))[..4],
        ["doc", "file", "format", "encoding"]
    );
    assert!(strings(&summary, "format").iter().all(|f| f == "text"));
    assert!(strings(&summary, "encoding").iter().all(|e| e == "UTF-8"));
    assert!(strings(&summary, "status").iter().all(|s| s == "ok"));
    for (col, key) in [
        ("requirement_items", "requirement"),
        ("headings", "heading"),
        ("boilerplate", "boilerplate"),
        ("duplicates", "duplicate"),
        ("matched", "matched"),
        ("task", "task"),
        ("extension", "extension"),
    ] {
        let values: Vec<u64> = summary
            .column(col)
            .unwrap()
            .as_materialized_series()
            .iter()
            .map(|v| v.try_extract::<u64>().unwrap())
            .collect();
        for (d, v) in docs.iter().zip(values) {
            assert_eq!(
                v,
                counts
                    .get(&(d.clone(), key.to_string()))
                    .copied()
                    .unwrap_or(0),
                "{d} {col}"
            );
        }
    }
    // The document reading: 攀枝花's table names each row's task, so its
    // headings agree with what its items match on their own words; 西藏
    // 2018's headings, shuffled by the PDF conversion, cannot be judged.
    let agreement = summary.column("heading_agreement").unwrap().f64().unwrap();
    let at = |d: &str| agreement.get(docs.iter().position(|x| x == d).unwrap());
    assert!(
        at("攀枝花 2017").is_some_and(|a| a > 0.75),
        "{:?}",
        at("攀枝花 2017")
    );
    assert_eq!(at("西藏 2018"), None);
    // Items tile each document: alignment.csv has every item, in order.
    let total: usize = result.groups[0]
        .analysis
        .docs
        .iter()
        .map(|d| d.items.len())
        .sum();
    assert_eq!(al.height(), total);
}

#[test]
fn excel_csv_starts_with_a_bom_and_parquet_reads_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut opts = options(&out);
    opts.write = WriteOptions {
        excel: true,
        parquet: true,
    };
    let result = run(&opts).unwrap();
    for t in &result.groups[0].tables {
        let bytes = std::fs::read(out.join(format!("{}.csv", t.name))).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{} has no BOM", t.name);
        let back = read_parquet(&out.join(format!("{}.parquet", t.name))).unwrap();
        assert!(
            back.equals_missing(&t.frame),
            "{} differs after a Parquet round trip",
            t.name
        );
    }
}

#[test]
fn a_broken_manifest_leaves_the_previous_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("previous.csv"), "kept").unwrap();
    let bad = dir.path().join("regions.toml");
    std::fs::write(&bad, "[[document]]\nfile = \"missing.txt\"\nlabel = \"x\"\nregion = \"x\"\nlevel = \"province\"\nprovince = \"x\"\nyear = 2017\nissued = \"2017-01-01\"\n").unwrap();
    let mut opts = options(&out);
    opts.manifest = bad;
    let err = run(&opts).unwrap_err().to_string();
    assert!(
        err.contains("missing file") && err.contains("regions.toml"),
        "{err}"
    );
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["previous.csv"]);
    assert_eq!(
        std::fs::read_to_string(out.join("previous.csv")).unwrap(),
        "kept"
    );
    // No staging folder is left behind either.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".out")
        })
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn runs_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run(&options(&a)).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(|| run(&options(&b))).unwrap();
    // The tables, the heatmap and text/<label>.txt.
    let mut dirs = vec![std::path::PathBuf::new()];
    while let Some(sub) = dirs.pop() {
        for e in std::fs::read_dir(a.join(&sub)).unwrap() {
            let name = sub.join(e.unwrap().file_name());
            if a.join(&name).is_dir() {
                dirs.push(name);
                continue;
            }
            assert_eq!(
                std::fs::read(a.join(&name)).unwrap(),
                std::fs::read(b.join(&name)).unwrap(),
                "{name:?}"
            );
        }
    }
}

/// Issue 7: one bad document among good ones stops the run naming that
/// file; with `keep_going` it is skipped and reported in summary.csv.
#[test]
fn one_bad_document_stops_the_run_or_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string(seeds().join("regions.toml")).unwrap();
    for f in std::fs::read_dir(seeds()).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    // 重庆's file becomes binary junk.
    std::fs::write(
        dir.path().join("002_434dd7b64f93f40d.txt"),
        b"\x00\x01\x02binary",
    )
    .unwrap();
    std::fs::write(dir.path().join("regions.toml"), manifest).unwrap();
    let out = dir.path().join("out");
    let mut opts = options(&out);
    opts.manifest = dir.path().join("regions.toml");
    let err = run(&opts).unwrap_err().to_string();
    assert!(
        err.contains("002_434dd7b64f93f40d.txt") && err.contains("byte 0"),
        "{err}"
    );
    assert!(!out.exists());

    opts.keep_going = true;
    let result = run(&opts).unwrap();
    assert_eq!(result.groups[0].analysis.skipped.len(), 1);
    assert_eq!(result.groups[0].analysis.docs.len(), 4);
    let summary = read_csv(&out.join("summary.csv"));
    let status = strings(&summary, "status");
    let docs = strings(&summary, "doc");
    let i = docs.iter().position(|d| d == "重庆 2017").unwrap();
    assert_eq!(status[i], "skipped");
    assert!(strings(&summary, "error")[i].contains("looks binary"));
}

/// A copy of the seeds (documents and manifest) in `dir`; returns the
/// manifest.
fn copy_seeds(dir: &Path) -> PathBuf {
    for f in std::fs::read_dir(seeds()).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt" || e == "toml") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
    dir.join("regions.toml")
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Issue 21: with `keep_going` a missing file is skipped and reported as
/// an unreadable one is (before, the manifest refused it at load, so the
/// whole run stopped and nothing was written); without, it stops the run
/// naming the file.
#[test]
fn keep_going_skips_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = copy_seeds(dir.path());
    std::fs::remove_file(dir.path().join("002_434dd7b64f93f40d.txt")).unwrap();
    let out = dir.path().join("out");
    let mut opts = options(&out);
    opts.manifest = manifest;
    let err = run(&opts).unwrap_err().to_string();
    assert!(
        err.contains("002_434dd7b64f93f40d.txt") && err.contains("missing file"),
        "{err}"
    );
    assert!(!out.exists());

    opts.keep_going = true;
    let result = run(&opts).unwrap();
    assert_eq!(result.exit_code(), luoshi_report::exit_code::SKIPPED);
    let skipped: Vec<&str> = result.skipped().map(|s| s.label.as_str()).collect();
    assert_eq!(skipped, ["重庆 2017"]);
    let summary = read_csv(&out.join("summary.csv"));
    let docs = strings(&summary, "doc");
    let i = docs.iter().position(|d| d == "重庆 2017").unwrap();
    assert_eq!(strings(&summary, "status")[i], "skipped");
    let error = &strings(&summary, "error")[i];
    assert!(error.contains("002_434dd7b64f93f40d.txt"), "{error}");
}

/// Issue 21: a run in which every document is skipped writes nothing
/// (before, it replaced a good earlier output with empty tables) and says
/// so, naming each document and why it was skipped.
#[test]
fn a_run_that_skips_every_document_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = copy_seeds(dir.path());
    let out = dir.path().join("out");
    let mut opts = options(&out);
    opts.manifest = manifest;
    opts.keep_going = true;
    run(&opts).unwrap();
    let before = snapshot(&out);
    let files: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    for (k, f) in files.iter().enumerate() {
        if k % 2 == 0 {
            std::fs::remove_file(f).unwrap();
        } else {
            std::fs::write(f, b"\x00\x01binary").unwrap();
        }
    }
    let err = run(&opts).unwrap_err();
    assert!(
        matches!(err, luoshi_report::Error::NothingLeft { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("nothing was written"), "{message}");
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy();
        assert!(message.contains(&*name), "{name} in {message}");
    }
    assert_eq!(snapshot(&out), before, "the earlier output is untouched");
}

/// Issue 13: a document read with doubts (here UTF-8 text that is
/// mojibake: UTF-8 bytes once read as GBK) is flagged, not `ok`; one read
/// from another encoding says which.
#[test]
fn doubtful_documents_are_flagged_with_their_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string(seeds().join("regions.toml")).unwrap();
    for f in std::fs::read_dir(seeds()).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let tongliao = std::fs::read_to_string(seeds().join("004_6c8f8c4c595500ac.txt")).unwrap();
    let (mojibake, _, _) = encoding_rs::GBK.decode(tongliao.as_bytes());
    std::fs::write(
        dir.path().join("004_6c8f8c4c595500ac.txt"),
        mojibake.as_bytes(),
    )
    .unwrap();
    let panzhihua = std::fs::read_to_string(seeds().join("003_29682c494441ef65.txt")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&panzhihua);
    std::fs::write(dir.path().join("003_29682c494441ef65.txt"), gbk).unwrap();
    std::fs::write(dir.path().join("regions.toml"), manifest).unwrap();
    let out = dir.path().join("out");
    let mut opts = options(&out);
    opts.manifest = dir.path().join("regions.toml");
    run(&opts).unwrap();
    let summary = read_csv(&out.join("summary.csv"));
    let docs = strings(&summary, "doc");
    let (status, error, encoding) = (
        strings(&summary, "status"),
        strings(&summary, "error"),
        strings(&summary, "encoding"),
    );
    let i = docs.iter().position(|d| d == "通辽 2017").unwrap();
    assert_eq!(status[i], "flagged");
    assert!(error[i].contains("implausible"), "{}", error[i]);
    let j = docs.iter().position(|d| d == "攀枝花 2017").unwrap();
    assert_eq!(
        (status[j].as_str(), encoding[j].as_str()),
        ("ok", "gb18030")
    );
}
