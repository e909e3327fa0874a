//! The aligner: every requirement item of a regional document onto the
//! national requirement it implements, the national task whose scope it
//! falls in, or neither (a local extension); and per document, which
//! national requirements are covered, partly covered or omitted.
//!
//! The stages, one module each, meet at plain data:
//!
//! 0. **preparation** (`prepare`): the compiled taxonomy (`compiled`) is
//!    read once; per document, every item is normalized once, and each
//!    line's context and each heading path's evidence (`headings`) are
//!    computed once;
//! 1. **candidates** (`candidates`): an inverted bigram index over the
//!    requirement texts ([`NgramIndex`]); an item touches only the
//!    requirements that share a gram with it, and the accumulated shared
//!    weights give the containment score exactly, so indexed search
//!    equals exhaustive search (tested). A second index over task
//!    vocabularies gives each task's share of the item's words and its
//!    specific words;
//! 2. **score card** ([`crate::card`]): those numbers per task, plus the
//!    item's headings and novelty;
//! 3. **document reading** ([`crate::reading`]): heading agreement, area
//!    and section shares, from the items' own words;
//! 4. **decision** ([`crate::DecisionModel`]): a fitted conditional-logit
//!    model over the card, with a probability, turned into an
//!    [`ItemAlignment`] (`verdict`; a researcher's correction,
//!    [`crate::correct`], takes the model's place);
//! 5. **evidence** ([`crate::evidence`]): Smith–Waterman spans;
//! 6. **coverage** ([`crate::coverage`]).

//!
//! This module keeps the builder and the order of the stages; the stages
//! meet at plain data and import downward only.

use std::sync::Arc;

use luoshi_core::ingest::{ItemId, ItemKind, RegionDocument};
use luoshi_core::taxonomy::Taxonomy;
use rayon::prelude::*;
use serde::Serialize;

use crate::candidates::{Candidates, Scratch};
use crate::card::{CardMaker, ScoreCard};
use crate::compiled::Compiled;
use crate::config::AlignConfig;
use crate::correct::{self, Correction};
use crate::coverage::coverage;
use crate::decide::{DecisionModel, HeadingFeatures, HeadingOutcome, Weights, adapt_priors};
use crate::error::Result;
use crate::evidence::EvidenceBuffers;
use crate::grams::{Gram, NgramIndex};
use crate::headings::Headings;
use crate::normalize::{NormText, Normalizer};
use crate::prepare::{Prepared, prepare};
use crate::reading::{DocumentReading, read_document};
#[cfg(feature = "test-support")]
use crate::scorer::combine;
use crate::types::{DocumentAlignment, HeadingAlignment, HeadingEvidence, Id, ItemAlignment};
use crate::verdict::Verdicts;
use crate::vocabulary::LearnedVocabulary;

/// Maps regional items onto a taxonomy.
#[derive(Debug)]
pub struct Aligner {
    config: AlignConfig,
    model: DecisionModel,
    weights: Weights,
    compiled: Compiled,
    candidates: Candidates,
    national: Normalizer,
    /// The model's training proportions for this taxonomy's tasks and the
    /// extension ([`DecisionModel::priors_for`]).
    train_priors: Option<Vec<f64>>,
}

impl Aligner {
    /// An aligner for `taxonomy` with the default settings and the shipped
    /// decision model.
    ///
    /// # Errors
    /// [`crate::Error::EmptyTaxonomy`] when the taxonomy has no requirement.
    pub fn new(taxonomy: &Taxonomy) -> Result<Aligner> {
        Self::with_config(taxonomy, AlignConfig::default())
    }

    /// An aligner with the given settings and the shipped decision model.
    ///
    /// # Errors
    /// [`crate::Error::EmptyTaxonomy`], or [`crate::Error::Setting`] for a value out of
    /// range.
    pub fn with_config(taxonomy: &Taxonomy, config: AlignConfig) -> Result<Aligner> {
        Self::with_model(taxonomy, config, DecisionModel::national_2017())
    }

