//! What the recording said about a correction: the scores of the heard words and of each near
//! term, and the rule that reads them (which term, and whether it is written). Plain data with
//! its rule; `verify` asks the questions.

use serde::{Deserialize, Serialize};

/// How much more evidence (nats) another near term needs than the nearest to be written instead.
pub const SWITCH: f64 = 3.0;

/// How much more evidence (nats) the chosen term needs than every other near term to be written:
/// near terms are often forms of one word (eosinophilia, eosinophilic; nephrotic, nephropathy)
/// and, where the recording cannot tell them apart, writing the nearest by letters writes a
/// term that may not have been said. Then the heard words stay, marked, and the notes name the
/// forms. 2 nats (odds of about 7 to 1) is the least that keeps the dev set's robotic voice
/// within 3 invented terms per 1,000 words (dev set only: 26 terms right and 2 invented over
/// the three voices, against 28 and 3 without it; bench/trust.py).
pub const DISTINCT: f64 = 2.0;

/// How far (nats) below the heard words the chosen term's evidence may be when a second, free
/// listening writes it too (see [`Hinted`]): the forced scores of tiny.en are noisy (right terms
/// at -16 on the dev set), and two ways of asking the model that agree on the same near term are
/// stronger evidence than either alone. Tuned on the dev set's three voices only.
pub const AGREE: f64 = 16.0;

/// How near (edit distance over the letters, 0..1) the second listening's words must come to a
/// term for it to count as moving towards it: within a quarter of its letters.
pub const TOWARD: f32 = 0.25;

/// What the model wrote when it heard the candidate's clip again, freely, with the near terms
/// as its prompt (a glossary, as a secretary would jot the drug names down before typing): a
/// second listening beside the forced scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hinted {
    /// The clip as the model wrote it with the hint.
    pub text: String,
    /// The first of the near terms it wrote (index into the check's `terms`), if any.
    pub wrote: Option<usize>,
    /// The near term it moved towards, where it wrote none exactly: words (one to four, run
    /// together) nearer in letters to that term than the heard words were, within [`TOWARD`],
    /// and nearer to it than to any other near term ("beauty sonide" heard again as
    /// "Butusonide": budesonide). Whisper's own spelling of the term ("anemia") counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toward: Option<usize>,
    /// Heard by the clinical ear (tiny.en's decoder with the clinical adapter), not tiny.en.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_ear: bool,
    /// Written in the clinical ear's own reading of the recording, with no hint (`text` is what
    /// it wrote over the heard words).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unprompted: bool,
}

/// Lower-case letters and digits of each word.
fn plain_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The plain words of `s` with a space either side, to find whole words in it.
fn padded(s: &str) -> String {
    format!(" {} ", plain_words(s).join(" "))
}

/// Edit distance over letters, as a share of the longer (0 = the same letters).
pub fn apart(a: &str, b: &str) -> f32 {
    let n = a.chars().count().max(b.chars().count()).max(1);
    strsim::levenshtein(a, b) as f32 / n as f32
}

/// How near (see [`apart`]) the nearest run of one to four of `words` comes to `term`'s letters,
/// and the run; the shortest run holding all the term's letters (Whisper ran it into a
/// neighbour, or wrote a longer word) is as near as can be.
fn nearest_run<'w>(words: &'w [String], term: &str) -> (f32, Option<&'w [String]>) {
    let mut best = (1.0f32, None);
    for i in 0..words.len() {
        let mut run = String::new();
        for (n, w) in words.iter().skip(i).take(4).enumerate() {
            run.push_str(w);
            if run.contains(term) {
                let last = i + n;
                let mut first = i;
                while first < last && words[first + 1..=last].concat().contains(term) {
                    first += 1;
                }
                return (0.0, Some(&words[first..=last]));
            }
            let d = apart(&run, term);
            if d < best.0 {
                best = (d, Some(&words[i..=i + n]));
            }
        }
    }
    best
}

/// Did the listening write other real words where the term was, rather than a spelling of it?
/// One word: a real word that is not the term ("hypertension" near hypotension, "subcutaneous"
/// holding cutaneous). Several: some of them the term's own words (or a spelling of one:
/// "fibrilation"), the others real words that are not ("pulmonary emboli" near pulmonary
/// embolism: the listening heard the plural, a different word; "permanent atrial fibrilation"
/// near persistent atrial fibrillation). A run of real words that shares none of the term's is
/// how Whisper spells a drug it does not know ("lever tear a seat am"), and may still come
/// nearer to it.
fn other_words(run: &[String], term_words: &[String], is_word: impl Fn(&str) -> bool) -> bool {
    let british = crate::text::spelling::british;
    if let [w] = run {
        return is_word(w) && british(w) != term_words.concat();
    }
    let own = |w: &String| {
        let w = british(w);
        term_words.iter().any(|t| apart(&w, t) < SPELLING)
    };
    let differ: Vec<&String> = run.iter().filter(|w| !own(w)).collect();
    !differ.is_empty() && differ.len() < run.len() && differ.iter().all(|w| is_word(w))
}

