//! Hearing: the Whisper model and what surrounds it. `transcribe` is the only code that knows
//! whisper-rs; `listen` drives it over a recording's windows; `filter` removes what the model
//! invents; `transcript` is the plain data the later stages read; `model` gets, converts and
//! checks model files. Nothing here knows about letters, terms or templates.

pub mod filter;
pub mod listen;
pub mod model;
pub mod transcribe;
pub mod transcript;
