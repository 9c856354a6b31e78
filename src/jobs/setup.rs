//! What every job needs, loaded once before the first recording: the model, the terminology
//! lexicon (the two in parallel), and today's date for the letters. A bad model or lexicon stops
//! the run here, before any work is done.

use anyhow::Result;

use crate::asr::transcribe::Transcriber;
use crate::config::Config;
use crate::text::terms::Lexicon;

/// The terminology pass's lexicon: the built-in lists, the system's medical word list, the
/// config's and command line's vocabulary files. `None` when the pass is off.
pub fn load_lexicon(config: &Config) -> Result<Option<Lexicon>> {
    let tc = &config.terms;
    if !tc.enabled {
        return Ok(None);
    }
    let mut lex = Lexicon::builtin();
    if tc.medical_dictionary.is_file() || tc.medical_dictionary_named {
        lex.add_medical_dictionary(&tc.medical_dictionary)?;
    } else {
        tracing::warn!(
            "medical word list `{}` is not installed (Debian package hunspell-en-med; \
             ./scripts/setup.sh installs it): terminology corrections use the built-in lists only",
            tc.medical_dictionary.display()
        );
    }
    for path in &tc.vocabulary {
        let n = lex.add_vocabulary(path)?;
        tracing::info!(file = %path.display(), terms = n, "vocabulary loaded");
    }
    Ok(Some(lex))
}

/// Loads the lexicon on a second thread while the model loads (the model is mostly reading a
/// file; the lexicon is mostly CPU): a one-recording run does not wait for both in turn.
pub fn load_both(config: &Config) -> (Result<Option<Lexicon>>, Result<Transcriber>) {
    std::thread::scope(|s| {
        let lexicon = s.spawn(|| load_lexicon(config));
        let transcriber = load_transcriber(config);
        let lexicon = lexicon
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("loading the terminology lexicon failed")));
        (lexicon, transcriber)
    })
}

pub fn load_transcriber(config: &Config) -> Result<Transcriber> {
    config.check_model_exists()?;
    Transcriber::load(&config.model, config.decode.clone())
}

/// The letters' date: today, in local time where the system knows its offset.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_local()
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .date()
}
