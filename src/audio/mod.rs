//! Reads a recording into what Whisper wants: 16 kHz mono f32 samples in [-1, 1], as a stream, so
//! that a forty-minute recording is never held whole. It owns file decoding (WAV through hound in
//! `wav`; MP3, AAC/M4A, Ogg Vorbis, FLAC and A-law/mu-law WAV through symphonia in `packets`;
//! DSS, Opus and others through an installed ffmpeg in `ffmpeg`), chosen by the file's content
//! (`sniff`), never its name, and resampling (`resample`, rubato). It must not know about models
//! or letters.

mod envelope;
mod error;
mod ffmpeg;
mod packets;
mod resample;
mod sniff;
mod source;
mod stream;
mod wav;

use std::path::Path;

pub use envelope::{Envelope, FRAME};
pub use error::AudioError;
pub use ffmpeg::ffmpeg_binary;
pub use resample::downmix;
pub use sniff::{sniff, Kind};
pub use source::{SourceFormat, SAMPLE_RATE};
pub use stream::AudioStream;

/// Audio ready for transcription, whole (for short recordings and tests; long ones are read
/// through [`AudioStream`]).
#[derive(Debug, Clone)]
pub struct Audio {
    /// 16 kHz mono samples.
    pub samples: Vec<f32>,
    /// What the file held before conversion, for the record.
    pub source: SourceFormat,
}

impl Audio {
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(SAMPLE_RATE)
    }
}

/// The 16 kHz mono samples of each `(start, end)` span of `path`, in seconds (spans may overlap
/// and come in any order; a span past the end is cut short). Reads the file once, keeping only
/// the spans, so a long recording is never held whole.
pub fn clips(path: &Path, spans: &[(f64, f64)]) -> Result<Vec<Vec<f32>>, AudioError> {
    let rate = f64::from(SAMPLE_RATE);
    let bounds: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(s, e)| {
            let s = (s.max(0.0) * rate) as usize;
            (s, ((e.max(0.0) * rate) as usize).max(s))
        })
        .collect();
    let last = bounds.iter().map(|b| b.1).max().unwrap_or(0);
    let mut out: Vec<Vec<f32>> = bounds
        .iter()
        .map(|(s, e)| Vec::with_capacity(e - s))
        .collect();
    let mut stream = AudioStream::open(path)?;
    let mut at = 0usize;
    while at < last {
        let chunk = stream.read(1 << 16)?;
        if chunk.is_empty() {
            break;
        }
        let end = at + chunk.len();
        for (clip, &(s, e)) in out.iter_mut().zip(&bounds) {
            let (from, to) = (s.max(at), e.min(end));
            if from < to {
                clip.extend_from_slice(&chunk[from - at..to - at]);
            }
        }
        at = end;
    }
    Ok(out)
}

/// The format of the recording at `path`, from its first bytes.
pub fn kind_of(path: &Path) -> std::io::Result<Kind> {
    use std::io::Read;
    let mut head = Vec::with_capacity(64);
    std::fs::File::open(path)?.take(64).read_to_end(&mut head)?;
    Ok(sniff(&head))
}

/// Writes the recording at `path` as a 16 kHz mono 16-bit WAV file at `out` (owner-only), a
/// piece at a time: for a player that cannot read the original. Returns its seconds.
pub fn write_wav_copy(path: &Path, out: &Path) -> anyhow::Result<f64> {
    use anyhow::Context;
    let mut stream = AudioStream::open(path)?;
    let written = crate::fsio::write_atomic_with(out, 0o600, |w| {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: SAMPLE_RATE,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut wav = hound::WavWriter::new(w, spec)?;
        loop {
            let chunk = stream.read(1 << 16)?;
            if chunk.is_empty() {
                break;
            }
            for s in chunk {
                wav.write_sample((s.clamp(-1.0, 1.0) * 32767.0).round() as i16)?;
            }
        }
        wav.finalize()?;
        Ok(())
    });
    written.with_context(|| format!("cannot write a WAV copy at `{}`", out.display()))?;
    Ok(stream.seconds_read())
}

