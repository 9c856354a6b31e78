//! Fills a Tera template with the letter model and parses the rendered text into document
//! blocks (headings, paragraphs, bold spans). It owns the template markup (templates/README.md);
//! it must not know docx. Pure apart from loading templates, which happens once.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use tera::Tera;

use crate::letter::build::Letter;
use crate::letter::record::{DocBlock, DocWord};

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
    /// A terminology correction: the words Whisper heard there, and the note for the secretary
    /// (what was heard, how sure).
    Correction { heard: String, note: String },
}

/// What a paragraph is for on the page, where the template says (a `::: role` line before it):
/// the writer gives it its place and style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Role {
    /// The recipient's name and address, placed for a window envelope.
    Address,
    /// The small lines of references and dates (Our ref, Dictated, Typed).
    Reference,
    /// The typed signature, with room to sign above it.
    Signature,
}

impl Role {
    /// Its name in the markup and in the record's `document` ("address" ...).
    pub fn name(self) -> &'static str {
        match self {
            Role::Address => "address",
            Role::Reference => "reference",
            Role::Signature => "signature",
        }
    }

    fn named(name: &str) -> Option<Role> {
        [Role::Address, Role::Reference, Role::Signature]
            .into_iter()
            .find(|r| r.name() == name)
    }
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Block {
    Heading(String),
    /// Lines of one paragraph, each a list of spans.
    Paragraph(Vec<Vec<Span>>),
    /// A paragraph with a place on the page (see [`Role`]).
    Placed(Role, Vec<Vec<Span>>),
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
    // The role a `::: role` line gave the paragraph that follows it.
    let mut role: Option<Role> = None;
    let paragraph = |lines: Vec<Vec<Span>>, role: Option<Role>| match role {
        Some(r) => Block::Placed(r, lines),
        None => Block::Paragraph(lines),
    };
    let flush = |lines: &mut Vec<Vec<Span>>,
                 notes: &mut Vec<Vec<Span>>,
                 role: &mut Option<Role>,
                 out: &mut Vec<Block>| {
        if !lines.is_empty() {
            out.push(paragraph(std::mem::take(lines), role.take()));
        }
        if !notes.is_empty() {
            out.push(Block::Notes(std::mem::take(notes)));
        }
        *role = None;
    };
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            flush(&mut lines, &mut notes, &mut role, &mut out);
        } else if let Some(r) = line
            .strip_prefix("::: ")
            .and_then(|n| Role::named(n.trim()))
        {
            flush(&mut lines, &mut notes, &mut role, &mut out);
            role = Some(r);
        } else if let Some(n) = line.strip_prefix("! ") {
            if !lines.is_empty() {
                out.push(paragraph(std::mem::take(&mut lines), role.take()));
            }
            notes.push(spans(n.trim()));
        } else if let Some(h) = line.strip_prefix("# ") {
            flush(&mut lines, &mut notes, &mut role, &mut out);
            out.push(Block::Heading(h.trim().to_owned()));
        } else if let Some(item) = line.strip_prefix("- ") {
            flush(&mut lines, &mut notes, &mut role, &mut out);
            out.push(Block::Item(spans(item.trim())));
        } else {
            if !notes.is_empty() {
                out.push(Block::Notes(std::mem::take(&mut notes)));
            }
            lines.push(spans(line));
        }
    }
    flush(&mut lines, &mut notes, &mut role, &mut out);
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

/// Byte ranges of the words (runs of non-space characters) of `text`.
fn word_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// A word of the letter (a run of non-space characters within one span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// In the same span as the word before: [`mark_words`] makes one highlighted run of the two
    /// when both have the same mark.
    pub joined: bool,
    /// Can carry a mark (a heading's words cannot).
    pub markable: bool,
}

