"""Structure-aware chunking: meeting-table rows become one chunk each, other text is packed by paragraph.

Every chunk is a span of the original text (`doc.text[start:end] == chunk.text`); cleaning happens only
in `index_text` / `embed_text`, so citations can always be highlighted in the source.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any

from ingest.cleaner import is_boilerplate_line, normalize
from ingest.schema import Chunk, SourceDocument, date_label

CHUNKER_VERSION = "rows-v1"

_SP = r"[ \t\u3000]"
_DIGITS = r"[0-9０-９]"
# "第10回" alone on its line, then "(2016年)" / "（2021年12月）" on the next non-empty line.
_NUMBER_LINE = re.compile(rf"^\s*第\s*({_DIGITS}+)\s*回\s*$")
# The venue/summary may follow the date on the same line (HTML cells joined by spaces).
_DATE_LINE = re.compile(
    rf"^\s*[(（]\s*({_DIGITS}{{4}})\s*年\s*(?:({_DIGITS}{{1,2}})\s*月)?\s*[)）]\s*(?:{_SP}(.*\S))?\s*$"
)
# "2023年 ハノイ …" — only a row inside a table (after a header or another row).
_YEAR_ROW = re.compile(rf"^\s*({_DIGITS}{{4}})\s*年\s*(?:({_DIGITS}{{1,2}})\s*月)?{_SP}+(\S.*)$")
# A link title naming the event of a row: "第2回日本・ベトナム環境ウィークの結果について".
_EVENT_LINK = re.compile(r"第\s*(\d+)\s*回\s*([^第()（）]+?)(?:の結果|及び|並びに|に向けた)")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}[ .、]\s*\S")
_PAREN_HEADING = re.compile(r"^[(（]\d{1,2}[)）]\s*\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+\S")
# A sentence ends at 。！？!? plus any closing brackets/quotes; a line end also ends a piece.
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[」』）)\]】〕\"'”’]*|[^。！？!?]+$")
_INNER_END = re.compile(r"[。！？!?]+[」』）)\]】〕\"'”’]*(?=\S)")
_PROSE_END = re.compile(r"[。．！？]|[A-Za-z][.!?]\s*$")

_HEADING_MAX = 40
_VENUE_LINE_MAX = 20
_VENUE_MAX = 40
_LINK_LOOKAHEAD = 6  # link/caption lines a row may keep after a blank line
_SAME_EVENT_RATIO = 0.75


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


def _nfkc(text: str) -> str:
    """NFKC with whitespace collapsed, but spaces kept (headings like "1 覚書" need theirs)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _heading_text(raw: str) -> str:
    """Normalized heading for `section`, keeping the space after a leading number ("1 覚書")."""
    text = _nfkc(raw.strip().lstrip("#"))
    m = re.match(r"^(\d{1,2}[ .、]|\(\d{1,2}\))\s*(.*)$", text)
    return f"{m.group(1).strip()} {normalize(m.group(2))}" if m else normalize(text)


def _int(digits: str) -> int:
    return int(unicodedata.normalize("NFKC", digits))


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

    def number_row_date(self, i: int) -> int | None:
        """Index of the date line if a numbered row starts at line i."""
        if not _NUMBER_LINE.match(self.lines[i].text):
            return None
        j = self.next_nonblank(i + 1)
        return j if j is not None and _DATE_LINE.match(self.lines[j].text) else None

    def row_start(self, i: int, in_table: bool) -> bool:
        if self.number_row_date(i) is not None:
            return True
        return in_table and bool(_YEAR_ROW.match(self.lines[i].text))

    def is_table_header(self, i: int) -> bool:
        """A short line of short space-separated labels directly above a row ("開催年 開催地 会議概要")."""
        text = _nfkc(self.lines[i].text)
        tokens = text.split(" ")
        if not (2 <= len(tokens) <= 8) or len(text) > _HEADING_MAX or "。" in text:
            return False
        if _NUMBERED_HEADING.match(text) or any(len(t) > 12 for t in tokens):
            return False
        j = self.next_nonblank(i + 1)
        return j is not None and self.row_start(j, True)

    def is_prose(self, i: int) -> bool:
        return bool(_PROSE_END.search(self.lines[i].text))

    def row_end(self, i: int) -> int:
        """Exclusive end line of the row starting at i: the next row start or the end of the table."""
        date = self.number_row_date(i)
        j = i + 1 if date is None else date + 1
        date_match = _DATE_LINE.match(self.lines[date].text) if date is not None else None
        summary = self.next_nonblank(j) if date_match and not date_match.group(3) else None
        # The venue/summary line belongs to the row even if a blank line separates it from the date.
        if summary is not None and not self.row_start(summary, True) and not self.is_table_header(summary):
            j = summary + 1
        while j < self.n:
            if self.row_start(j, True) or self.is_table_header(j):
                return j
            if self.lines[j].blank:
                # After a blank line the row keeps only link/caption lines that lead to another row.
                k, seen = j, 0
                while k < self.n and seen <= _LINK_LOOKAHEAD:
                    if self.lines[k].blank:
                        k += 1
                        continue
                    if self.row_start(k, True):
                        return k
                    if self.is_prose(k) or self.is_table_header(k) or self.heading_level(k):
                        return j
                    seen += 1
                    k += 1
                return j
            j += 1
        return self.n

    def rows(self) -> list[tuple[int, int, int | None]]:
        """(first line, end line, header line) of every table row, in order."""
        found: list[tuple[int, int, int | None]] = []
        in_table, header, i = False, None, 0
        while i < self.n:
            line = self.lines[i]
            if line.blank:
                i += 1
                continue
            if self.is_table_header(i):
                in_table, header = True, i
                i += 1
                continue
            if not self.row_start(i, in_table):
                in_table, header = False, None
                i += 1
                continue
            end = self.row_end(i)
            found.append((i, end, header))
            in_table, i = True, end
        return found

    def heading_level(self, i: int) -> int:
        """1/2/… for a heading line, 0 otherwise."""
        raw = self.lines[i].text.strip()
        if _INNER_END.search(raw):  # more than one sentence is body text, whatever it looks like
            return 0
        md = _MD_HEADING.match(raw)
        if md:
            return len(md.group(1))
        text = _nfkc(raw)
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


