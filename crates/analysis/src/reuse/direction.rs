//! Which document of a pair is the likely source: the one issued earlier
//! (a document cannot copy one not yet issued); when the issue dates are
//! unknown or the same, the one of higher level (province → prefecture →
//! county) within one province (a level says nothing across provinces);
//! unknown otherwise.

use luoshi_core::{AdminLevel, DocumentMeta};

use crate::reuse::types::Basis;

/// A level's rank as a source: national 0 … county 3, unknown 4.
pub(crate) fn rank(l: Option<AdminLevel>) -> u8 {
    match l {
        Some(AdminLevel::National) => 0,
        Some(AdminLevel::Province) => 1,
        Some(AdminLevel::Prefecture) => 2,
        Some(AdminLevel::County) => 3,
        None => 4,
    }
}

/// `Some((true, basis))` when `a` is the likely source of `b`,
/// `Some((false, basis))` when `b` is that of `a`, `None` when the
/// manifest cannot tell.
pub(crate) fn direction(a: &DocumentMeta, b: &DocumentMeta) -> Option<(bool, Basis)> {
    if let (Some(da), Some(db)) = (a.issued, b.issued)
        && da != db
    {
        return Some((da < db, Basis::Date));
    }
    // An unknown province (empty) does not rule a level out.
    let same_province = a.province.is_empty() || b.province.is_empty() || a.province == b.province;
    match (a.level, b.level) {
        (Some(la), Some(lb)) if la != lb && same_province => {
            Some((rank(Some(la)) < rank(Some(lb)), Basis::Level))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(level: Option<AdminLevel>, issued: Option<&str>) -> DocumentMeta {
        let mut m = DocumentMeta::for_file("x.txt".as_ref());
        m.level = level;
        m.issued = issued.map(|d| d.parse().unwrap());
        m
    }

    fn in_province(mut m: DocumentMeta, p: &str) -> DocumentMeta {
        m.province = p.into();
        m
    }

    #[test]
    fn date_first_then_level_within_a_province() {
        use AdminLevel::*;
        let cases = [
            (
                "a county issued before its province's document is not its copy",
                meta(Some(Province), Some("2017-06-01")),
                meta(Some(County), Some("2017-05-01")),
                Some((false, Basis::Date)),
            ),
            (
                "province over county, same day",
                in_province(meta(Some(Province), Some("2017-05-01")), "四川省"),
                in_province(meta(Some(County), Some("2017-05-01")), "四川省"),
                Some((true, Basis::Level)),
            ),
            (
                "levels of two provinces tell nothing",
                in_province(meta(Some(Province), None), "西藏自治区"),
                in_province(meta(Some(Prefecture), None), "四川省"),
                None,
            ),
            (
                "county under prefecture",
                meta(Some(County), None),
                meta(Some(Prefecture), None),
                Some((false, Basis::Level)),
            ),
            (
                "same level, earlier first",
                meta(Some(County), Some("2017-05-01")),
                meta(Some(County), Some("2017-06-01")),
                Some((true, Basis::Date)),
            ),
            (
                "unknown level, later",
                meta(None, Some("2017-07-01")),
                meta(Some(County), Some("2017-06-01")),
                Some((false, Basis::Date)),
            ),
            (
                "same day",
                meta(Some(County), Some("2017-05-01")),
                meta(Some(County), Some("2017-05-01")),
                None,
            ),
            ("nothing known", meta(None, None), meta(None, None), None),
        ];
        for (name, a, b, want) in cases {
            assert_eq!(direction(&a, &b), want, "case {name}");
        }
    }
}
