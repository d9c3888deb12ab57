"""Claim checking on the same evidence as answers: a claim is read as assertions (a date, a place, a
count, a person, a quantity, or plain text) about a subject (a numbered meeting, the first/latest one
on a topic, a series, or whatever the text names); each assertion is compared with the value the
evidence states for that same subject. The verdict is the weakest one.

- supported: the subject's evidence states the same value (dates as dates, places across scripts,
  counts and first/latest recomputed from the records under the claim's own conditions);
- contradicted: the subject's evidence states another value (both are shown);
- not found: nothing is about that subject, or nothing states that attribute.
Word overlap and similarity only rank evidence; a verdict always rests on a compared value.
"""

from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ingest.cleaner import nfkc
from ingest.dates import DateValue, find_dates
from ingest.gazetteer import country, place_ids, within
from ingest.names import (
    NOT_NAMES_JA,
    TITLES_JA,
    affiliation,
    countries_in,
    country_code,
    is_japanese,
    named_in,
    same_name,
)
from ingest.ordinals import english_ordinal
from ingest.schema import Record
from ingest.tense import STILL_TO_COME
from ingest.tokenizer import named_entities, titled_names, tokenize
from ingest.transliteration import LATIN, LATIN_UPPER
from rag.check.support import counted, numbers, unit_word, unstated_numbers
from rag.find.evidence import Evidence
from rag.read.question import Question, read_question
from rag.read.relations import relations_in, roles_in
from rag.read.vocabulary import (
    MEASURE,
    NOT_CONTENT,
    NUMBER_WORDS,
    PLACE_SAID_EN,
    PLACE_SAID_JA,
    PUBLISHED_DOCUMENT,
    QUESTION_WORDS,
)
from rag.series.records import RecordFinding, cut_leaves_out
from rag.series.sentences import record_cite
from rag.types import Citation, Cite, Language, Verdict, VerdictLabel
from rag.values.candidates import HONORIFIC, ORG_END, Candidate, office_after

Attribute = Literal["date", "place", "count", "person", "quantity", "text"]
_COUNT_EN = re.compile(r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")\s+(?:[\w–\-]+\s+){0,7}?"
                       r"(?:meetings?|dialogues?|sessions?|times|rounds?)\b|\b(once|twice|thrice)\b", re.I)
_ADVERB_COUNTS = {"once": 1, "twice": 2, "thrice": 3}
_COUNTED_IN_WORDS = re.compile(r"\b(" + "|".join(w for w in NUMBER_WORDS if w not in ("zero", "one")) + r")\s+([a-z]+)\b", re.I)
# The number counts the plural noun right after it when that is not a meeting ("two sides", "three countries").
_OTHER_THINGS = re.compile(r"\s+(?!(?:meetings|dialogues|sessions|times|rounds)\b)[a-z]+s\b")
_COUNT_JA = re.compile(r"(\d+)\s*回(?!目)(?:開催|開か|行わ|実施|です|だ|ある|あっ|に上|を数)|(?:会合|対話|会議)は(?:合計)?(\d+)\s*(?:回|件)")
_RANGE = re.compile(r"\bbetween\s+(\d{4})\s+and\s+(\d{4})\b|(\d{4})\s*年?\s*(?:から|～|〜|-|–)\s*(\d{4})\s*年?(?:まで|にかけて)?", re.I)
_VERDICT_RANK = {"contradicted": 0, "disputed": 1, "not_found": 2, "supported": 3}


@dataclass(frozen=True)
class Assertion:
    """One thing a claim says of its subject."""

    attribute: Attribute
    value: str
    date: DateValue | None = None
    count: int | None = None
    target: bool = False  # a date claimed as an aim ("2050年までに", "by 2030"), not as when something happened
    # Read by a rule that may misread (a name taken for a person by what it does, a count spelt in words): finding
    # nothing of it says nothing against the rest of the claim.
    tentative: bool = False


@dataclass
class Judgement:
    """The verdict on one assertion, why, and what it rests on."""

    label: VerdictLabel
    why: str
    cites: list[Cite]
    counted: bool = False  # code counted the claimed number from records: no passage need state it


