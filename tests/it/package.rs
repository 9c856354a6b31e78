//! The Debian package as hospital IT would meet it: built with `scripts/build-deb.sh`, installed
//! with `apt-get install ./dictate_*.deb` into a fresh Debian 12 booted with systemd
//! (`systemd-nspawn -b`), then one inbox's service started with `systemctl enable --now
//! dictate-watch@clinic`: it must come up (READY=1), keep its watchdog fed (WATCHDOG=1), write a
//! letter owned by `dictate`, owner-only, for a recording dropped in its inbox, and stop cleanly.
//!
//! Needs root, debootstrap, systemd-nspawn (systemd-container), nsenter and cargo-deb
//! (`./scripts/test.sh` installs them) and the network to the Debian mirror (the base system is
//! made once with debootstrap and kept under `target/package-test/`; each run installs into a
//! fresh copy of it). `DICTATE_DEBIAN_MIRROR` names another mirror.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// The packages the base system gets beyond debootstrap's minimal one: an init to boot, and what
/// a server has (`man`). The folder's name changes with the list, so a changed list is a new base.
const BASE_PACKAGES: &str = "systemd,systemd-sysv,dbus,adduser,man-db";
const BASE_NAME: &str = "bookworm-systemd-man";

/// The mirror this machine's apt uses (/etc/apt/sources.list.d/debian.sources).
const MIRROR: &str = "http://deb.debian.org/debian";

const INSTANCE: &str = "clinic";

