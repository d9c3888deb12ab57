"""Names across scripts: does 'Ulaanbaatar' sound like 'ウランバートル', 'Tokyo' like '東京'?

Names are romanized (pykakasi: Hepburn, kanji by their usual reading) and compared by consonant
skeleton, so vowel length, l/r and v/b do not matter but another name does. Used to check a name the
model or a translation wrote in English against the Japanese original, never to invent one.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

_lock = threading.Lock()
_kakasi = None
_KANA_RUN = re.compile(r"[\u30a0-\u30ff]{2,}")
_JA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _converter():
    global _kakasi
    with _lock:
        if _kakasi is None:
            import pykakasi

            _kakasi = pykakasi.kakasi()
        return _kakasi


@lru_cache(maxsize=4096)
def romanize(text: str) -> str:
    """Hepburn romaji of Japanese text (Latin text passes through), lower-case."""
    text = unicodedata.normalize("NFKC", text)
    if not _JA.search(text):
        return text.lower()
    parts = _converter().convert(text)
    return " ".join(p["hepburn"] for p in parts).lower()


def skeleton(latin: str) -> str:
    """Consonants of a romanized name, with sounds Japanese merges made equal ('l'→'r', 'v'→'b')."""
    s = unicodedata.normalize("NFKD", latin.lower())
    s = "".join(ch for ch in s if "a" <= ch <= "z")
    for a, b in (("sh", "s"), ("ch", "c"), ("ts", "t"), ("th", "t"), ("ph", "f"), ("l", "r"), ("v", "b"),
                 ("w", ""), ("q", "k"), ("x", "ks"), ("j", "z"), ("dz", "z"), ("c", "k")):
        s = s.replace(a, b)
    s = re.sub(r"[aeiouyh]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def _fold(latin: str) -> str:
    """Romaji with vowels kept but long vowels, l/r, v/b and doubled letters made equal (for short names)."""
    s = "".join(ch for ch in unicodedata.normalize("NFKD", latin.lower()) if "a" <= ch <= "z")
    for a, b in (("sh", "s"), ("ch", "c"), ("ts", "t"), ("l", "r"), ("v", "b"), ("ou", "o"), ("oo", "o"),
                 ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e"), ("ei", "e")):
        s = s.replace(a, b)
    s = re.sub(r"(?<=[^aeiou])h", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def _windows(english: str) -> list[str]:
    words = re.findall(r"[A-Za-z\u00c0-\u024f'’\-]+", english)
    return [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 4) + 1)]


def _heard(part: str, english: str) -> bool:
    """Whether one Japanese name part is heard in the English (a short name must match a word closely)."""
    roman = romanize(part)
    sk = skeleton(roman)
    if not sk:
        return False
    windows = _windows(english)
    if len(sk) >= 4:
        return any(_contains(skeleton(w), sk) for w in windows)
    return any(SequenceMatcher(None, _fold(roman), _fold(w)).ratio() >= 0.7 for w in windows)


def sounds_alike(japanese: str, english: str) -> bool:
    """Whether an English name plausibly renders a Japanese one (every katakana part must be heard)."""
    if not skeleton(english):
        return False
    runs = _KANA_RUN.findall(unicodedata.normalize("NFKC", japanese))
    if runs:
        return all(_heard(r, english) for r in runs)
    return _heard(japanese, english)


def _contains(haystack: str, needle: str) -> bool:
    """Whether `needle` appears in `haystack` allowing one differing consonant in longer names."""
    if not needle or not haystack:
        return False
    if needle in haystack:
        return True
    n = len(needle)
    best = max((SequenceMatcher(None, haystack[i:i + n], needle).ratio()
                for i in range(0, max(1, len(haystack) - n + 1))), default=0.0)
    return best >= 0.75
