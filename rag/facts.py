"""Answers from text (not records): for each part the question asks, the best candidate of that kind
(code ranks; the model picks only among close ones), one sentence phrased by the model from those
facts, checked by code — and where the model's sentence fails, code's own sentence stands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ingest.records import is_japanese
from rag import messages
from rag.candidates import Candidate
from rag.catalog import Catalog
from rag.compose import Cite, Statement, record_cite
from rag.evidence import KINDS, VALUE_KINDS, Evidence
from rag.llm import resolve
from rag.phrase import Fact, choose, invented, phrase, states
from rag.question import Question
from rag.support import SUPPORTED, SupportScorer
from rag.types import Language

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
                   lang: Language) -> list[Statement]:
    """The sentence(s) for chosen candidates: the model's if it holds, else code's."""
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
        sentence = phrase(model, q, facts, lang) if model is not None else None
    except Exception as e:  # noqa: BLE001 - the model is down: code's sentence from the evidence stands
        sentence, error = None, f"LLM failed: {messages.llm_error_text(e)}"
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
    notices = [messages.model_not_used(lang)] if sentence else []
    if error:
        notices.append(messages.model_failed(lang))
    return [Statement(template(c.kind, shown, lang), cites[:1], repaired=bool(sentence), notices=notices,
                      error=error)]


def fact_statements(ev: Evidence, q: Question, llm, catalog: Catalog, types: Sequence[str],
                    embeddings) -> list[Statement]:
    """Statements answering each asked part from text candidates (empty when no part has evidence)."""
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
            out.extend(part_statement(q, [_pick(cands, q, llm)], llm, catalog, scorer, lang))
        elif not done_sentences:
            sents = [c for c in ev.of_kind("sentence") if c.score > 0.3 / (1 + c.rank) + 0.05] or ev.of_kind("sentence")
            if not sents:
                continue
            top = [sents[0]]
            nxt = next((c for c in sents[1:] if c.context != top[0].context), None)
            if nxt is not None and top[0].score - nxt.score < _CLOSE / 2:
                top.append(nxt)
            out.extend(part_statement(q, top, llm, catalog, scorer, lang))
            done_sentences = True
    return out


# --- comparisons ----------------------------------------------------------------------------------

_SIDES_EN = re.compile(r"(?:[:,]\s*|\b(?:first|earlier|later)\b\s*,?\s*)(?:the\s+)?(.+?)\s+or\s+(?:the\s+)?(.+?)[?？.]?\s*$",
                       re.I)
_SIDES_JA = re.compile(r"^(.+?)と(.+?)(?:では|とでは|は)、?(?:どちら|どっち)")
_SIDES_JA_THAN = re.compile(r"^(.+?)は、?(.+?)より")


def compare_sides(q: Question) -> tuple[str, str] | None:
    """The two things a comparison question compares, as written."""
    text = q.text.strip()
    for pattern in (_SIDES_EN, _SIDES_JA, _SIDES_JA_THAN):
        m = pattern.search(text)
        if m:
            a, b = m.group(1).strip(" 、,"), m.group(2).strip(" 、,")
            if a and b and a != b:
                return a, b
    return None


def _dated(ev: Evidence) -> tuple[object, Cite] | None:
    """The date a side's evidence gives: its record's, else its best date in text."""
    if ev.records is not None and ev.records.records:
        r = ev.records.records[0]
        if r.date is not None:
            return r.date, record_cite(r)
    dates = ev.of_kind("date")
    if dates:
        c = dates[0]
        return c.date, Cite(c.doc_id, c.start, c.end)
    return None


def compare_statements(q: Question, find: Callable[[str, str | None], Evidence]) -> list[Statement]:
    """Which of two things came first, from the date each side's own evidence gives (code compares).

    `find(text, order)` gives the evidence for one side asked as "when" (with "first" when the question
    asks which started earlier).
    """
    sides = compare_sides(q)
    if sides is None:
        return []
    order = "first" if re.search(r"始ま|開始|\bstart|\bbegan|\bbegin", q.text, re.I) else None
    found = []
    for side in sides:
        d = _dated(find(side, order))
        if d is None or d[0] is None:
            return []
        found.append((side, *d))
    (a, da, ca), (b, db, cb) = sorted(found, key=lambda x: x[1].key())
    lang = _lang(q)
    if lang == "ja":
        text = f"{a}の方が先です。{a}は{da.ja()}[1]、{b}は{db.ja()}です[2]。"
    else:
        text = f"{_cap(a)} came first: {a} dates from {da.en()} [1], {b} from {db.en()} [2]."
    diff = (db.year or 0) - (da.year or 0)
    if re.search(r"何年|how many years", q.text, re.I) and diff > 0:
        text += f"{diff}年の差があります。" if lang == "ja" else f" That is {diff} years apart."
    return [Statement(text, [ca, cb], derived=[str(diff)] if diff > 0 else [])]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s and not is_japanese(s[:1]) else s
