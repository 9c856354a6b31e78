//! Numbers, doses, dates and NHS numbers as a UK letter writes them: "five milligrams" -> "5 mg",
//! "one hundred and forty over ninety" -> "140/90", "zero point six" -> "0.6", "type two" ->
//! "type 2", "11th of June 1958" -> "11 June 1958", "NHS number 999-015-8398" -> "999 015 8398"
//! (checked with Modulus 11; one that fails is kept as heard and flagged, never "fixed"). Counts
//! from one to nine stay words in prose. A pure stage: text in, text and flags out.

use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde::Serialize;

/// Something the secretary must check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub kind: &'static str,
    pub message: String,
}

/// Unit words after a number, and how a UK prescriber writes them. Micrograms and units stay in
/// full: abbreviated, they are misread (NHS safe-prescribing guidance).
const UNITS: &[(&str, &str)] = &[
    ("milligrams", "mg"),
    ("milligram", "mg"),
    ("mgs", "mg"),
    ("micrograms", "micrograms"),
    ("microgram", "micrograms"),
    ("grams", "g"),
    ("gram", "g"),
    ("kilograms", "kg"),
    ("kilos", "kg"),
    ("millilitres", "mL"),
    ("milliliters", "mL"),
    ("mls", "mL"),
    ("millimoles per mole", "mmol/mol"),
    ("millimoles per litre", "mmol/L"),
    ("millimoles per liter", "mmol/L"),
    ("millimoles", "mmol"),
    // Creatinine, bilirubin and urate as UK laboratories report them.
    ("micromoles per litre", "micromol/L"),
    ("micromoles per liter", "micromol/L"),
    ("micromoles", "micromol"),
    ("litres per minute", "L/min"),
    ("liters per minute", "L/min"),
    ("centimetres", "cm"),
    ("centimeters", "cm"),
    ("millimetres", "mm"),
    ("millimeters", "mm"),
    ("percent", "%"),
    ("per cent", "%"),
    ("units", "units"),
    ("unit", "unit"),
];

/// The words of the units above ("millimoles", "per", "litre").
pub fn unit_words() -> impl Iterator<Item = &'static str> {
    UNITS.iter().flat_map(|(said, _)| said.split(' '))
}

const MONTHS: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

static UNIT_RE: LazyLock<Regex> = LazyLock::new(|| {
    let alts: Vec<String> = UNITS.iter().map(|(w, _)| regex::escape(w)).collect();
    Regex::new(&format!(
        r"(?i)\b(\d+(?:\.\d+)?)(?:\s*-\s*|\s+)?({})\b",
        alts.join("|")
    ))
    .expect("unit pattern")
});
static PERCENT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d) %").expect("percent pattern"));
static BP_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{2,3}) over (\d{2,3})\b").expect("bp pattern"));
/// A blood pressure's number said "one hundred and fifty two" and written by Whisper in digits as
/// two ("100 and 52 over 80", "168 over 100, and 12"): beside "over" it is one reading, so the
/// hundreds and the rest are one number. Elsewhere "300 and 75" may be two doses: left as heard.
static BP_HUNDRED_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([1-9])00,? and ([1-9]\d?) over (\d{2,3})\b").expect("bp hundreds pattern")
});
static BP_HUNDRED_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    // The reading ends there: a clause's end, or a word that goes on about it ("150 over 100
    // and 2 weeks later" stays).
    Regex::new(
        r"\b(\d{2,3}) over ([1-9])00,? and ([1-9]\d?)(\s*[.,;:!?]|\s*$| (?:mm|mmHg|with|and|which|lying|standing|sitting|on|in|at|to|but|so)\b)",
    )
    .expect("bp hundreds pattern")
});
static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:,)?(?: of)? ({MONTHS})\b(?:,? (\d{{4}})\b)?"
    ))
    .expect("date pattern")
});
/// "Type two" before the conditions a clinic letter numbers that way, as Whisper may write it:
/// "typed two diabetes" (the t of "two" heard as the end of "typed"), "Type II respiratory
/// failure" (UK letters write type 1 and type 2 diabetes and respiratory failure in digits).
static CONDITION_TYPE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([Tt])yped? (one|two|1|2|I|II)\b( diabet|[ -]respiratory failure)")
        .expect("condition type pattern")
});
/// The days of a month said as ordinals, as a pattern's alternatives: longest first, so that
/// "twenty first" wins over "twenty"; the words apart by a space or a hyphen.
fn ordinal_alternatives() -> String {
    let mut words: Vec<String> = (1..=31).map(ordinal_words).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alts: Vec<String> = words.iter().map(|w| w.replace(' ', "[ -]")).collect();
    alts.join("|")
}
static ORDINAL_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({})(?: of)? ({MONTHS})\b",
        ordinal_alternatives()
    ))
    .expect("ordinal date pattern")
});
/// A day whose tens Whisper wrote as digits and whose units as an ordinal ("20 second of July"
/// for twenty second): one day of the month.
static TENS_ORDINAL_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let units: Vec<String> = (1..=9).map(ordinal_words).collect();
    Regex::new(&format!(
        r"(?i)\b([23]0)[ -]({})((?: of)? (?:{MONTHS})\b)",
        units.join("|")
    ))
    .expect("tens and ordinal date pattern")
});
/// A day of a date run onto the word before it by a hyphen ("date of birth-eighth of October"):
/// the hyphen is a space, not a minus.
static GLUED_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)([a-z])-((?:\d{{1,2}}(?:st|nd|rd|th)?|{})(?: of)? (?:{MONTHS})\b)",
        ordinal_alternatives()
    ))
    .expect("glued date pattern")
});
static NHS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(NHS (?:number\b|no\b|#)[:,.]?\s*(?:is\s+)?)([0-9][0-9 ,.\-]{6,20}[0-9])")
        .expect("nhs pattern")
});

