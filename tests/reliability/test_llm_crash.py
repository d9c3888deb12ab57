"""Issue #19: a llama.cpp build that segfaults on this CPU. Nothing ends in a bare segfault: the crash is
found in a child process, ingest indexes without translated names (with a notice), and answers are
composed by code with a message saying why."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.pipeline import ingest
from rag.llm.backends import LLMError, build_chat_model
from rag.llm.translate import translator_for
from rag.service import Shiori
from shiori.llm_check import CRASH_ENV
from shiori.settings import PROJECT_ROOT, Settings
from tests.documents import NEEDS_MODEL_EN
from tests.fakes import HashEmbeddings

CRASHING = PROJECT_ROOT / "tests" / "data" / "crashing_llama"  # sitecustomize: multi-token decode → SIGSEGV

needs_llama = pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                                 reason="llama-cpp-python is not installed")


@pytest.fixture
def crashing(fake_settings: Settings, monkeypatch) -> Settings:
    """Settings whose LLM build crashes in its check (forced through the variable the check honours)."""
    model = fake_settings.cache_dir / "model.gguf"
    model.parent.mkdir(parents=True, exist_ok=True)
    model.write_bytes(b"GGUF")
    monkeypatch.setenv(CRASH_ENV, "1")
    return fake_settings.model_copy(update={"llm_model_path": model})


@needs_llama
def test_a_build_that_crashes_is_never_loaded_in_process(crashing):
    with pytest.raises(LLMError) as info:
        build_chat_model(crashing)
    text = str(info.value)
    assert "crashes on this machine" in text and "SIGSEGV" in text and "`make run` again" in text
    assert str(crashing.cache_dir) not in text


@needs_llama
def test_ingest_completes_without_translated_names_and_says_so(crashing):
    notices = []
    translator = translator_for(crashing, notices.append)
    assert translator is None
    assert len(notices) == 1 and "without translated names" in notices[0] and "ingest --rebuild" in notices[0]
    report = ingest(None, crashing, embeddings=HashEmbeddings(), progress=False, translator=translator)
    assert report.added == 3 and not report.failed


@needs_llama
def test_answers_are_composed_by_code_with_the_reason(crashing):
    ingest(None, crashing, embeddings=HashEmbeddings(), progress=False)
    answer = Shiori(crashing, embeddings=HashEmbeddings()).answer(NEEDS_MODEL_EN)
    assert answer.error and "crashes on this machine" in answer.error and "`make run` again" in answer.error
    assert answer.text and answer.retrieved


@pytest.mark.slow
def test_shiori_ingest_survives_a_build_that_segfaults_on_decode(tmp_path):
    # The real model and the real CLI, with llama.cpp patched to segfault on any multi-token decode, as the
    # AMX build did: before the fix `shiori ingest` died with SIGSEGV while translating names.
    from shiori.models import status

    if not all(r.ok for r in status(Settings())):
        pytest.skip("models not assembled")
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed")
    real = Settings()
    corpus = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", corpus)
    # A private cache: the crash verdict this run records must not mark the real build as crashing.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(CRASHING), str(PROJECT_ROOT)]),
           "SHIORI_CACHE_DIR": str(tmp_path / "cache"), "SHIORI_CORPUS_DIR": str(corpus),
           "SHIORI_INDEX_DIR": str(tmp_path / "index"), "SHIORI_LLM_MODEL_PATH": str(real.llm_path),
           "SHIORI_EMBEDDING_MODEL_PATH": str(real.embedding_path), "SHIORI_EMBEDDING_BACKEND": "torch",
           "ANONYMIZED_TELEMETRY": "False", "COLUMNS": "200"}
    env.pop(CRASH_ENV, None)
    shiori = Path(sys.executable).with_name("shiori")
    proc = subprocess.run([str(shiori), "ingest"], env=env, capture_output=True, text=True, timeout=900,
                          cwd=tmp_path)
    assert proc.returncode == 0, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "without translated names" in proc.stderr and "SIGSEGV" in proc.stderr
    with sqlite3.connect(tmp_path / "index" / "store.sqlite") as db:
        assert db.execute("select count(*) from documents").fetchone()[0] == 3
