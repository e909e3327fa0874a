//! Issue 16: `report.html`, the self-contained page written with the
//! tables. The page is checked twice: as a string (escaping, the embedded
//! JSON, every document and task present), and in a real headless
//! Chromium for the seeds and a 500-document corpus (skipped, with the
//! reason printed, where Chromium is not installed; `.ci/run` installs it
//! from Debian's packages).
//!
//! Screenshots are taken only when `LUOSHI_SCREENSHOTS=DIR` is set, into
//! DIR (the README's `docs/img/report_*.png` are made this way); the page
//! is checked through its DOM either way.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::seeds;
use luoshi_core::AdminLevel;
use luoshi_report::{Corpus, RunOptions, analyse, report_data, report_html, report_html_with, run};
use serde_json::Value;

fn options(manifest: &Path, out: &Path) -> RunOptions {
    RunOptions {
        manifest: manifest.to_path_buf(),
        out: out.to_path_buf(),
        ..RunOptions::new()
    }
}

/// The data block of a page, parsed.
fn embedded(html: &str) -> Value {
    let json = report_data(html).expect("a readable data block");
    serde_json::from_str(&json).expect("the data block is JSON")
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x[0].as_str().unwrap().to_string())
        .collect()
}

/// A seed document and a document with markup in its text, labels and
/// metadata with markup, in `dir`; returns the manifest.
fn markup_corpus(dir: &Path) -> PathBuf {
    std::fs::copy(
        seeds().join("004_6c8f8c4c595500ac.txt"),
        dir.join("seed.txt"),
    )
    .unwrap();
    let evil = "一、主动公开重点领域信息 <script>alert(\"x\")</script> & </SCRIPT><!-- 推进财政预决算信息公开，细化公开内容。\n\
                二、<img src=x onerror=alert(1)> 加强政策解读 &amp; 回应社会关切，及时发布权威信息。\n";
    std::fs::write(dir.join("evil.txt"), evil).unwrap();
    let manifest = dir.join("m.toml");
    std::fs::write(
        &manifest,
        "[[document]]\nfile = \"seed.txt\"\nlabel = \"seed & co\"\nregion = \"<b>region</b>\"\n\n\
         [[document]]\nfile = \"evil.txt\"\nlabel = \"<script>x</script> & y\"\n",
    )
    .unwrap();
    manifest
}

/// Markup in a label and in a document's text stays text: the page holds
/// exactly its own two script elements, the JSON reads back with the
/// markup intact, and every document and task of the run is in it.
#[test]
fn markup_in_labels_and_text_is_escaped_and_everything_is_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = markup_corpus(dir.path());
    let out = dir.path().join("out");
    let result = run(&options(&manifest, &out)).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();

    let lower = html.to_lowercase();
    assert_eq!(
        lower.matches("<script").count(),
        2,
        "only the page's own scripts"
    );
    assert_eq!(lower.matches("</script").count(), 2);
    assert_eq!(lower.matches("<!--").count(), 0);
    assert!(!html.contains("<img"), "no markup from the data");
    assert!(!html.contains("<b>"), "no markup from the data");

    let data = embedded(&html);
    let docs = data["docs"].as_array().unwrap();
    let labels: Vec<&str> = docs.iter().map(|d| d["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["seed & co", "<script>x</script> & y"]);
    assert_eq!(docs[0]["region"], "<b>region</b>");
    // The document's text reads back whole, markup and all.
    let texts: String = docs[1]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|it| it[6].as_str().unwrap())
        .collect();
    assert!(
        texts.contains("<script>alert(\"x\")</script> &"),
        "item texts: {texts}"
    );

    // Every task of the taxonomy, and per document a share for each task
    // and a status for each requirement.
    let t = &result.groups[0].analysis.taxonomy;
    let tasks: Vec<String> = t
        .of_kind(luoshi_core::taxonomy::NodeKind::Task)
        .map(|n| t.node(n).id.clone())
        .collect();
    assert_eq!(strings(&data, "tasks"), tasks);
    let n_reqs = t.requirements().count();
    assert_eq!(data["reqs"].as_array().unwrap().len(), n_reqs);
    for (d, al) in docs.iter().zip(&result.groups[0].analysis.alignments) {
        assert_eq!(d["tasks"].as_array().unwrap().len(), tasks.len());
        assert_eq!(d["cov"].as_str().unwrap().chars().count(), n_reqs);
        let omitted = al
            .coverage
            .iter()
            .filter(|c| c.status.as_str() == "omitted")
            .count();
        let code = data["coverage_statuses"]
            .as_array()
            .unwrap()
            .iter()
            .position(|s| s == "omitted")
            .unwrap()
            .to_string();
        assert_eq!(d["cov"].as_str().unwrap().matches(&*code).count(), omitted);
    }
}

