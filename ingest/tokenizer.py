"""SudachiPy tokens for BM25: normalized forms, no punctuation/particles, Latin words and numbers kept."""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.transliteration import LATIN, LATIN_UPPER

# Parts of speech that carry no content for keyword matching.
_DROP_POS = frozenset({"補助記号", "空白", "助詞", "助動詞", "代名詞", "連体詞", "接続詞", "感動詞"})
# A small English stopword list: English questions share only names, acronyms and numbers with the
# Japanese text, so function words would only add noise.
_STOPWORD_TEXT = """
    a an the of in on at to for from by with about as into onto over under up down out off
    and or but nor not no so than then too very
    is are was were be been being am do does did done doing have has had having
    i me my we our you your he him his she her it its they them their this that these those
    what which who whom whose when where why how whether
    can could will would shall should may might must
    there here if else also just only any all some each both
    between during after before since until among through within without per via upon across
"""
ENGLISH_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_ASCII_ALNUM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.,'_]*$")
_SYMBOLS_ONLY = re.compile(r"^[\W_]+$")
# Sudachi rejects inputs above ~49 KB; chunks and questions are far smaller, but be safe.
_MAX_PIECE = 4000

_lock = threading.Lock()
_tokenizer = None


def _get_tokenizer():
    """The process-wide Sudachi tokenizer (SplitMode A), created on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                from sudachipy import Dictionary, SplitMode

                _tokenizer = Dictionary(dict="core").create(SplitMode.A)
    return _tokenizer


def _pieces(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        while len(line) > _MAX_PIECE:
            # Cut after the last sentence mark or space so no word is split in two.
            cut = max(line.rfind(ch, 0, _MAX_PIECE) for ch in "。．！？!? 、,") + 1 or _MAX_PIECE
            out.append(line[:cut])
            line = line[cut:]
        if line.strip():
            out.append(line)
    return out


def _morphemes(piece: str) -> list[tuple[str, str, str, int, int]]:
    """(surface, normalized form, POS, begin, end) for one piece; the tokenizer is not thread-safe."""
    tok = _get_tokenizer()
    with _lock:
        ms = tok.tokenize(piece)
        return [(m.surface(), m.normalized_form(), m.part_of_speech()[0], m.begin(), m.end()) for m in ms]


def _is_ascii_word(s: str) -> bool:
    return bool(_ASCII_ALNUM.match(s))


def _flush(run: list[str], tokens: list[str]) -> None:
    """Emit a run of touching ASCII tokens as one word too ("COP" + "28" → "cop28")."""
    if len(run) > 1:
        merged = "".join(run)
        if merged not in ENGLISH_STOPWORDS:
            tokens.append(merged)
    run.clear()


def tokenize(text: str) -> list[str]:
    """Tokens of `text` for BM25: NFKC, Sudachi mode A normalized forms, lower-cased, content words only."""
    text = unicodedata.normalize("NFKC", text or "")
    tokens: list[str] = []
    for piece in _pieces(text):
        run: list[str] = []
        run_end = -1
        for surface, normalized, pos, begin, end in _morphemes(piece):
            if pos in _DROP_POS or not surface.strip() or _SYMBOLS_ONLY.match(surface):
                _flush(run, tokens)
                continue
            if _is_ascii_word(surface):
                # Sudachi maps some English words to katakana ("up" → "アップ"): keep the Latin surface.
                word = surface.lower()
                if run and begin != run_end:
                    _flush(run, tokens)
                run.append(word)
                run_end = end
                if word not in ENGLISH_STOPWORDS:
                    tokens.append(word)
                continue
            _flush(run, tokens)
            tokens.append(normalized.lower())
        _flush(run, tokens)
    return tokens


# Nouns that say what a text is about: not numerals, and not verbal nouns ("署名", "開所": what happened) unless
# another noun follows ("研修センター": a kind of centre).
_ABOUT_POS = re.compile(r"名詞,(?:普通名詞,(?!サ変)|固有名詞)")
_VERBAL_NOUN = re.compile(r"名詞,普通名詞,サ変")
_NOUN = re.compile(r"名詞,(?:普通名詞|固有名詞)|接尾辞,名詞的")  # a noun, or a suffix making one ("研修員")
_COMMON_NOUN = re.compile(r"名詞,普通名詞|接尾辞,名詞的")
_THIS = frozenset({"本", "当", "同", "この", "その", "両"})


def _tagged(text: str) -> list[list[tuple[str, str, str]]]:
    """Per piece of NFKC text, (surface, normalized form, part of speech to three levels) of each morpheme."""
    tok = _get_tokenizer()
    out = []
    for piece in _pieces(unicodedata.normalize("NFKC", text or "")):
        with _lock:
            out.append([(m.surface(), m.normalized_form(), ",".join(m.part_of_speech()[:3])) for m in tok.tokenize(piece)])
    return out


def nouns(text: str, asked: bool = False) -> list[str]:
    """The nouns of `text` as `tokenize` writes them (Japanese common and proper nouns; Latin words as typed,
    lower-cased): the things a text names. `asked`: a question's things, so no verbal noun ("署名", "開所": what
    happened) but one another noun follows ("研修センター"), and none pointed back to ("本事業": named before)."""
    out: list[str] = []
    for ms in _tagged(text):
        for i, (surface, normalized, pos) in enumerate(ms):
            if asked and i and ms[i - 1][0] in _THIS and ms[i - 1][2].startswith(("接頭辞", "連体詞")):
                continue
            if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.,'_ ]*", surface):  # ("press release" is one morpheme)
                out += [w for w in surface.lower().split() if w not in ENGLISH_STOPWORDS]
            elif _ABOUT_POS.match(pos) or (_VERBAL_NOUN.match(pos) and (not asked or (
                    i + 1 < len(ms) and not _is_ascii_word(ms[i + 1][0]) and _NOUN.match(ms[i + 1][2])))):
                out.append(normalized.lower())
    return out


def noun_runs(text: str) -> list[str]:
    """Runs of two or more Japanese common nouns written together ("資源回収センター", "森林モニタリング"), as
    written; a proper name ends a run, and a pointing word opens none ("同覚書")."""
    out: list[str] = []
    for ms in _tagged(text):
        run: list[str] = []
        for surface, _, pos in [*ms, ("", "", "")]:
            if surface and not _is_ascii_word(surface) and _COMMON_NOUN.match(pos):
                if run or surface not in _THIS:  # ("同覚書": the one named before, no other)
                    run.append(surface)
                continue
            if len(run) >= 2:
                out.append("".join(run))
            run = []
    return out


def last_word(text: str) -> str:
    """The normalized form of a text's last morpheme ("資源回収センター": センター, "年度事業費": 費)."""
    pieces = _tagged(text)
    return pieces[-1][-1][1] if pieces and pieces[-1] else ""


