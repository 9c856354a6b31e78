//! Writing files safely: to a temporary file in the destination folder, then renamed into place,
//! so that a crash never leaves a half-written letter or model. It owns file modes (outputs are
//! owner-readable only by default) and must not decide what goes into a file.

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Mode for letters, records and other files that may hold patient data.
pub const PRIVATE: u32 = 0o600;

/// Writes `bytes` to `path` atomically with the given Unix mode.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    write_atomic_with(path, mode, |w| w.write_all(bytes).map_err(Into::into))
}

/// Removes the temporary files (`.dictate-*.part`) a killed run left under `dir`: they are this
/// program's own unfinished writes, never anyone's data. Returns how many.
pub fn remove_stale_parts(dir: &Path) -> Result<usize> {
    let mut n = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if name.starts_with(".dictate-") && name.ends_with(".part") {
                fs::remove_file(&p).with_context(|| format!("cannot remove `{}`", p.display()))?;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// Writes `bytes` to `path` atomically, never replacing a file there: `Ok(false)` (and nothing
/// written) when `path` already exists, however close another writer came.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<bool> {
    let tmp = filled_temp(path, mode, |w| w.write_all(bytes).map_err(Into::into))?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e.error)
            .with_context(|| format!("cannot move the finished file into `{}`", path.display())),
    }
}

/// Calls `fill` with a buffered writer over a temporary file beside `path`, then renames the file
/// into place. If `fill` fails, nothing appears at `path`.
pub fn write_atomic_with(
    path: &Path,
    mode: u32,
    fill: impl FnOnce(&mut BufWriter<&File>) -> Result<()>,
) -> Result<()> {
    filled_temp(path, mode, fill)?
        .persist(path)
        .with_context(|| format!("cannot move the finished file into `{}`", path.display()))?;
    Ok(())
}

/// A temporary file beside `path`, filled, given its mode and synced: ready to be renamed.
fn filled_temp(
    path: &Path,
    mode: u32,
    fill: impl FnOnce(&mut BufWriter<&File>) -> Result<()>,
) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).with_context(|| format!("cannot create folder `{}`", dir.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".dictate-")
        .suffix(".part")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in folder `{}`", dir.display()))?;
    {
        let mut w = BufWriter::with_capacity(1 << 20, tmp.as_file());
        fill(&mut w).with_context(|| format!("cannot write `{}`", path.display()))?;
        w.flush()
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    set_mode(tmp.as_file(), mode)?;
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(tmp)
}

#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode))
        .context("cannot set file permissions")
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _mode: u32) -> Result<()> {
    Ok(())
}

/// Creates the output folder readable by its owner only (letters hold patient data).
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create output folder `{}`", dir.display()))
}

/// SHA-1 and SHA-256 of a file, as lower-case hex.
/// Errors unless `path` is a regular file (after following links): a pipe would make a reader
/// wait for ever, and a folder or a device is no recording.
pub fn regular_file(path: &Path) -> Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot open `{}`", path.display()))?;
    if !meta.is_file() {
        anyhow::bail!(
            "`{}` is not a regular file (a folder, a pipe or a device): dictate reads \
             recordings from files; move it away",
            path.display()
        );
    }
    Ok(())
}

pub fn file_digests(path: &Path) -> Result<(String, String)> {
    regular_file(path)?;
    let mut file = File::open(path).with_context(|| format!("cannot open `{}`", path.display()))?;
    let mut s1 = Sha1::new();
    let mut s256 = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        if n == 0 {
            break;
        }
        s1.update(&buf[..n]);
        s256.update(&buf[..n]);
    }
    Ok((hex(&s1.finalize()), hex(&s256.finalize())))
}

pub fn sha256_file(path: &Path) -> Result<String> {
    file_digests(path).map(|(_, s)| s)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A folder owned by this process while the value lives: an advisory lock on `<dir>/.dictate.lock`
/// (the OS releases it when the process ends, however it ends), holding this process's id.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

/// Opens (making it, owner-only) the lock file at `path` and waits for its OS lock, held until
/// the file is dropped: for short critical sections shared by processes (a review file's save,
/// a queue job's letters moved in).
pub fn lock_file(path: &Path) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(PRIVATE)
        .open(path)
        .with_context(|| format!("cannot open the lock file `{}`", path.display()))?;
    file.lock()
        .with_context(|| format!("cannot lock `{}`", path.display()))?;
    Ok(file)
}

/// Takes the folder for this process, or says which process has it.
pub fn lock_folder(dir: &Path) -> Result<FolderLock> {
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join(".dictate.lock");
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(PRIVATE)
        .open(&path)
        .with_context(|| format!("cannot open the lock file `{}`", path.display()))?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0)?;
            write!(file, "{}", std::process::id())?;
            file.flush()?;
            Ok(FolderLock { _file: file })
        }
        Err(fs::TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            anyhow::bail!(
                "another dictate (process {}) is working on `{}`: wait for it to finish, or \
                 give this run another --out folder",
                pid.trim(),
                dir.display()
            )
        }
        Err(fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock the folder `{}`", dir.display()))
        }
    }
}

/// A file name as a log line can show it: control characters (a newline in a name would start a
/// false line) written as escapes, `\n`, `\u{1b}`.
pub fn shown(name: &str) -> std::borrow::Cow<'_, str> {
    if name.chars().any(char::is_control) {
        name.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        name.into()
    }
}

/// Now, UTC, RFC 3339: how the ledger, the review desk's files and the letters' properties
/// write times.
pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A time [`now`] wrote, in this machine's local time to the second ("2026-12-04 18:22:05"), for
/// people reading a status; where the local offset cannot be known (a process already running
/// threads), in UTC with "UTC" after it. Text that is no such time is given back as it is.
pub fn local_time(rfc3339: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let Ok(t) = time::OffsetDateTime::parse(rfc3339, &Rfc3339) else {
        return rfc3339.to_owned();
    };
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    match time::UtcOffset::local_offset_at(t) {
        Ok(offset) => t.to_offset(offset).format(format).unwrap_or_default(),
        Err(_) => format!(
            "{} UTC",
            t.to_offset(time::UtcOffset::UTC)
                .format(format)
                .unwrap_or_default()
        ),
    }
}

/// The same time in local time as RFC 3339 with its offset ("2026-12-04T18:22:05+00:00"), for
/// JSON; UTC where the local offset cannot be known.
pub fn local_rfc3339(rfc3339: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let Ok(t) = time::OffsetDateTime::parse(rfc3339, &Rfc3339) else {
        return rfc3339.to_owned();
    };
    let offset = time::UtcOffset::local_offset_at(t).unwrap_or(time::UtcOffset::UTC);
    t.to_offset(offset)
        .format(&Rfc3339)
        .unwrap_or_else(|_| rfc3339.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_owned_by_one_holder_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_folder(dir.path()).unwrap();
        let err = lock_folder(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains(&format!("another dictate (process {})", std::process::id())),
            "{err}"
        );
        drop(first);
        // Released with its holder.
        lock_folder(dir.path()).unwrap();
    }

    #[test]
    fn names_with_control_characters_are_shown_escaped() {
        assert_eq!(shown("new\nline.wav"), "new\\nline.wav");
        assert_eq!(shown("plain é.wav"), "plain é.wav");
    }
}
