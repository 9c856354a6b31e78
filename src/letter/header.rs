//! The letter's structure from the dictation: the header a clinician dictates first (letter type,
//! author, recipient, patient, date of birth, NHS number, priority), the spoken section headings
//! ("Diagnosis:", "Plan:"), the salutation and the sign-off. Works on the laid-out paragraphs
//! (after spoken commands, numbers and spelling), finds the header's parts by their keywords in any
//! order, whether or not Whisper punctuated them. A pure stage.

use serde::Serialize;

use crate::letter::kind::LetterKind;
use crate::text::capitalise;
use crate::text::numbers::{nhs_valid, Flag};

/// What the dictated header said. Every field is as heard (after the letter stages), or `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Header {
    pub kind: Option<LetterKind>,
    /// "Dr Kwame Mensah".
    pub author: Option<String>,
    /// "consultant cardiologist".
    pub author_role: Option<String>,
    /// "Dr Anne Mitchell", "Neurology Department".
    pub recipient: Option<String>,
    /// "Oakwood Surgery", "Royal County Hospital".
    pub recipient_place: Option<String>,
    /// "Mr Robert Fairclough".
    pub patient: Option<String>,
    /// "11 June 1958".
    pub dob: Option<String>,
    /// "999 126 7050" (digits grouped 3-3-4 when there are ten).
    pub nhs: Option<String>,
    /// "Urgent" or "Routine".
    pub priority: Option<String>,
    /// The header as dictated, for the secretary to check against.
    pub dictated: Option<String>,
    /// Identifiers dictated twice with different values ("the patient: \"Mr A\", then \"Mr B\""):
    /// the first is used.
    #[serde(skip)]
    pub repeated: Vec<String>,
}

/// A section of the letter: a heading (a PRSB heading where the spoken one maps to one) and its
/// paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub heading: Option<String>,
    pub paragraphs: Vec<String>,
}

/// The dictation laid out as a letter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Structure {
    pub header: Header,
    /// "Dear Dr Mitchell,".
    pub salutation: Option<String>,
    pub sections: Vec<Section>,
    /// "Yours sincerely".
    pub sign_off: Option<String>,
    pub flags: Vec<Flag>,
    /// Dictated words that the layout could not place where they were said (text inside the
    /// header that is no header field, text after the sign-off): kept in the body, each run here
    /// so that the notes can say where it went.
    pub moved: Vec<Moved>,
}

/// A run of dictated words the layout moved, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    pub text: String,
    /// "header": inside the dictated header, not a header field; put at the start of the body.
    /// "after_sign_off": after "Yours sincerely"; kept at the end of the body.
    pub from: &'static str,
}

/// Spoken headings and the PRSB outpatient-letter heading each maps to.
const HEADINGS: &[(&[&str], &str)] = &[
    (&["diagnosis", "diagnoses"], "Diagnoses"),
    (
        &[
            "medication",
            "medications",
            "medication changes",
            "medicines",
            "current medication",
            "drugs",
        ],
        "Medications",
    ),
    (&["plan", "management", "management plan"], "Plan"),
    (
        &[
            "actions for the gp",
            "action for the gp",
            "actions for gp",
            "gp actions",
            "requested actions",
        ],
        "Actions for the GP",
    ),
    (
        &["actions for the patient", "patient actions"],
        "Actions for the patient",
    ),
    (
        &["information given", "information given to the patient"],
        "Information given",
    ),
    (
        &["investigations", "results", "investigation results"],
        "Investigations",
    ),
    (&["allergies", "allergy", "adverse reactions"], "Allergies"),
    (&["history", "presenting complaint"], "History"),
    (
        &["examination", "on examination", "clinical examination"],
        "Examination",
    ),
    (&["follow up", "follow-up", "review"], "Follow-up"),
];

const SIGN_OFFS: &[(&str, &str)] = &[
    ("yours sincerely", "Yours sincerely"),
    ("your sincerely", "Yours sincerely"),
    // How speech recognisers often hear it.
    ("yours since yearly", "Yours sincerely"),
    ("your since yearly", "Yours sincerely"),
    // "Yours" as speech recognisers hear it before a sign-off word.
    ("you're sincerely", "Yours sincerely"),
    ("years sincerely", "Yours sincerely"),
    ("yours faithfully", "Yours faithfully"),
    ("your faithfully", "Yours faithfully"),
    ("you're faithfully", "Yours faithfully"),
    ("years faithfully", "Yours faithfully"),
    ("kind regards", "Kind regards"),
    ("best wishes", "Best wishes"),
    ("with best wishes", "With best wishes"),
    ("many thanks", "Many thanks"),
];

/// Words that begin a dictated header.
const HEADER_STARTS: &[&str] = &[
    "this is",
    "clinic letter",
    "referral",
    "letter to",
    "patient",
    "re:",
    "urgent",
    "routine",
    "discharge summary",
];

