//! `dictate batch`: every recording under a folder to a letter, the model loaded once, resumable
//! through the job ledger (a second run skips what is done, by content: a renamed file is not done
//! twice, a changed one is redone), one bad file never stopping the rest; a summary printed and
//! written as `batch-report.json` beside the letters. `dictate status` reads the ledger.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::asr::transcribe::Transcriber;
use crate::config::{Config, Overrides};
use crate::exit::Exit;
use crate::fsio::{self, sha256_file, Access};
use crate::jobs::ledger::{self, Ledger, Outcome, State};
use crate::jobs::setup::{load_both, today};
use crate::letter::render::Templates;
use crate::letter::site::Site;
use crate::pipeline::{Hearing, LetterJobs, Written};
use crate::report::Output;
use crate::report::{Reporter, Unit};
use crate::text::terms::Lexicon;

/// File name endings taken for recordings (the audio reader decides by content; these only pick
/// the files to try). Sidecars, answer keys and other files are left alone.
const AUDIO: &[&str] = &[
    "wav", "wave", "mp3", "m4a", "mp4", "aac", "ogg", "oga", "opus", "flac", "dss", "ds2", "amr",
    "wma", "webm",
];

/// The report's name inside the output folder.
pub const REPORT: &str = "batch-report.json";

#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub input: String,
    /// "done", "failed", or "skipped" (done before, same content).
    pub outcome: &'static str,
    pub error: Option<String>,
    /// The letter (the first, when the recording held several); for a copy skipped, the letter
    /// of the recording it copies.
    pub docx: Option<String>,
    /// For a copy skipped: the recording whose letter covers it (the first of the same content
    /// in this batch, or the one done before under another name).
    pub same_as: Option<String>,
    /// Letters written from the recording (several when the clinician said "next letter").
    pub letters: usize,
    pub flags: usize,
    pub corrections: usize,
    pub audio_seconds: f64,
}

impl FileReport {
    /// A recording's outcome with nothing yet to tell of it.
    fn new(input: String, outcome: &'static str) -> FileReport {
        FileReport {
            input,
            outcome,
            error: None,
            docx: None,
            same_as: None,
            letters: 0,
            flags: 0,
            corrections: 0,
            audio_seconds: 0.0,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub dir: String,
    pub out: String,
    pub done: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Letters with something for the secretary to check.
    pub flagged: usize,
    pub audio_seconds: f64,
    pub wall_seconds: f64,
    pub files: Vec<FileReport>,
}

/// What makes a job the same job: the recording's content hash, with its sidecar's when it has
/// one (the same audio with another patient's sidecar is another letter, not a copy done
/// before).
pub(crate) fn job_key(recording: &Path) -> Result<String> {
    let audio = sha256_file(recording)?;
    let sidecar = recording.with_extension("json");
    match std::fs::metadata(&sidecar) {
        Ok(m) if m.is_file() => Ok(format!("{audio}+sidecar:{}", sha256_file(&sidecar)?)),
        _ => Ok(audio),
    }
}

/// Every recording under `dir` but in the folder `skip` (the letters), in path order, as
/// [`fsio::visible_files`] walks it: hidden names passed over, folders walked once each (a link
/// back up the tree is no loop) and only inside `dir` (a link to a folder elsewhere is not
/// followed).
pub fn recordings(dir: &Path, skip: &Path) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = fsio::visible_files(dir, skip)?
        .into_iter()
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| AUDIO.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// How `dictate batch` runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Redo recordings already done.
    pub force: bool,
    /// Recordings at once (default: one per thread, at most 4).
    pub jobs: Option<usize>,
    /// Print the report as JSON instead of the summary.
    pub json: bool,
}

pub fn run(
    dir: &Path,
    out: &Path,
    options: Options,
    overrides: &Overrides,
    io: Output<'_>,
    reporter: &dyn Reporter,
) -> Result<Exit> {
    let started = Instant::now();
    let config = Config::resolve(overrides)?;
    let access = config.output_access()?.letters;
    anyhow::ensure!(
        dir.is_dir(),
        "`{}` {}: give the folder the recordings are in (`dictate letter FILE` makes the letter \
         of one recording)",
        dir.display(),
        if dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        }
    );
    let files = recordings(dir, out)?;
    let templates = Templates::load(config.templates.as_deref())?;
    let (lexicon, transcriber) = load_both(&config);
    let (lexicon, transcriber) = (lexicon?, transcriber?);
    let model_name = transcriber.model_name();
    fsio::create_dir(out, access)?;
    let (ledger, _lock) = open_ledger(out, reporter)?;
    let mut transcribers = workers(transcriber, options.jobs, files.len())?;
    let batch = Batch {
        dir,
        out,
        access,
        force: options.force,
        files: &files,
        model_name: &model_name,
        templates: &templates,
        lexicon: lexicon.as_ref(),
        site: &config.site,
    };
    let results = batch.run_all(&mut transcribers, ledger, reporter);
    let mut report = Report {
        dir: dir.display().to_string(),
        out: out.display().to_string(),
        done: 0,
        failed: 0,
        skipped: 0,
        flagged: 0,
        audio_seconds: 0.0,
        wall_seconds: 0.0,
        files: Vec::new(),
    };
    tally(&mut report, results, &mut *io.err)?;
    reporter.finish();
    report.wall_seconds = started.elapsed().as_secs_f64();
    summarise(&report, files.len(), out, access, options.json, io)
}

