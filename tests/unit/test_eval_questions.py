"""The eval question set is well formed and every evidence quote is really in the corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.normalize import contains, normalize, satisfies
from evals.records import QUESTION_TYPES, QuestionItem, load_questions

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "evals" / "questions.jsonl"
CORPUS = {
    p.stem: normalize(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus").glob("[!_]*.txt"))
}
ITEMS = load_questions(QUESTIONS)
OTHER = {c for c in (i.corpus for i in ITEMS) if c}
DOCS = {None: CORPUS} | {
    c: {p.stem: normalize(p.read_text(encoding="utf-8")) for p in sorted((ROOT / c).glob("[!_]*.txt"))}
    for c in OTHER if (ROOT / c).is_dir()
}


def test_corpus_is_the_three_seed_documents():
    assert len(CORPUS) == 3


def test_at_least_60_unique_ids():
    ids = [i.id for i in ITEMS]
    assert len(ids) >= 60
    dupes = [k for k, v in Counter(ids).items() if v > 1]
    assert not dupes, dupes


def test_half_japanese_half_english():
    langs = Counter(i.lang for i in ITEMS)
    assert set(langs) == {"ja", "en"}
    assert abs(langs["ja"] - len(ITEMS) / 2) <= 2, langs


def test_types_and_unanswerable_count():
    types = Counter(i.type for i in ITEMS)
    assert set(types) == set(QUESTION_TYPES), types
    assert sum(1 for i in ITEMS if not i.answerable) >= 8
    for item in ITEMS:
        # The id prefix and the explicit type agree, so either can be used to group results.
        assert item.id.split("-", 1)[0] == item.type, item.id
        assert (item.type == "unanswerable") == (not item.answerable), item.id


def test_all_three_documents_are_covered():
    docs = {
        doc for item in ITEMS if item.corpus is None for q in item.evidence for doc, text in CORPUS.items()
        if normalize(q) in text
    }
    assert docs == set(CORPUS)


def test_other_real_documents_are_asked_about_on_their_own_index():
    other = [i for i in ITEMS if i.corpus]
    assert len(other) >= 8 and {i.lang for i in other} == {"ja", "en"}
    assert all(c in DOCS for c in OTHER), "the other corpus folder must be beside the project (../shared)"
    covered = {doc for i in other for q in i.evidence for doc, text in DOCS[i.corpus].items() if normalize(q) in text}
    assert len(covered) >= 4


@pytest.mark.parametrize("item", [i for i in ITEMS if i.answerable], ids=lambda i: i.id)
def test_answerable_question_is_well_formed(item: QuestionItem):
    assert item.must_include and all(item.must_include), "must_include needs non-empty groups"
    assert item.evidence, "an answerable question needs evidence"
    assert satisfies(item.answer, item.must_include), "the reference answer fails its own must_include"


@pytest.mark.parametrize("item", [i for i in ITEMS if not i.answerable], ids=lambda i: i.id)
def test_unanswerable_question_has_no_evidence(item: QuestionItem):
    assert not item.evidence and not item.must_include


@pytest.mark.parametrize(
    ("qid", "quote"), [(i.id, q) for i in ITEMS for q in i.evidence], ids=lambda v: str(v)[:40]
)
def test_evidence_quote_occurs_in_exactly_one_document(qid: str, quote: str):
    corpus = DOCS[next(i.corpus for i in ITEMS if i.id == qid)]
    n = normalize(quote)
    assert 10 <= len(n) <= 60, f"{qid}: quote length {len(n)}"
    docs = [doc for doc, text in corpus.items() if n in text]
    assert len(docs) == 1, f"{qid}: {quote!r} found in {docs}"
    assert corpus[docs[0]].count(n) <= 2, f"{qid}: {quote!r} is not specific enough"
    assert any(contains(text, quote) for text in corpus.values())


def test_jcm_mongolia_question_and_its_japanese_twin_are_present():
    en = next(i for i in ITEMS if i.question == "When did JCM first come up with Mongolia?")
    ja = [i for i in ITEMS if i.lang == "ja" and "JCM" in i.question and "モンゴル" in i.question]
    assert ja and satisfies("2016年の第10回会合", en.must_include)
    assert not satisfies("2018年の第12回会合", en.must_include)
