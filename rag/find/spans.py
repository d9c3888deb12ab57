"""Spans of documents turned into citable passages: the chunk holding the span, or the chunks around it."""

from __future__ import annotations

from ingest.store import ChunkStore
from rag.find.passages import to_passage
from rag.types import Passage


class SpanLocator:
    """Finds the passage a cited span (document offsets) sits in."""

    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        self._chunks: dict[str, list] = {}
        self._texts: dict[str, str] = {}

    def _doc_chunks(self, doc_id: str) -> list:
        if doc_id not in self._chunks:
            self._chunks[doc_id] = self.store.chunks(doc_id)
        return self._chunks[doc_id]

    def passage(self, doc_id: str, start: int, end: int) -> Passage:
        """The smallest chunk holding [start, end); else one passage over the chunks it touches."""
        chunks = self._doc_chunks(doc_id)
        holding = [c for c in chunks if c.start <= start and end <= c.end]
        if holding:
            return to_passage(min(holding, key=lambda c: c.end - c.start), 1.0)
        touched = [c for c in chunks if c.start < end and start < c.end]
        if doc_id not in self._texts:
            doc = self.store.document(doc_id)
            self._texts[doc_id] = doc.text if doc else ""
        text = self._texts[doc_id]
        lo = min([start, *(c.start for c in touched)])
        hi = max([end, *(c.end for c in touched)])
        first = touched[0] if touched else (chunks[0] if chunks else None)
        base = to_passage(first, 1.0) if first else None
        chunk_id = "+".join(c.chunk_id for c in touched) or f"{doc_id}:{lo}-{hi}"
        title = base.title if base else doc_id
        return Passage(chunk_id=chunk_id, doc_id=doc_id, title=title, text=text[lo:hi], start=lo, end=hi,
                       index_text=text[lo:hi], section=base.section if base else None, score=1.0)
