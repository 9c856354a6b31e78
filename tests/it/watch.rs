//! `dictate watch`: recordings dropped into an inbox become letters once complete, then move to
//! the archive (with their sidecar) or to the failed folder with the reason; SIGTERM stops it
//! cleanly.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn once_takes_the_inbox_archives_done_and_fails_bad_recordings_with_the_reason() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::copy(sample("s01_diabetes_clinic.wav"), inbox.join("owen.wav")).unwrap();
    std::fs::write(
        inbox.join("owen.json"),
        r#"{"patient": {"name": "Mrs Margaret Owen", "dob": "1949-04-03"}}"#,
    )
    .unwrap();
    std::fs::write(inbox.join("memo.wav"), b"ID3 this is an mp3 named wav").unwrap();
    let hash = sha256(&inbox.join("owen.wav"));

    let out = dictate()
        .args(["watch", "--once", "--settle", "0", "--out"])
        .arg(&letters)
        .arg(&inbox)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("1 letter written, 1 recording failed"),
        "{stdout}"
    );
    assert!(letters.join("owen.docx").is_file());
    // Moved, with the sidecar, unchanged.
    assert!(!inbox.join("owen.wav").exists());
    assert_eq!(sha256(&inbox.join("archive/owen.wav")), hash);
    assert!(inbox.join("archive/owen.json").is_file());
    // The failed one, with why.
    assert!(inbox.join("failed/memo.wav").is_file());
    let why = std::fs::read_to_string(inbox.join("failed/memo.error.txt")).unwrap();
    assert!(why.contains("memo.wav") && why.contains("MP3"), "{why}");
}

#[test]
fn a_half_copied_recording_is_read_only_when_complete_and_sigterm_stops_the_service() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&inbox).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("dictate");
    let mut child = std::process::Command::new(bin)
        .env_remove("DICTATE_CONFIG")
        .env("DICTATE_MODEL", model())
        .args(["watch", "--settle", "2", "--rescan", "1", "-q", "--out"])
        .arg(&letters)
        .arg(&inbox)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();

    // The recording arrives in two parts, a second apart, as over a slow share.
    let whole = std::fs::read(sample("s03_asthma_clinic.wav")).unwrap();
    let target = inbox.join("watson.wav");
    std::fs::write(&target, &whole[..whole.len() / 2]).unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&target)
            .unwrap();
        f.write_all(&whole[whole.len() / 2..]).unwrap();
    }
    let record = letters.join("watson.json");
    let until = Instant::now() + Duration::from_secs(90);
    while !record.is_file() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(record.is_file(), "no letter within 90 s");
    let rec: serde_json::Value = serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
    let seconds = rec["source"]["audio_seconds"].as_f64().unwrap();
    assert!(seconds > 34.0, "read before it was complete: {seconds} s");
    wait_for(&inbox.join("archive/watson.wav"));

    // SIGTERM: it stops by itself, exit 0.
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < until, "still running 20 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(0));
    let mut stdout = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    assert!(stdout.contains("1 letter written"), "{stdout}");
}

fn wait_for(path: &Path) {
    let until = Instant::now() + Duration::from_secs(10);
    while !path.exists() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(path.exists(), "{} did not appear", path.display());
}

#[test]
fn the_same_name_dropped_twice_gives_two_letters() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&inbox).unwrap();
    let once = || {
        dictate()
            .args(["watch", "--once", "--settle", "0", "--out"])
            .arg(&letters)
            .arg(&inbox)
            .assert()
            .success();
    };
    std::fs::copy(sample("s01_diabetes_clinic.wav"), inbox.join("a.wav")).unwrap();
    once();
    std::fs::copy(sample("s03_asthma_clinic.wav"), inbox.join("a.wav")).unwrap();
    once();
    assert_says(&docx_text(&letters.join("a.docx")), &["Margaret Owen"]);
    assert_says(&docx_text(&letters.join("a-2.docx")), &["Emily Watson"]);
    // Both recordings kept in the archive.
    assert!(inbox.join("archive/a.wav").is_file());
    assert_eq!(
        std::fs::read_dir(inbox.join("archive")).unwrap().count(),
        2,
        "both recordings archived"
    );
}
