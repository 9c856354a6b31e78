//! Writes a ggml Whisper model's weight matrices in 8 bits (ggml's q8_0: blocks of 32 values
//! sharing one f16 scale): half the memory, and on CPUs with int8 matrix instructions (AVX512-VNNI,
//! AMX) faster products. Every matrix, or the encoder's only, or its MLPs only, or the decoder's
//! only (the others stay f16: file types the vendored whisper.cpp reads, see vendor/README.md).
//! The tensors whisper.cpp keeps in full precision (norms, biases, positional embeddings,
//! convolutions) are copied unchanged. Reads one file, writes another; never loads the model into
//! whisper.cpp.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};
use half::f16;

use crate::fsio;

/// ggml's tensor type numbers.
const TYPE_F32: i32 = 0;
pub(super) const TYPE_F16: i32 = 1;
const TYPE_Q8_0: i32 = 8;
const QK8_0: usize = 32;
/// ggml's file type "mostly q8_0", with the quantisation version (2) folded in as whisper.cpp's
/// own quantiser writes it.
const FTYPE_MOSTLY_Q8_0: i32 = 7 + 2 * 1000;
/// Added to the file type (the vendored whisper.cpp): the decoder's per-token weights are f16.
const FTYPE_DECODER_F16: i32 = 100;
/// Added to the file type: the encoder's weights (and the cross-attention keys' and values') are
/// f16.
const FTYPE_ENCODER_F16: i32 = 200;
/// Added to the file type: the encoder's attention projections are f16.
const FTYPE_ENCODER_ATTENTION_F16: i32 = 400;

/// Which weight matrices are written in q8_0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Every weight matrix.
    Q8_0,
    /// The encoder's, and the cross-attention keys' and values' (applied to the encoder's output
    /// once per window); the decoder's per-token weights in f16.
    Q8_0Encoder,
    /// The decoder's per-token weights (self-attention, cross-attention query and output, MLP,
    /// token embedding); the encoder's in f16.
    Q8_0Decoder,
    /// The encoder's MLPs and the cross-attention keys and values; the encoder's attention
    /// projections and the decoder in f16.
    Q8_0EncoderMlp,
}

impl Format {
    fn ftype(self) -> i32 {
        match self {
            Format::Q8_0 => FTYPE_MOSTLY_Q8_0,
            Format::Q8_0Encoder => FTYPE_MOSTLY_Q8_0 + FTYPE_DECODER_F16,
            Format::Q8_0Decoder => FTYPE_MOSTLY_Q8_0 + FTYPE_ENCODER_F16,
            Format::Q8_0EncoderMlp => {
                FTYPE_MOSTLY_Q8_0 + FTYPE_DECODER_F16 + FTYPE_ENCODER_ATTENTION_F16
            }
        }
    }

    /// Whether the weight matrix `name` is written in q8_0 (else f16).
    fn quantizes(self, name: &str) -> bool {
        let encoder = name.starts_with("encoder.")
            || name.contains(".cross_attn.key.")
            || name.contains(".cross_attn.value.");
        match self {
            Format::Q8_0 => true,
            Format::Q8_0Encoder => encoder,
            Format::Q8_0Decoder => !encoder,
            Format::Q8_0EncoderMlp => encoder && !name.contains(".attn."),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Q8_0 => "q8_0",
            Format::Q8_0Encoder => "q8_0-encoder",
            Format::Q8_0Decoder => "q8_0-decoder",
            Format::Q8_0EncoderMlp => "q8_0-encoder-mlp",
        }
    }
}

/// What quantisation did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QuantizeSummary {
    pub tensors: usize,
    pub quantized: usize,
    pub bytes_in: u64,
    pub bytes_out: u64,
}

