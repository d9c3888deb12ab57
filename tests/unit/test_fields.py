"""Labelled values in prose: "(1) 日 時 …", "面積：…", "■ Venue" + the lines under it — exact labels,
values and offsets, from the seed press release, an extra-corpus report and invented lines."""

from __future__ import annotations

import pytest

from ingest.fields import find_fields, label_key, label_role
from tests.documents import SAKAI, SINGAPORE_EN, TEMM, VIETNAM, doc


def _fields(text: str) -> list[tuple[str, str, str]]:
    out = []
    for f in find_fields(text):
        assert text[f.start:f.end] == f.value  # the value's offsets
        out.append((f.label, f.role, f.value))
    return out


def test_press_release_fields() -> None:
    fields = _fields(doc(SAKAI).text)
    assert [(label, role) for label, role, _ in fields] == [
        ("名称", "name"), ("趣旨", "summary"), ("日時", "date"), ("次第", "summary"), ("出席者", "person"),
        ("日時", "date"), ("会場", "place"), ("主催", "org"), ("共催", "org"),
        ("言語", "other"),  # a label spelt out letter by letter is a label whatever it names
        ("人口、地勢", "quantity"),
        ("面積", "quantity"), ("特徴", "other"), ("担当課", "other"), ("電話", "phone"), ("ファックス", "phone")]
    values = {label: value for label, _, value in fields}
    assert values["名称"] == "ベトナム社会主義共和国バリアブントウ省人民委員会と日本国堺市との覚書"
    # An enumerated item's value runs over the lines below it, up to the next item.
    assert fields[2][2] == ("令和 5 年 12 月 6 日（水）午前 11 時 35 分～午後 0 時 5 分（現地時間）\n"
                            "午後 4 時 35 分～午後 5 時 5 分（日本時間）")
    assert values["会場"] == "ドバイ（アラブ首長国連邦）\n\nCOP28（国連気候変動枠組条約第 28 回締約国会議）会場内 ジャパン・パビリオン"
    assert values["主催"] == "環境省"
    assert values["言語"] == "日英同時通訳"
    assert values["面積"] == "約 1,990 km²"
    assert (values["電話"], values["ファックス"]) == ("072-228-3982", "072-228-7063")
    assert values["出席者"].startswith("<バリアブントウ省人民委員会>\n\nMr. Nguyen Cong Vinh")
    assert values["出席者"].endswith("松澤 裕\n\n環境省地球環境審議官")


def test_spaced_label_offsets() -> None:
    text = doc(SAKAI).text
    f = next(f for f in find_fields(text) if f.label == "会場")
    assert text[f.label_start:f.start] == "会 場 "


def test_english_report_marker_sections() -> None:
    fields = _fields(doc(SINGAPORE_EN).text)
    assert [(label, role) for label, role, _ in fields] == [
        ("Background", "other"), ("Date and time of dialogue", "date"), ("Venue", "place"),
        ("Primary attendees", "person"), ("Main discussion", "summary")]
    assert fields[1][2] == "10:00-16:00, February 9, 2023 (JST)"
    assert fields[2][2] == "Ministry of the Environment, Japan (a hybrid of in-person and online meetings)"
    assert fields[3][2].split("\n")[:2] == [
        "(Singapore)", "Mr. Stanley LOH, Permanent Secretary, Ministry of Sustainability and the Environment"]
    assert fields[3][2].endswith("Junko Nishikawa, Director for Sustainable Infrastructure")


@pytest.mark.parametrize("path", [TEMM, VIETNAM], ids=["temm", "vietnam"])
def test_pages_without_labels(path) -> None:
    # Times ("10:00"), photo captions and table rows are no labelled values.
    assert find_fields(doc(path).text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("(1) 日 時 令和5年12月6日（水）\n(2) 会 場 ドバイ", [("日時", "date", "令和5年12月6日（水）"), ("会場", "place", "ドバイ")]),
    ("会場：東京都千代田区\u3000主催：環境省", [("会場", "place", "東京都千代田区"), ("主催", "org", "環境省")]),
    ("■ Venue\n\nTokyo\n\n■ Date\n\nFebruary 9, 2023", [("Venue", "place", "Tokyo"),
                                                       ("Date", "date", "February 9, 2023")]),
    # Regression: the separator before the next label was part of the value ("Tokyo;").
    ("Venue: Tokyo; Date: 9 February 2023", [("Venue", "place", "Tokyo"), ("Date", "date", "9 February 2023")]),
    ("1. 開催日 2023年2月9日", [("開催日", "date", "2023年2月9日")]),
    ("主 催 環境省", [("主催", "org", "環境省")]),
    # A label spelt out letter by letter is a label whatever it names ("セミナーの言語は?" asks for it).
    ("言 語 日英同時通訳", [("言語", "other", "日英同時通訳")]),
    ("面積：約 1,990 km²", [("面積", "quantity", "約 1,990 km²")]),
])
def test_invented_lines(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _fields(text) == expected


@pytest.mark.parametrize("text", [
    "10:00-16:00, February 9, 2023",
    "(注：本覚書は2011年に署名)",  # a colon inside brackets
])
def test_not_fields(text: str) -> None:
    assert find_fields(text) == []


def test_url_is_not_split_at_its_scheme() -> None:
    assert _fields("URL: <http://copjapan.env.go.jp/cop/cop28/>") == [
        ("URL", "other", "<http://copjapan.env.go.jp/cop/cop28/>")]


@pytest.mark.parametrize(("label", "role"), [
    ("開催地", "place"), ("開催年", "date"), ("会議概要", "summary"), ("年度", "date"), ("内容", "summary"),
    ("開催地・会場", "place"), ("日 時", "date"), ("会 場", "place"), ("回", "number"), ("No.", "number"),
    ("Date and time of dialogue", "date"), ("Primary attendees", "person"), ("Venue", "place"),
    ("Summary", "summary"), ("ＤＡＴＥ", "date"), ("foo", "other"), ("", "other"),
])
def test_label_role(label: str, role: str) -> None:
    assert label_role(label) == role


def test_label_key() -> None:
    assert label_key(" 日 時 ") == "日時" and label_key("Date and Time") == "dateandtime"
