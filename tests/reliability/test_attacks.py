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
from tests.documents import NEEDS_MODEL_EN
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


# ---- failures 6 and 7: bodies and encodings ------------------------------------------------------------


class _Records:
    """Every log record of the app and of uvicorn while a block runs (uvicorn's loggers do not propagate)."""

    def __init__(self) -> None:
        import logging

        self.records: list[logging.LogRecord] = []
        self.handler = logging.Handler(level=logging.DEBUG)
        self.handler.emit = self.records.append  # type: ignore[method-assign]
        self.loggers = [logging.getLogger(n) for n in ("", "uvicorn", "uvicorn.error", "uvicorn.access")]

    def __enter__(self) -> _Records:
        for lg in self.loggers:
            lg.addHandler(self.handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for lg in self.loggers:
            lg.removeHandler(self.handler)

    def longest(self) -> int:
        import logging

        fmt = logging.Formatter()
        return max((len(fmt.format(r)) for r in self.records), default=0)


@pytest.mark.parametrize(("route", "body"), [
    ("/api/ask", b'{"question": "\\ud800"}'),
    ("/api/ask", b'{"question": "JCM \\udfff\\udfff?"}'),
    ("/api/ask", b'{"question": "ok?", "history": [["\\ud800", "x"]]}'),
    ("/api/check", b'{"claim": "\\udbff 2016"}'),
    ("/api/ask", b'{"question": "\xff\xfe invalid utf-8"}'),
    ("/api/ask", b'\xef\xbb\xbf{"question": "BOM"}'),
    ("/api/ask", b'{"question": "\\u0000"}'),
    ("/api/ask", b"[" * 200_000 + b"]" * 200_000),  # deep nesting under the size limit
    ("/api/ask", b'{"question": ' + b'"' + b"\\ud800" * 30_000 + b'"}'),
])
def test_bad_encodings_are_a_4xx_that_encodes_and_the_server_goes_on(site, route, body):
    base, _, _, _ = site
    with httpx.Client(base_url=base, timeout=30) as client, _Records() as logs:
        r = client.post(route, content=body, headers={"content-type": "application/json"})
        assert r.status_code < 500, (r.status_code, r.text[:300])
        r.json()  # a JSON body that decodes
        if r.status_code >= 400:
            assert len(r.content) < 4000  # a message, not the input echoed
        assert client.get("/api/health").status_code in (200, 503)  # the connection and server live on
    assert logs.longest() < 4000


def test_a_lone_surrogate_in_the_ui_is_a_message_not_a_crash(site):
    base, _, _, _ = site
    event, payload = gradio_call(base, "on_check", ["\ud800 2016"])
    assert event == "complete", payload
    assert "UnicodeEncodeError" not in str(payload) and "invalid characters" in str(payload), payload


def test_422_states_the_real_limit_and_never_echoes_the_input(site):
    base, settings, _, _ = site
    marker = "ZQXJ-ECHO-MARKER"
    for body in ({"question": marker + "あ" * (settings.question_max_chars + 10)},
                 {"question": marker + "x" * 25_000},
                 {"question": 42, "history": [[marker, marker]] * 3},
                 {"claim": marker * 200}):
        route = "/api/check" if "claim" in body else "/api/ask"
        r = httpx.post(f"{base}{route}", json=body, timeout=30)
        assert r.status_code == 422, (body.keys(), r.status_code)
        assert marker not in r.text, r.text[:300]
        assert len(r.content) < 4000
    r = httpx.post(f"{base}/api/ask", json={"question": "x" * 25_000}, timeout=30)
    assert f"{settings.question_max_chars}" in r.text and "20000" not in r.text, r.text


def test_api_bodies_over_the_limit_are_refused_with_413(site):
    base, _, _, _ = site
    huge = b'{"question": "' + b"a" * (5 * 1024 * 1024) + b'"}'
    with _Records() as logs:
        r = httpx.post(f"{base}/api/ask", content=huge, headers={"content-type": "application/json"}, timeout=60)
        assert r.status_code == 413, r.status_code
        assert len(r.content) < 1000 and "limit" in r.json()["detail"]

        def chunks():  # no Content-Length: the limit holds while reading
            yield b'{"question": "'
            for _ in range(80):
                yield b"b" * 65536
            yield b'"}'

        r = httpx.post(f"{base}/api/check", content=chunks(), headers={"content-type": "application/json"}, timeout=60)
        assert r.status_code == 413, r.status_code
    assert logs.longest() < 4000
    assert httpx.get(f"{base}/api/health", timeout=30).status_code in (200, 503)


def test_gradio_json_bodies_are_bounded_too(site):
    base, _, _, _ = site
    huge = b'{"data": ["' + b"a" * (5 * 1024 * 1024) + b'"]}'
    r = httpx.post(f"{base}/gradio_api/call/on_check", content=huge, headers={"content-type": "application/json"},
                   timeout=60)
    assert r.status_code == 413, r.status_code


# ---- failure 10: every id the store hands out opens ------------------------------------------------------

ODD_NAMES = ["-rf.txt", "--help.md", "a..b.txt", "日本語 資料.txt", "with  spaces .txt", "100%.txt", "#hash?.txt",
             "CON.txt", "-.txt", "~tilde.md", "e\u0301te\u0301.txt", "a.b.c.txt", "x" * 230 + ".txt",
             "%2e%2e%2fetc.txt", "semi;colon&amp.txt"]


def test_odd_file_names_get_ids_that_open_through_the_api(tmp_path):
    from urllib.parse import quote

    from ingest.pipeline import ingest
    from ui.api import create_app

    settings = _settings(tmp_path)
    odd = tmp_path / "odd"
    odd.mkdir()
    texts = {}
    for i, name in enumerate(ODD_NAMES):
        texts[name] = f"名前の試験 {i}\n\n文書番号{i}の本文です。2024年に作成された。\n"
        (odd / name).write_text(texts[name], encoding="utf-8")
    emb = HashEmbeddings()
    ingest(None, settings, embeddings=emb, progress=False)
    report = ingest([odd], settings, embeddings=emb, progress=False)
    assert report.added == len(ODD_NAMES) and not report.failed, report.failed
    service = Shiori(settings, embeddings=emb, llm=ScriptedChatModel(prompts=[]))
    with served(create_app(service, settings)) as base:
        listed = httpx.get(f"{base}/api/documents", timeout=30).json()
        assert len(listed) == 3 + len(ODD_NAMES)
        for d in listed:
            r = httpx.get(f"{base}/api/documents/{quote(d['doc_id'], safe='')}", timeout=30)
            assert r.status_code == 200, (d["doc_id"], r.status_code, r.text[:200])
            assert r.json()["doc_id"] == d["doc_id"]
            if d["file_name"] in texts:
                assert r.json()["text"] == texts[d["file_name"]]


# ---- failure 11: LLM load errors show no server internals -------------------------------------------------


@pytest.mark.parametrize("case", ["garbage_gguf", "missing_custom", "missing_pinned"])
def test_llm_load_errors_show_no_paths_or_internals(tmp_path, case):
    import logging

    from ingest.pipeline import ingest
    from ui.api import create_app

    settings = _settings(tmp_path)
    emb = HashEmbeddings()
    ingest(None, settings, embeddings=emb, progress=False)
    private = tmp_path / "private-model-dir"
    private.mkdir()
    if case == "garbage_gguf":
        (private / "broken.gguf").write_bytes(b"GGUF" + os.urandom(2048))
        settings = settings.model_copy(update={"llm_model_path": private / "broken.gguf"})
    elif case == "missing_custom":
        settings = settings.model_copy(update={"llm_model_path": private / "absent.gguf"})
    else:
        settings = settings.model_copy(update={"cache_dir": private, "llm_model_path": None})
    service = Shiori(settings, embeddings=emb)  # the real LLM loader
    with served(create_app(service, settings)) as base, _Records() as logs:
        r = httpx.post(f"{base}/api/ask", json={"question": NEEDS_MODEL_EN}, timeout=120)
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    shown = f"{body['text']} {body['error']} {body.get('notices')}"
    assert body["error"] and body["retrieved"]
    for leak in (str(tmp_path), "private-model-dir", "pydantic", "validation error", "input_value", "Traceback"):
        assert leak not in shown, (leak, shown)
    assert "shiori models fetch" in shown or "SHIORI_LLM_MODEL_PATH" in shown  # still says what to do
    logged = " ".join(logging.Formatter().format(x) for x in logs.records)
    assert "private-model-dir" in logged  # the operator keeps the details


def test_the_servers_log_lines_are_bounded(tmp_path):
    # Issue 14, failure 6: the log recorded whole inputs (>100 KB). `shiori ui` logs through this config.
    import io
    import logging.config

    from ui.server import log_config

    names = ["", "uvicorn", "uvicorn.error", "uvicorn.access"]
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level, logging.getLogger(n).propagate)
             for n in names}
    config = log_config()
    stream = io.StringIO()
    config["handlers"]["default"]["stream"] = stream
    config["handlers"]["access"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        huge = "巨" * 200_000
        logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET",
                                                 f"/api/documents/{huge}", "1.1", 400)
        logging.getLogger("ui.api").warning("bad input: %s", huge)
        try:
            raise ValueError(huge)
        except ValueError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    finally:  # the process's logging as it was
        for n, (handlers, level, propagate) in saved.items():
            lg = logging.getLogger(n)
            lg.handlers[:] = handlers
            lg.setLevel(level)
            lg.propagate = propagate
    lines = stream.getvalue()
    # Three records of 200,000 characters of input each: a few thousand characters in all, still readable.
    assert len(lines) < 12_000 and "Exception in ASGI application" in lines and "bad input" in lines
    assert "ValueError" in lines and "/api/documents/" in lines


