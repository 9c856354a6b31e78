//! Many recordings: `batch` (a folder, resumable), `watch` (an inbox service) and the SQLite
//! `ledger` they share, with `setup` loading what every job needs once. One recording's work is
//! the pipeline's; this layer decides which recordings, in what order, and what is recorded.

pub mod batch;
pub mod ledger;
pub mod setup;
pub mod watch;
