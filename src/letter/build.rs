//! The letter model: what a letter says, built from a transcript, before any template or file
//! format: the dictation laid out (spoken commands, numbers, spelling), its header, sections,
//! salutation and sign-off (`header`), the sidecar's facts winning over the dictated ones, the
//! site's letterhead, signatures and copies. A pure stage: no I/O, no templates, no docx.

use serde::Serialize;

use crate::asr::transcript::Transcript;
use crate::letter::dates;
use crate::letter::header::{self, Section};
use crate::letter::kind::LetterKind;
use crate::letter::sidecar::Sidecar;
use crate::letter::site::{Clinician, Contact, Practice, Site};
use crate::text::numbers::{self, Flag};
use crate::text::{commands, spelling};

/// Everything a template needs to write a letter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Letter {
    pub kind: LetterKind,
    pub title: &'static str,
    /// The date of the letter in UK long form ("25 November 2026").
    pub date: String,
    /// When it was dictated: the sidecar's clinic date, else the day the recording was made;
    /// none when neither is known.
    pub dictated: Option<String>,
    /// Where `dictated` came from ("the sidecar's clinic date", "the recording file's
    /// modification time"), for the record.
    pub dictated_from: Option<&'static str>,
    /// When it was typed: the day the letter was made (its date).
    pub typed: String,
    /// The sender's reference ("Our ref"), from the sidecar.
    pub our_ref: Option<String>,
    pub priority: Option<String>,
    pub practice: Option<Practice>,
    pub author: Option<String>,
    pub author_role: Option<String>,
    pub recipient: Option<String>,
    /// The recipient as dictated, where the directory entry the letters took differs from it
    /// (for the recording to be asked among the entries that sound like it).
    #[serde(skip)]
    pub dictated_recipient: Option<String>,
    pub recipient_address: Vec<String>,
    /// The recipient's place as dictated, where the directory's address was written in its
    /// place (see [`address_from_directory`]).
    #[serde(skip)]
    pub dictated_place: Option<Vec<String>>,
    pub patient: Option<String>,
    /// The patient's name as dictated, where a sidecar's name replaced it and the two differ
    /// by their letters (for the recording to be asked which it fits).
    #[serde(skip)]
    pub dictated_patient: Option<String>,
    pub dob: Option<String>,
    pub nhs: Option<String>,
    /// The hospital's number for the patient, from the sidecar.
    pub hospital_number: Option<String>,
    pub patient_address: Vec<String>,
    pub salutation: Option<String>,
    /// The salutation as dictated, where it was written with the recipient's name from the
    /// directory (see [`greet_recipient`]).
    #[serde(skip)]
    pub dictated_salutation: Option<String>,
    pub sections: Vec<Section>,
    pub sign_off: Option<String>,
    /// Lines under the sign-off: name, title, GMC number.
    pub signature: Vec<String>,
    pub cc: Vec<String>,
    /// The header as dictated, for the secretary to check the letter's against.
    pub dictated_header: Option<String>,
    /// Dictation the layout moved to where the secretary will find it.
    pub moved: Vec<header::Moved>,
    /// Every dictated paragraph in order, header included (what was said, laid out).
    pub body: Vec<String>,
    /// What the secretary must check (an NHS number that fails its check ...).
    pub flags: Vec<Flag>,
    /// The flags' messages, for the template's notes box.
    pub notes: Vec<String>,
    /// The recording this letter came from (file name only: logs and letters name files, not
    /// patients, and not folders that may).
    pub source: String,
}

impl Letter {
    /// The header of the letter's pages after the first: whom it is about, so a page that comes
    /// loose finds its letter ("Re: Mr Robert Fairclough, NHS number 999 126 7050, 4 December
    /// 2026"); its kind where the patient is not known.
    pub fn continuation(&self) -> Vec<String> {
        let mut parts: Vec<String> = match &self.patient {
            Some(p) => vec![format!("Re: {p}")],
            None => vec![self.title.to_owned()],
        };
        parts.extend(self.dob.as_ref().map(|d| format!("date of birth {d}")));
        parts.extend(self.nhs.as_ref().map(|n| format!("NHS number {n}")));
        parts.push(self.date.clone());
        vec![parts.join(", ")]
    }
}

/// What one letter is built from besides its transcript.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// The letter date, UK long form.
    pub date: String,
    pub source: String,
    pub sidecar: Option<&'a Sidecar>,
    pub site: Option<&'a Site>,
    /// Today, to check dates of birth.
    pub today: Option<time::Date>,
    /// The day the recording was made (its file's modification time), for "Dictated" where the
    /// sidecar gives no clinic date.
    pub recorded: Option<time::Date>,
}

/// Builds a letter from a transcript: the spoken commands applied, numbers and dates in UK
/// style, British spelling, then the structure (header, sections, salutation, sign-off), with a
/// sidecar's facts winning over the dictated ones.
pub fn from_transcript(transcript: &Transcript, date: String, source: String) -> Letter {
    build(
        transcript,
        &Context {
            date,
            source,
            ..Context::default()
        },
    )
}

/// Builds a letter in a context (sidecar, site, today).
pub fn build(transcript: &Transcript, cx: &Context<'_>) -> Letter {
    let mut flags = Vec::new();
    let body = commands::apply(&transcript.text())
        .paragraphs
        .iter()
        .map(|p| {
            let (p, f) = numbers::normalise(p);
            flags.extend(f);
            spelling::british(&p)
        })
        .collect::<Vec<String>>();
    if body.is_empty() {
        flags.push(Flag {
            kind: "no_speech",
            message: "no speech was recognised in the recording: listen to it; it may be silent, \
                      noise only, or the wrong file"
                .to_owned(),
        });
    }
    let s = if body.is_empty() {
        header::Structure::default()
    } else {
        header::structure(&body)
    };
    flags.extend(s.flags.iter().cloned());
    // The number pass and the header may both doubt the NHS number: one note.
    let mut nhs_noted = false;
    flags.retain(|f| f.kind != "nhs_number" || !std::mem::replace(&mut nhs_noted, true));
    let h = &s.header;

    let mut letter = Letter {
        kind: h.kind.unwrap_or(LetterKind::Clinic),
        title: LetterKind::Clinic.title(),
        date: cx.date.clone(),
        dictated: None,
        dictated_from: None,
        typed: cx.date.clone(),
        our_ref: None,
        priority: h.priority.clone(),
        practice: cx.site.and_then(|s| s.practice.clone()),
        author: h.author.clone(),
        author_role: h.author_role.clone(),
        recipient: h.recipient.clone(),
        recipient_address: h.recipient_place.iter().cloned().collect(),
        patient: h.patient.clone(),
        dictated_patient: None,
        dictated_recipient: None,
        dictated_place: None,
        dob: h.dob.clone(),
        nhs: h.nhs.clone(),
        hospital_number: None,
        patient_address: Vec::new(),
        salutation: s.salutation.clone(),
        dictated_salutation: None,
        sections: s.sections.clone(),
        sign_off: s.sign_off.clone(),
        signature: Vec::new(),
        cc: Vec::new(),
        dictated_header: h.dictated.clone(),
        moved: s.moved.clone(),
        body,
        flags,
        notes: Vec::new(),
        source: cx.source.clone(),
    };
    if let Some(sc) = cx.sidecar {
        apply_sidecar(&mut letter, sc);
    }
    letter.title = letter.kind.title();
    check_dob(&mut letter, cx.today);
    sign(&mut letter, cx.site);
    if cx.sidecar.is_none_or(|s| s.recipient.is_none()) {
        look_up_recipient(&mut letter, cx.site);
    }
    if cx.site.is_some_and(|s| s.cc_patient) {
        if let Some(p) = &letter.patient {
            letter.cc.push(format!("{p} (patient)"));
        }
    }
    let numeric = cx
        .site
        .is_some_and(|s| s.date_format.as_deref() == Some("numeric"));
    if let Some(site) = cx.site {
        letter.cc.extend(site.cc.iter().cloned());
    }
    if let (true, Some(today)) = (numeric, cx.today) {
        letter.date = written_date(today, true);
    }
    letter.typed.clone_from(&letter.date);
    dictated_on(&mut letter, cx, numeric);
    letter.notes = letter.flags.iter().map(|f| f.message.clone()).collect();
    letter
}

