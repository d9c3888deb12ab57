"""What a question asks, read by code in Japanese and English: the answer type(s) (when / where / who /
how many / which / what / why-how / yes-no / compare), order (first, latest), a count or a list of
meetings, the meeting number, years, and the names it mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal

from ingest.cleaner import nfkc
from ingest.dates import DateValue, find_dates
from ingest.names import affiliation, countries_in, country_code, equivalents_in, name_words, series_kind
from ingest.ordinals import find_ordinals
from ingest.tokenizer import ENGLISH_STOPWORDS, Entity, named_entities, noun_runs, nouns, predicates, tokenize
from ingest.transliteration import LATIN, LATIN_UPPER
from rag.read.crosslingual import content_phrases
from rag.read.language import detect_language
from rag.read.relations import RELATIONS, ROLES, relation_phrase_words, relations_in, roles_in
from rag.read.vocabulary import (
    ASKS_COUNTRY,
    ASKS_FUTURE,
    ASKS_HOW_MUCH_LAST_JA,
    ASKS_HOW_MUCH_NOUN,
    ASKS_LOCALITY,
    ASKS_WHEN_NOUN,
    ASKS_WHERE_NOUN,
    ASKS_WHO_LAST_JA,
    ASKS_WHO_NOUN,
    BODY_JA,
    COUNTED_THINGS,
    COUNTERS,
    LEFT_OUT,
    MONEY_ASKED,
    NEXT,
    NOT_CONTENT,
    NUMBER_WORDS,
    PAYER_EN,
    PAYER_JA,
    PUBLISHED_DOCUMENT,
    PUBLISHED_VERB,
    QUESTION_WORDS,
    SERVING_JA,
    SINCE_AFTER,
    SINCE_BEFORE,
    SOURCE_AFTER,
    SOURCE_BEFORE,
    TAKEN_IN_OR_OUT,
    UNTIL_AFTER,
    UNTIL_BEFORE,
    frame_noun,
)
from rag.types import Language

AnswerType = Literal["when", "where", "who", "how_many", "which", "what", "why_how", "yes_no", "compare"]
Order = Literal["first", "latest"]

# "収集率はどこまで上がった": how far a figure went, a degree, not a place.
_DEGREE = r"まで(?=[^。？?]{0,8}?(?:上が|上昇|増|伸び|向上|達し|減|下が|低下|高ま|改善|拡大|縮小))"
# (type, pattern): the position of the match orders the parts of a two-part question.
# The Japanese words of offices (rag/data/relations.json roles).
_OFFICES_JA = "|".join(re.escape(w) for _, ja in ROLES.values() for w in ja)
# "…した日本の環境大臣は？": a question ending with an office asks who holds it.
_OFFICE_LAST_JA = rf"(?:{_OFFICES_JA})(?:は|って)\s*[？?]?\s*$"
# "…で共同議長を務めたのは？": who held the office.
_OFFICE_SERVED_JA = rf"(?:{_OFFICES_JA})(?:を|として)(?:{SERVING_JA})[^。？?]{{0,4}}?の(?:は|って)\s*[？?]?\s*$"
_TYPES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    ("when", re.compile(rf"いつ|何年(?!間|かか|経|たっ|たち|ほど|くらい|ぐらい|早|遅)|何月|何日|何時(?!間)|時刻|日時|時期|開催日|年月日|目標年|(?<=[たの])日(?:付)?は\s*[？?]?\s*$|\bwhen\b|{ASKS_WHEN_NOUN}"
                        r"|\b(?:target|deadline|completion|expiry|expiration) (?:year|date)\b"
                        r"|\bdates?\b(?= of| was| were)", re.I)),
    ("where", re.compile(rf"どこ(?!{_DEGREE})|(?:場所|開催地|会場)(?:は|を教え|[?？])|(?<![なほ])どの(?:都市|国|町|市)|\bwhere\b|{ASKS_WHERE_NOUN}"
                         r"|\bin what (?:form|format)\b"
                         r"|(?:どのような|どんな|何の)(?:形式|形態|方式)|\bin person or online\b|\bonline or in person\b", re.I)),
    ("who", re.compile(rf"誰|だれ|どなた|氏名|\bwho(?:m|se)?\b|{ASKS_WHO_NOUN}|{ASKS_WHO_LAST_JA}|{_OFFICE_LAST_JA}|{_OFFICE_SERVED_JA}"
                       r"|(?<![なほ])どの(?:機関|組織|省|銀行|団体|企業|会社|大学|人物)", re.I)),
    ("how_many", re.compile(rf"どこ{_DEGREE}|何回|何度|回数|何件|何人|何名|何トン|何キロ|何万|何億|何円|何ドル|何か国|何カ国|何ヶ国|何か所|いくつ|いくら|(?<![なほ])どのくらい|どれくらい"
                            r"|何(?:世帯|カ所|箇所|地点|社|団体|都市|校|基|台|本|戸|機関|品目|種類|分野|項目|事業|割|パーセント|%|倍|ヘクタール)"
                            r"|(?:額|金額|予算|費用|人数|件数)(?:と|を教え|は(?:何|いくら|どれ))"
                            r"|何年早|何年遅|何年(?=間|かか|経|たっ|たち|ほど|くらい|ぐらい)|\bhow (?:many|much|large|big|long|far)\b|(?<!phone )(?<!telephone )(?<!fax )\bnumber of\b|\bin how many\b"
                            r"|\bhow (?:often)\b|\bwhat(?:['’]s|\s+(?:is|was|are|were)) (?:the|its|their) (?:[\w\-]+\s+){0,4}?(?:population|area|budget|costs?"
                            r"|amount|size|share|percentage|proportion|rate|capacity|sum)\b|\bwhat (?:share|percentage|proportion)\b"
                            rf"|\bwhat(?:['’]s|\s+(?:is|was)) the number of\b|{ASKS_HOW_MUCH_NOUN}|{ASKS_HOW_MUCH_LAST_JA}", re.I)),
    ("which", re.compile(r"(?<![なほ])どの(?:会合|回|対話|会議)|(?:会合|回|対話|会議)は?どれ|第何回|何番目|何回目|\bwhich\s+(?:[\w–\-]+\s+){0,4}?(?:meetings?|dialogues?"
                         r"|sessions?|rounds?|editions?|one|ones|time)\b|\bwhat (?:meeting|number)\b", re.I)),
    ("why_how", re.compile(r"なぜ|どうして|(?<![なほ])どのように|どうやって|(?<![なほ])どのような形(?![式態])|\bwhy\b|\bhow (?:was|were|did|is|are|does|do)\b", re.I)),
    ("what", re.compile(r"何を|何が|何に|何と|何で|何の|何です|何でし|なに|どんな|(?<![なほ])どのような|(?<![なほ])どの(?!ような|よう|くらい)"
                        r"|\bwhat\b|\bwhich\b|\bdescribe\b"
                        r"|\btell me\b", re.I)),
)
_COMPARE = re.compile(r"どちら|どっち|それとも|比べ|より(?:どれだけ|どれくらい|どのくらい|いくら|何人|何)?(?:早|遅|前|後|先|多|少)"
                      r"|何年早|何年遅|それぞれ"
                      r"|\bhow (?:many|much) (?:more|fewer|less)\b[^?]*\bthan\b|\bcompared?\b|\bwhich (?:came|was|happened|started|began) (?:first|earlier|later)\b"
                      r"|\b(?:earlier|later|first)\b.*\bor\b|\bor\b.*\b(?:earlier|later|first)\b"
                      r"|\bhow many years (?:earlier|later|before|after)\b"
                      r"|\b(?:which|has|have|had|did|does|do|was|were|is|are)\b[^?]*"
                      r"\b(?:more|fewer|less|larger|bigger|smaller|higher|lower|greater|longer|shorter)\b[^?]*\bor\b",
                      re.I)
# "first" orders events only when it is about them: "first came up", "the first … meeting", not "the first
# overseas demonstration" (a noun phrase of its own).
_EVENT_NOUN = r"(?:meetings?|dialogues?|talks|sessions?|times?|rounds?|forums?|conferences?|summits?|workshops?|symposi(?:um|a)s?)"
_EVENT_VERB = r"(?:come|came|discuss\w*|held|hold|mention\w*|raise\w*|met|meet|took place|take place|talk\w*|address\w*|appear\w*)"
# "the first TEMM": a series by its acronym, read as "the first meeting" (not "the first JCM project").
_FIRST = re.compile(rf"\bfirst\s+(?:[\w–\-&]+['’]?\s+){{0,6}}?{_EVENT_NOUN}\b|\bfirst\s+[A-Z]{{2,}}\b(?=\s*[?？.,!]|\s*$|\s+(?:was|were|is|held|took|happened|in|at|on)\b)|\bfirst\s+(?:\w+\s+){{0,2}}?{_EVENT_VERB}\b"
                    rf"|\b{_EVENT_VERB}\s+(?:\w+\s+){{0,3}}?first\b|\b(?:earliest|initially|for the first time)\b"
                    # "when did the dialogue start", "start holding the talks" (not "start its waste project")
                    rf"|\b{_EVENT_NOUN}\s+(?:\w+\s+){{0,2}}?(?:started|began|begin|start)\b"
                    rf"|\b(?:started|began|begin|start)\s+(?:\w+\s+){{0,2}}?{_EVENT_NOUN}\b|\bcame first\b|最初|初めて|はじめて|初回|一番早|最も早"
                    rf"|(?:会合|対話|会議|フォーラム|開催)[^。？?]{{0,12}}(?:始ま|開始)|(?:始ま|開始)[^。？?]{{0,12}}(?:会合|対話|会議|フォーラム)", re.I)
_LATEST = re.compile(r"\b(latest|last|most recent|newest|recently)\b|最新|最後|直近|一番最近|最も最近|最も新しい|最近", re.I)
# A count of meetings/events, not "how many tonnes / people": that is a quantity to find.
_COUNT = re.compile(r"\b(?:how many|number of)\s+(?:\S+\s+){0,6}?(?:meetings?|times|dialogues?|sessions?|rounds?|forums?|conferences?|summits?|workshops?)\b"
                    r"|\b(?:how often|in how many)\b|(?<!第)何回|何度|回数|(?:いくつ|何件)の?(?:会合|対話|会議)", re.I)
_LIST = re.compile(r"\bwhich\s+(?:[\w–\-]+\s+){0,4}?(?:meetings|ones|years|dialogues|sessions)\b|\blist(?: all)?\b"
                   r"|\ball (?:the )?meetings\b|\bin which years\b|(?<![なほ])どの会合|(?<![なほ])どの回|一覧|すべて|全て|いつといつ|何年と何年|第何回", re.I)
TARGET_BEFORE = re.compile(r"\b(?:by|until|toward|towards|before)\s+(?:the\s+(?:year\s+)?)?$", re.I)
_TARGET_AFTER = re.compile(r"^\s*年?\s*(?:まで|を目指|目標)")
# What the documents list, not what happened ("does the page list", "と記載されていますか").
_ASKS_LISTED = re.compile(r"\b(?:the )?(?:page|pages|documents?|table|list)\s+(?:lists?|shows?|mentions?|gives?)\b"
                          r"|\blisted\b|と記載|記載されて|掲載されて", re.I)
# A question about an aim, not an event: the dates it asks or gives are targets.
_TARGET_WORDS = re.compile(r"\b(?:aims?|aiming|aimed|targets?|targeted|goals?|objectives?|expected|projected|scheduled"
                           r"|planned|plans?|will)\b|\bby (?:when|(?:what|which) (?:(?:fiscal|calendar|financial) )?(?:year|date|time))\b|目標|目指|めざ|予定|見込"
                           r"|(?:何年|いつ|何年度)までに|までに(?:何|いつ)(?![^。？?]*(?:ました|でした)か)", re.I)  # past: held by then
# "the total budget", "合計", "総額": a sum, stated as one (a total line, 合計, 総額), not any one amount.
_ASKS_END = re.compile(r"\buntil when\b|\bvalid (?:until|through)\b|\bwhen (?:does|did|will) (?:it|the \w+(?: \w+)?) "
                       r"(?:expire|end)\b|\bexpir\w*|いつまで|有効期間|有効期限|満了|満期", re.I)
_ASKS_ORG = re.compile(r"\b(?:which|what)\s+(?:[\w\-]+\s+){0,2}?(?:organi[sz]ations?|ministr(?:y|ies)|agenc(?:y|ies)|banks?"
                       r"|funds?|institutions?|institutes?|universit(?:y|ies)|compan(?:y|ies)|bod(?:y|ies)|firms?|groups?"
                       r"|governments?|departments?|cit(?:y|ies)|countr(?:y|ies))\b|(?<![なほ])どの(?:機関|組織|省|銀行|団体|企業|会社|大学|国|都市|自治体)"
                       r"|(?:機関|組織|省|銀行|団体|企業|会社|大学)はどこ", re.I)
# "Which Ministry of the Environment official": a person of the body, not the body.
_PERSON_OF_BODY = re.compile(r"^(?:\s+(?:of|for|and|the|[A-Z][\w\-]*)){0,5}\s+(?:officials?|officers?|ministers?|directors?"
                             r"|representatives?|staff|delegates?|heads?|spokes(?:person|man|woman))\b", re.I)
_ASKS_TIME = re.compile(r"\b(?:at\s+)?(?:what|which)\s+(?:local\s+)?time\b|何時(?!間|点|ごろ)|時刻|時間帯"
                        r"|(?<![本地在])時間(?:は|を(?:教|知))", re.I)
_ORIGINAL = re.compile(r"\b(?:first|originally|initially|original)\b|最初|初めて|はじめて|当初|元々|もともと", re.I)
_PAST = re.compile(r"\b(?:did|was|were|had|has been|have been)\b|(?:ました|した|った|だった|でした)(?:か|の|っ|[?？。]|$)", re.I)
# "何月何日", "何日に", "which day", "the exact date": the day itself is asked ("何日間" is a length of time).
_ASKS_DAY = re.compile(r"何日(?!間)|(?<=[たの])日(?:付)?は\s*[？?]?\s*$|\b(?:which|what) day\b|\bexact date\b|\bwhich date\b|\bon what date\b", re.I)
_ASKS_FISCAL = re.compile(r"\b(?:which|what|in which|in what) (?:fiscal|financial) year\b|何年度|どの年度", re.I)
# "in total", "合計": a count or amount asked as a total (how the question asks, not what about).
TOTAL = re.compile(r"\b(?:total|in total|altogether|combined|overall|sum|cumulative(?:ly)?)\b|合計|総額|総事業費|合わせて|計何|総計|累計|通算|延べ|全部", re.I)
# "EAWF3", "TEMM19": a series' acronym with its meeting number.
_ACRONYM_NUMBER = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Z&]{1,9})[-\s]?(\d{1,3})(?![\d])")


def _is_target(text: str, d) -> bool:
    """Whether a year is a target ("by 2050", "2050年までに"), judged by the words next to it only."""
    return bool(TARGET_BEFORE.search(text[max(0, d.start - 20):d.start])
                or _TARGET_AFTER.match(text[d.end:d.end + 6]))


def _bound(text: str, d) -> str | None:
    """'until' or 'since' when a question's date bounds a span ("as of 2022", "2014年以降"), else None."""
    before, after = text[max(0, d.start - 30):d.start], text[d.end:d.end + 8]
    if UNTIL_BEFORE.search(before) or UNTIL_AFTER.match(after):
        return "until"
    if SINCE_BEFORE.search(before) or SINCE_AFTER.match(after):
        return "since"
    return None
