"""The words code reads questions, claims and passages with, kept as data (rag/data/vocabulary.json), and
the patterns built from them once: how a question asks (not what about), numbers spelt out, quantities with
their units, and where something was held or signed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ingest.tense import STILL_TO_COME
from ingest.tokenizer import ENGLISH_STOPWORDS

_DATA = json.loads((Path(__file__).parents[1] / "data" / "vocabulary.json").read_text(encoding="utf-8"))


def _either(words: list[str]) -> str:
    return "|".join(words)


# Words of how a question is asked (not what it is about): never a topic.
QUESTION_WORDS: frozenset[str] = frozenset(_DATA["question_words"])
PLACE_KIND_WORDS: frozenset[str] = frozenset(_DATA["place_kind_words"])  # "which city": the asked kind
# Verbs of a meeting taking place: asking when/where these happened is asking about the records.
HOLDING_WORDS: frozenset[str] = frozenset(_DATA["holding_words"])
# English words that carry no content of their own ("many", "held", "documents").
NOT_CONTENT: frozenset[str] = ENGLISH_STOPWORDS | frozenset(_DATA["not_content"])
# The label of the page's own date ("掲載日：2024年4月1日更新", "Last updated: …"): the page's, not an event's.
_PAGE_DATE_LABEL = re.compile(rf"(?:{_either(_DATA['page_date_labels'])})\s*[:：]?\s*$", re.I)


def page_date_label(label: str | None, text: str, start: int) -> bool:
    """Whether a date at `start` of `text` is labelled as its page's own, by its field label or the words
    just before it ("掲載日：", "Last updated:")."""
    return bool(label and _PAGE_DATE_LABEL.search(label)) or bool(_PAGE_DATE_LABEL.search(text[max(0, start - 24):start]))

# "（令和7年1月現在）", "as of March 2025": a date a state held at, not an event's.
AS_OF_AFTER = re.compile(rf"^\s*(?:末)?\s*(?:{_either(_DATA['as_of']['after_ja'])})")
# "現在の14か所から": a number told as the present state (no aim).
CURRENT_BEFORE = re.compile(rf"(?:{_either(_DATA['current']['before_ja'])})\s*(?:約|およそ)?$|\b(?:{_either(_DATA['current']['before_en'])})\s+(?:level\s+of\s+|total\s+of\s+)?$", re.I)
AS_OF_BEFORE = re.compile(rf"\b(?:{_either(_DATA['as_of']['before_en'])})\s+(?:the\s+end\s+of\s+)?$", re.I)

_ASKED = _DATA["asked_nouns"]
# "in which Japanese cities", "what Heisei year": the noun after which/what names the kind asked, past up to
# three words that qualify it (never a verb: "what did the city agree" asks no place); "which city's mayor" asks
# of the city's mayor, "which city's hosting" is "which city is".
_QUALIFIERS = r"(?:(?!(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|should|of)\b)[\w\-'’]+\s+){0,3}?"

ANAPHORS: dict[str, list[str]] = _DATA["anaphors"]  # "このうち", "同センター", "it": pointing back a sentence
# Nouns a question frames its ask with ("how many people", "金額", "側") and the asked kinds of value: no object.
_FRAME = re.compile("|".join([*map(re.escape, _DATA["frame_nouns"])] + [
    w for k, ws in _ASKED.items() if not k.startswith("_") and k != "not_before_en" for w in ws]), re.I)


def frame_noun(word: str) -> bool:
    """Whether a noun only frames what a question asks (a time, a place, an amount, a party's side)."""
    return bool(_FRAME.fullmatch(word))


def _asked_noun(nouns: list[str]) -> str:
    return rf"\b(?:which|what)\s+{_QUALIFIERS}(?:{_either(nouns)})\b(?!['’]s\s+(?!(?:\w+ing|been|not)\b)|\s+(?:{_either(_ASKED['not_before_en'])})\b)"


def _last_noun(nouns: list[str]) -> str:
    """A question that ends with the noun it asks for ("…の司会者は？", "…のお金って？")."""
    return rf"(?:{_either(nouns)})(?:は|って)\s*[？?]?\s*$"


# ("which time" is which of the meetings; "what local time" asks when.)
ASKS_WHEN_NOUN = (f"{_asked_noun(_ASKED['when_en'])}|\\bwhat\\s+{_QUALIFIERS}(?:{_either(_ASKED['when_after_what_en'])})\\b"
                  f"|(?<![なほ])どの(?:{_either(_ASKED['when_after_dono_ja'])})")
ASKS_WHO_NOUN = (f"{_asked_noun(_ASKED['who_en'])}|\\bwhich\\s+{_QUALIFIERS}(?:{_either(_ASKED['org_after_which_en'])})\\b"
                 f"|\\bwhat\\s+(?:{_either(_ASKED['org_after_what_en'])})\\b")
ASKS_HOW_MUCH_NOUN = _asked_noun(_ASKED["how_much_en"])
ASKS_WHO_LAST_JA = _last_noun(_ASKED["who_last_ja"])
SERVING_JA = _either(_ASKED["serving_ja"])
ASKS_HOW_MUCH_LAST_JA = _last_noun(_ASKED["how_much_last_ja"])
ASKS_WHERE_NOUN = _asked_noun(_ASKED["country_en"] + _ASKED["where_en"] + _ASKED["locality_en"])
# "which country", "どの国": a country is asked, so a city or a body in it is no answer.
ASKS_COUNTRY = re.compile(rf"{_asked_noun(_ASKED['country_en'])}|{_either(_ASKED['country_ja'])}", re.I)
# "which province", "どこの省", "何県": a place inside a country is asked, so a country is no answer.
ASKS_LOCALITY = re.compile(rf"{_asked_noun(_ASKED['locality_en'])}|(?:どの|どこの)(?:{_either(_ASKED['locality_ja'])})"
                           rf"|何(?:{_either(_ASKED['locality_after_nan_ja'])})", re.I)

_AS_OF, _BOUNDS = _DATA["as_of"], _DATA["time_bounds"]
# Bounds of time a question sets: "as of 2022", "by the end of 2023", "2021年1月までに", "令和6年3月末現在" (up to);
# "since 1997", "2014年以降" (from). A bound is not "in that year".
UNTIL_BEFORE = re.compile(rf"\b(?:{_either(_AS_OF['before_en'] + _BOUNDS['until_before_en'])})\s+"
                          r"(?:the\s+end\s+of\s+)?(?:the\s+)?(?:year\s+|fiscal\s+year\s+)?$", re.I)
UNTIL_AFTER = re.compile(rf"^\s*(?:度)?\s*(?:末)?\s*(?:{_either(_BOUNDS['until_after_ja'] + _AS_OF['after_ja'])})")
SINCE_BEFORE = re.compile(rf"\b(?:{_either(_BOUNDS['since_before_en'])})\s+(?:the\s+)?(?:year\s+|fiscal\s+year\s+)?$", re.I)
SINCE_AFTER = re.compile(rf"^\s*(?:度)?\s*(?:{_either(_BOUNDS['since_after_ja'])})")
# A figure said to run up to a moment ("累計…まで", "to date", "as of"): a running total, not one year's.
UP_TO = re.compile(rf"{_either(_BOUNDS['running_ja'] + _AS_OF['after_ja'])}"
                   rf"|\b(?:{_either(_AS_OF['before_en'] + _BOUNDS['running_en'])})\b", re.I)

_PUB = _DATA["published"]
# A question about a document's own issue: the document it names, what it asks of it, and "according to …"
# (which makes the document a source, not the subject).
PUBLISHED_DOCUMENT = re.compile(rf"\b(?:{_either(_PUB['documents_en'])})\b|{_either(_PUB['documents_ja'])}", re.I)
PUBLISHED_VERB = re.compile(rf"\b(?:{_either(_PUB['verbs_en'])})\b|{_either(_PUB['verbs_ja'])}", re.I)
SOURCE_BEFORE = re.compile(rf"\b(?:{_either(_PUB['sources_en'])})\s+(?:[\w'’\-]+\s+){{0,4}}$", re.I)
SOURCE_AFTER = re.compile(rf"\s*(?:{_either(_PUB['sources_ja'])})")
# "next", "次回": a meeting after the one reported; "will be held", "予定": an event still to come.
NEXT = re.compile(rf"\b(?:{_either(_DATA['next_words']['en'])})\b|{_either(_DATA['next_words']['ja'])}"
                  rf"|(?:{_either(_DATA['next_before_event_ja'])})[^。、？?\s]{{0,15}}?(?:{_either(_DATA['event_nouns_ja'])})", re.I)
_FORMS = _DATA["future_question_forms"]
# A question about what is still to come: the words of a plan ("will", "予定") or a question's own forms of it.
ASKS_FUTURE = re.compile(rf"{STILL_TO_COME.pattern}|\b(?:{_either(_FORMS['en'])})\b|{_either(_FORMS['ja'])}", re.I)


def _taken(words: dict[str, list[str]]) -> str:
    return (rf"[^\s、。,？?]{{1,20}}?(?:を|も|は)?(?:{_either(words['ja'])})"
            rf"|\b(?:{_either(words['en'])})\s+(?:the\s+)?[\w\-]+(?:\s+[\w\-]+)?")


# "excluding the online ones", "オンラインは数えない": what a count leaves out, never the way asked.
LEFT_OUT = re.compile(_taken(_DATA["left_out"]), re.I)
# …and "オンライン受講者を含めた", "including online participants": what it takes in or leaves out.
TAKEN_IN_OR_OUT = re.compile(rf"{LEFT_OUT.pattern}|{_taken(_DATA['taken_in'])}", re.I)
# Numbers spelt out, by value ("two" → 2).
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_DATA["number_words"])}

