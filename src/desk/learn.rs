//! Learning from the secretary's edits: where she replaced what Whisper heard with a word the
//! lexicon lacks (a drug, a GP's name), the desk proposes it for the site's vocabulary file as
//! `term = heard as`; one click appends it there, so the next letters get it right.
//!
//! A replacement is proposed only when it can teach the terminology pass something: one to four
//! heard words replaced by one to four typed words, the typed words holding a letter and no digit
//! (a changed dose is not a term), not the same words in another case or punctuation, not
//! already known (a term, a medical or English word, or already in the vocabulary file), and
//! sounding like what was heard (`text::terms::heard_as`): a secretary's "the" for "a" is an
//! edit, and so is a brand typed for the drug the clinician named; neither is a mishearing.

use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::letter::record::{DocBlock, DocWord};
use crate::text::diff::Tag;

/// A term the desk proposes for the vocabulary file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// As the secretary typed it.
    pub term: String,
    /// What Whisper heard there (lower case, no punctuation).
    pub heard: String,
}

/// The most words on either side of a replacement (the pass matches terms of one to four).
const MAX_WORDS: usize = 4;

/// The replacements between the draft and the latest version that could teach the pass a term.
/// `known` says whether a word (as typed, without punctuation) is already known.
pub fn proposals(
    draft: &[DocBlock],
    latest: &[DocBlock],
    known: &dyn Fn(&str) -> bool,
) -> Vec<Proposal> {
    let mut out: Vec<Proposal> = Vec::new();
    for (before, after) in draft.iter().zip(latest) {
        if before.kind == "notes" {
            continue;
        }
        let (a, b) = (words(before), words(after));
        let keys = |ws: &[&DocWord]| ws.iter().map(|w| core(&w.text)).collect::<Vec<_>>();
        let (ka, kb) = (keys(&a), keys(&b));
        let within = std::time::Duration::from_secs(1);
        for op in crate::text::diff::words(&ka, &kb, within) {
            if op.tag != Tag::Replace || op.old.len() > MAX_WORDS || op.new.len() > MAX_WORDS {
                continue;
            }
            let typed: Vec<&str> = kb[op.new]
                .iter()
                .map(String::as_str)
                .filter(|w| !w.is_empty())
                .collect();
            let heard_words = &a[op.old];
            let heard = heard_text(heard_words);
            let term = typed.join(" ");
            let teaches = !typed.is_empty()
                && term.chars().any(char::is_alphabetic)
                && !term.chars().any(|c| c.is_ascii_digit())
                && plain(&term) != plain(&heard)
                && !plain(&heard).is_empty()
                && !typed.iter().all(|w| known(w))
                && crate::text::terms::heard_as(&heard, &term);
            if teaches && !out.iter().any(|p| plain(&p.term) == plain(&term)) {
                out.push(Proposal { term, heard });
            }
        }
    }
    out
}

/// A block's words in order, line after line.
fn words(block: &DocBlock) -> Vec<&DocWord> {
    block.lines.iter().flatten().collect()
}

/// A word without the punctuation around it ("ramipril," -> "ramipril").
fn core(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric()).to_owned()
}

/// Lower-case letters, digits and single spaces: how a term and a heard form are compared.
pub fn plain(s: &str) -> String {
    crate::text::norm_words(s).join(" ")
}

/// What Whisper heard for these draft words: a correction's heard words (from its note,
/// `Heard: "ram a pill" (...)`), else the words as written.
fn heard_text(words: &[&DocWord]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut last_note: Option<&str> = None;
    for w in words {
        match (w.kind.as_str(), w.note.as_deref().and_then(heard_in_note)) {
            ("correction", Some(heard)) => {
                // A term of several words carries one note on each: the heard words once.
                if last_note != Some(heard) {
                    out.push(plain(heard));
                }
                last_note = Some(heard);
            }
            _ => {
                out.push(plain(&w.text));
                last_note = None;
            }
        }
    }
    out.retain(|w| !w.is_empty());
    out.join(" ")
}

fn heard_in_note(note: &str) -> Option<&str> {
    let rest = note.strip_prefix("Heard: \"")?;
    rest.split_once('"').map(|(heard, _)| heard)
}

/// The terms of a vocabulary file (`term = heard; heard`), lower case, for "already there".
pub fn listed_terms(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .filter_map(|l| {
            let term = plain(l.split('=').next().unwrap_or(""));
            (!term.is_empty()).then_some(term)
        })
        .collect()
}

