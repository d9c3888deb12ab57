"""Cold `shiori ask`: a fresh process per question, with and without a running Shiori service.

For each mode the real CLI (`python -m shiori ask "…"`) runs N times as a new process; we record the
wall time to the full answer and to its first words (the first non-blank byte on stdout). Then one
extra in-process run of the same steps, timed phase by phase (interpreter, imports, model loads, index,
query embedding, retrieval, prefill, decode, verification, exit), explains where the time goes, and
`-X importtime` of one CLI run names the heaviest imported packages. Prints a table and merges the
figures under `--label` into benchmarks/out/cold_start.json (with the commit they were taken at).

    flock /tmp/shiori-heavy.lock python benchmarks/cold_start.py --label after --runs 5
    python benchmarks/cold_start.py --modes local --runs 3 --label before     # no service mode

Modes: `local` answers in-process (service discovery switched off with SHIORI_SERVICE_DISCOVERY=false),
`service` starts `shiori serve` on a free port first (its start-up is reported, not counted), asks five
different questions in turn (the same one again would reuse its whole cached prompt) and stops it afterwards. Run it alone on the machine: every figure is CPU-bound.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "cold_start.json"
QUESTION = "Where was the 6th Japan-Mongolia dialogue held?"
# Through a service the same question twice would reuse the whole cached prompt: each run asks another.
SERVICE_QUESTIONS = [QUESTION, "第5回日本・ベトナム環境政策対話はどこで開催されましたか？",
                     "When did JCM first come up with Mongolia?", "堺市環境局カーボンニュートラル推進部長は誰ですか？",
                     "What was the most recent Japan–Vietnam Environmental Policy Dialogue?"]
# What the installed `shiori` script runs (main() where it exists; app() at commits before it did).
CLI = [sys.executable, "-c", "import sys; sys.argv[0] = 'shiori'; import ui.cli as c; "
       "(getattr(c, 'main', None) or c.app)()"]


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               PYTHONUNBUFFERED="1", COLUMNS="120")
    env.update(extra)
    return env


def commit() -> str:
    """The commit the figures are taken at (with '+dirty' when the tree has changes)."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_cli(args: list[str], env: dict[str, str], timeout: float = 600.0) -> dict:
    """One CLI process: wall time to exit, to the first non-blank stdout byte, its output and exit code."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([*CLI, *args], cwd=str(ROOT), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    first = None
    out, err = bytearray(), bytearray()
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, out)
    sel.register(proc.stderr, selectors.EVENT_READ, err)
    open_streams = 2
    while open_streams:
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            break
        for key, _ in sel.select(timeout=1.0):
            data = os.read(key.fileobj.fileno(), 65536)
            if not data:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            if key.data is out and first is None and data.strip():
                first = time.perf_counter() - t0
            key.data.extend(data)
    rc = proc.wait()
    wall = time.perf_counter() - t0
    return {"wall_s": round(wall, 3), "first_words_s": round(first, 3) if first is not None else None,
            "rc": rc, "stdout": out.decode(errors="replace")[-2000:], "stderr": err.decode(errors="replace")[-2000:]}


def _summary(runs: list[dict], key: str) -> dict:
    values = [r[key] for r in runs if r.get(key) is not None]
    if not values:
        return {"median": None, "min": None, "max": None}
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3), "max": round(max(values), 3)}


# ---- the phase-by-phase child (same steps as the in-process CLI, timed one by one)


def breakdown_child(question: str) -> None:
    """Run the in-process answer step by step and print the phase marks as JSON (child process)."""
    t_spawn = float(os.environ["SHIORI_BENCH_SPAWN"])
    marks: list[tuple[str, float]] = [("interpreter start", time.time())]

    def mark(name: str) -> None:
        marks.append((name, time.time()))

    import ui.cli  # noqa: F401 - what every `shiori` command imports first
    mark("import CLI (typer, rich, settings)")
    from rag.service import Shiori
    from shiori.settings import get_settings
    mark("import answer chain (rag, ingest, langchain-core)")
    settings = get_settings()
    service = Shiori(settings)
    _ = service.embeddings
    mark("load embedding model (incl. torch/ST imports)")
    _ = service.chain
    mark("open indexes (chromadb, BM25, store)")
    try:
        llm = service.llm()
        try:  # the saved system-prompt state, where this commit has it
            from rag.llm.backends import warm_up
            from rag.llm.prompts import RENDER_SYSTEM as SYSTEM

            warm_up(llm, SYSTEM)
        except ImportError:
            pass
    except Exception as e:  # noqa: BLE001 - reported, the answer says the rest
        print(f"LLM: {e}", file=sys.stderr)
    mark("load LLM (llama.cpp, GGUF mmap, saved prompt state)")
    t_stream = time.time()
    final = service.stream(question).answer()
    t_end = time.time()
    tm = final.timings if final else {}
    # Inside the stream: embed, retrieve, prefill (to the first token), decode, verify; the rest is glue.
    inner = [("embed question", tm.get("embed", 0.0)), ("retrieve + plan", tm.get("retrieve", 0.0)),
             ("prefill (to first token)", tm.get("prefill", 0.0)),
             ("decode", max(0.0, tm.get("generate", 0.0) - tm.get("prefill", 0.0))),
             ("verify", tm.get("verify", 0.0))]
    inner.append(("other (chain glue)", max(0.0, (t_end - t_stream) - sum(v for _, v in inner))))
    phases = [("python start-up", marks[0][1] - t_spawn)]
    phases += [(name, t - marks[i][1]) for i, (name, t) in enumerate(marks[1:])]
    phases += inner
    print(json.dumps({"phases": [[n, round(v, 3)] for n, v in phases], "answer": final.text if final else None,
                      "tokens": tm.get("tokens"), "t_end": t_end}), flush=True)


def breakdown(question: str, env: dict[str, str]) -> dict:
    """One child run of `breakdown_child`; adds interpreter exit to its phases."""
    spawn = time.time()
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child-breakdown", "--question", question], cwd=str(ROOT),
                          env=dict(env, SHIORI_BENCH_SPAWN=repr(spawn)), capture_output=True, text=True)
    wall = time.perf_counter() - t0
    end = time.time()
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:], "wall_s": round(wall, 3)}
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["phases"].append(["interpreter exit", round(end - data.pop("t_end"), 3)])
    data["wall_s"] = round(wall, 3)
    return data


def import_profile(question: str, env: dict[str, str], top: int = 15) -> dict:
    """`-X importtime` of one real CLI run: cumulative import time per top-level package."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *CLI[1:], "ask", question], cwd=str(ROOT),
                          env=env, capture_output=True, text=True)
    per_pkg: dict[str, int] = defaultdict(int)
    total = 0
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        self_us, name = int(m.group(1)), m.group(4)
        per_pkg[name.split(".")[0]] += self_us
        total += self_us
    ranked = sorted(per_pkg.items(), key=lambda kv: -kv[1])[:top]
    return {"total_s": round(total / 1e6, 3), "top_packages_s": [[k, round(v / 1e6, 3)] for k, v in ranked]}


