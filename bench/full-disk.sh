#!/usr/bin/env bash
# A full disk, shown (not a test: mounting needs root and a machine that allows it): a batch of
# 6 recordings into a 400 KB tmpfs. Expect some letters done, the rest failed with "No space left
# on device" or "database or disk is full", no temporary files, every DOCX whole, exit 1.
# usage: sudo bench/full-disk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./target/release/dictate
[ -x "$bin" ] || ./scripts/setup.sh
work=$(mktemp -d)
mnt="$work/disk"
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=400k tmpfs "$mnt" 2>/dev/null; then
  echo "full-disk: cannot mount a tmpfs here (needs root and mount rights); nothing shown" >&2
  rm -rf "$work"
  exit 2
fi
trap 'umount "$mnt"; rm -rf "$work"' EXIT
python3 bench/make-inbox.py "$work/inbox" 6 >/dev/null
set +e
"$bin" batch "$work/inbox" --out "$mnt/letters" -q --jobs 1
echo "exit $?"
set -e
echo "temporary files left: $(find "$mnt" -name '*.part' | wc -l)"
python3 - "$mnt/letters" <<'PY'
import glob, sys, zipfile
docs = glob.glob(sys.argv[1] + "/**/*.docx", recursive=True)
for d in docs:
    zipfile.ZipFile(d).read("word/document.xml")
print(f"letters written: {len(docs)}, all whole")
PY
