//! Encoding detection and decoding of regional documents.
//!
//! Order of attempts: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides
//! outright; otherwise strict UTF-8. Bytes that are not UTF-8 are decoded
//! strictly in each legacy candidate that accepts them: GB18030 (a superset
//! of GBK and GB2312, which Chinese government sites still serve), Big5
//! (the WHATWG decoder, which includes the Hong Kong HKSCS extension), and
//! UTF-16LE/BE without a byte-order mark when every other byte looks like
//! the high byte of Chinese or ASCII text. Each decoding is scored by how
//! plausible its ideographs are (see [`plausibility`]); the most plausible
//! wins, and when even that one is implausible the file is refused with
//! [`Error::Implausible`] rather than read as garbage. Decoding never
//! replaces bytes: a file that no candidate accepts is refused with the
//! byte offset where the most successful attempt failed. Text with NUL or
//! other C0 control characters (other than tab, line feed, carriage return
//! and form feed) is refused as binary.

use std::path::PathBuf;
use std::sync::OnceLock;

use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

use crate::error::{Error, Result};

/// The decoded text and what it was decoded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding's WHATWG name: `UTF-8`, `UTF-16LE`, `UTF-16BE`,
    /// `gb18030`, `Big5`.
    pub encoding: &'static str,
    /// Whether the input started with a byte-order mark.
    pub bom: bool,
    /// Doubts about the decoding that did not stop it (for example valid
    /// UTF-8 whose ideographs are mostly rare: likely mojibake). Empty
    /// when the text looks like ordinary Chinese or has too few ideographs
    /// to judge.
    pub warnings: Vec<String>,
}

/// Fewest ideographs (and private-use or C1 control characters) a text
/// needs before its plausibility is judged; shorter texts are not judged.
pub const MIN_JUDGED: usize = 10;

/// Share of frequent ideographs below which a decoding is implausible:
/// when most of a text's ideographs would be rare, the bytes were decoded
/// with the wrong table. Chosen as "a majority", not fitted to a corpus.
pub const MIN_FREQUENT_SHARE: f64 = 0.5;

/// How plausible a decoded text is as Chinese.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plausibility {
    /// Ideographs, private-use characters and C1 controls counted.
    pub judged: usize,
    /// Of those, frequent ideographs: level 1 of GB 2312 (the 3,755 most
    /// used simplified characters) or of Big5 (the 5,401 most used
    /// traditional characters), as the two standards define them.
    pub frequent: usize,
}

impl Plausibility {
    /// Share of frequent characters among those judged (1 when none).
    pub fn share(&self) -> f64 {
        if self.judged == 0 {
            1.0
        } else {
            self.frequent as f64 / self.judged as f64
        }
    }

    /// Whether there is enough to judge.
    pub fn is_judged(&self) -> bool {
        self.judged >= MIN_JUDGED
    }

    /// Judged and below [`MIN_FREQUENT_SHARE`].
    pub fn is_implausible(&self) -> bool {
        self.is_judged() && self.share() < MIN_FREQUENT_SHARE
    }
}

/// Counts the frequent ideographs of `text` against the ideographs,
/// private-use characters and C1 controls it holds. A wrong decoding
/// table scatters characters over rare and unassigned code points; real
/// Chinese text, simplified or traditional, is overwhelmingly made of the
/// frequent ones.
pub fn plausibility(text: &str) -> Plausibility {
    let set = frequent_set();
    let mut p = Plausibility {
        judged: 0,
        frequent: 0,
    };
    for c in text.chars() {
        let u = c as u32;
        if u < 0x80 {
            continue;
        }
        if crate::text::is_cjk(c) || (0x20000..=0x3FFFF).contains(&u) {
            p.judged += 1;
            let i = u.wrapping_sub(FREQ_BASE) as usize;
            if i < set.len() && set[i] {
                p.frequent += 1;
            }
        } else if (0xE000..=0xF8FF).contains(&u)
            || (0x80..=0x9F).contains(&u)
            || (0xF0000..).contains(&u)
        {
            p.judged += 1;
        }
    }
    p
}

const FREQ_BASE: u32 = 0x3400;

/// Frequent ideographs as a bitmap from U+3400 to U+FFFF, built once by
/// decoding the level-1 rows of GB 2312 (bytes B0A1–D7F9) and Big5
/// (A440–C67E).
fn frequent_set() -> &'static [bool] {
    static SET: OnceLock<Vec<bool>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = vec![false; (0x10000 - FREQ_BASE) as usize];
        let mut mark = |enc: &'static Encoding,
                        lead: std::ops::RangeInclusive<u8>,
                        trail: &[std::ops::RangeInclusive<u8>],
                        last: (u8, u8)| {
            for l in lead {
                for t in trail.iter().flat_map(|r| r.clone()) {
                    if (l, t) > last {
                        continue;
                    }
                    let pair = [l, t];
                    let Some(s) = enc.decode_without_bom_handling_and_without_replacement(&pair)
                    else {
                        continue;
                    };
                    for c in s.chars() {
                        let i = (c as u32).wrapping_sub(FREQ_BASE) as usize;
                        if i < set.len() && crate::text::is_cjk(c) {
                            set[i] = true;
                        }
                    }
                }
            }
        };
        mark(GBK, 0xB0..=0xD7, &[0xA1..=0xFE], (0xD7, 0xF9));
        mark(BIG5, 0xA4..=0xC6, &[0x40..=0x7E, 0xA1..=0xFE], (0xC6, 0x7E));
        set
    })
}