#[test]
fn the_package_installs_and_its_service_writes_letters_under_systemd() {
    let started = Instant::now();
    check_tools();
    let deb = build_package();
    let base = base_system();
    let work = root().join("target/package-test");
    let fresh = tempfile::Builder::new()
        .prefix("fresh-")
        .tempdir_in(&work)
        .unwrap();
    let rootfs = fresh.path().join("root");
    run(Command::new("cp").arg("-a").arg(&base).arg(&rootfs), 300);

    // The model placed beforehand, as IT copying it onto a machine without the internet would:
    // the postinst checks it instead of downloading it.
    let models = rootfs.join("var/lib/dictate/models");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::copy(model(), models.join("ggml-tiny.en.bin")).unwrap();
    let deb_name = deb.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::copy(&deb, rootfs.join("root").join(&deb_name)).unwrap();

    // A host without a cgroup hierarchy (a chroot, some containers) cannot boot a container:
    // there the package is installed and its service's commands run in a chroot instead, and
    // the test says loudly what it could not check.
    if !can_boot() {
        return without_systemd(&rootfs, &deb_name);
    }
    let machine = Machine::boot(&rootfs);
    machine.sh("apt-get update -q", 300);
    let install = machine.sh(
        &format!("apt-get install -y -q --no-install-recommends /root/{deb_name}"),
        600,
    );
    assert!(
        install.contains("dictate: checking the model")
            && install.contains("already present, checksum verified")
            && !install.contains("not in place"),
        "the postinst should have checked the model placed beforehand:\n{install}"
    );

    // What the package put in place.
    let passwd = machine.sh("getent passwd dictate", 30);
    assert!(
        passwd.contains(":/var/lib/dictate:") && passwd.trim_end().ends_with("nologin"),
        "a system user `dictate` with its home in /var/lib/dictate: {passwd}"
    );
    let uid: u32 = passwd.split(':').nth(2).unwrap().parse().unwrap();
    assert_eq!(
        machine.sh("man -w dictate", 30).trim(),
        "/usr/share/man/man1/dictate.1.gz"
    );
    for completion in [
        "usr/share/bash-completion/completions/dictate",
        "usr/share/zsh/vendor-completions/_dictate",
        "usr/share/fish/vendor_completions.d/dictate.fish",
    ] {
        let text = std::fs::read_to_string(rootfs.join(completion)).unwrap_or_default();
        assert!(text.contains("dictate"), "no completion at /{completion}");
    }
    let conffiles = machine.sh("dpkg-query -W -f '${Conffiles}' dictate", 30);
    assert!(
        conffiles.contains("/etc/dictate/config.toml"),
        "the example config is a conffile: {conffiles}"
    );
    let config = std::fs::read_to_string(rootfs.join("etc/dictate/config.toml")).unwrap();
    assert!(config.contains("[practice]"), "{config}");
    let queue_env = std::fs::metadata(rootfs.join("etc/dictate/queue.env")).unwrap();
    assert_eq!(queue_env.mode() & 0o777, 0o600, "the queue's password file");

    // Both units as systemd reads them: no unknown setting, their programs and manual there.
    let unit = format!("dictate-watch@{INSTANCE}.service");
    machine.sh(
        &format!("systemd-analyze verify {unit} dictate-worker.service"),
        60,
    );

    // One inbox's service: active only after READY=1 (Type=notify), with the status it sent.
    machine.sh(&format!("systemctl enable --now {unit}"), 330);
    let show = |property: &str| {
        machine
            .sh(&format!("systemctl show -P {property} {unit}"), 30)
            .trim()
            .to_owned()
    };
    assert_eq!(show("ActiveState"), "active", "{}", machine.journal(&unit));
    assert_eq!(show("StatusText"), "watching the inbox");
    assert_eq!(show("User"), "dictate");
    // WATCHDOG=1: systemd moves the watchdog's timestamp on at every ping.
    let first_ping = show("WatchdogTimestampMonotonic");
    std::thread::sleep(Duration::from_secs(3));
    let later_ping = show("WatchdogTimestampMonotonic");
    assert!(
        later_ping.parse::<u64>().unwrap() > first_ping.parse::<u64>().unwrap(),
        "no WATCHDOG=1 in 3 s ({first_ping} then {later_ping})"
    );

    // A recording dropped in the inbox (copied beside it, then moved in whole).
    let folder = rootfs.join("var/lib/dictate").join(INSTANCE);
    let (inbox, letters) = (folder.join("inbox"), folder.join("letters"));
    assert!(inbox.is_dir() && letters.is_dir(), "the unit makes both");
    let sample_name = "s01_diabetes_clinic.wav";
    std::fs::copy(sample(sample_name), folder.join(sample_name)).unwrap();
    std::fs::rename(folder.join(sample_name), inbox.join(sample_name)).unwrap();
    let docx = letters.join("s01_diabetes_clinic.docx");
    let deadline = Instant::now() + Duration::from_secs(300);
    while !(docx.is_file() && inbox.join("archive").join(sample_name).is_file()) {
        assert!(
            Instant::now() < deadline,
            "no letter in 5 minutes:\n{}",
            machine.journal(&unit)
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let meta = std::fs::metadata(&docx).unwrap();
    assert_eq!(meta.uid(), uid, "the letter belongs to dictate");
    assert_eq!(meta.mode() & 0o777, 0o600, "the letter is owner-only");
    let (_, expected) = SAMPLES.iter().find(|(n, _)| *n == sample_name).unwrap();
    assert_says(&docx_text(&docx), expected);
    // Still fed after a letter.
    let after_letter = show("WatchdogTimestampMonotonic");
    assert!(after_letter.parse::<u64>().unwrap() > later_ping.parse::<u64>().unwrap());
    assert_eq!(show("NRestarts"), "0", "{}", machine.journal(&unit));

    // SIGTERM: the service says it stops, and stops cleanly.
    machine.sh(&format!("systemctl stop {unit}"), 150);
    assert_eq!(show("Result"), "success", "{}", machine.journal(&unit));
    let journal = machine.journal(&unit);
    assert!(journal.contains("stopped: 1 letter written"), "{journal}");
    assert!(
        !journal.contains("Margaret") && !journal.contains("Owen"),
        "the journal names files, never patients:\n{journal}"
    );
    machine.halt();
    eprintln!(
        "package test: {:.0} s (base system at {})",
        started.elapsed().as_secs_f64(),
        base.display()
    );
}

/// The same conversation without a service manager: `dictate watch` run with `NOTIFY_SOCKET`
/// naming a socket this test reads, as systemd would run it (no root needed).
#[test]
fn watch_tells_the_service_manager_ready_watchdog_and_stopping() {
    let dir = tempdir();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let socket_path = dir.path().join("notify");
    let socket = std::os::unix::net::UnixDatagram::bind(&socket_path).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dictate"))
        .env_remove("DICTATE_CONFIG")
        .env("DICTATE_MODEL", model())
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "600000000")
        .args(["watch", "-q", "--out"])
        .arg(dir.path().join("letters"))
        .arg(&inbox)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut said: Vec<String> = Vec::new();
    let mut buf = [0u8; 4096];
    let mut hear = |said: &mut Vec<String>, until: &dyn Fn(&[String]) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !until(said) {
            assert!(
                Instant::now() < deadline,
                "the service manager heard {said:?}"
            );
            if let Ok(n) = socket.recv(&mut buf) {
                said.push(String::from_utf8_lossy(&buf[..n]).into_owned());
            }
        }
    };
    // READY=1 with its status, then watchdog pings while idle (at most one a second).
    hear(&mut said, &|s| {
        s.iter().filter(|m| *m == "WATCHDOG=1\n").count() >= 3
    });
    assert_eq!(said[0], "READY=1\nSTATUS=watching the inbox\n", "{said:?}");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    hear(&mut said, &|s| s.iter().any(|m| m == "STOPPING=1\n"));
    assert!(child.wait().unwrap().success());
}

