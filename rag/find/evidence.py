"""Evidence for a question, found by code: retrieved passages (hybrid, on every rendering of the
question), the records it is about (rag.series.records), typed candidates of the asked kinds (rag.values.candidates),
and the reason to abstain when the documents hold nothing of the asked kind.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.cleaner import nfkc
from ingest.gazetteer import place_ids
from ingest.names import country_code, named_in, same_name, series_kind
from ingest.tokenizer import named_entities, tokenize
from rag.find.passages import to_passage
from rag.find.retriever import HybridRetriever
from rag.read.question import Question
from rag.read.vocabulary import QUESTION_WORDS
from rag.series.catalog import Catalog, Series, SeriesMatch
from rag.series.records import RecordFinding, find_records, meeting_at
from rag.types import Passage
from rag.values.binding import Binder
from rag.values.candidates import Candidate, extract, rarity, score
from shiori.settings import Settings

# The asked type → the candidate kinds that answer it.
KINDS = {"when": ("time", "date"), "where": ("place", "org"), "who": ("person", "org"), "how_many": ("quantity",)}
# A "what" question naming a labelled value ("the phone number", "the language") is answered by that value.
VALUE_KINDS = ("field", "phone")


def kinds_for(part: str, q: Question) -> tuple[str, ...] | None:
    """The candidate kinds that answer one asked part: a "who" asks for a person unless it names a body."""
    if part == "who":
        return ("org",) if q.asks_org else ("person",)
    if part == "where" and q.asks_org:
        return ("org", "place")
    return KINDS.get(part)


@dataclass
class Evidence:
    """Everything code found for one question; the answer is made from this alone."""

    question: Question
    retrieved: list[Passage] = field(default_factory=list)
    series: list[SeriesMatch] = field(default_factory=list)
    records: RecordFinding | None = None
    candidates: list[Candidate] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # names in the question no document holds
    relevant: bool = True
    coverage: float = 1.0  # share of the question's own words the documents hold (see `coverage`)
    scope: set[str] = field(default_factory=set)  # a named meeting's own chunks: its record and its reports
    timings: dict[str, float] = field(default_factory=dict)

    def of_kind(self, *kinds: str, bound: bool | None = None) -> list[Candidate]:
        """Candidates of these kinds, best first (only those that answer the question, with `bound`)."""
        return [c for c in self.candidates if c.kind in kinds and (bound is None or c.bound == bound)]


def coverage(q: Question, has_token) -> float:
    """Share of the question's content words the documents hold, as a word of theirs or (English) through
    its Japanese rendering: "write a poem about cats" holds almost none, whatever a quote's similarity."""
    if q.language == "ja":
        # Words all in hiragana are grammar (ある, いる), not what is asked about; one kanji is a word (猫).
        words = [t for t in dict.fromkeys(q.text_tokens) if t not in QUESTION_WORDS and not t.isdigit()
                 and (len(t) > 1 or re.fullmatch(r"[\u3400-\u9fff]", t))
                 and not re.fullmatch(r"[\u3040-\u309f]+", t)]
        held = [w for w in words if has_token(w)]
    else:
        # Acronyms ("TEMM", "JCM") are content too: the strongest, when a document holds them.
        words = [w for w, _ in q.content_words]
        rendered = {w.casefold() for w in q.rendered}
        held = [w for w, toks in q.content_words if w.casefold() in rendered
                or (toks and all(has_token(t) for t in toks))]
    return len(held) / len(words) if words else 1.0


