//! The job ledger: a SQLite file (rusqlite, bundled) recording every job of `dictate batch` (and
//! later `dictate watch`): input path and content hash, state, attempts, timings, model, counts of
//! corrections and flags, output paths, error. The one module that knows rusqlite. Every change of
//! state is one transaction; SQLite's journal keeps the file consistent through a crash.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// The ledger's file name inside the output folder.
pub const FILE_NAME: &str = "dictate-ledger.sqlite";

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Queued,
    Running,
    Done,
    Failed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Running => "running",
            State::Done => "done",
            State::Failed => "failed",
        }
    }

    fn parse(s: &str) -> State {
        match s {
            "running" => State::Running,
            "done" => State::Done,
            "failed" => State::Failed,
            _ => State::Queued,
        }
    }
}

/// One job as the ledger holds it.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: i64,
    pub input: String,
    /// The folder the recording was found under (none in ledgers from before version 3).
    pub root: Option<String>,
    pub sha256: String,
    pub state: State,
    pub attempts: i64,
    pub model: Option<String>,
    pub queued_at: String,
    pub finished_at: Option<String>,
    pub audio_seconds: Option<f64>,
    pub wall_seconds: Option<f64>,
    pub corrections: Option<i64>,
    pub flags: Option<i64>,
    pub docx: Option<String>,
    pub json: Option<String>,
    pub error: Option<String>,
}

/// What a finished job produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub audio_seconds: f64,
    pub wall_seconds: f64,
    pub corrections: usize,
    pub flags: usize,
    pub docx: String,
    pub json: String,
}

/// The ledger's schema, one step per version (`PRAGMA user_version` says which it is at): a
/// ledger made by an older dictate is moved forward on open, never replaced. The first steps are
/// written so that a ledger from before versions were kept (at 0, its tables there) passes them
/// unchanged.
const MIGRATIONS: &[&str] = &[
    // 1: jobs.
    "CREATE TABLE IF NOT EXISTS jobs (
         id INTEGER PRIMARY KEY,
         input TEXT NOT NULL,
         sha256 TEXT NOT NULL,
         state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
         attempts INTEGER NOT NULL DEFAULT 0,
         model TEXT,
         queued_at TEXT NOT NULL,
         started_at TEXT,
         finished_at TEXT,
         audio_seconds REAL,
         wall_seconds REAL,
         corrections INTEGER,
         flags INTEGER,
         docx TEXT,
         json TEXT,
         error TEXT
     );
     CREATE INDEX IF NOT EXISTS jobs_sha256 ON jobs (sha256);
     CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);",
    // 2: what was done at the review desk.
    "CREATE TABLE IF NOT EXISTS reviews (
         id INTEGER PRIMARY KEY,
         letter TEXT NOT NULL,
         event TEXT NOT NULL CHECK (event IN ('saved', 'approved', 'learned')),
         version INTEGER NOT NULL,
         editor TEXT NOT NULL,
         os_user TEXT NOT NULL,
         at TEXT NOT NULL,
         file TEXT
     );
     CREATE INDEX IF NOT EXISTS reviews_letter ON reviews (letter);",
    // 3: the folder a job's recording was found under (the batch's folder, the watched inbox),
    // so that `dictate status` names recordings by their path inside it.
    "ALTER TABLE jobs ADD COLUMN root TEXT;",
];

/// Moves the ledger's schema to the newest version, in one transaction; a ledger newer than this
/// dictate is refused with what to do.
fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    let at: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if at > known {
        anyhow::bail!(
            "it was made by a newer dictate (schema {at}, this one knows up to {known}): run \
             that version, or upgrade this one"
        );
    }
    for sql in &MIGRATIONS[at as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", known)?;
    tx.commit()?;
    Ok(())
}

/// A letter saved, approved, or a term learned from it, at the review desk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// The letter's id (its record's name without `.json`).
    pub letter: String,
    /// "saved", "approved" or "learned".
    pub event: String,
    pub version: usize,
    /// The name typed at the desk, and the account the desk ran as.
    pub editor: String,
    pub os_user: String,
    pub at: String,
    /// The approved DOCX (relative to the letters folder), or the vocabulary file.
    pub file: Option<String>,
}

pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

pub use crate::fsio::now;

impl Ledger {
    /// Opens (creating if needed, owner-only) the ledger in `dir`.
    pub fn open(dir: &Path) -> Result<Ledger> {
        let path = dir.join(FILE_NAME);
        let existed = path.exists();
        let mut conn = Connection::open(&path)
            .with_context(|| format!("cannot open the job ledger `{}`", path.display()))?;
        #[cfg(unix)]
        if !existed {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .with_context(|| format!("cannot make `{}` owner-only", path.display()))?;
        }
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            .map_err(anyhow::Error::from)
            .and_then(|()| migrate(&mut conn))
            .with_context(|| {
                format!(
                    "the job ledger `{}` is not usable (damaged, or not a dictate ledger): move \
                     it away and run again: a new ledger is started, and recordings done before \
                     are done again, their earlier letters kept",
                    path.display()
                )
            })?;
        Ok(Ledger { conn, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The job done for this content, if any (a renamed file is the same content).
    pub fn done_for(&self, sha256: &str) -> Result<Option<Job>> {
        self.one(
            "WHERE sha256 = ?1 AND state = 'done' ORDER BY id DESC LIMIT 1",
            sha256,
        )
    }

    /// Queues a job for `input`, found under the folder `root` (or re-queues the existing one for
    /// the same path and content); returns its id.
    pub fn queue(&mut self, input: &str, root: &str, sha256: &str) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM jobs WHERE input = ?1 AND sha256 = ?2 ORDER BY id DESC LIMIT 1",
                params![input, sha256],
                |r| r.get(0),
            )
            .optional()?;
        let id = match existing {
            Some(id) => {
                tx.execute(
                    "UPDATE jobs SET state = 'queued', error = NULL, root = ?2 WHERE id = ?1",
                    params![id, root],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO jobs (input, root, sha256, state, queued_at) \
                     VALUES (?1, ?2, ?3, 'queued', ?4)",
                    params![input, root, sha256, now()],
                )?;
                tx.last_insert_rowid()
            }
        };
        tx.commit()?;
        Ok(id)
    }

    /// The job starts: running, one more attempt.
    pub fn start(&mut self, id: i64, model: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, model = ?2, \
             started_at = ?3, error = NULL WHERE id = ?1",
            params![id, model, now()],
        )?;
        Ok(())
    }

    pub fn done(&mut self, id: i64, o: &Outcome) -> Result<()> {
        self.conn.execute(
            "UPDATE jobs SET state = 'done', finished_at = ?2, audio_seconds = ?3, \
             wall_seconds = ?4, corrections = ?5, flags = ?6, docx = ?7, json = ?8, error = NULL \
             WHERE id = ?1",
            params![
                id,
                now(),
                o.audio_seconds,
                o.wall_seconds,
                o.corrections as i64,
                o.flags as i64,
                o.docx,
                o.json
            ],
        )?;
        Ok(())
    }

    pub fn failed(&mut self, id: i64, error: &str, wall_seconds: f64) -> Result<()> {
        self.conn.execute(
            "UPDATE jobs SET state = 'failed', finished_at = ?2, wall_seconds = ?3, error = ?4 \
             WHERE id = ?1",
            params![id, now(), wall_seconds, error],
        )?;
        Ok(())
    }

