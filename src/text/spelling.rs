//! British spelling: rewrites US spellings in a letter as a UK letter writes them (anaemia,
//! haemoglobin, oedema, paediatric, colour, centre, -ise), from the derived map in
//! lexicon/us_uk.tsv (see lexicon/LICENSES.md). Words whose US form is also a British word
//! (practice, meter, check) are not in the map; "program" is a programme except after "to" or
//! "computer". A pure stage: text in, text out.

use std::collections::HashMap;
use std::sync::LazyLock;

static US_UK: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lexicon/us_uk.tsv"))
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .collect()
});

/// Is `lower` (a lower-case word) a US spelling this stage rewrites?
pub fn is_us_spelling(lower: &str) -> bool {
    US_UK.contains_key(lower)
}

/// The US spelling of each British word the map writes (where two US forms give one British
/// word, the shorter, then the first in alphabetical order: the choice is stable between runs).
static UK_US: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, &'static str> = HashMap::new();
    for (&us, &uk) in US_UK.iter() {
        let keep = map
            .get(uk)
            .is_some_and(|&had| (had.len(), had) <= (us.len(), us));
        if !keep {
            map.insert(uk, us);
        }
    }
    map
});

/// British medical spellings and their US forms, for words the map does not hold (a term of the
/// lexicon: hyperkalaemia, hypercholesterolaemia): the ae and oe of Greek and Latin roots.
const UK_US_PARTS: [(&str, &str); 14] = [
    ("aemi", "emi"),
    ("haem", "hem"),
    ("oesoph", "esoph"),
    ("oedem", "edem"),
    ("oestr", "estr"),
    ("faec", "fec"),
    ("paed", "ped"),
    ("ischaem", "ischem"),
    ("anaes", "anes"),
    ("aesthe", "esthe"),
    ("coeli", "celi"),
    ("aetiol", "etiol"),
    ("gynaec", "gynec"),
    ("foet", "fet"),
];

/// Rewrites every British-spelled word of `text` as a US text writes it: the spelling Whisper's
/// decoder was mostly taught with, for scoring a text against a recording (a UK spelling costs
/// the model letters that were never a matter of sound: "hyperkalaemia" against "hyperkalemia").
pub fn american(text: &str) -> String {
    each_word(text, to_us)
}

/// `text` with each run of letters put through `f`, everything else as it stands.
fn each_word(text: &str, f: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            out.push_str(&f(&word));
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&f(&word));
    out
}

fn to_us(word: &str) -> String {
    let lower = word.to_lowercase();
    let us = match UK_US.get(lower.as_str()) {
        Some(us) => (*us).to_owned(),
        None if lower.contains("ae") || lower.contains("oe") => {
            let mut w = lower.clone();
            for (uk, us) in UK_US_PARTS {
                w = w.replace(uk, us);
            }
            // -oea: diarrhoea, dyspnoea.
            if let Some(stem) = w.strip_suffix("oea") {
                w = format!("{stem}ea");
            }
            w
        }
        None => return word.to_owned(),
    };
    if us == lower {
        return word.to_owned();
    }
    with_case_of(word, &us)
}

/// `new` with the capitals of `word` (all capitals, or the first).
fn with_case_of(word: &str, new: &str) -> String {
    if word.chars().all(char::is_uppercase) && word.chars().count() > 1 {
        new.to_uppercase()
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        super::capitalise(new)
    } else {
        new.to_owned()
    }
}

/// "Program" as a noun: a British letter writes "programme" for everything but software
/// ("a supervised exercise programme", "the screening programme"); the verb ("to program the
/// pump") and a computer's program stay.
static PROGRAM_RE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"\b([A-Za-z]+\s+)?([Pp]rogram|PROGRAM)(s|S)?\b").expect("program pattern")
});

fn programme(text: &str) -> String {
    PROGRAM_RE
        .replace_all(text, |c: &regex::Captures| {
            let before = c.get(1).map_or("", |m| m.as_str());
            let plural = c.get(3).map_or("", |m| m.as_str());
            let me = if &c[2] == "PROGRAM" { "ME" } else { "me" };
            if ["to", "computer", "software"].contains(&before.trim().to_lowercase().as_str()) {
                c[0].to_owned()
            } else {
                format!("{before}{}{me}{plural}", &c[2])
            }
        })
        .into_owned()
}

