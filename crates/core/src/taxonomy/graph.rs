//! The validated taxonomy graph and its queries.

use std::collections::HashMap;
use std::fmt::Write as _;

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::node::{EdgeKind, Node, NodeKind};
use super::records::TaxonomyMeta;

/// A node's handle in a [`Taxonomy`]: a newtype over petgraph's
/// [`NodeIndex`], valid only for the taxonomy that returned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(super) NodeIndex);

impl NodeId {
    /// The underlying petgraph index, for use with [`Taxonomy::graph`].
    pub fn index(self) -> NodeIndex {
        self.0
    }
}

/// Node counts per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    /// Areas.
    pub areas: usize,
    /// Tasks.
    pub tasks: usize,
    /// Requirements.
    pub requirements: usize,
    /// Extra (related) edges.
    pub related_edges: usize,
}

/// A validated national task taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub(super) meta: TaxonomyMeta,
    pub(super) graph: DiGraph<Node, EdgeKind>,
    pub(super) root: NodeIndex,
    pub(super) by_id: HashMap<String, NodeIndex>,
    /// Document order (pre-order), root excluded.
    pub(super) order: Vec<NodeIndex>,
    /// Position of each node in `order` (root = usize::MAX).
    pub(super) position: Vec<usize>,
}

impl Taxonomy {
    /// Document metadata (id, title, number, date, declared seed files).
    pub fn meta(&self) -> &TaxonomyMeta {
        &self.meta
    }

    /// The underlying petgraph graph, for algorithms over it.
    pub fn graph(&self) -> &DiGraph<Node, EdgeKind> {
        &self.graph
    }

    /// The document root.
    pub fn root(&self) -> NodeId {
        NodeId(self.root)
    }

    /// Looks a node up by id (`"1.1.2"`). O(1).
    pub fn get(&self, id: &str) -> Option<NodeId> {
        self.by_id.get(id).copied().map(NodeId)
    }

    /// A node's id as the tables write it, with its level's letter
    /// ([`NodeKind::table_id`]: `T1.10` for task `1.10`); None when no
    /// node has the id `id`.
    pub fn table_id(&self, id: &str) -> Option<String> {
        self.get(id).map(|n| self.node(n).kind.table_id(id))
    }

    /// The node that `id` names, in the tables' form (`T1.10`: the letter
    /// must be the node's level) or plain (`1.10`). The tables' form is
    /// tried first, so a taxonomy whose own ids start with `A`, `T` or
    /// `R` still reads both forms. O(1).
    pub fn get_any(&self, id: &str) -> Option<NodeId> {
        NodeKind::split_table_id(id)
            .and_then(|(kind, plain)| self.get(plain).filter(|&n| self.node(n).kind == kind))
            .or_else(|| self.get(id))
    }

    /// Looks a node up by id.
    ///
    /// # Errors
    /// [`crate::Error::UnknownId`] when the id is not in the taxonomy.
    pub fn lookup(&self, id: &str) -> crate::Result<&Node> {
        self.get(id)
            .map(|n| self.node(n))
            .ok_or_else(|| crate::Error::UnknownId(id.to_string()))
    }

