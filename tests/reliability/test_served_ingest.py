"""Uploads through the served app (uvicorn on 127.0.0.1, REST API + Gradio, as `shiori ui` serves it):
ingestion runs beside questions, a same-named file never silently replaces a document, a refused upload
changes nothing (issue 14, failures 3, 4 and 5)."""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest

from rag.service import Shiori
from shiori.settings import PROJECT_ROOT, Settings
from tests.fakes import HashEmbeddings, ScriptedChatModel
from tests.hostile import nested_html, shared_stream_pdf
from tests.served import files_containing, gradio_call, served, upload

VN = "000_8985a77eb798b76a"
MN = "003_0055bfdbdfe2e4b0"
JCM = "モンゴルとの対話でJCMが初めて取り上げられたのはいつ？"


def _settings(root: Path, **kw) -> Settings:
    shutil.copytree(PROJECT_ROOT / "corpus", root / "corpus")
    (root / "model").mkdir()
    return Settings(corpus_dir=root / "corpus", index_dir=root / "index", embedding_model_path=root / "model",
                    cache_dir=root / "cache", **kw)


class GatedEmbeddings(HashEmbeddings):
    """Fake embeddings that hold any batch containing `marker` until released: an ingest caught mid-run."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker
        self.entered = threading.Event()
        self.release = threading.Event()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents, waiting at the gate for marked ones."""
        if any(self.marker in t for t in texts):
            self.entered.set()
            self.release.wait(300)
        return super().embed_documents(texts)


def _status(base: str) -> dict:
    r = httpx.get(f"{base}/api/ingest", timeout=30)
    assert r.status_code == 200, r.status_code
    return r.json()


def run_job(base: str, files: list[dict], replace: bool = False, timeout: float = 120.0) -> list[dict]:
    """Start an ingestion from the UI's button and wait for its per-file results."""
    before = _status(base)["job_id"]
    event, payload = gradio_call(base, "on_ingest", [files, replace], timeout=60)
    assert event == "complete", payload
    deadline = time.monotonic() + timeout
    while True:
        status = _status(base)
        if status["job_id"] != before and status["state"] == "done":
            return status["results"]
        if status["job_id"] == before and time.monotonic() > deadline - timeout + 5:
            return [{"ok": False, "message": str(payload), "name": "(refused before the job)"}]
        assert time.monotonic() < deadline, status
        time.sleep(0.1)


@pytest.fixture
def site(tmp_path):
    """A fresh served app over a fake index (uploads mutate it); at most 100 chunks, 200 PDF pages and
    200,000 characters per document."""
    from ingest.pipeline import ingest
    from ui.api import create_app

    settings = _settings(tmp_path, ingest_max_chunks=100, pdf_max_pages=200, ingest_max_chars=200_000)
    emb = HashEmbeddings()
    ingest(None, settings, embeddings=emb, progress=False)
    service = Shiori(settings, embeddings=emb, llm=ScriptedChatModel(reply="第10回（2016年）です[1]。", prompts=[]))
    with served(create_app(service, settings)) as base:
        yield base, settings


def _doc(base: str, doc_id: str) -> dict:
    r = httpx.get(f"{base}/api/documents/{doc_id}", timeout=30)
    assert r.status_code == 200, (doc_id, r.status_code)
    return r.json()


def _chunks(base: str) -> dict[str, int]:
    return {d["doc_id"]: d["chunks"] for d in httpx.get(f"{base}/api/documents", timeout=30).json()}


# ---- failure 3: ingestion runs beside questions


