"""How retrieval cost grows with the corpus: synthetic Japanese corpora of 1k/10k/100k chunks, embedded and server Chroma."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "benchmarks" / "out"
REAL_VECTORS = OUT / "real_vectors.npz"  # written by throughput.py (or here when missing)
QUESTIONS = ROOT / "evals" / "questions.jsonl"
COLLECTION = "scale"
SIGMA = 0.02  # per-dimension noise on a unit 768-d vector: cos(original, perturbed) ≈ 0.87
_DIGITS = re.compile(r"^[0-9０-９]+$")
_FW = str.maketrans("０１２３４５６７８９", "0123456789")


# ---------------------------------------------------------------- synthetic corpus

def _pos_key(pos: tuple[str, ...]) -> tuple[str, ...] | str | None:
    """Which vocabulary class a morpheme is drawn from (None: kept as is)."""
    if pos[0] != "名詞":
        return None
    if pos[1] == "数詞":
        return "num"
    if pos[1] == "固有名詞":
        return tuple(pos[:4])
    if pos[1] == "普通名詞" and pos[2] in {"一般", "サ変可能", "形状詞可能"}:
        return tuple(pos[:3])
    return None


class SyntheticCorpus:
    """Documents shaped like the corpus's own (same lines, tables, grammar) with nouns and numbers resampled."""

    def __init__(self, seed: int = 0, swap: float = 0.5) -> None:
        from sudachipy import Dictionary, SplitMode

        from ingest.cleaner import is_boilerplate_line
        from ingest.loaders import discover, load_document

        self.seed, self.swap = seed, swap
        self.templates = [load_document(p) for p in discover([ROOT / "corpus"])]
        tok = Dictionary(dict="core").create(SplitMode.A)
        self.parsed: list[list[tuple[str, object]]] = []
        vocab: dict[object, set[str]] = {}
        for doc in self.templates:
            parts: list[tuple[str, object]] = []
            for i, line in enumerate(doc.text.split("\n")):
                if i:
                    parts.append(("\n", None))
                if is_boilerplate_line(line) or not line.strip():
                    parts.append((line, None))
                    continue
                for m in tok.tokenize(line):
                    key = _pos_key(tuple(m.part_of_speech()))
                    parts.append((m.surface(), key))
                    if key not in (None, "num"):
                        vocab.setdefault(key, set()).add(m.surface())
            assert "".join(s for s, _ in parts) == doc.text
            self.parsed.append(parts)
        self.vocab = {k: sorted(v) for k, v in vocab.items()}

    @property
    def vocabulary_size(self) -> int:
        """Distinct nouns the generator draws from."""
        return sum(len(v) for v in self.vocab.values())

    @staticmethod
    def _number(surface: str, rng: random.Random) -> str:
        if not _DIGITS.match(surface):
            return surface
        ascii_ = surface.translate(_FW)
        if len(ascii_) == 4 and ascii_[:2] in {"19", "20"}:
            return str(rng.randint(1990, 2025))
        return str(rng.randint(10 ** (len(ascii_) - 1) if len(ascii_) > 1 else 1, 10 ** len(ascii_) - 1))

    def document(self, i: int):
        """The i-th synthetic `SourceDocument` (deterministic for a seed)."""
        import hashlib

        from ingest.schema import Provenance, SourceDocument

        rng = random.Random(self.seed * 1_000_003 + i)
        t = i % len(self.templates)
        template = self.templates[t]
        names: dict[str, str] = {}  # a proper noun is replaced the same way throughout one document
        out = []
        for surface, key in self.parsed[t]:
            if key is None:
                out.append(surface)
            elif key == "num":
                out.append(self._number(surface, rng))
            elif key[1] == "固有名詞":
                out.append(names.setdefault(surface, rng.choice(self.vocab[key])))
            else:
                out.append(rng.choice(self.vocab[key]) if rng.random() < self.swap else surface)
        text = "".join(out)
        title = template.provenance.title
        for old in sorted(names, key=len, reverse=True):
            title = title.replace(old, names[old])
        doc_id = f"syn{i:06d}"
        return SourceDocument(doc_id=doc_id, path=f"synthetic/{doc_id}.txt", text=text,
                              provenance=Provenance(title=title, kind="synthetic", language="ja"),
                              content_hash=hashlib.sha256(text.encode()).hexdigest())

    def documents(self, n_chunks: int) -> Iterator[tuple[object, list]]:
        """(document, its chunks) until exactly `n_chunks` chunks (the last document may be cut)."""
        from ingest.splitter import split_document

        total, i = 0, 0
        while total < n_chunks:
            doc = self.document(i)
            chunks = split_document(doc, 400)[: n_chunks - total]
            total += len(chunks)
            i += 1
            if chunks:
                yield doc, chunks


