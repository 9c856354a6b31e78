//! `dictate transcribe`: the raw transcript from the real model.

use crate::support::*;

#[test]
fn each_sample_is_heard_right() {
    for (file, words) in SAMPLES {
        let out = dictate()
            .args(["transcribe"])
            .arg(sample(file))
            .assert()
            .success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert_says(&text, words);
    }
}

#[test]
fn json_has_segments_times_and_token_probabilities() {
    let out = dictate()
        .args(["transcribe", "--json"])
        .arg(sample("s03_asthma_clinic.wav"))
        .assert()
        .success();
    let v: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("valid JSON");
    let segments = v["segments"].as_array().expect("segments");
    assert!(segments.len() >= 2, "{} segments", segments.len());
    let mut last_end = 0.0;
    for s in segments {
        let (start, end) = (s["start"].as_f64().unwrap(), s["end"].as_f64().unwrap());
        assert!(
            start >= last_end - 0.01 && end >= start,
            "segment times out of order: {s}"
        );
        last_end = end;
        for t in s["tokens"].as_array().expect("tokens") {
            let p = t["p"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p), "token probability {p}");
        }
    }
    // The recording is about 35 s long; the last segment ends near there.
    assert!(
        (30.0..=40.0).contains(&last_end),
        "last segment ends at {last_end}"
    );
    let words: Vec<&str> = segments
        .iter()
        .flat_map(|s| s["tokens"].as_array().unwrap())
        .map(|t| t["text"].as_str().unwrap())
        .collect();
    assert!(words.concat().to_lowercase().contains("asthma"));
}

