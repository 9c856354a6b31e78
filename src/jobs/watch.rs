//! `dictate watch`: a service over an inbox folder. New recordings (seen by the notify crate, and
//! by a rescan on a timer for network shares where events are unreliable) are taken once complete
//! (size and modification time unchanged for the settle time, or a `<stem>.done` marker beside
//! them), written as letters through the job ledger, then moved with their sidecar and marker to
//! the archive folder, or, when they fail, to the failed folder with `<stem>.error.txt` saying why.
//! Recordings are moved, never changed or deleted. On start it redoes whatever a crash left
//! running; SIGTERM or Ctrl-C finish the current letter and stop. With `--queue`, it feeds the
//! shared PostgreSQL queue instead: each complete recording archived and queued from there.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use notify::Watcher;

use crate::config::OutputAccess;
use crate::config::{Config, Overrides};
use crate::exit::Exit;
use crate::fsio::{self, Access};
use crate::jobs::batch::recordings;
use crate::jobs::ledger::Ledger;
use crate::jobs::queue::Queue;
use crate::jobs::setup::{load_both, today};
use crate::jobs::systemd::Service;
use crate::letter::render::Templates;
use crate::pipeline::{Hearing, LetterJobs};
use crate::report::Output;
use crate::report::Reporter;

/// How the watcher runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub inbox: PathBuf,
    pub out: PathBuf,
    /// Where done recordings go (default `<inbox>/archive`).
    pub archive: Option<PathBuf>,
    /// Where failed recordings go (default `<inbox>/failed`).
    pub failed: Option<PathBuf>,
    /// A recording is complete when unchanged for this long.
    pub settle: Duration,
    /// Wait for a `<stem>.done` marker instead of a settle time.
    pub marker: bool,
    /// Rescan the inbox this often even without file events.
    pub rescan: Duration,
    /// Process what is there, then stop (for cron and tests).
    pub once: bool,
    /// A shared PostgreSQL queue: recordings are archived and queued for the workers instead
    /// of written here.
    pub queue: Option<String>,
}

/// A file seen in the inbox and how it looked.
struct Seen {
    size: u64,
    modified: Option<SystemTime>,
    since: Instant,
}

pub fn run(
    o: &Options,
    overrides: &Overrides,
    io: Output<'_>,
    reporter: &dyn Reporter,
) -> Result<Exit> {
    let config = Config::resolve(overrides)?;
    anyhow::ensure!(
        o.inbox.is_dir(),
        "the inbox `{}` is not a folder",
        o.inbox.display()
    );
    let archive = o.archive.clone().unwrap_or_else(|| o.inbox.join("archive"));
    let failed_dir = o.failed.clone().unwrap_or_else(|| o.inbox.join("failed"));
    let service = Service::new(1);
    let folders = Folders {
        archive: &archive,
        failed: &failed_dir,
        access: config.output_access()?,
        service: &service,
    };
    if let Some(url) = &o.queue {
        return feed_queue(o, url, &folders, io);
    }
    let templates = Templates::load(config.templates.as_deref())?;
    let (lexicon, transcriber) = load_both(&config);
    let (lexicon, mut transcriber) = (lexicon?, transcriber?);
    let model_name = transcriber.model_name();
    folders.create(&o.out)?;
    let (mut ledger, _lock) = crate::jobs::batch::open_ledger(&o.out, reporter)?;
    let progress = service.progress(0);
    let mut jobs = LetterJobs {
        hearing: Hearing::Model(&mut transcriber),
        templates: &templates,
        lexicon: lexicon.as_ref(),
        out_dir: o.out.clone(),
        access: folders.access.letters,
        overwrite: false,
        today: today(),
        site: &config.site,
        // The letter's progress is only the service's sign of life (the watchdog).
        progress: Some(&progress),
    };
    watch_inbox(o, &folders, io, "letter", "written", &mut |input| {
        jobs.today = today();
        take(input, o, &folders, &model_name, &mut ledger, &mut jobs)
    })
}

/// Where recordings go once taken, who may read them there, and the service manager told how
/// the watching goes.
struct Folders<'a> {
    archive: &'a Path,
    failed: &'a Path,
    access: OutputAccess,
    service: &'a Service,
}

impl Folders<'_> {
    /// The letters folder and these, each for the group that may read it.
    fn create(&self, out: &Path) -> Result<()> {
        fsio::create_dir(out, self.access.letters)?;
        fsio::create_dir(self.archive, self.access.letters)?;
        fsio::create_dir(self.failed, self.access.failed)
    }
}