/// Rewrites every US-spelled word of `text` in British spelling, keeping its capitals.
pub fn british(text: &str) -> String {
    each_word(&programme(text), convert)
}

fn convert(word: &str) -> String {
    if word.is_empty() {
        return String::new();
    }
    let lower = word.to_lowercase();
    let Some(uk) = US_UK.get(lower.as_str()) else {
        return word.to_owned();
    };
    with_case_of(word, uk)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(british(input), expected, "input: {input:?}");
    }

    #[test]
    fn medical_and_general_spellings() {
        check("anemia and hemoglobin", "anaemia and haemoglobin");
        check(
            "Pediatric edema, diarrhea.",
            "Paediatric oedema, diarrhoea.",
        );
        check("hypercholesterolemia", "hypercholesterolaemia");
        check("fecal calprotectin", "faecal calprotectin");
        check(
            "extensively hydrolyzed formula",
            "extensively hydrolysed formula",
        );
        check(
            "the gynecology and orthopedic departments",
            "the gynaecology and orthopaedic departments",
        );
        check(
            "320 liters per minute at the medical center",
            "320 litres per minute at the medical centre",
        );
        check("ESOPHAGUS", "OESOPHAGUS");
        // US forms that a British word list also carries as variants, and hyphenated compounds.
        check(
            "hypoglycemia, esophageal cancer, hemorrhagic stroke",
            "hypoglycaemia, oesophageal cancer, haemorrhagic stroke",
        );
        check(
            "gastroesophageal reflux disease",
            "gastro-oesophageal reflux disease",
        );
        check("endemic and systemic", "endemic and systemic");
    }

    #[test]
    fn words_the_british_write_the_same_stay() {
        // SCOWL pairs words that only look alike, Latin plurals and archaic forms with US
        // words; none of them is the word spelled the British way.
        check(
            "colorectal surgery, popliteal pulses, gluteus medius, a hydrocele, the frenulum",
            "colorectal surgery, popliteal pulses, gluteus medius, a hydrocele, the frenulum",
        );
        check(
            "Beckwith-Wiedemann syndrome; preexisting arytenoid granuloma",
            "Beckwith-Wiedemann syndrome; preexisting arytenoid granuloma",
        );
        // ... while the medical roots and -our words still take theirs.
        check(
            "melena, lymphedema, colorful and harborage",
            "melaena, lymphoedema, colourful and harbourage",
        );
    }

    #[test]
    fn words_that_depend_on_meaning_are_left_alone() {
        check("Park Lane Practice", "Park Lane Practice");
        check("peak flow meter", "peak flow meter");
        check("check her bloods", "check her bloods");
        check(
            "a supervised exercise program. Programs of care",
            "a supervised exercise programme. Programmes of care",
        );
        check("to program the pump", "to program the pump");
        check("the computer program", "the computer program");
        check("DRAFT: dictated", "DRAFT: dictated");
        check("ferrous sulfate", "ferrous sulfate");
    }

    #[test]
    fn the_decoder_reads_us_spellings() {
        assert_eq!(
            american("Hyperkalaemia, anaemia and faecal calprotectin; oesophageal OEDEMA"),
            "Hyperkalemia, anemia and fecal calprotectin; esophageal EDEMA"
        );
        assert_eq!(
            american("hypercholesterolaemia, diarrhoea, paediatric haematuria, coeliac"),
            "hypercholesterolemia, diarrhea, pediatric hematuria, celiac"
        );
        assert_eq!(
            american("the colour of the centre"),
            "the color of the center"
        );
        // Words with no British form are left as they are.
        assert_eq!(
            american("Does the poem aerosol toe canoe 10 mg."),
            "Does the poem aerosol toe canoe 10 mg."
        );
        assert_eq!(
            british(&american("gynaecology, ischaemia")),
            "gynaecology, ischaemia"
        );
    }

    #[test]
    fn punctuation_and_numbers_kept() {
        check(
            "HbA1c 58 mmol/mol; anemia (mild).",
            "HbA1c 58 mmol/mol; anaemia (mild).",
        );
        check("", "");
    }
}
