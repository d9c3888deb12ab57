"""rag.answer.quantities: a count or amount composed from a Japanese passage is said in English to an English
asker, its number kept exact (invented values)."""

from __future__ import annotations

import pytest

from rag.answer.facts import fact_parts
from rag.answer.quantities import quantity_en
from rag.find.evidence import Evidence
from tests.bound import ask, bound


@pytest.mark.parametrize(("value", "counted", "english"), [
    ("約70人", None, "about 70 people"),
    ("15人程度", None, "about 15 people"),
    ("1人", None, "1 person"),
    ("12か国以上", None, "12 countries or more"),
    ("３都市", None, "3 cities"),
    ("8件", "projects", "8 projects"),
    ("8件", None, "8 cases"),
    ("1,800万円", None, "18 million yen (1,800万円)"),
    ("1億8,000万円", None, "180 million yen (1億8,000万円)"),
    ("約1.5万人", None, "about 15,000 people (約1.5万人)"),
    ("3年間", None, "3 years"),
    ("約 210 億円", None, "about 21 billion yen (約 210 億円)"),
    ("210\n億円", None, "21 billion yen (210 億円)"),
    ("4人（ヴァルドリア市 2人、環境省 2人）", None, "4 people (ヴァルドリア市 2, 環境省 2)"),
    ("8億5,000万テンゲ", None, "850 million tenge (8億5,000万テンゲ)"),  # any currency of the vocabulary, not only 円/ドル
    ("5,000万米ドル", None, "50 million US dollars (5,000万米ドル)"),
])
def test_a_japanese_quantity_is_said_in_english(value, counted, english):
    assert quantity_en(value, counted) == english


@pytest.mark.parametrize("value", ["2050年", "30%", "第3回", "ヴァルドリア"])
def test_what_is_no_counted_quantity_stands_as_written(value):
    assert quantity_en(value) == value


class _Catalog:
    def place(self, place, language):
        return place


def test_an_english_count_answer_over_a_japanese_page_is_in_english():
    text = "2024年5月、ヴァルドリア市で水管理研修を開催し、同市の職員約70人が参加した。"
    q = ask("How many people took part in the water management training?", "水管理研修には何人が参加しましたか？")
    statements, _ = fact_parts(Evidence(question=q, candidates=bound(q, text)), q, _Catalog(), list(q.types))
    assert statements and "about 70 people" in statements[0].text, [s.text for s in statements]
    assert "人" not in statements[0].text
