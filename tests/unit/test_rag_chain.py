"""The answer chain over a real index built with fake embeddings and a scripted LLM (fast)."""

from __future__ import annotations

import pytest

from rag.prompts import REWRITE_SYSTEM
from rag.service import Shiori
from rag.types import Answer
from tests.fakes import ScriptedChatModel

JCM_JA = "モンゴルとの対話でJCMが初めて取り上げられたのはいつ？"


def _service(settings, embeddings, reply="NOT FOUND", fail=False) -> tuple[Shiori, ScriptedChatModel]:
    llm = ScriptedChatModel(reply=reply, fail=fail, prompts=[])
    return Shiori(settings, embeddings=embeddings, llm=llm), llm


def _context(llm: ScriptedChatModel) -> str:
    return str(llm.prompts[-1][-1].content)


def test_first_intent_is_resolved_by_code_even_when_the_model_gets_the_year_wrong(fake_index, fake_embeddings):
    service, llm = _service(fake_index, fake_embeddings, reply="2018年です[1]。")
    a = service.answer(JCM_JA)
    assert a.intent == "first" and not a.abstained
    assert "2016" in a.text and "2018" not in a.text
    assert len(a.citations) == 1
    c = a.citations[0]
    assert c.label == "第10回 (2016年)" and "JCM" in c.text
    doc = service.document(c.doc_id)
    assert doc.text[c.start:c.end] == c.text  # the citation opens the exact original passage
    assert "2016" in _context(llm)  # the model was given the computed facts


def test_streaming_yields_tokens_before_the_final_answer(fake_index, fake_embeddings):
    service, _ = _service(fake_index, fake_embeddings, reply="第10回（2016年）です[1]。")
    items = list(service.stream(JCM_JA))
    assert isinstance(items[-1], Answer)
    assert items[0] and all(isinstance(i, str) for i in items[:-1]) and len(items) > 1


def test_meeting_the_documents_do_not_list_abstains_without_the_model(fake_index, fake_embeddings):
    service, llm = _service(fake_index, fake_embeddings, reply="It was held in Tokyo [1].")
    a = service.answer("What happened at the 16th Japan–Mongolia meeting?")
    assert a.abstained and "16" in a.text and "15" in a.text
    assert llm.prompts == []
    assert a.citations == []


def test_model_saying_not_found_abstains_with_closest_passages(fake_index, fake_embeddings):
    service, _ = _service(fake_index, fake_embeddings, reply="NOT FOUND")
    a = service.answer("第5回日本・ベトナム環境政策対話の開催地はどこですか？")
    assert a.abstained and a.citations == [] and a.retrieved


def test_unsupported_answer_abstains(fake_index, fake_embeddings):
    # Fake embeddings make similarity meaningless, so the unsupported claim is one code can refute: a date.
    service, _ = _service(fake_index, fake_embeddings, reply="The memorandum was signed in Osaka in 1999 [1].")
    a = service.answer("堺市とバリアブントウ省の覚書はどこで締結されましたか？")
    assert a.abstained
    assert [s.supported for s in a.sentences] == [False]


def test_llm_failure_still_returns_retrieved_passages(fake_index, fake_embeddings):
    service, _ = _service(fake_index, fake_embeddings, fail=True)
    a = service.answer("第5回日本・ベトナム環境政策対話の開催地はどこですか？")
    assert a.error and "LLM" in a.error
    assert a.retrieved and a.citations == []


def test_citation_numbers_point_only_at_passages_given(fake_index, fake_embeddings):
    service, llm = _service(fake_index, fake_embeddings, reply="第5回はハノイで開催された[1][9]。")
    a = service.answer("第5回日本・ベトナム環境政策対話の開催地はどこですか？")
    assert "[9]" not in a.text
    retrieved = {p.chunk_id for p in a.retrieved}
    assert all(c.chunk_id in retrieved for c in a.citations)
    assert sorted(c.n for c in a.citations) == list(range(1, len(a.citations) + 1))


def test_follow_up_is_rewritten_before_retrieval(fake_index, fake_embeddings):
    def reply(messages):
        if messages[0].content == REWRITE_SYSTEM:
            return "ベトナムとの対話でJCMが初めて取り上げられたのはいつ？"
        return "2014年です[1]。"

    service, _ = _service(fake_index, fake_embeddings, reply=reply)
    a = service.answer("ベトナムとは？", history=[(JCM_JA, "2016年です[1]。")])
    assert a.standalone_question and "ベトナム" in a.standalone_question
    assert a.citations and a.citations[0].label == "第1回 (2014年)"


