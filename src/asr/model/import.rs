//! Converts a CTranslate2 Whisper model into a whisper.cpp ggml file. It owns the name mapping
//! and the ggml layout; the bytes it writes match the reference converter
//! (../shared/tools/ct2_to_ggml.py) exactly. It must not load or run the model.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};
use half::f16;

use super::ct2::{Ct2Model, DType, Variable};
use crate::fsio;

const GGML_MAGIC: i32 = 0x6767_6d6c;
const N_AUDIO_CTX: i32 = 1500;
const N_TEXT_CTX: i32 = 448;
const FTYPE_F16: i32 = 1;

/// Whisper's mel filter banks (openai-whisper's assets/mel_filters.npz, MIT licence), as raw
/// little-endian f32, row-major [n_mels][201].
const MEL_80: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/assets/mel_80.f32"
));
const MEL_128: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/assets/mel_128.f32"
));
const N_FFT_BINS: i32 = 201;

/// What the import wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportSummary {
    pub tensors: usize,
    pub encoder_layers: usize,
    pub decoder_layers: usize,
    pub n_state: usize,
    pub n_vocab: usize,
    pub n_mels: usize,
    pub bytes: u64,
}

/// Converts the CTranslate2 model in `src_dir` and writes `out` atomically.
pub fn import(src_dir: &Path, out: &Path) -> Result<ImportSummary> {
    let model = Ct2Model::load(src_dir)?;
    let mut summary = None;
    fsio::write_atomic_with(out, 0o644, |w| {
        let s = write_ggml(&model, w)
            .with_context(|| format!("cannot convert the model in `{}`", src_dir.display()))?;
        summary = Some(s);
        Ok(())
    })?;
    let mut summary = summary.context("the conversion wrote nothing")?;
    summary.bytes = std::fs::metadata(out)?.len();
    Ok(summary)
}

/// A tensor bound for the ggml file: its source array, an optional row block of it, and a
/// forced shape for the conv biases.
struct Tensor<'a> {
    name: String,
    var: &'a Variable,
    /// (index, count): take block `index` of `count` equal row blocks (fused q/k/v splits).
    block: Option<(usize, usize)>,
}

fn write_ggml(model: &Ct2Model, out: &mut impl Write) -> Result<ImportSummary> {
    let vars = &model.variables;
    let conv1 = model.get("encoder/conv1/weight")?;
    ensure!(conv1.dims.len() == 3, "encoder/conv1/weight is not 3-D");
    let n_state = conv1.dims[0];
    let n_mels = conv1.dims[1];
    let n_vocab = model.get("decoder/embeddings/weight")?.dims[0];
    let n_audio_layer = count_layers(vars, "encoder");
    let n_text_layer = count_layers(vars, "decoder");
    ensure!(
        n_audio_layer > 0 && n_text_layer > 0,
        "the model has no encoder or decoder layers"
    );
    let heads = |key: &str| {
        vars.get(key)
            .and_then(Variable::scalar_int)
            .map_or(n_state / 64, |h| h as usize)
    };
    let n_audio_head = heads("encoder/num_heads");
    let n_text_head = heads("decoder/num_heads");

    let tensors = tensor_plan(model, n_audio_layer, n_text_layer)?;

    let header = [
        GGML_MAGIC,
        n_vocab as i32,
        N_AUDIO_CTX,
        n_state as i32,
        n_audio_head as i32,
        n_audio_layer as i32,
        N_TEXT_CTX,
        n_state as i32,
        n_text_head as i32,
        n_text_layer as i32,
        n_mels as i32,
        FTYPE_F16,
    ];
    for v in header {
        out.write_all(&v.to_le_bytes())?;
    }

    let filters = match n_mels {
        80 => MEL_80,
        128 => MEL_128,
        other => bail!("no mel filter bank for {other} mel bins (Whisper uses 80 or 128)"),
    };
    out.write_all(&(n_mels as i32).to_le_bytes())?;
    out.write_all(&N_FFT_BINS.to_le_bytes())?;
    out.write_all(filters)?;

    let tokens = token_bytes(&model.vocabulary)?;
    out.write_all(&(tokens.len() as i32).to_le_bytes())?;
    for t in &tokens {
        out.write_all(&(t.len() as i32).to_le_bytes())?;
        out.write_all(t)?;
    }

    for t in &tensors {
        write_tensor(out, t)?;
    }
    Ok(ImportSummary {
        tensors: tensors.len(),
        encoder_layers: n_audio_layer,
        decoder_layers: n_text_layer,
        n_state,
        n_vocab,
        n_mels,
        bytes: 0,
    })
}

fn count_layers(vars: &HashMap<String, Variable>, side: &str) -> usize {
    let prefix = format!("{side}/layer_");
    let mut layers: Vec<usize> = vars
        .keys()
        .filter_map(|k| k.strip_prefix(&prefix))
        .filter_map(|rest| rest.split('/').next()?.parse().ok())
        .collect();
    layers.sort_unstable();
    layers.dedup();
    layers.len()
}

