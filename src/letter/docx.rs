//! The DOCX writer: the one module that knows docx-rs. It turns document blocks into a Word file:
//! A4, the letterhead in the page header, "Confidential" and "Page X of Y" in the footer,
//! headings, paragraphs, bold spans, list items, the boxed notes for the secretary, words to check
//! highlighted in yellow, terminology corrections highlighted in turquoise with a Word comment
//! saying what was heard. It must not decide content.

use anyhow::{Context, Result};
use docx_rs::{
    AlignmentType, Comment, Docx, Footer, Header, NumPages, PageMargin, PageNum, Paragraph, Run,
    RunFonts, Shading, Table, TableCell, TableRow, WidthType,
};

use crate::letter::render::{Block, Mark, Span};

/// A4 in twentieths of a point.
const A4_WIDTH: u32 = 11_906;
const A4_HEIGHT: u32 = 16_838;
const MARGIN: u32 = 1134;

/// What goes around the letter on every page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Letterhead lines (the first in bold); none: no page header.
    pub letterhead: Vec<String>,
    /// The comments' author ("dictate").
    pub comment_author: String,
}

/// Builds the DOCX bytes for `blocks`.
pub fn write(blocks: &[Block], page: &Page) -> Result<Vec<u8>> {
    let mut doc = Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN as i32)
                .bottom(MARGIN as i32)
                .left(MARGIN as i32)
                .right(MARGIN as i32),
        )
        .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .default_size(22)
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text("Confidential").size(16))
                    .add_run(Run::new().add_text("    Page ").size(16))
                    .add_page_num(PageNum::new())
                    .add_run(Run::new().add_text(" of ").size(16))
                    .add_num_pages(NumPages::new()),
            ),
        );
    if !page.letterhead.is_empty() {
        let mut header = Header::new();
        for (i, line) in page.letterhead.iter().enumerate() {
            let mut run = Run::new()
                .add_text(xml_text(line))
                .size(if i == 0 { 26 } else { 18 });
            if i == 0 {
                run = run.bold();
            }
            header =
                header.add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(run));
        }
        doc = doc.header(header);
    }
    let mut comments = 0usize;
    for block in blocks {
        match block {
            Block::Notes(lines) => {
                doc = doc
                    .add_table(notes_box(lines))
                    .add_paragraph(Paragraph::new());
            }
            _ => doc = doc.add_paragraph(paragraph(block, page, &mut comments)),
        }
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .context("cannot build the DOCX file")?;
    let bytes = buf.into_inner();
    // A letter Word or LibreOffice would refuse is a failed job, never a done one.
    check(&bytes).context("the DOCX file built is not well-formed (a bug: please report it)")?;
    Ok(bytes)
}

/// Checks every XML part of a DOCX: characters XML 1.0 allows, and well-formed (tags closed in
/// order).
pub fn check(docx: &[u8]) -> Result<()> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).context("not a ZIP file")?;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).context("a damaged part")?;
        let name = part.name().to_owned();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut text = String::new();
        part.read_to_string(&mut text)
            .with_context(|| format!("`{name}` is not UTF-8"))?;
        if let Some(c) = text.chars().find(|&c| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                || c == '\u{FFFE}'
                || c == '\u{FFFF}'
        }) {
            anyhow::bail!(
                "`{name}` holds the character U+{:04X}, which XML does not allow",
                c as u32
            );
        }
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => anyhow::bail!(
                    "`{name}` is not well-formed at byte {}: {e}",
                    reader.error_position()
                ),
            }
        }
    }
    Ok(())
}

/// Text as XML 1.0 allows it and shows in the order written: each character a letter must not
/// carry ([`crate::text::unshowable`]) becomes a space. The sidecar's are removed and noted
/// before they get here; this is the last guard for every other source.
fn xml_text(s: &str) -> String {
    crate::text::blank_unshowable(s)
}

