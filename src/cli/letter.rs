//! `dictate letter`: a letter (DOCX and JSON record) for each recording named on the command line,
//! the model and templates loaded once; one failed recording never stops the others.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::config::{Config, Overrides};
use crate::exit::Exit;
use crate::jobs::setup::{load_both, today};
use crate::letter::render::Templates;
use crate::pipeline::{Hearing, LetterJobs, Written};
use crate::report::{Output, Reporter};

pub fn letters(
    inputs: &[PathBuf],
    out_dir: &Path,
    overwrite: bool,
    json: bool,
    overrides: &Overrides,
    io: Output<'_>,
    reporter: &dyn Reporter,
) -> Result<Exit> {
    // A recording named that is not there (a typo, a file moved) stops the run before any work:
    // no model loaded, no letters folder made, no summary of nothing.
    let missing: Vec<String> = inputs
        .iter()
        .filter(|p| !p.is_file())
        .map(|p| {
            let why = if p.exists() {
                "is not a file"
            } else {
                "does not exist"
            };
            format!("`{}` {why}", p.display())
        })
        .collect();
    anyhow::ensure!(
        missing.is_empty(),
        "{}: give the recordings' paths (nothing was done)",
        missing.join("; ")
    );
    // Load once, fail fast: a bad model or template stops the run before any recording is read.
    let config = Config::resolve(overrides)?;
    let access = config.output_access()?;
    let templates = Templates::load(config.templates.as_deref())?;
    let (lexicon, transcriber) = load_both(&config);
    let (lexicon, mut transcriber) = (lexicon?, transcriber?);
    crate::fsio::create_dir(out_dir, access.letters)?;
    let mut jobs = LetterJobs {
        hearing: Hearing::Model(&mut transcriber),
        templates: &templates,
        lexicon: lexicon.as_ref(),
        out_dir: out_dir.to_owned(),
        access: access.letters,
        overwrite,
        today: today(),
        site: &config.site,
        progress: Some(reporter),
    };
    let started = Instant::now();
    let (mut done, mut failed, mut audio_secs, mut model_secs) = (0, 0, 0.0, 0.0);
    let mut recordings = Vec::new();
    for input in inputs {
        match jobs.run(input) {
            Ok(w) => {
                done += w.letters.len();
                audio_secs += w.audio_seconds;
                model_secs += w.transcribe_seconds;
                if !json {
                    for l in &w.letters {
                        writeln!(io.out, "{} -> {}", input.display(), l.docx.display())?;
                    }
                }
                recordings.push(RecordingOut::done(&w));
            }
            Err(e) => {
                failed += 1;
                tracing::debug!(file = %input.display(), "letter failed");
                writeln!(io.err, "error: {e:#}")?;
                recordings.push(RecordingOut::failed(input, &e));
            }
        }
    }
    drop(jobs);
    tracing::debug!("model time: {}", transcriber.time_split());
    let wall = started.elapsed().as_secs_f64();
    let exit = if failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Done
    };
    if json {
        let summary = LettersOut {
            out: out_dir.display().to_string(),
            letters_written: done,
            recordings_failed: failed,
            audio_seconds: audio_secs,
            wall_seconds: wall,
            recordings,
        };
        serde_json::to_writer_pretty(&mut *io.out, &summary)?;
        writeln!(io.out)?;
        return Ok(exit);
    }
    writeln!(
        io.out,
        "{done} letter{} written to {}{}; {audio_secs:.1} s of audio in {wall:.1} s (transcription {:.1}x real time)",
        if done == 1 { "" } else { "s" },
        out_dir.display(),
        if failed > 0 {
            format!(
                ", {failed} recording{} failed",
                if failed == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        },
        audio_secs / model_secs.max(1e-9),
    )?;
    Ok(exit)
}

/// `dictate letter --json`: one document for the whole run (field names are part of the
/// interface: README, "JSON output").
#[derive(Debug, Serialize)]
struct LettersOut {
    out: String,
    letters_written: usize,
    recordings_failed: usize,
    audio_seconds: f64,
    wall_seconds: f64,
    recordings: Vec<RecordingOut>,
}

#[derive(Debug, Serialize)]
struct RecordingOut {
    input: String,
    /// "done" or "failed".
    outcome: &'static str,
    error: Option<String>,
    audio_seconds: f64,
    letters: Vec<LetterOut>,
}

#[derive(Debug, Serialize)]
struct LetterOut {
    docx: String,
    record: String,
    kind: crate::letter::kind::LetterKind,
    /// Places the secretary is asked to check.
    flags: usize,
    /// Terms the terminology pass wrote.
    corrections: usize,
}

impl RecordingOut {
    fn done(w: &Written) -> RecordingOut {
        RecordingOut {
            input: w.input.display().to_string(),
            outcome: "done",
            error: None,
            audio_seconds: w.audio_seconds,
            letters: w
                .letters
                .iter()
                .map(|l| LetterOut {
                    docx: l.docx.display().to_string(),
                    record: l.json.display().to_string(),
                    kind: l.letter_kind,
                    flags: l.flags,
                    corrections: l.corrections.len(),
                })
                .collect(),
        }
    }

    fn failed(input: &Path, e: &anyhow::Error) -> RecordingOut {
        RecordingOut {
            input: input.display().to_string(),
            outcome: "failed",
            error: Some(format!("{e:#}")),
            audio_seconds: 0.0,
            letters: Vec::new(),
        }
    }
}
