//! Spoken commands: turns dictated punctuation and layout ("full stop", "comma", "new paragraph",
//! "open bracket", "scratch that" ...) into the marks and paragraphs a letter shows, including
//! the forms Whisper mishears them as ("falls top", "Kama"), without eating real words ("the colon
//! was normal", "a comma separated list", "bracket fracture"). A pure stage: text in, paragraphs
//! out; no I/O, no knowledge of templates.

use super::capitalise;

/// The dictation, laid out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dictation {
    /// Paragraphs in order; a paragraph's lines are separated by '\n'.
    pub paragraphs: Vec<String>,
    /// How many spoken commands were applied.
    pub commands: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Punct(char),
}

/// What a command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmd {
    Mark(char),
    NewLine,
    NewParagraph,
    OpenBracket,
    CloseBracket,
    OpenQuote,
    CloseQuote,
    Hyphen,
    Dash,
    Slash,
    ApostropheS,
    Capital,
    AllCaps,
    Scratch,
}

/// Command phrases, longest first within each command. Words are compared lower-cased.
const PHRASES: &[(&[&str], Cmd)] = &[
    (&["full", "stop"], Cmd::Mark('.')),
    (&["full-stop"], Cmd::Mark('.')),
    (&["fullstop"], Cmd::Mark('.')),
    (&["falls", "top"], Cmd::Mark('.')),
    (&["false", "stop"], Cmd::Mark('.')),
    (&["full", "stops"], Cmd::Mark('.')),
    (&["comma"], Cmd::Mark(',')),
    (&["kama"], Cmd::Mark(',')),
    (&["semicolon"], Cmd::Mark(';')),
    (&["semi", "colon"], Cmd::Mark(';')),
    (&["semi-colon"], Cmd::Mark(';')),
    (&["colon"], Cmd::Mark(':')),
    (&["question", "mark"], Cmd::Mark('?')),
    (&["exclamation", "mark"], Cmd::Mark('!')),
    (&["exclamation", "point"], Cmd::Mark('!')),
    (&["new", "paragraph"], Cmd::NewParagraph),
    (&["new", "paragraphs"], Cmd::NewParagraph),
    (&["next", "paragraph"], Cmd::NewParagraph),
    (&["new", "para"], Cmd::NewParagraph),
    (&["new", "line"], Cmd::NewLine),
    (&["new-line"], Cmd::NewLine),
    (&["newline"], Cmd::NewLine),
    (&["next", "line"], Cmd::NewLine),
    (&["open", "brackets"], Cmd::OpenBracket),
    (&["open", "bracket"], Cmd::OpenBracket),
    (&["open", "parenthesis"], Cmd::OpenBracket),
    (&["open", "paren"], Cmd::OpenBracket),
    (&["close", "brackets"], Cmd::CloseBracket),
    (&["close", "bracket"], Cmd::CloseBracket),
    (&["closed", "bracket"], Cmd::CloseBracket),
    (&["end", "bracket"], Cmd::CloseBracket),
    (&["close", "parenthesis"], Cmd::CloseBracket),
    (&["close", "paren"], Cmd::CloseBracket),
    (&["open", "quote"], Cmd::OpenQuote),
    (&["open", "quotes"], Cmd::OpenQuote),
    (&["close", "quote"], Cmd::CloseQuote),
    (&["close", "quotes"], Cmd::CloseQuote),
    (&["end", "quote"], Cmd::CloseQuote),
    (&["unquote"], Cmd::CloseQuote),
    (&["hyphen"], Cmd::Hyphen),
    (&["dash"], Cmd::Dash),
    (&["slash"], Cmd::Slash),
    (&["forward", "slash"], Cmd::Slash),
    (&["apostrophe", "s"], Cmd::ApostropheS),
    (&["capital"], Cmd::Capital),
    (&["cap"], Cmd::Capital),
    (&["all", "caps"], Cmd::AllCaps),
    (&["scratch", "that"], Cmd::Scratch),
    (&["delete", "that"], Cmd::Scratch),
];

/// Words after which "colon" is the organ, not the mark.
const COLON_ORGAN_BEFORE: &[&str] = &[
    "the",
    "a",
    "his",
    "her",
    "their",
    "your",
    "sigmoid",
    "ascending",
    "descending",
    "transverse",
    "distal",
    "proximal",
    "right",
    "left",
    "whole",
    "entire",
    "of",
    "irritable",
    "spastic",
    "normal",
];
/// Words after which "colon" is the organ.
const COLON_ORGAN_AFTER: &[&str] = &[
    "was", "is", "were", "cancer", "cancers", "polyp", "polyps", "and", "appeared", "looked",
    "wall", "mucosa",
];
/// Words that end a spoken heading ("Diagnosis colon", "Medications on discharge colon",
/// "Follow-up colon"; "follow up" is matched as two words): after one, "colon" is the mark.
const HEADING_ENDS: &[&str] = &[
    "diagnosis",
    "diagnoses",
    "plan",
    "history",
    "investigations",
    "investigation",
    "medications",
    "medication",
    "medicines",
    "discharge",
    "examination",
    "impression",
    "management",
    "allergies",
    "procedure",
    "findings",
    "results",
    "summary",
    "treatment",
    "outcome",
    "assessment",
    "recommendations",
    "background",
    "problems",
    "operation",
    "indication",
    "follow-up",
];
/// Words after "colon" that make it the organ even after a heading ("Diagnosis colon cancer"
/// said without a dictated colon).
const COLON_ORGAN_NOUNS: &[&str] = &["cancer", "cancers", "polyp", "polyps", "wall", "mucosa"];
/// How Whisper writes a dictated "colon" after a heading: "Diagnosis Cole and limited
/// cutaneous systemic sclerosis" (the n heard as a word of its own), "Plan Colan she will
/// have", "Medications on discharge Colin". "Cole" and "Coal" take the "and" after them.
const COLON_HEARD_AS: &[&str] = &["cole", "coal", "colan", "colin", "cologne"];

/// The words before token `i`, nearest first, past Whisper's own marks just before it and up
/// to the next mark.
fn words_before(toks: &[Tok], i: usize) -> impl Iterator<Item = &str> {
    toks[..i]
        .iter()
        .rev()
        .skip_while(|t| matches!(t, Tok::Punct(_)))
        .map_while(|t| match t {
            Tok::Word(w) => Some(w.as_str()),
            Tok::Punct(_) => None,
        })
}