def read_assertions(claim: str, q: Question, series_words: set[str]) -> list[Assertion]:
    """The assertions of a claim (code only): counts, dates, places, people, quantities; else its text."""
    text = nfkc(claim)
    out: list[Assertion] = []
    m = _COUNT_EN.search(text) or _COUNT_JA.search(text)
    if m and _OTHER_THINGS.match(text, m.end(1) if m.group(1) else m.end()):
        m = None  # "the two sides agreed to set up an expert meeting": two sides, not two meetings
    if m:
        raw = next(g for g in m.groups() if g)
        n = int(raw) if raw.isdigit() else _ADVERB_COUNTS.get(raw.lower()) or NUMBER_WORDS[raw.lower()]
        out.append(Assertion("count", raw, count=n))
    ranged = _RANGE.search(text)
    for d in find_dates(text):
        if ranged and ranged.start() <= d.start < ranged.end() and out and out[0].attribute == "count":
            continue  # "between 2014 and 2024" bounds a count; it is not claimed of the subject
        if out and out[0].attribute == "count" and (q.until or q.since):
            continue  # "by the end of 2022, six … had been held": the date bounds the count
        if re.match(r"\s*(?:年度?)?\s*(?:比|対比)", text[d.end:d.end + 4]):
            continue  # "2020年比": a baseline, not a date claimed
        if d.year or d.month:
            target = bool(re.match(r"\s*(?:年度?)?\s*(?:末)?\s*(?:までに|を目指|を目標|目標)", text[d.end:d.end + 8])
                          or re.search(r"\b(?:by|aim(?:s|ing)? (?:for|at)|target(?:ed)? (?:for|of)?|goal of)\s+$",
                                       text[max(0, d.start - 20):d.start], re.I)
                          or (q.asks_target and re.search(r"目標|\btarget|\bgoal|\baim", text, re.I)))
            out.append(Assertion("date", d.text, date=d, target=target))
    for qm in MEASURE.finditer(text):
        if not any(a.attribute == "count" and a.value in qm.group(0) for a in out):
            out.append(Assertion("quantity", qm.group(0)))
    if not any(a.attribute == "count" for a in out):
        out += [Assertion("quantity", spelt, tentative=True) for spelt in _spelt_counts(text)]
    for n, _, written in counted(text):
        # "200 households", "14名": a count of things, compared with what the page counts of the same things
        if not any(a.attribute in ("count", "quantity") and n in numbers(a.value) for a in out):
            out.append(Assertion("quantity", written))
    said = [(m.group(1) or m.group(2) or "").strip(" ,") for m in [*PLACE_SAID_JA.finditer(text),
                                                                   *PLACE_SAID_EN.finditer(text)]]
    spans = [(d.start, d.end) for d in find_dates(text)]
    for place in said:
        at = text.find(place)
        if any(a <= at < b for a, b in spans):
            continue  # "signed in December 2013": a month, no place
        if place and not _series_phrase(place, text, series_words):
            out.append(Assertion("place", place))
    people = _titled_people(text)
    untitled = set(_untitled_people(text))
    for name in people:
        out.append(Assertion("person", name, tentative=name in untitled))
    for e in q.entities:
        words = set(q.tokens_of(e))
        if e.text not in text or (words and words <= series_words) or any(e.text in p or p in e.text for p in said):
            continue
        if any(e.text in p or p in e.text for p in people):
            continue
        if e.kind == "person":
            out.append(Assertion("person", e.text))
        elif e.kind in ("place", "country", "name") and _said_as_place(e.text, text, series_words):
            out.append(Assertion("place", e.text))
    if not out:
        out.append(Assertion("text", claim))
    return out


@lru_cache(maxsize=512)
def _titled_people(text: str) -> tuple[str, ...]:
    """The people a claim names with an office or an honorific ("小泉環境大臣", "Minister TANAKA Ichiro"); read
    once per claim (the checker and the assertion reader both ask)."""
    people = [t.name for t in titled_names(text, TITLES_JA, NOT_NAMES_JA)]
    people += [m.group(1).strip() for m in HONORIFIC.finditer(text)]
    people += [n for n in _untitled_people(text) if not any(n in p or p in n for p in people)]
    return tuple(dict.fromkeys(people))


