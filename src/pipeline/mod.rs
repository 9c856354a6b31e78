//! One dictation to one letter: read the audio, transcribe, build and render the letter, write
//! the DOCX and the JSON record. It wires the stages together and owns the output files; the
//! stages themselves live in their own modules.

mod inputs;
mod listener;
mod names;
mod review;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::asr::filter;
use crate::asr::listen::{self, Heard};
use crate::asr::transcribe::Transcriber;
use crate::asr::transcript::Transcript;
use crate::fsio::sha256_file;
use crate::fsio::{self, Access};
use crate::letter::build as letter;
use crate::letter::docx;
use crate::letter::kind::LetterKind;
use crate::letter::record::{Consumed, ModelUsed, Outputs, Position, Record, Source, Timings};
use crate::letter::render::{self, Templates};
use crate::letter::sidecar::Sidecar;
use crate::letter::site::Site;
use crate::report::{Reporter, Unit};
use crate::text::numbers::Flag;
use crate::text::split;
use crate::text::terms::{self, Lexicon};

/// Where raw transcripts come from.
pub enum Hearing<'a> {
    /// The loaded Whisper model.
    Model(&'a mut Transcriber),
    /// `<dir>/<stem>.json` records of an earlier run (their transcript, tokens and all), else
    /// `<dir>/<stem>.txt` files: another engine's transcripts, put through the same letter
    /// pipeline (for comparisons, and to re-run the letter stages without the model).
    TextFiles(PathBuf),
}

/// What every letter job shares: the loaded model and templates, where letters go.
pub struct LetterJobs<'a> {
    pub hearing: Hearing<'a>,
    pub templates: &'a Templates,
    /// The terminology pass's lexicon; `None` leaves Whisper's words as heard.
    pub lexicon: Option<&'a Lexicon>,
    pub out_dir: PathBuf,
    /// Who may read the letters and records besides their owner.
    pub access: Access,
    pub overwrite: bool,
    /// The letter date.
    pub today: time::Date,
    /// Letterhead, clinicians, copy rules.
    pub site: &'a Site,
    /// Where to show how far into a long recording the model is (`dictate letter` on a
    /// terminal); `None` shows nothing.
    pub progress: Option<&'a dyn Reporter>,
}

/// One recording done: the letters it held (one, unless the clinician said "next letter").
#[derive(Debug, Clone)]
pub struct Written {
    pub input: PathBuf,
    pub audio_seconds: f64,
    pub transcribe_seconds: f64,
    pub wall_seconds: f64,
    pub letters: Vec<LetterWritten>,
}

impl Written {
    /// The first letter (every recording has at least one).
    pub fn first(&self) -> &LetterWritten {
        &self.letters[0]
    }

    /// Things for the secretary to check, in all its letters.
    pub fn flags(&self) -> usize {
        self.letters.iter().map(|l| l.flags).sum()
    }

    /// Terms corrected, in all its letters.
    pub fn corrections(&self) -> usize {
        self.letters.iter().map(|l| l.corrections.len()).sum()
    }
}

/// A finished letter.
#[derive(Debug, Clone)]
pub struct LetterWritten {
    pub docx: PathBuf,
    pub json: PathBuf,
    pub letter_kind: LetterKind,
    /// The letter's text as the secretary reads it.
    pub final_text: String,
    /// The dictated body alone (no template lines), paragraphs separated by blank lines.
    pub body_text: String,
    /// What the terminology pass changed.
    pub corrections: Vec<terms::Correction>,
    /// Seconds the terminology pass took.
    pub terms_seconds: f64,
    /// How many things the secretary is asked to check.
    pub flags: usize,
}

/// Where a letter sits in a recording of several, noted in the letter (`None` for a recording's
/// only letter).
fn position_in_recording(
    part: &Part<'_>,
    transcript: &Transcript,
    letter: &mut letter::Letter,
    file_name: &str,
) -> Option<Position> {
    let p = (part.count > 1).then(|| Position {
        index: part.index,
        count: part.count,
        start: transcript.segments.first().map_or(0.0, |s| s.start),
        end: transcript.segments.last().map_or(0.0, |s| s.end),
    })?;
    letter.notes.push(format!(
        "letter {} of {} dictated in {file_name}, from {} to {}",
        p.index,
        p.count,
        review::clock(p.start),
        review::clock(p.end)
    ));
    Some(p)
}

