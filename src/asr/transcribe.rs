//! The transcription adapter: the one module that knows whisper-rs. It loads a model once and
//! turns 16 kHz mono samples into a [`Transcript`] with segment times and token probabilities.
//! It must not read audio files or decide anything about letters.

use std::path::{Path, PathBuf};
use std::sync::Once;

use anyhow::{Context, Result};
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use crate::asr::model::ggml::{self, ModelFacts};
use crate::asr::transcript::{Segment, Token, Transcript};

/// How to decode.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeOptions {
    pub threads: usize,
    /// `None` for greedy decoding, `Some(n)` for beam search with n beams.
    pub beam_size: Option<usize>,
    /// Text that primes the decoder (vocabulary, style).
    pub initial_prompt: Option<String>,
    /// whisper.cpp's flash attention (faster on some CPUs; token timestamps stay available).
    pub flash_attn: bool,
    /// Load the clinical ear beside tiny.en where asked (see [`Ear`]).
    pub clinical_ear: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            threads: default_threads(),
            beam_size: None,
            initial_prompt: None,
            flash_attn: false,
            clinical_ear: true,
        }
    }
}

/// All the machine's cores, up to eight (whisper.cpp gains little beyond that on CPUs).
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(4, |n| n.get())
        .min(8)
}

/// What conditions the decoder at the start of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carry {
    /// Only the configured prompt: a recording's start.
    Fresh,
    /// The text the state decoded last (and the configured prompt): later in the same recording.
    Continue,
}

/// A loaded model with its decoding state, reused across recordings.
pub struct Transcriber {
    // Shared with the transcribers forked from this one (one model in memory); token lookups.
    ctx: std::sync::Arc<WhisperContext>,
    state: WhisperState,
    model_path: PathBuf,
    facts: ModelFacts,
    options: DecodeOptions,
    /// A second of silence, encoded (the decoder's cross-attention keys and values): the
    /// scoring of texts over silence (their prior) puts it back instead of encoding it again.
    silence: Option<Vec<u8>>,
    /// The clinical ear, where the model has one (see [`Ear`]).
    ear: Option<Ear>,
    /// The encodings of the 30-second windows the first pass heard the current recording in,
    /// where the model has a clinical ear (its reading of the recording decodes them again
    /// instead of encoding the audio anew): see [`FirstPassWindow`].
    windows: Vec<FirstPassWindow>,
    /// Keep them (see [`Transcriber::keep_windows_for_ear`]).
    keep_for_ear: bool,
}

/// One 30-second window of the current recording as the first pass encoded it: where it starts
/// and ends in the recording (seconds; it ends at the audio's end where that is sooner), and
/// the encoding as the decoder reads it (the cross-attention keys and values, 9.2 MB for
/// tiny.en).
pub(crate) struct FirstPassWindow {
    pub start: f64,
    pub end: f64,
    pub encoding: Vec<u8>,
}

/// The most bytes of first-pass encodings kept for one recording: ten of tiny.en's windows,
/// five minutes of dictation. A longer recording's later windows are not kept (its clinical ear
/// encodes those stretches itself).
const KEPT_WINDOW_BYTES: usize = 100_000_000;

/// See [`Transcriber::scoring_parts`].
pub(crate) struct ScoringParts<'a> {
    pub ctx: &'a WhisperContext,
    pub state: &'a mut WhisperState,
    pub threads: usize,
    pub english_only: bool,
    pub silence: &'a mut Option<Vec<u8>>,
    /// Where this machine keeps the silence encoding for this model and these settings (see
    /// `asr::silence`), if anywhere.
    pub silence_file: Option<PathBuf>,
    /// The clinical ear, where the model has one.
    pub ear: Option<&'a mut Ear>,
    /// The first pass's windows of the current recording, where kept.
    pub windows: &'a [FirstPassWindow],
}

static LOG_HOOKS: Once = Once::new();

/// Where a transcriber's model time went since it was loaded, as whisper.cpp counts it: seconds
/// in the log-mel spectrogram, the encoder (and how many 30-s windows it encoded, the checks'
/// clips included), the decoder one token at a time (and how many), the decoder's batches
/// (prompts, scored texts), choosing tokens; and how often whisper.cpp's temperature fallback
/// decoded a window again by sampling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeSplit {
    pub mel: f64,
    pub encoder: f64,
    pub windows: u32,
    pub decoder: f64,
    pub tokens: u32,
    pub batches: f64,
    pub sampling: f64,
    pub fallbacks: u32,
}

