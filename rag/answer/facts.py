"""Answers from text (not records): for each part the question asks, the best candidate of that kind
(code ranks; the model picks only among close ones), one sentence phrased by the model from those
facts, checked by code — and where the model's sentence fails, code's own sentence stands.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Generator, Sequence

from ingest.names import is_japanese
from rag import messages
from rag.check.support import SUPPORTED, SupportScorer
from rag.find.candidates import Candidate
from rag.find.evidence import KINDS, VALUE_KINDS, Evidence
from rag.llm.backends import error_text, resolve
from rag.llm.phrase import Fact, choose, invented, phrase, states
from rag.read.question import Question
from rag.series.catalog import Catalog
from rag.types import Cite, Language, Statement

log = logging.getLogger(__name__)

_CLOSE = 0.1  # candidates this close in score are the model's to choose between
_MAX_OPTIONS = 4
_QUOTE_MAX = 160
MIN_COVERAGE = 0.3  # below: the question is mostly about words no document holds (see evidence.coverage)


def _lang(q: Question) -> Language:
    return "ja" if q.language == "ja" else "en"


def _display(c: Candidate, catalog: Catalog, lang: Language) -> str:
    """The value as the asker should read it (English names with the original in brackets)."""
    if c.kind == "date" and c.date is not None:
        shown = c.date.ja() if lang == "ja" else c.date.en()
        orig = re.sub(r"\s+", "", c.value)
        return shown if orig in (shown, re.sub(r"\s+", "", shown)) else f"{shown} ({c.value})"
    if c.kind in ("place",) and lang == "en":
        return catalog.place(c.value, "en") or c.value
    if c.kind == "person" and c.role:
        return f"{c.value} ({c.role})" if lang == "en" else f"{c.value}（{c.role}）"
    return c.value


def _quote(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


def _pick(cands: list[Candidate], q: Question, llm) -> Candidate:
    """The best candidate; the model chooses only among candidates code cannot separate."""
    distinct: list[Candidate] = []
    for c in cands:
        if all(c.value != d.value for d in distinct):
            distinct.append(c)
    close = [c for c in distinct[:_MAX_OPTIONS] if distinct[0].score - c.score < _CLOSE]
    if len(close) > 1 and (model := resolve(llm)) is not None:
        i = choose(model, q, close)
        if i is not None:
            return close[i]
    return distinct[0]


def template(kind: str, shown: str, lang: Language, quote: str = "") -> str:
    """Code's own sentence for a fact (a readable sentence, never a token list)."""
    if lang == "ja":
        if kind == "sentence":
            return f"資料には「{shown}」とあります[1]。"
        return f"資料によると、{shown}です[1]。"
    what = {"date": "the date as", "time": "the time as", "place": "the place as", "quantity": "",
            "phone": "the number"}.get(kind, "")
    if kind == "sentence":
        return f"The documents say: “{shown}” [1]."
    if kind in ("person", "org"):
        return f"The documents name {shown} [1]."
    return f"The documents give {what + ' ' if what else ''}{shown} [1]."


def _checked(sentence: str | None, chosen: list[Candidate], q: Question, catalog: Catalog,
             scorer: SupportScorer | None) -> tuple[bool, float]:
    """Whether the model's sentence states every chosen value and invents nothing (and, for sentences of
    text, whether the quoted passages support it)."""
    if not sentence:
        return False, 0.0
    plain = re.sub(r"\s*\[\d+\]", "", sentence)
    for c in chosen:
        if not states(plain, c, catalog.english(c.value)):
            return False, 0.0
    evidence = [c.context for c in chosen] + [c.passage.text for c in chosen]
    glossary = [v for (k, _), v in catalog.glossary.items() if any(k in e for e in evidence)]
    if invented(plain, evidence, q, glossary_values=glossary):
        return False, 0.0
    if scorer is not None and any(c.kind == "sentence" for c in chosen):
        passages = list({c.passage.chunk_id: c.passage for c in chosen}.values())
        best = max(scorer.scores(plain, passages), default=0.0)
        return best >= SUPPORTED, best
    return True, 1.0


