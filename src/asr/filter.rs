//! Drops what Whisper invents: non-speech annotations ("[BLANK_AUDIO]", "(music)"), its known
//! filler hallucinations ("Thank you for watching", "Subtitles by ...") where the audio under
//! them is not speech, segments over silence, and repeated-segment loops. A pure stage: a
//! transcript and the recording's loudness envelope in, a transcript out; it never adds or
//! rewrites words.

use std::sync::LazyLock;

use regex::Regex;

use crate::asr::transcript::{Segment, Transcript};
use crate::audio::Envelope;

/// Non-speech annotations Whisper writes in brackets.
static ANNOTATION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[\[(]\s*(blank_audio|blank audio|music|silence|inaudible|noise|background noise|applause|laughter|laughs|laughing|cough|coughs|coughing|sighs|breathing|no speech|static|beep|beeping|clears throat|sound|wind|typing)\s*[\])]",
    )
    .expect("annotation pattern")
});

/// Phrases Whisper is known to produce from silence and noise (it learnt them from subtitles).
const FILLERS: &[&str] = &[
    "thank you for watching",
    "thanks for watching",
    "thank you very much for watching",
    "thank you so much for watching",
    "please subscribe",
    "subtitles by",
    "subtitled by",
    "captions by",
    "transcribed by",
    "amara org",
    "see you next time",
    "see you in the next video",
    "thank you",
    "thanks",
    "you",
    "bye",
    "the end",
    "so",
];

/// RMS below which a stretch of audio is treated as silence (about -46 dBFS).
const SILENCE_RMS: f32 = 0.005;

/// What the filter removed, for the record.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Removed {
    pub annotations: usize,
    pub fillers: usize,
    pub silent_segments: usize,
    pub repeats: usize,
    /// Each piece of text removed, where it was heard, and why.
    pub spans: Vec<RemovedSpan>,
}

/// One piece of text Whisper wrote that the letter leaves out.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RemovedSpan {
    pub text: String,
    /// Seconds from the start of the recording.
    pub start: f64,
    pub end: f64,
    /// "annotation" ([BLANK_AUDIO], (music)), "filler over silence", "silent segment" or
    /// "repeated segment" (a decoding loop).
    pub reason: &'static str,
}

impl Removed {
    fn note(&mut self, text: &str, seg: &Segment, reason: &'static str) {
        self.spans.push(RemovedSpan {
            text: text.trim().to_owned(),
            start: seg.start,
            end: seg.end,
            reason,
        });
    }
}

/// Is `text` only Whisper's annotations ("[BLANK_AUDIO]", "(music)"): no word heard?
pub(crate) fn only_annotations(text: &str) -> bool {
    ANNOTATION_RE.replace_all(text, "").trim().is_empty()
}

/// Filters `transcript`, using the recording's loudness to tell speech from silence.
pub fn apply(transcript: Transcript, envelope: &Envelope) -> (Transcript, Removed) {
    let mut removed = Removed::default();
    let mut kept: Vec<Segment> = Vec::new();
    for mut seg in transcript.segments {
        let cleaned = ANNOTATION_RE.replace_all(&seg.text, "");
        if cleaned.len() != seg.text.len() {
            removed.annotations += 1;
            for m in ANNOTATION_RE.find_iter(&seg.text) {
                removed.note(m.as_str(), &seg, "annotation");
            }
            seg.text = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
            seg.tokens
                .retain(|t| !ANNOTATION_RE.is_match(&t.text) && !t.text.trim().starts_with('['));
        }
        if seg.text.trim().is_empty() {
            continue;
        }
        if seg.no_speech_prob > 0.5 && is_described_sound(&seg.text) {
            removed.annotations += 1;
            removed.note(&seg.text, &seg, "annotation");
            continue;
        }
        // No audio under the segment at all (a time past the end) counts as silence.
        let quiet = envelope.rms(seg.start, seg.end) < SILENCE_RMS;
        let not_speech = quiet || seg.no_speech_prob > 0.6;
        if not_speech && is_filler(&seg.text) {
            removed.fillers += 1;
            removed.note(&seg.text, &seg, "filler over silence");
            continue;
        }
        if quiet && seg.no_speech_prob > 0.5 {
            removed.silent_segments += 1;
            removed.note(&seg.text, &seg, "silent segment");
            continue;
        }
        if kept
            .last()
            .is_some_and(|prev| same_words(&prev.text, &seg.text))
        {
            removed.repeats += 1;
            removed.note(&seg.text, &seg, "repeated segment");
            continue;
        }
        kept.push(seg);
    }
    (Transcript { segments: kept }, removed)
}