@dataclass(frozen=True)
class Entity:
    """A name in a text: a place, a person, a country, or an unknown word that reads as a name."""

    text: str
    kind: str  # place | person | country | name
    start: int
    end: int


_KIND = {"地名": "place", "人名": "person", "国": "country"}


_NOT_NAMES_EN = frozenset(json.loads((Path(__file__).parent / "data" / "names.json").read_text(encoding="utf-8"))[
    "not_names_en"])


def reading(text: str) -> str:
    """The text as it is read, in katakana (小泉 → コイズミ): how a Latin rendering of a kanji name is heard."""
    tok = _get_tokenizer()  # outside the lock: creating it takes the same lock
    out = []
    for piece in _pieces(unicodedata.normalize("NFKC", text or "")):
        with _lock:
            out += [m.reading_form() for m in tok.tokenize(piece)]
    return "".join(out)


def named_entities(text: str) -> list[Entity]:
    """Proper nouns by Sudachi's part of speech (mode C), adjacent parts of one name joined; katakana or
    Latin words the dictionary does not know count as names."""
    from sudachipy import SplitMode

    text = unicodedata.normalize("NFKC", text or "")
    tok = _get_tokenizer()
    out: list[Entity] = []
    for piece_start, piece in _piece_offsets(text):
        with _lock:
            ms = [(m.surface(), m.part_of_speech(), m.is_oov(), m.begin(), m.end())
                  for m in tok.tokenize(piece, SplitMode.C)]
        for surface, pos, oov, begin, end in ms:
            kind = None
            if pos[0] == "名詞" and pos[1] == "固有名詞":
                kind = "country" if pos[3] == "国" else _KIND.get(pos[2], "name")
            elif oov and re.fullmatch(rf"[\u30a0-\u30ff]{{2,}}|[{LATIN_UPPER}][{LATIN}\-]+", surface) and (
                    surface.lower() not in ENGLISH_STOPWORDS):
                kind = "name"
            if kind is None or surface.lower() in ENGLISH_STOPWORDS or surface.lower() in _NOT_NAMES_EN or (
                    surface[0].isascii() and not surface[0].isupper()):
                continue
            start, stop = piece_start + begin, piece_start + end
            if kind == "name" and surface[0].isascii() and text[start - 1:start] in ('"', "“", "‘", "'"):
                continue  # "Restoring lakes …": a quoted title's first word is capitalised, not a name
            prev = out[-1] if out else None
            gap = text[prev.end:start] if prev else None
            same_script = prev is not None and prev.text[-1].isascii() == surface[0].isascii()
            joins = ("", " ", "\u3000") + (("・",) if {prev.kind if prev else kind, kind} <= {"person", "name"} else ())
            if prev is not None and same_script and gap in joins and (
                    prev.kind == kind or {prev.kind, kind} <= {"person", "name"}):
                out[-1] = Entity(text[prev.start:stop], "person" if "person" in (prev.kind, kind) else kind,
                                 prev.start, stop)
            else:
                out.append(Entity(surface, kind, start, stop))
    out = [part for e in out for part in _office_place_apart(e, text)]
    others = [(o.start, o.end) for o in out if o.kind not in ("person", "name")]
    # (two parts Sudachi read apart may grow into the same whole name: it is one name)
    return list(dict.fromkeys(_whole_place_name(_whole_katakana_name(e, text, others), text) for e in out))


