//! What transcription produces: segments with times, and tokens with their probabilities, so
//! that later stages can flag words Whisper was unsure of. Plain data; no I/O.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Seconds from the start of the recording.
    pub start: f64,
    pub end: f64,
    pub text: String,
    /// Whisper's estimate that the window held no speech.
    pub no_speech_prob: f32,
    pub tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    pub text: String,
    /// Probability the decoder gave this token.
    pub p: f32,
    pub start: f64,
    pub end: f64,
}

impl Transcript {
    /// For tests: one segment of `words` (text, probability), a word a second, each word one
    /// token.
    #[cfg(test)]
    pub fn one_word_a_second(words: &[(&str, f32)]) -> Transcript {
        let tokens: Vec<Token> = words
            .iter()
            .enumerate()
            .map(|(i, (w, p))| Token {
                text: format!(" {w}"),
                p: *p,
                start: i as f64,
                end: i as f64 + 0.9,
            })
            .collect();
        Transcript {
            segments: vec![Segment {
                start: 0.0,
                end: words.len() as f64,
                text: tokens.iter().map(|t| t.text.as_str()).collect(),
                no_speech_prob: 0.0,
                tokens,
            }],
        }
    }

    /// Adds the segments of `later`, heard from `offset` seconds into the recording, moving its
    /// times onto this transcript's time line.
    pub fn append(&mut self, later: Transcript, offset: f64) {
        for mut seg in later.segments {
            seg.start += offset;
            seg.end += offset;
            for tok in &mut seg.tokens {
                tok.start += offset;
                tok.end += offset;
            }
            self.segments.push(seg);
        }
    }

    /// The whole text, segments joined by single spaces.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for s in &self.segments {
            let t = s.text.trim();
            if t.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(t);
        }
        out
    }

    /// Length of the audio covered, in seconds.
    pub fn end(&self) -> f64 {
        self.segments.last().map_or(0.0, |s| s.end)
    }

    /// Mean token probability, a rough confidence for the record.
    pub fn mean_token_p(&self) -> Option<f32> {
        let ps: Vec<f32> = self
            .segments
            .iter()
            .flat_map(|s| s.tokens.iter().map(|t| t.p))
            .collect();
        (!ps.is_empty()).then(|| ps.iter().sum::<f32>() / ps.len() as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> Segment {
        Segment {
            start: 0.0,
            end: 1.0,
            text: text.into(),
            no_speech_prob: 0.0,
            tokens: vec![],
        }
    }

    #[test]
    fn text_joins_trimmed_segments() {
        let t = Transcript {
            segments: vec![seg(" Hello there."), seg(""), seg(" Full stop.")],
        };
        assert_eq!(t.text(), "Hello there. Full stop.");
    }
}
