//! British spelling: rewrites US spellings in a letter as a UK letter writes them (anaemia,
//! haemoglobin, oedema, paediatric, colour, centre, -ise), from the derived map in
//! lexicon/us_uk.tsv (see lexicon/LICENSES.md). Words whose US form is also a British word
//! (practice, meter, check, program) are not in the map. A pure stage: text in, text out.

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

/// Rewrites every US-spelled word of `text` in British spelling, keeping its capitals.
pub fn british(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            out.push_str(&convert(&word));
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&convert(&word));
    out
}

fn convert(word: &str) -> String {
    if word.is_empty() {
        return String::new();
    }
    let lower = word.to_lowercase();
    let Some(uk) = US_UK.get(lower.as_str()) else {
        return word.to_owned();
    };
    if word.chars().all(char::is_uppercase) && word.chars().count() > 1 {
        uk.to_uppercase()
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        let mut c = uk.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    } else {
        (*uk).to_owned()
    }
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
    fn words_that_depend_on_meaning_are_left_alone() {
        check("Park Lane Practice", "Park Lane Practice");
        check("peak flow meter", "peak flow meter");
        check("check her bloods", "check her bloods");
        check("the exercise program", "the exercise program");
        check("DRAFT: dictated", "DRAFT: dictated");
        check("ferrous sulfate", "ferrous sulfate");
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
