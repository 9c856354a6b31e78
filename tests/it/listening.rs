//! Corrections that listen: the real model scores spellings of a span against the recording,
//! and the terminology pass writes a term only where the recording supports it.

use std::path::Path;

use dictate::asr::score::{Item, Scores};
use dictate::asr::transcript::Transcript;
use dictate::text::terms::Scored;
use serde::Deserialize;

use crate::support::*;

/// s01's transcript and samples, heard with the shared model.
fn s01() -> (Transcript, Vec<f32>) {
    let samples = dictate::audio::load(&sample("s01_diabetes_clinic.wav"))
        .unwrap()
        .samples;
    let mut t = transcriber().lock().unwrap_or_else(|e| e.into_inner());
    let transcript = t.transcribe(&samples).expect("transcription runs");
    (transcript, samples)
}

/// Where the words `phrase` start and end in the transcript (token times).
fn find(t: &Transcript, phrase: &str) -> (f64, f64) {
    for seg in &t.segments {
        let text: String = seg.tokens.iter().map(|k| k.text.as_str()).collect();
        let Some(at) = text.find(phrase) else {
            continue;
        };
        let mut pos = 0;
        let (mut start, mut end) = (None, 0.0);
        for k in &seg.tokens {
            let next = pos + k.text.len();
            if next > at && pos < at + phrase.len() {
                start.get_or_insert(k.start);
                end = k.end;
            }
            pos = next;
        }
        return (start.unwrap(), end);
    }
    panic!("`{phrase}` not in the transcript: {}", t.text());
}

#[test]
fn the_recording_prefers_the_drug_that_was_said_over_its_neighbours() {
    let (transcript, samples) = s01();
    let (start, end) = find(&transcript, " increased her metformin to one");
    let clip = &samples[((start - 0.3) * 16_000.0) as usize..((end + 0.3) * 16_000.0) as usize];
    let texts: Vec<String> = ["metformin", "metoprolol", "methotrexate", "Metformin's"]
        .iter()
        .map(|d| format!("increased her {d} to one"))
        .collect();
    let items = [Item {
        prefix: "I have".into(),
        texts: texts.clone(),
        whole: false,
    }];
    let mut t = transcriber().lock().unwrap_or_else(|e| e.into_inner());
    // Once scored, the clip is heard again freely with the drugs as the model's hint.
    let mut asked = Vec::new();
    let answers = t
        .score(
            &[dictate::asr::score::Clip {
                samples: clip,
                prompt: "Dear Doctor Lewis,",
                items: &items,
            }],
            &mut |k: usize, scores: &[Scores]| {
                asked.push((k, scores.len()));
                Some("metoprolol, methotrexate, metformin.".into())
            },
        )
        .unwrap();
    assert_eq!(asked, [(0, 1)]);
    let scores = &answers[0].scores;
    let audio = &scores[0].audio;
    assert_eq!(audio.len(), 4);
    for (k, s) in audio.iter().enumerate().skip(1) {
        assert!(
            audio[0] > s + 3.0,
            "`{}` scored {:.1}, `{}` {s:.1}: the said drug should win clearly",
            texts[0],
            audio[0],
            texts[k]
        );
    }
    // Over silence the same texts are about as likely: the difference is the recording's.
    let prior = &scores[0].prior;
    assert!(prior.iter().all(|p| p.is_finite() && *p < 0.0), "{prior:?}");
    // Heard again with all three drugs in its hint, the model still writes the one said.
    let again = answers[0]
        .again
        .as_deref()
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        again.contains("metformin")
            && !again.contains("metoprolol")
            && !again.contains("methotrexate"),
        "{again}"
    );
}

/// Gives every clip the same hint; wants the clinical ear where `ear` says so, and counts how
/// often it was asked about.
struct Hinting {
    hint: &'static str,
    ear: bool,
    asked_ear: Vec<String>,
}

impl dictate::asr::score::Asking for Hinting {
    fn hint(&mut self, _: usize, _: &[Scores]) -> Option<String> {
        Some(self.hint.into())
    }

    fn ask_ear(&mut self, _: usize, text: &str) -> bool {
        self.asked_ear.push(text.to_owned());
        self.ear
    }
}

