"""Load: 8 concurrent chat sessions through the served REST API, and ingestion while questions are answered.

The server is uvicorn in a thread on a free loopback port; clients are threads using httpx. Each session
asks one question and one follow-up carrying its own history, bounded in count and in time.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

import httpx
import pytest

from rag.llm.prompts import rewrite_system
from rag.service import Shiori
from shiori.settings import PROJECT_ROOT
from tests.fakes import ScriptedChatModel

MN, VN, SAKAI = "003_0055bfdbdfe2e4b0", "000_8985a77eb798b76a", "002_926e63bc45885766"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
OVERALL_TIMEOUT_S = 900.0

# (question, its document, follow-up, the follow-up's document): 8 distinct sessions.
SESSIONS = [
    ("When did JCM first come up with Mongolia?", MN, "and with Vietnam?", VN),
    ("日本・ベトナム環境政策対話の第1回はいつ開催されましたか？", VN, "その時の開催地は？", VN),
    ("What did Sakai City sign with Ba Ria-Vung Tau province?", SAKAI, "When was it signed?", SAKAI),
    ("日本・モンゴル環境政策対話の第10回の開催地はどこですか？", MN, "その次の回は？", MN),
    ("How many times was the Japan-Mongolia Environmental Policy Dialogue held?", MN,
     "and the Japan-Vietnam one?", VN),
    ("堺市とバリア・ブンタウ省の覚書はどこで署名されましたか？", SAKAI, "その時の出席者は？", SAKAI),
    ("What was discussed at the latest Japan-Vietnam Environmental Policy Dialogue?", VN, "and where was it held?", VN),
    ("In which year was the 5th Japan-Mongolia Environmental Policy Dialogue held?", MN, "what about the 6th?", MN),
]

NEW_DOC = "ラオス環境政策対話\n\n日本・ラオス環境政策対話の第1回会合は2024年にビエンチャンで開催され、水質保全を議論した。\n"


@dataclass
class Turn:
    """One request of one session, as the client saw it."""

    session: int
    turn: int
    question: str
    expected_doc: str
    status: int = 0
    seconds: float = 0.0
    echo: str | None = None
    standalone: str | None = None
    retrieved_docs: list[str] = field(default_factory=list)
    error: str | None = None


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def served(app) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on 127.0.0.1 in a thread; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def run_session(base: str, i: int, timeout: float) -> list[Turn]:
    """One chat session: a question, then a follow-up that carries the first exchange as history."""
    q1, d1, q2, d2 = SESSIONS[i]
    history: list[tuple[str, str]] = []
    turns = []
    with httpx.Client(base_url=base, timeout=timeout) as client:
        for n, (q, doc) in enumerate(((q1, d1), (q2, d2))):
            turn = Turn(i, n, q, doc)
            t = time.perf_counter()
            try:
                r = client.post("/api/ask", json={"question": q, "history": history})
                turn.status = r.status_code
                data = r.json()
                turn.echo, turn.standalone, turn.error = data.get("question"), data.get("standalone_question"), data.get("error")
                turn.retrieved_docs = [p["doc_id"] for p in data.get("retrieved", [])]
                history = [*history, (q, data.get("text", ""))]
            except Exception as e:  # noqa: BLE001 - recorded and asserted on, so every session reports
                turn.error = f"{type(e).__name__}: {e}"
            turn.seconds = time.perf_counter() - t
            turns.append(turn)
    return turns


def run_load(base: str, timeout: float = OVERALL_TIMEOUT_S, during=None) -> tuple[list[Turn], float, object]:
    """All sessions at once (and `during()` beside them); returns the turns, wall time and during's result."""
    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(SESSIONS) + 1) as pool:
        futures = [pool.submit(run_session, base, i, timeout) for i in range(len(SESSIONS))]
        side = pool.submit(during) if during else None
        turns = [turn for f in futures for turn in f.result(timeout=timeout)]
        side_result = side.result(timeout=timeout) if side else None
    return turns, time.perf_counter() - t, side_result


def assert_no_crossing(turns: list[Turn], *, check_docs: bool) -> None:
    """No errors; each reply echoes its own question; follow-ups were rewritten from their own session."""
    assert len(turns) == 2 * len(SESSIONS)
    for t in turns:
        assert t.status == 200 and t.error is None, asdict(t)
        assert t.echo == t.question, asdict(t)
        if check_docs:
            assert t.expected_doc in t.retrieved_docs, asdict(t)
    for t in (t for t in turns if t.turn == 1 and t.standalone):
        own = SESSIONS[t.session][0]
        others = [s[0] for j, s in enumerate(SESSIONS) if j != t.session]
        # A rewritten follow-up may borrow words from its own first question, never a whole other one.
        assert not any(o in t.standalone for o in others), (own, t.standalone)


