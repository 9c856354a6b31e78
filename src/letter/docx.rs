//! The DOCX writer: the one module that knows docx-rs. It turns document blocks into a Word file:
//! A4, the letterhead in the page header, "Confidential" and "Page X of Y" in the footer,
//! headings, paragraphs, bold spans, list items, the boxed notes for the secretary, words to check
//! highlighted in yellow, terminology corrections highlighted in turquoise with a Word comment
//! saying what was heard. It must not decide content.
//!
//! The letter edits as one typed in Word: real styles (Normal, Title for the letter's kind,
//! Heading 1 for dictated headings, List Bullet with a numbering definition so Enter continues a
//! list, Header and Footer), so a trust's house style or "update style" restyles every letter;
//! British English (en-GB) as the document's language, for Word's spelling check; the author
//! ("dictate"), the dates and a title that names the kind of letter and the patient's initials
//! only (no identifiers in the file's properties).

use anyhow::{Context, Result};
use docx_rs::{
    AbstractNumbering, AlignmentType, Comment, Delete, Docx, Footer, Header, IndentLevel, Insert,
    Level, LevelJc, LevelText, LineSpacing, NumPages, NumberFormat, Numbering, NumberingId,
    PageMargin, PageNum, Paragraph, Run, RunFonts, Shading, Start, Style, StyleType, Table,
    TableCell, TableRow, WidthType,
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
    /// The document's title in its properties: the letter's kind and the patient's initials
    /// ("Clinic letter, E. W."), never a name or a number.
    pub title: String,
    /// When the letter was made (RFC 3339, UTC): the document's and the comments' dates.
    pub made_at: String,
}

/// Where comment ids start.
const COMMENT_IDS: usize = 100_000;

/// The bullet list's numbering definition (docx-rs writes a decimal one as 1).
const BULLETS: usize = 2;

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
        .default_line_spacing(LineSpacing::new().after(140))
        .created_at(&page.made_at)
        .updated_at(&page.made_at)
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .style("Footer")
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text("Confidential"))
                    .add_run(Run::new().add_text("    Page "))
                    .add_page_num(PageNum::new())
                    .add_run(Run::new().add_text(" of "))
                    .add_num_pages(NumPages::new()),
            ),
        );
    for style in styles() {
        doc = doc.add_style(style);
    }
    doc = doc
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("\u{2022}"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(360),
                    Some(docx_rs::SpecialIndentType::Hanging(360)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS));
    if !page.letterhead.is_empty() {
        let mut header = Header::new();
        for (i, line) in page.letterhead.iter().enumerate() {
            let mut run = Run::new()
                .add_text(xml_text(line))
                .size(if i == 0 { 26 } else { 18 });
            if i == 0 {
                run = run.bold();
            }
            header = header.add_paragraph(
                Paragraph::new()
                    .style("Header")
                    .align(AlignmentType::Right)
                    .add_run(run),
            );
        }
        doc = doc.header(header);
    }
    let mut comments = 0usize;
    let mut titled = false;
    for block in blocks {
        match block {
            Block::Notes(lines) => {
                doc = doc
                    .add_table(notes_box(lines))
                    .add_paragraph(Paragraph::new());
            }
            Block::Heading(_) if !titled => {
                titled = true;
                doc = doc.add_paragraph(paragraph(block, page, &mut comments).style("Title"));
            }
            _ => doc = doc.add_paragraph(paragraph(block, page, &mut comments)),
        }
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .context("cannot build the DOCX file")?;
    let bytes = with_properties(&buf.into_inner(), page)?;
    // A letter Word or LibreOffice would refuse is a failed job, never a done one.
    check(&bytes).context("the DOCX file built is not well-formed (a bug: please report it)")?;
    Ok(bytes)
}

/// The letter's styles: what a trust restyles.
fn styles() -> Vec<Style> {
    vec![
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .bold()
            .size(24)
            .line_spacing(LineSpacing::new().before(200).after(80)),
        Style::new("Heading1", StyleType::Paragraph)
            .name("heading 1")
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .outline_lvl(0)
            .bold()
            .size(24)
            .line_spacing(LineSpacing::new().before(200).after(80)),
        Style::new("ListBullet", StyleType::Paragraph)
            .name("List Bullet")
            .based_on("Normal")
            .q_format(true)
            .line_spacing(LineSpacing::new().after(60)),
        Style::new("Header", StyleType::Paragraph)
            .name("header")
            .based_on("Normal")
            .line_spacing(LineSpacing::new().after(0)),
        Style::new("Footer", StyleType::Paragraph)
            .name("footer")
            .based_on("Normal")
            .size(16)
            .line_spacing(LineSpacing::new().after(0)),
    ]
}

