"""Whether a value found in the documents answers the question that was asked, judged by code from where the
value stands: a value of the asked *type* answers nothing unless its clause (or its label, or the person's
own title) states the asked relation (signed, renewed, chaired, contributed …), for the asked party ("Japan's",
"the Indonesian side"), of the asked meeting, in the asked years, as an event or as a target as asked.

A wrong answer costs more than none: what does not bind is not said as the answer (rag.answer says what the
documents give instead, marked as not the answer).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ingest.cleaner import nfkc
from ingest.dates import HEAD, date_lines, find_dates
from ingest.fields import label_role
from ingest.names import (
    HOME_COUNTRY,
    NOT_NAMES_JA,
    TITLES_JA,
    affiliation,
    countries_in,
    country_code,
    equivalents_in,
    heard,
    is_japanese,
    mentions,
    same_name,
    series_kind,
    series_kinds_in,
    short_forms_of,
    side_event_kinds,
)
from ingest.tense import STILL_TO_COME
from ingest.tokenizer import last_word, named_entities, noun_runs, nouns, titled_names, tokenize
from rag.check.support import split_sentences
from rag.read.question import Question
from rag.read.relations import ACTS, HAPPENED, RELATIONS, relations_in, roles_in
from rag.read.vocabulary import (
    ANAPHORS,
    AS_OF_AFTER,
    AS_OF_BEFORE,
    AT_PLACE_JA,
    COUNTED_PEOPLE,
    CURRENCY,
    CURRENCY_CODE,
    CURRENT_BEFORE,
    LEFT_OUT,
    MONEY_ASKED,
    NEXT,
    OVER_YEARS,
    PARTY,
    PER_YEAR,
    TAKEN_IN_OR_OUT,
    UP_TO,
    page_date_label,
)
from rag.values.candidates import HONORIFIC, Candidate

# Relations said of almost anything in these documents ("held", "agreed", "cooperation"): one of them is
# enough when a question asks nothing more specific.
_WEAK = frozenset({"hold", "agree", "discuss", "support", "target"})
_DEGREE_ASKED = re.compile(r"\bby how much\b", re.I)
_SHARE_ASKED = re.compile(r"\b(?:what|which) (?:share|percentage|proportion|percent)\b|\bby (?:what|how much) percent|何割|何%|何％|割合", re.I)
_FAX = re.compile(r"fax|ファックス|ファクス|ファクシミリ", re.I)
_SHARE = re.compile(r"%|％|割|percent|per cent", re.I)
_TOTAL = re.compile(r"合計|総額|総計|総事業費|累計|通算|延べ|(?<![設統会推余])計(?![画算測])|\b(?:total|in all|altogether|combined|cumulative(?:ly)?)\b", re.I)
# "2050年までに", "2030年を目指", "by 2030", "target year 2040": an aim. "2013年7月まで" (until) ends a span that
# happened, unless its clause speaks of an aim.
_TARGET_NEAR = re.compile(r"^\s*(?:年度?)?\s*(?:末)?\s*(?:までに|を目指|を目標|目標|の目標|頃|ごろ)"
                          r"|^[^。.、]{0,12}(?:目指|目標|予定|見込)|^[^。.、]{0,20}に向け", re.I)
_UNTIL_NEAR = re.compile(r"^\s*(?:[(（][^)）]{0,8}[)）])?\s*(?:年度?)?\s*(?:末)?\s*まで(?!に)")
_TARGET_BEFORE = re.compile(r"\b(?:by|toward|towards|no later than|target(?:ed)? (?:for|of|year)?|aim(?:s|ing)? (?:for|at)?"
                            r"|goal of)\s+(?:the\s+(?:end\s+of\s+)?(?:year\s+)?)?$", re.I)
_END_BEFORE = re.compile(r"\b(?:until|till|through|to|ending|ends?|expir\w*|valid\s+(?:until|through|to))\s+"
                         r"(?:the\s+end\s+of\s+)?(?:(?:the\s+)?(?:fiscal\s+|calendar\s+)?year\s+)?$", re.I)
_ENDED = r"満了|満期|終了|期限|\b(?:expir\w*|ended|ends)\b"  # words saying something ended
# A term said to end ("…まで議長を務めた", "valid until"): a person's or body's clause.
_END_CLAUSE = re.compile(rf"{_ENDED}|有効期間|まで(?!に)|\b(?:until|valid)\b", re.I)
# A date's own clause saying something ended then ("2021年3月に失効", "expired on 31 March"); "有効期間" or "まで"
# elsewhere in its sentence is said of another date ("2018年7月に締結した覚書の有効期間は…まで").
_ENDED_CLAUSE = re.compile(rf"{_ENDED}|失効", re.I)
_TARGET_CLAUSE = re.compile(r"目標|目指|めざ|予定|見込|計画|\b(?:aims?|aiming|targets?|goals?|plans?|planned|expected|will)\b", re.I)
# A figure up to a date ("2024年末までの", "2024年3月現在", "as of 2024", "to date").
_ORDINAL = re.compile(r"第\s*(\d+)\s*回|(?<!\d)(\d+)(?:st|nd|rd|th)\b|[A-Z]{2,}\s?(\d+)(?!\d)")
# A meeting's ordinal as written: not a code (COP26, CO2), not a day ("the 15th of March", "March 15th").
_SPELT_ORDINAL = re.compile(r"第\s*\d+\s*回|(?<!\d)\d+(?:st|nd|rd|th)\s+(?:[A-Z]|(?:meeting|session|round|forum|dialogue)\b)")
# A meeting a clause names as a meeting: "第9回", "the 9th Forum", "NACM-9" (a code hyphened to its number).
_OWN_MEETING = re.compile(r"第\s*(\d+)\s*回|(?<!\d)(\d+)(?:st|nd|rd|th)\s+(?:[A-Z]|(?:meeting|session|forum|"
                          r"conference|dialogue|workshop)\b)|\b[A-Z]{2,}[\-‐–](\d+)(?!\d)")
_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}|\d{1,2}\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])|午前|午後|\d{1,2}\s*時", re.I)
_CITY = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff]{1,8}?(?:市|県|町|村|区)(?![\u4e00-\u9fff])")
_PLACE_SIDE = re.compile(r"(?:市|県|町|村|区|州)$|\b(?:city|prefecture|town|village|province|state)$", re.I)
_FIRST_CITY = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff]{1,8}?(?:市|県|町|村|区)(?=は|が)")
# A person's name in kanji: a surname and a given name, spaced, or three characters or more; no word of a body
# or a party ("両国の代表" names no one).
_KANJI_NAME = re.compile(r"(?![^\s]*[国省庁局側県市町村府都道])(?:[\u4e00-\u9fff々]{1,4}[ \u3000][\u4e00-\u9fff々]{1,3}"
                         r"|[\u4e00-\u9fff々]{2,6})")
_KANJI_COUNTRIES = frozenset({"CN", "KR", "KP", "TW", "HK", "MO"})  # where people's names are written in kanji
# Words pointing back to what the sentence before named ("このうち", "同センター", "it", "these").
_ANAPHOR = re.compile(rf"(?:{'|'.join(ANAPHORS['ja'])})|\b(?:{'|'.join(ANAPHORS['en'])})\b", re.I)
_TWO_THINGS = re.compile(r"[^\s]と[^\s]|及び|および|並びに|、|,|\band\b|&")  # a heading joining two things
# A thing named in more than this share of a document's sentences is what the page is about, not one thing of it.
_BACKGROUND = 0.25
_BROADER = {"cochair": "chair", "open": "start"}  # relations whose words are also the broader one's (rag/data/relations.json)
_PIECE_BREAK = re.compile(r"[、;；。（()）]|,(?!\d)")  # (not the comma inside "3億2,000万")
_CLAUSE_BREAK = re.compile(r"[。；;]|(?<=[、,])\s*(?=[^、,]{0,40}(?:また|さらに|一方|and then|while))")


@dataclass(frozen=True)
class Binding:
    """What a candidate's surroundings do not state of what was asked (empty: it answers the question)."""

    missing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """The value answers the question."""
        return not self.missing


