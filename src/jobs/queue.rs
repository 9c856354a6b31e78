//! The shared job queue on PostgreSQL (`--queue postgres://...`): many workers on many machines
//! take recordings from one table. The one module that knows the `postgres` crate.
//!
//! A job has the ledger's states (queued, running, done, failed). A worker claims the oldest
//! queued job with `SELECT ... FOR UPDATE SKIP LOCKED` (two workers never take one job; neither
//! waits for the other), holds it by a lease it renews while it works, and reports the outcome
//! naming the attempt it was given: a worker killed or frozen past its lease has lost the job to
//! the next claim, and its late report changes nothing (`Lost`). Every attempt is kept, with its
//! worker, host, times and how it ended (done, failed, lost). Jobs are unique by content (the
//! recording's hash, with its sidecar's): submitting a folder twice, or a renamed copy, queues
//! nothing new.
//!
//! The connection is TLS where the server offers it (rustls, the server's certificate checked
//! against the machine's trusted certificates), plain only with `sslmode=disable`.
//!
//! The schema is created and moved forward by numbered migrations under an advisory lock, each
//! recorded in `dictate_schema`, so workers of one version starting together agree, and a newer
//! schema than this build knows stops it with a clear message.

use anyhow::{Context, Result};
use postgres::config::SslMode;
use postgres::{Client, NoTls};
use serde::Serialize;

/// The migrations, in order: migration `i + 1` is `MIGRATIONS[i]`.
const MIGRATIONS: &[&str] = &[
    // 1: jobs and their attempts.
    "CREATE TABLE dictate_jobs (
         id BIGSERIAL PRIMARY KEY,
         input TEXT NOT NULL,
         job_key TEXT NOT NULL,
         out_dir TEXT NOT NULL,
         state TEXT NOT NULL DEFAULT 'queued'
             CHECK (state IN ('queued', 'running', 'done', 'failed')),
         attempts INTEGER NOT NULL DEFAULT 0,
         max_attempts INTEGER NOT NULL DEFAULT 3,
         worker TEXT,
         host TEXT,
         lease_until TIMESTAMPTZ,
         queued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
         started_at TIMESTAMPTZ,
         finished_at TIMESTAMPTZ,
         model TEXT,
         audio_seconds DOUBLE PRECISION,
         wall_seconds DOUBLE PRECISION,
         letters INTEGER,
         corrections INTEGER,
         flags INTEGER,
         docx TEXT,
         json TEXT,
         error TEXT,
         UNIQUE (job_key)
     );
     CREATE INDEX dictate_jobs_waiting ON dictate_jobs (id) WHERE state IN ('queued', 'running');
     CREATE TABLE dictate_attempts (
         job_id BIGINT NOT NULL REFERENCES dictate_jobs (id),
         attempt INTEGER NOT NULL,
         worker TEXT NOT NULL,
         host TEXT NOT NULL,
         started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
         ended_at TIMESTAMPTZ,
         outcome TEXT CHECK (outcome IN ('done', 'failed', 'lost')),
         error TEXT,
         PRIMARY KEY (job_id, attempt)
     );",
    // 2: urgent recordings (by their sidecar) are taken first.
    "ALTER TABLE dictate_jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
     DROP INDEX dictate_jobs_waiting;
     CREATE INDEX dictate_jobs_waiting ON dictate_jobs (priority DESC, id)
         WHERE state IN ('queued', 'running');",
];

/// A key for PostgreSQL's advisory lock held while migrating ("dictate" in ASCII).
const MIGRATION_LOCK: i64 = 0x0064_6963_7461_7465;

/// A connection to the queue.
pub struct Queue {
    client: Client,
    url: String,
}

/// A job a worker holds: its attempt number is its claim ticket.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub input: String,
    pub job_key: String,
    pub out_dir: String,
    pub attempt: i32,
}

/// What a finished job produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub model: String,
    pub audio_seconds: f64,
    pub wall_seconds: f64,
    pub letters: usize,
    pub corrections: usize,
    pub flags: usize,
    pub docx: String,
    pub json: String,
}

/// A report about a job this worker no longer holds (its lease ran out and another claimed it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    Recorded,
    Lost,
}

/// The queue as `dictate status --queue` shows it (file names, never patients).
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub queued: i64,
    /// Of the queued, how many are urgent.
    pub urgent: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
    /// Seconds the oldest queued job has waited.
    pub oldest_waiting_seconds: Option<f64>,
    pub oldest_waiting: Option<String>,
    pub workers: Vec<WorkerStatus>,
    pub failures: Vec<Failure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkerStatus {
    pub worker: String,
    pub host: String,
    /// The jobs it holds now.
    pub running: Vec<Running>,
    /// Jobs it finished in the last hour, and their audio.
    pub done_last_hour: i64,
    pub audio_seconds_last_hour: f64,
}

