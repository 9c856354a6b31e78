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
        Desk::start_with(dir, token, None)
    }

    /// A desk with the practice config `config`.
    fn start_with(dir: &std::path::Path, token: &str, config: Option<&std::path::Path>) -> Desk {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dictate"));
        cmd.env_remove("DICTATE_CONFIG");
        if let Some(config) = config {
            cmd.arg("--config").arg(config);
        }
        let mut child = cmd
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

/// A letters folder holding the letter `dictate letter` makes of the sample s03 (real model).
fn s03_letter() -> tempfile::TempDir {
    let letters = tempdir();
    let (code, _, err) = finish(
        dictate()
            .arg("letter")
            .arg(sample("s03_asthma_clinic.wav"))
            .arg("--out")
            .arg(letters.path()),
        600,
    );
    assert_eq!(code, Some(0), "{err}");
    letters
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
    // Who it is about, to and from, as the letter's header lays them out.
    assert!(
        list[0]["patient"].as_str().unwrap().contains("Watson"),
        "{list:?}"
    );
    assert!(
        list[0]["recipient"].as_str().unwrap().contains("Mark"),
        "{list:?}"
    );
    assert!(
        list[0]["author"].as_str().unwrap().contains("Carter"),
        "{list:?}"
    );
    assert_eq!(list[0]["state"], "draft");
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

/// A WebDriver session of Debian's chromium (headless) through chromedriver on a free port;
/// both stopped when dropped.
struct Browser {
    driver: Child,
    session: String,
    base: String,
    /// chromium's profile: removed after the session ends (fields drop after `drop`).
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        for tool in ["chromium", "chromedriver"] {
            assert!(
                std::process::Command::new("sh")
                    .args(["-c", &format!("command -v {tool}")])
                    .output()
                    .is_ok_and(|o| o.status.success()),
                "the desk's browser test needs `{tool}`: apt-get install chromium chromium-driver \
                 (scripts/test.sh installs them)"
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let ready = (0..100).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            ureq::get(&format!("{base}/status")).call().is_ok()
        });
        assert!(ready, "chromedriver did not answer on port {port}");
        let profile = tempdir();
        let caps = serde_json::json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                // Through a pipe, not a local port: in a fresh Debian chroot chromedriver
                // could not reach the renderer over the port ("unable to connect to renderer").
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--remote-debugging-pipe",
                         "--autoplay-policy=no-user-gesture-required",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let answer = post(&format!("{base}/session"), &caps);
        let session = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {answer}"))
            .to_owned();
        Browser {
            driver,
            session,
            base,
            _profile: profile,
        }
    }

    fn call(&self, path: &str, body: &serde_json::Value) -> serde_json::Value {
        post(
            &format!("{}/session/{}{path}", self.base, self.session),
            body,
        )["value"]
            .clone()
    }

    fn open(&self, url: &str) {
        self.call("/url", &serde_json::json!({ "url": url }));
    }

    fn script(&self, js: &str) -> serde_json::Value {
        self.call(
            "/execute/sync",
            &serde_json::json!({ "script": js, "args": [] }),
        )
    }

    /// Waits (up to 10 s) until `js` returns something truthy, and returns it.
    fn wait_for(&self, js: &str) -> serde_json::Value {
        for _ in 0..100 {
            let v = self.script(js);
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the page never gave `{js}`");
    }

    /// The WebDriver id of the first element matching `css`.
    fn element(&self, css: &str) -> String {
        let found = self.call(
            "/element",
            &serde_json::json!({"using": "css selector", "value": css}),
        );
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no element `{css}`: {found}"))
            .to_owned()
    }

    /// Clicks the first element matching `css`, as a user does (WebDriver's element click).
    fn click(&self, css: &str) {
        let id = self.element(css);
        self.call(&format!("/element/{id}/click"), &serde_json::json!({}));
    }

    /// Presses and releases one key on the page (WebDriver's key codes: F9 is U+E039).
    fn press(&self, key: &str) {
        self.call(
            "/actions",
            &serde_json::json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
            ]}]}),
        );
    }

    /// Types `text` into the first element matching `css`, key by key.
    fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call(
            &format!("/element/{id}/value"),
            &serde_json::json!({ "text": text }),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn post(url: &str, body: &serde_json::Value) -> serde_json::Value {
    let text = match ureq::post(url)
        .set("Content-Type", "application/json")
        .send_string(&body.to_string())
    {
        Ok(r) => r.into_string().unwrap(),
        Err(ureq::Error::Status(code, r)) => panic!(
            "WebDriver answered {code} to {url}: {}",
            r.into_string().unwrap_or_default()
        ),
        Err(e) => panic!("no answer from WebDriver at {url}: {e}"),
    };
    serde_json::from_str(&text).unwrap()
}

#[test]
fn in_a_real_browser_a_word_plays_its_audio_and_an_edit_is_saved_and_approved() {
    let letters = s03_letter();
    // The practice's foot pedal sends F9 for play/pause; its vocabulary file takes new terms.
    let site = tempdir();
    let config = site.path().join("dictate.toml");
    std::fs::write(
        &config,
        "vocabulary = [\"site-terms.txt\"]\n[desk.keys]\nplay_pause = \"F9\"\n",
    )
    .unwrap();
    let desk = Desk::start_with(letters.path(), "browser-token", Some(&config));
    let browser = Browser::start();

    // The worklist, as the printed address opens it; then the letter, by its link.
    browser.open(&format!("{}/?token=browser-token", desk.base));
    browser.wait_for("return document.querySelectorAll('#letters tbody tr').length");
    browser.click("#letters tbody a");
    browser.wait_for("return location.pathname.startsWith('/letters/') && document.querySelectorAll('span.w').length");
    let title = browser.script("return document.getElementById('title').textContent");
    assert_eq!(title, "s03_asthma_clinic");
    // The audio element has the recording (its length known once its header is read).
    let duration = browser
        .wait_for(
            "const a = document.getElementById('audio'); return a.readyState >= 1 && a.duration",
        )
        .as_f64()
        .unwrap();
    assert!((duration - 35.0).abs() < 3.0, "duration {duration}");

    // A click on "asthma" plays from the time it was said.
    let start = browser
        .script(
            "const w = [...document.querySelectorAll('span.w[data-start]')]
               .find(s => s.textContent.toLowerCase().startsWith('asthma'));
             if (!w) return null; w.id = 'clicked'; return parseFloat(w.dataset.start);",
        )
        .as_f64()
        .expect("a timed word `asthma` on the page");
    browser.click("#clicked");
    let now = browser
        .wait_for(
            "const a = document.getElementById('audio'); return a.currentTime > 0 && a.currentTime",
        )
        .as_f64()
        .unwrap();
    assert!(
        now >= start - 0.01 && now < start + 5.0,
        "clicked a word said at {start:.2} s; the audio is at {now:.2} s"
    );

    // The foot pedal's key (F9, from the practice config) pauses and plays.
    browser.script("document.getElementById('audio').pause()");
    let keys = browser.script("return document.getElementById('keys').textContent");
    assert!(keys.as_str().unwrap().contains("F9 play/pause"), "{keys}");
    browser.press("\u{E039}");
    browser.wait_for("return !document.getElementById('audio').paused");
    browser.press("\u{E039}");
    browser.wait_for("return document.getElementById('audio').paused");

    // The secretary types her name, edits words in place, saves, and approves.
    browser.type_into("#name", "Sam Jones");
    browser.click("#edit");
    browser.script(
        "const w = document.getElementById('clicked'); w.textContent = 'brittle ' + w.textContent;",
    );
    // A mistyped NHS number is caught as she types; put right, it is accepted.
    let nhs = |digits: &str| {
        browser.script(&format!(
            "const w = [...document.querySelectorAll('span.w')].find(s => /^43\\d\\d$/.test(s.textContent));
             w.textContent = '{digits}';
             document.getElementById('letter').dispatchEvent(new Event('input', {{bubbles: true}}));
             return document.getElementById('nhs').textContent;"
        ))
    };
    let said = nhs("4307");
    assert!(
        said.as_str().unwrap().contains("fails the Modulus 11"),
        "{said}"
    );
    let said = nhs("4306");
    assert!(
        said.as_str().unwrap().contains("check digit correct"),
        "{said}"
    );
    // Over the inhaler (Whisper heard "becloned to zone"; the draft has beclometasone where the
    // recording made the pass write it, else the heard words), she types the brand the clinic uses.
    let typed = browser.script(BRAND_OVER_INHALER);
    assert_eq!(
        typed, true,
        "the draft has neither beclometasone nor \"becloned to zone\""
    );
    browser.click("#save");
    let said = browser.wait_for(
        "const m = document.getElementById('message').textContent; return m.startsWith('Saved') && m",
    );
    assert_eq!(said, "Saved as version 1.");
    // The new word is offered for the vocabulary; one click adds it.
    let offered = browser.wait_for(
        "const l = document.getElementById('learn'); return !l.hidden && l.querySelector('li strong').textContent",
    );
    assert_eq!(offered, "Beclazone");
    browser.click("#proposals button.accept");
    let said = browser.wait_for(
        "const m = document.getElementById('message').textContent; return m.startsWith('Added') && m",
    );
    assert!(said.as_str().unwrap().contains("site-terms.txt"), "{said}");
    let vocabulary = std::fs::read_to_string(site.path().join("site-terms.txt")).unwrap();
    assert!(
        vocabulary.contains("Beclazone = becloned to zone"),
        "{vocabulary}"
    );
    assert_eq!(
        browser.script("return document.getElementById('learn').hidden"),
        true
    );
    // The new word is shown as edited, with no time; the words around it keep theirs.
    let edited = browser.script(
        "return [...document.querySelectorAll('span.edited')].map(s => s.textContent + ':' + (s.dataset.start || ''))",
    );
    assert_eq!(edited, serde_json::json!(["brittle:", "Beclazone:"]));
    browser.click("#approve");
    let said = browser.wait_for(
        "const m = document.getElementById('message').textContent; return m.startsWith('Approved') && m",
    );
    assert!(
        said.as_str()
            .unwrap()
            .contains("approved/s03_asthma_clinic.docx"),
        "{said}"
    );
    let text = normalise(&pdf_text(
        &letters.path().join("approved/s03_asthma_clinic.docx"),
    ));
    assert!(text.contains("has brittle asthma"), "{text}");
    assert!(!text.contains("draft"), "{text}");
}

/// Sends `body` to the desk with `method` and the token: the status and the answer's text.
fn send(
    desk: &Desk,
    method: &str,
    path: &str,
    token: &str,
    body: &serde_json::Value,
) -> (u16, String) {
    let answer = ureq::request(method, &format!("{}{path}", desk.base))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "application/json")
        .send_string(&body.to_string());
    match answer {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => panic!("no answer from the desk: {e}"),
    }
}