def is_target(c: Candidate, text: str) -> bool:
    """Whether a date is an aim ("2050年までに", "by 2030", "目標年 2040") rather than when something happened;
    `text` is the document the candidate's offsets index."""
    after = nfkc(text[c.end:c.end + 24])
    before = nfkc(text[max(c.ctx_start, c.start - 30):c.start])
    label = nfkc(c.label or "")
    if c.date is not None and c.date.until is not None and re.match(r"\s*末?\s*まで(?!に[^。]{0,12}(?:目標|目指))", after):
        return False  # "平成26年度から令和6年度末までに…受け入れました": a span that happened, not an aim
    if _TARGET_NEAR.search(after) or _TARGET_BEFORE.search(before) or re.search(r"目標|target|goal", label, re.I):
        return True
    return bool(_UNTIL_NEAR.search(after) and _TARGET_CLAUSE.search(_clause(c)))


_MAGNITUDE = re.compile(r"[万億兆千]+|(?:million|billion|thousand|mn|bn)\b", re.I)


def _not_money(value: str) -> bool:
    """Whether a value carries a unit of its own that is no currency ("3年間", "12名"; not "2,800万円", "1.36 billion")."""
    tail = _MAGNITUDE.sub("", re.sub(r"^\D*?\d[\d,.]*", "", nfkc(value))).strip(" ,.")
    return bool(tail) and not CURRENCY.search(tail) and not re.fullmatch(r"[\d,.\s]+", tail)


def is_as_of(c: Candidate, text: str) -> bool:
    """Whether a date is the moment a state is told at ("（令和7年1月現在）", "as of March 2025"), not an event's."""
    return bool(AS_OF_AFTER.match(nfkc(text[c.end:c.end + 8])) or
                AS_OF_BEFORE.search(nfkc(text[max(c.ctx_start, c.start - 20):c.start])))


def is_end(c: Candidate, text: str) -> bool:
    """Whether a date ends a span ("2013年7月まで", "until March 2027", "有効期間は…まで", a range's end)."""
    return bool(_said_as_end(c, text) or (c.date and c.date.until) or _ENDED_CLAUSE.search(_own_clauses(c)))


def _said_as_end(c: Candidate, text: str) -> bool:
    """Whether the words right beside a date make it an end ("平成30年3月まで", "until March 2027")."""
    after = nfkc(text[c.end:c.end + 12])
    before = nfkc(text[max(c.ctx_start, c.start - 20):c.start])
    return bool(_UNTIL_NEAR.search(after) or _END_BEFORE.search(before))


def person_phrase(c: Candidate, text: str) -> str:
    """A person's own words: their title and group as read, and the noun phrase their name stands in
    ("インドネシア共和国のバルタサル・カンブアヤ環境大臣", "Minister … of the Ministry of the Environment of Japan")."""
    before = text[c.ctx_start:c.start]
    # (a line ends a person's phrase: people listed one per line, each with their side, are not each other's)
    before = re.split(r"[、。,;；\n]|\band\b|(?<=[はがを])|と(?=[^、。]{0,20}$)", before)[-1]
    after = re.split(r"[、。,;；\n]|\band\b|[とがはを]", text[c.end:c.ctx_end], maxsplit=1)[0]
    return " ".join(x for x in (before, c.value, after, c.role or "", c.label or "") if x)


def _located_at(c: Candidate, text: str) -> bool:
    """Whether a body is named as where something happened ("at the Ministry of the Environment", "環境省で",
    "会場：環境省"), not as who did it."""
    before = nfkc(text[max(0, c.start - 12):c.start])
    after = nfkc(text[c.end:c.end + 6])
    return bool(re.search(r"\b(?:at|in|inside)\s+(?:the\s+)?$", before, re.I) or AT_PLACE_JA.match(after)
                or (c.label is not None and label_role(c.label) == "place"))


