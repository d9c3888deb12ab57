"""Child process for the kill -9 tests: ingest with fake embeddings, announce each write, pause at one.

Usage: python tests/reliability/_ingest_child.py CORPUS INDEX MODEL_DIR PAUSE_AT
PAUSE_AT is "chroma" (after a document's vectors are written, before its store commit), "store" (after
its store commit, before the BM25 rebuild) or "none". The parent sends SIGKILL while the child pauses.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ingest import pipeline
from ingest.dense import DenseIndex
from ingest.store import ChunkStore
from shiori.settings import Settings
from tests.fakes import HashEmbeddings


def main() -> None:
    """Run one ingestion, printing `chroma DOC` / `store DOC` after each write and `done` at the end."""
    corpus, index, model, pause_at = sys.argv[1:5]
    real_add, real_upsert = DenseIndex.add_chunks, ChunkStore.upsert_document

    def announce(stage: str, doc_id: str) -> None:
        print(f"{stage} {doc_id}", flush=True)
        if stage == pause_at:
            time.sleep(120)  # the parent kills the process here; it never resumes

    def add_chunks(self, chunks, **kw):
        n = real_add(self, chunks, **kw)
        announce("chroma", chunks[0].doc_id)
        return n

    def upsert_document(self, doc, chunks, **kw):
        real_upsert(self, doc, chunks, **kw)
        announce("store", doc.doc_id)

    DenseIndex.add_chunks = add_chunks
    ChunkStore.upsert_document = upsert_document
    settings = Settings(corpus_dir=Path(corpus), index_dir=Path(index), embedding_model_path=Path(model),
                        cache_dir=Path(index).parent / "cache")
    report = pipeline.ingest(None, settings, embeddings=HashEmbeddings(), progress=False)
    print(f"done {report.chunks_total}", flush=True)


if __name__ == "__main__":
    main()
