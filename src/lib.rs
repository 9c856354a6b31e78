//! `dictate`: recorded clinician dictation in, draft letters out, all on this machine.
//!
//! The pipeline is stages over owned types (see ARCHITECTURE.md):
//! audio -> samples -> transcript -> letter model -> rendered text -> document.

pub mod audio;
pub mod batch;
pub mod cli;
pub mod commands;
pub mod config;
pub mod docx;
pub mod eval;
pub mod exit;
pub mod filter;
pub mod fsio;
pub mod header;
pub mod ledger;
pub mod letter;
pub mod listen;
pub mod model;
pub mod numbers;
pub mod pipeline;
pub mod record;
pub mod render;
pub mod report;
pub mod run;
pub mod spelling;
pub mod split;
pub mod terms;
pub mod transcribe;
pub mod transcript;
pub mod watch;
