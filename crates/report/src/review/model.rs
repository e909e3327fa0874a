//! A model folder: the files a refit writes and a run decides with.

use std::path::Path;

use luoshi_align::{DecisionModel, LearnedVocabulary};

use crate::error::{Error, Result};

/// The file names [`Refit::save`](super::Refit::save) writes in its folder, and
/// [`crate::RunOptions::model`] reads.
pub const MODEL_FILE: &str = "decision.toml";
/// See [`MODEL_FILE`].
pub const VOCABULARY_FILE: &str = "vocabulary.toml";

/// Refuses a refit folder whose model or vocabulary file exists, unless
/// `replace` (checked before a run, so no work is lost).
///
/// # Errors
/// [`Error::Output`] naming the file.
pub fn check_refit_target(dir: &Path, replace: bool) -> Result<()> {
    for p in [dir.join(MODEL_FILE), dir.join(VOCABULARY_FILE)] {
        if p.exists() && !replace {
            return Err(Error::Output {
                path: p,
                reason: "the file exists: choose another folder, or allow replacing it explicitly (--replace)".into(),
            });
        }
    }
    Ok(())
}

/// The refitted model a run on taxonomy pack `pack` may decide with from
/// model folder `dir`: `dir/<pack>/` when it holds one (as [`refit_all`](super::refit_all)
/// writes for several taxonomies), else `dir` itself when it holds one,
/// else none.
pub(crate) fn load_model_for(
    dir: &Path,
    pack: &str,
) -> Result<Option<(DecisionModel, LearnedVocabulary)>> {
    let own = dir.join(pack);
    if own.join(MODEL_FILE).is_file() {
        load_model(&own).map(Some)
    } else if dir.join(MODEL_FILE).is_file() {
        load_model(dir).map(Some)
    } else {
        Ok(None)
    }
}

/// Loads a refitted model folder ([`Refit::save`](super::Refit::save)).
///
/// # Errors
/// [`Error::Align`] naming the file that cannot be read or parsed.
fn load_model(dir: &Path) -> Result<(DecisionModel, LearnedVocabulary)> {
    Ok((
        DecisionModel::load(dir.join(MODEL_FILE))?,
        LearnedVocabulary::load(dir.join(VOCABULARY_FILE))?,
    ))
}