/// Splits the paragraphs into header, salutation, sections and sign-off.
pub fn structure(paragraphs: &[String]) -> Structure {
    let mut paras: Vec<String> = paragraphs.to_vec();
    let mut s = Structure::default();

    // The salutation: the first "Dear ..." (it may share a paragraph with the header before it).
    let mut header_text: Vec<String> = Vec::new();
    let mut body_start = 0;
    let salutation_at = paras
        .iter()
        .enumerate()
        .find_map(|(i, p)| find_dear(p).map(|o| (i, o)))
        .or_else(|| find_greeting(&paras));
    match salutation_at {
        Some((i, offset)) => {
            header_text.extend(paras[..i].iter().cloned());
            let head = paras[i][..offset].trim().to_owned();
            if !head.is_empty() {
                header_text.push(head);
            }
            let rest = paras[i][offset..].trim().to_owned();
            // "Dear Dr Mitchell," then perhaps the first sentence of the body. A comma far on
            // is the body's own, the salutation's comma and line break unheard ("Dear Dr Shah I
            // saw him today, and ..."): no salutation is made of a sentence.
            let (dear, after) = match rest.find([',', '\n']) {
                Some(c) if rest[..c].split_whitespace().count() <= SALUTATION_WORDS => (
                    rest[..=c].trim_end_matches('\n').to_owned(),
                    rest[c + 1..].trim(),
                ),
                None if rest.split_whitespace().count() <= 5 => (rest.clone(), ""),
                _ => (String::new(), rest.as_str()),
            };
            if !dear.is_empty() {
                // "Dear colleague," -> "Dear Colleague,"
                s.salutation = Some(
                    dear.split(' ')
                        .map(capitalise)
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
            let after = after.to_owned();
            paras[i] = after;
            body_start = i;
        }
        None => {
            // No salutation: the header is the leading paragraphs that read like one.
            while body_start < paras.len() && starts_header(&paras[body_start]) {
                header_text.push(paras[body_start].clone());
                body_start += 1;
            }
        }
    }
    let mut body: Vec<String> = paras[body_start..]
        .iter()
        .filter(|p| !p.trim().is_empty())
        .cloned()
        .collect();

    // A "Diagnosis:" inside the header starts the Diagnoses section.
    let mut header_joined = header_text.join("\n");
    let mut leading_sections: Vec<Section> = Vec::new();
    if let Some((at, heading, len)) = find_heading(&header_joined) {
        let content = header_joined[at + len..].to_owned();
        header_joined.truncate(at);
        leading_sections.push(Section {
            heading: Some(heading.to_owned()),
            paragraphs: content_lines(&content),
        });
    }
    if !header_joined.trim().is_empty() {
        let (header, unplaced) = parse_header(&header_joined);
        s.header = header;
        // Words of the header region that are no header field are dictation: they open the
        // body, never disappear.
        for run in unplaced.into_iter().rev() {
            body.insert(0, capitalise(&run));
            s.moved.insert(
                0,
                Moved {
                    text: run,
                    from: "header",
                },
            );
        }
    }

    // The sign-off: the last paragraph that starts with one.
    if let Some(i) = body.iter().rposition(|p| sign_off(p).is_some()) {
        let p = body.remove(i);
        let (so, rest) = sign_off(&p).unwrap_or_default();
        s.sign_off = Some(so.to_owned());
        // Anything dictated after the sign-off (a name, "cc ...", or more of the letter after a
        // sign-off heard too early) stays in the letter, at the end of the body, and is noted.
        let rest = rest.trim_start_matches([',', '.', ' ', '\n']).trim();
        if !rest.is_empty() {
            body.insert(i, rest.to_owned());
        }
        for p in &body[i..] {
            if p.split_whitespace().any(is_content_word) {
                s.moved.push(Moved {
                    text: p.clone(),
                    from: "after_sign_off",
                });
            }
        }
    }

    // Sections by spoken headings.
    let mut sections = leading_sections;
    let mut current = Section {
        heading: None,
        paragraphs: Vec::new(),
    };
    for p in body {
        match find_heading(&p).filter(|&(at, _, _)| at == 0) {
            Some((_, heading, len)) => {
                if current.heading.is_some() || !current.paragraphs.is_empty() {
                    sections.push(current);
                }
                current = Section {
                    heading: Some(heading.to_owned()),
                    paragraphs: content_lines(&p[len..]),
                };
            }
            None => current.paragraphs.push(p),
        }
    }
    if current.heading.is_some() || !current.paragraphs.is_empty() {
        sections.push(current);
    }
    s.sections = sections;
    s.flags = header_flags(&s);
    s
}

/// Is `lower` (a lower-case word) one of the words that name a header field or open a header
/// ("patient", "birth", "dictating", "referral")? For saying where a word that left no trace in
/// the letter went.
pub fn is_keyword_word(lower: &str) -> bool {
    KEYWORDS
        .iter()
        .map(|(k, _)| *k)
        .chain(HEADER_STARTS.iter().copied())
        .flat_map(str::split_whitespace)
        .any(|w| w.trim_end_matches(':') == lower)
        || matches!(lower, "letter" | "summary")
        || re_with_title(lower).is_some_and(|(_, needs_name)| !needs_name)
}

/// The title in "Re" and a patient's title heard as one word ("remister": Mr; see
/// [`re_apart`]), and whether it stands for one only before a name (with "re", "miss" and "ms"
/// make words of their own: "remiss", "rems").
fn re_with_title(lower: &str) -> Option<(&'static str, bool)> {
    let rest = lower
        .strip_prefix("re-")
        .or_else(|| lower.strip_prefix("re"))?;
    match rest.trim_end_matches([',', '.']) {
        "mister" | "mr" => Some(("Mr", false)),
        "misses" | "missus" | "mrs" => Some(("Mrs", false)),
        "miss" => Some(("Miss", true)),
        "ms" => Some(("Ms", true)),
        _ => None,
    }
}

/// The most words a salutation may have, "Dear" and its comma's word included ("Dear Urology
/// Team at St Aidan's Hospital," has seven).
const SALUTATION_WORDS: usize = 10;

/// Byte offset of a "Dear" that starts a salutation.
fn find_dear(p: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = p[from..].find("Dear ") {
        let at = from + i;
        let boundary = at == 0 || p[..at].ends_with([' ', '\n', '.', ',']);
        if boundary {
            return Some(at);
        }
        from = at + 5;
    }
    None
}

/// Greetings that open a letter in place of "Dear".
const GREETINGS: &[&str] = &["Hello ", "Hi ", "Good morning ", "Good afternoon "];

/// How many words may come before a greeting other than "Dear" for it to be the salutation: a
/// header is dictated in fewer; later, "Hello" is the body's.
const GREETING_WITHIN: usize = 80;

/// (paragraph, byte offset) of a salutation without "Dear" ("Hello Dr Shah,", "Hi Sam,") near
/// the start of the dictation.
fn find_greeting(paras: &[String]) -> Option<(usize, usize)> {
    let mut words_before = 0;
    for (i, p) in paras.iter().enumerate() {
        let found = GREETINGS
            .iter()
            .filter_map(|g| {
                p.match_indices(g)
                    .map(|(at, _)| at)
                    .find(|&at| at == 0 || p[..at].ends_with([' ', '\n', '.', ',']))
            })
            .min();
        if let Some(at) = found {
            return (words_before + p[..at].split_whitespace().count() <= GREETING_WITHIN)
                .then_some((i, at));
        }
        words_before += p.split_whitespace().count();
        if words_before > GREETING_WITHIN {
            return None;
        }
    }
    None
}

fn starts_header(p: &str) -> bool {
    let lower = p.trim_start().to_lowercase();
    if HEADER_STARTS.iter().any(|s| lower.starts_with(s)) {
        return true;
    }
    // A header known by its fields, whatever its first words were heard as ("These charged
    // summery to Dr ... Patient ..., date of birth ..., NHS number ..."): the patient's date of
    // birth and NHS number together begin no body.
    if lower.contains("date of birth") && lower.contains("nhs number") {
        return true;
    }
    // The letter's kind after a word or two naming the specialty: "Endocrine clinic letter to
    // ...", "Cardiology discharge summary for ...". (Only a kind of letter, not any word after
    // which a header might follow: "The referral ..." begins a body.) Two specialty words and
    // a two-word kind at most.
    let words: Vec<&str> = lower.split_whitespace().take(4).collect();
    (1..=2).any(|k| {
        words.len() > k && !words[..k].iter().any(|w| NOT_A_SPECIALTY.contains(w)) && {
            let rest = words[k..].join(" ");
            LETTER_KINDS.iter().any(|kind| rest.starts_with(kind))
        }
    })
}

/// Words that begin a sentence about a letter rather than a letter's header ("Her discharge
/// summary ...").
const NOT_A_SPECIALTY: &[&str] = &[
    "a", "an", "the", "this", "that", "his", "her", "their", "my", "our", "your", "its", "no",
];

/// Names of a kind of letter that may follow a specialty at a header's start.
const LETTER_KINDS: &[&str] = &[
    "clinic letter",
    "referral letter",
    "discharge summary",
    "discharge letter",
];

/// A spoken heading followed by a colon: (byte offset, PRSB heading, length through the colon).
fn find_heading(text: &str) -> Option<(usize, &'static str, usize)> {
    let lower = text.to_lowercase();
    let mut best: Option<(usize, &'static str, usize)> = None;
    for (spoken, heading) in HEADINGS {
        for s in *spoken {
            let pattern = format!("{s}:");
            let mut from = 0;
            while let Some(i) = lower[from..].find(&pattern) {
                let at = from + i;
                let boundary = at == 0 || lower[..at].ends_with([' ', '\n', '.']);
                if boundary && best.is_none_or(|(b, _, _)| at < b) {
                    best = Some((at, heading, pattern.len()));
                }
                from = at + pattern.len();
            }
        }
    }
    best
}

/// A section's content: one paragraph per dictated line, first letters capitalised.
fn content_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| l.trim().trim_end_matches(',').trim())
        .filter(|l| !l.is_empty())
        .map(capitalise)
        .collect()
}

/// ("Yours sincerely", what follows) when `p` starts with a sign-off.
fn sign_off(p: &str) -> Option<(&'static str, &str)> {
    let lower = p.trim_start().to_lowercase();
    let skipped = p.len() - p.trim_start().len();
    SIGN_OFFS.iter().find_map(|(spoken, written)| {
        lower
            .starts_with(spoken)
            .then(|| (*written, &p[skipped + spoken.len()..]))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Author,
    Dictating,
    To,
    Patient,
    Dob,
    Nhs,
}

const KEYWORDS: &[(&str, Field)] = &[
    ("this is", Field::Author),
    ("dictating", Field::Dictating),
    ("letter to", Field::To),
    ("referral to", Field::To),
    ("summary to", Field::To),
    ("patient", Field::Patient),
    ("re:", Field::Patient),
    ("re", Field::Patient),
    ("regarding", Field::Patient),
    ("date of birth", Field::Dob),
    // Misheard "date of birth": "mate of birth", "date on birth", "Nathan birth".
    ("of birth", Field::Dob),
    ("on birth", Field::Dob),
    ("birth", Field::Dob),
    ("d.o.b.", Field::Dob),
    ("dob", Field::Dob),
    ("born", Field::Dob),
    ("nhs number", Field::Nhs),
    ("nhs no", Field::Nhs),
    ("nhs", Field::Nhs),
];

/// `text[at..at + len]` is whole words: no letter, digit or apostrophe joins it to its
/// neighbours (the "re" of "you're" is no "Re").
fn is_word_boundary(text: &str, at: usize, len: usize) -> bool {
    let joins = |c: char| c.is_alphanumeric() || c == '\'' || c == '\u{2019}';
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    before.is_none_or(|c| !joins(c)) && after.is_none_or(|c| !joins(c))
}

/// Reads the header's parts by their keywords, in any order. Returns the header and the runs of
/// words that are no part of it (dictation that belongs in the body), in order.
fn parse_header(text: &str) -> (Header, Vec<String>) {
    let flat = re_apart(&text.split_whitespace().collect::<Vec<_>>());
    // ASCII lower case keeps every byte where it was: the keywords are ASCII, and the values
    // are cut from `flat` at the same offsets.
    let lower = flat.to_ascii_lowercase();
    let mut h = Header {
        dictated: Some(flat.clone()),
        ..Header::default()
    };
    // "Discharge summary" is often heard as "this charged summery".
    if lower.contains("discharge summary")
        || lower.contains("discharge letter")
        || lower.contains("charge summ")
        || lower.contains("charged summ")
    {
        h.kind = Some(LetterKind::Discharge);
    } else if lower.contains("referral") || lower.contains("refer ") {
        h.kind = Some(LetterKind::Referral);
    } else if lower.contains("clinic letter") || lower.contains("clinic review") {
        h.kind = Some(LetterKind::Clinic);
    }
    if lower.contains("urgent") {
        h.priority = Some("Urgent".to_owned());
    } else if lower.contains("routine") {
        h.priority = Some("Routine".to_owned());
    }
    let hits = keyword_hits(&lower);
    // Byte ranges of `flat` the header took: keywords and the values it used.
    let mut used: Vec<(usize, usize)> = hits.iter().map(|&(at, len, _)| (at, at + len)).collect();
    for (k, &(at, len, field)) in hits.iter().enumerate() {
        let end = hits.get(k + 1).map_or(flat.len(), |&(next, _, _)| next);
        let (vs, ve) = clean_range(&flat, at + len, end);
        let value = &flat[vs..ve];
        if value.is_empty() {
            continue;
        }
        let before = field_value(&h, field);
        let took = take_field(&mut h, field, value);
        if let Some((a, b)) = took {
            used.push((vs + a, vs + b));
        } else if let Some(first) = before {
            // Dictated twice: the first is used, the second stays in the letter as dictation.
            let again = &value[..word_prefix_len(value, first.split_whitespace().count().max(1))];
            if !same_words(&first, again) {
                h.repeated.push(format!(
                    "{}: \"{first}\", then \"{again}\"",
                    field_name(field)
                ));
            }
        }
    }
    (h, unplaced(&flat, &used))
}

/// What the header holds for `field` so far.
fn field_value(h: &Header, field: Field) -> Option<String> {
    match field {
        Field::Author => h.author.clone(),
        Field::To | Field::Dictating => h.recipient.clone(),
        Field::Patient => h.patient.clone(),
        Field::Dob => h.dob.clone(),
        Field::Nhs => h.nhs.clone(),
    }
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::Author => "the dictating clinician",
        Field::To | Field::Dictating => "the recipient",
        Field::Patient => "the patient",
        Field::Dob => "the date of birth",
        Field::Nhs => "the NHS number",
    }
}

/// Letters and digits alike, case and punctuation aside.
fn same_words(a: &str, b: &str) -> bool {
    let n = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    n(a) == n(b)
}

/// Every keyword occurrence, in order; a longer keyword at the same place wins.
fn keyword_hits(lower: &str) -> Vec<(usize, usize, Field)> {
    let mut hits: Vec<(usize, usize, Field)> = Vec::new();
    for (kw, field) in KEYWORDS {
        let mut from = 0;
        while let Some(i) = lower[from..].find(kw) {
            let at = from + i;
            // "Re Mr Smith", not "re-referral".
            let hyphen_after = lower[at + kw.len()..].starts_with('-');
            if is_word_boundary(lower, at, kw.len())
                && !(*kw == "re" && hyphen_after)
                && !hits.iter().any(|&(a, l, _)| at >= a && at < a + l)
            {
                hits.push((at, kw.len(), *field));
            }
            from = at + kw.len();
        }
    }
    // "Clinic letter Dr Lang": the "to" of "letter to" is often not heard; a doctor's title
    // right after "letter" is the addressee (a patient after it is said with "re" or
    // "patient", and is rarely a doctor). So is one after "summary for" or "letter for"
    // ("Discharge summary for Dr McAllister"; "for Mr ..." may be the patient: left).
    for word in ["letter", "letter for", "summary for"] {
        let len = word.len() + 1;
        for at in before_title(lower, word, ADDRESSEE_TITLES) {
            if !hits.iter().any(|&(a, l, _)| at < a + l && a < at + len) {
                hits.push((at, len, Field::To));
            }
        }
    }
    // "Discharge summary to Dr ..." heard with its kind's words misheard ("This charged summery
    // to Dr Ackman", "Falls cleanly glitter to Dr Vaughan"): where no keyword names the
    // recipient, "to" right before a doctor's title ahead of the patient's details is the
    // addressee (the patient is introduced with "re" or "patient", not "to Dr").
    if !hits
        .iter()
        .any(|&(_, _, f)| matches!(f, Field::To | Field::Dictating))
    {
        let details = hits
            .iter()
            .filter(|&&(_, _, f)| matches!(f, Field::Patient | Field::Dob | Field::Nhs))
            .map(|&(at, _, _)| at)
            .min()
            .unwrap_or(lower.len());
        if let Some(at) = before_title(lower, "to", ADDRESSEE_TITLES)
            .into_iter()
            .find(|&at| at < details && !hits.iter().any(|&(a, l, _)| at >= a && at < a + l))
        {
            hits.push((at, "to".len() + 1, Field::To));
        }
    }
    // "Re Mrs Priya Ranganathan": "Re", said as "ray", is written "Ray" by Whisper. A first name
    // is not followed by a title, so "Ray" right before one is the patient's keyword.
    for at in before_title(lower, "ray", PATIENT_TITLES) {
        hits.push((at, "ray".len(), Field::Patient));
    }
    hits.sort_by_key(|&(at, len, _)| (at, std::cmp::Reverse(len)));
    hits.dedup_by_key(|&mut (at, _, _)| at);
    hits
}

/// The header's words, one space apart, with "Re" parted from a patient's title Whisper wrote
/// into it ("Remister Gordon Petigrew", "remisses per your Ranganathan": Re Mr, Re Mrs): said
/// quickly, "Re Mr" is heard as one word, and the patient's name then ran on into the
/// recipient's. "Miss" and "Ms" only before a capitalised word (a name): "remiss of me" stays.
fn re_apart(words: &[&str]) -> String {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let name_next = words
            .get(i + 1)
            .is_some_and(|n| n.starts_with(char::is_uppercase));
        match re_with_title(&w.to_ascii_lowercase()) {
            Some((title, needs_name)) if name_next || !needs_name => {
                let punct = &w[w.trim_end_matches([',', '.']).len()..];
                out.push(format!("Re {title}{punct}"));
            }
            _ => out.push((*w).to_owned()),
        }
    }
    out.join(" ")
}

/// Where the whole word `word` stands right before one of `titles` ("letter Dr ...", "Ray Mrs
/// ..."): its byte offsets in `lower`.
fn before_title(lower: &str, word: &str, titles: &[&str]) -> Vec<usize> {
    let key = format!("{word} ");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&key) {
        let at = from + i;
        let next = lower[at + key.len()..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        if is_word_boundary(lower, at, word.len()) && titles.contains(&next) {
            out.push(at);
        }
        from = at + key.len();
    }
    out
}

/// Titles that open a patient's name.
const PATIENT_TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "master"];

