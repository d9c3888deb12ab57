"""The context the model reads: numbering, budget shares and cutting passages to what bears on the question."""

from __future__ import annotations

from ingest.tokenizer import tokenize
from rag.context import build_context, focus
from rag.types import Passage

PROSE = ("堺市は2023年に覚書を締結した。締結式はドバイで行われた。"
         "出席者は市長と副市長であった。今後は廃棄物分野で協力する。")


def _p(n: int, text: str) -> Passage:
    return Passage(chunk_id=f"d:{n}", doc_id="d", title="堺市の覚書", text=text, start=0, end=len(text),
                   index_text=text)


def test_focus_keeps_the_sentence_with_the_question_terms_and_marks_the_cut() -> None:
    out = focus(PROSE, set(tokenize("締結式はどこで行われましたか")), 20)
    assert out == "… 締結式はドバイで行われた。 …"  # the cuts are shown to the model
    both = focus(PROSE, set(tokenize("締結式はどこで行われましたか")), 30)
    assert both == "堺市は2023年に覚書を締結した。締結式はドバイで行われた。 …"  # adjacent: joined as in the source


def test_focus_without_matching_terms_keeps_the_beginning_in_order() -> None:
    out = focus(PROSE, {"nothing"}, 40)
    assert out == "堺市は2023年に覚書を締結した。締結式はドバイで行われた。 …"


def test_short_body_is_untouched() -> None:
    assert focus("短い。", {"x"}, 100) == "短い。"


def test_first_passage_gets_the_larger_share_and_the_budget_holds() -> None:
    passages = [_p(i, PROSE * 3) for i in range(1, 5)]
    text, used = build_context(passages, 600, cut=True, question="締結式はどこで行われましたか")
    blocks = text.split("\n[")
    assert len(used) == 4 and text.startswith("[1] 堺市の覚書")
    assert len(text) <= 600 + 4 * 2  # budget (plus the separators)
    assert len(blocks[0]) > 1.5 * len(blocks[1])
    assert all("ドバイ" in b for b in blocks)  # every passage kept the sentence the question is about


def test_whole_passages_go_in_rank_order_while_they_fit() -> None:
    passages = [_p(i, PROSE) for i in range(1, 5)]
    text, used = build_context(passages, 2 * len(PROSE) + 60, question="締結式")
    assert [p.chunk_id for p in used] == ["d:1", "d:2"]
    assert text.count(PROSE) == 2  # not cut


def test_compact_gives_every_row_a_small_share() -> None:
    passages = [_p(i, PROSE) for i in range(1, 9)]
    text, used = build_context(passages, 8 * 70, compact=True, question="ドバイ")
    assert len(used) == 8 and text.count("ドバイ") == 8
