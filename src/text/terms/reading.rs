//! The clinical ear's reading: before any candidate is asked about, the clinical ear (tiny.en's
//! decoder with the clinical adapter, `asr::transcribe::Ear`) hears the recording stretch by
//! stretch, freely and without a hint, as the first pass did. Its words are lined up with the
//! first pass's. Where it wrote a term in place of other words ("met for men" read as
//! metformin), that term becomes a candidate over those words; and every candidate is told what
//! the ear wrote over its words, a listening that can speak for its term (`verify::weigh`).
//! The ear never writes the letter: tiny.en's scores of the recording still judge each term.

use std::ops::Range;

use super::candidates::{Candidate, ALTERNATIVES, WIDER};
use super::check::apart;
use super::distance::{nearest_n, penalty, Heard};
use super::lexicon::{holds, norm, singulars, Lexicon, Source};
use super::verify::{Listener, Stretch, CLIP_SECONDS, PAD, PROMPT_WORDS};
use super::words::{is_number, is_unit, spelled, Punct, Word, LOW_P};
use crate::text::diff::{self, Op, Tag};
use crate::text::numbers::is_number_word;

/// The most heard words a term the ear wrote may replace (a drug heard as five short words:
/// "hydro chloro thigh a zide").
const MAX_HEARD: usize = 5;

/// Words of the first pass's on either side of a replaced stretch that a term the ear wrote may
/// take in ("atrial fib relation" read as "atrial fibrillation": the term is the two words).
const TAKE_IN: usize = 2;

/// How near (letters and sound, 0..1; see `distance`) the ear's words must come to a term it did
/// not write for the term to be a candidate ([`near_miss`]), ...
const EAR_NEAR: f32 = 0.2;

/// ... and how much nearer to it than the first pass's words.
const EAR_NEARER: f32 = 0.1;

/// How near (0..1) a listed term must be to a word of the system's list the ear wrote to be
/// taken as that word spelled otherwise: about one letter in ten.
const SPELLED_OTHERWISE: f32 = 0.1;

/// The ear's reading of one stretch, lined up with the first pass's words.
pub(super) struct Read {
    /// The first pass's words of the stretch.
    words: Range<usize>,
    /// The ear's words, as written (punctuation aside) and normalised.
    cores: Vec<String>,
    norms: Vec<String>,
    /// The first pass's words (relative to `words.start`) lined up with the ear's.
    ops: Vec<Op>,
}

/// The stretches of the recording to read. Where the listener kept the encodings of the windows
/// the first pass heard the recording in (`windows`, where each starts and ends), each window's
/// words (those that start in it, before the next window starts, with word times) are one
/// stretch, read in that window as the first pass heard it. The other words: whole segments, as
/// many as fit in one clip the model can hear, where Whisper gave word times.
fn stretches(ws: &[Word], windows: &[(f64, f64)]) -> Vec<(Range<usize>, Stretch)> {
    let window_of = |w: &Word| -> Option<usize> {
        let k = windows
            .iter()
            .rposition(|&(start, _)| start <= w.start + WINDOW_SLACK)?;
        (w.p.is_some() && w.start < windows[k].1).then_some(k)
    };
    let mut out: Vec<(Range<usize>, Stretch)> = Vec::new();
    let mut used = vec![false; windows.len()];
    let mut from = 0;
    while from < ws.len() {
        let k = window_of(&ws[from]);
        let mut to = from + 1;
        while to < ws.len() && window_of(&ws[to]) == k {
            to += 1;
        }
        match k {
            Some(k) if !used[k] => {
                used[k] = true;
                out.push((
                    from..to,
                    Stretch {
                        start: (ws[from].start - PAD).max(windows[k].0),
                        end: (ws[to - 1].end + PAD).min(windows[k].1),
                        prompt: spelled(&ws[from.saturating_sub(PROMPT_WORDS)..from], Punct::All),
                        draft: spelled(&ws[from..to], Punct::All),
                        window: Some(windows[k].0),
                    },
                ));
            }
            _ => out.extend(segment_stretches(ws, from..to)),
        }
        from = to;
    }
    out
}

/// How far (seconds) before a window a word may start and still be its (word times are a little
/// loose).
const WINDOW_SLACK: f64 = 0.05;

