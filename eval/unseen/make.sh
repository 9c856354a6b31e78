#!/usr/bin/env bash
# Speaks the held-out cases (cases.py beside this script) in three voices, with the development
# set's generator:
#   ROOT/espeak  espeak-ng British voices (robotic), as each case names them, some with noise
#   ROOT/hibari  hibari-tts (natural, female)           needs `hibari` on PATH or in /opt/venv-tts/bin
#   ROOT/joe     Piper en_US-joe-medium (male)          needs `piper` on PATH or in /opt/venv-piper/bin
# usage: make.sh [ROOT] [VOICE...]     ROOT defaults to /work/unseen; VOICE is espeak, hibari or joe
#                                      (all three when none is named)
# needs: espeak-ng and sox (apt-get install -y espeak-ng sox); for the other voices, see README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${1:-/work/unseen}"
shift || true
voices=("$@")
[ ${#voices[@]} -gt 0 ] || voices=(espeak hibari joe)
gen="${MAKE_AUDIO:-$here/../../../shared/eval-dev/make_audio.py}"
[ -f "$gen" ] || gen=/work/shared/eval-dev/make_audio.py
cases="${CASES:-$here/cases.py}"   # CASES: another set's cases.py (eval/unseen2)

# The venv of a TTS first on PATH, when it is there and the command is not already found.
with_venv() { # CMD VENV
    if ! command -v "$1" >/dev/null 2>&1 && [ -x "$2/bin/$1" ]; then PATH="$2/bin:$PATH"; fi
    command -v "$1" >/dev/null 2>&1 || { echo "make.sh: \`$1\` not found (see README.md)" >&2; return 1; }
}

failed=0
for v in "${voices[@]}"; do
    case "$v" in
        espeak) (python3 "$gen" "$cases" "$root/espeak") || failed=1 ;;
        hibari) (with_venv hibari /opt/venv-tts && python3 "$gen" "$cases" "$root/hibari" --tts hibari) || failed=1 ;;
        joe)    (with_venv piper /opt/venv-piper && python3 "$gen" "$cases" "$root/joe" --tts piper) || failed=1 ;;
        *) echo "make.sh: unknown voice \`$v\` (espeak, hibari or joe)" >&2; failed=1 ;;
    esac
done
exit "$failed"
