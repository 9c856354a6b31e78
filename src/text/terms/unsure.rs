//! The words Whisper was unsure of, for the secretary to check: each word's lowest token
//! probability against a threshold, leaving out what later stages rewrite anyway.

use super::words::{is_command_word, is_function_word, words, Word};
use super::Correction;
use crate::asr::transcript::Transcript;

/// A word Whisper was unsure of.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsure {
    pub text: String,
    pub start: f64,
    pub p: f32,
}

/// The words whose lowest token probability is under `threshold`, in order: not the ones the
/// pass corrected, not spoken commands or numbers (those stages rewrite them), not little words.
pub fn unsure_words(t: &Transcript, corrections: &[Correction], threshold: f32) -> Vec<Unsure> {
    let ws = words(t);
    let corrected = |w: &Word| {
        corrections
            .iter()
            .any(|c| w.start < c.end - 0.01 && w.end > c.start + 0.01)
    };
    ws.iter()
        .enumerate()
        .filter(|(i, w)| {
            let next = ws.get(i + 1).map_or("", |n| n.norm.as_str());
            w.p.is_some_and(|p| p < threshold)
                && w.core.chars().count() >= 3
                && w.core.chars().all(|c| c.is_alphabetic() || c == '\'')
                && !is_command_word(&w.norm)
                && !is_function_word(&w.norm)
                && !(matches!(w.norm.as_str(), "new" | "next" | "full" | "falls" | "false")
                    && matches!(next, "paragraph" | "line" | "stop" | "top"))
                && !matches!(
                    w.norm.as_str(),
                    "kama" | "coma" | "common" | "falls" | "top" | "stop" | "dear"
                        // the header's keywords, which the template writes itself
                        | "number" | "date" | "birth" | "patient" | "letter" | "clinic"
                        | "referral" | "dictating" | "yours" | "sincerely" | "faithfully"
                )
                && !crate::text::numbers::is_number_word(&w.norm)
                && !corrected(w)
        })
        .map(|(_, w)| Unsure {
            text: w.core.clone(),
            start: w.start,
            p: w.p.unwrap_or(0.0),
        })
        .collect()
}
