//! What a recording's letter is made from besides its audio: the sidecar beside it, and for
//! `dictate eval --transcripts`, an earlier run's record or another engine's text in place of
//! hearing the audio.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::asr::transcript::{Segment, Transcript};
use crate::letter::sidecar::Sidecar;

/// The largest sidecar read: a PAS export of one recording's details is a few hundred bytes.
const MAX_SIDECAR_BYTES: u64 = 1 << 20;

/// What is wrong with a sidecar, said without its values (they are patient data, and errors go
/// to logs, reports and the ledger): where in the file, and what was expected there.
fn describe(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let inner = e.inner();
    let place = format!("line {}, column {}", inner.line(), inner.column());
    let path = e.path().to_string();
    let text = inner.to_string();
    // serde's message puts the value before ", expected ..."; the part after is the type's.
    let expected = text
        .split_once(", expected ")
        .map(|(_, x)| x.split(" at line ").next().unwrap_or(x).to_owned());
    match inner.classify() {
        serde_json::error::Category::Data => {
            let what = if text.starts_with("missing field") {
                "a required field is missing".to_owned()
            } else if text.starts_with("unknown field") {
                "is not a field a sidecar has".to_owned()
            } else {
                "has a value of the wrong type or form".to_owned()
            };
            match expected {
                Some(x) => format!("`{path}` {what} (expected {x}; {place})"),
                None => format!("`{path}` {what} ({place})"),
            }
        }
        _ => format!("it is not JSON ({place})"),
    }
}

/// A sidecar's name taken by something that is no file: the note each letter carries.
pub(super) fn unreadable_sidecar(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    (!meta.is_file()).then(|| {
        format!(
            "the sidecar `{}` is not a file (a folder, a pipe or a device), so it could not be \
             read: check the patient and recipient",
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        )
    })
}

/// The sidecar file, if there is one (a name taken by a folder, a pipe or a device is none: see
/// [`unreadable_sidecar`]; a FIFO is never opened, it would never end). It must not be the
/// record this run writes (an output folder that is the recordings' folder).
pub(super) fn read_sidecar(path: &Path, record: &Path) -> Result<Option<Sidecar>> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Ok(None);
    }
    if meta.len() > MAX_SIDECAR_BYTES {
        bail!(
            "sidecar file `{}` is {} bytes, more than the {MAX_SIDECAR_BYTES} a sidecar may be: \
             it is not a recording's details; move it away",
            path.display(),
            meta.len()
        );
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
    let sidecar: Sidecar = serde_path_to_error::deserialize(
        &mut serde_json::Deserializer::from_str(&text),
    )
    .map_err(|e| {
        // A new error, not a context on serde's: its message holds the value.
        anyhow::anyhow!(
            "sidecar file `{}` is not valid: {}. Expected JSON with patient {{name, dob, \
                     nhs, address}} (each a string), recipient {{name, address}}, clinician, \
                     letter_type (clinic, referral or discharge), priority, and for a recording \
                     of several letters, letters [one such object per letter]",
            path.display(),
            describe(&e)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Sidecars a PAS or a careless script may write, each holding the sentinel name and NHS
    /// number somewhere serde would quote it.
    const SENTINEL_NAME: &str = "Zebedee Quixote";
    const SENTINEL_NHS: &str = "9990395969";

    #[test]
    fn a_bad_sidecar_is_named_with_where_and_what_but_never_its_values() {
        let dir = tempfile::tempdir().unwrap();
        let shapes = [
            format!(r#"{{"patient": {{"name": "{SENTINEL_NAME}", "nhs": {SENTINEL_NHS}}}}}"#),
            format!(r#"{{"patient": "{SENTINEL_NAME} {SENTINEL_NHS}"}}"#),
            format!(r#"{{"letter_type": "{SENTINEL_NAME}"}}"#),
            format!(r#"{{"patient": {{"name": "{SENTINEL_NAME}"}}, "extra": {SENTINEL_NHS}}}"#),
            format!(r#"{{"patient": {{"name": ["{SENTINEL_NAME}"]}}}}"#),
            format!(r#"{{"patient": {{"name": "{SENTINEL_NAME}" "#),
            format!(r#"{{"letters": [{{"patient": {{"dob": {SENTINEL_NHS}}}}}]}}"#),
        ];
        for (i, shape) in shapes.iter().enumerate() {
            let path = dir.path().join(format!("s{i}.json"));
            std::fs::write(&path, shape).unwrap();
            let err = read_sidecar(&path, &dir.path().join("out.json")).unwrap_err();
            let message = format!("{err:#}");
            assert!(message.contains(&format!("s{i}.json")), "{message}");
            assert!(
                !message.contains("Zebedee") && !message.contains("0395969"),
                "shape {i} leaks patient data: {message}"
            );
        }
        // Where and what: the field path and the type expected.
        let path = dir.path().join("s0.json");
        let message = format!(
            "{:#}",
            read_sidecar(&path, &dir.path().join("o.json")).unwrap_err()
        );
        assert!(message.contains("`patient.nhs`"), "{message}");
        assert!(message.contains("expected a string"), "{message}");
    }

    #[test]
    fn a_sidecar_that_is_no_file_is_noted_and_one_too_large_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("rec.json");
        std::fs::create_dir(&folder).unwrap();
        assert!(read_sidecar(&folder, &dir.path().join("o.json"))
            .unwrap()
            .is_none());
        let note = unreadable_sidecar(&folder).expect("a note for the letter");
        assert!(note.contains("`rec.json` is not a file"), "{note}");
        let big = dir.path().join("big.json");
        std::fs::write(&big, vec![b' '; (MAX_SIDECAR_BYTES + 1) as usize]).unwrap();
        let err = read_sidecar(&big, &dir.path().join("o.json")).unwrap_err();
        assert!(err.to_string().contains("more than"), "{err}");
        // No sidecar at all is no error.
        assert!(
            read_sidecar(&dir.path().join("none.json"), &dir.path().join("o.json"))
                .unwrap()
                .is_none()
        );
    }
}
