"""Every message users see, in their language: one table of data (rag/data/messages.json), looked up by key."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from rag.types import Language

_TABLE = Path(__file__).with_name("data") / "messages.json"


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    return {k: v for k, v in json.loads(_TABLE.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def say(key: str, language: Language | str, **fields: object) -> str:
    """The message `key` in the language (English where it has no Japanese), its {fields} filled in."""
    entry = _messages()[key]
    return (entry.get(language) or entry["en"]).format(**fields)


def keys() -> list[str]:
    """Every message key."""
    return list(_messages())


def listed(names: Sequence[str], language: Language | str) -> str:
    """Names listed the way the language lists them ("A、B" / "A, B")."""
    return ("、" if language == "ja" else ", ").join(names)