/// The evidence spans embedded for the page mark the same passages as
/// the alignment's excerpts, in both texts.
#[test]
fn evidence_offsets_mark_the_excerpts() {
    // The seeds answer one taxonomy: one analysis.
    let analysis = analyse(&options(&seeds().join("regions.toml"), Path::new("unused")))
        .unwrap()
        .remove(0);
    let corpus = Corpus {
        taxonomy: &analysis.taxonomy,
        docs: &analysis.docs,
        alignments: &analysis.alignments,
        skipped: &analysis.skipped,
    };
    let data = embedded(&report_html(&corpus));
    let reqs = data["reqs"].as_array().unwrap();
    let utf16 = |s: &str, a: u64, b: u64| -> String {
        let u: Vec<u16> = s.encode_utf16().collect();
        String::from_utf16(&u[a as usize..b as usize]).unwrap()
    };
    let mut checked = 0;
    for ((d, doc), al) in data["docs"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&analysis.docs)
        .zip(&analysis.alignments)
    {
        for it in d["items"].as_array().unwrap() {
            let Some(ev) = it[7].as_array() else { continue };
            let a = al
                .item(luoshi_core::ingest::ItemId(it[0].as_u64().unwrap() as _))
                .unwrap();
            let e = a.evidence.as_ref().unwrap();
            let n = |i: usize| ev[i].as_u64().unwrap();
            let item_text = it[6].as_str().unwrap();
            let item = &doc.items[a.item.0 as usize];
            if e.item_span.start >= item.span.start && e.item_span.end <= item.span.end {
                assert_eq!(utf16(item_text, n(1), n(2)), e.item_excerpt);
            }
            let req = &reqs[n(0) as usize];
            assert_eq!(req[0].as_str().unwrap(), &*e.requirement);
            assert_eq!(
                utf16(req[2].as_str().unwrap(), n(3), n(4)),
                e.requirement_excerpt
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} evidence spans checked");
}

/// Chromium from `PATH`, if installed.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|_| PathBuf::from(name))
        })
}

/// Runs headless Chromium on `page` with `args`; returns stdout and the
/// wall-clock time. The page reads its data asynchronously, so Chromium is
/// given a virtual-time budget: it dumps or shoots once the page is idle.
/// A browser still running after two minutes is killed.
fn headless(browser: &Path, profile: &Path, page: &Path, args: &[String]) -> (String, f64) {
    let started = Instant::now();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("chromium runs") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish {} in two minutes", page.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let secs = started.elapsed().as_secs_f64();
    assert!(status.success(), "chromium failed on {}", page.display());
    (reader.join().unwrap_or_default(), secs)
}

/// The seeds' alignment repeated with new labels and metadata up to
/// `n` documents, so the page can be measured at scale without aligning
/// `n` documents in a debug build.
fn replicated(n: usize) -> luoshi_report::Analysis {
    let mut a = analyse(&options(&seeds().join("regions.toml"), Path::new("unused")))
        .unwrap()
        .remove(0);
    let (docs, alignments) = (a.docs.clone(), a.alignments.clone());
    let levels = [
        AdminLevel::Province,
        AdminLevel::Prefecture,
        AdminLevel::County,
    ];
    a.docs.clear();
    a.alignments.clear();
    for i in 0..n {
        let (mut d, mut al) = (
            docs[i % docs.len()].clone(),
            alignments[i % docs.len()].clone(),
        );
        d.meta.label = format!("{} #{i:03}", d.meta.label);
        d.meta.region = format!("{}·{:02}", d.meta.region, i % 37);
        d.meta.level = Some(levels[i % levels.len()]);
        al.label = d.meta.label.clone();
        a.docs.push(d);
        a.alignments.push(al);
    }
    a
}

/// The analyses of a [`replicated`] corpus: the seeds' own (its first five
/// documents), each profile repeated under its copy's label. (The copies
/// share every passage with each other; searching them at test time, in
/// a debug build, would measure the search, not the page. The search at
/// scale is the `reuse_scale` example's.)
fn replicated_analyses(corpus: &Corpus<'_>) -> luoshi_analysis::Analyses {
    let seeds = 5;
    let first = Corpus {
        docs: &corpus.docs[..seeds],
        alignments: &corpus.alignments[..seeds],
        ..*corpus
    };
    let mut analyses = first.analyses().unwrap();
    let profiles = std::mem::take(&mut analyses.profiles);
    analyses.profiles = corpus
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut p = profiles[i % seeds].clone();
            p.label = d.meta.label.clone();
            p
        })
        .collect();
    analyses
}

