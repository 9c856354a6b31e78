//! `dictate doctor`: checks what a run needs on this machine (the config and the files it names,
//! the model, ffmpeg, LibreOffice, a letters folder) and says, for each problem, what to do.
//! It reads and tries; it changes nothing but a probe file it removes.

use std::path::Path;
use std::process::Command as Process;

use anyhow::Result;

use crate::asr::model::{self, catalog, ggml};
use crate::config::{Config, Overrides};
use crate::exit::Exit;
use crate::fsio::file_digests;
use crate::jobs::setup::load_lexicon;
use crate::letter::render::Templates;
use crate::report::Output;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Ok,
    /// Works, but something is worth knowing.
    Warning,
    /// A run would fail or lose something: fix it.
    Problem,
}

struct Finding {
    verdict: Verdict,
    what: &'static str,
    said: String,
}

/// Free space below which a letters folder is a problem, and a warning.
const FULL: u64 = 100 << 20;
const TIGHT: u64 = 1 << 30;

pub fn doctor(out: Option<&Path>, overrides: &Overrides, io: Output<'_>) -> Result<Exit> {
    let mut found = Vec::new();
    let mut note = |verdict, what, said: String| {
        found.push(Finding {
            verdict,
            what,
            said,
        });
    };
    check_config(overrides, &mut note);
    match crate::audio::ffmpeg_binary() {
        Some(ffmpeg) => note(
            Verdict::Ok,
            "ffmpeg",
            format!("{} ({})", ffmpeg.display(), version(&ffmpeg, "-version")),
        ),
        None => note(
            Verdict::Warning,
            "ffmpeg",
            "not found: WAV, MP3, M4A, Ogg and FLAC are read without it, but DSS, DS2, Opus, \
             AMR, WebM and WMA recordings will fail; install it: apt-get install ffmpeg"
                .to_owned(),
        ),
    }
    match on_path("soffice") {
        Some(soffice) => note(
            Verdict::Ok,
            "LibreOffice",
            format!(
                "{} (the tests open every letter with it)",
                soffice.display()
            ),
        ),
        None => note(
            Verdict::Warning,
            "LibreOffice",
            "not found: letters are written without it; only the tests need it \
             (apt-get install libreoffice-writer-nogui)"
                .to_owned(),
        ),
    }
    if let Some(out) = out {
        check_folder(out, &mut note);
    }
    let problems = found
        .iter()
        .filter(|f| f.verdict == Verdict::Problem)
        .count();
    for f in &found {
        let label = match f.verdict {
            Verdict::Ok => "ok",
            Verdict::Warning => "warning",
            Verdict::Problem => "PROBLEM",
        };
        writeln!(io.out, "{label:<8} {}: {}", f.what, f.said)?;
    }
    writeln!(
        io.out,
        "{}",
        match problems {
            0 => "nothing to fix".to_owned(),
            1 => "1 problem to fix".to_owned(),
            n => format!("{n} problems to fix"),
        }
    )?;
    Ok(if problems == 0 {
        Exit::Done
    } else {
        Exit::SomeFailed
    })
}

