//! `dictate letter`: DOCX and JSON per recording, written safely.

use std::os::unix::fs::PermissionsExt;

use crate::support::*;

#[test]
fn letters_for_all_samples() {
    let dir = tempdir();
    let out_dir = dir.path().join("letters");
    let before: Vec<String> = SAMPLES.iter().map(|(f, _)| sha256(&sample(f))).collect();
    let mut cmd = dictate();
    cmd.arg("letter").arg("--out").arg(&out_dir);
    for (f, _) in SAMPLES {
        cmd.arg(sample(f));
    }
    let out = cmd.assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("3 letters written to"), "{stdout}");

    for ((file, words), hash) in SAMPLES.iter().zip(before) {
        let stem = file.trim_end_matches(".wav");
        let docx = out_dir.join(format!("{stem}.docx"));
        let json = out_dir.join(format!("{stem}.json"));
        // What a secretary sees: the letter, with what was said in it, marked as a draft.
        let text = docx_text(&docx);
        assert_says(&text, words);
        assert!(text.contains("DRAFT: dictated, not yet checked"), "{text}");
        // Spoken commands became punctuation and paragraphs, not words.
        let lower = text.to_lowercase();
        for command in ["full stop", "falls top", "new paragraph", "comma"] {
            assert!(
                !lower.contains(command),
                "`{command}` left in the letter:\n{text}"
            );
        }
        assert!(text.contains("Yours"), "{text}");
        // The record: source, model, timings, raw and final text.
        let rec: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        assert_eq!(rec["model"]["name"], "tiny.en");
        assert_eq!(rec["source"]["sha256"], hash.as_str());
        assert!(rec["timings"]["transcribe"].as_f64().unwrap() > 0.0);
        assert!(rec["source"]["audio_seconds"].as_f64().unwrap() > 30.0);
        assert_says(rec["raw_text"].as_str().unwrap(), words);
        assert_says(rec["final_text"].as_str().unwrap(), words);
        // Patient data: owner-only files, in an owner-only folder.
        for p in [&docx, &json] {
            let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} has mode {mode:o}", p.display());
        }
        // The source recording is untouched.
        assert_eq!(sha256(&sample(file)), hash, "{file} changed");
    }
    // NHS numbers as letters write them, checked; a doubtful one is flagged, not "fixed".
    let s01 = docx_text(&out_dir.join("s01_diabetes_clinic.docx"));
    assert!(
        s01.contains("999 015 8398") && s01.contains("3 April 1949"),
        "{s01}"
    );
    assert!(
        s01.contains("1 g twice daily") && s01.contains("58 mmol/mol"),
        "{s01}"
    );
    let rec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("s02_knee_referral.json")).unwrap())
            .unwrap();
    let flags = rec["flags"].as_array().unwrap();
    assert!(flags.iter().any(|f| f["kind"] == "nhs_number"), "{flags:?}");

    // British spelling: tiny.en writes "orthopedic"; the letter must not.
    let referral = docx_text(&out_dir.join("s02_knee_referral.docx")).to_lowercase();
    assert!(
        referral.contains("orthopaedic") && !referral.contains("orthopedic"),
        "{referral}"
    );

    let mode = std::fs::metadata(&out_dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    let leftovers: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn a_taken_name_gives_a_new_letter_and_never_replaces_one_unless_overwrite() {
    let dir = tempdir();
    let out_dir = dir.path();
    let s = sample("s03_asthma_clinic.wav");
    std::fs::write(
        out_dir.join("s03_asthma_clinic.docx"),
        b"the secretary's edited letter",
    )
    .unwrap();
    let out = dictate()
        .arg("letter")
        .arg(&s)
        .arg("--out")
        .arg(out_dir)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("s03_asthma_clinic-2.docx"), "{stdout}");
    assert_eq!(
        std::fs::read(out_dir.join("s03_asthma_clinic.docx")).unwrap(),
        b"the secretary's edited letter"
    );
    assert_says(
        &docx_text(&out_dir.join("s03_asthma_clinic-2.docx")),
        &["Emily Watson"],
    );
    // Its record says which recording it came from.
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("s03_asthma_clinic-2.json")).unwrap())
            .unwrap();
    assert_eq!(
        record["source"]["sha256"].as_str(),
        Some(sha256(&s).as_str())
    );
    assert!(record["source"]["path"]
        .as_str()
        .unwrap()
        .ends_with("s03_asthma_clinic.wav"));

    dictate()
        .arg("letter")
        .arg(&s)
        .arg("--out")
        .arg(out_dir)
        .arg("--overwrite")
        .assert()
        .success();
    assert_says(
        &docx_text(&out_dir.join("s03_asthma_clinic.docx")),
        &["Emily Watson"],
    );
    assert!(!out_dir.join("s03_asthma_clinic-3.docx").exists());
}

#[test]
fn one_bad_file_does_not_stop_the_others_and_a_missing_one_stops_all_before_any_work() {
    let dir = tempdir();
    let empty = dir.path().join("empty.wav");
    std::fs::write(&empty, b"").unwrap();
    let out_dir = dir.path().join("out");
    // A file named that is not there (a typo): exit 2 at once, nothing made.
    let out = dictate()
        .arg("letter")
        .arg(&empty)
        .arg(dir.path().join("missing.wav"))
        .arg(sample("s03_asthma_clinic.wav"))
        .arg("--out")
        .arg(&out_dir)
        .assert()
        .code(2);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stdout.is_empty(), "no summary of nothing: {stdout}");
    assert!(
        stderr.contains("missing.wav` does not exist") && stderr.contains("nothing was done"),
        "{stderr}"
    );
    assert!(!out_dir.exists(), "no letters folder made");
    // A file that is there but is no recording fails alone; the others get their letters.
    let out = dictate()
        .arg("letter")
        .arg(&empty)
        .arg(sample("s03_asthma_clinic.wav"))
        .arg("--out")
        .arg(&out_dir)
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stdout.contains("1 letter written") && stdout.contains("1 recording failed"),
        "{stdout}"
    );
    assert!(
        stderr.contains("empty.wav") && stderr.contains("empty (0 bytes)"),
        "{stderr}"
    );
    assert!(out_dir.join("s03_asthma_clinic.docx").is_file());
    assert!(!out_dir.join("empty.docx").exists());
    assert!(empty.exists(), "a bad source must never be deleted");
}

