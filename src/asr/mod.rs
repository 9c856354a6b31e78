//! Hearing: the Whisper model and what surrounds it. `transcribe` and `score` are the only code
//! that knows whisper-rs (`score` forces its decoder through given texts, to weigh spellings
//! against the audio); `listen` drives the model over a recording's windows and, with
//! `coverage`, hears again speech it passed over; `filter` removes what the model invents;
//! `transcript` is the plain data the later stages read; `model` gets, converts and checks model
//! files. Nothing here knows about letters, terms or templates.

pub mod coverage;
pub mod filter;
pub mod listen;
pub mod model;
pub mod score;
pub mod silence;
pub mod transcribe;
pub mod transcript;