def _spelt_counts(text: str) -> list[str]:
    """Counts of things a text spells out, as figures: "nine countries" → "9 countries"."""
    return [f"{NUMBER_WORDS[m.group(1).lower()]} {m.group(2)}" for m in _COUNTED_IN_WORDS.finditer(text)
            if unit_word(m.group(2).lower())]


_LATIN_RUN = re.compile(rf"[{LATIN_UPPER}][{LATIN}\-’']*(?:\s+[{LATIN_UPPER}][{LATIN}\-’']*)+")  # "Ana Torres Vidal"
_PLACE_END = re.compile(r"\b(?:City|Prefecture|Province|State|Town|Municipality|County|District|Region|Island|Islands)$")


@lru_cache(maxsize=512)
def _untitled_people(text: str) -> tuple[str, ...]:
    """Latin names a claim gives without an honorific that it says are people: the one who did what people do
    ("OKABE Ryota co-chaired …"), or named right after an office ("Peru's Minister of …, Rosa Quispe, …")."""
    out = []
    for m in _LATIN_RUN.finditer(text):
        name, words = m.group(0), m.group(0).split()
        if words[0] in ("The", "A", "An") or any(country_code(w) or w.endswith(("'s", "’s")) for w in words) \
                or affiliation(name) or ORG_END.search(name) or place_ids(name) or _PLACE_END.search(name):
            continue  # a body, a place, a country's office, a sentence's first words
        verb = re.match(r"\s+(?:also\s+)?([a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,2})", text[m.end():m.end() + 40])
        apposed = re.search(r",\s*$", text[max(0, m.start() - 3):m.start()]) and roles_in(text[max(0, m.start() - 60):m.start()])
        if (verb and relations_in(verb.group(1))) or apposed or office_after(text, m.end()):
            out.append(name)
    return tuple(out)


def _series_phrase(place: str, claim: str, series_words: set[str]) -> bool:
    """Whether what stands before "で開催" / after "held in" is the series' own name, not a place: several of
    its words, or one written into it ("日・X対話で開催"). "held in Singapore" of a Japan–Singapore dialogue
    still asserts a place."""
    words = set(tokenize(place))
    if not words or not words <= series_words:
        return False
    return len(words) > 1 or all(_joined_at(m.start(), place, claim, series_words)
                                 for m in re.finditer(re.escape(place), claim))


def _said_as_place(name: str, claim: str, series_words: set[str]) -> bool:
    """Whether some mention of the name in the claim is a place it asserts (not part of its subject)."""
    for m in re.finditer(re.escape(name), claim):
        i = m.start()
        if claim.startswith("側", m.end()):
            continue  # "ポーランド側共同議長": a side the person is of, no place
        if not _joined_at(i, name, claim, series_words) and not _is_subject_at(i, name, claim):
            return True
    return False


def _joined_at(i: int, name: str, claim: str, series_words: set[str]) -> bool:
    after = claim[i + len(name):i + len(name) + 12]
    before = claim[max(0, i - 12):i]
    joined_after = re.match(r"[・\-–]\s*(\S+)", after)
    joined_before = re.search(r"(\S+?)\s*[・\-–]$", before)
    return any(j and set(tokenize(j.group(1))) & series_words for j in (joined_after, joined_before))


def _is_subject_at(i: int, name: str, claim: str) -> bool:
    if i < 0:
        return True
    after = claim[i + len(name):i + len(name) + 6]
    before = claim[max(0, i - 6):i]
    if is_japanese(claim):
        return not re.match(r"(?:省|県|市|州|国)?(?:で|にて|において)", after)
    return not re.search(r"\b(?:in|at)\s+(?:the\s+)?$", before, re.I)


