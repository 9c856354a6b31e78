//! Hears a recording: streams it from the audio reader into the model a window at a time, so
//! that memory stays the same for a one-minute letter and a forty-minute clinic. Windows are cut
//! at the quietest moment near their end (a pause between words, not the middle of one), and
//! the windows' transcripts are joined on one time line. It keeps only the loudness envelope of
//! what it has heard, for the stages that need to tell speech from silence.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::asr::coverage::{self, Gap};
use crate::asr::transcribe::Transcriber;
use crate::asr::transcript::Transcript;
use crate::audio::{AudioStream, Envelope, SourceFormat, FRAME, SAMPLE_RATE};

/// The longest piece given to the model at once. Recordings up to this length are heard in one
/// piece, exactly as before windows existed.
pub const WINDOW_SECONDS: usize = 120;

/// How far back from a window's end to look for a pause to cut at.
const SEARCH_SECONDS: usize = 20;

/// The span whose loudness decides a cut (a short pause between words).
const PAUSE_FRAMES: usize = 30;

/// Audio read per step.
const STEP: usize = SAMPLE_RATE as usize;

/// A recording, heard.
pub struct Heard {
    pub transcript: Transcript,
    pub envelope: Envelope,
    pub source: SourceFormat,
    /// Seconds of audio.
    pub seconds: f64,
    /// Seconds spent reading and decoding the file.
    pub read_seconds: f64,
    /// Seconds spent in the model.
    pub model_seconds: f64,
    /// Pieces the recording was heard in.
    pub windows: usize,
    /// Stretches of speech the model first passed over and gave words for when heard again.
    pub recovered: Vec<Gap>,
    /// Stretches of speech that gave no words even when heard again: for the secretary to
    /// listen to.
    pub unheard: Vec<Gap>,
}

/// Audio either side of a stretch heard again, seconds.
const GAP_PAD: f64 = 0.5;

/// Reads and transcribes the recording at `path`.
pub fn hear(path: &Path, transcriber: &mut Transcriber) -> Result<Heard> {
    walk(path, Some(transcriber), &mut |_| {})
}

/// Like [`hear`], telling `heard` the seconds of audio heard after each window.
pub fn hear_with(
    path: &Path,
    transcriber: &mut Transcriber,
    heard: &mut dyn FnMut(f64),
) -> Result<Heard> {
    walk(path, Some(transcriber), heard)
}

/// Reads the recording at `path` without the model (for transcripts that come from elsewhere):
/// its length, format and envelope.
pub fn measure(path: &Path) -> Result<Heard> {
    walk(path, None, &mut |_| {})
}

fn walk(
    path: &Path,
    mut model: Option<&mut Transcriber>,
    progress: &mut dyn FnMut(f64),
) -> Result<Heard> {
    let window = WINDOW_SECONDS * SAMPLE_RATE as usize;
    let mut stream = AudioStream::open(path)?;
    let mut envelope = Envelope::default();
    let mut transcript = Transcript::default();
    let (mut read_seconds, mut model_seconds) = (0.0, 0.0);
    let mut windows = 0;
    let (mut recovered, mut unheard) = (Vec::new(), Vec::new());
    // Samples not yet heard, and where they start in the recording.
    let mut buf: Vec<f32> = Vec::with_capacity(window + STEP);
    let mut offset = 0usize;
    let mut ended = false;
    while !ended || !buf.is_empty() {
        let t = Instant::now();
        while !ended && buf.len() < window {
            let more = stream.read(STEP)?;
            if more.is_empty() {
                ended = true;
            }
            envelope.push(&more);
            buf.extend_from_slice(&more);
        }
        read_seconds += t.elapsed().as_secs_f64();
        if buf.is_empty() {
            break;
        }
        let cut = if ended && buf.len() <= window {
            buf.len()
        } else {
            // The envelope already holds the loudness of every whole 10 ms frame read; windows
            // start on frame boundaries (cuts are whole frames).
            let first = offset / FRAME;
            let frames = envelope.frames();
            let end = (first + window / FRAME).min(frames.len());
            match quiet_cut(&frames[first.min(end)..end]).min(buf.len()) {
                // Never an empty window (it would never end).
                0 => window.min(buf.len()),
                cut => cut,
            }
        };
        if let Some(model) = model.as_deref_mut() {
            let t = Instant::now();
            // The recording's first window starts afresh; later ones (and the stretches heard
            // again) carry on from what was heard before them in this recording. The pieces'
            // encodings are kept for the clinical ear where the transcriber was asked to
            // (`Transcriber::keep_windows_for_ear`); the stretches heard again keep none.
            let piece = model.transcribe_piece(&buf[..cut], offset as f64 / f64::from(SAMPLE_RATE));
            let mut piece = piece.with_context(|| {
                format!(
                    "transcribing `{}` at {} s",
                    path.display(),
                    offset / SAMPLE_RATE as usize
                )
            })?;
            coverage::tighten(&mut piece);
            let first = offset / FRAME;
            let frames = envelope.frames();
            let window_frames =
                &frames[first.min(frames.len())..(first + cut / FRAME).min(frames.len())];
            let start = offset as f64 / f64::from(SAMPLE_RATE);
            for (gap, heard_again) in hear_gaps(model, &buf[..cut], window_frames, &mut piece)? {
                let at = Gap {
                    start: gap.start + start,
                    end: gap.end + start,
                };
                if heard_again {
                    recovered.push(at);
                } else {
                    unheard.push(at);
                }
            }
            model_seconds += t.elapsed().as_secs_f64();
            transcript.append(piece, offset as f64 / f64::from(SAMPLE_RATE));
        }
        windows += 1;
        buf.drain(..cut);
        offset += cut;
        progress(offset as f64 / f64::from(SAMPLE_RATE));
    }
    Ok(Heard {
        transcript,
        envelope,
        source: stream.source().clone(),
        seconds: stream.seconds_read(),
        read_seconds,
        model_seconds,
        windows,
        recovered,
        unheard,
    })
}

