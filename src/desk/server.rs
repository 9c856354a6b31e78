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

use super::edits::{self, Approval, Learned, Version};
use super::learn::{self, Proposal};
use super::letters::Folder;
use crate::config::{Config, DeskConfig};
use crate::jobs::ledger::{Ledger, Review};
use crate::letter::record::DocBlock;
use crate::letter::{docx, render};
use crate::text::terms::Lexicon;

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
    /// Who may read the review files and approved letters besides their owner.
    access: crate::fsio::Access,
    token: String,
    /// Keys, and the vocabulary file accepted terms go to.
    settings: DeskConfig,
    /// What the terminology pass knows: a typed word it lacks is proposed as a term.
    lexicon: Option<Lexicon>,
    /// WAV copies of recordings a browser cannot play (DSS, AIFF ...), made on first request,
    /// owner-only, removed when the desk stops.
    copies: tempfile::TempDir,
    /// The trust's logo and reference document, for the approved letters.
    look: Arc<crate::letter::site::Look>,
}

/// Serves the desk until the process is stopped. The first line written to `out` is the address
/// to open, token included (port 0 in `addr` takes a free port; the line says which).
pub fn serve(options: &Options, config: &Config, out: &mut dyn Write) -> Result<()> {
    let access = config.output_access()?.letters;
    let folder = Folder::open(&options.dir)?;
    let settings = config.desk.clone();
    if let Some(file) = &settings.vocabulary {
        if !config.terms.vocabulary.contains(file) {
            tracing::warn!(
                "terms accepted at the desk go to `{}`, which is not among the config's \
                 `vocabulary` files: add it there, or letters will not use them",
                file.display()
            );
        }
        if !file.exists() {
            crate::fsio::write_new(
                file,
                b"# Terms the review desk learned from the secretaries' edits: term = heard as\n",
                0o600,
            )?;
        }
    }
    let lexicon = crate::jobs::setup::load_lexicon(config)?;
    let copies = tempfile::Builder::new()
        .prefix("dictate-desk-")
        .tempdir()
        .context("cannot make a folder for playable copies of recordings")?;
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
        let desk = Arc::new(Desk {
            folder,
            access,
            token,
            settings,
            lexicon,
            copies,
            look: config.site.look.clone(),
        });
        axum::serve(listener, router(desk))
            .await
            .context("the review desk stopped")
    })
}

fn router(desk: Arc<Desk>) -> Router {
    Router::new()
        .route("/", get(worklist_page))
        .route("/letters/{id}", get(letter_page))
        .route("/api/desk", get(settings))
        .route("/api/letters", get(list))
        .route("/api/letters/{id}/vocabulary", post(vocabulary))
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
        Some(mut letter) => {
            letter.proposals = desk.proposals(&id, &letter);
            no_store(Json(letter))
        }
        None => not_found(),
    }
}

/// What the pages need of the desk's settings: the playback keys, and whether accepted terms
/// have a vocabulary file to go to.
async fn settings(State(desk): State<Arc<Desk>>) -> Response {
    no_store(Json(serde_json::json!({
        "keys": desk.settings.keys,
        "vocabulary": desk.settings.vocabulary.as_ref().map(|p| p.display().to_string()),
    })))
}

impl Desk {
    /// The terms this letter's edits could teach, less those already answered or listed.
    fn proposals(&self, id: &str, letter: &super::Letter) -> Vec<Proposal> {
        if letter.version == 0 {
            return Vec::new();
        }
        let listed: Vec<String> = self
            .settings
            .vocabulary
            .as_deref()
            .map(learn::listed_terms)
            .unwrap_or_default();
        let known = |w: &str| {
            listed.contains(&learn::plain(w)) || self.lexicon.as_ref().is_some_and(|l| l.knows(w))
        };
        let answered: Vec<String> = self
            .folder
            .edits(id)
            .learned
            .iter()
            .map(|l| learn::plain(&l.term))
            .collect();
        learn::proposals(&letter.draft, &letter.document, &known)
            .into_iter()
            .filter(|p| {
                let term = learn::plain(&p.term);
                !answered.contains(&term) && !listed.contains(&term)
            })
            .collect()
    }