/// "Dictated": the sidecar's clinic date (as given where it is not a date), else the day the
/// recording was made.
fn dictated_on(l: &mut Letter, cx: &Context<'_>, numeric: bool) {
    let clinic = cx.sidecar.and_then(|s| s.clinic_date.as_deref());
    if let Some(given) = clinic.map(str::trim).filter(|d| !d.is_empty()) {
        l.dictated =
            Some(parse_date(given).map_or_else(|| given.to_owned(), |d| written_date(d, numeric)));
        l.dictated_from = Some("the sidecar's clinic date");
    } else if let Some(d) = cx.recorded {
        l.dictated = Some(written_date(d, numeric));
        l.dictated_from = Some("the recording file's modification time");
    }
}

/// A date as the letter writes its own: UK long form, or 05/03/2026 with `date_format =
/// "numeric"`.
fn written_date(d: time::Date, numeric: bool) -> String {
    if numeric {
        dates::uk_numeric(d)
    } else {
        dates::uk_long(d)
    }
}

/// A date given as ISO (2026-12-03) or as a letter writes it (3 December 2026).
fn parse_date(s: &str) -> Option<time::Date> {
    dates::parse_iso(s).or_else(|| dates::parse_uk_long(s))
}

/// Letters, digits and single spaces, lower case: how two spellings of a fact are compared.
pub(crate) fn same(a: &str, b: &str) -> bool {
    let n = |s: &str| {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    n(a) == n(b)
}

/// The sidecar wins; where the dictation said something else, the secretary is told.
fn apply_sidecar(l: &mut Letter, sc: &Sidecar) {
    let mut found: Vec<Flag> = Vec::new();
    let disagree = |what: &str, dictated: &Option<String>, sidecar: &str| {
        let d = dictated.as_ref()?;
        (!same(d, sidecar)).then(|| Flag {
            kind: "sidecar_disagrees",
            message: format!(
                "{what}: the dictation says \"{d}\", the sidecar file \"{sidecar}\" (the \
                 sidecar's is used): check which is right"
            ),
        })
    };
    if let Some(p) = &sc.patient {
        if let Some(name) = &p.name {
            // "Mr Robert Fairclough" and "Robert Fairclough" agree.
            let dictated = l.patient.clone().map(|d| strip_title(&d).to_owned());
            let differs = disagree("patient", &dictated, strip_title(name));
            if differs.is_some() {
                l.dictated_patient.clone_from(&l.patient);
            }
            found.extend(differs);
            l.patient = Some(name.clone());
        }
        if let Some(dob) = &p.dob {
            let dob = dates::iso_to_uk(dob).unwrap_or_else(|| dob.clone());
            found.extend(disagree("date of birth", &l.dob.clone(), &dob));
            l.dob = Some(dob);
        }
        if let Some(nhs) = &p.nhs {
            let digits: String = nhs.chars().filter(char::is_ascii_digit).collect();
            let written = if digits.len() == 10 {
                format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..])
            } else {
                nhs.clone()
            };
            found.extend(disagree("NHS number", &l.nhs.clone(), &written));
            if !numbers::nhs_valid(&digits) {
                found.push(Flag {
                    kind: "nhs_number",
                    message: format!(
                        "the sidecar's NHS number {written} fails the NHS number check digit: \
                         check it"
                    ),
                });
            }
            l.nhs = Some(written);
        }
        if !p.address.is_empty() {
            l.patient_address = p.address.clone();
        }
        l.hospital_number.clone_from(&p.hospital_number);
    }
    l.our_ref.clone_from(&sc.our_ref);
    if let Some(r) = &sc.recipient {
        if let Some(name) = &r.name {
            found.extend(disagree("recipient", &l.recipient.clone(), name));
            l.recipient = Some(name.clone());
        }
        if !r.address.is_empty() {
            l.recipient_address = r.address.clone();
        }
    }
    if let Some(c) = &sc.clinician {
        found.extend(disagree("clinician", &l.author.clone(), c));
        l.author = Some(c.clone());
    }
    if let Some(k) = sc.letter_type {
        if l.dictated_header.is_some() && k != l.kind {
            found.push(Flag {
                kind: "sidecar_disagrees",
                message: format!(
                    "letter type: the dictation says {}, the sidecar file {} (the sidecar's is \
                     used): check which is right",
                    l.kind.title().to_lowercase(),
                    k.title().to_lowercase()
                ),
            });
        }
        l.kind = k;
    }
    if let Some(p) = &sc.priority {
        l.priority = Some(header_case(p));
    }
    l.flags.extend(found);
    // Facts now known need no "not dictated" note.
    let known = [
        ("the patient's name", l.patient.is_some()),
        ("the date of birth", l.dob.is_some()),
        ("the NHS number", l.nhs.is_some()),
        ("the recipient", l.recipient.is_some()),
    ];
    for f in l.flags.iter_mut().filter(|f| f.kind == "missing") {
        let still: Vec<&str> = known
            .iter()
            .filter(|(what, have)| !have && f.message.contains(what))
            .map(|(what, _)| *what)
            .collect();
        f.message = format!("not dictated or not recognised: {}", still.join(", "));
        if still.is_empty() {
            f.message.clear();
        }
    }
    l.flags
        .retain(|f| !(f.kind == "missing" && f.message.is_empty()));
    if l.dictated_header.is_none() && l.patient.is_some() {
        l.flags.retain(|f| f.kind != "no_header");
    }
}