/// The stretches of the words `range` to read where no window of the first pass's is kept for
/// them: whole segments, as many as fit in one clip the model can hear, where Whisper gave word
/// times.
fn segment_stretches(ws: &[Word], range: Range<usize>) -> Vec<(Range<usize>, Stretch)> {
    let seg_end = |from: usize| {
        let mut to = from;
        while to < range.end && ws[to].seg == ws[from].seg {
            to += 1;
        }
        to
    };
    // The segment `from..to` has word times and ends within one clip of the word `first`.
    let fits = |first: usize, from: usize, to: usize| {
        ws[from..to].iter().all(|w| w.p.is_some())
            && ws[to - 1].end - ws[first].start + 2.0 * PAD <= CLIP_SECONDS
    };
    let mut out: Vec<(Range<usize>, Stretch)> = Vec::new();
    let mut first = range.start;
    while first < range.end {
        let mut to = seg_end(first);
        if !fits(first, first, to) {
            first = to;
            continue;
        }
        while to < range.end && fits(first, to, seg_end(to)) {
            to = seg_end(to);
        }
        out.push((
            first..to,
            Stretch {
                start: (ws[first].start - PAD).max(0.0),
                end: ws[to - 1].end + PAD,
                prompt: spelled(&ws[first.saturating_sub(PROMPT_WORDS)..first], Punct::All),
                draft: spelled(&ws[first..to], Punct::All),
                window: None,
            },
        ));
        first = to;
    }
    out
}

/// The words of a text as the first pass's are read: split at spaces and hyphens, punctuation
/// aside; each as written and normalised.
fn split(text: &str) -> (Vec<String>, Vec<String>) {
    let mut cores = Vec::new();
    let mut norms = Vec::new();
    for w in text.split(|c: char| c.is_whitespace() || c == '-') {
        let n = norm(w);
        if !n.is_empty() {
            cores.push(w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned());
            norms.push(n);
        }
    }
    (cores, norms)
}

/// Has the clinical ear read the recording (through `listener`), stretch by stretch; each
/// reading lined up with the first pass's words. Empty where there is no ear.
pub(super) fn read(ws: &[Word], listener: &mut dyn Listener) -> Vec<Read> {
    let stretches = stretches(ws, &listener.windows());
    if stretches.is_empty() {
        return Vec::new();
    }
    let asked: Vec<Stretch> = stretches.iter().map(|(_, s)| s.clone()).collect();
    let texts = listener.read(&asked);
    stretches
        .into_iter()
        .zip(texts)
        .filter_map(|((words, _), text)| {
            let (cores, norms) = split(&text?);
            let heard: Vec<&str> = ws[words.clone()].iter().map(|w| w.norm.as_str()).collect();
            let read: Vec<&str> = norms.iter().map(String::as_str).collect();
            let ops = diff::words(&heard, &read, std::time::Duration::from_millis(50));
            Some(Read {
                words,
                cores,
                norms,
                ops,
            })
        })
        .collect()
}

/// The terms the ear wrote in place of other words: a candidate over those words for each, with
/// what the ear wrote as its reading; and the terms it came near without writing them
/// ([`near_miss`]), with none.
fn candidates(ws: &[Word], reads: &[Read], lex: &Lexicon) -> Vec<Candidate> {
    let mut out = Vec::new();
    for r in reads {
        for (k, op) in r.ops.iter().enumerate() {
            if op.tag != Tag::Replace {
                continue;
            }
            // Equal words either side the term may take in.
            let before = k
                .checked_sub(1)
                .and_then(|j| r.ops.get(j))
                .filter(|o| o.tag == Tag::Equal)
                .map_or(0, |o| o.old.len().min(TAKE_IN));
            let after = r
                .ops
                .get(k + 1)
                .filter(|o| o.tag == Tag::Equal)
                .map_or(0, |o| o.old.len().min(TAKE_IN));
            // The longest term the ear's words make, with the fewest words taken in.
            let mut found: Option<(usize, usize, usize)> = None;
            for (b, a) in taken_in(op, (before, after)) {
                let new = op.new.start - b..op.new.end + a;
                if let Some(e) = term_written(&r.norms[new.clone()], lex) {
                    let better = found.is_none_or(|(_, fb, fa)| {
                        let (len, flen) = (new.len(), op.new.len() + fb + fa);
                        len > flen || (len == flen && b + a < fb + fa)
                    });
                    if better {
                        found = Some((e, b, a));
                    }
                }
            }
            let Some((e, b, a)) = found else {
                out.extend(near_miss(ws, r, op, (before, after), lex));
                continue;
            };
            let from = r.words.start + op.old.start - b;
            let to = r.words.start + op.old.end + a;
            let (from, to) = without_quantities(ws, from, to, &lex.entries[e].term);
            if to - from > MAX_HEARD || ws[from..to].iter().any(|w| w.p.is_none()) {
                continue;
            }
            if !may_replace(ws, from, to, e, lex) {
                continue;
            }
            tracing::debug!("the clinical ear read a term the first pass had not written");
            let heard: String = ws[from..to].iter().map(|w| w.norm.as_str()).collect();
            let mut c = Candidate::by_ear(from, to, e, apart(&heard, &lex.entries[e].norm));
            c.read = Some(lex.entries[e].term.clone());
            if lex.entries[e].source == Source::MedicalDictionary {
                let word = Heard::new(&super::lexicon::encoder(), lex.entries[e].norm.clone());
                let near = listed_near(lex, &word).into_iter().map(|(_, e)| e);
                c.alternatives = near.take(ALTERNATIVES).collect();
            }
            out.push(c);
        }
    }
    out
}

