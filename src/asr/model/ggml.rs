//! Checks a ggml model file's structure before whisper.cpp sees it, so that a truncated or wrong
//! file gives a clear message instead of a crash inside C++. Reads headers only; it must not
//! load weights into memory.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};

const MAGIC: u32 = 0x6767_6d6c;

/// What the header says about a model.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ModelFacts {
    pub n_vocab: i32,
    pub n_audio_state: i32,
    pub n_audio_layer: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub ftype: i32,
    pub tensors: usize,
}

impl ModelFacts {
    /// The usual name of a model of this shape ("tiny", "base" ...).
    pub fn size_name(&self) -> &'static str {
        match (self.n_audio_layer, self.n_audio_state) {
            (4, 384) => "tiny",
            (6, 512) => "base",
            (12, 768) => "small",
            (24, 1024) => "medium",
            (32, 1280) => "large",
            _ => "unknown",
        }
    }

    pub fn english_only(&self) -> bool {
        self.n_vocab < 51865
    }
}

fn i32_at(r: &mut impl Read) -> Result<i32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(i32::from_le_bytes(b))
}

/// Bytes of `n` elements of ggml type `ty`, where the type is one whisper.cpp files use.
fn tensor_bytes(ty: i32, n: u64) -> Option<u64> {
    // (elements per block, bytes per block)
    let (block, size) = match ty {
        0 => (1, 4),
        1 => (1, 2),
        2 => (32, 18),
        3 => (32, 20),
        6 => (32, 22),
        7 => (32, 24),
        8 => (32, 34),
        _ => return None,
    };
    Some(n.div_ceil(block) * size)
}

/// Walks the file's header, mel filters, vocabulary and tensor headers, and checks that the
/// tensors' data fits the file exactly.
pub fn check(path: &Path) -> Result<ModelFacts> {
    let file =
        File::open(path).with_context(|| format!("cannot open model `{}`", path.display()))?;
    let len = file.metadata()?.len();
    let mut r = BufReader::new(file);
    let fail = |what: &str| {
        format!(
            "`{}` is not a usable whisper.cpp model: {what}",
            path.display()
        )
    };
    let magic = i32_at(&mut r).with_context(|| fail("the file is too short"))? as u32;
    ensure!(
        magic == MAGIC,
        "{}",
        fail(&format!("wrong magic number {magic:#x} (expected ggml)"))
    );
    let mut h = [0i32; 11];
    for v in &mut h {
        *v = i32_at(&mut r).with_context(|| fail("the header is cut short"))?;
    }
    let [n_vocab, _, n_audio_state, _, n_audio_layer, _, _, _, n_text_layer, n_mels, ftype] = h;
    ensure!(
        n_vocab > 0 && n_audio_state > 0 && n_audio_layer > 0 && n_text_layer > 0 && n_mels > 0,
        "{}",
        fail("the header holds impossible sizes")
    );
    let (fm, ff) = (i32_at(&mut r)?, i32_at(&mut r)?);
    ensure!(fm > 0 && ff > 0, "{}", fail("bad mel filter header"));
    r.seek(SeekFrom::Current(i64::from(fm) * i64::from(ff) * 4))?;
    let n_tokens = i32_at(&mut r).with_context(|| fail("the file ends in the vocabulary"))?;
    ensure!(
        (0..=1_000_000).contains(&n_tokens),
        "{}",
        fail("bad vocabulary size")
    );
    for _ in 0..n_tokens {
        let l = i32_at(&mut r).with_context(|| fail("the file ends in the vocabulary"))?;
        ensure!((0..=1024).contains(&l), "{}", fail("bad token length"));
        r.seek(SeekFrom::Current(i64::from(l)))?;
    }
    let mut tensors = 0;
    loop {
        let pos = r.stream_position()?;
        if pos == len {
            break;
        }
        let header = (|| -> Result<(i32, i32, i32)> {
            Ok((i32_at(&mut r)?, i32_at(&mut r)?, i32_at(&mut r)?))
        })();
        let (n_dims, name_len, ty) =
            header.with_context(|| fail("the file ends inside a tensor header (truncated?)"))?;
        ensure!(
            (1..=4).contains(&n_dims) && (1..=256).contains(&name_len),
            "{}",
            fail(&format!("tensor {tensors} has a damaged header"))
        );
        let mut n: u64 = 1;
        for _ in 0..n_dims {
            let d = i32_at(&mut r)?;
            ensure!(d > 0, "{}", fail("a tensor has a non-positive dimension"));
            n *= d as u64;
        }
        r.seek(SeekFrom::Current(i64::from(name_len)))?;
        let Some(bytes) = tensor_bytes(ty, n) else {
            // A tensor type this check does not know: trust whisper.cpp from here on.
            tensors += 1;
            break;
        };
        let end = r.stream_position()? + bytes;
        if end > len {
            bail!(
                "{}",
                fail(&format!(
                    "the file is truncated ({len} bytes; tensor {tensors} needs up to byte {end}); fetch it again"
                ))
            );
        }
        r.seek(SeekFrom::Start(end))?;
        tensors += 1;
    }
    ensure!(tensors > 0, "{}", fail("it holds no tensors"));
    Ok(ModelFacts {
        n_vocab,
        n_audio_state,
        n_audio_layer,
        n_text_layer,
        n_mels,
        ftype,
        tensors,
    })
}
