//! The review desk (`dictate review`), run as a user runs it over a folder of real letters (the
//! real model on a sample), asked over HTTP as a browser and other tools ask it.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};

use crate::support::*;

/// A desk over `dir` with token `token` on a free port; stopped when dropped.
struct Desk {
    child: Child,
    base: String,
}

impl Desk {
    fn start(dir: &std::path::Path, token: &str) -> Desk {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dictate"))
            .args(["review", "--addr", "127.0.0.1:0", "--token", token])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dictate review starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The first line is the address to open, token included.
        let url = first.trim().to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with(&format!("/?token={token}")),
            "first line: {url:?}"
        );
        let base = url.split("/?").next().unwrap().to_owned();
        Desk { child, base }
    }

    /// The answer's status and the answer (whatever its status).
    fn get(&self, path: &str, token: Option<&str>) -> (u16, ureq::Response) {
        let req = ureq::get(&format!("{}{path}", self.base));
        let answer = match token {
            Some(t) => req.set("Authorization", &format!("Bearer {t}")).call(),
            None => req.call(),
        };
        match answer {
            Ok(resp) => (resp.status(), resp),
            Err(ureq::Error::Status(code, resp)) => (code, resp),
            Err(e) => panic!("no answer from the desk: {e}"),
        }
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_desk_lists_letters_plays_each_words_audio_and_asks_for_its_token() {
    let letters = tempdir();
    let wav = sample("s03_asthma_clinic.wav");
    let (code, _, err) = finish(
        dictate()
            .arg("letter")
            .arg(&wav)
            .arg("--out")
            .arg(letters.path()),
        600,
    );
    assert_eq!(code, Some(0), "{err}");
    let desk = Desk::start(letters.path(), "s3cret-token");

    // Without the token, or with another, nothing: not the pages, not the API, not the audio.
    for path in ["/", "/api/letters", "/api/letters/s03_asthma_clinic/audio"] {
        assert_eq!(desk.get(path, None).0, 401, "{path}");
        assert_eq!(desk.get(path, Some("wrong")).0, 401, "{path}");
    }
    // The token in the address, as the printed line gives it, opens the worklist page.
    let page = ureq::get(&format!("{}/?token=s3cret-token", desk.base))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(page.contains("Letters to review"), "{page}");

    let list: serde_json::Value = desk
        .get("/api/letters", Some("s3cret-token"))
        .1
        .into_string()
        .map(|s| serde_json::from_str(&s).unwrap())
        .unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["id"], "s03_asthma_clinic");
    assert_eq!(list[0]["kind"], "clinic");
    assert_eq!(list[0]["recording"], "s03_asthma_clinic.wav");
    let seconds = list[0]["audio_seconds"].as_f64().unwrap();
    assert!(seconds > 20.0, "{seconds}");

    // The letter as laid out, each dictated word with its time in the recording.
    let letter: serde_json::Value = desk
        .get("/api/letters/s03_asthma_clinic", Some("s3cret-token"))
        .1
        .into_string()
        .map(|s| serde_json::from_str(&s).unwrap())
        .unwrap();
    let words: Vec<&serde_json::Value> = letter["document"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "paragraph")
        .flat_map(|b| b["lines"].as_array().unwrap())
        .flat_map(|l| l.as_array().unwrap())
        .collect();
    let text: Vec<&str> = words.iter().map(|w| w["text"].as_str().unwrap()).collect();
    let at = |word: &str| {
        words
            .iter()
            .find(|w| normalise(w["text"].as_str().unwrap()) == word)
            .and_then(|w| Some((w["start"].as_f64()?, w["end"].as_f64()?)))
            .unwrap_or_else(|| panic!("no timed `{word}` in {text:?}"))
    };
    // "Miss Watson has asthma which is poorly controlled" comes before "two puffs twice daily",
    // and both are inside the recording.
    let (asthma, twice) = (at("asthma"), at("twice"));
    assert!(
        asthma.0 < asthma.1 && asthma.1 <= twice.0,
        "{asthma:?} {twice:?}"
    );
    assert!(twice.1 <= seconds + 0.5, "{twice:?} past {seconds}");
    let timed = words.iter().filter(|w| w["start"].is_number()).count();
    assert!(
        timed * 10 >= words.len() * 7,
        "{timed} of {} paragraph words have a time: {text:?}",
        words.len()
    );

    // The recording, a part at a time as an audio element asks for it.
    let bytes = std::fs::read(&wav).unwrap();
    let part = ureq::get(&format!(
        "{}/api/letters/s03_asthma_clinic/audio?token=s3cret-token",
        desk.base
    ))
    .set("Range", "bytes=100-199")
    .call()
    .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.header("Content-Range"),
        Some(format!("bytes 100-199/{}", bytes.len()).as_str())
    );
    let mut got = Vec::new();
    part.into_reader().read_to_end(&mut got).unwrap();
    assert_eq!(got, bytes[100..200]);

    // Ids are looked up among the folder's records, never followed as paths.
    for id in [
        "nope",
        "..%2Fs03_asthma_clinic",
        "s03_asthma_clinic.json",
        "%2Fetc%2Fpasswd",
    ] {
        assert_eq!(
            desk.get(&format!("/api/letters/{id}"), Some("s3cret-token"))
                .0,
            404,
            "{id}"
        );
    }
}
