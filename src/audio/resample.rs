//! Channels averaged to mono, and any rate to 16 kHz in pieces (rubato), giving the same samples
//! as resampling the whole recording at once.

use rubato::{FftFixedIn, Resampler};

use super::source::SAMPLE_RATE;

/// Averages the channels of interleaved audio.
pub fn downmix(interleaved: &[f32], channels: usize) -> Vec<f32> {
    if channels <= 1 {
        return interleaved.to_vec();
    }
    interleaved
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect()
}

/// Input frames the FFT resampler takes per step.
pub(super) const RESAMPLE_CHUNK: usize = 1024;

/// Resampling to 16 kHz with a band-limited FFT resampler (no sample dropping, so no aliasing
/// from higher rates), a piece at a time: the output is the same as resampling the whole
/// recording at once (the filter's delay trimmed at the start, the length exact at the end).
pub(super) struct StreamResampler {
    /// `None` when the input is already 16 kHz.
    inner: Option<FftFixedIn<f32>>,
    rate: u32,
    pending: Vec<f32>,
    /// Output samples still to drop: the filter's delay.
    skip: usize,
    in_total: u64,
    out_total: u64,
}

impl StreamResampler {
    pub(super) fn new(rate: u32) -> Result<Self, String> {
        let inner = if rate == SAMPLE_RATE {
            None
        } else {
            Some(
                FftFixedIn::<f32>::new(rate as usize, SAMPLE_RATE as usize, RESAMPLE_CHUNK, 2, 1)
                    .map_err(|e| format!("cannot resample from {rate} Hz: {e}"))?,
            )
        };
        let skip = inner.as_ref().map_or(0, |r| r.output_delay());
        Ok(StreamResampler {
            inner,
            rate,
            pending: Vec::new(),
            skip,
            in_total: 0,
            out_total: 0,
        })
    }

    fn emit(&mut self, chunk: &[f32], out: &mut Vec<f32>) {
        let dropped = self.skip.min(chunk.len());
        self.skip -= dropped;
        out.extend_from_slice(&chunk[dropped..]);
        self.out_total += (chunk.len() - dropped) as u64;
    }

    pub(super) fn push(&mut self, mono: &[f32]) -> Result<Vec<f32>, String> {
        self.in_total += mono.len() as u64;
        let Some(inner) = &mut self.inner else {
            self.out_total += mono.len() as u64;
            return Ok(mono.to_vec());
        };
        self.pending.extend_from_slice(mono);
        let mut out = Vec::new();
        let mut pos = 0;
        let mut pieces = Vec::new();
        while self.pending.len() - pos >= inner.input_frames_next() {
            let n = inner.input_frames_next();
            let chunk = inner
                .process(&[&self.pending[pos..pos + n]], None)
                .map_err(|e| format!("resampling failed: {e}"))?;
            pieces.push(chunk.into_iter().next().unwrap_or_default());
            pos += n;
        }
        self.pending.drain(..pos);
        for piece in pieces {
            self.emit(&piece, &mut out);
        }
        Ok(out)
    }

    pub(super) fn finish(&mut self) -> Result<Vec<f32>, String> {
        let expected = self.in_total * u64::from(SAMPLE_RATE) / u64::from(self.rate);
        let Some(inner) = &mut self.inner else {
            return Ok(Vec::new());
        };
        let err = |e: rubato::ResampleError| format!("resampling failed: {e}");
        let mut pieces = Vec::new();
        if !self.pending.is_empty() {
            let chunk = inner
                .process_partial(Some(&[&self.pending[..]]), None)
                .map_err(err)?;
            pieces.push(chunk.into_iter().next().unwrap_or_default());
            self.pending.clear();
        }
        let mut out = Vec::new();
        for piece in pieces {
            self.emit(&piece, &mut out);
        }
        while self.out_total < expected {
            let Some(inner) = &mut self.inner else { break };
            let chunk = inner.process_partial::<&[f32]>(None, None).map_err(err)?;
            let piece = chunk.into_iter().next().unwrap_or_default();
            if piece.is_empty() {
                break;
            }
            self.emit(&piece, &mut out);
        }
        if self.out_total > expected {
            let extra = (self.out_total - expected) as usize;
            out.truncate(out.len().saturating_sub(extra));
            self.out_total = expected;
        }
        Ok(out)
    }
}