    /// The node behind a handle.
    ///
    /// # Panics
    /// If `id` comes from another taxonomy and is out of range.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.graph[id.0]
    }

    /// The node's parent (None for the root).
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.graph
            .edges_directed(id.0, Direction::Incoming)
            .find(|e| *e.weight() == EdgeKind::Contains)
            .map(|e| NodeId(e.source()))
    }

    /// Children in document order. O(k log k).
    pub fn children(&self, id: NodeId) -> Vec<NodeId> {
        let mut kids: Vec<NodeIndex> = self
            .graph
            .edges_directed(id.0, Direction::Outgoing)
            .filter(|e| *e.weight() == EdgeKind::Contains)
            .map(|e| e.target())
            .collect();
        kids.sort_by_key(|k| self.position[k.index()]);
        kids.into_iter().map(NodeId).collect()
    }

    /// Ancestors from the parent up to and including the root. O(depth).
    pub fn ancestors(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut cur = id;
        while let Some(p) = self.parent(cur) {
            out.push(p);
            cur = p;
        }
        out
    }

    /// The path from the first level below the root down to `id` inclusive,
    /// e.g. `[1, 1.1, 1.1.2]`.
    pub fn path(&self, id: NodeId) -> Vec<NodeId> {
        let mut p: Vec<NodeId> = self
            .ancestors(id)
            .into_iter()
            .filter(|&a| a.0 != self.root)
            .collect();
        p.reverse();
        if id.0 != self.root {
            p.push(id);
        }
        p
    }

    /// The enclosing node of the given kind (itself if it is of that kind).
    pub fn enclosing(&self, id: NodeId, kind: NodeKind) -> Option<NodeId> {
        std::iter::once(id)
            .chain(self.ancestors(id))
            .find(|&n| self.node(n).kind == kind)
    }

    /// All nodes in document order (pre-order), root excluded. O(n).
    pub fn iter(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.order.iter().map(|&i| NodeId(i))
    }

    /// All nodes of one kind, in document order.
    pub fn of_kind(&self, kind: NodeKind) -> impl Iterator<Item = NodeId> + '_ {
        self.iter().filter(move |&n| self.node(n).kind == kind)
    }

    /// All requirements in document order.
    pub fn requirements(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.of_kind(NodeKind::Requirement)
    }

    /// All tasks in document order.
    pub fn tasks(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.of_kind(NodeKind::Task)
    }

    /// All areas in document order.
    pub fn areas(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.of_kind(NodeKind::Area)
    }

    /// Requirements under `id` (itself if it is one), in document order.
    /// O(size of the subtree) thanks to pre-order positions.
    pub fn requirements_under(&self, id: NodeId) -> Vec<NodeId> {
        if id.0 == self.root {
            return self.requirements().collect();
        }
        let start = self.position[id.0.index()];
        let depth = self.path(id).len();
        let mut out = Vec::new();
        for &n in &self.order[start..] {
            let nid = NodeId(n);
            if n != id.0 && self.path(nid).len() <= depth {
                break;
            }
            if self.node(nid).kind == NodeKind::Requirement {
                out.push(nid);
            }
        }
        out
    }

    /// Extra edges leaving `id`, with their kinds.
    pub fn related(&self, id: NodeId) -> Vec<(EdgeKind, NodeId)> {
        self.graph
            .edges_directed(id.0, Direction::Outgoing)
            .filter(|e| *e.weight() != EdgeKind::Contains)
            .map(|e| (*e.weight(), NodeId(e.target())))
            .collect()
    }

    /// Node counts per level.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for n in self.iter() {
            match self.node(n).kind {
                NodeKind::Area => c.areas += 1,
                NodeKind::Task => c.tasks += 1,
                NodeKind::Requirement => c.requirements += 1,
                NodeKind::Document => {}
            }
        }
        c.related_edges = self
            .graph
            .edge_weights()
            .filter(|w| **w == EdgeKind::Related)
            .count();
        c
    }

    /// Graphviz DOT text: one box per node labelled with id and title,
    /// containment as solid edges, extra edges dashed.
    pub fn to_dot(&self) -> String {
        let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let mut out = String::from(
            "digraph taxonomy {\n  rankdir=LR;\n  node [shape=box, fontname=\"Noto Sans CJK SC\"];\n",
        );
        let root = self.node(self.root());
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\"];",
            esc(&root.id),
            esc(&root.title)
        );
        for n in self.iter() {
            let node = self.node(n);
            let _ = writeln!(
                out,
                "  \"{}\" [label=\"{} {}\"];",
                esc(&node.id),
                esc(&node.id),
                esc(&node.title)
            );
        }
        for e in self.graph.edge_references() {
            let (a, b) = (&self.graph[e.source()].id, &self.graph[e.target()].id);
            let style = match e.weight() {
                EdgeKind::Contains => "",
                EdgeKind::Related => " [style=dashed, label=\"related\"]",
            };
            let _ = writeln!(out, "  \"{}\" -> \"{}\"{style};", esc(a), esc(b));
        }
        out.push_str("}\n");
        out
    }
}
