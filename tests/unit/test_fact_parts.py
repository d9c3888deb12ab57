"""rag.answer.facts.fact_parts: each asked part is answered from a bound value or sentence, and a part that
nothing binds is reported as unanswered, never dropped (invented pages)."""

from __future__ import annotations

from rag.answer.facts import fact_parts
from rag.find.evidence import Evidence
from tests.bound import ask, bound


class _Catalog:
    """What `display` asks of the catalog: a place as the asker reads it."""

    def place(self, place, language):
        return place


def test_a_what_part_nothing_states_is_unanswered_not_dropped():
    text = "大森一郎氏は2015年から2018年までホルムガルド州の水道局で勤務した。"
    q = ask("Where did Omori work before, and in what role?")
    assert q.types == ("where", "what")
    ev = Evidence(question=q, candidates=bound(q, text))
    statements, unanswered = fact_parts(ev, q, _Catalog(), list(q.types))
    assert unanswered == ["what"]


def test_the_sentence_for_one_part_comes_from_where_the_other_parts_values_do():
    # Another page's sentence shares more of the question's words; the place answered comes from the first page.
    q = ask("Where did Omori work before, and in what role?", "大森氏は以前どこで、どのような役割で勤務しましたか？")
    docs = {"a": "大森一郎氏は以前、ホルムガルド州の水道局で勤務した。",
            "b": "大森氏の役割は、以前から勤務先の特徴として、港湾の脱炭素を進めることにある。"}
    statements, _ = fact_parts(Evidence(question=q, candidates=bound(q, docs)), q, _Catalog(), list(q.types))
    assert statements and {c.doc_id for st in statements for c in st.cites} == {"a"}


def test_an_either_or_question_is_answered_only_by_naming_a_choice():
    from rag.answer.abstain import names_a_choice
    from rag.types import Statement

    mode = ask("Was the 3rd Zembla dialogue held in person or online?")
    assert mode.alternatives == ("held in person", "online")
    assert not names_a_choice(mode, [Statement("The 3rd meeting was held in Valdoria on 9 May 2023 [1].", [])])
    assert names_a_choice(mode, [Statement("It was held as a hybrid meeting (ハイブリッド) [1].", [])])
    place = ask("Was the memorandum signed in Valdoria or Zenda?")
    assert names_a_choice(place, [Statement("In Zenda (ゼンダ) [1].", [])])
    assert not names_a_choice(place, [Statement("On 9 May 2023 [1].", [])])
    assert names_a_choice(ask("Who chaired the meeting?"), [Statement("Anna Korvel [1].", [])])


def _scored(question: str, text: str, score: float, kind: str) -> tuple[list[str], list]:
    """The bound values of `kind` in `text`, and the statements fact_parts makes when every candidate scores `score`."""
    import dataclasses

    q = ask(question)
    cands = [dataclasses.replace(c, score=score) for c in bound(q, text)]
    bound_values = [c.value for c in cands if c.kind == kind and c.bound]
    return bound_values, fact_parts(Evidence(question=q, candidates=cands), q, _Catalog(), list(q.types))[0]


def test_a_weakly_found_value_whose_clause_holds_no_word_of_the_question_is_no_answer():
    # A meeting's date in a clause about something else than the dialogue asked of (a side event asked, a working
    # group's, is bound apart: test_binding).
    q, text = "循環経済の政策対話の初会合はいつ開かれた？", "第2回会合は2018年10月3日に東京で開かれ、海洋ごみ行動計画を採択した。"
    values, weak = _scored(q, text, 0.1, "date")
    assert values == ["2018年10月3日"] and weak == []
    assert _scored(q, text, 0.5, "date")[1]


def test_a_pages_contact_number_answers_though_its_line_holds_no_word_of_the_question():
    text = "ゼンダ市との覚書について\n\n本市は令和5年にゼンダ市と覚書を締結しました。\n\n問い合わせ先\n環境政策課\n電話：072-000-1234"
    values, statements = _scored("What phone number should I call with questions about the Zenda memorandum?", text,
                                 0.05, "phone")
    assert values == ["072-000-1234"]
    assert statements and "072-000-1234" in statements[0].text


def test_a_weakly_found_value_in_the_other_language_still_answers():
    # A Japanese asker, an English report: the clause cannot hold the question's own (Japanese) words.
    text = "The 6th Zembia Water Forum was chaired by Mr. OKADA Shinji, Director-General of the Water Bureau."
    values, statements = _scored("第6回ゼンビア水フォーラムで議長を務めたのは誰ですか。", text, 0.1, "person")
    assert values == ["OKADA Shinji"]
    assert statements and "OKADA" in statements[0].text