class Binder:
    """Judges candidates against one question."""

    def __init__(self, q: Question, doc_texts: Mapping[str, str], doc_meetings: Mapping[str, int | None],
                 titles: Mapping[str, str] | None = None, subject_names: Sequence[str] = (),
                 series_names: Sequence[str] = ()) -> None:
        self.q = q
        self.texts = doc_texts
        self.doc_meetings = doc_meetings
        self.titles = titles or {}
        self._docs: dict[str, _DocNames] = {}
        # The countries the question names (its parties and places), and its other names to find.
        self.q_countries = frozenset(c for e in q.entities if (c := country_code(e.text)))
        self.q_names = [n for n in subject_names if not country_code(n)]
        # What the question itself names (its words, its rendering, its subjects and series): never its answer.
        self.asked = [nfkc(x).casefold() for x in (q.text, q.ja or "", *subject_names, *series_names) if x]
        # "TPEM-6のユースフォーラムはいつ": a named meeting's side event (a forum at a ministers' meeting) is
        # what is asked, and only a clause telling of that kind of event says when or where it was.
        own_kinds = frozenset().union(*(series_kinds_in(n) for n in series_names))
        self.side_event = (series_kinds_in(" ".join(q.renderings)) - own_kinds
                           if (q.number is not None or q.code) and series_names and not q.asks_published else frozenset())
        # "when did the working group first meet": the kinds of event the question names (a dialogue, a working
        # group, a ceremony); a clause telling of an event of another kind only ("前日にはワークショップを開催") is
        # not about the one asked.
        self.kinds = series_kinds_in(q.text) if not q.asks_published else frozenset()
        # "TWF6" names a meeting of a series that goes by TWF; "COP28" names something only its clause can say.
        self.code_is_series = bool(q.code) and any(
            re.search(rf"(?<![A-Za-z]){re.escape(q.code[0])}(?![A-Za-z])", nfkc(n), re.I) for n in series_names)
        if q.code:
            self.q_names.append(q.code[0])
        # Acronyms the question names that are no country or home body ("JCM"): a sentence answering what it is
        # or did names it, or stands under a heading that does.
        self.acronyms = [a for a in dict.fromkeys(re.findall(r"(?<![A-Za-z])[A-Z]{2,6}(?![A-Za-z0-9])", nfkc(q.text)))
                         if not country_code(a) and not affiliation(a) and not CURRENCY_CODE.fullmatch(a)]
        # …of those, the ones no series the question names goes by and no surname in capitals ("LEE Ji-won"), each with
        # how it is written: a value whose passage names one in another sentence is another thing's.
        written = {a: re.compile(rf"(?<![A-Za-z]){a}(?![A-Za-z])") for a in self.acronyms}
        self._other_acronyms = [(a, written[a]) for a in self.acronyms if not re.search(
            rf"[A-Z][a-z]+\s+{a}(?![A-Za-z])|(?<![A-Za-z]){a}\s+[A-Z][a-z]", nfkc(q.text))
            and not any(written[a].search(nfkc(n)) for n in series_names)]
        # "By how much did waste fall?" asks a degree (32%), not money.
        self.money = bool(MONEY_ASKED.search(nfkc(q.text))) and "how_many" in q.types and not (
            _DEGREE_ASKED.search(nfkc(q.text)) or "reduce" in q.relations)
        asked_currency = re.search(r"\b(?:in|into)\s+(?:US\s+)?(dollars?|yen|euros?|won|yuan)\b|(ドル|円)(?:で|換算|建て)",
                                   nfkc(q.text), re.I)
        self.currency = re.compile({"dollar": r"ドル|dollars?|\$|usd", "dollars": r"ドル|dollars?|\$|usd",
                                    "ドル": r"ドル|dollars?|\$|usd", "yen": r"円|yen|¥|jpy", "円": r"円|yen|¥|jpy"}.get(
            (asked_currency.group(1) or asked_currency.group(2)).lower(), re.escape(
                asked_currency.group(1) or asked_currency.group(2))), re.I) if asked_currency else None
        # "どこの省" names the unit a Japanese place answer is written with
        unit = re.search(r"(?:どの|どこの|何)(省|県|州)", nfkc(q.text))
        self.asks_unit = unit.group(1) if unit else None
        self.share = bool(_SHARE_ASKED.search(nfkc(q.text)))
        # "Where did they sign?", "どこで署名": a venue. "…を立ち上げたのはどこ" asks which body did it.
        self.asks_venue = "where" in q.types and not q.asks_org and bool(
            re.search(r"\bwhere\b|どこ(?:で(?!す|しょう)|に|へ|にて|から)", nfkc(q.text), re.I))
        self.fax = bool(_FAX.search(nfkc(q.text)))
        self.modes = q.modes if "how_many" in q.types else frozenset()  # the ways of taking part asked
        self.per_year = bool(PER_YEAR.search(nfkc(q.text)))  # "毎年いくら", "how much per year"
        # What is asked about, less the words of the series it names ("環境政策" of 日伯環境政策対話).
        in_series = {t for n in series_names for t in tokenize(n)}
        self.objects = [w for w in q.objects if w not in in_series]

    def bind(self, c: Candidate) -> Binding:
        """What of the question the candidate's clause, label or title leaves unstated."""
        q = self.q
        text = self.texts.get(c.doc_id) or ""
        scope = self._scope(c)
        missing: list[str] = []
        stated = self._stated(c, scope)
        if c.kind == "date" and q.asks_published:
            if not _page_date(c, text):
                missing.append("not-the-page-date")  # "when did the release come out": not the meeting's date
        elif c.kind != "phone":  # a contact line states no relation: the number is what is asked
            missing += self._relations(stated)
            if c.kind == "date" and not (q.relations or q.asks_end or q.asks_target) and stated & ACTS \
                    and not stated & HAPPENED:
                # "When does it kick in?" reads no relation: the date of a signing or an expiry is not known to be
                # the one asked (a date of something held or discussed still answers "when was …").
                missing.append("relation:unread")
            if c.kind == "person" and "chair" in q.relations and "cochair" not in q.relations and \
                    "cochair" in stated and "chair" not in relations_in(_without("cochair", nfkc(_own_clauses(c)))) \
                    and "chair" in relations_in(_without("cochair", nfkc(c.passage.text if c.passage.kind == "row"
                                                                         else c.context))):
                # "chaired by A, and co-chaired by B", "Aが議長を、Bが共同議長を務め": B co-chaired, A chaired (a
                # meeting's row too: "議長：X国大臣　共同議長：B")
                missing.append("relation:chair")
        if c.kind == "person" and q.roles:
            # The office asked: in the person's own title, or stated of them ("…事務次官が議長を務め").
            # ("…, attended on behalf of the Minister": the office after "on behalf of" is another person's.)
            broader = stated | {_BROADER[r] for r in stated if r in _BROADER}  # "co-chaired by X": X is a chair
            own = roles_in(_FOR_ANOTHER.sub(" ", person_phrase(c, text))) | {
                r for r in q.roles if r in RELATIONS and r in broader}
            missing += [f"role:{r}" for r in sorted(q.roles - own)]
        if q.agents and c.kind in ("person", "org", "quantity"):
            missing += self._agents(c, text, scope)
        elif q.sides and c.kind in ("person", "org", "quantity"):
            if c.kind == "person":
                phrase = person_phrase(c, text)
            elif c.kind == "org":
                phrase = f"{c.value} {c.role or ''}"
            else:  # an amount: its clause names the payer, or it stands on the payer's own page ("本市")
                phrase = _clause(c)
                title = self.titles.get(c.doc_id, "")
                # "本市" is the page's own city: the first city its opening names ("X市は、Y市と…"), when it names one.
                first = _FIRST_CITY.search(nfkc(text[:300]))
                # (Only a place has a page of its own here: a bank or a chamber named near the top is not "本市".)
                own_page = any(_says(first.group(0), x) if first else (_says(title, x) or _says(text[:300], x))
                               for x in q.sides if _PLACE_SIDE.search(x))
                # A payer named in the amount's own clause (a country, a home body such as 環境省) makes it that
                # payer's amount: "環境省の委託費が7,500万円、本市の負担が1,800万円" gives 本市 only the second.
                own = _own_clauses(c)
                cities = [m.group(0) for m in _CITY.finditer(nfkc(own)) if not re.fullmatch(r"(?:本|当|同)(?:市|県)", m.group(0))]
                others = bool(countries_in(own)) or bool(affiliation(own)) or bool(
                    re.search(r"全体|総額|\b(?:overall|in all)\b", own)) or any(
                    not any(_says(city, x) for x in q.sides) for city in cities)  # "Y市も…を負担"
                if own_page and (re.search(r"本市|当市|同市|本県|当県|同県|本省|当省", own) or not others):
                    phrase += f" {' '.join(q.sides)}"
            if not any(_says(phrase, side) for side in q.sides):
                missing.append("side:" + ",".join(q.sides))
        if q.number is not None and not self._of_meeting(c, q.number):
            missing.append(f"meeting:{q.number}")
        elif q.number is None and q.code:
            acronym, number = q.code
            if self.code_is_series:
                if not self._of_meeting(c, number):
                    missing.append(f"meeting:{number}")
            else:
                code = re.compile(rf"(?<![A-Za-z]){re.escape(acronym)}\s?-?{number}(?!\d)", re.I)
                # The dates of "COP28": said of COP28. Where the passage ties the code to one line of its own
                # ("※COP28の会期は…"), only that line's values are the code's.
                line = _own_line(c)
                if not (code.search(line) or (code.search(scope) and not code.search(c.context.replace(line, "")))):
                    missing.append(f"subject:{acronym}{number}")
        missing += self._subjects(c, text)
        if c.kind in ("date", "quantity", "place") and not (q.claim or q.asks_published):
            missing += self._objects_elsewhere(c, text)
        asked_abroad = self.q_countries - {HOME_COUNTRY}
        section = countries_in(nfkc(c.passage.section or "")) - {HOME_COUNTRY}
        if asked_abroad and section and not section & asked_abroad:
            missing.append("subject:section")  # under "1．ペルー共和国", a signing asked of Colombia is not told
        if c.kind == "sentence":
            missing += [f"subject:{a}" for a in self.acronyms if not re.search(rf"(?<![A-Za-z]){a}(?![A-Za-z])", scope)]
            if (_fold_title(c.value) and _fold_title(c.value) == _fold_title(self.titles.get(c.doc_id, ""))) \
                    or _HEADING_LINE.match(nfkc(c.value).strip()):
                missing.append("title")  # a page's title or a heading names what it is about; it tells nothing
        elif c.kind != "phone":
            missing += self._acronyms_elsewhere(c, scope)
        if q.years and c.kind != "date" and not self._in_years(c, scope, text):
            missing.append("years:" + ",".join(map(str, q.years)))
        if c.kind == "date":
            target = is_target(c, text)
            if q.asks_end and not is_end(c, text):
                missing.append("end")  # "until when": the end of a span, not its start
            elif "start" in q.relations and not (q.asks_end or q.asks_target or target) and _said_as_end(c, text):
                missing.append("not-the-start")  # "…を開始（平成30年3月まで）": when it ran until, not began
            if q.asks_target and not (target or _TARGET_CLAUSE.search(nfkc(c.context))):
                missing.append("target")
            if target and not q.asks_target:
                missing.append("not-an-event")  # "2050年までに": an aim, not when it happened
            if "when" in q.types and not q.until and is_as_of(c, text):
                missing.append("as-of")  # "協議を進めています（令和7年1月現在）": when a state held, not an event
        if q.since is not None:
            missing += self._since(c)
        if c.kind == "quantity" and q.asks_target and CURRENT_BEFORE.search(nfkc(text[max(c.ctx_start, c.start - 12):c.start])):
            missing.append("current")  # "2030年までに何か所": "現在の14か所から…40か所へ" — 14 is today's, no aim
        if c.kind == "quantity":
            missing += self._quantity(c, scope)
        if c.kind in ("place", "person", "org") and not q.claim and self._asked(c.value):
            missing.append("in-question")  # "第7回…水フォーラムはどの都市で": "Tripartite" names the forum asked about
        if c.kind == "phone" and bool(_FAX.search(nfkc(text[max(c.ctx_start, c.start - 12):c.start]))) != self.fax:
            missing.append("line:fax" if self.fax else "line:phone")  # "ファックス：…" is no phone number, and back
        if c.kind == "org" and self.asks_venue and not _located_at(c, text):
            missing.append("not-a-place")  # "Where did they sign?": the signing party is no venue
        if c.kind == "place" and q.asks_country and not q.asks_locality and not country_code(c.value):
            missing.append("not-a-country")  # "which country is hosting": Palau, not the body or city beside it
        if c.kind == "place" and q.asks_locality and country_code(c.value):
            missing.append("not-a-city")  # "どの都市で", "どこの省": 韓国 names a country, not the city
        if c.kind == "place" and self.asks_unit and is_japanese(c.value) and self.asks_unit not in c.value:
            missing.append("not-a-unit")  # "どこの州": a city is no state; "ヴァルナ州" is
        if c.kind in ("date", "place") and q.types and q.types[0] in ("when", "where"):
            heading = nfkc((c.passage.section or "").split(" / ")[-1])  # "3．次回の開催" above its sentence
            # …or leading its paragraph: "8. Next meeting. The participants welcomed …"
            lead = text[text.rfind("\n", 0, c.ctx_start) + 1:c.ctx_start]
            heading += f" {nfkc(lead)}" if len(lead.strip()) <= 40 else ""
            says_next = bool(NEXT.search(_next_scope(c)) or NEXT.search(heading)) or self._names_the_one_after(c)
            if q.asks_next and not says_next:
                missing.append("next")  # "where is it meeting next": not where it met
            elif says_next and not q.asks_future and q.number is None:
                missing.append("next-meeting")  # "次回会合は…キトで": where it will meet, not where it met
        if c.kind in ("date", "place") and self.side_event and not series_kinds_in(
                f"{_own_clauses(c)} {c.label or ''}") & self.side_event:
            missing.append("side-event")  # the forum held the day before, not the ministers' meeting itself
        elif c.kind in ("date", "place") and self.kinds and not q.claim:
            told = series_kinds_in(f"{_own_clauses(c)} {c.label or ''}")
            if c.passage.kind == "row" or (c.label and label_role(c.label) == "date"):
                # A meeting's row, or the page's "日時：" line: the meeting the page lists or reports; the row's
                # first date dates that meeting, whatever its summary tells of ("水素作業部会の設置").
                listed = series_kinds_in(self.titles.get(c.doc_id, ""))
                told = listed if listed and not find_dates(text[c.passage.start:c.start]) else told | listed
            # (A side event asked, a working group's or a seminar's: a clause telling of any meeting but it
            # — "the Ministers' Meeting was held on …" — tells of another.)
            other_meeting = not told and self.kinds & side_event_kinds() and series_kind(
                f"{_own_clauses(c)} {c.label or ''}") is not None
            if (told and not told & self.kinds) or other_meeting:
                missing.append("event-kind")  # the groundbreaking held in November, not the working group's meeting
        if c.kind in ("date", "place") and q.asks_past and STILL_TO_COME.search(_next_scope(c)):
            missing.append("planned")  # "when did it start": "…will start in April 2026" tells a plan
        if q.asks_original and "renew" not in q.relations and "renew" in relations_in(nfkc(_own_clauses(c))):
            missing.append("renewal")  # "where was it first signed": not where it was renewed
        if c.kind == "date" and q.asks_fiscal and c.date is not None and not c.date.fiscal and c.date.day:
            missing.append("not-a-fiscal-year")  # "in which fiscal year was it picked": a 年度, not an event's day
        if c.kind == "date" and q.asks_day and c.date is not None and not c.date.day:
            missing.append("precision:day")  # "何月何日": "2026年" or "March 2026" does not say the day
        if c.kind == "date" and q.asks_time and not _TIME_OF_DAY.search(nfkc(c.value)):
            missing.append("time-of-day")  # "at what time": a date without its hour answers another question
        if c.kind in ("place", "person", "org") and _in_a_date(c):
            missing.append("in-a-date")  # "令和8年度中に日本で": 令和 is an era, no place or name
        return Binding(tuple(missing))

    # --- the parts

    def _asked(self, value: str) -> bool:
        """Whether the question names the value itself (then it cannot be what the question asks for)."""
        v = re.sub(r"\s+", " ", nfkc(value).casefold()).strip()
        # A country however written ("インドネシア共和国" where the question says インドネシア / Indonesia).
        return len(v) >= 2 and (any(v in a for a in self.asked) or country_code(value) in self.q_countries)

    def _subjects(self, c: Candidate, text: str) -> list[str]:
        """The question's own names (countries, places, codes) its document must name: an answer about the
        Japan–Chile memorandum is no answer about a Japan–Thailand one."""
        doc = self._doc_names(c.doc_id, text)
        out = []
        for code in self.q_countries - {HOME_COUNTRY}:
            if code not in doc.countries:
                out.append(f"subject:{code}")
        for name in self.q_names:
            if not doc.names(name):
                out.append(f"subject:{name}")
        return out

    def _objects_elsewhere(self, c: Candidate, text: str) -> list[str]:
        """The things the question asks about ("研修センター", "the training hub") that the value's document names in
        other sentences than the value's (its clause, label or title, its paragraph's first sentence, the sentence
        it points back to, the heading or list head above it; the page's own title): a date told of the composting
        plant is not the training hub's."""
        if not self.objects:
            return []
        doc = self._doc_names(c.doc_id, text)
        # The paragraph's first sentence names what its sentences tell of (Japanese leaves the subject out), and
        # a sentence pointing back ("このうち環境省の補助が…", "It opened in …") tells of the sentence before.
        # The heading above names it too, unless it joins two things ("バイオガス施設と資源回収センター" heads both).
        heading = nfkc((c.passage.section or "").split(" / ")[-1])
        heading = "" if _TWO_THINGS.search(heading) else heading
        start = text.rfind("\n", 0, c.ctx_start) + 1
        pieces = split_sentences(text[start:c.ctx_start])
        lead = pieces[0] if pieces else ""
        before = ""
        if _ANAPHOR.search(nfkc(c.context)):  # (across a line break: "※本覚書については、…" under its paragraph)
            before = (split_sentences(text[max(0, c.ctx_start - 400):c.ctx_start]) or [""])[-1]
        reach = " ".join(x for x in (c.context, lead, before, _list_head(c, text), heading, c.label or "",
                                     c.role or "", self.titles.get(c.doc_id, "")) if x)
        # A run of nouns asked ("資源回収センター") beside another run with its head noun ("バイオガスセンター") is
        # another thing of its kind, whatever words they share ("回収"); else the run's words are looked for.
        out, whole = [], set()
        folded = nfkc(reach)
        for run in self.q.object_runs:
            head = _head(run)
            if run not in folded and any(_head(r) == head and run not in r and r not in run for r in _runs(folded)):
                out.append(f"about:{run}")
                whole |= _nouns(run)
        said = _nouns(reach)
        return out + [f"about:{w}" for w in self.objects if w not in whole and w not in said and doc.distinctive(w)]

    def _doc_names(self, doc_id: str, text: str) -> _DocNames:
        if doc_id not in self._docs:
            self._docs[doc_id] = _DocNames(text, self.titles.get(doc_id, ""))
        return self._docs[doc_id]

    def _scope(self, c: Candidate) -> str:
        """Where a value's relation may be stated: its clause, its label or column, a person's title, and the
        heading right above it."""
        heading = (c.passage.section or "").split(" / ")[-1]
        return nfkc(" ".join(x for x in (c.context, c.label or "", c.role or "", heading) if x))

    def _stated(self, c: Candidate, scope: str) -> set[str]:
        """The relations said of a value: in its own clause (a date, amount or person: each clause its verb),
        its label, its title, the heading above it; a meeting's row or report says it was held and who took part."""
        stated = set(relations_in(_own_clauses(c) if c.kind in ("date", "quantity", "person") else scope))
        heading = (c.passage.section or "").split(" / ")[-1]
        lead = _bullet_lead(c, self.texts.get(c.doc_id) or "")
        stated |= relations_in(nfkc(" ".join(x for x in (c.label or "", c.role or "", heading, lead) if x)))
        role = label_role(c.label) if c.label else None
        if c.passage.kind == "row" or role in ("date", "place"):
            stated.add("hold")  # a meeting's row, or its "date"/"venue" line, tells when and where it was held
        if c.kind == "person" and (role == "person" or (self.q.number is not None and self._of_meeting(c, self.q.number))):
            stated.add("attend")  # the people a meeting's record or report names (or lists) took part in it
        if c.kind == "date" and is_target(c, self.texts.get(c.doc_id) or ""):
            stated.add("target")
        return stated

    def _relations(self, stated: set[str]) -> list[str]:
        asked = self.q.relations
        if not asked:
            return []
        stated = stated | {_BROADER[r] for r in stated if r in _BROADER}  # a co-chair chaired
        # What is asked itself must be stated ("環境省委託費はいくら": a 委託費, not the project cost beside it);
        # else one of the specific relations asked, else one of the general ones.
        if self.q.focus - _WEAK:
            return [f"relation:{r}" for r in sorted((self.q.focus - _WEAK) - stated)]
        need = (asked - _WEAK) or asked
        # A narrower office asked is stated itself: a co-chair question is not answered by the chair.
        narrow = [r for r in sorted(need) if _BROADER.get(r) in need and r not in stated]
        if narrow:
            return [f"relation:{r}" for r in narrow]
        return [] if need & stated else ["relation:" + "|".join(sorted(need))]

    def _agents(self, c: Candidate, text: str, scope: str) -> list[str]:
        agents = self.q.agents
        if c.kind == "person":
            phrase = person_phrase(c, text)
            found = affiliation(phrase)
            if re.fullmatch(r"[\u30a1-\u30fa\u30fc・＝=]+", c.value) and not countries_in(phrase):
                # A name in katakana on a page about Japan and one other country ("シティ環境林業大臣" on the
                # Japan–Indonesia page) is that country's, whatever its title: a home official is named in kanji.
                parties = countries_in(self.titles.get(c.doc_id, "")) - {HOME_COUNTRY}
                found = parties if len(parties) == 1 else frozenset()
            elif not found and _KANJI_NAME.fullmatch(c.value) and not countries_in(phrase):
                # …and a name in kanji there is the home side's, when the other country does not write names in
                # kanji ("速水 玲子 地球環境局審議官" in a Japan–Egypt row; not on a Japan–China page).
                parties = countries_in(self.titles.get(c.doc_id, "")) - {HOME_COUNTRY}
                found = frozenset({HOME_COUNTRY}) if len(parties) == 1 and not parties & _KANJI_COUNTRIES else found
        elif c.kind == "org":
            found = affiliation(f"{c.value} {c.role or ''}")
        else:
            # The piece of its clause an amount stands in names its payer when it names a party ("MOE will provide
            # JPY 300 million, and the Ministry of Ecology KZT 850 million": the second is not MOE's).
            clause = _payer_piece(c)
            found = countries_in(clause) | (affiliation(clause) if HOME_COUNTRY in agents else frozenset())
            found |= short_forms_of(clause, agents)
        return [] if found & agents else ["agent:" + ",".join(sorted(agents))]

    def _acronyms_elsewhere(self, c: Candidate, scope: str) -> list[str]:
        """The acronyms the question names ("JCM") that a value's passage names in another sentence than the
        value's, its title not at all: "2016年3月に覚書に署名…。また、2024年8月にJCMに関する文書に署名": the
        JCM signing is the second. (A series' own acronym is left to the series match: its rows do not repeat it.)"""
        return [f"subject:{a}" for a, said in self._other_acronyms if not said.search(scope)
                and not said.search(nfkc(self.titles.get(c.doc_id, ""))) and said.search(nfkc(c.passage.text))]

    def _names_the_one_after(self, c: Candidate) -> bool:
        """Whether a value's own clause names the meeting after the one its document reports ("agreed to hold
        the 8th dialogue in X", in the report of the 7th): the next meeting, though no word says "next"."""
        reported = self.doc_meetings.get(c.doc_id)
        if reported is None:
            return False
        return _own_meetings(c) == {reported + 1}

    def _of_meeting(self, c: Candidate, number: int) -> bool:
        p = c.passage
        said = re.compile(rf"第\s*{number}\s*回|(?<!\d){number}(?:st|nd|rd|th)\b|[A-Z]{{2,}}[\s\-‐–]?{number}(?!\d)")
        # Its own clause names a meeting ("X, who had chaired NACM-9"), whatever the page reports: an ordinal, or
        # a code joined to its number by a hyphen (not "CO2", "PM2.5"). The asked one, or another one.
        if self.q.asks_published and c.kind == "date":  # a page's date is of the meeting its head reports
            head = nfkc(f"{self.titles.get(c.doc_id, '')}\n{(self.texts.get(c.doc_id) or '')[:HEAD + 200]}")
            return self.doc_meetings.get(c.doc_id) == number or bool(said.search(head))
        named = _own_meetings(c)
        if named:
            return number in named
        if p.meeting_number is not None:
            return p.meeting_number == number
        around = nfkc(f"{c.context} {(p.section or '')}")
        if said.search(around):
            return True
        if _SPELT_ORDINAL.search(nfkc(c.context)):
            return False  # its own sentence names another meeting ("The 2nd … was held in Ostrava")
        # "第3回（2015年、大連）" on a line above "参加者：約200名": the nearest ordinal before it in its paragraph.
        # A meeting's own heading line decides before the meeting the page reports on: a report's list of past
        # meetings is theirs, not the reported meeting's.
        text = self.texts.get(c.doc_id) or ""
        block = nfkc(re.split(r"\n\s*\n", text[max(0, c.ctx_start - 600):c.ctx_start])[-1])
        last = list(_ORDINAL.finditer(block))
        heading = [m for m in last if re.match(r"\s*[■□◆●○・▶]?\s*$", block[:m.start()].rsplit("\n", 1)[-1])]
        if heading:
            return int(next(g for g in heading[-1].groups() if g)) == number
        if self.doc_meetings.get(c.doc_id) == number:
            return True
        return bool(last) and int(next(g for g in last[-1].groups() if g)) == number

    def _in_years(self, c: Candidate, scope: str, text: str) -> bool:

        if c.kind == "person" and self.q.relations:
            # "X, who as Minister signed the first memorandum in March 2016, attended …": the clause telling what
            # the person did, asked of 2025, dates it otherwise.
            phrase = person_phrase(c, text)
            told = {d.year for d in find_dates(phrase) if d.year}
            if told and relations_in(nfkc(phrase)) & self.q.relations and not told & set(self.q.years):
                return False

        # A value's own piece of an enumeration says its year ("令和2年度 236人、令和3年度 310人"): that decides.
        at = c.start - c.ctx_start
        lo = max((m.end() for m in _PIECE_BREAK.finditer(c.context, 0, at)), default=0)
        hi = next((m.start() for m in _PIECE_BREAK.finditer(c.context, at + len(c.value))), len(c.context))
        own = {d.year for d in find_dates(c.context[lo:hi]) if d.year}
        if own:
            return bool(own & set(self.q.years))
        p = c.passage
        if p.year is not None and p.year in self.q.years:
            return True
        if self.doc_meetings.get(c.doc_id) is not None and self._doc_names(c.doc_id, text).head_years & set(self.q.years):
            return True  # a report on one meeting, dated in its head: its lists are that meeting's
        # The year is said where the value is: its sentence, label, heading, or the line right above it.
        above = text[max(0, c.ctx_start - 120):c.ctx_start].rsplit("\n", 2)
        found = {d.year for d in find_dates(f"{scope} {above[-2] if len(above) > 1 else ''}") if d.year}
        return bool(found & set(self.q.years))

    def _since(self, c: Candidate) -> list[str]:
        """"Since 2019" asks what holds from then on: no date before it, no one whose term is said to have ended."""
        since = self.q.since
        if c.kind == "date":
            return ["since"] if c.date and c.date.year and since.year and c.date.year < since.year else []
        if c.kind in ("person", "org") and _END_CLAUSE.search(_own_clauses(c)):
            return ["since"]  # "2016年から2019年3月までは…議長を務めた": a term that ended
        return []

    def _quantity(self, c: Candidate, scope: str) -> list[str]:
        """What of an amount or count the question asks (its unit, a total, a way of taking part, a side) its
        own words leave unstated."""

        text = self.texts.get(c.doc_id) or ""
        after = text[c.end:c.end + 8]  # "1.36 billion yen": the unit after the value
        after = re.split(r"[\t|\u3000]|\s{2,}", after)[0]  # not the next cell's ("9人　780万円": no money)
        near = nfkc(f"{c.value} {after} {c.role or ''} {c.label or ''}")
        out = []
        if self.money and (not CURRENCY.search(near) or _not_money(c.value)):
            out.append("unit:money")  # "3年間で総額約12億円": the years are no amount, whatever follows them
        if self.currency and not self.currency.search(near):
            out.append("unit:currency")  # "in US dollars": the amount in that currency
        if self.share and not _SHARE.search(near):
            out.append("unit:share")
        if (c.role or "") in ("年", "年度") and not (self.q.unit or "").startswith("年"):
            out.append("unit:not-a-year")  # "2050年" is a year, never an amount
        if self.q.total and not _TOTAL.search(scope):
            out.append("total")
        if asked := aim_years(" ".join(self.q.renderings)):
            own = own_aim_years(c)
            if (own and not own & asked) or (not own and self.q.asks_target and not _years_in(_clause(c)) & asked):
                # "2035年までに何％": not the 30% its clause sets for 2030; "the 2030 target's cost": not a sum
                # whose clause says nothing of 2030
                out.append("aim-year")
        if self.q.until and not _TOTAL.search(scope) and not UP_TO.search(scope) and any(
                d.year for d in find_dates(_clause(c))):
            out.append("until")  # "as of 2024": a figure up to then, not one said of a year ("2024年の来場者")
        clause = _own_clauses(c)
        over, end = _period(clause)
        if (until := self.q.until) is not None and until.year:
            told = _as_of_dates(clause)
            if told and not any(d.year == until.year and (until.month is None or d.month in (None, until.month))
                                for d in told):
                out.append("as-of-date")  # "2025年8月末時点で何か所": not the figure "98か所（2025年10月時点）"
            elif end and (end > until.year or (end == until.year and until.month is not None)):
                out.append("until")  # "8月末までにいくら支出": not a sum set for FY2023-2025 as a whole
        if over and not PER_YEAR.search(clause):
            # "3年間で総額12億円", "JPY 300 million over the three years": a sum over a span answers neither a
            # question per year nor one about a single year of it.
            if self.per_year:
                out.append("per-year")
            elif len(self.q.years) == 1 and not (self.q.total or self.q.until or self.q.since):
                out.append("span")
        if self.q.count and not re.search(r"回|度|times?|meetings?|sessions?", near, re.I):
            out.append("unit:count")  # "how many meetings": a count of events, not an amount
        # "joined online", "会場に来て参加": a count said of one way of taking part ("うちオンライン参加約25名",
        # "58 in person") answers only a question asking that way, and one asked that way only such a count.
        # (The way its label says, "Of the in-person participants, 12 came from Japan", holds for all it lists.)
        near_words = _beside(c, text)
        beside = f"{near_words} {c.label or ''}"
        own = equivalents_in(TAKEN_IN_OR_OUT.sub(" ", near_words))
        said = own | equivalents_in(TAKEN_IN_OR_OUT.sub(" ", c.label or ""))
        people = (self.q.unit or "people") in COUNTED_PEOPLE
        aside = self.q.modes_left_out if "how_many" in self.q.types and people else frozenset()
        if self.modes and not self.modes & said and people and not self.modes <= _held_way(c):
            out.append("mode")  # (of people: "来日研修員は何か国から" counts countries, whatever way they came)
        elif aside and not said - aside and not aside & equivalents_in(
                " ".join(m.group(0) for m in LEFT_OUT.finditer(beside))):
            # "オンラインは数えないで何人": neither a whole that takes that way in nor a count of that way
            # answers; a count of another way ("45 in person") or one leaving the same way out does.
            out.append("mode:left-out")
        elif own and not self.modes and not aside and c.kind == "quantity" and self.q.unit in COUNTED_PEOPLE:
            out.append("mode:part")
        # ("JPY 310 million from the Ministry" is a payer's amount, not a part of a count: people only.)
        whence = _whence(c, text) if (c.role or "") in COUNTED_PEOPLE else None
        if whence is not None and not (self.q.agents or self.q.sides) and _parts_listed(c) > 1:
            out.append("part:from")  # "12 came from Japan and 38 from Chile": one country's part, for a question naming none
        elif whence and self.q.agents and (code := country_code(whence)) and code not in self.q.agents:
            out.append("agent:from")  # "12 came from Japan and 38 from Chile": 12 is Japan's, whatever else is named
        elif whence and self.q.sides and not self.q.agents and not any(_says(whence, x) for x in self.q.sides) and any(
                re.search(rf"{re.escape(x)}\s*から|\bfrom\s+(?:the\s+)?{re.escape(x)}", nfkc(self.q.text)) for x in self.q.sides):
            out.append("side:from")  # "X市から延べ72人、Y市から延べ15人": 15 is Y市's, though X市 is in the clause
        if self.q.unit == "duration" and not re.search(r"年間|か月|ヶ月|カ月|日間|週間|years?|months?|weeks?|days?",
                                                        nfkc(f"{near} {c.context[c.end - c.ctx_start:c.end - c.ctx_start + 3]}"), re.I):
            out.append("unit:duration")
        return out


