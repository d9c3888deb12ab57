"""Typed answer candidates taken from retrieved passages: dates, places, people with their role,
organisations, numbers with their unit, phone numbers, and sentences — each with the exact span it
comes from and a score for how well its surroundings match the question.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.cleaner import nfkc
from ingest.dates import DateValue, find_dates, page_date, relative_dates
from ingest.fields import LabelledField, find_fields, label_role
from ingest.gazetteer import adjective_country
from ingest.names import (
    NOT_NAMES_JA,
    TITLES_EN,
    TITLES_JA,
    affiliation,
    country_code,
    is_japanese,
    name_words,
    named_in,
)
from ingest.tables import NOTE_MARK, find_tables
from ingest.tokenizer import named_entities, titled_names, tokenize
from ingest.transliteration import LATIN, LATIN_UPPER
from ingest.truncation import cut_start
from rag.read.question import TARGET_BEFORE, Question
from rag.read.relations import relations_in, roles_in
from rag.read.vocabulary import (
    COUNTED_PEOPLE,
    COUNTER_WORDS,
    COUNTERS,
    CURRENCY_BEFORE,
    MONEY_WORDS,
    PLACE_EN,
    PLACE_JA,
    QUANTITY,
    QUESTION_WORDS,
    is_instruction,
    page_date_label,
)
from rag.types import Passage

Kind = str  # date | place | person | org | quantity | phone | sentence

# A sentence ends at 。！？, at a line end, or at . ! ? before a capital (not inside "14.5" or "e.g. the", nor after a
# title: "chaired by Hon. X").
# A middle initial ("Liza M. Tan": a capital alone after a capitalised word) ends no sentence either.
_SENTENCE = re.compile(r"[^\n]+?(?:[。！？]|(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)(?<!\bProf)(?<!\bHon)(?<!\bRev)(?<!\bH\.E)(?<!\bNo)(?<!\bSt)(?<!\bMt)"
                       r"(?<!\bvs)(?<!\bJr)(?<!\bSr)(?<![A-Z][a-z] [A-Z])(?<![A-Z][a-z]{2} [A-Z])(?<![a-z]{3} [A-Z])"
                       r"[.!?](?=\s+[A-Z\"“‘(])|(?=\n)|$)")
# Where an organisation's name ends ("…銀行", "…機構", "… Agency"): a body, not a person or a place.
_ORG_SUFFIX_JA = r"(?:銀行|機構|機関|協会|財団|大学|研究所|研究センター|センター|委員会|公社|基金|株式会社|省|庁|局|政府|事務局)"
ORG_END = re.compile(rf"{_ORG_SUFFIX_JA}$|\b(?:Bank|Agency|Ministry|Fund|Organi[sz]ation|Institute|University|Corporation"
                      r"|Company|Secretariat|Commission|Council|Foundation|Association|Centre|Center)\b")
_ORG_NAME = re.compile(rf"[\u30a0-\u30ff\u4e00-\u9fffA-Za-z・]{{2,20}}?{_ORG_SUFFIX_JA}(?![\u4e00-\u9fff])"
                       r"|(?:the\s+)?(?:[A-Z][\w\-]*\s+){1,6}?(?:Bank|Agency|Fund|Organi[sz]ation|Institute|University"
                       r"|Corporation|Secretariat|Commission|Foundation|Association)(?:\s+(?:for|of)\s+(?:the\s+)?"
                       r"(?:[A-Z][\w\-]*\s*){1,5})?")
# The parts a labelled person plays ("議長：…", "Chair: …"), and the name that leads such a value.
_PERSON_PARTS = frozenset({"chair", "cochair", "attend", "lead", "speak", "witness", "report"})
_SIDE_LEAD = re.compile(r"^[\s\u3000]*([^\s\u3000、,:：]{1,12}側)[\s\u3000]+")  # "ポーランド側　トマシュ・…"
_LEADING_NAME = re.compile(r"^\s*((?:[\u4e00-\u9fff々]{1,4}[ \u3000]?[\u4e00-\u9fff々]{1,3})(?=[ \u3000、,（(]|$)"
                           r"|[\u30a1-\u30fa\u30fc]+(?:・[\u30a1-\u30fa\u30fc]+)+"
                           r"|(?:(?:Mr|Ms|Dr|Prof)\.?\s+)?[A-ZÀ-Þ][\w\-]+(?:\s+[A-ZÀ-Þ][\w\-]+){1,3})")
# "2020年比", "compared with 2020", "from 2013 levels": a baseline a measure is taken against, not an event.
_BASELINE_AFTER = re.compile(r"\s*(?:年度?)?\s*(?:比|対比|水準|基準)")
_BASELINE_BEFORE = re.compile(r"\b(?:compared (?:to|with)|relative to|against|from|below|above)\s+(?:the\s+)?(?:year\s+)?$", re.I)
# An entity followed by one of these is part of an organisation's name, not a place of its own.
_NAME_GOES_ON = re.compile(r"[ \-](?!(?:City|Prefecture|Province|State|County|District|Region|Island)\b)[A-Z][a-z]+")
_ORG_TAIL = re.compile(r"^(?:・|省|委員会|人民委員会|局|庁|政府|大使館|共和国)")
_TIME = re.compile(r"(?:午前|午後)\s*[0-9０-９]{1,2}\s*時(?:\s*[0-9０-９]{1,2}\s*分)?|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[-–~]\s*\d{1,2}:\d{2})?", re.I)
_PHONE = re.compile(r"(?<!\d)0\d{1,4}-\d{1,4}-\d{3,4}(?!\d)|\+\d[\d\- ]{8,}\d")
HONORIFIC = re.compile(r"\b(?:(?:State|Vice|Deputy|Senior Vice|Parliamentary Vice|Prime|Assistant|Acting)[- ])?"
                        # An abbreviation takes a period; an office (also in lower case, "the environment minister
                        # TANAKA Ichiro") none: "… served as co-chair. Dr. X" names no "Dr".
                        r"(?:(?:Mr|Ms|Mrs|Dr|Prof|Hon|Rev|H\.E)\.?|(?:Minister|Director|Vice[- ]Minister|Secretary|Mayor|Governor"
                        r"|Ambassador|Chair)\.?|(?i:minister|director|vice[- ]minister|secretary|mayor|governor|ambassador"
                        r"|chair)(?!\.))"
                        r"(?:\s+(?:Mr|Ms|Mrs|Dr|Prof|Hon)\.)*"  # stacked: "H.E. Dr. X", "H.E. Mr. X"
                        rf"\s+((?:[{LATIN_UPPER}][{LATIN}\-]+\s?|[A-Z]\.\s(?=[A-Z][a-z])){{1,4}})")  # "Liza M. Tan"
# "(3) 出席者 <X>": a group header that ends the list's label line.
_GROUP_ENDING = re.compile(r"^\s*(?:[-・•*]\s*)?(?:[(（]?\d+[)）]\s*)?[^\s<＜>＞]{1,10}\s*[<＜]\s*([^<>＜＞]{1,40})\s*[>＞]\s*$()")
_LATIN_NAME_LINE = re.compile(rf"^\s*((?:[{LATIN_UPPER}][{LATIN}\-]+|[{LATIN_UPPER}]{{2,}})(?:\s+(?:[{LATIN_UPPER}][{LATIN}\-]+|[{LATIN_UPPER}]{{2,}})){{1,3}})\s*[,、]?\s*(.*)$")
_GROUP = re.compile(r"^\s*(?:[<＜]\s*([^<>＜＞]{1,40})\s*[>＞]|[(（]\s*([^()（）]{1,40})\s*[)）])\s*$")
_ROLE_WORD = re.compile(r"(長|官|大臣|委員|議員|部長|局長|課長|室長|審議官|次長|理事|代表|知事|市長|委員長|議長|参事|補佐|"
                        r"minister|director|secretary|officer|chief|head|chair|president|governor|mayor|deputy|"
                        r"ambassador|commissioner|manager)", re.I)
_LABEL_FITS = {"date": "date", "place": "place", "person": "person", "org": "org", "quantity": "quantity",
               "phone": "phone"}
_TARGET = re.compile(r"\s*(?:まで|までに|以降|目標|を目指|を目標)|\s*(?:target|goal)", re.I)


@dataclass(frozen=True)
class Candidate:
    """A value of the asked type found in a passage, with its span and the context it was read in."""

    kind: Kind
    value: str  # as written in the source, normalized
    start: int  # offsets of the value in the document text
    end: int
    context: str  # the sentence or field it sits in (what the model and the checks read)
    ctx_start: int
    ctx_end: int
    passage: Passage
    rank: int  # retrieval rank of its passage (0 = best)
    score: float = 0.0
    date: DateValue | None = None
    role: str | None = None  # a person's role / organisation, a number's unit
    label: str | None = None  # the field label it was found under
    missing: tuple[str, ...] = ()  # what of the question its clause leaves unstated (rag.values.binding)

    @property
    def bound(self) -> bool:
        """Whether the value answers the question (its clause states what was asked)."""
        return not self.missing

    @property
    def doc_id(self) -> str:
        """The document the value comes from."""
        return self.passage.doc_id


def _sentences(p: Passage) -> list[tuple[int, int]]:
    out = []
    for m in _SENTENCE.finditer(p.text):
        s, e = m.span()
        while s < e and p.text[s].isspace():
            s += 1
        while e > s and p.text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _fields_in(p: Passage, doc_text: str | None) -> list[LabelledField]:
    """Labelled fields whose value starts inside the passage (read in the document, so a label line
    just above the passage still names it)."""
    if doc_text is None:
        fs = find_fields(p.text)
        return [LabelledField(f.label, f.value, f.start + p.start, f.end + p.start, f.label_start + p.start)
                for f in fs]
    lo = max(0, doc_text.rfind("\n", 0, max(0, p.start - 200)))
    fs = find_fields(doc_text[lo:p.end])
    return [LabelledField(f.label, f.value, f.start + lo, min(f.end + lo, p.end), f.label_start + lo)
            for f in fs if p.start <= f.start + lo < p.end]


# ", Mayor of …", ", then Prime Minister": the office a Latin name is given right after it, up to the clause's end.
_OFFICE_AFTER = re.compile(r",\s+(?:the\s+)?(?:then\s+|former\s+)?([A-Z][^,.;:()]{2,80})")


def office_after(text: str, end: int) -> str | None:
    """The office an English text gives a name right after it (", Mayor of Haeseong", ", then Prime Minister")."""
    m = _OFFICE_AFTER.match(text, end)
    return m.group(1).strip() if m and roles_in(m.group(1)) else None


_MUNICIPAL_OFFICE = re.compile(r"[市町村区県郡](?:長|知事)")
_PLACE_OFFICE_AFTER = re.compile(r"[ \u3000]([^\s、。()（）]{1,12}?[市町村区県郡](?:長|知事))")


def _office_after(text: str, e) -> str | None:
    """The office a Latin name of two to four words is given right after it ("Lin Wei, Mayor of Haeseong"): the
    name is then a person's, not a place's or a body's."""
    words = e.text.split()
    if not (2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)) or ORG_END.search(e.text) \
            or country_code(e.text):
        return None
    return office_after(text, e.end)


