"""rag.series.records over an invented index (tests/invented_corpus.py): record questions answered by code —
conditions (meeting number, year, place, topic), first / latest, count and list, same year, a missing
number, and the alternatives and callbacks the evidence finder passes in."""

from __future__ import annotations

import pytest

from rag.read.question import Question, read_question
from rag.read.vocabulary import QUESTION_WORDS
from rag.series.catalog import Catalog
from rag.series.records import RecordFinding, find_records, meeting_at
from tests.invented_corpus import (
    FR_JA,
    FREEDONIA_CSV,
    FREEDONIA_EN,
    OS_EN,
    RU_JA,
    RU_WEEK,
    by_number,
    index_corpus,
    open_catalog,
)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory):
    cat, store, _ = open_catalog(index_corpus(tmp_path_factory.mktemp("records")))
    yield cat
    store.close()


def _find(catalog: Catalog, q: Question | str, **kw) -> RecordFinding | None:
    q = read_question(q) if isinstance(q, str) else q
    kw.setdefault("alternatives", lambda: catalog.match_series(q, keep_all=True))
    return find_records(q, catalog.match_series(q), catalog, catalog.has_token, **kw)


def _picked(f: RecordFinding) -> list[int | None]:
    return by_number(f.records)


# --- first / latest -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "kind", "number", "doc_id"), [
    ("日・フリードニア政策対話で最初の会合はいつ開催されましたか？", "first", 1, "fr1_table"),
    ("When was the first Japan–Freedonia Policy Dialogue held?", "first", 1, "fr1_table"),
    # The latest is in another document (the CSV table) than the first.
    ("日・フリードニア政策対話の最新の会合はいつですか？", "latest", 8, FREEDONIA_CSV.doc_id),
    ("When was the latest Japan–Freedonia Policy Dialogue meeting held?", "latest", 8, FREEDONIA_CSV.doc_id),
    ("When was the first Japan–Osterlich Marine Forum held?", "first", 1, "os_tsv"),
])
def test_first_and_latest_by_date_across_documents(catalog, question, kind, number, doc_id) -> None:
    f = _find(catalog, question)
    assert f.kind == kind
    [r] = f.records
    assert (r.number, r.doc_id) == (number, doc_id)
    matching = f.findings[0].matching
    assert r is (matching[0] if kind == "first" else matching[-1])


def test_first_under_a_topic_is_the_first_record_mentioning_it(catalog) -> None:
    f = _find(catalog, "日・フリードニア政策対話で森林保全が初めて取り上げられたのはいつ？")
    assert f.kind == "first"
    assert f.conditions.topic == ["森林", "保全"] and f.conditions.topic_phrase == "森林保全"
    assert by_number(f.findings[0].matching) == [1, 3, 7]
    assert _picked(f) == [1]


def test_latest_under_a_topic_from_the_japanese_rendering_of_an_english_question(catalog) -> None:
    q = read_question("When was forest conservation last discussed in the Japan–Freedonia Policy Dialogue?")
    f = _find(catalog, q.with_japanese("日・フリードニア政策対話で森林保全が最後に議論されたのはいつ"))
    assert f.kind == "latest" and {"森林", "保全"} <= set(f.conditions.topic)
    assert _picked(f) == [7]


def test_question_words_are_never_a_topic(catalog) -> None:
    f = _find(catalog, "日・フリードニア政策対話で最初に開催された会合はいつ？")
    assert f.conditions.topic == [] and _picked(f) == [1]
    assert {"最初", "開催", "会合", "いつ"} <= QUESTION_WORDS


def test_a_topic_in_words_the_index_lacks_is_judged_by_the_dense_scores(catalog) -> None:
    # "recycling" is no word of the index: the record the dense model puts closest decides.
    seen = []

    def dense(records):
        seen.append(by_number(records))
        return {r.record_id: (0.9 if r.number == 2 else 0.1) for r in records}

    f = _find(catalog, "When was recycling first discussed in the Japan–Freedonia Policy Dialogue?", dense=dense)
    assert seen == [[1, 2, 3, 4, 5, 6, 7, 8]]
    assert f.kind == "first" and _picked(f) == [2]


