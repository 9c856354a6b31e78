//! The shared PostgreSQL job queue, run as a trust runs it: a real PostgreSQL server (Debian's
//! postgresql, a throwaway cluster made with initdb in a temporary folder, on a free port, as an
//! unprivileged user), `dictate submit` and several `dictate worker` processes with the real
//! model, killed, frozen and cut off from the database on purpose.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// A PostgreSQL cluster of its own, stopped (and its folder removed) when dropped.
struct Postgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    /// More server settings (`-c name=value ...`).
    extra: String,
}

impl Postgres {
    fn start() -> Postgres {
        Postgres::start_with(|_| String::new())
    }

    /// A cluster whose server also gets the settings `extra` returns, given its folder (made
    /// and owned by the server's user by then).
    fn start_with(extra: impl FnOnce(&Path) -> String) -> Postgres {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|d| {
                let mut versions: Vec<PathBuf> = d
                    .filter_map(Result::ok)
                    .map(|e| e.path().join("bin"))
                    .filter(|b| b.join("initdb").is_file())
                    .collect();
                versions.sort();
                versions.pop()
            })
            .expect(
                "\n\nMISSING POSTGRESQL: the queue tests run a real PostgreSQL server. Install \
                 Debian's postgresql package (scripts/test.sh does).\n",
            );
        let dir = tempdir();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // PostgreSQL will not run as root: the cluster belongs to `nobody` when the tests do.
        if is_root() {
            let ok = Command::new("chown")
                .args(["-R", "nobody"])
                .arg(dir.path())
                .status()
                .unwrap()
                .success();
            assert!(ok, "cannot give the test cluster's folder to nobody");
        }
        let mut pg = Postgres {
            bin,
            dir,
            port,
            extra: String::new(),
        };
        let out = pg
            .as_owner(&pg.bin.join("initdb"))
            .args(["-A", "trust", "-U", "dictate", "-E", "UTF8", "-D"])
            .arg(pg.data())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        pg.extra = extra(pg.dir.path());
        pg.run();
        pg
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn url(&self) -> String {
        format!("postgres://dictate@127.0.0.1:{}/postgres", self.port)
    }

    /// `program` as the cluster's owner, run in the cluster's folder (which that user may enter).
    fn as_owner(&self, program: &Path) -> Command {
        let mut c = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        c.current_dir(self.dir.path());
        c
    }

    /// Starts the server and waits until it takes connections.
    fn run(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off {}",
            self.port,
            self.dir.path().display(),
            self.extra
        );
        let out = self
            .as_owner(&self.bin.join("pg_ctl"))
            .args(["-w", "-t", "60", "-o", &options, "-l"])
            .arg(self.dir.path().join("server.log"))
            .arg("-D")
            .arg(self.data())
            .arg("start")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "PostgreSQL did not start: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    /// Stops the server (fast: open connections are cut).
    fn stop(&self) {
        let _ = self
            .as_owner(&self.bin.join("pg_ctl"))
            .args(["-w", "-m", "fast", "-D"])
            .arg(self.data())
            .arg("stop")
            .stdout(Stdio::null())
            .status();
    }

    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url(), postgres::NoTls).unwrap()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `count` recordings of ten seconds each, every one different (cut from a sample at a
/// different place), in `dir` and a subfolder of it.
fn recordings(dir: &Path, count: usize) -> Vec<PathBuf> {
    let mut reader = hound::WavReader::open(sample("s03_asthma_clinic.wav")).unwrap();
    let spec = reader.spec();
    let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    let rate = spec.sample_rate as usize;
    std::fs::create_dir_all(dir.join("clinic b")).unwrap();
    (0..count)
        .map(|i| {
            let from = (i % 25) * rate + (i / 25) * rate / 3;
            let clip = &samples[from..(from + 10 * rate).min(samples.len())];
            let sub = if i % 3 == 0 { "clinic b" } else { "" };
            let path = dir.join(sub).join(format!("rec{i:02}.wav"));
            let mut w = hound::WavWriter::create(&path, spec).unwrap();
            for s in clip {
                w.write_sample(*s).unwrap();
            }
            w.finalize().unwrap();
            path
        })
        .collect()
}

/// `dictate submit INBOX --out LETTERS --queue URL`: its exit code, stdout and stderr.
fn submit(url: &str, letters: &Path, inbox: &Path) -> (Option<i32>, String, String) {
    finish(
        dictate()
            .args(["submit", "--queue", url, "--out"])
            .arg(letters)
            .arg(inbox),
        120,
    )
}

/// A `dictate worker` on the queue with one thread, its messages to `log`.
fn worker(url: &str, lease: u32, log: &Path) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("dictate"))
        .env_remove("DICTATE_CONFIG")
        .env("DICTATE_MODEL", model())
        .args(["--threads", "1", "worker", "--until-empty", "--queue", url])
        .args(["--lease", &lease.to_string()])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .expect("dictate worker starts")
}

