//! How strongly a recording supports each spelling of what was said in it: Whisper's own decoder,
//! forced through each text in turn (teacher forcing), gives the log-probability of that text given
//! the audio. The terminology pass uses it to weigh a correction against the words as heard, so a
//! term is written only where the recording says it. Uses whisper-rs's safe `WhisperState` API
//! (`pcm_to_mel`, `encode`, `decode`, `get_logits`); the transcribing state is left alone.

use anyhow::{Context, Result};
use whisper_rs::{WhisperContext, WhisperState, WhisperTokenId};

use crate::asr::transcribe::{Ear, ScoringParts, Transcriber};

/// The most prompt tokens given as context (whisper.cpp allows half its 448-token text context).
const MAX_PROMPT_TOKENS: usize = 64;

/// The most tokens a scored text may have (a window of a few words).
const MAX_TEXT_TOKENS: usize = 96;

/// The most tokens of words said from the clip's start before the scored text.
const MAX_PREFIX_TOKENS: usize = 200;

/// The longest text tokenised for scoring, and its longest word, in bytes (see
/// `Forcing::tokenize`): far above 29 s of speech (about 100 words) and any real word.
const MAX_TEXT_BYTES: usize = 4_000;
const MAX_WORD_BYTES: usize = 100;

/// Words of what was said from a clip's start, followed by each of some texts to score.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub prefix: String,
    pub texts: Vec<String>,
    /// The texts run to the clip's end (scored with end of text).
    pub whole: bool,
}

/// One item's scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Log-probability (nats) of each text given the clip and the prefix.
    pub audio: Vec<f64>,
    /// Log-probability of each text over silence: what the model expects from the text alone.
    pub prior: Vec<f64>,
}

/// One clip to score: 16 kHz mono samples (at most 30 s), what was said before it (the
/// decoder's prompt), and the items to score in it.
#[derive(Debug, Clone, Copy)]
pub struct Clip<'a> {
    pub samples: &'a [f32],
    pub prompt: &'a str,
    pub items: &'a [Item],
}

/// One clip's answer: each item's scores, and what the model wrote when it heard the clip again
/// freely with a hint, where the caller asked for that (and the clinical ear, where asked).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    pub scores: Vec<Scores>,
    pub again: Option<String>,
    /// The same second listening by the clinical ear, where it was asked.
    pub again_ear: Option<String>,
}

/// What scoring asks of its caller as it goes.
pub trait Asking {
    /// Clip `k`'s items are scored (`scores`): the hint to hear it again with, if it should be.
    fn hint(&mut self, k: usize, scores: &[Scores]) -> Option<String>;
    /// Clip `k` was heard again as `text`: should the clinical ear hear it too (where one is
    /// loaded)?
    fn ask_ear(&mut self, k: usize, text: &str) -> bool;
}

/// A function from a clip's index and scores to a hint asks only that; never the clinical ear.
impl<F: FnMut(usize, &[Scores]) -> Option<String>> Asking for F {
    fn hint(&mut self, k: usize, scores: &[Scores]) -> Option<String> {
        self(k, scores)
    }

    fn ask_ear(&mut self, _: usize, _: &str) -> bool {
        false
    }
}

/// Tokens a second of speech may take when heard again (speech runs at about four): the cap
/// stops a decoder caught in a loop.
const TOKENS_PER_SECOND: f64 = 8.0;

