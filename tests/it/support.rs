//! Shared helpers: paths, the model (loaded once per test binary), CLI runs, temp folders.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use assert_cmd::Command;
use dictate::asr::transcribe::{DecodeOptions, Transcriber};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample(name: &str) -> PathBuf {
    root().join("samples").join(name)
}

/// The tiny.en model the README's set-up fetches. Panics with instructions when missing: a
/// test that needs the model must never pass without it.
pub fn model() -> PathBuf {
    let path = std::env::var_os("DICTATE_TEST_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("models/ggml-tiny.en.bin"));
    assert!(
        path.is_file(),
        "\n\nMISSING MODEL: `{}` does not exist.\nThese tests run the real Whisper model. Run \
         `./scripts/setup.sh` (or `dictate model fetch tiny.en`) first, or set DICTATE_TEST_MODEL.\n",
        path.display()
    );
    path
}

/// One transcriber for every in-process test, so the model loads once.
pub fn transcriber() -> &'static Mutex<Transcriber> {
    static T: OnceLock<Mutex<Transcriber>> = OnceLock::new();
    T.get_or_init(|| {
        let t = Transcriber::load(&model(), DecodeOptions::default()).expect("the model loads");
        Mutex::new(t)
    })
}

/// Transcribes 16 kHz samples with the shared model.
pub fn transcribe_samples(samples: &[f32]) -> String {
    let mut t = transcriber().lock().unwrap_or_else(|e| e.into_inner());
    t.transcribe(samples).expect("transcription runs").text()
}

/// The `dictate` binary with the test model, no config file and no stray environment.
pub fn dictate() -> Command {
    let mut cmd = Command::cargo_bin("dictate").expect("the binary builds");
    cmd.env_remove("DICTATE_CONFIG")
        .env_remove("DICTATE_MODEL")
        .env_remove("DICTATE_THREADS")
        .env_remove("DICTATE_LOG")
        .env("DICTATE_MODEL", model());
    cmd
}

/// `dictate` without any model setting, for tests of model lookup.
pub fn dictate_bare() -> Command {
    let mut cmd = Command::cargo_bin("dictate").expect("the binary builds");
    cmd.env_remove("DICTATE_CONFIG")
        .env_remove("DICTATE_MODEL")
        .env_remove("DICTATE_THREADS");
    cmd
}

/// Runs `cmd` to its end, for at most `secs` seconds: its exit code, stdout and stderr as text.
pub fn finish(cmd: &mut Command, secs: u64) -> (Option<i32>, String, String) {
    let o = cmd
        .timeout(std::time::Duration::from_secs(secs))
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Lower-cased text with punctuation turned to spaces, for "does it say X" checks.
pub fn normalise(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts that every word or phrase of `expected` appears in `text`.
pub fn assert_says(text: &str, expected: &[&str]) {
    let norm = normalise(text);
    let missing: Vec<&&str> = expected
        .iter()
        .filter(|w| !norm.contains(&normalise(w)))
        .collect();
    assert!(
        missing.is_empty(),
        "missing {missing:?} in transcript:\n{text}"
    );
}

/// What each sample must be heard to say: names and clinical words tiny.en gets right.
pub const SAMPLES: &[(&str, &[&str])] = &[
    (
        "s01_diabetes_clinic.wav",
        &[
            "Sarah Hughes",
            "clinic letter",
            "Margaret Owen",
            "diabetes clinic",
            "metformin",
            "twice daily",
        ],
    ),
    (
        "s02_knee_referral.wav",
        &[
            "James Patel",
            "referral",
            "David Thompson",
            "medial compartment",
            "paracetamol",
            "ibuprofen",
        ],
    ),
    (
        "s03_asthma_clinic.wav",
        &[
            "Helen Carter",
            "Emily Watson",
            "asthma",
            "peak flow",
            "twice daily",
        ],
    ),
];

pub fn sha256(path: &Path) -> String {
    dictate::fsio::sha256_file(path).expect("hash")
}

/// The text of a DOCX's main document, tags stripped: what Word would show.
pub fn docx_text(path: &Path) -> String {
    let file = std::fs::File::open(path).expect("docx opens");
    let mut zip = zip::ZipArchive::new(file).expect("the DOCX is a valid zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip
            .by_name("word/document.xml")
            .expect("has word/document.xml"),
        &mut xml,
    )
    .expect("document.xml is UTF-8");
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.replace("</w:p>", "\n").chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
}

/// A part of a DOCX (e.g. `word/comments.xml`) as text, or `None` when it has no such part.
pub fn docx_part(path: &Path, name: &str) -> Option<String> {
    let file = std::fs::File::open(path).expect("docx opens");
    let mut zip = zip::ZipArchive::new(file).expect("the DOCX is a valid zip");
    let mut part = zip.by_name(name).ok()?;
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut part, &mut xml).expect("UTF-8 part");
    Some(xml)
}

/// Opens a DOCX the way a person would: LibreOffice converts it to PDF (headless), pdftotext
/// reads the PDF. A file LibreOffice cannot open fails here. Needs the Debian packages
/// libreoffice-writer-nogui and poppler-utils (./scripts/test.sh installs them).
pub fn pdf_text(docx: &Path) -> String {
    pdf_texts(&[docx]).remove(0)
}

/// [`pdf_text`] of many letters with one start of LibreOffice.
pub fn pdf_texts(docxs: &[&Path]) -> Vec<String> {
    let soffice = ["soffice", "libreoffice"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .unwrap_or_else(|| {
            panic!(
                "LibreOffice is not installed: the DOCX tests open every letter with it. Install \
                 the Debian package libreoffice-writer-nogui (./scripts/test.sh does)"
            )
        });
    let work = tempdir();
    // Copies under plain names: letters of one name in two folders, or odd names, stay apart.
    let copies: Vec<PathBuf> = docxs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let copy = work.path().join(format!("letter{i}.docx"));
            std::fs::copy(d, &copy).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
            copy
        })
        .collect();
    let status = std::process::Command::new(soffice)
        .env("HOME", work.path())
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            work.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(work.path())
        .args(&copies)
        .output()
        .expect("LibreOffice runs");
    copies
        .iter()
        .zip(docxs)
        .map(|(copy, docx)| {
            let pdf = copy.with_extension("pdf");
            assert!(
                pdf.is_file(),
                "LibreOffice could not convert {}: {}",
                docx.display(),
                String::from_utf8_lossy(&status.stderr)
            );
            let out = std::process::Command::new("pdftotext")
                .args(["-layout"])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap_or_else(|e| {
                    panic!("pdftotext is missing ({e}): install poppler-utils (./scripts/test.sh does)")
                });
            assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
            String::from_utf8_lossy(&out.stdout).into_owned()
        })
        .collect()
}

