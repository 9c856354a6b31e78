#!/usr/bin/env python3
"""How far a batch of letters can be trusted (issue 14, "Nothing lost, nothing invented").

usage: bench/trust.py RECORDS_DIR KEYS_DIR [--json]
  RECORDS_DIR: the <id>.json records of `dictate eval KEYS_DIR --out RECORDS_DIR`
  KEYS_DIR:    the <id>.expected.json answer keys ("spoken", "terms")

Per letter and in total, with rates per 1,000 spoken words (spoken commands and what "scratch
that" takes back not counted):
  lost      content words Whisper heard (the filtered transcript, laid out as
            src/text/commands.rs does) that never reach final_text (its notes box left out) and
            that the record does not explain (removed text, a correction's heard side, numbers
            and units rewritten, British spelling, header keywords the template rewrites, words
            heard where the key has a spoken command, the record's `consumed` runs taken by a
            spoken command, the header's keywords or "scratch that", a recipient's, dictating
            clinician's or patient's name or a salutation as heard where a flag says another
            spelling was written). Listed as runs: the heard words the
            in-order match missed around them, with the time of the first.
  changed   corrections whose heard words were said and whose term was not
  invented  corrections whose term was never said (a changed word counts here too)
  right     corrections whose term was said (precision = right / all)
  no speech "No speech was recognised" in a letter whose transcript has more than 5 words
  recall    key terms found in final_text without its notes box, as `dictate eval` counts them

What it cannot tell apart:
  - Lost means lost from what Whisper heard, not from what was said: it cannot tell a dropped
    word from a misheard one the letter drops (nonsense that stood for a real word), and a word
    Whisper never heard is not counted. Listen at the listed times.
  - A heard word the in-order match misses but the letter holds elsewhere counts as kept, so a
    loss can hide behind a repeated word ("not", a name); numbers said in words, function words
    and header keywords are never counted ("no", "not" and "nor" are).
  - A near spelling (edit distance 2 or the same first 4 letters) counts as kept: a word replaced
    by a similar wrong one shows up only as a correction, if it was one.
  - Words heard where the key has a command or header keyword ("falls top", "mate of birth")
    are excused; a real word dropped at that very place would be too.
  - A term counts as said if its words occur anywhere in the spoken text (joined or plural too),
    not necessarily where the correction was made. "Changed" needs the whole heard phrase said:
    "please tech" -> "plastica" ate a right "please" but counts only as invented.
"""
import collections, difflib, json, os, re, sys

# --- Spoken commands, ported from src/text/commands.rs (list items left out) --------------
PHRASES = [(p.split(), c) for c, ps in [  # in the product's order: longest first per command
    (".", "full stop|full-stop|fullstop|falls top|false stop|full stops"), (",", "comma|kama"),
    (";", "semicolon|semi colon|semi-colon"), (":", "colon"), ("?", "question mark"),
    ("!", "exclamation mark|exclamation point"),
    ("np", "new paragraph|new paragraphs|next paragraph|new para"),
    ("nl", "new line|new-line|newline|next line"),
    ("", "open brackets|open bracket|open parenthesis|open paren|close brackets|close bracket|"
         "closed bracket|end bracket|close parenthesis|close paren|open quote|open quotes|"
         "close quote|close quotes|end quote|unquote|hyphen|dash|slash|forward slash|"
         "apostrophe s|capital|cap|all caps"),
    ("scratch", "scratch that|delete that")] for p in ps.split("|")]
COLON_BEFORE = set("the a his her their your sigmoid ascending descending transverse distal "
                   "proximal right left whole entire of irritable spastic normal".split())
COLON_AFTER = set("was is were cancer cancers polyp polyps and appeared looked wall mucosa".split())
COMMA_BEFORE, COMMA_AFTER = {"a", "the", "this", "that", "no", "each"}, {"separated", "delimited",
                                                                          "splice", "splices"}
TITLES = {"Dr", "Mr", "Mrs", "Ms", "Mx", "Prof", "St"}


