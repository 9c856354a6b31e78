//! End-to-end tests: the real `dictate` binary, the real tiny.en model, real audio, real DOCX.
//! The model comes from `scripts/setup.sh` (the README's commands run it); a test that needs it
//! fails loudly when it is missing.

#![allow(clippy::unwrap_used)]

mod access;
mod architecture;
mod audio_formats;
mod batch;
mod cli;
mod corpus;
mod desk;
mod eval;
mod letter;
mod listening;
mod model;
mod package;
mod portable;
mod queue;
mod recordings;
mod review;
mod silence;
mod support;
mod terms;
mod transcribe;
mod watch;
