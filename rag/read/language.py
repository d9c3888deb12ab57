"""Which language a question is in: Japanese, English, or something Shiori does not answer in."""

from __future__ import annotations

import re

from rag.types import Language

_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_LATIN = re.compile(r"[A-Za-z]")
_OTHER_SCRIPT = re.compile(r"[\uac00-\ud7af\u0400-\u04ff\u0600-\u06ff\u0e00-\u0e7f\u0900-\u097f]")
_EN_WORDS = re.compile(
    r"\b(the|a|an|what|when|where|who|which|how|why|did|does|do|is|was|were|are|with|of|in|on|"
    r"and|first|last|latest|many|meeting|held|between|about|tell|me|list)\b",
    re.IGNORECASE,
)


def detect_language(text: str) -> Language:
    """'ja' if the text has kana (or is mostly kanji), 'en' for English, 'other' otherwise."""
    kana, han = len(_KANA.findall(text)), len(_HAN.findall(text))
    latin, other = len(_LATIN.findall(text)), len(_OTHER_SCRIPT.findall(text))
    if kana:
        return "ja"
    if other > max(latin, han):
        return "other"
    if han and han >= latin:
        # Kanji without any kana reads as Chinese unless it is a short Japanese noun phrase.
        return "ja" if han <= 12 else "other"
    words = re.findall(r"[A-Za-z\u00c0-\u024f]+", text)
    english = len(_EN_WORDS.findall(text))
    if words and not re.search(r"[\u00c0-\u024f]", text):
        from ingest.transliteration import english_words

        dictionary = english_words()
        known = sum(w.lower() in dictionary or w.lower().rstrip("s") in dictionary for w in words)
        if known / len(words) >= 0.6 and english >= 1:
            return "en"
    accented = re.search(r"[\u00c0-\u024f]", text) is not None
    if latin and english and (english >= 2 or english / max(len(words), 1) >= 0.3) and not (
            accented and english < 3):
        return "en"
    if latin:
        return "other" if len(text.split()) > 3 else "en"
    return "en"


def language_name(lang: Language) -> str:
    """The name the prompt uses for the answer language."""
    return "Japanese (日本語)" if lang == "ja" else "English"
