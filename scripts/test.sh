#!/usr/bin/env bash
# Runs the whole test suite, real-model tests included: set up (packages, build, model) if needed,
# then the unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
./scripts/setup.sh
# The end-to-end tests open every letter with LibreOffice and read the PDF back.
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# The audio format tests make MP3, M4A, Ogg, FLAC and Opus copies of the samples with ffmpeg.
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
# The review desk's browser test drives Debian's chromium through chromedriver (WebDriver).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
# The job queue's tests run a real PostgreSQL server (a throwaway cluster of their own).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# The package test builds the .deb with cargo-deb and boots a fresh Debian 12 (debootstrap,
# systemd-nspawn) to install it in.
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v systemd-nspawn >/dev/null 2>&1 || missing+=(systemd-container)
install_missing test "${missing[@]}"
# cargo-deb, for the package test, in the repository's target/tools (as build-deb.sh puts it).
export PATH="$PWD/target/tools/bin:$PATH"
cargo deb --version >/dev/null 2>&1 || cargo install cargo-deb --locked --root target/tools
cargo test --release --locked
