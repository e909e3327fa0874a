//! `luoshi-align`: maps each requirement item of a regional document onto
//! the national requirement it implements, the national task whose scope
//! it falls in, or calls it a local extension; with scores, runner-ups and
//! evidence (matched passages in both texts).
//!
//! - [`normalize`]: a builder-composed pipeline of filters (NFKC,
//!   traditional → simplified, punctuation, regional words, spliced row
//!   numbers) that keeps a map back to raw byte offsets;
//! - [`scorer`]: similarity metrics behind one trait (strsim baselines,
//!   IDF-weighted containment, Smith–Waterman);
//! - [`Aligner`]: the indexed aligner and per-document coverage;
//! - [`Pack`]: a taxonomy with the decision data fitted for it, loaded
//!   from a pack folder (`taxonomies/<id>/`) or built from an outline text;
//! - [`setup`]: which pack each document of a manifest answers, and the
//!   ingestion options and aligner of each (shared by `luoshi::Pipeline`
//!   and the coverage run).
//!
//! ```
//! use luoshi_align::{Aligner, Status};
//! use luoshi_core::Taxonomy;
//!
//! # fn main() -> luoshi_align::Result<()> {
//! let taxonomy = Taxonomy::national_2017();
//! let aligner = Aligner::new(&taxonomy)?;
//! let req = taxonomy.lookup("1.1.1").expect("requirement 1.1.1");
//! let a = aligner.align_text(&req.text);
//! assert_eq!(a.status, Status::Matched);
//! assert_eq!(a.requirement.as_deref(), Some("1.1.1"));
//! assert!(a.score >= 0.95);
//! # Ok(())
//! # }
//! ```

mod aligner;
mod candidates;
pub mod card;
mod compiled;
mod config;
mod correct;
mod coverage;
pub mod decide;
mod error;
pub mod eval;
mod evidence;
pub mod grams;
mod headings;
pub mod normalize;
pub mod pack;
mod prepare;
pub mod reading;
pub mod refit;
pub mod scorer;
pub mod setup;
pub mod synth;
pub mod types;
mod verdict;
pub mod vocabulary;

pub use aligner::{Aligner, DocumentCards};
pub use candidates::Scratch;
pub use card::{ScoreCard, TaskCard};
pub use compiled::{ReqIx, TaskIx};
pub use config::AlignConfig;
pub use correct::{Correction, Source};
pub use decide::{Decision, DecisionModel, PRIOR_STRENGTHS, Sample, Weights};
pub use error::{Error, Result};
pub use pack::{Pack, Packs};
pub use reading::DocumentReading;
pub use refit::LabelledCorpus;
pub use types::{
    Candidate, CoverageStatus, DocumentAlignment, Evidence, HeadingAlignment, HeadingEvidence,
    HeadingStatus, Id, ItemAlignment, RequirementCoverage, Status,
};
pub use vocabulary::LearnedVocabulary;