# Whence a count of people came: "12 came from Japan" (after it), "セブ市から延べ72人" (before it).
_FROM_EN = re.compile(r"\s*(?:came\s+|were\s+)?from\s+(?:the\s+)?([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*)?")
_FROM_JA_TAIL = r"から(?:は|の)?(?:延べ|計|合計|約|およそ)?\s*"  # "から延べ", between a party and its count
_FROM_JA = re.compile(rf"([\u30a0-\u30ff\u4e00-\u9fffA-Za-z・]{{2,15}}?){_FROM_JA_TAIL}$")


def _parts_listed(c: Candidate) -> int:
    """How many counts in a value's sentence say whence they came ("Aから延べ72人、Bから延べ15人": 2)."""
    ctx = nfkc(c.context)
    return len(re.findall(rf"{_FROM_JA_TAIL}\d", ctx)) + len(
        re.findall(r"\d[\d,]*\s+(?:[a-z\-]+\s+){0,2}(?:came\s+|were\s+)?from\s+(?:the\s+)?[A-Z]", ctx))


def _whence(c: Candidate, text: str) -> str | None:
    """The party a count of people came from, as named beside it ("" when unnamed), or None."""
    if m := _FROM_EN.match(text[c.end:c.end + 40]):
        return m.group(1) or ""
    m = _FROM_JA.search(text[max(0, c.start - 24):c.start])
    if m and (re.search(r"(?:市|県|町|村|区|州)$", m.group(1)) or country_code(m.group(1))):
        return m.group(1)
    return None