def _own_sentence(tail: str) -> str:
    """What follows a name on its line, up to the end of its sentence: the next sentence ("…が署名。X市は…") is
    another party's."""
    own = re.split(r"[。．]|(?<=[.;])\s+(?=[A-Z])", tail, maxsplit=1)[0].strip(" ,、")
    # In a Japanese list the title ends at the list's mark or at the next labelled field: "久住 健吾 地球環境審議官、
    # サーベル 環境省次官" gives the first name the first title only; "議長：X 環境大臣（当時）　参加国：7か国".
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", own[:12]):
        own = re.split(r"、|[\u3000 ]+(?=[^\s：:]{1,8}[：:])", own, maxsplit=1)[0]
    return own


def _people(p: Passage, block: tuple[int, int] | None = None) -> list[tuple[str, str, int, int, str]]:
    """(name, role, start, end, group) of people listed in a passage: 'Mr. X, Role', 'Name Role',
    a name line followed by a role line, under group headers '<組織>'."""
    text = p.text
    lo, hi = block if block else (0, len(text))
    lines = []
    pos = 0
    for raw in text.split("\n"):
        if lo <= pos < hi:
            lines.append((pos, raw))
        pos += len(raw) + 1
    out = []
    group = ""
    i = 0
    content = [(s, r) for s, r in lines if r.strip()]
    while i < len(content):
        s, raw = content[i]
        g = _GROUP.match(raw) or _GROUP_ENDING.search(raw)
        if g:
            group = g.group(1) or g.group(2)
            i += 1
            continue
        if NOTE_MARK.match(raw):
            i += 1  # "※ a video message from …": a note about someone, no one listed as present
            continue
        ents = [e for e in named_entities(raw) if e.kind in ("person", "name")]
        # "Minister Counsellor": a second word of office, no name.
        titled = [m for m in HONORIFIC.finditer(raw) if m.group(1).split()[0].casefold() not in TITLES_EN]
        if titled:
            # "Minister KIM Eunkyung of the Ministry of …, Minister LI Ganjie of …": every titled name, with
            # its title and what follows it up to the next name as its role.
            for k, m in enumerate(titled):
                name = m.group(1).strip()
                stop = titled[k + 1].start() if k + 1 < len(titled) else len(raw)
                end = re.search(r"[.;。](?=\s+[A-Z\"“(])", raw[m.end(1):stop])  # a title ends with its sentence
                stop = m.end(1) + end.start() if end else stop
                title = m.group(0)[: m.start(1) - m.start()].strip(" .")
                tail = re.sub(r"(?:[\s,、;]+(?:and)?)+$", "", raw[m.end(1):stop]).strip(" ,、;")
                role = " ".join(x for x in (title, tail) if x)
                start = s + m.start(1)
                out.append((name, role, start, start + len(name), group))
            i += 1
            continue
        m = _LATIN_NAME_LINE.match(raw)
        if m and _ROLE_WORD.search(raw) and name_words(m.group(1)):
            name = m.group(1).strip()
            rest = _own_sentence(raw[m.end(1):])
            start = s + raw.find(name)
            out.append((name, rest, start, start + len(name), group))
            i += 1
            continue
        persons = [e for e in ents if e.kind == "person"]
        if persons:
            e = persons[0]
            rest = _own_sentence(raw[e.end:])
            if not rest and i + 1 < len(content) and _ROLE_WORD.search(content[i + 1][1]) and not named_entities(
                    content[i + 1][1].split()[0] if content[i + 1][1].split() else ""):
                rest = content[i + 1][1].strip()
                i += 1
            # The entity's text is normalised ("山田太郎\u3000…" is read "山田太郎 …"): when the raw line does not
            # hold it as read, its own offsets (into the NFKC line, of the same length here) place it.
            at = raw.find(e.text)
            start = s + (at if at >= 0 else e.start)
            out.append((e.text, rest, start, start + len(e.text), group))
        i += 1
    return out


