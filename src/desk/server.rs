//! The desk's HTTP server: axum on a single-threaded tokio runtime (the desk serves one office,
//! and the machine's cores belong to transcription), the token checked before every route.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::edits::{self, Approval, Version};
use super::letters::Folder;
use crate::letter::record::DocBlock;
use crate::letter::{docx, render};

/// How `dictate review` was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub dir: PathBuf,
    pub addr: SocketAddr,
    /// The token every request must carry; a random one is made when none is given.
    pub token: Option<String>,
}

struct Desk {
    folder: Folder,
    token: String,
}

/// Serves the desk until the process is stopped. The first line written to `out` is the address
/// to open, token included (port 0 in `addr` takes a free port; the line says which).
pub fn serve(options: &Options, out: &mut dyn Write) -> Result<()> {
    let folder = Folder::open(&options.dir)?;
    let token = match &options.token {
        Some(t) if !t.trim().is_empty() => t.trim().to_owned(),
        Some(_) => anyhow::bail!("the review token is empty: give one, or none for a random one"),
        None => random_token()?,
    };
    if !options.addr.ip().is_loopback() {
        tracing::warn!(
            "the review desk listens on {}, which other machines can reach: letters hold \
             patient data, so keep the token to yourself and the network trusted",
            options.addr
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the review desk's runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .with_context(|| {
                format!(
                    "cannot listen on {}: is another desk running there? (try --addr with another port)",
                    options.addr
                )
            })?;
        let addr = listener.local_addr()?;
        writeln!(out, "http://{addr}/?token={token}")?;
        out.flush()?;
        tracing::info!("review desk on {addr} over {}", options.dir.display());
        let desk = Arc::new(Desk { folder, token });
        axum::serve(listener, router(desk))
            .await
            .context("the review desk stopped")
    })
}

fn router(desk: Arc<Desk>) -> Router {
    Router::new()
        .route("/", get(worklist_page))
        .route("/letters/{id}", get(letter_page))
        .route("/api/letters", get(list))
        .route("/api/letters/{id}", get(letter).put(save))
        .route("/api/letters/{id}/approve", post(approve))
        .route("/api/letters/{id}/audio", get(audio))
        .layer(middleware::from_fn_with_state(desk.clone(), check_token))
        .with_state(desk)
}

/// Every request carries the token, as `?token=` or `Authorization: Bearer`; without it, 401.
async fn check_token(State(desk): State<Arc<Desk>>, req: Request, next: Next) -> Response {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let query = Query::<HashMap<String, String>>::try_from_uri(req.uri())
        .ok()
        .and_then(|q| q.0.get("token").cloned());
    let given = bearer.or(query);
    if given.is_some_and(|t| same(t.as_bytes(), desk.token.as_bytes())) {
        next.run(req).await
    } else {
        (
            StatusCode::UNAUTHORIZED,
            "This page needs the review desk's token: open the address `dictate review` printed.\n",
        )
            .into_response()
    }
}

/// Compares two tokens in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn random_token() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("cannot make a review token from /dev/urandom: give one with --token")?;
    Ok(crate::fsio::hex(&bytes))
}

async fn worklist_page() -> Response {
    page(include_str!("../../assets/desk/worklist.html"))
}

async fn letter_page(UrlPath(_id): UrlPath<String>) -> Response {
    page(include_str!("../../assets/desk/letter.html"))
}

/// A page of the desk: no caching (they carry no data, but a letter's words come by the API),
/// and no other origin may frame or script them.
fn page(html: &'static str) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CACHE_CONTROL,
        "no-store".parse().expect("a valid header"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
         media-src 'self'; frame-ancestors 'none'"
            .parse()
            .expect("a valid header"),
    );
    (headers, Html(html)).into_response()
}

async fn list(State(desk): State<Arc<Desk>>) -> Response {
    match desk.folder.list() {
        Ok(letters) => no_store(Json(letters)),
        Err(e) => {
            tracing::warn!("{e:#}");
            (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}\n")).into_response()
        }
    }
}

async fn letter(State(desk): State<Arc<Desk>>, UrlPath(id): UrlPath<String>) -> Response {
    match desk.folder.letter(&id) {
        Some(letter) => no_store(Json(letter)),
        None => not_found(),
    }
}

/// A new version of a letter, as the secretary saved it.
#[derive(Debug, serde::Deserialize)]
struct Save {
    document: Vec<DocBlock>,
    editor: String,
    /// The version the page was showing.
    based_on: usize,
}

/// An approval of the letter's latest version.
#[derive(Debug, serde::Deserialize)]
struct Approve {
    editor: String,
    based_on: usize,
}

/// The most characters of an editor's name.
const MAX_NAME: usize = 100;

fn refused(status: StatusCode, message: &str) -> Response {
    (status, format!("{message}\n")).into_response()
}

/// The name typed at the desk, if it will do.
fn editor(name: &str) -> Option<String> {
    let name = name.trim();
    let fine =
        !name.is_empty() && name.chars().count() <= MAX_NAME && !name.chars().any(char::is_control);
    fine.then(|| name.to_owned())
}

fn nameless() -> Response {
    refused(
        StatusCode::BAD_REQUEST,
        "Type your name (at most 100 characters) before saving or approving.",
    )
}

