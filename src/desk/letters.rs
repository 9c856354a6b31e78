//! The letters folder as the review desk sees it: each letter's JSON record (written beside its
//! DOCX by `dictate letter`, `batch` and `watch`), read afresh on every request so the desk shows
//! what the night's run has written so far. A letter's id is its record's file name without
//! `.json`; ids come from the client and are looked up among the records, never joined to a path.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::edits::{self, Edits};
use crate::letter::record::{DocBlock, HeaderFacts};

/// What the desk reads of a record (the rest stays in the file).
#[derive(Debug, Clone, Deserialize)]
struct Stored {
    letter_kind: String,
    source: StoredSource,
    #[serde(default)]
    flags: Vec<serde_json::Value>,
    #[serde(default)]
    corrections: Vec<serde_json::Value>,
    /// Records written before the desk have none: their letters are listed but show no words.
    #[serde(default)]
    document: Vec<DocBlock>,
    #[serde(default)]
    letterhead: Vec<String>,
    /// Records written before the desk have none.
    #[serde(default)]
    header: HeaderFacts,
}

#[derive(Debug, Clone, Deserialize)]
struct StoredSource {
    path: PathBuf,
    audio_seconds: f64,
}

/// A letter in the worklist.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    /// "clinic", "referral", "discharge".
    pub kind: String,
    /// The recording's file name (not its folder, which may name a patient or a clinic).
    pub recording: String,
    pub audio_seconds: f64,
    /// Things the secretary must check, and terms the pass wrote.
    pub flags: usize,
    pub corrections: usize,
    /// Runs of words Whisper was unsure of (yellow).
    pub unsure: usize,
    /// "draft" (as dictate wrote it), "edited" (saved at the desk) or "approved".
    pub state: &'static str,
    /// When the record was written (seconds since 1970), for oldest-first.
    pub written: u64,
    /// Patient, recipient, dictating clinician, priority, letter date.
    #[serde(flatten)]
    pub header: HeaderFacts,
    /// Said or given as urgent: listed first.
    pub urgent: bool,
}

/// One letter, as the letter page shows it: its latest version.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    #[serde(flatten)]
    pub summary: Summary,
    /// How many versions were saved at the desk (0: the draft); a save or an approval names the
    /// version it was made from, so two people editing one letter cannot overwrite each other.
    pub version: usize,
    pub document: Vec<DocBlock>,
    /// The approved files, relative to the letters folder, oldest first.
    pub approved: Vec<String>,
    /// Words the secretary typed that the lexicon lacks, proposed for the site's vocabulary
    /// (filled by the server, which holds the lexicon).
    pub proposals: Vec<super::learn::Proposal>,
    #[serde(skip)]
    pub letterhead: Vec<String>,
    /// The draft as dictate wrote it.
    #[serde(skip)]
    pub draft: Vec<DocBlock>,
}

/// The letters folder.
pub struct Folder {
    dir: PathBuf,
}

impl Folder {
    pub fn open(dir: &Path) -> Result<Folder> {
        anyhow::ensure!(
            dir.is_dir(),
            "`{}` is not a folder: give the letters folder (the --out of dictate letter or batch)",
            dir.display()
        );
        Ok(Folder {
            dir: dir.to_owned(),
        })
    }

    /// Every letter whose record reads, oldest first.
    pub fn list(&self) -> Result<Vec<Summary>> {
        let mut out = Vec::new();
        let entries = std::fs::read_dir(&self.dir)
            .with_context(|| format!("cannot read the letters folder `{}`", self.dir.display()))?;
        for entry in entries.filter_map(std::result::Result::ok) {
            let path = entry.path();
            let Some(id) = record_id(&path) else {
                continue;
            };
            match read(&path) {
                Ok(stored) => {
                    let edits = self.edits(&id);
                    out.push(summary(id, &path, &stored, &edits));
                }
                // Not a letter's record (a ledger export, a half-copied file): not listed.
                Err(e) => tracing::debug!("{}: not a letter's record: {e:#}", id),
            }
        }
        // Urgent first, then oldest.
        out.sort_by(|a, b| {
            b.urgent
                .cmp(&a.urgent)
                .then(a.written.cmp(&b.written))
                .then(a.id.cmp(&b.id))
        });
        Ok(out)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The letter `id` in its latest version, if the folder holds its record.
    pub fn letter(&self, id: &str) -> Option<Letter> {
        let (path, stored) = self.find(id)?;
        let edits = self.edits(id);
        Some(Letter {
            summary: summary(id.to_owned(), &path, &stored, &edits),
            version: edits.versions.len(),
            document: edits
                .versions
                .last()
                .map_or_else(|| stored.document.clone(), |v| v.document.clone()),
            approved: edits.approvals.iter().map(|a| a.file.clone()).collect(),
            proposals: Vec::new(),
            letterhead: stored.letterhead,
            draft: stored.document,
        })
    }

    /// What was done to letter `id` at the desk; a review file that does not read counts as
    /// none (and is logged), so the letter is still shown.
    pub fn edits(&self, id: &str) -> Edits {
        edits::read(&self.dir, id).unwrap_or_else(|e| {
            tracing::warn!("{id}: {e:#}");
            Edits::default()
        })
    }

    /// The recording letter `id` was made from, if it is still there.
    pub fn recording(&self, id: &str) -> Option<PathBuf> {
        let (_, stored) = self.find(id)?;
        stored.source.path.is_file().then_some(stored.source.path)
    }

    /// The record of `id`: looked up among the folder's records by name, so no id can reach a
    /// file outside them.
    fn find(&self, id: &str) -> Option<(PathBuf, Stored)> {
        let path = std::fs::read_dir(&self.dir)
            .ok()?
            .filter_map(std::result::Result::ok)
            .map(|e| e.path())
            .find(|p| record_id(p).as_deref() == Some(id))?;
        let stored = read(&path).ok()?;
        Some((path, stored))
    }
}

/// The id of a record file: its name without `.json`, for a regular file directly in the folder
/// whose name is plain (letters, digits, `-`, `_`, `.`, space).
fn record_id(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let id = name.strip_suffix(".json")?;
    let plain = !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '));
    (plain && path.is_file()).then(|| id.to_owned())
}

fn read(path: &Path) -> Result<Stored> {
    let bytes = std::fs::read(path)?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)?;
    anyhow::ensure!(
        value.get("dictate_version").is_some(),
        "no dictate_version: not a letter's record"
    );
    Ok(serde_json::from_value(value)?)
}