impl Transcriber {
    /// Scores the texts of each clip's items: given the clip and the words said from its start
    /// (the item's prefix), and over a second of silence (the text prior). Then, where `asking`
    /// (told the clip's index and scores) gives a hint, hears the clip again freely with the hint
    /// as the decoder's prompt, on the same encoding: greedy, no timestamps, no fallback; and,
    /// where the model has a clinical ear and `asking` wants it after that listening, has the
    /// ear hear the clip the same way, on the same encoding (made the first time it is asked:
    /// `asr::transcribe::Ear`).
    ///
    /// Uses the transcriber's own decoding state, free once a recording is heard: silence is
    /// encoded once in the transcriber's life (kept, and put back for every prior), then each
    /// clip once for its texts and its second listening.
    /// (A second state for scoring would hold another copy of whisper.cpp's buffers, about
    /// 150 MB for tiny.en.) Encoding is most of the cost: about a second a clip on two cores.
    pub fn score(&mut self, clips: &[Clip<'_>], asking: &mut dyn Asking) -> Result<Vec<Answer>> {
        let ScoringParts {
            ctx,
            state,
            threads,
            english_only,
            silence,
            silence_file,
            mut ear,
            ..
        } = self.scoring_parts();
        let f = Forcing { ctx, english_only };
        // The vocabulary product from the model's 8-bit copy, each score's own token exact (see
        // `read_exactly`); DICTATE_NO_SCORING_Q8 keeps the f16 product (bench/run.sh's row).
        let q8 =
            std::env::var_os("DICTATE_NO_SCORING_Q8").is_none() && state.set_scoring_q8(true, &[]);
        let leads: Vec<Vec<Lead>> = clips
            .iter()
            .map(|clip| {
                clip.items
                    .iter()
                    .map(|item| f.tokens(clip.prompt, item))
                    .collect()
            })
            .collect::<Result<_>>()?;
        let started = std::time::Instant::now();
        let mut encoding = std::time::Duration::ZERO;
        // The lead tokens whose decoder entries the state holds for the current encoding: none
        // once a new encoding is made.
        let mut kept: Vec<WhisperTokenId> = Vec::new();
        let mut timed_encode =
            |state: &mut WhisperState, kept: &mut Vec<WhisperTokenId>, samples: &[f32]| {
                kept.clear();
                let t = std::time::Instant::now();
                let done = encode(state, samples, threads);
                encoding += t.elapsed();
                done
            };
        let mut priors: Vec<Vec<Vec<f64>>> = Vec::with_capacity(clips.len());
        let mut over_silence = std::time::Duration::ZERO;
        if clips.iter().any(|c| !c.items.is_empty()) {
            if let Some(samples) = put_silence(state, &mut kept, silence, silence_file.as_deref())?
            {
                timed_encode(state, &mut kept, samples)?;
                let encoded = state.get_encoding().map_err(|e| {
                    anyhow::anyhow!("whisper.cpp could not give its encoding: {e:?}")
                })?;
                if let Some(file) = silence_file.as_deref() {
                    crate::asr::silence::write(file, &encoded);
                }
                *silence = Some(encoded);
            }
            let t = std::time::Instant::now();
            for clip_leads in &leads {
                priors.push(forced_items(state, &mut kept, clip_leads, q8, threads)?);
            }
            over_silence = t.elapsed();
        }
        let mut out: Vec<Answer> = Vec::with_capacity(clips.len());
        let mut heard_again = 0;
        let mut heard_by_ear = 0;
        let mut hearing_again = std::time::Duration::ZERO;
        for (k, (clip, clip_leads)) in clips.iter().zip(&leads).enumerate() {
            if clip.items.is_empty() {
                out.push(Answer::default());
                continue;
            }
            timed_encode(state, &mut kept, clip.samples)?;
            let scores: Vec<Scores> = forced_items(state, &mut kept, clip_leads, q8, threads)?
                .into_iter()
                .zip(&priors[k])
                .map(|(audio, prior)| Scores {
                    audio,
                    prior: prior.clone(),
                })
                .collect();
            let (again, again_ear) = match asking.hint(k, &scores) {
                Some(hint) => {
                    heard_again += 1;
                    kept.clear();
                    let t = std::time::Instant::now();
                    let (text, by_ear) = hear_again(
                        (state, ear.as_deref_mut()),
                        &f,
                        q8,
                        clip,
                        &hint,
                        &mut |text| asking.ask_ear(k, text),
                        threads,
                    )?;
                    heard_by_ear += usize::from(by_ear.is_some());
                    hearing_again += t.elapsed();
                    (Some(text), by_ear)
                }
                None => (None, None),
            };
            out.push(Answer {
                scores,
                again,
                again_ear,
            });
        }
        // (Left on where a call above failed: whisper_full turns it off.)
        state.set_scoring_q8(false, &[]);
        let steps: usize = leads
            .iter()
            .flatten()
            .flat_map(|(_, t)| t)
            .map(Vec::len)
            .sum();
        tracing::debug!(
            "scored {} clips ({} heard again, {} by the clinical ear; vocabulary product {}): {:.2} s \
             encoding, decoding {} text tokens {:.2} s over silence and {:.2} s over the clips, \
             hearing again {:.2} s",
            clips.len(),
            heard_again,
            heard_by_ear,
            if q8 { "8-bit, scored tokens exact" } else { "f16" },
            encoding.as_secs_f64(),
            steps,
            over_silence.as_secs_f64(),
            (started.elapsed() - encoding - over_silence - hearing_again).as_secs_f64(),
            hearing_again.as_secs_f64()
        );
        Ok(out)
    }
}

/// One stretch of a recording for the clinical ear to read: 16 kHz mono samples (at most
/// 30 s), what was said before it (the decoder's prompt), and what the first pass wrote over it.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    pub samples: &'a [f32],
    pub prompt: &'a str,
    pub draft: &'a str,
    /// The first pass's window the stretch is read in, by where it starts (seconds; see
    /// `Transcriber::kept_windows`): its kept encoding is read from the window's start, and the
    /// reading ends where the draft does. `None`: the samples are encoded.
    pub window: Option<f64>,
}

impl Transcriber {
    /// What the clinical ear writes for each stretch, heard freely after its prompt as the first
    /// pass heard it (greedy, no timestamps, no fallback; see [`listen_freely`]): over the first
    /// pass's own encoding of the window the reading names, where it is kept (no encoding at
    /// all), else over tiny.en's encoding of the stretch. `None` for every stretch where the
    /// model has no clinical ear (nothing is encoded then).
    ///
    /// The first pass's words are the draft: where the ear writes what tiny.en wrote, it takes
    /// them a run at a time, so most of a stretch costs a few decoder calls.
    pub fn read_by_ear(&mut self, readings: &[Reading<'_>]) -> Result<Vec<Option<String>>> {
        let ScoringParts {
            state,
            threads,
            english_only,
            ear,
            windows,
            ..
        } = self.scoring_parts();
        let Some((ear_ctx, ear_state)) = ear.and_then(|e| e.ready()) else {
            return Ok(vec![None; readings.len()]);
        };
        let by_ear = Forcing {
            ctx: ear_ctx,
            english_only,
        };
        let (mut encoding, mut decoding) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
        let mut out = Vec::with_capacity(readings.len());
        let mut in_windows = 0;
        for r in readings {
            let t = std::time::Instant::now();
            let window = r.window.and_then(|start| {
                windows
                    .iter()
                    .find(|w| (w.start - start).abs() < WINDOW_MATCH)
            });
            let end = match window {
                Some(w) => {
                    in_windows += 1;
                    ear_state.set_encoding(&w.encoding).map_err(|e| {
                        anyhow::anyhow!("the clinical ear could not take the encoding: {e:?}")
                    })?;
                    Ending::WithTheDraft
                }
                None => {
                    encode(state, r.samples, threads)?;
                    to_ear(state, ear_state)?;
                    Ending::AtTheClipEnd
                }
            };
            encoding += t.elapsed();
            let t = std::time::Instant::now();
            let seconds = r.samples.len() as f64 / f64::from(crate::audio::SAMPLE_RATE);
            out.push(Some(listen_freely(
                ear_state,
                &by_ear,
                (r.prompt, r.draft),
                seconds,
                end,
                threads,
            )?));
            decoding += t.elapsed();
        }
        tracing::debug!(
            "the clinical ear read {} stretches ({} in the first pass's windows): {:.2} s \
             encoding, {:.2} s decoding",
            readings.len(),
            in_windows,
            encoding.as_secs_f64(),
            decoding.as_secs_f64()
        );
        Ok(out)
    }
}

/// How near (seconds) a kept window's start must be to the one a reading names.
const WINDOW_MATCH: f64 = 0.005;

/// Where a free listening ends (see [`listen_freely`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// At end of text, once most of the draft is said: the clip ends just after it.
    AtTheClipEnd,
    /// Also once the draft is said to its end, or to its closing punctuation where that was
    /// said otherwise: the audio (a first-pass window) goes on past it.
    WithTheDraft,
}

