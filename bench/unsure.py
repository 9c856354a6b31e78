#!/usr/bin/env python3
"""How well Whisper's token probability picks out the words it got wrong: for each threshold,
the words a letter would highlight as unsure (lowest token probability below it), how many of
them are wrong (precision), and how many of the wrong words they catch (recall).

usage: bench/unsure.py RECORDS_DIR ANSWER_DIR [RECORDS_DIR ANSWER_DIR ...]
  RECORDS_DIR: the JSON records of `dictate eval ANSWER_DIR --out RECORDS_DIR`
  ANSWER_DIR:  the recordings' <id>.expected.json answer keys (their "spoken" text)

A transcript word is right when the word-level alignment (edit distance) with the spoken text
matches it. Words with digits are left out (Whisper writes "5th" for "fifth": not an error), as
are words the letter never highlights (short words, spoken commands), as in terms::unsure_words.
"""
import json, os, re, sys

COMMANDS = {"full", "stop", "comma", "new", "paragraph", "line", "colon", "falls", "top", "kama",
            "coma", "common", "dear", "number", "date", "birth", "patient", "letter", "clinic",
            "referral", "dictating", "yours", "sincerely", "faithfully", "next"}
FUNCTION = {"the", "and", "for", "with", "that", "this", "was", "his", "her", "has", "have", "had",
            "are", "but", "not", "she", "him", "you", "our", "from", "will", "would", "which",
            "been", "were", "they", "them", "their", "there", "into", "also", "she's", "he's"}


# Written forms Whisper uses for spoken words: not errors.
SAME = {"dr": "doctor", "mr": "mister", "mrs": "missus", "ok": "okay"}


def norm(w):
    w = re.sub(r"[^a-z0-9']", "", w.lower())
    return SAME.get(w, w)


def words(record):
    out = []
    for seg in record["transcript"]["segments"]:
        for tok in seg["tokens"]:
            text = tok["text"]
            if text.startswith(" ") or not out:
                out.append([text.strip(), tok["p"]])
            else:
                out[-1][0] += text
                out[-1][1] = min(out[-1][1], tok["p"])
    # "follow-up" is two spoken words.
    return [(part, p) for w, p in out for part in w.split("-") if norm(part)]


def align(hyp, ref):
    """For each hypothesis word, whether the alignment matches it to the same reference word."""
    n, m = len(hyp), len(ref)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j - 1] + (hyp[i - 1] != ref[j - 1]), d[i - 1][j] + 1, d[i][j - 1] + 1)
    right = [False] * n
    i, j = n, m
    while i > 0 and j > 0:
        if d[i][j] == d[i - 1][j - 1] + (hyp[i - 1] != ref[j - 1]):
            right[i - 1] = hyp[i - 1] == ref[j - 1]
            i, j = i - 1, j - 1
        elif d[i][j] == d[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return right


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    items = []  # (p, right)
    letters = 0
    for rec_dir, key_dir in zip(args[::2], args[1::2]):
        for name in sorted(os.listdir(key_dir)):
            if not name.endswith(".expected.json"):
                continue
            stem = name[: -len(".expected.json")]
            rec_path = os.path.join(rec_dir, stem + ".json")
            if not os.path.exists(rec_path):
                continue
            key = json.load(open(os.path.join(key_dir, name)))
            rec = json.load(open(rec_path))
            ws = words(rec)
            spoken = key["spoken"].replace("{NHS}", "").replace("-", " ")
            ref = [norm(w) for w in spoken.split() if norm(w)]
            right = align([norm(w) for w, _ in ws], ref)
            letters += 1
            for (w, p), ok in zip(ws, right):
                core = norm(w).strip("'")
                if len(core) < 3 or not core.isalpha() or core in COMMANDS or core in FUNCTION:
                    continue
                items.append((p, ok))
    wrong = sum(1 for _, ok in items if not ok)
    print(f"{letters} letters, {len(items)} words that can be highlighted, {wrong} of them wrong")
    print(f"{'threshold':>9} {'flagged':>8} {'per letter':>10} {'precision':>9} {'recall':>7} {'F1':>5}")
    for t in [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8]:
        flagged = [ok for p, ok in items if p < t]
        hits = sum(1 for ok in flagged if not ok)
        prec = hits / len(flagged) if flagged else 0.0
        rec = hits / wrong if wrong else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"{t:>9.2f} {len(flagged):>8} {len(flagged) / letters:>10.1f} {prec:>9.0%} {rec:>7.0%} {f1:>5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
