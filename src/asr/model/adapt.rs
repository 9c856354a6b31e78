//! Applies a low-rank adapter to a ggml Whisper model: the clinical adapter that ships with
//! dictate (`adapters/clinical-tiny.en.lora`, made by `adapters/train/`) teaches tiny.en's
//! decoder how clinical terms are spelled, from synthetic dictation in voices that are not the
//! evaluation's. Each adapted weight matrix W (out x in, f16) becomes W + scale * B A, with A
//! (rank x in) and B (out x rank) from the adapter, summed in f32 in a fixed order (the same bytes
//! on every machine) and rounded to f16. Reads one file, writes another.
//!
//! The adapter file (little endian): the magic `DICTLORA`, u32 version (1), the SHA-256 of the
//! model it was trained on (32 bytes), u32 entries; each entry: u16 name length, the tensor's name,
//! u32 rows (out), u32 columns (in), u32 rank, f32 scale, A then B as f16.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};

use super::quantize::{
    copy_bytes, copy_header, f16_bytes, f16_values, read_tensor_header, write_tensor_header,
    TYPE_F16,
};
use crate::fsio;

const MAGIC: &[u8; 8] = b"DICTLORA";

/// The clinical adapter for tiny.en, built in.
pub const CLINICAL: &[u8] = include_bytes!("../../../adapters/clinical-tiny.en.lora");

struct Entry {
    rows: usize,
    cols: usize,
    rank: usize,
    scale: f32,
    a: Vec<f32>,
    b: Vec<f32>,
}

/// An adapter read from its bytes.
pub struct Adapter {
    base_sha256: String,
    entries: BTreeMap<String, Entry>,
}

fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    ensure!(bytes.len() >= n, "the adapter file ends early");
    let (head, rest) = bytes.split_at(n);
    *bytes = rest;
    Ok(head)
}

fn u32_of(bytes: &mut &[u8]) -> Result<u32> {
    Ok(u32::from_le_bytes(take(bytes, 4)?.try_into()?))
}

fn f16s(bytes: &mut &[u8], n: usize) -> Result<Vec<f32>> {
    Ok(f16_values(take(bytes, n * 2)?))
}

impl Adapter {
    pub fn parse(mut bytes: &[u8]) -> Result<Adapter> {
        let b = &mut bytes;
        ensure!(take(b, 8)? == MAGIC, "not a dictate adapter (wrong magic)");
        let version = u32_of(b)?;
        ensure!(version == 1, "adapter version {version} is not known");
        let base_sha256 = take(b, 32)?.iter().map(|x| format!("{x:02x}")).collect();
        let n = u32_of(b)?;
        let mut entries = BTreeMap::new();
        for _ in 0..n {
            let len = u16::from_le_bytes(take(b, 2)?.try_into()?) as usize;
            let name = String::from_utf8(take(b, len)?.to_vec())?;
            let (rows, cols, rank) = (
                u32_of(b)? as usize,
                u32_of(b)? as usize,
                u32_of(b)? as usize,
            );
            ensure!(
                rows > 0 && cols > 0 && (1..=256).contains(&rank),
                "adapter entry `{name}` has impossible sizes"
            );
            let scale = f32::from_le_bytes(take(b, 4)?.try_into()?);
            let a = f16s(b, rank * cols)?;
            let bm = f16s(b, rows * rank)?;
            entries.insert(
                name,
                Entry {
                    rows,
                    cols,
                    rank,
                    scale,
                    a,
                    b: bm,
                },
            );
        }
        ensure!(
            b.is_empty(),
            "the adapter file has bytes after its last entry"
        );
        Ok(Adapter {
            base_sha256,
            entries,
        })
    }

    /// The SHA-256 of the model the adapter was trained on.
    pub fn base_sha256(&self) -> &str {
        &self.base_sha256
    }

    pub fn matrices(&self) -> usize {
        self.entries.len()
    }

    /// The adapter without the matrices `leave` names (they stay the base model's).
    #[must_use]
    pub fn without(mut self, leave: impl Fn(&str) -> bool) -> Adapter {
        self.entries.retain(|name, _| !leave(name));
        self
    }
}

impl Entry {
    /// W + scale * B A, row by row, each sum over the rank in order.
    fn apply(&self, w: &mut [f32]) {
        for i in 0..self.rows {
            let b = &self.b[i * self.rank..(i + 1) * self.rank];
            let row = &mut w[i * self.cols..(i + 1) * self.cols];
            for (j, v) in row.iter_mut().enumerate() {
                let mut d = 0.0f32;
                for (r, bv) in b.iter().enumerate() {
                    d += bv * self.a[r * self.cols + j];
                }
                *v += self.scale * d;
            }
        }
    }
}

/// What adapting did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AdaptSummary {
    pub tensors: usize,
    pub adapted: usize,
}

