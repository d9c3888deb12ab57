"""Cheap checks of the parts a question needs (store, Chroma, embedding model, LLM); none loads a model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shiori.settings import Settings


@dataclass(frozen=True)
class PartHealth:
    """One part's state; `detail` is safe to show (no server paths)."""

    name: str
    ok: bool
    detail: str


def _short(e: Exception) -> str:
    return f"{type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}"


def check_store(settings: Settings) -> tuple[PartHealth, int, int]:
    """The chunk store and BM25 index: (state, documents, chunks)."""
    from ingest.pipeline import BM25_DIR
    from ingest.store import ChunkStore

    index_dir = Path(settings.index_dir)
    if not ChunkStore.exists(index_dir) or not (index_dir / BM25_DIR).is_dir():
        return PartHealth("store", False, "no index yet: run `shiori ingest`"), 0, 0
    try:
        with ChunkStore(index_dir) as store:
            docs = store.documents()
    except Exception as e:  # noqa: BLE001 - reported, not raised
        return PartHealth("store", False, _short(e)), 0, 0
    return PartHealth("store", True, "ok"), len(docs), sum(d.chunk_count for d in docs)


def check_chroma(settings: Settings) -> tuple[PartHealth, int | None]:
    """Chroma answers and holds the collection: (state, vectors)."""
    from ingest.dense import CHROMA_DIR, make_client

    if settings.chroma_mode == "embedded" and not (Path(settings.index_dir) / CHROMA_DIR).is_dir():
        return PartHealth("chroma", False, "no index yet: run `shiori ingest`"), None  # never created here
    try:
        client = make_client(settings)
        client.heartbeat()
        count = client.get_collection(settings.chroma_collection).count()
    except Exception as e:  # noqa: BLE001
        where = (f"server {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_mode == "server"
                 else "embedded store")
        return PartHealth("chroma", False, f"unreachable or missing collection ({where}): {_short(e)}"), None
    return PartHealth("chroma", True, "ok"), int(count)


def _model_file(name: str, path: Path, pinned_sha: str | None, key: str) -> PartHealth:
    """A model file: present (a configured path) or present and checksum-stamped (a pinned model)."""
    from shiori.models import is_stamped

    env = "SHIORI_EMBEDDING_MODEL_PATH" if key == "embedding" else "SHIORI_LLM_MODEL_PATH"
    if pinned_sha is None:  # a configured path: present is all that can be said without loading it
        ok = path.exists()
        return PartHealth(name, ok, "ok (configured path, not pinned)" if ok else f"the configured model is missing ({env})")
    if not path.exists():
        return PartHealth(name, False, f"model missing: run `shiori models fetch {key}`")
    if not is_stamped(path, pinned_sha):
        return PartHealth(name, False, "model changed since its checksum was verified: run "
                                       f"`shiori models status --deep` or `shiori models fetch --force {key}`")
    return PartHealth(name, True, "ok (sha256 verified)")


def check_embeddings(settings: Settings, loaded: bool) -> PartHealth:
    """The embedding model: loaded, or present and checksum-stamped."""
    from shiori.models import EMBEDDING

    if loaded:
        return PartHealth("embeddings", True, "loaded")
    if settings.embedding_model_path is not None:
        return _model_file("embeddings", settings.embedding_model_path, None, "embedding")
    return _model_file("embeddings", EMBEDDING.checked_path(settings), EMBEDDING.sha256, "embedding")


def check_llm(settings: Settings, loaded: bool) -> PartHealth:
    """The LLM: the embedded model file present and checksum-stamped, or the endpoint reachable."""
    from shiori.models import LLM

    if settings.llm_backend == "none":
        return PartHealth("llm", True, "disabled by settings: answers show the retrieved passages only")
    if settings.llm_backend == "openai":
        import httpx

        url = settings.llm_base_url.rstrip("/") + "/models"
        try:
            r = httpx.get(url, timeout=min(3.0, settings.llm_timeout_s),
                          headers={"Authorization": f"Bearer {settings.llm_api_key.get_secret_value()}"})
        except httpx.HTTPError as e:
            return PartHealth("llm", False, f"OpenAI-compatible endpoint unreachable: {type(e).__name__}")
        if r.status_code >= 500:
            return PartHealth("llm", False, f"OpenAI-compatible endpoint answers HTTP {r.status_code}")
        return PartHealth("llm", True, f"endpoint reachable (HTTP {r.status_code})")
    if loaded:
        return PartHealth("llm", True, "loaded")
    if settings.llm_model_path is not None:
        part = _model_file("llm", settings.llm_model_path, None, "llm")
        if part.ok:
            try:
                with settings.llm_model_path.open("rb") as f:
                    magic = f.read(4)
            except OSError:
                magic = b""
            if magic != b"GGUF":
                return PartHealth("llm", False, "the configured LLM file is not a GGUF model (SHIORI_LLM_MODEL_PATH)")
        return part
    return _model_file("llm", LLM.checked_path(settings), LLM.sha256, "llm")


def health_report(settings: Settings, *, embeddings_loaded: bool, llm_loaded: bool) -> dict[str, object]:
    """Every part's state: status "ok" when all are up, else "down" with the parts that are down."""
    store, documents, chunks = check_store(settings)
    chroma, vectors = check_chroma(settings)
    parts = [store, chroma, check_embeddings(settings, embeddings_loaded), check_llm(settings, llm_loaded)]
    down = [p.name for p in parts if not p.ok]
    return {"status": "down" if down else "ok", "down": down,
            "parts": {p.name: {"ok": p.ok, "detail": p.detail} for p in parts},
            "documents": documents, "chunks": chunks, "vectors": vectors,
            "llm_backend": settings.llm_backend, "chroma_mode": settings.chroma_mode}
