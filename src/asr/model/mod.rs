//! Whisper models: finding the one to use, fetching, importing and checking model files.

pub mod adapt;
pub mod catalog;
pub mod ct2;
pub mod fetch;
pub mod ggml;
pub mod import;
pub mod quantize;

/// Where the model is looked for when nothing else says.
pub const DEFAULT_MODEL: &str = "models/ggml-tiny.en.bin";

/// What to tell a user who has no model.
pub fn how_to_get_one() -> &'static str {
    "get one with `dictate model fetch tiny.en` (or run scripts/setup.sh), or point --model, \
     DICTATE_MODEL or `model` in the config file at a ggml model file"
}
