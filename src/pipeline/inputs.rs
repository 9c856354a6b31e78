//! What a recording's letter is made from besides its audio: the sidecar beside it, and for
//! `dictate eval --transcripts`, an earlier run's record or another engine's text in place of
//! hearing the audio.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::asr::transcript::{Segment, Transcript};
use crate::letter::sidecar::Sidecar;
use crate::text::numbers::Flag;

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
    // A record is "an object" to the one who writes the file ("struct SidecarPatient" to serde).
    let expected = text.split_once(", expected ").map(|(_, x)| {
        let x = x.split(" at line ").next().unwrap_or(x);
        if x.starts_with("struct ") {
            "an object".to_owned()
        } else {
            x.to_owned()
        }
    });
    match inner.classify() {
        serde_json::error::Category::Data => {
            let what = if text.starts_with("missing field") {
                "a required field is missing".to_owned()
            } else if text.starts_with("unknown field") {
                // The unknown key is the writer's, and may itself be patient data (a PAS export
                // keyed by NHS number): say only where it is.
                let within = match path.rsplit_once('.') {
                    Some((parent, _)) if !parent.is_empty() => format!("`{parent}`"),
                    _ => "the top level".to_owned(),
                };
                let x = expected.map_or_else(String::new, |x| format!("expected {x}; "));
                return format!("a key in {within} is not a field a sidecar has ({x}{place})");
            } else if let Some(field) = text
                .strip_prefix("duplicate field `")
                .and_then(|t| t.split('`').next())
            {
                // The name is one of the sidecar's own fields, never a value.
                let at = if path == "." {
                    field.to_owned()
                } else {
                    format!("{path}.{field}")
                };
                return format!("`{at}` is given twice ({place})");
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

/// The sidecar beside a recording as the letter gets it: its details, if it could be read, and
/// what the secretary must be told about it (a sidecar that is no file, a link to nothing,
/// characters taken out of a value).
#[derive(Debug, Default)]
pub(super) struct SidecarRead {
    pub sidecar: Option<Sidecar>,
    pub notes: Vec<Flag>,
}

/// The sidecar file, if there is one. A name taken by a folder, a pipe or a device, or a link to
/// nothing, is none, with a note for the letter (a FIFO is never opened: it would never end).
/// It must not be the record this run writes (an output folder that is the recordings' folder).
/// A sidecar that is there but cannot be understood is an error: the letter would be for an
/// unknown patient.
pub(super) fn read_sidecar(path: &Path, record: &Path) -> Result<SidecarRead> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let not_used = |why: &str| SidecarRead {
        sidecar: None,
        notes: vec![Flag {
            kind: "sidecar_not_used",
            message: format!(
                "the sidecar `{name}` {why}, so it could not be read: check the patient and \
                 recipient"
            ),
        }],
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(_) if std::fs::symlink_metadata(path).is_ok() => {
            return Ok(not_used("is a link to a file that is not there"))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SidecarRead::default()),
        Err(e) => return Ok(not_used(&format!("cannot be looked at ({e})"))),
    };
    if !meta.is_file() {
        return Ok(not_used("is not a file (a folder, a pipe or a device)"));
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
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read sidecar file `{}`", path.display()))?;
    let invalid = |what: String| {
        // A new error, never a context on serde's: its message holds the value.
        anyhow::anyhow!(
            "sidecar file `{}` is not valid: {what}. Expected JSON with patient {{name, dob, \
             nhs, address}} (each a string), recipient {{name, address}}, clinician, \
             letter_type (clinic, referral or discharge), priority, and for a recording of \
             several letters, letters [one such object per letter]",
            path.display(),
        )
    };
    // Windows tools (Notepad among them) may start UTF-8 with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        invalid(format!(
            "it is not UTF-8 text (byte {} is not), as JSON must be; save it as UTF-8",
            e.valid_up_to() + 1
        ))
    })?;
    if text.trim().is_empty() {
        return Err(invalid("the file is empty".to_owned()));
    }
    let mut sidecar: Sidecar =
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text))
            .map_err(|e| invalid(describe(&e)))?;
    let notes = sidecar
        .clean()
        .into_iter()
        .map(|field| Flag {
            kind: "sidecar_characters",
            message: format!(
                "the sidecar's {field} held characters a letter cannot show (control or \
                 text-direction characters); they were left out: check it"
            ),
        })
        .collect();
    Ok(SidecarRead {
        sidecar: Some(sidecar),
        notes,
    })
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
            format!(r#"{{"patient": {{"{SENTINEL_NHS}": {{"name": "{SENTINEL_NAME}"}}}}}}"#),
            format!(r#"{{"{SENTINEL_NAME}": 1}}"#),
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
        let out = dir.path().join("o.json");
        let note = |path: &Path| {
            let read = read_sidecar(path, &out).unwrap();
            assert!(read.sidecar.is_none());
            assert_eq!(read.notes.len(), 1);
            read.notes[0].message.clone()
        };
        let folder = dir.path().join("rec.json");
        std::fs::create_dir(&folder).unwrap();
        assert!(note(&folder).contains("`rec.json` is not a file"));
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(dir.path().join("gone.json"), &link).unwrap();
        assert!(note(&link).contains("a link to a file that is not there"));
        let big = dir.path().join("big.json");
        std::fs::write(&big, vec![b' '; (MAX_SIDECAR_BYTES + 1) as usize]).unwrap();
        let err = read_sidecar(&big, &out).unwrap_err();
        assert!(err.to_string().contains("more than"), "{err}");
        // No sidecar at all is no error, and nothing to note.
        let none = read_sidecar(&dir.path().join("none.json"), &out).unwrap();
        assert!(none.sidecar.is_none() && none.notes.is_empty());
    }

    #[test]
    fn sidecars_as_windows_tools_write_them_are_read_and_odd_ones_said_plainly() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o.json");
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        // A byte-order mark (Notepad's UTF-8) is not an error.
        let bom = write(
            "bom.json",
            b"\xEF\xBB\xBF{\"patient\": {\"name\": \"Mrs Bom\"}}",
        );
        let read = read_sidecar(&bom, &out).unwrap();
        assert_eq!(
            read.sidecar.unwrap().patient.unwrap().name.as_deref(),
            Some("Mrs Bom")
        );
        for (name, bytes, says) in [
            ("empty.json", &b"  \n"[..], "the file is empty"),
            (
                "latin1.json",
                &b"{\"patient\": {\"name\": \"Zo\xeb\"}}"[..],
                "not UTF-8",
            ),
            (
                "twice.json",
                &b"{\"patient\": {}, \"patient\": {}}"[..],
                "`patient` is given twice",
            ),
            ("list.json", &b"[1, 2]"[..], "expected an object"),
        ] {
            let err = format!("{:#}", read_sidecar(&write(name, bytes), &out).unwrap_err());
            assert!(err.contains(name) && err.contains(says), "{name}: {err}");
        }
        // Control characters in a value: taken out, and the letter is told which field.
        let ctl = write("ctl.json", br#"{"patient": {"name": "Mr A\u000bB"}}"#);
        let read = read_sidecar(&ctl, &out).unwrap();
        assert_eq!(
            read.sidecar.unwrap().patient.unwrap().name.as_deref(),
            Some("Mr A B")
        );
        assert_eq!(read.notes.len(), 1);
        assert!(read.notes[0]
            .message
            .contains("patient name held characters"));
    }
}
