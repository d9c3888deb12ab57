# The two commands of the README:
#   make run    set up everything (venv, torch, models), ingest the corpus if needed, open the chat UI
#   make test   set up everything and run the whole test suite (what CI runs)
.PHONY: run test test-fast lint eval bench

VENV := .venv
SHIORI := $(VENV)/bin/shiori

run:
	scripts/setup.sh
	$(SHIORI) ingest --if-needed
	$(SHIORI) ui

test:
	scripts/setup.sh --test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q

# Quick loop while developing: no model-loading, server or browser tests.
test-fast:
	$(VENV)/bin/pytest -q -m "not slow and not e2e"

lint:
	$(VENV)/bin/ruff check .

eval:
	$(SHIORI) eval --questions evals/questions.jsonl --out evals/runs/shiori --pipeline shiori
	$(SHIORI) eval --questions evals/questions.jsonl --out evals/runs/baseline --pipeline baseline

bench:
	$(VENV)/bin/python benchmarks/ingest.py
	$(VENV)/bin/python benchmarks/answer.py