/// Does the word at `i` follow a spoken heading (a mark of Whisper's own between them allowed)?
fn after_heading(toks: &[Tok], i: usize) -> bool {
    let mut words = words_before(toks, i).map(str::to_lowercase);
    match words.next().as_deref() {
        Some("up") => words.next().as_deref() == Some("follow"),
        Some(w) => HEADING_ENDS.contains(&w),
        None => false,
    }
}

/// Is this run of heard words, none of them in the letter, a spoken command (as
/// [`is_command_word`] reads each, and "Cole and", a colon heard as two words)?
pub fn is_command_run(words: &[String]) -> bool {
    words.iter().enumerate().all(|(k, w)| {
        is_command_word(w)
            || COLON_HEARD_AS.contains(&w.as_str())
            || (w == "and" && k > 0 && matches!(words[k - 1].as_str(), "cole" | "coal"))
    })
}

/// Words before "comma" that make it the noun ("a comma separated list").
const COMMA_NOUN_BEFORE: &[&str] = &["a", "the", "this", "that", "no", "each"];
const COMMA_NOUN_AFTER: &[&str] = &["separated", "delimited", "splice", "splices"];

/// Is `lower` (a lower-case word) part of a spoken command ("full", "stop", "paragraph",
/// "comma" and the forms Whisper hears them as)? For saying where a word that left no trace in
/// the letter went.
pub fn is_command_word(lower: &str) -> bool {
    PHRASES
        .iter()
        .any(|(phrase, _)| phrase.iter().any(|w| w.split('-').any(|p| p == lower)))
        || matches!(
            lower,
            "coma" | "common" | "comer" | "karma" | "bullet" | "point"
        )
        || merged_stop(lower, true).is_some()
}

/// Applies the spoken commands in `text` (a raw transcript).
pub fn apply(text: &str) -> Dictation {
    let toks = tokenize(text);
    // When the clinician dictates punctuation, Whisper's own guesses at it are noise (it puts
    // full stops after "new paragraph" and commas mid-phrase): use only what was dictated.
    let dictated = (0..toks.len()).any(|i| {
        matches!(
            command_at(&toks, i),
            Some((_, Cmd::Mark('.' | ',') | Cmd::NewParagraph))
        )
    });
    // Where the clinician dictates punctuation, a comma Whisper heard as a word in mid-sentence
    // is read as the comma (see [`misheard_comma`]).
    let toks = if dictated {
        toks.iter()
            .enumerate()
            .map(|(i, t)| match t {
                Tok::Word(_) if misheard_comma(&toks, i) => Tok::Word("comma".into()),
                _ => t.clone(),
            })
            .collect()
    } else {
        toks
    };
    let mut out = Builder::default();
    // Whisper's own sentence end, dropped: the word after it keeps Whisper's capital.
    let mut dropped_end = false;
    let mut i = 0;
    while i < toks.len() {
        let after_dropped_end = std::mem::take(&mut dropped_end);
        if let Some((len, item)) = list_item_at(&toks, i, &out) {
            out.item(item);
            i += len;
            continue;
        }
        if let Some((len, cmd)) = command_at(&toks, i) {
            out.command(cmd);
            i += len;
            continue;
        }
        match &toks[i] {
            Tok::Word(w) => {
                let next_is_name = matches!(toks.get(i + 1), Some(Tok::Word(n)) if starts_upper(n));
                if w.eq_ignore_ascii_case("doctor") && next_is_name {
                    out.word("Dr");
                } else if after_dropped_end && is_sentence_opener(w) {
                    // "74. And her" said as one sentence: "74 and her" (a dictated full stop
                    // capitalises the next word itself).
                    out.word(&w.to_lowercase());
                } else {
                    out.word(w);
                }
            }
            Tok::Punct(p) if !dictated => out.mark(*p),
            Tok::Punct(p) => dropped_end = matches!(p, '.' | '?' | '!'),
        }
        i += 1;
    }
    out.finish()
}

/// A little word Whisper capitalises when it starts a sentence of its own making ("And", "The",
/// "She", "On"): never a name, so safe to lower-case where that sentence end is dropped. "I"
/// stays as it is.
fn is_sentence_opener(w: &str) -> bool {
    const OPENERS: &[&str] = &[
        "And", "But", "Or", "So", "Then", "The", "A", "An", "This", "That", "These", "Those",
        "There", "It", "Its", "He", "She", "We", "They", "His", "Her", "Their", "Our", "On", "In",
        "At", "As", "With", "For", "From", "To", "Of", "By", "After", "Before", "Since", "When",
        "Which", "Who", "Also", "Because", "Although", "If",
    ];
    OPENERS.contains(&w)
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Splits text into words and punctuation marks. Hyphens, apostrophes, decimal points and
/// slashes inside words stay in the word; a full stop after a title (Dr.) is dropped.
fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, toks: &mut Vec<Tok>| {
        if !word.is_empty() {
            toks.push(Tok::Word(std::mem::take(word)));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let inner = |p: Option<char>, n: Option<char>| {
            p.is_some_and(char::is_alphanumeric) && n.is_some_and(char::is_alphanumeric)
        };
        let digits =
            prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
        if c.is_alphanumeric()
            || c == '%'
            || ((c == '-' || c == '\'' || c == '\u{2019}' || c == '/') && inner(prev, next))
            || ((c == '.' || c == ',') && digits)
        {
            word.push(if c == '\u{2019}' { '\'' } else { c });
        } else {
            flush(&mut word, &mut toks);
            if matches!(c, '.' | ',' | ';' | ':' | '?' | '!') {
                let title = matches!(toks.last(), Some(Tok::Word(w)) if is_title(w));
                if !(c == '.' && title) {
                    toks.push(Tok::Punct(c));
                }
            }
        }
    }
    flush(&mut word, &mut toks);
    unglue_commands(unmerge_stop(toks))
}

/// Splits "stop" from the pronoun Whisper joined to it after "full": a dictated "full stop. Her"
/// said in one breath, the pronoun's h dropped, is heard as "full stopper" (also
/// "full-stopper", "fullstopper"). "Full stopee" is "full stop. He" where a verb follows ("full
/// stopee has finger clubbing"). Some voices end every full stop with the same sound ("full
/// stopee new line", "Fullstopper, She"): where no verb follows "stopee", or Whisper heard a
/// break after "stopper" (a possessive "her" runs on into its noun), it is the full stop alone.
/// Nothing else is written so after "full".
fn unmerge_stop(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    for (i, tok) in toks.iter().enumerate() {
        let Tok::Word(w) = tok else {
            out.push(tok.clone());
            continue;
        };
        let after_full = matches!(out.last(), Some(Tok::Word(p)) if p.eq_ignore_ascii_case("full"));
        let Some((head, tail)) = merged_stop(&w.to_lowercase(), after_full) else {
            out.push(tok.clone());
            continue;
        };
        let next = match toks.get(i + 1) {
            Some(Tok::Word(n)) => Some(n.to_lowercase()),
            _ => None,
        };
        let verb_follows = next.as_deref().is_some_and(|n| PRONOUN_VERBS.contains(&n));
        out.extend(head.iter().map(|h| Tok::Word((*h).to_owned())));
        match tail {
            // "Her" begins a noun phrase: Whisper heard no break after it.
            Tail::Her if next.is_some() => out.push(Tok::Word("her".into())),
            Tail::Her => {}
            Tail::He if verb_follows => out.push(Tok::Word("he".into())),
            Tail::He => {}
        }
    }
    out
}

/// What Whisper joined to a dictated "stop" ([`unmerge_stop`]).
#[derive(Debug, Clone, Copy)]
enum Tail {
    He,
    Her,
}

/// A full stop heard joined to the word after it ("stopper" after "full", "full-stopper",
/// "fullstopper", "stopee"): the command's own words and what was joined to them.
fn merged_stop(lower: &str, after_full: bool) -> Option<(&'static [&'static str], Tail)> {
    let (head, tail): (&'static [&'static str], &str) =
        if let Some(r) = lower.strip_prefix("full-stop") {
            (&["full", "stop"], r)
        } else if let Some(r) = lower.strip_prefix("fullstop") {
            (&["fullstop"], r)
        } else if let Some(r) = lower.strip_prefix("stop").filter(|_| after_full) {
            (&["stop"], r)
        } else {
            return None;
        };
    match tail {
        "ee" | "pee" => Some((head, Tail::He)),
        "er" | "per" => Some((head, Tail::Her)),
        _ => None,
    }
}