#[test]
fn the_clinical_ear_hears_a_clip_again_only_where_asked() {
    let (transcript, samples) = s01();
    let (start, end) = find(&transcript, " increased her metformin to one");
    let clip = &samples[((start - 0.3) * 16_000.0) as usize..((end + 0.3) * 16_000.0) as usize];
    let items = [Item {
        prefix: "I have".into(),
        texts: vec!["increased her metformin to one".into()],
        whole: false,
    }];
    let mut t = transcriber().lock().unwrap_or_else(|e| e.into_inner());
    let mut score = |ear: bool| {
        let mut asking = Hinting {
            hint: "metoprolol, methotrexate, metformin.",
            ear,
            asked_ear: Vec::new(),
        };
        let answer = t
            .score(
                &[dictate::asr::score::Clip {
                    samples: clip,
                    prompt: "Dear Doctor Lewis,",
                    items: &items,
                }],
                &mut asking,
            )
            .unwrap()
            .remove(0);
        (answer, asking.asked_ear)
    };
    // Asked after tiny.en's own listening, told what it wrote; not wanted, not heard.
    let (answer, asked) = score(false);
    assert_eq!(asked.len(), 1, "the clinical ear loads beside tiny.en");
    assert_eq!(Some(&asked[0]), answer.again.as_ref());
    assert_eq!(answer.again_ear, None);
    // Wanted: the ear (tiny.en's decoder with the clinical adapter, on tiny.en's encoding of
    // the clip) writes the drug said, not the others its hint names.
    let (answer, _) = score(true);
    let ear = answer.again_ear.unwrap_or_default().to_lowercase();
    assert!(
        ear.contains("metformin") && !ear.contains("metoprolol") && !ear.contains("methotrexate"),
        "{ear}"
    );
    // The scores and tiny.en's own listening are the same either way.
    assert_eq!(answer.again, score(false).0.again);
}

#[test]
fn the_clinical_ear_reads_a_stretch_freely_and_changes_no_score() {
    let (transcript, samples) = s01();
    let (start, end) = find(&transcript, " increased her metformin to one");
    let clip = &samples[((start - 0.3) * 16_000.0) as usize..((end + 0.3) * 16_000.0) as usize];
    // The first pass's words as the draft, one of them misheard: the ear writes what was said.
    let reading = |t: &mut dictate::asr::transcribe::Transcriber| {
        t.read_by_ear(&[dictate::asr::score::Reading {
            samples: clip,
            prompt: "Dear Doctor Lewis, I have",
            draft: "increased her met for men to one",
            window: None,
        }])
        .unwrap()
    };
    let items = [Item {
        prefix: "I have".into(),
        texts: vec!["increased her metformin to one".into()],
        whole: false,
    }];
    let score = |t: &mut dictate::asr::transcribe::Transcriber| {
        t.score(
            &[dictate::asr::score::Clip {
                samples: clip,
                prompt: "Dear Doctor Lewis,",
                items: &items,
            }],
            &mut |_: usize, _: &[Scores]| None,
        )
        .unwrap()
        .remove(0)
        .scores
    };
    let mut t = transcriber().lock().unwrap_or_else(|e| e.into_inner());
    let fresh = score(&mut t);
    let read = reading(&mut t);
    let text = read[0].as_deref().unwrap_or_default().to_lowercase();
    assert!(
        text.contains("metformin") && text.contains("increased"),
        "the clinical ear read: {text}"
    );
    // Reading leaves the transcriber's own state as it was: the same scores after it.
    let after = score(&mut t);
    assert_eq!(fresh[0].audio.len(), 1);
    assert!(
        (fresh[0].audio[0] - after[0].audio[0]).abs() < 1e-6,
        "{fresh:?} against {after:?}"
    );
    drop(t);
    // Without the ear (`clinical_ear = false`), nothing is read.
    let options = dictate::asr::transcribe::DecodeOptions {
        clinical_ear: false,
        ..Default::default()
    };
    let mut plain = dictate::asr::transcribe::Transcriber::load(&model(), options).unwrap();
    assert_eq!(reading(&mut plain), [None]);
}