# ---- hostile document ids on the route


@pytest.mark.parametrize("raw", ["-rf", "..", "%2e%2e", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "a" * 5000, "%00",
                                 "%ff%fe", "%ed%a0%80", "%F0%9F%92%A9", "日本", f"{MN}%20", f"{MN}%0A", ".%2e",
                                 "x%5C..%5C..%5Cwin.ini", "%25", "~root", "CON", f"{MN}.."])
def test_hostile_document_ids_are_refused_cleanly(site, raw):
    base, _, _, _ = site
    r = httpx.get(f"{base}/api/documents/{raw}", timeout=30)
    assert r.status_code in (400, 404), (raw, r.status_code, r.text[:200])
    assert len(r.content) < 1000 and "root:" not in r.text and SECRET not in r.text


# ---- issue 20, item 5: a malformed call to Gradio's routes is a 4xx, with no traceback in the log

MALFORMED_CALLS = [
    ("/gradio_api/call/v2/on_check", b'{"claim": "a"}'),  # the probe's: a parameter the event does not have
    ("/gradio_api/call/v2/on_check", b'{"data": 5}'),
    ("/gradio_api/call/v2/on_check", b'{"data": {"x": 1}}'),
    ("/gradio_api/call/v2/on_check", b'{"data": ["a"], "session_hash": 5}'),
    ("/gradio_api/call/v2/no_such_event", b'{"data": []}'),
    ("/gradio_api/queue/join", b'{"data": ["a"], "fn_index": 99999, "session_hash": "x"}'),
    ("/gradio_api/run/predict", b'{"data": ["a"], "fn_index": 99999}'),
    ("/gradio_api/call/on_check", b'{"claim": "a", "secret": "' + b"s" * 5000 + b'"}'),  # a 422: no echo
]


