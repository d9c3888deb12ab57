"""Embedding backends compared: speed (ingest, query) and retrieval agreement with torch float32.

Each variant runs in its own process: load the embedding model (the local export is built first if
missing, and its time reported apart), ingest the corpus into a fresh temporary index, embed N synthetic
chunks (benchmarks/scale.py's generator, exactly as ingestion formats them), time query embeddings, and
retrieve every question of evals/questions.jsonl (hybrid dense + BM25, RRF — what the chain uses).
The parent compares each variant with the first (torch float32): recall@5 on the answerable questions
(an evidence quote in the top-5, as benchmarks/chunk_size.py scores it) and whether the top-5 set is
the same, per question. Writes benchmarks/out/embedding_backends.json and prints the table.

    flock /tmp/shiori-heavy.lock python benchmarks/embedding_backends.py
    python benchmarks/embedding_backends.py --variants torch openvino openvino:short --synthetic 128

A variant is `backend[:short]`; `short` embeds documents without repeating the title in the text slot.
Keep a backend as default only if recall@5 stays within 0.01 of torch, the top-5 agrees on >= 95 % of
questions and a query embeds in <= 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out" / "embedding_backends.json"


def _short_input(title: str, text: str) -> str:
    """The document string without the title repeated at the start of the text (the title slot has it)."""
    from ingest.embeddings import document_input

    if title and text.startswith(title):
        text = text[len(title):].lstrip(" /:：")
    return document_input(title, text)


def child(variant: str, synthetic: int) -> dict:
    """Measure one variant in this process."""
    import resource

    backend, _, option = variant.partition(":")
    from evals.normalize import supports
    from evals.records import load_questions
    from ingest.embeddings import load_embeddings
    from ingest.pipeline import ingest, open_indexes
    from rag.find.retriever import HybridRetriever
    from shiori.settings import get_settings

    base = get_settings().model_copy(update={"embedding_backend": backend})
    export_s = None
    if backend != "torch":
        from ingest.embedding_export import export_dir, require_export

        fresh = not (export_dir(base, backend) / "export.json").is_file()
        t = time.perf_counter()
        require_export(base, backend)
        export_s = round(time.perf_counter() - t, 1) if fresh else None
    if option == "short":
        import ingest.dense as dense_module

        dense_module.document_input = _short_input

    t = time.perf_counter()
    emb = load_embeddings(base)
    load_s = time.perf_counter() - t

    embed_time = [0.0]
    real = emb.embed_documents

    def timed(texts):
        t0 = time.perf_counter()
        try:
            return real(texts)
        finally:
            embed_time[0] += time.perf_counter() - t0

    emb.embed_documents = timed
    questions = load_questions(ROOT / "evals" / "questions.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        settings = base.model_copy(update={"index_dir": Path(tmp) / "index"})
        t = time.perf_counter()
        report = ingest(None, settings, embeddings=emb, progress=False)
        ingest_s = time.perf_counter() - t
        retriever = HybridRetriever(open_indexes(settings, embeddings=emb), emb)
        emb.embed_query("warm-up")
        query_ms, tops, dense_tops, hits = [], {}, {}, []
        for q in questions:
            t = time.perf_counter()
            vec = emb.embed_query(q.question)
            query_ms.append((time.perf_counter() - t) * 1000)
            passages = retriever.passages(retriever.rank(q.question, vec))[:5]
            tops[q.id] = [p.chunk_id for p in passages]
            dense_tops[q.id] = [cid for cid, _ in retriever.dense.search_by_vector(vec, 5)]
            if q.answerable and q.evidence:
                hits.append(any(supports(p.text, q.evidence) for p in passages))

    synthetic_cps = None
    if synthetic:
        sys.path.append(str(ROOT / "benchmarks"))  # after the project: benchmarks/ingest.py is no package
        from scale import SyntheticCorpus

        from ingest.embeddings import document_input

        make = _short_input if option == "short" else document_input
        chunks = [c for _, cs in SyntheticCorpus(0).documents(synthetic) for c in cs][:synthetic]
        texts = [make(c.title, c.embed_text) for c in chunks]
        real(texts[:16])  # warm-up
        t = time.perf_counter()
        real(texts)
        synthetic_cps = round(len(texts) / (time.perf_counter() - t), 2)

    return {"variant": variant, "export_s": export_s, "load_s": round(load_s, 2),
            "chunks": report.chunks_total, "ingest_s": round(ingest_s, 2), "embedding_s": round(embed_time[0], 2),
            "ingest_chunks_per_s": round(report.chunks_total / ingest_s, 2),
            "synthetic_chunks": synthetic, "synthetic_chunks_per_s": synthetic_cps,
            "query_ms_p50": round(statistics.median(query_ms), 1),
            "query_ms_p95": round(sorted(query_ms)[int(0.95 * (len(query_ms) - 1))], 1),
            "recall@5": round(sum(hits) / len(hits), 3), "answerable": len(hits),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "load_avg": os.getloadavg()[0], "top5": tops, "dense_top5": dense_tops}


def interleaved(variants: list[str], n: int, rounds: int) -> dict:
    """Throughput and query time of every variant in one process, round-robin, so load hits all alike."""
    sys.path.append(str(ROOT / "benchmarks"))  # after the project: benchmarks/ingest.py is no package
    from scale import SyntheticCorpus

    from evals.records import load_questions
    from ingest.embeddings import document_input, load_embeddings
    from shiori.settings import get_settings

    chunks = [c for _, cs in SyntheticCorpus(0).documents(n) for c in cs][:n]
    texts = [document_input(c.title, c.embed_text) for c in chunks]
    questions = [q.question for q in load_questions(ROOT / "evals" / "questions.jsonl")][:20]
    models = {}
    for v in variants:
        models[v] = load_embeddings(get_settings().model_copy(update={"embedding_backend": v}))
        models[v].embed_documents(texts[:8])
        models[v].embed_query("warm-up")
    cps: dict[str, list[float]] = {v: [] for v in variants}
    qms: dict[str, list[float]] = {v: [] for v in variants}
    for _ in range(rounds):
        for v, m in models.items():
            t = time.perf_counter()
            m.embed_documents(texts)
            cps[v].append(len(texts) / (time.perf_counter() - t))
            for q in questions:
                t = time.perf_counter()
                m.embed_query(q)
                qms[v].append((time.perf_counter() - t) * 1000)
    return {v: {"chunks_per_s": [round(x, 2) for x in cps[v]], "chunks_per_s_median": round(statistics.median(cps[v]), 2),
                "query_ms_p50": round(statistics.median(qms[v]), 1)} for v in variants} | {
        "chunks": n, "rounds": rounds, "load_avg": os.getloadavg()}


def main() -> int:
    """Run every variant in a child process, compare with the first, print and save."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", nargs="+", default=["torch", "openvino", "openvino-int8", "openvino:short"])
    parser.add_argument("--synthetic", type=int, default=256, help="synthetic chunks for throughput (0: skip)")
    parser.add_argument("--interleaved", type=int, default=0, metavar="ROUNDS",
                        help="only speed: all backends in one process, round-robin over the synthetic chunks")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.interleaved:
        variants = [v for v in args.variants if ":" not in v]
        result = interleaved(variants, args.synthetic, args.interleaved)
        out = OUT.with_name("embedding_speed.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2), encoding="utf-8")
        print("| backend | chunks/s per round | median | query ms p50 |\n| --- | --- | --- | --- |")
        for v in variants:
            r = result[v]
            print(f"| {v} | {r['chunks_per_s']} | {r['chunks_per_s_median']} | {r['query_ms_p50']} |")
        print(f"{args.synthetic} synthetic chunks, {args.interleaved} rounds, load {result['load_avg']}; written: {out}")
        return 0
    if args.child:
        print(json.dumps(child(args.child, args.synthetic)))
        return 0

    results = []
    for variant in args.variants:
        proc = subprocess.run([sys.executable, __file__, "--child", variant, "--synthetic", str(args.synthetic)],
                              capture_output=True, text=True, cwd=str(ROOT))
        if proc.returncode != 0:
            print(f"{variant}: failed\n{proc.stderr[-3000:]}", file=sys.stderr)
            continue
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"{variant}: done ({results[-1]['ingest_chunks_per_s']} chunks/s)", flush=True)
    if not results:
        return 1
    ref = results[0]
    for r in results:
        same = [set(r["top5"][q]) == set(ref["top5"][q]) for q in ref["top5"]]
        same_dense = [set(r["dense_top5"][q]) == set(ref["dense_top5"][q]) for q in ref["dense_top5"]]
        r["top5_agree"] = round(sum(same) / len(same), 3)
        r["dense_top5_agree"] = round(sum(same_dense) / len(same_dense), 3)
        r["questions"] = len(same)
        r["keep_as_default"] = (abs(r["recall@5"] - ref["recall@5"]) <= 0.01 and r["top5_agree"] >= 0.95
                                and r["query_ms_p50"] <= 100)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"when": time.strftime("%Y-%m-%d %H:%M"), "commit": commit, "reference": ref["variant"],
                               "results": results}, ensure_ascii=False, indent=2), encoding="utf-8")
    head = ("variant", "load s", "ingest ch/s", f"synth ch/s ({args.synthetic})", "query ms p50", "recall@5",
            "top-5 same", "dense top-5 same", "RSS MB", "ok as default")
    print("\n| " + " | ".join(head) + " |\n|" + " --- |" * len(head))
    for r in results:
        print(f"| {r['variant']} | {r['load_s']} | {r['ingest_chunks_per_s']} | {r['synthetic_chunks_per_s']} | "
              f"{r['query_ms_p50']} | {r['recall@5']} | {r['top5_agree']:.0%} | {r['dense_top5_agree']:.0%} | "
              f"{r['peak_rss_mb']} | {'yes' if r['keep_as_default'] else 'no'} |")
    print(f"written: {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