class ClaimChecker:
    """Judges claims with an answer chain's evidence finder."""

    def __init__(self, chain) -> None:
        self.chain = chain

    def question(self, claim: str, assertions_hint: bool = True) -> Question:
        """The claim read as a question about its subject (its own values are what is checked, not filters)."""
        q = self.chain.read(claim)
        types = []
        text = nfkc(claim)
        if find_dates(text):
            types.append("when")
        if any(e.kind in ("place", "country", "name") for e in q.entities):
            types.append("where")
        if any(e.kind == "person" for e in q.entities) or _titled_people(text):
            types.append("who")
        if MEASURE.search(text) or counted(text) or _spelt_counts(text):
            types.append("how_many")
        count = bool(_COUNT_EN.search(text) or _COUNT_JA.search(text))
        ranged = _RANGE.search(text)
        years: tuple[int, ...] = ()
        if count and not (q.until or q.since):
            # A count is counted under the claim's own years ("twice in 2011", "between 2014 and 2024").
            found = [int(y) for y in ranged.groups() if y] if ranged else [d.year for d in find_dates(text) if d.year]
            years = tuple(range(min(found), max(found) + 1)) if ranged and found else tuple(found)
        order = q.order
        # "since 2015", "2015年から開催されている": held since then, so the first meeting is what is claimed
        if order is None and re.search(r"\b(?:started|began|begun|start|since)\b|始ま|開始|以来"
                                       r"|年度?から(?:毎年)?(?:実施|開催|行われ|続)", text, re.I):
            order = "first"
            q = dataclasses.replace(q, since=None)  # the claimed start is the value checked, not a filter
        # A Latin name the claim says is a person ("KIMURA Taro, State Minister …") is the person it asserts, not a
        # name its evidence must hold.
        people = _titled_people(text)
        entities = tuple(dataclasses.replace(e, kind="person") if e.kind == "name" and any(
            e.text in p or p in e.text for p in people) else e for e in q.entities)
        return dataclasses.replace(q, types=tuple(types) or ("what",), years=years, count=count, compare=False,
                                   order=order, listing=False, claim=True, entities=entities)

    def check(self, claim: str) -> Verdict:
        """A verdict on a claim with its evidence spans."""
        t0 = time.perf_counter()
        claim = (claim or "").strip()[: self.chain.settings.question_max_chars]
        lang: Language = "ja" if read_question(claim).language == "ja" else "en"
        if not claim:
            return Verdict(claim=claim, label="not_found", explanation=_t(lang, "空の主張です。", "Empty claim."),
                           language=lang)
        q = self.question(claim)
        ev = self.chain.evidence(q)
        series_words = {t for m in ev.series for t in self.chain.catalog.words(m.series)}
        assertions = read_assertions(claim, q, series_words)
        # A person no document names at all is no misreading to set aside: nothing found of them leaves the claim
        # unfounded, whatever else of it is found ("X attended the 2019 forum" where no page names X).
        assertions = [dataclasses.replace(a, tentative=False) if a.attribute == "person" and a.tentative and any(
            a.value in u or u in a.value for u in ev.unknown) else a for a in assertions]
        values = " ".join(a.value for a in assertions if a.attribute in ("place", "person"))
        subject_unknown = [u for u in ev.unknown if u not in values]  # an unknown value is compared, not missing
        ev.unknown = subject_unknown
        if ev.unknown and not any(u in " ".join(n for m in ev.series for n in m.series.names) for u in ev.unknown):
            listed = "、".join(ev.unknown) if lang == "ja" else ", ".join(ev.unknown)
            return self._verdict(claim, lang, [Judgement("not_found", _t(
                lang, f"「{listed}」について述べた文書はありません。", f"No document is about {listed}."), [])], t0)
        judgements = weighed(assertions, [self._judge(a, q, ev, lang, claim) for a in assertions])
        return self._verdict(claim, lang, judgements, t0)

    # --- judging one assertion

    def _judge(self, a: Assertion, q: Question, ev: Evidence, lang: Language, claim: str) -> Judgement:
        rec = ev.records
        if a.attribute == "date" and a.target:
            return _judge_text(a, q, ev, lang, self.chain, claim)  # an aim is told in text, never a meeting's date
        if rec is not None and rec.kind == "missing":
            return Judgement("not_found", _missing(rec, lang), [])
        if rec is not None and rec.records and a.attribute not in ("person", "quantity"):
            # A meeting's record gives its date and place; a person or a number in it is judged by what its
            # clause says of them (a chair is not an attendee the record lists).
            judged = _judge_records(a, q, rec, lang, self.chain.catalog)
            if judged is not None:
                return judged
        if rec is not None and rec.kind == "list" and a.attribute == "count":
            return Judgement("contradicted", _t(lang, "条件に合う会合は資料にありません（0回）。",
                                                "The documents list no meeting under those conditions (0)."), [])
        return _judge_text(a, q, ev, lang, self.chain, claim)

    def _verdict(self, claim: str, lang: Language, judgements: list[Judgement], t0: float) -> Verdict:
        worst = min(judgements, key=lambda j: _VERDICT_RANK[j.label])
        cites: list[Cite] = []
        for j in sorted(judgements, key=lambda j: _VERDICT_RANK[j.label]):
            for c in j.cites:
                if c not in cites:
                    cites.append(c)
        evidence: list[Citation] = [self.chain.citations.citation(i, c) for i, c in enumerate(cites[:5], start=1)]
        why = " ".join(dict.fromkeys(j.why for j in judgements if j.label == worst.label))
        counted = any(j.counted for j in judgements)
        if worst.label == "supported" and not counted and (unstated := unstated_numbers(claim, [e.text for e in evidence])):
            # A number the claim states that no supporting passage states ("41 projects" where it says 31):
            # the passages support something else of the claim, not the claim. (A count is checked by counting,
            # its bounds by the records: "five times between 2014 and 2024".)
            return Verdict(claim=claim, label="not_found", language=lang, evidence=evidence,
                           explanation=_t(lang, f"根拠の箇所に{'、'.join(sorted(unstated))}の記載がありません。",
                                          f"No passage that supports the rest states {', '.join(sorted(unstated))}."),
                           timings={"total": time.perf_counter() - t0})
        return Verdict(claim=claim, label=worst.label, explanation=why, evidence=evidence, language=lang,
                       timings={"total": time.perf_counter() - t0})