/// Titles that, right after "letter", name the letter's addressee.
const ADDRESSEE_TITLES: &[&str] = &["dr", "doctor", "professor", "prof"];

/// Sets a header field from the value after its keyword, unless already set. Returns the byte
/// range of `value` the field took (`None`: nothing taken, the words stay dictation).
fn take_field(h: &mut Header, field: Field, value: &str) -> Option<(usize, usize)> {
    match field {
        Field::Author if h.author.is_none() => {
            let (name, role) = split_name(value);
            h.author = name;
            h.author_role = role;
            Some((0, value.len()))
        }
        Field::Dictating => {
            // "dictating a clinic letter to Dr Mitchell at Oakwood Surgery"
            let i = value.to_lowercase().find(" to ")?;
            if h.recipient.is_some() {
                return None;
            }
            set_recipient(h, &value[i + 4..]);
            Some((i, value.len()))
        }
        Field::To if h.recipient.is_none() => {
            set_recipient(h, value);
            Some((0, value.len()))
        }
        Field::Patient if h.patient.is_none() => {
            let (name, _) = split_name(value);
            // A title alone is no name: a header Whisper wrote in lower case ("re mrs per your
            // rag-hennithin, date of birth ..."); the words up to the next keyword are taken.
            let name =
                name.filter(|n| !PATIENT_TITLES.contains(&n.to_lowercase().trim_end_matches('.')));
            // The name is the leading capitalised words; what follows is dictation.
            let taken = match &name {
                Some(n) => word_prefix_len(value, n.split_whitespace().count()),
                None => value.len(),
            };
            h.patient = name.or_else(|| Some(value.to_owned()));
            Some((0, taken))
        }
        Field::Dob if h.dob.is_none() => {
            h.dob = Some(value.to_owned());
            Some((0, value.len()))
        }
        Field::Nhs if h.nhs.is_none() => {
            // The number itself: the leading run of digits, spaces and dashes.
            let mut end = value
                .find(|c: char| !(c.is_ascii_digit() || c == ' ' || c == '-' || c == ','))
                .unwrap_or(value.len());
            // A digit Whisper wrote as a letter joined on by a dash ("999-212-254-V"): the word
            // is the number as heard, whole, for the secretary to check (the flag says so).
            if value[..end].ends_with('-') && value[end..].starts_with(char::is_alphanumeric) {
                end += value[end..]
                    .find(|c: char| c.is_whitespace() || c == ',')
                    .unwrap_or(value.len() - end);
            }
            // Never a word cut in two ("919 1/5 815"): the number ends before a word it only
            // begins, which stays dictation.
            if value[end..].starts_with(|c: char| !c.is_whitespace())
                && value[..end].ends_with(|c: char| c.is_ascii_digit())
            {
                end = value[..end].rfind(' ').unwrap_or(0);
            }
            let number = clean(&value[..end]);
            if number.is_empty() {
                return None;
            }
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            h.nhs = Some(if digits.len() == 10 {
                format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..])
            } else {
                number
            });
            Some((0, end))
        }
        _ => None,
    }
}

