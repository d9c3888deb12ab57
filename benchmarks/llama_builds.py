"""Prefill and decode speed of llama.cpp builds (issue #19): native, portable (runtime dispatch), safe.

Each build is a Python environment with its own llama-cpp-python; a portable build's CPU variants can be
measured one by one (`@variant`, loaded through SHIORI_LLAMA_CPU_VARIANT). Every measurement is a fresh
process: load the pinned GGUF, read a warm-up prompt, then time reading a prompt of --prompt-tokens
tokens in one batch (prefill) and --gen tokens one by one (decode). Rounds are interleaved over
the builds so a change in the machine's load hits them alike; min / median / max per build, with the load
average around each run. Prints a table and writes it with every run to benchmarks/out/llama_builds.json.

    python benchmarks/llama_builds.py --build native=/tmp/venv-native/bin/python \\
        --build portable=.venv/bin/python --build portable@haswell=.venv/bin/python --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "llama_builds.json"
# Japanese and English prose like the answer prompts': repeated until the prompt is long enough.
TEXT = ("日本とモンゴルの環境政策対話は、気候変動、二国間クレジット制度（JCM）、水銀管理などについて意見を交換した。"
        "The dialogue discussed climate change, the Joint Crediting Mechanism and mercury management. ")


def child(model: str, threads: int, prompt_tokens: int, gen: int) -> dict:
    """One measurement in this process: load, warm up, prefill, decode."""
    from llama_cpp import Llama

    from shiori.llama_runtime import build_identity, loaded_variant, system_info

    t0 = time.perf_counter()
    llm = Llama(model_path=model, n_ctx=prompt_tokens + gen + 64, n_batch=512, n_threads=threads,
                verbose=False, seed=0)
    load_s = time.perf_counter() - t0
    tokens = llm.tokenize(TEXT.encode())
    while len(tokens) < prompt_tokens:
        tokens += tokens
    tokens = tokens[:prompt_tokens]
    llm.eval(tokens[:32])  # warm-up: pages the weights in, sets the threads up
    llm.reset()
    t0 = time.perf_counter()
    llm.eval(tokens)
    prefill_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(gen):  # one token at a time; which token does not change the cost
        llm.eval([tokens[i % len(tokens)]])
    decode_s = time.perf_counter() - t0
    return {"build": build_identity(), "variant": loaded_variant(), "system_info": system_info(),
            "load_s": round(load_s, 2), "prefill_tps": round(prompt_tokens / prefill_s, 1),
            "decode_tps": round(gen / decode_s, 2)}


def measure(python: str, variant: str | None, args: argparse.Namespace) -> dict:
    """One measurement in a fresh process of that build's Python."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SHIORI_LLAMA_CPU_VARIANT", None)
    if variant:
        env["SHIORI_LLAMA_CPU_VARIANT"] = variant
    load_before = os.getloadavg()[0]
    proc = subprocess.run([python, __file__, "--child", "--model", args.model, "--threads", str(args.threads),
                           "--prompt-tokens", str(args.prompt_tokens), "--gen", str(args.gen)],
                          capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        return {"error": f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}", "load_before": load_before}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {**out, "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2)}


def summary(runs: list[dict]) -> dict:
    """min / median / max of each speed over the runs that finished."""
    ok = [r for r in runs if "error" not in r]
    out: dict = {"runs": len(runs), "errors": len(runs) - len(ok)}
    for key in ("prefill_tps", "decode_tps", "load_s"):
        values = [r[key] for r in ok]
        if values:
            out[key] = {"min": min(values), "median": statistics.median(values), "max": max(values)}
    loads = [r[k] for r in ok for k in ("load_before", "load_after")]
    if loads:
        out["load_avg"] = {"min": min(loads), "max": max(loads)}
    if ok:
        out.update(variant=ok[-1]["variant"], build=ok[-1]["build"], system_info=ok[-1]["system_info"])
    return out


def main() -> None:
    """Parse the builds, run interleaved rounds, print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="append", default=[], metavar="NAME[@VARIANT]=PYTHON")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--gen", type=int, default=64)
    parser.add_argument("--model", default=None, help="GGUF (default: the pinned model)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.model is None:
        from shiori.settings import Settings

        args.model = str(Settings().llm_path)
    if args.child:
        print(json.dumps(child(args.model, args.threads, args.prompt_tokens, args.gen)))
        return
    builds = []
    for spec in args.build or [f"current={sys.executable}"]:
        name, _, python = spec.partition("=")
        builds.append((name, python, name.partition("@")[2] or None))
    runs: dict[str, list[dict]] = {name: [] for name, _, _ in builds}
    for r in range(args.rounds):
        for name, python, variant in builds:
            run = measure(python, variant, args)
            runs[name].append(run)
            print(f"round {r + 1}/{args.rounds} {name:<24} "
                  + (run["error"] if "error" in run else
                     f"prefill {run['prefill_tps']:6.1f} tok/s  decode {run['decode_tps']:5.2f} tok/s  "
                     f"load {run['load_before']:.1f}→{run['load_after']:.1f}"), flush=True)
    table = {name: summary(rs) for name, rs in runs.items()}
    print(f"\n{args.prompt_tokens}-token prompt, {args.gen} generated, {args.threads} threads, "
          f"{args.rounds} rounds, {os.cpu_count()} cores")
    print("| build | variant | prefill tok/s min / median / max | decode tok/s min / median / max | load avg |")
    print("| --- | --- | --- | --- | --- |")
    for name, s in table.items():
        if "prefill_tps" not in s:
            print(f"| {name} | – | failed ({s['errors']} runs) | | |")
            continue
        p, d, la = s["prefill_tps"], s["decode_tps"], s["load_avg"]
        print(f"| {name} | {s['variant'] or 'built in'} | {p['min']} / {p['median']} / {p['max']} | "
              f"{d['min']} / {d['median']} / {d['max']} | {la['min']}–{la['max']} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"taken": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "cores": os.cpu_count(),
                                    "threads": args.threads, "prompt_tokens": args.prompt_tokens,
                                    "gen": args.gen, "summary": table, "runs": runs},
                                   ensure_ascii=False, indent=1))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