#[test]
fn the_clinical_ear_reads_the_first_pass_windows_without_encoding_them_again() {
    let samples = dictate::audio::load(&sample("s01_diabetes_clinic.wav"))
        .unwrap()
        .samples;
    let seconds = samples.len() as f64 / 16_000.0;
    let mut t = transcriber().lock().unwrap_or_else(|e| e.into_inner());
    // Only where asked (the terms pass asks; a bare transcript does not).
    t.keep_windows_for_ear(false);
    t.transcribe_piece(&samples, 0.0)
        .expect("transcription runs");
    assert!(t.kept_windows().is_empty());
    t.keep_windows_for_ear(true);
    let transcript = t
        .transcribe_piece(&samples, 0.0)
        .expect("transcription runs");
    // s01 is 37 s long: whisper.cpp hears it in two 30-second windows, the second from where
    // the first one's last whole segment ended; both kept, the last ending with the audio.
    let windows = t.kept_windows();
    assert_eq!(windows.len(), 2, "{windows:?}");
    assert_eq!(windows[0], (0.0, 30.0));
    assert!(windows[1].0 > 20.0 && windows[1].0 < 30.0, "{windows:?}");
    assert!((windows[1].1 - seconds).abs() < 0.01, "{windows:?}");
    // The second window's words, read by the ear in that window.
    let draft: Vec<String> = transcript
        .segments
        .iter()
        .filter(|s| s.start >= windows[1].0 - 0.05)
        .map(|s| s.text.clone())
        .collect();
    let draft = draft.join(" ");
    let encoded = t.time_split().windows;
    let read = t
        .read_by_ear(&[dictate::asr::score::Reading {
            samples: &samples[(windows[1].0 * 16_000.0) as usize..],
            prompt: "",
            draft: &draft,
            window: Some(windows[1].0),
        }])
        .unwrap();
    assert_eq!(
        t.time_split().windows,
        encoded,
        "the ear encoded audio again"
    );
    let text = read[0].as_deref().unwrap_or_default();
    // It reads what the first pass heard there (word for word, most of it), and no more.
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (ours, theirs) = (words(&draft), words(text));
    let shared = theirs.iter().filter(|w| ours.contains(w)).count();
    assert!(
        theirs.len() <= ours.len() + 4 && 4 * shared >= 3 * ours.len(),
        "the first pass wrote {draft:?}; the ear read {text:?}"
    );
    // A new recording forgets the last one's windows.
    t.transcribe(&samples[..16_000 * 5]).unwrap();
    assert!(t.kept_windows().is_empty());
    t.keep_windows_for_ear(false);
}

/// The scores of `items` in `clip` (after "Dear Doctor Lewis,"), with the shared model and no
/// second listening.
fn scores_in(clip: &[f32], items: &[Item]) -> Vec<dictate::asr::score::Scores> {
    let mut t = transcriber().lock().unwrap_or_else(|e| e.into_inner());
    t.score(
        &[dictate::asr::score::Clip {
            samples: clip,
            prompt: "Dear Doctor Lewis,",
            items,
        }],
        &mut |_: usize, _: &[Scores]| None,
    )
    .unwrap()
    .remove(0)
    .scores
}

#[test]
fn items_of_one_clip_score_as_they_would_alone() {
    // The items of a clip share the decoder's work on their common start (prompt, prefix): each
    // must score as it does when asked on its own.
    let (transcript, samples) = s01();
    let (start, end) = find(&transcript, " increased her metformin to one");
    let clip = &samples[((start - 0.3) * 16_000.0) as usize..((end + 0.3) * 16_000.0) as usize];
    let item = |prefix: &str, rest: &str| Item {
        prefix: prefix.into(),
        texts: ["metformin", "metoprolol"]
            .iter()
            .map(|d| format!("{rest}{d} to one"))
            .collect(),
        whole: false,
    };
    let items = [
        item("I have", "increased her "),
        item("I have increased", "her "),
        item("I have increased her", ""),
        item("I have", "increased her "),
    ];
    let score = |items: &[Item]| scores_in(clip, items);
    let together = score(&items);
    for (k, item) in items.iter().enumerate() {
        let alone = score(std::slice::from_ref(item)).remove(0);
        for (a, b) in [
            (&together[k].audio, &alone.audio),
            (&together[k].prior, &alone.prior),
        ] {
            for (x, y) in a.iter().zip(b) {
                assert!(
                    (x - y).abs() < 0.05,
                    "item {k}: {x:.3} together, {y:.3} alone ({a:?} against {b:?})"
                );
            }
        }
    }
}