/// Verbs that follow a sentence's "He" in a letter: where one follows "full stopee", the "ee"
/// was the pronoun.
const PRONOUN_VERBS: &[&str] = &[
    "is",
    "has",
    "was",
    "had",
    "will",
    "would",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "does",
    "did",
    "remains",
    "reports",
    "denies",
    "feels",
    "takes",
    "says",
    "lives",
    "works",
    "smokes",
    "drinks",
    "continues",
    "needs",
    "uses",
    "underwent",
    "presented",
    "attended",
    "describes",
    "became",
    "went",
    "came",
    "developed",
    "also",
    "still",
    "now",
    "tells",
];

/// Splits a hyphenated word where a command of two or more words (or commands one after
/// another: "34-full-stop-new paragraph") starts inside it, or where a comma or colon is glued
/// to a number: Whisper writes "new-paragraph", "daily-new paragraph", "10-full stop",
/// "5-comma", "six-comma". And where a dictated mark or line break ends inside it, before the
/// word that follows it: "comma-carbocisteine", "Diagnosis colon-infective exacerbation", "full
/// stop-he is" (see [`command_ends_in`]). Words that only look alike ("new-born", "full-time",
/// "comma-separated", "colon-cancer") stay whole.
fn unglue_commands(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    for (i, tok) in toks.iter().enumerate() {
        let Tok::Word(w) = tok else {
            out.push(tok.clone());
            continue;
        };
        let parts: Vec<&str> = w.split('-').collect();
        let cut = (0..parts.len()).filter(|_| parts.len() > 1).find(|&k| {
            let mut trial: Vec<Tok> = parts[k..]
                .iter()
                .map(|p| Tok::Word((*p).to_owned()))
                .collect();
            trial.extend(toks[i + 1..].iter().take(3).cloned());
            // Commands one after another from k on ("34-full-stop-new" then "paragraph").
            let (mut at, mut words) = (0, 0);
            while at < parts.len() - k {
                let Some((len, _)) = command_at(&trial, at) else {
                    break;
                };
                words += trial[at..at + len]
                    .iter()
                    .filter(|t| matches!(t, Tok::Word(_)))
                    .count();
                at += len;
            }
            // After a number in digits or in words ("135-comma", "six-comma").
            let after_number = k > 0
                && (parts[k - 1].chars().all(|c| c.is_ascii_digit())
                    || super::numbers::spelled(
                        &[parts[k - 1]],
                        super::numbers::Reading::Cardinals,
                    )
                    .is_some());
            // The commands take all the parts from k on, and are a phrase or follow a number.
            at >= parts.len() - k && (words >= 2 || (after_number && parts.len() - k == 1))
        });
        match cut {
            Some(k) => {
                if k > 0 {
                    out.push(Tok::Word(parts[..k].join("-")));
                }
                out.extend(parts[k..].iter().map(|p| Tok::Word((*p).to_owned())));
            }
            None => match command_ends_in(&toks, i, &parts) {
                Some(k) => {
                    out.extend(parts[..k].iter().map(|p| Tok::Word((*p).to_owned())));
                    out.push(Tok::Word(parts[k..].join("-")));
                }
                None => out.push(tok.clone()),
            },
        }
    }
    out
}

/// Where a dictated mark or line break ("comma", "colon", "full stop", "new line") ends inside
/// the hyphenated word at `i` (split into `parts`), before a word of its own: how many parts it
/// takes. It may begin in the word before ("full stop-he": "full" then "stop-he"). Whisper joins
/// the command to the next word as it joins the parts of a word it hears as one; left whole, the
/// command would be written into the letter as a word. The command is read as it would be
/// with the hyphen a space, so its own tests apply ("comma-separated", "colon-cancer" stay).
fn command_ends_in(toks: &[Tok], i: usize, parts: &[&str]) -> Option<usize> {
    (1..parts.len()).find(|&k| {
        (0..=2usize).any(|back| {
            let Some(start) = i.checked_sub(back) else {
                return false;
            };
            if !toks[start..i].iter().all(|t| matches!(t, Tok::Word(_))) {
                return false;
            }
            let mut trial: Vec<Tok> = toks[start.saturating_sub(1)..i].to_vec();
            let at = usize::from(start > 0);
            trial.extend(parts[..k].iter().map(|p| Tok::Word((*p).to_owned())));
            trial.push(Tok::Word(parts[k..].join("-")));
            trial.extend(toks[i + 1..].iter().take(2).cloned());
            matches!(
                command_at(&trial, at),
                Some((len, Cmd::Mark(_) | Cmd::NewLine | Cmd::NewParagraph)) if len == back + k
            )
        })
    })
}

