//! Asking the recording: a term found by letters and sound alone ("nephropic" -> nephrotic) is
//! weighed against the audio before it is written. The words around it, with the heard words and
//! with the term, are scored by the model that heard them (see `asr::score`); the term is written
//! only when the recording supports it about as well as what Whisper wrote. Exact forms (a split
//! term joined again, an older drug name, a site's "heard as" form, an abbreviation re-cased) need
//! no audio: their letters are the term's.

use super::apply::written;
use super::candidates::Candidate;
use super::check::{apart, loops, recites, AudioCheck, Hinted, Scored, SWITCH};
use super::lexicon::{another_spelling, english_tier, nearest_common_word, Lexicon, Source};
use super::words::{spelled, Punct, Word};
use crate::asr::score::{Answer, Asking, Item, Scores};

/// Words after a term scored with it (they show whether the term used up the right sounds).
const AFTER: usize = 2;

/// Audio either side of a clip (Whisper's word times are a little loose), seconds.
pub(super) const PAD: f64 = 0.3;

/// The longest clip: the model hears 30 s at most.
pub(super) const CLIP_SECONDS: f64 = 29.0;

/// Words of what was said before a clip, given to the decoder as its prompt.
pub(super) const PROMPT_WORDS: usize = 24;

/// How much less evidence than the heard words (nats) a term may have and still be written.
/// Greedy decoding already chose the heard words as its best guess, so a right term often scores
/// a little below them, and tiny.en's evidence is noisy (right terms at -16, never-said ones at
/// +5 on the dev set). So the allowance follows what else speaks for the term:
/// - a term of a curated list (the UK drug names, common generics; a site's own vocabulary):
///   the recording has to speak clearly against it;
pub const ALLOW_CURATED: f64 = 12.0;
/// - spelling all but the heard letters (distance under [`NEAR_SPELLING`]): a few nats less;
pub const ALLOW_NEAR: f64 = 8.0;
/// - heard as words no list knows, and within [`NONWORD_SPELLING`] of a listed term: a few nats
///   less. Keeping the heard letters keeps no word at all, and greedy decoding's own tokens
///   score a little above a spelling it did not choose ("enemia", 0.0 nats ahead of anaemia on
///   the dev set's male voice). Not for a word of the system's medical list alone: it holds tens
///   of thousands of rare words, and one of them is near a misheard word by chance ("paritis":
///   parietis);
pub const ALLOW_NONWORD: f64 = 3.0;
/// - otherwise (a rarer term, further in spelling): at least as much evidence as the heard words.
pub const ALLOW_OTHER: f64 = 0.0;

/// Spelling distance (0..1) under which a term is "all but the heard letters" (one letter in ten).
const NEAR_SPELLING: f32 = 0.1;

/// Spelling distance (0..1) under which a term is near words no list knows (see
/// [`ALLOW_NONWORD`]): one letter in seven.
const NONWORD_SPELLING: f32 = 0.15;

/// One question for the recording: the audio from `start` to `end` seconds, after `prompt`,
/// and the items to score in it (see [`Item`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub start: f64,
    pub end: f64,
    pub prompt: String,
    pub items: Vec<Item>,
}

/// What answers [`Clip`]s: the model over the recording (the pipeline's), or nothing.
pub trait Listener {
    /// One answer per clip, in order; `None` where the audio could not be scored. Once a clip's
    /// items are scored, `asking` is told the clip's index and scores; where it gives a hint, the
    /// clip is heard again freely with the hint as the model's prompt, and the answer holds what
    /// the model wrote (and what the clinical ear wrote, where `asking` wants it too).
    fn score(&mut self, clips: &[Clip], asking: &mut dyn Asking) -> Vec<Option<Answer>>;

    /// What the clinical ear writes for each stretch (see [`Stretch`]), heard freely; `None`
    /// where it cannot (no clinical ear, or the audio could not be read). None by default.
    fn read(&mut self, stretches: &[Stretch]) -> Vec<Option<String>> {
        vec![None; stretches.len()]
    }

    /// The windows the first pass heard the recording in whose encodings the listener kept
    /// (where each starts and ends, seconds, in time order): a stretch read in one of them
    /// costs no encoding. None by default.
    fn windows(&self) -> Vec<(f64, f64)> {
        Vec::new()
    }
}

/// A stretch of the recording for the clinical ear to read: from `start` to `end` seconds, after
/// `prompt`, where the first pass wrote `draft`; or, where `window` names one of the listener's
/// kept windows (by its start), the first pass's words of that window, read in it from its start.
#[derive(Debug, Clone, PartialEq)]
pub struct Stretch {
    pub start: f64,
    pub end: f64,
    pub prompt: String,
    pub draft: String,
    pub window: Option<f64>,
}

/// A candidate's question: its clip, and the texts asked (heard words first, then each term).
struct Ask {
    candidate: usize,
    clip: usize,
    item: usize,
    /// The entries of the terms asked, in the order of the texts after the heard one.
    entries: Vec<usize>,
    terms: Vec<String>,
    /// A common English word nearer the heard letters than the nearest term, scored after the
    /// terms.
    english: Option<String>,
    /// Where the heard words begin with a capital: each lower-case term (its index; the
    /// English word's is the number of terms) asked again with one, and that text's index (one
    /// at most per term).
    capitals: Vec<(usize, usize)>,
}

