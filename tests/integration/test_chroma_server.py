"""Server mode: a real `chroma run` server gives the same retrieval as the embedded index (slow)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shiori.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.slow

QUESTION = "When did JCM first come up with Mongolia?"
JCM_DOC = "003_0055bfdbdfe2e4b0"
CHROMA_BIN = Path(sys.executable).with_name("chroma")
START_TIMEOUT_S = 60.0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ChromaServer:
    """A `chroma run` child process on 127.0.0.1 with its data under `path`."""

    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.proc: subprocess.Popen | None = None
        self.log = path.with_suffix(".log")

    def start(self) -> ChromaServer:
        """Start the server and wait until its heartbeat answers."""
        import httpx

        if not CHROMA_BIN.exists():
            pytest.skip(f"no chroma CLI at {CHROMA_BIN}")
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [str(CHROMA_BIN), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
        deadline = time.monotonic() + START_TIMEOUT_S
        url = f"http://127.0.0.1:{self.port}/api/v2/heartbeat"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}:\n{self.log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=1.0).status_code == 200:
                    return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"chroma run gave no heartbeat in {START_TIMEOUT_S:.0f} s:\n{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        """Terminate the server (its whole process group), killing it if it lingers."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)


@contextlib.contextmanager
def chroma_server(path: Path) -> Iterator[ChromaServer]:
    """A running server that is always stopped afterwards."""
    server = ChromaServer(path, free_port())
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def embeddings():
    """The real embedding model (skip when it is not assembled)."""
    from ingest.embeddings import load_embeddings
    from shiori.models import ModelError

    try:
        return load_embeddings(Settings())
    except ModelError as exc:
        pytest.skip(f"embedding model not assembled: {exc}")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A private copy of the corpus."""
    path = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", path)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ChromaServer]:
    """One Chroma server for the module, data in a temporary folder."""
    with chroma_server(tmp_path_factory.mktemp("chroma-server") / "data") as srv:
        yield srv


def _settings(corpus: Path, index_dir: Path, server: ChromaServer | None = None) -> Settings:
    if server is None:
        return Settings(corpus_dir=corpus, index_dir=index_dir, chroma_mode="embedded", llm_backend="none")
    return Settings(corpus_dir=corpus, index_dir=index_dir, chroma_mode="server", chroma_host="127.0.0.1",
                    chroma_port=server.port, chroma_ssl=False, llm_backend="none")


def _retriever(settings: Settings, embeddings):
    from ingest.pipeline import open_indexes
    from rag.find.retriever import HybridRetriever

    indexes = open_indexes(settings, embeddings=embeddings)
    return HybridRetriever(indexes, embeddings, candidate_k=settings.candidate_k, rrf_k=settings.rrf_k)


@pytest.fixture(scope="module")
def both(corpus, server, embeddings, tmp_path_factory):
    """(embedded settings, server settings, ingest reports) over the same corpus."""
    from ingest.pipeline import ingest

    tmp = tmp_path_factory.mktemp("indexes")
    embedded = _settings(corpus, tmp / "embedded")
    remote = _settings(corpus, tmp / "server", server)
    reports = [ingest(None, s, embeddings=embeddings, progress=False) for s in (embedded, remote)]
    return embedded, remote, reports


def test_server_ingest_matches_embedded(both, server):
    embedded, remote, (rep_e, rep_s) = both
    assert rep_s.failed == [] and rep_s.added == 3
    assert rep_s.chunks_total == rep_s.vectors_total == rep_e.chunks_total > 0
    # Vectors live in the server; BM25 and the chunk store stay on local disk at index_dir.
    assert (remote.index_dir / "bm25").is_dir() and (remote.index_dir / "store.sqlite").is_file()
    assert not (remote.index_dir / "chroma").exists()
    assert any(server.path.iterdir()), "the server wrote nothing to its --path"


def test_server_retrieval_equals_embedded(both, embeddings):
    embedded, remote, _ = both
    r_emb, r_srv = _retriever(embedded, embeddings), _retriever(remote, embeddings)
    vector = r_emb.embed(QUESTION)
    a, b = r_emb.rank(QUESTION, vector), r_srv.rank(QUESTION, vector)
    k = embedded.retrieve_k
    assert [x.chunk_id for x in a[:k]] == [x.chunk_id for x in b[:k]]
    for x, y in zip(a, b, strict=True):
        assert x.chunk_id == y.chunk_id
        assert x.score == pytest.approx(y.score, abs=1e-9)
        assert (x.dense is None) == (y.dense is None)
        if x.dense is not None:
            assert x.dense == pytest.approx(y.dense, abs=1e-4)
        assert x.bm25 == pytest.approx(y.bm25)
    dense_e = r_emb.dense.search_by_vector(vector, 10)
    dense_s = r_srv.dense.search_by_vector(vector, 10)
    assert [c for c, _ in dense_e] == [c for c, _ in dense_s]
    assert [s for _, s in dense_e] == pytest.approx([s for _, s in dense_s], abs=1e-4)
    # The 10th Japan–Mongolia meeting (2016), where JCM first came up, is among the passages.
    passages = r_srv.retrieve(QUESTION, k=k, vector=vector)
    assert any(p.doc_id == JCM_DOC and "2016" in p.text for p in passages), [p.text[:40] for p in passages]


def test_server_mode_service_answers(both, embeddings):
    from rag.service import Shiori

    _, remote, _ = both
    service = Shiori(remote, embeddings=embeddings)
    assert {d.doc_id for d in service.documents()} >= {JCM_DOC}
    health = service.health()
    assert health["status"] == "ok" and health["chroma_mode"] == "server", health
    assert health["vectors"] == health["chunks"] > 0, health
    answer = service.answer(QUESTION)  # llm_backend="none": retrieval-backed answer without a model
    assert any(p.doc_id == JCM_DOC and "2016" in p.text for p in answer.retrieved), answer


def test_server_down_then_back(corpus, embeddings, tmp_path):
    """A stopped server gives a connection error naming the address; the same objects work once it is back."""
    from ingest.pipeline import ingest

    data = tmp_path / "data"
    srv = ChromaServer(data, free_port()).start()
    try:
        settings = _settings(corpus, tmp_path / "index", srv)
        assert not ingest(None, settings, embeddings=embeddings, progress=False).failed
        retriever = _retriever(settings, embeddings)
        vector = retriever.embed(QUESTION)
        before = [r.chunk_id for r in retriever.rank(QUESTION, vector)]
        srv.stop()
        with pytest.raises(Exception) as info:
            retriever.rank(QUESTION, vector)
        text = f"{type(info.value).__name__}: {info.value}".lower()
        assert "connect" in text or "connection" in text, text
        from rag.service import Shiori

        service = Shiori(settings, embeddings=embeddings)
        down = service.health()  # reported, not raised
        assert down["status"] == "down" and "chroma" in down["down"], down
        srv.start()  # same port, same data folder
        assert [r.chunk_id for r in retriever.rank(QUESTION, vector)] == before
        assert service.health()["status"] == "ok"
    finally:
        srv.stop()
