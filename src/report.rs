//! How long-running work tells the user how it is going. The library calls a [`Reporter`]; the
//! binary implements it with progress bars. Nothing in the library prints: a command writes its
//! results and per-file problems to the [`Output`] its caller gives it.

use std::io::Write;

/// Receives progress from long-running work. All methods have do-nothing defaults.
pub trait Reporter: Sync {
    /// A task begins; `total` is its size in `unit`s when known.
    fn start(&self, _task: &str, _total: Option<u64>, _unit: Unit) {}
    /// The current task moved on by `n` units.
    fn advance(&self, _n: u64) {}
    /// The current task's message changed ("12 of 100 files, 1.4 h of audio").
    fn message(&self, _message: &str) {}
    /// The current task ended.
    fn finish(&self) {}
    /// A message worth showing (not an error): a fallback taken, a file skipped.
    fn note(&self, _message: &str) {}
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Bytes,
    Files,
}

/// A reporter that shows nothing (tests, `--quiet`).
pub struct Silent;

impl Reporter for Silent {}

/// Where a command's output goes: `out` for results, `err` for per-file problems.
pub struct Output<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}
