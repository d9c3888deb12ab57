"""Question analysis: language, temporal/aggregate intent, named meeting number or year."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from rag.language import detect_language
from rag.types import Language

Intent = Literal["first", "latest", "count", "list"]

# Order matters: "how many times was X first …" is rare; count wins over list, first/latest over both.
_INTENTS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    ("first", re.compile(r"\b(first|earliest|initially|for the first time)\b|最初|初めて|はじめて|初回|一番早|最も早", re.I)),
    ("latest", re.compile(r"\b(latest|last|most recent|newest|recently)\b|最新|最後|直近|一番最近|最も最近|最も新しい", re.I)),
    # A count of meetings, not "how many tonnes / people": that is a fact to find, not rows to count.
    ("count", re.compile(r"\b(?:how many|number of)\s+(?:\S+\s+){0,6}?(?:meetings?|times|dialogues?|sessions?)\b"
                         r"|\b(?:how often|in how many)\b|何回|何度|回数|(?:いくつ|何件)の?(?:会合|対話|会議)", re.I)),
    ("list", re.compile(r"\b(which (meetings|ones|years|dialogues)|list( all)?|all (the )?meetings|in which years)\b|"
                        r"どの会合|どの回|一覧|すべて|全て|いつといつ|何年と何年", re.I)),
)
_MEETING_JA = re.compile(r"第\s*(\d+)\s*回")
_MEETING_EN = re.compile(r"\b(\d+)\s*(?:st|nd|rd|th)\b", re.I)
_ALTERNATIVES = re.compile(r"\bor\b|どちら|それとも|どっち", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class QuestionAnalysis:
    """What code can tell about a question before retrieval."""

    text: str
    language: Language
    intent: Intent | None = None
    meeting_number: int | None = None
    year: int | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)


def analyse(question: str) -> QuestionAnalysis:
    """Detect language, intent, and a meeting number or year named in the question."""
    text = unicodedata.normalize("NFKC", question)
    intent = next((name for name, pat in _INTENTS if pat.search(text)), None)
    # "Which came first, A or B?" compares two named things; it is not "the earliest matching meeting".
    if intent in ("first", "latest") and _ALTERNATIVES.search(text):
        intent = None
    m = _MEETING_JA.search(text) or _MEETING_EN.search(text)
    meeting = int(m.group(1)) if m else None
    y = _YEAR.search(text)
    return QuestionAnalysis(
        text=question,
        language=detect_language(question),
        intent=intent,
        meeting_number=meeting,
        year=int(y.group(1)) if y else None,
    )
