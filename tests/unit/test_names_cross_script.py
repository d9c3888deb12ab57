"""Names across scripts and languages (ingest/names.py) as binding and the series catalog use them: a country
however written, home bodies, a Latin city and its katakana, online and its Japanese words, a series' acronym
and its Japanese title; one series across pages and languages, a table whose rows each carry a link line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.names import (
    affiliation,
    countries_in,
    country_code,
    english_equivalent,
    equivalence,
    same_name,
    same_place,
    same_series,
    series_kind,
)
from rag.read.question import read_question
from tests.bound import answers, ask, bound, of
from tests.invented_corpus import Doc, store_catalog


@pytest.mark.parametrize("name", ["UK", "U.K.", "U.K.'s", "Britain", "United Kingdom", "英国", "イギリス", "British"])
def test_one_country_however_written(name):
    # Regression: "U.K." lost its last period before the look-up and was no country.
    assert country_code(name) == "GB"


def test_same_name_across_scripts():
    assert same_name("UK", "英国")
    assert same_name("Valdoria", "バルドリア")  # an invented city by its sound
    assert not same_name("Korsby", "バルドリア")
    assert not same_name("UK", "韓国")


@pytest.mark.parametrize("japanese", ["オンライン", "ウェブ開催", "オンライン会議形式"])
def test_online_and_its_japanese_words(japanese):
    assert same_name("online", japanese) and same_place(japanese, "online")
    assert english_equivalent(japanese) == "online"
    assert equivalence(japanese) != equivalence("対面")


def test_home_bodies_and_titles_belong_to_the_home_country():
    assert affiliation("環境省地球環境局の山田課長") == {"JP"}
    assert affiliation("Ministry of the Environment of Japan") == {"JP"}
    assert affiliation("英国環境省のハートリー局長") == {"GB"}
    assert affiliation("アンナ・コルヴェル環境大臣") == frozenset()  # a katakana name: no default country
    # A body of a place written in katakana is a foreign place's: its officials are no home officials.
    assert affiliation("ホルムガルド州天然資源環境局副局長") == frozenset()
    assert affiliation("白砂浦市環境局長") == {"JP"}


def test_countries_in_joined_short_forms():
    assert countries_in("日・英国環境政策対話") == {"JP", "GB"}
    assert countries_in("日中韓三カ国環境大臣会合") == {"JP", "CN", "KR"}


def test_series_across_languages_same_parties_same_kind():
    assert same_series("Japan–UK Environmental Policy Dialogue", "日・英国環境政策対話")
    assert not same_series("Japan–UK Environmental Policy Dialogue", "日・英国海洋フォーラム")  # another kind
    assert series_kind("タスマリア海洋フォーラム") == series_kind("Tasmaria Ocean Forum")


def test_a_series_code_and_its_japanese_title():
    assert same_series("TWF5", "タスマリア海洋フォーラム（TWF）")
    # Regression: a name and the same name with its own acronym in brackets were two series.
    assert same_series("タスマリア海洋フォーラム", "タスマリア海洋フォーラム（TWF）")
    assert not same_series("タスマリア海洋フォーラム（ABC）", "タスマリア海洋フォーラム（TWF）")
    assert not same_series("ボロニア海洋フォーラム", "タスマリア海洋フォーラム（TWF）")


def test_an_english_question_binds_a_japanese_page_by_sound():
    pages = {"a": "会合は2019年10月8日にバルドリアで開催された。", "b": "会合は2021年5月2日にコルスビーで開催された。"}
    cands = bound("When was the meeting in Valdoria held?", pages, about=["Valdoria"])
    assert answers(cands, "date") == ["2019年10月8日"]
    assert of(cands, "date", "2021年5月2日").missing == ("subject:Valdoria",)


def test_a_question_country_must_be_named_by_the_page():
    pages = {"uk": "英国との覚書は2021年6月3日に署名された。", "zb": "ゼンブラとの覚書は2022年2月1日に署名された。"}
    cands = bound(ask("When was the memorandum with the UK signed?", "英国との覚書はいつ署名されましたか？"), pages)
    assert answers(cands, "date") == ["2021年6月3日"]
    assert "subject:GB" in of(cands, "date", "2022年2月1日").missing


# --- one series across pages and languages --------------------------------------------------------------------

# Full-width pipes, one row per line, each row followed by the link line to its report.
TASMARIA_JA = Doc("tw_ja", """タスマリア海洋フォーラム（TWF）