/// Reads `path` whole and converts it to 16 kHz mono.
pub fn load(path: &Path) -> Result<Audio, AudioError> {
    let mut stream = AudioStream::open(path)?;
    let mut samples = Vec::new();
    loop {
        let chunk = stream.read(1 << 16)?;
        if chunk.is_empty() {
            break;
        }
        samples.extend_from_slice(&chunk);
    }
    Ok(Audio {
        samples,
        source: stream.source().clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::resample::StreamResampler;
    use super::sniff::describe_unknown;
    use super::*;

    /// Resamples a whole recording in one piece.
    fn resample(mono: &[f32], rate: u32) -> Result<Vec<f32>, String> {
        let mut r = StreamResampler::new(rate)?;
        let mut out = r.push(mono)?;
        out.extend(r.finish()?);
        Ok(out)
    }

    fn sine(rate: u32, freq: f32, seconds: f32) -> Vec<f32> {
        let n = (rate as f32 * seconds) as usize;
        (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin() * 0.5)
            .collect()
    }

    #[test]
    fn downmix_averages_channels() {
        assert_eq!(downmix(&[1.0, 0.0, 0.5, 0.5], 2), vec![0.5, 0.5]);
        assert_eq!(downmix(&[0.1, 0.2], 1), vec![0.1, 0.2]);
    }

    #[test]
    fn resample_keeps_length_and_tone() {
        for rate in [8_000, 22_050, 44_100, 48_000] {
            let input = sine(rate, 440.0, 1.0);
            let out = resample(&input, rate).unwrap();
            assert_eq!(out.len(), 16_000, "rate {rate}");
            // The tone survives: same RMS as the input, within 2%, away from the edges.
            let rms = |x: &[f32]| (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt();
            let r_in = rms(&input);
            let r_out = rms(&out[1000..15_000]);
            assert!(
                (r_out / r_in - 1.0).abs() < 0.02,
                "rate {rate}: {r_in} vs {r_out}"
            );
        }
    }

    #[test]
    fn resampling_in_pieces_matches_resampling_whole() {
        let input = sine(44_100, 330.0, 2.3);
        let whole = resample(&input, 44_100).unwrap();
        let mut r = StreamResampler::new(44_100).unwrap();
        let mut pieces = Vec::new();
        // Odd piece sizes, smaller and larger than the resampler's step.
        for chunk in input.chunks(777) {
            pieces.extend(r.push(chunk).unwrap());
        }
        pieces.extend(r.finish().unwrap());
        assert_eq!(pieces.len(), whole.len());
        let worst = pieces
            .iter()
            .zip(&whole)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-5, "pieces differ from whole by {worst}");
    }

    #[test]
    fn resample_removes_tones_above_nyquist() {
        // 7.9 kHz is kept at 16 kHz; 12 kHz must be filtered out, not folded back as 4 kHz.
        let out = resample(&sine(48_000, 12_000.0, 1.0), 48_000).unwrap();
        let energy = out[1000..15_000].iter().map(|v| v * v).sum::<f32>() / 14_000.0;
        assert!(energy < 1e-4, "aliased energy {energy}");
    }

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(sniff(b"RIFF\x24\x00\x00\x00WAVEfmt "), Kind::Wav);
        assert_eq!(sniff(b"ID3\x04\x00"), Kind::Mp3);
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x64]), Kind::Mp3);
        assert_eq!(sniff(&[0xFF, 0xF1, 0x50, 0x80]), Kind::Adts);
        assert_eq!(sniff(b"fLaC\x00"), Kind::Flac);
        assert_eq!(sniff(b"\x00\x00\x00\x20ftypM4A "), Kind::Mp4);
        assert_eq!(sniff(b"\x02dss\x00\x01"), Kind::Dss);
        assert_eq!(sniff(b"\x03ds2\x00\x01"), Kind::Ds2);
        let mut ogg = b"OggS".to_vec();
        ogg.resize(28, 0);
        let mut opus = ogg.clone();
        opus.extend_from_slice(b"OpusHead");
        ogg.extend_from_slice(b"\x01vorbis");
        assert_eq!(sniff(&ogg), Kind::OggVorbis);
        assert_eq!(sniff(&opus), Kind::OggOpus);
        assert_eq!(sniff(b"Dear Dr Smith"), Kind::Unknown);
    }

    #[test]
    fn unknown_files_are_described_without_quoting_them() {
        assert_eq!(
            describe_unknown(b"Dear Dr Smith, re Mrs Jones"),
            "it looks like a text file (its contents are not shown here)"
        );
        assert_eq!(
            describe_unknown(b"\x00\x01\x02\x03\x04"),
            "it starts with bytes 00 01 02 03"
        );
    }

    #[test]
    fn envelope_gives_the_loudness_of_a_span() {
        let mut samples = vec![0.0f32; 16_000];
        samples.extend(std::iter::repeat_n(0.5f32, 16_000));
        let e = Envelope::of(&samples);
        assert_eq!(e.frames().len(), 200);
        assert!(e.rms(0.0, 1.0) < 1e-6);
        assert!((e.rms(1.0, 2.0) - 0.5).abs() < 1e-4);
        assert!((e.rms(0.5, 1.5) - (0.125f32).sqrt()).abs() < 0.01);
        assert_eq!(e.rms(5.0, 6.0), 0.0);
    }
}