/// A segment that is nothing but a sound described in brackets ("(buzzing)", "[door closes]"):
/// Whisper learnt these from subtitles and writes them over noise, naming any sound, so no list
/// holds them all. Dictated brackets come with words around them, and carry numbers or capitals
/// more often; this takes only a whole segment of one to three lower-case words (its caller,
/// only where the model itself doubts there was speech).
fn is_described_sound(text: &str) -> bool {
    let t = text.trim();
    let inner = t
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')));
    inner.is_some_and(|w| {
        let n = w.split_whitespace().count();
        (1..=3).contains(&n)
            && w.chars()
                .all(|c| c.is_lowercase() || c.is_whitespace() || c == '-')
    })
}

fn words(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_filler(text: &str) -> bool {
    let w = words(text);
    FILLERS
        .iter()
        .any(|f| w == *f || (f.len() > 8 && w.starts_with(f)))
}

/// Whisper's loops repeat a whole segment; a dictation that repeats a sentence on purpose
/// ("I repeat ...") does so rarely and not back to back in identical segments.
fn same_words(a: &str, b: &str) -> bool {
    let (a, b) = (words(a), words(b));
    !a.is_empty() && a == b && a.split(' ').count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::SAMPLE_RATE;

    fn seg(start: f64, end: f64, text: &str, no_speech: f32) -> Segment {
        Segment {
            start,
            end,
            text: text.into(),
            no_speech_prob: no_speech,
            tokens: vec![],
        }
    }

    /// Ten seconds: speech-level sound for the first five, silence after.
    fn audio() -> Vec<f32> {
        let rate = SAMPLE_RATE as usize;
        (0..10 * rate)
            .map(|i| {
                if i < 5 * rate {
                    ((i as f32) * 0.1).sin() * 0.2
                } else {
                    0.0
                }
            })
            .collect()
    }

    fn check(segments: Vec<Segment>, expected: &str) {
        let (t, _) = apply(Transcript { segments }, &Envelope::of(&audio()));
        assert_eq!(t.text(), expected);
    }

    #[test]
    fn every_removal_is_recorded_with_its_time_and_reason() {
        let (_, removed) = apply(
            Transcript {
                segments: vec![
                    seg(0.0, 2.0, "Please continue aspirin (coughs).", 0.1),
                    seg(2.0, 4.0, "Please continue aspirin.", 0.1),
                    seg(5.0, 10.0, "Thank you for watching!", 0.2),
                ],
            },
            &Envelope::of(&audio()),
        );
        let spans: Vec<(&str, f64, &str)> = removed
            .spans
            .iter()
            .map(|s| (s.text.as_str(), s.start, s.reason))
            .collect();
        assert_eq!(
            spans,
            [
                ("(coughs)", 0.0, "annotation"),
                ("Please continue aspirin.", 2.0, "repeated segment"),
                ("Thank you for watching!", 5.0, "filler over silence"),
            ]
        );
    }

    #[test]
    fn a_sound_described_in_brackets_goes_where_the_model_doubts_speech() {
        check(vec![seg(0.0, 2.3, " (buzzing)", 0.81)], "");
        check(vec![seg(0.0, 2.3, "[door closes]", 0.7)], "");
        // Where the model is sure of speech, or the brackets hold dictation, they stay.
        check(vec![seg(0.0, 2.3, "(buzzing)", 0.1)], "(buzzing)");
        check(vec![seg(0.0, 2.3, "(HbA1c 48)", 0.9)], "(HbA1c 48)");
    }

    #[test]
    fn annotations_go() {
        check(vec![seg(5.0, 10.0, "[BLANK_AUDIO]", 0.9)], "");
        check(
            vec![seg(0.0, 5.0, "He is well (coughs) today.", 0.1)],
            "He is well today.",
        );
    }

    #[test]
    fn fillers_go_over_silence_but_stay_over_speech() {
        check(
            vec![
                seg(0.0, 5.0, "Fine.", 0.1),
                seg(5.0, 10.0, "Thank you for watching!", 0.2),
            ],
            "Fine.",
        );
        check(
            vec![seg(5.0, 10.0, "Subtitles by the Amara.org community", 0.3)],
            "",
        );
        // Said aloud, "thank you" is dictation.
        check(vec![seg(0.0, 5.0, "Thank you.", 0.1)], "Thank you.");
    }

    #[test]
    fn silent_segments_with_high_no_speech_probability_go() {
        check(
            vec![
                seg(0.0, 5.0, "He is well.", 0.1),
                seg(5.0, 10.0, "Yes, the clinic.", 0.8),
            ],
            "He is well.",
        );
        // A confident segment over quiet audio is kept: quiet speakers exist.
        check(
            vec![seg(5.0, 10.0, "Yours sincerely.", 0.1)],
            "Yours sincerely.",
        );
    }

    #[test]
    fn loops_collapse() {
        check(
            vec![
                seg(0.0, 2.0, "Please continue aspirin.", 0.1),
                seg(2.0, 4.0, "Please continue aspirin.", 0.1),
                seg(4.0, 5.0, "please continue aspirin", 0.1),
                seg(4.5, 5.0, "Full stop.", 0.1),
            ],
            "Please continue aspirin. Full stop.",
        );
    }
}
