//! The words Whisper was unsure of, for the secretary to check: each word's lowest token
//! probability against a threshold, leaving out the words that never reach the letter as written
//! (spoken commands, the header's keywords) and the little words that glue sentences together.

use super::words::{is_command_word, is_function_word, words};
use crate::asr::transcript::Transcript;

/// A word as Whisper heard it, with its audio time and whether it is to be checked.
#[derive(Debug, Clone, PartialEq)]
pub struct HeardWord {
    /// The word without the punctuation around it.
    pub text: String,
    pub start: f64,
    pub end: f64,
    /// The lowest token probability in the word, where the tokens are known.
    pub p: Option<f32>,
    /// Under the threshold and a word that reaches the letter: to be highlighted.
    pub unsure: bool,
}

/// Every word of the transcript, in order, each marked unsure when its lowest token probability
/// is under `threshold`, unless it is a spoken command, a header keyword (the template writes
/// those itself) or a little word ("the", "of", "was"). Numbers and short words count: a dose
/// Whisper was unsure of is the first thing to check.
pub fn heard_words(t: &Transcript, threshold: f32) -> Vec<HeardWord> {
    let ws = words(t);
    ws.iter()
        .enumerate()
        .map(|(i, w)| {
            let next = ws.get(i + 1).map_or("", |n| n.norm.as_str());
            let unsure = w.p.is_some_and(|p| p < threshold)
                && !w.norm.is_empty()
                && !is_command_word(&w.norm)
                && !is_function_word(&w.norm)
                && !starts_command(&w.norm, next)
                && !matches!(
                    w.norm.as_str(),
                    "kama" | "coma" | "common" | "falls" | "top" | "stop" | "dear"
                        // the header's keywords, which the template writes itself
                        | "number" | "date" | "birth" | "patient" | "letter" | "clinic"
                        | "referral" | "dictating" | "yours" | "sincerely" | "faithfully"
                );
            HeardWord {
                text: w.core.clone(),
                start: w.start,
                end: w.end,
                p: w.p,
                unsure,
            }
        })
        .collect()
}

/// "new" of "new paragraph", "full" of "full stop" (and their mishearings).
fn starts_command(word: &str, next: &str) -> bool {
    matches!(word, "new" | "next" | "full" | "falls" | "false")
        && matches!(next, "paragraph" | "line" | "stop" | "top")
}
