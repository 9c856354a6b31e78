//! Scores a finished letter against an answer key: term recall (with what stood there instead of
//! a missed term), identifiers, leftover spoken commands, word error rate. Pure: text in,
//! numbers out.

use serde::{Deserialize, Serialize};

use super::normalise;
use crate::letter::dates;

/// An answer key (`<id>.expected.json`), as in ../shared/eval-dev/README.md.
#[derive(Debug, Clone, Deserialize)]
pub struct Key {
    pub id: Option<String>,
    pub letter_type: String,
    pub patient: String,
    /// ISO date.
    pub dob: String,
    pub nhs: String,
    pub recipient: String,
    pub terms: Vec<String>,
    /// What the clinician said, spoken commands included.
    pub spoken: Option<String>,
    /// The letter body as it should read, where the key has one.
    pub reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missed {
    pub term: String,
    /// The nearest words in the letter: what the secretary would find there instead.
    pub heard: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Identifiers {
    pub patient: bool,
    pub dob: bool,
    pub nhs: bool,
    pub recipient: bool,
    pub letter_type: bool,
}

impl Identifiers {
    pub fn right(&self) -> usize {
        [
            self.patient,
            self.dob,
            self.nhs,
            self.recipient,
            self.letter_type,
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }

    pub const TOTAL: usize = 5;
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub terms_found: usize,
    pub terms_total: usize,
    pub missed: Vec<Missed>,
    pub identifiers: Identifiers,
    pub leftover_commands: usize,
    /// Word errors and reference length, when there is a reference.
    pub word_errors: Option<(usize, usize)>,
}

/// Spoken commands that must never reach a letter as words, with the misheard forms Whisper
/// writes for them. ("colon" is also an organ: a letter about the bowel may say it rightly, so
/// this count is an upper bound.)
pub const COMMANDS: &[&str] = &[
    "full stop",
    "comma",
    "new paragraph",
    "new line",
    "next line",
    "colon",
    "semicolon",
    "semi colon",
    "question mark",
    "exclamation mark",
    "open bracket",
    "close bracket",
    "falls top",
    "false stop",
    "coma",
];

/// Scores `letter` (its plain text) of the given kind against `key`; word errors are counted on
/// `body`, the dictated part, so that the template's own lines (date, title) do not count.
/// The letter's text without the notes box at its top (its first block, up to a blank line).
fn without_notes(letter: &str) -> &str {
    match letter.strip_prefix(NOTES_HEADING) {
        Some(rest) => rest.split_once("\n\n").map_or("", |(_, after)| after),
        None => letter,
    }
}

/// The first line of the notes box, as the built-in template writes it.
const NOTES_HEADING: &str = "Notes for the secretary";

pub fn score(letter: &str, body: &str, letter_kind: &str, key: &Key) -> Score {
    // The notes box names what the secretary should check ("perhaps nephrotic?"): what the
    // letter says is below it.
    let letter = without_notes(letter);
    let words = normalise::words(letter);
    let padded = format!(" {} ", words.join(" "));
    let has = |phrase: &str| {
        let p = normalise::text(phrase);
        !p.is_empty() && padded.contains(&format!(" {p} "))
    };
    let mut missed = Vec::new();
    for term in &key.terms {
        if !has(term) {
            missed.push(Missed {
                term: term.clone(),
                heard: nearest(&words, term),
            });
        }
    }
    let identifiers = Identifiers {
        patient: has(&key.patient),
        dob: dates::iso_to_uk(&key.dob).is_some_and(|d| has(&d)),
        nhs: letter.contains(&spaced_nhs(&key.nhs)),
        recipient: has(&key.recipient),
        letter_type: letter_kind.eq_ignore_ascii_case(&key.letter_type),
    };
    let leftover_commands = COMMANDS.iter().map(|c| count(&padded, c)).sum();
    let reference = key
        .reference
        .clone()
        .or_else(|| key.spoken.as_deref().map(strip_commands));
    let word_errors = reference.map(|r| {
        let r = normalise::wer_words(&r);
        let h = normalise::wer_words(body);
        (edit_distance(&r, &h), r.len())
    });
    Score {
        terms_found: key.terms.len() - missed.len(),
        terms_total: key.terms.len(),
        missed,
        identifiers,
        leftover_commands,
        word_errors,
    }
}

fn count(padded: &str, phrase: &str) -> usize {
    padded.matches(&format!(" {phrase} ")).count()
}

/// The spoken text with the spoken commands taken out: a reference for word error rate where the
/// key has no written one.
pub fn strip_commands(spoken: &str) -> String {
    let mut padded = format!(" {} ", normalise::text(spoken));
    for c in COMMANDS {
        let p = format!(" {c} ");
        while padded.contains(&p) {
            padded = padded.replace(&p, " ");
        }
    }
    padded.trim().to_owned()
}

/// "9991267050" -> "999 126 7050", as NHS numbers are written.
pub fn spaced_nhs(nhs: &str) -> String {
    if nhs.len() == 10 && nhs.chars().all(|c| c.is_ascii_digit()) {
        format!("{} {} {}", &nhs[..3], &nhs[3..6], &nhs[6..])
    } else {
        nhs.to_owned()
    }
}

/// The window of letter words (one word shorter to one longer than the term) closest to the
/// term by character edit distance.
fn nearest(words: &[String], term: &str) -> String {
    let target = normalise::text(term);
    let n = target.split(' ').count();
    let mut best: Option<(usize, String)> = None;
    for len in n.saturating_sub(1).max(1)..=n + 1 {
        for window in words.windows(len) {
            let cand = window.join(" ");
            let d = char_distance(&cand, &target);
            if best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                best = Some((d, cand));
            }
        }
    }
    best.map(|(_, s)| s).unwrap_or_default()
}

fn char_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// Levenshtein distance over any comparable items (words, for the word error rate): strsim's.
pub fn edit_distance<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let (a, b): (Vec<&T>, Vec<&T>) = (a.iter().collect(), b.iter().collect());
    strsim::generic_levenshtein(&a, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores a letter that is all body.
    fn score_text(text: &str, kind: &str, key: &Key) -> Score {
        score(text, text, kind, key)
    }

    #[test]
    fn word_errors_count_the_body_only() {
        let letter = "DRAFT\n\n25 November 2026\n\nClinic letter\n\nDear Dr Mitchell,\n\nI started glyceryl trinitrate.";
        let body = "Dear Dr Mitchell,\n\nI started glyceryl trinitrate.";
        assert_eq!(
            score(letter, body, "clinic", &key()).word_errors,
            Some((0, 7))
        );
    }

    fn key() -> Key {
        Key {
            id: Some("k".into()),
            letter_type: "clinic".into(),
            patient: "Robert Fairclough".into(),
            dob: "1958-06-11".into(),
            nhs: "9991267050".into(),
            recipient: "Dr Anne Mitchell".into(),
            terms: vec![
                "stable angina".into(),
                "glyceryl trinitrate".into(),
                "left anterior descending".into(),
            ],
            spoken: Some(
                "Dear Doctor Mitchell comma new paragraph I started glyceryl trinitrate full stop"
                    .into(),
            ),
            reference: None,
        }
    }

    #[test]
    fn terms_match_case_and_hyphen_insensitively_and_report_what_stood_instead() {
        let s = score_text(
            "Diagnosis: Stable angina. Left-anterior descending. Glycerol trinotrate spray.",
            "clinic",
            &key(),
        );
        assert_eq!(s.terms_found, 2);
        assert_eq!(
            s.missed,
            vec![Missed {
                term: "glyceryl trinitrate".into(),
                heard: "glycerol trinotrate".into()
            }]
        );
    }

    #[test]
    fn a_term_named_only_in_the_notes_box_is_not_found() {
        let letter = "Notes for the secretary\n1 word left as heard: \"glycerol trinotrate\" \
                      at 0:12 (perhaps glyceryl trinitrate?)\n\nDRAFT\n\nI started glycerol trinotrate.";
        let s = score(letter, "I started glycerol trinotrate.", "clinic", &key());
        assert_eq!(s.terms_found, 0);
        let s = score(
            "DRAFT\n\nI started glyceryl trinitrate.",
            "",
            "clinic",
            &key(),
        );
        assert_eq!(s.terms_found, 1);
    }

    #[test]
    fn terms_match_whole_words_only() {
        let mut k = key();
        k.terms = vec!["angina".into()];
        assert_eq!(score_text("anginal pain", "clinic", &k).terms_found, 0);
    }

    #[test]
    fn identifiers_in_house_format() {
        let s = score_text("Dear Dr Anne Mitchell\nRe: Mr Robert Fairclough, born 11 June 1958, NHS number 999 126 7050", "clinic",
            &key(),
        );
        assert_eq!(s.identifiers.right(), 5, "{:?}", s.identifiers);
        let s = score_text(
            "Dr. Ann Mitchell, Robert Faircla, 11/06/1958, 999-126-7050",
            "referral",
            &key(),
        );
        assert_eq!(s.identifiers, Identifiers::default());
    }

    #[test]
    fn leftover_commands_are_counted() {
        assert_eq!(
            score_text(
                "He is well full stop New paragraph. Falls top",
                "clinic",
                &key()
            )
            .leftover_commands,
            3
        );
        assert_eq!(
            score_text("He is well. A comma-separated list", "clinic", &key()).leftover_commands,
            1
        );
    }

    #[test]
    fn word_errors_against_spoken_text_without_commands() {
        let s = score_text(
            "Dear Dr Mitchell,\n\nI started glyceryl trinitrate.",
            "clinic",
            &key(),
        );
        assert_eq!(s.word_errors, Some((0, 7)));
        let s = score_text(
            "Dear Dr Mitchell, I started glycerol trinitrate.",
            "clinic",
            &key(),
        );
        assert_eq!(s.word_errors, Some((1, 7)));
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance(&['a', 'b', 'c'], &['a', 'c']), 1);
        assert_eq!(edit_distance::<u8>(&[], &[1, 2]), 2);
    }
}