# "by 2030", "2030年までに", "2030年度を目標": the year an aim is set for.
_AIM_YEAR = re.compile(r"\b(?:by|until|towards?)\s+(?:the\s+end\s+of\s+)?(?:FY\s*)?((?:19|20)\d\d)\b"
                       r"|((?:19|20)\d\d)\s*年\s*度?\s*(?:末)?\s*(?:まで|を目標|目標)", re.I)


def aim_years(text: str) -> frozenset[int]:
    """The years a text sets aims for."""
    return frozenset(int(m.group(1) or m.group(2)) for m in _AIM_YEAR.finditer(nfkc(text)))


def _years_in(text: str) -> frozenset[int]:

    return frozenset(y for d in find_dates(text) for y in (d.year, d.until.year if d.until else None) if y)


def own_aim_years(c: Candidate) -> frozenset[int]:
    """The years a value's own words set it as an aim for: after it ("35% by 2030"), else before it in its
    clause ("2030年までに…30％削減")."""
    if tail := aim_years(value_tail(c)):
        return tail
    return aim_years(re.split(r"[;；。、,]", c.context[:c.start - c.ctx_start])[-1])


def value_tail(c: Candidate) -> str:
    """A value's context from the value to the end of its clause ("35% by 2030 compared with 2022"), or to
    the next value listed with it ("25% by 2030 and 40% by 2040")."""
    rest = c.context[c.start - c.ctx_start:]
    return re.split(r"[;；。、]|\.\s|,\s+(?:and|while|whereas)\s|\s(?:and|while|whereas)\s", rest)[0]


