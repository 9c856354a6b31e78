//! Many machines, one queue: `dictate submit` puts a folder's recordings on the PostgreSQL queue
//! (`jobs::queue`), `dictate worker` takes them (one at a time per job loop, `--jobs` loops
//! sharing the model) until stopped (or, with `--until-empty`, until none is left), and
//! `dictate status --queue` shows the fleet.
//!
//! Recordings and letters live on storage every worker sees (a shared folder). A worker checks
//! that the recording is still the one queued (its content hash), writes its letters into a
//! private staging folder beside the letters, then moves them into place under a short lock on
//! the letters folder: if a letter of the same recording is already there (another worker took
//! the job over when this one froze past its lease, and finished first), this one's is
//! discarded. So a job done twice still gives one whole letter: the record is moved in before
//! the letter, and a record whose letter is missing is completed, never duplicated.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::config::{Config, Overrides};
use crate::exit::Exit;
use crate::fsio::{self, create_private_dir};
use crate::jobs::batch::{job_key, recordings};
use crate::jobs::queue::{self, file_name, Claimed, Queue, Report};
use crate::jobs::setup::{load_both, today};
use crate::jobs::systemd::{self, Service};
use crate::letter::render::Templates;
use crate::pipeline::{letter_name, Hearing, LetterJobs, Written};
use crate::report::Output;

/// How `dictate worker` was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub queue: String,
    /// Seconds a claimed job is held without a renewal.
    pub lease: f64,
    pub until_empty: bool,
    /// Recordings at a time in this process (default: as `batch --jobs`).
    pub jobs: Option<usize>,
}

/// `dictate submit DIR --queue URL --out DIR`: every recording under DIR queued for letters into
/// OUT (its subfolders kept). Paths are stored as absolute paths: workers must see the same
/// paths (a shared folder mounted alike on every machine).
pub fn submit(dir: &Path, out: &Path, url: &str, io: Output<'_>) -> Result<Exit> {
    anyhow::ensure!(
        dir.is_dir(),
        "`{}` is not a folder: give the folder the recordings are in",
        dir.display()
    );
    // The queue first: an unreachable one leaves nothing made.
    let mut q = Queue::connect(url)?;
    create_private_dir(out)?;
    let dir = dir
        .canonicalize()
        .with_context(|| format!("cannot resolve `{}`", dir.display()))?;
    let out = out
        .canonicalize()
        .with_context(|| format!("cannot resolve `{}`", out.display()))?;
    let files = recordings(&dir, &out)?;
    let (mut queued, mut known, mut unreadable) = (0usize, 0usize, 0usize);
    for f in &files {
        let key = match job_key(f) {
            Ok(k) => k,
            Err(e) => {
                unreadable += 1;
                writeln!(io.err, "error: {e:#}")?;
                continue;
            }
        };
        let rel = f
            .parent()
            .and_then(|p| p.strip_prefix(&dir).ok())
            .unwrap_or(Path::new(""));
        let letters = out.join(rel);
        if q.submit(
            &f.display().to_string(),
            &key,
            &letters.display().to_string(),
            urgent(f),
        )? {
            queued += 1;
        } else {
            known += 1;
        }
    }
    writeln!(
        io.out,
        "{queued} recording{} queued, {known} already queued or done (the same content), \
         {unreadable} unreadable; letters to {}",
        if queued == 1 { "" } else { "s" },
        out.display()
    )?;
    Ok(if unreadable > 0 {
        Exit::SomeFailed
    } else {
        Exit::Done
    })
}

