"""The answer chain, one straight line: rewrite a follow-up ▶ read the question (with its Japanese rendering
when asked in English) ▶ find evidence (retrieval, records, typed candidates bound to what was asked) ▶
compose from records, bound facts or comparisons ▶ render Japanese quotes in English for an English asker ▶
`Answer` with a citation for every claim.

Code finds the facts, writes the answer and decides to abstain; the model only renders a Japanese quote code
chose into English (checked to keep its numbers) and rewrites follow-ups."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Generator, Sequence
from functools import cached_property
from pathlib import Path

from ingest.cleaner import nfkc
from ingest.lexicon import LEXICON_DIR, Lexicon
from rag import messages
from rag.answer.abstain import abstain_reason, names_a_choice, unbound_reason
from rag.answer.citations import Citations
from rag.answer.comparisons import compare_sides, compare_statements
from rag.answer.facts import fact_parts, fact_statements, nearest
from rag.answer.rendering import render_statements
from rag.find.evidence import Evidence, EvidenceFinder
from rag.find.retriever import HybridRetriever
from rag.find.spans import SpanLocator
from rag.llm.backends import GENERATION_LOCK, ModelOnDemand
from rag.read.crosslingual import CrossLingual
from rag.read.question import Question, read_question
from rag.read.relations import relations_in
from rag.read.rewrite import looks_like_follow_up, rewrite
from rag.series.catalog import Catalog
from rag.series.records import summary_answers
from rag.series.sentences import Composer
from rag.types import Answer, AnswerStream, Statement
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

    @cached_property
    def citations(self) -> Citations:
        """Numbers cites and opens each as a citation."""
        return Citations(self.locator)

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

    def read(self, text: str) -> Question:
        """The question as code reads it, with its Japanese rendering when asked in English."""
        q = read_question(text)
        if q.number is None and q.code and self.catalog.series_alias(q.code[0]):
            q = dataclasses.replace(q, number=q.code[1])  # "EAWF3": the 3rd meeting of the series called EAWF
        if q.language != "ja":
            rendering = self.crosslingual.render(text)
            q = q.with_japanese(rendering.text, rendering.words, rendering.synonyms) if rendering else q
        return q

    def evidence(self, q: Question) -> Evidence:
        """Everything code finds for a question."""
        return self.finder.find(q)

    def stream(self, question: str, history: Sequence[tuple[str, str]] = ()) -> AnswerStream:
        """The answer as it is made: text as it is written, then the verified `Answer`."""
        return AnswerStream(self._steps(question, history))

    def answer(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Answer:
        """The final `Answer` (the stream, drained)."""
        return self.stream(question, history).answer()

    def _steps(self, question: str, history: Sequence[tuple[str, str]]) -> Generator[str, None, Answer]:
        """Yield text as it is written (the model's words; code's text at once), return the `Answer`."""
        t_start = time.perf_counter()
        timings: dict[str, float] = {}
        notices: list[str] = []
        raw = question or ""
        language = read_question(raw).language if raw.strip() else "en"
        if not raw.strip():
            return Answer(question=raw, text=messages.say("empty_question", language), language=language, abstained=True,
                          notices=["empty question"], reason="empty_question")
        if len(raw) > self.settings.question_max_chars:
            raw = raw[: self.settings.question_max_chars]
            notices.append(messages.say("truncated", language, limit=self.settings.question_max_chars))
        if language == "other":
            notices.append(messages.say("other_language", language))
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
        q = self.read(standalone)
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

        def done(**fields) -> Answer:
            timings["total"] = time.perf_counter() - t_start
            return Answer(timings=timings, **base, **fields)

        refused = abstain_reason(ev, language, self.catalog)
        if refused:
            return done(text=refused.text, abstained=True, reason=refused.reason)

        t = time.perf_counter()
        statements: list[Statement] = []
        if q.compare:
            # The verb of the question's own frame ("Which got signed first: A or B?") is each side's that says
            # none; a verb inside one side ("Aの覚書締結とB、どちらが先") is that side's alone.
            frame = nfkc(q.text)
            for side in compare_sides(q) or ():
                frame = frame.replace(nfkc(side), " ")
            statements = compare_statements(q, lambda text, order: self._side(text, order, llm, relations_in(frame)))
        if statements:
            pass
        elif q.compare:
            # A comparison code could not make is not answered by one of its sides' values.
            timings["compose"] = time.perf_counter() - t
            return self._unanswered(ev, q, language, done, "comparison_unmade")
        elif ev.records is not None:
            statements = Composer(self.catalog, q).compose(ev.records)
            missing = [t for t in q.types if t in ("who", "how_many") and not q.count]
            named = ev.records.kind == "named"
            if named and q.types[0] in ("what", "why_how") and not any(
                    summary_answers(r, ev.records.conditions.topic) for r in ev.records.records):
                missing = [q.types[0]]  # what a meeting did, where no summary says it: its report's text
            if missing:
                # Records hold dates, places and summaries, not people or quantities: those come from text
                # — the named meetings' own text (their rows and reports), when the question names them.
                scoped = ev if not named else dataclasses.replace(
                    ev, candidates=[c for c in ev.candidates if c.passage.chunk_id in ev.scope])
                more = fact_statements(scoped, q, self.catalog, missing)
                if not more:
                    return self._unanswered(scoped, q, language, done, "records+" + unbound_reason(scoped))
                keep = [] if missing == [q.types[0]] and q.types[0] in ("what", "why_how") else [
                    s for s in statements if not _summary_only(s)]
                statements = keep + more
        else:
            statements, unanswered = fact_parts(ev, q, self.catalog, list(q.types))
            if statements and unanswered:
                # Part of the question binds, part does not: what the documents give, marked as not the whole answer.
                statements = yield from render_statements(statements, llm, language)
                text, citations, sentences = self.citations.number(statements)
                missing = messages.say("partly_stated", language, parts=messages.listed(
                    [messages.say(f"part_{p}", language) for p in unanswered], language))
                joiner = "" if language == "ja" else " "
                return done(text=f"{missing}{joiner}{text}", citations=citations, sentences=sentences, abstained=True,
                            reason="partly_stated")
        if not statements or not names_a_choice(q, statements):
            timings["compose"] = time.perf_counter() - t
            return self._unanswered(ev, q, language, done, unbound_reason(ev) if not statements else "no_choice_named")
        if not any(st.cites for st in statements):
            # Nothing cited is nothing found ("the documents list no meeting …"): said, but as an abstention,
            # never as an answer of zero.
            text, _, _ = self.citations.number(statements)
            return done(text=text, abstained=True, reason="nothing_listed")
        statements = yield from render_statements(statements, llm, language)
        timings["compose"] = time.perf_counter() - t
        if llm.error:
            # No model configured is a choice, not a failure: the answer is code's, and says so.
            if self.settings.llm_backend != "none":
                base["error"] = f"LLM unavailable: {llm.error}"
            base["notices"] = [*base["notices"], messages.say("model_failed", language)]
        failed = next((st.error for st in statements if st.error), None)
        if failed and not llm.error:
            base["error"] = failed
        text, citations, sentences = self.citations.number(statements)
        notices = list(dict.fromkeys([*base.pop("notices"), *(n for st in statements for n in st.notices)]))
        debug = [d for st in statements for d in st.debug]
        short = any(st.short for st in statements)
        return done(text=text, citations=citations, sentences=sentences, abstained=short,
                    reason="falls_short" if short else None, notices=notices, debug=debug)

    def _unanswered(self, ev: Evidence, q: Question, language: str, done, reason: str) -> Answer:
        """An abstention that says what the documents do give nearest to the question, marked as not the
        answer and cited, when they give a value of the asked kind said of something else."""
        near = nearest(ev, q, self.catalog)
        if near is None:
            return done(text=messages.say("not_in_documents", language), abstained=True, reason=reason)
        text, cites = near
        text, citations, _ = self.citations.number([Statement(text, cites)])
        return done(text=text, citations=citations, abstained=True, reason=reason)

    def _side(self, text: str, order: str | None, llm, relations: frozenset[str] = frozenset()) -> Evidence:
        """Evidence for one side of a comparison, asked as "when" (and "first" if the question says so); a side
        that says no verb of its own ("the Japan–X MoC") is asked with the question's ("which got signed first")."""
        q = self.read(text)
        return self.finder.find(dataclasses.replace(q, types=("when",), order=order or q.order, compare=False,
                                                    relations=q.relations or relations))


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
