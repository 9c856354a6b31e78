//! Speech the model passed over: Whisper sometimes skips a whole sentence after a pause (its
//! timestamps jump over it), and nothing in its output says so. Stretches of the recording that
//! are clearly speech by their loudness but hold no transcribed word are found here, so that they
//! can be heard again on their own, or named to the secretary when they still give no words.

use crate::asr::transcript::{Segment, Transcript};
use crate::audio::FRAME;

/// Envelope frames a second.
const FRAMES_PER_SECOND: f64 = 16_000.0 / FRAME as f64;

/// A frame is voiced when its energy is this many times the quiet floor (about 13 dB)...
const OVER_FLOOR: f32 = 20.0;

/// ... and above this mean square in any case (an RMS of 0.01, quiet speech).
const MIN_VOICED: f32 = 1e-4;

/// Voiced frames closer than this are one stretch (the gaps between words), seconds.
const BRIDGE: f64 = 0.35;

/// The shortest stretch worth hearing again, seconds (a cough or a breath is shorter).
const MIN_STRETCH: f64 = 1.0;

/// A word this close to a stretch counts as covering it (Whisper's word times are loose), seconds.
const SLACK: f64 = 0.3;

/// The longest a word's token can last, seconds. Whisper sometimes stretches the first token
/// after a jump over the whole stretch it passed over (" This" from 55.1 to 77.0 s).
pub const LONGEST_TOKEN: f64 = 1.5;

/// Cuts tokens that last longer than [`LONGEST_TOKEN`] to their last [`LONGEST_TOKEN`] (where the
/// word was heard ends right; its start is the stretch Whisper jumped), and starts each segment
/// at its first token.
pub fn tighten(transcript: &mut Transcript) {
    for seg in &mut transcript.segments {
        for tok in &mut seg.tokens {
            if tok.end - tok.start > LONGEST_TOKEN {
                tok.start = tok.end - LONGEST_TOKEN;
            }
        }
        if let Some(first) = seg.tokens.first() {
            if first.start > seg.start {
                seg.start = first.start;
            }
        }
    }
}

/// A stretch of speech without words, seconds from the start of the envelope given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gap {
    pub start: f64,
    pub end: f64,
}

/// The stretches of speech in `frames` (mean squares of 10 ms frames) that no word of
/// `transcript` covers. Times in `transcript` and the result are from the first frame.
pub fn uncovered(frames: &[f32], transcript: &Transcript) -> Vec<Gap> {
    // Segments that hold words ("[BLANK_AUDIO]" over speech is none).
    let heard: Vec<&Segment> = transcript
        .segments
        .iter()
        .filter(|s| !crate::asr::filter::only_annotations(&s.text))
        .collect();
    let words: Vec<(f64, f64)> = heard
        .iter()
        .flat_map(|s| {
            let text = s.text.trim();
            let tokens: Vec<(f64, f64)> = s.tokens.iter().map(|t| (t.start, t.end)).collect();
            if tokens.is_empty() && !text.is_empty() {
                vec![(s.start, s.end)]
            } else {
                tokens
            }
        })
        .collect();
    let mut out = Vec::new();
    for g in voiced(frames) {
        let touches = |&(s, e): &(f64, f64)| s < g.end + SLACK && e > g.start - SLACK;
        if !words.iter().any(touches) {
            out.push(g);
            continue;
        }
        // Within a stretch some words cover, the long parts no segment covers: a minute of
        // speech heard as one word at its start is a minute passed over, not a stretch heard.
        // (Segments, not words: inside a segment Whisper's word times may leave a hole of
        // seconds, a date or a number squeezed into a moment, over words it did write.)
        let mut near: Vec<(f64, f64)> = heard
            .iter()
            .map(|s| (s.start, s.end))
            .filter(touches)
            .map(|(s, e)| (s - SLACK, e + SLACK))
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut from = g.start;
        for (s, e) in near.into_iter().chain([(g.end, g.end)]) {
            if s.min(g.end) - from >= MIN_UNCOVERED {
                out.push(Gap {
                    start: from,
                    end: s.min(g.end),
                });
            }
            from = from.max(e);
        }
    }
    out
}

/// The shortest part of a stretch with words elsewhere in it that counts as passed over, seconds:
/// longer than any pause Whisper's loose word times leave inside speech it did hear.
const MIN_UNCOVERED: f64 = 3.0;

