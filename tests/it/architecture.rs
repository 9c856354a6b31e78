//! The layout's invariants (ARCHITECTURE.md), checked on the source: imports only run down the
//! stages, no two modules of a folder import each other in a circle, each third-party adapter
//! stays in its one module, and no function grows past what a reader can hold.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::root;

/// The stages, top to bottom. A module may import its own stage and any stage below it.
const FLOORS: &[(&str, u8)] = &[
    ("main", 90),
    ("lib", 90),
    ("cli", 80),
    ("desk", 75),
    ("jobs", 70),
    ("config", 65),
    ("pipeline", 60),
    ("eval", 50),
    ("letter", 40),
    ("text", 30),
    ("asr", 20),
    ("audio", 10),
    ("fsio", 0),
    ("report", 0),
    ("exit", 0),
];

/// Each third-party dependency and the only modules that may name it.
const ADAPTERS: &[(&str, &[&str])] = &[
    ("whisper_rs", &["asr/transcribe.rs", "asr/score.rs"]),
    ("docx_rs", &["letter/docx.rs"]),
    ("image", &["letter/docx.rs"]),
    ("clap", &["cli/args.rs", "main.rs"]),
    ("clap_complete", &["cli/args.rs"]),
    ("clap_mangen", &["cli/args.rs"]),
    ("rusqlite", &["jobs/ledger.rs"]),
    ("hound", &["audio/"]),
    ("symphonia", &["audio/"]),
    ("tera", &["letter/render.rs"]),
    ("notify", &["jobs/watch.rs"]),
    ("sd_notify", &["jobs/systemd.rs"]),
    ("ureq", &["asr/model/fetch.rs"]),
    ("indicatif", &["main.rs"]),
    ("similar", &["text/diff.rs"]),
    ("axum", &["desk/server.rs"]),
    ("tokio", &["desk/server.rs"]),
    ("tower", &["desk/server.rs"]),
    ("tower_http", &["desk/server.rs"]),
    ("postgres", &["jobs/queue.rs"]),
    ("rustls", &["jobs/queue.rs"]),
    ("tokio_postgres_rustls", &["jobs/queue.rs"]),
    ("rustls_native_certs", &["jobs/queue.rs"]),
    ("walkdir", &["fsio.rs"]),
    ("nix", &["fsio.rs"]),
];

fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = root().join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Code without comments, string and character literals, so that prose never counts as an import.
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        if ch(&c, i) == '/' && ch(&c, i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch(&c, i) == '/' && ch(&c, i + 1) == '*' {
            while i < c.len() && !(c[i] == '*' && c.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if ch(&c, i) == 'r'
            && (ch(&c, i + 1) == '"'
                || (ch(&c, i + 1) == '#' && (ch(&c, i + 2) == '"' || ch(&c, i + 2) == '#')))
            && (i == 0 || !c[i - 1].is_ascii_alphanumeric())
        {
            let mut hashes = 0;
            i += 1;
            while ch(&c, i) == '#' {
                hashes += 1;
                i += 1;
            }
            i += 1;
            while i < c.len() && !(c[i] == '"' && (1..=hashes).all(|k| c.get(i + k) == Some(&'#')))
            {
                i += 1;
            }
            i += 1 + hashes;
        } else if ch(&c, i) == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if ch(&c, i) == '\'' && ch(&c, i + 1) == '\\' {
            i += 2;
            while i < c.len() && c[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else if ch(&c, i) == '\'' && ch(&c, i + 2) == '\'' {
            i += 3;
        } else {
            out.push(ch(&c, i));
            i += 1;
        }
    }
    out
}

fn ch(c: &[char], i: usize) -> char {
    c.get(i).copied().unwrap_or('\0')
}

/// The module path of a source file: `asr/model/fetch.rs` -> [asr, model, fetch].
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Every `crate::a::b` path a file names (grouped `use crate::{a, b::{c}}` expanded one level).
fn crate_paths(code: &str, me: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let read_path = |mut i: usize| -> (Vec<String>, usize) {
        let mut segs = Vec::new();
        loop {
            let start = i;
            while i < bytes.len() && ident(bytes[i]) {
                i += 1;
            }
            if i == start {
                break;
            }
            segs.push(bytes[start..i].iter().collect::<String>());
            if i + 1 < bytes.len() && bytes[i] == ':' && bytes[i + 1] == ':' {
                i += 2;
            } else {
                break;
            }
        }
        (segs, i)
    };
    let mut i = 0;
    while i < bytes.len() {
        let at_word = i == 0 || !ident(bytes[i - 1]);
        let (prefix, base): (&str, Vec<String>) = if at_word {
            let rest: String = bytes[i..bytes.len().min(i + 8)].iter().collect();
            if rest.starts_with("crate::") {
                ("crate::", Vec::new())
            } else if rest.starts_with("super::") {
                ("super::", me[..me.len().saturating_sub(1)].to_vec())
            } else {
                ("", Vec::new())
            }
        } else {
            ("", Vec::new())
        };
        if prefix.is_empty() {
            i += 1;
            continue;
        }
        let (segs, end) = read_path(i + prefix.len());
        let mut base = base;
        base.extend(segs);
        // A group: `crate::x::{a, b::c}` names x::a and x::b.
        if end < bytes.len() && bytes[end] == '{' {
            let mut depth = 0;
            let mut j = end;
            let mut item = String::new();
            let mut items = Vec::new();
            while j < bytes.len() {
                match bytes[j] {
                    '{' => {
                        depth += 1;
                        if depth > 1 {
                            item.push('{');
                        }
                    }
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            items.push(std::mem::take(&mut item));
                            break;
                        }
                        item.push('}');
                    }
                    ',' if depth == 1 => items.push(std::mem::take(&mut item)),
                    c => item.push(c),
                }
                j += 1;
            }
            for it in items {
                let first: Vec<String> = it
                    .trim()
                    .split("::")
                    .map(|s| s.trim().to_string())
                    .take_while(|s| !s.is_empty() && s.chars().all(ident))
                    .collect();
                let mut p = base.clone();
                p.extend(first.into_iter().filter(|s| s != "self"));
                paths.push(p);
            }
            i = j;
        } else {
            paths.push(base);
            i = end.max(i + 1);
        }
    }
    paths
}

fn floor(top: &str) -> u8 {
    FLOORS
        .iter()
        .find(|(name, _)| *name == top)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| {
            panic!("`src/{top}` is not on the map of stages in this test and ARCHITECTURE.md")
        })
}

