"""Citations done by code: parse the model's [n] markers, drop the invalid ones, check every sentence
against the passages it cites, locate the supporting span, attach a citation where one clearly fits,
flag what nothing supports."""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ingest.embeddings import document_input
from ingest.tokenizer import tokenize
from rag.types import Citation, Passage, SentenceCheck

SUPPORTED = 0.5  # a sentence is supported when its best cited passage scores at least this
ATTACH = 0.6  # code attaches an uncited sentence to a passage only above this, and clearly ahead
_MARKER = re.compile(r"\s*[\[【](?:(?:passage|source|doc|ref)\s*)?(\d{1,2}(?:\s*[,、]\s*\d{1,2})*)[\]】]", re.I)
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=[.])(?=\s|$)|\n+")
_NUMBER = re.compile(r"\d+(?:[,.]\d+)*")
_PASSAGE_BREAK = re.compile(r"[^。！？\n]+[。！？]?")


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


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
    text = _nfkc(text)
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
    return found


def stated_counts(text: str, counts: frozenset[str] | set[str]) -> set[str]:
    """Which of `counts` the text states as a count ('8件', '8 meetings', '8回開催'), not as an ordinal
    ('第8回', '8th') or a date part: a count code derived is excused only where it is used as a count."""
    plain = _nfkc(text)
    return {n for n in counts
            if re.search(rf"(?<!第)(?<![\d.,]){re.escape(n)}(?![\d.,])(?!\s*(?:st|nd|rd|th)\b)(?!\s*[年月日])",
                         plain, re.I)}


def claimed_numbers(text: str) -> set[str]:
    """What a sentence claims: a month/day pair or an expanded magnitude stands for its parts."""
    found = numbers(text)
    plain = _nfkc(text)
    covered: set[str] = set()
    for m in [*_EN_DATE_DM.finditer(plain), *_EN_DATE_MD.finditer(plain), *_JA_DATE.finditer(plain),
              *_MAGNITUDE.finditer(plain)]:
        covered |= {n.replace(",", "") for n in _NUMBER.findall(m.group(0))}
    return found - covered


def strip_markers(text: str) -> str:
    """The text without [n] markers."""
    return _MARKER.sub("", text)


def split_sentences(text: str) -> list[str]:
    """Answer sentences; a marker right after the end punctuation stays with its sentence."""
    # Move markers written after the full stop ("…です。[1]") before it so they stay attached.
    text = re.sub(r"([。.!?！？])((?:\s*[\[【]\d{1,2}(?:\s*[,、]\s*\d{1,2})*[\]】])+)", r"\2\1", text)
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if p and strip_markers(p).strip(" 。.、,")]


def cited_numbers(sentence: str) -> list[int]:
    """The passage numbers a sentence cites, in order."""
    out: list[int] = []
    for m in _MARKER.finditer(_nfkc(sentence)):
        out.extend(int(x) for x in re.split(r"\s*[,、]\s*", m.group(1)))
    return list(dict.fromkeys(out))


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
    # Numbers code computed from the passages (e.g. how many meetings it counted): stated by none of
    # them, but a sentence may claim them.
    derived_numbers: frozenset[str] = frozenset()

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
        s_nums = claimed_numbers(plain) - stated_counts(plain, self.derived_numbers)
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

    def joint_score(self, sentence: str, passages: Sequence[Passage], single: Sequence[float]) -> float:
        """Support of a sentence by several cited passages together (a list or a count over many rows).

        Numbers and terms may come from any of them, and each must contribute one of its own unless the
        sentence states a derived number (a count covers every row it cites). `single` are the passages'
        own scores: the best stands in for similarity.
        """
        plain = strip_markers(sentence)
        claimed = claimed_numbers(plain)
        derived = stated_counts(plain, self.derived_numbers)
        s_terms = {t for t in tokenize(plain) if self.has_token(t) and not t.isdigit()}
        facts = [passage_facts_text(p) for p in passages]
        p_nums = [numbers(f) for f in facts]
        p_terms = [set(tokenize(f)) for f in facts]
        if not derived and any(not (claimed & n or s_terms & t) for n, t in zip(p_nums, p_terms, strict=True)):
            return 0.0
        num_share = len(claimed & (set().union(*p_nums) | derived)) / len(claimed) if claimed else None
        term_share = len(s_terms & set().union(*p_terms)) / len(s_terms) if s_terms else None
        invented = invented_forms(plain, self.has_token, passages)
        return _blend(num_share, term_share, max(single, default=0.0), bool(invented))


def _blend(num_share: float | None, term_share: float | None, similarity: float | None,
           invented: bool = False) -> float:
    """One support score from its parts (numbers 0.45, terms 0.3, similarity 0.25, re-weighted over those
    present); a number the passages do not state, or a made-up name, keeps it below SUPPORTED."""
    parts = [(w, v) for w, v in ((0.45, num_share), (0.3, term_share), (0.25, similarity)) if v is not None]
    score = sum(w * v for w, v in parts) / sum(w for w, _ in parts) if parts else 0.0
    if (num_share is not None and num_share < 1.0) or invented:
        score = min(score, SUPPORTED - 0.05)
    return round(score, 3)