/// Recordings in parallel, each worker with its own decoding state over the one model and its
/// share of the threads.
pub(crate) fn workers(
    transcriber: Transcriber,
    jobs: Option<usize>,
    files: usize,
) -> Result<Vec<Transcriber>> {
    let jobs = jobs.unwrap_or_else(|| transcriber.options().threads.min(4));
    let workers = jobs.clamp(1, files.max(1));
    let threads = (transcriber.options().threads / workers).max(1);
    let mut transcribers = Vec::with_capacity(workers);
    for _ in 1..workers {
        transcribers.push(transcriber.fork(threads)?);
    }
    if workers > 1 {
        transcribers.push(transcriber.fork(threads)?);
    } else {
        transcribers.push(transcriber);
    }
    Ok(transcribers)
}

/// What every worker of one batch shares.
struct Batch<'a> {
    dir: &'a Path,
    out: &'a Path,
    /// Who may read the letters besides their owner.
    access: Access,
    force: bool,
    files: &'a [PathBuf],
    model_name: &'a str,
    templates: &'a Templates,
    lexicon: Option<&'a Lexicon>,
    site: &'a Site,
}

impl Batch<'_> {
    /// Every recording through the workers; each result with its place in `files`.
    fn run_all(
        &self,
        transcribers: &mut [Transcriber],
        ledger: Ledger,
        reporter: &dyn Reporter,
    ) -> Vec<(usize, FileReport)> {
        let (dir, out, force, files) = (self.dir, self.out, self.force, self.files);
        let ledger = Mutex::new(ledger);
        // Content hashes, read once here in path order: the first file with a content is the one
        // done, whichever worker gets to a copy first.
        let hashes: Vec<Option<String>> = files.iter().map(|f| job_key(f).ok()).collect();
        let mut first_of: std::collections::HashMap<&str, (usize, &Path)> =
            std::collections::HashMap::new();
        for (i, h) in hashes.iter().enumerate() {
            if let Some(h) = h {
                first_of.entry(h.as_str()).or_insert((i, &files[i]));
            }
        }
        let queue = Mutex::new(files.iter().enumerate().collect::<VecDeque<_>>());
        let results: Mutex<Vec<(usize, FileReport)>> = Mutex::new(Vec::new());
        let progress = Mutex::new((0usize, 0.0f64));
        reporter.start("batch", Some(files.len() as u64), Unit::Files);
        std::thread::scope(|scope| {
            for t in transcribers.iter_mut() {
                let (ledger, queue, results, progress, hashes, first_of) =
                    (&ledger, &queue, &results, &progress, &hashes, &first_of);
                let (templates, lexicon, site, model_name, total, access) = (
                    self.templates,
                    self.lexicon,
                    self.site,
                    self.model_name,
                    files.len(),
                    self.access,
                );
                scope.spawn(move || {
                    let mut letters = LetterJobs {
                        hearing: Hearing::Model(t),
                        templates,
                        lexicon,
                        out_dir: out.to_owned(),
                        access,
                        overwrite: false,
                        today: today(),
                        site,
                        progress: None,
                    };
                    while let Some((i, input)) = next_job(queue) {
                        let shared = Shared {
                            dir,
                            out,
                            force,
                            model: model_name,
                            ledger,
                            hashes,
                            first_of,
                        };
                        let file = process(i, input, &shared, &mut letters).unwrap_or_else(|e| {
                            FileReport {
                                error: Some(format!("{e:#}")),
                                ..FileReport::new(input.display().to_string(), "failed")
                            }
                        });
                        if let Ok(mut p) = progress.lock() {
                            p.0 += 1;
                            p.1 += file.audio_seconds;
                            reporter.advance(1);
                            reporter.message(&format!(
                                "{} of {} recordings, {:.2} h of audio",
                                p.0,
                                total,
                                p.1 / 3600.0
                            ));
                        }
                        if let Ok(mut r) = results.lock() {
                            r.push((i, file));
                        }
                    }
                });
            }
        });
        results.into_inner().unwrap_or_default()
    }
}

