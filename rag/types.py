"""What `rag` returns: passages, citations, answers and claim verdicts (pydantic, so they serialize)."""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from ingest.schema import MeetingFields, Record

Language = Literal["ja", "en", "other"]


class SourceSpan(BaseModel):
    """A stretch of a source document: `text` is exactly `document.text[start:end]`."""

    chunk_id: str
    doc_id: str
    title: str
    text: str
    start: int
    end: int


class Passage(SourceSpan, MeetingFields):
    """A retrieved chunk with its scores (and its chunk's meeting fields)."""

    index_text: str = ""
    kind: str = "text"
    score: float = 0.0
    dense_score: float | None = None
    bm25_score: float | None = None


@dataclass(frozen=True)
class Cite:
    """Where a statement's value comes from: a stretch of a document (offsets into its text)."""

    doc_id: str
    start: int
    end: int
    record: Record | None = None


@dataclass
class Statement:
    """One answer sentence; its [n] markers number `cites` from 1 in order."""

    text: str
    cites: list[Cite] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)  # numbers code computed (a count, a difference)
    supported: bool = True  # code took every value from its cited span; a model sentence passed the checks
    score: float = 1.0
    repaired: bool = False  # the model's sentence was replaced by code's
    notices: list[str] = field(default_factory=list)
    error: str | None = None  # the model failed while phrasing (code's sentence stands)
    debug: list[str] = field(default_factory=list)  # how it was made, for developers (not shown to users)
    # Japanese text an English asker should read in English: rendered by the model (rag.answer.rendering)
    # into `text` in place of {quote}; where that fails, the original stands, marked as Japanese.
    quote_ja: str | None = None
    short: bool = False  # what the documents give falls short of the question: said and cited, as an abstention


class Citation(SourceSpan):
    """One numbered citation: the passage it opens and the span in it that supports the claim."""

    n: int
    span_start: int = 0  # offsets inside `text` of the supporting span
    span_end: int = 0
    support: float = 0.0
    label: str | None = None  # meeting and date, when the passage is a meeting row


class SentenceCheck(BaseModel):
    """An answer sentence and whether its cited passages support it."""

    text: str
    citations: list[int] = Field(default_factory=list)
    supported: bool = False
    score: float = 0.0
    repaired: bool = False  # a citation was attached by code, not written by the model


class Answer(BaseModel):
    """The result of `rag.answer`: text with [n] markers, verified citations, and what was retrieved."""

    question: str
    text: str
    language: Language
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[Passage] = Field(default_factory=list)
    sentences: list[SentenceCheck] = Field(default_factory=list)
    abstained: bool = False
    reason: str | None = None  # why it abstained, a short code ("unbound:relation", "nothing_relevant" …)
    standalone_question: str | None = None  # the follow-up rewritten before retrieval
    intent: str | None = None
    notices: list[str] = Field(default_factory=list)
    error: str | None = None  # e.g. the LLM failed: retrieved passages are still here
    timings: dict[str, float] = Field(default_factory=dict)
    debug: list[str] = Field(default_factory=list)  # how it was made (e.g. a model sentence code replaced): not shown

    @property
    def unsupported_sentences(self) -> list[SentenceCheck]:
        """Sentences flagged as not supported by any passage."""
        return [s for s in self.sentences if not s.supported]


class AnswerStream:
    """One answer: iterate it for its text as it is written, then `answer()` gives the verified `Answer`.

    Where the model writes, its words come as it writes them; where code composes, the text comes at once.
    What was streamed is a preview: the final `Answer.text` replaces it (a model sentence that failed
    code's checks is not kept). When nothing was streamed, the final text is streamed as one piece.
    """

    def __init__(self, steps: Generator[str, None, Answer]) -> None:
        self._steps = steps
        self._started: float | None = None
        self._first: float | None = None
        self._answer: Answer | None = None
        self.streamed = ""  # the text pieces so far, joined

    def __iter__(self) -> Iterator[str]:
        while self._answer is None:
            if self._started is None:
                self._started = time.perf_counter()
            try:
                piece = next(self._steps)
            except StopIteration as end:
                final: Answer = end.value
                late = final.text if not self.streamed else ""
                if late:
                    self._shown(late)
                if self._first is not None:
                    final.timings.setdefault("first_token", self._first)
                self._answer = final
                if late:
                    yield late
                return
            if piece:
                self._shown(piece)
                yield piece

    def _shown(self, piece: str) -> None:
        if self._first is None and self._started is not None:
            self._first = time.perf_counter() - self._started
        self.streamed += piece

    def answer(self) -> Answer:
        """The verified `Answer` (the rest of the text is drained first)."""
        for _ in self:
            pass
        assert self._answer is not None
        return self._answer

    @property
    def replaced(self) -> bool:
        """Whether the final text differs from what was streamed (callers show the final one)."""
        return self._answer is not None and self.streamed.strip() != self._answer.text.strip()

    def close(self) -> None:
        """Stop making the answer (releases the model if it was writing)."""
        self._steps.close()


# "disputed": documents state different values for what the claim is about (both are shown).
VerdictLabel = Literal["supported", "not_found", "contradicted", "disputed"]


class Verdict(BaseModel):
    """The result of `rag.check(claim)`."""

    claim: str
    label: VerdictLabel
    explanation: str
    evidence: list[Citation] = Field(default_factory=list)
    language: Language = "en"
    timings: dict[str, float] = Field(default_factory=dict)
