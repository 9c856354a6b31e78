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