def percentiles(values: list[float]) -> dict[str, float]:
    """p50 / p95 / max of a list of seconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50": round(statistics.median(ordered), 3), "p95": round(p95, 3), "max": round(ordered[-1], 3)}


def _scripted(messages) -> str:
    """Fake model: no rewrite (so the follow-up is joined with its own first question), a short answer."""
    if str(messages[0].content) == rewrite_system():
        return ""
    return "資料によれば、その通りです[1]。"


def test_concurrent_sessions_and_ingestion_with_fakes(fake_index, fake_embeddings, tmp_path):
    from ui.api import create_api

    service = Shiori(fake_index, embeddings=fake_embeddings, llm=ScriptedChatModel(reply=_scripted, prompts=[]))
    new = tmp_path / "laos.txt"
    new.write_text(NEW_DOC, encoding="utf-8")

    def ingest_new():
        time.sleep(0.05)  # while the first questions are in flight
        return service.ingest([new])

    with served(create_api(service, fake_index)) as base:
        turns, wall, report = run_load(base, timeout=120, during=ingest_new)
        assert report.added == 1 and not report.failed
        docs = httpx.get(f"{base}/api/documents", timeout=30).json()
        r = httpx.post(f"{base}/api/ask", json={"question": "ラオスとの環境政策対話の第1回はいつ？"}, timeout=30)
    assert_no_crossing(turns, check_docs=False)
    for t in (t for t in turns if t.turn == 1 and t.standalone):
        assert t.standalone == f"{SESSIONS[t.session][0]} {t.question}"  # its own history, exactly
    assert "laos" in {d["doc_id"] for d in docs}
    assert r.status_code == 200 and "laos" in [p["doc_id"] for p in r.json()["retrieved"]]
    assert wall < 120


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_concurrent_sessions_through_the_real_ui_server(real_settings, real_service, tmp_path):
    from ui.server import build

    # A copy of the session index, so the document ingested during the load does not leak into other tests.
    index = tmp_path / "index"
    shutil.copytree(real_settings.index_dir, index, ignore=shutil.ignore_patterns(".lock"))
    settings = real_settings.model_copy(update={"index_dir": index})
    service = Shiori(settings, embeddings=real_service.embeddings, llm=real_service.llm())
    new = tmp_path / "laos.txt"
    new.write_text(NEW_DOC, encoding="utf-8")
    ingest_seconds: list[float] = []

    def ingest_new():
        time.sleep(2.0)  # the first questions are being answered by then
        t = time.perf_counter()
        report = service.ingest([new])
        ingest_seconds.append(time.perf_counter() - t)
        return report

    with served(build(settings, service)) as base:  # the whole UI app: REST API + Gradio at /
        assert httpx.get(f"{base}/api/health", timeout=30).json()["status"] == "ok"
        turns, wall, report = run_load(base, during=ingest_new)
        after = httpx.post(f"{base}/api/ask", json={"question": "日本・ラオス環境政策対話の第1回はいつ開催されましたか？"},
                           timeout=300).json()
    assert report.added == 1 and not report.failed
    assert "laos" in [p["doc_id"] for p in after["retrieved"]]

    latencies = [t.seconds for t in turns]
    figures = {
        "sessions": len(SESSIONS), "requests": len(turns), "wall_seconds": round(wall, 1),
        "errors": sum(1 for t in turns if t.status != 200 or t.error),
        "latency_s": percentiles(latencies),
        "first_turn_latency_s": percentiles([t.seconds for t in turns if t.turn == 0]),
        "follow_up_latency_s": percentiles([t.seconds for t in turns if t.turn == 1]),
        "ingest_during_load_s": round(ingest_seconds[0], 2) if ingest_seconds else None,
        "expected_doc_retrieved": sum(1 for t in turns if t.expected_doc in t.retrieved_docs),
        "note": "llama.cpp answers one question at a time (GENERATION_LOCK); latency includes queueing",
        "turns": [asdict(t) for t in turns],
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    assert_no_crossing(turns, check_docs=True)
    assert wall < OVERALL_TIMEOUT_S
