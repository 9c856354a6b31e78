//! The terminology pass: misheard terms corrected and recorded, right words left alone, a site's
//! own vocabulary taken from the config.

use std::path::Path;

use crate::support::*;

/// Runs `dictate terms` on `files` and returns stdout.
fn terms(files: &[&Path], extra: &[&str]) -> String {
    let out = dictate()
        .arg("terms")
        .args(extra)
        .args(files)
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

/// "N changes in W words (R per 1,000 words)" -> R.
fn rate(stdout: &str) -> f64 {
    let last = stdout.lines().last().unwrap_or_default();
    let r = last.split('(').nth(1).and_then(|s| s.split(' ').next());
    r.and_then(|r| r.parse().ok())
        .unwrap_or_else(|| panic!("no rate in {stdout}"))
}

#[test]
fn right_words_are_not_changed() {
    // 1,800 words of ordinary, correctly spelled clinic letters and referrals (names, places,
    // dates, doses, drugs, conditions), and the samples' own texts.
    let root = root();
    let corpus = root.join("tests/data/clean_clinical.txt");
    let mut files = vec![corpus.as_path()];
    let texts: Vec<_> = SAMPLES
        .iter()
        .map(|(f, _)| sample(&f.replace(".wav", ".txt")))
        .collect();
    files.extend(texts.iter().map(|p| p.as_path()));
    let out = terms(&files, &[]);
    assert!(
        rate(&out) <= 1.0,
        "more than 1 change per 1,000 right words:\n{out}"
    );
}

#[test]
fn misheard_terms_are_corrected_with_the_system_medical_word_list() {
    let dic = Path::new("/usr/share/hunspell/en_med_glut.dic");
    assert!(
        dic.is_file(),
        "the medical word list {} is missing: install the Debian package hunspell-en-med \
         (./scripts/setup.sh does)",
        dic.display()
    );
    let dir = tempdir();
    let text = dir.path().join("heard.txt");
    std::fs::write(
        &text,
        "He has braticannesia on the left.\nShe takes Clopidogrol 75 milligrams daily.\n\
         Start listen opril 10 mg and a pixa ban 5 mg.\n",
    )
    .unwrap();
    let out = terms(&[&text], &[]);
    for change in [
        "\"braticannesia\" -> bradykinesia",
        "\"Clopidogrol\" -> clopidogrel",
        "\"listen opril\" -> lisinopril",
        "\"a pixa ban\" -> apixaban",
    ] {
        assert!(out.contains(change), "no {change} in:\n{out}");
    }
}

#[test]
fn a_site_vocabulary_from_the_config_adds_terms_and_heard_forms() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("site-terms.txt"),
        "# Riverside renal unit\nZorbatrin = sorb a train; sort of train\nEtelcalcetide\n",
    )
    .unwrap();
    let config = dir.path().join("dictate.toml");
    std::fs::write(&config, "vocabulary = [\"site-terms.txt\"]\n").unwrap();
    let text = dir.path().join("heard.txt");
    std::fs::write(
        &text,
        "Start sorb a train 10 mg daily and continue Etelcalsetide.\n",
    )
    .unwrap();
    let out = terms(&[&text], &["--config", config.to_str().unwrap()]);
    assert!(out.contains("\"sorb a train\" -> Zorbatrin"), "{out}");
    assert!(out.contains("\"Etelcalsetide\" -> Etelcalcetide"), "{out}");
    assert!(out.contains("custom"), "{out}");

    // Without the vocabulary neither is known.
    let plain = terms(&[&text], &[]);
    assert!(!plain.contains("Zorbatrin"), "{plain}");
}

#[test]
fn a_broken_vocabulary_file_stops_before_any_work_and_names_the_line() {
    let dir = tempdir();
    let vocab = dir.path().join("bad.txt");
    std::fs::write(&vocab, "good term\n= heard as\n").unwrap();
    let out = dictate()
        .arg("letter")
        .arg("--vocabulary")
        .arg(&vocab)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg(sample("s01_diabetes_clinic.wav"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("bad.txt") && stderr.contains("line 2"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "work started: {stderr}");
}

#[test]
fn letter_record_lists_each_correction_and_no_terms_turns_the_pass_off() {
    let dir = tempdir();
    let with = dir.path().join("with");
    let without = dir.path().join("without");
    let audio = sample("s03_asthma_clinic.wav");
    dictate()
        .args(["letter", "--out"])
        .arg(&with)
        .arg(&audio)
        .assert()
        .success();
    dictate()
        .args(["letter", "--no-terms", "--out"])
        .arg(&without)
        .arg(&audio)
        .assert()
        .success();
    // The clinician said "beclometasone"; tiny.en hears "becloned to zone". The pass finds the
    // UK name and weighs it against the recording: written (turquoise, in `corrections`) or, when
    // the recording does not support it, left as heard and named in the notes (in
    // `declined_corrections`). Either way the record holds what was heard, where and how near.
    let letter = docx_text(&with.join("s03_asthma_clinic.docx"));
    assert!(letter.contains("beclometasone"), "{letter}");
    let rec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(with.join("s03_asthma_clinic.json")).unwrap())
            .unwrap();
    let all: Vec<&serde_json::Value> = rec["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rec["declined_corrections"].as_array().into_iter().flatten())
        .collect();
    let fix = all
        .iter()
        .find(|c| c["term"] == "beclometasone")
        .unwrap_or_else(|| panic!("no beclometasone found in {all:?}"));
    assert_ne!(fix["heard"], "beclometasone");
    assert!(fix["start"].as_f64().unwrap() > 0.0 && fix["end"].as_f64() > fix["start"].as_f64());
    assert!(fix["confidence"].as_f64().unwrap() > 0.5);
    // What was heard stays in the record's transcript.
    assert!(!rec["raw_text"].as_str().unwrap().contains("beclometasone"));

    let plain = docx_text(&without.join("s03_asthma_clinic.docx"));
    assert!(!plain.contains("beclometasone"), "{plain}");
    let rec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(without.join("s03_asthma_clinic.json")).unwrap())
            .unwrap();
    assert_eq!(rec["corrections"].as_array().unwrap().len(), 0);
}
