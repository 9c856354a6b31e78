//! Text normalisation for scoring: lower case, hyphens as spaces, punctuation dropped, and
//! numbers written as digits one token per digit, whether they came as "seventy five", "75" or
//! "seven five". Pure functions; they decide nothing about letters.

use crate::text::numbers::{self, Reading};

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
    let owned = words(s);
    let ws: Vec<&str> = owned.iter().map(String::as_str).collect();
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i];
        if let Some(digits) = digit_run(w) {
            out.extend(digits.chars().map(|c| c.to_string()));
            i += 1;
            continue;
        }
        // Numbers said one after another ("nine nine nine", "nineteen fifty eight") come one at
        // a time, digit by digit, a decimal point as the word "point" ("0.6" reads the same).
        if let Some((consumed, digits)) = numbers::spelled(&ws[i..], Reading::Spoken) {
            out.extend(digits.chars().map(|c| match c {
                '.' => "point".to_owned(),
                c => c.to_string(),
            }));
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
        check("seven zero five zero", "7 0 5 0");
        check("oh seven nine", "0 7 9");
        check("twenty oh seven", "2 0 0 7");
        check("zero and five", "0 and 5");
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
