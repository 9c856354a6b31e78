//! The DOCX writer: the one module that knows docx-rs (and the `image` crate that reads a
//! logo). It turns document blocks into a Word file: A4, the letterhead (with the practice's
//! logo) in the first page's header and the patient's name on later pages' header, "Confidential"
//! and "Page X of Y" in the footer, headings, paragraphs, bold spans, list items, the boxed notes
//! for the secretary, words to check highlighted in yellow, terminology corrections highlighted in
//! turquoise with a Word comment saying what was heard. It must not decide content.
//!
//! The letter edits as one typed in Word: real styles (Normal, Title for the letter's kind,
//! Heading 1 for dictated headings, List Bullet with a numbering definition so Enter continues a
//! list, Header and Footer, and Address, Reference and Signature for the paragraphs the template
//! gives a place), so a trust's house style or "update style" restyles every letter; the
//! recipient's address in a frame where a window envelope shows it; room to sign above the
//! typed signature; British English (en-GB) as the document's language, for Word's spelling check; the
//! author ("dictate"), the dates and a title that names the kind of letter and the patient's
//! initials only (no identifiers in the file's properties). A trust's reference document gives
//! its styles, page set-up, header and footer instead (`package`).

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use docx_rs::{
    AbstractNumbering, AlignmentType, Comment, Delete, Docx, Footer, Header, IndentLevel, Insert,
    Level, LevelJc, LevelText, LineSpacing, NumPages, NumberFormat, Numbering, NumberingId,
    PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, Shading, Start, Style, StyleType, Table,
    TableCell, TableRow, WidthType,
};

use crate::letter::package;
use crate::letter::render::{Block, Mark, Role, Span};
use crate::letter::site::{Logo, Look};

/// A4 in twentieths of a point.
const A4_WIDTH: u32 = 11_906;
const A4_HEIGHT: u32 = 16_838;
const MARGIN: u32 = 1134;

/// Twentieths of a point in a millimetre.
const TWIPS_PER_MM: f64 = 56.693;

/// Where the recipient's address goes, from the page's top left corner (mm): in the window of a
/// UK DL or C5 window envelope (a window about 90 by 35 mm, 20 mm from the left, with the letter
/// folded in three), whatever comes above it on the page.
const ADDRESS_LEFT_MM: f64 = 22.0;
const ADDRESS_TOP_MM: f64 = 47.0;
const ADDRESS_WIDTH_MM: f64 = 85.0;

/// Room to sign above the typed signature: about four lines.
const ROOM_TO_SIGN: u32 = 1100;

/// What goes around the letter on every page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Letterhead lines (the first in bold), on the first page; none and no logo: no header there.
    pub letterhead: Vec<String>,
    /// The header of every page after the first (the patient's name and numbers, so a loose page
    /// finds its letter); none: the first page's header on every page.
    pub continuation: Vec<String>,
    /// The trust's logo and reference document.
    pub look: Arc<Look>,
    /// The comments' author ("dictate").
    pub comment_author: String,
    /// The document's title in its properties: the letter's kind and the patient's initials
    /// ("Clinic letter, E. W."), never a name or a number.
    pub title: String,
    /// When the letter was made (RFC 3339, UTC): the document's and the comments' dates.
    pub made_at: String,
}

/// EMUs in a millimetre and in a pixel at 96 dots an inch (Word's size for an image that says
/// none).
const EMU_PER_MM: f64 = 36_000.0;
const EMU_PER_PX: f64 = 9_525.0;