/// How far (see [`apart`]) a word may be from one of a term's words to be a spelling of it
/// ("fibrilation", "embolisim"), not another word ("emboli" is 0.25 from embolism).
const SPELLING: f32 = 0.2;

/// Does a listening recite its hint (two of the hint's names one after the other, as the hint
/// lists them) rather than hear the clip? The decoder can copy its prompt ("trancyc, thoracic,
/// thorium"): what it wrote then speaks for no term.
pub(super) fn recites(text: &str, names: &[String]) -> bool {
    let heard = padded(text);
    names
        .windows(2)
        .any(|pair| heard.contains(&padded(&format!("{} {}", pair[0], pair[1]))))
}

/// Has the decoder fallen into a loop (one or two words said three times running, "Peroneal,
/// peroneal, peroneal, peroneal", or three or more twice, "I'm not sure what I'm going to do. I'm
/// not sure what I'm going to do.")? Whisper's known failure on a clip it cannot read: what it
/// wrote then is not a hearing of the clip, and speaks for no term.
pub fn loops(text: &str) -> bool {
    let words = plain_words(text);
    (1..=words.len() / 2).any(|n| {
        let times = if n < 3 { 3 } else { 2 };
        words.len() >= n * times
            && (0..=words.len() - n * times)
                .any(|i| (1..times).all(|k| words[i..i + n] == words[i + k * n..i + (k + 1) * n]))
    })
}

/// The letters of a word as they are said: a doubled letter once, "ph" as "f", "ck" as "k", no
/// final silent "e". Two spellings with the same spoken letters are one hearing ("presole",
/// "presol"); English writes the same sounds both ways.
fn spoken_letters(word: &str) -> String {
    let mut letters: Vec<char> = word.replace("ph", "f").replace("ck", "k").chars().collect();
    letters.dedup();
    if letters.len() > 3 && letters.last() == Some(&'e') {
        letters.pop();
    }
    letters.into_iter().collect()
}

impl Hinted {
    /// Reads which of `terms` the model wrote in `text` (whole words, case and punctuation
    /// aside), the nearest first; else which it moved towards from `heard`. A listening whose
    /// nearest words are other real words (`is_word`; see [`other_words`]) moved towards those,
    /// not the term; Whisper's US spelling of the term ("anemia") is the term.
    pub(super) fn new(
        text: String,
        heard: &str,
        terms: &[Scored],
        is_word: impl Fn(&str) -> bool,
    ) -> Hinted {
        let again = padded(&text);
        // Whisper's US spelling of a term is the term.
        let american = crate::text::spelling::american;
        let wrote = terms.iter().position(|t| {
            again.contains(&padded(&t.text)) || again.contains(&padded(&american(&t.text)))
        });
        let toward = match wrote {
            Some(_) => None,
            None => {
                let words = plain_words(&text);
                let heard = plain_words(heard).concat();
                let heard_letters = spoken_letters(&heard);
                let near: Vec<(f32, f32, bool)> = terms
                    .iter()
                    .map(|t| {
                        let term_words = plain_words(&t.text);
                        let term = term_words.concat();
                        let (d, run) = nearest_run(&words, &term);
                        // The heard words again, spelled another way ("presole" as "presol",
                        // nearer prosol in letters): the listening heard no other sounds.
                        let same_sounds =
                            run.is_some_and(|run| spoken_letters(&run.concat()) == heard_letters);
                        let other_word =
                            run.is_some_and(|run| other_words(run, &term_words, &is_word));
                        (d, apart(&heard, &term), other_word || same_sounds)
                    })
                    .collect();
                let best = (0..near.len()).min_by(|&a, &b| near[a].0.total_cmp(&near[b].0));
                best.filter(|&k| {
                    let (again, heard, not_towards) = near[k];
                    let alone = near.iter().enumerate().all(|(j, n)| j == k || n.0 > again);
                    again <= TOWARD && again < heard && alone && !not_towards
                })
            }
        };
        Hinted {
            text,
            wrote,
            toward,
            by_ear: false,
            unprompted: false,
        }
    }

    /// The near term this listening speaks for: written, or moved towards.
    pub fn term(&self) -> Option<usize> {
        self.wrote.or(self.toward)
    }
}

