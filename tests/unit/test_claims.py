"""Claim checking on the evidence model: the assertion reader (ja/en) and every verdict path (fakes)."""

from __future__ import annotations

import dataclasses

import pytest

from ingest.dates import find_dates
from ingest.schema import Record
from rag.check.claims import read_assertions
from rag.read.question import read_question
from rag.service import Shiori
from tests.fakes import ScriptedChatModel


@pytest.mark.parametrize(("claim", "attributes"), [
    ("The 5th Japan–Vietnam Environmental Policy Dialogue was held in Tokyo.", {"place"}),
    ("第6回日本・モンゴル環境政策対話はウランバートルで開催された。", {"place"}),
    ("堺市とバリアブントウ省の覚書は2023年11月30日に締結された。", {"date"}),
    ("Eight Japan–Vietnam Environmental Policy Dialogues were held between 2014 and 2024.", {"count"}),
    ("日本・モンゴル環境政策対話はウランバートルで6回開催された。", {"count", "place"}),
    ("The population of the province is about 1.17 million.", {"quantity"}),
    ("The project cut the city's waste volume by 32 percent.", {"quantity"}),  # a share spelt out
    ("The memorandum was signed in December 2013.", {"date"}),  # "in December": a month, no place
    ("堺市長はCOP28で基調講演を行った。", {"text"}),
    # the venue is the country in the series' name: still a place the claim asserts
    ("The 2nd Japan–Mongolia Environmental Policy Dialogue was held in Mongolia.", {"place"}),
    ("第2回日本・モンゴル環境政策対話はモンゴルで開催された。", {"place"}),
    # …but the series' own name before "で開催" is not one
    ("日本・モンゴル環境政策対話で開催された会合は15回ある。", {"count"}),
    # "the two sides" are the parties, not a number of meetings the claim counts
    ("At the 6th Japan–Vietnam dialogue, the two sides agreed to set up an expert meeting.", {"text"}),
    ("The Japan–Vietnam dialogue has met five times.", {"count"}),
])
def test_assertions_are_read_in_both_languages(claim, attributes):
    series_words = {"ベトナム", "モンゴル", "vietnam", "mongolia", "japan", "日本", "環境", "政策", "対話"}
    got = {a.attribute for a in read_assertions(claim, read_question(claim), series_words)}
    assert got == attributes, got


def test_a_count_range_bounds_the_count_and_is_not_a_date():
    claim = "Eight Japan–Vietnam Environmental Policy Dialogues were held between 2014 and 2024."
    [a] = read_assertions(claim, read_question(claim), set())
    assert a.attribute == "count" and a.count == 8


@pytest.fixture
def service(fake_index, fake_embeddings):
    return Shiori(fake_index, embeddings=fake_embeddings, llm=ScriptedChatModel(reply="NOT FOUND", prompts=[]))


@pytest.mark.parametrize(("claim", "label", "shown"), [
    # records: a compared value (place, date, count, first under the claim's own topic)
    ("第6回日本・モンゴル環境政策対話は南ゴビ県ダランザドガドで開催された。", "supported", "ダランザドガド"),
    ("第6回日本・モンゴル環境政策対話はウランバートルで開催された。", "contradicted", "ダランザドガド"),
    ("第4回日本・ベトナム環境政策対話は2019年に開催された。", "contradicted", "2018"),
    ("The 1st Japan–Mongolia Environmental Policy Dialogue was held in Mongolia.", "contradicted", "東京"),
    # a country holds the record's city (the gazetteer says so): supported, the city cited
    ("The 2nd Japan–Mongolia Environmental Policy Dialogue was held in Mongolia.", "supported", "ウランバートル"),
    ("第5回日本・ベトナム環境政策対話はベトナムで開催された。", "supported", "ハノイ"),
    ("日本・ベトナム環境政策対話は8回開催された。", "supported", "第1回"),
    ("日本・ベトナム環境政策対話は10回開催された。", "contradicted", "第1回"),
    ("日本・モンゴル環境政策対話でJCMが初めて取り上げられたのは2016年である。", "supported", "2016"),
    ("日本・モンゴル環境政策対話でJCMが初めて取り上げられたのは2012年である。", "contradicted", "2016"),
    # text: the value stated about the same subject
    ("堺市とバリアブントウ省の覚書は2023年12月6日に締結された。", "supported", "12 月 6 日"),
    ("堺市とバリアブントウ省の覚書は2023年11月30日に締結された。", "contradicted", "12 月 6 日"),
    # not found: no such subject, no such meeting, nothing states it
    ("日本・タイ環境政策対話は5回開催された。", "not_found", None),
    ("第16回日本・モンゴル環境政策対話はウランバートルで開催された。", "not_found", None),
    ("堺市長はCOP28で基調講演を行った。", "not_found", None),
])
def test_each_verdict_path_with_its_evidence(service, claim, label, shown):
    v = service.check(claim)
    assert v.label == label, (v.label, v.explanation)
    if shown is not None:
        assert any(shown in c.text[c.span_start:c.span_end] for c in v.evidence), [
            c.text[c.span_start:c.span_end] for c in v.evidence]
        for c in v.evidence:
            assert service.document(c.doc_id).text[c.start:c.end] == c.text
    else:
        assert v.label == "not_found"


