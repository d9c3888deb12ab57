"""Tables in scraped text, whatever their layout, as rows of cells with exact offsets.

Layouts read: markdown/pipe rows (also HTML tables, which the loader writes as pipe rows), CSV lines,
tab- or multi-space-aligned columns, single-space rows ("第1回 (2014年) ハノイ 概要…"), and the block
layout of flattened web tables where the row key and the cells sit on different lines
("第1回" / "(2014年)" / "ハノイ 概要…", or "平成9年度" / "(1997年度)" / "• 項目"). A row starts at a *key*:
an ordinal with a date ("第1回 (2014年)"), or a date standing alone or before a cell separator; cells
are named by the header line above the first row when there is one.

Hand-written: table libraries read well-formed tables, not rows flattened into lines by a scraper.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass

from ingest.cleaner import is_boilerplate_line, nfkc, normalize
from ingest.dates import find_dates
from ingest.fields import label_role
from ingest.ordinals import find_ordinals

_SP = " \t\u3000"
_RULE = re.compile(r"^[\s|:+\-–—=]+$")  # "---|---|", "|:--|--:|"
_LEADING_DATE = re.compile(r"^[(（]?\s*")
_HEADER_MAX_LABEL = 15
_VENUE_LINE_MAX = 20
_CODE_NUMBER_IN = re.compile(r"(?:^|[|\t])\s*[A-Z][A-Za-z&]{1,9}[-‐–\s]?\d{1,3}\s*(?:[|\t]|$)")  # "| NACM-4 |"
_CODE_AFTER_ORDINAL = re.compile(r"\s*[（(]\s*[A-Z][A-Za-z&]{1,9}[-‐–]?\d{1,3}\s*[）)]")  # "第1回（JCEEM1）"
_SECTION_MARK = re.compile(r"^\s*[■□◆◇●【]")
_LOOKAHEAD = 6  # note/caption lines a row may keep after a blank line
# Page furniture a PDF's text keeps inside a table: "－ 7 －", "p. 7", "7 / 12", and "表2-1（続き）".
_PAGE_NUMBER = re.compile(r"^[\s\-－—―‐–]*(?:p\.?\s*)?[0-9０-９]{1,3}(?:\s*/\s*[0-9０-９]{1,3})?[\s\-－—―‐–]*$", re.I)
_CONTINUED = re.compile(r"^\s*(?:表|図|Table|Fig\.?)\s*[0-9０-９][0-9０-９.\-－‐]*\s*[(（](?:続き?|continued|cont\.?)[)）]\s*$",
                        re.I)
NOTE_MARK = re.compile(r"^\s*(?:※|\*|注\s*\d*\s*[:：])")  # a note line: "※…", "注1："
_SENTENCE_END = re.compile(r"[。．!?！？]\s*[」』）)]*\s*$|[A-Za-z0-9][.!?]\s*$")


@dataclass(frozen=True)
class Cell:
    """One cell: its column label (when the table has a header), its value, and its span in the text."""

    header: str | None
    text: str  # normalized value (NFKC, spaces collapsed, lines joined)
    start: int
    end: int


@dataclass(frozen=True)
class TableRow:
    """A row: the key cell first, then the other cells in column order; notes are caption/link lines."""

    start: int
    end: int
    cells: tuple[Cell, ...]
    notes: tuple[Cell, ...] = ()
    keyed: bool = True  # the row starts at a key (an ordinal, a number or a date), not only at a separator


@dataclass(frozen=True)
class Table:
    """A table found in a text: its header labels (if any), its rows, and the layout it was read in."""

    header: tuple[str, ...] | None
    rows: tuple[TableRow, ...]
    layout: str
    start: int
    end: int


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _separator(line: str) -> str | None:
    """The cell separator a line uses: '|', '\\t', '  ' (2+ spaces), ',' (CSV) or None."""
    t = line.strip()
    if "|" in t:
        return "|"
    if "\t" in t:
        return "\t"
    if re.search(r"\S {2,}\S|\S\u3000+\S", t):
        return "  "
    if "," in t and len(next(csv.reader([t]))) >= 2 and "、" not in t and "。" not in t:
        return ","
    return None


def _split_spans(line: _Line, sep: str) -> list[tuple[int, int]]:
    """Cell spans (absolute offsets, trimmed) of a line split by `sep`; empty cells kept."""
    text, base = line.text, line.start
    if sep == ",":
        spans, pos = [], 0
        for field in next(csv.reader([text])):
            quoted = f'"{field}"' if text.find(f'"{field}', pos) == pos else field
            idx = text.find(quoted.replace('""', '"') if quoted == field else quoted, pos)
            if idx < 0:
                idx = text.find(field, pos)
            end = idx + len(quoted) if idx >= 0 else pos
            spans.append((idx if idx >= 0 else pos, end))
            pos = end + 1
        return [_trim(text, s, e, base, strip='"') for s, e in spans]
    if sep in ("|", "\t"):
        pieces = [(m.start(), m.end()) for m in re.finditer(rf"[^{sep}]*", text)]
        pieces = [p for i, p in enumerate(pieces) if not (p[0] == p[1] and i and pieces[i - 1][1] == p[0])]
    elif sep == " ":
        pieces = [(m.start(), m.end()) for m in re.finditer(r"[^ \t\u3000]+", text)]
    else:
        pieces = [(m.start(), m.end()) for m in re.finditer(r"\S+(?: \S+)*", text)]
    out = [_trim(text, s, e, base) for s, e in pieces]
    if sep in ("|", "\t"):
        # "| a | b |": the empty pieces outside the outer bars (or before a first tab) are not cells.
        edge = " \u3000" if sep == "\t" else None  # the spaces around a line's outer separators
        if out and text[: pieces[0][1]].strip(_SP) == "" and text.lstrip(edge).startswith(sep):
            out = out[1:]
        if out and out[-1][0] == out[-1][1] and text.rstrip(edge).endswith(sep):
            out = out[:-1]
    return out


def _trim(text: str, s: int, e: int, base: int, strip: str = "") -> tuple[int, int]:
    while s < e and (text[s] in _SP or text[s] in strip):
        s += 1
    while e > s and (text[e - 1] in _SP or text[e - 1] in strip):
        e -= 1
    return base + s, base + e


@dataclass(frozen=True)
class _Key:
    """Where a row key ends: (line index, offset in the document) and whether an ordinal leads it."""

    last_line: int
    end: int
    ordinal: bool
    keyed: bool = True  # False: a row found by its separators alone


class _Reader:
    """Finds tables line by line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _without_furniture(_lines(text))
        self.n = len(self.lines)
        self._next: list[int | None] = [None] * (self.n + 1)
        for i in range(self.n - 1, -1, -1):
            self._next[i] = self._next[i + 1] if self.lines[i].blank else i

    def next_nonblank(self, i: int) -> int | None:
        return self._next[i] if 0 <= i < self.n else None

    # --- keys

    def _lead(self, i: int) -> tuple[str, int]:
        """A line's text without leading spaces, bullets or a leading pipe; and how much was cut."""
        raw = self.lines[i].text
        m = re.match(r"^[\s|]*", raw)
        cut = m.end() if m else 0
        return raw[cut:], cut

    def _date_at(self, s: str) -> int | None:
        """End offset (in s) of a date that starts s, optionally in brackets."""
        m = _LEADING_DATE.match(s)
        lead = m.end() if m else 0
        dates = find_dates(s[: lead + 40])
        if not dates or dates[0].start != lead:
            return None
        end = dates[0].end
        if lead and (close := re.match(r"\s*[)）]", s[end:])):
            end += close.end()
        elif lead:
            return None if re.match(r"\s*\S", s[end:]) and s[end:end + 1] not in "\n" else end
        return end

    def key(self, i: int, in_table: bool) -> _Key | None:
        """The row key starting line i, or None when line i does not start a row."""
        if self.lines[i].blank:
            return None
        s, cut = self._lead(i)
        base = self.lines[i].start + cut
        ords = find_ordinals(s[:12])
        if ords and ords[0].start == 0 and not ords[0].word and (s.startswith("第") or in_table or "|" in s):
            # "第1回（JCEEM1）　令和3年…": the meeting's code in brackets belongs to the key, before its date.
            code = _CODE_AFTER_ORDINAL.match(s, ords[0].end)
            after = code.end() if code else ords[0].end
            rest = s[after:]
            gap = len(rest) - len(rest.lstrip(_SP))
            date_end = self._date_at(rest[gap:]) if gap or rest[:1] in "(（" else None
            if date_end is not None:
                end = after + gap + date_end
                return _Key(i, base + end, True) if self._key_ends(s[end:], True) else None
            if not rest.strip(_SP + "|"):  # the ordinal alone ("第1回", "| 第1回 |"): the date may be on the next line
                j = self.next_nonblank(i + 1)
                if j is not None and j - i <= 2:
                    s2, cut2 = self._lead(j)
                    d2 = self._date_at(s2)
                    if d2 is not None and self._key_ends(s2[d2:], True):
                        return _Key(j, self.lines[j].start + cut2 + d2, True)
                if "|" in s:  # "| 第1回 |" with its cells on the lines below, no date among them
                    return _Key(i, base + ords[0].end, True)
                return None
            if rest.lstrip(" ")[:1] in ("|", "\t", ",") or rest.startswith("  "):  # a table without dates
                return _Key(i, base + ords[0].end, True)
            return None
        if in_table and (num := re.match(r"[0-9０-９]{1,3}(?= *[|\t,]| {2,}|\u3000)", s)):
            return _Key(i, base + num.end(), True)  # "1 | 12 March 2019 | …": numbered by a "No." column
        date_end = self._date_at(s)
        if date_end is None:
            return None
        tail = s[date_end:]
        if not self._key_ends(tail, in_table):
            return None
        end, last = date_end, i
        j = self.next_nonblank(i + 1)
        if not tail.strip(_SP) and j is not None and j == i + 1:
            # "平成9年度" then "(1997年度)": the same year written twice belongs to the key.
            s2, cut2 = self._lead(j)
            d2 = self._date_at(s2)
            if d2 is not None and not s2[d2:].strip(_SP):
                return _Key(j, self.lines[j].start + cut2 + d2, False)
            # "2007年" then "第1回": the date before the ordinal, each on its own line.
            o2 = find_ordinals(s2[:12])
            if o2 and o2[0].start == 0 and not o2[0].word and not s2[o2[0].end:].strip(_SP + "|"):
                return _Key(j, self.lines[j].start + cut2 + o2[0].end, True)
        return _Key(last, base + end, False)

    @staticmethod
    def _key_ends(tail: str, in_table: bool) -> bool:
        """After a key comes the line end, a cell separator, or (inside a table) a space and a cell."""
        if not tail.strip(_SP) or tail.lstrip(" ")[:1] in ("|", "\t", ","):
            return True
        if tail.startswith(("  ", "\u3000")):
            return True
        return in_table and tail[:1] == " " and not re.match(r" *[、。,.には]", tail)

    # --- headers

    def header(self, i: int) -> tuple[tuple[str, ...], str | None] | None:
        """Labels of line i if it reads as a table header, with its separator."""
        line = self.lines[i]
        if line.blank or _RULE.match(line.text) or is_boilerplate_line(line.text):
            return None
        sep = _separator(line.text)
        spans = _split_spans(line, sep) if sep else _split_spans(line, " ")
        labels = tuple(normalize(self.text[s:e]) for s, e in spans)
        labels = tuple(lab for lab in labels if lab)
        # English labels run longer than Japanese ones ("Host municipality").
        if not 2 <= len(labels) <= 8 or any(len(lab) > _HEADER_MAX_LABEL * (2 if lab.isascii() else 1)
                                             for lab in labels):
            return None
        if any("。" in lab or _only_value(lab) for lab in labels):
            return None
        return labels, sep

    def header_before(self, i: int) -> tuple[int, tuple[str, ...], str | None] | None:
        """The header line above row line i (rule lines skipped), if any."""
        j = i - 1
        while j >= 0 and (self.lines[j].blank or _RULE.match(self.lines[j].text)):
            j -= 1
            if i - j > 3:
                return None
        if j < 0:
            return None
        found = self.header(j)
        return (j, *found) if found else None

    # --- rows and tables

    def _note_or_row_follows(self, j: int, in_table: bool) -> int | None:
        """After a blank line at j: the next row start if only caption/link lines come before it."""
        k, seen = j, 0
        while k < self.n and seen <= _LOOKAHEAD:
            if self.lines[k].blank:
                k += 1
                continue
            if self.key(k, True):
                return k
            t = self.lines[k].text.strip()
            if _SENTENCE_END.search(t) or self.header(k) or t.startswith("#"):
                return None
            seen += 1
            k += 1
        return None

    def _cells_key(self, i: int, sep: str | None, loose: bool) -> _Key:
        """A row found by its separators: its first cell is the key; it is an event row only in a loose table
        whose row has a date or a number ("合計 | 5件" under a keyed table is a total line)."""
        first = _split_spans(self.lines[i], sep)
        text = self.lines[i].text
        event = loose and bool(find_dates(text) or [o for o in find_ordinals(text) if not o.word]
                               or _CODE_NUMBER_IN.search(nfkc(text)))
        return _Key(i, next(b for a, b in first if a < b), False, keyed=event)

    def cell_count(self, i: int, sep: str | None) -> int:
        """How many non-empty cells line i has when split by a real separator ('|' or a tab); 0 otherwise."""
        line = self.lines[i]
        if sep not in ("|", "\t") or line.blank or sep not in line.text or _RULE.match(line.text):
            return 0
        return sum(1 for a, b in _split_spans(line, sep) if a < b)

    def row_end(self, i: int, key: _Key, sep: str | None = None) -> int:
        """Exclusive end line of the row starting at line i (in a pipe or tab table whose rows hold their cells
        on one line, a line of two or more cells starts a row of its own: a total line is no row's note)."""
        j = key.last_line + 1
        whole = self.cell_count(key.last_line, sep) >= 2  # the row's cells are on its key line
        while j < self.n:
            if not self.lines[j].blank and (self.key(j, True) or (whole and self.cell_count(j, sep) >= 2)):
                return j
            if _SECTION_MARK.match(self.lines[j].text):
                return j  # "■関連行事" under a row: the next section's heading, none of the row's cells
            if j > key.last_line and self._header_of_next_table(j):
                # Another table starts right under this row (no blank line): its header, and the caption line
                # above it ("事業費（単位：万円）"), are not this row's notes.
                caption = j - 1 > key.last_line and not self.lines[j - 1].blank and not NOTE_MARK.match(
                    self.lines[j - 1].text) and not _SENTENCE_END.search(self.lines[j - 1].text.strip())
                return j - 1 if caption else j
            if self.lines[j].blank:
                nxt = self._note_or_row_follows(j, True)
                if nxt is None:
                    # A blank line right after the key: the cells may follow it ("(2014年)" / "" / "ハノイ …").
                    k = self.next_nonblank(j)
                    bare_key = not self.text[key.end:self.lines[key.last_line].end].strip(" \t\u3000|")
                    if (bare_key and j == key.last_line + 1 and k is not None and not self.header(k)
                            and not self.key(k, True)):
                        j = k
                        continue
                    return j
                j = nxt
                return j
            j += 1
        return self.n

    def _header_of_next_table(self, j: int) -> bool:
        """Whether line j is a header with a row right under it."""
        k = self.next_nonblank(j + 1)
        return k is not None and k - j <= 2 and self.header(j) is not None and self.key(k, True) is not None \
            and self.key(j, True) is None

    def tables(self) -> list[Table]:
        """Every table in the text, in order."""
        out: list[Table] = []
        i = 0
        while i < self.n:
            key = self.key(i, False)
            head = self.header_before(i) if key is not None or not self.lines[i].blank else None
            if key is None and head is not None:
                key = self.key(i, True)  # under a header, "2023年 ハノイ …" is a row
            # "| Host city | Country | Year | Conference |": a table keyed by no first column; its rows are
            # events when a cell dates or numbers them.
            loose = key is None and head is not None and self.cell_count(i, head[2]) >= 2
            if loose:
                key = self._cells_key(i, head[2], loose)
            if key is None:
                i += 1
                continue
            rows: list[tuple[int, int, _Key]] = []
            head_sep = head[2] if head else None
            j = i
            while j < self.n:
                if loose:
                    k = key if j == i else None
                else:
                    k = self.key(j, bool(rows) or head is not None) if not self.lines[j].blank else None
                if k is None and rows and self.cell_count(j, head_sep) >= 2:
                    # Under a header with real separators any line of cells is a row ("合計 | 5件 | … | 8,000万円").
                    k = self._cells_key(j, head_sep, loose)
                if k is None:
                    break
                end = j + 1 if loose else self.row_end(j, k, head_sep)  # a loose table's rows are one line each
                rows.append((j, end, k))
                j = end
                while j < self.n and self.lines[j].blank:
                    j += 1
            # One row is a table only under a header with real cell separators; else it is a dated line.
            if len(rows) < 2 and (head is None or head[2] is None):
                i += 1
                continue
            labels = head[1] if head else None
            sep = head[2] if head else None
            if sep is None:
                sep = _row_separator([self.lines[r[0]].text for r in rows])
            built = [self._row(r0, r1, k, labels, sep) for r0, r1, k in rows]
            layout = {"|": "pipe", "\t": "tab", "  ": "spaces", ",": "csv"}.get(sep or "", "block")
            start = self.lines[head[0]].start if head else built[0].start
            out.append(Table(labels, tuple(built), layout, start, built[-1].end))
            i = rows[-1][1]
        return out

    def _row(self, first: int, end: int, key: _Key, labels: tuple[str, ...] | None, sep: str | None) -> TableRow:
        lines = self.lines
        s, cut = self._lead(first)
        key_start = lines[first].start + cut
        # A key holding the number and the date ("| 第1回 |" / "| 平成28年11月 |") fills two columns ("回", "開催時期").
        skip = 1 if (labels and len(labels) > 2 and key.ordinal and key.last_line > first
                     and label_role(labels[1]) == "date" and label_role(labels[0]) != "date") else 0
        width = len(labels) - skip if labels else None
        key_cell = _cell(self.text, key_start, key.end, labels[0] if labels else None)
        cells: list[tuple[int, int]] = []
        notes: list[tuple[int, int]] = []
        # What follows the key on its own line, then the row's other lines.
        tail_line = _Line(key.end, lines[key.last_line].end, self.text[key.end:lines[key.last_line].end])
        body = [tail_line] + [ln for ln in lines[key.last_line + 1:end]]
        body = [ln for ln in body if not ln.blank and not is_boilerplate_line(ln.text) and not _RULE.match(ln.text)]
        if sep in ("|", "\t", "  ", ","):
            for ln in body:
                spans = _split_spans(ln, sep)
                if ln is tail_line and sep == ",":
                    spans = spans[1:] if spans and spans[0][0] == spans[0][1] else spans  # the gap before ","
                elif ln is tail_line and sep not in ("|", "\t"):
                    spans = [sp for sp in spans if sp[0] < sp[1]]
                if width and len(cells) + 1 >= width:
                    filled = [sp for sp in spans if sp[0] < sp[1]]
                    if (ln is not tail_line and not notes and len(filled) == 1 and cells and cells[-1][0] < cells[-1][1]
                            and _SENTENCE_END.search(self.text[filled[0][0]:filled[0][1]])):
                        # A sentence right under the last cell is that cell wrapped (as in the block layout);
                        # link and caption lines after it are notes.
                        cells[-1] = (cells[-1][0], filled[0][1])
                        continue
                    notes.extend(filled)
                    continue
                cells.extend(spans)
                if width:
                    cells = cells[: width - 1]
            cells = [c for c in cells if c[0] < c[1]] if not width else cells
        else:
            cells, notes = _block_cells(self.text, body, width)
        named = [key_cell]
        for idx, (cs, ce) in enumerate(cells, start=1 + skip):
            header = labels[idx] if labels and idx < len(labels) else None
            named.append(_cell(self.text, cs, ce, header))
        note_cells = tuple(_cell(self.text, a, b, None) for a, b in notes if a < b)
        last = max([key.end, *(c.end for c in named), *(c.end for c in note_cells)])
        last = self.text.find("\n", last) if "\n" in self.text[last:] else len(self.text)  # the whole line
        while last > key_start and self.text[last - 1].isspace():
            last -= 1
        return TableRow(key_start, last, tuple(named), note_cells, key.keyed)


