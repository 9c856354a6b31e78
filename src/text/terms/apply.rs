//! Deciding and writing: among overlapping candidates the closest wins (the one explaining more
//! words among equals), and the chosen terms are written into the segments' text with a
//! `Correction` recorded for each. The tokens stay as heard.

use super::candidates::Candidate;
use super::lexicon::{norm, Lexicon, Source};
use super::words::{spelled, Punct, Word};
use super::Correction;
use crate::asr::transcript::{Segment, Transcript};

/// How much farther (0..1) a window may be than a shorter one inside it and still be chosen
/// over it, where its other words hold one no list knows: "methylprin" is 0.14 from
/// methylpurine and "methylprin oceolone" 0.19 from methylprednisolone; the nearer term would
/// leave "oceolone" standing, half a word heard beside it.
const WHOLE: f32 = 0.10;

/// The candidates that win, in transcript order: no two share a word. `unknown`: per word, is it
/// a word none of the lists know?
pub(super) fn choose(mut cands: Vec<Candidate>, unknown: &[bool]) -> Vec<Candidate> {
    let words = unknown.len();
    // The terms the clinical ear wrote first (see `reading`), then the closest matches; among
    // equals, the one that explains more words.
    cands.sort_by(|a, b| {
        b.ear
            .cmp(&a.ear)
            .then(a.d.total_cmp(&b.d))
            .then((b.to - b.from).cmp(&(a.to - a.from)))
            .then(a.from.cmp(&b.from))
    });
    let mut taken = vec![false; words];
    let mut chosen: Vec<Candidate> = Vec::new();
    for nearest in &cands {
        let mut c = nearest;
        if taken[c.from..c.to].iter().any(|&t| t) {
            continue;
        }
        // A window over these words and an unknown word beside them, about as near: that one.
        let whole = cands.iter().find(|r| {
            r.entry.is_some()
                && r.ear == c.ear
                && r.from <= c.from
                && c.to <= r.to
                && (r.from, r.to) != (c.from, c.to)
                && r.d <= c.d + WHOLE
                && !taken[r.from..r.to].iter().any(|&t| t)
                && (r.from..c.from).chain(c.to..r.to).any(|i| unknown[i])
        });
        if let Some(r) = whole {
            c = r;
        }
        let c = c.clone();
        taken[c.from..c.to].iter_mut().for_each(|t| *t = true);
        chosen.push(c);
    }
    chosen.sort_by_key(|c| c.from);
    chosen
}

/// Candidates set aside by [`choose`] that overlap one chosen candidate only, over its words and
/// more ("own presole" -> omeprazole beside "presole" -> prosol; "saucu-viral valcartin" ->
/// sacubitril valsartan beside "valcartin" -> valsartan), each with the index of that chosen
/// candidate: the letters prefer the nearer window, but the recording may say the other was
/// meant (see `verify::weigh`). The nearest [`RIVALS`] of each, one per window and term.
pub(super) fn rivals(cands: &[Candidate], chosen: &[Candidate]) -> Vec<(usize, Candidate)> {
    let mut out: Vec<(usize, Candidate)> = Vec::new();
    let mut sorted: Vec<&Candidate> = cands.iter().filter(|c| c.entry.is_some()).collect();
    // The nearest first; a window found both by its letters and by its place once, by letters.
    sorted.sort_by(|a, b| a.d.total_cmp(&b.d).then(a.slot.cmp(&b.slot)));
    for c in sorted {
        let mut over = chosen
            .iter()
            .enumerate()
            .filter(|(_, w)| w.from < c.to && c.from < w.to);
        let (Some((k, w)), None) = (over.next(), over.next()) else {
            continue;
        };
        let same_words = |x: &Candidate| x.from == c.from && x.to == c.to;
        // Only a window holding the chosen one's words and more: the letters left heard words
        // beside the chosen term that the rival takes into its own. (A rival over fewer words
        // leaves one of them unexplained; on the dev set's robotic voice the recording then
        // preferred "hydrochloride on" to hydrocortisone.)
        let holds = c.from <= w.from && w.to <= c.to;
        // (A chosen term found by its exact letters is not put to the recording: nor its rivals.)
        if same_words(w)
            || !holds
            || w.entry.is_none()
            || w.d == 0.0
            || out.iter().any(|(_, r)| same_words(r) && r.entry == c.entry)
            || out.iter().filter(|(j, _)| *j == k).count() >= RIVALS
        {
            continue;
        }
        out.push((k, c.clone()));
    }
    out
}

/// Rivals asked about beside one chosen candidate, at most.
const RIVALS: usize = 2;

