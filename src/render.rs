//! Fills a Tera template with the letter model and parses the rendered text into document
//! blocks (headings, paragraphs, bold spans). It owns the template markup (templates/README.md);
//! it must not know docx. Pure apart from loading templates, which happens once.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use tera::Tera;

use crate::letter::Letter;

const BUILT_IN: &[(&str, &str)] = &[
    ("clinic.tera", include_str!("../templates/clinic.tera")),
    ("referral.tera", include_str!("../templates/referral.tera")),
];

/// The letter templates, loaded and checked once.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// The built-in templates, each overridden by a file of the same name in `dir` if given.
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        for (name, text) in BUILT_IN {
            let text = match dir {
                Some(d) if d.join(name).is_file() => {
                    let path = d.join(name);
                    std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read template `{}`", path.display()))?
                }
                Some(d) if !d.is_dir() => anyhow::bail!(
                    "the templates folder `{}` does not exist; fix `templates` in the config",
                    d.display()
                ),
                _ => (*text).to_owned(),
            };
            tera.add_raw_template(name, &text)
                .map_err(|e| anyhow::anyhow!("{}", tera_message(&e)))
                .with_context(|| format!("template `{name}` has an error"))?;
        }
        Ok(Templates { tera })
    }

    /// Renders the letter with its kind's template.
    pub fn render(&self, letter: &Letter) -> Result<String> {
        let ctx = tera::Context::from_serialize(letter)
            .context("cannot pass the letter to the template")?;
        let name = letter.kind.template();
        self.tera
            .render(name, &ctx)
            .map_err(|e| anyhow::anyhow!("{}", tera_message(&e)))
            .with_context(|| format!("cannot render template `{name}`"))
    }
}

/// Tera's error with its causes, which hold the line and column.
fn tera_message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// A run of text, bold or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub bold: bool,
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Block {
    Heading(String),
    /// Lines of one paragraph, each a list of spans.
    Paragraph(Vec<Vec<Span>>),
}

/// Parses rendered template text into blocks (see templates/README.md).
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines: Vec<Vec<Span>> = Vec::new();
    let flush = |lines: &mut Vec<Vec<Span>>, out: &mut Vec<Block>| {
        if !lines.is_empty() {
            out.push(Block::Paragraph(std::mem::take(lines)));
        }
    };
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            flush(&mut lines, &mut out);
        } else if let Some(h) = line.strip_prefix("# ") {
            flush(&mut lines, &mut out);
            out.push(Block::Heading(h.trim().to_owned()));
        } else {
            lines.push(spans(line));
        }
    }
    flush(&mut lines, &mut out);
    out
}

fn spans(line: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for (i, part) in line.split("**").enumerate() {
        if !part.is_empty() {
            out.push(Span {
                text: part.to_owned(),
                bold: i % 2 == 1,
            });
        }
    }
    out
}

/// The plain text of blocks, for the JSON record and for tests.
pub fn plain_text(blocks: &[Block]) -> String {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Heading(h) => out.push(h.clone()),
            Block::Paragraph(lines) => out.push(
                lines
                    .iter()
                    .map(|l| l.iter().map(|s| s.text.as_str()).collect::<String>())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
    }
    out.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::LetterKind;

    fn check(input: &str, expected: Vec<Block>) {
        assert_eq!(blocks(input), expected, "input: {input:?}");
    }

    fn plain(t: &str) -> Span {
        Span {
            text: t.into(),
            bold: false,
        }
    }

    fn bold(t: &str) -> Span {
        Span {
            text: t.into(),
            bold: true,
        }
    }

    #[test]
    fn markup() {
        check("", vec![]);
        check("# Plan\n", vec![Block::Heading("Plan".into())]);
        check(
            "One\ntwo\n\n\nThree",
            vec![
                Block::Paragraph(vec![vec![plain("One")], vec![plain("two")]]),
                Block::Paragraph(vec![vec![plain("Three")]]),
            ],
        );
        check(
            "Re: **Mr A Smith** born 1 May",
            vec![Block::Paragraph(vec![vec![
                plain("Re: "),
                bold("Mr A Smith"),
                plain(" born 1 May"),
            ]])],
        );
        check(
            "text\n# Heading\nmore",
            vec![
                Block::Paragraph(vec![vec![plain("text")]]),
                Block::Heading("Heading".into()),
                Block::Paragraph(vec![vec![plain("more")]]),
            ],
        );
    }

    fn letter(body: Vec<&str>) -> Letter {
        Letter {
            kind: LetterKind::Clinic,
            title: "Clinic letter",
            date: "2 May 2026".into(),
            body: body.into_iter().map(String::from).collect(),
            flags: vec![],
            source: "a.wav".into(),
        }
    }

    #[test]
    fn built_in_clinic_template_renders_body_and_draft_mark() {
        let t = Templates::load(None).unwrap();
        let text = t.render(&letter(vec!["First.", "Second."])).unwrap();
        let b = blocks(&text);
        assert_eq!(
            b[0],
            Block::Paragraph(vec![vec![bold("DRAFT: dictated, not yet checked")]])
        );
        let plain = plain_text(&b);
        assert!(plain.contains("2 May 2026"));
        assert!(plain.contains("First.\n\nSecond."), "{plain}");
    }

    #[test]
    fn empty_body_says_so() {
        let t = Templates::load(None).unwrap();
        let text = t.render(&letter(vec![])).unwrap();
        assert!(text.contains("No speech was recognised"));
    }

    #[test]
    fn template_errors_name_template_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("clinic.tera"), "line one\n{{ date \n").unwrap();
        let err = Templates::load(Some(dir.path())).err().unwrap();
        let msg = format!("{err:#}");
        assert!(msg.contains("clinic.tera"), "{msg}");
        assert!(msg.contains("--> 3:1"), "the error gives the line: {msg}");
    }
}