/// Writes a copy of the f16/f32 ggml model `input` to `output` with its weight matrices in
/// `format`.
pub fn quantize(input: &Path, output: &Path, format: Format) -> Result<QuantizeSummary> {
    crate::asr::model::ggml::check(input)?;
    let file = File::open(input).with_context(|| format!("cannot open `{}`", input.display()))?;
    let bytes_in = file.metadata()?.len();
    let mut r = BufReader::with_capacity(1 << 20, file);
    let mut summary = QuantizeSummary {
        tensors: 0,
        quantized: 0,
        bytes_in,
        bytes_out: 0,
    };
    fsio::write_atomic_with(output, 0o644, |w| {
        copy_header(&mut r, w, |ftype| {
            ensure!(
                ftype % 1000 == 0 || ftype % 1000 == 1,
                "the model is already quantised (file type {ftype}); quantise an f16 or f32 model"
            );
            Ok(format.ftype())
        })?;
        while let Some(header) = read_tensor_header(&mut r)? {
            summary.tensors += 1;
            if quantize_tensor(&mut r, w, &header, format)? {
                summary.quantized += 1;
            }
        }
        Ok(())
    })
    .with_context(|| format!("cannot quantise `{}`", input.display()))?;
    summary.bytes_out = std::fs::metadata(output)?.len();
    Ok(summary)
}

pub(super) fn read_i32(r: &mut impl Read) -> Result<i32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(i32::from_le_bytes(b))
}

pub(super) fn write_i32(w: &mut impl Write, v: i32) -> Result<()> {
    w.write_all(&v.to_le_bytes())?;
    Ok(())
}

pub(super) fn copy_bytes(r: &mut impl Read, w: &mut impl Write, n: u64) -> Result<()> {
    let copied = std::io::copy(&mut r.take(n), w)?;
    ensure!(copied == n, "the file ends early");
    Ok(())
}

/// Hyper-parameters (the file type as `ftype` says, given the file's), mel filters and
/// vocabulary.
pub(super) fn copy_header(
    r: &mut impl Read,
    w: &mut impl Write,
    ftype: impl FnOnce(i32) -> Result<i32>,
) -> Result<()> {
    let mut h = [0i32; 12];
    for v in &mut h {
        *v = read_i32(r)?;
    }
    h[11] = ftype(h[11])?;
    for v in h {
        write_i32(w, v)?;
    }
    let (n_mel, n_fft) = (read_i32(r)?, read_i32(r)?);
    write_i32(w, n_mel)?;
    write_i32(w, n_fft)?;
    copy_bytes(r, w, n_mel as u64 * n_fft as u64 * 4)?;
    let n_tokens = read_i32(r)?;
    write_i32(w, n_tokens)?;
    for _ in 0..n_tokens {
        let len = read_i32(r)?;
        write_i32(w, len)?;
        copy_bytes(r, w, len as u64)?;
    }
    Ok(())
}

pub(super) struct TensorHeader {
    pub(super) dims: Vec<usize>,
    pub(super) ttype: i32,
    pub(super) name: String,
}

pub(super) fn read_tensor_header(r: &mut impl Read) -> Result<Option<TensorHeader>> {
    let mut first = [0u8; 4];
    let n = r.read(&mut first)?;
    if n == 0 {
        return Ok(None);
    }
    if n < 4 {
        r.read_exact(&mut first[n..])?;
    }
    let n_dims = i32::from_le_bytes(first);
    let name_len = read_i32(r)?;
    let ttype = read_i32(r)?;
    let dims = (0..n_dims)
        .map(|_| read_i32(r).map(|d| d as usize))
        .collect::<Result<Vec<_>>>()?;
    let mut name = vec![0u8; name_len as usize];
    r.read_exact(&mut name)?;
    Ok(Some(TensorHeader {
        dims,
        ttype,
        name: String::from_utf8_lossy(&name).into_owned(),
    }))
}

/// Writes a tensor's header as ggml reads it, with the data type `ttype`.
pub(super) fn write_tensor_header(w: &mut impl Write, t: &TensorHeader, ttype: i32) -> Result<()> {
    write_i32(w, t.dims.len() as i32)?;
    write_i32(w, t.name.len() as i32)?;
    write_i32(w, ttype)?;
    for d in &t.dims {
        write_i32(w, *d as i32)?;
    }
    w.write_all(t.name.as_bytes())?;
    Ok(())
}

/// Little-endian f16 bytes as f32 values.
pub(super) fn f16_values(raw: &[u8]) -> Vec<f32> {
    raw.chunks_exact(2)
        .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
        .collect()
}

/// f32 values as little-endian f16 bytes (rounded to nearest).
pub(super) fn f16_bytes(values: &[f32]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|&v| f16::from_f32(v).to_le_bytes())
        .collect()
}