/// Another save or approval came first: the page must load the letter again.
fn stale(current: usize) -> Response {
    refused(
        StatusCode::CONFLICT,
        &format!(
            "Someone saved or approved this letter since you opened it (it is now at version \
             {current}). Nothing was saved: open the letter again, then make your change."
        ),
    )
}

/// The letter `id` and the editor's name, where a save or an approval of it may go ahead: the
/// letter exists, a name was typed, and the page had seen its latest version.
fn checked(
    desk: &Desk,
    id: &str,
    name: &str,
    based_on: usize,
) -> std::result::Result<(super::Letter, String), Box<Response>> {
    let Some(letter) = desk.folder.letter(id) else {
        return Err(Box::new(not_found()));
    };
    let Some(editor) = editor(name) else {
        return Err(Box::new(nameless()));
    };
    if based_on != letter.version {
        return Err(Box::new(stale(letter.version)));
    }
    Ok((letter, editor))
}

/// Saves the secretary's version beside the draft (never over it), with who, when and what
/// changed.
async fn save(
    State(desk): State<Arc<Desk>>,
    UrlPath(id): UrlPath<String>,
    Json(body): Json<Save>,
) -> Response {
    let (letter, editor) = match checked(&desk, &id, &body.editor, body.based_on) {
        Ok(found) => found,
        Err(refusal) => return *refusal,
    };
    if body.document.is_empty() {
        return refused(
            StatusCode::BAD_REQUEST,
            "A letter with no blocks was not saved.",
        );
    }
    // Nothing awaits between reading and writing the review file, and the runtime has one
    // thread: one save at a time.
    let mut e = desk.folder.edits(&id);
    let changes = edits::changes(&letter.document, &body.document);
    e.versions.push(Version {
        document: body.document,
        editor,
        os_user: edits::os_user(),
        at: edits::now(),
        changes,
    });
    match edits::write(desk.folder.dir(), &id, &e) {
        Ok(()) => {
            tracing::info!("{id}: version {} saved", e.versions.len());
            no_store(Json(serde_json::json!({
                "version": e.versions.len(),
                "state": e.state(),
            })))
        }
        Err(err) => {
            tracing::warn!("{id}: {err:#}");
            refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("Not saved: {err:#}"),
            )
        }
    }
}

/// Writes the final letter, `approved/<id>.docx` (then `<id>-2.docx` ... when approved again):
/// the latest version without highlights, comments, notes box or draft line, atomically and
/// owner-only; the review file records who, when and which version.
async fn approve(
    State(desk): State<Arc<Desk>>,
    UrlPath(id): UrlPath<String>,
    Json(body): Json<Approve>,
) -> Response {
    let (letter, editor) = match checked(&desk, &id, &body.editor, body.based_on) {
        Ok(found) => found,
        Err(refusal) => return *refusal,
    };
    let page = docx::Page {
        letterhead: letter.letterhead.clone(),
        comment_author: "dictate".to_owned(),
    };
    let written = docx::write(&render::final_blocks(&letter.document), &page)
        .and_then(|bytes| write_approved(desk.folder.dir(), &id, &bytes));
    let file = match written {
        Ok(file) => file,
        Err(err) => {
            tracing::warn!("{id}: {err:#}");
            return refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("Not approved: {err:#}"),
            );
        }
    };
    let mut e = desk.folder.edits(&id);
    e.approvals.push(Approval {
        editor,
        os_user: edits::os_user(),
        at: edits::now(),
        version: letter.version,
        file: file.clone(),
    });
    if let Err(err) = edits::write(desk.folder.dir(), &id, &e) {
        tracing::warn!("{id}: {err:#}");
        return refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!(
                "The letter was written to {file}, but its approval was not recorded: {err:#}"
            ),
        );
    }
    tracing::info!("{id}: approved as {file}");
    no_store(Json(
        serde_json::json!({ "file": file, "state": e.state() }),
    ))
}

/// Writes `bytes` as `approved/<id>.docx`, or the first of `<id>-2.docx`, `<id>-3.docx` ...
/// not taken: an approved letter is never replaced. The name relative to `dir`.
fn write_approved(dir: &std::path::Path, id: &str, bytes: &[u8]) -> Result<String> {
    let folder = dir.join("approved");
    crate::fsio::create_private_dir(&folder)?;
    for n in 1..10_000 {
        let name = if n == 1 {
            format!("{id}.docx")
        } else {
            format!("{id}-{n}.docx")
        };
        if crate::fsio::write_new(&folder.join(&name), bytes, 0o600)? {
            return Ok(format!("approved/{name}"));
        }
    }
    anyhow::bail!(
        "`{}` holds 10,000 approvals of this letter",
        folder.display()
    )
}

/// The recording, as it is on disk, answering HTTP range requests (a browser's audio element
/// asks for the part it plays).
async fn audio(
    State(desk): State<Arc<Desk>>,
    UrlPath(id): UrlPath<String>,
    req: Request,
) -> Response {
    let Some(path) = desk.folder.recording(&id) else {
        return not_found();
    };
    match ServeFile::new(path).oneshot(req).await {
        Ok(response) => response.map(axum::body::Body::new),
        Err(e) => {
            tracing::warn!("{id}: cannot read its recording: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "cannot read the recording\n",
            )
                .into_response()
        }
    }
}

fn no_store(body: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], body).into_response()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        "No such letter in this folder (or its recording has moved).\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
        assert!(!same(b"", b"a"));
    }

    #[test]
    fn a_random_token_is_32_hex_digits_and_new_each_time() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
