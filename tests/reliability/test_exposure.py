"""Exposure: loopback by default, no public bind without credentials, documents only by id, bounded uploads.

Already covered (not repeated): refusal of a public host without credentials, malformed credentials,
401 on the API when auth is set, path-like document ids against a fake service (tests/unit/test_api.py);
upload type/size validation and names (tests/unit/test_ui_upload.py).
"""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rag.service import Shiori
from shiori.settings import PROJECT_ROOT, Settings, get_settings
from tests.fakes import ScriptedChatModel

MN = "003_0055bfdbdfe2e4b0"


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No SHIORI_* variables and no settings file: what a fresh machine sees."""
    for key in list(os.environ):
        if key.startswith("SHIORI_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("SHIORI_SETTINGS_FILE", str(tmp_path / "absent.toml"))
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_loopback_by_default(clean_env):
    s = Settings()
    assert s.ui_host == "127.0.0.1" and s.is_loopback and s.ui_auth is None


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True),
    ("0.0.0.0", False), ("::", False), ("", False), ("192.168.1.10", False),
    ("127.attacker.example", False),  # a name beginning with "127." is not a loopback address
    ("localhost.attacker.example", False),
])
def test_what_counts_as_loopback(host, loopback):
    assert Settings(ui_host=host).is_loopback is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "127.attacker.example", "10.0.0.5"])
def test_cli_refuses_a_public_bind_without_credentials(clean_env, host):
    from ui.cli import app

    result = CliRunner().invoke(app, ["ui", "--host", host, "--port", "1"])
    assert result.exit_code == 2, result.output
    assert "credentials are required" in result.output and "SHIORI_UI_AUTH" in result.output


def test_cli_refuses_malformed_credentials(clean_env):
    from ui.cli import app

    clean_env.setenv("SHIORI_UI_AUTH", "admin")  # no password
    result = CliRunner().invoke(app, ["ui", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 2 and "malformed" in result.output


@pytest.fixture
def api(fake_index, fake_embeddings) -> TestClient:
    """The REST API over a real Shiori on the fake index, with a secret file beside the corpus."""
    from ui.api import create_api

    (fake_index.corpus_dir / "_secret.txt").write_text("秘密の文書\n\n公開してはいけない。\n", encoding="utf-8")
    (fake_index.corpus_dir.parent / "outside.txt").write_text("outside\n", encoding="utf-8")
    service = Shiori(fake_index, embeddings=fake_embeddings, llm=ScriptedChatModel(prompts=[]))
    return TestClient(create_api(service, fake_index))


def test_document_view_serves_ingested_documents_without_paths(api, fake_index):
    r = api.get(f"/api/documents/{MN}")
    assert r.status_code == 200 and r.json()["doc_id"] == MN
    assert str(fake_index.corpus_dir) not in r.text  # no server paths leak


@pytest.mark.parametrize("doc_id", [
    "_secret", "_secret.txt", "outside", "../outside.txt", "..%2Foutside.txt", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "003_0055bfdbdfe2e4b0.meta.json", "..", "%00", "etc%2Fpasswd", "C:%5Cwindows%5Cwin.ini", "store.sqlite",
])
def test_document_view_never_reads_paths(api, doc_id):
    r = api.get(f"/api/documents/{doc_id}")
    assert r.status_code in (400, 404), (doc_id, r.status_code, r.text[:200])
    assert "公開してはいけない" not in r.text and "outside" not in r.text.replace(doc_id, "")


@pytest.fixture(scope="module")
def gradio_app(tmp_path_factory):
    """The whole served app (API + Gradio) over a fake index, uploads limited to 1 MB."""
    import shutil

    from ingest.pipeline import ingest
    from tests.fakes import HashEmbeddings
    from ui.api import create_app

    root = tmp_path_factory.mktemp("exposure")
    shutil.copytree(PROJECT_ROOT / "corpus", root / "corpus")
    (root / "model").mkdir()
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", embedding_model_path=root / "model",
                        cache_dir=root / "cache", upload_max_mb=1.0)
    emb = HashEmbeddings()
    ingest(None, settings, embeddings=emb, progress=False)
    app = create_app(Shiori(settings, embeddings=emb, llm=ScriptedChatModel(prompts=[])), settings)
    return TestClient(app), settings


@pytest.mark.parametrize("target", ["/etc/passwd", str(PROJECT_ROOT / "README.md"), "corpus/003_0055bfdbdfe2e4b0.txt",
                                    "../../../../etc/passwd"])
def test_gradio_file_route_does_not_serve_arbitrary_files(gradio_app, target):
    client, settings = gradio_app
    for prefix in ("/gradio_api/file=", "/file="):
        r = client.get(prefix + target)
        assert r.status_code in (403, 404, 400), (prefix + target, r.status_code)
        assert "root:" not in r.text


def test_upload_endpoint_enforces_the_size_limit(gradio_app):
    client, settings = gradio_app
    big = b"a" * int(1.5 * 1024 * 1024)  # over the 1 MB limit set above
    r = client.post("/gradio_api/upload", files={"files": ("big.txt", big, "text/plain")})
    assert r.status_code == 413, (r.status_code, r.text[:200])
    ok = client.post("/gradio_api/upload", files={"files": ("small.txt", "小さな文書。".encode(), "text/plain")})
    assert ok.status_code == 200


# ---- issue 14, failure 9: with credentials set, no route answers without them


def _routes(app) -> list[tuple[str, str]]:
    """(method, concrete path) for every HTTP route of the app, mounted apps (Gradio) included."""
    import re

    from starlette.routing import Mount, Route, WebSocketRoute

    out: list[tuple[str, str]] = []

    def walk(routes, prefix: str) -> None:
        for r in routes:
            if isinstance(r, Mount):
                sub = getattr(getattr(r.app, "router", None), "routes", None) or r.routes
                walk(sub, prefix + r.path)
            elif hasattr(r, "original_router"):  # FastAPI's include_router (Gradio's /gradio_api/*)
                walk(r.original_router.routes, prefix + getattr(r.include_context, "prefix", ""))
            elif isinstance(r, WebSocketRoute):
                out.append(("WS", prefix + r.path))
            elif isinstance(r, Route) or hasattr(r, "methods"):
                path = re.sub(r"\{[^}]+\}", "x", prefix + r.path) or "/"
                for m in sorted(r.methods or {"GET"}):
                    if m != "HEAD":
                        out.append((m, path))

    walk(app.routes, "")
    return out


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """The served app with ui_auth set, and its routes."""
    import shutil

    from ingest.pipeline import ingest
    from tests.fakes import HashEmbeddings
    from tests.served import served
    from ui.api import create_app

    root = tmp_path_factory.mktemp("guarded")
    shutil.copytree(PROJECT_ROOT / "corpus", root / "corpus")
    (root / "model").mkdir()
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", embedding_model_path=root / "model",
                        cache_dir=root / "cache", ui_auth="ann:s3cret")
    emb = HashEmbeddings()
    ingest(None, settings, embeddings=emb, progress=False)
    app = create_app(Shiori(settings, embeddings=emb, llm=ScriptedChatModel(prompts=[])), settings)
    with served(app) as base:
        yield base, _routes(app)


def test_every_route_needs_credentials_when_auth_is_set(guarded):
    import httpx

    base, routes = guarded
    paths = {p for _, p in routes}
    # The routes the probe found open, and Gradio's data routes: all are enumerated from the app itself.
    for must in ("/docs", "/redoc", "/openapi.json", "/gradio_api/cancel", "/gradio_api/heartbeat/x",
                 "/gradio_api/startup-events", "/gradio_api/upload", "/gradio_api/queue/join", "/gradio_api/info",
                 "/config", "/api/health", "/api/ingest"):
        assert must in paths, (must, sorted(paths))
    assert len(routes) > 30
    open_routes = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for method, path in routes:
            if method == "WS":
                continue
            for auth in (None, ("ann", "wrong"), ("bob", "s3cret")):
                r = client.request(method, path, auth=auth, json={} if method in ("POST", "PUT") else None)
                if r.status_code != 401:
                    open_routes.append((method, path, auth, r.status_code))
                else:
                    assert "Basic" in r.headers.get("www-authenticate", "")
    assert open_routes == []
    # BasicAuth closes a WebSocket without credentials too, but none exists to try it on: a new one must
    # get a test here before it ships.
    assert [p for m, p in routes if m == "WS"] == []


def test_with_credentials_the_app_works(guarded):
    import httpx

    base, _ = guarded
    with httpx.Client(base_url=base, timeout=30, auth=("ann", "s3cret")) as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/docs").status_code == 200
        assert client.get("/openapi.json").status_code == 200
        assert client.get("/").status_code == 200
        assert client.get("/gradio_api/info").status_code == 200
        r = client.post("/api/ask", json={"question": "When did JCM first come up with Mongolia?"})
        assert r.status_code == 200 and r.json()["retrieved"]


def test_without_auth_the_docs_and_ui_stay_open(gradio_app):
    client, _ = gradio_app
    for path in ("/docs", "/openapi.json", "/", "/gradio_api/info", "/api/health"):
        assert client.get(path).status_code == 200, path
