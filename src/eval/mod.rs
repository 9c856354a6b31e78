//! `dictate eval`: runs the whole pipeline on recordings that have answer keys and measures the
//! letters: term recall, identifiers, leftover spoken commands, word error rate, speed. It owns
//! the report's shape; the scoring itself is pure (`score`, `normalise`).

pub mod normalise;
pub mod score;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{ensure, Context, Result};
use serde::Serialize;

use crate::text::terms::Correction;
use score::{Identifiers, Key, Missed};

/// One recording with its answer key.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub audio: PathBuf,
    pub key: Key,
}

/// Every `<id>.wav` in `dir` that has an `<id>.expected.json` beside it, in name order.
pub fn cases(dir: &Path) -> Result<Vec<Case>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list `{}`", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("wav") {
            continue;
        }
        let Some(id) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        let key_path = dir.join(format!("{id}.expected.json"));
        if !key_path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&key_path)
            .with_context(|| format!("cannot read answer key `{}`", key_path.display()))?;
        let key: Key = serde_json::from_str(&text).with_context(|| {
            format!(
                "answer key `{}` is not valid (see ../shared/eval-dev/README.md)",
                key_path.display()
            )
        })?;
        out.push(Case {
            id,
            audio: path,
            key,
        });
    }
    ensure!(
        !out.is_empty(),
        "`{}` holds no recordings with answer keys (<id>.wav beside <id>.expected.json)",
        dir.display()
    );
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The measurements of one recording's letter.
#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    pub id: String,
    pub audio_seconds: f64,
    pub wall_seconds: f64,
    /// Seconds spent in the model (transcription); the rest of the wall time is the pipeline's.
    pub model_seconds: f64,
    pub rtf: f64,
    pub term_recall: f64,
    pub terms_found: usize,
    pub terms_total: usize,
    pub missed: Vec<Missed>,
    pub identifiers: Identifiers,
    pub leftover_commands: usize,
    pub wer: Option<f64>,
    #[serde(skip)]
    pub word_errors: Option<(usize, usize)>,
    /// What the terminology pass changed.
    pub corrections: Vec<Correction>,
    /// Seconds the terminology pass took.
    pub terms_seconds: f64,
    /// Why the letter could not be made, if it could not.
    pub error: Option<String>,
}

impl FileResult {
    pub fn new(
        id: &str,
        score: score::Score,
        audio: f64,
        wall: f64,
        model: f64,
        corrections: Vec<Correction>,
        terms_seconds: f64,
    ) -> Self {
        FileResult {
            id: id.to_owned(),
            audio_seconds: audio,
            wall_seconds: wall,
            model_seconds: model,
            rtf: wall / audio.max(1e-9),
            term_recall: ratio(score.terms_found, score.terms_total),
            terms_found: score.terms_found,
            terms_total: score.terms_total,
            missed: score.missed,
            identifiers: score.identifiers,
            leftover_commands: score.leftover_commands,
            wer: score.word_errors.map(|(e, n)| ratio(e, n)),
            word_errors: score.word_errors,
            corrections,
            terms_seconds,
            error: None,
        }
    }