class EvidenceFinder:
    """Produces `Evidence` for questions over one index."""

    def __init__(self, settings: Settings, retriever: HybridRetriever, catalog: Catalog) -> None:
        self.settings = settings
        self.retriever = retriever
        self.store = retriever.store
        self.sparse = retriever.sparse
        self.catalog = catalog

    def has_token(self, token: str) -> bool:
        """Whether the index holds a word."""
        return self.sparse is not None and self.sparse.has_token(token)

    def weight(self, token: str) -> float:
        """Rare index words weigh most; words the index lacks weigh a little (they may be English)."""
        if self.sparse is None or not self.sparse.has_token(token):
            return 0.2
        return rarity(self.sparse.doc_freq(token))

    # --- retrieval

    def retrieve(self, q: Question, k: int) -> list[Passage]:
        """Hybrid retrieval on every rendering of the question, fused by reciprocal rank."""
        return self.retriever.retrieve_all(list(zip(q.renderings, q.tokens, strict=True)), k)

    def doc_texts(self, passages: Sequence[Passage]) -> dict[str, str]:
        """doc_id -> original text, for the documents of these passages."""
        out = {}
        for p in passages:
            if p.doc_id not in out and (d := self.store.document(p.doc_id)) is not None:
                out[p.doc_id] = d.text
        return out

    def relevant(self, passages: Sequence[Passage]) -> bool:
        """Something relevant was found: a dense match above the floor, or a keyword match near it."""
        dense = max((p.dense_score or 0.0 for p in passages), default=0.0)
        keyword = any((p.bm25_score or 0.0) > 0 for p in passages)
        floor = self.settings.min_dense_score
        return dense >= floor or (keyword and dense >= floor - 0.1)

    # --- records

    def _dense_of_records(self, q: Question):
        def scores(records) -> dict[str, float]:
            ids = [r.chunk_id for r in records if r.chunk_id]
            if not ids:
                return {}
            by_chunk = self.retriever.dense_scores(self.retriever.embed(q.text), ids)
            return {r.record_id: by_chunk.get(r.chunk_id, -1.0) for r in records if r.chunk_id}
        return scores

    def _mentioned(self, number: int, series: Series) -> bool:
        """Whether any document's text names meeting `number` of the series outside its records."""
        words = self.catalog.name_parts(series)
        pattern = re.compile(rf"第\s*{number}\s*回|\b{number}(?:st|nd|rd|th)\b")
        for c in self.store.chunks():
            text = nfkc(c.text)
            for m in pattern.finditer(text):
                near = set(tokenize(text[m.end():m.end() + 40]))
                if near & words and not any(r.number == number and r.doc_id == c.doc_id for r in series.records):
                    return True
        return False

    # --- the whole

    def find(self, q: Question) -> Evidence:
        """Evidence for a question (retrieval, records, candidates)."""
        timings: dict[str, float] = {}
        t = time.perf_counter()
        ev = Evidence(q)
        ev.unknown = [n for n in self.catalog.unknown_names(q) if not self._named_by_series(n)]
        ev.series = self.catalog.match_series(q)
        k = self.settings.retrieve_k
        ev.retrieved = self.retrieve(q, k * 2)
        timings["retrieve"] = time.perf_counter() - t
        ev.relevant = self.relevant(ev.retrieved)
        ev.coverage = coverage(q, self.has_token)
        t = time.perf_counter()
        ev.records = find_records(q, ev.series, self.catalog, self.has_token, self._dense_of_records(q),
                                  self._mentioned, lambda: self.catalog.match_series(q, keep_all=True))
        timings["records"] = time.perf_counter() - t
        t = time.perf_counter()
        passages = ev.retrieved[: k + 2]
        if ev.records is not None and ev.records.kind == "named":
            # A named meeting: its own record comes first, whatever retrieval ranked, then the text of the
            # documents that report on it ("Results of the 7th …").
            # (every record of that meeting: the table row beside the report that dates it more precisely)
            picked = ev.records.records
            numbers = {r.number for r in picked if r.number is not None}
            same = [r for f in ev.records.findings for r in f.series.records
                    if r.number in numbers and not r.planned and r not in picked]
            own = [p for p in (self._record_passage(r) for r in [*picked, *same]) if p]
            own += self.report_passages(q.number, {p.chunk_id for p in own})
            ev.scope = {p.chunk_id for p in own}
            passages = own + [p for p in passages if p.chunk_id not in ev.scope]
        texts = self.doc_texts(passages)
        cands = extract(q, passages, texts)
        about = self._about(q)
        cands = [c for c in cands if c.kind == "sentence" or about_ok(c, about, texts.get(c.doc_id))]
        # "The dialogue in Cancún" names one meeting as surely as "the 3rd": values are bound to that meeting.
        named = meeting_at(q, ev.series, self.catalog) if ev.records is None else None
        if ev.records is not None and ev.records.kind in ("first", "latest") and len(ev.records.records) == 1:
            # "Who chaired the very first X?": the first meeting is one numbered meeting, and a person or a
            # number is that meeting's only where its clause is (not the next block's chair on the same page).
            named = ev.records.records[0].number
        elif named is None and ev.records is None and q.order == "first" and ev.series and self._names_meetings(q) \
                and set(q.types) <= {"who", "how_many"} and not (
                    q.years or q.since or q.until or any(e.kind == "place" for e in q.entities)):
            # A series no table lists: who chaired or how many came to its very first meeting are its 1st's ("JWAEM1"
            # heading its block). (Its date is no such value: "held since 2014" claims a start, not a 1st's date.)
            named = 1
        binder = Binder(q if named is None else dataclasses.replace(q, number=named), texts, self.catalog.doc_meetings,
                        self.catalog.titles, subjects(q, about),
                        [n for m in ev.series for n in m.series.names])
        ev.candidates = [dataclasses.replace(c, missing=binder.bind(c).missing)
                         for c in score(cands, q, self.weight, about)]
        timings["candidates"] = time.perf_counter() - t
        ev.timings = timings
        return ev

    def _names_meetings(self, q: Question) -> bool:
        """Whether a question names meetings, by a kind of event or a series' acronym ("the first JWAEM"), not
        only something of the parties' ("the memorandum was first signed")."""
        text = nfkc(q.text)
        return series_kind(text) is not None or any(
            self.catalog.series_alias(a) for a in re.findall(r"(?<![A-Za-z])[A-Z]{2,8}(?![A-Za-z])", text))

    def report_passages(self, number: int | None, skip: set[str]) -> list[Passage]:
        """The chunks of the documents that report on meeting `number` of the question's series."""
        docs = [d for d, n in self.catalog.doc_meetings.items() if n is not None and n == number]
        return [to_passage(c, 0.9) for d in docs for c in self.store.chunks(d) if c.chunk_id not in skip]

    def _record_passage(self, r) -> Passage | None:
        c = self.store.chunk(r.chunk_id) if r.chunk_id else None
        return to_passage(c, 1.0) if c else None

    def _named_by_series(self, name: str) -> bool:
        return any(same_name(name, n) for s in self.catalog.series for n in s.names)

    def _about(self, q: Question) -> list[str]:
        """The names a question is about (places, organisations, people), not its series."""
        series_words = {t for m in self.catalog.match_series(q) for t in self.catalog.words(m.series)}
        out = []
        asked = nfkc(q.text)
        for e in q.entities:
            if e.text not in asked:
                continue  # a name only the rendering holds is the rendering's guess, not the asker's
            if q.claim and e.kind == "person":
                continue  # the person a claim names is the value it asserts, compared with the others; not its subject
            if e.kind in ("place", "name", "person") and not set(q.tokens_of(e)) <= series_words:
                out.append(e.text)
        return out

