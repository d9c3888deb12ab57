"""The document model: what a document is about (its subject, in Japanese and English) and the records
it holds — table rows whose cells are named by their column header, and events told in prose ("the 7th
… Dialogue was held in Tokyo on February 9, 2023") — with typed dates, ordinals and places.

The code knows no document: series names come from titles, sidecars and the tables' own link lines.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass

from ingest.cleaner import nfkc, normalize
from ingest.dates import DateValue, find_dates
from ingest.fields import find_fields, label_role
from ingest.gazetteer import place_ids
from ingest.names import (
    NOT_SERIES_CODES,
    equivalence,
    is_japanese,
    same_series,
    series_in_heading,
    series_kind,
)
from ingest.ordinals import find_ordinals
from ingest.schema import Record, RecordField, SourceDocument, Subject
from ingest.tables import Table, TableRow, find_tables
from ingest.tense import PLANNED
from ingest.truncation import cut_start

# A link or caption naming the event of a row: "第2回日本・X週間の結果について", "Results of the 2nd X".
# (An acronym in brackets may stand between the series and what the title says of it: "…会合（JNEM4）の開催結果".)
_EVENT_JA = re.compile(r"第\s*(\d+)\s*回\s*([^第()（）「」]+?)\s*(?:[(（]([A-Z][A-Z0-9&\-]{1,9})[)）])?\s*"
                       r"(?:の結果|及び|並びに|について|の開催|を開催|$)")
_EVENT_FOR = re.compile(r"第\s*\d+\s*回\s*[^第()（）]+?に向けた([^第()（）及並]+?)(?:及び|並びに|の結果|について|$)")
_EVENT_EN = re.compile(r"\b(\d+)(?:st|nd|rd|th)\s+((?:[A-Z][\w'’\-–]*\s?)+)")
_ACRONYM = re.compile(r"[(（]([A-Z][A-Z0-9&\-]{1,9})[)）]")
# ("held in Bergen, Kingdom of Norway": "of" and "the" join the words of one place.)
_EN_PLACE = re.compile(r"\b(?:held|hosted|took place|convened|met)\b[^.;]*?\bin\s+((?:[A-Z][\w\-’']*)"
                       r"(?:,?\s+(?:of\s+(?:the\s+)?)?[A-Z][\w\-’']*){0,4})")
_TITLE_PLACE = re.compile(r"\bin\s+((?:[A-Z][\w\-’']*)(?:,?\s+[A-Z][\w\-’']*){0,3})")
# ("Xにおいて、第N回…が開催": において / にて may open the clause whose verb is "開催".)
_JA_PLACE = re.compile(r"([\u30a0-\u30ff\u4e00-\u9fff・]{2,20}?)(?:市|都|県)?(?:(?:において|にて)、?[^。、]{0,60}?|で)"
                       r"(?:開催|行われ|実施)")
_HELD = re.compile(r"\b(?:held|hosted|took place|convened|will be held|to be held)\b|開催|行われ", re.I)
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
        return TitleEvent(int(m.group(1)), m.group(2).strip(" ・"), (m.group(3),) if m.group(3) else (), None)
    code = None if is_japanese(t) else _CODE.search(t)  # a Japanese title's "（COP28 …）" is where, not what
    code = None if code and code.group(1).upper() in NOT_SERIES_CODES else code  # "COVID-19" is no meeting
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


_CODE = re.compile(r"\b([A-Z]{2,}[A-Z&]*)[-‐–]?(\d{1,3})\b")  # "TWF6", "NACM-10"
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
        if cell.header:
            role = label_role(cell.header)
            # The first cell is the row's key, unless its column is the venue ("| Host city | … | Year |").
            if (idx or role == "place") and role in ("place", "summary", "date", "number") and role not in roles:
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
        # "第1回　平成28年12月　東京": a key and one short cell naming a known place or a way of meeting is
        # a venue, not what was done there.
        venue = len(row.cells) == 2 and _names_a_venue(row.cells[longest].text)
        if len(row.cells[longest].text) > 25 or (len(row.cells) == 2 and not venue):
            roles["summary"] = longest
            rest.remove(longest)
    if "place" not in roles:
        # …and a figure ("2,800万円", "約40名") is an amount or a count, never a venue.
        short = [i for i in rest if len(row.cells[i].text) <= 40 and "。" not in row.cells[i].text
                 and not find_dates(row.cells[i].text) and not _FIGURE.match(row.cells[i].text)]
        if short and (len(row.cells) >= 3 or _names_a_venue(row.cells[short[0]].text)):
            roles["place"] = short[0]
    return roles


_FIGURE = re.compile(r"\s*(?:約|about\s+|approx(?:imately|\.)?\s+)?[0-9０-９]", re.I)


def _names_a_venue(text: str) -> bool:
    """Whether a short cell is a place the gazetteer knows ("東京", "ダッカ") or a way of meeting ("オンライン開催")."""
    text = text.strip()
    return 0 < len(text) <= 20 and "。" not in text and (bool(place_ids(text)) or equivalence(text) is not None)


def _only_ordinal(text: str) -> bool:
    if _CODE_NUMBER.match(nfkc(text)):
        return True  # "NACM-4": a meeting named by its series' code and number
    ords = [o for o in find_ordinals(text) if not o.word]
    between = [text[a.end:b.start] for a, b in zip(ords, ords[1:], strict=False)]
    if ords and all(re.fullmatch(r"[\s、,，/／]*", gap) for gap in between):
        text = text[: ords[0].start] + text[ords[-1].end:]  # "第6回、第7回": two meetings in one row
        return not re.sub(r"[\s()（）]", "", text)
    return False


# "NACM-4", "TWF 6": a number cell written as the series' code and the meeting's number.
_CODE_NUMBER = re.compile(r"^\s*([A-Z][A-Za-z&]{1,9})[-‐–\s]?(\d{1,3})\s*$")
# A cell that says "nothing here": "―", "—", "－", "-".
_DASH = re.compile(r"^[\s\-－—―‐–ー]+$")
# Items of a cell listing one value per meeting ("ヌクス、東京", "令和4年6月、令和5年2月").
_ITEM_SEP = re.compile(r"\s*[、,，／]\s*")


def _numbers(text: str) -> list[int]:
    """The meeting numbers a number cell gives: "第6回、第7回" → [6, 7], "NACM-4" → [4], "12" → [12]."""
    code = _CODE_NUMBER.match(nfkc(text))
    if code:
        return [int(code.group(2))]
    ords = [o.n for o in find_ordinals(text) if not o.word]
    if ords:
        return ords
    digits = re.fullmatch(r"\s*(\d{1,3})\s*", nfkc(text))
    return [int(digits.group(1))] if digits else []


def _only_date(text: str) -> bool:
    dates = find_dates(text)
    return bool(dates) and not re.sub(r"[\s()（）]", "", text[: dates[0].start] + text[dates[0].end:])


# "（【会議】＝X会議、【交流】＝Y交流）": a page's legend for the tags that mark which series a line is of.
_LEGEND = re.compile(r"【([^】\s]{1,8})】\s*[＝=:：]\s*([^、。，,（）()「」【\n]{3,60})")
# "【会議】第三回（中国・X市）（予定）": a tagged line's series, number, venue and whether it is planned.
_TAGGED = re.compile(r"^【([^】\s]{1,8})】\s*(第\s*[0-9０-９一二三四五六七八九十百]+\s*回)?\s*(.*)$")
_PLANNED_MARK = re.compile(r"[(（]\s*予定\s*[)）]|\(planned\)", re.I)


def legend(text: str) -> dict[str, str]:
    """The series a page's tags stand for ("【会議】＝北東X会議" → {"会議": "北東X会議"})."""
    return {m.group(1): normalize(m.group(2)).strip() for m in _LEGEND.finditer(text)}