def test_questions_and_health_answer_while_a_large_upload_is_ingested(tmp_path):
    from ingest.pipeline import ingest
    from ui.api import create_app

    settings = _settings(tmp_path)
    marker = "ゲートの印"
    emb = GatedEmbeddings(marker)
    ingest(None, settings, embeddings=emb, progress=False)
    service = Shiori(settings, embeddings=emb, llm=ScriptedChatModel(reply="第10回（2016年）です[1]。", prompts=[]))
    big = "大きな文書\n\n" + "".join(f"第{i}節 {marker}: ラオスとの協力の記録、{1990 + i % 30}年の会合。\n\n"
                                       for i in range(3000))
    with served(create_app(service, settings)) as base:
        try:
            fd = upload(base, "big.txt", big.encode("utf-8"))
            event, payload = gradio_call(base, "on_ingest", [[fd], False], timeout=30)
            assert event == "complete", payload  # the button returns at once: the job runs in the background
            assert emb.entered.wait(60), "the ingestion never reached the embedding step"
            health = httpx.get(f"{base}/api/health", timeout=20)
            answer = httpx.post(f"{base}/api/ask", json={"question": JCM}, timeout=20)
            listed = httpx.get(f"{base}/api/documents", timeout=20).json()
            during = _status(base)
            event, shown = gradio_call(base, "on_poll", [[]], timeout=20)  # what the UI shows meanwhile
        finally:
            emb.release.set()
        # Answered while the ingest was still running (its embedding is held at the gate until now).
        assert during["state"] == "running" and during["files"] == ["big.txt"], during
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert answer.status_code == 200 and MN in [p["doc_id"] for p in answer.json()["retrieved"]]
        assert "big" not in {d["doc_id"] for d in listed}  # readers keep the old index until the commit
        assert during["total"] > 100 and during["limits"]["ingest_max_chunks"] == settings.ingest_max_chunks
        assert event == "complete" and "ingest-progress" in str(shown) and "big.txt" in str(shown)
        deadline = time.monotonic() + 120
        while (final := _status(base))["state"] == "running":
            assert time.monotonic() < deadline, final
            time.sleep(0.1)
        assert final["results"][0]["ok"], final
        after = httpx.post(f"{base}/api/ask", json={"question": "ラオスとの協力の記録"}, timeout=30).json()
        assert "big" in [p["doc_id"] for p in after["retrieved"]]  # the fresh chain sees the new index


def test_a_document_over_the_chunk_limit_is_refused_with_the_limit_named(site):
    base, settings = site
    text = "長い文書\n\n" + "".join(f"第{i}節。記録の本文です、{i}。" * 12 + "\n\n" for i in range(300))
    [res] = run_job(base, [upload(base, "long.txt", text.encode("utf-8"))])
    assert not res["ok"] and "ingest_max_chunks" in res["message"] and f"{settings.ingest_max_chunks:,}" in res["message"]
    assert "long" not in _chunks(base)


# ---- failure 4: a same-named file never silently replaces a document


def test_an_upload_named_like_a_corpus_document_does_not_replace_it(site):
    base, _ = site
    before = _doc(base, VN)
    chunks = _chunks(base)[VN]
    text = "同名の別文書\n\nこれはアップロードされた別の文書です。2025年。\n"
    [res] = run_job(base, [upload(base, f"{VN}.txt", text.encode("utf-8"))])
    assert res["ok"], res
    assert res["doc_id"] and res["doc_id"] != VN and res["doc_id"] in res["message"]  # says where it went
    assert _doc(base, VN)["text"] == before["text"] and _chunks(base)[VN] == chunks
    assert _doc(base, res["doc_id"])["text"] == text
    # Replacing is a choice the user makes.
    [res] = run_job(base, [upload(base, f"{VN}.txt", text.encode("utf-8"))], replace=True)
    assert res["ok"] and res["doc_id"] == VN, res
    assert _doc(base, VN)["text"] == text and _chunks(base)[VN] == 1


# ---- failure 5: a refused upload changes nothing


