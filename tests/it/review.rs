//! The letter as the secretary opens it: structure from the dictation, the practice's letterhead,
//! the review aids, a sidecar's facts, and a file LibreOffice opens (checked through its PDF).

use std::path::{Path, PathBuf};

use crate::support::*;

const SITE: &str = r#"cc_patient = true
[practice]
name = "Riverside Hospital NHS Trust"
address = ["Diabetes Centre", "1 River Road", "Riverside RV1 2AB"]
telephone = "01234 567890"
[[clinicians]]
name = "Dr Sarah Hughes"
title = "Consultant Diabetologist"
gmc = "7012345"
"#;

/// Writes the site config into `dir` and runs `dictate letter` on `audio`; returns the DOCX and
/// JSON record paths.
fn letter(dir: &Path, audio: &Path) -> (PathBuf, serde_json::Value) {
    let config = dir.join("dictate.toml");
    std::fs::write(&config, SITE).unwrap();
    let out = dir.join("letters");
    dictate()
        .arg("letter")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out)
        .arg(audio)
        .assert()
        .success();
    let stem = audio.file_stem().unwrap().to_str().unwrap();
    let rec =
        serde_json::from_slice(&std::fs::read(out.join(format!("{stem}.json"))).unwrap()).unwrap();
    (out.join(format!("{stem}.docx")), rec)
}

/// Whitespace-collapsed text, for phrases that the PDF lays out over several spaces.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_clinic_letter_opens_in_libreoffice_with_its_structure_and_review_aids() {
    let dir = tempdir();
    let (docx, rec) = letter(dir.path(), &sample("s01_diabetes_clinic.wav"));
    let pdf = flat(&pdf_text(&docx));
    for part in [
        // letterhead (page header) and footer
        "Riverside Hospital NHS Trust",
        "1 River Road",
        "Confidential",
        "Page 1 of 1",
        // review aids
        "Notes for the secretary",
        "DRAFT: dictated, not yet checked",
        // the dictated header, laid out
        "Re: Mrs Margaret Owen",
        "Date of birth: 3 April 1949",
        "NHS number: 999 015 8398",
        "Dear Dr Lewis,",
        "metformin",
        "Yours sincerely",
        // the configured clinician's signature block, the copy to the patient
        "Dr Sarah Hughes",
        "Consultant Diabetologist",
        "GMC 7012345",
        "cc:",
        "Mrs Margaret Owen (patient)",
    ] {
        assert!(pdf.contains(part), "no \"{part}\" in the PDF:\n{pdf}");
    }
    // The dictated header is not repeated in the body.
    assert!(!pdf.contains("This is Dr"), "{pdf}");
    assert_eq!(rec["letter_kind"], "clinic");
    // The HbA1c correction: highlighted, with what was heard in a Word comment.
    let corrections = rec["corrections"].as_array().unwrap();
    assert!(!corrections.is_empty(), "{rec}");
    let comments = docx_part(&docx, "word/comments.xml").expect("the letter has comments");
    assert!(comments.contains("Heard:"), "{comments}");
    let document = docx_part(&docx, "word/document.xml").unwrap();
    assert!(
        document.contains("w:val=\"cyan\""),
        "no turquoise highlight"
    );
    assert!(document.contains("commentRangeStart"), "no comment anchor");
}

#[test]
fn a_referral_with_an_invalid_nhs_number_is_flagged_at_the_top() {
    let dir = tempdir();
    let (docx, rec) = letter(dir.path(), &sample("s02_knee_referral.wav"));
    assert_eq!(rec["letter_kind"], "referral");
    let pdf = flat(&pdf_text(&docx));
    assert!(pdf.contains("Referral"), "{pdf}");
    let notes_at = pdf.find("Notes for the secretary").expect("notes box");
    let draft_at = pdf.find("DRAFT").expect("draft mark");
    let notes = &pdf[notes_at..draft_at];
    assert!(
        notes.contains("NHS number"),
        "the notes do not name the NHS number: {notes}"
    );
    let flags = rec["flags"].as_array().unwrap();
    assert!(flags.iter().any(|f| f["kind"] == "nhs_number"), "{flags:?}");
}

