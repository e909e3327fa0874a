//! The manifest loader: never panics; every accepted entry has a unique
//! non-empty label and a file that exists.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use luoshi_core::Manifest;

fuzz_target!(|text: &str| {
    // Resolve files against the seeds folder, so entries can be valid.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds");
    let Ok(m) = Manifest::from_toml_str(text, Path::new("fuzz.toml"), root) else {
        return;
    };
    let mut labels = std::collections::HashSet::new();
    for d in &m.documents {
        assert!(!d.label.trim().is_empty() && labels.insert(d.label.clone()));
        assert!(m.path_of(d).is_file());
    }
});