def test_a_refused_reupload_keeps_the_earlier_file_and_document(site):
    base, settings = site
    uploads = settings.index_dir.parent / "uploads"
    good = "メモ\n\n最初のメモです。2024年の会合について。\n"
    [res] = run_job(base, [upload(base, "notes.txt", good.encode("utf-8"))])
    assert res["ok"], res
    doc_id = res["doc_id"]
    for data, replace, reason in [
        (bytes(range(256)) * 8, True, "not a text file"),  # unreadable, even with "replace"
        ((PROJECT_ROOT / "corpus" / f"{MN}.txt").read_bytes(), True, "same content"),  # refused by the index
        ("メモ\n\n書き換えたメモです。\n".encode(), False, "replace"),  # a different file, no "replace"
    ]:
        [res] = run_job(base, [upload(base, "notes.txt", data)], replace=replace)
        assert not res["ok"] and reason in res["message"], res
        assert (uploads / "notes.txt").read_text(encoding="utf-8") == good
        assert _doc(base, doc_id)["text"] == good
    assert sorted(p.name for p in uploads.iterdir()) == ["notes.txt"]
    # With "replace", a good new version does replace it.
    new = "メモ\n\n新しいメモです。\n"
    [res] = run_job(base, [upload(base, "notes.txt", new.encode("utf-8"))], replace=True)
    assert res["ok"] and _doc(base, doc_id)["text"] == new


