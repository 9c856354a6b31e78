//! The commands: `args` turns the command line into a [`Command`] (the only code that knows
//! clap), and one file per subcommand runs it over the lower stages. A command loads what it
//! needs once, does the work and reports; the caller supplies the output streams and the progress
//! reporter, so nothing here touches the terminal directly.

pub mod args;
mod doctor;
mod eval;
mod letter;
mod model;
mod terms;
mod transcribe;

use std::path::PathBuf;

use anyhow::Result;

use crate::config::Overrides;
use crate::exit::Exit;
use crate::jobs::{batch, watch, worker};
use crate::report::{Output, Reporter};

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
        json: bool,
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
    ModelAdapt {
        base: PathBuf,
        adapter: Option<PathBuf>,
        out: PathBuf,
    },
    ModelQuantize {
        input: PathBuf,
        out: PathBuf,
        format: crate::asr::model::quantize::Format,
    },
    Terms {
        files: Vec<PathBuf>,
    },
    Batch {
        dir: PathBuf,
        out: PathBuf,
        force: bool,
        jobs: Option<usize>,
        queue: Option<String>,
        json: bool,
    },
    Submit {
        dir: PathBuf,
        out: PathBuf,
        queue: String,
    },
    Worker(crate::jobs::worker::Options),
    QueueStatus {
        queue: String,
        json: bool,
    },
    Status {
        out: PathBuf,
        last: usize,
        json: bool,
    },
    Watch(crate::jobs::watch::Options),
    Review(crate::desk::Options),
    /// Shell completions or the manual page, from the command line's own definitions.
    Print(Printout),
    ModelImport {
        dir: PathBuf,
        out: PathBuf,
    },
    ModelList,
    ModelVerify {
        file: Option<PathBuf>,
    },
    /// Checks of the set-up, each with what to fix.
    Doctor {
        out: Option<PathBuf>,
    },
}

/// What `completions` and `man` print.
#[derive(Debug, Clone)]
pub enum Printout {
    /// For the shell named (bash, zsh, fish, elvish, powershell).
    Completions(String),
    Man,
}

pub fn run(
    command: Command,
    overrides: &Overrides,
    io: Output<'_>,
    reporter: &dyn Reporter,
) -> Result<Exit> {
    match command {
        Command::Transcribe { audio, json } => transcribe::transcribe(&audio, json, overrides, io),
        Command::Letter {
            inputs,
            out,
            overwrite,
            json,
        } => letter::letters(&inputs, &out, overwrite, json, overrides, io, reporter),
        Command::Eval {
            dir,
            out,
            transcripts,
            json,
        } => eval::evaluate(&dir, out.as_deref(), transcripts, json, overrides, io),
        Command::Terms { files } => terms::terms_check(&files, overrides, io),
        Command::Batch {
            dir,
            out,
            force,
            jobs,
            queue: None,
            json,
        } => batch::run(
            &dir,
            &out,
            batch::Options { force, jobs, json },
            overrides,
            io,
            reporter,
        ),
        // On a shared queue: queue the folder, then work until the queue is empty.
        Command::Batch {
            dir,
            out,
            queue: Some(queue),
            jobs,
            ..
        } => {
            let submitted = worker::submit(
                &dir,
                &out,
                &queue,
                Output {
                    out: &mut *io.out,
                    err: &mut *io.err,
                },
            )?;
            let worked = worker::work(
                &worker::Options {
                    queue,
                    lease: 300.0,
                    until_empty: true,
                    jobs,
                },
                overrides,
                io,
                None,
            )?;
            Ok(if matches!(submitted, Exit::Done) {
                worked
            } else {
                submitted
            })
        }
        Command::Submit { dir, out, queue } => worker::submit(&dir, &out, &queue, io),
        Command::Worker(o) => worker::work(&o, overrides, io, None),
        Command::QueueStatus { queue, json } => worker::status(&queue, json, io),
        Command::Status { out, last, json } => batch::status(&out, last, json, io),
        Command::Watch(o) => watch::run(&o, overrides, io, reporter),
        Command::Print(what) => args::print(&what, io.out).map(|()| Exit::Done),
        Command::Review(o) => {
            let config = crate::config::Config::resolve(overrides)?;
            crate::desk::serve(&o, &config, io.out).map(|()| Exit::Done)
        }
        Command::ModelFetch { name, dir } => model::fetch(&name, &dir, io, reporter),
        Command::ModelQuantize { input, out, format } => model::quantize(&input, &out, format, io),
        Command::ModelImport { dir, out } => model::import(&dir, &out, io),
        Command::ModelAdapt { base, adapter, out } => {
            model::adapt(&base, adapter.as_deref(), &out, io)
        }
        Command::ModelList => model::list(overrides, io),
        Command::ModelVerify { file } => model::verify(file.as_deref(), overrides, io),
        Command::Doctor { out } => doctor::doctor(out.as_deref(), overrides, io),
    }
}