/// Waits (up to `secs`) for `check` to give something.
fn wait_for<T>(secs: u64, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < until, "waited {secs} s for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The job a worker process holds now, if any.
fn job_of(pg: &Postgres, pid: u32) -> Option<i64> {
    pg.client()
        .query_opt(
            "SELECT id FROM dictate_jobs WHERE state = 'running' AND worker LIKE $1",
            &[&format!("%:{pid}")],
        )
        .ok()
        .flatten()
        .map(|r| r.get(0))
}

fn signal(child: &Child, sig: &str) {
    // The shell's own kill: no procps needed.
    let ok = Command::new("sh")
        .args(["-c", &format!("kill -{sig} {}", child.id())])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{sig}");
}

/// Every file under `dir` with extension `ext`, hidden folders included.
fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_with(&p, ext));
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
    out
}

/// Exactly one whole letter per recording: a DOCX and a record each, each record of another
/// recording, each DOCX a whole document where its record says it is; the recordings untouched.
fn one_whole_letter_each(letters: &Path, recs: &[PathBuf]) {
    let docx = files_with(letters, "docx");
    let json = files_with(letters, "json");
    assert_eq!(docx.len(), 30, "{docx:?}");
    assert_eq!(json.len(), 30, "{json:?}");
    let mut recordings_done = std::collections::BTreeSet::new();
    for record in &json {
        let r: serde_json::Value = serde_json::from_slice(&std::fs::read(record).unwrap()).unwrap();
        recordings_done.insert(r["source"]["path"].as_str().unwrap().to_owned());
        let letter = PathBuf::from(r["outputs"]["docx"].as_str().unwrap());
        assert!(letter.is_file(), "{record:?} names {letter:?}");
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&letter).unwrap())
            .unwrap_or_else(|e| panic!("{letter:?} is not a whole DOCX: {e}"));
        assert!(zip.by_name("word/document.xml").is_ok(), "{letter:?}");
    }
    assert_eq!(recordings_done.len(), 30);
    for r in recs {
        assert!(
            recordings_done.contains(&r.canonicalize().unwrap().display().to_string()),
            "no letter for {r:?}"
        );
        assert!(r.is_file(), "a recording was moved or deleted: {r:?}");
    }
    // Letters keep the recordings' subfolders; nothing is left staged, not even by the killed
    // worker (its job's next attempt clears what it left).
    assert_eq!(files_with(&letters.join("clinic b"), "docx").len(), 10);
    for dir in [letters.to_owned(), letters.join("clinic b")] {
        let staging = dir.join(".dictate-staging");
        let left: Vec<_> = std::fs::read_dir(&staging)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "left staged: {left:?}");
    }
}