    /// An aligner with the given settings and decision model (for
    /// example one refitted on a user's labels) and the shipped learned
    /// vocabulary when `taxonomy` is the one it was learned for (national
    /// 2017); any other taxonomy gets no learned vocabulary.
    ///
    /// # Errors
    /// As [`Aligner::with_config`].
    pub fn with_model(
        taxonomy: &Taxonomy,
        config: AlignConfig,
        model: DecisionModel,
    ) -> Result<Aligner> {
        let shipped = LearnedVocabulary::national_2017();
        // The shipped vocabulary names national 2017's tasks: it serves
        // that taxonomy only (an edited copy keeps its id); another
        // taxonomy has none until one is fitted for it.
        let vocabulary = if shipped.taxonomy == taxonomy.meta().id {
            shipped
        } else {
            LearnedVocabulary::default()
        };
        Self::with_learned(taxonomy, config, model, &vocabulary)
    }

    /// An aligner with the given settings, decision model and learned
    /// vocabulary (the two are fitted together: see the `calibrate`
    /// example).
    ///
    /// # Errors
    /// As [`Aligner::with_config`], and [`crate::Error::VocabularyTaxonomy`]
    /// when the vocabulary records another taxonomy than `taxonomy`.
    pub fn with_learned(
        taxonomy: &Taxonomy,
        config: AlignConfig,
        model: DecisionModel,
        vocabulary: &LearnedVocabulary,
    ) -> Result<Aligner> {
        config.validate(std::path::Path::new("<config>"))?;
        if !vocabulary.taxonomy.is_empty() && vocabulary.taxonomy != taxonomy.meta().id {
            return Err(crate::Error::VocabularyTaxonomy {
                vocabulary: vocabulary.taxonomy.clone(),
                taxonomy: taxonomy.meta().id.clone(),
            });
        }
        let national = Normalizer::standard(&[]);
        let compiled = Compiled::new(taxonomy, &national)?;
        let candidates = Candidates::new(&compiled, vocabulary, &national, config.unseen_weight);
        let task_ids: Vec<&str> = compiled.tasks.iter().map(|t| &*t.id).collect();
        let train_priors = model.priors_for(&task_ids);
        Ok(Aligner {
            train_priors,
            weights: model.weights(),
            config,
            model,
            compiled,
            candidates,
            national,
        })
    }

    /// The settings in use.
    pub fn config(&self) -> &AlignConfig {
        &self.config
    }

    /// The decision model in use.
    pub fn model(&self) -> &DecisionModel {
        &self.model
    }

    /// The requirement index (for scorers that share its IDF).
    pub fn index(&self) -> &Arc<NgramIndex> {
        &self.candidates.req_index
    }

    /// The id of the taxonomy aligned against.
    pub fn taxonomy_id(&self) -> &str {
        &self.compiled.id
    }

    /// Requirement ids in taxonomy order.
    pub fn requirement_ids(&self) -> impl Iterator<Item = &str> {
        self.compiled.reqs.iter().map(|r| &*r.id)
    }

    /// The normalized canonical text of each requirement, in order.
    pub fn requirement_texts(&self) -> impl Iterator<Item = &[char]> {
        self.compiled.reqs.iter().map(|r| r.norm.chars.as_slice())
    }

    /// Fresh buffers for [`Aligner::align_normalized`].
    pub fn scratch(&self) -> Scratch {
        self.candidates.scratch()
    }

    /// What a heading path names, deepest heading first: a national task
    /// (the best of the heading's bigram Dice similarity to the task's
    /// title and its containment in the task's vocabulary, if it reaches
    /// the heading-similarity setting) or, failing that, an area (Dice
    /// similarity to the area's title).
    pub fn heading_evidence(&self, headings: &[String]) -> HeadingEvidence {
        self.headings().heading_evidence(headings)
    }

    /// The share of `context`'s weighted grams each task's vocabulary
    /// holds, in task order (for [`Aligner::align_normalized`]).
    pub fn context_vocabulary(&self, context: &[char]) -> Vec<f64> {
        self.headings().context_vocabulary(context)
    }

