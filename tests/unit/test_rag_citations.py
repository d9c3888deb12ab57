"""Citation verification by code: invalid markers, support, attachment, flags, spans, renumbering."""

from __future__ import annotations

from ingest.tokenizer import tokenize
from rag.citations import (
    SupportScorer,
    cited_numbers,
    invented_forms,
    numbers,
    split_sentences,
    strip_markers,
    supporting_span,
    verify,
)
from rag.types import Passage


def _p(n: int, text: str, **kw) -> Passage:
    return Passage(chunk_id=f"d:{n}", doc_id="d", title="日・モンゴル環境政策対話", text=text, start=100 * n,
                   end=100 * n + len(text), index_text=text, **kw)


ROW10 = _p(1, "第10回\n(2016年)\nウランバートル 気候変動(適応)、二国間クレジット制度(JCM)、水銀管理の各分野について共有した。",
           kind="row", meeting_number=10, year=2016, venue="ウランバートル")
ROW12 = _p(2, "第12回\n(2018年)\nウランバートル 「黄砂」について議論が行われたほか、JCMに関する協力の方向性を確認した。",
           kind="row", meeting_number=12, year=2018, venue="ウランバートル")
SAKAI = _p(3, "締結式 日時 令和 5 年 12 月 6 日（水）午前 11 時 35 分")
SCORER = SupportScorer(embeddings=None, has_token=lambda t: True)


def test_markers_and_sentences() -> None:
    assert cited_numbers("It was 2016 [1][3], see 【2】 and [1, 4].") == [1, 3, 2, 4]
    assert strip_markers("It was 2016 [1].") == "It was 2016."
    assert split_sentences("2016年です。[1]次は2018年です[2]。") == ["2016年です[1]。", "次は2018年です[2]。"]


def test_numbers_normalize_width_separators_and_era() -> None:
    assert {"2016", "10"} <= numbers("第１０回（２０１６年）")
    assert "1990" in numbers("約 1,990 km²")
    assert "2023" in numbers("令和 5 年 12 月 6 日")


def test_marker_to_nowhere_is_removed_and_numbers_renumbered() -> None:
    v = verify("JCM was discussed in 2016 [7]. It came up again in 2018 [2].", [ROW10, ROW12], SCORER)
    assert "[7]" not in v.text
    # [7] pointed nowhere: code attached the passage that states 2016, then renumbered in order of use.
    assert v.sentences[0].repaired and v.sentences[0].supported
    assert [c.chunk_id for c in v.citations] == ["d:1", "d:2"]
    assert v.text == "JCM was discussed in 2016[1]. It came up again in 2018[2]."


def test_wrong_citation_is_not_support() -> None:
    v = verify("JCM first came up in 2018 [1].", [ROW10], SCORER)
    assert not v.sentences[0].supported
    assert v.citations == [] or all(c.chunk_id == "d:1" for c in v.citations)


def test_unsupported_sentence_is_flagged() -> None:
    v = verify("The mayor of Osaka is Taro Kono.", [ROW10, ROW12], SupportScorer(None, lambda t: False))
    assert [s.supported for s in v.sentences] == [False]
    assert v.citations == []


def test_era_date_supports_ad_year() -> None:
    v = verify("The memorandum was signed on 6 December 2023 [1].", [SAKAI], SCORER)
    assert v.sentences[0].supported


def test_every_citation_points_at_a_given_passage() -> None:
    v = verify("2016 [1]. 2018 [2]. 2016 [9].", [ROW10, ROW12], SCORER)
    given = {ROW10.chunk_id, ROW12.chunk_id}
    assert {c.chunk_id for c in v.citations} <= given
    assert sorted(c.n for c in v.citations) == list(range(1, len(v.citations) + 1))


def test_supporting_span_prefers_the_sentence_with_the_claim() -> None:
    start, end = supporting_span("JCM 2016", ROW10)
    assert "JCM" in ROW10.text[start:end]
    assert ROW10.text[start:end].strip() == ROW10.text[start:end]


