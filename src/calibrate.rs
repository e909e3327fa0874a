//! Measuring the decision model against hand labels: the accuracy of a
//! model on the labelled documents (in sample), leave-one-document-out
//! cross-validation, and fitting a model and a learned vocabulary on all
//! labels. The `calibrate` example and `luoshi calibrate` are thin layers
//! over this module.
//!
//! A labelled set is a manifest and a folder of label files
//! ([`luoshi_align::eval::LabelFile`]). The development sets of the
//! repository are the seeds (`seeds/regions.toml`, `testdata/labels`) and
//! every composed set `testdata/dev/<name>/` (its `regions.toml`, its
//! `labels/` and its documents under `docs/`); a set with a `HELD_OUT.md`
//! is held out ([`development_sets`]).

use std::fmt;
use std::path::{Path, PathBuf};

use luoshi_align::eval::{
    LabelFile, Outcome, evaluate, extension_counts, is_decision, labelled, reliability, tally_by,
};
use luoshi_align::pack::LABELS_DIR;
use luoshi_align::{
    AlignConfig, Aligner, DecisionModel, Id, LabelledCorpus, LearnedVocabulary, Pack,
};
use luoshi_core::{IngestOptions, Manifest, RegionDocument, Taxonomy, ingest_file};

use crate::error::Result;

/// The development sets under `root`: manifests and label folders, the
/// seeds first. With `held_out` false: the seeds and the composed sets
/// under `testdata/dev/` without a `HELD_OUT.md`; with `held_out` true:
/// only the composed sets that have one. Missing folders give no sets.
pub fn development_sets(root: &Path, held_out: bool) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut manifests, mut labels) = if held_out {
        (Vec::new(), Vec::new())
    } else {
        (
            vec![root.join("seeds/regions.toml")],
            vec![root.join("testdata/labels")],
        )
    };
    let mut dev: Vec<PathBuf> = std::fs::read_dir(root.join("testdata/dev"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dev.sort();
    for d in dev {
        if d.join("regions.toml").is_file()
            && d.join("labels").is_dir()
            && d.join("HELD_OUT.md").is_file() == held_out
        {
            manifests.push(d.join("regions.toml"));
            labels.push(d.join("labels"));
        }
    }
    (manifests, labels)
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
        let manifests = match (&self.root, self.manifests.is_empty()) {
            (_, false) => self.manifests.clone(),
            (Some(root), true) => development_sets(root, self.held_out).0,
            (None, true) => return Err(crate::Error::NoLabelledDocuments),
        };
        let taxonomy = pack
            .as_ref()
            .map_or_else(Taxonomy::national_2017, |p| p.taxonomy().clone());
        let (docs, labels) = load_labelled(&taxonomy, &manifests, &self.label_dirs())?;
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
        LabelledSet::new(taxonomy, config, model, &vocabulary, docs, labels)
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
        Ok(LabelledSet {
            taxonomy,
            config,
            docs,
            labels,
            aligner,
            labelled_items,
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
        )?)
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
        Ok(self.corpus()?.fit(l2, fitted_on)?)
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
/// per document, all together, local-extension recall and precision, the
/// item-kind labels, and the reliability of the probabilities.
#[derive(Debug, Clone)]
pub struct Summary<'a> {
    title: &'a str,
    outcomes: &'a [Outcome],
}

impl<'a> Summary<'a> {
    /// The summary of `outcomes` under a title.
    pub fn new(title: &'a str, outcomes: &'a [Outcome]) -> Self {
        Summary { title, outcomes }
    }
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let decisions: Vec<Outcome> = self
            .outcomes
            .iter()
            .filter(|o| is_decision(&o.expected))
            .cloned()
            .collect();
        writeln!(f, "{}:", self.title)?;
        for (doc, t) in tally_by(&decisions, |o| o.doc.clone()) {
            writeln!(
                f,
                "  {doc:<18} {:>3}/{:<3} {:5.1}%",
                t.correct,
                t.total,
                100.0 * t.accuracy().unwrap_or(f64::NAN)
            )?;
        }
        let all = tally_by(&decisions, |_| "all".into())
            .remove("all")
            .unwrap_or_default();
        let (tp, predicted, labelled) = extension_counts(&decisions);
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        writeln!(
            f,
            "  all: {}/{} = {:.1}% task accuracy; extensions: recall {tp}/{labelled} = {:.1}%, precision {tp}/{predicted} = {:.1}%",
            all.correct,
            all.total,
            100.0 * all.accuracy().unwrap_or(f64::NAN),
            100.0 * ratio(tp, labelled),
            100.0 * ratio(tp, predicted),
        )?;
        let other: Vec<&Outcome> = self
            .outcomes
            .iter()
            .filter(|o| !is_decision(&o.expected))
            .collect();
        if !other.is_empty() {
            let right = other.iter().filter(|o| o.correct()).count();
            writeln!(
                f,
                "  item-kind labels (boilerplate …): {right}/{}",
                other.len()
            )?;
        }
        let (table, ece) = reliability(&decisions, 10);
        writeln!(
            f,
            "  expected calibration error {ece:.3}; reliability (confidence bin: n, mean confidence, accuracy):"
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
