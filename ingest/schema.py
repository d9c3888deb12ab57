"""The objects ingestion hands on: a source document and its chunks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ingest.dates import DateValue


@dataclass(frozen=True)
class Provenance:
    """Where a document comes from (read from its sidecar or the document itself)."""

    title: str
    title_en: str | None = None
    publisher: str | None = None
    kind: str | None = None
    language: str = "ja"
    url: str | None = None
    title_from: str = "sidecar"  # sidecar | html | pdf | text | file: how much the title can be trusted


@dataclass(frozen=True)
class SourceDocument:
    """A loaded document: `text` is the original text every offset refers to."""

    doc_id: str
    path: str
    text: str
    provenance: Provenance
    content_hash: str
    encoding: str = "utf-8"


@dataclass(frozen=True, kw_only=True)
class MeetingFields:
    """Where a piece of a document sits: its section, and the meeting it records (series, number, date, venue).
    Chunks and the passages made from them both carry these."""

    section: str | None = None
    dialogue: str | None = None
    meeting_number: int | None = None
    year: int | None = None
    month: int | None = None
    venue: str | None = None

    @property
    def date_label(self) -> str | None:
        """The meeting and date written out, e.g. '第10回 (2016年)'."""
        return date_label(self.meeting_number, self.year, self.month)


@dataclass(frozen=True)
class Chunk(MeetingFields):
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


def date_label(meeting_number: int | None, year: int | None, month: int | None) -> str | None:
    """'第10回 (2016年)', '第14回 (2021年12月)', '(2023年)', or None when nothing is known."""
    parts = []
    if meeting_number is not None:
        parts.append(f"第{meeting_number}回")
    if year is not None:
        parts.append(f"({year}年{f'{month}月' if month else ''})")
    return " ".join(parts) or None


@dataclass(frozen=True)
class RecordField:
    """A named value of a record (a table cell under its column label, or a labelled line) and its span."""

    name: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Record:
    """One event of a series (a meeting, a fiscal year's activities), read from a table row or from prose.

    `series` is the event series as the source names it; `number` its ordinal; `fields` every cell by its
    column label. Offsets index the document's original text.
    """

    record_id: str
    doc_id: str
    series: str
    number: int | None
    date: DateValue | None
    place: str | None
    summary: str | None
    start: int
    end: int
    source: Literal["table", "prose", "mention"] = "table"
    fields: tuple[RecordField, ...] = ()
    notes: tuple[RecordField, ...] = ()
    chunk_id: str | None = None
    planned: bool = False  # announced for the future ("will be held"), not reported as held

    def field(self, name: str) -> RecordField | None:
        """The field with this name, if any."""
        return next((f for f in self.fields if f.name == name), None)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as their parts)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        """Read back what `to_json` wrote."""
        d = dict(data)
        d["date"] = _date_from_json(d.get("date"))
        d["fields"] = tuple(RecordField(**f) for f in d.get("fields") or ())
        d["notes"] = tuple(RecordField(**f) for f in d.get("notes") or ())
        return cls(**d)


def _date_from_json(d: dict[str, Any] | None) -> DateValue | None:
    if not d:
        return None
    d = dict(d)
    d["until"] = _date_from_json(d.get("until"))
    return DateValue(**d)


@dataclass(frozen=True)
class Subject:
    """What a document is about, named in Japanese and English (title, sidecar, or a stored translation)."""

    name: str  # as the document names it
    name_ja: str | None = None
    name_en: str | None = None
    aliases: tuple[str, ...] = ()  # acronyms and other names ("TEMM")

    def names(self) -> list[str]:
        """Every name, without repeats."""
        return list(dict.fromkeys(n for n in (self.name, self.name_ja, self.name_en, *self.aliases) if n))