def test_a_value_bound_to_the_meeting_a_claim_names_is_about_its_subject():
    # English claim, English page: no Japanese words to compare, but the clause is bound to "the 4th ZMM".
    from rag.check.claims import _about_subject
    from tests.bound import bound

    # As the checker reads a claim: a question of when, its own year the value compared, not a filter.
    # With a Japanese rendering (the index holds Japanese pages too) whose words an English page cannot hold.
    q = dataclasses.replace(read_question("The 4th ZMM was scheduled to take place in Japan in 2022.").with_japanese(
        "日本 開催 予定"), types=("when",), years=(), claim=True)
    text = "The 3rd ZMM was held in Lima on May 3, 2019.\n\nThe 4th ZMM will be held in Japan in 2021.\n"
    year = next(c for c in bound(q, text) if c.kind == "date" and c.value == "2021")
    assert year.bound and _about_subject(year, q)


def test_plain_text_a_meetings_record_does_not_hold_is_left_to_the_text():
    # "Minister X attended the 3rd": the record (date, place, summary) says nothing of it; the report may.
    from rag.check.claims import Assertion, _judge_records
    from rag.series.records import Conditions, RecordFinding, SeriesFinding

    r = Record(record_id="z:r1", doc_id="z", series="ZMM", number=3, date=None, place="Lima", summary="協力を確認した。",
               start=0, end=10)
    found = RecordFinding("named", [SeriesFinding(series=None, matching=[r], picked=[r])], Conditions(number=3))
    assert _judge_records(Assertion("text", "Minister TANAKA attended the 3rd ZMM."), read_question("x"), found,
                          "en", None) is None


def test_an_office_named_in_two_languages_that_shares_a_word_is_no_other_office():
    # "副事務次官" read as vice minister and secretary; "Deputy Secretary General" holds secretary: a translation
    # to doubt, not a claim of another office.
    from rag.check.claims import _misread
    from tests.bound import bound

    page = "■ Co-chairs\n(Peru) Dr. ROJAS Isabel, Deputy Secretary General (Environment), MINAM\n"
    q = dataclasses.replace(read_question("ペルー側共同議長はロハス・イサベル副事務次官であった。"), types=("who",), claim=True)
    rojas = next(c for c in bound(q, page) if c.kind == "person" and c.value == "ROJAS Isabel")
    # (Listed under "Co-chairs", she holds the chair role the claim's 共同議長 asks: no role of hers is missing.)
    assert "role:chair" not in rojas.missing and not _misread(rojas, q)
    director = "■ Co-chairs\n(Peru) Dr. ROJAS Isabel, Director of Waste Management, MINAM\n"
    q2 = dataclasses.replace(read_question("ペルー側共同議長はロハス・イサベル環境大臣であった。"), types=("who",), claim=True)
    other = next(c for c in bound(q2, director) if c.kind == "person" and c.value == "ROJAS Isabel")
    assert _misread(other, q2)  # a director claimed as the minister: another office