impl Look {
    /// Reads the logo (PNG or JPEG; `width_mm` wide, else its pixels at 96 dots an inch, at most
    /// the page's width inside its margins) and the reference DOCX. A file missing, unreadable
    /// or not what it should be is an error naming it and the config key.
    pub fn load(
        logo: Option<&Path>,
        width_mm: Option<f64>,
        reference: Option<&Path>,
    ) -> Result<Look> {
        let logo = logo.map(|p| read_logo(p, width_mm)).transpose()?;
        let reference = match reference {
            None => None,
            Some(p) => {
                let bytes = std::fs::read(p).with_context(|| {
                    format!(
                        "cannot read the reference document `{}` (`reference_docx` in the \
                         config)",
                        p.display()
                    )
                })?;
                package::check_reference(&bytes).with_context(|| {
                    format!(
                        "the reference document `{}` (`reference_docx` in the config) cannot be \
                         used; save it from Word as a .docx",
                        p.display()
                    )
                })?;
                Some(bytes)
            }
        };
        Ok(Look { logo, reference })
    }
}

fn read_logo(path: &Path, width_mm: Option<f64>) -> Result<Logo> {
    let said = || {
        format!(
            "the logo `{}` (`logo` under `[letterhead]` in the config)",
            path.display()
        )
    };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", said()))?;
    let format = image::guess_format(&bytes)
        .ok()
        .filter(|f| matches!(f, image::ImageFormat::Png | image::ImageFormat::Jpeg))
        .with_context(|| format!("{} is not a PNG or JPEG image: save it as PNG", said()))?;
    let img = image::load_from_memory_with_format(&bytes, format)
        .with_context(|| format!("{} cannot be read as an image", said()))?;
    let (width_px, height_px) = (img.width(), img.height());
    anyhow::ensure!(width_px > 0 && height_px > 0, "{} has no pixels", said());
    let png = if format == image::ImageFormat::Png {
        bytes
    } else {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png)
            .with_context(|| format!("cannot turn {} into PNG", said()))?;
        out.into_inner()
    };
    if let Some(w) = width_mm {
        anyhow::ensure!(
            w > 0.0 && w <= 170.0,
            "`logo_width_mm = {w}` under `[letterhead]` in the config: give a width between 1 and \
             170 (mm)"
        );
    }
    let text_width = f64::from(A4_WIDTH - 2 * MARGIN) / TWIPS_PER_MM * EMU_PER_MM;
    let width = width_mm
        .map_or(f64::from(width_px) * EMU_PER_PX, |w| w * EMU_PER_MM)
        .min(text_width);
    let height = width * f64::from(height_px) / f64::from(width_px);
    Ok(Logo {
        png,
        width_px,
        height_px,
        width_emu: width.round() as u32,
        height_emu: height.round() as u32,
    })
}

/// Where comment ids start.
const COMMENT_IDS: usize = 100_000;

/// The bullet list's numbering definition (docx-rs writes a decimal one as 1).
const BULLETS: usize = 2;

/// Builds the DOCX bytes for `blocks`.
pub fn write(blocks: &[Block], page: &Page) -> Result<Vec<u8>> {
    let footer = || {
        Footer::new().add_paragraph(
            Paragraph::new()
                .style("Footer")
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text("Confidential"))
                .add_run(Run::new().add_text("    Page "))
                .add_page_num(PageNum::new())
                .add_run(Run::new().add_text(" of "))
                .add_num_pages(NumPages::new()),
        )
    };
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
        .footer(footer());
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
    if let Some(first) = letterhead(page) {
        if page.continuation.is_empty() {
            doc = doc.header(first);
        } else {
            // A first page of its own: the letterhead there, the patient on the pages after.
            let mut later = Header::new();
            for line in &page.continuation {
                later = later.add_paragraph(
                    Paragraph::new()
                        .style("Header")
                        .align(AlignmentType::Right)
                        .add_run(Run::new().add_text(xml_text(line)).size(18)),
                );
            }
            doc = doc
                .header(later)
                .first_header(first)
                .first_footer(footer())
                .title_pg();
        }
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
    let bytes = package::finish(
        &buf.into_inner(),
        &package::Properties {
            title: &page.title,
            author: &page.comment_author,
            made_at: &page.made_at,
        },
        page.look.reference.as_deref(),
    )?;
    // A letter Word or LibreOffice would refuse is a failed job, never a done one.
    check(&bytes).context("the DOCX file built is not well-formed (a bug: please report it)")?;
    Ok(bytes)
}