def tokenize(text):
    """Words and marks as commands.rs splits them: [kind, text, char offset]."""
    toks, word, start = [], "", 0
    for i, c in enumerate(text):
        prev, nxt = text[i - 1] if i else "", text[i + 1] if i + 1 < len(text) else ""
        inner = prev.isalnum() and nxt.isalnum()
        digits = prev.isdigit() and nxt.isdigit()
        if c.isalnum() or c == "%" or (c in "-'\u2019/" and inner) or (c in ".," and digits):
            start = i if not word else start
            word += "'" if c == "\u2019" else c
            continue
        if word:
            toks.append(["w", word, start])
            word = ""
        if c in ".,;:?!" and not (c == "." and toks and toks[-1][0] == "w" and toks[-1][1] in TITLES):
            toks.append(["p", c, i])
    if word:
        toks.append(["w", word, start])
    return toks


def command_at(toks, i):
    """(length, command) of the spoken command starting at token i, or None."""
    low = lambda k: toks[k][1].lower() if 0 <= k < len(toks) and toks[k][0] == "w" else None
    first, prev = low(i), low(i - 1)
    if first is None:
        return None
    for phrase, cmd in PHRASES:
        if phrase[0] != first:
            continue
        k = i
        for n, w in enumerate(phrase):
            while n and k < len(toks) and toks[k][0] == "p":
                k += 1
            if low(k) != w:
                break
            k += 1
        else:
            nxt = low(k)
            real = {"colon": prev in COLON_BEFORE or nxt in COLON_AFTER,
                    "comma": prev in COMMA_BEFORE or nxt in COMMA_AFTER,
                    "capital": nxt is None or len(nxt) != 1, "cap": nxt is None or len(nxt) != 1
                    }.get(" ".join(phrase), False)
            if not real:
                return k - i, cmd
    if first in ("coma", "common"):
        after = command_at(toks, i + 1) if i + 1 < len(toks) and toks[i + 1][0] == "w" else (0, "np")
        if after and after[1] in ("nl", "np"):
            return 1, ","
    return None


def lay_out(text):
    """Tokens and, per word token, 'kept', 'cmd' or 'scratched', as the product lays text out.
    `cur` is the paragraph so far: token numbers and the marks that bound a scratch."""
    toks = tokenize(text)
    dictated = any((c := command_at(toks, i)) and c[1] in (".", ",", "np") for i in range(len(toks)))
    status, cur, i = {}, [], 0
    boundary = lambda items: next((j + 1 for j in range(len(items) - 1, -1, -1)
                                   if items[j] in tuple(".?!\n:;")), 0)
    while i < len(toks):
        n, cmd = command_at(toks, i) or (0, None)
        status.update({k: "cmd" for k in range(i, i + n) if toks[k][0] == "w"})
        if not n and toks[i][0] == "w":
            cur.append(i)
            status[i] = "kept"
        elif not n and not dictated:
            cmd = toks[i][1]   # Whisper's own punctuation counts only if none was dictated
        i += max(n, 1)
        if cmd in tuple(".,;:?!") and cur and cur[-1] != "\n":
            cur[-1:] = [cur[-1], cmd] if not isinstance(cur[-1], str) else [cmd]
        elif cmd == "nl" and cur and cur[-1] != "\n":
            cur.append("\n")
        elif cmd == "np":
            cur = []
        elif cmd == "scratch":   # take back the sentence, or the last one if none was begun
            cut = boundary(cur)
            if cut == len(cur) and cut > 0:
                cut = boundary(cur[:cut - 1])
            status.update({t: "scratched" for t in cur[cut:] if not isinstance(t, str)})
            del cur[cut:]
    return toks, status


# --- Normalisation -----------------------------------------------------------------------
UNITS = dict(milligrams="mg", milligram="mg", mgs="mg", microgram="micrograms", grams="g", gram="g",
             kilograms="kg", kilos="kg", millilitres="ml", milliliters="ml", mls="ml",
             millimoles="mmol", micromoles="micromol", mole="mol", litre="l", liter="l", litres="l", liters="l",
             minute="min", centimetres="cm", centimeters="cm", millimetres="mm",
             millimeters="mm", doctor="dr", mister="mr", missus="mrs")
