"""rag.llm.render.faithful: a rendering of a Japanese passage is kept only when it says what the passage says —
its numbers, its dated months and its katakana names (invented passages; the renderings are the kinds of
slips a small model makes)."""

from __future__ import annotations

import pytest

from rag.llm.render import faithful

SOURCE = "白砂浦市とホルムガルド州の都市間連携のもと、2023年2月に脱炭素、水管理、廃棄物管理の3分野で知見共有を始めた。"


def test_a_faithful_rendering_is_kept():
    english = ("Under the city-to-city partnership between Shirasuna-ura and Holmgard Province, knowledge sharing in 3 "
               "fields (decarbonisation, water management and waste management) began in February 2023.")
    assert faithful(english, SOURCE)


@pytest.mark.parametrize("english", [
    # another month than the passage's
    "Under the city-to-city partnership between Shirasuna-ura and Holmgard Province, knowledge sharing in 3 fields "
    "(decarbonisation, water management and waste management) began in March 2023.",
    # a katakana name replaced by another name
    "Under the city-to-city partnership between Shirasuna-ura and the Valais region, knowledge sharing in 3 fields "
    "(decarbonisation, water management and waste management) began in February 2023.",
    # a number the passage does not state
    "Under the city-to-city partnership between Shirasuna-ura and Holmgard Province, knowledge sharing in 4 fields "
    "(decarbonisation, water management and waste management) began in February 2023.",
])
def test_a_rendering_that_says_otherwise_is_refused(english):
    assert not faithful(english, SOURCE)


def test_a_name_the_passage_does_not_hold_is_refused():
    # A kanji name rendered as another person's: "Okuma" is not how 小泉 is read.
    assert not faithful("Environment Minister Yoshimitsu Okuma", "小泉環境大臣")
    assert faithful("Environment Minister Koizumi", "小泉環境大臣")
    assert faithful("The mayors of Hamabishi and Sri Muara signed the memorandum in Tokyo.",
                    "浜菱市長とスリムアラ市長が東京で覚書に署名した。")