/// The page for the seeds and for 500 documents opens offline in headless
/// Chromium, its script draws one heatmap row per document (and, with
/// `LUOSHI_SCREENSHOTS`, a screenshot is taken); size and timings are
/// printed.
#[test]
fn report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!(
            "skipped: chromium is not installed (apt-get install chromium); \
             the string checks of report.html above still ran"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let shots = std::env::var_os("LUOSHI_SCREENSHOTS").map(PathBuf::from);
    // With LUOSHI_KEEP_PAGES=DIR the two pages are kept (for
    // tests/browser/load_time.mjs).
    let keep = std::env::var_os("LUOSHI_KEEP_PAGES").map(PathBuf::from);
    let out = dir.path().join("out");
    run(&options(&seeds().join("regions.toml"), &out)).unwrap();
    let many = replicated(500);
    let many_page = dir.path().join("report_500.html");
    let corpus = Corpus {
        taxonomy: &many.taxonomy,
        docs: &many.docs,
        alignments: &many.alignments,
        skipped: &many.skipped,
    };
    std::fs::write(
        &many_page,
        report_html_with(&corpus, &replicated_analyses(&corpus)),
    )
    .unwrap();
    let markup = markup_corpus(dir.path());
    let markup_out = dir.path().join("markup");
    run(&options(&markup, &markup_out)).unwrap();
    let cases = [
        ("markup", markup_out.join("report.html"), 2, "#cell=0,0"),
        ("seeds", out.join("report.html"), 5, "#cell=2,3"),
        ("500", many_page, 500, "#cell=7,9"),
    ];
    for (name, page, n, hash) in cases {
        let size = std::fs::metadata(&page).unwrap().len();
        let profile = dir.path().join(format!("profile-{name}"));
        // Opened with a cell named in the address: the heatmap has one row
        // per document, the script ran to its end, and the cell's detail
        // is drawn.
        let with_hash = PathBuf::from(format!("{}{hash}", page.display()));
        let (dom, secs) = headless(&browser, &profile, &with_hash, &["--dump-dom".into()]);
        let rows = dom.matches("<tr data-doc=").count();
        assert_eq!(rows, n, "{name}: one heatmap row per document");
        assert!(
            dom.contains(&format!("data-rendered=\"{n}\"")),
            "{name}: the script ran to its end"
        );
        assert!(
            dom.contains("class=\"req\"") && dom.contains("national "),
            "{name}: the cell's requirements are drawn; the detail pane reads: {}",
            dom.split("<aside")
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(600)
                .collect::<String>()
        );
        if name == "markup" {
            // Markup in the data is drawn as text: no element was made
            // from it.
            assert!(dom.contains("&lt;script&gt;x&lt;/script&gt; &amp; y"));
            assert_eq!(dom.to_lowercase().matches("<script").count(), 2);
            continue;
        }
        if let Some(shots) = &shots {
            let png = shots.join(format!("report_{name}.png"));
            headless(
                &browser,
                &profile,
                &with_hash,
                &[
                    format!("--screenshot={}", png.display()),
                    "--window-size=1400,860".into(),
                ],
            );
            let bytes = std::fs::read(&png).unwrap();
            assert!(bytes.starts_with(b"\x89PNG"), "{name}: a PNG");
        }
        if let Some(keep) = &keep {
            std::fs::copy(&page, keep.join(format!("report_{name}.html"))).unwrap();
        }
        eprintln!(
            "report.html, {name}: {n} documents, {:.2} MB; chromium --dump-dom {secs:.2} s wall-clock, start-up included (tests/browser/load_time.mjs measures the page alone)",
            size as f64 / 1e6
        );
    }
}

/// The views beyond coverage (issue 24) open by their addresses: the
/// profiles (one row per document), one document's profile, who copies
/// whom, and a pair's passages side by side. (A test of its own: it runs
/// beside the one above.)
#[test]
fn views_beyond_coverage_open_by_their_address() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&options(&seeds().join("regions.toml"), &out)).unwrap();
    let page = out.join("report.html");
    let views = [
        (
            "#profile",
            vec!["document profiles", "通辽 2017", "fidelity %"],
        ),
        (
            "#profile=4",
            vec!["— profile", "by task", "response lag (days)"],
        ),
        ("#reuse", vec!["who copies whom", "id=\"reuse-matrix\""]),
        (
            "#pair=0",
            vec!["characters beyond the national text", "class=\"pair\""],
        ),
    ];
    // One browser profile for the four launches (a new one costs each
    // launch its first-run set-up).
    let profile = dir.path().join("profile-views");
    for (hash, wants) in &views {
        let with_hash = PathBuf::from(format!("{}{hash}", page.display()));
        let (dom, _) = headless(&browser, &profile, &with_hash, &["--dump-dom".into()]);
        for want in wants {
            assert!(dom.contains(want), "{hash}: no {want:?} in the page");
        }
    }
}