/// "first" ... "thirty first".
fn ordinal_words(n: u32) -> String {
    const ORD: [&str; 20] = [
        "",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    match n {
        1..=19 => ORD[n as usize].to_owned(),
        20 => "twentieth".to_owned(),
        21..=29 => format!("twenty {}", ORD[(n - 20) as usize]),
        30 => "thirtieth".to_owned(),
        _ => format!("thirty {}", ORD[(n - 30) as usize]),
    }
}

/// Applies the number rules to one paragraph.
pub fn normalise(text: &str) -> (String, Vec<Flag>) {
    let mut flags = Vec::new();
    let text = GLUED_DATE_RE.replace_all(text, "$1 $2");
    let text = TENS_ORDINAL_DATE_RE.replace_all(&text, |c: &Captures| {
        let tens: u32 = c[1].parse().unwrap_or(0);
        let unit = (1..=9)
            .find(|n| ordinal_words(*n) == c[2].to_lowercase())
            .unwrap_or(0);
        match tens + unit {
            day @ 1..=31 => format!("{}{}", ordinal_words(day), &c[3]),
            _ => c[0].to_owned(),
        }
    });
    let text = ORDINAL_DATE_RE.replace_all(&text, |c: &Captures| {
        let spoken = c[1].to_lowercase().replace('-', " ");
        let day = (1..=31).find(|n| ordinal_words(*n) == spoken).unwrap_or(1);
        format!("{day} {}", &c[2])
    });
    let text = CONDITION_TYPE_RE.replace_all(&text, |c: &Captures| {
        let n = if matches!(&c[2], "one" | "1" | "I") {
            1
        } else {
            2
        };
        format!("{}ype {n}{}", &c[1], &c[3])
    });
    let text = words_to_digits(&text);
    let text = UNIT_RE.replace_all(&text, |c: &Captures| {
        let unit = c[2].to_lowercase();
        let short = UNITS
            .iter()
            .find(|(w, _)| *w == unit)
            .map_or(unit.as_str(), |(_, s)| s);
        if short == "%" {
            format!("{}%", &c[1])
        } else {
            format!("{} {short}", &c[1])
        }
    });
    let text = PERCENT_RE.replace_all(&text, "$1%");
    let hundreds = |h: &str, rest: &str| {
        h.parse::<u32>().unwrap_or(0) * 100 + rest.parse::<u32>().unwrap_or(0)
    };
    let text = BP_HUNDRED_BEFORE_RE.replace_all(&text, |c: &Captures| {
        format!("{} over {}", hundreds(&c[1], &c[2]), &c[3])
    });
    let text = BP_HUNDRED_AFTER_RE.replace_all(&text, |c: &Captures| {
        format!("{} over {}{}", &c[1], hundreds(&c[2], &c[3]), &c[4])
    });
    let text = BP_RE.replace_all(&text, "$1/$2");
    let text = DATE_RE.replace_all(&text, |c: &Captures| match c.get(3) {
        Some(y) => format!("{} {} {}", &c[1], &c[2], y.as_str()),
        None => format!("{} {}", &c[1], &c[2]),
    });
    let text = NHS_RE.replace_all(&text, |c: &Captures| {
        let digits: String = c[2].chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 10 && nhs_valid(&digits) {
            // "NHS #" (as the base model writes it) becomes "NHS number ".
            let label = c[1].replace('#', "number ");
            format!("{label}{} {} {}", &digits[..3], &digits[3..6], &digits[6..])
        } else {
            flags.push(Flag {
                kind: "nhs_number",
                message: format!(
                    "the NHS number was heard as \"{}\", which {}: check it against the records",
                    c[2].trim(),
                    if digits.len() == 10 {
                        "fails the Modulus 11 check"
                    } else {
                        "does not have 10 digits"
                    }
                ),
            });
            c[0].to_owned()
        }
    });
    (text.into_owned(), flags)
}

/// The NHS number check digit (Modulus 11).
pub fn nhs_valid(digits: &str) -> bool {
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 10 {
        return false;
    }
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
    let check = 11 - sum % 11;
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == d[9]
}

/// Words the number and date rules read: number words, ordinals, months, "hundred", "point".
pub fn is_number_word(lower: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    unit_value(lower).is_some()
        || tens_value(lower).is_some()
        || MONTHS.contains(&lower)
        || matches!(
            lower,
            "hundred" | "thousand" | "million" | "point" | "and" | "half" | "quarter" | "oh"
        )
        || (1..=31).any(|n| ordinal_words(n) == lower)
}

/// "zero" ... "nineteen".
fn unit_value(w: &str) -> Option<u64> {
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    SMALL.iter().position(|s| *s == w).map(|n| n as u64)
}

/// "twenty" ... "ninety".
fn tens_value(w: &str) -> Option<u64> {
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    TENS.iter()
        .position(|s| *s == w)
        .map(|n| (n as u64 + 2) * 10)
}

/// Which words a spelled number may be made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Cardinals only, as the letter stage reads them (ordinals are its dates' business).
    Cardinals,
    /// Ordinals ("eleventh", "twentieth") and "oh" as well, as a listener hears them: the
    /// scorer's reading, so that "eleventh of June" and "11th of June" compare alike.
    Spoken,
}

