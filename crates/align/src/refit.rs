//! Refitting the decision model and the learned vocabulary on labelled
//! documents, and the honest estimate of what that gives: leave one
//! document out, fit on the others, align the one left out.
//!
//! The two are fitted together. The vocabulary holds the normalized text
//! of every labelled item by task; the model learns how far that
//! vocabulary carries, so each document's cards are read with a
//! vocabulary that does not hold the document itself (cross-fitting):
//! otherwise the model would learn to trust a vocabulary that has seen
//! the very items it is scored on. Used by the `calibrate` example and by
//! the coverage command's `--refit`.

use luoshi_core::ingest::RegionDocument;
use luoshi_core::taxonomy::Taxonomy;

use crate::aligner::{Aligner, DocumentCards};
use crate::config::AlignConfig;
use crate::decide::{
    DecisionModel, HeadingFeatures, HeadingModel, HeadingOutcome, PRIOR_STRENGTHS, Sample,
    adapt_priors,
};
use crate::error::Result;
use crate::eval::HeadingLabel;
use crate::types::{DocumentAlignment, Id};
use crate::vocabulary::{Example, LearnedVocabulary};

/// Labelled documents, ready for fitting: for each document, the
/// labelled requirement items (as indexes into its
/// [`crate::DocumentCards`]) with their answers (a task id, or None for a
/// local extension).
#[derive(Debug)]
pub struct LabelledCorpus<'a> {
    taxonomy: &'a Taxonomy,
    config: AlignConfig,
    docs: &'a [RegionDocument],
    items: Vec<Vec<(usize, Option<Id>)>>,
    texts: Vec<Vec<String>>,
    /// Each document's weight in the fit (1 unless set).
    weights: Vec<f64>,
    /// Each document's labelled headings, for the heading model.
    headings: Vec<Vec<HeadingLabel>>,
}

impl<'a> LabelledCorpus<'a> {
    /// The labelled items of `docs` (`items[d]` for `docs[d]`, as
    /// [`crate::eval::labelled`] gives them), aligned with `config`
    /// (evidence is not computed: fitting does not need it).
    ///
    /// # Errors
    /// As [`Aligner::with_config`].
    pub fn new(
        taxonomy: &'a Taxonomy,
        config: AlignConfig,
        docs: &'a [RegionDocument],
        mut items: Vec<Vec<(usize, Option<Id>)>>,
    ) -> Result<Self> {
        let config = AlignConfig {
            evidence: false,
            ..config
        };
        items.resize_with(docs.len(), Vec::new);
        // The normalized texts do not depend on the model or vocabulary.
        let aligner = Aligner::with_learned(
            taxonomy,
            config.clone(),
            DecisionModel::national_2017(),
            &LearnedVocabulary::default(),
        )?;
        let texts = docs.iter().map(|d| aligner.score_cards(d).texts).collect();
        Ok(LabelledCorpus {
            taxonomy,
            config,
            weights: vec![1.0; docs.len()],
            headings: vec![Vec::new(); docs.len()],
            docs,
            items,
            texts,
        })
    }

    /// A corpus from parts already computed: `texts[d]` are the
    /// normalized texts of `docs[d]`'s requirement items
    /// ([`crate::DocumentCards::texts`], which no model or vocabulary
    /// changes), `items[d]` its labelled items as in
    /// [`LabelledCorpus::new`].
    pub fn from_parts(
        taxonomy: &'a Taxonomy,
        config: AlignConfig,
        docs: &'a [RegionDocument],
        mut items: Vec<Vec<(usize, Option<Id>)>>,
        mut texts: Vec<Vec<String>>,
    ) -> Self {
        items.resize_with(docs.len(), Vec::new);
        texts.resize_with(docs.len(), Vec::new);
        LabelledCorpus {
            taxonomy,
            config: AlignConfig {
                evidence: false,
                ..config
            },
            weights: vec![1.0; docs.len()],
            headings: vec![Vec::new(); docs.len()],
            docs,
            items,
            texts,
        }
    }

    /// Sets each document's weight in the fit (`weights[d]` for
    /// `docs[d]`; missing entries stay 1): each of its labelled items
    /// counts that much in the likelihood. Composed documents, whose
    /// proportions of local additions are not the world's, are given
    /// less weight than real ones.
    pub fn with_weights(mut self, weights: &[f64]) -> Self {
        for (w, &v) in self.weights.iter_mut().zip(weights) {
            *w = v;
        }
        self
    }

