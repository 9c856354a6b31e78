//! `dictate eval`: the whole pipeline over recordings with answer keys, scored (term recall,
//! identifiers, leftover commands, word error rate, speed). A measurement: it exits 0 whatever the
//! scores.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::asr::transcribe::Transcriber;
use crate::config::{Config, Overrides};
use crate::eval;
use crate::exit::Exit;
use crate::fsio::create_private_dir;
use crate::jobs::setup::{load_lexicon, load_transcriber, today};
use crate::letter::render::Templates;
use crate::pipeline::{Hearing, LetterJobs};
use crate::report::Output;

pub fn evaluate(
    dir: &Path,
    out: Option<&Path>,
    transcripts: Option<PathBuf>,
    json: bool,
    overrides: &Overrides,
    io: Output<'_>,
) -> Result<Exit> {
    let config = Config::resolve(overrides)?;
    let cases = eval::cases(dir)?;
    let templates = Templates::load(config.templates.as_deref())?;
    let lexicon = load_lexicon(&config)?;
    let mut transcriber: Transcriber;
    let hearing = match transcripts {
        Some(d) => Hearing::TextFiles(d),
        None => {
            transcriber = load_transcriber(&config)?;
            Hearing::Model(&mut transcriber)
        }
    };
    // Without --out the letters go to a temporary folder, removed afterwards.
    let scratch = tempfile::Builder::new().prefix("dictate-eval-").tempdir()?;
    let out_dir = out.unwrap_or(scratch.path());
    create_private_dir(out_dir)?;
    let mut jobs = LetterJobs {
        hearing,
        templates: &templates,
        lexicon: lexicon.as_ref(),
        out_dir: out_dir.to_owned(),
        access: crate::fsio::Access::PRIVATE,
        overwrite: true,
        today: today(),
        site: &config.site,
        progress: None,
    };
    let mut files = Vec::new();
    for case in &cases {
        let result = match jobs.run(&case.audio) {
            Ok(w) => {
                // An answer key describes one letter: the recording's first.
                let l = w.first();
                let kind = serde_json::to_value(l.letter_kind)?;
                let s = eval::score::score(
                    &l.final_text,
                    &l.body_text,
                    kind.as_str().unwrap_or(""),
                    &case.key,
                );
                eval::FileResult::new(
                    &case.id,
                    s,
                    w.audio_seconds,
                    w.wall_seconds,
                    w.transcribe_seconds,
                    l.corrections.clone(),
                    l.terms_seconds,
                )
            }
            Err(e) => eval::FileResult::failed(case, format!("{e:#}")),
        };
        files.push(result);
    }
    let report = eval::Report {
        dir: dir.display().to_string(),
        total: eval::totals(&files),
        files,
    };
    if json {
        serde_json::to_writer_pretty(&mut *io.out, &report)?;
        writeln!(io.out)?;
    } else {
        write!(io.out, "{}", eval::table(&report))?;
    }
    Ok(Exit::Done)
}
