//! Real recordings: a phone's M4A holding a clinic of letters, and long recordings heard in
//! windows, through the real binary and model.

use std::path::Path;

use crate::support::*;

fn record(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `dictate letter INPUT --out OUT [extra]`, which must succeed; its standard output.
fn letters(input: &Path, out: &Path, extra: &[&str]) -> String {
    let done = dictate()
        .arg("letter")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
        .success();
    String::from_utf8_lossy(&done.get_output().stdout).into_owned()
}

/// The kinds of the flags in a letter's record.
fn flag_kinds(record: &serde_json::Value) -> Vec<String> {
    record["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["kind"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn each_dictated_letter_in_one_phone_recording_becomes_its_own_letter() {
    let dir = tempdir();
    let out_dir = dir.path().join("letters");
    let m4a = sample("s04_clinic_session.m4a");
    let before = sha256(&m4a);
    let stdout = letters(&m4a, &out_dir, &[]);
    assert!(stdout.contains("2 letters written"), "{stdout}");
    assert!(!out_dir.join("s04_clinic_session.docx").exists());

    let first = docx_text(&out_dir.join("s04_clinic_session-1.docx"));
    let second = docx_text(&out_dir.join("s04_clinic_session-2.docx"));
    // Each letter has its own patient, and none of the other's words.
    assert_says(
        &first,
        &[
            "Thomas Green",
            "999 654 3218",
            "12 March 1962",
            "tiotropium",
        ],
    );
    assert_says(
        &second,
        &["Linda Shaw", "999 318 2745", "2 July 1975", "sleep"],
    );
    assert!(
        !first.contains("Shaw") && !second.contains("Green"),
        "{first}\n{second}"
    );
    assert!(!first.to_lowercase().contains("next letter"), "{first}");
    assert!(
        first.contains("letter 1 of 2 dictated in s04_clinic_session.m4a"),
        "{first}"
    );
    assert!(second.contains("letter 2 of 2"), "{second}");

    let r1 = record(&out_dir.join("s04_clinic_session-1.json"));
    let r2 = record(&out_dir.join("s04_clinic_session-2.json"));
    assert_eq!(r1["letter_kind"], "clinic");
    assert_eq!(r2["letter_kind"], "referral");
    assert_eq!(r1["source"]["format"]["container"], "MP4/M4A");
    assert_eq!(r1["source"]["format"]["codec"], "aac");
    assert_eq!(r2["letter_in_recording"]["index"], 2);
    // The second letter's times are the recording's, so "listen at" finds its words.
    let start = r2["letter_in_recording"]["start"].as_f64().unwrap();
    assert!(
        (30.0..40.0).contains(&start),
        "letter 2 starts at {start} s"
    );
    // One patient's record holds none of the other's dictation.
    assert!(!r1["raw_text"].as_str().unwrap().contains("Shaw"));
    assert!(!r2["raw_text"].as_str().unwrap().contains("Green"));
    assert_eq!(sha256(&m4a), before, "the recording was changed");
}

#[test]
fn a_sidecar_for_a_recording_of_several_letters_is_not_guessed_onto_one() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let m4a = inbox.join("session.m4a");
    std::fs::copy(sample("s04_clinic_session.m4a"), &m4a).unwrap();
    std::fs::write(
        inbox.join("session.json"),
        r#"{"patient": {"name": "Mr Thomas Green", "nhs": "9996543218"}}"#,
    )
    .unwrap();
    let out_dir = dir.path().join("letters");
    letters(&m4a, &out_dir, &[]);
    for i in [1, 2] {
        let r = record(&out_dir.join(format!("session-{i}.json")));
        let kinds = flag_kinds(&r);
        assert!(
            kinds.iter().any(|k| k == "sidecar_not_used"),
            "letter {i}: {kinds:?}"
        );
    }
    // The second letter keeps its own dictated patient, not the sidecar's.
    let second = docx_text(&out_dir.join("session-2.docx"));
    assert!(
        second.contains("Linda Shaw") && !second.contains("Thomas Green"),
        "{second}"
    );
}

#[test]
fn a_long_recording_is_heard_in_windows_cut_at_pauses() {
    // Three copies of the two-letter session back to back, as one MP3: 3 min 20 s, so longer
    // than a window (2 min), with six letters.
    let dir = tempdir();
    let one = dictate::audio::load(&sample("s04_clinic_session.m4a")).unwrap();
    let mut long = Vec::new();
    for _ in 0..3 {
        long.extend_from_slice(&one.samples);
        long.extend(std::iter::repeat_n(0.0f32, 16_000));
    }
    let wav = dir.path().join("long.wav");
    write_wav_16k(&wav, &long);
    let mp3 = dir.path().join("friday-clinic.mp3");
    convert(&wav, &["-c:a", "libmp3lame", "-b:a", "48k"], &mp3);

    let out_dir = dir.path().join("letters");
    letters(&mp3, &out_dir, &[]);
    let patients = ["Thomas Green", "Linda Shaw"];
    for i in 1..=6 {
        let r = record(&out_dir.join(format!("friday-clinic-{i}.json")));
        assert_eq!(r["source"]["windows"], 2, "letter {i}");
        assert_eq!(r["letter_in_recording"]["count"], 6);
        let text = docx_text(&out_dir.join(format!("friday-clinic-{i}.docx")));
        // Whichever window a letter fell in, and the one the cut went through, it is whole.
        assert_says(&text, &[patients[(i - 1) % 2], "Yours sincerely"]);
        let other = patients[i % 2];
        assert!(!text.contains(other), "letter {i} holds {other}:\n{text}");
    }
    assert!(!out_dir.join("friday-clinic-7.json").exists());
}

#[test]
fn a_sidecar_can_give_each_letter_of_a_recording_its_patient() {
    // What a worklist knows of a clinic dictated in one go: one entry per letter, in order;
    // the clinician once at the top.
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let m4a = inbox.join("clinic.m4a");
    std::fs::copy(sample("s04_clinic_session.m4a"), &m4a).unwrap();
    let sidecar = inbox.join("clinic.json");
    std::fs::write(
        &sidecar,
        r#"{"clinician": "Dr Helen Carter", "letters": [
            {"patient": {"name": "Mr Thomas Green", "dob": "1962-03-12", "nhs": "9996543218",
                         "address": ["4 Mill Lane", "Riverside RV2 3CD"]}},
            {"patient": {"name": "Mrs Linda Shaw", "dob": "1975-07-02", "nhs": "9993182745",
                         "address": ["9 Church Walk", "Riverside RV4 1EF"]},
             "recipient": {"name": "Dr Peter Lewis", "address": ["Sleep Clinic", "Riverside Hospital"]}}
        ]}"#,
    )
    .unwrap();
    let before = sha256(&sidecar);
    let out_dir = dir.path().join("letters");
    letters(&m4a, &out_dir, &[]);
    let first = docx_text(&out_dir.join("clinic-1.docx"));
    let second = docx_text(&out_dir.join("clinic-2.docx"));
    assert_says(&first, &["Thomas Green", "4 Mill Lane"]);
    assert_says(
        &second,
        &[
            "Linda Shaw",
            "9 Church Walk",
            "Dr Peter Lewis",
            "Riverside Hospital",
        ],
    );
    assert!(!first.contains("Church Walk") && !second.contains("Mill Lane"));
    let r2 = record(&out_dir.join("clinic-2.json"));
    let kinds = flag_kinds(&r2);
    assert!(!kinds.iter().any(|k| k == "sidecar_not_used"), "{kinds:?}");
    assert_eq!(sha256(&sidecar), before, "the sidecar was changed");

    // A list that does not match the letters dictated is not guessed onto them.
    std::fs::write(
        &sidecar,
        r#"{"letters": [{"patient": {"name": "Mr Thomas Green"}}]}"#,
    )
    .unwrap();
    letters(&m4a, &out_dir, &["--overwrite"]);
    let r1 = record(&out_dir.join("clinic-1.json"));
    let text = r1["flags"].to_string();
    assert!(
        text.contains("lists 1 letter but 2 were dictated"),
        "{text}"
    );
}

