//! The command-line examples as a user runs them (issue 14): distinct exit
//! codes, each error printed once, quiet ends on a closed pipe, and a
//! taxonomy export that loads back.
//!
//! `cargo test` builds the examples before it runs the tests; these tests
//! run the built programs from `target/<profile>/examples/`. When a
//! filtered build did not make them (`cargo test --test facade` alone
//! does not build examples), each test says so and skips.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn example(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let path = profile_dir.join("examples").join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "skipped: example `{name}` is not built at {} (run `cargo test` without a target filter)",
            path.display()
        );
        None
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command) -> Output {
    cmd.current_dir(root()).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn copy_seeds(dir: &Path) {
    for f in std::fs::read_dir(root().join("seeds")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt" || e == "toml") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn coverage_exit_codes_are_distinct_and_errors_print_once() {
    let Some(coverage) = example("coverage") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");

    // 2: a wrong command line.
    let o = run(Command::new(&coverage).arg("--no-such-option"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    // 0: everything written.
    let o = run(Command::new(&coverage).arg("--out").arg(&out));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("summary.csv").is_file());

    // 1: an error, printed once, naming the file.
    let missing = dir.path().join("nowhere.toml");
    let o = run(Command::new(&coverage)
        .arg("--manifest")
        .arg(&missing)
        .arg("--out")
        .arg(&out));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches("nowhere.toml").count(), 1, "{err}");
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // 1 also for an output path that is not luoshi's; the file stays.
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    let o = run(Command::new(&coverage).arg("--out").arg(&notes));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("refusing to write"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine");

    // 3: documents skipped with --keep-going; the rest written.
    copy_seeds(dir.path());
    std::fs::write(dir.path().join("002_434dd7b64f93f40d.txt"), b"\x00junk").unwrap();
    let o = run(Command::new(&coverage)
        .arg("--manifest")
        .arg(dir.path().join("regions.toml"))
        .arg("--out")
        .arg(&out)
        .arg("--keep-going"));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(stderr(&o).matches("looks binary").count(), 1);
}

/// A program whose reader closed the pipe (`… | head`) ends quietly:
/// exit code 0, nothing on stderr about the pipe, no panic (code 101).
fn quiet_on_closed_pipe(name: &str, cmd: &mut Command) {
    let mut child = cmd
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{name}: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{name}: {err}"
    );
}

/// Issue 21: every example ends quietly when its reader has gone (the
/// `extract` and `calibrate` examples panicked with code 101), and a
/// program that writes files still writes them.
#[test]
fn closed_pipes_end_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let runs: Vec<(&str, Vec<String>)> = vec![
        ("ingest", vec!["seeds/004_6c8f8c4c595500ac.txt".into()]),
        ("taxonomy", vec![]),
        ("taxonomy", vec!["--format".into(), "json".into()]),
        (
            "coverage",
            vec!["--out".into(), dir.path().join("out").display().to_string()],
        ),
        (
            "extract",
            vec![
                "seeds/003_29682c494441ef65.txt".into(),
                "testdata/formats/pdf/003_29682c494441ef65.pdf".into(),
            ],
        ),
        (
            "extract",
            vec!["--summary".into(), "seeds/003_29682c494441ef65.txt".into()],
        ),
        (
            "calibrate",
            vec![
                "--manifest".into(),
                "seeds/regions.toml".into(),
                "--labels".into(),
                "testdata/labels".into(),
                "--confusions".into(),
            ],
        ),
        (
            "pack",
            vec![
                "--outline".into(),
                "testdata/packs/national_2018_outline.txt".into(),
                "--id".into(),
                "national_2018".into(),
                "--out".into(),
                dir.path().join("packs").display().to_string(),
            ],
        ),
        ("scale", vec!["300".into(), "--sample".into(), "0".into()]),
        ("formats", vec![]),
    ];
    for (name, args) in &runs {
        if let Some(exe) = example(name) {
            quiet_on_closed_pipe(name, Command::new(exe).args(args));
        }
    }
    if example("coverage").is_some() {
        assert!(dir.path().join("out/summary.csv").is_file());
    }
    if example("pack").is_some() {
        assert!(
            dir.path()
                .join("packs/national_2018/taxonomy.toml")
                .is_file()
        );
    }
}

#[test]
fn taxonomy_export_loads_back_in_both_formats() {
    let Some(taxonomy) = example("taxonomy") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let national = luoshi::luoshi_core::Taxonomy::national_2017();
    for format in ["json", "toml"] {
        let o = run(Command::new(&taxonomy).args(["--format", format]));
        assert!(o.status.success(), "{}", stderr(&o));
        let path = dir.path().join(format!("t.{format}"));
        std::fs::write(&path, &o.stdout).unwrap();
        let back = luoshi::luoshi_core::Taxonomy::load(&path).unwrap();
        assert_eq!(back, national, "{format}");
        // And the example itself reads it: the outline is the same.
        let a = run(&mut Command::new(&taxonomy));
        let b = run(Command::new(&taxonomy).arg("--taxonomy").arg(&path));
        assert!(b.status.success(), "{}", stderr(&b));
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

/// Issue 15: the pack example builds a pack from an outline text in one
/// command, refuses to overwrite it, and the coverage example aligns a
/// 2018 document against it (one subfolder of tables per taxonomy).
#[test]
fn pack_builds_once_and_coverage_uses_it() {
    let (Some(pack), Some(coverage)) = (example("pack"), example("coverage")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let fixtures = root().join("testdata/packs");
    let packs = dir.path().join("packs");
    let build = || {
        run(Command::new(&pack)
            .arg("--outline")
            .arg(fixtures.join("national_2018_outline.txt"))
            .args(["--id", "national_2018", "--out"])
            .arg(&packs))
    };
    let o = build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(packs.join("national_2018/taxonomy.toml").is_file());
    let o = build();
    assert_eq!(o.status.code(), Some(1), "a second build is refused");
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));

    for f in ["region_2017.txt", "region_2018.txt"] {
        std::fs::copy(fixtures.join(f), dir.path().join(f)).unwrap();
    }
    let manifest = dir.path().join("regions.toml");
    std::fs::write(
        &manifest,
        "[[document]]\nfile = \"region_2017.txt\"\nlabel = \"a\"\nyear = 2017\n\n\
         [[document]]\nfile = \"region_2018.txt\"\nlabel = \"b\"\nyear = 2018\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = run(Command::new(&coverage)
        .arg("--manifest")
        .arg(&manifest)
        .arg("--packs")
        .arg(&packs)
        .arg("--out")
        .arg(&out));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for id in ["national_2017", "national_2018"] {
        assert!(out.join(id).join("summary.csv").is_file(), "{id}");
    }
}
