//! No module of the project's own crates imports from a module that
//! imports it (issue 21): the modules of each crate form an acyclic
//! graph, and no file of the project's own code is over 800 lines.
//!
//! A module depends on another when its code names an item defined there:
//! through a `use` or a qualified path (`crate::a::B`, `super::B`,
//! `child::B`), followed through re-exports to the module that defines
//! the item. The crate root's re-exports are the crate's facade and add
//! no edge; `#[cfg(test)]` modules are left out (a test may look
//! anywhere). Files are parsed with `syn`, so the graph is that of the
//! code, not of a text search.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// A module: its path from the crate root (`[]` for the root), the items
/// it defines, and the names its `use` items bind.
#[derive(Debug, Default)]
struct Module {
    file: PathBuf,
    children: BTreeSet<String>,
    items: BTreeSet<String>,
    /// Name bound by a `use` → the path it names (absolute segments,
    /// `crate`/`super`/`self` already resolved).
    uses: BTreeMap<String, Vec<String>>,
    /// Paths named by the module's code (uses and qualified paths), as
    /// written (resolved against the module later).
    refs: Vec<Vec<String>>,
}

type Tree = BTreeMap<Vec<String>, Module>;

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// The file of module `name` declared in `file` (whose own module folder
/// is `dir`): `dir/name.rs` or `dir/name/mod.rs`, or a `#[path]` (relative
/// to the folder of the declaring file).
fn child_file(file: &Path, dir: &Path, name: &str, attrs: &[syn::Attribute]) -> Option<PathBuf> {
    for a in attrs {
        if a.path().is_ident("path")
            && let syn::Meta::NameValue(nv) = &a.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            return Some(file.parent()?.join(s.value()));
        }
    }
    [
        dir.join(format!("{name}.rs")),
        dir.join(name).join("mod.rs"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// Flattens a use tree into (bound name, path) pairs; a glob binds `*`.
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(String, Vec<String>)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last() {
                    out.push((last.clone(), prefix.clone()));
                }
            } else {
                let mut p = prefix.clone();
                p.push(name.clone());
                out.push((name, p));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut p = prefix.clone();
            p.push(r.ident.to_string());
            out.push((r.rename.to_string(), p));
        }
        syn::UseTree::Glob(_) => out.push(("*".into(), prefix.clone())),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_paths(t, prefix, out);
            }
        }
    }
}

/// Collects the qualified paths of a module's code (not of nested
/// modules, which are modules of their own).
struct Paths<'a> {
    out: &'a mut Vec<Vec<String>>,
}

impl<'ast> Visit<'ast> for Paths<'_> {
    fn visit_path(&mut self, p: &'ast syn::Path) {
        if p.segments.len() > 1 {
            self.out
                .push(p.segments.iter().map(|s| s.ident.to_string()).collect());
        }
        syn::visit::visit_path(self, p);
    }
    fn visit_item_mod(&mut self, _: &'ast syn::ItemMod) {}
    fn visit_item_use(&mut self, _: &'ast syn::ItemUse) {}
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // Paths inside macro calls (format!, assert!, vec!, …) are read as
        // expressions when they parse as such.
        if let Ok(args) = m.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        ) {
            for e in &args {
                self.visit_expr(e);
            }
        }
    }
}

fn load(
    tree: &mut Tree,
    path: Vec<String>,
    file: &Path,
    items: &[syn::Item],
    dir: &Path,
    root: bool,
) {
    let mut m = Module {
        file: file.to_path_buf(),
        ..Module::default()
    };
    for item in items {
        let name = match item {
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Fn(i) => Some(&i.sig.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Const(i) => Some(&i.ident),
            syn::Item::Static(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            syn::Item::Macro(i) => i.ident.as_ref(),
            _ => None,
        };
        if let Some(n) = name {
            m.items.insert(n.to_string());
        }
        match item {
            syn::Item::Mod(md) if is_cfg_test(&md.attrs) => {}
            syn::Item::Mod(md) => {
                let name = md.ident.to_string();
                let mut child = path.clone();
                child.push(name.clone());
                m.children.insert(name.clone());
                match &md.content {
                    Some((_, inner)) => load(tree, child, file, inner, &dir.join(&name), false),
                    None => {
                        let f = child_file(file, dir, &name, &md.attrs).unwrap_or_else(|| {
                            panic!("{}: no file for mod {name}", file.display())
                        });
                        let src = std::fs::read_to_string(&f).unwrap();
                        let parsed = syn::parse_file(&src)
                            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                        let sub_dir = if f.file_name().is_some_and(|n| n == "mod.rs") {
                            f.parent().unwrap().to_path_buf()
                        } else {
                            dir.join(&name)
                        };
                        load(tree, child, &f, &parsed.items, &sub_dir, false);
                    }
                }
            }
            syn::Item::Use(u) => {
                let mut pairs = Vec::new();
                use_paths(&u.tree, &mut Vec::new(), &mut pairs);
                let facade = root && !matches!(u.vis, syn::Visibility::Inherited);
                for (name, p) in pairs {
                    if !facade {
                        m.refs.push(p.clone());
                    }
                    if name != "*" {
                        m.uses.insert(name, p);
                    }
                }
            }
            other => {
                let mut v = Paths { out: &mut m.refs };
                v.visit_item(other);
            }
        }
    }
    tree.insert(path, m);
}

/// The module that defines what `p` (as written in module `from`) names,
/// if it is one of the crate's own; None for external paths.
fn resolve(tree: &Tree, from: &[String], p: &[String], depth: usize) -> Option<Vec<String>> {
    if depth > 16 || p.is_empty() {
        return None;
    }
    let mut cur: Vec<String> = match p[0].as_str() {
        "crate" => Vec::new(),
        "self" => from.to_vec(),
        "super" => from[..from.len().saturating_sub(1)].to_vec(),
        first => {
            let m = tree.get(from)?;
            if m.children.contains(first) {
                from.to_vec()
            } else if let Some(bound) = m.uses.get(first) {
                // A path through a name the module imported.
                let mut full = bound.clone();
                full.extend_from_slice(&p[1..]);
                return resolve(tree, from, &full, depth + 1);
            } else {
                return None;
            }
        }
    };
    let mut rest = if matches!(p[0].as_str(), "crate" | "self" | "super") {
        &p[1..]
    } else {
        p
    };
    while let Some(seg) = rest.first() {
        if seg == "super" {
            cur.pop();
            rest = &rest[1..];
            continue;
        }
        let m = tree.get(&cur)?;
        if m.children.contains(seg) {
            cur.push(seg.clone());
            rest = &rest[1..];
        } else if m.items.contains(seg) {
            return Some(cur);
        } else if let Some(bound) = m.uses.get(seg) {
            let mut full = bound.clone();
            full.extend_from_slice(&rest[1..]);
            return resolve(tree, &cur, &full, depth + 1).or(Some(cur));
        } else {
            return Some(cur);
        }
    }
    Some(cur)
}

fn crate_tree(root_file: &Path) -> Tree {
    let src = std::fs::read_to_string(root_file).unwrap();
    let parsed = syn::parse_file(&src).unwrap();
    let mut tree = Tree::new();
    load(
        &mut tree,
        Vec::new(),
        root_file,
        &parsed.items,
        root_file.parent().unwrap(),
        true,
    );
    tree
}

fn name(p: &[String]) -> String {
    if p.is_empty() {
        "crate".into()
    } else {
        p.join("::")
    }
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct S<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on: BTreeSet<&'a Vec<String>>,
        out: Vec<Vec<Vec<String>>>,
    }
    fn go<'a>(s: &mut S<'a>, v: &'a Vec<String>) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                go(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                s.out.push(comp);
            }
        }
    }
    let mut s = S {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            go(&mut s, v);
        }
    }
    s.out
}