/// Checks every XML part of a DOCX ([`package::check`]).
pub fn check(docx: &[u8]) -> Result<()> {
    package::check(docx)
}

/// The first page's header: the logo, then the letterhead lines, on the right.
fn letterhead(page: &Page) -> Option<Header> {
    if page.letterhead.is_empty() && page.look.logo.is_none() {
        return None;
    }
    let mut header = Header::new();
    if let Some(logo) = &page.look.logo {
        let pic = Pic::new_with_dimensions(logo.png.clone(), logo.width_px, logo.height_px)
            .size(logo.width_emu, logo.height_emu);
        header = header.add_paragraph(
            Paragraph::new()
                .style("Header")
                .align(AlignmentType::Right)
                .add_run(Run::new().add_image(pic)),
        );
    }
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
    Some(header)
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
        Style::new("Address", StyleType::Paragraph)
            .name("Address")
            .based_on("Normal")
            .q_format(true)
            .line_spacing(LineSpacing::new().after(0)),
        Style::new("Reference", StyleType::Paragraph)
            .name("Reference")
            .based_on("Normal")
            .q_format(true)
            .size(18),
        Style::new("Signature", StyleType::Paragraph)
            .name("Signature")
            .based_on("Normal")
            .q_format(true)
            .line_spacing(LineSpacing::new().before(ROOM_TO_SIGN)),
    ]
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
        Block::Paragraph(lines) | Block::Placed(_, lines) => {
            let mut p = match block {
                Block::Placed(role, _) => placed(*role),
                _ => Paragraph::new(),
            };
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

/// A paragraph with a place on the page: the address in a frame at the envelope's window (the
/// text before and after it goes above or below it, never beside or over it), the references
/// small, room to sign above the typed signature.
fn placed(role: Role) -> Paragraph {
    let twips = |mm: f64| (mm * TWIPS_PER_MM).round() as i32;
    match role {
        Role::Address => Paragraph::new()
            .style("Address")
            .h_anchor("page")
            .v_anchor("page")
            .frame_x(twips(ADDRESS_LEFT_MM))
            .frame_y(twips(ADDRESS_TOP_MM))
            .frame_width(twips(ADDRESS_WIDTH_MM) as u32)
            .wrap("notBeside"),
        Role::Reference => Paragraph::new().style("Reference"),
        Role::Signature => Paragraph::new().style("Signature"),
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
            ..Page::default()
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
            ..Page::default()
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
    fn the_address_sits_in_the_window_there_is_room_to_sign_and_later_pages_name_the_patient() {
        let blocks = crate::letter::render::blocks(
            "::: address\nDr A Mitchell\n2 Mill Lane\n\n::: reference\nTyped: 4 December 2026\n\n\
             Text.\n\nYours sincerely\n\n::: signature\nDr K Mensah",
        );
        let page = Page {
            letterhead: vec!["Riverside Trust".into()],
            continuation: vec!["Re: Mr R Fairclough".into()],
            ..Page::default()
        };
        let bytes = write(&blocks, &page).unwrap();
        let document = part(&bytes, "word/document.xml");
        assert!(
            document.contains("w:hAnchor=\"page\"") && document.contains("w:y=\"2665\""),
            "{document}"
        );
        for style in ["Address", "Reference", "Signature"] {
            assert!(document.contains(&format!("<w:pStyle w:val=\"{style}\" />")));
        }
        assert!(document.contains("<w:titlePg"), "{document}");
        assert!(document.contains("w:type=\"first\""), "{document}");
        let headers: Vec<String> = (1..=2)
            .map(|i| part(&bytes, &format!("word/header{i}.xml")))
            .collect();
        assert!(headers.iter().any(|h| h.contains("Re: Mr R Fairclough")));
        assert!(headers.iter().any(|h| h.contains("Riverside Trust")));
        // Both footers (the first page's and the others') number the pages.
        for i in 1..=2 {
            assert!(part(&bytes, &format!("word/footer{i}.xml")).contains("PAGE"));
        }
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
            ..Page::default()
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
