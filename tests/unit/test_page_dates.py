"""A question about when a document itself came out is answered by the page's own date (its dated head line or
a "掲載日" label), never by the date of an event the document tells of; "according to the release, when …"
still asks the event (invented pages)."""

from __future__ import annotations

import pytest

from rag.read.question import read_question
from tests.bound import bound

_RELEASE_JA = ("報道発表資料\n\n2024年3月12日\n\n第4回日・ルリタニア環境政策対話の結果について\n\n"
               "環境省は、2024年3月5日にルリタニア・ゼンダ市において第4回日・ルリタニア環境政策対話を開催しました。")
_RELEASE_EN = ("Press Release\n\nMay 2, 2025\n\nResults of the 3rd Japan-Zembla Environmental Policy Dialogue\n\n"
               "The Ministry of the Environment held the 3rd Japan-Zembla Environmental Policy Dialogue in Valdoria "
               "on April 22, 2025.")
_LABELLED = ("ヴァルドリア市との環境協力\n掲載日：2023年11月1日\n\n本市は2023年10月20日にヴァルドリア市と覚書を締結しました。")
_UNDATED = "ヴァルドリア市との環境協力\n\n本市は2023年10月20日にヴァルドリア市と覚書を締結しました。"


@pytest.mark.parametrize(("question", "asks"), [
    ("When did the press release on the 3rd dialogue come out?", True),
    ("What is the date of the press release?", True),
    ("第4回対話の報道発表はいつ出ましたか。", True),
    ("このページはいつ掲載されましたか？", True),
    ("According to the press release, when was the 3rd dialogue held?", False),
    ("プレスリリースによると、対話はいつ開催されましたか。", False),
    ("When were the results released?", False),
    ("When was the 3rd dialogue held?", False),
])
def test_a_question_about_a_documents_issue_is_told_apart(question, asks):
    assert read_question(question).asks_published is asks


def _dates(question: str, text: str) -> dict[str, tuple[str, ...]]:
    return {c.value: c.missing for c in bound(question, text) if c.kind == "date"}


@pytest.mark.parametrize(("question", "text", "page_date", "event_date"), [
    ("When did the press release on the 3rd dialogue come out?", _RELEASE_EN, "May 2, 2025", "April 22, 2025"),
    ("第4回対話の報道発表はいつ出ましたか。", _RELEASE_JA, "2024年3月12日", "2024年3月5日"),
    ("このページはいつ掲載されましたか？", _LABELLED, "2023年11月1日", "2023年10月20日"),
])
def test_the_pages_own_date_answers_and_the_events_does_not(question, text, page_date, event_date):
    dates = _dates(question, text)
    assert dates[page_date] == (), dates
    assert dates[event_date], dates


def test_a_page_without_a_date_of_its_own_gives_no_issue_date():
    dates = _dates("このページはいつ掲載されましたか？", _UNDATED)
    assert dates and all(dates.values()), dates


def test_the_event_is_still_answered_when_the_release_is_only_the_source():
    dates = _dates("According to the press release, when was the 3rd dialogue held?", _RELEASE_EN)
    assert dates["April 22, 2025"] == (), dates
    assert dates.get("May 2, 2025", ("absent",)), dates
