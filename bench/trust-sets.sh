#!/usr/bin/env bash
# Term recall, lost words, right words changed and invented terms over the fifteen evaluation sets:
# the development set's three voices (../shared/eval-dev/audio, audio-hibari, audio-joe), the
# held-out set's (eval/unseen, spoken by eval/unseen/make.sh into /work/unseen/{espeak,hibari,joe})
# the second held-out set's (eval/unseen2, spoken into /work/unseen2/...: its README), the
# third's (eval/unseen3, into /work/unseen3/...), the fourth's (eval/unseen4, /work/unseen4/...)
# and the fifth's (eval/unseen5, /work/unseen5/...: run only where its audio has been made).
# One `dictate eval` per set (with the set's practice directory, eval/dev-directory.toml or
# eval/unseen/directory.toml), one at a time (two whisper processes on two cores slow each other),
# then bench/trust.py and bench/misses.py per set and a one-line-per-set summary.
#
# usage: bench/trust-sets.sh [OUT] [BIN]   OUT defaults to bench/work/trust, BIN to
#        target/release/dictate (copy it elsewhere first to keep building while it runs)
# env:   UNSEEN (default /work/unseen), UNSEEN2 (default /work/unseen2), UNSEEN3 (default
#        /work/unseen3), UNSEEN4 (default /work/unseen4), UNSEEN5 (default /work/unseen5), DEV
#        (default ../shared/eval-dev), EXTRA
#        (more eval flags), SETS (the sets to run, by name, e.g. "unseen4-natural unseen4-male";
#        default all fifteen, and unseen5's three where its audio is there)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bench/work/trust}"
bin="${2:-target/release/dictate}"
unseen="${UNSEEN:-/work/unseen}"
unseen2="${UNSEEN2:-/work/unseen2}"
unseen3="${UNSEEN3:-/work/unseen3}"
unseen4="${UNSEEN4:-/work/unseen4}"
unseen5="${UNSEEN5:-/work/unseen5}"
dev="${DEV:-../shared/eval-dev}"
[ -x "$bin" ] || { echo "trust-sets.sh: $bin not found: run ./scripts/setup.sh first" >&2; exit 2; }
model="${DICTATE_MODEL:-models/ggml-tiny.en.bin}"
[ -f "$model" ] || { echo "trust-sets.sh: $model not found: run ./scripts/setup.sh first" >&2; exit 2; }

sets=("dev-robotic=$dev/audio" "dev-natural=$dev/audio-hibari" "dev-male=$dev/audio-joe"
      "unseen-robotic=$unseen/espeak" "unseen-natural=$unseen/hibari" "unseen-male=$unseen/joe"
      "unseen2-robotic=$unseen2/espeak" "unseen2-natural=$unseen2/hibari" "unseen2-male=$unseen2/joe"
      "unseen3-robotic=$unseen3/espeak" "unseen3-natural=$unseen3/hibari" "unseen3-male=$unseen3/joe"
      "unseen4-robotic=$unseen4/espeak" "unseen4-natural=$unseen4/hibari" "unseen4-male=$unseen4/joe")
# The fifth held-out set only where its audio has been made (it came later than the others).
if [ -d "$unseen5" ]; then
    sets+=("unseen5-robotic=$unseen5/espeak" "unseen5-natural=$unseen5/hibari" "unseen5-male=$unseen5/joe")