def weighed(assertions: list[Assertion], judgements: list[Judgement]) -> list[Judgement]:
    """The judgements a verdict rests on: nothing found of a tentative assertion (a name read as a person only by
    what it does, a count spelt in words) is left out when the claim asserts something else."""
    kept = [j for a, j in zip(assertions, judgements, strict=True) if not (a.tentative and j.label == "not_found")]
    return kept or judgements


def _t(lang: Language, ja: str, en: str) -> str:
    return ja if lang == "ja" else en


def _record_name(r: Record, lang: Language) -> str:
    if r.number is None:
        return r.date.ja() if r.date and lang == "ja" else (r.date.en() if r.date else "")
    return f"第{r.number}回" if lang == "ja" else f"the {english_ordinal(r.number)} meeting"


def _missing(rec: RecordFinding, lang: Language) -> str:
    last = rec.last_listed
    n = rec.missing_number or 0
    if lang == "ja":
        tail = f"（記載は第{last.number}回まで）" if last and last.number else ""
        return f"資料には第{n}回の記載がありません{tail}。"
    tail = f" (the latest listed is the {english_ordinal(last.number)})" if last and last.number else ""
    return f"The documents list no {english_ordinal(n)} meeting{tail}."


def _judge_records(a: Assertion, q: Question, rec: RecordFinding, lang: Language, catalog) -> Judgement | None:
    """An assertion about records: compared with the record(s) code picked under the claim's conditions (None:
    the records cannot tell, the text decides)."""
    if a.attribute == "count":
        f = rec.findings[0]
        n = len({r.number for r in f.picked if r.number is not None}) or len(f.picked)
        cites = [record_cite(r) for r in f.picked]
        if n == a.count:
            return Judgement("supported", _t(lang, f"記録から数えると{n}回です。", f"Counting the records gives {n}."), cites,
                             counted=True)
        if n < a.count and cut_leaves_out(rec.conditions, catalog.cut_row(f.series)):
            return None  # the list stops inside its last row: more may have been held; the text decides
        return Judgement("contradicted", _t(lang, f"記録から数えると{n}回で、{a.count}回ではありません。",
                                            f"Counting the records gives {n}, not {a.count}."), cites)
    r = rec.records[0]
    name = _record_name(r, lang)
    if a.attribute == "date" and a.date is not None:
        cite = record_cite(r, "date")
        if r.date is not None and (r.date.matches(a.date) or r.date.contains(a.date)):
            return Judgement("supported", _t(lang, f"{name}は{r.date.ja()}です。", f"{name.capitalize()} was in {r.date.en()}."),
                             [cite])
        if r.date is None:
            return None  # the record gives no date: the text it was reported in may ("…was held on 28 October")
        return Judgement("contradicted", _t(lang, f"資料では{name}は{r.date.ja()}で、{a.date.ja()}ではありません。",
                                            f"The documents give {r.date.en()} for {name}, not {a.date.en()}."), [cite])
    if a.attribute == "place":
        cite = record_cite(r, "place") if r.place else record_cite(r)
        if r.place and (same_name(a.value, r.place) or same_name(a.value, catalog.english(r.place) or "")):
            return Judgement("supported", _t(lang, f"{name}の開催地は{r.place}です。",
                                             f"{name.capitalize()} was held in {catalog.place(r.place, 'en')}."), [cite])
        inside = within(r.place, a.value) if r.place else None
        if inside is None and r.place and (claimed := country_code(a.value)) and countries_in(r.place) \
                and claimed not in countries_in(r.place):
            # "ノルウェー王国ベルゲン" names its country: it is not in Finland
            return Judgement("contradicted", _t(lang, f"資料では{name}の開催地は{r.place}で、{a.value}ではありません。",
                                                f"The documents give {catalog.place(r.place, 'en')} for {name}, not {a.value}."),
                             [cite])
        if inside:
            return Judgement("supported", _t(lang, f"{name}の開催地は{r.place}（{a.value}）です。",
                                             f"{name.capitalize()} was held in {catalog.place(r.place, 'en')}, "
                                             f"in {a.value}."), [cite])
        if inside is None and r.place and country(a.value):
            # A country against a venue the gazetteer does not place: the documents do not say.
            return Judgement("not_found", _t(lang, f"資料では{name}の開催地は{r.place}で、{a.value}にあるかは記載がありません。",
                                             f"The documents give {catalog.place(r.place, 'en')} for {name}; they do "
                                             f"not say whether it is in {a.value}."), [cite])
        if r.place and country(r.place) and within(a.value, r.place):
            # A city in the country the documents give: they name no city, so they neither confirm nor deny it.
            return Judgement("not_found", _t(lang, f"資料では{name}の開催地は{r.place}とだけあり、{a.value}かは記載がありません。",
                                             f"The documents give only {catalog.place(r.place, 'en')} for {name}; they "
                                             f"do not say whether it was {a.value}."), [cite])
        if r.place:
            return Judgement("contradicted", _t(lang, f"資料では{name}の開催地は{r.place}で、{a.value}ではありません。",
                                                f"The documents give {catalog.place(r.place, 'en')} for {name}, not {a.value}."),
                             [cite])
        return None  # the record gives no place: the text it was reported in may
    if a.attribute in ("person", "quantity"):
        if _in_text(a.value, r):
            return Judgement("supported", _t(lang, f"{name}の記録に{a.value}とあります。",
                                             f"The record of {name} states {a.value}."), [record_cite(r)])
        return Judgement("not_found", _t(lang, f"{name}の記録には{a.value}の記載がありません。",
                                         f"The record of {name} does not state {a.value}."), [record_cite(r)])
    # Plain text about the record: its topic words must be in the record.
    topic = rec.conditions.topic
    if topic and all(any(t in set(tokenize(x)) for x in (r.summary or "", *(n.value for n in r.notes))) for t in topic):
        return Judgement("supported", _t(lang, f"{name}の記録に該当する記述があります。",
                                         f"The record of {name} states this."), [record_cite(r, "summary")])
    return None  # the record does not say it; its report's text may ("NAKAGAWA … attended the 19th TEMM")