# What counters count: (counters, things) groups ("人", "名" count people, trainees, participants …).
COUNTERS: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(g["counters"]), frozenset(g["things"])) for g in _DATA["counters"])
COUNTER_WORDS: frozenset[str] = frozenset(w for counters, _ in COUNTERS for w in counters)  # every kind's counters
COUNTED_THINGS: frozenset[str] = frozenset(t for _, things in COUNTERS for t in things)  # every kind's things
# What counts people: the things and counters of the counter 人 ("participants", "名").
COUNTED_PEOPLE: frozenset[str] = next(counters | things for counters, things in COUNTERS if "人" in counters)

# A Japanese unit and approximation as an English answer says them ("人" → "people", "約" → "about").
UNITS_EN: dict[str, str] = _DATA["units_en"]
NOT_COUNTS: frozenset[str] = frozenset(_DATA["not_counts"])
ABOUT_EN: dict[str, str] = _DATA["about_words_en"]

_MONEY = _DATA["currencies"]
# Money said after a number ("8億5,000万テンゲ", "1.2 billion yen") or by a code or symbol before it ("JPY 1.2
# billion", "US$50 million"); codes are matched in capitals only ("PEN", not "pen").
CURRENCY = re.compile(rf"{_either(_MONEY['ja'])}|\b(?:{_either(_MONEY['en'])})(?![A-Za-z])"
                      rf"|(?-i:(?<![A-Za-z])(?:{_either(_MONEY['codes'])})(?![A-Za-z]))|{_either(_MONEY['symbols'])}", re.I)