/// Stretches of speech by loudness: frames well above the quiet floor (the 10th percentile of
/// the frames), bridged over short gaps, at least [`MIN_STRETCH`] long.
fn voiced(frames: &[f32]) -> Vec<Gap> {
    if frames.is_empty() {
        return Vec::new();
    }
    let mut sorted: Vec<f32> = frames.to_vec();
    sorted.sort_by(f32::total_cmp);
    let floor = sorted[sorted.len() / 10];
    let threshold = (floor * OVER_FLOOR).max(MIN_VOICED);
    let bridge = (BRIDGE * FRAMES_PER_SECOND) as usize;
    let mut out = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    for (i, &f) in frames.iter().enumerate() {
        if f < threshold {
            continue;
        }
        run = match run {
            Some((s, e)) if i - e <= bridge => Some((s, i)),
            Some((s, e)) => {
                out.push((s, e));
                Some((i, i))
            }
            None => Some((i, i)),
        };
    }
    out.extend(run);
    out.into_iter()
        .map(|(s, e)| Gap {
            start: s as f64 / FRAMES_PER_SECOND,
            end: (e + 1) as f64 / FRAMES_PER_SECOND,
        })
        .filter(|g| g.end - g.start >= MIN_STRETCH)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asr::transcript::{Segment, Token};

    /// 10 ms frames: quiet, with speech (words 0.2 s apart) over the given seconds.
    fn frames(seconds: f64, speech: &[(f64, f64)]) -> Vec<f32> {
        let n = (seconds * FRAMES_PER_SECOND) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / FRAMES_PER_SECOND;
                let in_word = (t * 10.0) as usize % 4 != 3;
                if speech.iter().any(|&(s, e)| t >= s && t < e) && in_word {
                    0.01
                } else {
                    1e-7
                }
            })
            .collect()
    }

    fn said(words: &[(f64, f64)]) -> Transcript {
        Transcript {
            segments: vec![Segment {
                start: 0.0,
                end: 30.0,
                text: "words".into(),
                no_speech_prob: 0.0,
                tokens: words
                    .iter()
                    .map(|&(start, end)| Token {
                        text: " w".into(),
                        p: 0.9,
                        start,
                        end,
                    })
                    .collect(),
            }],
        }
    }

    #[test]
    fn a_sentence_with_no_words_is_found() {
        let f = frames(20.0, &[(1.0, 5.0), (8.0, 12.5), (15.0, 18.0)]);
        let t = said(&[(1.0, 2.0), (3.0, 4.9), (15.1, 17.9)]);
        let gaps = uncovered(&f, &t);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert!((gaps[0].start - 8.0).abs() < 0.1 && (gaps[0].end - 12.5).abs() < 0.2);
    }

    #[test]
    fn a_token_stretched_over_skipped_speech_does_not_cover_it() {
        let f = frames(30.0, &[(1.0, 5.0), (6.0, 20.0), (22.0, 25.0)]);
        let mut t = said(&[(1.0, 4.9), (6.0, 21.9), (22.0, 25.0)]);
        assert!(uncovered(&f, &t).is_empty());
        tighten(&mut t);
        let gaps = uncovered(&f, &t);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert!(
            (gaps[0].start - 6.0).abs() < 0.1 && gaps[0].end > 19.5,
            "{gaps:?}"
        );
        assert!((t.segments[0].tokens[1].start - 20.4).abs() < 1e-9);
    }

    /// One segment per (start, end, text), each one token.
    fn segments(parts: &[(f64, f64, &str)]) -> Transcript {
        Transcript {
            segments: parts
                .iter()
                .map(|&(start, end, text)| Segment {
                    start,
                    end,
                    text: text.into(),
                    no_speech_prob: 0.0,
                    tokens: vec![Token {
                        text: format!(" {text}"),
                        p: 0.9,
                        start,
                        end,
                    }],
                })
                .collect(),
        }
    }

    #[test]
    fn a_long_stretch_heard_as_a_word_or_two_is_found_where_no_segment_covers_it() {
        // A minute of speech with no pause long enough to split it, heard as "N" at its start
        // and near its end, with "[BLANK_AUDIO]" over some of it (the second held-out set's
        // robotic w08 was a letter of "N N N N N").
        let f = frames(62.0, &[(0.5, 60.0)]);
        let t = segments(&[
            (0.5, 1.0, "N"),
            (4.5, 14.5, "[BLANK_AUDIO]"),
            (57.2, 58.7, "N"),
        ]);
        let gaps = uncovered(&f, &t);
        // (The second left after the last word is too short to count.)
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert!((gaps[0].start - 1.3).abs() < 0.01 && (gaps[0].end - 56.9).abs() < 0.01);
        // Speech heard segment by segment leaves no gap, whatever its length; nor does a
        // segment whose word times leave a hole (a date squeezed into a moment).
        let mut heard = segments(&[(0.5, 20.0, "Patient"), (20.2, 40.0, "x"), (40.1, 60.0, "y")]);
        heard.segments[0].tokens.push(Token {
            text: " 1990".into(),
            p: 0.9,
            start: 19.0,
            end: 19.5,
        });
        assert!(
            uncovered(&f, &heard).is_empty(),
            "{:?}",
            uncovered(&f, &heard)
        );
    }

    #[test]
    fn heard_speech_and_short_noises_are_not_gaps() {
        let f = frames(10.0, &[(1.0, 4.0), (6.0, 6.5)]);
        assert!(uncovered(&f, &said(&[(1.2, 3.8)])).is_empty());
        assert!(uncovered(&[], &said(&[])).is_empty());
    }
}
