"""`shiori serve` as a real process with the real models: the CLI answers through it, then without it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from shiori.discovery import discover, state_path
from shiori.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.slow

QUESTION = "Where was the 6th Japan-Mongolia dialogue held?"


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shiori", *args], env=env, capture_output=True, text=True,
                          timeout=600, cwd=str(PROJECT_ROOT))


def test_cli_answers_through_a_running_service_and_falls_back_after_it_stops(real_settings: Settings) -> None:
    env = {**os.environ, "SHIORI_INDEX_DIR": str(real_settings.index_dir), "PYTHONPATH": str(PROJECT_ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "shiori", "serve", "--port", "0"], env=env,
                              cwd=str(PROJECT_ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 600
        while discover(real_settings).service is None:
            assert server.poll() is None, server.stderr.read()[-2000:]
            assert time.monotonic() < deadline, "the service never became ready"
            time.sleep(1)
        served = _run(["ask", QUESTION], env)
        assert served.returncode == 0, served.stderr
        assert "in-process" not in served.stderr  # answered by the service
        assert "003_0055bfdbdfe2e4b0" in served.stdout  # cites the Mongolia document
        checked = _run(["check", "The 6th Japan-Mongolia dialogue was held in Dalanzadgad.", "--json"], env)
        assert checked.returncode == 0 and json.loads(checked.stdout)["label"] in {"supported", "not_found",
                                                                                   "contradicted"}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert not state_path(real_settings).exists()  # withdrawn on exit

    local = _run(["ask", QUESTION, "--json"], env)
    assert local.returncode == 0, local.stderr
    assert "answering in-process" in local.stderr
    assert json.loads(local.stdout)["question"] == QUESTION
