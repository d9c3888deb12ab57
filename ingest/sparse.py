"""BM25 over SudachiPy tokens (bm25s): build, save, load, search, document frequencies."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ingest.folders import replace_folder
from ingest.tokenizer import tokenize

_META = "shiori_sparse.json"
FORMAT_VERSION = 1


class SparseIndex:
    """A BM25 index whose documents are chunks, addressed by chunk_id."""

    def __init__(self) -> None:
        self.chunk_ids: list[str] = []
        self._df: dict[str, int] = {}
        self._bm25 = None  # bm25s.BM25, None while the index is empty

    @classmethod
    def build(cls, chunk_ids: Sequence[str], texts: Sequence[str]) -> SparseIndex:
        """Index `texts` (tokenized with ingest.tokenizer) under their chunk ids."""
        if len(chunk_ids) != len(texts):
            raise ValueError(f"{len(chunk_ids)} chunk ids for {len(texts)} texts")
        index = cls()
        index.chunk_ids = list(chunk_ids)
        corpus = [tokenize(t) for t in texts]
        index._df = dict(Counter(tok for toks in corpus for tok in set(toks)))
        if index._df:  # bm25s cannot index an empty vocabulary
            import bm25s

            bm25 = bm25s.BM25()
            # Pre-tokenized lists: bm25s must not apply its own (English, whitespace) splitter.
            bm25.index(corpus, show_progress=False)
            index._bm25 = bm25
        return index

    def __len__(self) -> int:
        return len(self.chunk_ids)

    @property
    def vocabulary_size(self) -> int:
        """How many distinct tokens the index holds."""
        return len(self._df)

    def vocabulary(self) -> list[str]:
        """Every token the index holds."""
        return list(self._df)

    def doc_freq(self, token: str) -> int:
        """In how many chunks `token` (already a tokenizer token) occurs."""
        return self._df.get(token, 0)

    def has_token(self, token: str) -> bool:
        """Whether `token` occurs in any chunk."""
        return token in self._df

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        """Top-k (chunk_id, BM25 score) for a query string; chunks with score 0 are never returned."""
        return self.search_tokens(tokenize(query), k)

    def search_tokens(self, tokens: Sequence[str], k: int = 10) -> list[tuple[str, float]]:
        """Like `search` for an already tokenized query."""
        if self._bm25 is None or k <= 0:
            return []
        vocab = self._bm25.vocab_dict
        ids = [vocab[t] for t in tokens if t in vocab and t != ""]
        if not ids:
            return []
        scores = np.asarray(self._bm25.get_scores(ids), dtype=np.float64)
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            # Top-k selection instead of sorting every hit (a 100k-chunk index has ~28k hits per query);
            # every hit tied with the k-th score is kept so the order below stays deterministic.
            kth = np.partition(scores[hits], len(hits) - k)[len(hits) - k]
            hits = hits[scores[hits] >= kth]
        # By score, then by position, so ties are deterministic.
        order = hits[np.lexsort((hits, -scores[hits]))][:k]
        return [(self.chunk_ids[i], float(scores[i])) for i in order.tolist()]

    def save(self, directory: Path) -> None:
        """Write the index to `directory`, replacing any index there atomically."""
        def fill(tmp: Path) -> None:
            meta = {"format": FORMAT_VERSION, "chunk_ids": self.chunk_ids, "doc_freq": self._df}
            (tmp / _META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            if self._bm25 is not None:
                self._bm25.save(str(tmp))

        replace_folder(directory, fill)

    @classmethod
    def load(cls, directory: Path) -> SparseIndex:
        """Read an index written by `save` (FileNotFoundError when there is none)."""
        directory = Path(directory)
        meta_path = directory / _META
        if not meta_path.is_file():
            raise FileNotFoundError(f"No BM25 index at {directory}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        index = cls()
        index.chunk_ids = list(meta["chunk_ids"])
        index._df = {str(k): int(v) for k, v in meta["doc_freq"].items()}
        if index._df:
            import bm25s

            index._bm25 = bm25s.BM25.load(str(directory))
        return index
