"""The answer chain with the real EmbeddingGemma and the real Qwen GGUF (slow)."""

from __future__ import annotations

import pytest

from rag.types import Answer

pytestmark = pytest.mark.slow

JCM_EN = "When did JCM first come up with Mongolia?"
JCM_JA = "モンゴルとの対話でJCMが初めて取り上げられたのはいつ？"


def _assert_citations_point_at_retrieved(a: Answer) -> None:
    retrieved = {p.chunk_id for p in a.retrieved}
    assert all(c.chunk_id in retrieved for c in a.citations)
    import re

    markers = {int(n) for n in re.findall(r"\[(\d+)\]", a.text)}
    assert markers <= {c.n for c in a.citations}


@pytest.mark.parametrize("question", [JCM_EN, JCM_JA])
def test_jcm_mongolia_answers_2016_citing_the_10th_meeting(real_service, question):
    a = real_service.answer(question)
    assert not a.abstained, a.text
    assert "2016" in a.text
    assert a.language == ("en" if question == JCM_EN else "ja")
    cited = [c for c in a.citations if c.label == "第10回 (2016年)"]
    assert cited, [c.label for c in a.citations]
    c = cited[0]
    assert "JCM" in c.text and "ウランバートル" in c.text
    doc = real_service.document(c.doc_id)
    assert doc.text[c.start:c.end] == c.text
    assert "JCM" in c.text[c.span_start:c.span_end]
    _assert_citations_point_at_retrieved(a)


def test_16th_mongolia_meeting_abstains(real_service):
    a = real_service.answer("What was discussed at the 16th Japan–Mongolia Environmental Policy Dialogue?")
    assert a.abstained and a.citations == []


def test_question_the_documents_cannot_answer_abstains(real_service):
    a = real_service.answer("Who is the mayor of Osaka?")
    assert a.abstained and a.citations == []


@pytest.mark.parametrize("question", [
    "Where was the memorandum between Sakai City and Ba Ria–Vung Tau signed?",
    "第5回日本・ベトナム環境政策対話はどこで開催されましたか？",
])
def test_fact_answers_cite_retrieved_passages(real_service, question):
    a = real_service.answer(question)
    _assert_citations_point_at_retrieved(a)
    assert a.abstained or a.citations


def test_stream_yields_tokens_before_the_answer(real_service):
    stream = real_service.stream("第5回日本・ベトナム環境政策対話はどこで開催されましたか？")
    pieces = list(stream)
    assert isinstance(stream.answer(), Answer)
    assert any(isinstance(i, str) and i for i in pieces)
    assert not any(isinstance(i, Answer) for i in pieces)


def test_claim_2012_is_not_supported_and_shows_the_2016_row(real_service):
    v = real_service.check("JCM was first discussed with Mongolia in 2012")
    assert v.label != "supported"
    assert v.label == "contradicted"
    assert any(c.label == "第10回 (2016年)" for c in v.evidence)


@pytest.mark.parametrize(("claim", "label", "span"), [
    ("JCM was first discussed with Mongolia in 2016.", "supported", "2016"),
    ("The 5th Japan–Vietnam Environmental Policy Dialogue was held in Tokyo.", "contradicted", "ハノイ"),
    ("堺市長はCOP28で基調講演を行った。", "not_found", None),
])
def test_one_claim_of_each_verdict_with_its_evidence_span(real_service, claim, label, span):
    v = real_service.check(claim)
    assert v.label == label, v.explanation
    if span is not None:
        assert v.evidence and all(c.text[c.span_start:c.span_end].strip() for c in v.evidence)
        assert any(span in c.text[c.span_start:c.span_end] for c in v.evidence)
        for c in v.evidence:
            assert real_service.document(c.doc_id).text[c.start:c.end] == c.text
