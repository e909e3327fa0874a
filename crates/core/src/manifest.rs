//! The corpus manifest (`seeds/regions.toml`): which file is which region's
//! document, and the label it gets as a column name in reports.
//!
//! Only `file` and `label` are required; every other field is metadata that
//! reports carry along (empty when not given), except `taxonomy`: the id of
//! the taxonomy pack the document answers (`taxonomy = "national_2018"`;
//! default: `national_<year>` when that pack is available, else
//! `national_2017`).
//!
//! ```toml
//! [[document]]
//! file = "004_6c8f8c4c595500ac.txt"
//! label = "通辽 2017"
//! region = "通辽市"
//! level = "prefecture"
//! province = "内蒙古自治区"
//! year = 2017
//! number = "通政办字〔2017〕157号"
//! issued = "2017-06-06"
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::date::Date;
use crate::error::{Error, LabelClash, ManifestEntry, Result};
use crate::text::is_invisible;

/// The administrative level of a regional government (行政级别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AdminLevel {
    /// The State Council and its ministries (国家级).
    National,
    /// Province, autonomous region or municipality (省级).
    Province,
    /// Prefecture-level city, league or autonomous prefecture (地级).
    Prefecture,
    /// County, district or banner (县级).
    County,
}

impl AdminLevel {
    /// The lowercase name used in manifests and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            AdminLevel::National => "national",
            AdminLevel::Province => "province",
            AdminLevel::Prefecture => "prefecture",
            AdminLevel::County => "county",
        }
    }
}

/// One regional document of the corpus: what the manifest knows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentMeta {
    /// File name, relative to the manifest's folder.
    pub file: String,
    /// Short label used as a column name in reports, e.g. `通辽 2017`.
    pub label: String,
    /// The issuing region's name in Chinese, e.g. `通辽市` (empty when
    /// not given).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    /// Administrative level, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<AdminLevel>,
    /// The province the region belongs to (itself for a province; empty
    /// when not given).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub province: String,
    /// The year the document implements, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// The document number (文号) where known, e.g. `渝府办发〔2017〕61号`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The date the document was signed or issued, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Date>,
    /// The date it was published, where it differs from `issued`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// A title or note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What kind of document it is, in the user's words (e.g. `regional`
    /// for a government's own implementation plan, `department`, `news`
    /// for a news summary, `middle` for a page that opens mid-document):
    /// metadata carried into the tables, and the grouping of
    /// `luoshi calibrate`'s figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The id of the taxonomy pack the document answers (a folder name
    /// under the packs folder, e.g. `national_2018`); `None` for the
    /// default: the pack `national_<year>` when the document has a year
    /// and that pack is available, else `national_2017`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy: Option<String>,
}

/// The file name of a manifest that sits beside its documents
/// (`seeds/regions.toml`); [`DocumentMeta::for_path`] looks for it.
pub const MANIFEST_FILE: &str = "regions.toml";

impl DocumentMeta {
    /// The metadata a manifest run gives the document at `path`: its entry
    /// in the manifest [`MANIFEST_FILE`] in the same folder, when there is
    /// that manifest and it lists the file (so the region, province and
    /// place names are the manifest's), else [`DocumentMeta::for_file`].
    ///
    /// # Errors
    /// As [`Manifest::load`], when the manifest beside the file is
    /// invalid (it is reported, not ignored).
    pub fn for_path(path: &Path) -> Result<Self> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let manifest = dir.join(MANIFEST_FILE);
        if manifest.is_file()
            && let Some(meta) = Manifest::load(&manifest)?.entry_for(path)
        {
            return Ok(meta.clone());
        }
        Ok(Self::for_file(path))
    }

    /// Metadata for a file that has no manifest entry: the label is the file
    /// stem, everything else unknown.
    pub fn for_file(path: &Path) -> Self {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let label = path
            .file_stem()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        DocumentMeta {
            file,
            label,
            region: String::new(),
            level: None,
            province: String::new(),
            year: None,
            number: None,
            issued: None,
            published: None,
            title: None,
            kind: None,
            taxonomy: None,
        }
    }

    /// Place names that mark who is speaking in this document: the region
    /// with and without its administrative suffix (`通辽市`, `通辽`) and its
    /// province. The alignment neutralizes them.
    pub fn place_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for name in [&self.region, &self.province] {
            if name.is_empty() {
                continue;
            }
            names.push(name.clone());
            let short = strip_admin_suffix(name);
            if short != name && short.chars().count() >= 2 {
                names.push(short.to_string());
            }
        }
        names.sort();
        names.dedup();
        names
    }
}

