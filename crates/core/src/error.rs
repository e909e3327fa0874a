//! The one error type of `luoshi-core`.
//!
//! Every variant carries what a researcher needs to fix the input: the file
//! (when there is one), the line or byte offset, and what was expected.

use std::path::PathBuf;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while loading manifests, taxonomies and
/// regional documents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read at all.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// A file is larger than the configured limit; it was not read.
    #[error(
        "{path} is {size} bytes, more than the limit of {limit} bytes (raise `IngestOptions::max_bytes` to read it)"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// The document has no bytes, or only a byte-order mark and whitespace.
    #[error("{path} is empty: expected a text document")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The bytes look like a binary file (NUL or other control bytes).
    #[error(
        "{path} looks binary: control byte 0x{byte:02x} at byte {offset}; expected UTF-8, UTF-16, GB18030 or Big5 text, HTML, DOCX or PDF"
    )]
    Binary {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first offending byte.
        offset: usize,
        /// The offending byte.
        byte: u8,
    },
    /// The bytes are not valid in any supported encoding.
    #[error(
        "{path} cannot be decoded: invalid {encoding} at byte {offset}; expected UTF-8, UTF-16, GB18030 or Big5 text, HTML, DOCX or PDF"
    )]
    Undecodable {
        /// The file.
        path: PathBuf,
        /// The encoding that got furthest before failing.
        encoding: &'static str,
        /// Byte offset where decoding failed.
        offset: usize,
    },
    /// The bytes decode, but the best decoding is implausible: most of its
    /// ideographs are rare or unassigned, the mark of a wrong encoding.
    #[error(
        "{path} decoded as {encoding} gives implausible text: {rare_percent}% of its {judged} ideographs are rare or unassigned; expected UTF-8, UTF-16, GB18030 or Big5 text (convert it to UTF-8)"
    )]
    Implausible {
        /// The file.
        path: PathBuf,
        /// The most plausible encoding tried.
        encoding: &'static str,
        /// Percentage of rare or unassigned characters among those judged.
        rare_percent: u32,
        /// Ideographs (and private-use or C1 characters) judged.
        judged: usize,
    },
    /// The bytes are shaped like UTF-16 without a byte-order mark (NUL
    /// bytes on one side) but do not decode as UTF-16.
    #[error(
        "{path} looks like {encoding} without a byte-order mark but is invalid at byte {offset}; add a BOM or convert it to UTF-8"
    )]
    Utf16WithoutBom {
        /// The file.
        path: PathBuf,
        /// `UTF-16LE` or `UTF-16BE`.
        encoding: &'static str,
        /// Byte offset where decoding failed.
        offset: usize,
    },
    /// The file is in a format luoshi recognizes but cannot read.
    #[error("{path} is {format}, which luoshi cannot read: {hint}")]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
        /// What it was recognized as (`a legacy Word .doc file`, …).
        format: &'static str,
        /// What to do instead.
        hint: &'static str,
    },
    /// A PDF whose pages carry no text (a scan).
    #[error(
        "{path}: no text layer: scanned PDF of {pages} page(s), expected selectable text; run OCR first or supply the text"
    )]
    NoTextLayer {
        /// The file.
        path: PathBuf,
        /// Its page count.
        pages: usize,
    },
    /// A DOCX, PDF or HTML file whose structure could not be read.
    #[error("{path}: cannot read the {format}: {message}")]
    Extract {
        /// The file.
        path: PathBuf,
        /// `DOCX`, `PDF`, `HTML`.
        format: &'static str,
        /// What went wrong, with the part or byte concerned.
        message: String,
    },
    /// A TOML or JSON file could not be parsed into the expected structure.
    #[error("{path}: line {line}: {message}")]
    Parse {
        /// The file (or `<embedded>` / `<string>` for in-memory text).
        path: PathBuf,
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// What the parser expected.
        message: String,
    },
    /// The manifest is well-formed but its content is invalid.
    #[error("{path}: document {index} ({file}): {message}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// 1-based position of the entry in the manifest.
        index: usize,
        /// The entry's `file` value.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Two manifest entries whose labels would name one column of the
    /// tables, or one text file of the output.
    #[error(
        "{path}: document {} ({}): label `{}` and label `{}` of document {} ({}) {clash}; expected labels that differ in what they show",
        .second.index,
        .second.file,
        crate::text::shown(&.second.label),
        crate::text::shown(&.first.label),
        .first.index,
        .first.file
    )]
    LabelClash {
        /// The manifest file.
        path: PathBuf,
        /// The first entry.
        first: Box<ManifestEntry>,
        /// The second entry, which clashes with the first.
        second: Box<ManifestEntry>,
        /// How they clash.
        clash: LabelClash,
    },
    /// The manifest lists no documents.
    #[error(
        "{path}: the manifest lists no documents; expected at least one [[document]] entry with `file` and `label`"
    )]
    EmptyManifest {
        /// The manifest file.
        path: PathBuf,
    },
    /// The taxonomy is well-formed but violates a structural rule.
    #[error("{path}: taxonomy node `{id}`: {problem}")]
    Taxonomy {
        /// The taxonomy file (or `<embedded>` / `<outline>`).
        path: PathBuf,
        /// The node id concerned.
        id: String,
        /// Which rule is broken.
        problem: TaxonomyProblem,
    },
    /// The outline text of a national document could not be turned into a
    /// taxonomy.
    #[error("{path}: line {line}: {message}")]
    Outline {
        /// The outline file (or `<outline>`).
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What was expected.
        message: String,
    },
    /// An id was looked up that the taxonomy does not have.
    #[error("unknown taxonomy id `{0}`")]
    UnknownId(String),
}

