"""Support by code: numbers and dates compared as such, words, made-up names (used to check the model's
sentences about text and to score the baseline the same way)."""

from __future__ import annotations

from ingest.tokenizer import tokenize
from rag.check.support import (
    SUPPORTED,
    SupportScorer,
    invented_forms,
    numbers,
    split_sentences,
    strip_markers,
)
from rag.types import Passage


def _p(n: int, text: str, **kw) -> Passage:
    return Passage(chunk_id=f"d:{n}", doc_id="d", title="日・モンゴル環境政策対話", text=text, start=100 * n,
                   end=100 * n + len(text), index_text=text, **kw)


ROW10 = _p(1, "第10回\n(2016年)\nウランバートル 気候変動(適応)、二国間クレジット制度(JCM)、水銀管理の各分野について共有した。",
           kind="row", meeting_number=10, year=2016, venue="ウランバートル")
SAKAI = _p(3, "締結式 日時 令和 5 年 12 月 6 日（水）午前 11 時 35 分")
COP = _p(4, "※COP28 の会期は令和 5 年 11 月 30 日（木）～12 月 12 日（火）")
POP = _p(5, "人口、地勢：約 117 万人。ベトナムの東南部（ホーチミン市近郊）に位置する東海の玄関口。")
SCORER = SupportScorer(embeddings=None, has_token=lambda t: True)


def _supported(sentence: str, passage: Passage, scorer: SupportScorer = SCORER) -> bool:
    return scorer.scores(sentence, [passage])[0] >= SUPPORTED


def test_markers_and_sentences() -> None:
    assert strip_markers("It was 2016 [1].") == "It was 2016."
    assert split_sentences("2016年です。[1]次は2018年です[2]。") == ["2016年です[1]。", "次は2018年です[2]。"]


def test_numbers_normalize_width_separators_and_era() -> None:
    assert {"2016", "10"} <= numbers("第１０回（２０１６年）")
    assert "1990" in numbers("約 1,990 km²")
    assert "2023" in numbers("令和 5 年 12 月 6 日")


def test_dates_and_magnitudes_are_compared_as_such() -> None:
    assert "m12d6" in numbers("令和 5 年 12 月 6 日") and "m12d6" in numbers("on 6 December 2023")
    assert "m11d30" in numbers("November 30th") and "m11d30" in numbers("11月30日")
    assert "1170000" in numbers("約117万人") and "1170000" in numbers("about 1.17 million people")
    assert "117000000" in numbers("117 million people")


def test_era_date_supports_ad_year_and_a_wrong_year_does_not() -> None:
    assert _supported("The memorandum was signed on 6 December 2023 [1].", SAKAI)
    assert not _supported("The memorandum was signed on 6 December 2019 [1].", SAKAI)


def test_wrong_day_is_not_supported_even_when_its_number_appears_elsewhere() -> None:
    assert not _supported("The COP28 session ran from 5 November to 12 December 2023.", COP)
    assert _supported("The COP28 session ran from 30 November to 12 December 2023.", COP)


def test_wrong_magnitude_is_not_supported() -> None:
    assert not _supported("The population is about 117 million.", POP)
    assert _supported("The population is about 1.17 million.", POP)


def test_a_misspelt_name_is_not_supported() -> None:
    vocab = set(tokenize(ROW10.index_text))
    scorer = SupportScorer(embeddings=None, has_token=vocab.__contains__)
    assert _supported("第10回はウランバートルで開催された。", ROW10, scorer)
    assert invented_forms("第10回はウランバーレンで開催された", vocab.__contains__, [ROW10]) == ["ウランバーレン"]
    assert not _supported("第10回はウランバーレンで開催された。", ROW10, scorer)
    # A simplified-Chinese form of a Japanese word (环 for 環) is not the passage's word either.
    assert invented_forms("二国间环境", vocab.__contains__, [ROW10]) == ["间", "环"]