def embed_input(chunk) -> str:
    """The string the pipeline embeds for a chunk."""
    from ingest.embeddings import document_input

    return document_input(chunk.title, chunk.embed_text)


def load_real_vectors() -> tuple[list[str], np.ndarray]:
    """Real EmbeddingGemma vectors of the first synthetic chunks (ids, unit vectors)."""
    data = np.load(REAL_VECTORS)
    return [str(x) for x in data["ids"]], data["vectors"].astype(np.float32)


def make_real_vectors(n: int, seed: int) -> None:
    """Embed the first `n` synthetic chunks with the real model (bf16, default batch) and save them."""
    from ingest.embeddings import load_embeddings
    from shiori.settings import Settings

    chunks = [c for _, cs in SyntheticCorpus(seed).documents(n) for c in cs]
    emb = load_embeddings(Settings())
    t = time.perf_counter()
    vecs = np.asarray(emb.embed_documents([embed_input(c) for c in chunks]), dtype=np.float32)
    print(f"embedded {n} chunks in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(REAL_VECTORS, ids=np.array([c.chunk_id for c in chunks]), vectors=vecs)


def vectors_for(chunk_ids: list[str], seed: int) -> tuple[np.ndarray, int]:
    """Real vectors where available, else a real one plus Gaussian noise, renormalized; returns (vectors, n_real)."""
    ids, real = load_real_vectors()
    pos = {cid: i for i, cid in enumerate(ids)}
    rng = np.random.default_rng(seed)
    out = np.empty((len(chunk_ids), real.shape[1]), dtype=np.float32)
    n_real = 0
    for i, cid in enumerate(chunk_ids):
        if cid in pos:
            out[i] = real[pos[cid]]
            n_real += 1
        else:
            v = real[i % len(real)] + rng.normal(0.0, SIGMA, real.shape[1]).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
    return out, n_real


# ---------------------------------------------------------------- measurement helpers

def peak_rss_mb(pid: int | str = "self") -> float:
    """VmHWM (peak resident set) of a process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int | str = "self") -> float:
    """VmRSS (current resident set) of a process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def du_mb(path: Path) -> float:
    """Bytes on disk under a path (allocated blocks), MB."""
    path = Path(path)
    if path.is_file():
        return path.stat().st_blocks * 512 / 1e6
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file()) / 1e6 if path.exists() else 0.0


def pct(xs: list[float], q: float) -> float:
    """The q-th percentile (linear), in the unit of xs."""
    return float(np.percentile(np.asarray(xs), q)) if xs else float("nan")


