//! Review aids: the corrected terms and the words Whisper was unsure of, each marked in the
//! letter (turquoise with a comment, yellow) and counted in the notes for the secretary, with the
//! audio time to listen at.

use crate::asr::transcript::Transcript;
use crate::letter::build::Letter;
use crate::letter::header;
use crate::letter::record::Consumed;
use crate::letter::render::{Mark, Word};
use crate::text::diff::Tag;
use crate::text::terms::{self, Correction, HeardWord};
use crate::text::{commands, numbers, spelling};

/// A word whose lowest token probability is below this is highlighted for checking. Chosen by
/// `bench/unsure.py` on both dev sets (BENCHMARKS.md, "Unsure words"): at 0.40, 88% of the words
/// highlighted in the natural voice are wrong and 65% of its wrong words are highlighted (the
/// best balance of the two); 0.35 caught 57%, 0.50 made a third of the highlights false alarms.
const UNSURE_P: f32 = 0.40;

/// "1:05" for 65 seconds.
pub(super) fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// Where a word of the letter came from, when it is to be marked.
#[derive(Debug, Clone, Copy, PartialEq)]
enum From {
    /// Written by correction `i`.
    Correction(usize),
    /// Left as heard: correction `i` was found by text but not written.
    Declined(usize),
    /// A word Whisper was unsure of (index into the heard words).
    Unsure(usize),
    Plain,
}

/// One word as the letter should hold it, in dictation order: the heard words with each
/// correction's term in place of the words it replaced.
struct Said {
    key: String,
    from: From,
    /// The heard word it is (none for a correction's term).
    heard: Option<usize>,
    /// A little word ("a", "of", "to"; not a title or name): the template's own text holds
    /// many, so it is found only in its place.
    little: bool,
}

/// What review adds to a letter: the marks on its words (by index in `render::words`) and the
/// notes that count them.
pub(super) struct Review {
    pub marks: Vec<(usize, Mark)>,
    pub notes: Vec<String>,
    /// Heard words the letter does not hold as heard, and what took them.
    pub consumed: Vec<Consumed>,
    /// Each letter word's time in the recording (by index, as `marks`): from the first to the
    /// last said word it came from; none for words the layout wrote.
    pub times: Vec<crate::letter::render::WordTime>,
}

/// How words are compared between the transcript and the letter: lower case, letters and
/// digits only, British spelling.
fn key(word: &str) -> String {
    let kept: String = spelling::british(word)
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '/' | '%'))
        .flat_map(char::to_lowercase)
        .collect();
    // A mark alone is no word.
    if kept.chars().any(char::is_alphanumeric) {
        kept
    } else {
        String::new()
    }
}

/// The heard words (from `first` on) that change `c` stands for: where its time is, and, when
/// words carry only their segment's time, where its heard words are.
fn covered(heard: &[HeardWord], c: &Correction, first: usize) -> Option<std::ops::Range<usize>> {
    let want: Vec<String> = c
        .heard
        .split(|ch: char| ch.is_whitespace() || ch == '-')
        .map(key)
        .filter(|w| !w.is_empty())
        .collect();
    let n = want.len().max(1);
    let overlaps = |w: &HeardWord| w.start < c.end - 0.01 && w.end > c.start + 0.01;
    let at = |i: usize| {
        heard
            .get(i..i + n)
            .is_some_and(|ws| ws.iter().map(|w| key(&w.text)).eq(want.iter().cloned()))
    };
    let near: Vec<usize> = (first..heard.len())
        .filter(|&i| overlaps(&heard[i]))
        .collect();
    let i = near
        .iter()
        .copied()
        .find(|&i| at(i))
        .or(near.first().copied())?;
    Some(i..(i + n).min(heard.len()))
}