# What counting meetings counts ("times", "sessions", "回"): the things of the counter 回 (vocabulary.json).
_MEETINGS_COUNTED = next(things for counters, things in COUNTERS if "回" in counters)
_UNIT_EN = re.compile(r"\bhow many\s+((?:[\w\-]+\s*){1,3})", re.I)
_UNIT_JA = re.compile(r"何(人|名|か国|カ国|ヶ国|件|回|度|社|都市|か所|カ所|箇所|地点|世帯|団体|校|基|台|戸|分野|tonnes?|トン|円|ドル|km|年)")
_YES_NO_EN = re.compile(r"^\s*(?:did|was|were|is|are|does|do|has|have|had|can|could|will)\b", re.I)


@dataclass(frozen=True)
class Question:
    """A question as code reads it; `ja` is its Japanese rendering when it was asked in English."""

    text: str
    language: Language
    types: tuple[AnswerType, ...]
    order: Order | None = None
    count: bool = False
    listing: bool = False
    asks_listed: bool = False  # "how many does the page list", "何回開催されたと記載": what the documents list
    compare: bool = False
    number: int | None = None
    years: tuple[int, ...] = ()
    fiscal_years: tuple[int, ...] = ()  # those of `years` asked as fiscal years ("令和4年度", "FY2022")
    entities: tuple[Entity, ...] = ()
    unit: str | None = None  # "how many X": X (people, tonnes, 人, 件 …)
    ja: str | None = None
    rendered: tuple[str, ...] = ()  # the English words the Japanese rendering has a word for
    # The Japanese words rendered from one English word, per word ("talks": 対話, 会談): one meaning each.
    synonyms: tuple[frozenset[str], ...] = ()
    # Read once, here: later stages take the question's words from these, never from its text again.
    text_tokens: tuple[str, ...] = ()  # the words of `text` (the index's tokens)
    ja_tokens: tuple[str, ...] = ()  # the words of `ja`
    predicates: frozenset[str] = frozenset()  # what the renderings say happened (締結, 開催, held …)
    entity_tokens: tuple[tuple[str, ...], ...] = ()  # the words of each entity, in order
    entity_countries: tuple[frozenset[str], ...] = ()  # the countries each entity names ("英国", "UK's"), in order
    date_words: frozenset[str] = frozenset()  # the words of the dates any rendering states ("february", "2023")
    # Per rendering, the words joined by "・" or a dash, as (left, right) ("日本・ルリタニア": 日本, ルリタニア).
    joined: tuple[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], ...] = ()
    # An English question's content words and acronyms, each with its words (what `coverage` weighs).
    content_words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # What the asked value must be bound to (rag.values.binding): the relations it asks about (signed,
    # renewed, chaired …), the office asked for (prime minister …), the countries the asked person or payer
    # belongs to ("Japanese", "Chile's", "日本側"), and time words.
    relations: frozenset[str] = frozenset()
    focus: frozenset[str] = frozenset()  # the relations of what is asked itself ("環境省委託費はいくら": the 委託費)
    roles: frozenset[str] = frozenset()
    agents: frozenset[str] = frozenset()
    sides: tuple[str, ...] = ()  # a party the asked person belongs to that is no country ("ダナン市側": ダナン市)
    until: DateValue | None = None  # "as of 2022", "2021年1月までに": up to this date
    since: DateValue | None = None  # "since 2014", "2014年以降"
    asks_target: bool = False  # about an aim ("by when … aim to", "目標年"): target dates answer it
    total: bool = False  # asks for a sum ("total budget", "合計")
    code: tuple[str, int] | None = None  # "EAWF3": an acronym and a number (a meeting, if a series goes by it)
    asks_end: bool = False  # "until when", "いつまで", "when does it expire": the end of a span
    asks_time: bool = False  # "at what time", "何時に": the time of day, not the date
    asks_next: bool = False  # "where is the forum meeting next", "次回はどこで": the meeting after the reported one
    asks_future: bool = False  # "will be held", "予定", "next": an event still to come
    asks_past: bool = False  # "when did it start", "いつ開始しましたか": something that happened, not a plan
    asks_original: bool = False  # "first signed", "最初に結ばれた", "originally": the first act, not a renewal
    asks_day: bool = False  # "何月何日", "which day": a date by its day (a month or a year does not say it)
    asks_fiscal: bool = False  # "in which fiscal year", "何年度": a fiscal year (a day of some event is another's)
    asks_published: bool = False  # "when did the press release come out": the document's own date, no event's
    asks_country: bool = False  # "which country", "どの国": a country, so no city or body in it answers
    asks_locality: bool = False  # "which province", "どこの省": a place inside a country, so no country answers
    asks_org: bool = False  # "which ministry / bank / organisation", "(?<![なほ])どの機関": a body, not a person
    alternatives: tuple[str, ...] = ()  # "Was it held in person or online?": the answer names one of these
    asks_contact: bool = False  # a phone or fax number, a contact ("電話番号", "問い合わせ先", "phone number")
    claim: bool = False  # a claim read as a question: the values it names are what is checked, not excluded
    # The nouns that name what is asked about ("地域研修センター": 地域, 研修, センター; "the training hub": hub), and
    # the runs of Japanese nouns written together that hold them ("地域研修センター").
    objects: tuple[str, ...] = ()
    object_runs: tuple[str, ...] = ()

    @property
    def renderings(self) -> list[str]:
        """The question in every language code has it in."""
        return [t for t in (self.text, self.ja) if t]

    @property
    def tokens(self) -> list[tuple[str, ...]]:
        """The words of each rendering, in the order of `renderings`."""
        return [toks for t, toks in ((self.text, self.text_tokens), (self.ja, self.ja_tokens)) if t]

    @property
    def words(self) -> frozenset[str]:
        """Every word of every rendering."""
        return frozenset(self.text_tokens) | frozenset(self.ja_tokens)

    @property
    def name_tokens(self) -> frozenset[str]:
        """Every word of the names the question mentions."""
        return frozenset(t for toks in self.entity_tokens for t in toks)

    @cached_property
    def modes(self) -> frozenset[int]:
        """The ways of taking part the question asks about (online, in person: data, ingest/data/names.json),
        never one it takes in or leaves out ("オンラインを含めた", "excluding online ones")."""
        said = [nfkc(t) for t in self.renderings]
        aside = " ".join(m.group(0) for t in said for m in TAKEN_IN_OR_OUT.finditer(t))
        return equivalents_in(" ".join(TAKEN_IN_OR_OUT.sub(" ", t) for t in said)) - equivalents_in(aside)

    @cached_property
    def modes_left_out(self) -> frozenset[int]:
        """The ways of taking part the question leaves out ("オンラインは数えないで", "excluding online ones")."""
        return equivalents_in(" ".join(m.group(0) for t in self.renderings for m in LEFT_OUT.finditer(nfkc(t))))

    def tokens_of(self, entity: Entity) -> tuple[str, ...]:
        """The words of one of the question's entities."""
        return self.entity_tokens[self.entities.index(entity)]

    def countries_of(self, entity: Entity) -> frozenset[str]:
        """The countries one of the question's entities names."""
        return self.entity_countries[self.entities.index(entity)]

    @property
    def main_type(self) -> AnswerType:
        """The first part asked."""
        return self.types[0]

    def with_japanese(self, ja: str | None, rendered: tuple[str, ...] = (),
                      synonyms: tuple[frozenset[str], ...] = ()) -> Question:
        """The same question with its Japanese rendering (names in it join the question's names)."""
        if not ja:
            return self
        # (A country the rendering brings that the question does not name is a word heard amiss: "fujigaura" is
        # no フィジー.)
        named = countries_in(self.text)
        more = tuple(e for e in named_entities(ja) if e.text not in {x.text for x in self.entities}
                     and _countries_of(e) <= named)
        return replace(self, ja=ja, entities=self.entities + more, rendered=rendered, synonyms=synonyms,
                       ja_tokens=tuple(tokenize(ja)),
                       predicates=self.predicates | frozenset(predicates(ja)),
                       entity_tokens=self.entity_tokens + tuple(tuple(tokenize(e.text)) for e in more),
                       entity_countries=self.entity_countries + tuple(_countries_of(e) for e in more),
                       date_words=self.date_words | _date_words(ja), joined=(*self.joined, _joined(ja)))


