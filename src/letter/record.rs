//! The JSON record written beside each letter: where it came from, which model, how long each
//! stage took, the raw transcript and the final text. Plain data; the caller writes the file.

use serde::{Deserialize, Serialize};

use crate::asr::filter::Removed;
use crate::asr::transcript::Transcript;
use crate::audio::SourceFormat;
use crate::text::numbers::Flag;
use crate::text::terms::Correction;

#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub dictate_version: &'static str,
    /// "clinic" or "referral".
    pub letter_kind: crate::letter::kind::LetterKind,
    pub source: Source,
    pub model: ModelUsed,
    pub timings: Timings,
    pub transcript: Transcript,
    /// Whisper's text before anything was removed.
    pub raw_text: String,
    /// What was dropped as not dictated (annotations, fillers over silence, loops).
    pub removed: Removed,
    pub final_text: String,
    /// What the secretary must check.
    pub flags: Vec<Flag>,
    /// Every change the terminology pass made: heard, written, when, how sure.
    pub corrections: Vec<Correction>,
    /// Terms the pass found by their letters and sound but did not write, because the recording
    /// did not support them (with its scores): the heard words stand.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub declined_corrections: Vec<Correction>,
    /// Dictation the layout moved (header words that are no field, words after the sign-off):
    /// what, and from where; each is in the letter and in `flags` with its time.
    pub moved: Vec<crate::letter::header::Moved>,
    /// Heard words the letter does not hold as heard, each run with its time and what took it
    /// (a spoken command, the header's keywords, "scratch that"); `removed.spans` lists the text
    /// the filter took and `corrections` the words a term replaced.
    pub consumed: Vec<Consumed>,
    /// For a recording of several letters ("next letter"), which one this is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter_in_recording: Option<Position>,
    /// The letter as laid out, each word with the audio it came from (what the review desk
    /// shows and plays).
    pub document: Vec<DocBlock>,
    /// Who the letter is about, to and from, and how urgent: the review desk's worklist.
    pub header: HeaderFacts,
    /// The practice's letterhead lines the DOCX carries (the review desk writes the approved
    /// letter with them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub letterhead: Vec<String>,
    pub outputs: Outputs,
}

/// The letter's header as laid out (dictated, or from the sidecar and the practice's config).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeaderFacts {
    pub patient: Option<String>,
    pub recipient: Option<String>,
    /// The dictating clinician.
    pub author: Option<String>,
    /// "Urgent", "Routine", or none said.
    pub priority: Option<String>,
    /// The letter's date, UK long form.
    pub date: String,
    /// "Dictated": the sidecar's clinic date or the day the recording was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dictated: Option<String>,
    /// Where `dictated` came from: "the sidecar's clinic date" or "the recording file's
    /// modification time" (a WAV file carries no recording date of its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dictated_from: Option<String>,
    /// "Typed": the day the letter was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed: Option<String>,
    /// The header of the letter's pages after the first (the review desk writes the approved
    /// letter with it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub continuation: Vec<String>,
}

impl From<&crate::letter::build::Letter> for HeaderFacts {
    fn from(l: &crate::letter::build::Letter) -> Self {
        HeaderFacts {
            patient: l.patient.clone(),
            recipient: l.recipient.clone(),
            author: l.author.clone(),
            priority: l.priority.clone(),
            date: l.date.clone(),
            dictated: l.dictated.clone(),
            dictated_from: l.dictated_from.map(str::to_owned),
            typed: Some(l.typed.clone()),
            continuation: l.continuation(),
        }
    }
}

/// A block of the letter as laid out, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocBlock {
    /// "heading", "paragraph", "item", "notes" (the box of things to check), or a paragraph
    /// with a place on the page: "address", "reference", "signature".
    pub kind: String,
    /// Its lines, each a list of words.
    pub lines: Vec<Vec<DocWord>>,
}

/// A word of the letter as laid out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocWord {
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
    /// Seconds into the recording where it was said; none for words the letter's layout wrote
    /// (the template's own words, a sidecar's, the notes).
    pub start: Option<f64>,
    pub end: Option<f64>,
    /// "word", "unsure" (a word Whisper was unsure of: yellow in the letter) or "correction" (a
    /// term the terminology pass wrote: turquoise).
    pub kind: String,
    /// A correction's note: what was heard, how sure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A letter's place in a recording that holds several.
#[derive(Debug, Clone, Serialize)]
pub struct Position {
    /// 1-based.
    pub index: usize,
    pub count: usize,
    /// Seconds into the recording where its words start and end.
    pub start: f64,
    pub end: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub path: String,
    pub sha256: String,
    pub format: SourceFormat,
    pub audio_seconds: f64,
    /// Pieces the model heard it in (one unless it is longer than two minutes).
    pub windows: usize,
    /// Stretches of speech (seconds) the model first passed over and transcribed when heard
    /// again on their own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub heard_again: Vec<[f64; 2]>,
    /// Stretches of speech that gave no words even when heard again (in `flags` too).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_transcribed: Vec<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelUsed {
    pub path: String,
    /// "tiny.en", "base" ... as read from the model's header.
    pub name: String,
    pub threads: usize,
    /// `null` for greedy decoding.
    pub beam_size: Option<usize>,
}

/// Wall seconds per stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    pub read_audio: f64,
    pub transcribe: f64,
    pub letter: f64,
    /// The terminology pass alone (part of `letter`).
    pub terms: f64,
    pub total: f64,
    /// Audio seconds per wall second of transcription.
    pub speed_x_realtime: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Outputs {
    pub docx: String,
    pub json: String,
}

/// A run of heard words that left no word of its own in the letter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consumed {
    pub text: String,
    /// Seconds from the start of the recording.
    pub start: f64,
    pub end: f64,
    /// "spoken command", "header keywords", "scratch that" (the words it took back, and the
    /// command), or "not found in the letter as heard" (rewritten beyond recognition, or moved).
    pub taken_by: &'static str,
}