/// `watch --queue`: each complete recording moved to the archive (with its sidecar) and queued
/// from there for the workers; no model here. Recordings archived in the last day are queued
/// again on start (the queue ignores those it has): a stop between a move and its queueing
/// loses nothing.
fn feed_queue(o: &Options, url: &str, folders: &Folders<'_>, io: Output<'_>) -> Result<Exit> {
    let (archive, failed_dir) = (folders.archive, folders.failed);
    folders.create(&o.out)?;
    let out = o
        .out
        .canonicalize()
        .with_context(|| format!("cannot resolve `{}`", o.out.display()))?;
    let mut q = Queue::connect(url)?;
    let never = AtomicBool::new(false);
    let day = Duration::from_secs(24 * 3600);
    for path in recordings(archive, &o.out)? {
        let recent = std::fs::metadata(&path)
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age < day);
        if recent {
            let rel = path
                .parent()
                .and_then(|p| p.strip_prefix(archive).ok())
                .unwrap_or(Path::new(""));
            enqueue(&mut q, &never, &path, &out.join(rel))?;
        }
    }
    watch_inbox(o, folders, io, "recording", "queued", &mut |input| {
        let rel = input
            .parent()
            .and_then(|p| p.strip_prefix(&o.inbox).ok())
            .unwrap_or(Path::new(""))
            .to_owned();
        if let Err(e) = crate::jobs::batch::job_key(input) {
            let msg = format!("cannot read `{}`: {e:#}", input.display());
            move_with_companions(input, &failed_dir.join(&rel), Some(&msg), folders)?;
            return Ok(None);
        }
        let archived = move_with_companions(input, &archive.join(&rel), None, folders)?;
        let archived = archived
            .canonicalize()
            .with_context(|| format!("cannot resolve `{}`", archived.display()))?;
        enqueue(&mut q, &never, &archived, &out.join(&rel))?;
        Ok(Some(1))
    })
}

/// Queues one recording, waiting out a lost connection.
fn enqueue(q: &mut Queue, stop: &AtomicBool, path: &Path, out: &Path) -> Result<bool> {
    let key = crate::jobs::batch::job_key(path)?;
    let urgent = crate::jobs::worker::urgent(path);
    crate::jobs::worker::persist(q, stop, "queueing a recording", |q| {
        q.submit(
            &path.display().to_string(),
            &key,
            &out.display().to_string(),
            urgent,
        )
    })
}