    /// Indexed requirement scores of a normalized statement:
    /// `(requirement index, score)` for every requirement sharing a gram,
    /// in index order, through the production accumulator (the one
    /// [`Aligner::score_card`] runs). Test support (feature
    /// `test-support`): what the seeds' tests and the benchmark compare
    /// with exhaustive scoring.
    #[cfg(feature = "test-support")]
    pub fn requirement_scores(&self, norm: &[char], scratch: &mut Scratch) -> Vec<(usize, f64)> {
        let g = crate::grams::grams(norm);
        let total = self.candidates.accumulate_all(&g, scratch).req;
        let mut out: Vec<(usize, f64)> = scratch.touched[..scratch.listed]
            .iter()
            .map(|&r| {
                let r = r as usize;
                (
                    r,
                    combine(
                        self.config.item_weight,
                        scratch.req_acc[r],
                        total,
                        self.candidates.req_index.text_weight(r),
                    ),
                )
            })
            .collect();
        out.sort_by_key(|x| x.0);
        self.candidates.reset(scratch);
        out
    }

    /// Exhaustive requirement scores (every requirement scored pairwise,
    /// no index): what the indexed path must equal. Test support (feature
    /// `test-support`).
    #[cfg(feature = "test-support")]
    pub fn brute_force_scores(&self, norm: &[char]) -> Vec<f64> {
        let g = crate::grams::grams(norm);
        let index = &self.candidates.req_index;
        let total = index.weight_of(&g);
        self.compiled
            .reqs
            .iter()
            .enumerate()
            .map(|(r, req)| {
                let rg = crate::grams::grams(&req.norm.chars);
                let shared = index.shared_weight(&g, &rg);
                combine(self.config.item_weight, shared, total, index.text_weight(r))
            })
            .collect()
    }

    /// Stages 1 and 2 for one normalized statement: its score card, with
    /// the document-reading columns left at zero. `context` is
    /// [`Aligner::context_vocabulary`] of its paragraph or table row (None:
    /// the item alone); `heading` is [`Aligner::heading_evidence`] of its
    /// heading path, and `has_heading` whether it has one. The statement's
    /// sorted bigram positions are left in `scratch` for the evidence.
    pub fn score_card(
        &self,
        norm: &NormText,
        context: Option<&[f64]>,
        heading: &HeadingEvidence,
        has_heading: bool,
        scratch: &mut Scratch,
    ) -> ScoreCard {
        self.cards()
            .card(norm, context, heading, has_heading, scratch)
    }

    /// The correction a researcher's answer names: `ok`, `extension` (in
    /// any case), a requirement id (`1.1.2`) or a task id (`1.1`) of this
    /// aligner's taxonomy; None for anything else.
    pub fn correction(&self, answer: &str) -> Option<Correction> {
        correct::correction(&self.compiled, answer)
    }

    /// The national task a correction places an item in, judged against
    /// the model's decision `model` (for a confirmation, the model's
    /// task): Some(task id), or None for a local extension. The answer a
    /// refit learns from ([`crate::Sample::answer`]).
    pub fn corrected_task(&self, correction: &Correction, model: &ItemAlignment) -> Option<Id> {
        correct::corrected_task(&self.compiled, correction, model)
    }

    /// The outcome probabilities of a document's read cards (each card's
    /// tasks, then the extension), adjusted to the document's own
    /// proportions (EM, [`crate::decide::adapt_priors`]) when the settings
    /// ask for it and the model records its training proportions and
    /// their prior strength.
    pub fn document_probabilities(&self, cards: &[ScoreCard]) -> Vec<Vec<f64>> {
        let mut probs: Vec<Vec<f64>> = cards
            .par_iter()
            .map(|c| self.weights.probabilities(c))
            .collect();
        if let (Some(train), Some(alpha), true) = (
            self.train_priors.as_ref(),
            self.model.prior_strength,
            self.config.adapt_priors,
        ) {
            adapt_priors(&mut probs, train, alpha);
        }
        probs
    }