# "１．第3回…政策対話", "(2) Next meeting": a numbered heading standing alone, with no sentence end.
_HEADING_LINE = re.compile(r"^(?:\d{1,2}\s*[.．、]|[(（]\d{1,2}[)）]|[■□◆●○▶])\s*[^。.!?！？\n]{1,60}$")


def _held_way(c: Candidate) -> frozenset[int]:
    """The way the meeting a count is said of was held, by the words before it in its clause ("オンラインで…を開催
    （参加者約40名）", "held online with 40 participants"): everyone at it took part that way. Not a part's way
    ("約60名（うちオンライン約25名）" says it after the count, of some of them)."""
    before = nfkc(c.context[:c.start - c.ctx_start])
    before = re.split(r"[。;；]|\.\s", before)[-1]
    if "hold" not in relations_in(before) or re.search(r"うち|of whom|including", before):
        return frozenset()
    ways = equivalents_in(TAKEN_IN_OR_OUT.sub(" ", before))
    return ways if len(ways) == 1 else frozenset()  # "対面とオンラインを組み合わせたハイブリッド形式": no one way


_FOR_ANOTHER = re.compile(r"\b(?:on behalf of|in place of|representing)\b.*$|(?:の代理|に代わ|を代表).*$", re.I)


def _fold_title(text: str) -> str:
    """A title or sentence without its spacing, punctuation and site suffix ("…について｜環境省")."""
    return re.sub(r"[\s。．.、,「」『』【】()（）]|[|｜].*$", "", nfkc(text))


