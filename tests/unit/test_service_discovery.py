"""The CLI answers through a running service only when it can trust it: up / down / wrong version / other code.

A real uvicorn server (in a thread, on a free port) serves the REST API over a fake service; no model loads.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag.types import Answer, AnswerStream, Verdict
from shiori import discovery
from shiori.discovery import discover, new_state, read_state, state_path, write_state
from shiori.settings import Settings
from ui.client import ServiceClient, ServiceError


class FakeService:
    """What the API needs of rag.service.Shiori, streaming a canned answer."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.questions: list[str] = []
        self.warmed = False

    def warm_up(self) -> None:
        self.warmed = True

    def stream(self, question: str, history=()) -> AnswerStream:
        self.questions.append(question)

        def steps():
            yield "Held in "
            yield "Dalanzadgad [1]."
            if self.fail:
                raise RuntimeError("the model crashed")
            return Answer(question=question, text="Held in Dalanzadgad [1].", language="en")

        return AnswerStream(steps())

    def answer(self, question: str, history=()) -> Answer:
        return self.stream(question, history).answer()

    def check(self, claim: str) -> Verdict:
        return Verdict(claim=claim, label="supported", explanation="served")

    def documents(self) -> list:
        return []

    def health(self) -> dict:
        return {"status": "ok", "documents": 3, "chunks": 43}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(index_dir=tmp_path / "index", cache_dir=tmp_path / "cache", ui_port=0)


