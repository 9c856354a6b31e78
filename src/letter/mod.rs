//! The letter: the dictated header and headings (`header`), the letter model built from the
//! corrected transcript with the sidecar's and the practice's facts (`build`, over the plain data
//! of `kind`, `sidecar` and `site`; dates written by `dates`), its rendering through Tera templates (`render`), the DOCX
//! (`docx`, the only code that knows docx-rs, over `package`, the DOCX's parts) and the JSON record's shape (`record`). Nothing here
//! reads audio or runs the model.

pub mod build;
pub mod dates;
pub mod docx;
pub mod header;
pub mod kind;
mod package;
pub mod record;
pub mod render;
pub mod sidecar;
pub mod site;
mod word_accounting;
