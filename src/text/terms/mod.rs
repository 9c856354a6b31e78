//! The terminology pass: finds the clinical term behind what Whisper wrote ("a pixa ban" ->
//! apixaban, "hyperkelemia" -> hyperkalaemia, "listen opril" -> lisinopril) and records every
//! change. A pure stage over the transcript: the `Lexicon` is loaded once by the caller (built-in
//! lists, the system's medical word list, the site's own vocabulary files), `correct` does no I/O.
//!
//! How a change is decided:
//! - Words are read from Whisper's tokens, with the lowest token probability of each word.
//! - A word is *suspect* when it is neither an English word nor a known term, or when Whisper gave it
//!   a low probability. Only windows of one to four words holding a suspect word are looked at, so a
//!   confident, ordinary word is never replaced on its own. The one exception is a drug's place
//!   (a dose after the words, or a word of prescribing before them: "started met from one gram"):
//!   there confident words near a term are put to the recording, and written only where it agrees.
//! - A window's letters are compared with every term of about the same sound (Double Metaphone
//!   keys) by edit distance over both the sound key and the spelling; the distance allowed grows with
//!   the evidence (an unknown word, a low probability, a dose after a drug name, a site's own term)
//!   and shrinks for short terms and for windows of ordinary English words.
//! - Abbreviations are only re-cased ("EGFR" -> eGFR), never guessed.

mod apply;
mod candidates;
mod check;
mod distance;
mod evidence;
mod lexicon;
mod reading;
mod unsure;
mod verify;
mod words;

use serde::{Deserialize, Serialize};

pub use check::{apart, loops, AudioCheck, Hinted, Scored, AGREE};
use lexicon::{encoder, keys, norm};
pub use lexicon::{Lexicon, Source};
pub use unsure::{heard_words, HeardWord};
pub use verify::{Clip, Listener, Stretch, ALLOW_CURATED};

use crate::asr::transcript::Transcript;

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
    /// What the recording said about the term (terms found by nearness, when the audio was
    /// there to ask).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<AudioCheck>,
}

/// What the pass did: the corrected transcript, the changes made, and the changes it found by
/// text but did not make because the recording did not support them.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub transcript: Transcript,
    pub corrections: Vec<Correction>,
    pub declined: Vec<Correction>,
}

/// Finds the terms behind misrecognised words. Returns the transcript with the corrected text
/// (tokens stay as heard) and the list of changes.
pub fn correct(t: &Transcript, lex: &Lexicon) -> (Transcript, Vec<Correction>) {
    let o = correct_listening(t, lex, None);
    (o.transcript, o.corrections)
}

