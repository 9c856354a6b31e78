//! `dictate transcribe`: the raw transcript of each recording (text, or JSON with segments, times
//! and token probabilities), with no letter stages.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;

use crate::asr::listen;
use crate::audio;
use crate::config::{Config, Overrides};
use crate::exit::Exit;
use crate::jobs::setup::load_transcriber;
use crate::report::Output;

pub fn transcribe(
    paths: &[PathBuf],
    json: bool,
    overrides: &Overrides,
    io: Output<'_>,
) -> Result<Exit> {
    let config = Config::resolve(overrides)?;
    let t = Instant::now();
    let mut transcriber = load_transcriber(&config)?;
    let load_secs = t.elapsed().as_secs_f64();
    let several = paths.len() > 1;
    let (mut failed, mut audio_secs, mut model_secs) = (0, 0.0, 0.0f64);
    for path in paths {
        // A bad recording is a failed job (exit 1), not a set-up error.
        let heard = match listen::hear(path, &mut transcriber) {
            Ok(h) => h,
            Err(e) => match e.downcast_ref::<audio::AudioError>() {
                Some(bad) => {
                    failed += 1;
                    writeln!(io.err, "error: {bad}")?;
                    continue;
                }
                None => return Err(e),
            },
        };
        model_secs += heard.model_seconds;
        audio_secs += heard.seconds;
        let transcript = heard.transcript;
        match (json, several) {
            (true, false) => {
                serde_json::to_writer_pretty(&mut *io.out, &transcript)?;
                writeln!(io.out)?;
            }
            (true, true) => {
                let line = serde_json::json!({ "source": path, "segments": transcript.segments });
                writeln!(io.out, "{line}")?;
            }
            (false, false) => writeln!(io.out, "{}", transcript.text())?,
            (false, true) => writeln!(io.out, "== {}\n{}", path.display(), transcript.text())?,
        }
    }
    tracing::debug!("model time: {}", transcriber.time_split());
    tracing::debug!(
        "{} of the encoder's matrix products ran on AMX BF16 tiles",
        crate::asr::transcribe::tile_products()
    );
    if !overrides.quiet {
        writeln!(
            io.err,
            "transcribed {audio_secs:.1} s of audio in {model_secs:.2} s ({:.1}x real time; model loaded once, in {load_secs:.2} s)",
            audio_secs / model_secs.max(1e-9)
        )?;
    }
    Ok(if failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::Done
    })
}
