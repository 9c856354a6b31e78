//! Dates as UK letters write them ("5 March 2026", "05/03/2026") and as sidecars and answer keys
//! give them (ISO, "2026-03-05"), through the `time` crate's format descriptions: the one place
//! a date is turned into words. Pure: the caller says which day.

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::Date;

/// "5 March 2026": no leading zero, no ordinal.
const LONG: &[BorrowedFormatItem<'_>] =
    format_description!("[day padding:none] [month repr:long] [year]");
/// "05/03/2026".
const NUMERIC: &[BorrowedFormatItem<'_>] = format_description!("[day]/[month]/[year]");
/// "2026-03-05".
const ISO: &[BorrowedFormatItem<'_>] = format_description!("[year]-[month]-[day]");

/// A date in the UK long form letters use: "5 March 2026".
pub fn uk_long(date: Date) -> String {
    date.format(LONG).unwrap_or_default()
}

/// A date in the UK numeric form: "05/03/2026".
pub fn uk_numeric(date: Date) -> String {
    date.format(NUMERIC).unwrap_or_default()
}

/// "1958-06-11" -> the date; `None` for anything but a whole ISO date.
pub fn parse_iso(iso: &str) -> Option<Date> {
    Date::parse(iso.trim(), ISO).ok()
}

/// "1958-06-11" -> "11 June 1958"; `None` for anything but a whole ISO date.
pub fn iso_to_uk(iso: &str) -> Option<String> {
    parse_iso(iso).map(uk_long)
}

/// "11 June 1958" -> the date; `None` for anything but a whole date in the long form.
pub fn parse_uk_long(text: &str) -> Option<Date> {
    Date::parse(text, LONG).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_dates_have_no_leading_zero_or_ordinal() {
        let d = time::macros::date!(2026 - 03 - 05);
        assert_eq!(uk_long(d), "5 March 2026");
        assert_eq!(uk_numeric(d), "05/03/2026");
    }

    #[test]
    fn iso_dates_read_as_uk_ones_and_back() {
        assert_eq!(iso_to_uk("2001-02-27").as_deref(), Some("27 February 2001"));
        assert_eq!(iso_to_uk(" 1958-06-11 ").as_deref(), Some("11 June 1958"));
        assert_eq!(iso_to_uk("1958-13-11"), None);
        assert_eq!(iso_to_uk("11/06/1958"), None);
        assert_eq!(
            parse_uk_long("11 June 1958"),
            Some(time::macros::date!(1958 - 06 - 11))
        );
        assert_eq!(parse_uk_long("June 1958"), None);
    }
}
