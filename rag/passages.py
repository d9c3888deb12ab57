"""Turning stored chunks into passages, and merging passages that touch in their source."""

from __future__ import annotations

from ingest.schema import Chunk
from rag.types import Passage


def to_passage(chunk: Chunk, score: float = 0.0, *, dense: float | None = None,
               bm25: float | None = None) -> Passage:
    """A `Passage` for a stored chunk with its retrieval scores."""
    return Passage(
        chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=chunk.title, text=chunk.text,
        start=chunk.start, end=chunk.end, index_text=chunk.index_text, kind=chunk.kind,
        section=chunk.section, dialogue=chunk.dialogue, meeting_number=chunk.meeting_number,
        year=chunk.year, month=chunk.month, venue=chunk.venue, score=score,
        dense_score=dense, bm25_score=bm25,
    )


def merge_adjacent(passages: list[Passage], doc_text: dict[str, str]) -> list[Passage]:
    """Merge prose passages of one document that touch (only whitespace between), keeping rank order.

    Rows are never merged: each is one meeting and its citation must name that meeting.
    """
    out: list[Passage] = []
    for p in passages:
        target = None
        if p.kind != "row":
            for i, q in enumerate(out):
                if q.kind == "row" or q.doc_id != p.doc_id:
                    continue
                text = doc_text.get(p.doc_id)
                if text is None:
                    continue
                lo, hi = (q, p) if q.start <= p.start else (p, q)
                if lo.end <= hi.start and not text[lo.end:hi.start].strip():
                    target = i
                    break
        if target is None:
            out.append(p)
            continue
        q = out[target]
        text = doc_text[p.doc_id]
        start, end = min(q.start, p.start), max(q.end, p.end)
        lo, hi = (q, p) if q.start <= p.start else (p, q)
        out[target] = q.model_copy(update={
            "chunk_id": f"{q.chunk_id}+{p.chunk_id}", "start": start, "end": end, "text": text[start:end],
            "index_text": f"{lo.index_text} {hi.index_text}", "score": max(q.score, p.score),
            "section": lo.section,
        })
    return out
