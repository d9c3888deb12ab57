"""The document model: what a document is about (its subject, in Japanese and English) and the records
it holds — table rows whose cells are named by their column header, and events told in prose ("the 7th
… Dialogue was held in Tokyo on February 9, 2023") — with typed dates, ordinals and places.

The code knows no document: series names come from titles, sidecars and the tables' own link lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.cleaner import nfkc, normalize
from ingest.dates import DateValue, find_dates
from ingest.fields import find_fields, label_role
from ingest.names import is_japanese, same_series
from ingest.ordinals import find_ordinals
from ingest.schema import Record, RecordField, SourceDocument, Subject
from ingest.tables import Table, TableRow, find_tables

# A link or caption naming the event of a row: "第2回日本・X週間の結果について", "Results of the 2nd X".
_EVENT_JA = re.compile(r"第\s*(\d+)\s*回\s*([^第()（）「」]+?)(?:の結果|及び|並びに|について|の開催|を開催|$)")
_EVENT_FOR = re.compile(r"第\s*\d+\s*回\s*[^第()（）]+?に向けた([^第()（）及並]+?)(?:及び|並びに|の結果|について|$)")
_EVENT_EN = re.compile(r"\b(\d+)(?:st|nd|rd|th)\s+((?:[A-Z][\w'’\-–]*\s?)+)")
_ACRONYM = re.compile(r"[(（]([A-Z][A-Z0-9&\-]{1,9})[)）]")
_EN_PLACE = re.compile(r"\b(?:held|hosted|took place|convened|met)\b[^.;]*?\bin\s+((?:[A-Z][\w\-’']*)(?:,?\s+[A-Z][\w\-’']*){0,3})")
_TITLE_PLACE = re.compile(r"\bin\s+((?:[A-Z][\w\-’']*)(?:,?\s+[A-Z][\w\-’']*){0,3})")
_JA_PLACE = re.compile(r"([\u30a0-\u30ff\u4e00-\u9fff・]{2,20}?)(?:市|都|県)?(?:において|にて|で)(?:開催|行われ|実施)")
_HELD = re.compile(r"\b(?:held|hosted|took place|convened|will be held|to be held)\b|開催|行われ", re.I)
_PLANNED = re.compile(r"\bwill be held\b|\bto be held\b|\bwill take place\b|予定", re.I)
_SENTENCE = re.compile(r"[^。．.!?！？\n]+(?:[。．!?！？]|\.(?=\s|$))?")


@dataclass(frozen=True)
class DocumentModel:
    """Everything read from one document's structure."""

    subject: Subject
    tables: tuple[Table, ...]
    records: tuple[Record, ...]


@dataclass(frozen=True)
class TitleEvent:
    """An event a title names: '19th Tripartite … Meeting (TEMM) in Suwon, ROK'."""

    number: int | None
    series: str
    aliases: tuple[str, ...]
    place: str | None


def title_event(title: str) -> TitleEvent | None:
    """The numbered event a title (or link line) names, if any."""
    t = normalize(title)
    m = _EVENT_JA.search(t)
    if m:
        return TitleEvent(int(m.group(1)), m.group(2).strip(" ・"), (), None)
    code = None if is_japanese(t) else _CODE.search(t)  # a Japanese title's "（COP28 …）" is where, not what
    m = _EVENT_EN.search(t) or _spelt_event(t)
    if m is None and code:
        # "… at TWF6 in Otsu": a meeting named by its series' code and number.
        place = _TITLE_PLACE.search(t[code.end():])
        return TitleEvent(int(code.group(2)), code.group(1), (code.group(0),),
                          place.group(1).strip() if place else None)
    if m:
        name = re.split(r"\s+(?:in|at|held|for)\s+|\s*[(,:]", m.group(2).strip())[0].strip()
        aliases = tuple(_ACRONYM.findall(t[m.start(2):]))
        place_m = _TITLE_PLACE.search(t[m.start(2) + len(name):])
        place = place_m.group(1).strip() if place_m else None
        if place and find_dates(place):
            place = place[: find_dates(place)[0].start].strip(" ,")
        if len(name.split()) >= 2 or aliases:
            number = int(m.group(1)) if m.group(1).isdigit() else find_ordinals(m.group(1))[0].n
            return TitleEvent(number, name, aliases, place or None)
    return None


_CODE = re.compile(r"\b([A-Z]{2,}[A-Z&]*)(\d{1,3})\b")
_SPELT_EVENT = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
                          r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth)\s+"
                          r"((?:[A-Z][\w'’\-–]*\s?)+(?:(?:on|of|for|and)\s+(?:the\s+)?(?:[A-Z][\w'’\-–]*\s?)+)*)", re.I)


