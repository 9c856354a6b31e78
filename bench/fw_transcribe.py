#!/usr/bin/env python3
"""Transcribe recordings with faster-whisper, loading the model once, for bench/run.sh.

Writes OUT_DIR/<id>.txt (the raw transcript: the segments' text joined with spaces) for each
recording, where <id> is the file name without ".wav". Settings mirror `dictate transcribe`:
language "en", no VAD filter, segment timestamps on, no word timestamps, and faster-whisper's
defaults for everything else (condition_on_previous_text=True, temperature fallback, ...).

usage: fw_transcribe.py --model DIR --threads N --beam N --out OUT_DIR FILE.wav [FILE.wav ...]
"""

import argparse
import os
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="CTranslate2 model folder (model.bin, config.json, ...)")
    ap.add_argument("--threads", type=int, required=True, help="cpu_threads for CTranslate2")
    ap.add_argument("--beam", type=int, default=1, help="beam_size (1 = greedy)")
    ap.add_argument("--compute-type", default="int8")
    ap.add_argument("--out", required=True, help="folder for <id>.txt transcripts")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    from faster_whisper import WhisperModel  # imported here so --help works without it

    os.makedirs(args.out, exist_ok=True)
    t0 = time.perf_counter()
    model = WhisperModel(
        args.model,
        device="cpu",
        compute_type=args.compute_type,
        cpu_threads=args.threads,
        num_workers=1,
        local_files_only=True,
    )
    load_s = time.perf_counter() - t0

    for path in args.files:
        ident = os.path.basename(path)
        if ident.endswith(".wav"):
            ident = ident[: -len(".wav")]
        t1 = time.perf_counter()
        segments, info = model.transcribe(
            path,
            language="en",
            beam_size=args.beam,
            vad_filter=False,
            without_timestamps=False,
            word_timestamps=False,
        )
        text = " ".join(s.text.strip() for s in segments if s.text.strip())  # the generator decodes here
        with open(os.path.join(args.out, ident + ".txt"), "w", encoding="utf-8") as f:
            f.write(text + "\n")
        print(
            f"fw: {ident}: {info.duration:.1f} s audio in {time.perf_counter() - t1:.2f} s",
            file=sys.stderr,
        )
    print(f"fw: model load {load_s:.2f} s", file=sys.stderr)
    try:  # which BLAS kernel numpy ran (feature extraction); bench/run.sh records it
        import threadpoolctl

        for lib in threadpoolctl.threadpool_info():
            if lib.get("internal_api") == "openblas":
                print(f"fw: numpy openblas kernel {lib.get('architecture')}", file=sys.stderr)
    except ImportError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
