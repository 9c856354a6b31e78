#!/usr/bin/env python3
"""Every candidate the terminology pass found by its place (confident words where a drug's name is
expected) and what the recording said about it: heard words, term, margin over the heard words,
distinctness, the second listening's verdict, and whether the term was said in the letter.

usage: bench/places.py RECORDS_DIR KEYS_DIR
"""
import glob, json, os, re, sys

PRIOR_WEIGHT = 0.5


def ev(s):
    return s["audio"] - PRIOR_WEIGHT * s["prior"]


def norm(s):
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s.lower()).split())


def main(records, keys):
    rows = []
    for path in sorted(glob.glob(os.path.join(keys, "*.expected.json"))):
        key = json.load(open(path))
        rec_path = os.path.join(records, key["id"] + ".json")
        if not os.path.exists(rec_path):
            continue
        rec = json.load(open(rec_path))
        spoken = " " + norm(key["spoken"]) + " "
        for kind, cs in (("written", rec.get("corrections") or []),
                         ("declined", rec.get("declined_corrections") or [])):
            for c in cs:
                a = c.get("audio") or {}
                if not a.get("by_place"):
                    continue
                t = a["terms"][a["chosen"]]
                margin = ev(t) - ev(a["heard"])
                others = [ev(x) for k, x in enumerate(a["terms"]) if k != a["chosen"]]
                distinct = ev(t) - max(others) if others else float("inf")
                h = a.get("hinted") or {}
                verdict = "wrote" if h.get("wrote") == a["chosen"] else (
                    "toward" if h.get("toward") == a["chosen"] else ("-" if h else "not asked"))
                said = (" " + norm(c["term"]) + " ") in spoken
                rows.append((key["id"][:3], kind, c["heard"], c["term"], margin, distinct, verdict, said))
    for r in rows:
        print(f"{r[0]} {r[1]:8} {r[2]!r:28} -> {r[3]:18} margin {r[4]:+6.1f} distinct {r[5]:+6.1f} "
              f"again {r[6]:9} {'SAID' if r[7] else 'not said'}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
