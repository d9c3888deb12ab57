"""What the index knows about its documents' structure: series of records (merged across documents and
languages), subjects, stored name translations, and which names the documents hold at all.

Built once per answer chain from the chunk store; everything here is read by code, no model involved.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from ingest.cleaner import fold, nfkc
from ingest.gazetteer import country, english_name
from ingest.names import (
    HOME_COUNTRY,
    countries_in,
    country_code,
    english_equivalent,
    equivalence,
    heard,
    is_japanese,
    name_words,
    same_series,
    series_kind,
    series_kinds_in,
    side_event_kinds,
    sounds_alike,
)
from ingest.schema import Record, Subject
from ingest.store import ChunkStore
from ingest.tokenizer import named_entities, tokenize
from ingest.truncation import cut_start
from rag.read.question import Question
from rag.read.relations import roles_in
from rag.read.vocabulary import NOT_CONTENT, QUESTION_WORDS
from rag.types import Language

_KATAKANA = re.compile(r"^[\u30a0-\u30ff]{2,}$")
_SOURCE_RANK = {"table": 0, "prose": 1, "mention": 2}


@dataclass(frozen=True)
class Series:
    """One series of events (a dialogue, a meeting series), with every name it goes by and its records."""

    key: str
    names: tuple[str, ...]
    records: tuple[Record, ...]

    @property
    def doc_ids(self) -> frozenset[str]:
        """Documents that hold records of this series."""
        return frozenset(r.doc_id for r in self.records)

    def display(self, language: Language) -> str:
        """The series' name in the asker's language when the documents or a translation give one."""
        want_ja = language == "ja"
        written = [r.series for r in self.records]  # a name a document writes before a translator's rendering
        ordered = [n for n in self.names if n in written] + [n for n in self.names if n not in written]
        return next((n for n in ordered if is_japanese(n) == want_ja), self.names[0])

    def numbered(self) -> list[Record]:
        """One record per meeting number (a table row before a prose report before a mention), by number."""
        best: dict[int, Record] = {}
        for r in self.records:
            if r.number is None:
                continue
            old = best.get(r.number)
            if old is None or _SOURCE_RANK[r.source] < _SOURCE_RANK[old.source]:
                best[r.number] = r
        return [best[n] for n in sorted(best)]

    def held(self) -> list[Record]:
        """Records of events reported as held (numbered or not), one per number, in date order."""
        numbered = {r.record_id for r in self.numbered()}
        out = [r for r in self.records if not r.planned and (r.number is None or r.record_id in numbered)
               and r.source != "mention"]
        return sorted(out, key=record_key)


def record_key(r: Record) -> tuple[int, int, int, int, int]:
    """Chronological order: date, then meeting number, then position in the document."""
    y, m, d = r.date.key() if r.date else (9999, 0, 0)
    return (y, m, d, r.number or 0, r.start)


@dataclass(frozen=True)
class SeriesMatch:
    """A series a question names, how strongly, and by which of its distinctive words."""

    series: Series
    score: float
    by: frozenset[str]


class Catalog:
    """Series, subjects, names and translations of one index."""

    def __init__(self, store: ChunkStore, has_token: Callable[[str], bool] = lambda t: False) -> None:
        self.records = store.records()
        self.subjects: dict[str, Subject] = store.subjects()
        self.glossary = store.glossary()
        self.names = store.names()
        self.has_token = has_token
        self.series = _group(self.records, self.subjects, self.glossary)
        self._store = store

    # --- names across languages

    def english(self, name: str | None) -> str | None:
        """A stored English rendering of a Japanese name."""
        return self.glossary.get((name, "en")) if name else None

    def place(self, place: str | None, language: Language) -> str | None:
        """A place for the asker: 'Ulaanbaatar (ウランバートル)' in English, from a stored translation or
        the gazetteer."""
        if not place:
            return place
        if language == "en" and is_japanese(place):
            en = self.english(place) or english_name(place) or english_equivalent(place)
            return f"{en} ({place})" if en else place
        return place

    def subject_name(self, doc_id: str, language: Language) -> str | None:
        """What a document is about, in the asker's language when known."""
        s = self.subjects.get(doc_id)
        if s is None:
            return None
        return (s.name_ja or s.name) if language == "ja" else (s.name_en or s.name)

    # --- questions

    @cached_property
    def _name_tokens(self) -> list[list[tuple[set[str], set[str]]]]:
        """Per series, per name: (its words, the words that are names: katakana, proper nouns, Latin names)."""
        out = []
        for s in self.series:
            per = []
            for n in s.names:
                toks = set(tokenize(n))
                parts = {t for t in toks if _KATAKANA.match(t)}
                parts |= {t for e in named_entities(n) for t in tokenize(e.text)} & toks
                parts |= {w.lower() for w in name_words(n)} & toks
                per.append((toks, parts))
            out.append(per)
        return out

    @cached_property
    def _idf(self) -> dict[str, float]:
        n = max(len(self.series), 1)
        df: dict[str, int] = {}
        for names in self._name_tokens:
            for t in set().union(*(toks for toks, _ in names)):
                df[t] = df.get(t, 0) + 1
        return {t: math.log(1 + n / c) for t, c in df.items()}

    def match_series(self, question: Question, keep_all: bool = False) -> list[SeriesMatch]:
        """The series a question names: it must share a name part with one of the series' names (a
        country, a place, a proper noun); among those, the name the question covers most (rare words
        weighing most) wins. Two series are kept when the question names each by a different name part.
        With `keep_all`, every series sharing a name part, best first (the alternatives).
        """
        idf = self._idf
        q_tokens = question.words - QUESTION_WORDS
        latin = set(name_words(question.text))  # names, not dictionary words ("Dialogue")
        shared = self.shared_parts
        every: list[SeriesMatch] = []
        asked_countries = {code for e in question.entities if e.kind == "country" and (code := country(e.text))}
        # Countries the question names in any form, "日墨" (a one-letter short form) and "UK" (for 英国) too.
        said_countries = countries_in(nfkc(question.text)) - {HOME_COUNTRY}
        # "JCM合同委員会は何回": a question naming a kind of event is not about a list of no event (a page's
        # table of projects by year: no kind in its name, no meeting numbers in its rows).
        asked_event = any(series_kind(t) is not None for t in question.renderings)
        # "JCM合同委員会": a question naming a kind of its own (a committee, a forum) is not about a series of
        # another kind (a policy dialogue); "meeting" fits any.
        asked_kinds = frozenset().union(*(series_kinds_in(t) for t in question.renderings))
        for generic in (False, True):  # names of one series first; "Japan", shared by many, only if none
            scored: list[SeriesMatch] = []
            for s, names in zip(self.series, self._name_tokens, strict=True):
                kinds = self._kinds[s.key]
                if (asked_event and not self._events[s.key]) or (asked_kinds and kinds and not kinds & asked_kinds):
                    continue
                if (side := asked_kinds & side_event_kinds()) and not kinds & side:
                    continue  # "第2回…セミナー": a seminar beside a ministers' meeting is none of its meetings
                all_parts = set().union(*(parts for _, parts in names))
                if generic and all_parts - shared and asked_countries - {country(p) for p in all_parts}:
                    # "Japan–Estonia": a series with a name of its own (ベトナム) that the question does not
                    # say, met only by "Japan", while the question names a country the series does not hold.
                    continue
                best: SeriesMatch | None = None
                for toks, parts in names:
                    heard = {t for t in parts - q_tokens if _KATAKANA.match(t) and any(sounds_alike(t, w) for w in latin)}
                    told = {t for t in parts - q_tokens if said_countries and country_code(t) in said_countries}
                    hit = (q_tokens & toks) | heard | told
                    by = frozenset(t for t in hit & parts if (t in shared) == generic)
                    if not by:
                        continue
                    score = sum(idf[t] for t in hit) / (sum(idf[t] for t in toks) or 1.0)
                    if best is None or score > best.score:
                        best = SeriesMatch(s, score, by)
                if best is not None:
                    scored.append(best)
            every += [m for m in scored if all(m.series is not e.series for e in every)]
            out: list[SeriesMatch] = []
            for m in sorted(scored, key=lambda m: -m.score):
                if not out or (not any(m.by & k.by for k in out) and m.score >= 0.75 * out[0].score):
                    out.append(m)
            if out and not keep_all:
                return out
        return sorted(every, key=lambda m: -m.score) if keep_all else []

    @cached_property
    def _events(self) -> dict[str, bool]:
        """Per series, whether it lists events: a kind of event in a name ("…政策対話") or numbered meetings."""
        return {s.key: any(series_kind(n) is not None for n in s.names) or any(r.number is not None for r in s.records)
                for s in self.series}

    @cached_property
    def _kinds(self) -> dict[str, frozenset[int]]:
        """Per series, the kinds of event its names say it is (a dialogue, a forum), besides "meeting"."""
        return {s.key: frozenset().union(*(series_kinds_in(n) for n in s.names)) for s in self.series}

    def series_alias(self, acronym: str) -> bool:
        """Whether some series goes by this acronym ("EAWF" for 東アジア水環境フォーラム（EAWF）; "TMMP" for a
        series whose report calls a meeting "TMMP4")."""
        key = re.escape(acronym.casefold())
        return any(re.search(rf"(?<![a-z]){key}(?![a-z])", n.casefold()) for s in self.series for n in s.names) or any(
            re.search(rf"(?<![a-z]){key}\s?\d", fold(self.titles.get(d, ""))) for d in self.doc_meetings)

    def cut_row(self, series: Series) -> Record | None:
        """The last listed row of the series that its page's cut stops inside (a page kept as its first bytes):
        meetings after it may be held and listed nowhere."""
        for doc_id in sorted(series.doc_ids):
            rows = [r for r in series.records if r.doc_id == doc_id and r.source == "table"]
            cut = self._cuts.get(doc_id)
            last = max(rows, key=lambda r: r.start) if rows else None
            if cut is not None and last is not None and last.start <= cut <= last.end:
                return last
        return None

    @cached_property
    def _cuts(self) -> dict[str, int | None]:
        """Where each page holding table rows is cut off (read once per index, not per question)."""
        out: dict[str, int | None] = {}
        for doc_id in sorted({r.doc_id for r in self.records if r.source == "table"}):
            doc = self._store.document(doc_id)
            out[doc_id] = cut_start(doc.text) if doc is not None else None
        return out

    @cached_property
    def titles(self) -> dict[str, str]:
        """Each document's title."""
        return {info.doc_id: info.title for info in self._store.documents()}

    @cached_property
    def doc_meetings(self) -> dict[str, int | None]:
        """The meeting number a document reports on, for documents about one meeting ("Results of the 7th …")."""
        out: dict[str, int | None] = {}
        for r in self.records:
            if r.source == "prose" and r.number is not None:
                out.setdefault(r.doc_id, r.number)
        return out

    @cached_property
    def shared_parts(self) -> frozenset[str]:
        """Name parts used by series of unrelated documents ("Japan" in every bilateral series): they do not
        tell series apart."""
        # A part is one name however spelt: "日本", "日" and "japan" are one country, held by every series
        # that names Japan, whichever spelling each uses.
        holders: dict[str, list[frozenset[str]]] = {}
        for s, names in zip(self.series, self._name_tokens, strict=True):
            keys = {country_code(part) or part for part in set().union(*(parts for _, parts in names))}
            for key in keys | set().union(*(countries_in(n) for n in s.names)):
                holders.setdefault(key, []).append(s.doc_ids)
        shared = {k for k, docs in holders.items() if any(not (a & b) for i, a in enumerate(docs) for b in docs[i + 1:])}
        return frozenset(part for names in self._name_tokens for _, parts in names for part in parts
                         if (country_code(part) or part) in shared)

    @cached_property
    def _words(self) -> dict[int, frozenset[str]]:
        return {id(s): frozenset().union(*(toks for toks, _ in names))
                for s, names in zip(self.series, self._name_tokens, strict=True)}

    @cached_property
    def place_words(self) -> dict[str, frozenset[str]]:
        """The words of every place a record gives (read once per index)."""
        return {r.place: frozenset(tokenize(r.place)) for r in self.records if r.place}

    @cached_property
    def place_countries(self) -> dict[str, frozenset[str]]:
        """The countries every place a record gives names."""
        return {p: countries_in(p) for p in self.place_words}

    def words(self, series: Series) -> frozenset[str]:
        """Every word of the series' names (read once per index)."""
        return self._words[id(series)]

    def name_parts(self, series: Series) -> set[str]:
        """The words that name this series and not others ("ベトナム", "mongolia")."""
        i = self.series.index(series)
        return {t for _, parts in self._name_tokens[i] for t in parts} - self.shared_parts

    @cached_property
    def countries(self) -> frozenset[str]:
        """Every country the documents name, however written (ISO codes)."""
        out: set[str] = set()
        for info in self._store.documents():
            doc = self._store.document(info.doc_id)
            if doc is not None:
                out |= countries_in(doc.text)
        for n in self.names:
            out |= countries_in(n)
        return frozenset(out)

    def _has_word(self, token: str) -> bool:
        """Whether the index holds a word, an English plural or possessive as its singular ("Meetings'")."""
        t = token.strip("'’")
        return self.has_token(t) or (t.endswith("s") and self.has_token(t[:-1]))

    def known(self, name: str, words: tuple[str, ...]) -> bool:
        """Whether the documents hold a name: a country they name however written ("UK" for 英国), a word of
        theirs, a stored name or its translation, or a name heard in one of theirs; `words` are the name's
        words, read with the question."""
        code = country_code(name)
        if code is not None:
            return code in self.countries
        if equivalence(name) is not None:
            return True  # "online", "web": words of one meaning, not names
        toks = [t for t in words if not t.isdigit()]
        if toks and all(self._has_word(t) for t in toks):
            return True
        low = name.casefold()
        if any(low == v.casefold() for v in self.glossary.values()):
            return True
        if is_japanese(name):
            if any(name in n or n in name for n in self.names):
                return True
            if re.fullmatch(r"[\u4e00-\u9fff]{1,2}", name) and not self.has_token(name):
                return True  # a short kanji word Sudachi calls a place ("河口") is too often a common noun to refuse on
            # A katakana name the documents write in Latin ("アントファガスタ", "Antofagasta").
            return any(heard(name, n) for n in self.names if not is_japanese(n) and len(n) <= 40)
        if any(heard(n, name) for n in self.names if is_japanese(n) and len(n) <= 20):
            return True
        # A name in the documents' titles ("瀬戸内国際環境協力センター" for "Setouchi").
        return any(heard(part, name) for t in self.titles.values()
                   for part in re.findall(r"[\u4e00-\u9fff\u30a1-\u30fa\u30fc]{2,}", t))

    def unknown_names(self, question: Question) -> list[str]:
        """Names in the question (countries, places, people) that no document holds in any form."""
        out = []
        asked = nfkc(question.text)
        for e in question.entities:
            if e.text not in asked:
                continue  # a name only the translation holds is the translation's, not the asker's
            if e.kind not in ("country", "place", "person", "name") or len(e.text) < 2:
                continue
            if roles_in(e.text):
                continue  # "Director-General of MOE": an office, said in any words, is no name to find
            if not self.known(e.text, question.tokens_of(e)):
                out.append(e.text)
        # Codes with a number ("COP29", "G20") name one thing each: one the index lacks is not covered.
        # (No \b: Japanese letters are word characters, so "COP29について" has no boundary after 29.)
        # A fiscal year ("FY2023") is a date, not a code.
        for code in re.findall(r"(?<![A-Za-z0-9])(?:[A-Za-z]{2,}|[A-Z])-?\d+(?![A-Za-z0-9])", asked):
            if re.fullmatch(r"FY-?\d{2,4}", code, re.I):
                continue
            letters, digits = re.match(r"([A-Za-z]+)-?(\d+)", code).groups()
            if letters.islower() and (letters in NOT_CONTENT or 1900 <= int(digits) <= 2099):
                continue  # "net-zero-by-2050", "post-2020": a year in a compound word, no code
            if (alias := re.match(r"[A-Za-z]+", code)) and self.series_alias(alias.group(0)):
                continue  # "TWF4": a meeting of a series the documents call TWF (records decide whether they list it)
            if not self.has_token(code.lower().replace("-", "")) and not self.has_token(code.lower()):
                out.append(code)
        return out


