"""The chunk-size experiment behind `chunk_max_chars`: evidence recall of hybrid retrieval per size.

For each size the corpus is chunked and indexed with the real EmbeddingGemma; every answerable
question of evals/questions.jsonl is retrieved (dense + BM25, RRF) and scored by whether an evidence
quote lies in the top-k, and within the context budget the CPU can afford (settings.context_max_chars).
Writes benchmarks/out/chunk_size.json.

    python benchmarks/chunk_size.py [--sizes 200 300 400 600 800]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    """Run the experiment and print one row per size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 300, 400, 600, 800])
    args = parser.parse_args()

    from evals.normalize import supports
    from evals.records import load_questions
    from ingest.embeddings import load_embeddings
    from ingest.pipeline import ingest, open_indexes
    from rag.find.retriever import HybridRetriever
    from shiori.settings import get_settings

    base = get_settings()
    items = [q for q in load_questions(ROOT / "evals" / "questions.jsonl") if q.answerable and q.evidence]
    emb = load_embeddings(base)
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            settings = base.model_copy(update={"index_dir": Path(tmp) / "index", "chunk_max_chars": size})
            t = time.perf_counter()
            report = ingest(None, settings, embeddings=emb, progress=False)
            build = time.perf_counter() - t
            retriever = HybridRetriever(open_indexes(settings, embeddings=emb), emb)
            hits = {1: 0, 3: 0, 5: 0}
            in_budget = 0
            chars = []
            for q in items:
                passages = retriever.retrieve(q.question, k=5)
                found = [supports(p.text, q.evidence) for p in passages]
                for k in hits:
                    hits[k] += any(found[:k])
                used, budget_hit = 0, False
                for p, ok in zip(passages, found, strict=True):
                    if used and used + len(p.index_text) > settings.context_max_chars:
                        break
                    used += len(p.index_text)
                    budget_hit = budget_hit or ok
                in_budget += budget_hit
                chars.append(used)
            n = len(items)
            rows.append({"max_chars": size, "chunks": report.chunks_total, "build_s": round(build, 1),
                         **{f"recall@{k}": round(v / n, 3) for k, v in hits.items()},
                         "recall_in_budget": round(in_budget / n, 3),
                         "mean_context_chars": round(sum(chars) / n), "questions": n})
            print(rows[-1], flush=True)
    out = ROOT / "benchmarks" / "out" / "chunk_size.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