#[test]
fn a_sidecar_wins_over_the_dictation_and_the_difference_is_flagged() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let audio = inbox.join("owen.wav");
    std::fs::copy(sample("s01_diabetes_clinic.wav"), &audio).unwrap();
    let sidecar = inbox.join("owen.json");
    let sidecar_text = r#"{"patient": {"name": "Mrs Margaret Owen", "dob": "1949-04-13",
        "nhs": "9990158398", "address": ["4 Mill Lane", "Riverside RV2 3CD"]},
        "recipient": {"name": "Dr Peter Lewis", "address": ["Riverside Medical Centre", "2 High Street"]},
        "letter_type": "clinic", "priority": "routine"}"#;
    std::fs::write(&sidecar, sidecar_text).unwrap();
    let (docx, rec) = letter(dir.path(), &audio);
    let pdf = flat(&pdf_text(&docx));
    for part in [
        "Date of birth: 13 April 1949",
        "4 Mill Lane",
        "Dr Peter Lewis",
        "Riverside Medical Centre",
        "ROUTINE",
    ] {
        assert!(pdf.contains(part), "no \"{part}\" in the PDF:\n{pdf}");
    }
    let flags = rec["flags"].as_array().unwrap();
    let disagreements: Vec<_> = flags
        .iter()
        .filter(|f| f["kind"] == "sidecar_disagrees")
        .collect();
    assert!(
        disagreements
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("3 April 1949")),
        "{flags:?}"
    );
    assert!(pdf.contains("the sidecar file"), "not in the notes: {pdf}");
    // The sidecar is read, never changed.
    assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), sidecar_text);
}

#[test]
fn letters_into_the_recordings_folder_would_overwrite_a_sidecar_and_are_refused() {
    let dir = tempdir();
    let audio = dir.path().join("owen.wav");
    std::fs::copy(sample("s01_diabetes_clinic.wav"), &audio).unwrap();
    std::fs::write(dir.path().join("owen.json"), "{}").unwrap();
    let out = dictate()
        .arg("letter")
        .arg("--overwrite")
        .arg("--out")
        .arg(dir.path())
        .arg(&audio)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("sidecar"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("owen.json")).unwrap(),
        "{}"
    );
}

#[test]
fn a_dictation_without_a_header_says_what_is_missing() {
    // The s03 recording from its "Dear Dr Ivens" on: no letter type, patient or recipient.
    let dir = tempdir();
    let mut reader = hound::WavReader::open(sample("s03_asthma_clinic.wav")).unwrap();
    let spec = reader.spec();
    let skip = (19.0 * spec.sample_rate as f64) as usize * spec.channels as usize;
    let samples: Vec<i32> = reader
        .samples::<i32>()
        .skip(skip)
        .map(|s| s.unwrap())
        .collect();
    let audio = dir.path().join("no_header.wav");
    let mut writer = hound::WavWriter::create(&audio, spec).unwrap();
    for s in samples {
        writer.write_sample(s).unwrap();
    }
    writer.finalize().unwrap();
    let (docx, rec) = letter(dir.path(), &audio);
    let flags = rec["flags"].as_array().unwrap();
    assert!(flags.iter().any(|f| f["kind"] == "no_header"), "{flags:?}");
    let pdf = flat(&pdf_text(&docx));
    assert!(pdf.contains("no header was dictated"), "{pdf}");
    assert!(pdf.contains("Re: (patient not dictated)"), "{pdf}");
    assert!(pdf.contains("asthma"), "the dictation is kept: {pdf}");
}

/// The highlighted runs of a DOCX's body, in order: (colour, text).
fn highlighted_runs(document: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for run in document.split("<w:r>").skip(1) {
        let run = run.split("</w:r>").next().unwrap_or("");
        let Some(h) = run.find("<w:highlight w:val=\"") else {
            continue;
        };
        let colour = run[h + 20..].split('"').next().unwrap().to_owned();
        let text: String = run
            .split("<w:t")
            .skip(1)
            .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
            .map(|t| t.split("</w:t>").next().unwrap_or(""))
            .collect();
        out.push((colour, text));
    }
    out
}

/// The leading number of the note that holds `phrase`, or 0 when no note does.
fn counted(notes: &str, phrase: &str) -> usize {
    notes
        .lines()
        .find(|l| l.contains(phrase))
        .map_or(0, |l| l.split(' ').next().unwrap().parse().unwrap())
}

