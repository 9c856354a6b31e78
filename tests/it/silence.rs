//! No invented text: silence, noise and long pauses give letters holding only what was said.

use std::path::Path;

use crate::support::*;

/// Deterministic white noise at the given amplitude.
fn noise(seconds: usize, amplitude: f32) -> Vec<f32> {
    let mut x: u32 = 12_345;
    (0..seconds * 16_000)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            ((x >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0) * amplitude
        })
        .collect()
}

fn final_text(dir: &Path, stem: &str) -> String {
    let rec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{stem}.json"))).unwrap()).unwrap();
    rec["final_text"].as_str().unwrap().to_owned()
}

#[test]
fn silence_noise_and_pauses_add_no_words() {
    let dir = tempdir();
    let speech = dictate::audio::load(&sample("s03_asthma_clinic.wav"))
        .unwrap()
        .samples;
    write_wav_16k(&dir.path().join("silence.wav"), &vec![0.0; 20 * 16_000]);
    write_wav_16k(&dir.path().join("hiss.wav"), &noise(20, 0.02));
    let mut paused = speech.clone();
    paused.extend(vec![0.0; 25 * 16_000]);
    paused.extend(noise(5, 0.003));
    write_wav_16k(&dir.path().join("paused.wav"), &paused);

    let out = dir.path().join("out");
    dictate()
        .arg("letter")
        .args(["silence.wav", "hiss.wav", "paused.wav"].map(|f| dir.path().join(f)))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();

    for stem in ["silence", "hiss"] {
        let text = final_text(&out, stem);
        assert!(text.contains("No speech was recognised"), "{stem}: {text}");
        let body = text.split("Clinic letter").nth(1).unwrap_or("");
        assert!(!body.to_lowercase().contains("thank"), "{stem}: {text}");
        assert!(!body.contains('['), "{stem}: {text}");
        let rec: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{stem}.json"))).unwrap())
                .unwrap();
        assert!(
            rec["flags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["kind"] == "no_speech"),
            "{stem}: {rec}"
        );
    }
    // The dictation survives the pause, and nothing is added after it.
    let text = final_text(&out, "paused");
    assert_says(&text, SAMPLES[2].1);
    // After the sign-off only the signature block: the dictating clinician as dictated.
    let after = text.rsplit("Yours sincerely").next().unwrap_or("");
    let extra = after
        .replace("Dr Helen Carter", "")
        .replace("Respiratory consultant", "");
    assert!(
        extra.trim().is_empty(),
        "words after the sign-off: {after:?}"
    );
}