_OFFICE_AFTER = re.compile(r"[市町村区県郡]?(?:長|知事)")


def _office_place_apart(e: Entity, text: str) -> list[Entity]:
    """"大森 健太 桜川市長", "アナ・コヴァルスカ リヴナ市長": a whole name, then the place of the office after it (a
    name's last part right before 市長 is the city when the name is whole without it: three parts, or a katakana
    name before it); "大森 健太市長" stays one person."""
    parts = re.split(r"[ \u3000]", e.text)
    # (Japanese pages join a foreign name's words with ・: a katakana word apart before the title is the city.)
    whole = len(parts) >= 3 or (len(parts) == 2 and re.fullmatch(f"{_KANA_WORD}(?:{_KANA_JOIN}{_KANA_WORD})*", parts[0]))
    if e.kind not in ("person", "name") or not whole or not _OFFICE_AFTER.match(text, e.end) or len(parts[-1]) < 2:
        return [e]
    cut = e.end - len(parts[-1])
    name = text[e.start:cut].rstrip(" \u3000")
    return [Entity(name, "person", e.start, e.start + len(name)), Entity(parts[-1], "place", cut, e.end)]


# "藤ヶ浦市", "霧ヶ丘町": Sudachi reads the part after ヶ as a name of its own ("浦市", a person); the kanji before
# ヶ belong to it, and a name ending in 市/町/村/区/県/郡 is a place.
_KE_BEFORE = re.compile(r"[\u4e00-\u9fff々]{1,4}[ヶケヵ]$")
_PLACE_END = re.compile(r"[市町村区県郡]$")


# "柚木崎市国際交流会館", "柚木崎市は": a kanji "person" right before a municipal suffix is the place it names
# ("三輪市長", "田中町議": a person and the office after them).
_PLACE_SUFFIX_AFTER = re.compile(r"[市町村区県郡](?!長|議(?!会)|知事)")