US_UK_TSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lexicon", "us_uk.tsv")
US_UK = dict(l.rstrip("\n").split("\t", 1) for l in open(US_UK_TSV, encoding="utf-8")
             if "\t" in l and not l.startswith("#")) if os.path.exists(US_UK_TSV) else {}


def norm(text):
    """Lower-case words, hyphens/slashes/points as spaces, "12th" -> "12", units as the letter
    writes them, British spelling."""
    out = []
    for p in re.split(r"[^\w']+", text.lower().replace("\u2019", "'").replace("%", " percent ")):
        p = p.strip("'_")
        if p:
            p = re.sub(r"^(\d+)(st|nd|rd|th)$", r"\1", p)
            out.append(US_UK.get(UNITS.get(p, p), UNITS.get(p, p)))
    return out


NUMBERS = set("zero one two three four five six seven eight nine ten eleven twelve thirteen "
              "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty "
              "seventy eighty ninety hundred thousand million point oh half quarter first second "
              "third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
              "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
              "thirtieth ii iii iv".split())  # Roman numerals too: "type II" -> "type 2"
FUNCTION = set("a an the of and or but to in on at by for with from as into onto than then that "
               "this these those there here is are was were be been being am has have had do does "
               "did will would shall should can could may might must it its he she him her his "
               "hers they them their we us our you your i me my who whom which what when where why "
               "how if so also very just up out about over after before because while some any all "
               "both each per s mr mrs ms miss mx um uh er erm ah hmm mm".split())  # not no/not/nor
COMMAND_WORDS = set("comma coma kama colon semicolon paragraph para newline fullstop bracket "
                    "brackets parenthesis paren quote quotes unquote hyphen dash slash apostrophe "
                    "caps scratch".split())
SALUTE = set("dear yours your sincerely faithfully kind regards best wishes dr".split())
HEADER = set("patient date birth nhs number dictating letter clinic referral this is to at re "
             "regarding born summary discharge".split())
HEADINGS = {"results": "investigations", "management": "plan", "presenting": "history",
            "complaint": "history", "review": "follow", "medicines": "medications",
            "drugs": "medications", "medication": "medications", "diagnosis": "diagnoses"}


def join_digits(entries):
    """Digit groups side by side as one number, as the number stage regroups them ("999-063-2-537"
    = "999 063 2537", "3.565" = "3565"). Entries: [word, ..., the token the entry ends at]."""
    out = []
    for e in entries:
        if out and e[0].isdigit() and out[-1][0].isdigit():
            out[-1][0], out[-1][-1] = out[-1][0] + e[0], e[-1]
        else:
            out.append(list(e))
    return out


