//! The recipient by sound: where the letters of a dictated recipient match no one in the
//! practice's directory ("Dr Naveya Hossing"), the recording is asked which of the nearest
//! directory names was said, the heard words among them. A name is written only when the
//! recording prefers it clearly over the other names and about as well as the heard words; then
//! the notes say what was heard.

use crate::asr::transcript::Transcript;
use crate::letter::build::{self as letter, Letter};
use crate::letter::site::Site;
use crate::text::terms::{self, Clip, Listener, Scored};

/// Directory names asked about (the nearest in letters).
const ASKED: usize = 6;

/// How much more evidence (nats) the chosen name needs than every other name asked.
const DISTINCT: f64 = 2.0;

/// How much less evidence than the heard words the chosen name may have: the directory is the
/// practice's own list, as sure as a site's vocabulary (`terms::verify::ALLOW_CURATED`).
const ALLOWANCE: f64 = terms::ALLOW_CURATED;

/// Words before the name given as its prefix ("clinic letter to Doctor"), and after it scored
/// with it.
const BEFORE: usize = 6;
const AFTER: usize = 2;

/// Audio either side of the clip, seconds.
const PAD: f64 = 0.3;

/// Asks the recording about a recipient the directory does not hold by its letters (see the
/// module's comment). `sidecar_named` says a sidecar gave the recipient (it wins).
pub(super) fn recipient(
    l: &mut Letter,
    transcript: &Transcript,
    site: &Site,
    sidecar_named: bool,
    listener: &mut dyn Listener,
) {
    let Some(heard) = l.recipient.clone() else {
        return;
    };
    if sidecar_named
        || site.directory.is_empty()
        || site.directory.iter().any(|c| letter::same(&c.name, &heard))
    {
        return;
    }
    let plain = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let name = plain(letter::strip_title(&heard));
    if name.is_empty() {
        return;
    }
    let words = terms::heard_words(transcript, 0.0);
    let said: Vec<Vec<String>> = words.iter().map(|w| plain(&w.text)).collect();
    // The first place the heard name's words were said, in order.
    let Some(at) = (0..words.len()).find(|&i| {
        said[i..].iter().flatten().take(name.len()).eq(name.iter())
            && said[i].first() == name.first()
    }) else {
        tracing::debug!("names: the heard recipient's words were not found in the transcript");
        return;
    };
    let mut end = at;
    let mut n = 0;
    while end < words.len() && n < name.len() {
        n += said[end].len();
        end += 1;
    }
    let from = at.saturating_sub(BEFORE);
    let after_end = (end + AFTER).min(words.len());
    let join = |ws: &[terms::HeardWord]| {
        ws.iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let after = join(&words[end..after_end]);
    let with = |n: &str| format!("{n} {after}").trim().to_owned();
    let entries = letter::nearest_contacts(&heard, &site.directory, ASKED);
    let mut texts = vec![with(&join(&words[at..end]))];
    texts.extend(entries.iter().map(|c| with(letter::strip_title(&c.name))));
    let clip = Clip {
        start: (words[from].start - PAD).max(0.0),
        end: words[after_end - 1].end + PAD,
        prompt: String::new(),
        items: vec![crate::asr::score::Item {
            prefix: join(&words[from..at]),
            texts: texts.clone(),
            whole: false,
        }],
    };
    if clip.end - clip.start > 29.0 {
        return;
    }
    tracing::debug!(
        "names: asking the recording about {} directory names",
        entries.len()
    );
    let answers = listener.score(&[clip], &mut |_, _| None);
    let Some(Some(answer)) = answers.into_iter().next() else {
        return;
    };
    let Some(scores) = answer.scores.first() else {
        return;
    };
    let scored: Vec<Scored> = texts
        .iter()
        .enumerate()
        .map(|(k, t)| Scored {
            text: t.clone(),
            audio: scores.audio.get(k).copied().unwrap_or(f64::NEG_INFINITY),
            prior: scores.prior.get(k).copied().unwrap_or(f64::NEG_INFINITY),
        })
        .collect();
    // Scores only: the names themselves stay out of the log.
    tracing::debug!(
        "names: heard {:.1}, directory names {:?} (log-probability given the audio)",
        scored[0].audio,
        scored[1..]
            .iter()
            .map(|s| format!("{:.1}", s.audio))
            .collect::<Vec<_>>()
    );
    if let Some(k) = choose(&scored[0], &scored[1..]) {
        letter::recipient_by_sound(l, entries[k]);
    }
}

/// The name the recording prefers: clearly over every other name ([`DISTINCT`]) and within
/// [`ALLOWANCE`] of the heard words. Names are compared by their log-probability given the audio
/// alone: the text prior (see `terms::Scored::evidence`) favours rare spellings, and Whisper's
/// misheard forms of a name are rarer than any real name.
fn choose(heard: &Scored, names: &[Scored]) -> Option<usize> {
    let ev: Vec<f64> = names.iter().map(|s| s.audio).collect();
    if !heard.audio.is_finite() || ev.iter().any(|e| !e.is_finite()) {
        return None;
    }
    let best = (0..ev.len()).max_by(|&a, &b| ev[a].total_cmp(&ev[b]))?;
    let clearly = ev
        .iter()
        .enumerate()
        .all(|(k, &e)| k == best || ev[best] - e >= DISTINCT);
    (clearly && ev[best] >= heard.audio - ALLOWANCE).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(audio: f64) -> Scored {
        Scored {
            text: String::new(),
            audio,
            prior: 0.0,
        }
    }

    #[test]
    fn a_name_is_taken_only_when_the_recording_clearly_prefers_it() {
        // Clearly the best name, a little below the heard words.
        assert_eq!(choose(&s(-10.0), &[s(-30.0), s(-15.0), s(-25.0)]), Some(1));
        // Two names about as likely.
        assert_eq!(choose(&s(-10.0), &[s(-15.0), s(-16.0)]), None);
        // Far below the heard words.
        assert_eq!(choose(&s(-10.0), &[s(-40.0)]), None);
        assert_eq!(choose(&s(-10.0), &[]), None);
    }
}
