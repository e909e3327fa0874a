//! `luoshi ingest`: the items of one or more documents (as the `ingest`
//! example).

use std::path::PathBuf;

use clap::ValueEnum;
use luoshi::inspect::{header, item_line, meta_for};
use luoshi::luoshi_core::ingest::ingest_file;
use luoshi::luoshi_core::{IngestOptions, Taxonomy};

use crate::error::Error;
use crate::outln;

/// An item kind to show.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// Requirement statements (what the aligner aligns).
    Requirement,
    /// Headings.
    Heading,
    /// Boilerplate (preamble, signatures, notes).
    Boilerplate,
    /// Repeats of an earlier item.
    Duplicate,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Requirement => "requirement",
            Kind::Heading => "heading",
            Kind::Boilerplate => "boilerplate",
            Kind::Duplicate => "duplicate",
        }
    }
}

/// Options of `luoshi ingest`.
#[derive(clap::Args)]
#[command(
    about = "Print the items luoshi finds in regional documents",
    long_about = "Print the items luoshi finds in regional documents, to inspect segmentation.\n\n\
        Reads each FILE (text in UTF-8, UTF-16, GB18030 or Big5, HTML, DOCX or PDF) and the \
        manifest that gives its metadata (--manifest, default: the regions.toml next to the \
        file, if it lists the file), and writes nothing but standard output: per document a \
        header line (`# label (encoding, bytes): items by kind; splices`) and one \
        tab-separated line per item: item id, kind (with the item it repeats), byte span, \
        row number, heading path, units, deadline, and the statement text (the raw text \
        less lifted splices; boilerplate shows its raw text). Area and task titles of the \
        taxonomy are lifted out of statements that a PDF table spliced them into.\n\n\
        A document that cannot be read is reported on stderr and the others are still \
        printed.",
    after_long_help = "EXIT CODES:\n    \
        0  every document was printed\n    \
        1  a document (or the manifest or taxonomy) could not be read; each error is \
        printed once\n    \
        2  a wrong command line\n\n\
        EXAMPLES:\n    \
        luoshi ingest seeds/004_6c8f8c4c595500ac.txt\n    \
        luoshi ingest --kind requirement seeds/*.txt | less"
)]
pub struct IngestArgs {
    /// The documents: text (UTF-8, UTF-16, GB18030, Big5), HTML, DOCX or PDF.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// A manifest to take the documents' metadata from (default: the
    /// `regions.toml` next to each file, if any).
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// A taxonomy file (TOML or JSON) whose titles are lifted out of
    /// statements, instead of the embedded national 2017 one.
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    /// Show only items of this kind.
    #[arg(long, value_enum)]
    kind: Option<Kind>,
}

/// Prints every document; an unreadable one is reported and counted.
pub fn run(args: &IngestArgs) -> Result<u8, Error> {
    let taxonomy = match &args.taxonomy {
        Some(p) => Taxonomy::load(p)?,
        None => Taxonomy::national_2017(),
    };
    let opts = IngestOptions::builder()
        .taxonomy_titles(&taxonomy)
        .build()?;
    let mut failed = 0;
    for file in &args.files {
        let doc = meta_for(file, args.manifest.as_deref())
            .and_then(|meta| Ok(ingest_file(file, meta, &opts)?));
        let doc = match doc {
            Ok(d) => d,
            Err(e) if args.files.len() > 1 => {
                eprintln!("error: {e}");
                failed += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        outln!("{}", header(&doc));
        for item in &doc.items {
            if args.kind.is_none_or(|k| k.as_str() == item.kind.as_str()) {
                outln!("{}", item_line(&doc, item));
            }
        }
    }
    if failed > 0 {
        return Err(Error::Documents {
            failed,
            total: args.files.len(),
        });
    }
    Ok(0)
}