def _judged(claim: str, ja: str, text: str):
    """The verdict on a claim's first assertion, judged on the candidates of one invented page."""
    from types import SimpleNamespace

    from rag.check.claims import _judge_text, read_assertions
    from tests.bound import bound

    q = dataclasses.replace(read_question(claim).with_japanese(ja), types=("when",), years=(), claim=True)
    cands = bound(q, text)
    ev = SimpleNamespace(of_kind=lambda *kinds, bound=None: [c for c in cands if c.kind in kinds])
    [a] = [a for a in read_assertions(claim, q, set()) if a.attribute == "date"]
    return _judge_text(a, q, ev, "en", None, claim)


def test_an_english_claim_is_compared_with_an_english_page_in_its_own_words():
    # The claim's Japanese rendering cannot be found in an English page; its own words can.
    j = _judged("The Velma Statement aims to have 70% of wastewater treated by 2035.", "ヴェルマ 声明 目標 排水 処理",
                "The Velma Statement aims to raise the share of treated wastewater to at least 70% by 2035.")
    assert j.label == "supported"


def test_an_aims_year_said_of_another_aim_does_not_support_it():
    j = _judged("Zembla aims to reach net zero emissions by 2035.", "ゼンブラ 目標 ゼロ 排出",
                "ゼンブラ側からは、2035年までに一般廃棄物の再資源化率を60％に高める目標が説明された。")
    assert j.label != "supported"


def test_a_sentence_stating_the_claimed_year_does_not_dispute_it():
    # "In 2014 … signed the Letter of Intent …, and in 2017, signed the Memorandum …": 2017 is the Memorandum's.
    j = _judged("In 2014, Zembla signed a Letter of Intent on environmental cooperation with Velma.", "署名 意図表明書 協力",
                "In 2014, Zembla signed the Letter of Intent on Environmental Cooperation with Velma, and in 2017, "
                "signed the Memorandum of Cooperation with Velma's ministry.")
    assert j.label == "supported"


def test_a_record_that_gives_no_place_or_date_leaves_the_claim_to_the_text():
    # Regression: "The 3rd ZMM was held in Quito" against a record with no place (its report says where) was
    # "not found" from the record alone; the text it was held in decides.
    from rag.check.claims import Assertion, _judge_records
    from rag.series.records import Conditions, RecordFinding, SeriesFinding

    r = Record(record_id="z:r1", doc_id="z", series="ZMM", number=3, date=None, place=None, summary=None,
               start=0, end=10)
    found = RecordFinding("named", [SeriesFinding(series=None, matching=[r], picked=[r])], Conditions(number=3))
    q = read_question("x")
    assert _judge_records(Assertion("place", "Quito"), q, found, "en", None) is None
    d = find_dates("May 2019")[0]
    assert _judge_records(Assertion("date", "May 2019", date=d), q, found, "en", None) is None


@pytest.mark.parametrize(("claim", "person"), [
    ("OKABE Ryota co-chaired the 4th Japan–Peru dialogue for Japan.", "OKABE Ryota"),
    ("Peru's Minister of the Environment, Rosa Quispe, served as co-chair of the meeting.", "Rosa Quispe"),
    ("Ana Torres Vidal signed the memorandum for Lima.", "Ana Torres Vidal"),
])
def test_a_person_named_without_an_honorific_is_a_person_the_claim_asserts(claim, person):
    # Regression: a Latin name with no Mr./Ms. was no person, so a claim naming the wrong one was judged as plain
    # text and "not found": the one who did what people do, or named right after an office.
    got = [a.value for a in read_assertions(claim, read_question(claim), set()) if a.attribute == "person"]
    assert got == [person]


@pytest.mark.parametrize("claim", ["MOE Japan and UNEP signed the memorandum.", "Da Nang hosted the 3rd meeting.",
                                   "Kitakyushu City signed the memorandum in 2014.",
                                   "The Asian Development Bank attended as an observer."])
def test_a_body_is_no_person(claim):
    assert not [a for a in read_assertions(claim, read_question(claim), set()) if a.attribute == "person"]


