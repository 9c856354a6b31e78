//! Text normalisation for scoring: lower case, hyphens as spaces, punctuation dropped, and
//! numbers written as digits one token per digit, whether they came as "seventy five", "75" or
//! "seven five". Pure functions; they decide nothing about letters.

use crate::text::numbers;

/// Words for term and identifier matching: lower case, hyphens and slashes as spaces, other
/// punctuation dropped (apostrophes inside words kept), single spaces.
pub fn words(text: &str) -> Vec<String> {
    let mut cleaned = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let c = if c == '\u{2019}' || c == '\u{2018}' {
            '\''
        } else {
            c
        };
        if c.is_alphanumeric() {
            cleaned.extend(c.to_lowercase());
        } else if c == '\'' {
            let inside = i > 0
                && chars[i - 1].is_alphanumeric()
                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
            cleaned.push(if inside { '\'' } else { ' ' });
        } else if c == '.'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            // A decimal point stays a word of its own: "0.6" -> "0 point 6".
            cleaned.push_str(" point ");
        } else if c == '%' {
            cleaned.push_str(" percent ");
        } else {
            cleaned.push(' ');
        }
    }
    cleaned.split_whitespace().map(str::to_owned).collect()
}

/// Words joined by single spaces.
pub fn text(s: &str) -> String {
    words(s).join(" ")
}

/// Words for word error rate: [`words`], then numbers as single digits, and a few spoken forms
/// mapped to what letters write ("doctor" -> "dr", "milligrams" -> "mg").
pub fn wer_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let ws = words(s);
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i].as_str();
        if let Some(digits) = digit_run(w) {
            out.extend(digits.chars().map(|c| c.to_string()));
            i += 1;
            continue;
        }
        let (consumed, value) = parse_number_words(&ws[i..]);
        if consumed > 0 {
            out.extend(value.chars().map(|c| c.to_string()));
            i += consumed;
            continue;
        }
        out.push(canonical(w).to_owned());
        i += 1;
    }
    out
}

/// "75" -> "75", "11th" -> "11", "22nd" -> "22"; anything else None.
fn digit_run(w: &str) -> Option<String> {
    let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = &w[digits.len()..];
    matches!(rest, "" | "st" | "nd" | "rd" | "th").then_some(digits)
}

fn canonical(w: &str) -> &str {
    match w {
        "doctor" => "dr",
        "mister" => "mr",
        "milligrams" | "milligram" => "mg",
        "micrograms" | "microgram" => "mcg",
        "millimoles" | "millimole" => "mmol",
        "per" => "per",
        "centimetres" | "centimetre" | "centimeters" => "cm",
        _ => w,
    }
}

/// A cardinal or ordinal number word below twenty ("seven", "eleventh"), as the letter stage
/// reads them.
fn small_number(w: &str) -> Option<u64> {
    if w == "oh" {
        return Some(0);
    }
    numbers::unit_value(w).or_else(|| {
        (1..20)
            .find(|n| numbers::ordinal_words(*n) == w)
            .map(u64::from)
    })
}

/// "twenty" ... "ninety", and their ordinals ("twentieth").
fn tens(w: &str) -> Option<u64> {
    numbers::tens_value(w).or_else(|| {
        let cardinal = w.strip_suffix("ieth").map(|stem| format!("{stem}y"))?;
        numbers::tens_value(&cardinal)
    })
}

/// Reads number words from the start of `ws`. Returns how many words were used and the digits.
/// Digit sequences ("nine nine nine") and year forms ("nineteen fifty eight") come out as the
/// digits a letter would show ("999", "1958").
fn parse_number_words(ws: &[String]) -> (usize, String) {
    let mut digits = String::new();
    let mut used = 0;
    // The number being built: total (thousands), current (under a thousand).
    let mut total: u64 = 0;
    let mut current: Option<u64> = None;
    // What the last word was, to decide whether the next one continues the same number.
    #[derive(PartialEq, Clone, Copy)]
    enum Last {
        None,
        Unit,
        Teen,
        Tens,
        Hundred,
        Thousand,
        And,
    }
    let mut last = Last::None;
    let flush = |digits: &mut String, total: &mut u64, current: &mut Option<u64>| {
        if current.is_some() || *total > 0 {
            digits.push_str(&(*total + current.unwrap_or(0)).to_string());
        }
        *total = 0;
        *current = None;
    };
    for w in ws {
        let w = w.as_str();
        if let Some(n) = small_number(w) {
            let continues = matches!(last, Last::Tens if n < 10)
                || matches!(last, Last::Hundred | Last::Thousand | Last::And);
            if !continues {
                flush(&mut digits, &mut total, &mut current);
            }
            current = Some(current.unwrap_or(0) + n);
            last = if n < 10 { Last::Unit } else { Last::Teen };
        } else if let Some(n) = tens(w) {
            let continues = matches!(last, Last::Hundred | Last::Thousand | Last::And);
            if !continues {
                flush(&mut digits, &mut total, &mut current);
            }
            current = Some(current.unwrap_or(0) + n);
            last = Last::Tens;
        } else if w == "hundred" && matches!(last, Last::Unit | Last::Teen) {
            current = Some(current.unwrap_or(1) * 100);
            last = Last::Hundred;
        } else if w == "thousand" && last != Last::None && last != Last::And {
            total += current.unwrap_or(1) * 1000;
            current = None;
            last = Last::Thousand;
        } else if w == "and" && matches!(last, Last::Hundred | Last::Thousand) {
            last = Last::And;
        } else {
            break;
        }
        used += 1;
    }
    if last == Last::And {
        // A trailing "and" belongs to the sentence, not the number.
        used -= 1;
    }
    flush(&mut digits, &mut total, &mut current);
    (used, digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(wer_words(input).join(" "), expected, "input: {input:?}");
    }

    #[test]
    fn numbers_become_digits_however_written() {
        check("seventy five milligrams", "7 5 mg");
        check("75 mg", "7 5 mg");
        check("nineteen fifty eight", "1 9 5 8");
        check("1958", "1 9 5 8");
        check("nine nine nine, one two six", "9 9 9 1 2 6");
        check("999 126 7050", "9 9 9 1 2 6 7 0 5 0");
        check("one hundred and forty over ninety", "1 4 0 over 9 0");
        check("two thousand and one", "2 0 0 1");
        check("one thousand two hundred and his", "1 2 0 0 and his");
        check("eleventh of June", "1 1 of june");
        check("11th of June", "1 1 of june");
        check("zero point six", "0 point 6");
        check("0.6", "0 point 6");
        check("seventy percent", "7 0 percent");
        check("70%", "7 0 percent");
        check("Doctor Anne", "dr anne");
    }

    #[test]
    fn words_drop_punctuation_but_keep_inner_apostrophes() {
        assert_eq!(
            text("Cow's milk-protein allergy, 'quoted'."),
            "cow's milk protein allergy quoted"
        );
        assert_eq!(text("Dr. Mitchell"), "dr mitchell");
    }
}