# --- count and list -----------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["日・フリードニア政策対話は何回開催されましたか？",
                                      "How many Japan–Freedonia Policy Dialogue meetings were held?"])
def test_count_gathers_every_held_meeting_of_every_document(catalog, question) -> None:
    f = _find(catalog, question)
    assert f.kind == "count"
    sf = f.findings[0]
    assert sf.series.key == FR_JA
    assert _picked(f) == [1, 2, 3, 4, 5, 6, 7, 8]  # the announced 7th is the CSV's held 7th, once
    assert (sf.numbered_total, sf.max_number) == (8, 8)
    assert {r.doc_id for r in f.records} == {"fr1_table", FREEDONIA_CSV.doc_id, FREEDONIA_EN.doc_id}


def test_count_leaves_out_mentions_and_announcements(catalog) -> None:
    f = _find(catalog, "日・ルリタニア環境対話は何回開催されましたか？")
    assert f.kind == "count" and _picked(f) == [1, 2, 3]
    assert {r.source for r in f.records} == {"table"}


@pytest.mark.parametrize(("question", "numbers"), [
    ("日・フリードニア政策対話はオストラヴァで何回開催されましたか？", [1, 3, 7]),
    ("How many times was the Japan–Freedonia Policy Dialogue held in Ostrava?", [1, 3, 7]),  # by sound
    ("日・フリードニア政策対話の会合はオンラインで何回開催されましたか？", [4]),  # a venue that is no place
    ("日・フリードニア政策対話で2016年に開催された会合は何回ですか？", [3, 4]),
])
def test_count_under_a_place_or_year(catalog, question, numbers) -> None:
    f = _find(catalog, question)
    assert f.kind == "count" and _picked(f) == numbers
    assert f.findings[0].numbered_total == len(numbers)


def test_the_condition_is_kept_as_the_question_words_it(catalog) -> None:
    f = _find(catalog, "How many times was the Japan–Freedonia Policy Dialogue held in Ostrava?")
    assert f.conditions.places == ["Ostrava"] and f.conditions.years == ()


def test_a_count_nothing_matches_is_a_count_of_zero(catalog) -> None:
    f = _find(catalog, "日・フリードニア政策対話で2030年に開催された会合は何回ですか？")
    assert f.kind == "count" and f.records == [] and f.findings[0].matching == []
    assert f.conditions.years == (2030,)


@pytest.mark.parametrize(("question", "kind", "numbers"), [
    ("日・フリードニア政策対話の会合をすべて挙げてください。", "list", [1, 2, 3, 4, 5, 6, 7, 8]),
    ("Which Japan–Freedonia Policy Dialogue meetings were held in 2016?", "list", [3, 4]),
    ("日・フリードニア政策対話は札幌でいつ開催されましたか？", "list", [2, 5]),
    ("When was the Japan–Freedonia Policy Dialogue held in Ostrava?", "list", [1, 3, 7]),
    ("2016年の日・フリードニア政策対話はどこで開催されましたか？", "year", [3, 4]),
    ("Where was the Japan–Freedonia Policy Dialogue held in 2014?", "year", [2]),
])
def test_lists_and_years(catalog, question, kind, numbers) -> None:
    f = _find(catalog, question)
    assert (f.kind, _picked(f)) == (kind, numbers)


def test_which_meeting_in_japanese_with_dore_lists_the_meetings(catalog) -> None:
    f = _find(catalog, "日・フリードニア政策対話で海洋ごみが取り上げられた会合はどれですか？")
    assert f is not None and _picked(f) == [3]


# --- same year ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["日・フリードニア政策対話が1年に2回開かれたのはいつですか？",
                                      "When did the Japan–Freedonia Policy Dialogue meet twice in the same year?"])
