//! Words to a letter's text, all pure (a string or transcript in, a value out): spoken commands
//! (`commands`), numbers, doses, dates and NHS numbers (`numbers`), British spelling
//! (`spelling`), the terminology pass (`terms`), words lined up (`diff`), and a recording of several letters cut into one
//! transcript each (`split`). Nothing here knows whisper-rs, reads files at run time (but the
//! lexicon's lists) or lays out a letter.

pub mod commands;
pub mod diff;
pub mod numbers;
pub mod spelling;
pub mod split;
pub mod terms;

/// `s` with its first letter a capital, the rest as it stands ("ramipril" -> "Ramipril").
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A text's words in lower case, letters and digits only ("Ramipril," -> "ramipril").
pub fn norm_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A character a letter must not carry: control characters other than tab and line breaks, the
/// non-characters U+FFFE and U+FFFF (XML 1.0 allows none of them: a DOCX holding one does not
/// open), and the bidirectional embedding, override and isolate controls, which would show the
/// text around them in another order than it is written. A sidecar or a config may hold any.
pub fn unshowable(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FFFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// `s` with each character a letter must not carry ([`unshowable`]) replaced by a space.
pub fn blank_unshowable(s: &str) -> String {
    s.chars()
        .map(|c| if unshowable(c) { ' ' } else { c })
        .collect()
}