#[test]
fn every_highlight_is_counted_in_the_notes_and_every_unsure_word_is_highlighted() {
    let dir = tempdir();
    let out = dir.path().join("letters");
    let stems = [
        "s01_diabetes_clinic",
        "s02_knee_referral",
        "s03_asthma_clinic",
    ];
    dictate()
        .arg("letter")
        .arg("--out")
        .arg(&out)
        .args(stems.iter().map(|s| sample(&format!("{s}.wav"))))
        .assert()
        .success();
    let mut highlighted_words = 0;
    for stem in stems {
        let rec: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{stem}.json"))).unwrap())
                .unwrap();
        let text = rec["final_text"].as_str().unwrap();
        let (at, end) = (
            text.find("Notes for the secretary").expect("a notes box"),
            text.find("DRAFT").unwrap(),
        );
        let (notes, body) = (&text[at..end], &text[end..]);
        let runs = highlighted_runs(
            &docx_part(&out.join(format!("{stem}.docx")), "word/document.xml").unwrap(),
        );
        let yellow = runs.iter().filter(|(c, _)| c == "yellow").count();
        let cyan = runs.iter().filter(|(c, _)| c == "cyan").count();
        // Every mark is counted: each yellow run is a place to check or a term left as heard,
        // each turquoise run a corrected term.
        assert_eq!(
            yellow,
            counted(notes, "where the speech recogniser was unsure")
                + counted(notes, "possible term"),
            "{stem}: {runs:?}\n{notes}"
        );
        assert_eq!(
            cyan,
            counted(notes, "corrected, highlighted turquoise"),
            "{stem}: {runs:?}\n{notes}"
        );
        // Every word Whisper was unsure of that the letter holds as heard is highlighted.
        // Every heard word the letter does not hold as heard is accounted for: a spoken command
        // or a header keyword, with its time.
        let consumed = rec["consumed"]
            .as_array()
            .expect("the record lists consumed words");
        assert!(
            consumed.iter().any(|c| c["taken_by"] == "header keywords"),
            "{stem}: {consumed:?}"
        );
        for c in consumed {
            assert_ne!(
                c["taken_by"], "not found in the letter as heard",
                "{stem}: {c}"
            );
            assert!(c["start"].as_f64().is_some(), "{c}");
        }
        let marked: String = runs.iter().map(|(_, t)| t.to_lowercase() + " ").collect();
        let unplaced = notes
            .lines()
            .find(|l| l.contains("did not reach the letter"));
        for seg in rec["transcript"]["segments"].as_array().unwrap() {
            let mut words: Vec<(String, f64, f64)> = Vec::new();
            for tok in seg["tokens"].as_array().unwrap() {
                let (t, p) = (tok["text"].as_str().unwrap(), tok["p"].as_f64().unwrap());
                match words.last_mut() {
                    Some(w) if !t.starts_with(' ') => {
                        w.0.push_str(t);
                        w.1 = w.1.min(p);
                    }
                    _ => words.push((t.trim().to_owned(), p, tok["start"].as_f64().unwrap())),
                }
            }
            for (w, p, start) in words {
                let core: String = w
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .collect::<String>()
                    .to_lowercase();
                let content = core.len() >= 4
                    && w.chars()
                        .all(|c| c.is_alphabetic() || ".,;:?!'".contains(c))
                    && ![
                        "number",
                        "date",
                        "birth",
                        "patient",
                        "letter",
                        "clinic",
                        "referral",
                        "dictating",
                        "yours",
                        "sincerely",
                        "faithfully",
                        "paragraph",
                        "comma",
                        "dear",
                    ]
                    .contains(&core.as_str());
                let in_letter = body
                    .to_lowercase()
                    .split(|c: char| !c.is_alphabetic())
                    .any(|x| x == core);
                if p < 0.40 && content && in_letter {
                    // Highlighted, or named by its time as a word that did not reach the letter
                    // as heard.
                    let s = start.round() as u64;
                    let time = format!("{}:{:02}", s / 60, s % 60);
                    assert!(
                        marked.contains(&core) || unplaced.is_some_and(|n| n.contains(&time)),
                        "{stem}: \"{w}\" (p {p:.2}, at {time}) is neither highlighted nor named: \
                         {runs:?}\n{notes}"
                    );
                    highlighted_words += 1;
                }
            }
        }
    }
    assert!(
        highlighted_words >= 3,
        "the samples hold unsure words to check: {highlighted_words}"
    );
}
