//! Prints a taxonomy: the embedded national 2017 one, or a file given with
//! `--taxonomy`, as an indented outline (default), JSON or DOT.
//!
//! ```text
//! cargo run --example taxonomy
//! cargo run --example taxonomy -- --format json > national_2017.json
//! cargo run --example taxonomy -- --format dot | dot -Tsvg > taxonomy.svg
//! ```

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use luoshi::luoshi_core::{NodeKind, Taxonomy};
use serde::Serialize;

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Outline,
    Json,
    Dot,
}

#[derive(Parser)]
#[command(about = "Print a luoshi taxonomy")]
struct Args {
    /// A taxonomy file (TOML, or JSON by extension) instead of the embedded one.
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "outline")]
    format: Format,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    kind: &'static str,
    parent: Option<&'a str>,
    title: &'a str,
    text: &'a str,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let t = match &args.taxonomy {
        Some(p) => Taxonomy::load(p)?,
        None => Taxonomy::national_2017(),
    };
    match args.format {
        Format::Outline => {
            println!("{} ({})", t.meta().title, t.meta().id);
            for n in t.iter() {
                let node = t.node(n);
                let depth = t.path(n).len();
                let label = if node.kind == NodeKind::Requirement {
                    &node.text
                } else {
                    &node.title
                };
                println!("{}{} {}", "  ".repeat(depth), node.id, label);
            }
            let c = t.counts();
            println!(
                "{} areas, {} tasks, {} requirements",
                c.areas, c.tasks, c.requirements
            );
        }
        Format::Json => {
            let nodes: Vec<JsonNode> = t
                .iter()
                .map(|n| {
                    let node = t.node(n);
                    JsonNode {
                        id: &node.id,
                        kind: node.kind.as_str(),
                        parent: t
                            .parent(n)
                            .filter(|&p| p != t.root())
                            .map(|p| t.node(p).id.as_str()),
                        title: &node.title,
                        text: &node.text,
                    }
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&nodes)?);
        }
        Format::Dot => print!("{}", t.to_dot()),
    }
    Ok(())
}
