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
_KANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc-\u30ff]{2,}")  # katakana words; "・" separates them
_JA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _converter():
    global _kakasi
    with _lock:
        if _kakasi is None:
            import pykakasi

            _kakasi = pykakasi.kakasi()
        return _kakasi


# Latin letters, with those that carry accents (Latin-1, Extended-A/B and the Vietnamese of Extended Additional),
# for character classes: a name is "Gökçeliman", "DEMIRTAŞ", "Đà Nẵng". (The extended blocks mix both cases.)
LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
LATIN_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f\u1e00-\u1eff"


_KANJI_END = re.compile(r"[\u4e00-\u9fff](?<![一二三四五六七八九十百千何数])$")
_KANJI_START = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=4096)
def romanize(text: str) -> str:
    """Hepburn romaji of Japanese text (Latin text passes through), lower-case."""
    text = unicodedata.normalize("NFKC", text)
    if not _JA.search(text):
        return text.lower()
    parts = _converter().convert(text)
    # A ヶ read alone between the kanji of a place name is が ("藤ヶ浦" Fujigaura, "霧ヶ丘" Kirigaoka; not "三ヶ月").
    return " ".join("ga" if p["orig"] in ("ヶ", "ケ", "ヵ") and 0 < i < len(parts) - 1
                    and _KANJI_END.search(parts[i - 1]["orig"]) and _KANJI_START.match(parts[i + 1]["orig"])
                    else p["hepburn"] for i, p in enumerate(parts)).lower()


def skeleton(latin: str) -> str:
    """Consonants of a romanized name, with sounds Japanese merges made equal ('l'→'r', 'v'→'b')."""
    s = unicodedata.normalize("NFKD", latin.lower())
    s = "".join(ch for ch in s if "a" <= ch <= "z")
    # English spellings Japanese renders without a sound: an r after a vowel before a consonant ("Aberdeen",
    # アバディーン), a final or medial "ng" as ン ("Changwon", チャンウォン).
    s = re.sub(r"(?<=[aeiou])r(?=[^aeiouy])", "", s)
    s = s.replace("ng", "n")
    for a, b in (("sh", "s"), ("ch", "c"), ("ts", "t"), ("th", "t"), ("ph", "f"), ("l", "r"), ("v", "b"),
                 ("w", ""), ("q", "k"), ("x", "ks"), ("j", "z"), ("dz", "z"), ("c", "k")):
        s = s.replace(a, b)
    s = re.sub(r"[aeiouyh]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def _fold(latin: str) -> str:
    """Romaji with vowels kept but long vowels, l/r, v/b and doubled letters made equal (for short names)."""
    s = "".join(ch for ch in unicodedata.normalize("NFKD", latin.lower()) if "a" <= ch <= "z")
    # Japanese writes a final "ng" as ン and English "au" as オー ("Vung Tau", "ブントウ"; "Paul", "ポール").
    for a, b in (("sh", "s"), ("ch", "c"), ("ts", "t"), ("l", "r"), ("v", "b"), ("ng", "n"), ("au", "o"),
                 ("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e"), ("ei", "e")):
        s = s.replace(a, b)
    s = re.sub(r"(?<=[^aeiou])h", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def _windows(english: str) -> list[str]:
    words = re.findall(rf"[{LATIN}'’]+", english)
    return ["".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 4) + 1)]


def _heard(part: str, english: str) -> bool:
    """Whether one Japanese name part is heard in the English: some run of 1–4 English words must match
    it closely both in consonants and with vowels (so 'Montenegro' is not 'モンゴル')."""
    roman = romanize(part)
    sk, fold = skeleton(roman), _fold(roman)
    if not sk:
        return False
    for w in _windows(english):
        vowels = SequenceMatcher(None, fold, _fold(w)).ratio()
        if vowels >= 0.7 and (len(sk) <= 3 or SequenceMatcher(None, sk, skeleton(w)).ratio() >= 0.75):
            return True
        # The same consonants in the same order, vowels heard differently ("Aberdeen", "abadiin").
        if vowels >= 0.6 and len(sk) >= 3 and sk == skeleton(w):
            return True
    return False


def sounds_alike(japanese: str, english: str) -> bool:
    """Whether an English name plausibly renders a Japanese one (every katakana part must be heard)."""
    if not skeleton(english):
        return False
    runs = _KANA_RUN.findall(unicodedata.normalize("NFKC", japanese))
    heard = all(_heard(r, english) for r in runs) if runs else _heard(japanese, english)
    return heard and not _other_places(japanese, english)


def _other_places(japanese: str, english: str) -> bool:
    """Whether the gazetteer knows both names as different places (堺 "Sakai" is not "Osaka")."""
    from ingest.gazetteer import same_place

    return same_place(japanese, english) is False


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English dictionary words (lower case): a capitalised one is a word, not a name."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["gcide"], lower=True, alpha=True))


def name_words(text: str, any_case: bool = False) -> list[str]:
    """Capitalised words of Latin text that are names, not dictionary words ('Mongolia', not 'Environmental');
    with `any_case`, lower-case ones too (people type "zielonow"), four letters or more."""
    # (Letters with accents are letters of a name: "Gökçeliman", "Brasília", "Đà Nẵng".)
    return [w for w in re.findall(rf"\b[{LATIN}][{LATIN}\-’']+", text)
            if (w[0].isupper() or (any_case and len(w) >= 4)) and not _dictionary_word(w.lower())]


def _dictionary_word(word: str) -> bool:
    """A dictionary word, or one inflected ("Crediting", "Agreed", "Ministries")."""
    words = english_words()
    stems = {word, word.rstrip("s"), word.removesuffix("es"), word.removesuffix("ies") + "y"}
    for end in ("ing", "ed"):
        if word.endswith(end):
            stem = word.removesuffix(end)
            stems |= {stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem}
    return any(s in words for s in stems if s)


def heard_within(japanese: str, english: str) -> bool:
    """Whether an English name is heard inside a (longer) Japanese name: 'Vung Tau' in 'バリアブントウ省'."""
    en = _fold("".join(re.findall(rf"[{LATIN}]+", english)))
    ja = _fold(romanize(japanese))
    if len(en) < 3 or not ja:
        return False
    n = len(en)
    heard = max((SequenceMatcher(None, ja[i:i + n], en).ratio() for i in range(max(1, len(ja) - n + 1))),
                default=0.0) >= 0.75
    return heard and not _other_places(japanese, english)
