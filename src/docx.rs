//! The DOCX writer: the one module that knows docx-rs. It turns document blocks into a Word file
//! (A4, headings, paragraphs, bold spans, a confidential footer). It must not decide content.

use anyhow::{Context, Result};
use docx_rs::{AlignmentType, Docx, Footer, PageMargin, Paragraph, Run, RunFonts};

use crate::render::Block;

/// A4 in twentieths of a point.
const A4_WIDTH: u32 = 11_906;
const A4_HEIGHT: u32 = 16_838;

/// Builds the DOCX bytes for `blocks`.
pub fn write(blocks: &[Block]) -> Result<Vec<u8>> {
    let mut doc = Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1134)
                .right(1134),
        )
        .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .default_size(22)
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text("Confidential").size(16)),
            ),
        );
    for block in blocks {
        doc = doc.add_paragraph(paragraph(block));
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .context("cannot build the DOCX file")?;
    Ok(buf.into_inner())
}

fn paragraph(block: &Block) -> Paragraph {
    match block {
        Block::Heading(text) => Paragraph::new().add_run(Run::new().add_text(text).bold().size(26)),
        Block::Paragraph(lines) => {
            let mut p = Paragraph::new();
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    p = p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping));
                }
                for span in line {
                    let mut run = Run::new().add_text(&span.text);
                    if span.bold {
                        run = run.bold();
                    }
                    p = p.add_run(run);
                }
            }
            p
        }
    }
}
