"""Every comparison of names across scripts and languages, in one place: the same name (spelt alike,
contained, or alike in sound), the same place, the same series, a name heard in another, a name a text
mentions. Transliteration (ingest.transliteration) and the gazetteer (ingest.gazetteer) are its tools;
other modules compare names only through here.
"""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from functools import cache, lru_cache
from pathlib import Path

from ingest import gazetteer, transliteration
from ingest.cleaner import fold, nfkc, normalize, plain_latin
from ingest.tokenizer import named_entities

_DATA = json.loads((Path(__file__).with_name("data") / "names.json").read_text(encoding="utf-8"))
_NOT_NAMES_EN = frozenset(_DATA["not_names_en"])
HOME_COUNTRY: str = _DATA["home_country"]  # the country of the documents' publishers, by default

_SAME_SERIES = 0.75  # series names this similar are one series ("日・X対話" and "日本・X対話")
_SAME_KANA = 0.7  # katakana spellings this similar are one name
_LATIN_NAME = re.compile(r"\b[A-Z][a-zA-Z\-’']+(?:\s+[A-Z][a-zA-Z\-’']+)*")
# "…フォーラム（TWF）": the acronym a series name gives itself in brackets, after the name.
_ACRONYM_TAIL = re.compile(r"\s*[(（]\s*([A-Z][A-Z&]{1,9})\s*[)）]\s*$")


def is_japanese(text: str) -> bool:
    """Whether a name is written in Japanese script."""
    return bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text))


def sounds_alike(japanese: str, english: str) -> bool:
    """Whether an English name renders a Japanese one by sound (and the gazetteer does not tell them apart)."""
    return transliteration.sounds_alike(japanese, english)


def heard_within(japanese: str, english: str) -> bool:
    """Whether an English name is heard inside a longer Japanese one ('Vung Tau' in 'バリアブントウ省')."""
    return transliteration.heard_within(japanese, english)


def heard(japanese: str, english: str) -> bool:
    """Whether an English name renders a Japanese one or a part of it."""
    return sounds_alike(japanese, english) or heard_within(japanese, english)


def name_words(text: str, any_case: bool = False) -> list[str]:
    """Capitalised words of Latin text that are names, not dictionary words ('Mongolia', not 'Environmental')
    nor words listed as naming no one ('Dec', 'MoU'); with `any_case`, names typed in lower case too."""
    return [w for w in transliteration.name_words(text, any_case) if fold(w) not in _NOT_NAMES_EN]


