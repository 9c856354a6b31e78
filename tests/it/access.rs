//! `[access]` in the practice config: the letters folder readable by one group, the failed
//! folder by another, as the files' group and mode show them; a group that is not there, or
//! that the user may not give files to, stops the run at its start. These tests make groups, so
//! they run as root (as the test suite does here and in CI) and fail loudly otherwise.

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

use crate::support::*;

/// The job ledger's file in a letters folder.
const LEDGER: &str = "dictate-ledger.sqlite";

/// Makes the group `name` (if it is not there) and returns its id.
fn group(name: &str) -> u32 {
    let uid = Command::new("id").arg("-u").output().expect("`id` runs");
    assert_eq!(
        String::from_utf8_lossy(&uid.stdout).trim(),
        "0",
        "the access tests make groups with groupadd: run them as root"
    );
    let made = Command::new("groupadd")
        .args(["-f", name])
        .status()
        .expect("groupadd (from the passwd package) is installed");
    assert!(made.success(), "groupadd -f {name} failed");
    let entry = Command::new("getent")
        .args(["group", name])
        .output()
        .unwrap();
    let entry = String::from_utf8_lossy(&entry.stdout).into_owned();
    entry.split(':').nth(2).unwrap().trim().parse().unwrap()
}

/// A practice config in `dir` with `access` as its `[access]` table.
fn config(dir: &Path, access: &str) -> std::path::PathBuf {
    let path = dir.join("dictate.toml");
    std::fs::write(&path, format!("[access]\n{access}\n")).unwrap();
    path
}

fn mode_and_group(path: &Path) -> (u32, u32) {
    let meta = std::fs::metadata(path).unwrap();
    (meta.mode() & 0o7777, meta.gid())
}

#[test]
fn letters_and_failed_recordings_are_given_to_the_groups_the_config_names() {
    let secretaries = group("dictate-it-secretaries");
    let clinicians = group("dictate-it-clinicians");
    let dir = tempdir();
    let config = config(
        dir.path(),
        "letters_group = \"dictate-it-secretaries\"
failed_group = \"dictate-it-clinicians\"",
    );
    let inbox = dir.path().join("inbox");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::copy(sample("s02_knee_referral.wav"), inbox.join("knee.wav")).unwrap();
    std::fs::write(inbox.join("memo.wav"), b"ID3 this is an mp3 named wav").unwrap();
    let (code, stdout, stderr) = finish(
        dictate()
            .args(["watch", "--once", "--settle", "0", "--config"])
            .arg(&config)
            .arg("--out")
            .arg(&letters)
            .arg(&inbox),
        600,
    );
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("1 letter written, 1 recording failed"),
        "{stdout}"
    );
    // The letters folder and what is in it: the secretaries may read, not write.
    assert_eq!(mode_and_group(&letters), (0o2750, secretaries));
    for file in ["knee.docx", "knee.json"] {
        assert_eq!(
            mode_and_group(&letters.join(file)),
            (0o640, secretaries),
            "{file}"
        );
    }
    assert_eq!(
        mode_and_group(&inbox.join("archive")),
        (0o2750, secretaries)
    );
    // The failed folder and the reason: the clinicians may read them.
    assert_eq!(mode_and_group(&inbox.join("failed")), (0o2750, clinicians));
    assert_eq!(
        mode_and_group(&inbox.join("failed/memo.error.txt")),
        (0o640, clinicians)
    );
    // The ledger stays the service's own.
    assert_eq!(mode_and_group(&letters.join(LEDGER)).0, 0o600);
}

#[test]
fn a_group_that_is_not_there_stops_the_run_before_any_work() {
    let dir = tempdir();
    let config = config(dir.path(), "letters_group = \"dictate-it-nobody\"");
    let letters = dir.path().join("letters");
    let (code, stdout, stderr) = finish(
        dictate()
            .args(["letter", "--config"])
            .arg(&config)
            .arg("--out")
            .arg(&letters)
            .arg(sample("s02_knee_referral.wav")),
        120,
    );
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("access.letters_group = \"dictate-it-nobody\"")
            && stderr.contains("no group `dictate-it-nobody`")
            && stderr.contains("groupadd dictate-it-nobody"),
        "{stderr}"
    );
    assert!(!letters.exists(), "the letters folder was made");
}

#[test]
fn a_group_the_user_is_not_in_stops_the_run_and_says_how_to_join_it() {
    group("dictate-it-secretaries");
    let dir = tempdir();
    // The config readable by the user the run becomes.
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let config = config(dir.path(), "letters_group = \"dictate-it-secretaries\"");
    let letters = dir.path().join("letters");
    // The recording where `nobody` can read it (a checkout under /root is closed to it).
    let recording = dir.path().join("s02.wav");
    std::fs::copy(sample("s02_knee_referral.wav"), &recording).unwrap();
    std::fs::set_permissions(
        &recording,
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    // `nobody`, in no group but its own: setpriv (util-linux) drops root's groups.
    let bin = assert_cmd::cargo::cargo_bin("dictate");
    let out = Command::new("setpriv")
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
        .arg(bin)
        .env_remove("DICTATE_CONFIG")
        .env("DICTATE_MODEL", model())
        .args(["letter", "--config"])
        .arg(&config)
        .arg("--out")
        .arg(&letters)
        .arg(&recording)
        .output()
        .expect("setpriv (util-linux) is installed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("this user (`nobody`) is not in the group `dictate-it-secretaries`")
            && stderr.contains("usermod -aG dictate-it-secretaries nobody"),
        "{stderr}"
    );
    assert!(!letters.exists(), "the letters folder was made");
}
