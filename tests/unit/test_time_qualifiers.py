"""Time words of a question bind the answer: "as of 2024" asks a figure up to then, not one said of 2024;
"until when" the end of a span; a target year ("by 2050", 2050年までに) is never when something happened,
in answers and in claims; era years (令和, and "Reiwa 5" in English) are years (invented pages)."""

from __future__ import annotations

import pytest

from ingest.dates import find_dates
from rag.read.question import read_question
from tests.bound import answers, ask, bound, of

VISITORS = "バルドリア水族館の2024年の来場者は12,000人であった。開館以来、2024年末までの累計来場者は50,000人に達した。"


@pytest.mark.parametrize(("question", "bound_kind", "year"), [
    ("How many visitors had the aquarium received as of 2024?", "until", 2024),
    ("2024年時点で来場者は何人ですか？", "until", 2024),
    ("令和6年3月末現在の職員数は？", "until", 2024),
    ("Who has chaired the council since 2019?", "since", 2019),
    ("2019年以降の議長は誰ですか？", "since", 2019),
    # "までに何回…されましたか" counts what was held by then (past), not an aim ("2030年までに何%削減しますか").
    ("ゼンブラ湖沼フォーラムは2021年1月までに何回開催されましたか。", "until", 2021),
])
def test_a_bound_is_not_a_year_condition(question, bound_kind, year):
    q = read_question(question)
    assert getattr(q, bound_kind).year == year
    assert q.years == ()  # "as of 2024" is not "in 2024"


def test_in_a_year_is_a_year_condition():
    q = read_question("How many visitors came in 2024?")
    assert (q.years, q.until, q.since) == ((2024,), None, None)


def test_as_of_asks_the_figure_up_to_then_not_the_years_own():
    cands = bound("2024年時点でバルドリア水族館の来場者は何人ですか？", VISITORS)
    assert answers(cands, "quantity") == ["50,000人"]
    assert of(cands, "quantity", "12,000人").missing == ("until",)


def test_as_of_in_an_english_question_about_a_japanese_page():
    q = ask("How many visitors had the Valdoria Aquarium as of 2024?", "2024年時点でバルドリア水族館の来場者は何人ですか？")
    cands = bound(q, VISITORS)
    assert "until" in of(cands, "quantity", "12,000人").missing
    assert "until" not in of(cands, "quantity", "50,000人").missing


def test_a_year_question_keeps_the_years_figure():
    cands = bound("2024年のバルドリア水族館の来場者は何人ですか？", VISITORS)
    assert of(cands, "quantity", "12,000人").bound


def test_since_excludes_a_term_that_ended_before():
    text = ("2016年から2019年3月までは田中花子審議官が評議会の議長を務めた。"
            "2019年4月以降は佐藤次郎局長が評議会の議長を務めている。")
    assert answers(bound("Who has chaired the council since 2019?", text), "person") == ["佐藤次郎"]


@pytest.mark.parametrize(("question", "text", "end", "start"), [
    ("協定はいつまで有効ですか？", "協定は2021年4月1日に発効し、2026年3月31日まで有効である。", "2026年3月31日", "2021年4月1日"),
    ("Until when is the agreement valid?", "The agreement entered into force on 1 April 2021 and is valid until "
                                           "31 March 2026.", "31 March 2026", "1 April 2021"),
    # The signing date's sentence goes on to the span ("有効期間"): that is said of the other date.
    ("協定の有効期間はいつまでですか？", "白砂浦市は、2019年4月にゼンダ市と締結した協定の有効期間を延長した。"
                                  "有効期間は2026年3月31日（火）までである。", "2026年3月31日(火)", "2019年4月"),
])
def test_until_when_asks_the_end_of_the_span(question, text, end, start):
    cands = bound(question, text)
    assert answers(cands, "date") == [end]
    assert "end" in of(cands, "date", start).missing


