//! Encoding detection and decoding of regional documents.
//!
//! Order of attempts: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides
//! outright; otherwise strict UTF-8; otherwise strict GB18030 (a superset of
//! GBK and GB2312, which Chinese government sites still serve). Decoding
//! never replaces bytes: a file that is none of these is refused with the
//! byte offset where the most successful attempt failed. Files with NUL or
//! other C0 control bytes (other than tab, line feed, carriage return and
//! form feed) are refused as binary before any attempt.

use std::path::PathBuf;

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use crate::error::{Error, Result};

/// The decoded text and what it was decoded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding's WHATWG name: `UTF-8`, `UTF-16LE`, `UTF-16BE`, `gb18030`.
    pub encoding: &'static str,
    /// Whether the input started with a byte-order mark.
    pub bom: bool,
}

/// Decodes the bytes of a document. Errors carry the path `<bytes>`; use
/// [`crate::ingest::read_document`] for files.
///
/// # Errors
/// [`Error::Empty`] for no text, [`Error::Binary`] for control bytes,
/// [`Error::Undecodable`] when no supported encoding accepts the bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded> {
    let path = PathBuf::from("<bytes>");
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let text = strict(enc, body).map_err(|offset| Error::Undecodable {
            path: path.clone(),
            encoding: enc.name(),
            offset: offset + bom_len,
        })?;
        return finish(text, enc, true, bom_len, path);
    }
    if let Some(offset) = bytes.iter().position(|&b| is_binary_byte(b)) {
        return Err(Error::Binary {
            path,
            offset,
            byte: bytes[offset],
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => finish(s.to_string(), UTF_8, false, 0, path),
        Err(utf8_err) => {
            let utf8_at = utf8_err.valid_up_to();
            match strict(GB18030, bytes) {
                Ok(text) => finish(text, GB18030, false, 0, path),
                Err(gb_at) => {
                    let (encoding, offset) = if gb_at > utf8_at {
                        (GB18030.name(), gb_at)
                    } else {
                        (UTF_8.name(), utf8_at)
                    };
                    Err(Error::Undecodable {
                        path,
                        encoding,
                        offset,
                    })
                }
            }
        }
    }
}

fn is_binary_byte(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)
}

fn finish(
    text: String,
    enc: &'static Encoding,
    bom: bool,
    bom_len: usize,
    path: PathBuf,
) -> Result<Decoded> {
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| (c as u32) < 0x20 && is_binary_byte(c as u8))
    {
        // Only reachable for UTF-16, whose control characters were not
        // checked byte-wise; report the character's offset in the input.
        let unit = if enc == UTF_16LE || enc == UTF_16BE {
            2
        } else {
            1
        };
        let offset = bom_len + text[..i].encode_utf16().count() * unit;
        return Err(Error::Binary {
            path,
            offset,
            byte: c as u8,
        });
    }
    if text.trim().is_empty() {
        return Err(Error::Empty { path });
    }
    Ok(Decoded {
        text,
        encoding: enc.name(),
        bom,
    })
}

/// Decodes without replacement; on failure returns the byte offset of the
/// first malformed sequence.
fn strict(enc: &'static Encoding, bytes: &[u8]) -> std::result::Result<String, usize> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3 + 16);
    let mut out = String::with_capacity(cap);
    let mut read = 0;
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut out, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::Malformed(bad, pending) => {
                return Err(read.saturating_sub(bad as usize + pending as usize));
            }
            DecoderResult::OutputFull => out.reserve(bytes.len() - read + 16),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let text = "政务公开工作要点。";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let mut utf16be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            utf16be.extend_from_slice(&u.to_be_bytes());
        }
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        let cases: [(&str, Vec<u8>, &str, bool); 5] = [
            ("utf-8", text.as_bytes().to_vec(), "UTF-8", false),
            ("utf-8 bom", bom8, "UTF-8", true),
            ("gbk", gbk.into_owned(), "gb18030", false),
            ("utf-16le", utf16, "UTF-16LE", true),
            ("utf-16be", utf16be, "UTF-16BE", true),
        ];
        for (name, bytes, enc, bom) in cases {
            let d = decode(&bytes).unwrap_or_else(|e| panic!("case {name}: {e}"));
            assert_eq!(
                (d.text.as_str(), d.encoding, d.bom),
                (text, enc, bom),
                "case {name}"
            );
        }
    }

    #[test]
    fn refusals() {
        let cases: [(&str, Vec<u8>, &str); 5] = [
            ("empty", vec![], "empty"),
            (
                "only bom and space",
                vec![0xEF, 0xBB, 0xBF, b' ', b'\n'],
                "empty",
            ),
            (
                "nul",
                b"abc\0def".to_vec(),
                "looks binary: control byte 0x00 at byte 3",
            ),
            ("bad bytes", vec![b'a', b'b', 0xFF, 0xFF, 0xFF], "invalid"),
            (
                "bad utf-16",
                vec![0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00],
                "invalid UTF-16LE",
            ),
        ];
        for (name, bytes, expected) in cases {
            let err = decode(&bytes).unwrap_err().to_string();
            assert!(
                err.contains(expected),
                "case {name}: expected `{expected}` in `{err}`"
            );
        }
    }

    #[test]
    fn undecodable_offset_points_at_the_damage() {
        let mut bytes = "政务公开".as_bytes().to_vec();
        bytes.extend_from_slice(&[0xFF, 0xFF]);
        match decode(&bytes) {
            Err(Error::Undecodable { offset, .. }) => assert!(offset >= 8, "offset {offset}"),
            other => panic!("expected Undecodable, got {other:?}"),
        }
    }
}