    /// A recording whose letter failed: every term missed, nothing right.
    pub fn failed(case: &Case, error: String) -> Self {
        FileResult {
            id: case.id.clone(),
            audio_seconds: 0.0,
            wall_seconds: 0.0,
            model_seconds: 0.0,
            rtf: 0.0,
            term_recall: 0.0,
            terms_found: 0,
            terms_total: case.key.terms.len(),
            missed: Vec::new(),
            identifiers: Identifiers::default(),
            leftover_commands: 0,
            wer: None,
            word_errors: None,
            corrections: Vec::new(),
            terms_seconds: 0.0,
            error: Some(error),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub files: usize,
    pub failed: usize,
    pub term_recall: f64,
    pub terms_found: usize,
    pub terms_total: usize,
    pub identifiers_right: usize,
    pub identifiers_total: usize,
    /// Letters with every identifier right.
    pub letters_all_identifiers: usize,
    pub leftover_commands: usize,
    /// Word errors over all reference words.
    pub wer: Option<f64>,
    pub audio_seconds: f64,
    pub wall_seconds: f64,
    pub model_seconds: f64,
    pub rtf: f64,
    pub corrections: usize,
    pub terms_seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub dir: String,
    pub files: Vec<FileResult>,
    pub total: Totals,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

pub fn totals(files: &[FileResult]) -> Totals {
    let sum = |f: fn(&FileResult) -> f64| files.iter().map(f).sum::<f64>();
    let terms_found = files.iter().map(|f| f.terms_found).sum();
    let terms_total = files.iter().map(|f| f.terms_total).sum();
    let (errors, ref_words) = files
        .iter()
        .filter_map(|f| f.word_errors)
        .fold((0, 0), |(e, n), (fe, fnn)| (e + fe, n + fnn));
    let audio_seconds = sum(|f| f.audio_seconds);
    let wall_seconds = sum(|f| f.wall_seconds);
    Totals {
        files: files.len(),
        failed: files.iter().filter(|f| f.error.is_some()).count(),
        term_recall: ratio(terms_found, terms_total),
        terms_found,
        terms_total,
        identifiers_right: files.iter().map(|f| f.identifiers.right()).sum(),
        identifiers_total: files.len() * Identifiers::TOTAL,
        letters_all_identifiers: files
            .iter()
            .filter(|f| f.error.is_none() && f.identifiers.right() == Identifiers::TOTAL)
            .count(),
        leftover_commands: files.iter().map(|f| f.leftover_commands).sum(),
        wer: (ref_words > 0).then(|| ratio(errors, ref_words)),
        audio_seconds,
        wall_seconds,
        model_seconds: sum(|f| f.model_seconds),
        rtf: wall_seconds / audio_seconds.max(1e-9),
        corrections: files.iter().map(|f| f.corrections.len()).sum(),
        terms_seconds: sum(|f| f.terms_seconds),
    }
}

/// The report as a table for people.
pub fn table(report: &Report) -> String {
    let mut s = String::new();
    let ids = |i: &Identifiers| {
        let mark = |b: bool, c: char| if b { c } else { '-' };
        format!(
            "{}{}{}{}{}",
            mark(i.patient, 'P'),
            mark(i.dob, 'D'),
            mark(i.nhs, 'N'),
            mark(i.recipient, 'R'),
            mark(i.letter_type, 'T')
        )
    };
    let wer = |w: Option<f64>| w.map_or("-".to_owned(), |w| format!("{:.1}%", w * 100.0));
    let _ = writeln!(
        s,
        "{:<28} {:>12} {:>6} {:>5} {:>6} {:>7} {:>7} {:>6}",
        "file", "terms", "ids", "cmds", "WER", "audio s", "wall s", "RTF"
    );
    for f in &report.files {
        if let Some(e) = &f.error {
            let _ = writeln!(s, "{:<28} failed: {e}", f.id);
            continue;
        }
        let _ = writeln!(
            s,
            "{:<28} {:>5}/{:<2} {:>3.0}% {:>6} {:>5} {:>6} {:>7.1} {:>7.2} {:>6.3}",
            f.id,
            f.terms_found,
            f.terms_total,
            f.term_recall * 100.0,
            ids(&f.identifiers),
            f.leftover_commands,
            wer(f.wer),
            f.audio_seconds,
            f.wall_seconds,
            f.rtf
        );
    }
    let t = &report.total;
    let _ = writeln!(
        s,
        "{:<28} {:>5}/{:<2} {:>3.0}% {:>2}/{:<3} {:>5} {:>6} {:>7.1} {:>7.2} {:>6.3}",
        format!("total ({} files)", t.files),
        t.terms_found,
        t.terms_total,
        t.term_recall * 100.0,
        t.identifiers_right,
        t.identifiers_total,
        t.leftover_commands,
        wer(t.wer),
        t.audio_seconds,
        t.wall_seconds,
        t.rtf
    );
    let _ = writeln!(
        s,
        "letters with every identifier right: {}/{}; model {:.2} s, rest of the pipeline {:.2} s (terminology pass {:.3} s, {} corrections); ids: P patient, D date of birth, N NHS number, R recipient, T letter type",
        t.letters_all_identifiers,
        t.files,
        t.model_seconds,
        (t.wall_seconds - t.model_seconds).max(0.0),
        t.terms_seconds,
        t.corrections
    );
    let missed: Vec<&FileResult> = report
        .files
        .iter()
        .filter(|f| !f.missed.is_empty())
        .collect();
    let fixed: Vec<&FileResult> = report
        .files
        .iter()
        .filter(|f| !f.corrections.is_empty())
        .collect();
    if !fixed.is_empty() {
        let _ = writeln!(s, "\nterminology corrections (heard -> written):");
        for f in fixed {
            let list: Vec<String> = f
                .corrections
                .iter()
                .map(|c| format!("\"{}\" -> {}", c.heard, c.term))
                .collect();
            let _ = writeln!(s, "  {}: {}", f.id, list.join("; "));
        }
    }
    if !missed.is_empty() {
        let _ = writeln!(s, "\nmissed terms (what the letter has instead):");
        for f in missed {
            let list: Vec<String> = f
                .missed
                .iter()
                .map(|m| format!("{} -> \"{}\"", m.term, m.heard))
                .collect();
            let _ = writeln!(s, "  {}: {}", f.id, list.join("; "));
        }
    }
    s
}