/// Resolves a named path to the source file (module) it lands in.
fn resolve(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
}

#[test]
fn imports_only_run_down_the_stages_and_no_folder_holds_a_cycle() {
    let files = sources();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(rel, _)| module_of(rel)).collect();
    let mut upward = Vec::new();
    // Edges between the files of one folder, for the cycle check.
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (rel, text) in &files {
        let me = module_of(rel);
        if me.is_empty() {
            continue;
        }
        let code = code_only(text);
        for path in crate_paths(&code, &me) {
            let Some(target) = resolve(&path, &modules) else {
                continue;
            };
            if target.is_empty() || target == me {
                continue;
            }
            let (from, to) = (floor(&me[0]), floor(&target[0]));
            if to > from {
                upward.push(format!("{rel} imports crate::{}", path.join("::")));
            }
            // A parent declaring its children is structure, not a dependency.
            let declares_child = target.len() > me.len() && target.starts_with(&me);
            if !declares_child {
                edges.entry(me.clone()).or_default().insert(target.clone());
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports running up the stages:\n{}",
        upward.join("\n")
    );

    // Stages as a whole: the top-level graph must have no cycle.
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in &edges {
        for to in tos {
            if from[0] != to[0] {
                top.entry(from[0].clone())
                    .or_default()
                    .insert(to[0].clone());
            }
        }
    }
    if let Some(cycle) = find_cycle(&top) {
        panic!(
            "stages import each other in a circle: {}",
            cycle.join(" -> ")
        );
    }
    // Inside a folder: the sibling graph (a child's module, deepest common parent) must have no cycle.
    let mut siblings: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in &edges {
        for to in tos {
            let common = from
                .iter()
                .zip(to.iter())
                .take_while(|(a, b)| a == b)
                .count();
            if common == 0 || common >= from.len() || common >= to.len() {
                continue;
            }
            let a = from[..=common].join("::");
            let b = to[..=common].join("::");
            siblings.entry(a).or_default().insert(b);
        }
    }
    if let Some(cycle) = find_cycle(&siblings) {
        panic!(
            "modules import each other in a circle: {}",
            cycle.join(" -> ")
        );
    }
}

fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut c = stack[at..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(m, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn each_third_party_dependency_is_named_by_its_adapter_only() {
    let mut leaks = Vec::new();
    for (rel, text) in sources() {
        let code = code_only(&text);
        for (krate, owners) in ADAPTERS {
            // `sd_notify::` does not name `notify`: the crate's name must start a word.
            let named =
                names(&code, &format!("{krate}::")) || names(&code, &format!("use {krate}"));
            let allowed = owners.iter().any(|o| {
                if o.ends_with('/') {
                    rel.starts_with(o)
                } else {
                    rel == *o
                }
            });
            if named && !allowed {
                leaks.push(format!(
                    "src/{rel} names {krate} (only {} may)",
                    owners.join(", ")
                ));
            }
        }
    }
    assert!(leaks.is_empty(), "adapters leaking:\n{}", leaks.join("\n"));
}

/// Whether `code` holds `path` as a path of its own: not the tail of a longer name
/// (`std::os::unix::fs` does not name the crate `nix`).
fn names(code: &str, path: &str) -> bool {
    code.match_indices(path).any(|(i, _)| {
        !code[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn src_has_few_loose_files() {
    let loose: Vec<String> = sources()
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| !rel.contains('/'))
        .collect();
    assert!(
        loose.len() <= 8,
        "more than 8 loose files in src/: {loose:?}"
    );
}
