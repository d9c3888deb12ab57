"""rag.read.crosslingual: English question words rendered as the index's Japanese words (fake lexicon vectors),
and names heard across scripts (romaji ↔ katakana, no model)."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.lexicon import Lexicon
from rag.read.crosslingual import MIN_SIMILARITY, CrossLingual, content_phrases

# Five Japanese index words on the first five axes; the sixth axis is "unrelated to all of them".
TERMS = ["森林", "騒音", "廃棄物", "大気", "汚染"]
_AXES = {t: i for i, t in enumerate(TERMS)}


def _vec(**weights: float) -> list[float]:
    v = np.zeros(6, dtype=np.float32)
    for term, w in weights.items():
        v[_AXES.get(term, 5)] = w
    if not v.any():
        v[5] = 1.0
    return (v / np.linalg.norm(v)).tolist()


def _at(term: str, sim: float) -> list[float]:
    """A unit vector whose cosine with `term` is exactly `sim`."""
    v = np.zeros(6, dtype=np.float32)
    v[_AXES[term]], v[5] = sim, np.sqrt(1 - sim * sim)
    return v.tolist()


# English phrase → its (fake) query embedding.
SPACE = {
    "forest": _vec(森林=1.0),
    "noise": _vec(騒音=1.0),
    "waste": _vec(廃棄物=0.9, 汚染=0.1),
    "air": _vec(大気=1.0),
    "pollution": _vec(汚染=1.0),
    # Nearly as close to both words: both join ("air pollution" → 大気, 汚染).
    "air pollution": _vec(大気=0.70, 汚染=0.71),
    "fog": _at("大気", MIN_SIMILARITY - 0.05),  # too far from every word
    "smog": _at("大気", MIN_SIMILARITY + 0.05),
    "haze": _at("大気", 0.40),
    "Olomouc": _at("騒音", 0.40),  # a name: needs a closer match than a word
}


class FakeEmbeddings:
    """Looks phrases up in SPACE (anything else is unrelated); records what it was asked."""

    def __init__(self, batch: bool = False) -> None:
        self.asked: list[str] = []
        if batch:
            self.embed_queries = self._batch

    def embed_query(self, text: str) -> list[float]:
        self.asked.append(text)
        return SPACE.get(text, _vec())

    def _batch(self, texts: list[str]) -> list[list[float]]:
        self.asked.append(tuple(texts))
        return [SPACE.get(t, _vec()) for t in texts]


@pytest.fixture
def lexicon() -> Lexicon:
    return Lexicon(TERMS, np.eye(6, dtype=np.float32)[:5])


def _pairs(rendering) -> list[tuple[str, str]]:
    return [(en, ja) for en, ja, _ in rendering.pairs]


@pytest.mark.parametrize(("question", "phrases"), [
    ("How many tonnes of waste did Ostrava recycle in 2019?", ["tonnes", "waste", "Ostrava", "recycle", "Ostrava recycle"]),
    ("What was said about air pollution and noise?", ["air", "pollution", "air pollution", "noise"]),
    # Question words, "first", "held" and acronyms are no content.
    ("When was the first XQZ forum held with Freedonia?", ["forum", "Freedonia"]),
    ("When was it held?", []),
    # A date is read as a date ("as of March 2024"), not rendered by its nearest Japanese word.
    ("How many trainees had come as of March 2024?", ["trainees"]),
    # How people stress a question ("actually", "really", "ever") adds nothing the documents must hold.
    ("What is the XQZ forum actually for?", ["forum"]),
    ("Did Freedonia ever really sign it, exactly?", ["Freedonia", "sign"]),
    # A name with accents is one word, not its ASCII fragments ("Z", "r", "elimsk").
    ("Which landfill did the minister visit in Zörçelimsk?", ["landfill", "minister", "visit", "minister visit", "Zörçelimsk"]),
])
def test_content_phrases(question, phrases):
    assert content_phrases(question) == phrases


def test_english_words_become_the_index_words(lexicon):
    r = CrossLingual(lexicon, FakeEmbeddings()).render("How much waste and noise did the city report?")
    assert r.text == "廃棄物 騒音"
    assert _pairs(r) == [("waste", "廃棄物"), ("noise", "騒音")]
    assert all(sim >= MIN_SIMILARITY for _, _, sim in r.pairs)


def test_a_near_tie_brings_both_words(lexicon):
    r = CrossLingual(lexicon, FakeEmbeddings()).render("What was said about air pollution?")
    assert ("air pollution", "大気") in _pairs(r) and ("air pollution", "汚染") in _pairs(r)
    assert r.text == "大気 汚染"  # each word once


def test_words_below_the_similarity_floor_are_left_out(lexicon):
    cl = CrossLingual(lexicon, FakeEmbeddings())
    assert cl.render("Was there fog?") is None
    assert _pairs(cl.render("Was there smog?")) == [("smog", "大気")]


def test_a_name_needs_a_closer_match_than_a_word(lexicon):
    # 0.40 is enough for a word, not for a name the documents do not spell alike.
    cl = CrossLingual(lexicon, FakeEmbeddings())
    assert _pairs(cl.render("Was there haze?")) == [("haze", "大気")]
    assert cl.render("Was the forum in Olomouc?") is None


def test_names_are_heard_across_scripts_without_embedding_them(lexicon):
    emb = FakeEmbeddings()
    cl = CrossLingual(lexicon, emb, names=["オストラバ", "フリードニア", "ブルノ", "Ostrava"])
    r = cl.render("How much waste did Ostrava report?")
    assert _pairs(r) == [("Ostrava", "オストラバ"), ("waste", "廃棄物")]
    assert r.pairs[0][2] == 1.0 and r.text == "オストラバ 廃棄物"
    assert "Ostrava" not in emb.asked  # heard, so not looked up by meaning
    assert _pairs(cl.render("When was the Brno forum?")) == [("Brno", "ブルノ")]


def test_a_name_that_sounds_different_is_not_heard(lexicon):
    cl = CrossLingual(lexicon, FakeEmbeddings(), names=["オストラバ"])
    assert cl.render("When was the Olomouc forum?") is None


def test_only_short_japanese_names_are_kept():
    cl = CrossLingual(None, None, names=["オストラバ", "Ostrava", "フリードニア" * 5])
    assert cl.names == ["オストラバ"]


def test_a_batch_embedder_is_asked_once(lexicon):
    emb = FakeEmbeddings(batch=True)
    CrossLingual(lexicon, emb).render("What was said about air pollution?")
    assert emb.asked == [("air", "pollution", "air pollution")]


@pytest.mark.parametrize("make", [
    lambda lex, emb: CrossLingual(None, emb),
    lambda lex, emb: CrossLingual(Lexicon([], np.zeros((0, 1))), emb),
    lambda lex, emb: CrossLingual(lex, None),
])
def test_nothing_without_a_lexicon_or_embeddings(lexicon, make):
    assert make(lexicon, FakeEmbeddings()).render("How much waste?") is None


def test_a_name_is_heard_as_the_name_of_as_many_words(lexicon):
    # "Ostrava" is オストラバ, not also the longer name that begins with it; "Ostrava City" is that one.
    cl = CrossLingual(lexicon, FakeEmbeddings(), names=["オストラバ", "オストラバシティー"])
    assert [ja for _, ja in _pairs(cl.render("When was the Ostrava forum?"))] == ["オストラバ"]
    assert [ja for _, ja in _pairs(cl.render("When was the Ostrava City forum?"))][:1] == ["オストラバシティー"]


def test_a_name_typed_in_lower_case_is_heard_and_never_rendered_by_a_katakana_word_it_does_not_sound_like():
    terms = ["森林", "ヴァンゲリス"]
    lex = Lexicon(terms, np.eye(6, dtype=np.float32)[:2])

    class Near:
        def embed_query(self, text: str) -> list[float]:
            v = np.zeros(6, dtype=np.float32)
            v[1 if text == "rivna" else 5] = 1.0  # "rivna" embeds nearest to an unrelated katakana name
            return v.tolist()

    cl = CrossLingual(lex, Near(), names=["オストラバ"])
    assert cl.render("when did rivna sign?") is None or "ヴァンゲリス" not in cl.render("when did rivna sign?").text
    assert _pairs(cl.render("how much waste did ostrava report?"))[0] == ("ostrava", "オストラバ")