/// Fails with what to install when a tool the test needs is missing.
fn check_tools() {
    let uid = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("Uid:")
                .map(|u| u.split_whitespace().next() == Some("0"))
        });
    assert_eq!(
        uid,
        Some(true),
        "\n\nTHE PACKAGE TEST NEEDS ROOT: it installs the package into a Debian system it boots \
         with systemd-nspawn. Run the suite as root (./scripts/test.sh).\n"
    );
    for (tool, package) in [
        ("debootstrap", "debootstrap"),
        ("systemd-nspawn", "systemd-container"),
        ("nsenter", "util-linux"),
    ] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "\n\nMISSING TOOL: `{tool}`. The package test needs it: apt-get install {package} \
             (./scripts/test.sh installs it).\n"
        );
    }
    // Where scripts/test.sh and build-deb.sh install it, or anywhere on the PATH.
    let path = format!(
        "{}:{}",
        root().join("target/tools/bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let cargo_deb = Command::new("cargo")
        .args(["deb", "--version"])
        .env("PATH", path)
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        cargo_deb,
        "\n\nMISSING TOOL: cargo-deb. The package test builds the .deb with it: cargo install \
         cargo-deb --locked --root target/tools (./scripts/test.sh installs it).\n"
    );
}

/// `scripts/build-deb.sh` over the binary these tests run: the newest `target/debian/*.deb`.
fn build_package() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_dictate"));
    assert_eq!(
        bin,
        root().join("target/release/dictate"),
        "the package test packages the release binary: run it with `cargo test --release`"
    );
    run(
        // --fast: lighter compression, the same package.
        Command::new(root().join("scripts/build-deb.sh"))
            .args(["--no-build", "--fast"])
            .current_dir(root()),
        600,
    );
    let newest = std::fs::read_dir(root().join("target/debian"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "deb"))
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok());
    newest.expect("build-deb.sh made a .deb in target/debian")
}

/// The Debian 12 base system, made once by debootstrap (a few minutes) and kept.
fn base_system() -> PathBuf {
    let work = root().join("target/package-test");
    let base = work.join(BASE_NAME);
    if base.join("etc/debian_version").is_file() {
        return base;
    }
    std::fs::create_dir_all(&work).unwrap();
    let partial = work.join(format!("{BASE_NAME}.partial"));
    if partial.exists() {
        std::fs::remove_dir_all(&partial).unwrap();
    }
    let mirror = std::env::var("DICTATE_DEBIAN_MIRROR").unwrap_or_else(|_| MIRROR.to_owned());
    run(
        Command::new("debootstrap")
            .args(["--variant=minbase", &format!("--include={BASE_PACKAGES}")])
            .arg("bookworm")
            .arg(&partial)
            .arg(&mirror),
        1800,
    );
    std::fs::rename(&partial, &base).unwrap();
    base
}

/// Runs a command to its end (at most `secs`), panicking with its output when it fails.
fn run(cmd: &mut Command, secs: u64) -> String {
    let shown = format!("{cmd:?}");
    let out = assert_cmd::Command::from_std(std::mem::replace(cmd, Command::new("true")))
        .timeout(Duration::from_secs(secs))
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success(),
        "{shown} failed ({:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    format!("{stdout}{stderr}")
}