/// The watching loop: complete recordings handed to `take` one at a time (`Ok(Some(n))`: n
/// `thing`s done, 0 for a copy of one done before; `Ok(None)`: failed) until stopped. The
/// service manager is told when it is watching, that the loop comes round, and when it stops.
fn watch_inbox(
    o: &Options,
    folders: &Folders<'_>,
    io: Output<'_>,
    thing: &str,
    done_as: &str,
    take: &mut dyn FnMut(&Path) -> Result<Option<usize>>,
) -> Result<Exit> {
    let Folders {
        archive,
        failed: failed_dir,
        service,
        ..
    } = *folders;
    // SIGTERM / Ctrl-C: finish the current letter, then stop.
    let stop = crate::jobs::systemd::stop_on_sigterm()?;
    // File events only wake the loop early; the rescan finds the files.
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |_event| {
        let _ = tx.send(());
    })
    .context("cannot watch the inbox for new files")?;
    watcher
        .watch(&o.inbox, notify::RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch `{}`", o.inbox.display()))?;
    writeln!(
        io.err,
        "watching `{}`: letters to `{}`, recordings then to `{}` or `{}`{}",
        o.inbox.display(),
        o.out.display(),
        archive.display(),
        failed_dir.display(),
        if o.queue.is_some() {
            " (queued for the workers)"
        } else {
            ""
        }
    )?;
    let mut seen: HashMap<PathBuf, Seen> = HashMap::new();
    let (mut done, mut failed, mut copies) = (0usize, 0usize, 0usize);
    let mut last_scan = Instant::now() - o.rescan;
    let mut dirty = true;
    service.ready(if o.queue.is_some() {
        "watching the inbox, queueing recordings"
    } else {
        "watching the inbox"
    });
    loop {
        service.alive(0);
        if stop.load(Ordering::SeqCst) {
            break;
        }
        if dirty || last_scan.elapsed() >= o.rescan || !seen.is_empty() {
            last_scan = Instant::now();
            dirty = false;
            let ready = scan(o, archive, failed_dir, &mut seen)?;
            for input in ready {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                service.alive(0);
                seen.remove(&input);
                match take(&input) {
                    Ok(Some(0)) => copies += 1,
                    Ok(Some(n)) => done += n,
                    Ok(None) => failed += 1,
                    Err(e) => {
                        // The ledger or a move failed: say so and go on with the next one.
                        failed += 1;
                        writeln!(io.err, "error: {e:#}")?;
                    }
                }
            }
            if o.once && seen.is_empty() {
                break;
            }
        }
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(()) => {
                dirty = true;
                while rx.try_recv().is_ok() {}
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    writeln!(
        io.out,
        "stopped: {done} {thing}{} {done_as}, {failed} recording{} failed{}",
        if done == 1 { "" } else { "s" },
        if failed == 1 { "" } else { "s" },
        if copies > 0 {
            format!(
                ", {copies} cop{} of recordings done before archived",
                if copies == 1 { "y" } else { "ies" }
            )
        } else {
            String::new()
        }
    )?;
    Ok(if failed > 0 && o.once {
        Exit::SomeFailed
    } else {
        Exit::Done
    })
}

/// The recordings that are complete now; the others are remembered until they settle.
fn scan(
    o: &Options,
    archive: &Path,
    failed: &Path,
    seen: &mut HashMap<PathBuf, Seen>,
) -> Result<Vec<PathBuf>> {
    let mut ready = Vec::new();
    let mut present = Vec::new();
    for path in recordings(&o.inbox, &o.out)? {
        if path.starts_with(archive) || path.starts_with(failed) {
            continue;
        }
        present.push(path.clone());
        if o.marker {
            if path.with_extension("done").is_file() {
                ready.push(path);
            }
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let (size, modified) = (meta.len(), meta.modified().ok());
        match seen.get_mut(&path) {
            Some(s) if s.size == size && s.modified == modified => {
                if s.since.elapsed() >= o.settle {
                    ready.push(path);
                }
            }
            _ => {
                seen.insert(
                    path.clone(),
                    Seen {
                        size,
                        modified,
                        since: Instant::now(),
                    },
                );
                if o.settle.is_zero() {
                    ready.push(path);
                }
            }
        }
    }
    // Forget files that went away (moved by someone else, or half-copied and removed).
    seen.retain(|p, _| present.contains(p));
    Ok(ready)
}

/// Writes the letters for one complete recording and moves it on. `Ok(Some(letters))` when
/// done (`Some(0)`: a copy of one done before, archived), `Ok(None)` when it failed.
fn take(
    input: &Path,
    o: &Options,
    folders: &Folders<'_>,
    model: &str,
    ledger: &mut Ledger,
    jobs: &mut LetterJobs<'_>,
) -> Result<Option<usize>> {
    let started = Instant::now();
    let (archive, failed_dir) = (folders.archive, folders.failed);
    let rel = input
        .parent()
        .and_then(|p| p.strip_prefix(&o.inbox).ok())
        .unwrap_or(Path::new(""))
        .to_owned();
    let sha = match crate::jobs::batch::job_key(input) {
        Ok(s) => s,
        Err(e) => {
            let msg = format!("cannot read `{}`: {e:#}", input.display());
            move_with_companions(input, &failed_dir.join(&rel), Some(&msg), folders)?;
            return Ok(None);
        }
    };
    // The same content done before (a copy dropped twice): archive it without redoing.
    if let Some(j) = ledger.done_for(&sha)? {
        if j.docx.as_deref().is_some_and(|d| Path::new(d).is_file()) {
            move_with_companions(input, &archive.join(&rel), None, folders)?;
            return Ok(Some(0));
        }
    }
    let id = ledger.queue(
        &input.display().to_string(),
        &o.inbox.display().to_string(),
        &sha,
    )?;
    ledger.start(id, model)?;
    jobs.out_dir = o.out.join(&rel);
    fsio::create_dir(&jobs.out_dir, jobs.access)?;
    match jobs.run(input) {
        Ok(w) => {
            ledger.done(id, &crate::jobs::batch::outcome(&w))?;
            move_with_companions(input, &archive.join(&rel), None, folders)?;
            Ok(Some(w.letters.len()))
        }
        Err(e) => {
            let msg = format!("{e:#}");
            ledger.failed(id, &msg, started.elapsed().as_secs_f64())?;
            move_with_companions(input, &failed_dir.join(&rel), Some(&msg), folders)?;
            Ok(None)
        }
    }
}

/// Moves a recording, its sidecar (`<stem>.json`) and marker (`<stem>.done`) into `dir`, never
/// over an existing file (a numbered name instead); with `error`, writes `<stem>.error.txt`
/// (`dir` is then under the failed folder, for its group). The recordings keep their owner and
/// mode. Returns where the recording went.
fn move_with_companions(
    input: &Path,
    dir: &Path,
    error: Option<&str>,
    folders: &Folders<'_>,
) -> Result<PathBuf> {
    let access: Access = if error.is_some() {
        folders.access.failed
    } else {
        folders.access.letters
    };
    let mut moved = input.to_owned();
    fsio::create_dir(dir, access)?;
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    for path in [
        input.to_owned(),
        input.with_extension("json"),
        input.with_extension("done"),
    ] {
        if !path.is_file() {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        let mut target = dir.join(&name);
        let mut n = 1;
        while target.exists() {
            target = dir.join(format!("{}.{n}", name.to_string_lossy()));
            n += 1;
        }
        std::fs::rename(&path, &target).with_context(|| {
            format!(
                "cannot move `{}` to `{}` (it stays where it is)",
                path.display(),
                target.display()
            )
        })?;
        if path == input {
            moved = target;
        }
    }
    if let Some(e) = error {
        fsio::write_atomic(
            &dir.join(format!("{stem}.error.txt")),
            format!("{e}\n").as_bytes(),
            access.file(),
        )?;
    }
    Ok(moved)
}
