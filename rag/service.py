"""`Shiori`: the one API the UI, the CLI and the evals use (components loaded lazily, by settings)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from ingest.schema import Chunk, SourceDocument
from ingest.store import ChunkStore
from rag.chain import AnswerChain
from rag.types import Answer, AnswerStream, Verdict
from shiori.settings import Settings, get_settings


class Shiori:
    """Answers, claim checks, documents and ingestion over one index."""

    def __init__(self, settings: Settings | None = None, *, embeddings=None, llm=None) -> None:
        self.settings = settings or get_settings()
        self._embeddings = embeddings
        self._llm = llm
        self._chain: AnswerChain | None = None
        self._lock = threading.RLock()  # held briefly: swapping the chain
        self._ingest_lock = threading.Lock()  # one ingestion at a time; questions never wait for it
        self._store: ChunkStore | None = None
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
                from rag.llm.backends import build_chat_model

                self._llm = build_chat_model(self.settings)
            return self._llm

    def _open_chain(self) -> AnswerChain:
        from ingest.pipeline import open_indexes
        from rag.find.retriever import HybridRetriever

        indexes = open_indexes(self.settings, embeddings=self.embeddings)
        retriever = HybridRetriever(indexes, self.embeddings, candidate_k=self.settings.candidate_k,
                                    rrf_k=self.settings.rrf_k)
        return AnswerChain(self.settings, retriever, self.llm, self.embeddings)

    @property
    def chain(self) -> AnswerChain:
        """The answer chain over the current indexes."""
        with self._lock:
            if self._chain is None:
                self._chain = self._open_chain()
            return self._chain

    def _read_store(self) -> ChunkStore | None:
        """The chunk store for reading documents (SQLite only: no Chroma, no models), None before any ingest."""
        with self._lock:
            if self._store is None and ChunkStore.exists(self.settings.index_dir):
                self._store = ChunkStore(self.settings.index_dir)
            return self._store

    def preload_llm(self) -> threading.Thread:
        """Start loading the chat model and its cached prompt prefix in the background."""

        def load() -> None:
            try:
                from rag.llm.backends import warm_up
                from rag.llm.prompts import RENDER_SYSTEM

                warm_up(self.llm(), RENDER_SYSTEM)
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

    def stream(self, question: str, history: Sequence[tuple[str, str]] = ()) -> AnswerStream:
        """The answer as it is made: iterate it for text, then `.answer()` for the verified `Answer`."""
        return self.chain.stream(question, history)

    def check(self, claim: str) -> Verdict:
        """Check a claim against the documents."""
        from rag.check.claims import check

        return check(self.chain, claim)

    # ---- documents

    def documents(self):
        """The ingested documents with their chunk counts."""
        store = self._read_store()
        return store.documents() if store is not None else []

    def document(self, doc_id: str) -> SourceDocument | None:
        """One ingested document (its text is what citation offsets index into)."""
        store = self._read_store()
        return store.document(doc_id) if store is not None else None

    def meetings(self) -> list[Chunk]:
        """Every meeting-row chunk (for the timeline)."""
        return list(self.chain.rows)

    def ingest(self, paths: list[Path], *, replace: bool = False,
               on_progress: Callable[[str, int, int], None] | None = None):
        """Ingest files (e.g. uploads); questions go on meanwhile over the old index, then see the new one."""
        from ingest.pipeline import ingest

        with self._ingest_lock:
            from rag.llm.translate import LLMTranslator

            try:
                translator = LLMTranslator(self.llm()) if self.settings.translate_names else None
            except Exception:  # noqa: BLE001 - no LLM: documents ingest without translated names
                translator = None
            report = ingest(paths, self.settings, embeddings=self.embeddings, progress=False, replace=replace,
                            on_progress=on_progress, translator=translator)
            # Readers kept the old chain while the new index was written; it is committed now.
            try:
                fresh = self._open_chain() if report.changed else None
            except Exception:  # noqa: BLE001 - e.g. Chroma down: the next question opens it (and says why)
                fresh = None
                with self._lock:
                    self._chain = None
            if fresh is not None:
                with self._lock:
                    self._chain = fresh
        return report

    def health(self) -> dict[str, object]:
        """Each part's state (store, Chroma, models): status "ok", or "down" naming the parts that are down."""
        from rag.health import health_report

        return health_report(self.settings, embeddings_loaded=self._embeddings is not None,
                             llm_loaded=self._llm is not None)