/// Adds each recording's outcome to the report, in path order; failures also to `err`.
fn tally(
    report: &mut Report,
    mut results: Vec<(usize, FileReport)>,
    err: &mut dyn std::io::Write,
) -> Result<()> {
    results.sort_by_key(|(i, _)| *i);
    for (_, mut file) in results {
        // A copy in this batch gets the letter of the recording it copies (earlier in the list).
        if let Some(first) = file.same_as.as_deref().filter(|_| file.docx.is_none()) {
            if let Some(done) = report.files.iter().find(|f| f.input == first) {
                file.docx.clone_from(&done.docx);
                file.letters = done.letters;
            }
        }
        match file.outcome {
            "done" => report.done += 1,
            "skipped" => report.skipped += 1,
            _ => {
                report.failed += 1;
                tracing::debug!(file = %file.input, "recording failed");
                writeln!(
                    err,
                    "error: {}",
                    fsio::shown(file.error.as_deref().unwrap_or("failed"))
                )?;
            }
        }
        if file.flags > 0 && file.outcome != "failed" {
            report.flagged += 1;
        }
        report.audio_seconds += file.audio_seconds;
        report.files.push(file);
    }
    Ok(())
}

/// The summary printed, then written as the report beside the letters.
fn summarise(
    report: &Report,
    recordings: usize,
    out: &Path,
    access: Access,
    json: bool,
    io: Output<'_>,
) -> Result<Exit> {
    let exit = if report.failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Done
    };
    let text = serde_json::to_vec_pretty(&report)?;
    if json {
        // The document printed is the report written: one shape, documented once.
        io.out.write_all(&text)?;
        writeln!(io.out)?;
        if let Err(e) = fsio::write_atomic(&out.join(REPORT), &text, access.file()) {
            writeln!(io.err, "error: {e:#}")?;
            return Ok(Exit::SomeFailed);
        }
        return Ok(exit);
    }
    let files = recordings;
    // A recording of several letters ("next letter") makes more letters than recordings.
    let letters: usize = report
        .files
        .iter()
        .filter(|f| f.outcome == "done")
        .map(|f| f.letters)
        .sum();
    let done = if letters == report.done {
        format!("{} done", report.done)
    } else {
        format!("{} done ({letters} letters)", report.done)
    };
    writeln!(
        io.out,
        "{} recording{}: {}, {} skipped (done before), {} failed; {} letter{} flagged for review; \
         {:.1} min of audio in {:.1} min",
        files,
        if files == 1 { "" } else { "s" },
        done,
        report.skipped,
        report.failed,
        report.flagged,
        if report.flagged == 1 { "" } else { "s" },
        report.audio_seconds / 60.0,
        report.wall_seconds / 60.0
    )?;
    for f in report.files.iter().filter(|f| f.outcome == "failed") {
        writeln!(
            io.out,
            "  failed: {}: {}",
            fsio::shown(&f.input),
            fsio::shown(f.error.as_deref().unwrap_or(""))
        )?;
    }
    for f in report.files.iter().filter(|f| f.outcome == "skipped") {
        if let Some(first) = &f.same_as {
            let letter = f
                .docx
                .as_deref()
                .map_or_else(|| "no letter".to_owned(), |d| format!("letter {d}"));
            writeln!(
                io.out,
                "  copy: {} is the same as {} ({})",
                fsio::shown(&f.input),
                fsio::shown(first),
                fsio::shown(&letter)
            )?;
        }
    }
    // The summary is printed first: a full disk must not hide it.
    if let Err(e) = fsio::write_atomic(&out.join(REPORT), &text, access.file()) {
        writeln!(io.err, "error: {e:#}")?;
        return Ok(Exit::SomeFailed);
    }
    writeln!(
        io.out,
        "report: {}; ledger: {}",
        out.join(REPORT).display(),
        out.join(ledger::FILE_NAME).display()
    )?;
    Ok(exit)
}

