"""Name folding and matching keys for search.

Names of residents are written in many scripts and transliterated in many ways
("Muhammad", "Mohammed", "MOHAMMAD", "محمد"). Search therefore compares two
things per word: the folded spelling (any script to Latin via Unidecode, lower
case, no accents), which supports prefix search, and a consonant skeleton that
keeps where vowels are but not which, and merges the letter pairs
transliterations disagree on.
"""

import re

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_VOWELS = set("aeiouy")

# Spelling variants of the same sound in common transliterations, applied in order.
_EQUIVALENT_SPELLINGS = (
    ("sch", "s"),
    ("tch", "c"),
    ("kh", "k"),
    ("ch", "k"),
    ("ph", "f"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("sh", "s"),
    ("zh", "z"),
    ("ck", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("c", "k"),
    ("w", "v"),
    ("j", "y"),
    ("d", "t"),
)


def fold(text: str) -> str:
    """Any script to lower-case ASCII words separated by single spaces."""
    return " ".join(_NON_ALNUM.sub(" ", unidecode(text or "").lower()).split())


def name_key(word: str) -> str:
    """The matching key of one word: Mohammed, Muhammad, MOHAMMAD -> mahamat."""
    word = fold(word).replace(" ", "")
    if not word:
        return ""
    if word.isdigit():
        return word
    if len(word) > 2 and word.endswith("h") and word[-2] in _VOWELS:
        word = word[:-1]  # Fatimah = Fatima
    for spelling, sound in _EQUIVALENT_SPELLINGS:
        word = word.replace(spelling, sound)
    # Every run of vowels becomes one "a" and doubled consonants count once, so
    # Mohammed and Muhammad agree while Mahmoud (no vowel between h and m) does not.
    key = ""
    for ch in word:
        sound = "a" if ch in _VOWELS else ch
        if not key or sound != key[-1]:
            key += sound
    return key


def search_text(*names: str) -> tuple[str, str]:
    """The stored search columns for a person: folded words and their keys.

    Both are wrapped in spaces so that a query can match whole words
    (`` mahamat ``) or word prefixes (`` moh``) with a plain LIKE, which a trigram
    index serves on PostgreSQL.
    """
    words: list[str] = []
    for name in names:
        for word in fold(name).split():
            if word not in words:
                words.append(word)
    keys: list[str] = []
    for word in words:
        key = name_key(word)
        if key and key not in keys:
            keys.append(key)
    return f" {' '.join(words)} ", f" {' '.join(keys)} "
