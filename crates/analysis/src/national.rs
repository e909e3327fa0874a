//! The national text, prepared once per taxonomy: each requirement's
//! text and each task's title and text, normalized, with the hashes of
//! their verbatim runs; and the shingles of all of it, the mask of the
//! search for reuse. [`National::measure`] reads one statement against
//! it: which of its characters restate the national text, and which
//! copy it verbatim.

use luoshi_align::ItemAlignment;
use luoshi_align::normalize::{NormText, Normalizer};
use luoshi_align::scorer::{SmithWaterman, SwBuffers};
use luoshi_core::Date;
use luoshi_core::taxonomy::{NodeKind, Taxonomy};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::ProfileConfig;
use crate::shingle::window_hashes;

/// One national text.
#[derive(Debug)]
pub(crate) struct Text {
    /// Normalized characters.
    pub chars: Vec<char>,
    /// The hashes of its windows of `copy_run` characters.
    pub runs: FxHashSet<u64>,
}

impl Text {
    fn new(chars: Vec<char>, copy_run: usize) -> Text {
        let runs = window_hashes(&chars, copy_run).into_iter().collect();
        Text { chars, runs }
    }
}

/// The national text of one taxonomy.
#[derive(Debug)]
pub(crate) struct National {
    /// Requirement id → its text; task id → its title and text.
    texts: FxHashMap<String, Text>,
    /// Requirement id → its task's id.
    task_of: FxHashMap<String, String>,
    /// Requirements in taxonomy order, with their tasks.
    pub requirements: Vec<(String, String)>,
    /// The national document's date.
    pub date: Option<Date>,
    pub config: ProfileConfig,
}

/// What [`National::measure`] finds in one statement.
#[derive(Debug, Clone, Default)]
pub(crate) struct Measured {
    /// Characters that restate the national text.
    pub restated: Vec<bool>,
    /// How many characters copy it verbatim.
    pub copied: usize,
}

impl National {
    pub fn new(taxonomy: &Taxonomy, config: ProfileConfig) -> National {
        let normalizer = Normalizer::standard(&[]);
        let norm = |s: &str| normalizer.normalize(s).chars;
        let mut texts = FxHashMap::default();
        let mut task_of = FxHashMap::default();
        let mut requirements = Vec::new();
        for r in taxonomy.requirements() {
            let node = taxonomy.node(r);
            texts.insert(
                node.id.clone(),
                Text::new(norm(&node.text), config.copy_run),
            );
            let task = taxonomy
                .enclosing(r, NodeKind::Task)
                .map(|t| taxonomy.node(t).id.clone())
                .unwrap_or_default();
            task_of.insert(node.id.clone(), task.clone());
            requirements.push((node.id.clone(), task));
        }
        for t in taxonomy.of_kind(NodeKind::Task) {
            let node = taxonomy.node(t);
            // The title and the text as one passage-free sequence: a
            // sentinel between them, so no passage runs across.
            let mut chars = norm(&node.title);
            chars.push('\u{E000}');
            chars.extend(norm(&node.text));
            texts.insert(node.id.clone(), Text::new(chars, config.copy_run));
        }
        National {
            texts,
            task_of,
            requirements,
            date: taxonomy.meta().date,
            config,
        }
    }

