//! The national task taxonomy as a graph: document → areas → tasks →
//! requirements.
//!
//! The graph is a petgraph [`DiGraph`](petgraph::graph::DiGraph). Containment edges run from parent to
//! child; extra typed edges ([`EdgeKind::Related`]) link a requirement to a
//! node of another task under which regions file it. Node ids follow the
//! national document's numbering: area `1`, task `1.1`, requirement `1.1.1`.
//!
//! Complexity: lookup by id is O(1) (hash map); [`Taxonomy::children`] is
//! O(k log k) for k children; [`Taxonomy::ancestors`] is O(depth);
//! [`Taxonomy::requirements_under`] and iteration are O(n) in the nodes
//! visited; building and validating a taxonomy of n nodes and e extra edges
//! is O(n + e).
//!
//! One file per job: `node` (nodes and edge kinds), `records` (the file
//! format), `graph` (the validated graph and its queries), `file`
//! (loading, validation, saving) and `outline` (a taxonomy from a national
//! document's outline text).

mod file;
mod graph;
mod node;
mod outline;
mod records;

pub use file::FileFormat;
pub use graph::{Counts, NodeId, Taxonomy};
pub use node::{EdgeKind, Node, NodeKind};
pub use outline::read_outline;
pub use records::{EdgeRecord, NodeRecord, TaxonomyFile, TaxonomyMeta};

#[cfg(test)]
mod tests;