    /// Jobs a crash left running go back to the queue (their letter, if any, is redone).
    pub fn recover(&mut self) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE jobs SET state = 'queued', error = 'interrupted: redone' WHERE state = 'running'",
            [],
        )?)
    }

    /// Records what was done to a letter at the review desk.
    pub fn reviewed(&mut self, r: &Review) -> Result<()> {
        self.conn.execute(
            "INSERT INTO reviews (letter, event, version, editor, os_user, at, file) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                r.letter,
                r.event,
                r.version as i64,
                r.editor,
                r.os_user,
                r.at,
                r.file
            ],
        )?;
        Ok(())
    }

    /// What was done at the review desk, oldest first.
    pub fn reviews(&self) -> Result<Vec<Review>> {
        let mut stmt = self.conn.prepare(
            "SELECT letter, event, version, editor, os_user, at, file FROM reviews ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Review {
                letter: r.get(0)?,
                event: r.get(1)?,
                version: r.get::<_, i64>(2)? as usize,
                editor: r.get(3)?,
                os_user: r.get(4)?,
                at: r.get(5)?,
                file: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The most recent jobs, newest first.
    pub fn recent(&self, limit: usize) -> Result<Vec<Job>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT} ORDER BY id DESC LIMIT ?1"))?;
        let rows = stmt.query_map(params![limit as i64], row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many jobs are in each state.
    pub fn counts(&self) -> Result<Vec<(State, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state")?;
        let rows = stmt.query_map([], |r| {
            Ok((State::parse(&r.get::<_, String>(0)?), r.get::<_, i64>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn one(&self, filter: &str, arg: &str) -> Result<Option<Job>> {
        Ok(self
            .conn
            .query_row(&format!("{SELECT} {filter}"), params![arg], row)
            .optional()?)
    }
}

const SELECT: &str = "SELECT id, input, sha256, state, attempts, model, queued_at, finished_at, \
                      audio_seconds, wall_seconds, corrections, flags, docx, json, error, root \
                      FROM jobs";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Job> {
    Ok(Job {
        id: r.get(0)?,
        input: r.get(1)?,
        sha256: r.get(2)?,
        state: State::parse(&r.get::<_, String>(3)?),
        attempts: r.get(4)?,
        model: r.get(5)?,
        queued_at: r.get(6)?,
        finished_at: r.get(7)?,
        audio_seconds: r.get(8)?,
        wall_seconds: r.get(9)?,
        corrections: r.get(10)?,
        flags: r.get(11)?,
        docx: r.get(12)?,
        json: r.get(13)?,
        error: r.get(14)?,
        root: r.get(15)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_ledger_is_moved_forward_and_a_newer_one_refused() {
        // A ledger from before versions were kept: jobs only, user_version 0, one job done.
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.execute(
                "INSERT INTO jobs (input, sha256, state, queued_at) VALUES ('a.wav', 'abc', 'done', 'x')",
                [],
            )
            .unwrap();
        }
        let mut l = Ledger::open(dir.path()).unwrap();
        let version: i64 = l
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        assert_eq!(l.recent(5).unwrap().len(), 1, "its jobs kept");
        l.reviewed(&Review {
            letter: "a".into(),
            event: "approved".into(),
            version: 1,
            editor: "Sam".into(),
            os_user: "sam".into(),
            at: now(),
            file: None,
        })
        .unwrap();
        drop(l);
        // A ledger a newer dictate made: refused, with what to do.
        let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = format!("{:#}", Ledger::open(dir.path()).err().unwrap());
        assert!(err.contains("newer dictate (schema 99"), "{err}");
    }

    #[test]
    fn a_job_goes_from_queued_to_done_and_is_found_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open(dir.path()).unwrap();
        let id = l.queue("a.wav", ".", "abc").unwrap();
        l.start(id, "tiny.en").unwrap();
        assert_eq!(l.recent(1).unwrap()[0].state, State::Running);
        l.done(
            id,
            &Outcome {
                docx: "a.docx".into(),
                ..Outcome::default()
            },
        )
        .unwrap();
        let done = l.done_for("abc").unwrap().unwrap();
        assert_eq!(done.input, "a.wav");
        assert_eq!(done.attempts, 1);
        assert!(l.done_for("other").unwrap().is_none());
        // The same content queued again is the same job.
        assert_eq!(l.queue("a.wav", ".", "abc").unwrap(), id);
        drop(l);
        // A crash while running: the job goes back to the queue on the next open.
        let mut l = Ledger::open(dir.path()).unwrap();
        l.start(id, "tiny.en").unwrap();
        drop(l);
        let mut l = Ledger::open(dir.path()).unwrap();
        assert_eq!(l.recover().unwrap(), 1);
        assert_eq!(l.counts().unwrap(), vec![(State::Queued, 1)]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(l.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