    /// Sets each document's labelled headings (`headings[d]` for
    /// `docs[d]`, as [`crate::eval::heading_labels`] gives them): the
    /// fit then also fits the heading model on them.
    pub fn with_headings(mut self, headings: Vec<Vec<HeadingLabel>>) -> Self {
        for (h, v) in self.headings.iter_mut().zip(headings) {
            *h = v;
        }
        self
    }

    /// The documents.
    pub fn docs(&self) -> &[RegionDocument] {
        self.docs
    }

    /// The number of labelled items.
    pub fn len(&self) -> usize {
        self.items.iter().map(Vec::len).sum()
    }

    /// Whether no item is labelled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The indexes of the documents with at least one labelled item.
    pub fn labelled_documents(&self) -> Vec<usize> {
        (0..self.docs.len())
            .filter(|&d| !self.items[d].is_empty())
            .collect()
    }

    /// The learned vocabulary of the labelled items of every document but
    /// those in `except`.
    pub fn vocabulary_without(&self, except: &[usize]) -> LearnedVocabulary {
        LearnedVocabulary {
            taxonomy: self.taxonomy.meta().id.clone(),
            source: String::new(),
            grams: Vec::new(),
            example: (0..self.docs.len())
                .filter(|d| !except.contains(d))
                .flat_map(|d| {
                    let file = &self.docs[d].meta.file;
                    let statements = self.items[d].iter().map(move |(i, answer)| Example {
                        doc: file.clone(),
                        task: answer.as_deref().unwrap_or("extension").to_string(),
                        text: self.texts[d][*i].clone(),
                    });
                    // A heading labelled with a task is what real documents
                    // write under it too.
                    let headings = self.headings[d]
                        .iter()
                        .filter(|h| {
                            self.taxonomy.get(&h.answer).is_some_and(|n| {
                                self.taxonomy.node(n).kind == luoshi_core::taxonomy::NodeKind::Task
                            })
                        })
                        .map(move |h| Example {
                            doc: file.clone(),
                            task: h.answer.clone(),
                            text: h.text.clone(),
                        });
                    statements.chain(headings)
                })
                .collect(),
        }
    }

    /// Document `d`'s labelled cards, read with a vocabulary that holds
    /// neither `d` nor the documents in `except`.
    ///
    /// # Errors
    /// As [`Aligner::with_learned`].
    pub fn samples(&self, d: usize, except: &[usize]) -> Result<Vec<Sample>> {
        if self.items[d].is_empty() {
            return Ok(Vec::new());
        }
        let (cards, _) = self.cards(d, except)?;
        Ok(self.samples_of(d, &cards))
    }

    /// Document `d`'s cards and its labelled headings' features, read
    /// with a vocabulary that holds neither `d` nor the documents in
    /// `except`.
    fn cards(
        &self,
        d: usize,
        except: &[usize],
    ) -> Result<(DocumentCards, Vec<(HeadingFeatures, HeadingOutcome)>)> {
        let mut without = except.to_vec();
        without.push(d);
        let a = Aligner::with_learned(
            self.taxonomy,
            self.config.clone(),
            DecisionModel::national_2017(),
            &self.vocabulary_without(&without),
        )?;
        let heads = self.headings[d]
            .iter()
            .filter_map(|h| Some((a.heading_features(&h.text), a.heading_outcome(&h.answer)?)))
            .collect();
        Ok((a.score_cards(&self.docs[d]), heads))
    }

    fn samples_of(&self, d: usize, cards: &DocumentCards) -> Vec<Sample> {
        self.items[d]
            .iter()
            .filter_map(|(i, answer)| {
                Some(Sample {
                    card: cards.cards.get(*i)?.clone(),
                    answer: answer.clone(),
                    weight: self.weights[d],
                })
            })
            .collect()
    }

