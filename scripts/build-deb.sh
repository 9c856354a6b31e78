#!/usr/bin/env bash
# Builds the Debian package, target/debian/dictate_<version>-1_<arch>.deb: the release binary,
# its manual page and shell completions (made by the binary itself, into target/deb-extra/), the
# systemd units and the example config from deploy/ (Cargo.toml, [package.metadata.deb]).
# Installs cargo-deb from crates.io if missing. `--no-build` packages the release binary already
# built (the package test does, under `cargo test --release`). Install the package with
#   apt-get install ./target/debian/dictate_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo-deb lives in the repository's target/tools (a read-only ~/.cargo is no obstacle).
export PATH="$PWD/target/tools/bin:$PATH"
if ! cargo deb --version >/dev/null 2>&1; then
  echo "build-deb: installing cargo-deb into target/tools (cargo install cargo-deb --locked)"
  cargo install cargo-deb --locked --root target/tools
fi
if [ "${1:-}" = --no-build ]; then
  shift
else
  cargo build --release --locked
fi
extra=target/deb-extra
rm -rf "$extra"
mkdir -p "$extra"
bin=target/release/dictate
"$bin" man > "$extra/dictate.1"
gzip -9n "$extra/dictate.1"
"$bin" completions bash > "$extra/dictate.bash"
"$bin" completions zsh > "$extra/_dictate"
"$bin" completions fish > "$extra/dictate.fish"
# Built above: cargo deb packages the binary (a stripped copy) without building it again.
cargo deb --no-build --locked "$@"
