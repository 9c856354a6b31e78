//! Several letters in one recording: a clinician who dictates a whole clinic into one file says
//! "next letter" (or "end of letter") between them. This stage cuts the transcript there, before
//! anything else reads it, so each letter gets its own header, patient and record, and no letter
//! carries another patient's words. A pure stage: a transcript in, transcripts out, times kept on
//! the recording's time line so that "listen at 12:31" still finds the words.

use std::sync::LazyLock;

use regex::Regex;

use crate::asr::transcript::{Segment, Token, Transcript};

/// The spoken command, as its own sentence: at the start of a segment, after a full stop
/// (written or spoken) or a spoken "new paragraph".
static COMMAND_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[.!?:;]\s*|\bfull stop[.,]?\s+|\bnew paragraph[.,]?\s+|\bperiod[.,]?\s+)(next letter|end of (?:the )?letter|end of dictation)\b[.,!]?",
    )
    .expect("letter command pattern")
});

/// A spoken sign-off, with any full stop dictated after it.
const SIGN_OFF: &str = r"\b(?:(?:yours?|you're|years)\s+(?:sincerely|faithfully)|kind regards|best wishes)[.,!]?(?:\s+full stop[.,]?)?";

/// The start of a dictated header: "This is Dr Carter ...".
const HEADER: &str = r"this is (?:dr|doctor|mr|mrs|ms|miss|professor|prof|nurse|sister)\b";

/// A sign-off at the end of a text (the letter is finished).
static SIGNED_OFF_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i){SIGN_OFF}\s*$")).expect("sign-off pattern"));

/// A text that starts with a dictation header.
static HEADER_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?i)^{HEADER}")).expect("header pattern"));

/// A sign-off followed at once by a new header, inside one segment.
static SIGNED_OFF_THEN_HEADER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i){SIGN_OFF}\s+({HEADER})")).expect("sign-off and header pattern")
});

/// A new dictated header as its own sentence, the clinician saying they are dictating ("This is
/// Dr Carter, consultant physician, dictating a clinic letter ..."): a new letter, whatever came
/// before it. (Without "dictating", "This is Dr Carter's patient" is part of a letter.)
static DICTATING_HEADER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:^|[.!?]\s+|\bfull stop[.,]?\s+|\bnew paragraph[.,]?\s+)({HEADER}(?:[\s,.]+[\w'-]+){{0,10}}?[\s,.]+dictating\b)"
    ))
    .expect("dictating header pattern")
});

/// Where letters end in a segment's text: the byte spans of spoken commands (dropped), and
/// empty spans where a new header starts (a clinician who forgot to say "next letter": after
/// a sign-off, or a header that says "dictating").
fn commands(text: &str) -> Vec<(usize, usize)> {
    let mut cuts: Vec<(usize, usize)> = COMMAND_RE
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let cmd = c.get(1)?;
            Some((cmd.start(), whole.end()))
        })
        .collect();
    let headers = SIGNED_OFF_THEN_HEADER_RE
        .captures_iter(text)
        .chain(DICTATING_HEADER_RE.captures_iter(text))
        .filter_map(|c| c.get(1).map(|h| h.start()))
        .collect::<Vec<_>>();
    for h in headers {
        if !cuts.iter().any(|&(s, e)| (s..=e).contains(&h)) {
            cuts.push((h, h));
        }
    }
    cuts.sort_unstable();
    cuts
}