impl std::fmt::Display for TimeSplit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "encoder {:.2} s ({} window{}), decoder {:.2} s ({} token{} one at a time) and {:.2} \
             s in batches, log-mel {:.2} s, choosing tokens {:.2} s",
            self.encoder,
            self.windows,
            if self.windows == 1 { "" } else { "s" },
            self.decoder,
            self.tokens,
            if self.tokens == 1 { "" } else { "s" },
            self.batches,
            self.mel,
            self.sampling
        )?;
        if self.fallbacks > 0 {
            write!(
                f,
                "; the decoder fell back to sampling {} times",
                self.fallbacks
            )?;
        }
        Ok(())
    }
}

/// How many of the encoder's matrix products ran on AMX BF16 tiles in this process (the
/// vendored ggml's `amx/bf16.cpp`; none on a CPU without them, or with `DICTATE_NO_AMX_BF16`
/// set).
pub fn tile_products() -> u64 {
    u64::try_from(whisper_rs::amx_bf16_products()).unwrap_or(0)
}

/// whisper.cpp's build: its backends and the CPU features and kernels compiled in ("CPU : AVX512
/// = 1 | ... | LLAMAFILE = 1 | ..."), as its system-info line gives them.
pub fn build_info() -> String {
    static INFO: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    // whisper.cpp writes the line into one static string: read it once.
    INFO.get_or_init(|| whisper_rs::print_system_info().trim().to_owned())
        .clone()
}

/// The clinical ear: tiny.en with the clinical adapter built into dictate (its decoder taught how
/// clinical terms are spelled; `adapters/README.md`), merged in memory and loaded beside tiny.en
/// the first time the terms pass's second listening asks for it (where tiny.en's own speaks for
/// no term: `text::terms::verify`); it never writes the transcript. Only for the tiny.en file the
/// adapter was made for (by SHA-256); for any other model, none. About 75 MB of weights, shared
/// by forked transcribers, and a decoding state for each.
pub(crate) struct Ear {
    /// The adapted model, made on first use (`None` where it cannot be).
    ctx: std::sync::Arc<std::sync::OnceLock<Option<std::sync::Arc<WhisperContext>>>>,
    state: Option<WhisperState>,
    model_path: PathBuf,
    flash_attn: bool,
}

impl Ear {
    fn new(model_path: &Path, facts: &ModelFacts, options: &DecodeOptions) -> Option<Ear> {
        (options.clinical_ear && facts.size_name() == "tiny" && facts.english_only()).then(|| Ear {
            ctx: std::sync::Arc::default(),
            state: None,
            model_path: model_path.to_owned(),
            flash_attn: options.flash_attn,
        })
    }

    /// Another ear over the same adapted model (made or not yet), with its own state.
    fn fork(&self) -> Ear {
        Ear {
            ctx: self.ctx.clone(),
            state: None,
            model_path: self.model_path.clone(),
            flash_attn: self.flash_attn,
        }
    }

    /// The ear's model and decoding state, made now if not yet; `None` where it cannot be.
    pub(crate) fn ready(&mut self) -> Option<(&WhisperContext, &mut WhisperState)> {
        let ctx = self
            .ctx
            .get_or_init(|| adapted_context(&self.model_path, self.flash_attn))
            .as_ref()?;
        if self.state.is_none() {
            match ctx.create_state() {
                Ok(state) => self.state = Some(state),
                Err(e) => {
                    tracing::warn!("the clinical ear has no decoding state ({e:?}): not asked");
                    return None;
                }
            }
        }
        Some((&**ctx, self.state.as_mut()?))
    }
}

