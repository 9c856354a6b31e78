#!/usr/bin/env bash
# What the terminology pass costs and gains, measured (never a timed test):
#   1. end-to-end time of `dictate letter` on one recording, with and without the pass
#      (ROUNDS rounds each, alternating, median), and their ratio;
#   2. the pass's own seconds against the whole run, per dev set (`dictate eval --json`);
#   3. changes it makes to text that was right (`dictate terms` on tests/data/clean_clinical.txt
#      and the samples' texts), per 1,000 words.
# usage: bench/terms.sh [ROUNDS] [AUDIO_DIR ...]   (default 5 rounds; samples/ and ../shared/eval-dev/*)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
shift || true
bin=./target/release/dictate
[ -x "$bin" ] || ./scripts/setup.sh
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  dirs=(samples)
  for d in ../shared/eval-dev/audio-hibari ../shared/eval-dev/audio; do [ -d "$d" ] && dirs+=("$d"); done
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "## 1. dictate letter samples/s01_diabetes_clinic.wav, $rounds rounds (median wall seconds)"
for mode in on off; do : > "$work/$mode"; done
for r in $(seq "$rounds"); do
  for mode in on off; do
    flag=(); [ "$mode" = off ] && flag=(--no-terms)
    rm -rf "$work/out"
    /usr/bin/time -f "%e" -o "$work/t" "$bin" letter samples/s01_diabetes_clinic.wav --out "$work/out" -q "${flag[@]}" >/dev/null
    cat "$work/t" >> "$work/$mode"
  done
done
python3 - "$work/on" "$work/off" <<'PY'
import statistics, sys
on = [float(x) for x in open(sys.argv[1])]; off = [float(x) for x in open(sys.argv[2])]
m_on, m_off = statistics.median(on), statistics.median(off)
print(f"with the pass {m_on:.2f} s, without {m_off:.2f} s: ratio {m_on / m_off:.3f} (+{100 * (m_on / m_off - 1):.1f}%)")
PY

echo
echo "## 2. the pass's share of each dictation (dictate eval, model loaded once)"
for d in "${dirs[@]}"; do
  "$bin" eval "$d" --json -q | python3 -c "
import json, sys
t = json.load(sys.stdin)['total']
print(f\"$d: {t['files']} files, wall {t['wall_seconds']:.2f} s, terms pass {t['terms_seconds']:.3f} s \"
      f\"({100 * t['terms_seconds'] / t['wall_seconds']:.1f}%), {t['corrections']} corrections, \"
      f\"terms {t['terms_found']}/{t['terms_total']} ({100 * t['term_recall']:.0f}%)\")"
done

echo
echo "## 3. changes to right words"
"$bin" terms tests/data/clean_clinical.txt samples/*.txt | tail -1
# The answer keys' spoken text is right by definition: every change the pass makes there from
# the letters alone (no audio, so every near term is let through) is one the checks must stop.
# Each change is listed; KEYS (default: the dev set and the held-out sets' natural voice).
keys=${KEYS:-"../shared/eval-dev/audio-hibari /work/unseen/hibari /work/unseen2/hibari /work/unseen3/hibari /work/unseen4/hibari"}
mkdir -p "$work/spoken"
for k in $keys; do
  for f in "$k"/*.expected.json; do
    [ -f "$f" ] || continue
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["spoken"].replace("\n", " "))' "$f" \
      > "$work/spoken/$(basename "$f" .expected.json).txt"
  done
done
if ls "$work"/spoken/*.txt >/dev/null 2>&1; then
  echo "the answer keys' spoken text, from the letters alone:"
  "$bin" terms "$work"/spoken/*.txt | sed "s|$work/spoken/||"
fi
