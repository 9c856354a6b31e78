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
    /// The day of the clinic the letter was dictated for, ISO (2026-12-03) or as a letter writes
    /// it (3 December 2026): the letter's "Dictated" date (else the recording's).
    pub clinic_date: Option<String>,
    /// The sender's reference for the letter ("Our ref").
    pub our_ref: Option<String>,
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
                "the sidecar file lists {listed} letter{} but {count} {} dictated in the \
                 recording, so it was not used: check the patient and recipient of each",
                if listed == 1 { "" } else { "s" },
                if count == 1 { "was" } else { "were" }
            ));
        }
        let entry = &self.letters[index];
        Ok(Some(Sidecar {
            patient: entry.patient.clone().or_else(|| self.patient.clone()),
            recipient: entry.recipient.clone().or_else(|| self.recipient.clone()),
            clinician: entry.clinician.clone().or_else(|| self.clinician.clone()),
            letter_type: entry.letter_type.or(self.letter_type),
            priority: entry.priority.clone().or_else(|| self.priority.clone()),
            clinic_date: entry
                .clinic_date
                .clone()
                .or_else(|| self.clinic_date.clone()),
            our_ref: entry.our_ref.clone().or_else(|| self.our_ref.clone()),
            letters: Vec::new(),
        }))
    }
}

impl Sidecar {
    /// Takes out of every value the characters a letter must not carry
    /// ([`crate::text::unshowable`]: control characters, bidirectional overrides), each
    /// replaced by a space, and returns where there were any ("patient name", "letter 2
    /// recipient address"), for the letter's notes. The values themselves are never named.
    pub fn clean(&mut self) -> Vec<String> {
        let mut found = Vec::new();
        self.clean_into("", &mut found);
        found
    }

    fn clean_into(&mut self, prefix: &str, found: &mut Vec<String>) {
        let mut one = |value: &mut String, field: &str| {
            if value.chars().any(crate::text::unshowable) {
                *value = crate::text::blank_unshowable(value)
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                found.push(format!("{prefix}{field}"));
            }
        };
        if let Some(p) = &mut self.patient {
            for (value, field) in [
                (&mut p.name, "patient name"),
                (&mut p.dob, "patient date of birth"),
                (&mut p.nhs, "patient NHS number"),
                (&mut p.hospital_number, "patient hospital number"),
            ] {
                value.iter_mut().for_each(|v| one(v, field));
            }
            p.address.iter_mut().for_each(|v| one(v, "patient address"));
        }
        if let Some(r) = &mut self.recipient {
            r.name.iter_mut().for_each(|v| one(v, "recipient name"));
            r.address
                .iter_mut()
                .for_each(|v| one(v, "recipient address"));
        }
        self.clinician.iter_mut().for_each(|v| one(v, "clinician"));
        self.priority.iter_mut().for_each(|v| one(v, "priority"));
        self.clinic_date
            .iter_mut()
            .for_each(|v| one(v, "clinic date"));
        self.our_ref.iter_mut().for_each(|v| one(v, "our ref"));
        for (i, letter) in self.letters.iter_mut().enumerate() {
            letter.clean_into(&format!("{prefix}letter {} ", i + 1), found);
        }
        found.dedup();
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SidecarPatient {
    pub name: Option<String>,
    /// ISO (1958-06-11) or as a letter writes it (11 June 1958).
    pub dob: Option<String>,
    pub nhs: Option<String>,
    /// The hospital's own number for the patient (the PAS's, "K1234567").
    pub hospital_number: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_a_letter_cannot_carry_are_taken_out_and_said_where_never_what() {
        let mut s: Sidecar = serde_json::from_str(
            r#"{"patient": {"name": "Mr A\u000bB", "address": ["1 High St", "Lee\u202eds"]},
                "clinician": "Dr \u0000Jones", "recipient": {"name": "Dr Ok"},
                "letters": [{"patient": {"name": "Mrs C\uffffD"}}]}"#,
        )
        .unwrap();
        let found = s.clean();
        assert_eq!(
            found,
            [
                "patient name",
                "patient address",
                "clinician",
                "letter 1 patient name"
            ]
        );
        let p = s.patient.as_ref().unwrap();
        assert_eq!(p.name.as_deref(), Some("Mr A B"));
        assert_eq!(p.address, ["1 High St", "Lee ds"]);
        assert_eq!(s.clinician.as_deref(), Some("Dr Jones"));
        assert_eq!(s.recipient.unwrap().name.as_deref(), Some("Dr Ok"));
        let mut plain: Sidecar =
            serde_json::from_str(r#"{"patient": {"name": "Mr \u00c9mile O'Neil <3>"}}"#).unwrap();
        assert!(plain.clean().is_empty());
    }
}
