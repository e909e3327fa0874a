//! Corrections: a researcher's decisions for some items, which take the
//! place of the model's (the review loop, issue 16). A corrected item
//! carries [`Source::Label`]; the coverage of the national requirements
//! follows the corrected decisions.

use serde::Serialize;

use crate::aligner::{Id, ItemAlignment, Status};

/// Who decided an item: the decision model, or a researcher's label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The decision model.
    #[default]
    Model,
    /// A researcher's label (`--labels`).
    Label,
}

impl Source {
    /// `model` or `label`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Model => "model",
            Source::Label => "label",
        }
    }
}

/// A researcher's decision for one requirement item.
///
/// ```
/// use std::collections::HashMap;
/// use std::path::Path;
/// use luoshi_align::{Aligner, Source, Status};
/// use luoshi_core::{DocumentMeta, IngestOptions, Taxonomy, ingest_text};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let taxonomy = Taxonomy::national_2017();
/// let aligner = Aligner::new(&taxonomy)?;
/// let meta = DocumentMeta::for_file(Path::new("a.txt"));
/// let text = "一、加强财政、金融、就业等政策解读，回应社会关切。\n".to_string();
/// let doc = ingest_text(text, meta, &IngestOptions::new());
/// let item = aligner.align_document(&doc).items[0].item;
/// let label = aligner.correction("extension").expect("a known answer");
/// let corrected = aligner.align_document_corrected(&doc, &HashMap::from([(item, label)]));
/// assert_eq!(corrected.items[0].status, Status::Extension);
/// assert_eq!(corrected.items[0].source, Source::Label);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Correction {
    /// `ok`: the model's decision stands (and is now the researcher's).
    Confirm,
    /// The item implements this national requirement (`matched`).
    Requirement(Id),
    /// The item falls within this national task, and no single
    /// requirement of it fits (`task`).
    Task(Id),
    /// The item falls within this national task: the model's decision
    /// stands when it lies in that task (matched to one of its
    /// requirements, or a task item of it); otherwise the item becomes a
    /// task item of it. What the TOML label files say: they name tasks,
    /// not requirements.
    WithinTask(Id),
    /// A local extension (`extension`).
    Extension,
}

impl Correction {
    /// The answer as a researcher writes it: `ok`, a requirement or task
    /// id, or `extension`.
    pub fn answer(&self) -> &str {
        match self {
            Correction::Confirm => "ok",
            Correction::Requirement(id) | Correction::Task(id) | Correction::WithinTask(id) => id,
            Correction::Extension => "extension",
        }
    }

    /// Whether the model's decision `model` agrees with this correction
    /// (at the level the correction speaks: a task label accepts a match
    /// to any requirement of the task).
    pub fn agrees(&self, model: &ItemAlignment) -> bool {
        match self {
            Correction::Confirm => true,
            Correction::Requirement(r) => {
                model.status == Status::Matched && model.requirement.as_ref() == Some(r)
            }
            Correction::Task(t) => model.status == Status::Task && model.task.as_ref() == Some(t),
            Correction::WithinTask(t) => {
                model.status != Status::Extension && model.task.as_ref() == Some(t)
            }
            Correction::Extension => model.status == Status::Extension,
        }
    }

    /// The status the correction gives, judged against the model's
    /// decision `model` (a [`Correction::WithinTask`] accepts the model's
    /// `matched` or `task` within the task, and is `task` otherwise; a
    /// [`Correction::Confirm`] takes the model's).
    pub fn status(&self, model: &ItemAlignment) -> Status {
        match self {
            Correction::Confirm => model.status,
            Correction::Requirement(_) => Status::Matched,
            Correction::Task(_) => Status::Task,
            Correction::WithinTask(_) if self.agrees(model) => model.status,
            Correction::WithinTask(_) => Status::Task,
            Correction::Extension => Status::Extension,
        }
    }
}