fn is_title(w: &str) -> bool {
    matches!(w, "Dr" | "Mr" | "Mrs" | "Ms" | "Mx" | "Prof" | "St")
}

fn lower(t: &Tok) -> Option<String> {
    match t {
        Tok::Word(w) => Some(w.to_lowercase()),
        Tok::Punct(_) => None,
    }
}

/// The command starting at token `i`, if any, and how many tokens it spans.
fn command_at(toks: &[Tok], i: usize) -> Option<(usize, Cmd)> {
    let word_at = |k: usize| toks.get(k).and_then(lower);
    let first = word_at(i)?;
    let prev = i.checked_sub(1).and_then(word_at);
    for (phrase, cmd) in PHRASES {
        if phrase[0] != first {
            continue;
        }
        // Whisper sometimes puts its own comma inside a command ("new, paragraph"): skip marks
        // between the command's words.
        let Some(len) = match_phrase(toks, i, phrase) else {
            continue;
        };
        let next = word_at(i + len);
        let real_word = match (phrase, cmd) {
            (["colon"], _) if after_heading(toks, i) => next
                .as_deref()
                .is_some_and(|n| COLON_ORGAN_NOUNS.contains(&n)),
            (["colon"], _) => {
                prev.as_deref()
                    .is_some_and(|p| COLON_ORGAN_BEFORE.contains(&p))
                    || next
                        .as_deref()
                        .is_some_and(|n| COLON_ORGAN_AFTER.contains(&n))
            }
            (["comma"], _) => {
                prev.as_deref()
                    .is_some_and(|p| COMMA_NOUN_BEFORE.contains(&p))
                    || next
                        .as_deref()
                        .is_some_and(|n| COMMA_NOUN_AFTER.contains(&n))
            }
            // "capital" and "cap" are commands only before a single letter or a word that
            // follows ("capital B", "cap X"); "capital city" stays.
            (["capital"] | ["cap"], _) => next.as_deref().is_none_or(|n| n.len() != 1),
            _ => false,
        };
        if !real_word {
            return Some((len, *cmd));
        }
    }
    if COLON_HEARD_AS.contains(&first.as_str()) && after_heading(toks, i) {
        let and =
            matches!(first.as_str(), "cole" | "coal") && word_at(i + 1).as_deref() == Some("and");
        return Some((1 + usize::from(and), Cmd::Mark(':')));
    }
    // Whisper writes a dictated comma as "coma", "common", "comer" or "karma" before a layout
    // command or at the end: "Dear Dr Lewis coma new paragraph", "Dear colleague comma" heard as
    // "Dear Colleen Comer". Elsewhere they are real words, and after a title a surname ("Dear
    // Mr Comer new paragraph").
    let after_title = matches!(toks.get(i.wrapping_sub(1)), Some(Tok::Word(w)) if is_title(w));
    if matches!(first.as_str(), "coma" | "common" | "comer" | "karma") && !after_title {
        let at_break = match toks.get(i + 1) {
            None => true,
            Some(Tok::Punct(_)) => true,
            Some(_) => matches!(
                command_at(toks, i + 1),
                Some((_, Cmd::NewLine | Cmd::NewParagraph))
            ),
        };
        if at_break {
            return Some((1, Cmd::Mark(',')));
        }
    }
    None
}

/// Words after which "common" is the adjective or the noun, never a comma: determiners and
/// possessives ("a common cause", "their common bile duct"), copulas and linking verbs ("is
/// common"), degree words ("more common", "so common"), prepositions and conjunctions ("in
/// common", "and common side effects"), quantifiers ("many common", "both common").
const COMMON_ADJECTIVE_AFTER: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "its",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "other",
    "another",
    "such",
    "what",
    "which",
    "some",
    "any",
    "no",
    "each",
    "every",
    "many",
    "several",
    "few",
    "both",
    "all",
    "very",
    "more",
    "most",
    "less",
    "least",
    "quite",
    "fairly",
    "relatively",
    "increasingly",
    "so",
    "too",
    "as",
    "how",
    "rather",
    "particularly",
    "especially",
    "extremely",
    "really",
    "also",
    "still",
    "not",
    "equally",
    "reasonably",
    "surprisingly",
    "slightly",
    "much",
    "far",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "become",
    "becomes",
    "became",
    "becoming",
    "remain",
    "remains",
    "remained",
    "seem",
    "seems",
    "seemed",
    "appear",
    "appears",
    "appeared",
    "in",
    "of",
    "with",
    "for",
    "and",
    "or",
    "but",
    "to",
    "on",
    "at",
    "from",
    "by",
    "into",
    "about",
    "than",
    "like",
    "including",
    "between",
    "among",
    "amongst",
    "uncommonly",
    "common",
];

/// Words that do not follow the adjective "common" but begin a clause or a phrase of their own:
/// pronouns, determiners, conjunctions, most prepositions and sentence adverbs. (Not "to", "in",
/// "among", "across": "features common to both".)
const AFTER_A_COMMA: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "he",
    "she",
    "they",
    "we",
    "i",
    "it",
    "there",
    "which",
    "who",
    "whose",
    "whom",
    "where",
    "when",
    "while",
    "whilst",
    "although",
    "though",
    "because",
    "since",
    "so",
    "but",
    "and",
    "or",
    "nor",
    "then",
    "also",
    "including",
    "with",
    "for",
    "at",
    "on",
    "by",
    "from",
    "after",
    "before",
    "until",
    "both",
    "either",
    "neither",
    "each",
    "all",
    "any",
    "no",
    "not",
    "mostly",
    "mainly",
    "currently",
    "particularly",
    "especially",
    "possibly",
    "probably",
    "now",
    "however",
    "therefore",
    "thus",
    "otherwise",
    "if",
    "unless",
    "whether",
    "followed",
    "increasing",
    "reducing",
    "please",
    "yours",
    "as",
    "again",
    "previously",
    "initially",
    "subsequently",
    "today",
    "yesterday",
];