def _spelt_event(t: str):
    """"The Sixth East Asia Water Environment Forum": a title's event with its ordinal spelt out."""
    m = _SPELT_EVENT.search(t)
    return m if m and m.group(2)[:1].isupper() else None


def _notes_event(notes: tuple[RecordField, ...], number: int | None) -> str | None:
    """The event a row's link lines name for its own number ('第2回…ウィークの結果について')."""
    found: list[tuple[int, str]] = []
    for note in notes:
        text = normalize(note.value)
        for m in _EVENT_FOR.finditer(text):
            found.append((-1, m.group(0).split("に向けた")[0] + "に向けた" + m.group(1).strip()))
        for m in _EVENT_JA.finditer(text):
            found.append((int(m.group(1)), m.group(2).strip(" ・")))
        for m in _EVENT_EN.finditer(note.value):
            found.append((int(m.group(1)), m.group(2).strip()))
    if not found:
        return None
    for num, name in found:
        if num == -1 and number is None:
            return name  # "第8回…に向けた準備会合": a meeting held for another one
    same = [name for num, name in found if num == number]
    return same[0] if same else (found[0][1] if number is None else None)


def _row_roles(row: TableRow) -> dict[str, int]:
    """Which cell holds the place, the summary (by column label, else by position and length)."""
    roles: dict[str, int] = {}
    for idx, cell in enumerate(row.cells):
        if cell.header and idx:
            role = label_role(cell.header)
            if role in ("place", "summary", "date", "number") and role not in roles:
                roles[role] = idx
    rest = [i for i in range(1, len(row.cells)) if i not in roles.values() and row.cells[i].text]
    if "number" not in roles and (numbered := [i for i in rest if _only_ordinal(row.cells[i].text)]):
        roles["number"] = numbered[0]  # "2019年3月 | 第4回 | バンコク": the ordinal in a cell of its own
        rest.remove(numbered[0])
    if "date" not in roles and (dated := [i for i in rest if _only_date(row.cells[i].text)]):
        roles["date"] = dated[0]  # no header: a cell that is a date and nothing else ("2014")
        rest.remove(dated[0])
    if "summary" not in roles and rest:
        longest = max(rest, key=lambda i: len(row.cells[i].text))
        if len(row.cells[longest].text) > 25 or len(row.cells) == 2:
            roles["summary"] = longest
            rest.remove(longest)
    if "place" not in roles:
        short = [i for i in rest if len(row.cells[i].text) <= 40 and "。" not in row.cells[i].text
                 and not find_dates(row.cells[i].text)]
        if short and len(row.cells) >= 3:
            roles["place"] = short[0]
    return roles


def _only_ordinal(text: str) -> bool:
    ords = [o for o in find_ordinals(text) if not o.word]
    return bool(ords) and not re.sub(r"[\s()（）]", "", text[: ords[0].start] + text[ords[0].end:])


def _only_date(text: str) -> bool:
    dates = find_dates(text)
    return bool(dates) and not re.sub(r"[\s()（）]", "", text[: dates[0].start] + text[dates[0].end:])


def _row_record(doc_id: str, index: int, row: TableRow, series: str) -> Record:
    key = row.cells[0]
    roles = _row_roles(row)
    ords = [o for o in find_ordinals(key.text) if not o.word]
    number = ords[0].n if ords else None
    # The number may sit in a "No." column: the key's own ("1 | 12 March 2019 | …") or another one.
    number_cells = [key] if key.header and label_role(key.header) == "number" else []
    number_cells += [row.cells[roles["number"]]] if "number" in roles else []
    for cell in number_cells:
        if number is not None:
            break
        o = find_ordinals(cell.text) or []
        digits = re.fullmatch(r"\s*(\d{1,3})\s*", nfkc(cell.text))
        number = o[0].n if o else (int(digits.group(1)) if digits else None)
    date = _key_date(key.text)
    if date is None and "date" in roles:
        date = _key_date(row.cells[roles["date"]].text)
    place = row.cells[roles["place"]].text if "place" in roles else None
    summary = row.cells[roles["summary"]].text if "summary" in roles else None
    fields = tuple(RecordField(c.header or ("key" if i == 0 else f"column {i + 1}"), c.text, c.start, c.end)
                   for i, c in enumerate(row.cells) if c.text)
    notes = tuple(RecordField("note", n.text, n.start, n.end) for n in row.notes)
    own = _notes_event(notes, number)
    series_name = own if own and not same_series(own, series) else series
    return Record(f"{doc_id}:r{index:03d}", doc_id, series_name, number, date, place or None, summary,
                  row.start, row.end, "table", fields, notes)


