"""Answer-chain benchmark: per-stage latency (p50/p95), time to the first streamed text and tokens/s.

`first_text` is what a user waits for: the model's first words where it phrases (streamed as it writes),
code's whole answer where code composes; `first_text_model` is the same over the questions whose first
text was the model's.

Runs a fixed list of questions through `rag.service.Shiori` on the current index (ingest first) with
the configured models, after one warm-up question. Prints a table and writes benchmarks/out/answer.json.

    python benchmarks/answer.py [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "benchmarks" / "out" / "answer.json"
QUESTIONS = [
    "When did JCM first come up with Mongolia?",
    "モンゴルとの対話でJCMが初めて取り上げられたのはいつ？",
    "Where was the memorandum between Sakai City and Ba Ria–Vung Tau signed?",
    "第5回日本・ベトナム環境政策対話はどこで開催されましたか？",
    "What was the most recent Japan–Vietnam Environmental Policy Dialogue?",
    "堺市環境局カーボンニュートラル推進部長は誰ですか？",
    "How many people live in Ba Ria–Vung Tau province?",
    "What happened at the 16th Japan–Mongolia meeting?",
    # Answered by a Japanese passage the model renders in English, streamed as it writes (first_text_model).
    "What was discussed at the 10th Japan–Mongolia Environmental Policy Dialogue?",
    "What did the two ministers sign at the 7th Japan–Vietnam Environmental Policy Dialogue?",
    "What was agreed at the 12th Japan–Mongolia Environmental Policy Dialogue?",
]
STAGES = ["read", "retrieve", "records", "candidates", "compose", "first_token", "first_text", "total"]


def _pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 3) if values else None


def main() -> int:
    """Run the questions and report the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    from ingest.pipeline import needs_ingest
    from rag.service import Shiori
    from shiori.settings import get_settings

    settings = get_settings()
    if needs_ingest(settings):
        print("index missing or stale: run `shiori ingest` first", file=sys.stderr)
        return 1
    service = Shiori(settings)
    t = time.perf_counter()
    service.answer("第1回日本・モンゴル環境政策対話の開催地は？")  # warm-up: loads both models
    warmup = time.perf_counter() - t

    rows = []
    for _ in range(args.repeat):
        for q in QUESTIONS:
            # Streamed as a user sees it: the first text piece (the model's first words where it phrases,
            # code's whole text at once where code composes), then the verified answer.
            t = time.perf_counter()
            stream = service.stream(q)
            pieces = iter(stream)
            first = next(pieces, None)
            waited = time.perf_counter() - t
            phrased = first is not None and next(pieces, None) is not None  # more to come: the model is writing
            a = stream.answer()
            a.timings["first_text"] = round(waited, 3)
            a.timings["model_phrased"] = float(phrased)
            decode = a.timings.get("generate", 0.0) - a.timings.get("prefill", 0.0)
            tokens = a.timings.get("tokens", 0.0)
            rows.append({"question": q, "abstained": a.abstained, "answer": a.text, **a.timings,
                         "tokens_per_s": round(tokens / decode, 2) if decode > 0 and tokens > 1 else None})
            print(f"first {a.timings['first_text']:5.1f}s  total {a.timings.get('total', 0):5.1f}s  {q[:45]}  ->  "
                  f"{a.text[:50]!r}")

    summary = {stage: {"p50": _pct([r[stage] for r in rows if stage in r], 50),
                       "p95": _pct([r[stage] for r in rows if stage in r], 95)} for stage in STAGES}
    tps = [r["tokens_per_s"] for r in rows if r["tokens_per_s"]]
    phrased = [r["first_text"] for r in rows if r.get("model_phrased")]
    summary["first_text_model"] = {"p50": _pct(phrased, 50), "p95": _pct(phrased, 95), "n": len(phrased)}
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_avg": os.getloadavg()},
        "settings": {"llm_backend": settings.llm_backend, "embedding_dtype": settings.embedding_dtype,
                     "context_max_chars": settings.context_max_chars, "llm_threads": settings.llm_threads},
        "warmup_s": round(warmup, 2),
        "stages_s": summary,
        "tokens_per_s": {"p50": _pct(tps, 50), "mean": round(float(np.mean(tps)), 2) if tps else None},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "questions": rows,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwarm-up (model loads + first answer): {warmup:.1f}s")
    print(f"{'stage':16} {'p50 s':>8} {'p95 s':>8}")
    for stage, v in summary.items():
        print(f"{stage:16} {v['p50'] if v['p50'] is not None else '—':>8} {v['p95'] if v['p95'] is not None else '—':>8}")
    print(f"decode tokens/s p50: {result['tokens_per_s']['p50']}   peak RSS: {result['peak_rss_mb']} MB")
    print(f"written: {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
