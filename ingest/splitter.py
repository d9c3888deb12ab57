"""Structure-aware chunking: every table row (a record of the document model) is one chunk, other text is
packed by paragraph and cut at sentence ends.

Every chunk is a span of the original text (`doc.text[start:end] == chunk.text`); cleaning happens only
in `index_text` / `embed_text`, so citations can always be highlighted in the source.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ingest.cleaner import is_boilerplate_line, normalize
from ingest.records import DocumentModel, read_document
from ingest.schema import Chunk, Record, SourceDocument, date_label

CHUNKER_VERSION = "records-v13"  # v13: a surname-like kanji name before 市 is a place (ingest.tokenizer)

_NUMBERED_HEADING = re.compile(r"^\d{1,2}[ .、]\s*\S")
_PAREN_HEADING = re.compile(r"^[(（]\d{1,2}[)）]\s*\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+\S")
# A sentence ends at 。！？!? plus any closing brackets/quotes; a line end also ends a piece.
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[」』）)\]】〕\"'”’]*|[^。！？!?]+$")
_INNER_END = re.compile(r"[。！？!?]+[」』）)\]】〕\"'”’]*(?=\S)")
_PROSE_END = re.compile(r"[。．！？]|[A-Za-z][.!?]\s*$")

_HEADING_MAX = 40


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # excludes the "\n"
    text: str
    blank: bool
    boiler: bool


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    para_start: bool
    heading: str | None = None
    level: int = 0


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        out.append(_Line(pos, end, raw, not raw.strip(), is_boilerplate_line(raw)))
        pos = end + 1
    return out


def _squeezed(text: str) -> str:
    """NFKC with whitespace collapsed, but spaces kept (headings like "1 覚書" need theirs)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _heading_text(raw: str) -> str:
    """Normalized heading for `section`, keeping the space after a leading number ("1 覚書")."""
    text = _squeezed(raw.strip().lstrip("#"))
    m = re.match(r"^(\d{1,2}[ .、]|\(\d{1,2}\))\s*(.*)$", text)
    return f"{m.group(1).strip()} {normalize(m.group(2))}" if m else normalize(text)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class _Structure:
    """Line-level analysis of one document: where the table rows are and which lines are headings."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.n = len(lines)
        # Precomputed so look-aheads stay linear on files with long runs of blank lines.
        self._next: list[int | None] = [None] * (self.n + 1)
        for i in range(self.n - 1, -1, -1):
            self._next[i] = self._next[i + 1] if lines[i].blank else i

    def next_nonblank(self, i: int) -> int | None:
        """The first non-blank line at or after i."""
        return self._next[i] if i < self.n else None

    def heading_level(self, i: int) -> int:
        """1/2/… for a heading line, 0 otherwise."""
        raw = self.lines[i].text.strip()
        if _INNER_END.search(raw):  # more than one sentence is body text, whatever it looks like
            return 0
        md = _MD_HEADING.match(raw)
        if md:
            return len(md.group(1))
        text = _squeezed(raw)
        if self.lines[i].boiler or len(text) > _HEADING_MAX or "。" in text or text.endswith(("、", ",")):
            return 0
        if text.startswith(("-", "・", "※", "*", "•")):
            return 0
        if _NUMBERED_HEADING.match(text):
            return 1
        if ":" in text:  # "面積:約1,990 km2" is a label/value line, not a heading
            return 0
        j = self.next_nonblank(i + 1)
        if j is None:
            return 0
        nxt = normalize(self.lines[j].text)
        # "followed by body text": a sentence that is not a note (※) and not another row/label line.
        followed_by_body = "。" in nxt and not nxt.startswith("※") and not self.lines[j].boiler
        if not followed_by_body:
            return 0
        return 2 if _PAREN_HEADING.match(text) else 1


def _index_text(text: str) -> str:
    return normalize(" ".join(line for line in text.split("\n") if not is_boilerplate_line(line)))


def contextualize(chunk_fields: Chunk | Mapping[str, Any]) -> str:
    """The text to embed: the chunk's context (title, meeting, venue or section) in front of index_text."""
    f = chunk_fields if isinstance(chunk_fields, Mapping) else vars(chunk_fields)
    title, body = f.get("title") or "", f.get("index_text") or ""
    if f.get("kind") == "row":
        dialogue = f.get("dialogue")
        head = title if not dialogue or dialogue == title else f"{title} / {dialogue}"
        label = date_label(f.get("meeting_number"), f.get("year"), f.get("month"))
        context = " ".join(p for p in (label, f.get("venue")) if p)
        return f"{head}: {context} {body}" if context else f"{head}: {body}"
    if f.get("section"):
        return f"{title} / {f['section']}: {body}"
    return f"{title}: {body}"


def _text_units(text: str, st: _Structure, lo: int, hi: int) -> list[_Unit]:
    """Sentence pieces and headings of lines [lo, hi) outside table rows."""
    units: list[_Unit] = []
    brk = True
    for i in range(lo, hi):
        line = st.lines[i]
        if line.blank or line.boiler:
            brk = True  # blank and navigation lines separate paragraphs
            continue
        level = st.heading_level(i)
        if level:
            s, e = _trimmed(text, line.start, line.end)
            units.append(_Unit(s, e, True, _heading_text(line.text), level))
            brk = True
            continue
        first = True
        for m in _SENTENCE.finditer(line.text):
            s, e = _trimmed(text, line.start + m.start(), line.start + m.end())
            if s < e:
                units.append(_Unit(s, e, brk and first))
                first = False
        brk = False
    return units


