"""Dates as typed values with their place in the text: 西暦, 和暦 (令和/平成/昭和, 元年), month/day,
fiscal years (年度, FY), ranges (～, ~, -), English dates ("February 9, 2023", "2017.08.24").

Hand-written because no library reads Japanese era dates, full-width digits and layout spaces together
while keeping character offsets into the original text (which citations need).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, replace

_D = r"[0-9０-９]"
_S = r"[ \t\u3000]*"  # layout spaces inside dates ("令和 5 年 12 月 6 日")
_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911}
_MONTHS = {calendar.month_name[i].lower(): i for i in range(1, 13)}
_MONTH_ALT = "|".join(sorted({*_MONTHS, *(m[:3] for m in _MONTHS), "sept"}, key=len, reverse=True))
_WEEKDAY = rf"(?:{_S}[(（][月火水木金土日](?:曜日?)?[)）])?"

_ERA = re.compile(
    rf"(令和|平成|昭和|大正){_S}(元|{_D}{{1,2}}){_S}年(度)?"
    rf"(?:{_S}[(（]{_S}(?:西暦)?{_S}{_D}{{4}}{_S}年?(?:度)?{_S}[)）])?"  # "平成9年(1997年)": the same year
    rf"(?:{_S}({_D}{{1,2}}){_S}月(?:{_S}({_D}{{1,2}}){_S}日)?)?{_WEEKDAY}")
# "Reiwa 5", "FY Heisei 30", "Reiwa gannen": an era year written in English.
_ERA_EN = re.compile(r"(?:\b(FY|fiscal(?:\s+year)?)\s+)?\b(Reiwa|Heisei|Sh[oō]wa|Taish[oō])\s+(\d{1,2}|gannen)\b", re.I)
_ERA_EN_BASE = {"reiwa": "令和", "heisei": "平成", "showa": "昭和", "shōwa": "昭和", "taisho": "大正", "taishō": "大正"}
_WESTERN = re.compile(
    rf"(?<![0-9０-９.])({_D}{{4}}){_S}年(度)?(?:{_S}({_D}{{1,2}}){_S}月(?:{_S}({_D}{{1,2}}){_S}日)?)?{_WEEKDAY}")
_MONTH_DAY = re.compile(rf"(?<![0-9０-９]|年)({_D}{{1,2}}){_S}月{_S}({_D}{{1,2}}){_S}日{_WEEKDAY}")
_MONTH_ONLY = re.compile(rf"(?<![0-9０-９]|年)({_D}{{1,2}}){_S}月(?![0-9０-９日])")
_EN_MDY = re.compile(rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_EN_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_ALT})\.?,?\s+(\d{{4}})\b", re.I)
_EN_MY = re.compile(rf"\b({_MONTH_ALT})\.?,?\s+(\d{{4}})\b", re.I)
_EN_MD = re.compile(rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{{4}})", re.I)
_EN_DM = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_ALT})\b\.?(?!,?\s*\d{{4}})", re.I)
_NUMERIC = re.compile(r"(?<![\d.])((?:19|20)\d{2})([./-])(\d{1,2})\2(\d{1,2})(?![\d.])")
# "H29.10.24", "R4.5.20": an era date in the short form of reports (H 平成, R 令和, S 昭和).
_ERA_SHORT = re.compile(r"(?<![A-Za-z0-9.])([HRS])(元|\d{1,2})\.(\d{1,2})\.(\d{1,2})(?![\d.])")
_ERA_LETTER = {"H": "平成", "R": "令和", "S": "昭和"}
# "2015/10/20～21", "2018/07/31～08/03", "R6.9.18～19": a numeric date's range end without its year.
_DAY_BEFORE = re.compile(r"(?<![\d.,/])(\d{1,2})(?:st|nd|rd|th)?\s*(?:[-–~〜]|\band\b|\bto\b)\s*$", re.I)
_NUMERIC_END = re.compile(r"[ \t\u3000]*[～〜~\-–][ \t\u3000]*(?:(\d{1,2})[./])?(\d{1,2})(?![\d./年月日])")
_FISCAL_EN = re.compile(r"\bFY\s?((?:19|20)\d{2})\b", re.I)
# A year may end a clause ("As of 2022, …"); "2,022" or "2022,500" is a number.
_YEAR = re.compile(r"(?<![\d.,/:])((?:19|20)\d{2})(?!\d)(?!,\d)(?!\s*(?:km|m2|㎡|万|億|t\b|tons?\b))")
_RANGE_SEP = re.compile(rf"{_S}(?:[～〜~]|[-－–—]|から|to|until|through){_S}", re.I)
# "4月6日～7日": a range whose end gives only the day.
_DAY_END = re.compile(rf"(?:{_S}[(（][月火水木金土日](?:曜日?)?[)）])?{_S}(?:[～〜~]|[-－–—]|から){_S}({_D}{{1,2}}){_S}日{_WEEKDAY}")


def _int(digits: str) -> int:
    return int(unicodedata.normalize("NFKC", digits))


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    if name == "sept":
        return 9
    return _MONTHS.get(name) or next(i for m, i in _MONTHS.items() if m.startswith(name))


@dataclass(frozen=True)
class DateValue:
    """A date as precise as the text gives it; `start`/`end` are offsets in the text it was read from."""

    year: int | None
    month: int | None = None
    day: int | None = None
    fiscal: bool = False
    until: DateValue | None = None  # the end of a range ("11月30日～12月12日"), inclusive
    start: int = 0
    end: int = 0
    text: str = ""

    def key(self) -> tuple[int, int, int]:
        """Sort key: unknown parts sort first within their year."""
        return (self.year or 0, self.month or 0, self.day or 0)

    def matches(self, other: DateValue) -> bool:
        """Whether two dates agree at the precision both give (2023 agrees with 2023-12-06)."""
        pairs = [(self.year, other.year), (self.month, other.month), (self.day, other.day)]
        if all(a is None or b is None for a, b in pairs):
            return False
        return all(a is None or b is None or a == b for a, b in pairs)

    def contains(self, other: DateValue) -> bool:
        """Whether `other` falls on this date or inside this range."""
        if self.until is None:
            return self.matches(other)
        lo, hi = self.key(), self.until.key()
        k = other.key()
        return lo[: _precision(other)] <= k[: _precision(other)] <= hi[: _precision(other)]

    def fiscal_year(self) -> int | None:
        """The Japanese fiscal year (April to March) this date falls in: 2023年2月 is in 2022年度."""
        if self.year is None or self.fiscal or self.month is None:
            return self.year
        return self.year if self.month >= 4 else self.year - 1

    def in_years(self, years: tuple[int, ...], fiscal: tuple[int, ...] = ()) -> bool:
        """Whether this date falls in one of `years`; those also in `fiscal` are fiscal years (年度, FY)."""
        if self.year is None:
            return False
        for y in years:
            if y in fiscal and self.fiscal_year() == y:
                return True
            if y not in fiscal and self.year == y:
                return True
        return False

    @property
    def precision(self) -> int:
        """1 = year, 2 = month, 3 = day."""
        return _precision(self)

    def iso(self) -> str:
        """'2023-12-06', '2023-12', '2023', '12-06' (no year known)."""
        parts = [f"{self.year:04d}" if self.year else "", f"{self.month:02d}" if self.month else "",
                 f"{self.day:02d}" if self.day else ""]
        out = "-".join(p for p in parts if p)
        return out + (f"/{self.until.iso()}" if self.until else "")

    def ja(self) -> str:
        """'2023年12月6日', '2004年度', '2023年11月30日～12月12日'."""
        out = ""
        if self.year:
            out += f"{self.year}年" + ("度" if self.fiscal else "")
        if self.month:
            out += f"{self.month}月"
        if self.day:
            out += f"{self.day}日"
        if self.until:
            end = self.until.ja() if self.until.year != self.year else self.until.ja().split("年", 1)[-1]
            out += f"～{end}"
        return out

    def en(self) -> str:
        """'6 December 2023', 'December 2023', 'FY2004', '30 November – 12 December 2023'."""
        if self.fiscal and self.year and not self.month:
            out = f"FY{self.year}"
        else:
            bits = [str(self.day) if self.day else "", calendar.month_name[self.month] if self.month else "",
                    str(self.year) if self.year else ""]
            out = " ".join(b for b in bits if b)
        if self.until:
            out += f" – {self.until.en()}"
        return out


def _precision(d: DateValue) -> int:
    return 3 if d.day else 2 if d.month else 1 if d.year else 0


def _spans_free(taken: list[tuple[int, int]], s: int, e: int) -> bool:
    return all(e <= a or s >= b for a, b in taken)


def _scan(text: str) -> list[DateValue]:
    """Every single date in the text (no ranges yet), longest forms first."""
    found: list[DateValue] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], year: int | None, month: int | None = None, day: int | None = None,
            fiscal: bool = False) -> None:
        s, e = m.span()
        if not _spans_free(taken, s, e):
            return
        if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= 31:
            return
        taken.append((s, e))
        found.append(DateValue(year, month, day, fiscal, None, s, e, text[s:e]))

    for m in _ERA.finditer(text):
        era, n, fiscal, month, day = m.groups()
        add(m, _ERA_BASE[era] + (1 if n == "元" else _int(n)), month and _int(month), day and _int(day),
            bool(fiscal))
    for m in _ERA_EN.finditer(text):
        fiscal, era, n = m.groups()
        add(m, _ERA_BASE[_ERA_EN_BASE[era.lower()]] + (1 if n.lower() == "gannen" else int(n)), fiscal=bool(fiscal))
    for m in _ERA_SHORT.finditer(text):
        letter, n, month, day = m.groups()
        add(m, _ERA_BASE[_ERA_LETTER[letter]] + (1 if n == "元" else int(n)), int(month), int(day))
    for m in _WESTERN.finditer(text):
        year, fiscal, month, day = m.groups()
        add(m, _int(year), month and _int(month), day and _int(day), bool(fiscal))
    for m in _NUMERIC.finditer(text):
        add(m, int(m.group(1)), int(m.group(3)), int(m.group(4)))
    for m in _EN_MDY.finditer(text):
        add(m, int(m.group(3)), _month(m.group(1)), int(m.group(2)))
    for m in _EN_DMY.finditer(text):
        add(m, int(m.group(3)), _month(m.group(2)), int(m.group(1)))
    for m in _EN_MY.finditer(text):
        add(m, int(m.group(2)), _month(m.group(1)))
    for m in _FISCAL_EN.finditer(text):
        add(m, int(m.group(1)), fiscal=True)
    for m in _MONTH_DAY.finditer(text):
        add(m, None, _int(m.group(1)), _int(m.group(2)))
    for m in _EN_MD.finditer(text):
        add(m, None, _month(m.group(1)), int(m.group(2)))
    for m in _EN_DM.finditer(text):
        add(m, None, _month(m.group(2)), int(m.group(1)))
    for m in _MONTH_ONLY.finditer(text):
        add(m, None, _int(m.group(1)))
    for m in _YEAR.finditer(text):
        add(m, int(m.group(1)))
    return sorted(found, key=lambda d: d.start)


def find_dates(text: str) -> list[DateValue]:
    """Dates in `text` with offsets; 'A～B' becomes one range, a partial date takes its year from context."""
    singles = _scan(text)
    out: list[DateValue] = []
    i = 0
    last_year: int | None = None
    while i < len(singles):
        d = singles[i]
        if d.year is None and last_year is not None and d.month is not None:
            d = replace(d, year=last_year)
        nxt = singles[i + 1] if i + 1 < len(singles) else None
        if nxt is not None and _RANGE_SEP.fullmatch(_between(text, d.end, nxt.start)):
            end = nxt
            if end.year is None:
                end = replace(end, year=d.year if (end.month or 0) >= (d.month or 0) else (d.year or 0) + 1 or None)
            if end.month is None and end.year == d.year and d.month:
                end = replace(end, month=d.month)
            if end.key() >= d.key():
                d = replace(d, until=replace(end, start=0, end=0, text=""), end=end.end, text=text[d.start:end.end])
                i += 1
        if d.until is None and d.day and d.text[:1].isdigit() and (
                m := _DAY_BEFORE.search(text, max(0, d.start - 12), d.start)) and 1 <= int(m.group(1)) < d.day:
            # "28–29 October 2025", "14 and 15 May 2024": the span starts at the first day
            d = replace(d, day=int(m.group(1)), until=replace(d, start=0, end=0, text=""), start=m.start(),
                        text=text[m.start():d.end])
        if d.until is None and d.day and (m := _DAY_END.match(text, d.end)) and d.day < _int(m.group(1)) <= 31:
            end = replace(d, day=_int(m.group(1)), start=0, end=0, text="")
            d = replace(d, until=end, end=m.end(), text=text[d.start:m.end()])
        if d.until is None and d.day and d.text[-1:].isdigit() and (m := _NUMERIC_END.match(text, d.end)):
            month, day = (int(m.group(1)) if m.group(1) else d.month), int(m.group(2))
            if (month or 0, day) > (d.month or 0, d.day) and 1 <= (month or 0) <= 12 and day <= 31:
                end = replace(d, month=month, day=day, start=0, end=0, text="")
                d = replace(d, until=end, end=m.end(), text=text[d.start:m.end()])
        if d.year is not None:
            last_year = d.year
        out.append(d)
        i += 1
    return out


def _between(text: str, a: int, b: int) -> str:
    # A weekday in brackets may sit between the two ends: "11 月 30 日（木）～12 月 12 日".
    return re.sub(r"^[(（][月火水木金土日][)）]", "", text[a:b]) if b >= a else "#"


def first_date(text: str) -> DateValue | None:
    """The first date in `text`, if any."""
    dates = find_dates(text)
    return dates[0] if dates else None


def date_from_parts(year: int | None, month: int | None = None, day: int | None = None) -> DateValue | None:
    """A DateValue built from stored parts (None when no part is known)."""
    if year is None and month is None:
        return None
    return DateValue(year, month, day)


# "本日", "同日", "翌19日", "前日17日", "翌日", "昨日20日", "明日22日": a day told relative to the page's own date or
# the last date before it.
RELATIVE_DAY = re.compile(r"(翌|前日|同|昨日|明日)\s*([0-9０-９]{1,2})\s*日|本日|今日|同日|翌日|前日|昨日|明日")
_BACK, _FORWARD = ("前", "昨"), ("翌", "明")
# A page's own date line in its head ("令和7年2月18日", "2025年2月18日（火）"): the day "本日" means.
# What may stand beside a page's own date on its line ("報道発表資料", "Press Release", "（金）", "付").
_DATE_LINE_WORDS = re.compile(r"報道発表資料|報道発表|発表|press release|news release|[（(][月火水木金土日][)）]|付け?|[\s:：・|｜]+",
                              re.I)
HEAD = 400  # where a page's own date line can stand: its head, before what it tells


def date_lines(text: str, head: int = HEAD) -> list[DateValue]:
    """The dates that stand alone on a line starting in a page's head (offsets into `text`): the page's own."""
    out: list[DateValue] = []
    for m in re.finditer(r"^.*$", text, re.M):
        if m.start() > head:
            break
        for d in find_dates(m.group(0)):
            rest = m.group(0)[:d.start] + m.group(0)[d.end:]
            if not _DATE_LINE_WORDS.sub("", rest):
                out.append(replace(d, start=d.start + m.start(), end=d.end + m.start()))
    return out


def page_date(text: str, head: int = HEAD) -> DateValue | None:
    """The date a page is issued on: a full date alone on a line of its head."""
    return next((d for d in date_lines(text, head) if d.year and d.month and d.day), None)


def relative_dates(text: str, anchor: DateValue | None) -> list[DateValue]:
    """The days a text tells relative to its page's date (`anchor`) or to the last full date before them."""
    if anchor is None or not (anchor.year and anchor.month and anchor.day):
        return []
    out: list[DateValue] = []
    full = [d for d in find_dates(text) if d.year and d.month and d.day]
    for m in RELATIVE_DAY.finditer(unicodedata.normalize("NFKC", text)):
        # "同日": the day told last before it, a relative one too ("本日…。同日午後…"); so are "前日13日" and "翌15日"
        # (the days before and after the event just told: "10月14日…。前日13日…。翌15日…" in a release of the 16th).
        told = sorted([d for d in full if d.end <= m.start()] + out, key=lambda d: d.start)
        base = told[-1] if told and (m.group(0).startswith("同") or (
            m.group(2) and m.group(1) in ("翌", "前日"))) else anchor
        if m.group(2) and m.group(1) in ("翌", "前日"):
            # "前日8日" is the day before a day that is the 9th: the last day told that fits, else the page's own
            # ("…2026年3月31日に期限を迎える…。前日8日…" in a release of July 9th is July 8th).
            step = 1 if m.group(1) == "翌" else -1
            fits = [d for d in [*reversed(told), anchor]
                    if (_dt.date(d.year, d.month, d.day) + _dt.timedelta(days=step)).day == int(m.group(2))]
            base = fits[0] if fits else base
        day0 = _dt.date(base.year, base.month, base.day)
        word, n = m.group(0), int(m.group(2)) if m.group(2) else None
        if n is not None:
            if not 1 <= n <= 31:
                continue
            month = day0.month + (1 if word.startswith(_FORWARD) and n < day0.day else 0) - (
                1 if word.startswith(_BACK) and n > day0.day else 0)
            year = day0.year + (month - 1) // 12
            month = (month - 1) % 12 + 1
            if n > calendar.monthrange(year, month)[1]:
                continue
            day = _dt.date(year, month, n)
        else:
            day = day0 + _dt.timedelta(days={"翌日": 1, "明日": 1, "前日": -1, "昨日": -1}.get(word, 0))
        out.append(DateValue(day.year, day.month, day.day, start=m.start(), end=m.end(), text=word))
    return out