/// Tokens a listening that ends with the draft may say beyond the draft's own.
const PAST_DRAFT: usize = 8;

/// Puts the encoded second of silence into the state: the transcriber's own copy, else the one
/// an earlier process with the same build, model and settings kept on this machine (whisper.cpp
/// refuses an encoding of the wrong size). Where there is neither, the samples to encode.
fn put_silence(
    state: &mut WhisperState,
    kept: &mut Vec<WhisperTokenId>,
    silence: &mut Option<Vec<u8>>,
    silence_file: Option<&std::path::Path>,
) -> Result<Option<&'static [f32]>> {
    static SILENCE: [f32; 16_000] = [0.0; 16_000];
    if let Some(encoded) = silence.as_deref() {
        put_back(state, kept, encoded)?;
        return Ok(None);
    }
    let cached = silence_file
        .and_then(|file| std::fs::read(file).ok())
        .filter(|bytes| put_back(state, kept, bytes).is_ok());
    Ok(match cached {
        Some(bytes) => {
            tracing::debug!("the silence encoding came from this machine's cache");
            *silence = Some(bytes);
            None
        }
        None => Some(&SILENCE),
    })
}

/// What the model writes for the encoded clip (`seconds` long) after `prompt`: greedy decoding
/// from the clip's start.
///
/// `draft` (what the first pass heard in the clip) is offered to the decoder a run at a time:
/// one call gives the logits after each of the run's tokens (the weights are read once for all
/// of them, where a step reads them for one token), and the run is taken for as long as each
/// token is the one greedy decoding chooses there. From the first that is not, decoding goes on
/// a token at a time until the last two tokens written are found in the draft again. The words
/// are greedy decoding's; the hint changes a few of them, so most of the clip takes a few calls
/// instead of one per token.
///
/// End of text is not taken before the listening has said three quarters of the draft's tokens:
/// the clip was cut to end just after the words asked about, so it holds speech to its end, and
/// an end of text before then is the decoder giving up ("The", "He takes", "Dr. Dawson,"), not
/// the clip's end. Where the audio is a first-pass window that goes on past the draft
/// ([`Ending::WithTheDraft`]), the listening also ends once it has said the draft to its end,
/// or to its closing punctuation, and says at most [`PAST_DRAFT`] tokens more than the draft.
fn listen_freely(
    state: &mut WhisperState,
    f: &Forcing<'_>,
    (prompt, draft): (&str, &str),
    seconds: f64,
    ending: Ending,
    threads: usize,
) -> Result<String> {
    let fail = |e| anyhow::anyhow!("whisper.cpp could not decode: {e:?}");
    let eot = f.ctx.token_eot();
    let lead = f.start_tokens(prompt)?;
    let draft: Vec<WhisperTokenId> = if draft.trim().is_empty() {
        Vec::new()
    } else {
        // A draft too long to tokenise is only no draft.
        f.tokenize(&format!(" {}", draft.trim()))
            .unwrap_or_default()
    };
    let mut logits = decode_last(state, &lead, 0, threads)?;
    let mut cap = ((8.0 + TOKENS_PER_SECOND * seconds) as usize).min(2 * MAX_TEXT_TOKENS);
    if ending == Ending::WithTheDraft {
        cap = cap.min(draft.len() + PAST_DRAFT);
    }
    let mut said: Vec<WhisperTokenId> = Vec::new();
    // The draft's token expected next, where the draft agrees with what was said; the last such
    // place (where a change of words began); the length of the next run.
    let mut at: Option<usize> = Some(0);
    let mut last_at = 0;
    let mut run_len = DRAFT_RUN_FIRST;
    // Where the draft last agreed with what was said: its tokens, and the tokens said, so far.
    let mut agreed = (0, 0);
    while said.len() < cap {
        if let Some(d) = at {
            agreed = (d, said.len());
        }
        if ending == Ending::WithTheDraft && !draft.is_empty() {
            // The draft said to its end, or to its closing punctuation (a full stop for its
            // comma: what follows is the next window's words, left out).
            if at == Some(draft.len()) {
                break;
            }
            if at.is_none() && punctuation_only(f.ctx, &draft[agreed.0..]) {
                said.truncate(agreed.1);
                break;
            }
        }
        let next = best_text_token(&logits, eot, !may_end(said.len(), draft.len()));
        if next == eot || looping(&said) {
            break;
        }
        said.push(next);
        at = follow(&draft, at.ok_or(last_at), &said);
        last_at = at.unwrap_or(last_at);
        let n_past = lead.len() + said.len() - 1;
        let run = at.map_or(&[][..], |d| &draft[d..(d + run_len).min(draft.len())]);
        if run.is_empty() {
            logits = decode_last(state, &[next], n_past, threads)?;
            continue;
        }
        let given: Vec<WhisperTokenId> = std::iter::once(next).chain(run.iter().copied()).collect();
        state.decode_all(&given, n_past, threads).map_err(fail)?;
        let n_vocab = n_vocab(state);
        let rows = rows(state, given.len())?;
        let mut taken = 0;
        for (i, &t) in run.iter().enumerate() {
            let row = &rows[i * n_vocab..(i + 1) * n_vocab];
            if said.len() >= cap
                || looping(&said)
                || best_text_token(row, eot, !may_end(said.len(), draft.len())) != t
            {
                break;
            }
            said.push(t);
            taken += 1;
        }
        logits = rows[taken * n_vocab..(taken + 1) * n_vocab].to_vec();
        tracing::trace!("draft run: {} offered, {} taken", run.len(), taken);
        // A run taken whole is doubled; one left early starts short again.
        run_len = if taken == run.len() {
            (run_len * 2).min(DRAFT_RUN_MAX)
        } else {
            DRAFT_RUN_FIRST
        };
        at = at.map(|d| d + taken);
        // The decoder's entries for the run's tokens not taken are dropped by the next call,
        // which decodes from the position after the last token said.
    }
    let mut bytes = Vec::new();
    for &t in &said {
        bytes.extend_from_slice(f.ctx.token_to_bytes(t).map_err(fail)?);
    }
    Ok(String::from_utf8_lossy(&bytes).trim().to_owned())
}

