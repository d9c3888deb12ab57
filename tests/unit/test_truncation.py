"""ingest.truncation: where a page cut off mid-sentence starts its unfinished sentence."""

from __future__ import annotations

import pytest

from ingest.truncation import cut_start


@pytest.mark.parametrize("text", [
    "第1回 | 2016年3月 | リマ | 協力分野に合意しました。 |",
    "協力分野に合意しました。\n",
    "The two sides agreed to meet again in 2026.",
    "「覚書を更新する」としました。」",
    "",
    "| 第2回 | 2017年 | 東京 | 意見交換 |",
])
def test_a_page_that_ends_whole_has_no_cut(text: str) -> None:
    assert cut_start(text) is None


@pytest.mark.parametrize(("text", "unfinished"), [
    ("第4回 | 2020年12月 | オンライン | 進捗を共有しました。また、大気汚染分野では早期警戒に関する情報共",
     "また、大気汚染分野では早期警戒に関する情報共"),
    ("見出し\n第5回　2023年2月　カヤオ　最終処分場の改善計画の策定に", "第5回　2023年2月　カヤオ　最終処分場の改善計画の策定に"),
    ("They agreed on a plan. The 8th meeting will be held in Japan in the se", "The 8th meeting will be held in Japan in the se"),
])
def test_the_unfinished_sentence_of_a_cut_page(text: str, unfinished: str) -> None:
    start = cut_start(text)
    assert start is not None and text[start:] == unfinished


@pytest.mark.parametrize("text", [
    "開催実績\n第8回日本・ベトナム環境政策対話の結果について",  # a link line ends a page whole
    "Results of the 7th Japan-Singapore Environmental Policy Dialogue",
    "問い合わせ先\n電話：072-228-3982\n----------------------------\t---",
])
def test_a_page_ending_on_a_title_or_a_rule_is_not_cut(text: str) -> None:
    assert cut_start(text) is None
