//! The terminology pass's ear: answers its questions ("how well does each of these texts explain
//! 0:41.2 to 0:43.0?") with the loaded model over the recording's own audio, read again span by
//! span (the whole recording is never held).

use std::path::Path;

use crate::asr::score::{Clip as ScoreClip, Scores};
use crate::asr::transcribe::Transcriber;
use crate::audio::{self, SAMPLE_RATE};
use crate::text::terms::{Clip, Hint, Listener};

/// The longest clip the model can hear at once, seconds.
const MAX_CLIP: f64 = 30.0;

/// The model and the recording it heard.
pub(super) struct Recording<'a> {
    pub transcriber: &'a mut Transcriber,
    pub path: &'a Path,
}

impl Listener for Recording<'_> {
    fn hear(&mut self, hints: &[Hint]) -> Vec<Option<String>> {
        let spans: Vec<(f64, f64)> = hints.iter().map(|h| (h.start.max(0.0), h.end)).collect();
        let audio = match audio::clips(self.path, &spans) {
            Ok(audio) => audio,
            Err(e) => {
                tracing::warn!(
                    "{}: could not read the audio again to hear terms: {e:#}",
                    file_name(self.path)
                );
                return vec![None; hints.len()];
            }
        };
        let rate = f64::from(SAMPLE_RATE);
        hints
            .iter()
            .zip(&audio)
            .map(|(h, a)| {
                if !(0.1..=MAX_CLIP).contains(&(a.len() as f64 / rate)) {
                    return None;
                }
                match self.transcriber.transcribe_prompted(a, Some(&h.hint)) {
                    Ok(t) => Some(t.text()),
                    Err(e) => {
                        tracing::warn!(
                            "{}: could not hear a term again: {e:#}",
                            file_name(self.path)
                        );
                        None
                    }
                }
            })
            .collect()
    }

    fn score(&mut self, clips: &[Clip]) -> Vec<Option<Vec<Scores>>> {
        if clips.is_empty() {
            return Vec::new();
        }
        let spans: Vec<(f64, f64)> = clips.iter().map(|c| (c.start, c.end)).collect();
        let audio = match audio::clips(self.path, &spans) {
            Ok(audio) => audio,
            Err(e) => {
                tracing::warn!(
                    "{}: could not read the audio again to check terms: {e:#}",
                    file_name(self.path)
                );
                return vec![None; clips.len()];
            }
        };
        let rate = f64::from(SAMPLE_RATE);
        // Clips the model cannot hear whole are not asked about.
        let fits: Vec<bool> = audio
            .iter()
            .map(|a| (0.1..=MAX_CLIP).contains(&(a.len() as f64 / rate)))
            .collect();
        let asked: Vec<ScoreClip<'_>> = clips
            .iter()
            .zip(&audio)
            .zip(&fits)
            .filter(|(_, &fit)| fit)
            .map(|((c, a), _)| ScoreClip {
                samples: a,
                prompt: &c.prompt,
                items: &c.items,
            })
            .collect();
        let mut answers = match self.transcriber.score(&asked) {
            Ok(answers) => answers.into_iter(),
            Err(e) => {
                tracing::warn!(
                    "{}: could not check terms against the audio: {e:#}",
                    file_name(self.path)
                );
                return vec![None; clips.len()];
            }
        };
        fits.iter()
            .map(|&fit| if fit { answers.next() } else { None })
            .collect()
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}