def test_dates_and_magnitudes_are_compared_as_such() -> None:
    assert "m12d6" in numbers("令和 5 年 12 月 6 日") and "m12d6" in numbers("on 6 December 2023")
    assert "m11d30" in numbers("November 30th") and "m11d30" in numbers("11月30日")
    assert "1170000" in numbers("約117万人") and "1170000" in numbers("about 1.17 million people")
    assert "117000000" in numbers("117 million people")


COP = _p(4, "※COP28 の会期は令和 5 年 11 月 30 日（木）～12 月 12 日（火）")
POP = _p(5, "人口、地勢：約 117 万人。ベトナムの東南部（ホーチミン市近郊）に位置する東海の玄関口。")


def test_wrong_day_is_not_supported_even_when_its_number_appears_elsewhere() -> None:
    wrong = verify("The COP28 session ran from 5 November to 12 December 2023 [1].", [COP], SCORER)
    right = verify("The COP28 session ran from 30 November to 12 December 2023 [1].", [COP], SCORER)
    assert not wrong.sentences[0].supported
    assert right.sentences[0].supported


def test_wrong_magnitude_is_not_supported() -> None:
    assert not verify("The population is about 117 million [1].", [POP], SCORER).sentences[0].supported
    assert verify("The population is about 1.17 million [1].", [POP], SCORER).sentences[0].supported


def test_a_list_is_supported_by_its_citations_together() -> None:
    v = verify("JCM came up at the 10th (2016) and the 12th (2018) meetings [1][2].", [ROW10, ROW12], SCORER)
    assert v.sentences[0].supported and v.sentences[0].citations == [1, 2]
    # A year neither passage states breaks the joint support.
    bad = verify("JCM came up at the 10th (2016) and the 12th (2019) meetings [1][2].", [ROW10, ROW12], SCORER)
    assert not bad.sentences[0].supported


def test_a_count_is_supported_only_when_code_derived_it() -> None:
    claim = "JCM came up in 2 meetings of the dialogue [1][2]."
    counted = SupportScorer(embeddings=None, has_token=lambda t: True, derived_numbers=frozenset({"2"}))
    assert verify(claim, [ROW10, ROW12], counted).sentences[0].supported
    assert verify(claim, [ROW10, ROW12], counted).sentences[0].citations == [1, 2]
    assert not verify(claim, [ROW10, ROW12], SCORER).sentences[0].supported
    other = SupportScorer(embeddings=None, has_token=lambda t: True, derived_numbers=frozenset({"3"}))
    assert not verify(claim, [ROW10, ROW12], other).sentences[0].supported


def test_a_misspelt_name_is_not_supported() -> None:
    vocab = {t for p in (ROW10, ROW12) for t in tokenize(p.index_text)}
    scorer = SupportScorer(embeddings=None, has_token=vocab.__contains__)
    assert verify("第10回はウランバートルで開催された[1]。", [ROW10], scorer).sentences[0].supported
    assert invented_forms("第10回はウランバーレンで開催された", vocab.__contains__, [ROW10]) == ["ウランバーレン"]
    assert not verify("第10回はウランバーレンで開催された[1]。", [ROW10], scorer).sentences[0].supported
    # Nor when two citations would support the sentence together (a list).
    assert not verify("第10回と第12回はウランバーレンで開催された[1][2]。", [ROW10, ROW12], scorer).sentences[0].supported
    assert verify("第10回と第12回はウランバートルで開催された[1][2]。", [ROW10, ROW12], scorer).sentences[0].supported
    # A simplified-Chinese form of a Japanese word (环 for 環) is not the passage's word either.
    assert invented_forms("二国间环境", vocab.__contains__, [ROW10]) == ["间", "环"]


def test_stated_counts_tell_a_count_from_an_ordinal_or_a_date() -> None:
    from rag.citations import stated_counts

    assert stated_counts("会合は8件です", {"8"}) == {"8"}
    assert stated_counts("8回開催された", {"8"}) == {"8"}
    assert stated_counts("8 meetings", {"8"}) == {"8"}
    assert stated_counts("第8回が開催された", {"8"}) == set()
    assert stated_counts("the 8th meeting", {"8"}) == set()
    assert stated_counts("2008年8月", {"8"}) == set()