    /// Records a review event in the folder's ledger (made if the folder has none). The review
    /// file already holds it: a ledger that cannot be written is logged, not fatal.
    fn record(
        &self,
        letter: &str,
        event: &str,
        version: usize,
        editor: &str,
        file: Option<String>,
    ) {
        let review = Review {
            letter: letter.to_owned(),
            event: event.to_owned(),
            version,
            editor: editor.to_owned(),
            os_user: edits::os_user(),
            at: edits::now(),
            file,
        };
        if let Err(e) = Ledger::open(self.folder.dir()).and_then(|mut l| l.reviewed(&review)) {
            tracing::warn!("{letter}: the ledger did not record its {event}: {e:#}");
        }
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
) -> Refusable<(super::Letter, String)> {
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
/// changed. Any NHS number in the letter that fails its check digit is named in the answer.
async fn save(
    State(desk): State<Arc<Desk>>,
    UrlPath(id): UrlPath<String>,
    Json(body): Json<Save>,
) -> Response {
    if body.document.is_empty() {
        return refused(
            StatusCode::BAD_REQUEST,
            "A letter with no blocks was not saved.",
        );
    }
    let warnings = nhs_warnings(&body.document);
    let done = edits::locked(desk.folder.dir(), &id, desk.access, || -> Refusable<_> {
        let (letter, editor) = checked(&desk, &id, &body.editor, body.based_on)?;
        let mut e = desk.folder.edits(&id);
        let changes = edits::changes(&letter.document, &body.document);
        e.versions.push(Version {
            document: body.document,
            editor: editor.clone(),
            os_user: edits::os_user(),
            at: edits::now(),
            changes,
        });
        edits::write(desk.folder.dir(), &id, &e, desk.access)
            .map_err(|err| failed("Not saved", &id, &err))?;
        Ok((e, editor))
    });
    let (e, editor) = match done {
        Ok(Ok(saved)) => saved,
        Ok(Err(refusal)) => return *refusal,
        Err(err) => return *failed("Not saved", &id, &err),
    };
    let version = e.versions.len();
    desk.record(&id, "saved", version, &editor, None);
    tracing::info!("{id}: version {version} saved");
    no_store(Json(serde_json::json!({
        "version": version,
        "state": e.state(),
        "warnings": warnings,
    })))
}

/// A result, or the answer that refuses the request.
type Refusable<T> = std::result::Result<T, Box<Response>>;

/// A request that could not be done for a reason on this machine (a disk, a permission).
fn failed(what: &str, id: &str, err: &anyhow::Error) -> Box<Response> {
    tracing::warn!("{id}: {err:#}");
    Box::new(refused(
        StatusCode::INTERNAL_SERVER_ERROR,
        &format!("{what}: {err:#}"),
    ))
}

/// NHS numbers (ten digits, written 3-3-4 or together, after "NHS" on the same line) whose
/// Modulus 11 check digit is wrong: mistyped or misheard.
fn nhs_warnings(document: &[DocBlock]) -> Vec<String> {
    static NUMBER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\bNHS\b[^0-9]{0,30}(\d{3}[ -]?\d{3}[ -]?\d{4})\b")
            .expect("a valid pattern")
    });
    let mut out = Vec::new();
    for line in document.iter().flat_map(|b| &b.lines) {
        let text: Vec<&str> = line.iter().map(|w| w.text.as_str()).collect();
        for c in NUMBER.captures_iter(&text.join(" ")) {
            let number = &c[1];
            if !crate::text::numbers::nhs_valid(number) {
                out.push(format!(
                    "NHS number {number} fails the Modulus 11 check: check it against the \
                     referral or the patient record"
                ));
            }
        }
    }
    out
}