def _countries_of(entity: Entity) -> frozenset[str]:
    """The countries a name names: inside it ("日・チリ") or as a whole ("Japanese")."""
    return countries_in(entity.text) or frozenset({country_code(entity.text)} - {None})


def _date_words(text: str) -> frozenset[str]:
    """The words of the dates a text states."""
    return frozenset(t for d in find_dates(text) for t in tokenize(d.text))


_JOINED = re.compile(r"([^\s・–\-、。？?「」,]+)\s*[・–\-]\s*([^\s・–\-、。？?「」,]+)")


def _joined(text: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Words joined by ・ or a dash, as (left words, right words): how a question may name a series
    ("日本・ルリタニア…" for "日・ルリタニア…")."""
    return tuple((tuple(tokenize(m.group(1))), tuple(tokenize(m.group(2)))) for m in _JOINED.finditer(text))


# What opens a second asked part: "…, and by when?", "… or where", "…、また何を".
_SECOND_PART = re.compile(r"(?:\band|\bor|,|、|また)\s*(?:(?:in|at|on|for|by|with|from|of|under|as|until|since)\s+)?$", re.I)


# "大臣の名前は", "the minister's name": a person is asked by the name of their office.
_OFFICE_NAME = re.compile(rf"(?:{_OFFICES_JA})(?:さん)?(?:[（(][^）)]{{0,30}}[)）])?の(?:お?名前|氏名)"
                          r"|\bnames?\b")


def _types(text: str) -> tuple[AnswerType, ...]:
    matches = [(m.start(), m.end(), name) for name, pattern in _TYPES if (m := pattern.search(text))]
    # "in which cities had the dialogue met": from one "which", the nearest noun says what is asked, not a
    # later one ("dialogue") the same words reach.
    nearest = {start: min(e for s, e, n in matches if s == start and n != "what") for start, _, n in matches if n != "what"}
    found: list[tuple[int, AnswerType]] = [(s, n) for s, e, n in matches if n == "what" or e == nearest[s]]
    office = _OFFICE_NAME.search(text)
    if office and "who" not in {n for _, n in found} and (not office.group(0).lower().startswith("name") or roles_in(text)):
        found.append((office.start(), "who"))  # (an English "name" asks a person only beside an office)
    found.sort()
    out: list[AnswerType] = []
    for pos, name in found:
        # "Who was the minister when the memorandum was renewed?": a later bare "when"/"where" opens a clause
        # that says which event, not a second thing asked (that one follows "and" or a comma).
        if name in ("when", "where") and pos > found[0][0] and re.match(r"(?:when|where)\b", text[pos:], re.I) and \
                not _SECOND_PART.search(text[:pos]):
            continue
        # "what" is implied by a more specific part ("What were the dates" asks when); it is a part of
        # its own only as a second clause ("…, and what document was signed?").
        if name == "what" and len(found) > 1 and (not _SECOND_PART.search(text[:pos]) or any(
                p == pos and n != "what" for p, n in found)):  # "…, in which cities": the same words ask a place
            continue
        if name not in out:
            out.append(name)
    if "how_many" in out and "which" in out and re.search(r"第何回|which (?:meeting|one)", text, re.I):
        out.remove("how_many")
    if not out:
        out = ["yes_no"] if _YES_NO_EN.search(text) or re.search(r"(ですか|ましたか|ますか|でしたか)[？?]?\s*$", text) \
            else ["what"]
    return tuple(out)


def read_question(question: str) -> Question:
    """Read a question's language, answer types, order, count/list intent, meeting number, years, names."""
    text = cased_countries(nfkc(question))
    language = detect_language(question)
    types = _types(text)
    compare = bool(_COMPARE.search(text))
    # "how many of the people at the workshop": people counted, not meetings, whatever event the question names.
    counted = _counted_en(text) if language != "ja" else None
    count = bool(_COUNT.search(text)) and not (counted in COUNTED_THINGS and counted not in _MEETINGS_COUNTED)
    # ("how much … in total, and for which years?": the years of an amount, not a list of meetings)
    listing = bool(_LIST.search(text)) and not count and not MONEY_ASKED.search(text)
    order: Order | None = None
    if _FIRST.search(text):
        order = "first"
    elif _LATEST.search(text):
        order = "latest"
    if compare and order and re.search(r"\bor\b|どちら|それとも|比べ", text, re.I):
        order = None  # "which came first, A or B?" compares two named things
    if compare:
        types = ("compare", *[t for t in types if t not in ("compare", "yes_no")])
    if order and listing and not re.search(r"一覧|すべて|全て|\ball\b|\blist\b", text, re.I):
        listing = False  # "初めて…のは第何回": which one, the first; not a list
    # "the tenth meeting" names meeting 10; "first" alone is an order, and "a second look" no meeting.
    ordinals = [o for o in find_ordinals(text) if not o.word or (
        o.n >= 2 and re.match(rf"\s+(?:[\w–\-]+\s+){{0,6}}?{_EVENT_NOUN}\b", text[o.end:], re.I))]
    number = ordinals[0].n if ordinals else None
    # A year in quotes is something the asker mentions, not a condition ("「2099年」と答えて").
    unquoted = re.sub(r"「[^」]*」|『[^』]*』|\"[^\"]*\"|“[^”]*”", " ", text)
    # …nor is a target ("by 2050", "2050年までの") or a bound ("as of 2022"): those are read apart.
    dates = [d for d in find_dates(unquoted) if d.year]
    bounds = {id(d): _bound(unquoted, d) for d in dates}
    # "いつ達成しましたか" of a target asks when it was achieved: an event, not the aim.
    asks_target = bool(_TARGET_WORDS.search(text)) and "achieve" not in relations_in(text)
    asked = [d for d in dates if not bounds[id(d)] and not _is_target(unquoted, d)]
    years = tuple(dict.fromkeys(d.year for d in asked))
    fiscal_years = tuple(y for y in years if all(d.fiscal for d in asked if d.year == y))
    until = next((d for d in dates if bounds[id(d)] == "until" and not asks_target), None)
    since = next((d for d in dates if bounds[id(d)] == "since"), None)
    # "EAWF3": a meeting by its code; "EAWF1からEAWF5までのうち…何回" counts a range, naming none.
    codes = list(_ACRONYM_NUMBER.finditer(text))
    code = (codes[0].group(1), int(codes[0].group(2))) if len(codes) == 1 and not count else None
    unit = None
    if "how_many" in types and not count:
        m = _UNIT_JA.search(text)
        unit = m.group(1) if m else _counted_en(text)
        if re.search(r"\bhow long\b|何年(?:間|かか|経|たっ|たち)|何か月|何ヶ月|何カ月|何日間|期間は", text, re.I):
            unit = "duration"
    names = entities(text)
    return Question(text=question, language=language, types=types, order=order, count=count, listing=listing,
                    asks_listed=bool(_ASKS_LISTED.search(text)),
                    compare=compare, number=number, years=years, fiscal_years=fiscal_years, entities=names,
                    unit=unit,
                    text_tokens=tuple(tokenize(question)), predicates=frozenset(predicates(question)),
                    entity_tokens=tuple(tuple(tokenize(e.text)) for e in names),
                    entity_countries=tuple(_countries_of(e) for e in names), date_words=_date_words(question),
                    joined=(_joined(question),), content_words=() if language == "ja" else _content_words(question),
                    relations=(asked := _asked_relations(text, dates) or _held(text, types)), focus=_focus(text, asked), roles=_asked_roles(text), agents=agents(text), sides=sides(text), until=until,
                    since=since, asks_target=asks_target, total=bool(TOTAL.search(text)), code=code,
                    asks_end=bool(_ASKS_END.search(text)), asks_org=_asks_org(text), asks_locality=bool(ASKS_LOCALITY.search(text)),
                    asks_country=bool(ASKS_COUNTRY.search(text)),
                    asks_time=bool(_ASKS_TIME.search(text)),
                    asks_published="when" in types and asks_published(text),
                    asks_day=bool(_ASKS_DAY.search(text)), asks_fiscal=bool(_ASKS_FISCAL.search(text)),
                    asks_original=bool(_ORIGINAL.search(text)),
                    asks_past=bool(_PAST.search(text)) and not ASKS_FUTURE.search(text) and not NEXT.search(text), asks_next=bool(NEXT.search(text)),
                    asks_future=bool(NEXT.search(text) or ASKS_FUTURE.search(text)),
                    asks_contact=bool(_ASKS_CONTACT.search(text)), alternatives=() if compare else _alternatives(text),
                    objects=(objects := _objects(text, names)),
                    object_runs=tuple(r for r in noun_runs(text) if set(nouns(r)) & set(objects)
                                      and not roles_in(r)))  # ("氷室審議官": a person, no thing)


def _objects(text: str, names: list[Entity]) -> tuple[str, ...]:
    """The nouns a question names its object with: no name (the document is checked for those), no word of how
    it asks or of the asked kind of value, no office, relation, kind of event, country, number or verb form."""
    named = {t for e in names for t in tokenize(e.text)} | _date_words(text) | relation_phrase_words(text)
    # An English word right before another is a modifier ("main attendees", "training hub"): the last one names it.
    named |= {m.group(1).lower() for m in re.finditer(r"\b([A-Za-z]+)[\s\-]+(?=([A-Za-z]+))", text)
              if m.group(2).lower() not in NOT_CONTENT and not relations_in(m.group(2))}  # ("the hub open": a verb)
    out = []
    for w in nouns(text, asked=True):
        if (len(w) < 2 or w in named or w in QUESTION_WORDS or w in NOT_CONTENT or frame_noun(w)
                or w in NUMBER_WORDS or find_ordinals(w)
                or re.search(r"\d", w) or re.fullmatch(r"[a-z]+(?:ed|ing)|[\u3040-\u309f]+", w)
                or relations_in(w) or roles_in(w) or series_kind(w) is not None or PUBLISHED_DOCUMENT.search(w)
                or countries_in(w) or countries_in(w.title())):
            continue
        out.append(w)
    return tuple(dict.fromkeys(out))


_ALTERNATIVES_EN = re.compile(r"((?:[\w\-]+\s+){0,2}[\w\-]+)\s+or\s+((?:[\w\-]+\s+){0,2}[\w\-]+)\s*[?？]?\s*$", re.I)
_ALTERNATIVES_JA = re.compile(r"([^\s、。はがをでに]{1,12}?)(?:と|か、?|または|それとも)([^\s、。はがを]{1,12}?)の?(?:どちら|いずれ)")


def asks_published(text: str) -> bool:
    """Whether a question asks when a document itself came out ("when did the press release come out",
    "報道発表はいつ"), not when something it tells of happened ("according to the release, when …")."""
    text = nfkc(text)
    for m in PUBLISHED_DOCUMENT.finditer(text):
        if SOURCE_BEFORE.search(text[:m.start()]) or SOURCE_AFTER.match(text[m.end():]):
            continue  # the document is where the asked date is read, not what is dated
        if PUBLISHED_VERB.search(text, m.end()) or re.match(r"\s*(?:は|、|が|の日付|の日|っていつ)", text[m.end():]) \
                or re.search(r"\bdate(?: of| is on| on| does)? (?:the |this |that )?$", text[:m.start()], re.I):
            return True
    return False


def _counted_en(text: str) -> str | None:
    """What "how many …" counts: of the words after it, one that names a kind of counted thing ("how many
    Japanese cities"), else the first plural ("how many registered volunteers", "how many species"), else the first."""
    m = _UNIT_EN.search(text)
    if not m:
        return None
    words = [w.lower() for w in m.group(1).split()]
    return next((w for w in words if w in COUNTED_THINGS), None) or next(
        (w for w in words if re.fullmatch(r"[a-z\-]{3,}s", w) and w not in NOT_CONTENT), None) or (
        words[0] if words[0] not in NOT_CONTENT else None)  # "how many did they sign": no thing named


def _alternatives(text: str) -> tuple[str, ...]:
    """The choices an either-or question offers ("Was it held in person or online?", "対面とオンラインのどちらで")."""
    m = _ALTERNATIVES_JA.search(text) or (_ALTERNATIVES_EN.search(text) if _YES_NO_EN.search(text) else None)
    return (m.group(1).strip(), m.group(2).strip()) if m else ()


_ASKS_CONTACT = re.compile(r"phone|telephone|\bfax\b|\bcontact (?:details|information|number|point|person)\b|電話|ファックス|ＦＡＸ|連絡先|問い合わせ|問合せ", re.I)


# Whom a person stood for ("represented Sakai City", "on behalf of Aberdeen", "堺市を代表して"): read once, used
# for parties that are countries or home bodies (agents) and for those that are not (sides).
_STOOD_FOR_EN = (r"\b(?:on behalf of|represent(?:ed|ing|s)?|as (?:a )?witness for|(?:sign(?:ed|s|ing)?|spoke|speak(?:s|ing)?"
                 r"|put(?:s|ting)? pen to paper) for)\s+(?:the\s+)?")
_STOOD_FOR_NAME_EN = r"[A-Z][\w\-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w\-]*){0,3}"
_STOOD_FOR_JA = r"(?:を代表して|の代表として|に代わって)"

_AGENT_EN = re.compile(
    r"(?P<poss>\b[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})['’]s\b"  # "Japan's", "Chile's Minister"
    r"|(?P<lower>\b[a-z]+)['’]s\b"  # "japan's", as people type: a country's only (see `agents`)
    r"|\bon the (?P<side>[A-Z][\w\-]*) side\b"  # "on the Indonesian side"
    rf"|{_STOOD_FOR_EN}(?P<rep>{_STOOD_FOR_NAME_EN})"
    rf"|\b(?:for|from)\s+(?:the\s+)?(?P<for>{_STOOD_FOR_NAME_EN})"  # "attended for Peru", "from Japan"
    rf"|(?P<repd>{_STOOD_FOR_NAME_EN})\s+(?:was|were|is|are|will be)\s+represented\b"  # "Japan was represented by"
    r"|\b(?:did|does|do|will|has|have|had|would)\s+(?:the\s+)?(?P<doer>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})\s+"
    r"(?:itself\s+)?[a-z]+"  # "did Japan contribute"
    r"|\b(?P<adj>[A-Z][a-z]+)\s+(?:[a-z\-]+\s+){0,2}?(?:ministers?|minister|officials?|delegation|delegates?|side|"
    r"government|ministry|representatives?|chair|co-chair|mayor|governor|ambassador|president|prime minister|"
    r"vice-minister|director\S*|secretary|leader)\b")
_ATTENDED_JA = r"(?:出席|参加|参列|出た|出て|来日|派遣)"  # "日本から出席": whom a person came from
_AGENT_JA = re.compile(r"(?P<side>[^\s、。のはが「」]{1,12}?)側|(?P<of>[^\s、。のはが「」]{1,12}?)の(?:[^\s、。のはが]{0,8}?)"
                       r"(?:大臣|環境相|首相|総理|大統領|代表|政府|省|市長|知事|大使|長官|次官|審議官|局長|議長|団長|首脳|誰|だれ|どなた)"
                       r"|(?P<doer>[^\s、。のはが「」]{1,12}?)(?:は|が)(?=[^。]*(?:いくら|何円|何ドル|拠出|負担|支払|表明))"
                       r"|(?P<team>[^\s、。のはが「」]{1,12}?)(?:代表団|政府代表|政府|代表(?:として|で))"
                       r"|(?P<rep>[^\s、。のはが「」]{1,12}?)" + _STOOD_FOR_JA
                       + rf"|(?P<for>[^\s、。のはが「」]{{1,12}}?)から(?=[^。]{{0,12}}{_ATTENDED_JA})")


_WH_PHRASE = re.compile(r"\b(?:which|what)\s+((?:[A-Z][\w\-]*\s+){1,2})(?:[a-z\-]+\s+){0,2}?"
                        r"(?:ministers?|ministry|ministries|officials?|delegation|government|agency|organi[sz]ation|body"
                        r"|city|cities|company|side|mayor|governor|ambassador|chair|leader|country)\b")


_SIDE = re.compile(r"([^\s、。のはがを「」]{2,12}?)側|\bon the ([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*) side\b"
                   # whose amount: "潮見台市の…拠出額", "Shiomidai City's contribution", "did Shiomidai City contribute"
                   r"|([^\s、。のはがを「」]{2,12}?(?:市|県|町|村|区|省|庁|機構|銀行|財団))の(?=[^。？?]{0,20}(?:拠出|負担|支出|寄付|出資))"
                   r"|\b([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})['’]s\s+(?:\w+\s+){0,3}?(?:contribution|budget|share|payment|pledge)"
                   r"|\b(?:did|does|will|has)\s+([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})\s+(?:itself\s+)?"
                   r"(?:contribute|pay|pledge|provide|spend|donate|fund)"
                   # whom a person stood for: "represented Sakai City", "on behalf of Aberdeen", "堺市を代表して"
                   rf"|{_STOOD_FOR_EN}({_STOOD_FOR_NAME_EN})"
                   r"|([^\s、。のはがを「」]{2,12}?)" + _STOOD_FOR_JA
                   # whence people came: "セブ市からの研修員", "X市から来日した研修員"
                   + r"|([^\s、。のはがを「」]{2,12}?(?:市|県|町|村|区|州))から(?:の|来日し|参加し)?"
                   r"(?=[^。？?]{0,6}(?:研修員|研修生|参加者|出席者|職員|訪問団|代表団))")


def _asks_org(text: str) -> bool:
    """Whether a body is asked for ("which ministry"), not a person of one ("which ministry official")."""
    m = _ASKS_ORG.search(text)
    return bool(m) and not _PERSON_OF_BODY.match(text[m.end():])


def sides(text: str) -> tuple[str, ...]:
    """Parties named as a side that are no country ("ダナン市側", "on the Da Nang side")."""
    out = []
    for m in _SIDE.finditer(text):
        value = next((g for g in m.groups() if g), "").strip()
        japanese = bool(m.group(1) or m.group(3) or m.group(7) or m.group(8))
        ends = [value[i:] for i in range(len(value))] if japanese else [value]
        if any(country_code(v) for v in ends if v) or affiliation(value):
            continue  # a country, or a body of one ("the Ministry of the Environment"): a party (agents)
        # "…署名したダナン市側": the name is the longest end that reads as one (a place or a katakana word).
        # A name Sudachi does not know ("霧ヶ丘市") still reads as one when it ends in a place suffix.
        name = next((v for v in ends if re.fullmatch(r"[\u30a0-\u30ff\u4e00-\u9fff]{1,8}?(?:市|県|省|町|村|州|区)?", v)
                     and (named_entities(v) or re.fullmatch(r"[\u30a0-\u30ff\u4e00-\u9fff]{2,8}(?:市|県|町|村|州|区)", v))),
                    None) if japanese else value
        if name:
            out.append(name)
    return tuple(dict.fromkeys([*out, *payers(text)]))


def _payer_phrases(text: str) -> list[tuple[str, bool]]:
    """The parties a money question names as paying (rag/data/vocabulary.json `paying`), each with whether it
    is written in Japanese."""
    if not MONEY_ASKED.search(text):
        return []
    return [(m.group(1), True) for m in PAYER_JA.finditer(text)] + [
        (m.group(1) or m.group(2), False) for m in PAYER_EN.finditer(text)]


def payers(text: str) -> list[str]:
    """The payers a money question names that are no country nor a country's body ("EDB", "雪見浜商工会議所",
    "Yukimihama city"): an amount answers it only if its clause names them."""
    out = []
    for value, japanese in _payer_phrases(text):
        ends = [value[i:] for i in range(len(value))] if japanese else [value]
        body = next((v for v in ends if BODY_JA.fullmatch(v)), None) if japanese else None
        if body:
            out.append(body)  # "カザフスタン開発銀行": a bank, not its country
            continue
        if any(country_code(v) or affiliation(v) for v in ends) or countries_in(value):
            continue  # a country or its body: an agent
        name = next((v for v in ends if BODY_JA.fullmatch(v) or re.fullmatch(r"[A-Z][\w\-]*(?:\s+[\w\-]+){0,3}", v)
                     or (len(v) >= 2 and named_entities(v))), None)
        if name:
            out.append(name)
    return out


def agents(text: str) -> frozenset[str]:
    """The countries the asked person, body or payer belongs to: "Japan's …", "Japanese minister", "on the
    Indonesian side", "did Japan contribute", "日本側", "チリの環境大臣", "日本は…拠出". The asked phrase itself
    decides when it names one ("With which Singaporean ministry did Japan's ministry sign …": Singapore)."""
    wh = _WH_PHRASE.search(text)
    if wh and (code := next((c for w in wh.group(1).split() if (c := country_code(w))), None)):
        return frozenset([code])
    out: set[str] = set()
    for pattern in (_AGENT_EN, _AGENT_JA):
        for m in pattern.finditer(text):
            for group in ("poss", "lower", "side", "doer", "adj", "of", "team", "rep", "for", "repd"):
                value = (m.groupdict().get(group) or "").strip()
                # Japanese has no spaces: the country is the longest end of the words before 側 / の / は.
                ends = [value[i:] for i in range(len(value))] if pattern is _AGENT_JA else [value]
                code = next((c for v in ends if v and (c := country_code(v))), None)
                if code:
                    out.add(code)
                elif group in ("rep", "for", "repd") and value:
                    out |= affiliation(value)  # "as witness for the Ministry of the Environment": Japan's
    for value, japanese in _payer_phrases(text):  # "環境省の補助", "does MOE give": the payer's country
        ends = [value[i:] for i in range(len(value))] if japanese else [value]
        if japanese and any(BODY_JA.fullmatch(v) for v in ends):
            continue  # a bank or a company is a payer of its own (`payers`), not its country
        code = next((c for v in ends if v and (c := country_code(v))), None)
        out |= {code} if code else (countries_in(value) or affiliation(value))
    return frozenset(out)


_WH_JA = r"(?:いくら|いつ|どこ|誰|だれ|どなた|何|どれ|どの|いくつ)"
# ("工事が始まったのはいつ": the thing that began is part of what is asked)
_FOCUS_BEFORE_JA = re.compile(rf"((?:[^、。はがを]{{1,10}}が)?[^、。はがを]{{1,20}})(?:は|が|のは|とは)、?{_WH_JA}")
_FOCUS_AFTER_JA = re.compile(rf"{_WH_JA}[^、。]{{0,4}}?(?:に|で|を|が)?([^、。？?]{{1,20}})(?:ました|ます|でした|です|ですか|か|した)")


def _focus(text: str, relations: frozenset[str]) -> frozenset[str]:
    """The relations of the thing asked: in Japanese the words right before は/のは and the question word, else the
    verb right after it; in English the first relation the question states (its main verb)."""
    if not relations:
        return frozenset()
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text):
        # "参加者はどこを見学した": where or when people did something asks of their act, not of who they are.
        order = (_FOCUS_AFTER_JA, _FOCUS_BEFORE_JA) if re.search(r"どこ|いつ", text) else (_FOCUS_BEFORE_JA, _FOCUS_AFTER_JA)
        for pattern in order:
            for m in pattern.finditer(text):
                if pattern is _FOCUS_BEFORE_JA and re.search(r"[にでへと]$", m.group(1)):
                    continue  # "締結式には何人が出席": the occasion, not what is asked
                found = relations_in(m.group(1)) & relations
                if found:
                    return found
        return frozenset()
    first = min(((m.start(), c) for c, (en, _) in RELATIONS.items() if c in relations for m in en.finditer(text)),
                default=None)
    return frozenset([first[1]]) if first else frozenset()