/// The clip (encoded in `state`; the clinical ear beside it, if loaded) heard again freely with `hint` as the prompt ([`listen_freely`]),
/// by tiny.en and then, where `ask_ear` wants it after reading tiny.en's, by the clinical ear on
/// the same encoding (the ear's cross-attention reads the audio as tiny.en's does:
/// `asr::transcribe::clinical_ear`).
fn hear_again(
    (state, ear): (&mut WhisperState, Option<&mut Ear>),
    f: &Forcing<'_>,
    q8: bool,
    clip: &Clip<'_>,
    hint: &str,
    ask_ear: &mut dyn FnMut(&str) -> bool,
    threads: usize,
) -> Result<(String, Option<String>)> {
    let seconds = clip.samples.len() as f64 / f64::from(crate::audio::SAMPLE_RATE);
    // What the first pass heard in the clip: the last item's prefix (the words from the clip's
    // start) and its heard words.
    let draft = clip.items.last().map_or(String::new(), |item| {
        let heard = item.texts.first().map_or("", |t| t.trim());
        format!("{} {heard}", item.prefix.trim())
    });
    read_exactly(state, q8, &[]);
    let text = listen_freely(
        state,
        f,
        (hint, &draft),
        seconds,
        Ending::AtTheClipEnd,
        threads,
    )?;
    let Some((ctx, ear)) = ear.filter(|_| ask_ear(&text)).and_then(|e| e.ready()) else {
        return Ok((text, None));
    };
    to_ear(state, ear)?;
    let by_ear = Forcing {
        ctx,
        english_only: f.english_only,
    };
    let heard = listen_freely(
        ear,
        &by_ear,
        (hint, &draft),
        seconds,
        Ending::AtTheClipEnd,
        threads,
    )?;
    Ok((text, Some(heard)))
}

/// Gives the clinical ear tiny.en's encoding of the clip in `state` (the ear's cross-attention
/// reads the audio as tiny.en's does: `asr::transcribe::Ear`).
fn to_ear(state: &mut WhisperState, ear: &mut WhisperState) -> Result<()> {
    let encoded = state
        .get_encoding()
        .map_err(|e| anyhow::anyhow!("whisper.cpp could not give its encoding: {e:?}"))?;
    ear.set_encoding(&encoded)
        .map_err(|e| anyhow::anyhow!("the clinical ear could not take the encoding: {e:?}"))
}

/// Draft tokens offered in one decoder call: first, and at most (a run taken whole doubles the
/// next). A call for 24 tokens costs about five one-token steps here, so a run the model leaves
/// early wastes the rest of it; most runs end at a word the hint changed.
const DRAFT_RUN_FIRST: usize = 8;
const DRAFT_RUN_MAX: usize = 32;

/// How far past the place where the words changed a single token may find the draft again.
const REFIND_WITHIN: usize = 12;

/// Where `draft` goes on after `said` (the index of its token expected next): `at` is the index
/// of the token expected (`Ok`), or, once the words changed, the last place the draft agreed
/// (`Err`). Where the last token said is the one expected, after it; else, after the first place
/// near the change holding the last token said, or anywhere holding the last two; else nowhere.
fn follow(
    draft: &[WhisperTokenId],
    at: Result<usize, usize>,
    said: &[WhisperTokenId],
) -> Option<usize> {
    let last = *said.last()?;
    let from = match at {
        Ok(d) if draft.get(d) == Some(&last) => return Some(d + 1),
        Ok(d) | Err(d) => d,
    };
    let near = draft.get(from..(from + REFIND_WITHIN).min(draft.len()))?;
    if let Some(p) = near.iter().position(|&t| t == last) {
        return Some(from + p + 1);
    }
    let tail = said.get(said.len().checked_sub(2)?..)?;
    draft.windows(2).position(|w| w == tail).map(|p| p + 2)
}