/// Names, in the letter's notes, each stretch of speech in its part of the recording that gave
/// no words even when heard again.
fn note_unheard_speech(part: &Part<'_>, transcript: &Transcript, letter: &mut letter::Letter) {
    let (from, to) = (
        transcript.segments.first().map_or(0.0, |s| s.start),
        transcript.segments.last().map_or(f64::MAX, |s| s.end),
    );
    for gap in &part.heard.unheard {
        let mine =
            (part.index == 1 || gap.start >= from) && (part.index == part.count || gap.start < to);
        if !mine {
            continue;
        }
        let message = format!(
            "Speech from {} to {} gave no words from the speech recogniser: listen and type \
             what was said",
            review::clock(gap.start),
            review::clock(gap.end)
        );
        letter.notes.push(message.clone());
        letter.flags.push(crate::text::numbers::Flag {
            kind: "speech_not_transcribed",
            message,
        });
    }
}

/// `-v`: a letter's stages after hearing, with their times (file names only).
fn log_stages(w: &LetterWritten, started: Instant) {
    let name = w
        .docx
        .file_stem()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    tracing::info!(
        "{name}: terminology pass in {:.2} s ({} written)",
        w.terms_seconds,
        w.corrections.len()
    );
    tracing::info!(
        "{name}: letter laid out and written in {:.2} s ({} flag{})",
        started.elapsed().as_secs_f64(),
        w.flags,
        if w.flags == 1 { "" } else { "s" }
    );
}

/// The day a recording was made, as its file says (its modification time, in local time where
/// the system knows its offset): a WAV file carries no recording date of its own.
fn recorded_on(input: &Path) -> Option<time::Date> {
    let modified = std::fs::metadata(input).ok()?.modified().ok()?;
    let offset = time::UtcOffset::current_local_offset().unwrap_or(time::UtcOffset::UTC);
    Some(
        time::OffsetDateTime::from(modified)
            .to_offset(offset)
            .date(),
    )
}

/// How many other names a letter may take before the run gives up on that recording.
const MAX_NAMES: usize = 1000;

/// The longest stem a letter's name keeps (of the 255 bytes a file name may have).
const MAX_STEM_BYTES: usize = 200;

/// The file name (no extension) of letter `index` of `count` under base `b`: `a` (b = 0) or
/// `a-2`, `a-3` ... (another letter took `a`), each with `-1`, `-2` ... for a recording of
/// several letters.
pub fn letter_name(stem: &str, b: usize, index: usize, count: usize) -> String {
    // A file name holds at most 255 bytes: a long stem is cut (at a character) to leave room
    // for the numbers and ".docx"; two stems alike up to there get numbered names.
    let mut end = stem.len().min(MAX_STEM_BYTES);
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    let stem = &stem[..end];
    let base = if b == 0 {
        stem.to_owned()
    } else {
        format!("{stem}-{}", b + 1)
    };
    if count == 1 {
        base
    } else {
        format!("{base}-{index}")
    }
}

fn too_many_names(out_dir: &Path, stem: &str) -> String {
    format!(
        "`{}` already holds {MAX_NAMES} letters named after `{stem}`: move some away",
        out_dir.display()
    )
}

/// What one letter of a recording is made from.
struct Part<'p> {
    input: &'p Path,
    /// 1-based, and how many letters the recording held.
    index: usize,
    count: usize,
    transcript: Transcript,
    heard: &'p Heard,
    sidecar: Option<&'p Sidecar>,
    sha256: &'p str,
    started: Instant,
}

