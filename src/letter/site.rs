//! The practice's own settings from the config file: letterhead, clinicians' signatures, the
//! directory of recipients, copies and the date format. Plain data.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The practice or department: letterhead, clinicians, copy rules (the config file).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Letterhead.
    pub practice: Option<Practice>,
    #[serde(default)]
    pub clinicians: Vec<Clinician>,
    /// The people letters go to (local GPs, departments), with their addresses: a dictated
    /// recipient that sounds like one of them is written as the directory has it.
    #[serde(default)]
    pub directory: Vec<Contact>,
    /// Copy every letter to the patient ("Please, write to me", Academy of Medical Royal
    /// Colleges).
    #[serde(default)]
    pub cc_patient: bool,
    /// Copies every letter goes to ("Medical Records").
    #[serde(default)]
    pub cc: Vec<String>,
    /// How the letter's date is written: "long" (25 November 2026, the default) or "numeric"
    /// (25/11/2026).
    pub date_format: Option<String>,
    /// The logo and reference document, read and checked at start (from [`Letterhead`] and
    /// `reference_docx` in the config).
    #[serde(skip)]
    pub look: Arc<Look>,
}

/// `[letterhead]` in the config: the trust's logo over the letterhead's lines.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Letterhead {
    /// A PNG or JPEG file (relative to the config file).
    pub logo: Option<PathBuf>,
    /// Its width on the page in millimetres; default its pixels at 96 dots an inch.
    pub logo_width_mm: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    pub name: String,
    #[serde(default)]
    pub address: Vec<String>,
    pub telephone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// "Dr Anne Mitchell", "Neurology Department".
    pub name: String,
    #[serde(default)]
    pub address: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Clinician {
    /// "Dr Sarah Hughes".
    pub name: String,
    /// "Consultant Diabetologist".
    pub title: Option<String>,
    pub gmc: Option<String>,
    /// Lines under the sign-off, replacing name, title and GMC number.
    pub signature: Option<Vec<String>>,
}

impl Site {
    /// The letterhead lines from the site's practice settings.
    pub fn letterhead(&self) -> Vec<String> {
        let Some(p) = &self.practice else {
            return Vec::new();
        };
        let mut lines = vec![p.name.clone()];
        lines.extend(p.address.iter().cloned());
        let contact: Vec<String> = [
            p.telephone.as_ref().map(|t| format!("Telephone {t}")),
            p.email.as_ref().map(|e| format!("Email {e}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !contact.is_empty() {
            lines.push(contact.join("   "));
        }
        lines
    }
}

/// A trust's own look, read and checked once before any work: the letterhead's logo and the
/// reference document whose styles, page set-up, header and footer the letters take (read by
/// `docx`, `Look::load`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Look {
    pub logo: Option<Logo>,
    /// The reference DOCX's bytes.
    pub reference: Option<Vec<u8>>,
}

/// The letterhead's logo, as PNG, and its size on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    pub png: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    /// English Metric Units (914,400 an inch).
    pub width_emu: u32,
    pub height_emu: u32,
}
