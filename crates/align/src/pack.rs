//! Taxonomy packs: one national document's taxonomy together with the
//! decision data fitted for it.
//!
//! A pack is a folder `<packs>/<id>/` (the repository's packs folder is
//! `taxonomies/`):
//!
//! ```text
//! taxonomies/national_2017/
//!   taxonomy.toml     the taxonomy (required; the format of Taxonomy::load)
//!   decision.toml     the fitted decision model (optional)
//!   vocabulary.toml   the learned vocabulary (optional)
//!   labels/           hand labels of documents answering it (optional)
//!   README.md         the source document and how the data was made
//! ```
//!
//! Without `decision.toml` the aligner uses the model shipped for
//! national 2017 (its features are read off score cards and do not name
//! tasks, so it carries to another taxonomy); without `vocabulary.toml`
//! the learned vocabulary is empty. The national 2017 pack is also
//! embedded in the library ([`Pack::national_2017`]), so nothing needs the
//! folder at run time.
//!
//! [`Packs`] finds packs in a packs folder and picks each document's pack
//! ([`Packs::resolve`]); [`Pack::build`] writes a new pack from the outline
//! text of a national document.
//!
//! ```
//! use luoshi_align::{AlignConfig, Pack};
//!
//! # fn main() -> luoshi_align::Result<()> {
//! let pack = Pack::national_2017();
//! assert_eq!(pack.id(), "national_2017");
//! let aligner = pack.aligner(AlignConfig::default())?;
//! let req = pack.taxonomy().lookup("1.1.3").expect("requirement 1.1.3");
//! let a = aligner.align_text(&req.text);
//! assert_eq!(a.requirement.as_deref(), Some("1.1.3"));
//! # Ok(())
//! # }
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use luoshi_core::manifest::pack_id_problem;
use luoshi_core::markers::marker_at;
use luoshi_core::taxonomy::TaxonomyMeta;
use luoshi_core::{DocumentMeta, Taxonomy};

use crate::aligner::Aligner;
use crate::config::AlignConfig;
use crate::decide::DecisionModel;
use crate::error::{Error, Result};
use crate::eval::LabelFile;
use crate::vocabulary::LearnedVocabulary;

/// The usual name of a packs folder (the repository's is `taxonomies/`;
/// a run also looks for one next to its manifest).
pub const PACKS_DIR: &str = "taxonomies";
/// The id of the embedded pack, and the default taxonomy.
pub const NATIONAL_2017: &str = "national_2017";
/// A pack's taxonomy file.
pub const TAXONOMY_FILE: &str = "taxonomy.toml";
/// A pack's decision model file (optional).
pub const DECISION_FILE: &str = "decision.toml";
/// A pack's learned vocabulary file (optional).
pub const VOCABULARY_FILE: &str = "vocabulary.toml";
/// A pack's folder of label files (optional).
pub const LABELS_DIR: &str = "labels";
/// A pack's description.
pub const README_FILE: &str = "README.md";
/// The outline text a pack built by [`Pack::build`] was made from.
pub const OUTLINE_FILE: &str = "outline.txt";

/// A taxonomy with its decision model, learned vocabulary and labels.
#[derive(Debug, Clone)]
pub struct Pack {
    id: String,
    dir: Option<PathBuf>,
    taxonomy: Taxonomy,
    model: DecisionModel,
    vocabulary: LearnedVocabulary,
    labels: Vec<LabelFile>,
}

fn pack_error(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
    Error::Pack {
        path: path.into(),
        message: message.into(),
    }
}

impl Pack {
    /// The embedded national 2017 pack (`taxonomies/national_2017`): the
    /// taxonomy of 《2017年政务公开工作要点》, the shipped decision model and
    /// learned vocabulary. Its labels (the seeds' `testdata/labels`) are
    /// not embedded.
    pub fn national_2017() -> Pack {
        Pack {
            id: NATIONAL_2017.to_string(),
            dir: None,
            taxonomy: Taxonomy::national_2017(),
            model: DecisionModel::national_2017(),
            vocabulary: LearnedVocabulary::national_2017(),
            labels: Vec::new(),
        }
    }