def _says(text: str, name: str) -> bool:
    """Whether a text names `name`, an English name also by the sound of its Japanese words ("Shiomidai City",
    潮見台市)."""
    if mentions(text, name):
        return True
    if is_japanese(name):
        return False
    bare = re.sub(r"\s+(?:City|Prefecture|Province|Town|Village)$", "", name)
    return any(heard(part, bare) for part in re.findall(r"[\u4e00-\u9fff\u30a1-\u30fa\u30fc]{2,}", text))


def _without(concept: str, text: str) -> str:
    """A text with the words of one relation taken out ("共同議長" out of "Aが議長を、Bが共同議長を")."""
    en, ja = RELATIONS[concept]
    text = en.sub(" ", text)
    for word in sorted(ja, key=len, reverse=True):
        text = text.replace(word, " ")
    return text


@lru_cache(maxsize=256)
def _sentence_nouns(text: str) -> tuple[frozenset[str], ...]:
    """The nouns of each sentence or line of a document, read once for every question asked of it."""
    return tuple(frozenset(nouns(x)) for x in re.split(r"[。.!?！？\n]+", nfkc(text)) if x.strip())


@lru_cache(maxsize=8192)
def _runs(text: str) -> tuple[str, ...]:
    """The runs of nouns of a text, read once."""
    return tuple(noun_runs(text))


@lru_cache(maxsize=8192)
def _head(run: str) -> str:
    """The last word of a run ("資源回収センター": センター, "事業費": 費): the kind of thing it names."""
    return last_word(run)


@lru_cache(maxsize=8192)
def _nouns(text: str) -> frozenset[str]:
    """The nouns of a text, read once (a value's reach is read again for every question)."""
    return frozenset(nouns(text))


class _DocNames:
    """What one document names: its countries, and whether it names a given name (title and text)."""

    def __init__(self, text: str, title: str) -> None:
        self.text = f"{title}\n{text}"
        self.title = title
        self.countries = countries_in(self.text)

    @cached_property
    def head_years(self) -> frozenset[int]:
        """The years the document's title and first 300 characters state (a report's own date), read once."""

        return frozenset(d.year for d in find_dates(self.text[:len(self.title) + 1 + 300]) if d.year)

    def distinctive(self, word: str) -> bool:
        """Whether the document names a thing in some of its sentences only (in most, it is what the page is about)."""
        sentences = _sentence_nouns(self.text)
        said = sum(word in s for s in sentences)
        return 0 < said <= len(sentences) * _BACKGROUND

    def names(self, name: str) -> bool:
        """Whether the document names `name` (as written, across scripts, or by sound; in its title by sound
        inside a longer word, "Setouchi" in 瀬戸内国際環境協力センター)."""
        return mentions(self.text, name) or any(same_name(name, e.text) for e in named_entities(self.text)
                                                 if len(e.text) >= 2) or (
            not is_japanese(name) and any(heard(part, name) for part in
                                          re.findall(r"[\u4e00-\u9fff\u30a1-\u30fa\u30fc]{2,}", self.title)))


def _own_meetings(c: Candidate) -> set[int]:
    """The numbers of the meetings a value's own clause names ("the 8th dialogue", "NACM-9")."""
    return {int(next(g for g in m.groups() if g)) for m in _OWN_MEETING.finditer(nfkc(_own_clauses(c)))}


def _page_date(c: Candidate, text: str) -> bool:
    """Whether a date is its page's own (labelled "掲載日", "Posted on", or alone on a line of the page's head)."""
    return page_date_label(c.label, text, c.start) or any(
        d.start < c.end and c.start < d.end for d in date_lines(text))




def _beside(c: Candidate, text: str) -> str:
    """The words right around a number that say what it counts of ("うちオンライン参加約25名", "58 in person"):
    in Japanese back to the last mark, in English the next two words."""
    before = re.split(r"[、。,;:（）()\n]", text[max(c.ctx_start, c.start - 14):c.start])[-1]
    if not is_japanese(before):
        before = ""  # English says it after the number ("58 in person and 94 online": "in person" is 58's)
    after = re.split(r"[、。,;:（）()\n]", text[c.end:min(c.ctx_end, c.end + 30)])[0]
    after = re.sub(r"^\s*of\s+(?:them|whom)\b", "", after)  # "98 of them in person": the way is after "of them"
    return nfkc(f"{before} {' '.join(after.split()[:2]) if not is_japanese(after) else after[:6]}")


def _next_scope(c: Candidate) -> str:
    """The part of a value's sentence that may say it is of the next meeting: its own clause where an English
    sentence joins two ("…was held in Lima; the next will be held in Quito"), else the sentence."""
    at = c.start - c.ctx_start
    pieces = re.split(r"(?<=[;；])|(?=,\s+(?:and|while|with|whereas)\s)", c.context)
    pos = 0
    for piece in pieces:
        if pos <= at < pos + len(piece):
            return nfkc(piece)
        pos += len(piece)
    return nfkc(c.context)


_INDENT = re.compile(r"[ \t\u3000]")
_BULLET = re.compile(r"\s*[・•\-*■◆○●◎]")


def _lines_above(text: str, start: int):
    """The lines above the one starting at `start`, nearest first."""
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        yield text[prev:start - 1]
        start = prev


def _list_head(c: Candidate, text: str) -> str:
    """The line a bulleted item stands under ("■覚書" over "・延長：令和3年5月、…"): what it is about."""
    start = text.rfind("\n", 0, c.start) + 1
    if not _BULLET.match(text, start):
        return ""  # (a line indented with "　" opens a paragraph: no item)
    # (the first line that is no item of the same list: "■覚書" heads the "・" items under it)
    mark = text[start:c.start].strip()[:1]
    return next((line for line in _lines_above(text, start) if line.strip() and not _INDENT.match(line)
                 and not (_BULLET.match(line) and line.strip()[:1] == mark)), "")


def _bullet_lead(c: Candidate, text: str) -> str:
    """The label of the bullet an indented line belongs to ("・更新：…" over "　有効期間：5年（…まで）"): what the
    lines under it are about."""
    start = text.rfind("\n", 0, c.start) + 1
    if _INDENT.match(text, start):
        for line in _lines_above(text, start):
            if _INDENT.match(line):
                continue
            if not _BULLET.match(line):
                return ""
            head = re.split(r"[：:]", line, maxsplit=1)
            return head[0] if len(head) > 1 else line
        return ""
    if _BULLET.match(text, start):
        # A bullet of a list a sentence introduces with a colon ("The following contributions were announced:" over
        # "- X: JPY 500 million"): that sentence says what each item is.
        for line in _lines_above(text, start):
            if _BULLET.match(line) and line.strip():
                continue
            return line if line.rstrip().endswith((":", "：")) else ""
    return ""


def _own_line(c: Candidate) -> str:
    """The line of its context a value stands on (a note mark "※" starts a line of its own)."""
    at = c.start - c.ctx_start
    pos = 0
    for line in re.split(r"(?<=\n)|(?=※)", c.context):
        if pos <= at < pos + len(line):
            return line
        pos += len(line)
    return c.context


def _in_a_date(c: Candidate) -> bool:
    """Whether a value lies inside a date its context states ("令和" of "令和8年度")."""

    at = c.start - c.ctx_start
    return any(d.start <= at and at + len(c.value) <= d.end for d in find_dates(c.context))


def _pieces(c: Candidate) -> list[str]:
    """A value's sentence cut where its clauses may change subject: at 、 , ; "and" (not inside "3億2,000万") and
    before a breakdown in brackets."""
    # ("2,860万円（うち環境省委託費 2,200万円、…）": the breakdown in brackets is a clause of its own)
    return re.split(r"(?<=[、;；])|(?<=,)(?!\d)|\band\b|(?=[（(]\s*(?:うち|of which))", c.context)


