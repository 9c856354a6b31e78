#!/usr/bin/env python3
"""Speak snippets (gen_text.py's JSON lines) in training voices, none of the evaluation's.

usage: synth.py SNIPPETS.jsonl OUT_DIR [--jobs N]

Voices: flite (kal16, awb, rms, slt) and festival (kal, ked diphones; slt HTS). The evaluation's
voices (espeak-ng, hibari-tts, Piper joe) are never used. Each clip gets a random tempo, pitch and
level, and some get pink noise or a little reverberation; 16 kHz mono 16-bit WAV.
Writes OUT_DIR/<id>.wav and OUT_DIR/index.jsonl (id, voice, seconds, target, terms).
"""
import json, os, random, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

VOICES = [("flite", "kal16"), ("flite", "awb"), ("flite", "rms"), ("flite", "slt"),
          ("festival", "kal_diphone"), ("festival", "ked_diphone"), ("festival", "cmu_us_slt_arctic_hts")]


def render(item, out_dir):
    rng = random.Random(item["id"])
    engine, voice = rng.choice(VOICES)
    wav = os.path.join(out_dir, item["id"] + ".wav")
    with tempfile.TemporaryDirectory() as tmp:
        txt = os.path.join(tmp, "t.txt")
        raw = os.path.join(tmp, "raw.wav")
        with open(txt, "w") as f:
            f.write(item["spoken"] + "\n")
        if engine == "flite":
            subprocess.run(["flite", "-voice", voice, "-f", txt, "-o", raw], check=True, capture_output=True)
        else:
            subprocess.run(["text2wave", "-eval", f"(voice_{voice})", txt, "-o", raw], check=True, capture_output=True)
        effects = ["tempo", "-s", f"{rng.uniform(0.85, 1.2):.3f}", "pitch", str(rng.randint(-250, 250))]
        if rng.random() < 0.3:
            effects += ["reverb", str(rng.randint(10, 40))]
        effects += ["gain", "-n", str(-rng.randint(1, 12)), "rate", "16000", "channels", "1"]
        staged = os.path.join(tmp, "s.wav")
        subprocess.run(["sox", raw, "-b", "16", staged] + effects, check=True, capture_output=True)
        if rng.random() < 0.35:
            dur = subprocess.run(["soxi", "-D", staged], check=True, capture_output=True, text=True).stdout.strip()
            noise = os.path.join(tmp, "n.wav")
            subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", noise, "synth", dur, "pinknoise",
                            "vol", f"{rng.uniform(0.005, 0.05):.3f}"], check=True, capture_output=True)
            subprocess.run(["sox", "-m", staged, noise, "-b", "16", wav], check=True, capture_output=True)
        else:
            os.replace(staged, wav)
    secs = float(subprocess.run(["soxi", "-D", wav], check=True, capture_output=True, text=True).stdout)
    return {"id": item["id"], "voice": f"{engine}:{voice}", "seconds": secs, "target": item["target"], "terms": item["terms"]}


def main():
    src, out_dir = sys.argv[1], sys.argv[2]
    jobs = int(sys.argv[sys.argv.index("--jobs") + 1]) if "--jobs" in sys.argv else 2
    os.makedirs(out_dir, exist_ok=True)
    items = [json.loads(l) for l in open(src)]
    with ThreadPoolExecutor(jobs) as pool, open(os.path.join(out_dir, "index.jsonl"), "w") as index:
        for n, row in enumerate(pool.map(lambda it: render(it, out_dir), items)):
            if row["seconds"] > 29.5:
                continue  # one 30-s window per clip
            index.write(json.dumps(row) + "\n")
            if n % 200 == 0:
                print(n, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
