//! Names by sound. The recipient: where the letters of a dictated recipient match no one in the
//! practice's directory ("Dr Naveya Hossing"), the recording is asked which of the nearest
//! directory names was said, the heard words among them. A name is written only when the
//! recording prefers it clearly over the other names and about as well as the heard words, or
//! where the clip heard again with those names as the model's prompt writes one of them and the
//! scores allow it; then the notes say what was heard. Where the letters did take an entry but
//! others sound like the heard name too ("Philip Langdon": Dr Philip Langton, Dr Philippa
//! Langdon), the recording is asked among those, and overrules the letters only for a clearly
//! better one. The patient: where a sidecar's name differs from the dictated one by its letters,
//! the recording is asked whether it fits the sidecar's name, and the note says which (a
//! mishearing, or perhaps another patient's sidecar). The dictating clinician: as the
//! recipient, among the configuration's `[[clinicians]]` ("Dr Allwaysana Daimi" for Dr
//! Oluwaseun Adeyemi), who then signs.

use crate::asr::transcript::Transcript;
use crate::letter::build::{self as letter, Letter};
use crate::letter::sidecar::Sidecar;
use crate::letter::site::Site;
use crate::text::terms::{self, Clip, Listener, Scored};

/// Directory names asked about (the nearest in letters).
const ASKED: usize = 6;

/// How much more evidence (nats) the chosen name needs than every other name asked.
const DISTINCT: f64 = 2.0;

/// How much less evidence than the heard words the chosen name may have: the directory is the
/// practice's own list, as sure as a site's vocabulary (`terms::verify::ALLOW_CURATED`).
const ALLOWANCE: f64 = terms::ALLOW_CURATED;

/// How much less evidence than the heard words a name may have where a second listening, given
/// the names asked as its prompt, wrote it (see [`agrees`]): as for a term (`terms::AGREE`).
const AGREE: f64 = terms::AGREE;

/// Words before the name given as its prefix ("clinic letter to Doctor"), and after it scored
/// with it.
const BEFORE: usize = 6;
const AFTER: usize = 2;

/// Audio either side of the clip, seconds.
const PAD: f64 = 0.3;

/// The names of a letter by sound: recipient, patient and dictating clinician (see the
/// module's comment). What a sidecar gives wins, and is not asked about.
pub(super) fn ask_recording(
    l: &mut Letter,
    transcript: &Transcript,
    site: &Site,
    sidecar: Option<&Sidecar>,
    listener: &mut dyn Listener,
) {
    let sidecar_names = sidecar.is_some_and(|s| s.recipient.is_some());
    recipient(l, transcript, site, sidecar_names, listener);
    patient(l, transcript, listener);
    let sidecar_signs = sidecar.is_some_and(|s| s.clinician.is_some());
    clinician(l, transcript, site, sidecar_signs, listener);
}

/// Asks the recording about a recipient the directory does not hold by its letters (see the
/// module's comment). `sidecar_named` says a sidecar gave the recipient (it wins).
fn recipient(
    l: &mut Letter,
    transcript: &Transcript,
    site: &Site,
    sidecar_named: bool,
    listener: &mut dyn Listener,
) {
    if sidecar_named {
        return;
    }
    if let Some(dictated) = l.dictated_recipient.clone() {
        // The letters took the nearest entry that sounds like the dictated name; where others
        // sound like it too ("Dr Philip Langton", "Dr Philippa Langdon" for a heard "Philip
        // Langdon"), the recording is asked among them.
        let alike = letter::contacts_sounding_like(&dictated, &site.directory);
        if alike.len() < 2 {
            return;
        }
        let names: Vec<&str> = alike.iter().map(|c| letter::strip_title(&c.name)).collect();
        let taken = alike
            .iter()
            .position(|c| l.recipient.as_deref() == Some(c.name.as_str()));
        if let Some(a) = ask(&dictated, &names, transcript, listener, |_| false) {
            let (heard, scored) = (&a.scored[0], &a.scored[1..]);
            if let Some(k) = rival(heard, scored, taken) {
                letter::recipient_retaken_by_sound(l, alike[k], &site.directory);
            } else if let Some(t) = taken {
                let others: Vec<_> = untold(scored, t).into_iter().map(|k| alike[k]).collect();
                letter::recipient_untold_from(l, &others);
            }
        }
        return;
    }
    let Some(heard) = l.recipient.clone() else {
        return;
    };
    if let Some(c) = by_sound(&heard, &site.directory, |c| &c.name, transcript, listener) {
        letter::recipient_by_sound(l, c, &site.directory);
    }
}

