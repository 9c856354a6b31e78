//! Reads a recording into what Whisper wants: 16 kHz mono f32 samples in [-1, 1]. It owns file
//! decoding (WAV through hound) and resampling (rubato); it must not know about models or letters.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use rubato::{FftFixedIn, Resampler};
use thiserror::Error;

/// Whisper's sample rate.
pub const SAMPLE_RATE: u32 = 16_000;

/// Audio ready for transcription.
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

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceFormat {
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
    pub float: bool,
}

/// Why a recording could not be read. Each names the file and says what to do.
#[derive(Debug, Error)]
pub enum AudioError {
    #[error("cannot read `{path}`: {err}")]
    Io { path: PathBuf, err: std::io::Error },
    #[error(
        "cannot read `{path}`: the file is empty (0 bytes); was the recording copied completely?"
    )]
    EmptyFile { path: PathBuf },
    #[error("cannot read `{path}`: not a WAV file ({magic}); convert it to WAV, e.g. `sox in.mp3 out.wav`")]
    NotWav { path: PathBuf, magic: String },
    #[error(
        "cannot read `{path}`: damaged WAV file ({reason}); re-export or re-copy the recording"
    )]
    BadWav { path: PathBuf, reason: String },
    #[error("cannot read `{path}`: the WAV file is truncated: it ends partway through its audio data; re-copy the recording")]
    Truncated { path: PathBuf },
    #[error("cannot read `{path}`: the recording holds no audio (0 samples)")]
    NoAudio { path: PathBuf },
    #[error("cannot read `{path}`: unsupported WAV format ({reason})")]
    Unsupported { path: PathBuf, reason: String },
}

