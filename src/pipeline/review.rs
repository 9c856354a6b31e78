//! Review aids: the corrected terms and the words Whisper was unsure of, each marked in the
//! letter (turquoise with a comment, yellow) and counted in the notes for the secretary, with the
//! audio time to listen at.

use crate::asr::transcript::Transcript;
use crate::letter::build::Letter;
use crate::letter::render::Mark;
use crate::text::spelling;
use crate::text::terms::{self, Correction};

/// A word whose lowest token probability is below this is highlighted for checking. Chosen by
/// `bench/unsure.py` on both dev sets (BENCHMARKS.md, "Unsure words"): at 0.40, 88% of the words
/// highlighted in the natural voice are wrong and 65% of its wrong words are highlighted (the
/// best balance of the two); 0.35 caught 57%, 0.50 made a third of the highlights false alarms.
const UNSURE_P: f32 = 0.40;

/// "1:05" for 65 seconds.
pub(super) fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// Adds the review notes to the letter and returns the marks to put on its words.
pub(super) fn mark_and_note(
    letter: &mut Letter,
    transcript: &Transcript,
    corrections: &[Correction],
    declined: &[Correction],
) -> Vec<(String, Mark)> {
    let checked: Vec<Correction> = corrections.iter().chain(declined).cloned().collect();
    let unsure = terms::unsure_words(transcript, &checked, UNSURE_P);
    let mut marks: Vec<(f64, String, Mark)> = corrections
        .iter()
        .map(|c| {
            let note = format!(
                "Heard: \"{}\" (at {}; corrected by dictate, {:.0}% sure{})",
                c.heard,
                clock(c.start),
                c.confidence * 100.0,
                match &c.audio {
                    Some(a) if a.margin() >= 0.0 => "; the recording favours the term",
                    Some(_) => "; the recording is not clear: listen",
                    None => "",
                }
            );
            (c.start, spelling::british(&c.term), Mark::Correction(note))
        })
        .collect();
    marks.extend(
        unsure
            .iter()
            .map(|u| (u.start, spelling::british(&u.text), Mark::Unsure))
            .chain(
                declined
                    .iter()
                    .map(|c| (c.start, spelling::british(&c.heard), Mark::Unsure)),
            ),
    );
    marks.sort_by(|a, b| a.0.total_cmp(&b.0));
    if !corrections.is_empty() {
        letter.notes.push(format!(
            "{} term{} corrected, highlighted turquoise: the comment on each says what was heard",
            corrections.len(),
            if corrections.len() == 1 { "" } else { "s" }
        ));
    }
    if !unsure.is_empty() {
        let times: Vec<String> = unsure.iter().take(12).map(|u| clock(u.start)).collect();
        letter.notes.push(format!(
            "{} word{} the speech recogniser was unsure of, highlighted yellow: listen at {}{}",
            unsure.len(),
            if unsure.len() == 1 { "" } else { "s" },
            times.join(", "),
            if unsure.len() > 12 { " ..." } else { "" }
        ));
    }
    if !declined.is_empty() {
        let list: Vec<String> = declined
            .iter()
            .take(8)
            .map(|c| {
                format!(
                    "\"{}\" at {} (perhaps {}?)",
                    c.heard,
                    clock(c.start),
                    c.term
                )
            })
            .collect();
        letter.notes.push(format!(
            "{} possible term{} not written, the recording did not support {}; left as heard, \
             highlighted yellow: {}{}",
            declined.len(),
            if declined.len() == 1 { "" } else { "s" },
            if declined.len() == 1 { "it" } else { "them" },
            list.join(", "),
            if declined.len() > 8 { " ..." } else { "" }
        ));
    }
    marks.into_iter().map(|(_, t, m)| (t, m)).collect()
}

/// Gives each note about moved dictation (or a second patient) the audio time to listen at, found by its first words
/// in the transcript (to the segment).
pub(super) fn time_moved_text(letter: &mut Letter, transcript: &Transcript) {
    let segments: Vec<(f64, Vec<String>)> = transcript
        .segments
        .iter()
        .map(|s| (s.start, norm_words(&s.text)))
        .collect();
    for flag in letter
        .flags
        .iter_mut()
        .filter(|f| matches!(f.kind, "moved_text" | "two_patients"))
    {
        let Some(quoted) = flag.message.split('"').nth(1) else {
            continue;
        };
        let want = norm_words(quoted.trim_end_matches(" ..."));
        let at = (1..=want.len().min(4)).rev().find_map(|n| {
            segments
                .iter()
                .find(|(_, words)| words.windows(n).any(|w| w == &want[..n]))
                .map(|(start, _)| *start)
        });
        if let Some(at) = at {
            let old = flag.message.clone();
            flag.message = format!("{old} (listen at {})", clock(at));
            for note in letter.notes.iter_mut().filter(|n| **n == old) {
                note.clone_from(&flag.message);
            }
        }
    }
}

fn norm_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}