/// The words either side of the ear's changed words `op` a term may take in, up to `before`
/// and `after` of them that it wrote as the first pass did, four of the ear's words at most.
fn taken_in(op: &Op, (before, after): (usize, usize)) -> impl Iterator<Item = (usize, usize)> {
    let changed = op.new.len();
    (0..=before)
        .flat_map(move |b| (0..=after).map(move |a| (b, a)))
        .filter(move |&(b, a)| changed + b + a <= 4)
}

/// A term the ear came near without writing it: where the ear wrote a word no list knows in
/// place of the first pass's words ("mepalizumab" for "mepple as you may have"), the nearest
/// term to the ear's letters, if they are within [`EAR_NEAR`] of it and nearer to it by
/// [`EAR_NEARER`] than the first pass's words are. The ear's letters may take in up to `before`
/// and `after` words either side that it wrote as the first pass did ("Latin-oproast" where the
/// first pass wrote "Latin-oppressed": latanoprost is both words); the nearest wins, with the
/// fewest words taken in. Its other near terms are kept beside it for
/// the recording to choose among. The ear's words are not also a listening of it (no
/// `Candidate::read`): they proposed it, and tiny.en's scores or a listening with the terms as
/// a hint must speak for it.
fn near_miss(
    ws: &[Word],
    r: &Read,
    op: &Op,
    (before, after): (usize, usize),
    lex: &Lexicon,
) -> Option<Candidate> {
    // A word the ear wrote that a list knows is that word, not a near miss of a term.
    let ear = &r.cores[op.new.clone()];
    if ear.is_empty() || ear.iter().all(|w| lex.word_known(w)) {
        return None;
    }
    let dm = super::lexicon::encoder();
    let heard = |from: usize, to: usize, e: usize| {
        let heard = Heard::new(&dm, ws[from..to].iter().map(|w| w.norm.as_str()).collect());
        heard.distance(&lex.entries[e]) + penalty(lex.entries[e].source)
    };
    // The nearest term's distance, the words taken in, the first pass's words it stands for,
    // and the terms near the ear's letters there (nearest first).
    type Nearest = (f32, usize, (usize, usize), Vec<(f32, usize)>);
    let mut best: Option<Nearest> = None;
    for (b, a) in taken_in(op, (before, after)) {
        let (from, to) = (
            r.words.start + op.old.start - b,
            r.words.start + op.old.end + a,
        );
        if from == to || to - from > MAX_HEARD || ws[from..to].iter().any(|w| w.p.is_none()) {
            continue;
        }
        let read = Heard::new(&dm, r.norms[op.new.start - b..op.new.end + a].concat());
        let found = listed_near(lex, &read);
        let Some(&(d, e)) = found.first().filter(|&&(d, _)| d <= EAR_NEAR) else {
            continue;
        };
        if heard(from, to, e) - d < EAR_NEARER {
            continue;
        }
        let nearer = best
            .as_ref()
            .is_none_or(|(bd, taken, _, _)| d < *bd || (d == *bd && b + a < *taken));
        if nearer {
            best = Some((d, b + a, (from, to), found));
        }
    }
    let (_, _, (from, to), found) = best?;
    let e = found[0].1;
    let (from, to) = without_quantities(ws, from, to, &lex.entries[e].term);
    if !may_replace(ws, from, to, e, lex) {
        return None;
    }
    let mut c = Candidate::by_ear(from, to, e, heard(from, to, e));
    c.alternatives = found[1..].iter().map(|&(_, e)| e).collect();
    Some(c)
}

/// The first pass's words `from..to` a term the ear wrote (or came near) stands for, less any
/// quantity at either end: the ear writes a dose or a figure in digits ("hydrocortisone 1%")
/// where the first pass wrote words ("hydrocortis on one percent"), so the words it wrote
/// otherwise run into them, and a quantity is no part of a term with no number word in it (a
/// term with one, or with "and", keeps all the words). The words left out stay as heard.
fn without_quantities(ws: &[Word], mut from: usize, mut to: usize, term: &str) -> (usize, usize) {
    let quantity = |w: &Word| is_number(w) || is_unit(&w.norm) || w.norm == "percent";
    if split(term)
        .1
        .iter()
        .any(|t| t.chars().any(|c| c.is_ascii_digit()) || is_number_word(t))
    {
        return (from, to);
    }
    while to - from > 1 && quantity(&ws[to - 1]) {
        to -= 1;
    }
    while to - from > 1 && quantity(&ws[from]) {
        from += 1;
    }
    (from, to)
}

