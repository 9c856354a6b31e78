//! The DOCX as a package of parts (the module that knows `zip` for letters): what docx-rs does not
//! write is set here on the parts it wrote. The document's properties and British English; a
//! trust's reference document's styles, page set-up, header and footer taken over (as pandoc's
//! reference document is); and the check that every XML part is well-formed. It must not decide
//! content: the words come from the writer.

use std::io::{Read, Write};

use anyhow::{Context, Result};
use regex::Regex;

/// The document's properties: no identifiers (the title names the kind and initials only).
pub struct Properties<'a> {
    pub title: &'a str,
    pub author: &'a str,
    /// RFC 3339, UTC.
    pub made_at: &'a str,
}

/// A DOCX's parts in order: name and bytes.
type Parts = Vec<(String, Vec<u8>)>;

fn read_parts(docx: &[u8]) -> Result<Parts> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).context("not a ZIP file")?;
    let mut parts = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).context("a damaged part")?;
        let name = part.name().to_owned();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes)
            .with_context(|| format!("cannot read the part `{name}`"))?;
        parts.push((name, bytes));
    }
    Ok(parts)
}

fn text_of<'p>(parts: &'p Parts, name: &str) -> Option<&'p str> {
    parts
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, b)| std::str::from_utf8(b).ok())
}

fn set_text(parts: &mut Parts, name: &str, text: String) {
    match parts.iter_mut().find(|(n, _)| n == name) {
        Some(part) => part.1 = text.into_bytes(),
        None => parts.push((name.to_owned(), text.into_bytes())),
    }
}

/// Checks that `bytes` are a DOCX a letter can take its look from: a ZIP with a document and
/// styles. Said in the error: what is wrong, for the config's owner to fix.
pub fn check_reference(bytes: &[u8]) -> Result<()> {
    let parts = read_parts(bytes).context("not a DOCX file (not a ZIP archive)")?;
    for name in ["word/document.xml", "word/styles.xml"] {
        anyhow::ensure!(
            text_of(&parts, name).is_some(),
            "not a DOCX file Word wrote (it has no `{name}`)"
        );
    }
    Ok(())
}

/// The finished DOCX: properties set, British English, the reference document's look taken
/// over where there is one.
pub fn finish(docx: &[u8], props: &Properties<'_>, reference: Option<&[u8]>) -> Result<Vec<u8>> {
    let mut parts = read_parts(docx)?;
    set_text(&mut parts, "docProps/core.xml", core_properties(props));
    let styles = text_of(&parts, "word/styles.xml")
        .context("no styles part")?
        .replacen(
            "<w:rPrDefault><w:rPr>",
            "<w:rPrDefault><w:rPr><w:lang w:val=\"en-GB\" w:eastAsia=\"en-GB\" w:bidi=\"ar-SA\" />",
            1,
        );
    set_text(&mut parts, "word/styles.xml", styles);
    if let Some(reference) = reference {
        let reference = read_parts(reference).context("the reference document is not a DOCX")?;
        take_look(&mut parts, &reference)?;
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        out.start_file(name, options)?;
        out.write_all(&bytes)?;
    }
    Ok(out.finish()?.into_inner())
}

fn core_properties(p: &Properties<'_>) -> String {
    let esc = |s: &str| quick_xml::escape::escape(crate::text::blank_unshowable(s)).into_owned();
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
        title = esc(p.title),
        author = esc(p.author),
        at = esc(p.made_at),
    )
}

fn re(pattern: &str) -> Result<Regex> {
    Regex::new(pattern).with_context(|| format!("the pattern {pattern} (a bug: please report it)"))
}

