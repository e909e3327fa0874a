//! Which document of a pair is the likely source: the one of higher
//! level (province → prefecture → county), else the one issued earlier;
//! unknown when the manifest gives neither difference.

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
    if let (Some(la), Some(lb)) = (a.level, b.level)
        && la != lb
    {
        return Some((rank(Some(la)) < rank(Some(lb)), Basis::Level));
    }
    match (a.issued, b.issued) {
        (Some(da), Some(db)) if da != db => Some((da < db, Basis::Date)),
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

    #[test]
    fn level_first_then_date() {
        use AdminLevel::*;
        let cases = [
            (
                "province over county",
                meta(Some(Province), Some("2017-06-01")),
                meta(Some(County), Some("2017-05-01")),
                Some((true, Basis::Level)),
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
