//! What the words around a window say about it, weighed once per transcript: which words are
//! names (never targets), which start a sentence, which belong to a spoken command, which are
//! doubtful (unknown, or heard with a low probability) and which may join a term at all.

use super::lexicon::{english_tier, Lexicon};
use super::words::{dose_follows, is_command_word, is_function_word, Word, LOW_P};

/// Per word of the transcript, what is known of it.
pub(super) struct Evidence {
    /// Capitalised inside a sentence: perhaps a name, so a term needs a closer match.
    pub maybe_name: Vec<bool>,
    pub sentence_start: Vec<bool>,
    /// A word none of the lists know (English, terms, the medical word list, abbreviations).
    pub unknown: Vec<bool>,
    /// Unknown, or doubted by Whisper: a window must hold one to be compared with terms.
    pub suspect: Vec<bool>,
    /// A capitalised word after a title, or the rest of a titled name ("Ms Ingrid Solberg"): a
    /// person's name, whatever proposes a term over it. (A listed name alone may be Whisper's
    /// word for a drug's sounds: "Latin-oppressed" for latanoprost.)
    pub titled: Vec<bool>,
    /// May be part of a term at all: not a name (a person's or place's, or inside one), not
    /// part of a spoken command ("new" of "new paragraph"), a number or punctuation.
    pub usable: Vec<bool>,
}