/// The reference document's styles (with the letter's own that it lacks), page size and
/// margins, headers and footers, in place of the letter's.
fn take_look(parts: &mut Parts, reference: &Parts) -> Result<()> {
    let ours = text_of(parts, "word/styles.xml").context("no styles part")?;
    if let Some(theirs) = text_of(reference, "word/styles.xml") {
        let styles = merged_styles(theirs, ours)?;
        set_text(parts, "word/styles.xml", styles);
    }
    let Some(their_doc) = text_of(reference, "word/document.xml") else {
        return Ok(());
    };
    let sect = re(r"(?s)<w:sectPr[ >].*?</w:sectPr>")?;
    let Some(their_sect) = sect
        .find_iter(their_doc)
        .last()
        .map(|m| m.as_str().to_owned())
    else {
        return Ok(());
    };
    let mut doc = text_of(parts, "word/document.xml")
        .context("no document part")?
        .to_owned();
    let Some(at) = sect.find_iter(&doc).last().map(|m| m.range()) else {
        return Ok(());
    };
    let mut our_sect = doc[at.clone()].to_owned();
    for element in ["pgSz", "pgMar"] {
        let pattern = re(&format!(r"<w:{element}\b[^>]*/>"))?;
        if let (Some(theirs), Some(_)) = (pattern.find(&their_sect), pattern.find(&our_sect)) {
            our_sect = pattern
                .replace(&our_sect, regex::NoExpand(theirs.as_str()))
                .into_owned();
        }
    }
    our_sect = take_headers(parts, reference, &their_sect, our_sect)?;
    doc.replace_range(at, &our_sect);
    set_text(parts, "word/document.xml", doc);
    Ok(())
}

/// The reference's styles, with each of the letter's styles it does not define added.
fn merged_styles(theirs: &str, ours: &str) -> Result<String> {
    let id = re(r#"w:styleId="([^"]*)""#)?;
    let known: Vec<&str> = id
        .captures_iter(theirs)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str())
        .collect();
    let style = re(r"(?s)<w:style\b[^>]*>.*?</w:style>")?;
    let missing: String = style
        .find_iter(ours)
        .map(|m| m.as_str())
        .filter(|s| {
            id.captures(s)
                .and_then(|c| c.get(1))
                .is_some_and(|m| !known.contains(&m.as_str()))
        })
        .collect();
    Ok(match theirs.rfind("</w:styles>") {
        Some(end) => format!("{}{missing}{}", &theirs[..end], &theirs[end..]),
        None => theirs.to_owned(),
    })
}

