//! Measuring the decision model against hand labels: the accuracy of a
//! model on the labelled documents (in sample), leave-one-document-out
//! cross-validation, and fitting a model and a learned vocabulary on all
//! labels. The `calibrate` example and `luoshi calibrate` are thin layers
//! over this module.
//!
//! A labelled set is a manifest and a folder of label files
//! ([`luoshi_align::eval::LabelFile`]). The development sets of the
//! repository ([`labelled_sets`]) are the real corpus (pages of Chinese
//! government sites, kept as citations in `testdata/real/` and rebuilt
//! into `testdata/real/build/` by `testdata/real/real.py build`; absent
//! from a fresh clone), the seeds (`seeds/regions.toml`,
//! `testdata/labels`) and every composed set `testdata/dev/<name>/` (its
//! `regions.toml`, its `labels/` and its documents under `docs/`); a set
//! with a `HELD_OUT.md` is held out. Composed documents weigh less in a
//! fit than real ones ([`composed_weight`]), so they do not set the
//! world's proportions.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use luoshi_align::eval::{
    self, HeadingLabel, LabelFile, Outcome, evaluate, heading_labels, is_decision, labelled,
    reliability, tally_by,
};
use luoshi_align::pack::LABELS_DIR;
use luoshi_align::{
    AlignConfig, Aligner, DecisionModel, Id, LabelledCorpus, LearnedVocabulary, Pack,
};
use luoshi_core::{IngestOptions, Manifest, RegionDocument, Taxonomy, ingest_file};

use crate::error::Result;

/// Where a labelled set comes from: what it can teach, and how much it
/// weighs in a fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Real pages of government sites (the real corpus).
    Real,
    /// The founding documents.
    Seeds,
    /// Documents composed for development (sets a, b, c).
    Composed,
    /// A manifest given by the user.
    Given,
}

impl Origin {
    /// `real`, `seeds`, `composed` or `given`.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Real => "real",
            Origin::Seeds => "seeds",
            Origin::Composed => "composed",
            Origin::Given => "given",
        }
    }
}

/// One labelled set: its manifest, its label folder, where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevSet {
    /// Its name (`real`, `seeds`, `a`, …).
    pub name: String,
    /// Where it comes from.
    pub origin: Origin,
    /// Its manifest.
    pub manifest: PathBuf,
    /// Its label folder.
    pub labels: PathBuf,
}

/// The real corpus's calibration set, as `testdata/real/real.py build`
/// writes it (not in git: the page texts are third-party copies).
pub const REAL_BUILD: &str = "testdata/real/build";

