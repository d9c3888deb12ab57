"""Typed eval records: questions, per-question results and scores, and the run summary."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shiori.versions import installed

QuestionType = Literal["fact", "temporal", "count", "compare", "unanswerable"]
PipelineName = Literal["shiori", "baseline"]
QUESTION_TYPES: tuple[str, ...] = ("fact", "temporal", "count", "compare", "unanswerable")


class QuestionItem(BaseModel):
    """One line of evals/questions.jsonl."""

    model_config = ConfigDict(extra="allow")

    id: str
    lang: Literal["ja", "en"]
    question: str
    answerable: bool
    answer: str = ""
    must_include: list[list[str]] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    type: QuestionType | None = None
    corpus: str | None = None  # another corpus folder (relative to the project root), indexed on its own

    @model_validator(mode="after")
    def _infer_type(self) -> QuestionItem:
        # The type may be given explicitly or as the id prefix ("temporal-03").
        if self.type is None:
            prefix = self.id.split("-", 1)[0]
            if prefix in QUESTION_TYPES:
                self.type = prefix  # type: ignore[assignment]
            else:
                self.type = "fact" if self.answerable else "unanswerable"
        return self


class CitedPassage(BaseModel):
    """A citation as written to results.jsonl: the exact cited passage and its offsets."""

    n: int
    doc: str
    title: str = ""
    text: str
    start: int = 0
    end: int = 0


class RetrievedPassage(BaseModel):
    """A retrieved passage, in the rank order it was given to the model."""

    doc: str
    text: str
    score: float = 0.0


class SentenceRecord(BaseModel):
    """An answer sentence, the citations it carries and whether they support it."""

    text: str
    citations: list[int] = Field(default_factory=list)
    supported: bool = False


class ResultRecord(BaseModel):
    """One line of DIR/results.jsonl."""

    model_config = ConfigDict(extra="allow")

    id: str
    question: str
    answer: str = ""
    abstained: bool = False
    reason: str | None = None  # why it abstained (rag.types.Answer.reason)
    citations: list[CitedPassage] = Field(default_factory=list)
    retrieved: list[RetrievedPassage] = Field(default_factory=list)
    latency_s: float = 0.0
    sentences: list[SentenceRecord] = Field(default_factory=list)
    lang: str | None = None
    type: str | None = None
    pipeline: str | None = None
    error: str | None = None
    timings: dict[str, float] = Field(default_factory=dict)


class QuestionScore(BaseModel):
    """How one result scored against its question."""

    id: str
    lang: str
    type: str
    answerable: bool
    correct: bool
    abstained: bool
    error: str | None = None
    evidence_ranks: list[int | None] = Field(default_factory=list)  # 1-based rank of each quote's first hit
    first_hit_rank: int | None = None  # for MRR
    citation_recall: float | None = None
    citation_precision: float | None = None
    sentences_total: int = 0
    sentences_supported: int = 0
    latency_s: float = 0.0
    reason: str | None = None  # why it failed, for the report


class Summary(BaseModel):
    """DIR/summary.json: the figures of one run. Rates are None when no question defines them."""

    pipeline: str
    questions_file: str = ""
    created: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    n_questions: int = 0
    n_answerable: int = 0
    n_unanswerable: int = 0
    n_errors: int = 0
    answer_accuracy: float | None = None
    abstention_accuracy: float | None = None
    false_abstain_rate: float | None = None
    overall_accuracy: float | None = None
    # Of the questions answered (not abstained; an error counts as answered), the share answered wrong:
    # a wrong answer costs more than none, so this is read beside accuracy.
    wrong_when_answering: float | None = None
    recall_at_k: dict[int, float | None] = Field(default_factory=dict)
    recall_curve: list[float] = Field(default_factory=list)  # recall@1..K, for the plot
    mrr: float | None = None
    citation_recall: float | None = None
    citation_precision: float | None = None
    support_rate: float | None = None
    latency_p50: float | None = None
    latency_p95: float | None = None
    accuracy_by_lang: dict[str, float] = Field(default_factory=dict)
    accuracy_by_type: dict[str, float] = Field(default_factory=dict)
    wrong_when_answering_by_lang: dict[str, float] = Field(default_factory=dict)
    wrong_when_answering_by_type: dict[str, float] = Field(default_factory=dict)
    # Abstentions counted by why (Answer.reason): all of them, and those on answerable questions.
    abstained_by_reason: dict[str, int] = Field(default_factory=dict)
    false_abstain_by_reason: dict[str, int] = Field(default_factory=dict)
    failed: list[str] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    # The libraries that decide answers, so figures from two machines can be told apart.
    versions: dict[str, str | None] = Field(default_factory=installed)

    def rates(self) -> dict[str, float | None]:
        """Every metric that must lie in [0, 1] (None when undefined), by name."""
        out: dict[str, float | None] = {
            "answer_accuracy": self.answer_accuracy,
            "abstention_accuracy": self.abstention_accuracy,
            "false_abstain_rate": self.false_abstain_rate,
            "overall_accuracy": self.overall_accuracy,
            "wrong_when_answering": self.wrong_when_answering,
            "mrr": self.mrr,
            "citation_recall": self.citation_recall,
            "citation_precision": self.citation_precision,
            "support_rate": self.support_rate,
        }
        out.update({f"recall@{k}": v for k, v in self.recall_at_k.items()})
        return out


def load_questions(path: Path) -> list[QuestionItem]:
    """Read a questions JSONL file (blank lines and lines starting with // are skipped)."""
    items = []
    for line_no, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            items.append(QuestionItem.model_validate_json(line))
        except ValueError as exc:
            raise ValueError(f"{path}:{line_no}: {exc}") from exc
    return items


def load_results(path: Path) -> list[ResultRecord]:
    """Read DIR/results.jsonl."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ResultRecord.model_validate_json(line) for line in lines if line.strip()]


def write_jsonl(path: Path, records: Iterable[BaseModel]) -> None:
    """Write models one JSON object a line (UTF-8, Japanese unescaped)."""
    with Path(path).open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(rec.model_dump_json() + "\n")