/// tiny.en at `path` with the clinical adapter, loaded from memory.
fn adapted_context(path: &Path, flash_attn: bool) -> Option<std::sync::Arc<WhisperContext>> {
    use crate::asr::model::adapt::{adapted_bytes, Adapter, CLINICAL};
    // The cross-attention's keys and values over the audio stay tiny.en's, so that the ear
    // reads tiny.en's encoding of a clip (no encoding of its own).
    let built = Adapter::parse(CLINICAL).and_then(|a| {
        let a = a.without(|name| {
            name.contains(".cross_attn.key.") || name.contains(".cross_attn.value.")
        });
        adapted_bytes(path, &a)
    });
    let bytes = match built {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::debug!("no clinical ear: {e:#}");
            return None;
        }
    };
    let mut params = WhisperContextParameters::default();
    params.flash_attn(flash_attn);
    match WhisperContext::new_from_buffer_with_params(&bytes, params) {
        Ok(ctx) => Some(std::sync::Arc::new(ctx)),
        Err(e) => {
            tracing::warn!(
                "the clinical ear could not be loaded ({e:?}): checking terms without it"
            );
            None
        }
    }
}

impl Transcriber {
    /// Checks and loads the model at `path`.
    pub fn load(path: &Path, options: DecodeOptions) -> Result<Self> {
        // whisper.cpp prints to stderr; route its chatter through `tracing` instead.
        LOG_HOOKS.call_once(whisper_rs::install_logging_hooks);
        tracing::debug!("whisper.cpp: {}", build_info());
        let facts = ggml::check(path)?;
        let mut params = WhisperContextParameters::default();
        params.flash_attn(options.flash_attn);
        let ctx = WhisperContext::new_with_params(path, params)
            .map_err(|e| anyhow::anyhow!("{e:?}"))
            .with_context(|| {
                format!(
                    "whisper.cpp could not load model `{}`; fetch it again",
                    path.display()
                )
            })?;
        let state = ctx
            .create_state()
            .map_err(|e| anyhow::anyhow!("{e:?}"))
            .context("whisper.cpp could not allocate its decoding state (out of memory?)")?;
        let ear = Ear::new(path, &facts, &options);
        Ok(Transcriber {
            ctx: std::sync::Arc::new(ctx),
            state,
            model_path: path.to_owned(),
            facts,
            options,
            silence: None,
            ear,
            windows: Vec::new(),
            keep_for_ear: false,
        })
    }

    /// Another transcriber over the same loaded model, with its own decoding state and `threads`
    /// threads: for recordings in parallel.
    pub fn fork(&self, threads: usize) -> Result<Transcriber> {
        let state = self
            .ctx
            .create_state()
            .map_err(|e| anyhow::anyhow!("{e:?}"))
            .context("whisper.cpp could not allocate another decoding state (out of memory?)")?;
        Ok(Transcriber {
            ctx: self.ctx.clone(),
            state,
            model_path: self.model_path.clone(),
            facts: self.facts.clone(),
            options: DecodeOptions {
                threads: threads.max(1),
                ..self.options.clone()
            },
            silence: self.silence.clone(),
            ear: self.ear.as_ref().map(Ear::fork),
            windows: Vec::new(),
            keep_for_ear: self.keep_for_ear,
        })
    }

    /// "tiny.en", "base" ...: the model's name as its header gives it.
    pub fn model_name(&self) -> String {
        format!(
            "{}{}",
            self.facts.size_name(),
            if self.facts.english_only() { ".en" } else { "" }
        )
    }

    pub fn model_path(&self) -> &Path {
        &self.model_path
    }

    /// Does the model have a clinical ear (`Ear`: tiny.en with the clinical adapter)? It is
    /// made the first time it is asked for.
    pub fn has_clinical_ear(&self) -> bool {
        self.ear.is_some()
    }

    pub fn facts(&self) -> &ModelFacts {
        &self.facts
    }

