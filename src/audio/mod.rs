//! Reads a recording into what Whisper wants: 16 kHz mono f32 samples in [-1, 1], as a stream, so
//! that a forty-minute recording is never held whole. It owns file decoding (WAV through hound;
//! MP3, AAC/M4A, Ogg Vorbis, FLAC and A-law/mu-law WAV through symphonia; DSS/DS2 and Opus through
//! an installed ffmpeg), chosen by the file's content, never its name, and resampling (rubato).
//! It must not know about models or letters.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use rubato::{FftFixedIn, Resampler};
use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use thiserror::Error;

/// Whisper's sample rate.
pub const SAMPLE_RATE: u32 = 16_000;

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

/// What the file held, for the record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceFormat {
    /// "WAV", "MP3", "MP4/M4A", "Ogg", "FLAC", "DSS" ...: what the content is, whatever the name.
    pub container: String,
    /// "pcm", "float", "mp3", "aac", "vorbis", "flac", "alaw", "ulaw" ...
    pub codec: String,
    pub sample_rate: u32,
    pub channels: u16,
    /// Bits per stored sample for PCM; 0 for compressed audio.
    pub bits_per_sample: u16,
    pub float: bool,
    /// What decoded it: "hound", "symphonia" or "ffmpeg".
    pub decoder: String,
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
    #[error("cannot read `{path}`: not an audio file dictate knows ({magic}); dictate reads WAV, MP3, M4A/AAC, Ogg Vorbis and FLAC (and DSS and Opus when ffmpeg is installed); export the recording in one of those")]
    NotAudio { path: PathBuf, magic: String },
    #[error(
        "cannot read `{path}`: damaged WAV file ({reason}); re-export or re-copy the recording"
    )]
    BadWav { path: PathBuf, reason: String },
    #[error("cannot read `{path}`: damaged {format} file ({reason}); re-export or re-copy the recording")]
    Damaged {
        path: PathBuf,
        format: String,
        reason: String,
    },
    #[error("cannot read `{path}`: the {format} file is truncated: it ends partway through its audio data; re-copy the recording")]
    Truncated { path: PathBuf, format: String },
    #[error("cannot read `{path}`: the recording holds no audio (0 samples)")]
    NoAudio { path: PathBuf },
    #[error(
        "cannot read `{path}`: unsupported {format} audio ({reason}); convert it to WAV or MP3"
    )]
    Unsupported {
        path: PathBuf,
        format: String,
        reason: String,
    },
    #[error("cannot read `{path}`: it is {format} audio, which dictate decodes with ffmpeg, and ffmpeg is not installed; install it (`apt-get install ffmpeg`) or export the recording as WAV or MP3 from the dictation software")]
    NeedsFfmpeg { path: PathBuf, format: String },
    #[error("cannot read `{path}`: it is {format} audio, which no open decoder reads (ffmpeg included); export the recording from the dictation software (Olympus ODMS, Philips SpeechExec) as DSS, WAV or MP3")]
    NoOpenDecoder { path: PathBuf, format: String },
    #[error("cannot read `{path}`: ffmpeg could not decode this {format} file ({reason}); re-copy the recording or export it as WAV or MP3")]
    Ffmpeg {
        path: PathBuf,
        format: String,
        reason: String,
    },
}

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Wav,
    Aiff,
    Mp3,
    /// AAC in ADTS frames (.aac).
    Adts,
    Mp4,
    Flac,
    OggVorbis,
    OggFlac,
    OggOpus,
    /// Ogg with a codec dictate does not know by name (Speex ...).
    OggOther,
    Dss,
    Ds2,
    Amr,
    /// Matroska or WebM (browser and app recordings, usually Opus).
    Webm,
    /// Windows Media Audio (ASF).
    Wma,
    Unknown,
}

impl Kind {
    /// The format's name, as the user knows it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Wav => "WAV",
            Kind::Aiff => "AIFF",
            Kind::Mp3 => "MP3",
            Kind::Adts => "AAC",
            Kind::Mp4 => "MP4/M4A",
            Kind::Flac => "FLAC",
            Kind::OggVorbis => "Ogg Vorbis",
            Kind::OggFlac => "Ogg FLAC",
            Kind::OggOpus => "Ogg Opus",
            Kind::OggOther => "Ogg",
            Kind::Dss => "DSS (Olympus/Philips dictation)",
            Kind::Ds2 => "DS2 (DSS Pro, Olympus/Philips dictation)",
            Kind::Amr => "AMR",
            Kind::Webm => "WebM/Matroska",
            Kind::Wma => "WMA",
            Kind::Unknown => "unknown",
        }
    }

    /// Formats no Rust decoder here reads: ffmpeg's job.
    fn needs_ffmpeg(self) -> bool {
        matches!(
            self,
            Kind::Dss | Kind::OggOpus | Kind::OggOther | Kind::Amr | Kind::Webm | Kind::Wma
        )
    }
}