fn strip_admin_suffix(name: &str) -> &str {
    const SUFFIXES: [&str; 10] = [
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "自治州",
        "特别行政区",
        "省",
        "市",
        "县",
        "盟",
    ];
    for s in SUFFIXES {
        if let Some(stripped) = name.strip_suffix(s) {
            return stripped;
        }
    }
    name
}

/// Whether loading a manifest checks that its documents' files exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Files {
    /// Every file must exist.
    Present,
    /// A missing file is left for the run to report.
    MayBeMissing,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    document: Vec<DocumentMeta>,
}

/// A validated manifest: documents in file order, each file present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The folder relative to which `file` entries resolve.
    pub root: PathBuf,
    /// The documents, in manifest order.
    pub documents: Vec<DocumentMeta>,
}

impl Manifest {
    /// Loads and validates a manifest file; documents resolve relative to its
    /// folder.
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read, [`Error::Parse`] for bad TOML or a
    /// bad date (with the line), [`Error::Manifest`] for a missing document
    /// file, a file listed twice, or an empty label, [`Error::LabelClash`]
    /// for two labels that would name one column or one text file (the
    /// same label, or labels that differ only by invisible characters,
    /// width variants, path separators or case).
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        Self::load_with(path.as_ref(), Files::Present)
    }

    /// [`Manifest::load`], except that an entry whose file is missing is
    /// kept (every other check stands): reading it fails later, so a run
    /// that skips unreadable documents (`--keep-going`) skips it and
    /// reports it, instead of stopping before any work.
    ///
    /// # Errors
    /// As [`Manifest::load`], but for missing files.
    pub fn load_allowing_missing(path: impl AsRef<Path>) -> Result<Self> {
        Self::load_with(path.as_ref(), Files::MayBeMissing)
    }

    fn load_with(path: &Path, files: Files) -> Result<Self> {
        let text = crate::error::read_text(path)?;
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::parse(&text, path, root, files)
    }

    /// Parses manifest text; `path` is used in errors and `root` resolves the
    /// document files.
    ///
    /// # Errors
    /// As [`Manifest::load`].
    pub fn from_toml_str(text: &str, path: &Path, root: PathBuf) -> Result<Self> {
        Self::parse(text, path, root, Files::Present)
    }

    fn parse(text: &str, path: &Path, root: PathBuf, files: Files) -> Result<Self> {
        let file: ManifestFile =
            toml::from_str(text).map_err(|e| toml_error(text, &e).with_path(path))?;
        let manifest = Manifest {
            root,
            documents: file.document,
        };
        manifest.validate(path, files)?;
        Ok(manifest)
    }

    fn validate(&self, path: &Path, must_exist: Files) -> Result<()> {
        if self.documents.is_empty() {
            return Err(Error::EmptyManifest {
                path: path.to_path_buf(),
            });
        }
        let mut labels: HashMap<String, usize> = HashMap::new();
        let mut text_files: HashMap<String, usize> = HashMap::new();
        let mut files = HashMap::new();
        for (i, doc) in self.documents.iter().enumerate() {
            let fail = |message: String| Error::Manifest {
                path: path.to_path_buf(),
                index: i + 1,
                file: doc.file.clone(),
                message,
            };
            if let Some(problem) = label_problem(&doc.label) {
                return Err(fail(problem));
            }
            if let Some(problem) = doc.taxonomy.as_deref().and_then(pack_id_problem) {
                return Err(fail(problem));
            }
            // Two labels may not name one column, nor one text file.
            let key = label_key(&doc.label);
            let clash = match labels.insert(key.clone(), i) {
                Some(j) => Some((j, self.label_clash(j, &doc.label))),
                None => text_files
                    .insert(text_file_key(&key), i)
                    .map(|j| (j, LabelClash::TextFile(doc.text_file_name()))),
            };
            if let Some((j, clash)) = clash {
                let first = &self.documents[j];
                let entry = |index: usize, d: &DocumentMeta| {
                    Box::new(ManifestEntry {
                        index,
                        file: d.file.clone(),
                        label: d.label.clone(),
                    })
                };
                return Err(Error::LabelClash {
                    path: path.to_path_buf(),
                    first: entry(j + 1, first),
                    second: entry(i + 1, doc),
                    clash,
                });
            }
            if let Some(p) = doc.published
                && let Some(issued) = doc.issued
                && p < issued
            {
                return Err(fail(format!("published {p} is before issued {issued}")));
            }
            let full = self.root.join(&doc.file);
            if doc.file.trim().is_empty() || (must_exist == Files::Present && !full.is_file()) {
                return Err(fail(format!("missing file {}", full.display())));
            }
            // `a.txt`, `./a.txt` and a link to it are the same document.
            let same = std::fs::canonicalize(&full).unwrap_or(full);
            if let Some(j) = files.insert(same, i + 1) {
                return Err(fail(format!(
                    "file listed twice (also document {j}, under another spelling)"
                )));
            }
        }
        Ok(())
    }

    /// How the label of a new entry reads the same as that of entry `j`
    /// (they have the same [`label_key`]).
    fn label_clash(&self, j: usize, label: &str) -> LabelClash {
        let other = &self.documents[j].label;
        let visible = |l: &str| -> String { l.chars().filter(|&c| !is_invisible(c)).collect() };
        if other == label {
            LabelClash::Same
        } else if visible(other) == visible(label) {
            let c = other
                .chars()
                .chain(label.chars())
                .find(|&c| is_invisible(c))
                .unwrap_or('\u{200b}');
            LabelClash::Invisible(c)
        } else {
            LabelClash::Normalized
        }
    }

    /// The full path of a document's file.
    pub fn path_of(&self, doc: &DocumentMeta) -> PathBuf {
        self.root.join(&doc.file)
    }

    /// The entry whose file is the file at `path` (the same file once both
    /// paths are resolved), if any.
    pub fn entry_for(&self, path: &Path) -> Option<&DocumentMeta> {
        let path = path.canonicalize().ok()?;
        self.documents
            .iter()
            .find(|d| self.path_of(d).canonicalize().is_ok_and(|p| p == path))
    }
}