#[test]
fn an_edit_is_kept_beside_the_draft_and_approval_writes_a_clean_final_letter() {
    let letters = s03_letter();
    let draft = letters.path().join("s03_asthma_clinic.docx");
    let draft_hash = sha256(&draft);
    let desk = Desk::start(letters.path(), "t");
    let id = "/api/letters/s03_asthma_clinic";
    let letter: serde_json::Value =
        serde_json::from_str(&desk.get(id, Some("t")).1.into_string().unwrap()).unwrap();
    assert_eq!(
        (letter["version"].as_u64(), letter["state"].as_str()),
        (Some(0), Some("draft"))
    );

    // The secretary changes "asthma" to "brittle asthma" and saves, as version 1.
    let mut document = letter["document"].clone();
    let word = document
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|b| b["lines"].as_array_mut().unwrap().iter_mut())
        .flat_map(|l| l.as_array_mut().unwrap().iter_mut())
        .find(|w| w["text"] == "asthma")
        .expect("the letter says asthma");
    word["text"] = "brittle asthma".into();
    let edit = serde_json::json!({"document": document, "editor": "Sam Jones", "based_on": 0});
    let (code, body) = send(&desk, "PUT", id, "t", &edit);
    assert_eq!(code, 200, "{body}");
    // A second save from a page that had not seen it is refused, not merged.
    let (code, body) = send(&desk, "PUT", id, "t", &edit);
    assert_eq!(code, 409, "{body}");
    assert!(body.contains("open the letter again"), "{body}");
    // No name, no save.
    let nameless = serde_json::json!({"document": document, "editor": " ", "based_on": 1});
    assert_eq!(send(&desk, "PUT", id, "t", &nameless).0, 400);

    // Kept beside the draft, with who and what changed; the draft untouched.
    let review: serde_json::Value = serde_json::from_slice(
        &std::fs::read(letters.path().join("review/s03_asthma_clinic.json")).unwrap(),
    )
    .unwrap();
    let v = &review["versions"][0];
    assert_eq!(v["editor"], "Sam Jones");
    let change = &v["changes"][0];
    assert!(
        change["before"].as_str().unwrap().contains("has asthma")
            && change["after"]
                .as_str()
                .unwrap()
                .contains("has brittle asthma"),
        "{change}"
    );
    assert_eq!(sha256(&draft), draft_hash, "the draft DOCX was changed");
    let list = desk.get("/api/letters", Some("t")).1.into_string().unwrap();
    assert!(list.contains("\"state\":\"edited\""), "{list}");

    // Approval writes the final letter: the edit in; no draft line, notes box or comments.
    let (code, body) = send(
        &desk,
        "POST",
        &format!("{id}/approve"),
        "t",
        &serde_json::json!({"editor": "Sam Jones", "based_on": 1}),
    );
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("approved/s03_asthma_clinic.docx"), "{body}");
    let approved = letters.path().join("approved/s03_asthma_clinic.docx");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&approved).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "owner-only: {mode:o}");
    }
    let text = normalise(&pdf_text(&approved));
    assert!(text.contains("has brittle asthma"), "{text}");
    assert!(
        text.contains("watson") && text.contains("yours sincerely"),
        "{text}"
    );
    assert!(
        !text.contains("draft") && !text.contains("notes for the secretary"),
        "{text}"
    );
    assert!(docx_part(&approved, "word/comments.xml").is_none_or(|c| !c.contains("Heard")));
    assert_eq!(sha256(&draft), draft_hash, "the draft DOCX was changed");

    // Approved again (reopened): both kept.
    let (code, body) = send(
        &desk,
        "POST",
        &format!("{id}/approve"),
        "t",
        &serde_json::json!({"editor": "Sam Jones", "based_on": 1}),
    );
    assert_eq!(code, 200, "{body}");
    assert!(letters
        .path()
        .join("approved/s03_asthma_clinic-2.docx")
        .is_file());
    assert!(approved.is_file());
    let list = desk.get("/api/letters", Some("t")).1.into_string().unwrap();
    assert!(list.contains("\"state\":\"approved\""), "{list}");
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The words of a letter's document, for finding one to edit.
/// Over s03's inhaler (tiny.en hears "becloned to zone"; the draft has beclometasone where the
/// recording made the terms pass write it, else the heard words), the secretary types the brand
/// the clinic uses: in the review desk's page, returning whether the inhaler was found ...
const BRAND_OVER_INHALER: &str = "const ws = [...document.querySelectorAll('span.w')];
     const t = ws.findIndex(s => s.textContent === 'beclometasone');
     if (t >= 0) { ws[t].textContent = 'Beclazone'; return true; }
     const i = ws.findIndex((s, k) => s.textContent === 'becloned' && ws[k + 1].textContent === 'to');
     if (i < 0) return false;
     ws[i].textContent = 'Beclazone'; ws[i + 1].textContent = ''; ws[i + 2].textContent = '';
     return true;";