｜回｜開催年｜開催地｜概要｜
｜第1回｜2016年｜バルドリア｜海洋ごみ対策について議論した。｜
第1回タスマリア海洋フォーラムの結果について
｜第2回｜2018年｜コルスビー｜漁業資源の管理について協力を確認した。｜
第2回タスマリア海洋フォーラムの結果について
｜第3回｜2020年｜オンライン｜気候変動と海洋について意見交換を行った。｜
第3回タスマリア海洋フォーラムの結果について
｜第4回｜2022年｜ミレンツァ｜沿岸湿地の保全について合意した。｜
第4回タスマリア海洋フォーラムの結果について
""", "タスマリア海洋フォーラム（TWF）")
TASMARIA_EN = Doc("tw_en", """Results of TWF5 in Tarnholm

The fifth Tasmaria Ocean Forum (TWF5) was held in Tarnholm on 12 May 2024.
Delegates adopted a joint statement on marine litter.
""", "Results of TWF5 in Tarnholm")


@pytest.fixture(scope="module")
def tasmaria(tmp_path_factory):
    return store_catalog(Path(tmp_path_factory.mktemp("tw")), [TASMARIA_JA, TASMARIA_EN])


def test_every_row_followed_by_a_link_line_is_kept_and_the_first_is_row_one(tasmaria):
    [series] = tasmaria.series
    rows = [r for r in series.records if r.doc_id == "tw_ja"]
    assert [(r.number, r.date.year, r.place) for r in rows] == [
        (1, 2016, "バルドリア"), (2, 2018, "コルスビー"), (3, 2020, "オンライン"), (4, 2022, "ミレンツァ")]
    assert [n.value for n in rows[0].notes] == ["第1回タスマリア海洋フォーラムの結果について"]


def test_a_report_named_by_its_code_joins_the_japanese_series(tasmaria):
    # Regression: the table (named "タスマリア海洋フォーラム（TWF）" by its title) and the report of TWF5 were two series.
    [series] = tasmaria.series
    assert [r.number for r in series.numbered()] == [1, 2, 3, 4, 5]
    assert tasmaria.doc_meetings == {"tw_en": 5}
    for question in ("Where was TWF5 held?", "When was the first Tasmaria Ocean Forum held?",
                     "第1回タスマリア海洋フォーラムはどこで開催されましたか？"):
        assert [m.series for m in tasmaria.match_series(read_question(question))] == [series], question


def test_a_way_of_meeting_matches_only_its_own_kind():
    hybrid = "ハイブリッド（ヴァルドリア及びオンライン）"
    assert not same_place(hybrid, "online") and not same_place(hybrid, "オンライン")
    assert same_place(hybrid, "hybrid") and same_place("オンライン会議形式", "online")
    assert same_place(hybrid, "ヴァルドリア")  # a hybrid meeting held in a place was held there


@pytest.mark.parametrize(("name", "code"), [
    ("Singaporean", "SG"), ("Singapore's", "SG"), ("Sri Lankan", "LK"), ("Saudi", "SA"), ("Swiss", "CH"),
    ("Laos", "LA"), ("Chile's", "CL"), ("U.K.'s", "GB"),
])
def test_a_name_beginning_or_ending_in_s_is_read_whole(name, code):
    # A possessive "'s" is not part of the name; the first letter "S" is.
    assert country_code(name) == code


def test_a_country_a_body_sits_in_is_not_the_one_it_serves():
    assert affiliation("Minister Counsellor, Embassy of Peru in Japan") == {"PE"}
    assert affiliation("駐日ペルー大使") == {"PE"}
    assert affiliation("駐ペルー日本国大使") == {"JP"}
    assert affiliation("Ambassador of Japan to Peru") == {"JP"}
    assert affiliation("Minister of the Environment in Japan") == {"JP"}  # no other country: the one named
