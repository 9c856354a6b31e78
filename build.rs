//! Build facts for `dictate --version`: the commit it was built from and the whisper.cpp it
//! carries (from the vendored sources), so a trust's IT can say exactly what runs.

fn main() {
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    let dirty = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| !o.stdout.is_empty());
    println!(
        "cargo:rustc-env=DICTATE_COMMIT={commit}{}",
        if dirty { "+changes" } else { "" }
    );
    let cmake = std::fs::read_to_string("vendor/whisper-rs-sys/whisper.cpp/CMakeLists.txt")
        .unwrap_or_default();
    let whisper = cmake
        .lines()
        .find_map(|l| {
            let rest = l.trim().strip_prefix("project(\"whisper.cpp\" VERSION ")?;
            Some(rest.trim_end_matches(')').trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=DICTATE_WHISPER_CPP={whisper}");
    // The CPU whisper.cpp was compiled for (vendor/whisper-rs-sys/build.rs reads the same variable).
    println!("cargo:rerun-if-env-changed=DICTATE_PORTABLE");
    let portable = std::env::var("DICTATE_PORTABLE").is_ok_and(|v| !matches!(v.as_str(), "" | "0"));
    println!(
        "cargo:rustc-env=DICTATE_CPU_BUILD={}",
        if portable {
            "portable build: x86-64-v3 (AVX2), AMX BF16 tiles used where the CPU has them"
        } else {
            "built for the CPU of the machine that built it"
        }
    );
    println!("cargo:rerun-if-changed=.git/HEAD");
    // A new commit moves the branch HEAD names.
    if let Some(branch) = std::fs::read_to_string(".git/HEAD")
        .ok()
        .and_then(|h| h.trim().strip_prefix("ref: ").map(str::to_owned))
    {
        println!("cargo:rerun-if-changed=.git/{branch}");
    }
    println!("cargo:rerun-if-changed=.git/index");
    println!("cargo:rerun-if-changed=vendor/whisper-rs-sys/whisper.cpp/CMakeLists.txt");
}
