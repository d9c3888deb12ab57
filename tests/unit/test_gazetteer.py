"""Where places are: a city's country and countries by English and Japanese names (GeoNames, ISO 3166)."""

from __future__ import annotations

import pytest

from ingest.gazetteer import countries_of, country, english_name, same_place, within


@pytest.mark.parametrize(("name", "code"), [
    ("Mongolia", "MN"), ("モンゴル", "MN"), ("モンゴル国", "MN"), ("Viet Nam", "VN"), ("Vietnam", "VN"),
    ("ベトナム", "VN"), ("Republic of Korea", "KR"), ("韓国", "KR"), ("大韓民国", "KR"), ("Japan", "JP"),
])
def test_countries_by_english_and_japanese_names(name, code):
    assert country(name) == code


@pytest.mark.parametrize(("place", "region", "expected"), [
    ("ウランバートル", "Mongolia", True),
    ("Ulan Bator", "モンゴル", True),
    ("Tokyo", "Singapore", False),
    ("東京", "シンガポール", False),
    ("堺市", "日本", True),  # a city suffix is read off
    ("南ゴビ県ダランザドガド", "モンゴル", True),  # a province then its town
    ("Suwon", "Republic of Korea", True),
    ("オンライン", "日本", None),  # no place at all: unknown, never a contradiction
    ("Ostrava", "Ostrava", None),  # a city is no region to lie in
])
def test_within(place, region, expected):
    assert within(place, region) is expected


def test_unknown_place_has_no_country():
    assert countries_of("ウェブ会議") == frozenset()


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("東京", "Tokyo", True), ("モンゴル", "Mongolia", True), ("シンガポール", "Singapore", True),
    ("堺", "Osaka", False), ("ベトナム", "Hanoi", False), ("Tokyo", "Kyoto", False),
    ("バリアブントウ省", "Ba Ria-Vung Tau", None),  # a province the city list does not hold: unknown
])
def test_same_place_across_scripts(a, b, expected):
    assert same_place(a, b) is expected


@pytest.mark.parametrize(("place", "english"), [
    ("ハノイ", "Hanoi"), ("東京", "Tokyo"), ("モンゴル", "Mongolia"), ("ジャカルタ", "Jakarta"),
    ("ウェブ開催", None), ("オンライン", None),  # no place: nothing to translate
])
def test_english_name_of_a_place_written_in_japanese(place, english):
    assert english_name(place) == english