/// The form under which two labels count as the same: invisible
/// characters left out ([`crate::text::is_invisible`]: zero-width spaces and joiners,
/// direction marks, variation selectors, …), then Unicode NFKC (full-width
/// letters and spaces become their ASCII forms, half-width katakana their
/// full-width ones), then trimmed. Reports compare labels, and labels
/// with column names, by this key.
pub fn label_key(label: &str) -> String {
    label
        .chars()
        .filter(|&c| !is_invisible(c))
        .nfkc()
        .collect::<String>()
        .trim()
        .to_string()
}

/// The folder of the coverage run's output that holds each document's
/// extracted text, as [`DocumentMeta::text_file_name`] names it.
pub const TEXT_DIR: &str = "text";

/// A document label as a file name: path separators, drive colons,
/// control characters and a leading dot become `_`.
fn file_label(label: &str) -> String {
    let mut name: String = label
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.starts_with('.') || name.is_empty() {
        name.insert(0, '_');
    }
    name
}

/// The form under which two labels would write the same text file: their
/// [`label_key`] as a file name, in lower case (as file systems that
/// ignore case, on Windows and macOS, compare names).
fn text_file_key(key: &str) -> String {
    file_label(key).to_lowercase()
}

impl DocumentMeta {
    /// The name of the file, in the output's [`TEXT_DIR`] folder, that the
    /// coverage run writes this document's extracted text to: its label
    /// with path separators (`/`, `\`), drive colons, control characters
    /// and a leading dot made `_`, then `.txt`. [`Manifest::load`] refuses
    /// two labels that would share it.
    pub fn text_file_name(&self) -> String {
        format!("{}.txt", file_label(&self.label))
    }
}