def _venue(rest: list[str]) -> tuple[str | None, int]:
    """Venue from the lines after the date: text before the first space, or short space-less lines."""
    parts: list[str] = []
    for idx, line in enumerate(rest):
        s = line.strip()
        if is_boilerplate_line(s):
            continue
        head_tail = re.split(rf"{_SP}+", s, maxsplit=1)
        if len(head_tail) == 2:
            parts.append(head_tail[0])
            return _join_venue(parts), idx + 1
        if len(s) <= _VENUE_LINE_MAX and "。" not in s:
            parts.append(s)
            continue
        return _join_venue(parts), idx + 1
    return _join_venue(parts), len(rest)


def _join_venue(parts: list[str]) -> str | None:
    venue = "".join(normalize(p) for p in parts)
    # A sentence fragment ("議論した。") before the first space is summary text, not a place.
    if not venue or len(venue) > _VENUE_MAX or any(ch in venue for ch in "。、,"):
        return None
    return venue


def _dialogue(link_lines: list[str], number: int | None, title: str) -> str:
    """The event a row belongs to: the document title unless a link line names a different event."""
    found: list[tuple[int, str]] = []
    for line in link_lines:
        for m in _EVENT_LINK.finditer(normalize(line)):
            found.append((int(m.group(1)), m.group(2).strip()))
    if not found:
        return title
    name = next((n for num, n in found if num == number), found[0][1])
    if not name or SequenceMatcher(None, name, normalize(title)).ratio() >= _SAME_EVENT_RATIO:
        return title
    return name


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


def _row_chunk_fields(
    text: str,
    st: _Structure,
    first: int,
    end: int,
    header: int | None,
    title: str,
    fallback_section: str | None,
) -> dict[str, Any]:
    lines = st.lines
    date = st.number_row_date(first)
    if date is not None:
        m = _NUMBER_LINE.match(lines[first].text)
        d = _DATE_LINE.match(lines[date].text)
        assert m and d  # guaranteed by number_row_date
        number: int | None = _int(m.group(1))
        year, month = _int(d.group(1)), (_int(d.group(2)) if d.group(2) else None)
        rest = [d.group(3)] if d.group(3) else []
        rest += [lines[k].text for k in range(date + 1, end) if not lines[k].blank]
    else:
        y = _YEAR_ROW.match(lines[first].text)
        assert y  # guaranteed by row_start
        number = None
        year, month = _int(y.group(1)), (_int(y.group(2)) if y.group(2) else None)
        rest = [y.group(3)] + [lines[k].text for k in range(first + 1, end) if not lines[k].blank]
    venue, used = _venue(rest)
    links = [r for r in rest[used:] if "。" not in r]
    content = [k for k in range(first, end) if not lines[k].boiler]
    start, stop = _trimmed(text, lines[first].start, lines[content[-1]].end)
    return {
        "start": start,
        "end": stop,
        "kind": "row",
        "meeting_number": number,
        "year": year,
        "month": month,
        "venue": venue,
        "dialogue": _dialogue(links, number, title),
        "section": _nfkc(lines[header].text) if header is not None else fallback_section,
    }


def split_document(doc: SourceDocument, max_chars: int = 400) -> list[Chunk]:
    """Split a document into row chunks and paragraph/sentence-packed text chunks with exact offsets."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    text = doc.text
    title = doc.provenance.title
    st = _Structure(_lines(text))
    spans: list[dict[str, Any]] = []
    sections: list[str] = []  # the heading path, carried across tables
    pos = 0
    for first, end, header in [*st.rows(), (st.n, st.n, None)]:
        units = _text_units(text, st, pos, first)
        for s, e, sec in _pack(units, max_chars, sections):
            spans.append({"start": s, "end": e, "kind": "text", "section": sec})
        if first < st.n:
            fallback = " / ".join(sections) if sections else None
            spans.append(_row_chunk_fields(text, st, first, end, header, title, fallback))
        pos = end

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
