"""The answer chain: analyse ▶ rewrite ▶ retrieve (hybrid) ▶ gather/order ▶ context ▶ LLM ▶ verify ▶ Answer."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from ingest.schema import Chunk
from ingest.tokenizer import tokenize
from rag import messages
from rag.aggregate import DocumentScope, Gathered, gather, named_documents, named_meeting
from rag.analysis import QuestionAnalysis, analyse
from rag.citations import SupportScorer, rarity, stated_counts, supporting_span, verify
from rag.context import build_context
from rag.llm import GENERATION_LOCK
from rag.passages import merge_adjacent, to_passage
from rag.prompts import NOT_FOUND, SYSTEM, user_message
from rag.retriever import HybridRetriever
from rag.rewrite import rewrite
from rag.types import Answer, Language, Passage
from shiori.settings import Settings


@dataclass
class Plan:
    """What retrieval decided: the context passages, computed facts, or a reason to abstain."""

    analysis: QuestionAnalysis
    language: Language
    retrieved: list[Passage]
    context: list[Passage]
    context_text: str
    facts: str | None = None
    gathered: Gathered | None = None
    fallback: str | None = None  # a code-composed answer used when the model's answer fails verification
    abstain_reason: str | None = None


class AnswerChain:
    """Turns a question into an `Answer`; holds no state between questions."""

    def __init__(self, settings: Settings, retriever: HybridRetriever, llm_factory, embeddings) -> None:
        self.settings = settings
        self.retriever = retriever
        self.store = retriever.store
        self.sparse = retriever.sparse
        self._llm_factory = llm_factory
        self.scorer_embeddings = embeddings

    # ---- retrieval and planning

    @cached_property
    def _doc_titles(self) -> dict[str, list[str]]:
        """doc_id -> its titles (Japanese and English); the chain is rebuilt when the index changes."""
        out = {}
        for info in self.store.documents():
            doc = self.store.document(info.doc_id)
            out[info.doc_id] = [info.title, *([doc.provenance.title_en] if doc and doc.provenance.title_en else [])]
        return out

    @cached_property
    def _english_titles(self) -> dict[str, str]:
        """Japanese document title -> its English title (from provenance), for English answers."""
        return {titles[0]: titles[1] for titles in self._doc_titles.values() if len(titles) > 1}

    @cached_property
    def rows(self) -> list[Chunk]:
        """Every meeting-row chunk of the index."""
        return [c for c in self.store.chunks() if c.kind == "row"]

    def _weight(self, token: str) -> float:
        """Rare index terms weigh most when cutting passages to what bears on the question."""
        if self.sparse is None or not self.sparse.has_token(token):
            return 0.0
        return rarity(self.sparse.doc_freq(token))

    def _has_token(self, token: str) -> bool:
        return self.sparse is not None and self.sparse.has_token(token)

    def plan(self, question: str, language: Language, timings: dict[str, float]) -> Plan:
        """Retrieve, resolve temporal/aggregate intent, and choose the context (or a reason to abstain)."""
        s = self.settings
        analysis = analyse(question)
        t = time.perf_counter()
        vector = self.retriever.embed(question)
        timings["embed"] = time.perf_counter() - t
        t = time.perf_counter()
        ranked = self.retriever.rank(question, vector)
        retrieved = self.retriever.passages(ranked)
        scope: DocumentScope = named_documents(set(tokenize(question)), self._doc_titles)
        rows = self.rows
        plan = Plan(analysis, language, retrieved[: s.retrieve_k], [], "")

        if analysis.meeting_number is not None:
            rows_n = [r for r in rows if r.meeting_number == analysis.meeting_number
                      and (not scope.doc_ids or r.doc_id in scope.doc_ids)]
            if not rows_n and scope.doc_ids:
                scope_rows = [r for r in rows if r.doc_id in scope.doc_ids]
                last = max(scope_rows, key=lambda r: (r.meeting_number or 0), default=None)
                dialogue = last.dialogue or last.title if last else "—"
                plan.abstain_reason = messages.no_such_meeting(
                    language, analysis.meeting_number, dialogue,
                    (last.meeting_number, last.year) if last and last.meeting_number else None)
                timings["retrieve"] = time.perf_counter() - t
                return plan
            if rows_n and analysis.intent is None:
                dense = self.retriever.dense_scores(vector, [r.chunk_id for r in rows_n])
                named = sorted((to_passage(r, dense=dense.get(r.chunk_id)) for r in rows_n),
                               key=lambda p: -(p.dense_score or 0.0))
                keep = {p.chunk_id for p in named}
                retrieved = named + [p for p in retrieved if p.chunk_id not in keep]
                if len(named) == 1 or scope.doc_ids:
                    row = named[0]
                    doc_freq = self.sparse.doc_freq if self.sparse is not None else None
                    lo, hi = supporting_span(question, row, doc_freq)
                    quote = row.text[lo:hi].strip()
                    quote = "" if len(quote) < 8 else quote[:150]
                    plan.facts, plan.fallback = named_meeting(
                        row, question, language, self._english_titles if language == "en" else {}, quote)

        if analysis.intent is not None:
            scope_rows = [r for r in rows if not scope.doc_ids or r.doc_id in scope.doc_ids]
            if analysis.year is not None:
                scope_rows = [r for r in scope_rows if r.year == analysis.year] or scope_rows
            dense = self.retriever.dense_scores(vector, [r.chunk_id for r in scope_rows])
            gathered = gather(analysis, question, scope, scope_rows, self._has_token, dense, language,
                              self._english_titles if language == "en" else {})
            if gathered is not None and self._relevant(retrieved, gathered.rows):
                plan.gathered, plan.facts, plan.fallback = gathered, gathered.facts, gathered.template_answer
                many = gathered.intent in ("count", "list")
                plan.context_text, plan.context = build_context(gathered.chosen, s.context_max_chars, compact=many,
                                                                question=question, weight=self._weight)
                if many:  # the model reads what fits; every counted row stays citable (the facts number them all)
                    plan.context = list(gathered.chosen)
                plan.retrieved = gathered.chosen + [p for p in retrieved if p.chunk_id not in
                                                    {c.chunk_id for c in gathered.chosen}][: s.retrieve_k]
                timings["retrieve"] = time.perf_counter() - t
                return plan

        if analysis.year is not None and analysis.meeting_number is None:
            # A named year puts that year's rows first (a soft filter: prose keeps its place).
            year_rows = [p for p in retrieved if p.year == analysis.year]
            retrieved = year_rows + [p for p in retrieved if p.year != analysis.year]

        doc_text = {p.doc_id: d.text for p in retrieved[: s.retrieve_k * 2]
                    if (d := self.store.document(p.doc_id)) is not None}
        merged = merge_adjacent(retrieved[: s.retrieve_k * 2], doc_text)[: s.retrieve_k]
        plan.retrieved = merged
        timings["retrieve"] = time.perf_counter() - t
        if not self._relevant(merged, []):
            plan.abstain_reason = messages.not_in_documents(language)
            return plan
        plan.context_text, plan.context = build_context(merged, s.context_max_chars, cut=s.context_cut, question=question,
                                                        weight=self._weight)
        return plan

    def _relevant(self, passages: Sequence[Passage], gathered_rows: Sequence[Passage]) -> bool:
        """Something relevant was found: a dense match above the floor, or a keyword match."""
        dense = max((p.dense_score or 0.0 for p in [*passages, *gathered_rows]), default=0.0)
        keyword = any((p.bm25_score or 0.0) > 0 for p in passages)
        return dense >= self.settings.min_dense_score or (keyword and dense >= self.settings.min_dense_score - 0.1)

    # ---- answering

    def stream(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Iterator[str | Answer]:
        """Yield answer tokens as the model writes them, then the verified `Answer`."""
        t_start = time.perf_counter()
        timings: dict[str, float] = {}
        notices: list[str] = []
        raw = question or ""
        language = analyse(raw).language if raw.strip() else "en"
        if not raw.strip():
            yield Answer(question=raw, text=messages.empty_question(language), language=language, abstained=True,
                         notices=["empty question"])
            return
        if len(raw) > self.settings.question_max_chars:
            raw = raw[: self.settings.question_max_chars]
            notices.append(messages.TRUNCATED.format(limit=self.settings.question_max_chars))
        if language == "other":
            notices.append(messages.OTHER_LANGUAGE)
            language = "en"

        llm, llm_error = None, None
        try:
            llm = self._llm_factory()
        except Exception as e:  # noqa: BLE001 - shown as a banner; retrieval still runs
            llm_error = str(e)

        standalone = raw
        if history:
            t = time.perf_counter()
            with GENERATION_LOCK:
                standalone = rewrite(raw, history, llm, self.settings.question_max_chars)
            timings["rewrite"] = time.perf_counter() - t

        plan = self.plan(standalone, language, timings)
        base = dict(question=question, language=language, retrieved=plan.retrieved, notices=notices,
                    standalone_question=standalone if standalone != raw else None,
                    intent=plan.analysis.intent)
        if plan.abstain_reason:
            timings["total"] = time.perf_counter() - t_start
            yield Answer(text=plan.abstain_reason, abstained=True, timings=timings, **base)
            return
        if llm is None:
            timings["total"] = time.perf_counter() - t_start
            yield Answer(text=messages.llm_failed(language, llm_error or "no LLM"), abstained=True,
                         error=f"LLM unavailable: {llm_error}", timings=timings, **base)
            return

        t = time.perf_counter()
        pieces: list[str] = []
        try:
            with GENERATION_LOCK:
                for chunk in llm.stream([("system", SYSTEM),
                                         ("human", user_message(standalone, plan.context_text, plan.facts, language))]):
                    token = str(chunk.content)
                    if not token:
                        continue
                    if not pieces:
                        timings["first_token"] = time.perf_counter() - t_start
                        timings["prefill"] = time.perf_counter() - t
                    pieces.append(token)
                    yield token
        except Exception as e:  # noqa: BLE001 - the passages are still worth showing
            timings["generate"] = time.perf_counter() - t
            timings["total"] = time.perf_counter() - t_start
            yield Answer(text=messages.llm_failed(language, type(e).__name__), abstained=True,
                         error=f"LLM failed: {e}", timings=timings, **base)
            return
        timings["generate"] = time.perf_counter() - t
        timings["tokens"] = float(len(pieces))  # stream chunks: one token each under llama.cpp
        yield self._finish("".join(pieces), plan, base, timings, t_start)

    def _finish(self, raw_answer: str, plan: Plan, base: dict, timings: dict[str, float], t_start: float) -> Answer:
        t = time.perf_counter()
        g = plan.gathered
        scorer = SupportScorer(self.scorer_embeddings, self._has_token,
                               frozenset(g.derived) if g is not None else frozenset())
        text = raw_answer.strip()
        not_found = not text or NOT_FOUND.lower() in text.lower()[: len(NOT_FOUND) + 10]
        if not_found and g is not None and g.intent == "count" and plan.fallback:
            text = plan.fallback  # a count code made is the answer to "how many", whatever the model says
            base["notices"] = [*base["notices"], messages.template_used(plan.language)]
        elif not_found:
            timings["verify"] = time.perf_counter() - t
            timings["total"] = time.perf_counter() - t_start
            return Answer(text=messages.not_in_documents(plan.language), abstained=True, timings=timings, **base)
        hint = " ".join(g.terms) if g else ""
        doc_freq = self.sparse.doc_freq if self.sparse is not None else None
        verified = verify(text, plan.context, scorer, hint, doc_freq)
        supported = " ".join(s.text for s in verified.sentences if s.supported)
        key_values = g.key_values if g is not None else []
        if plan.fallback and text != plan.fallback and (
                not supported or any(not re.search(rf"(?<!\d){v}(?!\d)", supported) for v in key_values)
                or (g is not None and g.intent == "count" and not stated_counts(supported, set(key_values)))):
            verified = verify(plan.fallback, plan.context, scorer, hint, doc_freq)
            base["notices"] = [*base["notices"], messages.template_used(plan.language)]
        timings["verify"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t_start
        if not any(s.supported for s in verified.sentences):
            return Answer(text=messages.not_in_documents(plan.language), abstained=True, timings=timings,
                          sentences=verified.sentences, **base)
        return Answer(text=verified.text, citations=verified.citations, sentences=verified.sentences,
                      abstained=False, timings=timings, **base)

    def answer(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Answer:
        """The final `Answer` (the streaming form, drained)."""
        final = None
        for item in self.stream(question, history):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final
