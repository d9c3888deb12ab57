"""Smoke run of the eval runner with the real models on a few questions (slow)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from evals.runner import DEFAULT_QUESTIONS, run_eval
from shiori.settings import Settings

pytestmark = pytest.mark.slow
LIMIT = 4  # the first lines of questions.jsonl mix en/ja and answerable/unanswerable on purpose
SUMMARY_KEYS = {
    "pipeline",
    "n_questions",
    "answer_accuracy",
    "abstention_accuracy",
    "false_abstain_rate",
    "recall_at_k",
    "mrr",
    "citation_recall",
    "citation_precision",
    "support_rate",
    "latency_p50",
    "latency_p95",
    "accuracy_by_lang",
    "accuracy_by_type",
}


def _missing(settings: Settings, module: str) -> str | None:
    if not settings.embedding_path.exists():
        return f"embedding model not assembled at {settings.embedding_path} (run `shiori models fetch`)"
    if settings.llm_backend == "llamacpp":
        if not settings.llm_path.exists():
            return f"LLM not assembled at {settings.llm_path} (run `shiori models fetch`)"
        if importlib.util.find_spec("llama_cpp") is None:
            return "llama-cpp-python is not installed (pip install -e '.[llm]')"
    if importlib.util.find_spec(module) is None:
        return f"{module} is not available yet"
    return None


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("pipeline", ["shiori", "baseline"])
def test_eval_smoke(pipeline: str, tmp_path: Path):
    settings = Settings(index_dir=tmp_path / "index")
    reason = _missing(settings, "rag.service" if pipeline == "shiori" else "rag.llm.backends")
    if reason:
        pytest.skip(reason)
    answer_fn = None
    if pipeline == "shiori":
        from rag.service import Shiori

        service = Shiori(settings)
        service.ingest([settings.corpus_dir])  # a fresh index in tmp_path
        answer_fn = service.answer

    out = tmp_path / pipeline
    summary = run_eval(DEFAULT_QUESTIONS, out, LIMIT, pipeline, settings, answer_fn=answer_fn, progress=False)

    for name in (
        "results.jsonl",
        "summary.json",
        "report.md",
        "report.html",
        "accuracy.png",
        "recall_at_k.png",
        "latency.png",
    ):
        assert (out / name).stat().st_size > 0, name
    results = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(results) == LIMIT
    for rec in results:
        assert {"id", "question", "answer", "abstained", "citations", "retrieved", "latency_s"} <= rec.keys()
        assert rec["error"] is None, rec["error"]
        assert rec["retrieved"], "nothing was retrieved"
        for c in rec["citations"]:
            assert {"n", "doc", "title", "text", "start", "end"} <= c.keys()
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert data.keys() >= SUMMARY_KEYS
    assert summary.n_questions == LIMIT
    for name, value in summary.rates().items():
        assert value is None or 0.0 <= value <= 1.0, name
