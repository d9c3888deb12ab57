"""Chroma (via langchain-chroma) as the dense index, with a manifest that pins model, dimension and chunker."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from ingest.embeddings import document_input
from ingest.schema import Chunk
from shiori.settings import Settings

CHROMA_DIR = "chroma"
_GET_PAGE = 1000
EmbedProgress = Callable[[int, int], None]  # (chunks embedded so far, total)


class IndexMismatchError(RuntimeError):
    """The index on disk was built with another embedding model, dimension or chunker."""


class IndexUnavailableError(RuntimeError):
    """The Chroma server cannot be reached; the message says where and what to do."""


class IndexNotFoundError(RuntimeError):
    """There is no index yet where the settings point."""


@dataclass(frozen=True)
class IndexManifest:
    """What the vectors in a collection depend on; stored as the collection's metadata."""

    embedding_model: str
    embedding_dim: int
    chunker_version: str
    # How the vectors were computed: torch, or a local export and its quantisation (openvino[-int8]).
    embedding_backend: str = "torch"

    def to_metadata(self) -> dict[str, str | int]:
        """As Chroma collection metadata."""
        return {"embedding_model": self.embedding_model, "embedding_dim": self.embedding_dim,
                "chunker_version": self.chunker_version, "embedding_backend": self.embedding_backend}

    @classmethod
    def from_metadata(cls, meta: dict[str, Any] | None) -> IndexManifest | None:
        """Read a manifest back; None when the collection carries none."""
        meta = meta or {}
        if not {"embedding_model", "embedding_dim", "chunker_version"} <= meta.keys():
            return None
        # Indexes from before the backend was recorded were all embedded by torch.
        return cls(str(meta["embedding_model"]), int(meta["embedding_dim"]), str(meta["chunker_version"]),
                   str(meta.get("embedding_backend", "torch")))

    def same_vectors(self, other: IndexManifest) -> bool:
        """Whether vectors of `other` can be searched with this manifest's model (the chunker aside)."""
        return (self.embedding_model, self.embedding_dim, self.embedding_backend) == (
            other.embedding_model, other.embedding_dim, other.embedding_backend)

    def describe(self) -> str:
        """Human form: 'model M (dim N, backend B, chunker V)'."""
        return (f"model {self.embedding_model} (dim {self.embedding_dim}, backend {self.embedding_backend}, "
                f"chunker {self.chunker_version})")


def model_identity(settings: Settings) -> str:
    """The embedding model as recorded in the manifest: configured name plus the model folder's name."""
    return f"{settings.embedding_model_name}@{settings.embedding_path.name}"


def stored_manifest(settings: Settings) -> IndexManifest | None:
    """The manifest of the existing collection (None when there is none), read without loading a model."""
    client = make_client(settings)
    if settings.chroma_collection not in {c if isinstance(c, str) else c.name for c in client.list_collections()}:
        return None
    return IndexManifest.from_metadata(client.get_collection(settings.chroma_collection).metadata)


def embedding_dimension(embeddings: Embeddings) -> int:
    """The vector width of an `Embeddings` (its `dimension` attribute, else one probe embedding)."""
    dim = getattr(embeddings, "dimension", None)
    return int(dim) if dim else len(embeddings.embed_query("dimension probe"))


