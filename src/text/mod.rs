//! Words to a letter's text, all pure (a string or transcript in, a value out): spoken commands
//! (`commands`), numbers, doses, dates and NHS numbers (`numbers`), British spelling
//! (`spelling`), the terminology pass (`terms`), and a recording of several letters cut into one
//! transcript each (`split`). Nothing here knows whisper-rs, reads files at run time (but the
//! lexicon's lists) or lays out a letter.

pub mod commands;
pub mod numbers;
pub mod spelling;
pub mod split;
pub mod terms;