_FROM_PARTY_JA = re.compile(rf"(?<=[^\d年月日度])(?:から|より)(?=[^。]{{0,12}}{_ATTENDED_JA})")


_WHEN_CLAUSE = re.compile(r"\s+(?:when|where)\b(?=\s+\w)", re.I)


def _asked_relations(text: str, dates) -> frozenset[str]:
    """The relations a question asks about, without those that only name its subject by a date
    ("2014年3月に署名された同意書は、いつ満期終了となりましたか": expiry, not signing) — unless nothing else is asked."""
    # "日本から出た大臣": whom a person came from, not a start ("2019年から").
    text = _FROM_PARTY_JA.sub(lambda m: " " * len(m.group(0)), text)
    every = relations_in(text)
    # "Who signed for Peru when the memorandum was renewed?": the clause says which event, the asked relation
    # is the main one's (when it states one).
    clause = next((m for m in _WHEN_CLAUSE.finditer(text) if not _SECOND_PART.search(text[:m.start()])), None)
    if clause and (main := relations_in(text[:clause.start()])):
        every, text = main, text[:clause.start()]
    rest = text
    for d in dates:
        m = re.match(r"[^、,。？?]{0,20}?(?:された|した|され|の|\bthat\b|,|、)", rest[d.end:])
        if m:
            rest = rest[:d.start] + " " * (d.end - d.start + m.end()) + rest[d.end + m.end():]
    main = relations_in(rest)
    found = main if main else every
    if "area" in found and not _LAND_AREA.search(text) and not re.search(r"\bsizes?\b", text, re.I):
        found -= {"area"}  # "in what area did they agree to cooperate": a field of work, not a land area
    return found


