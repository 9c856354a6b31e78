//! How far heard letters are from a term: Double Metaphone sound keys and spellings compared by
//! a bit-parallel edit distance, and the search for the nearest term in the lexicon. Pure.

use super::lexicon::{keys, Entry, Lexicon, Source};
use rphonetic::DoubleMetaphone;

/// An edit-distance pattern (Myers' bit-parallel algorithm, Hyyrö's formulation): the heard
/// letters are compared with thousands of terms per window, so each comparison costs a few word
/// operations per letter instead of a table.
pub(super) struct Pattern {
    text: Vec<u8>,
    peq: Option<Box<[u64; 128]>>,
}

impl Pattern {
    pub(super) fn new(s: &str) -> Pattern {
        let text = s.as_bytes().to_vec();
        let peq = (!text.is_empty() && text.len() <= 64 && text.is_ascii()).then(|| {
            let mut peq = Box::new([0u64; 128]);
            for (i, &c) in text.iter().enumerate() {
                peq[c as usize] |= 1 << i;
            }
            peq
        });
        Pattern { text, peq }
    }

    /// Levenshtein distance to `other`.
    pub(super) fn distance(&self, other: &str) -> usize {
        let Some(peq) = &self.peq else {
            return strsim::levenshtein(&String::from_utf8_lossy(&self.text), other);
        };
        let m = self.text.len();
        let last = 1u64 << (m - 1);
        let (mut pv, mut mv, mut score) = (u64::MAX, 0u64, m);
        for &c in other.as_bytes() {
            let eq = if c < 128 { peq[c as usize] } else { 0 };
            let xv = eq | mv;
            let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
            let ph = mv | !(xh | pv);
            let mh = pv & xh;
            if ph & last != 0 {
                score += 1;
            } else if mh & last != 0 {
                score -= 1;
            }
            let ph = (ph << 1) | 1;
            let mh = mh << 1;
            pv = mh | !(xv | ph);
            mv = ph & xv;
        }
        score
    }
}

/// The heard letters of a window, ready to compare.
pub(super) struct Heard {
    pub(super) norm: String,
    spelling: Pattern,
    /// The sound keys, each with the edits it stands for (one for a key whose first sound is
    /// an h put in or left out: [`other_start`]).
    keys: Vec<(String, Pattern, usize)>,
}

impl Heard {
    pub(super) fn new(dm: &DoubleMetaphone, norm: String) -> Heard {
        let k = keys(dm, &norm);
        let mut ks: Vec<(String, Pattern, usize)> = Vec::new();
        let others: Vec<String> = k.iter().filter_map(|key| other_start(key)).collect();
        for (key, edits) in k
            .into_iter()
            .map(|key| (key, 0))
            .chain(others.into_iter().map(|key| (key, 1)))
        {
            if !key.is_empty() && !ks.iter().any(|(x, _, _)| *x == key) {
                let p = Pattern::new(&key);
                ks.push((key, p, edits));
            }
        }
        Heard {
            spelling: Pattern::new(&norm),
            norm,
            keys: ks,
        }
    }

    /// The sound part of the distance: the closest pair of keys, over the longer key.
    fn sound(&self, e: &Entry) -> f32 {
        self.sound_within(e, f32::MAX)
    }

    /// The sound distance, or `f32::MAX` when it is surely above `limit` (the length difference
    /// alone is a lower bound, and costs nothing).
    fn sound_within(&self, e: &Entry, limit: f32) -> f32 {
        let mut sound = f32::MAX;
        for (hk, hp, edits) in &self.keys {
            for (k, ek) in e.keys.iter().enumerate() {
                if ek.is_empty() || (k == 1 && *ek == e.keys[0]) {
                    continue;
                }
                let longer = hk.len().max(ek.len()) as f32;
                if (hk.len().abs_diff(ek.len()) + edits) as f32 / longer > limit {
                    continue;
                }
                let d = (hp.distance(ek) + edits) as f32 / longer;
                sound = sound.min(d);
            }
        }
        sound
    }

