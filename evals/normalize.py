"""The match normalization used by every eval check: NFKC, case folding, no whitespace, digit boundaries."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_WHITESPACE = re.compile(r"\s+")
# Zero-width characters survive NFKC and \s; scraped pages carry them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalize(text: str) -> str:
    """NFKC, case-fold and remove all whitespace, so '令和 5 年' == '令和5年' and 'ＪＣＭ' == 'jcm'."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return _WHITESPACE.sub("", text.casefold())


def _is_digits(text: str) -> bool:
    return bool(text) and all("0" <= c <= "9" for c in text)


def contains(haystack: str, needle: str) -> bool:
    """Whether `needle` occurs in `haystack` after normalization; an all-digit needle must not touch digits."""
    h, n = normalize(haystack), normalize(needle)
    if not n:
        return False  # an empty alternative would make every answer correct
    if _is_digits(n):
        # "8" must not match "2018": the digits around the hit must not be digits.
        return re.search(rf"(?<![0-9]){re.escape(n)}(?![0-9])", h) is not None
    return n in h


def satisfies(answer: str, must_include: Sequence[Sequence[str]]) -> bool:
    """Whether every group has an alternative that occurs in `answer` (an empty list is never satisfied)."""
    if not must_include:
        return False
    return all(any(contains(answer, alt) for alt in group) for group in must_include)


def quotes_in(text: str, quotes: Iterable[str]) -> list[str]:
    """The evidence quotes that occur in `text` (same normalization)."""
    return [q for q in quotes if contains(text, q)]


def supports(passage_text: str, quotes: Iterable[str]) -> bool:
    """Whether a passage contains at least one evidence quote."""
    return bool(quotes_in(passage_text, quotes))