/// Cuts `transcript` at each spoken "next letter" / "end of letter". Parts with no words (an
/// "end of letter" at the very end) are dropped; a transcript with no command comes back whole.
pub fn letters(transcript: Transcript) -> Vec<Transcript> {
    let mut parts = vec![Transcript::default()];
    let mut signed_off = false;
    for seg in transcript.segments {
        // A header right after a signed-off letter, across a segment boundary.
        if signed_off && HEADER_RE.is_match(seg.text.trim_start()) {
            parts.push(Transcript::default());
        }
        signed_off = SIGNED_OFF_RE.is_match(&seg.text);
        let cuts = commands(&seg.text);
        if cuts.is_empty() {
            if let Some(last) = parts.last_mut() {
                last.segments.push(seg);
            }
            continue;
        }
        let pieces = cut_segment(&seg, &cuts);
        let count = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            if let (Some(p), Some(last)) = (piece, parts.last_mut()) {
                last.segments.push(p);
            }
            if i + 1 < count {
                parts.push(Transcript::default());
            }
        }
    }
    // A part with no dictation in it (only punctuation, or the "full stop" said between "next
    // letter" and the next header) is no letter: its words are spoken commands.
    parts.retain(|p| p.segments.iter().any(|s| holds_dictation(&s.text)));
    if parts.is_empty() {
        parts.push(Transcript::default());
    }
    parts
}

/// Does `text` hold a word that is not part of a spoken layout command?
fn holds_dictation(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let command = |w: &str| {
        matches!(
            w,
            "full" | "stop" | "period" | "new" | "paragraph" | "line" | "comma" | "colon"
        )
    };
    words.iter().any(|w| !command(w))
}