/// Writes the final letter, `approved/<id>.docx` (then `<id>-2.docx` ... when approved again):
/// the latest version without highlights, comments, notes box or draft line, atomically and
/// owner-only; the review file and the ledger record who, when and which version.
async fn approve(
    State(desk): State<Arc<Desk>>,
    UrlPath(id): UrlPath<String>,
    Json(body): Json<Approve>,
) -> Response {
    let done = edits::locked(desk.folder.dir(), &id, desk.access, || -> Refusable<_> {
        let (letter, editor) = checked(&desk, &id, &body.editor, body.based_on)?;
        let kind = serde_json::from_value::<crate::letter::kind::LetterKind>(
            letter.summary.kind.clone().into(),
        )
        .map_or("Letter", |k| k.title());
        let page = docx::Page {
            letterhead: letter.letterhead.clone(),
            comment_author: editor.clone(),
            title: crate::letter::kind::document_title(
                kind,
                letter.summary.header.patient.as_deref(),
            ),
            made_at: edits::now(),
            continuation: letter.summary.header.continuation.clone(),
            look: desk.look.clone(),
        };
        let file = docx::write(&render::final_blocks(&letter.document), &page)
            .and_then(|bytes| write_approved(desk.folder.dir(), &id, &bytes, desk.access))
            .map_err(|err| failed("Not approved", &id, &err))?;
        let mut e = desk.folder.edits(&id);
        e.approvals.push(Approval {
            editor: editor.clone(),
            os_user: edits::os_user(),
            at: edits::now(),
            version: letter.version,
            file: file.clone(),
        });
        edits::write(desk.folder.dir(), &id, &e, desk.access).map_err(|err| {
            failed(
                &format!("The letter was written to {file}, but its approval was not recorded"),
                &id,
                &err,
            )
        })?;
        Ok((e, editor, file, letter.version))
    });
    let (e, editor, file, version) = match done {
        Ok(Ok(approved)) => approved,
        Ok(Err(refusal)) => return *refusal,
        Err(err) => return *failed("Not approved", &id, &err),
    };
    desk.record(&id, "approved", version, &editor, Some(file.clone()));
    tracing::info!("{id}: approved as {file}");
    no_store(Json(
        serde_json::json!({ "file": file, "state": e.state() }),
    ))
}

/// The secretary's answer to a proposed term.
#[derive(Debug, serde::Deserialize)]
struct Answer {
    term: String,
    editor: String,
    /// Into the vocabulary file (true), or not a term (false).
    accept: bool,
}

/// Accepts a proposed term into the vocabulary file (`term = heard as`), or turns it down; either
/// way it is not proposed again, and the review file says who answered and when.
async fn vocabulary(
    State(desk): State<Arc<Desk>>,
    UrlPath(id): UrlPath<String>,
    Json(body): Json<Answer>,
) -> Response {
    let Some(letter) = desk.folder.letter(&id) else {
        return not_found();
    };
    let Some(editor) = editor(&body.editor) else {
        return nameless();
    };
    let wanted = learn::plain(&body.term);
    let Some(proposal) = desk
        .proposals(&id, &letter)
        .into_iter()
        .find(|p| learn::plain(&p.term) == wanted)
    else {
        return refused(
            StatusCode::CONFLICT,
            "That term is not proposed for this letter (any more): open the letter again.",
        );
    };
    let file =
        match (&desk.settings.vocabulary, body.accept) {
            (Some(path), true) => {
                if let Err(err) = learn::append(path, &proposal) {
                    return *failed("Not added", &id, &err);
                }
                Some(path.display().to_string())
            }
            (None, true) => return refused(
                StatusCode::CONFLICT,
                "No vocabulary file is named in the config, so the term has nowhere to go: add \
                 `vocabulary = [\"site-terms.txt\"]` to the practice config (or name one under \
                 [desk]) and start the desk again.",
            ),
            (_, false) => None,
        };
    let done = edits::locked(desk.folder.dir(), &id, desk.access, || {
        let mut e = desk.folder.edits(&id);
        e.learned.push(Learned {
            term: proposal.term.clone(),
            heard: proposal.heard.clone(),
            accepted: body.accept,
            editor: editor.clone(),
            os_user: edits::os_user(),
            at: edits::now(),
            file: file.clone(),
        });
        edits::write(desk.folder.dir(), &id, &e, desk.access)
    });
    if let Err(err) = done.and_then(|r| r) {
        return *failed("The answer was not recorded", &id, &err);
    }
    if body.accept {
        desk.record(&id, "learned", letter.version, &editor, file.clone());
        tracing::info!("{id}: a term added to the vocabulary");
    }
    no_store(Json(serde_json::json!({
        "term": proposal.term,
        "heard": proposal.heard,
        "accepted": body.accept,
        "file": file,
    })))
}