def test_years_with_two_meetings(catalog, question) -> None:
    f = _find(catalog, question)
    assert f.kind == "same_year" and f.conditions.same_year == 2
    assert f.findings[0].same_year == [2016] and _picked(f) == [3, 4]


def test_in_which_year_did_it_meet_twice(catalog) -> None:
    f = _find(catalog, "In which year did the Japan–Freedonia Policy Dialogue meet twice?")
    assert f is not None and f.kind == "same_year" and f.findings[0].same_year == [2016]


# --- a named meeting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "number", "doc_id", "source", "place"), [
    ("第6回日本・フリードニア政策対話はどこで開催されましたか？", 6, FREEDONIA_EN.doc_id, "prose", "Brno"),
    ("Where was the 6th Japan–Freedonia Policy Dialogue held?", 6, FREEDONIA_EN.doc_id, "prose", "Brno"),
    # Announced in the English report, held according to the CSV table: the table row.
    ("Where was the 7th Japan–Freedonia Policy Dialogue held?", 7, FREEDONIA_CSV.doc_id, "table", "オストラヴァ"),
    ("第2回日本・フリードニア政策対話では何が話し合われましたか？", 2, "fr1_table", "table", "札幌"),
])
def test_a_named_meeting_is_its_own_record(catalog, question, number, doc_id, source, place) -> None:
    f = _find(catalog, question)
    assert f.kind == "named" and f.conditions.number == number
    [r] = f.records
    assert (r.number, r.doc_id, r.source, r.place, r.planned) == (number, doc_id, source, place, False)


def test_a_named_meeting_only_announced_is_the_announcement(catalog) -> None:
    f = _find(catalog, "第4回日本・ルリタニア環境対話はいつ開催されますか？")
    [r] = f.records
    assert f.kind == "named" and (r.number, r.planned, r.date.year, r.source) == (4, True, 2025, "mention")


def test_a_named_meeting_of_the_second_series_in_a_document(catalog) -> None:
    f = _find(catalog, "第1回日本・ルリタニア環境ウィークはどこで開催されましたか？")
    [r] = f.records
    assert f.findings[0].series.key == RU_WEEK and (r.number, r.date.year) == (1, 2018)


def test_a_number_the_series_lacks_is_not_taken_from_a_series_of_another_kind(catalog) -> None:
    # The week has no 3rd; the dialogue the question also names (by ルリタニア) has, but a dialogue is no week.
    q = read_question("第3回日本・ルリタニア環境ウィークはどこで開催されましたか？")
    assert catalog.match_series(q)[0].series.key == RU_WEEK
    assert _find(catalog, q).kind == "missing"
    # Asked by a name any kind fits, the alternative with that number answers.
    f = _find(catalog, read_question("第3回日本・ルリタニア会合はどこで開催されましたか？"))
    assert f.kind == "named" and f.findings[0].series.key == RU_JA


# --- a missing number ---------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["第9回日本・フリードニア政策対話はどこで開催されましたか？",
                                      "What happened at the 9th Japan–Freedonia Policy Dialogue?"])
def test_a_number_no_record_holds_is_missing_and_names_the_last_listed(catalog, question) -> None:
    f = _find(catalog, question)
    assert f.kind == "missing" and f.missing_number == 9 and f.records == []
    assert (f.last_listed.number, f.last_listed.doc_id) == (8, FREEDONIA_CSV.doc_id)


def test_a_missing_number_the_text_mentions_is_left_to_prose(catalog) -> None:
    asked = []

    def mentioned(number, series) -> bool:
        asked.append((number, series.key))
        return True

    assert _find(catalog, "第9回日本・フリードニア政策対話はどこで開催されましたか？", mentioned=mentioned) is None
    assert asked == [(9, FR_JA)]


def test_a_missing_number_without_alternatives_stays_missing(catalog) -> None:
    f = _find(catalog, "第3回日本・ルリタニア環境ウィークはどこで開催されましたか？", alternatives=None)
    assert f.kind == "missing" and f.missing_number == 3 and f.last_listed.number == 1


# --- several series, and questions that are not about records ----------------------------------------


