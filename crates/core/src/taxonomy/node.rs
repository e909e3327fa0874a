//! The taxonomy's nodes and edges as plain data.

use serde::{Deserialize, Serialize};

/// A node's place in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// The national document itself: the root.
    Document,
    /// A policy area (一、以政务公开助力稳增长).
    Area,
    /// A task within an area ((一) 加强预期引导).
    Task,
    /// One concrete requirement sentence of a task.
    Requirement,
}

impl NodeKind {
    /// The lowercase name used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Document => "document",
            NodeKind::Area => "area",
            NodeKind::Task => "task",
            NodeKind::Requirement => "requirement",
        }
    }

    /// The kind a node of this kind must hang under.
    pub fn parent_kind(self) -> Option<NodeKind> {
        match self {
            NodeKind::Document => None,
            NodeKind::Area => Some(NodeKind::Document),
            NodeKind::Task => Some(NodeKind::Area),
            NodeKind::Requirement => Some(NodeKind::Task),
        }
    }
}

/// The kind of an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// Parent contains child (the hierarchy).
    Contains,
    /// A requirement that regions also file under the target node.
    Related,
}

/// One node of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// The dotted id (`1.1.2`); the root's id is the document id.
    pub id: String,
    /// Area, task, requirement (or the document root).
    pub kind: NodeKind,
    /// A short title (the task name for tasks).
    pub title: String,
    /// The canonical text: for a requirement, one national requirement
    /// sentence with regional words neutralized.
    pub text: String,
    /// Words and phrases regions use for this node.
    pub keywords: Vec<String>,
    /// The seed files that state this requirement.
    pub seeds: Vec<String>,
}