    /// The distance (0 same ... 1 nothing alike) between the heard letters and a term: the mean
    /// of the edit distances of the sound keys and of the spellings, each over the longer of the
    /// two.
    pub(super) fn distance(&self, e: &Entry) -> f32 {
        let spell = self.spelling.distance(&e.norm) as f32
            / self.norm.len().max(e.norm.len()).max(1) as f32;
        let sound = self.sound(e);
        if sound == f32::MAX {
            return spell;
        }
        0.5 * spell + 0.5 * sound
    }
}

/// The sound key with its first sound an h where it was a vowel, or a vowel where it was an h
/// (Double Metaphone writes any first vowel as A), compared as one edit away: an h before a
/// vowel is the weakest sound there is, dropped by many British speakers and written or left out
/// by Whisper for it ("herbisartin" for irbesartan), but the search by first sound never
/// compared the two.
fn other_start(key: &str) -> Option<String> {
    if let Some(rest) = key.strip_prefix('H') {
        Some(format!("A{rest}"))
    } else {
        key.strip_prefix('A').map(|rest| format!("H{rest}"))
    }
}

/// How much further a term of this source must be: the system's medical word list holds rare
/// words that a curated list would not, so it loses near-ties.
pub(super) fn penalty(source: Source) -> f32 {
    match source {
        Source::MedicalDictionary => 0.06,
        Source::Custom => -0.05,
        _ => 0.0,
    }
}

/// Heard letters from which a word of the system's list is trusted by a close match (within
/// 0.20); shorter ones reach it only one letter off, as one word (see [`SLIP`]).
pub(super) const LONG_HEARD: usize = 9;

/// A word of seven or eight letters one letter off a medical word, its sound keys alike: half
/// of one letter in eight (spelling) and nothing (sound) is 0.0625.
const SLIP: f32 = 0.07;

/// The `n` terms nearest to the heard letters within `allowed`, by sound key and spelling,
/// nearest first.
pub(super) fn nearest_n(lex: &Lexicon, heard: &Heard, allowed: f32, n: usize) -> Vec<(f32, usize)> {
    // Short words sound like too many others to be guessed at.
    if heard.norm.len() < 6 || n == 0 {
        return Vec::new();
    }
    let mut best: Vec<(f32, usize)> = Vec::with_capacity(n + 1);
    // Entries already compared (an entry is filed under both of its keys).
    let mut seen = vec![0u64; lex.entries.len().div_ceil(64)];
    for (key, _, _) in &heard.keys {
        let first = key.chars().next().unwrap_or(' ');
        let spread = (key.len() / 3).max(1);
        for len in key.len().saturating_sub(spread)..=key.len() + spread {
            let Some(bucket) = lex.by_key.get(&(first, len)) else {
                continue;
            };
            for &ei in bucket {
                let e = &lex.entries[ei];
                // Six-letter terms (tremor, stroke) only from a near miss (see below).
                if e.norm.len() < 6 {
                    continue;
                }
                let ratio = e.norm.len() as f32 / heard.norm.len() as f32;
                if !(0.7..=1.45).contains(&ratio) || seen[ei / 64] & (1 << (ei % 64)) != 0 {
                    continue;
                }
                seen[ei / 64] |= 1 << (ei % 64);
                let mut limit = allowed;
                if best.len() == n {
                    limit = limit.min(best[n - 1].0);
                }
                // The sound alone is half the distance: skip the spelling when it is too far.
                let sound_limit = 2.0 * (limit - penalty(e.source));
                let sound = heard.sound_within(e, sound_limit);
                if sound > sound_limit {
                    continue;
                }
                let raw = heard.distance(e);
                // The system's word list also holds rare general words (colinear, verminal):
                // only a long, close match to one of its words is trusted, or a shorter word
                // one letter off with the same sound ("euthemic": euthymic).
                if e.source == Source::MedicalDictionary
                    && !(heard.norm.len() >= LONG_HEARD && raw <= 0.20)
                    && !(heard.norm.len() >= 7 && raw <= SLIP)
                {
                    continue;
                }
                let d = raw + penalty(e.source);
                if e.norm.len() == 6 && d > 0.15 {
                    continue;
                }
                if d <= limit && (best.len() < n || d < best[n - 1].0) {
                    let at = best.partition_point(|&(bd, _)| bd <= d);
                    best.insert(at, (d, ei));
                    best.truncate(n);
                }
            }
        }
    }
    best
}
