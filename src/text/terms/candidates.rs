//! Finding candidates: every window of one to four words that some term could stand for, with
//! how far its letters are from the term. Fixed forms come first (abbreviations re-cased, UK names
//! for older drug names, letters spelled out, a site's "heard as" forms); then windows holding a
//! doubtful word are compared with the terms of about the same sound, within a distance the
//! evidence allows. Nothing is decided here: overlapping candidates are weighed by `choose`.

use rphonetic::DoubleMetaphone;
use rustc_hash::FxHashMap as HashMap;

use super::check::{apart, AudioCheck};
use super::distance::{nearest_n, penalty, Heard, LONG_HEARD};
use super::evidence::Evidence;
use super::lexicon::{
    another_spelling, english_tier, holds, norm, phrase_key, singulars, Lexicon, Source,
};
use super::words::{dose_follows, drug_slot_at, is_function_word, Word, LOW_P};

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
    /// Found only by where it stands: confident English words where a drug's name is expected
    /// (see [`SLOT_DISTANCE`]). Written only where the recording agrees; never without it.
    pub slot: bool,
    /// Proposed by the clinical ear's reading (it wrote the term over these words; see
    /// `reading`), not found by the words' letters.
    pub ear: bool,
    /// What the clinical ear wrote over these words, where it read them.
    pub read: Option<String>,
}

/// Other terms kept beside the nearest, for the recording to choose among.
pub(super) const ALTERNATIVES: usize = 3;

/// How much farther than the distance allowed the other terms may be (the recording judges them,
/// and only a clear preference writes one).
pub(super) const WIDER: f32 = 1.3;

/// How far (letters, 0..1) the odd word of a phrase may be from the term's own word there
/// ([`Finder::phrase_term`]): "coding" is 0.29 from codeine, "ferris" 0.14 from ferrous.
const PHRASE_WORD: f32 = 0.4;

/// How near split words heard with confidence must come to a listed term to be put to the
/// recording as that term (see [`Finder::split_term_joined`]): one letter in ten, the same sound.
const SPLIT_SLIP: f32 = 0.06;

/// How far (0..1) confident English words in a drug's place ("started met from one gram",
/// "remains on form of troll") may be from a term to be put to the recording. Whisper writes a
/// drug it does not know as common words it is sure of, so nothing in the words themselves is
/// doubtful; the place is the evidence. On phrases that do stand before doses ("two tablets",
/// "once daily", "his dose of", "the patch") the nearest term is 0.37 or further.
const SLOT_DISTANCE: f32 = 0.30;

/// How much farther a term may be in a drug's place where one of the words is none the lists
/// know ("Lossar and 50 milligrams", 0.37 from losartan; "Alop your now 100 milligrams"): an
/// unknown word there is the drug's name half heard, where the common words before a dose are
/// all known.
const SLOT_UNKNOWN: f32 = 0.10;

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
            slot: false,
            ear: false,
            read: None,
        }
    }

    /// A term the clinical ear wrote over the words `from..to` (see `reading`).
    pub(super) fn by_ear(from: usize, to: usize, entry: usize, d: f32) -> Candidate {
        Candidate {
            ear: true,
            ..Candidate::term(from, to, entry, d)
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
            slot: false,
            ear: false,
            read: None,
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
        in_slot: false,
    };
    for i in 0..ws.len() {
        finder.fixed_forms(i);
        finder.windows_from(i);
    }
    let mut cands = finder.cands;
    cands.retain_mut(|c| !repeats_a_neighbour(c, ws, lex));
    cands
}

/// Would the candidate's term say again a word heard right beside its window? A phrase one
/// word longer than the window ("activated partial thrombo plastin" + "time": the term's last
/// word is the next word heard) would write that word twice; the window that holds it is the
/// candidate. The parts of a hyphenated word count as words: the clinical ear wrote
/// "age-related macular degeneration" over "related macular degeneration" after a heard "Age".
/// Such a term is left out of the alternatives, and the nearest other one takes its place (none:
/// no candidate).
pub(super) fn repeats_a_neighbour(c: &mut Candidate, ws: &[Word], lex: &Lexicon) -> bool {
    let after = ws.get(c.to).map(|w| w.norm.as_str());
    let before = c.from.checked_sub(1).map(|k| ws[k].norm.as_str());
    let repeats = |e: usize| {
        let words: Vec<String> = lex.entries[e]
            .term
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .map(norm)
            .collect();
        words.len() > 1
            && (after == words.last().map(String::as_str)
                || before == words.first().map(String::as_str))
    };
    c.alternatives.retain(|&e| !repeats(e));
    match c.entry {
        Some(e) if repeats(e) => {
            if c.alternatives.is_empty() {
                return true;
            }
            c.entry = Some(c.alternatives.remove(0));
            false
        }
        _ => false,
    }
}