def edit(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row, prev = [i] + [0] * len(b), row
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
    return row[-1]


def near(h, w):   # a respelt word (the British-spelling pass, a changed ending)
    return len(h) >= 6 and (h[:4] == w[:4] or edit(h, w) <= 2)


def said(phrase, ref_words):
    """Is `phrase` (words) in the spoken reference: as words, joined up ("beta histine" and
    "betahistine"), or with a plural ending? ae/oe fold to e (spellings us_uk.tsv lacks)."""
    fold = lambda ws: [w.replace("ae", "e").replace("oe", "e") for w in ws]
    phrase, ref_words = fold(phrase), fold(ref_words)
    if not phrase:
        return False
    if f" {' '.join(phrase)} " in f" {' '.join(ref_words)} ":
        return True
    joined = "".join(phrase)
    for n in range(1, 5):
        for k in range(len(ref_words) - n + 1):
            cat = "".join(ref_words[k:k + n])
            if cat == joined or cat in (joined + "s", joined + "es", joined[:-1] + "ies"):
                return True
    return False


def clock(t):
    return "?" if t is None else f"{int(t // 60)}:{t % 60:04.1f}"


# --- One letter --------------------------------------------------------------------------
def heard_words(rec):
    """What Whisper heard, laid out: tokens, their status, and the kept words as entries
    [word, time, first token, in the header region (before the first new paragraph), last token].
    The record's transcript is the filtered one (src/pipeline/mod.rs): what the filter removed as
    invented ("removed" holds only counts) is never among the heard words."""
    text, times = "", []   # a time per character, from the tokens
    for seg in rec["transcript"]["segments"]:
        t, toks = seg["text"].strip(), seg.get("tokens", [])
        if not t:
            continue
        joined = "".join(tok["text"] for tok in toks)
        ct = [tok["start"] for tok in toks for _ in tok["text"]][len(joined) - len(joined.lstrip()):]
        if text:   # segments joined by a space, as Transcript::text does
            text, times = text + " ", times + [None]
        text, times = text + t, times + (ct if joined.strip() == t else [seg["start"]] * len(t))
    toks, status = lay_out(text)
    first_np = next((i for i in range(len(toks)) if (c := command_at(toks, i)) and c[1] == "np"),
                    len(toks))
    heard = [[p, times[off], i, i < first_np, i] for i, (kind, w, off) in enumerate(toks)
             if kind == "w" and status.get(i) == "kept" for p in norm(w)]
    return toks, status, join_digits(heard)


def misheard_commands(heard, key):
    """Heard words standing where the clinician said a spoken command or a header keyword
    ("falls top", "knew line", "mate of birth"), found by aligning them with the spoken text."""
    toks, status = lay_out(key.get("spoken", ""))
    np_at = next((i for i in range(len(toks)) if (c := command_at(toks, i)) and c[1] == "np"),
                 len(toks))
    sp = [(p, status.get(i) == "cmd" or (i < np_at and (p in HEADER or p in FUNCTION)))
          for i, (kind, w, _) in enumerate(toks) if kind == "w" for p in norm(w)]
    out = set()
    sm = difflib.SequenceMatcher(None, [h[0] for h in heard], [p for p, _ in sp], autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "replace" and a2 - a1 == b2 - b1:   # word for word
            out.update(a for a, b in zip(range(a1, a2), range(b1, b2)) if sp[b][1])
        elif op == "replace" and all(c for _, c in sp[b1:b2]):
            out.update(range(a1, a2))
    return out


def measure(rec, key):
    spoken_status = lay_out(key.get("spoken", ""))[1]
    ref_words = norm(key.get("spoken", ""))
    toks, status, heard = heard_words(rec)
    hw = [h[0] for h in heard]
    misheard = misheard_commands(heard, key)

    # The letter, without the notes box for the secretary; digits regrouped line by line.
    final = rec.get("final_text", "")
    body = final.split("\n\n", 1)[1] if final.startswith("Notes for the secretary") else final
    letter = [e[0] for line in body.split("\n") for e in join_digits([[p, 0] for p in norm(line)])]
    flat = f" {' '.join(letter)} "

    # In-order match, respellings within replaced spans, then the letter's leftover words.
    matched, used = set(), set()
    sm = difflib.SequenceMatcher(None, hw, letter, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        for a in range(a1, a2):
            if op == "equal":
                b = b1 + a - a1
            else:   # a respelt word within the replaced span ("anemia" -> "anaemia")
                b = next((b for b in range(b1, b2) if b not in used and near(hw[a], letter[b])), None)
            if b is not None:
                matched.add(a)
                used.add(b)
    left = collections.Counter(letter[b] for b in range(len(letter)) if b not in used)
    # A correction explains its heard words if its term reached the letter.
    explained = collections.Counter(w for c in rec.get("corrections", []) for w in norm(c["heard"])
                                    if f" {' '.join(norm(c['term']))} " in flat)
    # The record explains the words it says a spoken command, the header's keywords or "scratch
    # that" took (not those it could not find in the letter).
    explained.update(w for c in rec.get("consumed", []) for w in norm(c["text"])
                     if c["taken_by"] != "not found in the letter as heard")
    # A recipient, a dictating clinician or a patient taken from the directory, the configuration
    # or a sidecar explains the name as heard, wherever the letter would have had it (the Re:
    # block, the salutation, the signature), and the directory's address the recipient's place
    # as heard: the record's flag quotes it.
    for f in rec.get("flags", []):
        quoted = f.get("kind") in ("recipient", "recipient_place", "author", "patient_heard",
                                   "salutation")
        m = re.search(r'heard as "([^"]*)"', f.get("message", "")) if quoted else None
        if m:
            for w in norm(m.group(1)):
                explained[w] += 2
    headings = {w.lower() for w in re.findall(r"^\w+", body, re.M)}
    # A number whose digits the letter holds in two groups (an NHS number heard as "919 1/5 815"
    # whose first digits end the Re: block and whose rest opens the body, noted as moved).
    groups = {x for x in letter if x.isdigit()}
    split_numbers = {w for w in hw if w.isdigit()
                     and any(w[:k] in groups and w[k:] in groups for k in range(1, len(w)))}
    # A reading whose hundreds Whisper wrote apart ("100 and 52 over 80", "168 over 100 and 12")
    # is one number in the letter (152/80, 168/112; src/text/numbers.rs), whose two numbers the
    # letter's digits hold side by side.
    summed = set()

    def apart_at(a):   # "100 and 68" from hw[a]: 168, else None
        if a + 2 >= len(hw):
            return None
        x, y = hw[a], hw[a + 2]
        if (x.isdigit() and y.isdigit() and hw[a + 1] == "and" and int(x) % 100 == 0
                and 100 <= int(x) <= 900 and 0 < int(y) < 100):
            return str(int(x) + int(y))
        return None

    for a in range(len(hw) - 2):
        reading = apart_at(a)
        if reading is None:
            continue
        both = apart_at(a + 4) if a + 4 < len(hw) and hw[a + 3] == "over" else None
        if both is not None and reading + both in groups:   # "100 and 68 over 100 and 12"
            summed.update((a, a + 2, a + 4, a + 6))
        elif a + 4 < len(hw) and hw[a + 3] == "over" and reading + hw[a + 4] in groups:
            summed.update((a, a + 2, a + 4))
        elif a >= 2 and hw[a - 1] == "over" and hw[a - 2] + reading in groups:
            summed.update((a - 2, a, a + 2))
    lost = []
    for a, (w, _, _, in_header, _) in enumerate(heard):
        bag = next((bag for bag in (left, explained) if bag[w] > 0), None)
        if a in matched or bag is not None:
            if a not in matched:
                bag[w] -= 1
            continue
        if (w in FUNCTION or w in NUMBERS or w in COMMAND_WORDS or w in SALUTE or a in misheard
                or w in split_numbers or a in summed
                # "Yours" heard otherwise before the sign-off's word ("years sincerely"): the
                # letter's sign-off (src/letter/header.rs, SIGN_OFFS).
                or hw[a + 1:a + 2] in (["sincerely"], ["faithfully"]) and "yours" in letter
                or HEADINGS.get(w) in headings
                or in_header and (w in HEADER or "birth" in hw[a + 1:a + 3]
                                  # "Re Mr" heard as one word ("remister"): the header's Re: line
                                  or re.fullmatch(r"re-?(mister|misses|missus|miss|mrs|mr|ms)", w))):
            continue   # "birth" next: a misheard "date of birth" ("mate of birth", "dated birth")
        lost.append(a)

    runs = []   # [first, lost words, last]: the heard words out of order around lost ones
    for a in lost:
        if runs and all(b not in matched for b in range(runs[-1][2], a)):
            runs[-1][1:] = [runs[-1][1] + 1, a]
        else:
            lo = a
            while lo > 0 and lo - 1 not in matched and heard[lo - 1][3] == heard[a][3]:
                lo -= 1
            runs.append([lo, 1, a])
    for r in runs:
        while r[2] + 1 < len(heard) and r[2] + 1 not in matched:
            r[2] += 1
    runs = [{"time": heard[lo][1], "lost": n, "words": " ".join(
        toks[i][1] for i in range(heard[lo][2], heard[hi][4] + 1) if status.get(i) == "kept")}
        for lo, n, hi in runs]

    # Corrections against what was said.
    terms = {" ".join(norm(t)) for t in key.get("terms", [])}
    right, changed, invented = 0, [], []
    for c in rec.get("corrections", []):
        term = norm(c["term"])
        item = {"heard": c["heard"], "term": c["term"], "time": c.get("start"),
                "in_letter": f" {' '.join(term)} " in flat}
        if said(term, ref_words) or " ".join(term) in terms:
            right += 1
        else:
            invented.append(item)
            if said(norm(c["heard"]), ref_words):
                changed.append(item)

    # Term recall as `dictate eval` counts it: in the letter, not in its notes box (which names
    # terms the pass did not write: "perhaps nephrotic?").
    whole = f" {' '.join(norm(body))} "
    return {"spoken_words": sum(1 for s in spoken_status.values() if s == "kept"),
            "lost": len(lost), "changed": len(changed), "invented": len(invented),
            "corrections_right": right, "corrections": len(rec.get("corrections", [])),
            "no_speech": "no speech was recognised" in final.lower() and len(hw) > 5,
            "terms_found": sum(f" {' '.join(norm(t))} " in whole for t in key.get("terms", [])),
            "terms_total": len(key.get("terms", [])),
            "lost_runs": runs, "changed_list": changed, "invented_list": invented}


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    if len(args) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    load = lambda path: json.load(open(path, encoding="utf-8"))
    rows, missing = {}, []
    for f in sorted(os.listdir(args[1])):
        lid, path = f[:-len(".expected.json")], os.path.join(args[0], f[:-len(".expected.json")] + ".json")
        if f.endswith(".expected.json") and os.path.exists(path):
            rows[lid] = measure(load(path), load(os.path.join(args[1], f)))
        elif f.endswith(".expected.json"):
            missing.append(lid)
    t = {k: sum(int(r[k]) for r in rows.values()) for k in ("spoken_words", "lost", "changed",
         "invented", "corrections_right", "corrections", "no_speech", "terms_found", "terms_total")}
    t.update({f"{k}_per_1000": round(1000 * t[k] / max(t["spoken_words"], 1), 1)
              for k in ("lost", "changed", "invented")})
    t["precision"] = round(t["corrections_right"] / max(t["corrections"], 1), 3)
    t["term_recall"] = round(t["terms_found"] / max(t["terms_total"], 1), 3)
    if "--json" in sys.argv:
        print(json.dumps({"records": args[0], "keys": args[1], "letters": rows, "total": t,
                          "missing_records": missing}, indent=1))
        return
    line = lambda name, r, nosp: (
        f"{name[:34]:34} {r['spoken_words']:6} {r['lost']:5} {r['changed']:5} {r['invented']:5} "
        f"{str(r['corrections_right']) + '/' + str(r['corrections']):>9} {nosp:>4} "
        f"{r['terms_found']:3}/{r['terms_total']:<3}")
    print(f"{'id':34} {'spoken':>6} {'lost':>5} {'chgd':>5} {'invt':>5} {'right/all':>9} "
          f"{'nosp':>4} {'recall':>7}")
    for lid, r in rows.items():
        print(line(lid, r, "YES" if r["no_speech"] else ""))
    print(line(f"TOTAL ({len(rows)} letters)", t, t["no_speech"]))
    print(f"per 1,000 spoken words: lost {t['lost_per_1000']}, right words changed "
          f"{t['changed_per_1000']}, terms invented {t['invented_per_1000']}; correction precision "
          f"{t['precision']}; term recall {t['term_recall']}; no-speech letters {t['no_speech']}")
    if missing:
        print("no record for: " + ", ".join(missing))
    print("\nLost (heard, not in the letter, not explained):")
    for lid, r in rows.items():
        for run in r["lost_runs"]:
            print(f"  {lid}  {clock(run['time']):>6}  {run['words']}")
    print("\nInvented terms (* = a right word changed; [not in letter] = scratched or dropped):")
    for lid, r in rows.items():
        for c in r["invented_list"]:
            print(f" {'*' if c in r['changed_list'] else ' '}{lid}  {clock(c['time']):>6}  "
                  f"{c['heard']} -> {c['term']}{'' if c['in_letter'] else '  [not in letter]'}")


if __name__ == "__main__":
    main()
