//! The validated, clap-free configuration of a run. Precedence: command line > environment >
//! config file > defaults. Nothing below this layer knows where a setting came from.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::asr::model;
use crate::asr::transcribe::{default_threads, DecodeOptions};
use crate::fsio::Access;

/// The config file (TOML). Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Path of the ggml model file.
    pub model: Option<PathBuf>,
    pub threads: Option<usize>,
    /// Beam width; absent or 1 for greedy decoding.
    pub beam_size: Option<usize>,
    /// A folder of templates overriding the built-in ones.
    pub templates: Option<PathBuf>,
    /// whisper.cpp's flash attention.
    pub flash_attn: Option<bool>,
    /// The clinical ear in the terms pass's checks (default on with tiny.en).
    pub clinical_ear: Option<bool>,
    /// Vocabulary files of the site's or clinicians' own terms.
    #[serde(default)]
    pub vocabulary: Vec<PathBuf>,
    /// A hunspell medical word list; default /usr/share/hunspell/en_med_glut.dic where installed.
    pub medical_dictionary: Option<PathBuf>,
    /// The terminology pass on (default) or off.
    pub terms: Option<bool>,
    /// Text Whisper's decoding starts from.
    pub prompt: Option<String>,
    /// The practice or department: letterhead.
    pub practice: Option<crate::letter::site::Practice>,
    /// The letterhead's logo.
    pub letterhead: Option<crate::letter::site::Letterhead>,
    /// A Word document whose styles, page set-up, header and footer the letters take.
    pub reference_docx: Option<PathBuf>,
    /// Clinicians and their signature blocks.
    #[serde(default)]
    pub clinicians: Vec<crate::letter::site::Clinician>,
    /// The people letters go to, with their addresses.
    #[serde(default)]
    pub directory: Vec<crate::letter::site::Contact>,
    /// Copy every letter to the patient.
    pub cc_patient: Option<bool>,
    /// Copies every letter goes to.
    #[serde(default)]
    pub cc: Vec<String>,
    /// "long" (25 November 2026) or "numeric" (25/11/2026).
    pub date_format: Option<String>,
    /// The review desk: its keys, and where the secretary's new terms go.
    #[serde(default)]
    pub desk: DeskConfig,
    /// Who besides the user dictate runs as may read what it writes.
    #[serde(default)]
    pub access: AccessConfig,
}

/// `[access]` in the config: groups that may read what dictate writes. Without them everything
/// it writes is its own user's only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessConfig {
    /// May read the letters folder: letters, records, the batch report, `review/` and
    /// `approved/`, and the watched inbox's `archive/`.
    pub letters_group: Option<String>,
    /// May read the watched inbox's `failed/` folder and its `.error.txt` files.
    pub failed_group: Option<String>,
}

/// [`AccessConfig`] resolved: the groups looked up and checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputAccess {
    /// The letters folder and what is in it; the archive.
    pub letters: Access,
    /// The failed folder and its error files.
    pub failed: Access,
}

/// `[desk]` in the config: the review desk's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeskConfig {
    /// The vocabulary file the terms accepted at the desk are added to; default the first of
    /// `vocabulary`.
    pub vocabulary: Option<PathBuf>,
    /// Playback keys, e.g. `play_pause = "F9"` for a foot pedal that sends F9.
    #[serde(default)]
    pub keys: DeskKeys,
}

/// The desk's playback keys, each a key as the browser names it (`F9`, `Space`, `ArrowLeft`, a
/// letter) with `Ctrl+`, `Alt+`, `Shift+` or `Meta+` before it as needed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeskKeys {
    pub play_pause: String,
    pub back: String,
    pub forward: String,
    pub slower: String,
    pub faster: String,
}

impl Default for DeskKeys {
    fn default() -> Self {
        DeskKeys {
            play_pause: "Ctrl+Space".into(),
            back: "Ctrl+ArrowLeft".into(),
            forward: "Ctrl+ArrowRight".into(),
            slower: "Ctrl+ArrowDown".into(),
            faster: "Ctrl+ArrowUp".into(),
        }
    }
}

