"""Citations of an answer: statements joined with their [n] markers numbered over all cites, one number per
distinct span, each number opening the passage that holds its span."""

from __future__ import annotations

import re

from ingest.names import is_japanese
from ingest.schema import date_label
from rag.find.spans import SpanLocator
from rag.types import Citation, Cite, SentenceCheck, Statement


def number_marks(statements: list[Statement]) -> tuple[str, list[Cite]]:
    """Join statements into one text whose [n] markers run over all their cites, in order."""
    parts, cites = [], []
    for st in statements:
        offset = len(cites)
        parts.append(re.sub(r"\[(\d+)\]", lambda m, k=offset: f"[{int(m.group(1)) + k}]", st.text))
        cites.extend(st.cites)
    joiner = "" if any(is_japanese(p) for p in parts) else " "
    return joiner.join(parts), cites


class Citations:
    """Turns cites (document spans) into numbered citations of the passages holding them."""

    def __init__(self, locator: SpanLocator) -> None:
        self.locator = locator

    def citation(self, n: int, cite: Cite) -> Citation:
        """A numbered citation: the passage holding the cited span, and the span inside it."""
        p = self.locator.passage(cite.doc_id, cite.start, cite.end)
        label = None
        if cite.record is not None and (cite.record.number is not None or cite.record.date is not None):
            d = cite.record.date
            label = date_label(cite.record.number, d.year if d else None, d.month if d else None)
        return Citation(n=n, chunk_id=p.chunk_id, doc_id=p.doc_id, title=p.title, text=p.text, start=p.start,
                        end=p.end, span_start=max(0, cite.start - p.start), span_end=min(len(p.text), cite.end - p.start),
                        support=1.0, label=label or p.date_label)

    def number(self, statements: list[Statement]) -> tuple[str, list[Citation], list[SentenceCheck]]:
        """The answer text with one number per distinct span, its citations, and each sentence's numbers."""
        text, cites = number_marks(statements)
        citations: list[Citation] = []
        order: dict[tuple[str, int, int], int] = {}
        remap: dict[int, int] = {}
        for i, cite in enumerate(cites, start=1):
            key = (cite.doc_id, cite.start, cite.end)
            if key not in order:
                order[key] = len(order) + 1
                citations.append(self.citation(order[key], cite))
            remap[i] = order[key]
        text = re.sub(r"\[(\d+)\]", lambda m: f"[{remap.get(int(m.group(1)), int(m.group(1)))}]", text)
        text = re.sub(r"((?:\[\d+\])+)", lambda m: "".join(dict.fromkeys(re.findall(r"\[\d+\]", m.group(1)))), text)
        sentences = []
        for st in statements:
            n_before = sum(len(s.cites) for s in statements[: statements.index(st)])
            marks = sorted({remap[n_before + i] for i in range(1, len(st.cites) + 1)})
            plain = re.sub(r"\s*\[\d+\]", "", st.text)
            sentences.append(SentenceCheck(text=plain, citations=marks, supported=st.supported, score=st.score,
                                           repaired=st.repaired))
        return text, citations, sentences