/// The words of the letter's headings, paragraphs and list items (not the notes box), in
/// reading order: what [`mark_words`] counts by. Headings' words are counted but never marked.
pub fn words(blocks: &[Block]) -> Vec<Word> {
    let mut out = Vec::new();
    for b in blocks {
        // The reference lines (Our ref, Dictated, Typed) are written from the sidecar and the
        // dates, never dictated: counted, like headings, but never marked (a mark there would
        // send the secretary to the wrong place).
        let markable = !matches!(b, Block::Placed(Role::Reference, _));
        let lines: &[Vec<Span>] = match b {
            Block::Paragraph(lines) | Block::Placed(_, lines) => lines,
            Block::Item(spans) => std::slice::from_ref(spans),
            Block::Heading(h) => {
                out.extend(h.split_whitespace().map(|w| Word {
                    text: w.to_owned(),
                    joined: false,
                    markable: false,
                }));
                continue;
            }
            Block::Notes(_) => &[],
        };
        for span in lines.iter().flatten() {
            out.extend(
                word_ranges(&span.text)
                    .into_iter()
                    .enumerate()
                    .map(|(k, (a, b))| Word {
                        text: span.text[a..b].to_owned(),
                        joined: k > 0,
                        markable,
                    }),
            );
        }
    }
    out
}

/// Where a word of the letter was said: seconds from the recording's start to its end; none for
/// words the layout wrote.
pub type WordTime = Option<(f64, f64)>;

/// The blocks as the review desk shows them: each word as [`words`] counts them, with its time
/// from `times` (by the same index; none where the letter's layout wrote it) and its mark. The
/// notes box's words have no time.
pub fn document(blocks: &[Block], times: &[WordTime]) -> Vec<DocBlock> {
    let mut index = 0usize;
    let mut out = Vec::with_capacity(blocks.len());
    let mut timed = |text: &str, bold: bool, mark: Option<&Mark>, counted: bool| {
        let time = if counted {
            let t = times.get(index).copied().flatten();
            index += 1;
            t
        } else {
            None
        };
        DocWord {
            text: text.to_owned(),
            bold,
            start: time.map(|t| t.0),
            end: time.map(|t| t.1),
            kind: match mark {
                None => "word",
                Some(Mark::Unsure) => "unsure",
                Some(Mark::Correction { .. }) => "correction",
            }
            .to_owned(),
            note: match mark {
                Some(Mark::Correction { note, .. }) => Some(note.clone()),
                _ => None,
            },
        }
    };
    for b in blocks {
        let (kind, lines, counted): (&str, Vec<&[Span]>, bool) = match b {
            Block::Heading(h) => {
                let line = h
                    .split_whitespace()
                    .map(|w| timed(w, true, None, true))
                    .collect();
                out.push(DocBlock {
                    kind: "heading".to_owned(),
                    lines: vec![line],
                });
                continue;
            }
            Block::Paragraph(lines) => {
                ("paragraph", lines.iter().map(Vec::as_slice).collect(), true)
            }
            Block::Placed(role, lines) => {
                (role.name(), lines.iter().map(Vec::as_slice).collect(), true)
            }
            Block::Item(spans) => ("item", vec![spans.as_slice()], true),
            Block::Notes(lines) => ("notes", lines.iter().map(Vec::as_slice).collect(), false),
        };
        let lines = lines
            .into_iter()
            .map(|line| {
                line.iter()
                    .flat_map(|span| {
                        word_ranges(&span.text)
                            .into_iter()
                            .map(|(a, b)| (span, a, b))
                            .collect::<Vec<_>>()
                    })
                    .map(|(span, a, b)| {
                        timed(&span.text[a..b], span.bold, span.mark.as_ref(), counted)
                    })
                    .collect()
            })
            .collect();
        out.push(DocBlock {
            kind: kind.to_owned(),
            lines,
        });
    }
    out
}

/// The line every draft carries at its top (the templates' own text): the approved letter is
/// written without it.
pub const DRAFT_LINE: &str = "DRAFT: dictated, not yet checked";