/// Decodes the bytes of a document. Errors carry the path `<bytes>`; use
/// [`crate::ingest::read_document`] for files.
///
/// # Errors
/// [`Error::Empty`] for no text, [`Error::Binary`] for control bytes,
/// [`Error::Undecodable`] when no supported encoding accepts the bytes,
/// [`Error::Implausible`] when the best decoding is implausible,
/// [`Error::Utf16WithoutBom`] for bytes shaped like UTF-16 that do not
/// decode as such.
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
    let utf8_at = match std::str::from_utf8(bytes) {
        Ok(s) => return finish(s.to_string(), UTF_8, false, 0, path),
        Err(e) => e.valid_up_to(),
    };
    let utf16 = utf16_shape(bytes);
    let binary_at = bytes.iter().position(|&b| is_binary_byte(b));
    // Every candidate that accepts the bytes, with its plausibility.
    let mut candidates: Vec<(&'static Encoding, String, Plausibility)> = Vec::new();
    let mut furthest = (UTF_8.name(), utf8_at);
    let mut try_enc = |enc: &'static Encoding, candidates: &mut Vec<_>| match strict(enc, bytes) {
        Ok(text) => {
            let p = plausibility(&text);
            candidates.push((enc, text, p));
        }
        Err(at) => {
            if at > furthest.1 {
                furthest = (enc.name(), at);
            }
        }
    };
    if let Some(enc) = utf16 {
        try_enc(enc, &mut candidates);
        candidates.retain(|(_, _, p)| !p.is_implausible());
    }
    if candidates.is_empty() {
        if binary_at.is_none() {
            try_enc(GB18030, &mut candidates);
            try_enc(BIG5, &mut candidates);
        }
        if bytes.len().is_multiple_of(2) {
            // UTF-16 of text with little ASCII has few NUL bytes, or none:
            // admitted only when plausible and free of private-use and
            // C1 characters, which no real UTF-16 document is made of.
            for enc in [UTF_16LE, UTF_16BE] {
                if let Ok(text) = strict(enc, bytes) {
                    let p = plausibility(&text);
                    let odd = text.chars().any(|c| {
                        matches!(c as u32, 0x80..=0x9F | 0xE000..=0xF8FF)
                            || (c < ' ' && is_binary_byte(c as u8))
                    });
                    if p.is_judged() && !p.is_implausible() && !odd {
                        candidates.push((enc, text, p));
                    }
                }
            }
        }
        if candidates.is_empty() {
            if let Some(enc) = utf16 {
                return Err(Error::Utf16WithoutBom {
                    path,
                    encoding: enc.name(),
                    offset: furthest.1,
                });
            }
            if let Some(offset) = binary_at {
                return Err(Error::Binary {
                    path,
                    offset,
                    byte: bytes[offset],
                });
            }
        }
    }
    // Rank: judged and plausible first, then by share; ties keep the
    // candidate order (GB18030 before Big5 before UTF-16).
    let rank = |p: &Plausibility| (p.is_judged() && !p.is_implausible(), p.share());
    let Some(best) = candidates
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| {
            rank(&a.2)
                .partial_cmp(&rank(&b.2))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(j.cmp(i))
        })
        .map(|(i, _)| i)
    else {
        return Err(Error::Undecodable {
            path,
            encoding: furthest.0,
            offset: furthest.1,
        });
    };
    let (enc, text, p) = candidates.swap_remove(best);
    if p.is_implausible() {
        return Err(Error::Implausible {
            path,
            encoding: enc.name(),
            rare_percent: ((1.0 - p.share()) * 100.0).round() as u32,
            judged: p.judged,
        });
    }
    finish(text, enc, false, 0, path)
}

/// Whether the bytes look like UTF-16 without a byte-order mark: even
/// length, with NUL bytes, nearly all of them on one parity (the high byte
/// of ASCII characters). Returns the byte order.
fn utf16_shape(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let nul = even + odd;
    // At least one NUL per 16 code units, and at most one in 4 on the
    // wrong side (ideographs of the form U+xx00 put theirs there).
    if nul * 16 < bytes.len() / 2 {
        return None;
    }
    if odd * 4 >= nul * 3 {
        Some(UTF_16LE)
    } else if even * 4 >= nul * 3 {
        Some(UTF_16BE)
    } else {
        None
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
        // Report the character's offset in the input.
        let offset = if enc == UTF_16LE || enc == UTF_16BE {
            bom_len + text[..i].encode_utf16().count() * 2
        } else if enc == UTF_8 {
            bom_len + i
        } else {
            let (bytes, _, _) = enc.encode(&text[..i]);
            bom_len + bytes.len()
        };
        return Err(Error::Binary {
            path,
            offset,
            byte: c as u8,
        });
    }
    if text.trim().is_empty() {
        return Err(Error::Empty { path });
    }
    let mut warnings = Vec::new();
    let p = plausibility(&text);
    if p.is_implausible() {
        warnings.push(format!(
            "implausible {} text: {:.0}% of its {} ideographs are rare or unassigned (wrong encoding or damaged extraction?)",
            enc.name(),
            (1.0 - p.share()) * 100.0,
            p.judged
        ));
    }
    Ok(Decoded {
        text,
        encoding: enc.name(),
        bom,
        warnings,
    })
}

/// Decodes without replacement; on failure returns the byte offset of the
/// first malformed sequence.
pub(crate) fn strict(enc: &'static Encoding, bytes: &[u8]) -> std::result::Result<String, usize> {
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
