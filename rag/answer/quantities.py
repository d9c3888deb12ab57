"""A count or amount code composed from a Japanese passage, said in English for an English asker
("約70人" → "about 70 people", "1,800万円" → "18 million yen (1,800万円)"); units and approximations are data
(rag/data/vocabulary.json `units_en`, `about_words_en`). Written by hand: no library reads 万/億 with counters."""

from __future__ import annotations

import re

from ingest.cleaner import nfkc
from rag.read.vocabulary import ABOUT_EN as _ABOUT
from rag.read.vocabulary import UNITS_EN as _UNITS

_SCALE = {"兆": 10**12, "億": 10**8, "万": 10**4, "千": 10**3}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# "約1億8,000万円以上（X 2人、Y 2人）": about-word, a number written in parts, unit, open end, what it breaks into.
_QUANTITY = re.compile(
    rf"^(?P<about>{_alt(w for w in _ABOUT if w in ('約', 'およそ'))})?\s*"
    rf"(?P<number>(?:\d[\d,]*(?:\.\d+)?\s*[兆億万千]\s*)*\d[\d,]*(?:\.\d+)?\s*[兆億万千]?)\s*"
    rf"(?P<unit>{_alt(_UNITS)})?\s*(?P<open>{_alt(w for w in _ABOUT if w not in ('約', 'およそ'))})?\s*"
    rf"(?:\((?P<parts>[^()]*)\))?$")


def _amount(number: str) -> int | float:
    """The value of a number written with 万/億 parts ("1億8,000万" → 180000000)."""
    total, rest = 0.0, re.sub(r"[\s,]", "", number)  # "約 210 億", "210\n億": spaces and breaks inside
    for n, scale in re.findall(r"(\d+(?:\.\d+)?)([兆億万千])", rest):
        total += float(n) * _SCALE[scale]
    tail = re.sub(r"\d+(?:\.\d+)?[兆億万千]", "", rest)
    total += float(tail) if tail else 0.0
    return int(total) if total == int(total) else total


def _english_number(n: int | float) -> str:
    for size, word in ((10**9, "billion"), (10**6, "million")):
        if n >= size:
            return f"{n / size:,.3f}".rstrip("0").rstrip(".") + f" {word}"
    return f"{n:,}" if isinstance(n, int) else f"{n:,.2f}".rstrip("0").rstrip(".")


def _one(unit: str) -> str:
    """The unit of one ("1 person", "1 country")."""
    if unit in ("people", "yen", "dollars"):
        return {"people": "person", "dollars": "dollar"}.get(unit, unit)
    return unit[:-3] + "y" if unit.endswith("ies") else unit.removesuffix("s")


def quantity_en(value: str, counted: str | None = None) -> str:
    """The quantity in English, the original kept in brackets where its number was written in 万/億 parts;
    `counted` is what the question counts ("projects"), said in place of a unit that only counts (件)."""
    m = _QUANTITY.match(nfkc(value).strip())
    if not m or not m.group("unit"):
        return value
    unit = _UNITS[m.group("unit")]
    if counted and unit == "cases" and re.fullmatch(r"[a-z\-]+s", counted):
        unit = counted  # 件 counts whatever was asked about: "8 projects"
    number = m.group("number")
    if unit == "years" and _amount(number) >= 1000:
        return value  # "2050年" is a year, not a length of time
    words = [_ABOUT[w] for w in (m.group("about"), m.group("open")) if w]
    before = "".join(f"{w} " for w in words if not w.startswith("or "))  # "about", "over"
    after = "".join(f" {w}" for w in words if w.startswith("or "))  # "or more"
    if _amount(number) == 1:
        unit = _one(unit)
    text = f"{before}{_english_number(_amount(number))} {unit}{after}"
    if m.group("parts"):
        parts = re.sub(rf"(\d[\d,]*)\s*(?:{_alt(_UNITS)})", r"\1", m.group("parts")).replace("、", ", ")
        text += f" ({parts})"
    elif re.search(r"[兆億万千]", number):
        text += f" ({' '.join(value.split())})"
    return text
