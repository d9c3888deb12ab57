"""Ingestion benchmark: the corpus into a temp index with the real model, per dtype or backend.

Each variant runs in its own process so peak RSS is that run's alone. Prints a table and writes
benchmarks/out/ingest.json. float32/bfloat16 are torch dtypes; openvino/openvino-int8 are backends.

    python benchmarks/ingest.py [--corpus DIR] [--dtypes float32 bfloat16 openvino]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "benchmarks" / "out" / "ingest.json"
TOP_K = 5
QUERIES = [
    ("en", "When did JCM first come up with Mongolia?"),
    ("ja", "モンゴルとの対話でJCMが初めて取り上げられたのはいつ？"),
    ("en", "Where was the memorandum with Ba Ria-Vung Tau signed?"),
    ("ja", "第5回日本・ベトナム環境政策対話の開催地は？"),
    ("en", "Which Vietnamese city hosted the 8th Japan-Vietnam environmental policy dialogue?"),
    ("ja", "堺市がバリアブントウ省と覚書を締結したのはいつですか？"),
]
JCM_QUERIES = {QUERIES[0][1], QUERIES[1][1]}


@dataclass
class QueryResult:
    """Top-k of each retriever for one query, and where the JCM/Mongolia row ranks (1-based, None = absent)."""

    lang: str
    query: str
    dense_top: list[str]
    bm25_top: list[str]
    hybrid_top: list[str]
    target_rank_dense: int | None = None
    target_rank_bm25: int | None = None
    target_rank_hybrid: int | None = None


@dataclass
class RunResult:
    """One dtype's ingestion figures."""

    dtype: str
    documents: int
    chunks: int
    model_load_s: float
    ingest_s: float
    embedding_s: float
    documents_per_s: float
    chunks_per_s: float
    embedded_chunks_per_s: float
    query_embed_ms: float
    peak_rss_mb: float
    load_avg_1min: float  # the machine's load during the run: figures on a busy machine are not comparable
    queries: list[QueryResult] = field(default_factory=list)


