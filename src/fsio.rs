//! Writing files safely: to a temporary file in the destination folder, then renamed into place,
//! so that a crash never leaves a half-written letter or model. It owns file modes and groups
//! (outputs are owner-readable only, unless the config names a group that may read them: the
//! group looked up and checked here, with nix) and the walks over folders (walkdir), and must not
//! decide what goes into a file.

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Mode for files that stay the owner's whatever the config says (the ledger, lock files, the
/// silence cache).
pub const PRIVATE: u32 = 0o600;

/// Who may read what dictate writes: its owner only (the default), or its owner and one group
/// (`[access]` in the config). Files are then 0o600 or 0o640 and folders 0o700 or 0o2750
/// (setgid, so that what is made inside takes the group too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Access {
    group: Option<u32>,
}

/// A file's mode bits and, where a group may read it, that group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    bits: u32,
    group: Option<u32>,
}

impl From<u32> for Mode {
    fn from(bits: u32) -> Mode {
        Mode { bits, group: None }
    }
}

impl Access {
    /// The owner only.
    pub const PRIVATE: Access = Access { group: None };

    /// The owner and the group `name`, which `setting` (e.g. `access.letters_group`) named.
    /// Fails, saying what to do, when there is no such group or when this process may not give
    /// files to it (it is not root and not in the group): checked once, before any work, so a
    /// run never fails file by file.
    pub fn group(name: &str, setting: &str) -> Result<Access> {
        let at = format!("{setting} = \"{name}\" in the config");
        let group = nix::unistd::Group::from_name(name)
            .with_context(|| format!("{at}: cannot look the group up"))?
            .with_context(|| {
                format!(
                    "{at}: there is no group `{name}` on this machine: create it (`groupadd \
                     {name}`) and add the people who may read these files, or remove the setting"
                )
            })?;
        let gid = group.gid;
        let may_give = nix::unistd::geteuid().is_root()
            || nix::unistd::getegid() == gid
            || nix::unistd::getgroups().is_ok_and(|groups| groups.contains(&gid));
        if !may_give {
            let user = nix::unistd::User::from_uid(nix::unistd::geteuid())
                .ok()
                .flatten()
                .map_or_else(|| nix::unistd::geteuid().to_string(), |u| u.name);
            anyhow::bail!(
                "{at}: this user (`{user}`) is not in the group `{name}`, so it cannot give files \
                 to it: add it (`usermod -aG {name} {user}`) and start dictate again (a running \
                 process keeps the groups it started with), or remove the setting"
            );
        }
        Ok(Access {
            group: Some(gid.as_raw()),
        })
    }

    /// How files are written: 0o600, or 0o640 with the group.
    pub fn file(self) -> Mode {
        Mode {
            bits: if self.group.is_some() { 0o640 } else { 0o600 },
            group: self.group,
        }
    }
}

/// Writes `bytes` to `path` atomically with the given Unix mode (and group).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: impl Into<Mode>) -> Result<()> {
    write_atomic_with(path, mode, |w| w.write_all(bytes).map_err(Into::into))
}

/// Removes the temporary files (`.dictate-*.part`) a killed run left under `dir` (hidden folders
/// and links included: a link loop is walked once): they are this program's own unfinished
/// writes, never anyone's data. Returns how many.
pub fn remove_stale_parts(dir: &Path) -> Result<usize> {
    let mut n = 0;
    for e in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = e.file_name().to_string_lossy();
        if !e.file_type().is_dir() && name.starts_with(".dictate-") && name.ends_with(".part") {
            let p = e.path();
            fs::remove_file(p).with_context(|| format!("cannot remove `{}`", p.display()))?;
            n += 1;
        }
    }
    Ok(n)
}

