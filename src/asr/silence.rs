//! A second of silence, encoded once per machine rather than once per process: the checks score
//! each text over silence as well as over the audio (the text's prior), and in `dictate letter
//! FILE`, run once per recording, encoding that silence was about a tenth of a letter's time.
//!
//! The encoding is kept in the user's cache folder (`$XDG_CACHE_HOME/dictate`, else
//! `~/.cache/dictate`), owner-only, under a name made from everything that decides its bits:
//! this executable (path, size, modification time), the model file (the same), whisper.cpp's
//! build line, the thread count, flash attention and whether the AMX BF16 tiles are turned off.
//! A different build, model or setting finds no file and encodes afresh, so a letter is the same
//! with or without the cache. The file holds no patient data (it is silence). Anything wrong with
//! the cache (no home, a read-only disk, a short file) only means encoding again: it is never an
//! error.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The cache file for a silence encoding made with `model` and these settings, or `None` where
/// there is no cache folder to use.
pub fn cache_file(model: &Path, threads: usize, flash_attn: bool, build: &str) -> Option<PathBuf> {
    let dir = cache_dir()?;
    let mut key = Sha256::new();
    let exe = std::env::current_exe().ok()?;
    for path in [exe.as_path(), model] {
        let path = path.canonicalize().ok()?;
        let meta = std::fs::metadata(&path).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        key.update(path.as_os_str().as_encoded_bytes());
        key.update(meta.len().to_le_bytes());
        key.update(modified.as_nanos().to_le_bytes());
    }
    key.update(build.as_bytes());
    key.update(threads.to_le_bytes());
    key.update([u8::from(flash_attn)]);
    key.update([u8::from(std::env::var_os("DICTATE_NO_AMX_BF16").is_some())]);
    let name = format!("silence-{}.bin", crate::fsio::hex(&key.finalize()[..16]));
    Some(dir.join(name))
}

/// Keeps `encoding` at `file` (owner-only, written whole or not at all); a failure is logged and
/// otherwise ignored.
pub fn write(file: &Path, encoding: &[u8]) {
    let kept = file
        .parent()
        .ok_or_else(|| anyhow::anyhow!("no folder"))
        .and_then(crate::fsio::create_private_dir)
        .and_then(|()| crate::fsio::write_atomic(file, encoding, 0o600));
    if let Err(e) = kept {
        tracing::debug!(
            "could not keep the silence encoding in {}: {e:#}",
            file.display()
        );
        return;
    }
    if let Some(dir) = file.parent() {
        prune(dir, file);
    }
}

/// The most silence encodings kept: one per build, model and setting in use (a batch's workers
/// run one thread each, a letter two): the one just written and the newest others; older
/// builds' files go.
const KEEP: usize = 4;

fn prune(dir: &Path, written: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut kept: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("silence-") && n.ends_with(".bin"))
                && p != written
        })
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    kept.sort_by_key(|k| std::cmp::Reverse(k.0));
    for (_, old) in kept.into_iter().skip(KEEP - 1) {
        let _ = std::fs::remove_file(old);
    }
}

fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|home| home.join(".cache"))
        })?;
    Some(base.join("dictate"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_name_changes_with_every_setting_that_changes_the_bits() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("model.bin");
        std::fs::write(&model, b"weights").unwrap();
        let Some(base) = cache_file(&model, 2, false, "CPU : AVX512 = 1") else {
            panic!("no cache folder: neither XDG_CACHE_HOME nor HOME is set to an absolute path");
        };
        assert_eq!(
            cache_file(&model, 2, false, "CPU : AVX512 = 1"),
            Some(base.clone()),
            "the same settings name the same file"
        );
        for other in [
            cache_file(&model, 1, false, "CPU : AVX512 = 1"),
            cache_file(&model, 2, true, "CPU : AVX512 = 1"),
            cache_file(&model, 2, false, "CPU : AVX512 = 0"),
        ] {
            assert_ne!(other, Some(base.clone()));
        }
        std::fs::write(&model, b"other weights").unwrap();
        assert_ne!(
            cache_file(&model, 2, false, "CPU : AVX512 = 1"),
            Some(base),
            "a changed model file is another key"
        );
    }

    #[test]
    fn the_encoding_is_kept_whole_and_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub").join("silence.bin");
        write(&file, &[1, 2, 3, 4]);
        assert_eq!(std::fs::read(&file).unwrap(), vec![1, 2, 3, 4]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "owner-only: {mode:o}");
        }
        // Only the newest few are kept: older builds' files go when a new one is written.
        let sub = dir.path().join("sub");
        let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
        for k in 0..KEEP + 2 {
            let other = sub.join(format!("silence-old{k}.bin"));
            std::fs::write(&other, [k as u8]).unwrap();
            let set = std::time::Duration::from_secs(k as u64);
            let f = std::fs::File::options().write(true).open(&other).unwrap();
            f.set_modified(day_ago + set).unwrap();
        }
        write(&sub.join("silence-new.bin"), &[9]);
        let mut left: Vec<String> = std::fs::read_dir(&sub)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("silence-"))
            .collect();
        left.sort();
        let mut newest: Vec<String> = (KEEP + 2 - (KEEP - 1)..KEEP + 2)
            .map(|k| format!("silence-old{k}.bin"))
            .chain(["silence-new.bin".to_owned()])
            .collect();
        newest.sort();
        assert_eq!(left, newest);
        // A folder that cannot be made (a file is in the way) is no error, only no cache.
        let blocked = dir.path().join("sub").join("silence.bin").join("x.bin");
        write(&blocked, &[1]);
        assert!(!blocked.exists());
    }
}