    /// Fits the model on every labelled document but those in `except`,
    /// with L2 penalty `l2`, and returns it with the vocabulary of those
    /// documents.
    ///
    /// # Errors
    /// [`crate::Error::Fit`] when no labelled item is usable.
    pub fn fit_without(
        &self,
        except: &[usize],
        l2: f64,
        fitted_on: &str,
    ) -> Result<(DecisionModel, LearnedVocabulary)> {
        let mut train = Vec::new();
        let mut headings: Vec<(HeadingFeatures, HeadingOutcome)> = Vec::new();
        let mut read = Vec::new();
        for d in (0..self.docs.len()).filter(|d| !except.contains(d)) {
            if self.items[d].is_empty() && self.headings[d].is_empty() {
                continue;
            }
            let (cards, heads) = self.cards(d, except)?;
            train.extend(self.samples_of(d, &cards));
            headings.extend(heads);
            read.push((d, cards));
        }
        let mut model = DecisionModel::fit(&train, l2, &self.taxonomy.meta().id, fitted_on)?;
        model.prior_strength = self.prior_strength(&model, &read);
        if !headings.is_empty() {
            model.heading = Some(HeadingModel::fit(&headings, l2, fitted_on)?);
        }
        let vocabulary = LearnedVocabulary {
            source: fitted_on.to_string(),
            ..self.vocabulary_without(except)
        };
        Ok((model, vocabulary))
    }

    /// The prior strength under which the labels of the documents `read`
    /// (each with its cards) are most probable once each document's
    /// proportions are re-estimated ([`crate::decide::adapt_priors`]),
    /// among [`PRIOR_STRENGTHS`]; None when the model records no
    /// training proportions. Each sample counts its document's weight.
    fn prior_strength(
        &self,
        model: &DecisionModel,
        read: &[(usize, DocumentCards)],
    ) -> Option<f64> {
        let tasks: Vec<&str> = self
            .taxonomy
            .tasks()
            .map(|t| self.taxonomy.node(t).id.as_str())
            .collect();
        let train = model.priors_for(&tasks)?;
        let weights = model.weights();
        let raw: Vec<Vec<Vec<f64>>> = read
            .iter()
            .map(|(_, cards)| {
                cards
                    .cards
                    .iter()
                    .map(|c| weights.probabilities(c))
                    .collect()
            })
            .collect();
        let score = |alpha: f64| -> f64 {
            let mut ll = 0.0;
            for ((d, cards), probs) in read.iter().zip(&raw) {
                let mut q = probs.clone();
                adapt_priors(&mut q, &train, alpha);
                for (i, answer) in &self.items[*d] {
                    let card = &cards.cards[*i];
                    let k = match answer.as_deref() {
                        None => card.task.len(),
                        Some(id) => match card.task.iter().position(|t| *t.task == *id) {
                            Some(k) => k,
                            None => continue,
                        },
                    };
                    ll += self.weights[*d] * q[*i].get(k).copied().unwrap_or(0.0).max(1e-12).ln();
                }
            }
            ll
        };
        PRIOR_STRENGTHS
            .iter()
            .map(|&a| (a, score(a)))
            .fold(None, |best: Option<(f64, f64)>, (a, s)| match best {
                Some(b) if b.1 >= s => Some(b),
                _ => Some((a, s)),
            })
            .map(|b| b.0)
    }

    /// Fits the model and the vocabulary on all labels.
    ///
    /// # Errors
    /// As [`LabelledCorpus::fit_without`].
    pub fn fit(&self, l2: f64, fitted_on: &str) -> Result<(DecisionModel, LearnedVocabulary)> {
        self.fit_without(&[], l2, fitted_on)
    }

    /// Leave one document out: for each labelled document, the model and
    /// vocabulary fitted on the other documents' labels alone, and the
    /// document aligned with them (with the settings given to
    /// [`LabelledCorpus::new`], `evidence` off). Returns the document's
    /// index and its held-out alignment, in document order.
    ///
    /// # Errors
    /// As [`LabelledCorpus::fit_without`].
    pub fn cross_validate(&self, l2: f64) -> Result<Vec<(usize, DocumentAlignment)>> {
        self.cross_validate_with(l2, &|_| {})
    }

    /// [`LabelledCorpus::cross_validate`], calling `fold_done` with each
    /// document's index when its fold is done (for a progress display).
    ///
    /// # Errors
    /// As [`LabelledCorpus::fit_without`].
    pub fn cross_validate_with(
        &self,
        l2: f64,
        fold_done: &dyn Fn(usize),
    ) -> Result<Vec<(usize, DocumentAlignment)>> {
        let mut out = Vec::new();
        for h in self.labelled_documents() {
            let (model, vocabulary) = self.fit_without(&[h], l2, "fold")?;
            let fold =
                Aligner::with_learned(self.taxonomy, self.config.clone(), model, &vocabulary)?;
            out.push((h, fold.align_document(&self.docs[h])));
            fold_done(h);
        }
        Ok(out)
    }
}