#[test]
fn a_text_scores_the_sum_of_its_words_and_never_hears_the_other_texts() {
    // The texts of an item are decoded together in one call, each its own sequence, with every
    // position's logits kept (vendor/README.md). A text must score what its words score one at
    // a time (each after the words before it), and the same with or without the other texts.
    let (transcript, samples) = s01();
    let (start, end) = find(&transcript, " increased her metformin to one");
    let clip = &samples[((start - 0.3) * 16_000.0) as usize..((end + 0.3) * 16_000.0) as usize];
    let item = |prefix: &str, texts: &[&str]| Item {
        prefix: prefix.into(),
        texts: texts.iter().map(|t| (*t).to_owned()).collect(),
        whole: false,
    };
    let items = [
        item(
            "I have",
            &["increased her metformin", "increased her metoprolol"],
        ),
        item("I have", &["increased her metoprolol"]),
        item("I have", &["increased"]),
        item("I have increased", &["her"]),
        item("I have increased her", &["metformin"]),
    ];
    let scores = scores_in(clip, &items);
    for s in [
        |s: &dictate::asr::score::Scores| s.audio.clone(),
        |s: &dictate::asr::score::Scores| s.prior.clone(),
    ] {
        let whole = s(&scores[0])[0];
        let words: f64 = (2..5).map(|k| s(&scores[k])[0]).sum();
        assert!(
            (whole - words).abs() < 0.05,
            "`increased her metformin` scored {whole:.3}, its words one by one {words:.3}"
        );
        let (together, alone) = (s(&scores[0])[1], s(&scores[1])[0]);
        assert!(
            (together - alone).abs() < 0.05,
            "`increased her metoprolol` scored {together:.3} beside another text, {alone:.3} alone"
        );
    }
}

/// The record of s03's letter, made with the model.
fn s03_record() -> serde_json::Value {
    let dir = tempdir();
    dictate()
        .args(["letter", "--out"])
        .arg(dir.path())
        .arg(sample("s03_asthma_clinic.wav"))
        .assert()
        .success();
    serde_json::from_slice(&std::fs::read(dir.path().join("s03_asthma_clinic.json")).unwrap())
        .unwrap()
}

#[test]
fn a_term_found_by_nearness_is_weighed_against_the_recording_and_the_record_says_how() {
    // s03: Whisper writes the inhaler as "becloned to zone"; the pass finds beclometasone by
    // letters and sound, then asks the recording. Written or not, the record says what the
    // recording said, and the letter and its notes agree with the decision.
    let rec = s03_record();
    let find = |list: &str| {
        rec[list]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["term"] == "beclometasone")
            .cloned()
    };
    let (written, c) = match (find("corrections"), find("declined_corrections")) {
        (Some(c), None) => (true, c),
        (None, Some(c)) => (false, c),
        other => panic!("beclometasone should be in exactly one list: {other:?}"),
    };
    let audio = &c["audio"];
    let evidence = |s: &serde_json::Value| Scored::deserialize(s).unwrap().evidence();
    let chosen = &audio["terms"][audio["chosen"].as_u64().unwrap() as usize];
    assert_eq!(chosen["text"], "beclometasone");
    let margin = evidence(chosen) - evidence(&audio["heard"]);
    let allowance = audio["allowance"].as_f64().unwrap();
    // Written when the scores support it, or when a second, free listening wrote it too.
    let agreed = audio["hinted"]["wrote"] == audio["chosen"] && margin >= -16.0;
    assert_eq!(
        written,
        margin >= -allowance || agreed,
        "margin {margin}, allowance {allowance}, heard again: {}",
        audio["hinted"]
    );
    let text = rec["final_text"].as_str().unwrap();
    let (notes, letter) = text.split_once("\n\n").unwrap();
    let heard = c["heard"].as_str().unwrap();
    if written {
        assert!(letter.contains("beclometasone"), "{letter}");
    } else {
        // Left as heard, and the notes point the secretary at it.
        assert!(letter.contains(heard), "{letter}");
        assert!(notes.contains("perhaps beclometasone?"), "{notes}");
    }
}

