//! The terminology pass's lexicon: the built-in lists (lexicon/terms.tsv, UK drug names,
//! abbreviations), the system's medical word list, site vocabulary files, and the English word
//! frequencies that say how common a heard word is. Loaded once per run; no matching here.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;
use std::sync::LazyLock;

use anyhow::{bail, Context, Result};
use rphonetic::DoubleMetaphone;
use serde::{Deserialize, Serialize};

/// Where a term came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A site's or clinician's vocabulary file.
    Custom,
    /// UK drug names (lexicon/sources/uk_drug_names.tsv).
    Uk,
    /// medwer's drug and condition list (lexicon/terms.tsv).
    Medwer,
    /// Clinical words of the Human Phenotype Ontology's term names, in use in general text and
    /// known to the medical spelling list, and its short names of findings and conditions
    /// (lexicon/terms.tsv).
    Hpo,
    /// Clinical abbreviations (re-casing only).
    Abbreviation,
    /// The phrases UK letters name investigations, procedures, anatomy and services by
    /// (lexicon/sources/clinical_phrases.txt, in lexicon/terms.tsv).
    Phrase,
    /// The system's medical word list (hunspell-en-med).
    MedicalDictionary,
}

impl Source {
    /// Is the list's spelling of a word the one a UK letter uses, where the letter may split or
    /// hyphenate it ("non-steroidal", "follow up")? Not for word lists gathered for other uses
    /// (the system's spelling list, the HPO's words): they never join words heard with
    /// confidence, and join doubted ones only where no hyphen, phrase of the commonest words or
    /// little word is among them ("cord is" stays, where the HPO has "cordis").
    pub fn joins_words(self) -> bool {
        !matches!(self, Source::MedicalDictionary | Source::Hpo)
    }

    fn parse(s: &str) -> Option<Source> {
        Some(match s {
            "uk" => Source::Uk,
            "medwer" => Source::Medwer,
            "hpo" => Source::Hpo,
            "abbr" => Source::Abbreviation,
            "phrase" => Source::Phrase,
            _ => return None,
        })
    }
}

/// A term with its spelling and sound keys, ready to compare.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) term: String,
    pub(super) norm: String,
    pub(super) keys: [String; 2],
    pub(super) source: Source,
}

/// The terms the pass can write, and the English words it must respect.
pub struct Lexicon {
    pub(super) entries: Vec<Entry>,
    /// Normalised spelling -> entry, for exact matches (a right word, a split word re-joined).
    pub(super) by_norm: HashMap<String, usize>,
    /// (first sound, sound-key length) -> entries with such a key (primary or alternate).
    pub(super) by_key: HashMap<(char, usize), Vec<usize>>,
    /// Normalised heard forms from vocabulary files -> entry.
    pub(super) heard_as: HashMap<String, usize>,
    /// Older and North American drug names -> the UK name ("beclomethasone" -> beclometasone).
    pub(super) renames: HashMap<String, usize>,
    /// Abbreviations by their letters and digits ("egfr" -> "eGFR").
    pub(super) abbreviations: HashMap<String, String>,
    /// Medical words known to be right as they stand, by a 64-bit hash of their lower-case
    /// letters (90,000 of them: a hash each instead of a string each). A collision would only
    /// make one unknown word count as known, i.e. left as heard.
    pub(super) known: HashSet<u64>,
    /// A term of several words, filed under each of its words left out: (number of words, the
    /// place left out, the other words) -> entries ("codeine phosphate" under (2, 0,
    /// "phosphate")).
    pub(super) phrases: HashMap<(usize, usize, String), Vec<usize>>,
}

/// English words with their SCOWL size (10 = the commonest ... 60).
pub(super) static ENGLISH: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| {
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lexicon/english.tsv"))
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (w, n) = l.split_once('\t')?;
            Some((w, n.parse().ok()?))
        })
        .collect()
});

pub(super) const MAX_KEY: usize = 24;

/// Common English words (SCOWL size 35 or less: the words of everyday writing), five letters or
/// more, by first letter: what a misheard form may have been instead of a term ("middications"
/// is nearer medications than mutations).
static COMMON: LazyLock<HashMap<u8, Vec<&'static str>>> = LazyLock::new(|| {
    let mut by_first: HashMap<u8, Vec<&'static str>> = HashMap::default();
    for (&w, &tier) in ENGLISH.iter() {
        if tier <= 35 && w.len() >= 5 && w.bytes().all(|b| b.is_ascii_lowercase()) {
            by_first.entry(w.as_bytes()[0]).or_default().push(w);
        }
    }
    by_first
});