def test_series_named_each_are_answered_each(catalog) -> None:
    f = _find(catalog, "日・フリードニア政策対話と日・ルリタニア環境対話はそれぞれ何回開催されましたか？")
    assert f.kind == "count"
    assert [(sf.series.key, by_number(sf.picked)) for sf in f.findings] == [
        (FR_JA, [1, 2, 3, 4, 5, 6, 7, 8]), (RU_JA, [1, 2, 3])]


def test_a_loosely_named_second_series_is_dropped(catalog) -> None:
    # "Ruritania" names the dialogue and the week; the question asks about one of them.
    f = _find(catalog, "How many times did the Ruritania dialogue meet?")
    assert [sf.series.key for sf in f.findings] == [RU_JA] and _picked(f) == [1, 2, 3]


@pytest.mark.parametrize("question", [
    "Which started earlier, the Japan–Freedonia Policy Dialogue or the Japan–Osterlich Marine Forum?",
    "日・フリードニア政策対話と日本・オスターリッチ海洋フォーラムはどちらが先に始まりましたか？",
])
def test_a_comparison_picks_the_first_record_of_each_series(catalog, question) -> None:
    f = _find(catalog, question)
    assert f.kind == "first"
    firsts = {sf.series.key: [(r.number, r.date.year) for r in sf.picked] for sf in f.findings}
    assert firsts == {FR_JA: [(1, 2012)], OS_EN: [(1, 2011)]}


@pytest.mark.parametrize("question", [
    "What did the two sides discuss at the Japan–Freedonia Policy Dialogue?",  # what, no order or count
    "What is the weather in Brno?",  # no series
    "When was the Japan–Freedonia Policy Dialogue held in Zenda?",  # no record there, no other condition
])
def test_not_a_question_about_records(catalog, question) -> None:
    assert _find(catalog, question) is None


# --- the question is read once ---------------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "日・フリードニア政策対話はオストラヴァで何回開催されましたか？",
    "How many times was the Japan–Freedonia Policy Dialogue held in Ostrava?",
    "日・フリードニア政策対話で2016年に開催された会合は何回ですか？",
    "日本・フリードニア政策対話の会合はオンラインで何回開催されましたか？",
])
def test_finding_records_reads_no_piece_of_the_question_again(catalog, question, monkeypatch) -> None:
    """The question's places, dates, names and joined words come read with it (Question), not re-tokenised."""
    import ingest.tokenizer as tokenizer

    q = read_question(question)
    _find(catalog, q)  # the catalog reads its own words once per index
    read: list[str] = []
    pieces = tokenizer._pieces
    monkeypatch.setattr(tokenizer, "_pieces", lambda text: read.append(text) or pieces(text))
    f = _find(catalog, q)
    assert f is not None and f.kind == "count"
    text = q.text
    assert [t for t in read if t.strip() and t.strip() in text] == []


# --- ways of meeting -------------------------------------------------------------------------------------

def test_a_hybrid_meeting_is_not_counted_as_held_online(tmp_path) -> None:
    from tests.invented_corpus import Doc, store_catalog

    page = Doc("zb_table", """日本・ゼンブラ環境政策対話

環境省は、2016年より「日本・ゼンブラ環境政策対話」を実施しています。

2016年3月　第1回　ヴァルドリア　協力の重点分野を確認した。
2018年5月　第2回　東京　廃棄物管理について意見交換を行った。
2021年9月　第3回　オンライン会議形式　協力の継続について意見交換を行った。
2022年7月　第4回　ハイブリッド（ヴァルドリア及びオンライン）　協力計画の案に合意した。
2023年10月　第5回　東京　協力計画を採択した。
""", "日本・ゼンブラ環境政策対話")
    cat = store_catalog(tmp_path, [page])
    online = _find(cat, read_question("日本・ゼンブラ環境政策対話はオンラインで何回開催されましたか？"))
    assert online.kind == "count" and _picked(online) == [3]
    hybrid = _find(cat, read_question("日本・ゼンブラ環境政策対話はハイブリッドで何回開催されましたか？"))
    assert _picked(hybrid) == [4]
    # A way of meeting the question leaves out is no condition: "ハイブリッドを除いて".
    for text in ("日本・ゼンブラ環境政策対話のうち、ハイブリッドを除いてオンラインで開かれた会合は何回ですか？",
                 "How many Japan–Zembla dialogues were held online, excluding the hybrid ones?"):
        assert _picked(_find(cat, read_question(text))) == [3], text


