//! The command line as a script or a person at the terminal meets it: JSON output, options only
//! where they apply, the model's files, and `dictate doctor`.

use std::path::Path;

use crate::support::{dictate, finish, model, sample, tempdir};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not one JSON document ({e}): {text}"))
}

/// "2026-12-04 18:22:05": a local time to the second.
fn is_local_time(s: &str) -> bool {
    regex::Regex::new(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d( UTC)?$")
        .unwrap()
        .is_match(s)
}

#[test]
fn json_of_letter_batch_and_status_names_each_recording_by_its_place() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    for (folder, file) in [
        ("a", "s03_asthma_clinic.wav"),
        ("b", "s02_knee_referral.wav"),
    ] {
        std::fs::create_dir_all(inbox.join(folder)).unwrap();
        // The same file name in two folders: status must not show two "x.wav".
        std::fs::copy(sample(file), inbox.join(folder).join("x.wav")).unwrap();
    }
    let out = dir.path().join("letters");
    let (code, stdout, err) = finish(
        dictate()
            .args(["-q", "batch", "--json", "--out"])
            .arg(&out)
            .arg(&inbox),
        900,
    );
    assert_eq!(code, Some(0), "{err}");
    let report = json(&stdout);
    assert_eq!(report["done"], 2, "{report}");
    let files = report["files"].as_array().unwrap();
    for f in files {
        assert_eq!(f["outcome"], "done", "{f}");
        assert!(Path::new(f["docx"].as_str().unwrap()).is_file(), "{f}");
    }
    // The document printed is the report written beside the letters.
    let written = json(&std::fs::read_to_string(out.join("batch-report.json")).unwrap());
    assert_eq!(written["files"], report["files"]);

    let (code, text, err) = finish(dictate().arg("status").arg(&out), 60);
    assert_eq!(code, Some(0), "{err}");
    for folder in ["a", "b"] {
        let line = text
            .lines()
            .find(|l| l.contains(&format!(" {folder}/x.wav -> {folder}/x.docx")))
            .unwrap_or_else(|| panic!("{folder}/x.wav by its place, with its letter: {text}"));
        // "    2 done      1x 2026-12-04 18:25:23  b/x.wav -> b/x.docx  (3 to check, ...)"
        let when: String = line
            .split_whitespace()
            .skip(3)
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(is_local_time(&when), "time to the second in {line}");
        assert!(line.contains("to check"), "flags in {line}");
    }
    let (code, stdout, _) = finish(dictate().args(["status", "--json"]).arg(&out), 60);
    assert_eq!(code, Some(0));
    let status = json(&stdout);
    assert_eq!(status["done"], 2, "{status}");
    let mut places: Vec<&str> = status["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["recording"].as_str().unwrap())
        .collect();
    places.sort_unstable();
    assert_eq!(places, ["a/x.wav", "b/x.wav"]);
    let job = &status["jobs"][0];
    assert!(
        job["letter"].as_str().unwrap().ends_with("/x.docx"),
        "{job}"
    );
    let finished = job["finished_at"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(finished, &time::format_description::well_known::Rfc3339)
            .is_ok(),
        "RFC 3339 with its offset: {finished}"
    );

    // `letter --json`: one document, the letters and records named.
    let (code, stdout, err) = finish(
        dictate()
            .args(["-q", "letter", "--json", "--out"])
            .arg(dir.path().join("one"))
            .arg(sample("s01_diabetes_clinic.wav")),
        600,
    );
    assert_eq!(code, Some(0), "{err}");
    let doc = json(&stdout);
    assert_eq!(doc["letters_written"], 1, "{doc}");
    let letter = &doc["recordings"][0]["letters"][0];
    assert_eq!(letter["kind"], "clinic", "{doc}");
    assert!(Path::new(letter["docx"].as_str().unwrap()).is_file());
    assert!(Path::new(letter["record"].as_str().unwrap()).is_file());
}

#[test]
fn options_are_shown_and_taken_only_where_they_apply() {
    let (_, help, _) = finish(dictate().args(["status", "--help"]), 30);
    for option in ["--beam", "--threads", "--model", "--no-terms", "--prompt"] {
        assert!(!help.contains(option), "{option} under status: {help}");
    }
    assert!(help.contains("--json"), "{help}");
    let (_, help, _) = finish(dictate().args(["letter", "--help"]), 30);
    for option in [
        "--beam",
        "--threads",
        "--model",
        "--vocabulary",
        "--no-terms",
        "--json",
    ] {
        assert!(help.contains(option), "{option} under letter: {help}");
    }
    // The older way of writing them, before the command, still works where they apply ...
    let dir = tempdir();
    let text = dir.path().join("letter.txt");
    std::fs::write(&text, "He takes salbutamol inhaler as required.\n").unwrap();
    let vocab = dir.path().join("v.txt");
    std::fs::write(&vocab, "Clenil\n").unwrap();
    let (code, _, err) = finish(
        dictate()
            .arg("--vocabulary")
            .arg(&vocab)
            .arg("terms")
            .arg(&text),
        120,
    );
    assert_eq!(code, Some(0), "{err}");
    // ... and is refused, by name, where they do not.
    let (code, _, err) = finish(
        dictate().args(["--threads", "2", "status"]).arg(dir.path()),
        30,
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("--threads does not apply"), "{err}");
    let (code, _, _) = finish(
        dictate().args(["status", "--beam", "5"]).arg(dir.path()),
        30,
    );
    assert_eq!(code, Some(2));
}

#[test]
fn model_list_and_verify_tell_a_whole_model_from_a_damaged_one() {
    let (code, list, err) = finish(dictate().args(["model", "list"]), 120);
    assert_eq!(code, Some(0), "{err}");
    let used = list
        .lines()
        .find(|l| l.starts_with('*'))
        .unwrap_or_else(|| panic!("the model in use marked: {list}"));
    assert!(
        used.contains("ggml-tiny.en.bin") && used.contains("tiny (English only)"),
        "{list}"
    );
    assert!(
        list.contains("sha256 ") && list.contains("tiny.en,"),
        "{list}"
    );

    let (code, said, _) = finish(dictate().args(["model", "verify"]), 120);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.starts_with("ok: ") && said.contains("tiny.en"),
        "{said}"
    );

    // One byte changed in the weights: the header is whole, the checksum is not.
    let dir = tempdir();
    let mut bytes = std::fs::read(model()).unwrap();
    let n = bytes.len();
    bytes[n - 1000] ^= 0x40;
    let changed = dir.path().join("ggml-tiny.en.bin");
    std::fs::write(&changed, &bytes).unwrap();
    let (code, said, _) = finish(dictate().args(["model", "verify"]).arg(&changed), 120);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("damaged or changed") && said.contains("dictate model fetch tiny.en"),
        "{said}"
    );
    // The same bytes under a name dictate does not know: whole, weights unchecked.
    let other = dir.path().join("site-model.bin");
    std::fs::rename(&changed, &other).unwrap();
    let (code, said, _) = finish(dictate().args(["model", "verify"]).arg(&other), 120);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.starts_with("whole: ") && said.contains("cannot be checked"),
        "{said}"
    );
    // Cut short: damaged, and where.
    std::fs::write(&other, &bytes[..n / 2]).unwrap();
    let (code, said, _) = finish(dictate().args(["model", "verify"]).arg(&other), 120);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("truncated"), "{said}");
}