fn header_case(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| {
            f.to_uppercase()
                .chain(c.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

/// A dictated role as a signature line: a capital first, the rest as heard (Whisper writes the
/// names and abbreviations in it with their capitals: "GP at Elmstead Surgery", where a
/// lower-cased rest made "Gp at elmstead surgery"); a place alone ("at Quarry Lane Surgery")
/// without its "at".
fn role_case(s: &str) -> String {
    crate::text::capitalise(s.strip_prefix("at ").unwrap_or(s))
}

pub(crate) fn strip_title(name: &str) -> &str {
    for t in ["Mr ", "Mrs ", "Miss ", "Ms ", "Master ", "Dr ", "Mx "] {
        if let Some(rest) = name.strip_prefix(t) {
            return rest;
        }
    }
    name
}

/// A date of birth in the future (or not a date at all) is flagged.
fn check_dob(l: &mut Letter, today: Option<time::Date>) {
    let Some(dob) = &l.dob else { return };
    match dates::parse_uk_long(dob) {
        Some(d) => {
            if today.is_some_and(|t| d > t) {
                l.flags.push(Flag {
                    kind: "date_of_birth",
                    message: format!("the date of birth {dob} is in the future: check it"),
                });
            }
        }
        None => l.flags.push(Flag {
            kind: "date_of_birth",
            message: format!("the date of birth \"{dob}\" is not a whole date: check it"),
        }),
    }
}

/// A dictated recipient that sounds like a directory entry is written as the directory has it,
/// with its address; the secretary is told what was heard. An entry sounds like the recipient
/// when each of its words sounds like the heard word in its place, or its words together sound
/// like the first heard words together ("Katri Oma Monroe": Catriona Munro); heard words after
/// the name (a practice heard into the name) are not held against it. Of several such entries
/// the nearest in spelling is taken, and only when no other is about as near.
fn look_up_recipient(l: &mut Letter, site: Option<&Site>) {
    let (Some(site), Some(heard)) = (site, l.recipient.clone()) else {
        return;
    };
    let Some(c) = nearest_contact(&heard, &site.directory) else {
        l.flags.extend(unknown_recipient(&heard, &site.directory));
        return;
    };
    if !same(&heard, &c.name) {
        l.dictated_recipient = Some(heard.clone());
        l.flags.push(Flag {
            kind: "recipient",
            message: format!(
                "the recipient was heard as \"{heard}\" and taken to be {} (from the \
                 directory): check",
                c.name
            ),
        });
    }
    l.recipient = Some(c.name.clone());
    if let Some(f) = address_from_directory(l, c) {
        l.flags.push(f);
    }
    if let Some(f) = greet_recipient(l, c, &site.directory) {
        l.flags.push(f);
    }
}

/// The note for a dictated recipient the practice's directory does not hold by its letters:
/// the letter goes to the name as heard, and the secretary checks the name and the address.
/// Where several entries sound about as like it, the note names them. None without a
/// directory, or where an entry is the name itself.
fn unknown_recipient(heard: &str, directory: &[Contact]) -> Option<Flag> {
    if directory.is_empty() || directory.iter().any(|c| same(heard, &c.name)) {
        return None;
    }
    let alike: Vec<&str> = contacts_sounding_like(heard, directory)
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let message = match alike.as_slice() {
        [] => format!(
            "the recipient \"{heard}\" is not in the practice's directory: check the name and \
             the address"
        ),
        some => format!(
            "the recipient \"{heard}\" sounds like more than one name in the practice's \
             directory ({}): check which, and the address",
            one_and_another(some)
        ),
    };
    Some(Flag {
        kind: "recipient_unknown",
        message,
    })
}

/// Writes the directory's address for the recipient `c`, where it has one, in place of the
/// place dictated with the name; where the dictated place is not part of that address ("Millray
/// surgery" for Millbrae Surgery), the flag quotes it, so the dictated words are in the notes
/// box, not lost. The place as dictated is kept (`dictated_place`) for another entry chosen
/// after; an entry with no address gets it back.
fn address_from_directory(l: &mut Letter, c: &Contact) -> Option<Flag> {
    if c.address.is_empty() {
        if let Some(dictated) = l.dictated_place.take() {
            l.recipient_address = dictated;
        }
        return None;
    }
    let before = std::mem::replace(&mut l.recipient_address, c.address.clone());
    let dictated = l.dictated_place.get_or_insert(before).clone();
    let in_address = |line: &String| {
        let line = letters(line);
        c.address.iter().any(|a| letters(a).contains(&line))
    };
    if dictated
        .iter()
        .all(|line| letters(line).is_empty() || in_address(line))
    {
        return None;
    }
    Some(Flag {
        kind: "recipient_place",
        message: format!(
            "the recipient's place was heard as \"{}\"; the directory's address for {} is \
             written: check",
            dictated.join(", "),
            c.name
        ),
    })
}

/// A name's letters and digits, lower case: how names are compared by spelling.
fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The longest run of words after the greeted name that a salutation may hold and still be
/// taken for a greeting of the recipient: Whisper writes the spoken "comma" after a name as
/// words ("Dear Dr Pendly, calm a": "Calm A", "Comment").
const GREETING_TAIL: usize = 2;

/// The salutation written with the name of the recipient the letter is addressed to (an entry
/// of the practice's directory), where the dictation greets them by a name heard otherwise
/// ("Dear Dr Tefan," to Dr Marguerite Tiffen: "Dear Dr Tiffen,"), within [`NAME_APART`] of the
/// name's letters and not another name of the directory; or a department by a word heard for
/// "Colleague" ("Dear Colleen,"). What was heard is kept in the flag (and in
/// `dictated_salutation`, from which [`greet_after_build`] starts again for another recipient),
/// for the secretary to check; a greeting of someone else, a first name alone or words beyond a
/// name and a heard comma are left as dictated.
fn greet_recipient(l: &mut Letter, c: &Contact, directory: &[Contact]) -> Option<Flag> {
    let heard = l.salutation.clone()?;
    let greeted = heard.strip_prefix("Dear ")?.trim_end_matches(',').trim();
    // The salutation's own comma, where the layout gave it one.
    let comma = if heard.ends_with(',') { "," } else { "" };
    let words: Vec<&str> = greeted.split_whitespace().collect();
    let named = strip_title(&c.name);
    let titled = named.len() < c.name.len();
    let written = if titled {
        // A person: the salutation's title, then their names, the last near the surname.
        let title = c.name[..c.name.len() - named.len()].trim();
        let said = strip_title(greeted);
        if said.len() == greeted.len() {
            return None;
        }
        let said: Vec<&str> = said.split_whitespace().collect();
        let names: Vec<&str> = named.split_whitespace().collect();
        let surname = letters(names.last()?);
        let (at, d) = said
            .iter()
            .take(names.len())
            .enumerate()
            .map(|(k, w)| (k, crate::text::terms::apart(&letters(w), &surname)))
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        // A surname of another of the directory's people, as heard: someone else greeted.
        let someone_else = |w: &str| {
            directory.iter().any(|o| {
                o.name != c.name
                    && o.name
                        .split_whitespace()
                        .last()
                        .is_some_and(|s| letters(s) == letters(w))
            })
        };
        if d > NAME_APART || said.len() - at - 1 > GREETING_TAIL || someone_else(said[at]) {
            return None;
        }
        let kept = &names[names.len() - (at + 1).min(names.len())..];
        format!("Dear {title} {}{comma}", kept.join(" "))
    } else {
        // A department or team: "Colleague" heard as a name ("Colleen", "Colley").
        let first = letters(words.first()?);
        // (Not a name of someone in the directory: "Dear Colleen," may greet her.)
        let a_name = directory.iter().any(|o| {
            strip_title(&o.name)
                .split_whitespace()
                .any(|w| letters(w) == first)
        });
        if !first.starts_with("coll")
            || first.starts_with("colleague")
            || words.len() > 1 + GREETING_TAIL
            || a_name
        {
            return None;
        }
        format!("Dear Colleague{comma}")
    };
    if letters(&written) == letters(&heard) {
        return None;
    }
    l.dictated_salutation = Some(heard.clone());
    l.salutation = Some(written.clone());
    let greeted_heard = heard.trim_end_matches(',');
    Some(Flag {
        kind: "salutation",
        message: format!(
            "the salutation was heard as \"{greeted_heard}\" and written \"{}\", to the \
             recipient {} (from the directory): check",
            written.trim_end_matches(','),
            c.name
        ),
    })
}

/// How much nearer (in spelling, 0..1) the nearest entry must be than the next to be taken.
pub(crate) const CLEARLY_NEARER: f32 = 0.05;

/// How far (0..1, edit distance over the letters) a name may be from the heard one to be asked
/// about at all: the recording chooses among names like what was heard, never one unlike it.
/// Log-probabilities favour common names ("Owen Davies" scored better than the "Oluwaseun
/// Adeyemi" said, heard as "Alluasuna Diemi", 0.79 apart); the names rightly chosen on the six
/// evaluation sets were 0.36 to 0.53 from the heard words ("Naveya Hossing": Nadia Hussain 0.46,
/// "Peter the Zero Fluis": Peter Lewis 0.53), the two wrongly chosen 0.79 and 0.85.
pub const NAME_APART: f32 = 0.6;

/// The `n` of `people` whose names (`name`) are nearest the `heard` name in letters, titles
/// aside, and within [`NAME_APART`] of it, nearest first, each with its distance.
pub fn nearest_by_name<'a, T>(
    heard: &str,
    people: &'a [T],
    name: impl Fn(&T) -> &str,
    n: usize,
) -> Vec<(f32, &'a T)> {
    let h = letters(strip_title(heard));
    let mut near: Vec<(f32, &T)> = people
        .iter()
        .map(|p| {
            (
                crate::text::terms::apart(&h, &letters(strip_title(name(p)))),
                p,
            )
        })
        .filter(|&(d, _)| d <= NAME_APART)
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    near.truncate(n);
    near
}

/// Signs the letter as the configured clinician `c`, where the recording chose them among the
/// configuration's clinicians; the secretary is told what was heard.
pub fn clinician_by_sound(l: &mut Letter, c: &Clinician) {
    let heard = l.author.clone().unwrap_or_default();
    let message = format!(
        "the dictating clinician was heard as \"{heard}\"; the recording fits {} from the \
         configuration best, who signs: check",
        c.name
    );
    flag_after_build(l, "author", message);
    l.author = Some(c.name.clone());
    l.signature = signature_of(c, l.author_role.as_deref());
}

/// Flags `message` on a letter already built: into its notes box too, which `build` made from
/// the flags it had then.
fn flag_after_build(l: &mut Letter, kind: &'static str, message: String) {
    l.notes.push(message.clone());
    l.flags.push(Flag { kind, message });
}

/// Takes back the flags `gone` picks on a letter already built, and their lines in the notes box.
fn unflag(l: &mut Letter, gone: impl Fn(&Flag) -> bool) {
    let messages: Vec<String> = l
        .flags
        .iter()
        .filter(|f| gone(f))
        .map(|f| f.message.clone())
        .collect();
    l.flags.retain(|f| !gone(f));
    l.notes.retain(|n| !messages.contains(n));
}

/// Writes `c` as the letter's recipient, with its address, where the recording chose it among
/// the directory's names; the secretary is told what was heard.
pub fn recipient_by_sound(l: &mut Letter, c: &Contact, directory: &[Contact]) {
    let heard = l.recipient.clone().unwrap_or_default();
    let message = format!(
        "the recipient was heard as \"{heard}\"; the recording fits {} from the directory best, \
         which is written: check",
        c.name
    );
    unflag(l, |f| f.kind == "recipient_unknown");
    flag_after_build(l, "recipient", message);
    l.recipient = Some(c.name.clone());
    place_after_build(l, c);
    greet_after_build(l, c, directory);
}

/// [`address_from_directory`] on a letter already built, its note in place of one made for
/// another recipient.
fn place_after_build(l: &mut Letter, c: &Contact) {
    unflag(l, |f| f.kind == "recipient_place");
    if let Some(f) = address_from_directory(l, c) {
        flag_after_build(l, f.kind, f.message);
    }
}

/// [`greet_recipient`] on a letter already built, its note in place of one made for another
/// recipient.
fn greet_after_build(l: &mut Letter, c: &Contact, directory: &[Contact]) {
    if let Some(dictated) = l.dictated_salutation.take() {
        l.salutation = Some(dictated);
    }
    unflag(l, |f| f.kind == "salutation");
    if let Some(f) = greet_recipient(l, c, directory) {
        flag_after_build(l, f.kind, f.message);
    }
}

/// Writes `c` as the letter's recipient in place of the directory entry the letters took, where
/// the recording chose it among the entries that sound like the dictated name
/// (`dictated_recipient`); the note the letters made is replaced.
pub fn recipient_retaken_by_sound(l: &mut Letter, c: &Contact, directory: &[Contact]) {
    let heard = l.dictated_recipient.clone().unwrap_or_default();
    let by_letters = l.recipient.clone().unwrap_or_default();
    let message = format!(
        "the recipient was heard as \"{heard}\"; of the directory's names like it ({by_letters} \
         nearest in letters), the recording fits {} best, which is written: check",
        c.name
    );
    let was = format!("the recipient was heard as \"{heard}\"");
    unflag(l, |f| f.kind == "recipient" && f.message.starts_with(&was));
    flag_after_build(l, "recipient", message);
    l.recipient = Some(c.name.clone());
    place_after_build(l, c);
    greet_after_build(l, c, directory);
}

/// Says which other entries of the directory (`others`) sound like the dictated recipient
/// (`dictated_recipient`) and could not be told by the recording from the one the letters
/// wrote: the secretary checks which was meant. The note the letters made is replaced; with no
/// `others`, nothing changes.
pub fn recipient_untold_from(l: &mut Letter, others: &[&Contact]) {
    if others.is_empty() {
        return;
    }
    let also = one_and_another(&others.iter().map(|c| c.name.as_str()).collect::<Vec<_>>());
    let heard = l.dictated_recipient.clone().unwrap_or_default();
    let written = l.recipient.clone().unwrap_or_default();
    let message = format!(
        "the recipient was heard as \"{heard}\" and taken to be {written} (from the directory, \
         the nearest in letters); the directory also has {also}, which the recording cannot \
         tell from it: check which was meant"
    );
    let was = format!("the recipient was heard as \"{heard}\"");
    unflag(l, |f| f.kind == "recipient" && f.message.starts_with(&was));
    flag_after_build(l, "recipient", message);
}

/// Names as a note lists them: "A", "A and B", "A, B and C".
fn one_and_another(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The directory entry the heard recipient stands for (see [`look_up_recipient`]): the nearest
/// in spelling of those that sound like it, where no other is about as near.
fn nearest_contact<'a>(heard: &str, directory: &'a [Contact]) -> Option<&'a Contact> {
    match sounding_like(heard, directory).as_slice() {
        [] => None,
        [(_, c)] => Some(c),
        [(best, c), (next, _), ..] => (next - best >= CLEARLY_NEARER).then_some(*c),
    }
}

/// The directory entries that sound like the heard recipient, nearest in spelling first (see
/// [`look_up_recipient`]).
pub fn contacts_sounding_like<'a>(heard: &str, directory: &'a [Contact]) -> Vec<&'a Contact> {
    sounding_like(heard, directory)
        .into_iter()
        .map(|(_, c)| c)
        .collect()
}

