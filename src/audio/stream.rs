//! A recording decoded, downmixed and resampled to 16 kHz mono as it is read, one piece at a
//! time, so a long recording is never held whole. The decoder is chosen by the file's content.

use std::collections::VecDeque;
use std::fs::File;
use std::path::{Path, PathBuf};

use super::error::AudioError;
use super::ffmpeg::{ffmpeg_binary, open_ffmpeg, FfmpegSource};
use super::packets::{ogg_ends_whole, open_symphonia, SymphoniaSource};
use super::resample::{downmix, StreamResampler};
use super::sniff::{describe_unknown, sniff, Kind};
use super::source::{read_up_to, Chunk, SourceFormat, SAMPLE_RATE};
use super::wav::{open_wav, WavSource};

/// One of the three decoders, each yielding chunks until the end.
pub(super) enum Decoder {
    Wav(WavSource),
    Symphonia(SymphoniaSource),
    Ffmpeg(FfmpegSource),
}

impl Decoder {
    pub(super) fn next(&mut self, path: &Path) -> Result<Option<Chunk>, AudioError> {
        match self {
            Decoder::Wav(s) => s.next(path),
            Decoder::Symphonia(s) => s.next(path),
            Decoder::Ffmpeg(s) => s.next(path),
        }
    }
}

/// A recording, decoded and converted to 16 kHz mono as it is read.
pub struct AudioStream {
    path: PathBuf,
    decoder: Decoder,
    source: SourceFormat,
    /// The file's own rate and channels, once the first audio is decoded.
    shape: Option<(u32, usize)>,
    resampler: Option<StreamResampler>,
    ready: VecDeque<f32>,
    ended: bool,
    produced: u64,
}

impl AudioStream {
    /// Opens `path` and recognises its format from its content.
    pub fn open(path: &Path) -> Result<AudioStream, AudioError> {
        let io = |err| AudioError::Io {
            path: path.to_owned(),
            err,
        };
        let mut file = File::open(path).map_err(io)?;
        if file.metadata().map_err(io)?.len() == 0 {
            return Err(AudioError::EmptyFile {
                path: path.to_owned(),
            });
        }
        let mut magic = [0u8; 64];
        let got = read_up_to(&mut file, &mut magic).map_err(io)?;
        let kind = sniff(&magic[..got]);
        if matches!(
            kind,
            Kind::OggVorbis | Kind::OggOpus | Kind::OggFlac | Kind::OggOther
        ) && !ogg_ends_whole(&mut file).map_err(io)?
        {
            return Err(AudioError::Truncated {
                path: path.to_owned(),
                format: kind.name().to_owned(),
            });
        }
        drop(file);
        let (decoder, source) = match kind {
            Kind::Unknown => {
                return Err(AudioError::NotAudio {
                    path: path.to_owned(),
                    magic: describe_unknown(&magic[..got]),
                })
            }
            Kind::Wav => match open_wav(path) {
                Ok(Some((s, f))) => (Decoder::Wav(s), f),
                // A-law, mu-law, ADPCM and other codecs in a WAV file: symphonia's. When
                // symphonia cannot read it either, hound's reason is the one given.
                Ok(None) => symphonia(path, kind)?,
                Err(e @ AudioError::BadWav { .. }) => symphonia(path, kind).map_err(|_| e)?,
                Err(e) => return Err(e),
            },
            // DSS Pro: ffmpeg reads DSS (SP and LP) but not DS2's codec.
            Kind::Ds2 => {
                return Err(AudioError::NoOpenDecoder {
                    path: path.to_owned(),
                    format: kind.name().to_owned(),
                })
            }
            k if k.needs_ffmpeg() => ffmpeg(path, kind)?,
            _ => match symphonia(path, kind) {
                Err(AudioError::Unsupported { .. }) if ffmpeg_binary().is_some() => {
                    ffmpeg(path, kind)?
                }
                other => other?,
            },
        };
        Ok(AudioStream {
            path: path.to_owned(),
            decoder,
            source,
            shape: None,
            resampler: None,
            ready: VecDeque::new(),
            ended: false,
            produced: 0,
        })
    }

    /// What the file holds (complete once the stream has ended, for ffmpeg's formats).
    pub fn source(&self) -> &SourceFormat {
        &self.source
    }

