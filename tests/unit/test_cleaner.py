"""normalize() and is_boilerplate_line()."""

from __future__ import annotations

import pytest

from ingest.cleaner import is_boilerplate_line, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("令和 5 年 12 月 6 日", "令和5年12月6日"),
        ("第 28 回", "第28回"),
        ("2050 年", "2050年"),
        ("COP26 において 2050 年までの", "COP26 において2050年までの"),
        ("午前 11 時 35 分～午後 0 時 5 分", "午前11時35分~午後0時5分"),
        ("約 117 万人", "約117万人"),
        ("Mr. Nguyen Cong Vinh", "Mr. Nguyen Cong Vinh"),
        ("COP28 ジャパン・パビリオン", "COP28 ジャパン・パビリオン"),
        ("ＪＣＭ（二国間クレジット制度）", "JCM(二国間クレジット制度)"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("  a \t\n  b\u3000c  ", "a b c"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent() -> None:
    text = "第 1 回\n（２０１４年）\nハノイ　二国間クレジット制度（ＪＣＭ）"
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize(
    "line",
    [
        "共通ナビゲーションを飛ばす",
        "TOP",
        "  top ",
        "photo",
        "Photo",
        "ページの先頭へ",
        "本文へ",
        "メニュー",
        "----",
        "----------------------------\t---",
        "",
        "   ",
        "\u3000",
        "・",
        "※",
        "＝＝＝",
        "|",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "第1回",
        "(2016年)",
        "東京 日本の協力プロジェクトの現状",
        "<堺市>",
        "1 覚書",
        "photo of the minister",
        "TOPIX",
        "鬼木政務官とホア副大臣",
        "2023年",
        "JCM",
    ],
)
def test_content_lines_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate_line(line)