/// The structural rules a taxonomy can break.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TaxonomyProblem {
    /// Two nodes share an id.
    #[error("duplicate id")]
    DuplicateId,
    /// The id is not of the form `1`, `1.2`, `1.2.3` (positive numbers).
    #[error("malformed id: expected dot-separated positive numbers such as `1.2.3`")]
    MalformedId,
    /// The node's parent does not exist.
    #[error("parent `{0}` is missing")]
    MissingParent(String),
    /// The node's kind does not fit its depth or its parent's kind.
    #[error("wrong level: a {kind} must sit under {expected}, found under {found}")]
    WrongLevel {
        /// The node's kind.
        kind: &'static str,
        /// What its parent should be.
        expected: &'static str,
        /// What its parent is.
        found: &'static str,
    },
    /// The node has no text (requirements) or no title (areas and tasks).
    #[error("empty {0}")]
    Empty(&'static str),
    /// The extra (non-containment) edges form a cycle through this node.
    #[error("extra edges form a cycle through this node")]
    Cycle,
    /// An extra edge names a node that does not exist.
    #[error("edge target `{0}` does not exist")]
    UnknownEdgeTarget(String),
    /// A requirement lists a seed file that the taxonomy's document does not
    /// declare.
    #[error("unknown seed file `{0}` (not in the document's `seeds` list)")]
    UnknownSeed(String),
}

/// Reads a whole text file (a manifest, taxonomy or unit table), an
/// unreadable one as [`Error::Io`] naming it.
pub(crate) fn read_text(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

impl Error {
    /// Attaches a file path to a parse error built from in-memory text.
    pub(crate) fn with_path(self, path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        match self {
            Error::Parse { line, message, .. } => Error::Parse {
                path,
                line,
                message,
            },
            Error::Taxonomy { id, problem, .. } => Error::Taxonomy { path, id, problem },
            Error::Outline { line, message, .. } => Error::Outline {
                path,
                line,
                message,
            },
            Error::Empty { .. } => Error::Empty { path },
            Error::Binary { offset, byte, .. } => Error::Binary { path, offset, byte },
            Error::Undecodable {
                encoding, offset, ..
            } => Error::Undecodable {
                path,
                encoding,
                offset,
            },
            Error::Implausible {
                encoding,
                rare_percent,
                judged,
                ..
            } => Error::Implausible {
                path,
                encoding,
                rare_percent,
                judged,
            },
            Error::Utf16WithoutBom {
                encoding, offset, ..
            } => Error::Utf16WithoutBom {
                path,
                encoding,
                offset,
            },
            Error::UnsupportedFormat { format, hint, .. } => {
                Error::UnsupportedFormat { path, format, hint }
            }
            Error::NoTextLayer { pages, .. } => Error::NoTextLayer { path, pages },
            Error::Extract {
                format, message, ..
            } => Error::Extract {
                path,
                format,
                message,
            },
            other => other,
        }
    }
}

/// A manifest entry as an error names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    /// 1-based position of the entry in the manifest.
    pub index: usize,
    /// Its `file` value.
    pub file: String,
    /// Its label.
    pub label: String,
}

/// How two labels of a manifest clash ([`Error::LabelClash`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LabelClash {
    /// The two labels are the same.
    Same,
    /// They differ only by an invisible character, such as this one.
    Invisible(char),
    /// They read the same after Unicode NFKC normalization (a full-width
    /// or half-width form, a compatibility character).
    Normalized,
    /// They would write the same text file (this one) in the output's
    /// `text/` folder.
    TextFile(String),
}

impl std::fmt::Display for LabelClash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LabelClash::Same => write!(f, "are the same"),
            LabelClash::Invisible(c) => write!(
                f,
                "differ only by the invisible character U+{:04X}",
                *c as u32
            ),
            LabelClash::Normalized => write!(
                f,
                "read the same after Unicode NFKC normalization (full-width and half-width forms are one)"
            ),
            LabelClash::TextFile(name) => write!(
                f,
                "would both write the text file text/{name} (in a file name `/`, `\\`, `:` and control characters become `_`, and case does not count)"
            ),
        }
    }
}