def _key_date(text: str) -> DateValue | None:
    dates = find_dates(text)
    if not dates:
        return None
    d = dates[0]
    # "平成9年度 (1997年度)": the same year twice is one date.
    return DateValue(d.year, d.month, d.day, d.fiscal, d.until)


def _dominant_note_event(rows: tuple[TableRow, ...]) -> str | None:
    names = []
    for row in rows:
        for note in row.notes:
            for m in _EVENT_JA.finditer(normalize(note.text)):
                names.append(m.group(2).strip(" ・"))
    if not names:
        return None
    # Spellings of one series ("日本・X共和国対話", "日本・X対話") count together; the commonest names it.
    groups: list[list[str]] = []
    for name in names:
        group = next((g for g in groups if same_series(g[0], name)), None)
        if group is None:
            groups.append([name])
        else:
            group.append(name)
    best = max(groups, key=len)
    return Counter(best).most_common(1)[0][0] if len(best) * 2 >= len(rows) else None


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def _prose_place(sentence: str) -> str | None:
    m = _EN_PLACE.search(sentence)
    if m:
        place = m.group(1)
        cut = re.search(r"\s+(?:on|in)\s+(?:\d|[A-Z][a-z]+\s+\d)", place)
        return place[: cut.start()] if cut else place
    m = _JA_PLACE.search(sentence)
    return m.group(1) if m else None


def _prose_records(doc: SourceDocument, subject: Subject, start_index: int) -> list[Record]:
    """The event a document about one meeting reports (from its title), and future meetings it announces."""
    text = doc.text
    out: list[Record] = []
    event = title_event(doc.provenance.title)
    names = [n for n in subject.names() if n]
    sentences = _sentences(text)
    fields = find_fields(text)
    if event is not None and event.number is not None:
        held = None
        for s, e in sentences:
            sent = text[s:e]
            ords = [o.n for o in find_ordinals(sent) if not o.word]
            if event.number in ords and _HELD.search(sent) and not _PLANNED.search(sent):
                held = (s, e)
                break
        date = None
        place = event.place
        fs: list[RecordField] = []
        date_field = next((f for f in fields if f.role == "date" and find_dates(f.value)), None)
        place_field = next((f for f in fields if f.role == "place"), None)
        if held:
            sent = text[held[0]:held[1]]
            dates = [d for d in find_dates(sent) if d.year]
            if dates:
                date = _key_date(sent[dates[0].start:dates[0].end])
            place = _prose_place(sent) or place
            fs.append(RecordField("sentence", normalize(sent), *held))
        if date is None and date_field is not None:
            date = _key_date(date_field.value)
        if date_field is not None:
            fs.append(RecordField(date_field.label, normalize(date_field.value), date_field.start, date_field.end))
        if place_field is not None:
            fs.append(RecordField(place_field.label, normalize(place_field.value), place_field.start, place_field.end))
            place = place or normalize(place_field.value)
        span = held or (fs[0].start, fs[0].end) if fs else (0, min(len(text), 200))
        out.append(Record(f"{doc.doc_id}:r{start_index:03d}", doc.doc_id, event.series, event.number, date,
                          place, None, span[0], span[1], "prose", tuple(fs)))
    # Announced or reported meetings of the same series in the text ("The 20th X will be held in …").
    aliases = [a for a in [*names, *(event.aliases if event else ())] if a]
    for s, e in sentences:
        sent = text[s:e]
        if not _HELD.search(sent):
            continue
        for o in find_ordinals(sent):
            if o.word or (event and o.n == event.number):
                continue
            after = sent[o.end:o.end + 80]
            if not any(nfkc(a).casefold() in nfkc(after).casefold()[: len(a) + 5] for a in aliases):
                continue
            dates = [d for d in find_dates(after) if d.year]
            date = _key_date(after[dates[0].start:dates[0].end]) if dates else None
            out.append(Record(f"{doc.doc_id}:r{start_index + len(out):03d}", doc.doc_id,
                              event.series if event else subject.name, o.n, date, _prose_place(sent), None,
                              s, e, "mention", (RecordField("sentence", normalize(sent), s, e),),
                              planned=bool(_PLANNED.search(sent))))
    return out


# "第3回（2015年 10月、大連）": a meeting's heading line with its date and place in brackets.
_HEADING_MEETING = re.compile(r"^[\s■□◆●○・▶]*第\s*(\d+)\s*回\s*[（(]\s*([^、,（()）]+?)\s*[、,]\s*([^（()）]+?)\s*[）)]\s*$",
                              re.M)


