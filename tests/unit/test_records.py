"""Records (table rows, events told in prose) and subjects read from the seeds, the extra corpus and
invented layouts: exact values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.cleaner import normalize
from ingest.dates import DateValue
from ingest.loaders import load_document
from ingest.names import same_series
from ingest.records import read_document, title_event
from ingest.schema import Record
from tests.documents import (
    INDONESIA,
    KITAKYUSHU,
    MONGOLIA,
    SAKAI,
    SINGAPORE_EN,
    SINGAPORE_JA,
    TEMM,
    VIETNAM,
    doc,
    model,
    text_doc,
)


def _date(r: Record) -> tuple | None:
    return (r.date.year, r.date.month, r.date.day) if r.date else None


def _rows(records) -> list[tuple]:
    return [(r.number, _date(r), r.place, r.series) for r in records]


# --- the seeds --------------------------------------------------------------------------------------

VN = "日・ベトナム環境政策対話"
MN = "日・モンゴル環境政策対話"


def test_vietnam_records() -> None:
    m = model(VIETNAM)
    hybrid = "ハノイ(対面)とオンラインのハイブリッド方式"
    assert _rows(m.records) == [
        (1, (2014, None, None), "ハノイ", VN), (2, (2015, None, None), "東京", VN),
        (3, (2016, None, None), "ハノイ", VN), (4, (2018, None, None), "東京", VN),
        (5, (2019, None, None), "ハノイ", VN), (6, (2020, None, None), "ウェブ開催", VN),
        (7, (2021, None, None), "オンライン", VN),
        # Rows of other series in the same table are named by their own link lines.
        (2, (2021, None, None), "オンライン", "日本・ベトナム環境ウィーク"),
        (None, (2023, None, None), hybrid, "第8回日本・ベトナム環境政策対話に向けた準備会合"),
        (8, (2024, None, None), hybrid, VN),
    ]
    assert all(r.source == "table" and not r.planned for r in m.records)
    assert m.records[0].summary.startswith("二国間クレジット制度(JCM)の進捗状況を含めた気候変動対策について")
    assert [f.name for f in m.records[0].fields] == ["開催年", "開催地", "会議概要"]
    assert [n.value for n in m.records[0].notes] == ["第1回 日本・ベトナム環境政策対話の結果について"]
    assert m.subject.name == VN and m.subject.name_en == "Japan–Vietnam Environmental Policy Dialogue"


def test_mongolia_records() -> None:
    m = model(MONGOLIA)
    assert [r.number for r in m.records] == list(range(1, 16))
    assert {r.series for r in m.records} == {MN}
    assert [_date(r) for r in m.records][12:] == [(2020, None, None), (2021, 12, None), (2023, None, None)]
    assert [r.place for r in m.records][:6] == ["東京", "ウランバートル", "東京", "ウランバートル", "東京",
                                                 "南ゴビ県ダランザドガド"]
    tenth = m.records[9]
    assert tenth.summary == ("気候変動(適応)、二国間クレジット制度(JCM)、水銀管理の各分野について、両国の政策や経験を共有し、"
                             "環境協力を一層推進することが合意された。")
    text = doc(MONGOLIA).text
    assert text[tenth.start:tenth.end].startswith("第10回\n(2016年)\nウランバートル 気候変動(適応)")
    assert text[tenth.start:tenth.end].endswith("第10回日本・モンゴル環境政策対話の結果について")


def test_press_release_has_no_records_and_keeps_its_title() -> None:
    m = model(SAKAI)
    assert m.records == ()
    assert m.subject.name == "堺市・バリアブントウ省 脱炭素等に関する覚書締結（COP28 ジャパン・パビリオン）"


# --- the extra corpus -------------------------------------------------------------------------------


def test_indonesia_records() -> None:
    m = model(INDONESIA)
    name = "日・インドネシア環境政策対話"
    assert _rows(m.records) == [(1, (2014, None, None), "スラバヤ", name), (2, (2018, None, None), "ジャカルタ", name),
                                (3, (2021, 1, None), "オンライン", name)]
    # The page is cut inside the row's first sentence ("小泉環境大臣、シティ・ヌルバ"): it has no summary to quote.
    assert m.records[2].summary is None
    assert [[n.value for n in r.notes] for r in m.records] == [
        ["第1回 日本・インドネシア共和国環境政策対話の結果について"],
        ["第2回日本・インドネシア環境政策対話の結果等について"], []]


def test_singapore_ja_records() -> None:
    m = model(SINGAPORE_JA)
    name = "日・シンガポール環境政策対話"
    assert _rows(m.records) == [(1, (2014, None, None), "シンガポール", name), (2, (2015, None, None), "東京", name),
                                (3, (2016, None, None), "シンガポール", name)]
    assert m.records[1].summary.endswith("経験を共有していくことに合意しました。")


def test_kitakyushu_fiscal_year_records() -> None:
    m = model(KITAKYUSHU)
    assert [(r.number, r.date.year, r.date.fiscal, r.place) for r in m.records] == [
        (None, 1997, True, None), (None, 2000, True, None), (None, 2002, True, None), (None, 2003, True, None),
        (None, 2004, True, None)]
    assert [r.summary for r in m.records][:2] == [
        "アジア環境協力都市会議を北九州市にて開催; アジア環境協力都市ネットワーク(東南アジア4カ国6都市)設立⇒スラバヤ市も加盟",
        "廃棄物事業を開始【JICA草の根:~平成13年】; スラバヤ市からの研修生の受け入れ"]
    assert m.records[-1].summary is None  # the page is cut off inside the last key
    assert {r.series for r in m.records} == {"インドネシア・スラバヤ市との取り組み"}


def test_singapore_en_prose_record() -> None:
    m = model(SINGAPORE_EN)
    (r,) = m.records
    assert (r.source, r.number, _date(r), r.place, r.series, r.planned) == (
        "prose", 7, (2023, 2, 9), "Tokyo", "Japan-Singapore Environmental Policy Dialogue", False)
    assert [(f.name, f.value) for f in r.fields] == [
        ("sentence", "The Ministry of the Environment (MOE), Japan, and the Ministry of Sustainability and the "
                     "Environment, Republic of Singapore held the 7th Japan-Singapore Environmental Policy Dialogue "
                     "in Tokyo on February 9, 2023."),
        ("Date and time of dialogue", "10:00-16:00, February 9, 2023 (JST)"),
        ("Venue", "Ministry of the Environment, Japan (a hybrid of in-person and online meetings)")]
    assert doc(SINGAPORE_EN).text[r.start:r.end].startswith("The Ministry of the Environment (MOE)")


def test_temm_reported_and_announced_meetings() -> None:
    m = model(TEMM)
    assert m.subject.name == "Tripartite Environment Ministers Meeting" and m.subject.aliases == ("TEMM",)
    held, announced = m.records
    assert (held.source, held.number, _date(held), held.place, held.planned) == (
        "prose", 19, (2017, 8, 25), "Suwon, ROK", False)
    assert (announced.source, announced.number, _date(announced), announced.place, announced.planned) == (
        "mention", 20, (2018, None, None), "China", True)
    assert doc(TEMM).text[announced.start:announced.end] == "The 20th TEMM will be held in China in 2018."
    assert held.series == announced.series == "Tripartite Environment Ministers Meeting"


# --- documents without a sidecar: the title comes from the text ---------------------------------------


def _without_sidecar(path: Path, tmp_path: Path):
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    return read_document(load_document(copy))


@pytest.mark.parametrize(("path", "name"), [
    (VIETNAM, VN),
    (MONGOLIA, MN),
    (SINGAPORE_JA, "日・シンガポール環境政策対話"),
    (SINGAPORE_EN, "Japan-Singapore Environmental Policy Dialogue"),
    (TEMM, "Tripartite Environment Ministers Meeting"),
], ids=["vietnam", "mongolia", "singapore-ja", "singapore-en", "temm"])
def test_subject_without_sidecar_is_the_page_heading_not_a_breadcrumb(path: Path, name: str, tmp_path: Path) -> None:
    # Regression: the first heading-like line was the title: a breadcrumb ("国別・地域別協力"), "Press Release",
    # or a photo caption ("▲The 19th TEMM") when the real heading line was long.
    m = _without_sidecar(path, tmp_path)
    assert m.subject.name == name
    assert {r.series for r in m.records if r.series != m.subject.name} <= {
        "日本・ベトナム環境ウィーク", "第8回日本・ベトナム環境政策対話に向けた準備会合"}
    assert [r.number for r in m.records] == [r.number for r in model(path).records]


def test_subject_without_sidecar_or_heading_comes_from_the_rows_link_lines(tmp_path: Path) -> None:
    # The page has no heading line: its rows' links name the series, spelt two ways
    # ("日本・インドネシア共和国環境政策対話", "日本・インドネシア環境政策対話"): one series, not a table header.
    m = _without_sidecar(INDONESIA, tmp_path)
    assert m.subject.name == "日本・インドネシア共和国環境政策対話"
    assert [(r.number, r.series) for r in m.records] == [(1, m.subject.name), (2, m.subject.name), (3, m.subject.name)]


def test_subject_without_sidecar_skips_navigation_lines(tmp_path: Path) -> None:
    m = _without_sidecar(KITAKYUSHU, tmp_path)
    assert m.subject.name == "スラバヤ市との取り組み"  # the heading right above the text, not "ページトップ"


# --- invented layouts -------------------------------------------------------------------------------

EN_TABLE = """Japan-Testland Policy Dialogue

