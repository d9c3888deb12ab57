"""Question analysis and language detection."""

from __future__ import annotations

import pytest

from rag.analysis import analyse
from rag.language import detect_language


@pytest.mark.parametrize(("text", "lang"), [
    ("When did JCM first come up with Mongolia?", "en"),
    ("モンゴルとの対話でJCMが初めて取り上げられたのはいつ？", "ja"),
    ("第10回日本・モンゴル環境政策対話", "ja"),
    ("蒙古和日本的环境政策对话第一次讨论联合信用机制是在什么时候举行的", "other"),
    ("Quand le JCM a-t-il été abordé pour la première fois avec la Mongolie ?", "other"),
    ("몽골과의 대화에서 JCM이 처음 논의된 것은 언제입니까?", "other"),
])
def test_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(("text", "intent"), [
    ("When did JCM first come up with Mongolia?", "first"),
    ("モンゴルとの対話でJCMが初めて取り上げられたのはいつ？", "first"),
    ("What was the latest Japan–Vietnam dialogue?", "latest"),
    ("最新の日・ベトナム環境政策対話はいつ？", "latest"),
    ("How many Japan–Mongolia meetings mention JCM?", "count"),
    ("JCMに触れたモンゴルとの会合は何回ありますか", "count"),
    ("Which meetings with Mongolia discussed GOSAT?", "list"),
    ("Where was the memorandum signed?", None),
    ("How many Japan–Mongolia Environmental Policy Dialogue meetings are listed?", "count"),
    ("In how many Japan–Mongolia dialogue meetings was mercury discussed?", "count"),
    ("日本・ベトナム環境政策対話はいくつの会合が開かれましたか", "count"),
    # "how many" of a quantity is a fact to look up, not meetings to count
    ("How many tonnes of CO2 does the Bac Ninh plant save each year?", None),
    ("How many people live in Ba Ria–Vung Tau province?", None),
    ("覚書はいくつの分野を対象としていますか", None),
])
def test_intent(text: str, intent: str | None) -> None:
    assert analyse(text).intent == intent


def test_meeting_number_and_year() -> None:
    a = analyse("What happened at the 16th Japan–Mongolia meeting?")
    assert a.meeting_number == 16 and a.year is None
    b = analyse("第５回日本・ベトナム環境政策対話（2019年）の開催地は？")
    assert b.meeting_number == 5 and b.year == 2019


@pytest.mark.parametrize("text", [
    "Which came first: the Sakai memorandum or the 8th Japan–Vietnam dialogue?",
    "堺市の覚書と第8回日本・ベトナム環境政策対話では、どちらが先ですか？",
])
def test_comparison_of_two_things_is_not_an_earliest_row_question(text: str) -> None:
    assert analyse(text).intent is None