/// Reads `path` and converts it to 16 kHz mono.
pub fn load(path: &Path) -> Result<Audio, AudioError> {
    let io = |err| AudioError::Io {
        path: path.to_owned(),
        err,
    };
    let mut file = File::open(path).map_err(io)?;
    let file_len = file.metadata().map_err(io)?.len();
    if file_len == 0 {
        return Err(AudioError::EmptyFile {
            path: path.to_owned(),
        });
    }
    // Twelve bytes: enough to recognise MP4/M4A, whose signature starts at byte 4.
    let mut magic = [0u8; 12];
    let got = read_up_to(&mut file, &mut magic).map_err(io)?;
    if got < 4 || (&magic[..4] != b"RIFF" && &magic[..4] != b"RF64") {
        return Err(AudioError::NotWav {
            path: path.to_owned(),
            magic: describe_magic(&magic[..got]),
        });
    }
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let reader = hound::WavReader::new(BufReader::new(file)).map_err(|e| AudioError::BadWav {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    let spec = reader.spec();
    let source = SourceFormat {
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        bits_per_sample: spec.bits_per_sample,
        float: spec.sample_format == hound::SampleFormat::Float,
    };
    if spec.channels == 0 || spec.sample_rate == 0 {
        return Err(AudioError::BadWav {
            path: path.to_owned(),
            reason: format!("{} channels at {} Hz", spec.channels, spec.sample_rate),
        });
    }
    let interleaved = read_samples(reader, file_len, path)?;
    let mono = downmix(&interleaved, usize::from(spec.channels));
    if mono.is_empty() {
        return Err(AudioError::NoAudio {
            path: path.to_owned(),
        });
    }
    let samples = resample(&mono, spec.sample_rate).map_err(|reason| AudioError::Unsupported {
        path: path.to_owned(),
        reason,
    })?;
    Ok(Audio { samples, source })
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Says what a file that is not WAV seems to be, from its first bytes.
fn describe_magic(bytes: &[u8]) -> String {
    let guess = if bytes.starts_with(b"ID3") || bytes.starts_with(&[0xFF, 0xFB]) {
        Some("MP3")
    } else if bytes.starts_with(b"fLaC") {
        Some("FLAC")
    } else if bytes.starts_with(b"OggS") {
        Some("Ogg")
    } else if bytes.get(4..8) == Some(b"ftyp") {
        Some("MP4/M4A")
    } else if bytes.get(1..4) == Some(b"dss") || bytes.get(1..4) == Some(b"ds2") {
        Some("Olympus/Philips DSS")
    } else {
        None
    };
    let text: String = bytes
        .iter()
        .take_while(|b| b.is_ascii_graphic() || **b == b' ')
        .map(|&b| char::from(b))
        .collect();
    // A format's tag is shown; other text is not: it may be a letter with a patient's name.
    let start = if guess.is_some() && text.len() >= 3 {
        format!("starts with `{}`", &text[..text.len().min(4)])
    } else if text.len() >= 3 {
        "it looks like a text file (its contents are not shown here)".to_owned()
    } else {
        let hex: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02x}")).collect();
        format!("starts with bytes {}", hex.join(" "))
    };
    match guess {
        Some(g) => format!("it looks like {g}: {start}"),
        None => start,
    }
}

/// Reads every sample as f32 in [-1, 1], whatever the stored format.
fn read_samples(
    reader: hound::WavReader<BufReader<File>>,
    file_len: u64,
    path: &Path,
) -> Result<Vec<f32>, AudioError> {
    let spec = reader.spec();
    // The header's sample count may be a lie (a huge claim in a small file): never allocate
    // more than the file could hold.
    let bytes_per_sample = u64::from(spec.bits_per_sample.div_ceil(8).max(1));
    let capacity = (u64::from(reader.len()).min(file_len / bytes_per_sample)) as usize;
    let mut out = Vec::with_capacity(capacity);
    let map_err = |e: hound::Error| match e {
        hound::Error::IoError(ref io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            AudioError::Truncated {
                path: path.to_owned(),
            }
        }
        hound::Error::Unsupported => AudioError::Unsupported {
            path: path.to_owned(),
            reason: format!(
                "{} bits per sample, {}",
                spec.bits_per_sample,
                if spec.sample_format == hound::SampleFormat::Float {
                    "float"
                } else {
                    "integer"
                }
            ),
        },
        other => AudioError::BadWav {
            path: path.to_owned(),
            reason: other.to_string(),
        },
    };
    match spec.sample_format {
        hound::SampleFormat::Float => {
            for s in reader.into_samples::<f32>() {
                out.push(s.map_err(map_err)?);
            }
        }
        hound::SampleFormat::Int => {
            let bits = spec.bits_per_sample;
            if !(1..=32).contains(&bits) {
                return Err(map_err(hound::Error::Unsupported));
            }
            let scale = 1.0 / (1u64 << (bits - 1)) as f64;
            for s in reader.into_samples::<i32>() {
                out.push((f64::from(s.map_err(map_err)?) * scale) as f32);
            }
        }
    }
    Ok(out)
}

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

/// Resamples mono audio to 16 kHz with a band-limited FFT resampler (no sample dropping, so
/// no aliasing from higher rates).
pub fn resample(mono: &[f32], rate: u32) -> Result<Vec<f32>, String> {
    if rate == SAMPLE_RATE {
        return Ok(mono.to_vec());
    }
    let expected = (mono.len() as u64 * u64::from(SAMPLE_RATE) / u64::from(rate)) as usize;
    let mut resampler = FftFixedIn::<f32>::new(rate as usize, SAMPLE_RATE as usize, 1024, 2, 1)
        .map_err(|e| format!("cannot resample from {rate} Hz: {e}"))?;
    let delay = resampler.output_delay();
    let mut out = Vec::with_capacity(expected + delay + 2048);
    let mut pos = 0;
    let err = |e: rubato::ResampleError| format!("resampling failed: {e}");
    while mono.len() - pos >= resampler.input_frames_next() {
        let n = resampler.input_frames_next();
        let chunk = resampler
            .process(&[&mono[pos..pos + n]], None)
            .map_err(err)?;
        out.extend_from_slice(&chunk[0]);
        pos += n;
    }
    if pos < mono.len() {
        let chunk = resampler
            .process_partial(Some(&[&mono[pos..]]), None)
            .map_err(err)?;
        out.extend_from_slice(&chunk[0]);
    }
    while out.len() < expected + delay {
        let chunk = resampler
            .process_partial::<&[f32]>(None, None)
            .map_err(err)?;
        if chunk[0].is_empty() {
            break;
        }
        out.extend_from_slice(&chunk[0]);
    }
    let end = (delay + expected).min(out.len());
    Ok(out[delay.min(end)..end].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn resample_removes_tones_above_nyquist() {
        // 7.9 kHz is kept at 16 kHz; 12 kHz must be filtered out, not folded back as 4 kHz.
        let out = resample(&sine(48_000, 12_000.0, 1.0), 48_000).unwrap();
        let energy = out[1000..15_000].iter().map(|v| v * v).sum::<f32>() / 14_000.0;
        assert!(energy < 1e-4, "aliased energy {energy}");
    }

    #[test]
    fn magic_is_described_readably() {
        assert_eq!(
            describe_magic(b"ID3\x04\x00"),
            "it looks like MP3: starts with `ID3`"
        );
        assert_eq!(
            describe_magic(b"fLaC\x00"),
            "it looks like FLAC: starts with `fLaC`"
        );
        assert_eq!(
            describe_magic(b"\x00\x00\x00\x20ftypM4A "),
            "it looks like MP4/M4A: starts with bytes 00 00 00 20"
        );
        assert_eq!(
            describe_magic(b"\x00\x01\x02\x03\x04"),
            "starts with bytes 00 01 02 03"
        );
        assert_eq!(
            describe_magic(b"Dear Dr Smith"),
            "it looks like a text file (its contents are not shown here)"
        );
    }
}
