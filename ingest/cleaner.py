"""Normalization for indexing and detection of navigation/boilerplate lines in scraped pages."""

from __future__ import annotations

import re
import unicodedata

# Letters of Japanese script (kana, kanji, iteration/prolonged marks); punctuation is deliberately absent.
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ー"
_WS = re.compile(r"\s+")
# Pages put layout spaces around numbers ("令和 5 年", "第 28 回"); join them only where a Japanese
# letter touches the number, so spaces between Latin words or after "COP28" survive.
_SPACE_BEFORE_NUMBER = re.compile(rf"(?<=[{_CJK}]) (?=\d)")
_SPACE_AFTER_NUMBER = re.compile(rf"(?<![A-Za-z0-9.,])(\d+(?:[.,]\d+)*) (?=[{_CJK}])")

def nfkc(text: str) -> str:
    """Unicode NFKC: full-width letters and digits as ASCII, compatibility forms folded."""
    return unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """NFKC and case-folded: the form two spellings of one name are compared in."""
    return nfkc(text).casefold()


_ACCENTED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]+")


def plain_latin(text: str) -> str:
    """Latin letters without their accents ("Türkiye" → "Turkiye", "Brasília" → "Brasilia"), as people often type
    them; kana keep their voicing marks."""
    return _ACCENTED.sub(lambda m: "".join(ch for ch in unicodedata.normalize("NFKD", m.group(0))
                                           if not unicodedata.combining(ch)), text)


# Navigation/photo lines of scraped pages; compared after normalize() and lower-casing.
_BOILERPLATE = frozenset(
    {
        "共通ナビゲーションを飛ばす",
        "ナビゲーションを飛ばす",
        "本文へ",
        "本文へ移動",
        "本文へスキップ",
        "メニュー",
        "メニューを開く",
        "メニューを閉じる",
        "ページの先頭へ",
        "ページの先頭へ戻る",
        "ページトップへ",
        "このページの先頭へ",
        "top",
        "pagetop",
        "page top",
        "menu",
        "skip to content",
        "skip to main content",
        "photo",
        "image",
        "写真",
        "画像",
    }
)


# Labels spelt out with a space between letters ("日 時", "電 話", "問 い 合 わ せ 先"): one word.
_SPACED_LETTERS = re.compile(rf"(?<![{_CJK}])[{_CJK}](?: [{_CJK}])+(?![{_CJK}])")


def normalize(text: str) -> str:
    """NFKC, collapse whitespace, and join layout spaces inside numbers, dates and spaced-out labels."""
    out = _WS.sub(" ", unicodedata.normalize("NFKC", text))
    out = _SPACE_BEFORE_NUMBER.sub("", out)
    out = _SPACE_AFTER_NUMBER.sub(r"\1", out)
    out = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), out)
    return out.strip()


def _is_symbol(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PS"


def is_boilerplate_line(line: str) -> bool:
    """True for lines that carry no content: empty, navigation/photo labels, rules, bare punctuation."""
    norm = normalize(line)
    if not norm:
        return True
    if norm.lower() in _BOILERPLATE:
        return True
    return all(_is_symbol(ch) for ch in norm)