/// Does the recording's sidecar (`<stem>.json` beside it) say it is urgent (for the recording,
/// or for any letter in it)? A sidecar that does not read says nothing here; the letter's notes
/// will say why.
pub fn urgent(recording: &Path) -> bool {
    let sidecar = std::fs::read(recording.with_extension("json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<crate::letter::sidecar::Sidecar>(&b).ok());
    let is_urgent = |p: &Option<String>| {
        p.as_deref()
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("urgent"))
    };
    sidecar
        .is_some_and(|s| is_urgent(&s.priority) || s.letters.iter().any(|l| is_urgent(&l.priority)))
}

/// `dictate status --queue URL`.
pub fn status(url: &str, json: bool, io: Output<'_>) -> Result<Exit> {
    let mut q = Queue::connect(url)?;
    let s = q.status()?;
    if json {
        #[derive(serde::Serialize)]
        struct QueueStatus<'a> {
            queue: String,
            #[serde(flatten)]
            status: &'a queue::Status,
        }
        let doc = QueueStatus {
            queue: queue::without_password(url),
            status: &s,
        };
        serde_json::to_writer_pretty(&mut *io.out, &doc)?;
        writeln!(io.out)?;
        return Ok(Exit::Done);
    }
    writeln!(
        io.out,
        "{}: {} queued{}, {} running, {} done, {} failed",
        queue::without_password(url),
        s.queued,
        if s.urgent > 0 {
            format!(" ({} urgent)", s.urgent)
        } else {
            String::new()
        },
        s.running,
        s.done,
        s.failed
    )?;
    if let (Some(name), Some(secs)) = (&s.oldest_waiting, s.oldest_waiting_seconds) {
        writeln!(io.out, "oldest waiting: {name}, {}", since(secs))?;
    }
    for w in &s.workers {
        let running: Vec<String> = w
            .running
            .iter()
            .map(|r| format!("{} for {}", r.recording, since(r.seconds)))
            .collect();
        writeln!(
            io.out,
            "worker {} on {}: {} done in the last hour ({:.0} min of audio){}",
            w.worker,
            w.host,
            w.done_last_hour,
            w.audio_seconds_last_hour / 60.0,
            if running.is_empty() {
                String::new()
            } else {
                format!("; now {}", running.join(", "))
            }
        )?;
    }
    for f in &s.failures {
        writeln!(
            io.out,
            "failed: {} after {} attempt{}: {}",
            f.input,
            f.attempts,
            if f.attempts == 1 { "" } else { "s" },
            f.error
        )?;
    }
    Ok(Exit::Done)
}

fn since(secs: f64) -> String {
    let s = secs.max(0.0) as u64;
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min", s / 60)
    } else {
        format!("{} h {} min", s / 3600, s / 60 % 60)
    }
}

/// This machine's name, for the queue's worker list.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Waits before trying the queue again: 1, 2, 4 ... up to 30 seconds.
fn backoff(tries: &mut u32) -> Duration {
    let secs = 1u64 << (*tries).min(5);
    *tries += 1;
    Duration::from_secs(secs.min(30))
}

