//! What a recording's letter is made from besides its audio: the sidecar beside it, and for
//! `dictate eval --transcripts`, an earlier run's record or another engine's text in place of
//! hearing the audio.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::asr::transcript::{Segment, Transcript};
use crate::letter::sidecar::Sidecar;

/// The sidecar file, if there is one. It must not be the record this run writes (an output
/// folder that is the recordings' folder).
pub(super) fn read_sidecar(path: &Path, record: &Path) -> Result<Option<Sidecar>> {
    if !path.is_file() {
        return Ok(None);
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(path, record) || (record.parent() == path.parent() && record == path) {
        bail!(
            "`{}` is a sidecar file, and the letter's record would overwrite it: write the \
             letters to another folder (--out)",
            path.display()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read sidecar file `{}`", path.display()))?;
    let sidecar: Sidecar = serde_json::from_str(&text).with_context(|| {
        format!(
            "sidecar file `{}` is not valid: expected JSON with patient {{name, dob, nhs, \
             address}}, recipient {{name, address}}, clinician, letter_type (clinic, referral or \
             discharge), priority, and for a recording of several letters, letters [one such \
             object per letter]",
            path.display()
        )
    })?;
    Ok(Some(sidecar))
}

/// The transcript kept in an earlier run's JSON record.
pub(super) fn recorded_transcript(path: &Path) -> Result<Transcript> {
    #[derive(serde::Deserialize)]
    struct Kept {
        transcript: Transcript,
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read record `{}`", path.display()))?;
    let kept: Kept = serde_json::from_str(&text)
        .with_context(|| format!("`{}` is not a dictate record", path.display()))?;
    Ok(kept.transcript)
}

/// A transcript read from a text file: one segment spanning the recording, no token data.
pub(super) fn text_transcript(path: &Path, seconds: f64) -> Result<Transcript> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read transcript `{}`", path.display()))?;
    Ok(Transcript {
        segments: vec![Segment {
            start: 0.0,
            end: seconds,
            text: text.trim().to_owned(),
            no_speech_prob: 0.0,
            tokens: Vec::new(),
        }],
    })
}