#[test]
fn the_checks_score_through_the_eight_bit_vocabulary_copy_as_through_the_f16_weights() {
    // The checks take the decoder's vocabulary product from an 8-bit copy of the weights, each
    // scored token's logit computed again from the f16 weights (vendor/README.md): every score
    // in the records must be the f16 product's to within a tenth of a nat, and the letters the
    // same. DICTATE_NO_SCORING_Q8 keeps the f16 product.
    let dir = tempdir();
    let recordings = ["s01_diabetes_clinic.wav", "s03_asthma_clinic.wav"];
    let letters = |name: &str, f16: bool| {
        let out = dir.path().join(name);
        let mut cmd = dictate();
        if f16 {
            cmd.env("DICTATE_NO_SCORING_Q8", "1");
        }
        let run = cmd
            .args(["-vv", "--color", "never", "letter", "--out"])
            .arg(&out)
            .args(recordings.iter().map(|r| sample(r)))
            .assert()
            .success();
        let log = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
        let records: Vec<serde_json::Value> = recordings
            .iter()
            .map(|r| {
                let json = out.join(r.replace(".wav", ".json"));
                serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap()
            })
            .collect();
        (log, records)
    };
    let (log8, eight) = letters("q8", false);
    let (log16, f16) = letters("f16", true);
    assert!(log8.contains("vocabulary product 8-bit"), "{log8}");
    assert!(log16.contains("vocabulary product f16"), "{log16}");
    // Every score of every check, in the records' order.
    let scores = |rec: &serde_json::Value| -> Vec<(String, f64)> {
        let mut out = Vec::new();
        for list in ["corrections", "declined_corrections"] {
            for c in rec[list].as_array().into_iter().flatten() {
                let audio = &c["audio"];
                for s in std::iter::once(&audio["heard"])
                    .chain(audio["terms"].as_array().into_iter().flatten())
                {
                    for key in ["audio", "prior"] {
                        if let Some(x) = s[key].as_f64() {
                            out.push((format!("{} {key}", s["text"]), x));
                        }
                    }
                }
            }
        }
        out
    };
    let mut n = 0;
    for (a, b) in eight.iter().zip(&f16) {
        assert_eq!(a["final_text"], b["final_text"]);
        let (a, b) = (scores(a), scores(b));
        assert_eq!(a.len(), b.len(), "{a:?}\n{b:?}");
        for ((text, x), (_, y)) in a.iter().zip(&b) {
            assert!(
                (x - y).abs() < 0.1,
                "{text}: {x:.3} (8-bit) against {y:.3} (f16)"
            );
            n += 1;
        }
    }
    assert!(
        n >= 8,
        "only {n} scores in the records: the checks asked too little to compare"
    );
}