/// Runs `op` on the queue until it gets an answer: a lost connection (the server restarting, the
/// network dropping) is retried with backoff, reconnecting, and said once per outage; `stop`
/// ends the waiting.
pub(crate) fn persist<T>(
    q: &mut Queue,
    stop: &AtomicBool,
    what: &str,
    mut op: impl FnMut(&mut Queue) -> Result<T>,
) -> Result<T> {
    let mut tries = 0;
    loop {
        match op(q) {
            Ok(v) => {
                if tries > 0 {
                    tracing::warn!("the job queue is back");
                }
                return Ok(v);
            }
            Err(e) if q.is_closed() || is_connection(&e) => {
                if tries == 0 {
                    tracing::warn!("lost the job queue while {what}: {e:#}; retrying");
                }
                if stop.load(Ordering::SeqCst) && tries > 3 {
                    return Err(e);
                }
                std::thread::sleep(backoff(&mut tries));
                if let Err(e) = q.reconnect() {
                    tracing::debug!("{e:#}");
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// An error that says the connection, not the request, failed.
fn is_connection(e: &anyhow::Error) -> bool {
    let text = format!("{e:#}").to_lowercase();
    [
        "connection",
        "closed",
        "terminating",
        "shutting down",
        "broken pipe",
        "reset by peer",
        "cannot reach the job queue",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// `dictate worker --queue URL`: takes jobs until stopped (SIGTERM / Ctrl-C ends after the
/// current letters), or with `until_empty` until no job is queued or running. With `jobs` above
/// one, that many recordings at a time, each loop with its own connection and decoding state
/// over the one loaded model (as `batch --jobs`), the threads shared among them.
pub fn work(
    o: &Options,
    overrides: &Overrides,
    io: Output<'_>,
    stop: Option<Arc<AtomicBool>>,
) -> Result<Exit> {
    anyhow::ensure!(
        o.lease >= 5.0,
        "--lease {} is too short: give at least 5 seconds (the default is 300)",
        o.lease
    );
    let config = Config::resolve(overrides)?;
    let access = config.output_access()?.letters;
    let templates = Templates::load(config.templates.as_deref())?;
    // Reachable before the model is loaded: a wrong URL is said at once.
    let first = Queue::connect(&o.queue)?;
    let (lexicon, transcriber) = load_both(&config);
    let (lexicon, transcriber) = (lexicon?, transcriber?);
    let model_name = transcriber.model_name();
    let host = host_name();
    let stop = match stop {
        Some(s) => s,
        None => systemd::stop_on_sigterm()?,
    };
    let mut transcribers = crate::jobs::batch::workers(transcriber, o.jobs, usize::MAX)?;
    let loops = transcribers.len();
    let pid = std::process::id();
    // Each job loop is a sign of life for the watchdog (`jobs::systemd`).
    let service = Service::new(loops);
    writeln!(
        io.err,
        "worker {host}:{pid} on {}: taking jobs{}",
        queue::without_password(&o.queue),
        if loops > 1 {
            format!(", {loops} at a time")
        } else {
            String::new()
        }
    )?;
    // The loops' lines, written here in the order they come.
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let mut first = Some(first);
    service.ready("taking jobs from the queue");
    let counts: Vec<Result<(usize, usize)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = transcribers
            .iter_mut()
            .enumerate()
            .map(|(k, transcriber)| {
                let q = first.take();
                let service = &service;
                let (stop, host, templates, lexicon, site, model_name, messages) = (
                    &stop,
                    &host,
                    &templates,
                    lexicon.as_ref(),
                    &config.site,
                    &model_name,
                    tx.clone(),
                );
                let worker = if loops > 1 {
                    format!("{host}:{pid}/{}", k + 1)
                } else {
                    format!("{host}:{pid}")
                };
                scope.spawn(move || {
                    let mut q = match q {
                        Some(q) => q,
                        None => Queue::connect(&o.queue)?,
                    };
                    let progress = service.progress(k);
                    let mut jobs = LetterJobs {
                        hearing: Hearing::Model(transcriber),
                        templates,
                        lexicon,
                        out_dir: PathBuf::new(),
                        access,
                        overwrite: false,
                        today: today(),
                        site,
                        // Only the watchdog's sign of life.
                        progress: Some(&progress),
                    };
                    let me = Loop {
                        o,
                        worker: &worker,
                        host,
                        model_name,
                        stop,
                        messages,
                        service,
                        k,
                    };
                    me.run(&mut q, &mut jobs)
                })
            })
            .collect();
        drop(tx);
        for line in rx {
            let _ = writeln!(io.err, "{line}");
        }
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a job loop stopped on a fault")))
            })
            .collect()
    });
    let (mut done, mut failed) = (0usize, 0usize);
    for c in counts {
        let (d, f) = c?;
        done += d;
        failed += f;
    }
    writeln!(
        io.err,
        "worker {host}:{pid}: {done} done, {failed} failed{}",
        if stop.load(Ordering::SeqCst) {
            " (stopped)"
        } else {
            ""
        }
    )?;
    Ok(if failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Done
    })
}

/// One job loop of a worker process.
struct Loop<'a> {
    o: &'a Options,
    worker: &'a str,
    host: &'a str,
    model_name: &'a str,
    stop: &'a AtomicBool,
    /// Lines for the user (file names only).
    messages: std::sync::mpsc::Sender<String>,
    /// The service manager, told that this loop (number `k`) came round.
    service: &'a Service,
    k: usize,
}

impl Loop<'_> {
    /// Takes jobs until stopped or, with `until_empty`, until none is left: (done, failed).
    fn run(&self, q: &mut Queue, jobs: &mut LetterJobs<'_>) -> Result<(usize, usize)> {
        let (o, stop) = (self.o, self.stop);
        let say = |line: String| {
            let _ = self.messages.send(line);
        };
        let (mut done, mut failed) = (0usize, 0usize);
        let mut idle_since: Option<Instant> = None;
        while !stop.load(Ordering::SeqCst) {
            self.service.alive(self.k);
            let claimed = persist(q, stop, "taking a job", |q| {
                q.claim(self.worker, self.host, o.lease)
            })?;
            let Some(job) = claimed else {
                if o.until_empty && persist(q, stop, "counting jobs", Queue::waiting)? == 0 {
                    break;
                }
                // Nothing to take now: look again shortly, and after a quiet spell every 5 s
                // (a fleet of idle workers asks the database little).
                let idle = idle_since.get_or_insert_with(Instant::now).elapsed();
                std::thread::sleep(if idle < Duration::from_secs(10) {
                    Duration::from_millis(500)
                } else {
                    Duration::from_secs(5)
                });
                continue;
            };
            idle_since = None;
            let started = Instant::now();
            let name = file_name(&job.input);
            tracing::info!("{name}: job {} attempt {}", job.id, job.attempt);
            jobs.today = today();
            let result = {
                let _lease = Lease::hold(&o.queue, &job, o.lease);
                run_job(&job, jobs)
            };
            let report = match result {
                Ok(w) => {
                    let outcome = queue::Outcome {
                        model: self.model_name.to_owned(),
                        audio_seconds: w.audio_seconds,
                        wall_seconds: started.elapsed().as_secs_f64(),
                        letters: w.letters.len(),
                        corrections: w.corrections,
                        flags: w.flags,
                        docx: w.letters[0].0.display().to_string(),
                        json: w.letters[0].1.display().to_string(),
                    };
                    done += 1;
                    say(format!("{name} -> {}", w.letters[0].0.display()));
                    persist(q, stop, "recording a done job", |q| q.done(&job, &outcome))?
                }
                Err(e) => {
                    failed += 1;
                    // The queue names files, not folders (a folder may name a clinic or a
                    // patient).
                    let message = format!("{e:#}")
                        .replace(&job.input, &name)
                        .replace(&job.out_dir, "the letters folder");
                    say(format!("error: {name}: {message}"));
                    let secs = started.elapsed().as_secs_f64();
                    persist(q, stop, "recording a failed job", |q| {
                        q.failed(&job, &message, secs)
                    })?
                }
            };
            if report == Report::Lost {
                tracing::warn!(
                    "{name}: this worker's lease ran out and another took the job; its letter \
                     is the one in place (never two)"
                );
            }
        }
        Ok((done, failed))
    }
}