#[test]
fn doctor_says_what_is_wrong_and_what_to_do() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    std::fs::set_permissions(&letters, std::fs::Permissions::from_mode(0o700)).unwrap();
    let (code, said, err) = finish(dictate().arg("doctor").arg("--out").arg(&letters), 120);
    assert_eq!(code, Some(0), "{said}{err}");
    for line in [
        "ok       model:",
        "ok       templates:",
        "ok       letters folder:",
        "ok       free space:",
    ] {
        assert!(said.contains(line), "{line} in {said}");
    }
    assert!(said.ends_with("nothing to fix\n"), "{said}");
    // A letters folder every user may read: worth a warning, not a failure.
    std::fs::set_permissions(&letters, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, said, _) = finish(dictate().arg("doctor").arg("--out").arg(&letters), 120);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("warning  letters folder:") && said.contains("chmod o-rwx"),
        "{said}"
    );

    // A broken config, a model that is not there and a letters "folder" that is a file.
    let config = dir.path().join("c.toml");
    std::fs::write(&config, "threads = [\n").unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let (code, said, _) = finish(
        dictate()
            .env("DICTATE_CONFIG", &config)
            .arg("doctor")
            .arg("--out")
            .arg(&file),
        120,
    );
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("PROBLEM  config:") && said.contains("c.toml"),
        "{said}"
    );
    assert!(
        said.contains("PROBLEM  letters folder:") && said.contains("is not a folder"),
        "{said}"
    );
    assert!(said.contains("2 problems to fix"), "{said}");

    let (code, said, _) = finish(
        dictate()
            .args(["--model"])
            .arg(dir.path().join("none.bin"))
            .arg("doctor"),
        120,
    );
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("PROBLEM  model:") && said.contains("no model at"),
        "{said}"
    );
}
