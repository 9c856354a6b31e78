//! Compressed and container formats through symphonia: MP3, AAC/M4A, Ogg Vorbis, FLAC, AIFF and
//! the WAV codecs hound does not read (A-law, mu-law, ADPCM); damaged and truncated files told
//! apart from a few bad frames.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::error::AudioError;
use super::sniff::Kind;
use super::source::{Chunk, SourceFormat};

pub(super) struct SymphoniaSource {
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
pub(super) const MAX_BAD_PACKETS: usize = 20;

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

    pub(super) fn next(&mut self, path: &Path) -> Result<Option<Chunk>, AudioError> {
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

/// Opens a file with symphonia, which finds the container from the content.
pub(super) fn open_symphonia(
    path: &Path,
    kind: Kind,
) -> Result<(SymphoniaSource, SourceFormat), AudioError> {
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
        SymphoniaSource {
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
        },
        source,
    ))
}

/// Whether an Ogg file ends with its last page: the final "OggS" page in the file has the
/// end-of-stream flag. An Ogg file states no length, so this is how a cut-off copy is told.
pub(super) fn ogg_ends_whole(file: &mut File) -> std::io::Result<bool> {
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