impl LetterJobs<'_> {
    /// Writes `<out>/<stem>.docx` and `<out>/<stem>.json` for the recording at `input`; for a
    /// recording of several letters, `<stem>-1.docx`, `<stem>-2.docx` ... each with its record.
    pub fn run(&mut self, input: &Path) -> Result<Written> {
        let started = Instant::now();
        fsio::regular_file(input)?;
        // A name not in UTF-8 (copied from an old share) gets a letter all the same, its odd
        // bytes shown as U+FFFD; the sidecar is looked up by the name's own bytes.
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .with_context(|| format!("`{}` has no usable file name", input.display()))?;
        let stem = stem.as_str();
        let json_path = self.out_dir.join(format!("{stem}.json"));
        // What the dictation device or the PAS knows: <stem>.json beside the recording.
        let sidecar_path = input.with_extension("json");
        let inputs::SidecarRead {
            sidecar,
            notes: sidecar_notes,
        } = inputs::read_sidecar(&sidecar_path, &json_path)?;

        // Model time only: reading another engine's transcript counts as no model time.
        let terms_pass = self.lexicon.is_some();
        let mut heard = match &mut self.hearing {
            Hearing::Model(transcriber) => {
                // The terms pass's clinical ear reads the first pass's windows again.
                transcriber.keep_windows_for_ear(terms_pass);
                match self.progress {
                    None => listen::hear(input, transcriber)?,
                    Some(reporter) => {
                        let name = input
                            .file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                        reporter.start(&name, None, Unit::Files);
                        let heard = listen::hear_with(input, transcriber, &mut |secs| {
                            reporter.message(&format!(
                                "{name}: {} of audio heard",
                                review::clock(secs)
                            ));
                        });
                        reporter.finish();
                        heard?
                    }
                }
            }
            Hearing::TextFiles(dir) => {
                let mut heard = listen::measure(input)?;
                let record = dir.join(format!("{stem}.json"));
                heard.transcript = if record.is_file() {
                    inputs::recorded_transcript(&record)?
                } else {
                    inputs::text_transcript(&dir.join(format!("{stem}.txt")), heard.seconds)?
                };
                heard
            }
        };
        tracing::info!(
            "{stem}: heard {:.1} s of audio in {:.2} s ({} window{})",
            heard.seconds,
            heard.model_seconds,
            heard.windows,
            if heard.windows == 1 { "" } else { "s" }
        );
        let sha256 = sha256_file(input)?;
        // A clinic dictated into one file: a letter for each "next letter".
        let parts = split::letters(std::mem::take(&mut heard.transcript));
        let count = parts.len();
        // No letter replaces another: the first base name free for all of this recording's
        // letters (`a`, then `a-2`, `a-3` ...), unless the user asked to overwrite.
        let first_base = if self.overwrite {
            0
        } else {
            (0..MAX_NAMES)
                .find(|&b| (1..=count).all(|i| self.name_free(&letter_name(stem, b, i, count))))
                .with_context(|| too_many_names(&self.out_dir, stem))?
        };
        let mut letters = Vec::with_capacity(count);
        for (i, transcript) in parts.into_iter().enumerate() {
            // A sidecar describes one patient, or lists one entry per letter.
            let mut notes = sidecar_notes.clone();
            let this_sidecar = match sidecar.as_ref().map(|s| s.for_letter(i, count)) {
                None => None,
                Some(Ok(s)) => s,
                Some(Err(message)) => {
                    notes.push(Flag {
                        kind: "sidecar_not_used",
                        message,
                    });
                    None
                }
            };
            let part = Part {
                input,
                index: i + 1,
                count,
                transcript,
                heard: &heard,
                sidecar: this_sidecar.as_ref(),
                sha256: &sha256,
                started,
            };
            // Another process may take a name between the check and the write: the next one.
            let mut written = None;
            let writing = Instant::now();
            for b in first_base..MAX_NAMES {
                let name = letter_name(stem, b, i + 1, count);
                if b > first_base && !self.name_free(&name) {
                    continue;
                }
                written = self.write_letter(&part, &name, &notes)?;
                if written.is_some() {
                    break;
                }
            }
            let written = written.with_context(|| too_many_names(&self.out_dir, stem))?;
            log_stages(&written, writing);
            letters.push(written);
        }
        Ok(Written {
            input: input.to_owned(),
            audio_seconds: heard.seconds,
            transcribe_seconds: heard.model_seconds,
            wall_seconds: started.elapsed().as_secs_f64(),
            letters,
        })
    }

    /// Neither `<name>.docx` nor `<name>.json` exists in the letters folder.
    fn name_free(&self, name: &str) -> bool {
        ["docx", "json"]
            .iter()
            .all(|ext| !self.out_dir.join(format!("{name}.{ext}")).exists())
    }

    /// Builds, renders and writes one letter of a recording as `<name>.docx` and `.json`.
    /// `None` when, without `--overwrite`, another letter took the name first.
    fn write_letter(
        &mut self,
        part: &Part<'_>,
        name: &str,
        sidecar_notes: &[Flag],
    ) -> Result<Option<LetterWritten>> {
        let &Part {
            input,
            heard,
            sidecar,
            started,
            ..
        } = part;
        let docx_path = self.out_dir.join(format!("{name}.docx"));
        let json_path = self.out_dir.join(format!("{name}.json"));
        let (read_audio, transcribe) = (heard.read_seconds, heard.model_seconds);
        let transcript = part.transcript.clone();
        let t = Instant::now();
        let file_name = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source_name = if part.count > 1 {
            format!("{file_name}, letter {} of {}", part.index, part.count)
        } else {
            file_name.clone()
        };
        // Whisper's inventions (fillers over silence, loops, "[BLANK_AUDIO]") never reach a letter.
        let raw_text = transcript.text();
        let (transcript, removed) = filter::apply(transcript, &heard.envelope);
        let t_terms = Instant::now();
        let terms::Outcome {
            transcript: corrected,
            corrections,
            declined,
        } = self.correct_terms(&transcript, input);
        let terms_secs = t_terms.elapsed().as_secs_f64();
        let letter = letter::build(
            &corrected,
            &letter::Context {
                date: crate::letter::dates::uk_long(self.today),
                source: source_name,
                sidecar,
                site: Some(self.site),
                today: Some(self.today),
                recorded: recorded_on(input),
            },
        );
        let mut letter = letter;
        // A recipient the directory does not hold by its letters: the recording chooses.
        if let Hearing::Model(transcriber) = &mut self.hearing {
            let mut ear = listener::Recording {
                transcriber,
                path: input,
            };
            names::ask_recording(&mut letter, &corrected, self.site, sidecar, &mut ear);
        }
        let position = position_in_recording(part, &transcript, &mut letter, &file_name);
        for flag in sidecar_notes {
            letter.notes.push(flag.message.clone());
            letter.flags.push(flag.clone());
        }
        note_unheard_speech(part, &transcript, &mut letter);
        // Review aids: corrected terms and words Whisper was unsure of, marked in the letter.
        review::time_moved_text(&mut letter, &corrected);
        let (blocks, consumed, times) =
            self.render_marked(&mut letter, &transcript, &corrections, &declined)?;
        let page = self.page(&letter);
        let bytes = docx::write(&blocks, &page)?;
        let letter_secs = t.elapsed().as_secs_f64();
        let model = self.model_used();
        let record = Record {
            dictate_version: env!("CARGO_PKG_VERSION"),
            letter_kind: letter.kind,
            source: Source {
                path: input.display().to_string(),
                sha256: part.sha256.to_owned(),
                format: heard.source.clone(),
                audio_seconds: heard.seconds,
                windows: heard.windows,
                heard_again: heard.recovered.iter().map(|g| [g.start, g.end]).collect(),
                not_transcribed: heard.unheard.iter().map(|g| [g.start, g.end]).collect(),
            },
            model,
            timings: Timings {
                read_audio,
                transcribe,
                letter: letter_secs,
                terms: terms_secs,
                total: started.elapsed().as_secs_f64(),
                speed_x_realtime: heard.seconds / transcribe.max(1e-9),
            },
            raw_text,
            removed,
            final_text: render::plain_text(&blocks),
            flags: letter.flags.clone(),
            corrections: corrections.clone(),
            declined_corrections: declined,
            moved: letter.moved.clone(),
            consumed,
            letter_in_recording: position,
            document: render::document(&blocks, &times),
            letterhead: page.letterhead.clone(),
            header: (&letter).into(),
            transcript,
            outputs: Outputs {
                docx: docx_path.display().to_string(),
                json: json_path.display().to_string(),
            },
        };
        let final_text = record.final_text.clone();
        let json = serde_json::to_vec_pretty(&record)?;
        // The letter first, then the record: a record always describes a letter that exists.
        if self.overwrite {
            fsio::write_atomic(&docx_path, &bytes, self.access.file())?;
        } else if !fsio::write_new(&docx_path, &bytes, self.access.file())? {
            return Ok(None);
        }
        fsio::write_atomic(&json_path, &json, self.access.file())?;
        Ok(Some(LetterWritten {
            docx: docx_path,
            json: json_path,
            letter_kind: letter.kind,
            final_text,
            body_text: letter.body.join("\n\n"),
            corrections,
            terms_seconds: terms_secs,
            flags: letter.flags.len(),
        }))
    }

    /// The DOCX page: the practice's letterhead, comments by "dictate", the title (kind and
    /// initials), made now.
    fn page(&self, letter: &letter::Letter) -> docx::Page {
        docx::Page {
            letterhead: self.site.letterhead(),
            continuation: letter.continuation(),
            look: self.site.look.clone(),
            comment_author: "dictate".to_owned(),
            title: crate::letter::kind::document_title(
                letter.kind.title(),
                letter.patient.as_deref(),
            ),
            made_at: fsio::now(),
        }
    }

    /// Renders the letter with its review aids: marks on its words, followed from the
    /// transcript to the letter as rendered, and the notes that count them (which do not change
    /// the letter's words: the second rendering checks).
    fn render_marked(
        &self,
        letter: &mut letter::Letter,
        transcript: &Transcript,
        corrections: &[terms::Correction],
        declined: &[terms::Correction],
    ) -> Result<(Vec<render::Block>, Vec<Consumed>, Vec<render::WordTime>)> {
        // A term put to the recording only for where the words stood (they were heard with
        // confidence) and not supported by it stays in the record, not marked as a doubt.
        let declined: Vec<terms::Correction> = declined
            .iter()
            .filter(|c| !c.audio.as_ref().is_some_and(|a| a.by_place))
            .cloned()
            .collect();
        let declined = declined.as_slice();
        let words = render::words(&render::blocks(&self.templates.render(letter)?));
        let review = review::review(&words, transcript, corrections, declined);
        letter.notes.extend(review.notes);
        let mut blocks = render::blocks(&self.templates.render(letter)?);
        let (marks, times) = if render::words(&blocks) == words {
            (review.marks, review.times)
        } else {
            let again = review::review(&render::words(&blocks), transcript, corrections, declined);
            (again.marks, again.times)
        };
        render::mark_words(&mut blocks, &marks);
        Ok((blocks, review.consumed, times))
    }

    /// The terminology pass, asking the model over the recording about each term it finds by
    /// nearness (when the model is there; transcripts from files are corrected by text alone).
    fn correct_terms(&mut self, transcript: &Transcript, input: &Path) -> terms::Outcome {
        match (self.lexicon, &mut self.hearing) {
            (Some(lex), Hearing::Model(transcriber)) => {
                let mut ear = listener::Recording {
                    transcriber,
                    path: input,
                };
                terms::correct_listening(transcript, lex, Some(&mut ear))
            }
            (Some(lex), Hearing::TextFiles(_)) => terms::correct_listening(transcript, lex, None),
            (None, _) => terms::Outcome {
                transcript: transcript.clone(),
                corrections: Vec::new(),
                declined: Vec::new(),
            },
        }
    }

    fn model_used(&self) -> ModelUsed {
        match &self.hearing {
            Hearing::Model(t) => ModelUsed {
                path: t.model_path().display().to_string(),
                name: t.model_name(),
                threads: t.options().threads,
                beam_size: t.options().beam_size,
            },
            Hearing::TextFiles(dir) => ModelUsed {
                path: dir.display().to_string(),
                name: "transcripts from text files".to_owned(),
                threads: 0,
                beam_size: None,
            },
        }
    }
}