@pytest.mark.parametrize("question", ["", "   \n\t "])
def test_empty_question(fake_index, fake_embeddings, question):
    service, llm = _service(fake_index, fake_embeddings)
    a = service.answer(question)
    assert a.abstained and llm.prompts == []


def test_claim_with_the_wrong_year_is_contradicted(fake_index, fake_embeddings):
    service, _ = _service(fake_index, fake_embeddings)
    v = service.check("モンゴルとの対話でJCMが初めて取り上げられたのは2012年だ")
    assert v.label == "contradicted"
    assert v.evidence and v.evidence[0].label == "第10回 (2016年)"
    ok = service.check("モンゴルとの対話でJCMが初めて取り上げられたのは2016年だ")
    assert ok.label == "supported"


def test_named_meeting_answer_with_an_invented_date_falls_back_to_the_record(fake_index, fake_embeddings):
    service, llm = _service(fake_index, fake_embeddings,
                            reply="The 4th dialogue was held in Tokyo on April 12, 2018 [1].")
    a = service.answer("Where and in which year was the 4th Japan–Vietnam Environmental Policy Dialogue held?")
    assert not a.abstained
    assert "2018" in a.text and "東京" in a.text and "April" not in a.text
    assert a.citations and a.citations[0].label == "第4回 (2018年)"
    assert all(s.supported for s in a.sentences)
    assert a.notices  # the user is told the answer was composed from the record
    assert "第4回 (2018年)" in _context(llm)  # the model was told which meeting [1] is


def test_named_meeting_model_saying_not_found_still_abstains(fake_index, fake_embeddings):
    service, _ = _service(fake_index, fake_embeddings, reply="NOT FOUND")
    a = service.answer("第3回日本・ベトナム環境政策対話の参加者数は何人でしたか？")
    assert a.abstained and a.citations == []


@pytest.mark.parametrize("reply", ["NOT FOUND", "There are 10 such meetings [1]."])
def test_count_is_made_by_code_and_cites_every_counted_row(fake_index, fake_embeddings, reply):
    service, _ = _service(fake_index, fake_embeddings, reply=reply)
    a = service.answer("In how many Japan–Mongolia dialogue meetings was the JCM discussed?")
    assert a.intent == "count" and not a.abstained
    assert "4 meetings" in a.text and "10 such" not in a.text
    assert a.notices  # composed from the records, and the user is told so
    assert [c.label for c in a.citations] == ["第10回 (2016年)", "第12回 (2018年)", "第13回 (2020年)",
                                              "第15回 (2023年)"]  # the rows that mention JCM, in date order
    assert all("JCM" in c.text for c in a.citations)
    assert all(s.supported for s in a.sentences)


@pytest.mark.parametrize("question", ["日本・タイ環境政策対話は何回開催されましたか？",
                                      "How many meetings of the Japan–Thailand dialogue were held?"])
def test_count_of_a_dialogue_the_documents_do_not_hold_is_not_made_up(fake_index, fake_embeddings, question):
    service, _ = _service(fake_index, fake_embeddings, reply="NOT FOUND")
    a = service.answer(question)
    assert a.abstained and a.citations == []


def test_count_is_of_the_named_dialogue_s_numbered_sessions_only(fake_index, fake_embeddings):
    # The Vietnam document's table also lists an environment week and a preparatory meeting.
    service, _ = _service(fake_index, fake_embeddings, reply="NOT FOUND")
    a = service.answer("日本・ベトナム環境政策対話は何回開催されましたか？")
    assert not a.abstained and "8件" in a.text
    assert [c.label for c in a.citations] == [f"第{n}回 ({y}年)" for n, y in
                                              [(1, 2014), (2, 2015), (3, 2016), (4, 2018), (5, 2019), (6, 2020),
                                               (7, 2021), (8, 2024)]]


def test_first_answer_may_repeat_how_many_meetings_code_found(fake_index, fake_embeddings):
    service, _ = _service(fake_index, fake_embeddings,
                          reply="JCMに触れた会合4件のうち、最も早いのは第10回 (2016年)です[1]。")
    a = service.answer(JCM_JA)
    assert not a.abstained and all(s.supported for s in a.sentences)
    assert "4件" in a.text and not a.notices


def test_a_count_stated_as_an_ordinal_is_not_the_count(fake_index, fake_embeddings):
    # "The 8th dialogue was held" is not "it was held 8 times", whatever row it cites.
    service, _ = _service(fake_index, fake_embeddings, reply="第8回日本・ベトナム環境政策対話を開催されました[1]。")
    a = service.answer("日本・ベトナム環境政策対話は何回開催されましたか？")
    assert "8件" in a.text and a.notices and len(a.citations) == 8
