//! The `--refit` step: the decision model and learned vocabulary fitted
//! on the researcher's labels, with the leave-one-document-out estimate.

use std::path::{Path, PathBuf};

use luoshi_align::{
    AlignConfig, Aligner, DecisionModel, DocumentAlignment, Id, LabelledCorpus, LearnedVocabulary,
};

use super::metrics::Metrics;
use super::model::{MODEL_FILE, VOCABULARY_FILE, check_refit_target};
use crate::error::{Error, Result};

/// A refitted decision model and learned vocabulary, with what they are
/// expected to give.
#[derive(Debug, Clone)]
pub struct Refit {
    /// The model fitted on all labels.
    pub model: DecisionModel,
    /// The vocabulary of all labels.
    pub vocabulary: LearnedVocabulary,
    /// The model in use, on the labels (in sample when it was fitted on
    /// them).
    pub current: Metrics,
    /// Leave one document out: each labelled document aligned by a model
    /// and vocabulary fitted on the other documents' labels alone (None
    /// when not asked for).
    pub held_out: Option<Metrics>,
}

impl Refit {
    /// Fits the decision model and the learned vocabulary on the labels
    /// of `analysis` (which must have been run with labels), after the
    /// leave-one-document-out estimate when `cross_validate` (one fit per
    /// labelled document: the costly part). `config` is the run's
    /// alignment settings; `l2` the penalty per labelled item (the
    /// shipped model used 1e-3).
    ///
    /// # Errors
    /// [`Error::Label`] when the analysis has no labels;
    /// [`Error::Align`] when fitting fails.
    pub fn fit(
        analysis: &crate::Analysis,
        config: &AlignConfig,
        l2: f64,
        cross_validate: bool,
    ) -> Result<Refit> {
        let labels = analysis
            .labels
            .as_ref()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| {
                Error::label(
                    Path::new("--labels"),
                    0,
                    "a refit needs labels: give review sheets or label files with --labels",
                )
            })?;
        let aligner = Aligner::with_config(&analysis.taxonomy, config.clone())?;
        let docs = &analysis.docs;
        let items: Vec<Vec<(usize, Option<Id>)>> = docs
            .iter()
            .enumerate()
            .map(|(d, doc)| {
                let l = &labels.documents[d];
                if l.corrections.is_empty() {
                    return Vec::new();
                }
                let cards = aligner.score_cards(doc);
                let mut v: Vec<(usize, Option<Id>)> = l
                    .corrections
                    .iter()
                    .filter_map(|(item, c)| {
                        let i = cards.items.binary_search(item).ok()?;
                        let model = labels.model[d].item(*item)?;
                        Some((i, aligner.corrected_task(c, model)))
                    })
                    .collect();
                v.sort_by_key(|x| x.0);
                v
            })
            .collect();
        let corpus = LabelledCorpus::new(&analysis.taxonomy, config.clone(), docs, items)?;
        let held_out = if cross_validate {
            let folds = corpus.cross_validate(l2)?;
            let fold_refs: Vec<(usize, &DocumentAlignment)> =
                folds.iter().map(|(d, a)| (*d, a)).collect();
            Some(Metrics::measure(
                docs,
                &labels.documents,
                &labels.model,
                &fold_refs,
                &aligner,
            ))
        } else {
            None
        };
        let current_refs: Vec<(usize, &DocumentAlignment)> =
            labels.model.iter().enumerate().collect();
        let current = Metrics::measure(
            docs,
            &labels.documents,
            &labels.model,
            &current_refs,
            &aligner,
        );
        let fitted_on = format!(
            "{} labelled requirement items of {} documents ({})",
            corpus.len(),
            corpus.labelled_documents().len(),
            labels
                .files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let (model, vocabulary) = corpus.fit(l2, &fitted_on)?;
        Ok(Refit {
            model,
            vocabulary,
            current,
            held_out,
        })
    }

    /// Writes the model and the vocabulary into `dir` as [`MODEL_FILE`]
    /// and [`VOCABULARY_FILE`] (the folder [`crate::RunOptions::model`]
    /// reads), creating it; an existing file is refused unless `replace`.
    /// Returns the two paths.
    ///
    /// # Errors
    /// [`Error::Output`] for a file that exists, [`Error::Io`] when
    /// writing fails.
    pub fn save(&self, dir: &Path, replace: bool) -> Result<(PathBuf, PathBuf)> {
        let (model, vocabulary) = (dir.join(MODEL_FILE), dir.join(VOCABULARY_FILE));
        check_refit_target(dir, replace)?;
        std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        let header = "# A decision model of luoshi-align, refitted on a researcher's labels\n\
                      # (the coverage command's --refit; DecisionModel::fit: conditional logit, L2 penalty).\n";
        std::fs::write(&model, format!("{header}{}", self.model.to_toml()))
            .map_err(Error::io(&model))?;
        let header = "# The learned vocabulary fitted with decision.toml: the normalized text of\n\
                      # every labelled requirement item, by task (or extension).\n";
        std::fs::write(
            &vocabulary,
            format!("{header}{}", self.vocabulary.to_toml()),
        )
        .map_err(Error::io(&vocabulary))?;
        Ok((model, vocabulary))
    }
}

/// The `--refit DIR` step of the coverage command: for each taxonomy whose
/// documents carry labels, the model in use and the leave-one-document-out
/// estimate of a refit (printed through `print` before anything is
/// written), then the refitted decision model and vocabulary saved in
/// `dir` (one subfolder per taxonomy when there are several; existing
/// files only with `replace`). `config` is the run's settings file.
///
/// # Errors
/// An unreadable settings file, a failed fit, or a refused or failed
/// write.
pub fn refit_all(
    output: &crate::RunOutput,
    config: Option<&Path>,
    l2: f64,
    dir: &Path,
    replace: bool,
    print: &mut dyn FnMut(&str),
) -> Result<()> {
    let config = match config {
        Some(p) => AlignConfig::load(p)?,
        None => AlignConfig::default(),
    };
    for g in output.groups.iter().filter(|g| g.analysis.labels.is_some()) {
        let dir = dir.join(&g.dir);
        let refit = Refit::fit(&g.analysis, &config, l2, true)?;
        print("the model in use, on these labels (in sample if it was fitted on them):");
        print(refit.current.summary_text().trim_end());
        print("refit, leave one document out (fitted on the other documents' labels):");
        if let Some(h) = &refit.held_out {
            print(h.summary_text().trim_end());
        }
        let (m, v) = refit.save(&dir, replace)?;
        print(&format!(
            "wrote {} and {}: decide with them with --model {}",
            m.display(),
            v.display(),
            dir.display()
        ));
    }
    Ok(())
}