fn sounding_like<'a>(heard: &str, directory: &'a [Contact]) -> Vec<(f32, &'a Contact)> {
    sounding_like_by(heard, directory, |c| &c.name)
}

/// The `people` whose names (`name`) sound like the heard one, nearest in spelling first: each
/// word alike in its place, or the words together, or the first and last words with a word or
/// two heard between them.
fn sounding_like_by<'a, T>(
    heard: &str,
    people: &'a [T],
    name: impl Fn(&T) -> &str,
) -> Vec<(f32, &'a T)> {
    let words = |n: &str| -> Vec<String> {
        strip_title(n)
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let h = words(heard);
    if h.is_empty() {
        return Vec::new();
    }
    let spelling = crate::text::terms::apart;
    let mut found: Vec<(f32, &T)> = people
        .iter()
        .filter_map(|c| {
            let d = words(name(c));
            if d.is_empty() {
                return None;
            }
            let joined_d = d.concat();
            // Word by word, over the first heard words.
            let by_word = (h.len() >= d.len()
                && h.iter()
                    .zip(&d)
                    .all(|(a, b)| crate::text::terms::sounds_alike(a, b)))
            .then(|| spelling(&h[..d.len()].concat(), &joined_d));
            // All together, over the first one to a few more heard words than the entry has.
            let together = (1..=h.len().min(d.len() + 2))
                .map(|n| h[..n].concat())
                .filter(|j| crate::text::terms::sounds_alike(j, &joined_d))
                .map(|j| spelling(&j, &joined_d) + CLEARLY_NEARER)
                .reduce(f32::min);
            // Word by word with a word or two heard between the entry's first and last words
            // (Whisper writes a pause inside a name as words: "Peter the Zerooth Lang").
            let spread = (d.len() == 2 && crate::text::terms::sounds_alike(&h[0], &d[0]))
                .then(|| {
                    (2..=3)
                        .filter(|&j| j < h.len())
                        .filter(|&j| crate::text::terms::sounds_alike(&h[j], &d[1]))
                        .map(|j| spelling(&[h[0].as_str(), &h[j]].concat(), &joined_d))
                        .map(|apart| apart + CLEARLY_NEARER)
                        .reduce(f32::min)
                })
                .flatten();
            by_word
                .into_iter()
                .chain(together)
                .chain(spread)
                .reduce(f32::min)
                .map(|d| (d, c))
        })
        .collect();
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    found
}

/// The signature block: the configured clinician matching the author, else the author as
/// dictated. The clinician whose whole name sounds like the author's, the nearest in spelling
/// of those (as for the recipient: "Dr Samuel Ose" is Dr Samuel Osei, not Dr Samir Ossei); else,
/// where only a surname sounds alike (the first name misheard), the nearest in spelling of
/// those; never merely the first listed.
fn sign(l: &mut Letter, site: Option<&Site>) {
    let surname = |n: &str| n.split_whitespace().last().unwrap_or("").to_lowercase();
    let configured = site.and_then(|s| {
        let a = l.author.as_deref()?;
        if let Some(&(_, c)) = sounding_like_by(a, &s.clinicians, |c| &c.name).first() {
            return Some(c);
        }
        let apart = |c: &Clinician| {
            crate::text::terms::apart(&letters(strip_title(a)), &letters(strip_title(&c.name)))
        };
        s.clinicians
            .iter()
            .filter(|c| crate::text::terms::sounds_alike(&surname(a), &surname(&c.name)))
            .min_by(|x, y| apart(x).total_cmp(&apart(y)))
    });
    // The configured clinician's own spelling of their name, and a note when it was heard
    // differently.
    if let (Some(c), Some(a)) = (configured, l.author.clone()) {
        if !same(&a, &c.name) {
            l.flags.push(Flag {
                kind: "author",
                message: format!(
                    "the dictating clinician was heard as \"{a}\" and taken to be {} (from the \
                     configuration): check",
                    c.name
                ),
            });
            l.author = Some(c.name.clone());
        }
    }
    l.signature = match configured {
        Some(c) => signature_of(c, l.author_role.as_deref()),
        None => {
            let mut lines: Vec<String> = l.author.iter().cloned().collect();
            lines.extend(l.author_role.as_deref().map(role_case));
            lines
        }
    };
}

/// A configured clinician's signature lines: their own, or name, title (else the role as
/// dictated: nothing dictated is dropped) and GMC number.
fn signature_of(c: &Clinician, dictated_role: Option<&str>) -> Vec<String> {
    c.signature.clone().unwrap_or_else(|| {
        let mut lines = vec![c.name.clone()];
        lines.extend(c.title.clone().or_else(|| dictated_role.map(role_case)));
        lines.extend(c.gmc.as_ref().map(|g| format!("GMC {g}")));
        lines
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asr::transcript::Segment;

    /// The letter built from `t` with the practice's configuration `site`.
    fn built_for_site(t: &Transcript, site: &Site) -> Letter {
        build(
            t,
            &Context {
                site: Some(site),
                ..Context::default()
            },
        )
    }

    fn transcript(lines: &[&str]) -> Transcript {
        Transcript {
            segments: lines
                .iter()
                .map(|t| Segment {
                    start: 0.0,
                    end: 2.0,
                    text: (*t).into(),
                    no_speech_prob: 0.0,
                    tokens: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn empty_transcript_gives_empty_body() {
        let l = from_transcript(&Transcript::default(), "1 May 2026".into(), "a.wav".into());
        assert!(l.body.is_empty());
        assert_eq!(l.flags[0].kind, "no_speech");
    }

    #[test]
    fn body_is_the_dictation_laid_out() {
        let t = transcript(&[
            "Dear Doctor Patel comma new paragraph.",
            "I saw him today full stop",
        ]);
        let l = from_transcript(&t, "1 May 2026".into(), "a.wav".into());
        assert_eq!(
            l.body,
            vec!["Dear Dr Patel,".to_string(), "I saw him today.".to_string()]
        );
        assert_eq!(l.salutation.as_deref(), Some("Dear Dr Patel,"));
        assert_eq!(l.sections[0].paragraphs, vec!["I saw him today."]);
    }

    fn dictated() -> Transcript {
        transcript(&[
            "Referral letter to Dr. Anne Mitchell at Oakwood Surgery. Patient Mr. Robert \
             Fairclough, date of birth 11th of June 1958, NHS number 999-126-7050.",
            "Dear Doctor Mitchell comma new paragraph I saw him today full stop new paragraph \
             yours sincerely",
        ])
    }

    #[test]
    fn the_header_fills_the_letter() {
        let site = Site {
            cc_patient: true,
            ..Site::default()
        };
        let l = built_for_site(&dictated(), &site);
        assert_eq!(l.kind, LetterKind::Referral);
        assert_eq!(l.patient.as_deref(), Some("Mr Robert Fairclough"));
        assert_eq!(l.dob.as_deref(), Some("11 June 1958"));
        assert_eq!(l.nhs.as_deref(), Some("999 126 7050"));
        assert_eq!(l.recipient.as_deref(), Some("Dr Anne Mitchell"));
        assert_eq!(l.recipient_address, vec!["Oakwood Surgery"]);
        assert_eq!(l.sign_off.as_deref(), Some("Yours sincerely"));
        assert_eq!(l.cc, vec!["Mr Robert Fairclough (patient)"]);
        assert!(l.flags.is_empty(), "{:?}", l.flags);
    }

    #[test]
    fn the_sidecar_wins_and_a_disagreement_is_flagged() {
        let sc: Sidecar = serde_json::from_str(
            r#"{"patient": {"name": "Robert Fairclough", "dob": "1958-06-12",
                "nhs": "9991267050", "address": ["1 High Street", "Oakwood"]},
                "recipient": {"name": "Dr Anne Mitchell"}, "letter_type": "clinic"}"#,
        )
        .unwrap();
        let l = build(
            &dictated(),
            &Context {
                sidecar: Some(&sc),
                ..Context::default()
            },
        );
        assert_eq!(l.dob.as_deref(), Some("12 June 1958"));
        assert_eq!(l.patient.as_deref(), Some("Robert Fairclough"));
        assert_eq!(l.patient_address, vec!["1 High Street", "Oakwood"]);
        assert_eq!(l.kind, LetterKind::Clinic);
        let kinds: Vec<&str> = l
            .flags
            .iter()
            .filter(|f| f.kind == "sidecar_disagrees")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(kinds.len(), 2, "{kinds:?}");
        assert!(kinds[0].contains("date of birth") && kinds[0].contains("11 June 1958"));
        assert!(kinds[1].contains("letter type"));
    }

    #[test]
    fn the_configured_clinician_signs_even_when_misheard() {
        let site: Site = toml::from_str(
            "[[clinicians]]\nname = \"Dr Kwame Mensah\"\ntitle = \"Consultant Cardiologist\"\n\
             gmc = \"7012345\"\n",
        )
        .unwrap();
        let t = transcript(&[
            "This is Dr. Quay Menza, consultant cardiologist, dictating a clinic letter to Dr. \
             Lang. Dear Dr. Lang, new paragraph I saw her full stop new paragraph yours sincerely",
        ]);
        let l = built_for_site(&t, &site);
        assert_eq!(
            l.signature,
            vec!["Dr Kwame Mensah", "Consultant Cardiologist", "GMC 7012345"]
        );
        assert!(l.flags.iter().any(|f| f.kind == "author"), "{:?}", l.flags);
    }

    #[test]
    fn of_clinicians_with_one_surname_the_nearest_name_signs_not_the_first_listed() {
        let site: Site = toml::from_str(
            "[[clinicians]]\nname = \"Dr Samir Ossei\"\n\n[[clinicians]]\nname = \"Dr Samuel Osei\"\n\n\
             [[clinicians]]\nname = \"Mr Rory Galbraith\"\n\n[[clinicians]]\nname = \"Mr Ruaridh Galbraith\"\n",
        )
        .unwrap();
        for (heard, signs) in [
            ("Dr. Samuel Ose", "Dr Samuel Osei"),
            ("Dr. Samir Osei", "Dr Samir Ossei"),
            ("Mr. Ruari Galbraith", "Mr Ruaridh Galbraith"),
            ("Mr. Rory Galbraith", "Mr Rory Galbraith"),
        ] {
            let t = transcript(&[&format!(
                "This is {heard}, dictating a clinic letter to Dr. Lang. Dear Dr. Lang, new \
                 paragraph I saw her full stop new paragraph yours sincerely"
            )]);
            let l = built_for_site(&t, &site);
            assert_eq!(
                l.signature.first().map(String::as_str),
                Some(signs),
                "{heard}"
            );
        }
    }

    #[test]
    fn a_dictated_role_keeps_the_capitals_of_its_names() {
        for (introduced, role) in [
            (
                "Dr. Bethan Lloyd, GP at Quarry Lane Surgery,",
                "GP at Quarry Lane Surgery",
            ),
            (
                "Dr. Bethan Lloyd, consultant cardiologist,",
                "Consultant cardiologist",
            ),
            // A place alone, without its "at".
            (
                "Dr. Bethan Lloyd at Quarry Lane Surgery",
                "Quarry Lane Surgery",
            ),
        ] {
            let t = transcript(&[&format!(
                "This is {introduced} dictating a referral to Dr. Lang. Dear Dr. Lang, new \
                 paragraph I saw her full stop new paragraph yours sincerely"
            )]);
            let l = build(&t, &Context::default());
            assert_eq!(l.signature, vec!["Dr Bethan Lloyd", role], "{introduced}");
        }
    }

    #[test]
    fn discharge_summaries_copies_and_numeric_dates() {
        let site: Site =
            toml::from_str("cc = [\"Medical Records\"]\ndate_format = \"numeric\"\n").unwrap();
        let t = transcript(&[
            "Discharge summary to Dr. Lang. Patient Ella Whitaker. Dear Dr. Lang, new paragraph \
             text full stop",
        ]);
        let l = build(
            &t,
            &Context {
                site: Some(&site),
                today: Some(time::macros::date!(2026 - 03 - 05)),
                ..Context::default()
            },
        );
        assert_eq!(l.kind, LetterKind::Discharge);
        assert_eq!(l.title, "Discharge summary");
        assert_eq!(l.cc, vec!["Medical Records"]);
        assert_eq!(l.date, "05/03/2026");
    }

    /// The letter's notes that its recipient is not in the directory.
    fn unknown_recipient_notes(l: &Letter) -> Vec<&Flag> {
        l.flags
            .iter()
            .filter(|f| f.kind == "recipient_unknown")
            .collect()
    }

    #[test]
    fn a_recipient_in_the_directory_is_written_as_it_has_them() {
        let site: Site = toml::from_str(
            "[[directory]]\nname = \"Dr Simon Reeves\"\naddress = [\"Abbey Lane Practice\", \
             \"4 Abbey Lane\"]\n[[directory]]\nname = \"Dr Anne Mitchell\"\n",
        )
        .unwrap();
        let build_for = |recipient: &str| {
            let t = transcript(&[&format!(
                "Clinic letter to {recipient}. Patient Ella Whitaker. Dear Doctor, new paragraph \
                 text full stop"
            )]);
            built_for_site(&t, &site)
        };
        let l = build_for("Dr. Siman Reeves");
        assert_eq!(l.recipient.as_deref(), Some("Dr Simon Reeves"));
        assert_eq!(
            l.recipient_address,
            vec!["Abbey Lane Practice", "4 Abbey Lane"]
        );
        assert!(
            l.flags.iter().any(|f| f.kind == "recipient"),
            "{:?}",
            l.flags
        );
        // Someone else is left as dictated, and the notes say the directory does not hold them.
        let l = build_for("Dr. Peter Lang");
        assert_eq!(l.recipient.as_deref(), Some("Dr Peter Lang"));
        assert!(!l.flags.iter().any(|f| f.kind == "recipient"));
        let unknown = unknown_recipient_notes(&l);
        assert_eq!(unknown.len(), 1, "{:?}", l.flags);
        assert!(
            unknown[0]
                .message
                .contains("\"Dr Peter Lang\" is not in the practice's directory"),
            "{unknown:?}"
        );
        // Nor is anything said of a recipient the directory holds as dictated.
        let l = build_for("Dr Anne Mitchell");
        assert!(l.flags.iter().all(|f| !f.kind.starts_with("recipient")));
    }

    #[test]
    fn a_recipient_like_several_directory_names_is_noted_with_them() {
        let site: Site = toml::from_str(
            "[[directory]]\nname = \"Dr Oksana Petrenko\"\n[[directory]]\nname = \"Dr Oxana \
             Petrenko\"\n[[directory]]\nname = \"Dr Anne Mitchell\"\n",
        )
        .unwrap();
        let t = transcript(&[
            "Clinic letter to Dr. Oxsana Petrenko. Patient Ella Whitaker. Dear Doctor, new \
             paragraph text full stop",
        ]);
        let l = built_for_site(&t, &site);
        let unknown = unknown_recipient_notes(&l);
        assert_eq!(unknown.len(), 1, "{:?}", l.flags);
        assert!(
            unknown[0]
                .message
                .contains("(Dr Oksana Petrenko and Dr Oxana Petrenko)"),
            "{unknown:?}"
        );
        // Chosen by the recording after: the note goes.
        let mut l = l;
        recipient_by_sound(&mut l, &site.directory[0], &site.directory);
        assert!(!l.flags.iter().any(|f| f.kind == "recipient_unknown"));
        assert!(!l.notes.iter().any(|n| n.contains("more than one name")));
    }

    #[test]
    fn the_salutation_greets_the_recipient_by_the_directory_name() {
        let site: Site = toml::from_str(
            "[[directory]]\nname = \"Dr Marguerite Tiffen\"\n[[directory]]\nname = \"Mr Tobias \
             Wren\"\n[[directory]]\nname = \"Dr Anne Tiff\"\n[[directory]]\nname = \"Neurology \
             Department\"\n",
        )
        .unwrap();
        let build_for = |recipient: &str, greeting: &str| letter_to(&site, recipient, greeting);
        let greeted = |l: &Letter| {
            (
                l.salutation
                    .as_deref()
                    .map(|s| s.trim_end_matches(',').to_owned()),
                l.flags.iter().any(|f| f.kind == "salutation"),
            )
        };
        // The surname heard otherwise, and the spoken comma heard as words after it.
        let l = build_for("Dr. Marguerite Tefanet", "Dear Dr. Tefan calm a,");
        assert_eq!(greeted(&l), (Some("Dear Dr Tiffen".to_owned()), true));
        let f = l.flags.iter().find(|f| f.kind == "salutation").unwrap();
        assert!(
            f.message.contains("heard as \"Dear Dr Tefan Calm A\""),
            "{}",
            f.message
        );
        // Both names, the directory's title.
        let l = build_for("Mr Tobias Wren", "Dear Mr. Tobias Ren,");
        assert_eq!(greeted(&l).0.as_deref(), Some("Dear Mr Tobias Wren"));
        // Right as dictated: no note.
        let l = build_for("Mr Tobias Wren", "Dear Mr. Wren,");
        assert_eq!(greeted(&l), (Some("Dear Mr Wren".to_owned()), false));
        // Someone else of the directory greeted: left as dictated.
        let l = build_for("Dr. Marguerite Tefanet", "Dear Dr. Tiff,");
        assert_eq!(greeted(&l), (Some("Dear Dr Tiff".to_owned()), false));
        // A name unlike the recipient's, or a first name alone: left as dictated.
        let l = build_for("Dr. Marguerite Tefanet", "Dear Dr. Okonkwo,");
        assert!(!greeted(&l).1);
        let l = build_for("Dr. Marguerite Tefanet", "Dear Marguerite,");
        assert_eq!(greeted(&l), (Some("Dear Marguerite".to_owned()), false));
        // A department greeted as "Colleague" heard as a name.
        let l = build_for("the Neurology Department", "Dear Colleen,");
        assert_eq!(greeted(&l), (Some("Dear Colleague".to_owned()), true));
        let l = build_for("the Neurology Department", "Dear Colleagues,");
        assert!(!greeted(&l).1);
        let l = build_for("the Neurology Department", "Dear Colley,");
        assert_eq!(greeted(&l), (Some("Dear Colleague".to_owned()), true));
        // Unless a Colleen is in the directory: she may be greeted.
        let with_colleen: Site = toml::from_str(
            "[[directory]]\nname = \"Neurology Department\"\n[[directory]]\nname = \"Dr Colleen \
             Hart\"\n",
        )
        .unwrap();
        let t = transcript(&[
            "Clinic letter to the Neurology Department. Patient Ella Whitaker. Dear Colleen, new \
             paragraph She is well full stop",
        ]);
        let cx = Context {
            site: Some(&with_colleen),
            ..Context::default()
        };
        let l = build(&t, &cx);
        assert_eq!(l.recipient.as_deref(), Some("Neurology Department"));
        assert!(!l.flags.iter().any(|f| f.kind == "salutation"));
    }

    #[test]
    fn a_recipient_retaken_by_the_recording_is_greeted_afresh() {
        let site: Site = toml::from_str(
            "[[directory]]\nname = \"Dr Philip Langton\"\n[[directory]]\nname = \"Dr Philippa \
             Langdon\"\n",
        )
        .unwrap();
        let t = transcript(&[
            "Clinic letter to Dr Philip Langdon. Patient Ella Whitaker. Dear Dr Langden, new \
             paragraph She is well full stop",
        ]);
        let cx = Context {
            site: Some(&site),
            ..Context::default()
        };
        let mut l = build(&t, &cx);
        // The letters took one of the two and greeted them.
        assert!(
            l.flags.iter().any(|f| f.kind == "salutation"),
            "{:?}",
            l.flags
        );
        let first = l.recipient.clone().unwrap();
        let other = site.directory.iter().find(|c| c.name != first).unwrap();
        recipient_retaken_by_sound(&mut l, other, &site.directory);
        let surname = other.name.split_whitespace().last().unwrap();
        assert_eq!(
            l.salutation.as_deref().map(|s| s.trim_end_matches(',')),
            Some(format!("Dear Dr {surname}").as_str())
        );
        let notes: Vec<&String> = l
            .notes
            .iter()
            .filter(|n| n.starts_with("the salutation was heard as \"Dear Dr Langden\""))
            .collect();
        assert_eq!(notes.len(), 1, "{:?}", l.notes);
        assert!(notes[0].contains(&other.name), "{notes:?}");
    }

    /// A short clinic letter to `recipient` with the practice's `site`, greeting them with
    /// `greeting`.
    fn letter_to(site: &Site, recipient: &str, greeting: &str) -> Letter {
        let t = transcript(&[&format!(
            "Clinic letter to {recipient}. Patient Ella Whitaker. {greeting} new paragraph She is \
             well full stop"
        )]);
        build(
            &t,
            &Context {
                site: Some(site),
                ..Context::default()
            },
        )
    }

    #[test]
    fn a_place_the_directory_address_replaced_is_quoted_in_the_notes() {
        let site: Site = toml::from_str(
            "[[directory]]\nname = \"Dr Marguerite Tiffen\"\naddress = [\"Millbrae Surgery\", \
             \"2 Mill Lane\"]\n[[directory]]\nname = \"Dr Anne Tiff\"\n",
        )
        .unwrap();
        let build_for = |header: &str| letter_to(&site, header, "Dear Dr Tiffen,");
        let place_notes = |l: &Letter| -> Vec<String> {
            l.flags
                .iter()
                .filter(|f| f.kind == "recipient_place")
                .map(|f| f.message.clone())
                .collect()
        };
        // The place heard otherwise: the directory's address is written, the heard place quoted.
        let l = build_for("Dr Marguerite Tiffen, Millray Surgery");
        assert_eq!(l.recipient_address, vec!["Millbrae Surgery", "2 Mill Lane"]);
        let notes = place_notes(&l);
        assert_eq!(notes.len(), 1, "{:?}", l.flags);
        assert!(notes[0].contains("\"Millray Surgery\""), "{notes:?}");
        // The place as the directory has it: nothing to say.
        let l = build_for("Dr Marguerite Tiffen, Millbrae Surgery");
        assert!(place_notes(&l).is_empty(), "{:?}", l.flags);
        // Another entry, with no address, chosen after: the place as dictated again, no note.
        let mut l = build_for("Dr Marguerite Tiffen, Millray Surgery");
        let other = &site.directory[1];
        recipient_retaken_by_sound(&mut l, other, &site.directory);
        assert_eq!(l.recipient_address, vec!["Millray Surgery"]);
        assert!(place_notes(&l).is_empty(), "{:?}", l.flags);
        assert!(
            !l.notes.iter().any(|n| n.contains("place was heard")),
            "{:?}",
            l.notes
        );
    }

    #[test]
    fn a_recipient_is_found_in_the_directory_however_whisper_split_or_ran_on_the_name() {
        let directory: Vec<Contact> = [
            "Dr Anne Mitchell",
            "Dr Catriona Munro",
            "Dr Simon Reeves",
            "Neurology Department",
            "Urology Department",
            "Gynaecology Department",
            "Dr Peter Lang",
            "Dr Peter Long",
        ]
        .iter()
        .map(|n| Contact {
            name: (*n).to_owned(),
            ..Contact::default()
        })
        .collect();
        let found = |heard: &str| nearest_contact(heard, &directory).map(|c| c.name.as_str());
        // The practice heard into the name line.
        assert_eq!(found("Dr Ann Mitchell Attock"), Some("Dr Anne Mitchell"));
        // A name cut into other words.
        assert_eq!(found("Dr Katri Oma Monroe"), Some("Dr Catriona Munro"));
        assert_eq!(
            found("Guinee College Department"),
            Some("Gynaecology Department")
        );
        // What was heard exactly is its own entry, not its neighbour's.
        assert_eq!(found("Neurology Department"), Some("Neurology Department"));
        assert_eq!(found("Urology Department"), Some("Urology Department"));
        // Two entries about as near: neither is taken.
        assert_eq!(found("Dr Peter Lung"), None);
        // Words heard inside the name, at a pause.
        assert_eq!(found("Dr Peter the Zerooth Lang"), Some("Dr Peter Lang"));
        assert_eq!(found("Dr Simon de Reeves"), Some("Dr Simon Reeves"));
        assert_eq!(found("Dr Peter the Zerooth Farthing"), None);
        // Nothing alike.
        assert_eq!(found("Dr Imogen Farthing"), None);
        // Every entry that sounds like the heard name, nearest first: what the recording is
        // asked about where the letters took the first.
        let alike = |heard: &str| -> Vec<&str> {
            contacts_sounding_like(heard, &directory)
                .iter()
                .map(|c| c.name.as_str())
                .collect()
        };
        assert_eq!(alike("Dr Peter Lung"), ["Dr Peter Lang", "Dr Peter Long"]);
        assert_eq!(alike("Dr Ann Mitchell Attock"), ["Dr Anne Mitchell"]);
        assert!(alike("Dr Imogen Farthing").is_empty());
    }

    #[test]
    fn dictated_is_the_clinic_date_else_the_recordings_and_typed_is_today() {
        let sc: Sidecar = serde_json::from_str(
            r#"{"clinic_date": "2026-12-03", "our_ref": "KM/1",
                "patient": {"hospital_number": "K1234567"}}"#,
        )
        .unwrap();
        let site: Site = toml::from_str("date_format = \"numeric\"\n").unwrap();
        let recorded = Some(time::macros::date!(2026 - 12 - 01));
        let today = Some(time::macros::date!(2026 - 12 - 04));
        let at = |sidecar, site| {
            build(
                &dictated(),
                &Context {
                    date: "4 December 2026".into(),
                    sidecar,
                    site,
                    today,
                    recorded,
                    ..Context::default()
                },
            )
        };
        let l = at(Some(&sc), None);
        assert_eq!(l.dictated.as_deref(), Some("3 December 2026"));
        assert_eq!(l.dictated_from, Some("the sidecar's clinic date"));
        assert_eq!(l.typed, "4 December 2026");
        assert_eq!(l.our_ref.as_deref(), Some("KM/1"));
        assert_eq!(l.hospital_number.as_deref(), Some("K1234567"));
        let l = at(None, Some(&site));
        assert_eq!(l.dictated.as_deref(), Some("01/12/2026"));
        assert_eq!(
            l.dictated_from,
            Some("the recording file's modification time")
        );
        assert_eq!(
            (l.typed.as_str(), l.date.as_str()),
            ("04/12/2026", "04/12/2026")
        );
        assert_eq!(
            l.continuation(),
            [
                "Re: Mr Robert Fairclough, date of birth 11 June 1958, NHS number 999 126 7050, \
              04/12/2026"
            ]
        );
    }

    #[test]
    fn a_future_date_of_birth_is_flagged() {
        let t = transcript(&[
            "Clinic letter to Dr. Lang. Patient Ella Whitaker, date of birth 1st of May 2030, \
             NHS number 999 174 2190. Dear Doctor Lang comma new paragraph Text full stop",
        ]);
        let l = build(
            &t,
            &Context {
                today: Some(time::macros::date!(2026 - 11 - 25)),
                ..Context::default()
            },
        );
        assert!(
            l.flags.iter().any(|f| f.kind == "date_of_birth"),
            "{:?}",
            l.flags
        );
    }
}