#[test]
fn bad_audio_is_a_clear_error_not_a_panic() {
    let dir = tempdir();
    let text = dir.path().join("notes.wav");
    std::fs::write(&text, "Patient notes, not audio\n").unwrap();
    let out = dictate().arg("transcribe").arg(&text).assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("notes.wav") && err.contains("not an audio file"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn several_recordings_share_one_model_load() {
    let out = dictate()
        .args(["transcribe", "--json"])
        .arg(sample("s01_diabetes_clinic.wav"))
        .arg(sample("s03_asthma_clinic.wav"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["source"]
        .as_str()
        .unwrap()
        .ends_with("s01_diabetes_clinic.wav"));
    assert!(lines[1]["segments"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));
    // whisper.cpp's own console output is routed to logging, not left on the terminal.
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("whisper_"), "{stderr}");
    assert!(
        stderr.contains("model loaded once") && stderr.contains("x real time"),
        "{stderr}"
    );
}

/// How many of the encoder's products the run says went to the AMX BF16 tiles (`-vv`).
fn tile_products(stderr: &str) -> u64 {
    let line = stderr
        .lines()
        .find(|l| l.contains("of the encoder's matrix products ran on AMX BF16 tiles"))
        .unwrap_or_else(|| panic!("no tile count logged at -vv:\n{stderr}"));
    let before = line
        .split(" of the encoder's")
        .next()
        .and_then(|s| s.split_whitespace().last())
        .unwrap_or_default();
    before
        .parse()
        .unwrap_or_else(|_| panic!("no count in {line:?}"))
}

#[test]
fn encoder_runs_on_amx_tiles_where_the_cpu_has_them_and_hears_the_same_words() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let has_tiles = cpuinfo.split_whitespace().any(|flag| flag == "amx_bf16");
    if !has_tiles {
        eprintln!(
            "NOTE: this CPU has no AMX BF16 tiles: checking only that none are used and the \
             words are right"
        );
    }
    let hear = |tiles_off: bool| {
        let mut cmd = dictate();
        cmd.env_remove("DICTATE_NO_AMX_BF16");
        if tiles_off {
            cmd.env("DICTATE_NO_AMX_BF16", "1");
        }
        let out = cmd
            .args(["-vv", "transcribe"])
            .arg(sample("s01_diabetes_clinic.wav"))
            .assert()
            .success();
        let out = out.get_output();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (tiles, tiles_log) = hear(false);
    let (plain, plain_log) = hear(true);
    assert_eq!(tile_products(&plain_log), 0, "turned off, yet used");
    assert!(!plain_log.contains("AMX_BF16 = 1"), "{plain_log}");
    if has_tiles {
        // four layers of eight products for each 30-s window, and the decoder's keys and values
        assert!(tile_products(&tiles_log) >= 40, "{tiles_log}");
        assert!(tiles_log.contains("AMX_BF16 = 1"), "{tiles_log}");
    } else {
        assert_eq!(tile_products(&tiles_log), 0);
    }
    for text in [&tiles, &plain] {
        assert_says(text, SAMPLES[0].1);
    }
    let (a, b) = (
        dictate::eval::normalise::wer_words(&tiles),
        dictate::eval::normalise::wer_words(&plain),
    );
    let apart = dictate::eval::score::edit_distance(&a, &b);
    assert!(
        apart * 50 <= b.len(),
        "{apart} of {} words differ with the tiles:\n{tiles}\nwithout:\n{plain}",
        b.len()
    );
}

#[test]
fn the_eight_bit_vocabulary_product_chooses_the_tokens_and_times_of_the_f16_one() {
    // whisper.cpp's decoding steps take their vocabulary product from an 8-bit copy and compute
    // the near-best rows again in f16 (vendor/README.md); DICTATE_NO_VOCAB_Q8 turns that off.
    let hear = |copy_off: bool, file: &str| {
        let mut cmd = dictate();
        cmd.env_remove("DICTATE_NO_VOCAB_Q8");
        if copy_off {
            cmd.env("DICTATE_NO_VOCAB_Q8", "1");
        }
        let out = cmd
            .args(["-vvv", "transcribe", "--json"])
            .arg(sample(file))
            .assert()
            .success();
        let out = out.get_output();
        let json: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("transcribe --json prints one object");
        (json, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let tokens = |json: &serde_json::Value| -> Vec<(String, f64, f64, f64)> {
        json["segments"]
            .as_array()
            .expect("segments")
            .iter()
            .flat_map(|s| s["tokens"].as_array().expect("tokens").iter())
            .map(|t| {
                (
                    t["text"].as_str().unwrap_or_default().to_owned(),
                    t["start"].as_f64().unwrap_or(-1.0),
                    t["end"].as_f64().unwrap_or(-1.0),
                    t["p"].as_f64().unwrap_or(-1.0),
                )
            })
            .collect()
    };
    for (file, _) in SAMPLES.iter().take(2) {
        let (q8, q8_log) = hear(false, file);
        let (f16, f16_log) = hear(true, file);
        assert!(
            q8_log.contains("8-bit vocabulary copy"),
            "copy not made:\n{q8_log}"
        );
        assert!(!f16_log.contains("8-bit vocabulary copy"), "{f16_log}");
        let (a, b) = (tokens(&q8), tokens(&f16));
        assert!(b.len() > 50, "{file}: {} tokens heard", b.len());
        assert_eq!(a.len(), b.len(), "{file}: token counts differ");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                (&x.0, x.1, x.2),
                (&y.0, y.1, y.2),
                "{file}: a token differs"
            );
            assert!(
                (x.3 - y.3).abs() <= 0.02,
                "{file}: {:?} has probability {} with the 8-bit copy, {} without",
                x.0,
                x.3,
                y.3
            );
        }
    }
}

#[test]
fn a_recording_is_heard_the_same_whatever_was_heard_before_it() {
    // A recording the model cannot make out (s02 played backwards) sends whisper.cpp's decoder
    // to its temperature fallback, which samples. Its words must not depend on what the same
    // model heard before: a letter re-run alone, or in another night's batch, is the same
    // letter. (whisper.cpp seeded the sampling once per decoding state: vendor/README.md.)
    let dir = tempdir();
    let mut wav = dictate::audio::load(&sample("s02_knee_referral.wav")).unwrap();
    wav.samples.reverse();
    let backwards = dir.path().join("backwards.wav");
    write_wav_16k(&backwards, &wav.samples);
    let out = dictate()
        .args(["-vv", "--color", "never", "transcribe", "--json"])
        .arg(&backwards)
        .arg(&backwards)
        .assert()
        .success();
    let log = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let texts: Vec<String> = String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON object a line");
            v["segments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["text"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(texts.len(), 2);
    // The decoder did fall back (else this asks nothing of the sampling).
    assert!(log.contains("fell back to sampling"), "{log}");
    assert_eq!(texts[0], texts[1]);
}
