//! The bad-input corpus: every kind of odd, broken or careless input found so far (issue 15 and
//! since), made fresh in one inbox and run through one batch, each row saying what must come of
//! it: a whole letter (which LibreOffice opens), a clear failure, a copy named as such, or a
//! file that is no recording left alone. Then the set-up mistakes, each stopped before any work
//! with what to do. Over all of it: no panic, no hang, no source changed, no patient's details
//! outside the letters and their records.
//!
//! A new kind of input found in the field becomes a row here. README's "Reliability" section
//! states the number of kinds; [`the_readme_counts_every_kind`] keeps it true.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::support::*;

/// A name and an NHS number that must never appear outside a letter and its record.
const SENTINEL_NAME: &str = "Zebedee Quixote";
const SENTINEL_NHS: &str = "9990395969";

/// What must come of one kind of input.
enum Expect {
    /// A letter whose text (notes included) says each phrase.
    Letter(&'static [&'static str]),
    /// A failed job whose reason says each phrase.
    Fails(&'static [&'static str]),
    /// Skipped as a copy of this recording, with that recording's letter named.
    CopyOf(&'static str),
    /// Not taken for a recording at all.
    Ignored,
}

/// One kind of input: the recording's path in the inbox, what it is, how to make it (given the
/// path and a number that makes its audio unlike every other row's), and what must come of it.
struct Kind {
    file: &'static str,
    what: &'static str,
    make: fn(&Path, usize),
    expect: Expect,
}

/// The first 12 s of a sample dictation (its header: "a clinic letter to Dr Mark Ivens ... re
/// Miss Emily Watson"), 16 kHz mono.
fn speech() -> &'static [f32] {
    static SPEECH: OnceLock<Vec<f32>> = OnceLock::new();
    SPEECH.get_or_init(|| {
        let mut a = dictate::audio::load(&sample("s03_asthma_clinic.wav"))
            .expect("the sample loads")
            .samples;
        a.truncate(12 * 16_000);
        a
    })
}

/// The dictation with `n` ms of silence after it: audio unlike every other row's, so no row is
/// taken for a copy of another.
fn speech_n(n: usize) -> Vec<f32> {
    let mut a = speech().to_vec();
    a.extend(std::iter::repeat_n(0.0, 16 * (n + 1)));
    a
}

fn clip(path: &Path, n: usize) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    write_wav_16k(path, &speech_n(n));
}

/// The dictation as a WAV of another shape (rate, channels, bits, float).
fn shaped(path: &Path, n: usize, rate: u32, channels: u16, bits: u16, float: bool) {
    write_wav_shaped(path, &speech_n(n), rate, channels, bits, float);
}

/// The bytes of a good 16-bit WAV of the dictation.
fn wav_bytes(n: usize) -> Vec<u8> {
    let dir = tempdir();
    let p = dir.path().join("x.wav");
    clip(&p, n);
    std::fs::read(p).unwrap()
}

/// A WAV header (fmt: PCM or float, channels, rate, bits) and `data` bytes.
fn raw_wav(path: &Path, format: u16, channels: u16, rate: u32, bits: u16, data: &[u8]) {
    let align = channels * bits / 8;
    let mut b = b"RIFF".to_vec();
    b.extend((36 + data.len() as u32).to_le_bytes());
    b.extend(b"WAVEfmt ");
    b.extend(16u32.to_le_bytes());
    b.extend(format.to_le_bytes());
    b.extend(channels.to_le_bytes());
    b.extend(rate.to_le_bytes());
    b.extend((rate * u32::from(align)).to_le_bytes());
    b.extend(align.to_le_bytes());
    b.extend(bits.to_le_bytes());
    b.extend(b"data");
    b.extend((data.len() as u32).to_le_bytes());
    b.extend(data);
    std::fs::write(path, b).unwrap();
}

/// The recording with a sidecar of these bytes beside it.
fn with_sidecar(path: &Path, n: usize, sidecar: &[u8]) {
    clip(path, n);
    std::fs::write(path.with_extension("json"), sidecar).unwrap();
}

