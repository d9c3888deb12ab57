"""rag.find.retriever: dense and BM25 fused by reciprocal rank, where BM25 cannot read a page in the other
language than the question's (a Japanese question's words match no English page)."""

from __future__ import annotations

from dataclasses import dataclass

from rag.find.retriever import HybridRetriever


@dataclass
class _Chunk:
    chunk_id: str
    text: str


class _Indexes:
    """Fixed dense and BM25 rankings over three chunks, one of them English."""

    def __init__(self, english_hit: str) -> None:
        self.texts = {"en:1": english_hit, "ja:1": "ゼンブラ環境大臣会合に日本の大臣が出席しました。",
                      "ja:2": "日・ゼンブラ環境政策対話の開催地。"}
        self.store = self
        self.dense = self
        self.sparse = self

    def search_by_vector(self, vector, k, where=None):
        return [("en:1", 0.65), ("ja:1", 0.45), ("ja:2", 0.40)]

    def search_tokens(self, words, k):
        # BM25 scores only the Japanese chunks: the English one shares no word with the question.
        return [(cid, s) for cid, s in (("ja:1", 5.4), ("ja:2", 4.0), ("en:1", 0.0)) if s and cid in self.texts]

    def chunks_by_ids(self, ids):
        return [_Chunk(i, self.texts[i]) for i in ids if i in self.texts]


class _Embeddings:
    def embed_query(self, text):
        return [1.0]


def _ranked(english_hit: str) -> list[str]:
    retriever = HybridRetriever(_Indexes(english_hit), _Embeddings())
    return [h.chunk_id for h in retriever.rank("第19回ゼンブラ環境大臣会合に出席した日本の大臣は誰ですか", tokens=["大臣"])]


def test_the_best_dense_hit_in_the_other_language_is_not_buried_by_bm25():
    # Before: the English page, first by meaning, fell below every Japanese chunk BM25 also scored.
    assert _ranked("Minister NAKAGAWA of Japan attended the 19th Zembla ministers meeting.")[0] == "en:1"


def test_a_chunk_bm25_could_read_and_did_not_score_gets_no_extra_vote():
    # Written in the question's language, BM25 could have matched it: no stand-in vote.
    assert _ranked("ゼンブラ会合の概要")[0] == "ja:1"
