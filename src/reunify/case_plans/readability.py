"""How hard a text is to read: the Flesch-Kincaid grade level, for keeping the printed case plan
at an 8th-grade level or below. Pure: no Django.

grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59. Syllables are counted
by vowel groups (a silent final "e" not counted, at least one a word), which is how most
readability tools approximate them; numbers and dates count as one-syllable words."""

from __future__ import annotations

import re

TARGET_GRADE = 8.0

APOSTROPHES = "'\u2019"
_WORD = re.compile(rf"[A-Za-zÀ-ÿ]+(?:[{APOSTROPHES}][A-Za-z]+)?|\d+(?:[.,:/-]\d+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?:\s|$)|\n\s*\n|\n\s*[-•*]\s")
_VOWEL_GROUPS = re.compile(r"[aeiouyáéíóúü]+")


def syllables(word: str) -> int:
    word = word.lower()
    if word[0].isdigit():
        return 1
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of `text` (0.0 for a text without words). Lines of a list or
    table count as sentences: each is read as a unit."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    lines = [line for line in text.splitlines() if _WORD.search(line)]
    sentences = max(len(_SENTENCE_END.findall(text)), len(lines), 1)
    total = sum(syllables(w) for w in words)
    return round(0.39 * len(words) / sentences + 11.8 * total / len(words) - 15.59, 1)
