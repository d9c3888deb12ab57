"""SudachiPy tokens for BM25: normalized forms, no punctuation/particles, Latin words and numbers kept."""

from __future__ import annotations

import re
import threading
import unicodedata

# Parts of speech that carry no content for keyword matching.
_DROP_POS = frozenset({"補助記号", "空白", "助詞", "助動詞"})
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