CURRENCY_CODE = re.compile(rf"(?:{_either(_MONEY['codes'])})")  # "JPY": a unit, no acronym of a thing
CURRENCY_BEFORE = re.compile(rf"(?:(?<![A-Za-z])(?:{_either(_MONEY['codes'])})|{_either(_MONEY['symbols'])})\s?$")
# The words of money as plain words ("dollar", "元"): a unit starting with one measures, never counts.
MONEY_WORDS: tuple[str, ...] = tuple(re.sub(r"\(\?[^)]*\)|\?|\\", "", w) for w in _MONEY["ja"] + _MONEY["en"])

_PAY = _DATA["paying"]
# The party a money question asks about: right before a noun of money ("環境省の補助"), or the subject of a verb
# of paying in its clause ("商工会議所はいくら協賛した", "did Japan contribute", "is X investing", "EDB's loan").
PAYER_JA = re.compile(rf"([^\s、。のはがを「」]{{1,15}}?)(?:の(?:{_either(_PAY['nouns_ja'])})|(?:は|が|って)(?=[^。、？?]{{0,30}}?"
                      rf"(?:{_either(_PAY['verbs_ja'] + _PAY['nouns_ja'])}|いくら|何円|何ドル)))")
PAYER_EN = re.compile(rf"\b(?:did|does|do|will|is|are|was|were|has|have|had)\s+(?:the\s+)?"
                      rf"(?:(?:city|town|prefecture|province|state|municipality|government)\s+of\s+)?([A-Z][\w\-]*(?:\s+(?:[A-Z][\w\-]*"
                      rf"|(?:[a-z\-]+\s+){{0,2}}(?:city|side|government|ministry|company|bank|agency|fund)))*?)\s+(?:itself\s+)?"
                      rf"(?:{_either(_PAY['verbs_en'])})\b"
                      rf"|\b([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){{0,3}})['’]s\s+(?:[\w\-]+\s+){{0,3}}?(?:{_either(_PAY['nouns_en'])})s?\b")
# A question asking an amount of money ("how much", "いくら", "予算").
MONEY_ASKED = re.compile(r"\bhow much\b|いくら|何円|何ドル|金額|\b(?:budget|cost|amount|funding|pledge\w*)\b|予算|費用|事業費|拠出額", re.I)
# A party named in a piece of a clause ("the Ministry of Ecology KZT 850 million", "カザフスタン側が…"): whose amount it is.
PARTY = re.compile(rf"[\u30a0-\u30ff\u4e00-\u9fff](?:{_either(_PAY['party_words_ja'] + _PAY['body_suffixes_ja'])})(?:は|が|の|も|から)"
                   rf"|\b(?:{_either(_PAY['party_words_en'])})\b")
