//! The terminology pass: finds the clinical term behind what Whisper wrote ("a pixa ban" ->
//! apixaban, "hyperkelemia" -> hyperkalaemia, "listen opril" -> lisinopril) and records every
//! change. A pure stage over the transcript: the `Lexicon` is loaded once by the caller (built-in
//! lists, the system's medical word list, the site's own vocabulary files), `correct` does no I/O.
//!
//! How a change is decided:
//! - Words are read from Whisper's tokens, with the lowest token probability of each word.
//! - A word is *suspect* when it is neither an English word nor a known term, or when Whisper gave it
//!   a low probability. Only windows of one to four words holding a suspect word are looked at, so a
//!   confident, ordinary word is never replaced on its own.
//! - A window's letters are compared with every term of about the same sound (Double Metaphone
//!   keys) by edit distance over both the sound key and the spelling; the distance allowed grows with
//!   the evidence (an unknown word, a low probability, a dose after a drug name, a site's own term)
//!   and shrinks for short terms and for windows of ordinary English words.
//! - Abbreviations are only re-cased ("EGFR" -> eGFR), never guessed.

mod distance;
mod lexicon;

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use distance::{nearest, penalty, Heard};
use lexicon::{encoder, english_tier, keys, norm, singulars};
pub use lexicon::{Lexicon, Source};

use crate::asr::transcript::{Segment, Transcript};

/// One change the pass made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    /// The words as Whisper wrote them.
    pub heard: String,
    /// The term written instead.
    pub term: String,
    /// Audio time of the heard words, seconds from the start of the recording.
    pub start: f64,
    pub end: f64,
    /// How sure the pass is (1 = the heard letters are the term's, 0 = nothing alike).
    pub confidence: f32,
    /// The lowest token probability Whisper gave the heard words, where known.
    pub heard_p: Option<f32>,
    pub source: Source,
}

/// The little words that glue sentences together.
fn is_function_word(n: &str) -> bool {
    matches!(
        n,
        "a" | "an"
            | "the"
            | "is"
            | "in"
            | "on"
            | "of"
            | "as"
            | "at"
            | "to"
            | "and"
            | "or"
            | "for"
            | "by"
            | "it"
            | "be"
            | "his"
            | "her"
            | "he"
            | "she"
            | "we"
            | "was"
            | "with"
    )
}

/// Spoken commands and their parts never belong to a term.
fn is_command_word(n: &str) -> bool {
    matches!(
        n,
        "comma"
            | "stop"
            | "fullstop"
            | "paragraph"
            | "colon"
            | "semicolon"
            | "bracket"
            | "brackets"
            | "hyphen"
            | "dash"
            | "slash"
            | "apostrophe"
            | "newline"
            | "quote"
            | "unquote"
    )
}

/// A word of the transcript, with what surrounds it.
#[derive(Debug, Clone)]
struct Word {
    seg: usize,
    /// Joined to the word before by a hyphen ("moderate-proctosigmoiditis" is read as two words).
    hyphen_before: bool,
    lead: String,
    core: String,
    trail: String,
    norm: String,
    p: Option<f32>,
    start: f64,
    end: f64,
}