/// The common English word nearest to `heard` (a window's letters, lower case, run together) by
/// edit distance over the longer of the two, starting with the same letter, and that distance
/// (of two as near, the first in alphabetical order).
pub(super) fn nearest_common_word(heard: &str) -> Option<(f32, &'static str)> {
    let first = *heard.as_bytes().first()?;
    let n = heard.chars().count();
    COMMON
        .get(&first)?
        .iter()
        .filter(|w| w.len().abs_diff(n) <= 3)
        .map(|&w| (super::check::apart(heard, w), w))
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)))
}

pub(super) fn encoder() -> DoubleMetaphone {
    DoubleMetaphone::new(Some(MAX_KEY))
}

/// Lower-case letters and digits only: how words are compared.
pub(super) fn norm(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The words of a phrase but the one at `k`, as [`Lexicon::phrases`] files them.
pub(super) fn phrase_key<'a>(words: impl Iterator<Item = &'a str>, k: usize) -> String {
    let others: Vec<&str> = words
        .enumerate()
        .filter(|&(j, _)| j != k)
        .map(|(_, w)| w)
        .collect();
    others.join(" ")
}

pub(super) fn keys(dm: &DoubleMetaphone, norm: &str) -> [String; 2] {
    let r = dm.double_metaphone(norm);
    [r.primary(), r.alternate()]
}

