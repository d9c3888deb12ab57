"""The answer chain, one straight line: read the question ▶ rewrite a follow-up ▶ render it in Japanese ▶
find evidence (retrieval, records, typed candidates) ▶ compose from records, or let the model choose
and phrase from candidates ▶ check ▶ `Answer` with a citation for every claim.

Code finds the facts and decides to abstain; the model only picks among what code found and phrases it.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path

from ingest.lexicon import LEXICON_DIR, Lexicon
from rag import messages
from rag.catalog import Catalog
from rag.compose import Cite, Composer, Statement, number_marks
from rag.crosslingual import CrossLingual
from rag.evidence import KINDS, Evidence, EvidenceFinder
from rag.facts import compare_statements, fact_statements
from rag.llm import GENERATION_LOCK, ModelOnDemand
from rag.question import Question, read_question
from rag.retriever import HybridRetriever
from rag.rewrite import looks_like_follow_up, rewrite
from rag.spans import SpanLocator
from rag.support import SupportScorer
from rag.types import Answer, Citation, Passage, SentenceCheck
from shiori.settings import Settings


class AnswerChain:
    """Turns a question into an `Answer`; holds no state between questions but its caches of the index."""

    def __init__(self, settings: Settings, retriever: HybridRetriever, llm_factory, embeddings) -> None:
        self.settings = settings
        self.retriever = retriever
        self.store = retriever.store
        self.sparse = retriever.sparse
        self._llm_factory = llm_factory
        self.scorer_embeddings = embeddings

    # --- what the chain knows about the index

    @cached_property
    def catalog(self) -> Catalog:
        """Series, subjects, names and translations of the index."""
        return Catalog(self.store, self.has_token)

    @cached_property
    def finder(self) -> EvidenceFinder:
        """Finds evidence for questions."""
        return EvidenceFinder(self.settings, self.retriever, self.catalog)

    @cached_property
    def locator(self) -> SpanLocator:
        """Turns document spans into citable passages."""
        return SpanLocator(self.store)

    @property
    def rows(self):
        """Every table-row chunk (for the timeline)."""
        return [c for c in self.store.chunks() if c.kind == "row"]

    def has_token(self, token: str) -> bool:
        """Whether the index holds a word."""
        return self.sparse is not None and self.sparse.has_token(token)

    # --- the line

    @cached_property
    def crosslingual(self) -> CrossLingual:
        """English question words → the documents' Japanese words."""
        return CrossLingual(Lexicon.load(Path(self.settings.index_dir) / LEXICON_DIR), self.scorer_embeddings,
                            sorted(self.catalog.names))

    def read(self, text: str, llm=None) -> Question:
        """The question as code reads it, with its Japanese rendering when asked in English."""
        q = read_question(text)
        if q.language != "ja":
            rendering = self.crosslingual.render(text)
            q = q.with_japanese(rendering.text, rendering.words) if rendering else q
        return q

    def evidence(self, q: Question) -> Evidence:
        """Everything code finds for a question."""
        return self.finder.find(q)

    def stream(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Iterator[str | Answer]:
        """Yield answer text as it is ready, then the verified `Answer`."""
        t_start = time.perf_counter()
        timings: dict[str, float] = {}
        notices: list[str] = []
        raw = question or ""
        language = read_question(raw).language if raw.strip() else "en"
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

        llm = ModelOnDemand(self._llm_factory)  # loaded only if a step needs the model

        standalone = raw
        if history:
            t = time.perf_counter()
            model = llm.get() if looks_like_follow_up(raw) else None
            with GENERATION_LOCK:
                standalone = rewrite(raw, history, model, self.settings.question_max_chars)
            timings["rewrite"] = time.perf_counter() - t

        t = time.perf_counter()
        q = self.read(standalone, llm)
        if q.language == "other":
            q = dataclasses.replace(q, language="en")
        timings["read"] = time.perf_counter() - t
        ev = self.evidence(q)
        timings.update(ev.timings)
        # The records code picked come first among the passages shown: they are what the answer rests on.
        picked = [self.locator.passage(r.doc_id, r.start, r.end) for r in (ev.records.records if ev.records else [])]
        shown = picked + [p for p in ev.retrieved if p.chunk_id not in {x.chunk_id for x in picked}]
        base = dict(question=question, language=language, retrieved=shown[: max(self.settings.retrieve_k, len(picked))],
                    notices=notices, standalone_question=standalone if standalone != raw else None,
                    intent=_intent(q))

        reason = self.abstain_reason(ev, language)
        if reason:
            timings["total"] = time.perf_counter() - t_start
            yield Answer(text=reason, abstained=True, timings=timings, **base)
            return

        t = time.perf_counter()
        statements: list[Statement] = []
        composer = Composer(self.catalog, q)
        if q.compare:
            statements = compare_statements(q, lambda text, order: self._side(text, order, llm))
        if statements:
            pass
        elif ev.records is not None:
            statements = composer.compose(ev.records)
            missing = [t for t in q.types if t in ("who", "how_many") and not q.count]
            if missing:
                # Records hold dates, places and summaries, not people or quantities: those come from text
                # — the named meetings' own text, when the question names them.
                own = {r.chunk_id for r in ev.records.records} if ev.records.kind == "named" else None
                scoped = ev if own is None else dataclasses.replace(
                    ev, candidates=[c for c in ev.candidates if c.passage.chunk_id in own])
                more = fact_statements(scoped, q, llm, self.catalog, missing, self.scorer_embeddings)
                if not more:
                    timings["total"] = time.perf_counter() - t_start
                    yield Answer(text=messages.not_in_documents(language), abstained=True, timings=timings, **base)
                    return
                statements = [s for s in statements if not _summary_only(s)] + more
        else:
            statements = fact_statements(ev, q, llm, self.catalog, list(q.types), self.scorer_embeddings)
        timings["compose"] = time.perf_counter() - t
        if not statements:
            timings["total"] = time.perf_counter() - t_start
            yield Answer(text=messages.not_in_documents(language), abstained=True, timings=timings, **base)
            return
        if llm.error:
            # No model configured is a choice, not a failure: the answer is code's, and says so.
            if self.settings.llm_backend != "none":
                base["error"] = f"LLM unavailable: {llm.error}"
            base["notices"] = [*base["notices"], messages.model_failed(language)]
        failed = next((st.error for st in statements if st.error), None)
        if failed and not llm.error:
            base["error"] = failed
        answer = self.to_answer(statements, base, timings, t_start)
        timings.setdefault("first_token", time.perf_counter() - t_start)
        yield answer.text
        yield answer

    def _side(self, text: str, order: str | None, llm) -> Evidence:
        """Evidence for one side of a comparison, asked as "when" (and "first" if the question says so)."""
        q = self.read(text, llm)
        return self.finder.find(dataclasses.replace(q, types=("when",), order=order or q.order, compare=False))

    def abstain_reason(self, ev: Evidence, language: str) -> str | None:
        """Why the documents cannot answer, from the evidence of every document (None: they can)."""
        q = ev.question
        if ev.records is not None and ev.records.kind == "missing":
            return Composer(self.catalog, q).missing(ev.records)
        if ev.unknown and (ev.records is None or not self._names_cover(ev)):
            return messages.not_covered(language, ev.unknown)
        if ev.records is None and not ev.relevant:
            return messages.not_in_documents(language)
        if ev.records is None:
            asked = [t for t in q.types if t in KINDS]
            if asked and asked[0] == q.types[0] and not ev.of_kind(*KINDS[asked[0]]) and not q.count:
                return messages.not_in_documents(language)
        return None

    @staticmethod
    def _names_cover(ev: Evidence) -> bool:
        """Whether the series the question was matched to carry the names code could not find elsewhere."""
        names = " ".join(n for m in ev.series for n in m.series.names)
        return all(u in names for u in ev.unknown)

    def to_answer(self, statements: list[Statement], base: dict, timings: dict[str, float], t_start: float) -> Answer:
        """The final `Answer`: statements joined, each cite turned into a numbered citation of its passage."""
        text, cites = number_marks(statements)
        citations: list[Citation] = []
        order: dict[tuple[str, int, int], int] = {}
        remap: dict[int, int] = {}
        for i, cite in enumerate(cites, start=1):
            key = (cite.doc_id, cite.start, cite.end)
            if key not in order:
                order[key] = len(order) + 1
                citations.append(self.citation(order[key], cite))
            remap[i] = order[key]
        text = re.sub(r"\[(\d+)\]", lambda m: f"[{remap.get(int(m.group(1)), int(m.group(1)))}]", text)
        text = re.sub(r"((?:\[\d+\])+)", lambda m: "".join(dict.fromkeys(re.findall(r"\[\d+\]", m.group(1)))), text)
        sentences = []
        for st in statements:
            n_before = sum(len(s.cites) for s in statements[: statements.index(st)])
            marks = sorted({remap[n_before + i] for i in range(1, len(st.cites) + 1)})
            plain = re.sub(r"\s*\[\d+\]", "", st.text)
            sentences.append(SentenceCheck(text=plain, citations=marks, supported=st.supported, score=st.score,
                                           repaired=st.repaired))
        timings["total"] = time.perf_counter() - t_start
        notices = list(base["notices"]) + [n for st in statements for n in st.notices]
        b = {**base, "notices": list(dict.fromkeys(notices))}
        return Answer(text=text, citations=citations, sentences=sentences, abstained=False, timings=timings, **b)

    def citation(self, n: int, cite: Cite) -> Citation:
        """A numbered citation: the passage holding the cited span, and the span inside it."""
        p: Passage = self.locator.passage(cite.doc_id, cite.start, cite.end)
        label = None
        if cite.record is not None and (cite.record.number is not None or cite.record.date is not None):
            from ingest.schema import date_label

            d = cite.record.date
            label = date_label(cite.record.number, d.year if d else None, d.month if d else None)
        return Citation(n=n, chunk_id=p.chunk_id, doc_id=p.doc_id, title=p.title, text=p.text, start=p.start,
                        end=p.end, span_start=max(0, cite.start - p.start), span_end=min(len(p.text), cite.end - p.start),
                        support=1.0, label=label or p.date_label)

    def answer(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Answer:
        """The final `Answer` (the streaming form, drained)."""
        final = None
        for item in self.stream(question, history):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def support_scorer(self) -> SupportScorer:
        """The support check used for model sentences (numbers, terms, similarity)."""
        return SupportScorer(self.scorer_embeddings, self.has_token)


def _intent(q: Question) -> str | None:
    if q.count:
        return "count"
    if q.order:
        return q.order
    if q.listing:
        return "list"
    return None


def _summary_only(st: Statement) -> bool:
    return "「" in st.text and st.text.count("[") == 1 and ("会議概要" in st.text or "summary" in st.text)