/// A word below twenty: "zero" ... "nineteen", and when `reading` allows, "oh" and the
/// ordinals "first" ... "nineteenth".
fn below_twenty(w: &str, reading: Reading) -> Option<u64> {
    unit_value(w).or_else(|| {
        if reading != Reading::Spoken {
            return None;
        }
        if w == "oh" {
            return Some(0);
        }
        (1..20).find(|n| ordinal_words(*n) == w).map(u64::from)
    })
}

/// "twenty" ... "ninety", and when `reading` allows, "twentieth" ... "ninetieth".
fn tens_of(w: &str, reading: Reading) -> Option<u64> {
    tens_value(w).or_else(|| {
        if reading != Reading::Spoken {
            return None;
        }
        tens_value(&format!("{}y", w.strip_suffix("ieth")?))
    })
}

/// A number spelled out at the start of `words`: how many words it takes and its digits
/// ("one hundred and forty" -> (4, "140"), "four point eight" -> (3, "4.8")). Numbers said one
/// after another are separate numbers: "nine nine nine" is three, "nineteen fifty eight" two.
/// A zero is a number of its own, before or after another ("zero five" and "twenty zero" are
/// two): no digit said is lost.
pub fn spelled(words: &[&str], reading: Reading) -> Option<(usize, String)> {
    let lw: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let mut i = 0;
    let mut total = 0u64;
    let mut current = 0u64;
    let mut any = false;
    let mut last_small = false;
    while i < lw.len() {
        // Only a zero said so far: nothing continues it (a decimal point is read below).
        if any && total == 0 && current == 0 {
            break;
        }
        let w = lw[i].as_str();
        if let Some(n) = below_twenty(w, reading) {
            if any && n == 0 {
                break;
            }
            if any
                && (last_small || !current.is_multiple_of(10) || n >= 10)
                && !current.is_multiple_of(100)
            {
                break;
            }
            current += n;
            last_small = true;
        } else if let Some(n) = tens_of(w, reading) {
            if any && !current.is_multiple_of(100) {
                break;
            }
            current += n;
            last_small = false;
        } else if w == "hundred" && any && current < 100 {
            current = current.max(1) * 100;
            last_small = false;
        } else if w == "thousand" && any {
            total += current.max(1) * 1000;
            current = 0;
            last_small = false;
        } else if w == "and"
            && any
            && (current.is_multiple_of(100) || total > 0)
            && i + 1 < lw.len()
            && (below_twenty(&lw[i + 1], reading).is_some()
                || tens_of(&lw[i + 1], reading).is_some())
        {
            i += 1;
            continue;
        } else {
            break;
        }
        any = true;
        i += 1;
    }
    if !any {
        return None;
    }
    let mut digits = (total + current).to_string();
    // "point" and single digits after it: a decimal.
    if lw.get(i).map(String::as_str) == Some("point") {
        let mut j = i + 1;
        let mut frac = String::new();
        while let Some(d) = lw
            .get(j)
            .and_then(|w| below_twenty(w, reading))
            .filter(|d| *d < 10)
        {
            frac.push_str(&d.to_string());
            j += 1;
        }
        if !frac.is_empty() {
            digits = format!("{digits}.{frac}");
            i = j;
        }
    }
    Some((i, digits))
}

