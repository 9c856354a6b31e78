//! The transcript read as words: each word's text, punctuation, token probability and audio time
//! (a word is the tokens from one starting with a space to the next), and what kind of word it is
//! (a little word, part of a spoken command, a number, a unit of dose).

use super::lexicon::norm;
use crate::asr::transcript::Transcript;

/// Probability under which Whisper's own word is doubted.
pub(super) const LOW_P: f32 = 0.5;

/// A word of the transcript, with what surrounds it.
#[derive(Debug, Clone)]
pub(super) struct Word {
    pub(super) seg: usize,
    /// Joined to the word before by a hyphen ("moderate-proctosigmoiditis" is read as two words).
    pub(super) hyphen_before: bool,
    pub(super) lead: String,
    pub(super) core: String,
    pub(super) trail: String,
    pub(super) norm: String,
    pub(super) p: Option<f32>,
    pub(super) start: f64,
    pub(super) end: f64,
}

impl Word {
    /// Starts with a capital letter (a name, a sentence's first word, or a drug Whisper did
    /// not know).
    pub(super) fn capitalised(&self) -> bool {
        self.core.chars().next().is_some_and(char::is_uppercase)
    }
}

/// How much of the punctuation around words [`spelled`] keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Punct {
    /// None: the words alone ("becloned to zone").
    None,
    /// What stands between the words, not before the first or after the last.
    Inner,
    /// All of it, as Whisper wrote it.
    All,
}

/// Words written out, joined by a space or the hyphen that joined them, with `punct` of their
/// punctuation.
pub(super) fn spelled(words: &[Word], punct: Punct) -> String {
    let last = words.len().saturating_sub(1);
    let mut s = String::new();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            s.push(if w.hyphen_before { '-' } else { ' ' });
        }
        if punct == Punct::All || (punct == Punct::Inner && k > 0) {
            s.push_str(&w.lead);
        }
        s.push_str(&w.core);
        if punct == Punct::All || (punct == Punct::Inner && k < last) {
            s.push_str(&w.trail);
        }
    }
    s
}

/// Reads the words of each segment from its tokens (a token that starts with a space starts a
/// word), or from its text where there are no tokens.
pub(super) fn words(t: &Transcript) -> Vec<Word> {
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

/// The little words that glue sentences together.
pub(super) fn is_function_word(n: &str) -> bool {
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

/// Words after which a drug's name is expected ("started ___ 10 mg", "continue his ___ as
/// required", "remains on ___"): the verbs of prescribing, and "on" after a verb of staying.
fn prescribing(ws: &[Word], at: usize) -> bool {
    let n = ws[at].norm.as_str();
    let verb = matches!(
        n,
        "start"
            | "started"
            | "starting"
            | "restart"
            | "restarted"
            | "commence"
            | "commenced"
            | "continue"
            | "continued"
            | "continues"
            | "continuing"
            | "stopped"
            | "stopping"
            | "increase"
            | "increased"
            | "reduce"
            | "reduced"
            | "prescribe"
            | "prescribed"
            | "switch"
            | "switched"
            | "takes"
            | "taking"
    );
    let stays_on = n == "on"
        && at > 0
        && matches!(
            ws[at - 1].norm.as_str(),
            "remains" | "remain" | "stays" | "still" | "already" | "currently" | "is" | "was"
        );
    // "course of", "trial of", "dose of"
    let of = n == "of" && at > 0 && matches!(ws[at - 1].norm.as_str(), "course" | "trial" | "dose");
    (verb || stays_on || of) && ws[at].trail.is_empty()
}

/// Is a drug's name expected to start at word `i`: right after a word of prescribing, or after
/// one and "his", "her", "the", "a" or "to" ("started her ___", "switched to ___")?
pub(super) fn drug_slot_at(ws: &[Word], i: usize) -> bool {
    let little = |w: &Word| {
        matches!(
            w.norm.as_str(),
            "his" | "her" | "their" | "the" | "a" | "an" | "to"
        ) && w.trail.is_empty()
    };
    (i >= 1 && prescribing(ws, i - 1)) || (i >= 2 && little(&ws[i - 1]) && prescribing(ws, i - 2))
}

/// Spoken commands and their parts never belong to a term.
pub(super) fn is_command_word(n: &str) -> bool {
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

pub(super) fn is_unit(n: &str) -> bool {
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

pub(super) fn is_number(w: &Word) -> bool {
    (w.core.starts_with(|c: char| c.is_ascii_digit())
        && w.core
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ','))
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
pub(super) fn dose_follows(ws: &[Word], at: usize) -> bool {
    let Some(w) = ws.get(at) else {
        return false;
    };
    // A number and its unit ("40 milligrams", "40mg"), the number perhaps said in two parts
    // ("100 and 25 micrograms", "700 and 50mg").
    let dose_at = |k: usize| {
        ws.get(k).is_some_and(|w| {
            glued_dose(w) || (is_number(w) && ws.get(k + 1).is_some_and(|u| is_unit(&u.norm)))
        })
    };
    is_unit(&w.norm)
        || dose_at(at)
        || (is_number(w) && ws.get(at + 1).is_some_and(|a| a.norm == "and") && dose_at(at + 2))
}

/// A number with its unit written on (Whisper's "40mg", "2.5mg").
fn glued_dose(w: &Word) -> bool {
    let unit = w.norm.trim_start_matches(|c: char| c.is_ascii_digit());
    unit.len() < w.norm.len() && w.core.starts_with(|c: char| c.is_ascii_digit()) && is_unit(unit)
}