/// Every job done once in the end; the attempts of the killed and the frozen worker's jobs say
/// they were lost, then done.
fn every_job_done_once(pg: &Postgres, lost_by_kill: i64, lost_by_freeze: i64) {
    let mut db = pg.client();
    let states: Vec<(String, i64)> = db
        .query(
            "SELECT state, COUNT(*) FROM dictate_jobs GROUP BY state",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(states, [("done".to_owned(), 30)]);
    let mut outcomes = |job: i64| -> Vec<String> {
        db.query(
            "SELECT COALESCE(outcome, 'open') FROM dictate_attempts WHERE job_id = $1 ORDER BY attempt",
            &[&job],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    let killed_job = outcomes(lost_by_kill);
    assert_eq!(
        killed_job.first().map(String::as_str),
        Some("lost"),
        "{killed_job:?}"
    );
    assert_eq!(
        killed_job.last().map(String::as_str),
        Some("done"),
        "{killed_job:?}"
    );
    let frozen_job = outcomes(lost_by_freeze);
    assert!(frozen_job.len() >= 2, "{frozen_job:?}");
    assert_eq!(
        frozen_job.first().map(String::as_str),
        Some("lost"),
        "{frozen_job:?}"
    );
    assert!(frozen_job.contains(&"done".to_owned()), "{frozen_job:?}");
    let attempts: i64 = db
        .query_one("SELECT SUM(attempts)::bigint FROM dictate_jobs", &[])
        .unwrap()
        .get(0);
    assert!(
        attempts >= 32,
        "{attempts} attempts for 30 jobs, two of them lost"
    );
}

#[test]
fn workers_killed_frozen_and_cut_off_from_the_database_still_give_one_whole_letter_each() {
    let pg = Postgres::start();
    let url = pg.url();
    let work = tempdir();
    let inbox = work.path().join("inbox");
    let letters = work.path().join("letters");
    let recs = recordings(&inbox, 30);

    // Submitted twice (a nervous secretary): the second queues nothing.
    let (code, out, err) = submit(&url, &letters, &inbox);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("30 recordings queued, 0 already"), "{out}");
    let (code, out, err) = submit(&url, &letters, &inbox);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("0 recordings queued, 30 already"), "{out}");
    let jobs: i64 = pg
        .client()
        .query_one("SELECT COUNT(*) FROM dictate_jobs", &[])
        .unwrap()
        .get(0);
    assert_eq!(jobs, 30);

    let logs = tempdir();
    let log = |n: &str| logs.path().join(format!("{n}.log"));
    let lease = 6;
    let mut killed = worker(&url, lease, &log("killed"));
    let mut frozen = worker(&url, lease, &log("frozen"));
    let mut steady = worker(&url, lease, &log("steady"));

    // One worker killed outright in the middle of a job.
    let lost_by_kill = wait_for(120, "the first worker to take a job", || {
        job_of(&pg, killed.id())
    });
    signal(&killed, "KILL");
    killed.wait().unwrap();
    // Another frozen in the middle of a job, well past its lease, then let go.
    let lost_by_freeze = wait_for(120, "the second worker to take a job", || {
        job_of(&pg, frozen.id())
    });
    signal(&frozen, "STOP");
    let frozen_at = Instant::now();
    // While it is frozen, the database restarts under the steady worker, which is mid-run.
    std::thread::sleep(Duration::from_secs(1));
    let before = pg
        .client()
        .query_one(
            "SELECT COUNT(*) FROM dictate_jobs WHERE state = 'done'",
            &[],
        )
        .unwrap()
        .get::<_, i64>(0);
    assert!(
        before < 25,
        "the run is nearly over before the restart: {before} done"
    );
    pg.stop();
    std::thread::sleep(Duration::from_secs(3));
    pg.run();
    let thawed = Duration::from_secs(u64::from(lease) + 6);
    std::thread::sleep(thawed.saturating_sub(frozen_at.elapsed()));
    signal(&frozen, "CONT");

    let ended = |child: &mut Child, name: &str| {
        let status = wait_for(900, name, || child.try_wait().unwrap());
        let text = std::fs::read_to_string(log(name)).unwrap_or_default();
        assert_eq!(status.code(), Some(0), "{name}: {text}");
        text
    };
    let frozen_log = ended(&mut frozen, "frozen");
    let steady_log = ended(&mut steady, "steady");
    // The database going away was noticed and lived through by someone.
    assert!(
        format!("{frozen_log}{steady_log}").contains("the job queue is back"),
        "{frozen_log}\n{steady_log}"
    );

    one_whole_letter_each(&letters, &recs);

    every_job_done_once(&pg, lost_by_kill, lost_by_freeze);

    // The fleet as status shows it: the counts, and each worker that finished jobs.
    let (code, out, err) = finish(dictate().args(["status", "--queue", &url]), 60);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("0 queued, 0 running, 30 done, 0 failed"),
        "{out}"
    );
    assert!(
        out.contains(&format!(":{} on ", steady.id())),
        "the steady worker is listed: {out}"
    );
    assert!(
        !out.contains("/inbox/"),
        "status names files, not folders: {out}"
    );
}