def _paragraphs(units: list[_Unit]) -> list[list[_Unit]]:
    paras: list[list[_Unit]] = []
    for u in units:
        if u.para_start or not paras or paras[-1][0].heading:
            paras.append([u])
        else:
            paras[-1].append(u)
    return paras


def _pack(units: list[_Unit], max_chars: int, sections: list[str]) -> list[tuple[int, int, str | None]]:
    """Greedy packing of paragraphs (split at sentences when too long); headings open a new chunk."""
    out: list[tuple[int, int, str | None]] = []
    cur: list[_Unit] = []
    cur_section: list[str | None] = [None]

    def section() -> str | None:
        return " / ".join(sections) if sections else None

    def flush() -> None:
        if cur:
            out.append((cur[0].start, cur[-1].end, cur_section[0]))
            cur.clear()

    for para in _paragraphs(units):
        head = para[0]
        if head.heading is not None:
            del sections[head.level - 1 :]
            sections.append(head.heading)
            # A few breadcrumb words before the first heading are not worth a chunk of their own.
            fits = bool(cur) and head.end - cur[0].start <= max_chars
            small = (
                fits
                and not out
                and not any(u.heading for u in cur)
                and cur[-1].end - cur[0].start < max_chars // 8
            )
            # A heading right under another heading ("6 参考" then "(1) …") stays with it.
            only_headings = fits and all(u.heading for u in cur)
            if not (small or only_headings):
                flush()
            if not cur or all(u.heading for u in cur):
                cur_section[0] = section()
            cur.append(head)
            continue
        if not cur:
            cur_section[0] = section()
        if cur and para[-1].end - cur[0].start <= max_chars:
            cur.extend(para)
            continue
        heading_only = bool(cur) and all(u.heading for u in cur)
        if para[-1].end - para[0].start <= max_chars and not heading_only:
            flush()
            cur_section[0] = section()
            cur.extend(para)
            continue
        # Too long (or a lone heading waiting for its text): pack sentences, the first ones with the heading.
        if cur and not heading_only:
            flush()
            cur_section[0] = section()
        for u in para:
            if cur and u.end - cur[0].start > max_chars:
                flush()
                cur_section[0] = section()
            cur.append(u)
    flush()
    return out


def _row_fields(record: Record, header: str | None, fallback_section: str | None) -> dict[str, Any]:
    date = record.date
    return {
        "start": record.start,
        "end": record.end,
        "kind": "row",
        "meeting_number": record.number,
        "year": date.year if date else None,
        "month": date.month if date else None,
        "venue": record.place,
        "dialogue": record.series,
        "section": header or fallback_section,
        "extra": {"record_id": record.record_id},
    }


def _line_of(lines: list[_Line], offset: int) -> int:
    """Index of the line holding `offset`."""
    lo, hi = 0, len(lines) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lines[mid].start <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def split_document(doc: SourceDocument, max_chars: int = 400, model: DocumentModel | None = None) -> list[Chunk]:
    """Split a document into one chunk per table record and paragraph/sentence-packed text chunks."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    model = model or read_document(doc)
    text = doc.text
    title = doc.provenance.title
    lines = _lines(text)
    st = _Structure(lines)
    by_row = {(r.start, r.end): r for r in model.records if r.source == "table"}
    spans: list[dict[str, Any]] = []
    sections: list[str] = []  # the heading path, carried across tables
    pos = 0
    tables = [*model.tables]
    for table in tables:
        header = " ".join(table.header) if table.header else None
        first_line = _line_of(lines, table.rows[0].start)
        for s, e, sec in _pack(_text_units(text, st, pos, first_line), max_chars, sections):
            spans.append({"start": s, "end": e, "kind": "text", "section": sec})
        fallback = " / ".join(sections) if sections else None
        for row in table.rows:
            record = by_row.get((row.start, row.end))
            if record is not None:
                spans.append(_row_fields(record, header, fallback))
            else:
                # A row that is no event (a total line) is still text of the document, with its column labels.
                spans.append({"start": row.start, "end": row.end, "kind": "text", "section": header or fallback})
        pos = _line_of(lines, table.end) + 1
    for s, e, sec in _pack(_text_units(text, st, pos, st.n), max_chars, sections):
        spans.append({"start": s, "end": e, "kind": "text", "section": sec})

    chunks: list[Chunk] = []
    for ordinal, span in enumerate(spans):
        body = text[span["start"] : span["end"]]
        digest = hashlib.sha1(body.encode("utf-8")).hexdigest()[:8]
        chunk = Chunk(
            chunk_id=f"{doc.doc_id}:{ordinal:04d}:{digest}",
            doc_id=doc.doc_id,
            text=body,
            index_text=_index_text(body),
            embed_text="",
            title=title,
            **span,
        )
        chunks.append(replace(chunk, embed_text=contextualize(chunk)))
    return chunks


def attach_chunks(records: tuple[Record, ...], chunks: list[Chunk]) -> tuple[Record, ...]:
    """Each record with the id of its chunk: its own row chunk, or the chunk holding its first sentence."""
    rows = {c.extra.get("record_id"): c.chunk_id for c in chunks if c.kind == "row"}
    out = []
    for r in records:
        cid = rows.get(r.record_id)
        if cid is None:
            cid = next((c.chunk_id for c in chunks if c.start <= r.start < c.end), None)
        out.append(replace(r, chunk_id=cid))
    return tuple(out)