def _whole_place_name(e: Entity, text: str) -> Entity:
    if e.kind == "person" and re.fullmatch(r"[\u4e00-\u9fff々]+", e.text) and _PLACE_SUFFIX_AFTER.match(text, e.end):
        return Entity(text[e.start:e.end + 1], "place", e.start, e.end + 1)
    m = _KE_BEFORE.search(text[max(0, e.start - 5):e.start])
    if not m or e.kind == "country" or not re.match(r"[\u4e00-\u9fff]", e.text):
        return e
    start = e.start - len(m.group(0))
    kind = "place" if _PLACE_END.search(e.text) else e.kind
    return Entity(text[start:e.end], kind, start, e.end)


_KANA_WORD = "[\u30a1-\u30fa\u30fc]+"
_KANA_JOINS = ("・", "＝", "=")  # what joins the words of one katakana name ("ダークワ＝アンサー")
_KANA_JOIN = f"[{''.join(_KANA_JOINS)}]"


def _whole_katakana_name(e: Entity, text: str, others: list[tuple[int, int]]) -> Entity:
    """A katakana name is the whole run of its ・-joined words (or ＝-joined: "ダークワ＝アンサー"), a dictionary word
    among them too ("マイ・タン・ズン": Sudachi tags only "タン・ズン"); a country or place word before or after it
    ("ベトナム・") is not its part."""
    if e.kind not in ("person", "name") or not re.fullmatch(f"{_KANA_WORD}(?:{_KANA_JOIN}{_KANA_WORD})*", e.text):
        return e

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in others)

    start, stop = e.start, e.end
    while (m := re.search(f"{_KANA_WORD}{_KANA_JOIN}$", text[max(0, start - 20):start])) is not None and \
            free(start - len(m.group(0)), start):
        start -= len(m.group(0))
    while (m := re.match(f"{_KANA_JOIN}{_KANA_WORD}", text[stop:])) is not None and free(stop, stop + len(m.group(0))):
        stop += len(m.group(0))
    return e if (start, stop) == (e.start, e.end) else Entity(text[start:stop], e.kind, start, stop)