impl DeskKeys {
    /// Fails on a key the desk could not match, naming it and saying how to write one.
    pub fn check(&self) -> Result<()> {
        let all = [
            ("play_pause", &self.play_pause),
            ("back", &self.back),
            ("forward", &self.forward),
            ("slower", &self.slower),
            ("faster", &self.faster),
        ];
        for (name, combo) in all {
            let mut parts: Vec<&str> = combo.split('+').map(str::trim).collect();
            let key = parts.pop().unwrap_or("");
            let modifiers_fine = parts
                .iter()
                .all(|m| matches!(*m, "Ctrl" | "Alt" | "Shift" | "Meta"));
            let key_fine = key.chars().count() == 1 && !key.trim().is_empty()
                || (key.len() > 1 && key.chars().all(|c| c.is_ascii_alphanumeric()));
            anyhow::ensure!(
                modifiers_fine && key_fine,
                "desk.keys.{name} = \"{combo}\" in the config is not a key: write a key as the \
                 browser names it (F9, Space, ArrowLeft, p), with Ctrl+, Alt+, Shift+ or Meta+ \
                 before it as needed"
            );
        }
        for (i, (a, ka)) in all.iter().enumerate() {
            if let Some((b, _)) = all[i + 1..].iter().find(|(_, kb)| kb == ka) {
                anyhow::bail!(
                    "desk.keys.{a} and desk.keys.{b} are both \"{ka}\": give each its own key"
                );
            }
        }
        Ok(())
    }
}

impl FileConfig {
    /// Reads the config file named by `--config`, else `DICTATE_CONFIG`, else the first there
    /// of [`config_places`] (`./dictate.toml`, the user's, the machine's).
    pub fn find(explicit: Option<&Path>) -> Result<(Option<PathBuf>, FileConfig)> {
        let path = match explicit {
            Some(p) => Some(p.to_owned()),
            None => match std::env::var_os("DICTATE_CONFIG") {
                Some(p) => Some(PathBuf::from(p)),
                None => config_places().into_iter().find(|p| p.is_file()),
            },
        };
        let Some(path) = path else {
            return Ok((None, FileConfig::default()));
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config file `{}`", path.display()))?;
        let config: FileConfig = serde_path_to_error::deserialize(toml::Deserializer::new(&text))
            .map_err(|e| {
            // A new error, not a context on toml's: its message quotes the value and the line.
            anyhow::anyhow!(
                "config file `{}` is not valid: {}",
                path.display(),
                describe_toml_error(&e, &text)
            )
        })?;
        if let Some(key) = toml::from_str::<toml::Value>(&text)
            .ok()
            .and_then(|v| unshowable_at(&v, ""))
        {
            anyhow::bail!(
                "config file `{}` is not valid: `{key}` holds a control or text-direction \
                 character (written as an escape such as \\u000b), which a letter cannot show: \
                 remove it",
                path.display()
            );
        }
        // Relative paths in a config file are relative to the file, not to wherever dictate runs.
        let base = path.parent().unwrap_or(Path::new("."));
        let rel = |p: Option<PathBuf>| p.map(|p| if p.is_relative() { base.join(p) } else { p });
        Ok((
            Some(path.clone()),
            FileConfig {
                model: rel(config.model),
                templates: rel(config.templates),
                reference_docx: rel(config.reference_docx),
                letterhead: config
                    .letterhead
                    .clone()
                    .map(|l| crate::letter::site::Letterhead {
                        logo: rel(l.logo),
                        ..l
                    }),
                medical_dictionary: rel(config.medical_dictionary),
                desk: DeskConfig {
                    vocabulary: rel(config.desk.vocabulary.clone()),
                    ..config.desk.clone()
                },
                vocabulary: config
                    .vocabulary
                    .iter()
                    .map(|p| rel(Some(p.clone())).unwrap_or_default())
                    .collect(),
                ..config
            },
        ))
    }
}

/// Where a config file is looked for when none is named, in order: `./dictate.toml`,
/// `$XDG_CONFIG_HOME/dictate/config.toml` (default `~/.config/dictate/config.toml`),
/// `/etc/dictate/config.toml`.
pub fn config_places() -> Vec<PathBuf> {
    let mut places = vec![PathBuf::from("dictate.toml")];
    if let Some(dir) = xdg_dir("XDG_CONFIG_HOME", ".config") {
        places.push(dir.join("dictate/config.toml"));
    }
    places.push(PathBuf::from("/etc/dictate/config.toml"));
    places
}

/// Where the default model (`ggml-tiny.en.bin`) is looked for when nothing names one, in order:
/// `./models/`, `$XDG_DATA_HOME/dictate/models/` (default `~/.local/share/dictate/models/`),
/// `/var/lib/dictate/models/` (the Debian package's).
pub fn model_places() -> Vec<PathBuf> {
    let file = Path::new(model::DEFAULT_MODEL)
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut places = vec![PathBuf::from(model::DEFAULT_MODEL)];
    if let Some(dir) = xdg_dir("XDG_DATA_HOME", ".local/share") {
        places.push(dir.join("dictate/models").join(&file));
    }
    places.push(Path::new("/var/lib/dictate/models").join(&file));
    places
}

/// An XDG base folder: the variable if set to an absolute path, else `$HOME/<fallback>`.
fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    match std::env::var_os(var).map(PathBuf::from) {
        Some(p) if p.is_absolute() => Some(p),
        _ => std::env::var_os("HOME")
            .map(PathBuf::from)
            .filter(|h| h.is_absolute())
            .map(|h| h.join(fallback)),
    }
}