/// Why `id` cannot name a taxonomy pack (a folder under the packs
/// folder), if it cannot: a pack id is a non-empty run of letters, digits,
/// `_` and `-` (so it is one folder name everywhere, never a path).
pub fn pack_id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("empty taxonomy id: expected a pack name such as `national_2018`".into());
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Some(format!(
            "taxonomy id `{}` holds `{}`: expected letters, digits, `_` and `-` only (a pack folder name such as `national_2018`)",
            id.escape_debug(),
            c.escape_debug()
        ));
    }
    None
}

/// Why a label cannot be a column name, if it cannot.
fn label_problem(label: &str) -> Option<String> {
    if label.trim().is_empty() {
        return Some("empty label".into());
    }
    if label.trim() != label || label_key(label) != label_key(label).trim() {
        return Some(format!(
            "label `{label}` starts or ends with a space; expected none"
        ));
    }
    if let Some(c) = label.chars().find(|c| c.is_control()) {
        return Some(format!(
            "label `{}` holds the control character U+{:04X}; expected printable text",
            label.escape_debug(),
            c as u32
        ));
    }
    None
}

/// Turns a `toml` error into [`Error::Parse`] with a 1-based line.
pub(crate) fn toml_error(text: &str, e: &toml::de::Error) -> Error {
    let line = e
        .span()
        .map(|s| crate::text::line_of(text, s.start))
        .unwrap_or(0);
    Error::Parse {
        path: PathBuf::from("<string>"),
        line,
        message: e.message().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    const ENTRY: &str = r#"
[[document]]
file = "a.txt"
label = "甲 2017"
region = "甲乙市"
level = "prefecture"
province = "丙丁省"
year = 2017
issued = "2017-05-08"
"#;

    #[test]
    fn loads_a_good_manifest() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.txt", "x");
        write(dir.path(), "m.toml", ENTRY);
        let m = Manifest::load(dir.path().join("m.toml")).unwrap();
        assert_eq!(m.documents.len(), 1);
        assert_eq!(
            m.documents[0].place_names(),
            vec!["丙丁", "丙丁省", "甲乙", "甲乙市"]
        );
    }

    #[test]
    fn refuses_bad_manifests() {
        let cases: [(&str, String, &str); 6] = [
            (
                "missing file",
                ENTRY.replace("a.txt", "b.txt"),
                "missing file",
            ),
            (
                "duplicate label",
                format!("{ENTRY}{}", ENTRY.replace("a.txt", "c.txt")),
                "label `甲 2017` and label `甲 2017` of document 1 (a.txt) are the same",
            ),
            (
                "bad date",
                ENTRY.replace("2017-05-08", "2017-02-30"),
                "bad date `2017-02-30`",
            ),
            (
                "unknown field",
                ENTRY.replace("year", "yaer"),
                "unknown field `yaer`",
            ),
            (
                "taxonomy id that is a path",
                format!("{ENTRY}taxonomy = \"../national_2018\"\n"),
                "taxonomy id `../national_2018` holds `.`",
            ),
            (
                "empty taxonomy id",
                format!("{ENTRY}taxonomy = \"\"\n"),
                "empty taxonomy id",
            ),
        ];
        for (name, text, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), "a.txt", "x");
            write(dir.path(), "c.txt", "x");
            write(dir.path(), "m.toml", &text);
            let err = Manifest::load(dir.path().join("m.toml"))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(expected),
                "case {name}: expected `{expected}` in `{err}`"
            );
            assert!(
                err.contains("m.toml"),
                "case {name}: error names the file: {err}"
            );
        }
    }

    /// Issue 21: for `--keep-going`, a manifest may be loaded with a
    /// missing file (every other check stands); plain loading refuses it.
    #[test]
    fn a_missing_file_may_be_left_to_the_run() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.txt", "x");
        let text = format!(
            "{ENTRY}{}",
            ENTRY.replace("a.txt", "gone.txt").replace("甲 2017", "乙")
        );
        write(dir.path(), "m.toml", &text);
        let path = dir.path().join("m.toml");
        let err = Manifest::load(&path).unwrap_err().to_string();
        assert!(err.contains("document 2 (gone.txt): missing file"), "{err}");
        let m = Manifest::load_allowing_missing(&path).unwrap();
        assert_eq!(m.documents.len(), 2);
        write(dir.path(), "m.toml", &format!("{text}{ENTRY}"));
        let err = Manifest::load_allowing_missing(&path)
            .unwrap_err()
            .to_string();
        assert!(err.contains("are the same"), "{err}");
    }

    /// Issue 14: only `file` and `label` are required; the rest is
    /// metadata, absent when not given.
    #[test]
    fn file_and_label_are_enough() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.txt", "x");
        write(
            dir.path(),
            "m.toml",
            "[[document]]\nfile = \"a.txt\"\nlabel = \"甲\"\n",
        );
        let m = Manifest::load(dir.path().join("m.toml")).unwrap();
        let d = &m.documents[0];
        assert_eq!((d.year, d.level, d.issued), (None, None, None));
        assert!(d.region.is_empty() && d.place_names().is_empty());
    }

    /// Issue 14: an empty or comments-only manifest is an error.
    #[test]
    fn an_empty_manifest_is_refused() {
        for text in ["", "# only a comment\n"] {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), "m.toml", text);
            let err = Manifest::load(dir.path().join("m.toml")).unwrap_err();
            assert!(matches!(err, Error::EmptyManifest { .. }), "{err:?}");
            assert!(err.to_string().contains("m.toml"), "{err}");
        }
    }

    /// Issue 14: labels that read the same after NFKC and trimming, labels
    /// with outer spaces or control characters, and one file listed under
    /// two spellings are refused, naming the entry.
    #[test]
    fn look_alike_labels_and_respelled_files_are_refused() {
        let entry = |file: &str, label: &str| {
            format!("[[document]]\nfile = \"{file}\"\nlabel = \"{label}\"\n")
        };
        let cases = [
            (
                format!(
                    "{}{}",
                    entry("a.txt", "甲 2017"),
                    entry("c.txt", "甲\u{3000}2017")
                ),
                "of document 1 (a.txt) read the same after Unicode NFKC",
            ),
            (
                format!(
                    "{}{}",
                    entry("a.txt", "ab"),
                    entry("c.txt", "\u{ff41}\u{ff42}")
                ),
                "label `ａｂ` and label `ab` of document 1 (a.txt) read the same",
            ),
            (entry("a.txt", "甲 2017 "), "starts or ends with a space"),
            (entry("a.txt", "\u{3000}甲"), "starts or ends with a space"),
            (entry("a.txt", "甲\\u0007"), "control character U+0007"),
            (
                format!("{}{}", entry("a.txt", "甲"), entry("./a.txt", "乙")),
                "file listed twice",
            ),
        ];
        for (text, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), "a.txt", "x");
            write(dir.path(), "c.txt", "x");
            write(dir.path(), "m.toml", &text);
            let err = Manifest::load(dir.path().join("m.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "expected `{expected}` in `{err}`");
            assert!(err.contains("m.toml") && err.contains("document"), "{err}");
        }
    }

    /// Issue 21: labels that would write one text file (`a/b`, `a\b`,
    /// `a:b` and `a_b` all wrote `text/a_b.txt`, one document's text over
    /// another's; and `A`, `a` share a file where case does not count), or
    /// that differ only by invisible characters or width variants, are
    /// refused at load with an error naming the manifest and both entries.
    #[test]
    fn labels_that_would_share_a_text_file_or_look_alike_are_refused() {
        let text_file = |name: &str| LabelClash::TextFile(name.to_string());
        let cases = [
            ("a/b", "a_b", text_file("a_b.txt")),
            ("a\\b", "a_b", text_file("a_b.txt")),
            ("a:b", "a/b", text_file("a_b.txt")),
            ("a/b", "a\\b", text_file("a_b.txt")),
            ("甲 Ab", "甲 aB", text_file("甲 aB.txt")),
            ("甲\u{200b}乙", "甲乙", LabelClash::Invisible('\u{200b}')),
            ("甲乙", "甲\u{2060}乙", LabelClash::Invisible('\u{2060}')),
            ("甲乙\u{fe0f}", "甲乙", LabelClash::Invisible('\u{fe0f}')),
            ("ab 2017", "ａｂ 2017", LabelClash::Normalized),
            ("ｶﾅ", "カナ", LabelClash::Normalized),
            ("甲", "甲", LabelClash::Same),
        ];
        for (first, second, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), "a.txt", "x");
            write(dir.path(), "c.txt", "x");
            // TOML literal strings: a backslash is a backslash.
            let text = format!(
                "[[document]]\nfile = \"a.txt\"\nlabel = '{first}'\n\n\
                 [[document]]\nfile = \"c.txt\"\nlabel = '{second}'\n"
            );
            write(dir.path(), "m.toml", &text);
            let err = Manifest::load(dir.path().join("m.toml")).unwrap_err();
            let message = err.to_string();
            match err {
                Error::LabelClash {
                    first: a,
                    second: b,
                    clash,
                    ..
                } => {
                    assert_eq!(
                        (a.index, a.label.as_str(), b.index, b.label.as_str(), clash),
                        (1, first, 2, second, expected),
                        "{message}"
                    );
                }
                other => panic!("{first} / {second}: expected a label clash, got {other:?}"),
            }
            for part in [
                "m.toml",
                "document 1 (a.txt)",
                "document 2 (c.txt)",
                "expected",
            ] {
                assert!(message.contains(part), "{part} in {message}");
            }
        }
        // Labels that only look alike in a file name's eyes are fine as
        // long as their files differ.
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.txt", "x");
        write(dir.path(), "c.txt", "x");
        write(
            dir.path(),
            "m.toml",
            "[[document]]\nfile = \"a.txt\"\nlabel = \"a-b\"\n\n[[document]]\nfile = \"c.txt\"\nlabel = \"a_b\"\n",
        );
        let m = Manifest::load(dir.path().join("m.toml")).unwrap();
        let names: Vec<String> = m
            .documents
            .iter()
            .map(DocumentMeta::text_file_name)
            .collect();
        assert_eq!(names, ["a-b.txt", "a_b.txt"]);
    }

    #[test]
    fn bad_date_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.txt", "x");
        write(
            dir.path(),
            "m.toml",
            &ENTRY.replace("2017-05-08", "2017-13-01"),
        );
        let err = Manifest::load(dir.path().join("m.toml")).unwrap_err();
        assert!(matches!(err, Error::Parse { line: 9, .. }), "{err:?}");
        // The message a researcher reads names the manifest, the line and
        // what was expected.
        let message = err.to_string();
        for part in ["m.toml", "line 9", "2017-13-01", "YYYY-MM-DD"] {
            assert!(message.contains(part), "{part} in {message}");
        }
    }

    /// A file's metadata comes from the manifest beside it when that lists
    /// it; otherwise, or for a file it does not list, from the file name;
    /// a broken manifest beside it is an error naming the manifest.
    #[test]
    fn metadata_from_the_manifest_beside_the_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.txt", "x");
        write(dir.path(), "b.txt", "x");
        let a = dir.path().join("a.txt");
        assert_eq!(DocumentMeta::for_path(&a).unwrap().region, "");
        write(dir.path(), MANIFEST_FILE, ENTRY);
        let meta = DocumentMeta::for_path(&a).unwrap();
        assert_eq!(
            (meta.label.as_str(), meta.region.as_str()),
            ("甲 2017", "甲乙市")
        );
        let b = DocumentMeta::for_path(&dir.path().join("b.txt")).unwrap();
        assert_eq!((b.label.as_str(), b.region.as_str()), ("b", ""));
        write(
            dir.path(),
            MANIFEST_FILE,
            &ENTRY.replace("a.txt", "gone.txt"),
        );
        let err = DocumentMeta::for_path(&a).unwrap_err().to_string();
        assert!(err.contains(MANIFEST_FILE), "{err}");
    }
}
