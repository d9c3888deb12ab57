#!/usr/bin/env bash
# Re-pin constraints.txt to what .venv holds now: run after a deliberate upgrade, then re-measure evals/RESULTS.md.
# torch and llama-cpp-python are installed by scripts/setup.sh from a local CPU wheel and a cached build: pinned
# by version only, never by the file they came from.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# What was installed when the figures in evals/RESULTS.md were measured (pip freeze of .venv, $(date -u +%F))."
  echo "# scripts/setup.sh installs the project under these constraints so a new machine gets the same tokenizer"
  echo "# dictionary and libraries, and so the same answers; re-pin with scripts/lock.sh after a deliberate upgrade."
  .venv/bin/python -m pip freeze --disable-pip-version-check --exclude-editable \
    | sed -E -e 's/^(torch==[^+]*)\+.*/\1/' -e 's/^llama_cpp_python @ .*-([0-9.]+)-py3.*/llama_cpp_python==\1/'
} > constraints.txt
echo "constraints.txt: $(grep -c '==' constraints.txt) packages pinned"
