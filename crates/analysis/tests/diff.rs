//! Two documents side by side (issue 24): a seed against itself, and
//! against a copy edited at test time in known places (an obligation
//! weakened, a number changed, a statement no requirement lines up
//! dropped).

use std::path::{Path, PathBuf};

use luoshi_align::{Aligner, DocumentAlignment, Status};
use luoshi_analysis::{Analyst, Change, DocumentDiff, Obligation, Shift, obligation, quantities};
use luoshi_core::{IngestOptions, Item, ItemKind, Manifest, RegionDocument, Taxonomy, ingest_text};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Setup {
    taxonomy: Taxonomy,
    opts: IngestOptions,
    aligner: Aligner,
    manifest: Manifest,
}

impl Setup {
    fn new() -> Setup {
        let taxonomy = Taxonomy::national_2017();
        let opts = IngestOptions::builder()
            .taxonomy_titles(&taxonomy)
            .build()
            .unwrap();
        let aligner = Aligner::new(&taxonomy).unwrap();
        let manifest = Manifest::load(root().join("seeds/regions.toml")).unwrap();
        Setup {
            taxonomy,
            opts,
            aligner,
            manifest,
        }
    }

    /// The seed whose file starts with `prefix`, read from `text`.
    fn read(&self, prefix: &str, text: &str) -> (RegionDocument, DocumentAlignment) {
        let meta = self
            .manifest
            .documents
            .iter()
            .find(|m| m.file.starts_with(prefix))
            .unwrap()
            .clone();
        let doc = ingest_text(text.to_string(), meta, &self.opts);
        let al = self.aligner.align_document(&doc);
        (doc, al)
    }

    fn diff(
        &self,
        a: &(RegionDocument, DocumentAlignment),
        b: &(RegionDocument, DocumentAlignment),
    ) -> DocumentDiff {
        Analyst::new(&self.taxonomy)
            .diff((&a.0, &a.1), (&b.0, &b.1))
            .unwrap()
    }
}

fn seed_text(prefix: &str) -> String {
    let dir = root().join("seeds");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .unwrap();
    std::fs::read_to_string(file.path()).unwrap()
}

/// Another digit of the same script as `c` (ASCII, full-width or
/// Chinese), if `c` is a digit.
fn other_digit(c: char) -> Option<char> {
    ["0123456789", "０１２３４５６７８９", "〇一二三四五六七八九"]
        .iter()
        .find_map(|set| {
            let digits: Vec<char> = set.chars().collect();
            let at = digits.iter().position(|&x| x == c)?;
            Some(digits[(at + 3) % 10])
        })
}

/// The first digit of the first quantity of `text` that has one.
fn first_digit(text: &str) -> Option<char> {
    quantities(text)
        .iter()
        .find_map(|q| q.chars().find(|&c| other_digit(c).is_some()))
}

fn requirements(doc: &RegionDocument) -> impl Iterator<Item = &Item> {
    doc.items.iter().filter(|i| i.kind == ItemKind::Requirement)
}

#[test]
fn a_document_against_itself_is_kept_throughout() {
    let s = Setup::new();
    for prefix in ["003", "004"] {
        let a = s.read(prefix, &seed_text(prefix));
        let d = s.diff(&a, &a);
        assert!(!d.rows.is_empty());
        for r in &d.rows {
            assert_eq!(r.change, Change::Kept, "{prefix}: {r:?}");
            assert_eq!(r.a.as_ref().unwrap().item, r.b.as_ref().unwrap().item);
            assert!(r.obligation.is_none() && r.deadline.is_none());
            assert!(r.numbers.is_none() && r.units.is_none());
        }
    }
}

#[test]
fn edits_are_found_where_they_were_made() {
    let s = Setup::new();
    let text = seed_text("004");
    let a = s.read("004", &text);
    let (doc, al) = (&a.0, &a.1);
    let matched = |it: &&Item| al.item(it.id).is_some_and(|x| x.status == Status::Matched);
    // The first matched statement bound by exactly one word of
    // obligation: that word becomes 可以.
    let (weak, word) = requirements(doc)
        .filter(matched)
        .find_map(|it| {
            let o = obligation(&doc.body(it));
            (o.grade == Obligation::Must
                && o.words.len() == 1
                && doc.raw(it).matches(o.words[0]).count() == 1)
                .then(|| (it, o.words[0]))
        })
        .unwrap();
    // The first other matched statement with a quantity written with a
    // digit: that digit changes.
    let number = requirements(doc)
        .filter(matched)
        .find(|it| it.id != weak.id && first_digit(&doc.body(it)).is_some())
        .unwrap();
    // The first statement no requirement lines up (a task item or a
    // local extension): gone.
    let dropped = requirements(doc)
        .find(|it| al.item(it.id).is_some_and(|x| x.status != Status::Matched))
        .unwrap();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = vec![
        (weak.span.clone(), doc.raw(weak).replacen(word, "可以", 1)),
        (number.span.clone(), {
            let d = first_digit(&doc.body(number)).unwrap();
            doc.raw(number)
                .replacen(d, &other_digit(d).unwrap().to_string(), 1)
        }),
        (dropped.span.clone(), String::new()),
    ];
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut edited = doc.text.to_string();
    for (range, with) in &edits {
        edited.replace_range(range.clone(), with);
    }
    let b = s.read("004", &edited);
    let d = s.diff(&a, &b);
    let row_of = |it: &Item| {
        d.rows
            .iter()
            .find(|r| r.a.as_ref().is_some_and(|x| x.item == it.id))
            .unwrap_or_else(|| panic!("no row for item {}", it.id.0))
    };
    let r = row_of(weak);
    assert_eq!(
        r.b.as_ref().unwrap().text,
        edits.iter().find(|e| e.0 == weak.span).unwrap().1
    );
    assert_eq!(r.obligation.map(|o| o.0), Some(Obligation::Must));
    assert!(r.weakened(), "{r:?}");
    let r = row_of(number);
    assert_eq!(r.numbers, Some(Shift::Changed), "{r:?}");
    assert!(r.obligation.is_none());
    let r = row_of(dropped);
    assert_eq!(r.change, Change::Dropped, "{r:?}");
    assert!(r.b.is_none());
    // Read the other way, it is added.
    let back = s.diff(&b, &a);
    assert!(
        back.rows.iter().any(
            |r| r.change == Change::Added && r.b.as_ref().is_some_and(|x| x.item == dropped.id)
        )
    );
    // Nothing else weakened or renumbered (an item that states several
    // requirements has a row for each).
    let on = |f: &dyn Fn(&luoshi_analysis::DiffRow) -> bool| -> Vec<_> {
        d.rows
            .iter()
            .filter(|r| f(r))
            .map(|r| r.a.as_ref().unwrap().item)
            .collect()
    };
    let weakened = on(&|r| r.weakened());
    assert!(
        !weakened.is_empty() && weakened.iter().all(|&i| i == weak.id),
        "{weakened:?}"
    );
    let renumbered = on(&|r| r.numbers.is_some());
    assert!(
        !renumbered.is_empty() && renumbered.iter().all(|&i| i == number.id),
        "{renumbered:?}"
    );
}
