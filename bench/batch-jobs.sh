#!/usr/bin/env bash
# How `dictate batch` should use the cores: all threads on one recording at a time (--jobs 1)
# against recordings in parallel with the threads shared (--jobs N). Wall time of the whole batch,
# ROUNDS rounds each, alternating, median; run it on an otherwise idle machine (ggml's threads spin
# while they wait, so anything else running skews it).
# usage: bench/batch-jobs.sh [N_RECORDINGS] [ROUNDS] [JOBS]   (default 24 recordings, 3 rounds, 2)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-24}
rounds=${2:-3}
jobs=${3:-2}
bin=./target/release/dictate
[ -x "$bin" ] || ./scripts/setup.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/make-inbox.py "$work/inbox" "$n" >/dev/null
for r in $(seq "$rounds"); do
  for j in 1 "$jobs"; do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/t" "$bin" batch "$work/inbox" --out "$work/out" --jobs "$j" -q >/dev/null
    echo "$j $(cat "$work/t")" >> "$work/times"
  done
done
python3 - "$work/times" "$n" "$jobs" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
n, jobs = sys.argv[2], sys.argv[3]
med = {}
for j in ("1", jobs):
    walls = [float(r[1]) for r in rows if r[0] == j]
    rss = max(int(r[2]) for r in rows if r[0] == j) / 1024
    med[j] = statistics.median(walls)
    print(f"--jobs {j}: median {med[j]:.1f} s over {len(walls)} rounds ({', '.join(f'{w:.1f}' for w in walls)}), peak RSS {rss:.0f} MiB")
print(f"{n} recordings: --jobs {jobs} takes {med[jobs] / med['1']:.2f}x the time of --jobs 1")
PY
