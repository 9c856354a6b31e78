//! The binary runs on a CPU without AVX-512 or AMX: built portable (`.cargo/config.toml`), it
//! holds no such instruction outside the kernels that check the CPU before they run.

use std::process::Command;

use crate::support::{dictate, finish, root};

#[test]
fn the_binary_holds_no_avx512_or_amx_instruction_outside_the_kernels_chosen_at_run_time() {
    assert!(
        Command::new("objdump").arg("--version").output().is_ok(),
        "objdump is missing: apt-get install binutils (the portable check reads the binary with it)"
    );
    let bin = assert_cmd::cargo::cargo_bin("dictate");
    let o = Command::new(root().join("bench/portable-check.sh"))
        .arg(&bin)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{said}");
    assert!(said.contains("portable-check: ok"), "{said}");
    // And it says what it is.
    let (_, version, _) = finish(dictate().arg("--version"), 30);
    assert!(version.contains("portable build"), "{version}");
}
