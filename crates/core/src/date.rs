//! A calendar date as documents state it (`2017-05-08`), validated.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A validated Gregorian date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1900..=2200.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, valid for the month and year.
    pub day: u8,
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad date `{input}`: expected YYYY-MM-DD with a real day between 1900 and 2200")]
pub struct DateError {
    /// The refused input.
    pub input: String,
}

impl Date {
    /// Builds a date, checking month and day ranges (leap years included).
    ///
    /// # Errors
    /// [`DateError`] when the date does not exist.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        if !(1900..=2200).contains(&year) || day == 0 || day > days {
            return Err(DateError {
                input: format!("{year:04}-{month:02}-{day:02}"),
            });
        }
        Ok(Date { year, month, day })
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError {
            input: s.to_string(),
        };
        let mut parts = s.trim().split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
            return Err(err());
        }
        let y: u16 = y.parse().map_err(|_| err())?;
        let m: u8 = m.parse().map_err(|_| err())?;
        let d: u8 = d.parse().map_err(|_| err())?;
        Date::new(y, m, d).map_err(|_| err())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        let cases = [
            ("plain", "2017-05-08", true),
            ("leap day", "2016-02-29", true),
            ("not leap", "2017-02-29", false),
            ("month 13", "2017-13-01", false),
            ("day zero", "2017-01-00", false),
            ("slashes", "2017/05/08", false),
            ("too many parts", "2017-05-08-01", false),
            ("short year", "17-05-08", false),
        ];
        for (name, input, ok) in cases {
            assert_eq!(input.parse::<Date>().is_ok(), ok, "case {name}: {input}");
        }
        assert_eq!(
            "2017-5-8".parse::<Date>().unwrap().to_string(),
            "2017-05-08"
        );
    }
}