fn roots() -> Vec<PathBuf> {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![top.join("src/lib.rs")];
    let mut crates: Vec<PathBuf> = std::fs::read_dir(top.join("crates"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    crates.sort();
    for c in crates {
        for f in ["src/lib.rs", "src/main.rs"] {
            if c.join(f).is_file() {
                out.push(c.join(f));
            }
        }
    }
    out
}

/// The dependency edges of one crate, each with a path that makes it.
fn edges_of(tree: &Tree) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (path, m) in tree {
        let e = edges.entry(path.clone()).or_default();
        for r in &m.refs {
            if let Some(to) = resolve(tree, path, r, 0)
                && &to != path
            {
                e.insert(to);
            }
        }
    }
    edges
}

#[test]
fn module_graphs_are_acyclic() {
    let mut report = Vec::new();
    let mut modules = 0;
    for root in roots() {
        let tree = crate_tree(&root);
        modules += tree.len();
        let edges = edges_of(&tree);
        for comp in cycles(&edges) {
            let set: BTreeSet<&Vec<String>> = comp.iter().collect();
            let mut lines = Vec::new();
            for v in &comp {
                for w in edges[v].iter().filter(|w| set.contains(w)) {
                    lines.push(format!(
                        "    {} ({}) -> {}",
                        name(v),
                        tree[v].file.display(),
                        name(w)
                    ));
                }
            }
            report.push(format!(
                "{}: modules {{{}}} import each other:\n{}",
                root.display(),
                comp.iter().map(|p| name(p)).collect::<Vec<_>>().join(", "),
                lines.join("\n")
            ));
        }
    }
    assert!(
        modules > 40,
        "only {modules} modules found: the walk is broken"
    );
    assert!(report.is_empty(), "import cycles:\n{}", report.join("\n"));
}

/// The checker itself finds a cycle: two modules naming each other's
/// items, through `use`, `super` and a re-export.
#[test]
fn a_planted_cycle_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("lib.rs"),
        "mod a;\nmod b;\nmod leaf;\npub use a::A;\n",
    )
    .unwrap();
    std::fs::write(d.join("a.rs"), "use crate::b::B;\npub struct A(B);\n").unwrap();
    std::fs::write(
        d.join("b.rs"),
        "pub struct B;\nfn f() -> crate::A { todo!() }\nfn g() -> super::leaf::L { todo!() }\n",
    )
    .unwrap();
    std::fs::write(d.join("leaf.rs"), "pub struct L;\n").unwrap();
    let tree = crate_tree(&d.join("lib.rs"));
    let edges = edges_of(&tree);
    let found = cycles(&edges);
    assert_eq!(found.len(), 1, "{edges:?}");
    let comp: BTreeSet<String> = found[0].iter().map(|p| name(p)).collect();
    assert_eq!(comp, BTreeSet::from(["a".to_string(), "b".to_string()]));
    assert!(edges[&vec!["b".to_string()]].contains(&vec!["leaf".to_string()]));
}

#[test]
fn no_source_file_over_800_lines() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut long = Vec::new();
    let mut stack = vec![
        top.join("src"),
        top.join("crates"),
        top.join("examples"),
        top.join("benches"),
        top.join("tests"),
    ];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let n = std::fs::read_to_string(&p).unwrap().lines().count();
                if n > 800 {
                    long.push(format!("{} ({n} lines)", p.display()));
                }
            }
        }
    }
    assert!(long.is_empty(), "files over 800 lines: {long:?}");
}