/// A practice directory holding `names`, written into `dir`.
fn directory(dir: &std::path::Path, names: &[&str]) -> std::path::PathBuf {
    let mut toml = String::new();
    for n in names {
        toml.push_str(&format!("[[directory]]\nname = \"{n}\"\n\n"));
    }
    let path = dir.join("site.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

/// Makes the letter for the sample `wav` into `out` with the site config `config`: its text and
/// the notes about its recipient (what was heard and taken, or a name the directory lacks).
fn letter_with_recipient_notes(
    out: &std::path::Path,
    config: &std::path::Path,
    wav: &str,
) -> (String, Vec<String>) {
    dictate()
        .args(["letter", "--out"])
        .arg(out)
        .arg("--overwrite")
        .arg("--config")
        .arg(config)
        .arg(sample(wav))
        .assert()
        .success();
    let stem = wav.rsplit_once('.').map_or(wav, |(s, _)| s);
    let rec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(format!("{stem}.json"))).unwrap()).unwrap();
    let text = rec["final_text"].as_str().unwrap().to_owned();
    let flags: Vec<String> = rec["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "recipient" || f["kind"] == "recipient_unknown")
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    (text, flags)
}

#[test]
fn a_recipient_whose_letters_match_no_one_is_chosen_from_the_directory_by_the_recording() {
    // s01 is dictated to Doctor Peter Lewis; Whisper writes "Peter the Zero Fluis", which no
    // directory name matches by its letters. Among the nearest names, the recording chooses.
    let dir = tempdir();
    let others = [
        "Dr Sarah Jones",
        "Dr Mark Evans",
        "Dr Priya Raman",
        "Dr Peter Lang",
        "Dr Rita Lowe",
        "Orthopaedic Department",
    ];
    let mut names = others.to_vec();
    names.push("Dr Peter Lewis");
    let config = directory(dir.path(), &names);
    let out = dir.path().join("letters");
    let letter = |config: &std::path::Path| {
        letter_with_recipient_notes(&out, config, "s01_diabetes_clinic.wav")
    };
    let (text, flags) = letter(&config);
    assert!(text.contains("Dr Peter Lewis"), "{text}");
    // The secretary is told what was heard and what was written.
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert!(
        flags[0].contains("heard as") && flags[0].contains("Dr Peter Lewis"),
        "{flags:?}"
    );
    let (notes, _) = text.split_once("\n\n").unwrap();
    assert!(notes.contains(&flags[0]), "not in the notes box: {notes}");
    // Without him in the directory, no one else is written in his place, and the notes say
    // the directory does not hold the name written.
    let config = directory(dir.path(), &others);
    let (text, flags) = letter(&config);
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert!(
        flags[0].contains("is not in the practice's directory"),
        "{flags:?}"
    );
    assert!(
        !others.iter().any(|n| text.contains(&format!("{n}\n"))),
        "{text}"
    );
}

#[test]
fn a_recipient_the_recording_cannot_tell_from_another_directory_name_is_checked_by_the_secretary() {
    // s03 is dictated to Doctor Mark Evans; Whisper writes "Mark Ivens", which the letters take
    // to be the directory's Dr Mark Evans. Where the practice also has a Dr Marc Evans, the two
    // sound the same: the letter keeps the nearest in letters and its notes name the other.
    let dir = tempdir();
    let out = dir.path().join("letters");
    let letter = |names: &[&str]| {
        let config = directory(dir.path(), names);
        letter_with_recipient_notes(&out, &config, "s03_asthma_clinic.wav")
    };
    let (text, flags) = letter(&["Dr Mark Evans", "Dr Marc Evans", "Dr Priya Raman"]);
    assert!(text.contains("Dr Mark Evans\n"), "{text}");
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert!(
        flags[0].contains("Dr Marc Evans") && flags[0].contains("cannot tell"),
        "{flags:?}"
    );
    let (notes, _) = text.split_once("\n\n").unwrap();
    assert!(notes.contains(&flags[0]), "not in the notes box: {notes}");
    // With no one like him in the directory, the note names no one else.
    let (text, flags) = letter(&["Dr Mark Evans", "Dr Priya Raman"]);
    assert!(text.contains("Dr Mark Evans\n"), "{text}");
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert!(!flags[0].contains("cannot tell"), "{flags:?}");
}

#[test]
fn confident_words_where_a_drug_is_expected_are_asked_of_the_recording_and_left_when_it_disagrees()
{
    // s03: "I have started a beclometasone inhaler two puffs" is heard as "... becloned to zone
    // in Halo 2 Puffs": confident words before a dose, where a drug's name is expected. The pass
    // puts the nearest term to the recording; the recording prefers the words as heard, so
    // they stay, unmarked (they were never in doubt), and the record keeps what was asked.
    let rec = s03_record();
    let asked: Vec<&serde_json::Value> = rec["declined_corrections"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["audio"]["by_place"] == true)
        .collect();
    let c = asked
        .iter()
        .find(|c| c["heard"].as_str().unwrap().contains("Halo"))
        .unwrap_or_else(|| panic!("no question about \"in Halo\": {asked:?}"));
    let evidence = |s: &serde_json::Value| Scored::deserialize(s).unwrap().evidence();
    let audio = &c["audio"];
    let chosen = &audio["terms"][audio["chosen"].as_u64().unwrap() as usize];
    assert!(
        evidence(chosen) < evidence(&audio["heard"]),
        "the recording should prefer the heard words: {audio}"
    );
    let term = c["term"].as_str().unwrap();
    let text = rec["final_text"].as_str().unwrap();
    assert!(!text.contains(term), "{term} written: {text}");
    assert!(text.contains("Halo"), "{text}");
    assert!(
        !text.contains(&format!("perhaps {term}")),
        "a confident word shown as a doubt: {text}"
    );
}

#[test]
fn a_sidecar_patient_the_recording_does_not_fit_is_told_apart_from_a_misspelling() {
    // s01 dictates "Patient Mrs Margaret Owen". One sidecar spells her "Margret" (the same
    // patient, another spelling); another names a different patient. The letters differ from
    // the dictation in both; the recording fits only the first.
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    for (name, patient) in [
        ("spelt", "Mrs Margret Owen"),
        ("other", "Mr Robert Fairclough"),
    ] {
        std::fs::copy(
            sample("s01_diabetes_clinic.wav"),
            inbox.join(format!("{name}.wav")),
        )
        .unwrap();
        std::fs::write(
            inbox.join(format!("{name}.json")),
            format!(r#"{{"patient": {{"name": "{patient}"}}}}"#),
        )
        .unwrap();
    }
    let out = dir.path().join("letters");
    dictate()
        .args(["letter", "--out"])
        .arg(&out)
        .arg(inbox.join("spelt.wav"))
        .arg(inbox.join("other.wav"))
        .assert()
        .success();
    let patient_note = |name: &str| {
        let rec: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{name}.json"))).unwrap())
                .unwrap();
        let flag = rec["flags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["message"].as_str().unwrap().starts_with("patient:"))
            .unwrap_or_else(|| panic!("no patient flag: {}", rec["flags"]))
            .clone();
        let text = rec["final_text"].as_str().unwrap().to_owned();
        let (notes, letter) = text.split_once("\n\n").unwrap();
        let message = flag["message"].as_str().unwrap().to_owned();
        assert!(notes.contains(&message), "not in the notes box: {notes}");
        (
            flag["kind"].as_str().unwrap().to_owned(),
            message,
            letter.to_owned(),
        )
    };
    let (kind, message, letter) = patient_note("spelt");
    assert_eq!(kind, "patient_heard", "{message}");
    assert!(message.contains("fits"), "{message}");
    assert!(
        letter.contains("Margret Owen"),
        "the sidecar's name is used: {letter}"
    );
    let (kind, message, letter) = patient_note("other");
    assert_eq!(kind, "sidecar_disagrees", "{message}");
    assert!(
        message.contains("does not fit") && message.contains("this patient"),
        "{message}"
    );
    assert!(letter.contains("Robert Fairclough"), "{letter}");
}

/// `dictate letter FILE` runs once per recording: the second of silence the checks score texts
/// over is encoded by the first run and read back by the next from the user's cache folder,
/// owner-only, and the letter is the same word for word.
#[test]
fn the_encoded_silence_is_kept_for_the_next_run_and_changes_no_word() {
    let cache = tempdir();
    let run = |out: &Path| {
        let (code, _, err) = finish(
            dictate()
                .env("XDG_CACHE_HOME", cache.path())
                .arg("-vv")
                .arg("letter")
                .arg(sample("s03_asthma_clinic.wav"))
                .arg("--out")
                .arg(out),
            600,
        );
        assert_eq!(code, Some(0), "{err}");
        assert!(
            err.contains("scored 1 clips"),
            "s03 should ask the recording about a term: {err}"
        );
        let docx = out.join("s03_asthma_clinic.docx");
        (docx_text(&docx), err)
    };
    let (first_out, second_out) = (tempdir(), tempdir());
    let (first, log) = run(first_out.path());
    assert!(!log.contains("from this machine's cache"), "{log}");
    let kept: Vec<_> = std::fs::read_dir(cache.path().join("dictate"))
        .expect("the cache folder is made")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let name = kept[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("silence-") && name.ends_with(".bin"),
        "{name}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&kept[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "owner-only: {mode:o}");
    }
    let (second, log) = run(second_out.path());
    assert!(log.contains("from this machine's cache"), "{log}");
    assert_eq!(first, second, "the same letter with the kept encoding");
}
