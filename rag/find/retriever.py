"""Hybrid retrieval: dense (Chroma) and BM25 (SudachiPy tokens), fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.schema import Chunk
from ingest.tokenizer import tokenize
from rag.find.passages import to_passage
from rag.types import Passage


@dataclass(frozen=True)
class Ranked:
    """One fused hit before it becomes a passage."""

    chunk_id: str
    score: float
    dense: float | None
    bm25: float | None


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = 60) -> dict[str, float]:
    """RRF: each list adds 1/(k + rank) to the items it ranks (rank from 1)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank)
    return scores


class HybridRetriever:
    """Dense + sparse retrieval over the indexes of one index directory."""

    def __init__(self, indexes, embeddings, *, candidate_k: int = 20, rrf_k: int = 60) -> None:
        self.store = indexes.store
        self.dense = indexes.dense
        self.sparse = indexes.sparse
        self.embeddings = embeddings
        self.candidate_k = candidate_k
        self.rrf_k = rrf_k

    def embed(self, query: str) -> list[float]:
        """The query vector (with the model's query prompt)."""
        return self.embeddings.embed_query(query)

    def rank(self, query: str, vector: Sequence[float] | None = None,
             where: dict | None = None, k: int | None = None) -> list[Ranked]:
        """Fused ranking of chunk ids; BM25 only contributes chunks with a non-zero score."""
        k = k or self.candidate_k
        vector = vector if vector is not None else self.embed(query)
        dense = self.dense.search_by_vector(vector, k, where=where)
        sparse = self.sparse.search_tokens(tokenize(query), k) if self.sparse is not None else []
        if where:
            allowed = {cid for cid, _ in dense} | self._ids_matching(where)
            sparse = [(cid, s) for cid, s in sparse if cid in allowed]
        fused = reciprocal_rank_fusion([[c for c, _ in dense], [c for c, _ in sparse]], self.rrf_k)
        dmap, smap = dict(dense), dict(sparse)
        order = sorted(fused, key=lambda c: (-fused[c], -(dmap.get(c) or 0.0)))
        return [Ranked(c, fused[c], dmap.get(c), smap.get(c)) for c in order]

    def _ids_matching(self, where: dict) -> set[str]:
        return {c.chunk_id for c in self.store.chunks() if _matches(c, where)}

    def passages(self, ranked: Sequence[Ranked]) -> list[Passage]:
        """Ranked hits as passages, in the same order."""
        chunks = {c.chunk_id: c for c in self.store.chunks_by_ids([r.chunk_id for r in ranked])}
        return [to_passage(chunks[r.chunk_id], r.score, dense=r.dense, bm25=r.bm25)
                for r in ranked if r.chunk_id in chunks]

    def retrieve(self, query: str, k: int = 5, vector: Sequence[float] | None = None,
                 where: dict | None = None) -> list[Passage]:
        """Top-k fused passages for a query."""
        return self.passages(self.rank(query, vector, where)[:k])

    def dense_scores(self, vector: Sequence[float], chunk_ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of the query to specific chunks (for ordering gathered rows)."""
        if not chunk_ids:
            return {}
        hits = self.dense.search_by_vector(vector, len(chunk_ids), where={"chunk_id": {"$in": list(chunk_ids)}})
        return dict(hits)


def _matches(chunk: Chunk, where: dict) -> bool:
    for key, want in where.items():
        if key == "$and":
            if not all(_matches(chunk, w) for w in want):
                return False
            continue
        value = getattr(chunk, key, None)
        if isinstance(want, dict) and "$in" in want:
            if value not in want["$in"]:
                return False
        elif value != want:
            return False
    return True