/// Tells the format from the first bytes of a file (at least 64 for Ogg's codec).
pub fn sniff(bytes: &[u8]) -> Kind {
    let at = |i: usize, tag: &[u8]| bytes.get(i..i + tag.len()) == Some(tag);
    if at(0, b"RIFF") || at(0, b"RF64") {
        Kind::Wav
    } else if at(0, b"FORM") && (at(8, b"AIFF") || at(8, b"AIFC")) {
        Kind::Aiff
    } else if at(0, b"ID3") {
        Kind::Mp3
    } else if at(0, b"fLaC") {
        Kind::Flac
    } else if at(0, b"OggS") {
        // The first page holds the codec's identification header at byte 28.
        if at(28, b"\x01vorbis") {
            Kind::OggVorbis
        } else if at(28, b"OpusHead") {
            Kind::OggOpus
        } else if at(28, b"\x7fFLAC") {
            Kind::OggFlac
        } else {
            Kind::OggOther
        }
    } else if at(4, b"ftyp") {
        Kind::Mp4
    } else if at(1, b"dss") {
        Kind::Dss
    } else if at(1, b"ds2") {
        Kind::Ds2
    } else if at(0, b"#!AMR") {
        Kind::Amr
    } else if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        Kind::Webm
    } else if at(0, &[0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]) {
        Kind::Wma
    } else if bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0 {
        // An MPEG audio frame sync: layer bits 00 are AAC's ADTS, others MPEG layers I-III.
        if bytes[1] & 0x06 == 0 {
            Kind::Adts
        } else {
            Kind::Mp3
        }
    } else {
        Kind::Unknown
    }
}

/// Says what a file that is not audio seems to be, from its first bytes, without quoting text
/// (it may be a letter with a patient's name).
fn describe_unknown(bytes: &[u8]) -> String {
    let text = bytes
        .iter()
        .take(16)
        .filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        .count();
    if text >= 12.min(bytes.len()).max(3) {
        "it looks like a text file (its contents are not shown here)".to_owned()
    } else {
        let hex: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02x}")).collect();
        format!("it starts with bytes {}", hex.join(" "))
    }
}

/// Decoded audio as it comes, interleaved, at the file's own rate.
struct Chunk {
    samples: Vec<f32>,
    rate: u32,
    channels: usize,
}

/// Interleaved samples read per step from a WAV file (about 0.2 s of 44.1 kHz stereo).
const WAV_STEP: usize = 16_384;

/// One of the three decoders, each yielding chunks until the end.
enum Decoder {
    Wav(WavSource),
    Symphonia(SymphoniaSource),
    Ffmpeg(FfmpegSource),
}

impl Decoder {
    fn next(&mut self, path: &Path) -> Result<Option<Chunk>, AudioError> {
        match self {
            Decoder::Wav(s) => s.next(path),
            Decoder::Symphonia(s) => s.next(path),
            Decoder::Ffmpeg(s) => s.next(path),
        }
    }
}

struct WavSource {
    reader: hound::WavReader<BufReader<File>>,
    /// Scale from integer samples to [-1, 1]; `None` for float.
    scale: Option<f64>,
}