/// The next recording off the shared queue (the lock is held only to take it).
fn next_job<'f>(queue: &Mutex<VecDeque<(usize, &'f PathBuf)>>) -> Option<(usize, &'f PathBuf)> {
    queue.lock().ok()?.pop_front()
}

/// One recording: skip it if its content is done, else run it through the ledger.
/// Opens the letters folder's ledger for a run (batch or watch): removes the temporary files a
/// killed run left and puts the jobs it left running back in the queue, saying so.
/// Takes the output folder for this process (another batch or watch on it is refused: both
/// would do every job, and each would take the other's half-written files for an interrupted
/// run's), then opens its ledger, clearing what an interrupted run left. The folder is this
/// process's while the lock lives.
pub(crate) fn open_ledger(
    out: &Path,
    reporter: &dyn Reporter,
) -> Result<(Ledger, fsio::FolderLock)> {
    let lock = fsio::lock_folder(out)?;
    let stale = fsio::remove_stale_parts(out)?;
    if stale > 0 {
        reporter.note(&format!(
            "removed {stale} unfinished temporary file{} an interrupted run left",
            if stale == 1 { "" } else { "s" }
        ));
    }
    let mut ledger = Ledger::open(out)?;
    let interrupted = ledger.recover()?;
    if interrupted > 0 {
        reporter.note(&format!(
            "{interrupted} job{} interrupted last time: redoing",
            if interrupted == 1 { "" } else { "s" }
        ));
    }
    Ok((ledger, lock))
}

/// What the ledger keeps of a written letter.
pub(crate) fn outcome(w: &Written) -> Outcome {
    Outcome {
        audio_seconds: w.audio_seconds,
        wall_seconds: w.wall_seconds,
        corrections: w.corrections(),
        flags: w.flags(),
        docx: w.first().docx.display().to_string(),
        json: w.first().json.display().to_string(),
    }
}

/// What the batch's workers share.
struct Shared<'a> {
    dir: &'a Path,
    out: &'a Path,
    force: bool,
    model: &'a str,
    ledger: &'a Mutex<Ledger>,
    /// Content hashes taken in this run.
    /// Each file's content hash (`None`: it could not be read), and the first file of each.
    hashes: &'a [Option<String>],
    first_of: &'a std::collections::HashMap<&'a str, (usize, &'a Path)>,
}

