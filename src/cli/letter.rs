//! `dictate letter`: a letter (DOCX and JSON record) for each recording named on the command line,
//! the model and templates loaded once; one failed recording never stops the others.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;

use crate::config::{Config, Overrides};
use crate::exit::Exit;
use crate::jobs::setup::{load_both, today};
use crate::letter::render::Templates;
use crate::pipeline::{Hearing, LetterJobs};
use crate::report::{Output, Reporter};

pub fn letters(
    inputs: &[PathBuf],
    out_dir: &Path,
    overwrite: bool,
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
    for input in inputs {
        match jobs.run(input) {
            Ok(w) => {
                done += w.letters.len();
                audio_secs += w.audio_seconds;
                model_secs += w.transcribe_seconds;
                for l in &w.letters {
                    writeln!(io.out, "{} -> {}", input.display(), l.docx.display())?;
                }
            }
            Err(e) => {
                failed += 1;
                tracing::debug!(file = %input.display(), "letter failed");
                writeln!(io.err, "error: {e:#}")?;
            }
        }
    }
    drop(jobs);
    tracing::debug!("model time: {}", transcriber.time_split());
    let wall = started.elapsed().as_secs_f64();
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
    Ok(if failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Done
    })
}