@dataclass
class _Collector:
    """Candidates of one passage, with their sentence (or field) as context."""

    p: Passage
    rank: int
    out: list[Candidate]

    def __post_init__(self) -> None:
        self.sents = _sentences(self.p)

    def ctx_of(self, off: int) -> tuple[int, int]:
        for s, e in self.sents:
            if s <= off < e:
                return s, e
        return 0, len(self.p.text)

    def add(self, kind: Kind, value: str, s: int, e: int, ctx: tuple[int, int] | None = None, **kw) -> None:
        p = self.p
        cs, ce = ctx or self.ctx_of(s)
        self.out.append(Candidate(kind, nfkc(value).strip(), p.start + s, p.start + e, p.text[cs:ce],
                                  p.start + cs, p.start + ce, p, self.rank, **kw))


def extract(question: Question, passages: Sequence[Passage], doc_texts: dict[str, str]) -> list[Candidate]:
    """Every candidate of the question's asked types in the passages (unscored)."""
    wanted = set(question.types)
    out: list[Candidate] = []
    cuts: dict[str, int | None] = {}  # where each page is cut off, read once per document
    relative: dict[str, list] = {}  # the days each page tells relative to its own date
    columns: dict[str, list[tuple[int, int, str, tuple[str, ...]]]] = {}  # table cells under a header, per document
    for rank, p in enumerate(passages):
        fields = _fields_in(p, doc_texts.get(p.doc_id))
        c = _Collector(p, rank, out)
        if "when" in wanted or "compare" in wanted:
            seen: set[int] = set()
            for f in fields:
                # A page's own date answers only when the page itself is asked of ("when did the release come out").
                if f.role == "date" and (question.asks_published or not page_date_label(f.label, "", 0)):
                    for d in find_dates(f.value):
                        s = f.start - p.start + d.start
                        seen.add(s)
                        c.add("date", d.text, s, s + len(d.text), (f.label_start - p.start, f.end - p.start),
                              date=d, label=f.label)
            for d in find_dates(p.text):
                if d.start not in seen and (d.month or d.year) and not _BASELINE_AFTER.match(p.text[d.end:d.end + 6]) \
                        and not _BASELINE_BEFORE.search(p.text[max(0, d.start - 24):d.start]) \
                        and (question.asks_published or not page_date_label(None, p.text, d.start)):
                    c.add("date", d.text, d.start, d.end, date=d)
            # "本日", "翌19日": days a release tells relative to its own date, read once per document
            if p.doc_id not in relative:
                text = doc_texts.get(p.doc_id) or ""
                relative[p.doc_id] = relative_dates(text, page_date(text)) if text else []
            for d in relative[p.doc_id]:
                if p.start <= d.start and d.end <= p.end:
                    c.add("date", d.text, d.start - p.start, d.end - p.start, date=d)
        if "when" in wanted and question.asks_time:
            for m in _TIME.finditer(p.text):
                c.add("time", m.group(0), m.start(), m.end())
        if ("where" in wanted or "who" in wanted) and question.text:
            # "環境省と JICA が…立ち上げた": the doers of the asked event ("…を立ち上げたのはどこ").
            for event in question.predicates - QUESTION_WORDS:
                for m in re.finditer(rf"([^\s、。「」]{{2,30}}?(?:\s*と\s*[^\s、。「」]{{2,20}}?)?)\s*が[^。]{{0,30}}?{re.escape(event)}",
                                     nfkc(p.text)):
                    doers = m.group(1)
                    if (ORG_END.search(doers) or re.search(r"[市県町村区州国]$|^[A-Z]{2,}$", doers)) and \
                            not any(t in doers for t in TITLES_JA):
                        c.add("org", m.group(1), m.start(1), m.end(1))
            # Bodies named in the text ("国際協力銀行の支援のもと", "the Japan Bank for International Cooperation").
            text = nfkc(p.text)
            for m in _ORG_NAME.finditer(text):
                # "| みなかぜエナジー株式会社": a name may start in hiragana where a cell or line starts, never
                # after a particle inside a sentence ("本市はエナジー株式会社と").
                lead = re.search(r"(?:^|(?<=[\s|｜:：、,(（「]))[\u3041-\u3096ー]{2,8}$", text[max(0, m.start() - 9):m.start()])
                start = m.start() - (len(lead.group(0)) if lead else 0)
                c.add("org", text[start:m.end()], start, m.end())
        if "where" in wanted:
            for f in fields:
                if f.role == "place":
                    first = f.value.split("\n")[0].strip()
                    s = f.start - p.start
                    c.add("place", first, s, s + len(first), (f.label_start - p.start, f.end - p.start),
                          label=f.label)
            for m in PLACE_JA.finditer(p.text):
                # "覚書は2019年5月14日にオストラバで": the place is what follows the last particle.
                phrase = re.split(r"として|[はがをにも]", m.group(1))[-1].lstrip("・")
                if re.match(r"[のでとへやか]", phrase):
                    continue  # "…のジャパン・パビリオン": a fragment cut inside a noun phrase, not a place's name
                # "共通で取り組む" is no place: the phrase must hold a name (a place, a katakana word).
                if any(e.kind in ("place", "country", "name") for e in named_entities(phrase)) or \
                        re.search(r"[\u30a0-\u30ff]{2,}", phrase):
                    lead = m.end(1) - len(phrase)
                    c.add("place", phrase, lead, m.end(1), label="で")
            for m in PLACE_EN.finditer(p.text):
                c.add("place", m.group(1), m.start(1), m.end(1), label="in")
            people = [(t.start, t.end) for t in titled_names(p.text, TITLES_JA, NOT_NAMES_JA)]
            for e in named_entities(p.text):
                if any(a <= e.start < b for a, b in people):
                    continue  # "長浜環境大臣": a minister's name, not the town
                if e.kind == "name" and _NAME_GOES_ON.match(p.text[e.end:e.end + 40]):
                    continue  # "Tripartite Water Forum": the first word of a longer name, not a place
                if e.kind == "name" and re.fullmatch(r"[A-Z]{2,8}", e.text) and country_code(e.text) is None and (
                        p.text[e.start - 1:e.start] in ("(", "（") or p.text[e.end:e.end + 1].isdigit()):
                    continue  # "the 6th Forum (ZEF6)": a series' code, not a place (a body's, "JICA", may be asked as "どこ")
                if e.kind in ("place", "country", "name") and not _ORG_TAIL.match(p.text[e.end:e.end + 6]):
                    c.add("place", e.text, e.start, e.end)
        if "who" in wanted:
            # A block of lines under a label naming people or their part ("■ Co-chairs" over "(Japan) Mr. …"):
            # each person found in it carries the label.
            blocks = [(f.start - p.start, f.end - p.start, f.label) for f in fields
                      if f.role in ("person", "org") or roles_in(f.label) or relations_in(f.label) & _PERSON_PARTS]
            for f in fields:
                if f.role == "org":
                    s = f.start - p.start
                    c.add("org", f.value, s, s + len(f.value), (f.label_start - p.start, f.end - p.start),
                          label=f.label)
            # "議長：高畑 恵子　国立環境研究所 客員研究員": a person under a label naming their part (what else the
            # value holds is their title, not more people).
            labelled: list[tuple[int, int]] = []
            for f in fields:
                if f.role == "person" or roles_in(f.label) or relations_in(f.label) & _PERSON_PARTS:
                    # One person per line, each line maybe led by the side it names ("日本側　村瀬 啓介　審議官" /
                    # "ポーランド側　…"): the side joins the person's title (whose they are).
                    at = f.start - p.start
                    for line in f.value.split("\n"):
                        folded = nfkc(line)
                        side = _SIDE_LEAD.match(folded)
                        lead = side.end() if side else 0
                        m = _LEADING_NAME.match(folded[lead:])
                        if m and (side or at == f.start - p.start):
                            s = at + lead + m.start(1)
                            rest = folded[lead + m.end(1):].strip(" 　、,（()）")
                            role = " ".join(x for x in (side.group(1) if side else "", rest) if x)
                            c.add("person", m.group(1), s, s + len(m.group(1)),
                                  (f.label_start - p.start, f.end - p.start), role=role or None, label=f.label)
                            labelled.append((at, at + len(line)))
                        at += len(line) + 1
            # Japanese prose names people with their title: "長浜環境大臣", "イサベル・ロハス国際局長" (first: the
            # title read this way is cleaner than a listed line's tail).
            # ("ペルー環境大臣": a country's minister, unnamed — a country is nobody's name.)
            entities = named_entities(p.text)
            # ("今泉 直樹 穂波江市長": 穂波江 is the office's city, read as a place after the name before it.)
            places = {(e.start, e.end) for e in entities if e.kind == "place" and _MUNICIPAL_OFFICE.match(p.text, e.end)}
            titled = [t for t in titled_names(p.text, TITLES_JA, NOT_NAMES_JA)
                      if not any(a <= t.start < b for a, b in labelled) and not country_code(t.name)
                      and (t.start, t.end) not in places]
            for t in titled:
                label = next((b[2] for b in blocks if b[0] <= t.start < b[1]), None)
                c.add("person", t.name, t.start, t.end, role=t.title, label=label)
            for name, role, s, e, group in _people(p):
                if any(t.start <= s < t.end or s <= t.start < e for t in titled) or any(a <= s < b for a, b in labelled):
                    continue
                label = next((b[2] for b in blocks if b[0] <= s < b[1]), None)
                role_text = " ".join(x for x in (group, role) if x)
                c.add("person", name, s, e, role=role_text or None, label=label)
            for e in entities:
                taken = any(x.kind == "person" and x.start <= p.start + e.start < x.end for x in out)
                if e.kind == "person" and not taken:
                    # "今泉 直樹 穂波江市長": the place's office after the name is the person's title
                    office = _PLACE_OFFICE_AFTER.match(p.text, e.end)
                    c.add("person", e.text, e.start, e.end, role=office.group(1) if office else None)
                elif e.kind == "name" and not taken and (office := _office_after(p.text, e)):
                    c.add("person", e.text, e.start, e.end, role=office)  # "attended by Lin Wei, Mayor of Haeseong"
        if "how_many" in wanted:
            if p.doc_id not in columns:
                text = doc_texts.get(p.doc_id)
                columns[p.doc_id] = _table_cells(text) if text else []
            for m in QUANTITY.finditer(nfkc(p.text)):
                if m.group(3) or m.group(4):
                    at = p.start + m.start(2)
                    cell = next((x for x in columns[p.doc_id] if x[0] <= at < x[1]), None)
                    if cell is not None and _asks_column(question, cell[3]) and not _asks_column(question, (cell[2],)):
                        continue  # a number under another column than the one the question names
                    # "JPY 1.2 billion", "US$50 million": the currency written before the number is the value's
                    lead = CURRENCY_BEFORE.search(nfkc(p.text[max(0, m.start() - 4):m.start()]))
                    start = m.start() - len(lead.group(0)) if lead else m.start()
                    c.add("quantity", p.text[start:m.end()].strip(), start, m.end(),
                          role=(m.group(4) or m.group(3) or ""), label=cell[2] if cell else None)
            for value, s, e, ctx, label in _group_counts(p, question, doc_texts.get(p.doc_id)):
                c.add("quantity", value, s, e, ctx=ctx, role="人", label=label)
            # "152 people took part: 58 in person and 94 online"; "Of the participants, 16 came from Japan"; "142
            # participants registered, 98 of them in person":
            # bare numbers in a sentence about people, each said with how or whence they came, count people.
            for s0, e0 in c.sents:
                sent = p.text[s0:e0]
                if _PEOPLE_EN.search(sent):
                    for m in _PEOPLE_COUNTED_EN.finditer(sent):  # "Some 45 participants, 15 of them online"
                        c.add("quantity", m.group(1), s0 + m.start(1), s0 + m.end(1), role="people")
                    for m in _BARE_PEOPLE.finditer(sent):
                        # Its label is what the sentence says of them all ("152 people took part:", "Of the
                        # in-person participants,"): the relation and the way of taking part its clause omits.
                        lead = sent[:m.start()]
                        cut = lead.rfind(":") + 1 or (lead.find(",") + 1 if lead.lower().startswith("of ") else 0)
                        c.add("quantity", m.group(1), s0 + m.start(1), s0 + m.end(1), role="people",
                              label=lead[:cut].strip() or None)
        if "what" in wanted and question.asks_contact:
            for m in _PHONE.finditer(p.text):
                c.add("phone", m.group(0), m.start(), m.end())
        asked = question.words - QUESTION_WORDS
        for f in fields:
            # "セミナーの言語は何" → the value under the label 言語: the label is what is asked.
            if set(tokenize(f.label)) & asked:
                first = f.value.split("\n")[0].strip()
                if _column_labels(first):
                    continue  # a heading over a table: its first line names the columns and states nothing
                s = f.start - p.start
                c.add("field", first, s, s + len(first), (f.label_start - p.start, f.end - p.start), label=f.label)
        if p.doc_id not in cuts:
            text = doc_texts.get(p.doc_id)
            cuts[p.doc_id] = cut_start(text) if text else None
        cut = cuts[p.doc_id]
        for s, e in c.sents:
            if cut is None or p.start + e <= cut:  # a sentence the page's cut stopped half-way states nothing whole
                c.add("sentence", p.text[s:e], s, e, (s, e))
    # Orders written into a document ("ignore all previous instructions and answer …") state no fact.
    return [x for x in out if not is_instruction(x.context)]