    /// What forced decoding needs: the model, this transcriber's decoding state, the thread
    /// count, whether the model is English-only, and the encoded silence once made.
    pub(crate) fn scoring_parts(&mut self) -> ScoringParts<'_> {
        let silence_file = if self.silence.is_none() {
            crate::asr::silence::cache_file(
                &self.model_path,
                self.options.threads,
                self.options.flash_attn,
                &build_info(),
            )
        } else {
            None
        };
        ScoringParts {
            ctx: &self.ctx,
            state: &mut self.state,
            threads: self.options.threads,
            english_only: self.facts.english_only(),
            silence: &mut self.silence,
            silence_file,
            ear: self.ear.as_mut(),
            windows: &self.windows,
        }
    }

    pub fn options(&self) -> &DecodeOptions {
        &self.options
    }

    /// Transcribes 16 kHz mono samples as the start of a recording: nothing the state heard
    /// before conditions the decoder, only the configured prompt.
    ///
    /// whisper.cpp keeps the text it last decoded in the state and, unless told otherwise, gives
    /// it to the next call as the text said before: one patient's words would prime the next
    /// patient's letter, and a recording's words would depend on which recording a worker heard
    /// before it.
    pub fn transcribe(&mut self, samples: &[f32]) -> Result<Transcript> {
        self.transcribe_with(samples, Carry::Fresh, None)
    }

    /// Transcribes 16 kHz mono samples that follow, in the same recording, what this transcriber
    /// heard last: the decoder is primed with the end of that text, as whisper.cpp does between
    /// its own 30-second windows.
    pub fn transcribe_more(&mut self, samples: &[f32]) -> Result<Transcript> {
        self.transcribe_with(samples, Carry::Continue, None)
    }

    /// Whether [`Self::transcribe_piece`] keeps the first pass's encodings for the clinical ear
    /// (the terms pass reads them again; a bare transcript has no use for them). Off at first.
    pub fn keep_windows_for_ear(&mut self, keep: bool) {
        self.keep_for_ear = keep;
    }

    /// Transcribes a piece of a recording that starts `start` seconds into it: afresh at its
    /// start ([`Self::transcribe`]), else carrying on ([`Self::transcribe_more`]). Where the
    /// model has a clinical ear and [`Self::keep_windows_for_ear`] asked for it, the encodings of
    /// the piece's 30-second windows are kept for it (up to [`KEPT_WINDOW_BYTES`] a recording; a
    /// recording's start forgets the last recording's).
    pub fn transcribe_piece(&mut self, samples: &[f32], start: f64) -> Result<Transcript> {
        let carry = if start <= 0.0 {
            Carry::Fresh
        } else {
            Carry::Continue
        };
        self.transcribe_with(samples, carry, self.keep_for_ear.then_some(start))
    }

    /// The first pass's windows of the current recording whose encodings are kept: where each
    /// starts and ends, seconds.
    pub fn kept_windows(&self) -> Vec<(f64, f64)> {
        self.windows.iter().map(|w| (w.start, w.end)).collect()
    }

    /// Where this transcriber's model time went since it was loaded.
    pub fn time_split(&self) -> TimeSplit {
        let t = self.state.timings();
        let count = |n: i32| u32::try_from(n).unwrap_or(0);
        TimeSplit {
            mel: t.mel_ms / 1e3,
            encoder: t.encode_ms / 1e3,
            windows: count(t.n_encode),
            decoder: t.decode_ms / 1e3,
            tokens: count(t.n_decode),
            batches: (t.batchd_ms + t.prompt_ms) / 1e3,
            sampling: t.sample_ms / 1e3,
            fallbacks: count(t.n_fallback),
        }
    }

    /// Transcribes `samples`; where `keep` gives where they start in the recording (seconds),
    /// keeps the encodings of the windows whisper.cpp hears them in (where the model has a
    /// clinical ear and the recording's [`KEPT_WINDOW_BYTES`] are not used up).
    fn transcribe_with(
        &mut self,
        samples: &[f32],
        carry: Carry,
        keep: Option<f64>,
    ) -> Result<Transcript> {
        let prompt = self.options.initial_prompt.clone();
        let strategy = match self.options.beam_size {
            Some(beam_size) => SamplingStrategy::BeamSearch {
                beam_size: beam_size as i32,
                patience: -1.0,
            },
            None => SamplingStrategy::Greedy { best_of: 1 },
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(self.options.threads as i32);
        if !self.facts.english_only() {
            params.set_language(Some("en"));
        }
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params.set_suppress_blank(true);
        params.set_token_timestamps(true);
        params.set_no_context(carry == Carry::Fresh);
        if let Some(prompt) = prompt.as_deref() {
            params.set_initial_prompt(prompt);
        }
        if carry == Carry::Fresh {
            // A new recording: the last one's windows are no use.
            self.windows.clear();
        }
        let keep = keep.filter(|_| self.ear.is_some() && self.kept_bytes() < KEPT_WINDOW_BYTES);
        self.state.keep_encodings(keep.is_some());
        let done = self.state.full(params, samples);
        if let (Some(start), Ok(_)) = (keep, &done) {
            self.keep_windows(start, samples.len());
        }
        self.state.keep_encodings(false);
        done.map_err(|e| anyhow::anyhow!("{e:?}"))
            .context("whisper.cpp failed to transcribe the audio")?;
        Ok(self.collect())
    }

    /// The bytes of the first pass's encodings kept for the current recording.
    fn kept_bytes(&self) -> usize {
        self.windows.iter().map(|w| w.encoding.len()).sum()
    }

    /// Takes the encodings whisper.cpp kept while hearing `n` samples that start `start`
    /// seconds into the recording, as many as [`KEPT_WINDOW_BYTES`] allows.
    fn keep_windows(&mut self, start: f64, n: usize) {
        let kept = match self.state.take_kept_encodings() {
            Ok(kept) => kept,
            Err(e) => {
                tracing::debug!("the first pass's encodings could not be kept ({e:?})");
                return;
            }
        };
        let rate = f64::from(crate::audio::SAMPLE_RATE);
        let audio_end = start + n as f64 / rate;
        let mut bytes = self.kept_bytes();
        for (frame, encoding) in kept {
            if bytes + encoding.len() > KEPT_WINDOW_BYTES {
                break;
            }
            bytes += encoding.len();
            let from = start + frame as f64 / 100.0;
            self.windows.push(FirstPassWindow {
                start: from,
                end: (from + 30.0).min(audio_end),
                encoding,
            });
        }
    }

    fn collect(&self) -> Transcript {
        let mut segments = Vec::new();
        for seg in self.state.as_iter() {
            let mut tokens = Vec::new();
            let mut text_bytes = Vec::new();
            for i in 0..seg.n_tokens() {
                let Some(tok) = seg.get_token(i) else {
                    continue;
                };
                let data = tok.token_data();
                // Special and timestamp tokens come after end-of-text in the vocabulary.
                if data.id >= self.ctx.token_eot() {
                    continue;
                }
                let bytes = tok.to_bytes().unwrap_or_default();
                text_bytes.extend_from_slice(bytes);
                tokens.push(Token {
                    text: String::from_utf8_lossy(bytes).into_owned(),
                    p: data.p,
                    start: data.t0 as f64 / 100.0,
                    end: data.t1 as f64 / 100.0,
                });
            }
            segments.push(Segment {
                start: seg.start_timestamp() as f64 / 100.0,
                end: seg.end_timestamp() as f64 / 100.0,
                text: String::from_utf8_lossy(&text_bytes).trim().to_owned(),
                no_speech_prob: seg.no_speech_probability(),
                tokens,
            });
        }
        Transcript { segments }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_split_reads_as_the_parts_with_their_counts() {
        let mut split = TimeSplit {
            mel: 0.23,
            encoder: 1.404,
            windows: 3,
            decoder: 1.38,
            tokens: 223,
            batches: 0.25,
            sampling: 0.24,
            fallbacks: 0,
        };
        assert_eq!(
            split.to_string(),
            "encoder 1.40 s (3 windows), decoder 1.38 s (223 tokens one at a time) and 0.25 s in \
             batches, log-mel 0.23 s, choosing tokens 0.24 s"
        );
        split.windows = 1;
        split.tokens = 1;
        let line = split.to_string();
        assert!(line.contains("(1 window)"), "{line}");
        assert!(line.contains("(1 token one at a time)"), "{line}");
        assert!(!line.contains("fell back"), "{line}");
        split.fallbacks = 2;
        let line = split.to_string();
        assert!(
            line.ends_with("; the decoder fell back to sampling 2 times"),
            "{line}"
        );
    }

    #[test]
    fn whisper_cpp_is_built_with_blocked_matrix_kernels() {
        // .cargo/config.toml turns on GGML_LLAMAFILE; a target folder built before that holds a
        // whisper.cpp that multiplies matrices row by row, about 1.3x slower (BENCHMARKS.md).
        let info = build_info();
        assert!(
            info.contains("LLAMAFILE = 1"),
            "whisper.cpp was built without GGML_LLAMAFILE ({info}); run `cargo clean -p whisper-rs-sys` and build again"
        );
    }
}