def _tagged(row: TableRow, tags: dict[str, str]) -> tuple[str, int | None, str | None, int] | None:
    """(series, number, venue, cell index) of a row whose first cell after the key is a tag the legend
    names; None for any other row."""
    for idx, cell in enumerate(row.cells[1:2], start=1):
        m = _TAGGED.match(cell.text)
        if not m or m.group(1) not in tags:
            continue
        ords = find_ordinals(m.group(2) or "")
        rest = _PLANNED_MARK.sub("", m.group(3)).strip()
        bracket = re.fullmatch(r"[(（]([^()（）]+)[)）]", rest)
        venue = bracket.group(1) if bracket else (rest if rest and len(rest) <= 30 else None)
        return tags[m.group(1)], ords[0].n if ords else None, venue, idx
    return None


def _row_records(doc_id: str, index: int, row: TableRow, series: str,
                 tags: dict[str, str] | None = None) -> list[Record]:
    """The meetings one table row records: none for a row whose number is a dash (a year without a
    meeting), one per number where a row lists two ("第6回、第7回" with "ヌクス、東京")."""
    key = row.cells[0]
    roles = _row_roles(row)
    tagged = _tagged(row, tags or {})
    if tagged is not None:
        own_series, number, venue, idx = tagged
        summary = next((c.text for i, c in enumerate(row.cells) if i > idx and c.text), None)
        fields = tuple(RecordField(c.header or ("key" if i == 0 else f"column {i + 1}"), c.text, c.start, c.end)
                       for i, c in enumerate(row.cells) if c.text)
        notes = tuple(RecordField("note", n.text, n.start, n.end) for n in row.notes)
        planned = any(_PLANNED_MARK.search(c.text) for c in row.cells[: idx + 1])
        return [Record(f"{doc_id}:r{index:03d}", doc_id, own_series, number, _key_date(key.text), venue,
                       summary or (notes[0].value if notes else None), row.start, row.end, "table", fields, notes,
                       planned=planned)]
    numbers = [o.n for o in find_ordinals(key.text) if not o.word][:1]
    # The number may sit in a "No." column: the key's own ("1 | 12 March 2019 | …") or another one.
    number_cells = [key] if key.header and label_role(key.header) == "number" else []
    number_cells += [row.cells[roles["number"]]] if "number" in roles else []
    if number_cells and not numbers and all(_DASH.match(c.text) for c in number_cells):
        return []
    for cell in number_cells:
        if numbers:
            break
        numbers = _numbers(cell.text)
    date = _key_date(key.text)
    dates = [date] if date else []
    if "date" in roles:
        cell_dates = [_key_date(d.text) for d in find_dates(row.cells[roles["date"]].text)]
        # The date column is more precise than a fiscal-year key ("令和4年度" | "令和4年6月").
        if cell_dates and (date is None or (cell_dates[0].precision > date.precision
                                            and cell_dates[0].year in (date.year, date.year + 1))):
            dates = cell_dates
    place = row.cells[roles["place"]].text if "place" in roles else None
    place = None if place and _DASH.match(place) else place
    # A second venue column ("Country") qualifies the first: "Haeseong City (Republic of Korea)"; so does a
    # column saying how the meeting was held ("Online", "Hybrid"), as a venue cell may ("オンライン開催").
    wider = [c.text for i, c in enumerate(row.cells) if c.header and i != roles.get("place")
             and label_role(c.header) == "place" and c.text and not _DASH.match(c.text)]
    if place is None or equivalence(place) is None:
        wider += [c.text for i, c in list(enumerate(row.cells))[1:] if i not in (roles.get("place"), roles.get("summary"))
                  and c.text and len(c.text) <= 30 and equivalence(c.text) is not None][:1]
    wider = [w for w in wider if not (place and w in place)]
    if wider:
        place = f"{place} ({', '.join(wider)})" if place else ", ".join(wider)
    summary = row.cells[roles["summary"]].text if "summary" in roles else None
    fields = tuple(RecordField(c.header or ("key" if i == 0 else f"column {i + 1}"), c.text, c.start, c.end)
                   for i, c in enumerate(row.cells) if c.text and not _DASH.match(c.text))
    notes = tuple(RecordField("note", n.text, n.start, n.end) for n in row.notes)
    if len(numbers) < 2:
        number = numbers[0] if numbers else None
        own = _notes_event(notes, number)
        series_name = own if own and not same_series(own, series) else series
        return [Record(f"{doc_id}:r{index:03d}", doc_id, series_name, number, dates[0] if dates else None,
                       place or None, summary, row.start, row.end, "table", fields, notes)]
    places = _ITEM_SEP.split(place) if place else []
    out = []
    for k, number in enumerate(numbers):
        out.append(Record(f"{doc_id}:r{index + k:03d}", doc_id, series, number,
                          dates[k] if len(dates) == len(numbers) else (dates[0] if dates else None),
                          places[k] if len(places) == len(numbers) else place, _own_part(summary, number),
                          row.start, row.end, "table", fields, notes))
    return out


