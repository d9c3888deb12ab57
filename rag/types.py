"""What `rag` returns: passages, citations, answers and claim verdicts (pydantic, so they serialize)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ingest.schema import date_label

Language = Literal["ja", "en", "other"]


class SourceSpan(BaseModel):
    """A stretch of a source document: `text` is exactly `document.text[start:end]`."""

    chunk_id: str
    doc_id: str
    title: str
    text: str
    start: int
    end: int


class Passage(SourceSpan):
    """A retrieved chunk with its scores."""

    index_text: str = ""
    kind: str = "text"
    section: str | None = None
    dialogue: str | None = None
    meeting_number: int | None = None
    year: int | None = None
    month: int | None = None
    venue: str | None = None
    score: float = 0.0
    dense_score: float | None = None
    bm25_score: float | None = None

    @property
    def date_label(self) -> str | None:
        """The meeting and date written out, e.g. '第10回 (2016年)'."""
        return date_label(self.meeting_number, self.year, self.month)


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
    standalone_question: str | None = None  # the follow-up rewritten before retrieval
    intent: str | None = None
    notices: list[str] = Field(default_factory=list)
    error: str | None = None  # e.g. the LLM failed: retrieved passages are still here
    timings: dict[str, float] = Field(default_factory=dict)

    @property
    def unsupported_sentences(self) -> list[SentenceCheck]:
        """Sentences flagged as not supported by any passage."""
        return [s for s in self.sentences if not s.supported]


VerdictLabel = Literal["supported", "not_found", "contradicted"]


class Verdict(BaseModel):
    """The result of `rag.check(claim)`."""

    claim: str
    label: VerdictLabel
    explanation: str
    evidence: list[Citation] = Field(default_factory=list)
    language: Language = "en"
    timings: dict[str, float] = Field(default_factory=dict)