/// The files under `root`, in no set order, as a person browsing it sees them: names starting
/// with `.` passed over (a sync tool's partial copies, this program's own files), links followed
/// to files anywhere but to folders only inside `root`, each folder once however many links lead
/// to it (a link back up the tree is no loop), and the folder `skip` (a letters folder inside an
/// inbox) left out. A link to nothing is listed: whoever opens it says what is wrong. A folder
/// that cannot be listed is an error.
pub fn visible_files(root: &Path, skip: &Path) -> Result<Vec<PathBuf>> {
    let real_root = root
        .canonicalize()
        .with_context(|| format!("cannot open the folder `{}`", root.display()))?;
    let skip = skip.canonicalize().ok();
    let mut seen = std::collections::HashSet::new();
    let walk = walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            if !e.file_type().is_dir() {
                return true;
            }
            match e.path().canonicalize() {
                Ok(real) => {
                    Some(&real) != skip.as_ref()
                        && real.starts_with(&real_root)
                        && seen.insert(real)
                }
                Err(_) => false,
            }
        });
    let mut files = Vec::new();
    for entry in walk {
        match entry {
            Ok(e) if !e.file_type().is_dir() => files.push(e.into_path()),
            Ok(_) => {}
            // A link to a folder above it: that folder is walked already.
            Err(e) if e.loop_ancestor().is_some() => {}
            // A link to nothing (or to a link loop): listed, to fail as a recording would,
            // unless its name is hidden (an editor's lock, `.#name`, is such a link).
            Err(e) if e.depth() > 0 && e.path().is_some_and(dangling_link) => {
                files.extend(e.path().filter(|p| !hidden(p)).map(Path::to_owned));
            }
            Err(e) => {
                let at = e.path().unwrap_or(root).display().to_string();
                return Err(e).with_context(|| format!("cannot list the folder `{at}`"));
            }
        }
    }
    Ok(files)
}

/// A name starting with `.`.
fn hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// A link whose target cannot be reached.
fn dangling_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && fs::metadata(path).is_err()
}

/// Writes `bytes` to `path` atomically, never replacing a file there: `Ok(false)` (and nothing
/// written) when `path` already exists, however close another writer came.
pub fn write_new(path: &Path, bytes: &[u8], mode: impl Into<Mode>) -> Result<bool> {
    let tmp = filled_temp(path, mode.into(), |w| {
        w.write_all(bytes).map_err(Into::into)
    })?;
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
    mode: impl Into<Mode>,
    fill: impl FnOnce(&mut BufWriter<&File>) -> Result<()>,
) -> Result<()> {
    filled_temp(path, mode.into(), fill)?
        .persist(path)
        .with_context(|| format!("cannot move the finished file into `{}`", path.display()))?;
    Ok(())
}

/// A temporary file beside `path`, filled, given its mode (and group) and synced: ready to be
/// renamed.
fn filled_temp(
    path: &Path,
    mode: Mode,
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
    if let Some(gid) = mode.group {
        std::os::unix::fs::fchown(tmp.as_file(), None, Some(gid))
            .with_context(|| format!("cannot give `{}` to its group", path.display()))?;
    }
    tmp.as_file()
        .set_permissions(fs::Permissions::from_mode(mode.bits))
        .with_context(|| format!("cannot set the permissions of `{}`", path.display()))?;
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(tmp)
}

/// Creates the output folder readable by its owner only (letters hold patient data).
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create output folder `{}`", dir.display()))
}

/// Creates `dir` (and the folders above it that are missing) for `access`: owner-only as
/// [`create_private_dir`], or 0o2750 in the group. A folder already there that this user owns
/// is given the group and at least those bits (a letters folder made before the group was
/// named); one it does not own is left as it is.
pub fn create_dir(dir: &Path, access: Access) -> Result<()> {
    let Some(gid) = access.group else {
        return create_private_dir(dir);
    };
    let mut missing = Vec::new();
    let mut d = Some(dir);
    while let Some(p) = d.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
        missing.push(p);
        d = p.parent();
    }
    create_private_dir(dir)?;
    if missing.is_empty() {
        let meta = fs::metadata(dir).with_context(|| format!("cannot open `{}`", dir.display()))?;
        let bits = meta.permissions().mode() & 0o7777;
        if meta.uid() == nix::unistd::geteuid().as_raw()
            && (meta.gid() != gid || bits & 0o2750 != 0o2750)
        {
            share_dir(dir, gid, bits | 0o2750)?;
        }
    }
    for p in missing.iter().rev() {
        share_dir(p, gid, 0o2750)?;
    }
    Ok(())
}

