"""`Shiori`: the one API the UI, the CLI and the evals use (components loaded lazily, by settings)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from ingest.schema import Chunk, SourceDocument
from rag.chain import AnswerChain
from rag.types import Answer, Verdict
from shiori.settings import Settings, get_settings


class Shiori:
    """Answers, claim checks, documents and ingestion over one index."""

    def __init__(self, settings: Settings | None = None, *, embeddings=None, llm=None) -> None:
        self.settings = settings or get_settings()
        self._embeddings = embeddings
        self._llm = llm
        self._chain: AnswerChain | None = None
        self._lock = threading.RLock()
        # Separate locks so the two models can load at the same time (a cold CLI start overlaps them).
        self._embeddings_lock = threading.Lock()
        self._llm_lock = threading.Lock()

    # ---- components

    @property
    def embeddings(self):
        """The embedding model (loaded on first use)."""
        with self._embeddings_lock:
            if self._embeddings is None:
                from ingest.embeddings import load_embeddings

                self._embeddings = load_embeddings(self.settings)
            return self._embeddings

    def llm(self):
        """The chat model (loaded on first use; raises rag.llm.LLMError)."""
        with self._llm_lock:
            if self._llm is None:
                from rag.llm import build_chat_model

                self._llm = build_chat_model(self.settings)
            return self._llm

    @property
    def chain(self) -> AnswerChain:
        """The answer chain over the current indexes."""
        with self._lock:
            if self._chain is None:
                from ingest.pipeline import open_indexes
                from rag.retriever import HybridRetriever

                indexes = open_indexes(self.settings, embeddings=self.embeddings)
                retriever = HybridRetriever(indexes, self.embeddings, candidate_k=self.settings.candidate_k,
                                            rrf_k=self.settings.rrf_k)
                self._chain = AnswerChain(self.settings, retriever, self.llm, self.embeddings)
            return self._chain

    def preload_llm(self) -> threading.Thread:
        """Start loading the chat model and its cached prompt prefix in the background."""

        def load() -> None:
            try:
                from rag.llm import warm_up
                from rag.prompts import SYSTEM

                warm_up(self.llm(), SYSTEM)
            except Exception:  # noqa: BLE001 - the first question reports the error itself
                pass

        thread = threading.Thread(target=load, daemon=True, name="shiori-llm-preload")
        thread.start()
        return thread

    def warm_up(self) -> None:
        """Load both models, open the indexes and read the system prompt now (a server's start-up)."""
        llm = self.preload_llm()
        _ = self.chain
        self.embeddings.embed_query("warm-up")  # the first encode pays one-time set-up costs
        llm.join()

    # ---- questions

    def answer(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Answer:
        """Answer a question (with optional conversation history) from the documents."""
        return self.chain.answer(question, history)

    def stream(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Iterator[str | Answer]:
        """Yield answer tokens, then the final verified `Answer`."""
        return self.chain.stream(question, history)

    def check(self, claim: str) -> Verdict:
        """Check a claim against the documents."""
        from rag.claims import check

        return check(self.chain, claim)

    # ---- documents

    def documents(self):
        """The ingested documents with their chunk counts."""
        return self.chain.store.documents()

    def document(self, doc_id: str) -> SourceDocument | None:
        """One ingested document (its text is what citation offsets index into)."""
        return self.chain.store.document(doc_id)

    def meetings(self) -> list[Chunk]:
        """Every meeting-row chunk (for the timeline)."""
        return list(self.chain.rows)

    def ingest(self, paths: list[Path]):
        """Ingest files (e.g. uploads) and make them answerable at once."""
        from ingest.pipeline import ingest

        with self._lock:
            report = ingest(paths, self.settings, embeddings=self.embeddings, progress=False)
            self._chain = None  # reopen the indexes: BM25 and the store changed
        return report

    def health(self) -> dict[str, object]:
        """Whether the index opens and how big it is."""
        try:
            docs = self.documents()
            vectors = self.chain.retriever.dense.count()  # reaches Chroma: a down server is reported
            return {"status": "ok", "documents": len(docs), "chunks": sum(d.chunk_count for d in docs),
                    "vectors": vectors,
                    "llm_backend": self.settings.llm_backend, "chroma_mode": self.settings.chroma_mode}
        except Exception as e:  # noqa: BLE001 - health reports, never raises
            return {"status": "error", "error": f"{type(e).__name__}: {e}"}