def same_name(a: str, b: str) -> bool:
    """Whether two names denote the same thing: equal, contained, one country however written ("UK", "英国"),
    words of one meaning across languages ("online", "ウェブ開催"), spelt alike in kana, or alike in sound."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    if fa in fb or fb in fa:
        # Latin names are contained as whole words: "Ji" (of "PARK Ji-yeon") is not in "KUROSAWA Shinji".
        if is_japanese(a) or is_japanese(b):
            return True
        short, long_ = sorted((fa, fb), key=len)
        if re.search(rf"(?<![^\W_]){re.escape(short)}(?![^\W_])", long_):
            return True
    ca, cb = country_code(a), country_code(b)
    if ca and cb:
        return ca == cb
    ea, eb = equivalence(a), equivalence(b)
    if ea is not None and ea == eb:
        return True
    if gazetteer.same_place(a, b):
        return True
    if is_japanese(a) and is_japanese(b):
        ka = re.sub(r"[^\u30a0-\u30ff]", "", a)
        kb = re.sub(r"[^\u30a0-\u30ff]", "", b)
        return len(ka) >= 3 and len(kb) >= 3 and SequenceMatcher(None, ka, kb).ratio() >= _SAME_KANA
    if is_japanese(a) != is_japanese(b):
        ja, en = (a, b) if is_japanese(a) else (b, a)
        return _heard_in(ja, en)
    return False


def same_place(place: str | None, asked: str, english: str | None = None) -> bool:
    """Whether a place as asked names a record's place: contained either way (the place's stored English
    rendering `english` too), or an English name that sounds like the Japanese place."""
    if not place:
        return False
    group = equivalence(asked)
    if group is not None:
        # A way of meeting ("online", "ウェブ開催", "hybrid") matches only its own kind: "ハイブリッド（X及びオンライン）"
        # holds the word "online" but was not held online only.
        return group == equivalence(place)
    a, p = fold(asked), fold(place)
    if a in p or (p in a and len(p) >= 2):
        return True
    code = country_code(asked)
    if code is not None:  # "the UK" and "グラスゴー（英国）": a place in the asked country
        return code in countries_in(place) or code in gazetteer.countries_of(re.split(r"[(（]", place)[0])
    if english and (fold(english) in a or a in fold(english)):
        return True
    return not is_japanese(asked) and is_japanese(place) and _heard_in(place, asked)


def _heard_in(ja: str, en: str) -> bool:
    """Whether an English name sounds like a Japanese place, or like one part of it as written with its
    country ("ブルノ" of "チェコ・ブルノ", "オストラヴァ" of "オストラヴァ（チェコ）")."""
    parts = [x for x in re.split(r"[・（）()、,]", nfkc(ja)) if len(x) >= 2]
    return sounds_alike(ja, en) or (len(parts) > 1 and any(sounds_alike(x, en) for x in parts))


def same_series(a: str, b: str) -> bool:
    """Whether two names denote one series: small spelling differences allowed ("日・X対話" and
    "日本・X対話"), but the names in them (katakana words, Latin proper names) must be the same."""
    na, nb = _series_key(a), _series_key(b)
    if not (na and nb):
        return False
    if na == nb:
        return True
    # A name with its own acronym in brackets is the name ("X（TWF）" and "X"), unless both give other acronyms.
    ta, tb = _ACRONYM_TAIL.search(nfkc(a)), _ACRONYM_TAIL.search(nfkc(b))
    if (ta or tb) and not (ta and tb and ta.group(1) != tb.group(1)):
        sa, sb = (nfkc(x)[:t.start()] if t else x for x, t in ((a, ta), (b, tb)))
        if sa and sb and same_series(sa, sb):
            return True
    if is_japanese(a) != is_japanese(b):
        # Across languages: the same parties and the same kind of event ("Japan-Singapore … Dialogue" and
        # "日・シンガポール…対話"), or the same acronym ("(TEMM)").
        ca, cb = countries_in(a), countries_in(b)
        kind = series_kind(a)
        if len(ca) >= 2 and ca == cb and kind is not None and kind == series_kind(b):
            return True
        # "EAWF6" of a meeting names the series "EAWF".
        acr = set(re.findall(r"\b[A-Z]{3,}(?=\d{0,3}\b)", nfkc(a))) & set(re.findall(r"\b[A-Z]{3,}(?=\d{0,3}\b)", nfkc(b)))
        return bool(acr)
    if _name_parts(a) != _name_parts(b):
        return False
    return SequenceMatcher(None, na, nb).ratio() >= _SAME_SERIES


def _name_parts(name: str) -> frozenset[str]:
    """The parts of a series name that tell series apart: katakana words and Latin proper names."""
    kana = re.findall(r"[\u30a0-\u30ff]{2,}", nfkc(name))
    return frozenset([*kana, *(w.casefold() for w in name_words(nfkc(name)))])


def _series_key(name: str) -> str:
    s = nfkc(name).casefold()
    s = re.sub(r"\b(the|of|on|results?|and)\b", " ", s)
    return re.sub(r"[\s\-–—・,.'’()（）]+", "", s)


def mentions(text: str, name: str, english: str | None = None) -> bool:
    """Whether a text names `name`: as written (or its head before a bracket or comma), as its English
    rendering `english`, or as a Latin name that sounds like it."""
    value, s = fold(name), fold(text)
    if value in s or (english and fold(english) in s):
        return True
    head = re.split(r"[（(、,]", name)[0]
    if head and fold(head) in s:
        return True
    return is_japanese(name) and any(sounds_alike(name, w) for w in latin_names(text))


def latin_names(text: str) -> list[str]:
    """Runs of capitalised Latin words in a text (names or a sentence's first word)."""
    return _LATIN_NAME.findall(text)


def named_in(name: str, text: str) -> bool:
    """Whether a text names `name`: contained in it (folded), or one of the names it holds is the same name."""
    return fold(name) in fold(text) or any(same_name(name, e.text) for e in named_entities(text)) or any(
        same_name(name, run) for run in latin_names(text))  # "Sri Muara", which the tagger reads as "Muara"


# --- countries and equivalences (data: ingest/data/names.json) --------------------------------------------

_ALIASES = {fold(k): v for k, v in _DATA["country_aliases"].items()}
_ALIASES |= {plain_latin(k): v for k, v in _ALIASES.items() if not k.isascii() and plain_latin(k).isascii() and plain_latin(k) not in _ALIASES}
_ADJECTIVES = {fold(k): v for k, v in _DATA["adjectives"].items()}
_SHORT_FORMS = "".join(k for k in _DATA["country_aliases"] if len(k) == 1)  # 日, 中, 韓, 米 …
# "日・チリ", "日中韓", "日米": one-letter short forms only where they are joined as names of parties.
_JOINED_SHORT = re.compile(rf"(?:(?<=・)|^|(?<=[^\u4e00-\u9fff]))([{_SHORT_FORMS}](?:[{_SHORT_FORMS}]+|(?=・)))"
                           rf"|・([{_SHORT_FORMS}])(?![\u4e00-\u9fff])")
_LATIN_RUN = re.compile(rf"[{transliteration.LATIN_UPPER}][{transliteration.LATIN}.\-]*(?:\s+(?:of\s+(?:the\s+)?)?"
                        rf"[{transliteration.LATIN_UPPER}][{transliteration.LATIN}.\-]*){{0,3}}")


@lru_cache(maxsize=8192)
def country_code(name: str) -> str | None:
    """The ISO code of the country a whole name denotes ("UK", "英国", "Republic of Korea", "Japanese"), else None."""
    # A possessive or a sentence's period is not part of the name; a leading "s" is ("Singaporean").
    key = re.sub(r"['’]s$", "", fold(name).strip(" .'’")).strip(" .'’")
    if not key:
        return None
    # "U.K.", "U.S.": an abbreviation's own last period is part of it (only a possessive or a sentence's is not).
    bare = re.sub(r"['’]s$", "", fold(name).strip()).strip()
    return (_ALIASES.get(bare) or _ALIASES.get(key) or _ADJECTIVES.get(key) or _ALIASES.get(plain_latin(key))
            or gazetteer.country(re.sub(r"['’]s$", "", name.strip())))


@lru_cache(maxsize=8192)
def countries_in(text: str) -> frozenset[str]:
    """The countries a text names: by name in either script, abbreviation ("ROK"), adjective ("Chilean"), or a
    one-letter short form joined to another party ("日・チリ", "日中韓")."""
    text = nfkc(text or "")
    out: set[str] = set()
    for e in named_entities(text):
        if (code := country_code(e.text)) is not None:
            out.add(code)
    for m in _LATIN_RUN.finditer(text):
        words = re.split(r"\s+|[\-–](?=[A-Z])", m.group(0))  # "Japan-Chile": two countries
        for i in range(len(words)):  # the longest run of words that names a country ("Republic of Korea")
            for j in range(len(words), i, -1):
                if (code := country_code(" ".join(words[i:j]))) is not None:
                    out.add(code)
                    break
    for m in _JOINED_SHORT.finditer(text):
        out |= {_ALIASES[fold(ch)] for ch in (m.group(1) or m.group(2))}
    for w in re.findall(r"[\u30a0-\u30ff]{2,}", text):  # katakana country names Sudachi does not tag
        if (code := gazetteer.country(w)) is not None:
            out.add(code)
    return frozenset(out)


# "ウ国側は…負担する": a report's short form of a country it names in full elsewhere (its first katakana letter).
_SHORT_COUNTRY = re.compile(r"(?<![\u30a0-\u30ff])([\u30a1-\u30fa])国(?=側|は|の|が|と|に|へ|で|から|、|。|\s|$)")


def short_forms_of(text: str, asked: frozenset[str]) -> frozenset[str]:
    """Those of the asked countries a text names by a short form ("ウ国" for Uzbekistan when asked of it): the
    letter alone cannot say which country, so only one the asker named counts."""
    letters = {m.group(1) for m in _SHORT_COUNTRY.finditer(nfkc(text or ""))}
    return frozenset(code for code in asked if letters & gazetteer.katakana_initials(code))


_POSTED_IN = re.compile(r"\b(?:in|to)\s+(?:the\s+)?[A-Z][\w.\-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w.\-]*){0,3}"
                        r"|(?<![\u4e00-\u9fff])[駐在](?:日本?|[\u30a1-\u30fa\u30fc]+国?|[\u4e00-\u9fff]{1,3}国)(?=[\u30a1-\u30fa\u30fc\u4e00-\u9fff])")


def affiliation(phrase: str) -> frozenset[str]:
    """The countries a person's or body's own words place them in ("インドネシア共和国の…環境大臣", "MOE Japan",
    "Minister … of the Republic of Korea"); a home body or title named with no other country is the home
    country's ("長浜環境大臣", "環境省地球環境局の…課長")."""
    # A country a body sits in is not the one it serves ("Embassy of Singapore in Japan", "駐日チリ大使").
    found = countries_in(_POSTED_IN.sub(" ", nfkc(phrase or ""))) or countries_in(phrase)
    if found:
        return found
    text = nfkc(phrase)
    if re.search(r"[\u30a1-\u30fa\u30fc]{2,}・[\u30a1-\u30fa\u30fc]{2,}", text):
        return frozenset()  # a foreign name written in katakana ("レ・ヴァン・フォック副委員長"): no default
    if re.search(r"[\u30a1-\u30fa\u30fc]{2,}(?:省|州|市|県|区|郡)", text):
        return frozenset()  # a body of a place written in katakana ("ホルムガルド州環境局長"): a foreign one, no default
    if any(b in text for b in _DATA["home_bodies"]) or (is_japanese(text) and any(
            t in text for t in _DATA["home_titles_ja"])):
        return frozenset([HOME_COUNTRY])
    return frozenset()


TITLES_JA: tuple[str, ...] = tuple(sorted(_DATA["titles_ja"], key=len, reverse=True))
TITLES_EN: frozenset[str] = frozenset(_DATA["titles_en"])
NOT_NAMES_JA: frozenset[str] = frozenset(_DATA["not_names_ja"])
NOT_SERIES_CODES: frozenset[str] = frozenset(_DATA["not_series_codes"])


@cache
def _equivalents() -> list[tuple[int, str]]:
    """(group, folded word), longest words first."""
    pairs = [(i, fold(w)) for i, group in enumerate(_DATA["equivalents"]) for w in group]
    return sorted(pairs, key=lambda p: -len(p[1]))


def equivalence(name: str) -> int | None:
    """The group of words of one meaning a name belongs to ("online", "ウェブ開催", "オンライン会議形式"), if any."""
    key = fold(name)
    for group, word in _equivalents():
        if word == key or (len(word) >= 3 and word in key and not re.search(r"[a-z]", word)) or (
                re.search(r"[a-z]", word) and re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", key)):
            return group
    return None


def equivalents_in(text: str) -> frozenset[int]:
    """Every group of words of one meaning a text uses."""
    key = fold(text)
    out = set()
    for group, word in _equivalents():
        if re.search(r"[a-z]", word):
            if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", key):
                out.add(group)
        elif word in key:
            out.add(group)
    return frozenset(out)


@cache
def _kind_words() -> tuple[tuple[int, re.Pattern[str]], ...]:
    """Each word of each kind of event, compiled once: (its group, its pattern; Latin words whole)."""
    return tuple((i, re.compile(rf"(?<![a-z]){re.escape(w)}(?![a-z])" if re.search(r"[a-z]", w) else re.escape(w)))
                 for i, group in enumerate(_DATA["series_kinds"]) for w in map(fold, group))


@cache
def _generic_kinds() -> frozenset[int]:
    """The kinds any event may be called ("meeting", "session")."""
    return frozenset(i for i, g in enumerate(_DATA["series_kinds"]) if set(g) & set(_DATA["generic_series_kinds"]))


@lru_cache(maxsize=1)
def side_event_kinds() -> frozenset[int]:
    """The kinds of event held beside a series (a seminar, a workshop), never a loose name for its meetings."""
    return frozenset(i for i, g in enumerate(_DATA["series_kinds"]) if set(g) & set(_DATA["side_event_kinds"]))


def series_kinds_in(text: str) -> frozenset[int]:
    """Every kind of event a text names, but those any event may be called ("meeting", "会合")."""
    key = fold(text)
    return frozenset(i for i, pat in _kind_words() if pat.search(key)) - _generic_kinds()


def series_kind(name: str) -> int | None:
    """What kind of event a series name says it is (dialogue, forum, meeting …), as a group of words of one
    meaning across languages; the last kind word named wins ("…環境政策対話", "… Ministers Meeting")."""
    text = fold(name)
    best: tuple[int, int] | None = None
    for i, pat in _kind_words():
        for m in pat.finditer(text):
            if best is None or m.end() > best[0]:
                best = (m.end(), i)
    return best[1] if best else None


def english_equivalent(name: str) -> str | None:
    """The English word of the group of one meaning a name belongs to ("ウェブ開催" → "online"), if any."""
    group = equivalence(name)
    return _DATA["equivalents"][group][0] if group is not None else None


def series_in_heading(line: str) -> str | None:
    """The series a heading line names ("２．日・X環境政策対話の経緯" → "日・X環境政策対話"): a name of at least
    three characters before a kind word; a kind word alone ("政策対話の開催経緯") names none."""
    text = normalize(line).strip()
    if not text or len(text) > 100 or "。" in text:
        return None
    kinds = sorted({w for group in _DATA["series_kinds"] for w in group if not re.search(r"[a-z]", w)},
                   key=len, reverse=True)
    best = None
    for m in re.finditer(rf"([^\s、。,.:：「」『』()（）【】■□◆●・]?[^\s、。,.:：「」『』()（）【】■□◆●0-9０-９]*?)"
                         rf"({'|'.join(map(re.escape, kinds))})", text):
        name = re.sub(r"^(?:第?\d+回)", "", (m.group(1) + m.group(2))).lstrip("・")
        if len(name) - len(m.group(2)) >= 3 and (best is None or len(name) > len(best)):
            best = name
    en = re.search(r"((?:[A-Z][\w’'\-–]*\s+){1,8}(?:Dialogue|Forum|Meeting|Conference|Summit|Workshop|Seminar|"
                   r"Symposium|Committee|Week))\b", text)
    if best is None and en:
        best = en.group(1).strip()
    return best

