//! The taxonomy file format (TOML or JSON): the records a file holds.
//!
//! ```toml
//! [document]
//! id = "national-2017"
//! title = "2017年政务公开工作要点"
//! seeds = ["004_6c8f8c4c595500ac.txt"]
//!
//! [[node]]
//! id = "1"
//! kind = "area"
//! title = "以政务公开助力稳增长"
//!
//! [[node]]
//! id = "1.1"
//! kind = "task"
//! title = "加强预期引导"
//!
//! [[node]]
//! id = "1.1.1"
//! kind = "requirement"
//! title = "宏观政策解读"
//! text = "围绕出台的积极财政政策……深入解读政策背景、依据、目标任务"
//! seeds = ["004_6c8f8c4c595500ac.txt"]
//!
//! [[edge]]
//! from = "1.1.1"
//! to = "6.2"
//! kind = "related"
//! ```
//!
//! A node's `parent` defaults to its id without the last dotted part; give
//! it explicitly for ids of another scheme.

use serde::{Deserialize, Serialize};

use super::node::{EdgeKind, NodeKind};
use crate::date::Date;

/// The `[document]` table: what the taxonomy is of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyMeta {
    /// Short id of the national document, e.g. `national-2017`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Issuing body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Document number (文号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Issue date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The seed files requirements may cite; empty means unchecked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seeds: Vec<String>,
}

/// One `[[node]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeRecord {
    /// Dotted id.
    pub id: String,
    /// `area`, `task` or `requirement`.
    pub kind: NodeKind,
    /// Parent id; derived from the id when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Short title.
    #[serde(default)]
    pub title: String,
    /// Canonical text.
    #[serde(default)]
    pub text: String,
    /// Keywords and aliases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Supporting seed files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seeds: Vec<String>,
}

/// One `[[edge]]` entry: an extra, non-containment edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeRecord {
    /// Source id.
    pub from: String,
    /// Target id.
    pub to: String,
    /// Edge kind (`related`).
    pub kind: EdgeKind,
}

/// The whole file: what (de)serializes losslessly to TOML and JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyFile {
    /// Document metadata.
    pub document: TaxonomyMeta,
    /// Nodes in document order.
    #[serde(default)]
    pub node: Vec<NodeRecord>,
    /// Extra edges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edge: Vec<EdgeRecord>,
}