/// Joins the terms the ear wrote in place of other words (see [`candidates`]) to the candidates
/// found by letters: over the same words as one of those, the ear's term goes first and the
/// letters' after it (and the candidate is no longer one found only by its place); otherwise it
/// is a candidate of its own. Then tells each candidate what the ear wrote over its words, where
/// the ear may stand for them ([`may_replace`]). Last, the terms the ear only came near
/// ([`near_miss`]): over the same words as a candidate, one more term for the recording to
/// choose among; otherwise a candidate of its own, with no reading to speak for it.
pub(super) fn join(
    ws: &[Word],
    cands: &mut Vec<Candidate>,
    reads: &[Read],
    titled: &[bool],
    lex: &Lexicon,
) {
    // A titled name (`Evidence::titled`) is never a target, whatever the ear wrote over it: the
    // first pass may have put a name said elsewhere in the letter where another was said ("Ms
    // Ingrid Solberg came in", the recipient's, for the patient's), and a drug the ear read
    // there would only put a drug in a name's place.
    let (written, near): (Vec<Candidate>, Vec<Candidate>) = candidates(ws, reads, lex)
        .into_iter()
        .filter(|c| !titled[c.from..c.to].iter().any(|&n| n))
        .partition(|c| c.read.is_some());
    for ear in written {
        // A word of the system's list the ear wrote does not go before a listed term found by
        // the letters over the same words: it is one more for the recording to choose among.
        let rare = ear
            .entry
            .is_some_and(|e| lex.entries[e].source == Source::MedicalDictionary);
        match same_words(cands, &ear) {
            Some(c) if rare && c.entry.is_some_and(|e| listed(lex, e)) => {
                one_more(c, ear.entry);
            }
            Some(c) => {
                if c.entry != ear.entry {
                    let mut others: Vec<usize> =
                        c.entry.iter().chain(&c.alternatives).copied().collect();
                    others.retain(|&e| Some(e) != ear.entry);
                    others.truncate(ALTERNATIVES);
                    c.alternatives = others;
                    c.entry = ear.entry;
                    c.d = ear.d;
                    c.slot = false;
                }
                c.ear = true;
            }
            None => cands.push(ear),
        }
    }
    for c in cands.iter_mut() {
        let may = c
            .entry
            .is_some_and(|e| may_replace(ws, c.from, c.to, e, lex));
        if c.read.is_none() && may {
            c.read = over(reads, c.from, c.to);
        }
    }
    for ear in near {
        match same_words(cands, &ear) {
            Some(c) => one_more(c, ear.entry),
            None => cands.push(ear),
        }
    }
}

/// Puts the term `e` beside the candidate's own, for the recording to choose among, unless it is
/// one of them already.
fn one_more(c: &mut Candidate, e: Option<usize>) {
    if c.entry != e && !e.is_some_and(|e| c.alternatives.contains(&e)) {
        c.alternatives.extend(e);
    }
}

/// The candidate for a term over the same words as `ear`, if any.
fn same_words<'c>(cands: &'c mut [Candidate], ear: &Candidate) -> Option<&'c mut Candidate> {
    cands
        .iter_mut()
        .find(|c| (c.from, c.to) == (ear.from, ear.to) && c.entry.is_some())
}

/// How far (0..1) the first pass's words may be from a term the ear wrote over a listed term
/// they hold that the first pass was sure of (see [`may_replace`]): as far as the letters let a
/// listed everyday word be from a term that replaces it (`candidates::Finder::fits`).
const LISTED_FAR: f32 = 0.20;

