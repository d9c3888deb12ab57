"""ingest.names: the one place names are compared across scripts and languages."""

from __future__ import annotations

import pytest

from ingest import names


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Hanoi", "hanoi", True),  # case
    ("ＨＡＮＯＩ", "Hanoi", True),  # full-width letters
    ("ハノイ市", "ハノイ", True),  # contained
    ("ウランバートル", "ウランバトール", True),  # katakana spelt alike
    ("ハノイ", "ホーチミン", False),
    ("ハノイ", "Hanoi", True),  # across scripts, by sound
    ("堺", "Osaka", False),  # the gazetteer knows them as two cities
    ("Hanoi", "Tokyo", False),
    ("", "Hanoi", False),
])
def test_same_name(a: str, b: str, same: bool) -> None:
    assert names.same_name(a, b) is same
    assert names.same_name(b, a) is same


def test_same_place_contained_translated_or_heard() -> None:
    assert names.same_place("ハノイ市", "ハノイ")
    assert names.same_place("ウランバートル", "Ulaanbaatar", english="Ulaanbaatar")
    assert names.same_place("ウランバートル", "Ulaanbaatar")  # heard, without a stored translation
    assert not names.same_place("ハノイ", "Tokyo")
    assert not names.same_place(None, "Hanoi")
    assert not names.same_place("東", "東京")  # a record place of one letter inside the asked name does not count
    # The city as one part of a place written with its country, heard: "ブルノ" of "チェコ・ブルノ".
    assert names.same_place("チェコ・ブルノ", "Brno")
    assert names.same_place("オストラヴァ（チェコ）", "Ostrava")
    assert not names.same_place("チェコ・ブルノ", "Berlin")
    assert names.same_name("チェコ・ブルノ", "Brno")  # a claim's value compared the same way


@pytest.mark.parametrize(("a", "b", "same"), [
    ("日・ベトナム環境政策対話", "日本・ベトナム環境政策対話", True),
    ("日・ベトナム環境政策対話", "日本・モンゴル環境政策対話", False),
    ("日・シンガポール環境政策対話", "Japan-Singapore Environmental Policy Dialogue", True),  # same parties, same kind
    ("日・シンガポール環境政策対話", "Japan-Indonesia Environmental Policy Dialogue", False),  # other parties
    ("日本・ベトナム環境ウィーク", "Japan–Vietnam Environmental Policy Dialogue", False),  # another kind of event
])
def test_same_series(a: str, b: str, same: bool) -> None:
    assert names.same_series(a, b) is same


def test_heard_whole_or_within() -> None:
    assert names.heard("ハノイ", "Hanoi")
    assert names.heard("バリアブントウ省", "Vung Tau")  # inside a longer name
    assert not names.heard("バリアブントウ省", "Hanoi")


def test_mentions_by_value_head_translation_or_sound() -> None:
    assert names.mentions("It was held in Hanoi.", "hanoi")
    assert names.mentions("Signed by the city (Sakai).", "堺市（大阪府）", english="Sakai")
    assert names.mentions("堺市で署名された。", "堺市（大阪府）")  # the head before the bracket
    assert names.mentions("It was held in Hanoi.", "ハノイ")  # a Latin name that sounds like it
    assert not names.mentions("It was held in Tokyo.", "ハノイ")


def test_named_in_a_text() -> None:
    assert names.named_in("hanoi", "Meeting in HANOI")
    assert not names.named_in("Osaka", "堺市で署名された。")
    # A name of two Latin words the tagger reads as one ("Sri Muara" as "Muara") is still named.
    assert names.named_in("スリムアラ", "Hamabishi and Sri Muara signed their memorandum in Tokyo.")


def test_is_japanese() -> None:
    assert names.is_japanese("ハノイ") and names.is_japanese("堺") and not names.is_japanese("Hanoi")


@pytest.mark.parametrize(("adjective", "code"), [
    ("Ecuadorian", "EC"), ("Colombian", "CO"), ("Argentine", "AR"), ("Turkish", "TR"), ("Russian", "RU"),
    ("Ukrainian", "UA"), ("Taiwanese", "TW"), ("Nigerian", "NG"), ("Portuguese", "PT"), ("Bruneian", "BN"),
])
def test_a_countrys_adjective_names_it(adjective, code):
    assert names.country_code(adjective) == code


@pytest.mark.parametrize(("text", "codes"), [
    ("次の日墨政策対話はどこ？", {"JP", "MX"}),
    ("日加墨三か国環境大臣会合", {"JP", "CA", "MX"}),
    ("日英・日独の対話", {"JP", "GB", "DE"}),
    ("加藤課長が参加し、英語で説明した。", set()),  # a letter inside a word names no country
])
def test_one_letter_short_forms_of_countries_joined_as_parties(text, codes):
    assert names.countries_in(text) == codes


def test_a_translated_name_naming_other_countries_is_not_kept():
    from ingest.translation import acceptable

    assert not acceptable("Japan-Chile Environmental Policy Dialogue", "日・米国環境政策ダイアログ", "ja")
    assert not acceptable("日・チリ環境政策対話", "Japan-US Environmental Policy Dialogue", "en")


def test_a_country_with_accents_is_found_however_typed() -> None:
    # Written with its accents inside a series name, or typed without them.
    from ingest.names import countries_in, country_code

    assert country_code("Curacao") == country_code("Curaçao") == "CW"
    assert countries_in("the Japan–Curaçao Environmental Policy Dialogue") == {"JP", "CW"}