/// Reads the words of each segment from its tokens (a token that starts with a space starts a
/// word), or from its text where there are no tokens.
fn words(t: &Transcript) -> Vec<Word> {
    let mut out = Vec::new();
    for (si, seg) in t.segments.iter().enumerate() {
        let mut pieces: Vec<(String, Option<f32>, f64, f64)> = Vec::new();
        let token_text: String = seg.tokens.iter().map(|t| t.text.as_str()).collect();
        if !seg.tokens.is_empty() && token_text.trim() == seg.text.trim() {
            for tok in &seg.tokens {
                let starts = tok.text.starts_with(char::is_whitespace) || pieces.is_empty();
                if starts {
                    pieces.push((tok.text.trim().to_owned(), Some(tok.p), tok.start, tok.end));
                } else if let Some(last) = pieces.last_mut() {
                    last.0.push_str(tok.text.trim());
                    last.1 = Some(last.1.map_or(tok.p, |p| p.min(tok.p)));
                    last.3 = tok.end;
                }
            }
        } else {
            for w in seg.text.split_whitespace() {
                pieces.push((w.to_owned(), None, seg.start, seg.end));
            }
        }
        for (text, p, start, end) in pieces {
            if text.is_empty() {
                continue;
            }
            let first = text
                .find(|c: char| c.is_alphanumeric())
                .unwrap_or(text.len());
            let last = text
                .rfind(|c: char| c.is_alphanumeric())
                .map_or(first, |i| {
                    i + text[i..].chars().next().map_or(1, char::len_utf8)
                });
            let (lead, rest) = text.split_at(first);
            let (core, trail) = rest.split_at(last.saturating_sub(first));
            let parts: Vec<&str> = core.split('-').collect();
            let split = parts.len() > 1 && parts.iter().all(|p| !norm(p).is_empty());
            let parts = if split { parts } else { vec![core] };
            let count = parts.len();
            for (k, part) in parts.into_iter().enumerate() {
                out.push(Word {
                    seg: si,
                    hyphen_before: k > 0,
                    lead: if k == 0 {
                        lead.to_owned()
                    } else {
                        String::new()
                    },
                    core: part.to_owned(),
                    trail: if k + 1 == count {
                        trail.to_owned()
                    } else {
                        String::new()
                    },
                    norm: norm(part),
                    p,
                    start,
                    end,
                });
            }
        }
    }
    out
}

/// Probability under which Whisper's own word is doubted.
const LOW_P: f32 = 0.5;

impl Candidate {
    fn term(from: usize, to: usize, entry: usize, d: f32) -> Candidate {
        Candidate {
            from,
            to,
            entry: Some(entry),
            abbreviation: None,
            d,
        }
    }

    fn abbreviation(from: usize, to: usize, abbreviation: String) -> Candidate {
        Candidate {
            from,
            to,
            entry: None,
            abbreviation: Some(abbreviation),
            d: 0.0,
        }
    }
}

#[derive(Debug, Clone)]
struct Candidate {
    from: usize,
    to: usize,
    entry: Option<usize>,
    abbreviation: Option<String>,
    d: f32,
}

fn is_unit(n: &str) -> bool {
    matches!(
        n,
        "mg" | "milligram"
            | "milligrams"
            | "microgram"
            | "micrograms"
            | "mcg"
            | "g"
            | "gram"
            | "grams"
            | "units"
            | "puffs"
            | "puff"
            | "drops"
            | "ml"
            | "mls"
            | "millilitres"
            | "milliliters"
            | "tablets"
            | "tablet"
            | "capsules"
            | "sachets"
            | "injections"
            | "mmol"
    )
}

fn is_number(w: &Word) -> bool {
    (!w.core.is_empty() && w.core.chars().all(|c| c.is_ascii_digit() || c == '.'))
        || matches!(
            w.norm.as_str(),
            "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "ten"
                | "twenty"
                | "fifty"
                | "hundred"
                | "half"
        )
}

/// Does a dose start at `at` ("75 milligrams", "2.5 mg", "micrograms")? A date ("22nd") or a
/// bare number is not one.
fn dose_follows(ws: &[Word], at: usize) -> bool {
    let Some(w) = ws.get(at) else {
        return false;
    };
    is_unit(&w.norm) || (is_number(w) && ws.get(at + 1).is_some_and(|u| is_unit(&u.norm)))
}