/// May what the clinical ear wrote (the term `e`) stand for the first pass's words `from..to`?
/// Not where they are the term as heard or a form of it (Parkinson's, not Parkinson); nor
/// letters said one by one that the first pass wrote as an abbreviation ("His CT" read as
/// "acetic") or a written abbreviation ("Mr" read as mister); nor one word whose letters hold
/// the term ("cutaneously" is not cutaneous); nor one real word on its own unless the first
/// pass was unsure of it and the term is a mishearing of it (a confident, ordinary word is
/// never replaced on its own: "ramble" may be ramipril, "clinic" is not headache), and never by
/// a word of the system's medical list (a rare word for a real one: "renopathy" read as
/// rhinopathy, where retinopathy was said); nor a listed term the first pass was sure of that the
/// term neither holds nor is near ("his adrenal" read as hymenal).
fn may_replace(ws: &[Word], from: usize, to: usize, e: usize, lex: &Lexicon) -> bool {
    let heard: String = ws[from..to].iter().map(|w| w.norm.as_str()).collect();
    let entry = &lex.entries[e];
    let term = &entry.norm;
    let form = heard == *term
        || lex.by_norm.get(&heard) == Some(&e)
        || forms_of(&ws[from..to], &entry.term);
    // Letters said one by one, or a written abbreviation (no vowel: Mr, Dr, St).
    let spelled_out = ws[from..to].iter().any(|w| {
        let capitals = w.core.len() >= 2 && w.core.chars().all(|c| c.is_ascii_uppercase());
        (capitals && lex.abbreviations.contains_key(&w.norm))
            || !w.norm.chars().any(|c| "aeiouy".contains(c))
    });
    let one = to - from == 1;
    let holds = one && holds(&heard, term);
    let rare = entry.source == Source::MedicalDictionary;
    let real_word = one
        && lex.word_known(&ws[from].core)
        && (rare || !super::heard_as(&heard, term) || ws[from].p.is_none_or(|p| p >= LOW_P));
    // Nor a listed term the first pass was sure of, where the ear's term does not hold it and
    // is far from the words ("his adrenal" read as hymenal, 0.50 away): as one confident word
    // is never replaced on its own. Near ("orthostatic hypertension": hypotension, 0.08) or
    // unsure ("papilloma": papilloedema), the ear may have heard what the first pass did not.
    let far = || Heard::new(&super::lexicon::encoder(), heard.clone()).distance(entry) > LISTED_FAR;
    let listed = ws[from..to].iter().any(|w| {
        w.p.is_some_and(|p| p >= LOW_P)
            && lex
                .by_norm
                .get(&w.norm)
                .is_some_and(|&k| lex.entries[k].source != Source::MedicalDictionary)
            && !term.contains(&w.norm)
    }) && far();
    !(form || spelled_out || holds || real_word || listed)
}

/// Are the heard words the term's own words, word for word, some of them in another form (a
/// plural or a possessive: "Parkinson's disease" for Parkinson disease)?
fn forms_of(heard: &[Word], term: &str) -> bool {
    let (_, term) = split(term);
    let form =
        |h: &str, t: &str| h == t || singulars(h).any(|s| s == t) || singulars(t).any(|s| s == h);
    heard.len() == term.len() && heard.iter().zip(&term).all(|(h, t)| form(&h.norm, t))
}

/// The term (not an abbreviation) that these words of the ear's spell, in UK or US spelling, or
/// by an older name. A word of the system's medical list is one too where the ear wrote it whole
/// (angiogram, sigmoidoscopy, bradykinesia: no other list holds them); only a term the ear came
/// near must be one of the lists' ([`near_miss`]).
fn term_written(norms: &[String], lex: &Lexicon) -> Option<usize> {
    let joined: String = norms.concat();
    let uk = norm(&crate::text::spelling::british(&norms.join(" ")));
    let e = [&joined, &uk]
        .into_iter()
        .find_map(|k| lex.by_norm.get(k).or_else(|| lex.renames.get(k)))
        .copied()?;
    let e = match lex.entries[e].source {
        Source::Abbreviation => return None,
        // A listed term a letter from it is the same word spelled another way (carbocysteine,
        // carbocisteine).
        Source::MedicalDictionary => {
            let heard = Heard::new(&super::lexicon::encoder(), joined);
            nearest_n(lex, &heard, SPELLED_OTHERWISE, ALTERNATIVES)
                .into_iter()
                .find(|&(_, e)| listed(lex, e))
                .map_or(e, |(_, e)| e)
        }
        _ => e,
    };
    (lex.entries[e].norm.len() >= 4).then_some(e)
}

/// The lists' terms nearest the ear's letters (within [`EAR_NEAR`], a little wider), nearest
/// first, with their distances: a near miss's term and its alternatives ([`near_miss`]), and the
/// terms a word of the system's list the ear wrote is weighed against ("rhinopathy", where
/// retinopathy was said). Among the lists' terms only: the system list's rare words are near
/// many misheard ones.
fn listed_near(lex: &Lexicon, read: &Heard) -> Vec<(f32, usize)> {
    nearest_n(lex, read, EAR_NEAR * WIDER, 2 * ALTERNATIVES)
        .into_iter()
        .filter(|&(_, e)| listed(lex, e))
        .take(ALTERNATIVES + 1)
        .collect()
}

/// Is the entry one of the lexicon's lists' terms (not a word of the system's medical word list,
/// which holds rare words that sound like common ones, nor an abbreviation)?
fn listed(lex: &Lexicon, e: usize) -> bool {
    !matches!(
        lex.entries[e].source,
        Source::MedicalDictionary | Source::Abbreviation
    )
}