/// The ggml tensors in the order whisper.cpp's converters write them.
fn tensor_plan(model: &Ct2Model, n_enc: usize, n_dec: usize) -> Result<Vec<Tensor<'_>>> {
    let mut plan = Vec::new();
    let mut add = |name: String, src: &str, block: Option<(usize, usize)>| -> Result<()> {
        plan.push(Tensor {
            name,
            var: model.get(src)?,
            block,
        });
        Ok(())
    };
    // A linear layer: weight and bias.
    fn linear(
        add: &mut impl FnMut(String, &str, Option<(usize, usize)>) -> Result<()>,
        dst: &str,
        src: &str,
    ) -> Result<()> {
        add(format!("{dst}.weight"), &format!("{src}/weight"), None)?;
        add(format!("{dst}.bias"), &format!("{src}/bias"), None)
    }
    fn norm(
        add: &mut impl FnMut(String, &str, Option<(usize, usize)>) -> Result<()>,
        dst: &str,
        src: &str,
    ) -> Result<()> {
        add(format!("{dst}.weight"), &format!("{src}/gamma"), None)?;
        add(format!("{dst}.bias"), &format!("{src}/beta"), None)
    }
    // Self-attention: q, k, v fused along rows; the key has no bias.
    fn self_attention(
        add: &mut impl FnMut(String, &str, Option<(usize, usize)>) -> Result<()>,
        p: &str,
        q: &str,
    ) -> Result<()> {
        let w = format!("{q}/self_attention/linear_0/weight");
        let b = format!("{q}/self_attention/linear_0/bias");
        add(format!("{p}.attn.query.weight"), &w, Some((0, 3)))?;
        add(format!("{p}.attn.key.weight"), &w, Some((1, 3)))?;
        add(format!("{p}.attn.value.weight"), &w, Some((2, 3)))?;
        add(format!("{p}.attn.query.bias"), &b, Some((0, 3)))?;
        add(format!("{p}.attn.value.bias"), &b, Some((2, 3)))?;
        linear(
            add,
            &format!("{p}.attn.out"),
            &format!("{q}/self_attention/linear_1"),
        )?;
        norm(
            add,
            &format!("{p}.attn_ln"),
            &format!("{q}/self_attention/layer_norm"),
        )
    }
    fn mlp(
        add: &mut impl FnMut(String, &str, Option<(usize, usize)>) -> Result<()>,
        p: &str,
        q: &str,
    ) -> Result<()> {
        linear(add, &format!("{p}.mlp.0"), &format!("{q}/ffn/linear_0"))?;
        linear(add, &format!("{p}.mlp.2"), &format!("{q}/ffn/linear_1"))?;
        norm(add, &format!("{p}.mlp_ln"), &format!("{q}/ffn/layer_norm"))
    }

    add(
        "encoder.positional_embedding".into(),
        "encoder/position_encodings/encodings",
        None,
    )?;
    linear(&mut add, "encoder.conv1", "encoder/conv1")?;
    linear(&mut add, "encoder.conv2", "encoder/conv2")?;
    for i in 0..n_enc {
        let (p, q) = (format!("encoder.blocks.{i}"), format!("encoder/layer_{i}"));
        self_attention(&mut add, &p, &q)?;
        mlp(&mut add, &p, &q)?;
    }
    norm(&mut add, "encoder.ln_post", "encoder/layer_norm")?;
    add(
        "decoder.positional_embedding".into(),
        "decoder/position_encodings/encodings",
        None,
    )?;
    add(
        "decoder.token_embedding.weight".into(),
        "decoder/embeddings/weight",
        None,
    )?;
    for j in 0..n_dec {
        let (p, q) = (format!("decoder.blocks.{j}"), format!("decoder/layer_{j}"));
        self_attention(&mut add, &p, &q)?;
        linear(
            &mut add,
            &format!("{p}.cross_attn.query"),
            &format!("{q}/attention/linear_0"),
        )?;
        // Cross-attention k, v fused along rows; the key has no bias.
        let w = format!("{q}/attention/linear_1/weight");
        let b = format!("{q}/attention/linear_1/bias");
        add(format!("{p}.cross_attn.key.weight"), &w, Some((0, 2)))?;
        add(format!("{p}.cross_attn.value.weight"), &w, Some((1, 2)))?;
        add(format!("{p}.cross_attn.value.bias"), &b, Some((1, 2)))?;
        linear(
            &mut add,
            &format!("{p}.cross_attn.out"),
            &format!("{q}/attention/linear_2"),
        )?;
        norm(
            &mut add,
            &format!("{p}.cross_attn_ln"),
            &format!("{q}/attention/layer_norm"),
        )?;
        mlp(&mut add, &p, &q)?;
    }
    norm(&mut add, "decoder.ln", "decoder/layer_norm")?;
    Ok(plan)
}