struct Finder<'a> {
    ws: &'a [Word],
    ev: &'a Evidence,
    lex: &'a Lexicon,
    dm: DoubleMetaphone,
    /// The same misrecognition often comes back ("nephropic" four times): looked up once.
    memo: HashMap<(String, u32), Vec<(f32, usize)>>,
    cands: Vec<Candidate>,
    /// Looking in a drug's place (see [`Finder::slot_term`]).
    in_slot: bool,
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
        // UK drug names for older or North American ones, heard right ("acetaminophen"); not
        // where the body's own substance is measured ("free thyroxine", "oestradiol level":
        // the hormone, not the drug levothyroxine).
        for n in 1..=3 {
            let end = i + n;
            if end > ws.len() || !self.ev.usable[i..end].iter().all(|&u| u) {
                break;
            }
            let measured = i.checked_sub(1).is_some_and(|b| {
                matches!(ws[b].norm.as_str(), "free" | "total" | "serum" | "plasma")
            }) || ws.get(end).is_some_and(|w| {
                matches!(
                    w.norm.as_str(),
                    "level" | "levels" | "concentration" | "concentrations"
                )
            });
            if measured {
                continue;
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

    /// Windows of one to five words starting at `i`, compared with the lexicon's terms.
    fn windows_from(&mut self, i: usize) {
        let ws = self.ws;
        for n in 1..=5 {
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
                if drug_slot_at(ws, i) || dose_follows(ws, end) {
                    self.slot_term(i, end);
                }
                self.phrase_term(i, end);
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
                // Split words joined again ("hyper tension", "radio iodine"); but a hyphenated
                // compound is how a UK letter writes it ("anti-inflammatory"), and so is a
                // phrase of the commonest words ("follow up", not the word list's "followup"),
                // and words with a little word among them may be just those words ("cord is",
                // not the HPO's "cordis"): only a curated list joins those.
                let hyphenated = win[1..].iter().all(|w| w.hyphen_before);
                let phrase = win.iter().all(|w| english_tier(&w.norm) == Some(10));
                let little = win.iter().any(|w| is_function_word(&w.norm));
                let curated = self.lex.entries[e].source.joins_words();
                if n == 1 || !(hyphenated || phrase || little) || curated {
                    self.cands.push(Candidate::term(i, end, e, 0.0));
                }
                continue;
            }
            let before = self.cands.len();
            self.nearest_term(i, end, joined);
            // Known words Whisper doubted are let near a term by their letters only when all
            // but the same ("ferris fumarate" is not): one word off a listed phrase may be.
            if self.cands.len() == before {
                self.phrase_term(i, end);
            }
            // Doubted English words ("listen up role") are let near a term only when they are
            // all but its letters; in a drug's place the recording may judge a farther one.
            if drug_slot_at(ws, i) || dose_follows(ws, end) {
                self.slot_term(i, end);
            }
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
        if !win
            .windows(2)
            .all(|p| p[0].trail.is_empty() && p[1].lead.is_empty())
        {
            return;
        }
        if let Some(&e) = lex
            .by_norm
            .get(&joined)
            .filter(|&&e| lex.entries[e].source.joins_words())
        {
            self.cands.push(Candidate::term(i, end, e, 0.0));
            return;
        }
        // One letter off a long listed term, with its sound ("sensory neural": sensorineural),
        // and not across a hyphen (a compound as a UK letter writes it): for the recording.
        if joined.len() < 10 || win[1..].iter().any(|w| w.hyphen_before) {
            return;
        }
        let heard = Heard::new(&self.dm, joined);
        let found = nearest_n(lex, &heard, SPLIT_SLIP, 1);
        if let Some(&(d, e)) = found.first() {
            let entry = &lex.entries[e];
            // Each word must earn its place: "hyponatraemia I" is the term and the word after
            // it, not the term one letter off.
            let n = end - i;
            let short = |from: usize, to: usize| self.joined(from, to) == entry.norm;
            let spare = short(i + 1, end) || short(i, end - 1);
            if entry.source.joins_words()
                && entry.norm.len() >= 10
                && strsim::levenshtein(&heard.norm, &entry.norm) == 1
                && !(n > 1 && spare)
            {
                self.cands.push(Candidate::term(i, end, e, d));
            }
        }
    }

    /// Words that are a term of several words but one, the odd word near the term's own
    /// ("coding phosphate": codeine phosphate; "ferris fumarate": ferrous fumarate), heard
    /// with confidence or real words doubted (whose letters alone allow only a near-identical
    /// term): the other words place it, so it is put to the recording like a drug's place
    /// ([`slot`]). Where the odd word is a term heard as itself, only one letter off the
    /// phrase's own ("giant cell arthritis": arteritis); not where the words are a listed term as
    /// they stand ("sodium chloride", not chlorite), the odd word is a number, a little word or
    /// another form of the term's own word ("angled", "angle"); not where the words it shares are
    /// only little words, nor over a clause's end or a hyphen.
    ///
    /// [`slot`]: Candidate::slot
    fn phrase_term(&mut self, i: usize, end: usize) {
        let (ws, lex) = (self.ws, self.lex);
        let win = &ws[i..end];
        // A hyphenated compound is one word of a phrase, as the lexicon files a phrase's words
        // ("gastro-oesophageal reflux disease": three), and a window never cuts one.
        if win[0].hyphen_before || ws.get(end).is_some_and(|w| w.hyphen_before) {
            return;
        }
        let words = phrase_words(win);
        let n = words.len();
        if n < 2
            || win[..win.len() - 1].iter().any(|w| !w.trail.is_empty())
            || win[1..].iter().any(|w| !w.lead.is_empty())
        {
            return;
        }
        // Words that are a listed term as they stand are that term.
        let joined = words.concat();
        if lex.by_norm.contains_key(&joined) || lex.by_norm.contains_key(&self.joined(i, end)) {
            return;
        }
        for k in 0..n {
            let odd = words[k].as_str();
            if odd.len() < 3 || odd.chars().any(|c| c.is_ascii_digit()) || is_function_word(odd) {
                continue;
            }
            // A term heard as itself is odd only where it is one letter off the phrase's own
            // word: Whisper writes the commoner of two terms that differ by a letter
            // (dysphagia for dysphasia, arthritis for arteritis), and the phrase's other words
            // are the evidence for the rarer one.
            let listed = lex.by_norm.contains_key(odd);
            let placed = words
                .iter()
                .enumerate()
                .any(|(j, w)| j != k && w.len() >= 4 && !is_function_word(w));
            if !placed {
                continue;
            }
            let key = (n, k, phrase_key(words.iter().map(String::as_str), k));
            let Some(entries) = lex.phrases.get(&key) else {
                continue;
            };
            let heard = Heard::new(&self.dm, joined.clone());
            for &e in entries {
                let entry = &lex.entries[e];
                // Near, but not the same word in another form ("angled", "angle").
                let own = entry.term.split_whitespace().nth(k).map(norm);
                if own.is_none_or(|own| {
                    apart(odd, &own) > PHRASE_WORD
                        || odd.starts_with(&own)
                        || own.starts_with(odd)
                        || (listed && strsim::levenshtein(odd, &own) > 1)
                }) {
                    continue;
                }
                if self.respells_known(&words, e) {
                    continue;
                }
                let mut c =
                    Candidate::term(i, end, e, heard.distance(entry) + penalty(entry.source));
                c.slot = true;
                self.cands.push(c);
            }
        }
    }

    /// Confident words where a drug's name is expected: the nearest term within
    /// [`SLOT_DISTANCE`], for the recording to judge. Not across a sentence or clause, a number,
    /// or a word the lexicon holds as it stands, and not one English word alone.
    fn slot_term(&mut self, i: usize, end: usize) {
        let (ws, lex) = (self.ws, self.lex);
        let win = &ws[i..end];
        let n = win.len();
        if win[..n - 1].iter().any(|w| !w.trail.is_empty())
            || win[1..].iter().any(|w| !w.lead.is_empty())
            || win.iter().any(|w| lex.by_norm.contains_key(&w.norm))
            || win.iter().all(|w| is_function_word(&w.norm))
            // One real word, heard with confidence, is that word ("her inhaler" is not inhaled).
            || (n == 1 && english_tier(&win[0].norm).is_some())
        {
            return;
        }
        let mut allowed = SLOT_DISTANCE;
        if self.ev.unknown[i..end].iter().any(|&u| u) {
            allowed += SLOT_UNKNOWN;
        }
        if self.ev.maybe_name[i..end].iter().any(|&m| m) {
            allowed -= 0.10;
        }
        let joined = self.joined(i, end);
        self.in_slot = true;
        let found = self.nearest_within(i, end, joined, allowed);
        self.in_slot = false;
        if let Some(mut c) = found {
            c.slot = true;
            self.cands.push(c);
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
        if let Some(c) = self.nearest_within(i, end, joined, allowed) {
            self.cands.push(c);
        }
    }

    /// The nearest term to the window's letters within `allowed` that fits the window, with the
    /// other terms about as near.
    fn nearest_within(
        &mut self,
        i: usize,
        end: usize,
        joined: String,
        allowed: f32,
    ) -> Option<Candidate> {
        let lex = self.lex;
        let heard = Heard::new(&self.dm, joined);
        let found = self
            .memo
            .entry((heard.norm.clone(), allowed.to_bits()))
            .or_insert_with(|| nearest_n(lex, &heard, allowed * WIDER, ALTERNATIVES + 1))
            .clone();
        // The nearest decides whether the window is a term at all; the others are kept for the
        // recording to choose among.
        let &(d, e) = found
            .first()
            .filter(|&&(d, e)| d <= allowed && self.fits(i, end, &heard, d, e))?;
        let mut c = Candidate::term(i, end, e, d);
        c.alternatives = found[1..]
            .iter()
            .filter(|&&(d, a)| self.fits(i, end, &heard, d, a) && !another_spelling(lex, e, a))
            .map(|&(_, e)| e)
            .collect();
        Some(c)
    }

    /// Does term `e` only spell a window's words (as a phrase's words: [`phrase_words`])
    /// another way, word for word: where they differ, the heard word is one the lexicon holds as it
    /// stands (a listed or medical word, as a lone word that is never changed) with the term's
    /// sound keys? (An English word with the same keys may be another word: "ferris" fumarate.)
    /// Not where the heard word and the term's are both listed terms: the built lists keep one
    /// spelling of a curated term, so two listed words a letter apart are two words with keys
    /// alike ("reflex", "reflux"), for the recording to tell apart.
    fn respells_known(&self, words: &[String], e: usize) -> bool {
        let lex = self.lex;
        let term: Vec<String> = lex.entries[e].term.split_whitespace().map(norm).collect();
        if term.len() != words.len() {
            return false;
        }
        let listed = |w: &str| {
            lex.by_norm
                .get(w)
                .is_some_and(|&x| lex.entries[x].source != Source::MedicalDictionary)
        };
        let mut respelled = false;
        for (w, t) in words.iter().zip(&term) {
            if w == t {
                continue;
            }
            if !lex.is_known(w)
                || super::lexicon::keys(&self.dm, w) != super::lexicon::keys(&self.dm, t)
                || (listed(w) && listed(t))
            {
                return false;
            }
            respelled = true;
        }
        respelled
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
        // Nor one word holding the term's letters and more ("cutaneously" is not cutaneous).
        if n == 1 && holds(&heard.norm, target) {
            return false;
        }
        // Known words are not respelled: a term that says the same sounds with other letters
        // ("caesarean section", right, is not the HPO's "caesarian section") corrects no
        // mishearing, and the recording cannot tell spellings apart. (A US spelling of the term
        // is the spelling stage's to change.)
        if self.respells_known(&phrase_words(win), e) {
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
        // unless the whole window is nearly the longer term ("glycerol trinotrate"). A listed
        // word that is also an everyday English one ("flood", from "flood victim") is weaker
        // evidence: Whisper writes such words for the syllables of a name it does not know
        // ("flood recordosone 100 micrograms", fludrocortisone at 0.16).
        if win.iter().any(|w| {
            lex.by_norm
                .get(&w.norm)
                .is_some_and(|&k| lex.entries[k].source != Source::MedicalDictionary)
                && !entry.norm.contains(&w.norm)
                && d > if english_tier(&w.norm).is_some_and(|t| t <= 35) {
                    0.20
                } else {
                    0.10
                }
        }) {
            return false;
        }
        // "is", "on", "a" at the edge of a window join a term only in a near-exact match
        // ("hydrocortis on"), not to make a far one fit ("calprotectin is").
        // In a drug's place the recording judges: a little word whose sounds the term takes
        // ("or vested in": atorvastatin, "a delinumab": adalimumab) may be part of it.
        let small = |w: &Word| is_function_word(&w.norm);
        let edge = small(&win[0]) || small(&win[n - 1]);
        // A short word of the system's list is near only one heard word one letter off (see
        // `distance::SLIP`): "a cardic" is "a" and a cardiac, not acardiac.
        if n > 1 && entry.source == Source::MedicalDictionary && heard.norm.len() < LONG_HEARD {
            return false;
        }
        !(n > 1 && edge && d > 0.15 && !self.in_slot)
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

/// The words of a window as a phrase's words are filed ([`Lexicon::phrases`]): a hyphenated
/// compound is one word, and each is in UK spelling, as the phrase lists write them (Whisper's
/// "gastroesophageal" is the phrase's "gastro-oesophageal").
fn phrase_words(win: &[Word]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for w in win {
        match words.last_mut() {
            Some(last) if w.hyphen_before => last.push_str(&w.norm),
            _ => words.push(w.norm.clone()),
        }
    }
    words
        .into_iter()
        .map(|w| norm(&crate::text::spelling::british(&w)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asr::transcript::{Segment, Transcript};
    use std::sync::LazyLock;

    /// The test lexicon: the built-in lists and a word of the system's medical list, as a run
    /// has it.
    static LEX: LazyLock<Lexicon> = LazyLock::new(|| {
        let mut lex = Lexicon::builtin();
        lex.known
            .insert(super::super::lexicon::word_hash("caesarean"));
        lex
    });

    /// The term candidates found in `text` (by their place alone, if `slot`): (heard words, term).
    fn found_in(text: &str, slot: bool) -> Vec<(String, String)> {
        let t = Transcript {
            segments: vec![Segment {
                start: 0.0,
                end: 5.0,
                text: text.into(),
                no_speech_prob: 0.0,
                tokens: Vec::new(),
            }],
        };
        let ws = super::super::words::words(&t);
        let ev = super::super::evidence::weigh(&ws, &LEX);
        find(&ws, &ev, &LEX)
            .into_iter()
            .filter(|c| c.slot || !slot)
            .filter_map(|c| {
                let heard: Vec<&str> = ws[c.from..c.to].iter().map(|w| w.core.as_str()).collect();
                Some((heard.join(" "), LEX.entries[c.entry?].term.clone()))
            })
            .collect()
    }

    /// The candidates found in `text` by their place alone: (heard words, term).
    fn by_place(text: &str) -> Vec<(String, String)> {
        found_in(text, true)
    }

    /// Every term candidate found in `text`: (heard words, term).
    fn candidates_in(text: &str) -> Vec<(String, String)> {
        found_in(text, false)
    }

    #[test]
    fn a_known_word_is_not_respelled() {
        // The UK spelling heard is left as it is (the HPO's "caesarian section", the same sounds,
        // is no longer listed; `respells_known` keeps any other spelling of them out too).
        let terms =
            candidates_in("She had an emergency caesarean section under spinal anaesthetic.");
        assert!(
            !terms.iter().any(|(h, _)| h.contains("caesarean")),
            "{terms:?}"
        );
        // A misheard word near the term is a candidate for the UK spelling.
        let terms = candidates_in("She had an emergency caesarion section.");
        assert!(
            terms
                .iter()
                .any(|(_, t)| t == "caesarean section" || t == "emergency caesarean section"),
            "{terms:?}"
        );
        assert!(
            !terms.iter().any(|(_, t)| t.contains("caesarian")),
            "{terms:?}"
        );
    }

    #[test]
    fn confident_words_where_a_drug_is_expected_are_put_to_the_recording() {
        let found = by_place("She has started met from one gram twice daily.");
        assert!(
            found.contains(&("met from one".into(), "metformin".into())),
            "{found:?}"
        );
        let found = by_place("I have stopped his listen-up role because of hyperkalaemia.");
        assert!(
            found.contains(&("listen up role".into(), "lisinopril".into())),
            "{found:?}"
        );
        // A dose after it, and a little word whose sounds the drug takes.
        let found = by_place("We will start a delinumab 40 milligrams fortnightly.");
        assert!(
            found.contains(&("a delinumab".into(), "adalimumab".into())),
            "{found:?}"
        );
    }

    #[test]
    fn a_term_of_several_words_heard_with_one_word_near_is_put_to_the_recording() {
        for (text, heard, term) in [
            (
                "Paracetamol and coding phosphate as required.",
                "coding phosphate",
                "codeine phosphate",
            ),
            (
                "I have started ferris fumarate today.",
                "ferris fumarate",
                "ferrous fumarate",
            ),
        ] {
            let found = by_place(text);
            assert!(found.contains(&(heard.into(), term.into())), "{found:?}");
        }
        // Real words Whisper doubted: their letters alone allow only a near-identical term.
        let heard = [
            ("started", 0.9),
            ("ferris", 0.45),
            ("fumarate", 0.45),
            ("full", 0.9),
        ];
        assert!(found(&heard, &[]).contains(&"ferrous fumarate".to_owned()));
        // The odd word a term heard as itself, one letter off the phrase's own: Whisper wrote
        // the commoner term.
        for (text, heard, term) in [
            (
                "I suspect giant cell arthritis today.",
                "giant cell arthritis",
                "giant cell arteritis",
            ),
            (
                "She has a mild expressive dysphagia.",
                "expressive dysphagia",
                "expressive dysphasia",
            ),
            // A compound, closed as Whisper writes it or hyphenated as UK letters do, is one
            // word of the phrase; the odd word a listed term whose sound keys are the phrase's
            // own (reflex, reflux) is another word, not another spelling of it.
            (
                "He has gastroesophageal reflex disease.",
                "gastroesophageal reflex disease",
                "gastro-oesophageal reflux disease",
            ),
            (
                "He has gastro-oesophageal reflex disease.",
                "gastro oesophageal reflex disease",
                "gastro-oesophageal reflux disease",
            ),
        ] {
            let found = by_place(text);
            assert!(found.contains(&(heard.into(), term.into())), "{found:?}");
        }
        // Words that are a listed phrase as they stand, the term itself hyphenated, another form
        // of the term's word: left alone.
        for (text, term) in [
            ("He was given sodium chloride today.", "sodium chlorite"),
            ("This is a ureteral obstruction.", "urethral obstruction"),
            (
                "Primary open-angle glaucoma.",
                "primary open angle glaucoma",
            ),
            (
                "Primary open angled glaucoma.",
                "primary open angle glaucoma",
            ),
        ] {
            let found = by_place(text);
            assert!(found.iter().all(|(_, t)| t != term), "{found:?}");
        }
    }

    #[test]
    fn a_dose_is_read_however_whisper_wrote_its_number() {
        // "digoxin 125 micrograms" said "one hundred and twenty-five"; "5,000 units"; "40mg".
        for (text, heard, term) in [
            (
                "He should continue digics in 100 and 25mg daily.",
                "digics in",
                "digoxin",
            ),
            (
                "He should continue digics in 100 and 25 micrograms daily.",
                "digics in",
                "digoxin",
            ),
        ] {
            let found = candidates_in(text);
            assert!(
                found.contains(&(heard.into(), term.into())),
                "{text}: {found:?}"
            );
        }
        let t = Transcript {
            segments: vec![Segment {
                start: 0.0,
                end: 5.0,
                text: "given 5,000 units, 40mg, 2.5mg and 100 and 25 micrograms, 100 and 25 \
                       patients"
                    .into(),
                no_speech_prob: 0.0,
                tokens: Vec::new(),
            }],
        };
        let ws = super::super::words::words(&t);
        let doses: Vec<&str> = (0..ws.len())
            .filter(|&i| dose_follows(&ws, i))
            .map(|i| ws[i].core.as_str())
            .collect();
        assert_eq!(
            doses,
            ["5,000", "units", "40mg", "2.5mg", "100", "25", "micrograms"]
        );
    }

    #[test]
    fn a_term_heard_with_an_h_before_it_or_without_its_h_is_found() {
        // Double Metaphone keys "herbisartin" with an H and irbesartan with a vowel: the search by
        // first sound had never compared them.
        for (text, heard, term) in [
            (
                "He will start herbisartin 100 milligrams daily.",
                "herbisartin",
                "irbesartan",
            ),
            ("He has ipertension.", "ipertension", "hypertension"),
        ] {
            let found = candidates_in(text);
            assert!(found.contains(&(heard.into(), term.into())), "{found:?}");
        }
    }

    #[test]
    fn capitalised_words_before_a_dose_are_a_drug_not_a_name() {
        // Two capitalised words, the first a listed first name, before "in 5,000 units": a
        // drug Whisper did not know, not a person.
        let found = candidates_in("Dalteparin was given, and Delta Para in 5,000 units daily.");
        assert!(
            found.contains(&("Delta Para in".into(), "dalteparin".into())),
            "{found:?}"
        );
        // A name with no dose after it stays a name.
        let found = candidates_in("She was seen by Delta Para in clinic.");
        assert!(found.iter().all(|(_, t)| t != "dalteparin"), "{found:?}");
    }

    #[test]
    fn an_unknown_word_in_a_drugs_place_lets_a_farther_term_be_put_to_the_recording() {
        // "Lossar and" is 0.37 from losartan: farther than confident words in a drug's place
        // may be, but "Lossar" is no word the lists know.
        let found = by_place("I have switched it to Lossar and 50 milligrams daily.");
        assert!(
            found.contains(&("Lossar and".into(), "losartan".into())),
            "{found:?}"
        );
    }

    #[test]
    fn an_everyday_word_the_lists_hold_does_not_keep_a_near_term_out() {
        // "flood" is a listed term (medwer's "flood") and an everyday word: beside an unknown
        // word, fludrocortisone at 0.16 is a candidate.
        let heard = [
            ("with", 0.9),
            ("flood", 0.83),
            ("recordosone", 0.12),
            ("100", 0.97),
            ("micrograms", 0.9),
        ];
        assert!(found(&heard, &[]).contains(&"fludrocortisone".to_owned()));
    }

    #[test]
    fn what_usually_stands_before_a_dose_is_not_a_drug() {
        for text in [
            "He takes two tablets 40 milligrams daily.",
            "Continue the same 10 milligrams once daily.",
            "She has started her inhaler, two puffs twice daily.",
            "Increase his dose of 5 milligrams at night.",
            "He has stopped smoking.",
            "She takes aspirin 75 milligrams daily.",
        ] {
            assert_eq!(by_place(text), Vec::<(String, String)>::new(), "{text}");
        }
    }

    /// The terms found in `words` (each heard with its probability), with the system's medical
    /// word list holding `listed`.
    fn found(words: &[(&str, f32)], listed: &[&str]) -> Vec<String> {
        let lex = Lexicon::builtin_with_medical_words(listed);
        let ws = super::super::words::words(&Transcript::one_word_a_second(words));
        let ev = super::super::evidence::weigh(&ws, &lex);
        find(&ws, &ev, &lex)
            .into_iter()
            .filter_map(|c| Some(lex.entries[c.entry?].term.clone()))
            .collect()
    }

    /// The other terms kept beside `term` where the letters' search finds it in the `heard`
    /// words (it must be a candidate).
    fn rivals_of(lex: &Lexicon, heard: &[(&str, f32)], term: &str) -> Vec<String> {
        let ws = super::super::words::words(&Transcript::one_word_a_second(heard));
        let ev = super::super::evidence::weigh(&ws, lex);
        let c = find(&ws, &ev, lex)
            .into_iter()
            .find(|c| c.entry.is_some_and(|e| lex.entries[e].term == term))
            .unwrap_or_else(|| panic!("{term} is a candidate"));
        c.alternatives
            .iter()
            .map(|&e| lex.entries[e].term.clone())
            .collect()
    }

    #[test]
    fn another_spelling_of_a_curated_term_is_no_rival_to_it() {
        let lex = Lexicon::builtin_with_medical_words(&["fursemide"]);
        let heard = [
            ("takes", 0.9),
            ("furoseamide", 0.3),
            ("40", 0.9),
            ("milligrams", 0.9),
        ];
        let rivals = rivals_of(&lex, &heard, "furosemide");
        // "fursemide" spells furosemide's sounds otherwise; flutamide is another drug.
        assert!(!rivals.iter().any(|r| r == "fursemide"), "{rivals:?}");
        assert!(rivals.iter().any(|r| r == "flutamide"), "{rivals:?}");
    }

    #[test]
    fn a_term_whose_hyphenated_first_word_holds_the_word_before_is_no_candidate() {
        // The clinical ear wrote the phrase over the three words after a heard "Age": written
        // there, the letter would say "Age age-related macular degeneration".
        let heard = [
            ("neovascular", 0.9),
            ("Age", 0.5),
            ("related", 0.6),
            ("macular", 0.9),
            ("degeneration", 0.9),
        ];
        let ws = super::super::words::words(&Transcript::one_word_a_second(&heard));
        let e = LEX.by_norm["agerelatedmaculardegeneration"];
        let mut c = Candidate::by_ear(2, 5, e, 0.1);
        assert!(repeats_a_neighbour(&mut c, &ws, &LEX));
        // Over all four words it says each once.
        let mut c = Candidate::by_ear(1, 5, e, 0.1);
        assert!(!repeats_a_neighbour(&mut c, &ws, &LEX));
    }

    #[test]
    fn a_system_list_spelling_one_letter_off_a_listed_term_is_no_rival_to_it() {
        let lex = Lexicon::builtin_with_medical_words(&["gentamycin", "cutaneus", "gentemycin"]);
        let id = |t: &str| lex.entries.iter().position(|e| e.term == t).unwrap();
        assert!(another_spelling(&lex, id("gentamicin"), id("gentamycin")));
        assert!(another_spelling(&lex, id("cutaneous"), id("cutaneus")));
        // Two letters off a list's term that is not curated: a word of its own, for the
        // recording to judge.
        assert!(!another_spelling(&lex, id("gentamicin"), id("gentemycin")));
        // The listed term is never the one left out.
        assert!(!another_spelling(&lex, id("gentamycin"), id("gentamicin")));
        let heard = [
            ("started", 0.9),
            ("gentomycin", 0.3),
            ("80", 0.9),
            ("milligrams", 0.9),
        ];
        let rivals = rivals_of(&lex, &heard, "gentamicin");
        assert!(!rivals.iter().any(|r| r == "gentamycin"), "{rivals:?}");
    }

    #[test]
    fn split_words_are_joined_into_a_listed_word_but_not_over_little_words_into_a_gathered_one() {
        let listed = ["followup", "transthoracic"];
        // Doubted by Whisper, split: joined again.
        let heard = [("a", 0.9), ("trans", 0.3), ("thoracic", 0.4), ("echo", 0.9)];
        assert_eq!(found(&heard, &listed), ["transthoracic"]);
        // "follow up" is how English writes it, however doubted: not the list's "followup".
        let heard = [
            ("arranged", 0.9),
            ("follow", 0.3),
            ("up", 0.2),
            ("today", 0.9),
        ];
        assert!(found(&heard, &listed).is_empty());
        // Nor are words with a little word among them joined into a word of a list gathered for
        // other uses: "cord is" is not the HPO's "cordis" (Latin, "of the heart"), however
        // doubted.
        let heard = [("flutter", 0.4), ("cord", 0.3), ("is", 0.3), ("on", 0.9)];
        assert!(!found(&heard, &[]).contains(&"cordis".to_owned()));
        // The HPO's clinical words are terms a misheard word may be corrected to.
        let heard = [("her", 0.9), ("tropinin", 0.3), ("was", 0.9)];
        assert!(found(&heard, &[]).contains(&"troponin".to_owned()));
    }

    #[test]
    fn a_short_word_one_letter_off_a_medical_word_is_found_but_not_over_a_little_word() {
        let listed = ["euthymic", "acardiac"];
        // Seven or eight letters, one off a word of the system's list, the same sound.
        let heard = [("currently", 0.9), ("euthemic", 0.4), ("today", 0.9)];
        // (Also the listed phrase "euthymic mood" over "euthemic today", for the recording.)
        assert!(found(&heard, &listed).contains(&"euthymic".to_owned()));
        // Two letters off: too far for a list that also holds rare general words.
        let heard = [("currently", 0.9), ("euthamec", 0.4), ("today", 0.9)];
        assert!(found(&heard, &listed).is_empty());
        // "a cardic" is "a" and a cardiac: not the list's acardiac.
        let heard = [("a", 0.4), ("cardic", 0.3), ("arrest", 0.9)];
        assert!(!found(&heard, &listed).contains(&"acardiac".to_owned()));
    }

    #[test]
    fn an_older_drug_name_is_renamed_but_not_the_bodys_own_substance_measured() {
        let renamed = |words: &[(&str, f32)]| found(words, &[]).contains(&"levothyroxine".into());
        assert!(renamed(&[
            ("takes", 0.9),
            ("thyroxine", 0.9),
            ("100", 0.9),
            ("mg", 0.9)
        ]));
        assert!(!renamed(&[
            ("her", 0.9),
            ("free", 0.9),
            ("thyroxine", 0.9),
            ("is", 0.9)
        ]));
        assert!(!renamed(&[
            ("his", 0.9),
            ("thyroxine", 0.9),
            ("level", 0.9),
            ("was", 0.9)
        ]));
    }

    #[test]
    fn a_confident_word_beside_a_term_heard_right_is_not_taken_into_it() {
        let words = [("hyponatraemia", 0.9), ("I", 0.9), ("suggest", 0.9)];
        assert!(found(&words, &[]).is_empty(), "{:?}", found(&words, &[]));
    }

    #[test]
    fn confident_split_words_one_letter_off_a_listed_term_are_put_to_the_recording() {
        // "sensory neural": both English words, heard with confidence; sensorineural is one
        // letter off (the recording then decides).
        let heard = [
            ("right-sided", 0.9),
            ("sensory", 0.9),
            ("neural", 0.9),
            ("hearing", 0.9),
        ];
        assert!(found(&heard, &[]).contains(&"sensorineural".to_owned()));
        // Two letters off, they stay what they are: "sensory neutral" is not sensorineural.
        let heard = [
            ("right-sided", 0.9),
            ("sensory", 0.9),
            ("neutral", 0.9),
            ("hearing", 0.9),
        ];
        assert!(!found(&heard, &[]).contains(&"sensorineural".to_owned()));
    }

    #[test]
    fn a_short_name_of_the_hpo_heard_one_word_off_is_found() {
        let lex = Lexicon::builtin();
        let e = lex.by_norm["transientischaemicattack"];
        assert_eq!(lex.entries[e].source, Source::Hpo);
        let heard = [
            ("a", 0.9),
            ("transient", 0.9),
            ("aschemic", 0.3),
            ("attack", 0.9),
            ("last", 0.9),
        ];
        assert!(found(&heard, &[]).contains(&"transient ischaemic attack".to_owned()));
    }

    #[test]
    fn a_doubted_word_holding_a_term_and_more_is_not_that_term() {
        // "subcutaneously" heard as "cutaneously": cutaneous would drop letters that were heard.
        let heard = [("given", 0.9), ("cutaneously", 0.3), ("weekly", 0.9)];
        assert!(!found(&heard, &[]).contains(&"cutaneous".to_owned()));
        // A doubted misspelling of the same length is still near its term.
        let heard = [("given", 0.9), ("cutaneaus", 0.3), ("weekly", 0.9)];
        assert!(found(&heard, &[]).contains(&"cutaneous".to_owned()));
    }
}
