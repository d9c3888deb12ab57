"""The context-budget experiment behind `context_max_chars`: what the model gets to read vs what it costs.

For every answerable question of evals/questions.jsonl the real chain plans the answer (real
EmbeddingGemma, the current index, no LLM call) once per budget, and we record whether an evidence quote
is in what the model reads (the numbered passages plus the computed facts), and how many prompt tokens
the whole prompt is under the answer LLM's own tokenizer (the GGUF loaded vocabulary-only). Prefill time
is proportional to the tokens after the cached system prefix. Writes benchmarks/out/context_budget.json.

    python benchmarks/context_budget.py [--budgets 600 800 1000 1400]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out" / "context_budget.json"


def main() -> int:
    """Plan every answerable question at each budget and print one row per budget."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--budgets", type=int, nargs="+", default=[600, 800, 1000, 1400])
    parser.add_argument("--cut", choices=["on", "off", "both"], default="both",
                        help="context_cut: passages cut to the question's sentences, or whole")
    args = parser.parse_args()

    from llama_cpp import Llama

    from evals.normalize import normalize
    from evals.records import load_questions
    from ingest.pipeline import needs_ingest
    from rag.prompts import SYSTEM, user_message
    from rag.service import Shiori
    from shiori.models import require_llm
    from shiori.settings import get_settings

    base = get_settings()
    if needs_ingest(base):
        print("index missing or stale: run `shiori ingest` first", file=sys.stderr)
        return 1
    vocab = Llama(model_path=str(require_llm(base)), vocab_only=True, verbose=False)

    def tokens(text: str) -> int:
        return len(vocab.tokenize(text.encode(), add_bos=False, special=False))

    items = [q for q in load_questions(ROOT / "evals" / "questions.jsonl") if q.answerable and q.evidence]
    chain = Shiori(base).chain
    system_tokens = tokens(SYSTEM)
    rows = []
    cuts = {"on": [True], "off": [False], "both": [False, True]}[args.cut]
    for cut, budget in ((c, b) for c in cuts for b in args.budgets):
        chain.settings = base.model_copy(update={"context_max_chars": budget, "context_cut": cut})
        seen, counts, chars = 0, [], []
        for q in items:
            plan = chain.plan(q.question, q.lang, {})
            if plan.abstain_reason:
                counts.append(0)
                chars.append(0)
                continue
            read = normalize(plan.context_text + (plan.facts or ""))
            seen += any(normalize(e) in read for e in q.evidence)
            counts.append(tokens(user_message(q.question, plan.context_text, plan.facts, plan.language)))
            chars.append(len(plan.context_text))
        rows.append({"budget": budget, "cut": cut, "questions": len(items), "evidence_read": round(seen / len(items), 3),
                     "user_tokens_p50": int(np.percentile(counts, 50)),
                     "user_tokens_p95": int(np.percentile(counts, 95)),
                     "context_chars_p50": int(np.percentile(chars, 50)), "system_tokens": system_tokens})
        print(rows[-1], flush=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"written: {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
