//! What the service manager is told (systemd's `sd_notify`): `READY=1` once the model is loaded
//! and the inbox is watched or the queue reached, `WATCHDOG=1` while the work moves on, and
//! `STOPPING=1` on SIGTERM. The only module that knows the sd-notify crate.
//!
//! The watchdog proves that every job loop of the process is moving: a loop says it is alive
//! each time it comes round (between recordings, at least every few seconds) and each time the
//! letter it is making moves on (a window of the recording heard). A ping goes out only while
//! every loop has done so within the watchdog interval, so one wedged loop (a hung network
//! share, a stuck decode) stops the pings and systemd restarts the service, even while the other
//! loops are fine. Nothing pings from a thread of its own: a timer thread would go on pinging for
//! a process whose real work has stopped.
//!
//! Without `NOTIFY_SOCKET` (a run from a terminal, cron, the tests) nothing is sent, and a
//! failed send never stops the work: it is logged at debug level.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use sd_notify::NotifyState;

use crate::report::{Reporter, Unit};

/// No ping sent yet.
const NEVER: u64 = u64::MAX;

/// This process as the service manager sees it.
pub struct Service {
    /// The watchdog interval systemd asked for (`WatchdogSec=`), if any.
    watchdog: Option<Duration>,
    start: Instant,
    /// Each job loop's last sign of life, in milliseconds since `start`.
    loops: Vec<AtomicU64>,
    /// When the last ping went out (milliseconds since `start`), or [`NEVER`].
    last_ping: AtomicU64,
}

impl Service {
    /// A service of `loops` job loops (at least one), each alive as of now.
    pub fn new(loops: usize) -> Service {
        Service {
            watchdog: sd_notify::watchdog_enabled(),
            start: Instant::now(),
            loops: (0..loops.max(1)).map(|_| AtomicU64::new(0)).collect(),
            last_ping: AtomicU64::new(NEVER),
        }
    }

    /// Startup is finished: the model is loaded and the work has begun. `status` is shown by
    /// `systemctl status` (no paths: a folder may name a clinic).
    pub fn ready(&self, status: &str) {
        send(&[NotifyState::Ready, NotifyState::Status(status)]);
        self.alive(0);
    }

    /// Job loop `k` came round, or its letter moved on.
    pub fn alive(&self, k: usize) {
        let now = self.now();
        if let Some(slot) = self.loops.get(k) {
            slot.store(now, Ordering::SeqCst);
        }
        let Some(interval) = self.watchdog else {
            return;
        };
        let loops: Vec<u64> = self
            .loops
            .iter()
            .map(|l| l.load(Ordering::SeqCst))
            .collect();
        let last = self.last_ping.load(Ordering::SeqCst);
        if due(&loops, now, last, interval)
            && self
                .last_ping
                .compare_exchange(last, now, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        {
            send(&[NotifyState::Watchdog]);
        }
    }

    /// A [`Reporter`] for loop `k`'s letters: their progress is the loop's sign of life.
    pub fn progress(&self, k: usize) -> Progress<'_> {
        Progress { service: self, k }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(NEVER - 1)
    }
}

/// Is a ping due at `now` (milliseconds)? Only while every loop was alive within the interval,
/// and at most once a second (or four times an interval, if shorter).
fn due(loops: &[u64], now: u64, last_ping: u64, interval: Duration) -> bool {
    let interval_ms = u64::try_from(interval.as_millis()).unwrap_or(u64::MAX);
    let every = (interval_ms / 4).min(1000);
    let all_alive = loops.iter().all(|&t| now.saturating_sub(t) < interval_ms);
    all_alive && (last_ping == NEVER || now.saturating_sub(last_ping) >= every)
}

/// A job loop's letters reporting progress to the service manager (as a sign of life only).
pub struct Progress<'a> {
    service: &'a Service,
    k: usize,
}

impl Reporter for Progress<'_> {
    fn start(&self, _task: &str, _total: Option<u64>, _unit: Unit) {
        self.service.alive(self.k);
    }
    fn advance(&self, _n: u64) {
        self.service.alive(self.k);
    }
    fn message(&self, _message: &str) {
        self.service.alive(self.k);
    }
    fn finish(&self) {
        self.service.alive(self.k);
    }
}

/// A flag set by SIGTERM or Ctrl-C (the service then finishes its current letter and stops),
/// telling the service manager it is stopping.
pub fn stop_on_sigterm() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || {
        flag.store(true, Ordering::SeqCst);
        send(&[NotifyState::Stopping]);
    })
    .context("cannot install the SIGTERM / Ctrl-C handler")?;
    Ok(stop)
}

fn send(state: &[NotifyState<'_>]) {
    if let Err(e) = sd_notify::notify(state) {
        tracing::debug!("cannot tell the service manager {state:?}: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(loops: &[u64], now: u64, last_ping: u64, interval_s: u64, expected: bool) {
        assert_eq!(
            due(loops, now, last_ping, Duration::from_secs(interval_s)),
            expected,
            "loops {loops:?} now {now} last ping {last_ping} interval {interval_s} s"
        );
    }

    #[test]
    fn pings_only_while_every_loop_moves() {
        // The first sign of life pings.
        check(&[0], 0, NEVER, 600, true);
        // Not more than once a second.
        check(&[5000], 5000, 4500, 600, false);
        check(&[5000], 5000, 4000, 600, true);
        // A short interval pings four times an interval.
        check(&[5000], 5000, 4500, 2, true);
        // One loop silent for the whole interval stops the pings, however lively the others.
        check(&[700_000, 100_000], 700_000, 600_000, 600, false);
        check(&[700_000, 100_001], 700_000, 600_000, 600, true);
    }
}