/// Speech in a window that the model gave no words for, heard again on its own: its words go
/// into `piece` in time order. Returned: each gap that hearing again gave words for (`true`),
/// and each stretch still without words afterwards (`false`).
fn hear_gaps(
    model: &mut Transcriber,
    samples: &[f32],
    frames: &[f32],
    piece: &mut Transcript,
) -> Result<Vec<(Gap, bool)>> {
    let rate = f64::from(SAMPLE_RATE);
    let mut out = Vec::new();
    let gaps = coverage::uncovered(frames, piece);
    for &gap in &gaps {
        let from = ((gap.start - GAP_PAD).max(0.0) * rate) as usize;
        let to = (((gap.end + GAP_PAD) * rate) as usize).min(samples.len());
        if to <= from {
            continue;
        }
        let mut again = model
            .transcribe_more(&samples[from..to])
            .context("hearing again a stretch of speech the model passed over")?;
        coverage::tighten(&mut again);
        if !again.text().trim().is_empty() {
            piece.append(again, from as f64 / rate);
            piece.segments.sort_by(|a, b| a.start.total_cmp(&b.start));
            out.push((gap, true));
        }
    }
    // What hearing again left without words (all of a gap, or the parts of a long one it did
    // not reach) is named to the secretary, stretches a breath apart as one. Where it gave no
    // words at all, that is the gaps as found: the transcript has not changed.
    let still = if out.is_empty() {
        gaps
    } else {
        coverage::uncovered(frames, piece)
    };
    let mut left: Vec<Gap> = Vec::new();
    for gap in still {
        match left.last_mut() {
            Some(last) if gap.start - last.end < 1.0 => last.end = gap.end,
            _ => left.push(gap),
        }
    }
    out.extend(left.into_iter().map(|gap| (gap, false)));
    Ok(out)
}

/// Where to end a window, from the loudness of its 10 ms `frames`: the middle of its quietest
/// short span in the last [`SEARCH_SECONDS`], in samples from the window's start.
fn quiet_cut(frames: &[f32]) -> usize {
    let search = SEARCH_SECONDS * SAMPLE_RATE as usize / FRAME;
    let from = frames.len().saturating_sub(search);
    if frames.len() - from < PAUSE_FRAMES {
        return frames.len() * FRAME;
    }
    let mut sum: f32 = frames[from..from + PAUSE_FRAMES].iter().sum();
    let (mut best, mut best_at) = (sum, from);
    for i in from + 1..=frames.len() - PAUSE_FRAMES {
        sum += frames[i + PAUSE_FRAMES - 1] - frames[i - 1];
        if sum < best {
            (best, best_at) = (sum, i);
        }
    }
    (best_at + PAUSE_FRAMES / 2) * FRAME
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_cut_in_the_pause() {
        // Two minutes of "speech" with one quiet half second, 10 s before the end.
        let rate = SAMPLE_RATE as usize;
        let mut samples: Vec<f32> = (0..120 * rate)
            .map(|i| ((i as f32) * 0.07).sin() * 0.3)
            .collect();
        for s in &mut samples[110 * rate..110 * rate + rate / 2] {
            *s = 0.0;
        }
        let cut = quiet_cut(Envelope::of(&samples).frames());
        let at = cut as f64 / rate as f64;
        assert!((110.0..110.5).contains(&at), "cut at {at} s");
    }
}
