//! `luoshi calibrate`: the accuracy of the shipped model against label
//! files (the measuring part of the `calibrate` example).

use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};
use luoshi::calibrate::{LabelledSet, Sources, Summary, confusions};
use luoshi::luoshi_align::eval::Outcome;

use crate::error::Error;
use crate::outln;

/// Options of `luoshi calibrate`.
#[derive(clap::Args)]
#[command(
    about = "Measure the decision model against hand labels",
    long_about = "Measure the decision model against hand labels: per document, task accuracy \
        (a label names a statement by a snippet of its text and the national task it \
        belongs to, or `extension`); for all documents, task accuracy and the recall and \
        precision of local extensions; the item-kind labels (boilerplate …); and the \
        reliability of the model's probabilities (expected calibration error over ten \
        confidence bins).\n\n\
        Reads the manifests and label folders given, or by default the development set of \
        the repository it runs in: seeds/regions.toml with testdata/labels, and every \
        testdata/dev/<set>/ with a regions.toml and labels/ (documents under its docs/), \
        leaving out sets with a HELD_OUT.md (--held-out scores those alone). Writes only \
        to standard output.\n\n\
        In sample, the shipped model (or --model, --vocabulary) aligns every labelled \
        document. --cross-validate adds the honest figure: for each document in turn, a \
        model and learned vocabulary fitted on the other documents' labels alone align the \
        document left out. Refitting the shipped model is done by the `calibrate` cargo \
        example (--fit).",
    after_long_help = "EXIT CODES:\n    \
        0  measured\n    \
        1  a manifest, document, label file, model or settings file cannot be read (the \
        message names the file)\n    \
        2  a wrong command line\n\n\
        EXAMPLES:\n    \
        luoshi calibrate\n    \
        luoshi calibrate --cross-validate --confusions\n    \
        luoshi calibrate --held-out\n    \
        luoshi calibrate --manifest my/regions.toml --labels my/labels\n    \
        luoshi calibrate --pack taxonomies/national_2018 --manifest my/regions.toml"
)]
pub struct CalibrateArgs {
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
    /// L2 penalty per labelled item of the fits of --cross-validate.
    #[arg(long, default_value_t = 1e-3)]
    l2: f64,
    /// Also leave-one-document-out: fit on the other documents, score the
    /// one left out.
    #[arg(long, conflicts_with = "held_out")]
    cross_validate: bool,
    /// Print every wrong prediction.
    #[arg(long)]
    confusions: bool,
    /// Score the model and vocabulary on the held-out sets only (those
    /// with a `HELD_OUT.md`), which nothing is fitted or chosen on.
    #[arg(long)]
    held_out: bool,
}

fn report(title: &str, set: &LabelledSet, outcomes: &[Outcome], show_confusions: bool) {
    outln!(
        "{}",
        Summary::new(title, set, outcomes).to_string().trim_end()
    );
    if show_confusions {
        for line in confusions(outcomes) {
            outln!("{line}");
        }
    }
}

/// Measures and prints.
pub fn run(args: &CalibrateArgs) -> Result<u8, Error> {
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
    let set = sources.load().map_err(Error::from)?;
    outln!(
        "{} documents, {} label files, {} labelled requirement items",
        set.docs().len(),
        set.labels().len(),
        set.sample_count()
    );
    if args.cross_validate {
        let bar = if std::io::stderr().is_terminal() {
            ProgressBar::new(set.docs().len() as u64)
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template(
                "fitting without [{bar:30}] {pos}/{len} documents ({elapsed})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        let held_out = set.cross_validate(args.l2, &|_| bar.inc(1));
        bar.finish_and_clear();
        report(
            "leave-one-document-out (model and vocabulary from the other documents)",
            &set,
            &held_out?,
            args.confusions,
        );
    }
    report(
        "in sample (the shipped or given model, on every labelled document)",
        &set,
        &set.in_sample(),
        args.confusions && !args.cross_validate,
    );
    Ok(0)
}
