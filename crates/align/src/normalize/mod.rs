//! Text normalization: a pipeline of small filters, each in its own file,
//! composed with a builder (as tantivy's `TextAnalyzer`).
//!
//! A [`NormText`] is a sequence of characters, each carrying the byte
//! offset in the original text it came from. Filters replace, drop or
//! expand characters but never change an offset, so any span of the
//! normalized text maps back to a span of the raw text (evidence a
//! researcher can cite).

mod nfkc;
mod punct;
mod regional;
mod rownum;
mod t2s;
mod text;

pub use nfkc::Nfkc;
pub use punct::Punctuation;
pub use regional::RegionalWords;
pub use rownum::RowNumbers;
pub use t2s::TraditionalToSimplified;
pub use text::{Filter, NormText};

/// A composed pipeline of filters.
#[derive(Debug)]
pub struct Normalizer {
    filters: Vec<Box<dyn Filter>>,
}

/// Builds a [`Normalizer`].
#[derive(Debug, Default)]
pub struct NormalizerBuilder {
    filters: Vec<Box<dyn Filter>>,
}

impl NormalizerBuilder {
    /// Appends a filter.
    pub fn filter(mut self, f: impl Filter + 'static) -> Self {
        self.filters.push(Box::new(f));
        self
    }

    /// The pipeline.
    pub fn build(self) -> Normalizer {
        Normalizer {
            filters: self.filters,
        }
    }
}

impl Normalizer {
    /// An empty pipeline to add filters to.
    pub fn builder() -> NormalizerBuilder {
        NormalizerBuilder::default()
    }

    /// The standard pipeline: NFKC, traditional → simplified, punctuation
    /// and whitespace removal, regional-word neutralization (with
    /// `places`, e.g. a document's region names) and spliced row numbers.
    pub fn standard(places: &[String]) -> Normalizer {
        Normalizer::builder()
            .filter(Nfkc)
            .filter(TraditionalToSimplified)
            .filter(Punctuation)
            .filter(RegionalWords::new(places))
            .filter(RowNumbers)
            .build()
    }

    /// Runs the filters over `text` (offsets start at `base`).
    pub fn normalize_at(&self, text: &str, base: usize) -> NormText {
        let mut t = NormText::from_str_at(text, base);
        self.run(&mut t);
        t
    }

    /// Runs the filters over `text`.
    pub fn normalize(&self, text: &str) -> NormText {
        self.normalize_at(text, 0)
    }

    /// Runs the filters over an already built [`NormText`]: each filter
    /// in order, repeated until nothing changes (removing a word can join
    /// the halves of another), so the result is idempotent.
    pub fn run(&self, t: &mut NormText) {
        for _ in 0..8 {
            let mut again = false;
            for f in &self.filters {
                again |= f.apply(t);
            }
            if !again {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn standard_pipeline() {
        let n = Normalizer::standard(&["通辽市".to_string(), "通辽".to_string()]);
        let cases = [
            ("full width", "ＰＰＰ项目（试点）", "ppp项目试点"),
            ("traditional", "政務公開", "政务公开"),
            (
                "regional words",
                "全市各级政府要公开我市财政信息",
                "各级政府要公开财政信息",
            ),
            ("national words", "国务院有关部门要在全国推广", "要在推广"),
            ("place names", "通辽市政府网站", "政府网站"),
            ("row numbers", "助力101112推进化解", "助力推进化解"),
            ("quantities kept", "每年2次", "每年2次"),
        ];
        for (name, input, expected) in cases {
            assert_eq!(n.normalize(input).as_string(), expected, "case {name}");
        }
    }

    #[test]
    fn offsets_map_back() {
        let n = Normalizer::standard(&[]);
        let raw = "全市：政務公開";
        let t = n.normalize_at(raw, 100);
        assert_eq!(t.as_string(), "政务公开");
        assert_eq!(t.raw_span(0..4), 100 + "全市：".len()..100 + raw.len());
    }

    proptest! {
        #[test]
        fn idempotent(s in "\\PC{0,80}") {
            let n = Normalizer::standard(&["通辽市".to_string()]);
            let once = n.normalize(&s).as_string();
            let twice = n.normalize(&once).as_string();
            prop_assert_eq!(once, twice);
        }

        /// Idempotence on text made of the pieces filters act on:
        /// fragments of speaker words, place names, digits, quantity
        /// words, traditional characters and combining marks, so removals
        /// join them in every way.
        #[test]
        fn idempotent_on_joined_fragments(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "全", "国", "全国", "市", "市政府", "政府", "有关部门", "国务院", "务院",
                "通辽", "通辽市", "1", "12", "第", "年", "推进", "政務", "\u{301}", "ｅ",
                "、", " ", "我", "区", "县", "旗县市区", "乾", "干", "a",
            ]),
            0..24,
        )) {
            let n = Normalizer::standard(&["通辽市".to_string()]);
            let s: String = pieces.concat();
            let once = n.normalize(&s).as_string();
            let twice = n.normalize(&once).as_string();
            prop_assert_eq!(once, twice, "input {:?}", s);
        }

        #[test]
        fn offsets_in_bounds(s in "\\PC{0,80}") {
            let n = Normalizer::standard(&[]);
            let t = n.normalize(&s);
            for (i, &o) in t.offsets.iter().enumerate() {
                prop_assert!(o + t.widths[i] as usize <= s.len());
                prop_assert!(s.is_char_boundary(o));
            }
        }
    }
}