/// Splits the chosen candidates into those the recording supports (or that need no audio) and
/// those it does not, each with what the recording said. Where the recording prefers another of
/// a candidate's near terms, that one is written; where it prefers a rival over other words
/// (see `apply::rivals`: the chosen candidate's index and the rival), the rival.
pub(super) fn weigh(
    ws: &[Word],
    chosen: Vec<Candidate>,
    rivals: Vec<(usize, Candidate)>,
    sentence_start: &[bool],
    lex: &Lexicon,
    listener: &mut dyn Listener,
) -> (Vec<Candidate>, Vec<Candidate>) {
    // The chosen candidates and their rivals asked together, in the order of their words; for
    // each, the chosen one it is a rival of.
    let n_chosen = chosen.len();
    let mut all: Vec<(Option<usize>, Candidate)> = chosen.into_iter().map(|c| (None, c)).collect();
    all.extend(rivals.into_iter().map(|(k, c)| (Some(k), c)));
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| (all[i].1.from, all[i].1.to, i));
    let chosen: Vec<Candidate> = order.iter().map(|&i| all[i].1.clone()).collect();
    let (clips, asks) = questions(ws, &chosen, sentence_start, lex);
    let rival: Vec<bool> = order.iter().map(|&i| all[i].0.is_some()).collect();
    let mut asker = Asker {
        ws,
        chosen: &chosen,
        asks: &asks,
        lex,
        rival,
        checks: vec![None; asks.len()],
        hints: vec![Vec::new(); clips.len()],
    };
    let answers = listener.score(&clips, &mut asker);
    let Asker { checks, hints, .. } = asker;
    let mut chosen = chosen;
    for (ask, check) in asks.iter().zip(checks) {
        let Some(mut check) = check else {
            continue;
        };
        let names = hints.get(ask.clip).map_or(&[][..], Vec::as_slice);
        // tiny.en's own second listening first; the clinical ear's where that one speaks for no
        // term. A listening that recites its hint speaks for none.
        let listenings = answers
            .get(ask.clip)
            .and_then(Option::as_ref)
            .map(|a| [a.again.clone(), a.again_ear.clone()])
            .unwrap_or_default();
        // (Where the clinical ear's reading already speaks for the term, that listening stands.)
        if check.worth_hearing_again() && !check.speaks_for_hint() {
            let heard = listenings
                .into_iter()
                .zip([false, true])
                .filter_map(|(text, by_ear)| Some((text?, by_ear)))
                .filter(|(text, _)| !recites_hint(text, names));
            for (text, by_ear) in heard {
                let mut other = listened(&check, text, lex);
                if let Some(h) = other.hinted.as_mut() {
                    h.by_ear = by_ear;
                }
                let speaks = other.speaks_for_hint();
                if check.hinted.is_none() || speaks {
                    check = other;
                }
                if speaks {
                    break;
                }
            }
        }
        if check.worth_hearing_again() {
            if let Some(k) = check.hint_prefers_other() {
                check.chosen = k;
                check.allowance = allowance(ws, &chosen[ask.candidate], ask, k, lex);
            }
        }
        let c = &mut chosen[ask.candidate];
        c.entry = Some(ask.entries[check.chosen]);
        c.audio = Some(check);
    }
    // Back in the order given, each rival's answer beside its chosen candidate's.
    for (c, &i) in chosen.into_iter().zip(&order) {
        all[i].1 = c;
    }
    let (mut chosen, rivals): (Vec<_>, Vec<_>) = all.into_iter().partition(|(k, _)| k.is_none());
    for (k, r) in rivals {
        let Some(k) = k.filter(|&k| k < n_chosen) else {
            continue;
        };
        if rival_wins(&r, &chosen[k].1) {
            chosen[k].1 = r;
        }
    }
    let mut chosen: Vec<Candidate> = chosen.into_iter().map(|(_, c)| c).collect();
    chosen.sort_by_key(|c| c.from);
    chosen
        .into_iter()
        .partition(|c| c.audio.as_ref().is_none_or(AudioCheck::supports))
}

/// The checks as the clips are scored: each candidate's check once its clip's scores are in, the
/// hint for a second listening, and whether the clinical ear should hear the clip too.
struct Asker<'a> {
    ws: &'a [Word],
    chosen: &'a [Candidate],
    asks: &'a [Ask],
    lex: &'a Lexicon,
    /// Is the candidate (in `chosen`'s order) a rival of another?
    rival: Vec<bool>,
    checks: Vec<Option<AudioCheck>>,
    /// Each clip's hint, as the names it lists.
    hints: Vec<Vec<String>>,
}