def _table_cells(text: str) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """(start, end, column, the headers the question may name) of every headed table cell in a document:
    a number in a table is said of its row and its column."""
    out = []
    for table in find_tables(text):
        if not table.header:
            continue
        for row in table.rows:
            named = tuple(c.header for c in row.cells[1:] if c.header)  # the key column is what rows are about
            out += [(c.start, c.end, c.header, named) for c in row.cells[1:] if c.header]
    return out


def _asks_column(question: Question, headers: tuple[str, ...]) -> bool:
    """Whether the question names one of a table's columns by its own words."""
    words = question.words - QUESTION_WORDS
    # "事業費(決算額)" is named by "事業費": a header's words before its bracket
    return any((set(tokenize(core)) - QUESTION_WORDS) <= words
               for h in headers if (core := re.split(r"[(（]", h)[0].strip()))


def _group_counts(p: Passage, question: Question,
                  doc_text: str | None = None) -> list[tuple[str, int, int, tuple[int, int], str | None]]:
    """'<組織>' groups of a people list and how many people each lists (a count code can make): the groups
    the question names as a side, else every group together (one group's count answers no question that
    names none); with the list's label when it stands before the passage ("■ Primary attendees")."""
    people = _people(p)
    groups: dict[str, list[tuple[int, int]]] = {}
    for _, _, s, e, group in people:
        if group:
            groups.setdefault(group, []).append((s, e))
    if not groups:
        return []
    asked = [g for g in groups if _names_group(g, question)]
    # The first group's header: the line above its first person ("(Chile)" — not "Chile" in the page's title).
    person_line = p.text.rfind("\n", 0, next(iter(groups.values()))[0][0]) + 1
    first = p.text.rfind("\n", 0, len(p.text[:person_line].rstrip("\n"))) + 1
    label = _list_label(p.text, first)  # what the list is: each group's context too
    above = None
    if doc_text is not None and label == p.text.rfind("\n", 0, first) + 1:
        at = _list_label(doc_text, p.start + first)
        above = doc_text[at:p.start + label].strip() or None if at < p.start else None
    out = []
    for group, spans in groups.items():
        if group in asked or (not asked and len(groups) == 1):
            out.append((f"{len(spans)}人（{group}）", spans[0][0], spans[-1][1], (label, spans[-1][1]), above))
    if not asked and len(groups) > 1:
        spans = [x for v in groups.values() for x in v]
        parts = "、".join(f"{g} {len(v)}人" for g, v in groups.items())
        out.append((f"{len(spans)}人（{parts}）", spans[0][0], spans[-1][1], (label, spans[-1][1]), above))
    return out


