//! Many recordings: `batch` (a folder, resumable), `watch` (an inbox service) and the SQLite
//! `ledger` they share; beyond one machine, the PostgreSQL `queue` and its `worker`s, with `setup` loading what every job needs once and `systemd` telling the service manager how
//! the service is. One recording's work is
//! the pipeline's; this layer decides which recordings, in what order, and what is recorded.

pub mod batch;
pub mod ledger;
pub mod queue;
pub mod setup;
pub mod systemd;
pub mod watch;
pub mod worker;
