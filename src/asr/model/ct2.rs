//! Reads a CTranslate2 (faster-whisper) Whisper model: `model.bin` (possibly split into parts) and
//! its vocabulary. It owns the CTranslate2 binary layout and nothing else; it must not know the
//! ggml layout or write any file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};

/// Element types as CTranslate2 numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl DType {
    fn from_code(code: u8) -> Result<Self> {
        Ok(match code {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            5 => DType::Bf16,
            other => bail!("unknown element type code {other}"),
        })
    }

    pub fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 | DType::Bf16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }
}

/// One named array of the model, its bytes kept as stored (little endian).
#[derive(Debug, Clone)]
pub struct Variable {
    pub dims: Vec<usize>,
    pub dtype: DType,
    pub data: Vec<u8>,
}

impl Variable {
    /// The value of a scalar integer variable (such as `encoder/num_heads`).
    pub fn scalar_int(&self) -> Option<i64> {
        if !self.dims.is_empty() {
            return None;
        }
        let d = &self.data;
        Some(match self.dtype {
            DType::I8 => i64::from(*d.first()? as i8),
            DType::I16 => i64::from(i16::from_le_bytes(d.get(..2)?.try_into().ok()?)),
            DType::I32 => i64::from(i32::from_le_bytes(d.get(..4)?.try_into().ok()?)),
            _ => return None,
        })
    }
}

/// A whole CTranslate2 Whisper model: its variables (aliases resolved) and its token strings.
pub struct Ct2Model {
    pub variables: HashMap<String, Variable>,
    pub vocabulary: Vec<String>,
}

impl Ct2Model {
    /// Loads the model held in `dir`: `model.bin`, or `model.bin.part1`, `model.bin.part2` ...
    /// joined in order, and `vocabulary.txt` or `vocabulary.json`.
    pub fn load(dir: &Path) -> Result<Self> {
        ensure!(
            dir.is_dir(),
            "`{}` is not a folder; give the folder that holds a CTranslate2 model.bin",
            dir.display()
        );
        let parts = model_parts(dir)?;
        let mut reader: Box<dyn Read> = Box::new(std::io::empty());
        for part in &parts {
            let file =
                File::open(part).with_context(|| format!("cannot open `{}`", part.display()))?;
            reader = Box::new(reader.chain(file));
        }
        let mut reader = BufReader::with_capacity(1 << 20, reader);
        let variables = read_variables(&mut reader).with_context(|| {
            format!(
                "`{}` is not a readable CTranslate2 model",
                parts[0].display()
            )
        })?;
        let vocabulary = read_vocabulary(dir)?;
        Ok(Ct2Model {
            variables,
            vocabulary,
        })
    }

    pub fn get(&self, name: &str) -> Result<&Variable> {
        self.variables
            .get(name)
            .with_context(|| format!("the model has no variable `{name}`; is it a Whisper model?"))
    }
}

fn model_parts(dir: &Path) -> Result<Vec<PathBuf>> {
    let whole = dir.join("model.bin");
    if whole.is_file() {
        return Ok(vec![whole]);
    }
    let parts: Vec<PathBuf> = (1..)
        .map(|i| dir.join(format!("model.bin.part{i}")))
        .take_while(|p| p.is_file())
        .collect();
    ensure!(
        !parts.is_empty(),
        "`{}` holds neither model.bin nor model.bin.part1; give the folder of a CTranslate2 Whisper model",
        dir.display()
    );
    Ok(parts)
}

fn read_u8(r: &mut impl Read) -> Result<u8> {
    let mut b = [0u8; 1];
    r.read_exact(&mut b)?;
    Ok(b[0])
}

fn read_u16(r: &mut impl Read) -> Result<u16> {
    let mut b = [0u8; 2];
    r.read_exact(&mut b)?;
    Ok(u16::from_le_bytes(b))
}

fn read_u32(r: &mut impl Read) -> Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

/// A CTranslate2 string: u16 length, then that many bytes ending in NUL.
fn read_string(r: &mut impl Read) -> Result<String> {
    let len = read_u16(r)? as usize;
    let mut bytes = vec![0u8; len];
    r.read_exact(&mut bytes)?;
    while bytes.last() == Some(&0) {
        bytes.pop();
    }
    String::from_utf8(bytes).context("a name in the model is not UTF-8")
}

fn read_variables(r: &mut impl Read) -> Result<HashMap<String, Variable>> {
    let version = read_u32(r).context("the file is too short")?;
    ensure!(
        (5..=6).contains(&version),
        "unsupported CTranslate2 model version {version} (expected 5 or 6)"
    );
    let spec = read_string(r)?;
    ensure!(
        spec == "WhisperSpec",
        "the model is a `{spec}`, not a Whisper model"
    );
    let _revision = read_u32(r)?;
    let count = read_u32(r)?;
    let mut variables = HashMap::with_capacity(count as usize);
    for _ in 0..count {
        let name = read_string(r)?;
        let rank = read_u8(r)?;
        let dims = (0..rank)
            .map(|_| read_u32(r).map(|d| d as usize))
            .collect::<Result<Vec<_>>>()?;
        let dtype = DType::from_code(read_u8(r)?)?;
        let n_bytes = read_u32(r)? as usize;
        let expected = dims.iter().product::<usize>() * dtype.size();
        ensure!(
            n_bytes == expected,
            "variable `{name}` claims {n_bytes} bytes but its shape {dims:?} needs {expected}"
        );
        let mut data = vec![0u8; n_bytes];
        r.read_exact(&mut data)
            .with_context(|| format!("the file ends inside variable `{name}` (truncated?)"))?;
        variables.insert(name, Variable { dims, dtype, data });
    }
    let n_aliases = read_u32(r)?;
    for _ in 0..n_aliases {
        let alias = read_string(r)?;
        let target = read_string(r)?;
        let var = variables
            .get(&target)
            .with_context(|| format!("alias `{alias}` points at missing `{target}`"))?
            .clone();
        variables.insert(alias, var);
    }
    Ok(variables)
}

fn read_vocabulary(dir: &Path) -> Result<Vec<String>> {
    let txt = dir.join("vocabulary.txt");
    let json = dir.join("vocabulary.json");
    if txt.is_file() {
        let text = std::fs::read_to_string(&txt)
            .with_context(|| format!("cannot read `{}`", txt.display()))?;
        // One token per line; GPT-2's byte-to-unicode mapping keeps newlines out of tokens.
        let mut tokens: Vec<String> = text.split('\n').map(str::to_owned).collect();
        if tokens.last().is_some_and(String::is_empty) {
            tokens.pop();
        }
        Ok(tokens)
    } else if json.is_file() {
        let text = std::fs::read_to_string(&json)
            .with_context(|| format!("cannot read `{}`", json.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("`{}` is not a JSON list of tokens", json.display()))
    } else {
        bail!(
            "`{}` holds neither vocabulary.txt nor vocabulary.json; the importer needs the model's vocabulary",
            dir.display()
        )
    }
}
