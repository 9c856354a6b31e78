//! How strongly a recording supports each spelling of what was said in it: Whisper's own decoder,
//! forced through each text in turn (teacher forcing), gives the log-probability of that text given
//! the audio. The terminology pass uses it to weigh a correction against the words as heard, so a
//! term is written only where the recording says it. Uses whisper-rs's safe `WhisperState` API
//! (`pcm_to_mel`, `encode`, `decode`, `get_logits`); the transcribing state is left alone.

use anyhow::{Context, Result};
use whisper_rs::{WhisperContext, WhisperState, WhisperTokenId};

use crate::asr::transcribe::Transcriber;

/// The most prompt tokens given as context (whisper.cpp allows half its 448-token text context).
const MAX_PROMPT_TOKENS: usize = 64;

/// The most tokens a scored text may have (a window of a few words).
const MAX_TEXT_TOKENS: usize = 96;

/// The most tokens of words said from the clip's start before the scored text.
const MAX_PREFIX_TOKENS: usize = 200;

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

impl Transcriber {
    /// Scores the texts of each clip's items: given the clip and the words said from its start
    /// (the item's prefix), and over a second of silence (the text prior). Uses the transcriber's
    /// own decoding state, free once a recording is heard: each clip is encoded once and all its
    /// texts decoded; then silence is encoded once for every prior. (A second state for scoring
    /// would hold another copy of whisper.cpp's buffers, about 150 MB for tiny.en.)
    pub fn score(&mut self, clips: &[Clip<'_>]) -> Result<Vec<Vec<Scores>>> {
        let (ctx, state, threads, english_only) = self.scoring_parts();
        let f = Forcing { ctx, english_only };
        let mut out: Vec<Vec<Scores>> = Vec::with_capacity(clips.len());
        let mut leads: Vec<Vec<Lead>> = Vec::new();
        for clip in clips {
            encode(state, clip.samples, threads)?;
            let mut clip_scores = Vec::with_capacity(clip.items.len());
            let mut clip_leads = Vec::with_capacity(clip.items.len());
            for item in clip.items {
                let (lead, texts) = f.tokens(clip.prompt, item)?;
                clip_scores.push(Scores {
                    audio: forced(state, &lead, &texts, threads)?,
                    prior: Vec::new(),
                });
                clip_leads.push((lead, texts));
            }
            out.push(clip_scores);
            leads.push(clip_leads);
        }
        if clips.iter().any(|c| !c.items.is_empty()) {
            encode(state, &[0.0; 16_000], threads)?;
            for (clip_scores, clip_leads) in out.iter_mut().zip(&leads) {
                for (scores, (lead, texts)) in clip_scores.iter_mut().zip(clip_leads) {
                    scores.prior = forced(state, lead, texts, threads)?;
                }
            }
        }
        Ok(out)
    }
}

/// Encodes `clip` (padded to the model's 30-second window, as it was trained).
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
        // Every byte can become its own token: the byte count bounds the token count.
        let text = text.replace('\0', " ");
        self.ctx
            .tokenize(&text, text.len() + 8)
            .map_err(|e| anyhow::anyhow!("{e:?}"))
            .context("whisper.cpp could not tokenise a text to score")
    }
}

/// The summed log-probability of each of `texts` following `lead`: the lead decoded once, then
/// each text one decoder step per token (whisper.cpp keeps only the last position's logits).
fn forced(
    state: &mut WhisperState,
    lead: &[WhisperTokenId],
    texts: &[Vec<WhisperTokenId>],
    threads: usize,
) -> Result<Vec<f64>> {
    let fail = |e| anyhow::anyhow!("whisper.cpp could not decode: {e:?}");
    // The lead but its last token in one batch, then the last on its own: the logits whisper.cpp
    // leaves after a batch depend on what the state decoded before (measured: the same clip
    // scored 0.6 nats apart on a second call, 10.8 after a transcription); after a single token
    // they do not.
    let (last, rest) = lead.split_last().context("nothing to decode")?;
    if !rest.is_empty() {
        state.decode(rest, 0, threads).map_err(fail)?;
    }
    state.decode(&[*last], rest.len(), threads).map_err(fail)?;
    let after_lead = state.get_logits().map_err(fail)?.to_vec();
    let mut out = Vec::with_capacity(texts.len());
    for tokens in texts {
        let mut n_past = lead.len();
        let mut total = 0.0;
        for (i, &t) in tokens.iter().enumerate() {
            let at = usize::try_from(t).unwrap_or(usize::MAX);
            total += if i == 0 {
                log_softmax_at(&after_lead, at)
            } else {
                log_softmax_at(state.get_logits().map_err(fail)?, at)
            };
            if i + 1 < tokens.len() {
                state.decode(&[t], n_past, threads).map_err(fail)?;
                n_past += 1;
            }
        }
        out.push(total);
    }
    Ok(out)
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
}