def _without_furniture(lines: list[_Line]) -> list[_Line]:
    """The lines with page furniture blanked (offsets kept): page numbers, "表2-1（続き）", and the running
    header or footer beside a page number wherever it repeats."""

    def page_number(t: str) -> bool:
        t = t.strip()
        # A bare number is a cell ("5"), and so is "0-"; a page number is dashed both sides ("－ 7 －"), "p. 7"
        # or "7 / 12".
        return bool(_PAGE_NUMBER.match(t)) and bool(re.search(r"^[\-－—―‐–].*[\-－—―‐–]$|/|^[pP]", t))

    furniture = {i for i, ln in enumerate(lines) if page_number(ln.text) or _CONTINUED.match(ln.text)}
    texts = Counter(ln.text.strip() for ln in lines if not ln.blank)
    running = set()
    for i in furniture:
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and not lines[j].blank and texts[lines[j].text.strip()] >= 2:
                running.add(lines[j].text.strip())
    furniture |= {i for i, ln in enumerate(lines) if ln.text.strip() in running}
    return [_Line(ln.start, ln.end, "") if i in furniture else ln for i, ln in enumerate(lines)]


def _only_value(label: str) -> bool:
    """A label that is a date or an ordinal and little else ("2014年", "第1回"), as in a row, not a header
    ("令和5年度予算" names a column)."""
    found = [(d.start, d.end) for d in find_dates(label)] + [(o.start, o.end) for o in find_ordinals(label)]
    if not found:
        return False
    rest = "".join(ch for i, ch in enumerate(label) if not any(a <= i < b for a, b in found))
    return len(re.sub(r"[\s()（）]", "", rest)) < 2