def subjects(q: Question, about: Sequence[str]) -> list[str]:
    """The names a value's document must name: those the question is about, and the places it names that also
    name its series (the partner city of a city-to-city page): a page about another city does not answer."""
    asked = nfkc(q.text)
    places = [e.text for e in q.entities if e.kind == "place" and e.text in asked and e.text not in about]
    # "the Kitakyushu–Surabaya memorandum": each one-word name of a pair joined by a dash (no country: parties
    # are checked as countries); a page naming only one of them is about another pair. Only a place the gazetteer
    # knows, whose Japanese name a page can be checked for (an unknown "Minatono" may be written みなと野).
    parts = [p for e in q.entities if e.kind in ("place", "name") and e.text in asked
             for p in re.split(r"\s*[–\-・]\s*", e.text) if p != e.text and re.fullmatch(r"[A-Z][a-z]{3,}", p)
             and not country_code(p) and place_ids(p) and p not in about and p not in places]
    return [*about, *places, *dict.fromkeys(parts)]


def about_ok(c: Candidate, about: Sequence[str], doc_text: str | None = None) -> bool:
    """A value stated about another named thing than the question's is not an answer to it
    (the province's population is not the city's). The paragraph before the value counts: "両市は…"
    refers back to the cities named a sentence earlier."""
    if not about:
        return True
    if c.kind == "phone":  # a page's contact block is the whole page's, whatever section it ends
        return any(named_in(a, f"{c.passage.title}\n{doc_text or c.context}") for a in about)
    heading = " ".join(x for x in (c.passage.section or "", c.label or "") if x)
    paragraph = _paragraph_before(doc_text, c.ctx_start) if doc_text else ""
    subject_text = f"{heading} {paragraph} {c.context}"
    if any(named_in(a, subject_text) for a in about):
        return True
    others = [e for e in named_entities(heading) if e.kind in ("place", "name", "country")]
    return not others


def _paragraph_before(text: str, at: int, limit: int = 600) -> str:
    """The text of the paragraph (up to a blank line) before an offset, at most `limit` characters."""
    head = text[max(0, at - limit):at]
    return re.split(r"\n\s*\n", head)[-1]