/// Writes `bytes` as `approved/<id>.docx`, or the first of `<id>-2.docx`, `<id>-3.docx` ...
/// not taken: an approved letter is never replaced. The name relative to `dir`.
fn write_approved(
    dir: &std::path::Path,
    id: &str,
    bytes: &[u8],
    access: crate::fsio::Access,
) -> Result<String> {
    let folder = dir.join("approved");
    crate::fsio::create_dir(&folder, access)?;
    for n in 1..10_000 {
        let name = if n == 1 {
            format!("{id}.docx")
        } else {
            format!("{id}-{n}.docx")
        };
        if crate::fsio::write_new(&folder.join(&name), bytes, access.file())? {
            return Ok(format!("approved/{name}"));
        }
    }
    anyhow::bail!(
        "`{}` holds 10,000 approvals of this letter",
        folder.display()
    )
}

/// The recording, answering HTTP range requests (a browser's audio element asks for the part it
/// plays): as it is on disk where a browser plays its format, else (DSS, DS2, AIFF, AMR, WMA) a
/// 16 kHz WAV copy made on the first request and kept while the desk runs.
async fn audio(
    State(desk): State<Arc<Desk>>,
    UrlPath(id): UrlPath<String>,
    req: Request,
) -> Response {
    let Some(recording) = desk.folder.recording(&id) else {
        return not_found();
    };
    let path = match crate::audio::kind_of(&recording) {
        Ok(kind) if kind.browser_plays() => recording,
        _ => {
            let copy = desk.copies.path().join(format!("{id}.wav"));
            if !copy.is_file() {
                let (from, to) = (recording.clone(), copy.clone());
                let made =
                    tokio::task::spawn_blocking(move || crate::audio::write_wav_copy(&from, &to))
                        .await;
                match made {
                    Ok(Ok(seconds)) => {
                        tracing::info!(
                            "{id}: its recording converted for the browser ({seconds:.0} s)"
                        )
                    }
                    Ok(Err(e)) => {
                        tracing::warn!("{id}: {e:#}");
                        return (
                            StatusCode::INTERNAL_SERVER_ERROR,
                            format!("The recording cannot be converted for the browser: {e:#}\n"),
                        )
                            .into_response();
                    }
                    Err(e) => {
                        tracing::warn!("{id}: converting its recording stopped: {e}");
                        return (
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "converting the recording stopped\n",
                        )
                            .into_response();
                    }
                }
            }
            copy
        }
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
    fn an_nhs_number_with_a_wrong_check_digit_is_named() {
        let doc = |text: &str| {
            vec![DocBlock {
                kind: "paragraph".into(),
                lines: vec![text
                    .split_whitespace()
                    .map(|w| crate::letter::record::DocWord {
                        text: w.into(),
                        bold: false,
                        start: None,
                        end: None,
                        kind: "word".into(),
                        note: None,
                    })
                    .collect()],
            }]
        };
        assert!(nhs_warnings(&doc("NHS number: 943 476 5919")).is_empty());
        let said = nhs_warnings(&doc("NHS number: 943 476 5918"));
        assert_eq!(said.len(), 1);
        assert!(said[0].contains("943 476 5918"), "{said:?}");
        // Not after "NHS": a telephone number, left alone.
        assert!(nhs_warnings(&doc("Telephone 943 476 5918")).is_empty());
    }

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
