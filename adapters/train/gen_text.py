#!/usr/bin/env python3
"""Dictation snippets for adapting tiny.en to clinical dictation.

usage: gen_text.py TERMS.tsv N SEED [ID_PREFIX] [--terms-only] [--common FILE] > snippets.jsonl
       (TERMS.tsv: lexicon/terms.tsv; --terms-only: no plain letter sentences, as set a of the
       shipped adapter's recipe; --common: half the drugs drawn from FILE, one medicine per line
       (common_uk_medicines.txt), the rest from the lexicon as before: drawn from 21,000 terms
       at random, a term comes up about once in 3,000 snippets, an everyday medicine no more
       often than the rarest)

Each line: {"id", "spoken" (what the voice says), "target" (what the transcript should read, in
Whisper's own style: digits, "Dr.", the spoken commands as words), "terms" (the lexicon terms in it)}.
Terms are drawn from the product's lexicon (lexicon/terms.tsv); no evaluation text is read.
"""
import json, random, re, sys

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def say_int(n):
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + say_int(rest))
    if n < 10000:
        rest = n % 1000
        return say_int(n // 1000) + " thousand" + ("" if rest == 0 else (" and " if rest < 100 else " ") + say_int(rest))
    return str(n)


def say_num(x):
    if isinstance(x, float) and not x.is_integer():
        whole, frac = str(x).split(".")
        return say_int(int(whole)) + " point " + " ".join(ONES[int(c)] for c in frac)
    return say_int(int(x))


def show_num(x):
    return str(x) if not (isinstance(x, float) and x.is_integer()) else str(int(x))


FIRST = "James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Mark Helen Paul Sandra Steven Ruth Andrew Emily Peter Hannah Simon Rachel Gareth Siobhan Rhys Fiona Graham Amir Priya Chloe Owen Bethan Callum Aisha Imran Grace Harriet".split()
LAST = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis Harrison Morgan Hughes Edwards Turner Parker Collins Bennett Cooper Ward Morris Price Bell Murphy Kelly Reid Fraser Hussain Shah Begum Ahmed Gallagher Doyle Lloyd Rees Owen Pritchard".split()
FREQ = ["once daily", "twice daily", "three times a day", "at night", "in the morning", "as required", "once weekly", "four times a day"]
UNIT = [("milligrams", "milligrams"), ("micrograms", "micrograms"), ("units", "units"), ("grams", "grams")]
DOSES = [2, 2.5, 5, 10, 12.5, 20, 25, 40, 50, 75, 80, 100, 125, 150, 200, 250, 300, 400, 500, 600, 750, 1000]

DRUG_END = re.compile(r"(ol|il|ine|ide|mab|nib|pril|sartan|statin|azole|cillin|mycin|pam|lam|one|ate|ane|xacin|parin|gliptin|flozin|tide|vir|zumab|ximab|lukast|afil|tropium|terol|sone|olone|dipine|triptan|oxetine|pine|done|fen|profen|cycline|dronate|gabalin|pentin|azepam|idine|amide|mide|isone|asone)$")


def load_terms(path):
    drugs, conditions = [], []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        term, _, source = line.rstrip("\n").partition("\t")
        if source == "abbr" or re.search(r"[0-9()/,&]", term):
            continue
        words = term.split()
        if len(words) > 4 or len(term) < 4:
            continue
        if len(words) == 1 and (DRUG_END.search(term) or source == "uk"):
            drugs.append(term)
        elif len(words) <= 2 and DRUG_END.search(words[-1]) and source == "uk":
            drugs.append(term)
        else:
            conditions.append(term)
    return drugs, conditions


def distinct(rng, terms, k):
    """k different terms (with --common a medicine stands in the list many times)."""
    if not COMMON:
        return rng.sample(terms, k)
    out = []
    while len(out) < k:
        t = rng.choice(terms)
        if t not in out:
            out.append(t)
    return out


def with_common(drugs, path):
    """The drug list with each of `path`'s medicines repeated so that they are half of it."""
    common = [l.strip() for l in open(path, encoding="utf-8") if l.strip() and not l.startswith("#")]
    times = max(1, round(len(drugs) / len(common)))
    return drugs + common * times


def person(rng):
    return rng.choice(FIRST), rng.choice(LAST)


def dose(rng):
    d = rng.choice(DOSES)
    u = rng.choice(UNIT) if d < 1000 else UNIT[0]
    return d, u


class Snippet:
    def __init__(self):
        self.spoken, self.target, self.terms = [], [], []

    def add(self, spoken, target=None):
        self.spoken.append(spoken)
        self.target.append(spoken if target is None else target)

    def term(self, t):
        self.terms.append(t)
        self.add(t)


def s_started(rng, s, drugs, conds):
    d = rng.choice(drugs)
    n, (u, _) = dose(rng)
    s.add(rng.choice(["I have started", "We started", "Please start", "I have increased her", "I have reduced his", "Please continue"]))
    s.term(d)
    s.add(say_num(n) + " " + u, show_num(n) + " " + u)
    s.add(rng.choice(FREQ))
    s.add("full stop")


def s_history(rng, s, drugs, conds):
    s.add(rng.choice(["He has a history of", "She has a background of", "Past medical history includes", "Her other problems are", "He is known to have"]))
    items = distinct(rng, conds, rng.randint(1, 3))
    for i, c in enumerate(items):
        if i:
            s.add("comma" if i < len(items) - 1 else "and")
        s.term(c)
    s.add("full stop")


def s_diagnosis(rng, s, drugs, conds):
    s.add("Diagnosis colon")
    s.term(rng.choice(conds))
    for _ in range(rng.randint(0, 2)):
        s.add("new line")
        s.term(rng.choice(conds))
    s.add("new paragraph")


def s_meds(rng, s, drugs, conds):
    s.add(rng.choice(["Her medication includes", "His current medications are", "She takes", "Medication colon"]))
    items = distinct(rng, drugs, rng.randint(2, 4))
    for i, d in enumerate(items):
        if i:
            s.add("comma" if i < len(items) - 1 else "and")
        s.term(d)
        if rng.random() < 0.5:
            n, (u, _) = dose(rng)
            s.add(say_num(n) + " " + u, show_num(n) + " " + u)
    s.add("full stop")


def s_plan(rng, s, drugs, conds):
    d = rng.choice(drugs)
    c = rng.choice(conds)
    pat = rng.choice([
        ("I would be grateful if you could stop her", "as it may be contributing to her", None),
        ("We will consider", "if his", "does not settle"),
        ("I have switched him from", "to", None),
        ("She did not tolerate", "because of", None),
        ("I wonder whether this is", None, None),
    ])
    s.add(pat[0])
    if pat[0].startswith("I wonder"):
        s.term(c)
        s.add("full stop")
        return
    s.term(d)
    if pat[1] == "to":
        s.add("to")
        s.term(rng.choice(drugs))
    elif pat[1]:
        s.add(pat[1])
        s.term(c)
        if pat[2]:
            s.add(pat[2])
    s.add("full stop")


def s_exam(rng, s, drugs, conds):
    s.add(rng.choice(["On examination", "Today", "When I saw him"]))
    s.add(rng.choice(["there was evidence of", "she had", "he described", "I found"]))
    s.term(rng.choice(conds))
    s.add("full stop")


def s_header(rng, s, drugs, conds):
    f, l = person(rng)
    g, m = person(rng)
    openers = ["Clinic letter to", "Dictating a letter to", "Letter to"]
    opener = rng.choice(openers)
    rng.choice(openers)  # a draw the first version made and discarded: kept so the recipe's snippets stay the same
    s.add(f"{opener} Doctor {g} {m}", f"{opener} Dr. {g} {m}")
    s.add("full stop Re " + f + " " + l + " full stop")


PLAIN = [
    "Thank you for referring this pleasant {age} year old {who} full stop",
    "{She} is otherwise well in {herself} full stop",
    "I will see {him} again in {n} months full stop",
    "{She} lives with {her} {partner} and is independent with {her} daily activities full stop",
    "{Her} blood pressure today was {bp1} over {bp2} full stop",
    "{Her} weight is {kg} kilograms comma which is stable full stop",
    "Dear Doctor {last} comma new paragraph",
    "Yours sincerely full stop",
    "Kind regards full stop",
    "{She} has no chest pain or shortness of breath full stop",
    "We discussed the risks and benefits of treatment and {she} was happy to go ahead full stop",
    "{He} does not smoke and drinks about {n} units of alcohol a week full stop",
    "I have explained the results to {him} and answered {her} questions full stop",
    "Please do not hesitate to contact me if you have any concerns full stop",
    "{She} walks about {n} miles a day with the dog full stop",
    "The pain is worse at night and better with rest full stop",
    "{He} has been sleeping badly since {her} {relative} died in {month} full stop",
    "We will arrange a follow up appointment in the clinic full stop",
    "{Her} symptoms started about {n} weeks ago after a viral illness full stop",
    "{She} works as a {job} and has had to take time off full stop",
    "I would be grateful if you could check {her} kidney function in {n} weeks full stop",
    "On examination {she} looked well full stop",
    "The plan is to repeat the scan in {n} months full stop",
    "new paragraph",
]
JOBS = "teacher nurse builder driver cleaner accountant farmer carpenter shop assistant".split()
MONTHS = "January February March April May June July August September October November December".split()


def s_plain(rng, s, drugs, conds):
    female = rng.random() < 0.5
    fill = {"age": rng.randint(19, 92), "who": "lady" if female else "gentleman", "n": rng.randint(2, 9),
            "partner": "husband" if female else "wife", "bp1": rng.randint(105, 175), "bp2": rng.randint(60, 99),
            "kg": rng.randint(48, 120), "last": rng.choice(LAST), "relative": rng.choice(["mother", "father", "sister", "brother"]),
            "month": rng.choice(MONTHS), "job": rng.choice(JOBS), "herself": "herself" if female else "himself"}
    for k, f, m in (("she", "she", "he"), ("her", "her", "his"), ("him", "her", "him"), ("he", "she", "he")):
        fill[k] = f if female else m
        fill[k.capitalize()] = fill[k].capitalize()
    line = rng.choice(PLAIN).format(**fill)
    spoken = re.sub(r"\b\d+\b", lambda m: say_int(int(m.group())), line)
    s.add(spoken, line.replace("Doctor ", "Dr. "))


SENTENCES = [s_started, s_history, s_diagnosis, s_meds, s_plan, s_exam, s_header, s_plain]
WEIGHTS = [3, 2, 2, 3, 3, 2, 1, 6]


def snippet(rng, drugs, conds, i):
    s = Snippet()
    if TERMS_ONLY:  # the first recipe (the shipped adapter): no plain sentences, two or three
        kinds, weights, k = SENTENCES[:-1], WEIGHTS[:-1], rng.randint(2, 3)
    else:
        kinds, weights, k = SENTENCES, WEIGHTS, rng.randint(2, 4)
    for fn in rng.choices(kinds, weights, k=k):
        fn(rng, s, drugs, conds)
    spoken = " ".join(s.spoken)
    target = " ".join(s.target)
    target = target[0].upper() + target[1:]
    return {"id": f"{PREFIX}{i:05d}", "spoken": spoken, "target": target, "terms": s.terms}


PREFIX = "a"
TERMS_ONLY = False
COMMON = None


def main():
    global PREFIX, TERMS_ONLY, COMMON
    argv = sys.argv[1:]
    if "--common" in argv:
        i = argv.index("--common")
        COMMON = argv[i + 1]
        del argv[i:i + 2]
    args = [a for a in argv if a != "--terms-only"]
    TERMS_ONLY = "--terms-only" in argv
    path, n, seed = args[0], int(args[1]), int(args[2])
    if len(args) > 3:
        PREFIX = args[3]
    rng = random.Random(seed)
    drugs, conds = load_terms(path)
    if COMMON:
        drugs = with_common(drugs, COMMON)
    print(f"{len(drugs)} drug-like terms, {len(conds)} others", file=sys.stderr)
    for i in range(n):
        print(json.dumps(snippet(rng, drugs, conds, i)))


if __name__ == "__main__":
    main()
