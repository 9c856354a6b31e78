//! `dictate batch` and `dictate status`: a folder of recordings to letters, resumable through the
//! ledger, past bad files, with a report; nothing deleted or changed.

use std::path::Path;

use crate::support::*;

fn run_batch(inbox: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let o = dictate()
        .arg("batch")
        .arg(inbox)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_batch_does_every_recording_once_goes_past_bad_files_and_resumes() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    let out = dir.path().join("letters");
    std::fs::create_dir_all(inbox.join("monday")).unwrap();
    std::fs::create_dir_all(inbox.join("tuesday")).unwrap();
    std::fs::copy(
        sample("s01_diabetes_clinic.wav"),
        inbox.join("monday/owen.wav"),
    )
    .unwrap();
    std::fs::copy(
        sample("s03_asthma_clinic.wav"),
        inbox.join("tuesday/watson.wav"),
    )
    .unwrap();
    // The same recording under another name is not done twice.
    std::fs::copy(
        sample("s01_diabetes_clinic.wav"),
        inbox.join("tuesday/owen-copy.wav"),
    )
    .unwrap();
    // Bad inputs: empty, a text file named .wav, a truncated WAV.
    std::fs::write(inbox.join("monday/empty.wav"), b"").unwrap();
    std::fs::write(
        inbox.join("monday/notes.wav"),
        b"Dear Dr Smith, this is text",
    )
    .unwrap();
    let whole = std::fs::read(sample("s03_asthma_clinic.wav")).unwrap();
    std::fs::write(inbox.join("tuesday/cut.wav"), &whole[..30]).unwrap();
    // Not recordings: left alone.
    std::fs::write(inbox.join("monday/readme.txt"), b"hello").unwrap();
    let hashes_before: Vec<(String, String)> = walk(&inbox);

    let (code, stdout, stderr) = run_batch(&inbox, &out, &[]);
    assert_eq!(code, 1, "some failed: exit 1\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("6 recordings: 2 done, 1 skipped (done before), 3 failed"),
        "{stdout}"
    );
    for reason in [
        "empty",
        "not an audio file",
        "empty.wav",
        "notes.wav",
        "cut.wav",
    ] {
        assert!(
            stdout.contains(reason),
            "no `{reason}` in the summary:\n{stdout}"
        );
    }
    // Letters keep the subfolders; the ledger and the report sit beside them, owner-only.
    assert!(out.join("monday/owen.docx").is_file());
    assert!(out.join("tuesday/watson.docx").is_file());
    assert!(!out.join("tuesday/owen-copy.docx").exists());
    for p in ["dictate-ledger.sqlite", "batch-report.json"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join(p)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{p}");
    }
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("batch-report.json")).unwrap()).unwrap();
    assert_eq!(report["done"], 2);
    assert_eq!(report["failed"], 3);
    assert_eq!(report["files"].as_array().unwrap().len(), 6);

    // The second run skips what is done; a changed recording is redone.
    let mut changed = std::fs::read(inbox.join("tuesday/watson.wav")).unwrap();
    changed.extend_from_slice(&[0u8; 3200]);
    std::fs::write(inbox.join("tuesday/watson.wav"), &changed).unwrap();
    let fixed_before = sha256(&inbox.join("monday/owen.wav"));
    let (code, stdout, _) = run_batch(&inbox, &out, &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("1 done, 2 skipped (done before), 3 failed"),
        "{stdout}"
    );
    // --force redoes everything it can (two recordings at a time here).
    let (_, stdout, _) = run_batch(&inbox, &out, &["--force", "--jobs", "2"]);
    // (The copy under another name is still done once.)
    assert!(stdout.contains("2 done, 1 skipped"), "{stdout}");

    // Nothing in the inbox was changed or removed (but the one file the test changed itself).
    let after = walk(&inbox);
    assert_eq!(after.len(), hashes_before.len());
    assert_eq!(sha256(&inbox.join("monday/owen.wav")), fixed_before);

    // dictate status: counts and recent jobs, by file name.
    let out_status = dictate().arg("status").arg(&out).output().unwrap();
    let status = String::from_utf8_lossy(&out_status.stdout).into_owned();
    assert!(out_status.status.success(), "{status}");
    assert!(
        status.contains("done") && status.contains("failed"),
        "{status}"
    );
    assert!(status.contains("notes.wav"), "{status}");
    assert!(
        !status.contains("Margaret"),
        "status names patients: {status}"
    );
}

/// (relative path, sha256) of every file under `dir`.
fn walk(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for sub in std::fs::read_dir(dir).unwrap() {
        let p = sub.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push((p.display().to_string(), sha256(&p)));
        }
    }
    out.sort();
    out
}