def _own_part(summary: str | None, number: int) -> str | None:
    """The sentences of a shared summary that speak of one meeting ("第6回は…。第7回では…。"), else it all."""
    if not summary:
        return summary
    parts = [summary[s:e] for s, e in _sentences(summary)]
    own = []
    for part in parts:
        for clause in re.split(r"(?<=[、,])", part):
            ords = [o.n for o in find_ordinals(clause) if not o.word]
            if ords and ords[0] == number:
                own.append(part)
                break
    return "".join(own) or summary


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
            ords = [o.n for o in find_ordinals(sent)
                    if not o.word or (o.text[:1].isupper() and re.match(r"\s+[A-Z]", sent[o.end:o.end + 3]))]
            # The meeting is named by its ordinal (digits, or spelt as in a title: "The Fourth …") or its code.
            coded = any(re.search(rf"(?<![A-Za-z]){re.escape(a)}(?!\d)", sent) for a in event.aliases)
            if (event.number in ords or coded) and _HELD.search(sent) and not PLANNED.search(sent):
                held = held or (s, e)
                if any(d.year for d in find_dates(sent)):
                    held = (s, e)  # the sentence that dates it, not the title line repeated ("…の開催結果について")
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
                              planned=bool(PLANNED.search(sent))))
    return out


# "第3回（2015年 10月、大連）": a meeting's heading line with its date and place in brackets.
# (The place may carry its country in brackets: "第2回（令和元年9月、アンマン（ヨルダン））".)
_HEADING_MEETING = re.compile(r"^[\s■□◆●○・▶]*第\s*(\d+)\s*回\s*[（(]\s*([^、,（()）]+?)\s*[、,]\s*"
                              r"((?:[^（()）]|[（(][^（()）]*[）)])+?)\s*[）)]\s*$", re.M)


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
                          planned=bool(PLANNED.search(text[m.start():end]))))
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
                          planned=bool(PLANNED.search(doc.text[f.start:f.end]))))
    return out


