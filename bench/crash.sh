#!/usr/bin/env bash
# Crash safety of `dictate batch`, shown (never a timed test): kill -9 the batch at random moments
# ROUNDS times, then let it finish, and check that every recording has exactly one letter and one
# record, that no half-written DOCX is left (each opens as a ZIP with its document), that the
# ledger passes SQLite's integrity check with no job left running, and that no recording changed.
# usage: bench/crash.sh [N_RECORDINGS] [ROUNDS]     (default 30 recordings, 5 kills)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-30}
rounds=${2:-5}
bin=./target/release/dictate
[ -x "$bin" ] || ./scripts/setup.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/make-inbox.py "$work/inbox" "$n" >/dev/null
(cd "$work/inbox" && find . -type f -name '*.wav' -exec sha256sum {} + | sort -k2) > "$work/before"
for r in $(seq "$rounds"); do
  "$bin" batch "$work/inbox" --out "$work/letters" -q >/dev/null 2>&1 &
  pid=$!
  delay=$(python3 -c "import random; print(round(random.uniform(1.5, 9.0), 1))")
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  done_now=$(find "$work/letters" -name '*.docx' 2>/dev/null | wc -l)
  parts=$(find "$work/letters" -name '.dictate-*.part' 2>/dev/null | wc -l)
  echo "kill $r after ${delay}s: $done_now letters so far, $parts temporary files left by the kill"
done
echo "final run:"
"$bin" batch "$work/inbox" --out "$work/letters" -q
python3 - "$work" "$n" <<'PY'
import os, sqlite3, sys, zipfile
work, n = sys.argv[1], int(sys.argv[2])
inbox, letters = os.path.join(work, "inbox"), os.path.join(work, "letters")
problems = []
for root, _, files in os.walk(inbox):
    for f in files:
        rel = os.path.relpath(os.path.join(root, f[:-4]), inbox)
        for ext in (".docx", ".json"):
            matches = [p for p in [os.path.join(letters, rel + ext)] if os.path.isfile(p)]
            if len(matches) != 1:
                problems.append(f"{rel}{ext}: {len(matches)} files")
docx = [os.path.join(r, f) for r, _, fs in os.walk(letters) for f in fs if f.endswith(".docx")]
for d in docx:
    try:
        with zipfile.ZipFile(d) as z:
            z.read("word/document.xml")
    except Exception as e:
        problems.append(f"{d}: not a whole DOCX ({e})")
parts = [f for r, _, fs in os.walk(letters) for f in fs if f.endswith(".part")]
db = sqlite3.connect(os.path.join(letters, "dictate-ledger.sqlite"))
integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
states = dict(db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall())
attempts = db.execute("SELECT SUM(attempts) FROM jobs").fetchone()[0]
print(f"{n} recordings: {len(docx)} letters, all open as DOCX: {not any('not a whole' in p for p in problems)}; "
      f"temporary files left: {len(parts)}; ledger integrity: {integrity}; jobs by state: {states}; "
      f"attempts in all: {attempts}")
if problems or integrity != "ok" or states.get("running") or parts:
    print("PROBLEMS:", *problems[:20], sep="\n  ")
    sys.exit(1)
PY
(cd "$work/inbox" && find . -type f -name '*.wav' -exec sha256sum {} + | sort -k2) > "$work/after"
if cmp -s "$work/before" "$work/after"; then echo "recordings unchanged: yes"; else echo "recordings CHANGED"; exit 1; fi