/// Settings given on the command line (`None` where not given).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub model: Option<PathBuf>,
    pub threads: Option<usize>,
    pub beam_size: Option<usize>,
    /// `Some(true)` when --flash-attn was given.
    pub flash_attn: Option<bool>,
    /// --vocabulary files (added to the config file's).
    pub vocabulary: Vec<PathBuf>,
    /// --no-terms.
    pub no_terms: bool,
    /// --prompt.
    pub prompt: Option<String>,
    /// No notes or summaries on stderr.
    pub quiet: bool,
}

/// Where the model comes from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    Flag,
    Env,
    ConfigFile(PathBuf),
    Default,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The config file read, if any.
    pub file: Option<PathBuf>,
    pub model: PathBuf,
    pub model_source: ModelSource,
    pub decode: DecodeOptions,
    pub templates: Option<PathBuf>,
    pub terms: TermsConfig,
    /// Letterhead, clinicians, copy rules.
    pub site: crate::letter::site::Site,
    /// The review desk's keys and the vocabulary file its accepted terms go to (resolved: the
    /// `[desk]` one, else the first vocabulary file).
    pub desk: DeskConfig,
    /// The groups that may read the outputs, by name ([`Config::output_access`] checks them).
    pub access: AccessConfig,
}

/// The terminology pass's settings.
#[derive(Debug, Clone)]
pub struct TermsConfig {
    pub enabled: bool,
    pub vocabulary: Vec<PathBuf>,
    /// The medical word list to read, and whether the user named it (a named one must exist; the
    /// default is used where installed).
    pub medical_dictionary: PathBuf,
    pub medical_dictionary_named: bool,
}

/// Debian's hunspell-en-med word list.
pub const DEFAULT_MEDICAL_DICTIONARY: &str = "/usr/share/hunspell/en_med_glut.dic";