/// A job a worker holds.
#[derive(Debug, Clone, Serialize)]
pub struct Running {
    pub recording: String,
    /// Since when (seconds ago).
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub input: String,
    pub attempts: i32,
    pub error: String,
}

impl Queue {
    /// Connects, creating or moving the schema forward as needed.
    pub fn connect(url: &str) -> Result<Queue> {
        let client = open(url)?;
        let mut queue = Queue {
            client,
            url: url.to_owned(),
        };
        queue.migrate()?;
        Ok(queue)
    }

    /// Connects again after the connection was lost.
    pub fn reconnect(&mut self) -> Result<()> {
        self.client = open(&self.url)?;
        Ok(())
    }

    /// Is the connection gone (the server restarted, the network dropped)?
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    fn migrate(&mut self) -> Result<()> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS dictate_schema (
                 version INTEGER PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
        )?;
        let at: i32 = tx
            .query_one("SELECT COALESCE(MAX(version), 0) FROM dictate_schema", &[])?
            .get(0);
        let known = MIGRATIONS.len() as i32;
        anyhow::ensure!(
            at <= known,
            "the queue's schema is at version {at}, newer than this dictate knows ({known}): \
             upgrade dictate on this machine to match the other workers"
        );
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(at as usize) {
            let version = i as i32 + 1;
            tx.batch_execute(sql)
                .with_context(|| format!("the queue's schema migration {version} failed"))?;
            tx.execute(
                "INSERT INTO dictate_schema (version) VALUES ($1)",
                &[&version],
            )?;
            tracing::info!("queue schema migrated to version {version}");
        }
        tx.commit()?;
        Ok(())
    }

    /// The schema's version.
    pub fn schema_version(&mut self) -> Result<i32> {
        Ok(self
            .client
            .query_one("SELECT MAX(version) FROM dictate_schema", &[])?
            .get(0))
    }

    /// Queues a recording for letters into `out_dir` (an urgent one before the others);
    /// `false` when the same content was already queued (or done).
    pub fn submit(
        &mut self,
        input: &str,
        job_key: &str,
        out_dir: &str,
        urgent: bool,
    ) -> Result<bool> {
        let priority = i32::from(urgent);
        let n = self.client.execute(
            "INSERT INTO dictate_jobs (input, job_key, out_dir, priority) VALUES ($1, $2, $3, $4)
             ON CONFLICT (job_key) DO NOTHING",
            &[&input, &job_key, &out_dir, &priority],
        )?;
        Ok(n == 1)
    }

    /// Claims the oldest waiting job, urgent ones first (queued, or running on a lease that ran
    /// out) for `lease` seconds. A job whose lease ran out on its last allowed attempt fails instead.
    pub fn claim(&mut self, worker: &str, host: &str, lease: f64) -> Result<Option<Claimed>> {
        let mut tx = self.client.transaction()?;
        tx.execute(
            "WITH gone AS (
                 UPDATE dictate_jobs SET state = 'failed', finished_at = now(),
                     error = 'lost by its worker ' || attempts || ' times (killed, frozen or cut \
                              off past its lease): see its attempts'
                 WHERE state = 'running' AND lease_until < now() AND attempts >= max_attempts
                 RETURNING id, attempts)
             UPDATE dictate_attempts a SET outcome = 'lost', ended_at = now()
             FROM gone WHERE a.job_id = gone.id AND a.attempt = gone.attempts",
            &[],
        )?;
        let row = tx.query_opt(
            "WITH next AS (
                 SELECT id FROM dictate_jobs
                 WHERE state = 'queued' OR (state = 'running' AND lease_until < now())
                 ORDER BY priority DESC, id
                 LIMIT 1
                 FOR UPDATE SKIP LOCKED)
             UPDATE dictate_jobs j SET state = 'running', attempts = j.attempts + 1,
                 worker = $1, host = $2, started_at = now(),
                 lease_until = now() + make_interval(secs => $3), error = NULL
             FROM next WHERE j.id = next.id
             RETURNING j.id, j.input, j.job_key, j.out_dir, j.attempts",
            &[&worker, &host, &lease],
        )?;
        let Some(row) = row else {
            tx.commit()?;
            return Ok(None);
        };
        let job = Claimed {
            id: row.get(0),
            input: row.get(1),
            job_key: row.get(2),
            out_dir: row.get(3),
            attempt: row.get(4),
        };
        // An earlier attempt still open was lost: its worker never reported.
        tx.execute(
            "UPDATE dictate_attempts SET outcome = 'lost', ended_at = now()
             WHERE job_id = $1 AND outcome IS NULL",
            &[&job.id],
        )?;
        tx.execute(
            "INSERT INTO dictate_attempts (job_id, attempt, worker, host) VALUES ($1, $2, $3, $4)",
            &[&job.id, &job.attempt, &worker, &host],
        )?;
        tx.commit()?;
        Ok(Some(job))
    }

    /// Extends the lease of a job this worker holds.
    pub fn renew(&mut self, job: &Claimed, lease: f64) -> Result<Report> {
        let n = self.client.execute(
            "UPDATE dictate_jobs SET lease_until = now() + make_interval(secs => $3)
             WHERE id = $1 AND attempts = $2 AND state = 'running'",
            &[&job.id, &job.attempt, &lease],
        )?;
        Ok(if n == 1 {
            Report::Recorded
        } else {
            Report::Lost
        })
    }

    /// The job is done: its letters are written.
    pub fn done(&mut self, job: &Claimed, o: &Outcome) -> Result<Report> {
        let mut tx = self.client.transaction()?;
        let n = tx.execute(
            "UPDATE dictate_jobs SET state = 'done', finished_at = now(), lease_until = NULL,
                 model = $3, audio_seconds = $4, wall_seconds = $5, letters = $6,
                 corrections = $7, flags = $8, docx = $9, json = $10, error = NULL
             WHERE id = $1 AND attempts = $2 AND state = 'running'",
            &[
                &job.id,
                &job.attempt,
                &o.model,
                &o.audio_seconds,
                &o.wall_seconds,
                &(o.letters as i32),
                &(o.corrections as i32),
                &(o.flags as i32),
                &o.docx,
                &o.json,
            ],
        )?;
        end_attempt(&mut tx, job, if n == 1 { "done" } else { "lost" }, None)?;
        tx.commit()?;
        Ok(if n == 1 {
            Report::Recorded
        } else {
            Report::Lost
        })
    }

    /// The job failed for a reason another attempt would not change (the file is gone or
    /// changed, not audio): failed for good, with the reason.
    pub fn failed(&mut self, job: &Claimed, error: &str, wall_seconds: f64) -> Result<Report> {
        let mut tx = self.client.transaction()?;
        let n = tx.execute(
            "UPDATE dictate_jobs SET state = 'failed', finished_at = now(), lease_until = NULL,
                 wall_seconds = $3, error = $4
             WHERE id = $1 AND attempts = $2 AND state = 'running'",
            &[&job.id, &job.attempt, &wall_seconds, &error],
        )?;
        end_attempt(
            &mut tx,
            job,
            if n == 1 { "failed" } else { "lost" },
            Some(error),
        )?;
        tx.commit()?;
        Ok(if n == 1 {
            Report::Recorded
        } else {
            Report::Lost
        })
    }

    /// How many jobs are queued or running (a running one may be lost and claimed again).
    pub fn waiting(&mut self) -> Result<i64> {
        Ok(self
            .client
            .query_one(
                "SELECT COUNT(*) FROM dictate_jobs WHERE state IN ('queued', 'running')",
                &[],
            )?
            .get(0))
    }

    /// Every job: (input, state, attempts), for tests and tools.
    pub fn jobs(&mut self) -> Result<Vec<(String, String, i32)>> {
        Ok(self
            .client
            .query(
                "SELECT input, state, attempts FROM dictate_jobs ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }

    /// The queue at a glance.
    pub fn status(&mut self) -> Result<Status> {
        let mut counts = [0i64; 4];
        for row in self.client.query(
            "SELECT state, COUNT(*) FROM dictate_jobs GROUP BY state",
            &[],
        )? {
            let state: String = row.get(0);
            let i = ["queued", "running", "done", "failed"]
                .iter()
                .position(|s| *s == state);
            if let Some(i) = i {
                counts[i] = row.get(1);
            }
        }
        let urgent: i64 = self
            .client
            .query_one(
                "SELECT COUNT(*) FROM dictate_jobs WHERE state = 'queued' AND priority > 0",
                &[],
            )?
            .get(0);
        let oldest = self.client.query_opt(
            "SELECT input, EXTRACT(EPOCH FROM now() - queued_at)::float8 FROM dictate_jobs
             WHERE state = 'queued' ORDER BY id LIMIT 1",
            &[],
        )?;
        let mut workers: Vec<WorkerStatus> = Vec::new();
        for row in self.client.query(
            "SELECT worker, host, input, EXTRACT(EPOCH FROM now() - started_at)::float8
             FROM dictate_jobs WHERE state = 'running' ORDER BY worker, id",
            &[],
        )? {
            let (worker, host): (String, String) = (row.get(0), row.get(1));
            let job = Running {
                recording: file_name(&row.get::<_, String>(2)),
                seconds: row.get(3),
            };
            match workers.iter_mut().find(|w| w.worker == worker) {
                Some(w) => w.running.push(job),
                None => workers.push(WorkerStatus {
                    worker,
                    host,
                    running: vec![job],
                    done_last_hour: 0,
                    audio_seconds_last_hour: 0.0,
                }),
            }
        }
        for row in self.client.query(
            "SELECT a.worker, a.host, COUNT(*), COALESCE(SUM(j.audio_seconds), 0)::float8
             FROM dictate_attempts a JOIN dictate_jobs j ON j.id = a.job_id
             WHERE a.outcome = 'done' AND a.ended_at > now() - interval '1 hour'
             GROUP BY a.worker, a.host ORDER BY a.worker",
            &[],
        )? {
            let (worker, host): (String, String) = (row.get(0), row.get(1));
            let w = match workers.iter().position(|w| w.worker == worker) {
                Some(i) => &mut workers[i],
                None => {
                    workers.push(WorkerStatus {
                        worker,
                        host,
                        running: Vec::new(),
                        done_last_hour: 0,
                        audio_seconds_last_hour: 0.0,
                    });
                    workers.last_mut().expect("just pushed")
                }
            };
            w.done_last_hour = row.get(2);
            w.audio_seconds_last_hour = row.get(3);
        }
        workers.sort_by(|a, b| a.worker.cmp(&b.worker));
        let failures = self
            .client
            .query(
                "SELECT input, attempts, COALESCE(error, '') FROM dictate_jobs
                 WHERE state = 'failed' ORDER BY finished_at DESC LIMIT 20",
                &[],
            )?
            .iter()
            .map(|r| Failure {
                input: file_name(&r.get::<_, String>(0)),
                attempts: r.get(1),
                error: r.get(2),
            })
            .collect();
        Ok(Status {
            queued: counts[0],
            urgent,
            running: counts[1],
            done: counts[2],
            failed: counts[3],
            oldest_waiting: oldest.as_ref().map(|r| file_name(&r.get::<_, String>(0))),
            oldest_waiting_seconds: oldest.as_ref().map(|r| r.get(1)),
            workers,
            failures,
        })
    }
}

/// Connects: over TLS where the server offers it (`sslmode=prefer`, the default) or the URL asks
/// for it (`?sslmode=require`), the server's certificate checked against this machine's trusted
/// certificates (a trust's own CA installed with update-ca-certificates, or named by
/// `SSL_CERT_FILE`); plain only with `sslmode=disable`.
fn open(url: &str) -> Result<Client> {
    let config: postgres::Config = url.parse().map_err(|e| {
        anyhow::anyhow!(
            "`{}` is not a queue URL ({e}): write postgres://USER@HOST:PORT/DATABASE",
            without_password(url)
        )
    })?;
    let connected = if config.get_ssl_mode() == SslMode::Disable {
        config.connect(NoTls)
    } else {
        config.connect(tls()?)
    };
    connected.map_err(|e| unreachable(url, &e))
}

/// TLS with this machine's trusted certificates.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for cert in found.certs {
        // A certificate the store holds but rustls cannot use is skipped, as browsers do.
        let _ = roots.add(cert);
    }
    if roots.is_empty() {
        tracing::warn!(
            "no trusted certificates found on this machine (Debian: the ca-certificates \
             package): a queue server offering TLS cannot be checked"
        );
    }
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

fn end_attempt(
    tx: &mut postgres::Transaction<'_>,
    job: &Claimed,
    outcome: &str,
    error: Option<&str>,
) -> Result<()> {
    tx.execute(
        "UPDATE dictate_attempts SET outcome = $3, ended_at = now(), error = $4
         WHERE job_id = $1 AND attempt = $2 AND outcome IS NULL",
        &[&job.id, &job.attempt, &outcome, &error],
    )?;
    Ok(())
}

/// A path's last part: status shows file names, not the folders (which may name a clinic).
pub(crate) fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned())
}

/// The queue cannot be reached: where (without the password), why, and what to check.
fn unreachable(url: &str, e: &postgres::Error) -> anyhow::Error {
    let cause = std::error::Error::source(e).map_or_else(String::new, |s| format!(" ({s})"));
    anyhow::anyhow!(
        "cannot reach the job queue at {}: {e}{cause}; check that PostgreSQL is running there \
         and that the user may connect (the URL's form: postgres://USER@HOST:PORT/DATABASE; \
         for a server whose certificate this machine does not trust, install its CA with \
         update-ca-certificates or name it in SSL_CERT_FILE)",
        without_password(url)
    )
}

/// The URL with any password replaced by `***`, for messages and logs.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((auth, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_url_is_shown_without_its_password() {
        assert_eq!(
            without_password("postgres://dictate:s3cret@db.trust.nhs.uk:5432/letters"),
            "postgres://dictate:***@db.trust.nhs.uk:5432/letters"
        );
        assert_eq!(
            without_password("postgres://dictate@localhost/letters"),
            "postgres://dictate@localhost/letters"
        );
        assert_eq!(without_password("host=db user=x"), "host=db user=x");
    }
}
