"""The LLM smoke check: a crashing child is reported, never propagated; verdicts are cached per build."""

from __future__ import annotations

import json
import sys

import pytest

from shiori import llm_check
from shiori.llm_check import CRASH_ENV, Verdict, cached, failed_here, forced_crash, run, verdict_path
from shiori.settings import Settings

SEGFAULT = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF not really")
    return path


@pytest.fixture
def settings(tmp_path, model):
    return Settings(cache_dir=tmp_path / "cache", llm_model_path=model, llm_threads=2)


def test_a_child_killed_by_sigsegv_is_reported_not_propagated(model):
    verdict = run(model, 2, command=SEGFAULT)
    assert verdict.status == "crashed" and verdict.crashed
    assert verdict.detail.startswith("killed by SIGSEGV")


def test_a_child_that_fails_or_hangs_is_told_apart_from_a_crash(model):
    failed = run(model, 2, command=[sys.executable, "-c", "raise ValueError('Failed to load model')"])
    assert failed.status == "failed" and not failed.crashed
    assert failed.detail == "ValueError: Failed to load model"
    hung = run(model, 2, command=[sys.executable, "-c", "import time; time.sleep(30)"], timeout=1)
    assert hung.status == "timeout" and not hung.crashed


def test_the_environment_variable_makes_the_real_child_crash_before_loading(model, monkeypatch):
    monkeypatch.setenv(CRASH_ENV, "1")
    verdict = run(model, 2)  # the real child: it never gets to the (fake) model
    assert verdict.status == "crashed"
    assert "SIGSEGV" in verdict.detail and "llm_check.py _child" in verdict.detail


@pytest.mark.parametrize(("value", "kind", "crash"), [
    ("", "portable", False), ("0", "portable", False), ("1", "safe", True), ("any", None, True),
    ("portable", "portable", True), ("portable", "safe", False), ("native,portable", "portable", True),
])
def test_which_builds_the_variable_crashes(monkeypatch, value, kind, crash):
    monkeypatch.setenv(CRASH_ENV, value)
    assert forced_crash(kind) is crash


def test_verdicts_are_cached_per_build_and_forced_ones_never(settings, model, monkeypatch):
    calls = []

    def fake_run(path, threads, **_):
        calls.append(threads)
        return Verdict("crashed", "killed by SIGSEGV", "b1")

    monkeypatch.setattr(llm_check, "run", fake_run)
    monkeypatch.setattr(llm_check, "build_identity", lambda: "b1")
    assert cached(settings, model).crashed and cached(settings, model).crashed
    assert calls == [2]  # checked once, then read
    saved = verdict_path(settings.cache_dir, "b1", model, 2)
    assert json.loads(saved.read_text())["status"] == "crashed"
    assert failed_here(settings.cache_dir, "b1") and not failed_here(settings.cache_dir, "b2")
    monkeypatch.setattr(llm_check, "build_identity", lambda: "b2")  # another build: checked again
    cached(settings, model)
    assert calls == [2, 2]
    monkeypatch.setenv(CRASH_ENV, "1")  # forced: neither read nor written
    monkeypatch.setattr(llm_check, "build_identity", lambda: "b3")
    cached(settings, model)
    cached(settings, model)
    assert calls == [2, 2, 2, 2]
    assert not verdict_path(settings.cache_dir, "b3", model, 2).exists()


def test_inconclusive_verdicts_are_not_kept(settings, model, monkeypatch):
    monkeypatch.setattr(llm_check, "run", lambda *a, **k: Verdict("timeout", "no answer", "b1"))
    monkeypatch.setattr(llm_check, "build_identity", lambda: "b1")
    assert cached(settings, model).status == "timeout"
    assert not verdict_path(settings.cache_dir, "b1", model, 2).exists()


def test_without_llama_cpp_the_check_is_skipped(settings, model, monkeypatch):
    monkeypatch.setattr(llm_check, "build_identity", lambda: None)
    assert cached(settings, model).status == "skipped"