/// ffmpeg, which the format tests use to make MP3, M4A, Ogg, FLAC and Opus copies of the samples.
/// Missing, the tests fail and say what to install; they never pass by skipping.
pub fn ffmpeg() -> &'static str {
    let ok = std::process::Command::new("ffmpeg")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "ffmpeg is not installed: the audio format tests convert the samples with it. Install \
         the Debian package ffmpeg (./scripts/test.sh does)"
    );
    "ffmpeg"
}

/// Converts `input` with ffmpeg, `args` giving the codec, into `output`.
pub fn convert(input: &Path, args: &[&str], output: &Path) {
    let out = std::process::Command::new(ffmpeg())
        .args(["-nostdin", "-v", "error", "-y", "-i"])
        .arg(input)
        .args(args)
        .arg(output)
        .output()
        .expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "ffmpeg could not make {}: {}",
        output.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Word-level edit distance between two texts, after [`normalise`].
pub fn word_distance(a: &str, b: &str) -> usize {
    let (a, b) = (normalise(a), normalise(b));
    let a: Vec<&str> = a.split(' ').collect();
    let b: Vec<&str> = b.split(' ').collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, wa) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, wb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(wa != wb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Writes 16 kHz mono samples in [-1, 1] as a 16-bit WAV file.
pub fn write_wav_16k(path: &Path, samples: &[f32]) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for s in samples {
        w.write_sample((s.clamp(-1.0, 1.0) * 32_767.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
}

/// Writes `mono` (16 kHz) as a WAV with the given rate, channels and format, resampling by
/// linear interpolation (good enough to make a test file; the product uses a real resampler).
pub fn write_wav_shaped(
    path: &Path,
    mono: &[f32],
    rate: u32,
    channels: u16,
    bits: u16,
    float: bool,
) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let n = (mono.len() as u64 * u64::from(rate) / 16_000) as usize;
    for i in 0..n {
        let x = i as f64 * 16_000.0 / f64::from(rate);
        let j = x as usize;
        let frac = (x - j as f64) as f32;
        let a = mono[j.min(mono.len() - 1)];
        let b = mono[(j + 1).min(mono.len() - 1)];
        let v = a + (b - a) * frac;
        for c in 0..channels {
            // A quieter right channel: the downmix must average, not pick one side.
            let v = if c == 1 { v * 0.5 } else { v };
            if float {
                w.write_sample(v).unwrap();
            } else {
                let max = ((1i64 << (bits - 1)) - 1) as f32;
                w.write_sample((v * max).round() as i32).unwrap();
            }
        }
    }
    w.finalize().unwrap();
}