#[test]
fn a_bad_template_stops_the_run_before_any_work() {
    let dir = tempdir();
    let tpl = dir.path().join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    std::fs::write(tpl.join("clinic.tera"), "Dear {{ recipient \n").unwrap();
    let cfg = dir.path().join("dictate.toml");
    std::fs::write(&cfg, "templates = \"tpl\"\n").unwrap();
    let out = dictate()
        .arg("--config")
        .arg(&cfg)
        .arg("letter")
        .arg(sample("s03_asthma_clinic.wav"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("clinic.tera") && err.contains("--> 2:"),
        "{err}"
    );
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written when set-up fails"
    );
}

#[test]
fn version_names_the_commit_and_the_whisper_cpp_it_carries() {
    let (code, out, err) = finish(dictate().arg("--version"), 30);
    assert_eq!(code, Some(0), "{err}");
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the tests run in a git checkout");
    let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    assert!(
        out.contains(&format!("commit: {head}")),
        "{out} (HEAD {head})"
    );
    let whisper = out
        .lines()
        .find_map(|l| l.strip_prefix("whisper.cpp: "))
        .unwrap_or_else(|| panic!("no whisper.cpp line: {out}"));
    let version = whisper.split_whitespace().next().unwrap();
    assert!(
        version.split('.').count() == 3 && version.split('.').all(|p| p.parse::<u32>().is_ok()),
        "{out}"
    );
}

#[test]
fn completions_and_the_manual_page_come_from_the_commands_themselves() {
    let (code, script, err) = finish(dictate().args(["completions", "bash"]), 30);
    assert_eq!(code, Some(0), "{err}");
    for sub in ["letter", "batch", "review", "submit", "worker"] {
        assert!(
            script.contains(sub),
            "{sub} missing from the bash completions"
        );
    }
    let dir = tempdir();
    let file = dir.path().join("dictate.bash");
    std::fs::write(&file, &script).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    let (code, page, err) = finish(dictate().arg("man"), 30);
    assert_eq!(code, Some(0), "{err}");
    assert!(page.contains(".TH dictate 1"), "{page}");
    assert!(
        page.contains("worker") && page.contains("DICTATE_CONFIG"),
        "{page}"
    );
    let (code, _, err) = finish(dictate().args(["completions", "tcsh"]), 30);
    assert_eq!(code, Some(2), "an unknown shell is refused: {err}");
}

#[test]
fn colour_follows_color_and_no_color_in_errors_and_logs() {
    let (_, _, err) = finish(dictate().args(["--color", "always", "nonsense"]), 30);
    assert!(err.contains("\u{1b}["), "coloured: {err:?}");
    let (_, _, err) = finish(dictate().args(["--color", "never", "nonsense"]), 30);
    assert!(
        !err.contains("\u{1b}[") && err.contains("nonsense"),
        "{err:?}"
    );
    // The logs too: -v on a real letter, each stage with its time, coloured only when asked.
    let logs = |color: &str| {
        let out = tempdir();
        let (code, _, err) = finish(
            dictate()
                .args(["-v", "--color", color, "letter"])
                .arg(sample("s03_asthma_clinic.wav"))
                .arg("--out")
                .arg(out.path()),
            300,
        );
        assert_eq!(code, Some(0), "{err}");
        err
    };
    assert!(logs("always").contains("\u{1b}["));
    let plain = logs("never");
    assert!(!plain.contains("\u{1b}["), "{plain:?}");
    for stage in [
        "s03_asthma_clinic: heard 35.4 s of audio in",
        "terminology pass in",
        "letter laid out and written in",
    ] {
        assert!(plain.contains(stage), "{stage} in {plain}");
    }
    assert!(!plain.contains("Watson"), "no patient in the logs: {plain}");
    // NO_COLOR turns colour off where it would be automatic (here: not a terminal anyway).
    let (_, _, err) = finish(dictate().env("NO_COLOR", "1").arg("nonsense"), 30);
    assert!(!err.contains("\u{1b}["), "{err:?}");
}

#[test]
fn every_command_shows_an_example_in_its_help() {
    let commands: &[&[&str]] = &[
        &["transcribe"],
        &["letter"],
        &["eval"],
        &["batch"],
        &["submit"],
        &["worker"],
        &["watch"],
        &["review"],
        &["status"],
        &["terms"],
        &["completions"],
        &["man"],
        &["model", "fetch"],
        &["model", "quantize"],
        &["model", "import"],
        &["model", "list"],
        &["model", "verify"],
        &["doctor"],
    ];
    for c in commands {
        let (code, out, err) = finish(dictate().args(*c).arg("--help"), 30);
        assert_eq!(code, Some(0), "{c:?}: {err}");
        let example = format!("dictate {}", c.join(" "));
        assert!(
            out.contains("Example") && out.contains(&example),
            "{c:?} --help has no example: {out}"
        );
    }
    // The formats a letter is made from, as the help says them.
    let (_, out, _) = finish(dictate().args(["letter", "--help"]), 30);
    assert!(out.contains("MP3, M4A"), "{out}");
}