def machine() -> dict[str, object]:
    """CPU, cores, memory, load and library versions."""
    import bm25s
    import chromadb

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem = next(int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
               if ln.startswith("MemTotal:"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_gb": round(mem / 1024 / 1024, 1),
            "python": platform.python_version(), "chromadb": chromadb.__version__, "bm25s": bm25s.__version__,
            "loadavg": os.getloadavg()}


def _settings(index_dir: Path, port: int | None):
    from shiori.settings import Settings

    common = {"index_dir": index_dir, "chroma_collection": COLLECTION, "llm_backend": "none"}
    if port is None:
        return Settings(chroma_mode="embedded", **common)
    return Settings(chroma_mode="server", chroma_host="127.0.0.1", chroma_port=port, **common)


class _NoEmbeddings:
    """Stands in for the model while building from precomputed vectors (dimension only)."""

    dimension = 768

    def embed_documents(self, texts):  # pragma: no cover - never called
        """Refuse: the build uses precomputed vectors."""
        raise RuntimeError("build uses precomputed vectors")

    def embed_query(self, text):  # pragma: no cover - never called
        """Refuse: the build uses precomputed vectors."""
        raise RuntimeError("build uses precomputed vectors")


# ---------------------------------------------------------------- phases (each in its own process)

def build(size: int, index_dir: Path, port: int | None, seed: int) -> dict[str, object]:
    """Generate `size` chunks and write the chunk store, the Chroma collection and BM25; time each part."""
    from ingest.dense import DenseIndex
    from ingest.pipeline import BM25_DIR, bm25_text
    from ingest.sparse import SparseIndex
    from ingest.splitter import CHUNKER_VERSION
    from ingest.store import ChunkStore

    settings = _settings(index_dir, port)
    r: dict[str, object] = {"size": size, "mode": "server" if port else "embedded"}
    t = time.perf_counter()
    corpus = SyntheticCorpus(seed)
    docs = list(corpus.documents(size))
    chunks = [c for _, cs in docs for c in cs]
    r["generate_s"] = time.perf_counter() - t
    r["documents"], r["chunks"] = len(docs), len(chunks)
    r["generator_vocabulary"] = corpus.vocabulary_size
    r["mean_chunk_chars"] = float(np.mean([len(c.embed_text) for c in chunks]))
    vecs, r["real_vectors"] = vectors_for([c.chunk_id for c in chunks], seed)

    t = time.perf_counter()
    store = ChunkStore(index_dir)
    for doc, cs in docs:
        store.upsert_document(doc, cs, chunker_version=CHUNKER_VERSION, source_root="synthetic")
    store.close()
    r["store_build_s"] = time.perf_counter() - t

    t = time.perf_counter()
    dense = DenseIndex(settings, _NoEmbeddings(), chunker_version=CHUNKER_VERSION, on_mismatch="reset")
    for i in range(0, len(chunks), 1000):
        batch = chunks[i:i + 1000]
        dense.collection.upsert(ids=[c.chunk_id for c in batch], embeddings=vecs[i:i + 1000],
                                metadatas=[c.metadata() for c in batch], documents=[embed_input(c) for c in batch])
    r["dense_build_s"] = time.perf_counter() - t
    assert dense.count() == len(chunks)

    t = time.perf_counter()
    sparse = SparseIndex.build([c.chunk_id for c in chunks], [bm25_text(c) for c in chunks])
    r["bm25_build_s"] = time.perf_counter() - t
    r["bm25_vocabulary"] = sparse.vocabulary_size
    t = time.perf_counter()
    sparse.save(index_dir / BM25_DIR)
    r["bm25_save_s"] = time.perf_counter() - t
    r["build_s"] = r["store_build_s"] + r["dense_build_s"] + r["bm25_build_s"] + r["bm25_save_s"]
    r["disk_mb"] = {"chroma": du_mb(index_dir / "chroma"), "bm25": du_mb(index_dir / BM25_DIR),
                    "store": sum(du_mb(p) for p in index_dir.glob("store.sqlite*"))}
    r["build_peak_rss_mb"] = peak_rss_mb()
    return r


def query(size: int, index_dir: Path, port: int | None, rounds: int) -> dict[str, object]:
    """Open the indexes and time dense, BM25 and fused retrieval over the eval questions."""
    from ingest.dense import DenseIndex
    from ingest.embeddings import load_embeddings
    from ingest.pipeline import BM25_DIR, Indexes
    from ingest.sparse import SparseIndex
    from ingest.splitter import CHUNKER_VERSION
    from ingest.store import ChunkStore
    from ingest.tokenizer import tokenize
    from rag.find.retriever import HybridRetriever

    settings = _settings(index_dir, port)
    r: dict[str, object] = {"size": size, "mode": "server" if port else "embedded"}
    t = time.perf_counter()
    emb = load_embeddings(settings)
    emb.embed_query("warm up")
    r["model_load_s"] = time.perf_counter() - t
    tokenize("準備")  # load the Sudachi dictionary outside the timings
    r["rss_after_model_mb"] = rss_mb()
    t = time.perf_counter()
    sparse = SparseIndex.load(index_dir / BM25_DIR)
    r["bm25_load_s"] = time.perf_counter() - t
    t = time.perf_counter()
    dense = DenseIndex(settings, emb, chunker_version=CHUNKER_VERSION, create=False)
    r["dense_open_s"] = time.perf_counter() - t
    store = ChunkStore(index_dir)
    retriever = HybridRetriever(Indexes(store=store, dense=dense, sparse=sparse), emb,
                                candidate_k=settings.candidate_k, rrf_k=settings.rrf_k)
    questions = [json.loads(ln)["question"] for ln in QUESTIONS.read_text(encoding="utf-8").splitlines() if ln.strip()]
    questions = questions[:20]
    k = settings.candidate_k
    vectors = {q: emb.embed_query(q) for q in questions}
    for q in questions:  # warm-up: first HNSW touches, page cache, sqlite statements
        retriever.retrieve(q, k=settings.retrieve_k, vector=vectors[q])
    times: dict[str, list[float]] = {"embed": [], "dense": [], "bm25": [], "fused_no_embed": [], "fused": []}
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            v = emb.embed_query(q)
            t1 = time.perf_counter()
            dense.search_by_vector(v, k)
            t2 = time.perf_counter()
            sparse.search_tokens(tokenize(q), k)
            t3 = time.perf_counter()
            retriever.retrieve(q, k=settings.retrieve_k, vector=v)
            t4 = time.perf_counter()
            times["embed"].append(t1 - t0)
            times["dense"].append(t2 - t1)
            times["bm25"].append(t3 - t2)
            times["fused_no_embed"].append(t4 - t3)
            times["fused"].append((t1 - t0) + (t4 - t3))
    r["queries"] = len(times["fused"])
    r["latency_ms"] = {name: {"p50": 1000 * pct(xs, 50), "p95": 1000 * pct(xs, 95)} for name, xs in times.items()}
    r["query_peak_rss_mb"] = peak_rss_mb()
    r["loadavg"] = os.getloadavg()
    store.close()
    return r


# ---------------------------------------------------------------- orchestration

def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def chroma_server(path: Path) -> Iterator[tuple[int, int]]:
    """`chroma run` on a free port with data under `path`; yields (port, pid) and always stops it."""
    import httpx

    port = free_port()
    log = open(path.with_suffix(".log"), "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(Path(sys.executable).with_name("chroma")), "run", "--path", str(path),
                             "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not start: {path.with_suffix('.log').read_text()[-1500:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            time.sleep(0.2)
        yield port, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _child(phase: str, size: int, index_dir: Path, port: int | None, args) -> dict[str, object]:
    cmd = [sys.executable, __file__, "_" + phase, "--size", str(size), "--dir", str(index_dir),
           "--seed", str(args.seed), "--rounds", str(args.rounds)]
    if port:
        cmd += ["--port", str(port)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=args.timeout)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_size(size: int, server: bool, args, work: Path) -> dict[str, object]:
    """Build then query one configuration, each phase in a fresh process."""
    index_dir = work / f"{'server' if server else 'embedded'}-{size}"
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    if not server:
        b = _child("build", size, index_dir, None, args)
        q = _child("query", size, index_dir, None, args)
        return {**b, **q}
    data = work / f"chroma-server-{size}"
    shutil.rmtree(data, ignore_errors=True)
    with chroma_server(data) as (port, pid):
        b = _child("build", size, index_dir, port, args)
        q = _child("query", size, index_dir, port, args)
        b["disk_mb"]["chroma"] = du_mb(data)
        q["server_peak_rss_mb"] = peak_rss_mb(pid)
    return {**b, **q}


def _table(results: list[dict[str, object]]) -> str:
    head = ("| chunks | mode | fused p50 / p95 ms (with embed) | fused p50 / p95 (no embed) | query embed p50 "
            "| dense p50 / p95 | BM25 p50 / p95 | build s (store + Chroma + BM25) | disk MB (Chroma + BM25 + store) "
            "| peak RSS MB build / query | BM25 load s |")
    rows = [head, "|" + " --- |" * (head.count("|") - 1)]
    for r in results:
        lat, disk = r["latency_ms"], r["disk_mb"]
        peak = f"{r['build_peak_rss_mb']:.0f} / {r['query_peak_rss_mb']:.0f}"
        if "server_peak_rss_mb" in r:
            peak += f" (+ server {r['server_peak_rss_mb']:.0f})"
        rows.append(
            f"| {r['size']:,} | {r['mode']} | {lat['fused']['p50']:.1f} / {lat['fused']['p95']:.1f} "
            f"| {lat['fused_no_embed']['p50']:.1f} / {lat['fused_no_embed']['p95']:.1f} "
            f"| {lat['embed']['p50']:.1f} | {lat['dense']['p50']:.2f} / {lat['dense']['p95']:.2f} "
            f"| {lat['bm25']['p50']:.2f} / {lat['bm25']['p95']:.2f} "
            f"| {r['build_s']:.1f} ({r['store_build_s']:.1f} + {r['dense_build_s']:.1f} + "
            f"{r['bm25_build_s'] + r['bm25_save_s']:.1f}) "
            f"| {disk['chroma'] + disk['bm25'] + disk['store']:.0f} ({disk['chroma']:.0f} + {disk['bm25']:.0f} + "
            f"{disk['store']:.0f}) | {peak} | {r['bm25_load_s']:.2f} |")
    return "\n".join(rows)


def plot(results: list[dict[str, object]], path: Path) -> None:
    """Latency and build/disk against corpus size (log-log)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    emb = sorted((r for r in results if r["mode"] == "embedded"), key=lambda r: r["size"])
    srv = [r for r in results if r["mode"] == "server"]
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.8))
    xs = [r["size"] for r in emb]
    for name, label, style in [("fused", "fused incl. query embedding", "o-"),
                               ("fused_no_embed", "fused, no embedding", "s-"), ("embed", "query embedding", "^--"),
                               ("dense", "dense (Chroma HNSW)", "d-"), ("bm25", "BM25 (tokenize + score)", "v-")]:
        line, = a.plot(xs, [r["latency_ms"][name]["p50"] for r in emb], style, label=f"{label} p50")
        for r in srv:
            a.plot([r["size"]], [r["latency_ms"][name]["p50"]], "*", ms=12, color=line.get_color())
    a.axhline(150, color="red", lw=0.8, ls=":", label="target: fused p50 150 ms")
    a.set(xscale="log", yscale="log", xlabel="chunks", ylabel="ms (p50)",
          title="Query latency (★ = Chroma server mode at 10k)")
    a.legend(fontsize=7)
    a.grid(True, which="both", alpha=0.3)
    b.plot(xs, [r["build_s"] for r in emb], "o-", label="build s (store + Chroma + BM25)")
    b.plot(xs, [r["bm25_build_s"] for r in emb], "v--", label="BM25 build s (incl. Sudachi)")
    b.plot(xs, [sum(r["disk_mb"].values()) for r in emb], "s-", label="disk MB")
    b.plot(xs, [r["query_peak_rss_mb"] for r in emb], "d-", label="query process peak RSS MB (holds the model)")
    b.plot(xs, [r["build_peak_rss_mb"] for r in emb], "d--", label="build process peak RSS MB")
    b.plot(xs, [1000 * r["bm25_load_s"] for r in emb], "^-", label="BM25 load ms")
    b.set(xscale="log", yscale="log", xlabel="chunks", title="Build time, disk, memory, BM25 load")
    b.legend(fontsize=7)
    b.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    """Entry point: orchestrate, or run one phase when called as a child."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("phase", nargs="?", default="all", choices=["all", "_build", "_query"])
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--server-sizes", default="10000")
    p.add_argument("--size", type=int, default=0)
    p.add_argument("--dir", type=Path)
    p.add_argument("--port", type=int)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--real", type=int, default=2000, help="real vectors to embed when out/real_vectors.npz is missing")
    p.add_argument("--timeout", type=int, default=1200)
    p.add_argument("--work", type=Path, default=None, help="where indexes are built (default: a temp dir)")
    p.add_argument("--out", type=Path, default=OUT / "scale.json")
    p.add_argument("--merge", action="store_true", help="keep other (size, mode) results already in --out")
    args = p.parse_args()
    if args.phase == "_build":
        print(json.dumps(build(args.size, args.dir, args.port, args.seed)))
        return
    if args.phase == "_query":
        print(json.dumps(query(args.size, args.dir, args.port, args.rounds)))
        return
    if not REAL_VECTORS.exists():
        make_real_vectors(args.real, args.seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="shiori-scale-"))
    results = json.loads(args.out.read_text())["results"] if args.merge and args.out.exists() else []
    plan = [(int(s), False) for s in args.sizes.split(",") if s] + [
        (int(s), True) for s in args.server_sizes.split(",") if s]
    try:
        for size, server in plan:
            t = time.perf_counter()
            r = run_size(size, server, args, work)
            results = [x for x in results if (x["size"], x["mode"]) != (r["size"], r["mode"])] + [r]
            results.sort(key=lambda x: (x["mode"], x["size"]))
            print(f"{size:>7} {'server' if server else 'embedded':8} done in {time.perf_counter() - t:.0f} s: "
                  f"fused p50 {r['latency_ms']['fused']['p50']:.1f} ms", file=sys.stderr, flush=True)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps({"machine": machine(), "results": results}, indent=1))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    plot(results, ROOT / "benchmarks" / "scale.png")
    print(_table(results))


if __name__ == "__main__":
    main()
