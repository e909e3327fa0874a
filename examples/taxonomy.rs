//! Prints a taxonomy: the embedded national 2017 one, or a file given with
//! `--taxonomy`, as an indented outline (default), TOML or JSON (the
//! formats `--taxonomy` reads back, so an export can be edited and loaded
//! again), or DOT.
//!
//! ```text
//! cargo run --example taxonomy
//! cargo run --example taxonomy -- --format toml > my_taxonomy.toml
//! cargo run --example taxonomy -- --format json > national_2017.json
//! cargo run --example taxonomy -- --format dot | dot -Tsvg > taxonomy.svg
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use luoshi::luoshi_core::{NodeKind, Taxonomy};
use luoshi_cli::{out, outln};

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// An indented outline for reading.
    Outline,
    /// TOML, as `--taxonomy` reads it.
    Toml,
    /// JSON, as `--taxonomy` reads it (a file ending in `.json`).
    Json,
    /// Graphviz DOT.
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

fn main() -> ExitCode {
    let args = Args::parse();
    let t = match &args.taxonomy {
        Some(p) => match Taxonomy::load(p) {
            Ok(t) => t,
            Err(e) => return out::fail(&e),
        },
        None => Taxonomy::national_2017(),
    };
    match args.format {
        Format::Outline => {
            outln!("{} ({})", t.meta().title, t.meta().id);
            for n in t.iter() {
                let node = t.node(n);
                let depth = t.path(n).len();
                let label = if node.kind == NodeKind::Requirement {
                    &node.text
                } else {
                    &node.title
                };
                outln!("{}{} {}", "  ".repeat(depth), node.id, label);
            }
            let c = t.counts();
            outln!(
                "{} areas, {} tasks, {} requirements",
                c.areas,
                c.tasks,
                c.requirements
            );
        }
        Format::Toml => outln!("{}", t.to_toml_string().trim_end()),
        Format::Json => outln!("{}", t.to_json_string()),
        Format::Dot => outln!("{}", t.to_dot().trim_end()),
    }
    ExitCode::SUCCESS
}