/// Finds the terms behind misrecognised words. Returns the transcript with the corrected text
/// (tokens stay as heard) and the list of changes.
pub fn correct(t: &Transcript, lex: &Lexicon) -> (Transcript, Vec<Correction>) {
    let ws = words(t);
    let dm = encoder();
    // A capitalised word inside a sentence is a name (a patient, a colleague, a street, a month):
    // never a target, whatever its sound.
    // Whisper also capitalises a drug name it does not know ("started Clopidogrol 75 milligrams"):
    // a long unknown word, or one before a dose, is not taken for a name.
    let name: Vec<bool> = (0..ws.len())
        .map(|i| {
            let capital = ws[i].core.chars().next().is_some_and(char::is_uppercase);
            let after_title = i > 0
                && matches!(
                    ws[i - 1].norm.as_str(),
                    "dr" | "mr" | "mrs" | "ms" | "miss" | "prof" | "professor" | "dear" | "sister"
                );
            let sentence_start = i == 0
                || (!after_title && ws[i - 1].trail.contains(['.', '?', '!', ':']))
                || matches!(
                    ws[i - 1].norm.as_str(),
                    "stop" | "paragraph" | "line" | "colon" | "fullstop"
                );
            let term_like =
                (ws[i].norm.len() >= 8 && !lex.word_known(&ws[i].core)) || dose_follows(&ws, i + 1);
            // A listed name, or a word after a title or after a listed first name, is a name
            // for certain; another capitalised word only maybe (see `maybe_name`).
            let listed = english_tier(&ws[i].norm) == Some(70)
                || (i > 0
                    && english_tier(&ws[i - 1].norm) == Some(70)
                    && ws[i - 1]
                        .core
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase));
            capital && !sentence_start && (after_title || (listed && !term_like))
        })
        .collect();
    // Words Whisper puts inside a person's name ("Dr Peter the zeroth Lewis") belong to the name
    // the secretary will correct from the audio, not to a clinical term: two name words at most
    // three words apart, with no sentence end between them, shield the words between.
    let name: Vec<bool> = (0..ws.len())
        .map(|i| {
            name[i]
                || (i.saturating_sub(3)..i).any(|j| {
                    name[j]
                        && (i + 1..(j + 4).min(ws.len())).any(|k| name[k])
                        && ws[j..i]
                            .iter()
                            .all(|w| !w.trail.contains(['.', '?', '!', ':']))
                })
        })
        .collect();
    let sentence_start: Vec<bool> = (0..ws.len())
        .map(|i| {
            i == 0
                || ws[i - 1].trail.contains(['.', '?', '!', ':'])
                || matches!(ws[i - 1].norm.as_str(), "stop" | "paragraph" | "line")
        })
        .collect();
    let maybe_name: Vec<bool> = (0..ws.len())
        .map(|i| {
            let capital = ws[i].core.chars().next().is_some_and(char::is_uppercase);
            let sentence_start = i == 0
                || ws[i - 1].trail.contains(['.', '?', '!', ':'])
                || matches!(ws[i - 1].norm.as_str(), "stop" | "paragraph" | "line");
            // Only a dose after it makes a capitalised word more likely a drug than a name
            // (long names are common: Portrush, Donnelly).
            capital && !sentence_start && !dose_follows(&ws, i + 1)
        })
        .collect();
    // Parts of spoken commands ("new" of "new paragraph") never join a term.
    let command: Vec<bool> = (0..ws.len())
        .map(|i| {
            let next = ws.get(i + 1).map_or("", |w| w.norm.as_str());
            is_command_word(&ws[i].norm)
                || (matches!(ws[i].norm.as_str(), "new" | "next")
                    && matches!(next, "paragraph" | "line"))
                || (ws[i].norm == "full" && next == "stop")
                || (matches!(ws[i].norm.as_str(), "open" | "close") && next.starts_with("bracket"))
        })
        .collect();
    let suspect: Vec<bool> = ws
        .iter()
        .zip(&name)
        .map(|(w, &name)| {
            !name
                && !w.norm.is_empty()
                && !w.norm.chars().all(|c| c.is_ascii_digit())
                && (!lex.word_known(&w.core) || w.p.is_some_and(|p| p < LOW_P))
        })
        .collect();
    let usable: Vec<bool> = ws
        .iter()
        .enumerate()
        .map(|(i, w)| {
            !name[i]
                && !command[i]
                && !w.norm.is_empty()
                && w.core.chars().any(char::is_alphabetic)
                && !w.core.chars().any(|c| c.is_ascii_digit())
        })
        .collect();

    let mut cands: Vec<Candidate> = Vec::new();
    let mut memo: HashMap<(String, u32), Option<(f32, usize)>> = HashMap::default();
    for i in 0..ws.len() {
        // Abbreviations: same letters and digits, other casing.
        if let Some(abbr) = lex.abbreviations.get(&ws[i].norm) {
            let heard_caps = ws[i].core.chars().filter(|c| c.is_uppercase()).count() >= 2;
            let ordinary = english_tier(&ws[i].norm).is_some();
            if ws[i].core != *abbr && (heard_caps || !ordinary) {
                cands.push(Candidate::abbreviation(i, i + 1, abbr.clone()));
            }
        }
        // UK drug names for older or North American ones, heard right ("acetaminophen").
        for n in 1..=3 {
            let end = i + n;
            if end > ws.len() || !usable[i..end].iter().all(|&u| u) {
                break;
            }
            let joined: String = ws[i..end].iter().map(|w| w.norm.as_str()).collect();
            if let Some(&e) = lex.renames.get(&joined) {
                cands.push(Candidate::term(i, end, e, 0.0));
            }
        }
        // Abbreviations spelled out letter by letter ("H.B., A1C", "e GFR").
        for n in 2..=4 {
            let end = i + n;
            if end > ws.len() {
                break;
            }
            let win = &ws[i..end];
            if win.iter().any(|w| w.core.len() > 4 || w.norm.is_empty()) {
                break;
            }
            let joined: String = win.iter().map(|w| w.norm.as_str()).collect();
            if let Some(abbr) = lex.abbreviations.get(&joined) {
                let spelled = win.iter().any(|w| w.norm.len() <= 2);
                if spelled && english_tier(&joined).is_none() {
                    cands.push(Candidate::abbreviation(i, end, abbr.clone()));
                }
            }
        }
        for n in 1..=4 {
            let end = i + n;
            if end > ws.len() {
                break;
            }
            let win = &ws[i..end];
            if !usable[i..end].iter().all(|&u| u) {
                break;
            }
            // A vocabulary file's "heard as" forms are the site's own word: always taken.
            let joined: String = win.iter().map(|w| w.norm.as_str()).collect();
            if let Some(&e) = lex.heard_as.get(&joined) {
                cands.push(Candidate::term(i, end, e, 0.0));
                continue;
            }
            if !suspect[i..end].iter().any(|&s| s) {
                // Confident words: only a split term joined again ("hyper tension"), and not
                // across the commonest words ("a typical day" stays).
                let joined: String = win.iter().map(|w| w.norm.as_str()).collect();
                let function_word = win
                    .iter()
                    .any(|w| english_tier(&w.norm).is_some_and(|t| t <= 10));
                if n >= 2 && joined.len() >= 8 && !function_word && end <= ws.len() {
                    if let Some(&e) = lex
                        .by_norm
                        .get(&joined)
                        .filter(|&&e| lex.entries[e].source != Source::MedicalDictionary)
                    {
                        if win
                            .windows(2)
                            .all(|p| p[0].trail.is_empty() && p[1].lead.is_empty())
                        {
                            cands.push(Candidate::term(i, end, e, 0.0));
                        }
                    }
                }
                continue;
            }
            // A window does not run over the end of a sentence or a clause.
            // (Whisper's own commas inside a term are noise: "Trank, Samic Acid".)
            if win[..n - 1]
                .iter()
                .any(|w| w.trail.contains(['.', ';', ':', '?', '!']))
                || win[1..].iter().any(|w| !w.lead.is_empty())
            {
                break;
            }
            let heard: String = win.iter().map(|w| w.norm.as_str()).collect();
            if heard.len() < 4 {
                continue;
            }
            if n == 1 && lex.is_known(&heard) {
                continue;
            }
            if let Some(&e) = lex.by_norm.get(&heard) {
                // Split words joined again ("hyper tension").
                cands.push(Candidate::term(i, end, e, 0.0));
                continue;
            }
            let mut allowed = allowed_distance(lex, win, &suspect[i..end], dose_follows(&ws, end));
            if maybe_name[i..end].iter().any(|&m| m) {
                allowed -= 0.10;
            }
            if allowed <= 0.0 {
                continue;
            }
            let heard = Heard::new(&dm, heard);
            // The same misrecognition often comes back ("nephropic" four times): look it up once.
            let found = *memo
                .entry((heard.norm.clone(), allowed.to_bits()))
                .or_insert_with(|| nearest(lex, &heard, allowed));
            let Some((d, e)) = found else {
                continue;
            };
            // One and many of the same word is not a misrecognition.
            let target = &lex.entries[e].norm;
            if singulars(&heard.norm).any(|s| s == *target)
                || singulars(target).any(|s| s == heard.norm)
            {
                continue;
            }
            // Every word of the window must earn its place: "the gynaecology" is not a term
            // heard as two words when "gynaecology" alone is as close.
            let entry = &lex.entries[e];
            let without = |from: usize, to: usize| -> f32 {
                let h: String = ws[from..to].iter().map(|w| w.norm.as_str()).collect();
                Heard::new(&dm, h).distance(entry) + penalty(entry.source)
            };
            if n > 1 && (without(i + 1, end) <= d || without(i, end - 1) <= d) {
                continue;
            }
            // A listed term heard right stays, whatever its neighbours ("and Montelukast"),
            // unless the whole window is nearly the longer term ("glycerol trinotrate").
            if d > 0.10
                && win.iter().any(|w| {
                    lex.by_norm
                        .get(&w.norm)
                        .is_some_and(|&k| lex.entries[k].source != Source::MedicalDictionary)
                        && !entry.norm.contains(&w.norm)
                })
            {
                continue;
            }
            // "is", "on", "a" at the edge of a window join a term only in a near-exact match
            // ("hydrocortis on"), not to make a far one fit ("calprotectin is").
            let small = |w: &Word| is_function_word(&w.norm);
            if n > 1 && (small(&win[0]) || small(&win[n - 1])) && d > 0.15 {
                continue;
            }
            {
                cands.push(Candidate::term(i, end, e, d));
            }
        }
    }

    // The closest matches first; among equals, the one that explains more words.
    cands.sort_by(|a, b| {
        a.d.total_cmp(&b.d)
            .then((b.to - b.from).cmp(&(a.to - a.from)))
            .then(a.from.cmp(&b.from))
    });
    let mut taken = vec![false; ws.len()];
    let mut chosen: Vec<Candidate> = Vec::new();
    for c in cands {
        if taken[c.from..c.to].iter().any(|&t| t) {
            continue;
        }
        taken[c.from..c.to].iter_mut().for_each(|t| *t = true);
        chosen.push(c);
    }
    chosen.sort_by_key(|c| c.from);

    // Rebuild the segments' text with the chosen changes.
    let mut out_words: Vec<Option<String>> = ws
        .iter()
        .map(|w| Some(format!("{}{}{}", w.lead, w.core, w.trail)))
        .collect();
    let mut corrections = Vec::new();
    for c in &chosen {
        let win = &ws[c.from..c.to];
        let (term, source) = match (&c.abbreviation, c.entry) {
            (Some(a), _) => (a.clone(), Source::Abbreviation),
            (None, Some(e)) => (lex.entries[e].term.clone(), lex.entries[e].source),
            (None, None) => continue,
        };
        let mut heard_core = String::new();
        for (k, w) in win.iter().enumerate() {
            if k > 0 {
                heard_core.push(if w.hyphen_before { '-' } else { ' ' });
            }
            heard_core.push_str(&w.core);
        }
        // Sentence-initial capital kept; a term's own casing otherwise.
        let starts_sentence = win[0].core.chars().next().is_some_and(char::is_uppercase)
            && sentence_start[c.from]
            && term.chars().next().is_some_and(char::is_lowercase)
            && source != Source::Abbreviation;
        let written = if starts_sentence {
            let mut ch = term.chars();
            ch.next()
                .map(|f| f.to_uppercase().chain(ch).collect())
                .unwrap_or_default()
        } else {
            term.clone()
        };
        if written == heard_core {
            continue;
        }
        out_words[c.from] = Some(format!(
            "{}{}{}",
            win[0].lead,
            written,
            win[win.len() - 1].trail
        ));
        for w in &mut out_words[c.from + 1..c.to] {
            *w = None;
        }
        corrections.push(Correction {
            heard: heard_core,
            term: written,
            start: win[0].start,
            end: win[win.len() - 1].end,
            confidence: (1.0 - c.d).clamp(0.0, 1.0),
            heard_p: win.iter().filter_map(|w| w.p).min_by(|a, b| a.total_cmp(b)),
            source,
        });
    }

    let mut segments: Vec<Segment> = t.segments.clone();
    let mut texts: Vec<Vec<String>> = vec![Vec::new(); segments.len()];
    for (w, text) in ws.iter().zip(out_words) {
        let Some(text) = text else { continue };
        match texts[w.seg].last_mut() {
            Some(prev) if w.hyphen_before => {
                prev.push('-');
                prev.push_str(&text);
            }
            _ => texts[w.seg].push(text),
        }
    }
    for (seg, words) in segments.iter_mut().zip(texts) {
        seg.text = words.join(" ");
    }
    (Transcript { segments }, corrections)
}