/// Bytes of `v` up to the end of its `n`th word.
fn word_prefix_len(v: &str, n: usize) -> usize {
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in v.char_indices() {
        if c.is_whitespace() {
            if in_word {
                seen += 1;
                if seen == n {
                    return i;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    v.len()
}

/// Words the header's own wording is made of: never dictation on their own.
const HEADER_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "is",
    "to",
    "at",
    "of",
    "for",
    "and",
    "on",
    "from",
    "with",
    "in",
    "by",
    "letter",
    "clinic",
    "referral",
    "refer",
    "discharge",
    "summary",
    "review",
    "urgent",
    "routine",
    "dictating",
    "dictated",
    "patient",
    "re",
    "regarding",
    "date",
    "birth",
    "nhs",
    "number",
    "no",
    "dob",
    "born",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "doctor",
    "please",
    "thank",
    "you",
    "thanks",
    "new",
    "paragraph",
    "line",
    "copy",
    "cc",
];

/// Is this a word of dictation (not punctuation, a header word or a stray letter)?
pub(crate) fn is_content_word(w: &str) -> bool {
    let core: String = w
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    core.chars().count() >= 2
        && core.chars().any(char::is_alphanumeric)
        && !HEADER_WORDS.contains(&core.as_str())
}

/// The runs of words of `flat` outside the `used` ranges that hold a word of dictation.
fn unplaced(flat: &str, used: &[(usize, usize)]) -> Vec<String> {
    let mut runs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut pos = 0;
    let flush = |current: &mut Vec<&str>, runs: &mut Vec<String>| {
        if current.iter().any(|w| is_content_word(w)) {
            let text = current.join(" ");
            let text = text
                .trim_start_matches([',', ';', '.', ':', ' '])
                .trim_end_matches([',', ';', ' ']);
            runs.push(text.to_owned());
        }
        current.clear();
    };
    for w in flat.split(' ') {
        let (a, b) = (pos, pos + w.len());
        pos = b + 1;
        // A word a field took only the start of ("1/5" of a number read as "1") keeps the rest.
        match used.iter().find(|&&(s, e)| a < e && b > s) {
            None => current.push(w),
            Some(&(s, e)) => {
                flush(&mut current, &mut runs);
                if s <= a && e < b {
                    current.push(&w[e - a..]);
                }
            }
        }
    }
    flush(&mut current, &mut runs);
    runs
}

/// The range of `text[start..end]` that `clean` keeps.
fn clean_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let window = &text[start..end];
    let kept = clean(window);
    match window.find(&kept) {
        Some(i) if !kept.is_empty() => (start + i, start + i + kept.len()),
        _ => (start, start),
    }
}

/// Trims the commas, full stops and little words around a value; a value ends with its sentence.
fn clean(v: &str) -> String {
    let v = v.find(". ").map_or(v, |i| &v[..i]);
    let v = v
        .trim()
        .trim_matches(|c: char| c == ',' || c == '.' || c == ':' || c == ';');
    let v = v.trim();
    let v = v.strip_prefix("is ").unwrap_or(v);
    v.trim().to_owned()
}

/// "Dr Kwame Mensah, consultant cardiologist" -> (name, role): the name is the leading run of
/// capitalised words (titles included), the role what follows.
fn split_name(v: &str) -> (Option<String>, Option<String>) {
    let mut name = Vec::new();
    let mut rest = Vec::new();
    let mut in_name = true;
    // Job titles are often capitalised too: "Dr James Patel General Practitioner".
    const ROLE: &[&str] = &[
        "consultant",
        "general",
        "practitioner",
        "registrar",
        "specialist",
        "nurse",
        "surgeon",
        "physician",
        "gp",
        "associate",
        "senior",
        "junior",
        "clinical",
        "lead",
        "speciality",
        "specialty",
        "locum",
        "honorary",
        "advanced",
        "head",
    ];
    for (i, w) in v.split_whitespace().enumerate() {
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        let role = i > 0 && ROLE.contains(&w.trim_end_matches(',').to_lowercase().as_str());
        if in_name && capital && !role {
            let ends = w.ends_with(',');
            name.push(w.trim_end_matches(','));
            if ends {
                in_name = false;
            }
        } else {
            in_name = false;
            rest.push(w);
        }
    }
    let name = (!name.is_empty()).then(|| name.join(" "));
    let role = clean(&rest.join(" "));
    (name, (!role.is_empty()).then_some(role))
}

/// "Dr Anne Mitchell at Oakwood Surgery" / "the neurology department, Royal County Hospital".
fn set_recipient(h: &mut Header, v: &str) {
    let v = doctor_title(&clean(v));
    let lower = v.to_lowercase();
    let cut = [" at ", ", ", " of "]
        .iter()
        .filter_map(|sep| lower.find(sep).map(|i| (i, sep.len())))
        .min();
    let (who, place) = match cut {
        Some((i, len)) => (clean(&v[..i]), Some(clean(&v[i + len..]))),
        None => split_place(&v),
    };
    let who = who
        .strip_prefix("the ")
        .or_else(|| who.strip_prefix("The "))
        .unwrap_or(&who)
        .to_owned();
    // "neurology department" -> "Neurology Department"; "Dr leaner boss" -> "Dr Leaner Boss"
    let name = who.strip_prefix("Dr ").unwrap_or(&who);
    let who = if name.chars().next().is_some_and(char::is_lowercase) {
        who.split(' ').map(capitalise).collect::<Vec<_>>().join(" ")
    } else {
        who
    };
    if !who.is_empty() {
        h.recipient = Some(who);
    }
    h.recipient_place = place.filter(|p| !p.is_empty());
}

/// The recipient's title as a UK letter writes it: "doctor" (Whisper's word for it in a header
/// it wrote in lower case), "Dr." or "dr", with or without a comma after it before the name
/// ("to doctor, leaner boss, Castle Hill surgery": the comma is a pause, not the end of the
/// name) -> "Dr" and the name.
fn doctor_title(v: &str) -> String {
    for t in ["doctor", "dr.", "dr"] {
        let Some(head) = v.get(..t.len()).filter(|h| h.eq_ignore_ascii_case(t)) else {
            continue;
        };
        let rest = &v[head.len()..];
        let name = rest.trim_start_matches(',').trim_start();
        if rest.starts_with([',', ' ']) && !name.is_empty() {
            return format!("Dr {name}");
        }
    }
    v.to_owned()
}

/// "Dr Imran Qureshi Bridge Street Practice" (Whisper left out the comma) -> the person and the
/// place, when the words end with a place word: the place is the word before it, and before that
/// a street word and its name ("Bridge Street Practice", "Greenfield Surgery").
fn split_place(v: &str) -> (String, Option<String>) {
    const PLACES: &[&str] = &[
        "surgery",
        "practice",
        "centre",
        "center",
        "hospital",
        "infirmary",
        "clinic",
        "partnership",
    ];
    // A department, unit or team names the recipient; what follows it is the place.
    const DEPARTMENTS: &[&str] = &["department", "unit", "service", "team", "clinic"];
    // Words a place's name starts with ("Royal County Hospital"): no name word before them.
    const LEADS: &[&str] = &[
        "royal",
        "county",
        "university",
        "district",
        "city",
        "teaching",
    ];
    const JOINS: &[&str] = &[
        "street",
        "road",
        "lane",
        "avenue",
        "medical",
        "health",
        "park",
        "family",
        "group",
        "general",
        "community",
        "drive",
        "way",
        "hill",
        "green",
        "memorial",
    ];
    let words: Vec<&str> = v.split_whitespace().collect();
    let n = words.len();
    let is = |w: &str, list: &[&str]| list.contains(&w.to_lowercase().as_str());
    if n < 3 || !is(words[n - 1], PLACES) {
        return (v.to_owned(), None);
    }
    if let Some(k) = (1..n - 1).rev().find(|&k| is(words[k], DEPARTMENTS)) {
        return (words[..=k].join(" "), Some(words[k + 1..].join(" ")));
    }
    let mut start = n - 2;
    while start >= 2 && (is(words[start], JOINS) || is(words[start], LEADS)) {
        start -= 1;
    }
    if start + 1 < n - 1 && is(words[start + 1], LEADS) {
        start += 1;
    }
    // Keep at least a title and a name for the person.
    if start < 2 {
        return (v.to_owned(), None);
    }
    (words[..start].join(" "), Some(words[start..].join(" ")))
}

/// What the secretary must know about the header.
fn header_flags(s: &Structure) -> Vec<Flag> {
    let h = &s.header;
    let mut flags = Vec::new();
    if h.dictated.is_none() {
        flags.push(Flag {
            kind: "no_header",
            message: "no header was dictated: add the patient's name, date of birth and NHS \
                      number, and the recipient"
                .to_owned(),
        });
        return flags;
    }
    let mut missing = Vec::new();
    if h.patient.is_none() {
        missing.push("the patient's name");
    }
    if h.dob.is_none() {
        missing.push("the date of birth");
    }
    if h.nhs.is_none() {
        missing.push("the NHS number");
    }
    if h.recipient.is_none() {
        missing.push("the recipient");
    }
    if !missing.is_empty() {
        flags.push(Flag {
            kind: "missing",
            message: format!("not dictated or not recognised: {}", missing.join(", ")),
        });
    }
    if let Some(nhs) = &h.nhs {
        let digits: String = nhs.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 10 || !nhs_valid(&digits) {
            flags.push(Flag {
                kind: "nhs_number",
                message: format!(
                    "the NHS number was heard as \"{nhs}\", which {}: check it against the records",
                    if digits.len() == 10 {
                        "fails the Modulus 11 check".to_owned()
                    } else {
                        format!("has {} digits, not 10", digits.len())
                    }
                ),
            });
        }
    }
    for r in &h.repeated {
        flags.push(Flag {
            kind: "identifier_repeated",
            message: format!(
                "an identifier was dictated twice with different values, {r}: the first is used; \
                 check which is right"
            ),
        });
    }
    flags.extend(s.moved.iter().map(moved_flag));
    flags.extend(second_patient(s));
    flags
}

/// A second set of identifiers in the body ("... date of birth ..., NHS number ...") may be a
/// second dictation joined to this one, i.e. a second patient: the secretary is told where.
fn second_patient(s: &Structure) -> Option<Flag> {
    // Only a second set: a header that lost its own identifiers moved them into the body.
    if s.header.dob.is_none() && s.header.nhs.is_none() {
        return None;
    }
    let p = s
        .sections
        .iter()
        .flat_map(|sec| &sec.paragraphs)
        .find(|p| {
            let l = p.to_lowercase();
            (l.contains("date of birth") || l.contains("born on")) && l.contains("nhs")
        })?;
    let words: Vec<&str> = p.split_whitespace().take(10).collect();
    Some(Flag {
        kind: "two_patients",
        message: format!(
            "this letter may hold two patients: a second date of birth and NHS number were \
             dictated in its body; check from \"{} ...\"",
            words.join(" ")
        ),
    })
}

/// The note for dictation the layout moved: where it went and its first words.
fn moved_flag(m: &Moved) -> Flag {
    let words: Vec<&str> = m.text.split_whitespace().collect();
    let quote = if words.len() > 10 {
        format!("{} ...", words[..10].join(" "))
    } else {
        words.join(" ")
    };
    let message = match m.from {
        "header" => format!(
            "words dictated among the header details were put at the start of the letter: \
             check where \"{quote}\" belongs"
        ),
        _ => format!(
            "words dictated after the sign-off were kept at the end of the letter: check \"{quote}\""
        ),
    };
    Flag {
        kind: "moved_text",
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// Every word of dictation in the paragraphs is somewhere in the structure: the body, a
    /// heading's section, or a header field.
    fn words_kept(input: &[&str], s: &Structure) -> Vec<String> {
        let h = &s.header;
        let mut kept: Vec<String> = s
            .sections
            .iter()
            .flat_map(|sec| sec.paragraphs.iter().chain(sec.heading.iter()))
            .cloned()
            .collect();
        kept.extend(
            [
                &h.author,
                &h.author_role,
                &h.recipient,
                &h.recipient_place,
                &h.patient,
                &h.dob,
                &h.nhs,
            ]
            .into_iter()
            .flatten()
            .cloned(),
        );
        kept.extend(s.salutation.iter().cloned());
        let kept = kept.join(" ").to_lowercase();
        let norm = |w: &str| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        };
        input
            .iter()
            .flat_map(|p| p.split_whitespace())
            .filter(|w| is_content_word(w))
            .map(norm)
            .filter(|w| {
                !kept.contains(w.as_str())
                    && !SIGN_OFFS.iter().any(|(so, _)| so.contains(w.as_str()))
            })
            .collect()
    }

    #[test]
    fn a_recipient_after_misheard_kind_words_is_still_the_addressee() {
        let input = [
            "These charged summery to Dr Ackman Karimi, Riverside Health Centre. Patient Mr \
             Thomas Noak, date of birth 21 May 1960.",
            "Dear Dr Karimi,",
        ];
        let s = structure(&paras(&input));
        let to = s.header.recipient.as_deref().unwrap_or("");
        assert!(to.starts_with("Dr Ackman Karimi"), "{to:?}");
        assert_eq!(s.header.kind, Some(LetterKind::Discharge));
        assert_eq!(s.header.patient.as_deref(), Some("Mr Thomas Noak"));
        // Not a doctor named after the patient's details ("referred to Dr ..." in the body).
        let input = [
            "Clinic review. Patient Mr Colin Hart, date of birth 2 May 1950. He was referred to \
             Dr Lee last year.",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.header.recipient, None);
    }

    #[test]
    fn header_text_that_is_no_field_opens_the_body_and_is_noted() {
        // No "Dear", no "new paragraph" heard: the whole letter runs on after the NHS number.
        let input = [
            "This is Dr Ama Boateng dictating a clinic letter to Dr Paul Reid at Elm Surgery. \
             Patient Mr Colin Hart, date of birth 2 May 1950, NHS number 999 000 0018. He has had \
             three falls this month and his furosemide was reduced to 20 mg.",
            "Kind regards",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.header.patient.as_deref(), Some("Mr Colin Hart"));
        assert_eq!(s.header.nhs.as_deref(), Some("999 000 0018"));
        assert_eq!(
            s.sections[0].paragraphs[0],
            "He has had three falls this month and his furosemide was reduced to 20 mg."
        );
        assert!(
            words_kept(&input, &s).is_empty(),
            "{:?}",
            words_kept(&input, &s)
        );
        assert!(
            s.flags.iter().any(|f| f.kind == "moved_text"),
            "{:?}",
            s.flags
        );
    }

    #[test]
    fn words_after_the_patient_name_or_the_sign_off_stay_in_the_letter() {
        let input = [
            "Re Mrs Joan Pike who has rheumatoid arthritis, date of birth 1 March 1947.",
            "Dear Dr Shah,",
            "Her methotrexate continues.",
            "Yours sincerely",
            "Please also send a copy to the rheumatology nurses.",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.header.patient.as_deref(), Some("Mrs Joan Pike"));
        assert!(
            words_kept(&input, &s).is_empty(),
            "{:?}",
            words_kept(&input, &s)
        );
        assert_eq!(
            s.flags.iter().filter(|f| f.kind == "moved_text").count(),
            2,
            "{:?}",
            s.flags
        );
    }

    #[test]
    fn a_second_patient_in_the_body_is_flagged() {
        let s = structure(&paras(&[
            "Patient Mr Alan Cole, date of birth 1 May 1950, NHS number 999 000 0018.",
            "Dear Dr Shah,",
            "He is well.",
            "Patient Mrs Rita Ball, date of birth 2 June 1961, NHS number 999 000 0026. Her \
             asthma is controlled.",
        ]));
        let f = s.flags.iter().find(|f| f.kind == "two_patients");
        assert!(
            f.is_some_and(|f| f.message.contains("Patient Mrs Rita Ball")),
            "{:?}",
            s.flags
        );
        // One patient: no such note.
        let s = structure(&paras(&[
            "Patient Mr Alan Cole, date of birth 1 May 1950, NHS number 999 000 0018.",
            "Dear Dr Shah,",
            "He is well.",
        ]));
        assert!(!s.flags.iter().any(|f| f.kind == "two_patients"));
    }

    #[test]
    fn a_number_with_a_letter_joined_on_is_kept_whole_and_flagged() {
        let input = [
            "Re Mr Desmond Corey, date of birth 14th of April 1978, NHS number 999-212-254-V. Dear Dr Pennant,",
            "He is well.",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.header.nhs.as_deref(), Some("999-212-254-V"));
        assert!(words_kept(&input, &s).is_empty(), "{s:?}");
        assert!(
            s.flags.iter().any(|f| f.kind == "nhs_number"),
            "{:?}",
            s.flags
        );
    }

    #[test]
    fn an_identifier_never_cuts_a_word_in_two() {
        let input = [
            "Patient Mrs Rose Osei, NHS number 919, 1/5, 815. Dear Colleague,",
            "She is well.",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.header.nhs.as_deref(), Some("919"));
        assert!(words_kept(&input, &s).is_empty(), "{s:?}");
        assert!(
            s.moved.iter().any(|m| m.text.contains("1/5")),
            "{:?}",
            s.moved
        );
    }

    #[test]
    fn a_keyword_inside_a_word_is_no_keyword() {
        // The "re" of "you're" once took the patient's place and lost "you".
        let input = [
            "This is Dr Ama Boateng dictating a clinic letter to Dr Paul Reid. Continue the \
             hydroxycarbamide, you're in all 100 mg daily.",
            "Kind regards",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.header.patient, None);
        assert!(words_kept(&input, &s).is_empty(), "{s:?}");
    }

    #[test]
    fn a_salutation_without_dear() {
        let input = [
            "Clinic letter to Dr Paul Reid. Patient Mr Colin Hart, date of birth 2 May 1950. \
             Hello Paul,",
            "He is well.",
            "Best wishes",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.salutation.as_deref(), Some("Hello Paul,"));
        assert_eq!(s.header.patient.as_deref(), Some("Mr Colin Hart"));
        assert!(s.moved.is_empty(), "{:?}", s.moved);
        // Far into the letter, "Hello" is the body's.
        let long = "He is well. ".repeat(50);
        let input = [
            "Patient Mr Colin Hart.",
            long.as_str(),
            "Hello to his wife, who came too.",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.salutation, None);
    }

    #[test]
    fn a_comma_far_after_dear_is_the_body_s_own() {
        let heard = "Dear Dr Shah I saw Mr Cole in clinic today with his wife and daughter \
                     about his chest pain, which is better.";
        let s = structure(&paras(&[heard]));
        assert_eq!(s.salutation, None);
        // Every word stays, as dictated (not title-cased into a salutation).
        let body = s.sections[0].paragraphs.join(" ");
        assert!(body.contains("I saw Mr Cole in clinic today"), "{body}");
        let s = structure(&paras(&[
            "Dear Urology Team at St Aidan's Hospital,",
            "Seen today.",
        ]));
        assert_eq!(
            s.salutation.as_deref(),
            Some("Dear Urology Team At St Aidan's Hospital,")
        );
    }

    #[test]
    fn sign_offs_as_speech_recognisers_hear_them() {
        for (heard, want) in [
            ("You're sincerely", "Yours sincerely"),
            ("Years sincerely,", "Yours sincerely"),
            ("You're faithfully", "Yours faithfully"),
        ] {
            let s = structure(&paras(&["Dear Dr Shah,", "He is well.", heard]));
            assert_eq!(s.sign_off.as_deref(), Some(want), "{heard}");
            assert_eq!(s.sections[0].paragraphs, vec!["He is well."]);
        }
    }

    #[test]
    fn names_in_any_alphabet_are_read_whole() {
        // "İ" lower-cases to two characters: the header must not cut the text mid-character.
        let s = structure(&paras(&[
            "Patient Mr İlker Şahin, date of birth 1 May 1950, NHS number 999 000 0018.",
            "Dear Dr Ødegård,",
            "Seen today.",
        ]));
        assert_eq!(s.header.patient.as_deref(), Some("Mr İlker Şahin"));
        assert_eq!(s.header.dob.as_deref(), Some("1 May 1950"));
    }

    #[test]
    fn doubtful_identifiers_are_flagged() {
        let s = structure(&paras(&[
            "Patient Mr Alan Cole, NHS number 123 456. Patient Mr Alan Coles.",
            "Dear Dr Shah,",
            "Seen today.",
        ]));
        let kinds: Vec<&str> = s.flags.iter().map(|f| f.kind).collect();
        assert!(kinds.contains(&"nhs_number"), "{kinds:?}");
        assert!(kinds.contains(&"identifier_repeated"), "{kinds:?}");
        assert_eq!(s.header.patient.as_deref(), Some("Mr Alan Cole"));
    }

    #[test]
    fn a_run_on_header_is_read_by_its_keywords() {
        let s = structure(&paras(&[
            "This is Dr Kwame Mensah consultant cardiologist dictating a clinic letter to Dr Anne \
             Mitchell at Oakwood Surgery Patient Mr Robert Fairclough date of birth 11 June 1958 \
             NHS number 999 126 7050 Diagnosis: stable angina\nHypercholesterolaemia",
            "Dear Dr Mitchell,",
            "I saw Mr Fairclough today.",
            "Yours sincerely",
        ]));
        let h = &s.header;
        assert_eq!(h.kind, Some(LetterKind::Clinic));
        assert_eq!(h.author.as_deref(), Some("Dr Kwame Mensah"));
        assert_eq!(h.author_role.as_deref(), Some("consultant cardiologist"));
        assert_eq!(h.recipient.as_deref(), Some("Dr Anne Mitchell"));
        assert_eq!(h.recipient_place.as_deref(), Some("Oakwood Surgery"));
        assert_eq!(h.patient.as_deref(), Some("Mr Robert Fairclough"));
        assert_eq!(h.dob.as_deref(), Some("11 June 1958"));
        assert_eq!(h.nhs.as_deref(), Some("999 126 7050"));
        assert_eq!(s.salutation.as_deref(), Some("Dear Dr Mitchell,"));
        assert_eq!(s.sign_off.as_deref(), Some("Yours sincerely"));
        assert_eq!(s.sections[0].heading.as_deref(), Some("Diagnoses"));
        assert_eq!(
            s.sections[0].paragraphs,
            vec!["Stable angina", "Hypercholesterolaemia"]
        );
        assert_eq!(s.sections[1].paragraphs, vec!["I saw Mr Fairclough today."]);
        assert!(s.flags.is_empty(), "{:?}", s.flags);
    }

    #[test]
    fn order_and_punctuation_do_not_matter() {
        let s = structure(&paras(&[
            "Patient: Mrs Linda Chapman, NHS number 999 142 5438, date of birth 8 September 1964. \
             Urgent referral letter to the neurology department, Royal County Hospital. Dear \
             Colleague, I would be grateful if you could see her.",
            "Your faithfully",
        ]));
        let h = &s.header;
        assert_eq!(h.kind, Some(LetterKind::Referral));
        assert_eq!(h.patient.as_deref(), Some("Mrs Linda Chapman"));
        assert_eq!(h.dob.as_deref(), Some("8 September 1964"));
        assert_eq!(h.nhs.as_deref(), Some("999 142 5438"));
        assert_eq!(h.recipient.as_deref(), Some("Neurology Department"));
        assert_eq!(h.recipient_place.as_deref(), Some("Royal County Hospital"));
        assert_eq!(h.priority.as_deref(), Some("Urgent"));
        assert_eq!(s.salutation.as_deref(), Some("Dear Colleague,"));
        assert_eq!(
            s.sections[0].paragraphs,
            vec!["I would be grateful if you could see her."]
        );
        assert_eq!(s.sign_off.as_deref(), Some("Yours faithfully"));
    }

    #[test]
    fn a_place_without_a_comma_is_still_a_place() {
        for (v, who, place) in [
            (
                "Dr Imran Qureshi Bridge Street Practice",
                "Dr Imran Qureshi",
                "Bridge Street Practice",
            ),
            (
                "Dr Peter Lang Greenfield Surgery",
                "Dr Peter Lang",
                "Greenfield Surgery",
            ),
            (
                "Dr Simon Reeves Abbey Lane practice",
                "Dr Simon Reeves",
                "Abbey Lane practice",
            ),
        ] {
            let (w, p) = split_place(v);
            assert_eq!((w.as_str(), p.as_deref()), (who, Some(place)), "{v}");
        }
        for (v, who, place) in [
            (
                "Gynaecology Department Royal County Hospital",
                "Gynaecology Department",
                "Royal County Hospital",
            ),
            (
                "Dr Nadia Hussain Royal County Hospital",
                "Dr Nadia Hussain",
                "Royal County Hospital",
            ),
            (
                "Mr Alan Wood University Hospital",
                "Mr Alan Wood",
                "University Hospital",
            ),
        ] {
            let (w, p) = split_place(v);
            assert_eq!((w.as_str(), p.as_deref()), (who, Some(place)), "{v}");
        }
        assert_eq!(split_place("Dr Peter Lang").1, None);
        assert_eq!(
            split_name("Dr James Patel General Practitioner at Hillside Surgery"),
            (
                Some("Dr James Patel".to_owned()),
                Some("General Practitioner at Hillside Surgery".to_owned())
            )
        );
    }

    #[test]
    fn spoken_headings_become_sections() {
        let s = structure(&paras(&[
            "Dear Dr Lang,",
            "I saw Ella today.",
            "Plan: repeat bloods in 3 months.",
            "Medication changes: stop ramipril",
            "Kind regards",
        ]));
        let headings: Vec<_> = s.sections.iter().map(|x| x.heading.clone()).collect();
        assert_eq!(
            headings,
            vec![None, Some("Plan".into()), Some("Medications".into())]
        );
        assert_eq!(s.sections[1].paragraphs, vec!["Repeat bloods in 3 months."]);
    }

    /// `s` read a header from `input` (no "no header" note) and kept every word of it.
    fn read_as_header(input: &[&str], s: &Structure) {
        assert!(
            s.flags.iter().all(|f| f.kind != "no_header"),
            "{:?}",
            s.flags
        );
        assert!(
            words_kept(input, s).is_empty(),
            "{:?}",
            words_kept(input, s)
        );
    }

    #[test]
    fn a_header_may_open_with_the_specialty_before_the_kind_of_letter() {
        // No salutation: the header is known by how it starts.
        let input = [
            "Endocrine clinic letter to Dr Rachel Ingham, Moorland Medical Centre. Patient Ms \
             Aisha Rahman, date of birth 23 May 1990.",
            "Ms Rahman presented with weight loss.",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.header.recipient.as_deref(), Some("Dr Rachel Ingham"));
        assert_eq!(s.header.patient.as_deref(), Some("Ms Aisha Rahman"));
        assert_eq!(s.header.kind, Some(LetterKind::Clinic));
        read_as_header(&input, &s);
        // First words misheard, the fields heard.
        let input = [
            "These charged summery to Dr Ackman Karimi, Riverside Health Centre. Patient Mr \
             David Lee, date of birth 3 March 1950, NHS number 999 123 4567.",
            "He was admitted with pneumonia.",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.header.patient.as_deref(), Some("Mr David Lee"));
        assert!(
            s.header.nhs.is_some() && s.header.dob.is_some(),
            "{:?}",
            s.header
        );
        read_as_header(&input, &s);
        // "to" not heard after "letter".
        let s = structure(&paras(&[
            "Clinic letter Dr Peter Lang, Greenfield Surgery. Patient Ella Whitaker.",
            "Ella is well.",
        ]));
        assert_eq!(s.header.recipient.as_deref(), Some("Dr Peter Lang"));
        assert_eq!(s.header.patient.as_deref(), Some("Ella Whitaker"));
        // Addressed "for" a doctor; "for" a patient's title is not an addressee.
        let input = [
            "Discharge summary for Dr Fiona McAllister, Seaview Surgery. Patient Mr Derek \
             Holloway, date of birth 8 October 1949.",
            "Mr Holloway was admitted with breathlessness.",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.header.recipient.as_deref(), Some("Dr Fiona McAllister"));
        assert_eq!(s.header.patient.as_deref(), Some("Mr Derek Holloway"));
        read_as_header(&input, &s);
        let s = structure(&paras(&[
            "Discharge summary for Mr Derek Holloway, date of birth 8 October 1949.",
            "He was admitted with breathlessness.",
        ]));
        assert_eq!(s.header.recipient, None);
        // "Re" written as it is said, "Ray", before the patient's title; a Ray by name stays.
        let input = [
            "Clinic letter to Dr Alina Voss, Castle Hill Surgery. Ray Mrs Priya Ranganathan, \
             date of birth 29 October 1970. Dear Dr Voss,",
            "I saw Ray Smith with her today.",
        ];
        let s = structure(&paras(&input));
        assert_eq!(s.header.recipient.as_deref(), Some("Dr Alina Voss"));
        assert_eq!(s.header.patient.as_deref(), Some("Mrs Priya Ranganathan"));
        assert!(words_kept(&input, &s).is_empty(), "{s:?}");
        // A header Whisper wrote in lower case, a pause after the title heard as a comma.
        let s = structure(&paras(&[
            "clinic letter to doctor, leaner boss, Castle Hill surgery, re Mrs Priya \
             Ranganathan, date of birth 29 October 1970.",
            "I reviewed her today.",
        ]));
        assert_eq!(s.header.recipient.as_deref(), Some("Dr Leaner Boss"));
        assert_eq!(s.header.patient.as_deref(), Some("Mrs Priya Ranganathan"));
        // "Re" and the title heard as one word ("Remister", "Re-misses") before the name.
        for (heard, patient) in [
            ("Remister Gordon Pettigrew", "Mr Gordon Pettigrew"),
            ("Re-misses Priya Ranganathan", "Mrs Priya Ranganathan"),
            ("remisses Priya Ranganathan", "Mrs Priya Ranganathan"),
            ("remisses priya ranganathan", "Mrs priya ranganathan"),
        ] {
            let input = [
                format!(
                    "Clinic letter to Dr Alina Voss Castle Hill Surgery {heard}, date of birth 29 \
                     October 1970. Dear Dr Voss,"
                ),
                "It would be remiss of me not to say so.".to_owned(),
            ];
            let input: Vec<&str> = input.iter().map(String::as_str).collect();
            let s = structure(&paras(&input));
            assert_eq!(s.header.patient.as_deref(), Some(patient), "{s:?}");
            let to = s.header.recipient.as_deref().unwrap_or_default();
            assert!(!to.contains("Pettigrew") && !to.contains("Priya"), "{to}");
            assert!(s
                .sections
                .iter()
                .any(|x| x.paragraphs.iter().any(|p| p.contains("remiss of me"))));
        }
        // A body that starts with a word before "referral" is still a body.
        let s = structure(&paras(&["The referral was made last week.", "He is well."]));
        assert_eq!(s.flags[0].kind, "no_header");
        assert!(!starts_header("Her discharge summary is attached."));
    }

    #[test]
    fn no_header_is_flagged_and_the_text_kept() {
        let s = structure(&paras(&["I saw him today.", "He is well."]));
        assert_eq!(s.header, Header::default());
        assert_eq!(s.flags[0].kind, "no_header");
        assert_eq!(s.sections[0].paragraphs.len(), 2);
    }

    #[test]
    fn a_missing_part_is_flagged() {
        let s = structure(&paras(&[
            "Clinic letter to Dr Peter Lang. Patient Ella Whitaker date of birth 22 May 2018",
            "Dear Dr Lang,",
            "Text.",
        ]));
        assert_eq!(s.header.patient.as_deref(), Some("Ella Whitaker"));
        assert_eq!(s.flags.len(), 1);
        assert!(s.flags[0].message.contains("NHS number"), "{:?}", s.flags);
    }
}