/// Like [`correct`], asking `listener` (the model over the recording) whether the audio supports
/// each term found by nearness before writing it.
pub fn correct_listening(
    t: &Transcript,
    lex: &Lexicon,
    listener: Option<&mut dyn Listener>,
) -> Outcome {
    let ws = words::words(t);
    let ev = evidence::weigh(&ws, lex);
    let mut cands = candidates::find(&ws, &ev, lex);
    if listener.is_none() {
        // Confident words are put in question only by the recording.
        cands.retain(|c| !c.slot);
    }
    let (chosen, declined) = match listener {
        Some(l) => {
            // The clinical ear's reading: the terms it wrote in place of other words, and what
            // it wrote over each candidate's words.
            let reads = reading::read(&ws, &mut *l);
            reading::join(&ws, &mut cands, &reads, &ev.titled, lex);
            cands.retain_mut(|c| !candidates::repeats_a_neighbour(c, &ws, lex));
            let chosen = apply::choose(cands.clone(), &ev.unknown);
            let rivals = apply::rivals(&cands, &chosen);
            verify::weigh(&ws, chosen, rivals, &ev.sentence_start, lex, l)
        }
        None => (apply::choose(cands, &ev.unknown), Vec::new()),
    };
    let (out_words, corrections) = apply::rewrite(&ws, &chosen, &ev.sentence_start, lex);
    let (_, declined) = apply::rewrite(&ws, &declined, &ev.sentence_start, lex);
    Outcome {
        transcript: apply::rebuild(t, &ws, out_words),
        corrections,
        declined,
    }
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

/// Could Whisper have written `heard` for `term` (ram a pill / ramipril, sack you bitril /
/// sacubitril)? Their letters run together, the Double Metaphone keys at most a third apart
/// (one edit for short keys): a heard form split into words carries the consonants of the small
/// words between ("becloned to zone" for Beclazone), so the keys of a right pair differ by more
/// than one sound. Looser than [`sounds_alike`]: for a secretary's correction, to tell
/// a misheard word from a changed one (beclometasone -> Clenil is a change, not a mishearing).
pub fn heard_as(heard: &str, term: &str) -> bool {
    let (a, b) = (norm(heard), norm(term));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let dm = encoder();
    let (ka, kb) = (keys(&dm, &a), keys(&dm, &b));
    ka.iter().any(|x| {
        kb.iter().any(|y| {
            !x.is_empty()
                && !y.is_empty()
                && strsim::levenshtein(x, y) <= (x.len().max(y.len()) / 3).max(1)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::distance::Pattern;
    use super::*;
    use crate::asr::transcript::Segment;
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
            // Receptors and genes as Whisper hyphenates them.
            ("HER-2 negative", "HER2 negative"),
            ("his CD-4 count is 350", "his CD4 count is 350"),
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
            // An eponym keeps its capital, however Whisper wrote it.
            ("known crohns disease", "known Crohn's disease"),
            ("with Raynauds syndrome", "with Raynaud's syndrome"),
        ] {
            assert_eq!(fix(heard), want, "heard: {heard}");
        }
    }

    #[test]
    fn listed_phrases_are_corrected_and_never_say_a_word_beside_them_twice() {
        for (heard, want) in [
            (
                "her alanine amino transferase was 60",
                "her alanine aminotransferase was 60",
            ),
            ("the left iliac fosa", "the left iliac fossa"),
            (
                "an oesophago gastro duodenoscopy",
                "an oesophagogastroduodenoscopy",
            ),
            // Four words heard are the phrase but its last word, which is heard next: the five
            // words are the phrase, "time" is not written twice.
            (
                "his activated partial thrombo plastin time",
                "his activated partial thromboplastin time",
            ),
            // A phrase of the commonest words is no term (scripts/build-lexicon.py).
            (
                "his chest clear and heart sounds normal",
                "his chest clear and heart sounds normal",
            ),
        ] {
            assert_eq!(fix(heard), want, "heard: {heard}");
        }
        let lex = lexicon();
        let e = lex.by_norm["creactiveprotein"];
        assert_eq!(lex.entries[e].source, Source::Phrase);
        assert!(!lex.by_norm.contains_key("chestclear"));
    }

    #[test]
    fn a_term_over_a_word_and_the_unknown_word_beside_it_is_chosen_over_the_nearer_part() {
        // Each heard word alone is nearer a term of its own than both are to the phrase, but
        // either would leave the other standing, half the phrase heard beside it.
        let ws = words::words(&Transcript::one_word_a_second(&[
            ("known", 0.9),
            ("alsertive", 0.3),
            ("collitus", 0.2),
            ("since", 0.9),
            ("2015", 0.9),
        ]));
        let lex = lexicon();
        let ev = evidence::weigh(&ws, lex);
        let cands = candidates::find(&ws, &ev, lex);
        let nearest = cands
            .iter()
            .min_by(|a, b| a.d.total_cmp(&b.d))
            .map(|c| c.to - c.from);
        assert_eq!(nearest, Some(1), "a part alone is the nearer");
        let chosen = apply::choose(cands, &ev.unknown);
        let terms: Vec<(usize, usize, &str)> = chosen
            .iter()
            .map(|c| (c.from, c.to, lex.entries[c.entry.unwrap()].term.as_str()))
            .collect();
        assert_eq!(terms, [(1, 3, "ulcerative colitis")]);
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
    fn a_term_heard_with_its_own_letters_keeps_the_capitals_that_say_something() {
        // The lists write these in lower case; what was heard was right.
        for text in [
            "once her vitamin D is replete",
            "no evidence of HELLP syndrome",
        ] {
            assert_eq!(fix(text), text);
        }
        // A capital Whisper only started a word with is the list's lower case; split words
        // are still joined, and a name is still capitalised.
        assert_eq!(
            fix("stage 3 Chronic Kidney Disease and"),
            "stage 3 chronic kidney disease and"
        );
        assert_eq!(fix("has hyper tension"), "has hypertension");
        assert_eq!(
            fix("idiopathic parkinson's disease"),
            "idiopathic Parkinson's disease"
        );
        assert_eq!(
            fix("biopsy shows Ig-A nephropathy"),
            "biopsy shows IgA nephropathy"
        );
    }

    #[test]
    fn names_places_and_hyphenated_words_are_left_alone() {
        for text in [
            // A surname after a title and a first name, however like a drug it sounds.
            "Patient Mr Gareth Clopidogrol, date of birth 1 May 1950.",
            // A place before a place word, or after "at" or "from".
            "to Dr Shah at Benzoate Surgery, 2 Mill Lane.",
            "She moved here from Atorvastin last year.",
            "letters to Lisinoprel House Practice",
            // A hyphenated compound is how a UK letter writes it.
            "avoid non-steroidal anti-inflammatory drugs",
        ] {
            assert_eq!(fix(text), text);
        }
        // A capitalised drug before its dose is still a drug.
        assert_eq!(
            fix("and at Clopidogrol 75 mg daily"),
            "and at clopidogrel 75 mg daily"
        );
        // So is one before a little word and its dose (the drug's last syllable heard as a
        // word); a name is not made a drug by a dose after that.
        assert_eq!(
            fix("He has been on Tamsulas and 400 micrograms daily."),
            "He has been on tamsulosin and 400 micrograms daily."
        );
        let text = "I saw Mr Gareth Clopidogrol and 2 mg of it went missing.";
        assert_eq!(fix(text), text);
    }

    #[test]
    fn a_misheard_word_is_heard_as_its_term_and_a_changed_word_is_not() {
        for (heard, term) in [
            ("ram a pill", "ramipril"),
            ("sack you bitril", "sacubitril"),
            ("clare", "Claire"),
            ("oh con co", "Okonkwo"),
            ("becloned to zone", "Beclazone"),
        ] {
            assert!(heard_as(heard, term), "{heard} / {term}");
        }
        for (heard, term) in [
            ("beclometasone", "Clenil"),
            ("jones", "Okonkwo"),
            ("amlodipine", "Istin"),
        ] {
            assert!(!heard_as(heard, term), "{heard} / {term}");
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
