//! Audio in: every WAV flavour a recorder writes is read, converted to 16 kHz mono and heard the
//! same; broken files give clear errors. Runs in process with the model loaded once.

use std::path::Path;

use dictate::audio::{self, AudioError};

use crate::support::*;

/// The 16 kHz mono sample as f32, and its words.
fn reference() -> (Vec<f32>, &'static [&'static str]) {
    let a = audio::load(&sample("s03_asthma_clinic.wav")).expect("the sample loads");
    (a.samples, SAMPLES[2].1)
}

#[test]
fn recorder_formats_are_read_and_heard_alike() {
    let (mono, words) = reference();
    let dir = tempdir();
    for (rate, channels, bits, float) in [
        (48_000, 2, 16, false),
        (44_100, 1, 24, false),
        (8_000, 1, 8, false),
        (22_050, 2, 32, true),
        (16_000, 1, 32, false),
    ] {
        let name = format!(
            "{rate}-{channels}ch-{bits}{}.wav",
            if float { "f" } else { "" }
        );
        let path = dir.path().join(&name);
        write_wav_shaped(&path, &mono, rate, channels, bits, float);
        let a = audio::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let secs = mono.len() as f64 / 16_000.0;
        assert!(
            (a.seconds() - secs).abs() < 0.05,
            "{name}: {} s vs {secs} s",
            a.seconds()
        );
        assert_eq!(a.source.sample_rate, rate);
        let text = transcribe_samples(&a.samples);
        // Telephone-quality 8 kHz loses detail; the names and key words must still come through.
        assert_says(&text, words);
    }
}

fn load_err(bytes: &[u8]) -> (AudioError, String) {
    let dir = tempdir();
    let path = dir.path().join("dictation.wav");
    std::fs::write(&path, bytes).unwrap();
    let e = audio::load(&path).expect_err("must fail");
    let msg = e.to_string();
    assert!(
        msg.contains("dictation.wav"),
        "the error names the file: {msg}"
    );
    (e, msg)
}

fn wav_bytes(seconds: f32) -> Vec<u8> {
    let dir = tempdir();
    let p = dir.path().join("x.wav");
    let mono: Vec<f32> = (0..(16_000.0 * seconds) as usize)
        .map(|i| (i as f32 * 0.05).sin() * 0.3)
        .collect();
    write_wav_shaped(&p, &mono, 16_000, 1, 16, false);
    std::fs::read(p).unwrap()
}

#[test]
fn broken_files_give_clear_errors() {
    let (e, msg) = load_err(b"");
    assert!(matches!(e, AudioError::EmptyFile { .. }), "{msg}");

    let (e, msg) = load_err(b"ID3\x04\x00\x00\x00\x00\x00\x21mp3 data here");
    // Told by its content (an MP3's ID3 tag), whatever the file's name: a damaged MP3.
    assert!(
        matches!(
            e,
            AudioError::Damaged { .. } | AudioError::Truncated { .. } | AudioError::NoAudio { .. }
        ) && msg.contains("MP3"),
        "{msg}"
    );

    let (e, msg) = load_err(b"Dear Dr Smith, this is a text file.\n");
    assert!(matches!(e, AudioError::NotAudio { .. }), "{msg}");
    // A text file's contents may name a patient: the message does not quote them.
    assert!(msg.contains("text file") && !msg.contains("Smith"), "{msg}");

    // Cut off halfway through the audio data.
    let full = wav_bytes(1.0);
    let (e, msg) = load_err(&full[..full.len() / 2 + 1]);
    assert!(
        matches!(e, AudioError::Truncated { .. } | AudioError::BadWav { .. }),
        "{msg}"
    );

    // A header that claims 4 GB of audio in a tiny file: an error, not a huge allocation.
    let mut huge = wav_bytes(0.1);
    let data_at = huge.windows(4).position(|w| w == b"data").unwrap();
    huge[data_at + 4..data_at + 8].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let (_, msg) = load_err(&huge);
    assert!(
        msg.contains("truncated") || msg.contains("damaged"),
        "{msg}"
    );

    // A valid header with no samples.
    let (e, msg) = load_err(&wav_bytes(0.0));
    assert!(matches!(e, AudioError::NoAudio { .. }), "{msg}");

    // Only a RIFF tag.
    let (e, msg) = load_err(b"RIFF\x10\x00\x00\x00WAVEfmt ");
    assert!(matches!(e, AudioError::BadWav { .. }), "{msg}");
}

/// The codecs phones, dictation apps and recorders write, each made from the s03 sample with
/// ffmpeg; the name decides nothing (the M4A is called `.wav`, the MP3 has no extension).
const ENCODINGS: &[(&str, &[&str], &str, &str)] = &[
    (
        "dictation.mp3",
        &["-c:a", "libmp3lame", "-b:a", "48k"],
        "MP3",
        "symphonia",
    ),
    (
        "phone-memo.wav",
        &["-c:a", "aac", "-b:a", "64k", "-f", "mp4"],
        "MP4/M4A",
        "symphonia",
    ),
    (
        "app.ogg",
        &["-c:a", "libvorbis", "-q:a", "3"],
        "Ogg Vorbis",
        "symphonia",
    ),
    (
        "archive.flac",
        &["-ar", "44100", "-ac", "2"],
        "FLAC",
        "symphonia",
    ),
    (
        "phone.alaw.wav",
        &["-c:a", "pcm_alaw", "-ar", "8000"],
        "WAV",
        "symphonia",
    ),
    (
        "phone.ulaw.wav",
        &["-c:a", "pcm_mulaw", "-ar", "8000"],
        "WAV",
        "symphonia",
    ),
    (
        "recorder-adpcm.wav",
        &["-c:a", "adpcm_ima_wav"],
        "WAV",
        "symphonia",
    ),
    (
        "voice-note.opus",
        &["-c:a", "libopus", "-b:a", "24k"],
        "Ogg Opus",
        "ffmpeg",
    ),
    (
        "no-extension",
        &["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"],
        "MP3",
        "symphonia",
    ),
];

