//! `dictate`: recorded clinician dictation in, draft letters out, all on this machine.
//!
//! One folder per stage of the pipeline (see ARCHITECTURE.md), imports only running down:
//! `cli` -> `desk` -> `jobs` -> `config` -> `pipeline` -> `eval`, `letter` -> `text` -> `asr` -> `audio` -> the shared
//! small modules (`fsio`, `report`, `exit`).

pub mod asr;
pub mod audio;
pub mod cli;
pub mod config;
pub mod desk;
pub mod eval;
pub mod exit;
pub mod fsio;
pub mod jobs;
pub mod letter;
pub mod pipeline;
pub mod report;
pub mod text;
