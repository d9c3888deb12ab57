"""Answers composed by code, in the asker's language, from what code found: natural sentences (never a
token list), every value taken from a cited span, English names with the Japanese original in brackets.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.dates import DateValue
from ingest.fields import label_role
from ingest.names import country_code, is_japanese
from ingest.ordinals import english_ordinal
from ingest.schema import Record
from ingest.tokenizer import named_entities
from rag.read.question import Question
from rag.series.catalog import Catalog, Series
from rag.series.records import RecordFinding, SeriesFinding, cut_leaves_out, summary_answers
from rag.types import Cite, Language, Statement


def plural(n: int, word: str) -> str:
    """'1 meeting', '8 meetings'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _unlisted(series: Series) -> list[int]:
    """Meeting numbers below the highest listed that no document lists (a list cut short, a row not read)."""
    listed = {r.number for r in series.numbered()}
    return [k for k in range(1, max(listed, default=0) + 1) if k not in listed]


def _first_unlisted(f: SeriesFinding) -> bool:
    """Whether a numbered series' earliest listed meeting is a later one (the 3rd): the first is not listed."""
    numbers = [r.number for r in f.series.records if r.number is not None]
    return bool(numbers) and min(numbers) > 1 and all(r.number is not None for r in f.picked)


def _marks(start: int, n: int) -> str:
    return "".join(f"[{i}]" for i in range(start, start + n))


def record_cite(r: Record, role: str = "row") -> Cite:
    """The span of a record that states a value: its date, place or summary cell, or the whole record."""
    for f in r.fields:
        if role == "date" and (f.name in ("key", "sentence") or label_role(f.name) == "date"
                               or (f is r.fields[0] and r.source == "table")):
            return Cite(r.doc_id, f.start, f.end, r)
        if role == "place" and r.place and f.value == r.place:
            return Cite(r.doc_id, f.start, f.end, r)
        if role == "summary" and r.summary and f.value == r.summary:
            return Cite(r.doc_id, f.start, f.end, r)
    return Cite(r.doc_id, r.start, r.end, r)


def date_text(d: DateValue | None, language: Language) -> str:
    """A date for the asker: '2016年' / '2016', '2021年12月' / 'December 2021'."""
    if d is None:
        return ""
    return d.ja() if language == "ja" else d.en()


def is_place_name(place: str) -> bool:
    """Whether a venue value is a place ('ハノイ') rather than a format ('ウェブ開催', 'online')."""
    return any(e.kind in ("place", "country", "name") for e in named_entities(place)) or (
        not is_japanese(place) and place[:1].isupper() and place.lower() not in ("online", "web", "virtual"))


def _place_label(r: Record, language: Language) -> str:
    label = next((f.name for f in r.fields if r.place and f.value == r.place and f.name not in ("key",)), None)
    if language == "ja":
        return label if label and is_japanese(label) else "開催地"
    return "venue"


