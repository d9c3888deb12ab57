"""Ingestion with the real EmbeddingGemma into a real Chroma (slow: loads the model, embeds the corpus)."""

from __future__ import annotations

import shutil

import pytest

from shiori.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.slow

QUERIES = [
    "When did JCM first come up with Mongolia?",
    "モンゴルとの対話でJCMが初めて取り上げられたのはいつ？",
]


def _rrf(rankings: list[list[str]], k: int = 60) -> list[str]:
    """Plain reciprocal-rank fusion (1 / (k + rank)), best first."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda c: -scores[c])


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """The corpus ingested once with the real model; yields (settings, embeddings, report)."""
    from ingest.embeddings import load_embeddings
    from ingest.pipeline import ingest
    from shiori.models import ModelError

    tmp = tmp_path_factory.mktemp("ingest_real")
    corpus = tmp / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", corpus)
    settings = Settings(corpus_dir=corpus, index_dir=tmp / "index")
    try:
        emb = load_embeddings(settings)
    except ModelError as exc:
        pytest.skip(f"embedding model not assembled: {exc}")
    report = ingest(None, settings, embeddings=emb, progress=False)
    return settings, emb, report


def test_corpus_ingests_cleanly(indexed):
    from ingest.pipeline import ingest

    settings, emb, report = indexed
    assert report.failed == []
    assert report.added == 3
    assert report.chunks_total == report.vectors_total == report.chunks_written > 0
    again = ingest(None, settings, embeddings=emb, progress=False)
    assert (again.added, again.updated, again.unchanged, again.chunks_written) == (0, 0, 3, 0)
    assert again.chunks_total == report.chunks_total


@pytest.mark.parametrize("query", QUERIES)
def test_jcm_mongolia_row_in_hybrid_top3(indexed, query, record_property):
    from ingest.pipeline import open_indexes

    settings, emb, _ = indexed
    idx = open_indexes(settings, embeddings=emb)
    [target] = [c.chunk_id for c in idx.store.chunks()
                if c.meeting_number == 10 and c.year == 2016 and "JCM" in c.text and "モンゴル" in c.title]
    k = settings.candidate_k
    dense = [c for c, _ in idx.dense.search(query, k)]
    bm25 = [c for c, _ in idx.sparse.search(query, k)]  # zero-score hits are already gone
    hybrid = _rrf([dense, bm25], k=60)

    def rank(ids: list[str]) -> int | None:
        return ids.index(target) + 1 if target in ids else None

    ranks = {"dense": rank(dense), "bm25": rank(bm25), "hybrid": rank(hybrid)}
    record_property("ranks", ranks)
    print(f"\n{query}: {ranks}")
    assert ranks["hybrid"] is not None and ranks["hybrid"] <= 3, ranks