/// ... and in a document's words (`text`: their texts), as the page would send it.
fn brand_over_inhaler(words: &mut [&mut serde_json::Value], text: &[String]) {
    if let Some(at) = text.iter().position(|w| w == "beclometasone") {
        words[at]["text"] = "Beclazone".into();
        return;
    }
    let at = text
        .windows(3)
        .position(|w| w.join(" ") == "becloned to zone")
        .unwrap_or_else(|| panic!("the draft has no inhaler: {text:?}"));
    words[at]["text"] = "Beclazone".into();
    words[at + 1]["text"] = "".into();
    words[at + 2]["text"] = "".into();
}

fn words_mut(document: &mut serde_json::Value) -> Vec<&mut serde_json::Value> {
    document
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|b| b["lines"].as_array_mut().unwrap().iter_mut())
        .flat_map(|l| l.as_array_mut().unwrap().iter_mut())
        .collect()
}

#[test]
fn a_word_the_secretary_types_that_the_lexicon_lacks_teaches_the_vocabulary() {
    let letters = s03_letter();
    let site = tempdir();
    let config = site.path().join("dictate.toml");
    // The practice names its vocabulary file (not made yet) and a foot pedal's keys.
    std::fs::write(
        &config,
        "vocabulary = [\"site-terms.txt\"]\n[desk.keys]\nplay_pause = \"F9\"\nback = \"F7\"\n",
    )
    .unwrap();
    let vocabulary = site.path().join("site-terms.txt");
    let desk = Desk::start_with(letters.path(), "t", Some(&config));
    assert!(
        vocabulary.is_file(),
        "the desk makes the named vocabulary file"
    );

    // The page gets the practice's keys (and the defaults for the rest).
    let settings = json(&desk.get("/api/desk", Some("t")).1.into_string().unwrap());
    assert_eq!(settings["keys"]["play_pause"], "F9");
    assert_eq!(settings["keys"]["back"], "F7");
    assert_eq!(settings["keys"]["forward"], "Ctrl+ArrowRight");

    let id = "/api/letters/s03_asthma_clinic";
    let letter = json(&desk.get(id, Some("t")).1.into_string().unwrap());
    assert_eq!(
        letter["proposals"],
        serde_json::json!([]),
        "a draft has no edits"
    );
    let mut document = letter["document"].clone();
    {
        let mut words = words_mut(&mut document);
        let text: Vec<String> = words
            .iter()
            .map(|w| w["text"].as_str().unwrap().to_owned())
            .collect();
        // Over the inhaler the secretary types the brand the clinic uses, a word no list here
        // holds; she also changes a dose's number and a common word, which teach nothing.
        brand_over_inhaler(&mut words, &text);
        let puffs = text.iter().position(|w| w == "2").expect("2 puffs");
        words[puffs]["text"] = "4".into();
        let has = text.iter().position(|w| w == "has").expect("has");
        words[has]["text"] = "had".into();
        // And she mistypes the NHS number's last digit.
        let nhs = text
            .iter()
            .position(|w| w == "4306")
            .expect("the NHS number");
        words[nhs]["text"] = "4307".into();
    }
    for b in document.as_array_mut().unwrap() {
        for l in b["lines"].as_array_mut().unwrap() {
            l.as_array_mut().unwrap().retain(|w| w["text"] != "");
        }
    }
    let (code, body) = send(
        &desk,
        "PUT",
        id,
        "t",
        &serde_json::json!({"document": document, "editor": "Sam Jones", "based_on": 0}),
    );
    assert_eq!(code, 200, "{body}");
    // The save says the NHS number fails its check; it is saved all the same, as typed.
    let saved = json(&body);
    assert!(
        saved["warnings"][0]
            .as_str()
            .unwrap()
            .contains("999 270 4307 fails the Modulus 11"),
        "{saved}"
    );

    // Only the unknown word that sounds like what was heard is proposed.
    let letter = json(&desk.get(id, Some("t")).1.into_string().unwrap());
    assert_eq!(
        letter["proposals"],
        serde_json::json!([{"term": "Beclazone", "heard": "becloned to zone"}])
    );
    let answer = |term: &str, editor: &str, accept: bool| {
        send(
            &desk,
            "POST",
            &format!("{id}/vocabulary"),
            "t",
            &serde_json::json!({"term": term, "editor": editor, "accept": accept}),
        )
    };
    assert_eq!(answer("Beclazone", "", true).0, 400, "no name, no answer");
    assert_eq!(answer("had", "Sam Jones", true).0, 409, "not proposed");
    let (code, body) = answer("Beclazone", "Sam Jones", true);
    assert_eq!(code, 200, "{body}");
    let text = std::fs::read_to_string(&vocabulary).unwrap();
    assert!(text.ends_with("\nBeclazone = becloned to zone\n"), "{text}");
    // Answered: not proposed again; the review file says who added it.
    let letter = json(&desk.get(id, Some("t")).1.into_string().unwrap());
    assert_eq!(letter["proposals"], serde_json::json!([]));
    let review = json(
        &std::fs::read_to_string(letters.path().join("review/s03_asthma_clinic.json")).unwrap(),
    );
    assert_eq!(review["learned"][0]["term"], "Beclazone");
    assert_eq!(review["learned"][0]["editor"], "Sam Jones");

    // The next letters use it: the terminology pass, with the practice config, writes the term
    // where the words are heard so.
    let draft = site.path().join("heard.txt");
    std::fs::write(
        &draft,
        "I have started a becloned to zone inhaler two puffs twice daily.\n",
    )
    .unwrap();
    let (code, out, err) = finish(
        dictate()
            .arg("--config")
            .arg(&config)
            .arg("terms")
            .arg(&draft),
        120,
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("\"becloned to zone\" -> Beclazone"), "{out}");

    // The folder's ledger has what was done at the desk.
    let (code, out, err) = finish(dictate().arg("status").arg(letters.path()), 60);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("review desk: 1 saved, 0 approved, 1 terms learned"),
        "{out}"
    );
}

