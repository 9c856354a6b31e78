#!/usr/bin/env python3
"""Encode every clip of a synth.py folder once with tiny.en's (frozen) encoder.

usage: encode.py MODEL.bin CLIPS_DIR OUT.pt
Writes a dict: ids, features (N, 1500, 384) float16, targets, terms, voices.
"""
import json, sys, time
import torch, whisper
import ggml_io

model = ggml_io.load(sys.argv[1]).eval()
clips, out = sys.argv[2], sys.argv[3]
rows = [json.loads(l) for l in open(f"{clips}/index.jsonl")]
feats = torch.empty((len(rows), 1500, 384), dtype=torch.float16)
t0 = time.time()
with torch.no_grad():
    for i in range(0, len(rows), 8):
        chunk = rows[i:i + 8]
        mels = torch.stack([whisper.log_mel_spectrogram(whisper.pad_or_trim(whisper.load_audio(f"{clips}/{r['id']}.wav")))
                            for r in chunk])
        feats[i:i + len(chunk)] = model.encoder(mels).half()
        if i % 200 == 0:
            print(i, f"{time.time() - t0:.0f}s", file=sys.stderr, flush=True)
torch.save({"ids": [r["id"] for r in rows], "features": feats, "targets": [r["target"] for r in rows],
            "terms": [r["terms"] for r in rows], "voices": [r["voice"] for r in rows],
            "seconds": [r["seconds"] for r in rows]}, out)
