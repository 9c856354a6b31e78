//! The kinds of letter (clinic letter, referral, discharge summary) and the template each uses.

use serde::{Deserialize, Serialize};

/// The kinds of letter the product writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LetterKind {
    Clinic,
    Referral,
    Discharge,
}

impl LetterKind {
    /// The template that renders this kind.
    pub fn template(self) -> &'static str {
        match self {
            LetterKind::Clinic => "clinic.tera",
            LetterKind::Referral => "referral.tera",
            LetterKind::Discharge => "discharge.tera",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            LetterKind::Clinic => "Clinic letter",
            LetterKind::Referral => "Referral",
            LetterKind::Discharge => "Discharge summary",
        }
    }
}

/// A letter's title in its file's properties: its kind and the patient's initials only (a DOCX's
/// properties travel with it, into e-mail and search indexes: no name, date of birth or number).
pub fn document_title(kind: &str, patient: Option<&str>) -> String {
    const TITLES: [&str; 9] = [
        "mr",
        "mrs",
        "miss",
        "ms",
        "mx",
        "dr",
        "master",
        "prof",
        "professor",
    ];
    let initials: Vec<String> = patient
        .unwrap_or("")
        .split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty() && !TITLES.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect();
    if initials.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}, {}", initials.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letters_title_names_its_kind_and_the_patients_initials_only() {
        assert_eq!(
            document_title("Clinic letter", Some("Miss Emily Watson")),
            "Clinic letter, E. W."
        );
        assert_eq!(
            document_title("Referral", Some("Mr Jean-Paul O'Neill")),
            "Referral, J. P. O."
        );
        assert_eq!(
            document_title("Discharge summary", None),
            "Discharge summary"
        );
    }
}
