//! Fits and measures the decision model on the labelled development set:
//! the seeds (`seeds/regions.toml`, `testdata/labels`) and every composed
//! set under `testdata/dev/*/` (its `regions.toml` and `labels/`).
//!
//! ```text
//! cargo run --release --no-default-features --example calibrate                      # the shipped model
//! cargo run --release --no-default-features --example calibrate -- --cross-validate  # held out
//! cargo run --release --no-default-features --example calibrate -- --fit taxonomies/national_2017 --replace
//! ```
//!
//! Sets with a `HELD_OUT.md` in their folder (set c) are left out of all
//! of that; `--held-out` scores the shipped model on them alone.
//!
//! `--cross-validate` is the honest figure: for each labelled document in
//! turn, the model is fitted on the other documents' labels alone and the
//! held-out document is aligned with it. It prints per-document accuracy,
//! local-extension precision and recall, and the reliability of the
//! held-out probabilities (expected calibration error).

use std::path::{Path, PathBuf};

use clap::Parser;
use luoshi::luoshi_align::eval::{
    LabelFile, Outcome, evaluate, extension_counts, is_decision, labelled, reliability, tally_by,
};
use luoshi::luoshi_align::{
    AlignConfig, Aligner, DecisionModel, Id, LabelledCorpus, LearnedVocabulary,
};
use luoshi::luoshi_core::{IngestOptions, Manifest, RegionDocument, Taxonomy, ingest_file};

#[derive(Parser)]
struct Args {
    /// Manifests of the labelled documents (default: the seeds and every
    /// `testdata/dev/*/regions.toml`).
    #[arg(long)]
    manifest: Vec<PathBuf>,
    /// Folders of label files (default: `testdata/labels` and every
    /// `testdata/dev/*/labels`).
    #[arg(long)]
    labels: Vec<PathBuf>,
    /// Alignment settings instead of the defaults.
    #[arg(long)]
    config: Option<PathBuf>,
    /// A decision model to measure instead of the shipped one.
    #[arg(long)]
    model: Option<PathBuf>,
    /// A learned vocabulary to use instead of the shipped one.
    #[arg(long)]
    vocabulary: Option<PathBuf>,
    /// Fit the model and the vocabulary on all labels and write them to
    /// this folder as `decision.toml` and `vocabulary.toml`, the files of
    /// a taxonomy pack (e.g. `taxonomies/national_2017`; refused if they
    /// exist, unless `--replace`).
    #[arg(long)]
    fit: Option<PathBuf>,
    /// Allow `--fit` to replace an existing file.
    #[arg(long)]
    replace: bool,
    /// L2 penalty per labelled item.
    #[arg(long, default_value_t = 1e-3)]
    l2: f64,
    /// Leave-one-document-out: fit on the other documents, score the one
    /// left out.
    #[arg(long)]
    cross_validate: bool,
    /// Print every wrong prediction.
    #[arg(long)]
    confusions: bool,
    /// Score the shipped (or given) model and vocabulary on the held-out
    /// sets only (those with a `HELD_OUT.md`), which nothing is fitted or
    /// chosen on.
    #[arg(long)]
    held_out: bool,
}

/// The development set's manifests and label folders, seeds first: the
/// composed sets under `testdata/dev/` that are not held out (`held_out`
/// false), or only those that are (a `HELD_OUT.md` in their folder).
fn default_sets(held_out: bool) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut manifests, mut labels) = if held_out {
        (Vec::new(), Vec::new())
    } else {
        (
            vec![PathBuf::from("seeds/regions.toml")],
            vec![PathBuf::from("testdata/labels")],
        )
    };
    let mut dev: Vec<PathBuf> = std::fs::read_dir("testdata/dev")
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dev.sort();
    for d in dev {
        if d.join("regions.toml").is_file()
            && d.join("labels").is_dir()
            && d.join("HELD_OUT.md").is_file() == held_out
        {
            manifests.push(d.join("regions.toml"));
            labels.push(d.join("labels"));
        }
    }
    (manifests, labels)
}