/// One spelling and how well the recording supports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub text: String,
    /// Log-probability (nats) of the spelling and the words after it, given the audio and what
    /// was said before.
    pub audio: f64,
    /// The same over silence: what the model expects from the text alone.
    pub prior: f64,
}

/// How much of the text prior is taken off the audio score. At 1 the evidence is the pointwise
/// mutual information (audio minus prior), which favours rare words: a drug brand whose prior is
/// very low gains most from any audio ("intraturine" went to etravirine over intrauterine). At 0
/// it is the model's posterior, which favours its common words (hyperglycaemia for a heard
/// "hyperkelemia"). Halfway did best on the dev set's three voices when the pass decided on the
/// scores alone (34 terms right, 4 invented, against 33/7 at 1 and 26/8 at 0). With the clinical
/// ear and the second listenings (stop 49), 0.75: on the dev set 0.5 and 0.75 find the same 154
/// terms (1 and 2 invented) and 1 finds 153 (4 invented); on the three held-out sets' nine voices
/// 0.75 finds 482 against 475 at 0.5, with 28 terms invented or right words changed against 33,
/// and 1 does worse again (BENCHMARKS.md, stops 49 and 50). More of the prior taken off lets the
/// recording prefer the term it heard over a commoner near word ("apicabin": apixaban over
/// apocrine) without yet favouring rare words over the heard ones.
pub const PRIOR_WEIGHT: f64 = 0.75;

impl Scored {
    /// The recording's evidence for the text (nats): its log-probability given the audio, less
    /// part of what the model expects from the text alone ([`PRIOR_WEIGHT`]).
    pub fn evidence(&self) -> f64 {
        self.audio - PRIOR_WEIGHT * self.prior
    }
}

/// What the recording said about one correction: the heard words, each term considered (the
/// nearest by letters and sound first), and which term the recording chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioCheck {
    pub heard: Scored,
    pub terms: Vec<Scored>,
    /// Index into `terms` of the term written (or declined).
    pub chosen: usize,
    /// How much less evidence than the heard words the chosen term may have (see
    /// `verify::ALLOW_CURATED`).
    pub allowance: f64,
    /// The second, free listening, where the forced scores alone did not support the term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hinted: Option<Hinted>,
    /// Found by where the words stand, not by any doubt in them: confident English words in a
    /// drug's place ("started met from one gram").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_place: bool,
    /// The common English word nearer the heard letters than the term ("middications":
    /// medications), scored too: the term is written only where the recording prefers it to
    /// that word (see [`AudioCheck::beats_english`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub english: Option<Scored>,
}

impl AudioCheck {
    /// The nearest term by letters, unless the recording clearly prefers another of the near
    /// terms (by [`SWITCH`] nats): near terms are often forms of one word (polycythaemia,
    /// polycythaemica) that the audio cannot tell apart.
    pub(super) fn new(
        heard: Scored,
        terms: Vec<Scored>,
        allowance: impl Fn(usize) -> f64,
    ) -> AudioCheck {
        let mut chosen = 0;
        for (k, t) in terms.iter().enumerate().skip(1) {
            // Past the one chosen so far, hence past the nearest too.
            if t.evidence() > terms[chosen].evidence() + SWITCH {
                chosen = k;
            }
        }
        AudioCheck {
            heard,
            terms,
            chosen,
            allowance: allowance(chosen),
            hinted: None,
            by_place: false,
            english: None,
        }
    }

    /// How much more the recording supports the chosen term than the heard words (negative:
    /// less).
    pub fn margin(&self) -> f64 {
        self.terms
            .get(self.chosen)
            .map_or(f64::NEG_INFINITY, Scored::evidence)
            - self.heard.evidence()
    }