# ---- the service mode


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_service(env: dict[str, str], timeout: float = 300.0) -> tuple[subprocess.Popen, float]:
    """`shiori serve` on a free port; returns once the CLI can discover it (its state file is written)."""
    port = _free_port()
    probe = [sys.executable, "-c", "import sys; from shiori.discovery import discover; from shiori.settings import "
             "get_settings; sys.exit(0 if discover(get_settings()).service else 1)"]
    t0 = time.perf_counter()
    proc = subprocess.Popen([*CLI, "serve", "--port", str(port)], cwd=str(ROOT), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"`shiori serve` exited with {proc.returncode}")
        if subprocess.run(probe, cwd=str(ROOT), env=env, capture_output=True).returncode == 0:
            return proc, time.perf_counter() - t0
        time.sleep(0.5)
    stop_service(proc)
    raise RuntimeError("`shiori serve` did not become ready")


def stop_service(proc: subprocess.Popen) -> None:
    """SIGTERM the service we started (it removes its state file), then wait for it."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> int:
    """Time cold asks per mode, the breakdown and the import profile; print and save them."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--modes", nargs="+", default=["local", "service"], choices=["local", "service"])
    parser.add_argument("--label", default="latest", help="key the figures are stored under in the JSON")
    parser.add_argument("--no-breakdown", action="store_true")
    parser.add_argument("--child-breakdown", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_breakdown:
        sys.path.insert(0, str(ROOT))
        breakdown_child(args.question)
        return 0

    result: dict = {"when": time.strftime("%Y-%m-%d %H:%M"), "commit": commit(), "question": args.question,
                    "runs": args.runs, "cpus": os.cpu_count(), "load_avg_before": os.getloadavg(), "modes": {}}
    local_env = _env(SHIORI_SERVICE_DISCOVERY="false")
    for mode in args.modes:
        if mode == "local":
            runs = [run_cli(["ask", args.question], local_env) for _ in range(args.runs)]
            result["modes"]["local"] = {"runs": runs, "wall_s": _summary(runs, "wall_s"),
                                        "first_words_s": _summary(runs, "first_words_s")}
        else:
            env = _env()
            proc, ready = start_service(env)
            try:
                runs = [run_cli(["ask", SERVICE_QUESTIONS[i % len(SERVICE_QUESTIONS)]], env) for i in range(args.runs)]
            finally:
                stop_service(proc)
            result["modes"]["service"] = {"service_ready_s": round(ready, 1), "runs": runs,
                                          "wall_s": _summary(runs, "wall_s"),
                                          "first_words_s": _summary(runs, "first_words_s")}
        for r in result["modes"][mode]["runs"]:
            print(f"{mode:8} wall {r['wall_s']:6.2f}s  first words {r['first_words_s'] or float('nan'):6.2f}s  "
                  f"rc {r['rc']}", flush=True)
    if not args.no_breakdown:
        result["breakdown"] = breakdown(args.question, local_env)
        result["imports"] = import_profile(args.question, local_env)
    result["load_avg_after"] = os.getloadavg()

    saved = json.loads(OUT.read_text(encoding="utf-8")) if OUT.is_file() else {}
    saved[args.label] = result
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(saved, ensure_ascii=False, indent=2), encoding="utf-8")

    print(f"\ncold `shiori ask` at {result['commit']}, {args.runs} runs per mode")
    print(f"{'mode':10} {'wall median':>12} {'min':>7} {'max':>7} {'first words median':>19} {'min':>7} {'max':>7}")
    for mode, m in result["modes"].items():
        w, f = m["wall_s"], m["first_words_s"]
        print(f"{mode:10} {w['median']!s:>12} {w['min']!s:>7} {w['max']!s:>7} {f['median']!s:>19} "
              f"{f['min']!s:>7} {f['max']!s:>7}")
    b = result.get("breakdown")
    if b and "phases" in b:
        print(f"\nbreakdown of one in-process run (wall {b['wall_s']} s, {b.get('tokens')} tokens):")
        for name, secs in b["phases"]:
            print(f"  {name:52} {secs:7.3f} s")
    elif b:
        print(f"\nbreakdown failed: {b.get('error')}")
    if "imports" in result:
        imp = result["imports"]
        print(f"\nimports of one CLI run (-X importtime, self time summed per package): {imp['total_s']} s")
        for name, secs in imp["top_packages_s"]:
            print(f"  {name:30} {secs:7.3f} s")
    print(f"written: {OUT} [{args.label}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
