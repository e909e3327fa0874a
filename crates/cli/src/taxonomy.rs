//! `luoshi taxonomy`: show, export and build taxonomies.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use luoshi::luoshi_core::taxonomy::{FileFormat, TaxonomyMeta};
use luoshi::luoshi_core::{NodeKind, Taxonomy};

use crate::error::Error;
use crate::outln;

/// Options of `luoshi taxonomy`.
#[derive(clap::Args)]
#[command(
    about = "Show, export or build a taxonomy (the national document's areas, tasks and requirements)",
    long_about = "Show, export or build a taxonomy: the tree of a national document's areas \
        (一、), tasks (（一）) and requirements (their sentences), with dotted ids (1, 1.1, \
        1.1.1) that the coverage tables use. luoshi embeds the State Council's 2017 key \
        points (national-2017); a taxonomy file (TOML, or JSON by extension) can replace \
        it in `coverage --taxonomy` and `ingest --taxonomy`.",
    after_long_help = "EXIT CODES:\n    \
        0  success\n    \
        1  an error (an unreadable or invalid taxonomy or outline, an output file that \
        exists)\n    \
        2  a wrong command line\n\n\
        EXAMPLES:\n    \
        luoshi taxonomy show\n    \
        luoshi taxonomy export --format toml --out my_taxonomy.toml\n    \
        luoshi taxonomy build --outline key_points_2018.txt --id national-2018 --out national_2018.toml"
)]
pub struct TaxonomyArgs {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Show(ShowArgs),
    Export(ExportArgs),
    Build(BuildArgs),
    Pack(PackArgs),
}

/// Options of `luoshi taxonomy show`.
#[derive(clap::Args)]
#[command(
    about = "Print a taxonomy as an indented tree",
    long_about = "Print a taxonomy as an indented tree.\n\n\
        Reads the embedded national 2017 taxonomy, or the file given with --taxonomy (TOML, \
        or JSON by extension), and writes to standard output its title and id, one line per \
        area, task (their titles) and requirement (its text), indented by depth, and the \
        counts of areas, tasks and requirements.",
    after_long_help = "EXIT CODES:\n    \
        0  printed\n    \
        1  the taxonomy file cannot be read or is invalid (the message names the file, \
        line or node)\n    \
        2  a wrong command line\n\n\
        EXAMPLES:\n    \
        luoshi taxonomy show\n    \
        luoshi taxonomy show --taxonomy national_2018.toml | less"
)]
struct ShowArgs {
    /// A taxonomy file (TOML, or JSON by extension) instead of the embedded one.
    #[arg(long)]
    taxonomy: Option<PathBuf>,
}

/// A file format of taxonomies.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// TOML, as `--taxonomy` reads it.
    Toml,
    /// JSON, as `--taxonomy` reads it (from a file ending in `.json`).
    Json,
}

impl From<Format> for FileFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Toml => FileFormat::Toml,
            Format::Json => FileFormat::Json,
        }
    }
}

/// The format `--out` is written in: `--format` when given, else the one
/// `--taxonomy` reads the file as (JSON for a name ending in `.json`, else
/// TOML). A `--format` the file would not be read back as is refused.
fn export_format(format: Option<Format>, out: &Path) -> Result<FileFormat, Error> {
    let read_as = FileFormat::of_path(out);
    let format = format.map_or(read_as, FileFormat::from);
    if format == read_as {
        return Ok(format);
    }
    let why = match read_as {
        FileFormat::Json => "a file whose name ends in .json is read back as JSON",
        FileFormat::Toml => "a file whose name does not end in .json is read back as TOML",
    };
    Err(Error::Usage {
        message: format!(
            "--format {} with --out {}: {why}, so the export would not load; name it {} or leave out --format",
            format.extension(),
            out.display(),
            out.with_extension(format.extension()).display()
        ),
    })
}

/// Options of `luoshi taxonomy export`.
#[derive(clap::Args)]
#[command(
    about = "Write a taxonomy to a TOML or JSON file",
    long_about = "Write a taxonomy to a TOML or JSON file that --taxonomy reads back, so it can \
        be edited (keywords, requirement texts) and used again.\n\n\
        Reads the embedded national 2017 taxonomy, or the file given with --taxonomy, and \
        writes the file --out, in the format --taxonomy reads it back as: JSON when its name \
        ends in .json, else TOML (--format, when given, must agree). An existing file is \
        never replaced unless --force is given.",
    after_long_help = "EXIT CODES:\n    \
        0  written\n    \
        1  the output file exists (without --force) or cannot be written, or the input \
        taxonomy is invalid\n    \
        2  a wrong command line (a --format that the name of --out contradicts)\n\n\
        EXAMPLES:\n    \
        luoshi taxonomy export --out my_taxonomy.toml\n    \
        luoshi taxonomy export --format json --out national_2017.json"
)]
struct ExportArgs {
    /// A taxonomy file (TOML, or JSON by extension) instead of the embedded one.
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    /// The format written (default: by the name of --out, JSON for
    /// `.json`, else TOML). `--taxonomy` tells JSON from TOML by the file
    /// name, so a format the name does not say is refused (exit code 2).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The file written.
    #[arg(long)]
    out: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
}