def test_a_venue_that_names_its_country_contradicts_another_country():
    # Regression: "held in Finland" against a record's "ノルウェー王国ベルゲン" was "not found" (the gazetteer did
    # not place the city), though the venue names its own country.
    from rag.check.claims import Assertion, _judge_records
    from rag.series.records import Conditions, RecordFinding, SeriesFinding

    class _Catalog:
        def english(self, place):
            return None

        def place(self, place, lang):
            return place

    r = Record(record_id="z:r1", doc_id="z", series="ZMM", number=4, date=None, place="ノルウェー王国ベルゲン",
               summary=None, start=0, end=10)
    found = RecordFinding("named", [SeriesFinding(series=None, matching=[r], picked=[r])], Conditions(number=4))
    got = _judge_records(Assertion("place", "フィンランド"), read_question("x"), found, "ja", _Catalog())
    assert got is not None and got.label == "contradicted"
    got = _judge_records(Assertion("place", "ノルウェー"), read_question("x"), found, "ja", _Catalog())
    assert got is not None and got.label == "supported"


def test_nothing_found_of_a_name_read_by_its_role_does_not_outweigh_the_rest_of_the_claim():
    # A name taken for a person only by its verb ("Ana Torres Vidal signed …") may be misread: finding nothing
    # of it must not turn a supported date into "not found"; its contradiction still counts.
    from rag.check.claims import Judgement, weighed

    claim = "Ana Torres Vidal signed the memorandum for Lima in May 2019."
    assertions = read_assertions(claim, read_question(claim), set())
    by_role = [a.tentative for a in assertions]
    assert by_role.count(True) == 1
    ok, none, no = Judgement("supported", "", []), Judgement("not_found", "", []), Judgement("contradicted", "", [])
    judged = [none if a.tentative else ok for a in assertions]
    assert [j.label for j in weighed(assertions, judged)] == ["supported"] * (len(assertions) - 1)
    judged = [no if a.tentative else ok for a in assertions]
    assert "contradicted" in [j.label for j in weighed(assertions, judged)]


def test_a_count_of_things_spelt_out_is_a_quantity_the_claim_asserts():
    # Regression: "nine countries" was no quantity, so the claim was plain text and "not found".
    claim = "Ministers and senior officials of nine countries took part in the 3rd ZMM."
    assert [(a.attribute, a.value, a.tentative) for a in read_assertions(claim, read_question(claim), set())] == [
        ("quantity", "9 countries", True)]  # tentative: "two sides" and the like may be misread as counts


def test_a_names_number_is_no_value_the_supporting_passages_must_state():
    # Regression: "At ZMM5 Japan announced JPY 500 million" supported by "- Japan: JPY 500 million" was "not found"
    # because no passage stated "5" (the number of the meeting's code); a wrong amount or year still is one.
    from rag.check.support import unstated_numbers

    passage = ["- Japan: JPY 500 million over FY2026–FY2028;"]
    assert unstated_numbers("At ZMM5 Japan announced JPY 500 million over FY2026–FY2028.", passage) == set()
    assert unstated_numbers("At ZMM5 Japan announced JPY 600 million over FY2026–FY2028.", passage) == {"600000000"}
    assert unstated_numbers("At ZMM5 Japan announced JPY 500 million over FY2026–FY2029.", passage) == {"2029"}


def test_a_claim_counting_things_in_words_asks_for_a_quantity():
    from rag.check.claims import ClaimChecker

    class _Chain:
        read = staticmethod(read_question)

    q = ClaimChecker(_Chain()).question("Ministers and senior officials of nine countries took part in the 3rd ZMM.")
    assert "how_many" in q.types


def test_the_person_a_claim_names_is_the_value_it_asserts_not_its_subject():
    # Regression: "…に署名した日本側の大臣は小泉環境大臣である" made 小泉 a name every candidate's passage had to
    # hold, so the minister who did sign (named in a passage without 小泉) was dropped and the claim "not found".
    from rag.find.evidence import EvidenceFinder

    class _Catalog:
        def match_series(self, q):
            return []

    finder = EvidenceFinder.__new__(EvidenceFinder)
    finder.catalog = _Catalog()
    text = "第7回日本・ゼンビア環境政策対話で共同協力計画に署名した日本側の大臣は小泉環境大臣である。"
    claim = dataclasses.replace(read_question(text), claim=True)
    assert "小泉" not in finder._about(claim)
    assert "小泉" in finder._about(read_question("小泉環境大臣は第7回日本・ゼンビア環境政策対話で何に署名しましたか。"))
