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
    let err = refused_at_start(&cfg, &dir.path().join("out"));
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

/// The words of a PDF page with their boxes (`pdftotext -bbox`): (word, x, y) in points from the
/// page's top left corner.
fn pdf_words(pdf: &std::path::Path) -> Vec<(String, f64, f64)> {
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let re =
        regex::Regex::new(r#"<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>"#).unwrap();
    re.captures_iter(&html)
        .map(|c| {
            (
                c[3].to_owned(),
                c[1].parse().unwrap(),
                c[2].parse().unwrap(),
            )
        })
        .collect()
}

/// The PDF LibreOffice makes of a DOCX, kept in `dir`.
fn to_pdf(docx: &std::path::Path, dir: &std::path::Path) -> std::path::PathBuf {
    let status = std::process::Command::new("soffice")
        .env("HOME", dir)
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx)
        .output()
        .expect("LibreOffice runs (libreoffice-writer-nogui)");
    let pdf = dir.join(docx.file_stem().unwrap()).with_extension("pdf");
    assert!(
        pdf.is_file(),
        "LibreOffice could not convert {}: {}",
        docx.display(),
        String::from_utf8_lossy(&status.stderr)
    );
    pdf
}

/// The logo: in the DOCX's media and drawn (300 pixels wide) on the PDF's first page.
fn assert_logo_shown(docx: &std::path::Path, pdf: &std::path::Path) {
    // The logo: in the DOCX's media and drawn on the first page.
    let names: Vec<String> = {
        let zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
        zip.file_names().map(str::to_owned).collect()
    };
    assert!(
        names.iter().any(|n| n.starts_with("word/media/")),
        "{names:?}"
    );
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(pdf)
        .output()
        .expect("pdfimages runs (poppler-utils)");
    let list = String::from_utf8_lossy(&images.stdout);
    assert!(
        list.lines()
            .skip(2)
            .any(|l| l.split_whitespace().nth(3) == Some("300")),
        "the 300-pixel logo in the PDF:\n{list}"
    );
}

const POINTS_PER_MM: f64 = 72.0 / 25.4;

#[test]
fn a_letter_for_the_post_has_its_address_in_the_window_dates_references_room_to_sign_and_the_logo()
{
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let wav = inbox.join("a.wav");
    std::fs::copy(sample("s02_knee_referral.wav"), &wav).unwrap();
    // Recorded on 3 December 2026 (the file's time: a WAV says no date of its own).
    let made = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_292_000);
    std::fs::File::options()
        .write(true)
        .open(&wav)
        .unwrap()
        .set_modified(made)
        .unwrap();
    std::fs::write(
        inbox.join("a.json"),
        r#"{"patient": {"name": "Mr Robert Fairclough", "hospital_number": "K1234567"},
            "recipient": {"name": "Dr Anne Mitchell",
                          "address": ["Oakwood Surgery", "2 Mill Lane", "Oakwood OK1 2AB"]},
            "our_ref": "KM/ORTH/77"}"#,
    )
    .unwrap();
    image::RgbImage::from_pixel(300, 100, image::Rgb([0, 48, 135]))
        .save(dir.path().join("logo.png"))
        .unwrap();
    let cfg = dir.path().join("dictate.toml");
    std::fs::write(
        &cfg,
        "[practice]\nname = \"Riverside Hospital NHS Trust\"\naddress = [\"1 River Road\"]\n\
         [letterhead]\nlogo = \"logo.png\"\nlogo_width_mm = 40\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    letter_with_config(&cfg, &wav, &out);
    let docx = out.join("a.docx");

    let pdf = to_pdf(&docx, dir.path());
    let text = String::from_utf8_lossy(
        &std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    let today = time::OffsetDateTime::now_local()
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .date();
    let typed = format!("{} {} {}", today.day(), today.month(), today.year());
    for want in [
        "Dictated: 3 December 2026".to_owned(),
        format!("Typed: {typed}"),
        "Our ref: KM/ORTH/77".to_owned(),
        "Hospital number: K1234567".to_owned(),
        "Riverside Hospital NHS Trust".to_owned(),
    ] {
        assert!(text.contains(&want), "{want} in:\n{text}");
    }
    let rec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("a.json")).unwrap()).unwrap();
    assert_eq!(
        rec["header"]["dictated_from"],
        "the recording file's modification time"
    );

    // The address where a DL window shows it: about 45 to 50 mm from the top, 20 to 25 mm from
    // the left, the address lines under the name.
    let words = pdf_words(&pdf);
    let at = |w: &str| {
        words
            .iter()
            .find(|(t, _, _)| t == w)
            .unwrap_or_else(|| panic!("{w} on page 1: {words:?}"))
    };
    let (_, x, y) = at("Mitchell");
    let (_, _, lane) = at("Mill");
    let (x, y) = (x / POINTS_PER_MM, y / POINTS_PER_MM);
    assert!(x > 19.0 && x < 60.0, "the name {x:.0} mm from the left");
    assert!(y > 44.0 && y < 52.0, "the name {y:.0} mm from the top");
    assert!(
        lane / POINTS_PER_MM < 47.0 + 35.0,
        "the address fits the window"
    );
    // Room to sign: the typed name at least four lines (about 16 mm) under the sign-off
    // ("Yours sincerely", which tiny.en hears as "Yours phase fallage" here).
    let (_, _, yours) = at("Yours");
    let signed = words
        .iter()
        .filter(|(_, _, y)| *y > *yours)
        .map(|(_, _, y)| *y)
        .fold(f64::MAX, f64::min);
    assert!(
        (signed - yours) / POINTS_PER_MM > 14.0,
        "{:.0} mm to sign in",
        (signed - yours) / POINTS_PER_MM
    );

    assert_logo_shown(&docx, &pdf);
    // No identifier in the file's properties.
    let core = docx_part(&docx, "docProps/core.xml").unwrap();
    for private in ["K1234567", "KM/ORTH", "Fairclough", "Robert"] {
        assert!(!core.contains(private), "{private} in {core}");
    }
}

