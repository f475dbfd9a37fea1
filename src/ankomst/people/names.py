"""Name folding and matching keys for search.

Names of residents are written in many scripts and transliterated in many ways
("Muhammad", "Mohammed", "MOHAMMAD", "محمد"). Search therefore compares two
things per word: the folded spelling (any script to Latin via Unidecode, lower
case, no accents), which supports prefix search, and a matching key.

The key keeps the consonants, with the letter pairs transliterations disagree on
merged (kh/ch, w/v, j/y, q/k, d/t ...), and one letter per run of vowels that
says which kind of vowel it is: ``a``, ``i`` (i, ee, ai, ei, ay ...), ``u``
(o, u, ou, oo ...) or ``e``. An ``e`` stands for whatever vowel the other spelling
has, because transliterations write ``e`` for all three Arabic short vowels
(Mohammed, Khaled, Yousef) and for the diphthong of Hussein. So Mohammed and
Muhammad match (``muhamet`` ~ ``muhamat``), while Hassan (``hasan``) and
Hussein (``husin``) do not.

The PostgreSQL index holds the coarse form of the key (every vowel letter
``a``, see :func:`coarse_key`), which finds the candidates; the exact rule
(:func:`key_pattern`) is checked on those.

Articles and name prefixes written apart or together (Al-Khatib, Alkhatib;
Abd al-Rahman, Abdulrahman; Gebre Medhin, Gebremedhin) match both ways: stored
names also hold the joined form, and a query tries its prefix words apart and
joined.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_APOSTROPHES = re.compile(r"['`]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_VOWELS = frozenset("aeiou")

# Words that are written apart or joined to the next word: articles and the first
# part of compound names (Al-Ali, Abu Bakr, Ali Reza, Gholam Hossein, Gebre Medhin).
PREFIX_WORDS = frozenset(
    "al el ul abd abdel abdul abdal abdi abu abou bin ben ibn bint ali gholam ghulam golam"
    " gebre ghebre gebra wolde welde habte".split()
)

# "Abd" + connecting vowel (+ the article's l): Abdul-, Abdel-, Abdi-, Abdur-, Abd al-
# all become "abdu"; the l of Allah (Abdullah, Abdallah, Abdulahi) stays.
_ABD = re.compile(r"^abd(?:ou|[aeiou])(l?)(.+)$")

# Beginnings and ends of words that transliterations add or leave out, in this order.
_WORD_ENDS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"(?<=[iy]n)e$", ""),  # Yasmine = Yasmin, Amine = Amin
        (r"^ou(?=[aei])", "w"),  # French ou for w: Oualid = Walid
        (r"(?<=.[aeiou])h$", ""),  # Fatimah = Fatima, Fatemeh = Fateme
        (r"ow$", "o"),  # Khosrow = Khosro
        (r"(?<=[aeo][iy])e$", ""),  # Tesfaye = Tesfay, Tsegaye = Tsegay
    )
)
_RUNS = re.compile(r"[aeiou]+|[^aeiou]")

# Spelling variants of the same sound, applied in this order.
_SPELLINGS = (
    ("dsch", "j"),  # German for English j (Dschamal, Chadidscha)
    ("tsch", "ch"),  # German for English ch (Schewtschenko)
    ("sch", "sh"),  # German for English sh (Schirin)
    ("tch", "ch"),
)
# German ch after a vowel and before a consonant is the h of Ahmed (Achmed); kh there
# stays a k (Mukhtar = Muktar).
_CH_BEFORE_CONSONANT = re.compile(r"(?<=[aeiouy])ch(?![aeiouy])")
_CONSONANT_SPELLINGS = (
    ("kh", "k"),
    ("ch", "k"),
    ("ph", "f"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("zh", "z"),
    ("ck", "k"),
    ("tz", "ts"),
    ("dj", "j"),
    ("x", "ks"),
    ("q", "k"),
    ("c", "k"),
    ("w", "v"),
    ("j", "y"),
    ("d", "t"),
)
# i (or iy) before a vowel is the consonant y: Maria = Marya, Ziyad = Ziad, Iurii = Yurii;
# not before a final e (Medhanie = Medhani).
_I_BEFORE_VOWEL = re.compile(r"(?<![aeiou])iy?(?=[aiou]|e.)")
# y before a vowel is a consonant; elsewhere (Dmytro, Layla, Serhiy) a vowel.
_VOCALIC_Y = re.compile(r"y(?![aeiou])")


# Letters with a haček are the digraphs of English spelling (Ševčenko = Shevchenko),
# not the bare letters Unidecode would make of them.
_HACEKS = str.maketrans({"š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh"})


def fold(text: str) -> str:
    """Any script to lower-case ASCII words separated by single spaces."""
    latin = _APOSTROPHES.sub("", unidecode((text or "").translate(_HACEKS))).lower()
    return " ".join(_NON_ALNUM.sub(" ", latin).split())


def _vowel_class(run: str) -> str:
    if set(run) <= {"a"}:
        return "a"
    if set(run) <= {"o", "u"}:
        return "u"
    if set(run) <= {"i", "y"} or run.endswith(("i", "y", "ee", "ie")):
        return "i"  # i, ee, ai, ei, ay, ey, aee (Saeed), ie (Mussie)
    return "e"  # e, and mixtures such as ae (Ismael), ea, ua: any vowel


def name_key(word: str) -> str:
    """The matching key of one word: Mohammed -> muhamet, Muhammad -> muhamat."""
    word = fold(word).replace(" ", "")
    if not word or word.isdigit():
        return word
    abd = _ABD.match(word)
    if abd:
        article, rest = abd.groups()
        if article and rest.startswith("ah"):
            rest = "l" + rest  # Abdulahi: that l is the one of Allah (Abdullahi)
        word = "abdu" + rest
    for pattern, replacement in _WORD_ENDS:
        word = pattern.sub(replacement, word)
    for spelling, sound in _SPELLINGS:
        word = word.replace(spelling, sound)
    word = _CH_BEFORE_CONSONANT.sub("h", word)
    for spelling, sound in _CONSONANT_SPELLINGS:
        word = word.replace(spelling, sound)
    word = word.replace("ii", "i")
    word = _I_BEFORE_VOWEL.sub("y", word)
    word = _VOCALIC_Y.sub("i", word)
    key = ""
    for run in _RUNS.findall(word):
        sound = _vowel_class(run) if run[0] in _VOWELS else run
        if not key or sound != key[-1]:  # doubled consonants count once
            key += sound
    return key


_KEY_VOWELS = "aiue"


def coarse_key(key: str) -> str:
    """The key with every vowel letter ``a``: what the PostgreSQL index holds."""
    return key.translate(str.maketrans("iue", "aaa"))


def key_pattern(key: str) -> str:
    """A regular expression for the stored keys that match ``key``.

    A vowel matches the same vowel or ``e``; an ``e`` matches any vowel.
    Keys hold only [a-z0-9], so the pattern needs no escaping.
    """
    return "".join("[aiue]" if ch == "e" else f"[{ch}e]" if ch in _KEY_VOWELS else ch for ch in key)


def keys_match(a: str, b: str) -> bool:
    """Whether two keys are spellings of one name (the rule :func:`key_pattern` encodes)."""
    return bool(a) and re.fullmatch(key_pattern(a), b) is not None


_SOMALI_AYN = re.compile(r"c(?!h)")


def name_keys(word: str) -> list[str]:
    """The keys of one word: its key, and the key of its reading in Somali orthography.

    Somali writes x for the h of Hassan (Xasan, Maxamed) and c for the Arabic ayn
    (Cali, Cabdiraxmaan); a word with an x or a c is also read that way.
    """
    key = name_key(word)
    folded = fold(word).replace(" ", "")
    keys = [key] if key else []
    if not folded.isdigit() and ("x" in folded or "c" in folded):
        somali = name_key(_SOMALI_AYN.sub("", folded.replace("x", "h")))
        if somali and somali not in keys:
            keys.append(somali)
    return keys


def same_name(a: str, b: str) -> bool:
    """Whether two single words match by key: same_name("Achmed", "Ahmad") is True."""
    return any(keys_match(ka, kb) for ka in name_keys(a) for kb in name_keys(b))


def _with_joined_prefixes(words: list[str]) -> list[str]:
    """The words and, after each prefix word, the prefix joined to what follows."""
    joined = list(words)
    for i, word in enumerate(words):
        if word not in PREFIX_WORDS:
            continue
        compound, j = word, i
        while j + 1 < len(words):
            j += 1
            compound += words[j]
            if words[j] not in PREFIX_WORDS:
                break
        if j > i and compound not in joined:
            joined.append(compound)
    return joined


def query_units(words: list[str]) -> list[tuple[str, ...]]:
    """Groups of query words that must match together: a prefix word and the word after it.

    A unit of several words matches either word by word or as the joined word.
    """
    units: list[tuple[str, ...]] = []
    i = 0
    while i < len(words):
        j = i
        while words[j] in PREFIX_WORDS and j + 1 < len(words):
            j += 1
        units.append(tuple(words[i : j + 1]))
        i = j + 1
    return units


def search_text(*names: str) -> tuple[str, str]:
    """The stored search columns for a person: folded words and their keys.

    Both are wrapped in spaces so that a query can match whole words
    (`` muhamat ``) or word prefixes (`` moh``) with a plain LIKE.
    """
    words: list[str] = []
    for name in names:
        for word in _with_joined_prefixes(fold(name).split()):
            if word not in words:
                words.append(word)
    keys: list[str] = []
    for word in words:
        for key in name_keys(word):
            if key not in keys:
                keys.append(key)
    return f" {' '.join(words)} ", f" {' '.join(keys)} "


def clean_query(text: str) -> str:
    """Search text without control, format or unassigned characters, in one normal form.

    NUL bytes, lone surrogates, bidirectional marks and zero-width characters are
    dropped; white space of any kind becomes one space.
    """
    text = unicodedata.normalize("NFKC", text or "")
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch)[0] != "C":
            kept.append(ch)
    return " ".join("".join(kept).split())
