#!/usr/bin/env bash
# Long recordings: peak memory and time of `dictate transcribe` on 1, 10 and 40 minutes of
# dictation (the dev recordings and samples, joined end to end with sox), WAV and MP3, beside
# faster-whisper on the same audio and weights when bench/.venv holds it (./bench/run.sh makes it).
#
# usage: ./bench/long.sh [MINUTES ...]      (default: 1 10 40)
# needs: sox, ffmpeg (for the MP3s), /usr/bin/time; a built dictate and models/ggml-tiny.en.bin
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=("$@")
[ ${#minutes[@]} -gt 0 ] || minutes=(1 10 40)
work=bench/work/long
mkdir -p "$work"
threads=2

# One pass over every recording we have (about 8 minutes), as 16 kHz mono.
pieces=()
for f in samples/*.wav ../shared/eval-dev/audio-hibari/*.wav ../shared/eval-dev/audio/*.wav; do
  [ -f "$f" ] && pieces+=("$f")
done
if [ ! -f "$work/pass.wav" ]; then
  mkdir -p "$work/pieces"
  n=0
  for f in "${pieces[@]}"; do
    n=$((n + 1))
    sox "$f" -r 16000 -c 1 -b 16 "$work/pieces/$(printf %03d $n).wav"
  done
  sox "$work"/pieces/*.wav "$work/pass.wav"
fi
pass=$(soxi -D "$work/pass.wav")

peak() { # peak RSS in MiB and wall seconds of a command, from /usr/bin/time -v
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
  awk '/Maximum resident set size/ {rss=$NF/1024} /Elapsed \(wall clock\)/ {n=split($NF,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]} END {printf "%.0f MiB  %.1f s", rss, s}' "$log"
  rm -f "$log"
}

printf '%-8s %-5s %-22s %-22s\n' minutes file dictate faster-whisper
for m in "${minutes[@]}"; do
  wav="$work/${m}min.wav"
  mp3="$work/${m}min.mp3"
  if [ ! -f "$wav" ]; then
    repeats=$(python3 -c "import math; print(math.ceil($m * 60 / $pass))")
    list=()
    for _ in $(seq "$repeats"); do list+=("$work/pass.wav"); done
    sox "${list[@]}" "$wav" trim 0 $((m * 60))
  fi
  [ -f "$mp3" ] || ffmpeg -v error -y -i "$wav" -c:a libmp3lame -b:a 48k "$mp3"
  for f in "$wav" "$mp3"; do
    d=$(peak ./target/release/dictate transcribe "$f" --threads "$threads" --quiet)
    fw="-"
    if [ -x bench/.venv/bin/python ] && [ -d bench/work/ct2-tiny.en ]; then
      fw=$(peak bench/.venv/bin/python bench/fw_transcribe.py --model bench/work/ct2-tiny.en \
        --threads "$threads" --beam 1 --out "$work/fw" "$f")
    fi
    printf '%-8s %-5s %-22s %-22s\n' "$m" "${f##*.}" "$d" "$fw"
  done
done