/// Do two names sound alike (Mensah / Menza)? Same Double Metaphone key, or keys one edit apart
/// with spellings not far apart.
pub fn sounds_alike(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let dm = encoder();
    let (ka, kb) = (keys(&dm, &a), keys(&dm, &b));
    let close_keys = ka.iter().any(|x| {
        kb.iter()
            .any(|y| !x.is_empty() && strsim::levenshtein(x, y) <= usize::from(x.len() > 3))
    });
    let spelling = strsim::levenshtein(&a, &b) as f32 / a.len().max(b.len()) as f32;
    close_keys && spelling <= 0.5
}

/// A word Whisper was unsure of.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsure {
    pub text: String,
    pub start: f64,
    pub p: f32,
}

/// The words whose lowest token probability is under `threshold`, in order: not the ones the
/// pass corrected, not spoken commands or numbers (those stages rewrite them), not little words.
pub fn unsure_words(t: &Transcript, corrections: &[Correction], threshold: f32) -> Vec<Unsure> {
    let ws = words(t);
    let corrected = |w: &Word| {
        corrections
            .iter()
            .any(|c| w.start < c.end - 0.01 && w.end > c.start + 0.01)
    };
    ws.iter()
        .enumerate()
        .filter(|(i, w)| {
            let next = ws.get(i + 1).map_or("", |n| n.norm.as_str());
            w.p.is_some_and(|p| p < threshold)
                && w.core.chars().count() >= 3
                && w.core.chars().all(|c| c.is_alphabetic() || c == '\'')
                && !is_command_word(&w.norm)
                && !is_function_word(&w.norm)
                && !(matches!(w.norm.as_str(), "new" | "next" | "full" | "falls" | "false")
                    && matches!(next, "paragraph" | "line" | "stop" | "top"))
                && !matches!(
                    w.norm.as_str(),
                    "kama" | "coma" | "common" | "falls" | "top" | "stop" | "dear"
                        // the header's keywords, which the template writes itself
                        | "number" | "date" | "birth" | "patient" | "letter" | "clinic"
                        | "referral" | "dictating" | "yours" | "sincerely" | "faithfully"
                )
                && !crate::text::numbers::is_number_word(&w.norm)
                && !corrected(w)
        })
        .map(|(_, w)| Unsure {
            text: w.core.clone(),
            start: w.start,
            p: w.p.unwrap_or(0.0),
        })
        .collect()
}

