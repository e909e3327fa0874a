//! `luoshi-report`: coverage matrices from luoshi alignments, as polars
//! DataFrames (so library users keep working in polars) and as CSV,
//! Parquet, an SVG heatmap and a self-contained HTML report.
//!
//! The tables ([`Corpus::tables`]): `alignment` (one row per item),
//! `coverage_status` and `coverage_scores` (requirements × documents),
//! `coverage_long` (tidy), `task_coverage` and `area_coverage` (shares),
//! `extensions`, `summary`, `review`; beyond coverage
//! ([`luoshi_analysis`]): `profile` and `profile_tasks` (how closely, how
//! concretely and how fast each document answered), `reuse` and
//! `reuse_pairs` (passages documents share beyond the national text).
//! [`run`] does the whole job from a manifest.
//!
//! ```no_run
//! use luoshi_report::{RunOptions, run};
//!
//! # fn main() -> luoshi_report::Result<()> {
//! let out = run(&RunOptions::new())?; // seeds/regions.toml → out/
//! println!("{}", out.summary_text());
//! # Ok(())
//! # }
//! ```

mod corpus;
mod diff;
mod error;
mod frames;
mod heatmap;
mod html;
mod js;
mod profile;
mod reuse;
pub mod review;
mod run;
mod tables;
mod views;
mod write;

use std::fmt::Write as _;

use luoshi_align::{CoverageStatus, DocumentAlignment, Status};
use luoshi_core::RegionDocument;

pub use corpus::{Corpus, Skipped, Table};
pub use diff::{DIFF_TABLE, diff_table};
pub use error::{Error, Result};
pub use frames::{LIST_SEPARATOR, RESERVED_COLUMNS, TABLE_NAMES};
pub use heatmap::heatmap_svg;
pub use html::{report_data, report_html, report_html_with};
pub use polars;
pub use review::{Labels, Metrics, Refit};
pub use run::{
    Analysis, GroupOutput, Progress, RunOptions, RunOutput, analyse, exit_code, run,
    run_with_progress,
};
pub use write::{MARKER, WriteOptions, excel_safe, read_parquet, write_csv, write_table};

/// A plain-text table: per document, requirement items by status and
/// national requirements covered / partial / omitted.
pub fn summary_text(docs: &[RegionDocument], alignments: &[DocumentAlignment]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<14} {:>6} {:>6} {:>8} {:>5} {:>6} {:>8} {:>8} {:>8} {:>8}",
        "doc", "items", "reqs", "matched", "task", "ext", "covered", "partial", "omitted", "dups"
    );
    for (d, a) in docs.iter().zip(alignments) {
        let st = |s: Status| a.items.iter().filter(|i| i.status == s).count();
        let cv = |s: CoverageStatus| a.coverage.iter().filter(|c| c.status == s).count();
        let [req, _, _, dup] = d.kind_counts();
        let label: String = d.meta.label.chars().take(12).collect();
        let pad = 14usize.saturating_sub(
            label.chars().count() + label.chars().filter(|c| !c.is_ascii()).count(),
        );
        let _ = writeln!(
            out,
            "{label}{} {:>6} {:>6} {:>8} {:>5} {:>6} {:>8} {:>8} {:>8} {:>8}",
            " ".repeat(pad),
            d.items.len(),
            req,
            st(Status::Matched),
            st(Status::Task),
            st(Status::Extension),
            cv(CoverageStatus::Covered),
            cv(CoverageStatus::Partial),
            cv(CoverageStatus::Omitted),
            dup
        );
    }
    out
}
