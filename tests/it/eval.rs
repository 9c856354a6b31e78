//! `dictate eval`: letters measured against answer keys.

use crate::support::*;

fn report(args: &[&str]) -> serde_json::Value {
    let out = dictate()
        .arg("eval")
        .arg(root().join("samples"))
        .args(args)
        .arg("--json")
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("the report is JSON")
}

#[test]
fn perfect_hearing_finds_every_term() {
    // The samples' own texts, used as transcripts: every key term is in them, so a letter made
    // from them must contain every term, and the scorer must find them.
    let r = report(&["--transcripts", root().join("samples").to_str().unwrap()]);
    let t = &r["total"];
    assert_eq!(t["files"], 3);
    assert_eq!(t["failed"], 0);
    assert_eq!(t["terms_found"], t["terms_total"], "{r:#}");
    assert_eq!(t["term_recall"], 1.0);
    // The model was not run: all the time is the pipeline's.
    assert_eq!(t["model_seconds"].as_f64().unwrap(), 0.0);
}

#[test]
fn real_model_report_per_file_and_total() {
    let r = report(&[]);
    let files = r["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    for f in files {
        assert!(f["error"].is_null(), "{f}");
        let (wall, model, audio) = (
            f["wall_seconds"].as_f64().unwrap(),
            f["model_seconds"].as_f64().unwrap(),
            f["audio_seconds"].as_f64().unwrap(),
        );
        assert!(audio > 30.0 && model > 0.0 && model <= wall, "{f}");
        assert!((f["rtf"].as_f64().unwrap() - wall / audio).abs() < 1e-6);
        // Missed terms say what stood there instead.
        for m in f["missed"].as_array().unwrap() {
            assert!(!m["heard"].as_str().unwrap().is_empty(), "{m}");
        }
    }
    let t = &r["total"];
    // tiny.en hears most of these everyday terms; a collapse of the pipeline would show here.
    let recall = t["term_recall"].as_f64().unwrap();
    assert!(recall >= 0.5, "term recall {recall}: {r:#}");
    assert_eq!(t["identifiers_total"], 15);
    assert!(t["wer"].as_f64().unwrap() < 0.6, "{t}");
}

#[test]
fn table_for_people_and_setup_errors() {
    let out = dictate()
        .arg("eval")
        .arg(root().join("samples"))
        .arg("--transcripts")
        .arg(root().join("samples"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("total (3 files)") && text.contains("s02_knee_referral"),
        "{text}"
    );

    let empty = tempdir();
    let out = dictate().arg("eval").arg(empty.path()).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("no recordings with answer keys"), "{err}");
}
