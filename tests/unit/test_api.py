"""REST API over a fake service: JSON shapes of /api/ask, /api/check, /api/health, input checks, documents by id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.schema import Chunk, Provenance, SourceDocument
from rag.types import Answer, AnswerStream, Citation, Passage, SentenceCheck, Verdict
from shiori.settings import Settings
from ui.api import create_api, parse_auth

MONGOLIA = (
    "日・モンゴル環境政策対話\n第10回\n(2016年)\n"
    "ウランバートル 気候変動(適応)、二国間クレジット制度(JCM)、水銀管理の各分野について合意された。\n"
    "<script>alert('x')</script><img src=x onerror=alert(1)>\n"
)
ROW_START = MONGOLIA.index("第10回")
ROW_END = MONGOLIA.index("<script>") - 1


@dataclass
class Info:
    """Same fields as ingest.store.DocumentInfo."""

    doc_id: str
    title: str
    path: str
    chunk_count: int
    content_hash: str


class FakeShiori:
    """The rag.service.Shiori methods the UI uses, with canned results."""

    def __init__(self) -> None:
        self.docs = {
            "003_mongolia": SourceDocument(
                doc_id="003_mongolia", path="/srv/corpus/003_mongolia.txt", text=MONGOLIA,
                provenance=Provenance(title="日・モンゴル環境政策対話"), content_hash="abc"),
        }
        self.calls: list[tuple[str, object]] = []

    def _answer(self, question: str, history=()) -> Answer:
        text = MONGOLIA[ROW_START:ROW_END]
        span = text.index("二国間クレジット制度(JCM)")
        cit = Citation(n=1, chunk_id="003_mongolia#1", doc_id="003_mongolia", title="日・モンゴル環境政策対話",
                       text=text, start=ROW_START, end=ROW_END, span_start=span,
                       span_end=span + len("二国間クレジット制度(JCM)"), support=0.9, label="第10回 (2016年)")
        passage = Passage(chunk_id=cit.chunk_id, doc_id=cit.doc_id, title=cit.title, text=text,
                          start=ROW_START, end=ROW_END, kind="row", meeting_number=10, year=2016)
        sentence = "JCM first came up at the 10th meeting in 2016 [1]."
        return Answer(question=question, text=sentence, language="en", citations=[cit], retrieved=[passage],
                      sentences=[SentenceCheck(text=sentence, citations=[1], supported=True, score=0.9)])

    def answer(self, question: str, history=()) -> Answer:
        self.calls.append(("answer", (question, list(history))))
        return self._answer(question, history)

    def stream(self, question: str, history=()) -> AnswerStream:
        self.calls.append(("stream", (question, list(history))))
        a = self._answer(question, history)

        def steps():
            yield from a.text.split(" ")
            return a

        return AnswerStream(steps())

    def check(self, claim: str) -> Verdict:
        self.calls.append(("check", claim))
        a = self._answer(claim)
        return Verdict(claim=claim, label="supported", explanation="The 10th meeting (2016) lists JCM.",
                       evidence=a.citations)

    def documents(self) -> list[Info]:
        return [Info(d.doc_id, d.provenance.title, d.path, 1, d.content_hash) for d in self.docs.values()]

    def document(self, doc_id: str) -> SourceDocument | None:
        return self.docs.get(doc_id)

    def meetings(self) -> list[Chunk]:
        text = MONGOLIA[ROW_START:ROW_END]
        return [Chunk(chunk_id="003_mongolia#1", doc_id="003_mongolia", text=text, start=ROW_START, end=ROW_END,
                      index_text=text, embed_text=text, title="日・モンゴル環境政策対話", kind="row",
                      dialogue="日本・モンゴル環境政策対話", meeting_number=10, year=2016)]

    def ingest(self, paths: list[Path]):
        self.calls.append(("ingest", paths))
        return type("Report", (), {"added": list(paths), "failed": [], "chunks_written": 1})()


@pytest.fixture
def service() -> FakeShiori:
    return FakeShiori()


@pytest.fixture
def client(service: FakeShiori, tmp_path: Path) -> TestClient:
    return TestClient(create_api(service, Settings(index_dir=tmp_path / "index")))


def test_ask_returns_the_answer_json(client: TestClient, service: FakeShiori) -> None:
    r = client.post("/api/ask", json={"question": "When did JCM first come up with Mongolia?",
                                      "history": [["hi", "hello"]]})
    assert r.status_code == 200
    body = r.json()
    assert Answer.model_validate(body).citations[0].label == "第10回 (2016年)"
    assert set(body) >= {"question", "text", "language", "citations", "retrieved", "sentences", "abstained",
                         "error", "notices", "timings"}
    assert "2016" in body["text"]
    assert service.calls[-1] == ("answer", ("When did JCM first come up with Mongolia?", [("hi", "hello")]))


def test_check_returns_the_verdict_json(client: TestClient) -> None:
    r = client.post("/api/check", json={"claim": "JCM came up with Mongolia in 2016"})
    assert r.status_code == 200
    v = Verdict.model_validate(r.json())
    assert v.label == "supported" and v.evidence[0].doc_id == "003_mongolia"


def test_health_is_computed_from_documents_when_service_has_none(client: TestClient) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "documents": 1, "chunks": 1}


def test_health_uses_the_service_health_when_present(service: FakeShiori, tmp_path: Path) -> None:
    service.health = lambda: {"documents": 3, "llm": "ready"}  # type: ignore[attr-defined]
    c = TestClient(create_api(service, Settings(index_dir=tmp_path)))
    assert c.get("/api/health").json() == {"documents": 3, "llm": "ready", "status": "ok"}


@pytest.mark.parametrize("body", [{}, {"question": ""}, {"question": 3}, {"question": "   "},
                                  {"question": "x", "history": "nope"}, {"question": "x" * 2001}])
def test_ask_rejects_bad_input_with_422(client: TestClient, body: dict) -> None:
    assert client.post("/api/ask", json=body).status_code == 422


@pytest.mark.parametrize("body", [{}, {"claim": ""}, {"claim": None}, {"text": "x"}])
def test_check_rejects_bad_input_with_422(client: TestClient, body: dict) -> None:
    assert client.post("/api/check", json=body).status_code == 422


def test_service_failure_is_a_json_message_not_a_traceback(service: FakeShiori, tmp_path: Path) -> None:
    def boom(question: str, history=()) -> Answer:
        raise RuntimeError("index missing")

    service.answer = boom  # type: ignore[method-assign]
    c = TestClient(create_api(service, Settings(index_dir=tmp_path)), raise_server_exceptions=False)
    r = c.post("/api/ask", json={"question": "q"})
    assert r.status_code == 500
    assert r.json() == {"detail": "internal error: RuntimeError: index missing"}
    assert "Traceback" not in r.text


def test_documents_list_has_counts_and_no_server_paths(client: TestClient) -> None:
    docs = client.get("/api/documents").json()
    assert docs == [{"doc_id": "003_mongolia", "title": "日・モンゴル環境政策対話", "file_name": "003_mongolia.txt",
                     "chunks": 1, "content_hash": "abc"}]


def test_document_by_id(client: TestClient) -> None:
    r = client.get("/api/documents/003_mongolia")
    assert r.status_code == 200
    assert r.json()["text"] == MONGOLIA and r.json()["title"] == "日・モンゴル環境政策対話"


@pytest.mark.parametrize("doc_id", ["unknown", "..", "...", "%2E%2E%2Fetc%2Fpasswd", "..%2F..%2Fetc%2Fpasswd",
                                    "a%5Cb", ".hidden", "003_mongolia%00"])
def test_document_refuses_unknown_and_path_like_ids(client: TestClient, service: FakeShiori, doc_id: str) -> None:
    read: list[str] = []
    service.document = lambda i: read.append(i)  # type: ignore[method-assign,func-returns-value]
    r = client.get(f"/api/documents/{doc_id}")
    assert r.status_code in (400, 404)
    assert read == []  # refused before the service is asked
    assert "root:" not in r.text


def test_api_requires_credentials_when_auth_is_set(service: FakeShiori, tmp_path: Path) -> None:
    c = TestClient(create_api(service, Settings(index_dir=tmp_path, ui_auth="ann:secret")))
    assert c.get("/api/health").status_code == 401
    assert c.get("/api/health", auth=("ann", "wrong")).status_code == 401
    assert c.get("/api/health", auth=("ann", "secret")).status_code == 200


@pytest.mark.parametrize("raw", ["nopassword", ":pw", "user:"])
def test_parse_auth_rejects_malformed(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_auth(raw)


def test_server_refuses_a_public_host_without_credentials(tmp_path: Path) -> None:
    from ui.server import ServeError, check_exposure

    check_exposure(Settings(index_dir=tmp_path))  # loopback: fine
    with pytest.raises(ServeError, match="SHIORI_UI_AUTH"):
        check_exposure(Settings(index_dir=tmp_path, ui_host="0.0.0.0"))
    with pytest.raises(ServeError, match="malformed"):
        check_exposure(Settings(index_dir=tmp_path, ui_host="0.0.0.0", ui_auth="nopassword"))
    check_exposure(Settings(index_dir=tmp_path, ui_host="0.0.0.0", ui_auth="ann:secret"))


def test_chat_stream_thinks_streams_and_rerenders_from_the_final_answer(service: FakeShiori, tmp_path: Path) -> None:
    from ui.app import chat_stream

    steps = list(chat_stream(service, Settings(index_dir=tmp_path), "JCM?", [("a", "b")], []))
    assert "考えています" in steps[0][0]
    assert 'class="cite"' not in steps[1][0]  # tokens: markers not linked yet
    transcript, sources, box, history, turns = steps[-1]
    assert 'data-n="1"' in transcript and "<mark>" in sources and box == ""
    assert history == [("a", "b"), ("JCM?", service._answer("JCM?").text)]
    assert service.calls[0] == ("stream", ("JCM?", [("a", "b")]))


def test_chat_stream_shows_errors_not_tracebacks(service: FakeShiori, tmp_path: Path) -> None:
    from ui.app import chat_stream

    def broken(question: str, history=()):
        def steps():
            yield "partial "
            raise RuntimeError("llama crashed")

        return AnswerStream(steps())

    service.stream = broken  # type: ignore[method-assign]
    *_, last = chat_stream(service, Settings(index_dir=tmp_path), "q", [], [])
    assert "RuntimeError: llama crashed" in last[0] and "Traceback" not in last[0]


def test_open_citation_only_by_id(service: FakeShiori) -> None:
    from ui.app import open_citation

    html = open_citation(service, {"doc": "003_mongolia", "start": ROW_START, "end": ROW_END})
    assert '<mark id="passage"' in html and "<script>" not in html
    assert "not found" in open_citation(service, {"doc": "../../etc/passwd"})


def test_timeline_marks_meetings_with_the_term(service: FakeShiori) -> None:
    from ui.app import timeline_figure

    fig, summary = timeline_figure(service.meetings(), "ｊｃｍ")  # full-width, lower case: NFKC + casefold
    assert fig is not None and "1 meetings" in summary and "2016" in summary
    _, none = timeline_figure(service.meetings(), "水銀X")
    assert "not mentioned" in none


def test_health_is_503_when_the_service_says_a_part_is_down(service: FakeShiori, tmp_path: Path) -> None:
    # Was: 200 "ok" computed from the document list (issue 14, failure 8: health lied).
    service.health = lambda: {"status": "down", "down": ["chroma"]}  # type: ignore[attr-defined]
    r = TestClient(create_api(service, Settings(index_dir=tmp_path))).get("/api/health")
    assert r.status_code == 503 and r.json()["down"] == ["chroma"]

    def broken() -> dict:
        raise RuntimeError("boom")

    service.health = broken  # type: ignore[attr-defined]
    r = TestClient(create_api(service, Settings(index_dir=tmp_path))).get("/api/health")
    assert r.status_code == 503 and "boom" in r.json()["error"]
