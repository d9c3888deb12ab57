"""Turning stored chunks into passages."""

from __future__ import annotations

from dataclasses import fields

from ingest.schema import Chunk, MeetingFields
from rag.types import Passage


def to_passage(chunk: Chunk, score: float = 0.0, *, dense: float | None = None,
               bm25: float | None = None) -> Passage:
    """A `Passage` for a stored chunk with its retrieval scores."""
    return Passage(
        chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=chunk.title, text=chunk.text,
        start=chunk.start, end=chunk.end, index_text=chunk.index_text, kind=chunk.kind,
        **{f.name: getattr(chunk, f.name) for f in fields(MeetingFields)}, score=score,
        dense_score=dense, bm25_score=bm25,
    )