def _payer_piece(c: Candidate) -> str:
    """Where an amount's payer is named: the nearest piece of its sentence, up to its own, that names a party
    ("MOE will provide JPY 300 million, and the Ministry of Ecology and Natural Resources KZT 850 million": the
    second amount is the Ministry of Ecology's); its whole clause when no piece does."""
    at, pos, found = c.start - c.ctx_start, 0, None
    for piece in _pieces(c):
        if pos > at:
            break
        if PARTY.search(nfkc(piece)) or countries_in(nfkc(piece)):
            found = piece
        pos += len(piece)
    return nfkc(found) if found is not None else _clause(c)


def _own_clauses(c: Candidate) -> str:
    """The words a date or amount's relation may come from in its sentence: its own clause, and the clauses
    that state no other value of its kind ("2017年3月に満期終了となり、2017年6月に…署名": each date its verb)."""
    from rag.read.vocabulary import QUANTITY

    pieces = _pieces(c)
    at = c.start - c.ctx_start
    own, own_at, rest, pos = "", -1, [], 0
    # A semicolon ends a clause of its own ("Japan, JPY 600 million over FY2026-FY2028; Ghana, GHS 12 million to set
    # up a hub …"): the verbs of the next item are not the value's.
    segment, own_segment, segments = 0, -1, []
    for i, piece in enumerate(pieces):
        lo, hi = pos, pos + len(piece)
        pos = hi
        segments.append(segment)
        if piece.rstrip().endswith((";", "；")):
            segment += 1
        if lo <= at < hi:
            own, own_at, own_segment = piece, i, segments[-1]
            continue
        if c.kind == "date":
            # (a date in brackets is an aside: "…を開始（2018年3月まで、…）" is still the clause of the year before it)
            others = [d for d in find_dates(re.sub(r"[（(][^）)]*(?:[）)]|$)", "", piece)) if d.year or d.month]
        elif c.kind == "quantity":
            others = [m for m in QUANTITY.finditer(nfkc(piece)) if m.group(3) or m.group(4)]
        else:
            others = _people_in(piece)
        if not others:
            rest.append((segments[-1], piece))
    rest = [piece for seg, piece in rest if seg == own_segment]
    if c.kind == "date" and own_at >= 0 and (part := _date_part(own, at - sum(map(len, pieces[:own_at])))):
        return nfkc(part)  # "2021年3月に延長された覚書は2026年3月31日に期限を迎える": each date its own verb
    if relations_in(nfkc(own)):
        return nfkc(own)  # the value's own clause says what happened to it
    if c.kind == "person" and own_at >= 0 and re.search(r"[はが]\s*[、,]?\s*$", own) and (
            main := _after_presence(pieces[own_at + 1:])):
        # "AとBは、CとDの立会いのもと、…に署名しました": the people before は/が do what comes after "in the presence
        # of" others (C and D witnessed).
        return nfkc(f"{own} {main}")
    if c.kind == "person" and own_at >= 0 and (shared := _list_verb(pieces, own_at, _people_in, skip=_title_piece)):
        return nfkc(f"{own} {shared}")
    if c.kind == "quantity" and c.role and own_at >= 0 and (shared := _list_verb(pieces, own_at, lambda p: [
            m for m in QUANTITY.finditer(nfkc(p)) if m.group(4) == c.role],
            steps=(1,) if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", own) else (1, -1))):
        return nfkc(f"{own} {shared}")  # "X市から延べ64人、Y市から延べ12人の研修員を受け入れ": one verb for both
    return nfkc(" ".join([own, *rest]))


def _date_part(piece: str, at: int) -> str | None:
    """The part of a clause holding several dates that tells the one at `at` what happened, when that part states a
    relation: in Japanese the verb follows its date ("2021年3月に延長された覚書は2026年3月31日に期限を迎える"), so from
    the date up to the next one; in English it comes before ("signed in 2016 and renewed in 2021"), so from the
    date before it up to its own end."""
    from ingest.dates import RELATIVE_DAY, find_dates

    # (a day told relative to the page's, "本日署名された覚書は2026年4月1日に発効", is a date of its own verb too)
    dates = sorted([(d.start, d.end) for d in find_dates(piece) if d.year or d.month]
                   + [m.span() for m in RELATIVE_DAY.finditer(piece)])
    if len(dates) < 2:
        return None
    i = next((k for k, (s, e) in enumerate(dates) if s <= at < max(e, s + 1)), None)
    if i is None:
        return None
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", piece[dates[i][1]:dates[i][1] + 3]):
        part = piece[dates[i][0]:dates[i + 1][0] if i + 1 < len(dates) else len(piece)]
    else:
        part = piece[dates[i - 1][1] if i else 0:dates[i][1]]
    return part if relations_in(nfkc(part)) else None


def _as_of_dates(clause: str) -> list:
    """The dates a clause tells a state at ("98か所（2025年10月時点）", "as of September 2025")."""

    return [d for d in find_dates(clause) if AS_OF_AFTER.match(clause[d.end:d.end + 8])
            or AS_OF_BEFORE.search(clause[max(0, d.start - 20):d.start])]


def _period(clause: str) -> tuple[bool, int | None]:
    """Whether an amount or count's clause says it over a span of years ("3年間で", "over the three years", a range
    such as "2026年度から2028年度まで" or "FY2026-2028"), and the last year of the span when one is dated."""

    ranges = [d for d in find_dates(clause) if d.until is not None and d.until.year]
    over = bool(OVER_YEARS.search(clause)) or any(d.year and d.until.year != d.year for d in ranges)
    return over, (max(d.until.year for d in ranges) if over and ranges else None)


def _people_in(piece: str) -> list:
    """The people a clause names (with a title, an honorific, or as a person's name)."""
    return titled_names(piece, TITLES_JA, NOT_NAMES_JA) or list(HONORIFIC.finditer(piece)) or [
        e for e in named_entities(piece) if e.kind == "person"]


_PRESENCE = re.compile(r"の(?:もと|下|元)(?:で|に)?\s*[、,]?\s*$")  # "…の立会いのもと、": in the presence of others


def _after_presence(pieces: list[str]) -> str | None:
    """The clause after one telling in whose presence something was done ("CとDの立会いのもと、…に署名しました"):
    what the subject before it did; None when no such clause stands right after the subject."""
    if not pieces or not _PRESENCE.search(pieces[0]):
        return None
    return next((p for p in pieces[1:] if relations_in(nfkc(p)) and not _PRESENCE.search(p)), None)


def _title_piece(piece: str) -> bool:
    """Whether a clause is the title or body after a listed person's name ("co-chaired by Ms. A, Head of the Office,
    MMA, and Mr. B": "Head of the Office" and "MMA" stand between A and B and tell no verb of the list)."""
    text = re.sub(r"^(?:and|or)\b", "", nfkc(piece).strip(" ,、.。")).strip()
    if not text:
        return True  # (the "and" before the last name)
    return len(text) <= 80 and not _people_in(text) and bool(
        roles_in(text) or _TITLE_PIECE.search(text) or re.fullmatch(r"(?:the\s+)?[A-Z][A-Za-z&\-]{1,11}", text))


_TITLE_PIECE = re.compile(r"\b(?:Head|Director|Chief|Officer|Minister|Secretary|Ministry|Office|Division|Bureau|Department"
                          r"|Agency|Government)\b")


def _list_verb(pieces: list[str], at: int, items, steps: tuple[int, ...] = (1, -1), skip=lambda piece: False) -> str | None:
    """The clause whose verb a value listed with others of its kind shares: "A大臣、B局長、C課長が出席した" ends the
    list with it, "attended by Minister A, Director B and Mayor C" starts it; only clauses with such items
    (`items(piece)`: people, or counts in the value's unit) or clauses `skip` passes over lie between."""
    # Japanese puts the verb after the list: its end first. (A Japanese count before another count's own verb
    # is no item of its list: "34人…派遣し、同市の職員を延べ21人、…受け入れ" — they look forward only.)
    for step in steps:
        j = at + step
        while 0 <= j < len(pieces):
            listed = bool(items(pieces[j]))  # (read once: naming people takes Sudachi)
            if listed and relations_in(nfkc(pieces[j])):
                return pieces[j]
            if not listed and not skip(pieces[j]):
                break
            j += step
    return None


def _clause(c: Candidate) -> str:
    """The clause of its sentence a value sits in (up to 。 or ; around it)."""
    at = c.start - c.ctx_start
    parts = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(c.context)]
    lo = max((e for s, e in parts if e <= at), default=0)
    hi = min((s for s, e in parts if s >= at), default=len(c.context))
    return nfkc(c.context[lo:hi])