/// Are `tokens` (a draft's last few) punctuation and spaces only?
fn punctuation_only(ctx: &WhisperContext, tokens: &[WhisperTokenId]) -> bool {
    tokens.len() <= 2
        && tokens.iter().all(|&t| {
            ctx.token_to_bytes(t)
                .is_ok_and(|b| b.iter().all(|c| !c.is_ascii_alphanumeric() && c.is_ascii()))
        })
}

/// May a free listening end after `said` tokens, where the first pass heard `draft` tokens in
/// the clip? Not before its first token, nor before three quarters of the draft (see
/// [`listen_freely`]).
fn may_end(said: usize, draft: usize) -> bool {
    said > 0 && 4 * said >= 3 * draft
}

/// The likeliest next token among the text tokens and end of text (special and timestamp tokens
/// are never written); end of text is not taken where `too_soon` (the clip holds more speech).
fn best_text_token(logits: &[f32], eot: WhisperTokenId, too_soon: bool) -> WhisperTokenId {
    let end = usize::try_from(eot).unwrap_or(0).min(logits.len());
    let mut best = (f32::NEG_INFINITY, eot);
    for (i, &l) in logits[..end].iter().enumerate() {
        if l > best.0 {
            best = (l, WhisperTokenId::try_from(i).unwrap_or(eot));
        }
    }
    if !too_soon && logits.get(end).is_some_and(|&l| l > best.0) {
        return eot;
    }
    best.1
}

/// Has the decoder fallen into a loop: the same run of up to [`LOOP_PERIOD`] tokens said twice
/// running, over at least 16 tokens ("I'm not sure what I'm going to do." fifteen times, a run
/// of 11), or one token six times? Dictation never says a run of 16 tokens twice over.
fn looping(said: &[WhisperTokenId]) -> bool {
    let n = said.len();
    let repeats = (1..=LOOP_PERIOD).any(|k| {
        let m = (2 * k).max(16);
        n >= m && (n - m + k..n).all(|i| said[i] == said[i - k])
    });
    let same = n >= 6 && said[n - 6..].iter().all(|&t| t == said[n - 1]);
    repeats || same
}

/// The longest run of tokens a loop is looked for in (a sentence of a dozen words).
const LOOP_PERIOD: usize = 32;

/// Encodes `clip` (padded to the model's 30-second window, as it was trained: measured, an
/// encoding fitted to the clip's length, whisper.cpp's `audio_ctx`, halved the pass's cost but lost
/// terms on the dev set and invented one; see BENCHMARKS.md).
fn encode(state: &mut WhisperState, clip: &[f32], threads: usize) -> Result<()> {
    state
        .pcm_to_mel(clip, threads)
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .context("whisper.cpp could not compute a spectrogram")?;
    state
        .encode(0, threads)
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .context("whisper.cpp could not encode audio")
}

/// Puts an encoding made before back into the state (no decoder entries are kept for it).
fn put_back(
    state: &mut WhisperState,
    kept: &mut Vec<WhisperTokenId>,
    encoding: &[u8],
) -> Result<()> {
    kept.clear();
    state
        .set_encoding(encoding)
        .map_err(|e| anyhow::anyhow!("whisper.cpp could not take an encoding back: {e:?}"))
}

/// The tokens before an item's texts, and each text's tokens.
type Lead = (Vec<WhisperTokenId>, Vec<Vec<WhisperTokenId>>);

/// Turns prompts and texts into the model's tokens.
struct Forcing<'a> {
    ctx: &'a WhisperContext,
    english_only: bool,
}

impl Forcing<'_> {
    /// The tokens before an item's texts (start, prompt, prefix), and each text's tokens.
    fn tokens(&self, prompt: &str, item: &Item) -> Result<Lead> {
        let mut lead = self.start_tokens(prompt)?;
        let prefix = item.prefix.trim();
        if !prefix.is_empty() {
            let tokens = self.tokenize(&format!(" {prefix}"))?;
            lead.extend_from_slice(&tokens[tokens.len().saturating_sub(MAX_PREFIX_TOKENS)..]);
        }
        let texts = item
            .texts
            .iter()
            .map(|t| self.text_tokens(t, item.whole))
            .collect::<Result<Vec<_>>>()?;
        Ok((lead, texts))
    }

    /// `<|startofprev|> prompt <|startoftranscript|> [<|en|> <|transcribe|>] <|notimestamps|>`.
    fn start_tokens(&self, prompt: &str) -> Result<Vec<WhisperTokenId>> {
        let mut start = Vec::new();
        let prompt = prompt.trim();
        if !prompt.is_empty() {
            let tokens = self.tokenize(&format!(" {prompt}"))?;
            start.push(self.ctx.token_prev());
            start.extend_from_slice(&tokens[tokens.len().saturating_sub(MAX_PROMPT_TOKENS)..]);
        }
        start.push(self.ctx.token_sot());
        if !self.english_only {
            start.push(self.ctx.token_lang(0));
            start.push(self.ctx.token_transcribe());
        }
        start.push(self.ctx.token_not());
        Ok(start)
    }

    /// A text's tokens; with end of text when it is the whole of what the clip holds after the
    /// prefix.
    fn text_tokens(&self, text: &str, whole: bool) -> Result<Vec<WhisperTokenId>> {
        let mut tokens = self.tokenize(&format!(" {}", text.trim()))?;
        tokens.truncate(MAX_TEXT_TOKENS);
        if whole {
            tokens.push(self.ctx.token_eot());
        }
        Ok(tokens)
    }

    fn tokenize(&self, text: &str) -> Result<Vec<WhisperTokenId>> {
        // whisper.cpp splits text with a recursive regular expression: a very long run without
        // a space (a sidecar's 10,000-letter "name") overflows the thread's stack. What is scored
        // is a few words after a prompt of at most a sentence or two.
        if text.len() > MAX_TEXT_BYTES || text.split(' ').any(|w| w.len() > MAX_WORD_BYTES) {
            anyhow::bail!(
                "a text of {} bytes is too long to score against the recording",
                text.len()
            );
        }
        // Every byte can become its own token: the byte count bounds the token count.
        let text = text.replace('\0', " ");
        self.ctx
            .tokenize(&text, text.len() + 8)
            .map_err(|e| anyhow::anyhow!("{e:?}"))
            .context("whisper.cpp could not tokenise a text to score")
    }
}

