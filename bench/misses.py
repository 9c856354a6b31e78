#!/usr/bin/env python3
"""Why each key term is missing from its letter: what Whisper wrote where it was said, and what the
terminology pass did there.

usage: bench/misses.py RECORDS_DIR KEYS_DIR [--all] [--dic PATH]
  RECORDS_DIR: the <id>.json records of `dictate eval KEYS_DIR --out RECORDS_DIR`
  KEYS_DIR:    the <id>.expected.json answer keys ("spoken", "terms")
  --all:       list the terms found too
  --dic:       the system's medical word list (default /usr/share/hunspell/en_med_glut.dic)

Each missed term is put in one class:
  declined   the pass found the term but the recording did not support it (scores shown)
  other      the pass wrote another term over the words where it was said
  unasked    the words where it was said were not a candidate (Whisper's words shown)
and, after its class, where the product's lists hold it:
  curated    lexicon/terms.tsv (any case)
  system     only the system's medical word list (one word)
  no list    no list holds it whole (a UK phrase of listed words, a brand, a gene's name): the pass
             can only write it where the clinical ear or a listening writes it
The last line counts the classes, and the unasked terms by list.
A term counts as found as `dictate eval` counts it: its words in the letter's text (notes box left
out), case and punctuation aside.
"""
import collections, difflib, glob, json, os, re, sys


def norm(s):
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).split()


def body(final_text):
    # The notes box comes first and ends at its first blank line.
    if final_text.startswith("Notes for the secretary"):
        return final_text.split("\n\n", 1)[-1]
    return final_text


def heard_words(record):
    out = []
    for seg in record["transcript"]["segments"]:
        for w in seg["text"].split():
            out.append((w, seg["start"], seg["end"]))
    return out


def scores(c):
    a = c.get("audio")
    if not a:
        return "no audio check"
    ev = lambda s: s["audio"] - 0.75 * s["prior"]  # check::PRIOR_WEIGHT
    terms = ", ".join(f"{t['text']} {ev(t) - ev(a['heard']):+.1f}" for t in a["terms"])
    h = a.get("hinted")
    again = f"; heard again: {h['text']!r}" if h else ""
    return f"vs heard: {terms}{again}"


HERE = os.path.dirname(os.path.abspath(__file__))


def lists(dic):
    """The curated list's terms and the system list's words, lower-cased."""
    curated = set()
    with open(os.path.join(HERE, "..", "lexicon", "terms.tsv"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#") and line.strip():
                curated.add(line.split("\t")[0].strip().lower())
    if not os.path.exists(dic):
        sys.exit(f"misses.py: {dic} not found: ./scripts/setup.sh installs it (hunspell-en-med), "
                 "or give another with --dic")
    system = set()
    with open(dic, encoding="latin-1") as f:
        for i, line in enumerate(f):
            if not (i == 0 and line.strip().isdigit()):
                system.add(line.split("/")[0].strip().lower())
    return curated, system


def main(args):
    show_all = "--all" in args
    dic = "/usr/share/hunspell/en_med_glut.dic"
    if "--dic" in args:
        at = args.index("--dic")
        dic = args[at + 1]
        args = args[:at] + args[at + 2:]
    args = [a for a in args if a != "--all"]
    recs, keys = args
    curated, system = lists(dic)
    counts = collections.Counter()
    unasked = collections.Counter()
    for kp in sorted(glob.glob(os.path.join(keys, "*.expected.json"))):
        case = os.path.basename(kp)[: -len(".expected.json")]
        rp = os.path.join(recs, case + ".json")
        if not os.path.exists(rp):
            continue
        key, rec = json.load(open(kp)), json.load(open(rp))
        text = " " + " ".join(norm(body(rec.get("final_text", "")))) + " "
        spoken = norm(key["spoken"])
        heard = heard_words(rec)
        hn = [" ".join(norm(w)) for w, _, _ in heard]
        sm = difflib.SequenceMatcher(None, spoken, hn, autojunk=False)
        blocks = sm.get_matching_blocks()
        corrections = rec.get("corrections", [])
        declined = rec.get("declined_corrections", [])
        for term in key.get("terms", []):
            tn = norm(term)
            if f" {' '.join(tn)} " in text:
                counts["found"] += 1
                if show_all:
                    print(f"{case}: {term}: found")
                continue
            # Where it was said, and the heard words around that place.
            at = next((i for i in range(len(spoken)) if spoken[i:i + len(tn)] == tn), None)
            around = ""
            if at is not None:
                lo = hi = None
                for a, b, n in blocks:
                    if a + n <= at:
                        lo = b + n + (at - a - n)
                    if a >= at + len(tn) and hi is None:
                        hi = b - (a - at - len(tn))
                lo = max(0, min(lo if lo is not None else 0, len(heard) - 1))
                hi = max(lo + 1, min(hi if hi is not None else lo + len(tn), len(heard)))
                around = " ".join(w for w, _, _ in heard[max(0, lo - 2):hi + 2])
                t0 = heard[lo][1]
            where = ("curated" if term.lower() in curated else
                     "system" if term.lower() in system else "no list")
            d = next((c for c in declined if any(term.lower() == t["text"].lower()
                                                 for t in (c.get("audio") or {}).get("terms", []))
                      or c["term"].lower() == term.lower()), None)
            if d:
                counts["declined"] += 1
                print(f"{case}: {term}: declined ({where}), heard {d['heard']!r}: {scores(d)}")
                continue
            o = next((c for c in corrections if at is not None and
                      any(c["heard"].split()[0].strip(".,").lower() == w.strip(".,").lower()
                          for w in around.split())), None)
            if o:
                counts["other"] += 1
                print(f"{case}: {term}: other ({where}), {o['heard']!r} -> {o['term']!r}: {scores(o)}")
                continue
            counts["unasked"] += 1
            unasked[where] += 1
            print(f"{case}: {term}: unasked ({where}), heard ... {around} ...")
    total = sum(counts.values())
    print(f"{counts['found']}/{total} found; missed: " + ", ".join(
        f"{k} {counts[k]}" for k in ("declined", "other", "unasked")) +
        " (" + ", ".join(f"{k} {unasked[k]}" for k in ("curated", "system", "no list")) + ")")


if __name__ == "__main__":
    main(sys.argv[1:])
