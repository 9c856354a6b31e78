#!/usr/bin/env bash
# The main job on the bundled samples: set up (packages, build, model) if needed, then write one
# draft letter (DOCX) and one JSON record per recording in samples/ into out/samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
out=out/samples
./target/release/dictate letter samples/*.wav samples/*.m4a --config samples/site.toml --out "$out" --overwrite
echo "letters and records are in $(pwd)/$out"