def test_no_single_letter_shared_with_the_question_makes_a_place_or_a_topic(tmp_path) -> None:
    from tests.invented_corpus import Doc, store_catalog

    # The 3rd meeting's place holds 国 ("アラブ首長国連邦"), as the question's rendering "ゼンブラ共和国" does:
    # that is no place the question names, and the first meeting stays the 1st.
    page = Doc("zb_dialogue", """日本・ゼンブラ環境対話

開催実績（年度別）

年度　　開催地　　開催時期　　回　　主な議題
令和元年度　ヴァルドリア　令和元年10月　第1回　協力覚書の署名に合わせて開催した。
令和2年度　東京　令和2年5月　第2回　廃棄物管理について意見交換を行った。
令和5年度　ドバイ（アラブ首長国連邦）　令和5年12月　第3回　気候変動の協力を確認した。
""", "日本・ゼンブラ環境対話")
    cat = store_catalog(tmp_path, [page])
    q = read_question("When was the first Japan–Zembla Environmental Dialogue held?").with_japanese(
        "日本・ゼンブラ共和国環境対話の最初の会合はいつ開催されましたか")
    f = _find(cat, q)
    assert f.kind == "first" and f.conditions.places == [] and f.conditions.topic == [] and _picked(f) == [1]


def test_a_way_of_meeting_is_a_condition_not_a_topic_and_an_order_picks_one(catalog) -> None:
    # "初めて…第何回": the first of those held online, not a list; "ウェブ" and "オンライン" are one condition.
    f = _find(catalog, "日・フリードニア政策対話で、初めてウェブ（オンライン）で開催されたのは第何回ですか？")
    assert f.kind == "first" and f.conditions.topic == [] and _picked(f) == [4]


def test_a_fiscal_year_asked_counts_the_meetings_from_april_to_march(tmp_path) -> None:
    from tests.invented_corpus import Doc, store_catalog

    page = Doc("ql_table", """日本・クエルナ湿地対話

年度　　開催地　　開催時期　　回　　主な議題
令和2年度　ロヴェナ　令和2年6月　第1回　湿地の情報交換を行った。
令和3年度　那覇、ロヴェナ　令和3年7月、令和4年2月　第2回、第3回　調査計画を議論した。
令和4年度　札幌　令和4年11月　第4回　共同調査に合意した。
""", "日本・クエルナ湿地対話")
    cat = store_catalog(tmp_path, [page])
    fiscal = _find(cat, read_question("日本・クエルナ湿地対話は令和3年度に何回開催されましたか？"))
    assert fiscal.kind == "count" and _picked(fiscal) == [2, 3]  # February 2022 is in fiscal 2021
    calendar = _find(cat, read_question("How many Japan–Querna wetland dialogue meetings were held in 2022?"))
    assert _picked(calendar) == [3, 4]


def test_a_format_column_says_how_each_meeting_was_held(tmp_path) -> None:
    from tests.invented_corpus import Doc, store_catalog

    page = Doc("arf_table", """Alpine Rivers Forum of Towns (ARF)

Past Forums

| Host municipality | Country | Year | Forum | Format | Participants |
|---|---|---|---|---|---|
| Vellmar City | Germany | 2015 | ARF-1 | In person | about 40 |
| Ostrava City | Czechia | 2017 | ARF-2 | In person | 75 |
| Secretariat (Vellmar City) | — | 2020 | ARF-3 | Online | about 90 |
| Lienz Town | Austria | 2022 | ARF-4 | Hybrid | 85 (20 of them online) |
""", "Forums | Alpine Rivers Forum of Towns (ARF)")
    cat = store_catalog(tmp_path, [page])
    online = _find(cat, read_question("How many ARF forums were held online?"))
    assert online.kind == "count" and _picked(online) == [3]
    either = _find(cat, read_question("How many ARF forums had online participation, whether fully online or hybrid?"))
    assert _picked(either) == [3, 4]
    austria = _find(cat, read_question("How many ARF forums have been held in Austria?"))
    assert _picked(austria) == [4]