def _group(records: Iterable[Record], subjects: dict[str, Subject],
           glossary: dict[tuple[str, str], str]) -> list[Series]:
    """Records grouped by series; one series across documents and languages when their names agree,
    whatever order the documents are read in (groups that a later name links are merged)."""
    groups: list[tuple[list[str], list[Record]]] = []
    for r in records:
        names = [r.series]
        for lang in ("en", "ja"):
            if (r.series, lang) in glossary:
                names.append(glossary[(r.series, lang)])
        subj = subjects.get(r.doc_id)
        if subj is not None and any(same_series(r.series, n) for n in subj.names()):
            names.extend(subj.names())
        joined = [i for i, g in enumerate(groups) if any(same_series(a, b) for a in names for b in g[0])]
        if not joined:
            groups.append((list(dict.fromkeys(names)), [r]))
            continue
        # The first group keeps its place and name; the others this record links to join it.
        first_names, first_records = groups[joined[0]]
        for i in joined[1:]:
            first_names.extend(n for n in groups[i][0] if n not in first_names)
            first_records.extend(groups[i][1])
        first_names.extend(n for n in names if n not in first_names)
        first_records.append(r)
        groups = [g for i, g in enumerate(groups) if i not in joined[1:]]
    return [Series(names[0], tuple(names), tuple(sorted(recs, key=record_key))) for names, recs in groups]