def _in_text(value: str, r: Record) -> bool:
    text = nfkc(" ".join([r.summary or "", *(f.value for f in r.fields), *(n.value for n in r.notes)]))
    v = nfkc(value)
    return v in text or any(same_name(value, e.text) for e in named_entities(text))


def _judge_text(a: Assertion, q: Question, ev: Evidence, lang: Language, chain, claim: str) -> Judgement:
    """An assertion about something told in prose, judged on the values whose clause states what the claim
    says happened, for whom (rag.values.binding): the same value supports it, another value contradicts it,
    values from two documents that disagree make it disputed; nothing bound is not found."""
    kinds = {"date": ("date",), "place": ("place",), "person": ("person", "org"), "quantity": ("quantity",)}
    if a.attribute in kinds:
        cands = ev.of_kind(*kinds[a.attribute])
        unit = next((u for _, u, _ in counted(a.value)), None) if a.attribute == "quantity" else None
        if unit:
            cands = [c for c in cands if unit_word(c.role) == unit]  # households against households, not years
        bound = [c for c in cands if c.bound and (a.attribute != "date" or c.date is not None)]
        # (An aim's year said of another aim supports nothing: "net zero by 2035" is not a recycling goal for 2035.)
        same = [c for c in bound if _same_value(a, c) and (not a.target or _about_subject(c, q, 0.5))]
        # ("35% by 2035" where the page says "35% by 2030 … 60% by 2035": binding gives 35% to another aim.)
        # A city or person the claim itself says ("Sri Muara" for スリムアラ) is who it is about, not a rival value
        # (a country it names still is: "Japan–X … signed in Y" against a page saying where, in X).
        # Who chaired is one person (one per side for co-chairs): the one the documents name is a rival whatever
        # office they hold; the office the claim gives is said of its own person, not asked of every other.
        # (The side the claim gives its chair is said of its own person too; a co-chair's side is which co-chair.)
        alone = a.attribute == "person" and bool(q.relations & {"chair", "moderator", "lead"})
        one = alone or (a.attribute == "person" and "cochair" in q.relations and bool(q.agents))
        said_of_it = ("role:", "agent:") if alone else ("role:",)
        rivals = bound + [c for c in cands if one and c.kind == "person" and not c.bound
                          and all(m.startswith(said_of_it) for m in c.missing)]
        # (A rival admitted so has its clause bound to the meeting the claim names: that is its subject.)
        other = [c for c in rivals if not _same_value(a, c) and _about_subject(dataclasses.replace(c, missing=()), q)
                 and not (a.attribute in ("place", "person") and country_code(c.value) is None
                          and named_in(c.value, claim))]
        # A sentence that states the claimed value does not also dispute it: its other values are of other things
        # ("In 2014 … signed the Letter of Intent …, and in 2017, signed the Memorandum …").
        said = {(c.doc_id, c.ctx_start) for c in same}
        other = [c for c in other if (c.doc_id, c.ctx_start) not in said]
        if same and other and same[0].doc_id != other[0].doc_id and abs(same[0].score - other[0].score) < 0.15:
            return Judgement("disputed", _t(
                lang, f"資料の間で食い違いがあります：「{_short(same[0].context)}」と「{_short(other[0].context)}」。",
                f"The documents disagree: “{_short(same[0].context)}” and “{_short(other[0].context)}”."),
                [_cite(same[0]), _cite(other[0])])
        if same and (not other or same[0].score >= other[0].score - 0.1):
            c = same[0]
            return Judgement("supported", _t(lang, f"資料に「{_short(c.context)}」とあります。",
                                             f"A passage states it: “{_short(c.context)}”."), [_cite(c)])
        # The claimed value said of something else: an aim claimed as done, a person of another side.
        misread = next((c for c in cands if not c.bound and _same_value(a, c) and _misread(c, q)), None)
        if misread is not None and not a.target:
            return Judgement("contradicted", _t(
                lang, f"資料では「{_short(misread.context)}」とあり、主張とは異なる意味で述べられています。",
                f"The documents state {misread.value} otherwise: “{_short(misread.context)}”."), [_cite(misread)])
        if other:
            top = other[0]
            return Judgement("contradicted", _t(lang, f"資料では「{_short(top.context)}」で、{a.value}ではありません。",
                                                f"The documents give {top.value} (“{_short(top.context)}”), not {a.value}."),
                             [_cite(top)])
        return Judgement("not_found", _t(lang, "この点について述べた記述は見つかりませんでした。",
                                         "No passage states this."), [])
    # Plain text: every content word of the claim (in the documents' words) in one passage about it.
    words = {t for t in q.words if t not in QUESTION_WORDS and len(t) > 1 and not t.isdigit()}
    words = {t for t in words if chain.has_token(t)} if words else set()
    unknown = [t for toks in q.tokens[:1] for t in toks if t not in QUESTION_WORDS and len(t) > 1
               and not chain.has_token(t) and is_japanese(t)]
    names = [e.text for e in q.entities if e.kind in ("place", "name", "person", "country")]
    if words and not unknown:
        for c in ev.of_kind("sentence"):
            if not c.bound:
                continue  # the words may all be there, but not what the claim says happened
            about = f"{c.passage.title} {c.passage.section or ''} {c.context}"
            if names and not all(named_in(n, about) for n in names):
                continue  # the words may all be there, but said of something else
            if words <= set(tokenize(c.context)) | set(tokenize(c.passage.section or "")):
                return Judgement("supported", _t(lang, f"資料に「{_short(c.context)}」とあります。",
                                                 f"A passage states it: “{_short(c.context)}”."), [_cite(c, True)])
    return Judgement("not_found", _t(lang, "この記述を裏付ける箇所は見つかりませんでした。",
                                     "No passage states this."), [])