@pytest.mark.parametrize(("route", "body"), MALFORMED_CALLS)
def test_malformed_gradio_calls_are_a_4xx_without_a_traceback(site, capfd, route, body):
    base, _, _, _ = site
    capfd.readouterr()
    with _Records() as logs:
        r = httpx.post(f"{base}{route}", content=body, headers={"content-type": "application/json"}, timeout=30)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert r.json()["detail"] and "s" * 100 not in r.text  # a reason, never the input echoed back
    assert not any(rec.exc_info for rec in logs.records), [rec.getMessage()[:200] for rec in logs.records]
    assert "Traceback" not in capfd.readouterr().err
    assert httpx.get(f"{base}/api/health", timeout=30).status_code in (200, 503)


def test_no_gradio_route_answers_a_malformed_body_with_a_500(site):
    from tests.reliability.test_exposure import _routes
    from ui.api import create_app

    base, settings, _, service = site
    posts = sorted({path for method, path in _routes(create_app(service, settings)) if method == "POST"})
    assert "/gradio_api/queue/join" in posts and len(posts) > 8, posts
    bad = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for path in posts:
            for body in (b"{}", b"[]", b'{"data": 5, "fn_index": -1}', b'{"claim": "a"}', b"\xff"):
                r = client.post(path, content=body, headers={"content-type": "application/json"})
                if r.status_code >= 500:
                    bad.append((path, body, r.status_code, r.text[:120]))
    assert bad == []
