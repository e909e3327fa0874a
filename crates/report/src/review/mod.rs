//! The review loop (issue 16): the `review` table (every requirement item,
//! least confident first, with an empty `correct` column for the
//! researcher), reading the researcher's labels back (filled-in review
//! sheets and the TOML label files of `testdata/labels`), measuring the
//! model on them (`label_metrics`), and refitting the decision model on
//! them with a leave-one-document-out estimate.
//!
//! What a researcher writes in `correct`: a requirement id (`1.1.2`: the
//! item implements it), a task id (`1.1`: it falls within the task, no
//! single requirement fits), `extension` (a local extension), or `ok` (the
//! decision is right). An empty cell leaves the item to the model.
//!
//! One file per job: `sheets` (the review table and `review.xlsx`),
//! `labels` (reading the researcher's labels and resolving them against
//! the run's items), `metrics` (`label_metrics`), `model` (the files of a
//! model folder), `refit` (the `--refit` step) and `print` (what a run
//! with labels prints). `types` holds the plain data they share and
//! imports nothing of the crate.

mod labels;
mod metrics;
mod model;
mod print;
mod refit;
mod sheets;
mod types;

pub use labels::{Labels, label_files};
pub use metrics::{MetricCounts, Metrics};
pub use model::{MODEL_FILE, VOCABULARY_FILE, check_refit_target};
pub use print::labels_report;
pub use refit::{Refit, refit_all};
pub(crate) use sheets::carry_answers;
pub use sheets::{REVIEW_XLSX, write_xlsx};
pub use types::{DocumentLabels, LabelOrigin, text_hash};

pub(crate) use labels::{RawLabel, read_labels, resolve};
pub(crate) use model::load_model_for;
