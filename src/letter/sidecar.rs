//! The sidecar: what a dictation device or the patient administration system knows about a
//! recording, read from `<stem>.json` beside it. Plain data; reading the file is the pipeline's.

use serde::Deserialize;

use crate::letter::kind::LetterKind;

/// What a dictation device or the patient administration system knows about a recording: the
/// `<stem>.json` beside it. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    pub patient: Option<SidecarPatient>,
    pub recipient: Option<SidecarPerson>,
    /// The clinician who dictated ("Dr Sarah Hughes").
    pub clinician: Option<String>,
    pub letter_type: Option<LetterKind>,
    /// "urgent" or "routine".
    pub priority: Option<String>,
    /// For a recording of several letters ("next letter"): one entry per letter, in the order
    /// dictated; a field an entry leaves out is taken from the top level (the clinician, say).
    #[serde(default)]
    pub letters: Vec<Sidecar>,
}

impl Sidecar {
    /// What the sidecar says of letter `index` (0-based) of a recording of `count` letters:
    /// `Ok(None)` when it says nothing of it, `Err` (a note for the secretary) when it cannot be
    /// matched to the letters safely.
    pub fn for_letter(&self, index: usize, count: usize) -> Result<Option<Sidecar>, String> {
        if self.letters.is_empty() {
            return if count == 1 {
                Ok(Some(self.clone()))
            } else {
                Err(format!(
                    "the recording holds {count} letters, so its sidecar file (one patient's \
                     details) was not used for any of them: check the patient and recipient"
                ))
            };
        }
        if self.letters.len() != count {
            let listed = self.letters.len();
            return Err(format!(
                "the sidecar file lists {listed} letter{} but {count} were dictated in the \
                 recording, so it was not used: check the patient and recipient of each",
                if listed == 1 { "" } else { "s" }
            ));
        }
        let entry = &self.letters[index];
        Ok(Some(Sidecar {
            patient: entry.patient.clone().or_else(|| self.patient.clone()),
            recipient: entry.recipient.clone().or_else(|| self.recipient.clone()),
            clinician: entry.clinician.clone().or_else(|| self.clinician.clone()),
            letter_type: entry.letter_type.or(self.letter_type),
            priority: entry.priority.clone().or_else(|| self.priority.clone()),
            letters: Vec::new(),
        }))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SidecarPatient {
    pub name: Option<String>,
    /// ISO (1958-06-11) or as a letter writes it (11 June 1958).
    pub dob: Option<String>,
    pub nhs: Option<String>,
    #[serde(default)]
    pub address: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SidecarPerson {
    pub name: Option<String>,
    #[serde(default)]
    pub address: Vec<String>,
}
