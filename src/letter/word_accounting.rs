//! Word accounting, tested as a property: whatever order, repetition or mishearing of the
//! header's keywords, headings and layout commands, every word of dictation ends somewhere a
//! secretary sees it (a header field, a heading, the salutation, the body). Only the tests live
//! here.

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::asr::transcript::{Segment, Transcript};
    use crate::letter::build::{from_transcript, Letter};

    /// A made-up word no stage rewrites: letters only, not English, not a term.
    fn marker(n: usize, capital: bool) -> String {
        let mut s = String::from(if capital { "Zq" } else { "zq" });
        let mut n = n;
        loop {
            s.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
            if n == 0 {
                break;
            }
        }
        s.push('x');
        s
    }

    /// The kinds of chunk a dictation is made of; `{}` stands for a marker word.
    const CHUNKS: &[&str] = &[
        "This is Dr {C} {C}, consultant {}, dictating a clinic letter to Dr {C} {C} at {C} Surgery.",
        "this is doctor {C} dictating a referral to the {} department",
        "Patient Mr {C} {C}, date of birth 1 May 1950, NHS number 999 000 0018.",
        "patient Mrs {C} {C} who {} {}",
        "Re Ms {C} {C}, born 2 June 1961",
        "NHS number 999 000 0026 {} {}",
        "date of birth 3 March 1970 {}",
        "Diagnosis colon {} {} new line {}",
        "Diagnosis Cole {} {}",
        "Plan colon {} {} full stop",
        "Dietnosis {} {}",
        "Dear Dr {C} comma new paragraph",
        "Dear {C}, {} {}",
        "{} {} {} full stop",
        "{} {} {} {} {}.",
        "new paragraph",
        "new paragraph {} {}",
        "Yours sincerely",
        "Kind regards {C} {C}",
        "{} {}",
    ];

    fn dictation(picks: &[usize]) -> (String, Vec<String>) {
        let mut markers = Vec::new();
        let mut parts = Vec::new();
        for &k in picks {
            let mut chunk = String::new();
            let template = CHUNKS[k % CHUNKS.len()];
            let mut rest = template;
            while let Some(i) = rest.find('{') {
                chunk.push_str(&rest[..i]);
                let capital = rest[i..].starts_with("{C}");
                let m = marker(markers.len(), capital);
                chunk.push_str(&m);
                markers.push(m);
                rest = &rest[i + if capital { 3 } else { 2 }..];
            }
            chunk.push_str(rest);
            parts.push(chunk);
        }
        (parts.join(" "), markers)
    }

    /// Everything of the letter a secretary reads, but the raw dictated header.
    fn visible(l: &Letter) -> String {
        let mut v: Vec<String> = [
            &l.author,
            &l.author_role,
            &l.recipient,
            &l.patient,
            &l.dob,
            &l.nhs,
            &l.salutation,
            &l.sign_off,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        v.extend(l.recipient_address.iter().cloned());
        v.extend(l.signature.iter().cloned());
        for s in &l.sections {
            v.extend(s.heading.iter().cloned());
            v.extend(s.paragraphs.iter().cloned());
        }
        v.join(" ").to_lowercase()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn no_word_of_dictation_is_lost(
            picks in proptest::collection::vec(0usize..100, 1..14),
            split in proptest::collection::vec(any::<bool>(), 14),
        ) {
            let (text, markers) = dictation(&picks);
            // Segments cut at random chunk boundaries, as Whisper cuts them.
            let mut segments = Vec::new();
            let mut current = String::new();
            for (i, w) in text.split(' ').enumerate() {
                if !current.is_empty() && split[i % split.len()] && i % 5 == 0 {
                    segments.push(std::mem::take(&mut current));
                }
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(w);
            }
            segments.push(current);
            let t = Transcript {
                segments: segments
                    .into_iter()
                    .map(|text| Segment { start: 0.0, end: 1.0, text, no_speech_prob: 0.0, tokens: vec![] })
                    .collect(),
            };
            let l = from_transcript(&t, "1 May 2026".into(), "a.wav".into());
            let seen = visible(&l);
            let lost: Vec<&String> = markers.iter().filter(|m| !seen.contains(&m.to_lowercase())).collect();
            prop_assert!(lost.is_empty(), "lost {:?}\nfrom: {}\nletter: {}", lost, text, seen);
        }
    }
}
