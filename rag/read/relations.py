"""What a text says happened (signed, renewed, attended, chaired, contributed …) and which offices it names
(prime minister, mayor, chair …), in English and Japanese, from one vocabulary (rag/data/relations.json).

A question asks for a value *of a relation*; a clause that does not state that relation does not answer it,
whatever values of the asked type it holds. Both sides are read here with the same words.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ingest.cleaner import nfkc

_DATA = json.loads((Path(__file__).parents[1] / "data" / "relations.json").read_text(encoding="utf-8"))


def _table(section: dict) -> dict[str, tuple[re.Pattern[str], tuple[str, ...]]]:
    """Per concept: one pattern of its English forms (whole words, longest first) and its Japanese forms."""
    out = {}
    for concept, forms in section.items():
        if concept.startswith("_"):
            continue
        en = sorted(forms.get("en", []), key=len, reverse=True)
        words = "|".join(re.escape(w).replace(r"\ ", r"[\s\-]+") for w in en)
        out[concept] = (re.compile(rf"(?<![A-Za-z])(?:{words})(?![A-Za-z])", re.I), tuple(forms.get("ja", [])))
    return out


RELATIONS = _table(_DATA["relations"])
_AFTER_A_TIME = frozenset(_DATA["after_a_time"])
_TIME_END = re.compile(r"(?:[0-9年月日度頃末半期]|以降|以前|\))\s*$")
ROLES = _table(_DATA["roles"])
ACTS = frozenset(_DATA["acts"])  # acts of their own with a date: signing, entry into force, expiry …
HAPPENED = frozenset(_DATA["happened"])  # what any meeting does: held, agreed, discussed


def _found(table: dict[str, tuple[re.Pattern[str], tuple[str, ...]]], text: str,
           inside: tuple[tuple[int, int], ...] = ()) -> frozenset[str]:
    """The concepts of `table` a text holds; an English word strictly inside one of the `inside` spans (an office:
    "State Minister") is that span's, not a concept of its own."""
    text = nfkc(text)
    out = set()
    covered: list[tuple[int, int]] = []
    # Longer English phrases first ("took part" is attending, not "took"): a span counts for one concept.
    hits = sorted(((m.start(), m.end(), c) for c, (en, _) in table.items() for m in en.finditer(text)),
                  key=lambda h: (-(h[1] - h[0]), h[0]))
    for s, e, concept in hits:
        if any(a <= s and e <= b and (a, b) != (s, e) for a, b in inside):
            continue
        if not any(s < b and a < e for a, b in covered):
            covered.append((s, e))
            out.add(concept)
    # Japanese too, longest first: "副委員長" is a vice-chair, not also a 委員長.
    hits = sorted(((m.start(), m.end(), c) for c, (_, ja) in table.items() for w in ja
                   for m in re.finditer(re.escape(w), text)
                   if w not in _AFTER_A_TIME or _TIME_END.search(text[max(0, m.start() - 6):m.start()])),
                  key=lambda h: (-(h[1] - h[0]), h[0]))
    covered = []
    for s, e, concept in hits:
        # (a word listed under two concepts, "共同議長" chairs and co-chairs, states both)
        if not any(s < b and a < e and (a, b) != (s, e) for a, b in covered):
            covered.append((s, e))
            out.add(concept)
    return frozenset(out)


def relation_phrase_words(text: str) -> frozenset[str]:
    """The English words of the relations a text states ("break ground": break, ground): verbs, not things."""
    folded = nfkc(text)
    return frozenset(w.lower() for en, _ in RELATIONS.values() for m in en.finditer(folded)
                     for w in re.findall(r"[A-Za-z]+", m.group(0)))


@lru_cache(maxsize=4096)
def relations_in(text: str) -> frozenset[str]:
    """The relations a text states (or a question asks about)."""
    folded = nfkc(text)
    offices = tuple(m.span() for en, _ in ROLES.values() for m in en.finditer(folded) if " " in m.group(0).strip())
    return _found(RELATIONS, text, offices)


@lru_cache(maxsize=4096)
def roles_in(text: str) -> frozenset[str]:
    """The offices a text names ("Minister …", "市長")."""
    return _found(ROLES, text)


def states(concept: str, text: str) -> bool:
    """Whether a text states one relation."""
    return concept in relations_in(text)


def names_role(role: str, text: str) -> bool:
    """Whether a text names one office."""
    return role in roles_in(text)
