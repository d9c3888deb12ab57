"""rag.series.catalog over an invented index (tests/invented_corpus.py): series merged across documents, layouts
and languages, which series a question names, and which names the documents hold."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ingest.schema import Record
from ingest.tokenizer import tokenize
from rag.read.question import read_question
from rag.series.catalog import Catalog, Series, record_key
from tests.invented_corpus import (
    FR_EN,
    FR_JA,
    FREEDONIA_CSV,
    FREEDONIA_EN,
    FREEDONIA_TABLE,
    OS_EN,
    OS_JA,
    RU_EN,
    RU_JA,
    RU_WEEK,
    Doc,
    by_number,
    index_corpus,
    open_catalog,
    store_catalog,
)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory):
    cat, store, _ = open_catalog(index_corpus(tmp_path_factory.mktemp("catalog")))
    yield cat
    store.close()


def _series(catalog: Catalog, name: str) -> Series:
    return next(s for s in catalog.series if name in s.names)


# --- series: grouping -------------------------------------------------------------------------------


def test_one_series_across_documents_layouts_and_languages(catalog: Catalog) -> None:
    # A block-layout table (日・…), a CSV table (日本・…) and an English press release are one series.
    fr = _series(catalog, FR_JA)
    assert {FR_JA, FR_EN, "日本・フリードニア政策対話"} <= set(fr.names)
    assert fr.doc_ids == {FREEDONIA_TABLE.doc_id, FREEDONIA_CSV.doc_id, FREEDONIA_EN.doc_id}
    assert [s for s in catalog.series if FR_EN in s.names or "日本・フリードニア政策対話" in s.names] == [fr]


def test_series_records_are_in_date_order(catalog: Catalog) -> None:
    for s in catalog.series:
        assert list(s.records) == sorted(s.records, key=record_key)
    fr = _series(catalog, FR_JA)
    assert [r.date.year for r in fr.records] == [2012, 2014, 2016, 2016, 2019, 2021, 2023, 2023, 2024]


def test_numbered_prefers_a_table_row_to_a_prose_mention(catalog: Catalog) -> None:
    fr = _series(catalog, FR_JA)
    numbered = fr.numbered()
    assert by_number(numbered) == [1, 2, 3, 4, 5, 6, 7, 8]
    seventh = numbered[6]  # announced in the press release, reported in the CSV table
    assert (seventh.doc_id, seventh.source, seventh.planned) == (FREEDONIA_CSV.doc_id, "table", False)
    assert numbered[5].source == "prose" and numbered[5].place == "Brno"


def test_held_leaves_out_announcements_and_mentions(catalog: Catalog) -> None:
    ru = _series(catalog, RU_JA)
    # The prose history mentions the 1st and 2nd (also table rows) and announces the 4th.
    assert by_number(ru.numbered()) == [1, 2, 3, 4]
    assert ru.numbered()[3].planned and ru.numbered()[3].source == "mention"
    held = ru.held()
    assert by_number(held) == [1, 2, 3]
    assert {r.source for r in held} == {"table"}
    assert [r.place for r in held] == ["ゼンダ", "札幌", "オンライン"]


def test_two_series_in_one_document_stay_apart(catalog: Catalog) -> None:
    # The row whose link line names the week is the week's, not the dialogue's 1st meeting again.
    week = _series(catalog, RU_WEEK)
    assert [(r.number, r.date.year, r.place) for r in week.records] == [(1, 2018, "ゼンダ")]
    assert week is not _series(catalog, RU_JA)
    assert RU_JA not in week.names


def test_a_stored_translation_names_the_series_in_the_other_language(catalog: Catalog) -> None:
    ru = _series(catalog, RU_JA)
    assert RU_EN in ru.names and "日本・ルリタニア環境対話" in ru.names  # the history's spelling too
    assert ru.display("en") == RU_EN and ru.display("ja") == RU_JA
    os_ = _series(catalog, OS_EN)
    assert os_.names == (OS_EN, OS_JA)
    assert os_.display("ja") == OS_JA and os_.display("en") == OS_EN


def test_a_series_without_a_name_in_the_asked_language_keeps_its_own(catalog: Catalog) -> None:
    assert _series(catalog, RU_WEEK).display("en") == RU_WEEK  # its translation was refused at ingest


def test_grouping_does_not_depend_on_the_order_documents_are_read(tmp_path: Path) -> None:
    # The same three documents, with ids that put the English report and the CSV before the table.
    docs = [dataclasses.replace(FREEDONIA_EN, doc_id="a_en"), dataclasses.replace(FREEDONIA_CSV, doc_id="b_csv"),
            dataclasses.replace(FREEDONIA_TABLE, doc_id="c_table")]
    cat = store_catalog(tmp_path, docs)
    assert len(cat.series) == 1
    assert by_number(cat.series[0].numbered()) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_grouping_in_the_reading_order_that_works(tmp_path: Path) -> None:
    docs = [dataclasses.replace(FREEDONIA_TABLE, doc_id="a_table"), dataclasses.replace(FREEDONIA_CSV, doc_id="b_csv"),
            dataclasses.replace(FREEDONIA_EN, doc_id="c_en")]
    cat = store_catalog(tmp_path, docs)
    assert len(cat.series) == 1 and by_number(cat.series[0].numbered()) == [1, 2, 3, 4, 5, 6, 7, 8]


# --- names across languages -------------------------------------------------------------------------


def test_stored_translations_and_subjects(catalog: Catalog) -> None:
    assert catalog.english(RU_JA) == RU_EN and catalog.glossary.get((OS_EN, "ja")) == OS_JA
    assert catalog.english("札幌") is None and catalog.english(None) is None  # places are not translated
    assert catalog.subject_name(FREEDONIA_TABLE.doc_id, "ja") == FR_JA
    assert catalog.subject_name(FREEDONIA_TABLE.doc_id, "en") == FR_EN  # the sidecar's English title
    assert catalog.subject_name("ru1_table", "en") == RU_EN  # the glossary's
    assert catalog.subject_name("no-such-doc", "en") is None


def test_a_place_for_the_asker(catalog: Catalog) -> None:
    # No stored English name: the gazetteer's, with the original beside it; no place it knows: the original.
    assert catalog.place("オストラヴァ", "en") == "Ostrava (オストラヴァ)"
    assert catalog.place("ゼンダ", "en") == "ゼンダ"
    assert catalog.place("Brno", "ja") == "Brno"
    assert catalog.place(None, "en") is None


# --- which series a question names --------------------------------------------------------------------


@pytest.mark.parametrize(("question", "name", "by"), [
    ("日・フリードニア政策対話は何回開催されましたか？", FR_JA, {"フリードニア"}),
    ("How many Japan–Freedonia Policy Dialogue meetings were held?", FR_JA, {"freedonia"}),
    # An English name heard in the katakana of a Japanese-only name part.
    ("When did the Freedonia dialogue start?", FR_JA, {"フリードニア"}),
    # The Japanese name the glossary stores for an English-only series.
    ("日本・オスターリッチ海洋フォーラムは何回開催されましたか？", OS_EN, {"オスター", "リッチ", "フォーラム"}),
    ("Tell me about the forum with Osterlich", OS_EN, {"osterlich"}),
    ("第1回日本・ルリタニア環境ウィークはどこで開催されましたか？", RU_WEEK, {"ルリタニア", "ウイーク"}),
])
def test_match_series_by_a_name_part(catalog: Catalog, question: str, name: str, by: set[str]) -> None:
    matches = catalog.match_series(read_question(question))
    assert matches and name in matches[0].series.names
    assert matches[0].by == by
    assert 0 < matches[0].score <= 1


def test_two_series_named_each_are_both_matched(catalog: Catalog) -> None:
    q = read_question("日・フリードニア政策対話と日・ルリタニア環境対話はそれぞれ何回開催されましたか？")
    assert [m.series.key for m in catalog.match_series(q)] == [FR_JA, RU_JA]


def test_the_best_covered_name_comes_first_and_keep_all_lists_the_rest(catalog: Catalog) -> None:
    q = read_question("How many times did the Ruritania dialogue meet?")
    matches = catalog.match_series(q)
    assert matches[0].series.key == RU_JA
    every = catalog.match_series(q, keep_all=True)
    assert [m.series.key for m in every][:1] == [RU_JA]
    assert RU_WEEK not in {m.series.key for m in every}  # a week is no dialogue
    assert RU_WEEK in {m.series.key for m in catalog.match_series(read_question("How many times did Ruritania meet?"), keep_all=True)}
    assert [m.score for m in every] == sorted((m.score for m in every), reverse=True)


def test_a_question_naming_no_series_matches_none(catalog: Catalog) -> None:
    q = read_question("What is the weather in Brno?")
    assert catalog.match_series(q) == [] and catalog.match_series(q, keep_all=True) == []


def test_an_unknown_series_matches_only_by_shared_words_and_its_name_is_unknown(catalog: Catalog) -> None:
    # "日本" is in every series of unrelated documents: it names none of them in particular.
    q = read_question("日本・グランドフェンウィック政策対話は何回開催されましたか？")
    for m in catalog.match_series(q, keep_all=True):
        assert m.by == {"日本"} and not (m.by & catalog.name_parts(m.series))
    assert "フェンウィック" in catalog.unknown_names(q)


def test_name_parts_tell_series_apart(catalog: Catalog) -> None:
    assert catalog.name_parts(_series(catalog, FR_JA)) == {"フリードニア", "freedonia"}
    assert catalog.name_parts(_series(catalog, RU_JA)) == {"ルリタニア", "ruritania"}
    # The dialogue and the week share a document: "ルリタニア" still names the week.
    assert "ルリタニア" in catalog.name_parts(_series(catalog, RU_WEEK))
    for s in catalog.series:
        assert not catalog.name_parts(s) & {"japan", "日本"}  # in every bilateral series


# --- names the documents hold -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "known"), [
    ("オストラヴァ", True),  # a word of the index
    ("札幌", True),
    ("Brno", True),
    ("Ostrava", True),  # a name of the English report
    ("Zenda", True),  # heard in ゼンダ
    ("フリードニア共和国", True),  # holds a stored name
    (RU_EN, True),  # a stored translation
    ("COP31", True),
    ("プラハ", False),
    ("Prague", False),
    ("Lilliput", False),
])
def test_known(catalog: Catalog, name: str, known: bool) -> None:
    assert catalog.known(name, tuple(tokenize(name))) is known


def test_a_name_inside_a_stored_translation_is_known(catalog: Catalog) -> None:
    assert catalog.known("オスターリッチ", tuple(tokenize("オスターリッチ")))


@pytest.mark.parametrize(("question", "unknown"), [
    ("プラハで開催された日・フリードニア政策対話はいつですか？", ["プラハ"]),
    ("When was the Japan–Freedonia Policy Dialogue held in Prague?", ["Prague"]),
    ("When was the 6th Japan–Freedonia Policy Dialogue held in Brno?", []),
    ("第3回日・フリードニア政策対話はオストラヴァで開催されましたか？", []),
    # Codes with a number name one thing each.
    ("When was COP29 held?", ["COP29"]),
    ("Did the COP-29 talks discuss the Japan–Freedonia Policy Dialogue?", ["COP-29"]),
    ("Was COP31 discussed at the 6th Japan–Freedonia Policy Dialogue?", []),  # the report names it
    # A year in a compound word is no code: "by-2050", "post-2020".
    ("Who signed the net-zero-by-2050 plan of the Japan–Freedonia Policy Dialogue?", []),
    ("What did the post-2020 plan of the Japan–Freedonia Policy Dialogue cover?", []),
])
def test_unknown_names(catalog: Catalog, question: str, unknown: list[str]) -> None:
    assert catalog.unknown_names(read_question(question)) == unknown


def test_a_code_directly_followed_by_japanese_is_unknown(catalog: Catalog) -> None:
    assert catalog.unknown_names(read_question("COP29について教えてください")) == ["COP29"]


@pytest.mark.parametrize("question", ["Did the G20 discuss the Japan–Freedonia Policy Dialogue?",
                                      "G20 でフリードニアとの対話は話題になりましたか？"])
def test_a_one_letter_code_is_unknown(catalog: Catalog, question: str) -> None:
    assert catalog.unknown_names(read_question(question)) == ["G20"]


def test_a_name_only_the_japanese_rendering_holds_is_not_the_askers(catalog: Catalog) -> None:
    q = read_question("When was the Japan–Freedonia Policy Dialogue held?").with_japanese(
        "日・フリードニア政策対話はプラハでいつ開催されましたか")
    assert any(e.text == "プラハ" for e in q.entities)
    assert catalog.unknown_names(q) == []


# --- a country the series spell differently ------------------------------------------------------------

_PERU_TABLE = Doc("pe_table", """日・ペルー環境政策対話

