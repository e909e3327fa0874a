//! What a coverage run with labels prints.

/// What a coverage run with labels prints after its tables: per taxonomy,
/// how many labelled items from how many files, and the model's precision
/// and recall on them before they took its place (`label_metrics.csv`).
/// Empty without labels.
pub fn labels_report(output: &crate::RunOutput) -> String {
    let mut out = String::new();
    for g in &output.groups {
        let Some(labels) = &g.analysis.labels else {
            continue;
        };
        out.push_str(&format!(
            "labels ({}): {} items from {} files; the model before them (label_metrics.csv):\n{}\n",
            g.analysis.pack,
            labels.len(),
            labels.files.len(),
            labels.metrics.summary_text().trim_end()
        ));
        let moved: usize = labels.documents.iter().map(|d| d.moved.len()).sum();
        if moved > 0 {
            out.push_str(&format!(
                "  {moved} labels followed their sentence to another item_id (the documents changed since the sheets were written)\n"
            ));
        }
    }
    out
}