pub(super) fn weigh(ws: &[Word], lex: &Lexicon) -> Evidence {
    let name = shield_inside_names(ws, &names(ws, lex));
    let sentence_start: Vec<bool> = (0..ws.len())
        .map(|i| {
            i == 0
                || ws[i - 1].trail.contains(['.', '?', '!', ':'])
                || matches!(ws[i - 1].norm.as_str(), "stop" | "paragraph" | "line")
        })
        .collect();
    let maybe_name: Vec<bool> = (0..ws.len())
        .map(|i| {
            let capital = ws[i].capitalised();
            let sentence_start = i == 0
                || ws[i - 1].trail.contains(['.', '?', '!', ':'])
                || matches!(ws[i - 1].norm.as_str(), "stop" | "paragraph" | "line");
            // Only a dose after it makes a capitalised word more likely a drug than a name
            // (long names are common: Portrush, Donnelly); also after a little word, which is
            // often the drug's last syllable heard as a word ("Tamsulas and 400 micrograms").
            let dose_after = dose_after_run(ws, i);
            capital && !sentence_start && !dose_after
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
    let titled: Vec<bool> = (0..ws.len())
        .map(|i| ws[i].capitalised() && (after_title(ws, i) || rest_of_titled_name(ws, i)))
        .collect();
    let unknown: Vec<bool> = ws.iter().map(|w| !lex.word_known(&w.core)).collect();
    let suspect: Vec<bool> = ws
        .iter()
        .zip(&name)
        .zip(&unknown)
        .map(|((w, &name), &unknown)| {
            !name
                && !w.norm.is_empty()
                && !w.norm.chars().all(|c| c.is_ascii_digit())
                && (unknown || w.p.is_some_and(|p| p < LOW_P))
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
    Evidence {
        maybe_name,
        sentence_start,
        unknown,
        suspect,
        usable,
        titled,
    }
}

/// Words that are names for certain: after a title, or listed names not looking like terms.
fn names(ws: &[Word], lex: &Lexicon) -> Vec<bool> {
    // A capitalised word inside a sentence is a name (a patient, a colleague, a street, a month):
    // never a target, whatever its sound.
    // Whisper also capitalises a drug name it does not know ("started Clopidogrol 75 milligrams"):
    // a long unknown word, or one before a dose, is not taken for a name.
    (0..ws.len())
        .map(|i| {
            let capital = ws[i].capitalised();
            let after_title = after_title(ws, i);
            let sentence_start = i == 0
                || (!after_title && ws[i - 1].trail.contains(['.', '?', '!', ':']))
                || matches!(
                    ws[i - 1].norm.as_str(),
                    "stop" | "paragraph" | "line" | "colon" | "fullstop"
                );
            let term_like =
                (ws[i].norm.len() >= 8 && !lex.word_known(&ws[i].core)) || dose_after_run(ws, i);
            // A listed name, or a word after a title or after a listed first name, is a name
            // for certain; another capitalised word only maybe (see `maybe_name`).
            let listed = english_tier(&ws[i].norm) == Some(70)
                || (i > 0 && english_tier(&ws[i - 1].norm) == Some(70) && ws[i - 1].capitalised());
            capital
                && !sentence_start
                && (after_title
                    || (listed && !term_like)
                    || rest_of_titled_name(ws, i)
                    || names_a_place(ws, i))
        })
        .collect()
}

/// Does a dose follow the capitalised words from `i` on (up to three, unbroken by
/// punctuation), at once or after a little word? Whisper writes a drug it does not know as
/// capitalised words, often its last syllable as a little word ("Tamsulas and 400 micrograms",
/// "Delta Para in 5,000 units"): a person's or place's name is not followed by a dose.
fn dose_after_run(ws: &[Word], i: usize) -> bool {
    let mut end = i + 1;
    while end < ws.len()
        && end < i + 3
        && ws[end].capitalised()
        && ws[end - 1].trail.is_empty()
        && ws[end].lead.is_empty()
    {
        end += 1;
    }
    (i + 1..=end).any(|k| {
        dose_follows(ws, k)
            || (ws.get(k).is_some_and(|w| is_function_word(&w.norm)) && dose_follows(ws, k + 1))
    })
}

const TITLES: &[&str] = &[
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "prof",
    "professor",
    "dear",
    "sister",
];

/// Does word `i` follow a title ("Dr", "Ms", "Dear")?
fn after_title(ws: &[Word], i: usize) -> bool {
    i > 0 && TITLES.contains(&ws[i - 1].norm.as_str())
}

/// The second or third capitalised word after a title, unbroken by punctuation: "Mr Gareth
/// Prichard", "Dr Anne Marie Lewis". A surname is a name however much it sounds like a drug.
fn rest_of_titled_name(ws: &[Word], i: usize) -> bool {
    (1..=2).any(|back| {
        i > back
            && TITLES.contains(&ws[i - back - 1].norm.as_str())
            && ws[i - back..i]
                .iter()
                .all(|w| w.capitalised() && w.trail.is_empty())
    })
}

/// Words that name a place or an organisation.
const PLACE_WORDS: &[&str] = &[
    "surgery",
    "practice",
    "hospital",
    "centre",
    "center",
    "house",
    "clinic",
    "infirmary",
    "road",
    "street",
    "lane",
    "avenue",
    "ward",
    "unit",
    "partnership",
];

/// A capitalised word that is part of a place's name: one or two words before a place word
/// ("Parkside Surgery", "Bridge Street Practice"), or after "at" or "from" ("at Oakwood") unless
/// a dose follows it (then it is more likely a drug).
fn names_a_place(ws: &[Word], i: usize) -> bool {
    let before_place = (1..=2).any(|ahead| {
        ws.get(i + ahead)
            .is_some_and(|w| PLACE_WORDS.contains(&w.norm.as_str()) && w.capitalised())
            && ws[i..i + ahead]
                .iter()
                .all(|w| w.capitalised() && w.trail.is_empty())
    });
    let after_at = i > 0
        && matches!(ws[i - 1].norm.as_str(), "at" | "from")
        && ws[i - 1].trail.is_empty()
        && !dose_follows(ws, i + 1);
    before_place || after_at
}

/// Words Whisper puts inside a person's name ("Dr Peter the zeroth Lewis") belong to the name
/// the secretary will correct from the audio, not to a clinical term: two name words at most
/// three words apart, with no sentence end between them, shield the words between.
fn shield_inside_names(ws: &[Word], name: &[bool]) -> Vec<bool> {
    (0..ws.len())
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
        .collect()
}
