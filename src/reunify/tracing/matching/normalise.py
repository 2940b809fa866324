"""Normalisation and transliteration-tolerant keys for names and places.

Pure functions, cached (the same names recur across thousands of records).

- :func:`normalise`: Cyrillic romanised, accents stripped (NFKD), case folded, punctuation to
  spaces, apostrophes dropped, whitespace collapsed.
- :func:`name_tokens`: the words of a normalised name without particles (al, bin, de, van ...).
- :func:`skeleton`: a phonetic skeleton (our own design, see ``docs/tracing-matching.md``):
  digraphs folded to one consonant class (kh/h, sh/ch/s/z, ph/v/f, th/t/d, q/k/c, dj/zh/j),
  an initial j or y as ``Y``,
  the first vowel kept as ``A``, later vowels and glides dropped, doubled letters collapsed.
- :func:`name_key`: the variant-group canonical of a word if the explicit table knows it
  (or knows an unambiguous skeleton), else its skeleton.
- :func:`nickname_keys`: the keys of the formal names a nickname stands for.
- :func:`place_key`: the skeleton of a place name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reunify.tracing.matching.names_data import (
    CYRILLIC,
    NAME_PARTICLES,
    NICKNAMES,
    VARIANT_GROUPS,
)

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u02bc\u02bf\u02be]")
_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "\u0131": "i", "œ": "oe", "þ": "th"}
)
_DIGRAPHS = (
    ("shch", "s"),
    ("sch", "s"),
    ("dzh", "j"),
    ("tch", "s"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("sh", "s"),
    ("ch", "s"),
    ("ck", "k"),
    ("ts", "s"),
    ("x", "ks"),
    ("q", "k"),
)
_CONSONANT_CLASS = str.maketrans({"c": "k", "z": "s", "v": "f", "d": "t"})
_VOWELS = frozenset("aeiouyw")
_ABD_PREFIX = re.compile(r"^abd(?:[aeiou]l|[aeiou])?(?=[a-z]{3})")


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("" for nothing usable)."""
    if not text:
        return ""
    lowered = text.casefold()
    if any("\u0400" <= ch <= "\u04ff" for ch in lowered):
        lowered = "".join(CYRILLIC.get(ch, ch) for ch in lowered)
    lowered = lowered.translate(_SPECIAL)
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch)
    )
    stripped = _APOSTROPHES.sub("", stripped)
    return _NON_ALNUM.sub(" ", stripped).strip()


@lru_cache(maxsize=200_000)
def name_tokens(text: str) -> tuple[str, ...]:
    """The words of a name, normalised, without particles (unless nothing else is left)."""
    words = normalise(text).split()
    kept = tuple(word for word in words if word not in NAME_PARTICLES)
    return kept or tuple(words)


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """Phonetic skeleton of one normalised word, e.g. mohammed, muhamad -> ``MHMT``."""
    if not word:
        return ""
    text = _ABD_PREFIX.sub("abd", word)
    for digraph, replacement in _DIGRAPHS:
        text = text.replace(digraph, replacement)
    # c before e/i/y is soft
    text = re.sub(r"c(?=[eiy])", "s", text)
    text = text.translate(_CONSONANT_CLASS)
    first = text[0]
    if first in "aeiou":
        head = "A"
    elif first in "jy":
        head = "Y"
    elif first == "w":
        head = "F"
    else:
        head = first.upper()
    body = [ch.upper() for ch in text[1:] if ch not in _VOWELS]
    out = [head]
    for ch in body:
        if ch != out[-1]:
            out.append(ch)
    if len(out) > 1 and out[-1] == "H":
        out.pop()
    return "".join(out)


_MIN_SKELETON = 3  # shorter skeletons (Ali, Isa, Sasha) collide too easily to stand for a name


def _build_variant_tables() -> tuple[dict[str, str], dict[str, str]]:
    by_spelling: dict[str, str] = {}
    by_skeleton: dict[str, set[str]] = {}
    for group in VARIANT_GROUPS:
        canonical = group[0]
        for spelling in group:
            by_spelling.setdefault(spelling, canonical)
            skel = skeleton(spelling)
            if len(skel) >= _MIN_SKELETON:
                by_skeleton.setdefault(skel, set()).add(canonical)
    unambiguous = {skel: next(iter(c)) for skel, c in by_skeleton.items() if len(c) == 1}
    return by_spelling, unambiguous


_BY_SPELLING, _BY_SKELETON = _build_variant_tables()


def _collapsed(word: str) -> str:
    out: list[str] = []
    for ch in word:
        if not out or ch != out[-1]:
            out.append(ch)
    if len(out) > 2 and out[-1] == "h":
        out.pop()
    return "".join(out)


@lru_cache(maxsize=200_000)
def name_key(word: str) -> str:
    """Transliteration-tolerant key of one normalised word.

    The variant group's canonical when the table knows the spelling (or, for words that are
    not nicknames, an unambiguous skeleton of a known spelling); else the skeleton; for very
    short skeletons the spelling itself with doubled letters collapsed ("~isa").
    """
    if not word:
        return ""
    known = _BY_SPELLING.get(word)
    if known is not None:
        return known
    skel = skeleton(word)
    if len(skel) < _MIN_SKELETON:
        return "~" + _collapsed(word)
    if word in NICKNAMES:
        return skel
    return _BY_SKELETON.get(skel, skel)


def _build_nickname_tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    by_word: dict[str, set[str]] = {}
    by_skeleton: dict[str, set[str]] = {}
    for nickname, formals in NICKNAMES.items():
        keys = {name_key(formal) for formal in formals}
        by_word.setdefault(nickname, set()).update(keys)
        skel = skeleton(nickname)
        if len(skel) >= _MIN_SKELETON:
            by_skeleton.setdefault(skel, set()).update(keys)
    return (
        {word: frozenset(keys) for word, keys in by_word.items()},
        {skel: frozenset(keys) for skel, keys in by_skeleton.items()},
    )


_NICKNAMES_BY_WORD, _NICKNAMES_BY_SKELETON = _build_nickname_tables()


@lru_cache(maxsize=200_000)
def nickname_keys(word: str) -> frozenset[str]:
    """Keys of the formal names a normalised word is a nickname of (empty if none)."""
    found = _NICKNAMES_BY_WORD.get(word)
    if found is not None:
        return found
    skel = skeleton(word)
    if word in _BY_SPELLING or len(skel) < _MIN_SKELETON:
        return frozenset()
    return _NICKNAMES_BY_SKELETON.get(skel, frozenset())


@lru_cache(maxsize=200_000)
def place_key(text: str) -> str:
    """Spelling-tolerant key of a place name: the skeleton of its words run together (so
    "Mazar-i-Sharif" and "Mazari Sharif" agree)."""
    return skeleton(normalise(text).replace(" ", ""))
