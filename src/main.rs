//! The `dictate` binary: parses the command line, sets up logging and progress bars, runs the
//! library and maps the outcome to an exit code.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Mutex;

use clap::{CommandFactory, FromArgMatches};
use dictate::cli::args::{Cli, ColorWhen};
use dictate::exit::Exit;
use dictate::report::{Reporter, Unit};
use indicatif::{ProgressBar, ProgressStyle};

fn main() -> ExitCode {
    let color = ColorWhen::from_env_and_args();
    let matches = Cli::command().color(color.clap()).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    init_logging(cli.verbose, cli.color.on(std::io::stderr().is_terminal()));
    // Bars only on a terminal; notes (a fallback taken) also in logs and pipes, unless --quiet.
    let reporter = Bars {
        bars: !cli.quiet && std::io::stderr().is_terminal(),
        notes: !cli.quiet,
        bar: Mutex::new(None),
    };
    let (command, overrides) = cli.into_parts();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr();
    let io = dictate::report::Output {
        out: &mut stdout,
        err: &mut stderr,
    };
    match dictate::cli::run(command, &overrides, io, &reporter) {
        Ok(exit) => exit.into(),
        Err(err) => {
            eprintln!("error: {err:#}");
            Exit::Setup.into()
        }
    }
}

fn init_logging(verbose: u8, ansi: bool) {
    // symphonia's notes on damaged files ("crc mismatch", "skipped junk") are summed up in the
    // error dictate gives; they are shown with -vv.
    let default = match verbose {
        0 => "warn,symphonia=off",
        1 => "info,whisper_rs=warn,symphonia=error",
        2 => "debug,whisper_rs=warn",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("DICTATE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .init();
}

/// Progress bars on stderr, when it is a terminal.
struct Bars {
    bars: bool,
    notes: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Reporter for Bars {
    fn start(&self, task: &str, total: Option<u64>, unit: Unit) {
        if !self.bars {
            return;
        }
        let bar = match total {
            Some(n) => ProgressBar::new(n),
            None => ProgressBar::new_spinner(),
        };
        let template = match (total, unit) {
            (Some(_), Unit::Bytes) => {
                "{msg}\n{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}"
            }
            (Some(_), Unit::Files) => "{msg}\n{bar:40} {pos}/{len} eta {eta}",
            (None, _) => "{spinner} {msg} {elapsed}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(task.to_owned());
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar);
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(slot) = self.bar.lock() {
            if let Some(bar) = slot.as_ref() {
                bar.inc(n);
            }
        }
    }

    fn message(&self, message: &str) {
        if let Ok(slot) = self.bar.lock() {
            if let Some(bar) = slot.as_ref() {
                bar.set_message(message.to_owned());
            }
        }
    }

    fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock() {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        }
    }

    fn note(&self, message: &str) {
        if self.notes {
            eprintln!("note: {message}");
        }
    }
}
