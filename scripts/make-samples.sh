#!/usr/bin/env bash
# Speaks samples/<id>.txt into samples/<id>.wav. The WAVs are committed; this script documents how
# they were made and remakes them. Needs: sox and espeak-ng (Debian), and the hibari command from
# PyPI (`pip install hibari-tts`) for the natural voice.
#   s01: hibari (natural voice), left at its own 24 kHz, so the resampler is exercised
#   s02: espeak-ng British English (robotic voice), 16 kHz
#   s03: hibari, 16 kHz
#   s04: hibari, two letters in one recording ("next letter"), as a phone writes it: AAC in M4A,
#        48 kHz (needs ffmpeg)
set -euo pipefail
cd "$(dirname "$0")/../samples"
hibari=${HIBARI:-hibari}
"$hibari" --seed 1 -o s01_diabetes_clinic.wav "$(cat s01_diabetes_clinic.txt)"
espeak-ng -v en-gb -s 150 -w /tmp/s02.raw.wav "$(cat s02_knee_referral.txt)"
sox /tmp/s02.raw.wav -r 16000 -c 1 -b 16 s02_knee_referral.wav
"$hibari" --seed 3 -o /tmp/s03.raw.wav "$(cat s03_asthma_clinic.txt)"
sox /tmp/s03.raw.wav -r 16000 -c 1 -b 16 s03_asthma_clinic.wav
"$hibari" --seed 4 -o /tmp/s04.raw.wav "$(cat s04_clinic_session.txt)"
ffmpeg -v error -y -i /tmp/s04.raw.wav -ar 48000 -ac 1 -c:a aac -b:a 64k s04_clinic_session.m4a
rm -f /tmp/s02.raw.wav /tmp/s03.raw.wav /tmp/s04.raw.wav
soxi -D ./*.wav
