"""A series page listing meetings one line each ("第1回（XYZ1）　date　place　labelled cells"), its side events, a
report of one meeting in English and a press release naming co-chairs side by side: read end to end by code (fake
embeddings, no model). Invented names throughout."""

from __future__ import annotations

import pytest

from tests.invented_corpus import page_service

SERIES = """日・バルト環境大臣会合（JBEM）
　日・バルト環境大臣会合（Japan-Baltic Environment Ministers' Meeting：JBEM）は、日本とバルト海沿岸諸国の環境大臣が海洋環境について意見交換を行う会合です。令和2年（2020年）に第1回会合がオンラインで開催されて以降、計3回開催されています。
■これまでの会合
第1回（JBEM1）　令和2年（2020年）5月　オンライン　議長国：ラトビア　参加：6か国
第2回（JBEM2）　令和4年（2022年）9月　札幌　議長：北川 一郎 環境大臣（当時）　参加：7か国
第3回（JBEM3）　令和6年（2024年）6月　リガ（ラトビア）　議長：ラトビア環境大臣　共同議長：森下 玲 環境大臣　参加：8か国
■関連行事
・第1回日・バルトクリーン海洋セミナー　タリン（エストニア）　令和5年（2023年）1月　参加：約50名
"""

REPORT = """Chair's Summary
The Third Japan-Baltic Environment Ministers' Meeting (JBEM3)
The Third Japan-Baltic Environment Ministers' Meeting (JBEM3) was held on 12 June 2024 in Riga, Latvia.
It was chaired by H.E. Ms. Liene Ozola, Minister of Environment of Latvia, and co-chaired by Ms. MORISHITA Rei, Minister of
the Environment of Japan.
"""

REPORT_META = '{"title": "Chair\'s Summary: The Third Japan-Baltic Environment Ministers\' Meeting (JBEM3)", "url": ""}'

PRESS = """第４回日・ノルウェー環境政策対話の結果について
　本日１４日（火）、オスロにおいて第４回日・ノルウェー環境政策対話を開催しました。
１．概要
（１）日時：令和７年１０月１４日（火）
（２）共同議長：
　日本側　　　　森田 恭平　環境省地球環境審議官
　ノルウェー側　イングリッド・ハーゲン　気候・環境省副大臣
（３）参加者：両国政府等から約４０名
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    return page_service(tmp_path_factory.mktemp("series"), {"jbem.txt": SERIES, "jbem3_report.txt": REPORT,
                                                           "jbem3_report.meta.json": REPORT_META,
                                                           "press.txt": PRESS})


def test_a_meeting_told_by_a_report_keeps_its_table_rows_values(service):
    # The report dates the 3rd meeting more precisely; the count of countries is only in its table row.
    a = service.answer("第3回の日・バルト環境大臣会合には何か国が参加した？")
    assert not a.abstained and "8か国" in a.text


def test_a_seminar_beside_a_ministers_meeting_is_none_of_its_meetings(service):
    a = service.answer("第2回の日・バルトクリーン海洋セミナーはいつ開かれた？")
    assert a.abstained and "2022" not in a.text.split("近い")[0]


@pytest.mark.parametrize("question, name, other", [
    ("第4回日・ノルウェー環境政策対話のノルウェー側の共同議長は誰？", "イングリッド・ハーゲン", "森田"),
    ("第4回日・ノルウェー環境政策対話の日本側の共同議長は誰？", "森田 恭平", "ハーゲン"),
])
def test_co_chairs_listed_one_per_line_under_their_label_each_with_their_side(service, question, name, other):
    a = service.answer(question)
    assert not a.abstained and name in a.text and other not in a.text


def test_the_co_chair_in_a_meetings_row_is_not_its_chair(service):
    # The row: "議長：ラトビア環境大臣　共同議長：森下 玲 環境大臣"; the report names the chair.
    a = service.answer("JBEM3の議長は誰だった？")
    assert not a.abstained and "Ozola" in a.text and "森下" not in a.text