def _misread(c: Candidate, q: Question) -> bool:
    """Whether a value is the claim's own but said otherwise: an aim, not an event ("not-an-event"); of another
    party or office ("agent:…", "role:…") — the claim is then wrong, not unfounded. An office named in two
    languages shares a word or not ("副事務次官", "Deputy Secretary General"): one of the claimed offices in the
    person's own title is a translation to doubt, not another office."""
    missing = c.missing
    if "not-an-event" in missing and STILL_TO_COME.search(nfkc(c.context)):
        return False  # "…の開所を予定": a plan, not an aim; whether it came about is not told
    if any(m.startswith("role:") for m in missing) and roles_in(f"{c.role or ''} {c.label or ''}") & q.roles:
        return False
    if any(m.startswith("agent:") for m in missing) and len(_titled_people(q.text)) > 1:
        return False  # "X and Peru's minister Y signed": the side is Y's, not said of X
    # ("per-year", "span": the claimed amount is a sum over years, said as one year's.)
    return bool(missing) and all(m in ("not-an-event", "aim-year", "per-year", "span") or m.startswith(("agent:", "role:"))
                                 for m in missing)


def _same_value(a: Assertion, c: Candidate) -> bool:
    if a.attribute == "date" and a.date is not None and c.date is not None:
        return c.date.matches(a.date) and (c.date.precision >= a.date.precision or c.date.contains(a.date))
    if a.attribute == "quantity":
        return bool(numbers(a.value) & numbers(c.value))
    return same_name(a.value, c.value)