fn compressed(path: &Path, n: usize, args: &[&str]) {
    let dir = tempdir();
    let wav = dir.path().join("x.wav");
    clip(&wav, n);
    let out = dir.path().join("x.out");
    let mut full = vec!["-f"];
    full.extend_from_slice(args);
    convert(&wav, &full, &out);
    std::fs::rename(out, path).unwrap();
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo (coreutils) is needed for this test");
    assert!(made.success());
}

/// Every kind of input a batch meets, in the inbox's path order, one per line.
#[rustfmt::skip]
fn kinds() -> Vec<Kind> {
    use Expect::*;
    const HEARD: &[&str] = &["Emily Watson"];
    vec![
        // Recordings that are not whole recordings.
        Kind { file: "a01-empty.wav", what: "an empty file", make: |p, _| std::fs::write(p, b"").unwrap(), expect: Fails(&["the file is empty"]) },
        Kind { file: "a02-text.wav", what: "a text file named .wav", make: |p, _| std::fs::write(p, b"Dear Dr Smith, this is text").unwrap(), expect: Fails(&["not an audio file"]) },
        Kind { file: "a03-stub.wav", what: "the first 30 bytes of a WAV", make: |p, n| std::fs::write(p, &wav_bytes(n)[..30]).unwrap(), expect: Fails(&["damaged WAV", "re-copy"]) },
        Kind { file: "a04-half.wav", what: "a WAV cut off halfway (a copy interrupted)", make: |p, n| { let b = wav_bytes(n); std::fs::write(p, &b[..b.len() / 2]).unwrap() }, expect: Fails(&["truncated", "re-copy"]) },
        Kind { file: "a05-no-samples.wav", what: "a header with no samples", make: |p, _| raw_wav(p, 1, 1, 16_000, 16, &[]), expect: Fails(&["no audio"]) },
        Kind { file: "a06-huge-claim.wav", what: "a header that claims 4 GB", make: |p, n| { let mut b = wav_bytes(n)[..44 + 3200].to_vec(); b[40..44].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes()); std::fs::write(p, b).unwrap() }, expect: Fails(&["truncated", "re-copy"]) },
        Kind { file: "a07-avi.wav", what: "RIFF, but not WAVE", make: |p, n| { let mut b = wav_bytes(n); b[8..12].copy_from_slice(b"AVI "); std::fs::write(p, b).unwrap() }, expect: Fails(&["cannot read"]) },
        Kind { file: "a08-zero-channels.wav", what: "a header of 0 channels", make: |p, _| raw_wav(p, 1, 0, 16_000, 16, &[0; 3200]), expect: Fails(&["damaged WAV", "zero channels"]) },
        Kind { file: "a09-zero-rate.wav", what: "a header of 0 Hz", make: |p, _| raw_wav(p, 1, 1, 0, 16, &[0; 3200]), expect: Fails(&["damaged WAV", "0 Hz"]) },
        Kind { file: "a10-nan.wav", what: "float samples that are not numbers", make: |p, _| raw_wav(p, 3, 1, 16_000, 32, &f32::NAN.to_le_bytes().repeat(16_000)), expect: Fails(&["not numbers"]) },
        Kind { file: "a11-gone.wav", what: "a link to a recording that is not there", make: |p, _| std::os::unix::fs::symlink("nowhere/gone.wav", p).unwrap(), expect: Fails(&["No such file"]) },
        Kind { file: "a12-pipe.wav", what: "a pipe named like a recording", make: |p, _| mkfifo(p), expect: Fails(&["not a regular file"]) },
        Kind { file: "a13-device.wav", what: "a link to a device (/dev/zero: endless)", make: |p, _| std::os::unix::fs::symlink("/dev/zero", p).unwrap(), expect: Fails(&["not a regular file"]) },
        // Recordings that are whole, in every shape a recorder or a careless copy makes.
        Kind { file: "b01-silence.wav", what: "10 s of silence", make: |p, _| write_wav_16k(p, &[0.0; 160_000]), expect: Letter(&["no speech was recognised"]) },
        Kind { file: "b02-noise.wav", what: "10 s of loud noise", make: |p, _| write_wav_16k(p, &(0..160_000u32).map(|i| ((i.wrapping_mul(2_654_435_761) >> 16) as f32 / 32_768.0 - 1.0) * 0.3).collect::<Vec<_>>()), expect: Letter(&["no speech was recognised"]) },
        Kind { file: "b03-blip.wav", what: "a tenth of a second", make: |p, _| write_wav_16k(p, &[0.01; 1600]), expect: Letter(&["no speech was recognised"]) },
        Kind { file: "b04-8k-8bit.wav", what: "8 kHz, 8-bit", make: |p, n| shaped(p, n, 8_000, 1, 8, false), expect: Letter(HEARD) },
        Kind { file: "b05-stereo-48k.wav", what: "48 kHz stereo", make: |p, n| shaped(p, n, 48_000, 2, 16, false), expect: Letter(HEARD) },
        Kind { file: "b06-float.wav", what: "32-bit float", make: |p, n| shaped(p, n, 16_000, 1, 32, true), expect: Letter(HEARD) },
        Kind { file: "b07-24bit-44k.wav", what: "44.1 kHz, 24-bit", make: |p, n| shaped(p, n, 44_100, 1, 24, false), expect: Letter(HEARD) },
        Kind { file: "b08-odd-byte.wav", what: "a stray byte after the samples", make: |p, n| { let mut b = wav_bytes(n); b.push(1); std::fs::write(p, b).unwrap() }, expect: Letter(HEARD) },
        Kind { file: "b09-mp3.wav", what: "an MP3 named .wav", make: |p, n| compressed(p, n, &["mp3"]), expect: Letter(HEARD) },
        Kind { file: "b10-wav.mp3", what: "a WAV named .mp3", make: |p, n| clip(p, n), expect: Letter(HEARD) },
        Kind { file: "b11-UPPER.WAV", what: "an upper-case extension", make: |p, n| clip(p, n), expect: Letter(HEARD) },
        Kind { file: "b12-flac.flac", what: "FLAC", make: |p, n| compressed(p, n, &["flac"]), expect: Letter(HEARD) },
        Kind { file: "b13-with space é.wav", what: "spaces and accents in the name", make: |p, n| clip(p, n), expect: Letter(HEARD) },
        Kind { file: "b14-new\nline.wav", what: "a newline in the name", make: |p, n| clip(p, n), expect: Letter(HEARD) },
        Kind { file: "b15-Zo\u{FFFD}.wav", what: "a name not in UTF-8 (Latin-1 from an old share)", make: |p, n| clip(&p.with_file_name(std::ffi::OsStr::from_bytes(b"b15-Zo\xeb.wav")), n), expect: Letter(HEARD) },
        Kind { file: "b16-long-nameeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.wav", what: "a 251-byte name (no room for .docx)", make: |p, n| clip(p, n), expect: Letter(HEARD) },
        Kind { file: "b17-folder.wav/inside.wav", what: "a folder named like a recording, a recording in it", make: |p, n| clip(p, n), expect: Letter(HEARD) },
        Kind { file: "b18/1/2/3/4/5/6/7/8/deep.wav", what: "a recording ten folders down", make: |p, n| clip(p, n), expect: Letter(HEARD) },
        Kind { file: "b19-link.wav", what: "a link to a recording outside the inbox", make: |p, n| { let outside = p.parent().unwrap().parent().unwrap().join("elsewhere.wav"); clip(&outside, n); std::os::unix::fs::symlink(outside, p).unwrap() }, expect: Letter(HEARD) },
        // Copies: done once, each naming the letter that covers it.
        Kind { file: "c01-copy.wav", what: "a copy of another recording", make: |p, n| { clip(&p.with_file_name("c00-original.wav"), n); std::fs::copy(p.with_file_name("c00-original.wav"), p).unwrap(); }, expect: CopyOf("c00-original.wav") },
        Kind { file: "c02-hardlink.wav", what: "a hard link to another recording", make: |p, _| std::fs::hard_link(p.with_file_name("c00-original.wav"), p).unwrap(), expect: CopyOf("c00-original.wav") },
        Kind { file: "c03-symlink.wav", what: "a link to another recording in the inbox", make: |p, _| std::os::unix::fs::symlink("c00-original.wav", p).unwrap(), expect: CopyOf("c00-original.wav") },
        // Not recordings: left alone.
        Kind { file: "d01-readme.txt", what: "a text file", make: |p, _| std::fs::write(p, b"hello").unwrap(), expect: Ignored },
        Kind { file: ".d02-hidden.wav", what: "a hidden file (a sync tool's partial copy)", make: |p, n| clip(p, n), expect: Ignored },
        Kind { file: "d03-partial.wav.part", what: "a download not finished", make: |p, n| clip(p, n), expect: Ignored },
        Kind { file: "d04-self/x.wav", what: "a link to its own folder (a loop)", make: |p, _| std::os::unix::fs::symlink(".", p.parent().unwrap()).unwrap(), expect: Ignored },
        Kind { file: "d05-up/x.wav", what: "a link to the folder above (out of the inbox)", make: |p, _| std::os::unix::fs::symlink("..", p.parent().unwrap()).unwrap(), expect: Ignored },
        // Sidecars a PAS, a device or a careless script writes.
        Kind { file: "e01.wav", what: "an empty sidecar", make: |p, n| with_sidecar(p, n, b""), expect: Fails(&["e01.json", "the file is empty"]) },
        Kind { file: "e02.wav", what: "a sidecar cut short", make: |p, n| with_sidecar(p, n, br#"{"patient": {"name": "Zebedee Quixote"#), expect: Fails(&["e02.json", "not JSON"]) },
        Kind { file: "e03.wav", what: "a sidecar in Latin-1", make: |p, n| with_sidecar(p, n, b"{\"patient\": {\"name\": \"Zebedee Quixot\xeb\"}}"), expect: Fails(&["e03.json", "not UTF-8"]) },
        Kind { file: "e04.wav", what: "a sidecar that is a list", make: |p, n| with_sidecar(p, n, b"[1, 2]"), expect: Fails(&["e04.json", "expected an object"]) },
        Kind { file: "e05.wav", what: "the NHS number as a JSON number", make: |p, n| with_sidecar(p, n, br#"{"patient": {"name": "Zebedee Quixote", "nhs": 9990395969}}"#), expect: Fails(&["`patient.nhs`", "expected a string"]) },
        Kind { file: "e06.wav", what: "the patient as one string", make: |p, n| with_sidecar(p, n, br#"{"patient": "Zebedee Quixote 9990395969"}"#), expect: Fails(&["`patient`", "expected an object"]) },
        Kind { file: "e07.wav", what: "a name in letter_type", make: |p, n| with_sidecar(p, n, br#"{"letter_type": "Zebedee Quixote"}"#), expect: Fails(&["`letter_type`"]) },
        Kind { file: "e08.wav", what: "an unknown key holding a number", make: |p, n| with_sidecar(p, n, br#"{"patient": {"name": "Zebedee Quixote"}, "hospital_no": 9990395969}"#), expect: Fails(&["a key in the top level is not a field a sidecar has"]) },
        Kind { file: "e09.wav", what: "a key given twice", make: |p, n| with_sidecar(p, n, br#"{"patient": {"name": "Zebedee Quixote"}, "patient": {}}"#), expect: Fails(&["`patient` is given twice"]) },
        Kind { file: "e10.wav", what: "a lone surrogate escape", make: |p, n| with_sidecar(p, n, br#"{"patient": {"name": "Zebedee \ud800 Quixote"}}"#), expect: Fails(&["not JSON"]) },
        Kind { file: "e11.wav", what: "nesting ten thousand deep", make: |p, n| with_sidecar(p, n, format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).as_bytes()), expect: Fails(&["e11.json", "not valid"]) },
        Kind { file: "e12.wav", what: "a sidecar over 1 MB", make: |p, n| with_sidecar(p, n, &vec![b' '; 2 << 20]), expect: Fails(&["more than", "move it away"]) },
        Kind { file: "f01.wav", what: "a byte-order mark (Notepad's UTF-8)", make: |p, n| with_sidecar(p, n, b"\xEF\xBB\xBF{\"patient\": {\"name\": \"Mrs Ada Byron\"}}"), expect: Letter(&["Ada Byron"]) },
        Kind { file: "f02.wav", what: "control characters in a value", make: |p, n| with_sidecar(p, n, br#"{"patient": {"name": "Mr Ada\u000bBy\u0001ron"}}"#), expect: Letter(&["Ada By ron", "patient name held characters a letter cannot show"]) },
        Kind { file: "f03.wav", what: "a text-direction override in a value", make: |p, n| with_sidecar(p, n, br#"{"recipient": {"name": "Dr Eve \u202eLyn"}}"#), expect: Letter(&["Dr Eve Lyn", "recipient name held characters"]) },
        Kind { file: "f04.wav", what: "U+FFFF in an address", make: |p, n| with_sidecar(p, n, br#"{"patient": {"name": "Mrs Ivy Hale", "address": ["1 Elm Road\uffff"]}}"#), expect: Letter(&["Ivy Hale", "1 Elm Road", "patient address held characters"]) },
        Kind { file: "f05.wav", what: "XML's own characters and quotes", make: |p, n| with_sidecar(p, n, br#"{"patient": {"name": "Mr Tom <O'Neil> & \"Son\""}}"#), expect: Letter(&["Tom <O'Neil> & \"Son\""]) },
        Kind { file: "f06.wav", what: "an emoji and a combining accent", make: |p, n| with_sidecar(p, n, "{\"patient\": {\"name\": \"Mrs Zoe\u{301} Smile \u{1F600}\"}}".as_bytes()), expect: Letter(&["Zoe\u{301} Smile \u{1F600}"]) },
        Kind { file: "f07.wav", what: "a name of 10,000 characters", make: |p, n| with_sidecar(p, n, format!(r#"{{"patient": {{"name": "Mr {}"}}}}"#, "Long".repeat(2_500)).as_bytes()), expect: Letter(&["LongLong"]) },
        Kind { file: "f08.wav", what: "nulls for values", make: |p, n| with_sidecar(p, n, br#"{"patient": {"name": null, "nhs": null}, "clinician": null}"#), expect: Letter(HEARD) },
        Kind { file: "f09.wav", what: "an NHS number that fails its check digit", make: |p, n| with_sidecar(p, n, br#"{"patient": {"nhs": "123 456 7890"}}"#), expect: Letter(&["fails the NHS number check digit"]) },
        Kind { file: "f10.wav", what: "a date of birth that is no date", make: |p, n| with_sidecar(p, n, br#"{"patient": {"dob": "31/02/1950"}}"#), expect: Letter(&["is not a whole date"]) },
        Kind { file: "f11.wav", what: "two letters listed for a recording of one", make: |p, n| with_sidecar(p, n, br#"{"letters": [{"patient": {"name": "Mr A"}}, {"patient": {"name": "Mr B"}}]}"#), expect: Letter(&["lists 2 letters but 1 was dictated"]) },
        Kind { file: "f12.wav", what: "a sidecar that is a folder", make: |p, n| { clip(p, n); std::fs::create_dir(p.with_extension("json")).unwrap() }, expect: Letter(&["`f12.json` is not a file", "could not be read"]) },
        Kind { file: "f13.wav", what: "a sidecar that is a pipe", make: |p, n| { clip(p, n); mkfifo(&p.with_extension("json")) }, expect: Letter(&["`f13.json` is not a file"]) },
        Kind { file: "f14.wav", what: "a sidecar link to nothing", make: |p, n| { clip(p, n); std::os::unix::fs::symlink("gone.json", p.with_extension("json")).unwrap() }, expect: Letter(&["`f14.json` is a link to a file that is not there"]) },
        Kind { file: "f15.wav", what: "the same audio with another patient's sidecar", make: |p, _| { std::fs::copy(p.with_file_name("c00-original.wav"), p).unwrap(); std::fs::write(p.with_extension("json"), br#"{"patient": {"name": "Mrs Una Other"}}"#).unwrap() }, expect: Letter(&["Una Other"]) },
    ]
}

/// Every regular file under `dir` with its bytes, links not followed (the corpus has loops).
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            out.extend(files_under(&path));
        } else if meta.is_file() {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

/// Whether one kind came out as it must: its letter, if one was made, and what is wrong.
fn check_kind<'r>(
    k: &Kind,
    entry: &dyn Fn(&str) -> Option<&'r serde_json::Value>,
    stdout: &str,
    inbox: &Path,
) -> (Option<PathBuf>, Vec<String>) {
    let got = entry(k.file);
    let outcome = got.map_or("(not listed)", |f| f["outcome"].as_str().unwrap());
    let mut wrong = Vec::new();
    match (&k.expect, got) {
        (Expect::Ignored, None) => {}
        (Expect::Letter(says), Some(f)) if outcome == "done" => {
            let docx = PathBuf::from(f["docx"].as_str().unwrap());
            let text = docx_text(&docx);
            wrong.extend(
                says.iter()
                    .filter(|s| !text.contains(*s))
                    .map(|s| format!("the letter does not say {s:?}")),
            );
            return (Some(docx), wrong);
        }
        (Expect::Fails(says), Some(f)) if outcome == "failed" => {
            let error = f["error"].as_str().unwrap();
            wrong.extend(
                says.iter()
                    .filter(|s| !error.contains(*s))
                    .map(|s| format!("the reason does not say {s:?}: {error}")),
            );
            let shown =
                dictate::fsio::shown(&inbox.join(k.file).display().to_string()).into_owned();
            if !stdout
                .lines()
                .any(|l| l.starts_with("  failed:") && l.contains(&shown))
            {
                wrong.push("no failure line in the summary".to_owned());
            }
        }
        (Expect::CopyOf(first), Some(f)) if outcome == "skipped" => {
            let original = entry(first).expect("the original is listed");
            if f["same_as"] != original["input"]
                || f["docx"] != original["docx"]
                || f["docx"].is_null()
            {
                wrong.push(format!(
                    "not named as a copy of {first} with its letter: {f}"
                ));
            }
        }
        _ => wrong.push(format!("{outcome}, not as expected")),
    }
    (None, wrong)
}

#[test]
fn every_kind_of_input_ends_in_a_whole_letter_or_a_clear_error_and_nothing_leaks() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let kinds = kinds();
    for (n, k) in kinds.iter().enumerate() {
        // Each row makes its own folders (some are links).
        (k.make)(&inbox.join(k.file), n + 1);
    }
    let before = files_under(&inbox);

    let out = dir.path().join("letters");
    let (code, stdout, stderr) = finish(
        dictate().arg("batch").arg(&inbox).arg("--out").arg(&out),
        1200,
    );
    assert_eq!(code, Some(1), "some fail: exit 1\n{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("batch-report.json")).unwrap()).unwrap();
    let files = report["files"].as_array().unwrap();
    // Every recording listed once, none through a link out of the inbox or round a loop.
    let listed = kinds
        .iter()
        .filter(|k| !matches!(k.expect, Expect::Ignored))
        .count()
        + 1;
    assert_eq!(files.len(), listed, "{stdout}");
    let entry = |file: &str| {
        let want = inbox.join(file).display().to_string();
        files.iter().find(|f| f["input"] == want.as_str())
    };

    let mut letters: Vec<(&str, PathBuf)> = Vec::new();
    let mut problems = Vec::new();
    for k in &kinds {
        let (letter, wrong) = check_kind(k, &entry, &stdout, &inbox);
        letters.extend(letter.map(|l| (k.file, l)));
        problems.extend(
            wrong
                .into_iter()
                .map(|w| format!("{} ({}): {w}", k.file, k.what)),
        );
    }
    assert!(problems.is_empty(), "{}\n\n{stdout}", problems.join("\n"));

    // Every letter opens in LibreOffice; one with control characters in its sidecar included.
    let docxs: Vec<&Path> = letters.iter().map(|(_, d)| d.as_path()).collect();
    let pdfs = pdf_texts(&docxs);
    let control = letters.iter().position(|(f, _)| *f == "f02.wav").unwrap();
    assert!(pdfs[control].contains("Ada By ron"), "{}", pdfs[control]);

    // Nothing in the inbox changed, and nothing was added to it.
    assert_eq!(files_under(&inbox), before, "the inbox changed");
    // No patient's details outside the letters and their records: stdout, stderr, the report,
    // the ledger (the failed sidecars all hold the sentinel; no letter was made of them).
    for (what, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert!(
            !text.contains("Zebedee") && !text.contains(&SENTINEL_NHS[3..]),
            "{what} names a patient:\n{text}"
        );
    }
    for (path, bytes) in files_under(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(SENTINEL_NAME.split(' ').next().unwrap())
                && !text.contains(&SENTINEL_NHS[3..]),
            "patient data in {}",
            path.display()
        );
    }
    // The report's counts agree with the rows.
    let count = |e: fn(&Expect) -> bool| kinds.iter().filter(|k| e(&k.expect)).count();
    assert_eq!(
        report["done"],
        count(|e| matches!(e, Expect::Letter(_))) + 1,
        "(+1: the copies' original)"
    );
    assert_eq!(report["failed"], count(|e| matches!(e, Expect::Fails(_))));
    assert_eq!(report["skipped"], count(|e| matches!(e, Expect::CopyOf(_))));
}

/// One set-up mistake: the arguments (`{inbox}`, `{out}` and `{dir}` filled in), the set-up it
/// needs, and what must be said. None may start work.
struct Mistake {
    what: &'static str,
    prepare: fn(&Path),
    args: &'static [&'static str],
    says: &'static str,
}

/// Holds the letters folder's lock as a running dictate (process 4242) would, for the test's
/// life.
fn hold_lock(d: &Path) {
    std::fs::create_dir_all(d.join("out")).unwrap();
    std::fs::write(d.join("out/.dictate.lock"), b"4242").unwrap();
    let f = std::fs::File::open(d.join("out/.dictate.lock")).unwrap();
    f.try_lock().unwrap();
    std::mem::forget(f);
}

fn damage_ledger(d: &Path) {
    std::fs::create_dir_all(d.join("out")).unwrap();
    std::fs::write(
        d.join("out/dictate-ledger.sqlite"),
        b"not a database at all, no",
    )
    .unwrap();
}

/// Every set-up mistake, one per line.
#[rustfmt::skip]
fn mistakes() -> Vec<Mistake> {
    let nothing: fn(&Path) = |_| {};
    let m = |what, prepare, args, says| Mistake { what, prepare, args, says };
    const CONFIG: &[&str] = &["--config", "{dir}/c.toml", "batch", "{inbox}", "--out", "{out}"];
    const BATCH: &[&str] = &["batch", "{inbox}", "--out", "{out}"];
    vec![
        m("an inbox that does not exist", nothing, &["batch", "{dir}/nowhere", "--out", "{out}"], "does not exist"),
        m("an inbox that is a file", nothing, &["batch", "{inbox}/a.wav", "--out", "{out}"], "is not a folder"),
        m("a letters folder that is a file", nothing, &["batch", "{inbox}", "--out", "{inbox}/a.wav"], "cannot create output folder"),
        m("a damaged ledger", damage_ledger, BATCH, "move it away"),
        m("a letters folder another dictate is working on", hold_lock, BATCH, "another dictate (process 4242)"),
        m("a config file that is not there", nothing, &["--config", "{dir}/none.toml", "batch", "{inbox}", "--out", "{out}"], "cannot read config file"),
        m("a config file that is not TOML", |d| std::fs::write(d.join("c.toml"), "threads = [\n").unwrap(), CONFIG, "(line 2)"),
        m("a config value of the wrong type", |d| std::fs::write(d.join("c.toml"), "[practice]\nname = 12345\n").unwrap(), CONFIG, "`practice.name` has a value of the wrong type"),
        m("a control character in the letterhead", |d| std::fs::write(d.join("c.toml"), "[practice]\nname = \"Riverside\\u000b\"\n").unwrap(), CONFIG, "`practice.name` holds a control"),
        m("no model", nothing, &["--model", "{dir}/none.bin", "batch", "{inbox}", "--out", "{out}"], "no model at"),
        m("a model file that is no model", |d| std::fs::write(d.join("m.bin"), b"junk junk junk junk").unwrap(), &["--model", "{dir}/m.bin", "batch", "{inbox}", "--out", "{out}"], "not a usable whisper.cpp model"),
        m("no recordings at a time", nothing, &["batch", "{inbox}", "--out", "{out}", "--jobs", "0"], "0 is not in 1.."),
        m("a thread count that is no number", nothing, &["batch", "{inbox}", "--out", "{out}", "--threads", "many"], "invalid value 'many'"),
    ]
}

#[test]
fn watch_fails_the_sidecars_it_cannot_read_without_quoting_a_patient() {
    // The sidecar rows that fail, dropped into a watched inbox: each recording goes to failed/
    // with its reason, and no reason holds the patient's details.
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let failing: Vec<Kind> = kinds()
        .into_iter()
        .filter(|k| k.file.starts_with('e'))
        .collect();
    for (n, k) in failing.iter().enumerate() {
        (k.make)(&inbox.join(k.file), n + 1);
    }
    let out = dir.path().join("letters");
    let (code, stdout, stderr) = finish(
        dictate()
            .args(["watch", "--once", "--settle", "0", "--out"])
            .arg(&out)
            .arg(&inbox),
        300,
    );
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!(
            "0 letters written, {} recordings failed",
            failing.len()
        )),
        "{stdout}"
    );
    for k in &failing {
        let why = std::fs::read_to_string(
            inbox
                .join("failed")
                .join(k.file)
                .with_extension("error.txt"),
        )
        .unwrap_or_else(|e| panic!("{}: no reason beside it in failed/ ({e})", k.file));
        let Expect::Fails(says) = k.expect else {
            unreachable!("the e rows fail")
        };
        assert!(says.iter().all(|s| why.contains(s)), "{}: {why}", k.file);
    }
    let mut everything = files_under(&inbox);
    if out.exists() {
        everything.extend(files_under(&out));
    }
    everything.push(("stdout".into(), stdout.into_bytes()));
    everything.push(("stderr".into(), stderr.into_bytes()));
    for (path, bytes) in everything {
        if path.extension().is_some_and(|e| e == "json") {
            continue; // the sidecars themselves
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Zebedee") && !text.contains(&SENTINEL_NHS[3..]),
            "patient data in {}",
            path.display()
        );
    }
}

#[test]
fn set_up_mistakes_stop_before_any_work_and_say_what_to_do() {
    for m in mistakes() {
        let dir = tempdir();
        let inbox = dir.path().join("inbox");
        std::fs::create_dir(&inbox).unwrap();
        clip(&inbox.join("a.wav"), 0);
        (m.prepare)(dir.path());
        let before = files_under(&inbox);
        let args: Vec<String> = m
            .args
            .iter()
            .map(|a| {
                a.replace("{inbox}", &inbox.display().to_string())
                    .replace("{out}", &dir.path().join("out").display().to_string())
                    .replace("{dir}", &dir.path().display().to_string())
            })
            .collect();
        let o = dictate()
            .args(&args)
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{}: {stderr}", m.what);
        assert!(
            stderr.contains(m.says),
            "{}: no {:?} in: {stderr}",
            m.what,
            m.says
        );
        assert!(!stderr.contains("panicked"), "{}: {stderr}", m.what);
        assert!(
            !dir.path().join("out/a.docx").exists(),
            "{}: work was done",
            m.what
        );
        assert_eq!(files_under(&inbox), before, "{}: the inbox changed", m.what);
    }
}

#[test]
fn the_readme_counts_every_kind() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let total = kinds().len() + mistakes().len();
    let said = format!("{total} kinds of bad or odd input");
    assert!(
        readme.contains(&said),
        "README's Reliability section must say \"{said}\" (tests/it/corpus.rs holds {} inputs \
         and {} set-up mistakes)",
        kinds().len(),
        mistakes().len()
    );
}
