//! The secretary's review desk (`dictate review LETTERS_DIR`): a small web server on this
//! machine over a letters folder. The worklist lists the letters; a letter's page shows it as
//! laid out, each word tied to the audio it came from (click a word to hear it; the word being
//! played is marked), the words Whisper was unsure of and the terms the pass wrote marked as in
//! the DOCX. Under the pages, a JSON API for other tools: `GET /api/letters`,
//! `GET /api/letters/{id}`, `GET /api/letters/{id}/audio` (the recording, with HTTP ranges),
//! `PUT /api/letters/{id}` (a new version), `POST /api/letters/{id}/approve` (the final DOCX
//! under `approved/`, without marks, notes box or draft line), `POST /api/letters/{id}/vocabulary`
//! (a term learned from the secretary's edits, into the site's vocabulary file: `learn`).
//! Every request needs the desk's token (`?token=` or `Authorization: Bearer`). The pages are
//! compiled into the binary: no network, no CDN. `letters` reads the folder; `edits` keeps what was done at the desk
//! (`LETTERS_DIR/review/<id>.json`: every saved version and approval); `server` answers.
//! The only code that knows axum, tokio and tower-http.

mod edits;
mod learn;
mod letters;
mod server;

pub use letters::{Folder, Letter, Summary};
pub use server::{serve, Options};