def _heading_records(doc: SourceDocument, subject: Subject, start_index: int) -> list[Record]:
    """Meetings written one heading line each, "第3回（2015年 10月、大連）", with labelled lines under it."""
    text = doc.text
    heads = [m for m in _HEADING_MEETING.finditer(text) if find_dates(m.group(2))]
    out: list[Record] = []
    for k, m in enumerate(heads):
        stop = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        blank = re.search(r"\n\s*\n", text[m.end():stop])
        end = m.end() + blank.start() if blank else stop
        inner = [RecordField(g.label, normalize(g.value), m.end() + g.start, m.end() + g.end)
                 for g in find_fields(text[m.end():end])]
        key = RecordField("key", normalize(m.group(0).strip()), m.start() + len(m.group(0)) - len(m.group(0).lstrip()),
                          m.end())
        place = normalize(m.group(3))
        out.append(Record(f"{doc.doc_id}:r{start_index + len(out):03d}", doc.doc_id, subject.name, int(m.group(1)),
                          _key_date(m.group(2)), place, None, key.start, max(end, m.end()), "table",
                          (key, RecordField("place", place, m.start(3), m.end(3)), *inner),
                          planned=bool(_PLANNED.search(text[m.start():end]))))
    return out


def _section_records(doc: SourceDocument, subject: Subject, start_index: int) -> list[Record]:
    """Meetings written as headed sections of labelled lines ("■第3回（X3）" / "日程：…" / "開催地：…")."""
    out: list[Record] = []
    for f in find_fields(doc.text):
        ords = [o for o in find_ordinals(f.label) if not o.word]
        if not ords or ords[0].start > 1 or "\n" not in doc.text[f.start:f.end]:
            continue
        inner = [RecordField(g.label, normalize(g.value), f.start + g.start, f.start + g.end)
                 for g in find_fields(doc.text[f.start:f.end])]
        if len(inner) < 2:
            continue
        by_role = {}
        for g in inner:
            by_role.setdefault(label_role(g.name), g)
        date = _key_date(by_role["date"].value) if "date" in by_role else None
        place = by_role["place"].value if "place" in by_role else None
        summary = by_role["summary"].value if "summary" in by_role else None
        heading = RecordField("key", normalize(f.label), f.label_start, f.label_start + len(f.label))
        out.append(Record(f"{doc.doc_id}:r{start_index + len(out):03d}", doc.doc_id, subject.name, ords[0].n, date,
                          place, summary, f.label_start, f.end, "table", (heading, *inner),
                          planned=bool(_PLANNED.search(doc.text[f.start:f.end]))))
    return out


def document_subject(doc: SourceDocument, tables: tuple[Table, ...] = ()) -> Subject:
    """The document's subject named from its title (an event title loses its ordinal), sidecar and tables."""
    prov = doc.provenance
    event = title_event(prov.title)
    name = event.series if event else prov.title
    if getattr(prov, "title_from", "sidecar") != "sidecar":
        for table in tables:
            dominant = _dominant_note_event(table.rows)
            if dominant and not same_series(dominant, name):
                name = dominant  # the title line was a breadcrumb; the table's own links name the series
                break
    en = prov.title_en
    if en:
        en_event = title_event(en)
        en = en_event.series if en_event else en
    # "東アジア水環境フォーラム（EAWF）": the acronym a title gives its subject is one of its names.
    aliases = tuple(dict.fromkeys([*(event.aliases if event else ()), *_ACRONYM.findall(normalize(name))]))
    if is_japanese(name):
        return Subject(name, name_ja=name, name_en=en, aliases=aliases)
    return Subject(name, name_ja=None, name_en=en or name, aliases=aliases)


def read_document(doc: SourceDocument) -> DocumentModel:
    """Tables, records and subject of one document."""
    tables = tuple(find_tables(doc.text))
    subject = document_subject(doc, tables)
    records: list[Record] = []
    for table in tables:
        for row in table.rows:
            if row.keyed:  # a total line is a row of the table, not an event
                records.append(_row_record(doc.doc_id, len(records), row, subject.name))
    if not records:
        records.extend(_section_records(doc, subject, len(records)))
    for r in _heading_records(doc, subject, len(records)):
        if not any(o.start < r.end and r.start < o.end for o in records):
            records.append(r)
    records.extend(_prose_records(doc, subject, len(records)))
    return DocumentModel(subject, tables, tuple(records))