/// Another of the names that sound like the heard one than the one the letters `taken`, where
/// the recording prefers it clearly over every other ([`DISTINCT`]) and within [`ALLOWANCE`] of
/// the heard words (log-probabilities given the audio alone, as in [`choose`]; all the names
/// already sound like what was heard, so no nearness in letters is asked of it).
fn rival(heard: &Scored, names: &[Scored], taken: Option<usize>) -> Option<usize> {
    clearly_best(heard, names).filter(|&best| Some(best) != taken)
}

/// The other names that the recording cannot tell from the `written` one: their evidence (the
/// audio's support over part of the text's prior, as a term's is measured: `Scored::evidence`)
/// within [`DISTINCT`] of its own, or more. Two spellings of one sound ("Oksana", "Oxana")
/// differ in the text's prior alone, which the log-probability given the audio counts in full.
fn untold(names: &[Scored], written: usize) -> Vec<usize> {
    let scored = |s: &Scored| s.audio.is_finite() && s.prior.is_finite();
    let Some(w) = names.get(written).filter(|s| scored(s)) else {
        return Vec::new();
    };
    (0..names.len())
        .filter(|&k| {
            k != written && scored(&names[k]) && names[k].evidence() > w.evidence() - DISTINCT
        })
        .collect()
}

/// The name the recording prefers by its log-probability given the audio alone, where it does
/// so clearly over every other name ([`DISTINCT`]) and within [`ALLOWANCE`] of the heard words.
fn clearly_best(heard: &Scored, names: &[Scored]) -> Option<usize> {
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

/// Asks the recording about a dictating clinician the configuration's `[[clinicians]]` do not
/// hold by their letters, as for the recipient. `sidecar_named` says a sidecar gave the
/// clinician (it wins).
fn clinician(
    l: &mut Letter,
    transcript: &Transcript,
    site: &Site,
    sidecar_named: bool,
    listener: &mut dyn Listener,
) {
    let Some(heard) = l.author.clone().filter(|_| !sidecar_named) else {
        return;
    };
    if let Some(c) = by_sound(&heard, &site.clinicians, |c| &c.name, transcript, listener) {
        letter::clinician_by_sound(l, c);
    }
}

/// The one of `people` the recording says was meant by the `heard` name, where none of them
/// is it by its letters: the nearest names asked (see [`ask`]) and one chosen (see [`choose`]).
fn by_sound<'a, T>(
    heard: &str,
    people: &'a [T],
    name: impl Fn(&T) -> &str,
    transcript: &Transcript,
    listener: &mut dyn Listener,
) -> Option<&'a T> {
    if people.is_empty() || people.iter().any(|p| letter::same(name(p), heard)) {
        return None;
    }
    let near = letter::nearest_by_name(heard, people, &name, ASKED);
    let names: Vec<&str> = near
        .iter()
        .map(|&(_, p)| letter::strip_title(name(p)))
        .collect();
    let apart: Vec<f32> = near.iter().map(|&(d, _)| d).collect();
    // Heard again only where the scores alone take no name.
    let unsettled = |s: &[Scored]| choose(&s[0], &s[1..], &apart).is_none();
    let a = ask(heard, &names, transcript, listener, unsettled)?;
    let (heard, scored) = (&a.scored[0], &a.scored[1..]);
    choose(heard, scored, &apart)
        .or_else(|| {
            let k = written_again(a.again.as_deref()?, &names)?;
            agrees(heard, scored, &apart, k).then_some(k)
        })
        .map(|k| near[k].1)
}

/// The one name asked that a listening with the names as its prompt wrote (its words in order),
/// where it wrote exactly one and did not fall into a loop. Two or more written is the prompt
/// recited, not a hearing.
fn written_again(text: &str, names: &[&str]) -> Option<usize> {
    if terms::loops(text) {
        return None;
    }
    let said = plain(text);
    let mut written = names.iter().enumerate().filter(|(_, n)| {
        let n = plain(n);
        !n.is_empty() && said.windows(n.len()).any(|w| w == n.as_slice())
    });
    match (written.next(), written.next()) {
        (Some((k, _)), None) => Some(k),
        _ => None,
    }
}

