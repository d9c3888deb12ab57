"""A document's names in the other language, translated once at ingest and stored: its subject and
series (so an English question finds a Japanese-only series, and English answers name it in English).
Every translation of a name is checked by sound
(ingest.transliteration); one that fails is dropped, never stored.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from ingest.names import countries_in, is_japanese, sounds_alike
from ingest.records import DocumentModel
from ingest.schema import SourceDocument, Subject
from ingest.tokenizer import named_entities

log = logging.getLogger(__name__)

Target = Literal["en", "ja"]
MAX_NAMES = 6  # one short call per document
_KANA = re.compile(r"[\u30a0-\u30ff]{2,}")


class NameTranslator(Protocol):
    """Anything that turns names into another language (an LLM in practice)."""

    def translate_names(self, names: Sequence[str], target: Target) -> dict[str, str]:
        """name -> its translation, for the names it could translate."""
        ...


@dataclass(frozen=True)
class Translated:
    """What translation added to a document: its subject with both names, and a name glossary."""

    subject: Subject
    glossary: dict[tuple[str, str], str]  # (name, target language) -> name in that language
    names: tuple[str, ...] = ()  # the document's names (places, series, people), translated or not


def names_to_translate(doc: SourceDocument, model: DocumentModel) -> dict[Target, list[str]]:
    """The names of a document worth having in the other language: its subject and the series of its
    records (so a question in the other language finds them). Places are not sent: measured, the 1.5B
    model renders most foreign place names wrongly ("Uruguaybolt" for ウランバートル, "Serbia" for
    スラバヤ), so English answers keep a place's Japanese name unless a document gives its English one."""
    subject = model.subject
    to_en: list[str] = []
    to_ja: list[str] = []

    def add(name: str | None) -> None:
        if not name or len(name) > 60:
            return
        (to_en if is_japanese(name) else to_ja).append(name.strip())

    if not subject.name_en or not subject.name_ja:
        add(subject.name)
    for r in model.records:
        if r.series != subject.name:  # the subject's own series is named by the subject's translation
            add(r.series)
    return {"en": list(dict.fromkeys(to_en))[:MAX_NAMES], "ja": list(dict.fromkeys(to_ja))[:MAX_NAMES // 2]}


def acceptable(source: str, translation: str, target: Target) -> bool:
    """Whether a translation of a name can be stored: right script, sane length, and it sounds like the
    original wherever the original is a transliterated (katakana) or a short place name."""
    t = translation.strip()
    if not t or len(t) > 3 * len(source) + 30 or "\n" in t:
        return False
    said, meant = countries_in(t), countries_in(source)
    if said - meant or (said and meant - said):
        return False  # "Japan-Mexico …" given as "日・米国…": a name of another pair of countries
    if target == "en":
        if is_japanese(t):
            return False
        if _KANA.search(source) or len(source) <= 6:
            return sounds_alike(source, t)
        return True
    if not is_japanese(t):
        return False
    return sounds_alike(t, source) if _KANA.search(t) and len(source.split()) <= 4 else True


def translate_document(doc: SourceDocument, model: DocumentModel, translator: NameTranslator | None) -> Translated:
    """The subject in both languages and a checked glossary (unchanged subject and none on failure)."""
    subject = model.subject
    wanted = names_to_translate(doc, model)
    entities = [e.text for e in named_entities(doc.text) if e.kind in ("place", "country", "person", "name")]
    every = tuple(dict.fromkeys([*wanted["en"], *wanted["ja"], *entities]))
    if translator is None:
        return Translated(subject, {}, every)
    glossary: dict[tuple[str, str], str] = {}
    for target, names in wanted.items():
        if not names:
            continue
        try:
            got = translator.translate_names(names, target)
        except Exception as e:  # noqa: BLE001 - translation is an aid; the document still ingests
            log.warning("name translation failed for %s: %s", doc.doc_id, e)
            continue
        for src, tgt in got.items():
            if src in names and acceptable(src, tgt, target):
                glossary[(src, target)] = tgt.strip()
    if not subject.name_en and (subject.name, "en") in glossary:
        subject = replace(subject, name_en=glossary[(subject.name, "en")])
    if not subject.name_ja and (subject.name, "ja") in glossary:
        subject = replace(subject, name_ja=glossary[(subject.name, "ja")])
    return Translated(subject, glossary, every)
