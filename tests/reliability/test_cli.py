"""The CLI against hostile input and a running service's refusals (issue 20, item 8).

`shiori ask`/`check` answer through a running service (tests/unit/test_service_discovery.py's real server
path: prepare + run, announced in service.json); the in-process path is replaced by a stand-in that fails
the test if it is ever built.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from shiori.settings import PROJECT_ROOT, Settings
from tests.unit.test_service_discovery import FakeService, served


class _InProcess:
    """Stands in for rag.service.Shiori: after the service refused, nothing may be tried in-process."""

    built = 0

    def __init__(self, *a, **k) -> None:
        type(self).built += 1
        raise AssertionError("checked in-process after the service refused")


@pytest.fixture
def cli(tmp_path, monkeypatch):
    from ui import cli

    settings = Settings(index_dir=tmp_path / "index", cache_dir=tmp_path / "cache", ui_port=0)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    monkeypatch.setattr("rag.service.Shiori", _InProcess)
    _InProcess.built = 0
    return cli, settings


@pytest.mark.parametrize(("command", "what"), [("check", "claim"), ("ask", "question")])
@pytest.mark.parametrize("as_json", [False, True])
def test_the_services_refusal_is_the_answer(cli, command, what, as_json):
    app, settings = cli
    service = FakeService()
    with served(settings, service):
        args = [command, "x" * 100_000, *(["--json"] if as_json else [])]
        result = CliRunner().invoke(app.app, args)
    assert result.exit_code == 2, result.output
    assert f"refused the {what}" in result.output and "2000 characters" in result.output, result.output
    assert "in-process" not in result.output and _InProcess.built == 0
    assert service.questions == []


def test_only_a_refusal_is_final():
    # A 5xx or a broken connection is the service's failure, not a verdict on the input: unchanged.
    from ui.client import ServiceError

    assert not ServiceError("x", status=500).refused and not ServiceError("x").refused
    assert ServiceError("x", status=422).refused and ServiceError("x", status=413).refused


@pytest.mark.parametrize("command", ["ask", "check"])
def test_undecodable_bytes_in_the_argument_are_a_clear_message(tmp_path, command):
    # Real argv bytes: a terminal that hands the program \xff\xfe (not UTF-8) as the question.
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "SHIORI_INDEX_DIR": str(tmp_path / "index"),
           "SHIORI_SERVICE_DISCOVERY": "false", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "shiori", command, os.fsdecode(b"\xff\xfe")],
                          capture_output=True, env=env, cwd=PROJECT_ROOT, timeout=300)
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    assert proc.returncode == 2, out
    assert "not valid UTF-8 text" in out and "ff fe" in out, out
    assert "UnicodeEncodeError" not in out and "Traceback" not in out, out


@pytest.mark.parametrize("command", ["ask", "check"])
def test_undecodable_bytes_never_reach_the_answer_chain(fake_index, monkeypatch, command):
    # In-process over a real (fake-embedded) index: where the UnicodeEncodeError came from.
    from rag.service import Shiori
    from tests.fakes import HashEmbeddings, ScriptedChatModel
    from ui import cli

    settings = fake_index.model_copy(update={"service_discovery": False})
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    monkeypatch.setattr("rag.service.Shiori", lambda s: Shiori(s, embeddings=HashEmbeddings(),
                                                               llm=ScriptedChatModel(prompts=[])))
    result = CliRunner().invoke(cli.app, [command, os.fsdecode(b"\xff\xfe")])
    assert result.exit_code == 2 and "not valid UTF-8 text" in result.output, result.output
    assert "UnicodeEncodeError" not in result.output