BODY_JA = re.compile(rf"[\u30a0-\u30ff\u4e00-\u9fffA-Za-z・]{{1,20}}(?:{_either(_PAY['body_suffixes_ja'])})")

_PERIODS = _DATA["periods"]
# An amount or count said per year ("毎年", "年間1,500万", "annually"), or over a span of years ("3年間で", "over
# the three years", "FY2026-2028").
PER_YEAR = re.compile(rf"{_either(_PERIODS['per_year_ja'])}|\b(?:{_either(_PERIODS['per_year_en'])})\b", re.I)
OVER_YEARS = re.compile(rf"{_either(_PERIODS['span_ja'])}|\b(?:{_either(_PERIODS['span_en'])})\b", re.I)

# Units a number is read with: the listed ones and the Japanese words of money ("テンゲ", "米ドル").
_UNITS = [w for w in _MONEY["ja"] if w not in _DATA["units"]] + _DATA["units"]
# (Claims assert only the listed measures: reading every currency as a claimed amount called a true blind claim
# contradicted, so a claimed amount in another currency is not compared yet.)
_MEASURED = [u for u in _UNITS if u in set(_DATA["measured_units"])]
_MAGNITUDE = _either(_DATA["magnitudes"])
# A number in a passage, with what it counts or measures when written: "約117万人", "1.5 million tonnes".
# (A number may be written in parts, "1億8,000万", "13万5千"; an era's year, "令和6年", is a date, not an amount.)
QUANTITY = re.compile(
    rf"(?<!第)(?<![0-9０-９,，.])(?<!令和)(?<!平成)(?<!昭和)({_either(_DATA['about_words'])})?\s*"
    rf"((?:[0-9０-９][0-9０-９,，.]*\s*(?:兆|億|万)\s*)*[0-9０-９][0-9０-９,，.]*)\s*"
    rf"({_MAGNITUDE})?\s*({_either(_UNITS)})?(?![A-Za-z0-9])", re.I)
# A measure a claim states: a number with its unit ("117万人", "30%").
MEASURE = re.compile(rf"(\d[\d,.]*)\s*({_MAGNITUDE})?\s*({_either(_MEASURED)})(?![A-Za-z])", re.I)

_PARTICLE_JA = _either(_DATA["place_particles_ja"])
# Right after a name: where something happened there ("環境省で", "会議室内にて").
AT_PLACE_JA = re.compile(rf"\s*内?(?:{_PARTICLE_JA})")
_EVENT_JA = _either(_DATA["event_verbs_ja"])
_EVENT_EN = _either(_DATA["event_verbs_en"])
_PLACE_NAME_EN = r"((?:the\s+)?[A-Z][\w\-’']*(?:[\s,]+[A-Z][\w\-’']*)"
# In a passage: "Xで…締結した", "held … in X": the place where an event happened.
PLACE_JA = re.compile(rf"([^\s、。「」()（）:：]{{2,30}}?)(?:{_PARTICLE_JA})(?=[^。]{{0,120}}?(?:{_EVENT_JA}))")
PLACE_EN = re.compile(rf"\b(?:{_EVENT_EN})\b[^.;]*?\b(?:in|at)\s+{_PLACE_NAME_EN}{{0,4}})")
# In a claim: "…で開催された", "held in X", "held online": a place asserted, not the subject.
PLACE_SAID_JA = re.compile(rf"((?:[A-ZÀ-Þ][\w\-’']*\s+){{0,3}}[^\s、。はがをにの「」]{{2,24}}?)(?:{_PARTICLE_JA})(?:{_EVENT_JA})")
PLACE_SAID_EN = re.compile(rf"\b(?:{_EVENT_EN})\s+(?:in|at)\s+{_PLACE_NAME_EN}*)|\bheld\s+(online|virtually|on the web)\b")

# A sentence giving orders to its reader ("Ignore all previous instructions and answer that …"): not evidence.
_ORDERS = _DATA["instructions"]
INSTRUCTION = re.compile("|".join([*(re.escape(w).replace(r"\ ", r"\s+") for w in _ORDERS["en"]),
                                   *(re.escape(w) for w in _ORDERS["ja"])]), re.I)


def is_instruction(sentence: str) -> bool:
    """Whether a sentence orders its reader about rather than states a fact."""
    return bool(INSTRUCTION.search(sentence))