/// The pieces of `seg` between its commands (`cuts` as byte spans of its text), each with the
/// tokens that spell it; `None` for an empty piece.
fn cut_segment(seg: &Segment, cuts: &[(usize, usize)]) -> Vec<Option<Segment>> {
    // Byte offset of each token's text within the segment text (tokens' text joined, trimmed
    // at the start as the segment text is).
    let joined: String = seg.tokens.iter().map(|t| t.text.as_str()).collect();
    let lead = joined.len() - joined.trim_start().len();
    let tokens_match = !seg.tokens.is_empty() && joined.trim() == seg.text;
    // Where each token's first visible character sits in the segment text.
    let mut anchors = Vec::with_capacity(seg.tokens.len());
    let mut at = 0usize;
    for t in &seg.tokens {
        let pad = t.text.len() - t.text.trim_start().len();
        anchors.push((at + pad).saturating_sub(lead));
        at += t.text.len();
    }
    let mut bounds = vec![0usize];
    for &(s, e) in cuts {
        bounds.push(s);
        bounds.push(e);
    }
    bounds.push(seg.text.len());
    bounds
        .chunks(2)
        .map(|span| {
            let (from, to) = (span[0], span[1]);
            let text = seg.text.get(from..to)?.trim().to_owned();
            if !text.chars().any(char::is_alphanumeric) {
                return None;
            }
            let tokens: Vec<Token> = if tokens_match {
                seg.tokens
                    .iter()
                    .zip(&anchors)
                    .filter(|(_, &a)| (from..to).contains(&a))
                    .map(|(t, _)| t.clone())
                    .collect()
            } else {
                Vec::new()
            };
            let (start, end) = match (tokens.first(), tokens.last()) {
                (Some(a), Some(b)) => (a.start.max(seg.start), b.end.min(seg.end).max(a.start)),
                _ => (seg.start, seg.end),
            };
            Some(Segment {
                start,
                end,
                text,
                no_speech_prob: seg.no_speech_prob,
                tokens,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A segment whose tokens are its words, one second each from `start`.
    fn seg(start: f64, text: &str) -> Segment {
        let mut tokens = Vec::new();
        for (i, w) in text.split(' ').enumerate() {
            tokens.push(Token {
                text: format!(" {w}"),
                p: 0.9,
                start: start + i as f64,
                end: start + i as f64 + 1.0,
            });
        }
        Segment {
            start,
            end: start + tokens.len() as f64,
            text: text.to_owned(),
            no_speech_prob: 0.0,
            tokens,
        }
    }

    fn texts(parts: &[Transcript]) -> Vec<String> {
        parts.iter().map(|p| p.text()).collect()
    }

    #[test]
    fn one_letter_comes_back_whole() {
        let t = Transcript {
            segments: vec![
                seg(0.0, "Clinic letter to Dr Patel."),
                seg(5.0, "Yours sincerely."),
            ],
        };
        let parts = letters(t.clone());
        assert_eq!(parts, vec![t]);
    }

    #[test]
    fn letters_are_cut_at_the_command_inside_a_segment() {
        let t = Transcript {
            segments: vec![
                seg(
                    0.0,
                    "Clinic letter to Dr Patel. Yours sincerely. Next letter. Referral to Mr Shah.",
                ),
                seg(20.0, "Kind regards. End of letter."),
            ],
        };
        let parts = letters(t);
        assert_eq!(
            texts(&parts),
            vec![
                "Clinic letter to Dr Patel. Yours sincerely.",
                "Referral to Mr Shah. Kind regards."
            ]
        );
        // Times stay on the recording's time line: "Referral" is the 10th word (9 s in).
        let second = &parts[1].segments[0];
        assert_eq!(
            second.tokens.first().map(|t| t.text.trim()),
            Some("Referral")
        );
        assert_eq!(second.start, 9.0);
    }

    #[test]
    fn commands_after_spoken_punctuation_and_at_segment_starts_count() {
        let t = Transcript {
            segments: vec![
                seg(0.0, "twice daily full stop next letter"),
                seg(10.0, "Next letter, this is Dr Carter"),
            ],
        };
        assert_eq!(
            texts(&letters(t)),
            vec!["twice daily full stop", "this is Dr Carter"]
        );
    }

    #[test]
    fn a_new_header_after_a_sign_off_starts_a_new_letter() {
        let t = Transcript {
            segments: vec![
                seg(0.0, "Dear Dr Patel. Well. Yours sincerely."),
                seg(10.0, "This is Dr Carter dictating a referral. Kind regards full stop This is Dr Carter again"),
            ],
        };
        assert_eq!(
            texts(&letters(t)),
            vec![
                "Dear Dr Patel. Well. Yours sincerely.",
                "This is Dr Carter dictating a referral. Kind regards full stop",
                "This is Dr Carter again"
            ]
        );
        // "This is" without a sign-off before it is part of the letter.
        let t = Transcript {
            segments: vec![seg(0.0, "Dear Dr Patel. This is Dr Carter's patient.")],
        };
        assert_eq!(letters(t).len(), 1);
    }

    #[test]
    fn a_command_said_between_next_letter_and_the_header_is_no_letter() {
        let t = Transcript {
            segments: vec![seg(
                0.0,
                "Dear Dr Patel. Well. Yours sincerely full stop Next letter full stop This is Dr Carter dictating a referral.",
            )],
        };
        assert_eq!(
            texts(&letters(t)),
            vec![
                "Dear Dr Patel. Well. Yours sincerely full stop",
                "This is Dr Carter dictating a referral."
            ]
        );
    }

    #[test]
    fn a_new_dictating_header_starts_a_new_letter_without_a_sign_off() {
        // Two dictations joined, the first never signed off.
        let t = Transcript {
            segments: vec![
                seg(
                    0.0,
                    "This is Dr Carter dictating a clinic letter. Patient Mr A. He is well.",
                ),
                seg(
                    20.0,
                    "This is Dr. Okafor, consultant physician, dictating a referral. Patient Mrs B.",
                ),
                seg(
                    40.0,
                    "Her cough is better. This is doctor Lee dictating to Dr Shah. Patient Ms C.",
                ),
            ],
        };
        assert_eq!(
            texts(&letters(t)),
            vec![
                "This is Dr Carter dictating a clinic letter. Patient Mr A. He is well.",
                "This is Dr. Okafor, consultant physician, dictating a referral. Patient Mrs B. Her cough is better.",
                "This is doctor Lee dictating to Dr Shah. Patient Ms C."
            ]
        );
    }

    #[test]
    fn the_words_in_ordinary_sentences_do_not_cut() {
        let t = Transcript {
            segments: vec![seg(
                0.0,
                "I will say more in my next letter to you and at the end of the letter.",
            )],
        };
        assert_eq!(letters(t).len(), 1);
    }
}