#[test]
fn compressed_recordings_are_heard_like_the_wav() {
    let wav = sample("s03_asthma_clinic.wav");
    let (mono, words) = reference();
    let reference_text = transcribe_samples(&mono);
    let dir = tempdir();
    let mut report = Vec::new();
    for (name, args, container, decoder) in ENCODINGS {
        let path = dir.path().join(name);
        convert(&wav, args, &path);
        let a = audio::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(a.source.container, *container, "{name}: {:?}", a.source);
        assert_eq!(a.source.decoder, *decoder, "{name}: {:?}", a.source);
        // Same length as the WAV, give or take an encoder's padding.
        let secs = mono.len() as f64 / 16_000.0;
        assert!(
            (a.seconds() - secs).abs() < 0.1,
            "{name}: {} s vs {secs} s",
            a.seconds()
        );
        let text = transcribe_samples(&a.samples);
        assert_says(&text, words);
        // Within a few words of the WAV's transcript (8 kHz telephone codecs lose a little).
        let d = word_distance(&text, &reference_text);
        report.push(format!("{name}: {d} words differ"));
        assert!(
            d <= 6,
            "{name}: {d} words differ from the WAV's transcript:\n{text}\nvs\n{reference_text}"
        );
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn damaged_recordings_of_each_format_give_clear_errors() {
    let wav = sample("s03_asthma_clinic.wav");
    let dir = tempdir();
    for (name, args, container, _) in ENCODINGS {
        let good = dir.path().join(format!("good-{name}"));
        convert(&wav, args, &good);
        let bytes = std::fs::read(&good).unwrap();
        // The format's first bytes, then noise: what a failed copy or a bad card gives.
        let mut noise = bytes[..64].to_vec();
        let mut x: u32 = 12345;
        noise.extend((0..bytes.len() / 2).map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        }));
        // Cut off at a third: a copy that stopped partway.
        let cut = bytes[..bytes.len() / 3].to_vec();
        for (what, damaged) in [("noise", noise), ("cut", cut)] {
            let path = dir.path().join(format!("{what}-{name}"));
            std::fs::write(&path, &damaged).unwrap();
            match audio::load(&path) {
                Err(e) => {
                    let msg = e.to_string();
                    assert!(
                        msg.contains(&*path.to_string_lossy()),
                        "{name} {what}: {msg}"
                    );
                    assert!(
                        [
                            "damaged",
                            "truncated",
                            "holds no audio",
                            "ffmpeg could not decode"
                        ]
                        .iter()
                        .any(|w| msg.contains(w)),
                        "{name} {what}: {msg}"
                    );
                }
                Ok(a) => panic!(
                    "{name} {what} ({container}) was read as {} s of audio",
                    a.seconds()
                ),
            }
        }
    }
}

/// A dictation machine's file: its format tag, then data (no real recording can be made here:
/// ffmpeg reads DSS but does not write it).
fn dictation_file(path: &Path, tag: &[u8]) {
    let mut bytes = tag.to_vec();
    bytes.extend(std::iter::repeat_n(0x5Au8, 4096));
    std::fs::write(path, &bytes).unwrap();
}

/// What `dictate transcribe FILE` says on failing (exit 1) with `ffmpeg` set as given
/// (`None`: whatever is on the PATH).
fn transcribe_error(file: &Path, ffmpeg: Option<&str>) -> String {
    let mut cmd = dictate();
    match ffmpeg {
        Some(f) => cmd.env("DICTATE_FFMPEG", f),
        None => cmd.env_remove("DICTATE_FFMPEG"),
    };
    let out = cmd.arg("transcribe").arg(file).assert().code(1);
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

#[test]
fn dictation_machine_formats_need_ffmpeg_and_say_so() {
    // DSS (Olympus/Philips recorders) decodes only through ffmpeg.
    let dir = tempdir();
    let dss = dir.path().join("ward-round.dss");
    dictation_file(&dss, b"\x02dss");
    let err = transcribe_error(&dss, Some(""));
    assert!(
        err.contains("ward-round.dss")
            && err.contains("DSS")
            && err.contains("apt-get install ffmpeg"),
        "{err}"
    );
    // DS2 (DSS Pro) has no open decoder at all: the message says how to export it.
    let ds2 = dir.path().join("ward-round.ds2");
    dictation_file(&ds2, b"\x03ds2");
    let err = transcribe_error(&ds2, None);
    assert!(
        err.contains("ward-round.ds2") && err.contains("DS2") && err.contains("export"),
        "{err}"
    );
    // With ffmpeg, a damaged DSS file is ffmpeg's to refuse, and the message says so.
    ffmpeg();
    let err = transcribe_error(&dss, None);
    assert!(
        err.contains("ward-round.dss") && err.contains("ffmpeg could not decode this DSS"),
        "{err}"
    );
}