/// May the name `k` a second listening wrote be taken? As for a term the listening writes
/// (`terms::AGREE`): its evidence (`Scored::evidence`, the audio's support over the text
/// prior's, as a term's margin is measured) within [`AGREE`] of the heard words', no other name
/// clearly likelier given the audio ([`DISTINCT`], as in [`clearly_best`]), and the nearest to
/// the heard words in letters (as in [`choose`]). Two ways of asking the model that agree are
/// stronger evidence than the forced scores alone, which favour the words greedy decoding
/// wrote: "Rosalee Equium" scored 17 nats above the directory's Rosalie Ekwueme given the audio
/// (12 in evidence), and the listening given the names wrote Rosalie Ekwueme.
fn agrees(heard: &Scored, names: &[Scored], apart: &[f32], k: usize) -> bool {
    let Some(name) = names.get(k) else {
        return false;
    };
    heard.audio.is_finite()
        && name.audio.is_finite()
        && name.evidence() >= heard.evidence() - AGREE
        && names
            .iter()
            .enumerate()
            .all(|(j, o)| j == k || o.audio < name.audio + DISTINCT)
        && nearest_in_letters(apart, k)
}

/// Lower-case words of a name, apostrophes kept ("O'Brien").
fn plain(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// What the recording said about the names asked.
struct Answered {
    /// The heard words' scores, then each name's.
    scored: Vec<Scored>,
    /// What the model wrote when it heard the clip again with the names as its prompt, where
    /// it was asked to.
    again: Option<String>,
}

/// Scores, over the clip where the `heard` name was said, the heard words and each of `names`
/// (each followed by the words said after it): the heard words' scores first; and, where
/// `listen` says so from those scores, hears the clip again freely with the names as the
/// model's prompt (a glossary, as the terms' second listening has: `terms::verify`). `None`
/// where the heard name's words are not in the transcript or the audio could not be scored.
fn ask(
    heard: &str,
    names: &[&str],
    transcript: &Transcript,
    listener: &mut dyn Listener,
    listen: impl Fn(&[Scored]) -> bool,
) -> Option<Answered> {
    let name = plain(letter::strip_title(heard));
    // A "name" of hundreds of letters (a sidecar's field filled by mistake) is no name to ask
    // the recording about.
    let too_long = |n: &str| n.len() > 100;
    if name.is_empty() || names.is_empty() || too_long(heard) || names.iter().any(|n| too_long(n)) {
        return None;
    }
    let words = terms::heard_words(transcript, 0.0);
    let said: Vec<Vec<String>> = words.iter().map(|w| plain(&w.text)).collect();
    // The first place the heard name's words were said, in order.
    let Some(at) = (0..words.len()).find(|&i| {
        said[i..].iter().flatten().take(name.len()).eq(name.iter())
            && said[i].first() == name.first()
    }) else {
        tracing::debug!("names: the heard name's words were not found in the transcript");
        return None;
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
    let mut texts = vec![with(&join(&words[at..end]))];
    texts.extend(names.iter().map(|n| with(n)));
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
        return None;
    }
    tracing::debug!("names: asking the recording about {} names", names.len());
    let scored_as = |scores: &crate::asr::score::Scores| -> Vec<Scored> {
        texts
            .iter()
            .enumerate()
            .map(|(k, t)| Scored {
                text: t.clone(),
                audio: scores.audio.get(k).copied().unwrap_or(f64::NEG_INFINITY),
                prior: scores.prior.get(k).copied().unwrap_or(f64::NEG_INFINITY),
            })
            .collect()
    };
    let hint = format!("{}.", names.join(", "));
    let answer = listener
        .score(
            &[clip],
            &mut |_: usize, scores: &[crate::asr::score::Scores]| {
                let scored = scores.first().map(scored_as)?;
                listen(&scored).then(|| hint.clone())
            },
        )
        .into_iter()
        .next()??;
    let scored = scored_as(answer.scores.first()?);
    // Scores only: the names themselves stay out of the log.
    tracing::debug!(
        "names: heard {:.1}, names asked {:?} (log-probability given the audio)",
        scored[0].audio,
        scored[1..]
            .iter()
            .map(|s| format!("{:.1}", s.audio))
            .collect::<Vec<_>>()
    );
    Some(Answered {
        scored,
        again: answer.again,
    })
}

/// The patient a sidecar names, where the dictation's name differs by its letters: asks the
/// recording whether it fits the sidecar's name. Whisper misspells names it does not know
/// ("Margaret Owan"), and a sidecar can belong to another patient; the two read alike in the
/// letters and not in the audio. Where the recording fits the sidecar's name about as well as
/// the heard words, the disagreement is a mishearing and the note says so; where it does not,
/// the note says to check that the sidecar is this patient's.
fn patient(l: &mut Letter, transcript: &Transcript, listener: &mut dyn Listener) {
    let (Some(heard), Some(given)) = (l.dictated_patient.clone(), l.patient.clone()) else {
        return;
    };
    let given_name = letter::strip_title(&given).to_owned();
    let (h, g) = (plain(letter::strip_title(&heard)), plain(&given_name));
    // The dictated name ran on into the next words ("David Thompson Natomba" for "... date of
    // birth"): the names agree; the run-on is the header's.
    if g.is_empty() || h.windows(g.len()).any(|w| w == g.as_slice()) {
        return;
    }
    let Some(Answered { scored, .. }) =
        ask(&heard, &[given_name.as_str()], transcript, listener, |_| {
            false
        })
    else {
        return;
    };
    let fits = scored[1].audio >= scored[0].audio - ALLOWANCE;
    let Some(flag) = l
        .flags
        .iter_mut()
        .find(|f| f.kind == "sidecar_disagrees" && f.message.starts_with("patient:"))
    else {
        return;
    };
    let before = flag.message.clone();
    if fits {
        flag.kind = "patient_heard";
        flag.message = format!(
            "patient: heard as \"{heard}\"; the recording fits the sidecar file's \"{given}\" \
             (used)"
        );
    } else {
        flag.message = format!(
            "patient: the dictation says \"{heard}\", the sidecar file \"{given}\" (the \
             sidecar's is used), and the recording does not fit the sidecar's name: check that \
             the sidecar is this patient's"
        );
    }
    // The notes box was made from the flags when the letter was built.
    for note in l.notes.iter_mut().filter(|n| **n == before) {
        note.clone_from(&flag.message);
    }
}

/// The name the recording prefers: clearly over every other name ([`DISTINCT`]) and within
/// [`ALLOWANCE`] of the heard words, and also the nearest to the heard words in letters (`apart`,
/// nearest first; a tie within `CLEARLY_NEARER`). Names are compared by their log-probability
/// given the audio alone: the text prior (see `terms::Scored::evidence`) favours rare spellings,
/// and Whisper's misheard forms of a name are rarer than any real name. The audio alone in turn
/// favours common words: "Gastrointestinal Ology Department" (Gastroenterology, 0.23 apart) scored
/// best as Cardiology Department (0.42). Where the letters and the recording disagree, no name
/// is taken; on the six evaluation sets every name rightly taken was the nearest in letters too.
fn choose(heard: &Scored, names: &[Scored], apart: &[f32]) -> Option<usize> {
    clearly_best(heard, names).filter(|&best| nearest_in_letters(apart, best))
}

/// Is name `k` the nearest to the heard words in letters (`apart`), or within
/// `letter::CLEARLY_NEARER` of the nearest?
fn nearest_in_letters(apart: &[f32], k: usize) -> bool {
    let nearest = apart.iter().copied().fold(f32::INFINITY, f32::min);
    apart
        .get(k)
        .is_some_and(|&d| d < nearest + letter::CLEARLY_NEARER)
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
        // Clearly the best name, a little below the heard words, and as near in letters.
        let apart = [0.4, 0.42, 0.5];
        assert_eq!(
            choose(&s(-10.0), &[s(-30.0), s(-15.0), s(-25.0)], &apart),
            Some(1)
        );
        // The recording's best is not the nearest in letters: the two disagree.
        assert_eq!(
            choose(&s(-10.0), &[s(-30.0), s(-15.0)], &[0.23, 0.42]),
            None
        );
        // Two names about as likely.
        assert_eq!(choose(&s(-10.0), &[s(-15.0), s(-16.0)], &apart), None);
        // Far below the heard words.
        assert_eq!(choose(&s(-10.0), &[s(-40.0)], &apart), None);
        assert_eq!(choose(&s(-10.0), &[], &[]), None);
    }

    fn e(audio: f64, prior: f64) -> Scored {
        Scored {
            text: String::new(),
            audio,
            prior,
        }
    }

    #[test]
    fn names_the_recording_cannot_tell_from_the_one_written_are_found() {
        // Two spellings of one sound: given the audio the commoner scores 5 nats better, all of
        // it the text's prior; a third name is 9 nats behind on the audio alone.
        let names = [e(-10.0, -30.0), e(-15.0, -35.0), e(-19.0, -30.0)];
        assert_eq!(untold(&names, 0), [1]);
        assert_eq!(untold(&names, 1), [0]);
        assert!(untold(&names[..1], 0).is_empty());
        // A name the recording could not score is never named.
        assert!(untold(&[e(-10.0, -30.0), e(f64::NEG_INFINITY, -35.0)], 0).is_empty());
        assert!(untold(&[e(f64::NEG_INFINITY, -30.0), e(-10.0, -35.0)], 0).is_empty());
    }

    #[test]
    fn a_name_a_listening_given_the_names_wrote_is_taken_where_the_scores_allow_it() {
        let names = ["Rosalie Ekwueme", "Rosamund Eke"];
        let again = "This is Dr. Rosalie Ekwueme, consultant in sexual health.";
        assert_eq!(written_again(again, &names), Some(0));
        // The heard name again, or the prompt recited (two names), or a loop: no name.
        assert_eq!(written_again("This is Dr. Rosalee Equium.", &names), None);
        assert_eq!(
            written_again("Rosalie Ekwueme, Rosamund Eke. This is Dr.", &names),
            None
        );
        assert_eq!(
            written_again("Eke, eke, eke, eke, Rosalie Ekwueme", &names),
            None
        );
        // A part of a name is not the name.
        assert_eq!(written_again("This is Dr. Rosalie.", &names), None);
        // "Rosalee Equium" (the heard words) 17 nats likelier given the audio than the name,
        // 12.5 in evidence: within AGREE; the nearest in letters.
        let heard = e(-24.4, -68.0);
        assert!(agrees(
            &heard,
            &[e(-41.2, -73.8), e(-45.0, -60.0)],
            &[0.3, 0.5],
            0
        ));
        // Far below the heard words in evidence.
        assert!(!agrees(&heard, &[e(-60.0, -70.0)], &[0.3], 0));
        // Another name clearly likelier given the audio.
        assert!(!agrees(
            &heard,
            &[e(-41.2, -73.8), e(-38.0, -60.0)],
            &[0.3, 0.5],
            0
        ));
        // Not the nearest in letters.
        assert!(!agrees(
            &heard,
            &[e(-41.2, -73.8), e(-45.0, -60.0)],
            &[0.5, 0.3],
            0
        ));
        // The heard words could not be scored: nothing to measure the name against.
        let unscored = e(f64::NEG_INFINITY, f64::NEG_INFINITY);
        assert!(!agrees(&unscored, &[e(-41.2, -73.8)], &[0.3], 0));
    }

    #[test]
    fn the_recording_overrules_the_letters_only_for_a_clearly_better_name() {
        // The letters took the first; the recording clearly prefers the second.
        assert_eq!(rival(&s(-26.0), &[s(-25.0), s(-20.0)], Some(0)), Some(1));
        // It prefers the one the letters took: nothing to change.
        assert_eq!(rival(&s(-26.0), &[s(-20.0), s(-25.0)], Some(0)), None);
        // Two names about as likely (0.7 nats apart, as "Philip Langton" and "Philippa
        // Langdon" for a heard "Philip Langdon"): the letters' choice stands.
        assert_eq!(rival(&s(-26.7), &[s(-22.7), s(-22.0)], Some(0)), None);
        // Far below the heard words.
        assert_eq!(rival(&s(-10.0), &[s(-40.0), s(-30.0)], Some(0)), None);
    }
}