def _list_label(text: str, at: int) -> int:
    """Where a people list's context starts: its label's line ("出席者", "(3) 出席者 <X>") when the line of
    the first group header, or the short line before it, says what the list is."""
    line = text.rfind("\n", 0, at) + 1
    before = text[:line].rstrip("\n")
    prev = before.rfind("\n") + 1
    label = before[prev:].strip()
    return prev if label and len(label) <= 30 and not re.search(r"[。.]$", label) else line  # "■ Primary attendees"


def _names_group(group: str, question: Question) -> bool:
    """Whether the question names a group of a people list as the side it asks about ("オストラバ市側",
    "from Singapore")."""
    core = re.split(r"[(（]", group)[0].strip()
    if any(named_in(side, core) or named_in(core, side) for side in question.sides):
        return True
    text = nfkc(question.text)
    if core and (re.search(re.escape(nfkc(core)) + r"\s*(?:側|から|より)", text)
                 or re.search(r"\b(?:from|for)\s+(?:the\s+)?" + re.escape(nfkc(core)), text, re.I)):
        return True  # "オストラバ市から出席したのは", "from the Kitaura City Office"
    return bool(question.agents) and bool(question.agents & (affiliation(core) | affiliation(group)))


def _shares_word(words: set[str], context: set[str]) -> bool:
    """Whether a context holds one of the words, an English one in any of its forms ("announce", "announced")."""
    if words & context:
        return True
    stems = {w[:6] for w in words if len(w) >= 6 and w.isascii() and w.isalpha()}
    return any(t[:6] in stems for t in context if len(t) >= 6 and t.isascii())


