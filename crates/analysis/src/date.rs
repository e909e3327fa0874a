//! Days between calendar dates (the response lag).

use luoshi_core::Date;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard
/// Hinnant's `days_from_civil`).
fn days(d: Date) -> i64 {
    let (m, day) = (i64::from(d.month), i64::from(d.day));
    let y = i64::from(d.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days from `from` to `to`: positive when `to` is later.
pub fn days_between(from: Date, to: Date) -> i64 {
    days(to) - days(from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn known_spans() {
        let cases = [
            ("same day", "2017-03-09", "2017-03-09", 0),
            ("national to 通辽", "2017-03-09", "2017-06-06", 89),
            ("across a leap day", "2016-02-28", "2016-03-01", 2),
            ("no leap day", "2017-02-28", "2017-03-01", 1),
            ("a year", "2017-03-09", "2018-03-09", 365),
            ("backwards", "2017-03-09", "2017-03-01", -8),
            ("epoch", "1970-01-01", "2000-01-01", 10_957),
        ];
        for (name, a, b, want) in cases {
            assert_eq!(days_between(d(a), d(b)), want, "case {name}");
        }
    }
}