    /// How much more the recording supports the chosen term than the best other near term
    /// (infinite when it was the only one).
    pub fn distinct(&self) -> f64 {
        let chosen = self
            .terms
            .get(self.chosen)
            .map_or(f64::NEG_INFINITY, Scored::evidence);
        let rival = self
            .terms
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != self.chosen)
            .map(|(_, t)| t.evidence())
            .fold(f64::NEG_INFINITY, f64::max);
        chosen - rival
    }

    /// The other near terms the recording cannot tell from the chosen one (within
    /// [`DISTINCT`]), best first.
    pub fn rivals(&self) -> Vec<&str> {
        let Some(chosen) = self.terms.get(self.chosen) else {
            return Vec::new();
        };
        let mut near: Vec<&Scored> = self
            .terms
            .iter()
            .enumerate()
            .filter(|&(k, t)| k != self.chosen && chosen.evidence() - t.evidence() < DISTINCT)
            .map(|(_, t)| t)
            .collect();
        near.sort_by(|a, b| b.evidence().total_cmp(&a.evidence()));
        near.into_iter().map(|t| t.text.as_str()).collect()
    }

    /// Does the recording support the chosen term, as well as the heard words (within the
    /// allowance) and better than the other near terms (by [`DISTINCT`])? Or, where the scores
    /// alone fall short, did a second, free listening with the near terms as a hint write the
    /// same term ([`AGREE`])?
    pub fn supports(&self) -> bool {
        (self.scores_support() || self.agreed()) && self.beats_english()
    }

    /// The recording prefers the chosen term to the nearer English word, if one was asked. No
    /// margin beyond that: a term is often a little behind the word it was heard as (tremor
    /// heard as "Tremmer", 2.0 nats ahead of trimmer on the dev set's robotic voice), and the
    /// words this stops are far behind (mutations for a heard "middications", where medications
    /// was said: 11.8 nats).
    pub fn beats_english(&self) -> bool {
        let chosen = self
            .terms
            .get(self.chosen)
            .map_or(f64::NEG_INFINITY, Scored::evidence);
        self.english.as_ref().is_none_or(|e| chosen >= e.evidence())
    }

    /// The forced scores alone support the chosen term.
    pub fn scores_support(&self) -> bool {
        self.margin() >= -self.allowance && self.distinct() >= DISTINCT
    }

    /// Is a second listening worth asking for: the scores fall short, but not by far?
    pub fn worth_hearing_again(&self) -> bool {
        !self.scores_support() && self.margin() >= -AGREE
    }

    /// The near term the second listening wrote or moved towards, where it is not the chosen
    /// one but the scores already prefer it (by less than [`SWITCH`]: "Napropathy" heard
    /// again as "nephrapathy", where nephropathy was 2.9 nats ahead of the nearer naprapathy):
    /// two ways of asking agree on it.
    pub fn hint_prefers_other(&self) -> Option<usize> {
        let k = self.hinted.as_ref()?.term()?;
        let (t, chosen) = (self.terms.get(k)?, self.terms.get(self.chosen)?);
        (k != self.chosen && t.evidence() >= chosen.evidence()).then_some(k)
    }

    /// The second listening speaks for a term: the chosen one ([`AudioCheck::agreed`]) or
    /// another the scores already prefer ([`AudioCheck::hint_prefers_other`]).
    pub fn speaks_for_hint(&self) -> bool {
        self.agreed() || self.hint_prefers_other().is_some()
    }

    /// The free listening with the hint wrote the chosen term, or moved towards it, and the
    /// scores are not far against it.
    pub fn agreed(&self) -> bool {
        self.hinted
            .as_ref()
            .is_some_and(|h| h.term() == Some(self.chosen))
            && self.margin() >= -AGREE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(names: &[&str]) -> Vec<Scored> {
        names
            .iter()
            .map(|n| Scored {
                text: (*n).to_owned(),
                audio: -10.0,
                prior: -20.0,
            })
            .collect()
    }

    #[test]
    fn a_second_listening_that_comes_nearer_a_term_speaks_for_it() {
        let t = terms(&["budesonide"]);
        let h = Hinted::new(
            "She remains on Butusonide with".into(),
            "beauty sonide",
            &t,
            |_| false,
        );
        assert_eq!((h.wrote, h.toward), (None, Some(0)));
        // Run into a neighbour, or in Whisper's own (US) spelling.
        let t = terms(&["azathioprine"]);
        let h = Hinted::new(
            "we will considerazathioprine".into(),
            "as a theoprene",
            &t,
            |_| false,
        );
        assert_eq!(h.term(), Some(0));
        let t = terms(&["anaemia", "anosmia"]);
        let h = Hinted::new("and renal anemia.".into(), "enemia", &t, |w| w == "anemia");
        assert_eq!((h.wrote, h.toward), (Some(0), None));
        // Written exactly.
        let h = Hinted::new("and renal anaemia.".into(), "enemia", &t, |_| false);
        assert_eq!((h.wrote, h.toward), (Some(0), None));
        // The heard words again in another spelling of the same sounds: no move.
        let t = terms(&["prosol"]);
        let h = Hinted::new("He takes own presol 20".into(), "presole", &t, |_| false);
        assert_eq!(h.term(), None);
    }

    #[test]
    fn a_listening_holding_another_real_word_where_the_term_was_speaks_for_no_term() {
        let known = |w: &str| {
            [
                "subcutaneous",
                "the",
                "body",
                "permanent",
                "atrial",
                "new",
                "line",
            ]
            .contains(&w)
        };
        // A longer real word that holds the term's letters is that word.
        let t = terms(&["cutaneous"]);
        let h = Hinted::new("The body subcutaneous.".into(), "cutaneously", &t, known);
        assert_eq!(h.term(), None);
        // A word run into its neighbour still holds the term.
        let t = terms(&["azathioprine"]);
        let h = Hinted::new("considerazathioprine".into(), "as a theoprene", &t, known);
        assert_eq!(h.term(), Some(0));
        // A term's own word misspelt ("fibrilation") beside a real word that is not the term's
        // ("permanent" for persistent): the listening heard that word.
        let t = terms(&["persistent atrial fibrillation"]);
        let h = Hinted::new(
            "new line permanent atrial fibrilation new line".into(),
            "permanent titrural fibrillation",
            &t,
            known,
        );
        assert_eq!(h.term(), None);
    }

    #[test]
    fn a_listening_in_a_loop_is_known() {
        assert!(loops("Peroneal, peroneal, peroneal, peroneal. Peroneal"));
        assert!(loops(
            "Myrrhia is an affiliate, and I'm not sure what I'm going to do. I'm not sure what \
             I'm going to do."
        ));
        // Words said twice, or a phrase said once, are dictation.
        assert!(!loops("She is very very tired, no no she is not."));
        assert!(!loops("Started peroneal nerve conduction studies."));
    }

    #[test]
    fn a_listening_that_recites_its_hint_is_known() {
        let names: Vec<String> = ["thoracic", "thorium", "thoracotomy"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert!(recites(
            "The most important thing is the trancyc, thoracic, thorium.",
            &names
        ));
        assert!(!recites("His thoracic spine is tender.", &names));
        assert!(!recites("thorium and thoracic", &names));
        assert!(!recites("thoracic thorium", &names[..1]));
    }

    #[test]
    fn a_term_is_written_only_where_the_recording_prefers_it_to_the_nearer_english_word() {
        let scored = |text: &str, audio: f64| Scored {
            text: text.into(),
            audio,
            prior: -20.0,
        };
        let mut check = AudioCheck::new(
            scored("middications", -14.0),
            vec![scored("mutations", -10.0)],
            |_| 0.0,
        );
        assert!(check.supports(), "no English word asked: the scores decide");
        check.english = Some(scored("medications", -6.0));
        assert!(!check.beats_english() && !check.supports());
        check.english = Some(scored("medications", -10.5));
        assert!(check.beats_english() && check.supports());
    }

    #[test]
    fn a_second_listening_no_nearer_or_between_two_terms_speaks_for_none() {
        // As heard, or further off.
        let t = terms(&["clopidogrel"]);
        for again in ["She takes clopidogrol 75 mg", "She takes clopping", "4."] {
            let h = Hinted::new(again.into(), "clopidogrol", &t, |_| false);
            assert_eq!(h.term(), None, "{again}");
        }
        // As near to one near term as to another.
        let t = terms(&["anosmia", "anaemia"]);
        let h = Hinted::new("and anaasmia".into(), "enazmia", &t, |_| false);
        assert_eq!(h.term(), None);
        // Another real word, near the term in letters: the listening heard that word.
        let t = terms(&["hypotension"]);
        let h = Hinted::new(
            "history of hypertension".into(),
            "high-potentioned",
            &t,
            |w| w == "hypertension",
        );
        assert_eq!(h.term(), None);
        // A multi-word term's own word beside another real word: the listening heard that
        // word (the plural), though its letters come nearer the term than the heard ones.
        let t = terms(&["pulmonary embolism"]);
        let real = |w: &str| ["bilateral", "pulmonary", "emboli", "new", "line"].contains(&w);
        let h = Hinted::new(
            "bilateral pulmonary emboli new line".into(),
            "pulmonary embolai",
            &t,
            real,
        );
        assert_eq!(h.term(), None);
        // A spelling of the term's other word still comes nearer it; so do real words that
        // share none of the term's (how Whisper spells a drug it does not know).
        let h = Hinted::new(
            "bilateral pulmonary embolisim new line".into(),
            "pulmonary embolai",
            &t,
            real,
        );
        assert_eq!(h.term(), Some(0));
        let t = terms(&["levetiracetam"]);
        let h = Hinted::new(
            "started lever tiracetam".into(),
            "levator acetam",
            &t,
            |w| ["started", "lever", "tiracetam"].contains(&w),
        );
        assert_eq!(h.term(), Some(0));
    }
}
