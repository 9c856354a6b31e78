//! Why a recording could not be read: each error names the file and says what to do.

use std::path::PathBuf;

use thiserror::Error;

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
