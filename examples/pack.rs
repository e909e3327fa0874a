//! Builds a taxonomy pack from the outline text of a national document:
//! its headings `一、` (areas) and `（一）` (tasks), each sentence after a
//! task heading a requirement. The pack is written to `OUT/ID/`
//! (`taxonomy.toml`, the outline as `outline.txt`, a `README.md`), never
//! over an existing folder; documents whose manifest entry names the
//! taxonomy `ID` (or whose year is `YYYY` for an id `national_YYYY`) are
//! then aligned against it by the coverage command.
//!
//! ```text
//! cargo run --example pack -- --outline key_points_2018.txt --id national_2018 --out taxonomies
//! cargo run --release --example coverage -- --manifest corpus/regions.toml --packs taxonomies
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use luoshi::luoshi_align::Pack;
use luoshi_cli::{out, outln};

#[derive(Parser)]
#[command(about = "Build a luoshi taxonomy pack from a national document's outline text")]
struct Args {
    /// The outline text (UTF-8): the national document's headings and
    /// sentences; its first line before the first heading is the title.
    #[arg(long)]
    outline: PathBuf,
    /// The pack id, used as its folder name and in manifests
    /// (`taxonomy = "ID"`): letters, digits, `_` and `-`, e.g. national_2018.
    #[arg(long)]
    id: String,
    /// The packs folder the pack is written into (as OUT/ID).
    #[arg(long, default_value = "taxonomies")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let pack = match Pack::build(&args.out, &args.id, &args.outline) {
        Ok(p) => p,
        Err(e) => return out::fail(&e),
    };
    let counts = pack.taxonomy().counts();
    outln!(
        "wrote the pack {} ({}: {} areas, {} tasks, {} requirements) to {}",
        pack.id(),
        pack.taxonomy().meta().title,
        counts.areas,
        counts.tasks,
        counts.requirements,
        args.out.join(&args.id).display()
    );
    ExitCode::SUCCESS
}