def _piece_offsets(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for piece in _pieces(text):
        idx = text.find(piece, pos)
        out.append((idx, piece))
        pos = idx + len(piece)
    return out


def predicates(text: str) -> list[str]:
    """The verbs and verbal nouns of a text (normalized, e.g. 締結, 開催, 署名): what happened, as opposed
    to whom or what it happened to."""
    out: list[str] = []
    tok = _get_tokenizer()  # outside the lock: creating it takes the same lock
    for piece in _pieces(unicodedata.normalize("NFKC", text or "")):
        with _lock:
            ms = [(m.normalized_form(), m.part_of_speech()) for m in tok.tokenize(piece)]
        for form, pos in ms:
            if pos[0] == "動詞" and pos[1] != "非自立可能" or (pos[0] == "名詞" and pos[2] == "サ変可能"):
                out.append(form.lower())
    return out


@dataclass(frozen=True)
class TitledName:
    """A person named with their title in Japanese prose: "長浜環境大臣", "イサベル・ロハス国際局長", "高倉弘二氏"."""

    name: str
    title: str  # what follows the name in its noun phrase ("環境大臣", "国際局長")
    start: int  # offsets of the name in the text
    end: int


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z.']*")


def titled_names(text: str, titles: tuple[str, ...], not_names: frozenset[str]) -> list[TitledName]:
    """People a Japanese text names as NAME + TITLE inside one run of nouns: a katakana name joined by ・, a
    proper noun, or a first word that is no common word (`not_names`); `titles` end the run (longest first).
    Hand-written: no library tags Japanese names with titles well enough (Sudachi calls 高瀬 a common noun)."""
    text = nfkc_text(text)
    tok = _get_tokenizer()
    out: list[TitledName] = []
    for piece_start, piece in _piece_offsets(text):
        from sudachipy import SplitMode

        with _lock:
            ms = [(m.surface(), m.part_of_speech(), m.is_oov(), m.begin(), m.end())
                  for m in tok.tokenize(piece, SplitMode.C)]
        runs: list[list[tuple]] = [[]]
        for i, m in enumerate(ms):
            pos = m[1]
            # Katakana words join whatever Sudachi calls them ("チュン" of "レ・チュン・チン" is no adverb); a space or
            # hyphen between Latin words is inside one name ("PARK Ji-yeon氏").
            latin_gap = m[0] in (" ", "-") and 0 < i < len(ms) - 1 and _LATIN_WORD.fullmatch(ms[i - 1][0]) \
                and _LATIN_WORD.fullmatch(ms[i + 1][0])
            if pos[0] in ("名詞", "接頭辞", "接尾辞") or m[0] in _KANA_JOINS or latin_gap or re.fullmatch(_KANA_WORD, m[0]):
                runs[-1].append(m)
            else:
                runs.append([])
        for run in runs:
            if len(run) < 2:
                continue
            words = "".join(m[0] for m in run)
            title = next((t for t in titles if words.endswith(t)), None)
            if title is None:
                continue
            name = _name_in_run(run, len(words) - len(title), not_names)
            if name is None:
                continue
            s, e = name
            if piece[e:e + 1] == "側":
                continue  # "ポーランド側共同議長": the side a title is of, no one's name
            out.append(TitledName(text[piece_start + s:piece_start + e], text[piece_start + e:piece_start +
                                  run[-1][4]], piece_start + s, piece_start + e))
    return out


def _name_in_run(run: list[tuple], title_at: int, not_names: frozenset[str]) -> tuple[int, int] | None:
    """(start, end) in the piece of the name a noun run holds before its title, if any."""
    base = run[0][3]
    kana = [m for m in run if re.fullmatch(_KANA_WORD, m[0])]
    # A katakana name joined by ・ ("イサベル・ロハス"): the last such chain before the title.
    i = 0
    best = None
    while i < len(run):
        if run[i] in kana:
            j = i
            while j + 2 < len(run) and run[j + 1][0] in _KANA_JOINS and re.fullmatch(_KANA_WORD, run[j + 2][0]):
                j += 2
            if j > i and run[j][4] - base <= title_at:
                best = (run[i][3], run[j][4])
            i = j + 1
        else:
            i += 1
    if best:
        return best
    # A name in Latin letters, its words joined by spaces or hyphens ("PARK Ji-yeon氏", "Tanaka局長"); one
    # upper-case word alone is a body's acronym ("UNEP事務局長"), no one.
    latin = []
    for m in run:
        if m[4] - base > title_at or not (_LATIN_WORD.fullmatch(m[0]) or m[0] in (" ", "-")):
            break
        latin.append(m)
    words = [m[0] for m in latin if _LATIN_WORD.fullmatch(m[0])]
    if words and (len(words) > 1 or not words[0].isupper()) and latin[-1][4] - base == title_at:
        return latin[0][3], latin[-1][4]
    first = run[0]
    if first[4] - base > title_at or first[0] in not_names or len(first[0]) < 2:
        return None
    pos = first[1]
    if len(run) > 1 and re.fullmatch(r"[市県省州区町村国都府道郡]", run[1][0]) and (
            pos[2] == "地名" or re.fullmatch(_KANA_WORD, first[0])):
        return None  # "ハノイ市人民委員会副委員長", "ホルムガルド州環境局長": a place's body, not a name
    proper = pos[1] == "固有名詞" and pos[3] != "国"
    if not (proper or re.fullmatch(r"[\u30a1-\u30fa\u30fc]{2,}|[\u4e00-\u9fff]{2,3}", first[0])):
        return None
    if not proper and not first[2] and pos[1] == "普通名詞" and len(first[0]) >= 6:
        return None  # "カーボンニュートラル推進部長": a long loanword the dictionary knows names a department, no one
    end = first[4]
    if len(run) > 2 and run[1][1][2:4] == ("人名", "名"):
        end = run[1][4]  # "高倉弘二氏": family and given name
    if end - base > title_at:
        return None
    if any(m[1][2] == "地名" for m in run if m[3] >= end and m[4] - base <= title_at):
        return None  # "白砂浦市長": a place's office (浦 is a place name), not a person called 白砂
    return first[3], end


def nfkc_text(text: str) -> str:
    """NFKC (the offsets the tokenizer reports refer to it)."""
    return unicodedata.normalize("NFKC", text or "")
