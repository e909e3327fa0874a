//! Loading, validating and saving a taxonomy in its file form (TOML or
//! JSON; the records are in `records`, with an example).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use petgraph::algo::toposort;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeFiltered;

use super::graph::Taxonomy;
use super::node::{EdgeKind, Node, NodeKind};
use super::records::{EdgeRecord, NodeRecord, TaxonomyFile};
use crate::error::{Error, Result, TaxonomyProblem};

impl PartialEq for Taxonomy {
    fn eq(&self, other: &Self) -> bool {
        self.to_file() == other.to_file()
    }
}

fn derived_parent(id: &str) -> Option<&str> {
    id.rfind('.').map(|i| &id[..i])
}

fn id_is_wellformed(id: &str) -> bool {
    !id.is_empty()
        && !id.chars().any(char::is_whitespace)
        && !id.starts_with('.')
        && !id.ends_with('.')
        && !id.contains("..")
}

/// The two file formats of taxonomies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// TOML (`taxonomies/*/taxonomy.toml`).
    Toml,
    /// JSON, the same records.
    Json,
}

impl FileFormat {
    /// The format [`Taxonomy::load`] reads the file at `path` as: JSON
    /// when its name ends in `.json` (in any case), else TOML. A file
    /// written in another format than this does not load back.
    pub fn of_path(path: &Path) -> FileFormat {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            FileFormat::Json
        } else {
            FileFormat::Toml
        }
    }

    /// The file name extension of the format (`toml`, `json`).
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Toml => "toml",
            FileFormat::Json => "json",
        }
    }
}

impl Taxonomy {
    /// The embedded national taxonomy of 《2017年政务公开工作要点》
    /// (国办发〔2017〕24号), rebuilt from the seed documents: 6 areas, 23
    /// tasks and their requirements. The data file is
    /// `taxonomies/national_2017/taxonomy.toml` (the national 2017 pack,
    /// embedded at build time).
    pub fn national_2017() -> Taxonomy {
        const DATA: &str = include_str!("../../../../taxonomies/national_2017/taxonomy.toml");
        match Taxonomy::from_toml_str(DATA) {
            Ok(t) => t,
            // The data file is checked by the crate's tests; this cannot
            // happen in a released build.
            Err(e) => unreachable!("embedded national_2017.toml is invalid: {e}"),
        }
    }

