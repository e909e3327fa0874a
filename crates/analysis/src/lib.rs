//! `luoshi-analysis`: what luoshi measures beyond coverage, from the
//! alignments the aligner computed.
//!
//! - **The document profile** ([`DocumentProfile`]): *fidelity*, the
//!   share of the document's requirement text that restates the national
//!   text (the aligner's evidence passages, and the other requirements
//!   and the task each item covers), with each item's verbatim
//!   [`ItemProfile::copy_share`]; *specificity*, the share of requirement
//!   items that name a responsible unit, a deadline, a quantified target
//!   ([`quantities`]), and the share that only restate; the *response
//!   lag* in days from the national document's date; and the national
//!   requirements kept, reworded and omitted, and the extensions.
//! - **Reuse** ([`reuse`]): the passages two regional documents share
//!   beyond the national text, found through an index of winnowed
//!   shingles (never all pairs), each with both byte spans and the
//!   requirement or extension it belongs to, and per pair the likely
//!   source.
//! - **Two documents side by side** ([`diff`]): kept, reworded, added and
//!   dropped, requirement by requirement, with changed obligation words
//!   ([`obligation()`]), deadlines, numbers and units.
//!
//! The word lists these read are in [`words`], each with its source.
//!
//! ```
//! use luoshi_align::Aligner;
//! use luoshi_analysis::{Analyst, Use};
//! use luoshi_core::{DocumentMeta, IngestOptions, Taxonomy, ingest_text};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let taxonomy = Taxonomy::national_2017();
//! let text = "做好重大政策措施落实情况跟踪审计结果公开。(市审计局牵头落实)\n\
//!             每月公示旅游投诉情况，每季度公开旅游经营服务不良信息。";
//! let opts = IngestOptions::builder().taxonomy_titles(&taxonomy).build()?;
//! let doc = ingest_text(text.to_string(), DocumentMeta::for_file("demo.txt".as_ref()), &opts);
//! let alignment = Aligner::new(&taxonomy)?.align_document(&doc);
//!
//! let profile = Analyst::new(&taxonomy).profile(&doc, &alignment)?;
//! // The national requirement 1.1.5, word for word, with its unit.
//! let audit = &profile.items[0];
//! assert!(audit.unit && audit.copy_share() == Some(1.0) && !audit.only_restates());
//! assert_eq!(profile.count(Use::Kept), 1);
//! // A local extension with a deadline and two frequencies.
//! let tourism = &profile.items[1];
//! assert!(tourism.deadline && tourism.restated == 0);
//! assert_eq!(tourism.quantities, ["每月", "每季度"]);
//! # Ok(())
//! # }
//! ```

mod analyst;
mod config;
mod date;
pub mod diff;
mod error;
mod national;
pub mod obligation;
pub mod plant;
mod profile;
pub mod quantity;
pub mod reuse;
mod shingle;
mod types;
pub mod words;

pub use analyst::{Analyses, Analyst};
pub use config::{ProfileConfig, ReuseConfig};
pub use date::days_between;
pub use diff::{Change, DiffRow, DocumentDiff, Shift, Side};
pub use error::{Error, Result};
pub use obligation::{Obligation, ObligationWords, obligation};
pub use quantity::quantities;
pub use reuse::types::{Basis, Belongs, PairReuse, Passage, Reuse, ReuseStats};
pub use types::{DocumentProfile, ItemProfile, Measures, RequirementUse, Restates, Use};