/// How far a window's letters may be from a term, from the evidence that they are wrong.
fn allowed_distance(lex: &Lexicon, win: &[Word], suspect: &[bool], dose_after: bool) -> f32 {
    let unknown = win.iter().filter(|w| !lex.word_known(&w.core)).count();
    let doubted = win.iter().any(|w| w.p.is_some_and(|p| p < LOW_P));
    let common = win
        .iter()
        .filter(|w| english_tier(&w.norm).is_some_and(|t| t <= 35))
        .count();
    let mut allowed: f32 = if unknown > 0 {
        0.30
    } else if doubted {
        // Only English words, Whisper doubted one of them: only a near-identical term
        // ("for two" is not Forteo).
        0.05
    } else {
        return 0.0;
    };
    // A window mostly of common words ("the orgestral") needs more evidence.
    if common * 2 > win.len() && unknown <= 1 {
        allowed -= 0.08;
    }
    if dose_after {
        allowed += 0.06;
    }
    if !suspect.iter().any(|&s| s) {
        return 0.0;
    }
    allowed
}

#[cfg(test)]
mod tests {
    use super::distance::Pattern;
    use super::*;
    use std::sync::LazyLock;

    fn lexicon() -> &'static Lexicon {
        static L: LazyLock<Lexicon> = LazyLock::new(Lexicon::builtin);
        &L
    }

    fn fix(text: &str) -> String {
        let t = Transcript {
            segments: vec![Segment {
                start: 0.0,
                end: 10.0,
                text: text.into(),
                no_speech_prob: 0.0,
                tokens: vec![],
            }],
        };
        correct(&t, lexicon()).0.text()
    }

    #[test]
    fn misheard_terms_are_corrected() {
        for (heard, want) in [
            (
                "She takes clopidogrol 75 mg daily.",
                "She takes clopidogrel 75 mg daily.",
            ),
            (
                "He is on adorvastatin 80 mg.",
                "He is on atorvastatin 80 mg.",
            ),
            (
                "start mezalazine 2.4 g daily",
                "start mesalazine 2.4 g daily",
            ),
            ("hyperkelemia on his bloods", "hyperkalaemia on his bloods"),
            ("continue listen opril 10 mg", "continue lisinopril 10 mg"),
            (
                "a trial of montalucas 10 mg",
                "a trial of montelukast 10 mg",
            ),
            ("known hyper tension", "known hypertension"),
            ("her EGFR is 45", "her eGFR is 45"),
            ("HBA1C of 58", "HbA1c of 58"),
            ("her H.B., A1C has improved", "her HbA1c has improved"),
            ("58 millimoles per mole", "58 millimoles per mole"),
            ("She is on a pixa ban 5 mg", "She is on apixaban 5 mg"),
            ("He takes bizo prolol 2.5 mg", "He takes bisoprolol 2.5 mg"),
            ("we started levetiracetum", "we started levetiracetam"),
            (
                "history of atrial fibrilation",
                "history of atrial fibrillation",
            ),
            ("she has hypo thyroidism", "she has hypothyroidism"),
            (
                "beclomethasone and albuterol",
                "beclometasone and salbutamol",
            ),
            ("paracetamol or acetaminophen", "paracetamol or paracetamol"),
        ] {
            assert_eq!(fix(heard), want, "heard: {heard}");
        }
    }

    #[test]
    fn right_words_are_left_alone() {
        for text in [
            "I saw this patient in clinic today with her husband.",
            "He has had chest pain on exertion for three months.",
            "Please could you arrange a review in the surgery.",
            "Her blood pressure was 130/80 and her pulse regular.",
            "We discussed the plan and she was happy with it.",
            "He lives alone and walks with a stick.",
            "No further action is needed; I have not arranged follow up.",
            "Continue atorvastatin and ramipril, stop the aspirin.",
            "The latest scan shows stable disease.",
            "Kind regards, yours sincerely.",
            // What Whisper wrote inside a name is the secretary's to fix from the audio.
            "a referral to Dr. Peter the zeroth Lewis at the sleep clinic",
        ] {
            assert_eq!(fix(text), text);
        }
    }

    #[test]
    fn vocabulary_file_adds_terms_and_heard_forms() {
        let mut lex = Lexicon::builtin();
        let n = lex
            .add_vocabulary_text("# clinic terms\nZorbatrin = sorb a train\nfoo-mab\n")
            .unwrap();
        assert_eq!(n, 2);
        let t = Transcript {
            segments: vec![Segment {
                start: 0.0,
                end: 3.0,
                text: "start sorb a train tomorrow".into(),
                no_speech_prob: 0.0,
                tokens: vec![],
            }],
        };
        let (out, changes) = correct(&t, &lex);
        assert_eq!(out.text(), "start Zorbatrin tomorrow");
        assert_eq!(changes[0].heard, "sorb a train");
        assert_eq!(changes[0].source, Source::Custom);
    }

    #[test]
    fn bit_parallel_distance_agrees_with_the_table() {
        let words = [
            "",
            "a",
            "ab",
            "clopidogrel",
            "clopidogrol",
            "azathioprine",
            "asatheoprene",
            "PRTKNS",
            "KLPTKRL",
            "xyz",
            "aaaaaaaaab",
            "baaaaaaaaa",
            "tranexamicacid",
            "trankxamicacid",
        ];
        for a in words {
            for b in words {
                if a.is_empty() {
                    continue;
                }
                assert_eq!(
                    Pattern::new(a).distance(b),
                    strsim::levenshtein(a, b),
                    "{a} / {b}"
                );
            }
        }
        let long = "x".repeat(70);
        assert_eq!(Pattern::new(&long).distance("xy"), 69);
    }

    #[test]
    fn bad_vocabulary_line_is_reported_with_its_number() {
        let mut lex = Lexicon::builtin();
        let e = lex.add_vocabulary_text("ok term\n= heard\n").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
