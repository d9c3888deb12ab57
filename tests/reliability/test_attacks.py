"""An attacker's probe of the served app (uvicorn on 127.0.0.1, REST API + Gradio, as `shiori ui` serves it).

Hostile file paths in Gradio file inputs, hostile document ids, bodies and encodings. Each test names the
failure of issue 14 it guards (docs/reliability.md, section 7).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import httpx
import pytest

from rag.service import Shiori
from shiori.settings import PROJECT_ROOT, Settings
from tests.fakes import HashEmbeddings, ScriptedChatModel
from tests.served import files_containing, gradio_call, served, upload

MN = "003_0055bfdbdfe2e4b0"
SECRET = "極秘: 門外不出の数値 8675309"


def _settings(root: Path, **extra) -> Settings:
    shutil.copytree(PROJECT_ROOT / "corpus", root / "corpus")
    (root / "model").mkdir()
    return Settings(corpus_dir=root / "corpus", index_dir=root / "index", embedding_model_path=root / "model",
                    cache_dir=root / "cache", upload_max_mb=1.0, **extra)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The served app over a fake index; a secret file outside every upload folder."""
    from ingest.pipeline import ingest
    from ui.api import create_app

    root = tmp_path_factory.mktemp("attacks")
    settings = _settings(root)
    emb = HashEmbeddings()
    ingest(None, settings, embeddings=emb, progress=False)
    secret = root / "secret.txt"
    secret.write_text(f"社外秘\n\n{SECRET}\n", encoding="utf-8")
    secret.chmod(0o600)
    service = Shiori(settings, embeddings=emb, llm=ScriptedChatModel(reply="第10回（2016年）です[1]。", prompts=[]))
    with served(create_app(service, settings)) as base:
        yield base, settings, secret, service


def _gradio_upload_dir() -> Path:
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder())


def _ingest_data(files: list[dict], replace: bool = False) -> list:
    return [files, replace]


# ---- failure 1: Gradio file inputs take only uploaded files --------------------------------------------


def _hostile_paths(secret: Path) -> list[str]:
    upload_dir = _gradio_upload_dir()
    return [
        str(secret),
        str(secret.parent / "." / secret.name),
        f"{upload_dir}/../../{str(secret).lstrip('/')}",  # starts inside the upload folder, climbs out
        os.path.relpath(secret, Path.cwd()),
        f"file://{secret}",
    ]


def test_file_input_refuses_a_server_path_and_copies_nothing(site):
    base, settings, secret, service = site
    before = {d.doc_id for d in service.documents()}
    for hostile in _hostile_paths(secret):
        event, payload = gradio_call(base, "on_ingest", _ingest_data(
            [{"path": hostile, "orig_name": "secret.txt", "meta": {"_type": "gradio.FileData"}}]))
        assert "ingested" not in str(payload), (hostile, event, payload)
        assert SECRET not in str(payload)
    assert {d.doc_id for d in service.documents()} == before
    for doc_id in ("secret", "secret.txt"):
        r = httpx.get(f"{base}/api/documents/{doc_id}", timeout=30)
        assert r.status_code == 404 and SECRET not in r.text
    # No copy of the secret anywhere Gradio serves from, nor under uploads/.
    needle = SECRET.encode()
    assert files_containing(_gradio_upload_dir(), needle) == []
    assert files_containing(settings.index_dir.parent / "uploads", needle) == []


def test_file_input_refuses_system_files_and_they_are_never_served(site):
    base, _, _, _ = site
    for hostile in ("/etc/passwd", "/etc/hostname", "/proc/self/environ"):
        event, payload = gradio_call(base, "on_ingest", _ingest_data(
            [{"path": hostile, "orig_name": "x.txt", "meta": {"_type": "gradio.FileData"}}]))
        assert "ingested" not in str(payload) and "root:" not in str(payload), (hostile, payload)
    assert files_containing(_gradio_upload_dir(), b"root:x:0:0") == []


def test_a_real_upload_is_still_accepted(site):
    base, _, _, service = site
    fd = upload(base, "attack_ok_note.txt", "受け入れ確認\n\nこれは普通のアップロードです。2024年。\n".encode())
    event, payload = gradio_call(base, "on_ingest", _ingest_data([fd]))
    assert event == "complete", payload
    assert "attack_ok_note" in _wait_listed(base, "attack_ok_note")


def _wait_listed(base: str, doc_id: str, timeout: float = 60.0) -> set[str]:
    import time

    deadline = time.monotonic() + timeout
    while True:
        ids = {d["doc_id"] for d in httpx.get(f"{base}/api/documents", timeout=30).json()}
        if doc_id in ids or time.monotonic() > deadline:
            return ids
        time.sleep(0.1)


# ---- failure 2: one request must not freeze the server -------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_path_does_not_freeze_the_server(site, device):
    base, _, _, _ = site
    done: list[object] = []

    def attack() -> None:
        try:
            done.append(gradio_call(base, "on_ingest", _ingest_data(
                [{"path": device, "orig_name": "z.txt", "meta": {"_type": "gradio.FileData"}}]), timeout=60))
        except Exception as e:  # noqa: BLE001 - recorded; the assertion below is about the server
            done.append(e)

    t = threading.Thread(target=attack, daemon=True)
    t.start()
    t.join(2.0)  # the attack is in flight (or already refused)
    r = httpx.get(f"{base}/api/health", timeout=20)  # the event loop still answers
    assert r.status_code in (200, 503)
    t.join(60)
    assert done and not isinstance(done[0], Exception), done
    assert "ingested" not in str(done[0])


def _bounded(fn, timeout: float = 60.0):
    """Run fn in a thread; a hang becomes a test failure instead of a stuck suite."""
    out: list[object] = []
    t = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "blocked reading a device or a FIFO"
    return out[0]


def test_loader_refuses_devices_fifos_and_links_to_them(tmp_path):
    from ingest.loaders import LoadError, load_document

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        def load(path=path):
            try:
                load_document(path)
            except LoadError as e:
                return e.reason
            return "loaded"
        assert "not a regular file" in _bounded(load), path


def test_ingesting_a_fifo_or_a_device_link_finishes_with_a_reason(tmp_path):
    from ingest.pipeline import ingest, needs_ingest

    settings = _settings(tmp_path)
    fifo, zero = settings.corpus_dir / "pipe.txt", settings.corpus_dir / "zero.md"
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    emb = HashEmbeddings()
    report = _bounded(lambda: ingest(None, settings, embeddings=emb, progress=False))  # the folder
    assert report.added == 3 and not report.failed
    report = _bounded(lambda: ingest([fifo, zero], settings, embeddings=emb, progress=False))  # named
    assert sorted(Path(p).name for p, _ in report.failed) == ["pipe.txt", "zero.md"]
    assert all("not a regular file" in reason for _, reason in report.failed), report.failed
    assert _bounded(lambda: needs_ingest(settings)) is False
