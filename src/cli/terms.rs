//! `dictate terms`: the terminology pass over plain text files, every change printed, so a site
//! can try a vocabulary file on its own letters without audio or a model.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::asr::transcript::{Segment, Transcript};
use crate::config::{Config, Overrides};
use crate::exit::Exit;
use crate::jobs::setup::load_lexicon;
use crate::report::Output;

/// `dictate terms`: the terminology pass over text files, every change printed.
pub fn terms_check(files: &[PathBuf], overrides: &Overrides, io: Output<'_>) -> Result<Exit> {
    let config = Config::resolve(&Overrides {
        no_terms: false,
        ..overrides.clone()
    })?;
    let lexicon = load_lexicon(&config)?.context("the terminology pass is off")?;
    let (mut words, mut changes, mut failed) = (0usize, 0usize, 0);
    for path in files {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                failed += 1;
                writeln!(io.err, "error: cannot read `{}`: {e}", path.display())?;
                continue;
            }
        };
        let transcript = Transcript {
            segments: text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| Segment {
                    start: 0.0,
                    end: 0.0,
                    text: l.trim().to_owned(),
                    no_speech_prob: 0.0,
                    tokens: Vec::new(),
                })
                .collect(),
        };
        words += text.split_whitespace().count();
        let (_, corrections) = crate::text::terms::correct(&transcript, &lexicon);
        for c in &corrections {
            writeln!(
                io.out,
                "{}: \"{}\" -> {} (confidence {:.2}, {})",
                path.display(),
                c.heard,
                c.term,
                c.confidence,
                serde_json::to_value(c.source)?.as_str().unwrap_or("")
            )?;
        }
        changes += corrections.len();
    }
    writeln!(
        io.out,
        "{changes} change{} in {words} words ({:.2} per 1,000 words)",
        if changes == 1 { "" } else { "s" },
        changes as f64 * 1000.0 / words.max(1) as f64
    )?;
    Ok(if failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Done
    })
}
