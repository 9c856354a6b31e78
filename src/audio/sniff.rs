//! A recording's format told from its first bytes, never from its name.

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

    /// Formats a browser's audio element plays as they are (Chromium's and Firefox's: PCM WAV,
    /// MP3, AAC, MP4/M4A, FLAC, Ogg Vorbis, Opus and FLAC, WebM); the others (dictation machines'
    /// DSS and DS2, AIFF, AMR, WMA) the review desk converts.
    pub fn browser_plays(self) -> bool {
        matches!(
            self,
            Kind::Wav
                | Kind::Mp3
                | Kind::Adts
                | Kind::Mp4
                | Kind::Flac
                | Kind::OggVorbis
                | Kind::OggFlac
                | Kind::OggOpus
                | Kind::Webm
        )
    }

    /// Formats no Rust decoder here reads: ffmpeg's job.
    pub(super) fn needs_ffmpeg(self) -> bool {
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
pub(super) fn describe_unknown(bytes: &[u8]) -> String {
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