/// Options of `luoshi taxonomy build`.
#[derive(clap::Args)]
#[command(
    about = "Build a taxonomy from the outline text of a national document",
    long_about = "Build a taxonomy from the outline text of a national document.\n\n\
        Reads the outline text (the national document as plain text in UTF-8, UTF-16, \
        GB18030 or Big5): the first heading style met (usually 一、) marks areas, the next \
        deeper one (usually （一）) marks tasks; a task heading's title runs to its first \
        sentence end, and every sentence after it, up to the next task or area, becomes a \
        requirement. Ids are given in order (1, 1.1, 1.1.1); text before the first area is \
        skipped. Writes the taxonomy to --out: JSON when the name ends in .json, else TOML \
        (the rule --taxonomy reads by). An existing file is never replaced unless --force \
        is given.",
    after_long_help = "EXIT CODES:\n    \
        0  written\n    \
        1  the outline cannot be read or has no area headings, a task without sentences \
        (the message names the file and line), or the output file exists\n    \
        2  a wrong command line\n\n\
        EXAMPLES:\n    \
        luoshi taxonomy build --outline key_points_2018.txt --id national-2018 \\\n        \
        --title '2018年政务公开工作要点' --out national_2018.toml\n    \
        luoshi taxonomy show --taxonomy national_2018.toml"
)]
struct BuildArgs {
    /// The outline text of the national document.
    #[arg(long)]
    outline: PathBuf,
    /// A short id for the taxonomy, e.g. `national-2018`.
    #[arg(long)]
    id: String,
    /// The document's title (default: the id).
    #[arg(long)]
    title: Option<String>,
    /// The file written (JSON when it ends in `.json`, else TOML).
    #[arg(long)]
    out: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
}

/// Options of `luoshi taxonomy pack`.
#[derive(clap::Args)]
#[command(
    about = "Build a taxonomy pack (a folder the coverage command reads) from an outline text",
    long_about = "Build a taxonomy pack from the outline text of a national document.\n\n\
        A pack is a folder PACKS/ID holding the taxonomy (taxonomy.toml, read from the \
        outline as `luoshi taxonomy build` reads it), the outline itself (outline.txt) and a \
        README.md saying how it was made. `luoshi coverage` aligns a manifest document with \
        the pack its `taxonomy` key names, or with national_YEAR for a document of that year \
        when such a pack exists. A new pack has no decision data of its own: it aligns with \
        the national 2017 decision model (its features name no task) and an empty learned \
        vocabulary until `calibrate --fit` writes decision.toml and vocabulary.toml into it. \
        The taxonomy's title is the outline's first line before its first heading (else the \
        id). An existing PACKS/ID is never touched.",
    after_long_help = "EXIT CODES:\n    \
        0  written\n    \
        1  the outline cannot be read or gives no taxonomy (the message names the file and \
        line), the id is not a pack id (letters, digits, _ and -), or the pack exists\n    \
        2  a wrong command line\n\n\
        EXAMPLES:\n    \
        luoshi taxonomy pack --outline key_points_2018.txt --id national_2018\n    \
        luoshi coverage --manifest corpus.toml --packs taxonomies --out out"
)]
struct PackArgs {
    /// The outline text of the national document.
    #[arg(long)]
    outline: PathBuf,
    /// The pack's id and folder name, e.g. `national_2018` (the default
    /// pack of documents whose manifest year is 2018).
    #[arg(long)]
    id: String,
    /// The folder of packs the new pack goes into.
    #[arg(long, default_value = "taxonomies")]
    packs: PathBuf,
}

/// Runs a taxonomy subcommand.
pub fn run(args: TaxonomyArgs) -> Result<u8, Error> {
    match args.command {
        Command::Show(a) => show(&load(a.taxonomy.as_deref())?),
        Command::Export(a) => {
            let format = export_format(a.format, &a.out)?;
            let t = load(a.taxonomy.as_deref())?;
            write_new(&a.out, &t.to_string_as(format), a.force)?;
            outln!("wrote {} ({})", a.out.display(), counts(&t));
        }
        Command::Build(a) => {
            let meta = TaxonomyMeta {
                id: a.id.clone(),
                title: a.title.unwrap_or(a.id),
                issuer: None,
                number: None,
                date: None,
                seeds: Vec::new(),
            };
            let t = Taxonomy::load_outline(&a.outline, meta)?;
            let text = t.to_string_as(FileFormat::of_path(&a.out));
            write_new(&a.out, &text, a.force)?;
            outln!("wrote {} ({})", a.out.display(), counts(&t));
        }
        Command::Pack(a) => {
            let pack = luoshi::luoshi_align::Pack::build(&a.packs, &a.id, &a.outline)?;
            outln!(
                "wrote pack {} ({})",
                a.packs.join(&a.id).display(),
                counts(pack.taxonomy())
            );
        }
    }
    Ok(0)
}

fn load(path: Option<&Path>) -> Result<Taxonomy, Error> {
    Ok(match path {
        Some(p) => Taxonomy::load(p)?,
        None => Taxonomy::national_2017(),
    })
}

fn counts(t: &Taxonomy) -> String {
    let c = t.counts();
    format!(
        "{} areas, {} tasks, {} requirements",
        c.areas, c.tasks, c.requirements
    )
}

fn show(t: &Taxonomy) {
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
    outln!("{}", counts(t));
}

/// Writes `text` to `path`: a new file, or with `force` over an existing
/// one. Without `force` the file is created only if absent (checked by the
/// file system when it is created, so a file appearing meanwhile is kept).
fn write_new(path: &Path, text: &str, force: bool) -> Result<(), Error> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Exists {
                path: path.to_path_buf(),
            }
        } else {
            Error::Write {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })
}
