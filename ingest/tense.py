"""Whether a text tells of something still to come ("will be held", "予定", "is expected to"): one reading, as
data (ingest/data/tense.json), for records at ingest and for questions and clauses at answer time."""

from __future__ import annotations

import json
import re
from pathlib import Path

_DATA = json.loads((Path(__file__).with_name("data") / "tense.json").read_text(encoding="utf-8"))


def _words(group: dict[str, list[str]]) -> str:
    en = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in group["en"])
    return rf"\b(?:{en})\b|" + "|".join(re.escape(w) for w in group["ja"])


# An event set for later ("will be held", "開催予定"): a record it starts is planned, not held.
PLANNED = re.compile(_words(_DATA["planned"]), re.I)
# Anything a text says will happen ("will start", "is expected to", "見込み"), planned events among them.
STILL_TO_COME = re.compile(rf"{PLANNED.pattern}|{_words(_DATA['still_to_come'])}", re.I)