impl Config {
    /// Resolves every setting.
    pub fn resolve(o: &Overrides) -> Result<Config> {
        let (file_path, file) = FileConfig::find(o.config.as_deref())?;
        let env_model = std::env::var_os("DICTATE_MODEL").map(PathBuf::from);
        let (model, model_source) = if let Some(m) = &o.model {
            (m.clone(), ModelSource::Flag)
        } else if let Some(m) = env_model {
            (m, ModelSource::Env)
        } else if let (Some(m), Some(f)) = (&file.model, &file_path) {
            (m.clone(), ModelSource::ConfigFile(f.clone()))
        } else {
            let places = model_places();
            let found = places.iter().find(|p| p.is_file()).cloned();
            (
                found.unwrap_or_else(|| places[0].clone()),
                ModelSource::Default,
            )
        };
        let env_threads =
            match std::env::var("DICTATE_THREADS") {
                Ok(v) => Some(v.parse::<usize>().with_context(|| {
                    format!("DICTATE_THREADS must be a whole number, not `{v}`")
                })?),
                Err(_) => None,
            };
        let threads = o
            .threads
            .or(env_threads)
            .or(file.threads)
            .unwrap_or_else(default_threads);
        anyhow::ensure!(threads >= 1, "threads must be at least 1");
        let beam_size = o.beam_size.or(file.beam_size).filter(|&b| b > 1);
        if let Some(f) = &file.date_format {
            anyhow::ensure!(
                matches!(f.as_str(), "long" | "numeric"),
                "date_format = \"{f}\" in the config: use \"long\" (25 November 2026) or \
                 \"numeric\" (25/11/2026)"
            );
        }
        file.desk.keys.check()?;
        let desk = DeskConfig {
            vocabulary: file
                .desk
                .vocabulary
                .clone()
                .or_else(|| file.vocabulary.first().cloned()),
            keys: file.desk.keys.clone(),
        };
        Ok(Config {
            file: file_path.clone(),
            desk,
            access: file.access,
            model,
            model_source,
            decode: DecodeOptions {
                threads,
                beam_size,
                initial_prompt: o
                    .prompt
                    .clone()
                    .or(file.prompt)
                    .filter(|p| !p.trim().is_empty()),
                flash_attn: o.flash_attn.or(file.flash_attn).unwrap_or(false),
                // DICTATE_NO_CLINICAL_EAR: for bench/ rows with and without it.
                clinical_ear: file.clinical_ear.unwrap_or(true)
                    && std::env::var_os("DICTATE_NO_CLINICAL_EAR").is_none(),
            },
            templates: file.templates,
            site: crate::letter::site::Site {
                practice: file.practice,
                clinicians: file.clinicians,
                directory: file.directory,
                cc_patient: file.cc_patient.unwrap_or(false),
                cc: file.cc,
                date_format: file.date_format,
                look: std::sync::Arc::new(crate::letter::site::Look::load(
                    file.letterhead.as_ref().and_then(|l| l.logo.as_deref()),
                    file.letterhead.as_ref().and_then(|l| l.logo_width_mm),
                    file.reference_docx.as_deref(),
                )?),
            },
            terms: TermsConfig {
                enabled: !o.no_terms && file.terms.unwrap_or(true),
                vocabulary: file
                    .vocabulary
                    .into_iter()
                    .chain(o.vocabulary.iter().cloned())
                    .collect(),
                medical_dictionary_named: file.medical_dictionary.is_some(),
                medical_dictionary: file
                    .medical_dictionary
                    .unwrap_or_else(|| PathBuf::from(DEFAULT_MEDICAL_DICTIONARY)),
            },
        })
    }

    /// Who may read each kind of output: the `[access]` groups looked up, and checked to be ones
    /// this user may give files to. Commands that write letters call it before any work, so a
    /// wrong group stops the run at its start, not file by file; the others never need it.
    pub fn output_access(&self) -> Result<OutputAccess> {
        let group = |name: &Option<String>, setting: &str| {
            name.as_deref()
                .map_or(Ok(Access::PRIVATE), |n| Access::group(n, setting))
        };
        Ok(OutputAccess {
            letters: group(&self.access.letters_group, "access.letters_group")?,
            failed: group(&self.access.failed_group, "access.failed_group")?,
        })
    }