    /// Reads a taxonomy file; `.json` files are JSON, anything else TOML.
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::Parse`] (with the line) or [`Error::Taxonomy`]
    /// naming the node and the broken rule.
    pub fn load(path: impl AsRef<Path>) -> Result<Taxonomy> {
        let path = path.as_ref();
        let text = crate::error::read_text(path)?;
        let parsed = match FileFormat::of_path(path) {
            FileFormat::Json => Self::from_json_str(&text),
            FileFormat::Toml => Self::from_toml_str(&text),
        };
        parsed.map_err(|e| e.with_path(path))
    }

    /// The taxonomy as a file of `format` ([`Taxonomy::to_toml_string`],
    /// or [`Taxonomy::to_json_string`] with a final line break).
    pub fn to_string_as(&self, format: FileFormat) -> String {
        match format {
            FileFormat::Toml => self.to_toml_string(),
            FileFormat::Json => self.to_json_string() + "\n",
        }
    }

    /// Parses TOML taxonomy text.
    ///
    /// # Errors
    /// As [`Taxonomy::load`].
    pub fn from_toml_str(text: &str) -> Result<Taxonomy> {
        let file: TaxonomyFile =
            toml::from_str(text).map_err(|e| crate::manifest::toml_error(text, &e))?;
        Self::from_file(file)
    }

    /// Parses JSON taxonomy text.
    ///
    /// # Errors
    /// As [`Taxonomy::load`].
    pub fn from_json_str(text: &str) -> Result<Taxonomy> {
        let file: TaxonomyFile = serde_json::from_str(text).map_err(|e| Error::Parse {
            path: PathBuf::from("<string>"),
            line: e.line(),
            message: e.to_string(),
        })?;
        Self::from_file(file)
    }

    /// Serializes to TOML (lossless: [`Taxonomy::from_toml_str`] reads it
    /// back equal).
    pub fn to_toml_string(&self) -> String {
        // Serializing plain records of strings and vectors cannot fail.
        toml::to_string_pretty(&self.to_file()).unwrap_or_default()
    }

    /// Serializes to pretty JSON (lossless).
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(&self.to_file()).unwrap_or_default()
    }

    /// The file form of this taxonomy: nodes in document order, parents
    /// explicit only where they differ from the derived one.
    pub fn to_file(&self) -> TaxonomyFile {
        let node = self
            .iter()
            .map(|n| {
                let node = self.node(n);
                let parent_id = self
                    .parent(n)
                    .filter(|p| p.0 != self.root)
                    .map(|p| self.node(p).id.clone());
                let parent = match (&parent_id, derived_parent(&node.id)) {
                    (Some(p), Some(d)) if p == d => None,
                    (None, None) => None,
                    (p, _) => Some(p.clone().unwrap_or_default()),
                };
                NodeRecord {
                    id: node.id.clone(),
                    kind: node.kind,
                    parent,
                    title: node.title.clone(),
                    text: node.text.clone(),
                    keywords: node.keywords.clone(),
                    seeds: node.seeds.clone(),
                }
            })
            .collect();
        let mut edge: Vec<EdgeRecord> = self
            .iter()
            .flat_map(|n| {
                self.related(n)
                    .into_iter()
                    .map(move |(kind, to)| EdgeRecord {
                        from: self.node(n).id.clone(),
                        to: self.node(to).id.clone(),
                        kind,
                    })
            })
            .collect();
        edge.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        TaxonomyFile {
            document: self.meta.clone(),
            node,
            edge,
        }
    }

    /// Builds and validates a taxonomy from its file form.
    ///
    /// # Errors
    /// [`Error::Taxonomy`] naming the node and the rule: duplicate or
    /// malformed id, missing parent, wrong level, empty text, unknown seed,
    /// unknown edge target, cycle through extra edges.
    pub fn from_file(file: TaxonomyFile) -> Result<Taxonomy> {
        let fail = |id: &str, problem| Error::Taxonomy {
            path: PathBuf::from("<string>"),
            id: id.to_string(),
            problem,
        };
        let TaxonomyFile {
            document,
            node,
            edge,
        } = file;
        let mut graph = DiGraph::new();
        let root = graph.add_node(Node {
            id: document.id.clone(),
            kind: NodeKind::Document,
            title: document.title.clone(),
            text: String::new(),
            keywords: Vec::new(),
            seeds: Vec::new(),
        });
        let declared: HashSet<&str> = document.seeds.iter().map(String::as_str).collect();
        let mut by_id: HashMap<String, NodeIndex> = HashMap::new();
        for rec in &node {
            if !id_is_wellformed(&rec.id) {
                return Err(fail(&rec.id, TaxonomyProblem::MalformedId));
            }
            if rec.kind == NodeKind::Document {
                return Err(fail(
                    &rec.id,
                    TaxonomyProblem::WrongLevel {
                        kind: "document",
                        expected: "nothing (it is the root)",
                        found: "a node",
                    },
                ));
            }
            if by_id.contains_key(&rec.id) || rec.id == document.id {
                return Err(fail(&rec.id, TaxonomyProblem::DuplicateId));
            }
            let (what, value) = if rec.kind == NodeKind::Requirement {
                ("text", &rec.text)
            } else {
                ("title", &rec.title)
            };
            if value.trim().is_empty() {
                return Err(fail(&rec.id, TaxonomyProblem::Empty(what)));
            }
            if !declared.is_empty()
                && let Some(s) = rec.seeds.iter().find(|s| !declared.contains(s.as_str()))
            {
                return Err(fail(&rec.id, TaxonomyProblem::UnknownSeed(s.clone())));
            }
            let ix = graph.add_node(Node {
                id: rec.id.clone(),
                kind: rec.kind,
                title: rec.title.clone(),
                text: rec.text.clone(),
                keywords: rec.keywords.clone(),
                seeds: rec.seeds.clone(),
            });
            by_id.insert(rec.id.clone(), ix);
        }
        // Containment edges, with level checks.
        for rec in &node {
            let child = by_id[&rec.id];
            let parent_id = rec.parent.as_deref().or_else(|| derived_parent(&rec.id));
            let parent = match parent_id {
                None | Some("") => root,
                Some(p) => *by_id
                    .get(p)
                    .ok_or_else(|| fail(&rec.id, TaxonomyProblem::MissingParent(p.to_string())))?,
            };
            let expected = rec.kind.parent_kind().unwrap_or(NodeKind::Document);
            let found = graph[parent].kind;
            if found != expected {
                return Err(fail(
                    &rec.id,
                    TaxonomyProblem::WrongLevel {
                        kind: rec.kind.as_str(),
                        expected: expected.as_str(),
                        found: found.as_str(),
                    },
                ));
            }
            graph.add_edge(parent, child, EdgeKind::Contains);
        }
        for e in &edge {
            let from = *by_id
                .get(&e.from)
                .ok_or_else(|| fail(&e.from, TaxonomyProblem::MissingParent(e.from.clone())))?;
            let to = *by_id
                .get(&e.to)
                .ok_or_else(|| fail(&e.from, TaxonomyProblem::UnknownEdgeTarget(e.to.clone())))?;
            if e.kind == EdgeKind::Contains {
                return Err(fail(
                    &e.from,
                    TaxonomyProblem::WrongLevel {
                        kind: "edge",
                        expected: "kind = \"related\"",
                        found: "contains",
                    },
                ));
            }
            graph.add_edge(from, to, e.kind);
        }
        let extra = EdgeFiltered::from_fn(&graph, |e| *e.weight() != EdgeKind::Contains);
        if let Err(cycle) = toposort(&extra, None) {
            return Err(fail(&graph[cycle.node_id()].id, TaxonomyProblem::Cycle));
        }
        // Document order: pre-order over containment, children in file order.
        let file_pos: HashMap<NodeIndex, usize> = node
            .iter()
            .enumerate()
            .map(|(i, r)| (by_id[&r.id], i))
            .collect();
        let mut order = Vec::with_capacity(node.len());
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if n != root {
                order.push(n);
            }
            let mut kids: Vec<NodeIndex> = graph
                .edges_directed(n, petgraph::Direction::Outgoing)
                .filter(|e| *e.weight() == EdgeKind::Contains)
                .map(|e| petgraph::visit::EdgeRef::target(&e))
                .collect();
            kids.sort_by_key(|k| std::cmp::Reverse(file_pos[k]));
            stack.extend(kids);
        }
        let mut position = vec![usize::MAX; graph.node_count()];
        for (i, n) in order.iter().enumerate() {
            position[n.index()] = i;
        }
        Ok(Taxonomy {
            meta: document,
            graph,
            root,
            by_id,
            order,
            position,
        })
    }
}
