"""The three REST endpoints against the real service (real models) over a temporary index of the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.types import Answer, Verdict
from shiori.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    from ingest.pipeline import ingest
    from rag.service import Shiori
    from ui.api import create_api

    settings = Settings(index_dir=tmp_path_factory.mktemp("api-real") / "index")
    service = Shiori(settings)
    report = ingest(None, settings, progress=False, embeddings=service.embeddings)  # one model load, not two
    assert not report.failed, report.failed
    return TestClient(create_api(service, settings))


def test_health(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["documents"] == 3 and body["chunks"] > 10


def test_ask_jcm_mongolia(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "When did JCM first come up with Mongolia?"})
    assert r.status_code == 200
    a = Answer.model_validate(r.json())
    assert a.error is None and "2016" in a.text
    assert any(c.doc_id == "003_0055bfdbdfe2e4b0" and "2016" in (c.label or c.text) for c in a.citations)
    doc = client.get(f"/api/documents/{a.citations[0].doc_id}").json()
    c = a.citations[0]
    assert doc["text"][c.start:c.end] == c.text  # offsets index into the served document


def test_check_claim(client: TestClient) -> None:
    r = client.post("/api/check", json={"claim": "JCM was discussed at the 10th Japan–Mongolia dialogue in 2016."})
    assert r.status_code == 200
    v = Verdict.model_validate(r.json())
    assert v.label in {"supported", "not_found", "contradicted"}
    assert v.evidence


def test_bad_input_is_422(client: TestClient) -> None:
    assert client.post("/api/ask", json={"question": ""}).status_code == 422
    assert client.post("/api/check", json={}).status_code == 422
    assert client.get("/api/documents/..%2F..%2Fetc%2Fpasswd").status_code in (400, 404)


def test_documents_are_listed_without_paths(client: TestClient) -> None:
    docs = client.get("/api/documents").json()
    assert {d["doc_id"] for d in docs} == {p.stem for p in Path(Settings().corpus_dir).glob("*.txt")}
    assert all("/" not in (d["file_name"] or "") for d in docs)