/// A job's lease, renewed by a thread of its own (with its own connection) every third of the
/// lease until dropped. Renewal that fails is logged; the job's end is fenced by its attempt
/// number anyway.
struct Lease {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Lease {
    fn hold(url: &str, job: &Claimed, lease: f64) -> Lease {
        let stop = Arc::new(AtomicBool::new(false));
        let (url, job, flag) = (url.to_owned(), job.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut q: Option<Queue> = None;
            let every = Duration::from_secs_f64(lease / 3.0);
            let mut next = Instant::now() + every;
            while !flag.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(100));
                if Instant::now() < next {
                    continue;
                }
                next = Instant::now() + every;
                if q.as_ref().is_none_or(Queue::is_closed) {
                    q = Queue::connect(&url).ok();
                }
                match q.as_mut().map(|q| q.renew(&job, lease)) {
                    Some(Ok(Report::Recorded)) => {}
                    Some(Ok(Report::Lost)) => {
                        tracing::warn!("job {}: its lease was lost to another worker", job.id);
                        return;
                    }
                    Some(Err(e)) => tracing::warn!("job {}: cannot renew its lease: {e:#}", job.id),
                    None => tracing::warn!("job {}: cannot reach the queue to renew", job.id),
                }
            }
        });
        Lease {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What a job left in the letters folder.
struct Placed {
    audio_seconds: f64,
    corrections: usize,
    flags: usize,
    /// Each letter's DOCX and record, in the recording's order.
    letters: Vec<(PathBuf, PathBuf)>,
}

/// One job: the recording checked against the queue's hash, its letters made in a staging
/// folder and moved into place once.
fn run_job(job: &Claimed, jobs: &mut LetterJobs<'_>) -> Result<Placed> {
    let input = Path::new(&job.input);
    anyhow::ensure!(
        input.is_file(),
        "`{}` is gone from where it was queued: put it back, or queue it again where it is",
        job.input
    );
    let now = job_key(input).with_context(|| format!("cannot read `{}`", job.input))?;
    anyhow::ensure!(
        now == job.job_key,
        "`{}` has changed since it was queued (its content, or its sidecar's, differs): queue \
         it again with dictate submit if the change is meant",
        job.input
    );
    let out = PathBuf::from(&job.out_dir);
    fsio::create_dir(&out, jobs.access)?;
    let staging = out.join(".dictate-staging").join(format!(
        "{}-{}-{}",
        job.id,
        job.attempt,
        std::process::id()
    ));
    // What earlier attempts at this job left staged (a worker killed or frozen past its lease):
    // never moved in, so removed. A frozen one that wakes finds its folder gone and fails its
    // attempt, which the queue has already taken from it.
    if let Ok(entries) = std::fs::read_dir(out.join(".dictate-staging")) {
        let mine = format!("{}-", job.id);
        for e in entries.filter_map(std::result::Result::ok) {
            if e.file_name().to_string_lossy().starts_with(&mine) {
                std::fs::remove_dir_all(e.path()).ok();
            }
        }
    }
    create_private_dir(&staging)?;
    jobs.out_dir = staging.clone();
    let written = jobs.run(input);
    let placed = written.and_then(|w| place(&w, &out, jobs.access));
    std::fs::remove_dir_all(&staging).ok();
    // The staging folder itself, once no other job uses it.
    std::fs::remove_dir(out.join(".dictate-staging")).ok();
    placed
}

/// Moves a job's staged letters into the letters folder, once per recording: under the folder's
/// commit lock, a recording whose letters (records with its hash) are already there keeps those
/// (a missing DOCX beside a record is put in); otherwise its letters take the first free names
/// (`a`, `a-2` ... as `dictate letter` names them), each record moved in before its DOCX.
fn place(w: &Written, out: &Path, access: fsio::Access) -> Result<Placed> {
    let stem = w
        .input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .context("a recording without a file name")?;
    let count = w.letters.len();
    // The recording's hash as the pipeline took it (in each staged record): not read again.
    let staged: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&w.first().json)
            .with_context(|| format!("cannot read `{}`", w.first().json.display()))?,
    )?;
    let sha = staged["source"]["sha256"]
        .as_str()
        .context("a staged record without its recording's hash")?
        .to_owned();
    let _lock = commit_lock(out)?;
    let existing = records_of(out, &stem, &sha);
    let base = match existing.first() {
        Some((_, name)) => {
            (0..MAX_NAMES).find(|&b| (1..=count).any(|i| &letter_name(&stem, b, i, count) == name))
        }
        None => (0..MAX_NAMES).find(|&b| {
            (1..=count).all(|i| {
                let n = letter_name(&stem, b, i, count);
                ["docx", "json"]
                    .iter()
                    .all(|ext| !out.join(format!("{n}.{ext}")).exists())
            })
        }),
    }
    .with_context(|| {
        format!(
            "no free name for the letters of `{stem}` in `{}`",
            out.display()
        )
    })?;
    let mut letters = Vec::with_capacity(count);
    for (i, staged) in w.letters.iter().enumerate() {
        let name = letter_name(&stem, base, i + 1, count);
        let (docx, json) = (
            out.join(format!("{name}.docx")),
            out.join(format!("{name}.json")),
        );
        let have_record = existing.iter().any(|(_, n)| *n == name);
        if !have_record {
            // The record names where its letter is.
            let mut record: serde_json::Value = serde_json::from_slice(
                &std::fs::read(&staged.json)
                    .with_context(|| format!("cannot read `{}`", staged.json.display()))?,
            )?;
            record["outputs"]["docx"] = docx.display().to_string().into();
            record["outputs"]["json"] = json.display().to_string().into();
            fsio::write_atomic(&json, &serde_json::to_vec_pretty(&record)?, access.file())?;
        }
        if !docx.exists() {
            std::fs::rename(&staged.docx, &docx).with_context(|| {
                format!(
                    "cannot move the letter from `{}` to `{}`",
                    staged.docx.display(),
                    docx.display()
                )
            })?;
        }
        letters.push((docx, json));
    }
    Ok(Placed {
        audio_seconds: w.audio_seconds,
        corrections: w.corrections(),
        flags: w.flags(),
        letters,
    })
}

const MAX_NAMES: usize = 1000;

/// The letters folder's commit lock (`.dictate-commit.lock`), held while a job's letters are
/// checked and moved in: milliseconds.
fn commit_lock(out: &Path) -> Result<std::fs::File> {
    fsio::lock_file(&out.join(".dictate-commit.lock"))
}

/// The records in `out` named after `stem` whose recording has hash `sha`: (path, name without
/// `.json`).
fn records_of(out: &Path, stem: &str, sha: &str) -> Vec<(PathBuf, String)> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, String)> = entries
        .filter_map(std::result::Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let name = name.strip_suffix(".json")?.to_owned();
            name.starts_with(stem).then(|| (e.path(), name))
        })
        .filter(|(path, _)| {
            std::fs::read(path)
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .is_some_and(|v| v["source"]["sha256"] == sha)
        })
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_half_a_minute() {
        let mut tries = 0;
        let waits: Vec<u64> = (0..8).map(|_| backoff(&mut tries).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30, 30]);
    }

    #[test]
    fn waiting_times_read_as_people_say_them() {
        assert_eq!(since(42.0), "42 s");
        assert_eq!(since(600.0), "10 min");
        assert_eq!(since(3.0 * 3600.0 + 120.0), "3 h 2 min");
    }
}