fn summary(id: String, path: &Path, s: &Stored, edits: &Edits) -> Summary {
    let written = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    Summary {
        id,
        kind: s.letter_kind.clone(),
        recording: s
            .source
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        audio_seconds: s.source.audio_seconds,
        flags: s.flags.len(),
        corrections: s.corrections.len(),
        unsure: unsure_runs(&s.document),
        state: edits.state(),
        written,
        urgent: s
            .header
            .priority
            .as_deref()
            .is_some_and(|p| p.to_lowercase().contains("urgent")),
        header: s.header.clone(),
    }
}

/// How many runs of unsure words the letter has (neighbours on one line are one run).
fn unsure_runs(document: &[DocBlock]) -> usize {
    document
        .iter()
        .flat_map(|b| &b.lines)
        .map(|line| {
            line.iter()
                .zip(std::iter::once(None).chain(line.iter().map(Some)))
                .filter(|(w, before)| {
                    w.kind == "unsure" && before.is_none_or(|b| b.kind != "unsure")
                })
                .count()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_unsure_words_are_one_place_to_check() {
        let w = |kind: &str| crate::letter::record::DocWord {
            text: "x".into(),
            bold: false,
            start: None,
            end: None,
            kind: kind.into(),
            note: None,
        };
        let doc = vec![DocBlock {
            kind: "paragraph".into(),
            lines: vec![
                vec![w("unsure"), w("unsure"), w("word"), w("unsure")],
                vec![w("unsure"), w("correction")],
            ],
        }];
        assert_eq!(unsure_runs(&doc), 3);
    }

    #[test]
    fn only_plain_record_names_are_ids() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "a letter.json",
            "b-2_x.json",
            ".hidden.json",
            "c.docx",
            "d;rm.json",
        ] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        std::fs::create_dir(dir.path().join("e.json")).unwrap();
        let mut ids: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| record_id(&e.unwrap().path()))
            .collect();
        ids.sort();
        assert_eq!(ids, ["a letter", "b-2_x"]);
    }

    #[test]
    fn a_folder_lists_its_records_and_finds_none_by_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let wav = dir.path().join("rec.wav");
        std::fs::write(&wav, b"RIFF").unwrap();
        let record = serde_json::json!({
            "dictate_version": "0",
            "letter_kind": "clinic",
            "source": {"path": wav, "audio_seconds": 12.5},
            "flags": [{"a": 1}],
            "corrections": [],
            "document": [{"kind": "paragraph", "lines": [[
                {"text": "Hello", "start": 0.5, "end": 0.9, "kind": "word"}
            ]]}],
        });
        std::fs::write(dir.path().join("rec.json"), record.to_string()).unwrap();
        std::fs::write(dir.path().join("other.json"), "{\"not\": \"a record\"}").unwrap();
        let folder = Folder::open(dir.path()).unwrap();
        let list = folder.list().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(
            (list[0].id.as_str(), list[0].kind.as_str(), list[0].flags),
            ("rec", "clinic", 1)
        );
        assert_eq!(list[0].recording, "rec.wav");
        let letter = folder.letter("rec").unwrap();
        assert_eq!(letter.document[0].lines[0][0].start, Some(0.5));
        assert_eq!(folder.recording("rec"), Some(wav));
        for id in ["../rec", "rec.json", "other", "/etc/passwd", ""] {
            assert!(folder.letter(id).is_none(), "{id}");
        }
    }
}