fn report(title: &str, outcomes: &[Outcome]) {
    let decisions: Vec<Outcome> = outcomes
        .iter()
        .filter(|o| is_decision(&o.expected))
        .cloned()
        .collect();
    println!("{title}:");
    for (doc, t) in tally_by(&decisions, |o| o.doc.clone()) {
        println!(
            "  {doc:<18} {:>3}/{:<3} {:5.1}%",
            t.correct,
            t.total,
            100.0 * t.accuracy()
        );
    }
    let all = tally_by(&decisions, |_| "all".into())
        .remove("all")
        .unwrap_or_default();
    let (tp, predicted, labelled) = extension_counts(&decisions);
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    println!(
        "  all: {}/{} = {:.1}% task accuracy; extensions: recall {tp}/{labelled} = {:.1}%, precision {tp}/{predicted} = {:.1}%",
        all.correct,
        all.total,
        100.0 * all.accuracy(),
        100.0 * ratio(tp, labelled),
        100.0 * ratio(tp, predicted),
    );
    let other: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| !is_decision(&o.expected))
        .collect();
    if !other.is_empty() {
        let right = other.iter().filter(|o| o.correct()).count();
        println!(
            "  item-kind labels (boilerplate …): {right}/{}",
            other.len()
        );
    }
    let (table, ece) = reliability(&decisions, 10);
    println!(
        "  expected calibration error {ece:.3}; reliability (confidence bin: n, mean confidence, accuracy):"
    );
    for b in table.iter().filter(|b| b.count > 0) {
        println!(
            "    [{:.1}, {:.1}) {:>4} {:.3} {:.3}",
            b.low, b.high, b.count, b.confidence, b.accuracy
        );
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let (default_manifests, default_labels) = default_sets(args.held_out);
    if args.held_out && (args.fit.is_some() || args.cross_validate) {
        anyhow::bail!("--held-out only scores: it takes neither --fit nor --cross-validate");
    }
    let manifests = if args.manifest.is_empty() {
        default_manifests
    } else {
        args.manifest.clone()
    };
    let label_dirs = if args.labels.is_empty() {
        default_labels
    } else {
        args.labels.clone()
    };
    let taxonomy = Taxonomy::national_2017();
    let opts = IngestOptions::builder()
        .taxonomy_titles(&taxonomy)
        .build()?;
    let mut docs: Vec<RegionDocument> = Vec::new();
    for m in &manifests {
        // A composed set's manifest names files relative to its `docs/`.
        let docs_dir = m.parent().map(|p| p.join("docs")).filter(|p| p.is_dir());
        let manifest = match docs_dir {
            Some(root) => Manifest::from_toml_str(&std::fs::read_to_string(m)?, m, root)?,
            None => Manifest::load(m)?,
        };
        for d in &manifest.documents {
            docs.push(ingest_file(&manifest.path_of(d), d.clone(), &opts)?);
        }
    }
    let mut labels: Vec<LabelFile> = Vec::new();
    for dir in &label_dirs {
        labels.extend(LabelFile::load_dir(dir)?);
    }
    let config = match &args.config {
        Some(p) => AlignConfig::load(p)?,
        None => AlignConfig::default(),
    };
    let config = AlignConfig {
        evidence: false,
        ..config
    };
    let shipped = match &args.model {
        Some(p) => DecisionModel::load(p)?,
        None => DecisionModel::national_2017(),
    };
    let vocabulary = match &args.vocabulary {
        Some(p) => LearnedVocabulary::load(p)?,
        None => LearnedVocabulary::national_2017(),
    };
    let aligner = Aligner::with_learned(&taxonomy, config.clone(), shipped.clone(), &vocabulary)?;
    // Which items each document's labels name: independent of the model
    // and the vocabulary.
    let labelled_items: Vec<Vec<(usize, Option<Id>)>> = docs
        .iter()
        .map(|d| {
            let cards = aligner.score_cards(d);
            labels
                .iter()
                .filter(|l| l.seed == d.meta.file)
                .flat_map(|l| labelled(d, &cards, l))
                .collect()
        })
        .collect();
    let corpus = LabelledCorpus::new(&taxonomy, config.clone(), &docs, labelled_items)?;
    println!(
        "{} documents, {} label files, {} labelled requirement items",
        docs.len(),
        labels.len(),
        corpus.len()
    );
    if args.cross_validate {
        let mut held_out = Vec::new();
        for (h, al) in corpus.cross_validate(args.l2)? {
            held_out.extend(evaluate(std::slice::from_ref(&docs[h]), &[al], &labels));
        }
        report(
            "leave-one-document-out (model and vocabulary from the other documents)",
            &held_out,
        );
        if args.confusions {
            confusions(&held_out);
        }
    }
    if let Some(dir) = &args.fit {
        let model_path = dir.join(luoshi::luoshi_align::pack::DECISION_FILE);
        let vocabulary_path = dir.join(luoshi::luoshi_align::pack::VOCABULARY_FILE);
        for p in [&model_path, &vocabulary_path] {
            if p.exists() && !args.replace {
                anyhow::bail!("{} exists: pass --replace to overwrite it", p.display());
            }
        }
        let fitted_on = format!(
            "{} labelled requirement items of {} documents ({})",
            corpus.len(),
            docs.len(),
            label_dirs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let (model, learned) = corpus.fit(args.l2, &fitted_on)?;
        write_model(&model_path, &model)?;
        std::fs::write(
            &vocabulary_path,
            format!("{VOCABULARY_HEADER}{}", learned.to_toml()),
        )?;
        println!(
            "wrote {} and {}",
            model_path.display(),
            vocabulary_path.display()
        );
        let refit = Aligner::with_learned(&taxonomy, config.clone(), model, &learned)?;
        report(
            "in sample (the refitted model, on the labels it was fitted on)",
            &evaluate(&docs, &refit.align_all(&docs), &labels),
        );
        return Ok(());
    }
    let outcomes = evaluate(&docs, &aligner.align_all(&docs), &labels);
    report(
        "in sample (the shipped or given model, on every labelled document)",
        &outcomes,
    );
    if args.confusions && !args.cross_validate {
        confusions(&outcomes);
    }
    Ok(())
}

const VOCABULARY_HEADER: &str = "# The learned vocabulary of luoshi-align for the national 2017 taxonomy:\n\
     # the normalized text of every labelled requirement item, by task (or extension),\n\
     # written with the decision model by the `calibrate` example (--fit).\n";

fn write_model(path: &Path, model: &DecisionModel) -> anyhow::Result<()> {
    let header = "# The decision model of luoshi-align for the national 2017 taxonomy,\n\
                  # fitted by `cargo run --release --no-default-features --example calibrate -- --fit FILE`\n\
                  # (DecisionModel::fit: conditional logit, L2 penalty). Refit it on your own labels.\n";
    std::fs::write(path, format!("{header}{}", model.to_toml()))?;
    Ok(())
}

fn confusions(outcomes: &[Outcome]) {
    for o in outcomes.iter().filter(|o| !o.correct()) {
        println!(
            "  {} expected {} got {} ({:.2}): {}",
            o.doc,
            o.expected,
            o.predicted,
            o.confidence.unwrap_or(f64::NAN),
            o.snippet
        );
    }
}
