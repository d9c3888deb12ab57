"""Set-up's llama.cpp steps (scripts/setup.sh): install the chosen build, compiled once into the wheel
cache; then check it with a real chat completion and, when it crashes, rebuild with safe flags.

    python -m shiori.llama_setup install --version V --cache DIR   # before the project (stdlib only)
    python -m shiori.llama_setup check --version V --cache DIR     # once the models are fetched
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from shiori.llama_build import Build, choose, cpu_flags, decide, finish_wheel, recipe
from shiori.llama_runtime import build_identity, manifest, package_dir

BUILD_ENV = "SHIORI_LLAMA_BUILD"  # portable (default) | safe | native
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]


def say(message: str) -> None:
    """One set-up line, styled as scripts/setup.sh's own."""
    print(f"\033[1;34m[setup]\033[0m {message}", flush=True)


def describe(build: Build) -> str:
    """A few words on what a build assumes of the CPU."""
    if build.kind == "portable":
        return "any x86-64 CPU: its CPU variant chosen at run time" if build.arch == "x86_64" else "any CPU"
    if build.kind == "safe":
        return f"fixed flags for this CPU: {' '.join(build.assumes[1:]) or 'baseline'}, no AMX"
    return "-march=native: this CPU only"


def compile_wheel(build: Build, out_dir: Path) -> Path:
    """`pip wheel llama-cpp-python==V` with the recipe's CMake flags, finished into `out_dir`."""
    # --no-cache-dir: pip's own wheel cache is keyed by the sdist alone and would hand back a wheel
    # compiled with other flags.
    env = {**os.environ, "CMAKE_ARGS": " ".join(build.cmake_args)}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([*PIP, "wheel", "-q", "--no-deps", "--no-cache-dir", "-w", tmp,
                        f"llama-cpp-python=={build.version}"], env=env, check=True)
        (src,) = Path(tmp).glob("llama_cpp_python-*.whl")
        dest = out_dir / src.name
        finish_wheel(src, dest, build)
    return dest


def install_wheel(wheel: Path) -> None:
    """Install a wheel into this Python's environment, replacing any llama-cpp-python already there."""
    replace = ["--no-deps", "--force-reinstall"] if package_dir() is not None else []
    subprocess.run([*PIP, "install", "-q", *replace, str(wheel)], check=True)
    importlib.invalidate_caches()


@contextlib.contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # another clone compiling the same build: wait for its wheel
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def cached_wheel(wheels: Path, build: Build, compile: Callable[[Build, Path], Path] = compile_wheel) -> Path:
    """The build's wheel from `wheels/<key>/`, compiled first if it is not there."""
    folder = wheels / build.key
    with _locked(wheels / f".{build.key}.lock"):
        found = sorted(folder.glob("llama_cpp_python-*.whl"))
        if found:
            return found[0]
        say(f"compiling llama-cpp-python=={build.version} for {describe(build)} "
            f"(one time; {'~20' if build.kind == 'portable' else '~5'} minutes on 2 cores)")
        staging = wheels / f".{build.key}.staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        wheel = compile(build, staging)
        (staging / "build.json").write_text(json.dumps(build.manifest(), indent=1))
        os.replace(staging, folder)  # a half-built folder is never taken for a cached wheel
        return folder / wheel.name


def install(version: str, cache: Path, *, compile=compile_wheel, install=install_wheel) -> Build:
    """Install the wanted build (SHIORI_LLAMA_BUILD, default portable; the safe one where the wanted one
    already failed its check on this CPU) unless it is installed."""
    from shiori.llm_check import failed_here

    build = choose(os.environ.get(BUILD_ENV) or "portable", version, cpu_flags(), os.environ.get("CMAKE_ARGS", ""),
                   lambda key: failed_here(cache, key))
    if build_identity() == build.key:
        return build
    wheel = cached_wheel(cache / "build", build, compile)
    say(f"installing llama.cpp build {build.key} ({describe(build)})")
    install(wheel)
    return build


def check(version: str, cache: Path, settings, *, run_check=None, compile=compile_wheel,
          install=install_wheel) -> str:
    """Check the installed build with a chat completion; on a crash rebuild with safe flags and check
    again. Returns what was decided: keep | rebuild-safe | without-llm."""
    from shiori.llm_check import cached
    from shiori.models import ModelError, require_llm

    run_check = run_check or cached
    if settings.llm_backend != "llamacpp":
        return "keep"
    try:
        model = require_llm(settings)
    except ModelError as e:
        say(f"llama.cpp check skipped: {e}")
        return "keep"
    verdict = run_check(settings, model)
    kind = (manifest() or {}).get("kind", "unmanaged")
    action = decide(kind, verdict.status)
    if action == "keep":
        _report(verdict)
        return action
    if action == "rebuild-safe":
        safe = recipe("safe", version, cpu_flags(), os.environ.get("CMAKE_ARGS", ""))
        say(f"llama.cpp build {verdict.build} {verdict.detail} in a chat completion: rebuilding it with safe "
            f"flags ({describe(safe)})")
        install(cached_wheel(cache / "build", safe, compile))
        verdict = run_check(settings, model)
        if decide("safe", verdict.status) == "keep":
            _report(verdict)
            return action
    say(f"the safe llama.cpp build fails too ({verdict.detail}): Shiori runs without the LLM, answers are "
        "composed from the documents by code")
    return "without-llm"


def _report(verdict) -> None:
    if verdict.status == "ok":
        where = f"CPU variant {verdict.variant}" if verdict.variant else "CPU backend built in"
        say(f"llama.cpp build {verdict.build} answers a chat completion on this CPU ({where})")
    else:
        say(f"llama.cpp check inconclusive ({verdict.status}: {verdict.detail}); keeping build {verdict.build}")


def main(argv: list[str] | None = None) -> int:
    """CLI for scripts/setup.sh."""
    parser = argparse.ArgumentParser(prog="python -m shiori.llama_setup")
    parser.add_argument("step", choices=["install", "check"])
    parser.add_argument("--version", required=True)
    parser.add_argument("--cache", type=Path, required=True, help="Shiori's cache folder (wheels go to build/)")
    args = parser.parse_args(argv)
    if args.step == "install":
        install(args.version, args.cache)
        return 0
    from shiori.settings import Settings

    check(args.version, args.cache, Settings())
    return 0


if __name__ == "__main__":
    sys.exit(main())