    /// The national texts an item is read against: the requirement of
    /// its evidence, the requirements it covers, and its task (the
    /// decided one, else the nearest requirement's).
    fn targets<'a>(&'a self, a: &'a ItemAlignment) -> Vec<&'a str> {
        let mut ids: Vec<&str> = Vec::new();
        let mut push = |id: &'a str| {
            if !ids.contains(&id) {
                ids.push(id);
            }
        };
        if let Some(e) = &a.evidence {
            push(&e.requirement);
        }
        for c in &a.covers {
            push(&c.id);
        }
        if let Some(r) = &a.requirement {
            push(r);
        }
        let task = a.task.as_deref().or_else(|| {
            a.nearest
                .as_ref()
                .and_then(|n| self.task_of.get(&*n.id))
                .map(String::as_str)
        });
        if let Some(t) = task {
            push(t);
        }
        ids
    }

    /// Reads a normalized statement (`norm`, its offsets into the
    /// document's text) against the national texts of its alignment `a`.
    /// The evidence passage is the aligner's; the other texts are aligned
    /// here (Smith–Waterman, the aligner's scores). A passage counts
    /// when at least `min_passage` characters of the statement take part.
    pub fn measure(&self, norm: &NormText, a: &ItemAlignment, sw: &mut SwBuffers) -> Measured {
        let n = norm.len();
        let mut restated = vec![false; n];
        let mut copied = vec![false; n];
        let min = self.config.min_passage;
        let evidence = a.evidence.as_ref();
        if let Some(e) = evidence {
            let inside: Vec<usize> = (0..n)
                .filter(|&i| e.item_span.contains(&norm.offsets[i]))
                .collect();
            if inside.len() >= min {
                inside.iter().for_each(|&i| restated[i] = true);
            }
        }
        let scorer = SmithWaterman::default();
        let hashes = window_hashes(&norm.chars, self.config.copy_run);
        for id in self.targets(a) {
            let Some(text) = self.texts.get(id) else {
                continue;
            };
            if evidence.is_none_or(|e| &*e.requirement != id) {
                let al = scorer.align_with(&norm.chars, &text.chars, None, sw);
                if al.score > 0 && al.a.len() >= min {
                    restated[al.a.clone()].iter_mut().for_each(|x| *x = true);
                }
            }
            for (i, h) in hashes.iter().enumerate() {
                if text.runs.contains(h) {
                    copied[i..i + self.config.copy_run]
                        .iter_mut()
                        .for_each(|x| *x = true);
                }
            }
        }
        Measured {
            restated,
            copied: copied.iter().filter(|&&x| x).count(),
        }
    }

    /// The share of requirement `id`'s text found verbatim (runs of
    /// `copy_run` characters) among `runs`, the window hashes of the items
    /// that state it.
    pub fn kept_share(&self, id: &str, runs: &FxHashSet<u64>) -> f64 {
        let Some(text) = self.texts.get(id) else {
            return 0.0;
        };
        let k = self.config.copy_run;
        if text.chars.is_empty() {
            return 0.0;
        }
        let mut kept = vec![false; text.chars.len()];
        for (i, h) in window_hashes(&text.chars, k).iter().enumerate() {
            if runs.contains(h) {
                kept[i..i + k].iter_mut().for_each(|x| *x = true);
            }
        }
        kept.iter().filter(|&&x| x).count() as f64 / text.chars.len() as f64
    }
}

/// The normalized statement of an item: its body ranges, each character
/// with its offset into the document's text, through the aligner's
/// standard filters with the document's place names (as the aligner
/// reads it).
pub(crate) fn statement(
    text: &str,
    body: &[std::ops::Range<usize>],
    normalizer: &Normalizer,
) -> NormText {
    let mut norm = NormText::default();
    for r in body {
        if let Some(s) = text.get(r.clone()) {
            norm.push_str_at(s, r.start);
        }
    }
    normalizer.run(&mut norm);
    norm
}

/// The shingles (windows of `k` normalized characters) of every national
/// text of `taxonomy`: titles and texts of its areas, tasks and
/// requirements. What the search for reuse masks first.
pub(crate) fn national_shingles(taxonomy: &Taxonomy, k: usize) -> FxHashSet<u64> {
    let normalizer = Normalizer::standard(&[]);
    let mut out = FxHashSet::default();
    for kind in [NodeKind::Area, NodeKind::Task, NodeKind::Requirement] {
        for n in taxonomy.of_kind(kind) {
            let node = taxonomy.node(n);
            for s in [&node.title, &node.text] {
                out.extend(window_hashes(&normalizer.normalize(s).chars, k));
            }
        }
    }
    out
}
