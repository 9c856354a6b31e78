#!/usr/bin/env python3
"""Makes a folder of N distinct dictations from the samples (for batch and crash runs).

usage: make-inbox.py OUT_DIR N [SAMPLES_DIR]
Each copy is a sample with its last audio frame changed to encode its number, so every file has
its own content hash (the ledger would rightly skip identical copies) and sounds the same.
Files go into day subfolders: OUT_DIR/day1/d001_s01_diabetes_clinic.wav ...
"""
import os, sys, wave

out, n = sys.argv[1], int(sys.argv[2])
samples = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "..", "samples")
sources = sorted(f for f in os.listdir(samples) if f.endswith(".wav"))
for i in range(n):
    src = sources[i % len(sources)]
    with wave.open(os.path.join(samples, src), "rb") as r:
        params = r.getparams()
        frames = bytearray(r.readframes(r.getnframes()))
    width = params.sampwidth * params.nchannels
    frames[-width:] = (i + 1).to_bytes(width, "little", signed=False)[:width]
    day = os.path.join(out, f"day{i % 4 + 1}")
    os.makedirs(day, exist_ok=True)
    with wave.open(os.path.join(day, f"d{i + 1:03d}_{src}"), "wb") as w:
        w.setparams(params)
        w.writeframes(bytes(frames))
print(f"{n} recordings in {out}")
