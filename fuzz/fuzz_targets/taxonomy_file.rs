//! The taxonomy file loader (TOML and JSON): never panics; whatever it
//! accepts serializes and reads back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use luoshi_core::Taxonomy;

fuzz_target!(|text: &str| {
    for parsed in [Taxonomy::from_toml_str(text), Taxonomy::from_json_str(text)] {
        if let Ok(t) = parsed {
            assert_eq!(
                Taxonomy::from_toml_str(&t.to_toml_string()).ok().as_ref(),
                Some(&t)
            );
            assert_eq!(
                Taxonomy::from_json_str(&t.to_json_string()).ok().as_ref(),
                Some(&t)
            );
            for n in t.iter() {
                assert_eq!(t.get(&t.node(n).id), Some(n));
            }
        }
    }
});