# "Who is the Chinese Minister … on whose behalf the Vice Minister attended?": the office after "who is the"
# is asked; one in the clause after it only describes.
_WHO_IS_THE = re.compile(r"^\s*who\s+(?:is|was|are|were)\s+(?:the\s+)?(.{3,80}?)"
                         r"(?=\s+(?:on whose|whose|who|that|which|when|at the|during)\b|\s*[?？]|$)", re.I)


def _asked_roles(text: str) -> frozenset[str]:
    """The offices a question asks for: those it names, or only the head's when it asks "who is the X …"."""
    m = _WHO_IS_THE.match(text)
    head = roles_in(m.group(1)) if m else frozenset()
    return head or roles_in(text)


def _held(text: str, types: tuple[AnswerType, ...]) -> frozenset[str]:
    """"第3回ワークショップって何日にあった": when or where a meeting was, with no verb of its own, asks when or
    where it was held (not any date its report gives)."""
    if types and types[0] in ("when", "where") and series_kind(text) is not None:  # a kind of event: names.json
        return frozenset({"hold"})
    return frozenset()


# "the land area of", "how large", "面積": a land area asked (an "area of cooperation" is a field of work).
_LAND_AREA = re.compile(r"\b(?:land|total|surface)\s+area\b|\barea\s+of\s+(?:the\s+)?(?-i:[A-Z])|\bhow (?:large|big)\b"
                        r"|\b(?:square|sq\.?)\s*(?:km|kilomet)|km2|km²|㎢|面積", re.I)