/// What the ear wrote over the first pass's words `from..to` (whole words, as written), where a
/// reading covers them.
fn over(reads: &[Read], from: usize, to: usize) -> Option<String> {
    let r = reads
        .iter()
        .find(|r| r.words.start <= from && to <= r.words.end)?;
    let (f, t) = (from - r.words.start, to - r.words.start);
    let mut new: Option<Range<usize>> = None;
    for op in &r.ops {
        let part = match op.tag {
            Tag::Equal => {
                let (lo, hi) = (op.old.start.max(f), op.old.end.min(t));
                (lo < hi)
                    .then(|| op.new.start + (lo - op.old.start)..op.new.start + (hi - op.old.start))
            }
            // Words the ear wrote in place of these, or between two of them.
            Tag::Replace | Tag::Delete => {
                (op.old.start < t && f < op.old.end).then(|| op.new.clone())
            }
            Tag::Insert => (f < op.old.start && op.old.start < t).then(|| op.new.clone()),
        };
        if let Some(p) = part.filter(|p| !p.is_empty()) {
            new = Some(new.map_or(p.clone(), |n| n.start.min(p.start)..n.end.max(p.end)));
        }
    }
    let words = &r.cores[new?];
    debug_assert!(r.norms.len() == r.cores.len());
    Some(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(core: &str, seg: usize, start: f64) -> Word {
        Word {
            seg,
            hyphen_before: false,
            lead: String::new(),
            core: core.to_owned(),
            trail: String::new(),
            norm: norm(core),
            p: Some(0.9),
            start,
            end: start + 0.4,
        }
    }

    fn heard(text: &str) -> Vec<Word> {
        text.split(' ')
            .enumerate()
            .map(|(k, w)| word(w, 0, k as f64 * 0.5))
            .collect()
    }

    /// Reads `ws` with a listener that writes `text` for every stretch.
    fn read_as(ws: &[Word], text: &str) -> Vec<Read> {
        struct Ear(String);
        impl Listener for Ear {
            fn score(
                &mut self,
                clips: &[super::super::Clip],
                _: &mut dyn crate::asr::score::Asking,
            ) -> Vec<Option<crate::asr::score::Answer>> {
                vec![None; clips.len()]
            }
            fn read(&mut self, stretches: &[Stretch]) -> Vec<Option<String>> {
                vec![Some(self.0.clone()); stretches.len()]
            }
        }
        read(ws, &mut Ear(text.to_owned()))
    }

    /// The one candidate the ear's reading `read` of the first pass's words `ws` proposes: its
    /// words and term.
    fn only(ws: &[Word], read: &str, lex: &Lexicon) -> (Candidate, (usize, usize), String) {
        let cands = candidates(ws, &read_as(ws, read), lex);
        assert_eq!(cands.len(), 1, "one candidate from {read:?}");
        let c = cands.into_iter().next().unwrap();
        let term = lex.entries[c.entry.unwrap()].term.clone();
        let span = (c.from, c.to);
        (c, span, term)
    }

    #[test]
    fn a_term_the_ear_wrote_in_place_of_other_words_is_a_candidate_over_them() {
        let lex = Lexicon::builtin();
        let ws = heard("continue met for men twice daily");
        let read = "Continue metformin twice daily.";
        let (c, span, term) = only(&ws, read, &lex);
        assert_eq!((span, term.as_str()), ((1, 4), "metformin"));
        assert!(c.ear);
        // What the ear wrote over any words of the stretch.
        let reads = read_as(&ws, read);
        assert_eq!(over(&reads, 1, 4).as_deref(), Some("metformin"));
        assert_eq!(over(&reads, 4, 6).as_deref(), Some("twice daily"));
    }

    #[test]
    fn a_term_takes_in_its_own_words_either_side_and_us_spellings_are_read_as_uk() {
        let lex = Lexicon::builtin();
        let ws = heard("known atrial fib relation on apixaban");
        let (_, span, term) = only(&ws, "known atrial fibrillation on apixaban", &lex);
        assert_eq!((span, term.as_str()), ((1, 4), "atrial fibrillation"));
        let ws = heard("ankle a demo noted");
        assert_eq!(only(&ws, "ankle edema noted", &lex).2, "oedema");
    }

    #[test]
    fn a_term_the_ear_wrote_stands_for_the_words_not_for_a_quantity_beside_them() {
        // The ear wrote the dose in digits: the words it wrote otherwise run past the term.
        let lex = Lexicon::builtin();
        let ws = heard("apply hydrocortis on one percent twice daily");
        let read = "Apply hydrocortisone 1% twice daily.";
        let (_, span, term) = only(&ws, read, &lex);
        assert_eq!((span, term.as_str()), ((1, 3), "hydrocortisone"));
        // A term with a number in it keeps it.
        let ws = heard("fact or eight");
        assert_eq!(without_quantities(&ws, 0, 3, "factor eight"), (0, 3));
        assert_eq!(without_quantities(&ws, 0, 3, "factor"), (0, 2));
    }

    #[test]
    fn a_word_of_the_system_medical_list_the_ear_wrote_whole_is_a_candidate() {
        let lex = Lexicon::builtin_with_medical_words(&[
            "sigmoidoscopy",
            "carbocysteine",
            "rhinopathy",
            "renopathy",
        ]);
        let ws = heard("a rigid similes copy showed");
        let (c, span, term) = only(&ws, "a rigid sigmoidoscopy showed", &lex);
        assert_eq!((span, term.as_str()), ((2, 4), "sigmoidoscopy"));
        assert_eq!(c.read.as_deref(), Some("sigmoidoscopy"));
        // A listed term a letter from the word is that word spelled the UK way.
        let ws = heard("started carbo sis teen");
        let (_, _, term) = only(&ws, "started carbocysteine", &lex);
        assert_eq!(term, "carbocisteine");
        // A rare word is weighed against the listed terms near it; it never stands for one
        // real word alone, however unsure the first pass was of it.
        let mut ws = heard("diabetic renopathy");
        ws[1].p = Some(0.2);
        assert!(candidates(&ws, &read_as(&ws, "diabetic rhinopathy"), &lex).is_empty());
        let ws = heard("diabetic rhenopathie");
        let (c, _, term) = only(&ws, "diabetic rhinopathy", &lex);
        assert_eq!(term, "rhinopathy");
        let near: Vec<&str> = c
            .alternatives
            .iter()
            .map(|&e| lex.entries[e].term.as_str())
            .collect();
        assert!(near.contains(&"retinopathy"), "{near:?}");
    }

    #[test]
    fn the_ear_writes_no_term_over_a_name() {
        // The first pass put the recipient's name where the patient's was said; what the ear
        // read there is no term's place.
        let lex = Lexicon::builtin();
        let ws = heard("Ms Ingrid Solberg came in with pain");
        let titled = super::super::evidence::weigh(&ws, &lex).titled;
        assert_eq!(&titled[..3], &[false, true, true]);
        let reads = read_as(&ws, "Ms tecnal came in with pain");
        let mut joined = Vec::new();
        join(&ws, &mut joined, &reads, &titled, &lex);
        assert!(joined.is_empty(), "{joined:?}");
        // The same words, not names, are put to the recording.
        join(&ws, &mut joined, &reads, &vec![false; ws.len()], &lex);
        assert!(!joined.is_empty());
        // A listed name with no title may be Whisper's word for a drug's sounds: the ear may
        // read a term there.
        let ws = heard("she uses Latin oppressed drops");
        let reads = read_as(&ws, "she uses latanoprost drops");
        let titled = super::super::evidence::weigh(&ws, &lex).titled;
        assert!(titled.iter().all(|&t| !t));
        let mut joined = Vec::new();
        join(&ws, &mut joined, &reads, &titled, &lex);
        assert!(!joined.is_empty());
    }

    #[test]
    fn a_term_the_ear_came_near_is_a_candidate_its_reading_does_not_speak_for() {
        let lex = Lexicon::builtin();
        let ws = heard("she started mepple as you may have monthly");
        let read = "She started mepalizumab monthly.";
        let (c, span, term) = only(&ws, read, &lex);
        assert_eq!((span, term.as_str()), ((2, 7), "mepolizumab"));
        assert!(c.ear);
        // The ear's words proposed it: they are not also a listening that speaks for it.
        assert_eq!(c.read, None);
        let mut joined = Vec::new();
        join(
            &ws,
            &mut joined,
            &read_as(&ws, read),
            &vec![false; ws.len()],
            &lex,
        );
        assert_eq!(joined.len(), 1);
        assert_eq!(joined[0].read, None);
        // Not where the ear came no nearer than the first pass, nor where it wrote a real word.
        let ws = heard("started clopidogro daily");
        assert!(candidates(&ws, &read_as(&ws, "started clapidogril daily"), &lex).is_empty());
        let ws = heard("cow's milk pro gene allergy");
        assert!(candidates(&ws, &read_as(&ws, "cow's milk protein allergy"), &lex).is_empty());
        // The ear split the word otherwise than the first pass: its letters with the word it
        // wrote alike beside the changed one ("Latin" both times) come near the term.
        let ws = heard("controlled on Latin oppressed eye drops");
        let read = "controlled on Latin-oproast eye drops";
        let (_, span, term) = only(&ws, read, &lex);
        assert_eq!((span, term.as_str()), ((2, 4), "latanoprost"));
    }

    #[test]
    fn the_same_words_or_plain_english_read_again_propose_nothing() {
        let lex = Lexicon::builtin();
        let ws = heard("she remains on ramipril");
        assert!(candidates(&ws, &read_as(&ws, "She remains on ramipril."), &lex).is_empty());
        let ws = heard("he walks to the shops");
        assert!(candidates(&ws, &read_as(&ws, "he walked to the shop"), &lex).is_empty());
        // A form of the term the first pass wrote (the ear dropped the possessive), and letters
        // said one by one that the first pass wrote as an abbreviation.
        let ws = heard("known Parkinson's disease");
        let read = read_as(&ws, "known Parkinson disease");
        assert!(candidates(&ws, &read, &lex).is_empty());
        // One real word alone: only an unsure mishearing of it.
        let mut ws = heard("review in clinic soon");
        ws[2].p = Some(0.3);
        assert!(candidates(&ws, &read_as(&ws, "review in headache soon"), &lex).is_empty());
        ws = heard("continue ramble daily");
        assert!(candidates(&ws, &read_as(&ws, "continue ramipril daily"), &lex).is_empty());
        ws[1].p = Some(0.2);
        assert_eq!(
            candidates(&ws, &read_as(&ws, "continue ramipril daily"), &lex).len(),
            1
        );
        let ws = heard("Mr Jones");
        assert!(candidates(&ws, &read_as(&ws, "mister Jones"), &lex).is_empty());
        let ws = heard("applied cutaneously twice");
        assert!(candidates(&ws, &read_as(&ws, "applied cutaneous twice"), &lex).is_empty());
        let ws = heard("His CT coronary angiogram");
        let read = read_as(&ws, "acetic coronary angiogram");
        assert!(candidates(&ws, &read, &lex).is_empty());
        // A stretch too long for one clip is not read.
        let long: Vec<Word> = (0..80).map(|k| word("and", 0, k as f64 * 0.5)).collect();
        assert!(read_as(&long, "and").is_empty());
    }

    #[test]
    fn a_listed_term_the_first_pass_was_sure_of_stays_against_a_far_term_of_the_ear() {
        let lex = Lexicon::builtin();
        // "adrenal" is a listed term the first pass was sure of: the ear's "hymenal", far from
        // "his adrenal", is no candidate over them, as one sure word alone would not be.
        let mut ws = heard("and his adrenal antibodies are positive");
        let read = read_as(&ws, "and hymenal antibodies are positive");
        assert!(candidates(&ws, &read, &lex).is_empty());
        // Unsure of it, the first pass may have misheard it.
        ws[2].p = Some(0.2);
        let read = read_as(&ws, "and hymenal antibodies are positive");
        assert_eq!(candidates(&ws, &read, &lex).len(), 1);
        // Where the ear's term holds the listed word, or is near the words, it may stand for
        // them.
        let ws = heard("his lactic dehydrogenase is raised");
        let (_, span, term) = only(&ws, "his lactate dehydrogenase is raised", &lex);
        assert_eq!((span, term.as_str()), ((1, 3), "lactate dehydrogenase"));
        let ws = heard("known orthostatic hypertension and falls");
        let (_, span, term) = only(&ws, "known orthostatic hypotension and falls", &lex);
        assert_eq!((span, term.as_str()), ((1, 3), "orthostatic hypotension"));
    }

    #[test]
    fn where_the_first_pass_windows_are_kept_each_window_words_are_read_in_it() {
        // 110 words, one every half second, a segment every ten; the first pass heard them in
        // windows from 0 s and from 27.9 s (kept: the second ends at 45 s, where its piece of
        // the recording did), and the rest in windows not kept.
        let ws: Vec<Word> = (0..110)
            .map(|k| word(&format!("w{k}"), k / 10, k as f64 * 0.5))
            .collect();
        let got = stretches(&ws, &[(0.0, 30.0), (27.9, 45.0)]);
        let spans: Vec<(Range<usize>, Option<f64>)> =
            got.iter().map(|(r, s)| (r.clone(), s.window)).collect();
        // A word is the window's it starts in (27.5 s: the first; 28 s: the second); from 45 s
        // on, no kept window holds them: whole segments, as many as fit in one clip.
        assert_eq!(
            spans,
            vec![(0..56, Some(0.0)), (56..90, Some(27.9)), (90..110, None)]
        );
        let (r, s) = &got[1];
        assert_eq!(r.start, 56);
        // The window's draft is its words; its prompt the words before it.
        assert!(
            s.draft.starts_with("w56 ") && s.draft.ends_with("w89"),
            "{}",
            s.draft
        );
        assert!((s.start - 27.9).abs() < 1e-9 && (s.end - 45.0).abs() < 1e-9);
        assert!(s.prompt.ends_with("w55"), "{}", s.prompt);
        // Without kept windows: whole segments only, none read in a window.
        let segs = stretches(&ws, &[]);
        assert!(segs.iter().all(|(_, s)| s.window.is_none()));
        assert_eq!(segs.first().map(|(r, _)| r.start), Some(0));
        assert_eq!(segs.last().map(|(r, _)| r.end), Some(110));
    }
}
