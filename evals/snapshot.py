"""A behaviour snapshot: every eval question's answer and every claim's verdict, as JSON, to compare a
refactor's output with the code before it (they must be identical).

The corpus and /work/shared/extra-corpus (or --extra) are ingested once into a temporary index; the LLM is
off (SHIORI_LLM_BACKEND=none), so the answers are code's own and deterministic. Recorded per question:
answer text, abstained, citation spans; per claim: label and evidence spans. The hash seed is fixed (0).

    python evals/snapshot.py --out /tmp/snapshot.json [--index DIR] [--limit N]
    diff <(python -m json.tool a.json) <(python -m json.tool b.json)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's code, not an installed one


def _spans(citations) -> list[list]:
    return [[c.doc_id, c.start + c.span_start, c.start + c.span_end] for c in citations]


def main() -> int:
    """Ingest, answer, check, write the snapshot."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: a new temporary one)")
    parser.add_argument("--extra", type=Path, default=Path("/work/shared/extra-corpus"))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Some choices iterate sets of strings (e.g. a question's places): fix the hash seed, or two runs
        # of the same code may differ.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})

    index = args.index or Path(tempfile.mkdtemp(prefix="shiori-snapshot-"))
    os.environ["SHIORI_INDEX_DIR"] = str(index)
    os.environ["SHIORI_LLM_BACKEND"] = "none"
    os.environ["SHIORI_SERVICE_DISCOVERY"] = "false"

    from ingest.pipeline import ingest, needs_ingest
    from rag.service import Shiori
    from shiori.settings import get_settings

    settings = get_settings()
    paths = [Path(settings.corpus_dir), *([args.extra] if args.extra.is_dir() else [])]
    t0 = time.perf_counter()
    if args.index is None or needs_ingest(settings):
        ingest(paths, settings, progress=False, translator=None)
    service = Shiori(settings)
    questions = [json.loads(line) for line in (ROOT / "evals/questions.jsonl").read_text("utf-8").splitlines()
                 if line.strip()][: args.limit]
    claims = [json.loads(line) for line in (ROOT / "evals/claims.jsonl").read_text("utf-8").splitlines()
              if line.strip()][: args.limit]
    out: dict[str, dict] = {"questions": {}, "claims": {}}
    for item in questions:
        a = service.answer(item["question"])
        out["questions"][item["id"]] = {"text": a.text, "abstained": a.abstained, "spans": _spans(a.citations)}
    for item in claims:
        v = service.check(item["claim"])
        out["claims"][item["id"]] = {"label": v.label, "spans": _spans(v.evidence)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(questions)} questions, {len(claims)} claims in {time.perf_counter() - t0:.0f}s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