impl WavSource {
    fn next(&mut self, path: &Path) -> Result<Option<Chunk>, AudioError> {
        let spec = self.reader.spec();
        let channels = usize::from(spec.channels);
        let map_err = |e: hound::Error| match e {
            hound::Error::IoError(ref io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
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

struct SymphoniaSource {
    format: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    kind: Kind,
    good_packets: usize,
    bad_packets: usize,
    last_error: String,
    /// The frames the container says the track holds, and those decoded so far.
    declared_frames: Option<u64>,
    decoded_frames: u64,
    rate: u32,
}

/// Packets that fail to decode before a recording is called damaged (a few bad frames in a long
/// MP3 are skipped, as players do).
const MAX_BAD_PACKETS: usize = 20;

impl SymphoniaSource {
    /// The end of the stream. A container that states its length (WAV, MP4, FLAC, an MP3's
    /// Xing header) and ends more than a second short of it was cut off: part of the dictation
    /// is missing, which the secretary must not discover from the letter.
    fn end(&self, path: &Path) -> Result<Option<Chunk>, AudioError> {
        if let Some(declared) = self.declared_frames {
            if self.decoded_frames + u64::from(self.rate.max(1)) < declared {
                return Err(AudioError::Truncated {
                    path: path.to_owned(),
                    format: self.kind.name().to_owned(),
                });
            }
        }
        Ok(None)
    }

    fn next(&mut self, path: &Path) -> Result<Option<Chunk>, AudioError> {
        use symphonia::core::errors::Error as E;
        let damaged = |reason: String| AudioError::Damaged {
            path: path.to_owned(),
            format: self.kind.name().to_owned(),
            reason,
        };
        loop {
            let packet = match self.format.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => return self.end(path),
                // Some readers end this way; an end before any audio is a cut file.
                Err(E::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    if self.good_packets == 0 {
                        return Err(AudioError::Truncated {
                            path: path.to_owned(),
                            format: self.kind.name().to_owned(),
                        });
                    }
                    return self.end(path);
                }
                Err(E::ResetRequired) => {
                    return Err(AudioError::Unsupported {
                        path: path.to_owned(),
                        format: self.kind.name().to_owned(),
                        reason: "the stream changes format partway".to_owned(),
                    })
                }
                Err(e) => return Err(damaged(e.to_string())),
            };
            if packet.track_id != self.track_id {
                continue;
            }
            match self.decoder.decode(&packet) {
                Ok(buf) => {
                    self.good_packets += 1;
                    let spec = buf.spec();
                    let (rate, channels) = (spec.rate(), spec.channels().count());
                    let mut samples = Vec::new();
                    buf.copy_to_vec_interleaved::<f32>(&mut samples);
                    self.decoded_frames += buf.frames() as u64;
                    self.rate = rate;
                    if samples.is_empty() {
                        continue;
                    }
                    return Ok(Some(Chunk {
                        samples,
                        rate,
                        channels,
                    }));
                }
                Err(E::DecodeError(msg)) => {
                    self.bad_packets += 1;
                    self.last_error = msg.to_owned();
                    if self.bad_packets > MAX_BAD_PACKETS.max(self.good_packets / 10) {
                        return Err(damaged(format!(
                            "{} parts of it cannot be decoded: {}",
                            self.bad_packets, self.last_error
                        )));
                    }
                }
                Err(E::IoError(_)) => continue,
                Err(e) => return Err(damaged(e.to_string())),
            }
        }
    }
}

/// ffmpeg, converting to 16 kHz mono 16-bit PCM on a pipe.
struct FfmpegSource {
    child: Child,
    stdout: ChildStdout,
    stderr: Option<std::thread::JoinHandle<String>>,
    kind: Kind,
    finished: bool,
    /// What ffmpeg said of the input stream ("dss_sp, 11025 Hz, mono"), once known.
    said: String,
}

impl FfmpegSource {
    fn next(&mut self, path: &Path) -> Result<Option<Chunk>, AudioError> {
        if self.finished {
            return Ok(None);
        }
        let mut buf = vec![0u8; 32_768];
        let got = read_up_to(&mut self.stdout, &mut buf).map_err(|err| AudioError::Io {
            path: path.to_owned(),
            err,
        })?;
        if got == 0 {
            self.finished = true;
            let status = self.child.wait().map_err(|err| AudioError::Io {
                path: path.to_owned(),
                err,
            })?;
            let said = self
                .stderr
                .take()
                .and_then(|h| h.join().ok())
                .unwrap_or_default();
            self.said = stream_description(&said).unwrap_or_default();
            if !status.success() {
                let reason = said
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("no message")
                    .trim()
                    // ffmpeg names the file; the error names it already.
                    .replace(&path.display().to_string(), "the file");
                return Err(AudioError::Ffmpeg {
                    path: path.to_owned(),
                    format: self.kind.name().to_owned(),
                    reason,
                });
            }
            return Ok(None);
        }
        let samples = buf[..got - got % 2]
            .chunks_exact(2)
            .map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32_768.0)
            .collect();
        Ok(Some(Chunk {
            samples,
            rate: SAMPLE_RATE,
            channels: 1,
        }))
    }
}

impl Drop for FfmpegSource {
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// "dss_sp, 11025 Hz, mono" from ffmpeg's "Stream #0:0: Audio: dss_sp, 11025 Hz, mono, flt".
fn stream_description(stderr: &str) -> Option<String> {
    let line = stderr.lines().find(|l| l.contains("Audio: "))?;
    let rest = &line[line.find("Audio: ")? + 7..];
    Some(rest.split(", ").take(3).collect::<Vec<_>>().join(", "))
}

/// The ffmpeg to use: `DICTATE_FFMPEG` if set (empty: none), else `ffmpeg` on the PATH.
pub fn ffmpeg_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DICTATE_FFMPEG") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("ffmpeg"))
        .find(|p| p.is_file())
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
                Ok(Some(opened)) => opened,
                // A-law, mu-law, ADPCM and other codecs in a WAV file: symphonia's. When
                // symphonia cannot read it either, hound's reason is the one given.
                Ok(None) => open_symphonia(path, kind)?,
                Err(e @ AudioError::BadWav { .. }) => open_symphonia(path, kind).map_err(|_| e)?,
                Err(e) => return Err(e),
            },
            // DSS Pro: ffmpeg reads DSS (SP and LP) but not DS2's codec.
            Kind::Ds2 => {
                return Err(AudioError::NoOpenDecoder {
                    path: path.to_owned(),
                    format: kind.name().to_owned(),
                })
            }
            k if k.needs_ffmpeg() => open_ffmpeg(path, kind)?,
            _ => match open_symphonia(path, kind) {
                Err(AudioError::Unsupported { .. }) if ffmpeg_binary().is_some() => {
                    open_ffmpeg(path, kind)?
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

    fn take(&mut self, chunk: Chunk) -> Result<(), AudioError> {
        if chunk.channels == 0 || chunk.rate == 0 {
            return Err(
                self.unsupported(format!("{} channels at {} Hz", chunk.channels, chunk.rate))
            );
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

/// Opens a WAV file with hound; `None` when its codec is not PCM or float (symphonia's then).
fn open_wav(path: &Path) -> Result<Option<(Decoder, SourceFormat)>, AudioError> {
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
    Ok(Some((Decoder::Wav(WavSource { reader, scale }), source)))
}

/// Opens a file with symphonia, which finds the container from the content.
fn open_symphonia(path: &Path, kind: Kind) -> Result<(Decoder, SourceFormat), AudioError> {
    use symphonia::core::errors::Error as E;
    let file = File::open(path).map_err(|err| AudioError::Io {
        path: path.to_owned(),
        err,
    })?;
    let name = kind.name().to_owned();
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let fail = |e: E| match e {
        E::Unsupported(what) => AudioError::Unsupported {
            path: path.to_owned(),
            format: name.clone(),
            reason: what.to_owned(),
        },
        E::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => AudioError::Truncated {
            path: path.to_owned(),
            format: name.clone(),
        },
        other => AudioError::Damaged {
            path: path.to_owned(),
            format: name.clone(),
            reason: other.to_string(),
        },
    };
    // The container is known from its first bytes: a probe that finds no stream means a
    // damaged file, not an unsupported one.
    let format = symphonia::default::get_probe()
        .probe(
            &Hint::new(),
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| match e {
            E::Unsupported(_) => AudioError::Damaged {
                path: path.to_owned(),
                format: name.clone(),
                reason: format!("no {name} audio stream could be found in it"),
            },
            other => fail(other),
        })?;
    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| AudioError::NoAudio {
            path: path.to_owned(),
        })?;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| AudioError::NoAudio {
            path: path.to_owned(),
        })?
        .clone();
    let track_id = track.id;
    let declared_frames = track.num_frames.filter(|&n| n > 0);
    let decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(fail)?;
    let codec = symphonia::default::get_codecs()
        .get_audio_decoder(params.codec)
        .map(|d| d.codec.info.short_name.to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let source = SourceFormat {
        container: name,
        codec,
        sample_rate: params.sample_rate.unwrap_or(0),
        channels: params.channels.as_ref().map_or(0, |c| c.count() as u16),
        bits_per_sample: params.bits_per_sample.unwrap_or(0) as u16,
        float: false,
        decoder: "symphonia".to_owned(),
    };
    Ok((
        Decoder::Symphonia(SymphoniaSource {
            format,
            decoder,
            track_id,
            kind,
            good_packets: 0,
            bad_packets: 0,
            last_error: String::new(),
            declared_frames,
            decoded_frames: 0,
            rate: 0,
        }),
        source,
    ))
}

/// Starts ffmpeg converting `path` to 16 kHz mono PCM on a pipe.
fn open_ffmpeg(path: &Path, kind: Kind) -> Result<(Decoder, SourceFormat), AudioError> {
    let Some(ffmpeg) = ffmpeg_binary() else {
        return Err(AudioError::NeedsFfmpeg {
            path: path.to_owned(),
            format: kind.name().to_owned(),
        });
    };
    let mut child = Command::new(&ffmpeg)
        .args([
            "-nostdin",
            "-hide_banner",
            "-nostats",
            "-loglevel",
            "info",
            "-i",
        ])
        .arg(path)
        .args([
            "-vn",
            "-f",
            "s16le",
            "-acodec",
            "pcm_s16le",
            "-ac",
            "1",
            "-ar",
            "16000",
            "-",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| AudioError::Io {
            path: path.to_owned(),
            err: std::io::Error::new(
                err.kind(),
                format!("cannot start ffmpeg (`{}`): {err}", ffmpeg.display()),
            ),
        })?;
    let (Some(stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        return Err(AudioError::Io {
            path: path.to_owned(),
            err: std::io::Error::other("ffmpeg's output pipes are missing"),
        });
    };
    // Drained on its own thread so that a chatty ffmpeg never blocks on a full pipe; only the
    // last few kilobytes are kept.
    let stderr = std::thread::spawn(move || {
        let mut kept = String::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            kept.push_str(&String::from_utf8_lossy(&buf[..n]));
            if kept.len() > 16_384 {
                let cut = kept.len() - 8_192;
                let cut = (cut..kept.len())
                    .find(|&i| kept.is_char_boundary(i))
                    .unwrap_or(kept.len());
                // Keep the input description near the start, and the end.
                let head: String = kept.lines().take(12).collect::<Vec<_>>().join("\n");
                kept = format!("{head}\n{}", &kept[cut..]);
            }
        }
        kept
    });
    let source = SourceFormat {
        container: kind.name().to_owned(),
        codec: String::new(),
        sample_rate: 0,
        channels: 0,
        bits_per_sample: 0,
        float: false,
        decoder: "ffmpeg".to_owned(),
    };
    Ok((
        Decoder::Ffmpeg(FfmpegSource {
            child,
            stdout,
            stderr: Some(stderr),
            kind,
            finished: false,
            said: String::new(),
        }),
        source,
    ))
}

/// Whether an Ogg file ends with its last page: the final "OggS" page in the file has the
/// end-of-stream flag. An Ogg file states no length, so this is how a cut-off copy is told.
fn ogg_ends_whole(file: &mut File) -> std::io::Result<bool> {
    use std::io::{Seek, SeekFrom};
    let len = file.metadata()?.len();
    // A page is at most 65,307 bytes: the last page starts within the last 64 KiB (and a bit).
    let from = len.saturating_sub(70_000);
    file.seek(SeekFrom::Start(from))?;
    let mut tail = Vec::with_capacity((len - from) as usize);
    file.read_to_end(&mut tail)?;
    let Some(at) = tail.windows(4).rposition(|w| w == b"OggS") else {
        return Ok(false);
    };
    // Byte 5 of a page header holds its flags; 0x04 is "last page of the stream".
    Ok(tail.get(at + 5).is_some_and(|flags| flags & 0x04 != 0))
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

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(n)
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

/// Input frames the FFT resampler takes per step.
const RESAMPLE_CHUNK: usize = 1024;

/// Resampling to 16 kHz with a band-limited FFT resampler (no sample dropping, so no aliasing
/// from higher rates), a piece at a time: the output is the same as resampling the whole
/// recording at once (the filter's delay trimmed at the start, the length exact at the end).
struct StreamResampler {
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
    fn new(rate: u32) -> Result<Self, String> {
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

    fn push(&mut self, mono: &[f32]) -> Result<Vec<f32>, String> {
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

    fn finish(&mut self) -> Result<Vec<f32>, String> {
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

#[cfg(test)]
mod tests {
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
