"""Cross-lingual question words: how often does the lexicon (EmbeddingGemma nearest neighbour over the
index's Japanese words) find the documents' own word for an English question word, and how does the
LLM's whole-question translation fare on the same questions?

    python benchmarks/crosslingual.py            # prints a table, writes benchmarks/crosslingual.json

Uses the index built by `shiori ingest` (the seed corpus).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

# English question words and the Japanese word of the seed documents a right rendering must find.
PAIRS = [
    ("mercury", "水銀"), ("asbestos", "アスベスト"), ("climate", "気候"), ("population", "人口"), ("area", "面積"),
    ("phone", "電話"), ("venue", "会場"), ("attendees", "出席"), ("co-hosted", "共催"), ("signed", "署名"),
    ("memorandum", "覚え書き"), ("satellite", "衛星"), ("ecotourism", "エコツーリズム"), ("pollution", "汚染"),
    ("plastic", "プラスチック"), ("Hanoi", "ハノイ"), ("Tokyo", "東京"), ("biodiversity", "生物多様性"),
    ("waste", "廃棄"), ("language", "言語"),
]
QUESTIONS = [
    "Who represented Sakai City at the memorandum signing ceremony?",
    "In how many Japan–Mongolia dialogue meetings was mercury discussed?",
    "What is the population of Sakai City?",
    "What is the population of Ba Ria–Vung Tau province according to the Sakai press release?",
    "When did JCM first come up with Mongolia?",
    "Where was the memorandum between Sakai City and Ba Ria–Vung Tau province signed?",
]
OUT = Path(__file__).with_name("crosslingual.json")


def question_check(english: str, japanese: str) -> bool:
    """A usable rendering: Japanese, the same numbers and acronyms, no English word left, every name kept."""
    import re
    import unicodedata

    from ingest.names import is_japanese
    from ingest.tokenizer import named_entities
    from ingest.transliteration import name_words, sounds_alike

    ja, en = unicodedata.normalize("NFKC", japanese), unicodedata.normalize("NFKC", english)
    if not is_japanese(ja) or set(re.findall(r"\d+", en)) != set(re.findall(r"\d+", ja)):
        return False
    if re.search(r"(?<![A-Za-z])[a-z]{4,}(?![A-Za-z])", ja):
        return False
    parts = [e.text for e in named_entities(ja)] + re.findall(r"[\u30a0-\u30ff・]{2,}", ja)
    return all(n.lower() in ja.lower() or any(sounds_alike(p, n) for p in parts) for n in name_words(en)
               if not re.fullmatch(r"[A-Z0-9\-]{2,}", n))


def main() -> int:
    """Run both and write the figures."""
    from ingest.lexicon import LEXICON_DIR, Lexicon
    from rag.read.crosslingual import CrossLingual
    from rag.service import Shiori
    from shiori.settings import get_settings

    settings = get_settings()
    service = Shiori(settings)
    lexicon = Lexicon.load(Path(settings.index_dir) / LEXICON_DIR)
    cl = CrossLingual(lexicon, service.embeddings, sorted(service.chain.catalog.names))
    rows = []
    t0 = time.perf_counter()
    for en, ja in PAIRS:
        near = lexicon.nearest(service.embeddings.embed_query(en), k=2) if lexicon else []
        top = near[0] if near else ("", 0.0)
        rows.append({"english": en, "expected": ja, "top": top[0], "similarity": round(top[1], 3),
                     "margin": round(top[1] - near[1][1], 3) if len(near) > 1 else None,
                     "right": ja in top[0] or top[0] in ja})
    per_word_ms = (time.perf_counter() - t0) / len(PAIRS) * 1000
    renderings = []
    for q in QUESTIONS:
        t = time.perf_counter()
        r = cl.render(q)
        renderings.append({"question": q, "rendering": r.text if r else None,
                           "ms": round((time.perf_counter() - t) * 1000)})
    llm_rows = []
    from rag.llm.backends import complete
    from rag.llm.prompts import QUESTION_SYSTEM, fewshot
    llm = service.llm()
    shots = "\n".join(f"English: {en}\nJapanese: {ja}" for en, ja in fewshot()["translate_question"])
    for q in QUESTIONS:
        t = time.perf_counter()
        out = complete(llm, QUESTION_SYSTEM, f"{shots}\nEnglish: {q}\nJapanese:", max_tokens=80, stop=["\n"])
        llm_rows.append({"question": q, "translation": out, "passes_checks": question_check(q, out),
                         "ms": round((time.perf_counter() - t) * 1000)})
    right = sum(r["right"] for r in rows)
    summary = {"lexicon_words": len(lexicon) if lexicon else 0, "pairs": len(rows), "top1_right": right,
               "per_word_ms": round(per_word_ms, 1), "words": rows, "renderings": renderings,
               "llm_translations": llm_rows,
               "llm_passing": sum(r["passes_checks"] for r in llm_rows)}
    OUT.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"lexicon: {summary['lexicon_words']} Japanese words; top-1 right {right}/{len(rows)}; "
          f"{per_word_ms:.0f} ms per word")
    for r in rows:
        print(f"  {r['english']:>12} → {r['top']:<12} {r['similarity']:.3f} (margin {r['margin']})"
              f"{'' if r['right'] else '   ✗ expected ' + r['expected']}")
    print(f"LLM question translations passing the checks: {summary['llm_passing']}/{len(llm_rows)}")
    for r in llm_rows:
        print(f"  {'✓' if r['passes_checks'] else '✗'} {r['question']} → {r['translation']}")
    print(f"written: {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