impl Asking for Asker<'_> {
    /// Each of the clip's candidates' checks; where the scores fall short but not by far, a
    /// second listening of the clip with the near terms as its hint.
    fn hint(&mut self, clip: usize, scores: &[Scores]) -> Option<String> {
        let mut names: Vec<String> = Vec::new();
        for (a, ask) in self.asks.iter().enumerate().filter(|(_, a)| a.clip == clip) {
            let c = &self.chosen[ask.candidate];
            let check = scores
                .get(ask.item)
                .and_then(|s| check(self.ws, c, ask, s, self.lex))
                .map(|check| with_reading(check, c.read.as_deref(), self.lex));
            // The hint names the chosen candidates' terms only: a rival's would change what the
            // second listening writes for them.
            // (Also where the clinical ear's reading already speaks for the term: the hint is
            // the same whatever the ear read, and so is what tiny.en writes with it.)
            if let Some(c) = check
                .as_ref()
                .filter(|c| c.worth_hearing_again() && !self.rival[ask.candidate])
            {
                for t in &c.terms {
                    if !names.contains(&t.text) {
                        names.push(t.text.clone());
                    }
                }
            }
            self.checks[a] = check;
        }
        let hint = (!names.is_empty()).then(|| format!("{}.", names.join(", ")));
        if let Some(h) = self.hints.get_mut(clip) {
            *h = names;
        }
        hint
    }

    /// Where tiny.en's listening speaks for no term of some check that asked for it (or
    /// recites the hint).
    fn ask_ear(&mut self, clip: usize, text: &str) -> bool {
        let names = self.hints.get(clip).map_or(&[][..], Vec::as_slice);
        if recites_hint(text, names) {
            return true;
        }
        self.asks
            .iter()
            .zip(&self.checks)
            .filter(|(ask, _)| ask.clip == clip && !self.rival[ask.candidate])
            .filter_map(|(_, c)| c.as_ref())
            .filter(|c| c.worth_hearing_again() && !c.speaks_for_hint())
            .any(|c| !listened(c, text.to_owned(), self.lex).speaks_for_hint())
    }
}

/// `check` with what the clinical ear wrote over its words in its own reading of the recording
/// (no hint; see `reading`), where that speaks for a term.
fn with_reading(check: AudioCheck, read: Option<&str>, lex: &Lexicon) -> AudioCheck {
    let Some(text) = read.filter(|t| !t.is_empty() && !loops(t)) else {
        return check;
    };
    let mut other = listened(&check, text.to_owned(), lex);
    if let Some(h) = other.hinted.as_mut() {
        h.by_ear = true;
        h.unprompted = true;
    }
    if other.speaks_for_hint() {
        other
    } else {
        check
    }
}

/// `check` with what a second listening wrote.
fn listened(check: &AudioCheck, text: String, lex: &Lexicon) -> AudioCheck {
    let mut other = check.clone();
    other.hinted = Some(Hinted::new(text, &check.heard.text, &check.terms, |w| {
        lex.is_known(w) || english_tier(w).is_some()
    }));
    other
}

/// Does `text` recite the hint that lists `names` (in the lexicon's spelling or the US spelling
/// the model was given)?
fn recites_hint(text: &str, names: &[String]) -> bool {
    let us: Vec<String> = names
        .iter()
        .map(|n| crate::text::spelling::american(n))
        .collect();
    recites(text, names) || recites(text, &us) || loops(text)
}

/// Does the recording prefer a rival over other words to the chosen candidate? The rival must
/// be supported itself, and gain more over the words it replaces than the chosen one gains over
/// its own by [`SWITCH`] nats (as for another near term). Each gain is measured from the same
/// place (the clip's start) to a couple of words past its window, so the two say which
/// replacement the recording prefers: for "own presole", omeprazole against "own" followed by
/// prosol.
fn rival_wins(rival: &Candidate, chosen: &Candidate) -> bool {
    let (Some(r), Some(c)) = (&rival.audio, &chosen.audio) else {
        return false;
    };
    r.supports() && r.margin() > c.margin() + SWITCH
}

/// What the recording says about one candidate, from its item's scores; `None` where a score is
/// missing.
fn check(
    ws: &[Word],
    c: &Candidate,
    ask: &Ask,
    scores: &Scores,
    lex: &Lexicon,
) -> Option<AudioCheck> {
    // A term's score is that of its likelier case (see `cased_as`).
    let best_case = |t: Scored, k: usize| match ask.capitals.iter().find(|(which, _)| *which == k) {
        Some(&(_, i)) => {
            let capital = scored(&t.text, scores, i);
            if capital.audio > t.audio {
                capital
            } else {
                t
            }
        }
        None => t,
    };
    let terms: Vec<Scored> = (0..ask.terms.len())
        .map(|k| best_case(scored(&ask.terms[k], scores, k + 1), k))
        .collect();
    let heard = scored(&spelled(&ws[c.from..c.to], Punct::Inner), scores, 0);
    if terms
        .iter()
        .chain([&heard])
        .any(|t| !t.evidence().is_finite())
    {
        return None;
    }
    let mut check = AudioCheck::new(heard, terms, |k| allowance(ws, c, ask, k, lex));
    check.by_place = c.slot;
    if let Some(w) = &ask.english {
        let english = best_case(scored(w, scores, 1 + ask.terms.len()), ask.terms.len());
        if english.evidence().is_finite() {
            check.english = Some(english);
        }
    }
    Some(check)
}

