"""Questions about records answered by code: the series a question names, the records meeting its
conditions (meeting number, year, place, topic), ordered by date, counted, picked (first, latest).

The 1.5B model cannot be trusted to compare dates or count rows (DESIGN.md); this module does both and
hands on records, never prose.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ingest.cleaner import fold, nfkc
from ingest.dates import DateValue
from ingest.names import countries_in, equivalence, same_place, series_kind, sounds_alike
from ingest.schema import Record
from ingest.tokenizer import tokenize
from rag.read.question import TOTAL, Question
from rag.read.vocabulary import HOLDING_WORDS, NUMBER_WORDS, PLACE_KIND_WORDS, QUESTION_WORDS
from rag.series.catalog import Catalog, Series, SeriesMatch, record_key

Kind = Literal["named", "first", "latest", "count", "list", "year", "same_year", "series", "missing"]

# What meetings do: asking the first or latest of these is asking about the records.
_MEETING_RELATIONS = frozenset({"hold", "start", "discuss", "agree", "support", "target", "attend"})
_ROW_GENERIC_SHARE = 0.6  # a word in more of the series' records than this does not pick records out
_SAME_YEAR = re.compile(r"(?:1|一)年に\s*(\d+|二|2)\s*回|同じ年に|同年に|twice in (?:one|a|the same) year"
                        r"|(?:two|2) (?:meetings|dialogues|sessions) in (?:one|a|the same) year|in the same year"
                        r"|\bwhich year\b.*\b(?:twice|two times)\b", re.I)


@dataclass
class Conditions:
    """What the question asks of the records besides its series."""

    number: int | None = None
    years: tuple[int, ...] = ()
    places: list[str] = field(default_factory=list)  # the question's place names (as asked)
    topic: list[str] = field(default_factory=list)  # index words the records must mention
    topic_phrase: str = ""  # how the question words the topic (for the answer sentence)
    same_year: int | None = None  # "1年に2回": years with this many meetings
    until: DateValue | None = None  # "as of 2022", "2021年1月までに": held up to this date
    since: DateValue | None = None  # "since 2014": held from this date
    fiscal: tuple[int, ...] = ()  # those of `years` asked as fiscal years ("令和4年度": April 2022 to March 2023)

    @property
    def narrowed(self) -> bool:
        """Whether any condition besides the series picks records out."""
        return bool(self.years or self.places or self.topic or self.until or self.since)


@dataclass
class SeriesFinding:
    """What code found in one series."""

    series: Series
    matching: list[Record]  # records meeting the conditions, in date order
    picked: list[Record]  # what the answer is about
    numbered_total: int = 0  # numbered meetings matching (for counts)
    max_number: int | None = None
    same_year: list[int] = field(default_factory=list)


@dataclass
class RecordFinding:
    """Records the question is about, per named series, and how the question wants them."""

    kind: Kind
    findings: list[SeriesFinding]
    conditions: Conditions
    missing_number: int | None = None
    last_listed: Record | None = None

    @property
    def records(self) -> list[Record]:
        """Every picked record, series by series."""
        return [r for f in self.findings for r in f.picked]


def _record_tokens(r: Record) -> set[str]:
    text = " ".join([r.summary or "", *(f.value for f in r.fields[1:]), *(n.value for n in r.notes)])
    return set(tokenize(text))


def summary_answers(r: Record, topic: Sequence[str]) -> bool:
    """Whether a record's summary speaks of what the question asks about it: every summary when the question
    names no topic ("what was discussed at the 4th?"); else one holding at least half of the topic's words
    ("what was agreed on air pollution" is not answered by a summary that never says 大気汚染)."""
    if not r.summary:
        return False
    if not topic:
        return True
    own = set(tokenize(r.summary))
    return sum(t in own for t in topic) * 2 >= len(topic)


def _place_matches(record_place: str | None, asked: str, catalog: Catalog) -> bool:
    return same_place(record_place, asked, catalog.english(record_place))


# What is done at a meeting: asked of "the dialogue in Cancún", it is asked of the one meeting held there.
_AT_A_MEETING = _MEETING_RELATIONS | {"chair", "cochair", "lead", "speak", "adopt", "announce"}


def meeting_at(question: Question, matches: Sequence[SeriesMatch], catalog: Catalog) -> int | None:
    """The number of the one meeting a question names by its venue and not its number ("who chaired the dialogue
    in Cancún"): a value told of another meeting of the series does not answer it."""
    if question.number is not None or not matches or not question.relations <= _AT_A_MEETING or (
            question.order or question.count or question.listing or question.compare):
        return None
    series = [matches[0].series]
    places = _question_places(question, series, catalog)
    numbers = {r.number for r in series[0].held() if r.number is not None and r.place
               and any(_place_matches(r.place, p, catalog) for p in places)}
    return numbers.pop() if len(numbers) == 1 else None


def _question_places(question: Question, series: Sequence[Series], catalog: Catalog) -> list[str]:
    """Names in the question that are places some record of the series was held in (a country, in the
    places that lie in it; "online" in "ウェブ開催"), but not the series' own parties ("Thailand" of a
    Japan–Thailand dialogue)."""
    places = sorted({r.place for s in series for r in s.records if r.place})  # sorted: the same answer every run
    parties = {c for s in series for n in s.names for c in countries_in(n)}
    out = []
    text = nfkc(question.text)
    modes = question.modes  # the ways of meeting it names ("online"), not one it leaves out
    for e in question.entities:
        named = question.countries_of(e)
        # A party of the series names it ("Japan–Thailand …"), unless the question says it hosted ("held in Japan").
        joined = bool(re.match(r"\s*[–\-・]", text[e.end:e.end + 2])) or bool(re.search(r"[–\-・]\s*$", text[:e.start]))
        # "in the Peru talks": the name modifies the kind of event after it, so it names the series, no venue.
        after = re.match(r"\s*([A-Za-z]+)", text[e.end:e.end + 24])
        joined = joined or bool(after and series_kind(after.group(1)) is not None)
        hosted = not joined and (re.search(r"\b(?:in|at|by)\s+(?:the\s+)?$", text[max(0, e.start - 12):e.start]) or
                                 re.match(r"\s*(?:国内)?\s*(?:で|において|にて)", text[e.end:e.end + 6]))
        if named and named <= parties and not hosted:
            continue
        if any(_place_matches(p, e.text, catalog) for p in places):
            out.append(e.text)
    for group in modes:
        said = [p for p in places if equivalence(p) == group]
        if said and not any(_place_matches(p, o, catalog) for p in said for o in out):
            out.append(said[0])
    # Place words Sudachi does not tag ("オンライン", "ウェブ"): a record place named verbatim, or its
    # distinctive word ("ウェブ" of "ウェブ開催").
    q_tokens = question.words
    series_words = {t for s in series for t in catalog.words(s)}
    for p in places:
        named = catalog.place_countries[p]
        if named and named <= parties and not equivalence(p):
            continue  # "シンガポール" of a Japan–Singapore dialogue names the series, not a place condition
        if (mode := equivalence(p)) is not None and mode not in modes:
            continue  # "ハイブリッド(…オンライン)" holds the word "online" but is another way of meeting
        # (a word of two letters or more: "国" of "アラブ首長国連邦" and "共和国" is no shared name)
        words = {t for t in catalog.place_words[p] if t not in QUESTION_WORDS and len(t) >= 2} - series_words
        hit = any(len(p) >= 2 and fold(p) in fold(text) and not catalog.place_words[p] <= series_words
                  for text in question.renderings) or (words & q_tokens)
        if hit and p not in out and not any(_place_matches(p, o, catalog) for o in out):
            out.append(p)
    return out


def _topic(question: Question, series: Sequence[Series], places: Sequence[str], has_token,
           catalog: Catalog) -> tuple[list[str], str]:
    """Index words of the question that pick some of the series' records out, and the question's own words
    for them (a readable phrase, not a token list)."""
    series_tokens = {t for s in series for t in catalog.words(s)}
    # A word rendered from the same English word as a word of the series names the series too ("the Mongolia
    # talks": 対話 and 会談), not a topic.
    series_tokens |= {t for group in question.synonyms if group & series_tokens for w in group for t in tokenize(w)}
    # A place is a record's (its words read with the catalog) or a name of the question's.
    place_tokens = {t for p in places for t in catalog.place_words.get(p, ())}
    place_tokens |= {t for e, toks in zip(question.entities, question.entity_tokens, strict=True)
                     if e.text in places for t in toks}
    # The words of the countries it names ("シンガポール共和国": 共和, 国) are no topic either.
    place_tokens |= {t for toks, named in zip(question.entity_tokens, question.entity_countries, strict=True)
                     if named for t in toks}
    # The words of the question's dates ("February" of "by the end of February 2023") are no topic.
    place_tokens |= question.date_words
    records = [r for s in series for r in s.records]
    rec_tokens = [_record_tokens(r) for r in records]
    rec_latin = [sum(bool(re.match(r"[a-z]", w)) for w in rt) * 2 > len(rt) for rt in rec_tokens]
    latin_series = [t for t in series_tokens if re.fullmatch(r"[a-z]{3,}", t)]
    terms: list[str] = []
    asks_place = "where" in question.types
    for pairs, tokens in zip(question.joined, question.tokens, strict=True):
        joined = {t for left, right in pairs if set(right) & series_tokens for t in left}
        for t in tokens:
            if (t in QUESTION_WORDS or t in series_tokens or (asks_place and t in PLACE_KIND_WORDS) or t in joined or t in place_tokens or t in terms or t.isdigit()
                    or len(t) < 2  # "国" of "共和国" and of "首長国連邦": a letter, no topic
                    or equivalence(t) is not None  # "オンライン", "ウェブ": a way of meeting, a condition of its own
                    or re.fullmatch(r"\d+(st|nd|rd|th)?", t) or not has_token(t)):
                continue
            if re.fullmatch(r"[\u30a0-\u30ff]{2,}", t) and any(sounds_alike(t, w) for w in latin_series):
                continue  # "ジャパン", the rendering of the series' own "Japan", is no topic
            # A word only English records hold is measured among them: a word of the one English report beside
            # a Japanese table is in all the records that could say it, and picks none out ("JCM" in Japanese
            # rows is measured among all).
            holders = [en for rt, en in zip(rec_tokens, rec_latin, strict=True) if t in rt]
            readable = sum(rec_latin) if holders and all(holders) else len(records)
            share = len(holders) / max(readable, 1)
            if 0 < share <= _ROW_GENERIC_SHARE:
                terms.append(t)
    return terms, _phrase(question, terms)




def _phrase(question: Question, terms: list[str]) -> str:
    """The shortest stretch of the question (in its own language) holding the topic words, if short."""
    if not terms:
        return ""
    text = nfkc(question.text)
    if question.language == "en":
        # English words of the question that are not question words and not in the series name.
        words = list(dict.fromkeys(w for w in re.findall(r"[A-Za-z][A-Za-z0-9\-]*", text) if w.lower() in terms))
        return " and ".join(words) if len(words) <= 2 else ""
    positions = []
    for t in terms:
        i = fold(text).find(fold(t))
        if i >= 0:
            positions.append((i, i + len(t)))
    if not positions:
        return ""
    lo, hi = min(p[0] for p in positions), max(p[1] for p in positions)
    phrase = text[lo:hi].strip("、。・ ")
    asks = re.search(r"いつ|どこ|何|誰|どの|どう|か[?？]|は、", phrase)
    return phrase if len(phrase) <= 15 and not asks else ""


def _matching(records: Sequence[Record], cond: Conditions, catalog: Catalog,
              dense: Callable[[Sequence[Record]], dict[str, float]] | None, unmatched_topic: bool) -> list[Record]:
    out = list(records)
    if cond.years:
        out = [r for r in out if r.date and r.date.in_years(cond.years, cond.fiscal)]
    if cond.until:
        out = [r for r in out if r.date and not _after(r.date, cond.until)]
    if cond.since:
        out = [r for r in out if r.date and not _after(cond.since, r.date)]
    if cond.places:
        out = [r for r in out if any(_place_matches(r.place, p, catalog) for p in cond.places)]
    if cond.topic:
        toks = {r.record_id: _record_tokens(r) for r in out}
        every = [r for r in out if all(t in toks[r.record_id] for t in cond.topic)]
        out = every or [r for r in out if any(t in toks[r.record_id] for t in cond.topic)]
    elif unmatched_topic and dense is not None and out:
        # The topic is in words the index does not share (an English word for a Japanese term): the
        # records the dense model puts closest to the best one.
        scores = dense(out)
        if scores:
            best = max(scores.values())
            out = [r for r in out if scores.get(r.record_id, -1.0) >= best - 0.03]
    return sorted(out, key=record_key)


# "the meeting after the Brno one", "ブルノの次の会合": a meeting next to the one the question describes.
_NEXT = re.compile(r"\b(?:after|following)\s+the\s+[\w\-]+(?:\s+[\w\-]+)?\s+(?:one|meeting|session|dialogue)\b"
                   r"|の次の(?:会合|回|会議|対話)", re.I)
_PREVIOUS = re.compile(r"\bbefore\s+the\s+[\w\-]+(?:\s+[\w\-]+)?\s+(?:one|meeting|session|dialogue)\b"
                       r"|の(?:前|一つ前)の(?:会合|回|会議|対話)", re.I)


def _relative(text: str) -> int:
    """+1 for a meeting asked as the one after another, -1 as the one before, 0 otherwise."""
    return 1 if _NEXT.search(nfkc(text)) else -1 if _PREVIOUS.search(nfkc(text)) else 0


def cut_leaves_out(cond: Conditions, cut_row: Record | None) -> bool:
    """Whether meetings a cut page leaves out may fall in the asked scope: a list runs in time, so the rows
    after the cut come later, and a scope ending by the cut row's date ("2021年1月までに") is whole."""
    if cut_row is None:
        return False
    return not (cond.until and cut_row.date and not _after(cond.until, cut_row.date))


def _after(a: DateValue, b: DateValue) -> bool:
    """Whether date `a` lies after date `b`, compared at the precision both give."""
    for x, y in ((a.year, b.year), (a.month, b.month), (a.day, b.day)):
        if x is None or y is None:
            return False
        if x != y:
            return x > y
    return False


def find_records(question: Question, matches: Sequence[SeriesMatch], catalog: Catalog, has_token,
                 dense: Callable[[Sequence[Record]], dict[str, float]] | None = None,
                 mentioned: Callable[[int, Series], bool] | None = None,
                 alternatives: Callable[[], list[SeriesMatch]] | None = None) -> RecordFinding | None:
    """The records a question is about, or None when it is not a question about records."""
    if not matches or question.asks_time or question.asks_published:
        return None  # (a record holds a meeting's date and place, never its time of day nor a page's date)
    series = [m.series for m in matches]
    if not question.compare and len(series) > 1 and not _names_each(question, matches):
        series = series[:1]
    # A question is about the records when it orders, counts, lists or names meetings, or asks which
    # meeting; "when/where" only when what it asks is the meetings' holding, not another event told in
    # them ("where was the memorandum signed" is answered from text).
    events = question.predicates - HOLDING_WORDS - QUESTION_WORDS
    series_words = {t for s in series for t in catalog.words(s)}
    events -= series_words
    # An English question's verbs are read by relation ("renewed", "signed"): another event than a meeting.
    events |= {f"relation:{r}" for r in question.relations - _MEETING_RELATIONS}
    # (Another event a meeting's summary tells is found in the text too, bound to its own clause there.)
    rels = {e.split(":", 1)[1] for e in events if e.startswith("relation:")}
    # "When did the plant start operating?", "最初に覚書を締結したのは": the first of another event than the
    # meetings (a relation of its own) is no record question; "when did X first come up" is.
    other = question.relations - _MEETING_RELATIONS
    # A named meeting is the records' unless the question asks the date or place of another event told of it
    # ("第6回で採択された声明は何年までに…": the statement's target year, not the meeting's date).
    named_other = question.number is not None and bool(rels) and question.types[0] in ("when", "where") \
        and not question.compare
    # "How many times did the city send staff": a count of another event than the meetings is told in text.
    about_records = ((question.count and not other) or question.listing or (question.number is not None and not named_other)
                     or question.compare or "which" in question.types
                     or (question.order and not other)
                     or (any(t in ("when", "where") for t in question.types) and not events))
    # "What did they agree on in 2018?": what the series' meeting of that year did (its row's summary).
    of_year = bool(question.years) and question.types[0] in ("what", "why_how") and not other \
        and question.number is None and not (question.order or question.count or question.listing or question.compare)
    about_records = about_records or of_year
    if question.asks_target and not question.count:
        about_records = False  # an aim is told in text; a meeting's date is when it was held
    if not about_records or (question.types[0] in ("who", "what", "why_how", "how_many", "yes_no")
                             and not (question.order or question.count or question.listing
                                      or question.number is not None or question.compare or of_year)):
        return None
    places = _question_places(question, series, catalog)
    topic, phrase = _topic(question, series, places, has_token, catalog)
    series_tokens = {t.rstrip("s") for s in series for t in catalog.words(s)}
    # Content words the index lacks (an English topic over Japanese text) when no rendering mapped them.
    unmatched = [] if question.ja else [
        t for t in question.text_tokens
        if t not in QUESTION_WORDS and t.rstrip("s") not in series_tokens and not has_token(t)
        and not TOTAL.fullmatch(t)  # "合計", "altogether": how a count is asked, no topic
        and t not in NUMBER_WORDS and re.fullmatch(r"[a-z]{4,}|[\u4e00-\u9fff]{2,}", t)]
    same = _SAME_YEAR.search(nfkc(question.text))
    cond = Conditions(question.number, question.years, places, topic, phrase,
                      same_year=(2 if same else None), until=question.until, since=question.since,
                      fiscal=question.fiscal_years)
    if question.number is not None and question.types[0] in ("when", "where") and not question.compare and any(
            series_kind(t) is not None for t in topic):
        return None  # "TPEM-6のユースフォーラムはいつ": another event told of the meeting, found in its text
    if question.number is not None:
        findings = []
        for s in series:
            named = [r for r in s.records if r.number == question.number and not r.planned
                     and (not cond.years or (r.date and r.date.in_years(cond.years, cond.fiscal)))]
            named = _most_precise(sorted(named, key=lambda r: {"table": 0, "prose": 1, "mention": 2}[r.source]))
            planned = [r for r in s.records if r.number == question.number and r.planned]
            findings.append(SeriesFinding(s, named or planned, named or planned))
        if not any(f.picked for f in findings) and alternatives is not None:
            # The best-named series lists no such number: another series the question also names may
            # ("the 1st Japan–Indonesia dialogue … in Surabaya" names a city's series as well).
            for alt in alternatives():
                if alt.by <= catalog.shared_parts:
                    continue  # named only by a word every series shares ("Japan"): not named by the question
                named = [r for r in alt.series.records if r.number == question.number and not r.planned]
                if named:
                    findings = [SeriesFinding(alt.series, named[:1], named[:1])]
                    break
        if question.asks_day and question.types[0] == "when" and not any(
                r.date and r.date.day for f in findings for r in f.picked):
            return None  # "何月何日": a record dated by month or year does not say; the text may
        if not any(f.picked for f in findings):
            s = series[0]
            if mentioned is not None and mentioned(question.number, s):
                return None  # the text names that meeting outside any record: prose evidence decides
            numbered = s.numbered()
            return RecordFinding("missing", findings, cond, question.number, numbered[-1] if numbered else None)
        return RecordFinding("named", [f for f in findings if f.picked], cond)
    findings = []
    for s in series:
        held = s.held()
        matching = _matching(held, cond, catalog, dense, bool(unmatched) and not topic)
        numbered = [r for r in matching if r.number is not None]
        f = SeriesFinding(s, matching, [], len({r.number for r in numbered}),
                          max((r.number for r in numbered), default=None))
        if cond.same_year:
            years = Counter(r.date.year for r in numbered if r.date and r.date.year)
            f.same_year = sorted(y for y, c in years.items() if c >= cond.same_year)
            f.picked = [r for r in numbered if r.date and r.date.year in f.same_year]
        elif question.count or question.listing:
            f.picked = numbered if question.count and numbered else matching
        elif (step := _relative(question.text)) and cond.narrowed:
            # "the forum after the Brno one": the meeting next to the one the conditions name, not that one
            named = [r for r in matching if r.number is not None]
            want = named[0].number + step if len(named) == 1 else None
            f.picked = [r for r in s.records if want is not None and r.number == want][:1]
        elif question.order == "first" or (question.compare and not question.years):
            f.picked = matching[:1]
        elif question.order == "latest":
            f.picked = matching[-1:]
        elif cond.narrowed:
            f.picked = matching
        findings.append(f)
    if not any(f.picked for f in findings):
        if question.count and cond.narrowed and not any(f.matching for f in findings):
            return RecordFinding("count", findings, cond)  # none matches the conditions: a count of 0
        return None
    if not any(r.date or r.number is not None for f in findings for r in f.picked):
        return None  # no meeting with a date or a number: a page's own event, answered from its text
    if of_year:
        # One numbered meeting that year answers as itself; several, or none numbered, leave it to the text.
        picked = [r for f in findings for r in f.picked]
        if len(picked) != 1 or picked[0].number is None:
            return None
        named = dataclasses.replace(cond, years=(), number=picked[0].number)
        return RecordFinding("named", [f for f in findings if f.picked], named)
    if _relative(question.text) and not (question.count or question.listing) and cond.narrowed:
        # The meeting next to the described one is named by its number: its record answers as itself.
        picked = [r for f in findings for r in f.picked]
        if len(picked) == 1 and picked[0].number is not None:
            named = dataclasses.replace(cond, places=[], topic=[], topic_phrase="", years=(), number=picked[0].number)
            return RecordFinding("named", [f for f in findings if f.picked], named)
    if cond.same_year:
        kind: Kind = "same_year"
    elif question.count:
        kind = "count"
    elif question.listing:
        kind = "list"
    elif question.order in ("first", "latest") and not question.compare:
        kind = question.order
    elif question.compare:
        kind = "first" if not question.years else "year"
    else:
        kind = "year" if cond.years else "list"
    return RecordFinding(kind, findings, cond)


def _most_precise(records: Sequence[Record]) -> list[Record]:
    """The first record of a meeting, or another of the same meeting that dates it more precisely (the table's
    "2024年10月", the report's "October 22, 2024"), so the answer gives the day the documents give."""
    if not records:
        return []
    best = records[0]
    finer = [r for r in records[1:] if r.date and best.date and r.date.matches(best.date)
             and r.date.precision > best.date.precision and (r.place or not best.place)]
    return [max(finer, key=lambda r: r.date.precision) if finer else best]


def _names_each(question: Question, matches: Sequence[SeriesMatch]) -> bool:
    """Whether the question names two series on purpose ("A and B", "それぞれ") rather than one loosely."""
    return len(matches) > 1 and bool(re.search(r"\band\b|と|及び|それぞれ|\bboth\b|\beach\b", question.text))