/// The words the letter should hold, in dictation order, each with where it came from.
fn said(heard: &[HeardWord], corrections: &[Correction], declined: &[Correction]) -> Vec<Said> {
    let mut cover = vec![From::Plain; heard.len()];
    let mut first_of = vec![false; heard.len()];
    for (list, made) in [(corrections, true), (declined, false)] {
        let mut order: Vec<usize> = (0..list.len()).collect();
        order.sort_by(|&a, &b| list[a].start.total_cmp(&list[b].start));
        let mut from = 0;
        for i in order {
            let Some(range) = covered(heard, &list[i], from) else {
                continue;
            };
            from = range.end;
            if let Some(f) = first_of.get_mut(range.start) {
                *f = true;
            }
            for w in range {
                cover[w] = if made {
                    From::Correction(i)
                } else {
                    From::Declined(i)
                };
            }
        }
    }
    let mut out = Vec::with_capacity(heard.len());
    for (i, w) in heard.iter().enumerate() {
        match cover[i] {
            From::Correction(c) if first_of[i] => {
                out.extend(corrections[c].term.split_whitespace().map(|t| Said {
                    key: key(t),
                    from: From::Correction(c),
                    heard: None,
                    little: false,
                }));
            }
            From::Correction(_) => {}
            From::Declined(d) => out.push(Said {
                key: key(&w.text),
                from: From::Declined(d),
                heard: Some(i),
                little: false,
            }),
            _ => out.push(Said {
                key: key(&w.text),
                from: if w.unsure {
                    From::Unsure(i)
                } else {
                    From::Plain
                },
                heard: Some(i),
                little: key(&w.text).chars().count() < 4 && !w.text.starts_with(char::is_uppercase),
            }),
        }
    }
    out.retain(|s| !s.key.is_empty());
    out
}

/// For each said word, the letter word it became: the two sequences are aligned (a diff of
/// words); a run of said words replaced by a run of letter words ("fifty two millimoles" ->
/// "52 mmol/mol") maps each to the letter word at the same share of the run. Words the letter
/// does not hold (spoken commands, header keywords) map to nothing.
fn align(said: &[Said], letter: &[Word]) -> Vec<Option<usize>> {
    let letter_keys: Vec<(usize, String)> = letter
        .iter()
        .enumerate()
        .map(|(i, w)| (i, key(&w.text)))
        .filter(|(_, k)| !k.is_empty())
        .collect();
    let a: Vec<&str> = said.iter().map(|s| s.key.as_str()).collect();
    let b: Vec<&str> = letter_keys.iter().map(|(_, k)| k.as_str()).collect();
    let ops = crate::text::diff::words(&a, &b, std::time::Duration::from_secs(2));
    let mut out = vec![None; said.len()];
    let mut used = vec![false; letter.len()];
    for crate::text::diff::Op { tag, old, new } in ops {
        match tag {
            Tag::Equal => {
                for (o, n) in old.zip(new) {
                    out[o] = Some(letter_keys[n].0);
                }
            }
            Tag::Replace => {
                let pairs = pair_run(&a[old.clone()], &b[new.clone()]);
                for (k, n) in pairs.into_iter().enumerate() {
                    // Template words that took a said word's place are not what it became.
                    if likeness(a[old.start + k], b[new.start + n]) >= MIN_LIKENESS {
                        out[old.start + k] = Some(letter_keys[new.start + n].0);
                    }
                }
            }
            Tag::Delete | Tag::Insert => {}
        }
    }
    for n in out.iter().flatten() {
        used[*n] = true;
    }
    // A header value the template laid out elsewhere (a name in the Re: block, the clinician's
    // place in the signature, a heading) is out of the dictation's order: a word the diff left
    // without a place takes the first unused letter word that is the same word (not for little
    // words, which the template's own text holds too).
    for (s, at) in said.iter().zip(out.iter_mut()) {
        if at.is_some() || (s.from == From::Plain && s.little) {
            continue;
        }
        let found = letter_keys
            .iter()
            .find(|(n, k)| !used[*n] && *k == s.key)
            .or_else(|| {
                letter_keys
                    .iter()
                    .find(|(n, k)| !used[*n] && likeness(&s.key, k) >= MOVED_LIKENESS)
            });
        if let Some(&(n, _)) = found {
            used[n] = true;
            *at = Some(n);
        }
    }
    out
}

/// A said word is paired with a letter word that replaced it only when they are at least this
/// alike (half their letters in order: "millimoles" and "mmol/mol"); less, and the letter word is
/// the template's, not what the said word became.
const MIN_LIKENESS: f32 = 0.4;

/// How alike a word the diff left without a place must be to a letter word out of the
/// dictation's order to be taken for it ("Diagnosis" and the heading "Diagnoses").
const MOVED_LIKENESS: f32 = 0.75;