def _row_separator(first_lines: list[str]) -> str | None:
    seps = {_separator(t) for t in first_lines}
    return seps.pop() if len(seps) == 1 else None


def _cell(text: str, start: int, end: int, header: str | None) -> Cell:
    out = ""
    for line in text[start:end].split("\n"):
        bullet = re.match(r"^[\s]*[•\-*][\s]+|^[\s]*・[\s]+", line)
        # A wrapped cell's lines may keep the separators of their layout ("| | text |").
        line = line[bullet.end():] if bullet else line.strip(_SP + "|")
        if not line:
            continue
        if out:
            # A bulleted item is its own item; a wrapped line inside Japanese joins with no space.
            wide = not nfkc(out[-1]).isascii() and not nfkc(line[0]).isascii()
            out += "; " if bullet else ("" if wide else " ")
        out += line
    return Cell(header, normalize(out), start, end)


def _block_cells(text: str, body: list[_Line], width: int | None) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Cells of a row whose cells follow the key as text: a short first cell (the venue) before the first
    space, the rest of that paragraph as the last cell; lines that are not sentences after it are notes."""
    if not body:
        return [], []
    if width == 2:  # key + one content column: every line is content ("• 項目")
        return [(body[0].start + _lstrip(body[0].text), body[-1].end)], []
    cells: list[tuple[int, int]] = []
    venue: list[tuple[int, int]] = []
    idx = 0
    summary_start = None
    while idx < len(body):
        ln = body[idx]
        t = ln.text
        lead = _lstrip(t)
        m = re.search(r"[ \u3000]+", t[lead:])
        if m and lead + m.start() > 0:
            piece = (ln.start + lead, ln.start + lead + m.start())
            if _venue_like(text[piece[0]:piece[1]]):
                venue.append(piece)
                summary_start = ln.start + lead + m.end()
            else:
                summary_start = ln.start + lead
            idx += 1
            break
        if len(t.strip()) <= _VENUE_LINE_MAX and not _SENTENCE_END.search(t.strip()) and idx + 1 < len(body):
            venue.append((ln.start + lead, ln.end))
            idx += 1
            continue
        summary_start = ln.start + lead
        idx += 1
        break
    if venue:
        cells.append((venue[0][0], venue[-1][1]))
    summary_end = body[idx - 1].end if summary_start is not None else None
    notes: list[tuple[int, int]] = []
    while idx < len(body):
        ln = body[idx]
        t = ln.text.strip()
        if _SENTENCE_END.search(t) and not notes:
            summary_end = ln.end
        else:
            notes.append((ln.start + _lstrip(ln.text), ln.end))
        idx += 1
    if summary_start is not None and summary_end is not None:
        cells.append((summary_start, summary_end))
    if width and not venue and width >= 3 and cells:
        cells.insert(0, (cells[0][0], cells[0][0]))  # no venue given: keep columns aligned
    return cells, notes


def _lstrip(t: str) -> int:
    return len(t) - len(t.lstrip(_SP + "•・-*"))


def _venue_like(s: str) -> bool:
    s = s.strip()
    return 0 < len(s) <= 40 and not any(ch in s for ch in "。、,.") and not nfkc(s).isdigit()


# Separators written full-width ("No.｜相手都市｜…") read as ASCII ones; one character each, so offsets hold.
_WIDE_SEPARATORS = str.maketrans({"｜": "|"})


def find_tables(text: str) -> list[Table]:
    """Every table in `text` (possibly none), with cells named by the header when there is one."""
    return _Reader(text.translate(_WIDE_SEPARATORS)).tables()
