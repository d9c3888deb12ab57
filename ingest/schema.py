"""The objects ingestion hands on: a source document and its chunks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Provenance:
    """Where a document comes from (read from its sidecar or the document itself)."""

    title: str
    title_en: str | None = None
    publisher: str | None = None
    kind: str | None = None
    language: str = "ja"
    url: str | None = None


@dataclass(frozen=True)
class SourceDocument:
    """A loaded document: `text` is the original text every offset refers to."""

    doc_id: str
    path: str
    text: str
    provenance: Provenance
    content_hash: str
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document; `text == document.text[start:end]` always holds."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    index_text: str  # normalized (NFKC, numbers joined) for BM25 and display of the clean form
    embed_text: str  # index_text with its context (title, section, meeting) in front
    title: str
    kind: Literal["row", "text"] = "text"
    section: str | None = None
    dialogue: str | None = None
    meeting_number: int | None = None
    year: int | None = None
    month: int | None = None
    venue: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for Chroma (no None values, only scalars)."""
        data = asdict(self)
        data.pop("text")
        data.pop("embed_text")
        data.pop("extra")
        out = {k: v for k, v in data.items() if v is not None}
        out.update({f"x_{k}": v for k, v in self.extra.items()})
        return out

    @property
    def date_label(self) -> str | None:
        """The meeting/date written out, e.g. '第10回 (2016年)'."""
        return date_label(self.meeting_number, self.year, self.month)


def date_label(meeting_number: int | None, year: int | None, month: int | None) -> str | None:
    """'第10回 (2016年)', '第14回 (2021年12月)', '(2023年)', or None when nothing is known."""
    parts = []
    if meeting_number is not None:
        parts.append(f"第{meeting_number}回")
    if year is not None:
        parts.append(f"({year}年{f'{month}月' if month else ''})")
    return " ".join(parts) or None