def test_a_word_rendered_alongside_the_series_word_names_the_series_not_a_topic(catalog) -> None:
    # "the Freedonia talks": "talks" rendered by its nearest words, 対話 (the series' word) and another that a
    # row holds (経験, in the 2nd row). That other word names the series too: no topic, or the 2nd row is "first".
    q = read_question("When did marine litter first come up in the Freedonia talks?").with_japanese(
        "フリードニア 海洋 ごみ 対話 経験", synonyms=(frozenset({"対話", "経験"}),))
    f = _find(catalog, q)
    assert f.kind == "first" and "経験" not in f.conditions.topic
    assert _picked(f) == [3]


def test_a_party_naming_the_talks_after_in_is_no_place_the_meetings_were_held(tmp_path) -> None:
    from tests.invented_corpus import Doc, store_catalog

    # "in the Peru talks": Peru modifies "talks", it names the series; it is no venue condition (which
    # would keep only the meetings held in Lima and make the 3rd the first to mention 水質).
    page = Doc("pe_table", """日本・ペルー環境政策対話

2014年3月　第1回　東京　協力の重点分野を確認した。
2016年5月　第2回　東京　水質管理について意見交換を行った。
2018年9月　第3回　リマ　水質と廃棄物管理について意見交換を行った。
2020年2月　第4回　東京　気候変動の協力を確認した。
2022年8月　第5回　東京　協力計画を採択した。
""", "日本・ペルー環境政策対話")
    cat = store_catalog(tmp_path, [page])
    for text in ("When did water quality first come up in the Peru talks?",
                 "When did water quality first come up in the Peru dialogue?"):
        q = read_question(text).with_japanese("ペルー 水質 対話")
        f = _find(cat, q)
        assert f.kind == "first" and f.conditions.places == [] and _picked(f) == [2], text
    held = _find(cat, read_question("How many times was the Japan–Peru dialogue held in Peru?"))
    assert held.conditions.places == ["Peru"] and _picked(held) == [3]


def test_a_word_of_the_one_english_report_beside_a_japanese_table_picks_no_record(tmp_path) -> None:
    from tests.documents import SINGAPORE_EN, SINGAPORE_JA, doc
    from tests.invented_corpus import Doc, store_catalog

    # "Ministry", "Environment" are in the English report of the 7th meeting and in none of the Japanese rows:
    # they are in every record that could say them and pick no meeting out. "Since when … its MoC with
    # Singapore's Ministry of …" is not answered by "the meeting that mentions Ministry and Environment".
    pages = [Doc(p.stem, doc(p).text, doc(p).provenance.title) for p in (SINGAPORE_JA, SINGAPORE_EN)]
    cat = store_catalog(tmp_path, pages)
    q = read_question("Since when has MOE Japan had its MoC with Singapore's Ministry of the Environment and Water "
                      "Resources?").with_japanese("シンガポール シンガポール共和国 日本 環境 水質 資源")
    f = _find(cat, q)
    assert f is None or (f.conditions.topic == [] and not f.records)


def test_a_word_of_how_the_count_is_asked_is_no_topic_for_the_dense_model(catalog) -> None:
    # "合計", "やった": how a count is asked; were they topic words the index lacks, the dense scores would
    # keep only the records nearest the best one and the count would drop meetings.
    def dense(records):
        return {r.record_id: (1.0 if r.number == 1 else 0.5) for r in records}

    for text in ("日・フリードニア政策対話、オストラバでやったのは合計何回？",
                 "How many meetings of the Japan–Freedonia Policy Dialogue were held in Ostrava altogether?"):
        f = _find(catalog, text, dense=dense)
        assert f.kind == "count" and _picked(f) == [1, 3, 7], text