class _GatedReal:
    """The real embedding model behind the same gate as GatedEmbeddings."""

    def __init__(self, inner, marker: str) -> None:
        self.inner = inner
        self.dimension = getattr(inner, "dimension", None)
        self.marker = marker
        self.entered = threading.Event()
        self.release = threading.Event()

    def embed_query(self, text: str) -> list[float]:
        """Embed a question (never gated)."""
        return self.inner.embed_query(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents, waiting at the gate for marked ones."""
        if any(self.marker in t for t in texts):
            self.entered.set()
            self.release.wait(600)
        return self.inner.embed_documents(texts)


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_real_models_answer_while_a_large_upload_is_ingested(real_settings, real_service, tmp_path):
    from ui.server import build

    index = tmp_path / "index"  # a copy: the upload must not leak into other tests' index
    shutil.copytree(real_settings.index_dir, index, ignore=shutil.ignore_patterns(".lock"))
    settings = real_settings.model_copy(update={"index_dir": index})
    marker = "ゲートの印"
    emb = _GatedReal(real_service.embeddings, marker)
    service = Shiori(settings, embeddings=emb, llm=real_service.llm())
    big = "ラオス環境協力の記録\n\n" + "".join(
        f"第{i}回の日本・ラオス環境政策対話（{1990 + i}年）{marker}。水質保全と廃棄物管理について議論した。\n\n"
        for i in range(400))
    with served(build(settings, service)) as base:
        try:
            fd = upload(base, "laos_record.txt", big.encode("utf-8"))
            event, payload = gradio_call(base, "on_ingest", [[fd], False], timeout=60)
            assert event == "complete", payload
            assert emb.entered.wait(300), "the ingestion never reached the embedding step"
            health = httpx.get(f"{base}/api/health", timeout=60)
            answer = httpx.post(f"{base}/api/ask", json={"question": JCM}, timeout=600)
            during = _status(base)
        finally:
            emb.release.set()
        # Answered while the ingest was still running (its embedding waits at the gate until now).
        assert during["state"] == "running" and during["total"] > 0, during
        assert health.status_code == 200, health.text
        body = answer.json()
        assert answer.status_code == 200 and body["error"] is None and MN in [c["doc_id"] for c in body["citations"]]
        deadline = time.monotonic() + 900
        while (final := _status(base))["state"] == "running":
            assert time.monotonic() < deadline, final
            time.sleep(1)
        assert final["results"][0]["ok"], final
        r = httpx.post(f"{base}/api/ask", json={"question": "日本・ラオス環境政策対話で議論されたことは？"}, timeout=600)
        assert "laos_record" in [p["doc_id"] for p in r.json()["retrieved"]]


# ---- issue 20, item 2: a PDF that expands is refused before the work, and read once


@pytest.fixture
def pages_read(monkeypatch) -> list[int]:
    """Counts every PDF page whose text is extracted, in this process (the served app runs in it)."""
    from pypdf import PageObject

    calls: list[int] = []
    real = PageObject.extract_text

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", counted)
    return calls


def test_a_pdf_of_many_pages_sharing_one_stream_is_refused_before_any_page_is_read(site, pages_read):
    base, settings = site
    pdf = shared_stream_pdf(pages=600, lines_per_page=250)  # ~95 KB; every page draws the same ~6,000 chars
    [res] = run_job(base, [upload(base, "amplified.pdf", pdf)], timeout=600)
    assert not res["ok"] and "600 pages" in res["message"] and "pdf_max_pages" in res["message"], res
    assert pages_read == []  # counted before any page was extracted
    assert "amplified" not in _chunks(base)


def test_a_pdf_whose_text_passes_the_character_limit_stops_there(site, pages_read):
    base, settings = site
    pdf = shared_stream_pdf(pages=150, lines_per_page=250)  # under the page limit; ~860,000 characters
    [res] = run_job(base, [upload(base, "amplified.pdf", pdf)], timeout=600)
    assert not res["ok"] and "ingest_max_chars" in res["message"] and "200,000" in res["message"], res
    assert 0 < len(pages_read) < 60, len(pages_read)  # stopped at the page that passed it, not after 150
    assert "amplified" not in _chunks(base)


def test_an_upload_is_extracted_once(site, pages_read):
    base, settings = site
    pdf = shared_stream_pdf(pages=20, lines_per_page=250)  # loads, then the chunk limit refuses it
    [res] = run_job(base, [upload(base, "twenty.pdf", pdf)], timeout=600)
    assert not res["ok"] and "ingest_max_chunks" in res["message"], res
    assert len(pages_read) == 20  # was 40: the job's check that it loads, then the pipeline again


# ---- issue 20, item 6: deeply nested HTML is text like any other


@pytest.mark.parametrize("depth", [1_000, 200_000])  # 11 KB and 2.2 MB
def test_deeply_nested_html_uploads_and_reads(site, depth):
    base, _ = site
    [res] = run_job(base, [upload(base, f"deep{depth}.html", nested_html(depth))], timeout=600)
    assert res["ok"], res
    doc = _doc(base, res["doc_id"])
    assert doc["text"] == "深い入れ子の本文です。" and doc["title"] == "入れ子"


# ---- issue 20, item 3: one upload request is bounded, and Gradio's copies do not pile up


@pytest.fixture
def upload_site(tmp_path):
    """A served app taking at most 3 files, 1 MB each and 2 MB together per upload request."""
    from ingest.pipeline import ingest
    from ui.api import create_app

    settings = _settings(tmp_path, upload_max_mb=1.0, upload_max_files=3, upload_max_request_mb=2.0,
                         upload_temp_max_age_s=2)
    emb = HashEmbeddings()
    ingest(None, settings, embeddings=emb, progress=False)
    service = Shiori(settings, embeddings=emb, llm=ScriptedChatModel(reply="第10回（2016年）です[1]。", prompts=[]))
    with served(create_app(service, settings)) as base:
        yield base, settings


def _gradio_folder() -> Path:
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder())


def _multipart(files: list[tuple[str, bytes]], boundary: str = "shiori-test-boundary") -> tuple[bytes, str]:
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
                    for name, data in files)
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _post_upload(base: str, files: list[tuple[str, bytes]], *, chunked: bool) -> httpx.Response:
    body, content_type = _multipart(files)
    # Chunked: no Content-Length, so the bound is enforced while the body streams in.
    content = iter([body[i:i + 65536] for i in range(0, len(body), 65536)]) if chunked else body
    return httpx.post(f"{base}/gradio_api/upload", content=content, headers={"content-type": content_type},
                      timeout=60)


@pytest.mark.parametrize("chunked", [False, True])
def test_an_upload_request_over_the_total_is_a_413_and_leaves_nothing(upload_site, chunked):
    base, _ = upload_site
    marker = f"total-{time.time_ns()}".encode()
    files = [(f"part{i}.txt", marker + b"a" * 900_000) for i in range(3)]  # 3 × 0.9 MB: each under 1 MB
    r = _post_upload(base, files, chunked=chunked)
    assert r.status_code == 413 and "upload_max_request_mb" in r.text, (r.status_code, r.text[:300])
    assert files_containing(_gradio_folder(), marker) == []
    assert httpx.get(f"{base}/api/health", timeout=30).status_code == 200  # and the server goes on


@pytest.mark.parametrize("chunked", [False, True])
def test_an_upload_request_with_too_many_files_is_a_413_and_leaves_nothing(upload_site, chunked):
    base, _ = upload_site
    marker = f"count-{time.time_ns()}".encode()
    r = _post_upload(base, [(f"n{i}.txt", marker + b" %d" % i) for i in range(12)], chunked=chunked)
    assert r.status_code == 413 and "upload_max_files" in r.text, (r.status_code, r.text[:300])
    assert files_containing(_gradio_folder(), marker) == []
    ok = _post_upload(base, [(f"n{i}.txt", marker + b" %d" % i) for i in range(3)], chunked=chunked)
    assert ok.status_code == 200 and len(ok.json()) == 3  # at the limit is fine


def test_gradio_copies_are_removed_once_ingested_or_refused(upload_site):
    base, _ = upload_site
    marker = f"gone-{time.time_ns()}"
    good = upload(base, "good.txt", f"メモ\n\n{marker} の本文です。2024年。\n".encode())
    empty = upload(base, "empty.txt", b"")
    binary = upload(base, "binary.txt", marker.encode() + bytes(range(256)) * 8)
    assert len(files_containing(_gradio_folder(), marker.encode())) == 2
    results = run_job(base, [good, empty, binary])  # the empty one is refused before the job
    assert [(r["name"], r["ok"]) for r in results] == [("good.txt", True), ("binary.txt", False)], results
    assert not any(Path(fd["path"]).exists() for fd in (good, empty, binary))
    assert files_containing(_gradio_folder(), marker.encode()) == []
    assert "good" in _chunks(base)


def test_an_upload_never_ingested_is_deleted_after_upload_temp_max_age_s(upload_site):
    base, _ = upload_site
    fd = upload(base, "forgotten.txt", f"忘れられた {time.time_ns()}".encode())
    deadline = time.monotonic() + 120  # the age is 2 s; generous for a slow machine
    while Path(fd["path"]).exists():
        assert time.monotonic() < deadline, "an upload nobody ingested was kept"
        time.sleep(0.5)


# ---- issue 20, item 7: an upload cut short by kill -9 is finished (or dropped and reported) on restart

UPLOAD_CHILD = Path(__file__).with_name("_upload_child.py")


def _kill_during_upload(settings: Settings, source: Path, name: str, pause_at: str, replace: bool = False) -> None:
    """Run one upload in a child process and SIGKILL it at `pause_at` ("staged" or "moved")."""
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen([sys.executable, str(UPLOAD_CHILD), str(settings.corpus_dir), str(settings.index_dir),
                             str(settings.embedding_model_path), str(source), name,
                             "replace" if replace else "keep", pause_at],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=PROJECT_ROOT)
    timer = threading.Timer(120, proc.kill)  # bounded even if the child never gets there
    timer.start()
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line.strip())
            if line.strip() == pause_at:
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait(timeout=30)
    finally:
        timer.cancel()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL and lines[-1] == pause_at, (proc.returncode, lines)


@pytest.fixture
def restart(tmp_path):
    """Settings over a fake index, and `start()`: the served app started afresh over them (a restart),
    returning its base URL once the start-up job is over, and that job's status."""
    from ingest.pipeline import ingest
    from ui.api import create_app

    settings = _settings(tmp_path, translate_names=False)
    ingest(None, settings, embeddings=HashEmbeddings(), progress=False)
    with contextlib.ExitStack() as stack:

        def start() -> tuple[str, dict]:
            service = Shiori(settings, embeddings=HashEmbeddings(), llm=ScriptedChatModel(prompts=[]))
            base = stack.enter_context(served(create_app(service, settings)))
            deadline = time.monotonic() + 120
            while (status := _status(base))["state"] == "running" and time.monotonic() < deadline:
                time.sleep(0.1)
            return base, status

        yield settings, start


def _staging(settings: Settings) -> list[str]:
    root = settings.index_dir.parent / ".uploads-staging"
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


def _uploads(settings: Settings) -> list[str]:
    folder = settings.index_dir.parent / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("pause_at", ["staged", "moved"])
def test_an_upload_killed_before_it_was_indexed_is_indexed_on_restart(restart, tmp_path, pause_at):
    settings, start = restart
    source = tmp_path / "source.txt"
    text = "再起動メモ\n\nこのメモは取り込みの途中でサーバーが止まった。2025年の記録。\n"
    source.write_text(text, encoding="utf-8")
    _kill_during_upload(settings, source, "notes.txt", pause_at)
    # What kill -9 left: a staged copy, or a file in uploads/ that is not indexed.
    assert len(_staging(settings)) == 1
    assert _uploads(settings) == ([] if pause_at == "staged" else ["notes.txt"])
    base, status = start()
    assert status["state"] == "done" and status["job_id"] == 1, status
    [res] = status["results"]
    assert res["ok"] and "resumed after a restart" in res["message"] and res["doc_id"] == "notes", res
    assert _doc(base, "notes")["text"] == text
    assert _staging(settings) == [] and _uploads(settings) == ["notes.txt"]


def test_a_replacement_killed_while_it_was_indexed_is_finished_on_restart(restart, tmp_path):
    from ui.upload import save_and_ingest

    settings, start = restart
    first, second = tmp_path / "v1.txt", tmp_path / "v2.txt"
    first.write_text("メモ\n\n最初の版です。\n", encoding="utf-8")
    second.write_text("メモ\n\n置き換えた版です。\n", encoding="utf-8")
    service = Shiori(settings, embeddings=HashEmbeddings(), llm=ScriptedChatModel(prompts=[]))
    [ok] = save_and_ingest([(first, "notes.txt")], service, settings)
    assert ok.ok, ok
    _kill_during_upload(settings, second, "notes.txt", "moved", replace=True)
    # Killed with the new bytes in place, the earlier ones kept beside them, the index still on the old.
    [folder] = (settings.index_dir.parent / ".uploads-staging").iterdir()
    assert (folder / ".previous").read_bytes() == first.read_bytes()
    assert (settings.index_dir.parent / "uploads" / "notes.txt").read_bytes() == second.read_bytes()
    base, status = start()
    [res] = status["results"]
    assert res["ok"] and "resumed after a restart" in res["message"], res
    assert _doc(base, "notes")["text"] == second.read_text(encoding="utf-8")
    assert _staging(settings) == [] and _uploads(settings) == ["notes.txt"]


def test_a_staged_upload_the_index_refuses_is_dropped_and_reported_on_restart(restart, tmp_path):
    settings, start = restart
    source = tmp_path / "binary.txt"
    source.write_bytes(bytes(range(256)) * 8)
    _kill_during_upload(settings, source, "binary.txt", "staged")
    base, status = start()
    [res] = status["results"]
    assert not res["ok"] and "not a text file" in res["message"] and "resumed after a restart" in res["message"]
    assert _staging(settings) == [] and _uploads(settings) == []
    assert "binary" not in _chunks(base)


def test_a_file_left_unindexed_in_uploads_is_indexed_on_restart(restart):
    settings, start = restart
    folder = settings.index_dir.parent / "uploads"
    folder.mkdir()
    (folder / "left.txt").write_text("置き去り\n\n古い版のサーバーが残した文書。\n", encoding="utf-8")
    base, status = start()
    [res] = status["results"]
    assert res["ok"] and res["doc_id"] == "left", res
    assert "left" in _chunks(base)
