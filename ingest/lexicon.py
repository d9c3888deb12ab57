"""A cross-lingual lexicon of the index: every Japanese word of the BM25 vocabulary with its embedding, so
an English question word finds the documents' own word for it ("mercury" → 水銀, "population" → 人口).

Measured on the seed vocabulary: EmbeddingGemma puts the right Japanese word first for every one of 19
English topic and label words tried, with a clear margin (benchmarks/RESULTS.md); the 1.5B LLM's own
question translations failed their checks on 6 of 6 tries. Vectors are cached by word, so a rebuild
embeds only new words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ingest.embeddings import document_input
from ingest.folders import replace_folder

LEXICON_DIR = "lexicon"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_TERMS_FILE = "terms.json"
_VECTORS_FILE = "vectors.npy"


def lexicon_terms(vocabulary: Iterable[str]) -> list[str]:
    """The words worth mapping to: Japanese, at least two characters (one kanji says too little)."""
    return sorted(t for t in vocabulary if _JAPANESE.search(t) and len(t) >= 2)


class Lexicon:
    """Japanese index words and their unit embedding vectors."""

    def __init__(self, terms: Sequence[str], vectors: np.ndarray) -> None:
        self.terms = list(terms)
        self.vectors = vectors.astype(np.float32) if len(terms) else np.zeros((0, 1), np.float32)
        self._index = {t: i for i, t in enumerate(self.terms)}

    def __len__(self) -> int:
        return len(self.terms)

    @classmethod
    def build(cls, terms: Sequence[str], embeddings, previous: Lexicon | None = None,
              batch: int = 64) -> Lexicon:
        """Embed `terms` (reusing the vectors `previous` already has)."""
        known = previous._index if previous is not None else {}
        todo = [t for t in terms if t not in known]
        fresh: dict[str, np.ndarray] = {}
        for i in range(0, len(todo), batch):
            part = todo[i:i + batch]
            vecs = embeddings.embed_documents([document_input("none", t) for t in part])
            fresh.update(zip(part, (np.asarray(v, dtype=np.float32) for v in vecs), strict=True))
        if not terms:
            return cls([], np.zeros((0, 1), np.float32))
        rows = [fresh[t] if t in fresh else previous.vectors[known[t]] for t in terms]
        return cls(terms, np.vstack(rows))

    def nearest(self, vector: Sequence[float], k: int = 3) -> list[tuple[str, float]]:
        """The k index words closest to a (query) vector, with cosine similarity."""
        if not self.terms:
            return []
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        top = np.argsort(-sims)[:k]
        return [(self.terms[i], float(sims[i])) for i in top]

    def save(self, directory: Path) -> None:
        """Write the lexicon to `directory`, replacing any there atomically."""
        def fill(tmp: Path) -> None:
            (tmp / _TERMS_FILE).write_text(json.dumps(self.terms, ensure_ascii=False), encoding="utf-8")
            np.save(tmp / _VECTORS_FILE, self.vectors)

        replace_folder(directory, fill)

    @classmethod
    def load(cls, directory: Path) -> Lexicon | None:
        """Read a saved lexicon (None when there is none)."""
        directory = Path(directory)
        if not (directory / _TERMS_FILE).is_file() or not (directory / _VECTORS_FILE).is_file():
            return None
        terms = json.loads((directory / _TERMS_FILE).read_text(encoding="utf-8"))
        return cls(terms, np.load(directory / _VECTORS_FILE))
