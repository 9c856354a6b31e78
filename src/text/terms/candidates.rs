//! Finding candidates: every window of one to four words that some term could stand for, with
//! how far its letters are from the term. Fixed forms come first (abbreviations re-cased, UK names
//! for older drug names, letters spelled out, a site's "heard as" forms); then windows holding a
//! doubtful word are compared with the terms of about the same sound, within a distance the
//! evidence allows. Nothing is decided here: overlapping candidates are weighed by `choose`.

use rphonetic::DoubleMetaphone;
use rustc_hash::FxHashMap as HashMap;

use super::check::AudioCheck;
use super::distance::{nearest_n, penalty, Heard};
use super::evidence::Evidence;
use super::lexicon::{english_tier, singulars, Lexicon, Source};
use super::words::{dose_follows, is_function_word, Word, LOW_P};

#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub from: usize,
    pub to: usize,
    pub entry: Option<usize>,
    pub abbreviation: Option<String>,
    pub d: f32,
    /// Other terms about as near (nearest first), for the recording to choose among.
    pub alternatives: Vec<usize>,
    /// What the recording said about it, once asked.
    pub audio: Option<AudioCheck>,
}

/// Other terms kept beside the nearest, for the recording to choose among.
const ALTERNATIVES: usize = 3;

/// How much farther than the distance allowed the other terms may be (the recording judges them,
/// and only a clear preference writes one).
const WIDER: f32 = 1.3;

impl Candidate {
    fn term(from: usize, to: usize, entry: usize, d: f32) -> Candidate {
        Candidate {
            from,
            to,
            entry: Some(entry),
            abbreviation: None,
            d,
            alternatives: Vec::new(),
            audio: None,
        }
    }

    fn abbreviation(from: usize, to: usize, abbreviation: String) -> Candidate {
        Candidate {
            from,
            to,
            entry: None,
            abbreviation: Some(abbreviation),
            d: 0.0,
            alternatives: Vec::new(),
            audio: None,
        }
    }
}

/// Every candidate in the transcript's words.
pub(super) fn find(ws: &[Word], ev: &Evidence, lex: &Lexicon) -> Vec<Candidate> {
    let mut finder = Finder {
        ws,
        ev,
        lex,
        dm: super::lexicon::encoder(),
        memo: HashMap::default(),
        cands: Vec::new(),
    };
    for i in 0..ws.len() {
        finder.fixed_forms(i);
        finder.windows_from(i);
    }
    finder.cands
}

struct Finder<'a> {
    ws: &'a [Word],
    ev: &'a Evidence,
    lex: &'a Lexicon,
    dm: DoubleMetaphone,
    /// The same misrecognition often comes back ("nephropic" four times): looked up once.
    memo: HashMap<(String, u32), Vec<(f32, usize)>>,
    cands: Vec<Candidate>,
}