    /// Loads the pack folder `dir`; its id is the folder's name.
    ///
    /// # Errors
    /// [`Error::Pack`] naming the folder when its name is not a pack id or
    /// it is not a folder, or naming `taxonomy.toml` when that is missing;
    /// [`Error::Core`] for an invalid taxonomy, and the errors of
    /// [`DecisionModel::load`], [`LearnedVocabulary::load`] and
    /// [`LabelFile::load_dir`] (each naming its file);
    /// [`Error::Pack`] naming `vocabulary.toml` when it names a task the
    /// taxonomy does not have.
    pub fn load(dir: impl AsRef<Path>) -> Result<Pack> {
        let dir = dir.as_ref();
        let id = dir
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| pack_error(dir, "expected a pack folder named by its id"))?
            .to_string();
        if let Some(problem) = pack_id_problem(&id) {
            return Err(pack_error(dir, problem));
        }
        if !dir.is_dir() {
            return Err(pack_error(
                dir,
                "not a folder: expected a pack folder holding taxonomy.toml",
            ));
        }
        let taxonomy_path = dir.join(TAXONOMY_FILE);
        if !taxonomy_path.is_file() {
            return Err(pack_error(
                &taxonomy_path,
                "missing: every pack folder holds its taxonomy as taxonomy.toml",
            ));
        }
        let taxonomy = Taxonomy::load(&taxonomy_path)?;
        let model_path = dir.join(DECISION_FILE);
        let model = if model_path.exists() {
            DecisionModel::load(&model_path)?
        } else {
            DecisionModel::national_2017()
        };
        let vocabulary_path = dir.join(VOCABULARY_FILE);
        let vocabulary = if vocabulary_path.exists() {
            let v = LearnedVocabulary::load(&vocabulary_path)?;
            check_vocabulary(&v, &taxonomy, &vocabulary_path)?;
            v
        } else {
            LearnedVocabulary::default()
        };
        let labels_path = dir.join(LABELS_DIR);
        let labels = if labels_path.exists() {
            LabelFile::load_dir(&labels_path)?
        } else {
            Vec::new()
        };
        Ok(Pack {
            id,
            dir: Some(dir.to_path_buf()),
            taxonomy,
            model,
            vocabulary,
            labels,
        })
    }

    /// Builds a pack from the outline text of a national document (its
    /// headings `一、` / `（一）` and their sentences, see
    /// [`Taxonomy::from_outline`]) and writes it to `packs/<id>/`:
    /// `taxonomy.toml`, the outline itself as `outline.txt`, and a
    /// `README.md` saying how it was made. The taxonomy's title is the
    /// outline's first line before its first heading (else the id). The
    /// pack has no decision data of its own: it aligns with the national
    /// 2017 decision model and an empty learned vocabulary until one is
    /// fitted for it.
    ///
    /// An existing `packs/<id>` (file, folder or link) is never touched.
    ///
    /// # Errors
    /// [`Error::Pack`] for an id that is not a pack id or a pack that
    /// already exists; [`Error::Core`] for an unreadable outline file or
    /// an outline that gives no taxonomy (naming the file and line);
    /// [`Error::Io`] when writing fails (the half-written folder is
    /// removed).
    pub fn build(packs: impl AsRef<Path>, id: &str, outline: impl AsRef<Path>) -> Result<Pack> {
        let outline = outline.as_ref();
        if let Some(problem) = pack_id_problem(id) {
            return Err(pack_error(packs.as_ref(), problem));
        }
        // Decoded as a document is (UTF-8, UTF-16, GB18030, Big5), like
        // `Taxonomy::load_outline`.
        let text = luoshi_core::taxonomy::read_outline(outline)?;
        let title = outline_title(&text).unwrap_or_else(|| id.to_string());
        let meta = TaxonomyMeta {
            id: id.to_string(),
            title,
            issuer: None,
            number: None,
            date: None,
            seeds: Vec::new(),
        };
        let source = outline
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Self::write_outline(&packs.as_ref().join(id), &text, meta, &source).map_err(|e| match e {
            Error::Core(luoshi_core::Error::Outline { line, message, .. }) => {
                Error::Core(luoshi_core::Error::Outline {
                    path: outline.to_path_buf(),
                    line,
                    message,
                })
            }
            other => other,
        })
    }

    /// Builds a pack from outline text with the taxonomy metadata given
    /// and writes it to the new folder `dir` (its name is the pack id);
    /// `source` names where the outline came from in the README. See
    /// [`Pack::build`].
    ///
    /// # Errors
    /// As [`Pack::build`].
    pub fn from_outline(
        dir: &Path,
        outline: &str,
        meta: TaxonomyMeta,
        source: &str,
    ) -> Result<Pack> {
        Self::write_outline(dir, outline, meta, source)
    }

    fn write_outline(dir: &Path, outline: &str, meta: TaxonomyMeta, source: &str) -> Result<Pack> {
        let id = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if let Some(problem) = pack_id_problem(id) {
            return Err(pack_error(dir, problem));
        }
        if std::fs::symlink_metadata(dir).is_ok() {
            return Err(pack_error(
                dir,
                "already exists: a pack is never overwritten; choose another id or move it away",
            ));
        }
        let taxonomy = Taxonomy::from_outline(outline, meta)?;
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        // `create_dir` fails when the folder appeared meanwhile: an
        // existing pack is never written into.
        std::fs::create_dir(dir).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                pack_error(
                    dir,
                    "already exists: a pack is never overwritten; choose another id or move it away",
                )
            } else {
                io_error(dir)(e)
            }
        })?;
        let written = write_files(dir, id, outline, &taxonomy, source);
        if let Err(e) = written {
            // Only files this call created are in the folder.
            let _ = std::fs::remove_dir_all(dir);
            return Err(e);
        }
        Pack::load(dir)
    }

    /// The pack's id (its folder's name).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The folder it was loaded from; `None` for the embedded pack.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The taxonomy.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// The decision model (the national 2017 one when the pack has none).
    pub fn model(&self) -> &DecisionModel {
        &self.model
    }

    /// The learned vocabulary (empty when the pack has none).
    pub fn vocabulary(&self) -> &LearnedVocabulary {
        &self.vocabulary
    }

    /// The label files of `labels/` (empty when the pack has none).
    pub fn labels(&self) -> &[LabelFile] {
        &self.labels
    }

    /// An aligner for the pack's taxonomy with its decision model and
    /// learned vocabulary.
    ///
    /// # Errors
    /// As [`Aligner::with_learned`].
    pub fn aligner(&self, config: AlignConfig) -> Result<Aligner> {
        Aligner::with_learned(&self.taxonomy, config, self.model.clone(), &self.vocabulary)
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Every example of a vocabulary must name a task of the taxonomy or
/// `extension`: a pack whose vocabulary was fitted for another taxonomy
/// is refused rather than silently half used.
fn check_vocabulary(v: &LearnedVocabulary, taxonomy: &Taxonomy, path: &Path) -> Result<()> {
    let tasks: Vec<&str> = taxonomy
        .tasks()
        .map(|t| taxonomy.node(t).id.as_str())
        .collect();
    if let Some(e) = v
        .example
        .iter()
        .find(|e| e.task != "extension" && !tasks.contains(&e.task.as_str()))
    {
        return Err(pack_error(
            path,
            format!(
                "example of `{}` names task `{}`, which taxonomy.toml does not have; expected a task id of the pack's taxonomy or `extension`",
                e.doc, e.task
            ),
        ));
    }
    if let Some(g) = v
        .grams
        .iter()
        .find(|g| g.task != "extension" && !tasks.contains(&g.task.as_str()))
    {
        return Err(pack_error(
            path,
            format!(
                "bigram profile names task `{}`, which taxonomy.toml does not have; expected a task id of the pack's taxonomy or `extension`",
                g.task
            ),
        ));
    }
    if !v.taxonomy.is_empty() && v.taxonomy != taxonomy.meta().id {
        return Err(pack_error(
            path,
            format!(
                "the vocabulary was fitted for taxonomy `{}`, but taxonomy.toml is `{}`",
                v.taxonomy,
                taxonomy.meta().id
            ),
        ));
    }
    Ok(())
}

/// The outline's first non-empty line before its first heading.
fn outline_title(text: &str) -> Option<String> {
    for line in text.lines() {
        let line = line.trim().trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        if marker_at(line).is_some() {
            return None;
        }
        return Some(line.to_string());
    }
    None
}

fn write_files(
    dir: &Path,
    id: &str,
    outline: &str,
    taxonomy: &Taxonomy,
    source: &str,
) -> Result<()> {
    let meta = taxonomy.meta();
    let counts = taxonomy.counts();
    let header = format!(
        "# The taxonomy of the pack `{id}`, built from the outline text {OUTLINE_FILE}\n\
         # by luoshi_align::Pack::build. Human-editable (the format of Taxonomy::load).\n\n"
    );
    let files = [
        (
            TAXONOMY_FILE,
            format!("{header}{}", taxonomy.to_toml_string()),
        ),
        (OUTLINE_FILE, outline.to_string()),
        (README_FILE, readme(id, meta, counts, source)),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(io_error(&path))?;
    }
    Ok(())
}

fn readme(
    id: &str,
    meta: &TaxonomyMeta,
    counts: luoshi_core::taxonomy::Counts,
    source: &str,
) -> String {
    let mut s = format!("# Taxonomy pack `{id}`\n\n{}", meta.title);
    for extra in [meta.number.as_deref(), meta.issuer.as_deref()]
        .into_iter()
        .flatten()
    {
        let _ = write!(s, ", {extra}");
    }
    if let Some(d) = meta.date {
        let _ = write!(s, ", {d}");
    }
    let source = if source.is_empty() {
        String::new()
    } else {
        format!(" (from `{source}`)")
    };
    let _ = write!(
        s,
        ".\n\n\
         - `{TAXONOMY_FILE}`: built by `luoshi_align::Pack::build` from the outline text\n  \
         `{OUTLINE_FILE}`{source}: headings of the first style (`一、`) are areas, of the\n  \
         next (`（一）`) tasks, and each sentence after a task heading is a requirement\n  \
         ({} areas, {} tasks, {} requirements). No keywords yet: add the words regions\n  \
         use for each task and requirement to strengthen the alignment.\n\
         - No `{DECISION_FILE}` or `{VOCABULARY_FILE}` yet: documents answering this pack\n  \
         are aligned with the decision model shipped for national_2017 (its features do\n  \
         not name tasks) and an empty learned vocabulary. Label documents (`{LABELS_DIR}/`)\n  \
         and fit both with the calibrate example.\n",
        counts.areas, counts.tasks, counts.requirements
    );
    s
}

/// Where a run finds its packs: a packs folder (optional) and the
/// embedded national 2017 pack. A folder in the packs folder named
/// `national_2017` takes the place of the embedded one.
#[derive(Debug, Clone, Default)]
pub struct Packs {
    dir: Option<PathBuf>,
}

impl Packs {
    /// The packs of `dir` (a folder of pack folders), plus the embedded
    /// national 2017 pack; `None`: the embedded pack only.
    ///
    /// # Errors
    /// [`Error::Pack`] when `dir` is given but is not a folder.
    pub fn new(dir: Option<PathBuf>) -> Result<Packs> {
        if let Some(d) = &dir
            && !d.is_dir()
        {
            return Err(pack_error(
                d,
                "not a folder: expected a packs folder holding one folder per taxonomy (such as taxonomies/)",
            ));
        }
        Ok(Packs { dir })
    }

    /// The packs folder, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Whether the pack `id` can be loaded: a folder of that name in the
    /// packs folder, or the embedded national 2017 pack.
    pub fn has(&self, id: &str) -> bool {
        id == NATIONAL_2017 || self.folder(id).is_some()
    }

    fn folder(&self, id: &str) -> Option<PathBuf> {
        if pack_id_problem(id).is_some() {
            return None;
        }
        let p = self.dir.as_ref()?.join(id);
        p.is_dir().then_some(p)
    }

    /// The ids of the packs available, sorted (the embedded one
    /// included).
    pub fn ids(&self) -> Vec<String> {
        let mut ids = vec![NATIONAL_2017.to_string()];
        if let Some(d) = &self.dir
            && let Ok(entries) = std::fs::read_dir(d)
        {
            for e in entries.flatten() {
                if let Some(name) = e.file_name().to_str()
                    && pack_id_problem(name).is_none()
                    && e.path().is_dir()
                {
                    ids.push(name.to_string());
                }
            }
        }
        ids.sort();
        ids.dedup();
        ids
    }

    /// The pack a document answers: the one its manifest entry names
    /// (`taxonomy = "…"`), else `national_<year>` when it has a year and
    /// that pack is available, else `national_2017`.
    ///
    /// # Errors
    /// [`Error::UnknownPack`] when the entry names a pack that is not
    /// available.
    pub fn resolve(&self, meta: &DocumentMeta) -> Result<String> {
        if let Some(id) = &meta.taxonomy {
            if self.has(id) {
                return Ok(id.clone());
            }
            return Err(Error::UnknownPack {
                id: id.clone(),
                dir: self
                    .dir
                    .as_ref()
                    .map_or_else(|| "none".to_string(), |d| d.display().to_string()),
                available: self.ids().join(", "),
            });
        }
        if let Some(year) = meta.year {
            let id = format!("national_{year}");
            if self.has(&id) {
                return Ok(id);
            }
        }
        Ok(NATIONAL_2017.to_string())
    }

    /// Loads the pack `id`: its folder in the packs folder, else the
    /// embedded pack for `national_2017`.
    ///
    /// # Errors
    /// [`Error::UnknownPack`] when it is not available; as [`Pack::load`].
    pub fn load(&self, id: &str) -> Result<Pack> {
        match self.folder(id) {
            Some(dir) => Pack::load(dir),
            None if id == NATIONAL_2017 => Ok(Pack::national_2017()),
            None => Err(Error::UnknownPack {
                id: id.to_string(),
                dir: self
                    .dir
                    .as_ref()
                    .map_or_else(|| "none".to_string(), |d| d.display().to_string()),
                available: self.ids().join(", "),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTLINE: &str = "示例要点\n一、甲领域\n（一）推进甲任务。做好甲类信息公开。及时回应关切。\n（二）推进乙任务。加强乙类平台建设。\n二、丙领域\n（一）推进丙任务。完善丙类制度。\n";

    #[test]
    fn the_embedded_pack_is_the_repository_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../taxonomies");
        let folder = Pack::load(root.join(NATIONAL_2017)).unwrap();
        let embedded = Pack::national_2017();
        assert_eq!(folder.id(), embedded.id());
        assert_eq!(folder.taxonomy(), embedded.taxonomy());
        assert_eq!(folder.model(), embedded.model());
        assert_eq!(folder.vocabulary(), embedded.vocabulary());
    }

    #[test]
    fn build_writes_a_pack_that_loads_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let outline = dir.path().join("o.txt");
        std::fs::write(&outline, OUTLINE).unwrap();
        let packs = dir.path().join("packs");
        let pack = Pack::build(&packs, "demo_2030", &outline).unwrap();
        assert_eq!(pack.id(), "demo_2030");
        assert_eq!(pack.taxonomy().meta().title, "示例要点");
        let c = pack.taxonomy().counts();
        assert_eq!((c.areas, c.tasks, c.requirements), (2, 3, 4));
        assert!(pack.vocabulary().example.is_empty());
        assert_eq!(pack.model(), &DecisionModel::national_2017());
        for f in [TAXONOMY_FILE, OUTLINE_FILE, README_FILE] {
            assert!(packs.join("demo_2030").join(f).is_file(), "{f} written");
        }
        let readme = std::fs::read_to_string(packs.join("demo_2030/README.md")).unwrap();
        assert!(
            readme.contains("2 areas, 3 tasks, 4 requirements"),
            "{readme}"
        );
        // Loading again gives the same pack; building again is refused
        // and leaves the folder as it was.
        let again = Pack::load(packs.join("demo_2030")).unwrap();
        assert_eq!(again.taxonomy(), pack.taxonomy());
        let before = std::fs::read(packs.join("demo_2030/taxonomy.toml")).unwrap();
        std::fs::write(&outline, OUTLINE.replace("甲领域", "丁领域")).unwrap();
        let err = Pack::build(&packs, "demo_2030", &outline)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("already exists") && err.contains("demo_2030"),
            "{err}"
        );
        assert_eq!(
            std::fs::read(packs.join("demo_2030/taxonomy.toml")).unwrap(),
            before
        );
    }

    #[test]
    fn bad_packs_and_outlines_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let outline = dir.path().join("o.txt");
        std::fs::write(&outline, "没有标题的文字。\n").unwrap();
        let packs = dir.path().join("packs");
        std::fs::create_dir(dir.path().join("empty")).unwrap();
        let cases: Vec<(&str, Result<Pack>, &str)> = vec![
            (
                "outline without areas",
                Pack::build(&packs, "x", &outline),
                "o.txt: line 1: no area headings",
            ),
            (
                "id that is a path",
                Pack::build(&packs, "../x", &outline),
                "holds `.`",
            ),
            (
                "missing folder",
                Pack::load(dir.path().join("nope")),
                "not a folder",
            ),
            (
                "folder without taxonomy",
                Pack::load(dir.path().join("empty")),
                "taxonomy.toml: missing",
            ),
        ];
        for (name, result, expected) in cases {
            let err = result.unwrap_err().to_string();
            assert!(
                err.contains(expected),
                "case {name}: expected `{expected}` in `{err}`"
            );
        }
        assert!(!packs.join("x").exists(), "a failed build leaves nothing");
    }

    #[test]
    fn a_vocabulary_for_another_taxonomy_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outline = dir.path().join("o.txt");
        std::fs::write(&outline, OUTLINE).unwrap();
        Pack::build(dir.path(), "p", &outline).unwrap();
        let mut v = LearnedVocabulary::default();
        v.example.push(crate::vocabulary::Example {
            doc: "a.txt".into(),
            task: "6.5".into(),
            text: "做好公开".into(),
        });
        std::fs::write(dir.path().join("p").join(VOCABULARY_FILE), v.to_toml()).unwrap();
        let err = Pack::load(dir.path().join("p")).unwrap_err().to_string();
        assert!(
            err.contains("vocabulary.toml") && err.contains("`6.5`"),
            "{err}"
        );
    }

    #[test]
    fn documents_resolve_to_their_pack() {
        let dir = tempfile::tempdir().unwrap();
        let outline = dir.path().join("o.txt");
        std::fs::write(&outline, OUTLINE).unwrap();
        Pack::build(dir.path(), "national_2018", &outline).unwrap();
        let packs = Packs::new(Some(dir.path().to_path_buf())).unwrap();
        let only_embedded = Packs::new(None).unwrap();
        let meta = |year: Option<u16>, taxonomy: Option<&str>| DocumentMeta {
            year,
            taxonomy: taxonomy.map(str::to_string),
            ..DocumentMeta::for_file(Path::new("a.txt"))
        };
        let cases = [
            (
                "year with a pack",
                meta(Some(2018), None),
                "national_2018",
                "national_2017",
            ),
            (
                "year without a pack",
                meta(Some(2019), None),
                "national_2017",
                "national_2017",
            ),
            (
                "no year",
                meta(None, None),
                "national_2017",
                "national_2017",
            ),
            (
                "named beats year",
                meta(Some(2018), Some("national_2017")),
                "national_2017",
                "national_2017",
            ),
        ];
        for (name, m, with_dir, embedded) in cases {
            assert_eq!(packs.resolve(&m).unwrap(), with_dir, "case {name}");
            assert_eq!(only_embedded.resolve(&m).unwrap(), embedded, "case {name}");
        }
        let err = only_embedded
            .resolve(&meta(None, Some("national_2018")))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown taxonomy `national_2018`") && err.contains("national_2017"),
            "{err}"
        );
        assert_eq!(packs.ids(), vec!["national_2017", "national_2018"]);
        assert!(
            Packs::new(Some(outline)).is_err(),
            "a file is not a packs folder"
        );
    }
}