/// The labelled sets under `root`, the real corpus first (when built),
/// then the seeds, then the composed sets. With `held_out` false: those
/// and the composed sets under `testdata/dev/` without a `HELD_OUT.md`;
/// with `held_out` true: only the composed sets that have one. Missing
/// folders give no sets.
pub fn labelled_sets(root: &Path, held_out: bool) -> Vec<DevSet> {
    let mut sets = Vec::new();
    if !held_out {
        let real = root.join(REAL_BUILD);
        if real.join("regions.toml").is_file() && real.join("labels").is_dir() {
            sets.push(DevSet {
                name: "real".into(),
                origin: Origin::Real,
                manifest: real.join("regions.toml"),
                labels: real.join("labels"),
            });
        }
        sets.push(DevSet {
            name: "seeds".into(),
            origin: Origin::Seeds,
            manifest: root.join("seeds/regions.toml"),
            labels: root.join("testdata/labels"),
        });
    }
    let mut dev: Vec<PathBuf> = std::fs::read_dir(root.join("testdata/dev"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dev.sort();
    for d in dev {
        if d.join("regions.toml").is_file()
            && d.join("labels").is_dir()
            && d.join("HELD_OUT.md").is_file() == held_out
        {
            sets.push(DevSet {
                name: d
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                origin: Origin::Composed,
                manifest: d.join("regions.toml"),
                labels: d.join("labels"),
            });
        }
    }
    sets
}

/// The development sets under `root` as manifests and label folders
/// ([`labelled_sets`]).
pub fn development_sets(root: &Path, held_out: bool) -> (Vec<PathBuf>, Vec<PathBuf>) {
    labelled_sets(root, held_out)
        .into_iter()
        .map(|s| (s.manifest, s.labels))
        .unzip()
}

/// The weight of each composed document's labels in a fit, given the
/// labelled items of the real and the composed documents: together the
/// composed documents weigh half as much as the real ones (so the real
/// documents set two thirds of the training proportions: real documents
/// hold 1–5% local additions, the composed ones 26%); 1 when there are
/// no real documents to weigh against.
pub fn composed_weight(real_items: usize, composed_items: usize) -> f64 {
    if real_items == 0 || composed_items == 0 {
        1.0
    } else {
        (0.5 * real_items as f64 / composed_items as f64).min(1.0)
    }
}

/// Reads the documents of labelled manifests (a composed set's manifest
/// names files relative to the `docs/` folder beside it, when there is
/// one) and the label files of the folders given.
///
/// # Errors
/// [`crate::Error::Core`] for a bad manifest or an unreadable document,
/// [`crate::Error::Align`] for an unreadable label file.
pub fn load_labelled(
    taxonomy: &Taxonomy,
    manifests: &[PathBuf],
    label_dirs: &[PathBuf],
) -> Result<(Vec<RegionDocument>, Vec<LabelFile>)> {
    let opts = IngestOptions::builder().taxonomy_titles(taxonomy).build()?;
    let mut docs = Vec::new();
    for m in manifests {
        let docs_dir = m.parent().map(|p| p.join("docs")).filter(|p| p.is_dir());
        let manifest = match docs_dir {
            Some(root) => {
                let text = std::fs::read_to_string(m).map_err(|source| luoshi_core::Error::Io {
                    path: m.clone(),
                    source,
                })?;
                Manifest::from_toml_str(&text, m, root)?
            }
            None => Manifest::load(m)?,
        };
        for d in &manifest.documents {
            docs.push(ingest_file(&manifest.path_of(d), d.clone(), &opts)?);
        }
    }
    let mut labels = Vec::new();
    for dir in label_dirs {
        labels.extend(LabelFile::load_dir(dir)?);
    }
    Ok((docs, labels))
}

/// Where a calibration run reads from; empty lists and `None` mean the
/// defaults: the development sets of the repository folder `root`
/// ([`development_sets`], the held-out ones with `held_out`), the default
/// settings, the shipped model and vocabulary. Nothing is read from the
/// working folder unless `root` names it.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The repository folder whose development sets (`seeds/`,
    /// `testdata/labels`, `testdata/dev/`) are read when no manifests
    /// (or, for the labels, no label folders) are given; `None`: there
    /// are no default sets, and manifests must be given.
    pub root: Option<PathBuf>,
    /// Manifests of labelled documents.
    pub manifests: Vec<PathBuf>,
    /// Folders of label files, one per manifest.
    pub labels: Vec<PathBuf>,
    /// With the default sets: the held-out ones instead.
    pub held_out: bool,
    /// Alignment settings (TOML).
    pub config: Option<PathBuf>,
    /// A decision model file instead of the shipped one.
    pub model: Option<PathBuf>,
    /// A learned vocabulary file instead of the shipped one.
    pub vocabulary: Option<PathBuf>,
    /// A taxonomy pack folder (`taxonomies/<id>`, [`luoshi_align::Pack`])
    /// to calibrate instead of national 2017: its taxonomy, and its
    /// decision model and learned vocabulary unless `model` or
    /// `vocabulary` name others. The default development sets answer
    /// national 2017, so a pack needs `manifests`; its labels default to
    /// the pack's `labels/` folder.
    pub pack: Option<PathBuf>,
}

impl Sources {
    /// Loads the labelled documents, the settings, the model and the
    /// vocabulary, and prepares the set (against national 2017, or the
    /// pack's taxonomy).
    ///
    /// # Errors
    /// An unreadable manifest, document, label, settings, model or
    /// vocabulary file, or pack (naming it); a pack without manifests;
    /// [`crate::Error::NoLabelledDocuments`] without manifests or `root`.
    pub fn load(&self) -> Result<LabelledSet> {
        let pack = self.pack.as_deref().map(Pack::load).transpose()?;
        if let (Some(dir), true) = (&self.pack, self.manifests.is_empty()) {
            return Err(luoshi_align::Error::Pack {
                path: dir.clone(),
                message: "a pack is calibrated on documents that answer it: \
                          expected the manifests of its labelled documents"
                    .into(),
            }
            .into());
        }
        let taxonomy = pack
            .as_ref()
            .map_or_else(Taxonomy::national_2017, |p| p.taxonomy().clone());
        let label_dirs = self.label_dirs();
        let sets: Vec<DevSet> = match (&self.root, self.manifests.is_empty()) {
            (_, false) => self
                .manifests
                .iter()
                .map(|m| DevSet {
                    name: m.display().to_string(),
                    origin: Origin::Given,
                    manifest: m.clone(),
                    labels: PathBuf::new(),
                })
                .collect(),
            (Some(root), true) => labelled_sets(root, self.held_out),
            (None, true) => return Err(crate::Error::NoLabelledDocuments),
        };
        let mut docs = Vec::new();
        let mut origins = Vec::new();
        let mut inspected = HashSet::new();
        for set in &sets {
            let (d, _) = load_labelled(&taxonomy, std::slice::from_ref(&set.manifest), &[])?;
            origins.extend(std::iter::repeat_n((set.name.clone(), set.origin), d.len()));
            docs.extend(d);
            // The real pages whose errors were read while developing
            // (one file name a line), so the others can be reported apart.
            if let Some(dir) = set.manifest.parent()
                && let Ok(text) = std::fs::read_to_string(dir.join(INSPECTED))
            {
                inspected.extend(text.lines().map(|l| l.trim().to_string()));
            }
        }
        let (_, labels) = load_labelled(&taxonomy, &[], &label_dirs)?;
        let config = match &self.config {
            Some(p) => AlignConfig::load(p)?,
            None => AlignConfig::default(),
        };
        let model = match (&self.model, &pack) {
            (Some(p), _) => DecisionModel::load(p)?,
            (None, Some(pack)) => pack.model().clone(),
            (None, None) => DecisionModel::national_2017(),
        };
        let vocabulary = match (&self.vocabulary, &pack) {
            (Some(p), _) => LearnedVocabulary::load(p)?,
            (None, Some(pack)) => pack.vocabulary().clone(),
            (None, None) => LearnedVocabulary::national_2017(),
        };
        let mut set = LabelledSet::new(taxonomy, config, model, &vocabulary, docs, labels)?;
        set.origins = origins;
        set.inspected = inspected;
        Ok(set)
    }

    /// The label folders this run reads (the defaults when none were
    /// given: the pack's `labels/`, or the development sets'), for the
    /// record in a fitted model.
    pub fn label_dirs(&self) -> Vec<PathBuf> {
        match (&self.pack, self.labels.is_empty()) {
            (_, false) => self.labels.clone(),
            (Some(dir), true) => vec![dir.join(LABELS_DIR)],
            (None, true) => self
                .root
                .as_deref()
                .map_or_else(Vec::new, |root| development_sets(root, self.held_out).1),
        }
    }
}

/// The file beside a real corpus's built manifest that lists the pages
/// whose errors were read while the model was developed.
pub const INSPECTED: &str = "inspected.txt";

/// Labelled documents with the model and vocabulary to measure.
#[derive(Debug)]
pub struct LabelledSet {
    taxonomy: Taxonomy,
    config: AlignConfig,
    docs: Vec<RegionDocument>,
    labels: Vec<LabelFile>,
    /// The aligner of the model and vocabulary given.
    aligner: Aligner,
    /// Per document: the index (into its score cards) of each labelled
    /// requirement item and its answer (None: extension).
    labelled_items: Vec<Vec<(usize, Option<Id>)>>,
    /// Per document: its labelled headings.
    headings: Vec<Vec<HeadingLabel>>,
    /// Per document: the set it comes from (name, origin).
    origins: Vec<(String, Origin)>,
    /// The files of the real pages whose errors were read while
    /// developing.
    inspected: HashSet<String>,
}

impl LabelledSet {
    /// Prepares the labelled documents: which items each document's labels
    /// name. Evidence spans are not computed (`config.evidence` is turned
    /// off; they do not change decisions).
    ///
    /// # Errors
    /// [`crate::Error::Align`] when the taxonomy cannot be aligned against.
    pub fn new(
        taxonomy: Taxonomy,
        config: AlignConfig,
        model: DecisionModel,
        vocabulary: &LearnedVocabulary,
        docs: Vec<RegionDocument>,
        labels: Vec<LabelFile>,
    ) -> Result<LabelledSet> {
        let config = AlignConfig {
            evidence: false,
            ..config
        };
        let aligner = Aligner::with_learned(&taxonomy, config.clone(), model, vocabulary)?;
        let labelled_items = docs
            .iter()
            .map(|d| {
                let cards = aligner.score_cards(d);
                labels
                    .iter()
                    .filter(|l| l.seed == d.meta.file)
                    .flat_map(|l| labelled(d, &cards, l))
                    .collect()
            })
            .collect();
        let headings = docs
            .iter()
            .map(|d| {
                labels
                    .iter()
                    .filter(|l| l.seed == d.meta.file)
                    .flat_map(|l| heading_labels(d, l))
                    .collect()
            })
            .collect();
        let origins = vec![(String::new(), Origin::Given); docs.len()];
        Ok(LabelledSet {
            taxonomy,
            config,
            docs,
            labels,
            aligner,
            labelled_items,
            headings,
            origins,
            inspected: HashSet::new(),
        })
    }

    /// The labelled documents.
    pub fn docs(&self) -> &[RegionDocument] {
        &self.docs
    }

    /// The label files.
    pub fn labels(&self) -> &[LabelFile] {
        &self.labels
    }

    /// The number of labelled requirement items (the samples a fit uses).
    pub fn sample_count(&self) -> usize {
        self.labelled_items.iter().map(Vec::len).sum()
    }

    /// The outcome of every label under the model and vocabulary given.
    pub fn in_sample(&self) -> Vec<Outcome> {
        evaluate(
            &self.docs,
            &self.aligner.align_all(&self.docs),
            &self.labels,
        )
    }

    /// The fitting view of the set ([`LabelledCorpus`]: the normalized
    /// texts, cross-fitted vocabulary, fit, leave-one-document-out), which
    /// the review loop's refit uses too.
    ///
    /// # Errors
    /// As [`LabelledCorpus::new`].
    fn corpus(&self) -> Result<LabelledCorpus<'_>> {
        Ok(LabelledCorpus::new(
            &self.taxonomy,
            self.config.clone(),
            &self.docs,
            self.labelled_items.clone(),
        )?
        .with_weights(&self.weights())
        .with_headings(self.headings.clone()))
    }

    /// Each document's weight in a fit: composed documents together weigh
    /// half as much as the real ones ([`composed_weight`]).
    pub fn weights(&self) -> Vec<f64> {
        let items = |o: Origin| -> usize {
            self.origins
                .iter()
                .zip(&self.labelled_items)
                .filter(|((_, origin), _)| *origin == o)
                .map(|(_, items)| items.len())
                .sum()
        };
        let w = composed_weight(items(Origin::Real), items(Origin::Composed));
        self.origins
            .iter()
            .map(|(_, o)| if *o == Origin::Composed { w } else { 1.0 })
            .collect()
    }

    /// The outcomes grouped as `luoshi calibrate` reports them: each
    /// origin (real first), the real corpus by kind of document and the
    /// real pages never inspected while developing, and all together.
    pub fn groups(&self, outcomes: &[Outcome]) -> Vec<(String, Vec<Outcome>)> {
        let doc_of = |o: &Outcome| self.docs.iter().position(|d| d.meta.label == o.doc);
        let mut groups: Vec<(String, Vec<Outcome>)> = Vec::new();
        let mut push = |name: String, keep: &dyn Fn(usize) -> bool| {
            let sel: Vec<Outcome> = outcomes
                .iter()
                .filter(|o| doc_of(o).is_some_and(keep))
                .cloned()
                .collect();
            if !sel.is_empty() {
                groups.push((name, sel));
            }
        };
        for origin in [Origin::Real, Origin::Seeds, Origin::Composed, Origin::Given] {
            push(origin.as_str().to_string(), &|d| {
                self.origins[d].1 == origin
            });
            if origin == Origin::Real {
                let mut kinds: Vec<String> = self
                    .docs
                    .iter()
                    .zip(&self.origins)
                    .filter(|(_, (_, o))| *o == Origin::Real)
                    .filter_map(|(d, _)| d.meta.kind.clone())
                    .collect();
                kinds.sort();
                kinds.dedup();
                for k in kinds {
                    push(format!("  real, {k}"), &|d| {
                        self.origins[d].1 == Origin::Real
                            && self.docs[d].meta.kind.as_deref() == Some(k.as_str())
                    });
                }
                if !self.inspected.is_empty() {
                    push("  real, never inspected".into(), &|d| {
                        self.origins[d].1 == Origin::Real
                            && !self.inspected.contains(&self.docs[d].meta.file)
                    });
                }
            }
        }
        push("all".into(), &|_| true);
        groups
    }

    /// The files of the real documents (whose labelled statements a
    /// shipped vocabulary keeps as bigrams only).
    pub fn real_files(&self) -> HashSet<String> {
        self.docs
            .iter()
            .zip(&self.origins)
            .filter(|(_, (_, o))| *o == Origin::Real)
            .map(|(d, _)| d.meta.file.clone())
            .collect()
    }

    /// The learned vocabulary of the labelled items of every document but
    /// those in `except` (indices into [`LabelledSet::docs`]).
    ///
    /// # Errors
    /// [`crate::Error::Align`] when the taxonomy cannot be aligned against.
    pub fn vocabulary_without(&self, except: &[usize]) -> Result<LearnedVocabulary> {
        Ok(self.corpus()?.vocabulary_without(except))
    }

    /// Leave-one-document-out: for each document in turn, a model fitted
    /// (L2 penalty `l2` per labelled item) on the other documents' labels
    /// alone, with the vocabulary of the other documents, aligns the
    /// document left out. `fold_done` is called after each document.
    ///
    /// # Errors
    /// [`crate::Error::Align`] when a fit fails.
    pub fn cross_validate(&self, l2: f64, fold_done: &dyn Fn(usize)) -> Result<Vec<Outcome>> {
        let mut held_out = Vec::new();
        for (h, al) in self.corpus()?.cross_validate_with(l2, fold_done)? {
            held_out.extend(evaluate(
                std::slice::from_ref(&self.docs[h]),
                &[al],
                &self.labels,
            ));
        }
        Ok(held_out)
    }

    /// Fits a decision model (L2 penalty `l2`) and a learned vocabulary on
    /// every label; `fitted_on` describes the labels in both.
    ///
    /// # Errors
    /// [`crate::Error::Align`] when the fit fails.
    pub fn fit(&self, l2: f64, fitted_on: &str) -> Result<(DecisionModel, LearnedVocabulary)> {
        let (model, vocabulary) = self.corpus()?.fit(l2, fitted_on)?;
        // Real pages are third-party text: what is kept of their labelled
        // statements is their bigrams, never the statements.
        let real = self.real_files();
        if real.is_empty() {
            return Ok((model, vocabulary));
        }
        let source = format!(
            "the labelled statements of {} real pages (testdata/real), as bigrams",
            real.len()
        );
        Ok((model, vocabulary.with_grams_for(&real, &source)))
    }

    /// The outcome of every label under a fitted model and vocabulary
    /// (from [`LabelledSet::fit`]).
    ///
    /// # Errors
    /// [`crate::Error::Align`] when the taxonomy cannot be aligned against.
    pub fn with_fitted(
        &self,
        model: DecisionModel,
        vocabulary: &LearnedVocabulary,
    ) -> Result<Vec<Outcome>> {
        let a = Aligner::with_learned(&self.taxonomy, self.config.clone(), model, vocabulary)?;
        Ok(evaluate(&self.docs, &a.align_all(&self.docs), &self.labels))
    }
}