/// How alike a said word and a letter word are, 0 to 1: the share of letters they have in common
/// in order; a number said in words and one written in digits are alike.
fn likeness(said: &str, written: &str) -> f32 {
    let digits = |w: &str| w.chars().any(|c| c.is_ascii_digit());
    if said == written {
        return 1.0;
    }
    // Words a number or unit is said with ("five point two percent" -> "5.2%", "millimoles per
    // mole" -> "mmol/mol").
    if (matches!(said, "percent" | "cent") && written.contains('%'))
        || (said == "per" && written.contains('/'))
    {
        return 0.8;
    }
    let number_part = |w: &str| w == "point";
    if (digits(said) || numbers::is_number_word(said) || number_part(said)) && digits(written) {
        return 0.8;
    }
    // A part of a word the letter joined ("six" of "six-month", "x" of "x-ray").
    if written.starts_with(said) || (said.chars().count() >= 2 && written.contains(said)) {
        return 0.8;
    }
    // A unit written with a slash: the best of its parts ("mole" and "mmol/mol").
    if written.contains('/') {
        return written
            .split('/')
            .filter(|p| !p.is_empty())
            .map(|p| likeness(said, p))
            .fold(0.0, f32::max);
    }
    // A unit or word written short: its letters in order in the said word, the first the same
    // ("milligrams" -> "mg", "micrograms" -> "mcg").
    let mut rest = said.chars();
    if written.chars().next() == said.chars().next()
        && written.chars().all(|c| rest.any(|s| s == c))
    {
        return 0.8;
    }
    let (a, b): (Vec<char>, Vec<char>) = (said.chars().collect(), written.chars().collect());
    // The longest common subsequence, one row at a time.
    let mut row = vec![0usize; b.len() + 1];
    for &ca in &a {
        let mut diag = 0;
        for (j, &cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if ca == cb { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()] as f32 / a.len().max(b.len()).max(1) as f32
}

/// Pairs each word of a run of said words with a word of the run of letter words that replaced
/// it, in order (several said words may become one letter word: "fifty two" -> "52"), choosing
/// the pairing under which the paired words are most alike. Long runs (a header laid out anew)
/// are paired by position.
fn pair_run(said: &[&str], written: &[&str]) -> Vec<usize> {
    let (m, n) = (said.len(), written.len());
    if m * n > 250_000 {
        return (0..m).map(|k| k * n / m).collect();
    }
    // best[i][j]: the best total for said[..=i] with said[i] paired to written[j].
    let mut best = vec![vec![0f32; n]; m];
    let mut from = vec![vec![0usize; n]; m];
    for i in 0..m {
        let (mut top, mut top_at) = (f32::MIN, 0);
        for j in 0..n {
            let before = if i == 0 {
                0.0
            } else {
                if best[i - 1][j] > top {
                    (top, top_at) = (best[i - 1][j], j);
                }
                top
            };
            best[i][j] = before + likeness(said[i], written[j]);
            from[i][j] = top_at;
        }
    }
    let mut j = (0..n)
        .max_by(|&x, &y| best[m - 1][x].total_cmp(&best[m - 1][y]))
        .unwrap_or(0);
    let mut out = vec![0; m];
    for i in (0..m).rev() {
        out[i] = j;
        j = from[i][j];
    }
    out
}

/// What a correction's comment says of the recording (after what was heard and how sure).
fn audio_note(c: &Correction) -> &'static str {
    match &c.audio {
        Some(a) if a.margin() >= 0.0 => "; the recording favours the term",
        Some(a) if a.agreed() => match &a.hinted {
            Some(h) if h.unprompted && h.wrote.is_some() => {
                "; dictate's clinical ear, hearing the recording with no hint, \
                 wrote it: listen"
            }
            Some(h) if h.unprompted => {
                "; dictate's clinical ear, hearing the recording with no hint, \
                 came nearer to it: listen"
            }
            Some(h) if h.by_ear && h.wrote.is_some() => {
                "; heard again with the term as a hint, dictate's clinical \
                 ear wrote it: listen"
            }
            Some(h) if h.by_ear => {
                "; heard again with the term as a hint, dictate's clinical \
                 ear came nearer to it: listen"
            }
            Some(h) if h.wrote.is_some() => {
                "; heard again with the term as a hint, the recogniser wrote \
                 it too: listen"
            }
            _ => {
                "; heard again with the term as a hint, the recogniser came \
                 nearer to it: listen"
            }
        },
        Some(_) => "; the recording is not clear: listen",
        None => "",
    }
}

/// Marks the corrected terms and the words Whisper was unsure of on the letter's words
/// (`render::words` of the letter as rendered), following each word from the transcript to the
/// letter, and writes the notes that count exactly what is marked, with the audio time to listen
/// at.
pub(super) fn review(
    letter_words: &[Word],
    transcript: &Transcript,
    corrections: &[Correction],
    declined: &[Correction],
) -> Review {
    let heard = terms::heard_words(transcript, UNSURE_P);
    let said = said(&heard, corrections, declined);
    let placed = align(&said, letter_words);
    let mut times: Vec<crate::letter::render::WordTime> = vec![None; letter_words.len()];
    for (s, at) in said.iter().zip(&placed) {
        let time = match (s.from, s.heard) {
            (_, Some(h)) => (heard[h].start, heard[h].end),
            (From::Correction(i), None) => (corrections[i].start, corrections[i].end),
            _ => continue,
        };
        if let Some(t) = at.and_then(|a| times.get_mut(a)) {
            *t = Some(t.map_or(time, |(a, b)| (a.min(time.0), b.max(time.1))));
        }
    }
    // Each letter word's mark: a correction wins over a word to check.
    let mut marked: Vec<Option<From>> = vec![None; letter_words.len()];
    let mut unplaced: Vec<f64> = Vec::new();
    let mut unsure_start: Vec<(usize, f64)> = Vec::new();
    for (s, at) in said.iter().zip(&placed) {
        if s.from == From::Plain {
            continue;
        }
        let start = match s.from {
            From::Correction(i) => corrections[i].start,
            From::Declined(i) => declined[i].start,
            From::Unsure(i) => heard[i].start,
            From::Plain => continue,
        };
        let Some(at) = at.filter(|&a| letter_words[a].markable) else {
            unplaced.push(start);
            continue;
        };
        match (marked[at], s.from) {
            (Some(From::Correction(_)), _) => {}
            (_, From::Correction(_)) | (None, _) => marked[at] = Some(s.from),
            _ => {}
        }
        if let From::Unsure(_) = s.from {
            if !unsure_start.iter().any(|(w, _)| *w == at) {
                unsure_start.push((at, start));
            }
        }
    }
    let mut marks = Vec::new();
    let mut shown_corrections: Vec<usize> = Vec::new();
    // Yellow runs as the letter shows them (neighbouring words of one span with the same mark are
    // one run), each with the audio time of its first unsure word; a run holding a declined term
    // is counted with the declined terms.
    let mut unsure_times: Vec<f64> = Vec::new();
    let mut run: Option<(bool, Option<f64>)> = None; // (holds a declined term, first unsure time)
    let mut close = |run: &mut Option<(bool, Option<f64>)>| {
        if let Some((false, Some(t))) = run.take() {
            unsure_times.push(t);
        }
    };
    for (at, from) in marked.iter().enumerate() {
        let yellow = matches!(from, Some(From::Unsure(_) | From::Declined(_)));
        if !(yellow && letter_words[at].joined && run.is_some()) {
            close(&mut run);
        }
        match from {
            Some(From::Correction(i)) => {
                let c = &corrections[*i];
                let note = format!(
                    "Heard: \"{}\" (at {}; corrected by dictate, {:.0}% sure{})",
                    c.heard,
                    clock(c.start),
                    c.confidence * 100.0,
                    audio_note(c)
                );
                if !shown_corrections.contains(i) {
                    shown_corrections.push(*i);
                }
                marks.push((
                    at,
                    Mark::Correction {
                        heard: c.heard.clone(),
                        note,
                    },
                ));
            }
            Some(From::Unsure(_) | From::Declined(_)) => {
                let time = unsure_start.iter().find(|(w, _)| *w == at).map(|(_, s)| *s);
                let declined = matches!(from, Some(From::Declined(_)));
                let r = run.get_or_insert((false, None));
                r.0 |= declined;
                r.1 = r.1.or(time);
                marks.push((at, Mark::Unsure));
            }
            Some(From::Plain) | None => {}
        }
    }
    close(&mut run);
    unsure_times.sort_by(f64::total_cmp);
    let consumed = consumed(&heard, &said, &placed);
    let mut notes = notes(shown_corrections.len(), &unsure_times, declined, unplaced);
    notes.extend(scratch_notes(&consumed));
    Review {
        marks,
        notes,
        consumed,
        times,
    }
}

/// The runs of heard words that no letter word came from, each with what took it: every heard
/// word is in the letter, in a correction, in the filter's record, or here.
fn consumed(heard: &[HeardWord], said: &[Said], placed: &[Option<usize>]) -> Vec<Consumed> {
    let gone: Vec<usize> = said
        .iter()
        .zip(placed)
        .filter(|(_, at)| at.is_none())
        .filter_map(|(s, _)| s.heard)
        .collect();
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for i in gone {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|&l| l + 1 == i) => run.push(i),
            _ => runs.push(vec![i]),
        }
    }
    // A spoken command at either end of a run of other words is the command's own ("Dear
    // Colleen Comer New Paragraph", where the greeting was written otherwise: "Comer New
    // Paragraph" are the comma and the paragraph).
    let command = |i: &usize| commands::is_command_word(&heard[*i].text.to_lowercase());
    let runs: Vec<Vec<usize>> = runs
        .into_iter()
        .flat_map(|run| {
            let scratch = run
                .windows(2)
                .any(|p| is_scratch(&heard[p[0]].text, &heard[p[1]].text));
            let lead = run.iter().take_while(|i| command(i)).count();
            let tail = run.iter().rev().take_while(|i| command(i)).count();
            if scratch || lead == run.len() {
                return vec![run];
            }
            let (head, rest) = run.split_at(lead);
            let (middle, end) = rest.split_at(rest.len() - tail);
            [head, middle, end]
                .into_iter()
                .filter(|r| !r.is_empty())
                .map(<[usize]>::to_vec)
                .collect()
        })
        .collect();
    runs.into_iter()
        .map(|run| {
            let words: Vec<String> = run.iter().map(|&i| heard[i].text.to_lowercase()).collect();
            let little =
                |w: &str| matches!(w, "a" | "an" | "the" | "of" | "to" | "at" | "and" | "is");
            let scratch = words.windows(2).any(|p| is_scratch(&p[0], &p[1]));
            let taken_by = if scratch {
                "scratch that"
            } else if commands::is_command_run(&words) {
                "spoken command"
            } else if words
                .iter()
                .all(|w| commands::is_command_word(w) || header::is_keyword_word(w) || little(w))
            {
                "header keywords"
            } else {
                "not found in the letter as heard"
            };
            Consumed {
                text: run
                    .iter()
                    .map(|&i| heard[i].text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                start: heard[run[0]].start,
                end: heard[run[run.len() - 1]].end,
                taken_by,
            }
        })
        .collect()
}

