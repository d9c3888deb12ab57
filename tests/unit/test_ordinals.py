"""Ordinals: 第N回 (digits, full-width, kanji, layout spaces), N回目, Nth, spelt-out English, No. N."""

from __future__ import annotations

import pytest

from ingest.ordinals import english_ordinal, find_ordinals, kanji_number


@pytest.mark.parametrize(("text", "n", "read"), [
    ("第10回", 10, "第10回"),
    ("第 28 回締約国会議", 28, "第 28 回"),
    ("第３回", 3, "第３回"),
    ("第１５回", 15, "第１５回"),
    ("第一回", 1, "第一回"),
    ("第十二回", 12, "第十二回"),
    ("第二十回", 20, "第二十回"),
    ("第百二十三回", 123, "第百二十三回"),
    ("10回目", 10, "10回目"),
    ("三十回目", 30, "三十回目"),
    ("第1次", 1, "第1次"),
    ("第2期", 2, "第2期"),
    ("12th", 12, "12th"),
    ("No. 7", 7, "No. 7"),
    ("no.7", 7, "no.7"),
    ("number 5", 5, "number 5"),
    ("Results of the 7th Japan-Singapore", 7, "7th"),
    ("第8回日本・ベトナム環境政策対話に向けた準備会合", 8, "第8回"),
])
def test_numeric_ordinals(text: str, n: int, read: str) -> None:
    (o,) = find_ordinals(text)
    assert (o.n, o.text, text[o.start:o.end], o.word) == (n, read, read, False)


@pytest.mark.parametrize(("text", "n"), [("twelfth", 12), ("Seventh", 7), ("the twenty-first meeting", 21),
                                         ("twenty first", 21), ("twentieth", 20), ("thirty-second", 32)])
def test_spelt_out_ordinals_are_marked_as_words(text: str, n: int) -> None:
    (o,) = find_ordinals(text)
    assert (o.n, o.word) == (n, True)


def test_several_in_order_with_offsets() -> None:
    text = "1st 2nd 3rd 22nd 101st"
    assert [(o.n, o.start, o.end) for o in find_ordinals(text)] == [
        (1, 0, 3), (2, 4, 7), (3, 8, 11), (22, 12, 16), (101, 17, 22)]
    mixed = "第7回の後、the 8th and ninth meetings"
    assert [(o.n, o.word) for o in find_ordinals(mixed)] == [(7, False), (8, False), (9, True)]


@pytest.mark.parametrize("text", ["COP28", "2017.08.24", "令和5年", "約117万人", "第回"])
def test_not_ordinals(text: str) -> None:
    assert find_ordinals(text) == []


@pytest.mark.parametrize(("s", "n"), [("十五", 15), ("二十", 20), ("十", 10), ("百", 100), ("二百五", 205),
                                      ("三十一", 31), ("〇", 0), ("15", 15), ("１５", 15)])
def test_kanji_number(s: str, n: int) -> None:
    assert kanji_number(s) == n


def test_english_ordinal() -> None:
    assert [english_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112, 113)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "112th", "113th"]


def test_a_round_numbers_a_meeting():
    assert [o.n for o in find_ordinals("Which city hosted round 3 of the dialogue?")] == [3]
    assert [o.n for o in find_ordinals("Round 12 was held online.")] == [12]