/// Appends `term = heard` to the vocabulary file (made, owner-only, if it is not there yet;
/// its mode kept if it is), atomically: a crash leaves the old file or the new, never half.
/// A term already listed is not added twice.
pub fn append(path: &Path, p: &Proposal) -> Result<()> {
    anyhow::ensure!(
        !p.term.contains(['=', '#', ';', '\n', '\r']) && !p.heard.contains(['=', '#', '\n', '\r']),
        "`{}` cannot be written as a vocabulary line",
        p.term
    );
    let old = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read `{}`", path.display()));
        }
    };
    if listed_terms(path).contains(&plain(&p.term)) {
        return Ok(());
    }
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).map_or(0o600, |m| m.permissions().mode() & 0o777)
    };
    let mut text = old;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("{} = {}\n", p.term.trim(), p.heard.trim()));
    crate::fsio::write_atomic(path, text.as_bytes(), mode)
        .with_context(|| format!("cannot add to the vocabulary file `{}`", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(words: &[(&str, &str)]) -> DocBlock {
        DocBlock {
            kind: "paragraph".into(),
            lines: vec![words
                .iter()
                .map(|(text, kind)| DocWord {
                    text: (*text).into(),
                    bold: false,
                    start: None,
                    end: None,
                    kind: (*kind).into(),
                    note: None,
                })
                .collect()],
        }
    }

    fn plain_block(text: &str) -> DocBlock {
        block(
            &text
                .split_whitespace()
                .map(|w| (w, "word"))
                .collect::<Vec<_>>(),
        )
    }

    /// Words a small English list knows.
    fn english(w: &str) -> bool {
        [
            "started", "on", "daily", "the", "a", "mg", "dear", "dr", "and", "his", "continue",
        ]
        .contains(&w.to_lowercase().as_str())
    }

    #[test]
    fn a_heard_phrase_replaced_by_an_unknown_word_is_proposed() {
        let draft = [plain_block("Started on sack you bitril valsartan daily.")];
        let latest = [plain_block("Started on sacubitril valsartan daily.")];
        assert_eq!(
            proposals(&draft, &latest, &english),
            [Proposal {
                term: "sacubitril".into(),
                heard: "sack you bitril".into()
            }]
        );
    }

    #[test]
    fn doses_english_words_and_case_or_punctuation_are_not_terms() {
        let draft = [plain_block("Started a 5 mg dose, dear Dr jones.")];
        for edited in [
            "Started a 2.5 mg dose, dear Dr jones.", // a dose
            "Started the 5 mg dose, dear Dr jones.", // an English word
            "Started a 5 mg dose. Dear Dr Jones.",   // case and punctuation
        ] {
            let latest = [plain_block(edited)];
            assert_eq!(proposals(&draft, &latest, &english), [], "{edited}");
        }
        // A name the lexicon lacks, where the heard words sound like it, is a term; where they
        // do not, the secretary changed the name, and that teaches nothing.
        let draft = [plain_block("Started a 5 mg dose, dear Dr oh con co.")];
        let latest = [plain_block("Started a 5 mg dose, dear Dr Okonkwo.")];
        assert_eq!(
            proposals(&draft, &latest, &english),
            [Proposal {
                term: "Okonkwo".into(),
                heard: "oh con co".into()
            }]
        );
        let latest = [plain_block("Started a 5 mg dose, dear Dr Zielinski.")];
        assert_eq!(proposals(&draft, &latest, &english), []);
    }

    #[test]
    fn a_wrong_correction_teaches_what_whisper_heard() {
        // The pass wrote a term for "mira beg ron"; the secretary typed the one that was said.
        let mut draft = block(&[("Continue", "word"), ("mirtazapine", "correction")]);
        draft.lines[0][1].note =
            Some("Heard: \"mira beg ron\" (at 0:41; corrected by dictate, 62% sure)".into());
        let latest = [plain_block("Continue mirabegron")];
        assert_eq!(
            proposals(&[draft], &latest, &english),
            [Proposal {
                term: "mirabegron".into(),
                heard: "mira beg ron".into()
            }]
        );
    }

    #[test]
    fn an_accepted_term_is_appended_once_and_the_file_keeps_its_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site.txt");
        std::fs::write(&path, "# our terms\nZorbatrin = sorb a train").unwrap();
        let p = Proposal {
            term: "sacubitril".into(),
            heard: "sack you bitril".into(),
        };
        append(&path, &p).unwrap();
        append(&path, &p).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# our terms\nZorbatrin = sorb a train\nsacubitril = sack you bitril\n"
        );
        assert_eq!(listed_terms(&path), ["zorbatrin", "sacubitril"]);
        let bad = Proposal {
            term: "a = b".into(),
            heard: "x".into(),
        };
        assert!(append(&path, &bad).is_err());
        // A new file is made owner-only.
        let new = dir.path().join("new.txt");
        append(&new, &p).unwrap();
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&new).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}
