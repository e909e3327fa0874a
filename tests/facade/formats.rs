//! The seeds read from HTML (GBK, with site chrome), DOCX and PDF score
//! on testdata/labels within one point of the plain-text seeds, and every
//! labelled snippet is found in the extracted text.

use std::path::Path;

use luoshi::luoshi_align::Aligner;
use luoshi::luoshi_align::eval::{LabelFile, evaluate, tally_by};
use luoshi::luoshi_core::ingest::read_extracted;
use luoshi::luoshi_core::{
    Format, IngestOptions, Manifest, RegionDocument, Taxonomy, ingest_extracted,
};

#[test]
fn seeds_in_every_format_score_like_the_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = Taxonomy::national_2017();
    let manifest = Manifest::load(root.join("seeds/regions.toml")).unwrap();
    let opts = IngestOptions::builder()
        .taxonomy_titles(&taxonomy)
        .build()
        .unwrap();
    let aligner = Aligner::new(&taxonomy).unwrap();
    let labels = LabelFile::load_dir(&root.join("testdata/labels")).unwrap();
    let score = |format: Option<(&str, Format)>| {
        let docs: Vec<RegionDocument> = manifest
            .documents
            .iter()
            .map(|m| {
                let path = match format {
                    None => manifest.path_of(m),
                    Some((ext, _)) => root
                        .join("testdata/formats")
                        .join(ext)
                        .join(Path::new(&m.file).with_extension(ext)),
                };
                let ex = read_extracted(&path, u64::MAX).unwrap();
                if let Some((_, f)) = format {
                    assert_eq!(ex.format, f, "{}", path.display());
                }
                assert!(
                    ex.warnings.is_empty(),
                    "{}: {:?}",
                    path.display(),
                    ex.warnings
                );
                ingest_extracted(ex, m.clone(), &opts)
            })
            .collect();
        let outcomes = evaluate(&docs, &aligner.align_all(&docs), &labels);
        assert!(
            outcomes.iter().all(|o| o.predicted != "missing"),
            "{format:?}: a labelled snippet is missing"
        );
        tally_by(&outcomes, |_| String::new())[""]
            .accuracy()
            .expect("labels of the seeds")
    };
    let text = score(None);
    for f in [
        ("html", Format::Html),
        ("docx", Format::Docx),
        ("pdf", Format::Pdf),
    ] {
        let acc = score(Some(f));
        assert!(
            (acc - text).abs() <= 0.01,
            "{}: {:.1}% against {:.1}% for the text",
            f.0,
            100.0 * acc,
            100.0 * text
        );
    }
}
