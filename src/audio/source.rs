//! What a decoder yields and what the record says of the file: plain data shared by the
//! decoders and the stream.

use std::io::Read;

/// Whisper's sample rate.
pub const SAMPLE_RATE: u32 = 16_000;

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

/// Decoded audio as it comes, interleaved, at the file's own rate.
pub(super) struct Chunk {
    pub samples: Vec<f32>,
    pub rate: u32,
    pub channels: usize,
}

pub(super) fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
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