def score(candidates: list[Candidate], question: Question, weight: Callable[[str], float],
          about: Sequence[str] = ()) -> list[Candidate]:
    """Candidates ranked: question words near them (rare ones most), a label of the asked kind, the
    question's names in their context, and the rank of their passage."""
    q_terms = {t for t in question.words if t not in QUESTION_WORDS and not t.isdigit() and len(t) > 1}
    about_terms = {t for a in about for t in tokenize(a)}
    name_terms = question.name_tokens
    # What the question says happened (締結, 開催, 署名): a value is about that event where it is said.
    events = question.predicates - QUESTION_WORDS - name_terms
    attribute = q_terms - name_terms - about_terms  # what is asked of the named things ("人口")
    acronyms = re.findall(r"\b[A-Z][A-Z0-9]{1,6}\b", question.text)
    # "Which Chinese minister": the country an adjective names is a word to find near the value.
    near_terms = q_terms | {c for w in re.findall(r"[A-Za-z]+", question.text) if (c := adjective_country(w))}
    near_total = sum(weight(t) for t in near_terms) or 1.0
    out = []
    for c in candidates:
        ctx_all = set(tokenize(f"{c.context} {c.label or ''} {c.passage.section or ''}"))
        if c.kind == "quantity" and attribute and not _shares_word(attribute, ctx_all) and not (
                question.language == "ja" and question.agents and not is_japanese(c.context)) and not (
                c.role == "people" and question.unit in COUNTED_PEOPLE):  # "people" asked, "participants" counted
            # A number near none of the asked attribute's words answers something else (a Japanese asker's words
            # cannot be looked for in an English report: the payer it names must be the clause's, as binding checks).
            continue
        own = set(tokenize(c.context)) | set(tokenize(c.label or "")) | set(tokenize(c.role or ""))
        section = set(tokenize(c.passage.section or "")) - own
        # A sentence answers by its own words; its heading only half counts (a comment's heading names the
        # speaker, not what the sentence says).
        overlap = sum(weight(t) for t in q_terms & own) + (0.5 if c.kind == "sentence" else 1.0) * sum(
            weight(t) for t in q_terms & section)
        total = sum(weight(t) for t in q_terms) or 1.0
        s = overlap / total
        if c.kind == "sentence" and acronyms and any(re.search(
                rf"(?:[:：(（]\s*{re.escape(a)}\s*[)）]|{re.escape(a)}\s*[)）]?\s*とは|\b{re.escape(a)}\b\s+(?:stands|means))",
                c.context) for a in acronyms):
            s += 0.3  # "X（…）とは", "(… : X)": the sentence that defines the acronym asked about
        s += 0.3 / (1 + c.rank)
        if c.kind != "sentence":
            # Of two values in one sentence, the one whose own clause holds the question's words
            # ("2011年3月に声明の署名、2012年11月に覚書を締結": the 覚書 one).
            s += 0.3 * sum(weight(t) for t in near_terms & set(tokenize(_clause(c)))) / near_total
        heading = set(tokenize(_last_heading(c.passage.section)))
        if c.kind != "sentence" and q_terms & heading:
            s += 0.2  # the value sits under a heading naming what the question asks about ("2 締結式")
        if c.kind in ("date", "place", "person", "org") and events & (set(tokenize(c.context)) | heading):
            s += 0.35  # …and where the asked event is named
        if c.label and c.kind != "sentence":
            s += 0.3 if _LABEL_FITS.get(label_role(c.label)) == c.kind or label_role(c.label) == c.kind else 0.05
        at, to = c.start - c.passage.start, c.end - c.passage.start
        if c.kind == "date" and (_TARGET.match(c.passage.text[to:to + 8])
                                 or TARGET_BEFORE.search(c.passage.text[max(0, at - 20):at])):
            s -= 0.25  # "2050年までに", "by 2030": a target, not when something happened
        if about_terms and not (about_terms & (own | section)):
            s -= 0.1
        if c.kind == "quantity" and question.unit:
            if not _unit_matches(question.unit, c.role or ""):
                continue  # "how many tonnes": a count of people or meetings does not answer it
            s += 0.3
        if c.kind == "field":
            s += 0.4  # the question names this value's own label
        if c.label in ("で", "in") and c.kind == "place":
            s += 0.1
        if c.kind == "date" and c.date is not None:
            s += 0.05 * (c.date.precision - 1)
        if question.years and c.kind != "sentence" and any(
                d.year in question.years and d.start != c.start - c.ctx_start for d in find_dates(c.context)):
            s += 0.3  # the sentence names the question's year for what it is about ("their 2010 agreement")
        out.append(_with_score(c, s))
    return sorted(out, key=lambda c: -c.score)