    /// Seconds of 16 kHz audio handed out so far.
    pub fn seconds_read(&self) -> f64 {
        self.produced as f64 / f64::from(SAMPLE_RATE)
    }

    /// Up to `max` more 16 kHz mono samples; empty once the recording has ended.
    pub fn read(&mut self, max: usize) -> Result<Vec<f32>, AudioError> {
        while self.ready.len() < max && !self.ended {
            match self.decoder.next(&self.path)? {
                Some(chunk) => self.take(chunk)?,
                None => {
                    self.ended = true;
                    if let Some(r) = &mut self.resampler {
                        let tail = r.finish().map_err(|reason| self.unsupported(reason))?;
                        self.ready.extend(tail);
                    }
                    if let Decoder::Ffmpeg(f) = &self.decoder {
                        let mut parts = f.said.split(", ");
                        if let Some(codec) = parts.next().filter(|c| !c.is_empty()) {
                            self.source.codec = codec.to_owned();
                        }
                        if let Some(rate) = parts.next().and_then(|r| r.strip_suffix(" Hz")) {
                            self.source.sample_rate = rate.parse().unwrap_or(0);
                        }
                        self.source.channels = match parts.next() {
                            Some("mono") => 1,
                            Some("stereo") => 2,
                            Some(other) => other
                                .split(' ')
                                .next()
                                .and_then(|n| n.parse().ok())
                                .unwrap_or(0),
                            None => 0,
                        };
                    }
                }
            }
        }
        let n = max.min(self.ready.len());
        if n == 0 && self.produced == 0 {
            return Err(AudioError::NoAudio {
                path: self.path.clone(),
            });
        }
        self.produced += n as u64;
        Ok(self.ready.drain(..n).collect())
    }

    fn unsupported(&self, reason: String) -> AudioError {
        AudioError::Unsupported {
            path: self.path.clone(),
            format: self.source.container.clone(),
            reason,
        }
    }

    fn damaged(&self, reason: String) -> AudioError {
        AudioError::Damaged {
            path: self.path.clone(),
            format: self.source.container.clone(),
            reason,
        }
    }

    fn take(&mut self, chunk: Chunk) -> Result<(), AudioError> {
        if chunk.channels == 0 || chunk.rate == 0 {
            return Err(self.damaged(format!(
                "its header gives {} channel{} at {} Hz",
                chunk.channels,
                if chunk.channels == 1 { "" } else { "s" },
                chunk.rate
            )));
        }
        // Float samples that are no numbers would poison every window the model hears.
        if let Some(at) = chunk.samples.iter().position(|s| !s.is_finite()) {
            let seconds = (self.produced as f64 + self.ready.len() as f64) / f64::from(SAMPLE_RATE)
                + at as f64 / (chunk.rate as f64 * chunk.channels as f64);
            return Err(self.damaged(format!(
                "samples that are not numbers (NaN or infinite) from about {seconds:.1} s"
            )));
        }
        match self.shape {
            None => {
                self.shape = Some((chunk.rate, chunk.channels));
                if self.source.decoder != "ffmpeg" {
                    self.source.sample_rate = chunk.rate;
                    self.source.channels = chunk.channels as u16;
                }
                self.resampler =
                    Some(StreamResampler::new(chunk.rate).map_err(|r| self.unsupported(r))?);
            }
            Some(shape) if shape != (chunk.rate, chunk.channels) => {
                return Err(self.unsupported(format!(
                    "the audio changes from {} Hz, {} channels to {} Hz, {} channels partway",
                    shape.0, shape.1, chunk.rate, chunk.channels
                )));
            }
            Some(_) => {}
        }
        let mono = downmix(&chunk.samples, chunk.channels);
        let out = match &mut self.resampler {
            Some(r) => r.push(&mono),
            None => Ok(mono),
        }
        .map_err(|r| self.unsupported(r))?;
        self.ready.extend(out);
        Ok(())
    }
}

fn symphonia(path: &Path, kind: Kind) -> Result<(Decoder, SourceFormat), AudioError> {
    open_symphonia(path, kind).map(|(s, f)| (Decoder::Symphonia(s), f))
}

fn ffmpeg(path: &Path, kind: Kind) -> Result<(Decoder, SourceFormat), AudioError> {
    open_ffmpeg(path, kind).map(|(s, f)| (Decoder::Ffmpeg(s), f))
}
