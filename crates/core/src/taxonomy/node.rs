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

    /// The letter that marks an id of this level in the tables luoshi
    /// writes ([`NodeKind::table_id`]): `A` for an area, `T` for a task,
    /// `R` for a requirement; none for the document.
    pub fn id_letter(self) -> Option<char> {
        match self {
            NodeKind::Document => None,
            NodeKind::Area => Some('A'),
            NodeKind::Task => Some('T'),
            NodeKind::Requirement => Some('R'),
        }
    }

    /// An id of a node of this level as the tables write it: the level's
    /// letter, then the id (`A1`, `T1.10`, `R1.1.2`), so that no reader
    /// takes it for a number (`1.10` read as a number is `1.1`). The
    /// taxonomy files and the library keep the plain id.
    pub fn table_id(self, id: &str) -> String {
        match self.id_letter() {
            Some(letter) => format!("{letter}{id}"),
            None => id.to_string(),
        }
    }

    /// The level a table id's first character marks, and the plain id
    /// after it: `T1.10` → (task, `1.10`); None when it starts with no
    /// level letter.
    pub fn split_table_id(id: &str) -> Option<(NodeKind, &str)> {
        let kind = match id.chars().next()? {
            'A' => NodeKind::Area,
            'T' => NodeKind::Task,
            'R' => NodeKind::Requirement,
            _ => return None,
        };
        Some((kind, &id[1..]))
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