/// The most tokens the decoder holds for one call of a clip's items: the longest lead and every
/// text (whisper.cpp's text context is 448).
const GROUP_TOKENS: usize = 440;

/// The most text tokens given in one call: each keeps a row of logits (200 kB for tiny.en's
/// vocabulary), so the call's memory grows with them.
const GROUP_ROWS: usize = 128;

/// The summed log-probability of each item's texts following its lead (see [`forced`]), a
/// clip's items together: their leads are one another's beginnings (the words from the clip's
/// start grow item by item), so the longest lead is decoded once, keeping the logits at the end
/// of every item's lead, then every text of every item in one more call, each after its own
/// lead. Two decoder calls for a clip's items where one item took two.
fn forced_items(
    state: &mut WhisperState,
    kept: &mut Vec<WhisperTokenId>,
    items: &[Lead],
    q8: bool,
    threads: usize,
) -> Result<Vec<Vec<f64>>> {
    let mut out = Vec::with_capacity(items.len());
    let mut i = 0;
    while i < items.len() {
        let j = group_end(items, i);
        out.extend(forced_group(state, kept, &items[i..j], q8, threads)?);
        i = j;
    }
    Ok(out)
}

/// Where the group of items from `i` ends: each later item's lead begins with the lead before
/// it, the longest lead with every text fits [`GROUP_TOKENS`], and the texts [`GROUP_ROWS`].
fn group_end(items: &[Lead], i: usize) -> usize {
    let given = |k: usize| -> usize { items[k].1.iter().map(|t| t.len().saturating_sub(1)).sum() };
    let mut texts = given(i);
    let mut j = i + 1;
    while j < items.len() && items[j].0.starts_with(&items[j - 1].0) {
        let more = texts + given(j);
        if items[j].0.len() + more > GROUP_TOKENS || more > GROUP_ROWS {
            break;
        }
        texts = more;
        j += 1;
    }
    j
}

/// [`forced_items`] for one group of items (see [`group_end`]).
fn forced_group(
    state: &mut WhisperState,
    kept: &mut Vec<WhisperTokenId>,
    items: &[Lead],
    q8: bool,
    threads: usize,
) -> Result<Vec<Vec<f64>>> {
    let (Some((longest, _)), Some(shortest)) =
        (items.last(), items.iter().map(|(lead, _)| lead.len()).min())
    else {
        return Ok(Vec::new());
    };
    anyhow::ensure!(shortest > 0, "nothing to decode");
    // Every item's last lead token is decoded (again), for the logits that follow it.
    let same = shared_start(kept, longest).min(shortest - 1);
    kept.clear();
    let ends: Vec<usize> = items
        .iter()
        .map(|(lead, _)| lead.len() - 1 - same)
        .collect();
    let firsts: Vec<WhisperTokenId> = items
        .iter()
        .flat_map(|(_, texts)| texts.iter().filter_map(|t| t.first().copied()))
        .collect();
    read_exactly(state, q8, &firsts);
    state
        .decode_rows(&longest[same..], same, &ends, threads)
        .map_err(|e| anyhow::anyhow!("whisper.cpp could not decode: {e:?}"))?;
    kept.extend_from_slice(longest);
    let n_vocab = n_vocab(state);
    let after_leads = rows(state, longest.len() - same)?;
    let mut out: Vec<Vec<f64>> = items
        .iter()
        .zip(&ends)
        .map(|((_, texts), &end)| {
            let row = &after_leads[end * n_vocab..(end + 1) * n_vocab];
            texts
                .iter()
                .map(|t| {
                    t.first()
                        .map_or(0.0, |&x| log_softmax_at(row, token_index(x)))
                })
                .collect()
        })
        .collect();
    // A text's later tokens each follow the text's tokens before them, after its item's lead.
    let mut given: Vec<&[WhisperTokenId]> = Vec::new();
    let mut pasts: Vec<usize> = Vec::new();
    let mut whose: Vec<(usize, usize)> = Vec::new();
    for (k, (lead, texts)) in items.iter().enumerate() {
        for (t, text) in texts.iter().enumerate().filter(|(_, t)| t.len() > 1) {
            given.push(&text[..text.len() - 1]);
            pasts.push(lead.len());
            whose.push((k, t));
        }
    }
    if given.is_empty() {
        return Ok(out);
    }
    let every: Vec<WhisperTokenId> = items
        .iter()
        .flat_map(|(_, texts)| texts.iter().flatten().copied())
        .collect();
    read_exactly(state, q8, &every);
    if state.decode_texts_at(&given, &pasts, threads).is_err() {
        // Too long to go into the decoder's context together: an item at a time (the cache
        // still holds the longest lead, as `kept` says).
        return items
            .iter()
            .map(|(lead, texts)| forced(state, kept, lead, texts, q8, threads))
            .collect();
    }
    let n: usize = given.iter().map(|g| g.len()).sum();
    let mut rows = rows(state, n)?.chunks_exact(n_vocab);
    for &(k, t) in &whose {
        out[k][t] += rows_score(&items[k].1[t][1..], &mut rows);
    }
    Ok(out)
}