/// A Debian system booted with systemd-nspawn; halted (or killed) when dropped.
struct Machine {
    nspawn: Child,
    /// The container's init, as the host sees it (for nsenter).
    init: u32,
    log: PathBuf,
}

impl Machine {
    fn boot(rootfs: &Path) -> Machine {
        let log = rootfs.with_file_name("nspawn.log");
        let out = std::fs::File::create(&log).unwrap();
        // No machined or system bus on a host without systemd: no registration, no scope.
        let nspawn = Command::new("systemd-nspawn")
            .args(["-q", "--register=no", "--keep-unit", "--console=pipe", "-b"])
            .arg("-D")
            .arg(rootfs)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let mut machine = Machine {
            init: 0,
            log,
            nspawn,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while machine.init == 0 {
            assert!(
                Instant::now() < deadline && machine.nspawn.try_wait().unwrap().is_none(),
                "systemd-nspawn did not start the container:\n{}",
                std::fs::read_to_string(&machine.log).unwrap_or_default()
            );
            machine.init = children(machine.nspawn.id())
                .into_iter()
                .next()
                .unwrap_or(0);
            std::thread::sleep(Duration::from_millis(200));
        }
        // Booted: every start job done (a unit of the base system failing is no concern here).
        let state = machine.try_sh("systemctl is-system-running --wait", 120);
        assert!(
            matches!(state.1.trim(), "running" | "degraded"),
            "the container did not boot: {state:?}\n{}",
            std::fs::read_to_string(&machine.log).unwrap_or_default()
        );
        machine
    }

    /// Runs a shell command inside, as root with a clean environment: (succeeded, output).
    fn try_sh(&self, command: &str, secs: u64) -> (bool, String) {
        let out = assert_cmd::Command::new("nsenter")
            .args(["-a", "-t", &self.init.to_string()])
            .args(["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
            .args(["DEBIAN_FRONTEND=noninteractive", "LANG=C.UTF-8"])
            .args(["sh", "-c", command])
            .timeout(Duration::from_secs(secs))
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    /// Runs a shell command inside; panics with its output if it fails.
    fn sh(&self, command: &str, secs: u64) -> String {
        let (ok, text) = self.try_sh(command, secs);
        assert!(ok, "`{command}` failed in the container:\n{text}");
        text
    }

    fn journal(&self, unit: &str) -> String {
        self.try_sh(&format!("journalctl -u {unit} --no-pager -o cat"), 30)
            .1
    }

    /// Shuts the container down as a machine is (SIGTERM to nspawn halts it).
    fn halt(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if self.nspawn.try_wait().ok().flatten().is_some() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.nspawn.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.nspawn.try_wait().ok().flatten().is_none() {
            if Instant::now() > deadline {
                let _ = self.nspawn.kill();
                let _ = self.nspawn.wait();
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Machine {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether systemd-nspawn can boot a container here: it needs the host's cgroup hierarchy
/// (`DICTATE_PACKAGE_TEST_CHROOT=1` takes the chroot path anyway, to test it).
fn can_boot() -> bool {
    let cgroups = ["cgroup.controllers", "systemd", "unified"]
        .iter()
        .any(|p| Path::new("/sys/fs/cgroup").join(p).exists());
    std::env::var_os("DICTATE_PACKAGE_TEST_CHROOT").is_none() && cgroups
}

/// The package test where no container can be booted: `apt-get install` in a chroot of the
/// fresh system, what the package put in place, then the watch unit's own commands (read from
/// the installed unit, `%i` its instance) run as its `User=` with `--once` over a recording in
/// its inbox: a letter owned by `dictate`, owner-only. Not checked here: systemctl, Type=notify
/// and the watchdog under systemd (`watch_tells_the_service_manager_...` checks the protocol).
fn without_systemd(rootfs: &Path, deb_name: &str) {
    eprintln!(
        "\n\nPACKAGE TEST WITHOUT SYSTEMD: this host cannot boot a container (no cgroup \
         hierarchy under /sys/fs/cgroup). The package is installed in a chroot and the watch \
         unit's commands are run as its user; systemctl, Type=notify and the watchdog under \
         systemd are NOT checked in this run.\n"
    );
    let chroot = Chroot::enter(rootfs);
    chroot.sh("apt-get update -q", 300);
    let install = chroot.sh(
        &format!("apt-get install -y -q --no-install-recommends /root/{deb_name}"),
        600,
    );
    assert!(
        install.contains("already present, checksum verified"),
        "the postinst should have checked the model placed beforehand:\n{install}"
    );
    let passwd = chroot.sh("getent passwd dictate", 30);
    let uid: u32 = passwd.split(':').nth(2).unwrap().parse().unwrap();
    assert!(rootfs.join("usr/share/man/man1/dictate.1.gz").is_file());
    assert!(rootfs
        .join("usr/share/bash-completion/completions/dictate")
        .is_file());
    assert!(rootfs.join("etc/dictate/config.toml").is_file());
    let unit = std::fs::read_to_string(rootfs.join("lib/systemd/system/dictate-watch@.service"))
        .or_else(|_| {
            std::fs::read_to_string(rootfs.join("usr/lib/systemd/system/dictate-watch@.service"))
        })
        .expect("the package installs dictate-watch@.service");
    let values = |key: &str| -> Vec<String> {
        unit.lines()
            .filter_map(|l| l.strip_prefix(&format!("{key}=")))
            .map(|v| v.replace("%i", INSTANCE))
            .collect()
    };
    let user = values("User").pop().expect("the unit names its User=");
    let env: Vec<String> = values("Environment");
    // What StateDirectory= makes before the service starts.
    let state = format!("/var/lib/dictate/{INSTANCE}");
    chroot.sh(
        &format!("mkdir -p {state} && chown {user}: {state} && chmod 700 {state}"),
        30,
    );
    let as_user = |command: &str, secs| {
        chroot.sh(
            &format!(
                "cd /var/lib/dictate && setpriv --reuid={user} --regid={user} --init-groups \
                 env -i PATH=/usr/bin:/bin {} {command}",
                env.join(" ")
            ),
            secs,
        )
    };
    for pre in values("ExecStartPre") {
        as_user(&pre, 30);
    }
    let folder = rootfs.join("var/lib/dictate").join(INSTANCE);
    let (inbox, letters) = (folder.join("inbox"), folder.join("letters"));
    assert!(inbox.is_dir() && letters.is_dir(), "the unit makes both");
    let sample_name = "s01_diabetes_clinic.wav";
    std::fs::copy(sample(sample_name), inbox.join(sample_name)).unwrap();
    let start = values("ExecStart").pop().expect("the unit has ExecStart=");
    let said = as_user(&format!("{start} --once --settle 0"), 600);
    let docx = letters.join("s01_diabetes_clinic.docx");
    assert!(docx.is_file(), "no letter:\n{said}");
    let meta = std::fs::metadata(&docx).unwrap();
    assert_eq!(meta.uid(), uid, "the letter belongs to dictate");
    assert_eq!(meta.mode() & 0o777, 0o600, "the letter is owner-only");
    let (_, expected) = SAMPLES.iter().find(|(n, _)| *n == sample_name).unwrap();
    assert_says(&docx_text(&docx), expected);
    assert!(
        !said.contains("Margaret") && !said.contains("Owen"),
        "{said}"
    );
}

/// A chroot of the fresh system with /proc mounted (unmounted when dropped).
struct Chroot {
    root: PathBuf,
}

impl Chroot {
    fn enter(root: &Path) -> Chroot {
        run(
            Command::new("mount")
                .args(["-t", "proc", "proc"])
                .arg(root.join("proc")),
            30,
        );
        // /dev is the one debootstrap made (null, zero, random ...): the host's is never bound
        // in, so removing the fresh copy can never reach it.
        Chroot {
            root: root.to_path_buf(),
        }
    }

    fn sh(&self, command: &str, secs: u64) -> String {
        run(
            Command::new("chroot").arg(&self.root).args([
                "env",
                "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "DEBIAN_FRONTEND=noninteractive",
                "LANG=C.UTF-8",
                "sh",
                "-c",
                command,
            ]),
            secs,
        )
    }
}

impl Drop for Chroot {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.root.join("proc"))
            .status();
    }
}

/// The child processes of `pid`.
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .filter_map(|t| t.ok())
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|c| {
            c.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}