/// Is this heard pair of words the command that takes back what was just said?
fn is_scratch(first: &str, second: &str) -> bool {
    let n = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    matches!(n(first).as_str(), "scratch" | "delete") && n(second) == "that"
}

/// The words of a "scratch that" note, at most.
const SCRATCH_WORDS: usize = 12;

/// A note for each "scratch that" naming the words it took back, with the time to listen at:
/// they are in no letter word, and a command heard where none was said (or one that took back
/// more than was meant) is found only by the secretary who knows it happened.
fn scratch_notes(consumed: &[Consumed]) -> Vec<String> {
    consumed
        .iter()
        .filter(|c| c.taken_by == "scratch that")
        .filter_map(|c| {
            // The words before each command; any after the last are the restart's, placed
            // elsewhere in the letter by the alignment (the same word said twice).
            let words: Vec<&str> = c.text.split_whitespace().collect();
            let (mut taken, mut pending): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
            let mut i = 0;
            while i < words.len() {
                if i + 1 < words.len() && is_scratch(words[i], words[i + 1]) {
                    taken.append(&mut pending);
                    i += 2;
                } else {
                    pending.push(words[i]);
                    i += 1;
                }
            }
            // A long sentence by its first words: the time finds the rest.
            let more = if taken.len() > SCRATCH_WORDS {
                " ..."
            } else {
                ""
            };
            taken.truncate(SCRATCH_WORDS);
            let taken = taken.join(" ");
            let taken = taken.trim_matches(|ch: char| !ch.is_alphanumeric());
            let taken = format!("{taken}{more}");
            (!taken.is_empty()).then(|| {
                format!(
                    "\"Scratch that\" took back \"{taken}\": left out of the letter; listen at {} \
                     if it should stay",
                    clock(c.start)
                )
            })
        })
        .collect()
}