/// The notes for the secretary: a shaded, bordered box, the title in bold, a line per note.
fn notes_box(lines: &[Vec<Span>]) -> Table {
    let mut cell = TableCell::new()
        .shading(Shading::new().fill("FFF2CC"))
        .width((A4_WIDTH - 2 * MARGIN) as usize, WidthType::Dxa);
    for (i, line) in lines.iter().enumerate() {
        let mut p = Paragraph::new();
        if i > 0 {
            p = p.add_run(Run::new().add_text("\u{2022} "));
        }
        for span in line {
            let mut run = Run::new().add_text(xml_text(&span.text));
            if i == 0 || span.bold {
                run = run.bold();
            }
            p = p.add_run(run);
        }
        cell = cell.add_paragraph(p);
    }
    Table::new(vec![TableRow::new(vec![cell])])
        .width((A4_WIDTH - 2 * MARGIN) as usize, WidthType::Dxa)
}

fn paragraph(block: &Block, page: &Page, comments: &mut usize) -> Paragraph {
    match block {
        Block::Heading(text) => Paragraph::new()
            .add_run(Run::new().add_text(xml_text(text)).bold().size(24))
            .line_spacing(docx_rs::LineSpacing::new().before(200).after(80)),
        Block::Item(spans) => {
            let p = Paragraph::new()
                .indent(Some(360), None, None, None)
                .add_run(Run::new().add_text("\u{2022} "));
            add_spans(p, spans, page, comments)
        }
        Block::Paragraph(lines) => {
            let mut p = Paragraph::new().line_spacing(docx_rs::LineSpacing::new().after(140));
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    p = p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping));
                }
                p = add_spans(p, line, page, comments);
            }
            p
        }
        Block::Notes(lines) => {
            let mut p = Paragraph::new();
            for line in lines {
                p = add_spans(p, line, page, comments);
            }
            p
        }
    }
}

fn add_spans(mut p: Paragraph, spans: &[Span], page: &Page, comments: &mut usize) -> Paragraph {
    for span in spans {
        let mut run = Run::new().add_text(xml_text(&span.text));
        if span.bold {
            run = run.bold();
        }
        match &span.mark {
            None => p = p.add_run(run),
            Some(Mark::Unsure) => p = p.add_run(run.highlight("yellow")),
            Some(Mark::Correction(note)) => {
                *comments += 1;
                let id = *comments;
                let comment = Comment::new(id)
                    .author(xml_text(&page.comment_author))
                    .add_paragraph(Paragraph::new().add_run(Run::new().add_text(xml_text(note))));
                p = p
                    .add_comment_start(comment)
                    .add_run(run.highlight("cyan"))
                    .add_comment_end(id);
            }
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DOCX of one part.
    fn zipped(name: &str, text: &str) -> Vec<u8> {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
        zip.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn a_broken_part_is_found_and_a_written_letter_passes() {
        assert!(check(&zipped("word/document.xml", "<a><b>x</b></a>")).is_ok());
        let err = check(&zipped("word/document.xml", "<a>Mr A\u{b}B</a>")).unwrap_err();
        assert!(err.to_string().contains("U+000B"), "{err}");
        let err = check(&zipped("word/document.xml", "<a><b>x</a></b>")).unwrap_err();
        assert!(err.to_string().contains("not well-formed"), "{err}");
        let blocks = crate::letter::render::blocks("Dear Dr A,\n\nHe is \u{b}well.");
        let page = Page {
            letterhead: vec!["Riverside \u{1}Trust".into()],
            comment_author: "dictate".into(),
        };
        let bytes = write(&blocks, &page).expect("a letter that passes its own check");
        assert!(check(&bytes).is_ok());
    }

    #[test]
    fn control_characters_never_reach_the_xml() {
        assert_eq!(xml_text("Mr A\u{b}B\u{0}\u{1f}\u{FFFF}"), "Mr A B   ");
        assert_eq!(xml_text("Mr \u{202E}Smith"), "Mr  Smith");
        assert_eq!(xml_text("line\tone\nline two"), "line\tone\nline two");
    }
}