def rrf(rankings: list[list[str]], k: int = 60) -> list[str]:
    """Reciprocal-rank fusion of ranked id lists."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda c: -scores[c])


def _rank(ids: list[str], target: str | None) -> int | None:
    return ids.index(target) + 1 if target in ids else None


def worker(dtype: str, corpus: Path) -> RunResult:
    """Ingest `corpus` with `dtype` into a temp index and measure it (runs in a child process)."""
    from langchain_core.embeddings import Embeddings

    from ingest.embeddings import load_embeddings
    from ingest.pipeline import ingest, open_indexes
    from shiori.settings import Settings

    class Timed(Embeddings):
        """Counts the time spent embedding documents."""

        def __init__(self, inner: Embeddings) -> None:
            self.inner, self.seconds = inner, 0.0
            self.dimension = getattr(inner, "dimension", None)

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            t = time.perf_counter()
            try:
                return self.inner.embed_documents(texts)
            finally:
                self.seconds += time.perf_counter() - t

        def embed_query(self, text: str) -> list[float]:
            return self.inner.embed_query(text)

    with tempfile.TemporaryDirectory(prefix=f"shiori-bench-{dtype}-") as tmp:
        # float32 / bfloat16: torch with that dtype; openvino / openvino-int8: that backend (its local export).
        backend = {"float32": "torch", "bfloat16": "torch"}.get(dtype, dtype)
        settings = Settings(corpus_dir=corpus, index_dir=Path(tmp) / "index", embedding_backend=backend,
                            **({"embedding_dtype": dtype} if backend == "torch" else {}))
        t = time.perf_counter()
        emb = Timed(load_embeddings(settings))
        load_s = time.perf_counter() - t
        emb.embed_documents(["warm-up"])  # the first call pays one-off costs
        emb.seconds = 0.0
        report = ingest(None, settings, embeddings=emb, progress=False)
        idx = open_indexes(settings, embeddings=emb)
        target = next((c.chunk_id for c in idx.store.chunks() if c.meeting_number == 10 and c.year == 2016
                       and "JCM" in c.text and "モンゴル" in c.title), None)
        queries, q_times = [], []
        for lang, q in QUERIES:
            t = time.perf_counter()
            vec = emb.embed_query(q)
            q_times.append(time.perf_counter() - t)
            dense = [c for c, _ in idx.dense.search_by_vector(vec, 20)]
            bm25 = [c for c, _ in idx.sparse.search(q, 20)]
            hybrid = rrf([dense, bm25])
            r = QueryResult(lang, q, dense[:TOP_K], bm25[:TOP_K], hybrid[:TOP_K])
            if q in JCM_QUERIES:
                r.target_rank_dense, r.target_rank_bm25 = _rank(dense, target), _rank(bm25, target)
                r.target_rank_hybrid = _rank(hybrid, target)
            queries.append(r)
        idx.store.close()
    docs, chunks = report.added + report.updated, report.chunks_written
    return RunResult(
        dtype=dtype, documents=docs, chunks=chunks, model_load_s=round(load_s, 2),
        ingest_s=round(report.seconds, 2), embedding_s=round(emb.seconds, 2),
        documents_per_s=round(docs / report.seconds, 2), chunks_per_s=round(chunks / report.seconds, 2),
        embedded_chunks_per_s=round(chunks / emb.seconds, 2) if emb.seconds else 0.0,
        query_embed_ms=round(1000 * sorted(q_times)[len(q_times) // 2], 1),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        load_avg_1min=round(os.getloadavg()[0], 2), queries=queries,
    )


def main() -> None:
    """Run every dtype in a child process, compare their top-5s, print and write the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--dtypes", "--variants", nargs="+", default=["float32", "bfloat16"],
                    help="torch dtypes (float32, bfloat16) and/or backends (openvino, openvino-int8)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(asdict(worker(args.worker, args.corpus)), ensure_ascii=False))
        return

    runs: dict[str, dict] = {}
    for dtype in args.dtypes:
        proc = subprocess.run([sys.executable, __file__, "--worker", dtype, "--corpus", str(args.corpus)],
                              capture_output=True, text=True, env={**os.environ, "TOKENIZERS_PARALLELISM": "false"})
        if proc.returncode != 0:
            sys.exit(f"{dtype} run failed:\n{proc.stderr[-3000:]}")
        runs[dtype] = json.loads(proc.stdout.strip().splitlines()[-1])

    same_top5 = None
    if {"float32", "bfloat16"} <= runs.keys():
        a, b = runs["float32"]["queries"], runs["bfloat16"]["queries"]
        same_top5 = [{"query": x["query"], "dense_same_top5": x["dense_top"] == y["dense_top"],
                      "dense_same_set": set(x["dense_top"]) == set(y["dense_top"]),
                      "hybrid_same_top5": x["hybrid_top"] == y["hybrid_top"]} for x, y in zip(a, b, strict=True)]
    result = {"corpus": str(args.corpus), "machine_cpus": os.cpu_count(), "runs": runs, "bf16_vs_fp32": same_top5}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")

    from rich.console import Console
    from rich.table import Table

    console = Console(width=180)  # wide tables; a narrow terminal would truncate the figures
    t = Table(title="Ingestion (EmbeddingGemma, fresh index)")
    for col in ("dtype", "docs", "chunks", "load s", "ingest s", "embed s", "docs/s", "chunks/s",
                "embed chunks/s", "query ms", "peak RSS MB", "load avg"):
        t.add_column(col, justify="right")
    for r in runs.values():
        t.add_row(r["dtype"], str(r["documents"]), str(r["chunks"]), str(r["model_load_s"]), str(r["ingest_s"]),
                  str(r["embedding_s"]), str(r["documents_per_s"]), str(r["chunks_per_s"]),
                  str(r["embedded_chunks_per_s"]), str(r["query_embed_ms"]), str(r["peak_rss_mb"]),
                  str(r["load_avg_1min"]))
    console.print(t)
    q = Table(title="Rank of the 10th Japan–Mongolia row (JCM, 2016)")
    for col in ("dtype", "query", "dense", "bm25", "hybrid (RRF k=60)"):
        q.add_column(col)
    for r in runs.values():
        for x in r["queries"]:
            if x["target_rank_hybrid"] is not None or x["query"] in JCM_QUERIES:
                q.add_row(r["dtype"], x["query"], str(x["target_rank_dense"]), str(x["target_rank_bm25"]),
                          str(x["target_rank_hybrid"]))
    console.print(q)
    if same_top5:
        s = Table(title="bf16 vs fp32: same top-5?")
        for col in ("query", "dense order", "dense set", "hybrid order"):
            s.add_column(col)
        for x in same_top5:
            s.add_row(x["query"], str(x["dense_same_top5"]), str(x["dense_same_set"]), str(x["hybrid_same_top5"]))
        console.print(s)
    console.print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