/// The document's properties (author, title, dates, language) and British English as the
/// language of its text, which docx-rs does not write: its core properties part replaced, and
/// the language added to the styles' defaults.
fn with_properties(docx: &[u8], page: &Page) -> Result<Vec<u8>> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).context("not a ZIP file")?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).context("a damaged part")?;
        let name = part.name().to_owned();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes)?;
        let bytes = match name.as_str() {
            "docProps/core.xml" => core_properties(page).into_bytes(),
            "word/styles.xml" => String::from_utf8(bytes)?
                .replacen(
                    "<w:rPrDefault><w:rPr>",
                    "<w:rPrDefault><w:rPr><w:lang w:val=\"en-GB\" w:eastAsia=\"en-GB\" w:bidi=\"ar-SA\" />",
                    1,
                )
                .into_bytes(),
            _ => bytes,
        };
        out.start_file(name, options)?;
        out.write_all(&bytes)?;
    }
    Ok(out.finish()?.into_inner())
}

fn core_properties(page: &Page) -> String {
    let esc = |s: &str| quick_xml::escape::escape(xml_text(s)).into_owned();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>\
         <cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:language>en-GB</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{at}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{at}</dcterms:modified>\
         <cp:revision>1</cp:revision></cp:coreProperties>",
        title = esc(&page.title),
        author = esc(&page.comment_author),
        at = esc(&page.made_at),
    )
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
            .style("Heading1")
            .add_run(Run::new().add_text(xml_text(text))),
        Block::Item(spans) => {
            let p = Paragraph::new()
                .style("ListBullet")
                .numbering(NumberingId::new(BULLETS), IndentLevel::new(0));
            add_spans(p, spans, page, comments)
        }
        Block::Paragraph(lines) => {
            let mut p = Paragraph::new();
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

/// A paragraph's spans as runs. A terminology correction is a tracked change by "dictate":
/// the heard words deleted, the term inserted (highlighted turquoise), a comment beside it saying
/// what was heard and how sure; Word's and LibreOffice's accept and reject buttons act on it. A
/// term split over several spans deletes its heard words once.
fn add_spans(mut p: Paragraph, spans: &[Span], page: &Page, comments: &mut usize) -> Paragraph {
    let mut open: Option<(&str, usize)> = None;
    for (i, span) in spans.iter().enumerate() {
        let mut run = Run::new().add_text(xml_text(&span.text));
        if span.bold {
            run = run.bold();
        }
        match &span.mark {
            None => p = p.add_run(run),
            Some(Mark::Unsure) => p = p.add_run(run.highlight("yellow")),
            Some(Mark::Correction { heard, note }) => {
                if open.is_none_or(|(n, _)| n != note) {
                    *comments += 1;
                    // Comments numbered apart from the tracked changes, which docx-rs numbers
                    // from 0: Word wants the ids of a document's annotations distinct.
                    let id = COMMENT_IDS + *comments;
                    let comment = Comment::new(id)
                        .author(xml_text(&page.comment_author))
                        .date(xml_text(&page.made_at))
                        .add_paragraph(
                            Paragraph::new().add_run(Run::new().add_text(xml_text(note))),
                        );
                    p = p.add_comment_start(comment).add_delete(
                        Delete::new()
                            .author(xml_text(&page.comment_author))
                            .date(xml_text(&page.made_at))
                            .add_run(Run::new().add_delete_text(xml_text(heard))),
                    );
                    open = Some((note, id));
                }
                p = p.add_insert(
                    Insert::new(run.highlight("cyan"))
                        .author(xml_text(&page.comment_author))
                        .date(xml_text(&page.made_at)),
                );
                // The comment closes after the term's last span.
                let continues = spans[i + 1..]
                    .iter()
                    .find(|s| !s.text.trim().is_empty())
                    .is_some_and(
                        |s| matches!(&s.mark, Some(Mark::Correction { note: n, .. }) if n == note),
                    );
                if !continues {
                    if let Some((_, id)) = open.take() {
                        p = p.add_comment_end(id);
                    }
                }
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
            title: "Clinic letter, J. S.".into(),
            made_at: "2026-12-04T10:00:00Z".into(),
        };
        let bytes = write(&blocks, &page).expect("a letter that passes its own check");
        assert!(check(&bytes).is_ok());
    }

    fn part(docx: &[u8], name: &str) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn a_letter_has_real_styles_a_bullet_list_british_english_and_honest_properties() {
        let blocks = crate::letter::render::blocks(
            "# Clinic letter\n\nDear Dr A,\n\n# Plan\n\n- Stop aspirin\n- Start apixaban",
        );
        let page = Page {
            letterhead: vec!["Riverside Trust".into()],
            comment_author: "dictate".into(),
            title: "Clinic letter, J. S.".into(),
            made_at: "2026-12-04T10:00:00Z".into(),
        };
        let bytes = write(&blocks, &page).unwrap();
        let document = part(&bytes, "word/document.xml");
        // The letter's kind as Title, a dictated heading as Heading 1 (Word's navigation pane),
        // each item a List Bullet paragraph in the bullet list (Enter continues it).
        assert!(
            document.contains("<w:pStyle w:val=\"Title\" />"),
            "{document}"
        );
        assert!(
            document.contains("<w:pStyle w:val=\"Heading1\" />"),
            "{document}"
        );
        assert_eq!(
            document
                .matches("<w:pStyle w:val=\"ListBullet\" />")
                .count(),
            2
        );
        assert_eq!(
            document
                .matches(&format!("<w:numId w:val=\"{BULLETS}\" />"))
                .count(),
            2
        );
        assert!(!document.contains('\u{2022}'), "no typed bullets");
        let numbering = part(&bytes, "word/numbering.xml");
        assert!(
            numbering.contains("<w:numFmt w:val=\"bullet\" />"),
            "{numbering}"
        );
        let styles = part(&bytes, "word/styles.xml");
        assert!(styles.contains("<w:lang w:val=\"en-GB\""), "{styles}");
        assert!(styles.contains("<w:outlineLvl w:val=\"0\" />"), "{styles}");
        // The footer's page numbers take the footer's size with its text.
        let footer = part(&bytes, "word/footer1.xml");
        assert!(footer.contains("<w:pStyle w:val=\"Footer\" />"), "{footer}");
        assert!(
            !footer.contains("w:sz "),
            "no run sizes of their own: {footer}"
        );
        let core = part(&bytes, "docProps/core.xml");
        for want in [
            "<dc:title>Clinic letter, J. S.</dc:title>",
            "<dc:creator>dictate</dc:creator>",
            "<dc:language>en-GB</dc:language>",
            ">2026-12-04T10:00:00Z</dcterms:created>",
        ] {
            assert!(core.contains(want), "{want} in {core}");
        }
        assert!(!core.contains("1970"), "{core}");
    }

    #[test]
    fn a_correction_is_a_tracked_change_with_its_comment() {
        let mut blocks = crate::letter::render::blocks("Started apixaban 5 mg daily.");
        crate::letter::render::mark_words(
            &mut blocks,
            &[(
                1,
                Mark::Correction {
                    heard: "a pixa ban".into(),
                    note: "Heard: \"a pixa ban\" (at 0:12; corrected by dictate, 80% sure)".into(),
                },
            )],
        );
        let page = Page {
            letterhead: Vec::new(),
            comment_author: "dictate".into(),
            title: "Clinic letter".into(),
            made_at: "2026-12-04T10:00:00Z".into(),
        };
        let bytes = write(&blocks, &page).unwrap();
        let document = part(&bytes, "word/document.xml");
        let del = document.find("<w:del ").expect("a deletion");
        let ins = document.find("<w:ins ").expect("an insertion");
        assert!(del < ins, "the heard words, then the term: {document}");
        assert!(document.contains("<w:delText xml:space=\"preserve\">a pixa ban</w:delText>"));
        assert!(document.contains("w:author=\"dictate\" w:date=\"2026-12-04T10:00:00Z\""));
        assert!(document.contains(&format!(
            "<w:commentRangeStart w:id=\"{}\" />",
            COMMENT_IDS + 1
        )));
        let comments = part(&bytes, "word/comments.xml");
        assert!(comments.contains("a pixa ban") && comments.contains("2026-12-04T10:00:00Z"));
    }

    #[test]
    fn control_characters_never_reach_the_xml() {
        assert_eq!(xml_text("Mr A\u{b}B\u{0}\u{1f}\u{FFFF}"), "Mr A B   ");
        assert_eq!(xml_text("Mr \u{202E}Smith"), "Mr  Smith");
        assert_eq!(xml_text("line\tone\nline two"), "line\tone\nline two");
    }
}