| 回 | 開催年月 | 開催地 |
|---|---|---|
| 第1回 | 2012年5月 | リマ |
| 第2回 | 2014年9月 | 東京 |
""", "日・ペルー環境政策対話")
_PERU_CITY = Doc("pe_city", """ペルー・アレキパ市との都市間連携｜北浦市

| 年度 | 内容 |
|---|---|
| 平成28年度 | アレキパ市長が本市を訪問 |
| 平成29年度 | 環境協力覚書を締結 |
""", "ペルー・アレキパ市との都市間連携｜北浦市")
_NORWAY_REPORT = Doc("no_report", """第3回日本・ノルウェー環境政策対話の結果について

環境省は、2019年6月12日にオスロにおいて、第3回日本・ノルウェー環境政策対話を開催しました。
""", "第3回日本・ノルウェー環境政策対話の結果について")


def test_a_country_one_series_spells_in_full_is_shared_with_the_series_that_abbreviate_it(tmp_path: Path) -> None:
    # "日本" in one series' name and "日" in another's are one country: it tells neither series apart, so a
    # question about the Peru dialogue is not matched to the Norway one by "日本".
    cat = store_catalog(tmp_path, [_PERU_TABLE, _PERU_CITY, _NORWAY_REPORT])
    q = read_question("日本・ペルー環境政策対話の第1回はいつ開催されましたか。")
    assert [m.series.key for m in cat.match_series(q)] == [_series(cat, "日・ペルー環境政策対話").key]


def test_a_name_a_document_writes_is_shown_before_a_translators_rendering() -> None:
    # The English report's name comes first and its rendering ("…ダイアログ") second; the table's own
    # Japanese name is what a Japanese asker is shown.
    rows = (Record(record_id="en:r0", doc_id="en", series="Japan-Peru Environmental Policy Dialogue", number=3,
                   date=None, place="Lima", summary=None, start=0, end=1, source="prose"),
            Record(record_id="ja:r0", doc_id="ja", series="日・ペルー環境政策対話", number=1,
                   date=None, place="リマ", summary=None, start=0, end=1, source="table"))
    s = Series("Japan-Peru Environmental Policy Dialogue",
               ("Japan-Peru Environmental Policy Dialogue", "日・ペルー環境政策ダイアログ", "日・ペルー環境政策対話"), rows)
    assert s.display("ja") == "日・ペルー環境政策対話"
    assert s.display("en") == "Japan-Peru Environmental Policy Dialogue"


_CUT_TABLE = Doc("cut_table", """日・ペルー環境政策対話

■開催実績
第1回　2012年5月　リマ
　廃棄物管理を優先分野とすることに合意しました。
第2回　2014年9月　東京
　海洋ごみ対策について意見交換を行いました。
第3回　2016年2月　カヤオ
　最終処分場の改善計画の策定に""", "日・ペルー環境政策対話")


def test_the_row_a_page_cuts_off_a_list_in(tmp_path: Path) -> None:
    cat = store_catalog(tmp_path / "cut", [_CUT_TABLE])
    assert cat.cut_row(_series(cat, "日・ペルー環境政策対話")).number == 3
    whole = dataclasses.replace(_CUT_TABLE, text=_CUT_TABLE.text + "を開始することに合意しました。\n")
    cat = store_catalog(tmp_path / "whole", [whole])
    assert cat.cut_row(_series(cat, "日・ペルー環境政策対話")) is None
