#!/usr/bin/env python3
"""The portable build's cost: two dictate binaries (native and portable) run alternately.

usage: bench/portable.py --native BIN --portable BIN [--rounds N] [--threads N] [--max-files N]
                         [--no-tiles] AUDIO_DIR [...]

Per folder and round, each binary transcribes every recording (`dictate transcribe --json`, greedy,
the model loaded once) and then makes every letter (`dictate letter`), the same commands as
bench/run.sh's "greedy" and "greedy, whole letter" rows. The binaries take turns (A B, then B A
the next round) so that a change in the machine's load falls on both. Reports the median wall
time of each, the portable / native ratio, the encoder's share (whisper.cpp's own clocks, the
`model time:` line) and whether the transcripts are the same words. Standard library only; working
files in bench/work/portable/. `--no-tiles` sets DICTATE_NO_AMX_BF16 for both binaries: the
encoder off the AMX BF16 tiles, as on a CPU without them. See BENCHMARKS.md, "A portable build
(issue 20)".
"""

import argparse
import difflib
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

# dictate's "model time:" line, parsed as bench.py parses it (one pattern for both scripts).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import SPLIT_RE  # noqa: E402


def log(msg):
    print(f"portable: {msg}", file=sys.stderr, flush=True)


def fail(msg):
    print(f"portable: error: {msg}", file=sys.stderr)
    sys.exit(1)


def env_for(threads, no_tiles):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DICTATE_")}
    env["OMP_NUM_THREADS"] = str(threads)
    if no_tiles:
        env["DICTATE_NO_AMX_BF16"] = "1"
    env["DICTATE_LOG"] = "dictate::cli=debug"
    return env


def run(a, binary, job, files, rdir):
    shutil.rmtree(rdir, ignore_errors=True)
    os.makedirs(rdir)
    cmd = [binary, "--model", a.model, "--threads", str(a.threads)]
    if job == "letter":
        cmd += ["letter", "-q", "--out", os.path.join(rdir, "letters")] + files
    else:
        cmd += ["transcribe", "--json", "-q"] + files
    out, err = os.path.join(rdir, "stdout"), os.path.join(rdir, "stderr")
    with open(out, "w") as fo, open(err, "w") as fe:
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL, env=env_for(a.threads, a.no_tiles))
        wall = time.perf_counter() - t0
    if p.returncode != 0:
        fail(f"{' '.join(cmd)} exited {p.returncode}; see {err}")
    encoder = 0.0
    with open(err, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = SPLIT_RE.search(line)
            if m:
                encoder += float(m["encoder"])
    return {"wall": wall, "encoder": encoder, "stdout": out}


def transcripts(stdout):
    """`dictate transcribe --json`: {file name: text} from its JSON lines."""
    texts = {}
    with open(stdout, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                name = os.path.basename(o.get("source", "?"))
                texts[name] = " ".join(s["text"].strip() for s in o.get("segments", []))
    return texts


def word_changes(x, y):
    """Words of y that differ from x (replaced, inserted or deleted), by difflib's alignment."""
    a, b = x.split(), y.split()
    n = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            n += max(i2 - i1, j2 - j1)
    return n, len(a)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--native", required=True)
    ap.add_argument("--portable", required=True)
    ap.add_argument("--model", default="models/ggml-tiny.en.bin")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-files", type=int, default=0)
    ap.add_argument("--no-tiles", action="store_true")
    ap.add_argument("--work", default="bench/work/portable")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    for b in (a.native, a.portable):
        if not os.access(b, os.X_OK):
            fail(f"{b} is not an executable")
    if not os.path.isfile(a.model):
        fail(f"{a.model} not found (run ./scripts/setup.sh)")
    bins = {"native": os.path.abspath(a.native), "portable": os.path.abspath(a.portable)}

    rows = []
    for d in a.dirs:
        files = sorted(glob.glob(os.path.join(d, "*.wav")))
        if a.max_files:
            files = files[:a.max_files]
        if not files:
            fail(f"no .wav files in {d}")
        files = [os.path.abspath(f) for f in files]
        res = {(b, j): [] for b in bins for j in ("transcribe", "letter")}
        for r in range(a.rounds):
            order = ["native", "portable"] if r % 2 == 0 else ["portable", "native"]
            for job in ("transcribe", "letter"):
                for b in order:
                    rdir = os.path.join(a.work, os.path.basename(os.path.normpath(d)), b, job, f"round{r + 1}")
                    m = run(a, bins[b], job, files, rdir)
                    log(f"{d} round {r + 1} {b} {job}: {m['wall']:.2f} s (encoder {m['encoder']:.2f} s)")
                    res[(b, job)].append(m)
        # the transcripts of the first round
        tn = transcripts(res[("native", "transcribe")][0]["stdout"])
        tp = transcripts(res[("portable", "transcribe")][0]["stdout"])
        same = sum(1 for k in tn if tp.get(k) == tn[k])
        changed = [word_changes(tn[k], tp.get(k, "")) for k in tn]
        rows.append({"dir": d, "files": len(files), "res": res, "same": same,
                     "changed": sum(c for c, _ in changed), "words": sum(w for _, w in changed)})

    print(f"| audio | files | job | native s (median) | portable s (median) | portable / native | "
          f"encoder s native | encoder s portable | rounds |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        for job in ("transcribe", "letter"):
            n = row["res"][("native", job)]
            p = row["res"][("portable", job)]
            nw = statistics.median(m["wall"] for m in n)
            pw = statistics.median(m["wall"] for m in p)
            ne = statistics.median(m["encoder"] for m in n)
            pe = statistics.median(m["encoder"] for m in p)
            rounds = ", ".join(f"{x['wall']:.1f}/{y['wall']:.1f}" for x, y in zip(n, p))
            print(f"| `{row['dir']}` | {row['files']} | {job} | {nw:.2f} | {pw:.2f} | {pw / nw:.2f} | "
                  f"{ne:.2f} | {pe:.2f} | {rounds} |")
    for row in rows:
        print(f"\n{row['dir']}: transcripts identical in {row['same']}/{row['files']} files; "
              f"{row['changed']} of {row['words']} words differ (native vs portable, first round)")


if __name__ == "__main__":
    main()