#[test]
fn a_recording_changed_or_gone_after_it_was_queued_fails_clearly() {
    let pg = Postgres::start();
    let url = pg.url();
    let work = tempdir();
    let inbox = work.path().join("inbox");
    let recs = recordings(&inbox, 3);
    let (code, _, err) = submit(&url, &work.path().join("letters"), &inbox);
    assert_eq!(code, Some(0), "{err}");
    // One recording is re-recorded over (its content changes), one deleted.
    let mut changed = std::fs::read(&recs[1]).unwrap();
    changed.extend_from_slice(&[0u8; 64]);
    std::fs::write(&recs[1], changed).unwrap();
    std::fs::remove_file(&recs[2]).unwrap();
    let (code, _, err) = finish(
        dictate().args(["--threads", "1", "worker", "--until-empty", "--queue", &url]),
        600,
    );
    assert_eq!(code, Some(1), "some failed: {err}");
    let (code, out, err) = finish(dictate().args(["status", "--queue", &url]), 60);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("1 done, 2 failed"), "{out}");
    assert!(
        out.contains("failed: rec01.wav after 1 attempt")
            && out.contains("has changed since it was queued"),
        "{out}"
    );
    assert!(
        out.contains("failed: rec02.wav after 1 attempt")
            && out.contains("is gone from where it was queued"),
        "{out}"
    );
    // A queue URL that answers nothing: a clear error and exit 2, the password not shown.
    let (code, _, err) = finish(
        dictate().args([
            "status",
            "--queue",
            "postgres://dictate:hunter2@127.0.0.1:1/none",
        ]),
        60,
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("cannot reach the job queue at postgres://dictate:***@127.0.0.1:1/none"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn an_inbox_feeds_the_queue_and_batch_works_the_queue_to_its_end() {
    let pg = Postgres::start();
    let url = pg.url();
    let work = tempdir();
    let inbox = work.path().join("inbox");
    let letters = work.path().join("letters");
    recordings(&inbox, 3);
    // The watcher archives each complete recording and queues it; it writes no letter itself.
    let (code, out, err) = finish(
        dictate()
            .args(["watch", "--once", "--settle", "0", "--queue", &url, "--out"])
            .arg(&letters)
            .arg(&inbox),
        120,
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("3 recordings queued"), "{out}");
    assert!(files_with(&letters, "docx").is_empty());
    assert_eq!(files_with(&inbox.join("archive"), "wav").len(), 3);
    let queued: Vec<String> = pg
        .client()
        .query("SELECT input FROM dictate_jobs ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(queued.len(), 3);
    assert!(
        queued.iter().all(|p| p.contains("/inbox/archive/")),
        "{queued:?}"
    );

    // `batch --queue` queues its own folder, then works the queue until it is empty: the
    // watcher's three and its own two.
    let more = work.path().join("more");
    let more_recs = recordings(&more, 5);
    for r in &more_recs[..3] {
        std::fs::remove_file(r).unwrap();
    }
    let (code, out, err) = finish(
        dictate()
            .args(["--threads", "2", "batch", "--queue", &url, "--out"])
            .arg(&letters)
            .arg(&more),
        600,
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("2 recordings queued"), "{out}");
    assert_eq!(files_with(&letters, "docx").len(), 5, "{err}");
    let (_, status, _) = finish(dictate().args(["status", "--queue", &url]), 60);
    assert!(
        status.contains("0 queued, 0 running, 5 done, 0 failed"),
        "{status}"
    );
}

#[test]
fn an_urgent_recording_is_taken_first_and_an_older_schema_is_moved_forward() {
    let pg = Postgres::start();
    let url = pg.url();
    // A queue made by an earlier dictate (schema version 1, one job waiting in it).
    let mut db = pg.client();
    db.batch_execute(
        "CREATE TABLE dictate_schema (version INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
         INSERT INTO dictate_schema (version) VALUES (1);
         CREATE TABLE dictate_jobs (id BIGSERIAL PRIMARY KEY, input TEXT NOT NULL,
             job_key TEXT NOT NULL, out_dir TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued'
             CHECK (state IN ('queued', 'running', 'done', 'failed')),
             attempts INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL DEFAULT 3,
             worker TEXT, host TEXT, lease_until TIMESTAMPTZ,
             queued_at TIMESTAMPTZ NOT NULL DEFAULT now(), started_at TIMESTAMPTZ,
             finished_at TIMESTAMPTZ, model TEXT, audio_seconds DOUBLE PRECISION,
             wall_seconds DOUBLE PRECISION, letters INTEGER, corrections INTEGER, flags INTEGER,
             docx TEXT, json TEXT, error TEXT, UNIQUE (job_key));
         CREATE INDEX dictate_jobs_waiting ON dictate_jobs (id)
             WHERE state IN ('queued', 'running');
         CREATE TABLE dictate_attempts (job_id BIGINT NOT NULL REFERENCES dictate_jobs (id),
             attempt INTEGER NOT NULL, worker TEXT NOT NULL, host TEXT NOT NULL,
             started_at TIMESTAMPTZ NOT NULL DEFAULT now(), ended_at TIMESTAMPTZ,
             outcome TEXT CHECK (outcome IN ('done', 'failed', 'lost')), error TEXT,
             PRIMARY KEY (job_id, attempt));",
    )
    .unwrap();
    let work = tempdir();
    let inbox = work.path().join("inbox");
    let recs = recordings(&inbox, 4);
    let letters = work.path().join("letters");
    // The oldest job, queued by the earlier version.
    db.execute(
        "INSERT INTO dictate_jobs (input, job_key, out_dir) VALUES ($1, $2, $3)",
        &[
            &recs[1].canonicalize().unwrap().display().to_string(),
            &crate::support::sha256(&recs[1]),
            &letters
                .canonicalize()
                .unwrap_or(letters.clone())
                .display()
                .to_string(),
        ],
    )
    .unwrap();
    // The last recording in the folder is urgent, by its sidecar.
    std::fs::write(recs[3].with_extension("json"), r#"{"priority": "urgent"}"#).unwrap();
    let (code, out, err) = submit(&url, &letters, &inbox);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("3 recordings queued, 1 already"), "{out}");
    let version: i32 = db
        .query_one("SELECT MAX(version) FROM dictate_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 2, "the schema moved forward");
    let (_, status, _) = finish(dictate().args(["status", "--queue", &url]), 60);
    assert!(status.contains("4 queued (1 urgent)"), "{status}");
    let (code, _, err) = finish(
        dictate().args(["--threads", "1", "worker", "--until-empty", "--queue", &url]),
        600,
    );
    assert_eq!(code, Some(0), "{err}");
    let order: Vec<String> = db
        .query(
            "SELECT j.input FROM dictate_attempts a JOIN dictate_jobs j ON j.id = a.job_id
             ORDER BY a.started_at",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| file_name_of(&r.get::<_, String>(0)))
        .collect();
    assert_eq!(order, ["rec03.wav", "rec01.wav", "rec00.wav", "rec02.wav"]);
}

fn file_name_of(path: &str) -> String {
    Path::new(path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn the_queue_is_reached_over_tls_with_the_servers_certificate_checked() {
    // A trust's own certificate authority, and the server's certificate for 127.0.0.1 signed by
    // it, made with openssl.
    let pg = Postgres::start_with(|dir| {
        let openssl = |args: &[&str]| {
            let ok = Command::new("openssl")
                .current_dir(dir)
                .args(args)
                .stderr(Stdio::null())
                .status()
                .expect("this test needs openssl (Debian's ca-certificates brings it)")
                .success();
            assert!(ok, "openssl {args:?} failed");
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Test Trust CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        ]);
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=queue.test",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-keyout",
            "server.key",
            "-out",
            "server.crt",
        ]);
        if is_root() {
            for f in ["server.key", "server.crt"] {
                Command::new("chown")
                    .arg("nobody")
                    .arg(dir.join(f))
                    .status()
                    .unwrap();
            }
        }
        format!(
            "-c ssl=on -c ssl_cert_file={0}/server.crt -c ssl_key_file={0}/server.key -c log_connections=on",
            dir.display()
        )
    });
    let url = format!("{}?sslmode=require", pg.url());
    let status = |cert: Option<&Path>| {
        let mut cmd = dictate();
        cmd.args(["status", "--queue", &url]);
        match cert {
            Some(c) => cmd.env("SSL_CERT_FILE", c),
            None => cmd.env("SSL_CERT_FILE", "/nonexistent"),
        };
        finish(&mut cmd, 60)
    };
    // Not trusting the server's certificate: refused, and told what to do.
    let (code, _, err) = status(None);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("certificate") && err.contains("SSL_CERT_FILE"),
        "{err}"
    );
    // Trusting it: the queue answers, over TLS (the server's log says so).
    let (code, out, err) = status(Some(&pg.dir.path().join("ca.crt")));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("0 queued, 0 running, 0 done, 0 failed"),
        "{out}"
    );
    let log = std::fs::read_to_string(pg.dir.path().join("server.log")).unwrap();
    assert!(log.contains("SSL enabled"), "{log}");
}
