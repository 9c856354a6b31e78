//! Fills a Tera template with the letter model and parses the rendered text into document
//! blocks (headings, paragraphs, bold spans). It owns the template markup (templates/README.md);
//! it must not know docx. Pure apart from loading templates, which happens once.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use tera::Tera;

use crate::letter::build::Letter;

const BUILT_IN: &[(&str, &str)] = &[
    (
        "clinic.tera",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/templates/clinic.tera"
        )),
    ),
    (
        "referral.tera",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/templates/referral.tera"
        )),
    ),
    (
        "discharge.tera",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/templates/discharge.tera"
        )),
    ),
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

/// A run of text, bold or not, perhaps marked for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub mark: Option<Mark>,
}

/// Why a span is highlighted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Mark {
    /// Words Whisper was unsure of.
    Unsure,
    /// A terminology correction; the note says what was heard.
    Correction(String),
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Block {
    Heading(String),
    /// Lines of one paragraph, each a list of spans.
    Paragraph(Vec<Vec<Span>>),
    /// A list item.
    Item(Vec<Span>),
    /// The boxed notes for the secretary: a title line, then one line per note.
    Notes(Vec<Vec<Span>>),
}

/// Parses rendered template text into blocks (see templates/README.md).
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines: Vec<Vec<Span>> = Vec::new();
    let mut notes: Vec<Vec<Span>> = Vec::new();
    let flush = |lines: &mut Vec<Vec<Span>>, notes: &mut Vec<Vec<Span>>, out: &mut Vec<Block>| {
        if !lines.is_empty() {
            out.push(Block::Paragraph(std::mem::take(lines)));
        }
        if !notes.is_empty() {
            out.push(Block::Notes(std::mem::take(notes)));
        }
    };
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            flush(&mut lines, &mut notes, &mut out);
        } else if let Some(n) = line.strip_prefix("! ") {
            if !lines.is_empty() {
                out.push(Block::Paragraph(std::mem::take(&mut lines)));
            }
            notes.push(spans(n.trim()));
        } else if let Some(h) = line.strip_prefix("# ") {
            flush(&mut lines, &mut notes, &mut out);
            out.push(Block::Heading(h.trim().to_owned()));
        } else if let Some(item) = line.strip_prefix("- ") {
            flush(&mut lines, &mut notes, &mut out);
            out.push(Block::Item(spans(item.trim())));
        } else {
            if !notes.is_empty() {
                out.push(Block::Notes(std::mem::take(&mut notes)));
            }
            lines.push(spans(line));
        }
    }
    flush(&mut lines, &mut notes, &mut out);
    out
}

fn spans(line: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for (i, part) in line.split("**").enumerate() {
        if !part.is_empty() {
            out.push(Span {
                text: part.to_owned(),
                bold: i % 2 == 1,
                mark: None,
            });
        }
    }
    out
}

/// Highlights `marks` in the letter's paragraphs and list items: each mark's text is looked for
/// after the one before it (they come in the order they were dictated), then, since a template
/// may put the header's parts anywhere, from the top; its span is split out and marked. A mark
/// whose text is not found (a later stage rewrote it) is skipped.
pub fn mark(blocks: &mut [Block], marks: &[(String, Mark)]) {
    let (mut bi, mut li, mut si) = (0usize, 0usize, 0usize);
    for (text, mark) in marks {
        if text.trim().is_empty() {
            continue;
        }
        if let Some(at) = mark_one(blocks, text, mark, (bi, li, si))
            .or_else(|| mark_one(blocks, text, mark, (0, 0, 0)))
        {
            (bi, li, si) = at;
        }
    }
}

