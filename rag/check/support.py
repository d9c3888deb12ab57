"""Whether passages support a sentence, by code: the numbers and dates it claims (compared as dates and
with their scale), its words the index knows, embedding similarity, and names the model made up.

Used to check a model's sentence phrased from text, and to score the baseline's answers the same way.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ingest.cleaner import nfkc
from ingest.embeddings import document_input
from ingest.tokenizer import tokenize
from rag.read.vocabulary import COUNTED_PEOPLE, NOT_COUNTS, UNITS_EN
from rag.types import Passage

SUPPORTED = 0.5  # a sentence is supported when its best cited passage scores at least this
_MARKER = re.compile(r"\s*[\[【](?:(?:passage|source|doc|ref)\s*)?(\d{1,2}(?:\s*[,、]\s*\d{1,2})*)[\]】]", re.I)
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=[.])(?=\s|$)|\n+")
_NUMBER = re.compile(r"\d+(?:[,.]\d+)*")
# A name's number ("JMEM5", "COP27", "TEMM-19") is part of the name, not a value stated (a fiscal year is one).
_CODE = re.compile(r"(?<![A-Za-z])(?!FY)[A-Z][A-Za-z]*[A-Z][-‐–]?\d+(?![\d.,])")
_PASSAGE_BREAK = re.compile(r"[^。！？\n]+[。！？]?")


_ERA = re.compile(r"(令和|平成|昭和)\s*(\d{1,2}|元)\s*年")
_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925}


_MONTHS = {calendar.month_name[i].lower(): i for i in range(1, 13)}
_MONTH_RE = "|".join(sorted({*_MONTHS, *(m[:3] for m in _MONTHS)}, key=len, reverse=True))
_JA_DATE = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_EN_DATE_DM = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?\b", re.I)
_EN_DATE_MD = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)
_MAGNITUDE = re.compile(r"(\d+(?:[.,]\d+)*)\s*(万|億|千|million|billion|thousand)", re.I)
_SCALE = {"万": 10_000, "億": 100_000_000, "千": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "thousand": 1_000}


def _month(name: str) -> int:
    name = name.lower()
    return _MONTHS.get(name) or next(i for m, i in _MONTHS.items() if m.startswith(name))


def numbers(text: str) -> set[str]:
    """The numbers a text states, normalized: NFKC, no thousands separators, era years also as AD,
    dates as month/day pairs ('m12d6' for 12月6日 and 6 December) and magnitudes expanded
    (117万 and 1.17 million are both 1170000), so a wrong day or scale is not 'supported'."""
    text = nfkc(text)
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    for era, year in _ERA.findall(text):
        found.add(str(_ERA_BASE[era] + (1 if year == "元" else int(year))))
    for month, day in _JA_DATE.findall(text):
        found.add(f"m{int(month)}d{int(day)}")
    for day, month in _EN_DATE_DM.findall(text):
        found.add(f"m{_month(month)}d{int(day)}")
    for month, day in _EN_DATE_MD.findall(text):
        found.add(f"m{_month(month)}d{int(day)}")
    for value, unit in _MAGNITUDE.findall(text):
        amount = float(value.replace(",", "")) * _SCALE[unit.lower()]
        found.add(str(round(amount)))
    for m in _COMPOUND.finditer(text):  # "1億8,000万", "13万5千": one amount written in parts
        total = sum(float(n.replace(",", "")) * _SCALE[u] for n, u in re.findall(r"(\d+(?:[.,]\d+)*)\s*(億|万|千)", m.group(0)))
        found.add(str(round(total)))
    return found


_COMPOUND = re.compile(r"\d+(?:[.,]\d+)*\s*(?:億|万)\s*\d+(?:[.,]\d+)*\s*(?:万|千)")


def claimed_numbers(text: str) -> set[str]:
    """What a sentence claims: a month/day pair or an expanded magnitude stands for its parts."""
    found = numbers(text)
    plain = nfkc(text)
    covered: set[str] = set()
    for m in [*_EN_DATE_DM.finditer(plain), *_EN_DATE_MD.finditer(plain), *_JA_DATE.finditer(plain),
              *_MAGNITUDE.finditer(plain)]:
        covered |= {n.replace(",", "") for n in _NUMBER.findall(m.group(0))}
    return found - covered


def unstated_numbers(claim: str, texts: Sequence[str]) -> set[str]:
    """The numbers a claim states that none of the texts does (an era year counts as its AD year)."""
    claim = _ERA.sub(lambda m: f"{_ERA_BASE[m.group(1)] + (1 if m.group(2) == '元' else int(m.group(2)))}年", nfkc(claim))
    said: set[str] = set().union(*(numbers(t) for t in texts)) if texts else set()
    return claimed_numbers(_CODE.sub(" ", claim)) - said


def counted(text: str) -> list[tuple[str, str, str]]:
    """(number, unit as its English word, as written) of each count a text states with a counter ("120 世帯",
    "200 households", "14名"); money, years and percentages are amounts and dates, not counts."""
    out = []
    text = nfkc(text)
    for m in re.finditer(r"(?<![\d.,])(\d[\d,]*)\s*([\u3040-\u9fff\u30a0-\u30ff]{1,3}|[A-Za-z]+)", text):
        raw, unit = m.group(1).replace(",", ""), m.group(2)
        if not unit.isascii():
            # a one-letter counter ends its word ("人", not the "人" of "人口")
            unit = next((ja for ja in UNITS_EN if unit.startswith(ja) and (
                len(ja) > 1 or not re.match(r"[\u4e00-\u9fff\u30a0-\u30ff]", unit[1:2]))), "")
        if word := unit_word(unit):
            out.append((raw, word, text[m.start():m.start(2)] + unit))
    return out


_COUNT_WORDS_EN = frozenset(UNITS_EN.values())


def unit_word(unit: str | None) -> str | None:
    """A counter or unit as its English word ("世帯" → "households", "名" → "people"), if it counts things."""
    if not unit:
        return None
    word = UNITS_EN.get(unit) or (unit.lower() if unit.lower() in _COUNT_WORDS_EN else None) or (
        "people" if unit.lower() in COUNTED_PEOPLE else None)
    return word if word not in NOT_COUNTS else None


def strip_markers(text: str) -> str:
    """The text without [n] markers."""
    return _MARKER.sub("", text)


def split_sentences(text: str) -> list[str]:
    """Answer sentences; a marker right after the end punctuation stays with its sentence."""
    # Move markers written after the full stop ("…です。[1]") before it so they stay attached.
    text = re.sub(r"([。.!?！？])((?:\s*[\[【]\d{1,2}(?:\s*[,、]\s*\d{1,2})*[\]】])+)", r"\2\1", text)
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if p and strip_markers(p).strip(" 。.、,")]


def passage_facts_text(p: Passage) -> str:
    """What the model saw of a passage: header (title, meeting, date, venue) and text."""
    return " ".join(x for x in (p.title, p.dialogue, p.date_label, p.venue, p.index_text) if x)


_KATAKANA_WORD = re.compile(r"[\u30a0-\u30ff]{3,}")


def _is_chinese_only(ch: str) -> bool:
    """An ideograph Japanese text does not use (simplified Chinese, e.g. 环 for 環): not in cp932."""
    if not "\u3400" <= ch <= "\u9fff":
        return False
    try:
        ch.encode("cp932")
    except UnicodeEncodeError:
        return True
    return False


def invented_forms(sentence: str, has_token, passages: Sequence[Passage]) -> list[str]:
    """Written forms the model made up: katakana words (foreign names) the index never saw, and Chinese-only
    ideographs the passages do not contain ('ダーレン' for ダーバン, '乌兰巴特' for ウランバートル)."""
    seen = "".join(p.text for p in passages)
    out = [t for t in tokenize(sentence) if _KATAKANA_WORD.fullmatch(t) and not has_token(t)]
    out += [ch for ch in sentence if _is_chinese_only(ch) and ch not in seen]
    return out


@dataclass
class SupportScorer:
    """Scores how well a passage supports a sentence: numbers, shared terms, embedding similarity."""

    embeddings: object | None
    has_token: object

    def __post_init__(self) -> None:
        self._pvec: dict[str, np.ndarray] = {}

    def _vec_passages(self, passages: Sequence[Passage]) -> None:
        todo = [p for p in passages if p.chunk_id not in self._pvec]
        if self.embeddings is None or not todo:
            return
        vecs = self.embeddings.embed_documents(
            [document_input(p.title, passage_facts_text(p)) for p in todo])
        for p, v in zip(todo, vecs, strict=True):
            self._pvec[p.chunk_id] = np.asarray(v, dtype=np.float32)

    def scores(self, sentence: str, passages: Sequence[Passage]) -> list[float]:
        """Support score in [0, 1] of each passage for the sentence."""
        if not passages:
            return []
        plain = strip_markers(sentence)
        s_nums = claimed_numbers(plain)
        s_terms = {t for t in tokenize(plain) if self.has_token(t) and not t.isdigit()}
        invented = invented_forms(plain, self.has_token, passages)
        sims = [None] * len(passages)
        if self.embeddings is not None:
            self._vec_passages(passages)
            q = np.asarray(self.embeddings.embed_query(plain), dtype=np.float32)
            sims = [float(self._pvec[p.chunk_id] @ q) for p in passages]
        out = []
        for p, sim in zip(passages, sims, strict=True):
            facts = passage_facts_text(p)
            num_share = len(s_nums & numbers(facts)) / len(s_nums) if s_nums else None
            term_share = len(s_terms & set(tokenize(facts))) / len(s_terms) if s_terms else None
            similarity = None if sim is None else min(1.0, max(0.0, (sim - 0.25) / 0.35))
            out.append(_blend(num_share, term_share, similarity, bool(invented)))
        return out

def _blend(num_share: float | None, term_share: float | None, similarity: float | None,
           invented: bool = False) -> float:
    """One support score from its parts (numbers 0.45, terms 0.3, similarity 0.25, re-weighted over those
    present); a number the passages do not state, or a made-up name, keeps it below SUPPORTED."""
    parts = [(w, v) for w, v in ((0.45, num_share), (0.3, term_share), (0.25, similarity)) if v is not None]
    score = sum(w * v for w, v in parts) / sum(w for w, _ in parts) if parts else 0.0
    if (num_share is not None and num_share < 1.0) or invented:
        score = min(score, SUPPORTED - 0.05)
    return round(score, 3)