    fn headings(&self) -> Headings<'_> {
        Headings {
            compiled: &self.compiled,
            candidates: &self.candidates,
            national: &self.national,
            threshold: self.config.heading_similarity,
        }
    }

    fn cards(&self) -> CardMaker<'_> {
        CardMaker {
            compiled: &self.compiled,
            candidates: &self.candidates,
            item_weight: self.config.item_weight,
            partial_threshold: self.config.partial_threshold,
        }
    }

    fn verdicts(&self) -> Verdicts<'_> {
        Verdicts {
            compiled: &self.compiled,
            weights: &self.weights,
            config: &self.config,
        }
    }

    /// Aligns one normalized statement on its own (no document reading).
    /// `raw` is the text the statement's offsets point into (for evidence
    /// excerpts); `heading` is [`Aligner::heading_evidence`] of the item's
    /// heading path; `context` is [`Aligner::context_vocabulary`] of its
    /// paragraph or table row (None: the item alone).
    pub fn align_normalized(
        &self,
        item: ItemId,
        norm: &NormText,
        context: Option<&[f64]>,
        heading: &HeadingEvidence,
        raw: &str,
        scratch: &mut Scratch,
    ) -> ItemAlignment {
        let has_heading = heading.task.is_some() || heading.area.is_some();
        let card = self.score_card(norm, context, heading, has_heading, scratch);
        let positions = std::mem::take(&mut scratch.positions);
        let out = self.verdicts().decide(
            item,
            card,
            None,
            norm,
            &positions,
            raw,
            None,
            &mut scratch.evidence,
        );
        scratch.positions = positions;
        out
    }

    /// Aligns a free-standing statement (no heading, national words only).
    pub fn align_text(&self, text: &str) -> ItemAlignment {
        self.align_text_with(text, &mut self.scratch())
    }

    /// [`Aligner::align_text`] with reusable buffers.
    pub fn align_text_with(&self, text: &str, scratch: &mut Scratch) -> ItemAlignment {
        let norm = self.national.normalize(text);
        self.align_normalized(
            ItemId(0),
            &norm,
            None,
            &HeadingEvidence::default(),
            text,
            scratch,
        )
    }

    /// Stages 1–3 for a whole document: the score card of every
    /// requirement item (in item order), read in the light of the whole
    /// document. What the decision sees; for fitting and inspecting it.
    pub fn score_cards(&self, doc: &RegionDocument) -> DocumentCards {
        let prepared = prepare(&self.headings(), doc);
        let (mut cards, _) = self.cards_of(&prepared, false);
        let reading = self.read(&mut cards, &prepared);
        DocumentCards {
            items: prepared.items.iter().map(|i| i.id).collect(),
            texts: prepared.norms.iter().map(|n| n.as_string()).collect(),
            cards,
            reading,
        }
    }

    fn read(&self, cards: &mut [ScoreCard], prepared: &Prepared<'_>) -> DocumentReading {
        read_document(
            cards,
            &prepared.sections,
            self.config.match_threshold,
            self.config.min_agreement_items,
            self.config.focus_share,
        )
    }

    /// Stage 2 for every item of a prepared document, in parallel; with
    /// each item's sorted bigram positions when `keep_positions` (for the
    /// evidence: kept, not computed twice).
    fn cards_of(
        &self,
        p: &Prepared<'_>,
        keep_positions: bool,
    ) -> (Vec<ScoreCard>, Vec<Vec<(Gram, u32)>>) {
        (0..p.items.len())
            .into_par_iter()
            .map_init(
                || self.scratch(),
                |scratch, i| {
                    let item = p.items[i];
                    let context = p.contexts.get(&p.item_lines[i]).map(Vec::as_slice);
                    let heading = &p.headings[p.sections[i]];
                    let card = self.cards().card(
                        &p.norms[i],
                        context,
                        heading,
                        !item.heading_path.is_empty(),
                        scratch,
                    );
                    let positions = if keep_positions {
                        scratch.positions.clone()
                    } else {
                        Vec::new()
                    };
                    (card, positions)
                },
            )
            .unzip()
    }

    /// Aligns every requirement item of a document (in parallel over
    /// items; the output does not depend on the thread count) and derives
    /// the coverage of every national requirement: candidates and score
    /// cards per item, the document reading, the decision, the evidence,
    /// the coverage.
    pub fn align_document(&self, doc: &RegionDocument) -> DocumentAlignment {
        self.align_document_corrected(doc, &std::collections::HashMap::new())
    }

    /// [`Aligner::align_document`] with a researcher's corrections: each
    /// item named in `corrections` takes the researcher's decision
    /// ([`crate::Source::Label`], confidence 1) and the coverage follows; every
    /// other item is decided exactly as without corrections (the
    /// document reading is the model's). Items that are no requirement
    /// item of `doc` are ignored.
    pub fn align_document_corrected(
        &self,
        doc: &RegionDocument,
        corrections: &std::collections::HashMap<ItemId, Correction>,
    ) -> DocumentAlignment {
        let prepared = prepare(&self.headings(), doc);
        let (mut cards, mut positions) = self.cards_of(&prepared, self.config.evidence);
        // Without evidence no positions were kept: an empty list each.
        positions.resize_with(cards.len(), Vec::new);
        let reading = self.read(&mut cards, &prepared);
        let probabilities = self.document_probabilities(&cards);
        let headings = self.read_headings(doc);
        let verdicts = self.verdicts();
        let items: Vec<ItemAlignment> = cards
            .into_par_iter()
            .zip(positions)
            .enumerate()
            .map_init(
                EvidenceBuffers::default,
                |buffers, (i, (card, positions))| {
                    verdicts.decide(
                        prepared.items[i].id,
                        card,
                        Some(probabilities[i].as_slice()),
                        &prepared.norms[i],
                        &positions,
                        &doc.text,
                        corrections.get(&prepared.items[i].id),
                        buffers,
                    )
                },
            )
            .collect();
        let coverage = coverage(
            &self.compiled,
            &items,
            (self.config.covered_threshold, self.config.partial_threshold),
        );
        DocumentAlignment {
            label: doc.meta.label.clone(),
            file: doc.meta.file.clone(),
            items,
            coverage,
            headings,
            focus: reading.focus.map(|f| Id::from(f.as_str())),
            heading_agreement: reading.heading_agreement,
        }
    }

    /// What a heading's words say of every task and area: the heading
    /// model's input ([`crate::decide::HeadingModel`]).
    pub fn heading_features(&self, heading: &str) -> HeadingFeatures {
        self.headings().heading_features(heading)
    }

    /// The heading outcome a label names: a task id of this taxonomy, an
    /// area id, or `none`; None for anything else.
    pub fn heading_outcome(&self, answer: &str) -> Option<HeadingOutcome> {
        if answer == "none" {
            return Some(HeadingOutcome::None);
        }
        if let Some(t) = self.compiled.task_ix(answer) {
            return Some(HeadingOutcome::Task(t.get()));
        }
        self.compiled
            .areas()
            .position(|(id, _)| &**id == answer)
            .map(HeadingOutcome::Area)
    }

    /// The text of a heading item: its body (markers lifted), or its span.
    pub fn heading_text(doc: &RegionDocument, item: &luoshi_core::ingest::Item) -> String {
        if item.body.is_empty() {
            doc.text[item.span.clone()].to_string()
        } else {
            item.body.iter().map(|r| &doc.text[r.clone()]).collect()
        }
    }

    /// The reading of every heading item of `doc`, in document order: the
    /// task or area its title names, if any ([`crate::HeadingAlignment`]).
    pub fn read_headings(&self, doc: &RegionDocument) -> Vec<HeadingAlignment> {
        let reader = self.headings();
        let model = self.model.heading.as_ref();
        doc.items
            .iter()
            .filter(|i| i.kind == ItemKind::Heading)
            .map(|i| reader.read_heading(i.id, &Self::heading_text(doc, i), model))
            .collect()
    }

    /// Aligns many documents in parallel, in input order.
    pub fn align_all(&self, docs: &[RegionDocument]) -> Vec<DocumentAlignment> {
        docs.par_iter().map(|d| self.align_document(d)).collect()
    }
}

/// A document's score cards: what the decision sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentCards {
    /// The requirement items, in order.
    pub items: Vec<ItemId>,
    /// Their normalized texts.
    pub texts: Vec<String>,
    /// Their cards, read in the light of the whole document.
    pub cards: Vec<ScoreCard>,
    /// The document reading.
    pub reading: DocumentReading,
}