No. | Date | Venue | Summary
---|---|---|---
1 | 12 March 2019 | Tokyo | The two sides reviewed their cooperation on waste management.
2 | 5 June 2021 | Online | The two sides agreed on a joint plan on climate change.
"""


def test_english_table_with_a_number_column() -> None:
    m = read_document(text_doc(EN_TABLE, title="Japan-Testland Policy Dialogue"))
    assert _rows(m.records) == [(1, (2019, 3, 12), "Tokyo", "Japan-Testland Policy Dialogue"),
                                (2, (2021, 6, 5), "Online", "Japan-Testland Policy Dialogue")]
    assert [r.summary for r in m.records] == ["The two sides reviewed their cooperation on waste management.",
                                              "The two sides agreed on a joint plan on climate change."]
    assert [f.name for f in m.records[0].fields] == ["No.", "Date", "Venue", "Summary"]


def test_rows_without_header_take_the_date_from_a_date_cell() -> None:
    text = ("1st | 2014 | Hanoi | Views were exchanged on climate change policy.\n"
            "2nd | 2015 | Tokyo | Both sides agreed to cooperate on waste management.\n")
    m = read_document(text_doc(text, title="Japan-Testland Policy Dialogue"))
    assert _rows(m.records) == [(1, (2014, None, None), "Hanoi", "Japan-Testland Policy Dialogue"),
                                (2, (2015, None, None), "Tokyo", "Japan-Testland Policy Dialogue")]


def test_markdown_table_with_date_column_and_day_range() -> None:
    text = ("| 回 | 開催日 | 開催地 | 概要 |\n|---|---|---|---|\n"
            "| 第1回 | 2014年3月5日 | ハノイ | 気候変動対策について意見交換を行った。 |\n"
            "| 第2回 | 2015年4月6日～7日 | 東京 | 廃棄物管理について合意した。 |\n")
    m = read_document(text_doc(text))
    assert _rows(m.records) == [(1, (2014, 3, 5), "ハノイ", "テスト対話"), (2, (2015, 4, 6), "東京", "テスト対話")]
    assert m.records[1].date.until == DateValue(2015, 4, 7)
    assert [r.summary for r in m.records] == ["気候変動対策について意見交換を行った。", "廃棄物管理について合意した。"]


def test_prose_after_the_table_is_no_record_and_no_part_of_one() -> None:
    text = ("開催年 | 開催地 | 会議概要\n第1回 (2014年) | ハノイ | 気候変動対策について意見交換を行った。\n"
            "第2回 (2015年) | 東京 | 廃棄物管理について合意した。\n\n本対話は2016年以降も開催される予定である。\n")
    m = read_document(text_doc(text))
    assert _rows(m.records) == [(1, (2014, None, None), "ハノイ", "テスト対話"), (2, (2015, None, None), "東京", "テスト対話")]
    assert m.records[-1].summary == "廃棄物管理について合意した。" and m.records[-1].notes == ()


def test_a_row_whose_link_names_another_series_belongs_to_that_series() -> None:
    text = ("開催年 開催地 会議概要\n第1回\n(2014年)\nハノイ 意見交換を行った。\n第1回 日本・テスト環境政策対話の結果について\n"
            "第2回\n(2015年)\n東京 セミナーを開催した。\n第2回日本・テスト環境ウィークの結果について\n")
    m = read_document(text_doc(text, title="日・テスト環境政策対話"))
    assert [(r.number, r.series) for r in m.records] == [(1, "日・テスト環境政策対話"), (2, "日本・テスト環境ウィーク")]


def test_japanese_prose_record_from_an_event_title() -> None:
    text = "第3回日本・テスト環境政策対話の結果について\n\n令和5年2月9日、第3回日本・テスト環境政策対話が東京で開催されました。\n"
    m = read_document(text_doc(text, title="第3回日本・テスト環境政策対話の結果について"))
    (r,) = m.records
    assert (r.source, r.number, _date(r), r.place, r.series) == ("prose", 3, (2023, 2, 9), "東京", "日本・テスト環境政策対話")
    assert m.subject.name == "日本・テスト環境政策対話"


# --- helpers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "event"), [
    ("Results of the 7th Japan-Singapore Environmental Policy Dialogue",
     (7, "Japan-Singapore Environmental Policy Dialogue", (), None)),
    ("19th Tripartite Environment Ministers Meeting (TEMM) in Suwon, ROK",
     (19, "Tripartite Environment Ministers Meeting", ("TEMM",), "Suwon, ROK")),
    ("第2回日本・ベトナム環境ウィークの結果について", (2, "日本・ベトナム環境ウィーク", (), None)),
    ("第 10 回 日本・モンゴル環境政策対話の開催", (10, "日本・モンゴル環境政策対話", (), None)),
    ("ARF-12 Chair's Summary", (12, "ARF", ("ARF-12",), None)),  # a code and its number, hyphenated
])
def test_title_event(title: str, event: tuple) -> None:
    e = title_event(title)
    assert (e.number, e.series, e.aliases, e.place) == event


@pytest.mark.parametrize("title", ["Press Release", "日・モンゴル環境政策対話", "The 1st step", "国別・地域別協力",
                                   "COVID-19 measures at municipal waste facilities"])
def test_title_without_event(title: str) -> None:
    assert title_event(title) is None


@pytest.mark.parametrize(("a", "b", "same"), [
    ("日・ベトナム環境政策対話", "日本・ベトナム環境政策対話", True),
    ("日本・インドネシア共和国環境政策対話", "日本・インドネシア環境政策対話", True),
    ("日・ベトナム環境政策対話", "日本・モンゴル環境政策対話", False),
    ("日・ベトナム環境政策対話", "日本・ベトナム環境ウィーク", False),
    ("Japan-Singapore Environmental Policy Dialogue", "Japan–Singapore Environmental Policy Dialogue", True),
    ("Japan-Singapore Environmental Policy Dialogue", "Japan-Indonesia Environmental Policy Dialogue", False),
    ("日・シンガポール環境政策対話", "Japan-Singapore Environmental Policy Dialogue", True),  # the same parties and kind
    ("", "日・ベトナム環境政策対話", False),
])
def test_same_series(a: str, b: str, same: bool) -> None:
    assert same_series(a, b) is same


def test_record_json_round_trip() -> None:
    r = model(SINGAPORE_EN).records[0]
    assert Record.from_json(r.to_json()) == r
    ranged = Record("d:r000", "d", "S", 1, DateValue(2023, 11, 30, until=DateValue(2023, 12, 12)), "Dubai", None, 0, 5)
    assert Record.from_json(ranged.to_json()) == ranged


def test_a_row_with_an_empty_venue_has_no_place() -> None:
    text = "開催年\t開催地\t会議概要\n第1回 (2014年)\t\t意見交換を行った。\n第2回 (2015年)\t東京\t合意した。\n"
    m = read_document(text_doc(text))
    assert [(r.number, r.place, r.summary) for r in m.records] == [(1, None, "意見交換を行った。"), (2, "東京", "合意した。")]


def test_meetings_written_as_headed_sections_of_labelled_lines(tmp_path: Path) -> None:
    path = tmp_path / "forum.txt"
    path.write_text("""フリードニア湖沼フォーラム（FLF）

