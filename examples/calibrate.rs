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
//! held-out probabilities (expected calibration error). The measuring is
//! library code (`luoshi::calibrate`), shared with `luoshi calibrate`.

use std::path::PathBuf;

use clap::Parser;
use luoshi::calibrate::{LabelledSet, Sources, Summary, confusions};
use luoshi::luoshi_align::eval::Outcome;
use luoshi_cli::outln;

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
    /// A taxonomy pack folder to calibrate instead of national 2017 (its
    /// taxonomy, model and vocabulary); needs --manifest, and reads the
    /// pack's `labels/` unless --labels is given.
    #[arg(long)]
    pack: Option<PathBuf>,
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

fn report(title: &str, set: &LabelledSet, outcomes: &[Outcome], show_confusions: bool) {
    outln!(
        "{}",
        Summary::new(title, set, outcomes).to_string().trim_end()
    );
    if show_confusions {
        confusions(outcomes).for_each(|line| outln!("{line}"));
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.held_out && (args.fit.is_some() || args.cross_validate) {
        anyhow::bail!("--held-out only scores: it takes neither --fit nor --cross-validate");
    }
    let sources = Sources {
        // The development sets of the repository this runs in.
        root: Some(PathBuf::from(".")),
        manifests: args.manifest.clone(),
        labels: args.labels.clone(),
        held_out: args.held_out,
        config: args.config.clone(),
        model: args.model.clone(),
        vocabulary: args.vocabulary.clone(),
        pack: args.pack.clone(),
    };
    let set = sources.load()?;
    let label_dirs = sources.label_dirs();
    outln!(
        "{} documents, {} label files, {} labelled requirement items",
        set.docs().len(),
        set.labels().len(),
        set.sample_count()
    );
    if args.cross_validate {
        report(
            "leave-one-document-out (model and vocabulary from the other documents)",
            &set,
            &set.cross_validate(args.l2, &|_| {})?,
            args.confusions,
        );
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
            set.sample_count(),
            set.docs().len(),
            label_dirs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let (model, learned) = set.fit(args.l2, &fitted_on)?;
        std::fs::write(&model_path, format!("{MODEL_HEADER}{}", model.to_toml()))?;
        std::fs::write(
            &vocabulary_path,
            format!("{VOCABULARY_HEADER}{}", learned.to_toml()),
        )?;
        outln!(
            "wrote {} and {}",
            model_path.display(),
            vocabulary_path.display()
        );
        report(
            "in sample (the refitted model, on the labels it was fitted on)",
            &set,
            &set.with_fitted(model, &learned)?,
            false,
        );
        return Ok(());
    }
    report(
        "in sample (the shipped or given model, on every labelled document)",
        &set,
        &set.in_sample(),
        args.confusions && !args.cross_validate,
    );
    Ok(())
}

const MODEL_HEADER: &str = "# The decision model of luoshi-align for the national 2017 taxonomy,\n\
     # fitted by `cargo run --release --no-default-features --example calibrate -- --fit FILE`\n\
     # (DecisionModel::fit: conditional logit, L2 penalty). Refit it on your own labels.\n";

const VOCABULARY_HEADER: &str = "# The learned vocabulary of luoshi-align for the national 2017 taxonomy:\n\
     # the normalized text of every labelled requirement item, by task (or extension),\n\
     # written with the decision model by the `calibrate` example (--fit).\n";