def part_statement(q: Question, chosen: list[Candidate], llm, catalog: Catalog, scorer: SupportScorer | None,
                   lang: Language) -> Generator[str, None, list[Statement]]:
    """The sentence(s) for chosen candidates: the model's if it holds, else code's (the model's words are
    yielded as it writes them)."""
    cites = [Cite(c.doc_id, c.start, c.end) for c in chosen]
    if chosen[0].kind == "sentence":
        cites = [Cite(c.doc_id, c.ctx_start, c.ctx_end) for c in chosen]
        quote = Statement(template("sentence", _quote(chosen[0].context), lang), cites[:1])
        if lang == "ja" or not is_japanese(chosen[0].context):
            return [quote]  # the document's own sentence says it best in its own language
    else:
        quote = None
    facts = [Fact(i, c.kind if c.kind != "sentence" else "text", _display(c, catalog, lang), c.context)
             for i, c in enumerate(chosen, 1)]
    error = None
    try:
        model = resolve(llm)
        sentence = (yield from phrase(model, q, facts, lang)) if model is not None else None
    except Exception as e:  # noqa: BLE001 - the model is down: code's sentence from the evidence stands
        sentence, error = None, f"LLM failed: {error_text(e)}"
    ok, score = _checked(sentence, chosen, q, catalog, scorer)
    marks = "".join(f"[{i}]" for i in range(1, len(chosen) + 1))
    if ok and sentence:
        plain = re.sub(r"\s*\[\d+\]", "", sentence).rstrip()
        end = plain[-1] if plain and plain[-1] in "。.!?！？" else ""
        body = plain[:-1] if end else plain
        text = f"{body}{marks}{end or ('。' if lang == 'ja' else '.')}" if lang == "ja" else f"{body} {marks}{end or '.'}"
        # An English reading of Japanese text comes with the text itself, so the reader can check it.
        return [Statement(text, cites, score=score), *([quote] if quote else [])]
    c = chosen[0]
    shown = _quote(c.context if c.kind == "sentence" else _display(c, catalog, lang))
    notices = [messages.say("model_failed", lang)] if error else []
    debug = [f"the model's sentence failed the checks, code's stands: {sentence!r}"] if sentence else []
    if debug:
        log.info(debug[0])
    return [Statement(template(c.kind, shown, lang), cites[:1], repaired=bool(sentence), notices=notices,
                      error=error, debug=debug)]


def fact_statements(ev: Evidence, q: Question, llm, catalog: Catalog, types: Sequence[str],
                    embeddings) -> Generator[str, None, list[Statement]]:
    """Statements answering each asked part from text candidates (empty when no part has evidence); the
    model's words are yielded as it writes them."""
    lang = _lang(q)
    scorer = SupportScorer(embeddings, catalog.has_token) if embeddings is not None else None
    out: list[Statement] = []
    done_sentences = False
    if ev.coverage < MIN_COVERAGE:
        return out  # the question is about words the documents lack: the best-scoring value answers nothing
    for part in types:
        if part == "compare":
            continue
        kinds = KINDS.get(part)
        if part == "what" and ev.of_kind(*VALUE_KINDS):
            kinds = VALUE_KINDS
        if kinds:
            cands = ev.of_kind(*kinds)
            if not cands:
                continue
            out.extend((yield from part_statement(q, [_pick(cands, q, llm)], llm, catalog, scorer, lang)))
        elif not done_sentences:
            sents = [c for c in ev.of_kind("sentence") if c.score > 0.3 / (1 + c.rank) + 0.05] or ev.of_kind("sentence")
            if not sents:
                continue
            top = [sents[0]]
            nxt = next((c for c in sents[1:] if c.context != top[0].context), None)
            if nxt is not None and top[0].score - nxt.score < _CLOSE / 2:
                top.append(nxt)
            out.extend((yield from part_statement(q, top, llm, catalog, scorer, lang)))
            done_sentences = True
    return out