impl Lexicon {
    /// The built-in lists (lexicon/terms.tsv).
    pub fn builtin() -> Lexicon {
        let mut lex = Lexicon {
            entries: Vec::new(),
            by_norm: HashMap::default(),
            by_key: HashMap::default(),
            heard_as: HashMap::default(),
            renames: HashMap::default(),
            abbreviations: HashMap::default(),
            known: Default::default(),
            phrases: HashMap::default(),
        };
        let dm = encoder();
        let terms = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lexicon/terms.tsv"));
        let listed: HashSet<&str> = terms
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(t, _)| t)
            .collect();
        for line in terms.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((term, source)) = line.split_once('\t') else {
                continue;
            };
            let Some(source) = Source::parse(source) else {
                continue;
            };
            // A stray letter before a listed term ("m montelukast" in a product list) cannot be
            // told from the term by its sound or its letters: only the term is kept.
            let stray_letter = term
                .split_once(' ')
                .is_some_and(|(first, rest)| first.len() == 1 && listed.contains(rest));
            if !stray_letter {
                lex.add(&dm, term, source);
            }
        }
        for line in include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/lexicon/sources/uk_drug_names.tsv"
        ))
        .lines()
        {
            let Some((old, uk)) = line.split_once('\t') else {
                continue;
            };
            if line.starts_with('#') || old == "-" || norm(old) == norm(uk) {
                continue;
            }
            if let Some(i) = lex.add(&dm, uk, Source::Uk) {
                lex.renames.insert(norm(old), i);
            }
        }
        // The units the numbers stage writes short ("millimoles", "millilitres") are words as
        // they stand, whatever term is near them ("malleolus").
        for word in crate::text::numbers::unit_words() {
            lex.known.insert(word_hash(word));
        }
        lex
    }

    /// Number of terms (abbreviations included).
    pub fn len(&self) -> usize {
        self.entries.len() + self.abbreviations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn add(&mut self, dm: &DoubleMetaphone, term: &str, source: Source) -> Option<usize> {
        let n = norm(term);
        if n.is_empty() {
            return None;
        }
        if source == Source::Abbreviation {
            self.abbreviations.insert(n, term.to_owned());
            return None;
        }
        if let Some(&i) = self.by_norm.get(&n) {
            // A site's own spelling or casing wins over a built-in one.
            if source == Source::Custom {
                self.entries[i].term = term.to_owned();
                self.entries[i].source = Source::Custom;
            }
            return Some(i);
        }
        let keys = keys(dm, &n);
        let i = self.entries.len();
        for (k, key) in keys.iter().enumerate() {
            if key.is_empty() || (k == 1 && *key == keys[0]) {
                continue;
            }
            let first = key.chars().next().unwrap_or(' ');
            self.by_key.entry((first, key.len())).or_default().push(i);
        }
        self.by_norm.insert(n.clone(), i);
        // (Most terms, and every word of the medical list, are one word: no list to make.)
        let words: Vec<String> = if term.trim().contains(char::is_whitespace) {
            term.split_whitespace().map(norm).collect()
        } else {
            Vec::new()
        };
        if words.len() > 1 {
            for k in 0..words.len() {
                let others = phrase_key(words.iter().map(String::as_str), k);
                self.phrases
                    .entry((words.len(), k, others))
                    .or_default()
                    .push(i);
            }
        }
        self.entries.push(Entry {
            term: term.to_owned(),
            norm: n,
            keys,
            source,
        });
        Some(i)
    }

    /// Adds the words of a hunspell medical dictionary (Debian's hunspell-en-med:
    /// /usr/share/hunspell/en_med_glut.dic) as words that are right as they stand; only the
    /// longer, unusual ones become targets for correction. Returns how many were read.
    pub fn add_medical_dictionary(&mut self, path: &Path) -> Result<usize> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read medical word list `{}`", path.display()))?;
        let dm = encoder();
        let mut n = 0;
        for (i, line) in text.lines().enumerate() {
            // The first line of a .dic file is its word count.
            if i == 0 && line.trim().parse::<usize>().is_ok() {
                continue;
            }
            let (word, flags) = line.split_once('/').unwrap_or((line, ""));
            let word = word.trim();
            if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            let lower = word.to_ascii_lowercase();
            n += 1;
            // Right as they stand: never "corrected", whatever their sound.
            if flags.contains('S') {
                self.known.insert(word_hash(&format!("{lower}s")));
            }
            self.known.insert(word_hash(&lower));
            // Targets: long, lower-case words (not brand or proper names) that are not ordinary
            // English (which Whisper spells right) nor US spellings of a listed term.
            if lower.len() >= 8
                && word == lower
                && !ENGLISH.contains_key(lower.as_str())
                && !crate::text::spelling::is_us_spelling(&lower)
            {
                self.add(&dm, word, Source::MedicalDictionary);
            }
        }
        Ok(n)
    }

    /// Adds a vocabulary file: one term per line, optionally followed by `=` and the forms it is
    /// heard as, separated by `;` (`levetiracetam = lever tear a seat am; levator as F`). `#`
    /// starts a comment. Returns how many terms were read.
    pub fn add_vocabulary(&mut self, path: &Path) -> Result<usize> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read vocabulary file `{}`", path.display()))?;
        self.add_vocabulary_text(&text)
            .with_context(|| format!("vocabulary file `{}` is not valid", path.display()))
    }

    pub(super) fn add_vocabulary_text(&mut self, text: &str) -> Result<usize> {
        let dm = encoder();
        let mut n = 0;
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (term, heard) = line.split_once('=').unwrap_or((line, ""));
            let term = term.trim();
            if norm(term).is_empty() {
                bail!(
                    "line {}: `{line}` has no term before `=` (write `term = heard as; heard as`)",
                    i + 1
                );
            }
            if term.split_whitespace().count() > 4 {
                bail!(
                    "line {}: `{term}` is longer than four words; the pass matches one to four",
                    i + 1
                );
            }
            let Some(idx) = self.add(&dm, term, Source::Custom) else {
                continue;
            };
            for h in heard.split(';').map(str::trim).filter(|h| !h.is_empty()) {
                self.heard_as.insert(norm(h), idx);
            }
            n += 1;
        }
        Ok(n)
    }

    /// A word right as it stands: a term, a medical word, an abbreviation, a US spelling the
    /// spelling stage rewrites.
    pub(super) fn is_known(&self, n: &str) -> bool {
        self.by_norm.contains_key(n)
            || self.known.contains(&word_hash(n))
            || self.abbreviations.contains_key(n)
            || crate::text::spelling::is_us_spelling(n)
    }

    /// Is a word known to the pass as it stands (a term, a medical, English or abbreviated
    /// word)? For the review desk: a typed word the lexicon lacks can be taught to it.
    pub fn knows(&self, word: &str) -> bool {
        self.word_known(word)
    }

    /// Is a word (its core, as written) known or English? Hyphenated words are known when their
    /// parts are ("six-month", "anti-inflammatory").
    pub(super) fn word_known(&self, core: &str) -> bool {
        let n = norm(core);
        if english_tier(&n).is_some() || self.is_known(&n) {
            return true;
        }
        // Plurals of known words (millimoles, eosinophils, anti-inflammatories), and the -ation
        // of a known -ant or -ate (anticoagulation, decompensation).
        let derived = ["ation", "ations"].iter().any(|suffix| {
            n.strip_suffix(suffix).is_some_and(|stem| {
                ["ant", "ate", "ated"].iter().any(|end| {
                    let w = format!("{stem}{end}");
                    w.len() >= 5 && (english_tier(&w).is_some() || self.is_known(&w))
                })
            })
        });
        derived
            || singulars(&n)
                .any(|s| s.len() >= 3 && (english_tier(&s).is_some() || self.is_known(&s)))
            || core.contains('-')
                && core.split('-').all(|part| {
                    let p = norm(part);
                    !p.is_empty() && (english_tier(&p).is_some() || self.is_known(&p))
                })
    }
}