■第1回（FLF1）
日程：2015年 6月 2日～3日
開催地：ブルノ（フリードニア）
テーマ：湖沼の水質
議長：オスカー・ノヴァク 教授

■第2回（FLF2）
日程：2018年 9月 12日
開催地：オンライン開催
テーマ：流域管理
""", encoding="utf-8")
    model = read_document(load_document(path))
    assert "FLF" in model.subject.aliases
    rows = [(r.number, r.date.year if r.date else None, r.place, r.summary) for r in model.records]
    assert rows == [(1, 2015, "ブルノ(フリードニア)", "湖沼の水質"), (2, 2018, "オンライン開催", "流域管理")]
    first = model.records[0]
    assert any(f.name == "議長" and "ノヴァク" in f.value for f in first.fields)
    text = path.read_text(encoding="utf-8")
    assert all(normalize(text[f.start:f.end]) == f.value for f in first.fields)  # each field opens its own text


# --- layouts of real report tables, on invented series ----------------------------------------------

def test_a_row_listing_two_meetings_gives_two_records_with_their_own_values() -> None:
    text = ("開催実績\n\n"
            "年度　　開催地　　開催時期　　回　　主な議題\n"
            "令和元年度　札幌　令和元年9月　第1回　湿地保全の情報交換を行った。\n"
            "令和2年度　ロヴェナ、那覇　令和2年7月、令和3年1月　第2回、第3回　第2回は湿地の調査手法を、第3回は渡り鳥の保護区を主な議題とした。\n"
            "令和3年度　―　―　―　感染症の拡大により開催を見送った。\n"
            "令和4年度　ロヴェナ　令和4年10月　第4回　共同調査の計画に合意した。\n")
    m = read_document(text_doc(text, title="日本・ペルシア湿地保全対話"))
    assert _rows(m.records) == [
        (1, (2019, 9, None), "札幌", "日本・ペルシア湿地保全対話"),
        (2, (2020, 7, None), "ロヴェナ", "日本・ペルシア湿地保全対話"),
        (3, (2021, 1, None), "那覇", "日本・ペルシア湿地保全対話"),
        (4, (2022, 10, None), "ロヴェナ", "日本・ペルシア湿地保全対話"),
    ]  # the year whose number is a dash held no meeting
    third = m.records[2]
    assert third.summary.startswith("第2回は") and "第3回は渡り鳥" in third.summary


def test_a_report_table_keeps_its_rows_across_page_furniture_and_takes_its_series_from_the_heading() -> None:
    text = ("令和5年度\n湿地保全推進業務\n報告書\n\n"
            "３．日本・ペルシア湿地保全対話の経緯\n\n"
            "表3-1　対話の開催経緯\n"
            "回　開催日　開催地　日本側代表\n"
            "1　H30.6.5　札幌　水野 一郎（課長）\n"
            "2　R1.9.10～11　ロヴェナ　水野 一郎（同上）\n\n"
            "令和5年度 湿地保全推進業務 報告書\n"
            "－ 12 －\n\n"
            "令和5年度 湿地保全推進業務 報告書\n"
            "表3-1（続き）\n"
            "3　R3.2.3　那覇　山際 花子（室長）\n"
            "4　R4.10.20　ロヴェナ　山際 花子（同上）\n")
    m = read_document(text_doc(text, title="令和5年度 湿地保全推進業務 報告書"))
    rows = [r for r in m.records if r.number is not None]
    assert _rows(rows) == [
        (1, (2018, 6, 5), "札幌", "日本・ペルシア湿地保全対話"),
        (2, (2019, 9, 10), "ロヴェナ", "日本・ペルシア湿地保全対話"),
        (3, (2021, 2, 3), "那覇", "日本・ペルシア湿地保全対話"),
        (4, (2022, 10, 20), "ロヴェナ", "日本・ペルシア湿地保全対話"),
    ]
    assert not any(r.place and ("12" in r.place or "続き" in r.place) for r in m.records)


def test_a_pipe_table_keyed_by_its_host_column_is_read_with_code_numbers_and_countries() -> None:
    text = ("Past Forums\n\n"
            "| Host municipality | Country | Year | Forum | Participants |\n"
            "|---|---|---|---|---|\n"
            "| Vellmar City | Germany | 2011 | ARF-1 | about 40 |\n"
            "| (not held) | — | 2012 | — | — |\n"
            "| Ostrava City | Czechia | 2013 | ARF-2 | 75 |\n")
    m = read_document(text_doc(text, title="Forums | Alpine Rivers Forum of Towns (ARF)"))
    assert m.subject.name == "Alpine Rivers Forum of Towns (ARF)"
    assert _rows(m.records) == [
        (1, (2011, None, None), "Vellmar City (Germany)", "Alpine Rivers Forum of Towns (ARF)"),
        (2, (2013, None, None), "Ostrava City (Czechia)", "Alpine Rivers Forum of Towns (ARF)"),
    ]


def test_dated_lines_tagged_by_a_legend_belong_to_the_series_the_legend_names() -> None:
    text = ("　二つの事業を日付順に並べています（【協議】＝北海岸湿地保全協議会、【訪問】＝児童湿地訪問）。\n\n"
            "2018/06/12～13　【協議】第二回（ロヴェナ市）\n"
            "　本村が初めて出席しました。\n\n"
            "2018/08/01～03　【訪問】ロヴェナ市\n\n"
            "2019/06/18　【協議】第三回（南浜村）\n\n"
            "2026/06/09　【協議】第六回（ロヴェナ市）（予定）\n")
    m = read_document(text_doc(text, title="湿地をとおした交流｜南浜村"))
    assert [(r.series, r.number, _date(r), r.place, r.planned) for r in m.records] == [
        ("北海岸湿地保全協議会", 2, (2018, 6, 12), "ロヴェナ市", False),
        ("児童湿地訪問", None, (2018, 8, 1), "ロヴェナ市", False),
        ("北海岸湿地保全協議会", 3, (2019, 6, 18), "南浜村", False),
        ("北海岸湿地保全協議会", 6, (2026, 6, 9), "ロヴェナ市", True),
    ]
    assert m.records[0].summary == "本村が初めて出席しました。"


# --- pages cut off mid-sentence ----------------------------------------------------------------------

def _records_of(tmp_path: Path, text: str) -> list[Record]:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return list(read_document(load_document(path)).records)


def test_a_summary_cut_off_by_the_pages_end_keeps_only_its_finished_sentences(tmp_path: Path) -> None:
    rows = _records_of(tmp_path, "日・ペルー環境政策対話\n\n| 回 | 開催年月 | 開催地 | 概要 |\n|---|---|---|---|\n"
                       "| 第1回 | 2012年5月 | リマ | 廃棄物管理を優先分野とすることに合意しました。 |\n"
                       "| 第2回 | 2014年9月 | 東京 | 進捗を共有しました。また、大気汚染分野では早期警戒に関する情報共")
    last = rows[-1]
    assert (last.number, last.place, last.summary) == (2, "東京", "進捗を共有しました。")
    assert rows[0].summary == "廃棄物管理を優先分野とすることに合意しました。"


def test_a_summary_the_cut_leaves_no_sentence_of_is_none_but_the_row_stays(tmp_path: Path) -> None:
    rows = _records_of(tmp_path, "日・ペルー環境政策対話\n\n第1回　2012年5月　リマ　廃棄物管理を優先分野とすることに合意しました。\n"
                       "第2回　2014年9月　東京　海洋ごみ対策について意見交換を行いました。\n"
                       "第3回　2016年2月　カヤオ　最終処分場の改善計画の策定に")
    last = rows[-1]
    assert (last.number, last.date.year, last.place, last.summary) == (3, 2016, "カヤオ", None)


def test_a_cut_summary_with_no_finished_sentence_quotes_none_of_its_items(tmp_path: Path) -> None:
    # Items before the cut are what the row began to say, not what the meeting agreed.
    rows = _records_of(tmp_path, "日・ペルー環境政策対話\n\n| 回 | 開催年 | 開催地 | 概要 |\n|---|---|---|---|\n"
                       "| 第1回 | 2012年 | リマ | 廃棄物管理を優先分野とすることに合意しました。 |\n"
                       "| 第2回 | 2014年 | 東京 | 気候変動に対する適応計画、放射性物質モニタリングと")
    assert (rows[-1].number, rows[-1].place, rows[-1].summary) == (2, "東京", None)


def test_a_page_whose_cells_are_topics_ends_whole_on_one(tmp_path: Path) -> None:
    rows = _records_of(tmp_path, "日・ペルー環境政策対話\n\n| 回 | 開催年 | 開催地 | テーマ |\n|---|---|---|---|\n"
                       "| 第1回 | 2012年 | リマ | 廃棄物管理 |\n| 第2回 | 2014年 | 東京 | 流域管理\n")
    assert rows[-1].summary == "流域管理"


def test_a_meeting_to_be_hosted_or_expected_is_planned_not_held() -> None:
    # One list of a plan's words (ingest/data/tense.json), the answering side's as well.
    text = ("The 6th Japan-Zembia Environmental Policy Dialogue was held in Tokyo on May 12, 2025. "
            "The 7th Japan-Zembia Environmental Policy Dialogue will be hosted by Zembia in 2026.")
    m = read_document(text_doc(text, title="Japan-Zembia Environmental Policy Dialogue"))
    assert sorted((r.number, r.planned) for r in m.records) == [(6, False), (7, True)]


def test_a_row_of_a_key_and_a_known_place_keeps_the_place_as_its_venue() -> None:
    text = ("これまでの開催実績は以下のとおりです。\n　第1回　平成28年12月　東京\n　第2回　平成30年10月　ダッカ\n"
            "　第3回　令和2年11月　オンライン開催\n")
    m = read_document(text_doc(text, title="日・ゼンビア環境フォーラム"))
    assert [(r.number, r.place, r.summary) for r in m.records] == [
        (1, "東京", None), (2, "ダッカ", None), (3, "オンライン開催", None)]


def test_a_figure_in_a_row_is_no_venue() -> None:
    # A city's table of yearly budgets: "2,800万円" is what the year cost, not where anything was held.
    text = ("年度　事業費　事業内容\n"
            "令和4年度　2,800万円　ごみ組成調査・収集運搬の現状調査\n"
            "令和5年度　3,500万円　最終処分場のメタンガス回収の案件形成調査\n")
    m = read_document(text_doc(text, title="ゼンダ市との環境協力"))
    assert m.records and all(r.place is None for r in m.records)


# --- a report on one meeting of a series named with its acronym, with its past meetings as headings -----------

ACRONYM_REPORT = """第4回日・北欧環境閣僚会合（JNEM4）の開催結果について