impl Finder<'_> {
    fn joined(&self, from: usize, to: usize) -> String {
        self.ws[from..to].iter().map(|w| w.norm.as_str()).collect()
    }

    /// Forms known exactly: abbreviations, UK drug names, spelled-out abbreviations.
    fn fixed_forms(&mut self, i: usize) {
        let (ws, lex) = (self.ws, self.lex);
        // Abbreviations: same letters and digits, other casing.
        if let Some(abbr) = lex.abbreviations.get(&ws[i].norm) {
            let heard_caps = ws[i].core.chars().filter(|c| c.is_uppercase()).count() >= 2;
            let ordinary = english_tier(&ws[i].norm).is_some();
            if ws[i].core != *abbr && (heard_caps || !ordinary) {
                self.cands
                    .push(Candidate::abbreviation(i, i + 1, abbr.clone()));
            }
        }
        // UK drug names for older or North American ones, heard right ("acetaminophen").
        for n in 1..=3 {
            let end = i + n;
            if end > ws.len() || !self.ev.usable[i..end].iter().all(|&u| u) {
                break;
            }
            if let Some(&e) = lex.renames.get(&self.joined(i, end)) {
                self.cands.push(Candidate::term(i, end, e, 0.0));
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
            let joined = self.joined(i, end);
            if let Some(abbr) = lex.abbreviations.get(&joined) {
                let spelled = win.iter().any(|w| w.norm.len() <= 2);
                if spelled && english_tier(&joined).is_none() {
                    self.cands
                        .push(Candidate::abbreviation(i, end, abbr.clone()));
                }
            }
        }
    }

    /// Windows of one to four words starting at `i`, compared with the lexicon's terms.
    fn windows_from(&mut self, i: usize) {
        let ws = self.ws;
        for n in 1..=4 {
            let end = i + n;
            if end > ws.len() {
                break;
            }
            let win = &ws[i..end];
            if !self.ev.usable[i..end].iter().all(|&u| u) {
                break;
            }
            // A vocabulary file's "heard as" forms are the site's own word: always taken.
            let joined = self.joined(i, end);
            if let Some(&e) = self.lex.heard_as.get(&joined) {
                self.cands.push(Candidate::term(i, end, e, 0.0));
                continue;
            }
            if !self.ev.suspect[i..end].iter().any(|&s| s) {
                self.split_term_joined(i, end);
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
            if joined.len() < 4 || (n == 1 && self.lex.is_known(&joined)) {
                continue;
            }
            if let Some(&e) = self.lex.by_norm.get(&joined) {
                // Split words joined again ("hyper tension"); but a hyphenated compound is how a
                // UK letter writes it ("anti-inflammatory"): only a curated list joins one.
                let hyphenated = win[1..].iter().all(|w| w.hyphen_before);
                let curated = self.lex.entries[e].source != Source::MedicalDictionary;
                if n == 1 || !hyphenated || curated {
                    self.cands.push(Candidate::term(i, end, e, 0.0));
                }
                continue;
            }
            self.nearest_term(i, end, joined);
        }
    }

    /// Confident words: only a split term joined again ("hyper tension"), and not across the
    /// commonest words ("a typical day" stays).
    fn split_term_joined(&mut self, i: usize, end: usize) {
        let win = &self.ws[i..end];
        let joined = self.joined(i, end);
        let function_word = win
            .iter()
            .any(|w| english_tier(&w.norm).is_some_and(|t| t <= 10));
        if win.len() < 2 || joined.len() < 8 || function_word {
            return;
        }
        let lex = self.lex;
        if let Some(&e) = lex
            .by_norm
            .get(&joined)
            .filter(|&&e| lex.entries[e].source != Source::MedicalDictionary)
        {
            if win
                .windows(2)
                .all(|p| p[0].trail.is_empty() && p[1].lead.is_empty())
            {
                self.cands.push(Candidate::term(i, end, e, 0.0));
            }
        }
    }

    /// The nearest term to a doubtful window, if it is close enough and fits the window.
    fn nearest_term(&mut self, i: usize, end: usize, joined: String) {
        let (ws, lex) = (self.ws, self.lex);
        let win = &ws[i..end];
        let mut allowed =
            allowed_distance(lex, win, &self.ev.suspect[i..end], dose_follows(ws, end));
        if self.ev.maybe_name[i..end].iter().any(|&m| m) {
            allowed -= 0.10;
        }
        if allowed <= 0.0 {
            return;
        }
        let heard = Heard::new(&self.dm, joined);
        let found = self
            .memo
            .entry((heard.norm.clone(), allowed.to_bits()))
            .or_insert_with(|| nearest_n(lex, &heard, allowed * WIDER, ALTERNATIVES + 1))
            .clone();
        // The nearest decides whether the window is a term at all; the others are kept for the
        // recording to choose among.
        let Some(&(d, e)) = found
            .first()
            .filter(|&&(d, e)| d <= allowed && self.fits(i, end, &heard, d, e))
        else {
            return;
        };
        let mut c = Candidate::term(i, end, e, d);
        c.alternatives = found[1..]
            .iter()
            .filter(|&&(d, e)| self.fits(i, end, &heard, d, e))
            .map(|&(_, e)| e)
            .collect();
        self.cands.push(c);
    }

    /// Does term `e`, found at distance `d`, explain the window `i..end` as a whole?
    fn fits(&self, i: usize, end: usize, heard: &Heard, d: f32, e: usize) -> bool {
        let (ws, lex) = (self.ws, self.lex);
        let win = &ws[i..end];
        let n = win.len();
        // One and many of the same word is not a misrecognition.
        let target = &lex.entries[e].norm;
        if singulars(&heard.norm).any(|s| s == *target)
            || singulars(target).any(|s| s == heard.norm)
        {
            return false;
        }
        // Every word of the window must earn its place: "the gynaecology" is not a term
        // heard as two words when "gynaecology" alone is as close.
        let entry = &lex.entries[e];
        let without = |from: usize, to: usize| -> f32 {
            Heard::new(&self.dm, self.joined(from, to)).distance(entry) + penalty(entry.source)
        };
        if n > 1 && (without(i + 1, end) <= d || without(i, end - 1) <= d) {
            return false;
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
            return false;
        }
        // "is", "on", "a" at the edge of a window join a term only in a near-exact match
        // ("hydrocortis on"), not to make a far one fit ("calprotectin is").
        let small = |w: &Word| is_function_word(&w.norm);
        !(n > 1 && (small(&win[0]) || small(&win[n - 1])) && d > 0.15)
    }
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