/// How much less evidence than the heard words the candidate's `k`th term may have.
fn allowance(ws: &[Word], c: &Candidate, ask: &Ask, k: usize, lex: &Lexicon) -> f64 {
    let e = ask.entries[k];
    let no_word = || ws[c.from..c.to].iter().all(|w| !lex.word_known(&w.core));
    if c.slot {
        // Confident words: the term needs at least their evidence.
        ALLOW_OTHER
    } else if matches!(lex.entries[e].source, Source::Uk | Source::Custom) {
        ALLOW_CURATED
    } else if k == 0 && c.d < NEAR_SPELLING {
        ALLOW_NEAR
    } else if k == 0
        && c.d <= NONWORD_SPELLING
        && lex.entries[e].source != Source::MedicalDictionary
        && no_word()
    {
        ALLOW_NONWORD
    } else {
        ALLOW_OTHER
    }
}

fn scored(text: &str, s: &Scores, k: usize) -> Scored {
    Scored {
        text: text.to_owned(),
        audio: s.audio.get(k).copied().unwrap_or(f64::NEG_INFINITY),
        prior: s.prior.get(k).copied().unwrap_or(f64::NEG_INFINITY),
    }
}

/// A term found by nearness (not by its exact letters), where Whisper gave word times.
fn needs_audio(ws: &[Word], c: &Candidate) -> bool {
    c.entry.is_some() && c.d > 0.0 && ws[c.from..c.to].iter().all(|w| w.p.is_some())
}

/// The clips to score and what to ask in each: a clip starts at the first word of a candidate's
/// segment and takes in every later candidate that ends within [`CLIP_SECONDS`] of it.
fn questions(
    ws: &[Word],
    chosen: &[Candidate],
    sentence_start: &[bool],
    lex: &Lexicon,
) -> (Vec<Clip>, Vec<Ask>) {
    let mut clips: Vec<Clip> = Vec::new();
    let mut asks: Vec<Ask> = Vec::new();
    // The current clip's first word.
    let mut first = usize::MAX;
    for (k, c) in chosen.iter().enumerate() {
        if !needs_audio(ws, c) {
            continue;
        }
        let hi = (c.to + AFTER).min(ws.len());
        let end = ws[hi - 1].end + PAD;
        if first == usize::MAX || end - (ws[first].start - PAD) > CLIP_SECONDS {
            // From the start of the candidate's segment (a pause), as Whisper heard it: a clip
            // cut a few words before the term scored worse on the dev set (more terms invented).
            first = c.from;
            while first > 0 && ws[first - 1].seg == ws[c.from].seg {
                first -= 1;
            }
            if end - (ws[first].start - PAD) > CLIP_SECONDS {
                first = c.from;
            }
            clips.push(Clip {
                start: ws[first].start - PAD,
                end,
                prompt: spelled(&ws[first.saturating_sub(PROMPT_WORDS)..first], Punct::All),
                items: Vec::new(),
            });
        }
        let mut entries: Vec<usize> = Vec::new();
        let mut terms: Vec<String> = Vec::new();
        let asked: Vec<usize> = c.entry.iter().chain(&c.alternatives).copied().collect();
        for &e in &asked {
            // Another spelling of a curated term beside it is no rival: the curated one is asked.
            if asked.iter().any(|&x| another_spelling(lex, x, e)) {
                continue;
            }
            let alt = Candidate {
                entry: Some(e),
                ..c.clone()
            };
            if let Some((t, _)) = written(ws, &alt, sentence_start, lex) {
                if !terms.contains(&t) {
                    entries.push(e);
                    terms.push(t);
                }
            }
        }
        if terms.is_empty() {
            continue;
        }
        let (lead, trail) = (&ws[c.from].lead, &ws[c.to - 1].trail);
        let after = spelled(&ws[c.to..hi], Punct::All);
        let with = |middle: &str| {
            let mut s = format!("{lead}{middle}{trail}");
            if !after.is_empty() {
                s.push(if ws[c.to..hi].first().is_some_and(|w| w.hyphen_before) {
                    '-'
                } else {
                    ' '
                });
                s.push_str(&after);
            }
            s
        };
        let clip = clips.len() - 1;
        let english = nearer_english(ws, c, lex).filter(|w| !terms.contains(w));
        let heard = spelled(&ws[c.from..c.to], Punct::Inner);
        let mut texts: Vec<String> = std::iter::once(with(&heard))
            .chain(terms.iter().map(|t| with(t)))
            .chain(english.iter().map(|w| with(w)))
            .collect();
        let mut capitals = Vec::new();
        for (k, t) in terms.iter().chain(&english).enumerate() {
            let capital = cased_as(t, &heard);
            if capital != *t {
                capitals.push((k, texts.len()));
                texts.push(with(&capital));
            }
        }
        clips[clip].end = clips[clip].end.max(end);
        clips[clip].items.push(Item {
            prefix: spelled(&ws[first..c.from], Punct::All),
            texts,
            whole: false,
        });
        asks.push(Ask {
            candidate: k,
            clip,
            item: clips[clip].items.len() - 1,
            entries,
            terms,
            english,
            capitals,
        });
    }
    (clips, asks)
}