@contextmanager
def served(settings: Settings, service: FakeService) -> Iterator[discovery.ServiceState]:
    """The real server path (prepare + run: warm-up, announce, remove on exit) in a thread."""
    from ui.server import prepare, run

    server, service, state = prepare(settings, service, ui=False)
    thread = threading.Thread(target=run, args=(server, service, settings, state), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while read_state(state_path(settings)) is None:
        assert thread.is_alive() and time.monotonic() < deadline, "the service never announced itself"
        time.sleep(0.02)
    try:
        yield read_state(state_path(settings))
    finally:
        server.should_exit = True
        thread.join(20)


def test_no_service_means_no_note(settings: Settings) -> None:
    found = discover(settings)
    assert found.service is None and found.note is None


def test_service_up_is_discovered_warmed_and_withdrawn_on_exit(settings: Settings) -> None:
    fake = FakeService()
    with served(settings, fake) as state:
        assert fake.warmed  # announced only after the models are loaded
        assert state.port > 0 and state.pid == os.getpid() and state.kind == "serve"
        assert oct(state_path(settings).stat().st_mode & 0o777) == "0o600"  # the token is private
        found = discover(settings)
        assert found.service == state and found.note is None
        stream = ServiceClient(state, settings).stream("Where was the 6th dialogue held?")
        events = list(stream)
        assert events[:2] == ["Held in ", "Dalanzadgad [1]."]
        assert Answer.model_validate(stream.answer()).text == "Held in Dalanzadgad [1]."
        assert ServiceClient(state, settings).check("x")["label"] == "supported"
    assert not state_path(settings).exists()


def test_a_second_service_for_the_same_index_is_refused(settings: Settings) -> None:
    from ui.server import ServeError, prepare

    with served(settings, FakeService()), pytest.raises(ServeError, match="already running"):
        prepare(settings, FakeService(), ui=False)


@pytest.mark.parametrize("field, value, says", [
    ("version", "0.0.1", "runs Shiori 0.0.1"),
    ("code", "0" * 16, "runs other code"),
    ("settings", "0" * 16, "other settings"),
    ("index_dir", "/somewhere/else", "another index"),
])
def test_a_mismatched_service_is_not_used(settings: Settings, field: str, value: str, says: str) -> None:
    with served(settings, FakeService()) as state:
        write_state(settings, replace(state, **{field: value}))
        found = discover(settings)
        assert found.service is None and says in found.note


def test_other_answer_settings_are_not_served(settings: Settings) -> None:
    with served(settings, FakeService()):
        other = settings.model_copy(update={"context_max_chars": 123})
        assert "other settings" in discover(other).note
        # Where the service listens is not part of the answer: still trusted.
        assert discover(settings.model_copy(update={"ui_port": 9})).service is not None


def test_a_server_without_the_token_is_not_trusted(settings: Settings) -> None:
    with served(settings, FakeService()) as state:
        write_state(settings, replace(state, token="f" * 32))  # a file the live server did not write
        found = discover(settings)
        assert found.service is None and "could not prove" in found.note


def test_service_down_falls_back(settings: Settings) -> None:
    # Announced by a live process (this one) but nothing listens on the port.
    state = new_state(settings, "127.0.0.1", 9, "serve")
    write_state(settings, replace(state, port=_closed_port()))
    found = discover(settings)
    assert found.service is None and "does not answer" in found.note


def test_a_dead_service_file_is_removed(settings: Settings) -> None:
    state = new_state(settings, "127.0.0.1", 9, "serve")
    write_state(settings, replace(state, pid=_dead_pid()))
    found = discover(settings)
    assert found.service is None and "gone" in found.note
    assert not state_path(settings).exists()


def test_garbage_state_file_is_not_trusted(settings: Settings) -> None:
    state_path(settings).parent.mkdir(parents=True)
    state_path(settings).write_text("{not json")
    assert discover(settings).service is None


def test_stream_error_after_output_is_reported_not_retried(settings: Settings) -> None:
    with served(settings, FakeService(fail=True)) as state:
        stream = iter(ServiceClient(state, settings).stream("q"))
        assert next(stream) == "Held in "
        with pytest.raises(ServiceError, match="RuntimeError: the model crashed") as info:
            list(stream)
        assert info.value.before_output is False


def test_stream_endpoint_validates_like_ask(settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from ui.api import create_api

    client = TestClient(create_api(FakeService(), settings))
    assert client.post("/api/ask/stream", json={"question": "  "}).status_code == 422
    lines = client.post("/api/ask/stream", json={"question": "q"}).text.strip().splitlines()
    assert [json.loads(x)["type"] for x in lines] == ["token", "token", "answer"]
    assert "proof" not in client.get("/api/health", headers={"X-Shiori-Nonce": "n"}).json()  # no token, no proof


# ---- the CLI


class _Refused:
    """Stands in for rag.service.Shiori: the in-process path must not run when a service answers."""

    def __init__(self, *a, **k) -> None:
        raise AssertionError("answered in-process")


def test_cli_answers_through_the_service(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import cli

    fake = FakeService()
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    monkeypatch.setattr("rag.service.Shiori", _Refused)
    with served(settings, fake):
        result = CliRunner().invoke(cli.app, ["ask", "Where was the 6th dialogue held?"])
        assert result.exit_code == 0, result.output
        assert "Dalanzadgad" in result.output and "in-process" not in result.output
        assert fake.questions == ["Where was the 6th dialogue held?"]
        result = CliRunner().invoke(cli.app, ["check", "held in Dalanzadgad"])
        assert result.exit_code == 0 and "served" in result.output


def test_cli_falls_back_in_process_with_a_note(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import cli

    local = FakeService()

    class Local:
        def __init__(self, *a, **k) -> None:
            pass

        def preload_llm(self) -> None:
            pass

        def stream(self, question, history=()):
            return local.stream(question, history)

    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    monkeypatch.setattr("rag.service.Shiori", Local)
    with served(settings, FakeService()) as state:
        write_state(settings, replace(state, version="9.9.9"))
        result = CliRunner().invoke(cli.app, ["ask", "q"])
    assert result.exit_code == 0, result.output
    assert "runs Shiori 9.9.9" in result.output and "answering in-process" in result.output
    assert local.questions == ["q"] and "Dalanzadgad" in result.output


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_sigterm_withdraws_the_announcement(settings: Settings) -> None:
    import signal
    import subprocess
    import sys

    from shiori.settings import PROJECT_ROOT

    script = (
        "from shiori.settings import Settings\n"
        "from tests.unit.test_service_discovery import FakeService\n"
        "from ui.server import prepare, run\n"
        f"s = Settings(index_dir={str(settings.index_dir)!r}, cache_dir={str(settings.cache_dir)!r}, ui_port=0)\n"
        "server, service, state = prepare(s, FakeService(), ui=False)\n"
        "run(server, service, s, state)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=str(PROJECT_ROOT),
                            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not state_path(settings).exists():
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()[-2000:]
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)  # what `kill` and service managers send
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not state_path(settings).exists()
