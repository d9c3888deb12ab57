"""The ceiling study: given only the gold passage, how often does the embedded model answer correctly?

For every answerable question the context is the chunk(s) holding its evidence quotes (perfect retrieval),
the model answers freely in the question's language, and the answer is scored with the same
`must_include` matching as the eval. Grouped by question type and language, this says which kinds of
question must be answered by extraction (code) rather than by the model.

    python -m evals.ceiling --out evals/runs/ceiling
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from evals.normalize import normalize, satisfies
from evals.records import load_questions

SYSTEM = ("Answer the question using ONLY the passage given. Answer in the language requested, in one or two "
          "short sentences. If the passage does not say, reply: NOT FOUND")


def gold_passages(store, quotes: list[str]) -> list[str]:
    """The chunks whose text holds one of the evidence quotes."""
    out = []
    for c in store.chunks():
        text = normalize(c.text)
        if any(normalize(q) in text for q in quotes) and c.text not in out:
            out.append(c.text)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the study and write ceiling.json and ceiling.md."""
    parser = argparse.ArgumentParser(prog="python -m evals.ceiling", description=__doc__)
    parser.add_argument("--questions", type=Path, default=Path(__file__).with_name("questions.jsonl"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    from evals.runner import corpus_settings, ensure_index
    from ingest.store import ChunkStore
    from rag.llm.backends import build_chat_model, complete
    from shiori.settings import get_settings

    settings = get_settings()
    llm = build_chat_model(settings)
    items = [i for i in load_questions(args.questions) if i.answerable]
    rows = []
    stores: dict[str | None, ChunkStore] = {}
    for item in items:
        if item.corpus not in stores:
            cs = corpus_settings(settings, item.corpus)
            if item.corpus is not None:
                ensure_index(cs)
            stores[item.corpus] = ChunkStore(cs.index_dir)
        passages = gold_passages(stores[item.corpus], item.evidence)
        language = "Japanese (日本語)" if item.lang == "ja" else "English"
        human = "Passage:\n" + "\n---\n".join(passages) + f"\n\nQuestion: {item.question}\nAnswer in {language}."
        t0 = time.perf_counter()
        answer = complete(llm, SYSTEM, human, max_tokens=120)
        rows.append({"id": item.id, "type": item.type, "lang": item.lang, "answer": answer,
                     "correct": satisfies(answer, item.must_include), "seconds": round(time.perf_counter() - t0, 2)})
    groups: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for r in rows:
        groups[(r["type"], r["lang"])].append(r["correct"])
        groups[(r["type"], "all")].append(r["correct"])
        groups[("all", r["lang"])].append(r["correct"])
        groups[("all", "all")].append(r["correct"])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ceiling.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    types = sorted({t for t, _ in groups if t != "all"}) + ["all"]
    lines = ["| type | ja | en | all |", "| --- | --- | --- | --- |"]
    for t in types:
        cells = []
        for lang in ("ja", "en", "all"):
            v = groups.get((t, lang))
            cells.append(f"{sum(v) / len(v):.2f} ({len(v)})" if v else "—")
        lines.append(f"| {t} | " + " | ".join(cells) + " |")
    (args.out / "ceiling.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