/// The config file, and what it names: the model, the vocabulary files, the templates.
fn check_config(overrides: &Overrides, note: &mut impl FnMut(Verdict, &'static str, String)) {
    match Config::resolve(overrides) {
        Err(e) => note(
            Verdict::Problem,
            "config",
            format!("{e:#}; mend the file, or name another with --config or DICTATE_CONFIG"),
        ),
        Ok(config) => {
            note(
                Verdict::Ok,
                "config",
                config.file.as_ref().map_or_else(
                    || {
                        "no config file found (./dictate.toml, ~/.config/dictate/config.toml, \
                         /etc/dictate/config.toml): defaults in use, no letterhead"
                            .to_owned()
                    },
                    |f| format!("{} read", f.display()),
                ),
            );
            check_model(&config, note);
            match load_lexicon(&config) {
                Ok(Some(_)) => note(
                    Verdict::Ok,
                    "vocabulary",
                    if config.terms.vocabulary.is_empty() {
                        "built-in term lists only (no vocabulary file named)".to_owned()
                    } else {
                        format!(
                            "{} read",
                            config
                                .terms
                                .vocabulary
                                .iter()
                                .map(|p| p.display().to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                ),
                Ok(None) => note(
                    Verdict::Warning,
                    "vocabulary",
                    "the terminology pass is off in the config".to_owned(),
                ),
                Err(e) => note(Verdict::Problem, "vocabulary", format!("{e:#}")),
            }
            if !config.terms.medical_dictionary.is_file() {
                note(
                    Verdict::Warning,
                    "medical words",
                    format!(
                        "`{}` is not installed: terms are corrected from the built-in lists only; \
                         install it: apt-get install hunspell-en-med",
                        config.terms.medical_dictionary.display()
                    ),
                );
            }
            match Templates::load(config.templates.as_deref()) {
                Ok(_) => note(
                    Verdict::Ok,
                    "templates",
                    config.templates.as_ref().map_or_else(
                        || "the built-in templates".to_owned(),
                        |t| format!("{} read", t.display()),
                    ),
                ),
                Err(e) => note(Verdict::Problem, "templates", format!("{e:#}")),
            }
        }
    }
}

fn check_model(config: &Config, note: &mut impl FnMut(Verdict, &'static str, String)) {
    if let Err(e) = config.check_model_exists() {
        note(Verdict::Problem, "model", format!("{e:#}"));
        return;
    }
    let path = &config.model;
    if let Err(e) = ggml::check(path) {
        note(
            Verdict::Problem,
            "model",
            format!("{e:#}; {}", model::how_to_get_one()),
        );
        return;
    }
    match file_digests(path) {
        Ok((sha1, sha256)) => match catalog::identify(&sha1, &sha256) {
            Some(origin) => note(
                Verdict::Ok,
                "model",
                format!("{} ({})", path.display(), origin.describe()),
            ),
            None => {
                let named = path
                    .file_name()
                    .and_then(|n| catalog::find(&n.to_string_lossy()));
                match named {
                    Some(m) => note(
                        Verdict::Problem,
                        "model",
                        format!(
                            "{} is named as {} but matches no known copy of it (damaged or \
                             changed); fetch it again: dictate model fetch {} --dir {}",
                            path.display(),
                            m.name,
                            m.name,
                            path.parent().unwrap_or(Path::new(".")).display()
                        ),
                    ),
                    None => note(
                        Verdict::Ok,
                        "model",
                        format!(
                            "{} (whole; not in dictate's catalog, so its weights are unchecked)",
                            path.display()
                        ),
                    ),
                }
            }
        },
        Err(e) => note(Verdict::Problem, "model", format!("{e:#}")),
    }
}

fn check_folder(out: &Path, note: &mut impl FnMut(Verdict, &'static str, String)) {
    use std::os::unix::fs::PermissionsExt;
    let what = "letters folder";
    let Ok(meta) = std::fs::metadata(out) else {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if parent.is_dir() {
            note(
                Verdict::Ok,
                what,
                format!(
                    "{} does not exist yet: a run makes it, owner-only",
                    out.display()
                ),
            );
            check_space(parent, note);
        } else {
            note(
                Verdict::Problem,
                what,
                format!(
                    "neither {} nor the folder above it exists: make it, or name another",
                    out.display()
                ),
            );
        }
        return;
    };
    if !meta.is_dir() {
        note(
            Verdict::Problem,
            what,
            format!("{} is not a folder: name a folder", out.display()),
        );
        return;
    }
    // Written and removed: the only way to know this user may write here (groups, ACLs,
    // read-only mounts).
    match tempfile::Builder::new()
        .prefix(".dictate-doctor-")
        .tempfile_in(out)
    {
        Ok(_) => {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o007 != 0 {
                note(
                    Verdict::Warning,
                    what,
                    format!(
                        "{} is open to every user (mode {mode:o}): letters hold patient data; \
                         chmod o-rwx {}",
                        out.display(),
                        out.display()
                    ),
                );
            } else {
                note(
                    Verdict::Ok,
                    what,
                    format!("{} is writable (mode {mode:o})", out.display()),
                );
            }
        }
        Err(e) => note(
            Verdict::Problem,
            what,
            format!(
                "cannot write in {}: {e}; run as its owner, or give this user write access",
                out.display()
            ),
        ),
    }
    check_space(out, note);
}

fn check_space(folder: &Path, note: &mut impl FnMut(Verdict, &'static str, String)) {
    let what = "free space";
    match crate::fsio::free_space(folder) {
        Ok(free) => {
            let said = format!("{:.1} GB free at {}", free as f64 / 1e9, folder.display());
            if free < FULL {
                note(
                    Verdict::Problem,
                    what,
                    format!("{said}: letters and records will fail to write; free some space"),
                );
            } else if free < TIGHT {
                note(
                    Verdict::Warning,
                    what,
                    format!("{said}: enough for a few hundred letters"),
                );
            } else {
                note(Verdict::Ok, what, said);
            }
        }
        Err(e) => note(Verdict::Warning, what, format!("{e:#}")),
    }
}

/// The first line a program prints for its version, or why it could not say.
fn version(program: &Path, flag: &str) -> String {
    match Process::new(program).arg(flag).output() {
        Ok(o) => String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_owned(),
        Err(e) => format!("does not run: {e}"),
    }
}

fn on_path(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}