/// Writes `base` with `adapter` applied to `out`. The base must be the model the adapter was
/// trained on (by checksum).
pub fn adapt(base: &Path, adapter: &Adapter, out: &Path) -> Result<AdaptSummary> {
    let mut r = open_base(base, adapter)?;
    let mut summary = None;
    fsio::write_atomic_with(out, 0o644, |w| {
        summary = Some(write_adapted(&mut r, w, adapter, base)?);
        Ok(())
    })
    .with_context(|| format!("cannot adapt `{}`", base.display()))?;
    summary.context("nothing was adapted")
}

/// `base` with `adapter` applied, in memory (a model file's bytes, for whisper.cpp to load
/// from a buffer): the clinical ear of the terms pass's checks (`asr::transcribe`).
pub fn adapted_bytes(base: &Path, adapter: &Adapter) -> Result<Vec<u8>> {
    let mut r = open_base(base, adapter)?;
    let size = std::fs::metadata(base).map_or(0, |m| m.len());
    let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    write_adapted(&mut r, &mut out, adapter, base)
        .with_context(|| format!("cannot adapt `{}`", base.display()))?;
    Ok(out)
}

fn open_base(base: &Path, adapter: &Adapter) -> Result<BufReader<File>> {
    super::ggml::check(base)?;
    let (_, sha256) = fsio::file_digests(base)?;
    if sha256 != adapter.base_sha256 {
        bail!(
            "`{}` is not the model this adapter was made for (sha256 {sha256}, the adapter needs {}): \
             adapt the tiny.en model `dictate model fetch tiny.en` gets",
            base.display(),
            adapter.base_sha256
        );
    }
    let file = File::open(base).with_context(|| format!("cannot open `{}`", base.display()))?;
    Ok(BufReader::with_capacity(1 << 20, file))
}

fn write_adapted(
    r: &mut impl Read,
    w: &mut impl Write,
    adapter: &Adapter,
    base: &Path,
) -> Result<AdaptSummary> {
    let mut summary = AdaptSummary {
        tensors: 0,
        adapted: 0,
    };
    copy_header(r, w, Ok)?;
    while let Some(t) = read_tensor_header(r)? {
        summary.tensors += 1;
        write_tensor_header(w, &t, t.ttype)?;
        let n: usize = t.dims.iter().product();
        let Some(entry) = adapter.entries.get(&t.name) else {
            // tiny.en (checked by the caller) holds f16 and f32 tensors only.
            let elem = if t.ttype == TYPE_F16 { 2 } else { 4 };
            copy_bytes(r, w, (n * elem) as u64)?;
            continue;
        };
        // ggml lists dimensions innermost first: [in, out].
        ensure!(
            t.ttype == TYPE_F16 && t.dims == [entry.cols, entry.rows],
            "tensor `{}` ({:?}, type {}) does not fit the adapter's {} x {} f16 matrix",
            t.name,
            t.dims,
            t.ttype,
            entry.rows,
            entry.cols
        );
        let mut raw = vec![0u8; n * 2];
        r.read_exact(&mut raw)
            .with_context(|| format!("the file ends inside tensor `{}`", t.name))?;
        let mut values = f16_values(&raw);
        entry.apply(&mut values);
        w.write_all(&f16_bytes(&values))?;
        summary.adapted += 1;
    }
    ensure!(
        summary.adapted == adapter.entries.len(),
        "only {} of the adapter's {} matrices were found in `{}`",
        summary.adapted,
        adapter.entries.len(),
        base.display()
    );
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_adapter_reads_and_names_tiny_en() {
        let a = Adapter::parse(CLINICAL).unwrap();
        assert_eq!(
            a.base_sha256(),
            "1bbe7b1723b2e0c106cddb814f4e0069c739f5e4ce8f3dbf2bc73a3a152135ae"
        );
        assert!(a.matrices() > 0);
        assert!(a.entries.keys().all(|k| k.starts_with("decoder.blocks.")));
    }

    #[test]
    fn an_adapter_may_leave_some_matrices_to_the_base_model() {
        let all = Adapter::parse(CLINICAL).unwrap();
        let n = all.matrices();
        let some = all.without(|name| name.contains(".cross_attn.key."));
        // One key matrix in each of tiny.en's four decoder blocks.
        assert_eq!(some.matrices(), n - 4);
        assert!(some.entries.keys().all(|k| !k.contains("cross_attn.key")));
    }

    #[test]
    fn a_low_rank_update_adds_scale_times_b_a() {
        let e = Entry {
            rows: 2,
            cols: 3,
            rank: 1,
            scale: 0.5,
            a: vec![1.0, 2.0, 3.0],
            b: vec![2.0, -1.0],
        };
        let mut w = vec![0.0; 6];
        e.apply(&mut w);
        assert_eq!(w, vec![1.0, 2.0, 3.0, -0.5, -1.0, -1.5]);
    }

    #[test]
    fn a_damaged_adapter_is_refused() {
        assert!(Adapter::parse(b"DICTLORA").is_err());
        assert!(Adapter::parse(&CLINICAL[..CLINICAL.len() - 1]).is_err());
        assert!(Adapter::parse(b"NOTLORA!\x01\x00\x00\x00").is_err());
    }
}