def make_client(settings: Settings) -> chromadb.ClientAPI:
    """A persistent client at index_dir/chroma (embedded) or an HTTP client (server mode)."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.chroma_mode == "server":
        headers = {}
        if settings.chroma_token is not None and settings.chroma_token.get_secret_value():
            headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                       ssl=settings.chroma_ssl, headers=headers or None, settings=chroma_settings)
        except Exception as e:  # chromadb raises ValueError/ConnectionError: say where we were pointing
            raise IndexUnavailableError(
                f"Chroma server at {_location(settings)} is not reachable ({e}). Start it (`chroma run`), "
                "or set SHIORI_CHROMA_MODE=embedded.") from e
    path = Path(settings.index_dir) / CHROMA_DIR
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _location(settings: Settings) -> str:
    if settings.chroma_mode == "server":
        scheme = "https" if settings.chroma_ssl else "http"
        return f"{scheme}://{settings.chroma_host}:{settings.chroma_port} (collection {settings.chroma_collection!r})"
    return str(Path(settings.index_dir) / CHROMA_DIR)


class DenseIndex:
    """Chunk vectors in a Chroma collection (cosine space), ids = chunk ids, metadata = `Chunk.metadata()`."""

    def __init__(self, settings: Settings, embeddings: Embeddings, *, chunker_version: str,
                 on_mismatch: Literal["raise", "reset", "adopt_chunker"] = "raise", create: bool = True,
                 client: chromadb.ClientAPI | None = None) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.name = settings.chroma_collection
        self.manifest = IndexManifest(model_identity(settings), embedding_dimension(embeddings), chunker_version,
                                      settings.embedding_backend)
        self.client = client or make_client(settings)
        self._lock = threading.Lock()
        existing = self._existing_collection()
        if existing is None and not create:
            raise IndexNotFoundError(
                f"No index at {_location(settings)} yet: run `shiori ingest` first."
            )
        if existing is not None:
            found = IndexManifest.from_metadata(existing.metadata)
            if found != self.manifest:
                if on_mismatch == "reset" or (found is None and existing.count() == 0):
                    self.client.delete_collection(self.name)
                else:
                    if found is not None and on_mismatch == "adopt_chunker" and found.same_vectors(self.manifest):
                        # Same vectors space, new chunker: the pipeline re-chunks every document itself.
                        existing.modify(metadata=self.manifest.to_metadata())
                    else:
                        raise IndexMismatchError(self._mismatch_message(found))
        self.store = self._open_store()

    def _mismatch_message(self, found: IndexManifest | None) -> str:
        was = found.describe() if found else "no recorded model/chunker manifest"
        what = "its vectors cannot be searched with this model" if (
            found is None or not found.same_vectors(self.manifest)) else "its chunks come from another chunker"
        return (f"The index at {_location(self.settings)} was built with {was}; settings now say "
                f"{self.manifest.describe()}, so {what}. Run `shiori ingest --rebuild` or point "
                "SHIORI_INDEX_DIR at a matching index.")

    def _existing_collection(self) -> chromadb.Collection | None:
        if self.name not in {c if isinstance(c, str) else c.name for c in self.client.list_collections()}:
            return None
        return self.client.get_collection(self.name)

    def _open_store(self) -> Chroma:
        return Chroma(
            collection_name=self.name,
            embedding_function=self.embeddings,
            client=self.client,
            collection_metadata=self.manifest.to_metadata(),
            # chromadb 1.x sets the distance through the collection configuration, not "hnsw:space".
            collection_configuration={"hnsw": {"space": "cosine"}},
        )

    @property
    def collection(self) -> chromadb.Collection:
        """The underlying Chroma collection."""
        return self.store._collection

    # --- writes

    def add_chunks(self, chunks: Sequence[Chunk], *, batch_size: int = 32,
                   progress: EmbedProgress | None = None) -> int:
        """Embed and upsert chunks (id = chunk_id, so re-adding never duplicates); returns how many."""
        chunks = list(chunks)
        done = 0
        for i in range(0, len(chunks), batch_size):
            batch = chunks[i:i + batch_size]
            with self._lock:
                self.store.add_texts(
                    texts=[document_input(c.title, c.embed_text) for c in batch],
                    metadatas=[c.metadata() for c in batch],
                    ids=[c.chunk_id for c in batch],
                )
            done += len(batch)
            if progress:
                progress(done, len(chunks))
        return done

    def delete_document(self, doc_id: str) -> None:
        """Remove every vector of one document."""
        with self._lock:
            self.collection.delete(where={"doc_id": doc_id})

    def delete_ids(self, chunk_ids: Sequence[str]) -> None:
        """Remove vectors by chunk id."""
        if chunk_ids:
            with self._lock:
                self.collection.delete(ids=list(chunk_ids))

    def reset(self) -> None:
        """Drop every vector (the collection is recreated empty with the current manifest)."""
        with self._lock:
            self.client.delete_collection(self.name)
            self.store = self._open_store()

    # --- reads

    def count(self) -> int:
        """How many vectors the collection holds."""
        return int(self.collection.count())

    def _metadatas(self, where: dict | None = None) -> list[tuple[str, dict]]:
        out: list[tuple[str, dict]] = []
        offset = 0
        while True:
            got = self.collection.get(where=where, include=["metadatas"], limit=_GET_PAGE, offset=offset)
            out.extend(zip(got["ids"], [m or {} for m in got["metadatas"]], strict=True))
            if len(got["ids"]) < _GET_PAGE:
                return out
            offset += _GET_PAGE

    def vectors_by_doc(self) -> dict[str, set[str]]:
        """doc_id -> the chunk ids that have a vector."""
        out: dict[str, set[str]] = {}
        for cid, meta in self._metadatas():
            out.setdefault(str(meta.get("doc_id")), set()).add(cid)
        return out

    def doc_ids(self) -> set[str]:
        """The doc ids that have at least one vector."""
        return {str(m.get("doc_id")) for _, m in self._metadatas() if m.get("doc_id") is not None}

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        """Every chunk id in the collection (of one document when given)."""
        return {cid for cid, _ in self._metadatas({"doc_id": doc_id} if doc_id else None)}

    def search(self, query: str, k: int = 10, where: dict | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk_id, cosine similarity in [-1, 1]) for a question."""
        if not query.strip() or k <= 0:
            return []
        return self.search_by_vector(self.embeddings.embed_query(query), k, where)

    def search_by_vector(self, vector: Sequence[float], k: int = 10,
                         where: dict | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk_id, cosine similarity) for a query vector."""
        n = min(k, self.count())
        if n <= 0:
            return []
        res = self.collection.query(query_embeddings=[list(vector)], n_results=n, where=where,
                                    include=["distances"])
        # Chroma's cosine distance is 1 - cos.
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]
