#!/usr/bin/env python3
"""Rebuilds the derived lexicon files in lexicon/ from open sources.

usage: build-lexicon.py VOCAB_DIR [BRITISH_WORDLIST]
  VOCAB_DIR         ../shared/vocab (us_uk_spelling/*.tsv)
  BRITISH_WORDLIST  default /usr/share/dict/british-english-large (Debian package wbritish-large)

Writes lexicon/us_uk.tsv: US -> UK spellings that are safe to apply to every word of a letter.
A pair is dropped when its US form is itself a British word (check/cheque, practice/practise,
meter/metre, draft/draught, program/programme, tire/tyre): those depend on meaning, and a letter
must not have "Park Lane Practise" or "a peak flow metre". Sulf- stays sulf- (UK drug names
follow the rINN: ferrous sulfate). Needs only the standard library.
"""
import csv, os, sys

vocab = sys.argv[1]
wordlist = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/dict/british-english-large"
british = {w.strip().lower() for w in open(wordlist, encoding="utf-8", errors="replace")}
pairs = {}
for name in ("us_to_uk_all.tsv", "us_to_uk_medical.tsv"):
    with open(os.path.join(vocab, "us_uk_spelling", name), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            us, uk = row["us"].strip().lower(), row["uk"].strip().lower()
            if not us or not uk or us == uk or " " in us:
                continue
            if us in british:
                continue
            # UK prescribing adopted the rINN spellings: ferrous sulfate, sulfasalazine.
            if us.startswith("sulf"):
                continue
            pairs[us] = uk
out = os.path.join(os.path.dirname(__file__), "..", "lexicon", "us_uk.tsv")
with open(out, "w", encoding="utf-8") as f:
    f.write("# US -> UK spelling, derived by scripts/build-lexicon.py from SCOWL and whisper-normalizer\n")
    f.write("# (see lexicon/LICENSES.md); pairs whose US form is also a British word are left out.\n")
    for us in sorted(pairs):
        f.write(f"{us}\t{pairs[us]}\n")
print(f"{out}: {len(pairs)} pairs")
