"""Tables in scraped text: the seed and extra-corpus tables, and layouts the corpus does not have."""

from __future__ import annotations

import pytest

from ingest.tables import Table, find_tables
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
)


def _cells(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _short(table: Table, n: int = 12) -> list[list[str]]:
    """Cells with long values (summaries) cut to their first n characters."""
    return [[c.text if i < 2 else c.text[:n] for i, c in enumerate(row.cells)] for row in table.rows]


def _notes(table: Table) -> list[list[str]]:
    return [[n.text for n in row.notes] for row in table.rows]


def _assert_offsets(text: str, table: Table) -> None:
    """Every cell and note points at its own text (values are normalized, so compare without spaces)."""
    for row in table.rows:
        assert row.start <= row.cells[0].start and row.end >= max(c.end for c in (*row.cells, *row.notes))
        for cell in (*row.cells, *row.notes):
            raw = "".join(text[cell.start:cell.end].split()).replace("|", "")
            assert "".join(cell.text.split()).replace(";", "").replace("•", "") in raw.replace("•", "")


# --- the seeds --------------------------------------------------------------------------------------


def test_vietnam_block_table() -> None:
    text = doc(VIETNAM).text
    (table,) = find_tables(text)
    assert (table.layout, table.header) == ("block", ("開催年", "開催地", "会議概要"))
    assert [r[:2] for r in _cells(table)] == [
        ["第1回 (2014年)", "ハノイ"], ["第2回 (2015年)", "東京"], ["第3回 (2016年)", "ハノイ"],
        ["第4回 (2018年)", "東京"], ["第5回 (2019年)", "ハノイ"], ["第6回 (2020年)", "ウェブ開催"],
        ["第7回 (2021年)", "オンライン"], ["第2回 (2021年)", "オンライン"],
        ["2023年", "ハノイ(対面)とオンラインのハイブリッド方式"],
        ["第8回 (2024年)", "ハノイ(対面)とオンラインのハイブリッド方式"],
    ]
    assert all([c.header for c in row.cells] == ["開催年", "開催地", "会議概要"] for row in table.rows)
    # A summary that wraps over two sentence lines is one cell; photo captions and links are notes.
    seventh = table.rows[6]
    assert seventh.cells[2].text.endswith("行った。また、ベトナムによる2050年までのカーボンニュートラル目標の実現のため、"
                                          "チャン・ホン・ハー天然資源環境大臣及び山口環境大臣は、「日本国環境大臣及び"
                                          "ベトナム天然資源環境大臣間の2050年までのカーボンニュートラルに向けた気候変動に関する"
                                          "共同協力計画」に合意し、署名した。")
    assert [n.text[:12] for n in seventh.notes] == ["第7回日本・ベトナム環境", "日本国環境大臣とベトナム", "Joint Cooper"]
    assert _notes(table)[1] == ["鬼木政務官とホア副大臣", "発言する小林地球審議官", "共同議長の木野国際協力室長",
                                "共同議長のマイ・タン・ズン", "環境総局次長", "政策対話の様子", "参加者集合写真",
                                "第2回 日本・ベトナム環境政策対話の結果について"]
    _assert_offsets(text, table)


def test_mongolia_block_table_with_a_venue_on_two_lines() -> None:
    text = doc(MONGOLIA).text
    (table,) = find_tables(text)
    assert len(table.rows) == 15
    assert [r[0] for r in _cells(table)] == [f"第{n}回 ({y})" for n, y in zip(
        range(1, 16), ["2007年", "2007年", "2008年", "2009年", "2011年", "2011年", "2012年", "2013年", "2015年",
                       "2016年", "2017年", "2018年", "2020年", "2021年12月", "2023年"], strict=True)]
    sixth = table.rows[5]
    assert sixth.cells[1].text == "南ゴビ県ダランザドガド"
    assert text[sixth.cells[1].start:sixth.cells[1].end] == "南ゴビ県\nダランザドガド"
    assert sixth.cells[2].text.endswith("合意した。※本覚書については、2011年12月8日、気候変動枠組条約第17回締約国会議"
                                        "(COP17)期間中に南アフリカ・ダーバンで行われた二国間会談の際に、両大臣による署名が行われた。")
    assert _notes(table)[3] == []  # the 4th meeting has no link line
    _assert_offsets(text, table)


def test_press_release_has_no_table() -> None:
    # Enumerated labelled lines ("(1) 日 時 …") and dated sentences are fields and prose, not rows.
    assert find_tables(doc(SAKAI).text) == []


# --- the extra corpus -------------------------------------------------------------------------------


def test_indonesia_pipe_rows_with_the_row_header_on_its_own_line() -> None:
    text = doc(INDONESIA).text
    (table,) = find_tables(text)
    assert (table.layout, table.header) == ("pipe", ("開催年", "開催地", "会議概要"))
    assert _short(table) == [["第1回 (2014年)", "スラバヤ", "二国間関協力のレビューと"],
                             ["第2回 (2018年)", "ジャカルタ", "両国は、これまで協力につ"],
                             ["第3回 (2021年1月)", "オンライン", "小泉環境大臣、シティ・ヌ"]]
    assert _cells(table)[2][2] == "小泉環境大臣、シティ・ヌルバ"  # the page is cut off there
    assert _notes(table) == [["第1回 日本・インドネシア共和国環境政策対話の結果について"],
                             ["第2回日本・インドネシア環境政策対話の結果等について"], []]
    assert text[table.start:].startswith("開催年 | 開催地 | 会議概要 |")
    _assert_offsets(text, table)


def test_singapore_block_table() -> None:
    text = doc(SINGAPORE_JA).text
    (table,) = find_tables(text)
    assert (table.layout, table.header) == ("block", ("開催年", "開催地", "会議概要"))
    assert _short(table) == [["第1回 (2014年)", "シンガポール", "3R・固形廃棄物管理に加"],
                             ["第2回 (2015年)", "東京", "3Rと固形廃棄物管理、大"],
                             ["第3回 (2016年)", "シンガポール", "気候変動に対する適応計画"]]
    assert _notes(table) == [["シンガポール共和国国家環境庁との環境協力に関する同意書の署名について"],
                             ["第2回日本・シンガポール環境政策対話の結果について"], []]
    _assert_offsets(text, table)


def test_kitakyushu_fiscal_year_rows_with_bullets() -> None:
    text = doc(KITAKYUSHU).text
    (table,) = find_tables(text)
    assert (table.layout, table.header) == ("block", ("年度", "内容"))
    assert _cells(table) == [
        ["平成9年度 (1997年度)", "アジア環境協力都市会議を北九州市にて開催; "
                               "アジア環境協力都市ネットワーク(東南アジア4カ国6都市)設立⇒スラバヤ市も加盟"],
        ["平成12年度 (2000年度)", "廃棄物事業を開始【JICA草の根:~平成13年】; スラバヤ市からの研修生の受け入れ"],
        ["平成14年度 (2002年度)", "スラバヤ市廃棄物減量化・リサイクル促進に関する調査実施【国際協力銀行(JBIC)と共同:~平成15年】"],
        ["平成15年度 (2003年度)", "生ごみ堆肥化技術移転事業を実施【地球環境基金:~平成17年】; スラバヤ市からの研修生の受け入れ"],
        ["平成16年度 (2004年度"],  # cut off inside the key
    ]
    _assert_offsets(text, table)


@pytest.mark.parametrize("path", [SINGAPORE_EN, TEMM], ids=["singapore-en", "temm"])
def test_english_reports_have_no_table(path) -> None:
    # Dated headings and "10:00-16:00, February 9, 2023 (JST)" under "■ Date and time" are not rows.
    assert find_tables(doc(path).text) == []


# --- layouts the corpus does not have -------------------------------------------------------------

ENGLISH_NUMBERED = """Meetings of the dialogue

No. | Date | Venue | Summary
---|---|---|---
1 | 12 March 2019 | Tokyo | The two sides reviewed their cooperation on waste management.
2 | 5 June 2021 | Online | The two sides agreed on a joint plan on climate change.
"""


def test_english_table_numbered_by_a_no_column() -> None:
    (table,) = find_tables(ENGLISH_NUMBERED)
    assert (table.layout, table.header) == ("pipe", ("No.", "Date", "Venue", "Summary"))
    assert _cells(table) == [
        ["1", "12 March 2019", "Tokyo", "The two sides reviewed their cooperation on waste management."],
        ["2", "5 June 2021", "Online", "The two sides agreed on a joint plan on climate change."],
    ]
    assert [c.header for c in table.rows[0].cells] == ["No.", "Date", "Venue", "Summary"]


def test_markdown_table_with_outer_bars_and_a_number_column() -> None:
    text = ("| 回 | 開催日 | 開催地 | 概要 |\n|---|---|---|---|\n"
            "| 第1回 | 2014年3月5日 | ハノイ | 気候変動対策について意見交換を行った。 |\n"
            "| 第2回 | 2015年4月6日～7日 | 東京 | 廃棄物管理について合意した。 |\n")
    (table,) = find_tables(text)
    assert (table.layout, table.header) == ("pipe", ("回", "開催日", "開催地", "概要"))
    assert _cells(table) == [["第1回", "2014年3月5日", "ハノイ", "気候変動対策について意見交換を行った。"],
                             ["第2回", "2015年4月6日~7日", "東京", "廃棄物管理について合意した。"]]  # NFKC


def test_table_without_header() -> None:
    text = ("第1回 (2014年) | ハノイ | 気候変動対策について意見交換を行い、協力を確認した。\n"
            "第2回 (2015年) | 東京 | 廃棄物管理について意見交換を行い、協力の推進に合意した。\n")
    (table,) = find_tables(text)
    assert (table.layout, table.header) == ("pipe", None)
    assert _cells(table) == [["第1回 (2014年)", "ハノイ", "気候変動対策について意見交換を行い、協力を確認した。"],
                             ["第2回 (2015年)", "東京", "廃棄物管理について意見交換を行い、協力の推進に合意した。"]]
    assert all(c.header is None for row in table.rows for c in row.cells)


def test_english_ordinal_rows_without_header() -> None:
    text = ("1st | 2014 | Hanoi | Views were exchanged on climate change policy.\n"
            "2nd | 2015 | Tokyo | Both sides agreed to cooperate on waste management.\n")
    (table,) = find_tables(text)
    assert _cells(table) == [["1st", "2014", "Hanoi", "Views were exchanged on climate change policy."],
                             ["2nd", "2015", "Tokyo", "Both sides agreed to cooperate on waste management."]]


@pytest.mark.parametrize("prose", ["本対話は今後も毎年開催される予定である。両国は協力を続ける。",
                                   "## 今後の予定\n本対話は今後も毎年開催される予定である。",
                                   "The dialogue will continue every year."])
@pytest.mark.parametrize("layout", ["pipe", "block"])
def test_prose_after_a_table_is_not_swallowed_into_the_last_row(layout: str, prose: str) -> None:
    rows = ("開催年 | 開催地 | 会議概要\n第1回 (2014年) | ハノイ | 気候変動対策について意見交換を行った。\n"
            "第2回 (2015年) | 東京 | 廃棄物管理について合意した。\n") if layout == "pipe" else (
        "開催年 開催地 会議概要\n第1回\n(2014年)\nハノイ 気候変動対策について意見交換を行った。\n"
        "第2回\n(2015年)\n東京 廃棄物管理について合意した。\n")
    text = rows + "\n" + prose + "\n"
    (table,) = find_tables(text)
    assert table.layout == layout
    assert table.rows[-1].cells[-1].text == "廃棄物管理について合意した。"
    assert table.rows[-1].notes == ()
    assert table.end == text.index("合意した。") + len("合意した。")


def test_link_line_after_a_blank_line_stays_with_its_row() -> None:
    text = ("開催年 開催地 会議概要\n第1回\n(2014年)\nハノイ 意見交換を行った。\n\n第1回 テスト対話の結果について\n\n"
            "第2回\n(2015年)\n東京 合意した。\n")
    (table,) = find_tables(text)
    assert _notes(table) == [["第1回 テスト対話の結果について"], []]


def test_csv_table_with_a_quoted_comma() -> None:
    text = ("開催年,開催地,会議概要\n"
            '第1回 (2014年),ハノイ,"JCM, 廃棄物管理について意見交換を行った。"\n'
            "第2回 (2015年),東京,廃棄物管理について合意した。\n")
    (table,) = find_tables(text)
    assert (table.layout, table.header) == ("csv", ("開催年", "開催地", "会議概要"))
    assert _cells(table) == [["第1回 (2014年)", "ハノイ", "JCM, 廃棄物管理について意見交換を行った。"],
                             ["第2回 (2015年)", "東京", "廃棄物管理について合意した。"]]


def test_space_aligned_english_columns() -> None:
    text = ("Year  Venue  Summary\n2014  Hanoi  Views were exchanged on climate change.\n"
            "2015  Tokyo  Both sides agreed on waste management.\n")
    (table,) = find_tables(text)
    assert (table.layout, table.header) == ("spaces", ("Year", "Venue", "Summary"))
    assert _cells(table) == [["2014", "Hanoi", "Views were exchanged on climate change."],
                             ["2015", "Tokyo", "Both sides agreed on waste management."]]


def test_tab_separated_fiscal_years() -> None:
    text = "年度\t内容\n平成9年度\tアジア環境協力都市会議を開催\n平成12年度\t廃棄物事業を開始\n"
    (table,) = find_tables(text)
    assert (table.layout, table.header) == ("tab", ("年度", "内容"))
    assert _cells(table) == [["平成9年度", "アジア環境協力都市会議を開催"], ["平成12年度", "廃棄物事業を開始"]]


def test_full_width_digits_and_layout_spaces_in_keys() -> None:
    text = "開催年 開催地 会議概要\n第１回\n（２０１４年）\nハノイ 意見交換を行った。\n第 2 回\n(2015 年)\n東京 合意した。\n"
    (table,) = find_tables(text)
    assert [r[:2] for r in _cells(table)] == [["第1回 (2014年)", "ハノイ"], ["第2回 (2015年)", "東京"]]


def test_a_wrapped_last_cell_is_one_cell_and_links_after_it_are_notes() -> None:
    # Regression: in pipe rows every line after the last cell was a note, so a summary wrapped over two
    # sentence lines (as HTML paragraphs inside a cell are written) lost its second sentence to the notes.
    text = ("開催年 | 開催地 | 会議概要\n"
            "第6回 (2011年) | 南ゴビ県 | 意見交換を行った。\n覚書に署名した。\n第6回 結果について\n"
            "第7回 (2012年) | 東京 | 合意された。 |\n| | 続けて合意した。 |\n")
    (table,) = find_tables(text)
    assert _cells(table) == [["第6回 (2011年)", "南ゴビ県", "意見交換を行った。覚書に署名した。"],
                             ["第7回 (2012年)", "東京", "合意された。続けて合意した。"]]
    assert _notes(table) == [["第6回 結果について"], []]


def test_dated_sentences_are_not_a_table() -> None:
    text = ("2014年に覚書を締結した。\n2015年には東京で会合を開いた。\n"
            "On 9 February 2023, the dialogue was held in Tokyo.\n")
    assert find_tables(text) == []


def test_one_dated_line_is_not_a_table() -> None:
    assert find_tables("はじめに\n2023年 ハノイで会合\n以上です。\n") == []


@pytest.mark.parametrize("text", [
    "開催年 | 開催地 | 会議概要\n第1回 (2014年) |  | 意見交換を行った。\n第2回 (2015年) | 東京 | 合意した。\n",
    "| 開催年 | 開催地 | 会議概要 |\n|---|---|---|\n| 第1回 (2014年) |  | 意見交換を行った。 |\n"
    "| 第2回 (2015年) | 東京 | 合意した。 |\n",
    "開催年,開催地,会議概要\n第1回 (2014年),,意見交換を行った。\n第2回 (2015年),東京,合意した。\n",
    "開催年\t開催地\t会議概要\n第1回 (2014年)\t\t意見交換を行った。\n第2回 (2015年)\t東京\t合意した。\n",
], ids=["pipe", "markdown", "csv", "tabs"])
def test_an_empty_cell_keeps_its_column(text: str) -> None:
    # Regression: the empty venue cell right after the key was dropped, so the summary moved into the
    # venue column.
    (table,) = find_tables(text)
    assert [[(c.header, c.text) for c in row.cells] for row in table.rows] == [
        [("開催年", "第1回 (2014年)"), ("開催地", ""), ("会議概要", "意見交換を行った。")],
        [("開催年", "第2回 (2015年)"), ("開催地", "東京"), ("会議概要", "合意した。")]]


# --- layouts found on pages nobody tuned for (invented text) ---------------------------------------

ONE_CELL_PER_LINE = """| 回 | 開催時期 | 開催地 | 会議概要 |
|---|---|---|---|
| 第1回 |
| 平成29年 5 月 |
| ブルノ |
| 森林保全について意見交換を行った。 |
| 第1回日本・フリードニア対話の結果について |
| 第2回 |
| 令和元年11月 |
| ウェブ開催 |
| 海洋ごみ対策について議論した。 |
"""


def test_pipe_rows_with_one_cell_per_line_fill_the_columns_after_a_two_line_key() -> None:
    (table,) = find_tables(ONE_CELL_PER_LINE)
    assert [[c.header for c in r.cells] for r in table.rows] == [[ "回", "開催地", "会議概要"]] * 2
    assert _cells(table) == [["第1回平成29年5月", "ブルノ", "森林保全について意見交換を行った。"],
                             ["第2回令和元年11月", "ウェブ開催", "海洋ごみ対策について議論した。"]]
    assert _notes(table) == [["第1回日本・フリードニア対話の結果について"], []]


FULL_WIDTH_PIPES = """令和5年度の事業

No.｜相手都市｜令和5年度予算｜財源
1｜オストラバ市｜1,200万円｜市単独事業
2｜ブルノ市｜800万円｜国の補助
合計｜2件｜2,000万円｜

※ 予算は当初予算です。
"""


def test_full_width_pipes_a_header_naming_a_year_and_a_total_line() -> None:
    (table,) = find_tables(FULL_WIDTH_PIPES)
    assert table.header == ("No.", "相手都市", "令和5年度予算", "財源")
    assert _cells(table) == [["1", "オストラバ市", "1,200万円", "市単独事業"], ["2", "ブルノ市", "800万円", "国の補助"],
                             ["合計", "2件", "2,000万円"]]
    assert [r.keyed for r in table.rows] == [True, True, False]  # the total is a row, not an event
    assert [c.header for c in table.rows[2].cells] == ["No.", "相手都市", "令和5年度予算"]


def test_a_date_line_before_the_ordinal_line_is_one_key() -> None:
    text = "開催年 開催地 会議概要\n2019年\n第1回\nブルノ 森林保全について議論した。\n2021年\n第2回\nオストラバ 海洋ごみについて議論した。\n"
    (table,) = find_tables(text)
    assert [r.cells[0].text for r in table.rows] == ["2019年第1回", "2021年第2回"]
    assert [r.cells[1].text for r in table.rows] == ["ブルノ", "オストラバ"]


TWO_TABLES = """研修員の受入れ（延べ人数）
年度　来日　オンライン
令和4年度　8名　－
令和5年度　10名　－
令和6年度　9名　18名
※来日研修の累計は延べ27名（令和7年3月31日現在）
事業費（単位：万円）
年度　環境省　市　合計
令和5年度　1,850　320　2,170
令和6年度　2,100　350　2,450
"""


def test_a_second_table_right_under_the_first_starts_with_its_own_header() -> None:
    # Regression: with no blank line between them, the budget table's caption and header were notes of the last
    # trainee row, and its rows were read under the trainee table's header ("来日", "オンライン").
    tables = find_tables(TWO_TABLES)
    assert [t.header for t in tables] == [("年度", "来日", "オンライン"), ("年度", "環境省", "市", "合計")]
    assert [len(t.rows) for t in tables] == [3, 2]
    last = tables[0].rows[-1]
    assert "事業費" not in TWO_TABLES[last.start:last.end] and "累計" in TWO_TABLES[last.start:last.end]


def test_a_meetings_code_in_brackets_after_its_ordinal_and_a_section_heading_under_the_rows() -> None:
    text = ("■これまでの会合\n"
            "第1回（NBEM1）　令和2年（2020年）5月　オンライン　議長国：ノルウェー　参加：6か国\n"
            "第2回（NBEM2）　令和4年（2022年）9月　札幌　議長：北川 一郎 環境大臣（当時）　参加：7か国\n"
            "■関連行事\n"
            "・第1回北欧・日本水素セミナー　オスロ（ノルウェー）　令和5年（2023年）1月　参加：約50名\n")
    (table,) = [t for t in find_tables(text) if len(t.rows) >= 2]
    assert [r.cells[0].text for r in table.rows] == ["第1回(NBEM1) 令和2年(2020年)5月", "第2回(NBEM2) 令和4年(2022年)9月"]
    assert table.rows[0].cells[1].text == "オンライン"
    assert not any("関連行事" in c.text for r in table.rows for c in r.cells)