def _titled_series(title: str) -> str:
    """A page title's part that names a series ("Conferences | X Conference on Y (XC)" → the second part)."""
    parts = [p.strip() for p in re.split(r"\s*[|｜]\s*", title) if p.strip()]
    named = [p for p in parts if series_in_heading(p)]
    return max(named, key=len) if len(parts) > 1 and named else title


def document_subject(doc: SourceDocument, tables: tuple[Table, ...] = ()) -> Subject:
    """The document's subject named from its title (an event title loses its ordinal), sidecar and tables."""
    prov = doc.provenance
    event = title_event(prov.title)
    name = event.series if event else _titled_series(prov.title)
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


def _series_above(text: str, start: int, end: int) -> str | None:
    """The series the nearest heading above a table names ("２．日・X政策対話の経緯" over a report's table)."""
    lines = [ln for ln in text[start:end].split("\n") if ln.strip()][-6:]
    for line in reversed(lines):
        if named := series_in_heading(line):
            return named
    return None


def read_document(doc: SourceDocument) -> DocumentModel:
    """Tables, records and subject of one document."""
    tables = tuple(find_tables(doc.text))
    subject = document_subject(doc, tables)
    records: list[Record] = []
    tags = legend(doc.text)
    previous_end = 0
    for table in tables:
        series = subject.name if series_kind(subject.name) is not None else (
            _series_above(doc.text, previous_end, table.start) or subject.name)
        previous_end = table.end
        rows = [(row, _row_records(doc.doc_id, 0, row, series, tags)) for row in table.rows if row.keyed]
        numbered = sum(1 for _, rs in rows if any(r.number is not None for r in rs))
        for row, found in rows:
            # In a numbered table a row without a number and with a dash is a year without a meeting.
            if numbered * 2 >= len(rows) and all(r.number is None for r in found) and any(
                    _DASH.match(c.text) for c in row.cells if c.text):
                continue
            records.extend(_row_records(doc.doc_id, len(records), row, series, tags))
    if not records:
        records.extend(_section_records(doc, subject, len(records)))
    for r in _heading_records(doc, subject, len(records)):
        if not any(o.start < r.end and r.start < o.end for o in records):
            records.append(r)
    records.extend(_prose_records(doc, subject, len(records)))
    return DocumentModel(subject, tables, _without_unfinished_summary(doc.text, records))


_FINISHED = re.compile(r"[。．!?！？.][」』）)\]】]*$")


def _without_unfinished_summary(text: str, records: list[Record]) -> tuple[Record, ...]:
    """A page cut off inside a summary cell keeps the cell's finished sentences only: "…共有しました。また、大気汚染
    分野では…情報共" says what was shared, not what was agreed; with no sentence finished, nothing: the items before
    the cut ("適応計画、放射性物質モニタリングと") would be quoted as what the meeting did. A cell is unfinished only where its page's other summaries end their
    sentences, or a sentence ends inside it (a page whose cells are topics ends on one)."""
    cut = cut_start(text)
    if cut is None:
        return tuple(records)
    out = []
    for r in records:
        field = next((f for f in r.fields if r.summary and f.value == r.summary and f.end > cut), None)
        others = [o.summary for o in records if o.summary and o is not r]
        if field is None or not (sum(1 for o in others if _FINISHED.search(o)) * 2 > len(others)
                                 or _FINISHED.search(text[field.start:cut].strip())):
            out.append(r)
            continue
        end = cut if cut > field.start else field.start
        kept = normalize(text[field.start:end]).strip()
        fields = tuple(dataclasses.replace(f, value=kept, end=end) if f is field else f
                       for f in r.fields if f is not field or kept)
        out.append(dataclasses.replace(r, summary=kept or None, fields=fields))
    return tuple(out)