def test_a_time_of_day_asked_of_a_named_meeting_is_no_question_about_records(catalog) -> None:
    # A record holds a date and a place: "from what time to what time" is answered by text, or not at all,
    # never by the meeting's date.
    for text in ("日・フリードニア政策対話の第3回は、日本時間で何時から何時まで開かれましたか？",
                 "At what local time did the 3rd Japan–Freedonia Policy Dialogue start?"):
        assert _find(catalog, text) is None, text
    assert _find(catalog, "日・フリードニア政策対話の第3回はいつ開かれましたか？").kind == "named"


@pytest.mark.parametrize(("question", "number"), [
    ("When was the Japan–Freedonia Policy Dialogue meeting after the online one held?", 5),
    ("日・フリードニア政策対話で、オンラインの次の会合はいつ開催されましたか？", 5),
    ("When was the Japan–Freedonia Policy Dialogue meeting before the online one held?", 3),
])
def test_the_meeting_after_or_before_a_described_one_is_its_neighbour(catalog, question, number) -> None:
    # "the one after the online one": the meeting the conditions describe is not the answer; its neighbour
    # is, named by its number (and no longer described as held online).
    f = _find(catalog, question)
    assert f.kind == "named" and _picked(f) == [number] and f.conditions.places == []


def test_a_first_or_a_years_meeting_is_said_only_as_far_as_the_records_state_it(tmp_path) -> None:
    from rag.series.sentences import Composer
    from tests.invented_corpus import Doc, store_catalog

    # The page lists the 3rd and 4th meetings only, the 3rd with no venue.
    page = Doc("zb_later", """日本・ゼンブラ環境政策対話の結果について

2021年9月　第3回
2023年10月　第4回　東京　協力計画を採択した。
""", "日本・ゼンブラ環境政策対話")
    cat = store_catalog(tmp_path, [page])

    def said(text: str) -> list[str]:
        q = read_question(text)
        return [st.text for st in Composer(cat, q).compose(_find(cat, q))]

    assert said("日本・ゼンブラ環境政策対話の最初の会合はいつ開かれましたか？") == []  # the 1st is not listed
    assert said("Where was the Japan–Zembla dialogue held in 2021?") == []  # the 3rd states no venue
    assert any("Tokyo" in t or "東京" in t for t in said("Where was the Japan–Zembla dialogue held in 2023?"))


def test_a_question_about_a_kind_of_event_is_not_about_a_list_of_no_event(tmp_path) -> None:
    from tests.invented_corpus import Doc, store_catalog

    # A page's table of projects by fiscal year: no kind of event in its title, no meeting numbers in its rows.
    page = Doc("zb_jcm", """JCMパートナー国：ゼンブラ共和国｜環境省

採択年度　事業名　代表事業者
平成28年度　ゼンダ近郊の工場への高効率冷凍機の導入　ゼンダ冷熱株式会社
平成30年度　商業施設へのLED照明の導入　ヴァルナ電工株式会社
""", "JCMパートナー国：ゼンブラ共和国｜環境省")
    cat = store_catalog(tmp_path, [page])
    assert cat.match_series(read_question("ゼンブラとのJCM合同委員会は何回開かれましたか？")) == []
    assert cat.match_series(read_question("ゼンブラのJCM事業で平成30年度に採択されたのは？"))  # no kind asked