def _content_words(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """An English question's content words (no pairs) and acronyms ("TEMM", "JCM"), each with its words."""
    words = [w for w in content_phrases(text) if " " not in w] + list(
        dict.fromkeys(re.findall(r"\b[A-Z][A-Z0-9]{1,9}\b", text)))
    return tuple((w, tuple(tokenize(w))) for w in words)


# "US dollars", "Singapore dollars": a currency, not a country asked about.
_CURRENCY_AFTER = re.compile(r"\s*(?:dollars?|yen|won|yuan|pesos?|euros?|pounds?|rupees?|baht|ringgit)\b", re.I)
_NAME_RUN = re.compile(rf"[{LATIN_UPPER}][{LATIN}’']*(?:(?:\s+|[\-–])(?:[{LATIN_UPPER}][{LATIN}’']*|(?:of|the|and|de|du)(?=\s+[A-Z])))*")
_SEPARATOR = re.compile(r"\s+|[\-–]")


def cased_countries(text: str) -> str:
    """The text with country names typed in lower case capitalised ("japan egypt dialogue for egypt", "south
    africa"), as the patterns that read names expect; offsets unchanged."""
    words = list(re.finditer(r"\b[a-z]+\b", text))
    out, i = list(text), 0
    while i < len(words):
        # two words first ("south africa", "sri lanka"), then one of four letters or more ("peru", not "us")
        for span in (words[i:i + 2], words[i:i + 1]):
            if len(span) == 2 and text[span[0].end():span[1].start()].strip():
                continue  # not two adjacent words
            name = text[span[0].start():span[-1].end()]
            if (len(span) == 2 or len(name) >= 4) and country_code(name.title()):
                out[span[0].start():span[-1].end()] = name.title()
                i += len(span) - 1
                break
        i += 1
    return "".join(out)


def entities(text: str) -> tuple[Entity, ...]:
    """Names in a question: Sudachi's proper nouns in Japanese; in Latin text, runs of capitalised words
    holding a name that is no dictionary word ("Ba Ria–Vung Tau", "Sakai City"), and countries."""
    found = [e for e in named_entities(text) if not e.text[:1].isascii()]
    latin = [e for e in named_entities(text) if e.text[:1].isascii() and e.kind == "country"
             and not _CURRENCY_AFTER.match(text[e.end:])]
    for m in _NAME_RUN.finditer(text):
        start, end = m.start(), m.end()
        # Not the question's own first word ("Did Freedonia") nor a country already found ("Japan–Freedonia").
        while True:
            head = re.match(r"[A-Za-z’']+", text[start:end])
            covered = any(e.start <= start < e.end for e in latin)
            if not head or not (covered or head.group(0).lower() in ENGLISH_STOPWORDS):
                break
            skip = next(e.end for e in latin if e.start <= start < e.end) if covered else start + len(head.group(0))
            sep = _SEPARATOR.match(text, skip)
            start = sep.end() if sep and sep.end() < end else end
        # "Japan's Ministry of …": a possessive ends a name ("Japan"); what follows is another phrase.
        for part in re.finditer(r"(?:(?<=['’])s\s+)?([^'’]+?)(?=['’]s\b|$)", text[start:end]):
            run = part.group(1).strip(" -–")
            # Words before the name that are no name ("Environment and Indonesia" of "Ministry of the
            # Environment and Indonesia's …") are dropped.
            while (lead := re.match(r"(.+?)\s+and\s+", run)) and not name_words(lead.group(1)) and \
                    not country_code(lead.group(1)):
                run = run[lead.end():]
            if not run:
                continue
            at = start + part.start(1) + part.group(1).find(run)
            if country_code(run):
                if _CURRENCY_AFTER.match(text[at + len(run):]):
                    continue
                if not any(e.start <= at < e.end for e in latin):
                    latin.append(Entity(run, "country", at, at + len(run)))
                continue
            # (A country inside a longer run is the country, not a name: "Japan–Xü Memorandum of Cooperation".)
            words = [w for w in name_words(run) if country_code(w) is None]
            if roles_in(run) and all(roles_in(w) or re.fullmatch(r"[A-Z]{2,6}(?:['’]s)?", w) for w in words):
                continue  # "Director-General of MOE": an office of a body, no one's name
            if words:
                found.append(Entity(run, "name", at, at + len(run)))
    # "Dec 2012": a month, not a name (a Latin word inside a date; Japanese entities are Sudachi's, kept as read).
    dated = [(d.start, d.end) for d in find_dates(text)]
    return tuple(sorted((e for e in [*found, *latin] if not (e.text[:1].isascii() and any(
        a <= e.start and e.end <= b for a, b in dated))), key=lambda e: e.start))