/// Accuracy figures of a list of outcomes, printed by [`fmt::Display`]:
/// per group of documents ([`LabelledSet::groups`]: the real corpus first,
/// by kind of document), task accuracy, local-extension recall and
/// precision and the expected calibration error ([`eval::Summary`]); then
/// per document, and the reliability of the probabilities of the first
/// group.
#[derive(Debug, Clone)]
pub struct Summary<'a> {
    title: &'a str,
    groups: Vec<(String, Vec<Outcome>)>,
}

impl<'a> Summary<'a> {
    /// The summary of `outcomes` (of the documents of `set`) under a
    /// title.
    pub fn new(title: &'a str, set: &LabelledSet, outcomes: &[Outcome]) -> Self {
        Summary {
            title,
            groups: set.groups(outcomes),
        }
    }
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:", self.title)?;
        for (name, outcomes) in &self.groups {
            writeln!(f, "  {name:<26} {}", eval::Summary::of(outcomes))?;
        }
        let Some((_, all)) = self.groups.last() else {
            return Ok(());
        };
        let decisions: Vec<Outcome> = all
            .iter()
            .filter(|o| is_decision(&o.expected))
            .cloned()
            .collect();
        writeln!(f, "  per document (task accuracy):")?;
        for (doc, t) in tally_by(&decisions, |o| o.doc.clone()) {
            writeln!(
                f,
                "    {doc:<24} {:>3}/{:<3} {:5.1}%",
                t.correct,
                t.total,
                100.0 * t.accuracy().unwrap_or(f64::NAN)
            )?;
        }
        let (name, first) = &self.groups[0];
        let first: Vec<Outcome> = first
            .iter()
            .filter(|o| is_decision(&o.expected))
            .cloned()
            .collect();
        let (table, ece) = reliability(&first, 10);
        writeln!(
            f,
            "  reliability, {name} (confidence bin: n, mean confidence, accuracy); ECE {ece:.3}:"
        )?;
        for b in table.iter().filter(|b| b.count > 0) {
            writeln!(
                f,
                "    [{:.1}, {:.1}) {:>4} {:.3} {:.3}",
                b.low, b.high, b.count, b.confidence, b.accuracy
            )?;
        }
        Ok(())
    }
}

/// The wrong predictions among `outcomes`, one line each: document,
/// expected and predicted answer, confidence, snippet.
pub fn confusions(outcomes: &[Outcome]) -> impl Iterator<Item = String> + '_ {
    outcomes.iter().filter(|o| !o.correct()).map(|o| {
        format!(
            "  {} expected {} got {} ({:.2}): {}",
            o.doc,
            o.expected,
            o.predicted,
            o.confidence.unwrap_or(f64::NAN),
            o.snippet
        )
    })
}