/// `text` with a capital first letter where the heard words begin with one: Whisper capitalises
/// a word it takes for a name ("Collitus", "Olensapine"), and a capital is not a sound, so a
/// term is asked in both cases and scored by the likelier (a known word, "cellulitis", may be far
/// likelier in lower case all the same).
fn cased_as(text: &str, heard: &str) -> String {
    let capital = heard.chars().next().is_some_and(char::is_uppercase);
    if capital && text.chars().next().is_some_and(char::is_lowercase) {
        crate::text::capitalise(text)
    } else {
        text.to_owned()
    }
}

/// The common English word nearer the window's letters than the nearest term (see
/// `lexicon::nearest_common_word`), where there is one: what Whisper may have heard instead.
fn nearer_english(ws: &[Word], c: &Candidate, lex: &Lexicon) -> Option<String> {
    let joined: String = ws[c.from..c.to].iter().map(|w| w.norm.as_str()).collect();
    let term = &lex.entries[c.entry?].norm;
    let (d, word) = nearest_common_word(&joined)?;
    (d < apart(&joined, term) && joined != word).then(|| word.to_owned())
}

#[cfg(test)]
mod tests {
    use super::super::{correct_listening, Lexicon, Outcome};
    use super::*;
    use crate::asr::transcript::Transcript;
    use std::sync::LazyLock;