#[test]
fn a_recording_a_browser_cannot_play_is_served_converted_and_bad_keys_are_refused() {
    // An AIFF recording (as some dictation software exports): browsers do not play AIFF.
    let letters = tempdir();
    let aiff = letters.path().join("s03.aiff");
    let made = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-i"])
        .arg(sample("s03_asthma_clinic.wav"))
        .arg(&aiff)
        .status()
        .expect("this test needs ffmpeg (scripts/test.sh installs it)");
    assert!(made.success());
    let (code, _, err) = finish(
        dictate()
            .arg("letter")
            .arg(&aiff)
            .arg("--out")
            .arg(letters.path()),
        600,
    );
    assert_eq!(code, Some(0), "{err}");
    let desk = Desk::start(letters.path(), "t");
    let (status, answer) = desk.get("/api/letters/s03/audio", Some("t"));
    assert_eq!(status, 200);
    assert!(
        answer.content_type().contains("wav"),
        "{}",
        answer.content_type()
    );
    let mut bytes = Vec::new();
    answer.into_reader().read_to_end(&mut bytes).unwrap();
    assert_eq!(&bytes[..4], b"RIFF", "a WAV copy");
    // 16 kHz mono 16-bit: 32,000 bytes a second, about the recording's 35 s.
    let seconds = (bytes.len() - 44) as f64 / 32_000.0;
    assert!((seconds - 35.4).abs() < 1.0, "{seconds} s");
    // And in parts, as the audio element asks.
    let part = ureq::get(&format!("{}/api/letters/s03/audio?token=t", desk.base))
        .set("Range", "bytes=0-99")
        .call()
        .unwrap();
    assert_eq!(part.status(), 206);
    // The recording is as it was.
    assert_eq!(&std::fs::read(&aiff).unwrap()[..4], b"FORM");

    // A config whose desk key the page could not match stops the desk before it starts.
    let config = letters.path().join("bad.toml");
    std::fs::write(&config, "[desk.keys]\nback = \"Ctrl+Left Arrow\"\n").unwrap();
    let (code, _, err) = finish(
        dictate()
            .arg("--config")
            .arg(&config)
            .args(["review", "--addr", "127.0.0.1:0"])
            .arg(letters.path()),
        60,
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("desk.keys.back") && err.contains("F9"),
        "{err}"
    );
}
