//! The items of a document as text lines, for inspecting segmentation
//! (the `ingest` example and `luoshi ingest`).

use std::path::Path;

use luoshi_core::ingest::{Item, ItemKind, suspected_splices};
use luoshi_core::{DocumentMeta, Manifest, RegionDocument};

use crate::error::Result;

/// The metadata of a file: its entry in `manifest` (default: the
/// `regions.toml` next to the file, if any), or [`DocumentMeta::for_file`]
/// when the manifest does not list it, or [`DocumentMeta::for_path`] when
/// there is no manifest.
///
/// # Errors
/// [`crate::Error::Core`] for an invalid manifest.
pub fn meta_for(file: &Path, manifest: Option<&Path>) -> Result<DocumentMeta> {
    let manifest_path = manifest.map(Path::to_path_buf).or_else(|| {
        let p = file.parent()?.join("regions.toml");
        p.is_file().then_some(p)
    });
    Ok(match manifest_path {
        Some(p) => Manifest::load(&p)?
            .entry_for(file)
            .cloned()
            .unwrap_or_else(|| DocumentMeta::for_file(file)),
        None => DocumentMeta::for_path(file)?,
    })
}

/// A header line: label, encoding, size, items by kind, splices lifted
/// and suspected splices left in requirement statements.
pub fn header(doc: &RegionDocument) -> String {
    let [req, head, boil, dup] = doc.kind_counts();
    let spliced = doc
        .requirements()
        .filter(|i| suspected_splices(&doc.body(i)) > 0)
        .count();
    let lifted = doc.requirements().filter(|i| !i.splices.is_empty()).count();
    format!(
        "# {} ({}, {} bytes): {} items = {req} requirement, {head} heading, {boil} boilerplate, {dup} duplicate; \
         splices lifted from {lifted} requirements, suspected splices left in {spliced}",
        doc.meta.label,
        doc.encoding,
        doc.text.len(),
        doc.items.len()
    )
}

/// One item as a tab-separated line: id, kind (with the item it repeats),
/// byte span, row number, heading path, units, deadline, and the
/// statement text (the raw text less lifted splices; boilerplate shows
/// its raw text), with tabs and line breaks as spaces.
pub fn item_line(doc: &RegionDocument, item: &Item) -> String {
    let kind = match item.kind {
        ItemKind::Duplicate { of } => format!("duplicate of {of}"),
        k => k.as_str().to_string(),
    };
    let text = if item.body.is_empty() {
        doc.raw(item).to_string()
    } else {
        doc.body(item)
    };
    format!(
        "{}\t{}\t{}..{}\trow={}\t[{}]\tunits={}\tdeadline={}\t{}",
        item.id,
        kind,
        item.span.start,
        item.span.end,
        item.row.map(|r| r.to_string()).unwrap_or_default(),
        item.heading_path.join(" > "),
        item.units.join("、"),
        item.deadline.as_deref().unwrap_or(""),
        text.replace(['\t', '\n'], " ")
    )
}