def rarity(doc_freq: int) -> float:
    """How much a term says, from how many chunks hold it: rare terms weigh most."""
    return 1.0 / (1.0 + math.log1p(doc_freq))


def supporting_span(sentence: str, passage: Passage, doc_freq=None, subject: str = "") -> tuple[int, int]:
    """Offsets inside `passage.text` of the piece that best matches the sentence (rare terms count most).

    `subject` holds the terms the question is about (e.g. JCM): a piece that states them wins.
    """
    plain = strip_markers(sentence)
    subject_terms = {t for t in tokenize(subject) if not t.isdigit()}
    s_nums = numbers(plain)
    s_terms = {t for t in tokenize(plain) if not t.isdigit()}

    def weight(t: str) -> float:
        return rarity(doc_freq(t)) if doc_freq else 1.0

    best, best_score = (0, len(passage.text)), -1.0
    for m in _PASSAGE_BREAK.finditer(passage.text):
        piece = m.group(0)
        if not piece.strip():
            continue
        piece_terms = set(tokenize(piece))
        # Subject terms count above numbers: in a meeting row the year sits alone on its date line.
        score = (len(s_nums & numbers(piece)) + 1.5 * sum(weight(t) for t in s_terms & piece_terms)
                 + 3 * len(subject_terms & piece_terms)
                 + len(piece) / 10_000)
        if score > best_score:
            lead = len(piece) - len(piece.lstrip())
            best, best_score = (m.start() + lead, m.start() + len(piece.rstrip())), score
    return best


@dataclass
class Verified:
    """The outcome of citation verification for one answer."""

    text: str
    citations: list[Citation]
    sentences: list[SentenceCheck]


def verify(answer_text: str, context: Sequence[Passage], scorer: SupportScorer,
           span_hint: str = "", doc_freq=None) -> Verified:
    """Remove markers that point nowhere, check each sentence, attach or flag, renumber 1..k."""
    n_ctx = len(context)
    checks: list[tuple[str, list[int], float, bool, bool]] = []  # plain, ctx numbers, score, ok, repaired
    for sentence in split_sentences(_nfkc(answer_text)):
        plain = strip_markers(sentence).strip()
        cited = [n for n in cited_numbers(sentence) if 1 <= n <= n_ctx]
        scores = scorer.scores(plain, context)
        kept = [n for n in cited if scores[n - 1] >= SUPPORTED]
        counts = bool(stated_counts(plain, scorer.derived_numbers))
        if len(cited) > 1 and (counts or not kept):
            # Several citations may support a sentence together (a list); a count needs all it cites.
            joint = scorer.joint_score(plain, [context[n - 1] for n in cited], [scores[n - 1] for n in cited])
            if joint >= SUPPORTED:
                checks.append((plain, cited, joint, True, False))
                continue
        if kept:
            checks.append((plain, kept, max(scores[n - 1] for n in kept), True, False))
            continue
        ranked = sorted(range(n_ctx), key=lambda i: -scores[i])
        if ranked and scores[ranked[0]] >= ATTACH and (
                len(ranked) == 1 or scores[ranked[0]] - scores[ranked[1]] >= 0.05):
            checks.append((plain, [ranked[0] + 1], scores[ranked[0]], True, True))
        else:
            best = max((scores[n - 1] for n in cited), default=max(scores, default=0.0))
            checks.append((plain, cited, best, False, False))
    # Renumber the passages actually cited, in order of first use.
    order: dict[int, int] = {}
    for _, cited, _, _, _ in checks:
        for n in cited:
            order.setdefault(n, len(order) + 1)
    sentences, parts = [], []
    for plain, cited, score, ok, repaired in checks:
        new = [order[n] for n in cited]
        marks = "".join(f"[{m}]" for m in new)
        end = re.search(r"[。.!?！？]$", plain)
        body = plain[:-1] if end else plain
        parts.append(f"{body}{marks}{end.group(0) if end else ''}")
        sentences.append(SentenceCheck(text=plain, citations=new, supported=ok, score=score, repaired=repaired))
    citations = []
    for ctx_n, new_n in sorted(order.items(), key=lambda kv: kv[1]):
        p = context[ctx_n - 1]
        claims = [c.text for c in sentences if new_n in c.citations]
        span = supporting_span(" ".join(claims), p, doc_freq, span_hint)
        score = max((c.score for c in sentences if new_n in c.citations), default=0.0)
        citations.append(Citation(n=new_n, chunk_id=p.chunk_id, doc_id=p.doc_id, title=p.title, text=p.text,
                                  start=p.start, end=p.end, span_start=span[0], span_end=span[1],
                                  support=score, label=p.date_label))
    joiner = "" if any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in answer_text) else " "
    return Verified(joiner.join(parts), citations, sentences)