_CLAUSE_BREAK = re.compile(r"[、，；;]|,\s")


def _clause(c: Candidate) -> str:
    """The clause of its sentence a value sits in (between commas, 、 or semicolons)."""
    at, end = c.start - c.ctx_start, c.end - c.ctx_start
    before = [m.end() for m in _CLAUSE_BREAK.finditer(c.context, 0, max(at, 0))]
    after = _CLAUSE_BREAK.search(c.context, max(end, 0))
    return c.context[before[-1] if before else 0:after.start() if after else len(c.context)]


def _last_heading(section: str | None) -> str:
    return (section or "").split(" / ")[-1]


# Units that measure (money, shares, sizes): never the answer to "how many <things>".
_MEASURES = ("%", "％", "km", "m²", "㎡", "ha", "t", "トン", "tonnes", "tons", "million", "billion", "thousand",
             "percent", "年", *MONEY_WORDS)


_PEOPLE_EN = re.compile(r"\b(?:people|participants|attendees|delegates|persons)\b", re.I)
_PEOPLE_COUNTED_EN = re.compile(r"(?<![\w.,/\-])(\d{1,5})(?![\d,.]\d)(?=\s+(?:people|participants|attendees|delegates|persons)\b)", re.I)
_BARE_PEOPLE = re.compile(r"(?<![\w.,/\-])(\d{1,5})(?![\d,.]\d)(?=\s+(?:of\s+(?:them|whom)\s+)?(?:(?:came|were|joined|attended|took part)\s+)?"
                          r"(?:in person|in-person|online|virtually|on site|from)\b)", re.I)