@pytest.mark.parametrize(("question", "text", "event", "target"), [
    ("ゼンブラはいつ排出量を半減しましたか？", "ゼンブラは2050年までに排出ゼロを目指す。2019年には排出量を半減した。", "2019年", "2050年"),
    ("When did Zembla halve its emissions?", "Zembla aims to reach net zero by 2050. Zembla halved its emissions in 2019.",
     "2019", "2050"),
    # "2050年…の実現に向け": towards an aim.
    ("ゼンブラはいつ排出ゼロを達成しましたか？", "ゼンブラは2050年カーボンニュートラルの実現に向け連携を進める。2019年には排出量を半減した。",
     None, "2050年"),
])
def test_a_target_year_is_never_an_event_date(question, text, event, target):
    cands = bound(question, text)
    assert answers(cands, "date") == ([event] if event else [])
    assert "not-an-event" in of(cands, "date", target).missing


@pytest.mark.parametrize(("question", "text", "target"), [
    ("ゼンブラは何年までに排出ゼロを目指していますか？", "ゼンブラは2050年までに排出ゼロを目指す。2019年には排出量を半減した。", "2050年"),
    ("By when does Zembla aim to reach net zero?", "Zembla aims to reach net zero by 2050. Zembla halved its emissions in 2019.",
     "2050"),
])
def test_a_question_about_an_aim_is_answered_by_the_target(question, text, target):
    q = read_question(question)
    assert q.asks_target and q.years == ()
    assert answers(bound(q, text), "date") == [target]


@pytest.mark.parametrize(("question", "year"), [
    ("What happened in Reiwa 5?", 2023),
    ("How many visitors came in Heisei 30?", 2018),
    ("What did the council decide in fiscal Reiwa 2?", 2020),
    ("What was decided in Reiwa gannen?", 2019),
    ("令和5年に何がありましたか？", 2023),
    ("平成元年度の予算は？", 1989),
])
def test_era_years_in_either_language_are_years(question, year):
    assert read_question(question).years == (year,)


def test_english_era_dates_are_read_with_their_fiscal_mark():
    got = [(d.text, d.year, d.fiscal) for d in find_dates("the FY Heisei 30 budget and Reiwa 5")]
    assert got == [("FY Heisei 30", 2018, True), ("Reiwa 5", 2023, False)]


def test_an_english_era_year_binds_the_japanese_page():
    text = "令和4年の来場者は800人であった。令和5年の来場者は1,500人であった。"
    cands = bound(ask("How many visitors came in Reiwa 5?", "令和5年の来場者は何人ですか？"), text)
    assert answers(cands, "quantity") == ["1,500人"]
    assert of(cands, "quantity", "800人").missing == ("years:2023",)
    assert all(c.value not in ("令和4年", "令和5年", "4年", "5年") for c in cands if c.kind == "quantity")  # era years: no amounts


def test_each_value_of_an_enumeration_has_its_own_year():
    text = "ゼンブラ講座の受講者数（令和2年度 120人、令和3年度 175人）は上表に含まない。"
    cands = bound("令和3年度のゼンブラ講座の受講者数は何人ですか。", text)
    assert "years:2021" in of(cands, "quantity", "120人").missing  # its own piece says 令和2年度
    assert "years:2021" not in of(cands, "quantity", "175人").missing


def test_a_lapse_is_asked_as_an_expiry_not_as_any_date():
    text = "両市の協定は2019年に締結された。同協定は2022年3月に失効したが、2023年5月に更新された。"
    q = read_question("協定が失効したのはいつですか。")
    assert "expire" in q.relations
    assert answers(bound(q, text), "date") == ["2022年3月"]


@pytest.mark.parametrize("question", ["Which fiscal year did the project start?", "By which fiscal year does the city aim "
                                      "to reach its goal?", "In what fiscal year was it signed?"])
def test_a_fiscal_year_asked_is_a_date(question):
    assert read_question(question).types == ("when",)


def test_by_a_year_with_a_future_verb_is_still_an_aim():
    assert read_question("2030年までに何%削減しますか。").asks_target
