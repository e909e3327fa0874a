//! Corrections: a researcher's decisions for some items, which take the
//! place of the model's (the review loop, issue 16). A corrected item
//! carries [`Source::Label`]; the coverage of the national requirements
//! follows the corrected decisions.

use crate::card::TaskCard;
use crate::compiled::{Compiled, ReqIx};
pub use crate::types::Source;
use crate::types::{Candidate, Id, ItemAlignment, Status};

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

/// Replaces the model's decision in `out` by a researcher's
/// correction: the item takes the labelled status and target with
/// confidence 1, and covers the labelled requirement alone (score 1),
/// or no requirement when labelled a task item or an extension; a
/// confirmation (or a task label the decision lies in) keeps the
/// decision. `target` becomes the requirement the evidence is sought
/// against.
pub(crate) fn apply(
    compiled: &Compiled,
    out: &mut ItemAlignment,
    correction: &Correction,
    tasks: &[TaskCard],
    target: &mut Option<ReqIx>,
) {
    out.source = Source::Label;
    out.confidence = 1.0;

    match correction {
        Correction::Confirm => {}
        Correction::WithinTask(_) if correction.agrees(out) => {}
        Correction::Requirement(id) => {
            if let Some(r) = compiled.req_ix(id) {
                let task = compiled.task(compiled.req(r).task);
                out.status = Status::Matched;
                out.requirement = Some(compiled.req(r).id.clone());
                out.task = Some(task.id.clone());
                out.area = Some(task.area.clone());
                out.score = 1.0;
                out.covers = vec![Candidate {
                    id: compiled.req(r).id.clone(),
                    score: 1.0,
                }];
                *target = Some(r);
            }
        }
        Correction::Task(id) | Correction::WithinTask(id) => {
            if let Some(t) = compiled.task_ix(id) {
                out.status = Status::Task;
                out.requirement = None;
                out.task = Some(compiled.task(t).id.clone());
                out.area = Some(compiled.task(t).area.clone());
                out.score = tasks.get(t.get()).map_or(0.0, |c| c.vocab);
                out.covers = Vec::new();
            }
        }
        Correction::Extension => {
            out.status = Status::Extension;
            out.requirement = None;
            out.task = None;
            out.area = None;
            out.score = out.nearest.as_ref().map_or(0.0, |n| n.score);
            out.covers = Vec::new();
        }
    }
}

/// The correction a researcher's answer names: `ok`, `extension` (in
/// any case), a requirement id (`1.1.2`) or a task id (`1.1`) of this
/// aligner's taxonomy; None for anything else.
pub(crate) fn correction(compiled: &Compiled, answer: &str) -> Option<Correction> {
    let answer = answer.trim();
    match answer.to_ascii_lowercase().as_str() {
        "ok" => Some(Correction::Confirm),
        "extension" => Some(Correction::Extension),
        _ => {
            if let Some(r) = compiled.req_ix(answer) {
                Some(Correction::Requirement(compiled.req(r).id.clone()))
            } else {
                compiled
                    .tasks
                    .iter()
                    .find(|t| &*t.id == answer)
                    .map(|t| Correction::Task(t.id.clone()))
            }
        }
    }
}

/// The national task a correction places an item in, judged against
/// the model's decision `model` (for a confirmation, the model's
/// task): Some(task id), or None for a local extension. The answer a
/// refit learns from ([`crate::Sample::answer`]).
pub(crate) fn corrected_task(
    compiled: &Compiled,
    correction: &Correction,
    model: &ItemAlignment,
) -> Option<Id> {
    match correction {
        Correction::Confirm => model.task.clone(),
        Correction::Requirement(r) => compiled
            .req_ix(r)
            .map(|i| compiled.task(compiled.req(i).task).id.clone()),
        Correction::Task(t) | Correction::WithinTask(t) => Some(t.clone()),
        Correction::Extension => None,
    }
}