fn process(
    i: usize,
    input: &Path,
    sh: &Shared<'_>,
    jobs: &mut LetterJobs<'_>,
) -> Result<FileReport> {
    let Shared {
        dir,
        out,
        force,
        model,
        ledger,
        hashes,
        first_of,
    } = *sh;
    let ledger = || {
        ledger
            .lock()
            .map_err(|_| anyhow::anyhow!("the job ledger is unusable after a failure"))
    };
    let ledger_file = out.join(ledger::FILE_NAME);
    let noted = |e: anyhow::Error| {
        e.context(format!(
            "cannot record `{}` in the job ledger `{}`",
            input.display(),
            ledger_file.display()
        ))
    };
    let t = Instant::now();
    let name = input.display().to_string();
    let sha = match &hashes[i] {
        Some(h) => h.clone(),
        None => job_key(input).with_context(|| format!("cannot read `{}`", input.display()))?,
    };
    // The same content twice in one batch (a copy under another name): done once, as the first
    // file in path order.
    if let Some(&(_, first)) = first_of.get(sha.as_str()).filter(|&&(j, _)| j != i) {
        // Its letter is the first's: `tally` fills it in once that one is done.
        return Ok(FileReport {
            same_as: Some(first.display().to_string()),
            ..FileReport::new(name, "skipped")
        });
    }
    if !force {
        if let Some(done) = ledger()?.done_for(&sha).map_err(noted)? {
            // Done before (perhaps under another name), and its letter is still there.
            if done.docx.as_deref().is_some_and(|d| Path::new(d).is_file()) {
                return Ok(FileReport {
                    docx: done.docx,
                    same_as: (done.input != name).then_some(done.input),
                    letters: 1,
                    flags: done.flags.unwrap_or(0) as usize,
                    corrections: done.corrections.unwrap_or(0) as usize,
                    ..FileReport::new(name, "skipped")
                });
            }
        }
    }
    let id = ledger()?
        .queue(&name, &dir.display().to_string(), &sha)
        .map_err(noted)?;
    ledger()?.start(id, model).map_err(noted)?;
    // Letters keep the recordings' subfolders, so a/x.wav and b/x.wav do not collide.
    let rel = input
        .parent()
        .and_then(|p| p.strip_prefix(dir).ok())
        .unwrap_or(Path::new(""));
    jobs.out_dir = out.join(rel);
    fsio::create_dir(&jobs.out_dir, jobs.access)?;
    match jobs.run(input) {
        Ok(w) => {
            ledger()?.done(id, &outcome(&w)).map_err(noted)?;
            Ok(FileReport {
                docx: Some(w.first().docx.display().to_string()),
                letters: w.letters.len(),
                flags: w.flags(),
                corrections: w.corrections(),
                audio_seconds: w.audio_seconds,
                ..FileReport::new(name, "done")
            })
        }
        Err(e) => {
            let msg = format!("{e:#}");
            ledger()?
                .failed(id, &msg, t.elapsed().as_secs_f64())
                .map_err(noted)?;
            Ok(FileReport {
                error: Some(msg),
                ..FileReport::new(name, "failed")
            })
        }
    }
}

/// `dictate status OUT`: counts by state and the recent jobs (file names, never patients): each
/// recording by its path inside the folder it was found in, the letter by its path inside OUT,
/// times local to the second; with `json`, the same as one JSON document (README, "JSON
/// output").
pub fn status(out: &Path, last: usize, json: bool, io: Output<'_>) -> Result<Exit> {
    let path = out.join(ledger::FILE_NAME);
    anyhow::ensure!(
        path.is_file(),
        "`{}` holds no job ledger ({}): run `dictate batch DIR --out {}` first",
        out.display(),
        ledger::FILE_NAME,
        out.display()
    );
    let ledger = Ledger::open(out)?;
    let counts = ledger.counts()?;
    let jobs: Vec<JobStatus> = ledger
        .recent(last)?
        .into_iter()
        .map(|j| JobStatus::of(j, out))
        .collect();
    let reviews = ledger.reviews()?;
    if json {
        let count = |state: State| {
            counts
                .iter()
                .find(|(s, _)| *s == state)
                .map_or(0, |(_, n)| *n)
        };
        let events = |event: &str| reviews.iter().filter(|r| r.event == event).count();
        let doc = StatusOut {
            ledger: path.display().to_string(),
            queued: count(State::Queued),
            running: count(State::Running),
            done: count(State::Done),
            failed: count(State::Failed),
            jobs,
            review_desk: DeskStatus {
                saved: events("saved"),
                approved: events("approved"),
                learned: events("learned"),
                last: reviews.last().map(|r| DeskEvent {
                    event: r.event.clone(),
                    letter: r.letter.clone(),
                    editor: r.editor.clone(),
                    at: fsio::local_rfc3339(&r.at),
                }),
            },
        };
        serde_json::to_writer_pretty(&mut *io.out, &doc)?;
        writeln!(io.out)?;
        return Ok(Exit::Done);
    }
    let summary: Vec<String> = counts
        .iter()
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect();
    writeln!(io.out, "{}: {}", path.display(), summary.join(", "))?;
    for j in &jobs {
        let when = j.finished_at.as_deref().unwrap_or(&j.queued_at);
        write!(
            io.out,
            "{:>5} {:<8} {:>2}x {}  {}",
            j.id,
            j.state.as_str(),
            j.attempts,
            fsio::local_time(when),
            fsio::shown(&j.recording)
        )?;
        if let Some(letter) = &j.letter {
            write!(io.out, " -> {}", fsio::shown(letter))?;
        }
        match (j.flags, j.corrections) {
            (Some(f), Some(c)) if j.state == State::Done => write!(
                io.out,
                "  ({f} to check, {c} term{} written)",
                if c == 1 { "" } else { "s" }
            )?,
            _ => {}
        }
        if j.state == State::Failed {
            write!(
                io.out,
                "  ({})",
                fsio::shown(j.error.as_deref().unwrap_or(""))
            )?;
        }
        writeln!(io.out)?;
    }
    if let Some(last) = reviews.last() {
        let count = |event: &str| reviews.iter().filter(|r| r.event == event).count();
        writeln!(
            io.out,
            "review desk: {} saved, {} approved, {} terms learned; last {} {} by {} at {}",
            count("saved"),
            count("approved"),
            count("learned"),
            last.event,
            last.letter,
            last.editor,
            fsio::local_time(&last.at)
        )?;
    }
    Ok(Exit::Done)
}

