"""Set-up's llama.cpp steps without compiling: which build is installed, and a crash leading to the safe
rebuild (the check's child is real; compiling and installing are recorded instead)."""

from __future__ import annotations

import json

import pytest

from shiori import llama_setup, llm_check
from shiori.llama_build import cpu_flags, recipe
from shiori.llm_check import CRASH_ENV, Verdict, cached, verdict_path
from shiori.settings import Settings

VERSION = "0.3.36"


class Recorder:
    """Stands in for the compiler and pip: records what set-up asked for."""

    def __init__(self) -> None:
        self.compiled = []
        self.installed = []

    def compile(self, build, out_dir):
        self.compiled.append(build)
        wheel = out_dir / f"llama_cpp_python-{build.version}-py3-none-linux_x86_64.whl"
        wheel.write_bytes(b"wheel")
        return wheel

    def install(self, wheel):
        self.installed.append(wheel)


@pytest.fixture
def rec(monkeypatch):
    monkeypatch.delenv("SHIORI_LLAMA_BUILD", raising=False)
    monkeypatch.delenv("CMAKE_ARGS", raising=False)
    monkeypatch.setattr(llama_setup, "build_identity", lambda: "unmanaged-old")
    monkeypatch.setattr(llm_check, "build_identity", lambda: "unmanaged-old")
    return Recorder()


@pytest.fixture
def settings(tmp_path):
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    return Settings(cache_dir=tmp_path / "cache", llm_model_path=model, llm_threads=2)


def test_install_compiles_the_portable_build_once_into_its_keyed_folder(tmp_path, rec, monkeypatch, capsys):
    build = llama_setup.install(VERSION, tmp_path, compile=rec.compile, install=rec.install)
    assert build.kind == "portable" and [b.key for b in rec.compiled] == [build.key]
    assert rec.installed == [tmp_path / "build" / build.key / "llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl"]
    assert json.loads((tmp_path / "build" / build.key / "build.json").read_text())["key"] == build.key
    # A version-only wheel from the old cache layout is never taken for it.
    assert "compiling llama-cpp-python==0.3.36 for any x86-64 CPU" in capsys.readouterr().out
    llama_setup.install(VERSION, tmp_path, compile=rec.compile, install=rec.install)
    assert len(rec.compiled) == 1 and len(rec.installed) == 2  # from the cache, no second compile
    monkeypatch.setattr(llama_setup, "build_identity", lambda: build.key)
    llama_setup.install(VERSION, tmp_path, compile=rec.compile, install=rec.install)
    assert len(rec.installed) == 2  # installed already: nothing to do


def test_install_takes_the_safe_build_where_the_portable_one_crashed_before(tmp_path, rec, settings):
    portable = recipe("portable", VERSION, cpu_flags())
    model = settings.llm_model_path
    path = verdict_path(tmp_path, portable.key, model, 2)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"status": "crashed", "detail": "killed by SIGSEGV", "build": portable.key}))
    build = llama_setup.install(VERSION, tmp_path, compile=rec.compile, install=rec.install)
    assert build.kind == "safe" and [b.kind for b in rec.compiled] == ["safe"]


def test_a_forced_crash_in_the_check_leads_to_the_safe_rebuild(tmp_path, rec, settings, monkeypatch, capsys):
    monkeypatch.setenv(CRASH_ENV, "1")  # the real check's child kills itself with SIGSEGV
    monkeypatch.setattr(llama_setup, "manifest", lambda: {"kind": "portable"})
    action = llama_setup.check(VERSION, tmp_path, settings, compile=rec.compile, install=rec.install)
    out = capsys.readouterr().out
    safe = rec.compiled[0]
    assert [b.kind for b in rec.compiled] == ["safe"] and "-DGGML_AMX_INT8=OFF" in safe.cmake_args
    assert rec.installed == [tmp_path / "build" / safe.key / "llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl"]
    assert "killed by SIGSEGV" in out and "rebuilding it with safe flags (fixed flags for this CPU" in out
    # Forced, the safe build's check crashes too: Shiori goes on without the LLM, and says so.
    assert action == "without-llm" and "Shiori runs without the LLM" in out


def test_a_safe_build_that_answers_ends_the_repair(tmp_path, rec, settings, monkeypatch, capsys):
    monkeypatch.setattr(llama_setup, "manifest", lambda: {"kind": "portable"})
    verdicts = iter([Verdict("crashed", "killed by SIGSEGV (in _internals.py decode)", "0.3.36-portable-x"),
                     Verdict("ok", "answered", "0.3.36-safe-y", "")])
    action = llama_setup.check(VERSION, tmp_path, settings, run_check=lambda s, m: next(verdicts),
                               compile=rec.compile, install=rec.install)
    out = capsys.readouterr().out
    assert action == "rebuild-safe" and len(rec.installed) == 1
    lines = [x for x in out.splitlines() if "rebuilding" in x]
    assert len(lines) == 1 and "0.3.36-portable-x killed by SIGSEGV (in _internals.py decode)" in lines[0]
    assert "0.3.36-safe-y answers a chat completion" in out


def test_a_build_that_answers_is_kept(tmp_path, rec, settings, monkeypatch):
    monkeypatch.setattr(llama_setup, "manifest", lambda: {"kind": "portable"})
    action = llama_setup.check(VERSION, tmp_path, settings, run_check=lambda s, m: Verdict("ok", "5", "b", "zen4"),
                               compile=rec.compile, install=rec.install)
    assert action == "keep" and not rec.compiled and not rec.installed


def test_no_model_yet_skips_the_check(tmp_path, rec, monkeypatch, capsys):
    settings = Settings(cache_dir=tmp_path / "cache", llm_model_path=tmp_path / "absent.gguf")
    assert llama_setup.check(VERSION, tmp_path, settings, run_check=cached, compile=rec.compile,
                             install=rec.install) == "keep"
    assert "check skipped" in capsys.readouterr().out and not rec.compiled
