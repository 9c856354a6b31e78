//! The letter model: what a letter says, built from a transcript, before any template or file
//! format. A pure stage: no I/O, no templates, no docx.

use serde::Serialize;

use crate::numbers::{self, Flag};
use crate::transcript::Transcript;
use crate::{commands, spelling};

/// The kinds of letter the product writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LetterKind {
    Clinic,
    Referral,
}

impl LetterKind {
    /// The template that renders this kind.
    pub fn template(self) -> &'static str {
        match self {
            LetterKind::Clinic => "clinic.tera",
            LetterKind::Referral => "referral.tera",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            LetterKind::Clinic => "Clinic letter",
            LetterKind::Referral => "Referral",
        }
    }
}

/// Everything a template needs to write a letter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Letter {
    pub kind: LetterKind,
    pub title: &'static str,
    /// The date of the letter in UK long form ("25 November 2026").
    pub date: String,
    /// Body paragraphs, in order.
    pub body: Vec<String>,
    /// What the secretary must check (an NHS number that fails its check ...).
    pub flags: Vec<Flag>,
    /// The recording this letter came from (file name only: logs and letters name files, not
    /// patients, and not folders that may).
    pub source: String,
}

/// Builds a letter from a transcript: the spoken commands applied, a body paragraph per
/// dictated paragraph, numbers and dates in UK style, British spelling. Later stages add
/// structure.
pub fn from_transcript(transcript: &Transcript, date: String, source: String) -> Letter {
    let mut flags = Vec::new();
    let body = commands::apply(&transcript.text())
        .paragraphs
        .iter()
        .map(|p| {
            let (p, f) = numbers::normalise(p);
            flags.extend(f);
            spelling::british(&p)
        })
        .collect::<Vec<String>>();
    if body.is_empty() {
        flags.push(Flag {
            kind: "no_speech",
            message: "no speech was recognised in the recording: listen to it; it may be silent, \
                      noise only, or the wrong file"
                .to_owned(),
        });
    }
    Letter {
        kind: LetterKind::Clinic,
        title: LetterKind::Clinic.title(),
        date,
        body,
        flags,
        source,
    }
}

/// A date in the UK long form letters use: "5 March 2026".
pub fn uk_long_date(date: time::Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Segment;

    #[test]
    fn uk_dates_have_no_leading_zero_or_ordinal() {
        let d = time::macros::date!(2026 - 03 - 05);
        assert_eq!(uk_long_date(d), "5 March 2026");
    }

    #[test]
    fn empty_transcript_gives_empty_body() {
        let l = from_transcript(&Transcript::default(), "1 May 2026".into(), "a.wav".into());
        assert!(l.body.is_empty());
    }

    #[test]
    fn body_is_the_dictation_laid_out() {
        let seg = |text: &str| Segment {
            start: 0.0,
            end: 2.0,
            text: text.into(),
            no_speech_prob: 0.0,
            tokens: vec![],
        };
        let t = Transcript {
            segments: vec![
                seg("Dear Doctor Patel comma new paragraph."),
                seg("I saw him today full stop"),
            ],
        };
        let l = from_transcript(&t, "1 May 2026".into(), "a.wav".into());
        assert_eq!(
            l.body,
            vec!["Dear Dr Patel,".to_string(), "I saw him today.".to_string()]
        );
    }
}