/// `dictate status --json`.
#[derive(Debug, Serialize)]
struct StatusOut {
    ledger: String,
    queued: i64,
    running: i64,
    done: i64,
    failed: i64,
    /// The most recent jobs, newest first.
    jobs: Vec<JobStatus>,
    review_desk: DeskStatus,
}

/// One job as `dictate status` shows it.
#[derive(Debug, Serialize)]
struct JobStatus {
    id: i64,
    /// The recording's path inside the folder it was found under (`root`); the whole path as
    /// recorded where that folder is not known.
    recording: String,
    root: Option<String>,
    state: State,
    attempts: i64,
    /// Local time with its offset (RFC 3339).
    queued_at: String,
    finished_at: Option<String>,
    /// The letter's path inside the letters folder (the first, for a recording of several).
    letter: Option<String>,
    record: Option<String>,
    flags: Option<i64>,
    corrections: Option<i64>,
    audio_seconds: Option<f64>,
    wall_seconds: Option<f64>,
    error: Option<String>,
}

impl JobStatus {
    fn of(j: ledger::Job, out: &Path) -> JobStatus {
        let recording = match &j.root {
            Some(root) => relative(Path::new(&j.input), Path::new(root)),
            None => j.input.clone(),
        };
        JobStatus {
            id: j.id,
            recording,
            root: j.root,
            state: j.state,
            attempts: j.attempts,
            queued_at: fsio::local_rfc3339(&j.queued_at),
            finished_at: j.finished_at.as_deref().map(fsio::local_rfc3339),
            letter: j.docx.as_deref().map(|d| relative(Path::new(d), out)),
            record: j.json.as_deref().map(|d| relative(Path::new(d), out)),
            flags: j.flags,
            corrections: j.corrections,
            audio_seconds: j.audio_seconds,
            wall_seconds: j.wall_seconds,
            error: j.error,
        }
    }
}

/// `path` inside `base` (as written, else both resolved), or `path` whole where it is not inside.
fn relative(path: &Path, base: &Path) -> String {
    let inside = path
        .strip_prefix(base)
        .map(Path::to_path_buf)
        .ok()
        .or_else(|| {
            let (p, b) = (path.canonicalize().ok()?, base.canonicalize().ok()?);
            p.strip_prefix(b).map(Path::to_path_buf).ok()
        });
    inside
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

#[derive(Debug, Serialize)]
struct DeskStatus {
    saved: usize,
    approved: usize,
    learned: usize,
    last: Option<DeskEvent>,
}

#[derive(Debug, Serialize)]
struct DeskEvent {
    event: String,
    letter: String,
    editor: String,
    at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recordings_walk_each_folder_once_and_stay_inside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("in");
        std::fs::create_dir_all(inbox.join("sub")).unwrap();
        std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
        for f in ["in/a.wav", "in/sub/b.mp3", "elsewhere/c.wav"] {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        // A link to itself, one up the tree, one out of it, and one into a folder already seen.
        std::os::unix::fs::symlink(".", inbox.join("self")).unwrap();
        std::os::unix::fs::symlink("..", inbox.join("up")).unwrap();
        std::os::unix::fs::symlink("../elsewhere", inbox.join("out")).unwrap();
        std::os::unix::fs::symlink("sub", inbox.join("again")).unwrap();
        let found = recordings(&inbox, &dir.path().join("letters")).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|p| p.strip_prefix(&inbox).unwrap().display().to_string())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&"a.wav".to_owned()), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with("b.mp3")), "{names:?}");
    }
}
