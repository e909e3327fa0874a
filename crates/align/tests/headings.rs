//! Issue 22: a heading that is a national task's title carries its task,
//! verbatim, reworded the ways real documents reword them, or in
//! traditional script; `alignment.csv` shows it (kind heading, status
//! task).

use luoshi_align::{Aligner, HeadingStatus};
use luoshi_core::{DocumentMeta, IngestOptions, Taxonomy, ingest_text};

const MARKERS: [&str; 8] = [
    "（一）",
    "（二）",
    "（三）",
    "（四）",
    "（五）",
    "（六）",
    "（七）",
    "（八）",
];

/// Each task's title as a heading over one statement, in a document of
/// its own; returns the task each heading was read as.
fn read(titles: &[(String, String)]) -> Vec<(String, String, Option<String>)> {
    let taxonomy = Taxonomy::national_2017();
    let aligner = Aligner::new(&taxonomy).unwrap();
    let opts = IngestOptions::builder()
        .taxonomy_titles(&taxonomy)
        .build()
        .unwrap();
    titles
        .iter()
        .enumerate()
        .map(|(i, (task, title))| {
            let text = format!(
                "{}{}\n按照有关要求认真做好相关工作，及时向社会公开。\n",
                MARKERS[i % MARKERS.len()],
                title
            );
            let doc = ingest_text(text, DocumentMeta::for_file("h.txt".as_ref()), &opts);
            let al = aligner.align_document(&doc);
            let h = al.headings.first();
            let named = h
                .filter(|h| h.status == HeadingStatus::Task)
                .and_then(|h| h.task.as_deref().map(str::to_string));
            (task.clone(), title.clone(), named)
        })
        .collect()
}

fn check(cases: Vec<(String, String)>) {
    let wrong: Vec<String> = read(&cases)
        .into_iter()
        .filter(|(task, _, named)| named.as_deref() != Some(task.as_str()))
        .map(|(task, title, named)| format!("{title}: expected {task}, read {named:?}"))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn every_task_title_carries_its_task() {
    let taxonomy = Taxonomy::national_2017();
    let cases = taxonomy
        .tasks()
        .map(|t| {
            let n = taxonomy.node(t);
            (n.id.clone(), n.title.clone())
        })
        .collect();
    check(cases);
}

/// Variants as real documents write them: with a full stop, a trailing
/// 工作, the verb changed, in traditional script (written for this test,
/// not taken from the corpus).
#[test]
fn reworded_and_traditional_titles_carry_their_task() {
    let cases = [
        ("1.1", "加强预期引导。"),
        ("1.1", "加強預期引導"),
        ("1.2", "推進減稅、降費、降低要素成本信息公開"),
        ("1.4", "推进政府和社会资本合作（PPP）项目信息公开工作"),
        ("2.1", "深入推进“放管服”改革信息公开"),
        ("2.2", "推進國資國企改革信息公開"),
        ("4.2", "做好环境保护信息公开"),
        ("4.3", "推进教育、卫生领域信息公开"),
        ("5.3", "围绕防范遏制重特大生产安全事故推进信息公开"),
        ("6.2", "进一步健全解读回应机制。"),
        ("6.3", "加強政務公開平臺建設"),
        ("6.4", "依法规范依申请公开工作"),
    ];
    check(
        cases
            .iter()
            .map(|(t, h)| (t.to_string(), h.to_string()))
            .collect(),
    );
}