/// The letter as approved from a (perhaps edited) document: its headings, paragraphs and list
/// items, bold kept, without marks, without the notes box and without the draft line.
pub fn final_blocks(document: &[DocBlock]) -> Vec<Block> {
    let spans = |words: &[DocWord]| {
        let mut out: Vec<Span> = Vec::new();
        for w in words {
            match out.last_mut() {
                Some(last) if last.bold == w.bold => {
                    last.text.push(' ');
                    last.text.push_str(&w.text);
                }
                Some(last) => {
                    last.text.push(' ');
                    out.push(Span {
                        text: w.text.clone(),
                        bold: w.bold,
                        mark: None,
                    });
                }
                None => out.push(Span {
                    text: w.text.clone(),
                    bold: w.bold,
                    mark: None,
                }),
            }
        }
        out
    };
    let text = |words: &[DocWord]| {
        words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    document
        .iter()
        .filter_map(|b| match b.kind.as_str() {
            "heading" => Some(Block::Heading(text(b.lines.first()?))),
            "item" => Some(Block::Item(spans(b.lines.first()?))),
            kind @ ("paragraph" | "address" | "reference" | "signature") => {
                let lines: Vec<Vec<Span>> = b
                    .lines
                    .iter()
                    .filter(|l| !l.is_empty())
                    .map(|l| spans(l))
                    .collect();
                let is_draft_line = lines.len() == 1 && text(&b.lines[0]) == DRAFT_LINE;
                (!lines.is_empty() && !is_draft_line).then(|| match Role::named(kind) {
                    Some(role) => Block::Placed(role, lines),
                    None => Block::Paragraph(lines),
                })
            }
            _ => None,
        })
        .collect()
}

/// Highlights words by their index in [`words`]. Neighbouring words of one span with the same
/// mark become one highlighted run (one comment for a term of two words).
pub fn mark_words(blocks: &mut [Block], marks: &[(usize, Mark)]) {
    let mut wanted: Vec<Option<&Mark>> = Vec::new();
    for (i, m) in marks {
        if wanted.len() <= *i {
            wanted.resize(i + 1, None);
        }
        wanted[*i] = Some(m);
    }
    let mut index = 0usize;
    for block in blocks.iter_mut() {
        let lines: Vec<&mut Vec<Span>> = match block {
            Block::Paragraph(lines) | Block::Placed(_, lines) => lines.iter_mut().collect(),
            Block::Item(spans) => vec![spans],
            Block::Heading(h) => {
                index += h.split_whitespace().count();
                continue;
            }
            Block::Notes(_) => continue,
        };
        for line in lines {
            index = mark_line(line, &wanted, index);
        }
    }
}

/// Marks the words of one line from word number `index` on; returns the number after its last.
fn mark_line(line: &mut Vec<Span>, wanted: &[Option<&Mark>], mut index: usize) -> usize {
    let mut out = Vec::with_capacity(line.len());
    for span in line.drain(..) {
        let mut runs: Vec<(usize, usize, &Mark)> = Vec::new();
        for (a, b) in word_ranges(&span.text) {
            if let Some(Some(m)) = wanted.get(index) {
                match runs.last_mut() {
                    Some(last) if last.2 == *m && span.text[last.1..a].trim().is_empty() => {
                        last.1 = b
                    }
                    _ => runs.push((a, b, m)),
                }
            }
            index += 1;
        }
        if runs.is_empty() || span.mark.is_some() {
            out.push(span);
            continue;
        }
        let mut at = 0;
        let piece = |text: &str, mark: Option<Mark>| Span {
            text: text.to_owned(),
            bold: span.bold,
            mark,
        };
        for (a, b, m) in runs {
            if a > at {
                out.push(piece(&span.text[at..a], None));
            }
            out.push(piece(&span.text[a..b], Some(m.clone())));
            at = b;
        }
        if at < span.text.len() {
            out.push(piece(&span.text[at..], None));
        }
    }
    *line = out;
    index
}

/// The plain text of blocks, for the JSON record and for tests.
pub fn plain_text(blocks: &[Block]) -> String {
    let line = |l: &[Span]| l.iter().map(|s| s.text.as_str()).collect::<String>();
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Heading(h) => out.push(h.clone()),
            Block::Paragraph(lines) | Block::Placed(_, lines) | Block::Notes(lines) => {
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
    fn marks_go_on_words_by_index_and_neighbours_share_one_run() {
        let mut b = blocks("**Re:** John Smith\n\nStarted apixaban 5 mg daily.\n\n! a note");
        let w: Vec<String> = words(&b).into_iter().map(|w| w.text).collect();
        // The notes box holds no markable words.
        assert_eq!(
            w,
            ["Re:", "John", "Smith", "Started", "apixaban", "5", "mg", "daily."]
        );
        let c = Mark::Correction {
            heard: "a pixa ban".into(),
            note: "Heard: a pixa ban".into(),
        };
        mark_words(
            &mut b,
            &[
                (1, Mark::Unsure),
                (2, Mark::Unsure),
                (4, c.clone()),
                (6, Mark::Unsure),
            ],
        );
        let marked = |s: &Span| s.mark.clone().map(|m| (s.text.clone(), m));
        let got: Vec<(String, Mark)> = b
            .iter()
            .flat_map(|b| match b {
                Block::Paragraph(lines) => lines.iter().flatten().filter_map(marked).collect(),
                _ => Vec::new(),
            })
            .collect();
        assert_eq!(
            got,
            [
                ("John Smith".to_owned(), Mark::Unsure),
                ("apixaban".to_owned(), c),
                ("mg".to_owned(), Mark::Unsure)
            ]
        );
        assert_eq!(
            plain_text(&b),
            "Re: John Smith\n\nStarted apixaban 5 mg daily.\n\na note"
        );
    }

    #[test]
    fn the_document_gives_each_word_its_time_and_mark_in_reading_order() {
        let mut b = blocks("# Plan\n\n**Re:** John Smith\n\nStarted apixaban 5 mg.\n\n! Check");
        let c = Mark::Correction {
            heard: "a pixa ban".into(),
            note: "Heard: a pixa ban".into(),
        };
        mark_words(
            &mut b,
            &[(2, Mark::Unsure), (3, Mark::Unsure), (5, c.clone())],
        );
        // Plan, Re:, John, Smith, Started, apixaban, 5, mg.: the layout wrote "Plan" and "Re:".
        let times: Vec<Option<(f64, f64)>> = vec![
            None,
            None,
            Some((1.0, 1.2)),
            Some((1.2, 1.5)),
            Some((2.0, 2.3)),
            Some((2.3, 3.1)),
            Some((3.1, 3.3)),
        ];
        let doc = document(&b, &times);
        let kinds: Vec<&str> = doc.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(kinds, ["heading", "paragraph", "paragraph", "notes"]);
        let all: Vec<&DocWord> = doc.iter().flat_map(|d| d.lines.iter().flatten()).collect();
        let texts: Vec<&str> = all.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Plan", "Re:", "John", "Smith", "Started", "apixaban", "5", "mg.", "Check"]
        );
        assert_eq!(
            (all[2].start, all[2].end, all[2].kind.as_str()),
            (Some(1.0), Some(1.2), "unsure")
        );
        assert_eq!(all[3].kind, "unsure");
        assert_eq!(all[5].kind, "correction");
        assert_eq!(all[5].note.as_deref(), Some("Heard: a pixa ban"));
        assert_eq!((all[5].start, all[5].end), (Some(2.3), Some(3.1)));
        // Beyond the times given, and in the notes box: no time.
        assert_eq!((all[7].start, all[8].start), (None, None));
        assert!(all[1].bold && !all[2].bold);
    }

    #[test]
    fn the_approved_letter_has_no_draft_line_notes_or_marks() {
        let mut b = blocks(
            "**DRAFT: dictated, not yet checked**\n\n# Plan\n\n**Re:** John Smith\n\nStarted apixaban.\n\n- Review in clinic\n\n! 1 term corrected",
        );
        mark_words(
            &mut b,
            &[(
                5,
                Mark::Correction {
                    heard: "a pixa ban".into(),
                    note: "Heard: a pixa ban".into(),
                },
            )],
        );
        let doc = document(&b, &[]);
        let approved = final_blocks(&doc);
        assert_eq!(
            approved,
            vec![
                Block::Heading("Plan".into()),
                Block::Paragraph(vec![vec![bold("Re: "), plain("John Smith")]]),
                Block::Paragraph(vec![vec![plain("Started apixaban.")]]),
                Block::Item(vec![plain("Review in clinic")]),
            ]
        );
    }

    #[test]
    fn markup() {
        check("", vec![]);
        // A role for the next paragraph only; an unknown one is text.
        check(
            "::: address\nDr A\n1 Road\n\nText\n::: nowhere\n\n::: signature\n\nYours",
            vec![
                Block::Placed(
                    Role::Address,
                    vec![vec![plain("Dr A")], vec![plain("1 Road")]],
                ),
                Block::Paragraph(vec![vec![plain("Text")], vec![plain("::: nowhere")]]),
                Block::Paragraph(vec![vec![plain("Yours")]]),
            ],
        );
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
