"""Hybrid retrieval: dense (Chroma) and BM25 (SudachiPy tokens), fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

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


def fuse(rankings: Sequence[Sequence[str]], dense: dict[str, float], sparse: dict[str, float],
         k: int = 60, unseen: dict[str, int] | None = None) -> list[Ranked]:
    """Rankings fused by reciprocal rank, best first (ties: the higher dense score first). `unseen`: chunks a
    ranking could not see (BM25 and a text in the other language), with the rank to count for them there."""
    fused = reciprocal_rank_fusion(rankings, k)
    for cid, rank in (unseen or {}).items():
        fused[cid] = fused.get(cid, 0.0) + 1.0 / (k + rank)
    order = sorted(fused, key=lambda c: (-fused[c], -(dense.get(c) or 0.0)))
    return [Ranked(c, fused[c], dense.get(c), sparse.get(c)) for c in order]


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
             where: dict | None = None, k: int | None = None, tokens: Sequence[str] | None = None) -> list[Ranked]:
        """Fused ranking of chunk ids; BM25 (on `tokens`, the query's words when read already) only
        contributes chunks with a non-zero score."""
        k = k or self.candidate_k
        vector = vector if vector is not None else self.embed(query)
        dense = self.dense.search_by_vector(vector, k, where=where)
        words = list(tokens) if tokens is not None else tokenize(query)
        sparse = self.sparse.search_tokens(words, k) if self.sparse is not None else []
        if where:
            allowed = {cid for cid, _ in dense} | self._ids_matching(where)
            sparse = [(cid, s) for cid, s in sparse if cid in allowed]
        return fuse([[c for c, _ in dense], [c for c, _ in sparse]], dict(dense), dict(sparse), self.rrf_k,
                    self._unseen_by_words(query, dense, sparse))

    def _unseen_by_words(self, query: str, dense: Sequence[tuple[str, float]],
                         sparse: Sequence[tuple[str, float]]) -> dict[str, int]:
        """For a Japanese query, dense hits in English: BM25 cannot match their words, so their dense rank stands
        in for the BM25 vote they could not get (else fusion buries an English page under every Japanese one).
        An English question needs none: it is also asked in its Japanese rendering, whose BM25 reads the
        Japanese pages."""
        seen = {cid for cid, _ in sparse}
        ids = [cid for cid, _ in dense if cid not in seen]
        if not ids or not sparse or not _japanese(query):
            return {}
        # Only where meaning ranks it above every chunk BM25 found: then the words could not say, not did not.
        best_seen = max((score for cid, score in dense if cid in seen), default=float("-inf"))
        texts = {c.chunk_id: c.text for c in self.store.chunks_by_ids(ids)}
        return {cid: rank for rank, (cid, score) in enumerate(dense, start=1)
                if cid in texts and score > best_seen and not _japanese(texts[cid])}

    def retrieve_all(self, queries: Sequence[tuple[str, Sequence[str]]], k: int) -> list[Passage]:
        """Top-k passages for several renderings of one question ((text, its words) each), their
        rankings fused by reciprocal rank; each chunk keeps its best dense and BM25 score."""
        rankings: list[list[str]] = []
        dense: dict[str, float] = {}
        bm25: dict[str, float] = {}
        for text, tokens in queries:
            hits = self.rank(text, self.embed(text), tokens=tokens)
            for hit in hits:
                dense[hit.chunk_id] = max(dense.get(hit.chunk_id, -1.0), hit.dense or -1.0)
                if hit.bm25:
                    bm25[hit.chunk_id] = max(bm25.get(hit.chunk_id, 0.0), hit.bm25)
            rankings.append([h.chunk_id for h in hits])
        fused = fuse(rankings, dense, bm25, self.rrf_k)[: max(k, 1) * 2]
        # -1 stands for "no dense score" while fusing (it sorts last among ties).
        ranked = [replace(r, dense=r.dense if r.dense is not None and r.dense > -1 else None) for r in fused]
        # Chunks stay apart: each keeps its own section, which says what its values are about.
        return self.passages(ranked)[:k]

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


def _japanese(text: str) -> bool:
    """Whether a text is mostly Japanese (kana and kanji among its letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in letters) > len(letters) / 3


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