/// Is the word at `i` a dictated comma Whisper wrote as a word ("common", "comer", "karma") in
/// mid-sentence? Only read so in a dictation whose punctuation is dictated (the caller's test):
/// "both armpits common both groins", "further treatment common including whether". The word
/// before must be one the adjective "common" cannot follow as such (not "a", "is", "more", "in":
/// see [`COMMON_ADJECTIVE_AFTER`]), and the word after one that cannot follow the adjective but
/// begins a clause or phrase (a pronoun, a conjunction: [`AFTER_A_COMMA`]), a number or a spoken
/// command. Where a noun or an adjective follows ("dilated common bile duct", "severe headache
/// common visual disturbance") the words alone cannot tell, and the word stays. Not "coma" (a
/// clinical word: "hepatic coma and"). Not after a title ("Mr Comer").
fn misheard_comma(toks: &[Tok], i: usize) -> bool {
    let Some(word) = toks.get(i).and_then(lower) else {
        return false;
    };
    if !matches!(word.as_str(), "common" | "comer" | "karma") {
        return false;
    }
    // The word before, past Whisper's own marks (noise where the punctuation is dictated:
    // "both armpits, common both groins").
    let (Some(prev), Some(Tok::Word(next))) = (words_before(toks, i).next(), toks.get(i + 1))
    else {
        return false;
    };
    let prev_lower = prev.to_lowercase();
    // Not after a title ("Mr Comer"), a word the adjective follows, or a command ("full stop
    // Common and serious side effects": the sentence's first word).
    if is_title(prev)
        || COMMON_ADJECTIVE_AFTER.contains(&prev_lower.as_str())
        || is_command_word(&prev_lower)
    {
        return false;
    }
    let next_lower = next.to_lowercase();
    AFTER_A_COMMA.contains(&next_lower.as_str())
        || next.chars().next().is_some_and(|c| c.is_ascii_digit())
        || matches!(
            command_at(toks, i + 1),
            Some((_, Cmd::NewLine | Cmd::NewParagraph | Cmd::Mark(_)))
        )
}

/// A dictated list item: "point one" / "point 2" (numbered) or "bullet" / "bullet point", where
/// a list item can begin (a line start, or after a colon). Elsewhere "point one" is a decimal
/// ("zero point one") and stays.
fn list_item_at(toks: &[Tok], i: usize, out: &Builder) -> Option<(usize, Option<u32>)> {
    let found = list_word_at(toks, i)?;
    // Inside a list, the next item needs no "new line": another bullet after a bullet, or the
    // next number after a numbered item ("number one ... number two ...").
    let continues = match (out.current_item(), found.1) {
        (Some(None), None) => true,
        (Some(Some(n)), Some(m)) => m == n + 1,
        _ => false,
    };
    (out.at_item_start() || continues).then_some(found)
}

