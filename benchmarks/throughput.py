"""Embedding throughput with the real EmbeddingGemma: chunks/s for float32 vs bfloat16 and several batch sizes."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import OUT, REAL_VECTORS, SyntheticCorpus, embed_input, machine, peak_rss_mb  # noqa: E402


def run(dtype: str, batch_size: int, texts: list[str], threads: int) -> tuple[dict[str, object], np.ndarray]:
    """Load the model in `dtype`, embed `texts` in one call at `batch_size`; return figures and vectors."""
    from ingest.embeddings import SentenceTransformerEmbeddings
    from shiori.settings import Settings

    t = time.perf_counter()
    emb = SentenceTransformerEmbeddings(Settings().embedding_path, dtype=dtype, batch_size=batch_size,
                                        threads=threads)
    load_s = time.perf_counter() - t
    emb.embed_documents(texts[:4])  # warm-up
    load0 = os.getloadavg()[0]
    t = time.perf_counter()
    vecs = np.asarray(emb.embed_documents(texts), dtype=np.float32)
    secs = time.perf_counter() - t
    return {"dtype": dtype, "batch_size": batch_size, "chunks": len(texts), "seconds": secs,
            "chunks_per_s": len(texts) / secs, "model_load_s": load_s, "peak_rss_mb": peak_rss_mb(),
            "loadavg_1min": (load0 + os.getloadavg()[0]) / 2}, vecs


def main() -> None:
    """Embed the first N synthetic chunks in each configuration; save bf16 vectors for scale.py."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--chunks", type=int, default=2000, help="chunks for the dtype comparison")
    p.add_argument("--sweep-chunks", type=int, default=256, help="chunks per batch-size run")
    p.add_argument("--batch-sizes", default="1,4,16,32,64")
    p.add_argument("--sweep-dtypes", default="float32")
    p.add_argument("--dtypes", default="bfloat16,float32", help="dtypes for the comparison at batch 16")
    p.add_argument("--fp32-chunks", type=int, default=0, help="fewer chunks for float32 (default: --chunks)")
    p.add_argument("--append", action="store_true", help="keep the runs already in --out")
    p.add_argument("--keep-vectors", action="store_true", help="do not overwrite out/real_vectors.npz")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=OUT / "throughput.json")
    args = p.parse_args()
    chunks = [c for _, cs in SyntheticCorpus(args.seed).documents(args.chunks) for c in cs]
    texts = [embed_input(c) for c in chunks]
    results: list[dict[str, object]] = []
    report = {"machine": machine(), "mean_input_chars": float(np.mean([len(t) for t in texts])), "runs": results}
    if args.append and args.out.exists():
        old = json.loads(args.out.read_text())
        results.extend(old["runs"])
        report.update({k: v for k, v in old.items() if k not in report})

    def save() -> None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=1))

    vectors = {}
    for dtype in (d for d in args.dtypes.split(",") if d):
        n = args.fp32_chunks if dtype == "float32" and args.fp32_chunks else len(texts)
        r, vectors[dtype] = run(dtype, 16, texts[:n], args.threads)
        r["set"] = "dtype"
        results.append(r)
        print(f"{dtype:9} bs 16  {r['chunks']} chunks  {r['chunks_per_s']:.1f}/s", file=sys.stderr, flush=True)
        if dtype == "bfloat16" and not args.keep_vectors:
            np.savez(REAL_VECTORS, ids=np.array([c.chunk_id for c in chunks]), vectors=vectors[dtype])
        save()
    if {"bfloat16", "float32"} <= vectors.keys():
        n = len(vectors["float32"])
        cos = np.sum(vectors["bfloat16"][:n] * vectors["float32"], axis=1)
        report["bf16_vs_fp32_cosine"] = {"mean": float(cos.mean()), "min": float(cos.min()), "chunks": n}
        save()
    for dtype in (d for d in args.sweep_dtypes.split(",") if d):
        for bs in (int(b) for b in args.batch_sizes.split(",")):
            r, _ = run(dtype, bs, texts[: args.sweep_chunks], args.threads)
            r["set"] = "batch"
            results.append(r)
            print(f"{dtype:9} bs {bs:<3} {r['chunks']} chunks  {r['chunks_per_s']:.1f}/s", file=sys.stderr, flush=True)
            save()
    print("| set | dtype | batch | chunks | s | chunks/s | peak RSS MB | load avg |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| {r['set']} | {r['dtype']} | {r['batch_size']} | {r['chunks']} | {r['seconds']:.1f} "
              f"| {r['chunks_per_s']:.1f} | {r['peak_rss_mb']:.0f} | {r['loadavg_1min']:.1f} |")
    print(f"bf16 vs fp32 cosine: {report.get('bf16_vs_fp32_cosine')}")


if __name__ == "__main__":
    main()
