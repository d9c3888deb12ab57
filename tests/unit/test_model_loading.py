"""The two models' native runtimes load one at a time, whichever thread asks first."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import ingest.embeddings as embeddings_mod
import rag.llm.backends as backends
from shiori.settings import Settings


def test_the_embedding_model_and_the_chat_model_never_load_at_the_same_time(tmp_path: Path, monkeypatch) -> None:
    active, peak, lock = [0], [0], threading.Lock()

    def loading(result):
        def load(*_args, **_kwargs):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            time.sleep(0.3)  # long enough for the other thread to start its own load
            with lock:
                active[0] -= 1
            return result
        return load

    monkeypatch.setattr(backends, "require_llm", lambda _s: tmp_path / "model.gguf")
    monkeypatch.setattr(backends, "_refuse_crashing_build", lambda _s, _p: None)
    monkeypatch.setattr(backends, "_llamacpp", loading("llm"))
    monkeypatch.setattr("ingest.embedding_export.require_export", lambda _s, _b, **_k: tmp_path)
    embeddings_mod._load_openvino.cache_clear()
    monkeypatch.setattr(embeddings_mod, "_load_openvino", loading("embeddings"))
    settings = Settings(index_dir=tmp_path / "index", cache_dir=tmp_path / "cache", llm_backend="llamacpp",
                        embedding_backend="openvino")

    results: dict[str, object] = {}
    thread = threading.Thread(target=lambda: results.setdefault("llm", backends.build_chat_model(settings)))
    thread.start()
    time.sleep(0.05)
    results["embeddings"] = embeddings_mod.load_embeddings(settings)
    thread.join()

    assert results == {"llm": "llm", "embeddings": "embeddings"}
    assert peak[0] == 1, "the two native loads overlapped"