def _about_subject(c: Candidate, q: Question, share: float = 0.7) -> bool:
    """Whether a candidate's context is about what the claim is about: most of the claim's own words (`share` of
    them: what happened and to what, not only who) are there — the 2011 statement is not a 2015 trade deal."""
    if c.bound and (q.number is not None or q.code):
        return True  # its clause is bound to the meeting the claim names ("the 20th TEMM"): that is its subject
    names = q.name_tokens
    # The document a claim cites itself by ("according to the … page") is where it is read, not what it is about.
    # The claim's words in the passage's language: its Japanese rendering against a Japanese passage, its own
    # words against an English one.
    english = q.language != "ja" and not is_japanese(c.context)
    tokens = q.text_tokens if english or not q.ja else q.ja_tokens
    words = {t for t in tokens if t not in QUESTION_WORDS and len(t) > 1 and not t.isdigit()
             and (t not in NOT_CONTENT if english else not re.fullmatch(r"[a-z]+", t))
             and not PUBLISHED_DOCUMENT.fullmatch(t)} - names
    ctx = set(tokenize(f"{c.context} {c.passage.section or ''} {c.label or ''} {c.passage.title}"))
    if not words:
        return c.label is not None
    # A word inside a compound counts ("ゼロ" in "ネットゼロ").
    held = [w for w in words if w in ctx or any(w in t for t in ctx if len(t) > len(w))]
    return len(held) / len(words) >= share


def _cite(c: Candidate, whole: bool = False) -> Cite:
    return Cite(c.doc_id, c.ctx_start, c.ctx_end) if whole or c.kind == "sentence" else Cite(c.doc_id, c.start, c.end)


def _short(text: str, n: int = 80) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def check(chain, claim: str) -> Verdict:
    """Judge a claim against the documents."""
    return ClaimChecker(chain).check(claim)
