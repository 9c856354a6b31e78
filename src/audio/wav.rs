//! WAV files of PCM or float samples, through hound (other codecs in a WAV file are symphonia's).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use super::error::AudioError;
use super::source::{Chunk, SourceFormat};

/// Interleaved samples read per step from a WAV file (about 0.2 s of 44.1 kHz stereo).
pub(super) const WAV_STEP: usize = 16_384;

pub(super) struct WavSource {
    reader: hound::WavReader<BufReader<File>>,
    /// Scale from integer samples to [-1, 1]; `None` for float.
    scale: Option<f64>,
}

impl WavSource {
    pub(super) fn next(&mut self, path: &Path) -> Result<Option<Chunk>, AudioError> {
        let spec = self.reader.spec();
        let channels = usize::from(spec.channels);
        let map_err = |e: hound::Error| match e {
            // The samples end before the header says they do (a copy cut off): hound says so
            // as an early end of file, or as an error of its own wording.
            hound::Error::IoError(ref io)
                if io.kind() == std::io::ErrorKind::UnexpectedEof
                    || io.to_string().contains("enough bytes") =>
            {
                AudioError::Truncated {
                    path: path.to_owned(),
                    format: "WAV".to_owned(),
                }
            }
            other => AudioError::BadWav {
                path: path.to_owned(),
                reason: other.to_string(),
            },
        };
        let step = WAV_STEP - WAV_STEP % channels;
        let mut out = Vec::with_capacity(step.min(self.reader.len() as usize));
        match self.scale {
            None => {
                for s in self.reader.samples::<f32>().take(step) {
                    out.push(s.map_err(map_err)?);
                }
            }
            Some(scale) => {
                for s in self.reader.samples::<i32>().take(step) {
                    out.push((f64::from(s.map_err(map_err)?) * scale) as f32);
                }
            }
        }
        if out.is_empty() {
            return Ok(None);
        }
        Ok(Some(Chunk {
            samples: out,
            rate: spec.sample_rate,
            channels,
        }))
    }
}

/// Opens a WAV file with hound; `None` when its codec is not PCM or float (symphonia's then).
pub(super) fn open_wav(path: &Path) -> Result<Option<(WavSource, SourceFormat)>, AudioError> {
    let file = File::open(path).map_err(|err| AudioError::Io {
        path: path.to_owned(),
        err,
    })?;
    let reader = match hound::WavReader::new(BufReader::new(file)) {
        Ok(r) => r,
        Err(hound::Error::Unsupported) => return Ok(None),
        Err(e) => {
            return Err(AudioError::BadWav {
                path: path.to_owned(),
                reason: e.to_string(),
            })
        }
    };
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        return Err(AudioError::BadWav {
            path: path.to_owned(),
            reason: format!("{} channels at {} Hz", spec.channels, spec.sample_rate),
        });
    }
    let float = spec.sample_format == hound::SampleFormat::Float;
    let scale = match (float, spec.bits_per_sample) {
        (true, 32) => None,
        (false, bits @ 1..=32) => Some(1.0 / (1u64 << (bits - 1)) as f64),
        (_, bits) => {
            return Err(AudioError::Unsupported {
                path: path.to_owned(),
                format: "WAV".to_owned(),
                reason: format!(
                    "{bits} bits per sample, {}",
                    if float { "float" } else { "integer" }
                ),
            })
        }
    };
    let source = SourceFormat {
        container: "WAV".to_owned(),
        codec: if float { "float" } else { "pcm" }.to_owned(),
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        bits_per_sample: spec.bits_per_sample,
        float,
        decoder: "hound".to_owned(),
    };
    Ok(Some((WavSource { reader, scale }, source)))
}