/// The reference's headers and footers (each kind it has replaces the letter's of that kind),
/// copied in with their relationships and pictures; `our_sect` with its references changed.
fn take_headers(
    parts: &mut Parts,
    reference: &Parts,
    their_sect: &str,
    mut our_sect: String,
) -> Result<String> {
    let reference_el = re(r"<w:(header|footer)Reference\b[^>]*/>")?;
    let relationship = re(r"<Relationship\b[^>]*/>")?;
    let attr = |el: &str, name: &str| {
        re(&format!(r#"(?:^|\s){name}="([^"]*)""#))
            .ok()?
            .captures(el)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_owned())
    };
    let their_rels = text_of(reference, "word/_rels/document.xml.rels").unwrap_or("");
    let target_of = |id: &str| {
        relationship
            .find_iter(their_rels)
            .map(|m| m.as_str())
            .find(|r| attr(r, "Id").as_deref() == Some(id))
            .and_then(|r| attr(r, "Target"))
    };
    // (kind, type, part name in the reference) of each header and footer it has.
    let theirs: Vec<(String, String, String)> = reference_el
        .captures_iter(their_sect)
        .filter_map(|c| {
            let el = c.get(0)?.as_str();
            let kind = c.get(1)?.as_str().to_owned();
            let target = target_of(&attr(el, "r:id")?)?;
            Some((kind, attr(el, "w:type")?, target))
        })
        .collect();
    if theirs.is_empty() {
        return Ok(our_sect);
    }
    let their_title_page = re(r#"<w:titlePg\s*/>|<w:titlePg w:val="(1|true|on)"\s*/>"#)?;
    let title_page = their_title_page.is_match(their_sect);
    for kind in ["header", "footer"] {
        if theirs.iter().any(|(k, _, _)| k == kind) {
            our_sect = re(&format!(r"<w:{kind}Reference\b[^>]*/>"))?
                .replace_all(&our_sect, "")
                .into_owned();
        }
    }
    let mut rels = text_of(parts, "word/_rels/document.xml.rels")
        .context("no relationships part")?
        .to_owned();
    let mut types = text_of(parts, "[Content_Types].xml")
        .context("no content types part")?
        .to_owned();
    let mut added = String::new();
    for (n, (kind, kind_type, target)) in theirs.iter().enumerate() {
        let name = format!("reference-{}", target.trim_start_matches("./"));
        let id = format!("rIdReference{n}");
        if !parts.iter().any(|(p, _)| *p == format!("word/{name}")) {
            copy_part(parts, reference, target, &name, &mut types)?;
            rels = rels.replacen(
                "</Relationships>",
                &format!(
                    "<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}\" Target=\"{name}\"/></Relationships>"
                ),
                1,
            );
            types = types.replacen(
                "</Types>",
                &format!(
                    "<Override PartName=\"/word/{name}\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml\"/></Types>"
                ),
                1,
            );
        }
        let id = rels_id(&rels, &name)?.unwrap_or(id);
        added.push_str(&format!(
            "<w:{kind}Reference w:type=\"{kind_type}\" r:id=\"{id}\" />"
        ));
        // A first page shows the reference's own header or footer where it has no first-page one.
        let has_first = theirs.iter().any(|(k, t, _)| k == kind && t == "first");
        if kind_type == "default" && !has_first && our_sect.contains("<w:titlePg") {
            added.push_str(&format!(
                "<w:{kind}Reference w:type=\"first\" r:id=\"{id}\" />"
            ));
        }
    }
    if title_page && !our_sect.contains("<w:titlePg") {
        our_sect = our_sect.replacen("</w:sectPr>", "<w:titlePg /></w:sectPr>", 1);
    }
    let open_end = our_sect.find('>').map_or(0, |i| i + 1);
    our_sect.insert_str(open_end, &added);
    set_text(parts, "word/_rels/document.xml.rels", rels);
    set_text(parts, "[Content_Types].xml", types);
    Ok(our_sect)
}

/// The id of the relationship to `target`, where the letter already has one.
fn rels_id(rels: &str, target: &str) -> Result<Option<String>> {
    let pattern = re(&format!(
        r#"<Relationship Id="([^"]*)"[^>]*Target="{}""#,
        regex::escape(target)
    ))?;
    Ok(pattern
        .captures(rels)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_owned()))
}

/// Copies the reference's `word/<target>` to `word/<name>`, with its relationships and the
/// pictures they name (renamed alike), and the content type of each picture's extension.
fn copy_part(
    parts: &mut Parts,
    reference: &Parts,
    target: &str,
    name: &str,
    types: &mut String,
) -> Result<()> {
    let bytes = reference
        .iter()
        .find(|(n, _)| *n == format!("word/{target}"))
        .map(|(_, b)| b.clone())
        .with_context(|| format!("the reference document has no part `word/{target}`"))?;
    parts.push((format!("word/{name}"), bytes));
    let Some(rels) = text_of(reference, &format!("word/_rels/{target}.rels")) else {
        return Ok(());
    };
    let mut rels = rels.to_owned();
    let internal = re(r#"<Relationship\b[^>]*Target="media/([^"]*)"[^>]*/>"#)?;
    let media: Vec<String> = internal
        .captures_iter(&rels.clone())
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_owned()))
        .collect();
    let their_types = text_of(reference, "[Content_Types].xml").unwrap_or("");
    for file in media {
        let renamed = format!("reference-{file}");
        if let Some((_, b)) = reference
            .iter()
            .find(|(n, _)| *n == format!("word/media/{file}"))
        {
            if !parts
                .iter()
                .any(|(n, _)| *n == format!("word/media/{renamed}"))
            {
                parts.push((format!("word/media/{renamed}"), b.clone()));
            }
        }
        rels = rels.replace(
            &format!("Target=\"media/{file}\""),
            &format!("Target=\"media/{renamed}\""),
        );
        let ext = file.rsplit('.').next().unwrap_or("").to_lowercase();
        let default = re(&format!(
            r#"(?i)<Default Extension="{}"[^>]*/>"#,
            regex::escape(&ext)
        ))?;
        if !default.is_match(types) {
            if let Some(d) = default.find(their_types) {
                *types = types.replacen("</Types>", &format!("{}</Types>", d.as_str()), 1);
            }
        }
    }
    parts.push((format!("word/_rels/{name}.rels"), rels.into_bytes()));
    Ok(())
}

/// Checks every XML part of a DOCX: characters XML 1.0 allows, and well-formed (tags closed in
/// order).
pub fn check(docx: &[u8]) -> Result<()> {
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
