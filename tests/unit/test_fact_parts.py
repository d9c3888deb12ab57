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
