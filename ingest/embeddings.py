"""EmbeddingGemma (or any sentence-transformers model) as a langchain `Embeddings`."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from shiori.models import NATIVE_LOAD, require_embedding
from shiori.settings import Settings

# Never reach for a model hub at run time: models are local folders.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def document_input(title: str, text: str) -> str:
    """The document string in EmbeddingGemma's own format, with the title in its title slot."""
    return f"title: {title or 'none'} | text: {text}"


class SentenceTransformerEmbeddings(Embeddings):
    """Query/document embeddings with the model's own prompts; documents arrive already formatted."""

    def __init__(self, path: Path, *, dtype: str = "float32", batch_size: int = 16,
                 query_prompt: str = "query", threads: int | None = None) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        self.path = Path(path)
        self.batch_size = batch_size
        self.query_prompt = query_prompt
        self._lock = threading.Lock()  # one encode at a time: the model is not re-entrant on 2 cores
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True,
                                         model_kwargs={"torch_dtype": getattr(torch, dtype)})
        dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(dim())
        self.prompts = dict(self.model.prompts or {})

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed pre-formatted document strings (see `document_input`)."""
        with self._lock:
            vecs = self.model.encode(list(texts), batch_size=self.batch_size, prompt="",
                                     normalize_embeddings=True, convert_to_numpy=True)
        return vecs.astype("float32").tolist()

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Embed several short queries at once (with the model's query prompt)."""
        kwargs = {"prompt_name": self.query_prompt} if self.query_prompt in self.prompts else {}
        with self._lock:
            vecs = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, **kwargs)
        return vecs.astype("float32").tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed a question with the model's query prompt."""
        kwargs = {"prompt_name": self.query_prompt} if self.query_prompt in self.prompts else {}
        with self._lock:
            vec = self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True, **kwargs)[0]
        return vec.astype("float32").tolist()


@lru_cache(maxsize=4)
def _load(path: str, dtype: str, batch_size: int, query_prompt: str, threads: int) -> SentenceTransformerEmbeddings:
    return SentenceTransformerEmbeddings(Path(path), dtype=dtype, batch_size=batch_size,
                                         query_prompt=query_prompt, threads=threads)


@lru_cache(maxsize=4)
def _load_openvino(path: str, batch_size: int, query_prompt: str, threads: int) -> Embeddings:
    from ingest.openvino_embeddings import OpenVINOEmbeddings

    return OpenVINOEmbeddings(Path(path), batch_size=batch_size, query_prompt=query_prompt, threads=threads)


def load_embeddings(settings: Settings) -> Embeddings:
    """The process-wide embedding model for these settings and backend (verified, loaded once)."""
    if settings.embedding_backend != "torch":
        from ingest.embedding_export import require_export

        path = require_export(settings, settings.embedding_backend)
        with NATIVE_LOAD:
            return _load_openvino(str(path), settings.embedding_batch_size, settings.embedding_query_prompt,
                                  settings.llm_threads)
    path = require_embedding(settings)
    with NATIVE_LOAD:
        return _load(str(path), settings.embedding_dtype, settings.embedding_batch_size,
                     settings.embedding_query_prompt, settings.llm_threads)