/// Each word's text after the chosen changes (`None`: taken into the term before it), and the
/// changes made.
pub(super) fn rewrite(
    ws: &[Word],
    chosen: &[Candidate],
    sentence_start: &[bool],
    lex: &Lexicon,
) -> (Vec<Option<String>>, Vec<Correction>) {
    let mut out_words: Vec<Option<String>> = ws
        .iter()
        .map(|w| Some(format!("{}{}{}", w.lead, w.core, w.trail)))
        .collect();
    let mut corrections = Vec::new();
    for c in chosen {
        let win = &ws[c.from..c.to];
        let Some((written, source)) = written(ws, c, sentence_start, lex) else {
            continue;
        };
        out_words[c.from] = Some(format!(
            "{}{}{}",
            win[0].lead,
            written,
            win[win.len() - 1].trail
        ));
        for w in &mut out_words[c.from + 1..c.to] {
            *w = None;
        }
        corrections.push(Correction {
            heard: spelled(win, Punct::None),
            term: written,
            start: win[0].start,
            end: win[win.len() - 1].end,
            confidence: (1.0 - c.d).clamp(0.0, 1.0),
            heard_p: win.iter().filter_map(|w| w.p).min_by(|a, b| a.total_cmp(b)),
            source,
            audio: c.audio.clone(),
        });
    }
    (out_words, corrections)
}

/// The term a candidate writes, cased for where it stands, and where the term comes from;
/// `None` when that is what was heard.
pub(super) fn written(
    ws: &[Word],
    c: &Candidate,
    sentence_start: &[bool],
    lex: &Lexicon,
) -> Option<(String, Source)> {
    let win = &ws[c.from..c.to];
    let (term, source) = match (&c.abbreviation, c.entry) {
        (Some(a), _) => (a.clone(), Source::Abbreviation),
        (None, Some(e)) => (lex.entries[e].term.clone(), lex.entries[e].source),
        (None, None) => return None,
    };
    // Sentence-initial capital kept; a term's own casing otherwise.
    let starts_sentence = win[0].capitalised()
        && sentence_start[c.from]
        && term.chars().next().is_some_and(char::is_lowercase)
        && source != Source::Abbreviation;
    let written = if starts_sentence {
        crate::text::capitalise(&term)
    } else {
        term
    };
    let heard = spelled(win, Punct::None);
    let written = same_letters(&written, &heard).unwrap_or(written);
    (written != heard).then_some((written, source))
}

/// A term spelled with the heard words' own letters (only spaces, hyphens or case differ), with
/// the capitals heard kept where they say something the list does not: in a word the list writes
/// in lower case, heard in capitals or as one letter ("vitamin D", "HELLP syndrome": the lists
/// hold "vitamin d", "hellp syndrome"). A word Whisper only started with a capital ("Chronic
/// Kidney Disease" mid-sentence) takes the list's case. `None` where the letters differ.
fn same_letters(term: &str, heard: &str) -> Option<String> {
    if norm(term) != norm(heard) {
        return None;
    }
    // (Letters as `norm` reads them, so the two line up one for one.)
    let heard: Vec<char> = heard.chars().filter(char::is_ascii_alphanumeric).collect();
    let mut out = String::with_capacity(term.len());
    let mut k = 0;
    for word in term.split_inclusive([' ', '-']) {
        let n = word.chars().filter(char::is_ascii_alphanumeric).count();
        let said = heard.get(k..k + n).unwrap_or(&[]);
        let capitals = said.iter().filter(|c| c.is_uppercase()).count();
        let keep =
            !word.chars().any(char::is_uppercase) && (capitals >= 2 || n == 1 && capitals == 1);
        let mut heard_word = said.iter();
        for c in word.chars() {
            // (A space or hyphen takes no heard letter.)
            let h = c
                .is_ascii_alphanumeric()
                .then(|| heard_word.next())
                .flatten();
            out.push(match h {
                Some(&h) if keep => h,
                _ => c,
            });
        }
        k += n;
    }
    Some(out)
}

/// The transcript with each segment's text rebuilt from its words.
pub(super) fn rebuild(t: &Transcript, ws: &[Word], out_words: Vec<Option<String>>) -> Transcript {
    let mut segments: Vec<Segment> = t.segments.clone();
    let mut texts: Vec<Vec<String>> = vec![Vec::new(); segments.len()];
    for (w, text) in ws.iter().zip(out_words) {
        let Some(text) = text else { continue };
        match texts[w.seg].last_mut() {
            Some(prev) if w.hyphen_before => {
                prev.push('-');
                prev.push_str(&text);
            }
            _ => texts[w.seg].push(text),
        }
    }
    for (seg, words) in segments.iter_mut().zip(texts) {
        seg.text = words.join(" ");
    }
    Transcript { segments }
}