/// Marks the first unmarked whole-word `text` from position `from`; returns where to go on.
fn mark_one(
    blocks: &mut [Block],
    text: &str,
    mark: &Mark,
    from: (usize, usize, usize),
) -> Option<(usize, usize, usize)> {
    {
        let (mut b, mut l, mut sp) = from;
        let mut c = 0usize;
        while b < blocks.len() {
            let lines: &mut [Vec<Span>] = match &mut blocks[b] {
                Block::Paragraph(lines) => lines,
                Block::Item(spans) => std::slice::from_mut(spans),
                _ => {
                    (b, l, sp, c) = (b + 1, 0, 0, 0);
                    continue;
                }
            };
            while l < lines.len() {
                let line = &mut lines[l];
                while sp < line.len() {
                    let span = &line[sp];
                    if span.mark.is_none() {
                        if let Some(at) = find_word(&span.text[c..], text) {
                            let at = c + at;
                            let before = span.text[..at].to_owned();
                            let found = span.text[at..at + text.len()].to_owned();
                            let after = span.text[at + text.len()..].to_owned();
                            let bold = span.bold;
                            let mut parts = Vec::new();
                            if !before.is_empty() {
                                parts.push(Span {
                                    text: before,
                                    bold,
                                    mark: None,
                                });
                            }
                            parts.push(Span {
                                text: found,
                                bold,
                                mark: Some(mark.clone()),
                            });
                            let marked_at = sp + parts.len() - 1;
                            if !after.is_empty() {
                                parts.push(Span {
                                    text: after,
                                    bold,
                                    mark: None,
                                });
                            }
                            line.splice(sp..=sp, parts);
                            return Some((b, l, marked_at + 1));
                        }
                    }
                    (sp, c) = (sp + 1, 0);
                }
                (l, sp, c) = (l + 1, 0, 0);
            }
            (b, l, sp, c) = (b + 1, 0, 0, 0);
        }
    }
    None
}

/// Byte offset of `word` in `text` as a whole word, ignoring ASCII case.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let (text, word) = (text.to_ascii_lowercase(), word.to_ascii_lowercase());
    let (text, word) = (text.as_str(), word.as_str());
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
        {
            return Some(at);
        }
        from = at + word.len().max(1);
    }
    None
}

/// The plain text of blocks, for the JSON record and for tests.
pub fn plain_text(blocks: &[Block]) -> String {
    let line = |l: &[Span]| l.iter().map(|s| s.text.as_str()).collect::<String>();
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Heading(h) => out.push(h.clone()),
            Block::Paragraph(lines) | Block::Notes(lines) => {
                out.push(lines.iter().map(|l| line(l)).collect::<Vec<_>>().join("\n"))
            }
            Block::Item(spans) => out.push(format!("- {}", line(spans))),
        }
    }
    out.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::kind::LetterKind;

    fn check(input: &str, expected: Vec<Block>) {
        assert_eq!(blocks(input), expected, "input: {input:?}");
    }

    fn plain(t: &str) -> Span {
        Span {
            text: t.into(),
            bold: false,
            mark: None,
        }
    }

    fn bold(t: &str) -> Span {
        Span {
            text: t.into(),
            bold: true,
            mark: None,
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
        let t = crate::asr::transcript::Transcript {
            segments: body
                .iter()
                .map(|p| crate::asr::transcript::Segment {
                    start: 0.0,
                    end: 1.0,
                    text: format!("{p} new paragraph"),
                    no_speech_prob: 0.0,
                    tokens: vec![],
                })
                .collect(),
        };
        let mut l = crate::letter::build::from_transcript(&t, "2 May 2026".into(), "a.wav".into());
        assert_eq!(l.kind, LetterKind::Clinic);
        l.flags.clear();
        l.notes.clear();
        l
    }

    #[test]
    fn built_in_clinic_template_renders_body_and_draft_mark() {
        let t = Templates::load(None).unwrap();
        let text = t
            .render(&letter(vec!["First full stop", "Second full stop"]))
            .unwrap();
        let b = blocks(&text);
        assert_eq!(
            b[0],
            Block::Paragraph(vec![vec![bold("DRAFT: dictated, not yet checked")]]),
            "{text}"
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