#[test]
fn more_bad_inputs_each_fail_alone_with_a_reason() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let whole = std::fs::read(sample("s01_diabetes_clinic.wav")).unwrap();
    let data_at = whole.windows(4).position(|w| w == b"data").unwrap();
    // A valid header with no samples.
    let mut zero = whole[..data_at + 8].to_vec();
    zero[data_at + 4..data_at + 8].copy_from_slice(&0u32.to_le_bytes());
    std::fs::write(inbox.join("a_zero_length.wav"), &zero).unwrap();
    // A header that claims 4 GB.
    let mut huge = whole[..data_at + 8 + 3200].to_vec();
    huge[data_at + 4..data_at + 8].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    std::fs::write(inbox.join("b_huge_claim.wav"), &huge).unwrap();
    // A wrong header: RIFF, but not WAVE.
    let mut wrong = whole.clone();
    wrong[8..12].copy_from_slice(b"AVI ");
    std::fs::write(inbox.join("c_wrong_header.wav"), &wrong).unwrap();
    // A recording that disappeared after it was listed (a dangling link).
    std::os::unix::fs::symlink(dir.path().join("gone.wav"), inbox.join("d_gone.wav")).unwrap();
    // And one good one, last.
    std::fs::write(inbox.join("e_good.wav"), &whole).unwrap();

    let out = dir.path().join("letters");
    let (code, stdout, stderr) = run_batch(&inbox, &out, &[]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("5 recordings: 1 done, 0 skipped (done before), 4 failed"),
        "{stdout}"
    );
    for (file, reason) in [
        ("a_zero_length.wav", "no audio"),
        ("b_huge_claim.wav", "truncated"),
        ("c_wrong_header.wav", "a_"),
        ("d_gone.wav", "No such file"),
    ] {
        let line = stdout
            .lines()
            .find(|l| l.contains("failed:") && l.contains(file))
            .unwrap_or_else(|| panic!("no failure line for {file}:\n{stdout}"));
        if reason != "a_" {
            assert!(
                line.to_lowercase().contains(&reason.to_lowercase()),
                "{line}"
            );
        }
    }
    assert!(out.join("e_good.docx").is_file());
    assert!(!stderr.contains("panicked"), "{stderr}");

    // An output folder that cannot be made (a file is in the way): a set-up error, nothing done.
    let blocked = dir.path().join("blocked");
    std::fs::write(&blocked, b"a file").unwrap();
    let (code, _, stderr) = run_batch(&inbox, &blocked, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("blocked"), "{stderr}");
}

#[test]
fn status_of_a_folder_without_a_ledger_says_what_to_do() {
    let dir = tempdir();
    let o = dictate().arg("status").arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("dictate batch"), "{stderr}");
}

#[test]
fn recordings_of_one_name_never_share_a_letter() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    let out = dir.path().join("letters");
    std::fs::create_dir_all(&inbox).unwrap();
    // Two recordings, one name: a.wav and a.flac (different patients), done in parallel.
    std::fs::copy(sample("s01_diabetes_clinic.wav"), inbox.join("a.wav")).unwrap();
    convert(&sample("s03_asthma_clinic.wav"), &[], &inbox.join("a.flac"));
    let (code, stdout, stderr) = run_batch(&inbox, &out, &["--jobs", "2"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let first = docx_text(&out.join("a.docx"));
    let second = docx_text(&out.join("a-2.docx"));
    let patients = |t: &str| (t.contains("Margaret Owen"), t.contains("Emily Watson"));
    let mut got = vec![patients(&first), patients(&second)];
    got.sort();
    assert_eq!(
        got,
        vec![(false, true), (true, false)],
        "one letter per patient"
    );
    for name in ["a.json", "a-2.json"] {
        let r: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(name)).unwrap()).unwrap();
        let src = r["source"]["path"].as_str().unwrap().to_owned();
        assert!(src.ends_with("a.wav") || src.ends_with("a.flac"), "{src}");
    }

    // A new recording under a name already used, in a later run: a new letter, the old kept.
    let kept = sha256(&out.join("a.docx"));
    std::fs::remove_file(inbox.join("a.flac")).unwrap();
    std::fs::copy(sample("s02_knee_referral.wav"), inbox.join("a.wav")).unwrap();
    let (code, stdout, stderr) = run_batch(&inbox, &out, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(sha256(&out.join("a.docx")), kept, "a letter was replaced");
    assert_says(&docx_text(&out.join("a-3.docx")), &["David Thompson"]);
}