    fn lexicon() -> &'static Lexicon {
        static L: LazyLock<Lexicon> = LazyLock::new(Lexicon::builtin);
        &L
    }

    /// One segment, a word a second, each word one token with probability `p`.
    fn heard(text: &str, p: f32) -> Transcript {
        let words: Vec<(&str, f32)> = text.split(' ').map(|w| (w, p)).collect();
        Transcript::one_word_a_second(&words)
    }

    /// Answers as scripted: each text's evidence from `favour` (the prior is 0), and every
    /// question kept for the test to look at.
    struct Script<F: Fn(&str) -> Option<f64>> {
        favour: F,
        asked: Vec<Clip>,
        /// What a second listening writes, for every hint.
        again: Option<String>,
        /// The clips heard again, with their hints.
        hints: Vec<(Clip, String)>,
        /// What the clinical ear writes, where asked; how often it was asked.
        ear_again: Option<String>,
        ear_asked: usize,
    }

    impl<F: Fn(&str) -> Option<f64>> Listener for Script<F> {
        fn score(&mut self, clips: &[Clip], asking: &mut dyn Asking) -> Vec<Option<Answer>> {
            self.asked.extend_from_slice(clips);
            let mut out = Vec::new();
            for (k, c) in clips.iter().enumerate() {
                let scores: Option<Vec<Scores>> = c
                    .items
                    .iter()
                    .map(|i| {
                        let audio = i
                            .texts
                            .iter()
                            .map(|t| (self.favour)(t))
                            .collect::<Option<Vec<f64>>>()?;
                        Some(Scores {
                            prior: vec![0.0; audio.len()],
                            audio,
                        })
                    })
                    .collect();
                out.push(scores.map(|scores| {
                    let hint = asking.hint(k, &scores);
                    if let Some(h) = &hint {
                        self.hints.push((c.clone(), h.clone()));
                    }
                    let again = hint.clone().and(self.again.clone());
                    let again_ear = match (&again, &self.ear_again) {
                        (Some(text), Some(ear)) if asking.ask_ear(k, text) => {
                            self.ear_asked += 1;
                            // "<hint>": an ear that recites its hint.
                            Some(if ear == "<hint>" {
                                hint.clone().unwrap_or_default()
                            } else {
                                ear.clone()
                            })
                        }
                        _ => None,
                    };
                    Answer {
                        scores,
                        again,
                        again_ear,
                    }
                }));
            }
            out
        }
    }

    fn run(text: &str, favour: impl Fn(&str) -> Option<f64>) -> (Outcome, Vec<Clip>) {
        let mut ear = Script {
            favour,
            asked: Vec::new(),
            again: None,
            hints: Vec::new(),
            ear_again: None,
            ear_asked: 0,
        };
        let o = correct_listening(&heard(text, 0.3), lexicon(), Some(&mut ear));
        (o, ear.asked)
    }

    #[test]
    fn another_spelling_of_a_curated_term_is_not_asked_beside_it() {
        let lex = Lexicon::builtin_with_medical_words(&["fursemide"]);
        let id = |t: &str| lex.entries.iter().position(|e| e.term == t).unwrap();
        let ws = super::super::words::words(&heard("takes furoseamide 40 milligrams", 0.3));
        // As the clinical ear's reading may offer them: the system list's spelling first, the
        // curated one among the alternatives, and another drug.
        let c = Candidate {
            from: 1,
            to: 2,
            entry: Some(id("fursemide")),
            abbreviation: None,
            d: 0.1,
            alternatives: vec![id("furosemide"), id("flutamide")],
            audio: None,
            slot: false,
            ear: true,
            read: None,
        };
        let starts = [true, false, false, false];
        let (_, asks) = questions(&ws, std::slice::from_ref(&c), &starts, &lex);
        assert_eq!(asks[0].terms, ["furosemide", "flutamide"]);
        // Without the curated spelling beside it, the system list's word is asked.
        let alone = Candidate {
            alternatives: vec![id("flutamide")],
            ..c
        };
        let (_, asks) = questions(&ws, &[alone], &starts, &lex);
        assert_eq!(asks[0].terms, ["fursemide", "flutamide"]);
    }

    #[test]
    fn a_term_the_recording_supports_is_written_with_its_scores() {
        let (o, asked) = run("she takes clopidogrol 75 mg daily", |t| {
            Some(if t.contains("clopidogrel") {
                -10.0
            } else if t.contains("clopidogrol") {
                -11.0
            } else {
                -15.0
            })
        });
        assert_eq!(o.transcript.text(), "she takes clopidogrel 75 mg daily");
        let audio = o.corrections[0]
            .audio
            .as_ref()
            .expect("checked against the audio");
        assert!(audio.margin() > 0.0);
        // The clip holds the words around the term, the texts the heard words and the term
        // with the words after them.
        let item = &asked[0].items[0];
        assert_eq!(item.prefix, "she takes");
        assert_eq!(item.texts[0], "clopidogrol 75 mg");
        assert_eq!(item.texts[1], "clopidogrel 75 mg");
        assert!(asked[0].start < 2.0 && asked[0].end > 4.9, "{:?}", asked[0]);
    }

    #[test]
    fn a_term_is_asked_in_the_case_the_words_were_heard_in() {
        // Whisper took the drug for a name: the term is asked with a capital too, and written
        // as the list spells it.
        let by_case = |capital: f64, lower: f64| {
            move |t: &str| {
                Some(if t.starts_with("Clopidogrel") {
                    capital
                } else if t.starts_with("clopidogrel") {
                    lower
                } else {
                    -11.0
                })
            }
        };
        for (capital, lower) in [(-9.0, -30.0), (-30.0, -9.0)] {
            let (o, asked) = run("she takes Clopidogrol 75 mg daily", by_case(capital, lower));
            assert_eq!(o.transcript.text(), "she takes clopidogrel 75 mg daily");
            let item = &asked[0].items[0];
            assert_eq!(item.texts[0], "Clopidogrol 75 mg");
            assert!(item.texts.contains(&"clopidogrel 75 mg".to_owned()));
            assert!(item.texts.contains(&"Clopidogrel 75 mg".to_owned()));
            let audio = o.corrections[0].audio.as_ref().expect("checked");
            assert_eq!(audio.terms[0].audio, -9.0);
        }
        // Neither case preferred to the heard words: not written.
        let (o, _) = run("she takes Clopidogrol 75 mg daily", by_case(-30.0, -30.0));
        assert!(o.corrections.is_empty());
        assert_eq!(cased_as("colitis", "ulcerative"), "colitis");
        assert_eq!(cased_as("HbA1c", "Hba one"), "HbA1c");
    }

    #[test]
    fn the_recording_may_prefer_a_wider_window_the_letters_set_aside() {
        // "presole" alone is nearest prosol by its letters; "own presole" is omeprazole. The
        // recording hears both, and the one that gains more over the words it replaces wins.
        let text = "he takes own presole 20 mg daily";
        let favour = |omeprazole: f64| {
            move |t: &str| {
                Some(if t.starts_with("omeprazole") {
                    omeprazole
                } else if t.starts_with("own presole") || t.starts_with("presole") {
                    -8.0
                } else if t.starts_with("prosol") {
                    -7.5
                } else {
                    -20.0
                })
            }
        };
        let (o, asked) = run(text, favour(-2.0));
        let items = &asked[0].items;
        assert!(
            items.iter().any(|i| i.prefix.ends_with("takes")
                && i.texts.iter().any(|t| t.starts_with("omeprazole"))),
            "{items:?}"
        );
        assert_eq!(o.corrections.len(), 1, "{:?}", o.corrections);
        assert_eq!(o.corrections[0].heard, "own presole");
        assert_eq!(o.corrections[0].term, "omeprazole");
        assert!(o.transcript.segments[0]
            .text
            .contains("takes omeprazole 20 mg"));
        // Where the wider window gains no more than the nearer one (by SWITCH), the letters'
        // choice stands.
        let (o, _) = run(text, favour(-6.0));
        assert_eq!(o.corrections.len(), 1, "{:?}", o.corrections);
        assert_eq!(o.corrections[0].heard, "presole");
        assert_eq!(o.corrections[0].term, "prosol");
    }

    #[test]
    fn a_term_is_weighed_against_the_english_word_nearer_the_heard_letters() {
        // "middications" is nearer medications than any term: the recording hears that word
        // too, and the term is written only where it prefers the term to it.
        let text = "her middications were reviewed";
        let (o, asked) = run(text, |t| {
            Some(if t.starts_with("medications") {
                -8.0
            } else if t.starts_with("middications") {
                -12.0
            } else {
                -10.0
            })
        });
        let texts = &asked[0].items[0].texts;
        assert!(
            texts.iter().any(|t| t.starts_with("medications ")),
            "{texts:?}"
        );
        assert!(o.corrections.is_empty(), "{:?}", o.corrections);
        let declined = o.declined[0].audio.as_ref().unwrap();
        assert_eq!(declined.english.as_ref().unwrap().text, "medications");
        assert!(!declined.beats_english());
        // Where the recording prefers the term clearly, it is written.
        let (o, _) = run(text, |t| {
            Some(
                if t.starts_with("medications") || t.starts_with("middications") {
                    -20.0
                } else {
                    -10.0
                },
            )
        });
        assert_eq!(o.corrections.len(), 1, "{:?}", o.declined);
        assert!(o.corrections[0].audio.as_ref().unwrap().beats_english());
    }

    #[test]
    fn a_term_the_recording_does_not_support_is_declined_and_the_words_stay() {
        let (o, _) = run("she takes clopidogrol 75 mg daily", |t| {
            Some(if t.contains("clopidogrol") {
                -10.0
            } else {
                -40.0
            })
        });
        assert_eq!(o.transcript.text(), "she takes clopidogrol 75 mg daily");
        assert!(o.corrections.is_empty());
        assert_eq!(o.declined.len(), 1);
        assert_eq!(o.declined[0].term, "clopidogrel");
        assert!(!o.declined[0].audio.as_ref().unwrap().supports());
    }

    #[test]
    fn a_near_term_for_words_no_list_knows_may_be_a_little_behind_them() {
        // "enemia" is no word: anaemia (two letters off) is written though the recording
        // prefers the heard letters by a nat, as greedy decoding's own tokens do.
        let behind = |by: f64| {
            move |t: &str| {
                Some(if t.contains("enemia") {
                    -10.0
                } else if t.contains("anaemia") || t.contains("anemia") {
                    -10.0 - by
                } else {
                    -20.0
                })
            }
        };
        let (o, _) = run("she has enemia and", behind(1.0));
        assert_eq!(
            o.transcript.text(),
            "she has anaemia and",
            "{:?}",
            o.declined
        );
        let audio = o.corrections[0].audio.as_ref().unwrap();
        assert_eq!(audio.allowance, ALLOW_NONWORD);
        // Clearly behind, it is declined.
        let (o, _) = run("she has enemia and", behind(ALLOW_NONWORD + 1.0));
        assert_eq!(o.transcript.text(), "she has enemia and");
        assert_eq!(o.declined[0].term, "anaemia");
    }

    #[test]
    fn the_recording_chooses_among_near_terms_only_when_clearly() {
        let text = "a raised eosinophili count";
        // About as likely: the nearest by letters stands.
        let (o, _) = run(text, |t| {
            Some(if t.contains("eosinophili ") {
                -10.0
            } else {
                -11.0
            })
        });
        // ... and, since the recording cannot tell it from the other near terms, it is not
        // written: the heard word stays and the other forms are named.
        assert_eq!(o.transcript.text(), text);
        let a = o.declined[0].audio.clone().unwrap();
        assert_eq!(a.chosen, 0);
        assert!(a.terms.len() > 1, "{a:?}");
        assert_eq!(a.rivals().len(), a.terms.len() - 1, "{a:?}");
        // The recording clearly prefers another near term: that one is written.
        let other = a.terms[1].text.clone();
        let (o, _) = run(text, |t| {
            Some(if t.starts_with(&format!("{other} ")) {
                -5.0
            } else {
                -20.0
            })
        });
        assert_eq!(o.transcript.text(), format!("a raised {other} count"));
        assert_eq!(o.corrections[0].audio.as_ref().unwrap().chosen, 1);
    }

    #[test]
    fn a_second_listening_settles_a_near_term_the_scores_already_lean_to() {
        let text = "a raised eosinophili count";
        let (o, _) = run(text, |_| Some(-10.0));
        let a = o.declined[0].audio.clone().unwrap();
        let (nearest, other) = (a.terms[0].text.clone(), a.terms[1].text.clone());
        // The other near term a nat ahead of the nearest (short of SWITCH), both near the heard
        // words: the recording cannot choose, and nothing is written ...
        let favour = |lead: f64| {
            let (nearest, other) = (nearest.clone(), other.clone());
            move |t: &str| {
                Some(if t.starts_with(&format!("{other} ")) {
                    -10.0 + lead
                } else if t.starts_with(&format!("{nearest} ")) || t.starts_with("eosinophili ") {
                    -10.0
                } else {
                    -30.0
                })
            }
        };
        let (o, _) = run_again(text, favour(1.0), Some("a raised lots of words count"));
        assert_eq!(o.transcript.text(), text);
        // ... until a second listening with the near terms as its hint writes the other one.
        let heard_again = format!("a raised {other} count");
        let (o, _) = run_again(text, favour(1.0), Some(&heard_again));
        assert_eq!(o.transcript.text(), heard_again);
        // Not where the scores lean to the nearest.
        let (o, _) = run_again(text, favour(-1.0), Some(&heard_again));
        assert_eq!(o.transcript.text(), text);
    }

    fn run_again(
        text: &str,
        favour: impl Fn(&str) -> Option<f64>,
        again: Option<&str>,
    ) -> (Outcome, Vec<(Clip, String)>) {
        let mut ear = Script {
            favour,
            asked: Vec::new(),
            again: again.map(str::to_owned),
            hints: Vec::new(),
            ear_again: None,
            ear_asked: 0,
        };
        let o = correct_listening(&heard(text, 0.3), lexicon(), Some(&mut ear));
        (o, ear.hints)
    }

    /// Scores where clopidogrel falls a little short of the heard "clopidogrol" (10 nats below,
    /// past the allowance of 8 for a spelling this near).
    fn clopidogrel_falls_short(t: &str) -> Option<f64> {
        Some(if t.contains("clopidogrol") {
            -10.0
        } else if t.contains("clopidogrel") {
            -20.0
        } else {
            -40.0
        })
    }

    fn run_ears(
        text: &str,
        favour: impl Fn(&str) -> Option<f64>,
        again: &str,
        ear_again: &str,
    ) -> (Outcome, usize) {
        let mut ear = Script {
            favour,
            asked: Vec::new(),
            again: Some(again.to_owned()),
            hints: Vec::new(),
            ear_again: Some(ear_again.to_owned()),
            ear_asked: 0,
        };
        let o = correct_listening(&heard(text, 0.3), lexicon(), Some(&mut ear));
        (o, ear.ear_asked)
    }

    #[test]
    fn the_clinical_ear_is_asked_where_tiny_ens_own_listening_speaks_for_no_term() {
        let text = "she takes clopidogrol 75 mg daily";
        let favour = clopidogrel_falls_short;
        // tiny.en hears the words again as they were: the ear, asked, writes the term.
        let (o, asked) = run_ears(
            text,
            favour,
            "She takes clopidogrol 75 mg daily.",
            "She takes clopidogrel 75 mg daily.",
        );
        assert_eq!(asked, 1);
        assert_eq!(o.transcript.text(), "she takes clopidogrel 75 mg daily");
        let a = o.corrections[0].audio.as_ref().unwrap();
        assert!(a.agreed(), "{a:?}");
        let h = a.hinted.as_ref().unwrap();
        assert!(
            h.by_ear && h.text == "She takes clopidogrel 75 mg daily.",
            "{h:?}"
        );
        // tiny.en's own listening writes it: the ear is not asked.
        let (o, asked) = run_ears(
            text,
            favour,
            "She takes clopidogrel 75 mg daily.",
            "She takes clopidogrol 75 mg daily.",
        );
        assert_eq!(
            (asked, o.transcript.text()),
            (0, "she takes clopidogrel 75 mg daily".into())
        );
        // An ear that recites its hint (the near terms, as listed) speaks for none of them.
        let (o, asked) = run_ears(text, favour, "She takes clopidogrol 75 mg daily.", "<hint>");
        assert_eq!(asked, 1);
        assert_eq!(o.transcript.text(), text, "{:?}", o.corrections);
    }

    #[test]
    fn a_term_the_scores_doubt_is_written_when_a_second_free_listening_writes_it_too() {
        let text = "she takes clopidogrol 75 mg daily";
        // The scores fall a little short ...
        let favour = clopidogrel_falls_short;
        // ... and heard again with the near terms as its prompt, the model writes the term.
        let (o, hints) = run_again(text, favour, Some("She takes Clopidogrel, 75 mg daily."));
        assert_eq!(o.transcript.text(), "she takes clopidogrel 75 mg daily");
        let a = o.corrections[0].audio.as_ref().unwrap();
        assert!(!a.scores_support() && a.agreed(), "{a:?}");
        // The clip was heard again, from the first word of the term's sentence, with the terms
        // as hint.
        assert_eq!(hints.len(), 1);
        assert!(hints[0].1.starts_with("clopidogrel"), "{:?}", hints[0]);
        assert!(
            hints[0].0.start < 0.5 && hints[0].0.end > 4.9,
            "{:?}",
            hints[0]
        );
        // Heard again as heard, or as another term, or not at all: the words stay.
        for again in [
            Some("She takes clopidogrol 75 mg daily."),
            Some("She takes clopidol."),
            None,
        ] {
            let (o, _) = run_again(text, favour, again);
            assert_eq!(o.transcript.text(), text, "{again:?}");
            assert_eq!(o.declined.len(), 1);
        }
        // Far below the heard words (past AGREE), it is not asked again.
        let far = |t: &str| {
            Some(if t.contains("clopidogrol") {
                -10.0
            } else {
                -40.0
            })
        };
        let (o, hints) = run_again(text, far, Some("She takes clopidogrel."));
        assert!(hints.is_empty() && o.corrections.is_empty());
    }

    #[test]
    fn without_an_answer_the_letters_decide_as_before() {
        let (o, asked) = run("she takes clopidogrol 75 mg daily", |_| None);
        assert_eq!(asked.len(), 1);
        assert_eq!(o.transcript.text(), "she takes clopidogrel 75 mg daily");
        assert!(o.corrections[0].audio.is_none());
    }

    #[test]
    fn exact_forms_are_not_asked() {
        let (o, asked) = run("known hyper tension on a pixa ban", |_| Some(-100.0));
        assert!(asked.iter().all(|c| c.items.is_empty()), "{asked:?}");
        assert_eq!(o.transcript.text(), "known hypertension on apixaban");
    }
}