    /// Fails with a message that says where the model path came from and how to get a model.
    pub fn check_model_exists(&self) -> Result<()> {
        if self.model.is_file() {
            return Ok(());
        }
        let from = match &self.model_source {
            ModelSource::Flag => "given by --model".to_owned(),
            ModelSource::Env => "given by DICTATE_MODEL".to_owned(),
            ModelSource::ConfigFile(f) => format!("given in `{}`", f.display()),
            ModelSource::Default => format!(
                "the default; also looked for in {}",
                model_places()[1..]
                    .iter()
                    .map(|p| format!("`{}`", p.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        anyhow::bail!(
            "no model at `{}` ({from}); {}",
            self.model.display(),
            model::how_to_get_one()
        )
    }
}

/// The key of the first string in `value` holding a character a letter must not carry
/// ([`crate::text::unshowable`]); TOML allows them written as escapes.
fn unshowable_at(value: &toml::Value, at: &str) -> Option<String> {
    let join = |k: &str| {
        if at.is_empty() {
            k.to_owned()
        } else {
            format!("{at}.{k}")
        }
    };
    match value {
        toml::Value::String(s) => s
            .chars()
            .any(crate::text::unshowable)
            .then(|| at.to_owned()),
        toml::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| unshowable_at(v, &format!("{at}[{i}]"))),
        toml::Value::Table(t) => t.iter().find_map(|(k, v)| unshowable_at(v, &join(k))),
        _ => None,
    }
}

/// What is wrong with a config file, by field and line, without the value (a config may hold a
/// site's details; errors go to logs).
fn describe_toml_error(e: &serde_path_to_error::Error<toml::de::Error>, text: &str) -> String {
    let inner = e.inner();
    let line = inner
        .span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
    let at = line.map_or_else(String::new, |l| format!(" (line {l})"));
    let path = e.path().to_string();
    let message = inner.message().trim().replace('\n', "; ");
    match message.split_once(", expected ") {
        Some((_, expected)) => {
            format!("`{path}` has a value of the wrong type or form, expected {expected}{at}")
        }
        None if path != "." => format!("`{path}`: {message}{at}"),
        None => format!("{message}{at}"),
    }
}

#[cfg(test)]
mod toml_error_tests {
    use super::*;

    #[test]
    fn a_bad_config_is_described_by_field_and_line_not_by_value() {
        let text = "threads = 4\n[practice]\nname = 12345678\n";
        let e = serde_path_to_error::deserialize::<_, FileConfig>(toml::Deserializer::new(text))
            .unwrap_err();
        let said = describe_toml_error(&e, text);
        assert!(said.contains("`practice.name`"), "{said}");
        assert!(said.contains("line 3"), "{said}");
        assert!(said.contains("expected a string"), "{said}");
        assert!(!said.contains("12345678"), "{said}");
    }

    #[test]
    fn config_and_model_are_looked_for_where_linux_tools_look() {
        let config = config_places();
        assert_eq!(config.first(), Some(&PathBuf::from("dictate.toml")));
        assert_eq!(
            config.last(),
            Some(&PathBuf::from("/etc/dictate/config.toml"))
        );
        let models = model_places();
        assert_eq!(models.first(), Some(&PathBuf::from(model::DEFAULT_MODEL)));
        assert_eq!(
            models.last(),
            Some(&PathBuf::from("/var/lib/dictate/models/ggml-tiny.en.bin"))
        );
        if std::env::var_os("HOME").is_some() || std::env::var_os("XDG_DATA_HOME").is_some() {
            assert!(
                models[1].ends_with("dictate/models/ggml-tiny.en.bin"),
                "{models:?}"
            );
            assert!(config[1].ends_with("dictate/config.toml"), "{config:?}");
        }
    }

    #[test]
    fn desk_keys_are_keys_a_browser_names_and_each_action_has_its_own() {
        assert!(DeskKeys::default().check().is_ok());
        let pedal = DeskKeys {
            play_pause: "F9".into(),
            back: "F7".into(),
            forward: "F8".into(),
            ..DeskKeys::default()
        };
        assert!(pedal.check().is_ok());
        let bad = DeskKeys {
            back: "Ctrl+Left Arrow".into(),
            ..DeskKeys::default()
        };
        let said = bad.check().unwrap_err().to_string();
        assert!(said.contains("desk.keys.back"), "{said}");
        let twice = DeskKeys {
            faster: "Ctrl+Space".into(),
            ..DeskKeys::default()
        };
        let said = twice.check().unwrap_err().to_string();
        assert!(
            said.contains("play_pause") && said.contains("faster"),
            "{said}"
        );
    }

    #[test]
    fn a_config_value_a_letter_cannot_show_is_found_by_its_key() {
        let v: toml::Value = toml::from_str(
            "[practice]\nname = \"Riverside\"\naddress = [\"1 Road\", \"Town\\u000b\"]\n",
        )
        .unwrap();
        assert_eq!(
            unshowable_at(&v, "").as_deref(),
            Some("practice.address[1]")
        );
        let fine: toml::Value =
            toml::from_str("[practice]\nname = \"St Mary's\\tTrust\"\n").unwrap();
        assert_eq!(unshowable_at(&fine, ""), None);
    }
}