/// Copies or quantises one tensor's data; true when quantised.
fn quantize_tensor(
    r: &mut impl Read,
    w: &mut impl Write,
    t: &TensorHeader,
    format: Format,
) -> Result<bool> {
    let n: usize = t.dims.iter().product();
    let elem = match t.ttype {
        TYPE_F32 => 4,
        TYPE_F16 => 2,
        other => bail!(
            "tensor `{}` has type {other}; only f32 and f16 models can be quantised",
            t.name
        ),
    };
    // whisper.cpp keeps these in full precision whatever the file type.
    let keep = t.dims.len() != 2
        || matches!(
            t.name.as_str(),
            "encoder.conv1.bias"
                | "encoder.conv2.bias"
                | "encoder.positional_embedding"
                | "decoder.positional_embedding"
        )
        || !t.dims[0].is_multiple_of(QK8_0);
    let ttype = match (keep, format.quantizes(&t.name)) {
        (true, _) => t.ttype,
        (false, true) => TYPE_Q8_0,
        (false, false) => TYPE_F16,
    };
    write_tensor_header(w, t, ttype)?;
    if keep || ttype == t.ttype {
        copy_bytes(r, w, (n * elem) as u64)?;
        return Ok(false);
    }
    let mut raw = vec![0u8; n * elem];
    r.read_exact(&mut raw)
        .with_context(|| format!("the file ends inside tensor `{}`", t.name))?;
    let values: Vec<f32> = if t.ttype == TYPE_F16 {
        f16_values(&raw)
    } else {
        raw.chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    };
    let out: Vec<u8> = if ttype == TYPE_Q8_0 {
        values.chunks_exact(QK8_0).flat_map(q8_0_block).collect()
    } else {
        f16_bytes(&values)
    };
    w.write_all(&out)?;
    Ok(ttype == TYPE_Q8_0)
}

/// One q8_0 block: the scale as f16, then 32 signed bytes, as ggml's reference quantiser
/// computes them (scale = max |x| / 127, values rounded half away from zero).
fn q8_0_block(x: &[f32]) -> [u8; 34] {
    let amax = x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let d = amax / 127.0;
    let id = if d != 0.0 { 1.0 / d } else { 0.0 };
    let mut out = [0u8; 34];
    out[..2].copy_from_slice(&f16::from_f32(d).to_le_bytes());
    for (j, v) in x.iter().enumerate() {
        out[2 + j] = ((v * id).round() as i8) as u8;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q8_0_block_round_trips_within_half_a_step() {
        let x: Vec<f32> = (0..32).map(|i| (i as f32 - 15.5) * 0.013).collect();
        let b = q8_0_block(&x);
        let d = f16::from_le_bytes([b[0], b[1]]).to_f32();
        for (j, v) in x.iter().enumerate() {
            let q = f32::from(b[2 + j] as i8) * d;
            assert!((q - v).abs() <= d * 0.51 + 1e-6, "{v} vs {q}");
        }
        // The largest value maps to +-127.
        assert_eq!(b[2] as i8, -127);
    }

    #[test]
    fn encoder_or_decoder_only_splits_the_weights_by_role() {
        let f = Format::Q8_0Encoder;
        for name in [
            "encoder.blocks.0.attn.query.weight",
            "encoder.blocks.3.mlp.2.weight",
            "decoder.blocks.1.cross_attn.key.weight",
            "decoder.blocks.1.cross_attn.value.weight",
        ] {
            assert!(f.quantizes(name), "{name}");
            assert!(!Format::Q8_0Decoder.quantizes(name), "{name}");
            let mlp_or_cross = !name.contains(".attn.");
            assert_eq!(
                Format::Q8_0EncoderMlp.quantizes(name),
                mlp_or_cross,
                "{name}"
            );
        }
        for name in [
            "decoder.token_embedding.weight",
            "decoder.blocks.0.attn.query.weight",
            "decoder.blocks.0.cross_attn.query.weight",
            "decoder.blocks.0.cross_attn.out.weight",
            "decoder.blocks.2.mlp.0.weight",
        ] {
            assert!(!f.quantizes(name), "{name}");
            assert!(!Format::Q8_0EncoderMlp.quantizes(name), "{name}");
            assert!(Format::Q8_0Decoder.quantizes(name), "{name}");
            assert!(Format::Q8_0.quantizes(name), "{name}");
        }
    }

    #[test]
    fn zero_block_has_zero_scale() {
        assert_eq!(q8_0_block(&[0.0; 32]), [0u8; 34]);
    }
}
