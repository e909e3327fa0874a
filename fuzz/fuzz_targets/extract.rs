//! Format sniffing and extraction of arbitrary bytes (plain text, HTML,
//! DOCX, PDF): never panics; on success every block and cell lies inside
//! the extracted text on character boundaries, cells inside their row, in
//! order, and blocks in text order without overlap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use luoshi_core::extract::extract;

fuzz_target!(|data: &[u8]| {
    let Ok(ex) = extract(data) else {
        return;
    };
    let mut at = 0;
    for b in &ex.blocks {
        assert!(at <= b.span.start && b.span.start <= b.span.end && b.span.end <= ex.text.len());
        assert!(ex.text.is_char_boundary(b.span.start) && ex.text.is_char_boundary(b.span.end));
        let mut cell_at = b.span.start;
        for c in &b.cells {
            assert!(cell_at <= c.start && c.start <= c.end && c.end <= b.span.end);
            cell_at = c.end;
        }
        at = b.span.end;
    }
});