/// The notes that count the marks: corrected terms, places to check, terms left as heard, and
/// words to check that the letter does not hold as heard.
fn notes(
    corrected: usize,
    unsure_times: &[f64],
    declined: &[Correction],
    mut unplaced: Vec<f64>,
) -> Vec<String> {
    let mut notes = Vec::new();
    if corrected > 0 {
        let n = corrected;
        notes.push(format!(
            "{n} term{} corrected, highlighted turquoise: each is a tracked change (accept or \
             reject it with Word's review buttons) and its comment says what was heard",
            if n == 1 { "" } else { "s" }
        ));
    }
    if !unsure_times.is_empty() {
        let n = unsure_times.len();
        let times: Vec<String> = unsure_times.iter().take(12).map(|&s| clock(s)).collect();
        notes.push(format!(
            "{n} place{} where the speech recogniser was unsure, highlighted yellow: listen at \
             {}{}",
            if n == 1 { "" } else { "s" },
            times.join(", "),
            if n > 12 { " ..." } else { "" }
        ));
    }
    if !declined.is_empty() {
        let list: Vec<String> = declined
            .iter()
            .take(8)
            .map(|c| {
                // The forms the recording could not tell apart, when that is why.
                let mut forms = vec![c.term.as_str()];
                if let Some(a) = &c.audio {
                    forms.extend(a.rivals().into_iter().take(2));
                }
                format!(
                    "\"{}\" at {} (perhaps {}?)",
                    c.heard,
                    clock(c.start),
                    forms.join(" or ")
                )
            })
            .collect();
        notes.push(format!(
            "{} possible term{} not written, the recording did not support {}; left as heard, \
             highlighted yellow: {}{}",
            declined.len(),
            if declined.len() == 1 { "" } else { "s" },
            if declined.len() == 1 { "it" } else { "them" },
            list.join(", "),
            if declined.len() > 8 { " ..." } else { "" }
        ));
    }
    unplaced.sort_by(f64::total_cmp);
    unplaced.dedup_by(|a, b| (*a - *b).abs() < 0.05);
    if !unplaced.is_empty() {
        let n = unplaced.len();
        let times: Vec<String> = unplaced.iter().take(12).map(|&s| clock(s)).collect();
        notes.push(format!(
            "{n} word{} to check did not reach the letter as written (taken as a dictation \
             instruction, a header field or a heading), so {} not highlighted: listen at {}{}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it is" } else { "they are" },
            times.join(", "),
            if n > 12 { " ..." } else { "" }
        ));
    }
    notes
}