class Composer:
    """Sentences about records, in Japanese or English."""

    def __init__(self, catalog: Catalog, question: Question) -> None:
        self.catalog = catalog
        self.q = question
        self.lang: Language = "ja" if question.language == "ja" else "en"

    # --- pieces

    def series(self, s: Series) -> str:
        """The series' name for the asker."""
        return s.display(self.lang)

    def place(self, r: Record) -> str:
        """The record's place for the asker (English with the original in brackets when known)."""
        return self.catalog.place(r.place, self.lang) or ""

    def label(self, r: Record) -> str:
        """'第10回 (2016年、ウランバートル)' / 'the 10th (2016, Ulaanbaatar (ウランバートル))'."""
        when = date_text(r.date, self.lang)
        where = self.place(r)
        if self.lang == "ja":
            inner = "、".join(x for x in (when, where) if x)
            head = f"第{r.number}回" if r.number is not None else ""
            return f"{head}（{inner}）" if head and inner else head or inner
        inner = ", ".join(x for x in (when, where) if x)
        head = f"the {english_ordinal(r.number)}" if r.number is not None else "the meeting"
        return f"{head} ({inner})" if inner else head

    def held(self, r: Record) -> str:
        """'was held in Hanoi (ハノイ) in 2016' / '2016年にハノイで開催されました'."""
        when = date_text(r.date, self.lang)
        where = self.place(r)
        real_place = bool(r.place) and is_place_name(r.place or "")
        verb_future = r.planned
        if self.lang == "ja":
            verb = "開催される予定です" if verb_future else "開催されました"
            at = f"{where}で" if real_place else ""
            extra = f"（{_place_label(r, 'ja')}：{where}）" if r.place and not real_place else ""
            return f"{when + 'に' if when else ''}{at}{verb}{extra}"
        verb = "will be held" if verb_future else "was held"
        parts = [verb]
        if real_place:
            parts.append(f"in {where}")
        if when:
            parts.append(f"in {when}" if not (r.date and r.date.day) else f"on {when}")
        out = " ".join(parts)
        if r.place and not real_place:
            out += f" ({_place_label(r, 'en')}: {where})"
        return out

    # --- statements

    def named(self, f: SeriesFinding, topic: Sequence[str] = ()) -> list[Statement]:
        """About one numbered meeting: when and where it was held, and its summary when asked 'what'."""
        r = f.picked[0]
        s = self.series(f.series)
        cites = [record_cite(r)]
        out = []
        # When and where it was held, when that is asked (a "who chaired …" is not answered by a date).
        types = self.q.types
        # Only what the record states of what was asked: "第6回は開催されました" with no date or place says nothing.
        if ("when" in types and r.date and (not self.q.asks_end or r.date.until)) or ("where" in types and self.gives_place(r)) \
                or any(t in ("which", "yes_no") for t in types):
            if self.lang == "ja":
                out.append(Statement(f"{s}の第{r.number}回は{self.held(r)}[1]。", cites))
            else:
                out.append(Statement(f"The {english_ordinal(r.number or 0)} meeting of the {s} {self.held(r)} [1].", cites))
        if summary_answers(r, topic) and any(t in ("what", "why_how", "yes_no", "which") for t in self.q.types):
            out.append(self.summary(r))
        return out

    def summary(self, r: Record, excerpt: str | None = None) -> Statement:
        """What the record's summary says (quoted: the model may rephrase it, code never invents it)."""
        text = excerpt or r.summary or ""
        cite = record_cite(r, "summary")
        if self.lang == "ja":
            return Statement(f"会議概要には「{text}」とあります[1]。", [cite])
        return Statement("Its summary reads{how}: “{quote}” [1].", [cite], quote_ja=text)

    def ordered(self, kind: str, f: SeriesFinding, phrase: str) -> list[Statement]:
        """The first or latest meeting (of those matching the question)."""
        r = f.picked[0]
        s = self.series(f.series)
        cites = [record_cite(r)]
        if self.lang == "ja":
            which = "最も早い" if kind == "first" else "最も新しい"
            scope = f"{phrase}に関する{s}の会合" if phrase else f"{s}の会合"
            return [Statement(f"{scope}で{which}のは{self.label(r)}です[1]。", cites)]
        which = "first" if kind == "first" else "most recent"
        scope = f" that mentions {phrase}" if phrase else ""
        num = f"the {english_ordinal(r.number)} meeting" if r.number is not None else "a meeting"
        return [Statement(f"The {which} meeting of the {s}{scope} was {num}, which {self.held(r)} [1].", cites)]

    def _scope(self, cond) -> str:
        """The conditions of a listing: '2019年にハノイで開催された…に関する' / ' that mention … held in … in 2019',
        '2022年までに' / ' held by 2022'."""
        places, phrase, years, until, since = cond.places, cond.topic_phrase, cond.years, cond.until, cond.since
        if self.lang == "ja":
            return "".join([("、".join(f"{y}年" + ("度" if y in cond.fiscal else "") for y in years) + "に")
                            if years else "",
                            f"{until.ja()}までに" if until else "", f"{since.ja()}以降に" if since else "",
                            ("・".join(places) + "で開催された") if places else "",
                            f"{phrase}に関する" if phrase else ""])
        bits = [f"that mention {phrase}" if phrase else "", ("held in " + " or ".join(places)) if places else "",
                ("in " + ", ".join(f"FY{y}" if y in cond.fiscal else str(y) for y in years)) if years else "",
                f"held by {until.en()}" if until else "", f"held since {since.en()}" if since else ""]
        text = " ".join(b for b in bits if b)
        return f" {text}" if text else ""

    def listing(self, finding: RecordFinding, f: SeriesFinding, count: bool) -> list[Statement]:
        """How many meetings match, and which (every one cited)."""
        recs = f.picked
        n = len({r.number for r in recs if r.number is not None}) if count and any(
            r.number is not None for r in recs) else len(recs)
        s = self.series(f.series)
        cond = finding.conditions
        cites = [record_cite(r) for r in recs]
        marks = _marks(1, len(recs))
        scope = self._scope(cond)
        ja = self.lang == "ja"
        items = [self.label(r) for r in recs]
        listed = "、".join(items) if ja else (
            items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else "")
        if not recs:
            return [Statement(f"資料には、{scope}{s}の会合は記載されていません。" if ja
                              else f"The documents list no meeting of the {s}{scope}.", [])]
        if count:
            top = max((r.number for r in recs if r.number is not None), default=None)
            if top and top > n and not (cond.places or cond.topic or cond.years or cond.since):
                # The pages list some meetings of a numbered series (a page cut short, a report of a later one):
                # the numbering says how many were held.
                last = max((r for r in recs if r.number == top), key=lambda r: r.start)
                when = f"（{date_text(last.date, 'ja')}）" if ja and last.date else (
                    f" ({date_text(last.date, 'en')})" if last.date else "")
                text = (f"{scope}{s}は第{top}回{when}まで開催されており、{top}回です{marks}。"
                        f"資料に記載があるのはそのうち{listed}です。" if ja else
                        f"The {s} had met {top} times{scope.replace(' held by ', ' by ')}: the numbering reaches the {english_ordinal(top)} meeting"
                        f"{when} {marks}. The documents list {listed}.")
                return [Statement(text, cites, [str(top)])]
            unlisted = _unlisted(f.series)
            if unlisted and (cond.places or cond.topic or cond.years or cond.since):
                # Meetings of the series the documents do not list may meet the condition too (a list cut short,
                # rows not read): what they list is said, as no answer.
                gap = "・".join(f"第{k}回" for k in unlisted) if ja else ", ".join(english_ordinal(k) for k in unlisted)
                text = (f"資料に記載された{scope}{s}の会合は{n}回です{marks}（{listed}）。ただし{gap}は資料に記載がなく、"
                        f"実際の回数はこれより多い可能性があります。" if ja else
                        f"The documents list {plural(n, 'meeting')} of the {s}{scope} {marks}: {listed}. They do not list "
                        f"the {gap} {'meeting' if len(unlisted) == 1 else 'meetings'}, so the number may be higher.")
                return [Statement(text, cites, [str(n)], short=True)]
            if not self.q.asks_listed and cut_leaves_out(cond, self.catalog.cut_row(f.series)):
                # The page listing them stops inside its last row: later meetings may be held and unlisted.
                text = (f"資料に記載された{scope}{s}の会合は{n}回です{marks}（{listed}）。ただし一覧は途中で切れており、"
                        f"実際の回数はこれより多い可能性があります。" if ja else
                        f"The documents list {plural(n, 'meeting')} of the {s}{scope} {marks}: {listed}. The list is "
                        f"cut off after them, so the number may be higher.")
                return [Statement(text, cites, [str(n)], short=True)]
            text = (f"資料に記載された{scope}{s}の会合は{n}回です{marks}。内訳は{listed}です。" if ja
                    else f"The documents list {plural(n, 'meeting')} of the {s}{scope} {marks}: {listed}.")
            return [Statement(text, cites, [str(n)])]
        if ja:
            return [Statement(f"{scope}{s}の会合は{listed}です{marks}。", cites)]
        verb = "is" if len(recs) == 1 else "are"
        noun = "meeting" if len(recs) == 1 else "meetings"
        return [Statement(f"The {noun} of the {s}{scope} {verb} {listed} {marks}.", cites)]

    def same_year(self, f: SeriesFinding) -> list[Statement]:
        """Years in which the series met more than once."""
        s = self.series(f.series)
        recs = f.picked
        cites = [record_cite(r) for r in recs]
        marks = _marks(1, len(recs))
        groups = {y: [r for r in recs if r.date and r.date.year == y] for y in f.same_year}
        if self.lang == "ja":
            items = "と".join(f"{y}年（" + "・".join(f"第{r.number}回" for r in rs) + "）" for y, rs in groups.items())
            return [Statement(f"{s}が1年に複数回開かれたのは{items}です{marks}。", cites)]
        items = " and ".join(f"{y} (" + " and ".join(english_ordinal(r.number or 0) for r in rs) + " meetings)"
                             for y, rs in groups.items())
        return [Statement(f"The {s} met more than once in the same year in {items} {marks}.", cites)]

    def in_year(self, f: SeriesFinding) -> list[Statement]:
        """Where and which meeting of a series took place in the asked year."""
        s = self.series(f.series)
        out = []
        for r in f.picked:
            if self.lang == "ja":
                num = f"第{r.number}回" if r.number is not None else "会合"
                out.append(Statement(f"{date_text(r.date, 'ja')}の{s}（{num}）は{self.held(r).split('に', 1)[-1]}[1]。",
                                     [record_cite(r)]))
            else:
                num = f"the {english_ordinal(r.number)} meeting" if r.number is not None else "a meeting"
                out.append(Statement(f"In {date_text(r.date, 'en')}, {num} of the {s} {self.held(r)} [1].",
                                     [record_cite(r)]))
        return out

    def compare_first(self, findings: list[SeriesFinding]) -> list[Statement]:
        """Which of two series started earlier, from their first records (and by how many years)."""
        firsts = [(f, f.picked[0]) for f in findings if f.picked and f.picked[0].date]
        if len(firsts) < 2:
            return [st for f in findings if f.picked for st in self.ordered("first", f, "")]
        firsts.sort(key=lambda fr: fr[1].date.key())
        (fa, ra), (fb, rb) = firsts[0], firsts[1]
        a, b = self.series(fa.series), self.series(fb.series)
        diff = (rb.date.year or 0) - (ra.date.year or 0)
        cites = [record_cite(ra), record_cite(rb)]
        if self.lang == "ja":
            text = (f"{a}の方が早く始まりました。{a}の最初の会合は{self.label(ra)}[1]、"
                    f"{b}の最初の会合は{self.label(rb)}です[2]。")
            if diff > 0:
                text += f"{a}は{diff}年早く始まっています。"
            return [Statement(text, cites, [str(diff)] if diff > 0 else [])]
        text = (f"The {a} started earlier: its first meeting was {self.label(ra)} [1], while the {b}'s first "
                f"meeting was {self.label(rb)} [2]")
        text += f", {plural(diff, 'year')} later." if diff > 0 else "."
        return [Statement(text, cites, [str(diff)] if diff > 0 else [])]

    def missing(self, finding: RecordFinding) -> str:
        """Why a named meeting number cannot be answered (the documents list up to another number)."""
        s = self.series(finding.findings[0].series)
        last = finding.last_listed
        n = finding.missing_number
        if self.lang == "ja":
            tail = f"（記載は第{last.number}回（{date_text(last.date, 'ja')}）まで）" if last and last.number else ""
            return f"資料には{s}の第{n}回の記載がありません{tail}。"
        tail = (f" (the latest listed is the {english_ordinal(last.number)} meeting, {date_text(last.date, 'en')})"
                if last and last.number else "")
        return f"The documents do not mention a {english_ordinal(n or 0)} meeting of the {s}{tail}."

    def states_asked(self, r: Record) -> bool:
        """Whether a record states what is asked of it: its place for "where" (a city when a city is asked), its date
        for "when" (its last day for "until when": a meeting's one date ends nothing)."""
        when = r.date is not None and (not self.q.asks_end or r.date.until is not None)
        return ("where" not in self.q.types or self.gives_place(r)) and ("when" not in self.q.types or when)

    def gives_place(self, r: Record) -> bool:
        """Whether a record names the place asked ("which city is hosting it?": a country names no city)."""
        return bool(r.place) and not (self.q.asks_locality and country_code(r.place or ""))

    def compose(self, finding: RecordFinding) -> list[Statement]:
        """Statements answering a record question."""
        if finding.kind == "named":
            return [st for f in finding.findings for st in self.named(f, finding.conditions.topic)]
        if finding.kind in ("first", "latest"):
            if self.q.compare and len(finding.findings) > 1:
                return self.compare_first(finding.findings)
            return [st for f in finding.findings if f.picked and self.states_asked(f.picked[0])
                    and not (finding.kind == "first" and not finding.conditions.narrowed and _first_unlisted(f))
                    for st in self.ordered(finding.kind, f, finding.conditions.topic_phrase)]
        if finding.kind == "same_year":
            return [st for f in finding.findings for st in self.same_year(f)]
        if finding.kind == "year":
            return [st for f in finding.findings if all(self.states_asked(r) for r in f.picked)
                    for st in self.in_year(f)]
        count = finding.kind == "count"
        return [st for f in finding.findings for st in self.listing(finding, f, count)]
