"""Comparisons made in code: which of two things came first, from the date each side's own evidence gives."""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.names import is_japanese
from rag.find.evidence import Evidence
from rag.read.question import Question
from rag.series.sentences import record_cite
from rag.types import Cite, Statement

_SIDES_EN = re.compile(r"(?:[:,]\s*|\b(?:first|earlier|later)\b\s*,?\s*)(?:the\s+)?(.+?)\s+or\s+(?:the\s+)?(.+?)[?？.]?\s*$",
                       re.I)
# The last と before では splits the sides: "堺市とバリアブントウ省の覚書締結と第8回対話では" (a side may hold と).
_SIDES_JA = re.compile(r"^(.+)と(.+?)(?:では|とでは|は)、?(?:どちら|どっち)")
_SIDES_JA_THAN = re.compile(r"^(.+?)は、?(.+?)より")


# A comparison in time (the only kind code makes here), and one that asks for the later side.
_IN_TIME = re.compile(r"\b(?:first|earlier|earliest|sooner|before|later|after|older|newer|more recent|latest|started|began)\b"
                      r"|先|早|遅|後|新し|古|始ま", re.I)
_LATER = re.compile(r"\b(?:later|after|newer|more recent|latest)\b|遅|後に|新し", re.I)


def compare_sides(q: Question) -> tuple[str, str] | None:
    """The two things a comparison question compares, as written."""
    text = q.text.strip()
    for pattern in (_SIDES_EN, _SIDES_JA, _SIDES_JA_THAN):
        m = pattern.search(text)
        if m:
            # A side is a name: "JPIEM、始まったの" ends at its comma ("…とY、始まったのはどっちが先").
            a, b = (re.split(r"[、,](?=[^、,]*$)", x)[0] if pattern is _SIDES_JA else x for x in (m.group(1), m.group(2)))
            a, b = a.strip(" 、,:："), b.strip(" 、,:：")
            a = re.sub(r"^(?:the|The)\s+", "", a)
            if a and b and a != b:
                return a, b
    return None


def _dated(ev: Evidence, order: str | None) -> tuple[object, Cite] | None:
    """The date a side's evidence gives: its record's, else its best date in text. When a start is compared, a
    series whose earliest listed meeting is a later one (the 4th) gives no date of its start."""
    if ev.records is not None and ev.records.records:
        r = ev.records.records[0]
        if order == "first" and r.number is not None and r.number > 1:
            return None
        if r.date is not None:
            return r.date, record_cite(r)
    dates = ev.of_kind("date", bound=True)
    if dates:
        c = dates[0]
        return c.date, Cite(c.doc_id, c.start, c.end)
    return None


def compare_statements(q: Question, find: Callable[[str, str | None], Evidence]) -> list[Statement]:
    """Which of two things came first, from the date each side's own evidence gives (code compares).

    `find(text, order)` gives the evidence for one side asked as "when" (with "first" when the question
    asks which started earlier).
    """
    sides = compare_sides(q)
    if sides is None or not _IN_TIME.search(q.text):
        return []  # only "which came first / later" is compared here: more, larger, higher are not dates
    order = "first" if re.search(r"始ま|開始|\bstart|\bbegan|\bbegin", q.text, re.I) else None
    found = []
    for side in sides:
        d = _dated(find(side, order), order)
        if d is None or d[0] is None:
            return []
        found.append((side, *d))
    if found[0][1].key() == found[1][1].key():
        return []  # the same date on both sides: neither came first
    later = bool(_LATER.search(q.text))
    (a, da, ca), (b, db, cb) = sorted(found, key=lambda x: x[1].key(), reverse=later)
    lang = "ja" if q.language == "ja" else "en"
    if lang == "ja":
        text = f"{a}の方が{'後' if later else '先'}です。{a}は{da.ja()}[1]、{b}は{db.ja()}です[2]。"
    else:
        text = f"{_cap(a)} came {'later' if later else 'first'}: {a} dates from {da.en()} [1], {b} from {db.en()} [2]."
    diff = (db.year or 0) - (da.year or 0)
    if re.search(r"何年|how many years", q.text, re.I) and diff > 0:
        text += f"{diff}年の差があります。" if lang == "ja" else f" That is {diff} years apart."
    return [Statement(text, [ca, cb], derived=[str(diff)] if diff > 0 else [])]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s and not is_japanese(s[:1]) else s