　令和6年5月14日（火）から15日（水）まで、ノルウェー王国ベルゲンにおいて、第4回日・北欧環境閣僚会合（JNEM4）が開催されました。

これまでの開催実績

第1回（平成30年6月、東京）
議長：山辺一郎 環境大臣（当時）　参加国：5か国

第2回（令和2年9月、ヘルシンキ（フィンランド））
議長国：フィンランド　参加国：6か国

第3回（令和4年10月、レイキャビク（アイスランド））
議長国：アイスランド　参加国：6か国
"""


def test_a_report_titled_with_its_acronym_gives_its_meeting_and_past_meetings_with_countries_in_brackets() -> None:
    # Regression: "（JNEM4）" between the series and "の開催結果" hid the event (the whole title became the
    # series and no record of the 4th meeting was read), "において、…が開催" gave no place, and a heading whose
    # venue carries its country in brackets ("ヘルシンキ（フィンランド）") was no heading.
    title = "第4回日・北欧環境閣僚会合（JNEM4）の開催結果について｜報道発表資料"
    e = title_event(title)
    assert (e.number, e.series, e.aliases) == (4, "日・北欧環境閣僚会合", ("JNEM4",))
    m = read_document(text_doc(ACRONYM_REPORT, title=title))
    got = {r.number: (_date(r), r.place) for r in m.records}
    assert got == {4: ((2024, 5, 14), "ノルウェー王国ベルゲン"), 1: ((2018, 6, None), "東京"),
                   2: ((2020, 9, None), "ヘルシンキ(フィンランド)"), 3: ((2022, 10, None), "レイキャビク(アイスランド)")}


def test_an_english_report_of_a_meeting_spelt_out_and_coded_gives_its_date_and_whole_place() -> None:
    # Regression: "The Fourth … Meeting (JNEM4) was held in Bergen, Kingdom of Norway, on 14 and 15 May 2024"
    # gave the 4th meeting no date and no place: a spelt ordinal or a code was no mention of the meeting.
    text = ("Chair's Summary\n\nThe Fourth Japan–Nordic Environment Ministers' Meeting (JNEM4)\n\n"
            "1. The Fourth Japan–Nordic Environment Ministers' Meeting (JNEM4) was held in Bergen, Kingdom of Norway, "
            "on 14 and 15 May 2024. The meeting was chaired by the Minister of Climate and Environment of Norway.\n")
    m = read_document(text_doc(text, title="Chair's Summary of the Fourth Japan–Nordic Environment Ministers' Meeting (JNEM4)"))
    (r,) = [r for r in m.records if r.number == 4]
    assert (_date(r), r.place) == ((2024, 5, 14), "Bergen, Kingdom of Norway")
