"""Every comparison of names across scripts and languages, in one place: the same name (spelt alike,
contained, or alike in sound), the same place, the same series, a name heard in another, a name a text
mentions. Transliteration (ingest.transliteration) and the gazetteer (ingest.gazetteer) are its tools;
other modules compare names only through here.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ingest import transliteration
from ingest.cleaner import fold, nfkc
from ingest.tokenizer import named_entities

_SAME_SERIES = 0.75  # series names this similar are one series ("日・X対話" and "日本・X対話")
_SAME_KANA = 0.7  # katakana spellings this similar are one name
_LATIN_NAME = re.compile(r"\b[A-Z][a-zA-Z\-’']+(?:\s+[A-Z][a-zA-Z\-’']+)*")


def is_japanese(text: str) -> bool:
    """Whether a name is written in Japanese script."""
    return bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text))


def sounds_alike(japanese: str, english: str) -> bool:
    """Whether an English name renders a Japanese one by sound (and the gazetteer does not tell them apart)."""
    return transliteration.sounds_alike(japanese, english)


def heard_within(japanese: str, english: str) -> bool:
    """Whether an English name is heard inside a longer Japanese one ('Vung Tau' in 'バリアブントウ省')."""
    return transliteration.heard_within(japanese, english)


def heard(japanese: str, english: str) -> bool:
    """Whether an English name renders a Japanese one or a part of it."""
    return sounds_alike(japanese, english) or heard_within(japanese, english)


def name_words(text: str) -> list[str]:
    """Capitalised words of Latin text that are names, not dictionary words ('Mongolia', not 'Environmental')."""
    return transliteration.name_words(text)


def same_name(a: str, b: str) -> bool:
    """Whether two names denote the same thing: equal, contained, spelt alike in kana, or alike in sound."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    if fa in fb or fb in fa:
        return True
    if is_japanese(a) and is_japanese(b):
        ka = re.sub(r"[^\u30a0-\u30ff]", "", a)
        kb = re.sub(r"[^\u30a0-\u30ff]", "", b)
        return len(ka) >= 3 and len(kb) >= 3 and SequenceMatcher(None, ka, kb).ratio() >= _SAME_KANA
    if is_japanese(a) != is_japanese(b):
        ja, en = (a, b) if is_japanese(a) else (b, a)
        return sounds_alike(ja, en)
    return False


def same_place(place: str | None, asked: str, english: str | None = None) -> bool:
    """Whether a place as asked names a record's place: contained either way (the place's stored English
    rendering `english` too), or an English name that sounds like the Japanese place."""
    if not place:
        return False
    a, p = fold(asked), fold(place)
    if a in p or (p in a and len(p) >= 2):
        return True
    if english and (fold(english) in a or a in fold(english)):
        return True
    return not is_japanese(asked) and is_japanese(place) and sounds_alike(place, asked)


def same_series(a: str, b: str) -> bool:
    """Whether two names denote one series: small spelling differences allowed ("日・X対話" and
    "日本・X対話"), but the names in them (katakana words, Latin proper names) must be the same."""
    na, nb = _series_key(a), _series_key(b)
    if not (na and nb):
        return False
    if na == nb:
        return True
    if is_japanese(a) != is_japanese(b):
        return False
    if _name_parts(a) != _name_parts(b):
        return False
    return SequenceMatcher(None, na, nb).ratio() >= _SAME_SERIES


def _name_parts(name: str) -> frozenset[str]:
    """The parts of a series name that tell series apart: katakana words and Latin proper names."""
    kana = re.findall(r"[\u30a0-\u30ff]{2,}", nfkc(name))
    return frozenset([*kana, *(w.casefold() for w in name_words(nfkc(name)))])


def _series_key(name: str) -> str:
    s = nfkc(name).casefold()
    s = re.sub(r"\b(the|of|on|results?|and)\b", " ", s)
    return re.sub(r"[\s\-–—・,.'’()（）]+", "", s)


def mentions(text: str, name: str, english: str | None = None) -> bool:
    """Whether a text names `name`: as written (or its head before a bracket or comma), as its English
    rendering `english`, or as a Latin name that sounds like it."""
    value, s = fold(name), fold(text)
    if value in s or (english and fold(english) in s):
        return True
    head = re.split(r"[（(、,]", name)[0]
    if head and fold(head) in s:
        return True
    return is_japanese(name) and any(sounds_alike(name, w) for w in latin_names(text))


def latin_names(text: str) -> list[str]:
    """Runs of capitalised Latin words in a text (names or a sentence's first word)."""
    return _LATIN_NAME.findall(text)


def named_in(name: str, text: str) -> bool:
    """Whether a text names `name`: contained in it (folded), or one of the names it holds is the same name."""
    return fold(name) in fold(text) or any(same_name(name, e.text) for e in named_entities(text))
