//! Formats no Rust decoder reads (DSS, Opus, AMR, WebM, WMA), through an installed ffmpeg on a
//! pipe, 16 kHz mono s16le out; without ffmpeg, an error that says how to get it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use super::error::AudioError;
use super::sniff::Kind;
use super::source::{read_up_to, Chunk, SourceFormat, SAMPLE_RATE};

/// ffmpeg, converting to 16 kHz mono 16-bit PCM on a pipe.
pub(super) struct FfmpegSource {
    child: Child,
    stdout: ChildStdout,
    stderr: Option<std::thread::JoinHandle<String>>,
    kind: Kind,
    finished: bool,
    /// What ffmpeg said of the input stream ("dss_sp, 11025 Hz, mono"), once known.
    pub(super) said: String,
}

impl FfmpegSource {
    pub(super) fn next(&mut self, path: &Path) -> Result<Option<Chunk>, AudioError> {
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
pub(super) fn stream_description(stderr: &str) -> Option<String> {
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

/// Starts ffmpeg converting `path` to 16 kHz mono PCM on a pipe.
pub(super) fn open_ffmpeg(
    path: &Path,
    kind: Kind,
) -> Result<(FfmpegSource, SourceFormat), AudioError> {
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
        FfmpegSource {
            child,
            stdout,
            stderr: Some(stderr),
            kind,
            finished: false,
            said: String::new(),
        },
        source,
    ))
}
