//! The corpus manifest (`seeds/regions.toml`): which file is which region's
//! document, and the label it gets as a column name in reports.
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

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{Error, Result};

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
    /// The issuing region's name in Chinese, e.g. `通辽市`.
    pub region: String,
    /// Administrative level.
    pub level: AdminLevel,
    /// The province the region belongs to (itself for a province).
    pub province: String,
    /// The year the document implements.
    pub year: u16,
    /// The document number (文号) where known, e.g. `渝府办发〔2017〕61号`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The date the document was signed or issued.
    pub issued: Date,
    /// The date it was published, where it differs from `issued`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// A title or note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
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
    /// stem, the region is unknown.
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
            level: AdminLevel::Province,
            province: String::new(),
            year: 0,
            number: None,
            issued: Date {
                year: 1900,
                month: 1,
                day: 1,
            },
            published: None,
            title: None,
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
    /// file, a duplicate label or file, or an empty label.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = crate::error::read_text(path)?;
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::from_toml_str(&text, path, root)
    }

    /// Parses manifest text; `path` is used in errors and `root` resolves the
    /// document files.
    ///
    /// # Errors
    /// As [`Manifest::load`].
    pub fn from_toml_str(text: &str, path: &Path, root: PathBuf) -> Result<Self> {
        let file: ManifestFile =
            toml::from_str(text).map_err(|e| toml_error(text, &e).with_path(path))?;
        let manifest = Manifest {
            root,
            documents: file.document,
        };
        manifest.validate(path)?;
        Ok(manifest)
    }

    fn validate(&self, path: &Path) -> Result<()> {
        let mut labels = HashSet::new();
        let mut files = HashSet::new();
        for (i, doc) in self.documents.iter().enumerate() {
            let fail = |message: String| Error::Manifest {
                path: path.to_path_buf(),
                index: i + 1,
                file: doc.file.clone(),
                message,
            };
            if doc.label.trim().is_empty() {
                return Err(fail("empty label".into()));
            }
            if !labels.insert(doc.label.as_str()) {
                return Err(fail(format!("duplicate label `{}`", doc.label)));
            }
            if !files.insert(doc.file.as_str()) {
                return Err(fail("file listed twice".into()));
            }
            if let Some(p) = doc.published
                && p < doc.issued
            {
                return Err(fail(format!(
                    "published {p} is before issued {}",
                    doc.issued
                )));
            }
            let full = self.root.join(&doc.file);
            if !full.is_file() {
                return Err(fail(format!("missing file {}", full.display())));
            }
        }
        Ok(())
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
        let cases: [(&str, String, &str); 4] = [
            (
                "missing file",
                ENTRY.replace("a.txt", "b.txt"),
                "missing file",
            ),
            (
                "duplicate label",
                format!("{ENTRY}{}", ENTRY.replace("a.txt", "c.txt")),
                "duplicate label `甲 2017`",
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
