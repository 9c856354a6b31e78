#!/usr/bin/env bash
# Runs the whole test suite, real-model tests included: set up (packages, build, model) if needed,
# then the unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo test --release --locked
