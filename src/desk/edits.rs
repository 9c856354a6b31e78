//! What the secretary did to a letter at the desk, kept beside the letters and never over them:
//! `LETTERS_DIR/review/<id>.json` holds every saved version of the letter (its words, who saved
//! it, when, and what changed from the version before) and every approval (who, when, which
//! version, which file). The draft DOCX and its record are never touched; an approved letter is
//! a new file under `LETTERS_DIR/approved/`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::fsio::Access;
pub use crate::jobs::ledger::now;
use crate::letter::record::{DocBlock, DocWord};

/// A letter's review file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Edits {
    pub versions: Vec<Version>,
    pub approvals: Vec<Approval>,
    /// Terms proposed from this letter's edits, and what the secretary said to each.
    #[serde(default)]
    pub learned: Vec<Learned>,
}

/// A proposed term, accepted into the vocabulary file or turned down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Learned {
    pub term: String,
    pub heard: String,
    pub accepted: bool,
    pub editor: String,
    pub os_user: String,
    pub at: String,
    /// The vocabulary file it went into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// One saved version of the letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    pub document: Vec<DocBlock>,
    /// The name typed at the desk.
    pub editor: String,
    /// The account the desk runs as.
    pub os_user: String,
    /// UTC, RFC 3339.
    pub at: String,
    /// What changed from the version before (the draft for the first), block by block.
    pub changes: Vec<Change>,
}

/// A block whose words changed: its text before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub block: usize,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    pub editor: String,
    pub os_user: String,
    pub at: String,
    /// The version approved (0: the draft as dictate wrote it).
    pub version: usize,
    /// The approved DOCX, relative to the letters folder.
    pub file: String,
}

impl Edits {
    /// The letter's state for the worklist.
    pub fn state(&self) -> &'static str {
        match (self.approvals.last(), self.versions.len()) {
            (Some(a), n) if a.version == n => "approved",
            (_, 0) => "draft",
            _ => "edited",
        }
    }
}

/// Where letter `id`'s review file is.
pub fn path(dir: &Path, id: &str) -> PathBuf {
    dir.join("review").join(format!("{id}.json"))
}

/// The review file of letter `id`; none saved yet is an empty one.
pub fn read(dir: &Path, id: &str) -> Result<Edits> {
    let file = path(dir, id);
    match std::fs::read(&file) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .with_context(|| format!("`{}` is not a review file", file.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Edits::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read `{}`", file.display())),
    }
}

/// Runs `f` holding letter `id`'s lock (`review/<id>.lock`, an OS file lock): two desks over one
/// folder, or two saves in one, read and write its review file one at a time.
pub fn locked<T>(dir: &Path, id: &str, access: Access, f: impl FnOnce() -> T) -> Result<T> {
    let folder = dir.join("review");
    crate::fsio::create_dir(&folder, access)?;
    let file = crate::fsio::lock_file(&folder.join(format!("{id}.lock")))?;
    let out = f();
    drop(file);
    Ok(out)
}

/// Writes letter `id`'s review file whole (owner-only, or readable by the letters' group, as
/// its folder).
pub fn write(dir: &Path, id: &str, edits: &Edits, access: Access) -> Result<()> {
    let file = path(dir, id);
    if let Some(parent) = file.parent() {
        crate::fsio::create_dir(parent, access)?;
    }
    crate::fsio::write_atomic(&file, &serde_json::to_vec_pretty(edits)?, access.file())
}

/// The blocks whose words differ between two versions of a letter.
pub fn changes(before: &[DocBlock], after: &[DocBlock]) -> Vec<Change> {
    let text = |b: Option<&DocBlock>| {
        b.map(|b| {
            b.lines
                .iter()
                .map(|l| words_text(l))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
    };
    (0..before.len().max(after.len()))
        .filter_map(|i| {
            let (a, b) = (text(before.get(i)), text(after.get(i)));
            (a != b).then_some(Change {
                block: i,
                before: a,
                after: b,
            })
        })
        .collect()
}

fn words_text(words: &[DocWord]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The account the desk runs as.
pub fn os_user() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> DocBlock {
        DocBlock {
            kind: "paragraph".into(),
            lines: vec![text
                .split_whitespace()
                .map(|w| DocWord {
                    text: w.into(),
                    bold: false,
                    start: None,
                    end: None,
                    kind: "word".into(),
                    note: None,
                })
                .collect()],
        }
    }

    #[test]
    fn changes_name_the_blocks_that_differ() {
        let before = [block("Dear Dr Evans,"), block("Started ramipril 5 mg.")];
        let after = [block("Dear Dr Evans,"), block("Started ramipril 2.5 mg.")];
        assert_eq!(
            changes(&before, &after),
            [Change {
                block: 1,
                before: "Started ramipril 5 mg.".into(),
                after: "Started ramipril 2.5 mg.".into()
            }]
        );
        assert!(changes(&before, &before).is_empty());
    }

    #[test]
    fn saves_that_meet_wait_for_each_other_and_none_is_lost() {
        // Eight writers (as eight desks would), each reading the review file, pausing, and
        // writing it back one version longer: with the lock, every version is kept.
        let dir = tempfile::tempdir().unwrap();
        std::thread::scope(|s| {
            for i in 0..8 {
                let dir = dir.path();
                s.spawn(move || {
                    locked(dir, "a", Access::PRIVATE, || {
                        let mut e = read(dir, "a").unwrap();
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        e.versions.push(Version {
                            document: vec![block(&format!("v{i}"))],
                            editor: format!("editor {i}"),
                            os_user: os_user(),
                            at: now(),
                            changes: Vec::new(),
                        });
                        write(dir, "a", &e, Access::PRIVATE).unwrap();
                    })
                    .unwrap();
                });
            }
        });
        assert_eq!(read(dir.path(), "a").unwrap().versions.len(), 8);
    }

    #[test]
    fn a_review_file_is_kept_and_read_back_and_states_follow_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut e = read(dir.path(), "a").unwrap();
        assert_eq!(e.state(), "draft");
        e.versions.push(Version {
            document: vec![block("Hello")],
            editor: "Sam".into(),
            os_user: os_user(),
            at: now(),
            changes: Vec::new(),
        });
        assert_eq!(e.state(), "edited");
        e.approvals.push(Approval {
            editor: "Sam".into(),
            os_user: os_user(),
            at: now(),
            version: 1,
            file: "approved/a.docx".into(),
        });
        assert_eq!(e.state(), "approved");
        write(dir.path(), "a", &e, Access::PRIVATE).unwrap();
        assert_eq!(read(dir.path(), "a").unwrap(), e);
        assert!(now().ends_with('Z'), "{}", now());
    }
}