/// Is term `other` another spelling of term `e`, one the recording cannot tell from it and a UK
/// letter would not write? Either `e` is a curated list's term (UK names, phrases, a site's own)
/// and `other` has the same letters but for vowels and doubled letters, at most two letters off
/// ("fursemide", a word of the system's medical list, for furosemide); or `e` is a term of any
/// built-in list and `other` a word only the system's medical list holds (it gathers variant,
/// Latin and inflected spellings: "gentamycin", "cutaneus"), one letter off with the same
/// consonants. The recording cannot tell two spellings of one sound apart, and its
/// scores, less the text's prior, favour the rarer spelling; so such a term is no rival to `e` (in
/// the letters' search, `candidates`, and among the terms a check asks about,
/// `verify::questions`).
pub(super) fn another_spelling(lex: &Lexicon, e: usize, other: usize) -> bool {
    let (a, b) = (&lex.entries[e], &lex.entries[other]);
    let curated = |s: Source| matches!(s, Source::Uk | Source::Phrase | Source::Custom);
    let skeleton = |n: &str| {
        let mut out = String::new();
        for c in n.chars().filter(|c| !"aeiouy".contains(*c)) {
            if !out.ends_with(c) {
                out.push(c);
            }
        }
        out
    };
    if skeleton(&a.norm) != skeleton(&b.norm) {
        return false;
    }
    let apart = strsim::levenshtein(&a.norm, &b.norm);
    let gathered = |s: Source| s == Source::MedicalDictionary;
    curated(a.source) && !curated(b.source) && apart <= 2
        || !gathered(a.source) && gathered(b.source) && apart <= 1
}

/// Does one heard word hold all of a term's letters and more ("cutaneously", cutaneous)? Then
/// the model heard letters the term lacks, and writing the term would only drop them: another
/// form of it, or a longer word, not the term misheard.
pub(super) fn holds(heard: &str, term: &str) -> bool {
    heard.len() > term.len() && heard.contains(term)
}

/// The singulars a plural may have: "moles" -> mole, "inflammatories" -> inflammatory.
pub(super) fn singulars(n: &str) -> impl Iterator<Item = String> + '_ {
    let s = n.strip_suffix('s').map(str::to_owned);
    let es = n.strip_suffix("es").map(str::to_owned);
    let ies = n.strip_suffix("ies").map(|stem| format!("{stem}y"));
    [s, es, ies].into_iter().flatten()
}

pub(super) fn word_hash(word: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(word)
}

/// How common an English word is: its SCOWL size (10 commonest ... 60), or `None`.
pub(super) fn english_tier(n: &str) -> Option<u8> {
    ENGLISH.get(n).copied()
}

#[cfg(test)]
impl Lexicon {
    /// The built-in lexicon with a system medical word list holding `words` (as
    /// [`Lexicon::add_medical_dictionary`] reads one), for tests.
    pub(super) fn builtin_with_medical_words(words: &[&str]) -> Lexicon {
        let dir = tempfile::tempdir().unwrap();
        let dic = dir.path().join("med.dic");
        std::fs::write(&dic, format!("{}\n{}\n", words.len(), words.join("\n"))).unwrap();
        let mut lex = Lexicon::builtin();
        lex.add_medical_dictionary(&dic).unwrap();
        lex
    }
}
