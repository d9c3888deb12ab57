"""Ordinals of meetings and sessions: 第10回, 10回目, 第十回, 10th, tenth, No. 10, round 10 — with their offsets."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_KANJI = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
          "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
          "eighteenth", "nineteenth", "twentieth"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40}
_N = r"[0-9０-９]{1,3}|[〇一二三四五六七八九十百]{1,4}"
_JA = re.compile(rf"第[ \u3000]*({_N})[ \u3000]*(?:回|次|期)|({_N})[ \u3000]*回目")
_EN = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b|\bno\.\s?(\d{1,3})\b|\b(?:number|round)\s+(\d{1,3})\b", re.I)
_EN_WORD = re.compile(rf"\b(?:({'|'.join(_TENS)})[- ])?({'|'.join(_WORDS)})\b", re.I)


@dataclass(frozen=True)
class Ordinal:
    """An ordinal number as written: `n`, and its offsets in the text read."""

    n: int
    start: int
    end: int
    text: str
    word: bool = False  # spelt out ("seventh"): also an everyday word ("first"), so callers decide


def kanji_number(s: str) -> int:
    """'十五' -> 15, '二十' -> 20, '15' / '１５' -> 15."""
    s = unicodedata.normalize("NFKC", s)
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in _KANJI:
            current = current * 10 + _KANJI[ch] if current else _KANJI[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def find_ordinals(text: str) -> list[Ordinal]:
    """Every ordinal in the text, in order."""
    out = []
    for m in _JA.finditer(text):
        out.append(Ordinal(kanji_number(m.group(1) or m.group(2)), m.start(), m.end(), m.group(0)))
    for m in _EN.finditer(text):
        out.append(Ordinal(int(next(g for g in m.groups() if g)), m.start(), m.end(), m.group(0)))
    for m in _EN_WORD.finditer(text):
        n = _WORDS.index(m.group(2).lower()) + 1
        if m.group(1):
            n += _TENS[m.group(1).lower()]
        out.append(Ordinal(n, m.start(), m.end(), m.group(0), word=True))
    return sorted(out, key=lambda o: o.start)


def english_ordinal(n: int) -> str:
    """1 -> '1st', 12 -> '12th', 22 -> '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