fn write_tensor(out: &mut impl Write, t: &Tensor<'_>) -> Result<()> {
    let var = t.var;
    let mut dims = var.dims.clone();
    let mut data: &[u8] = &var.data;
    if let Some((index, count)) = t.block {
        ensure!(
            !dims.is_empty() && dims[0].is_multiple_of(count),
            "`{}`: cannot split {:?} into {count} blocks",
            t.name,
            dims
        );
        dims[0] /= count;
        let block_len = data.len() / count;
        data = &data[index * block_len..(index + 1) * block_len];
    }
    let is_conv_bias = t.name == "encoder.conv1.bias" || t.name == "encoder.conv2.bias";
    if is_conv_bias {
        dims = vec![dims[0], 1];
    }
    let keep_f32 = dims.len() < 2
        || is_conv_bias
        || t.name == "encoder.positional_embedding"
        || t.name == "decoder.positional_embedding";
    let (ftype, bytes) = if keep_f32 {
        (0, convert(data, var.dtype, false, &t.name)?)
    } else {
        (1, convert(data, var.dtype, true, &t.name)?)
    };
    let name = t.name.as_bytes();
    for v in [dims.len() as i32, name.len() as i32, ftype] {
        out.write_all(&v.to_le_bytes())?;
    }
    for d in dims.iter().rev() {
        out.write_all(&(*d as i32).to_le_bytes())?;
    }
    out.write_all(name)?;
    out.write_all(&bytes)?;
    Ok(())
}

/// Converts stored elements to f16 (`to_half`) or f32, little endian.
fn convert(data: &[u8], dtype: DType, to_half: bool, name: &str) -> Result<Vec<u8>> {
    let values: Box<dyn Iterator<Item = f32>> = match dtype {
        DType::F16 if to_half => return Ok(data.to_vec()),
        DType::F32 if !to_half => return Ok(data.to_vec()),
        DType::F16 => Box::new(
            data.chunks_exact(2)
                .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32()),
        ),
        DType::F32 => Box::new(
            data.chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        ),
        DType::Bf16 => Box::new(
            data.chunks_exact(2)
                .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32()),
        ),
        other => bail!(
            "`{name}` is stored as {other:?}: quantised CTranslate2 models cannot be imported; \
             use a float16 or float32 model"
        ),
    };
    let mut out = Vec::with_capacity(data.len() * if to_half { 1 } else { 2 });
    for v in values {
        if to_half {
            out.extend_from_slice(&f16::from_f32(v).to_le_bytes());
        } else {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    Ok(out)
}

/// The byte strings of the model's text tokens, in rank order: the vocabulary up to the first
/// special token, with GPT-2's byte-to-unicode mapping undone.
fn token_bytes(vocabulary: &[String]) -> Result<Vec<Vec<u8>>> {
    let decode = byte_decoder();
    let mut tokens = Vec::new();
    for token in vocabulary {
        if token == "<|endoftext|>" {
            return Ok(tokens);
        }
        let bytes = token
            .chars()
            .map(|c| decode.get(&c).copied())
            .collect::<Option<Vec<u8>>>()
            .with_context(|| format!("vocabulary token {token:?} is not a GPT-2 byte token"))?;
        tokens.push(bytes);
    }
    bail!("the vocabulary has no <|endoftext|> token; is it a Whisper vocabulary?")
}

/// GPT-2 maps each byte to a printable character; this is the reverse map.
fn byte_decoder() -> HashMap<char, u8> {
    let printable = |b: u8| (b'!'..=b'~').contains(&b) || (0xA1..=0xAC).contains(&b) || b >= 0xAE;
    let mut map = HashMap::with_capacity(256);
    let mut shifted = 0u32;
    for b in 0..=255u8 {
        let c = if printable(b) {
            char::from(b)
        } else {
            shifted += 1;
            char::from_u32(255 + shifted).unwrap_or('\u{FFFD}')
        };
        map.insert(c, b);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_decoder_undoes_gpt2_mapping() {
        let d = byte_decoder();
        assert_eq!(d.len(), 256);
        assert_eq!(d[&'!'], b'!');
        // GPT-2 writes a space as 'Ġ' (U+0120) and a newline as 'Ċ' (U+010A).
        assert_eq!(d[&'Ġ'], b' ');
        assert_eq!(d[&'Ċ'], b'\n');
        assert_eq!(d[&'\u{0100}'], 0);
    }

    #[test]
    fn tokens_stop_at_first_special() {
        let vocab: Vec<String> = ["Hello", "Ġworld", "<|endoftext|>", "<|en|>"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let t = token_bytes(&vocab).unwrap();
        assert_eq!(t, vec![b"Hello".to_vec(), b" world".to_vec()]);
    }

    #[test]
    fn f32_to_f16_rounds_to_nearest() {
        let data: Vec<u8> = [1.0f32, 0.1, -2.5]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let out = convert(&data, DType::F32, true, "x").unwrap();
        let back: Vec<f32> = out
            .chunks_exact(2)
            .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect();
        assert_eq!(back, vec![1.0, f16::from_f32(0.1).to_f32(), -2.5]);
    }

    #[test]
    fn quantised_models_are_refused() {
        let err = convert(&[1, 2], DType::I8, true, "w").unwrap_err();
        assert!(err.to_string().contains("quantised"));
    }
}