fn is_unit_start(w: &str) -> bool {
    let w = w.to_lowercase();
    UNITS
        .iter()
        .any(|(u, _)| u.split(' ').next() == Some(w.as_str()))
        || MONTHS.split('|').any(|m| m.eq_ignore_ascii_case(&w))
}

/// Spelled-out numbers become digits where a letter writes digits: before a unit, with a
/// decimal point, from ten up, after "type", and in "x over y". One to nine in prose stay words.
fn words_to_digits(text: &str) -> String {
    // Work word by word, keeping the separators.
    let pieces: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        // Trailing punctuation on the last word of a number stays after the digits.
        let bare: Vec<&str> = pieces[i..]
            .iter()
            .map(|p| p.trim_end_matches([',', '.', ';', ':', '?', '!', ')']))
            .collect();
        // A number may only run across words that carry no punctuation before its end.
        let run = bare
            .iter()
            .zip(&pieces[i..])
            .position(|(b, p)| b.len() != p.len())
            .map_or(bare.len(), |k| k + 1);
        if let Some((n, digits)) = spelled(&bare[..run], Reading::Cardinals) {
            let next = bare.get(n).copied().unwrap_or("");
            let prev = out.last().map(|s| s.to_lowercase()).unwrap_or_default();
            let value: f64 = digits.parse().unwrap_or(0.0);
            let keep_digits = digits.contains('.')
                || value >= 10.0
                || prev == "type"
                || prev == "over"
                || next.eq_ignore_ascii_case("over")
                || is_unit_start(next)
                || (next.eq_ignore_ascii_case("of")
                    && bare
                        .get(n + 1)
                        .is_some_and(|m| MONTHS.split('|').any(|x| x.eq_ignore_ascii_case(m))));
            if keep_digits {
                let tail = &pieces[i + n - 1][bare[n - 1].len()..];
                out.push(format!("{digits}{tail}"));
                i += n;
                continue;
            }
        }
        out.push(pieces[i].to_owned());
        i += 1;
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(normalise(input).0, expected, "input: {input:?}");
    }

    #[test]
    fn doses_and_units() {
        check("five milligrams twice daily", "5 mg twice daily");
        check(
            "clopidogrel 75 milligrams once daily",
            "clopidogrel 75 mg once daily",
        );
        check(
            "increased to one gram twice daily",
            "increased to 1 g twice daily",
        );
        check("four point eight grams daily", "4.8 g daily");
        check("prednisolone forty milligrams.", "prednisolone 40 mg.");
        check("HbA1c 58 millimoles per mole", "HbA1c 58 mmol/mol");
        check("200 micrograms twice daily", "200 micrograms twice daily");
        check(
            "urate is 560 micromoles per litre",
            "urate is 560 micromol/L",
        );
        check("ten units at night", "10 units at night");
        check("a 70% stenosis", "a 70% stenosis");
        check("seventy percent stenosis", "70% stenosis");
        check("320 litres per minute", "320 L/min");
        check("6 cm", "6 cm");
        check("six centimetres", "6 cm");
    }

    #[test]
    fn a_zero_is_a_number_of_its_own() {
        let read = |ws: &str, r| spelled(&ws.split(' ').collect::<Vec<_>>(), r);
        assert_eq!(read("zero five", Reading::Cardinals), Some((1, "0".into())));
        assert_eq!(
            read("twenty zero", Reading::Cardinals),
            Some((1, "20".into()))
        );
        assert_eq!(
            read("zero and five", Reading::Cardinals),
            Some((1, "0".into()))
        );
        assert_eq!(
            read("zero point five", Reading::Cardinals),
            Some((3, "0.5".into()))
        );
        assert_eq!(read("oh five", Reading::Spoken), Some((1, "0".into())));
        assert_eq!(read("oh five", Reading::Cardinals), None);
        // The zero said stays in the letter, not dropped from the dose after it.
        check("zero five milligrams", "zero 5 mg");
    }

    #[test]
    fn numbers_in_prose() {
        check("one hundred and forty over ninety", "140/90");
        check("140 over 90", "140/90");
        // A reading's hundreds written apart by Whisper ("one hundred and fifty two over eighty").
        check(
            "fell from 100 and 52 over 80 to 100 and 22 over 70",
            "fell from 152/80 to 122/70",
        );
        check(
            "a pressure of 168 over 100, and 12.",
            "a pressure of 168/112.",
        );
        check("below 100 and 40 over 90", "below 140/90");
        // Not away from "over": two quantities may be meant.
        check("aspirin 300 and 75 daily", "aspirin 300 and 75 daily");
        check("140 over 90 and 12 others", "140/90 and 12 others");
        check(
            "150 over 100 and 2 weeks later",
            "150/100 and 2 weeks later",
        );
        check("100 and 50 over 5 days", "100 and 50 over 5 days");
        check(
            "eosinophil count is zero point six",
            "eosinophil count is 0.6",
        );
        check("type two diabetes", "type 2 diabetes");
        check("She has typed two diabetes.", "She has type 2 diabetes.");
        check("Type II respiratory failure", "Type 2 respiratory failure");
        check("type I diabetic", "type 1 diabetic");
        // Not before other words: a secretary typed two letters; type II hypersensitivity.
        check("she typed two letters", "she typed two letters");
        check("type II hypersensitivity", "type II hypersensitivity");
        check(
            "four courses of prednisolone",
            "four courses of prednisolone",
        );
        check("sixty two parts per billion", "62 parts per billion");
        check("one thousand two hundred and his", "1200 and his");
        check("every four weeks", "every four weeks");
        check("one of the", "one of the");
    }

    #[test]
    fn dates() {
        check(
            "date of birth 11th of June 1958",
            "date of birth 11 June 1958",
        );
        check("born eleventh of June 1958", "born 11 June 1958");
        check(
            "date of birth twenty seventh of February 2001",
            "date of birth 27 February 2001",
        );
        check("Third of April 1949", "3 April 1949");
        check(
            "date of birth 5th of January, 1991.",
            "date of birth 5 January 1991.",
        );
        check("seen on 3rd March", "seen on 3 March");
        // Run onto the word before by a hyphen: no minus sign.
        check(
            "date of birth-eighth of October 1949",
            "date of birth 8 October 1949",
        );
        check(
            "date of birth-8th of October 1949",
            "date of birth 8 October 1949",
        );
        check(
            "date of birth 22nd on September 1962",
            "date of birth 22nd on September 1962",
        );
        // The tens written as digits, the units said as an ordinal.
        check(
            "date of birth 20 second of July 1999",
            "date of birth 22 July 1999",
        );
        check("seen on 30-first of May", "seen on 31 May");
        check("20 second of rest", "20 second of rest");
    }

    #[test]
    fn nhs_numbers() {
        check("NHS number 999-015-8398.", "NHS number 999 015 8398.");
        check("NHS number 999 015 8398", "NHS number 999 015 8398");
        check("NHS #999-126-7050.", "NHS number 999 126 7050.");
        let (text, flags) = normalise("NHS number 99456, 7128, dear colleague");
        assert_eq!(text, "NHS number 99456, 7128, dear colleague");
        assert_eq!(flags.len(), 1);
        assert!(
            flags[0].message.contains("does not have 10 digits"),
            "{flags:?}"
        );
        let (text, flags) = normalise("NHS number 999 015 8397");
        assert_eq!(
            text, "NHS number 999 015 8397",
            "a failing number is kept as heard"
        );
        assert!(flags[0].message.contains("Modulus 11"));
    }

    #[test]
    fn modulus_11() {
        assert!(nhs_valid("9990158398"));
        assert!(nhs_valid("9991267050"));
        assert!(!nhs_valid("9990158397"));
        assert!(!nhs_valid("999015839"));
    }
}