#[test]
fn dictations_joined_into_one_recording_give_one_letter_per_patient() {
    // Three whole dictations, one after another with one second between them, no "next
    // letter". (whisper.cpp passes over most of the second dictation after that pause: the
    // stretch is heard again on its own, docs/clinical-safety.md H1.)
    let dir = tempdir();
    let joined = dir.path().join("joined.wav");
    let names = [
        ("s01_diabetes_clinic.wav", "Margaret Owen"),
        ("s02_knee_referral.wav", "David Thompson"),
        ("s03_asthma_clinic.wav", "Emily Watson"),
    ];
    let mut all = Vec::new();
    for (file, _) in names {
        // The samples differ in rate: each as the pipeline reads it, 16 kHz mono.
        all.extend(dictate::audio::load(&sample(file)).unwrap().samples);
        all.extend(std::iter::repeat_n(0.0f32, 16_000));
    }
    write_wav_16k(&joined, &all);
    let out = dir.path().join("letters");
    letters(&joined, &out, &[]);
    for (i, (_, patient)) in names.iter().enumerate() {
        let text = docx_text(&out.join(format!("joined-{}.docx", i + 1)));
        assert_says(&text, &[patient]);
        for (_, other) in names.iter().filter(|(_, p)| p != patient) {
            let surname = other.split(' ').nth(1).unwrap();
            assert!(!text.contains(surname), "letter {} names {other}", i + 1);
        }
    }
    assert!(!out.join("joined-4.docx").exists());
}

#[test]
fn loud_sound_run_on_from_the_dictation_with_no_words_is_named_for_the_secretary() {
    // A dictation that runs straight into fifteen seconds of loud rumble, no pause between
    // them: by its loudness one stretch of "speech", which the dictation's words touch. The
    // part no segment covers is heard again and, still without words, named in the notes
    // (once any word in a stretch counted as hearing all of it: a minute of speech written as
    // "N N N N N" went unremarked).
    let dir = tempdir();
    let mut all = dictate::audio::load(&sample("s01_diabetes_clinic.wav"))
        .unwrap()
        .samples;
    let spoken = all.len() as f64 / 16_000.0;
    // Brown noise from a fixed generator, about 0.1 RMS.
    let (mut state, mut level) = (12_345u32, 0.0f32);
    for _ in 0..15 * 16_000 {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let white = (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
        level = (level * 0.995 + white * 0.1).clamp(-0.6, 0.6);
        all.push(level);
    }
    let input = dir.path().join("run_on.wav");
    write_wav_16k(&input, &all);
    let out = dir.path().join("letters");
    letters(&input, &out, &[]);
    let rec = record(&out.join("run_on.json"));
    assert!(
        flag_kinds(&rec).contains(&"speech_not_transcribed".to_owned()),
        "{rec}"
    );
    let note = rec["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "speech_not_transcribed")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    // Named from about where the dictation ended.
    let from = format!("{}:{:02}", (spoken as u64) / 60, (spoken as u64) % 60);
    let later = format!(
        "{}:{:02}",
        (spoken as u64 + 1) / 60,
        (spoken as u64 + 1) % 60
    );
    assert!(
        note.contains(&from) || note.contains(&later),
        "{note} (dictation ends at {spoken:.1} s)"
    );
    // The dictation itself is in the letter.
    assert_says(&docx_text(&out.join("run_on.docx")), &["metformin"]);
}