#[test]
fn a_missing_logo_or_a_reference_that_is_no_docx_stops_the_run_before_any_work() {
    let dir = tempdir();
    let cfg = dir.path().join("dictate.toml");
    std::fs::write(dir.path().join("template.docx"), "not a zip").unwrap();
    for (config, said) in [
        ("[letterhead]\nlogo = \"nowhere.png\"\n", "nowhere.png"),
        ("reference_docx = \"template.docx\"\n", "template.docx"),
    ] {
        std::fs::write(&cfg, config).unwrap();
        let err = refused_at_start(&cfg, &dir.path().join("out"));
        assert!(err.contains(said), "{err}");
        assert!(!dir.path().join("out").exists(), "nothing written");
    }
}

#[test]
fn a_reference_document_gives_the_letter_its_styles_page_and_header() {
    let dir = tempdir();
    // A trust's template: Courier New as Normal, wide margins, its own header and footer.
    let reference = docx_rs::Docx::new()
        .default_fonts(
            docx_rs::RunFonts::new()
                .ascii("Courier New")
                .hi_ansi("Courier New"),
        )
        .add_style(
            docx_rs::Style::new("Heading1", docx_rs::StyleType::Paragraph)
                .name("heading 1")
                .color("C00000")
                .size(32),
        )
        .page_margin(
            docx_rs::PageMargin::new()
                .top(2268)
                .bottom(1701)
                .left(1985)
                .right(1985),
        )
        .header(
            docx_rs::Header::new().add_paragraph(
                docx_rs::Paragraph::new()
                    .add_run(docx_rs::Run::new().add_text("Westshire Trust Template")),
            ),
        )
        .footer(
            docx_rs::Footer::new().add_paragraph(
                docx_rs::Paragraph::new()
                    .add_run(docx_rs::Run::new().add_text("Westshire footer line")),
            ),
        )
        .add_paragraph(docx_rs::Paragraph::new());
    let mut bytes = std::io::Cursor::new(Vec::new());
    reference.build().pack(&mut bytes).unwrap();
    std::fs::write(dir.path().join("trust-template.docx"), bytes.into_inner()).unwrap();
    let cfg = dir.path().join("dictate.toml");
    std::fs::write(
        &cfg,
        "reference_docx = \"trust-template.docx\"\n[practice]\nname = \"Riverside\"\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    letter_with_config(&cfg, &sample("s03_asthma_clinic.wav"), &out);
    let docx = out.join("s03_asthma_clinic.docx");
    let styles = docx_part(&docx, "word/styles.xml").unwrap();
    assert!(styles.contains("Courier New"), "the reference's fonts");
    assert!(styles.contains("C00000"), "the reference's Heading 1");
    for own in [
        "w:styleId=\"ListBullet\"",
        "w:styleId=\"Signature\"",
        "w:styleId=\"Title\"",
    ] {
        assert!(styles.contains(own), "the letter's own {own} kept");
    }
    let document = docx_part(&docx, "word/document.xml").unwrap();
    assert!(
        document.contains("w:top=\"2268\""),
        "the reference's margins"
    );
    let text = pdf_text(&docx);
    assert!(text.contains("Westshire Trust Template"), "{text}");
    assert!(text.contains("Westshire footer line"), "{text}");
    assert!(
        !text.contains("Riverside"),
        "the reference's header, not the letterhead: {text}"
    );
    assert_says(&text, SAMPLES[2].1);
}

/// `dictate --config CFG letter WAV --out OUT`, which must succeed.
fn letter_with_config(cfg: &std::path::Path, wav: &std::path::Path, out: &std::path::Path) {
    let run = dictate()
        .arg("--config")
        .arg(cfg)
        .arg("letter")
        .arg(wav)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// `dictate --config CFG letter` of s03 into OUT, which must stop at start (exit 2): its stderr.
fn refused_at_start(cfg: &std::path::Path, out: &std::path::Path) -> String {
    let run = dictate()
        .arg("--config")
        .arg(cfg)
        .arg("letter")
        .arg(sample("s03_asthma_clinic.wav"))
        .arg("--out")
        .arg(out)
        .assert()
        .code(2);
    String::from_utf8_lossy(&run.get_output().stderr).into_owned()
}
