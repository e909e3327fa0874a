//! `luoshi-core`: the national task taxonomy, the regional document model
//! and the ingestion of real regional documents.
//!
//! luoshi (落实, "carry out") studies how China's regional governments
//! implement central policy. The State Council's 《2017年政务公开工作要点》
//! (key points for open government affairs, 政务公开) sets 6 areas and 23
//! tasks; every province and city answers with its own implementation
//! document. This crate holds:
//!
//! - [`Taxonomy`]: the national areas → tasks → requirements as a petgraph
//!   graph, embedded ([`Taxonomy::national_2017`]), loaded from TOML/JSON,
//!   or built from a national document's outline text;
//! - [`Manifest`]: the corpus manifest (`seeds/regions.toml`);
//! - [`extract`]: a document's format recognized by content and its text
//!   extracted (plain text in UTF-8, UTF-16, GB18030 or Big5; HTML; DOCX;
//!   PDF) as headings, paragraphs and table rows;
//! - [`ingest`]: segmentation of the extracted text of a regional
//!   document into [`Item`]s that tile it losslessly.
//!
//! ```
//! use luoshi_core::{Taxonomy, NodeKind};
//!
//! # fn main() -> luoshi_core::Result<()> {
//! let tax = Taxonomy::national_2017();
//! let task = tax.get("1.1").expect("task 1.1 exists");
//! assert_eq!(tax.node(task).title, "加强预期引导");
//! for req in tax.children(task) {
//!     let node = tax.node(req);
//!     assert_eq!(node.kind, NodeKind::Requirement);
//!     println!("{} {}", node.id, node.title);
//! }
//! assert_eq!(tax.lookup("1.1.1")?.kind, NodeKind::Requirement);
//! # Ok(())
//! # }
//! ```

pub mod date;
pub mod decode;
mod error;
pub mod extract;
pub mod ingest;
pub mod manifest;
pub mod markers;
pub mod phrases;
pub mod taxonomy;
pub mod text;
pub mod units;

pub use date::Date;
pub use error::{Error, LabelClash, ManifestEntry, Result, TaxonomyProblem};
pub use extract::{Block, BlockKind, Extracted, Format};
pub use ingest::{
    IngestOptions, Item, ItemId, ItemKind, RegionDocument, ingest_bytes, ingest_extracted,
    ingest_file, ingest_text,
};
pub use manifest::{AdminLevel, DocumentMeta, MANIFEST_FILE, Manifest};
pub use taxonomy::{EdgeKind, Node, NodeId, NodeKind, Taxonomy};
pub use units::UnitTable;

/// The types most programs need.
pub mod prelude {
    pub use crate::{
        DocumentMeta, Error, IngestOptions, Item, ItemKind, Manifest, NodeId, NodeKind,
        RegionDocument, Result, Taxonomy, UnitTable,
    };
}
