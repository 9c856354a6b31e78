//! The `dictate` binary: parses the command line, sets up logging and progress bars, runs the
//! library and maps the outcome to an exit code.

use std::io::IsTerminal;
use std::io::Write;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::{CommandFactory, FromArgMatches};
use dictate::cli::args::{Cli, ColorWhen};
use dictate::exit::Exit;
use dictate::report::{Reporter, Unit};
use indicatif::{ProgressBar, ProgressStyle};

fn main() -> ExitCode {
    let color = ColorWhen::from_env_and_args();
    let matches = Cli::command().color(color.clap()).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // Everything written to stderr (logs, per-file errors, notes) goes round the progress bar,
    // so that a line is never drawn into it.
    let bar: Shared = Arc::new(Mutex::new(None));
    init_logging(
        cli.verbose,
        cli.color.on(std::io::stderr().is_terminal()),
        &bar,
    );
    // Bars only on a terminal; notes (a fallback taken) also in logs and pipes, unless --quiet.
    let reporter = Bars {
        bars: !cli.quiet && std::io::stderr().is_terminal(),
        notes: !cli.quiet,
        bar: Arc::clone(&bar),
    };
    let (command, overrides) = cli
        .into_parts()
        .unwrap_or_else(|e| e.format(&mut Cli::command().color(color.clap())).exit());
    let mut stdout = std::io::stdout().lock();
    let mut stderr = RoundTheBar::new(&bar);
    let io = dictate::report::Output {
        out: &mut stdout,
        err: &mut stderr,
    };
    let outcome = dictate::cli::run(command, &overrides, io, &reporter);
    reporter.finish();
    match outcome {
        Ok(exit) => exit.into(),
        Err(err) => {
            eprintln!("error: {err:#}");
            Exit::Setup.into()
        }
    }
}

/// The progress bar on screen, if any.
type Shared = Arc<Mutex<Option<ProgressBar>>>;

/// stderr, a line at a time, each line written with the progress bar lifted out of the way
/// (indicatif's `suspend`) and drawn again after it.
struct RoundTheBar {
    bar: Shared,
    pending: Vec<u8>,
}

impl RoundTheBar {
    fn new(bar: &Shared) -> RoundTheBar {
        RoundTheBar {
            bar: Arc::clone(bar),
            pending: Vec::new(),
        }
    }

    fn emit(&self, bytes: &[u8]) -> std::io::Result<()> {
        let bar = self.bar.lock().ok().and_then(|b| b.clone());
        match bar {
            Some(bar) => bar.suspend(|| std::io::stderr().write_all(bytes)),
            None => std::io::stderr().write_all(bytes),
        }
    }
}

impl Write for RoundTheBar {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') {
            let lines: Vec<u8> = self.pending.drain(..=end).collect();
            self.emit(&lines)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.emit(&rest)?;
        }
        std::io::stderr().flush()
    }
}

impl Drop for RoundTheBar {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

fn init_logging(verbose: u8, ansi: bool, bar: &Shared) {
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
        .with_writer({
            let bar = Arc::clone(bar);
            move || RoundTheBar::new(&bar)
        })
        .with_ansi(ansi)
        .with_target(false)
        .init();
}

/// Progress bars on stderr, when it is a terminal.
struct Bars {
    bars: bool,
    notes: bool,
    bar: Shared,
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
            let _ = writeln!(RoundTheBar::new(&self.bar), "note: {message}");
        }
    }
}
