//! The terminology pass's ear: answers its questions ("how well does each of these texts explain
//! 0:41.2 to 0:43.0?") with the loaded model over the recording's own audio, read again span by
//! span (the whole recording is never held).

use std::path::Path;

use crate::asr::score::{Answer, Asking, Clip as ScoreClip, Item, Reading, Scores};
use crate::asr::transcribe::Transcriber;
use crate::audio::{self, SAMPLE_RATE};
use crate::text::spelling::american;
use crate::text::terms::{Clip, Listener, Stretch};

/// The longest clip the model can hear at once, seconds.
const MAX_CLIP: f64 = 30.0;

/// The model and the recording it heard.
pub(super) struct Recording<'a> {
    pub transcriber: &'a mut Transcriber,
    pub path: &'a Path,
}

impl Listener for Recording<'_> {
    fn score(&mut self, clips: &[Clip], asking: &mut dyn Asking) -> Vec<Option<Answer>> {
        if clips.is_empty() {
            return Vec::new();
        }
        let spans: Vec<(f64, f64)> = clips.iter().map(|c| (c.start, c.end)).collect();
        let Some(audio) = self.audio_over(&spans, "check terms") else {
            return vec![None; clips.len()];
        };
        // Clips the model cannot hear whole are not asked about.
        let asked: Vec<usize> = (0..clips.len()).filter(|&k| fits(&audio[k])).collect();
        // Every text in the US spelling the model was mostly taught with, as the heard words
        // already are (a British spelling is not a sound: "hyperkalaemia" is asked as
        // "hyperkalemia"); the letter still writes the UK term.
        let spelled: Vec<(String, Vec<Item>)> = asked
            .iter()
            .map(|&k| {
                let items = clips[k]
                    .items
                    .iter()
                    .map(|item| Item {
                        prefix: american(&item.prefix),
                        texts: item.texts.iter().map(|t| american(t)).collect(),
                        whole: item.whole,
                    })
                    .collect();
                (american(&clips[k].prompt), items)
            })
            .collect();
        let score_clips: Vec<ScoreClip<'_>> = asked
            .iter()
            .zip(&spelled)
            .map(|(&k, (prompt, items))| ScoreClip {
                samples: &audio[k],
                prompt,
                items,
            })
            .collect();
        let answers = self.transcriber.score(
            &score_clips,
            &mut Asked {
                asking,
                asked: &asked,
            },
        );
        let answers = match answers {
            Ok(answers) => answers.into_iter(),
            Err(e) => {
                tracing::warn!(
                    "{}: could not check terms against the audio: {e:#}",
                    file_name(self.path)
                );
                return vec![None; clips.len()];
            }
        };
        in_place(clips.len(), &asked, answers.map(Some))
    }

    fn read(&mut self, stretches: &[Stretch]) -> Vec<Option<String>> {
        if stretches.is_empty() || !self.transcriber.has_clinical_ear() {
            return vec![None; stretches.len()];
        }
        let spans: Vec<(f64, f64)> = stretches.iter().map(|s| (s.start, s.end)).collect();
        let Some(audio) = self.audio_over(&spans, "read it by the clinical ear") else {
            return vec![None; stretches.len()];
        };
        let asked: Vec<usize> = (0..stretches.len()).filter(|&k| fits(&audio[k])).collect();
        // In the US spelling the model was mostly taught with, as for the scores.
        let texts: Vec<(String, String)> = asked
            .iter()
            .map(|&k| {
                (
                    american(&stretches[k].prompt),
                    american(&stretches[k].draft),
                )
            })
            .collect();
        let readings: Vec<Reading<'_>> = asked
            .iter()
            .zip(&texts)
            .map(|(&k, (prompt, draft))| Reading {
                samples: &audio[k],
                prompt,
                draft,
                window: stretches[k].window,
            })
            .collect();
        let read = match self.transcriber.read_by_ear(&readings) {
            Ok(read) => read.into_iter(),
            Err(e) => {
                tracing::warn!(
                    "{}: the clinical ear could not read the recording: {e:#}",
                    file_name(self.path)
                );
                return vec![None; stretches.len()];
            }
        };
        in_place(stretches.len(), &asked, read)
    }

    fn windows(&self) -> Vec<(f64, f64)> {
        // DICTATE_EAR_ENCODES has the ear encode every stretch itself (bench/'s row).
        if std::env::var_os("DICTATE_EAR_ENCODES").is_some() {
            return Vec::new();
        }
        self.transcriber.kept_windows()
    }
}

impl Recording<'_> {
    /// The recording's audio over `spans`, read again; `None` (with a warning naming the file
    /// and `to` what) when it cannot be read.
    fn audio_over(&self, spans: &[(f64, f64)], to: &str) -> Option<Vec<Vec<f32>>> {
        audio::clips(self.path, spans)
            .map_err(|e| {
                tracing::warn!(
                    "{}: could not read the audio again to {to}: {e:#}",
                    file_name(self.path)
                );
            })
            .ok()
    }
}

/// The answers for the `asked` of `n` questions, each back in its place; `None` for the others.
fn in_place<T>(
    n: usize,
    asked: &[usize],
    mut answers: impl Iterator<Item = Option<T>>,
) -> Vec<Option<T>> {
    (0..n)
        .map(|k| {
            if asked.contains(&k) {
                answers.next().flatten()
            } else {
                None
            }
        })
        .collect()
}

/// Can the model hear this clip whole (a tenth of a second to 30 s)?
fn fits(clip: &[f32]) -> bool {
    (0.1..=MAX_CLIP).contains(&(clip.len() as f64 / f64::from(SAMPLE_RATE)))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// The terms pass's asking, told the clips by their index among all it asked about (only those
/// the model can hear whole are scored); its hints in US spelling, as every text the model reads.
struct Asked<'a> {
    asking: &'a mut dyn Asking,
    asked: &'a [usize],
}

impl Asking for Asked<'_> {
    fn hint(&mut self, k: usize, scores: &[Scores]) -> Option<String> {
        self.asking
            .hint(self.asked[k], scores)
            .map(|hint| american(&hint))
    }

    fn ask_ear(&mut self, k: usize, text: &str) -> bool {
        self.asking.ask_ear(self.asked[k], text)
    }
}