/// The summed log-probability of each of `texts` following `lead`: the lead decoded once, then
/// every text in one more decoder call, each text its own sequence with every position's logits
/// kept (the vendored whisper.cpp's `decode_texts`; see vendor/README.md).
///
/// `kept` holds the lead tokens whose decoder entries the state already has for the current
/// encoding (empty after an encoding): the items of a clip share their prompt and their prefixes
/// grow word by word, so only the new part of each lead is decoded. `kept` is left holding
/// `lead`.
fn forced(
    state: &mut WhisperState,
    kept: &mut Vec<WhisperTokenId>,
    lead: &[WhisperTokenId],
    texts: &[Vec<WhisperTokenId>],
    q8: bool,
    threads: usize,
) -> Result<Vec<f64>> {
    anyhow::ensure!(!lead.is_empty(), "nothing to decode");
    // At least the lead's last token is decoded again, for the logits that follow it.
    let same = shared_start(kept, lead).min(lead.len() - 1);
    kept.clear();
    let firsts: Vec<WhisperTokenId> = texts.iter().filter_map(|t| t.first().copied()).collect();
    read_exactly(state, q8, &firsts);
    let after_lead = decode_last(state, &lead[same..], same, threads)?;
    kept.extend_from_slice(lead);
    // A text's first token follows the lead; each later token follows the text's tokens before
    // it, all of which go into the decoder (but the last).
    let mut out: Vec<f64> = texts
        .iter()
        .map(|t| {
            t.first()
                .map_or(0.0, |&x| log_softmax_at(&after_lead, token_index(x)))
        })
        .collect();
    let longer: Vec<usize> = (0..texts.len()).filter(|&k| texts[k].len() > 1).collect();
    let given: Vec<&[WhisperTokenId]> = longer
        .iter()
        .map(|&k| &texts[k][..texts[k].len() - 1])
        .collect();
    if given.is_empty() {
        return Ok(out);
    }
    let n_vocab = n_vocab(state);
    read_exactly(state, q8, &texts.concat());
    if state.decode_texts(&given, lead.len(), threads).is_ok() {
        let n: usize = given.iter().map(|g| g.len()).sum();
        let mut rows = rows(state, n)?.chunks_exact(n_vocab);
        for &k in &longer {
            out[k] += rows_score(&texts[k][1..], &mut rows);
        }
    } else {
        // Too long to go into the decoder's context together: one call a text.
        for (&k, g) in longer.iter().zip(&given) {
            state
                .decode_all(g, lead.len(), threads)
                .map_err(|e| anyhow::anyhow!("whisper.cpp could not decode: {e:?}"))?;
            out[k] += rows_score(
                &texts[k][1..],
                &mut rows(state, g.len())?.chunks_exact(n_vocab),
            );
        }
    }
    Ok(out)
}

/// Where the scoring calls take the 8-bit vocabulary product (`q8`), the tokens whose logits the
/// next decode calls must give exactly: the scored tokens (the rows near each row's best, which
/// hold most of the softmax, and end of text are always exact; the far rows are within about 0.4
/// and move a score by hundredths of a nat). Greedy choices need none: the best is always exact.
fn read_exactly(state: &mut WhisperState, q8: bool, tokens: &[WhisperTokenId]) {
    if q8 {
        state.set_scoring_q8(true, tokens);
    }
}

/// The summed log-probability of `tokens`, each read from the next of `rows`; the rows after
/// them stay for the next text.
fn rows_score<'a>(tokens: &[WhisperTokenId], rows: &mut impl Iterator<Item = &'a [f32]>) -> f64 {
    // The tokens lead: a zip takes from its first side before it knows the second has ended.
    tokens
        .iter()
        .zip(rows)
        .map(|(&t, row)| log_softmax_at(row, token_index(t)))
        .sum()
}

/// Decodes `tokens` after `n_past` others; the logits that follow the last (the only row
/// whisper.cpp computes for this call: see vendor/README.md).
fn decode_last(
    state: &mut WhisperState,
    tokens: &[WhisperTokenId],
    n_past: usize,
    threads: usize,
) -> Result<Vec<f32>> {
    state
        .decode(tokens, n_past, threads)
        .map_err(|e| anyhow::anyhow!("whisper.cpp could not decode: {e:?}"))?;
    rows(state, tokens.len())?
        .chunks_exact(n_vocab(state))
        .next_back()
        .map(<[f32]>::to_vec)
        .context("whisper.cpp left no logits")
}

/// The `n` rows of logits the last decode left (one per token given).
fn rows(state: &WhisperState, n: usize) -> Result<&[f32]> {
    let rows = state
        .get_all_logits()
        .map_err(|e| anyhow::anyhow!("whisper.cpp left no logits: {e:?}"))?;
    anyhow::ensure!(
        n > 0 && rows.len() == n * n_vocab(state),
        "whisper.cpp left {} logits for {n} tokens",
        rows.len()
    );
    Ok(rows)
}