fi
if [ -n "${SETS:-}" ]; then
    chosen=()
    for s in "${sets[@]}"; do
        case " $SETS " in *" ${s%%=*} "*) chosen+=("$s") ;; esac
    done
    [ ${#chosen[@]} -gt 0 ] || { echo "trust-sets.sh: SETS names no set: $SETS" >&2; exit 2; }
    sets=("${chosen[@]}")
fi
# Each set's practice directory (its recipients among names no letter uses), so that a
# recipient is looked up as a practice's letters would be.
config_for() {
    case "$1" in
        dev-*) echo eval/dev-directory.toml ;;
        unseen2-*) echo eval/unseen2/directory.toml ;;
        unseen3-*) echo eval/unseen3/directory.toml ;;
        unseen4-*) echo eval/unseen4/directory.toml ;;
        unseen5-*) echo eval/unseen5/directory.toml ;;
        *) echo eval/unseen/directory.toml ;;
    esac
}
mkdir -p "$out"
for s in "${sets[@]}"; do
    name="${s%%=*}" dir="${s#*=}"
    if ! ls "$dir"/*.expected.json >/dev/null 2>&1; then
        echo "trust-sets.sh: no answer keys in $dir (held-out audio: eval/unseen/make.sh; eval/unseen2/README.md, eval/unseen3/README.md, eval/unseen4/README.md, eval/unseen5/README.md)" >&2
        exit 2
    fi
    rm -rf "${out:?}/$name"
    start=$(date +%s)
    # shellcheck disable=SC2086
    DICTATE_MODEL="$model" "$bin" eval "$dir" --config "$(config_for "$name")" --json \
        --out "$out/$name" ${EXTRA:-} \
        > "$out/$name.eval.json" 2> "$out/$name.eval.log"
    echo "$name: eval $(( $(date +%s) - start )) s" >&2
    python3 bench/trust.py "$out/$name" "$dir" > "$out/$name.trust.txt"
    python3 bench/trust.py "$out/$name" "$dir" --json > "$out/$name.trust.json"
    python3 bench/misses.py "$out/$name" "$dir" > "$out/$name.misses.txt"
done

python3 - "$out" "${sets[@]}" <<'PY'
import glob, json, os, re, sys
out = sys.argv[1]
# Flags that tell the secretary to check the recipient: what was heard and taken, a name the
# directory does not hold, or no recipient recognised.
RECIPIENT_NOTES = ("recipient", "recipient_unknown", "missing", "no_header")
def recipients(name):
    """Letters with the key's recipient, and of the others how many carry a note about it."""
    files = json.load(open(f"{out}/{name}.eval.json"))["files"]
    right = sum(bool((f.get("identifiers") or {}).get("recipient")) for f in files)
    noted = 0
    for f in files:
        if (f.get("identifiers") or {}).get("recipient", True):
            continue
        for rec in glob.glob(f"{out}/{name}/{f['id']}*.json"):
            flags = json.load(open(rec)).get("flags") or []
            if any(x["kind"] in RECIPIENT_NOTES and "recipient" in x["message"] for x in flags):
                noted += 1
                break
    return f"{right}/{len(files)} ({noted}/{len(files) - right})"
def signers(name, keys):
    # Letters whose key says who dictated ("This is Doctor ..."): signed by them, outside the
    # notes box.
    right = total = 0
    for path in sorted(glob.glob(f"{keys}/*.expected.json")):
        key = json.load(open(path))
        m = re.search(r"[Tt]his is (Doctor|Mr|Mrs|Miss|Ms|Professor) ([A-Z][\w'-]+ [A-Z][\w'-]+)", key["spoken"])
        rec = f"{out}/{name}/{key['id']}.json"
        if not m or not os.path.exists(rec):
            continue
        total += 1
        text = json.load(open(rec))["final_text"]
        letter = text.split("\n\n", 1)[-1] if text.startswith("Notes for the secretary") else text
        right += any(m.group(2) in line for line in letter.rstrip().split("\n")[-8:])
    return f"{right}/{total}"
print(f"{'set':16} {'terms':>9} {'recall':>7} {'lost':>6} {'changed':>8} {'invented':>9} {'model s':>8} {'terms s':>8} {'recipients (misses noted)':>26} {'signed':>7}")
for s in sys.argv[2:]:
    name, keys = s.split("=", 1)
    t = json.load(open(f"{out}/{name}.trust.json"))["total"]
    e = json.load(open(f"{out}/{name}.eval.json"))["total"]
    found, total = t["terms_found"], t["terms_total"]
    print(f"{name:16} {found:>4}/{total:<4} {100 * found / max(total, 1):6.1f}% {t['lost_per_1000']:6.1f} "
          f"{t['changed_per_1000']:8.1f} {t['invented_per_1000']:9.1f} {e['model_seconds']:8.1f} "
          f"{e['terms_seconds']:8.1f} {recipients(name):>26} {signers(name, keys):>7}")
print("\nWhy key terms are missing (bench/misses.py; OUT/<set>.misses.txt lists each; unasked by list):")
for s in sys.argv[2:]:
    name = s.split("=", 1)[0]
    print(f"{name:16} " + open(f"{out}/{name}.misses.txt").read().strip().split("\n")[-1])
PY