/// Gives each note about moved dictation (or a second patient) the audio time to listen at, found by its first words
/// in the transcript (to the segment).
pub(super) fn time_moved_text(letter: &mut Letter, transcript: &Transcript) {
    let segments: Vec<(f64, Vec<String>)> = transcript
        .segments
        .iter()
        .map(|s| (s.start, crate::text::norm_words(&s.text)))
        .collect();
    for flag in letter
        .flags
        .iter_mut()
        .filter(|f| matches!(f.kind, "moved_text" | "two_patients"))
    {
        let Some(quoted) = flag.message.split('"').nth(1) else {
            continue;
        };
        let want = crate::text::norm_words(quoted.trim_end_matches(" ..."));
        let at = (1..=want.len().min(4)).rev().find_map(|n| {
            segments
                .iter()
                .find(|(_, words)| words.windows(n).any(|w| w == &want[..n]))
                .map(|(start, _)| *start)
        });
        if let Some(at) = at {
            let old = flag.message.clone();
            flag.message = format!("{old} (listen at {})", clock(at));
            for note in letter.notes.iter_mut().filter(|n| **n == old) {
                note.clone_from(&flag.message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::terms::Source;

    fn transcript(words: &[(&str, f32)]) -> Transcript {
        Transcript::one_word_a_second(words)
    }

    fn letter_words(text: &str) -> Vec<Word> {
        crate::letter::render::words(&crate::letter::render::blocks(text))
    }

    /// Each run of the `heard` words that `letter` does not hold, with what took it.
    fn taken_by(heard: &[(&str, f32)], letter: &str) -> Vec<(String, &'static str)> {
        let r = review(&letter_words(letter), &transcript(heard), &[], &[]);
        r.consumed
            .iter()
            .map(|c| (c.text.clone(), c.taken_by))
            .collect()
    }

    fn marked(review: &Review, words: &[Word]) -> Vec<String> {
        review
            .marks
            .iter()
            .map(|(i, _)| words[*i].text.clone())
            .collect()
    }

    #[test]
    fn marks_follow_words_that_later_stages_rewrote() {
        // "fifty two millimoles per mole" became "52 mmol/mol": the unsure words keep their
        // marks; the notes count the runs the letter shows.
        let t = transcript(&[
            ("Her", 0.9),
            ("HbA1c", 0.9),
            ("is", 0.9),
            ("fifty", 0.9),
            ("two", 0.3),
            ("millimoles", 0.2),
            ("per", 0.9),
            ("mole,", 0.9),
            ("and", 0.9),
            ("her", 0.9),
            ("weight", 0.1),
            ("is", 0.9),
            ("stable.", 0.9),
        ]);
        let words = letter_words("Her HbA1c is 52 mmol/mol, and her weight is stable.");
        let r = review(&words, &t, &[], &[]);
        assert_eq!(marked(&r, &words), ["52", "mmol/mol,", "weight"]);
        assert_eq!(
            r.notes,
            ["2 places where the speech recogniser was unsure, highlighted yellow: listen at 0:04, 0:10"]
        );
    }

    #[test]
    fn the_same_word_twice_is_marked_where_it_was_said() {
        // Finding a mark again by its text would put it on the first "pain".
        let t = transcript(&[
            ("Chest", 0.9),
            ("pain", 0.9),
            ("settled,", 0.9),
            ("new", 0.9),
            ("paragraph", 0.9),
            ("abdominal", 0.9),
            ("pain", 0.2),
            ("persists.", 0.9),
        ]);
        let text = "Chest pain settled,\n\nAbdominal pain persists.";
        let words = letter_words(text);
        let r = review(&words, &t, &[], &[]);
        assert_eq!(r.marks.len(), 1);
        assert_eq!(r.marks[0].0, 4, "{words:?}");
    }

    #[test]
    fn a_correction_is_marked_on_its_term_with_one_comment_and_counted() {
        let t = transcript(&[
            ("started", 0.9),
            ("a", 0.9),
            ("pixa", 0.3),
            ("ban", 0.3),
            ("five", 0.9),
            ("milligrams", 0.9),
        ]);
        let c = Correction {
            heard: "a pixa ban".into(),
            term: "apixaban".into(),
            start: 1.0,
            end: 3.9,
            confidence: 0.8,
            heard_p: Some(0.3),
            source: Source::Uk,
            audio: None,
        };
        let words = letter_words("Started apixaban 5 mg.");
        let r = review(&words, &t, &[c], &[]);
        assert_eq!(marked(&r, &words), ["apixaban"]);
        assert!(
            matches!(r.marks[0].1, Mark::Correction { ref heard, ref note } if heard == "a pixa ban" && note.contains("a pixa ban"))
        );
        assert_eq!(
            r.notes,
            ["1 term corrected, highlighted turquoise: each is a tracked change (accept or reject \
              it with Word's review buttons) and its comment says what was heard"]
        );
    }

    #[test]
    fn a_correction_the_clinical_ear_heard_says_so_in_its_comment() {
        use crate::text::terms::{AudioCheck, Hinted, Scored};
        let t = transcript(&[("started", 0.9), ("clopidogrol", 0.3), ("daily", 0.9)]);
        let scored = |text: &str, audio: f64| Scored {
            text: text.into(),
            audio,
            prior: -20.0,
        };
        let comment = |by_ear: bool, unprompted: bool| {
            // The scores 10 nats short; the second listening wrote the term.
            let audio = AudioCheck {
                heard: scored("clopidogrol", -10.0),
                terms: vec![scored("clopidogrel", -20.0)],
                chosen: 0,
                allowance: 0.0,
                hinted: Some(Hinted {
                    text: "Started clopidogrel daily.".into(),
                    wrote: Some(0),
                    toward: None,
                    by_ear,
                    unprompted,
                }),
                by_place: false,
                english: None,
            };
            let c = Correction {
                heard: "clopidogrol".into(),
                term: "clopidogrel".into(),
                start: 1.0,
                end: 1.9,
                confidence: 0.9,
                heard_p: Some(0.3),
                source: Source::Medwer,
                audio: Some(audio),
            };
            let words = letter_words("Started clopidogrel daily.");
            let r = review(&words, &t, &[c], &[]);
            match &r.marks[0].1 {
                Mark::Correction { note, .. } => note.clone(),
                other => panic!("{other:?}"),
            }
        };
        for (by_ear, unprompted, says) in [
            (
                true,
                false,
                "with the term as a hint, dictate's clinical ear wrote it",
            ),
            (false, false, "the recogniser wrote it too"),
            (
                true,
                true,
                "dictate's clinical ear, hearing the recording with no hint, wrote it",
            ),
        ] {
            let note = comment(by_ear, unprompted);
            assert!(note.contains(says), "{note}");
        }
    }

    #[test]
    fn a_spoken_command_beside_words_the_letter_wrote_otherwise_is_the_command() {
        // The greeting written with another name ("Dear Colleague"): its heard name is not in
        // the letter, the comma and the new paragraph after it are commands.
        let heard = [
            ("Dear", 0.9),
            ("Colleen", 0.9),
            ("Comer", 0.9),
            ("new", 0.9),
            ("paragraph", 0.9),
            ("She", 0.9),
            ("is", 0.9),
            ("well.", 0.9),
        ];
        assert_eq!(
            taken_by(&heard, "Dear Tabitha, She is well."),
            [
                ("Colleen".to_owned(), "not found in the letter as heard"),
                ("Comer new paragraph".to_owned(), "spoken command")
            ]
        );
    }

    #[test]
    fn a_full_stop_heard_joined_to_the_next_word_is_recorded_as_the_command() {
        // "full stop. He has" heard as "full stopee has": the letter has the full stop and
        // "He"; the record says where "stopee" went, not that it was lost.
        let heard = [
            ("He", 0.9),
            ("smokes", 0.9),
            ("full", 0.9),
            ("stopee", 0.9),
            ("has", 0.9),
            ("clubbing", 0.9),
        ];
        assert_eq!(
            taken_by(&heard, "He smokes. He has clubbing"),
            [("full stopee".to_owned(), "spoken command")]
        );
        // A colon after a heading heard as "Cole and".
        let heard = [
            ("Diagnosis", 0.9),
            ("Cole", 0.9),
            ("and", 0.9),
            ("atopic", 0.9),
            ("eczema", 0.9),
        ];
        assert_eq!(
            taken_by(&heard, "Diagnosis: atopic eczema"),
            [("Cole and".to_owned(), "spoken command")]
        );
    }

    #[test]
    fn the_notes_name_what_scratch_that_took_back() {
        let t = transcript(&[
            ("Continue", 0.9),
            ("paracetamol", 0.9),
            ("and", 0.9),
            ("metoclopramide", 0.9),
            ("scratch", 0.9),
            ("that", 0.9),
            ("and", 0.9),
            ("haloperidol.", 0.9),
        ]);
        let words = letter_words("Continue paracetamol and haloperidol.");
        let r = review(&words, &t, &[], &[]);
        assert_eq!(
            r.notes,
            [
                "\"Scratch that\" took back \"metoclopramide\": left out of the letter; listen at \
              0:03 if it should stay"
            ]
        );
        assert_eq!(r.consumed.len(), 1);
        assert_eq!(r.consumed[0].taken_by, "scratch that");
        // A long sentence taken back is named by its first twelve words.
        let said = "He was started on a low dose of the new tablet last week at the clinic";
        let mut heard: Vec<(&str, f32)> = said.split(' ').map(|w| (w, 0.9)).collect();
        heard.extend([
            ("scratch", 0.9),
            ("that.", 0.9),
            ("Seen", 0.9),
            ("today.", 0.9),
        ]);
        let r = review(&letter_words("Seen today."), &transcript(&heard), &[], &[]);
        assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
        assert!(
            r.notes[0].contains("\"He was started on a low dose of the new tablet last ...\""),
            "{:?}",
            r.notes
        );
        // Nothing taken back but the command itself: no note.
        let t = transcript(&[
            ("Seen", 0.9),
            ("today.", 0.9),
            ("Scratch", 0.9),
            ("that.", 0.9),
        ]);
        let words = letter_words("Seen today.");
        assert!(review(&words, &t, &[], &[]).notes.is_empty());
    }

    #[test]
    fn an_unsure_word_the_letter_does_not_hold_is_named_in_the_notes() {
        // "Smithers" went nowhere the letter shows (here: left out of the letter's words).
        let t = transcript(&[("seen", 0.9), ("Smithers", 0.2), ("today.", 0.9)]);
        let words = letter_words("Seen today.");
        let r = review(&words, &t, &[], &[]);
        assert!(r.marks.is_empty());
        assert_eq!(r.notes.len(), 1);
        assert!(
            r.notes[0].starts_with("1 word to check did not reach the letter"),
            "{:?}",
            r.notes
        );
        assert!(r.notes[0].ends_with("listen at 0:01"), "{:?}", r.notes);
    }
}
