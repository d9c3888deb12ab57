"""Does the embedded LLM run on this machine? A multi-token chat completion in a child process, so a
llama.cpp build that crashes on this CPU (issue #19: a segfault in the first multi-token decode) is
reported, never propagated. The verdict is cached per build, CPU, model file and thread count under
`cache_dir/llm-check/<build>/`, so set-up pays for the check once and every later process reads it.

SHIORI_LLM_CHECK_CRASH makes the child kill itself with SIGSEGV before it loads anything, as the crashing
build did: "1" for any build, or a comma-separated list of build kinds ("portable"). Forced verdicts are
neither read from nor written to the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from shiori.llama_build import cpu_fingerprint, cpu_flags
from shiori.llama_runtime import build_identity, manifest

CRASH_ENV = "SHIORI_LLM_CHECK_CRASH"
FAILED = ("crashed", "failed")  # what set-up rebuilds for; only "crashed" keeps the LLM out of a process
TIMEOUT_S = 300.0
_PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: ok | crashed (killed by a signal) | failed (an error) | timeout | skipped."""

    status: str
    detail: str
    build: str | None = None
    variant: str | None = None  # the CPU backend variant a runtime-dispatch build chose
    seconds: float = 0.0
    system_info: str = ""

    @property
    def crashed(self) -> bool:
        """Whether the build crashes here: loading it in-process would kill the process."""
        return self.status == "crashed"


def forced_crash(kind: str | None) -> bool:
    """Whether SHIORI_LLM_CHECK_CRASH asks the check of a build of this kind to crash."""
    wanted = os.environ.get(CRASH_ENV, "").strip()
    if not wanted or wanted == "0":
        return False
    return wanted in ("1", "any", "all") or (kind or "unmanaged") in {k.strip() for k in wanted.split(",")}


def run(model: Path, threads: int, *, timeout: float = TIMEOUT_S, command: list[str] | None = None) -> Verdict:
    """Check the installed build in a child process (`command` replaces the child, for tests)."""
    command = command or [sys.executable, "-m", "shiori.llm_check", str(model), str(threads)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_PROJECT_ROOT),
                                                                      os.environ.get("PYTHONPATH")]))}
    build = build_identity()
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return Verdict("timeout", f"no answer within {timeout:.0f} s", build, seconds=time.perf_counter() - t0)
    seconds = time.perf_counter() - t0
    if proc.returncode < 0:
        return Verdict("crashed", _crash_detail(-proc.returncode, proc.stderr), build, seconds=seconds)
    lines = [x for x in proc.stdout.splitlines() if x.startswith("{")]
    if proc.returncode != 0 or not lines:
        last = [x for x in proc.stderr.splitlines() if x.strip()][-1:] or [f"exit status {proc.returncode}"]
        return Verdict("failed", last[0].strip()[:300], build, seconds=seconds)
    out = json.loads(lines[-1])
    if out.get("completion_tokens", 0) < 1:
        return Verdict("failed", "the completion generated no token", build, seconds=seconds)
    return Verdict("ok", f"{out['prompt_tokens']} prompt tokens read, {out['completion_tokens']} generated: "
                   f"{out['text']!r}", build, out.get("variant"), seconds, out.get("system_info", ""))


def _crash_detail(signum: int, stderr: str) -> str:
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    # faulthandler names the Python frame the crash happened under (e.g. llama_cpp's decode).
    frames = re.findall(r'File "[^"]*?([^/"]+)", line \d+ in (\w+)', stderr)
    return f"killed by {name}" + (f" (in {frames[0][0]} {frames[0][1]})" if frames else "")


def verdict_path(cache_dir: Path, build: str, model: Path, threads: int) -> Path:
    """Where the verdict for this build, this CPU, this model file and thread count is kept."""
    model = model.resolve()
    st = model.stat()
    ident = hashlib.sha256(f"{model}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:12]
    return Path(cache_dir) / "llm-check" / build / f"{cpu_fingerprint(cpu_flags())}-{ident}-t{threads}.json"


def cached(settings, model: Path) -> Verdict:
    """The verdict for the installed build on this CPU with this model: from the cache, else checked now
    (and kept when it says something about the build)."""
    build = build_identity()
    if build is None:
        return Verdict("skipped", "llama-cpp-python is not installed")
    forced = os.environ.get(CRASH_ENV, "").strip() not in ("", "0")
    try:
        path = verdict_path(settings.cache_dir, build, model, settings.llm_threads)
    except OSError as e:
        return Verdict("skipped", f"model file unreadable: {type(e).__name__}", build)
    if not forced:
        with contextlib.suppress(OSError, ValueError, TypeError):
            return Verdict(**json.loads(path.read_text()))
    verdict = run(model, settings.llm_threads)
    if not forced and verdict.status in ("ok", *FAILED):
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as fh:
                json.dump(asdict(verdict), fh, ensure_ascii=False, indent=1)
            os.replace(fh.name, path)
    return verdict


def failed_here(cache_dir: Path, build: str) -> bool:
    """Whether a check of this build crashed or failed on this CPU (with any model): set-up then installs
    the safe build directly."""
    for path in (Path(cache_dir) / "llm-check" / build).glob(f"{cpu_fingerprint(cpu_flags())}-*.json"):
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text()).get("status") in FAILED:
                return True
    return False


def _child(model: str, threads: int) -> None:
    """The check itself: load the model and answer a short chat (prompt read in one multi-token batch)."""
    import faulthandler

    faulthandler.enable()  # a crash names its Python frame on stderr
    if forced_crash((manifest() or {}).get("kind")):
        os.kill(os.getpid(), signal.SIGSEGV)
    from llama_cpp import Llama

    from shiori.llama_runtime import loaded_variant, system_info

    llm = Llama(model_path=model, n_ctx=512, n_batch=512, n_threads=threads, verbose=False, seed=0)
    out = llm.create_chat_completion(
        messages=[{"role": "system", "content": "You are a helpful assistant. Answer briefly."},
                  {"role": "user", "content": "What is two plus three? Answer with one number."}],
        max_tokens=8, temperature=0.0)
    print(json.dumps({"text": out["choices"][0]["message"]["content"],
                      "prompt_tokens": out["usage"]["prompt_tokens"],
                      "completion_tokens": out["usage"]["completion_tokens"],
                      "variant": loaded_variant(), "system_info": system_info()}), flush=True)


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]))
