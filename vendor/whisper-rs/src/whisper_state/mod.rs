use std::ffi::c_int;
use std::sync::Arc;

use crate::{FullParams, WhisperError, WhisperInnerContext, WhisperTokenId};

mod iterator;
mod segment;
mod token;

pub use iterator::WhisperStateSegmentIterator;
pub use segment::WhisperSegment;
pub use token::WhisperToken;

/// Rustified pointer to a Whisper state.
#[derive(Debug)]
pub struct WhisperState {
    ctx: Arc<WhisperInnerContext>,
    ptr: *mut whisper_rs_sys::whisper_state,
}

unsafe impl Send for WhisperState {}

unsafe impl Sync for WhisperState {}

impl Drop for WhisperState {
    fn drop(&mut self) {
        unsafe {
            whisper_rs_sys::whisper_free_state(self.ptr);
        }
    }
}

impl WhisperState {
    /// # Safety
    /// * `ptr` must be non-null
    /// * `ptr` must be a valid pointer to a `whisper_state`.
    pub(crate) unsafe fn new(
        ctx: Arc<WhisperInnerContext>,
        ptr: *mut whisper_rs_sys::whisper_state,
    ) -> Self {
        Self { ctx, ptr }
    }

    /// Convert raw PCM audio (floating point 32 bit) to log mel spectrogram.
    /// The resulting spectrogram is stored in the context transparently.
    ///
    /// # Arguments
    /// * pcm: The raw PCM audio.
    /// * threads: How many threads to use. Defaults to 1. Must be at least 1, returns an error otherwise.
    ///
    /// # Returns
    /// Ok(()) on success, Err(WhisperError) on failure.
    ///
    /// # C++ equivalent
    /// `int whisper_pcm_to_mel(struct whisper_context * ctx, const float * samples, int n_samples, int n_threads)`
    pub fn pcm_to_mel(&mut self, pcm: &[f32], threads: usize) -> Result<(), WhisperError> {
        if threads < 1 {
            return Err(WhisperError::InvalidThreadCount);
        }
        let ret = unsafe {
            whisper_rs_sys::whisper_pcm_to_mel_with_state(
                self.ctx.ctx,
                self.ptr,
                pcm.as_ptr(),
                pcm.len() as c_int,
                threads as c_int,
            )
        };
        if ret == -1 {
            Err(WhisperError::UnableToCalculateSpectrogram)
        } else if ret == 0 {
            Ok(())
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// This can be used to set a custom log mel spectrogram inside the provided whisper state.
    /// Use this instead of whisper_pcm_to_mel() if you want to provide your own log mel spectrogram.
    ///
    /// # Note
    /// This is a low-level function.
    /// If you're a typical user, you probably don't want to use this function.
    /// See instead [WhisperState::pcm_to_mel].
    ///
    /// # Arguments
    /// * data: The log mel spectrogram.
    ///
    /// # Returns
    /// Ok(()) on success, Err(WhisperError) on failure.
    ///
    /// # C++ equivalent
    /// `int whisper_set_mel(struct whisper_context * ctx, const float * data, int n_len, int n_mel)`
    pub fn set_mel(&mut self, data: &[f32]) -> Result<(), WhisperError> {
        let hop_size = 160;
        let n_len = (data.len() / hop_size) * 2;
        let ret = unsafe {
            whisper_rs_sys::whisper_set_mel_with_state(
                self.ctx.ctx,
                self.ptr,
                data.as_ptr(),
                n_len as c_int,
                80 as c_int,
            )
        };
        if ret == -1 {
            Err(WhisperError::InvalidMelBands)
        } else if ret == 0 {
            Ok(())
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// Run the Whisper encoder on the log mel spectrogram stored inside the provided whisper state.
    /// Make sure to call [WhisperState::pcm_to_mel] or [WhisperState::set_mel] first.
    ///
    /// # Arguments
    /// * offset: Can be used to specify the offset of the first frame in the spectrogram. Usually 0.
    /// * threads: How many threads to use. Defaults to 1. Must be at least 1, returns an error otherwise.
    ///
    /// # Returns
    /// Ok(()) on success, Err(WhisperError) on failure.
    ///
    /// # C++ equivalent
    /// `int whisper_encode(struct whisper_context * ctx, int offset, int n_threads)`
    pub fn encode(&mut self, offset: usize, threads: usize) -> Result<(), WhisperError> {
        if threads < 1 {
            return Err(WhisperError::InvalidThreadCount);
        }
        let ret = unsafe {
            whisper_rs_sys::whisper_encode_with_state(
                self.ctx.ctx,
                self.ptr,
                offset as c_int,
                threads as c_int,
            )
        };
        if ret == -1 {
            Err(WhisperError::UnableToCalculateEvaluation)
        } else if ret == 0 {
            Ok(())
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// Run the Whisper decoder to obtain the logits and probabilities for the next token.
    /// Make sure to call [WhisperState::encode] first.
    /// tokens + n_tokens is the provided context for the decoder.
    ///
    /// # Arguments
    /// * tokens: The tokens to decode.
    /// * n_tokens: The number of tokens to decode.
    /// * n_past: The number of past tokens to use for the decoding.
    /// * n_threads: How many threads to use. Defaults to 1. Must be at least 1, returns an error otherwise.
    ///
    /// # Returns
    /// Ok(()) on success, Err(WhisperError) on failure.
    ///
    /// # C++ equivalent
    /// `int whisper_decode(struct whisper_context * ctx, const whisper_token * tokens, int n_tokens, int n_past, int n_threads)`
    pub fn decode(
        &mut self,
        tokens: &[WhisperTokenId],
        n_past: usize,
        threads: usize,
    ) -> Result<(), WhisperError> {
        if threads < 1 {
            return Err(WhisperError::InvalidThreadCount);
        }
        let ret = unsafe {
            whisper_rs_sys::whisper_decode_with_state(
                self.ctx.ctx,
                self.ptr,
                tokens.as_ptr(),
                tokens.len() as c_int,
                n_past as c_int,
                threads as c_int,
            )
        };
        if ret == -1 {
            Err(WhisperError::UnableToCalculateEvaluation)
        } else if ret == 0 {
            Ok(())
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// Like [`Self::decode`], keeping the logits of every token given (not only the last):
    /// read them with [`Self::get_all_logits`]. (dictate: see vendor/README.md.)
    pub fn decode_all(
        &mut self,
        tokens: &[WhisperTokenId],
        n_past: usize,
        threads: usize,
    ) -> Result<(), WhisperError> {
        if threads < 1 {
            return Err(WhisperError::InvalidThreadCount);
        }
        let n_tokens = c_int::try_from(tokens.len()).map_err(|_| WhisperError::GenericError(1))?;
        let n_past = c_int::try_from(n_past).map_err(|_| WhisperError::GenericError(1))?;
        // SAFETY: the pointer and length describe `tokens`; whisper.cpp checks the counts
        // against its text context and copies the tokens into its own batch.
        let ret = unsafe {
            whisper_rs_sys::whisper_decode_all_with_state(
                self.ctx.ctx,
                self.ptr,
                tokens.as_ptr(),
                n_tokens,
                n_past,
                threads as c_int,
            )
        };
        if ret == 0 {
            Ok(())
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// Decodes several texts that each follow the `n_past` tokens decoded before, in one call
    /// (each its own sequence: a text sees the tokens before `n_past` and its own, not the
    /// others'), keeping the logits of every token in the order given: read them with
    /// [`Self::get_all_logits`]. The texts are forgotten afterwards. Fails when they do not fit
    /// the text context together. (dictate: see vendor/README.md.)
    pub fn decode_texts(
        &mut self,
        texts: &[&[WhisperTokenId]],
        n_past: usize,
        threads: usize,
    ) -> Result<(), WhisperError> {
        if threads < 1 {
            return Err(WhisperError::InvalidThreadCount);
        }
        let tokens: Vec<WhisperTokenId> = texts.concat();
        let lens = texts
            .iter()
            .map(|t| c_int::try_from(t.len()))
            .collect::<Result<Vec<c_int>, _>>()
            .map_err(|_| WhisperError::GenericError(1))?;
        let n_texts = c_int::try_from(texts.len()).map_err(|_| WhisperError::GenericError(1))?;
        let n_past = c_int::try_from(n_past).map_err(|_| WhisperError::GenericError(1))?;
        // SAFETY: `tokens` holds the texts one after another and `lens` their lengths, both
        // alive for the call; whisper.cpp checks the counts against its context and batch.
        let ret = unsafe {
            whisper_rs_sys::whisper_decode_texts_with_state(
                self.ctx.ctx,
                self.ptr,
                tokens.as_ptr(),
                lens.as_ptr(),
                n_texts,
                n_past,
                threads as c_int,
            )
        };
        if ret == 0 {
            Ok(())
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// While `on`, the decode calls ([`Self::decode`], [`Self::decode_all`],
    /// [`Self::decode_texts`]) take the vocabulary product from the model's 8-bit copy of its
    /// token embedding; in every row kept, the tokens near the row's best, end of text and the
    /// `exact` tokens are computed again from the f16 weights (read only those exactly; the
    /// others are within about 0.4). Returns whether it is on (off where the model has no copy).
    /// `full` turns it off. (dictate: see vendor/README.md.)
    pub fn set_scoring_q8(&mut self, on: bool, exact: &[WhisperTokenId]) -> bool {
        let n_exact = c_int::try_from(exact.len()).unwrap_or(0);
        // SAFETY: the pointer and length describe `exact` (or less of it), alive for the call;
        // whisper.cpp copies the tokens into the state.
        let ret = unsafe {
            whisper_rs_sys::whisper_set_scoring_q8(
                self.ctx.ctx,
                self.ptr,
                on,
                exact.as_ptr(),
                n_exact,
            )
        };
        ret == 1
    }

    /// As [`Self::decode_texts`], each text following the first `n_past[k]` tokens decoded
    /// before (one per text). (dictate: see vendor/README.md.)
    pub fn decode_texts_at(
        &mut self,
        texts: &[&[WhisperTokenId]],
        n_past: &[usize],
        threads: usize,
    ) -> Result<(), WhisperError> {
        if threads < 1 {
            return Err(WhisperError::InvalidThreadCount);
        }
        if texts.len() != n_past.len() {
            return Err(WhisperError::GenericError(1));
        }
        let tokens: Vec<WhisperTokenId> = texts.concat();
        let lens = texts
            .iter()
            .map(|t| c_int::try_from(t.len()))
            .collect::<Result<Vec<c_int>, _>>()
            .map_err(|_| WhisperError::GenericError(1))?;
        let pasts = n_past
            .iter()
            .map(|&p| c_int::try_from(p))
            .collect::<Result<Vec<c_int>, _>>()
            .map_err(|_| WhisperError::GenericError(1))?;
        let n_texts = c_int::try_from(texts.len()).map_err(|_| WhisperError::GenericError(1))?;
        // SAFETY: `tokens` holds the texts one after another, `lens` their lengths and `pasts`
        // one count per text, all alive for the call; whisper.cpp checks the counts against its
        // context and batch.
        let ret = unsafe {
            whisper_rs_sys::whisper_decode_texts_at_with_state(
                self.ctx.ctx,
                self.ptr,
                tokens.as_ptr(),
                lens.as_ptr(),
                pasts.as_ptr(),
                n_texts,
                threads as c_int,
            )
        };
        if ret == 0 {
            Ok(())
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// Like [`Self::decode`], keeping the logits of the tokens at `rows` (indices into
    /// `tokens`) only: read them with [`Self::get_all_logits`] (one row per token given; the
    /// others hold stale values). (dictate: see vendor/README.md.)
    pub fn decode_rows(
        &mut self,
        tokens: &[WhisperTokenId],
        n_past: usize,
        rows: &[usize],
        threads: usize,
    ) -> Result<(), WhisperError> {
        if threads < 1 {
            return Err(WhisperError::InvalidThreadCount);
        }
        let n_tokens = c_int::try_from(tokens.len()).map_err(|_| WhisperError::GenericError(1))?;
        let n_past = c_int::try_from(n_past).map_err(|_| WhisperError::GenericError(1))?;
        let rows = rows
            .iter()
            .map(|&r| c_int::try_from(r))
            .collect::<Result<Vec<c_int>, _>>()
            .map_err(|_| WhisperError::GenericError(1))?;
        let n_rows = c_int::try_from(rows.len()).map_err(|_| WhisperError::GenericError(1))?;
        // SAFETY: the pointers and lengths describe `tokens` and `rows`, alive for the call;
        // whisper.cpp checks every row against the token count and copies what it keeps.
        let ret = unsafe {
            whisper_rs_sys::whisper_decode_rows_with_state(
                self.ctx.ctx,
                self.ptr,
                tokens.as_ptr(),
                n_tokens,
                n_past,
                rows.as_ptr(),
                n_rows,
                threads as c_int,
            )
        };
        if ret == 0 {
            Ok(())
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// Every row of logits the last decode left, one row of `n_vocab` per token decoded (rows
    /// whisper.cpp was not asked for hold stale values). (dictate.)
    pub fn get_all_logits(&self) -> Result<&[f32], WhisperError> {
        // SAFETY: the state owns a vector of this many floats until its next decode, which
        // needs `&mut self` and so cannot happen while the slice is borrowed.
        let n = unsafe { whisper_rs_sys::whisper_n_logits_from_state(self.ptr) };
        let ret = unsafe { whisper_rs_sys::whisper_get_logits_from_state(self.ptr) };
        if ret.is_null() || n == 0 {
            return Err(WhisperError::NullPointer);
        }
        Ok(unsafe { std::slice::from_raw_parts(ret, n) })
    }

    /// The current encoding as the decoder reads it (the cross-attention keys and values): a
    /// few megabytes to keep and put back with [`Self::set_encoding`]. (dictate.)
    pub fn get_encoding(&self) -> Result<Vec<u8>, WhisperError> {
        // SAFETY: the buffer is exactly the size whisper.cpp reports, and it checks it again.
        let n = unsafe { whisper_rs_sys::whisper_cross_nbytes(self.ptr) };
        let mut out = vec![0u8; n];
        let ret = unsafe {
            whisper_rs_sys::whisper_get_cross(self.ptr, out.as_mut_ptr().cast(), out.len())
        };
        if ret == 0 {
            Ok(out)
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// Puts back an encoding taken with [`Self::get_encoding`] or [`Self::take_kept_encodings`]
    /// from a state of the same model. (dictate.)
    pub fn set_encoding(&mut self, encoding: &[u8]) -> Result<(), WhisperError> {
        // SAFETY: whisper.cpp reads exactly `encoding.len()` bytes, after checking that it is
        // the size of its own buffers.
        let ret = unsafe {
            whisper_rs_sys::whisper_set_cross(self.ptr, encoding.as_ptr().cast(), encoding.len())
        };
        if ret == 0 {
            Ok(())
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// While on, [`Self::full`] keeps every encoding it makes, to be taken with
    /// [`Self::take_kept_encodings`]. Turning it on or off forgets what was kept. (dictate.)
    pub fn keep_encodings(&mut self, keep: bool) {
        // SAFETY: a plain call on the state this value owns.
        unsafe { whisper_rs_sys::whisper_keep_encodings(self.ptr, keep) }
    }

    /// Where this state's time went since it was made: milliseconds in the log-mel spectrogram,
    /// the encoder, the decoder (one token, short batches, long batches) and sampling, with
    /// counts. (dictate.)
    pub fn timings(&self) -> whisper_rs_sys::whisper_state_timings {
        // SAFETY: reads plain fields of the state this value owns.
        unsafe { whisper_rs_sys::whisper_get_state_timings(self.ptr) }
    }

    /// The encodings kept since the last call, each with its offset in the samples given to
    /// [`Self::full`] (10-ms frames). (dictate.)
    pub fn take_kept_encodings(&mut self) -> Result<Vec<(usize, Vec<u8>)>, WhisperError> {
        // SAFETY: plain calls on the state this value owns; each copy goes into a buffer of
        // the size whisper.cpp reports and checks.
        let n = unsafe { whisper_rs_sys::whisper_n_kept(self.ptr) };
        let bytes = unsafe { whisper_rs_sys::whisper_cross_nbytes(self.ptr) };
        let mut out = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
        for i in 0..n {
            let offset = unsafe { whisper_rs_sys::whisper_kept_offset(self.ptr, i) };
            let mut buf = vec![0u8; bytes];
            let ret = unsafe {
                whisper_rs_sys::whisper_kept_copy(self.ptr, i, buf.as_mut_ptr().cast(), buf.len())
            };
            if ret != 0 || offset < 0 {
                return Err(WhisperError::GenericError(1));
            }
            out.push((offset as usize, buf));
        }
        unsafe { whisper_rs_sys::whisper_clear_kept(self.ptr) };
        Ok(out)
    }

    // Language functions
    /// Use mel data at offset_ms to try and auto-detect the spoken language
    /// Make sure to call [`Self::pcm_to_mel`] or [`Self::set_mel`] first
    ///
    /// # Arguments
    /// * `offset_ms`: The offset in milliseconds to use for the language detection.
    /// * `n_threads`: How many threads to use. Defaults to 1. Must be at least 1, returns an error otherwise.
    ///
    /// # Returns
    /// `Ok((i32, Vec<f32>))` on success where the i32 is detected language id and Vec<f32>
    /// is array with the probabilities of all languages, `Err(WhisperError)` on failure.
    ///
    /// # C++ equivalent
    /// `int whisper_lang_auto_detect(struct whisper_context * ctx, int offset_ms, int n_threads, float * lang_probs)`
    pub fn lang_detect(
        &self,
        offset_ms: usize,
        threads: usize,
    ) -> Result<(i32, Vec<f32>), WhisperError> {
        if threads < 1 {
            return Err(WhisperError::InvalidThreadCount);
        }

        let mut lang_probs: Vec<f32> = vec![0.0; crate::standalone::get_lang_max_id() as usize + 1];
        let ret = unsafe {
            whisper_rs_sys::whisper_lang_auto_detect_with_state(
                self.ctx.ctx,
                self.ptr,
                offset_ms as c_int,
                threads as c_int,
                lang_probs.as_mut_ptr(),
            )
        };
        if ret < 0 {
            Err(WhisperError::GenericError(ret))
        } else {
            Ok((ret as i32, lang_probs))
        }
    }

    // logit functions
    /// Gets logits obtained from the last call to [WhisperState::decode].
    /// As of whisper.cpp 1.4.1, only a single row of logits is available, corresponding to the last token in the input.
    ///
    /// # Returns
    /// A slice of logits with length equal to n_vocab.
    ///
    /// # C++ equivalent
    /// `float * whisper_get_logits(struct whisper_context * ctx)`
    pub fn get_logits(&self) -> Result<&[f32], WhisperError> {
        let ret = unsafe { whisper_rs_sys::whisper_get_logits_from_state(self.ptr) };
        if ret.is_null() {
            return Err(WhisperError::NullPointer);
        }
        let n_vocab = self.n_vocab();
        Ok(unsafe { std::slice::from_raw_parts(ret, n_vocab as usize) })
    }

    // model attributes
    /// Get the mel spectrogram length.
    ///
    /// # Returns
    /// Ok(c_int) on success, Err(WhisperError) on failure.
    ///
    /// # C++ equivalent
    /// `int whisper_n_len_from_state(struct whisper_context * ctx)`
    pub fn n_len(&self) -> c_int {
        unsafe { whisper_rs_sys::whisper_n_len_from_state(self.ptr) }
    }

    /// Get n_vocab.
    ///
    /// # Returns
    /// c_int
    ///
    /// # C++ equivalent
    /// `int whisper_n_vocab        (struct whisper_context * ctx)`
    pub fn n_vocab(&self) -> c_int {
        unsafe { whisper_rs_sys::whisper_n_vocab(self.ctx.ctx) }
    }

    /// Run the entire model: PCM -> log mel spectrogram -> encoder -> decoder -> text
    /// Uses the specified decoding strategy to obtain the text.
    ///
    /// This is usually the only function you need to call as an end user.
    ///
    /// # Arguments
    /// * params: [crate::FullParams] struct.
    /// * pcm: raw PCM audio data, 32 bit floating point at a sample rate of 16 kHz, 1 channel.
    ///   See utilities in the root of this crate for functions to convert audio to this format.
    ///
    /// # Returns
    /// Ok(()) on success, Err(WhisperError) on failure.
    ///
    /// # C++ equivalent
    /// `int whisper_full_with_state(
    ///                 struct whisper_context * ctx,
    ///                   struct whisper_state * state,
    ///             struct whisper_full_params   params,
    ///                            const float * samples,
    ///                                    int   n_samples)`
    pub fn full(&mut self, params: FullParams, data: &[f32]) -> Result<(), WhisperError> {
        if data.is_empty() {
            // can randomly trigger segmentation faults if we don't check this
            return Err(WhisperError::NoSamples);
        }

        let ret = unsafe {
            whisper_rs_sys::whisper_full_with_state(
                self.ctx.ctx,
                self.ptr,
                params.fp,
                data.as_ptr(),
                data.len() as c_int,
            )
        };
        if ret == -1 {
            Err(WhisperError::UnableToCalculateSpectrogram)
        } else if ret == 7 {
            Err(WhisperError::FailedToEncode)
        } else if ret == 8 {
            Err(WhisperError::FailedToDecode)
        } else if ret == 0 {
            Ok(())
        } else {
            Err(WhisperError::GenericError(ret))
        }
    }

    /// Number of generated text segments.
    /// A segment can be a few words, a sentence, or even a paragraph.
    ///
    /// # C++ equivalent
    /// `int whisper_full_n_segments(struct whisper_context * ctx)`
    pub fn full_n_segments(&self) -> c_int {
        unsafe { whisper_rs_sys::whisper_full_n_segments_from_state(self.ptr) }
    }

    /// Language ID associated with the provided state.
    ///
    /// # C++ equivalent
    /// `int whisper_full_lang_id_from_state(struct whisper_state * state);`
    pub fn full_lang_id_from_state(&self) -> c_int {
        unsafe { whisper_rs_sys::whisper_full_lang_id_from_state(self.ptr) }
    }

    fn segment_in_bounds(&self, segment: c_int) -> bool {
        segment >= 0 && segment < self.full_n_segments()
    }

    /// Get a [`WhisperSegment`] object for the specified segment index.
    ///
    /// # Returns
    /// `Some(WhisperSegment)` if `segment` is in bounds, otherwise [`None`].
    pub fn get_segment(&self, segment: c_int) -> Option<WhisperSegment<'_>> {
        self.segment_in_bounds(segment)
            .then(|| unsafe { WhisperSegment::new_unchecked(self, segment) })
    }

    /// Get a [`WhisperSegment`] object for the specified segment index.
    ///
    /// # Safety
    /// You must ensure `segment` is in bounds for this [`WhisperState`].
    pub unsafe fn get_segment_unchecked(&self, segment: c_int) -> WhisperSegment<'_> {
        WhisperSegment::new_unchecked(self, segment)
    }

    /// Get an iterator over all segments.
    pub fn as_iter(&self) -> WhisperStateSegmentIterator<'_> {
        WhisperStateSegmentIterator::new(self)
    }
}