def test_what_a_years_meeting_did_is_that_meetings_record(tmp_path) -> None:
    from tests.invented_corpus import Doc, store_catalog

    page = Doc("zb_years", """日本・ゼンブラ環境政策対話

2016年3月　第1回　ヴァルドリア　協力の重点分野を確認した。
2018年5月　第2回　東京　廃棄物管理について意見交換を行った。
2018年11月　第3回　ヴァルドリア　水質保全の協力に合意した。
2023年10月　第4回　東京　協力計画を採択した。
""", "日本・ゼンブラ環境政策対話")
    cat = store_catalog(tmp_path, [page])
    f = _find(cat, read_question("What did Japan and Zembla agree on in 2023?"))
    assert f.kind == "named" and _picked(f) == [4]
    assert _find(cat, read_question("2016年の日本・ゼンブラ環境政策対話では何を確認した？")).records[0].number == 1
    # Two meetings that year: which one is not said; the text decides.
    assert _find(cat, read_question("What did Japan and Zembla discuss in 2018?")) is None
    # Another event than a meeting's ("signed") is told in text.
    assert _find(cat, read_question("What did Japan and Zembla sign in 2023?")) is None


# --- a meeting named by its venue ---------------------------------------------------------------------


@pytest.mark.parametrize(("question", "number"), [
    ("Who chaired the Japan–Freedonia Policy Dialogue that was held online?", 4),
    ("オンラインで開かれた日・フリードニア政策対話の議長は誰？", 4),
    ("Who chaired the Japan–Freedonia Policy Dialogue in Sapporo?", None),  # two meetings were held there
    ("Who chaired the Japan–Freedonia Policy Dialogue in Brno?", None),  # the 6th (Brno) and the 8th (ブルノ)
    ("Who signed the Japan–Freedonia memorandum online?", None),  # a signing is no meeting's doing
    ("Who chaired the 2nd Japan–Freedonia Policy Dialogue held online?", None),  # a number names it already
])
def test_a_meeting_named_by_its_venue_is_that_meeting(catalog, question, number) -> None:
    q = read_question(question)
    assert meeting_at(q, catalog.match_series(q), catalog) == number


def test_a_count_of_another_event_is_not_a_count_of_meetings(catalog) -> None:
    # "How many times did they send staff": visits told in text, not the series' meetings.
    assert _find(catalog, "How many times has Japan sent experts to the Japan–Freedonia Policy Dialogue?") is None
    assert _find(catalog, "How many times has the Japan–Freedonia Policy Dialogue been held?").kind == "count"


def test_the_kind_of_place_asked_is_no_topic(catalog) -> None:
    f = _find(catalog, "Which city hosted round 3 of the Japan–Freedonia Policy Dialogue?")
    assert f.kind == "named" and f.conditions.topic == [] and _picked(f) == [3]


def test_a_named_meeting_is_dated_as_precisely_as_any_of_its_records() -> None:
    from ingest.dates import DateValue
    from ingest.schema import Record
    from rag.series.records import _most_precise

    def rec(rid, date, place, source):
        return Record(rid, rid, "s", 7, date, place, None, 0, 1, source)

    row = rec("row", DateValue(2024, 10), "東京", "table")
    report = rec("report", DateValue(2024, 10, 22), "Tokyo", "prose")
    other = rec("other", DateValue(2024, 11, 2), "Tokyo", "prose")  # another month: another meeting's date
    assert _most_precise([row, report]) == [report]
    assert _most_precise([row, other]) == [row]
    assert _most_precise([row]) == [row] and _most_precise([]) == []


def test_a_working_group_a_dialogue_set_up_is_not_the_dialogue(tmp_path) -> None:
    from tests.invented_corpus import Doc, store_catalog

    page = Doc("zb_dialogue", """日・ゼンブラ環境政策対話｜環境省

開催年 開催地 会議概要
第1回
(2019年)
ゼンダ 廃棄物管理について意見交換を行った。
第2回
(2023年)
東京 E-waste作業部会の設置について合意した。
""", "日・ゼンブラ環境政策対話｜環境省")
    cat = store_catalog(tmp_path, [page])
    # "the working group's first meeting": the dialogue's 1st meeting is not it (a kind of its own, names.json).
    assert cat.match_series(read_question("日ゼンブラのE-waste作業部会、第1回会合はいつ開かれたの？")) == []
    assert cat.match_series(read_question("日ゼンブラの環境政策対話、第1回はいつ？"))