/// Gives the folder `dir` to the group `gid` with the mode `bits`.
fn share_dir(dir: &Path, gid: u32, bits: u32) -> Result<()> {
    std::os::unix::fs::chown(dir, None, Some(gid))
        .with_context(|| format!("cannot give the folder `{}` to its group", dir.display()))?;
    fs::set_permissions(dir, fs::Permissions::from_mode(bits))
        .with_context(|| format!("cannot set the permissions of `{}`", dir.display()))
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

/// Bytes free for this user on the file system holding `path` (statvfs).
pub fn free_space(path: &Path) -> Result<u64> {
    let s = nix::sys::statvfs::statvfs(path)
        .with_context(|| format!("cannot read the free space at `{}`", path.display()))?;
    Ok(s.blocks_available().saturating_mul(s.fragment_size()))
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

    fn mode_and_group(path: &Path) -> (u32, u32) {
        let meta = fs::metadata(path).unwrap();
        (meta.permissions().mode() & 0o7777, meta.gid())
    }

    /// This process's own group, by name: one it may always give files to.
    fn my_group() -> (String, u32) {
        let gid = nix::unistd::getegid();
        let group = nix::unistd::Group::from_gid(gid).unwrap().unwrap();
        (group.name, gid.as_raw())
    }

    #[test]
    fn outputs_are_owner_only_by_default() {
        let dir = tempfile::tempdir().unwrap();
        let letters = dir.path().join("letters/sub");
        create_dir(&letters, Access::PRIVATE).unwrap();
        assert_eq!(mode_and_group(&letters).0, 0o700);
        let file = letters.join("a.docx");
        write_atomic(&file, b"x", Access::PRIVATE.file()).unwrap();
        assert_eq!(mode_and_group(&file).0, 0o600);
    }

    #[test]
    fn a_named_group_may_read_files_and_folders_and_new_ones_inherit_it() {
        let (name, gid) = my_group();
        let access = Access::group(&name, "access.letters_group").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let letters = dir.path().join("letters/sub");
        create_dir(&letters, access).unwrap();
        assert_eq!(mode_and_group(&dir.path().join("letters")), (0o2750, gid));
        assert_eq!(mode_and_group(&letters), (0o2750, gid));
        let file = letters.join("a.docx");
        write_atomic(&file, b"x", access.file()).unwrap();
        assert_eq!(mode_and_group(&file), (0o640, gid));
        assert!(write_new(&letters.join("b.docx"), b"y", access.file()).unwrap());
        assert_eq!(mode_and_group(&letters.join("b.docx")), (0o640, gid));
        // A folder made owner-only before the group was named is opened to it.
        let old = dir.path().join("old");
        create_private_dir(&old).unwrap();
        create_dir(&old, access).unwrap();
        assert_eq!(mode_and_group(&old), (0o2750, gid));
    }

    #[test]
    fn a_group_that_is_not_there_is_an_error_that_says_what_to_do() {
        let err = Access::group("no-such-group-for-dictate", "access.failed_group")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("access.failed_group = \"no-such-group-for-dictate\"")
                && err.contains("groupadd no-such-group-for-dictate"),
            "{err}"
        );
    }

    #[test]
    fn walks_skip_hidden_names_and_the_skipped_folder_and_list_dangling_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        for f in [
            "a.wav",
            ".hidden.wav",
            ".sync/b.wav",
            "letters/c.wav",
            "sub/d.wav",
        ] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, b"x").unwrap();
        }
        std::os::unix::fs::symlink("nowhere.wav", root.join("gone.wav")).unwrap();
        std::os::unix::fs::symlink("nowhere.wav", root.join(".#gone.wav")).unwrap();
        let mut found: Vec<String> = visible_files(&root, &root.join("letters"))
            .unwrap()
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        found.sort();
        assert_eq!(found, ["a.wav", "gone.wav", "sub/d.wav"]);
        let missing = visible_files(&dir.path().join("nothing"), &root).unwrap_err();
        assert!(
            format!("{missing:#}").contains("cannot open the folder"),
            "{missing:#}"
        );
    }

    #[test]
    fn stale_parts_are_removed_wherever_they_are() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            ".dictate-1.part",
            ".dictate-staging/x/.dictate-2.part",
            "a.docx",
        ] {
            let p = dir.path().join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, b"x").unwrap();
        }
        std::os::unix::fs::symlink(".", dir.path().join("loop")).unwrap();
        assert_eq!(remove_stale_parts(dir.path()).unwrap(), 2);
        assert!(dir.path().join("a.docx").exists());
    }

    #[test]
    fn names_with_control_characters_are_shown_escaped() {
        assert_eq!(shown("new\nline.wav"), "new\\nline.wav");
        assert_eq!(shown("plain é.wav"), "plain é.wav");
    }
}