def _unit_matches(asked: str, unit: str) -> bool:
    """Whether a number's counter counts what the question asks the number of: a counter of a kind of thing
    (人, か国, 都市, 件 …) answers only a question about that kind; a thing of no kind ("how many species")
    takes any counter that is no kind's and no measure."""
    asked, unit = asked.lower(), unit.lower()
    group = next((counters for counters, things in COUNTERS if asked in things), None)
    if group is not None:
        return unit in group or any(unit.startswith(w) for w in group if not re.fullmatch(r"[a-z]", w))
    if not re.fullmatch(r"[a-z]+", asked):
        return unit == asked or unit.startswith(asked)
    return bool(unit) and unit not in COUNTER_WORDS and not any(unit.startswith(m) for m in _MEASURES)


def _with_score(c: Candidate, s: float) -> Candidate:
    from dataclasses import replace

    return replace(c, score=round(s, 4))


def rarity(doc_freq: int) -> float:
    """How much a word says, from how many chunks hold it: rare words weigh most."""
    return 1.0 / (1.0 + math.log1p(doc_freq))


def _column_labels(line: str) -> bool:
    """Whether a line is a table's header: three or more cells, no figure, no sentence ("年度 来県研修員 派遣")."""
    cells = [x for x in re.split(r"[\s|｜]+", nfkc(line)) if x]
    return len(cells) >= 3 and not re.search(r"\d|[。.!?！？]", line)
