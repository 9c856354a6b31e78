//! The loudness envelope: 10 ms frames of a whole recording (0.4 MB an hour), kept for the filter
//! of invented text and for cutting windows at pauses.

use super::source::SAMPLE_RATE;

/// The loudness of a recording in 10 ms frames: enough to tell speech from silence anywhere in
/// it (the hallucination filter, where to cut a long recording) without keeping the samples.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    /// Mean square of each whole 10 ms frame.
    frames: Vec<f32>,
    acc: f64,
    in_frame: usize,
}

/// Samples per envelope frame (10 ms at 16 kHz).
pub const FRAME: usize = 160;

impl Envelope {
    pub fn push(&mut self, samples: &[f32]) {
        for &s in samples {
            self.acc += f64::from(s) * f64::from(s);
            self.in_frame += 1;
            if self.in_frame == FRAME {
                self.frames.push((self.acc / FRAME as f64) as f32);
                self.acc = 0.0;
                self.in_frame = 0;
            }
        }
    }

    /// The envelope of samples held whole.
    pub fn of(samples: &[f32]) -> Envelope {
        let mut e = Envelope::default();
        e.push(samples);
        e
    }

    /// Root mean square between two times in seconds (0 for an empty span).
    pub fn rms(&self, start: f64, end: f64) -> f32 {
        let per_sec = f64::from(SAMPLE_RATE) / FRAME as f64;
        let from = ((start.max(0.0) * per_sec) as usize).min(self.frames.len());
        let to = ((end.max(0.0) * per_sec).ceil() as usize).clamp(from, self.frames.len());
        let span = &self.frames[from..to];
        if span.is_empty() {
            return 0.0;
        }
        (span.iter().map(|&m| f64::from(m)).sum::<f64>() / span.len() as f64).sqrt() as f32
    }

    /// Mean squares of the whole frames so far.
    pub fn frames(&self) -> &[f32] {
        &self.frames
    }
}
