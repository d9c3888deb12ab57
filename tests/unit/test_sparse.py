"""ingest.sparse: BM25 over SudachiPy tokens."""

from __future__ import annotations

from ingest.sparse import SparseIndex

IDS = ["mn:10", "mn:1", "vn:5", "nav"]
TEXTS = [
    "日本・モンゴル環境政策対話: 第10回(2016年) ウランバートル 二国間クレジット制度(JCM)の進捗を確認した。",
    "日本・モンゴル環境政策対話: 第1回(2007年) 東京 黄砂等の環境協力の現状。",
    "日・ベトナム環境政策対話: 第5回(2018年) ハノイ 気候変動と廃棄物管理。",
    "。。。",
]


def test_search_ranks_matching_chunk_first():
    idx = SparseIndex.build(IDS, TEXTS)
    hits = idx.search("モンゴルとの対話でJCMが初めて取り上げられたのはいつ？", k=3)
    assert hits[0][0] == "mn:10"
    assert all(score > 0 for _, score in hits)


def test_zero_score_hits_are_dropped():
    idx = SparseIndex.build(IDS, TEXTS)
    hits = idx.search("JCM", k=10)
    assert [cid for cid, _ in hits] == ["mn:10"]
    assert idx.search("When did it first come up?", k=10) == []  # nothing shared with the text
    assert idx.search("", k=5) == []
    assert idx.search("JCM", k=0) == []


def test_english_question_matches_shared_tokens():
    idx = SparseIndex.build(IDS, TEXTS)
    hits = idx.search("When did JCM first come up with Mongolia in 2016?", k=5)
    assert hits and hits[0][0] == "mn:10"


def test_doc_freq_and_vocabulary():
    idx = SparseIndex.build(IDS, TEXTS)
    assert idx.doc_freq("モンゴル") == 2
    assert idx.doc_freq("jcm") == 1
    assert idx.doc_freq("存在しない語") == 0
    assert idx.has_token("ハノイ") and not idx.has_token("の")
    assert len(idx) == 4


def test_save_load_roundtrip(tmp_path):
    idx = SparseIndex.build(IDS, TEXTS)
    idx.save(tmp_path / "bm25")
    idx.save(tmp_path / "bm25")  # replacing an existing index works
    loaded = SparseIndex.load(tmp_path / "bm25")
    q = "第5回日本・ベトナム環境政策対話の開催地は？"
    assert loaded.search(q, 4) == idx.search(q, 4)
    assert loaded.chunk_ids == IDS
    assert loaded.doc_freq("モンゴル") == 2
    assert not list(tmp_path.glob(".bm25-*"))  # no temporary folders left behind


def test_empty_index(tmp_path):
    idx = SparseIndex.build([], [])
    assert idx.search("JCM", 5) == []
    idx.save(tmp_path / "bm25")
    assert SparseIndex.load(tmp_path / "bm25").search("JCM", 5) == []
    only_symbols = SparseIndex.build(["a"], ["。、"])
    assert only_symbols.search("JCM", 5) == []


def test_load_missing_raises(tmp_path):
    import pytest

    with pytest.raises(FileNotFoundError):
        SparseIndex.load(tmp_path / "nope")


def test_top_k_selection_equals_a_full_sort_with_ties() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(50)]
    texts = [" ".join(rng.choice(words, 8)) for _ in range(2000)]  # few words: many tied scores
    ids = [f"c{i}" for i in range(len(texts))]
    idx = SparseIndex.build(ids, texts)
    tokens = ["w1", "w2"]
    scores = np.asarray(idx._bm25.get_scores([idx._bm25.vocab_dict[t] for t in tokens]))
    full = sorted(np.flatnonzero(scores > 0).tolist(), key=lambda i: (-scores[i], i))
    for k in (1, 7, 20, len(full) + 5):
        assert [c for c, _ in idx.search_tokens(tokens, k)] == [ids[i] for i in full[:k]]
