//! The `luoshi` command end to end: the coverage tables equal the
//! library's, usage errors and missing inputs give their exit codes and
//! messages, taxonomy files are never overwritten without `--force`, an
//! outline builds a taxonomy that loads, and every `--help` reads.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use luoshi::luoshi_core::Taxonomy;
use luoshi::luoshi_report::{RunOptions, WriteOptions, run};

fn luoshi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(args)
        .output()
        .expect("the luoshi binary runs")
}

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

fn assert_same_folders(cli: &Path, lib: &Path) {
    let (a, b) = (files(cli), files(lib));
    let names = |m: &BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "files written: command vs library");
    assert!(a.keys().any(|p| p.ends_with("summary.csv")));
    for (path, bytes) in &a {
        assert!(
            *bytes == b[path],
            "{} differs: command {} bytes, library {} bytes",
            path.display(),
            bytes.len(),
            b[path].len()
        );
    }
}

#[test]
fn coverage_writes_the_tables_the_library_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = seeds().join("regions.toml");
    for (flags, excel, parquet) in [
        (&[][..], false, false),
        (&["--excel", "--parquet"][..], true, true),
    ] {
        let (cli, lib) = (
            tmp.path().join(format!("cli{}", flags.len())),
            tmp.path().join(format!("lib{}", flags.len())),
        );
        let mut args = vec![
            "coverage",
            "--manifest",
            manifest.to_str().unwrap(),
            "--out",
            cli.to_str().unwrap(),
        ];
        args.extend(flags);
        let o = luoshi(&args);
        assert_eq!(o.status.code(), Some(0), "stderr: {}", text(&o.stderr));
        let stdout = text(&o.stdout);
        let opts = RunOptions {
            manifest: manifest.clone(),
            out: lib.clone(),
            write: WriteOptions { excel, parquet },
            ..RunOptions::new()
        };
        let output = run(&opts).unwrap();
        // The printed summary is the library's; the last line is the timing.
        let (summary, timing) = stdout.trim_end().rsplit_once('\n').unwrap();
        assert_eq!(summary, output.summary_text().trim_end());
        assert!(timing.starts_with(&format!("wrote {} tables", output.table_count())));
        assert_same_folders(&cli, &lib);
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["coverage", "--no-such-option"],
        &["coverage", "--manifest"],
        &["frobnicate"],
        &["ingest"],
        &["taxonomy", "export", "--format", "yaml", "--out", "x.yaml"],
        &["taxonomy", "build", "--id", "x", "--out", "x.toml"],
        &["calibrate", "--held-out", "--cross-validate"],
    ] {
        let o = luoshi(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_missing_manifest_exits_1_naming_it_once() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = tmp.path().join("no_such_regions.toml");
    let out = tmp.path().join("out");
    let o = luoshi(&[
        "coverage",
        "--manifest",
        manifest.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = text(&o.stderr);
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    assert!(stderr.contains("no_such_regions.toml"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn taxonomy_export_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("mine.toml");
    std::fs::write(&path, "my notes\n").unwrap();
    let o = luoshi(&[
        "taxonomy",
        "export",
        "--format",
        "toml",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains("mine.toml") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my notes\n");

    let o = luoshi(&[
        "taxonomy",
        "export",
        "--format",
        "toml",
        "--out",
        path.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let national = Taxonomy::national_2017();
    let back = Taxonomy::load(&path).unwrap();
    assert_eq!(back.counts(), national.counts());
    assert_eq!(back.to_toml_string(), national.to_toml_string());

    let json = tmp.path().join("national.json");
    let o = luoshi(&[
        "taxonomy",
        "export",
        "--format",
        "json",
        "--out",
        json.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        Taxonomy::load(&json).unwrap().to_toml_string(),
        national.to_toml_string()
    );
}

const OUTLINE: &str = "某某年政务公开工作要点\n\
    前言一段，不计入。\n\
    一、推进决策公开\n\
    （一）扩大公众参与。重大决策事项应公开征求意见。建立意见反馈机制。\n\
    （二）做好解读工作。政策文件与解读方案同步起草。\n\
    二、加强平台建设\n\
    （一）办好政府网站。完善网站集约化管理。加强内容保障。\n";

#[test]
fn taxonomy_build_writes_a_taxonomy_that_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let outline = tmp.path().join("outline.txt");
    std::fs::write(&outline, OUTLINE).unwrap();
    for name in ["built.toml", "built.json"] {
        let out = tmp.path().join(name);
        let o = luoshi(&[
            "taxonomy",
            "build",
            "--outline",
            outline.to_str().unwrap(),
            "--id",
            "test-outline",
            "--title",
            "某某年政务公开工作要点",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let t = Taxonomy::load(&out).unwrap();
        assert_eq!(t.meta().id, "test-outline");
        let c = t.counts();
        assert_eq!((c.areas, c.tasks, c.requirements), (2, 3, 5), "{name}");
        assert!(t.get("1.1.2").is_some() && t.get("2.1.2").is_some());
        // `show` reads it back.
        let o = luoshi(&["taxonomy", "show", "--taxonomy", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert!(text(&o.stdout).contains("1.2 做好解读工作"));
        // A second build does not replace it.
        let before = std::fs::read(&out).unwrap();
        let o = luoshi(&[
            "taxonomy",
            "build",
            "--outline",
            outline.to_str().unwrap(),
            "--id",
            "other",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(std::fs::read(&out).unwrap(), before);
    }
}

/// Issue 21: an export always loads back. `--format` and the name of
/// `--out` must agree (`--taxonomy` reads a `.json` file as JSON and any
/// other as TOML): `--format json --out x.toml` wrote JSON that did not
/// load; now it is refused as a wrong command line (exit 2, nothing
/// written), and without `--format` the name decides. Every combination.
#[test]
fn taxonomy_export_always_loads_back() {
    let tmp = tempfile::tempdir().unwrap();
    let national = Taxonomy::national_2017();
    for format in [None, Some("toml"), Some("json")] {
        for name in ["t.toml", "t.json", "t.TOML", "t.Json", "t.txt", "t"] {
            let dir = tmp
                .path()
                .join(format!("{}-{name}", format.unwrap_or("none")));
            std::fs::create_dir(&dir).unwrap();
            let out = dir.join(name);
            let mut args = vec!["taxonomy", "export", "--out", out.to_str().unwrap()];
            if let Some(f) = format {
                args.extend(["--format", f]);
            }
            let o = luoshi(&args);
            let json_name = name.to_lowercase().ends_with(".json");
            let agrees = format.is_none_or(|f| (f == "json") == json_name);
            let case = format!("--format {format:?} --out {name}");
            if agrees {
                assert_eq!(o.status.code(), Some(0), "{case}: {}", text(&o.stderr));
                let written = std::fs::read_to_string(&out).unwrap();
                assert_eq!(written.starts_with('{'), json_name, "{case}");
                assert_eq!(Taxonomy::load(&out).unwrap(), national, "{case}");
            } else {
                assert_eq!(o.status.code(), Some(2), "{case}");
                let stderr = text(&o.stderr);
                assert!(
                    stderr.contains(name) && stderr.contains("would not load"),
                    "{case}: {stderr}"
                );
                assert!(!out.exists(), "{case}: nothing written");
            }
        }
    }
}

/// Issue 21: every subcommand ends quietly when its reader has gone (`|
/// head -1`): its own exit code (0, or 3 for skipped documents), no panic
/// (101), and the files it writes are written.
#[test]
fn every_subcommand_ends_quietly_on_a_closed_pipe() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for f in std::fs::read_dir(seeds()).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt" || e == "toml") {
            std::fs::copy(&p, corpus.join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::remove_file(corpus.join("002_434dd7b64f93f40d.txt")).unwrap();
    let out = |name: &str| tmp.path().join(name).display().to_string();
    let outline = "testdata/packs/national_2018_outline.txt";
    let cases: Vec<(Vec<String>, i32, Option<String>)> = vec![
        (
            vec!["coverage".into(), "--out".into(), out("cov")],
            0,
            Some(out("cov/summary.csv")),
        ),
        (
            vec![
                "coverage".into(),
                "--keep-going".into(),
                "--manifest".into(),
                corpus.join("regions.toml").display().to_string(),
                "--out".into(),
                out("kept"),
            ],
            3,
            Some(out("kept/summary.csv")),
        ),
        // The refit comes after the summary is printed: it is still
        // written (the command used to end at the first print).
        (
            vec![
                "coverage".into(),
                "--labels".into(),
                "testdata/labels".into(),
                "--refit".into(),
                out("refit"),
                "--out".into(),
                out("labelled"),
            ],
            0,
            Some(out("refit/decision.toml")),
        ),
        (
            vec!["ingest".into(), "seeds/004_6c8f8c4c595500ac.txt".into()],
            0,
            None,
        ),
        (vec!["taxonomy".into(), "show".into()], 0, None),
        (
            vec![
                "taxonomy".into(),
                "export".into(),
                "--out".into(),
                out("t.json"),
            ],
            0,
            Some(out("t.json")),
        ),
        (
            vec![
                "taxonomy".into(),
                "build".into(),
                "--outline".into(),
                outline.into(),
                "--id".into(),
                "x".into(),
                "--out".into(),
                out("b.toml"),
            ],
            0,
            Some(out("b.toml")),
        ),
        (
            vec![
                "taxonomy".into(),
                "pack".into(),
                "--outline".into(),
                outline.into(),
                "--id".into(),
                "national_2018".into(),
                "--packs".into(),
                out("packs"),
            ],
            0,
            Some(out("packs/national_2018/taxonomy.toml")),
        ),
        (
            vec![
                "calibrate".into(),
                "--manifest".into(),
                "seeds/regions.toml".into(),
                "--labels".into(),
                "testdata/labels".into(),
                "--confusions".into(),
            ],
            0,
            None,
        ),
        (vec!["--help".into()], 0, None),
        (vec!["coverage".into(), "--help".into()], 0, None),
    ];
    for (args, code, writes) in cases {
        let mut child = Command::new(env!("CARGO_BIN_EXE_luoshi"))
            .args(&args)
            .current_dir(&root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
        if let Some(file) = writes {
            assert!(Path::new(&file).is_file(), "{args:?} wrote {file}");
        }
    }
}

#[test]
fn taxonomy_build_names_the_outline_and_line_of_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let outline = tmp.path().join("bad_outline.txt");
    std::fs::write(&outline, "一、推进决策公开\n（一）扩大公众参与\n").unwrap();
    let out = tmp.path().join("t.toml");
    let o = luoshi(&[
        "taxonomy",
        "build",
        "--outline",
        outline.to_str().unwrap(),
        "--id",
        "x",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains("bad_outline.txt") && stderr.contains("line 2"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn ingest_prints_the_items_of_each_file_and_reports_a_missing_one() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("doc.txt");
    std::fs::write(
        &doc,
        "某某市政务公开工作要点\n一、推进决策公开\n（一）扩大公众参与。重大决策事项应公开征求意见。\n",
    )
    .unwrap();
    let o = luoshi(&["ingest", doc.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("# doc ("), "{stdout}");
    assert!(lines[1..].iter().all(|l| l.split('\t').count() == 8));
    assert!(lines.iter().any(|l| l.contains("\trequirement\t")));

    let o = luoshi(&["ingest", "--kind", "requirement", doc.to_str().unwrap()]);
    let stdout = text(&o.stdout);
    assert!(
        stdout
            .lines()
            .skip(1)
            .all(|l| l.contains("\trequirement\t"))
    );

    let missing = tmp.path().join("missing.txt");
    let o = luoshi(&["ingest", missing.to_str().unwrap(), doc.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("missing.txt"));
    assert!(text(&o.stdout).starts_with("# doc ("));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    // The items of all seeds are far more than a pipe holds.
    let files: Vec<PathBuf> = (0..5)
        .map(|i| {
            std::fs::read_dir(seeds())
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with(&format!("00{i}_"))
                })
                .unwrap()
        })
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .arg("ingest")
        .args(&files)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is closed here.
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o.stderr), "");
}

/// Issue 15: a pack built from an outline text with one command, then a
/// corpus mixing a 2017 and a 2018 document gives one folder of tables per
/// taxonomy; building the same pack again is refused and leaves it as it
/// was.
#[test]
fn taxonomy_pack_builds_a_pack_that_coverage_uses_by_year() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/packs");
    let tmp = tempfile::tempdir().unwrap();
    let packs = tmp.path().join("taxonomies");
    std::fs::create_dir(&packs).unwrap();
    let outline = fixtures.join("national_2018_outline.txt");
    let build = [
        "taxonomy",
        "pack",
        "--outline",
        outline.to_str().unwrap(),
        "--id",
        "national_2018",
        "--packs",
        packs.to_str().unwrap(),
    ];
    let o = luoshi(&build);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("wrote pack"),
        "{}",
        text(&o.stdout)
    );
    let written = packs.join("national_2018/taxonomy.toml");
    let before = std::fs::read(&written).unwrap();
    assert!(Taxonomy::load(&written).is_ok());

    let again = luoshi(&build);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("national_2018"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(std::fs::read(&written).unwrap(), before);

    for f in ["region_2017.txt", "region_2018.txt"] {
        std::fs::copy(fixtures.join(f), tmp.path().join(f)).unwrap();
    }
    let manifest = tmp.path().join("regions.toml");
    std::fs::write(
        &manifest,
        "[[document]]\nfile = \"region_2017.txt\"\nlabel = \"A 2017\"\nyear = 2017\n\n\
         [[document]]\nfile = \"region_2018.txt\"\nlabel = \"B 2018\"\nyear = 2018\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = luoshi(&[
        "coverage",
        "--manifest",
        manifest.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for pack in ["national_2017", "national_2018"] {
        let status = std::fs::read_to_string(out.join(pack).join("coverage_status.csv")).unwrap();
        let header = status.lines().next().unwrap();
        let label = if pack == "national_2017" {
            "A 2017"
        } else {
            "B 2018"
        };
        assert!(header.ends_with(label), "{pack}: {header}");
    }
}

#[test]
fn every_subcommand_has_a_manual_page() {
    for args in [
        &["--help"][..],
        &["coverage", "--help"],
        &["ingest", "--help"],
        &["taxonomy", "--help"],
        &["taxonomy", "show", "--help"],
        &["taxonomy", "export", "--help"],
        &["taxonomy", "build", "--help"],
        &["taxonomy", "pack", "--help"],
        &["calibrate", "--help"],
    ] {
        let o = luoshi(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let page = text(&o.stdout);
        for section in ["Usage:", "EXIT CODES:", "EXAMPLES:"] {
            assert!(page.contains(section), "{args:?} lacks {section}:\n{page}");
        }
    }
}

#[test]
fn the_progress_hook_sees_every_document_once_per_stage() {
    use luoshi::luoshi_report::{Progress, run_with_progress};
    use std::sync::Mutex;

    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("a.txt"),
        "一、推进决策公开\n（一）扩大公众参与。重大决策事项应公开征求意见。\n",
    )
    .unwrap();
    // Control bytes: not a text document, skipped with `keep_going`.
    std::fs::write(tmp.path().join("b.txt"), [0u8, 1, 2, 3, 0, 1, 2, 3]).unwrap();
    std::fs::write(
        tmp.path().join("regions.toml"),
        "[[document]]\nfile = \"a.txt\"\nlabel = \"A\"\n\n\
         [[document]]\nfile = \"b.txt\"\nlabel = \"B\"\n",
    )
    .unwrap();
    let seen = Mutex::new(Vec::new());
    let opts = RunOptions {
        manifest: tmp.path().join("regions.toml"),
        out: tmp.path().join("out"),
        keep_going: true,
        ..RunOptions::new()
    };
    let output = run_with_progress(&opts, &|p| seen.lock().unwrap().push(p)).unwrap();
    assert_eq!(output.skipped().count(), 1);
    let seen = seen.into_inner().unwrap();
    assert_eq!(
        seen,
        [
            Progress::Ingested { total: 2 },
            Progress::Ingested { total: 2 },
            Progress::Aligned { total: 2 },
            Progress::Writing
        ]
    );
}

/// `luoshi diff` (issue 24): a document against itself is kept
/// throughout, in the terminal and in the CSV; an existing --csv file is
/// not replaced without --force, and a document is never an output.
#[test]
fn diff_lines_up_two_documents_and_replaces_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = seeds().join("004_6c8f8c4c595500ac.txt");
    let a = a.to_str().unwrap();
    let csv = dir.path().join("diff.csv");
    let out = luoshi(&["diff", a, a, "--csv", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let mut lines = stdout.lines();
    let summary = lines.next().unwrap();
    assert!(
        summary.starts_with("# 通辽 2017 → 通辽 2017:")
            && summary.contains(" 0 reworded, 0 added, 0 dropped"),
        "{summary}"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|l| l.starts_with("kept\t")), "{stdout}");
    let written = std::fs::read_to_string(&csv).unwrap();
    let mut csv_lines = written.lines();
    let header: Vec<&str> = csv_lines.next().unwrap().split(',').collect();
    // The first columns hold no text with commas.
    assert_eq!(
        header[..5],
        ["doc_a", "doc_b", "change", "requirement_id", "task_id"]
    );
    let body: Vec<&str> = csv_lines.collect();
    assert_eq!(body.len(), rows.len());
    for l in &body {
        let cells: Vec<&str> = l.splitn(6, ',').collect();
        assert_eq!(cells[2], "kept");
        // Ids in the tables' form; a pair by own words has no requirement.
        assert!(cells[3].is_empty() || cells[3].starts_with('R'), "{l}");
        assert!(cells[4].is_empty() || cells[4].starts_with('T'), "{l}");
    }
    // --changed leaves nothing to show.
    let out = luoshi(&["diff", "--changed", a, a]);
    assert_eq!(text(&out.stdout).lines().count(), 1);

    // An existing file is kept without --force; a document is never
    // written over, even with it.
    std::fs::write(&csv, "mine").unwrap();
    let out = luoshi(&["diff", a, a, "--csv", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("exists"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "mine");
    let copy = dir.path().join("a.txt");
    std::fs::copy(a, &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let out = luoshi(&[
        "diff",
        a,
        copy.to_str().unwrap(),
        "--csv",
        copy.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}
