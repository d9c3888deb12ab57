"""The model's part in an answer: render a Japanese passage in English for an English asker. Code chose the
passage (it states what was asked); the model only translates it, and code keeps the rendering only when
every number it states is one the passage states — else the original stands, marked as Japanese.
"""

from __future__ import annotations

import re
from collections.abc import Generator

from ingest.cleaner import fold
from ingest.dates import find_dates
from ingest.names import country_code, heard, heard_within, is_japanese, latin_names, name_words
from ingest.tokenizer import named_entities, reading
from rag.check.support import claimed_numbers, numbers
from rag.llm.backends import complete_streamed
from rag.llm.prompts import RENDER_SYSTEM, fewshot

_LABEL = re.compile(r"^(?:English|Translation|英訳)\s*[:：]\s*", re.I)
_LABEL_MAX = 12  # the longest label the model may start with ("Translation: ")


def render_english(llm, source: str) -> Generator[str, None, str | None]:
    """The passage in English, yielded as the model writes it; returns it when it keeps the passage's numbers
    (None otherwise, or when the model writes nothing; raises when the model cannot be reached)."""
    shots = "".join(f"Japanese: {ex['ja']}\nEnglish: {ex['en']}\n\n" for ex in fewshot()["render"])
    human = f"{shots}Japanese: {source}\nEnglish:"
    out = yield from _without_label(complete_streamed(llm, RENDER_SYSTEM, human, max_tokens=200,
                                                      stop=["\n", "Japanese:"]))
    out = _LABEL.sub("", out).strip().strip("“”\"")
    return out if faithful(out, source) else None


def faithful(english: str, source: str) -> bool:
    """Whether a rendering keeps to its source: English, no number the source does not state, not cut short."""
    if not english or is_japanese(re.sub(r"[(（][^)）]*[)）]", "", english)):
        return False  # empty, or still Japanese outside the names it keeps in brackets
    if not claimed_numbers(english) <= numbers(source):
        return False
    if not _same_dates(english, source) or not _names_kept(english, source) or not _no_name_added(english, source):
        return False
    return len(english) >= 0.5 * len(source)  # Japanese is denser than English: a much shorter text dropped parts


def _same_dates(english: str, source: str) -> bool:
    """Every dated month of the rendering is one the source gives ("March 2023" for 令和5年2月 is not)."""
    given = [d for d in find_dates(source) if d.year or d.month]
    return all(any(d.matches(g) for g in given) for d in find_dates(english) if d.month)


def _names_kept(english: str, source: str) -> bool:
    """Every katakana name of the source is in the rendering, kept or heard ("バクニン" as "Bac Ninh"), not
    replaced by another name ("Valais")."""
    names = latin_names(english)
    for e in named_entities(source):
        if e.kind == "country" or not re.fullmatch(r"[\u30a1-\u30fa\u30fc・]{3,}", e.text):
            continue
        if e.text not in english and not any(heard(e.text, n) for n in names):
            return False
    return True


def _no_name_added(english: str, source: str) -> bool:
    """The rendering's names are the source's: of the names it writes that the source does not (as written, or
    a country), at least one is heard in how the source reads ("Koizumi" in 小泉環境大臣; "Yoshimitsu Okuma" is
    another person). One is enough: a kanji place name may be read otherwise than the dictionary reads it."""
    new = [w for w in name_words(english)
           if not w.isupper() and fold(w) not in fold(source) and country_code(w) is None]
    if not new:
        return True
    spoken = reading(source)
    return any(heard_within(spoken, w) for w in new)


def _without_label(pieces: Generator[str, None, str]) -> Generator[str, None, str]:
    """Relay the model's pieces without a leading "English:" it may write; return the whole text unchanged."""
    held: str | None = ""  # the start, held back until it is known not to be a label (None: relaying)
    while True:
        try:
            piece = next(pieces)
        except StopIteration as end:
            if held and (start := _LABEL.sub("", held.lstrip())):
                yield start
            return end.value
        if held is None:
            yield piece
            continue
        held += piece
        if len(held.lstrip()) >= _LABEL_MAX:
            start, held = _LABEL.sub("", held.lstrip()), None
            if start:
                yield start