fn n_vocab(state: &WhisperState) -> usize {
    usize::try_from(state.n_vocab()).unwrap_or(0).max(1)
}

fn token_index(t: WhisperTokenId) -> usize {
    usize::try_from(t).unwrap_or(usize::MAX)
}

/// How many tokens `a` and `b` share from their start.
fn shared_start(a: &[WhisperTokenId], b: &[WhisperTokenId]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// `log softmax(logits)[at]`, in f64; minus infinity for a token outside the vocabulary.
fn log_softmax_at(logits: &[f32], at: usize) -> f64 {
    let Some(&x) = logits.get(at) else {
        return f64::NEG_INFINITY;
    };
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let sum: f64 = logits.iter().map(|&l| f64::from(l - max).exp()).sum();
    f64::from(x - max) - sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_softmax_is_a_log_probability() {
        let logits = [1.0f32, 2.0, 3.0];
        let p: f64 = (0..3).map(|i| log_softmax_at(&logits, i).exp()).sum();
        assert!((p - 1.0).abs() < 1e-9);
        assert!(log_softmax_at(&logits, 2) > log_softmax_at(&logits, 0));
        assert_eq!(log_softmax_at(&logits, 7), f64::NEG_INFINITY);
    }

    #[test]
    fn the_draft_is_followed_where_it_agrees_and_found_again_after_a_change() {
        let draft = [
            10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
        ];
        // Agreeing token by token.
        assert_eq!(follow(&draft, Ok(0), &[10]), Some(1));
        assert_eq!(follow(&draft, Ok(2), &[10, 11, 12]), Some(3));
        // The model writes something else ("ramipril" for "ram a pill"): lost...
        assert_eq!(follow(&draft, Ok(2), &[10, 11, 99]), None);
        assert_eq!(follow(&draft, Err(2), &[10, 11, 99, 98]), None);
        // ... and found again by a token said soon after the change ...
        assert_eq!(follow(&draft, Err(2), &[10, 11, 99, 14]), Some(5));
        // ... or, further on, by the last two tokens said.
        assert_eq!(follow(&draft, Err(2), &[10, 11, 99, 25]), None);
        assert_eq!(follow(&draft, Err(2), &[10, 11, 99, 25, 26]), Some(17));
        // Never past the draft's end; an empty draft is never followed.
        assert_eq!(follow(&draft, Ok(17), &[10, 26]), None);
        assert_eq!(follow(&[], Ok(0), &[10]), None);
    }

    #[test]
    fn a_free_listening_writes_text_tokens_and_ends_at_end_of_text() {
        // Vocabulary: 0..4 text tokens, 4 end of text, 5.. special and timestamp tokens.
        let eot = 4;
        // A timestamp token is never written; end of text ends, but not as the first token.
        let logits = [0.0f32, 1.0, 0.5, 0.0, 2.0, 9.0];
        assert_eq!(best_text_token(&logits, eot, false), eot);
        assert_eq!(best_text_token(&logits, eot, true), 1);
        let logits = [0.0f32, 3.0, 0.5, 0.0, 2.0, 9.0];
        assert_eq!(best_text_token(&logits, eot, false), 1);
        // Not before its first token, nor before three quarters of what the first pass heard
        // in the clip: the clip holds speech to its end.
        assert!(!may_end(0, 0) && may_end(1, 0));
        assert!(!may_end(5, 8) && may_end(6, 8) && may_end(30, 8));
    }

    #[test]
    fn leads_share_the_tokens_they_start_with() {
        assert_eq!(shared_start(&[1, 2, 3], &[1, 2, 4, 5]), 2);
        assert_eq!(shared_start(&[1, 2], &[1, 2, 3]), 2);
        assert_eq!(shared_start(&[], &[1]), 0);
        assert_eq!(shared_start(&[9], &[1]), 0);
    }

    #[test]
    fn a_decoder_in_a_loop_is_stopped() {
        let words: Vec<WhisperTokenId> = (0..20).collect();
        assert!(!looping(&words));
        let mut again: Vec<WhisperTokenId> = (0..8).chain(0..8).collect();
        assert!(looping(&again));
        again.push(3);
        assert!(!looping(&again));
        assert!(looping(&[1, 7, 7, 7, 7, 7, 7]));
        assert!(!looping(&[7, 7, 7, 7, 7]));
        // A sentence of 11 tokens said again (the hinted listening's "I'm not sure what I'm
        // going to do."), caught as its second saying ends, not at the token cap.
        let sentence: Vec<WhisperTokenId> = (100..111).collect();
        let mut said: Vec<WhisperTokenId> = (0..5).chain(sentence.iter().copied()).collect();
        said.extend_from_slice(&sentence[..10]);
        assert!(!looping(&said));
        said.push(sentence[10]);
        assert!(looping(&said));
        // Three tokens round and round: caught once 16 tokens repeat.
        let round: Vec<WhisperTokenId> = (0..18).map(|i| 50 + i % 3).collect();
        assert!(!looping(&round[..15]));
        assert!(looping(&round));
        // A short phrase said twice is dictation ("no, no"; "new line new line").
        assert!(!looping(&[1, 2, 3, 4, 5, 6, 4, 5, 6]));
        // Nor is a run said again further on.
        let mut apart: Vec<WhisperTokenId> = (0..12).collect();
        apart.push(99);
        apart.extend(0..12);
        assert!(!looping(&apart));
    }
}