/// A list word ("point two", "number 3", "bullet point") at token `i`, wherever it stands.
fn list_word_at(toks: &[Tok], i: usize) -> Option<(usize, Option<u32>)> {
    let word_at = |k: usize| toks.get(k).and_then(lower);
    match word_at(i)?.as_str() {
        "point" | "number" => {
            const NUMBERS: [&str; 9] = [
                "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            ];
            let w = word_at(i + 1)?;
            let n = NUMBERS
                .iter()
                .position(|x| *x == w)
                .map(|p| p as u32 + 1)
                .or_else(|| w.parse().ok().filter(|n| (1..=99).contains(n)))?;
            Some((2, Some(n)))
        }
        "bullet" if word_at(i + 1).as_deref() == Some("point") => Some((2, None)),
        "bullet" => Some((1, None)),
        _ => None,
    }
}

/// How many tokens from `i` spell `phrase`, with marks allowed between its words.
fn match_phrase(toks: &[Tok], i: usize, phrase: &[&str]) -> Option<usize> {
    let mut k = i;
    for (n, word) in phrase.iter().enumerate() {
        if n > 0 {
            while matches!(toks.get(k), Some(Tok::Punct(_))) {
                k += 1;
            }
        }
        if toks.get(k).and_then(lower).as_deref() != Some(word) {
            return None;
        }
        k += 1;
    }
    Some(k - i)
}

/// Builds paragraphs with the house spacing rules: one space between words, none before a
/// mark, one after; a capital after a sentence end, at a line start and at a paragraph start.
#[derive(Default)]
struct Builder {
    paragraphs: Vec<String>,
    cur: String,
    /// Capitalise the next word.
    cap_next: bool,
    /// Upper-case the next word entirely.
    caps_next: bool,
    /// Join the next word to the previous one (after a hyphen, slash or opening mark).
    glue_next: bool,
    /// Spoken commands applied.
    commands: usize,
    /// What "scratch that" just took back, until the next word or command: where the next word
    /// is one of these, the clinician restarted from there (see [`Builder::scratch`]).
    scratched: Option<String>,
}

impl Builder {
    fn word(&mut self, w: &str) {
        if let Some(taken) = self.scratched.take() {
            self.restart_at(&taken, w);
        }
        if !self.glue_next && !self.cur.is_empty() && !self.cur.ends_with(['\n', '(', '\u{201C}']) {
            self.cur.push(' ');
        }
        self.glue_next = false;
        let at_start = self.cur.is_empty() || self.cur.ends_with('\n');
        let w = if self.caps_next {
            w.to_uppercase()
        } else if self.cap_next || at_start {
            capitalise(w)
        } else {
            w.to_owned()
        };
        self.cap_next = false;
        self.caps_next = false;
        self.cur.push_str(&w);
    }

    /// Whether a list item may start here: a paragraph or line start, or after a colon.
    fn at_item_start(&self) -> bool {
        let t = self.cur.trim_end_matches(' ');
        t.is_empty() || t.ends_with(['\n', ':'])
    }

    /// The list item the current line is: `Some(Some(n))` for "n. ...", `Some(None)` for a
    /// bullet, `None` for a line that is no item.
    fn current_item(&self) -> Option<Option<u32>> {
        let line = self.cur.rsplit('\n').next().unwrap_or("");
        if line.starts_with('\u{2022}') {
            return Some(None);
        }
        let (n, _) = line.split_once(". ")?;
        n.parse().ok().map(Some)
    }

    /// Starts a list item on its own line: "1. " for a numbered point, "• " for a bullet.
    fn item(&mut self, number: Option<u32>) {
        self.scratched = None;
        self.commands += 1;
        self.trim_end();
        if !self.cur.is_empty() && !self.cur.ends_with('\n') {
            self.cur.push('\n');
        }
        match number {
            Some(n) => self.cur.push_str(&format!("{n}. ")),
            None => self.cur.push_str("\u{2022} "),
        }
        self.glue_next = true;
        self.cap_next = true;
    }

    fn mark(&mut self, p: char) {
        self.trim_end();
        // No mark at the start of a paragraph or line, and no doubled marks.
        if self.cur.is_empty() || self.cur.ends_with('\n') {
            return;
        }
        if self.cur.ends_with(['.', ',', ';', ':', '?', '!']) {
            self.cur.pop();
        }
        self.cur.push(p);
        if matches!(p, '.' | '?' | '!') {
            self.cap_next = true;
        }
    }

    fn trim_end(&mut self) {
        while self.cur.ends_with(' ') {
            self.cur.pop();
        }
    }

    fn command(&mut self, cmd: Cmd) {
        self.scratched = None;
        self.commands += 1;
        match cmd {
            Cmd::Mark(p) => self.mark(p),
            Cmd::NewLine => {
                self.trim_end();
                if !self.cur.is_empty() && !self.cur.ends_with('\n') {
                    self.cur.push('\n');
                }
                self.cap_next = true;
            }
            Cmd::NewParagraph => {
                self.end_paragraph();
                self.cap_next = true;
            }
            Cmd::OpenBracket => {
                self.space();
                self.cur.push('(');
            }
            Cmd::CloseBracket => {
                self.trim_end();
                self.cur.push(')');
            }
            Cmd::OpenQuote => {
                self.space();
                self.cur.push('\u{201C}');
            }
            Cmd::CloseQuote => {
                self.trim_end();
                self.cur.push('\u{201D}');
            }
            Cmd::Hyphen => {
                self.trim_end();
                self.cur.push('-');
                self.glue_next = true;
            }
            Cmd::Slash => {
                self.trim_end();
                self.cur.push('/');
                self.glue_next = true;
            }
            Cmd::Dash => {
                self.trim_end();
                self.cur.push_str(" \u{2013}");
            }
            Cmd::ApostropheS => {
                self.trim_end();
                self.cur.push_str("'s");
            }
            Cmd::Capital => self.cap_next = true,
            Cmd::AllCaps => self.caps_next = true,
            Cmd::Scratch => self.scratch(),
        }
    }

    fn space(&mut self) {
        if !self.cur.is_empty() && !self.cur.ends_with([' ', '\n', '(']) {
            self.cur.push(' ');
        }
    }

    /// After "scratch that", the clinician often says again the words before the mistake and
    /// goes on from the one he changes ("paracetamol and tramadol scratch that paracetamol and
    /// codeine"; "..., Creon with meals, and metoclopramide scratch that and haloperidol"): where
    /// the first word after the command is one of the words taken back, only the words from its
    /// last place there on stay taken back; the words before it are his and return. Otherwise
    /// the whole sentence stays taken back.
    fn restart_at(&mut self, taken: &str, next: &str) {
        // A word as the letters compare words: lower-case letters and digits.
        let key = |s: &str| super::norm_words(s).concat();
        let next = key(next);
        // An article or a possessive begins a new phrase that may stand anywhere ("her father
        // had the same scratch that the mother had"): too weak a sign of where he restarted.
        let weak = [
            "the", "a", "an", "this", "these", "those", "his", "her", "their", "its",
        ];
        if next.is_empty() || weak.contains(&next.as_str()) {
            return;
        }
        let mut at = None;
        let mut from = 0;
        for word in taken.split(' ') {
            if !word.is_empty() && key(word) == next {
                at = Some(from);
            }
            from += word.len() + 1;
        }
        let Some(at) = at else {
            return;
        };
        let kept = taken[..at].trim();
        if kept.is_empty() {
            return;
        }
        if !self.cur.is_empty() && !self.cur.ends_with(['\n', '(', '\u{201C}']) {
            self.cur.push(' ');
        }
        self.cur.push_str(kept);
        self.cap_next = false;
    }

    /// Removes the sentence being dictated, or the last one if a new one has not begun (a
    /// restart after it may bring part back: [`Builder::restart_at`]).
    fn scratch(&mut self) {
        self.trim_end();
        let boundary = |s: &str| {
            s.rfind(['.', '?', '!', '\n', ':', ';'])
                .map_or(0, |k| k + 1)
        };
        let mut cut = boundary(&self.cur);
        if cut == self.cur.len() && cut > 0 {
            // Nothing dictated since the last full stop: take back the whole previous sentence.
            cut = boundary(&self.cur[..cut - 1]);
        }
        self.scratched = Some(self.cur[cut..].trim().to_owned());
        self.cur.truncate(cut);
        self.trim_end();
        let at_sentence_start = self.cur.is_empty() || self.cur.ends_with(['.', '?', '!', '\n']);
        self.cap_next = at_sentence_start;
    }

    fn end_paragraph(&mut self) {
        self.trim_end();
        let p = std::mem::take(&mut self.cur);
        let p = p.trim_matches('\n').to_owned();
        if !p.is_empty() {
            self.paragraphs.push(p);
        }
    }

    fn finish(mut self) -> Dictation {
        self.end_paragraph();
        Dictation {
            paragraphs: self.paragraphs,
            commands: self.commands,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paragraphs joined by a blank line, for compact expectations.
    fn check(input: &str, expected: &str) {
        let got = apply(input).paragraphs.join("\n\n");
        assert_eq!(got, expected, "\ninput: {input:?}");
    }

    #[test]
    fn commands_glued_by_a_hyphen_are_commands() {
        check(
            "twice daily-new paragraph review in clinic",
            "Twice daily\n\nReview in clinic",
        );
        check("twice daily new-paragraph review", "Twice daily\n\nReview");
        check("the dose is 10-full stop review", "The dose is 10. Review");
        // A command joined to the word after it ("comma-carbocisteine"), begun in the word before
        // ("full stop-he"), or before a word with a hyphen of its own ("colon-tiotropium-18").
        check(
            "diagnosis colon-infective exacerbation full stop",
            "Diagnosis: infective exacerbation.",
        );
        check(
            "once daily comma-carbocisteine 750 mg full stop",
            "Once daily, carbocisteine 750 mg.",
        );
        check(
            "peripheral arterial disease full stop-he is a smoker full stop",
            "Peripheral arterial disease. He is a smoker.",
        );
        check(
            "medications colon-tiotropium-18 micrograms full stop",
            "Medications: tiotropium-18 micrograms.",
        );
        check(
            "a comma-separated list and a colon-cancer screen full stop",
            "A comma-separated list and a colon-cancer screen.",
        );
        check("a full-time post full stop", "A full-time post.");
        check("sodium 135-comma potassium 4", "Sodium 135, potassium 4");
        check(
            "a haemoglobin of 100 and six-comma a lymphopenia",
            "A haemoglobin of 100 and six, a lymphopenia",
        );
        // Commands one after another inside one word, the last ending after it.
        check(
            "his albumin is 34-full-stop-new paragraph he will start",
            "His albumin is 34.\n\nHe will start",
        );
        // Words that only look alike stay.
        check("a new-born baby full stop", "A new-born baby.");
        check("works full-time full stop", "Works full-time.");
        check(
            "a comma-separated list full stop",
            "A comma-separated list.",
        );
    }

    #[test]
    fn a_comma_heard_as_a_word_before_a_layout_command() {
        check(
            "Dear Colleen Comer new paragraph thank you",
            "Dear Colleen,\n\nThank you",
        );
        // After a title it is a surname.
        check(
            "Dear Mr Comer new paragraph thank you",
            "Dear Mr Comer\n\nThank you",
        );
    }

    #[test]
    fn punctuation() {
        check("he is well full stop she is not", "He is well. She is not");
        check("aspirin comma clopidogrel", "Aspirin, clopidogrel");
        check("diagnosis colon stable angina", "Diagnosis: stable angina");
        check("mild semicolon stable", "Mild; stable");
        check("mild semi colon stable", "Mild; stable");
        check("is it angina question mark yes", "Is it angina? Yes");
        check("excellent exclamation mark", "Excellent!");
        check("started open bracket 2019 close bracket", "Started (2019)");
        check(
            "said open quote better close quote today",
            "Said \u{201C}better\u{201D} today",
        );
        check("left hyphen sided", "Left-sided");
        check("and slash or", "And/or");
        check("stable dash for now", "Stable \u{2013} for now");
        check("the patient apostrophe s wife", "The patient's wife");
    }

    #[test]
    fn layout() {
        check(
            "dear Dr Lewis comma new paragraph I saw him",
            "Dear Dr Lewis,\n\nI saw him",
        );
        check(
            "diagnoses colon angina new line diabetes new paragraph",
            "Diagnoses: angina\nDiabetes",
        );
        check(
            "one next line two next paragraph three",
            "One\nTwo\n\nThree",
        );
        check("new paragraph new paragraph text", "Text");
    }

    #[test]
    fn misheard_forms_tiny_en_writes() {
        check(
            "relieved by rest falls top, He describes",
            "Relieved by rest. He describes",
        );
        check("relieved by rest false stop he", "Relieved by rest. He");
        check("relieved by rest full-stop he", "Relieved by rest. He");
        check("allergy, new, paragraph, I saw", "Allergy\n\nI saw");
        check(
            "Dear Dr. Kourashi Kama new paragraph, Miss Marsh",
            "Dear Dr Kourashi,\n\nMiss Marsh",
        );
        check(
            "Dear colleague, Coma New Paragraph, Mrs. Ose has",
            "Dear colleague,\n\nMrs Ose has",
        );
        check(
            "Dear Colley Common New Paragraph, I would",
            "Dear Colley,\n\nI would",
        );
        check(
            "Dear Dr. Ivens' common new paragraph Miss Watson",
            "Dear Dr Ivens,\n\nMiss Watson",
        );
    }

    #[test]
    fn a_comma_heard_as_a_word_in_mid_sentence_where_punctuation_is_dictated() {
        check(
            "boils in both armpits common both groins full stop",
            "Boils in both armpits, both groins.",
        );
        check(
            "boils in both armpits, common both groins full stop",
            "Boils in both armpits, both groins.",
        );
        check(
            "in the past year. Common, mostly in the evening full stop",
            "In the past year, mostly in the evening.",
        );
        // A sentence's first word after a dictated full stop stays.
        check(
            "she is well full stop Common and serious side effects were explained full stop",
            "She is well. Common and serious side effects were explained.",
        );
        check(
            "your opinion on further treatment common including whether she might full stop",
            "Your opinion on further treatment, including whether she might.",
        );
        check(
            "he takes ramipril 5 mg once daily common and we will review him full stop",
            "He takes ramipril 5 mg once daily, and we will review him.",
        );
        check(
            "morphine sulfate common 10 mg as required full stop",
            "Morphine sulfate, 10 mg as required.",
        );
        // The adjective stays: after a word it follows, before a noun, or where nothing is
        // dictated.
        check(
            "side effects are common and mild full stop",
            "Side effects are common and mild.",
        );
        check(
            "a dilated common bile duct full stop",
            "A dilated common bile duct.",
        );
        check(
            "severe headache common visual disturbance full stop",
            "Severe headache common visual disturbance.",
        );
        check(
            "this is more common with age full stop",
            "This is more common with age.",
        );
        check(
            "both armpits common both groins",
            "Both armpits common both groins",
        );
        check(
            "hepatic coma and confusion full stop",
            "Hepatic coma and confusion.",
        );
        check(
            "seen by Mr Comer and discharged full stop",
            "Seen by Mr Comer and discharged.",
        );
    }

    #[test]
    fn a_colon_after_a_heading_however_whisper_heard_it() {
        check(
            "Diagnosis Cole and limited cutaneous systemic sclerosis new line",
            "Diagnosis: limited cutaneous systemic sclerosis",
        );
        check(
            "Diagnosis, Coal and atopic eczema new line",
            "Diagnosis: atopic eczema",
        );
        check(
            "Plan Colan she will have a scan full stop",
            "Plan: she will have a scan.",
        );
        check(
            "follow up Colin endocrine clinic in three months",
            "Follow up: endocrine clinic in three months",
        );
        // "colon" after a heading is the mark, whatever follows ("colon and" is how Whisper
        // heard "colon undisplaced": the "and" stays for the secretary to hear).
        check(
            "Diagnosis colon and displaced fracture",
            "Diagnosis: and displaced fracture",
        );
        // The organ stays: a cancer of it after a heading, and a name or a verb elsewhere.
        check("Diagnosis colon cancer", "Diagnosis colon cancer");
        check(
            "seen by Dr Cole and discharged",
            "Seen by Dr Cole and discharged",
        );
        check("plan to call and review", "Plan to call and review");
    }

    #[test]
    fn a_full_stop_heard_joined_to_the_pronoun_after_it() {
        check(
            "he is an ex-smoker full stopee has finger clubbing full stop",
            "He is an ex-smoker. He has finger clubbing.",
        );
        // The same sound before words that do not follow "He": the full stop alone.
        check(
            "a six minute walk test full stopee new line plan colon review",
            "A six minute walk test.\nPlan: review",
        );
        check(
            "deviated to the left full stopper Monospot test was negative full stop",
            "Deviated to the left. Her Monospot test was negative.",
        );
        check(
            "worse last year full-stopper blood eosinophils were raised full stop",
            "Worse last year. Her blood eosinophils were raised.",
        );
        check(
            "last year fullstopper weight is stable",
            "Last year. Her weight is stable",
        );
        // A break heard after it: the full stop alone.
        check(
            "gets up at night Fullstopper, She takes amlodipine",
            "Gets up at night. She takes amlodipine",
        );
        // Not after anything but "full".
        check("a bottle stopper full stop", "A bottle stopper.");
    }

    #[test]
    fn lists() {
        check(
            "plan colon point one increase ramipril new line point two recheck bloods",
            "Plan:\n1. Increase ramipril\n2. Recheck bloods",
        );
        check(
            "bullet point stop aspirin new line bullet start clopidogrel",
            "\u{2022} Stop aspirin\n\u{2022} Start clopidogrel",
        );
        // Within a list, items follow without "new line".
        check(
            "plan colon bullet point start ramipril bullet point repeat the bloods full stop",
            "Plan:\n\u{2022} Start ramipril\n\u{2022} Repeat the bloods.",
        );
        check(
            "diagnoses colon number one hypertension number two type two diabetes full stop",
            "Diagnoses:\n1. Hypertension\n2. Type two diabetes.",
        );
        // "number two" that does not follow item 1 is prose.
        check(
            "diagnoses colon number one hypertension, his number three concern",
            "Diagnoses:\n1. Hypertension, his number three concern",
        );
        // Not at an item start: a decimal, left for the number stage.
        check(
            "creatinine rose by zero point one",
            "Creatinine rose by zero point one",
        );
    }

    #[test]
    fn real_words_survive() {
        check("a comma separated list", "A comma separated list");
        check("the colon was normal full stop", "The colon was normal.");
        check(
            "biopsies of the sigmoid colon full stop",
            "Biopsies of the sigmoid colon.",
        );
        check(
            "a bracket fracture of the tibia",
            "A bracket fracture of the tibia",
        );
        check("a common cause of anaemia", "A common cause of anaemia");
        check("diabetic coma in 2010 full stop", "Diabetic coma in 2010.");
        check("the capital city", "The capital city");
        check("a full blood count", "A full blood count");
    }

    #[test]
    fn whisper_punctuation_dropped_when_punctuation_is_dictated() {
        check(
            "His CT coronary angiogram, showed a stenosis full stop new paragraph.",
            "His CT coronary angiogram showed a stenosis.",
        );
        // Without dictated punctuation, Whisper's stays (titles lose their full stop).
        check(
            "I saw Mr. Smith today. He is well.",
            "I saw Mr Smith today. He is well.",
        );
        // Numbers keep their points and thousands separators.
        check(
            "count is 0.6 full stop calprotectin 1,200 full stop",
            "Count is 0.6. Calprotectin 1,200.",
        );
        // A sentence Whisper ended where none was dictated: its next word is not capitalised,
        // unless it is a name or "I".
        check(
            "her ESR is 74. And her CRP is 61. Mrs Smith is well. I will see her full stop",
            "Her ESR is 74 and her CRP is 61 Mrs Smith is well I will see her.",
        );
    }

    #[test]
    fn no_doubles_and_one_space() {
        check("well. full stop", "Well.");
        check("well , comma and", "Well, and");
        check("  spaced   out   full stop  ", "Spaced out.");
    }

    #[test]
    fn titles() {
        check("Doctor Anne Mitchell", "Dr Anne Mitchell");
        check("see a doctor soon", "See a doctor soon");
    }

    #[test]
    fn editing() {
        check(
            "he is well full stop she is poorly scratch that she is better full stop",
            "He is well. She is better.",
        );
        check(
            "he is well full stop delete that she is fine",
            "She is fine",
        );
        // A restart after it keeps the words before the changed one.
        check(
            "for pain she may take paracetamol and tramadol scratch that paracetamol and codeine \
             full stop",
            "For pain she may take paracetamol and codeine.",
        );
        check(
            "medications colon ramipril 5 mg comma aspirin 75 mg comma and bisoprolol scratch \
             that and atenolol 50 mg full stop",
            "Medications: ramipril 5 mg, aspirin 75 mg, and atenolol 50 mg.",
        );
        check(
            "for sleep we discussed olanzapine scratch that we agreed on quetiapine full stop",
            "For sleep we agreed on quetiapine.",
        );
        // No restart: the whole sentence stays taken back, and a command after it ends the
        // chance of one.
        check(
            "he is well full stop start sertraline scratch that given her sodium start \
             mirtazapine",
            "He is well. Given her sodium start mirtazapine",
        );
        check(
            "her father had the same condition scratch that the mother had it",
            "The mother had it",
        );
        check(
            "he is well full stop she is poorly scratch that new paragraph she is better",
            "He is well.\n\nShe is better",
        );
        check("vitamin capital b twelve", "Vitamin B twelve");
        check("the capital a clinic", "The A clinic");
        check("the all caps nice guidance", "The NICE guidance");
    }

    #[test]
    fn counts_commands() {
        assert_eq!(apply("a full stop b comma c new paragraph").commands, 3);
        assert_eq!(apply("").paragraphs, Vec::<String>::new());
    }
}