/// Every file under `dir`, recursively, as bytes with its path.
fn every_file(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(every_file(&path));
        } else if path.is_file() {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

#[test]
fn pipes_links_and_odd_sidecars_never_hang_a_batch_break_a_letter_or_leak_a_patient() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    // Three different recordings (a copy of one would be done once: the ledger knows it).
    let wav = |n: &str| sample(&format!("{n}.wav"));
    // A pipe named like a recording: reading it would never end.
    let fifo = std::process::Command::new("mkfifo")
        .arg(inbox.join("m_pipe.wav"))
        .status()
        .expect("mkfifo (coreutils) is needed for this test");
    assert!(fifo.success());
    // Links back up the tree.
    std::os::unix::fs::symlink(".", inbox.join("self")).unwrap();
    std::os::unix::fs::symlink("..", inbox.join("up")).unwrap();
    // A sidecar holding control characters: the letter must still open.
    std::fs::copy(wav("s01_diabetes_clinic"), inbox.join("a_control.wav")).unwrap();
    std::fs::write(
        inbox.join("a_control.json"),
        "{\"patient\": {\"name\": \"Mr A\\u000bB\\u0001C\"}}",
    )
    .unwrap();
    // A sidecar that is a folder: the letter says it could not be read.
    std::fs::copy(wav("s02_knee_referral"), inbox.join("b_folder.wav")).unwrap();
    std::fs::create_dir(inbox.join("b_folder.json")).unwrap();
    // A sidecar a PAS might write, the NHS number as a JSON number: an error without the values.
    std::fs::copy(wav("s03_asthma_clinic"), inbox.join("c_number.wav")).unwrap();
    std::fs::write(
        inbox.join("c_number.json"),
        r#"{"patient": {"name": "Zebedee Quixote", "nhs": 9990395969}}"#,
    )
    .unwrap();

    let out = dir.path().join("letters");
    let (code, stdout, stderr) = finish(
        dictate().arg("batch").arg(&inbox).arg("--out").arg(&out),
        300,
    );
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("4 recordings: 2 done, 0 skipped (done before), 2 failed"),
        "{stdout}"
    );
    let pipe = stdout
        .lines()
        .find(|l| l.contains("m_pipe.wav"))
        .unwrap_or("");
    assert!(pipe.contains("not a regular file"), "{stdout}");
    // The letter with control characters in its sidecar opens in LibreOffice.
    let pdf = pdf_text(&out.join("a_control.docx"));
    assert!(pdf.contains("Mr A B C"), "{pdf}");
    let folder = docx_text(&out.join("b_folder.docx"));
    assert!(folder.contains("could not be read"), "{folder}");
    // No patient data outside the letters and their records.
    assert!(
        !stdout.contains("Zebedee") && !stderr.contains("Zebedee"),
        "{stdout}\n{stderr}"
    );
    assert!(
        !stdout.contains("0395969") && !stderr.contains("0395969"),
        "{stdout}\n{stderr}"
    );
    for (path, bytes) in every_file(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Zebedee") && !text.contains("0395969"),
            "patient data in {}",
            path.display()
        );
    }
}

#[test]
fn a_letters_folder_another_dictate_is_working_on_is_refused() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::copy(sample("s01_diabetes_clinic.wav"), inbox.join("a.wav")).unwrap();
    let out = dir.path().join("letters");
    std::fs::create_dir(&out).unwrap();
    // Hold the folder's lock as a running dictate does (process 4242, say).
    let mut held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(out.join(".dictate.lock"))
        .unwrap();
    held.try_lock().unwrap();
    std::io::Write::write_all(&mut held, b"4242").unwrap();
    for args in [vec!["batch"], vec!["watch", "--once"]] {
        let o = dictate()
            .args(&args)
            .arg(&inbox)
            .arg("--out")
            .arg(&out)
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("another dictate (process 4242)"),
            "{args:?}: {stderr}"
        );
        assert!(!out.join("a.docx").exists());
    }
    // The recording is still there, untouched; once the folder is free the batch runs.
    drop(held);
    let (code, stdout, stderr) = run_batch(&inbox, &out, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(out.join("a.docx").is_file());
}

#[test]
fn the_same_recording_with_another_patients_sidecar_is_another_letter() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    for (stem, name) in [("a", "Mrs Ada Lovelace"), ("b", "Mrs Mary Somerville")] {
        std::fs::copy(
            sample("s03_asthma_clinic.wav"),
            inbox.join(format!("{stem}.wav")),
        )
        .unwrap();
        std::fs::write(
            inbox.join(format!("{stem}.json")),
            format!(r#"{{"patient": {{"name": "{name}"}}}}"#),
        )
        .unwrap();
    }
    // And a plain copy of one of them, sidecar and all: done once.
    std::fs::copy(inbox.join("a.wav"), inbox.join("c.wav")).unwrap();
    std::fs::copy(inbox.join("a.json"), inbox.join("c.json")).unwrap();
    let out = dir.path().join("letters");
    let (code, stdout, stderr) = run_batch(&inbox, &out, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("3 recordings: 2 done, 1 skipped (done before), 0 failed"),
        "{stdout}"
    );
    assert!(docx_text(&out.join("a.docx")).contains("Ada Lovelace"));
    assert!(docx_text(&out.join("b.docx")).contains("Mary Somerville"));
}
